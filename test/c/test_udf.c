/*
** test_udf.c — application-defined functions through lode.h
** (lode_create_function, value and result calls), aggregates as window
** functions, and lode_serialize / lode_deserialize / lode_backup_*; the
** built-in extension families' functions, which connections share, are
** still each connection's own to shadow or delete.
*/
#include <stdlib.h>
#include <string.h>

#include "lode.h"
#include "testdb.h"
#include "testlib.h"

static void half(lode_context *ctx, int argc, lode_value **argv) {
  (void)argc;
  if (lode_value_type(argv[0]) == LODE_NULL) lode_result_null(ctx);
  else if (lode_value_type(argv[0]) == LODE_TEXT) lode_result_error(ctx, "half of text", -1);
  else lode_result_double(ctx, lode_value_double(argv[0]) / 2);
}

static void sum_step(lode_context *ctx, int argc, lode_value **argv) {
  (void)argc;
  lode_int64 *acc = lode_aggregate_context(ctx, sizeof *acc);
  if (acc) *acc += lode_value_int64(argv[0]);
}

static void sum_inverse(lode_context *ctx, int argc, lode_value **argv) {
  (void)argc;
  lode_int64 *acc = lode_aggregate_context(ctx, sizeof *acc);
  if (acc) *acc -= lode_value_int64(argv[0]);
}

static void sum_final(lode_context *ctx) {
  lode_int64 *acc = lode_aggregate_context(ctx, 0);
  lode_result_int64(ctx, acc ? *acc : 0);
}

/* Sums the lengths of its arguments' text: a number's text is made on the argument's value. */
static void textlen_step(lode_context *ctx, int argc, lode_value **argv) {
  (void)argc;
  lode_int64 *acc = lode_aggregate_context(ctx, sizeof *acc);
  const char *z = (const char *)lode_value_text(argv[0]);
  if (acc && z) *acc += (lode_int64)strlen(z);
}

static void textlen_inverse(lode_context *ctx, int argc, lode_value **argv) {
  (void)argc;
  lode_int64 *acc = lode_aggregate_context(ctx, sizeof *acc);
  const char *z = (const char *)lode_value_text(argv[0]);
  if (acc && z) *acc -= (lode_int64)strlen(z);
}

static void picky_step(lode_context *ctx, int argc, lode_value **argv) {
  (void)argc;
  lode_int64 *acc = lode_aggregate_context(ctx, 64);
  if (lode_value_int64(argv[0]) == 3) lode_result_error(ctx, "three", -1);
  else if (acc) *acc += lode_value_int64(argv[0]);
}

static int destroyed;
static void count_destroy(void *p) {
  (void)p;
  destroyed++;
}

TEST(scalar_functions_get_values_and_set_results) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_INT(lode_create_function(db, "half", 1, LODE_DETERMINISTIC, NULL, half, NULL, NULL, NULL, NULL, NULL),
               LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT half(5), half(NULL) IS NULL, typeof(half(4))"), "2.5|1|real\n");
  CHECK_EQ_STR(query(db, "SELECT half('x')"), "ERROR 1: half of text");
  CHECK_EQ_STR(query(db, "SELECT half(1, 2)"), "ERROR 1: wrong number of arguments to function half()");
  /* deterministic: usable in an index expression */
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a); CREATE INDEX i ON t(half(a)); INSERT INTO t VALUES (4), (6);"
                         "SELECT a FROM t WHERE half(a) = 3"),
               "6\n");
  lode_close(db);
}

TEST(aggregates_and_window_aggregates) {
  lode *db = NULL;
  destroyed = 0;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_INT(lode_create_function(db, "plain", 1, 0, NULL, NULL, sum_step, sum_final, NULL, NULL, count_destroy),
               LODE_OK);
  CHECK_EQ_INT(lode_create_function(db, "win", 1, 0, NULL, NULL, sum_step, sum_final, sum_final, sum_inverse,
                                    count_destroy),
               LODE_OK);
  query(db, "CREATE TABLE t(k, v); INSERT INTO t VALUES (1, 1), (1, 2), (2, 3), (2, 4)");
  CHECK_EQ_STR(query(db, "SELECT k, plain(v), win(v) FROM t GROUP BY k"), "1|3|3\n2|7|7\n");
  CHECK_EQ_STR(query(db, "SELECT plain(v) FROM t WHERE 0"), "0\n");
  CHECK_EQ_STR(query(db, "SELECT win(v) OVER (ORDER BY v ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t"),
               "1\n3\n5\n7\n");
  CHECK_EQ_STR(query(db, "SELECT plain(v) OVER (ORDER BY v) FROM t"),
               "ERROR 1: plain() may not be used as a window function");
  /* replacing a definition destroys the old one's data; closing the rest */
  CHECK_EQ_INT(lode_create_function(db, "plain", 1, 0, NULL, NULL, sum_step, sum_final, NULL, NULL, count_destroy),
               LODE_OK);
  CHECK_EQ_INT(destroyed, 1);
  /* a step that fails ends the statement; the group's block is freed */
  CHECK_EQ_INT(lode_create_function(db, "picky", 1, 0, NULL, NULL, picky_step, sum_final, NULL, NULL, NULL), LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT picky(v) FROM t"), "ERROR 1: three");
  CHECK_EQ_STR(query(db, "SELECT k, picky(v) FROM t WHERE v <> 3 GROUP BY k"), "1|3\n2|4\n");
  /* a window's rows are the sorted rows' values: the text a step asks of a number is freed with them (the
  ** sanitizer build finds a leak otherwise) */
  CHECK_EQ_INT(lode_create_function(db, "textlen", 1, 0, NULL, NULL, textlen_step, sum_final, sum_final,
                                    textlen_inverse, NULL),
               LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT textlen(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) "
                         "FROM (SELECT 5 x UNION ALL SELECT 12.5 UNION ALL SELECT 300)"),
               "1\n5\n7\n");
  /* only one of xValue and xInverse is misuse */
  CHECK_EQ_INT(lode_create_function(db, "bad", 1, 0, NULL, NULL, sum_step, sum_final, sum_final, NULL, NULL),
               LODE_MISUSE);
  lode_close(db);
  CHECK_EQ_INT(destroyed, 3);
}

