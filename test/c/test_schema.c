/*
** test_schema.c — the schema's tables and indexes (sql/schema.h) as Lode
** builds them from files the sqlite3 CLI wrote: autoindexes named, numbered,
** merged and ordered as SQLite does and matched to their sqlite_schema rows;
** CREATE INDEX objects (unique, partial, expression, DESC, COLLATE);
** WITHOUT ROWID primary keys; malformed schemas refused with SQLite's
** messages; and PRAGMA index_list / index_info / index_xinfo / table_info
** giving what sqlite3 gives for the same file.  Tests that need the sqlite3
** CLI are skipped when it is not installed.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lode.h"
#include "sql/parser.h"
#include "sql/schema.h"
#include "testdb.h"
#include "testlib.h"

static char tmpdir[256];

static char script_path[600], file_path[600];


/* Runs sql through the sqlite3 CLI on db (list mode); its output and errors
** go to out.  The SQL goes through a file, so it needs no shell quoting. */
static int run_sqlite3(const char *db, const char *sql, char *out, size_t outn) {
  return sqlite3_cli(script_path, db, sql, out, outn);
}

/* A fresh file written by sqlite3 from sql; NULL if sqlite3 failed.  (One
** file at a time: the path is a static buffer.)  Lode keeps a -wal file
** while the file is open, so the tests ask sqlite3 before Lode opens it. */
static const char *sqlite3_file(const char *name, const char *sql) {
  static char out[4096];
  const char *path = file_path;
  snprintf(file_path, sizeof file_path, "%s/%s", tmpdir, name);
  remove_db(path);
  if (run_sqlite3(path, sql, out, sizeof out) != 0 || out[0]) {
    printf("     sqlite3 failed: %s\n", out);
    return NULL;
  }
  return path;
}

/* Opens path with Lode and loads its schema (rc of the load). */
static int open_loaded(const char *path, lode **db) {
  lode_stmt *st = NULL;
  *db = NULL;
  if (lode_open(path, db) != LODE_OK) return -1;
  int rc = lode_prepare(*db, "SELECT 1 FROM sqlite_schema", -1, &st, NULL);
  lode_finalize(st);
  return rc;
}

static Index *index_named(lode *db, const char *name) { return schema_find_index(db->schema, name); }

/* Names of t's indexes in list order, "a,b,c". */
static const char *index_order(lode *db, const char *table) {
  static char out[1024];
  size_t n = 0;
  Table *t = schema_find_table(db->schema, table);
  out[0] = 0;
  for (Index *ix = t ? t->indexes : NULL; ix; ix = ix->next)
    n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", n ? "," : "", ix->name);
  return out;
}

/* An index's columns as "cid:coll:desc" joined by spaces, key columns first
** and "|" before the row identity. */
static const char *index_cols(const Index *ix) {
  static char out[1024];
  size_t n = 0;
  out[0] = 0;
  for (int i = 0; ix && i < ix->ncols; i++) {
    n += (size_t)snprintf(out + n, sizeof out - n, "%s%d:%s:%d", i == 0 ? "" : i == ix->nkey ? " | " : " ",
                          ix->cols[i].cid, ix->cols[i].coll_name, ix->cols[i].desc);
  }
  return out;
}

/* "name=root" of every index row, as sqlite3 reads them, before Lode opens
** the file; sqlite3_root looks one up. */
static char sqlite3_roots[4096];

static void read_sqlite3_roots(const char *path) {
  if (run_sqlite3(path, "SELECT ',' || name || '=' || rootpage FROM sqlite_schema WHERE type = 'index';",
                  sqlite3_roots, sizeof sqlite3_roots) != 0)
    sqlite3_roots[0] = 0;
}

static int sqlite3_root(const char *name) {
  char key[256];
  snprintf(key, sizeof key, ",%s=", name);
  const char *at = strstr(sqlite3_roots, key);
  return at ? atoi(at + strlen(key)) : -1;
}

