/*
** test_vector_ann.c — the approximate-nearest-neighbour index of
** engine/src/ext/vector_ann over its in-memory store: parameters and their
** errors, vector checks, distances equal to the SQL functions', exact
** results at full width, recall@10 against brute force on clustered and
** uniformly random 768-dimensional data (before and after 20% deletes and
** re-inserts), determinism, rowids across all of int64, allocation
** failures and malformed blobs.
**
** CI sizes by default; LODE_ANN_LONG=1 runs the recall tests on 100,000
** vectors (minutes).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ext/vector_ann/vector_ann.h"
#include "lode.h"
#include "testdb.h"
#include "testlib.h"

/* ---- data ------------------------------------------------------------------------- */

static double gauss(Rng *r) {
  double u = ((double)(rng_next(r) >> 11) + 0.5) / 9007199254740992.0;
  double v = ((double)(rng_next(r) >> 11) + 0.5) / 9007199254740992.0;
  return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static double unit(Rng *r) { return (double)(rng_next(r) >> 11) / 9007199254740992.0; }

/* n float32 vectors of d dims: around ncentres centres (uniform in the
** cube, each point the centre plus gaussian noise of sigma 0.3), or
** uniform in [-1, 1] when ncentres is 0. */
static float *make_data(uint64_t seed, int n, int d, int ncentres) {
  Rng r;
  float *v = malloc((size_t)n * (size_t)d * sizeof *v), *c = NULL;
  rng_seed(&r, seed);
  if (ncentres > 0) {
    c = malloc((size_t)ncentres * (size_t)d * sizeof *c);
    for (size_t i = 0; i < (size_t)ncentres * (size_t)d; i++) c[i] = (float)(unit(&r) * 2 - 1);
  }
  for (int i = 0; i < n; i++) {
    const float *ci = c ? c + (size_t)rng_int(&r, ncentres) * (size_t)d : NULL;
    for (int j = 0; j < d; j++)
      v[(size_t)i * d + j] = ci ? (float)(ci[j] + 0.3 * gauss(&r)) : (float)(unit(&r) * 2 - 1);
  }
  free(c);
  return v;
}

static double cos_dist(const float *a, const float *b, int d) {
  double ab = 0, aa = 0, bb = 0;
  for (int i = 0; i < d; i++) {
    ab += (double)a[i] * b[i];
    aa += (double)a[i] * a[i];
    bb += (double)b[i] * b[i];
  }
  return 1 - ab / sqrt(aa * bb);
}

/* The k nearest of the live rows (alive[i]) to q by cosine, brute force. */
static void brute_force(const float *data, const char *alive, int n, int d, const float *q, int k, int64_t *out) {
  double *best = malloc((size_t)k * sizeof *best);
  int nb = 0;
  for (int i = 0; i < n; i++) {
    if (alive && !alive[i]) continue;
    double x = cos_dist(data + (size_t)i * d, q, d);
    int j = nb < k ? nb++ : k;
    if (j == k && x >= best[k - 1]) continue;
    if (j == k) j = k - 1;
    while (j > 0 && best[j - 1] > x) {
      best[j] = best[j - 1];
      out[j] = out[j - 1];
      j--;
    }
    best[j] = x;
    out[j] = i;
  }
  free(best);
}

typedef struct AnnIdx {
  VectorAnnMemStore *ms;
  VectorAnnStore st;
  VectorAnn *ann;
} AnnIdx;

static int index_open(AnnIdx *x, const VectorAnnConfig *cfg) {
  x->ms = vector_ann_memstore_new();
  if (!x->ms) return LODE_NOMEM;
  x->st = vector_ann_memstore(x->ms);
  return vector_ann_open(&x->st, cfg, &x->ann);
}

static void index_close(AnnIdx *x) {
  vector_ann_close(x->ann);
  vector_ann_memstore_free(x->ms);
}

static int insert_f32(AnnIdx *x, int64_t rowid, const float *v, int d) {
  return vector_ann_insert(x->ann, rowid, v, d * 4);
}

/* Mean recall@10 of nq queries (rows 0..nq-1 of queries) at a width. */
static double recall_at(AnnIdx *x, const float *data, const char *alive, int n, int d, const float *queries, int nq,
                        int width) {
  int hits = 0, total = 0;
  for (int qi = 0; qi < nq; qi++) {
    const float *q = queries + (size_t)qi * d;
    int64_t truth[10], got[10];
    double dists[10];
    int cnt = 0;
    brute_force(data, alive, n, d, q, 10, truth);
    if (vector_ann_search(x->ann, q, d * 4, 10, width, got, dists, &cnt) != LODE_OK) return -1;
    for (int i = 0; i < 10; i++) {
      for (int j = 0; j < cnt; j++) hits += got[j] == truth[i];
    }
    total += 10;
  }
  return (double)hits / total;
}

static int long_mode(void) {
  const char *e = getenv("LODE_ANN_LONG");
  return e && *e && strcmp(e, "0") != 0;
}

/* ---- parameters ------------------------------------------------------------------- */

static VectorAnnParam pint(const char *name, int64_t v) {
  VectorAnnParam p = {name, VECTOR_ANN_PARAM_INT, v, 0, NULL, 0};
  return p;
}
static VectorAnnParam ptext(const char *name, const char *z) {
  VectorAnnParam p = {name, VECTOR_ANN_PARAM_TEXT, 0, 0, z, (int)strlen(z)};
  return p;
}
static VectorAnnParam preal(const char *name, double r) {
  VectorAnnParam p = {name, VECTOR_ANN_PARAM_REAL, 0, r, NULL, 0};
  return p;
}

TEST(params_set_every_build_and_search_setting) {
  VectorAnnConfig c;
  char err[200];
  VectorAnnParam ps[] = {ptext("metric", "l2"), ptext("TYPE", "float64"), pint("dims", 768), pint("m", 24),
                         pint("ef_construction", 150), pint("ef_search", 80), preal("alpha", 1.2),
                         pint("seed", -5)};
  vector_ann_config_default(&c);
  CHECK_EQ_INT(c.metric, VECTOR_ANN_COSINE);
  CHECK_EQ_INT(c.m, 16);
  CHECK_EQ_INT(c.ef_construction, 100);
  CHECK_EQ_INT(c.ef_search, 64);
  CHECK_EQ_INT(vector_ann_config_parse(&c, ps, 8, err, sizeof err), LODE_OK);
  CHECK_EQ_INT(c.metric, VECTOR_ANN_L2);
  CHECK_EQ_INT(c.type, VECTOR_ANN_F64);
  CHECK_EQ_INT(c.dims, 768);
  CHECK_EQ_INT(c.m, 24);
  CHECK_EQ_INT(c.ef_construction, 150);
  CHECK_EQ_INT(c.ef_search, 80);
  CHECK(c.alpha == 1.2);
  CHECK(c.seed == (uint64_t)-5);
  ps[0] = ptext("metric", "COSINE");
  CHECK_EQ_INT(vector_ann_config_parse(&c, ps, 1, err, sizeof err), LODE_OK);
  CHECK_EQ_INT(c.metric, VECTOR_ANN_COSINE);
  ps[0] = ptext("metric", "dot");
  CHECK_EQ_INT(vector_ann_config_parse(&c, ps, 1, err, sizeof err), LODE_OK);
  CHECK_EQ_INT(c.metric, VECTOR_ANN_DOT);
}

TEST(params_unknown_name_is_an_error_listing_the_known_ones) {
  VectorAnnConfig c;
  char err[200];
  VectorAnnParam p = pint("efConstruction", 10);
  vector_ann_config_default(&c);
  CHECK_EQ_INT(vector_ann_config_parse(&c, &p, 1, err, sizeof err), LODE_ERROR);
  CHECK_EQ_STR(err, "vector_ann: unknown parameter 'efConstruction' (known: metric, type, dims, m, "
                    "ef_construction, ef_search, alpha, seed)");
}

TEST(params_bad_values_are_errors_naming_the_range) {
  VectorAnnConfig c;
  char err[200];
  struct {
    VectorAnnParam p;
    const char *msg;
  } cases[] = {
      {pint("m", 1), "vector_ann: m must be an integer between 2 and 100"},
      {ptext("m", "16"), "vector_ann: m must be an integer between 2 and 100"},
      {preal("m", 16.0), "vector_ann: m must be an integer between 2 and 100"},
      {pint("dims", 0), "vector_ann: dims must be an integer between 1 and 65536"},
      {pint("ef_search", 0), "vector_ann: ef_search must be an integer between 1 and 100000"},
      {pint("ef_construction", 20000), "vector_ann: ef_construction must be an integer between 1 and 10000"},
      {ptext("metric", "hamming"), "vector_ann: metric must be 'cosine', 'l2' or 'dot'"},
      {pint("metric", 1), "vector_ann: metric must be 'cosine', 'l2' or 'dot'"},
      {ptext("type", "float8"), "vector_ann: type must be 'float32' or 'float64'"},
      {preal("alpha", 0.5), "vector_ann: alpha must be a number between 1 and 4"},
      {preal("alpha", NAN), "vector_ann: alpha must be a number between 1 and 4"},
      {preal("seed", 1.5), "vector_ann: seed must be an integer"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    vector_ann_config_default(&c);
    CHECK_EQ_INT(vector_ann_config_parse(&c, &cases[i].p, 1, err, sizeof err), LODE_ERROR);
    CHECK_EQ_STR(err, cases[i].msg);
  }
}

TEST(params_repeated_name_is_an_error) {
  VectorAnnConfig c;
  char err[200];
  VectorAnnParam ps[] = {pint("m", 8), pint("M", 8)};
  vector_ann_config_default(&c);
  CHECK_EQ_INT(vector_ann_config_parse(&c, ps, 2, err, sizeof err), LODE_ERROR);
  CHECK_EQ_STR(err, "vector_ann: parameter m given twice");
}

TEST(open_refuses_an_invalid_configuration) {
  VectorAnnConfig c;
  VectorAnnMemStore *ms = vector_ann_memstore_new();
  VectorAnnStore st = vector_ann_memstore(ms);
  VectorAnn *a = (VectorAnn *)&c;
  vector_ann_config_default(&c);
  c.m = 1;
  CHECK_EQ_INT(vector_ann_open(&st, &c, &a), LODE_MISUSE);
  CHECK(a == NULL);
  vector_ann_memstore_free(ms);
}

/* ---- vectors and errors ----------------------------------------------------------- */

TEST(search_of_an_empty_index_returns_nothing) {
  VectorAnnConfig c;
  AnnIdx x;
  float q[4] = {1, 2, 3, 4};
  int64_t ids[5];
  double d[5];
  int cnt = -1;
  int64_t n;
  int top;
  vector_ann_config_default(&c);
  CHECK_EQ_INT(index_open(&x, &c), LODE_OK);
  CHECK_EQ_INT(vector_ann_search(x.ann, q, 16, 5, 0, ids, d, &cnt), LODE_OK);
  CHECK_EQ_INT(cnt, 0);
  CHECK_EQ_INT(vector_ann_delete(x.ann, 7), LODE_OK);
  CHECK_EQ_INT(vector_ann_stats(x.ann, &n, &top), LODE_OK);
  CHECK_EQ_INT(n, 0);
  index_close(&x);
}

TEST(vectors_of_other_dims_or_type_are_refused_with_a_message) {
  VectorAnnConfig c;
  AnnIdx x;
  float v4[4] = {1, 2, 3, 4}, v3[3] = {1, 2, 3};
  uint8_t f64[8 * 4 + 1];
  int64_t ids[2];
  double d[2];
  int cnt;
  double dv[4] = {1, 2, 3, 4};
  memcpy(f64, dv, 32);
  f64[32] = 2;
  vector_ann_config_default(&c);
  CHECK_EQ_INT(index_open(&x, &c), LODE_OK);
  CHECK_EQ_INT(insert_f32(&x, 1, v4, 4), LODE_OK);
  CHECK_EQ_INT(insert_f32(&x, 2, v3, 3), LODE_ERROR);
  CHECK_EQ_STR(vector_ann_errmsg(x.ann), "vector_ann: the inserted value has 3 dimensions, the index's vectors 4");
  CHECK_EQ_INT(vector_ann_insert(x.ann, 3, f64, sizeof f64), LODE_ERROR);
  CHECK_EQ_STR(vector_ann_errmsg(x.ann),
               "vector_ann: the inserted value is a float64 vector, the index holds float32 vectors");
  CHECK_EQ_INT(vector_ann_search(x.ann, v3, 12, 2, 0, ids, d, &cnt), LODE_ERROR);
  CHECK_EQ_STR(vector_ann_errmsg(x.ann), "vector_ann: the query vector has 3 dimensions, the index's vectors 4");
  index_close(&x);

  /* dims given as a parameter bind the first insert too */
  c.dims = 3;
  CHECK_EQ_INT(index_open(&x, &c), LODE_OK);
  CHECK_EQ_INT(insert_f32(&x, 1, v4, 4), LODE_ERROR);
  CHECK_EQ_STR(vector_ann_errmsg(x.ann), "vector_ann: the inserted value has 4 dimensions, the index's vectors 3");
  CHECK_EQ_INT(insert_f32(&x, 1, v3, 3), LODE_OK);
  index_close(&x);
}

TEST(malformed_and_non_finite_vectors_are_refused) {
  VectorAnnConfig c;
  AnnIdx x;
  uint8_t b[13] = {0};
  float nanv[2] = {1, NAN};
  vector_ann_config_default(&c);
  CHECK_EQ_INT(index_open(&x, &c), LODE_OK);
  CHECK_EQ_INT(vector_ann_insert(x.ann, 1, b, 0), LODE_ERROR);
  CHECK_EQ_STR(vector_ann_errmsg(x.ann), "vector_ann: the inserted value is not a vector blob");
  CHECK_EQ_INT(vector_ann_insert(x.ann, 1, b, 6), LODE_ERROR);
  CHECK_EQ_STR(vector_ann_errmsg(x.ann), "vector_ann: the inserted value is a malformed vector blob");
  b[12] = 4; /* float8 */
  CHECK_EQ_INT(vector_ann_insert(x.ann, 1, b, 13), LODE_ERROR);
  CHECK_EQ_STR(vector_ann_errmsg(x.ann), "vector_ann: the inserted value must be a float32 or float64 dense vector");
  b[12] = 9; /* sparse */
  CHECK_EQ_INT(vector_ann_insert(x.ann, 1, b, 13), LODE_ERROR);
  CHECK_EQ_INT(vector_ann_insert(x.ann, 1, nanv, 8), LODE_ERROR);
  CHECK_EQ_STR(vector_ann_errmsg(x.ann), "vector_ann: the inserted value holds NaN or infinity");
  b[12] = 1; /* float32 with its type byte */
  CHECK_EQ_INT(vector_ann_insert(x.ann, 1, b, 13), LODE_OK);
  index_close(&x);
}

TEST(a_config_that_differs_from_the_built_index_is_an_error) {
  VectorAnnConfig c;
  AnnIdx x;
  VectorAnn *other;
  float v[2] = {1, 2};
  int64_t ids[1];
  double d[1];
  int cnt;
  vector_ann_config_default(&c);
  CHECK_EQ_INT(index_open(&x, &c), LODE_OK);
  CHECK_EQ_INT(insert_f32(&x, 1, v, 2), LODE_OK);
  c.m = 8;
  CHECK_EQ_INT(vector_ann_open(&x.st, &c, &other), LODE_OK);
  CHECK_EQ_INT(vector_ann_search(other, v, 8, 1, 0, ids, d, &cnt), LODE_ERROR);
  CHECK_EQ_STR(vector_ann_errmsg(other), "vector_ann: the index was built with m = 16");
  vector_ann_close(other);
  c.m = 16;
  c.metric = VECTOR_ANN_L2;
  CHECK_EQ_INT(vector_ann_open(&x.st, &c, &other), LODE_OK);
  CHECK_EQ_INT(vector_ann_insert(other, 2, v, 8), LODE_ERROR);
  CHECK_EQ_STR(vector_ann_errmsg(other), "vector_ann: the index was built with metric 'cosine'");
  vector_ann_close(other);
  index_close(&x);
}

/* ---- exactness and distances ------------------------------------------------------- */

/* A float32 or float64 blob of v (d values). */
static int make_blob(const float *v, int d, int f64, uint8_t *out) {
  if (!f64) {
    memcpy(out, v, (size_t)d * 4);
    return d * 4;
  }
  for (int i = 0; i < d; i++) {
    double x = v[i];
    memcpy(out + 8 * i, &x, 8);
  }
  out[8 * d] = 2;
  return 8 * d + 1;
}

static double sql_distance(lode *db, int metric, const uint8_t *a, int na, const uint8_t *b, int nb) {
  const char *sql = metric == VECTOR_ANN_COSINE ? "SELECT vector_distance_cos(?1, ?2)"
                    : metric == VECTOR_ANN_L2   ? "SELECT vector_distance_l2(?1, ?2)"
                                                : "SELECT vector_distance_dot(?1, ?2)";
  lode_stmt *st;
  double r = NAN;
  if (lode_prepare(db, sql, -1, &st, NULL) != LODE_OK) return NAN;
  lode_bind_blob(st, 1, a, na, LODE_STATIC);
  lode_bind_blob(st, 2, b, nb, LODE_STATIC);
  if (lode_step(st) == LODE_ROW) r = lode_column_double(st, 0);
  lode_finalize(st);
  return r;
}

TEST(full_width_search_is_exact_with_the_sql_functions_distances) {
  enum { N = 300, D = 24, K = 20 };
  float *data = make_data(11, N, D, 0), *queries = make_data(12, 5, D, 0);
  lode *db;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  for (int metric = VECTOR_ANN_COSINE; metric <= VECTOR_ANN_DOT; metric++) {
    for (int f64 = 0; f64 <= 1; f64++) {
      VectorAnnConfig c;
      AnnIdx x;
      uint8_t blob[D * 8 + 1], qb[D * 8 + 1];
      vector_ann_config_default(&c);
      c.metric = metric;
      c.m = 8;
      CHECK_EQ_INT(index_open(&x, &c), LODE_OK);
      for (int i = 0; i < N; i++) {
        int n = make_blob(data + i * D, D, f64, blob);
        CHECK_EQ_INT(vector_ann_insert(x.ann, i, blob, n), LODE_OK);
      }
      for (int qi = 0; qi < 5; qi++) {
        int64_t ids[K];
        double d[K], prev = -INFINITY;
        int cnt, nq = make_blob(queries + qi * D, D, f64, qb);
        CHECK_EQ_INT(vector_ann_search(x.ann, qb, nq, K, N, ids, d, &cnt), LODE_OK);
        CHECK_EQ_INT(cnt, K);
        /* every distance is the SQL function's, nearest first, and no row
        ** outside the results is nearer than the last */
        int outside_nearer = 0;
        for (int i = 0; i < cnt; i++) {
          int n = make_blob(data + ids[i] * D, D, f64, blob);
          double s = sql_distance(db, metric, blob, n, qb, nq);
          if (memcmp(&s, &d[i], sizeof s) != 0) TEST_FAIL_("metric %d f64 %d: %.17g != sql %.17g", metric, f64,
                                                          d[i], s);
          CHECK(d[i] >= prev);
          prev = d[i];
        }
        for (int r = 0; r < N; r++) {
          int in = 0, n = make_blob(data + r * D, D, f64, blob);
          for (int i = 0; i < cnt; i++) in |= ids[i] == r;
          if (!in && sql_distance(db, metric, blob, n, qb, nq) < d[cnt - 1]) outside_nearer++;
        }
        CHECK_EQ_INT(outside_nearer, 0);
      }
      index_close(&x);
    }
  }
  lode_close(db);
  free(data);
  free(queries);
}

TEST(rowids_take_every_int64_value_apart_from_the_metadata) {
  VectorAnnConfig c;
  AnnIdx x;
  int64_t keys[] = {INT64_MIN, INT64_MAX, 0, -1, 1};
  float v[3];
  int64_t ids[5], n;
  double d[5];
  int cnt, top;
  vector_ann_config_default(&c);
  c.metric = VECTOR_ANN_L2;
  CHECK_EQ_INT(index_open(&x, &c), LODE_OK);
  for (int i = 0; i < 5; i++) {
    v[0] = (float)i, v[1] = 0, v[2] = 0;
    CHECK_EQ_INT(insert_f32(&x, keys[i], v, 3), LODE_OK);
  }
  v[0] = 0;
  CHECK_EQ_INT(vector_ann_search(x.ann, v, 12, 5, 0, ids, d, &cnt), LODE_OK);
  CHECK_EQ_INT(cnt, 5);
  for (int i = 0; i < 5 && cnt == 5; i++) {
    CHECK(ids[i] == keys[i]);
    CHECK(d[i] == (double)i);
  }
  CHECK_EQ_INT(vector_ann_stats(x.ann, &n, &top), LODE_OK);
  CHECK_EQ_INT(n, 5);
  index_close(&x);
}

TEST(inserting_a_present_rowid_replaces_its_vector) {
  VectorAnnConfig c;
  AnnIdx x;
  float v[2];
  int64_t ids[3], n;
  double d[3];
  int cnt, top;
  vector_ann_config_default(&c);
  c.metric = VECTOR_ANN_L2;
  CHECK_EQ_INT(index_open(&x, &c), LODE_OK);
  for (int i = 0; i < 3; i++) {
    v[0] = (float)(10 * i), v[1] = 0;
    CHECK_EQ_INT(insert_f32(&x, i, v, 2), LODE_OK);
  }
  v[0] = 25, v[1] = 0;
  CHECK_EQ_INT(insert_f32(&x, 0, v, 2), LODE_OK);
  v[0] = 26;
  CHECK_EQ_INT(vector_ann_search(x.ann, v, 8, 3, 0, ids, d, &cnt), LODE_OK);
  CHECK_EQ_INT(cnt, 3);
  CHECK_EQ_INT(ids[0], 0);
  CHECK(d[0] == 1.0);
  CHECK_EQ_INT(vector_ann_stats(x.ann, &n, &top), LODE_OK);
  CHECK_EQ_INT(n, 3);
  index_close(&x);
}

TEST(deleting_rows_one_by_one_keeps_the_rest_found_until_empty) {
  enum { N = 400, D = 16 };
  float *data = make_data(21, N, D, 20);
  VectorAnnConfig c;
  AnnIdx x;
  char alive[N];
  Rng r;
  int64_t ids[N], n;
  double d[N];
  int cnt, top, left = N, lost = 0;
  vector_ann_config_default(&c);
  c.m = 4; /* few neighbours, tall graph: entry points get deleted often */
  CHECK_EQ_INT(index_open(&x, &c), LODE_OK);
  for (int i = 0; i < N; i++) CHECK_EQ_INT(insert_f32(&x, i, data + i * D, D), LODE_OK);
  memset(alive, 1, sizeof alive);
  rng_seed(&r, 5);
  while (left > 0) {
    int i = rng_int(&r, N);
    if (!alive[i]) continue;
    CHECK_EQ_INT(vector_ann_delete(x.ann, i), LODE_OK);
    alive[i] = 0;
    left--;
    if (left % 40 == 0) {
      CHECK_EQ_INT(vector_ann_search(x.ann, data, D * 4, N, N, ids, d, &cnt), LODE_OK);
      for (int j = 0; j < cnt; j++) CHECK(alive[ids[j]]);
      lost += left - cnt;
    }
  }
  {
    int64_t nodes;
    CHECK_EQ_INT(vector_ann_check(x.ann, &nodes), LODE_OK);
    CHECK_EQ_INT(nodes, 0);
  }
  /* a full-width search reached every remaining row each time */
  CHECK_EQ_INT(lost, 0);
  CHECK_EQ_INT(vector_ann_stats(x.ann, &n, &top), LODE_OK);
  CHECK_EQ_INT(n, 0);
  CHECK_EQ_INT(vector_ann_search(x.ann, data, D * 4, 5, 0, ids, d, &cnt), LODE_OK);
  CHECK_EQ_INT(cnt, 0);
  CHECK_EQ_INT(insert_f32(&x, 3, data, D), LODE_OK);
  CHECK_EQ_INT(vector_ann_search(x.ann, data, D * 4, 5, 0, ids, d, &cnt), LODE_OK);
  CHECK_EQ_INT(cnt, 1);
  index_close(&x);
  free(data);
}

/* Builds an index of n rows, deletes every fifth, re-inserts them; the
** store's digest. */
static uint64_t build_digest(const float *data, int n, int d, uint64_t seed) {
  VectorAnnConfig c;
  AnnIdx x;
  uint64_t h;
  vector_ann_config_default(&c);
  c.seed = seed;
  c.m = 6;
  if (index_open(&x, &c)) return 0;
  for (int i = 0; i < n; i++) insert_f32(&x, i * 7, data + (size_t)i * d, d);
  for (int i = 0; i < n; i += 5) vector_ann_delete(x.ann, i * 7);
  for (int i = 0; i < n; i += 5) insert_f32(&x, i * 7, data + (size_t)i * d, d);
  h = vector_ann_memstore_digest(x.ms);
  index_close(&x);
  return h;
}

TEST(check_walks_every_node_and_finds_a_miscount_or_a_bad_node) {
  enum { N = 100, D = 6 };
  float *data = make_data(81, N, D, 0);
  VectorAnnConfig c;
  AnnIdx x;
  int64_t nodes;
  const uint8_t *b;
  int n;
  uint8_t buf[512];
  vector_ann_config_default(&c);
  c.m = 4;
  CHECK_EQ_INT(index_open(&x, &c), LODE_OK);
  for (int i = 0; i < N; i++) CHECK_EQ_INT(insert_f32(&x, i - N / 2, data + i * D, D), LODE_OK);
  CHECK_EQ_INT(insert_f32(&x, INT64_MAX, data, D), LODE_OK);
  CHECK_EQ_INT(vector_ann_check(x.ann, &nodes), LODE_OK);
  CHECK_EQ_INT(nodes, N + 1);
  /* a node the index does not know of */
  x.st.get(x.ms, VECTOR_ANN_NODES, 0, &b, &n);
  memcpy(buf, b, (size_t)n);
  x.st.put(x.ms, VECTOR_ANN_NODES, 1000, buf, n);
  CHECK_EQ_INT(vector_ann_check(x.ann, &nodes), LODE_CORRUPT);
  CHECK_EQ_STR(vector_ann_errmsg(x.ann), "vector_ann: 102 nodes, the metadata counts 101");
  /* a node cut short */
  x.st.del(x.ms, VECTOR_ANN_NODES, 1000);
  x.st.put(x.ms, VECTOR_ANN_NODES, 3, buf, n - 1);
  CHECK_EQ_INT(vector_ann_check(x.ann, &nodes), LODE_CORRUPT);
  CHECK_EQ_STR(vector_ann_errmsg(x.ann), "vector_ann: malformed node for rowid 3");
  index_close(&x);
  free(data);
}

TEST(same_seed_and_operations_give_the_same_bytes) {
  float *data = make_data(31, 300, 12, 10);
  uint64_t a = build_digest(data, 300, 12, 1), b = build_digest(data, 300, 12, 1), c = build_digest(data, 300, 12, 2);
  CHECK(a != 0);
  CHECK(a == b);
  CHECK(a != c);
  free(data);
}

/* ---- recall ------------------------------------------------------------------------ */

TEST(clustered_768d_recall_at_default_width_and_after_deletes) {
  int n = long_mode() ? 100000 : 2000, d = 768, centres = long_mode() ? 500 : 100, nq = long_mode() ? 200 : 50;
  /* the queries: nq more points around the same centres */
  float *data = make_data(41, n + nq, d, centres), *queries = data + (size_t)n * d;
  char *alive = malloc((size_t)n);
  VectorAnnConfig c;
  AnnIdx x;
  Rng r;
  double rec;
  int64_t blobs, bytes;
  vector_ann_config_default(&c);
  CHECK_EQ_INT(index_open(&x, &c), LODE_OK);
  for (int i = 0; i < n; i++) {
    if (insert_f32(&x, i, data + (size_t)i * d, d) != LODE_OK) {
      TEST_FAIL_("insert %d: %s", i, vector_ann_errmsg(x.ann));
      break;
    }
  }
  memset(alive, 1, (size_t)n);
  rec = recall_at(&x, data, alive, n, d, queries, nq, 0);
  vector_ann_memstore_usage(x.ms, VECTOR_ANN_NODES, &blobs, &bytes);
  printf("   clustered %d x %d: recall@10 %.4f at the default width; %.0f bytes a node\n", n, d, rec,
         (double)bytes / (double)blobs);
  CHECK(rec >= 0.95);
  /* delete a random 20%, check, re-insert them, check */
  rng_seed(&r, 43);
  for (int del = 0; del < n / 5;) {
    int i = rng_int(&r, n);
    if (!alive[i]) continue;
    if (vector_ann_delete(x.ann, i) != LODE_OK) {
      TEST_FAIL_("delete %d: %s", i, vector_ann_errmsg(x.ann));
      break;
    }
    alive[i] = 0;
    del++;
  }
  rec = recall_at(&x, data, alive, n, d, queries, nq, 0);
  printf("   after deleting 20%%: recall@10 %.4f\n", rec);
  CHECK(rec >= 0.95);
  for (int i = 0; i < n; i++) {
    if (alive[i]) continue;
    CHECK_EQ_INT(insert_f32(&x, i, data + (size_t)i * d, d), LODE_OK);
    alive[i] = 1;
  }
  rec = recall_at(&x, data, alive, n, d, queries, nq, 0);
  printf("   after re-inserting them: recall@10 %.4f\n", rec);
  CHECK(rec >= 0.95);
  {
    int64_t nodes;
    CHECK_EQ_INT(vector_ann_check(x.ann, &nodes), LODE_OK);
    CHECK_EQ_INT(nodes, n);
  }
  index_close(&x);
  free(alive);
  free(data);
}

TEST(uniform_random_768d_recall_and_the_width_that_reaches_095) {
  int n = long_mode() ? 100000 : 2000, d = 768, nq = long_mode() ? 200 : 50, width;
  float *data = make_data(51, n, d, 0), *queries = make_data(52, nq, d, 0);
  VectorAnnConfig c;
  AnnIdx x;
  double rec;
  vector_ann_config_default(&c);
  CHECK_EQ_INT(index_open(&x, &c), LODE_OK);
  for (int i = 0; i < n; i++) CHECK_EQ_INT(insert_f32(&x, i, data + (size_t)i * d, d), LODE_OK);
  rec = recall_at(&x, data, NULL, n, d, queries, nq, 0);
  printf("   uniform %d x %d: recall@10 %.4f at the default width\n", n, d, rec);
  CHECK(rec > 0.3);
  for (width = 64; width <= 4096; width *= 2) {
    rec = recall_at(&x, data, NULL, n, d, queries, nq, width);
    printf("   width %d: recall@10 %.4f\n", width, rec);
    if (rec >= 0.95) break;
  }
  CHECK(width <= 1024);
  index_close(&x);
  free(data);
  free(queries);
}

/* ---- robustness -------------------------------------------------------------------- */

TEST(allocation_failures_fail_cleanly_and_roll_back_to_the_same_bytes) {
  enum { N = 60, D = 8 };
  float *data = make_data(61, N + 1, D, 4);
  VectorAnnConfig c;
  AnnIdx x;
  int64_t ids[10];
  double d[10];
  int cnt, failures = 0;
  vector_ann_config_default(&c);
  c.m = 3;
  CHECK_EQ_INT(index_open(&x, &c), LODE_OK);
  for (int i = 0; i < N; i++) CHECK_EQ_INT(insert_f32(&x, i, data + i * D, D), LODE_OK);
  for (int op = 0; op < 4; op++) {
    for (int k = 1; k < 10000; k++) {
      uint64_t before = vector_ann_memstore_digest(x.ms);
      VectorAnn *fresh;
      int rc;
      /* a fresh handle each time, so that its scratch memory is allocated
      ** under the failures too */
      CHECK_EQ_INT(vector_ann_open(&x.st, &c, &fresh), LODE_OK);
      vector_ann_memstore_begin(x.ms);
      util_fail_alloc_after(k, 0);
      switch (op) {
      case 0: rc = insert_f32(&(AnnIdx){x.ms, x.st, fresh}, N, data + N * D, D); break;
      case 1: rc = vector_ann_delete(fresh, 5); break;
      case 2: rc = insert_f32(&(AnnIdx){x.ms, x.st, fresh}, 7, data + N * D, D); break;
      default: rc = vector_ann_search(fresh, data, D * 4, 10, 0, ids, d, &cnt); break;
      }
      util_fail_alloc_after(0, 0);
      vector_ann_close(fresh);
      if (rc == LODE_OK) {
        vector_ann_memstore_commit(x.ms);
        break;
      }
      failures++;
      CHECK_EQ_INT(rc, LODE_NOMEM);
      vector_ann_memstore_rollback(x.ms);
      CHECK(vector_ann_memstore_digest(x.ms) == before);
    }
  }
  CHECK(failures > 20);
  CHECK_EQ_INT(vector_ann_search(x.ann, data, D * 4, 10, N, ids, d, &cnt), LODE_OK);
  CHECK_EQ_INT(cnt, 10);
  index_close(&x);
  free(data);
}

TEST(malformed_node_blobs_give_corrupt_not_crashes) {
  enum { N = 50, D = 8 };
  float *data = make_data(71, N, D, 0);
  VectorAnnConfig c;
  AnnIdx x;
  Rng r;
  int64_t ids[10];
  double d[10];
  int cnt, corrupt = 0;
  vector_ann_config_default(&c);
  c.m = 4;
  CHECK_EQ_INT(index_open(&x, &c), LODE_OK);
  for (int i = 0; i < N; i++) CHECK_EQ_INT(insert_f32(&x, i, data + i * D, D), LODE_OK);
  rng_seed(&r, 72);
  for (int round = 0; round < 300; round++) {
    int64_t key = rng_int(&r, N);
    const uint8_t *b;
    int n, rc;
    uint8_t buf[4096];
    x.st.get(x.ms, VECTOR_ANN_NODES, key, &b, &n);
    if (!b) continue;
    memcpy(buf, b, (size_t)n);
    /* flip a byte, or cut the blob short, or make it longer */
    switch (rng_int(&r, 3)) {
    case 0: buf[rng_int(&r, n)] ^= (uint8_t)(1 + rng_int(&r, 255)); break;
    case 1: n = rng_int(&r, n); break;
    default: memset(buf + n, 0xff, 9), n += 9; break;
    }
    x.st.put(x.ms, VECTOR_ANN_NODES, key, buf, n);
    rc = vector_ann_search(x.ann, data + rng_int(&r, N) * D, D * 4, 10, 20, ids, d, &cnt);
    CHECK(rc == LODE_OK || rc == LODE_CORRUPT);
    corrupt += rc == LODE_CORRUPT;
    rc = round % 2 ? vector_ann_delete(x.ann, rng_int(&r, N)) : insert_f32(&x, rng_int(&r, N), data, D);
    CHECK(rc == LODE_OK || rc == LODE_CORRUPT);
  }
  CHECK(corrupt > 0);
  /* a malformed metadata blob */
  x.st.put(x.ms, VECTOR_ANN_META, 0, (const uint8_t *)"xx", 2);
  CHECK_EQ_INT(vector_ann_search(x.ann, data, D * 4, 10, 0, ids, d, &cnt), LODE_CORRUPT);
  CHECK_EQ_STR(vector_ann_errmsg(x.ann), "vector_ann: malformed index metadata");
  index_close(&x);
  free(data);
}

int main(void) {
  RUN(params_set_every_build_and_search_setting);
  RUN(params_unknown_name_is_an_error_listing_the_known_ones);
  RUN(params_bad_values_are_errors_naming_the_range);
  RUN(params_repeated_name_is_an_error);
  RUN(open_refuses_an_invalid_configuration);
  RUN(search_of_an_empty_index_returns_nothing);
  RUN(vectors_of_other_dims_or_type_are_refused_with_a_message);
  RUN(malformed_and_non_finite_vectors_are_refused);
  RUN(a_config_that_differs_from_the_built_index_is_an_error);
  RUN(full_width_search_is_exact_with_the_sql_functions_distances);
  RUN(rowids_take_every_int64_value_apart_from_the_metadata);
  RUN(inserting_a_present_rowid_replaces_its_vector);
  RUN(deleting_rows_one_by_one_keeps_the_rest_found_until_empty);
  RUN(check_walks_every_node_and_finds_a_miscount_or_a_bad_node);
  RUN(same_seed_and_operations_give_the_same_bytes);
  RUN(clustered_768d_recall_at_default_width_and_after_deletes);
  RUN(uniform_random_768d_recall_and_the_width_that_reaches_095);
  RUN(allocation_failures_fail_cleanly_and_roll_back_to_the_same_bytes);
  RUN(malformed_node_blobs_give_corrupt_not_crashes);
  return test_summary();
}
