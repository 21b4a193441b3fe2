/*
** schema_null_rootpage.c — a sqlite_schema row without a rootpage, planted
** with writable_schema, makes the schema malformed when it is next loaded:
** the error names the row's object, or "?" when the row has no name.
*/
#include <sqlite3.h>
#include <stdio.h>

static void plant_and_reopen(const char *row) {
  sqlite3 *db = NULL;
  char sql[256];
  remove("snr.db");
  sqlite3_open("snr.db", &db);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 0, (int *)0);
  snprintf(sql, sizeof sql, "CREATE TABLE t1(a); PRAGMA writable_schema = ON; INSERT INTO sqlite_schema VALUES (%s);",
           row);
  int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
  sqlite3_close(db);
  sqlite3_open("snr.db", &db);
  sqlite3_stmt *st = NULL;
  int prc = sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL);
  printf("%s: plant %d, prepare %d (%s)\n", row, rc, prc, prc ? sqlite3_errmsg(db) : "ok");
  sqlite3_finalize(st);
  sqlite3_close(db);
  remove("snr.db");
}

int main(void) {
  plant_and_reopen("NULL, NULL, NULL, NULL, NULL");
  plant_and_reopen("'table', NULL, NULL, NULL, NULL");
  plant_and_reopen("'view', 'v', 'v', NULL, 'CREATE VIEW v AS SELECT 1'");
  plant_and_reopen("'index', 'ix', 't1', NULL, NULL");
  plant_and_reopen("'trigger', 'tr', 't1', NULL, NULL");
  return 0;
}
