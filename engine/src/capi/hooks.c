/*
** hooks.c — the connection's callbacks of the sqlite3 API: busy handler,
** progress handler, tracing, commit/rollback/update hooks, client data;
** and the ConnApi that holds them (api.h).
**
** The VM calls conn_hook_* only when db->api is set (conn.h), so that a
** connection without callbacks pays one pointer test per change.
*/
#include <string.h>

#include "capi/api.h"
#include "util/util.h"

struct ClientData {
  ClientData *next;
  char *name;
  void *data;
  void (*destroy)(void *);
};

ConnApi *conn_api(lode *db) {
  if (!db->api) db->api = util_zalloc(sizeof(ConnApi));
  return db->api;
}

void conn_api_free(lode *db) {
  ConnApi *a = db->api;
  if (!a) return;
  while (a->clientdata) {
    ClientData *c = a->clientdata;
    a->clientdata = c->next;
    if (c->destroy) c->destroy(c->data);
    util_free(c->name);
    util_free(c);
  }
  coll_set_free(db->colls); /* only the sqlite3 API defines collations, and it made db->api then */
  db->colls = NULL;
  api_loadext_close(db); /* last: the destructors above may be the libraries' code */
  util_free(a->errmsg16);
  api_preupdate_free(a);
  util_free(a);
  db->api = NULL;
  db->preupdate_on = 0;
}

/* ---- called by the VM ------------------------------------------------------------------------------------- */

int api_hook_commit(lode *db) { return db->api->commit ? db->api->commit(db->api->commit_arg) : 0; }

void api_hook_rollback(lode *db) {
  if (db->api->rollback) db->api->rollback(db->api->rollback_arg);
}

const Table *api_table_of_root(lode *db, int dbi, uint32_t root) {
  if (dbi < 0 || dbi >= db->ndb || !db->dbs[dbi].schema) return NULL;
  const Schema *s = db->dbs[dbi].schema;
  for (int i = 0; i < s->ntables; i++)
    if (s->tables[i]->root == root) return s->tables[i];
  return NULL;
}

void api_hook_update(lode *db, int op, int dbi, uint32_t root, int64_t rowid) {
  ConnApi *a = db->api;
  if (!a->update) return;
  const Table *t = api_table_of_root(db, dbi, root);
  /* SQLite reports no changes of its own tables (sqlite_sequence, …). */
  if (!t || util_strnicmp(t->name, "sqlite_", 7) == 0) return;
  a->update(a->update_arg, op, db->dbs[dbi].name, t->name, rowid);
}

/* As SQLite: once for every progress_n ops run since the last check (a
** check comes at a jump back, after any number of ops). */
int api_hook_progress(lode *db, uint32_t seen, uint32_t now) {
  ConnApi *a = db->api;
  if (!a->progress || a->progress_n <= 0) return 0;
  for (uint32_t due = now / (uint32_t)a->progress_n - seen / (uint32_t)a->progress_n; due > 0; due--) {
    if (!a->progress || a->progress_n <= 0) return 0; /* the handler removed itself */
    if (a->progress(a->progress_arg) != 0) return 1;
  }
  return 0;
}

/* ---- set by the program --------------------------------------------------------------------------------- */

void lode_progress_handler(lode *db, int n, int (*handler)(void *), void *arg) {
  sqlite3_progress_handler(db, n, handler, arg);
}

void sqlite3_progress_handler(sqlite3 *db, int n, int (*handler)(void *), void *arg) {
  ConnApi *a;
  if (!db || db->magic != CONN_MAGIC_OPEN) return;
  if (n <= 0 || !handler) {
    if (db->api) db->api->progress = NULL;
    db->progress_on = 0;
    return;
  }
  if (!(a = conn_api(db))) return;
  db->progress_on = 1;
  a->progress = handler;
  a->progress_arg = arg;
  a->progress_n = n;
}

int sqlite3_trace_v2(sqlite3 *db, unsigned mask, int (*cb)(unsigned, void *, void *, void *), void *arg) {
  ConnApi *a;
  if (!db || db->magic != CONN_MAGIC_OPEN) return SQLITE_MISUSE;
  if (!(a = conn_api(db))) return SQLITE_NOMEM;
  if (!cb) mask = 0;
  a->trace_mask = mask;
  a->trace = mask ? cb : NULL;
  a->trace_arg = arg;
  return SQLITE_OK;
}

