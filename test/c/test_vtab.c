/*
** test_vtab.c — the virtual-table interface (engine/src/vtab): the module
** registry and schema columns, modules driven directly through their
** callbacks (best_index, open, filter, next, eof, column, rowid, close),
** and table-valued functions end to end through lode.h: arguments,
** correlated arguments, LEFT JOIN, errors raised in the middle of a scan,
** and statements run again after a reset.  Run under ASan (make SAN=1
** test-c) it also checks that cursors free what they hold.
*/
#include "testdb.h"
#include "testlib.h"
#include "vtab/vtab.h"

TEST(registry) {
  CHECK(vtab_find_module("json_each") == &vtab_json_each);
  CHECK(vtab_find_module("JSON_TREE") == &vtab_json_tree);
  CHECK(vtab_find_module("generate_series") == &vtab_generate_series);
  CHECK(vtab_find_module("pragma_table_info") == &vtab_pragma_table_info);
  CHECK(vtab_find_module("nosuch") == NULL);
  CHECK(vtab_find_module(NULL) == NULL);
}

TEST(schema_columns) {
  char buf[256];
  const char *names[VTAB_MAX_COLUMNS];
  int hidden[VTAB_MAX_COLUMNS];
  int n = vtab_columns(&vtab_json_each, buf, sizeof buf, names, hidden, VTAB_MAX_COLUMNS);
  CHECK_EQ_INT(n, 10);
  CHECK_EQ_STR(names[0], "key");
  CHECK_EQ_STR(names[7], "path");
  CHECK_EQ_STR(names[8], "json");
  CHECK_EQ_INT(hidden[7], 0);
  CHECK_EQ_INT(hidden[8], 1);
  CHECK_EQ_INT(hidden[9], 1);
  n = vtab_columns(&vtab_generate_series, buf, sizeof buf, names, hidden, VTAB_MAX_COLUMNS);
  CHECK_EQ_INT(n, 4);
  CHECK_EQ_INT(hidden[0] + hidden[1] + hidden[2] + hidden[3], 3);
  /* too small a buffer or too few slots: refused, not overrun */
  CHECK_EQ_INT(vtab_columns(&vtab_json_each, buf, 8, names, hidden, VTAB_MAX_COLUMNS), -1);
  CHECK_EQ_INT(vtab_columns(&vtab_json_each, buf, sizeof buf, names, hidden, 3), -1);
}

TEST(series_direct) {
  const VtabModule *m = &vtab_generate_series;
  VtabConstraint cons[3] = {{1, VTAB_OP_EQ, 1, 0, 0}, {2, VTAB_OP_EQ, 1, 0, 0}, {0, VTAB_OP_GT, 1, 0, 0}};
  VtabIndexInfo info;
  memset(&info, 0, sizeof info);
  info.ncons = 3;
  info.cons = cons;
  CHECK_EQ_INT(m->best_index(m, &info), LODE_OK);
  CHECK_EQ_INT(cons[0].argv_index, 1);
  CHECK_EQ_INT(cons[1].argv_index, 2);
  CHECK_EQ_INT(cons[2].argv_index, 0); /* left to the caller */
  VtabCursor *c = NULL;
  CHECK_EQ_INT(m->open(m, &c), LODE_OK);
  Mem a, b, out;
  mem_init(&a);
  mem_init(&b);
  mem_init(&out);
  mem_set_int(&a, 3);
  mem_set_int(&b, 7);
  Mem *argv[2] = {&a, &b};
  CHECK_EQ_INT(m->filter(c, info.idx_num, 2, argv), LODE_OK);
  int64_t sum = 0, rows = 0, rowid = 0;
  for (; !m->eof(c); m->next(c)) {
    CHECK_EQ_INT(m->column(c, 0, &out), LODE_OK);
    sum += mem_as_int(&out);
    rows++;
    m->rowid(c, &rowid);
  }
  CHECK_EQ_INT(rows, 5);
  CHECK_EQ_INT(sum, 25);
  CHECK_EQ_INT(rowid, 5);
  /* a second scan on the same cursor starts afresh */
  mem_set_null(&b);
  CHECK_EQ_INT(m->filter(c, info.idx_num, 2, argv), LODE_OK);
  CHECK(m->eof(c));
  m->close(c);
  mem_release(&out);
  /* no start: refused with SQLite's message */
  VtabConstraint stop_only = {2, VTAB_OP_EQ, 1, 0, 0};
  memset(&info, 0, sizeof info);
  info.ncons = 1;
  info.cons = &stop_only;
  CHECK_EQ_INT(m->best_index(m, &info), LODE_ERROR);
  CHECK(info.errmsg && strstr(info.errmsg, "generate_series") != NULL);
}

