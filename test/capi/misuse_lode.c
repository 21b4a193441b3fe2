/*
** misuse_lode.c — what SQLite leaves undefined and Lode promises: a
** finalized statement or a closed connection is refused with SQLITE_MISUSE
** (its memory is kept for reuse, so the call never touches freed memory).
** Compared with misuse_lode.expected; run under ASan by make SAN=1 test-c.
*/
#include <sqlite3.h>
#include <stdio.h>

static void step(sqlite3_context *ctx, int argc, sqlite3_value **argv) { (void)ctx, (void)argc, (void)argv; }
static void final(sqlite3_context *ctx) { (void)ctx; }


int main(void) {
  sqlite3 *db;
  sqlite3_stmt *s;
  sqlite3_open(":memory:", &db);
  sqlite3_prepare_v2(db, "SELECT 1", -1, &s, NULL);
  sqlite3_step(s);
  printf("finalize: %d\n", sqlite3_finalize(s));
  printf("step after finalize: %d\n", sqlite3_step(s));
  printf("reset after finalize: %d\n", sqlite3_reset(s));
  printf("finalize twice: %d\n", sqlite3_finalize(s));
  printf("bind after finalize: %d\n", sqlite3_bind_int(s, 1, 1));
  printf("column_int after finalize: %d, column_count %d, sql %s\n", sqlite3_column_int(s, 0),
         sqlite3_column_count(s), sqlite3_sql(s) ? "set" : "NULL");
  printf("db_handle after finalize: %s\n", sqlite3_db_handle(s) ? "set" : "NULL");
  printf("close: %d\n", sqlite3_close(db));
  printf("close twice: %d\n", sqlite3_close(db));
  printf("exec after close: %d\n", sqlite3_exec(db, "SELECT 1", NULL, NULL, NULL));
  printf("prepare after close: %d\n", sqlite3_prepare_v2(db, "SELECT 1", -1, &s, NULL));
  printf("errcode after close: %d, errmsg: %s\n", sqlite3_errcode(db), sqlite3_errmsg(db));
  printf("changes after close: %d, autocommit %d\n", sqlite3_changes(db), sqlite3_get_autocommit(db));
  printf("create_function after close: %d\n", sqlite3_create_function(db, "f", 0, SQLITE_UTF8, NULL, NULL, NULL, NULL));
  printf("busy_timeout after close: %d\n", sqlite3_busy_timeout(db, 10));
  printf("wal frame count of NULL: %d\n", libsql_wal_frame_count(NULL, NULL));
  sqlite3_interrupt(db);
  sqlite3_progress_handler(db, 1, NULL, NULL);
  printf("clear_bindings(NULL): %d\n", sqlite3_clear_bindings(NULL));
  printf("window function on NULL: %d\n",
         sqlite3_create_window_function(NULL, "w", 1, SQLITE_UTF8, NULL, step, final, final, step, NULL));
  sqlite3_open(":memory:", &db);
  int rc = sqlite3_create_window_function(db, "w", 1, SQLITE_UTF8, NULL, step, final, final, step, NULL);
  printf("window function: %d %s\n", rc, sqlite3_errmsg(db));
  unsigned frames = 99;
  printf("wal frame count of memory db: %d %u\n", libsql_wal_frame_count(db, &frames), frames);
  rc = sqlite3_blob_open(db, "main", "t", "c", 1, 0, NULL);
  printf("blob_open without a handle pointer: %d\n", rc);
  char *err = NULL;
  rc = sqlite3_load_extension(db, "nonesuch.so", NULL, &err);
  printf("load_extension: %d %s | %s\n", rc, sqlite3_errmsg(db), err);
  sqlite3_free(err);
  printf("close: %d\n", sqlite3_close(db));
  return 0;
}