TEST(autoindexes_are_numbered_merged_and_matched_to_their_rows) {
  if (!have_sqlite3()) return;
  const char *path = sqlite3_file(
      "auto.db", "CREATE TABLE t(a UNIQUE, b PRIMARY KEY, c, UNIQUE(c), UNIQUE(a), UNIQUE(c COLLATE nocase), "
                 "UNIQUE(a,c), UNIQUE(c DESC));");
  lode *db;
  CHECK(path != NULL);
  if (!path) return;
  read_sqlite3_roots(path);
  CHECK_EQ_INT(open_loaded(path, &db), LODE_OK);
  Table *t = schema_find_table(db->schema, "t");
  CHECK(t != NULL);
  if (t) {
    /* UNIQUE(a) repeats a's column constraint and UNIQUE(c DESC) repeats
    ** UNIQUE(c): direction does not make an index different. */
    CHECK_EQ_INT(t->nautoindexes, 5);
    static const char *const names[] = {"sqlite_autoindex_t_1", "sqlite_autoindex_t_2", "sqlite_autoindex_t_3",
                                        "sqlite_autoindex_t_4", "sqlite_autoindex_t_5"};
    static const IndexOrigin origins[] = {INDEX_ORIGIN_UNIQUE, INDEX_ORIGIN_PK, INDEX_ORIGIN_UNIQUE,
                                          INDEX_ORIGIN_UNIQUE, INDEX_ORIGIN_UNIQUE};
    for (int i = 0; i < 5 && i < t->nautoindexes; i++) {
      Index *ix = t->autoindexes[i];
      CHECK_EQ_STR(ix->name, names[i]);
      CHECK_EQ_INT(ix->origin, origins[i]);
      CHECK_EQ_INT(ix->autoindex, 1);
      CHECK_EQ_INT(ix->unique, 1);
      CHECK(ix->sql == NULL);
      CHECK(ix->where == NULL);
      CHECK(ix->table == t);
      CHECK_EQ_STR(ix->table_name, "t");
      CHECK_EQ_INT(ix->root, sqlite3_root(names[i]));
      CHECK(index_has_own_btree(ix));
    }
    CHECK_EQ_STR(index_cols(t->autoindexes[0]), "0:BINARY:0 | -1:BINARY:0");
    CHECK_EQ_STR(index_cols(t->autoindexes[3]), "2:nocase:0 | -1:BINARY:0");
    CHECK_EQ_STR(index_cols(t->autoindexes[4]), "0:BINARY:0 2:BINARY:0 | -1:BINARY:0");
    CHECK(t->pk == t->autoindexes[1]);
    CHECK_EQ_INT(t->ipk, -1);
    /* newest first, as PRAGMA index_list shows them */
    CHECK_EQ_STR(index_order(db, "t"), "sqlite_autoindex_t_5,sqlite_autoindex_t_4,sqlite_autoindex_t_3,"
                                       "sqlite_autoindex_t_2,sqlite_autoindex_t_1");
  }
  /* the schema lists the index rows in sqlite_schema order */
  CHECK_EQ_INT(db->schema->nindexes, 5);
  if (db->schema->nindexes == 5) CHECK_EQ_STR(db->schema->indexes[4]->name, "sqlite_autoindex_t_5");
  lode_close(db);
}

TEST(primary_keys_that_are_rowids_imply_no_index) {
  if (!have_sqlite3()) return;
  const char *path = sqlite3_file("pk.db",
                                  "CREATE TABLE p(a UNIQUE, b, PRIMARY KEY(a));"
                                  "CREATE TABLE u(a INTEGER PRIMARY KEY, b UNIQUE, UNIQUE(a));"
                                  "CREATE TABLE d(x INTEGER PRIMARY KEY DESC, y);"
                                  "CREATE TABLE e(x INTEGER, y, PRIMARY KEY(x DESC));"
                                  "CREATE TABLE q(x 'INTEGER' PRIMARY KEY, y);"
                                  "CREATE TABLE s(a, b, PRIMARY KEY(a, a));");
  lode *db;
  CHECK(path != NULL);
  if (!path) return;
  CHECK_EQ_INT(open_loaded(path, &db), LODE_OK);
  Table *p = schema_find_table(db->schema, "p"), *u = schema_find_table(db->schema, "u");
  Table *d = schema_find_table(db->schema, "d"), *e = schema_find_table(db->schema, "e");
  Table *q = schema_find_table(db->schema, "q"), *s = schema_find_table(db->schema, "s");
  CHECK(p && u && d && e && q && s);
  if (!(p && u && d && e && q && s)) return;
  /* UNIQUE first, then a PRIMARY KEY on the same column: one index, the key's */
  CHECK_EQ_INT(p->nautoindexes, 1);
  CHECK_EQ_INT(p->autoindexes[0]->origin, INDEX_ORIGIN_PK);
  CHECK(p->pk == p->autoindexes[0]);
  /* the rowid alias takes no number */
  CHECK_EQ_INT(u->ipk, 0);
  CHECK(u->pk == NULL);
  CHECK_EQ_STR(index_order(db, "u"), "sqlite_autoindex_u_2,sqlite_autoindex_u_1");
  CHECK_EQ_STR(index_cols(index_named(db, "sqlite_autoindex_u_1")), "1:BINARY:0 | -1:BINARY:0");
  CHECK_EQ_STR(index_cols(index_named(db, "sqlite_autoindex_u_2")), "0:BINARY:0 | -1:BINARY:0");
  /* INTEGER PRIMARY KEY DESC is no alias; PRIMARY KEY (x DESC) is */
  CHECK_EQ_INT(d->ipk, -1);
  CHECK_EQ_STR(index_order(db, "d"), "sqlite_autoindex_d_1");
  CHECK_EQ_STR(index_cols(d->pk), "0:BINARY:1 | -1:BINARY:0");
  CHECK_EQ_INT(e->ipk, 0);
  CHECK(e->indexes == NULL);
  /* a type written as a quoted word is that word */
  CHECK_EQ_INT(q->ipk, 0);
  CHECK(q->indexes == NULL);
  CHECK_EQ_STR(q->cols[0].decltype_, "INTEGER");
  /* a rowid table's key may name a column twice */
  CHECK_EQ_STR(index_cols(s->pk), "0:BINARY:0 0:BINARY:0 | -1:BINARY:0");
  CHECK_EQ_INT(s->cols[0].pk_order, 1);
  lode_close(db);
}

