/*
** vector_ann_method.c — vector_ann: an approximate-nearest-neighbour index
** (the HNSW graph of ext/vector_ann) over one column of dense float32 or
** float64 vectors, answering
**   SELECT vector_distance_cos(col, ?) AS d FROM t ORDER BY d LIMIT ?
** (vector_distance_l2 / vector_distance_dot for metric 'l2' / 'dot'; the
** arguments may be swapped) with the rows the graph search finds nearest,
** nearest first (ties by rowid).  Approximate: at the default search width
** (ef_search) a clustered data set gets nearly every true neighbour, not
** always all of them (docs/vector.md).  NULL vectors are not indexed; a NULL
** query yields no rows.
**
** Store: one, "graph": major = the graph's key space (VECTOR_ANN_NODES: one
** node blob per rowid; VECTOR_ANN_META: the metadata at minor 0), minor =
** the key.  Parameters: those of vector_ann_config_parse (metric, type,
** dims, m, ef_construction, ef_search, alpha, seed).
*/
#include <string.h>

#include "ext/vector_ann/vector_ann.h"
#include "idxmethod/idxmethod_int.h"
#include "util/util.h"

#define ANN_NAME "vector_ann"

typedef struct AnnAttachment {
  lode_index_attachment base;
  VectorAnnConfig cfg;
  const char *patterns[2];
  char *pattern_text[2];
} AnnAttachment;

typedef struct AnnCursor {
  lode_index_cursor base;
  lode_index_store *graph;
  VectorAnn *ann;
  int64_t *rowids;
  double *dists;
  int n, at;
} AnnCursor;

static const char *const ann_stores[] = {"graph"};

static void ann_detach(lode_index_attachment *a) {
  AnnAttachment *t = (AnnAttachment *)a;
  util_free(t->pattern_text[0]);
  util_free(t->pattern_text[1]);
  util_free(t);
}

static int ann_attach(void *user_data, const lode_index_config *cfg, lode_index_attachment **out, char **errmsg) {
  (void)user_data;
  if (cfg->ncols != 1) {
    *errmsg = util_mprintf(ANN_NAME " indexes exactly one column");
    return LODE_ERROR;
  }
  VectorAnnParam *params = util_zalloc(sizeof *params * (size_t)(cfg->nparams ? cfg->nparams : 1));
  AnnAttachment *t = util_zalloc(sizeof *t);
  if (!params || !t) {
    util_free(params);
    util_free(t);
    return LODE_NOMEM;
  }
  for (int i = 0; i < cfg->nparams; i++) {
    const lode_index_param *p = &cfg->params[i];
    params[i].name = p->name;
    params[i].type = p->type == LODE_INTEGER ? VECTOR_ANN_PARAM_INT
                     : p->type == LODE_FLOAT ? VECTOR_ANN_PARAM_REAL
                     : p->type == LODE_TEXT  ? VECTOR_ANN_PARAM_TEXT
                                             : VECTOR_ANN_PARAM_BLOB;
    params[i].i = p->i;
    params[i].r = p->f;
    params[i].p = p->p;
    params[i].n = p->n;
  }
  char err[256] = "";
  vector_ann_config_default(&t->cfg);
  int rc = vector_ann_config_parse(&t->cfg, params, cfg->nparams, err, sizeof err);
  util_free(params);
  if (rc != LODE_OK) {
    *errmsg = util_strdup(err[0] ? err : ANN_NAME ": bad parameters");
    util_free(t);
    return rc;
  }
  const char *fn = t->cfg.metric == VECTOR_ANN_L2    ? "vector_distance_l2"
                   : t->cfg.metric == VECTOR_ANN_DOT ? "vector_distance_dot"
                                                     : "vector_distance_cos";
  char *col = idxm_quoted(cfg->col_names[0]), *tab = idxm_quoted(cfg->table_name);
  if (col && tab) {
    t->pattern_text[0] = util_mprintf("SELECT %s(%s, ?) AS distance FROM %s ORDER BY distance LIMIT ?", fn, col, tab);
    t->pattern_text[1] = util_mprintf("SELECT %s(?, %s) AS distance FROM %s ORDER BY distance LIMIT ?", fn, col, tab);
  }
  util_free(col);
  util_free(tab);
  if (!t->pattern_text[0] || !t->pattern_text[1]) {
    ann_detach(&t->base);
    return LODE_NOMEM;
  }
  t->patterns[0] = t->pattern_text[0];
  t->patterns[1] = t->pattern_text[1];
  t->base.nstores = 1;
  t->base.store_suffixes = ann_stores;
  t->base.npatterns = 2;
  t->base.patterns = t->patterns;
  *out = &t->base;
  return LODE_OK;
}

