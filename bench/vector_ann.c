/*
** bench/vector_ann.c — the vector_ann index (engine/src/ext/vector_ann) on
** its in-memory store against brute force: build time, index size, and
** top-10 queries per second with their recall@10, at several search widths.
**
** Brute force is measured twice: in C over the vectors in an array with the
** engine's distance kernels (the fastest a scan can be), and with SQL in
** Lode (`ORDER BY vector_distance_cos(emb, ?) LIMIT 10` over a :memory:
** table; --sql, slow).  Times are CPU seconds of the process; query rates
** are the best of three rounds.  Data: ROWS float32 vectors of DIMS dimensions,
** points around CENTRES centres (gaussian noise of sigma 0.3 around centres
** uniform in [-1, 1]^DIMS), or uniform in [-1, 1]^DIMS with --uniform.
**
** --churn then deletes a random 20% of the rows, re-inserts them, and
** reports the time and the recall at the default width after each step.
**
**   make bench-ann && out/bench/vector_ann [--rows N] [--dims N] [--centres N] [--queries N] [--uniform] [--sql]
**                                          [--churn]
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ext/vector/vector.h"
#include "ext/vector_ann/vector_ann.h"
#include "lode.h"

static uint64_t rng_state;
static uint64_t rng_next(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}
static double unit(void) { return ((double)(rng_next() >> 11) + 0.5) / 9007199254740992.0; }
static double gauss(void) { return sqrt(-2 * log(unit())) * cos(6.283185307179586 * unit()); }

/* Seconds of this process's CPU time: steadier than wall time on a machine
** whose cores other processes share (the benchmark is single-threaded). */
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static float *make_data(int n, int d, int centres) {
  float *v = malloc((size_t)n * d * sizeof *v), *c = NULL;
  if (centres > 0) {
    c = malloc((size_t)centres * d * sizeof *c);
    for (size_t i = 0; i < (size_t)centres * d; i++) c[i] = (float)(unit() * 2 - 1);
  }
  for (int i = 0; i < n; i++) {
    const float *ci = c ? c + (size_t)(rng_next() % (uint64_t)centres) * d : NULL;
    for (int j = 0; j < d; j++) v[(size_t)i * d + j] = ci ? (float)(ci[j] + 0.3 * gauss()) : (float)(unit() * 2 - 1);
  }
  free(c);
  return v;
}

static double cos_distance(const VectorKernels *k, const float *a, const float *b, int d) {
  double s[3];
  k->cos_f32(a, b, (size_t)d, s);
  if (s[1] == 0 && s[2] == 0) return 0;
  if (s[0] == 0) return 1;
  return 1 - s[0] / sqrt(s[1] * s[2]);
}

/* Top 10 by cosine over the array. */
static void brute_force(const VectorKernels *k, const float *data, int n, int d, const float *q, int64_t *out) {
  double best[10];
  int nb = 0;
  for (int i = 0; i < n; i++) {
    double x = cos_distance(k, data + (size_t)i * d, q, d);
    int j;
    if (nb == 10 && x >= best[9]) continue;
    j = nb < 10 ? nb++ : 9;
    while (j > 0 && best[j - 1] > x) {
      best[j] = best[j - 1];
      out[j] = out[j - 1];
      j--;
    }
    best[j] = x;
    out[j] = i;
  }
}

/* Recall@10 at the default width against brute force over the live rows. */
static double churn_recall(const VectorKernels *k, VectorAnn *ann, const float *data, const char *alive, int n,
                           int d, const float *queries, int nq) {
  int hits = 0;
  for (int qi = 0; qi < nq; qi++) {
    const float *q = queries + (size_t)qi * d;
    double best[10];
    int64_t truth[10], ids[10];
    double dist[10];
    int nb = 0, cnt;
    for (int i = 0; i < n; i++) {
      double x;
      int j;
      if (!alive[i]) continue;
      x = cos_distance(k, data + (size_t)i * d, q, d);
      if (nb == 10 && x >= best[9]) continue;
      j = nb < 10 ? nb++ : 9;
      while (j > 0 && best[j - 1] > x) {
        best[j] = best[j - 1];
        truth[j] = truth[j - 1];
        j--;
      }
      best[j] = x;
      truth[j] = i;
    }
    vector_ann_search(ann, q, d * 4, 10, 0, ids, dist, &cnt);
    for (int i = 0; i < cnt; i++) {
      for (int j = 0; j < nb; j++) hits += ids[i] == truth[j];
    }
  }
  return hits / (nq * 10.0);
}

