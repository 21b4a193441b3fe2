/*
** incremental_vacuum_steps.c — PRAGMA incremental_vacuum(N) gives back one
** free page per step, each step a row without columns, up to N pages (all
** when N is absent or not positive) and none once the freelist is empty; a
** statement stepped once and reset gives back one page.  Nothing happens
** in a database without auto-vacuum.
*/
#include <sqlite3.h>
#include <stdio.h>

static sqlite3 *db;

static long long one(const char *sql) {
  sqlite3_stmt *s;
  long long v = -1;
  sqlite3_prepare_v2(db, sql, -1, &s, NULL);
  if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  return v;
}

static void state(void) {
  printf("  freelist %lld, pages %lld\n", one("PRAGMA freelist_count"), one("PRAGMA page_count"));
}

static void all_steps(const char *sql) {
  sqlite3_stmt *s;
  int rc, n = 0, cols = -1;
  sqlite3_prepare_v2(db, sql, -1, &s, NULL);
  printf("%s: columns %d, read-only %d\n", sql, sqlite3_column_count(s), sqlite3_stmt_readonly(s));
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    if (n++ == 0) cols = sqlite3_data_count(s);
  }
  printf("  %d rows (first with %d values), then %d\n", n, cols, rc);
  sqlite3_finalize(s);
  state();
}

static void one_step(const char *sql) {
  sqlite3_stmt *s;
  sqlite3_prepare_v2(db, sql, -1, &s, NULL);
  printf("%s, one step: %d\n", sql, sqlite3_step(s));
  state();
  printf("  reset %d\n", sqlite3_reset(s));
  sqlite3_finalize(s);
  state();
}

static void make(const char *mode) {
  char sql[512];
  sqlite3_close(db);
  remove("iv.db");
  remove("iv.db-wal");
  remove("iv.db-shm");
  sqlite3_open("iv.db", &db);
  snprintf(sql, sizeof sql,
           "PRAGMA auto_vacuum = %s;"
           "CREATE TABLE t1(b); INSERT INTO t1 VALUES (zeroblob(20000));"
           "CREATE TABLE t2(a, b); INSERT INTO t2 VALUES (1, zeroblob(30000)), (2, zeroblob(9000));"
           "CREATE TABLE t3(b); INSERT INTO t3 VALUES (zeroblob(12000));"
           "CREATE TABLE t4(b); INSERT INTO t4 VALUES (zeroblob(15000));"
           "DROP TABLE t1",
           mode);
  sqlite3_exec(db, sql, NULL, NULL, NULL);
  printf("auto_vacuum %s:\n", mode);
  state();
}

int main(void) {
  make("INCREMENTAL");
  all_steps("PRAGMA incremental_vacuum(3)");
  one_step("PRAGMA incremental_vacuum(5)");
  all_steps("PRAGMA incremental_vacuum(-2)");
  all_steps("PRAGMA incremental_vacuum");
  sqlite3_exec(db, "DROP TABLE t3", NULL, NULL, NULL);
  state();
  all_steps("PRAGMA main.incremental_vacuum(4)");
  sqlite3_exec(db, "BEGIN; DELETE FROM t2 WHERE a = 1", NULL, NULL, NULL);
  state();
  all_steps("PRAGMA incremental_vacuum(2)");
  sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  state();
  all_steps("PRAGMA incremental_vacuum");
  int ok = one("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'") == 1;
  printf("integrity: %s\n", ok ? "ok" : "bad");

  make("FULL");
  sqlite3_exec(db, "BEGIN; DELETE FROM t2 WHERE a = 1", NULL, NULL, NULL);
  state();
  all_steps("PRAGMA incremental_vacuum(2)");
  sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  state();

  make("NONE");
  all_steps("PRAGMA incremental_vacuum");
  sqlite3_close(db);
  return 0;
}