/* ---- the graph's key-value store over the backing b-tree ---------------------- */

static int store_get(void *ctx, int space, int64_t key, const uint8_t **blob, int *n) {
  const void *v = NULL;
  int rc = lode_index_store_get(ctx, space, key, &v, n);
  *blob = v;
  if (rc == LODE_NOTFOUND) {
    *blob = NULL;
    *n = 0;
    return LODE_OK;
  }
  return rc;
}

static int store_put(void *ctx, int space, int64_t key, const uint8_t *blob, int n) {
  return lode_index_store_put(ctx, space, key, blob, n);
}

static int store_del(void *ctx, int space, int64_t key) {
  int rc = lode_index_store_delete(ctx, space, key);
  return rc == LODE_NOTFOUND ? LODE_OK : rc;
}

static int store_seek(void *ctx, int space, int64_t key, int *found, int64_t *out) {
  int eof = 0;
  int64_t major, minor;
  int rc = lode_index_store_seek(ctx, space, key, &eof);
  *found = 0;
  if (rc != LODE_OK || eof) return rc;
  lode_index_store_key(ctx, &major, &minor);
  if (major == space) {
    *found = 1;
    *out = minor;
  }
  return LODE_OK;
}

static int ann_open(lode_index_attachment *a, lode_index_store *const *stores, lode_index_cursor **out) {
  AnnAttachment *t = (AnnAttachment *)a;
  AnnCursor *c = util_zalloc(sizeof *c);
  if (!c) return LODE_NOMEM;
  c->graph = stores[0];
  VectorAnnStore s = {c->graph, store_get, store_put, store_del, store_seek};
  int rc = vector_ann_open(&s, &t->cfg, &c->ann);
  if (rc != LODE_OK) {
    util_free(c);
    return rc;
  }
  *out = &c->base;
  return LODE_OK;
}

static void ann_close(lode_index_cursor *cur) {
  AnnCursor *c = (AnnCursor *)cur;
  vector_ann_close(c->ann);
  util_free(c->rowids);
  util_free(c->dists);
  util_free(c);
}

/* A failure of the graph: its message on the cursor. */
static int ann_fail(AnnCursor *c, int rc) {
  if (rc != LODE_NOMEM && rc != LODE_OK) {
    const char *m = vector_ann_errmsg(c->ann);
    if (m && m[0]) c->base.errmsg = util_strdup(m);
  }
  return rc;
}

static int ann_insert(lode_index_cursor *cur, lode_value **vals, lode_int64 rowid) {
  AnnCursor *c = (AnnCursor *)cur;
  if (lode_value_type(vals[0]) == LODE_NULL) return LODE_OK;
  if (lode_value_type(vals[0]) != LODE_BLOB) {
    c->base.errmsg = util_strdup(ANN_NAME ": the indexed value must be a dense vector blob");
    return LODE_ERROR;
  }
  return ann_fail(c, vector_ann_insert(c->ann, rowid, lode_value_blob(vals[0]), lode_value_bytes(vals[0])));
}

static int ann_delete(lode_index_cursor *cur, lode_value **vals, lode_int64 rowid) {
  AnnCursor *c = (AnnCursor *)cur;
  if (lode_value_type(vals[0]) == LODE_NULL) return LODE_OK;
  return ann_fail(c, vector_ann_delete(c->ann, rowid));
}

