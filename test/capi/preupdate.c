/*
** preupdate.c — the preupdate hook: the old and new values of every row
** change of a rowid table (INSERT, UPDATE in place, UPDATE to a new rowid,
** UPDATE on an indexed table, DELETE, the row an INSERT OR REPLACE
** removes, and the rows a REPLACE into an indexed table removes, each told
** once), changes made by a trigger (depth 1), a blob write (told as a
** DELETE with the column written), tables SQLite keeps out of it
** (sqlite_sequence), a WITHOUT ROWID table, and the calls' errors outside and
** inside the callback.
*/
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static void print_value(sqlite3_value *v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER: printf("%lld", (long long)sqlite3_value_int64(v)); break;
    case SQLITE_FLOAT: printf("%.3f", sqlite3_value_double(v)); break;
    case SQLITE_TEXT: printf("'%s'", (const char *)sqlite3_value_text(v)); break;
    case SQLITE_BLOB: {
      const unsigned char *b = sqlite3_value_blob(v);
      int n = sqlite3_value_bytes(v);
      printf("x'");
      for (int i = 0; i < n; i++) printf("%02x", b[i]);
      printf("'");
      break;
    }
    default: printf("NULL");
  }
}

static void print_row(sqlite3 *db, const char *label, int (*get)(sqlite3 *, int, sqlite3_value **)) {
  int n = sqlite3_preupdate_count(db);
  sqlite3_value *v = NULL;
  int rc = get(db, 0, &v);
  if (rc != SQLITE_OK) {
    printf(" %s:rc=%d", label, rc);
    return;
  }
  printf(" %s(", label);
  for (int i = 0; i < n; i++) {
    if (get(db, i, &v) != SQLITE_OK) {
      printf("?");
      continue;
    }
    if (i) printf(",");
    print_value(v);
  }
  printf(")");
  /* (SQLite answers SQLITE_OK past the last column in a blob write) */
  if (sqlite3_preupdate_blobwrite(db) < 0) printf(" [%d]=%d", n, get(db, n, &v));
  printf(" [-1]=%d", get(db, -1, &v));
}

static int without_rowid;

static void on_preupdate(void *arg, sqlite3 *db, int op, const char *zdb, const char *table, sqlite3_int64 k1,
                         sqlite3_int64 k2) {
  if (without_rowid) k1 = k2 = 0;
  const char *what = op == SQLITE_INSERT ? "INSERT" : op == SQLITE_DELETE ? "DELETE" : op == SQLITE_UPDATE ? "UPDATE" : "?";
  printf("  [%s %s %s.%s", (const char *)arg, what, zdb, table);
  if (op != SQLITE_INSERT) printf(" key1=%lld", (long long)k1);
  if (op != SQLITE_DELETE) printf(" key2=%lld", (long long)k2);
  printf(" depth=%d blobwrite=%d", sqlite3_preupdate_depth(db), sqlite3_preupdate_blobwrite(db));
  print_row(db, "old", sqlite3_preupdate_old);
  print_row(db, "new", sqlite3_preupdate_new);
  printf("]\n");
}

static void run(sqlite3 *db, const char *sql) {
  char *err = NULL;
  printf("%s\n", sql);
  int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
  if (rc != SQLITE_OK) printf("  error %d: %s\n", rc, err ? err : "?");
  sqlite3_free(err);
}

