/*
** test_cdc.c — change data capture through the C API: the pragma's
** refusals and read-back, what the records hold, and that records live and
** die with the changes they describe (statement and transaction rollback,
** failed constraints, other connections, expired statements).
*/
#include "testdb.h"
#include "testlib.h"

static lode *open_mem(void) {
  lode *db = NULL;
  if (lode_open(":memory:", &db) != LODE_OK) return NULL;
  return db;
}

static int exec(lode *db, const char *sql) { return lode_exec(db, sql, NULL); }

/* The first column of every row, joined with '|' (NULL as "-"). */
static void column_list(lode *db, const char *sql, char *out, size_t n) {
  lode_stmt *st = NULL;
  size_t len = 0;
  out[0] = 0;
  if (lode_prepare(db, sql, -1, &st, NULL) != LODE_OK || !st) {
    snprintf(out, n, "error: %s", lode_errmsg(db));
    return;
  }
  while (lode_step(st) == LODE_ROW) {
    const char *v = (const char *)lode_column_text(st, 0);
    int w = snprintf(out + len, n - len, "%s%s", len ? "|" : "", v ? v : "-");
    if (w < 0 || (size_t)w >= n - len) break;
    len += (size_t)w;
  }
  lode_finalize(st);
}

#define KINDS "SELECT change_type || ':' || coalesce(table_name, '') || ':' || coalesce(id, '') FROM turso_cdc"

TEST(cdc_bad_mode_is_refused_with_the_modes_listed) {
  lode *db = open_mem();
  CHECK_EQ_INT(exec(db, "PRAGMA capture_data_changes_conn('sometimes')"), LODE_ERROR);
  CHECK(strstr(lode_errmsg(db), "one of off|id|before|after|full") != NULL);
  CHECK_EQ_INT(exec(db, "PRAGMA unstable_capture_data_changes_conn('full,a,b')"), LODE_ERROR);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM sqlite_schema"), 0);
  lode_close(db);
}

