/*
** functions.c — application-defined SQL functions, aggregates and
** collations through the sqlite3 API: user data, every sqlite3_value_*
** reader and sqlite3_result_* writer, errors raised by a function,
** aggregate contexts (also for an empty group), collations in COLLATE,
** ORDER BY, column definitions and indexes, and destructors run at close.
*/
#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int destroyed = 0;
static void count_destroy(void *p) {
  (void)p;
  destroyed++;
}

/* scale(x): x times the integer the function was registered with */
static void fn_scale(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  int factor = *(int *)sqlite3_user_data(ctx);
  (void)argc;
  switch (sqlite3_value_type(argv[0])) {
    case SQLITE_INTEGER: sqlite3_result_int64(ctx, sqlite3_value_int64(argv[0]) * factor); break;
    case SQLITE_FLOAT: sqlite3_result_double(ctx, sqlite3_value_double(argv[0]) * factor); break;
    case SQLITE_NULL: sqlite3_result_null(ctx); break;
    default: sqlite3_result_error(ctx, "scale() needs a number", -1);
  }
}

/* describe(x): how the value reads through each accessor */
static void fn_describe(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  char buf[256];
  (void)argc;
  int type = sqlite3_value_type(argv[0]);
  int bytes = sqlite3_value_bytes(argv[0]);
  const unsigned char *text = sqlite3_value_text(argv[0]);
  snprintf(buf, sizeof buf, "type=%d int=%lld real=%g text=%s bytes=%d", type,
           (long long)sqlite3_value_int64(argv[0]), sqlite3_value_double(argv[0]), text ? (const char *)text : "(null)",
           bytes);
  sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

/* numtype(x): sqlite3_value_numeric_type */
static void fn_numtype(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  sqlite3_result_int(ctx, sqlite3_value_numeric_type(argv[0]));
}

/* upper_blob(x): the bytes of x upper-cased, as a blob with a malloc'd buffer */
static void fn_upper_blob(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  int n = sqlite3_value_bytes(argv[0]);
  const unsigned char *p = sqlite3_value_blob(argv[0]);
  unsigned char *out = sqlite3_malloc(n > 0 ? n : 1);
  for (int i = 0; i < n; i++) out[i] = (unsigned char)toupper(p[i]);
  sqlite3_result_blob(ctx, out, n, sqlite3_free);
}

/* fail(code): raises an error of that kind */
static void fn_fail(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  int code = sqlite3_value_int(argv[0]);
  if (code == 1) sqlite3_result_error(ctx, "custom failure message", -1);
  else if (code == 18) sqlite3_result_error_toobig(ctx);
  else if (code == 19) {
    sqlite3_result_error(ctx, "constraint from a function", -1);
    sqlite3_result_error_code(ctx, SQLITE_CONSTRAINT_FUNCTION);
  } else if (code == 100) sqlite3_result_error(ctx, "truncated message", 9);
  else sqlite3_result_error_code(ctx, code);
}

/* results(k): one result of each kind */
static void fn_results(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  switch (sqlite3_value_int(argv[0])) {
    case 0: sqlite3_result_zeroblob(ctx, 4); break;
    case 1: sqlite3_result_text(ctx, "static text", 6, SQLITE_STATIC); break;
    case 2: sqlite3_result_value(ctx, argv[0]); break;
    case 3: sqlite3_result_text(ctx, sqlite3_mprintf("%s-%d", "dyn", 7), -1, sqlite3_free); break;
    case 4: sqlite3_result_int(ctx, -5); break;
    case 5: sqlite3_result_double(ctx, 0.5); break;
    case 6: sqlite3_result_text64(ctx, "text64", 6, SQLITE_TRANSIENT, SQLITE_UTF8); break;
    case 7: sqlite3_result_blob64(ctx, "ab", 2, SQLITE_TRANSIENT); break;
    default: sqlite3_result_null(ctx);
  }
}

/* dbname(): the connection the call runs on */
static sqlite3 *main_db;
static void fn_same_db(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc, (void)argv;
  sqlite3_result_int(ctx, sqlite3_context_db_handle(ctx) == main_db);
}

/* aggregate: sum of squares with a count, kept in the aggregate context */
typedef struct SumSq {
  double sum;
  long long n;
} SumSq;

static void sumsq_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  SumSq *a = sqlite3_aggregate_context(ctx, sizeof *a);
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
  double x = sqlite3_value_double(argv[0]);
  a->sum += x * x;
  a->n++;
}

