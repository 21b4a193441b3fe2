/*
** blob_write_in_place.c — what a write through an incremental blob handle
** does and does not do: it overwrites the bytes of the row where they lie,
** so no UPDATE trigger fires, no CHECK constraint is evaluated, the update
** hook is not called and the change counters stay; it writes values that
** span overflow pages at any offset; inside a transaction a ROLLBACK undoes
** it; a writable handle holds the write lock (another connection's write
** is busy until it closes) while a read-only handle does not; a text value
** stays text.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sqlite3 *db;
static int hook_calls;

static void exec(sqlite3 *d, const char *sql) {
  char *err = NULL;
  int rc = sqlite3_exec(d, sql, NULL, NULL, &err);
  if (rc != SQLITE_OK) printf("exec %s: %d %s\n", sql, rc, err);
  sqlite3_free(err);
}

static void query(const char *sql) {
  sqlite3_stmt *s = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
    printf("prepare %s: %s\n", sql, sqlite3_errmsg(db));
    return;
  }
  printf("%s:", sql);
  while (sqlite3_step(s) == SQLITE_ROW) {
    for (int i = 0; i < sqlite3_column_count(s); i++) printf(" %s", (const char *)sqlite3_column_text(s, i));
    printf(" |");
  }
  printf("\n");
  sqlite3_finalize(s);
}

static void on_update(void *arg, int op, const char *d, const char *t, sqlite3_int64 rowid) {
  (void)arg, (void)op, (void)d, (void)t, (void)rowid;
  hook_calls++;
}

static int write_at(sqlite3_int64 row, const char *col, int off, const void *z, int n) {
  sqlite3_blob *b = NULL;
  int rc = sqlite3_blob_open(db, "main", "t", col, row, 1, &b);
  if (rc == SQLITE_OK) rc = sqlite3_blob_write(b, z, n, off);
  int rc2 = sqlite3_blob_close(b);
  printf("write row %lld %s at %d (%d bytes): %d, close %d\n", (long long)row, col, off, n, rc, rc2);
  return rc;
}

int main(void) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/blob_in_place_%d.db", (int)getpid());
  unlink(path);
  if (sqlite3_open(path, &db) != SQLITE_OK) return 1;
  exec(db, "PRAGMA journal_mode = WAL");
  exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB, s TEXT, n INT CHECK (length(b) < 5 OR n > 0));"
           "CREATE TABLE log(what);"
           "CREATE TRIGGER tu AFTER UPDATE ON t BEGIN INSERT INTO log VALUES ('update ' || new.id); END;"
           "CREATE TRIGGER tub BEFORE UPDATE OF b ON t BEGIN SELECT RAISE(ABORT, 'no updates of b'); END;"
           "INSERT INTO t VALUES (1, x'00000000', 'abcd', 0), (2, zeroblob(20000), 'x', 1);");
  /* the CHECK would fail for an UPDATE of row 1 (n = 0) once b grew; a write keeps its size */
  sqlite3_update_hook(db, on_update, NULL);
  int changes = sqlite3_changes(db), total = sqlite3_total_changes(db);
  write_at(1, "b", 1, "\x11\x22", 2);
  write_at(1, "s", 0, "ZZ", 2);
  printf("hook calls %d, changes %d -> %d, total %d -> %d\n", hook_calls, changes, sqlite3_changes(db), total,
         sqlite3_total_changes(db));
  query("SELECT id, hex(b), s, typeof(s), n FROM t WHERE id = 1");
  query("SELECT count(*) FROM log");
  /* across overflow pages: every 997th byte from the start, and a run across page ends */
  unsigned char buf[5000];
  for (int i = 0; i < (int)sizeof buf; i++) buf[i] = (unsigned char)(i * 7 + 1);
  write_at(2, "b", 0, buf, 3);
  write_at(2, "b", 4000, buf, sizeof buf);
  write_at(2, "b", 19990, buf, 10);
  write_at(2, "b", 19995, buf, 10); /* past the end: SQLITE_ERROR */
  query("SELECT length(b), hex(substr(b, 1, 4)), hex(substr(b, 4001, 6)), hex(substr(b, 8998, 4)),"
        " hex(substr(b, 19989, 12)) FROM t WHERE id = 2");
  query("SELECT sum(unicode(substr(CAST(b AS TEXT), 1, 1))) FROM t");
  query("PRAGMA integrity_check");
  /* a transaction's ROLLBACK undoes it */
  exec(db, "BEGIN");
  write_at(1, "b", 0, "\xff", 1);
  query("SELECT hex(b) FROM t WHERE id = 1");
  exec(db, "ROLLBACK");
  query("SELECT hex(b) FROM t WHERE id = 1");
  /* a writable handle holds the write lock; a read-only one does not */
  sqlite3 *other = NULL;
  sqlite3_open(path, &other);
  sqlite3_blob *b = NULL;
  printf("open writable: %d\n", sqlite3_blob_open(db, "main", "t", "b", 1, 1, &b));
  printf("other writes while open: %d\n", sqlite3_exec(other, "INSERT INTO log VALUES ('other')", NULL, NULL, NULL));
  printf("write: %d\n", sqlite3_blob_write(b, "\x42", 1, 3));
  printf("close: %d\n", sqlite3_blob_close(b));
  printf("other writes after close: %d\n", sqlite3_exec(other, "INSERT INTO log VALUES ('other')", NULL, NULL, NULL));
  printf("open read-only: %d\n", sqlite3_blob_open(db, "main", "t", "b", 1, 0, &b));
  printf("other writes while read-only open: %d\n",
         sqlite3_exec(other, "INSERT INTO log VALUES ('other 2')", NULL, NULL, NULL));
  printf("close: %d\n", sqlite3_blob_close(b));
  sqlite3_close(other);
  query("SELECT hex(b) FROM t WHERE id = 1");
  query("SELECT what FROM log");
  sqlite3_close(db);
  /* what reached the file */
  sqlite3_open(path, &db);
  query("SELECT id, hex(b), s FROM t WHERE id = 1");
  query("SELECT length(b), hex(substr(b, 4001, 6)) FROM t WHERE id = 2");
  sqlite3_close(db);
  unlink(path);
  char side[80];
  snprintf(side, sizeof side, "%s-wal", path);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", path);
  unlink(side);
  return 0;
}
