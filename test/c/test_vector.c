/*
** test_vector.c — the vector module (engine/src/ext/vector): every kernel
** this CPU runs returns bit-identical results to the portable one on random
** inputs of every length up to 100 and some long ones, at every alignment;
** and the SQL functions through the public API (layouts, text, errors).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ext/vector/vector.h"
#include "lode.h"
#include "testdb.h"
#include "testlib.h"

static const char *const kernel_names[] = {"sse2", "avx2", "avx512", "simd128"};

static double random_value(Rng *r) {
  uint64_t x = rng_next(r);
  double unit = (double)(x >> 11) / 9007199254740992.0; /* [0, 1) */
  switch (x & 3) {
  case 0: return unit * 2 - 1;
  case 1: return (unit - 0.5) * 1e6;
  case 2: return (double)(int)(x >> 40 & 15) - 7;
  default: return (unit - 0.5) * 1e-3;
  }
}

/* n values of f32 (elem 4) or f64 (elem 8) at p + off. */
static void fill(Rng *r, unsigned char *p, size_t n, int elem) {
  for (size_t i = 0; i < n; i++) {
    double d = random_value(r);
    float f = (float)d;
    if (elem == 4) memcpy(p + 4 * i, &f, 4);
    else memcpy(p + 8 * i, &d, 8);
  }
}

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

/* Whether k's cos_known_f32 of a against b, given b's sum of squares,
** returns cos_f32's sums `want` bit for bit. */
static int same_cos_known(const VectorKernels *k, const void *a, const void *b, size_t n, const double want[3]) {
  double z[3];
  k->cos_known_f32(a, b, n, vector_sumsq_f32(b, n), z);
  return same_bits(z[0], want[0]) && same_bits(z[1], want[1]) && same_bits(z[2], want[2]);
}

/* Compares kernels k against the portable ones on a, b (n f32 or f64
** values, as elem says). */
static int agree(const VectorKernels *k, const unsigned char *a, const unsigned char *b, size_t n, int elem) {
  const VectorKernels *c = vector_kernels_portable();
  double x[3], y[3];
  if (elem == 4) {
    if (!same_bits(k->dot_f32(a, b, n), c->dot_f32(a, b, n)) || !same_bits(k->l2sq_f32(a, b, n), c->l2sq_f32(a, b, n)))
      return 0;
    k->cos_f32(a, b, n, x);
    c->cos_f32(a, b, n, y);
    if (!same_cos_known(k, a, b, n, y) || !same_cos_known(c, a, b, n, y)) return 0;
  } else {
    if (!same_bits(k->dot_f64(a, b, n), c->dot_f64(a, b, n)) || !same_bits(k->l2sq_f64(a, b, n), c->l2sq_f64(a, b, n)))
      return 0;
    k->cos_f64(a, b, n, x);
    c->cos_f64(a, b, n, y);
  }
  return same_bits(x[0], y[0]) && same_bits(x[1], y[1]) && same_bits(x[2], y[2]);
}

TEST(simd_kernels_match_portable_bit_for_bit) {
  static const size_t long_lengths[] = {127, 128, 129, 255, 767, 768, 769, 1000, 1536, 4095, 4096, 4097};
  Rng r = {0x5eed5eedu};
  unsigned char *a = malloc(8 * 4200 + 16), *b = malloc(8 * 4200 + 16);
  int tested = 0;
  CHECK(a && b);
  for (size_t kn = 0; kn < sizeof kernel_names / sizeof kernel_names[0]; kn++) {
    const VectorKernels *k = vector_kernels_named(kernel_names[kn]);
    if (!k) continue;
    tested++;
    for (size_t n = 0; n <= 100 + sizeof long_lengths / sizeof long_lengths[0]; n++) {
      size_t len = n <= 100 ? n : long_lengths[n - 101];
      for (int off = 0; off < 8; off++) {
        int elem = off < 4 ? 4 : 8;
        fill(&r, a + off % 4, len, elem);
        fill(&r, b + 3 - off % 4, len, elem);
        if (!agree(k, a + off % 4, b + 3 - off % 4, len, elem)) {
          TEST_FAIL_("%s differs from portable at n=%zu offset %d, f%d", k->name, len, off % 4, 8 * elem);
          goto done;
        }
      }
    }
  }
done:
  /* on x86-64 at least SSE2 runs; elsewhere only the portable kernels may */
#if defined(__x86_64__)
  CHECK(tested >= 1);
#endif
  free(a);
  free(b);
}

