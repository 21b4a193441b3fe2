/*
** dqs.c — SQLITE_DBCONFIG_DQS_DML and SQLITE_DBCONFIG_DQS_DDL, each on its
** own: with DML off, a "double-quoted" word naming no column is an error in
** statements, in a view's SELECT and in a trigger's body as they run; with
** DDL off, in a new table's CHECK and generated columns and a new index's
** terms and WHERE, unless PRAGMA writable_schema is on (then DDL follows
** DQS_DML).  What the schema already holds keeps its meaning either way: a
** CHECK that took "x" for a string still compares with 'x'.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static void run(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  printf("%-60s", sql);
  if (rc == SQLITE_OK) {
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
      for (int i = 0; i < sqlite3_column_count(st); i++) printf(" [%s]", (const char *)sqlite3_column_text(st, i));
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
  }
  /* SQLite 3.40 names the word bare, later versions quote it and add a hint. */
  const char *msg = sqlite3_errmsg(db);
  if (rc != SQLITE_OK) printf(" rc=%d %s", rc, strncmp(msg, "no such column: ", 16) == 0 ? "no such column" : msg);
  printf("\n");
  sqlite3_finalize(st);
}

static void config(sqlite3 *db, int op, const char *name, int on) {
  int out = -1;
  int rc = sqlite3_db_config(db, op, on, &out);
  printf("db_config(%s, %d): rc=%d now %d\n", name, on, rc, out);
}

static void statements(sqlite3 *db) {
  run(db, "SELECT \"x\"");
  run(db, "SELECT c FROM v");
  run(db, "INSERT INTO s VALUES ('x')");
  run(db, "INSERT INTO s VALUES ('y')");
  run(db, "DELETE FROM s");
  run(db, "SELECT count(*) FROM s");
  run(db, "CREATE TABLE t1(a CHECK(a <> \"x\"))");
  run(db, "CREATE TABLE t2(a, b AS (a || \"x\"))");
  run(db, "CREATE TABLE t3(a, c)");
  run(db, "CREATE INDEX i1 ON t3(\"zz\")");
  run(db, "CREATE INDEX i2 ON t3(a) WHERE a <> \"x\"");
  run(db, "CREATE INDEX i3 ON t3(\"c\")");
  run(db, "ALTER TABLE t3 ADD COLUMN b CHECK(b <> \"x\")");
  run(db, "SELECT name FROM sqlite_schema WHERE name GLOB 't[0-9]' OR name GLOB 'i[0-9]' ORDER BY name");
  run(db, "DROP TABLE IF EXISTS t1");
  run(db, "DROP TABLE IF EXISTS t2");
  run(db, "DROP TABLE t3");
}

int main(void) {
  sqlite3 *db;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  config(db, SQLITE_DBCONFIG_DQS_DML, "DQS_DML", 1);
  config(db, SQLITE_DBCONFIG_DQS_DDL, "DQS_DDL", 1);
  run(db, "CREATE TABLE s(b CHECK(b <> \"x\"))");
  run(db, "CREATE VIEW v AS SELECT \"x\" AS c");
  run(db, "CREATE TABLE log(m)");
  run(db, "CREATE TRIGGER tr AFTER DELETE ON s BEGIN INSERT INTO log VALUES (\"gone\"); END");
  config(db, SQLITE_DBCONFIG_DQS_DML, "DQS_DML", 0);
  config(db, SQLITE_DBCONFIG_DQS_DDL, "DQS_DDL", -1);
  statements(db);
  config(db, SQLITE_DBCONFIG_DQS_DML, "DQS_DML", 1);
  config(db, SQLITE_DBCONFIG_DQS_DDL, "DQS_DDL", 0);
  config(db, SQLITE_DBCONFIG_DQS_DML, "DQS_DML", -1);
  statements(db);
  config(db, SQLITE_DBCONFIG_DQS_DDL, "DQS_DDL", 1);
  statements(db);
  run(db, "SELECT m FROM log");
  /* Under writable_schema the DDL takes the fallback DQS_DML allows. */
  config(db, SQLITE_DBCONFIG_DQS_DDL, "DQS_DDL", 0);
  run(db, "PRAGMA writable_schema = 1");
  run(db, "CREATE TABLE w1(a CHECK(a <> \"x\"))");
  run(db, "INSERT INTO w1 VALUES ('x')");
  run(db, "CREATE INDEX wi ON w1(a || \"y\")");
  config(db, SQLITE_DBCONFIG_DQS_DML, "DQS_DML", 0);
  run(db, "CREATE TABLE w2(a CHECK(a <> \"x\"))");
  config(db, SQLITE_DBCONFIG_DQS_DML, "DQS_DML", 1);
  run(db, "PRAGMA writable_schema = 0");
  run(db, "CREATE TABLE w3(a CHECK(a <> \"x\"))");
  run(db, "SELECT name FROM sqlite_schema WHERE name GLOB 'w*' ORDER BY name");
  sqlite3_close(db);
  return 0;
}