static void sumsq_final(sqlite3_context *ctx) {
  SumSq *a = sqlite3_aggregate_context(ctx, 0);
  char buf[64];
  if (!a) {
    sqlite3_result_text(ctx, "empty", -1, SQLITE_STATIC);
    return;
  }
  snprintf(buf, sizeof buf, "%g/%lld", a->sum, a->n);
  sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

/* aggregate: group_concat with a separator from user data; errors on 'bad' */
typedef struct Concat {
  char *z;
} Concat;

static void cat_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  Concat *c = sqlite3_aggregate_context(ctx, sizeof *c);
  const char *t = (const char *)sqlite3_value_text(argv[0]);
  if (!t) return;
  if (strcmp(t, "bad") == 0) {
    sqlite3_result_error(ctx, "bad value in cat()", -1);
    return;
  }
  const char *sep = sqlite3_user_data(ctx);
  char *next = c->z ? sqlite3_mprintf("%s%s%s", c->z, sep, t) : sqlite3_mprintf("%s", t);
  sqlite3_free(c->z);
  c->z = next;
}

static void cat_final(sqlite3_context *ctx) {
  Concat *c = sqlite3_aggregate_context(ctx, sizeof *c);
  if (c->z) sqlite3_result_text(ctx, c->z, -1, sqlite3_free);
  else sqlite3_result_null(ctx);
  c->z = NULL;
}

/* collation: by length, then reversed bytes */
static int coll_calls = 0;
static int coll_len_rev(void *arg, int na, const void *a, int nb, const void *b) {
  (void)arg;
  coll_calls++;
  if (na != nb) return na - nb;
  int c = memcmp(a, b, (size_t)na);
  return -c;
}

/* collation: case-insensitive, digits ignored */
static int coll_nodigits(void *arg, int na, const void *a, int nb, const void *b) {
  (void)arg;
  const unsigned char *x = a, *y = b;
  int i = 0, j = 0;
  for (;;) {
    while (i < na && isdigit(x[i])) i++;
    while (j < nb && isdigit(y[j])) j++;
    if (i == na || j == nb) return (i < na) - (j < nb);
    int cx = tolower(x[i]), cy = tolower(y[j]);
    if (cx != cy) return cx - cy;
    i++, j++;
  }
}

static void query(sqlite3 *db, const char *sql) {
  sqlite3_stmt *s;
  int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
  printf("%s\n", sql);
  if (rc != SQLITE_OK) {
    printf("  prepare error %d: %s\n", rc, sqlite3_errmsg(db));
    return;
  }
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    printf(" ");
    for (int i = 0; i < sqlite3_column_count(s); i++) {
      int type = sqlite3_column_type(s, i);
      if (type == SQLITE_BLOB) {
        const unsigned char *b = sqlite3_column_blob(s, i);
        printf(" x'");
        for (int k = 0; k < sqlite3_column_bytes(s, i); k++) printf("%02x", b[k]);
        printf("'");
      } else {
        const unsigned char *t = sqlite3_column_text(s, i);
        printf(" %s", t ? (const char *)t : "NULL");
      }
      printf("(%d)", type);
    }
    printf("\n");
  }
  if (rc != SQLITE_DONE)
    printf("  error %d (extended %d): %s\n", rc, sqlite3_extended_errcode(db), sqlite3_errmsg(db));
  sqlite3_finalize(s);
}

