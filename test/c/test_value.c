/*
** test_value.c — unit tests for vdbe/value.c and vdbe/record.c: affinity of
** declared types, affinity conversion, CAST, comparison order, arithmetic,
** records round-tripping every serial type, corrupt headers rejected.
** Expected values are what Debian's sqlite3 3.40.1 prints.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "testlib.h"
#include "value/value.h"

/* ---- helpers --------------------------------------------------------------- */

static Mem mk_int(int64_t v) {
  Mem m;
  mem_init(&m);
  mem_set_int(&m, v);
  return m;
}
static Mem mk_real(double v) {
  Mem m;
  mem_init(&m);
  mem_set_real(&m, v);
  return m;
}
static Mem mk_text(const char *z) {
  Mem m;
  mem_init(&m);
  mem_set_text(&m, z, -1, MEM_STATIC);
  return m;
}
static Mem mk_blob(const char *z, int n) {
  Mem m;
  mem_init(&m);
  mem_set_blob(&m, z, n, MEM_STATIC);
  return m;
}
static Mem mk_null(void) {
  Mem m;
  mem_init(&m);
  return m;
}

/* Text rendering of m as SQLite's quote() would classify it: "i:12",
** "r:3.5", "t:abc", "b:abc", "null". */
static const char *describe(Mem *m) {
  static char buf[128];
  int oom;
  char real15[32];
  /* A REAL shows 15 digits, as the sqlite3 3.40 CLI that gave the expected
  ** values prints it: these tests check the value, not its 17-digit text. */
  const char *z = m->type == MEM_REAL ? (util_render_real15(m->u.r, real15), real15) : mem_as_text(m, &oom);
  const char *tag = m->type == MEM_INT ? "i" : m->type == MEM_REAL ? "r" : m->type == MEM_TEXT ? "t" : "b";
  if (m->type == MEM_NULL) return "null";
  snprintf(buf, sizeof(buf), "%s:%s", tag, z ? z : "(oom)");
  return buf;
}

/* ---- declared types --------------------------------------------------------- */

TEST(affinity_of_declared_types_follows_the_five_rules) {
  static const struct { const char *t; char aff; } cases[] = {
      {"INT", AFF_INTEGER}, {"INTEGER", AFF_INTEGER}, {"TINYINT", AFF_INTEGER},
      {"BIGINT", AFF_INTEGER}, {"UNSIGNED BIG INT", AFF_INTEGER}, {"int8", AFF_INTEGER},
      {"CHARACTER(20)", AFF_TEXT}, {"VARCHAR(255)", AFF_TEXT}, {"NCHAR(55)", AFF_TEXT},
      {"TEXT", AFF_TEXT}, {"CLOB", AFF_TEXT}, {"BLOB", AFF_NONE}, {"", AFF_NONE},
      {"REAL", AFF_REAL}, {"DOUBLE", AFF_REAL}, {"DOUBLE PRECISION", AFF_REAL},
      {"FLOAT", AFF_REAL}, {"NUMERIC", AFF_NUMERIC}, {"DECIMAL(10,5)", AFF_NUMERIC},
      {"BOOLEAN", AFF_NUMERIC}, {"DATE", AFF_NUMERIC}, {"DATETIME", AFF_NUMERIC},
      /* rule order: INT wins over CHAR, "POINT" contains INT, "STRING" is NUMERIC */
      {"CHARINT", AFF_INTEGER}, {"FLOATING POINT", AFF_INTEGER}, {"STRING", AFF_NUMERIC},
      {"BLOBTEXT", AFF_TEXT},
  };
  size_t i;
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char got = value_affinity_of_type(cases[i].t);
    if (got != cases[i].aff) TEST_FAIL_("affinity(\"%s\") = %c", cases[i].t, got);
  }
  CHECK_EQ_INT(value_affinity_of_type(NULL), AFF_NONE);
}

/* ---- affinity on store -------------------------------------------------------- */

/* create table t(n numeric, i integer, r real, t text, b blob) and insert. */
TEST(numeric_affinity_converts_numeric_text) {
  static const struct { const char *in; const char *want; } cases[] = {
      {" 12 ", "i:12"}, {"1e5", "i:100000"}, {"0x10", "t:0x10"}, {"12abc", "t:12abc"},
      {"9223372036854775808", "r:9.22337203685478e+18"},
      {"9223372036854775807", "i:9223372036854775807"},
      {"-9223372036854775808", "i:-9223372036854775808"}, {"1.", "i:1"}, {".5", "r:0.5"},
      {"3.0", "i:3"}, {"3.5", "r:3.5"}, {"", "t:"}, {"inf", "t:inf"}, {"1e400", "r:Inf"},
      {"-0.0", "i:0"}, {"1e-400", "i:0"}, {"9223372036854775807.0", "r:9.22337203685478e+18"},
  };
  size_t i;
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    Mem m = mk_text(cases[i].in), m2 = mk_text(cases[i].in);
    CHECK_EQ_INT(mem_apply_affinity(&m, AFF_NUMERIC), LODE_OK);
    mem_apply_affinity(&m2, AFF_INTEGER);
    CHECK_EQ_STR(describe(&m), cases[i].want);
    CHECK_EQ_STR(describe(&m2), cases[i].want);
    mem_release(&m);
    mem_release(&m2);
  }
}