TEST(serialize_deserialize_and_backup) {
  lode *db = NULL, *copy = NULL, *dest = NULL;
  char path_buf[96];
  const char *path = tmp_db_path(path_buf, sizeof path_buf, "udf_backup");
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  query(db, "CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 'one'), (2, 'two')");
  lode_int64 n = 0;
  unsigned char *image = lode_serialize(db, "main", &n);
  CHECK(image != NULL);
  CHECK(n > 0 && n % 4096 == 0);
  CHECK_EQ_INT(lode_open(":memory:", &copy), LODE_OK);
  CHECK_EQ_INT(lode_deserialize(copy, "main", image, n), LODE_OK);
  lode_free(image);
  CHECK_EQ_STR(query(copy, "SELECT group_concat(b) FROM t"), "one,two\n");
  CHECK_EQ_INT(lode_deserialize(copy, "main", (const unsigned char *)"hello", 5), LODE_OK);
  CHECK_EQ_STR(query(copy, "SELECT 1 FROM sqlite_master"), "ERROR 26: file is not a database");
  lode_close(copy);

  remove_db(path);
  CHECK_EQ_INT(lode_open(path, &dest), LODE_OK);
  lode_backup *b = lode_backup_init(dest, "main", db, "main");
  CHECK(b != NULL);
  int rc;
  while ((rc = lode_backup_step(b, 1)) == LODE_OK) {
  }
  CHECK_EQ_INT(rc, LODE_DONE);
  CHECK_EQ_INT(lode_backup_remaining(b), 0);
  CHECK(lode_backup_pagecount(b) >= 2);
  CHECK_EQ_INT(lode_backup_finish(b), LODE_OK);
  CHECK_EQ_STR(query(dest, "SELECT sum(a) FROM t"), "3\n");
  lode_close(dest);
  lode_close(db);
  remove_db(path);
}

static void forty_two(lode_context *ctx, int argc, lode_value **argv) {
  (void)argc, (void)argv;
  lode_result_int64(ctx, 42);
}

static const char *one_row(lode *db, const char *sql) { return query(db, sql); }

/* vector_distance_l2 (a vector function), offsets (fts3's placeholder) and
** rtreecheck are in every connection from the start; one connection's own
** definitions and deletions of them change nothing for the others, before
** or after it closes, and PRAGMA function_list lists each once. */
TEST(extension_functions_are_each_connections_own) {
  lode *a = NULL, *b = NULL, *c = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &a), LODE_OK);
  CHECK_EQ_INT(lode_open(":memory:", &b), LODE_OK);
  const char *dist = "SELECT vector_distance_l2(vector('[1,2]'), vector('[1,5]'))";
  CHECK_EQ_STR(one_row(a, dist), "3.0\n");
  CHECK_EQ_STR(one_row(a, "SELECT offsets(1)"),
               "ERROR 1: unable to use function offsets in the requested context");
  CHECK_EQ_INT(lode_create_function(a, "vector_distance_l2", 2, 0, NULL, forty_two, NULL, NULL, NULL, NULL, NULL),
               LODE_OK);
  CHECK_EQ_INT(lode_create_function(a, "rtreecheck", -1, 0, NULL, forty_two, NULL, NULL, NULL, NULL, NULL), LODE_OK);
  CHECK_EQ_INT(lode_create_function(a, "offsets", 1, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL), LODE_OK);
  CHECK_EQ_STR(one_row(a, dist), "42\n");
  CHECK_EQ_STR(one_row(a, "SELECT rtreecheck('t')"), "42\n");
  CHECK_EQ_STR(one_row(a, "SELECT offsets(1)"), "ERROR 1: no such function: offsets");
  CHECK_EQ_STR(one_row(a, "SELECT count(*) FROM pragma_function_list WHERE name = 'vector_distance_l2'"), "1\n");
  CHECK_EQ_STR(one_row(b, dist), "3.0\n");
  CHECK_EQ_STR(one_row(b, "SELECT offsets(1)"),
               "ERROR 1: unable to use function offsets in the requested context");
  CHECK_EQ_STR(one_row(b, "SELECT rtreecheck('t')"), "ERROR 1: SQL logic error"); /* as sqlite3: no such r-tree */
  CHECK_EQ_INT(lode_close(a), LODE_OK);
  CHECK_EQ_INT(lode_open(":memory:", &c), LODE_OK);
  lode *after[2] = {b, c};
  for (int i = 0; i < 2; i++) {
    CHECK_EQ_STR(one_row(after[i], dist), "3.0\n");
    CHECK_EQ_STR(one_row(after[i], "SELECT offsets(1)"),
                 "ERROR 1: unable to use function offsets in the requested context");
    CHECK_EQ_STR(one_row(after[i], "SELECT count(*) FROM pragma_function_list WHERE name IN "
                                   "('vector_distance_l2', 'offsets', 'rtreecheck', 'matchinfo')"),
                 "5\n");
  }
  lode_close(b);
  lode_close(c);
}

int main(void) {
  RUN(scalar_functions_get_values_and_set_results);
  RUN(aggregates_and_window_aggregates);
  RUN(serialize_deserialize_and_backup);
  RUN(extension_functions_are_each_connections_own);
  return test_summary();
}
