/*
** fts5_vocab.c — the "fts5vocab" virtual table over an FTS5 table's index:
**   fts5vocab([db,] table, row)       (term, doc, cnt): per term, the rows it
**                                     is in and its instances;
**   fts5vocab([db,] table, col)       (term, col, doc, cnt): the same per column;
**   fts5vocab([db,] table, instance)  (term, doc, col, offset): one row per instance.
** detail=column tables have no counts of instances nor offsets (NULL), and
** detail=none ones no columns either, as in SQLite.  A scan walks the whole
** index once (fts5_index.c) into rows kept by the cursor.
*/
#include <stdlib.h>
#include <string.h>

#include "ext/fts5/fts5_int.h"

enum { V_ROW, V_COL, V_INSTANCE };

typedef struct VocabTable {
  sqlite3_vtab base;
  sqlite3 *db;
  char *zdb, *ztab;
  int type;
} VocabTable;

/* A result row: term (offset into the cursor's text), and up to three integers (-1: NULL). */
typedef struct VRow {
  int toff, tlen;
  sqlite3_int64 v[3];
} VRow;

typedef struct VocabCursor {
  sqlite3_vtab_cursor base;
  F5Buf text;
  VRow *rows;
  int n, cap, at;
  Fts5Table *t;
  /* the term being gathered */
  F5Buf term;
  int have;
  sqlite3_int64 docs, cnt;
  sqlite3_int64 *cdocs, *ccnt; /* per column */
  sqlite3_int64 lastrow;
} VocabCursor;

static int v_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  (void)aux;
  /* a temp table names the database of the fts5 table first; others are in its database */
  int temp = sqlite3_stricmp(argv[1], "temp") == 0;
  if (argc != (temp ? 6 : 5)) {
    *err = sqlite3_mprintf("wrong number of vtable arguments");
    return SQLITE_ERROR;
  }
  const char *zdb = argc == 6 ? argv[3] : argv[1];
  const char *ztab = argv[argc - 2], *ztype = argv[argc - 1];
  char *d = NULL, *tb = NULL, *ty = NULL;
  /* arguments may be quoted */
  const char *src[3] = {zdb, ztab, ztype};
  char **dst[3] = {&d, &tb, &ty};
  for (int i = 0; i < 3; i++) {
    const char *z = src[i];
    while (*z == ' ') z++;
    int n = (int)strlen(z);
    while (n > 0 && z[n - 1] == ' ') n--;
    if (n >= 2 && (z[0] == '\'' || z[0] == '"' || z[0] == '`') && z[n - 1] == z[0]) z++, n -= 2;
    *dst[i] = sqlite3_mprintf("%.*s", n, z);
  }
  int type = -1;
  if (ty && sqlite3_stricmp(ty, "row") == 0)
    type = V_ROW;
  else if (ty && sqlite3_stricmp(ty, "col") == 0)
    type = V_COL;
  else if (ty && sqlite3_stricmp(ty, "instance") == 0)
    type = V_INSTANCE;
  int rc = d && tb && ty ? SQLITE_OK : SQLITE_NOMEM;
  if (rc == SQLITE_OK && type < 0) {
    *err = sqlite3_mprintf("fts5vocab: unknown table type: %Q", ty);
    rc = SQLITE_ERROR;
  }
  static const char *const decl[] = {"CREATE TABLE vocab(term, doc, cnt)", "CREATE TABLE vocab(term, col, doc, cnt)",
                                     "CREATE TABLE vocab(term, doc, col, offset)"};
  if (rc == SQLITE_OK) rc = sqlite3_declare_vtab(db, decl[type]);
  VocabTable *v = rc == SQLITE_OK ? sqlite3_malloc((int)sizeof *v) : NULL;
  if (rc == SQLITE_OK && !v) rc = SQLITE_NOMEM;
  sqlite3_free(ty);
  if (rc != SQLITE_OK) {
    sqlite3_free(d);
    sqlite3_free(tb);
    return rc;
  }
  memset(v, 0, sizeof *v);
  v->db = db;
  v->zdb = d;
  v->ztab = tb;
  v->type = type;
  *out = &v->base;
  return SQLITE_OK;
}

static int v_disconnect(sqlite3_vtab *vt) {
  VocabTable *v = (VocabTable *)vt;
  sqlite3_free(v->zdb);
  sqlite3_free(v->ztab);
  sqlite3_free(v);
  return SQLITE_OK;
}

