/*
** conn_db.c — the databases of a connection (conn.h's ConnDb): main, the
** temp database opened on first use, and those ATTACH adds.
**
** Invariants: dbs[0] is main and mirrors db->pager/bt/schema; dbs[1] is
** temp, its schema always allocated (empty until the database opens);
** dbs[2..ndb) are attached, in ATTACH order, with distinct names.  Every
** schema's db field (and so every Table.db) is the database's index: DETACH
** closes the gap and renumbers the databases after it.
*/
#include <string.h>
#include <unistd.h>

#include "conn/conn_int.h"
#include "util/util.h"

int conn_db_find(const lode *db, const char *name) {
  if (!name) return -1;
  for (int i = 0; i < db->ndb; i++)
    if (db->dbs[i].name && util_stricmp(db->dbs[i].name, name) == 0) return i;
  return -1;
}

/* The pager's open flags for LODE_OPEN_* flags. */
static int pager_flags_of(int flags) {
  return (flags & LODE_OPEN_READONLY ? PAGER_OPEN_READONLY : 0) | (flags & LODE_OPEN_CREATE ? PAGER_OPEN_CREATE : 0);
}

/* Ends what database d has open (a write transaction is rolled back) and
** closes its b-tree and pager; the pager's close result. */
static int close_storage(ConnDb *d, Btree *bt, Pager *pager) {
  conn_mvcc_detach(d);
  if (bt) {
    if (d->txn == CONN_TXN_WRITE) btree_rollback(bt);
    if (d->txn != CONN_TXN_NONE) btree_end_read(bt);
    btree_close(bt);
  }
  return pager ? pager_close(pager) : LODE_OK;
}

static int open_pager(ConnDb *d, const char *path, int flags) {
  Pager **pager = &d->pager;
  Btree **bt = &d->bt;
  d->ops = &conn_txn_wal;
  int rc = pager_open(path, flags, pager);
  if (rc != LODE_OK) return rc;
  rc = btree_open(*pager, bt);
  if (rc != LODE_OK) {
    pager_close(*pager);
    *pager = NULL;
    *bt = NULL;
  }
  return rc;
}

/* Reads the schema of a newly opened database: for an attached file this
** also tells one that is not a database ("file is not a database"). */
static int load_schema(lode *db, ConnDb *d) {
  char *err = NULL;
  int rc = btree_begin_read(d->bt);
  if (rc == LODE_OK) {
    rc = schema_load(d->schema, d->bt, db->settings[CONN_SET_WRITABLE_SCHEMA] != 0, &err);
    btree_end_read(d->bt);
  }
  if (rc != LODE_OK) {
    if (err) return conn_error_take(db, rc, err);
    return conn_error(db, rc, NULL);
  }
  util_free(err);
  return LODE_OK;
}

int conn_db_open_temp(lode *db) {
  ConnDb *d = &db->dbs[CONN_DB_TEMP];
  if (d->bt) return LODE_OK;
  int rc = open_pager(d, NULL, PAGER_OPEN_CREATE);
  if (rc != LODE_OK) return conn_error(db, rc, NULL);
  return load_schema(db, d); /* empty: its schema table alone */
}

int conn_open_temp(lode *db, const char *what, struct OsFile **out) {
  for (int i = 0; db && i < db->ndb; i++)
    if (db->dbs[i].pager && pager_cipher(db->dbs[i].pager)) return pager_open_temp(db->dbs[i].pager, what, out);
  return os_open_temp(what, out);
}

static void close_db(ConnDb *d) {
  close_storage(d, d->bt, d->pager);
  schema_free(d->schema);
  util_free(d->name);
  util_free(d->path);
  memset(d, 0, sizeof *d);
}

void conn_db_close_all(lode *db) {
  for (int i = db->ndb - 1; i >= 1; i--) close_db(&db->dbs[i]);
  db->ndb = 1;
  for (int i = 0; i < db->ntrigger_binds; i++) util_free(db->trigger_binds[i].name);
  util_free(db->trigger_binds);
  db->trigger_binds = NULL;
  db->ntrigger_binds = 0;
}

