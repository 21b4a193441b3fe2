/* lode_wasm.c — exports of the wasm build only, for js/wasm-driver.mjs: each
 * folds what would be several calls across the JS/wasm boundary (each with
 * its argument conversions) into one.  Built on the public API (lode.h).
 *
 *   lodew_bind       binds every parameter from a slot array: one call per
 *                    run instead of one per parameter, and a Number binds
 *                    as INTEGER without a BigInt made for it.
 *   lodew_step_row   steps, and on a row writes its columns into a slot
 *                    array (lodew_row) and checks the column names JS has
 *                    (lodew_names_same): one call per row instead of two or
 *                    three per column.
 *   lodew_run        steps to the end, resets, and reports changes and the
 *                    last rowid as doubles: one call per run().
 *   lodew_bind_run   lodew_bind, then lodew_run: one call for a run() with
 *                    its parameters (an INSERT's row).
 *   lodew_rows       steps up to a given count of rows and copies each into
 *                    a buffer (slots, then their text and blob bytes): one
 *                    call per batch of rows for all() and an iteration's
 *                    rows().
 *
 * A slot is 16 bytes: int32 tag, int32 byte count, 8-byte value.  Tags are
 * the LODE_* fundamental types, except that an integer stored as int64 is
 * LODEW_BIGINT (a row's INTEGER outside ±(2^53 - 1), which JS reads as a
 * BigInt; a bound BigInt); otherwise an INTEGER or FLOAT is a double (a
 * bound INTEGER's is integral and within [-2^63, 2^63), so it converts
 * exactly).  TEXT and BLOB put their pointer in the value's first four
 * bytes: a row's is valid until the statement steps or resets; a bound one's
 * bytes are copied (LODE_TRANSIENT).  A row's TEXT whose bytes are all ASCII
 * is tagged LODEW_ASCII, which JS may decode as Latin-1 (cheaper than UTF-8
 * and the same string for those bytes). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lode.h"
#include "sqlite3.h"
#include "../native/js_vtab_plan.h"

#define LODEW_BIGINT 6
#define LODEW_ASCII 7
/* lodew_rows: a row that does not fit an empty buffer (out[3] says how big
 * it must be) */
#define LODEW_GROW (-1)
#define MAX_EXACT ((lode_int64)9007199254740991) /* 2^53 - 1 */

typedef struct {
  int32_t tag;
  int32_t bytes;
  union {
    double f;
    lode_int64 i;
    uint32_t p;
  } v;
} lodew_slot;

_Static_assert(sizeof(lodew_slot) == 16, "JS reads slots as 16 bytes");

/* Binds parameters 1..n from slots[0..n-1]; the first failure's code. */
int lodew_bind(lode_stmt *stmt, const lodew_slot *slots, int n) {
  for (int i = 0; i < n; i++) {
    const lodew_slot *s = &slots[i];
    const void *p = (const void *)(uintptr_t)s->v.p;
    int rc;
    switch (s->tag) {
    case LODE_INTEGER:
      rc = lode_bind_int64(stmt, i + 1, (lode_int64)s->v.f);
      break;
    case LODEW_BIGINT:
      rc = lode_bind_int64(stmt, i + 1, s->v.i);
      break;
    case LODE_FLOAT:
      rc = lode_bind_double(stmt, i + 1, s->v.f);
      break;
    case LODE_TEXT:
      rc = lode_bind_text(stmt, i + 1, p, s->bytes, LODE_TRANSIENT);
      break;
    case LODE_BLOB:
      rc = lode_bind_blob(stmt, i + 1, p, s->bytes, LODE_TRANSIENT);
      break;
    default:
      rc = lode_bind_null(stmt, i + 1);
      break;
    }
    if (rc != LODE_OK) return rc;
  }
  return LODE_OK;
}

static int all_ascii(const unsigned char *p, int n) {
  unsigned char any = 0;
  for (int i = 0; i < n; i++) any |= p[i];
  return any < 0x80;
}

