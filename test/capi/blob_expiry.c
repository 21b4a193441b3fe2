/*
** blob_expiry.c — when an incremental blob handle expires and what it reads:
** writes to other rows leave it alone; any change of its own row (another
** column, the same bytes written again, DELETE, REPLACE, an emptied table)
** expires it; a write through one handle expires neither it nor another
** handle on the row, which reads the new bytes; values on overflow pages
** read at any offset; reopen walks rows, and moves an expired handle until a
** read or write has failed on it; a handle keeps its snapshot while
** another connection commits; DROP TABLE is refused while a handle reads
** the table.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sqlite3 *db;

static void show(const char *what, int rc) { printf("%s: %d %s\n", what, rc, rc ? sqlite3_errmsg(db) : ""); }

static void exec(sqlite3 *d, const char *sql) {
  char *err = NULL;
  if (sqlite3_exec(d, sql, NULL, NULL, &err) != SQLITE_OK) printf("exec %s: %s\n", sql, err);
  sqlite3_free(err);
}

/* Opens a read-only handle on t.b of row, reads its first bytes after sql ran. */
static void expires_after(const char *sql) {
  sqlite3_blob *b = NULL;
  char buf[4] = {0};
  exec(db, "DELETE FROM t; INSERT INTO t VALUES (1, x'01020304', 'one'), (2, x'05060708', 'two')");
  int rc = sqlite3_blob_open(db, "main", "t", "b", 1, 0, &b);
  if (rc != SQLITE_OK) {
    show("open", rc);
    return;
  }
  exec(db, sql);
  printf("after %s: bytes %d before a read\n", sql, sqlite3_blob_bytes(b));
  rc = sqlite3_blob_read(b, buf, 4, 0);
  printf("after %s: read %d %s [%d %d %d %d] bytes %d\n", sql, rc, rc ? sqlite3_errmsg(db) : "", buf[0], buf[1],
         buf[2], buf[3], sqlite3_blob_bytes(b));
  sqlite3_blob_close(b);
}

