/*
** utf16.c — the UTF-16 forms of the sqlite3 API (open16, prepare16*,
** bind_text16, column_*16, value_text16*, result_text16*, errmsg16,
** create_function16/collation16, complete16).  Lode stores text as UTF-8;
** these calls convert at the boundary.
**
** Lifetimes follow SQLite where it matters: a statement's UTF-16 column
** texts stay valid until the row changes (step, reset, finalize: the
** statement's Utf16Cache, api_utf16_release), its column names until it is
** finalized, errmsg16 until the connection's next call that sets an error.
** A value's UTF-16 text inside a function call (value_text16) is kept in a
** small per-thread ring of buffers: valid until 16 more such conversions on
** the same thread, which covers the arguments of one call.
** SQLITE_UTF16 means native byte order (little-endian on the machines Lode
** builds for; checked at run time).
*/
#include <stdint.h>
#include <string.h>

#include "capi/api.h"
#include "util/util.h"

typedef struct Utf16Cache {
  int n;             /* columns the arrays cover */
  uint16_t **texts;  /* current row: column_text16 */
  uint16_t **names;  /* 5 per column: name, decltype, database, table, origin */
} Utf16Cache;

#define NAME_KINDS 5

static int native_be(void) {
  const uint16_t one = 1;
  return *(const uint8_t *)&one == 0;
}

static int is_be(int enc) { return enc == SQLITE_UTF16BE || (enc != SQLITE_UTF16LE && native_be()); }

/* ---- conversions ------------------------------------------------------------------------------------------ */

char *api_utf16_to_utf8(const void *z, int64_t nbytes, int enc, int *out_len) {
  const uint8_t *p = z;
  int be = is_be(enc);
  int64_t units;
  StrBuf b;
  if (!z) return NULL;
  if (nbytes < 0) {
    for (units = 0; p[2 * units] || p[2 * units + 1]; units++) {
    }
  } else {
    units = nbytes / 2;
  }
  strbuf_init(&b);
  for (int64_t i = 0; i < units; i++) {
    uint32_t c = be ? (uint32_t)(p[2 * i] << 8 | p[2 * i + 1]) : (uint32_t)(p[2 * i + 1] << 8 | p[2 * i]);
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < units) {
      uint32_t lo = be ? (uint32_t)(p[2 * i + 2] << 8 | p[2 * i + 3]) : (uint32_t)(p[2 * i + 3] << 8 | p[2 * i + 2]);
      if (lo >= 0xDC00 && lo < 0xE000) {
        c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
        i++;
      } else {
        c = 0xFFFD;
      }
    } else if (c >= 0xD800 && c < 0xE000) {
      c = 0xFFFD;
    }
    char u[4];
    int n;
    if (c < 0x80) u[0] = (char)c, n = 1;
    else if (c < 0x800) u[0] = (char)(0xC0 | c >> 6), u[1] = (char)(0x80 | (c & 0x3F)), n = 2;
    else if (c < 0x10000)
      u[0] = (char)(0xE0 | c >> 12), u[1] = (char)(0x80 | ((c >> 6) & 0x3F)), u[2] = (char)(0x80 | (c & 0x3F)), n = 3;
    else
      u[0] = (char)(0xF0 | c >> 18), u[1] = (char)(0x80 | ((c >> 12) & 0x3F)), u[2] = (char)(0x80 | ((c >> 6) & 0x3F)),
      u[3] = (char)(0x80 | (c & 0x3F)), n = 4;
    strbuf_append(&b, u, (size_t)n);
  }
  strbuf_append(&b, "", 0);
  if (out_len) *out_len = (int)b.n;
  return strbuf_finish(&b);
}