/* Column i of the current row into slot s. */
static void put_column(lode_stmt *stmt, int i, lodew_slot *s) {
  int type = lode_column_type(stmt, i);
  s->tag = type;
  s->bytes = 0;
  switch (type) {
  case LODE_INTEGER: {
    lode_int64 x = lode_column_int64(stmt, i);
    if (x > MAX_EXACT || x < -MAX_EXACT) {
      s->tag = LODEW_BIGINT;
      s->v.i = x;
    } else {
      s->v.f = (double)x;
    }
    break;
  }
  case LODE_FLOAT:
    s->v.f = lode_column_double(stmt, i);
    break;
  case LODE_TEXT: {
    /* text before bytes: the byte count is then that of the UTF-8 form */
    const unsigned char *p = lode_column_text(stmt, i);
    s->v.i = 0;
    s->v.p = (uint32_t)(uintptr_t)p;
    s->bytes = lode_column_bytes(stmt, i);
    if (p && all_ascii(p, s->bytes)) s->tag = LODEW_ASCII;
    break;
  }
  case LODE_BLOB:
    s->v.i = 0;
    s->v.p = (uint32_t)(uintptr_t)lode_column_blob(stmt, i);
    s->bytes = lode_column_bytes(stmt, i);
    break;
  default:
    s->v.i = 0;
    break;
  }
}

/* Writes the current row's first min(count, cap) columns into slots; returns
 * the statement's column count (a re-prepare may have changed it). */
int lodew_row(lode_stmt *stmt, lodew_slot *slots, int cap) {
  int n = lode_column_count(stmt);
  int m = n < cap ? n : cap;
  for (int i = 0; i < m; i++) put_column(stmt, i, &slots[i]);
  return n;
}

/* The current row's n columns as slots at *lo, their text and blob bytes
 * copied below *hi (the engine's own are gone at the next step); both move
 * past what was written.  0, with nothing moved, when [*lo, *hi) is too
 * small: *need is then what the row takes. */
static int copy_row(lode_stmt *stmt, int n, uint8_t **lo, uint8_t **hi, size_t *need) {
  lodew_slot *slots = (lodew_slot *)(void *)*lo;
  size_t room = (size_t)(*hi - *lo);
  size_t size = (size_t)n * sizeof(lodew_slot);
  if (size > room) {
    *need = size;
    return 0;
  }
  for (int i = 0; i < n; i++) {
    put_column(stmt, i, &slots[i]);
    if (slots[i].v.p) size += (size_t)slots[i].bytes;
  }
  if (size > room) {
    *need = size;
    return 0;
  }
  uint8_t *top = *hi;
  for (int i = 0; i < n; i++) {
    lodew_slot *s = &slots[i];
    if ((s->tag == LODE_TEXT || s->tag == LODEW_ASCII || s->tag == LODE_BLOB) && s->v.p) {
      top -= s->bytes;
      if (s->bytes) memcpy(top, (const void *)(uintptr_t)s->v.p, (size_t)s->bytes);
      s->v.p = (uint32_t)(uintptr_t)top;
    }
  }
  *lo += (size_t)n * sizeof(lodew_slot);
  *hi = top;
  return 1;
}

/* Steps up to max rows and copies each into buf (cap bytes, 8-aligned): row
 * after row of slots from its start, their bytes from its end down.  With
 * pending set the statement is already on a row not yet copied, which comes
 * first.  out[0] = rows copied, out[1] = column count, out[2] = 1 when the
 * statement was left on a row that did not fit (pending for the next call).
 * Returns LODE_ROW (max rows copied, or the buffer full), LODE_DONE (the rows
 * ran out; the statement is reset), LODEW_GROW (not one row fits: out[3] is
 * the size it needs; the row is pending), or the step's error (the rows
 * before it copied; the statement left as it failed, for its message). */