TEST(json_direct) {
  const VtabModule *m = &vtab_json_tree;
  VtabConstraint cons[1] = {{8, VTAB_OP_EQ, 1, 0, 0}};
  VtabIndexInfo info;
  memset(&info, 0, sizeof info);
  info.ncons = 1;
  info.cons = cons;
  CHECK_EQ_INT(m->best_index(m, &info), LODE_OK);
  CHECK_EQ_INT(cons[0].argv_index, 1);
  VtabCursor *c = NULL;
  CHECK_EQ_INT(m->open(m, &c), LODE_OK);
  Mem doc, out;
  mem_init(&doc);
  mem_init(&out);
  mem_set_text(&doc, "{\"a\":[1,{\"b\":null}],\"c\":\"x\"}", -1, MEM_STATIC);
  Mem *argv[1] = {&doc};
  CHECK_EQ_INT(m->filter(c, info.idx_num, 1, argv), LODE_OK);
  int rows = 0;
  char keys[256] = "";
  for (; !m->eof(c); m->next(c)) {
    CHECK_EQ_INT(m->column(c, 6, &out), LODE_OK); /* fullkey */
    strncat(keys, mem_as_text(&out, &(int){0}), sizeof keys - strlen(keys) - 2);
    strcat(keys, " ");
    rows++;
  }
  CHECK_EQ_INT(rows, 6);
  CHECK_EQ_STR(keys, "$ $.a $.a[0] $.a[1] $.a[1].b $.c ");
  /* malformed JSON: an error with its message, and the cursor is reusable */
  mem_set_text(&doc, "[1,", -1, MEM_STATIC);
  CHECK_EQ_INT(m->filter(c, info.idx_num, 1, argv), LODE_ERROR);
  CHECK_EQ_STR(c->errmsg, "malformed JSON");
  mem_set_text(&doc, "[7]", -1, MEM_STATIC);
  CHECK_EQ_INT(m->filter(c, info.idx_num, 1, argv), LODE_OK);
  CHECK(!m->eof(c));
  m->close(c);
  mem_release(&out);
}

TEST(end_to_end) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT key, value FROM json_each('[10,20]');"), "0|10\n1|20\n");
  CHECK_EQ_STR(query(db, "SELECT value FROM generate_series(1, 3);"), "1\n2\n3\n");
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, j);"
                         "INSERT INTO t VALUES (1, '[1,2]'), (2, '[]'), (3, '{\"k\":5}');"
                         "SELECT t.id, e.value FROM t LEFT JOIN json_each(t.j) e;"),
               "1|1\n1|2\n2|\n3|5\n");
  CHECK_EQ_STR(query(db, "SELECT name FROM pragma_table_info('t');"), "id\nj\n");
  CHECK_EQ_STR(query(db, "SELECT * FROM nosuch(1);"), "ERROR 1: no such table: nosuch");
  CHECK_EQ_STR(query(db, "SELECT * FROM json_each(1, 2, 3);"), "ERROR 1: too many arguments on json_each() - max 2");
  /* an error in the middle of a scan ends the statement with the module's message */
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (4, '[1,');"
                         "SELECT t.id, e.value FROM t, json_each(t.j) e;"),
               "ERROR 1: malformed JSON");
  /* a prepared statement runs again after a reset, with new arguments */
  lode_stmt *st = NULL;
  CHECK_EQ_INT(lode_prepare(db, "SELECT sum(value) FROM json_each(?1);", -1, &st, NULL), LODE_OK);
  for (int round = 0; round < 3; round++) {
    char doc[64];
    snprintf(doc, sizeof doc, "[%d,%d]", round, round * 10);
    lode_bind_text(st, 1, doc, -1, LODE_TRANSIENT);
    CHECK_EQ_INT(lode_step(st), LODE_ROW);
    CHECK_EQ_INT(lode_column_int64(st, 0), round * 11);
    lode_reset(st);
  }
  /* a statement stopped in the middle of a scan frees its cursors */
  lode_bind_text(st, 1, "[1,2,3]", -1, LODE_STATIC);
  lode_finalize(st);
  CHECK_EQ_INT(lode_prepare(db, "SELECT value FROM json_tree('[[1],[2],[3]]');", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  lode_finalize(st);
  lode_close(db);
}

/* json_each/json_tree read the document before looking at a NULL root, and read a BLOB that is not JSONB as
** JSON text; json_extract takes its paths in order, so a bad one before a NULL one is still an error. */
TEST(json_arguments_in_sqlite_order) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT * FROM json_each('abc', NULL);"), "ERROR 1: malformed JSON");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM json_each('[1]', NULL);"), "0\n");
  CHECK_EQ_STR(query(db, "SELECT key, value FROM json_each(x'5b31305d');"), "0|10\n");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM json_tree(x'7b7d');"), "1\n");
  CHECK_EQ_STR(query(db, "SELECT * FROM json_each(x'7b');"), "ERROR 1: malformed JSON");
  CHECK_EQ_STR(query(db, "SELECT json_extract('[1]', 'a', NULL);"), "ERROR 1: bad JSON path: 'a'");
  CHECK_EQ_STR(query(db, "SELECT json_extract('[1]', NULL, 'a') IS NULL;"), "1\n");
  CHECK_EQ_STR(query(db, "SELECT json_extract('[1,2]', '$[1]', '$[0]');"), "[2,1]\n");
  lode_close(db);
}

int main(void) {
  RUN(registry);
  RUN(schema_columns);
  RUN(series_direct);
  RUN(json_direct);
  RUN(end_to_end);
  RUN(json_arguments_in_sqlite_order);
  return test_summary();
}
