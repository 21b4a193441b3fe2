/*
** preupdate_stat1.c — the preupdate hook hears of ANALYZE's rows of
** sqlite_stat1 (deleted and written again; never sqlite_stat4's) and of
** those DROP INDEX and DROP TABLE delete, with their old and new values;
** the update hook hears of none.
*/
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>
#include <stdio.h>

static void pre(void *arg, sqlite3 *db, int op, const char *zdb, const char *ztab, sqlite3_int64 k1,
                sqlite3_int64 k2) {
  (void)arg;
  sqlite3_value *v = NULL;
  printf("  preupdate %s %s.%s %lld %lld", op == SQLITE_INSERT ? "INSERT" : op == SQLITE_DELETE ? "DELETE" : "UPDATE",
         zdb, ztab, k1, k2);
  printf(" ncol=%d", sqlite3_preupdate_count(db));
  if (op != SQLITE_INSERT && sqlite3_preupdate_old(db, 2, &v) == SQLITE_OK) printf(" old=%s", sqlite3_value_text(v));
  if (op != SQLITE_DELETE && sqlite3_preupdate_new(db, 0, &v) == SQLITE_OK) printf(" new=%s", sqlite3_value_text(v));
  printf("\n");
}

static void upd(void *arg, int op, const char *zdb, const char *ztab, sqlite3_int64 rowid) {
  (void)arg;
  printf("  update %d %s.%s %lld\n", op, zdb, ztab, rowid);
}

static void run(sqlite3 *db, const char *sql) {
  printf("%s\n", sql);
  char *err = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) printf("  error: %s\n", err);
  sqlite3_free(err);
}

int main(void) {
  sqlite3 *db;
  sqlite3_open(":memory:", &db);
  run(db, "CREATE TABLE t1(a, b); CREATE INDEX idx1 ON t1(a); CREATE INDEX idx2 ON t1(b);"
          "INSERT INTO t1 VALUES(1, 2), (3, 4), (5, 6), (7, 8); ANALYZE");
  sqlite3_preupdate_hook(db, pre, NULL);
  sqlite3_update_hook(db, upd, NULL);
  run(db, "INSERT INTO t1 VALUES(9, 10)");
  run(db, "ANALYZE");
  run(db, "ANALYZE t1");
  run(db, "ANALYZE idx1");
  run(db, "DROP INDEX idx1");
  run(db, "DROP TABLE t1");
  sqlite3_close(db);
  return 0;
}
