/*
** blob.c — incremental blob I/O: opening (every reason to refuse: missing
** table, view, WITHOUT ROWID table, missing column, indexed column for
** writing, missing row, value of the wrong type), reads and writes in and
** out of range, a handle expiring when its row changes, reopen, and a
** read-only handle refusing writes.
*/
#include <sqlite3.h>
#include <stdio.h>

static void show(sqlite3 *db, const char *what, int rc) {
  printf("%s: %d %s\n", what, rc, rc ? sqlite3_errmsg(db) : "");
}

int main(void) {
  sqlite3 *db;
  sqlite3_blob *b;
  int rc;
  char buf[16] = {0};
  sqlite3_open(":memory:", &db);
  sqlite3_exec(db,
               "CREATE TABLE t(a INTEGER PRIMARY KEY, b BLOB, c TEXT, d);"
               "INSERT INTO t VALUES (1, x'0102030405', 'hello', NULL), (2, 7, 'x', 1.5);"
               "CREATE INDEX tc ON t(c);"
               "CREATE TABLE w(k PRIMARY KEY, v) WITHOUT ROWID;"
               "CREATE VIEW vw AS SELECT * FROM t;",
               NULL, NULL, NULL);
  const char *cases[][2] = {{"t", "b"}, {"t", "c"}, {"t", "d"}, {"nope", "b"},
                            {"t", "nope"}, {"w", "v"}, {"vw", "b"}, {"t", "a"}};
  for (int i = 0; i < 8; i++)
    for (int row = 1; row <= 3; row++)
      for (int fl = 0; fl <= 1; fl++) {
        char what[64];
        b = NULL;
        rc = sqlite3_blob_open(db, "main", cases[i][0], cases[i][1], row, fl, &b);
        snprintf(what, sizeof what, "open %s.%s row %d flags %d (%s)", cases[i][0], cases[i][1], row, fl,
                 b ? "handle" : "none");
        show(db, what, rc);
        if (b) sqlite3_blob_close(b);
      }
  rc = sqlite3_blob_open(db, "main", "t", "b", 1, 1, &b);
  printf("bytes: %d\n", sqlite3_blob_bytes(b));
  rc = sqlite3_blob_read(b, buf, 3, 1);
  printf("read: %d %d %d %d\n", rc, buf[0], buf[1], buf[2]);
  show(db, "read past the end", sqlite3_blob_read(b, buf, 3, 4));
  show(db, "read negative", sqlite3_blob_read(b, buf, -1, 0));
  show(db, "write", sqlite3_blob_write(b, "\x09\x09", 2, 3));
  show(db, "write past the end", sqlite3_blob_write(b, "\x09\x09", 2, 4));
  rc = sqlite3_blob_read(b, buf, 5, 0);
  printf("read back: %d %d %d %d %d %d\n", rc, buf[0], buf[1], buf[2], buf[3], buf[4]);
  printf("changes after blob writes: %d\n", sqlite3_changes(db));
  sqlite3_exec(db, "UPDATE t SET b = x'aabbccddee' WHERE a = 1", NULL, NULL, NULL);
  show(db, "read after the row changed", sqlite3_blob_read(b, buf, 2, 0));
  show(db, "write after the row changed", sqlite3_blob_write(b, "\x01", 1, 0));
  show(db, "reopen an expired handle", sqlite3_blob_reopen(b, 1));
  printf("close: %d\n", sqlite3_blob_close(b));

  rc = sqlite3_blob_open(db, "main", "t", "b", 1, 0, &b);
  rc = sqlite3_blob_read(b, buf, 5, 0);
  printf("fresh read: %d %d\n", rc, (unsigned char)buf[4]);
  show(db, "reopen on a missing row", sqlite3_blob_reopen(b, 9));
  show(db, "read after the failed reopen", sqlite3_blob_read(b, buf, 1, 0));
  sqlite3_blob_close(b);

  sqlite3_exec(db, "INSERT INTO t VALUES (5, zeroblob(8), 'text', NULL)", NULL, NULL, NULL);
  rc = sqlite3_blob_open(db, "main", "t", "b", 5, 1, &b);
  show(db, "open a zeroblob", rc);
  show(db, "write into it", sqlite3_blob_write(b, "abc", 3, 2));
  show(db, "reopen on row 1", sqlite3_blob_reopen(b, 1));
  printf("bytes on row 1: %d\n", sqlite3_blob_bytes(b));
  sqlite3_blob_close(b);
  rc = sqlite3_blob_open(db, "main", "t", "c", 1, 0, &b);
  show(db, "write through a read-only handle", sqlite3_blob_write(b, "x", 1, 0));
  sqlite3_blob_close(b);
  printf("close(NULL): %d\n", sqlite3_blob_close(NULL));

  sqlite3_stmt *s;
  sqlite3_prepare_v2(db, "SELECT a, hex(b), typeof(b), c FROM t ORDER BY a", -1, &s, NULL);
  while (sqlite3_step(s) == SQLITE_ROW)
    printf("row %d: %s %s %s\n", sqlite3_column_int(s, 0), sqlite3_column_text(s, 1), sqlite3_column_text(s, 2),
           sqlite3_column_text(s, 3));
  sqlite3_finalize(s);
  printf("close: %d\n", sqlite3_close(db));
  return 0;
}
