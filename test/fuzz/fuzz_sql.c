/*
** fuzz_sql.c — libFuzzer target: the input is SQL text, run statement by
** statement through sqlite3_prepare_v2/sqlite3_step on a fresh in-memory
** database holding a small schema (tables with an INTEGER PRIMARY KEY, an
** index, a WITHOUT ROWID table, a view and a trigger).
**
** Invariant checked: the engine never crashes, leaks or trips a sanitizer,
** and every failure is a known result code with a message.  Work per input
** is bounded so that no input can run forever or exhaust memory: a progress
** handler stops a statement after a fixed number of VM steps, every
** statement yields a bounded number of rows, the number of statements is
** capped, and the length and depth limits are lowered.  Files an input
** creates (ATTACH, VACUUM INTO) land in a private temporary directory.
*/
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sqlite3.h"

#define MAX_STATEMENTS 64
#define MAX_ROWS 200
#define PROGRESS_PERIOD 64
#define MAX_PROGRESS_CALLS 4000 /* about 250k VM steps per input */

typedef struct Budget {
  int calls;
} Budget;

static int progress(void *arg) {
  Budget *b = arg;
  return ++b->calls > MAX_PROGRESS_CALLS;
}

static const char schema[] =
    "CREATE TABLE t1(a INTEGER PRIMARY KEY, b TEXT, c REAL, d BLOB);"
    "CREATE TABLE t2(x, y TEXT COLLATE NOCASE, z INT DEFAULT 7, UNIQUE(x, y));"
    "CREATE INDEX t2z ON t2(z DESC, x);"
    "CREATE TABLE t3(k TEXT PRIMARY KEY, v) WITHOUT ROWID;"
    "CREATE VIEW v1 AS SELECT a, b, x FROM t1 LEFT JOIN t2 ON a = x;"
    "CREATE TRIGGER tr1 AFTER INSERT ON t1 BEGIN INSERT OR IGNORE INTO t3 VALUES (coalesce(new.b, ''), new.a); END;"
    "INSERT INTO t1 VALUES (1, 'one', 1.5, x'01'), (2, 'two', NULL, NULL), (5, NULL, -0.0, x'');"
    "INSERT INTO t2 VALUES (1, 'A', 3), (2, 'b', NULL), (NULL, NULL, 9), ('s', 'x', 'y');";

static int known_rc(int rc) {
  int primary = rc & 0xff;
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return 1;
  return primary >= SQLITE_ERROR && primary <= SQLITE_WARNING;
}

static void check_failure(sqlite3 *db, int rc) {
  if (!known_rc(rc)) {
    fprintf(stderr, "unknown result code %d\n", rc);
    abort();
  }
  const char *msg = sqlite3_errmsg(db);
  if (!msg || !*msg) {
    fprintf(stderr, "result code %d without a message\n", rc);
    abort();
  }
}

/* Reads every column of a row in its natural form, then as text and blob,
** so the value conversions run too. */
static void read_row(sqlite3_stmt *st) {
  int n = sqlite3_column_count(st);
  for (int i = 0; i < n; i++) {
    switch (sqlite3_column_type(st, i)) {
      case SQLITE_INTEGER: (void)sqlite3_column_int64(st, i); break;
      case SQLITE_FLOAT: (void)sqlite3_column_double(st, i); break;
      default: break;
    }
    const unsigned char *t = sqlite3_column_text(st, i);
    int len = sqlite3_column_bytes(st, i);
    if (t && len > 0 && t[len] != 0) abort(); /* text is NUL-terminated */
    (void)sqlite3_column_blob(st, i);
    (void)sqlite3_column_name(st, i);
    (void)sqlite3_column_decltype(st, i);
  }
}

static char temp_dir[] = "/tmp/lode-fuzz-sql-XXXXXX";
static int in_temp_dir;

/* Removes the files an input created, so that every input starts alike. */
static void clear_temp_dir(void) {
  if (!in_temp_dir) return;
  DIR *d = opendir(".");
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) unlink(e->d_name);
  closedir(d);
}

static void remove_temp_dir(void) {
  clear_temp_dir();
  if (in_temp_dir) rmdir(temp_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  in_temp_dir = mkdtemp(temp_dir) && chdir(temp_dir) == 0;
  if (in_temp_dir) atexit(remove_temp_dir);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *sql = malloc(size + 1);
  if (!sql) return 0;
  memcpy(sql, data, size);
  sql[size] = 0;

  sqlite3 *db = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) abort();
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 100000);
  sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100000);
  sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 200);
  sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 50);
  sqlite3_limit(db, SQLITE_LIMIT_VDBE_OP, 50000);
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 3);
  sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, 20);
  if (sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK) {
    fprintf(stderr, "schema: %s\n", sqlite3_errmsg(db));
    abort();
  }
  Budget budget = {0};
  sqlite3_progress_handler(db, PROGRESS_PERIOD, progress, &budget);

  const char *tail = sql;
  for (int n = 0; n < MAX_STATEMENTS && *tail && budget.calls <= MAX_PROGRESS_CALLS; n++) {
    sqlite3_stmt *st = NULL;
    const char *next = NULL;
    int rc = sqlite3_prepare_v2(db, tail, -1, &st, &next);
    if (rc != SQLITE_OK) check_failure(db, rc);
    if (rc != SQLITE_OK && (!next || next == tail)) break; /* no progress through the text */
    if (!next || next < tail || next > sql + size) abort();
    tail = next;
    if (!st) continue;
    for (int rows = 0; rows < MAX_ROWS; rows++) {
      rc = sqlite3_step(st);
      if (rc == SQLITE_ROW) {
        read_row(st);
        continue;
      }
      if (rc != SQLITE_DONE) check_failure(db, rc);
      break;
    }
    sqlite3_finalize(st);
  }
  /* A transaction an input left open is rolled back by close. */
  if (sqlite3_close(db) != SQLITE_OK) abort();
  clear_temp_dir();
  free(sql);
  return 0;
}
