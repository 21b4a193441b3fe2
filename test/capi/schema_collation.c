/*
** schema_collation.c — a table whose schema names a collation the reading
** connection never defined: statements that only move values (SELECT *,
** UNION ALL) run, every statement that would compare by it (ORDER BY, WHERE,
** GROUP BY, DISTINCT, UNION/EXCEPT/INTERSECT, a compound's ORDER BY, an index
** on the column) fails at prepare with "no such collation sequence".
** Also: an application function taking any number of arguments hides the
** built-in of its name; a run's error message is still the connection's
** after the statement is reset and then finalized (as Tcl's binding reads it);
** a statement prepared before PRAGMA case_sensitive_like compiles again with
** the new LIKE; BETWEEN evaluates its left operand once.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int reverse(void *arg, int na, const void *a, int nb, const void *b) {
  (void)arg;
  int n = na < nb ? na : nb;
  int c = memcmp(a, b, (size_t)n);
  return c ? -c : nb - na;
}

static void run(sqlite3 *db, const char *sql) {
  sqlite3_stmt *s;
  printf("%s ->", sql);
  if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
    printf(" error: %s\n", sqlite3_errmsg(db));
    return;
  }
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW)
    for (int i = 0; i < sqlite3_column_count(s); i++) printf(" %s", (const char *)sqlite3_column_text(s, i));
  if (rc != SQLITE_DONE) printf(" step %d", rc);
  printf(" reset %d", sqlite3_reset(s));
  printf(" finalize %d: %s\n", sqlite3_finalize(s), sqlite3_errmsg(db));
}

static int calls;

static void counted(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  calls++;
  sqlite3_result_value(ctx, argv[0]);
}

static void tag(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argv;
  sqlite3_result_int(ctx, 1000 + argc);
}

int main(void) {
  char path[64];
  sqlite3 *db;
  snprintf(path, sizeof path, "/tmp/capi-schema-coll-%d.db", (int)getpid());
  unlink(path);

  sqlite3_open(path, &db);
  sqlite3_create_collation(db, "rev", SQLITE_UTF8, NULL, reverse);
  run(db, "CREATE TABLE t(c COLLATE rev, d)");
  run(db, "INSERT INTO t VALUES('a', 1), ('b', 2), ('c', 3)");
  run(db, "CREATE TABLE u(e)");
  run(db, "CREATE INDEX ue ON u(e COLLATE rev)");
  run(db, "SELECT c FROM t ORDER BY c");
  sqlite3_close(db);

  sqlite3_open(path, &db);
  run(db, "SELECT * FROM t");
  run(db, "SELECT c FROM t UNION ALL SELECT c FROM t");
  run(db, "SELECT (SELECT c FROM t WHERE d = 2)");
  run(db, "SELECT c FROM t ORDER BY c");
  run(db, "SELECT c FROM t ORDER BY +c");
  run(db, "SELECT d FROM t WHERE c = 'b'");
  run(db, "SELECT count(*) FROM t GROUP BY c");
  run(db, "SELECT DISTINCT c FROM t");
  run(db, "SELECT c FROM t UNION SELECT c FROM t");
  run(db, "SELECT c FROM t EXCEPT SELECT 'a'");
  run(db, "SELECT c FROM t UNION ALL SELECT c FROM t ORDER BY 1");
  run(db, "SELECT c FROM t ORDER BY c COLLATE binary");
  run(db, "INSERT INTO u VALUES('x')");
  run(db, "SELECT e FROM u");
  sqlite3_create_collation(db, "rev", SQLITE_UTF8, NULL, reverse);
  run(db, "SELECT c FROM t ORDER BY c");
  run(db, "SELECT c FROM t UNION SELECT 'b'");
  run(db, "INSERT INTO u VALUES('x')");

  /* A variadic application function hides the built-in of the same name. */
  run(db, "SELECT hex(5)");
  sqlite3_create_function(db, "hex", -1, SQLITE_UTF8, NULL, tag, NULL, NULL);
  run(db, "SELECT hex(5), hex(), hex(1, 2)");

  /* The message of a failed run outlives reset and finalize. */
  run(db, "SELECT 'a' LIKE 'b' ESCAPE 'xy'");
  run(db, "SELECT 1");

  /* PRAGMA case_sensitive_like replaces like(): prepared statements follow. */
  sqlite3_stmt *s;
  sqlite3_prepare_v2(db, "SELECT 'abcxyz' LIKE 'ABC%'", -1, &s, NULL);
  for (int i = 0; i < 3; i++) {
    sqlite3_step(s);
    printf("like run %d: %d\n", i, sqlite3_column_int(s, 0));
    sqlite3_reset(s);
    sqlite3_exec(db, i == 0 ? "PRAGMA case_sensitive_like = 1" : "PRAGMA case_sensitive_like = 0", NULL, NULL, NULL);
  }
  sqlite3_finalize(s);

  /* x BETWEEN a AND b reads x once, as a value and as a condition. */
  sqlite3_create_function(db, "counted", 1, SQLITE_UTF8, NULL, counted, NULL, NULL);
  run(db, "SELECT counted(10) BETWEEN 5 AND 15, counted(3) NOT BETWEEN 5 AND 15");
  printf("calls %d\n", calls);
  calls = 0;
  run(db, "SELECT 1 WHERE counted(10) BETWEEN 5 AND 15");
  printf("calls %d\n", calls);
  sqlite3_close(db);
  unlink(path);
  return 0;
}