/* UTF-8 z[0..n) (n < 0: to its NUL) as NUL-terminated UTF-16 in byte order
** enc; *units receives its length in code units. */
static uint16_t *utf8_to_utf16(const char *z, int n, int enc, int *units) {
  const uint8_t *p = (const uint8_t *)z;
  int be = is_be(enc), k = 0;
  if (n < 0) n = (int)strlen(z);
  uint16_t *out = util_malloc(sizeof(uint16_t) * ((size_t)n + 1));
  if (!out) return NULL;
  for (int i = 0; i < n;) {
    uint32_t c = p[i];
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (i + len > n || (c >= 0x80 && c < 0xC0)) {
      c = 0xFFFD, len = 1;
    } else if (len > 1) {
      c &= 0xFF >> (len + 1);
      for (int j = 1; j < len; j++) c = c << 6 | (p[i + j] & 0x3F);
    }
    i += len;
    uint16_t w[2];
    int nw = 1;
    if (c >= 0x10000) {
      c -= 0x10000;
      w[0] = (uint16_t)(0xD800 + (c >> 10)), w[1] = (uint16_t)(0xDC00 + (c & 0x3FF)), nw = 2;
    } else {
      w[0] = (uint16_t)c;
    }
    for (int j = 0; j < nw; j++) {
      uint8_t *o = (uint8_t *)&out[k++];
      o[be ? 0 : 1] = (uint8_t)(w[j] >> 8);
      o[be ? 1 : 0] = (uint8_t)w[j];
    }
  }
  out[k] = 0;
  if (units) *units = k;
  return out;
}

/* Code units of the UTF-16 form of UTF-8 z[0..n). */
static int utf16_units(const char *z, int n) {
  int units = 0;
  for (int i = 0; i < n; i++) {
    uint8_t c = (uint8_t)z[i];
    if ((c & 0xC0) != 0x80) units += c >= 0xF0 ? 2 : 1;
  }
  return units;
}

static int units_len(const uint16_t *z) {
  int n = 0;
  while (z[n]) n++;
  return n;
}

/* ---- statement caches -------------------------------------------------------------------------------------- */

static Utf16Cache *stmt_cache(sqlite3_stmt *s) {
  Utf16Cache *c = s->text16;
  int n = vdbe_ncols(s->vdbe);
  if (c && c->n >= n) return c;
  if (c) api_utf16_release(s, 1);
  c = util_zalloc(sizeof *c);
  if (!c) return NULL;
  c->texts = util_zalloc(sizeof *c->texts * (size_t)(n ? n : 1));
  c->names = util_zalloc(sizeof *c->names * (size_t)(n ? n : 1) * NAME_KINDS);
  if (!c->texts || !c->names) {
    util_free(c->texts);
    util_free(c->names);
    util_free(c);
    return NULL;
  }
  c->n = n;
  s->text16 = c;
  return c;
}

void api_utf16_release(sqlite3_stmt *s, int all) {
  Utf16Cache *c = s ? s->text16 : NULL;
  if (!c) return;
  for (int i = 0; i < c->n; i++) {
    util_free(c->texts[i]);
    c->texts[i] = NULL;
  }
  if (!all) return;
  for (int i = 0; i < c->n * NAME_KINDS; i++) util_free(c->names[i]);
  util_free(c->texts);
  util_free(c->names);
  util_free(c);
  s->text16 = NULL;
}

static const void *cached_name(sqlite3_stmt *s, int i, int kind, const char *z) {
  Utf16Cache *c;
  if (!z || !(c = stmt_cache(s)) || i < 0 || i >= c->n) return NULL;
  uint16_t **slot = &c->names[i * NAME_KINDS + kind];
  if (!*slot) *slot = utf8_to_utf16(z, -1, SQLITE_UTF16, NULL);
  return *slot;
}

const void *sqlite3_column_name16(sqlite3_stmt *s, int i) {
  return cached_name(s, i, 0, sqlite3_column_name(s, i));
}
const void *sqlite3_column_decltype16(sqlite3_stmt *s, int i) {
  return cached_name(s, i, 1, sqlite3_column_decltype(s, i));
}
const void *sqlite3_column_database_name16(sqlite3_stmt *s, int i) {
  return cached_name(s, i, 2, sqlite3_column_database_name(s, i));
}
const void *sqlite3_column_table_name16(sqlite3_stmt *s, int i) {
  return cached_name(s, i, 3, sqlite3_column_table_name(s, i));
}
const void *sqlite3_column_origin_name16(sqlite3_stmt *s, int i) {
  return cached_name(s, i, 4, sqlite3_column_origin_name(s, i));
}