int lodew_rows(lode_stmt *stmt, uint8_t *buf, int cap, int max, int pending, int32_t *out) {
  uint8_t *lo = buf, *hi = buf + cap;
  int rows = 0, n = lode_column_count(stmt), rc = LODE_ROW, left = 0;
  size_t need = 0;
  /* out is written at the end only: a user function the step calls may run
   * a query of its own through the same out */
  while (rows < max) {
    if (!pending) {
      rc = lode_step(stmt);
      if (rc != LODE_ROW) break;
      /* the first step may have re-prepared the statement */
      if (rows == 0) n = lode_column_count(stmt);
    }
    pending = 0;
    if (!copy_row(stmt, n, &lo, &hi, &need)) {
      left = 1;
      if (rows == 0) rc = LODEW_GROW;
      break;
    }
    rows++;
  }
  if (rc == LODE_DONE) lode_reset(stmt);
  out[0] = rows;
  out[1] = n;
  out[2] = left;
  out[3] = rc == LODEW_GROW ? (need > INT32_MAX ? INT32_MAX : (int32_t)need) : 0;
  return rc;
}

/* Whether names holds the statement's column names: an int32 count, then
 * each name's UTF-8 bytes and a NUL (a NULL name as ""), as JS keeps them
 * with the strings it made of them (a re-prepare after a schema change may
 * have given the statement other columns). */
int lodew_names_same(lode_stmt *stmt, const uint8_t *names) {
  int32_t n;
  if (!names) return 0;
  memcpy(&n, names, sizeof n);
  if (n != lode_column_count(stmt)) return 0;
  const char *z = (const char *)names + sizeof n;
  for (int i = 0; i < n; i++) {
    const char *name = lode_column_name(stmt, i);
    if (!name) name = "";
    if (strcmp(z, name) != 0) return 0;
    z += strlen(z) + 1;
  }
  return 1;
}

/* lode_step; on LODE_ROW also lodew_row into slots, out[0] the column count
 * and out[1] lodew_names_same(names) (names NULL: 0). */
int lodew_step_row(lode_stmt *stmt, lodew_slot *slots, int cap, int32_t *out, const uint8_t *names) {
  int rc = lode_step(stmt);
  if (rc == LODE_ROW) {
    out[0] = lodew_row(stmt, slots, cap);
    out[1] = lodew_names_same(stmt, names);
  }
  return rc;
}

/* Steps to the end.  On LODE_DONE the statement is reset and out[0] is the
 * rows it changed (0 when the total did not move: lode_changes keeps the
 * last data-changing statement's count), out[1] the last insert rowid.  On
 * an error the statement is left as it failed, for its message. */
int lodew_run(lode_stmt *stmt, double *out) {
  lode *db = lode_db_handle(stmt);
  lode_int64 before = lode_total_changes(db);
  int rc;
  while ((rc = lode_step(stmt)) == LODE_ROW) {
  }
  if (rc != LODE_DONE) return rc;
  lode_reset(stmt);
  out[0] = lode_total_changes(db) == before ? 0 : (double)lode_changes(db);
  out[1] = (double)lode_last_insert_rowid(db);
  return rc;
}

/* Binds parameters 1..n from slots (none for n = 0), then lodew_run; a
 * failed bind's code, with nothing run. */
int lodew_bind_run(lode_stmt *stmt, const lodew_slot *slots, int n, double *out) {
  int rc = n > 0 ? lodew_bind(stmt, slots, n) : LODE_OK;
  return rc == LODE_OK ? lodew_run(stmt, out) : rc;
}

