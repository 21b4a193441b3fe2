/*
** test_fkey.c — FOREIGN KEY constraints through the public C API: the
** extended result codes SQLite gives (CONSTRAINT_FOREIGNKEY for counted
** violations, CONSTRAINT_TRIGGER for RESTRICT), a COMMIT that fails on
** deferred violations and leaves the transaction open, statements compiled
** before PRAGMA foreign_keys changed, and a failed statement that leaves
** the tables as they were.
*/
#include <stdio.h>
#include <string.h>

#include "lode.h"
#include "testlib.h"

static lode *open_fk(void) {
  lode *db = NULL;
  if (lode_open(":memory:", &db) != LODE_OK) return NULL;
  if (lode_exec(db,
                "PRAGMA foreign_keys = ON;"
                "CREATE TABLE p(id INTEGER PRIMARY KEY);"
                "CREATE TABLE c(x REFERENCES p ON DELETE CASCADE);"
                "CREATE TABLE d(x REFERENCES p DEFERRABLE INITIALLY DEFERRED);"
                "CREATE TABLE r(x REFERENCES p ON DELETE RESTRICT);"
                "INSERT INTO p VALUES (1), (2), (3);",
                NULL) != LODE_OK) {
    lode_close(db);
    return NULL;
  }
  return db;
}

static int64_t count(lode *db, const char *sql) {
  lode_stmt *st = NULL;
  int64_t n = -1;
  if (lode_prepare(db, sql, -1, &st, NULL) != LODE_OK) return -1;
  if (lode_step(st) == LODE_ROW) n = lode_column_int64(st, 0);
  lode_finalize(st);
  return n;
}

TEST(immediate_violation_is_constraint_foreignkey) {
  lode *db = open_fk();
  CHECK(db != NULL);
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO c VALUES (9)", NULL), LODE_CONSTRAINT_FOREIGNKEY);
  CHECK_EQ_INT(lode_extended_errcode(db), LODE_CONSTRAINT_FOREIGNKEY);
  CHECK_EQ_STR(lode_errmsg(db), "FOREIGN KEY constraint failed");
  CHECK_EQ_INT(count(db, "SELECT count(*) FROM c"), 0);
  lode_close(db);
}

TEST(restrict_is_constraint_trigger) {
  lode *db = open_fk();
  CHECK(db != NULL);
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO r VALUES (1)", NULL), LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "DELETE FROM p WHERE id = 1", NULL), LODE_CONSTRAINT_TRIGGER);
  CHECK_EQ_INT(lode_extended_errcode(db), LODE_CONSTRAINT_TRIGGER);
  CHECK_EQ_INT(count(db, "SELECT count(*) FROM p"), 3);
  lode_close(db);
}

TEST(deferred_violation_fails_commit_and_keeps_transaction) {
  lode *db = open_fk();
  CHECK(db != NULL);
  CHECK_EQ_INT(lode_exec(db, "BEGIN; INSERT INTO d VALUES (7)", NULL), LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "COMMIT", NULL), LODE_CONSTRAINT_FOREIGNKEY);
  CHECK_EQ_INT(lode_extended_errcode(db), LODE_CONSTRAINT_FOREIGNKEY);
  CHECK_EQ_INT(lode_get_autocommit(db), 0);
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO p VALUES (7); COMMIT", NULL), LODE_OK);
  CHECK_EQ_INT(lode_get_autocommit(db), 1);
  CHECK_EQ_INT(count(db, "SELECT count(*) FROM d"), 1);
  lode_close(db);
}

TEST(failed_cascade_changes_nothing) {
  lode *db = open_fk();
  CHECK(db != NULL);
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO c VALUES (1), (1), (2); INSERT INTO r VALUES (2)", NULL), LODE_OK);
  /* Row 1's children go first, then row 2's RESTRICT fails the statement. */
  CHECK_EQ_INT(lode_exec(db, "DELETE FROM p WHERE id IN (1, 2)", NULL), LODE_CONSTRAINT_TRIGGER);
  CHECK_EQ_INT(count(db, "SELECT count(*) FROM c"), 3);
  CHECK_EQ_INT(count(db, "SELECT count(*) FROM p"), 3);
  CHECK_EQ_INT(lode_exec(db, "DELETE FROM p WHERE id = 1", NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 1); /* the cascade's rows do not count */
  CHECK_EQ_INT(count(db, "SELECT count(*) FROM c"), 1);
  lode_close(db);
}

TEST(statement_prepared_before_pragma_follows_it) {
  lode *db = open_fk();
  lode_stmt *st = NULL;
  CHECK(db != NULL);
  CHECK_EQ_INT(lode_prepare(db, "INSERT INTO c VALUES (42)", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "PRAGMA foreign_keys = OFF", NULL), LODE_OK);
  CHECK_EQ_INT(lode_step(st), LODE_DONE);
  CHECK_EQ_INT(lode_reset(st), LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "PRAGMA foreign_keys = ON", NULL), LODE_OK);
  CHECK_EQ_INT(lode_step(st), LODE_CONSTRAINT_FOREIGNKEY);
  lode_finalize(st);
  CHECK_EQ_INT(count(db, "SELECT count(*) FROM c WHERE x = 42"), 1);
  lode_close(db);
}

int main(void) {
  RUN(immediate_violation_is_constraint_foreignkey);
  RUN(restrict_is_constraint_trigger);
  RUN(deferred_violation_fails_commit_and_keeps_transaction);
  RUN(failed_cascade_changes_nothing);
  RUN(statement_prepared_before_pragma_follows_it);
  return test_summary();
}
