/*
** filename.c — URI parameters through sqlite3_db_filename (main and an
** attached database), the journal and WAL names beside them,
** sqlite3_uri_boolean/int64/key, filenames made by sqlite3_create_filename,
** and an in-memory database's empty name.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static const char *base(const char *z) {
  if (!z) return "(null)";
  const char *s = strrchr(z, '/');
  return s ? s + 1 : z;
}

static const char *or_null(const char *z) { return z ? z : "(null)"; }

static void show(sqlite3_filename f) {
  printf("  database %s, journal %s, wal %s\n", base(sqlite3_filename_database(f)), base(sqlite3_filename_journal(f)),
         base(sqlite3_filename_wal(f)));
  printf("  keys:");
  for (int i = 0; sqlite3_uri_key(f, i); i++) printf(" %s=%s", sqlite3_uri_key(f, i), sqlite3_uri_parameter(f, sqlite3_uri_key(f, i)));
  printf(" | key(-1) %s\n", or_null(sqlite3_uri_key(f, -1)));
  printf("  foo=%s missing=%s empty='%s'\n", or_null(sqlite3_uri_parameter(f, "foo")),
         or_null(sqlite3_uri_parameter(f, "missing")), or_null(sqlite3_uri_parameter(f, "empty")));
  printf("  boolean: flag=%d off=%d two=%d junk(dflt 1)=%d missing(dflt 7)=%d\n", sqlite3_uri_boolean(f, "flag", 0),
         sqlite3_uri_boolean(f, "off", 1), sqlite3_uri_boolean(f, "two", 0), sqlite3_uri_boolean(f, "foo", 1),
         sqlite3_uri_boolean(f, "missing", 7));
  printf("  int64: hex=%lld neg=%lld foo(dflt 9)=%lld missing(dflt 3)=%lld\n",
         (long long)sqlite3_uri_int64(f, "hex", 0), (long long)sqlite3_uri_int64(f, "neg", 0),
         (long long)sqlite3_uri_int64(f, "foo", 9), (long long)sqlite3_uri_int64(f, "missing", 3));
}

int main(void) {
  sqlite3 *db;
  int rc = sqlite3_open_v2("file:fn.db?foo=bar&flag=yes&off=false&two=2&hex=0x1F&neg=-5&empty=&mode=rwc", &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, NULL);
  printf("open: %d\n", rc);
  printf("main:\n");
  show(sqlite3_db_filename(db, "main"));
  rc = sqlite3_exec(db, "ATTACH 'file:other.db?foo=%62az&flag=off' AS o", NULL, NULL, NULL);
  printf("attach: %d\no:\n", rc);
  show(sqlite3_db_filename(db, "o"));
  sqlite3_exec(db, "ATTACH ':memory:' AS m", NULL, NULL, NULL);
  sqlite3_filename m = sqlite3_db_filename(db, "m");
  printf("m: '%s' foo=%s key0=%s\n", or_null(m), or_null(sqlite3_uri_parameter(m, "foo")), or_null(sqlite3_uri_key(m, 0)));
  printf("NULL name: %s %s\n", or_null(sqlite3_uri_parameter(NULL, "foo")), or_null(sqlite3_filename_wal(NULL)));
  sqlite3_close(db);

  sqlite3_open(":memory:", &db);
  sqlite3_filename f = sqlite3_db_filename(db, "main");
  printf("memory: '%s' foo=%s\n", or_null(f), or_null(sqlite3_uri_parameter(f, "foo")));
  sqlite3_close(db);

  const char *params[] = {"foo", "made", "flag", "on", "hex", "0x10"};
  f = sqlite3_create_filename("/tmp/x.db", "/tmp/x.db-journal", "/tmp/x.db-wal", 3, params);
  printf("created:\n");
  show(f);
  sqlite3_free_filename(f);
  sqlite3_free_filename(NULL);
  return 0;
}
