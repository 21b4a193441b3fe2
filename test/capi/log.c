/*
** log.c — SQLITE_CONFIG_LOG: sqlite3_log reaches the logger with its code
** and formatted message, statements that fail to compile are logged, and
** sqlite3changeset_apply logs the tables it skips, SQL's sqlite_log() logs; the heap limits keep and
** report their values (the soft one held under the hard one).
*/
#include <sqlite3.h>
#include <stdio.h>

#include "../../engine/include/sqlite3session.h"

static void logger(void *arg, int code, const char *msg) { printf("  [log %s %d: %s]\n", (const char *)arg, code, msg); }

int main(void) {
  sqlite3 *db, *db2;
  printf("config log: %d\n", sqlite3_config(SQLITE_CONFIG_LOG, logger, "L"));
  sqlite3_log(SQLITE_WARNING, "hello %d %s %q", 42, "world", "it's");
  sqlite3_log(SQLITE_NOTICE, "a precision bounds text only: [%.*s] [%.2s]", 2147483647, "abc", "xyz");
  sqlite3_open(":memory:", &db);
  sqlite3_stmt *st = NULL;
  printf("prepare: %d\n", sqlite3_prepare_v2(db, "SELECT * FROM nosuch", -1, &st, NULL));
  printf("prepare: %d\n", sqlite3_prepare_v2(db, "SELEC 1; SELECT 2", -1, &st, NULL));
  printf("prepare with length: %d\n", sqlite3_prepare_v2(db, "SELECT x FROMM t; ignored", 16, &st, NULL));
  printf("sqlite_log: %d\n", sqlite3_exec(db, "SELECT sqlite_log(7, 'from sql'); SELECT sqlite_log(8, NULL);"
                                          "SELECT sqlite_log('9', 4.5) IS NULL", NULL, NULL, NULL));

  sqlite3_exec(db, "CREATE TABLE a(id INTEGER PRIMARY KEY, v); CREATE TABLE b(id INTEGER PRIMARY KEY, v);"
               "CREATE TABLE c(id INTEGER PRIMARY KEY, v)", NULL, NULL, NULL);
  sqlite3_session *s;
  sqlite3session_create(db, "main", &s);
  sqlite3session_attach(s, NULL);
  sqlite3_exec(db, "INSERT INTO a VALUES(1, 'x'); INSERT INTO b VALUES(1, 'y'); INSERT INTO c VALUES(1, 'z')", NULL,
               NULL, NULL);
  int n;
  void *p;
  sqlite3session_changeset(s, &n, &p);
  sqlite3session_delete(s);
  sqlite3_open(":memory:", &db2);
  sqlite3_exec(db2, "CREATE TABLE b(id INTEGER PRIMARY KEY); CREATE TABLE c(id, v INTEGER PRIMARY KEY)", NULL, NULL, NULL);
  printf("apply: %d\n", sqlite3changeset_apply(db2, n, p, NULL, NULL, NULL));
  sqlite3_free(p);
  sqlite3_close(db2);
  sqlite3_close(db);

  printf("soft %lld", (long long)sqlite3_soft_heap_limit64(-1));
  printf(" set 1000 -> %lld", (long long)sqlite3_soft_heap_limit64(1000));
  printf(" now %lld", (long long)sqlite3_soft_heap_limit64(-1));
  printf(" | hard %lld", (long long)sqlite3_hard_heap_limit64(-1));
  printf(" set 500 -> %lld", (long long)sqlite3_hard_heap_limit64(500));
  printf(" soft now %lld", (long long)sqlite3_soft_heap_limit64(-1));
  printf(" soft 0 -> %lld", (long long)sqlite3_soft_heap_limit64(0));
  printf(" soft now %lld", (long long)sqlite3_soft_heap_limit64(-1));
  printf(" hard 0 -> %lld\n", (long long)sqlite3_hard_heap_limit64(0));
  return 0;
}
