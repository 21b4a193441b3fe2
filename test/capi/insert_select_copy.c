/*
** insert_select_copy.c — INSERT INTO t SELECT * FROM s between alike tables
** (which SQLite runs as a copy of records): the update hook hears of each
** row inserted, with its rowid, for rowid tables and not for WITHOUT ROWID
** ones; sqlite3_changes(), sqlite3_total_changes() and
** sqlite3_last_insert_rowid() count and name the rows copied; a blob handle
** open on a row of s stays valid.
*/
#include <sqlite3.h>
#include <stdio.h>

static sqlite3 *db;

static void exec(const char *sql) {
  char *err = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
  printf("%s: %d%s%s\n", sql, rc, err ? " " : "", err ? err : "");
  sqlite3_free(err);
}

static void on_update(void *arg, int op, const char *d, const char *t, sqlite3_int64 rowid) {
  (void)arg;
  printf("  hook %d %s.%s %lld\n", op, d, t, (long long)rowid);
}

static void counts(void) {
  printf("  changes %d total %d last %lld\n", sqlite3_changes(db), sqlite3_total_changes(db),
         (long long)sqlite3_last_insert_rowid(db));
}

int main(void) {
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  exec("CREATE TABLE s(a, b); CREATE INDEX sa ON s(a);"
       "INSERT INTO s(rowid, a, b) VALUES (7, 1, 'x'), (3, 2, 'y'), (12, 3, 'z')");
  exec("CREATE TABLE t(a, b); CREATE INDEX ta ON t(a)");
  exec("CREATE TABLE u(a, b)");
  exec("CREATE TABLE si(id INTEGER PRIMARY KEY, v); INSERT INTO si VALUES (40, 'p'), (-5, 'q')");
  exec("CREATE TABLE ti(id INTEGER PRIMARY KEY, v)");
  exec("CREATE TABLE sw(k PRIMARY KEY, v) WITHOUT ROWID; INSERT INTO sw VALUES ('k1', 1), ('k0', 2)");
  exec("CREATE TABLE tw(k PRIMARY KEY, v) WITHOUT ROWID");
  sqlite3_update_hook(db, on_update, NULL);
  sqlite3_blob *blob = NULL;
  int rc = sqlite3_blob_open(db, "main", "s", "b", 3, 0, &blob);
  printf("blob open: %d\n", rc);
  exec("INSERT INTO t SELECT * FROM s");
  counts();
  exec("INSERT INTO t SELECT * FROM s");
  counts();
  exec("INSERT INTO u SELECT * FROM s");
  counts();
  exec("INSERT INTO ti SELECT * FROM si");
  counts();
  exec("INSERT INTO tw SELECT * FROM sw");
  counts();
  char buf[2] = {0};
  rc = sqlite3_blob_read(blob, buf, 1, 0);
  printf("blob read: %d %s\n", rc, buf);
  sqlite3_blob_close(blob);
  sqlite3_update_hook(db, NULL, NULL);
  sqlite3_close(db);
  return 0;
}