TEST(numeric_affinity_turns_integral_reals_into_integers) {
  Mem a = mk_real(3.0), b = mk_real(1.9e18), c = mk_real(-9223372036854775808.0), d = mk_real(2.5);
  mem_apply_affinity(&a, AFF_NUMERIC);
  mem_apply_affinity(&b, AFF_INTEGER);
  mem_apply_affinity(&c, AFF_NUMERIC);
  mem_apply_affinity(&d, AFF_NUMERIC);
  CHECK_EQ_STR(describe(&a), "i:3");
  CHECK_EQ_STR(describe(&b), "i:1900000000000000000");
  CHECK_EQ_STR(describe(&c), "r:-9.22337203685478e+18");
  CHECK_EQ_STR(describe(&d), "r:2.5");
  mem_release(&a);
  mem_release(&b);
  mem_release(&c);
  mem_release(&d);
}

TEST(real_text_and_blob_affinities) {
  Mem a = mk_int(3), b = mk_text("  5 "), c = mk_blob("12", 2), d = mk_real(0.1 + 0.2);
  Mem e = mk_real(1e20), f = mk_text("abc"), g = mk_int(7), h = mk_text("12");
  mem_apply_affinity(&a, AFF_REAL);
  mem_apply_affinity(&b, AFF_REAL);
  mem_apply_affinity(&c, AFF_REAL);
  mem_apply_affinity(&d, AFF_TEXT);
  mem_apply_affinity(&e, AFF_TEXT);
  mem_apply_affinity(&f, AFF_REAL);
  mem_apply_affinity(&g, AFF_NONE);
  mem_apply_affinity(&h, AFF_NONE);
  CHECK_EQ_STR(describe(&a), "r:3.0");
  CHECK_EQ_STR(describe(&b), "r:5.0");
  CHECK_EQ_STR(describe(&c), "b:12");
  CHECK_EQ_STR(describe(&d), "t:0.30000000000000004"); /* REAL to TEXT: SQLite 3.53 text */
  CHECK_EQ_STR(describe(&e), "t:1.0e+20");
  CHECK_EQ_STR(describe(&f), "t:abc");
  CHECK_EQ_STR(describe(&g), "i:7");
  CHECK_EQ_STR(describe(&h), "t:12");
  mem_release(&a); mem_release(&b); mem_release(&c); mem_release(&d);
  mem_release(&e); mem_release(&f); mem_release(&g); mem_release(&h);
}

/* ---- CAST --------------------------------------------------------------------- */

static const char *cast_text(const char *in, char aff) {
  Mem m = mk_text(in);
  static char buf[128];
  mem_cast(&m, aff);
  snprintf(buf, sizeof(buf), "%s", describe(&m));
  mem_release(&m);
  return buf;
}

TEST(cast_text_follows_sqlite) {
  CHECK_EQ_STR(cast_text("12abc", AFF_INTEGER), "i:12");
  CHECK_EQ_STR(cast_text(" 12.9xyz", AFF_INTEGER), "i:12");
  CHECK_EQ_STR(cast_text(" 12.9xyz", AFF_NUMERIC), "r:12.9");
  CHECK_EQ_STR(cast_text("1e3", AFF_INTEGER), "i:1");
  CHECK_EQ_STR(cast_text("1e3", AFF_REAL), "r:1000.0");
  CHECK_EQ_STR(cast_text("1e3", AFF_NUMERIC), "i:1000");
  CHECK_EQ_STR(cast_text("abc", AFF_NUMERIC), "i:0");
  CHECK_EQ_STR(cast_text("99999999999999999999", AFF_INTEGER), "i:9223372036854775807");
  CHECK_EQ_STR(cast_text("-99999999999999999999", AFF_INTEGER), "i:-9223372036854775808");
  CHECK_EQ_STR(cast_text("1.9e18", AFF_NUMERIC), "r:1.9e+18");
  CHECK_EQ_STR(cast_text("-0.0", AFF_NUMERIC), "i:0");
  CHECK_EQ_STR(cast_text("2251799813685248.0", AFF_NUMERIC), "r:2.25179981368525e+15");
  CHECK_EQ_STR(cast_text("2251799813685247.0", AFF_NUMERIC), "i:2251799813685247");
  CHECK_EQ_STR(cast_text("9007199254740993", AFF_NUMERIC), "i:9007199254740993");
  CHECK_EQ_STR(cast_text("1e400", AFF_NUMERIC), "r:Inf");
  CHECK_EQ_STR(cast_text("12", AFF_NONE), "b:12");
}

