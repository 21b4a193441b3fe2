/*
** fts4aux.c — the "fts4aux" virtual table: CREATE VIRTUAL TABLE v USING
** fts4aux([db,] fts_table) shows the terms of a full-text table's index, as
** (term, col, documents, occurrences): for each term in order a row with col
** '*' over all columns, then one per column (its number) that has hits.  It
** has no storage of its own; each scan reads the index's segments.
*/
#include <string.h>

#include "ext/fts3/fts3_int.h"

typedef struct AuxTable {
  sqlite3_vtab base;
  Fts3Table *fts;
} AuxTable;

typedef struct AuxCursor {
  sqlite3_vtab_cursor base;
  AuxRow *rows;
  int n, at;
  int langid;
} AuxCursor;

/* idxNum: which term constraints the arguments hold, in this order, then the language's when
** there is one (the statement checks them all again). */
#define AUX_TERM_EQ 1
#define AUX_TERM_GE 2
#define AUX_TERM_LE 4

static int aux_connect(sqlite3 *db, void *pAux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  (void)pAux;
  if (argc != 4 && argc != 5) {
    *err = sqlite3_mprintf("invalid arguments to fts4aux constructor");
    return SQLITE_ERROR;
  }
  const char *db_arg = argc == 5 ? argv[3] : argv[1];
  char *zdb = fts3_dequote(db_arg, (int)strlen(db_arg));
  char *zname = fts3_dequote(argv[argc - 1], (int)strlen(argv[argc - 1]));
  static const char decl[] = "CREATE TABLE x(term, col, documents, occurrences, languageid HIDDEN)";
  int rc = zdb && zname ? sqlite3_declare_vtab(db, decl) : SQLITE_NOMEM;
  AuxTable *t = rc == SQLITE_OK ? sqlite3_malloc((int)sizeof *t) : NULL;
  if (rc == SQLITE_OK && !t) rc = SQLITE_NOMEM;
  if (t) {
    memset(t, 0, sizeof *t);
    t->fts = fts3_table_for_index(db, zdb, zname);
    if (!t->fts) {
      sqlite3_free(t);
      t = NULL;
      rc = SQLITE_NOMEM;
    }
  }
  sqlite3_free(zdb);
  sqlite3_free(zname);
  if (rc != SQLITE_OK) return rc;
  *out = &t->base;
  return SQLITE_OK;
}

static int aux_disconnect(sqlite3_vtab *vt) {
  AuxTable *t = (AuxTable *)vt;
  fts3_table_free(t->fts);
  sqlite3_free(t);
  return SQLITE_OK;
}

static int aux_best_index(sqlite3_vtab *vt, sqlite3_index_info *ii) {
  (void)vt;
  int eq = -1, ge = -1, le = -1, lang = -1, arg = 1;
  for (int i = 0; i < ii->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &ii->aConstraint[i];
    if (!c->usable) continue;
    if (c->iColumn == 0) {
      if (c->op == SQLITE_INDEX_CONSTRAINT_EQ) eq = i;
      if (c->op == SQLITE_INDEX_CONSTRAINT_LT || c->op == SQLITE_INDEX_CONSTRAINT_LE) le = i;
      if (c->op == SQLITE_INDEX_CONSTRAINT_GT || c->op == SQLITE_INDEX_CONSTRAINT_GE) ge = i;
    }
    if (c->iColumn == 4 && c->op == SQLITE_INDEX_CONSTRAINT_EQ) lang = i;
  }
  if (eq >= 0) {
    ii->idxNum = AUX_TERM_EQ;
    ii->aConstraintUsage[eq].argvIndex = arg++;
    ii->estimatedCost = 5;
  } else {
    ii->idxNum = 0;
    ii->estimatedCost = 20000;
    if (ge >= 0) {
      ii->idxNum |= AUX_TERM_GE;
      ii->aConstraintUsage[ge].argvIndex = arg++;
      ii->estimatedCost /= 2;
    }
    if (le >= 0) {
      ii->idxNum |= AUX_TERM_LE;
      ii->aConstraintUsage[le].argvIndex = arg++;
      ii->estimatedCost /= 2;
    }
  }
  if (lang >= 0) {
    ii->aConstraintUsage[lang].argvIndex = arg++;
    ii->estimatedCost--;
  }
  if (ii->nOrderBy == 1 && ii->aOrderBy[0].iColumn == 0 && !ii->aOrderBy[0].desc) ii->orderByConsumed = 1;
  return SQLITE_OK;
}

