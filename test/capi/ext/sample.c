/*
** sample.c — a loadable extension for test/capi/extension.c, built twice:
** against the system's sqlite3ext.h and against Lode's.  It defines half(x)
** and the collation "bylen" (shorter texts first), and uses the sqlite3_str
** and printf routines of the table it is given.
*/
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1

static void half(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
  sqlite3_result_double(ctx, sqlite3_value_double(argv[0]) / 2);
}

static void describe(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  sqlite3_str *s = sqlite3_str_new(sqlite3_context_db_handle(ctx));
  for (int i = 0; i < argc; i++) sqlite3_str_appendf(s, "%s%s", i ? "," : "", sqlite3_value_text(argv[i]));
  sqlite3_str_appendchar(s, 2, '!');
  int n = sqlite3_str_length(s);
  char *z = sqlite3_str_finish(s);
  sqlite3_result_text(ctx, z ? z : "", z ? n : 0, sqlite3_free);
}

static int bylen(void *arg, int na, const void *a, int nb, const void *b) {
  (void)arg;
  if (na != nb) return na < nb ? -1 : 1;
  return memcmp(a, b, (size_t)na);
}

static int setup(sqlite3 *db) {
  int rc = sqlite3_create_function(db, "half", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, half, NULL, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "describe", -1, SQLITE_UTF8, NULL, describe, NULL, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_create_collation(db, "bylen", SQLITE_UTF8, NULL, bylen);
  return rc;
}

int sqlite3_extension_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
  (void)err;
  SQLITE_EXTENSION_INIT2(api);
  return setup(db);
}

static void seven(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc, (void)argv;
  sqlite3_result_int(ctx, 7);
}

/* Named explicitly by the caller. */
int sample_other_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
  (void)err;
  SQLITE_EXTENSION_INIT2(api);
  return sqlite3_create_function(db, "seven", 0, SQLITE_UTF8, NULL, seven, NULL, NULL);
}

/* An init function that fails with a message. */
int sample_failing_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
  (void)db;
  SQLITE_EXTENSION_INIT2(api);
  *err = sqlite3_mprintf("sample refuses: %d", 42);
  return SQLITE_ERROR;
}