static int v_best_index(sqlite3_vtab *vt, sqlite3_index_info *ii) {
  (void)vt;
  ii->estimatedCost = 100000.0;
  ii->estimatedRows = 100000;
  return SQLITE_OK;
}

static int v_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out) {
  (void)vt;
  VocabCursor *c = sqlite3_malloc((int)sizeof *c);
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof *c);
  *out = &c->base;
  return SQLITE_OK;
}

static void cursor_clear(VocabCursor *c) {
  f5_free(&c->text);
  f5_free(&c->term);
  sqlite3_free(c->rows);
  sqlite3_free(c->cdocs);
  sqlite3_free(c->ccnt);
  c->rows = NULL;
  c->cdocs = c->ccnt = NULL;
  c->n = c->cap = c->at = 0;
  c->have = 0;
}

static int v_close(sqlite3_vtab_cursor *vc) {
  cursor_clear((VocabCursor *)vc);
  sqlite3_free(vc);
  return SQLITE_OK;
}

static int push_row(VocabCursor *c, const unsigned char *term, int n, sqlite3_int64 a, sqlite3_int64 b,
                    sqlite3_int64 d) {
  if (c->n == c->cap) {
    int cap = c->cap ? c->cap * 2 : 64;
    VRow *g = sqlite3_realloc64(c->rows, sizeof(VRow) * (sqlite3_uint64)cap);
    if (!g) return SQLITE_NOMEM;
    c->rows = g;
    c->cap = cap;
  }
  VRow *r = &c->rows[c->n++];
  r->toff = c->text.n;
  r->tlen = n;
  r->v[0] = a;
  r->v[1] = b;
  r->v[2] = d;
  f5_put(&c->text, term, n);
  return c->text.oom ? SQLITE_NOMEM : SQLITE_OK;
}

/* Emits the rows of the term gathered so far (row and col types). */
static int flush_term(VocabCursor *c, int type) {
  if (!c->have) return SQLITE_OK;
  c->have = 0;
  Fts5Table *t = c->t;
  int counts = t->detail == F5_DETAIL_FULL;
  if (type == V_ROW) return push_row(c, c->term.p, c->term.n, c->docs, counts ? c->cnt : -1, 0);
  int rc = SQLITE_OK;
  if (t->detail == F5_DETAIL_NONE) return push_row(c, c->term.p, c->term.n, -2, c->docs, -1);
  for (int i = 0; i < t->ncol && rc == SQLITE_OK; i++)
    if (c->cdocs[i]) rc = push_row(c, c->term.p, c->term.n, i, c->cdocs[i], counts ? c->ccnt[i] : -1);
  return rc;
}

typedef struct WalkCtx {
  VocabCursor *c;
  int type;
} WalkCtx;

static int vocab_entry(void *vctx, const char *term, int n, sqlite3_int64 rowid, const sqlite3_int64 *hits, int nhits) {
  WalkCtx *w = vctx;
  VocabCursor *c = w->c;
  Fts5Table *t = c->t;
  int rc = SQLITE_OK;
  if (w->type == V_INSTANCE) {
    if (t->detail == F5_DETAIL_NONE) return push_row(c, (const unsigned char *)term, n, rowid, -1, -1);
    for (int i = 0; i < nhits && rc == SQLITE_OK; i++) {
      sqlite3_int64 col = hits[i] >> 32, off = hits[i] & 0xFFFFFFFF;
      rc = push_row(c, (const unsigned char *)term, n, rowid, col, t->detail == F5_DETAIL_FULL ? off : -1);
    }
    return rc;
  }
  if (!c->have || c->term.n != n || memcmp(c->term.p, term, (size_t)n) != 0) {
    if ((rc = flush_term(c, w->type)) != SQLITE_OK) return rc;
    c->term.n = 0;
    f5_put(&c->term, term, n);
    c->have = 1;
    c->docs = c->cnt = 0;
    for (int i = 0; i < t->ncol; i++) c->cdocs[i] = c->ccnt[i] = 0;
  }
  c->docs++;
  c->cnt += nhits;
  sqlite3_int64 lastcol = -1;
  for (int i = 0; i < nhits; i++) {
    sqlite3_int64 col = hits[i] >> 32;
    if (col < 0 || col >= t->ncol) return SQLITE_CORRUPT_VTAB;
    c->ccnt[col]++;
    if (col != lastcol) c->cdocs[col]++;
    lastcol = col;
  }
  return c->term.oom ? SQLITE_NOMEM : SQLITE_OK;
}

