/*
** test_alter.c — ALTER TABLE end to end: the stored CREATE TABLE text must be
** what SQLite 3.40 stores after the same ALTER (checked with the sqlite3 CLI),
** rows written before ADD COLUMN read the new column's DEFAULT, the change
** survives reopening a file, and SQLite's ADD COLUMN restrictions hold.
** On tables with indexes, the same statements run through Lode and through
** the sqlite3 CLI must leave the same sqlite_schema rows (index texts,
** tbl_name, autoindex names, root pages), and sqlite3 must find Lode's file
** intact and answer the same through each index (INDEXED BY).  RENAME
** checks and rewrites views and triggers by SQLite's name resolution (what
** it passes, what it renames), and refuses as SQLite words it.
*/
#include <stdio.h>
#include <stdlib.h>
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
  char path_buf[96];
  const char *path = tmp_db_path(path_buf, sizeof path_buf, "alter");
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

static char tmpdir[256], script_path[600];


/* Runs sql through the sqlite3 CLI on db (list mode) into out, errors
** included.  The SQL goes through a file, so it needs no shell quoting. */
static int run_sqlite3(const char *db, const char *sql, char *out, size_t outn) {
  return sqlite3_cli(script_path, db, sql, out, outn);
}

#define SCHEMA_ROWS "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema;\n"

/* Runs setup then alter through Lode on one file and through sqlite3 on
** another (setup_by_sqlite3: sqlite3 writes the first file's setup too, and
** Lode only alters it).  Then both files must have the same sqlite_schema
** rows and give the same answers to probe, through sqlite3 and through Lode,
** and sqlite3 must find Lode's file intact.  Lode's schema rows come back in
** *rows for further checks. */
static void alter_like_sqlite3(const char *name, const char *setup, const char *alter, const char *probe,
                               int setup_by_sqlite3, char *rows, size_t rowsn) {
  char lpath[600], spath[600], script[8192], a[16384], b[16384];
  lode *db = NULL;
  snprintf(lpath, sizeof lpath, "%s/%s-lode.db", tmpdir, name);
  snprintf(spath, sizeof spath, "%s/%s-sqlite3.db", tmpdir, name);
  remove_db(lpath);
  remove_db(spath);
  snprintf(script, sizeof script, "%s\n%s\n", setup, alter);
  CHECK(run_sqlite3(spath, script, a, sizeof a) == 0);
  CHECK_EQ_STR(a, "");
  if (setup_by_sqlite3) {
    CHECK(run_sqlite3(lpath, setup, a, sizeof a) == 0);
    CHECK_EQ_STR(a, "");
  }
  CHECK(lode_open(lpath, &db) == LODE_OK);
  if (!setup_by_sqlite3) CHECK_EQ_STR(query(db, setup), "");
  CHECK_EQ_STR(query(db, alter), "");
  CHECK(run_sqlite3(spath, probe, b, sizeof b) == 0);
  CHECK_EQ_STR(query(db, probe), b); /* Lode answers like sqlite3 before the file is closed (ORDER BY:
                                     ** Lode may take another path) */
  lode_close(db);
  snprintf(script, sizeof script, "PRAGMA integrity_check;\n%s", SCHEMA_ROWS);
  CHECK(run_sqlite3(lpath, script, a, sizeof a) == 0);
  CHECK(run_sqlite3(spath, script, b, sizeof b) == 0);
  CHECK(strncmp(a, "ok\n", 3) == 0);
  CHECK_EQ_STR(a, b);
  size_t n = strlen(a + 3) < rowsn ? strlen(a + 3) : rowsn - 1;
  memcpy(rows, a + 3, n);
  rows[n] = 0;
  CHECK(run_sqlite3(lpath, probe, a, sizeof a) == 0);
  CHECK(run_sqlite3(spath, probe, b, sizeof b) == 0);
  CHECK_EQ_STR(a, b);
  remove_db(lpath);
  remove_db(spath);
}