TEST(cast_numbers_follows_sqlite) {
  Mem a = mk_real(3.0), b = mk_int(12), c = mk_real(1.5), d = mk_blob("A", 1);
  Mem e = mk_real(1e300), f = mk_real(-1e300), g = mk_real(-3.7), h = mk_null();
  mem_cast(&a, AFF_NUMERIC);
  mem_cast(&b, AFF_NONE);
  mem_cast(&c, AFF_TEXT);
  mem_cast(&d, AFF_TEXT);
  mem_cast(&e, AFF_INTEGER);
  mem_cast(&f, AFF_INTEGER);
  mem_cast(&g, AFF_INTEGER);
  mem_cast(&h, AFF_INTEGER);
  CHECK_EQ_STR(describe(&a), "r:3.0");
  CHECK_EQ_STR(describe(&b), "b:12");
  CHECK_EQ_STR(describe(&c), "t:1.5");
  CHECK_EQ_STR(describe(&d), "t:A");
  CHECK_EQ_STR(describe(&e), "i:9223372036854775807");
  CHECK_EQ_STR(describe(&f), "i:-9223372036854775808");
  CHECK_EQ_STR(describe(&g), "i:-3");
  CHECK_EQ_STR(describe(&h), "null");
  mem_release(&a); mem_release(&b); mem_release(&c); mem_release(&d);
  mem_release(&e); mem_release(&f); mem_release(&g);
}

/* ---- conversions ---------------------------------------------------------------- */

TEST(value_accessors_convert_like_sqlite3_value) {
  Mem t = mk_text("42.9xyz"), r = mk_real(-2.5), n = mk_null(), b = mk_blob("7", 1);
  CHECK_EQ_INT(mem_as_int(&t), 42);
  CHECK(mem_as_real(&t) == 42.9);
  CHECK_EQ_INT(mem_as_int(&r), -2);
  CHECK_EQ_INT(mem_as_int(&n), 0);
  CHECK_EQ_INT(mem_as_int(&b), 7);
  CHECK(mem_is_true(&t));
  CHECK(!mem_is_true(&n));
  Mem z = mk_text("0.0"), h = mk_text("0.5");
  CHECK(!mem_is_true(&z));
  CHECK(mem_is_true(&h));
  int oom = 1;
  CHECK(mem_as_text(&n, &oom) == NULL);
  CHECK_EQ_INT(oom, 0);
  CHECK_EQ_STR(mem_as_text(&r, &oom), "-2.5");
  CHECK_EQ_STR(mem_as_text(&t, &oom), "42.9xyz");
  mem_release(&r);
  mem_release(&t);
}

TEST(owned_text_survives_its_source) {
  char src[8] = "hello";
  Mem a, b;
  mem_init(&a);
  mem_init(&b);
  CHECK_EQ_INT(mem_set_text(&a, src, 5, MEM_EPHEM), LODE_OK);
  CHECK_EQ_INT(mem_copy(&b, &a), LODE_OK);
  CHECK_EQ_INT(mem_make_owned(&a), LODE_OK);
  CHECK_EQ_INT(a.owner, MEM_DYN);
  src[0] = 'J';
  CHECK(memcmp(a.z, "hello", 5) == 0);
  CHECK(memcmp(b.z, "hello", 5) == 0);
  CHECK_EQ_INT(a.z[5], 0);
  mem_move(&a, &b);
  CHECK_EQ_INT(b.type, MEM_NULL);
  CHECK_EQ_INT(a.n, 5);
  mem_release(&a);
}

TEST(set_text_reports_oom) {
  Mem a = mk_int(1);
  util_fail_alloc_after(1, 0);
  CHECK_EQ_INT(mem_set_text(&a, "abc", 3, MEM_DYN), LODE_NOMEM);
  CHECK_EQ_INT(a.type, MEM_NULL);
  mem_release(&a);
}

TEST(null_pointer_text_is_empty_text) {
  Mem m;
  int oom;
  mem_init(&m);
  CHECK_EQ_INT(mem_set_text(&m, NULL, -1, MEM_DYN), LODE_OK);
  CHECK_EQ_INT(m.type, MEM_TEXT);
  CHECK_EQ_INT(m.n, 0);
  CHECK_EQ_STR(mem_as_text(&m, &oom), "");
  CHECK_EQ_INT(mem_set_blob(&m, NULL, 0, MEM_DYN), LODE_OK);
  CHECK_EQ_INT(m.type, MEM_BLOB);
  mem_release(&m);
}

TEST(zeroblob_is_zeroed) {
  Mem m;
  mem_init(&m);
  CHECK_EQ_INT(mem_set_zeroblob(&m, 5), LODE_OK);
  CHECK_EQ_INT(m.type, MEM_BLOB);
  CHECK_EQ_INT(m.n, 5);
  CHECK(memcmp(m.z, "\0\0\0\0\0", 5) == 0);
  mem_release(&m);
}

/* ---- comparison ---------------------------------------------------------------- */

