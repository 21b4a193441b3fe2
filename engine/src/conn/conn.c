/*
** conn.c — error state of a connection (struct lode in conn.h), its stack
** of savepoint names, the table of its plain PRAGMA settings, and the reuse
** of closed connection and finalized statement handles.
*/
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conn/conn_int.h"
#include "util/util.h"

#define CONN_SETTING_ROW(id, name, dflt, kind) {name, dflt, CONN_SETTING_##kind},
const ConnSettingInfo conn_setting_info[CONN_SETTING_COUNT] = {CONN_SETTINGS(CONN_SETTING_ROW)};
#undef CONN_SETTING_ROW

int conn_setting_find(const char *name) {
  for (int i = 0; i < CONN_SETTING_COUNT; i++)
    if (util_stricmp(conn_setting_info[i].name, name) == 0) return i;
  return -1;
}

/* SQLite's maximums, the defaults: the limits can only be lowered. */
static const int limit_max[LODE_NLIMITS] = {
    [LODE_LIMIT_LENGTH] = 1000000000,        [LODE_LIMIT_SQL_LENGTH] = 1000000000,
    [LODE_LIMIT_COLUMN] = 2000,              [LODE_LIMIT_EXPR_DEPTH] = 1000,
    [LODE_LIMIT_COMPOUND_SELECT] = 500,      [LODE_LIMIT_VDBE_OP] = 250000000,
    [LODE_LIMIT_FUNCTION_ARG] = 1000,        [LODE_LIMIT_ATTACHED] = 10,
    [LODE_LIMIT_LIKE_PATTERN_LENGTH] = 50000, [LODE_LIMIT_VARIABLE_NUMBER] = 32766,
    [LODE_LIMIT_TRIGGER_DEPTH] = 1000,       [LODE_LIMIT_WORKER_THREADS] = 8,
};

void conn_limits_init(lode *db) { memcpy(db->limits, limit_max, sizeof limit_max); }

int conn_limit_max(int id) { return id >= 0 && id < LODE_NLIMITS ? limit_max[id] : -1; }

void conn_drop_error_message(lode *db) {
  util_free(db->errmsg);
  db->errmsg = NULL;
}

int conn_error_take(lode *db, int rc, char *msg) {
  db->err_offset = -1;
  util_free(db->errmsg);
  db->errmsg = msg;
  db->errcode = rc;
  return rc;
}

int conn_error(lode *db, int rc, const char *fmt, ...) {
  char *msg = NULL;
  if (fmt) {
    StrBuf b;
    va_list ap;
    char tmp[512];
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    strbuf_init(&b);
    strbuf_appendz(&b, tmp);
    msg = strbuf_finish(&b);
  }
  return conn_error_take(db, rc, msg);
}

void conn_savepoints_pop(lode *db, int keep) {
  while (db->nsavepoint > keep) util_free(db->savepoints[--db->nsavepoint]);
  if (keep == 0) db->txn_savepoint = 0;
}

int conn_savepoint_push(lode *db, const char *name) {
  char *copy;
  if (db->nsavepoint == db->savepoint_cap) {
    int cap = db->savepoint_cap ? db->savepoint_cap * 2 : 4;
    char **grown = util_realloc(db->savepoints, sizeof *grown * (size_t)cap);
    if (!grown) return LODE_NOMEM;
    db->savepoints = grown;
    int64_t *fk = util_realloc(db->savepoint_fk, sizeof *fk * 2 * (size_t)cap);
    if (!fk) return LODE_NOMEM;
    db->savepoint_fk = fk;
    db->savepoint_cap = cap;
  }
  copy = util_strdup(name);
  if (!copy) return LODE_NOMEM;
  db->savepoint_fk[2 * db->nsavepoint] = db->fk_deferred[0];
  db->savepoint_fk[2 * db->nsavepoint + 1] = db->fk_deferred[1];
  db->savepoints[db->nsavepoint++] = copy;
  return LODE_OK;
}

int conn_savepoint_find(const lode *db, const char *name) {
  for (int i = db->nsavepoint - 1; i >= 0; i--)
    if (util_stricmp(db->savepoints[i], name) == 0) return i;
  return -1;
}

/* ---- connection handle reuse (see conn_alloc in conn.h) ------------------------------- */

static pthread_mutex_t handles_lock = PTHREAD_MUTEX_INITIALIZER;
static lode *free_conns;      /* chained through their errmsg field */

lode *conn_alloc(void) {
  lode *db;
  pthread_mutex_lock(&handles_lock);
  db = free_conns;
  if (db) free_conns = (lode *)(void *)db->errmsg;
  pthread_mutex_unlock(&handles_lock);
  if (db) memset(db, 0, sizeof *db);
  else db = util_zalloc(sizeof *db);
  if (db) {
    db->magic = CONN_MAGIC_OPEN;
    db->err_offset = -1;
    conn_limits_init(db);
  }
  return db;
}

void conn_release(lode *db) {
  memset(db, 0, sizeof *db);
  db->magic = CONN_MAGIC_CLOSED;
  pthread_mutex_lock(&handles_lock);
  db->errmsg = (char *)(void *)free_conns;
  free_conns = db;
  pthread_mutex_unlock(&handles_lock);
}