static double sql_brute_force(const float *data, int n, int d, const float *queries, int nq) {
  lode *db;
  lode_stmt *st;
  double t;
  lode_open(":memory:", &db);
  lode_exec(db, "PRAGMA cache_size = -2000000; CREATE TABLE items(id INTEGER PRIMARY KEY, emb BLOB); BEGIN", NULL);
  lode_prepare(db, "INSERT INTO items VALUES (?, ?)", -1, &st, NULL);
  for (int i = 0; i < n; i++) {
    lode_bind_int64(st, 1, i);
    lode_bind_blob(st, 2, data + (size_t)i * d, d * 4, LODE_STATIC);
    lode_step(st);
    lode_reset(st);
  }
  lode_finalize(st);
  lode_exec(db, "COMMIT", NULL);
  lode_prepare(db, "SELECT id FROM items ORDER BY vector_distance_cos(emb, ?) LIMIT 10", -1, &st, NULL);
  t = now();
  for (int qi = 0; qi < nq; qi++) {
    lode_bind_blob(st, 1, queries + (size_t)qi * d, d * 4, LODE_STATIC);
    while (lode_step(st) == LODE_ROW) {
    }
    lode_reset(st);
  }
  t = now() - t;
  lode_finalize(st);
  lode_close(db);
  return nq / t;
}

/* The index through SQL (--sql-index): the vectors in a :memory: table with
** a vector_ann index built by CREATE INDEX over the loaded rows (build time
** and the pages of its store), then the top-10 query planned on the index at
** each width of PRAGMA vector_ann_ef_search, its recall against truth, and
** SQL brute force (NOT INDEXED) for the ratio. */
static void sql_index(const float *data, int n, int d, const float *queries, int nq, const int64_t *truth,
                      const int *widths, int nw) {
  lode *db;
  lode_stmt *st;
  double t, bf;
  char sql[200];
  lode_open(":memory:", &db);
  lode_exec(db, "PRAGMA cache_size = -4000000; CREATE TABLE items(id INTEGER PRIMARY KEY, emb BLOB); BEGIN", NULL);
  lode_prepare(db, "INSERT INTO items VALUES (?, ?)", -1, &st, NULL);
  for (int i = 0; i < n; i++) {
    lode_bind_int64(st, 1, i);
    lode_bind_blob(st, 2, data + (size_t)i * d, d * 4, LODE_STATIC);
    lode_step(st);
    lode_reset(st);
  }
  lode_finalize(st);
  lode_exec(db, "COMMIT", NULL);
  lode_prepare(db, "PRAGMA page_count", -1, &st, NULL);
  lode_step(st);
  int64_t before = lode_column_int64(st, 0);
  lode_finalize(st);
  t = now();
  if (lode_exec(db, "CREATE INDEX items_ann ON items USING vector_ann (emb) WITH (metric = 'cosine')", NULL) !=
      LODE_OK) {
    fprintf(stderr, "create index: %s\n", lode_errmsg(db));
    return;
  }
  t = now() - t;
  lode_prepare(db, "PRAGMA page_count", -1, &st, NULL);
  lode_step(st);
  int64_t after = lode_column_int64(st, 0);
  lode_finalize(st);
  printf("SQL: CREATE INDEX … USING vector_ann over %d rows: %.1f s CPU (%.0f rows/s); its store %lld pages "
         "of 4096 bytes, %.1f MB (the table %.1f MB)\n",
         n, t, n / t, (long long)(after - before), (after - before) * 4096 / 1e6, before * 4096 / 1e6);
  lode_prepare(db, "SELECT id FROM items NOT INDEXED ORDER BY vector_distance_cos(emb, ?) LIMIT 10", -1, &st, NULL);
  t = now();
  for (int qi = 0; qi < 3; qi++) {
    lode_bind_blob(st, 1, queries + (size_t)qi * d, d * 4, LODE_STATIC);
    while (lode_step(st) == LODE_ROW) {
    }
    lode_reset(st);
  }
  bf = 3 / (now() - t);
  lode_finalize(st);
  printf("SQL brute force: %.2f q/s\n\n| PRAGMA vector_ann_ef_search | recall@10 | q/s | x SQL brute force |\n"
         "|---:|---:|---:|---:|\n", bf);
  lode_prepare(db, "SELECT id, vector_distance_cos(emb, ?) AS d FROM items ORDER BY d LIMIT 10", -1, &st, NULL);
  for (int w = 0; w < nw; w++) {
    int hits = 0;
    snprintf(sql, sizeof sql, "PRAGMA vector_ann_ef_search = %d", widths[w]);
    lode_exec(db, sql, NULL);
    t = now();
    for (int qi = 0; qi < nq; qi++) {
      lode_bind_blob(st, 1, queries + (size_t)qi * d, d * 4, LODE_STATIC);
      while (lode_step(st) == LODE_ROW) {
        int64_t id = lode_column_int64(st, 0);
        for (int j = 0; j < 10; j++) hits += truth[qi * 10 + j] == id;
      }
      lode_reset(st);
    }
    t = now() - t;
    printf("| %d | %.4f | %.0f | %.0fx |\n", widths[w], hits / (nq * 10.0), nq / t, nq / t / bf);
  }
  lode_finalize(st);
  lode_close(db);
}