TEST(portable_kernels_compute_the_sums) {
  const VectorKernels *c = vector_kernels_portable();
  float a[37], b[37];
  double da[37], db[37], dot = 0, l2 = 0, aa = 0, bb = 0, s[3];
  for (int i = 0; i < 37; i++) {
    a[i] = (float)(i % 7) - 3.0f;
    b[i] = 0.5f * (float)(i % 5);
    da[i] = a[i];
    db[i] = b[i];
    dot += da[i] * db[i];
    l2 += (da[i] - db[i]) * (da[i] - db[i]);
    aa += da[i] * da[i];
    bb += db[i] * db[i];
  }
  /* small integers and halves: every order of summation is exact */
  CHECK(c->dot_f32(a, b, 37) == dot);
  CHECK(c->l2sq_f32(a, b, 37) == l2);
  CHECK(c->dot_f64(da, db, 37) == dot);
  CHECK(c->l2sq_f64(da, db, 37) == l2);
  c->cos_f32(a, b, 37, s);
  CHECK(s[0] == dot && s[1] == aa && s[2] == bb);
  c->cos_f64(da, db, 37, s);
  CHECK(s[0] == dot && s[1] == aa && s[2] == bb);
}

/* Every kernel this CPU runs, the portable ones first. */
static int all_kernels(const VectorKernels **out) {
  int n = 0;
  out[n++] = vector_kernels_portable();
  for (size_t kn = 0; kn < sizeof kernel_names / sizeof kernel_names[0]; kn++)
    if (vector_kernels_named(kernel_names[kn])) out[n++] = vector_kernels_named(kernel_names[kn]);
  return n;
}

/* The f32 cos and l2 kernels add blocks of four terms per lane in f32
** (kernels.c): each sum stays within 4 u of the sum of its terms'
** magnitudes (u = 2^-24), l2's within 6 u of itself (a difference and its
** square are rounded too), at every length and scale of values. */
TEST(f32_cos_and_l2_sums_stay_within_their_error_bound) {
  static const size_t lengths[] = {63, 64, 65, 100, 128, 767, 768, 1000, 1536, 4096};
  const double u = 0x1p-24;
  const VectorKernels *ks[8];
  int nk = all_kernels(ks);
  Rng r = {0xb10cu};
  float *a = malloc(4 * 4096), *b = malloc(4 * 4096);
  CHECK(a && b);
  for (size_t t = 0; t < 3 * sizeof lengths / sizeof lengths[0]; t++) {
    size_t n = lengths[t % (sizeof lengths / sizeof lengths[0])];
    long double xy = 0, xx = 0, yy = 0, l2 = 0, mag = 0;
    fill(&r, (unsigned char *)a, n, 4);
    fill(&r, (unsigned char *)b, n, 4);
    for (size_t i = 0; i < n; i++) {
      long double x = a[i], y = b[i];
      xy += x * y;
      mag += fabsl(x * y);
      xx += x * x;
      yy += y * y;
      l2 += (x - y) * (x - y);
    }
    for (int k = 0; k < nk; k++) {
      double s[3], q = ks[k]->l2sq_f32(a, b, n);
      ks[k]->cos_f32(a, b, n, s);
      if (fabsl(s[0] - xy) > 4 * u * mag || fabsl(s[1] - xx) > 4 * u * xx || fabsl(s[2] - yy) > 4 * u * yy ||
          fabsl(q - l2) > 6 * u * l2) {
        TEST_FAIL_("%s: n=%zu: sums off by more than their bound", ks[k]->name, n);
        goto done;
      }
    }
  }
done:
  free(a);
  free(b);
}

