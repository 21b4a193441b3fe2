/*
** conn.c — error state of a connection (struct lode in conn.h) and its
** stack of savepoint names.
*/
#include <stdarg.h>
#include <stdio.h>

#include "capi/conn.h"
#include "util/util.h"

void conn_clear_error(lode *db) {
  db->errcode = LODE_OK;
  util_free(db->errmsg);
  db->errmsg = NULL;
}

int conn_error_take(lode *db, int rc, char *msg) {
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