const void *sqlite3_column_text16(sqlite3_stmt *s, int i) {
  const unsigned char *z = sqlite3_column_text(s, i);
  Utf16Cache *c;
  if (!z || !(c = stmt_cache(s)) || i >= c->n) return NULL;
  if (!c->texts[i]) c->texts[i] = utf8_to_utf16((const char *)z, sqlite3_column_bytes(s, i), SQLITE_UTF16, NULL);
  return c->texts[i];
}

int sqlite3_column_bytes16(sqlite3_stmt *s, int i) {
  const uint16_t *z = sqlite3_column_text16(s, i);
  return z ? 2 * units_len(z) : 0;
}

/* ---- values inside function calls ----------------------------------------------------------------------- */

#define RING 16
static _Thread_local uint16_t *ring[RING];
static _Thread_local int ring_next;

static const void *ring_keep(uint16_t *z) {
  util_free(ring[ring_next]);
  ring[ring_next] = z;
  ring_next = (ring_next + 1) % RING;
  return z;
}

static const void *value_text16(sqlite3_value *v, int enc) {
  const unsigned char *z = sqlite3_value_text(v);
  if (!z) return NULL;
  uint16_t *w = utf8_to_utf16((const char *)z, sqlite3_value_bytes(v), enc, NULL);
  return w ? ring_keep(w) : NULL;
}

const void *sqlite3_value_text16(sqlite3_value *v) { return value_text16(v, SQLITE_UTF16); }
const void *sqlite3_value_text16le(sqlite3_value *v) { return value_text16(v, SQLITE_UTF16LE); }
const void *sqlite3_value_text16be(sqlite3_value *v) { return value_text16(v, SQLITE_UTF16BE); }

int sqlite3_value_bytes16(sqlite3_value *v) {
  const unsigned char *z = sqlite3_value_text(v);
  return z ? 2 * utf16_units((const char *)z, sqlite3_value_bytes(v)) : 0;
}

static void result_text16(sqlite3_context *ctx, const void *z, int n, void (*d)(void *), int enc) {
  int len = 0;
  char *u = z ? api_utf16_to_utf8(z, n, enc, &len) : NULL;
  if (d != SQLITE_STATIC && d != SQLITE_TRANSIENT && z) d((void *)z);
  if (!ctx) {
    util_free(u);
    return;
  }
  if (!z) sqlite3_result_null(ctx);
  else if (!u) sqlite3_result_error_nomem(ctx);
  else sqlite3_result_text(ctx, u, len, util_free);
}

void sqlite3_result_text16(sqlite3_context *ctx, const void *z, int n, void (*d)(void *)) {
  result_text16(ctx, z, n, d, SQLITE_UTF16);
}
void sqlite3_result_text16le(sqlite3_context *ctx, const void *z, int n, void (*d)(void *)) {
  result_text16(ctx, z, n, d, SQLITE_UTF16LE);
}
void sqlite3_result_text16be(sqlite3_context *ctx, const void *z, int n, void (*d)(void *)) {
  result_text16(ctx, z, n, d, SQLITE_UTF16BE);
}

void sqlite3_result_error16(sqlite3_context *ctx, const void *msg, int n) {
  char *u = api_utf16_to_utf8(msg, n, SQLITE_UTF16, NULL);
  sqlite3_result_error(ctx, u ? u : "out of memory", -1);
  util_free(u);
}

/* ---- connections and statements ------------------------------------------------------------------------- */

int sqlite3_open16(const void *filename, sqlite3 **ppDb) {
  char *u;
  int rc;
  if (!ppDb) return SQLITE_MISUSE;
  *ppDb = NULL;
  if (!filename) filename = u"";
  u = api_utf16_to_utf8(filename, -1, SQLITE_UTF16, NULL);
  if (!u) return SQLITE_NOMEM;
  rc = sqlite3_open(u, ppDb);
  util_free(u);
  return rc;
}

const void *sqlite3_errmsg16(sqlite3 *db) {
  static const uint16_t oom[] = u"out of memory";
  static const uint16_t misuse[] = u"bad parameter or other API misuse";
  if (!db) return oom;
  if (db->magic != CONN_MAGIC_OPEN) return misuse;
  ConnApi *a = conn_api(db);
  if (!a) return oom;
  util_free(a->errmsg16);
  a->errmsg16 = utf8_to_utf16(sqlite3_errmsg(db), -1, SQLITE_UTF16, NULL);
  return a->errmsg16 ? a->errmsg16 : oom;
}