TEST(compare_orders_storage_classes) {
  Mem vals[8];
  int i, j;
  vals[0] = mk_null();
  vals[1] = mk_int(INT64_MIN);
  vals[2] = mk_real(-1.5);
  vals[3] = mk_int(1);
  vals[4] = mk_real(1.5);
  vals[5] = mk_text("");
  vals[6] = mk_text("abc");
  vals[7] = mk_blob("", 0);
  for (i = 0; i < 8; i++) {
    for (j = 0; j < 8; j++) {
      int c = mem_compare(&vals[i], &vals[j], COLL_BINARY);
      int want = i < j ? -1 : i > j ? 1 : 0;
      if ((c > 0) - (c < 0) != want) TEST_FAIL_("compare(%d,%d) = %d", i, j, c);
    }
  }
}

TEST(compare_int_with_real_exactly) {
  Mem big = mk_int(INT64_MAX), two63 = mk_real(9223372036854775808.0);
  Mem a = mk_int(9007199254740993), b = mk_real(9007199254740992.0);
  Mem c = mk_int(3), d = mk_real(3.0), e = mk_real(3.5), f = mk_int(-3), g = mk_real(-3.5);
  CHECK(mem_compare(&big, &two63, COLL_BINARY) < 0);
  CHECK(mem_compare(&two63, &big, COLL_BINARY) > 0);
  CHECK(mem_compare(&a, &b, COLL_BINARY) > 0); /* 2^53+1 > 2^53 though (double)a == b */
  CHECK(mem_compare(&c, &d, COLL_BINARY) == 0);
  CHECK(mem_compare(&c, &e, COLL_BINARY) < 0);
  CHECK(mem_compare(&f, &g, COLL_BINARY) > 0);
  Mem n1 = mk_null(), n2 = mk_null();
  CHECK(mem_compare(&n1, &n2, COLL_BINARY) == 0);
}

TEST(compare_text_collations) {
  Mem a = mk_text("abc"), b = mk_text("ABC"), c = mk_text("abc  "), d = mk_text("abcd");
  Mem e = mk_text("ab");
  CHECK(mem_compare(&a, &b, COLL_BINARY) > 0);
  CHECK(mem_compare(&a, &b, COLL_NOCASE) == 0);
  CHECK(mem_compare(&a, &c, COLL_BINARY) < 0);
  CHECK(mem_compare(&a, &c, COLL_RTRIM) == 0);
  CHECK(mem_compare(&a, &d, COLL_NOCASE) < 0);
  CHECK(mem_compare(&e, &a, COLL_BINARY) < 0);
  /* NOCASE folds ASCII only: 'É' (C3 89) differs from 'é' (C3 A9). */
  Mem f = mk_text("\xc3\x89"), g = mk_text("\xc3\xa9");
  CHECK(mem_compare(&f, &g, COLL_NOCASE) < 0);
  /* '_' (0x5f) sorts between 'Z' and 'a': NOCASE folds to lower case. */
  Mem h = mk_text("_"), k = mk_text("A");
  CHECK(mem_compare(&h, &k, COLL_BINARY) > 0);
  CHECK(mem_compare(&h, &k, COLL_NOCASE) < 0);
  Mem x = mk_blob("ab", 2), y = mk_blob("abc", 3);
  CHECK(mem_compare(&x, &y, COLL_NOCASE) < 0);
}

/* ---- arithmetic ------------------------------------------------------------------ */

static const char *arith(int op, Mem a, Mem b) {
  static char buf[128];
  Mem out;
  mem_init(&out);
  CHECK_EQ_INT(mem_arith(op, &a, &b, &out), LODE_OK);
  snprintf(buf, sizeof(buf), "%s", describe(&out));
  mem_release(&out);
  mem_release(&a);
  mem_release(&b);
  return buf;
}