/* Indexes whose constraint says ON CONFLICT REPLACE stay behind the others. */
TEST(replace_indexes_come_last) {
  if (!have_sqlite3()) return;
  const char *path = sqlite3_file("repl.db", "CREATE TABLE r(a UNIQUE ON CONFLICT REPLACE, b UNIQUE, "
                                             "c UNIQUE ON CONFLICT IGNORE, d UNIQUE ON CONFLICT REPLACE);"
                                             "CREATE INDEX r1 ON r(a);"
                                             "CREATE TABLE v(a, UNIQUE(a) ON CONFLICT REPLACE, UNIQUE(a));");
  lode *db;
  CHECK(path != NULL);
  if (!path) return;
  CHECK_EQ_INT(open_loaded(path, &db), LODE_OK);
  CHECK_EQ_STR(index_order(db, "r"), "r1,sqlite_autoindex_r_3,sqlite_autoindex_r_2,sqlite_autoindex_r_4,"
                                     "sqlite_autoindex_r_1");
  Index *ix = index_named(db, "sqlite_autoindex_r_3");
  if (ix) CHECK_EQ_INT(ix->on_conflict, ONCONFLICT_IGNORE);
  ix = index_named(db, "sqlite_autoindex_r_2");
  if (ix) CHECK_EQ_INT(ix->on_conflict, ONCONFLICT_UNSET);
  ix = index_named(db, "r1");
  if (ix) CHECK_EQ_INT(ix->unique, 0);
  /* an explicit action beats none when two constraints make one index */
  ix = index_named(db, "sqlite_autoindex_v_1");
  CHECK(ix != NULL);
  if (ix) CHECK_EQ_INT(ix->on_conflict, ONCONFLICT_REPLACE);
  CHECK(index_named(db, "sqlite_autoindex_v_2") == NULL);
  lode_close(db);
}

TEST(create_index_objects_keep_terms_condition_and_text) {
  if (!have_sqlite3()) return;
  const char *path = sqlite3_file(
      "ci.db", "CREATE TABLE t(a, b, c COLLATE nocase);"
               "CREATE INDEX i1 ON t(a);"
               "CREATE UNIQUE INDEX i2 ON t(b DESC, c COLLATE rtrim) WHERE a > 0;"
               "CREATE INDEX i3 ON t(a+b, lower(c) COLLATE rtrim, c, 'a', \"zz\");");
  lode *db;
  CHECK(path != NULL);
  if (!path) return;
  read_sqlite3_roots(path);
  CHECK_EQ_INT(open_loaded(path, &db), LODE_OK);
  Table *t = schema_find_table(db->schema, "t");
  Index *i1 = index_named(db, "i1"), *i2 = index_named(db, "i2"), *i3 = index_named(db, "i3");
  CHECK(t && i1 && i2 && i3);
  if (!(t && i1 && i2 && i3)) return;
  CHECK_EQ_STR(index_order(db, "t"), "i3,i2,i1");
  CHECK(i1->table == t);
  CHECK_EQ_INT(i1->root, sqlite3_root("i1"));
  CHECK_EQ_INT(i3->root, sqlite3_root("i3"));
  CHECK_EQ_STR(i1->sql, "CREATE INDEX i1 ON t(a)");
  CHECK_EQ_INT(i1->autoindex, 0);
  CHECK_EQ_INT(i1->origin, INDEX_ORIGIN_CREATE);
  CHECK_EQ_INT(i1->unique, 0);
  CHECK_EQ_INT(i2->unique, 1);
  CHECK_EQ_INT(i2->on_conflict, ONCONFLICT_ABORT);
  CHECK_EQ_STR(index_cols(i2), "1:BINARY:1 2:rtrim:0 | -1:BINARY:0");
  CHECK(i2->where != NULL);
  if (i2->where) {
    CHECK_EQ_INT(i2->where->kind, EXPR_BINARY);
    CHECK_EQ_INT(i2->where->left->kind, EXPR_COLUMN);
    CHECK_EQ_STR(i2->where->left->text, "a");
  }
  CHECK(i1->where == NULL);
  /* a column's own collation applies to a plain column term only */
  CHECK_EQ_STR(index_cols(i3), "-2:BINARY:0 -2:rtrim:0 2:nocase:0 0:BINARY:0 -2:BINARY:0 | -1:BINARY:0");
  CHECK_EQ_INT(i3->cols[0].expr->kind, EXPR_BINARY);
  CHECK_EQ_INT(i3->cols[1].expr->kind, EXPR_FUNCTION);
  CHECK_EQ_STR(i3->cols[1].expr->text, "lower");
  CHECK(i3->cols[2].expr == NULL);
  CHECK_EQ_INT(i3->cols[4].expr->kind, EXPR_COLUMN); /* "zz": no column, so a string, as SQLite reads it */
  CHECK_EQ_INT(i3->cols[1].coll, COLL_RTRIM);
  CHECK_EQ_INT(i3->cols[2].coll, COLL_NOCASE);
  lode_close(db);
}

