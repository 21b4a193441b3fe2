/*
** delete_all_file.c — DELETE without WHERE on a file database empties the
** table and its indexes a b-tree at a time, as on a memory database: the
** update hook hears of no row, sqlite3_changes counts them all, and the
** emptied trees take rows and pass integrity_check again.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

static int hooked;

static void on_update(void *arg, int op, const char *db, const char *tbl, sqlite3_int64 rowid) {
  (void)arg, (void)op, (void)db, (void)tbl, (void)rowid;
  hooked++;
}

static int print_row(void *arg, int n, char **vals, char **names) {
  (void)arg, (void)names;
  for (int i = 0; i < n; i++) printf("%s%s", i ? "|" : "", vals[i] ? vals[i] : "NULL");
  printf("\n");
  return 0;
}

static void exec(sqlite3 *db, const char *sql) {
  char *err = NULL;
  if (sqlite3_exec(db, sql, print_row, NULL, &err) != SQLITE_OK) printf("%s: %s\n", sql, err);
  sqlite3_free(err);
}

int main(void) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/delete_all_file_%d.db", (int)getpid());
  unlink(path);
  sqlite3 *db;
  sqlite3_open(path, &db);
  exec(db, "PRAGMA journal_mode = WAL; CREATE TABLE t(a INTEGER, b TEXT UNIQUE, c); CREATE INDEX tc ON t(c DESC)");
  exec(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
           "INSERT INTO t SELECT i, 'row ' || i, i % 7 FROM n");
  sqlite3_update_hook(db, on_update, NULL);
  exec(db, "DELETE FROM t");
  printf("changes %d, update hook calls %d\n", sqlite3_changes(db), hooked);
  exec(db, "SELECT count(*) FROM t; PRAGMA integrity_check");
  exec(db, "INSERT INTO t VALUES (1, 'x', 2), (2, 'y', 3); SELECT * FROM t INDEXED BY tc ORDER BY c DESC");
  printf("update hook calls %d\n", hooked);
  sqlite3_close(db);
  unlink(path);
  char wal[80];
  snprintf(wal, sizeof wal, "%s-wal", path);
  unlink(wal);
  snprintf(wal, sizeof wal, "%s-shm", path);
  unlink(wal);
  return 0;
}
