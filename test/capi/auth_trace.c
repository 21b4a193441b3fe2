/*
** auth_trace.c — every question the authorizer hears, in order, with all
** its arguments (the fourth names the trigger, view or CTE whose text asks):
** column reads once per reference (the rowid by its INTEGER PRIMARY KEY's
** name or ROWID; a table with no column read once with an empty name),
** function calls (coalesce and iif too) before their arguments, a SELECT per
** query as it is coded, a trigger body's row changes and OLD/NEW reads,
** UPDATE's reads of each SET value before its column, an upsert's of its
** conflict target, RETURNING's, REINDEX per index and
** ANALYZE per table, a recursive CTE, foreign key reads, the schema-table
** questions of DDL; and answers: SQLITE_IGNORE on a column, a function or an
** OLD column makes it NULL, SQLITE_DENY of a recursive CTE or of a table none
** of whose columns is read fails the statement.  Blob I/O asks nothing.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static const char *rule = "";
static int stepping; /* ANALYZE's own statements ask SQLite's authorizer as they run: not shown */

static const char *const names[] = {
    [SQLITE_CREATE_INDEX] = "CREATE_INDEX", [SQLITE_CREATE_TABLE] = "CREATE_TABLE",
    [SQLITE_CREATE_TEMP_TABLE] = "CREATE_TEMP_TABLE", [SQLITE_CREATE_TRIGGER] = "CREATE_TRIGGER",
    [SQLITE_CREATE_VIEW] = "CREATE_VIEW", [SQLITE_DELETE] = "DELETE", [SQLITE_DROP_INDEX] = "DROP_INDEX",
    [SQLITE_DROP_TABLE] = "DROP_TABLE", [SQLITE_DROP_TRIGGER] = "DROP_TRIGGER", [SQLITE_DROP_VIEW] = "DROP_VIEW",
    [SQLITE_INSERT] = "INSERT", [SQLITE_READ] = "READ", [SQLITE_SELECT] = "SELECT", [SQLITE_UPDATE] = "UPDATE",
    [SQLITE_ALTER_TABLE] = "ALTER_TABLE", [SQLITE_REINDEX] = "REINDEX", [SQLITE_ANALYZE] = "ANALYZE",
    [SQLITE_FUNCTION] = "FUNCTION", [SQLITE_RECURSIVE] = "RECURSIVE",
};

static int authorizer(void *arg, int action, const char *a, const char *b, const char *db, const char *ctx) {
  (void)arg;
  int known = action >= 0 && action < (int)(sizeof names / sizeof names[0]) && names[action];
  const char *name = known ? names[action] : "?";
  if (stepping) return SQLITE_OK;
  /* ANALYZE: its question about each table, newest first (Lode makes sqlite_stat4 as well: no question shown) */
  if (strcmp(rule, "analyze") == 0 && action != SQLITE_ANALYZE) return SQLITE_OK;
  printf("    %s %s %s %s %s\n", name, a ? a : "-", b ? (*b ? b : "''") : "-", db ? db : "-", ctx ? ctx : "-");
  if (strcmp(rule, "ignore c") == 0 && action == SQLITE_READ && b && strcmp(b, "c") == 0) return SQLITE_IGNORE;
  if (strcmp(rule, "ignore upper") == 0 && action == SQLITE_FUNCTION && strcmp(b, "upper") == 0) return SQLITE_IGNORE;
  if (strcmp(rule, "deny recursive") == 0 && action == SQLITE_RECURSIVE) return SQLITE_DENY;
  if (strcmp(rule, "deny empty read") == 0 && action == SQLITE_READ && b && !*b) return SQLITE_DENY;
  if (strcmp(rule, "ignore reindex") == 0 && action == SQLITE_REINDEX) return SQLITE_IGNORE;
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
  rule = "";
  stepping = 1;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    printf(" ");
    for (int i = 0; i < sqlite3_column_count(s); i++) {
      const unsigned char *t = sqlite3_column_text(s, i);
      printf(" %s", t ? (const char *)t : "NULL");
    }
    printf("\n");
  }
  stepping = 0;
  printf("  -> %d\n", rc);
  sqlite3_finalize(s);
}