static int v_filter(sqlite3_vtab_cursor *vc, int idxNum, const char *idxStr, int argc, sqlite3_value **argv) {
  VocabCursor *c = (VocabCursor *)vc;
  VocabTable *v = (VocabTable *)vc->pVtab;
  (void)idxNum;
  (void)idxStr;
  (void)argc;
  (void)argv;
  cursor_clear(c);
  /* preparing a statement on the table connects it */
  char *sql = sqlite3_mprintf("SELECT 1 FROM \"%w\".\"%w\" LIMIT 0", v->zdb, v->ztab);
  sqlite3_stmt *s = NULL;
  int rc = sql ? sqlite3_prepare_v2(v->db, sql, -1, &s, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  sqlite3_finalize(s);
  fts5_api *api = NULL;
  if (sqlite3_prepare_v2(v->db, "SELECT fts5(?1)", -1, &s, NULL) == SQLITE_OK) {
    sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(s);
    sqlite3_finalize(s);
  }
  c->t = rc == SQLITE_OK && api ? fts5_table_find((Fts5Global *)api, v->zdb, v->ztab) : NULL;
  if (!c->t) {
    sqlite3_free(v->base.zErrMsg);
    v->base.zErrMsg = sqlite3_mprintf("no such fts5 table: %s.%s", v->zdb, v->ztab);
    return SQLITE_ERROR;
  }
  c->cdocs = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)c->t->ncol);
  c->ccnt = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)c->t->ncol);
  if (!c->cdocs || !c->ccnt) return SQLITE_NOMEM;
  WalkCtx w = {c, v->type};
  rc = fts5_index_walk(c->t, vocab_entry, &w);
  fts5_reader_close(c->t);
  if (rc == SQLITE_OK) rc = flush_term(c, v->type);
  if (rc == SQLITE_CORRUPT_VTAB) {
    sqlite3_free(v->base.zErrMsg);
    v->base.zErrMsg = sqlite3_mprintf("database disk image is malformed");
  }
  return rc;
}

static int v_next(sqlite3_vtab_cursor *vc) {
  ((VocabCursor *)vc)->at++;
  return SQLITE_OK;
}

static int v_eof(sqlite3_vtab_cursor *vc) {
  VocabCursor *c = (VocabCursor *)vc;
  return c->at >= c->n;
}

static int v_column(sqlite3_vtab_cursor *vc, sqlite3_context *ctx, int i) {
  VocabCursor *c = (VocabCursor *)vc;
  VocabTable *v = (VocabTable *)vc->pVtab;
  const VRow *r = &c->rows[c->at];
  if (i == 0) {
    sqlite3_result_text(ctx, (const char *)c->text.p + r->toff, r->tlen, SQLITE_TRANSIENT);
    return SQLITE_OK;
  }
  sqlite3_int64 x = r->v[i - 1];
  /* the col and instance types name the column (detail=none: NULL) */
  int is_col = (v->type == V_COL && i == 1) || (v->type == V_INSTANCE && i == 2);
  if (is_col) {
    if (x >= 0 && x < c->t->ncol) sqlite3_result_text(ctx, c->t->colname[x], -1, SQLITE_TRANSIENT);
    return SQLITE_OK;
  }
  if (x >= 0) sqlite3_result_int64(ctx, x);
  return SQLITE_OK;
}

static int v_rowid(sqlite3_vtab_cursor *vc, sqlite_int64 *out) {
  *out = ((VocabCursor *)vc)->at + 1;
  return SQLITE_OK;
}

static const sqlite3_module vocab_module = {
    2,      v_connect, v_connect, v_best_index, v_disconnect, v_disconnect, v_open, v_close, v_filter,
    v_next, v_eof,     v_column,  v_rowid,      NULL,         NULL,         NULL,   NULL,    NULL,
    NULL,   NULL,      NULL,      NULL,         NULL,         NULL,         NULL,
};

const sqlite3_module *fts5_vocab_module(void) { return &vocab_module; }
