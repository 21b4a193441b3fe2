/*
** auth.c — the authorizer: denying a table's reads, one column's reads,
** ignoring a column (it reads as NULL), denying a statement kind, a
** function, a PRAGMA, an UPDATE of one column; an authorizer that answers
** nonsense; INTEGER PRIMARY KEY and rowid reads; and the questions asked for a plain query (distinct, sorted).
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *rule; /* which test is running */
static char log_lines[64][96];
static int nlog;

static int authorizer(void *arg, int action, const char *a, const char *b, const char *db, const char *src) {
  (void)arg, (void)src;
  if (strcmp(rule, "log db") == 0) {
    if (nlog < 64) snprintf(log_lines[nlog++], 96, "%d %s %s %s", action, a ? a : "-", b ? b : "-", db ? db : "-");
    return SQLITE_OK;
  }
  if (nlog < 64) snprintf(log_lines[nlog++], 96, "%d %s %s", action, a ? a : "-", b ? b : "-");
  if (strcmp(rule, "deny t2") == 0) return action == SQLITE_READ && strcmp(a, "t2") == 0 ? SQLITE_DENY : SQLITE_OK;
  if (strcmp(rule, "deny c2") == 0) return action == SQLITE_READ && strcmp(b, "c2") == 0 ? SQLITE_DENY : SQLITE_OK;
  if (strcmp(rule, "ignore c2") == 0) return action == SQLITE_READ && strcmp(b, "c2") == 0 ? SQLITE_IGNORE : SQLITE_OK;
  if (strcmp(rule, "deny insert") == 0) return action == SQLITE_INSERT ? SQLITE_DENY : SQLITE_OK;
  if (strcmp(rule, "deny select") == 0) return action == SQLITE_SELECT ? SQLITE_DENY : SQLITE_OK;
  if (strcmp(rule, "deny upper") == 0)
    return action == SQLITE_FUNCTION && strcmp(b, "upper") == 0 ? SQLITE_DENY : SQLITE_OK;
  if (strcmp(rule, "deny pragma") == 0) return action == SQLITE_PRAGMA ? SQLITE_DENY : SQLITE_OK;
  if (strcmp(rule, "deny update c1") == 0)
    return action == SQLITE_UPDATE && strcmp(b, "c1") == 0 ? SQLITE_DENY : SQLITE_OK;
  if (strcmp(rule, "deny id") == 0) return action == SQLITE_READ && strcmp(b, "id") == 0 ? SQLITE_DENY : SQLITE_OK;
  if (strcmp(rule, "ignore id") == 0) return action == SQLITE_READ && strcmp(b, "id") == 0 ? SQLITE_IGNORE : SQLITE_OK;
  if (strcmp(rule, "ignore ROWID") == 0)
    return action == SQLITE_READ && strcmp(b, "ROWID") == 0 ? SQLITE_IGNORE : SQLITE_OK;
  if (strcmp(rule, "nonsense") == 0) return 42;
  return SQLITE_OK;
}

static void run(sqlite3 *db, const char *r, const char *sql) {
  sqlite3_stmt *s;
  rule = r;
  nlog = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
  printf("[%s] %s\n", r, sql);
  if (rc != SQLITE_OK) {
    printf("  prepare: %d %s\n", rc, sqlite3_errmsg(db));
    return;
  }
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    printf(" ");
    for (int i = 0; i < sqlite3_column_count(s); i++) {
      const unsigned char *t = sqlite3_column_text(s, i);
      printf(" %s", t ? (const char *)t : "NULL");
    }
    printf("\n");
  }
  printf("  -> %d\n", rc);
  sqlite3_finalize(s);
}

static int cmp(const void *a, const void *b) { return strcmp(a, b); }

int main(void) {
  sqlite3 *db;
  sqlite3_open(":memory:", &db);
  sqlite3_exec(db,
               "CREATE TABLE t1(c1, c2); CREATE TABLE t2(c1, c2);"
               "INSERT INTO t1 VALUES (1, 2); INSERT INTO t2 VALUES (4, 5);",
               NULL, NULL, NULL);
  printf("set: %d\n", sqlite3_set_authorizer(db, authorizer, NULL));
  run(db, "deny t2", "SELECT * FROM t2");
  run(db, "deny t2", "SELECT c1 FROM t1");
  run(db, "deny c2", "SELECT c2 FROM t1");
  run(db, "deny c2", "SELECT c1 FROM t1 WHERE c2 > 0");
  run(db, "ignore c2", "SELECT c1, c2, c2 + 1 FROM t1");
  run(db, "deny insert", "INSERT INTO t1 VALUES (3, 4)");
  run(db, "deny insert", "DELETE FROM t2");
  run(db, "deny select", "SELECT 1");
  run(db, "deny upper", "SELECT upper('x')");
  run(db, "deny upper", "SELECT lower('X')");
  run(db, "deny pragma", "PRAGMA user_version");
  run(db, "deny update c1", "UPDATE t1 SET c2 = 9");
  run(db, "deny update c1", "UPDATE t1 SET c1 = 9");
  run(db, "nonsense", "SELECT 1");
  /* The INTEGER PRIMARY KEY (and the rowid that names it) is a column read
  ** like the others; a table's plain rowid goes by "ROWID".  The rowids a
  ** statement reads for its own use are no question. */
  rule = "none";
  sqlite3_exec(db, "CREATE TABLE k(id INTEGER PRIMARY KEY, v); INSERT INTO k VALUES (7, 'seven')", NULL, NULL, NULL);
  run(db, "deny id", "SELECT * FROM k");
  run(db, "deny id", "SELECT v FROM k");
  run(db, "deny id", "SELECT rowid, v FROM k");
  run(db, "deny id", "UPDATE k SET v = 'SEVEN' WHERE v = 'seven'");
  run(db, "deny id", "DELETE FROM k WHERE v = 'none'");
  run(db, "ignore id", "SELECT id, v, _rowid_ FROM k");
  run(db, "ignore ROWID", "SELECT rowid, c1 FROM t1");
  run(db, "log", "SELECT c1 FROM t1 WHERE c2 > 0 ORDER BY c1");
  qsort(log_lines, (size_t)nlog, sizeof log_lines[0], cmp);
  for (int i = 0; i < nlog; i++)
    if (i == 0 || strcmp(log_lines[i], log_lines[i - 1]) != 0) printf("  asked: %s\n", log_lines[i]);
  /* the database each question names, with temp and attached tables */
  sqlite3_exec(db, "ATTACH ':memory:' AS aux; CREATE TABLE aux.x(c1, c2); CREATE TEMP TABLE tt(c1)", NULL, NULL, NULL);
  const char *const with_dbs[] = {
      "SELECT x.c1, t1.c2, tt.c1 FROM aux.x, t1, tt", "INSERT INTO x VALUES (1, 2)", "DELETE FROM tt",
      "PRAGMA aux.user_version", "ATTACH ':memory:' AS more", "DETACH aux", "BEGIN", "SELECT upper('a')"};
  for (size_t k = 0; k < sizeof with_dbs / sizeof with_dbs[0]; k++) {
    run(db, "log db", with_dbs[k]);
    qsort(log_lines, (size_t)nlog, sizeof log_lines[0], cmp);
    for (int i = 0; i < nlog; i++)
      if (i == 0 || strcmp(log_lines[i], log_lines[i - 1]) != 0) printf("  asked: %s\n", log_lines[i]);
  }
  printf("clear: %d\n", sqlite3_set_authorizer(db, NULL, NULL));
  run(db, "none", "SELECT * FROM t2");
  printf("close: %d\n", sqlite3_close(db));
  return 0;
}