int conn_trigger_bound(const lode *db, const char *name) {
  for (int i = 0; i < db->ntrigger_binds; i++)
    if (util_stricmp(db->trigger_binds[i].name, name) == 0) return db->trigger_binds[i].db;
  return -1;
}

int conn_trigger_bind(lode *db, const char *name, int dbi) {
  for (int i = 0; i < db->ntrigger_binds; i++)
    if (util_stricmp(db->trigger_binds[i].name, name) == 0) {
      db->trigger_binds[i].db = dbi;
      return LODE_OK;
    }
  struct ConnTriggerBind *grown =
      util_realloc(db->trigger_binds, sizeof *grown * (size_t)(db->ntrigger_binds + 1));
  if (!grown) return LODE_NOMEM;
  db->trigger_binds = grown;
  if (!(grown[db->ntrigger_binds].name = util_strdup(name))) return LODE_NOMEM;
  grown[db->ntrigger_binds++].db = dbi;
  return LODE_OK;
}

/* The full name sqlite3_db_filename gives an attached file. */
static char *absolute_path(const char *path) {
  if (path[0] == '/') return util_strdup(path);
#ifndef __EMSCRIPTEN__
  char cwd[4096];
  if (getcwd(cwd, sizeof cwd)) return util_mprintf("%s/%s", cwd, path);
#endif
  return util_strdup(path);
}

int conn_db_attach(lode *db, const char *path, const char *name) {
  UriOpen uri;
  char *err = NULL;
  int rc, limit = db->limits[LODE_LIMIT_ATTACHED];
  if (db->ndb - 2 >= limit) return conn_error(db, LODE_ERROR, "too many attached databases - max %d", limit);
  if (conn_db_find(db, name) >= 0) return conn_error(db, LODE_ERROR, "database %s is already in use", name);
  /* As SQLite: the flags the connection was opened with, not what its own
  ** URI's mode made of them (a database opened with mode=ro may attach one
  ** read-write). */
  int base = db->open_flags ? db->open_flags
                            : db->readonly ? LODE_OPEN_READONLY : LODE_OPEN_READWRITE | LODE_OPEN_CREATE;
  int flags = (db->open_uri ? LODE_OPEN_URI : 0) | base;
  rc = uri_parse(path, flags, &uri, &err);
  if (rc != LODE_OK) {
    /* ATTACH reports any refused name as SQLITE_ERROR (open_v2 says PERM). */
    if (err) return conn_error_take(db, rc == LODE_NOMEM ? rc : LODE_ERROR, err);
    return conn_error(db, rc, NULL);
  }
  int memory = uri.memory || !uri.path || !uri.path[0] || strcmp(uri.path, ":memory:") == 0;
  ConnDb *d = &db->dbs[db->ndb];
  memset(d, 0, sizeof *d);
  d->name = util_strdup(name);
  char *abs = memory ? NULL : absolute_path(uri.path);
  d->path = uri_filename_object(memory ? "" : abs ? abs : "", memory ? NULL : &uri);
  if (!memory && !abs) util_free(d->path), d->path = NULL;
  util_free(abs);
  d->schema = schema_new();
  d->readonly = (uri.flags & LODE_OPEN_READONLY) != 0;
  if (!d->name || !d->path || !d->schema) rc = LODE_NOMEM;
  else rc = open_pager(d, memory ? NULL : uri.path, pager_flags_of(uri.flags));
  uri_free(&uri);
  if (rc != LODE_OK) {
    close_db(d);
    if (rc != LODE_CANTOPEN) return conn_error(db, rc, NULL);
    return conn_error(db, rc, "unable to open database: %s", path);
  }
  d->schema->db = db->ndb;
  pager_set_busy_timeout(d->pager, db->busy_timeout);
  if (db->no_cache_spill) pager_set_cache_spill(d->pager, 0);
  pager_set_autocheckpoint(d->pager, db->settings[CONN_SET_WAL_AUTOCHECKPOINT]);
  if (db->settings[CONN_SET_MMAP_SIZE] > 0) pager_set_mmap_size(d->pager, db->settings[CONN_SET_MMAP_SIZE]);
  if ((rc = load_schema(db, d)) != LODE_OK) {
    close_db(d);
    return rc;
  }
  db->ndb++;
  db->schema_gen++;
  return LODE_OK;
}