/* ---- virtual tables defined in JavaScript (Database.table) ---------------
 * The wasm counterpart of native/addon.c's: the same module, with its JS
 * work done by the hooks js/wasm-functions.mjs installs once
 * (lodew_vtab_hooks).  Modules, tables and cursors are known to JS by ids:
 *
 *   connect(module, db, vtab, argc, argv) → table id, 0 when the factory threw
 *       (it declares the table through lodew_declare_vtab, gives each
 *       parameter's name to lodew_vtab_param, and may call
 *       lodew_vtab_directonly)
 *   filter(table, idxNum, argc, argv) → cursor id on its first row, 0 for no
 *       row, -1 when the generator threw
 *   next(cursor) → 1 on a row, 0 at the end, -1 when the generator threw
 *   column(cursor, ctx, i) sets column i of the current row as the result
 *   forget(kind, id) drops a module (0), table (1) or cursor (2)
 *
 * A JS exception is kept by JS for the failing statement to rethrow; the
 * engine sees an error.  A parameter is constrained by = alone, and a plan
 * must give it (or leave it undefined when the query does not constrain it
 * at all); a NULL argument means no row. */
#define LODEW_VTAB_MAX_PARAMS JS_VTAB_MAX_PARAMS
#define LODEW_FORGET_MODULE 0
#define LODEW_FORGET_TABLE 1
#define LODEW_FORGET_CURSOR 2
#define LODEW_JS_FAILED "a virtual table defined in JavaScript raised an exception"

typedef struct {
  sqlite3_vtab base;
  int id;
  int nparams;
  char *params[LODEW_VTAB_MAX_PARAMS];
} lodew_vtab;

typedef struct {
  sqlite3_vtab_cursor base;
  int id; /* 0: no JS iterator */
  sqlite3_int64 rowid;
  int done;
} lodew_cursor;

static struct {
  int (*connect)(int module, sqlite3 *db, lodew_vtab *vtab, int argc, const char *const *argv);
  int (*filter)(int table, int idx, int argc, sqlite3_value **argv);
  int (*next)(int cursor);
  void (*column)(int cursor, sqlite3_context *ctx, int i);
  void (*forget)(int kind, int id);
} hooks;

void lodew_vtab_hooks(int (*connect)(int, sqlite3 *, lodew_vtab *, int, const char *const *),
                      int (*filter)(int, int, int, sqlite3_value **), int (*next)(int),
                      void (*column)(int, sqlite3_context *, int), void (*forget)(int, int)) {
  hooks.connect = connect;
  hooks.filter = filter;
  hooks.next = next;
  hooks.column = column;
  hooks.forget = forget;
}

int lodew_declare_vtab(sqlite3 *db, const char *sql) { return sqlite3_declare_vtab(db, sql); }

int lodew_vtab_directonly(sqlite3 *db) { return sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY); }

/* The next parameter's name (copied); SQLITE_RANGE past the maximum. */
int lodew_vtab_param(lodew_vtab *t, const char *name) {
  if (t->nparams >= LODEW_VTAB_MAX_PARAMS) return SQLITE_RANGE;
  size_t n = strlen(name) + 1;
  char *copy = sqlite3_malloc((int)n);
  if (!copy) return SQLITE_NOMEM;
  memcpy(copy, name, n);
  t->params[t->nparams++] = copy;
  return SQLITE_OK;
}

static void wvt_free(lodew_vtab *t) {
  for (int i = 0; i < t->nparams; i++) sqlite3_free(t->params[i]);
  sqlite3_free(t->base.zErrMsg);
  sqlite3_free(t);
}

static int wvt_failed(sqlite3_vtab *vt) {
  sqlite3_free(vt->zErrMsg);
  vt->zErrMsg = sqlite3_mprintf(LODEW_JS_FAILED);
  return SQLITE_ERROR;
}

static int wvt_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **pz) {
  lodew_vtab *t = sqlite3_malloc(sizeof *t);
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof *t);
  t->id = hooks.connect ? hooks.connect((int)(intptr_t)aux, db, t, argc, argv) : 0;
  if (t->id <= 0) {
    wvt_free(t);
    *pz = sqlite3_mprintf(LODEW_JS_FAILED);
    return SQLITE_ERROR;
  }
  *out = &t->base;
  return SQLITE_OK;
}

