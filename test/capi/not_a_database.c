/*
** not_a_database.c — a file that is no SQLite database opens: the error
** comes when a statement first reads it ("file is not a database",
** SQLITE_NOTADB), from every such statement; a backup reading it fails the
** same way, one writing it too; the file keeps its bytes and gets no WAL.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static const char text[] = "a text file, not a database: long enough to hold a whole 100-byte header "
                           "and more bytes after it, so that only its contents can tell";

static void exec(sqlite3 *db, const char *sql) {
  int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
  printf("%-40s rc=%d %s\n", sql, rc, rc ? sqlite3_errmsg(db) : "");
}

static void same_bytes(const char *path) {
  char buf[512] = {0};
  FILE *f = fopen(path, "rb");
  size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
  if (f) fclose(f);
  printf("file kept: %s\n", n == sizeof text && memcmp(buf, text, n) == 0 ? "yes" : "no");
  f = fopen("text.db-wal", "rb");
  printf("wal file: %s\n", f ? "yes" : "no");
  if (f) fclose(f);
}

int main(void) {
  FILE *f = fopen("text.db", "wb");
  fwrite(text, 1, sizeof text, f);
  fclose(f);
  sqlite3 *db, *mem;
  int rc = sqlite3_open_v2("text.db", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  printf("open rc=%d %s\n", rc, sqlite3_errmsg(db));
  exec(db, "PRAGMA user_version");
  exec(db, "SELECT * FROM sqlite_master");
  exec(db, "CREATE TABLE t(x)");
  exec(db, "PRAGMA journal_mode=WAL");
  printf("autocommit %d\n", sqlite3_get_autocommit(db));
  sqlite3_open(":memory:", &mem);
  exec(mem, "CREATE TABLE m(x); INSERT INTO m VALUES (1)");
  sqlite3_backup *b = sqlite3_backup_init(mem, "main", db, "main");
  printf("backup from it: init %s", b ? "ok" : "null");
  if (b) {
    rc = sqlite3_backup_step(b, -1);
    printf(", step %d", rc);
    printf(", finish %d", sqlite3_backup_finish(b));
  }
  printf(" -> %s\n", sqlite3_errmsg(mem));
  exec(mem, "SELECT x FROM m");
  b = sqlite3_backup_init(db, "main", mem, "main");
  printf("backup into it: init %s", b ? "ok" : "null");
  if (b) {
    rc = sqlite3_backup_step(b, -1);
    printf(", step %d", rc);
    printf(", finish %d", sqlite3_backup_finish(b));
  }
  printf("\n");
  sqlite3_close(mem);
  printf("close %d\n", sqlite3_close(db));
  same_bytes("text.db");
  rc = sqlite3_open_v2("text.db", &db, SQLITE_OPEN_READONLY, NULL);
  printf("open read-only rc=%d\n", rc);
  exec(db, "SELECT count(*) FROM sqlite_master");
  printf("close %d\n", sqlite3_close(db));
  return 0;
}
