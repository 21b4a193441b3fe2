/*
** toy_sparse_ivf.c — toy_vector_sparse_ivf: an inverted index over one
** column of float32 sparse vectors, answering
**   SELECT vector_distance_jaccard(col, ?) AS d FROM t ORDER BY d LIMIT ?
** (and the same with the arguments swapped) as Turso's method of that name
** does: the rows sharing at least one nonzero position with the query
** vector, nearest first (ties by rowid), at most LIMIT of them.  Rows
** sharing no position are not candidates (a row at distance 1 only shows
** up through another plan).
**
** Stores: "postings" (major = position, minor = rowid, empty value) and
** "vectors" (major = rowid: the vector as indexed).  Parameter: delta
** (a number, accepted for Turso's syntax; the search here is exhaustive
** over the candidates, so it changes nothing).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ext/vector/vector.h"
#include "idxmethod/idxmethod_int.h"
#include "util/util.h"

#define TOY_NAME "toy_vector_sparse_ivf"

typedef struct ToyAttachment {
  lode_index_attachment base;
  const char *patterns[2];
  char *pattern_text[2];
} ToyAttachment;

typedef struct ToyHit {
  double distance;
  int64_t rowid;
} ToyHit;

typedef struct ToyCursor {
  lode_index_cursor base;
  lode_index_store *postings, *vectors;
  ToyHit *hits;
  int64_t nhits, at;
  /* integrity_check: the table's rows with a vector so far, and the postings they need. */
  int64_t check_rows, check_postings;
} ToyCursor;

static const char *const toy_stores[] = {"postings", "vectors"};

static void toy_detach(lode_index_attachment *a) {
  ToyAttachment *t = (ToyAttachment *)a;
  util_free(t->pattern_text[0]);
  util_free(t->pattern_text[1]);
  util_free(t);
}

static int toy_attach(void *user_data, const lode_index_config *cfg, lode_index_attachment **out, char **errmsg) {
  (void)user_data;
  if (cfg->ncols != 1) {
    *errmsg = util_mprintf(TOY_NAME " indexes exactly one column");
    return LODE_ERROR;
  }
  for (int i = 0; i < cfg->nparams; i++) {
    const lode_index_param *p = &cfg->params[i];
    if (util_stricmp(p->name, "delta") != 0) {
      *errmsg = util_mprintf(TOY_NAME ": unknown parameter %s", p->name);
      return LODE_ERROR;
    }
    if (p->type != LODE_FLOAT && p->type != LODE_INTEGER) {
      *errmsg = util_mprintf(TOY_NAME ": parameter delta must be a number");
      return LODE_ERROR;
    }
  }
  ToyAttachment *t = util_zalloc(sizeof *t);
  char *col = idxm_quoted(cfg->col_names[0]), *tab = idxm_quoted(cfg->table_name);
  if (t && col && tab) {
    t->pattern_text[0] =
        util_mprintf("SELECT vector_distance_jaccard(%s, ?) AS distance FROM %s ORDER BY distance LIMIT ?", col, tab);
    t->pattern_text[1] =
        util_mprintf("SELECT vector_distance_jaccard(?, %s) AS distance FROM %s ORDER BY distance LIMIT ?", col, tab);
  }
  util_free(col);
  util_free(tab);
  if (!t || !t->pattern_text[0] || !t->pattern_text[1]) {
    if (t) toy_detach(&t->base);
    return LODE_NOMEM;
  }
  t->patterns[0] = t->pattern_text[0];
  t->patterns[1] = t->pattern_text[1];
  t->base.nstores = 2;
  t->base.store_suffixes = toy_stores;
  t->base.npatterns = 2;
  t->base.patterns = t->patterns;
  *out = &t->base;
  return LODE_OK;
}

static int toy_open(lode_index_attachment *a, lode_index_store *const *stores, lode_index_cursor **out) {
  (void)a;
  ToyCursor *c = util_zalloc(sizeof *c);
  if (!c) return LODE_NOMEM;
  c->postings = stores[0];
  c->vectors = stores[1];
  *out = &c->base;
  return LODE_OK;
}

static void toy_close(lode_index_cursor *cur) {
  ToyCursor *c = (ToyCursor *)cur;
  util_free(c->hits);
  util_free(c);
}

static int fail(ToyCursor *c, const char *msg) {
  c->base.errmsg = util_strdup(msg);
  return LODE_ERROR;
}

/* The value's positions; *skip = 1 for NULL (not indexed). */
static int positions(ToyCursor *c, lode_value *v, const uint8_t **idx, uint32_t *nnz, int *skip) {
  *skip = lode_value_type(v) == LODE_NULL;
  if (*skip) return LODE_OK;
  if (lode_value_type(v) != LODE_BLOB ||
      vector_sparse_positions(lode_value_blob(v), lode_value_bytes(v), idx, nnz) != 0)
    return fail(c, TOY_NAME ": the indexed value must be a float32 sparse vector");
  return LODE_OK;
}