void *sqlite3_trace(sqlite3 *db, void (*cb)(void *, const char *), void *arg) {
  ConnApi *a;
  void *old;
  if (!db || db->magic != CONN_MAGIC_OPEN || !(a = conn_api(db))) return NULL;
  old = a->trace_legacy_arg;
  a->trace_legacy = cb;
  a->trace_legacy_arg = arg;
  return old;
}

void *sqlite3_profile(sqlite3 *db, void (*cb)(void *, const char *, sqlite3_uint64), void *arg) {
  ConnApi *a;
  void *old;
  if (!db || db->magic != CONN_MAGIC_OPEN || !(a = conn_api(db))) return NULL;
  old = a->profile_arg;
  a->profile = cb;
  a->profile_arg = arg;
  return old;
}

void *sqlite3_commit_hook(sqlite3 *db, int (*cb)(void *), void *arg) {
  ConnApi *a;
  void *old;
  if (!db || db->magic != CONN_MAGIC_OPEN || !(a = conn_api(db))) return NULL;
  old = a->commit_arg;
  a->commit = cb;
  a->commit_arg = arg;
  return old;
}

void *sqlite3_rollback_hook(sqlite3 *db, void (*cb)(void *), void *arg) {
  ConnApi *a;
  void *old;
  if (!db || db->magic != CONN_MAGIC_OPEN || !(a = conn_api(db))) return NULL;
  old = a->rollback_arg;
  a->rollback = cb;
  a->rollback_arg = arg;
  return old;
}

void *sqlite3_update_hook(sqlite3 *db, void (*cb)(void *, int, const char *, const char *, sqlite3_int64),
                          void *arg) {
  ConnApi *a;
  void *old;
  if (!db || db->magic != CONN_MAGIC_OPEN || !(a = conn_api(db))) return NULL;
  old = a->update_arg;
  a->update = cb;
  a->update_arg = arg;
  db->update_hook_on = cb != NULL;
  return old;
}

void *sqlite3_get_clientdata(sqlite3 *db, const char *name) {
  if (!db || db->magic != CONN_MAGIC_OPEN || !db->api || !name) return NULL;
  for (ClientData *c = db->api->clientdata; c; c = c->next)
    if (strcmp(c->name, name) == 0) return c->data;
  return NULL;
}

int sqlite3_set_clientdata(sqlite3 *db, const char *name, void *data, void (*destroy)(void *)) {
  ConnApi *a;
  ClientData **pc, *c;
  if (!db || db->magic != CONN_MAGIC_OPEN || !name) return SQLITE_MISUSE;
  if (!(a = conn_api(db))) return SQLITE_NOMEM;
  for (pc = &a->clientdata; *pc; pc = &(*pc)->next) {
    if (strcmp((*pc)->name, name) != 0) continue;
    c = *pc;
    if (c->destroy) c->destroy(c->data);
    if (!data) {
      *pc = c->next;
      util_free(c->name);
      util_free(c);
      return SQLITE_OK;
    }
    c->data = data;
    c->destroy = destroy;
    return SQLITE_OK;
  }
  if (!data) return SQLITE_OK;
  c = util_zalloc(sizeof *c);
  if (!c || !(c->name = util_strdup(name))) {
    util_free(c);
    if (destroy) destroy(data);
    return SQLITE_NOMEM;
  }
  c->data = data;
  c->destroy = destroy;
  c->next = a->clientdata;
  a->clientdata = c;
  return SQLITE_OK;
}

const ConnUpcalls api_upcalls = {
    .commit = api_hook_commit,
    .rollback = api_hook_rollback,
    .update = api_hook_update,
    .preupdate = api_hook_preupdate,
    .progress = api_hook_progress,
    .vtab_table = api_vtab_table,
    .vtab_eponymous = api_vtab_eponymous,
    .vtab_find = api_vtab_find,
    .vtab_create = api_vtab_create,
    .vtab_destroy = api_vtab_destroy,
    .vtab_begin = api_vtab_begin,
    .vtab_sync = api_vtab_sync,
    .vtab_end = api_vtab_end,
    .vtab_savepoint = api_vtab_savepoint,
    .vtab_rename = api_vtab_rename,
    .vtab_schema_reset = api_vtab_schema_reset,
    .run_rows = api_run_rows,
    .vtab_shadow = api_vtab_shadow,
    .auth = api_auth_upcall,
};