TEST(arithmetic_matches_sqlite) {
  CHECK_EQ_STR(arith('/', mk_int(INT64_MIN), mk_int(-1)), "r:9.22337203685478e+18");
  CHECK_EQ_STR(arith('%', mk_int(INT64_MIN), mk_int(-1)), "i:0");
  CHECK_EQ_STR(arith('%', mk_real(5.5), mk_int(2)), "r:1.0");
  CHECK_EQ_STR(arith('%', mk_int(5), mk_real(2.5)), "r:1.0");
  CHECK_EQ_STR(arith('%', mk_int(-7), mk_int(3)), "i:-1");
  CHECK_EQ_STR(arith('%', mk_int(7), mk_int(-3)), "i:1");
  CHECK_EQ_STR(arith('%', mk_real(5.5), mk_real(0.5)), "null");
  CHECK_EQ_STR(arith('+', mk_int(INT64_MAX), mk_int(1)), "r:9.22337203685478e+18");
  CHECK_EQ_STR(arith('*', mk_int(INT64_MAX), mk_int(2)), "r:1.84467440737096e+19");
  CHECK_EQ_STR(arith('-', mk_int(INT64_MIN), mk_int(1)), "r:-9.22337203685478e+18");
  CHECK_EQ_STR(arith('+', mk_text("3.0"), mk_int(0)), "r:3.0");
  CHECK_EQ_STR(arith('+', mk_text("12abc"), mk_int(0)), "i:12");
  CHECK_EQ_STR(arith('+', mk_text("1e3"), mk_int(0)), "r:1000.0");
  CHECK_EQ_STR(arith('+', mk_text("a"), mk_int(1)), "i:1");
  CHECK_EQ_STR(arith('-', mk_int(2), mk_text("1.5")), "r:0.5");
  CHECK_EQ_STR(arith('-', mk_real(HUGE_VAL), mk_real(HUGE_VAL)), "null");
  CHECK_EQ_STR(arith('/', mk_int(7), mk_int(2)), "i:3");
  CHECK_EQ_STR(arith('/', mk_int(-7), mk_int(2)), "i:-3");
  CHECK_EQ_STR(arith('/', mk_int(7), mk_real(2.0)), "r:3.5");
  CHECK_EQ_STR(arith('/', mk_int(1), mk_int(0)), "null");
  CHECK_EQ_STR(arith('/', mk_real(1.0), mk_int(0)), "null");
  CHECK_EQ_STR(arith('%', mk_int(1), mk_int(0)), "null");
  CHECK_EQ_STR(arith('%', mk_real(1e300), mk_int(7)), "r:0.0");
  CHECK_EQ_STR(arith('+', mk_null(), mk_int(1)), "null");
  CHECK_EQ_STR(arith('*', mk_int(3), mk_null()), "null");
}

/* sqlite3 3.40.1: a TEXT operand of % counts as REAL when its numeric value
** is not an integer, but % itself reads each operand's integer prefix:
** '1e3' % 7 is 1 % 7, 100 % '1.0e-07hello' is 100 % 1, 5 % '0.5' is 5 % 0. */
TEST(remainder_reads_text_operands_as_integer_prefix) {
  CHECK_EQ_STR(arith('%', mk_text("1e3"), mk_int(7)), "r:1.0");
  CHECK_EQ_STR(arith('%', mk_int(16), mk_text("1.5E+300")), "r:0.0");
  CHECK_EQ_STR(arith('%', mk_int(100), mk_text("1.0e-07hello")), "r:0.0");
  CHECK_EQ_STR(arith('%', mk_text("7.9"), mk_int(2)), "r:1.0");
  CHECK_EQ_STR(arith('%', mk_real(5.5), mk_text("1e3")), "r:0.0");
  CHECK_EQ_STR(arith('%', mk_text("2.5e1"), mk_text("1e1")), "r:0.0");
  CHECK_EQ_STR(arith('%', mk_int(5), mk_text("0.5")), "null");
  CHECK_EQ_STR(arith('%', mk_int(5), mk_text("-1e-3")), "r:0.0");
  CHECK_EQ_STR(arith('%', mk_text("-99999999999999999999"), mk_int(7)), "r:-1.0");
  CHECK_EQ_STR(arith('%', mk_text("9223372036854775808"), mk_int(10)), "r:7.0");
  CHECK_EQ_STR(arith('%', mk_blob("1.5", 3), mk_int(2)), "r:1.0");
  CHECK_EQ_STR(arith('%', mk_text("12"), mk_text("5")), "i:2");
}

TEST(arithmetic_output_may_alias_input) {
  Mem a = mk_text("40"), b = mk_int(2);
  CHECK_EQ_INT(mem_arith('+', &a, &b, &a), LODE_OK);
  CHECK_EQ_STR(describe(&a), "i:42");
  mem_release(&a);
}

TEST(concat_renders_numbers_as_text) {
  Mem a = mk_blob("A", 1), b = mk_text("b"), c = mk_real(1.5), d = mk_int(2), n = mk_null();
  Mem out;
  mem_init(&out);
  mem_concat(&a, &b, &out);
  CHECK_EQ_STR(describe(&out), "t:Ab");
  mem_concat(&c, &d, &out);
  CHECK_EQ_STR(describe(&out), "t:1.52");
  mem_concat(&n, &b, &out);
  CHECK_EQ_INT(out.type, MEM_NULL);
  mem_concat(&b, &b, &b);
  CHECK_EQ_STR(describe(&b), "t:bb");
  mem_release(&b);
  mem_release(&c);
  mem_release(&out);
}

TEST(negate_matches_sqlite) {
  Mem a = mk_int(INT64_MIN), b = mk_text("abc"), c = mk_text("12abc"), d = mk_blob("12", 2);
  Mem e = mk_real(2.5), n = mk_null(), out;
  mem_init(&out);
  mem_negate(&a, &out);
  CHECK_EQ_STR(describe(&out), "r:9.22337203685478e+18");
  mem_negate(&b, &out);
  CHECK_EQ_STR(describe(&out), "i:0");
  mem_negate(&c, &out);
  CHECK_EQ_STR(describe(&out), "i:-12");
  mem_negate(&d, &out);
  CHECK_EQ_STR(describe(&out), "i:-12");
  mem_negate(&e, &out);
  CHECK_EQ_STR(describe(&out), "r:-2.5");
  mem_negate(&n, &out);
  CHECK_EQ_INT(out.type, MEM_NULL);
  mem_release(&out);
}

