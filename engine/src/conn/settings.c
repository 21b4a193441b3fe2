/*
** settings.c — the connection settings PRAGMAs read and set through the VM
** (conn_pragma_set / _get, CONN_PRAGMA_* in conn.h): those kept by the
** pager and the b-tree of a database, those kept on the connection, and
** the plain table of CONN_SETTINGS; and PRAGMA wal_checkpoint.
*/
#include <stdint.h>

#include "conn/conn_int.h"

int conn_pragma_set(lode *db, int dbi, int which, int64_t value) {
  switch (which) {
  case CONN_PRAGMA_AUTO_VACUUM: {
    /* A mode the database cannot take now is kept for the next VACUUM. */
    int rc = btree_set_autovacuum(conn_db_btree(db, dbi), (int)value);
    return rc == LODE_READONLY ? LODE_OK : rc;
  }
  case CONN_PRAGMA_JOURNAL_MODE: {
    int mode;
    if (value != CONN_JOURNAL_ASK) return conn_set_journal_mode(db, dbi, (int)value);
    int rc = conn_journal_mode(db, dbi, &mode);
    return rc == LODE_OK ? rc : conn_error(db, rc, NULL);
  }
  case CONN_PRAGMA_INCR_VACUUM: { /* one step */
    int done;
    (void)value;
    return btree_incremental_vacuum_step(conn_db_btree(db, dbi), &done);
  }
  case CONN_PRAGMA_PAGE_SIZE:
    db->next_page_size = value;
    /* Ignored (as SQLite does) once the database has pages or for a bad size. */
    if (value > 0 && value <= UINT32_MAX) (void)pager_set_page_size(conn_db_pager(db, dbi), (uint32_t)value);
    break;
  case CONN_PRAGMA_CACHE_SIZE:
    db->cache_size = value;
    db->cache_size_set = 1;
    pager_set_cache_size(conn_db_pager(db, dbi), value);
    break;
  case CONN_PRAGMA_SYNCHRONOUS: pager_set_synchronous(conn_db_pager(db, dbi), (int)value); break;
  case CONN_PRAGMA_CACHE_SPILL:
    db->no_cache_spill = value == 0;
    for (int i = 0; i < db->ndb; i++)
      if (db->dbs[i].pager) pager_set_cache_spill(db->dbs[i].pager, value != 0);
    break;
  case CONN_PRAGMA_SPILL_SIZE: pager_set_spill_size(conn_db_pager(db, dbi), value); break;
  case CONN_PRAGMA_SHRINK_MEMORY:
    for (int i = 0; i < db->ndb; i++)
      if (db->dbs[i].pager) pager_release_memory(db->dbs[i].pager);
    break;
  case CONN_PRAGMA_BUSY_TIMEOUT: /* every database's */
    db->busy_timeout = value < 0 ? 0 : value > INT32_MAX ? INT32_MAX : (int)value;
    for (int i = 0; i < db->ndb; i++)
      if (db->dbs[i].pager) pager_set_busy_timeout(db->dbs[i].pager, db->busy_timeout);
    break;
  case CONN_PRAGMA_RECURSIVE_TRIGGERS:
    /* Programs code the setting (which triggers may recurse, REPLACE's
    ** delete triggers): compiled ones are re-prepared. */
    if (db->recursive_triggers != (value != 0)) db->schema_gen++;
    db->recursive_triggers = value != 0;
    break;
  case CONN_PRAGMA_FOREIGN_KEYS:
    /* Compiled statements code the checks or not: they re-prepare. */
    if (db->autocommit && db->foreign_keys != (value != 0)) {
      db->foreign_keys = value != 0;
      db->schema_gen++;
    }
    break;
  case CONN_PRAGMA_DEFER_FKS:
    if (db->defer_fks != (value != 0)) {
      db->defer_fks = value != 0;
      db->schema_gen++; /* RESTRICT is coded only without it */
    }
    /* Turning it off forgets the deferred violations, as in SQLite. */
    if (!value) db->fk_deferred[0] = db->fk_deferred[1] = 0;
    break;
  default:
    if (which >= CONN_PRAGMA_TABLE && which < CONN_PRAGMA_TABLE + CONN_SETTING_COUNT) {
      int k = which - CONN_PRAGMA_TABLE;
      /* Setting a flag expires the compiled statements, as SQLite's flag
      ** pragmas do (result column names, whether a change answers with its
      ** count, CHECK constraints, automatic indexes, the direction of
      ** unordered scans, which functions the schema may call are compiled
      ** in): they re-prepare at their next step.  secure_delete is no flag. */
      if (conn_setting_info[k].kind == CONN_SETTING_BOOL && k != CONN_SET_SECURE_DELETE) db->schema_gen++;
      db->settings[which - CONN_PRAGMA_TABLE] = value;
      if (which == CONN_PRAGMA_TABLE + CONN_SET_WAL_AUTOCHECKPOINT)
        for (int i = 0; i < db->ndb; i++)
          if (db->dbs[i].pager) pager_set_autocheckpoint(db->dbs[i].pager, value);
      if (which == CONN_PRAGMA_TABLE + CONN_SET_MMAP_SIZE)
        for (int i = 0; i < db->ndb; i++)
          if (db->dbs[i].pager) pager_set_mmap_size(db->dbs[i].pager, value);
      if (which == CONN_PRAGMA_TABLE + CONN_SET_JOURNAL_SIZE_LIMIT)
        for (int i = 0; i < db->ndb; i++)
          if (db->dbs[i].pager) pager_set_journal_size_limit(db->dbs[i].pager, value);
    }
    break;
  }
  return LODE_OK;
}

