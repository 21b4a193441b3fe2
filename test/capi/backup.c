/*
** backup.c — copying whole databases: the online backup API (memory to
** file, file to memory, stepping a few pages at a time, a destination in
** use, a source equal to the destination) and serialize/deserialize of an
** in-memory database, with the copies queried afterwards.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

static void dump(sqlite3 *db, const char *label) {
  sqlite3_stmt *s;
  int rc = sqlite3_prepare_v2(db, "SELECT count(*), sum(length(v)), max(id) FROM t", -1, &s, NULL);
  if (rc != SQLITE_OK) {
    printf("%s: %d %s\n", label, rc, sqlite3_errmsg(db));
    return;
  }
  if (sqlite3_step(s) == SQLITE_ROW)
    printf("%s: rows=%d bytes=%d max=%d\n", label, sqlite3_column_int(s, 0), sqlite3_column_int(s, 1),
           sqlite3_column_int(s, 2));
  sqlite3_finalize(s);
  rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL);
  if (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) printf("%s: integrity %s\n", label, sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
}

int main(void) {
  sqlite3 *mem, *file, *copy;
  sqlite3_backup *b;
  int rc;
  unlink("backup.db");
  unlink("backup.db-wal");
  sqlite3_open(":memory:", &mem);
  sqlite3_exec(mem,
               "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);"
               "CREATE INDEX tv ON t(v);"
               "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500) "
               "INSERT INTO t SELECT x, printf('%0*d', 100 + x % 50, x) FROM c;",
               NULL, NULL, NULL);
  dump(mem, "source");

  /* memory -> file, a few pages per step */
  sqlite3_open("backup.db", &file);
  b = sqlite3_backup_init(file, "main", mem, "main");
  printf("init: %s\n", b ? "ok" : sqlite3_errmsg(file));
  int steps = 0;
  do {
    rc = sqlite3_backup_step(b, 5);
    steps++;
  } while (rc == SQLITE_OK);
  printf("step: %d, more than one step: %d, remaining=%d, pagecount>5: %d\n", rc, steps > 1,
         sqlite3_backup_remaining(b), sqlite3_backup_pagecount(b) > 5);
  printf("finish: %d\n", sqlite3_backup_finish(b));
  dump(file, "file copy");
  sqlite3_close(file);

  /* the file reopened -> a new memory database, all at once */
  sqlite3_open("backup.db", &file);
  sqlite3_open(":memory:", &copy);
  sqlite3_exec(copy, "CREATE TABLE old(x); INSERT INTO old VALUES (1)", NULL, NULL, NULL);
  b = sqlite3_backup_init(copy, "main", file, "main");
  printf("step all: %d\n", sqlite3_backup_step(b, -1));
  printf("finish: %d\n", sqlite3_backup_finish(b));
  dump(copy, "memory copy");
  rc = sqlite3_exec(copy, "SELECT * FROM old", NULL, NULL, NULL);
  printf("old table gone: %d %s\n", rc, sqlite3_errmsg(copy));
  sqlite3_exec(copy, "INSERT INTO t(v) VALUES ('added to the copy')", NULL, NULL, NULL);
  dump(copy, "memory copy changed");
  dump(file, "file unchanged");

  /* a source changed between steps: the count restarts after a commit
  ** to an in-memory source, or by another connection to a file source;
  ** the backup's own commits to a file source go on from where it was */
  {
    const char *kind[] = {"memory source, own commit", "file source, other connection",
                          "file source, own commit"};
    for (int k = 0; k < 3; k++) {
      sqlite3 *src, *other = NULL, *dst;
      unlink("backup-src.db");
      unlink("backup-src.db-wal");
      sqlite3_open(k ? "backup-src.db" : ":memory:", &src);
      sqlite3_exec(src, "PRAGMA journal_mode=wal; CREATE TABLE a(x); CREATE TABLE b(x); CREATE TABLE c(x);"
                        "INSERT INTO a VALUES (1)", NULL, NULL, NULL);
      if (k == 1) sqlite3_open("backup-src.db", &other);
      sqlite3_open(":memory:", &dst);
      b = sqlite3_backup_init(dst, "main", src, "main");
      printf("%s:", kind[k]);
      for (int i = 0; i < 10; i++) {
        rc = sqlite3_backup_step(b, 1);
        printf(" %d/%d", sqlite3_backup_remaining(b), sqlite3_backup_pagecount(b));
        if (rc != SQLITE_OK) break;
        if (i == 1) sqlite3_exec(k == 1 ? other : src, "INSERT INTO b VALUES (2)", NULL, NULL, NULL);
      }
      printf(" -> %d, finish %d\n", rc, sqlite3_backup_finish(b));
      sqlite3_stmt *q;
      sqlite3_prepare_v2(dst, "SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b)", -1, &q, NULL);
      if (sqlite3_step(q) == SQLITE_ROW) printf("  copy: a=%d b=%d\n", sqlite3_column_int(q, 0), sqlite3_column_int(q, 1));
      sqlite3_finalize(q);
      sqlite3_close(dst);
      if (other) sqlite3_close(other);
      sqlite3_close(src);
    }
    unlink("backup-src.db");
    unlink("backup-src.db-wal");
  }

  /* misuse */
  b = sqlite3_backup_init(copy, "main", copy, "main");
  printf("same database: %s, %s\n", b ? "set" : "NULL", sqlite3_errmsg(copy));
  sqlite3_exec(copy, "BEGIN", NULL, NULL, NULL);
  b = sqlite3_backup_init(copy, "main", file, "main");
  sqlite3_exec(copy, "SELECT count(*) FROM t", NULL, NULL, NULL);
  printf("destination in a transaction: %s\n", b ? "set" : "NULL");
  if (b) sqlite3_backup_finish(b);
  sqlite3_stmt *reading;
  sqlite3_prepare_v2(copy, "SELECT id FROM t", -1, &reading, NULL);
  sqlite3_step(reading);
  b = sqlite3_backup_init(copy, "main", file, "main");
  printf("destination reading: %s, %s\n", b ? "set" : "NULL", sqlite3_errmsg(copy));
  if (b) sqlite3_backup_finish(b);
  sqlite3_finalize(reading);
  sqlite3_exec(copy, "COMMIT", NULL, NULL, NULL);
  b = sqlite3_backup_init(copy, "main", file, "nosuch");
  printf("unknown source: %s, %s\n", b ? "set" : "NULL", sqlite3_errmsg(copy));
  printf("finish(NULL): %d\n", sqlite3_backup_finish(NULL));

  /* serialize and deserialize */
  sqlite3_int64 size = 0;
  unsigned char *image = sqlite3_serialize(copy, "main", &size, 0);
  printf("serialize: %s size multiple of 512: %d\n", image ? "ok" : "NULL", size > 0 && size % 512 == 0);
  sqlite3 *restored;
  sqlite3_open(":memory:", &restored);
  rc = sqlite3_deserialize(restored, "main", image, size, size, SQLITE_DESERIALIZE_FREEONCLOSE);
  printf("deserialize: %d\n", rc);
  dump(restored, "restored");
  sqlite3_close(restored);

  sqlite3_open(":memory:", &restored);
  unsigned char *junk = sqlite3_malloc(3);
  junk[0] = 0, junk[1] = 1, junk[2] = 3;
  rc = sqlite3_deserialize(restored, "main", junk, 3, 3, SQLITE_DESERIALIZE_FREEONCLOSE);
  printf("deserialize junk: %d\n", rc);
  rc = sqlite3_exec(restored, "CREATE TABLE x(y)", NULL, NULL, NULL);
  printf("use after junk: %d %s\n", rc, sqlite3_errmsg(restored));
  sqlite3_close(restored);

  printf("close: %d %d %d\n", sqlite3_close(mem), sqlite3_close(file), sqlite3_close(copy));
  unlink("backup.db");
  unlink("backup.db-wal");
  return 0;
}