TEST(without_rowid_tables_are_their_primary_key_index) {
  if (!have_sqlite3()) return;
  const char *path = sqlite3_file("wr.db",
                                  "CREATE TABLE w(x TEXT, y INT, z, PRIMARY KEY(y, x)) WITHOUT ROWID;"
                                  "CREATE INDEX wz ON w(z);"
                                  "CREATE TABLE wi(a INTEGER PRIMARY KEY, b UNIQUE) WITHOUT ROWID;"
                                  "CREATE TABLE wc(a COLLATE nocase, b, PRIMARY KEY(a, b COLLATE rtrim, a COLLATE "
                                  "binary, b COLLATE RTRIM)) WITHOUT ROWID;"
                                  "CREATE INDEX wcb ON wc(b);");
  lode *db;
  CHECK(path != NULL);
  if (!path) return;
  read_sqlite3_roots(path);
  CHECK_EQ_INT(open_loaded(path, &db), LODE_OK);
  Table *w = schema_find_table(db->schema, "w"), *wi = schema_find_table(db->schema, "wi");
  Table *wc = schema_find_table(db->schema, "wc");
  CHECK(w && wi && wc);
  if (!(w && wi && wc)) return;
  CHECK_EQ_INT(w->without_rowid, 1);
  CHECK(w->pk != NULL);
  if (w->pk) {
    CHECK_EQ_STR(w->pk->name, "sqlite_autoindex_w_1");
    CHECK_EQ_INT(w->pk->root, w->root);
    CHECK(!index_has_own_btree(w->pk));
    CHECK_EQ_STR(index_cols(w->pk), "1:BINARY:0 0:BINARY:0 | 2:BINARY:0");
  }
  CHECK_EQ_STR(index_cols(index_named(db, "wz")), "2:BINARY:0 | 1:BINARY:0 0:BINARY:0");
  CHECK_EQ_STR(index_order(db, "w"), "wz,sqlite_autoindex_w_1");
  /* no sqlite_schema row, so not among the schema's index b-trees */
  for (int i = 0; i < db->schema->nindexes; i++) CHECK(db->schema->indexes[i] != w->pk);
  /* an INTEGER PRIMARY KEY is no rowid here; its index is implied last */
  CHECK_EQ_INT(wi->ipk, -1);
  CHECK(wi->pk != NULL);
  if (wi->pk) CHECK_EQ_STR(wi->pk->name, "sqlite_autoindex_wi_2");
  CHECK_EQ_STR(index_cols(index_named(db, "sqlite_autoindex_wi_1")), "1:BINARY:0 | 0:BINARY:0");
  CHECK_EQ_INT(index_named(db, "sqlite_autoindex_wi_1")->root, sqlite3_root("sqlite_autoindex_wi_1"));
  /* a key column repeated with the same collation counts once; entries of
  ** other indexes end with the key columns they lack */
  CHECK_EQ_STR(index_cols(wc->pk), "0:nocase:0 1:rtrim:0 0:binary:0");
  CHECK_EQ_STR(index_cols(index_named(db, "wcb")), "1:BINARY:0 | 0:nocase:0 1:rtrim:0 0:binary:0");
  CHECK_EQ_INT(wc->cols[0].pk_order, 1);
  CHECK_EQ_INT(wc->cols[1].pk_order, 2);
  lode_close(db);
}

/* What PRAGMA index_list, index_info, index_xinfo and table_info say about a
** file must be what sqlite3 says. */
TEST(index_pragmas_match_sqlite3) {
  if (!have_sqlite3()) return;
  const char *path = sqlite3_file(
      "prag.db",
      "CREATE TABLE t(a UNIQUE, b PRIMARY KEY, c COLLATE nocase, UNIQUE(c), UNIQUE(a, c DESC));"
      "CREATE INDEX i1 ON t(a);"
      "CREATE UNIQUE INDEX i2 ON t(b DESC, c COLLATE rtrim) WHERE a > 0;"
      "CREATE INDEX i3 ON t(a+b, lower(c) COLLATE rtrim);"
      "CREATE TABLE q(a, b, c, PRIMARY KEY(c, a));"
      "CREATE TABLE r(a UNIQUE ON CONFLICT REPLACE, b UNIQUE, c UNIQUE ON CONFLICT IGNORE);"
      "CREATE TABLE w(x TEXT, y INT, z, PRIMARY KEY(y, x, y)) WITHOUT ROWID;"
      "CREATE INDEX wz ON w(z DESC);"
      "CREATE TABLE wi(a INTEGER PRIMARY KEY, b UNIQUE) WITHOUT ROWID;"
      "CREATE TABLE d(x integer PRIMARY KEY DESC, y text);");
  static const char *const pragmas[] = {
      "PRAGMA index_list(t)", "PRAGMA index_list(q)", "PRAGMA index_list(r)", "PRAGMA index_list(w)",
      "PRAGMA index_list(wi)", "PRAGMA index_list(d)", "PRAGMA index_list(nope)", "PRAGMA index_list(i1)",
      "PRAGMA index_info(sqlite_autoindex_t_1)", "PRAGMA index_xinfo(sqlite_autoindex_t_2)",
      "PRAGMA index_xinfo(sqlite_autoindex_t_4)", "PRAGMA index_info(i2)", "PRAGMA index_xinfo(i2)",
      "PRAGMA index_info(i3)", "PRAGMA index_xinfo(i3)", "PRAGMA index_xinfo(sqlite_autoindex_q_1)",
      "PRAGMA index_info(w)", "PRAGMA index_xinfo(w)", "PRAGMA index_xinfo(sqlite_autoindex_w_1)",
      "PRAGMA index_xinfo(wz)", "PRAGMA index_xinfo(sqlite_autoindex_wi_1)", "PRAGMA index_info(t)",
      "PRAGMA index_info(nope)", "PRAGMA index_xinfo(sqlite_autoindex_d_1)", "PRAGMA table_info(t)",
      "PRAGMA table_info(q)", "PRAGMA table_xinfo(w)", "PRAGMA table_info(wi)", "PRAGMA table_info(d)",
      "PRAGMA integrity_check",
  };
  enum { NPRAGMAS = sizeof pragmas / sizeof pragmas[0] };
  static char want[NPRAGMAS][1024];
  char sql[256];
  lode *db;
  CHECK(path != NULL);
  if (!path) return;
  for (size_t i = 0; i < NPRAGMAS; i++) {
    snprintf(sql, sizeof sql, "%s;", pragmas[i]);
    CHECK_EQ_INT(run_sqlite3(path, sql, want[i], sizeof want[i]), 0);
  }
  CHECK_EQ_INT(open_loaded(path, &db), LODE_OK);
  for (size_t i = 0; i < NPRAGMAS; i++) {
    const char *got = query(db, pragmas[i]);
    if (strcmp(got, want[i]) != 0) TEST_FAIL_("%s: lode \"%s\", sqlite3 \"%s\"", pragmas[i], got, want[i]);
  }
  /* a composite key numbers its columns in key order */
  CHECK_EQ_STR(query(db, "PRAGMA table_info(q)"), "0|a||0||2\n1|b||0||0\n2|c||0||1\n");
  CHECK_EQ_STR(query(db, "PRAGMA index_list(t)"),
               "0|i3|0|c|0\n1|i2|1|c|1\n2|i1|0|c|0\n3|sqlite_autoindex_t_4|1|u|0\n4|sqlite_autoindex_t_3|1|u|0\n"
               "5|sqlite_autoindex_t_2|1|pk|0\n6|sqlite_autoindex_t_1|1|u|0\n");
  lode_close(db);
}

