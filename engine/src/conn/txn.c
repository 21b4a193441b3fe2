/*
** txn.c — the connection's transaction state machine over the transaction
** interface (ConnTxnOps in conn.h): BEGIN / COMMIT / ROLLBACK, named
** savepoints, the read and write transactions statements open, and how a
** transaction ends (hooks, virtual tables, deferred foreign keys, schema).
**
** States of one database of a connection (ConnDb.txn) and the transitions,
** with the function that performs each:
**
**   NONE  -> READ    first statement that reads it    [conn_txn_read]
**   NONE  -> WRITE   first statement that writes it,
**                    or BEGIN IMMEDIATE/EXCLUSIVE       [conn_txn_write]
**   READ  -> WRITE   first write after reads            [conn_txn_write]
**   WRITE -> READ    commit or rollback                 [commit_all, rollback_all]
**   READ  -> NONE    the connection is idle in autocommit mode
**                                                       [conn_txn_end_idle]
**
** and of the connection: autocommit (no BEGIN) -> explicit (BEGIN, or the
** first SAVEPOINT: txn_savepoint) -> autocommit again at COMMIT, ROLLBACK,
** or the RELEASE of the savepoint that began it.  db->txn is the strongest
** state of the databases.
**
** The pages, snapshots and locks are the transaction interface's (today's
** implementation: conn_txn_wal, the B-tree over the WAL pager); this file
** only decides when to call it.  Named savepoints exist in the interface
** only inside a write transaction: SAVEPOINT opens one when the database
** already writes, and the start of a write transaction opens one per named
** savepoint made before it (nothing has changed since any of them).
**
** Invariants:
**  - dbs[i].txn == CONN_TXN_WRITE implies a write transaction is open on
**    database i, with an interface savepoint of depth j + 1 for every named
**    savepoint j; CONN_TXN_NONE implies no read transaction is open there.
**  - db->nsavepoint > 0 implies db->autocommit == 0.
**  - while db->nwriting > 0 (statements holding a statement savepoint) no
**    named savepoint is made or released (SQLite's "SQL statements in
**    progress").
*/
#include <assert.h>

#include "conn/conn_int.h"
#include "vtab/vtab.h"

/* ---- the transaction interface over the B-tree and its WAL pager -------------- */

static int wal_begin_read(ConnDb *d) { return btree_begin_read(d->bt); }
static void wal_end_read(ConnDb *d) { btree_end_read(d->bt); }
static int wal_begin_write(ConnDb *d) { return btree_begin_write(d->bt); }
static int wal_commit(ConnDb *d) { return btree_commit(d->bt); }
static void wal_rollback(ConnDb *d) { btree_rollback(d->bt); }

static int wal_savepoint(ConnDb *d, int op, int depth) {
  switch (op) {
  case CONN_SP_BEGIN: return btree_savepoint_begin(d->bt, depth);
  case CONN_SP_RELEASE: return btree_savepoint_release(d->bt, depth);
  default: return btree_savepoint_rollback(d->bt, depth);
  }
}

const ConnTxnOps conn_txn_wal = {
    "wal", wal_begin_read, wal_end_read, wal_begin_write, wal_commit, wal_rollback, wal_savepoint,
};

/* ---- helpers --------------------------------------------------------------------- */

void conn_txn_sync(lode *db) {
  int txn = CONN_TXN_NONE;
  for (int i = 0; i < db->ndb; i++)
    if (db->dbs[i].bt && db->dbs[i].txn > txn) txn = db->dbs[i].txn;
  db->txn = txn;
}

void conn_txn_after_rollback(lode *db) {
  /* The schema is reloaded at the next prepare, and compiled statements
  ** are expired when the restored cookie is not the one the loaded schema
  ** was read at (the schema they were compiled against may be gone, even if
  ** its cookie value comes back later). */
  for (int i = 0; i < db->ndb; i++) {
    ConnDb *d = &db->dbs[i];
    uint32_t cookie = 0;
    if (!d->schema || !d->bt) continue;
    if (btree_get_meta(d->bt, BTREE_META_SCHEMA_COOKIE, &cookie) != LODE_OK || cookie != d->schema->cookie) {
      db->schema_gen++;
      if (db->api) conn_vtab_schema_reset(db);
    }
    d->schema->loaded = 0;
  }
}

/* conn_txn_after_rollback for a rollback that other runs must not outlive
** when it undid schema changes (see lode.schema_undos). */
static void after_rollback_counted(lode *db, int schema_changed) {
  uint32_t gen = db->schema_gen;
  conn_txn_after_rollback(db);
  if (db->schema_gen != gen || schema_changed) db->schema_undos++;
}

