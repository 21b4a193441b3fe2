/*
** error_offset.c — sqlite3_error_offset: the byte offset of the token a
** prepare error names (syntax errors, unknown tokens, columns, functions),
** -1 where the error names no place, and -1 again after a success.
*/
#include <sqlite3.h>
#include <stdio.h>

static void try(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  printf("%-55s rc=%d offset=%d %s\n", sql, rc, sqlite3_error_offset(db), rc ? sqlite3_errmsg(db) : "");
  sqlite3_finalize(st);
}

int main(void) {
  sqlite3 *db;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  sqlite3_exec(db, "CREATE TABLE t(a, b); CREATE TABLE u(a);", NULL, NULL, NULL);
  printf("fresh: %d\n", sqlite3_error_offset(db));
  try(db, "SELECT nosuch()");
  try(db, "SELECT 1");
  try(db, "SELECT x FROM t");
  try(db, "SELECT a FROM t, u");
  try(db, "SELECT t.q FROM t");
  try(db, "SELECT 1 + nosuch.a FROM t");
  try(db, "SELECT abs(1, 2) FROM t");
  try(db, "selec 1");
  try(db, "SELECT 1 FROM t WHERE a = 'x' AND b ==");
  try(db, "SELECT #1");
  try(db, "SELECT 'abc");
  try(db, "SELECT row_number() FROM t");
  try(db, "  SELECT   b FROM t WHERE zz > 1");
  try(db, "SELECT * FROM nosuch");
  try(db, "SELECT 1 FROM t WHERE a IN (SELECT nosuch(b) FROM u)");
  try(db, "SELECT (");
  try(db, "CREATE INDEX i1 ON t(a, zz)");
  try(db, "CREATE INDEX i2 ON t(a + zz)");
  try(db, "CREATE INDEX i3 ON t(a) WHERE zz > 1");
  try(db, "CREATE INDEX i4 ON t(yy) WHERE zz > 1");
  try(db, "CREATE INDEX i5 ON t(a, yy) WHERE zz > 1");
  sqlite3_exec(db, "SELECT 1", NULL, NULL, NULL);
  printf("after exec: %d\n", sqlite3_error_offset(db));
  sqlite3_close(db);
  return 0;
}