/* Another function than xConnect: a factory's module is not eponymous. */
static int wvt_create(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **pz) {
  return wvt_connect(db, aux, argc, argv, out, pz);
}

static int wvt_disconnect(sqlite3_vtab *vt) {
  lodew_vtab *t = (lodew_vtab *)vt;
  hooks.forget(LODEW_FORGET_TABLE, t->id);
  wvt_free(t);
  return SQLITE_OK;
}

static int wvt_best_index(sqlite3_vtab *vt, sqlite3_index_info *info) {
  lodew_vtab *t = (lodew_vtab *)vt;
  return js_vtab_plan(vt, info, t->nparams, t->params);
}

static int wvt_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out) {
  lodew_cursor *c = sqlite3_malloc(sizeof *c);
  (void)vt;
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof *c);
  c->done = 1;
  *out = &c->base;
  return SQLITE_OK;
}

static void wvt_drop_iterator(lodew_cursor *c) {
  if (c->id) hooks.forget(LODEW_FORGET_CURSOR, c->id);
  c->id = 0;
  c->done = 1;
}

static int wvt_close(sqlite3_vtab_cursor *cur) {
  wvt_drop_iterator((lodew_cursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

static int wvt_filter(sqlite3_vtab_cursor *cur, int idx, const char *idx_str, int argc, sqlite3_value **argv) {
  lodew_cursor *c = (lodew_cursor *)cur;
  (void)idx_str;
  wvt_drop_iterator(c);
  c->rowid = 0;
  for (int i = 0; i < argc; i++)
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) return SQLITE_OK; /* = NULL holds for no row */
  int id = hooks.filter(((lodew_vtab *)cur->pVtab)->id, idx, argc, argv);
  if (id < 0) return wvt_failed(cur->pVtab);
  if (id > 0) {
    c->id = id;
    c->done = 0;
    c->rowid = 1;
  }
  return SQLITE_OK;
}

static int wvt_next(sqlite3_vtab_cursor *cur) {
  lodew_cursor *c = (lodew_cursor *)cur;
  int r = c->id ? hooks.next(c->id) : 0;
  if (r < 0) {
    wvt_drop_iterator(c);
    return wvt_failed(cur->pVtab);
  }
  if (r == 0) wvt_drop_iterator(c);
  else c->rowid++;
  return SQLITE_OK;
}

static int wvt_eof(sqlite3_vtab_cursor *cur) { return ((lodew_cursor *)cur)->done; }

static int wvt_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int i) {
  hooks.column(((lodew_cursor *)cur)->id, ctx, i);
  return SQLITE_OK; /* an error is the context's */
}

static int wvt_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *out) {
  *out = ((lodew_cursor *)cur)->rowid;
  return SQLITE_OK;
}

#define LODEW_MODULE(create)                                                                       \
  {0,        create,    wvt_connect, wvt_best_index, wvt_disconnect, wvt_disconnect, wvt_open,    \
   wvt_close, wvt_filter, wvt_next,   wvt_eof,        wvt_column,     wvt_rowid,      NULL,        \
   NULL,     NULL,      NULL,        NULL,           NULL,           NULL,           NULL,        \
   NULL,     NULL,      NULL,        NULL}

static const sqlite3_module wvt_tables = LODEW_MODULE(wvt_create);
static const sqlite3_module wvt_eponymous = LODEW_MODULE(NULL);

static void wvt_module_free(void *aux) { hooks.forget(LODEW_FORGET_MODULE, (int)(intptr_t)aux); }

/* Registers module name (JS id): a definition object's is eponymous only. */
int lodew_create_module(sqlite3 *db, const char *name, int eponymous, int id) {
  return sqlite3_create_module_v2(db, name, eponymous ? &wvt_eponymous : &wvt_tables, (void *)(intptr_t)id,
                                  wvt_module_free);
}
