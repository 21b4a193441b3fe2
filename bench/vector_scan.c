/*
** bench/vector_scan.c — the brute-force top-10 query of bench/vector.mjs at
** the C API, for counting instructions a row: `valgrind --tool=callgrind
** --toggle-collect=run_queries` counts only the queries (not the fill), and
** that count divided by ROWS * QUERIES is the cost of a row; with
** --kernel-only the same rows go through the distance kernel alone (no SQL),
** which splits that cost into kernel and the rest.
**
**   cc -O2 -g -Iengine/include -Iengine/src -o out/vector_scan bench/vector_scan.c out/liblode.a \
**      $(make -s print-libs)
**   valgrind --tool=callgrind --toggle-collect=run_queries out/vector_scan cos|l2 [ROWS] [DIMS] [QUERIES]
**
** Run natively it also prints the fastest query's CPU time (steadier than wall time on a shared machine) and
** the vector bytes it scanned a second (ROWS * DIMS * 4 bytes a query), the figure bench/vector.mjs reports as
** GB/s; --kernel-only prints the same for the kernel alone over the rows in one array.
**
** Data: bench/vector.mjs's generator (xorshift32, uniform in [-1, 1)), in a
** :memory: table with a page cache as large as the table.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ext/vector/vector.h"
#include "lode.h"

static float *make_vectors(int rows, int dims) {
  float *v = malloc((size_t)rows * (size_t)dims * sizeof *v);
  unsigned s = 0x9e3779b9u;
  if (!v) exit(1);
  for (size_t i = 0; i < (size_t)rows * (size_t)dims; i++) {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    v[i] = (float)((s / 4294967296.0) * 2 - 1);
  }
  return v;
}

static double now_sec(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: the machine may be shared */
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Kept out of line: callgrind's --toggle-collect names it.  *best: the
** fastest query's seconds. */
__attribute__((noinline)) long long run_queries(lode_stmt *st, const float *q, int dims, int queries, double *best) {
  long long sum = 0;
  *best = 1e30;
  for (int k = 0; k < queries; k++) {
    double t0 = now_sec();
    lode_bind_blob(st, 1, q + (size_t)k * (size_t)dims, dims * 4, LODE_STATIC);
    while (lode_step(st) == LODE_ROW) sum += lode_column_int64(st, 0);
    lode_reset(st);
    double t = now_sec() - t0;
    if (t < *best) *best = t;
  }
  return sum;
}

__attribute__((noinline)) double run_kernel(int cos, const float *data, const float *q, int rows, int dims,
                                            int queries) {
  const VectorKernels *k = vector_kernels_best();
  double sum = 0, s[3];
  for (int j = 0; j < queries; j++)
    for (int i = 0; i < rows; i++) {
      const float *row = data + (size_t)i * (size_t)dims, *qq = q + (size_t)j * (size_t)dims;
      if (cos) {
        k->cos_f32(row, qq, (size_t)dims, s);
        sum += s[0];
      } else {
        sum += k->l2sq_f32(row, qq, (size_t)dims);
      }
    }
  return sum;
}

int main(int argc, char **argv) {
  int kernel_only = argc > 1 && strcmp(argv[1], "--kernel-only") == 0;
  const char *metric = argc > 1 + kernel_only ? argv[1 + kernel_only] : "cos";
  int rows = argc > 2 + kernel_only ? atoi(argv[2 + kernel_only]) : 20000;
  int dims = argc > 3 + kernel_only ? atoi(argv[3 + kernel_only]) : 768;
  int queries = argc > 4 + kernel_only ? atoi(argv[4 + kernel_only]) : 2;
  int cos = strcmp(metric, "cos") == 0;
  float *data = make_vectors(rows, dims), *q = make_vectors(queries + 1, dims) + dims;
  char sql[160];
  lode *db;
  lode_stmt *st;
  if (kernel_only) {
    double t0 = now_sec(), sum = run_kernel(cos, data, q, rows, dims, queries), t = (now_sec() - t0) / queries;
    printf("%s kernel %s: %g, %.2f ms a query, %.2f GB/s\n", vector_kernels_best()->name, metric, sum, t * 1e3,
           (double)rows * dims * 4 / t / 1e9);
    return 0;
  }
  lode_open(":memory:", &db);
  snprintf(sql, sizeof sql, "PRAGMA cache_size = -%lld", (long long)rows * (dims * 4 + 64) / 1024 + 16384);
  lode_exec(db, sql, NULL);
  lode_exec(db, "CREATE TABLE items(id INTEGER PRIMARY KEY, emb BLOB); BEGIN", NULL);
  lode_prepare(db, "INSERT INTO items VALUES (?, ?)", -1, &st, NULL);
  for (int i = 0; i < rows; i++) {
    lode_bind_int64(st, 1, i + 1);
    lode_bind_blob(st, 2, data + (size_t)i * (size_t)dims, dims * 4, LODE_STATIC);
    lode_step(st);
    lode_reset(st);
  }
  lode_finalize(st);
  lode_exec(db, "COMMIT", NULL);
  snprintf(sql, sizeof sql, "SELECT id FROM items ORDER BY vector_distance_%s(emb, ?) LIMIT 10", cos ? "cos" : "l2");
  if (lode_prepare(db, sql, -1, &st, NULL) != LODE_OK) return 1;
  double best;
  long long sum = run_queries(st, q, dims, queries, &best);
  printf("%s: id sum %lld, best query %.2f ms, %.2f GB/s of vectors\n", metric, sum, best * 1e3,
         (double)rows * dims * 4 / best / 1e9);
  lode_finalize(st);
  lode_close(db);
  return 0;
}