int main(void) {
  char path[64], buf[96];
  snprintf(path, sizeof path, "/tmp/blob_expiry_%d.db", (int)getpid());
  unlink(path);
  sqlite3_open(path, &db);
  exec(db, "PRAGMA journal_mode = WAL; CREATE TABLE t(a INTEGER PRIMARY KEY, b BLOB, c TEXT)");

  expires_after("UPDATE t SET c = 'uno' WHERE a = 2");
  expires_after("UPDATE t SET c = 'uno' WHERE a = 1");
  expires_after("UPDATE t SET c = c WHERE a = 1");
  expires_after("UPDATE t SET b = b WHERE a = 1");
  expires_after("DELETE FROM t WHERE a = 1");
  expires_after("DELETE FROM t WHERE a = 2");
  expires_after("INSERT OR REPLACE INTO t VALUES (1, x'01020304', 'one')");
  expires_after("INSERT INTO t VALUES (3, x'00', 'three')");
  expires_after("DELETE FROM t");

  /* an expired handle that no read or write has failed on yet can still be
  ** moved to a row; one that has cannot, and it reads as 0 bytes */
  exec(db, "DELETE FROM t; INSERT INTO t VALUES (1, x'01020304', 'one'), (2, x'0506', 'two')");
  sqlite3_blob *x = NULL;
  show("open to expire", sqlite3_blob_open(db, "main", "t", "b", 1, 0, &x));
  exec(db, "UPDATE t SET c = 'uno' WHERE a = 1");
  show("reopen an expired handle", sqlite3_blob_reopen(x, 2));
  memset(buf, 0, sizeof buf);
  show("read after that reopen", sqlite3_blob_read(x, buf, 2, 0));
  printf("  [%d %d] bytes %d\n", buf[0], buf[1], sqlite3_blob_bytes(x));
  exec(db, "UPDATE t SET c = 'dos' WHERE a = 2");
  show("read past the size after expiry", sqlite3_blob_read(x, buf, 3, 0));
  show("read after expiry", sqlite3_blob_read(x, buf, 2, 0));
  printf("  bytes %d\n", sqlite3_blob_bytes(x));
  show("reopen after a failed read", sqlite3_blob_reopen(x, 1));
  show("write after expiry, read-only handle", sqlite3_blob_write(x, buf, 1, 0));
  sqlite3_blob_close(x);
  show("open read-only", sqlite3_blob_open(db, "main", "t", "b", 2, 0, &x));
  show("write past the size, read-only handle", sqlite3_blob_write(x, buf, 3, 0));
  show("write, read-only handle", sqlite3_blob_write(x, buf, 1, 0));
  sqlite3_blob_close(x);

  /* two handles on one row: a write through one is read by the other */
  exec(db, "DELETE FROM t; INSERT INTO t VALUES (1, x'01020304', 'one')");
  sqlite3_blob *w = NULL, *r = NULL;
  show("open writer", sqlite3_blob_open(db, "main", "t", "b", 1, 1, &w));
  show("open reader", sqlite3_blob_open(db, "main", "t", "b", 1, 0, &r));
  show("write", sqlite3_blob_write(w, "\x0a\x0b", 2, 1));
  memset(buf, 0, sizeof buf);
  show("writer reads", sqlite3_blob_read(w, buf, 4, 0));
  printf("  [%d %d %d %d]\n", buf[0], buf[1], buf[2], buf[3]);
  memset(buf, 0, sizeof buf);
  show("reader reads", sqlite3_blob_read(r, buf, 4, 0));
  printf("  [%d %d %d %d]\n", buf[0], buf[1], buf[2], buf[3]);
  sqlite3_blob_close(w);
  sqlite3_blob_close(r);

  /* a value on overflow pages, read in pieces; reopen across rows */
  unsigned char *big = malloc(20000);
  for (int i = 0; i < 20000; i++) big[i] = (unsigned char)(i * 7 + i / 251);
  sqlite3_stmt *s;
  sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?1, ?2, 'big')", -1, &s, NULL);
  for (int row = 10; row < 20; row++) {
    sqlite3_bind_int(s, 1, row);
    sqlite3_bind_blob(s, 2, big, 1000 * (row - 9), SQLITE_STATIC);
    sqlite3_step(s);
    sqlite3_reset(s);
  }
  sqlite3_finalize(s);
  sqlite3_blob *h = NULL;
  show("open big", sqlite3_blob_open(db, "main", "t", "b", 10, 0, &h));
  for (int row = 10; row < 20; row++) {
    int rc = sqlite3_blob_reopen(h, row);
    int n = sqlite3_blob_bytes(h), bad = 0;
    unsigned char piece[300];
    for (int off = 0; rc == SQLITE_OK && off + 300 <= n; off += 977) {
      rc = sqlite3_blob_read(h, piece, 300, off);
      if (rc == SQLITE_OK && memcmp(piece, big + off, 300) != 0) bad++;
    }
    printf("row %d: rc %d bytes %d mismatches %d\n", row, rc, n, bad);
  }
  show("reopen on a text value", sqlite3_blob_reopen(h, 1));
  sqlite3_blob_close(h);
  free(big);

  /* the handle's snapshot: another connection's commit is not seen */
  sqlite3 *other;
  sqlite3_open(path, &other);
  show("open for the snapshot", sqlite3_blob_open(db, "main", "t", "b", 1, 0, &h));
  printf("autocommit while open: %d\n", sqlite3_get_autocommit(db));
  exec(other, "UPDATE t SET b = x'11223344' WHERE a = 1");
  memset(buf, 0, sizeof buf);
  show("read in the snapshot", sqlite3_blob_read(h, buf, 4, 0));
  printf("  [%d %d %d %d]\n", buf[0], buf[1], buf[2], buf[3]);
  show("drop the table while open", sqlite3_exec(db, "DROP TABLE t", NULL, NULL, NULL));
  sqlite3_blob_close(h);
  show("open after the commit", sqlite3_blob_open(db, "main", "t", "b", 1, 0, &h));
  memset(buf, 0, sizeof buf);
  show("read the new bytes", sqlite3_blob_read(h, buf, 4, 0));
  printf("  [%d %d %d %d]\n", buf[0], buf[1], buf[2], buf[3]);
  sqlite3_blob_close(h);
  sqlite3_close(other);
  printf("close: %d\n", sqlite3_close(db));
  unlink(path);
  snprintf(buf, sizeof buf, "%s-wal", path);
  unlink(buf);
  snprintf(buf, sizeof buf, "%s-shm", path);
  unlink(buf);
  return 0;
}
