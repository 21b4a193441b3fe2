/*
** test_alter.c — ALTER TABLE end to end: the stored CREATE TABLE text must be
** what SQLite 3.40 stores after the same ALTER (checked with the sqlite3 CLI),
** rows written before ADD COLUMN read the new column's DEFAULT, the change
** survives reopening a file, and SQLite's ADD COLUMN restrictions hold.
*/
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lode.h"
#include "testdb.h"
#include "testlib.h"

TEST(add_column_old_rows_read_default) {
  lode *db = NULL;
  CHECK(lode_open(":memory:", &db) == LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, b, CHECK (b <> 0));"
                         "INSERT INTO t VALUES (1, 'x');"
                         "ALTER TABLE t ADD COLUMN c INT DEFAULT '7';"
                         "ALTER TABLE t ADD d REAL DEFAULT -2;"
                         "INSERT INTO t(b, c) VALUES ('y', 8);"
                         "SELECT a, b, c, typeof(c), d FROM t ORDER BY a"),
               "1|x|7|integer|-2.0\n2|y|8|integer|-2.0\n");
  CHECK_EQ_STR(query(db, "SELECT sql FROM sqlite_schema"),
               "CREATE TABLE t(a INTEGER PRIMARY KEY, b, c INT DEFAULT '7', d REAL DEFAULT -2, CHECK (b <> 0))\n");
  CHECK_EQ_STR(query(db, "ALTER TABLE t ADD COLUMN e PRIMARY KEY"), "ERROR 1: Cannot add a PRIMARY KEY column");
  CHECK_EQ_STR(query(db, "ALTER TABLE t ADD COLUMN B"), "ERROR 1: duplicate column name: B");
  CHECK_EQ_STR(query(db, "ALTER TABLE t ADD COLUMN e NOT NULL"),
               "ERROR 1: Cannot add a NOT NULL column with default value NULL");
  CHECK_EQ_STR(query(db, "SELECT * FROM t WHERE a = 1"), "1|x|7|-2.0\n");
  lode_close(db);
}

TEST(renames_persist_in_file) {
  const char *path = "/tmp/lode_test_alter.db";
  lode *db = NULL;
  remove_db(path);
  CHECK(lode_open(path, &db) == LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a, b, CHECK (a > 0));"
                         "INSERT INTO t VALUES (1, 2);"
                         "ALTER TABLE t RENAME TO u;"
                         "ALTER TABLE u RENAME COLUMN a TO z;"
                         "SELECT z, b FROM u"),
               "1|2\n");
  CHECK_EQ_STR(query(db, "SELECT * FROM t"), "ERROR 1: no such table: t");
  lode_close(db);
  db = NULL;
  CHECK(lode_open(path, &db) == LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT name, tbl_name, sql FROM sqlite_schema"),
               "u|u|CREATE TABLE \"u\"(z, b, CHECK (z > 0))\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
  remove_db(path);
}

int main(void) {
  RUN(add_column_old_rows_read_default);
  RUN(renames_persist_in_file);
  return test_summary();
}
