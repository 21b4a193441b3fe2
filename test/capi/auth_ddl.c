/*
** auth_ddl.c — the authorizer and DDL: CREATE asks about inserting its
** row into sqlite_master (sqlite_temp_master for TEMP objects) and DROP
** about deleting it; SQLITE_DENY fails the statement with "not
** authorized", and SQLITE_IGNORE of such a question (or of the statement's
** own action: CREATE TABLE, SELECT, BEGIN, PRAGMA, ...) makes the statement
** do nothing, without an error.  PRAGMA passes its value and ALTER TABLE
** no database (DROP COLUMN its column instead); a refused read names the
** column's database once another is attached.  A function the authorizer
** ignores reads as NULL.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static int deny_code;          /* the action refused, 0: none */
static const char *deny_arg1;  /* and its first argument (NULL: any) */
static int deny_answer;        /* SQLITE_DENY or SQLITE_IGNORE */

static int auth(void *ctx, int code, const char *a1, const char *a2, const char *db, const char *trigger) {
  (void)ctx;
  (void)a2;
  (void)db;
  (void)trigger;
  if (code == deny_code && (!deny_arg1 || (a1 && strcmp(a1, deny_arg1) == 0))) return deny_answer;
  return SQLITE_OK;
}

/* Prints the PRAGMA and ALTER TABLE questions with their arguments. */
static int log_auth(void *ctx, int code, const char *a1, const char *a2, const char *db, const char *trigger) {
  (void)ctx;
  if (code == SQLITE_PRAGMA || code == SQLITE_ALTER_TABLE)
    printf(" {%d %s %s %s %s}", code, a1 ? a1 : "-", a2 ? a2 : "-", db ? db : "-", trigger ? trigger : "-");
  if (code == SQLITE_READ && a2 && strcmp(a2, "secret") == 0) return SQLITE_DENY;
  return SQLITE_OK;
}

static int print_row(void *ctx, int n, char **vals, char **names) {
  (void)ctx;
  (void)names;
  for (int i = 0; i < n; i++) printf("%s%s", i ? "|" : " ", vals[i] ? vals[i] : "NULL");
  return 0;
}

static void run(sqlite3 *db, const char *sql) {
  char *err = NULL;
  printf("%s:", sql);
  int rc = sqlite3_exec(db, sql, print_row, NULL, &err);
  printf(" [%d%s%s]\n", rc, err ? " " : "", err ? err : "");
  sqlite3_free(err);
}

/* Runs sql with the one answer, then lists the schema without it. */
static void with(sqlite3 *db, int code, const char *arg1, int answer, const char *sql) {
  deny_code = code;
  deny_arg1 = arg1;
  deny_answer = answer;
  printf("%s %d %s: ", answer == SQLITE_DENY ? "deny" : "ignore", code, arg1 ? arg1 : "*");
  run(db, sql);
  deny_code = 0;
  run(db, "SELECT type, name FROM sqlite_master ORDER BY name");
  run(db, "SELECT type, name FROM sqlite_temp_master ORDER BY name");
}

int main(void) {
  sqlite3 *db = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  sqlite3_set_authorizer(db, auth, NULL);
  with(db, SQLITE_INSERT, "sqlite_master", SQLITE_DENY, "CREATE TABLE t1(a, b)");
  with(db, SQLITE_INSERT, "sqlite_master", SQLITE_IGNORE, "CREATE TABLE t1(a, b)");
  with(db, SQLITE_CREATE_TABLE, NULL, SQLITE_IGNORE, "CREATE TABLE t1(a, b)");
  with(db, SQLITE_INSERT, "sqlite_temp_master", SQLITE_DENY, "CREATE TEMP TABLE t2(x)");
  with(db, 0, NULL, SQLITE_OK, "CREATE TABLE t1(a, b)");
  with(db, 0, NULL, SQLITE_OK, "CREATE TEMP TABLE t2(x)");
  with(db, SQLITE_INSERT, "sqlite_master", SQLITE_DENY, "CREATE INDEX i1 ON t1(a)");
  with(db, SQLITE_INSERT, "sqlite_temp_master", SQLITE_IGNORE, "CREATE INDEX i2 ON t2(x)");
  with(db, SQLITE_INSERT, "sqlite_master", SQLITE_DENY, "CREATE VIEW v1 AS SELECT a FROM t1");
  with(db, SQLITE_CREATE_TRIGGER, NULL, SQLITE_DENY, "CREATE TRIGGER r1 AFTER INSERT ON t1 BEGIN SELECT 1; END");
  with(db, SQLITE_INSERT, "sqlite_master", SQLITE_IGNORE,
       "CREATE TRIGGER r1 AFTER INSERT ON t1 BEGIN SELECT 1; END");
  with(db, 0, NULL, SQLITE_OK, "CREATE INDEX i1 ON t1(a)");
  with(db, 0, NULL, SQLITE_OK, "CREATE TRIGGER r1 AFTER INSERT ON t1 BEGIN SELECT 1; END");
  with(db, SQLITE_DELETE, "sqlite_master", SQLITE_DENY, "DROP TRIGGER r1");
  with(db, SQLITE_DELETE, "sqlite_master", SQLITE_IGNORE, "DROP INDEX i1");
  with(db, SQLITE_DELETE, "t1", SQLITE_DENY, "DROP TABLE t1");
  with(db, SQLITE_DELETE, "sqlite_temp_master", SQLITE_DENY, "DROP TABLE t2");
  with(db, SQLITE_DROP_TEMP_TABLE, NULL, SQLITE_IGNORE, "DROP TABLE t2");
  with(db, SQLITE_INSERT, "t1", SQLITE_IGNORE, "INSERT INTO t1 VALUES(1, 2)");
  with(db, 0, NULL, SQLITE_OK, "INSERT INTO t1 VALUES(3, 4)");
  with(db, SQLITE_SELECT, NULL, SQLITE_IGNORE, "SELECT * FROM t1");
  with(db, SQLITE_TRANSACTION, NULL, SQLITE_IGNORE, "BEGIN");
  printf("autocommit %d\n", sqlite3_get_autocommit(db));
  with(db, 0, NULL, SQLITE_OK, "DROP TABLE t1");
  sqlite3_set_authorizer(db, log_auth, NULL);
  run(db, "PRAGMA full_column_names = on");
  run(db, "PRAGMA cache_size = -500");
  run(db, "PRAGMA main.user_version = 7");
  run(db, "PRAGMA user_version");
  run(db, "CREATE TABLE t5(a, secret, c)");
  run(db, "ALTER TABLE t5 RENAME TO t6");
  run(db, "ALTER TABLE t6 ADD COLUMN d");
  run(db, "ALTER TABLE t6 RENAME COLUMN d TO e");
  run(db, "ALTER TABLE t6 DROP COLUMN e");
  run(db, "SELECT secret FROM t6");
  run(db, "ATTACH ':memory:' AS two");
  run(db, "CREATE TABLE two.t7(secret)");
  run(db, "SELECT secret FROM t6");
  run(db, "SELECT secret FROM two.t7");
  sqlite3_set_authorizer(db, auth, NULL);
  deny_code = SQLITE_FUNCTION;
  deny_arg1 = NULL;
  deny_answer = SQLITE_IGNORE;
  run(db, "SELECT upper('a') IS NULL, length(upper('abc'))");
  deny_answer = SQLITE_DENY;
  run(db, "SELECT upper('a')");
  sqlite3_close(db);
  return 0;
}