/* ---- records ---------------------------------------------------------------------- */

TEST(record_serial_types_are_smallest) {
  static const struct { int64_t v; uint32_t type; } cases[] = {
      {0, 8}, {1, 9}, {2, 1}, {-1, 1}, {127, 1}, {-128, 1}, {128, 2}, {-129, 2},
      {32767, 2}, {32768, 3}, {-8388608, 3}, {8388608, 4}, {INT32_MAX, 4},
      {(int64_t)INT32_MAX + 1, 5}, {((int64_t)1 << 47) - 1, 5}, {(int64_t)1 << 47, 6},
      {-((int64_t)1 << 47), 5}, {INT64_MIN, 6}, {INT64_MAX, 6},
  };
  static const uint32_t lens[] = {0, 1, 2, 3, 4, 6, 8, 8, 0, 0};
  size_t i;
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    Mem m = mk_int(cases[i].v);
    uint32_t len = 99;
    uint32_t t = record_serial_type(&m, &len);
    if (t != cases[i].type) TEST_FAIL_("serial_type(%lld) = %u", (long long)cases[i].v, t);
    CHECK_EQ_INT(len, lens[t]);
  }
  Mem r = mk_real(0.0), s = mk_text("abc"), b = mk_blob("ab", 2), n = mk_null();
  uint32_t len;
  CHECK_EQ_INT(record_serial_type(&r, &len), 7);
  CHECK_EQ_INT(len, 8);
  CHECK_EQ_INT(record_serial_type(&s, &len), 19);
  CHECK_EQ_INT(len, 3);
  CHECK_EQ_INT(record_serial_type(&b, &len), 16);
  CHECK_EQ_INT(len, 2);
  CHECK_EQ_INT(record_serial_type(&n, &len), 0);
  CHECK_EQ_INT(len, 0);
}

TEST(record_encodes_known_bytes) {
  /* Record (1, 'ab', NULL, 300): header 05 09 11 00 02, bodies 'a' 'b' 01 2c. */
  Mem v[4];
  uint8_t *buf = NULL;
  uint32_t len = 0;
  static const uint8_t want[] = {0x05, 0x09, 0x11, 0x00, 0x02, 'a', 'b', 0x01, 0x2c};
  v[0] = mk_int(1);
  v[1] = mk_text("ab");
  v[2] = mk_null();
  v[3] = mk_int(300);
  CHECK_EQ_INT(record_encode(v, 4, &buf, &len), LODE_OK);
  CHECK_EQ_INT(len, sizeof(want));
  CHECK(buf && memcmp(buf, want, sizeof(want)) == 0);
  util_free(buf);
}

TEST(record_round_trips_every_serial_type) {
  static const int64_t ints[] = {0, 1, -1, 100, -300, 70000, -8388608, 2147483647,
                                 -2147483649LL, 140737488355327LL, INT64_MIN, INT64_MAX};
  Mem v[20], got;
  int n = 0, i;
  uint8_t *buf;
  uint32_t len;
  RecordHeader h;
  for (i = 0; i < (int)(sizeof(ints) / sizeof(ints[0])); i++) v[n++] = mk_int(ints[i]);
  v[n++] = mk_real(-0.125);
  v[n++] = mk_real(1e308);
  v[n++] = mk_null();
  v[n++] = mk_text("");
  v[n++] = mk_text("h\xc3\xa9llo");
  v[n++] = mk_blob("\0\1\2", 3);
  v[n++] = mk_blob("", 0);
  CHECK_EQ_INT(record_encode(v, n, &buf, &len), LODE_OK);
  record_header_init(&h);
  CHECK_EQ_INT(record_header_parse(&h, buf, len, len), LODE_OK);
  CHECK_EQ_INT(h.ncol, n);
  mem_init(&got);
  for (i = 0; i < n; i++) {
    uint32_t used = record_decode_value(buf + h.offsets[i], h.types[i], &got);
    CHECK_EQ_INT(used, record_serial_len(h.types[i]));
    CHECK_EQ_INT(got.type, v[i].type);
    if (mem_compare(&got, &v[i], COLL_BINARY) != 0) TEST_FAIL_("column %d differs", i);
  }
  CHECK_EQ_INT(h.offsets[n - 1] + record_serial_len(h.types[n - 1]), len);
  mem_release(&got);
  record_header_free(&h);
  util_free(buf);
}