int conn_db_detach(lode *db, const char *name) {
  int i = conn_db_find(db, name);
  if (i < 0 || i == CONN_DB_TEMP) return conn_error(db, LODE_ERROR, "no such database: %s", name);
  if (i == CONN_DB_MAIN) return conn_error(db, LODE_ERROR, "cannot detach database %s", name);
  /* Other running statements may address the databases after it by index:
  ** while they run, nothing is renumbered. */
  if (db->dbs[i].txn != CONN_TXN_NONE || (db->nactive > 1 && i < db->ndb - 1))
    return conn_error(db, LODE_ERROR, "database %s is locked", name);
  close_db(&db->dbs[i]);
  memmove(&db->dbs[i], &db->dbs[i + 1], (size_t)(db->ndb - i - 1) * sizeof(ConnDb));
  db->ndb--;
  memset(&db->dbs[db->ndb], 0, sizeof(ConnDb));
  for (int k = 0; k < db->ntrigger_binds; k++) { /* TEMP triggers on its tables are on none now, as in SQLite */
    if (db->trigger_binds[k].db == i) db->trigger_binds[k].db = -2;
    else if (db->trigger_binds[k].db > i) db->trigger_binds[k].db--;
  }
  for (int j = i; j < db->ndb; j++) {
    Schema *s = db->dbs[j].schema;
    s->db = j;
    for (int k = 0; k < s->ntables; k++) s->tables[k]->db = j;
    for (int k = 0; k < s->nviews; k++) s->views[k]->db = j;
    for (int k = 0; k < s->ntriggers; k++) s->triggers[k]->db = j;
  }
  db->schema_gen++;
  return LODE_OK;
}

int conn_db_open_main(lode *db, const char *path, int flags, const char *cipher, const char *hexkey,
                      const char **why) {
  PagerOptions popts = {cipher, hexkey, why};
  int rc = pager_open_v2(path, pager_flags_of(flags), &popts, &db->pager);
  if (rc == LODE_OK) rc = btree_open(db->pager, &db->bt);
  if (rc != LODE_OK) return rc;
  /* main mirrors the connection's own pager, b-tree and schema; temp is
  ** not opened yet. */
  ConnDb *m = &db->dbs[CONN_DB_MAIN], *t = &db->dbs[CONN_DB_TEMP];
  m->name = util_strdup("main");
  m->path = util_strdup(path ? path : "");
  m->pager = db->pager;
  m->bt = db->bt;
  m->schema = db->schema;
  m->readonly = db->readonly;
  m->ops = &conn_txn_wal;
  t->name = util_strdup("temp");
  t->path = util_strdup("");
  t->schema = schema_new();
  db->ndb = 2;
  if (!m->name || !m->path || !t->name || !t->path || !t->schema) return LODE_NOMEM;
  t->schema->db = CONN_DB_TEMP;
  /* Concurrent transactions are the main database's. */
  return conn_mvcc_attach(db, m);
}

int conn_db_close_main(lode *db) {
  /* Before init or after a failed open dbs[0] does not mirror them yet. */
  int rc = close_storage(&db->dbs[CONN_DB_MAIN], db->bt, db->pager);
  db->bt = NULL;
  db->pager = NULL;
  return rc;
}

