/*
** auxdata.c — sqlite3_get_auxdata / sqlite3_set_auxdata: what a function
** derives from a constant argument (a literal, a bound parameter) is kept
** for the later rows of the same run and dropped when the run ends, so that
** a parameter bound anew is read anew; data set on an argument that changes
** from row to row is never handed back for another value.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int derived;  /* times tagged() derived its data */
static int live;     /* data alive (made, not yet destroyed) */

static void drop(void *p) {
  live--;
  free(p);
}

/* tagged(x, tag): tag || ':' || x, where the copy of tag is what the
** function keeps as auxiliary data of argument 1 (and, to check that such
** data never outlives its value, of argument 0 too). */
static void fn_tagged(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  char out[128];
  (void)argc;
  for (int i = 0; i < 2; i++) {
    const char *now = (const char *)sqlite3_value_text(argv[i]);
    char *kept = sqlite3_get_auxdata(ctx, i);
    if (!now) now = "";
    if (kept && strcmp(kept, now) != 0) {
      sqlite3_result_error(ctx, "auxiliary data of another value", -1);
      return;
    }
    if (!kept) {
      kept = malloc(strlen(now) + 1);
      strcpy(kept, now);
      derived++;
      live++;
      sqlite3_set_auxdata(ctx, i, kept, drop);
    }
  }
  snprintf(out, sizeof out, "%s:%s", (const char *)sqlite3_value_text(argv[1]), (const char *)sqlite3_value_text(argv[0]));
  sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

static void run(sqlite3_stmt *st, const char *label) {
  int rows = 0, rc;
  derived = 0;
  printf("%s:", label);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    printf(" %s", (const char *)sqlite3_column_text(st, 0));
    rows++;
  }
  if (rc != SQLITE_DONE) printf(" error %s", sqlite3_errmsg(sqlite3_db_handle(st)));
  /* one derivation of the constant tag, and one per row for x at most */
  printf(" | rows %d, tag derived once: %s\n", rows, derived <= rows + 1 ? "yes" : "no");
  sqlite3_reset(st);
}

int main(void) {
  sqlite3 *db;
  sqlite3_stmt *st;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  sqlite3_create_function(db, "tagged", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn_tagged, NULL, NULL);
  sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES ('a'), ('b'), ('b'), ('c'), ('a');", NULL, NULL, NULL);

  sqlite3_prepare_v2(db, "SELECT tagged(x, ?) FROM t ORDER BY rowid", -1, &st, NULL);
  sqlite3_bind_text(st, 1, "one", -1, SQLITE_TRANSIENT);
  run(st, "bound one");
  printf("live after reset: %d\n", live);
  sqlite3_bind_text(st, 1, "two", -1, SQLITE_TRANSIENT);
  run(st, "bound two");
  sqlite3_finalize(st);
  printf("live after finalize: %d\n", live);

  sqlite3_prepare_v2(db, "SELECT tagged(x, 'lit') FROM t ORDER BY rowid", -1, &st, NULL);
  run(st, "literal");
  run(st, "literal again");
  sqlite3_finalize(st);

  /* the tag changes from row to row: never the data of another row's */
  sqlite3_prepare_v2(db, "SELECT tagged('k', x) FROM t ORDER BY rowid", -1, &st, NULL);
  run(st, "column tag");
  sqlite3_finalize(st);
  printf("live at the end: %d\n", live);
  sqlite3_close(db);
  return 0;
}
