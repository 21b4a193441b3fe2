/*
** vtab_nochange.c — an UPDATE of a virtual table asks xColumn for the
** columns it does not set with sqlite3_vtab_nochange() true; a column the
** module then gives no value reaches xUpdate as a value for which
** sqlite3_value_nochange() is true, one it gives reaches it as that value.
** A SELECT, a DELETE's WHERE and the SET expressions read columns as usual.
** The module: two rows of three columns (a, b, c); its xColumn gives no
** value for a and b when asked with nochange, always gives c; xUpdate prints
** what it gets.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

typedef struct Cur {
  sqlite3_vtab_cursor base;
  int row;
} Cur;

static int x_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  (void)aux, (void)argc, (void)argv, (void)err;
  int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(a, b, c)");
  if (rc != SQLITE_OK) return rc;
  sqlite3_vtab *vt = sqlite3_malloc(sizeof *vt);
  if (!vt) return SQLITE_NOMEM;
  memset(vt, 0, sizeof *vt);
  *out = vt;
  return SQLITE_OK;
}

static int x_best(sqlite3_vtab *vt, sqlite3_index_info *info) {
  (void)vt;
  info->estimatedCost = 10;
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

static int x_close(sqlite3_vtab_cursor *cur) {
  sqlite3_free(cur);
  return SQLITE_OK;
}

static int x_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxs, int argc, sqlite3_value **argv) {
  (void)idx, (void)idxs, (void)argc, (void)argv;
  ((Cur *)cur)->row = 1;
  return SQLITE_OK;
}

static int x_next(sqlite3_vtab_cursor *cur) {
  ((Cur *)cur)->row++;
  return SQLITE_OK;
}

static int x_eof(sqlite3_vtab_cursor *cur) { return ((Cur *)cur)->row > 2; }

static int x_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  int row = ((Cur *)cur)->row, nochange = sqlite3_vtab_nochange(ctx);
  printf("  xColumn(row %d, col %d) nochange=%d\n", row, col, nochange);
  if (nochange && col < 2) return SQLITE_OK;
  sqlite3_result_int(ctx, row * 10 + col);
  return SQLITE_OK;
}

static int x_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *out) {
  *out = ((Cur *)cur)->row;
  return SQLITE_OK;
}

static int x_update(sqlite3_vtab *vt, int argc, sqlite3_value **argv, sqlite3_int64 *rowid) {
  (void)vt, (void)rowid;
  printf("  xUpdate(%d):", argc);
  for (int i = 0; i < argc; i++) {
    const unsigned char *z = sqlite3_value_text(argv[i]);
    printf(" %s%s", z ? (const char *)z : "NULL", sqlite3_value_nochange(argv[i]) ? "(unchanged)" : "");
  }
  printf("\n");
  return SQLITE_OK;
}

static sqlite3_module mod = {.xCreate = x_connect, .xConnect = x_connect, .xBestIndex = x_best,
                             .xDisconnect = x_disconnect, .xDestroy = x_disconnect, .xOpen = x_open,
                             .xClose = x_close, .xFilter = x_filter, .xNext = x_next, .xEof = x_eof,
                             .xColumn = x_column, .xRowid = x_rowid, .xUpdate = x_update};

static int print_row(void *arg, int n, char **vals, char **names) {
  (void)arg, (void)names;
  printf("  row:");
  for (int i = 0; i < n; i++) printf(" %s", vals[i] ? vals[i] : "NULL");
  printf("\n");
  return 0;
}

static void run(sqlite3 *db, const char *sql) {
  char *err = NULL;
  printf("%s\n", sql);
  int rc = sqlite3_exec(db, sql, print_row, NULL, &err);
  printf("-> %d%s%s\n", rc, err ? " " : "", err ? err : "");
  sqlite3_free(err);
}

int main(void) {
  sqlite3 *db;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  printf("module: %d\n", sqlite3_create_module(db, "nc", &mod, NULL));
  run(db, "CREATE VIRTUAL TABLE t USING nc");
  run(db, "SELECT a, b, c FROM t");
  run(db, "UPDATE t SET a = 7");
  run(db, "UPDATE t SET b = a + 1 WHERE c > 20");
  run(db, "UPDATE t SET a = 1, b = 2, c = 3 WHERE rowid = 1");
  run(db, "DELETE FROM t WHERE b = 21");
  sqlite3_close(db);
  return 0;
}
