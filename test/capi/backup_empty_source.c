/*
** backup_empty_source.c — a backup from a database that was never written
** (no page at all) into one with tables: the destination becomes an empty
** database of one page, its schema cookie moved on, and stays usable; for a
** file destination and an in-memory one.  Then serialize of an empty
** database (no buffer, size 0) and SQLITE_SERIALIZE_NOCOPY, which gets no
** buffer here but still tells the size.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

static void show(sqlite3 *db, const char *label, const char *sql) {
  sqlite3_stmt *s;
  int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
  if (rc != SQLITE_OK) {
    printf("%s: %d %s\n", label, rc, sqlite3_errmsg(db));
    return;
  }
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) printf("%s: %s\n", label, (const char *)sqlite3_column_text(s, 0));
  if (rc != SQLITE_DONE) printf("%s: %d %s\n", label, rc, sqlite3_errmsg(db));
  sqlite3_finalize(s);
}

int main(void) {
  const char *names[] = {"backup-empty-dst.db", ":memory:"};
  for (int k = 0; k < 2; k++) {
    sqlite3 *src, *dst, *other = NULL;
    unlink("backup-empty-src.db");
    unlink("backup-empty-dst.db");
    unlink("backup-empty-dst.db-wal");
    sqlite3_open("backup-empty-src.db", &src);
    sqlite3_open(names[k], &dst);
    sqlite3_exec(dst, "CREATE TABLE x(a); CREATE INDEX xa ON x(a); INSERT INTO x VALUES (1), (2)", NULL, NULL, NULL);
    if (k == 0) {
      sqlite3_open(names[k], &other);
      show(other, "other before", "SELECT count(*) FROM x");
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    printf("%s: init %s\n", names[k], b ? "ok" : sqlite3_errmsg(dst));
    printf("step: %d pagecount=%d remaining=%d\n", sqlite3_backup_step(b, -1), sqlite3_backup_pagecount(b),
           sqlite3_backup_remaining(b));
    printf("finish: %d\n", sqlite3_backup_finish(b));
    show(dst, "page_count", "PRAGMA page_count");
    show(dst, "schema_version", "PRAGMA schema_version");
    show(dst, "tables", "SELECT count(*) FROM sqlite_schema");
    show(dst, "old table", "SELECT count(*) FROM x");
    show(dst, "create", "CREATE TABLE y(b)");
    show(dst, "insert", "INSERT INTO y VALUES ('after')");
    show(dst, "read", "SELECT b FROM y");
    show(dst, "integrity", "PRAGMA integrity_check");
    if (other) {
      show(other, "other after", "SELECT name FROM sqlite_schema");
      show(other, "other reads", "SELECT b FROM y");
      sqlite3_close(other);
    }
    sqlite3_close(dst);
    sqlite3_close(src);
  }
  unlink("backup-empty-src.db");
  unlink("backup-empty-dst.db");
  unlink("backup-empty-dst.db-wal");

  sqlite3 *db;
  sqlite3_int64 n = -7;
  sqlite3_open(":memory:", &db);
  unsigned char *p = sqlite3_serialize(db, "main", &n, 0);
  printf("serialize empty: %s size=%lld\n", p ? "buffer" : "none", n);
  sqlite3_free(p);
  n = -7;
  p = sqlite3_serialize(db, "main", &n, SQLITE_SERIALIZE_NOCOPY);
  printf("nocopy empty: %s size=%lld\n", p ? "buffer" : "none", n);
  sqlite3_exec(db, "PRAGMA page_size = 4096; CREATE TABLE t(a)", NULL, NULL, NULL);
  n = -7;
  p = sqlite3_serialize(db, "main", &n, SQLITE_SERIALIZE_NOCOPY);
  printf("nocopy, one table: %s size=%lld\n", p ? "buffer" : "none", n);
  n = -7;
  p = sqlite3_serialize(db, "main", &n, 0);
  printf("serialize, one table: %s size=%lld\n", p ? "buffer" : "none", n);
  sqlite3_free(p);
  n = -7;
  p = sqlite3_serialize(db, "nosuch", &n, 0);
  printf("serialize nosuch: %s size=%lld\n", p ? "buffer" : "none", n);
  sqlite3_close(db);
  return 0;
}