/* cos_known_f32 leaves f32 exactly where cos_f32 does: when the row's sum
** of squares, the known one or both are out of range. */
TEST(cos_with_a_known_sum_of_squares_falls_back_with_cos) {
  static const double scales[] = {1, 1e25, 1e-25, 1e38, 1e-40};
  const VectorKernels *ks[8];
  int nk = all_kernels(ks);
  float a[200], b[200];
  for (size_t sa = 0; sa < sizeof scales / sizeof scales[0]; sa++)
    for (size_t sb = 0; sb < sizeof scales / sizeof scales[0]; sb++) {
      double want[3];
      for (int i = 0; i < 200; i++) {
        a[i] = (float)(scales[sa] * ((i % 5) - 2.5));
        b[i] = (float)(scales[sb] * ((i % 3) + 0.25));
      }
      ks[0]->cos_f32(a, b, 200, want);
      for (int k = 0; k < nk; k++)
        if (!same_cos_known(ks[k], a, b, 200, want)) {
          TEST_FAIL_("%s: scales %g and %g: cos_known_f32 differs from cos_f32", ks[k]->name, scales[sa], scales[sb]);
          return;
        }
    }
}

/* Values whose f32 squares overflow or underflow: the kernels compute the
** sums in double instead, as exactly as for moderate values. */
TEST(f32_cos_and_l2_leave_f32_where_squares_overflow_or_underflow) {
  static const double scales[] = {1e25, 1e-25, 1e38, 1e-40}; /* times at most 3: finite f32 */
  const VectorKernels *ks[8];
  int nk = all_kernels(ks);
  float a[256], b[256];
  for (size_t sc = 0; sc < sizeof scales / sizeof scales[0]; sc++) {
    double xy = 0, xx = 0, yy = 0, l2 = 0;
    for (int i = 0; i < 256; i++) {
      a[i] = (float)(scales[sc] * ((i % 5) - 2));
      b[i] = (float)(scales[sc] * ((i % 3) + 1));
      xy += (double)a[i] * b[i];
      xx += (double)a[i] * a[i];
      yy += (double)b[i] * b[i];
      l2 += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
    }
    for (int k = 0; k < nk; k++) {
      double s[3], q = ks[k]->l2sq_f32(a, b, 256);
      ks[k]->cos_f32(a, b, 256, s);
      CHECK(fabs(s[0] - xy) <= 1e-12 * xx);
      CHECK(fabs(s[1] - xx) <= 1e-12 * xx && fabs(s[2] - yy) <= 1e-12 * yy);
      CHECK(fabs(q - l2) <= 1e-12 * l2);
    }
  }
}

TEST(best_kernels_are_named_and_available) {
  const VectorKernels *k = vector_kernels_best();
  CHECK(k != NULL);
  CHECK(vector_kernels_named(k->name) == k);
  CHECK(vector_kernels_named("portable") == vector_kernels_portable());
  CHECK(vector_kernels_named("no such") == NULL);
#if defined(__x86_64__)
  CHECK(strcmp(k->name, "avx512") == 0 || strcmp(k->name, "avx2") == 0 || strcmp(k->name, "sse2") == 0);
#endif
}

static lode *open_memory(void) {
  lode *db = NULL;
  if (lode_open(":memory:", &db) != LODE_OK) return NULL;
  return db;
}

TEST(constructors_write_turso_layouts) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "SELECT hex(vector32('[1, 2, 3]')), hex(vector('[1,2]'))"),
               "0000803F0000004000004040|0000803F00000040\n");
  CHECK_EQ_STR(query(db, "SELECT hex(vector64('[1,2,3]'))"), "000000000000F03F0000000000000040000000000000084002\n");
  CHECK_EQ_STR(query(db, "SELECT hex(vector32_sparse('[1,0,3]'))"), "0000803F0000404000000000020000000300000009\n");
  CHECK_EQ_STR(query(db, "SELECT hex(vector8('[1,2,3]')), hex(vector8('[1,2,3,4]'))"),
               "007FFF008180003C0000803F000104|0055AAFFC1C0403C0000803F000004\n");
  CHECK_EQ_STR(query(db, "SELECT hex(vector1bit('[1,-2,3]')), hex(vector1bit('[1,-1,1,1,-1,0,0.5,1,1]'))"),
               "050D03|CD01001703\n");
  CHECK_EQ_STR(query(db, "SELECT hex(vector32(x'0000803F01')), hex(vector64(vector32('[1.5]')))"),
               "0000803F|000000000000F83F02\n");
  lode_close(db);
}