void conn_txn_ended(lode *db) {
  db->txn_schema_changed = 0;
  db->fk_deferred[0] = db->fk_deferred[1] = 0;
  db->defer_fks = 0;
  db->cdc_txn_id = 0;
}

/* Any count other than zero fails, as in SQLite 3.53: a negative one means
** rows were counted as mended that were never counted as broken. */
int conn_fk_deferred_pending(const lode *db) { return db->fk_deferred[0] + db->fk_deferred[1] != 0; }

int conn_fk_error(lode *db) { return conn_error(db, LODE_CONSTRAINT_FOREIGNKEY, "FOREIGN KEY constraint failed"); }

/* ---- read and write transactions of one database ------------------------------- */

int conn_txn_read(lode *db, int i) {
  int rc;
  if (i == CONN_DB_TEMP && (rc = conn_db_open_temp(db)) != LODE_OK) return rc;
  ConnDb *d = &db->dbs[i];
  if (d->txn != CONN_TXN_NONE) return LODE_OK;
  rc = d->ops->begin_read(d);
  if (rc != LODE_OK) {
    conn_txn_sync(db);
    return rc;
  }
  /* db->txn is the strongest state of the databases: one more reader can
  ** only raise it from NONE (conn_txn_sync without the walk). */
  d->txn = CONN_TXN_READ;
  if (db->txn == CONN_TXN_NONE) db->txn = CONN_TXN_READ;
  return LODE_OK;
}

void conn_txn_end_idle(lode *db) {
  if (!db->autocommit || db->nactive > 0 || db->txn == CONN_TXN_NONE) return;
  for (int i = 0; i < db->ndb; i++) {
    ConnDb *d = &db->dbs[i];
    if (!d->bt || d->txn == CONN_TXN_NONE) continue;
    if (d->txn == CONN_TXN_WRITE) d->ops->rollback(d); /* a writer that never halted */
    d->ops->end_read(d);
    d->txn = CONN_TXN_NONE;
  }
  db->txn = CONN_TXN_NONE;
}

int conn_txn_write(lode *db, int i) {
  int rc, j;
  if (i == CONN_DB_TEMP && (rc = conn_db_open_temp(db)) != LODE_OK) return rc;
  ConnDb *d = &db->dbs[i];
  if (d->txn == CONN_TXN_WRITE) return LODE_OK;
  if (conn_db_readonly(db, i)) return conn_error(db, LODE_READONLY, NULL);
  /* From NONE the interface opens the read and the write transaction
  ** together, so that it waits out a writer of another connection
  ** (busy_timeout) instead of failing at once. */
  int was_none = d->txn == CONN_TXN_NONE;
  rc = d->ops->begin_write(d);
  if (rc == LODE_OK) d->txn = CONN_TXN_READ;
  else if (was_none) d->ops->end_read(d);
  for (j = 0; rc == LODE_OK && j < db->nsavepoint; j++) {
    rc = d->ops->savepoint(d, CONN_SP_BEGIN, j + 1);
    if (rc != LODE_OK) d->ops->rollback(d);
  }
  if (rc != LODE_OK) {
    conn_txn_sync(db);
    return conn_error(db, rc, NULL);
  }
  d->txn = CONN_TXN_WRITE;
  db->txn = CONN_TXN_WRITE;
  return LODE_OK;
}

/* ---- ending a transaction ------------------------------------------------------- */

/* Every database writing: commit (stops at the first failure, which leaves
** that one and those after it open) or roll back. */
static int commit_all(lode *db) {
  for (int i = 0; i < db->ndb; i++) {
    ConnDb *d = &db->dbs[i];
    if (!d->bt || d->txn != CONN_TXN_WRITE) continue;
    int rc = d->ops->commit(d);
    if (rc != LODE_OK) return rc;
    d->txn = CONN_TXN_READ;
  }
  conn_txn_sync(db);
  return LODE_OK;
}

static void rollback_all(lode *db) {
  for (int i = 0; i < db->ndb; i++) {
    ConnDb *d = &db->dbs[i];
    if (!d->bt || d->txn != CONN_TXN_WRITE) continue;
    d->ops->rollback(d);
    d->txn = CONN_TXN_READ;
  }
  conn_txn_sync(db);
}

