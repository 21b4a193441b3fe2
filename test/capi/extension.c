/*
** extension.c — loadable extensions: test/capi/ext/sample.c built against
** the system's sqlite3ext.h (ext_sample-sys.so) and against Lode's
** (ext_sample-lode.so), loaded from C and from SQL (load_extension) once
** enabled, refused before; an explicit entry point, a missing one, an init
** that fails, a missing file; automatic extensions at open.  The libraries
** sit beside this program.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static char dir[4096];

static void query(sqlite3 *db, const char *sql) {
  sqlite3_stmt *s;
  printf("%s ->", sql);
  if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
    printf(" prepare error: %s\n", sqlite3_errmsg(db));
    return;
  }
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW)
    for (int i = 0; i < sqlite3_column_count(s); i++) {
      const unsigned char *t = sqlite3_column_text(s, i);
      printf(" %s", t ? (const char *)t : "NULL");
    }
  if (rc != SQLITE_DONE) printf(" error %d: %s", rc, sqlite3_errmsg(db));
  printf("\n");
  sqlite3_finalize(s);
}

/* Error messages name the file: show them relative to the directory. */
static void show_error(const char *what, int rc, char *err) {
  char *at = err ? strstr(err, dir) : NULL;
  if (at) memmove(at, at + strlen(dir), strlen(at + strlen(dir)) + 1);
  printf("%s -> %d %s\n", what, rc, err ? err : "(no message)");
  sqlite3_free(err);
}

static void load(sqlite3 *db, const char *lib, const char *proc) {
  char path[4200], label[256];
  char *err = NULL;
  snprintf(path, sizeof path, "%s%s", dir, lib);
  int rc = sqlite3_load_extension(db, path, proc, &err);
  snprintf(label, sizeof label, "load %s %s", lib, proc ? proc : "(default)");
  show_error(label, rc, err);
}

static int auto_calls;
static int auto_entry(sqlite3 *db, char **err, const void *api) {
  (void)err, (void)api;
  auto_calls++;
  return sqlite3_create_function(db, "autofn", 0, SQLITE_UTF8, NULL, NULL, NULL, NULL) == SQLITE_MISUSE
             ? SQLITE_OK
             : SQLITE_OK;
}
static int auto_failing(sqlite3 *db, char **err, const void *api) {
  (void)db, (void)api;
  *err = sqlite3_mprintf("auto says no");
  return SQLITE_ERROR;
}

static void run_library(const char *lib) {
  sqlite3 *db;
  char sql[4400];
  printf("== %s\n", lib);
  sqlite3_open(":memory:", &db);
  /* Debian builds its libsqlite3 with the C call enabled at open; SQLite's
  ** default, which Lode keeps, is off: only the disabled state is compared. */
  sqlite3_enable_load_extension(db, 0);
  load(db, lib, NULL);
  snprintf(sql, sizeof sql, "SELECT load_extension('%s%s')", dir, lib);
  query(db, sql);

  /* The C call alone, through db_config. */
  int on = -1;
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 1, &on);
  printf("db_config enable -> %d\n", on);
  load(db, lib, NULL);
  query(db, "SELECT half(5), half(NULL), describe('a', 2, 'c')");
  query(db, "SELECT column1 FROM (VALUES ('ccc'), ('a'), ('bb'), ('ab')) ORDER BY column1 COLLATE bylen");
  query(db, sql);

  sqlite3_enable_load_extension(db, 1);
  load(db, lib, "sample_other_init");
  query(db, "SELECT seven()");
  load(db, lib, "sample_failing_init");
  load(db, lib, "no_such_init");
  load(db, "no-such-library.so", NULL);
  query(db, sql);
  snprintf(sql, sizeof sql, "SELECT load_extension('%s%s', 'sample_other_init')", dir, lib);
  query(db, sql);
  sqlite3_enable_load_extension(db, 0);
  load(db, lib, NULL);
  sqlite3_close(db);
}

int main(int argc, char **argv) {
  (void)argc;
  const char *slash = strrchr(argv[0], '/');
  if (slash) snprintf(dir, sizeof dir, "%.*s", (int)(slash - argv[0] + 1), argv[0]);
  run_library("ext_sample-sys.so");
  run_library("ext_sample-lode.so");

  /* Automatic extensions run at every open, once each however often added. */
  sqlite3 *db;
  printf("auto_extension -> %d\n", sqlite3_auto_extension((void (*)(void))auto_entry));
  printf("auto_extension again -> %d\n", sqlite3_auto_extension((void (*)(void))auto_entry));
  sqlite3_open(":memory:", &db);
  sqlite3_close(db);
  printf("auto calls %d\n", auto_calls);
  printf("cancel -> %d\n", sqlite3_cancel_auto_extension((void (*)(void))auto_entry));
  printf("cancel again -> %d\n", sqlite3_cancel_auto_extension((void (*)(void))auto_entry));
  sqlite3_open(":memory:", &db);
  sqlite3_close(db);
  printf("auto calls %d\n", auto_calls);

  sqlite3_auto_extension((void (*)(void))auto_failing);
  int rc = sqlite3_open(":memory:", &db);
  printf("open with failing auto extension -> %d %s\n", rc, sqlite3_errmsg(db));
  sqlite3_close(db);
  sqlite3_reset_auto_extension();
  rc = sqlite3_open(":memory:", &db);
  printf("open after reset -> %d\n", rc);
  sqlite3_close(db);
  return 0;
}