static int prepare16(sqlite3 *db, const void *sql, int nbyte, unsigned flags, sqlite3_stmt **ppStmt,
                     const void **tail) {
  const char *tail8 = NULL;
  char *u;
  int len, rc;
  if (ppStmt) *ppStmt = NULL;
  if (tail) *tail = NULL;
  if (!db || db->magic != CONN_MAGIC_OPEN || !sql) return SQLITE_MISUSE;
  u = api_utf16_to_utf8(sql, nbyte, SQLITE_UTF16, &len);
  if (!u) return conn_error(db, SQLITE_NOMEM, NULL);
  rc = sqlite3_prepare_v3(db, u, len, flags, ppStmt, &tail8);
  /* the tail in the caller's text: as many code units in as were compiled */
  if (tail) *tail = (const uint16_t *)sql + utf16_units(u, tail8 ? (int)(tail8 - u) : len);
  util_free(u);
  return rc;
}

int sqlite3_prepare16(sqlite3 *db, const void *sql, int n, sqlite3_stmt **ppStmt, const void **tail) {
  return prepare16(db, sql, n, 0, ppStmt, tail);
}
int sqlite3_prepare16_v2(sqlite3 *db, const void *sql, int n, sqlite3_stmt **ppStmt, const void **tail) {
  return prepare16(db, sql, n, 0, ppStmt, tail);
}
int sqlite3_prepare16_v3(sqlite3 *db, const void *sql, int n, unsigned f, sqlite3_stmt **ppStmt, const void **tail) {
  return prepare16(db, sql, n, f, ppStmt, tail); /* the flags as sqlite3_prepare_v3 reads them */
}

int sqlite3_bind_text16(sqlite3_stmt *s, int i, const void *z, int n, void (*d)(void *)) {
  return sqlite3_bind_text64(s, i, z, n < 0 ? (sqlite3_uint64)-1 : (sqlite3_uint64)n, d, SQLITE_UTF16);
}

/* bind_text64 with a UTF-16 encoding (sqlite3_api.c sends it here). */
int api_bind_utf16(sqlite3_stmt *s, int i, const void *z, int64_t nbytes, void (*d)(void *), int enc) {
  int len = 0, rc;
  char *u = z ? api_utf16_to_utf8(z, nbytes, enc, &len) : NULL;
  if (d != SQLITE_STATIC && d != SQLITE_TRANSIENT && z) d((void *)z);
  if (!z) return sqlite3_bind_null(s, i);
  if (!u) return conn_error(s->db, SQLITE_NOMEM, NULL);
  rc = sqlite3_bind_text(s, i, u, len, SQLITE_TRANSIENT);
  util_free(u);
  return rc;
}

int sqlite3_complete16(const void *sql) {
  char *u = api_utf16_to_utf8(sql, -1, SQLITE_UTF16, NULL);
  int rc = u ? sqlite3_complete(u) : SQLITE_NOMEM;
  util_free(u);
  return rc;
}

int sqlite3_create_function16(sqlite3 *db, const void *name, int nargs, int enc, void *app,
                              void (*xFunc)(sqlite3_context *, int, sqlite3_value **),
                              void (*xStep)(sqlite3_context *, int, sqlite3_value **),
                              void (*xFinal)(sqlite3_context *)) {
  char *u = name ? api_utf16_to_utf8(name, -1, SQLITE_UTF16, NULL) : NULL;
  int rc = sqlite3_create_function(db, u, nargs, enc, app, xFunc, xStep, xFinal);
  util_free(u);
  return rc;
}

void *api_utf8_to_utf16(const char *z) { return utf8_to_utf16(z, -1, SQLITE_UTF16, NULL); }

int sqlite3_create_collation16(sqlite3 *db, const void *name, int enc, void *arg,
                               int (*cmp)(void *, int, const void *, int, const void *)) {
  char *u = name ? api_utf16_to_utf8(name, -1, SQLITE_UTF16, NULL) : NULL;
  int rc = sqlite3_create_collation(db, u, enc, arg, cmp);
  util_free(u);
  return rc;
}