int conn_txn_commit_writes(lode *db) {
  int rc;
  if (db->api && (rc = conn_vtab_sync(db)) != LODE_OK) {
    /* the module's message stays on the connection */
  } else {
    rc = db->api && conn_hook_commit(db) ? LODE_CONSTRAINT_COMMITHOOK : commit_all(db);
  }
  if (rc != LODE_OK) {
    rollback_all(db);
    conn_txn_after_rollback(db);
    if (db->api) conn_hook_rollback(db);
  }
  if (db->api) conn_vtab_end(db, rc == LODE_OK);
  return rc;
}

void conn_txn_rollback_writes(lode *db) {
  rollback_all(db);
  after_rollback_counted(db, db->txn_schema_changed);
  if (db->api) {
    conn_hook_rollback(db);
    conn_vtab_end(db, 0);
  }
}

void conn_txn_rollback(lode *db) {
  int schema_changed = db->txn_schema_changed;
  /* As SQLite: the hook hears of every transaction rolled back, one that
  ** only read or did nothing since BEGIN too. */
  int open = db->txn != CONN_TXN_NONE || !db->autocommit;
  if (db->txn == CONN_TXN_WRITE) rollback_all(db);
  if (open && db->api) conn_hook_rollback(db);
  if (db->api) conn_vtab_end(db, 0);
  db->autocommit = 1;
  conn_savepoints_pop(db, 0);
  conn_txn_ended(db);
  after_rollback_counted(db, schema_changed);
  conn_txn_end_idle(db);
}

/* Ends the transaction with a commit.  On failure the transaction (and its
** savepoints) stays open. */
static int commit_txn(lode *db) {
  int rc;
  if (db->txn == CONN_TXN_WRITE) {
    if (db->api && (rc = conn_vtab_sync(db)) != LODE_OK) return rc;
    if (db->api && conn_hook_commit(db)) {
      conn_txn_rollback(db);
      return conn_error(db, LODE_CONSTRAINT_COMMITHOOK, NULL);
    }
    rc = commit_all(db);
    if (rc != LODE_OK && (conn_mvcc_failed(db) || (rc & 0xff) != LODE_BUSY)) {
      /* A transaction that cannot commit (a concurrent one's conflict, an I/O
      ** error, a corrupt page) ends, as in SQLite; its error stays.  Only a
      ** lock that may yet be had leaves it open for COMMIT to be tried again. */
      char *msg = db->errmsg;
      db->errmsg = NULL;
      conn_txn_rollback(db);
      return conn_error_take(db, rc, msg);
    }
    if (rc != LODE_OK) return conn_error(db, rc, NULL);
  }
  if (db->api) conn_vtab_end(db, 1);
  db->autocommit = 1;
  conn_savepoints_pop(db, 0);
  conn_txn_ended(db);
  conn_txn_end_idle(db);
  return LODE_OK;
}

/* ---- BEGIN / COMMIT ---------------------------------------------------------------- */

int conn_txn_begin(lode *db, int mode) {
  int rc;
  if (!db->autocommit) return conn_error(db, LODE_ERROR, "cannot start a transaction within a transaction");
  if (mode == TXN_CONCURRENT) return conn_mvcc_begin_concurrent(db);
  if (mode == TXN_IMMEDIATE || mode == TXN_EXCLUSIVE) {
    /* Every open database: the temp one only once it exists. */
    for (int i = 0; i < db->ndb; i++) {
      if (!db->dbs[i].bt || conn_db_readonly(db, i)) continue;
      rc = conn_txn_write(db, i);
      if (rc != LODE_OK) {
        rollback_all(db);
        conn_txn_end_idle(db);
        return rc;
      }
    }
  }
  db->autocommit = 0;
  return LODE_OK;
}

int conn_txn_commit(lode *db) {
  if (db->autocommit) return conn_error(db, LODE_ERROR, "cannot commit - no transaction is active");
  /* A write statement still running (one stepped part way, as an INSERT …
  ** RETURNING is after its first row) must end first, as in SQLite; the
  ** transaction stays open. */
  if (db->nwriting + db->nblob_writers > 0) return conn_error(db, LODE_BUSY, "cannot commit transaction - SQL statements in progress");
  if (conn_fk_deferred_pending(db)) return conn_fk_error(db); /* the transaction stays open */
  return commit_txn(db);
}

/* ---- the statement savepoint ------------------------------------------------------ */

int conn_txn_stmt_savepoint(lode *db, int i, int depth) {
  assert(db->dbs[i].txn == CONN_TXN_WRITE);
  ConnDb *d = &db->dbs[i];
  int rc = d->ops->savepoint(d, CONN_SP_BEGIN, depth);
  return rc == LODE_OK ? LODE_OK : conn_error(db, rc, NULL);
}