TEST(extract_renders_shortest_digits_without_exponent) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "SELECT vector_extract(vector32('[1e30, 1e-7, 0.1, -0, 123456789, 1.5e-3]'))"),
               "[1000000000000000000000000000000,0.0000001,0.1,-0,123456790,0.0015]\n");
  CHECK_EQ_STR(query(db, "SELECT vector_extract(vector64('[0.1, 123456789012345678, 2.5]'))"),
               "[0.1,123456789012345680,2.5]\n");
  CHECK_EQ_STR(query(db, "SELECT vector_extract(vector8('[1,2,3]')), vector_extract(vector1bit('[1,-1,0,2]'))"),
               "[1,1.9960785,3]|[1,-1,-1,1]\n");
  CHECK_EQ_STR(query(db, "SELECT vector_extract(vector32_sparse('[0,2.5,0]')), vector_extract(x'0000c07f')"),
               "[0,2.5,0]|[NaN]\n");
  lode_close(db);
}

TEST(distances_follow_turso_definitions) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "SELECT vector_distance_l2('[1,2]', '[4,6]'), vector_distance_dot('[1,2]', '[3,4]'),"
                         " vector_distance_jaccard('[1,2]', '[2,1]'), vector_distance_cos('[1,0]', '[0,1]')"),
               "5.0|-11.0|0.5|1.0\n");
  /* zero vectors: 1 against a non-zero one, 0 against a zero one; NULL for sparse */
  CHECK_EQ_STR(query(db, "SELECT vector_distance_cos('[0,0]', '[1,1]'), vector_distance_cos('[0,0]', '[0,0]'),"
                         " vector_distance_cos(vector32_sparse('[0,0]'), vector32_sparse('[1,0]')) IS NULL"),
               "1.0|0.0|1\n");
  CHECK_EQ_STR(query(db, "SELECT vector_distance_cos(vector1bit('[1,-2,3]'), vector1bit('[1,2,-3]')),"
                         " vector_distance_dot(vector1bit('[1,-2,3]'), vector1bit('[1,2,-3]'))"),
               "2.0|1.0\n");
  lode_close(db);
}

TEST(concat_and_slice) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "SELECT vector_extract(vector_concat(vector32('[1,2]'), vector32('[3,4]'))),"
                         " vector_extract(vector_slice(vector32('[1,2,3,4,5]'), 1, 4))"),
               "[1,2,3,4]|[2,3,4]\n");
  /* the second sparse vector's dimensions come after the first's */
  CHECK_EQ_STR(query(db, "SELECT vector_extract(vector_concat(vector32_sparse('[1,0]'), vector32_sparse('[0,2]'))),"
                         " vector_extract(vector_slice(vector32_sparse('[1,0,3,0,5]'), 1, 4))"),
               "[1,0,0,2]|[0,3,0]\n");
  lode_close(db);
}

/* '[]' builds the dense vector of no dimensions (an empty blob for float32) and vector_extract shows it. */
TEST(empty_dense_vectors_exist) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "SELECT vector_extract(vector('[]')), hex(vector32(' [ ] ')), hex(vector64('[]'))"),
               "[]||02\n");
  CHECK_EQ_STR(query(db, "SELECT vector_extract(x''), vector_extract(vector64('[]'))"), "[]|[]\n");
  CHECK_EQ_STR(query(db, "SELECT vector_extract(vector_concat(vector('[]'), vector('[1,2]')))"), "[1,2]\n");
  CHECK_EQ_STR(query(db, "SELECT vector('[] x')"),
               "ERROR 1: vector: invalid vector text: expected '[' numbers separated by ',' ']'");
  lode_close(db);
}

