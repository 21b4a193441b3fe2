/*
** tokenizer_edges.c — statements whose last bytes are the start of a
** comment or an operator: how each prepares and runs (a block comment's
** opening with nothing after it is "/" and "*", with anything after it a
** comment to the end).
*/
#include <sqlite3.h>
#include <stdio.h>

int main(void) {
  static const char *const sql[] = {
      "SELECT 1, 2 /*", "SELECT 1, 2 /* ", "SELECT 1 /*x", "SELECT 1 /", "SELECT 1 -", "SELECT 1 --",
      "SELECT 1 -- x", "SELECT 1 /**/", "SELECT 1 /*/", "SELECT 2 */ 1", "/*", "/* ", "--", "SELECT 1; /*",
  };
  sqlite3 *db;
  sqlite3_open(":memory:", &db);
  for (unsigned i = 0; i < sizeof sql / sizeof sql[0]; i++) {
    sqlite3_stmt *s = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v2(db, sql[i], -1, &s, &tail);
    printf("[%s] prepare %d", sql[i], rc);
    if (rc != SQLITE_OK) printf(" %s", sqlite3_errmsg(db));
    else if (!s) printf(" (no statement) tail=%d", tail ? (int)(tail - sql[i]) : -1);
    else {
      while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count(s); c++) printf(" %s", (const char *)sqlite3_column_text(s, c));
      printf(" step %d", rc);
    }
    if (rc == SQLITE_DONE) printf(" tail=%d", tail ? (int)(tail - sql[i]) : -1);
    printf(" complete=%d\n", sqlite3_complete(sql[i]));
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
  return 0;
}
