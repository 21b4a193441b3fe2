/*
** collation_list.c — PRAGMA collation_list lists the connection's own
** collations, the latest defined first, before the built-in ones; one
** defined under a built-in name is not listed twice.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static int cmp(void *arg, int na, const void *a, int nb, const void *b) {
  (void)arg;
  int r = memcmp(a, b, (size_t)(na < nb ? na : nb));
  return r ? r : na - nb;
}

static int print_row(void *ctx, int n, char **vals, char **names) {
  (void)ctx;
  (void)names;
  for (int i = 0; i < n; i++) printf("%s%s", i ? "|" : " ", vals[i] ? vals[i] : "NULL");
  return 0;
}

static void list(sqlite3 *db) {
  printf("collations:");
  sqlite3_exec(db, "PRAGMA collation_list", print_row, NULL, NULL);
  printf("\n");
}

int main(void) {
  sqlite3 *db = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  list(db);
  sqlite3_create_collation(db, "New_Collation", SQLITE_UTF8, NULL, cmp);
  list(db);
  sqlite3_create_collation(db, "second", SQLITE_UTF8, NULL, cmp);
  list(db);
  sqlite3_create_collation(db, "NOCASE", SQLITE_UTF8, NULL, cmp);
  list(db);
  sqlite3_close(db);
  return 0;
}