TEST(bad_input_is_an_error_naming_the_function) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "SELECT vector32('[1,,2]')"),
               "ERROR 1: vector32: invalid vector text: expected '[' numbers separated by ',' ']'");
  CHECK_EQ_STR(query(db, "SELECT vector8('[]')"), "ERROR 1: vector8: empty vectors are not supported");
  CHECK_EQ_STR(query(db, "SELECT vector_distance_cos('[]', '[]')"),
               "ERROR 1: vector_distance_cos: empty vectors are not supported");
  CHECK_EQ_STR(query(db, "SELECT vector32('[1e39]')"),
               "ERROR 1: vector32: vector values must be finite numbers (no NaN or Infinity)");
  CHECK_EQ_STR(query(db, "SELECT vector_extract(x'00')"), "ERROR 1: vector_extract: unknown vector type: 0");
  CHECK_EQ_STR(query(db, "SELECT vector_extract(x'000000')"),
               "ERROR 1: vector_extract: unknown vector type: 0");
  CHECK_EQ_STR(query(db, "SELECT vector_distance_l2('[1]', '[1,2]')"),
               "ERROR 1: vector_distance_l2: vectors must have the same dimensions (1 and 2)");
  CHECK_EQ_STR(query(db, "SELECT vector_distance_dot(x'0000807f', x'0000803f')"),
               "ERROR 1: vector_distance_dot: vector values must be finite numbers (no NaN or Infinity)");
  CHECK_EQ_STR(query(db, "SELECT vector_slice('[1,2,3]', 0, 4)"),
               "ERROR 1: vector_slice: slice [0, 4) out of range for a vector of 3 dimensions");
  CHECK_EQ_STR(query(db, "SELECT vector_distance_cos(1, 2)"),
               "ERROR 1: vector_distance_cos: a vector must be a BLOB or vector text");
  CHECK_EQ_STR(query(db, "SELECT vector_extract(x'0102')"),
               "ERROR 1: vector_extract: invalid float32 vector: 2 bytes of data, not a multiple of 4");
  CHECK_EQ_STR(query(db, "SELECT vector32(NULL) IS NULL"), "1\n");
  lode_close(db);
}

TEST(nearest_neighbours_by_order_by_limit) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "CREATE TABLE v(id INTEGER PRIMARY KEY, e BLOB)"), "");
  CHECK_EQ_STR(query(db, "BEGIN"), "");
  for (int i = 1; i <= 300; i++) {
    char sql[96];
    snprintf(sql, sizeof sql, "INSERT INTO v VALUES (%d, vector32('[%d, %d]'))", i, i, 300 - i);
    CHECK_EQ_STR(query(db, sql), "");
  }
  CHECK_EQ_STR(query(db, "COMMIT"), "");
  /* the direction of [1, 1] is nearest to rows 150, 149/151 … */
  CHECK_EQ_STR(query(db, "SELECT id FROM v ORDER BY vector_distance_cos(e, vector32('[1,1]')), id LIMIT 3"),
               "150\n149\n151\n");
  CHECK_EQ_STR(query(db, "SELECT id FROM v ORDER BY vector_distance_l2(e, '[10, 290]') LIMIT 2"), "10\n9\n");
  lode_close(db);
}

/* A distance reads a column argument in place on the page when the row is
** there; rows that overflow (vectors of 2000 floats, two to a row) and
** several columns of one row must give the same numbers as copies of the
** same blobs (substr), and EXPLAIN must show the lent column. */
TEST(distances_read_columns_in_place_like_copies) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "CREATE TABLE w(id INTEGER PRIMARY KEY, a BLOB, b BLOB)"), "");
  CHECK_EQ_STR(query(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) "
                         "INSERT INTO w SELECT i, vector32('[' || (SELECT group_concat((i * 7 + j * 13) % 17 - 8) "
                         "FROM (WITH RECURSIVE m(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM m WHERE j < "
                         "CASE WHEN i % 2 THEN 8 ELSE 2000 END) SELECT j FROM m)) || ']'), NULL FROM n"),
               "");
  CHECK_EQ_STR(query(db, "UPDATE w SET b = vector32(vector_extract(a)) WHERE id % 3 = 0"), "");
  CHECK_EQ_STR(query(db, "UPDATE w SET b = vector_slice(vector_concat(a, a), 1, 1 + length(a) / 4) "
                         "WHERE id % 3 <> 0"),
               "");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM w WHERE vector_distance_l2(a, b) IS NOT "
                         "vector_distance_l2(substr(a, 1), substr(b, 1)) OR vector_distance_cos(a, b) IS NOT "
                         "vector_distance_cos(substr(a, 1), substr(b, 1)) OR vector_distance_l2(a, b) IS NULL"),
               "0\n");
  CHECK_EQ_STR(query(db, "SELECT (SELECT group_concat(id) FROM (SELECT id FROM w ORDER BY vector_distance_l2(b, a) "
                         "DESC, id LIMIT 5)) = (SELECT group_concat(id) FROM (SELECT id FROM w ORDER BY "
                         "vector_distance_l2(substr(b, 1), substr(a, 1)) DESC, id LIMIT 5)), (SELECT "
                         "count(DISTINCT length(a)) FROM w)"),
               "1|2\n");
  {
    lode_stmt *st = NULL;
    int lent = 0, copied = 0;
    CHECK_EQ_INT(lode_prepare(db, "EXPLAIN SELECT vector_distance_cos(a, b), a FROM w", -1, &st, NULL), LODE_OK);
    while (lode_step(st) == LODE_ROW) {
      if (strcmp((const char *)lode_column_text(st, 1), "Column") != 0) continue;
      if (lode_column_int(st, 6) == 1) lent++;
      else copied++;
    }
    lode_finalize(st);
    CHECK_EQ_INT(lent, 2);   /* the distance's two arguments */
    CHECK_EQ_INT(copied, 1); /* the result column a is a copy: the row outlives the cursor's step */
  }
  lode_close(db);
}