int main(void) {
  sqlite3 *db;
  sqlite3_open(":memory:", &db);
  sqlite3_exec(db,
               "CREATE TABLE t(a, b, c);"
               "CREATE TABLE u(x, y, z);"
               "CREATE TABLE k(id INTEGER PRIMARY KEY, v);"
               "CREATE TABLE log(w);"
               "CREATE VIEW vw AS SELECT a + b AS s, c FROM t WHERE a > 0;"
               "CREATE VIEW vc AS SELECT count(*) AS n FROM u;"
               "CREATE TRIGGER tr AFTER INSERT ON u BEGIN"
               "  INSERT INTO log VALUES (new.x || upper(new.y));"
               "  UPDATE t SET a = new.z WHERE b = new.rowid;"
               "  SELECT new.x, (SELECT count(*) FROM t);"
               "END;"
               "CREATE TRIGGER tk BEFORE UPDATE ON k BEGIN INSERT INTO log VALUES (old.v); END;"
               "CREATE INDEX ti ON t(c);"
               "INSERT INTO t VALUES (1, 2, 3); INSERT INTO k VALUES (5, 'five');"
               "CREATE TABLE sqlite_stat1(tbl, idx, stat);",
               NULL, NULL, NULL);
  sqlite3_set_authorizer(db, authorizer, NULL);
  run(db, "log", "SELECT a, a, upper(b) FROM t WHERE c > 1");
  run(db, "log", "SELECT coalesce(a, b), iif(a, b, c) FROM t");
  run(db, "log", "SELECT count(*) FROM t, u WHERE u.x = 1");
  run(db, "log", "SELECT rowid, id FROM k");
  run(db, "log", "SELECT a FROM (SELECT a, b FROM t)");
  run(db, "log", "SELECT (SELECT count(*) FROM u) FROM t");
  run(db, "log", "SELECT s FROM vw WHERE c = 3");
  run(db, "log", "SELECT * FROM vc");
  run(db, "log", "WITH w AS (SELECT a, b FROM t) SELECT a FROM w");
  run(db, "log", "WITH RECURSIVE r(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r");
  run(db, "log", "INSERT INTO u VALUES (1, 'y', 2)");
  run(db, "log", "UPDATE t SET b = c, a = b WHERE c > 0");
  run(db, "log", "UPDATE k SET id = id + 1, v = 'six'");
  run(db, "log", "UPDATE k SET rowid = rowid - 1");
  run(db, "log", "DELETE FROM t WHERE a = 1");
  run(db, "log", "INSERT INTO k(v) VALUES (5) ON CONFLICT (id) DO UPDATE SET v = excluded.v || k.v WHERE k.v > 0");
  run(db, "log", "INSERT INTO k VALUES (9, 'nine') ON CONFLICT (rowid) DO NOTHING RETURNING v, id + 1");
  run(db, "log", "REINDEX t");
  run(db, "ignore c", "SELECT a, c, c + 1 FROM t");
  run(db, "ignore upper", "SELECT upper('q'), lower('Q')");
  run(db, "ignore reindex", "REINDEX ti");
  run(db, "deny recursive",
      "WITH RECURSIVE r(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r");
  run(db, "deny empty read", "SELECT count(*) FROM u");
  run(db, "log", "CREATE TABLE nt(q)");
  run(db, "log", "CREATE VIEW nv AS SELECT q FROM nt");
  run(db, "log", "DROP VIEW nv");
  run(db, "log", "DROP TABLE nt");
  run(db, "log", "CREATE TABLE pk(a PRIMARY KEY, b UNIQUE, c, UNIQUE (c, a), UNIQUE (b))");
  run(db, "log", "CREATE TABLE ipk(a INTEGER PRIMARY KEY, b, PRIMARY KEY (b)) WITHOUT ROWID");
  run(db, "log", "CREATE INDEX pki ON pk(c, lower(b)) WHERE a > 0");
  run(db, "log", "DROP INDEX pki");
  run(db, "analyze", "ANALYZE");
  run(db, "log", "ALTER TABLE log RENAME TO journal");
  run(db, "log", "ALTER TABLE journal ADD COLUMN extra");
  sqlite3_exec(db,
               "PRAGMA foreign_keys = ON;"
               "CREATE TABLE p(id INTEGER PRIMARY KEY, pv UNIQUE);"
               "CREATE TABLE ch(r REFERENCES p(pv), s);",
               NULL, NULL, NULL);
  run(db, "log", "INSERT INTO ch VALUES (NULL, 2)");
  run(db, "log", "DELETE FROM p WHERE id = 1");
  /* Blob I/O asks nothing. */
  sqlite3_blob *blob;
  printf("blob open: %d\n", sqlite3_blob_open(db, "main", "u", "y", 1, 0, &blob));
  sqlite3_blob_close(blob);
  sqlite3_close(db);
  return 0;
}
