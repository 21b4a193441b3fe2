/*
** lode_ext.c — the lode.h names of what the sqlite3 API implements:
** application-defined functions, value and result calls, serialize,
** backup and loading an extension.  Each is the sqlite3_* function under its lode name, so the two
** APIs share one implementation (func_api.c, backup.c).
*/
#include "capi/api.h"

int lode_create_function(lode *db, const char *name, int nargs, int flags, void *app,
                         void (*xFunc)(lode_context *, int, lode_value **),
                         void (*xStep)(lode_context *, int, lode_value **), void (*xFinal)(lode_context *),
                         void (*xValue)(lode_context *), void (*xInverse)(lode_context *, int, lode_value **),
                         void (*xDestroy)(void *)) {
  int enc = SQLITE_UTF8 | (flags & (LODE_DETERMINISTIC | LODE_DIRECTONLY));
  if (xValue || xInverse)
    return sqlite3_create_window_function(db, name, nargs, enc, app, xStep, xFinal, xValue, xInverse, xDestroy);
  return sqlite3_create_function_v2(db, name, nargs, enc, app, xFunc, xStep, xFinal, xDestroy);
}

void *lode_user_data(lode_context *ctx) { return sqlite3_user_data(ctx); }
void *lode_aggregate_context(lode_context *ctx, int n) { return sqlite3_aggregate_context(ctx, n); }

int lode_value_type(lode_value *v) { return sqlite3_value_type(v); }
lode_int64 lode_value_int64(lode_value *v) { return sqlite3_value_int64(v); }
double lode_value_double(lode_value *v) { return sqlite3_value_double(v); }
const unsigned char *lode_value_text(lode_value *v) { return sqlite3_value_text(v); }
const void *lode_value_blob(lode_value *v) { return sqlite3_value_blob(v); }
int lode_value_bytes(lode_value *v) { return sqlite3_value_bytes(v); }

void lode_result_null(lode_context *ctx) { sqlite3_result_null(ctx); }
void lode_result_int64(lode_context *ctx, lode_int64 v) { sqlite3_result_int64(ctx, v); }
void lode_result_double(lode_context *ctx, double v) { sqlite3_result_double(ctx, v); }
void lode_result_text(lode_context *ctx, const char *z, int n, lode_destructor_type d) {
  sqlite3_result_text(ctx, z, n, d);
}
void lode_result_blob(lode_context *ctx, const void *p, int n, lode_destructor_type d) {
  sqlite3_result_blob(ctx, p, n, d);
}
void lode_result_error(lode_context *ctx, const char *msg, int n) { sqlite3_result_error(ctx, msg, n); }
void lode_result_error_code(lode_context *ctx, int rc) { sqlite3_result_error_code(ctx, rc); }

/* An empty database is an image of no bytes here, not a failure (SQLite's
** serialize gives no buffer for it). */
unsigned char *lode_serialize(lode *db, const char *schema, lode_int64 *size) {
  sqlite3_int64 n = -1;
  unsigned char *out = sqlite3_serialize(db, schema, &n, 0);
  if (!out && n == 0) out = sqlite3_malloc(1);
  if (size) *size = out ? n : -1;
  return out;
}

/* sqlite3_deserialize takes the buffer over only with FREEONCLOSE; without
** it the bytes are copied into the pager, so the caller keeps data. */
int lode_deserialize(lode *db, const char *schema, const unsigned char *data, lode_int64 size) {
  static unsigned char empty[1];
  return sqlite3_deserialize(db, schema, data ? (unsigned char *)data : empty, size, size, 0);
}

lode_backup *lode_backup_init(lode *dest, const char *dname, lode *src, const char *sname) {
  return sqlite3_backup_init(dest, dname, src, sname);
}
int lode_backup_step(lode_backup *b, int npages) { return sqlite3_backup_step(b, npages); }
int lode_backup_finish(lode_backup *b) { return sqlite3_backup_finish(b); }
int lode_backup_remaining(lode_backup *b) { return sqlite3_backup_remaining(b); }
int lode_backup_pagecount(lode_backup *b) { return sqlite3_backup_pagecount(b); }

/* A method is checked for its callbacks when an index binds to it.  db
** NULL: for every connection of the process, open or opened later. */
int lode_create_index_method(lode *db, const lode_index_method *m) {
  if (!m || !m->name || !m->name[0]) return LODE_MISUSE;
  if (util_stricmp(m->name, "backing_btree") == 0)
    return db ? conn_error(db, LODE_ERROR, "index method %s is reserved", m->name) : LODE_ERROR;
  int rc = conn_index_method_add(db, m);
  if (!db) return rc;
  if (rc != LODE_OK) return conn_error(db, rc, NULL);
  db->schema_gen++; /* compiled statements re-prepare and bind the new method */
  return LODE_OK;
}

void lode_config_log(void (*cb)(void *, int, const char *), void *arg) { api_set_logger(cb, arg); }

/* The C-level setting is turned on for the call and put back after: the
** application asked for this library, which is what the setting guards. */
int lode_load_extension(lode *db, const char *file, const char *entry) {
  int was = 0;
  if (!db || db->magic != CONN_MAGIC_OPEN) return SQLITE_MISUSE;
  int rc = api_config_load_extension(db, -1, &was);
  if (rc != SQLITE_OK) return rc;
  if (!was) (void)api_config_load_extension(db, 1, NULL);
  rc = sqlite3_load_extension(db, file, entry, NULL);
  if (!was) (void)api_config_load_extension(db, 0, NULL);
  return rc;
}