int64_t conn_pragma_get(lode *db, int dbi, int which) {
  switch (which) {
  case CONN_PRAGMA_PAGE_SIZE: return pager_page_size(conn_db_pager(db, dbi));
  case CONN_PRAGMA_JOURNAL_MODE: { /* set with CONN_JOURNAL_ASK first reports its errors */
    int mode = CONN_JOURNAL_WAL;
    if (dbi >= 0 && dbi < db->ndb) (void)conn_journal_mode(db, dbi, &mode);
    return mode;
  }
  case CONN_PRAGMA_AUTO_VACUUM: {
    int mode = 0;
    return btree_get_autovacuum(conn_db_btree(db, dbi), &mode) == LODE_OK ? mode : 0;
  }
  case CONN_PRAGMA_INCR_VACUUM: { /* the free pages a step could give back */
    int mode = 0;
    uint32_t nfree = 0;
    Btree *bt = conn_db_btree(db, dbi);
    if (btree_get_autovacuum(bt, &mode) != LODE_OK || mode == 0) return 0;
    return btree_get_meta(bt, BTREE_META_FREELIST_COUNT, &nfree) == LODE_OK ? nfree : 0;
  }
  case CONN_PRAGMA_CACHE_SIZE: return db->cache_size_set ? db->cache_size : CONN_DEFAULT_CACHE_SIZE;
  case CONN_PRAGMA_SYNCHRONOUS: return pager_synchronous(conn_db_pager(db, dbi));
  case CONN_PRAGMA_CACHE_SPILL: return db->no_cache_spill ? 0 : pager_cache_spill(conn_db_pager(db, dbi));
  case CONN_PRAGMA_BUSY_TIMEOUT: return db->busy_timeout;
  case CONN_PRAGMA_RECURSIVE_TRIGGERS: return db->recursive_triggers;
  case CONN_PRAGMA_FOREIGN_KEYS: return db->foreign_keys;
  case CONN_PRAGMA_DEFER_FKS: return db->defer_fks;
  default:
    if (which >= CONN_PRAGMA_TABLE && which < CONN_PRAGMA_TABLE + CONN_SETTING_COUNT)
      return db->settings[which - CONN_PRAGMA_TABLE];
    return 0;
  }
}

int conn_checkpoint(lode *db, int dbi, int mode, int *busy, int *log, int *done) {
  *busy = 0;
  *log = *done = -1;
  Pager *pager = dbi >= 0 && dbi < db->ndb ? db->dbs[dbi].pager : NULL;
  if (!pager || pager_is_memory(pager)) return LODE_OK;
  int rc = conn_mvcc_checkpoint(db, dbi, mode, log, done);
  if (rc == LODE_BUSY) {
    *busy = 1;
    rc = LODE_OK;
  }
  return rc;
}