TEST(cdc_mode_reads_back_under_both_names) {
  lode *db = open_mem();
  char got[256];
  lode_stmt *st = NULL;
  CHECK_EQ_INT(lode_prepare(db, "PRAGMA capture_data_changes_conn", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_STR((const char *)lode_column_text(st, 0), "off");
  CHECK(lode_column_type(st, 1) == LODE_NULL);
  lode_finalize(st);
  CHECK_EQ_INT(exec(db, "PRAGMA unstable_capture_data_changes_conn('before,log')"), LODE_OK);
  CHECK_EQ_INT(lode_prepare(db, "PRAGMA unstable_capture_data_changes_conn", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_STR((const char *)lode_column_text(st, 0), "before");
  CHECK_EQ_STR((const char *)lode_column_text(st, 1), "log");
  CHECK_EQ_STR((const char *)lode_column_text(st, 2), "v2");
  lode_finalize(st);
  column_list(db, "SELECT table_name || '=' || version FROM turso_cdc_version", got, sizeof got);
  CHECK_EQ_STR(got, "log=v2");
  lode_close(db);
}

TEST(cdc_without_rowid_tables_are_refused_while_capturing) {
  lode *db = open_mem();
  CHECK_EQ_INT(exec(db, "CREATE TABLE w(k PRIMARY KEY, v) WITHOUT ROWID; INSERT INTO w VALUES(1, 2)"), LODE_OK);
  CHECK_EQ_INT(exec(db, "PRAGMA capture_data_changes_conn('id')"), LODE_OK);
  CHECK_EQ_INT(exec(db, "INSERT INTO w VALUES(3, 4)"), LODE_ERROR);
  CHECK(strstr(lode_errmsg(db), "WITHOUT ROWID") != NULL);
  CHECK_EQ_INT(exec(db, "UPDATE w SET v = 0"), LODE_ERROR);
  CHECK_EQ_INT(exec(db, "DELETE FROM w"), LODE_ERROR);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM w"), 1);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM turso_cdc"), 0);
  CHECK_EQ_INT(exec(db, "PRAGMA capture_data_changes_conn('off')"), LODE_OK);
  CHECK_EQ_INT(exec(db, "INSERT INTO w VALUES(3, 4)"), LODE_OK);
  lode_close(db);
}

TEST(cdc_rolled_back_and_failed_changes_leave_no_records) {
  lode *db = open_mem();
  char got[512];
  CHECK_EQ_INT(exec(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE)"), LODE_OK);
  CHECK_EQ_INT(exec(db, "PRAGMA capture_data_changes_conn('id')"), LODE_OK);
  CHECK_EQ_INT(exec(db, "BEGIN; INSERT INTO t VALUES(1, 'x'); ROLLBACK"), LODE_OK);
  CHECK_EQ_INT(exec(db, "INSERT INTO t VALUES(2, 'y'), (3, 'y')"), LODE_CONSTRAINT_UNIQUE);
  CHECK_EQ_INT(exec(db, "BEGIN; INSERT INTO t VALUES(4, 'z')"), LODE_OK);
  CHECK_EQ_INT(exec(db, "INSERT INTO t VALUES(5, 'w'), (6, 'z')"), LODE_CONSTRAINT_UNIQUE);
  /* Inside the transaction its records are visible, without a commit record yet. */
  column_list(db, KINDS, got, sizeof got);
  CHECK_EQ_STR(got, "1:t:4");
  CHECK_EQ_INT(exec(db, "COMMIT"), LODE_OK);
  column_list(db, KINDS, got, sizeof got);
  CHECK_EQ_STR(got, "1:t:4|2::");
  column_list(db, "SELECT change_txn_id FROM turso_cdc", got, sizeof got);
  CHECK_EQ_STR(got, "1|1");
  lode_close(db);
}

TEST(cdc_changes_to_the_cdc_table_itself_are_not_captured) {
  lode *db = open_mem();
  CHECK_EQ_INT(exec(db, "CREATE TABLE t(a)"), LODE_OK);
  CHECK_EQ_INT(exec(db, "PRAGMA capture_data_changes_conn('full')"), LODE_OK);
  CHECK_EQ_INT(exec(db, "INSERT INTO t VALUES(1)"), LODE_OK);
  CHECK_EQ_INT(exec(db, "DELETE FROM turso_cdc WHERE change_id = 1"), LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM turso_cdc"), 1);
  /* AUTOINCREMENT: ids stay strictly increasing after deletes. */
  CHECK_EQ_INT(exec(db, "DELETE FROM turso_cdc"), LODE_OK);
  CHECK_EQ_INT(exec(db, "INSERT INTO t VALUES(2)"), LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT min(change_id) FROM turso_cdc"), 3);
  lode_close(db);
}

TEST(cdc_statements_prepared_before_enabling_capture_after_it) {
  lode *db = open_mem();
  lode_stmt *ins = NULL;
  CHECK_EQ_INT(exec(db, "CREATE TABLE t(a)"), LODE_OK);
  CHECK_EQ_INT(lode_prepare(db, "INSERT INTO t VALUES(7)", -1, &ins, NULL), LODE_OK);
  CHECK_EQ_INT(lode_step(ins), LODE_DONE);
  CHECK_EQ_INT(exec(db, "PRAGMA capture_data_changes_conn('id')"), LODE_OK);
  lode_reset(ins);
  CHECK_EQ_INT(lode_step(ins), LODE_DONE);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM turso_cdc WHERE table_name = 't'"), 1);
  CHECK_EQ_INT(exec(db, "PRAGMA capture_data_changes_conn('off')"), LODE_OK);
  lode_reset(ins);
  CHECK_EQ_INT(lode_step(ins), LODE_DONE);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM turso_cdc WHERE table_name = 't'"), 1);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), 3);
  lode_finalize(ins);
  lode_close(db);
}

TEST(cdc_capture_belongs_to_the_connection_that_enabled_it) {
  char path_buf[96];
  const char *path = tmp_db_path(path_buf, sizeof path_buf, "cdc_conn");
  lode *a = NULL, *b = NULL;
  remove_db(path);
  CHECK_EQ_INT(lode_open(path, &a), LODE_OK);
  CHECK_EQ_INT(lode_open(path, &b), LODE_OK);
  CHECK_EQ_INT(exec(a, "CREATE TABLE t(x)"), LODE_OK);
  CHECK_EQ_INT(exec(a, "PRAGMA capture_data_changes_conn('id')"), LODE_OK);
  CHECK_EQ_INT(exec(b, "INSERT INTO t VALUES('from b')"), LODE_OK);
  CHECK_EQ_INT(exec(a, "INSERT INTO t VALUES('from a')"), LODE_OK);
  CHECK_EQ_INT(query_int(b, "SELECT count(*) FROM turso_cdc WHERE table_name = 't'"), 1);
  CHECK_EQ_INT(query_int(b, "SELECT id FROM turso_cdc WHERE table_name = 't'"), 2);
  lode_close(a);
  lode_close(b);
  remove_db(path);
}

TEST(cdc_triggers_and_cascades_are_captured_in_their_statement) {
  lode *db = open_mem();
  char got[512];
  CHECK_EQ_INT(exec(db, "PRAGMA foreign_keys = ON; CREATE TABLE p(id INTEGER PRIMARY KEY);"
                        "CREATE TABLE c(id INTEGER PRIMARY KEY, pid REFERENCES p ON DELETE CASCADE);"
                        "CREATE TABLE log(x);"
                        "CREATE TRIGGER tr AFTER INSERT ON p BEGIN INSERT INTO log VALUES(new.id); END;"
                        "INSERT INTO p VALUES(1); INSERT INTO c VALUES(10, 1), (11, 1)"),
               LODE_OK);
  CHECK_EQ_INT(exec(db, "PRAGMA capture_data_changes_conn('id')"), LODE_OK);
  CHECK_EQ_INT(exec(db, "INSERT INTO p VALUES(2)"), LODE_OK);
  CHECK_EQ_INT(exec(db, "DELETE FROM p WHERE id = 1"), LODE_OK);
  column_list(db, KINDS, got, sizeof got);
  CHECK_EQ_STR(got, "1:p:2|1:log:2|2::|-1:p:1|-1:c:10|-1:c:11|2::");
  lode_close(db);
}

TEST(cdc_replace_records_the_row_it_removes_first) {
  lode *db = open_mem();
  char got[512];
  CHECK_EQ_INT(exec(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE); INSERT INTO t VALUES(1, 'x')"), LODE_OK);
  CHECK_EQ_INT(exec(db, "PRAGMA capture_data_changes_conn('before')"), LODE_OK);
  CHECK_EQ_INT(exec(db, "INSERT OR REPLACE INTO t VALUES(2, 'x')"), LODE_OK);
  CHECK_EQ_INT(exec(db, "UPDATE t SET a = 5"), LODE_OK);
  column_list(db, KINDS, got, sizeof got);
  CHECK_EQ_STR(got, "-1:t:1|1:t:2|2::|-1:t:2|1:t:5|2::");
  column_list(db, "SELECT quote(before) FROM turso_cdc WHERE change_type = -1", got, sizeof got);
  CHECK_EQ_STR(got, "X'03090F78'|X'03010F0278'");
  lode_close(db);
}

/* The CDC table is main's: rows and schema changes of temp and attached
** databases are not captured (nor do their statements write commit records). */
TEST(cdc_captures_main_only) {
  lode *db = open_mem();
  char got[512];
  CHECK_EQ_INT(exec(db, "PRAGMA capture_data_changes_conn('full'); CREATE TABLE m(x); CREATE TEMP TABLE t(y); "
                        "ATTACH ':memory:' AS aux; CREATE TABLE aux.a(z);"), LODE_OK);
  CHECK_EQ_INT(exec(db, "INSERT INTO m VALUES(1); INSERT INTO t VALUES(2); INSERT INTO aux.a VALUES(3); "
                        "UPDATE t SET y = 5; DELETE FROM aux.a; INSERT INTO m SELECT y FROM t;"), LODE_OK);
  column_list(db, KINDS, got, sizeof got);
  CHECK_EQ_STR(got, "1:sqlite_schema:5|2::|1:m:1|2::|1:m:2|2::");
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM aux.sqlite_schema WHERE name LIKE 'turso%'"), 0);
  lode_close(db);
}

TEST(cdc_a_commit_refused_for_deferred_foreign_keys_writes_no_record) {
  lode *db = open_mem();
  char got[256];
  CHECK_EQ_INT(exec(db, "PRAGMA foreign_keys = ON; CREATE TABLE p(id INTEGER PRIMARY KEY);"
                        "CREATE TABLE c(x REFERENCES p DEFERRABLE INITIALLY DEFERRED)"),
               LODE_OK);
  CHECK_EQ_INT(exec(db, "PRAGMA capture_data_changes_conn('id'); BEGIN; INSERT INTO c VALUES(5)"), LODE_OK);
  CHECK_EQ_INT(exec(db, "COMMIT"), LODE_CONSTRAINT_FOREIGNKEY);
  CHECK_EQ_INT(exec(db, "INSERT INTO p VALUES(5); COMMIT"), LODE_OK);
  column_list(db, KINDS, got, sizeof got);
  CHECK_EQ_STR(got, "1:c:1|1:p:5|2::");
  lode_close(db);
}

TEST(cdc_dropping_the_cdc_table_while_capturing_is_not_captured) {
  lode *db = open_mem();
  CHECK_EQ_INT(exec(db, "PRAGMA capture_data_changes_conn('full'); CREATE TABLE t(a)"), LODE_OK);
  CHECK_EQ_INT(exec(db, "DROP TABLE turso_cdc"), LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'turso_cdc'"), 0);
  CHECK_EQ_INT(exec(db, "INSERT INTO t VALUES(1)"), LODE_ERROR);
  CHECK(strstr(lode_errmsg(db), "no such table: turso_cdc") != NULL);
  CHECK_EQ_INT(exec(db, "PRAGMA capture_data_changes_conn('full')"), LODE_OK);
  CHECK_EQ_INT(exec(db, "INSERT INTO t VALUES(1)"), LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM turso_cdc"), 2);
  lode_close(db);
}

int main(void) {
  RUN(cdc_bad_mode_is_refused_with_the_modes_listed);
  RUN(cdc_mode_reads_back_under_both_names);
  RUN(cdc_without_rowid_tables_are_refused_while_capturing);
  RUN(cdc_rolled_back_and_failed_changes_leave_no_records);
  RUN(cdc_changes_to_the_cdc_table_itself_are_not_captured);
  RUN(cdc_statements_prepared_before_enabling_capture_after_it);
  RUN(cdc_capture_belongs_to_the_connection_that_enabled_it);
  RUN(cdc_triggers_and_cascades_are_captured_in_their_statement);
  RUN(cdc_replace_records_the_row_it_removes_first);
  RUN(cdc_captures_main_only);
  RUN(cdc_a_commit_refused_for_deferred_foreign_keys_writes_no_record);
  RUN(cdc_dropping_the_cdc_table_while_capturing_is_not_captured);
  return test_summary();
}
