/*
** wal_regions.c — cache misses on reader threads while a writer grows the
** WAL past several wal-index regions (4096 frames each).  Readers of a
** transaction read their pages without the file's mutex (pager_int.h, the
** read gate) while the writer maps new regions and publishes frames; under
** ThreadSanitizer (make SAN=thread test-threads) any unguarded sharing of the
** region table, the hash tables or the handles is reported.
**
** The writer commits BATCH rows of PAD bytes (a row a page) at a time with automatic
** checkpoints off, so the WAL passes 3 regions (12k+ frames).  Readers keep
** a cache of a few pages, so nearly every page they visit is a miss, and
** check in each snapshot that the row count is a multiple of BATCH and equals
** the count through the index.  A reader's snapshot must stay whole however
** far the writer gets.
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lode.h"

#define READERS 2
#define BATCH 50
#define COMMITS 300 /* x ~50 frames (a row a page): past 3 regions */
#define PAD 3000

static char path[512];
static int failures;
static int writer_done; /* under lock */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void fail(const char *what, lode *db) {
  pthread_mutex_lock(&lock);
  failures++;
  fprintf(stderr, "FAIL %s: %s\n", what, db ? lode_errmsg(db) : "");
  pthread_mutex_unlock(&lock);
}

static int done(void) {
  pthread_mutex_lock(&lock);
  int d = writer_done;
  pthread_mutex_unlock(&lock);
  return d;
}

static lode *connect(void) {
  lode *db = NULL;
  if (lode_open(path, &db) != LODE_OK) {
    fail("open", db);
    lode_close(db);
    return NULL;
  }
  lode_busy_timeout(db, 20000);
  return db;
}

static int exec(lode *db, const char *sql) {
  char *err = NULL;
  int rc = lode_exec(db, sql, &err);
  lode_free(err);
  return rc;
}

static long long one(lode *db, const char *sql) {
  lode_stmt *s = NULL;
  long long v = -1;
  if (lode_prepare(db, sql, -1, &s, NULL) == LODE_OK && lode_step(s) == LODE_ROW) v = lode_column_int64(s, 0);
  lode_finalize(s);
  return v;
}

static void *writer(void *arg) {
  (void)arg;
  lode *db = connect();
  if (!db) return NULL;
  exec(db, "PRAGMA wal_autocheckpoint = 0");
  for (int c = 0; c < COMMITS; c++) {
    char sql[200];
    snprintf(sql, sizeof sql,
             "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
             "INSERT INTO t(k, pad) SELECT %d * 1000 + i, randomblob(%d) FROM n; COMMIT",
             BATCH, c, PAD);
    if (exec(db, sql) != LODE_OK) {
      fail("writer commit", db);
      break;
    }
  }
  pthread_mutex_lock(&lock);
  writer_done = 1;
  pthread_mutex_unlock(&lock);
  lode_close(db);
  return NULL;
}

static void *reader(void *arg) {
  (void)arg;
  lode *db = connect();
  if (!db) return NULL;
  exec(db, "PRAGMA cache_size = 8");
  int snapshots = 0;
  while (!done() || snapshots == 0) {
    if (exec(db, "BEGIN") != LODE_OK) {
      fail("reader begin", db);
      break;
    }
    long long n = one(db, "SELECT count(*) FROM t");
    long long via_index = one(db, "SELECT count(*) FROM t INDEXED BY tk WHERE k >= 0");
    long long sum = one(db, "SELECT sum(length(pad)) FROM t");
    exec(db, "COMMIT");
    if (n < 0 || n % BATCH != 0 || via_index != n || sum != n * PAD) {
      char what[160];
      snprintf(what, sizeof what, "snapshot: %lld rows, %lld through the index, %lld pad bytes", n, via_index, sum);
      fail(what, NULL);
      break;
    }
    snapshots++;
  }
  lode_close(db);
  return NULL;
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : ".";
  snprintf(path, sizeof path, "%s/wal-regions-%d.db", dir, (int)getpid());
  lode *db = connect();
  if (!db || exec(db, "PRAGMA journal_mode = wal; CREATE TABLE t(id INTEGER PRIMARY KEY, k INT, pad BLOB);"
                      "CREATE INDEX tk ON t(k)") != LODE_OK) {
    fail("create", db);
    return 1;
  }
  pthread_t tw, tr[READERS];
  pthread_create(&tw, NULL, writer, NULL);
  for (int i = 0; i < READERS; i++) pthread_create(&tr[i], NULL, reader, NULL);
  pthread_join(tw, NULL);
  for (int i = 0; i < READERS; i++) pthread_join(tr[i], NULL);
  long long n = one(db, "SELECT count(*) FROM t");
  if (n != (long long)BATCH * COMMITS) fail("final count", db);
  lode_stmt *s = NULL;
  int wal_frames = 0;
  if (lode_prepare(db, "PRAGMA wal_checkpoint(PASSIVE)", -1, &s, NULL) == LODE_OK && lode_step(s) == LODE_ROW)
    wal_frames = (int)lode_column_int64(s, 1);
  lode_finalize(s);
  if (wal_frames <= 3 * 4096) {
    char what[80];
    snprintf(what, sizeof what, "the WAL did not pass 3 wal-index regions (%d frames)", wal_frames);
    fail(what, NULL);
  }
  char out[64] = "";
  if (lode_prepare(db, "PRAGMA integrity_check", -1, &s, NULL) == LODE_OK && lode_step(s) == LODE_ROW)
    snprintf(out, sizeof out, "%s", (const char *)lode_column_text(s, 0));
  lode_finalize(s);
  if (strcmp(out, "ok") != 0) fail("integrity_check", db);
  lode_close(db);
  if (failures) return 1;
  printf("ok wal_regions: %d rows in %d WAL frames, read by %d threads with 8-page caches\n", BATCH * COMMITS,
         wal_frames, READERS);
  return 0;
}
