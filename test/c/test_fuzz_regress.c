/*
** test_fuzz_regress.c — the inputs the libFuzzer targets once crashed on,
** replayed without libFuzzer, plus direct checks of what each fix made
** right.  The targets' own code is included (test/fuzz/fuzz_sql.c and
** fuzz_db.c, their entry points renamed), so a kept input runs exactly as
** the fuzzer ran it: a crash or sanitizer report fails this test binary.
** The kept inputs are the files of test/fuzz/regress/<target>/, read from the
** repository root (the directory the C tests run from).
*/
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite3.h"
#include "testlib.h"

#define LLVMFuzzerInitialize fuzz_sql_init
#define LLVMFuzzerTestOneInput fuzz_sql_one
#include "../fuzz/fuzz_sql.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_db_one
#include "../fuzz/fuzz_db.c"
#undef LLVMFuzzerTestOneInput
#undef LLVMFuzzerInitialize

static char regress_dir[PATH_MAX];

/* Runs every file of regress_dir/<target> through one; returns how many. */
static int replay(const char *target, int (*one)(const uint8_t *, size_t)) {
  char dir[PATH_MAX + 64];
  snprintf(dir, sizeof dir, "%s/%s", regress_dir, target);
  DIR *d = opendir(dir);
  if (!d) return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    char path[PATH_MAX * 2];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    FILE *f = fopen(path, "rb");
    if (!f) continue;
    static uint8_t buf[1 << 20];
    size_t size = fread(buf, 1, sizeof buf, f);
    fclose(f);
    one(buf, size);
    n++;
  }
  closedir(d);
  return n;
}

TEST(replay_sql_inputs) { CHECK(replay("fuzz_sql", fuzz_sql_one) >= 1); }
TEST(replay_db_inputs) { CHECK(replay("fuzz_db", fuzz_db_one) >= 1); }

/* An empty image is an empty database: readable, writable, and a commit
** (which flushes the auto-vacuum bookkeeping, empty here) succeeds. */
TEST(empty_image_is_an_empty_database) {
  sqlite3 *db = NULL;
  CHECK_EQ_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
  unsigned char none = 0;
  CHECK_EQ_INT(sqlite3_deserialize(db, "main", &none, 0, 0, 0), SQLITE_OK);
  CHECK_EQ_INT(sqlite3_exec(db, "BEGIN; COMMIT; PRAGMA integrity_check", NULL, NULL, NULL), SQLITE_OK);
  CHECK_EQ_INT(sqlite3_exec(db, "CREATE TABLE t(a); INSERT INTO t VALUES (1); VACUUM", NULL, NULL, NULL),
               SQLITE_OK);
  sqlite3_stmt *st = NULL;
  CHECK_EQ_INT(sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &st, NULL), SQLITE_OK);
  CHECK_EQ_INT(sqlite3_step(st), SQLITE_ROW);
  CHECK_EQ_INT(sqlite3_column_int(st, 0), 1);
  sqlite3_finalize(st);
  CHECK_EQ_INT(sqlite3_close(db), SQLITE_OK);
}

/* The text of the first column of the one row sql returns. */
static void check_text(sqlite3 *db, const char *sql, const char *want) {
  sqlite3_stmt *st = NULL;
  CHECK_EQ_INT(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
  CHECK_EQ_INT(sqlite3_step(st), SQLITE_ROW);
  CHECK_EQ_STR((const char *)sqlite3_column_text(st, 0), want);
  sqlite3_finalize(st);
}

/* Fractional seconds past the millisecond are capped at .999 as SQLite 3.53
** does: they never round up into the next second (nor past 24:00:00). */
TEST(date_fraction_never_rounds_up) {
  sqlite3 *db = NULL;
  CHECK_EQ_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
  check_text(db, "SELECT time('12:00:00.9995') || '|' || time('23:59:59.9999999') || '|' || "
                 "time('24:00:00.99999999999999999999')", "12:00:00|23:59:59|24:00:00");
  check_text(db, "SELECT strftime('%f', '12:00:00.9996') || '|' || strftime('%S', '00:00:59.99999') || '|' || "
                 "strftime('%s', '2000-01-01 00:00:00.99999')", "00.999|59|946684800");
  check_text(db, "SELECT datetime('2000-12-31 23:59:59.9999', '+1 second') || '|' || "
                 "strftime('%f', '12:00:00.123456') || '|' || strftime('%f', '12:00:00.0005')",
             "2001-01-01 00:00:00|00.123|00.001");
  CHECK_EQ_INT(sqlite3_close(db), SQLITE_OK);
}

int main(void) {
  if (!realpath("test/fuzz/regress", regress_dir)) {
    printf("FAIL test/fuzz/regress not found (run from the repository root)\n");
    return 1;
  }
  fuzz_sql_init(NULL, NULL); /* files the inputs create go to a temp dir */
  RUN(replay_sql_inputs);
  RUN(replay_db_inputs);
  RUN(empty_image_is_an_empty_database);
  RUN(date_fraction_never_rounds_up);
  return test_summary();
}
