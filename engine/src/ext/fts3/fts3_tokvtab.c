/*
** fts3_tokvtab.c — the "fts3tokenize" virtual table: CREATE VIRTUAL TABLE v USING
** fts3tokenize(NAME, ARG, ...) tokenizes the text a query gives as "input = ?" with the
** tokenizer NAME (simple when none is named), one row per token:
** (input, token, start, end, position), the rowid counting the tokens from 1.  A scan without
** the input constraint fails ("SQL logic error"), as in SQLite.
*/
#include <string.h>

#include "ext/fts3/fts3_int.h"

typedef struct TokTable {
  sqlite3_vtab base;
  Tokenizer tok;
} TokTable;

typedef struct TokRow {
  int off, n;          /* the token's bytes in TokCursor.text */
  int start, end, pos;
} TokRow;

typedef struct TokCursor {
  sqlite3_vtab_cursor base;
  char *input;
  Buf text;            /* the tokens, one after the other */
  TokRow *rows;
  int nrows, cap, at;
} TokCursor;

static int tok_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  (void)aux;
  int nargs = argc - 3, rc = SQLITE_OK;
  char **args = sqlite3_malloc64(sizeof(char *) * (sqlite3_uint64)(nargs > 0 ? nargs : 1));
  if (!args) return SQLITE_NOMEM;
  int made = 0;
  for (; made < nargs; made++)
    if (!(args[made] = fts3_dequote(argv[3 + made], (int)strlen(argv[3 + made])))) break;
  if (made < nargs) rc = SQLITE_NOMEM;
  TokTable *t = rc == SQLITE_OK ? sqlite3_malloc((int)sizeof *t) : NULL;
  if (rc == SQLITE_OK && !t) rc = SQLITE_NOMEM;
  if (t) {
    memset(t, 0, sizeof *t);
    rc = fts3_tokenizer_create(&t->tok, nargs > 0 ? args[0] : "simple", nargs > 1 ? nargs - 1 : 0,
                               (const char *const *)(args + 1), err);
  }
  if (rc == SQLITE_OK) rc = sqlite3_declare_vtab(db, "CREATE TABLE x(input, token, start, end, position)");
  for (int i = 0; i < made; i++) sqlite3_free(args[i]);
  sqlite3_free(args);
  if (rc != SQLITE_OK) {
    if (t) fts3_tokenizer_free(&t->tok);
    sqlite3_free(t);
    return rc;
  }
  *out = &t->base;
  return SQLITE_OK;
}

static int tok_disconnect(sqlite3_vtab *vt) {
  TokTable *t = (TokTable *)vt;
  fts3_tokenizer_free(&t->tok);
  sqlite3_free(t);
  return SQLITE_OK;
}

static int tok_best_index(sqlite3_vtab *vt, sqlite3_index_info *ii) {
  (void)vt;
  for (int i = 0; i < ii->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &ii->aConstraint[i];
    if (c->usable && c->iColumn == 0 && c->op == SQLITE_INDEX_CONSTRAINT_EQ) {
      ii->idxNum = 1;
      ii->aConstraintUsage[i].argvIndex = 1;
      ii->aConstraintUsage[i].omit = 1;
      ii->estimatedCost = 1;
      return SQLITE_OK;
    }
  }
  ii->idxNum = 0;
  ii->estimatedCost = 1e9;
  return SQLITE_OK;
}

static int tok_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out) {
  (void)vt;
  TokCursor *c = sqlite3_malloc((int)sizeof *c);
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof *c);
  *out = &c->base;
  return SQLITE_OK;
}

static void tok_reset(TokCursor *c) {
  sqlite3_free(c->input);
  c->input = NULL;
  buf_free(&c->text);
  sqlite3_free(c->rows);
  c->rows = NULL;
  c->nrows = c->cap = c->at = 0;
}

static int tok_close(sqlite3_vtab_cursor *vc) {
  tok_reset((TokCursor *)vc);
  sqlite3_free(vc);
  return SQLITE_OK;
}

static int tok_add(void *ctx, const char *tok, int n, int start, int end, int pos) {
  TokCursor *c = ctx;
  if (c->nrows == c->cap) {
    TokRow *g = fts3_grow(c->rows, &c->cap, sizeof *g, 16);
    if (!g) return SQLITE_NOMEM;
    c->rows = g;
  }
  c->rows[c->nrows++] = (TokRow){c->text.n, n, start, end, pos};
  buf_put(&c->text, tok, n);
  return c->text.oom ? SQLITE_NOMEM : SQLITE_OK;
}

static int tok_filter(sqlite3_vtab_cursor *vc, int idxNum, const char *idxStr, int argc, sqlite3_value **argv) {
  TokCursor *c = (TokCursor *)vc;
  TokTable *t = (TokTable *)vc->pVtab;
  (void)idxStr;
  tok_reset(c);
  if (idxNum != 1 || argc < 1) return SQLITE_ERROR;
  const char *z = (const char *)sqlite3_value_text(argv[0]);
  int n = sqlite3_value_bytes(argv[0]);
  if (!z && sqlite3_value_type(argv[0]) != SQLITE_NULL) return SQLITE_NOMEM;
  c->input = sqlite3_malloc(n + 1);
  if (!c->input) return SQLITE_NOMEM;
  if (n) memcpy(c->input, z, (size_t)n);
  c->input[n] = 0;
  return fts3_tokenize(&t->tok, c->input, n, tok_add, c);
}

static int tok_next(sqlite3_vtab_cursor *vc) {
  ((TokCursor *)vc)->at++;
  return SQLITE_OK;
}

static int tok_eof(sqlite3_vtab_cursor *vc) {
  TokCursor *c = (TokCursor *)vc;
  return c->at >= c->nrows;
}

static int tok_column(sqlite3_vtab_cursor *vc, sqlite3_context *ctx, int i) {
  TokCursor *c = (TokCursor *)vc;
  const TokRow *r = &c->rows[c->at];
  switch (i) {
    case 0: sqlite3_result_text(ctx, c->input, -1, SQLITE_TRANSIENT); break;
    case 1: sqlite3_result_text(ctx, (const char *)c->text.p + r->off, r->n, SQLITE_TRANSIENT); break;
    case 2: sqlite3_result_int(ctx, r->start); break;
    case 3: sqlite3_result_int(ctx, r->end); break;
    default: sqlite3_result_int(ctx, r->pos); break;
  }
  return SQLITE_OK;
}

static int tok_rowid(sqlite3_vtab_cursor *vc, sqlite3_int64 *out) {
  *out = ((TokCursor *)vc)->at + 1;
  return SQLITE_OK;
}

const sqlite3_module fts3_tokenize_module = {
    .iVersion = 0,
    .xCreate = tok_connect,
    .xConnect = tok_connect,
    .xBestIndex = tok_best_index,
    .xDisconnect = tok_disconnect,
    .xDestroy = tok_disconnect,
    .xOpen = tok_open,
    .xClose = tok_close,
    .xFilter = tok_filter,
    .xNext = tok_next,
    .xEof = tok_eof,
    .xColumn = tok_column,
    .xRowid = tok_rowid,
};