int main(void) {
  sqlite3 *db;
  static int three = 3;
  sqlite3_open(":memory:", &db);
  main_db = db;
  printf("create scale: %d\n",
         sqlite3_create_function_v2(db, "scale", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, &three, fn_scale, NULL, NULL,
                                    count_destroy));
  sqlite3_create_function(db, "describe", 1, SQLITE_UTF8, NULL, fn_describe, NULL, NULL);
  sqlite3_create_function(db, "numtype", 1, SQLITE_UTF8, NULL, fn_numtype, NULL, NULL);
  sqlite3_create_function(db, "upper_blob", 1, SQLITE_UTF8, NULL, fn_upper_blob, NULL, NULL);
  sqlite3_create_function(db, "fail", 1, SQLITE_UTF8, NULL, fn_fail, NULL, NULL);
  sqlite3_create_function(db, "results", 1, SQLITE_UTF8, NULL, fn_results, NULL, NULL);
  sqlite3_create_function(db, "same_db", 0, SQLITE_UTF8, NULL, fn_same_db, NULL, NULL);
  sqlite3_create_function_v2(db, "sumsq", 1, SQLITE_UTF8, NULL, NULL, sumsq_step, sumsq_final, count_destroy);
  sqlite3_create_function(db, "cat", 1, SQLITE_UTF8, (void *)"+", NULL, cat_step, cat_final);
  printf("bad registrations: %d %d %d\n", sqlite3_create_function(db, "x", -2, SQLITE_UTF8, NULL, fn_scale, NULL, NULL),
         sqlite3_create_function(db, "x", 1, SQLITE_UTF8, NULL, fn_scale, sumsq_step, sumsq_final),
         sqlite3_create_function(db, "x", 1, SQLITE_UTF8, NULL, NULL, sumsq_step, NULL));

  sqlite3_exec(db,
               "CREATE TABLE v(g, x);"
               "INSERT INTO v VALUES (1, 1), (1, 2), (2, 3.5), (2, NULL), (3, 'bad'), (1, '4');",
               NULL, NULL, NULL);
  query(db, "SELECT scale(2), scale(1.5), scale(NULL), typeof(scale(-7))");
  query(db, "SELECT scale('x')");
  query(db, "SELECT scale(1, 2)");
  query(db, "SELECT describe(42), describe(2.5), describe('12abc'), describe(x'00ff'), describe(NULL)");
  query(db, "SELECT numtype('12'), numtype(' 3.5'), numtype('abc'), numtype(7), numtype(x'31')");
  query(db, "SELECT upper_blob('abc'), hex(upper_blob(x'61ff'))");
  for (int k = 0; k <= 8; k++) {
    char sql[64];
    snprintf(sql, sizeof sql, "SELECT results(%d), typeof(results(%d))", k, k);
    query(db, sql);
  }
  query(db, "SELECT fail(1)");
  query(db, "SELECT fail(18)");
  query(db, "SELECT fail(19)");
  query(db, "SELECT fail(100)");
  query(db, "SELECT fail(5)");
  query(db, "SELECT fail(7)");
  query(db, "SELECT same_db()");
  query(db, "SELECT g, sumsq(x), count(*) FROM v GROUP BY g ORDER BY g");
  query(db, "SELECT sumsq(x) FROM v WHERE 0");
  query(db, "SELECT g, cat(x) FROM v WHERE g < 3 GROUP BY g ORDER BY g");
  query(db, "SELECT cat(x) FROM v");
  query(db, "SELECT scale(x) FROM v WHERE g = 1 ORDER BY scale(x) DESC");
  /* a user function inside an index expression and a CHECK */
  query(db, "CREATE TABLE w(a CHECK (scale(a) < 100))");
  query(db, "INSERT INTO w VALUES (10)");
  query(db, "INSERT INTO w VALUES (40)");

  /* redefining a function replaces it for new statements */
  static int ten = 10;
  sqlite3_create_function_v2(db, "scale", 1, SQLITE_UTF8, &ten, fn_scale, NULL, NULL, NULL);
  query(db, "SELECT scale(2)");

  /* collations */
  printf("create collation: %d\n",
         sqlite3_create_collation_v2(db, "LENREV", SQLITE_UTF8, NULL, coll_len_rev, count_destroy));
  sqlite3_create_collation(db, "nodigits", SQLITE_UTF8, NULL, coll_nodigits);
  sqlite3_exec(db, "CREATE TABLE c(s TEXT COLLATE lenrev, t TEXT);"
                   "INSERT INTO c VALUES ('bb','A1'), ('a','b2'), ('ccc','a3'), ('ab','B4'), ('ba','c');",
               NULL, NULL, NULL);
  query(db, "SELECT s FROM c ORDER BY s");
  query(db, "SELECT s FROM c ORDER BY s COLLATE binary");
  query(db, "SELECT t FROM c ORDER BY t COLLATE nodigits, t");
  query(db, "SELECT t FROM c WHERE t = 'B' COLLATE NODIGITS ORDER BY t");
  query(db, "SELECT max(s), min(s) FROM c");
  query(db, "SELECT DISTINCT t COLLATE nodigits FROM c ORDER BY 1");
  query(db, "CREATE INDEX ci ON c(t COLLATE nodigits)");
  query(db, "SELECT t FROM c WHERE t COLLATE nodigits = 'a' ORDER BY t COLLATE nodigits");
  query(db, "SELECT 'x' < 'y' COLLATE unknown_coll");
  printf("collation calls made: %s\n", coll_calls > 0 ? "yes" : "no");
  printf("builtin redefine: %d\n", sqlite3_create_collation(db, "nocase", SQLITE_UTF8, NULL, coll_nodigits));

  printf("destroyed before close: %d\n", destroyed);
  printf("close: %d\n", sqlite3_close(db));
  printf("destroyed after close: %d\n", destroyed);
  return 0;
}