int main(void) {
  sqlite3 *db;
  sqlite3_value *v = (sqlite3_value *)&v;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;

  printf("outside a callback: count=%d depth=%d blobwrite=%d old=%d new=%d v=%s\n", sqlite3_preupdate_count(db),
         sqlite3_preupdate_depth(db), sqlite3_preupdate_blobwrite(db), sqlite3_preupdate_old(db, 0, &v),
         sqlite3_preupdate_new(db, 0, &v), v ? "set" : "NULL");

  run(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, b REAL, c BLOB, d)");
  printf("first hook returns %s\n", sqlite3_preupdate_hook(db, on_preupdate, "p") ? "non-NULL" : "NULL");
  run(db, "INSERT INTO t VALUES(1, 'one', 1.5, x'0102', NULL)");
  run(db, "INSERT INTO t(a, b, d) VALUES('two', 2, 22), ('three', NULL, 'x')");
  run(db, "UPDATE t SET a = upper(a) WHERE id = 2");
  run(db, "UPDATE t SET id = id + 10, d = 'moved' WHERE id = 3");
  run(db, "DELETE FROM t WHERE id = 1");
  run(db, "INSERT OR REPLACE INTO t VALUES(2, 'replaced', 0.25, NULL, 7)");
  run(db, "BEGIN; DELETE FROM t; ROLLBACK");

  printf("-- a rowid table without an alias, with an index\n");
  run(db, "CREATE TABLE u(x UNIQUE, y)");
  run(db, "CREATE INDEX u_y ON u(y)");
  run(db, "INSERT INTO u VALUES(1, 'a'), (2, 'b')");
  run(db, "UPDATE u SET y = y || '!' WHERE x = 2");
  run(db, "UPDATE u SET rowid = 50 WHERE x = 1");
  run(db, "INSERT OR REPLACE INTO u VALUES(2, 'c')");

  printf("-- REPLACE of the row holding the rowid and of another, in an indexed table: each deletion told once\n");
  run(db, "CREATE TABLE r(id INTEGER PRIMARY KEY, v UNIQUE)");
  run(db, "INSERT INTO r VALUES(1, 'a'), (2, 'b')");
  run(db, "REPLACE INTO r VALUES(1, 'b')");
  run(db, "UPDATE OR REPLACE r SET id = 5 WHERE id = 1");

  printf("-- a trigger's changes (depth 1)\n");
  run(db, "CREATE TABLE log(msg)");
  run(db, "CREATE TRIGGER tr AFTER UPDATE ON u BEGIN INSERT INTO log VALUES('upd ' || new.x); END");
  run(db, "UPDATE u SET y = 'z' WHERE x = 1");

  printf("-- AUTOINCREMENT: sqlite_sequence is not told\n");
  run(db, "CREATE TABLE s(id INTEGER PRIMARY KEY AUTOINCREMENT, v)");
  run(db, "INSERT INTO s(v) VALUES('s1')");

  printf("-- a blob write\n");
  run(db, "CREATE TABLE bl(k INTEGER PRIMARY KEY, data BLOB, tag)");
  run(db, "INSERT INTO bl VALUES(1, zeroblob(4), 'tag')");
  sqlite3_blob *b = NULL;
  int rc = sqlite3_blob_open(db, "main", "bl", "data", 1, 1, &b);
  printf("blob_open: %d\n", rc);
  if (rc == SQLITE_OK) {
    printf("blob_write: %d\n", sqlite3_blob_write(b, "\xaa\xbb", 2, 1));
    sqlite3_blob_close(b);
  }

  printf("-- a WITHOUT ROWID table (its rowids are not printed: SQLite leaves them undefined)\n");
  without_rowid = 1;
  run(db, "CREATE TABLE w(a TEXT, b INT, c, PRIMARY KEY(b, a)) WITHOUT ROWID");
  run(db, "INSERT INTO w VALUES('x', 1, 'one'), ('y', 2, 2.5)");
  run(db, "UPDATE w SET c = 'changed' WHERE b = 1");
  run(db, "UPDATE w SET b = 20 WHERE a = 'y'");
  run(db, "INSERT OR REPLACE INTO w VALUES('x', 1, 'replaced')");
  run(db, "DELETE FROM w WHERE b = 20");
  without_rowid = 0;

  printf("-- a temp table\n");
  run(db, "CREATE TEMP TABLE tt(a)");
  run(db, "INSERT INTO tt VALUES(1)");

  printf("second hook returns %s\n", (const char *)sqlite3_preupdate_hook(db, NULL, NULL));
  run(db, "INSERT INTO t VALUES(99, 'quiet', NULL, NULL, NULL)");
  sqlite3_close(db);
  return 0;
}