static const char *indexed_setup =
    "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT UNIQUE, c, d, UNIQUE(c, d), CHECK (t.b <> 'x'));\n"
    "CREATE INDEX i1 ON t(b);\n"
    "CREATE INDEX \"i 2\" ON \"t\"(c DESC, d COLLATE nocase);\n"
    "CREATE INDEX i3 ON t(lower(b), c + 1) WHERE d > 0 AND t.c IS NOT NULL;\n"
    "CREATE UNIQUE INDEX i4 on [t] (d);\n"
    "CREATE INDEX i5 ON t('c', \"b\") WHERE b <> \"dq\";\n"
    "CREATE TABLE o(x REFERENCES t(c), y, FOREIGN KEY (y) REFERENCES t);\n"
    "INSERT INTO t VALUES (1, 'one', 2, 3), (2, 'two', 4, 5), (3, 'Three', 6, -1);\n"
    "INSERT INTO o VALUES (2, 1);";

TEST(rename_table_moves_its_indexes) {
  char rows[8192];
  if (!have_sqlite3()) return;
  alter_like_sqlite3("rename", indexed_setup, "ALTER TABLE t RENAME TO \"u 1\";",
                     "SELECT * FROM \"u 1\" INDEXED BY i3 WHERE lower(b) > 'a' AND c + 1 > 0 AND d > 0 ORDER BY 1;\n"
                     "SELECT a FROM \"u 1\" INDEXED BY \"sqlite_autoindex_u 1_1\" WHERE b > 'o' ORDER BY 1;\n"
                     "SELECT a FROM \"u 1\" INDEXED BY \"sqlite_autoindex_u 1_2\" WHERE c = 4 AND d = 5 ORDER BY 1;\n"
                     "SELECT a FROM \"u 1\" INDEXED BY \"i 2\" WHERE c > 2 ORDER BY 1;\n",
                     0, rows, sizeof rows);
  /* the index rows follow the table, with SQLite's texts */
  CHECK(strstr(rows, "index|sqlite_autoindex_u 1_2|u 1|4|\n") != NULL);
  CHECK(strstr(rows, "|CREATE INDEX i3 ON \"u 1\"(lower(b), c + 1) WHERE d > 0 AND \"u 1\".c IS NOT NULL\n") != NULL);
  CHECK(strstr(rows, "|CREATE UNIQUE INDEX i4 on \"u 1\" (d)\n") != NULL);
  CHECK(strstr(rows, "CREATE TABLE o(x REFERENCES \"u 1\"(c), y, FOREIGN KEY (y) REFERENCES \"u 1\")") != NULL);
}

TEST(rename_column_rewrites_index_definitions) {
  char rows[8192];
  if (!have_sqlite3()) return;
  alter_like_sqlite3("column", indexed_setup,
                     "ALTER TABLE t RENAME COLUMN c TO cc;\n"
                     "ALTER TABLE t RENAME b TO \"b b\";\n"
                     "ALTER TABLE t RENAME COLUMN d TO [D];",
                     "SELECT * FROM t INDEXED BY i3 WHERE lower(\"b b\") > 'a' AND cc + 1 > 0 AND D > 0 ORDER BY 1;\n"
                     "SELECT a FROM t INDEXED BY i5 WHERE cc > 0 AND \"b b\" <> 'dq' ORDER BY 1;\n"
                     "SELECT a FROM t INDEXED BY sqlite_autoindex_t_2 WHERE cc = 4 AND d = 5 ORDER BY 1;\n",
                     0, rows, sizeof rows);
  CHECK(strstr(rows, "|CREATE INDEX i3 ON t(lower(\"b b\"), cc + 1) WHERE \"D\" > 0 AND t.cc IS NOT NULL\n") != NULL);
  /* a lone string key names a column; a double-quoted string became a literal */
  CHECK(strstr(rows, "|CREATE INDEX i5 ON t(\"cc\", \"b b\") WHERE \"b b\" <> 'dq'\n") != NULL);
  CHECK(strstr(rows, "CREATE TABLE o(x REFERENCES t(cc), y, FOREIGN KEY (y) REFERENCES t)") != NULL);
}

