/*
** collations.c — application collations belong to their connection: two
** connections define different functions under one name and each sorts by
** its own; a connection that never defined the name gets "no such collation
** sequence"; destructors run when a definition is replaced and when the
** connection closes; sqlite3_collation_needed(16) defines a missing one on
** demand; an index ordered by a collation is used and kept in its order.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* Orders by length, then bytes. */
static int by_length(void *arg, int na, const void *a, int nb, const void *b) {
  (void)arg;
  if (na != nb) return na - nb;
  return memcmp(a, b, (size_t)na);
}

/* Reverse byte order. */
static int reverse(void *arg, int na, const void *a, int nb, const void *b) {
  (void)arg;
  int n = na < nb ? na : nb;
  int c = memcmp(a, b, (size_t)n);
  return c ? -c : nb - na;
}

static void destroyed(void *arg) { printf("destroy %s\n", (const char *)arg); }

static void query(sqlite3 *db, const char *label, const char *sql) {
  sqlite3_stmt *s;
  printf("%s:", label);
  if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
    printf(" error: %s\n", sqlite3_errmsg(db));
    return;
  }
  while (sqlite3_step(s) == SQLITE_ROW) printf(" %s", (const char *)sqlite3_column_text(s, 0));
  printf("\n");
  sqlite3_finalize(s);
}

static void needed(void *arg, sqlite3 *db, int enc, const char *name) {
  printf("needed %s (enc %d, arg %s)\n", name, enc, (const char *)arg);
  if (strcmp(name, "len") == 0) sqlite3_create_collation_v2(db, name, SQLITE_UTF8, "len-on-demand", by_length, destroyed);
}

static void needed16(void *arg, sqlite3 *db, int enc, const void *name) {
  const unsigned char *z = name;
  char ascii[64];
  int n = 0;
  /* The name arrives in native UTF-16: keep its ASCII letters. */
  for (int i = 0; n < 63 && (z[i] || z[i + 1]); i += 2) ascii[n++] = (char)(z[i] ? z[i] : z[i + 1]);
  ascii[n] = 0;
  printf("needed16 %s (enc %d, arg %s)\n", ascii, enc, (const char *)arg);
  sqlite3_create_collation_v2(db, ascii, SQLITE_UTF8, "rev-on-demand", reverse, destroyed);
}

int main(void) {
  sqlite3 *a, *b;
  const char *words = "SELECT column1 FROM (VALUES ('ccc'), ('a'), ('bb'), ('dddd'), ('b')) ORDER BY column1 COLLATE mine";
  sqlite3_open(":memory:", &a);
  sqlite3_open(":memory:", &b);
  query(a, "a before", words);
  sqlite3_create_collation_v2(a, "mine", SQLITE_UTF8, "a-length", by_length, destroyed);
  query(a, "a length", words);
  query(b, "b without", words);
  sqlite3_create_collation_v2(b, "MINE", SQLITE_UTF8, "b-reverse", reverse, destroyed);
  query(a, "a length", words);
  query(b, "b reverse", words);

  /* Replacing runs the old destructor at once. */
  sqlite3_create_collation_v2(a, "mine", SQLITE_UTF8, "a-reverse", reverse, destroyed);
  query(a, "a reverse", words);
  query(b, "b reverse", words);

  /* An index in the collation's order, used for lookups and ORDER BY. */
  sqlite3_exec(a,
               "CREATE TABLE t(w TEXT COLLATE mine);"
               "INSERT INTO t VALUES ('pear'), ('fig'), ('apple'), ('kiwi');"
               "CREATE INDEX tw ON t(w);",
               NULL, NULL, NULL);
  query(a, "a index order", "SELECT w FROM t ORDER BY w");
  query(a, "a range", "SELECT w FROM t WHERE w > 'kiwi' ORDER BY w");
  query(a, "a integrity", "PRAGMA integrity_check");

  /* Removing a definition (NULL function) runs its destructor; the name is
  ** unknown again for that connection only. */
  sqlite3_create_collation_v2(b, "mine", SQLITE_UTF8, NULL, NULL, NULL);
  query(b, "b removed", words);
  query(a, "a still", words);

  /* collation_needed defines a missing collation when a statement needs it. */
  sqlite3_collation_needed(b, "cb-arg", needed);
  query(b, "b needed", "SELECT column1 FROM (VALUES ('ccc'), ('a'), ('bb')) ORDER BY column1 COLLATE len");
  query(b, "b needed again", "SELECT column1 FROM (VALUES ('ccc'), ('a'), ('bb')) ORDER BY column1 COLLATE len");
  query(b, "b still missing", "SELECT 1 WHERE 'a' = 'b' COLLATE nothere");
  sqlite3_collation_needed16(b, "cb16-arg", needed16);
  query(b, "b needed16", "SELECT column1 FROM (VALUES ('ccc'), ('a'), ('bb')) ORDER BY column1 COLLATE backwards");

  /* Built-ins are untouched by another connection's user collations. */
  query(b, "b nocase", "SELECT column1 FROM (VALUES ('b'), ('A'), ('a'), ('B')) ORDER BY column1 COLLATE nocase, column1");

  /* Removing a collation (no compare function): statements naming it fail,
  ** the compound ORDER BY that names it by number too. */
  sqlite3_create_collation_v2(a, "gone", SQLITE_UTF8, "gone", by_length, destroyed);
  query(a, "a gone defined", "SELECT 'ccc' AS x UNION SELECT 'a' ORDER BY 1 COLLATE gone");
  printf("remove gone: %d\n", sqlite3_create_collation(a, "gone", SQLITE_UTF8, NULL, NULL));
  query(a, "a gone removed", "SELECT 'ccc' AS x UNION SELECT 'a' ORDER BY x COLLATE gone");
  query(a, "a gone one row", "SELECT 'a' AS x ORDER BY x COLLATE gone");

  /* REINDEX name: an unqualified name is a collation's before a table's.
  ** Table "two" has an index in collation "two" and one in "one"; both
  ** collations change, and REINDEX two rebuilds only the first. */
  sqlite3 *c;
  sqlite3_open(":memory:", &c);
  sqlite3_create_collation(c, "one", SQLITE_UTF8, NULL, by_length);
  sqlite3_create_collation(c, "two", SQLITE_UTF8, NULL, reverse);
  sqlite3_exec(c,
               "CREATE TABLE two(x);"
               "INSERT INTO two VALUES ('ccc'), ('a'), ('bb'), ('dddd'), ('b');"
               "CREATE INDEX two_by_two ON two(x COLLATE two);"
               "CREATE INDEX two_by_one ON two(x COLLATE one);",
               NULL, NULL, NULL);
  sqlite3_create_collation(c, "one", SQLITE_UTF8, NULL, reverse);
  sqlite3_create_collation(c, "two", SQLITE_UTF8, NULL, by_length);
  printf("reindex two: %d\n", sqlite3_exec(c, "REINDEX two", NULL, NULL, NULL));
  query(c, "c by two", "SELECT x FROM two INDEXED BY two_by_two ORDER BY x COLLATE two");
  query(c, "c by one", "SELECT x FROM two INDEXED BY two_by_one ORDER BY x COLLATE one");
  printf("reindex main.two: %d\n", sqlite3_exec(c, "REINDEX main.two", NULL, NULL, NULL));
  query(c, "c by one", "SELECT x FROM two INDEXED BY two_by_one ORDER BY x COLLATE one");
  sqlite3_close(c);

  printf("close a\n");
  sqlite3_close(a);
  printf("close b\n");
  sqlite3_close(b);
  return 0;
}