/* Tables with indexes in a file sqlite3 wrote take writes and index DDL;
** afterwards sqlite3 finds the file intact and its indexes complete. */
TEST(indexed_tables_of_sqlite3_files_are_writable) {
  if (!have_sqlite3()) return;
  const char *path = sqlite3_file("rw.db", "CREATE TABLE t(a UNIQUE, b); INSERT INTO t VALUES (1, 2);"
                                           "CREATE TABLE u(a, b); CREATE INDEX ub ON u(b); INSERT INTO u VALUES (5, 6);");
  lode *db;
  CHECK(path != NULL);
  if (!path) return;
  CHECK_EQ_INT(open_loaded(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT a, b FROM t"), "1|2\n");
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (3, 4)"), "");
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (3, 5)"), "ERROR 2067: UNIQUE constraint failed: t.a");
  CHECK_EQ_STR(query(db, "INSERT INTO u VALUES (7, 8), (9, 6); DELETE FROM u WHERE a = 5"), "");
  CHECK_EQ_STR(query(db, "CREATE INDEX ua ON u(a)"), "");
  CHECK_EQ_STR(query(db, "DROP INDEX ub"), "");
  CHECK_EQ_STR(query(db, "REINDEX"), "");
  CHECK_EQ_STR(query(db, "CREATE TABLE v(a UNIQUE, b PRIMARY KEY); INSERT INTO v VALUES (1, 'x'), (NULL, 'y')"), "");
  CHECK_EQ_STR(query(db, "INSERT INTO v VALUES (2, 'x')"), "ERROR 1555: UNIQUE constraint failed: v.b");
  lode_close(db);
  char out[4096];
  CHECK_EQ_INT(run_sqlite3(path,
                           "PRAGMA integrity_check; SELECT a FROM t INDEXED BY sqlite_autoindex_t_1 WHERE a > 0;"
                           "SELECT a FROM u INDEXED BY ua WHERE a > 0; SELECT name FROM sqlite_schema;",
                           out, sizeof out),
               0);
  CHECK_EQ_STR(out, "ok\n1\n3\n7\n9\nt\nsqlite_autoindex_t_1\nu\nua\nv\nsqlite_autoindex_v_1\n"
                    "sqlite_autoindex_v_2\n");
}

/* A row of sqlite_schema changed behind SQLite's back (writable_schema):
** Lode refuses the file with the message sqlite3 3.40 gives. */
static void check_malformed(const char *change, const char *message) {
  char sql[1024], want[1024];
  const char *path = sqlite3_file("bad.db", "CREATE TABLE t(a UNIQUE, b); CREATE INDEX i ON t(b); CREATE TABLE u(x);");
  lode *db;
  CHECK(path != NULL);
  if (!path) return;
  snprintf(sql, sizeof sql, "PRAGMA writable_schema=ON; %s;", change);
  CHECK_EQ_INT(run_sqlite3(path, sql, want, sizeof want), 0);
  CHECK_EQ_INT(run_sqlite3(path, "SELECT * FROM u;", want, sizeof want), 256); /* sqlite3 refuses it too */
  CHECK_EQ_INT(open_loaded(path, &db), LODE_CORRUPT);
  CHECK_EQ_STR(lode_errmsg(db), message);
  CHECK(strstr(want, message) != NULL);
  lode_close(db);
  /* again: the texts parsed by the first load (kept for the process) are checked the same way */
  CHECK_EQ_INT(open_loaded(path, &db), LODE_CORRUPT);
  CHECK_EQ_STR(lode_errmsg(db), message);
  lode_close(db);
}

TEST(malformed_index_rows_are_refused_like_sqlite) {
  if (!have_sqlite3()) return;
  check_malformed("UPDATE sqlite_schema SET name='sqlite_autoindex_t_7' WHERE name='sqlite_autoindex_t_1'",
                  "malformed database schema (sqlite_autoindex_t_7) - orphan index");
  check_malformed("UPDATE sqlite_schema SET sql='CREATE INDEX i ON nope(b)', tbl_name='nope' WHERE name='i'",
                  "malformed database schema (i) - no such table: main.nope");
  check_malformed("UPDATE sqlite_schema SET sql='CREATE INDEX i ON t(zz)' WHERE name='i'",
                  "malformed database schema (i) - no such column: zz");
  check_malformed("UPDATE sqlite_schema SET sql='CREATE INDEX i ON t(b' WHERE name='i'",
                  "malformed database schema (i) - incomplete input");
  check_malformed("UPDATE sqlite_schema SET tbl_name='u' WHERE name='i'", "malformed database schema (i)");
  check_malformed("UPDATE sqlite_schema SET rootpage=0 WHERE name='sqlite_autoindex_t_1'",
                  "malformed database schema (sqlite_autoindex_t_1) - invalid rootpage");
  check_malformed("UPDATE sqlite_schema SET sql='CREATE TABLE z(q)' WHERE name='i'", "malformed database schema (i)");
  check_malformed("UPDATE sqlite_schema SET name='j' WHERE name='i'", "malformed database schema (j)");
  check_malformed("UPDATE sqlite_schema SET sql='CREATE TABLE t(a, b, UNIQUE(c))' WHERE name='t'",
                  "malformed database schema (t) - no such column: c");
}

/* SQLite checks each row's type, name and tbl_name against its CREATE text,
** views and triggers included, and refuses a name with a schema qualifier. */
TEST(schema_rows_that_disagree_with_their_text_are_refused_like_sqlite) {
  if (!have_sqlite3()) return;
  check_malformed("UPDATE sqlite_schema SET tbl_name=NULL WHERE name='u'", "malformed database schema (u)");
  check_malformed("UPDATE sqlite_schema SET tbl_name='ux' WHERE name='u'", "malformed database schema (u)");
  check_malformed("UPDATE sqlite_schema SET type='tabl' WHERE name='u'", "malformed database schema (u)");
  check_malformed("UPDATE sqlite_schema SET type='view' WHERE name='i'", "malformed database schema (i)");
  check_malformed("CREATE VIEW v2 AS SELECT 1; UPDATE sqlite_schema SET name='v3', tbl_name='v3' WHERE name='v2'",
                  "malformed database schema (v3)");
  check_malformed("CREATE TRIGGER r AFTER INSERT ON t BEGIN SELECT 1; END;"
                  "UPDATE sqlite_schema SET tbl_name='u' WHERE name='r'",
                  "malformed database schema (r)");
  check_malformed("CREATE TRIGGER r AFTER INSERT ON t BEGIN SELECT 1; END; UPDATE sqlite_schema SET type='view' "
                  "WHERE name='r'",
                  "malformed database schema (r)");
  check_malformed("UPDATE sqlite_schema SET sql='CREATE INDEX main.i ON t(b)' WHERE name='i'",
                  "malformed database schema (i) - corrupt database");
  check_malformed("UPDATE sqlite_schema SET sql='CREATE TABLE main.u(x)' WHERE name='u'",
                  "malformed database schema (u) - corrupt database");
}

/* A virtual table may take the name sqlite_stat1 under writable_schema: it
** holds no statistics, so loading the schema skips it (it used to read its
** root page 0 as a b-tree and call the schema corrupt), and ANALYZE, which
** would write into it, reports the database malformed as SQLite does. */
TEST(a_virtual_table_named_sqlite_stat1_is_not_read_as_statistics) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t1(x); INSERT INTO t1 VALUES(123); PRAGMA writable_schema=ON;"
                         "CREATE VIRTUAL TABLE sqlite_stat1 USING fts5(a); PRAGMA writable_schema=OFF;"
                         "CREATE VIRTUAL TABLE t3 USING fts5(b); INSERT INTO t3 VALUES('this is a test')"),
               "");
  CHECK_EQ_STR(query(db, "SELECT * FROM t1; SELECT * FROM t3 WHERE t3 MATCH 'this'"), "123\nthis is a test\n");
  CHECK_EQ_STR(query(db, "INSERT INTO sqlite_stat1(a) VALUES('x'); SELECT * FROM sqlite_stat1"), "x\n");
  CHECK_EQ_STR(query(db, "ANALYZE"), "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

/* SQLite loads a file whose autoindex row is gone (the index then has no
** b-tree); so does Lode, and integrity_check reports the orphaned page. */
TEST(missing_autoindex_row_leaves_the_index_without_root) {
  if (!have_sqlite3()) return;
  char out[256];
  const char *path = sqlite3_file("noauto.db", "CREATE TABLE t(a UNIQUE, b);");
  lode *db;
  CHECK(path != NULL);
  if (!path) return;
  CHECK_EQ_INT(run_sqlite3(path, "PRAGMA writable_schema=ON; DELETE FROM sqlite_schema WHERE type='index';", out,
                           sizeof out),
               0);
  CHECK_EQ_INT(open_loaded(path, &db), LODE_OK);
  Index *ix = index_named(db, "sqlite_autoindex_t_1");
  CHECK(ix != NULL);
  if (ix) CHECK_EQ_INT(ix->root, 0);
  CHECK_EQ_INT(db->schema->nindexes, 0);
  CHECK_EQ_STR(query(db, "PRAGMA index_list(t)"), "0|sqlite_autoindex_t_1|1|u|0\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "*** in database main ***\nPage 3: never used\n");
  lode_close(db);
}

/* ---- building from statements, without a file -------------------------------------- */

static Arena arena;

static Table *table_of(const char *sql, char **err) {
  Stmt *st = NULL;
  *err = NULL;
  arena_free(&arena);
  arena_init(&arena);
  if (sql_parse(&arena, sql, -1, &st, NULL, err) != LODE_OK || !st) return NULL;
  return table_from_ast(st, 2, sql, err);
}

/* The message of index_from_ast for sql on t, or "OK". */
static const char *index_error(Table *t, const char *sql) {
  static char msg[256];
  Arena a;
  Stmt *st = NULL;
  char *err = NULL;
  Index *ix;
  arena_init(&a);
  if (sql_parse(&a, sql, -1, &st, NULL, &err) != LODE_OK || !st) {
    snprintf(msg, sizeof msg, "parse: %s", err ? err : "?");
  } else {
    ix = index_from_ast(st, t, 3, sql, &a, &err);
    snprintf(msg, sizeof msg, "%s", ix ? "OK" : err ? err : "(no message)");
    index_free(ix);
  }
  util_free(err);
  arena_free(&a);
  return msg;
}

TEST(table_definitions_refused_like_sqlite) {
  char *err;
  Table *t = table_of("CREATE TABLE z(b UNIQUE ON CONFLICT REPLACE, UNIQUE(b) ON CONFLICT IGNORE)", &err);
  CHECK(t == NULL);
  CHECK_EQ_STR(err, "conflicting ON CONFLICT clauses specified");
  util_free(err);
  t = table_of("CREATE TABLE z(b UNIQUE ON CONFLICT REPLACE PRIMARY KEY ON CONFLICT IGNORE)", &err);
  CHECK(t == NULL);
  CHECK_EQ_STR(err, "conflicting ON CONFLICT clauses specified");
  util_free(err);
  t = table_of("CREATE TABLE z(a) WITHOUT ROWID", &err);
  CHECK(t == NULL);
  CHECK_EQ_STR(err, "PRIMARY KEY missing on table z");
  util_free(err);
  t = table_of("CREATE TABLE z(a, UNIQUE(x))", &err);
  CHECK(t == NULL);
  CHECK_EQ_STR(err, "no such column: x");
  util_free(err);
  /* what codegen's CREATE TABLE will create: the autoindexes, in order */
  t = table_of("CREATE TABLE z(a PRIMARY KEY, b UNIQUE, c, UNIQUE(c, b))", &err);
  CHECK(t != NULL);
  if (t) {
    CHECK_EQ_INT(t->nautoindexes, 3);
    for (int i = 0; i < t->nautoindexes; i++) CHECK_EQ_INT(t->autoindexes[i]->root, 0);
    if (t->nautoindexes == 3) CHECK_EQ_STR(t->autoindexes[2]->name, "sqlite_autoindex_z_3");
    table_free(t);
  }
}

TEST(index_definitions_refused_like_sqlite) {
  char *err;
  Table *t = table_of("CREATE TABLE t(a, b)", &err);
  CHECK(t != NULL);
  if (!t) return;
  CHECK_EQ_STR(index_error(t, "CREATE INDEX i ON t(a, b DESC, a + b, \"q\")"), "OK");
  CHECK_EQ_STR(index_error(t, "CREATE INDEX i ON t(x)"), "no such column: x");
  CHECK_EQ_STR(index_error(t, "CREATE INDEX i ON t('x')"), "no such column: x");
  CHECK_EQ_STR(index_error(t, "CREATE INDEX i ON t(rowid)"), "no such column: rowid");
  CHECK_EQ_STR(index_error(t, "CREATE INDEX i ON t(t.a)"), "the \".\" operator prohibited in index expressions");
  CHECK_EQ_STR(index_error(t, "CREATE INDEX i ON t(u.a)"), "no such column: u.a");
  CHECK_EQ_STR(index_error(t, "CREATE INDEX i ON t(a) WHERE t.a > 0"), "OK");
  CHECK_EQ_STR(index_error(t, "CREATE INDEX i ON t(a) WHERE u.a"), "no such column: u.a");
  CHECK_EQ_STR(index_error(t, "CREATE INDEX i ON t(a) WHERE x > 1"), "no such column: x");
  /* A first term that names no column comes before the condition, the others after it. */
  CHECK_EQ_STR(index_error(t, "CREATE INDEX i ON t(x) WHERE y > 1"), "no such column: x");
  CHECK_EQ_STR(index_error(t, "CREATE INDEX i ON t(a, x) WHERE y > 1"), "no such column: y");
  CHECK_EQ_STR(index_error(t, "CREATE INDEX i ON t(a + x) WHERE y > 1"), "no such column: y");
  CHECK_EQ_STR(index_error(t, "CREATE INDEX i ON t((SELECT 1))"), "subqueries prohibited in index expressions");
  CHECK_EQ_STR(index_error(t, "CREATE INDEX i ON t(a) WHERE (SELECT 1)"),
               "subqueries prohibited in partial index WHERE clauses");
  CHECK_EQ_STR(index_error(t, "CREATE INDEX i ON t(?)"), "parameters prohibited in index expressions");
  CHECK_EQ_STR(index_error(t, "CREATE INDEX i ON t(a) WHERE a = ?"),
               "parameters prohibited in partial index WHERE clauses");
  table_free(t);
}

/* Connections that load one CREATE TABLE text (parsed once per process) each
** have a table of their own: its root page is the row's, a change one
** connection makes is seen by another of the same file at its next
** statement, and never by a connection of another file. */
TEST(tables_of_one_text_stay_apart_between_connections_and_files) {
  char a[600], b[600];
  lode *da = NULL, *da2 = NULL, *db = NULL;
  snprintf(a, sizeof a, "%s/same_a.db", tmpdir);
  snprintf(b, sizeof b, "%s/same_b.db", tmpdir);
  remove_db(a);
  remove_db(b);
  CHECK_EQ_INT(lode_open(a, &da), LODE_OK);
  CHECK_EQ_INT(lode_open(b, &db), LODE_OK);
  CHECK_EQ_STR(query(da, "CREATE TABLE t(x, y); INSERT INTO t VALUES(1, 'a')"), "");
  CHECK_EQ_STR(query(db, "CREATE TABLE first(z); CREATE TABLE t(x, y); INSERT INTO t VALUES(2, 'b')"), "");
  CHECK_EQ_INT(lode_open(a, &da2), LODE_OK);
  CHECK_EQ_STR(query(da2, "SELECT x, y FROM t"), "1|a\n");
  CHECK_EQ_STR(query(db, "SELECT x, y FROM t"), "2|b\n");
  CHECK_EQ_STR(query(da, "ALTER TABLE t ADD COLUMN c DEFAULT 7"), "");
  CHECK_EQ_STR(query(da2, "SELECT x, c FROM t"), "1|7\n");
  CHECK_EQ_STR(query(db, "SELECT c FROM t"), "ERROR 1: no such column: c");
  CHECK_EQ_STR(query(db, "SELECT sql FROM sqlite_schema WHERE name = 't'"), "CREATE TABLE t(x, y)\n");
  /* a view and a trigger of one text in both files: each file's rows are its own */
  CHECK_EQ_STR(query(da, "CREATE VIEW v AS SELECT x FROM t; CREATE TABLE log(m);"
                         "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES(new.x); END"), "");
  CHECK_EQ_STR(query(db, "CREATE VIEW v AS SELECT x FROM t; CREATE TABLE log(m);"
                         "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES(new.x * 10); END"), "");
  CHECK_EQ_STR(query(da2, "INSERT INTO t(x, y) VALUES(3, 'c'); SELECT * FROM log; SELECT * FROM v ORDER BY x"),
               "3\n1\n3\n");
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES(4, 'd'); SELECT * FROM log; SELECT count(*) FROM v"), "40\n2\n");
  lode_close(da);
  lode_close(da2);
  lode_close(db);
  /* reopened, every file still has its own table */
  CHECK_EQ_INT(lode_open(b, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT * FROM t"), "2|b\n4|d\n");
  lode_close(db);
  remove_db(a);
  remove_db(b);
}

int main(void) {
  snprintf(tmpdir, sizeof tmpdir, "/tmp/lode_test_schema_%d", (int)getpid());
  snprintf(script_path, sizeof script_path, "%s/script.sql", tmpdir);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "mkdir -p %s", tmpdir);
  if (system(cmd) != 0) return 1;
  arena_init(&arena);
  RUN(autoindexes_are_numbered_merged_and_matched_to_their_rows);
  RUN(primary_keys_that_are_rowids_imply_no_index);
  RUN(replace_indexes_come_last);
  RUN(create_index_objects_keep_terms_condition_and_text);
  RUN(without_rowid_tables_are_their_primary_key_index);
  RUN(index_pragmas_match_sqlite3);
  RUN(indexed_tables_of_sqlite3_files_are_writable);
  RUN(malformed_index_rows_are_refused_like_sqlite);
  RUN(schema_rows_that_disagree_with_their_text_are_refused_like_sqlite);
  RUN(a_virtual_table_named_sqlite_stat1_is_not_read_as_statistics);
  RUN(missing_autoindex_row_leaves_the_index_without_root);
  RUN(table_definitions_refused_like_sqlite);
  RUN(index_definitions_refused_like_sqlite);
  RUN(tables_of_one_text_stay_apart_between_connections_and_files);
  arena_free(&arena);
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
  if (system(cmd) != 0) return 1;
  return test_summary();
}