TEST(add_column_keeps_indexes_exact) {
  char rows[8192];
  if (!have_sqlite3()) return;
  alter_like_sqlite3("add", indexed_setup,
                     "ALTER TABLE t ADD COLUMN e DEFAULT 'E';\n"
                     "INSERT INTO t VALUES (4, 'four', 8, 9, 'x');\n"
                     "UPDATE t SET c = c + 100, e = 'y' WHERE a = 2;\n"
                     "DELETE FROM t WHERE a = 1;",
                     "SELECT * FROM t INDEXED BY i3 WHERE lower(b) > 'a' AND c + 1 > 0 AND d > 0 ORDER BY 1;\n"
                     "SELECT * FROM t INDEXED BY i4 WHERE d > 0 ORDER BY 1;\n"
                     "SELECT a, e FROM t INDEXED BY sqlite_autoindex_t_1 WHERE b > '' ORDER BY 1;\n",
                     0, rows, sizeof rows);
  CHECK(strstr(rows, "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT UNIQUE, c, d, e DEFAULT 'E', UNIQUE(c, d)") != NULL);
}

TEST(alters_of_a_sqlite3_file_with_indexes) {
  char rows[8192];
  if (!have_sqlite3()) return;
  alter_like_sqlite3("file", indexed_setup,
                     "ALTER TABLE t RENAME c TO z;\n"
                     "ALTER TABLE t RENAME TO u;\n"
                     "ALTER TABLE u ADD COLUMN f;\n"
                     "INSERT INTO u VALUES (9, 'nine', 1, 2, 3);",
                     "SELECT * FROM u INDEXED BY i3 WHERE lower(b) > 'a' AND z + 1 > 0 AND d > 0 ORDER BY 1;\n"
                     "SELECT a FROM u INDEXED BY sqlite_autoindex_u_2 WHERE z > 0 ORDER BY 1;\n",
                     1, rows, sizeof rows);
  CHECK(strstr(rows, "index|sqlite_autoindex_u_1|u|3|\n") != NULL);
}

TEST(add_column_refuses_unique_and_primary_key) {
  lode *db = NULL;
  CHECK(lode_open(":memory:", &db) == LODE_OK);
  CHECK_EQ_STR(query(db, indexed_setup), "");
  CHECK_EQ_STR(query(db, "ALTER TABLE t ADD COLUMN e UNIQUE"), "ERROR 1: Cannot add a UNIQUE column");
  CHECK_EQ_STR(query(db, "ALTER TABLE t ADD COLUMN e CONSTRAINT k PRIMARY KEY"),
               "ERROR 1: Cannot add a PRIMARY KEY column");
  /* sqlite3 finds the duplicate name first */
  CHECK_EQ_STR(query(db, "ALTER TABLE t ADD COLUMN c UNIQUE"), "ERROR 1: duplicate column name: c");
  CHECK_EQ_STR(query(db, "ALTER TABLE t RENAME TO i1"),
               "ERROR 1: there is already another table or index with this name: i1");
  CHECK_EQ_STR(query(db, "ALTER TABLE t RENAME TO sqlite_autoindex_t_1"),
               "ERROR 1: there is already another table or index with this name: sqlite_autoindex_t_1");
  /* sqlite3 names the later of the two columns */
  CHECK_EQ_STR(query(db, "ALTER TABLE t RENAME a TO D"),
               "ERROR 1: error in table t after rename: duplicate column name: d");
  CHECK_EQ_STR(query(db, "ALTER TABLE t RENAME d TO A"),
               "ERROR 1: error in table t after rename: duplicate column name: A");
  lode_close(db);
}

