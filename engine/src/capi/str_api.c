/*
** str_api.c — sqlite3_str, SQLite's dynamic string: text appended piece by
** piece (printf-style through sqlite3_vmprintf), handed over as one
** sqlite3_malloc'd string.  A failed allocation or a string longer than
** the connection's SQLITE_LIMIT_LENGTH sticks as the string's error code;
** later appends do nothing, and finish returns NULL.
*/
#include <string.h>

#include "capi/api.h"

struct sqlite3_str {
  char *z;        /* sqlite3_malloc'd, NUL-terminated when n > 0 */
  sqlite3_int64 n, cap;
  sqlite3_int64 max; /* longest allowed length */
  int err;           /* SQLITE_NOMEM or SQLITE_TOOBIG once either happened */
};

/* What sqlite3_str_new returns when it cannot allocate: always in error. */
static sqlite3_str out_of_memory = {NULL, 0, 0, 0, SQLITE_NOMEM};

sqlite3_str *sqlite3_str_new(sqlite3 *db) {
  sqlite3_str *s = sqlite3_malloc64(sizeof *s);
  if (!s) return &out_of_memory;
  memset(s, 0, sizeof *s);
  s->max = db && db->magic == CONN_MAGIC_OPEN ? sqlite3_limit(db, SQLITE_LIMIT_LENGTH, -1) : 1000000000;
  return s;
}

static int reserve(sqlite3_str *s, sqlite3_int64 more) {
  if (s->err) return 0;
  if (s->n + more > s->max) {
    s->err = SQLITE_TOOBIG;
    return 0;
  }
  if (s->n + more + 1 <= s->cap) return 1;
  sqlite3_int64 cap = s->cap ? s->cap * 2 : 100;
  while (cap < s->n + more + 1) cap *= 2;
  char *z = sqlite3_realloc64(s->z, (sqlite3_uint64)cap);
  if (!z) {
    s->err = SQLITE_NOMEM;
    return 0;
  }
  s->z = z;
  s->cap = cap;
  return 1;
}

void sqlite3_str_append(sqlite3_str *s, const char *z, int n) {
  if (!s || !z || n <= 0 || !reserve(s, n)) return;
  memcpy(s->z + s->n, z, (size_t)n);
  s->n += n;
  s->z[s->n] = 0;
}

void sqlite3_str_appendall(sqlite3_str *s, const char *z) {
  if (z) sqlite3_str_append(s, z, (int)strlen(z));
}

void sqlite3_str_appendchar(sqlite3_str *s, int n, char c) {
  if (!s || n <= 0 || !reserve(s, n)) return;
  memset(s->z + s->n, c, (size_t)n);
  s->n += n;
  s->z[s->n] = 0;
}

void sqlite3_str_vappendf(sqlite3_str *s, const char *fmt, va_list ap) {
  if (!s || !fmt || s->err) return;
  char *z = sqlite3_vmprintf(fmt, ap);
  if (!z) {
    s->err = SQLITE_NOMEM;
    return;
  }
  sqlite3_str_appendall(s, z);
  sqlite3_free(z);
}

void sqlite3_str_appendf(sqlite3_str *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sqlite3_str_vappendf(s, fmt, ap);
  va_end(ap);
}

void sqlite3_str_reset(sqlite3_str *s) {
  if (!s || s == &out_of_memory) return;
  sqlite3_free(s->z);
  s->z = NULL;
  s->n = s->cap = 0;
  s->err = 0;
}

void sqlite3_str_truncate(sqlite3_str *s, int n) {
  if (!s || s->err || n < 0 || n >= s->n) return;
  s->n = n;
  s->z[n] = 0;
}

int sqlite3_str_errcode(sqlite3_str *s) { return s ? s->err : SQLITE_NOMEM; }
int sqlite3_str_length(sqlite3_str *s) { return s && !s->err ? (int)s->n : 0; }
char *sqlite3_str_value(sqlite3_str *s) { return s && !s->err && s->n > 0 ? s->z : NULL; }

char *sqlite3_str_finish(sqlite3_str *s) {
  if (!s || s == &out_of_memory) return NULL;
  char *z = !s->err && s->n > 0 ? s->z : NULL;
  if (!z) sqlite3_free(s->z);
  sqlite3_free(s);
  return z;
}

void sqlite3_str_free(sqlite3_str *s) {
  if (!s || s == &out_of_memory) return;
  sqlite3_free(s->z);
  sqlite3_free(s);
}