/* memcmp order of terms: a prefix first. */
static int term_cmp(const char *a, int na, const char *b, int nb) {
  int m = na < nb ? na : nb;
  int c = m > 0 ? memcmp(a, b, (size_t)m) : 0;
  return c ? c : na - nb;
}

static int aux_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out) {
  (void)vt;
  AuxCursor *c = sqlite3_malloc((int)sizeof *c);
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof *c);
  *out = &c->base;
  return SQLITE_OK;
}

static int aux_close(sqlite3_vtab_cursor *vc) {
  AuxCursor *c = (AuxCursor *)vc;
  fts3_aux_rows_free(c->rows, c->n);
  sqlite3_free(c);
  return SQLITE_OK;
}

static int aux_filter(sqlite3_vtab_cursor *vc, int idxNum, const char *idxStr, int argc, sqlite3_value **argv) {
  AuxCursor *c = (AuxCursor *)vc;
  AuxTable *t = (AuxTable *)vc->pVtab;
  (void)idxStr;
  fts3_aux_rows_free(c->rows, c->n);
  c->rows = NULL;
  c->n = c->at = 0;
  int k = 0;
  sqlite3_value *lo = NULL, *hi = NULL;
  if ((idxNum & AUX_TERM_EQ) && k < argc) lo = hi = argv[k++];
  if ((idxNum & AUX_TERM_GE) && k < argc) lo = argv[k++];
  if ((idxNum & AUX_TERM_LE) && k < argc) hi = argv[k++];
  c->langid = k < argc ? sqlite3_value_int(argv[k]) : 0;
  int rc = fts3_aux_rows(t->fts, c->langid, &c->rows, &c->n);
  /* Only the terms in range (a superset of what the constraints keep: they are checked again). */
  const char *zlo = lo ? (const char *)sqlite3_value_text(lo) : NULL;
  const char *zhi = hi ? (const char *)sqlite3_value_text(hi) : NULL;
  int nlo = lo ? sqlite3_value_bytes(lo) : 0, nhi = hi ? sqlite3_value_bytes(hi) : 0, w = 0;
  for (int i = 0; rc == SQLITE_OK && i < c->n; i++) {
    AuxRow *r = &c->rows[i];
    if ((zlo && term_cmp(r->term, r->nterm, zlo, nlo) < 0) || (zhi && term_cmp(r->term, r->nterm, zhi, nhi) > 0)) {
      sqlite3_free(r->term);
      continue;
    }
    c->rows[w++] = *r;
  }
  if (rc == SQLITE_OK) c->n = w;
  if (rc == SQLITE_ERROR) {
    /* no such full-text table: SQLite reports its generic error here */
    sqlite3_free(t->base.zErrMsg);
    t->base.zErrMsg = sqlite3_mprintf("SQL logic error");
  }
  return rc;
}

static int aux_next(sqlite3_vtab_cursor *vc) {
  ((AuxCursor *)vc)->at++;
  return SQLITE_OK;
}

static int aux_eof(sqlite3_vtab_cursor *vc) {
  AuxCursor *c = (AuxCursor *)vc;
  return c->at >= c->n;
}

static int aux_column(sqlite3_vtab_cursor *vc, sqlite3_context *ctx, int i) {
  AuxCursor *c = (AuxCursor *)vc;
  const AuxRow *r = &c->rows[c->at];
  switch (i) {
    case 0: sqlite3_result_text(ctx, r->term, r->nterm, SQLITE_TRANSIENT); break;
    case 1:
      if (r->col < 0) sqlite3_result_text(ctx, "*", 1, SQLITE_STATIC);
      else sqlite3_result_int(ctx, r->col);
      break;
    case 2: sqlite3_result_int64(ctx, r->docs); break;
    case 3: sqlite3_result_int64(ctx, r->hits); break;
    default: sqlite3_result_int(ctx, c->langid); break;
  }
  return SQLITE_OK;
}

static int aux_rowid(sqlite3_vtab_cursor *vc, sqlite_int64 *out) {
  *out = ((AuxCursor *)vc)->at;
  return SQLITE_OK;
}

const sqlite3_module fts3_aux_module = {
    0,         aux_connect, aux_connect, aux_best_index, aux_disconnect, aux_disconnect, aux_open,
    aux_close, aux_filter,  aux_next,    aux_eof,        aux_column,     aux_rowid,      NULL,
    NULL,      NULL,        NULL,        NULL,           NULL,           NULL,           NULL,
    NULL,      NULL,        NULL,        NULL,
};