/* SQLite's parser drops the operand of "x IN ()" (false whatever x is): its
** names are never resolved, nor renamed. */
TEST(rename_leaves_the_operand_of_an_empty_in_list) {
  lode *db = NULL;
  CHECK(lode_open(":memory:", &db) == LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t1(a, b, c, d);"
                         "CREATE VIEW v1 AS SELECT * FROM t1 WHERE a=1 OR (b IN ());"
                         "CREATE TABLE t2(c0);"
                         "CREATE INDEX i2 ON t2((LIKELIHOOD(c0, 100) IN ()));"
                         "ALTER TABLE t1 RENAME b TO bbb;"
                         "ALTER TABLE t2 RENAME c0 TO c1;"
                         "SELECT sql FROM sqlite_schema WHERE name IN ('v1', 'i2')"),
               "CREATE VIEW v1 AS SELECT * FROM t1 WHERE a=1 OR (b IN ())\n"
               "CREATE INDEX i2 ON t2((LIKELIHOOD(c0, 100) IN ()))\n");
  CHECK_EQ_STR(query(db, "SELECT nosuch IN (), nosuch NOT IN ()"), "0|1\n");
  lode_close(db);
}

/* RENAME checks the views and triggers it rewrites as SQLite's resolver
** does, not as they are compiled to run: window calls anywhere, unknown
** functions with FILTER or OVER, collations the connection lacks and
** subqueries of the wrong width pass; every window and CTE the text
** defines is resolved (and renamed) even when unused; a compound's ORDER
** BY and an upsert target's WHERE are renamed; LIMIT's names come first. */
TEST(rename_resolves_names_as_sqlite) {
  lode *db = NULL;
  CHECK(lode_open(":memory:", &db) == LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t1(a, b, c);"
                         "CREATE TRIGGER r1 AFTER INSERT ON t1 BEGIN\n"
                         "  SELECT a, rank() OVER w1 FROM t1 WINDOW w1 AS (PARTITION BY b, percent_rank() OVER w1);\n"
                         "  SELECT a () FILTER (WHERE a > 0), x(*) OVER (ORDER BY b) FROM t1;\n"
                         "  SELECT a, b, c FROM t1 EXCEPT SELECT a, b, c FROM t1 ORDER BY a;\n"
                         "  INSERT INTO t1 VALUES (new.a, 0, 0) ON CONFLICT (a) WHERE a > 10 DO NOTHING;\n"
                         "END;"
                         "CREATE VIEW v1 AS WITH w AS (SELECT a FROM t1) SELECT 1;"
                         "CREATE VIEW v2 AS SELECT a FROM t1 WHERE a = 'x' COLLATE nosuchcoll;"
                         "CREATE VIEW v3 AS SELECT 1 WHERE 2 IN (SELECT a, b FROM t1);"
                         "ALTER TABLE t1 RENAME a TO z;"
                         "SELECT sql FROM sqlite_schema WHERE type <> 'table' ORDER BY name"),
               "CREATE TRIGGER r1 AFTER INSERT ON t1 BEGIN\n"
               "  SELECT z, rank() OVER w1 FROM t1 WINDOW w1 AS (PARTITION BY b, percent_rank() OVER w1);\n"
               "  SELECT a () FILTER (WHERE z > 0), x(*) OVER (ORDER BY b) FROM t1;\n"
               "  SELECT z, b, c FROM t1 EXCEPT SELECT z, b, c FROM t1 ORDER BY z;\n"
               "  INSERT INTO t1 VALUES (new.z, 0, 0) ON CONFLICT (z) WHERE z > 10 DO NOTHING;\n"
               "END\n"
               "CREATE VIEW v1 AS WITH w AS (SELECT z FROM t1) SELECT 1\n"
               "CREATE VIEW v2 AS SELECT z FROM t1 WHERE z = 'x' COLLATE nosuchcoll\n"
               "CREATE VIEW v3 AS SELECT 1 WHERE 2 IN (SELECT z, b FROM t1)\n");
  CHECK_EQ_STR(query(db, "CREATE TRIGGER r2 AFTER INSERT ON t1 BEGIN\n"
                         "  SELECT z, sum(1) FROM t1 WINDOW u AS (ORDER BY NOT EXISTS (SELECT 1 FROM missing));\n"
                         "END;"
                         "ALTER TABLE t1 RENAME TO t9"),
               "ERROR 1: error in trigger r2: no such table: main.missing");
  CHECK_EQ_STR(query(db, "DROP TRIGGER r2;"
                         "CREATE VIEW v4 AS SELECT z FROM t1 LIMIT nosuch1 OFFSET nosuch2;"
                         "ALTER TABLE t1 RENAME TO t9"),
               "ERROR 1: error in view v4: no such column: nosuch1");
  CHECK_EQ_STR(query(db, "SELECT nosuch0 FROM t1 LIMIT nosuch3"), "ERROR 1: no such column: nosuch3");
  lode_close(db);
}