/* The rows' distances to a constant vector (a literal, a bound parameter,
** vector32 of one), decoded once a run, equal those to the same vector when
** it is not constant (stored in each row's q column first); a parameter
** bound anew is read anew; a column value of another type or length, or
** holding a NaN, is still refused. */
TEST(distances_to_a_constant_vector_match_and_follow_rebinding) {
  static const char *const forms[] = {"?1", "vector32(?1)", "vector_extract(?1)"};
  lode *db = open_memory();
  lode_stmt *st = NULL;
  CHECK_EQ_STR(query(db, "CREATE TABLE v(id INTEGER PRIMARY KEY, e BLOB, q BLOB)"), "");
  CHECK_EQ_STR(query(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60) "
                         "INSERT INTO v SELECT i, vector32('[' || ((i * 7) % 11 - 5) || ',' || ((i * 3) % 13 - 6) || "
                         "',' || (i % 5) || ']'), NULL FROM n"),
               "");
  for (int f = 0; f < 3; f++)
    for (int metric = 0; metric < 3; metric++)
      for (int q = 0; q < 3; q++) {
        static const char *const metrics[] = {"cos", "l2", "dot"};
        static const float qs[3][3] = {{1, 2, 3}, {-4, 0.5f, 2}, {0, 0, 1}};
        char sql[512], set[64];
        lode_stmt *up = NULL;
        /* the query vector on either side, against the same distance to a column */
        snprintf(sql, sizeof sql,
                 "SELECT count(*), sum(vector_distance_%s(e, %s) IS NOT vector_distance_%s(substr(e, 1), q)), "
                 "sum(vector_distance_%s(%s, e) IS NOT vector_distance_%s(q, substr(e, 1))) FROM v",
                 metrics[metric], forms[f], metrics[metric], metrics[metric], forms[f], metrics[metric]);
        if (st == NULL || q == 0) {
          lode_finalize(st);
          CHECK_EQ_INT(lode_prepare(db, sql, -1, &st, NULL), LODE_OK);
        }
        snprintf(set, sizeof set, "UPDATE v SET q = %s", forms[f]);
        CHECK_EQ_INT(lode_prepare(db, set, -1, &up, NULL), LODE_OK);
        if (f == 2) {
          char text[64];
          snprintf(text, sizeof text, "[%g,%g,%g]", qs[q][0], qs[q][1], qs[q][2]);
          /* vector_extract of a blob: bind the blob of the text's vector */
          lode_stmt *mk = NULL;
          CHECK_EQ_INT(lode_prepare(db, "SELECT vector32(?)", -1, &mk, NULL), LODE_OK);
          lode_bind_text(mk, 1, text, -1, LODE_TRANSIENT);
          CHECK_EQ_INT(lode_step(mk), LODE_ROW);
          lode_bind_blob(st, 1, lode_column_blob(mk, 0), lode_column_bytes(mk, 0), LODE_TRANSIENT);
          lode_bind_blob(up, 1, lode_column_blob(mk, 0), lode_column_bytes(mk, 0), LODE_TRANSIENT);
          lode_finalize(mk);
        } else {
          lode_bind_blob(st, 1, qs[q], sizeof qs[q], LODE_TRANSIENT);
          lode_bind_blob(up, 1, qs[q], sizeof qs[q], LODE_TRANSIENT);
        }
        CHECK_EQ_INT(lode_step(up), LODE_DONE);
        lode_finalize(up);
        CHECK_EQ_INT(lode_step(st), LODE_ROW);
        if (lode_column_int(st, 0) != 60 || lode_column_int(st, 1) != 0 || lode_column_int(st, 2) != 0)
          TEST_FAIL_("%s with %s, query %d: %d rows, %d and %d differ", metrics[metric], forms[f], q,
                     lode_column_int(st, 0), lode_column_int(st, 1), lode_column_int(st, 2));
        lode_reset(st);
      }
  lode_finalize(st);
  /* the same statement, rebound: the nearest row follows the query vector */
  CHECK_EQ_INT(lode_prepare(db, "SELECT id FROM v ORDER BY vector_distance_l2(e, ?), id LIMIT 1", -1, &st, NULL),
               LODE_OK);
  {
    static const float near7[3] = {0, 2, 2}, near1[3] = {2, -3, 1};
    lode_bind_blob(st, 1, near7, sizeof near7, LODE_STATIC);
    CHECK_EQ_INT(lode_step(st), LODE_ROW);
    CHECK_EQ_INT(lode_column_int(st, 0), 7);
    lode_reset(st);
    lode_bind_blob(st, 1, near1, sizeof near1, LODE_STATIC);
    CHECK_EQ_INT(lode_step(st), LODE_ROW);
    CHECK_EQ_INT(lode_column_int(st, 0), 1);
  }
  lode_finalize(st);
  /* rows the constant does not fit are refused as before */
  CHECK_EQ_STR(query(db, "UPDATE v SET e = x'0000c07f0000803f0000803f' WHERE id = 30"), "");
  CHECK_EQ_STR(query(db, "SELECT count(vector_distance_l2(e, vector32('[1,1,1]'))) FROM v"),
               "ERROR 1: vector_distance_l2: vector values must be finite numbers (no NaN or Infinity)");
  CHECK_EQ_STR(query(db, "UPDATE v SET e = vector32('[1,1]') WHERE id = 30"), "");
  CHECK_EQ_STR(query(db, "SELECT count(vector_distance_cos('[1,1,1]', e)) FROM v"),
               "ERROR 1: vector_distance_cos: vectors must have the same dimensions (3 and 2)");
  CHECK_EQ_STR(query(db, "UPDATE v SET e = vector64('[1,1,1]') WHERE id = 30"), "");
  CHECK_EQ_STR(query(db, "SELECT count(vector_distance_dot(e, '[1,1,1]')) FROM v"),
               "ERROR 1: vector_distance_dot: vectors must be of the same type (float64 and float32)");
  CHECK_EQ_STR(query(db, "SELECT vector_distance_dot(e, vector64('[1,2,3]')) FROM v WHERE id = 30"), "-6.0\n");
  lode_close(db);
}

int main(void) {
  RUN(simd_kernels_match_portable_bit_for_bit);
  RUN(portable_kernels_compute_the_sums);
  RUN(f32_cos_and_l2_sums_stay_within_their_error_bound);
  RUN(cos_with_a_known_sum_of_squares_falls_back_with_cos);
  RUN(f32_cos_and_l2_leave_f32_where_squares_overflow_or_underflow);
  RUN(best_kernels_are_named_and_available);
  RUN(constructors_write_turso_layouts);
  RUN(extract_renders_shortest_digits_without_exponent);
  RUN(distances_follow_turso_definitions);
  RUN(concat_and_slice);
  RUN(empty_dense_vectors_exist);
  RUN(bad_input_is_an_error_naming_the_function);
  RUN(nearest_neighbours_by_order_by_limit);
  RUN(distances_read_columns_in_place_like_copies);
  RUN(distances_to_a_constant_vector_match_and_follow_rebinding);
  return test_summary();
}
