/*
** auth_fkey.c — the authorizer's questions and answers around row changes:
** a foreign key's check of a child row reads the parent key (SQLITE_READ
** on the parent's columns), and SQLITE_IGNORE there makes the check find no
** parent, so a child row with a key fails the constraint (a NULL key still
** passes); SQLITE_IGNORE on an UPDATE of a column leaves that column as it
** was while the other columns change (and with every column ignored the
** row keeps all its values).
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static const char *rule;

static int authorizer(void *arg, int action, const char *a, const char *b, const char *db, const char *src) {
  (void)arg;
  if (strcmp(rule, "log") == 0) {
    printf("    %d %s %s %s %s\n", action, a ? a : "-", b ? b : "-", db ? db : "-", src ? src : "-");
    return SQLITE_OK;
  }
  if (strcmp(rule, "ignore parent") == 0)
    return action == SQLITE_READ && (strcmp(a, "long") == 0 || strcmp(a, "one") == 0) ? SQLITE_IGNORE : SQLITE_OK;
  if (strcmp(rule, "ignore update b") == 0)
    return action == SQLITE_UPDATE && strcmp(b, "b") == 0 ? SQLITE_IGNORE : SQLITE_OK;
  if (strcmp(rule, "ignore updates") == 0) return action == SQLITE_UPDATE ? SQLITE_IGNORE : SQLITE_OK;
  return SQLITE_OK;
}

static void run(sqlite3 *db, const char *r, const char *sql) {
  sqlite3_stmt *s;
  rule = r;
  printf("[%s] %s\n", r, sql);
  int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
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
  printf("  -> %d%s%s\n", rc, rc == SQLITE_DONE ? "" : " ", rc == SQLITE_DONE ? "" : sqlite3_errmsg(db));
  sqlite3_finalize(s);
}

int main(void) {
  sqlite3 *db;
  sqlite3_open(":memory:", &db);
  sqlite3_exec(db,
               "PRAGMA foreign_keys = ON;"
               "CREATE TABLE long(a, b PRIMARY KEY, c);"
               "CREATE TABLE short(d, e, f REFERENCES long);"
               "CREATE TABLE mid(g, h, i REFERENCES long DEFERRABLE INITIALLY DEFERRED);"
               "CREATE TABLE one(a INTEGER PRIMARY KEY, b);"
               "CREATE TABLE two(b, c REFERENCES one);"
               "CREATE TABLE t(a, b, c);"
               "INSERT INTO long VALUES (1, 2, 3); INSERT INTO one VALUES (101, 102); INSERT INTO t VALUES (1, 2, 3);",
               NULL, NULL, NULL);
  sqlite3_set_authorizer(db, authorizer, NULL);
  run(db, "log", "INSERT INTO short VALUES (1, 3, 2)");
  run(db, "log", "INSERT INTO mid VALUES (1, 3, 2)");
  run(db, "log", "INSERT INTO two VALUES (100, 101)");
  run(db, "log", "UPDATE t SET b = 9 WHERE a = 1");
  run(db, "log", "UPDATE short SET d = 5");
  run(db, "log", "UPDATE short SET f = 2");
  run(db, "ignore parent", "INSERT INTO short VALUES (1, 3, 2)");
  run(db, "ignore parent", "INSERT INTO short VALUES (1, 3, NULL)");
  run(db, "ignore parent", "UPDATE short SET f = 2 WHERE f IS NULL");
  run(db, "ignore parent", "INSERT INTO two VALUES (7, 101)");
  run(db, "ignore parent", "INSERT INTO short SELECT 9, 9, 2");
  run(db, "", "SELECT * FROM short");
  run(db, "", "SELECT * FROM two");
  run(db, "ignore update b", "UPDATE t SET b = 22, c = 33");
  run(db, "", "SELECT * FROM t");
  run(db, "ignore updates", "UPDATE t SET b = 222, c = 333");
  run(db, "", "SELECT *, changes() FROM t");
  sqlite3_close(db);
  return 0;
}