int main(int argc, char **argv) {
  int rows = 100000, dims = 768, centres = 500, nq = 200, sql = 0, churn = 0;
  const VectorKernels *k = vector_kernels_best();
  static const int widths[] = {10, 16, 24, 32, 48, 64, 96, 128, 256, 512};
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--rows") && i + 1 < argc) rows = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--dims") && i + 1 < argc) dims = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--centres") && i + 1 < argc) centres = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--queries") && i + 1 < argc) nq = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--uniform")) centres = 0;
    else if (!strcmp(argv[i], "--sql")) sql = 1;
    else if (!strcmp(argv[i], "--sql-index")) sql = 2;
    else if (!strcmp(argv[i], "--churn")) churn = 1;
    else {
      fprintf(stderr, "usage: %s [--rows N] [--dims N] [--centres N] [--queries N] [--uniform] [--sql] [--sql-index] [--churn]\n", argv[0]);
      return 2;
    }
  }
  rng_state = 0x5eed1234abcdull;
  /* the queries are the last nq points: same centres, not in the index */
  float *all = make_data(rows + nq, dims, centres), *data = all, *queries = all + (size_t)rows * dims;
  int64_t *truth = malloc((size_t)nq * 10 * sizeof *truth);
  VectorAnnMemStore *ms = vector_ann_memstore_new();
  VectorAnnStore st = vector_ann_memstore(ms);
  VectorAnnConfig cfg;
  VectorAnn *ann;
  double t, bf_qps;
  int64_t blobs, bytes, count;
  int top;

  printf("%d x %d float32, %s, %d queries, kernels %s\n", rows, dims,
         centres ? "clustered" : "uniform", nq, k->name);
  if (centres) printf("  %d centres\n", centres);
  if (sql == 2) {
    for (int qi = 0; qi < nq; qi++) brute_force(k, data, rows, dims, queries + (size_t)qi * dims, truth + qi * 10);
    sql_index(data, rows, dims, queries, nq, truth, widths, (int)(sizeof widths / sizeof widths[0]));
    return 0;
  }
  vector_ann_config_default(&cfg);
  if (vector_ann_open(&st, &cfg, &ann) != LODE_OK) return 1;
  t = now();
  for (int i = 0; i < rows; i++) {
    if (vector_ann_insert(ann, i, data + (size_t)i * dims, dims * 4) != LODE_OK) {
      fprintf(stderr, "insert %d: %s\n", i, vector_ann_errmsg(ann));
      return 1;
    }
  }
  t = now() - t;
  vector_ann_memstore_usage(ms, VECTOR_ANN_NODES, &blobs, &bytes);
  vector_ann_stats(ann, &count, &top);
  printf("build (m %d, ef_construction %d): %.1f s CPU, %.0f inserts/s\n", cfg.m, cfg.ef_construction, t, rows / t);
  printf("index: %lld node blobs, %.1f MB (%.0f bytes a node; vectors alone %.1f MB), top level %d\n",
         (long long)blobs, bytes / 1e6, (double)bytes / (double)blobs, (double)rows * dims * 4 / 1e6, top);

  t = now();
  for (int qi = 0; qi < nq; qi++) brute_force(k, data, rows, dims, queries + (size_t)qi * dims, truth + qi * 10);
  t = now() - t;
  bf_qps = nq / t;
  t = now();
  for (int qi = 0; qi < nq; qi++) brute_force(k, data, rows, dims, queries + (size_t)qi * dims, truth + qi * 10);
  t = now() - t;
  if (nq / t > bf_qps) bf_qps = nq / t;
  printf("brute force in C (array, %s kernels): %.1f q/s\n", k->name, bf_qps);
  if (sql) printf("brute force in Lode SQL: %.2f q/s\n", sql_brute_force(data, rows, dims, queries, 3));

  printf("| width | recall@10 | q/s | x brute force (C) |\n|---:|---:|---:|---:|\n");
  for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
    int hits = 0;
    int64_t ids[10];
    double d[10], best = 0;
    int cnt;
    for (int round = 0; round < 3; round++) {
      hits = 0;
      t = now();
      for (int qi = 0; qi < nq; qi++) {
        vector_ann_search(ann, queries + (size_t)qi * dims, dims * 4, 10, widths[w], ids, d, &cnt);
        for (int i = 0; i < cnt; i++) {
          for (int j = 0; j < 10; j++) hits += ids[i] == truth[qi * 10 + j];
        }
      }
      t = now() - t;
      if (nq / t > best) best = nq / t;
    }
    printf("| %d%s | %.4f | %.0f | %.1fx |\n", widths[w], widths[w] == cfg.ef_search ? " (default)" : "",
           (double)hits / (nq * 10.0), best, best / bf_qps);
  }
  if (churn) {
    char *alive = malloc((size_t)rows);
    int ndel = 0;
    memset(alive, 1, (size_t)rows);
    t = now();
    while (ndel < rows / 5) {
      int i = (int)(rng_next() % (uint64_t)rows);
      if (!alive[i]) continue;
      if (vector_ann_delete(ann, i) != LODE_OK) return 1;
      alive[i] = 0;
      ndel++;
    }
    t = now() - t;
    printf("deleted %d rows: %.1f s CPU; recall@10 at the default width %.4f (against the remaining rows)\n", ndel,
           t, churn_recall(k, ann, data, alive, rows, dims, queries, nq));
    t = now();
    for (int i = 0; i < rows; i++) {
      if (!alive[i] && vector_ann_insert(ann, i, data + (size_t)i * dims, dims * 4) != LODE_OK) return 1;
      alive[i] = 1;
    }
    t = now() - t;
    printf("re-inserted them: %.1f s CPU; recall@10 at the default width %.4f\n", t,
           churn_recall(k, ann, data, alive, rows, dims, queries, nq));
    free(alive);
  }
  vector_ann_close(ann);
  vector_ann_memstore_free(ms);
  free(all);
  free(truth);
  return 0;
}
