/*
** mvcc_test.h — what the MVCC test programs share: a test harness with
** skips (a skip prints "skip NAME: SKIP (no mvcc)" and counts as neither a
** pass nor a failure), databases in a temporary folder, and small helpers
** over the sqlite3 API, so the programs also build against the system's
** libsqlite3 (where only their WAL-mode parts can run).
**
**   TEST(name) { MVCC_DB(db_path) ...; CHECK(...); }
**   int main(void) { mt_init("semantics"); RUN(name); return mt_summary(); }
*/
#ifndef LODE_MVCC_TEST_H
#define LODE_MVCC_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sqlite3.h"

static int mt_passed, mt_failed, mt_skipped, mt_cur_failed, mt_cur_skipped;
static const char *mt_cur;
static char mt_dir[256];

#define TEST(name) static void name(void)
#define RUN(name)                                                                                                     \
  do {                                                                                                                \
    mt_cur = #name;                                                                                                   \
    mt_cur_failed = mt_cur_skipped = 0;                                                                               \
    name();                                                                                                           \
    if (mt_cur_failed) mt_failed++;                                                                                   \
    else if (mt_cur_skipped) mt_skipped++;                                                                            \
    else {                                                                                                            \
      mt_passed++;                                                                                                    \
      printf("ok %s\n", #name);                                                                                       \
    }                                                                                                                 \
    fflush(stdout);                                                                                                   \
  } while (0)

#define FAIL_(...)                                                                                                    \
  do {                                                                                                                \
    if (!mt_cur_failed) printf("FAIL %s: ", mt_cur);                                                                  \
    else printf("     ");                                                                                             \
    printf("%s:%d: ", __FILE__, __LINE__);                                                                            \
    printf(__VA_ARGS__);                                                                                              \
    printf("\n");                                                                                                     \
    mt_cur_failed = 1;                                                                                                \
  } while (0)

#define CHECK(cond)                                                                                                   \
  do {                                                                                                                \
    if (!(cond)) FAIL_("%s", #cond);                                                                                  \
  } while (0)
#define CHECK_INT(a, b)                                                                                               \
  do {                                                                                                                \
    long long a_ = (long long)(a), b_ = (long long)(b);                                                               \
    if (a_ != b_) FAIL_("%s == %lld, expected %lld", #a, a_, b_);                                                     \
  } while (0)
#define CHECK_STR(a, b)                                                                                               \
  do {                                                                                                                \
    const char *a_ = (a), *b_ = (b);                                                                                  \
    if (!a_ || !b_ || strcmp(a_, b_) != 0)                                                                            \
      FAIL_("%s == \"%s\", expected \"%s\"", #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)");                             \
  } while (0)
/* The primary result code of an extended one. */
#define CHECK_RC(rc, want) CHECK_INT((rc) & 0xff, want)

static inline void mt_skip(const char *why) {
  if (!mt_cur_skipped) printf("skip %s: SKIP (%s)\n", mt_cur, why);
  mt_cur_skipped = 1;
}

static void mt_init(const char *prog) {
  const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
  snprintf(mt_dir, sizeof mt_dir, "%s/%s.XXXXXX", base, prog);
  if (!mkdtemp(mt_dir)) {
    perror("mkdtemp");
    exit(1);
  }
}

static void mt_remove_db(const char *path) {
  static const char *const sfx[] = {"", "-wal", "-shm", "-journal", "-log", "-mvcc"};
  char p[700];
  for (size_t i = 0; i < sizeof sfx / sizeof *sfx; i++) {
    snprintf(p, sizeof p, "%s%s", path, sfx[i]);
    unlink(p);
  }
}

static int mt_summary(void) {
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", mt_dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", mt_dir);
  printf("%d passed, %d failed, %d skipped\n", mt_passed, mt_failed, mt_skipped);
  return mt_failed ? 1 : 0;
}

/* A fresh database path (files removed) in the temporary folder. */
static const char *mt_path(const char *name, char *buf, size_t n) {
  snprintf(buf, n, "%s/%s.db", mt_dir, name);
  mt_remove_db(buf);
  return buf;
}

static sqlite3 *mt_open(const char *path) {
  sqlite3 *db = NULL;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
    fprintf(stderr, "open %s: %s\n", path, db ? sqlite3_errmsg(db) : "no memory");
    sqlite3_close(db);
    return NULL;
  }
  return db;
}

/* Runs sql; returns SQLITE_OK or the extended code of the failure. */
static int ex(sqlite3 *db, const char *sql) {
  return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? SQLITE_OK : sqlite3_extended_errcode(db);
}

/* Every row of sql as "a,b;c,d" (NULL as "N"); "error: <msg>" on failure.  Rotating per-thread buffers. */
static const char *q(sqlite3 *db, const char *sql) {
  static _Thread_local char bufs[8][4096];
  static _Thread_local int next;
  char *out = bufs[next++ % 8];
  size_t n = 0;
  sqlite3_stmt *s = NULL;
  out[0] = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
  if (rc == SQLITE_OK) {
    int rows = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(s) && n < 4000; i++) {
        const char *z = (const char *)sqlite3_column_text(s, i);
        n += (size_t)snprintf(out + n, 4096 - n, "%s%s", i ? "," : rows ? ";" : "", z ? z : "N");
      }
      rows++;
    }
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
  }
  if (rc != SQLITE_OK) snprintf(out, 4096, "error: %s", sqlite3_errmsg(db));
  sqlite3_finalize(s);
  return out;
}

static inline long long qi(sqlite3 *db, const char *sql) { return atoll(q(db, sql)); }

/* Switches db to MVCC; 1 when the engine reports the mode (mvcc, or experimental_mvcc). */
static inline int mt_mvcc_on(sqlite3 *db) {
  const char *m = q(db, "PRAGMA journal_mode = experimental_mvcc");
  return strcmp(m, "mvcc") == 0 || strcmp(m, "experimental_mvcc") == 0;
}

#endif /* LODE_MVCC_TEST_H */