TEST(record_header_size_varint_counts_itself) {
  /* 127 one-byte types: header is 1 + 127 = 128 bytes, so its size needs 2. */
  Mem v[127];
  uint8_t *buf;
  uint32_t len;
  int i;
  RecordHeader h;
  uint64_t hs;
  for (i = 0; i < 127; i++) v[i] = mk_int(5);
  CHECK_EQ_INT(record_encode(v, 127, &buf, &len), LODE_OK);
  CHECK_EQ_INT(util_varint_get(buf, &hs), 2);
  CHECK_EQ_INT(hs, 129);
  CHECK_EQ_INT(len, 129 + 127);
  record_header_init(&h);
  CHECK_EQ_INT(record_header_parse(&h, buf, len, len), LODE_OK);
  CHECK_EQ_INT(h.ncol, 127);
  CHECK_EQ_INT(h.offsets[126], 129 + 126);
  record_header_free(&h);
  util_free(buf);
}

TEST(record_header_rejects_corruption) {
  RecordHeader h;
  /* header size past the record */
  static const uint8_t a[] = {0x09, 0x01, 0x05};
  /* serial type 10 and 11 */
  static const uint8_t b[] = {0x02, 0x0a};
  static const uint8_t c[] = {0x02, 0x0b};
  /* body past the end: text of 5 bytes, only 1 present */
  static const uint8_t d[] = {0x02, 0x17, 'x'};
  /* a serial type varint cut off by the header end */
  static const uint8_t e[] = {0x02, 0x81, 0x01};
  /* header size of 0 (smaller than its own varint) */
  static const uint8_t f[] = {0x00};
  /* a 9-byte huge blob type */
  static const uint8_t g[] = {0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe};
  record_header_init(&h);
  CHECK_EQ_INT(record_header_parse(&h, a, sizeof(a), sizeof(a)), LODE_CORRUPT);
  CHECK_EQ_INT(record_header_parse(&h, b, sizeof(b), sizeof(b)), LODE_CORRUPT);
  CHECK_EQ_INT(record_header_parse(&h, c, sizeof(c), sizeof(c)), LODE_CORRUPT);
  CHECK_EQ_INT(record_header_parse(&h, d, sizeof(d), sizeof(d)), LODE_CORRUPT);
  CHECK_EQ_INT(record_header_parse(&h, e, sizeof(e), sizeof(e)), LODE_CORRUPT);
  CHECK_EQ_INT(record_header_parse(&h, f, sizeof(f), sizeof(f)), LODE_CORRUPT);
  CHECK_EQ_INT(record_header_parse(&h, g, sizeof(g), sizeof(g)), LODE_CORRUPT);
  CHECK_EQ_INT(record_header_parse(&h, a, 0, 0), LODE_CORRUPT);
  /* the same bytes are fine when the record is long enough */
  static const uint8_t ok[] = {0x02, 0x17, 'x', 'y', 'z', 'w', 'v'};
  CHECK_EQ_INT(record_header_parse(&h, ok, sizeof(ok), sizeof(ok)), LODE_OK);
  CHECK_EQ_INT(h.ncol, 1);
  CHECK_EQ_INT(h.header_size, 2);
  /* header larger than the bytes supplied */
  CHECK_EQ_INT(record_header_parse(&h, ok, 1, sizeof(ok)), LODE_CORRUPT);
  record_header_free(&h);
}

TEST(record_header_parse_reports_oom) {
  RecordHeader h;
  static const uint8_t r[] = {0x02, 0x00};
  record_header_init(&h);
  util_fail_alloc_after(1, 0);
  CHECK_EQ_INT(record_header_parse(&h, r, sizeof(r), sizeof(r)), LODE_NOMEM);
  record_header_free(&h);
}

TEST(record_encode_reports_oom) {
  Mem v = mk_int(5);
  uint8_t *buf = (uint8_t *)1;
  uint32_t len;
  util_fail_alloc_after(1, 0);
  CHECK_EQ_INT(record_encode(&v, 1, &buf, &len), LODE_NOMEM);
  CHECK(buf == NULL);
}

/* Random bytes never make the parser read out of bounds (run under ASan),
** and whatever it accepts decodes inside the record. */
TEST(record_header_parse_survives_random_bytes) {
  uint64_t seed = 0x243f6a8885a308d3ULL;
  RecordHeader h;
  int iter, accepted = 0;
  record_header_init(&h);
  for (iter = 0; iter < 3000; iter++) {
    uint8_t *buf;
    uint32_t len, i;
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    len = (uint32_t)(seed >> 58) + 1; /* 1..64 bytes, exact-size heap block */
    buf = util_malloc(len);
    for (i = 0; i < len; i++) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      buf[i] = (uint8_t)(seed >> 56);
      if (i == 0) buf[i] &= 0x0f; /* plausible header sizes more often */
    }
    if (record_header_parse(&h, buf, len, len) == LODE_OK) {
      int c;
      Mem m;
      mem_init(&m);
      accepted++;
      for (c = 0; c < h.ncol; c++) {
        CHECK(h.offsets[c] + record_serial_len(h.types[c]) <= len);
        record_decode_value(buf + h.offsets[c], h.types[c], &m);
      }
      mem_release(&m);
    }
    util_free(buf);
  }
  CHECK(accepted > 0);
  record_header_free(&h);
}

