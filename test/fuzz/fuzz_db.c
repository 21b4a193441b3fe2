/*
** fuzz_db.c — libFuzzer target: the input is a database image, loaded with
** sqlite3_deserialize into an in-memory database; then the schema is read,
** PRAGMA integrity_check runs, every table and index is scanned, ANALYZE
** reads every index, and a few writes (update, delete, insert, vacuum) run
** over each table.
**
** Invariant checked: a damaged image gives errors (SQLITE_CORRUPT,
** SQLITE_NOTADB, ...) with a message, never a crash, a leak, a sanitizer
** report or a hang.  Work is bounded as in fuzz_sql.c: a progress handler
** stops a statement after a fixed number of VM steps, each statement
** yields a bounded number of rows, and the number of tables visited is
** capped.  Names are prefixed so that test/c/test_fuzz_regress.c can
** include this file next to fuzz_sql.c.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite3.h"

#define IMG_MAX_IMAGE (1 << 20)
#define IMG_MAX_ROWS 500
#define IMG_MAX_TABLES 8
#define IMG_PROGRESS_PERIOD 64
#define IMG_MAX_PROGRESS_CALLS 8000

typedef struct ImgBudget {
  int calls;
} ImgBudget;

static int img_progress(void *arg) {
  ImgBudget *b = arg;
  return ++b->calls > IMG_MAX_PROGRESS_CALLS;
}

static int img_known_rc(int rc) {
  int primary = rc & 0xff;
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return 1;
  return primary >= SQLITE_ERROR && primary <= SQLITE_WARNING;
}

static void img_check_failure(sqlite3 *db, int rc) {
  const char *msg = sqlite3_errmsg(db);
  if (!img_known_rc(rc) || !msg || !*msg) {
    fprintf(stderr, "bad failure: code %d message %s\n", rc, msg ? msg : "(null)");
    abort();
  }
}

/* Runs one statement to completion (or IMG_MAX_ROWS rows), reading every value. */
static void img_run(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  if (rc != SQLITE_OK) {
    img_check_failure(db, rc);
    return;
  }
  if (!st) return;
  for (int rows = 0; rows < IMG_MAX_ROWS; rows++) {
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
      if (rc != SQLITE_DONE) img_check_failure(db, rc);
      break;
    }
    for (int i = 0; i < sqlite3_column_count(st); i++) {
      (void)sqlite3_column_text(st, i);
      (void)sqlite3_column_bytes(st, i);
    }
  }
  sqlite3_finalize(st);
}

/* The identifier as a quoted SQL name ("a""b"); caller frees. */
static char *img_quote_name(const char *name) {
  size_t len = strlen(name), k = 0;
  char *q = malloc(2 * len + 3);
  if (!q) abort();
  q[k++] = '"';
  for (size_t i = 0; i < len; i++) {
    if (name[i] == '"') q[k++] = '"';
    q[k++] = name[i];
  }
  q[k++] = '"';
  q[k] = 0;
  return q;
}

/* The names of at most IMG_MAX_TABLES schema entries of the type, quoted, with
** the table each belongs to; caller frees both. */
static int img_list_names(sqlite3 *db, const char *type, char **names, char **tables) {
  sqlite3_stmt *st = NULL;
  int n = 0;
  char sql[160];
  snprintf(sql, sizeof sql,
           "SELECT name, tbl_name FROM sqlite_schema WHERE type = '%s' AND name NOT LIKE 'sqlite_%%' LIMIT %d",
           type, IMG_MAX_TABLES);
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  if (rc != SQLITE_OK) {
    img_check_failure(db, rc);
    return 0;
  }
  while (n < IMG_MAX_TABLES && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(st, 0);
    const char *table = (const char *)sqlite3_column_text(st, 1);
    if (!name || !table) continue;
    names[n] = img_quote_name(name);
    tables[n++] = img_quote_name(table);
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) img_check_failure(db, rc);
  sqlite3_finalize(st);
  return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > IMG_MAX_IMAGE) return 0;
  sqlite3 *db = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) abort();
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1000000);
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
  unsigned char *image = sqlite3_malloc64(size ? size : 1);
  if (!image) abort();
  memcpy(image, data, size);
  int rc = sqlite3_deserialize(db, "main", image, (sqlite3_int64)size, (sqlite3_int64)size,
                               SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
  if (rc != SQLITE_OK) {
    img_check_failure(db, rc);
    sqlite3_close(db);
    return 0;
  }
  ImgBudget budget = {0};
  sqlite3_progress_handler(db, IMG_PROGRESS_PERIOD, img_progress, &budget);

  img_run(db, "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema");
  img_run(db, "PRAGMA integrity_check");
  char *tables[IMG_MAX_TABLES], *unused[IMG_MAX_TABLES], *indexes[IMG_MAX_TABLES], *indexed[IMG_MAX_TABLES];
  int ntables = img_list_names(db, "table", tables, unused);
  int nindexes = img_list_names(db, "index", indexes, indexed);
  char sql[1024];
  for (int i = 0; i < ntables; i++) {
    snprintf(sql, sizeof sql, "SELECT * FROM %s", tables[i]);
    img_run(db, sql);
    snprintf(sql, sizeof sql, "SELECT count(*), max(rowid) FROM %s", tables[i]);
    img_run(db, sql);
  }
  for (int i = 0; i < nindexes; i++) {
    snprintf(sql, sizeof sql, "PRAGMA index_info(%s)", indexes[i]);
    img_run(db, sql);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s INDEXED BY %s", indexed[i], indexes[i]);
    img_run(db, sql);
  }
  /* Every index's entries read in place, field by field, and sampled. */
  img_run(db, "ANALYZE");
  img_run(db, "BEGIN");
  for (int i = 0; i < ntables; i++) {
    snprintf(sql, sizeof sql, "UPDATE %s SET rowid = -rowid WHERE rowid %% 3 = 0", tables[i]);
    img_run(db, sql);
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE rowid %% 2 = 1", tables[i]);
    img_run(db, sql);
    snprintf(sql, sizeof sql, "INSERT INTO %s SELECT * FROM %s LIMIT 20", tables[i], tables[i]);
    img_run(db, sql);
  }
  img_run(db, "PRAGMA integrity_check");
  img_run(db, "COMMIT");
  img_run(db, "ROLLBACK");
  img_run(db, "VACUUM");
  img_run(db, "PRAGMA quick_check");
  for (int i = 0; i < ntables; i++) {
    free(tables[i]);
    free(unused[i]);
  }
  for (int i = 0; i < nindexes; i++) {
    free(indexes[i]);
    free(indexed[i]);
  }
  if (sqlite3_close(db) != SQLITE_OK) abort();
  return 0;
}
