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

#include "capi/api.h"
#include "capi/uri.h"
#include "util/util.h"

int conn_db_find(const lode *db, const char *name) {
  if (!name) return -1;
  for (int i = 0; i < db->ndb; i++)
    if (db->dbs[i].name && util_stricmp(db->dbs[i].name, name) == 0) return i;
  return -1;
}

void conn_txn_sync(lode *db) {
  int txn = CONN_TXN_NONE;
  for (int i = 0; i < db->ndb; i++)
    if (db->dbs[i].bt && db->dbs[i].txn > txn) txn = db->dbs[i].txn;
  db->txn = txn;
}

static int open_pager(const char *path, int flags, Pager **pager, Btree **bt) {
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
    rc = schema_load(d->schema, d->bt, &err);
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
  int rc = open_pager(NULL, PAGER_OPEN_CREATE, &d->pager, &d->bt);
  if (rc != LODE_OK) return conn_error(db, rc, NULL);
  return load_schema(db, d); /* empty: its schema table alone */
}

static void close_db(ConnDb *d) {
  if (d->bt) {
    if (d->txn == CONN_TXN_WRITE) btree_rollback(d->bt);
    if (d->txn != CONN_TXN_NONE) btree_end_read(d->bt);
    btree_close(d->bt);
  }
  if (d->pager) pager_close(d->pager);
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
  int flags = (db->open_uri ? LODE_OPEN_URI : 0) | (db->readonly ? LODE_OPEN_READONLY : LODE_OPEN_READWRITE | LODE_OPEN_CREATE);
  rc = uri_parse(path, flags, &uri, &err);
  if (rc != LODE_OK) {
    if (err) return conn_error_take(db, rc, err);
    return conn_error(db, rc, NULL);
  }
  int memory = uri.memory || !uri.path || !uri.path[0] || strcmp(uri.path, ":memory:") == 0;
  int pager_flags = 0;
  if (uri.flags & LODE_OPEN_READONLY) pager_flags |= PAGER_OPEN_READONLY;
  if (uri.flags & LODE_OPEN_CREATE) pager_flags |= PAGER_OPEN_CREATE;
  ConnDb *d = &db->dbs[db->ndb];
  memset(d, 0, sizeof *d);
  d->name = util_strdup(name);
  d->path = memory ? util_strdup("") : absolute_path(uri.path);
  d->schema = schema_new();
  d->readonly = (uri.flags & LODE_OPEN_READONLY) != 0;
  if (!d->name || !d->path || !d->schema) rc = LODE_NOMEM;
  else rc = open_pager(memory ? NULL : uri.path, pager_flags, &d->pager, &d->bt);
  util_free(uri.path);
  if (rc != LODE_OK) {
    close_db(d);
    if (rc != LODE_CANTOPEN) return conn_error(db, rc, NULL);
    return conn_error(db, rc, "unable to open database: %s", path);
  }
  d->schema->db = db->ndb;
  pager_set_busy_timeout(d->pager, db->busy_timeout);
  pager_set_autocheckpoint(d->pager, db->settings[CONN_SET_WAL_AUTOCHECKPOINT]);
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