static uint32_t ld_u32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int toy_insert(lode_index_cursor *cur, lode_value **vals, lode_int64 rowid) {
  ToyCursor *c = (ToyCursor *)cur;
  const uint8_t *idx;
  uint32_t nnz;
  int skip, rc = positions(c, vals[0], &idx, &nnz, &skip);
  if (rc != LODE_OK || skip) return rc;
  for (uint32_t i = 0; i < nnz && rc == LODE_OK; i++)
    rc = lode_index_store_put(c->postings, ld_u32(idx + 4 * (size_t)i), rowid, NULL, 0);
  if (rc == LODE_OK) rc = lode_index_store_put(c->vectors, rowid, 0, lode_value_blob(vals[0]), lode_value_bytes(vals[0]));
  return rc;
}

static int toy_delete(lode_index_cursor *cur, lode_value **vals, lode_int64 rowid) {
  ToyCursor *c = (ToyCursor *)cur;
  const uint8_t *idx;
  uint32_t nnz;
  int skip, rc = positions(c, vals[0], &idx, &nnz, &skip);
  if (rc != LODE_OK || skip) return rc;
  for (uint32_t i = 0; i < nnz && rc == LODE_OK; i++) {
    rc = lode_index_store_delete(c->postings, ld_u32(idx + 4 * (size_t)i), rowid);
    if (rc == LODE_NOTFOUND) rc = LODE_OK;
  }
  if (rc == LODE_OK) rc = lode_index_store_delete(c->vectors, rowid, 0);
  return rc == LODE_NOTFOUND ? LODE_OK : rc;
}

static int by_distance(const void *a, const void *b) {
  const ToyHit *x = a, *y = b;
  int xn = isnan(x->distance), yn = isnan(y->distance);
  if (xn != yn) return xn ? -1 : 1; /* NULL distances sort first, as ORDER BY puts NULLs */
  if (!xn && x->distance != y->distance) return x->distance < y->distance ? -1 : 1;
  return x->rowid < y->rowid ? -1 : x->rowid > y->rowid;
}

static int by_rowid(const void *a, const void *b) {
  const ToyHit *x = a, *y = b;
  return x->rowid < y->rowid ? -1 : x->rowid > y->rowid;
}

/* Every rowid sharing a position with the query, once each. */
static int collect(ToyCursor *c, const uint8_t *idx, uint32_t nnz) {
  int64_t cap = 0;
  int rc = LODE_OK;
  for (uint32_t i = 0; i < nnz && rc == LODE_OK; i++) {
    int64_t pos = ld_u32(idx + 4 * (size_t)i), major, minor;
    int eof = 0;
    for (rc = lode_index_store_seek(c->postings, pos, INT64_MIN, &eof); rc == LODE_OK && !eof;
         rc = lode_index_store_next(c->postings, &eof)) {
      lode_index_store_key(c->postings, &major, &minor);
      if (major != pos) break;
      if (c->nhits == cap) {
        cap = cap ? 2 * cap : 64;
        ToyHit *grown = util_realloc(c->hits, sizeof(ToyHit) * (size_t)cap);
        if (!grown) return LODE_NOMEM;
        c->hits = grown;
      }
      c->hits[c->nhits].rowid = minor;
      c->hits[c->nhits++].distance = 0;
    }
  }
  if (rc != LODE_OK || c->nhits == 0) return rc;
  qsort(c->hits, (size_t)c->nhits, sizeof(ToyHit), by_rowid);
  int64_t n = 1;
  for (int64_t i = 1; i < c->nhits; i++)
    if (c->hits[i].rowid != c->hits[n - 1].rowid) c->hits[n++] = c->hits[i];
  c->nhits = n;
  return LODE_OK;
}

static int toy_query(lode_index_cursor *cur, int pattern, int nargs, lode_value **args) {
  ToyCursor *c = (ToyCursor *)cur;
  const uint8_t *idx;
  uint32_t nnz;
  c->nhits = c->at = 0;
  if (nargs != 2) return fail(c, TOY_NAME ": a query takes a vector and a limit");
  lode_value *q = args[0];
  int64_t limit = lode_value_int64(args[1]);
  (void)pattern;
  if (lode_value_type(q) == LODE_NULL) return LODE_OK; /* every distance is NULL: no candidate ranks */
  if (lode_value_type(q) != LODE_BLOB || vector_sparse_positions(lode_value_blob(q), lode_value_bytes(q), &idx, &nnz))
    return fail(c, TOY_NAME ": the query must be a float32 sparse vector");
  int rc = collect(c, idx, nnz);
  for (int64_t i = 0; rc == LODE_OK && i < c->nhits; i++) {
    const void *v;
    int n;
    rc = lode_index_store_get(c->vectors, c->hits[i].rowid, 0, &v, &n);
    if (rc == LODE_NOTFOUND) return fail(c, TOY_NAME ": index is inconsistent with its table");
    if (rc == LODE_OK &&
        vector_sparse_jaccard(v, n, lode_value_blob(q), lode_value_bytes(q), &c->hits[i].distance) != 0)
      return fail(c, "vector_distance_jaccard: vectors must be of the same type and dimensions");
  }
  if (rc != LODE_OK) return rc;
  qsort(c->hits, (size_t)c->nhits, sizeof(ToyHit), by_distance);
  if (limit >= 0 && limit < c->nhits) c->nhits = limit;
  return LODE_OK;
}

