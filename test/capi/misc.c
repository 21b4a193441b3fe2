/*
** misc.c — the library-level calls: SQLite's printf (mprintf, snprintf,
** vmprintf with %q/%Q/%w/%z and the usual conversions), the allocator,
** string matching (strglob, strlike, stricmp), keywords, the default VFS's
** clock, table_column_metadata, db_filename/db_readonly, limits, status.
*/
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char *vformat(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *z = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  return z;
}

static void show(char *z) {
  printf("[%s]\n", z ? z : "(null)");
  sqlite3_free(z);
}

int main(void) {
  char buf[16];
  show(sqlite3_mprintf("%d|%i|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d", 42, -7, 3000000000u, 255, 255, 8, 42, 42, 42, 42,
                       42));
  show(sqlite3_mprintf("%lld|%llu|%llx|%ld", -9223372036854775807LL - 1, 18446744073709551615ULL, 0xdeadbeefcafeULL,
                       123456789L));
  show(sqlite3_mprintf("%f|%.2f|%e|%.3e|%g|%g|%g|%10.3f|%-10.1f|", 3.14159, 2.625, 12345.678, 0.000123, 100000.0, 1e20,
                       0.0001, -1.5, 2.25));
  show(sqlite3_mprintf("%s|%.3s|%10s|%-10s|%c%c", "hello", "abcdef", "right", "left", 'o', 'k'));
  show(sqlite3_mprintf("%q|%Q|%Q|%w", "it's", "it's", (char *)NULL, "a\"b"));
  show(sqlite3_mprintf("%s|%q", (char *)NULL, (char *)NULL));
  show(sqlite3_mprintf("%z and more", sqlite3_mprintf("owned %d", 1)));
  show(sqlite3_mprintf("%.*s|%*d|%%|%.0f|%.1f", 2, "xyz", 6, 7, 2.5, 0.05));
  show(sqlite3_mprintf(""));
  show(sqlite3_mprintf("%!.15g|%!.20e", 0.1, 1.0));
  show(vformat("v:%d-%s", 5, "five"));
  printf("snprintf: [%s]\n", sqlite3_snprintf((int)sizeof buf, buf, "%s-%d", "truncated text here", 12345));
  printf("snprintf small: [%s]\n", sqlite3_snprintf(1, buf, "abc"));
  /* Formats of only text, %s, %d/%i and %% (written without the general formatter). */
  show(sqlite3_mprintf("%s hundred %d%%|%i|%ld|%lld|%s|", "one", -12, 7, -2147483648L, 9223372036854775807LL,
                       (char *)NULL));
  show(sqlite3_mprintf("plain text only"));
  printf("snprintf simple: [%s]\n", sqlite3_snprintf(12, buf, "%s and %d", "three", 1234567));
  printf("snprintf simple exact: [%s]\n", sqlite3_snprintf(6, buf, "%s", "12345"));
  printf("snprintf simple then general: [%s]\n", sqlite3_snprintf((int)sizeof buf, buf, "%s %5d|", "x", 42));
  printf("snprintf trailing percent: [%s]\n", sqlite3_snprintf((int)sizeof buf, buf, "ab%"));

  void *p = sqlite3_malloc(100);
  printf("malloc: %s msize>=100: %d\n", p ? "ok" : "null", (int)(sqlite3_msize(p) >= 100));
  p = sqlite3_realloc(p, 1000);
  printf("realloc: %s msize>=1000: %d\n", p ? "ok" : "null", (int)(sqlite3_msize(p) >= 1000));
  sqlite3_free(p);
  printf("malloc(0)=%s malloc64(0)=%s realloc(NULL,0)=%s\n", sqlite3_malloc(0) ? "set" : "NULL",
         sqlite3_malloc64(0) ? "set" : "NULL", sqlite3_realloc(NULL, 0) ? "set" : "NULL");
  sqlite3_free(NULL);

  printf("strglob: %d %d %d %d %d\n", sqlite3_strglob("a*c", "abbc"), sqlite3_strglob("a?c", "abbc"),
         sqlite3_strglob("[a-c]x", "bx"), sqlite3_strglob("*.txt", "notes.txt"), sqlite3_strglob("A*", "abc"));
  printf("strlike: %d %d %d %d\n", sqlite3_strlike("a%c", "ABBC", 0), sqlite3_strlike("a_c", "abbc", 0),
         sqlite3_strlike("100!%", "100%", '!'), sqlite3_strlike("100!%", "1000", '!'));
  printf("stricmp: %d %d %d strnicmp: %d %d\n", sqlite3_stricmp("abc", "ABC") == 0, sqlite3_stricmp("a", "b") < 0,
         sqlite3_stricmp("b", "A") > 0, sqlite3_strnicmp("abcX", "ABCy", 3) == 0, sqlite3_strnicmp("ab", "AC", 2) < 0);
  printf("keywords: %d select=%d SELECT=%d selectx=%d frobnicate=%d\n", sqlite3_keyword_count(),
         sqlite3_keyword_check("select", 6), sqlite3_keyword_check("SELECT", 6), sqlite3_keyword_check("selectx", 7),
         sqlite3_keyword_check("frobnicate", 10));
  {
    int found = 0, len;
    const char *name;
    for (int i = 0; i < sqlite3_keyword_count(); i++)
      if (sqlite3_keyword_name(i, &name, &len) == SQLITE_OK && len == 5 && strncmp(name, "WHERE", 5) == 0) found = 1;
    printf("keyword_name lists WHERE: %d, out of range: %d\n", found,
           sqlite3_keyword_name(sqlite3_keyword_count(), &name, &len));
  }

  sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);
  sqlite3_int64 now = 0;
  printf("vfs: %s version>=2: %d\n", vfs ? vfs->zName : "(none)", vfs && vfs->iVersion >= 2);
  if (vfs && vfs->xCurrentTimeInt64) vfs->xCurrentTimeInt64(vfs, &now);
  /* a Julian day in ms between the years 2020 and 2200 */
  printf("clock plausible: %d\n", now > 212000000000000LL && now < 218000000000000LL);
  printf("vfs_find(nonesuch): %s\n", sqlite3_vfs_find("nonesuch") ? "set" : "NULL");

  sqlite3 *db;
  sqlite3_open(":memory:", &db);
  sqlite3_exec(db,
               "CREATE TABLE m(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL COLLATE NOCASE, v);"
               "CREATE TABLE k(a, b INT, PRIMARY KEY (a, b)) WITHOUT ROWID",
               NULL, NULL, NULL);
  const char *cols[][2] = {{"m", "id"}, {"m", "name"}, {"m", "v"},   {"m", "rowid"},
                           {"k", "b"},  {"m", "nope"}, {"zz", "a"}};
  for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
    const char *type = NULL, *coll = NULL;
    int notnull = -1, pk = -1, autoinc = -1;
    int rc = sqlite3_table_column_metadata(db, NULL, cols[i][0], cols[i][1], &type, &coll, &notnull, &pk, &autoinc);
    if (rc == SQLITE_OK)
      printf("metadata %s.%s: type=%s coll=%s notnull=%d pk=%d autoinc=%d\n", cols[i][0], cols[i][1],
             type ? type : "(null)", coll ? coll : "(null)", notnull, pk, autoinc);
    else printf("metadata %s.%s: %d %s\n", cols[i][0], cols[i][1], rc, sqlite3_errmsg(db));
  }
  {
    /* where result columns come from */
    sqlite3_stmt *q;
    sqlite3_exec(db, "CREATE TABLE plain(x, y)", NULL, NULL, NULL);
    sqlite3_prepare_v2(db,
                       "SELECT m.id, name AS label, v + 1, m.rowid, k.a, plain.rowid, 42 "
                       "FROM m, k, plain WHERE m.id = 0",
                       -1, &q, NULL);
    for (int i = 0; i < sqlite3_column_count(q); i++) {
      const char *d = sqlite3_column_database_name(q, i), *t = sqlite3_column_table_name(q, i),
                 *o = sqlite3_column_origin_name(q, i);
      printf("origin of %s: %s.%s.%s\n", sqlite3_column_name(q, i), d ? d : "-", t ? t : "-", o ? o : "-");
    }
    sqlite3_finalize(q);    /* through views, FROM subqueries, CTEs and scalar subqueries; declared
    ** types follow the origin; a compound takes its first arm's, one in FROM
    ** its last arm's */
    sqlite3_exec(db,
                 "CREATE TABLE ot(a INTEGER PRIMARY KEY, b TEXT, c REAL); CREATE TABLE ou(x, y VARCHAR(3));"
                 "CREATE VIEW ov AS SELECT a AS va, b, c + 1 AS e FROM ot;"
                 "CREATE VIEW ovv(w, bb) AS SELECT va, b FROM ov;"
                 "CREATE VIEW ovc AS SELECT a, b FROM ot UNION ALL SELECT x, y FROM ou",
                 NULL, NULL, NULL);
    static const char *const queries[] = {
        "SELECT va, b, e FROM ov",
        "SELECT * FROM ovv",
        "SELECT a, b FROM ovc",
        "SELECT q, c FROM (SELECT a AS q, c FROM ot)",
        "WITH w(p1, p2) AS (SELECT b, c FROM ot) SELECT * FROM w",
        "SELECT (SELECT y FROM ou), (SELECT count(*) FROM ou), (SELECT bb FROM ovv) FROM ot",
        "SELECT a, b FROM ot UNION SELECT x, y FROM ou",
        "SELECT * FROM (SELECT x, y FROM ou UNION ALL SELECT a, b FROM ot)",
        "SELECT b, row_number() OVER () FROM ov",
        "SELECT name, rootpage FROM sqlite_schema",
    };
    for (size_t k = 0; k < sizeof queries / sizeof queries[0]; k++) {
      if (sqlite3_prepare_v2(db, queries[k], -1, &q, NULL) != SQLITE_OK) {
        printf("%s: %s\n", queries[k], sqlite3_errmsg(db));
        continue;
      }
      for (int i = 0; i < sqlite3_column_count(q); i++) {
        const char *d = sqlite3_column_database_name(q, i), *t = sqlite3_column_table_name(q, i),
                   *o = sqlite3_column_origin_name(q, i), *ty = sqlite3_column_decltype(q, i);
        printf("%s: origin of %s: %s.%s.%s decltype=%s\n", queries[k], sqlite3_column_name(q, i), d ? d : "-",
               t ? t : "-", o ? o : "-", ty ? ty : "-");
      }
      sqlite3_finalize(q);
    }
  }
  printf("db_filename(main)='%s' readonly=%d readonly(nope)=%d\n", sqlite3_db_filename(db, "main"),
         sqlite3_db_readonly(db, "main"), sqlite3_db_readonly(db, "nope"));
  int old = sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, 2);
  printf("limit variable_number was >= 32766: %d now %d\n", old >= 32766,
         sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, -1));
  sqlite3_stmt *s = NULL;
  int rc = sqlite3_prepare_v2(db, "SELECT ?, ?, ?", -1, &s, NULL);
  printf("three variables over a limit of 2: %d %s\n", rc, sqlite3_errmsg(db));
  sqlite3_finalize(s);
  rc = sqlite3_prepare_v2(db, "SELECT ?, ?", -1, &s, NULL);
  printf("two variables: %d\n", rc);
  sqlite3_finalize(s);
  printf("limit(-1 id)=%d\n", sqlite3_limit(db, -1, 5));
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 10);
  sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 30);
  rc = sqlite3_prepare_v2(db, "SELECT ?, 'a long statement text here'", -1, &s, NULL);
  printf("statement over SQL_LENGTH: %d %s\n", rc, sqlite3_errmsg(db));
  rc = sqlite3_prepare_v2(db, "SELECT ?", -1, &s, NULL);
  printf("short statement: %d\n", rc);
  rc = sqlite3_bind_text(s, 1, "0123456789", -1, SQLITE_STATIC);
  printf("bind 10 bytes with LENGTH 10: %d\n", rc);
  rc = sqlite3_bind_text(s, 1, "0123456789a", -1, SQLITE_STATIC);
  printf("bind 11 bytes: %d %s\n", rc, sqlite3_errmsg(db));
  rc = sqlite3_bind_blob(s, 1, "0123456789abc", 12, SQLITE_STATIC);
  printf("bind 12-byte blob: %d\n", rc);
  sqlite3_finalize(s);
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1000000000);
  sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 1000000000);
  int fk = -1;
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FKEY, -1, &fk);
  printf("foreign keys by default: %d\n", fk);
  int cur = -1, high = -1;
  printf("db_status: %d\n", sqlite3_db_status(db, SQLITE_DBSTATUS_LOOKASIDE_USED, &cur, &high, 0));
  printf("txn_state: %d\n", sqlite3_txn_state(db, NULL));
  sqlite3_exec(db, "BEGIN; INSERT INTO m(name) VALUES ('x')", NULL, NULL, NULL);
  printf("txn_state in write: %d\n", sqlite3_txn_state(db, "main"));
  sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  printf("threadsafe>0: %d libversion_number>=3040000: %d sourceid set: %d\n", sqlite3_threadsafe() > 0,
         sqlite3_libversion_number() >= 3040000, sqlite3_sourceid() != NULL);
  printf("close: %d\n", sqlite3_close(db));
  return 0;
}
