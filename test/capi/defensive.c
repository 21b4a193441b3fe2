/*
** defensive.c — SQLITE_DBCONFIG_DEFENSIVE: with it on, sqlite_schema stays
** read-only even under PRAGMA writable_schema=ON, PRAGMA schema_version=N is
** ignored, and the shadow tables of a virtual table (an R-Tree's) may be read
** but not written, dropped or altered, nor named by a trigger's writes; the
** virtual table itself keeps working.  Turned off again, all of it is allowed.
** writable_schema is turned on before defensive mode: newer SQLite ignores
** PRAGMA writable_schema = ON while the mode is on, older ones (the system
** library this may be compared with) do not; test/js/api-compat-audit checks
** that rule against better-sqlite3's SQLite.
*/
#include <sqlite3.h>
#include <stdio.h>

static void run(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  printf("%-62s", sql);
  if (rc == SQLITE_OK) {
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
      for (int i = 0; i < sqlite3_column_count(st); i++) printf(" [%s]", (const char *)sqlite3_column_text(st, i));
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
  }
  if (rc != SQLITE_OK) printf(" rc=%d %s", rc, sqlite3_errmsg(db));
  printf("\n");
  sqlite3_finalize(st);
}

static void config(sqlite3 *db, int on) {
  int out = -1;
  int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, on, &out);
  printf("db_config(DEFENSIVE, %d): rc=%d now %d\n", on, rc, out);
}

int main(void) {
  sqlite3 *db;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  config(db, -1);
  run(db, "CREATE TABLE t(x)");
  run(db, "CREATE VIRTUAL TABLE r USING rtree(id, lo, hi)");
  run(db, "INSERT INTO r VALUES(1, 2, 3)");
  run(db, "PRAGMA writable_schema = ON");
  config(db, 1);
  config(db, -1);
  run(db, "INSERT INTO r VALUES(2, 4, 5)");
  run(db, "SELECT id, lo, hi FROM r ORDER BY id");
  run(db, "SELECT count(*) FROM r_node");
  run(db, "INSERT INTO r_node VALUES(9, x'00')");
  run(db, "UPDATE r_rowid SET nodeno = 1");
  run(db, "WITH c AS (SELECT 1) DELETE FROM r_parent");
  run(db, "DROP TABLE r_node");
  run(db, "ALTER TABLE r_rowid RENAME TO zz");
  run(db, "ALTER TABLE r_rowid ADD COLUMN q");
  run(db, "CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM r_node; END");
  run(db, "CREATE TRIGGER tr2 AFTER INSERT ON t BEGIN SELECT count(*) FROM r_node; END");
  run(db, "CREATE TABLE t_node(a)");
  run(db, "INSERT INTO t_node VALUES(1)");
  run(db, "PRAGMA writable_schema");
  run(db, "UPDATE sqlite_schema SET sql = sql WHERE name = 't'");
  run(db, "DELETE FROM sqlite_master WHERE 0");
  run(db, "PRAGMA schema_version");
  run(db, "PRAGMA schema_version = 100");
  run(db, "PRAGMA schema_version");
  config(db, 0);
  run(db, "UPDATE sqlite_schema SET sql = sql WHERE name = 't'");
  run(db, "PRAGMA writable_schema = OFF");
  run(db, "UPDATE r_rowid SET nodeno = nodeno");
  run(db, "CREATE TRIGGER tr3 AFTER INSERT ON t BEGIN DELETE FROM r_node WHERE 0; END");
  run(db, "SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name");
  sqlite3_close(db);
  return 0;
}
