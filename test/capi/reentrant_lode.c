/*
** reentrant_lode.c — what SQLite leaves undefined and Lode promises: a
** callback of a running statement (an application function, a virtual
** table's xUpdate reached through a trigger) that steps, resets or finalizes
** that very statement is refused with SQLITE_MISUSE, and the statement runs
** on unharmed; the program is never run or freed under itself.
** Compared with reentrant_lode.expected.
*/
#include <sqlite3.h>
#include <stdio.h>

static sqlite3_stmt *running;

/* self(): pokes at the statement that is running it, then returns 7. */
static void self_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc, (void)argv;
  printf("  inside: step=%d reset=%d finalize=%d\n", sqlite3_step(running), sqlite3_reset(running),
         sqlite3_finalize(running));
  sqlite3_result_int(ctx, 7);
}

int main(void) {
  sqlite3 *db;
  sqlite3_open(":memory:", &db);
  sqlite3_create_function(db, "self", 0, SQLITE_UTF8, NULL, self_fn, NULL, NULL);
  sqlite3_exec(db, "CREATE TABLE t(a); INSERT INTO t VALUES (1), (2)", NULL, NULL, NULL);
  sqlite3_prepare_v2(db, "SELECT a, self() FROM t ORDER BY a", -1, &running, NULL);
  int rc;
  while ((rc = sqlite3_step(running)) == SQLITE_ROW)
    printf("row %d %d\n", sqlite3_column_int(running, 0), sqlite3_column_int(running, 1));
  printf("last step: %d\n", rc);
  printf("reset: %d\n", sqlite3_reset(running));
  rc = sqlite3_step(running);
  printf("step again: %d\n", rc);
  printf("finalize: %d\n", sqlite3_finalize(running));

  /* fts3 deletes its content row with a statement of its own, whose trigger
  ** deletes from the fts3 table again: the inner xUpdate finds that
  ** statement running and fails instead of recursing without end. */
  char *err = NULL;
  sqlite3_exec(db,
               "CREATE VIRTUAL TABLE z USING fts3;"
               "INSERT INTO z VALUES ('one two'), ('two three');"
               "CREATE TRIGGER zr AFTER DELETE ON z_content BEGIN DELETE FROM z; END;",
               NULL, NULL, NULL);
  rc = sqlite3_exec(db, "DELETE FROM z", NULL, NULL, &err);
  printf("delete through the trigger: %s\n", rc == SQLITE_OK ? "ok" : "failed");
  sqlite3_free(err);
  sqlite3_stmt *q;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM z WHERE z MATCH 'two'", -1, &q, NULL);
  sqlite3_step(q);
  printf("rows left: %d\n", sqlite3_column_int(q, 0));
  sqlite3_finalize(q);
  printf("close: %d\n", sqlite3_close(db));
  return 0;
}