/* Database i's schema read again for ALTER TABLE after its rows were
** written directly (PRAGMA writable_schema), the cookie unchanged.  SQLite's
** ALTER checks the stored texts with the schema it has: a text it cannot
** take fails the ALTER ("error in index x1i: no such column: j") and the
** schema stays as it was, the statements that follow using it. */
static int reload_edited_schema(lode *db, ConnDb *d) {
  char *err = NULL, *bad = NULL, *why = NULL;
  Schema *fresh = schema_new();
  if (!fresh) return conn_error(db, LODE_NOMEM, NULL);
  fresh->db = d->schema->db;
  int rc = schema_load_explained(fresh, d->bt, &err, &bad, &why);
  if (rc == LODE_OK) {
    db->schema_gen++; /* statements compiled against the objects freed here must compile again */
    schema_clear(d->schema);
    *d->schema = *fresh;
  } else if (bad) {
    conn_error(db, LODE_ERROR, "error in %s: %s", bad, why);
    rc = LODE_ERROR;
  } else if (rc == LODE_CORRUPT) {
    conn_error(db, rc, NULL); /* SQLite finds such a row corrupt as it rewrites it, naming no object */
  } else {
    conn_error_take(db, rc, err);
    err = NULL;
  }
  if (rc != LODE_OK) schema_clear(fresh);
  util_free(fresh);
  util_free(err);
  util_free(bad);
  util_free(why);
  return rc;
}

/* Reloads database i's schema when its cookie changed (or, with
** reload_edited, when its rows were written directly); *reloaded is set
** when it did. */
static int ensure_db_schema(lode *db, int i, int reload_edited, int *reloaded) {
  ConnDb *d = &db->dbs[i];
  int rc, opened = 0;
  uint32_t cookie = 0;
  char *err = NULL;
  if (!d->bt) return LODE_OK; /* temp not opened: nothing in it */
  if (d->txn == CONN_TXN_NONE) {
    rc = btree_begin_read(d->bt);
    if (rc != LODE_OK) return conn_error(db, rc, NULL);
    opened = 1;
  }
  rc = btree_get_meta(d->bt, BTREE_META_SCHEMA_COOKIE, &cookie);
  int edited = rc == LODE_OK && reload_edited && d->schema->edited && d->schema->loaded && cookie == d->schema->cookie;
  if (edited && !db->settings[CONN_SET_WRITABLE_SCHEMA]) {
    *reloaded = 1;
    rc = reload_edited_schema(db, d);
  } else if (rc == LODE_OK &&
             (!d->schema->loaded || cookie != d->schema->cookie || (reload_edited && d->schema->edited))) {
    /* Statements compiled against the objects freed here must compile again. */
    if (d->schema->loaded && cookie == d->schema->cookie) db->schema_gen++;
    *reloaded = 1;
    schema_clear(d->schema);
    rc = schema_load(d->schema, d->bt, db->settings[CONN_SET_WRITABLE_SCHEMA] != 0, &err);
    if (rc != LODE_OK) {
      schema_clear(d->schema);
      conn_error_take(db, rc, err);
      err = NULL;
    }
  } else if (rc != LODE_OK) {
    conn_error(db, rc, NULL);
  }
  if (opened) btree_end_read(d->bt);
  util_free(err);
  return rc;
}

static int ensure_schemas(lode *db, int reload_edited, int *reloaded) {
  int rc = LODE_OK, any = 0;
  if (!db->bt) return conn_error(db, LODE_MISUSE, "%s", "database is not open");
  for (int i = 0; i < db->ndb && rc == LODE_OK; i++) rc = ensure_db_schema(db, i, reload_edited, &any);
  if (reloaded) *reloaded = any;
  return rc;
}

int conn_ensure_schema(lode *db) { return ensure_schemas(db, 0, NULL); }

int conn_ensure_schema_stored(lode *db) { return ensure_schemas(db, 1, NULL); }

int conn_refresh_schema(lode *db, int *reloaded) { return ensure_schemas(db, 0, reloaded); }

int conn_schema_loaded(const lode *db) {
  /* With databases attached an unqualified name is looked up in several
  ** schemas, and a program verifies only the databases it uses: a table
  ** another connection added to a database searched first would go unseen. */
  if (!db->bt || db->ndb > 2) return 0;
  for (int i = 0; i < db->ndb; i++)
    if (db->dbs[i].bt && !db->dbs[i].schema->loaded) return 0;
  return 1;
}
