/*
** misuse.c — bad use of the API that SQLite itself answers without
** crashing: NULL handles, out-of-range parameter and column indexes,
** binding a running statement, reading columns without a row, closing a
** connection with statements left (and close_v2 deferring the close),
** invalid open flags, preparing NULL SQL.  Lode must answer the same.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static void show(sqlite3 *db, const char *what, int rc) {
  printf("%-44s rc=%d errcode=%d msg=%s\n", what, rc, sqlite3_errcode(db), sqlite3_errmsg(db));
}

int main(void) {
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;
  int rc;

  printf("step(NULL)=%d finalize(NULL)=%d reset(NULL)=%d close(NULL)=%d close_v2(NULL)=%d\n", sqlite3_step(NULL),
         sqlite3_finalize(NULL), sqlite3_reset(NULL), sqlite3_close(NULL), sqlite3_close_v2(NULL));
  /* (SQLite crashes on clear_bindings(NULL); Lode answers SQLITE_MISUSE) */
  printf("bind_int(NULL)=%d bind_text(NULL)=%d bind_null(NULL)=%d\n", sqlite3_bind_int(NULL, 1, 1),
         sqlite3_bind_text(NULL, 1, "x", -1, SQLITE_STATIC), sqlite3_bind_null(NULL, 1));
  printf("column_count(NULL)=%d column_type(NULL)=%d column_int(NULL)=%d column_text(NULL)=%s data_count(NULL)=%d\n",
         sqlite3_column_count(NULL), sqlite3_column_type(NULL, 0), sqlite3_column_int(NULL, 0),
         sqlite3_column_text(NULL, 0) ? "set" : "NULL", sqlite3_data_count(NULL));
  printf("errcode(NULL)=%d errmsg(NULL)=%s\n", sqlite3_errcode(NULL), sqlite3_errmsg(NULL));
  printf("prepare(NULL db)=%d stmt=%s\n", sqlite3_prepare_v2(NULL, "SELECT 1", -1, &s, NULL), s ? "set" : "NULL");
  printf("exec(NULL db)=%d\n", sqlite3_exec(NULL, "SELECT 1", NULL, NULL, NULL));
  printf("open(bad flags)=%d\n", sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_CREATE, NULL));
  if (db) sqlite3_close(db);
  db = NULL;
  printf("complete: %d %d %d %d\n", sqlite3_complete("SELECT 1;"), sqlite3_complete("SELECT 1"),
         sqlite3_complete("SELECT 'a;"), sqlite3_complete("CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END;"));
  printf("errstr: %s | %s | %s | %s\n", sqlite3_errstr(SQLITE_MISUSE), sqlite3_errstr(SQLITE_RANGE),
         sqlite3_errstr(SQLITE_CONSTRAINT_UNIQUE), sqlite3_errstr(SQLITE_DONE));

  sqlite3_open(":memory:", &db);
  rc = sqlite3_prepare_v2(db, NULL, -1, &s, NULL);
  printf("prepare(NULL sql)=%d stmt=%s\n", rc, s ? "set" : "NULL");
  rc = sqlite3_prepare_v2(db, "", -1, &s, NULL);
  printf("prepare('')=%d stmt=%s\n", rc, s ? "set" : "NULL");
  rc = sqlite3_prepare_v2(db, "   -- only a comment", -1, &s, NULL);
  printf("prepare(comment)=%d stmt=%s\n", rc, s ? "set" : "NULL");

  sqlite3_exec(db, "CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 'one'), (2, 'two')", NULL, NULL, NULL);
  sqlite3_prepare_v2(db, "SELECT a, b FROM t WHERE a >= ?", -1, &s, NULL);
  rc = sqlite3_bind_int(s, 0, 1);
  show(db, "bind index 0", rc);
  rc = sqlite3_bind_int(s, 2, 1);
  show(db, "bind index 2 of 1", rc);
  rc = sqlite3_bind_text(s, -1, "x", -1, SQLITE_TRANSIENT);
  show(db, "bind index -1", rc);
  printf("column_type before step: %d\n", sqlite3_column_type(s, 0));
  show(db, "  errcode after it", SQLITE_OK);
  printf("column_text before step: %s\n", sqlite3_column_text(s, 0) ? "set" : "NULL");
  rc = sqlite3_bind_int(s, 1, 1);
  show(db, "bind ok", rc);
  rc = sqlite3_step(s);
  show(db, "step", rc);
  printf("column_int(5)=%d column_text(-1)=%s column_type(2)=%d\n", sqlite3_column_int(s, 5),
         sqlite3_column_text(s, -1) ? "set" : "NULL", sqlite3_column_type(s, 2));
  show(db, "  errcode after out-of-range columns", SQLITE_OK);
  printf("column_name(9)=%s decltype(9)=%s parameter_name(7)=%s\n", sqlite3_column_name(s, 9) ? "set" : "NULL",
         sqlite3_column_decltype(s, 9) ? "set" : "NULL", sqlite3_bind_parameter_name(s, 7) ? "set" : "NULL");
  rc = sqlite3_bind_int(s, 1, 2);
  show(db, "bind while running", rc);
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
  }
  show(db, "step to the end", rc);
  printf("column_int after DONE: %d\n", sqlite3_column_int(s, 0));
  rc = sqlite3_step(s); /* steps again from the start, as SQLite 3.7+ */
  show(db, "step after DONE", rc);
  sqlite3_reset(s);

  rc = sqlite3_close(db);
  show(db, "close with a statement left", rc);
  rc = sqlite3_exec(db, "SELECT 1", NULL, NULL, NULL);
  show(db, "connection still usable", rc);
  rc = sqlite3_close_v2(db);
  printf("close_v2 with a statement left: %d\n", rc);
  rc = sqlite3_step(s);
  printf("step on a statement of a zombie connection: %d\n", rc);
  rc = sqlite3_finalize(s);
  printf("finalize (closes the connection): %d\n", rc);

  /* a failed open still gives a handle that reports the error */
  rc = sqlite3_open_v2("/nonexistent-dir/x.db", &db, SQLITE_OPEN_READWRITE, NULL);
  show(db, "open missing file", rc);
  sqlite3_close(db);
  rc = sqlite3_open_v2("file:x.db?mode=bogus", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, NULL);
  show(db, "open bad uri mode", rc);
  sqlite3_close(db);
  return 0;
}