int conn_txn_stmt_end(lode *db, uint32_t dbs, int depth, int undo) {
  int rc = LODE_OK;
  for (int i = 0; i < db->ndb; i++) {
    ConnDb *d = &db->dbs[i];
    if (!(dbs & (1u << i)) || !d->bt) continue;
    if (undo) d->ops->savepoint(d, CONN_SP_ROLLBACK, depth);
    int r = d->ops->savepoint(d, CONN_SP_RELEASE, depth);
    if (rc == LODE_OK) rc = r;
  }
  return rc;
}

/* ---- SAVEPOINT / RELEASE / ROLLBACK TO -------------------------------------------- */

static int savepoint_begin(lode *db, const char *name) {
  int rc;
  if (db->nwriting + db->nblob_writers > 0) return conn_error(db, LODE_BUSY, "cannot open savepoint - SQL statements in progress");
  /* The virtual tables are told first, as in SQLite: what one writes then (an FTS index's
  ** pending terms) comes before the savepoint, and a ROLLBACK TO it keeps that. */
  if (db->api && !db->autocommit && (rc = conn_vtab_savepoint(db, VTAB_TXN_SAVEPOINT,
                                                              db->nsavepoint - db->txn_savepoint)) != LODE_OK)
    return rc;
  rc = conn_savepoint_push(db, name);
  for (int j = 0; rc == LODE_OK && j < db->ndb; j++) {
    ConnDb *d = &db->dbs[j];
    if (d->txn != CONN_TXN_WRITE) continue;
    rc = d->ops->savepoint(d, CONN_SP_BEGIN, db->nsavepoint);
    if (rc != LODE_OK) {
      for (int k = 0; k < j; k++)
        if (db->dbs[k].txn == CONN_TXN_WRITE) db->dbs[k].ops->savepoint(&db->dbs[k], CONN_SP_RELEASE, db->nsavepoint);
      conn_savepoints_pop(db, db->nsavepoint - 1);
    }
  }
  if (rc != LODE_OK) return conn_error(db, rc, NULL);
  if (db->autocommit) {
    db->autocommit = 0;
    db->txn_savepoint = 1;
  }
  return LODE_OK;
}

static int savepoint_release(lode *db, int i) {
  int rc = LODE_OK;
  if (db->nwriting + db->nblob_writers > 0) return conn_error(db, LODE_BUSY, "cannot release savepoint - SQL statements in progress");
  if (i == 0 && db->txn_savepoint) return conn_fk_deferred_pending(db) ? conn_fk_error(db) : commit_txn(db);
  for (int j = 0; j < db->ndb; j++) {
    ConnDb *d = &db->dbs[j];
    if (d->txn != CONN_TXN_WRITE) continue;
    int r = d->ops->savepoint(d, CONN_SP_RELEASE, i + 1);
    if (rc == LODE_OK) rc = r;
  }
  if (rc != LODE_OK) return conn_error(db, rc, NULL);
  if (db->api && (rc = conn_vtab_savepoint(db, VTAB_TXN_RELEASE, i - db->txn_savepoint)) != LODE_OK) return rc;
  conn_savepoints_pop(db, i);
  return LODE_OK;
}

/* A rollback that could not put every page back leaves the transaction in
** no known state: it is rolled back as a whole. */
static int savepoint_rollback(lode *db, int i) {
  int rc = LODE_OK;
  if (db->txn == CONN_TXN_WRITE) {
    for (int j = 0; rc == LODE_OK && j < db->ndb; j++) {
      ConnDb *d = &db->dbs[j];
      if (d->txn == CONN_TXN_WRITE) rc = d->ops->savepoint(d, CONN_SP_ROLLBACK, i + 1);
    }
    if (rc != LODE_OK) {
      conn_txn_rollback(db);
      return conn_error(db, rc, NULL);
    }
    after_rollback_counted(db, db->txn_schema_changed);
  }
  if (db->api && (rc = conn_vtab_savepoint(db, VTAB_TXN_ROLLBACK_TO, i - db->txn_savepoint)) != LODE_OK) return rc;
  db->fk_deferred[0] = db->savepoint_fk[2 * i];
  db->fk_deferred[1] = db->savepoint_fk[2 * i + 1];
  conn_savepoints_pop(db, i + 1);
  return LODE_OK;
}

int conn_txn_savepoint(lode *db, int op, const char *name) {
  if (op == CONN_SP_BEGIN) return savepoint_begin(db, name);
  int i = conn_savepoint_find(db, name);
  if (i < 0) return conn_error(db, LODE_ERROR, "no such savepoint: %s", name);
  return op == CONN_SP_RELEASE ? savepoint_release(db, i) : savepoint_rollback(db, i);
}
