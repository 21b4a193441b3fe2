/*
** vtab_risk.c — where SQL kept in a schema may read a virtual table, by what
** the module's constructor told sqlite3_vtab_config: a DIRECTONLY table is
** never read by a view or trigger of a persistent schema ("unsafe use of
** virtual table"), a table that said nothing only while trusted_schema is
** on, an INNOCUOUS one always.  Top-level SQL and TEMP views read them all.
** One eponymous module (one row: 42) is registered under three names, the
** module's client data choosing what its constructor says.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

typedef struct Cur {
  sqlite3_vtab_cursor base;
  int row;
} Cur;

static int x_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  (void)argc, (void)argv, (void)err;
  int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(v)");
  if (rc != SQLITE_OK) return rc;
  int risk = *(const int *)aux;
  if (risk >= 0) sqlite3_vtab_config(db, risk);
  sqlite3_vtab *vt = sqlite3_malloc(sizeof *vt);
  if (!vt) return SQLITE_NOMEM;
  memset(vt, 0, sizeof *vt);
  *out = vt;
  return SQLITE_OK;
}

static int x_best(sqlite3_vtab *vt, sqlite3_index_info *info) {
  (void)vt;
  info->estimatedCost = 1;
  return SQLITE_OK;
}

static int x_disconnect(sqlite3_vtab *vt) {
  sqlite3_free(vt);
  return SQLITE_OK;
}

static int x_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out) {
  (void)vt;
  Cur *c = sqlite3_malloc(sizeof *c);
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof *c);
  *out = &c->base;
  return SQLITE_OK;
}

static int x_close(sqlite3_vtab_cursor *c) {
  sqlite3_free(c);
  return SQLITE_OK;
}

static int x_filter(sqlite3_vtab_cursor *c, int idx, const char *s, int argc, sqlite3_value **argv) {
  (void)idx, (void)s, (void)argc, (void)argv;
  ((Cur *)c)->row = 0;
  return SQLITE_OK;
}

static int x_next(sqlite3_vtab_cursor *c) {
  ((Cur *)c)->row++;
  return SQLITE_OK;
}

static int x_eof(sqlite3_vtab_cursor *c) { return ((Cur *)c)->row > 0; }

static int x_column(sqlite3_vtab_cursor *c, sqlite3_context *ctx, int i) {
  (void)c, (void)i;
  sqlite3_result_int(ctx, 42);
  return SQLITE_OK;
}

static int x_rowid(sqlite3_vtab_cursor *c, sqlite3_int64 *r) {
  *r = ((Cur *)c)->row;
  return SQLITE_OK;
}

static sqlite3_module mod = {.xConnect = x_connect, .xBestIndex = x_best, .xDisconnect = x_disconnect,
                             .xDestroy = x_disconnect, .xOpen = x_open, .xClose = x_close, .xFilter = x_filter,
                             .xNext = x_next, .xEof = x_eof, .xColumn = x_column, .xRowid = x_rowid};

static int print_row(void *arg, int n, char **vals, char **names) {
  (void)arg, (void)names;
  printf("  row:");
  for (int i = 0; i < n; i++) printf(" %s", vals[i] ? vals[i] : "NULL");
  printf("\n");
  return 0;
}

static void run(sqlite3 *db, const char *sql) {
  char *err = NULL;
  int rc = sqlite3_exec(db, sql, print_row, NULL, &err);
  printf("%s -> %d%s%s\n", sql, rc, err ? " " : "", err ? err : "");
  sqlite3_free(err);
}

int main(void) {
  static const int normal = -1, direct = SQLITE_VTAB_DIRECTONLY, innocuous = SQLITE_VTAB_INNOCUOUS;
  sqlite3 *db;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  printf("modules: %d %d %d\n", sqlite3_create_module(db, "vt_normal", &mod, (void *)&normal),
         sqlite3_create_module(db, "vt_direct", &mod, (void *)&direct),
         sqlite3_create_module(db, "vt_innocuous", &mod, (void *)&innocuous));
  const char *names[] = {"vt_normal", "vt_direct", "vt_innocuous"};
  char sql[200];
  for (int i = 0; i < 3; i++) {
    snprintf(sql, sizeof sql, "SELECT v FROM %s", names[i]);
    run(db, sql);
    snprintf(sql, sizeof sql, "CREATE VIEW v_%s AS SELECT v FROM %s", names[i], names[i]);
    run(db, sql);
    snprintf(sql, sizeof sql, "CREATE TEMP VIEW t_%s AS SELECT v FROM %s", names[i], names[i]);
    run(db, sql);
  }
  run(db, "CREATE TABLE log(a); CREATE TABLE src(a)");
  run(db, "CREATE TRIGGER tr_direct AFTER INSERT ON src BEGIN INSERT INTO log SELECT v FROM vt_direct; END");
  run(db, "CREATE TRIGGER tr_normal AFTER UPDATE ON src BEGIN INSERT INTO log SELECT v FROM vt_normal; END");
  for (int trusted = 1; trusted >= 0; trusted--) {
    snprintf(sql, sizeof sql, "PRAGMA trusted_schema = %d", trusted);
    run(db, sql);
    for (int i = 0; i < 3; i++) {
      snprintf(sql, sizeof sql, "SELECT * FROM v_%s", names[i]);
      run(db, sql);
      snprintf(sql, sizeof sql, "SELECT * FROM t_%s", names[i]);
      run(db, sql);
      snprintf(sql, sizeof sql, "SELECT v FROM %s", names[i]);
      run(db, sql);
    }
    run(db, "INSERT INTO src VALUES (1)");
    run(db, "UPDATE src SET a = a + 1");
    run(db, "SELECT count(*) FROM log");
  }
  sqlite3_close(db);
  return 0;
}