/* Under PRAGMA legacy_alter_table, RENAME TO leaves "t1.a" in the table's
** CHECK and its indexes: SQLite's check of the new texts refuses that. */
TEST(legacy_rename_refuses_old_qualifiers) {
  lode *db = NULL;
  CHECK(lode_open(":memory:", &db) == LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA legacy_alter_table = 1;"
                         "CREATE TABLE t1(a, b, CHECK (t1.a != t1.b));"
                         "CREATE TABLE t2(a, b);"
                         "CREATE INDEX t2x ON t2(a) WHERE t2.b > 0;"
                         "ALTER TABLE t1 RENAME TO t1new"),
               "ERROR 1: error in table t1new after rename: no such column: t1.a");
  CHECK_EQ_STR(query(db, "ALTER TABLE t2 RENAME TO t2new"),
               "ERROR 1: error in index t2x after rename: no such column: t2.b");
  CHECK_EQ_STR(query(db, "CREATE TABLE t3(c); ALTER TABLE t3 RENAME TO t3new;"
                         "SELECT name FROM sqlite_schema ORDER BY name"),
               "t1\nt2\nt2x\nt3new\n");
  lode_close(db);
}

/* SQLite's messages for column changes of a virtual table, and for a table
** whose schema row PRAGMA writable_schema turned into an index's. */
TEST(alter_refusals_worded_as_sqlite) {
  lode *db = NULL;
  CHECK(lode_open(":memory:", &db) == LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE VIRTUAL TABLE ft USING fts5(a, b); ALTER TABLE ft DROP COLUMN a"),
               "ERROR 1: cannot drop column from virtual table \"ft\"");
  CHECK_EQ_STR(query(db, "ALTER TABLE ft RENAME COLUMN a TO z"),
               "ERROR 1: cannot rename columns of virtual table \"ft\"");
  CHECK_EQ_STR(query(db, "ALTER TABLE ft ADD COLUMN c"), "ERROR 1: virtual tables may not be altered");
  CHECK_EQ_STR(query(db, "CREATE TABLE t1(a, b, c);"
                         "CREATE TABLE t2(x, y, z);"
                         "PRAGMA writable_schema = ON;"
                         "UPDATE sqlite_schema SET sql = 'CREATE INDEX t1b ON t1(b)' WHERE name = 't2';"
                         "PRAGMA writable_schema = OFF;"
                         "ALTER TABLE t2 DROP COLUMN z"),
               "ERROR 11: database disk image is malformed");
  lode_close(db);
}

int main(void) {
  RUN(add_column_old_rows_read_default);
  RUN(renames_persist_in_file);
  RUN(rename_leaves_the_operand_of_an_empty_in_list);
  RUN(rename_resolves_names_as_sqlite);
  RUN(legacy_rename_refuses_old_qualifiers);
  RUN(alter_refusals_worded_as_sqlite);
  snprintf(tmpdir, sizeof tmpdir, "/tmp/lode_test_alter_%d", (int)getpid());
  snprintf(script_path, sizeof script_path, "%s/script.sql", tmpdir);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "mkdir -p %s", tmpdir);
  if (system(cmd) != 0) return 1;
  RUN(rename_table_moves_its_indexes);
  RUN(rename_column_rewrites_index_definitions);
  RUN(add_column_keeps_indexes_exact);
  RUN(alters_of_a_sqlite3_file_with_indexes);
  RUN(add_column_refuses_unique_and_primary_key);
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
  if (system(cmd) != 0) return 1;
  return test_summary();
}
