/*
** trace_nested.c — a statement run from an application function while
** another is being stepped is traced commented out, as SQLite does: the
** legacy trace puts "-- " before each of its lines (and expands no
** parameters), SQLITE_TRACE_STMT before its text.
*/
#include <sqlite3.h>
#include <stdio.h>

/* sql(text): the first column of text's first row, run on the connection. */
static void sql_func(sqlite3_context *c, int n, sqlite3_value **v) {
  sqlite3_stmt *st = NULL;
  (void)n;
  if (sqlite3_prepare_v2(sqlite3_context_db_handle(c), (const char *)sqlite3_value_text(v[0]), -1, &st, NULL) ==
          SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    sqlite3_result_value(c, sqlite3_column_value(st, 0));
  sqlite3_finalize(st);
}

static void legacy(void *arg, const char *sql) {
  (void)arg;
  printf("  legacy: [%s]\n", sql);
}

static int v2(unsigned type, void *ctx, void *p, void *x) {
  (void)ctx;
  (void)p;
  if (type == SQLITE_TRACE_STMT) printf("  stmt: [%s]\n", (const char *)x);
  return 0;
}

static void run(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st = NULL;
  printf("%s\n", sql);
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return;
  sqlite3_bind_int(st, 1, 42);
  while (sqlite3_step(st) == SQLITE_ROW) printf("  row: %s\n", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
}

int main(void) {
  sqlite3 *db = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  sqlite3_create_function(db, "sql", 1, SQLITE_UTF8, NULL, sql_func, NULL, NULL);
  sqlite3_trace(db, legacy, NULL);
  run(db, "SELECT sql('SELECT 1, 2, 3')");
  run(db, "SELECT sql('SELECT 1,\n    2,\n    3'), ?1");
  sqlite3_trace(db, NULL, NULL);
  sqlite3_trace_v2(db, SQLITE_TRACE_STMT, v2, NULL);
  run(db, "SELECT sql('SELECT 4,\n 5')");
  run(db, "SELECT sql('SELECT sql(''SELECT 6'')')");
  sqlite3_close(db);
  return 0;
}
