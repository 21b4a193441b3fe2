/*
** fuzz_lode.c — random sequences of API calls over a small pool of
** connections and statements that are live, closed/finalized (stale) or
** NULL, as a careless program would make them.  What Lode promises: no call
** crashes or touches freed memory (this runs under ASan with make SAN=1
** test-c) and every misuse is answered with an error code.  The sequence is
** fixed by the seed; the program prints how many calls it made.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#define NDB 3
#define NSTMT 8
#define NCALLS 20000

static unsigned long long seed = 0x2545F4914F6CDD1DULL;
static unsigned next_rand(unsigned n) {
  seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
  return (unsigned)(seed >> 33) % n;
}

static const char *const sqls[] = {
    "CREATE TABLE IF NOT EXISTS t(a INTEGER PRIMARY KEY, b TEXT, c)",
    "INSERT INTO t(b, c) VALUES (?, ?)",
    "INSERT INTO t(a, b) VALUES (?1, :x)",
    "SELECT a, b, c, f(a) FROM t WHERE a > ? ORDER BY b",
    "SELECT count(*), agg(b) FROM t",
    "UPDATE t SET c = ? WHERE a = ?",
    "DELETE FROM t WHERE a % 3 = ?",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT s",
    "RELEASE s",
    "SELEC broken",
    "SELECT * FROM nowhere",
    "SELECT ?, ?2, @p, $q, :r",
    "DROP TABLE IF EXISTS t",
    "SELECT b COLLATE rev FROM t ORDER BY 1",
    "PRAGMA integrity_check",
    "",
};
#define NSQL (sizeof sqls / sizeof sqls[0])

static void fn_f(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  if (sqlite3_value_int(argv[0]) % 7 == 3) sqlite3_result_error(ctx, "f failed", -1);
  else sqlite3_result_value(ctx, argv[0]);
}
static void agg_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  int *n = sqlite3_aggregate_context(ctx, sizeof *n);
  if (n) *n += sqlite3_value_bytes(argv[0]);
}
static void agg_final(sqlite3_context *ctx) {
  int *n = sqlite3_aggregate_context(ctx, 0);
  sqlite3_result_int(ctx, n ? *n : -1);
}
static int rev(void *a, int na, const void *x, int nb, const void *y) {
  (void)a;
  int c = memcmp(x, y, (size_t)(na < nb ? na : nb));
  return c ? -c : nb - na;
}

int main(void) {
  sqlite3 *dbs[NDB] = {0};
  sqlite3_stmt *stmts[NSTMT] = {0};
  char text[32];
  int calls = 0;
  for (calls = 0; calls < NCALLS; calls++) {
    sqlite3 *db = dbs[next_rand(NDB)];
    sqlite3_stmt *s = stmts[next_rand(NSTMT)];
    int i = (int)next_rand(8) - 1;
    switch (next_rand(30)) {
      case 0: {
        int k = (int)next_rand(NDB);
        if (!dbs[k] || next_rand(4) == 0) {
          sqlite3_close_v2(dbs[k]); /* a program that forgets its statements leaks them: this one does not */
          sqlite3_open(":memory:", &dbs[k]);
          sqlite3_create_function(dbs[k], "f", 1, SQLITE_UTF8, NULL, fn_f, NULL, NULL);
          sqlite3_create_function(dbs[k], "agg", 1, SQLITE_UTF8, NULL, NULL, agg_step, agg_final);
          sqlite3_create_collation(dbs[k], "rev", SQLITE_UTF8, NULL, rev);
          sqlite3_exec(dbs[k],
                       "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c);"
                       "INSERT INTO t(b, c) VALUES ('x', 1), ('y', 2.5), ('z', x'00'), (NULL, 'w'), ('v', NULL)",
                       NULL, NULL, NULL);
        }
        break;
      }
      case 1: sqlite3_close(db); break;
      case 2: sqlite3_close_v2(db); break;
      case 3:
      case 4: {
        int k = (int)next_rand(NSTMT);
        sqlite3_finalize(stmts[k]);
        sqlite3_prepare_v2(db, sqls[next_rand(NSQL)], -1, &stmts[k], NULL);
        break;
      }
      case 5:
      case 6:
      case 7: sqlite3_step(s); break;
      case 8: sqlite3_reset(s); break;
      case 9: sqlite3_finalize(s); break;
      case 10: sqlite3_bind_int64(s, i, (sqlite3_int64)next_rand(1000)); break;
      case 11:
        snprintf(text, sizeof text, "text%u", next_rand(100));
        sqlite3_bind_text(s, i, text, -1, SQLITE_TRANSIENT);
        break;
      case 12: sqlite3_bind_blob(s, i, text, (int)next_rand(8), SQLITE_STATIC); break;
      case 13: sqlite3_bind_null(s, i); break;
      case 14: sqlite3_bind_double(s, i, next_rand(100) / 7.0); break;
      case 15: sqlite3_clear_bindings(s); break;
      case 16: {
        const unsigned char *z = sqlite3_column_text(s, i);
        int n = sqlite3_column_bytes(s, i);
        if (z && n > 0) text[0] = (char)z[n - 1];
        break;
      }
      case 17: {
        const void *b = sqlite3_column_blob(s, i);
        (void)b;
        sqlite3_column_int64(s, i);
        sqlite3_column_double(s, i);
        sqlite3_column_type(s, i);
        sqlite3_column_name(s, i);
        sqlite3_column_decltype(s, i);
        break;
      }
      case 18: {
        sqlite3_stmt *other = stmts[next_rand(NSTMT)];
        sqlite3_bind_value(other, i, sqlite3_column_value(s, i));
        break;
      }
      case 19: sqlite3_exec(db, sqls[next_rand(NSQL)], NULL, NULL, NULL); break;
      case 20: {
        char *err = NULL;
        sqlite3_exec(db, "SELECT a, b FROM t LIMIT 3", NULL, NULL, &err);
        sqlite3_free(err);
        break;
      }
      case 21:
        sqlite3_errmsg(db);
        sqlite3_errcode(db);
        sqlite3_extended_errcode(db);
        sqlite3_changes(db);
        sqlite3_get_autocommit(db);
        sqlite3_last_insert_rowid(db);
        break;
      case 22: {
        char *x = sqlite3_expanded_sql(s);
        sqlite3_free(x);
        sqlite3_sql(s);
        sqlite3_data_count(s);
        sqlite3_column_count(s);
        sqlite3_stmt_busy(s);
        sqlite3_bind_parameter_name(s, i);
        sqlite3_bind_parameter_index(s, ":x");
        break;
      }
      case 23: sqlite3_interrupt(db); break;
      case 24: sqlite3_busy_timeout(db, (int)next_rand(3)); break;
      case 25: {
        char **table = NULL;
        int nr, nc;
        char *err = NULL;
        sqlite3_get_table(db, sqls[next_rand(NSQL)], &table, &nr, &nc, &err);
        sqlite3_free_table(table);
        sqlite3_free(err);
        break;
      }
      case 26: {
        sqlite3_backup *b = sqlite3_backup_init(db, "main", dbs[next_rand(NDB)], "main");
        if (b) sqlite3_backup_step(b, (int)next_rand(3) - 1);
        sqlite3_backup_finish(b);
        break;
      }
      case 27: {
        sqlite3_int64 size;
        unsigned char *img = sqlite3_serialize(db, "main", &size, 0);
        sqlite3_free(img);
        break;
      }
      case 28: sqlite3_db_handle(s); sqlite3_next_stmt(db, s); break;
      case 29:
        sqlite3_table_column_metadata(db, NULL, "t", next_rand(2) ? "b" : "zz", NULL, NULL, NULL, NULL, NULL);
        break;
    }
  }
  /* clean up whatever is still open (stale handles just get SQLITE_MISUSE) */
  for (int k = 0; k < NSTMT; k++) sqlite3_finalize(stmts[k]);
  for (int k = 0; k < NDB; k++) sqlite3_close_v2(dbs[k]);
  printf("%d calls made\n", calls);
  return 0;
}