/* record_compare orders an encoded record against decoded keys exactly as
** keyinfo_compare orders the decoded keys: every pair of a small value set,
** under every direction, NULL placement and collation. */
TEST(record_compare_agrees_with_keyinfo_compare) {
  Mem vals[7];
  for (int i = 0; i < 7; i++) mem_init(&vals[i]);
  mem_set_int(&vals[1], -3);
  mem_set_real(&vals[2], 2.5);
  mem_set_int(&vals[3], 7);
  mem_set_text(&vals[4], "abc", -1, MEM_STATIC);
  mem_set_text(&vals[5], "ABD", -1, MEM_STATIC);
  mem_set_blob(&vals[6], "\x01", 1, MEM_STATIC);
  KeyInfo *k = keyinfo_new(2);
  CHECK(k != NULL);
  if (!k) return;
  int mismatches = 0;
  for (int variant = 0; variant < 8; variant++) {
    k->desc[0] = variant & 1;
    k->nulls_last[0] = (variant >> 1) & 1;
    k->coll[0] = (variant >> 2) & 1 ? COLL_NOCASE : COLL_BINARY;
    for (int a = 0; a < 7; a++)
      for (int b = 0; b < 7; b++)
        for (int r = 0; r < 2; r++) {
          Mem ka[3] = {vals[a], vals[r ? b : a], vals[3]}, kb[3] = {vals[b], vals[a], vals[1]};
          uint8_t *rec;
          uint32_t len;
          CHECK_EQ_INT(record_encode(ka, 3, &rec, &len), LODE_OK);
          int cmp = 99;
          CHECK_EQ_INT(record_compare(k, rec, len, kb, 3, &cmp), LODE_OK);
          int want = keyinfo_compare(k, ka, kb, 0, 3);
          if ((cmp > 0) != (want > 0) || (cmp < 0) != (want < 0)) mismatches++;
          /* A prefix key: equal on the columns it has. */
          CHECK_EQ_INT(record_compare(k, rec, len, ka, 2, &cmp), LODE_OK);
          CHECK_EQ_INT(cmp, 0);
          util_free(rec);
        }
  }
  CHECK_EQ_INT(mismatches, 0);
  /* DESC reverses, NULLS LAST moves NULL after everything. */
  k->desc[0] = 1;
  k->nulls_last[0] = 0;
  CHECK(keyinfo_compare(k, &vals[1], &vals[3], 0, 1) > 0);
  k->desc[0] = 0;
  k->nulls_last[0] = 1;
  CHECK(keyinfo_compare(k, &vals[0], &vals[6], 0, 1) > 0);
  k->coll[0] = COLL_NOCASE;
  CHECK(keyinfo_compare(k, &vals[4], &vals[5], 0, 1) < 0);
  k->coll[0] = COLL_BINARY;
  CHECK(keyinfo_compare(k, &vals[4], &vals[5], 0, 1) > 0);
  /* A header that claims more than the record holds is corrupt. */
  uint8_t bad[] = {3, 0x81, 0x00, 1};
  int cmp;
  CHECK_EQ_INT(record_compare(k, bad, sizeof bad, vals, 1, &cmp), LODE_CORRUPT);
  uint8_t bad2[] = {9, 1};
  CHECK_EQ_INT(record_compare(k, bad2, sizeof bad2, vals, 1, &cmp), LODE_CORRUPT);
  keyinfo_free(k);
}

int main(void) {
  RUN(affinity_of_declared_types_follows_the_five_rules);
  RUN(numeric_affinity_converts_numeric_text);
  RUN(numeric_affinity_turns_integral_reals_into_integers);
  RUN(real_text_and_blob_affinities);
  RUN(cast_text_follows_sqlite);
  RUN(cast_numbers_follows_sqlite);
  RUN(value_accessors_convert_like_sqlite3_value);
  RUN(owned_text_survives_its_source);
  RUN(set_text_reports_oom);
  RUN(null_pointer_text_is_empty_text);
  RUN(zeroblob_is_zeroed);
  RUN(compare_orders_storage_classes);
  RUN(compare_int_with_real_exactly);
  RUN(compare_text_collations);
  RUN(arithmetic_matches_sqlite);
  RUN(remainder_reads_text_operands_as_integer_prefix);
  RUN(arithmetic_output_may_alias_input);
  RUN(concat_renders_numbers_as_text);
  RUN(negate_matches_sqlite);
  RUN(record_serial_types_are_smallest);
  RUN(record_encodes_known_bytes);
  RUN(record_round_trips_every_serial_type);
  RUN(record_header_size_varint_counts_itself);
  RUN(record_header_rejects_corruption);
  RUN(record_header_parse_reports_oom);
  RUN(record_encode_reports_oom);
  RUN(record_header_parse_survives_random_bytes);
  RUN(record_compare_agrees_with_keyinfo_compare);
  return test_summary();
}