static int toy_eof(lode_index_cursor *cur) {
  ToyCursor *c = (ToyCursor *)cur;
  return c->at >= c->nhits;
}

static int toy_next(lode_index_cursor *cur) {
  ((ToyCursor *)cur)->at++;
  return LODE_OK;
}

static lode_int64 toy_rowid(lode_index_cursor *cur) {
  ToyCursor *c = (ToyCursor *)cur;
  return c->at < c->nhits ? c->hits[c->at].rowid : 0;
}

/* ---- PRAGMA integrity_check: each row's vector and postings are looked up
** (toy_integrity_row); then the stores hold no more than the rows needed
** (toy_integrity). ---- */

static int corrupt(ToyCursor *c, char *msg) {
  util_free(c->base.errmsg);
  c->base.errmsg = msg;
  return msg ? LODE_CORRUPT : LODE_NOMEM;
}

static int toy_integrity_row(lode_index_cursor *cur, lode_value **vals, lode_int64 rowid) {
  ToyCursor *c = (ToyCursor *)cur;
  const uint8_t *idx;
  uint32_t nnz;
  const void *v;
  int n, missing = 0;
  if (lode_value_type(vals[0]) == LODE_NULL) return LODE_OK;
  if (lode_value_type(vals[0]) != LODE_BLOB ||
      vector_sparse_positions(lode_value_blob(vals[0]), lode_value_bytes(vals[0]), &idx, &nnz) != 0)
    return corrupt(c, util_mprintf("rowid %lld holds no float32 sparse vector", (long long)rowid));
  c->check_rows++;
  c->check_postings += nnz;
  int rc = lode_index_store_get(c->vectors, rowid, 0, &v, &n);
  if (rc == LODE_NOTFOUND) return corrupt(c, util_mprintf("rowid %lld is missing from the vectors", (long long)rowid));
  if (rc != LODE_OK) return rc;
  if (n != lode_value_bytes(vals[0]) || memcmp(v, lode_value_blob(vals[0]), (size_t)n) != 0)
    return corrupt(c, util_mprintf("rowid %lld: the vector indexed is not the row's", (long long)rowid));
  int64_t first = -1;
  for (uint32_t i = 0; i < nnz; i++) {
    int64_t pos = ld_u32(idx + 4 * (size_t)i);
    rc = lode_index_store_get(c->postings, pos, rowid, &v, &n);
    if (rc == LODE_NOTFOUND) {
      if (!missing++) first = pos;
      continue;
    }
    if (rc != LODE_OK) return rc;
  }
  if (missing)
    return corrupt(c, util_mprintf("rowid %lld: %d of its %u postings are missing (position %lld first)",
                                   (long long)rowid, missing, nnz, (long long)first));
  return LODE_OK;
}

static int count_entries(lode_index_store *s, int64_t *n) {
  int eof = 0, rc;
  *n = 0;
  for (rc = lode_index_store_seek(s, INT64_MIN, INT64_MIN, &eof); rc == LODE_OK && !eof;
       rc = lode_index_store_next(s, &eof))
    (*n)++;
  return rc;
}

static int toy_integrity(lode_index_cursor *cur, lode_int64 rows) {
  ToyCursor *c = (ToyCursor *)cur;
  int64_t nvec = 0, npost = 0;
  int rc = count_entries(c->vectors, &nvec);
  if (rc == LODE_OK) rc = count_entries(c->postings, &npost);
  if (rc != LODE_OK) return rc;
  (void)rows; /* the same as check_rows: both count the rows with a value */
  if (nvec > c->check_rows)
    return corrupt(c, util_mprintf("%lld vectors in the index, %lld rows with a vector in the table", (long long)nvec,
                                   (long long)c->check_rows));
  if (npost > c->check_postings)
    return corrupt(c, util_mprintf("%lld postings in the index, the rows' vectors need %lld", (long long)npost,
                                   (long long)c->check_postings));
  return LODE_OK;
}

const lode_index_method idxm_toy_sparse_ivf = {
    4, TOY_NAME, NULL, toy_attach, toy_detach, toy_open, toy_close, toy_insert, toy_delete,
    toy_query, toy_eof, toy_next, toy_rowid, NULL, toy_integrity, toy_integrity_row,
};