static int ann_query(lode_index_cursor *cur, int pattern, int nargs, lode_value **args) {
  AnnCursor *c = (AnnCursor *)cur;
  (void)pattern;
  c->n = c->at = 0;
  if (nargs != 2) {
    c->base.errmsg = util_strdup(ANN_NAME ": a query takes a vector and a limit");
    return LODE_ERROR;
  }
  lode_value *q = args[0];
  int64_t limit = lode_value_int64(args[1]), count = 0;
  int top = 0;
  if (lode_value_type(q) == LODE_NULL || limit == 0) return LODE_OK;
  if (lode_value_type(q) != LODE_BLOB) {
    c->base.errmsg = util_strdup(ANN_NAME ": the query must be a dense vector blob");
    return LODE_ERROR;
  }
  int rc = vector_ann_stats(c->ann, &count, &top);
  if (rc != LODE_OK) return ann_fail(c, rc);
  /* A negative LIMIT is no limit: every row the graph holds. */
  int64_t k = limit < 0 || limit > count ? count : limit;
  if (k == 0) return LODE_OK;
  if (k > VECTOR_ANN_MAX_WIDTH) k = VECTOR_ANN_MAX_WIDTH;
  util_free(c->rowids);
  util_free(c->dists);
  c->rowids = util_malloc(sizeof *c->rowids * (size_t)k);
  c->dists = util_malloc(sizeof *c->dists * (size_t)k);
  if (!c->rowids || !c->dists) return LODE_NOMEM;
  /* The connection's width (PRAGMA vector_ann_ef_search) overrides the
  ** index's ef_search; the search raises it to k. */
  int width = cur->search_width > VECTOR_ANN_MAX_WIDTH ? VECTOR_ANN_MAX_WIDTH : cur->search_width;
  rc = vector_ann_search(c->ann, lode_value_blob(q), lode_value_bytes(q), (int)k, width, c->rowids, c->dists,
                         &c->n);
  return ann_fail(c, rc);
}

static int ann_eof(lode_index_cursor *cur) {
  AnnCursor *c = (AnnCursor *)cur;
  return c->at >= c->n;
}

static int ann_next(lode_index_cursor *cur) {
  ((AnnCursor *)cur)->at++;
  return LODE_OK;
}

static lode_int64 ann_rowid(lode_index_cursor *cur) {
  AnnCursor *c = (AnnCursor *)cur;
  return c->at < c->n ? c->rowids[c->at] : 0;
}

/* Every node decodes with the index's shape, their number is the metadata's
** count, and it is the table's count of rows with a vector (NULLs are not
** indexed).  Each node's rowid naming a row of the table is not checked:
** equal counts and the row-change path keep them together. */
static int ann_integrity(lode_index_cursor *cur, lode_int64 rows) {
  AnnCursor *c = (AnnCursor *)cur;
  int64_t nodes = 0;
  int rc = vector_ann_check(c->ann, &nodes);
  if (rc != LODE_OK) {
    if (rc == LODE_NOMEM) return rc;
    const char *m = vector_ann_errmsg(c->ann);
    c->base.errmsg = util_strdup(m && m[0] ? m : "the graph does not decode");
    return LODE_CORRUPT;
  }
  if (nodes != rows) {
    c->base.errmsg =
        util_mprintf("%lld nodes in the graph, %lld rows with a vector in the table", (long long)nodes, (long long)rows);
    return c->base.errmsg ? LODE_CORRUPT : LODE_NOMEM;
  }
  return LODE_OK;
}

const lode_index_method idxm_vector_ann = {
    3, ANN_NAME, NULL, ann_attach, ann_detach, ann_open, ann_close, ann_insert, ann_delete,
    ann_query, ann_eof, ann_next, ann_rowid, NULL, ann_integrity, NULL,
};
