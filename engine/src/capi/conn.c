/*
** conn.c — error state of a connection (struct lode in conn.h).
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
