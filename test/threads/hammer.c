/*
** hammer.c — connections on threads, one file: writers (explicit and
** autocommit transactions), readers checking that every snapshot holds
** whole transactions, a thread that opens and closes connections, and a
** checkpointer, all at once.  Built and run under ThreadSanitizer (make
** SAN=thread test-threads), which reports any unprotected sharing between
** the connections (the process-wide file, wal-index and lock state).
**
** Every writer inserts rows (th, seq) with seq counting up from 0 within
** its thread, whole transactions at a time; so in any consistent snapshot
** count(*) of a thread's rows is max(seq) + 1.  At the end every committed
** row is there and integrity_check is ok.
**
** LODE_HAMMER_ROUNDS sets the transactions per writer (default 150).
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lode.h"

#define WRITERS 3
#define READERS 2
#define BUSY_MS 20000

static char path[512];
static int rounds = 150;
static int failures = 0;
static pthread_mutex_t fail_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int writers_done = 0; /* read under fail_lock */

static void fail(const char *what, lode *db) {
  pthread_mutex_lock(&fail_lock);
  failures++;
  fprintf(stderr, "FAIL %s: %s\n", what, db ? lode_errmsg(db) : "");
  pthread_mutex_unlock(&fail_lock);
}

static int all_written(void) {
  pthread_mutex_lock(&fail_lock);
  int done = writers_done == WRITERS;
  pthread_mutex_unlock(&fail_lock);
  return done;
}

static lode *connect(void) {
  lode *db = NULL;
  if (lode_open(path, &db) != LODE_OK) {
    fail("open", db);
    lode_close(db);
    return NULL;
  }
  lode_busy_timeout(db, BUSY_MS);
  return db;
}

static int exec(lode *db, const char *sql) {
  char *err = NULL;
  int rc = lode_exec(db, sql, &err);
  lode_free(err);
  return rc;
}

typedef struct Writer {
  int th;
  int committed; /* rows this thread committed */
  unsigned seed;
} Writer;

static int insert_row(lode *db, lode_stmt *ins, int th, int seq) {
  lode_bind_int64(ins, 1, th);
  lode_bind_int64(ins, 2, seq);
  int rc = lode_step(ins);
  lode_reset(ins);
  return rc == LODE_DONE ? LODE_OK : lode_errcode(db);
}

static void *writer(void *arg) {
  Writer *w = arg;
  lode *db = connect();
  lode_stmt *ins = NULL;
  if (!db) return NULL;
  if (lode_prepare(db, "INSERT INTO t(th, seq, payload) VALUES (?, ?, hex(randomblob(40)))", -1, &ins, NULL)) {
    fail("prepare insert", db);
    lode_close(db);
    return NULL;
  }
  for (int r = 0; r < rounds; r++) {
    int n = 1 + (int)(rand_r(&w->seed) % 4);
    int explicit = n > 1 || rand_r(&w->seed) % 2;
    int rc = explicit ? exec(db, rand_r(&w->seed) % 2 ? "BEGIN IMMEDIATE" : "BEGIN") : LODE_OK;
    for (int i = 0; i < n && rc == LODE_OK; i++) rc = insert_row(db, ins, w->th, w->committed + i);
    if (rc == LODE_OK && explicit && rand_r(&w->seed) % 3 == 0)
      rc = exec(db, "UPDATE t SET payload = lower(payload) WHERE th = (SELECT max(th) FROM t)");
    if (rc == LODE_OK && explicit) rc = exec(db, "COMMIT");
    if (rc == LODE_OK) {
      w->committed += n;
    } else {
      /* a deferred transaction that met another writer: SQLITE_BUSY, roll back and retry */
      if (explicit) exec(db, "ROLLBACK");
      if ((rc & 0xff) != LODE_BUSY) fail("write", db);
      r--;
    }
  }
  lode_finalize(ins);
  lode_close(db);
  pthread_mutex_lock(&fail_lock);
  writers_done++;
  pthread_mutex_unlock(&fail_lock);
  return NULL;
}

/* One read transaction: each thread's rows are 0..count-1. */
static int consistent_snapshot(lode *db) {
  lode_stmt *s = NULL;
  int ok = 1;
  if (lode_prepare(db, "SELECT th, count(*), max(seq), count(DISTINCT seq) FROM t GROUP BY th", -1, &s, NULL)) {
    fail("prepare read", db);
    return 0;
  }
  int rc;
  while ((rc = lode_step(s)) == LODE_ROW) {
    long long n = lode_column_int64(s, 1), mx = lode_column_int64(s, 2), d = lode_column_int64(s, 3);
    if (n != mx + 1 || d != n) ok = 0;
  }
  if (rc != LODE_DONE && (rc & 0xff) != LODE_BUSY) fail("read", db);
  lode_finalize(s);
  if (!ok) fail("snapshot holds part of a transaction", NULL);
  return ok;
}

static void *reader(void *arg) {
  (void)arg;
  lode *db = connect();
  if (!db) return NULL;
  while (!all_written()) {
    if (exec(db, "BEGIN") != LODE_OK) continue;
    consistent_snapshot(db);
    consistent_snapshot(db); /* the same snapshot twice */
    exec(db, "COMMIT");
  }
  lode_close(db);
  return NULL;
}

/* Opens and closes connections while the others run. */
static void *churner(void *arg) {
  (void)arg;
  while (!all_written()) {
    lode *db = connect();
    if (!db) return NULL;
    consistent_snapshot(db);
    lode_close(db);
  }
  return NULL;
}

static void *checkpointer(void *arg) {
  (void)arg;
  lode *db = connect();
  if (!db) return NULL;
  while (!all_written()) {
    exec(db, "PRAGMA wal_checkpoint(PASSIVE)");
    usleep(2000);
  }
  lode_close(db);
  return NULL;
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : ".";
  const char *env = getenv("LODE_HAMMER_ROUNDS");
  if (env && atoi(env) > 0) rounds = atoi(env);
  snprintf(path, sizeof path, "%s/hammer-%d.db", dir, (int)getpid());
  lode *db = connect();
  if (!db || exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, th INT, seq INT, payload TEXT);"
                      "CREATE INDEX t_th ON t(th, seq)") != LODE_OK) {
    fail("create", db);
    return 1;
  }
  pthread_t tw[WRITERS], tr[READERS], tc, tk;
  Writer w[WRITERS];
  for (int i = 0; i < WRITERS; i++) {
    w[i].th = i;
    w[i].committed = 0;
    w[i].seed = 1234u + (unsigned)i;
    pthread_create(&tw[i], NULL, writer, &w[i]);
  }
  for (int i = 0; i < READERS; i++) pthread_create(&tr[i], NULL, reader, NULL);
  pthread_create(&tc, NULL, churner, NULL);
  pthread_create(&tk, NULL, checkpointer, NULL);
  for (int i = 0; i < WRITERS; i++) pthread_join(tw[i], NULL);
  for (int i = 0; i < READERS; i++) pthread_join(tr[i], NULL);
  pthread_join(tc, NULL);
  pthread_join(tk, NULL);

  long long want = 0;
  for (int i = 0; i < WRITERS; i++) want += w[i].committed;
  lode_stmt *s = NULL;
  long long got = -1;
  if (lode_prepare(db, "SELECT count(*) FROM t", -1, &s, NULL) == LODE_OK && lode_step(s) == LODE_ROW)
    got = lode_column_int64(s, 0);
  lode_finalize(s);
  if (got != want) {
    fprintf(stderr, "FAIL rows: %lld committed, %lld present\n", want, got);
    failures++;
  }
  if (!consistent_snapshot(db)) failures++;
  s = NULL;
  if (lode_prepare(db, "PRAGMA integrity_check", -1, &s, NULL) != LODE_OK || lode_step(s) != LODE_ROW ||
      strcmp((const char *)lode_column_text(s, 0), "ok") != 0) {
    fprintf(stderr, "FAIL integrity_check\n");
    failures++;
  }
  lode_finalize(s);
  lode_close(db);
  char side[600];
  remove(path);
  snprintf(side, sizeof side, "%s-wal", path);
  remove(side);
  snprintf(side, sizeof side, "%s-shm", path);
  remove(side);
  printf("%s threads: %lld rows by %d writers next to %d readers, a churner and a checkpointer\n",
         failures ? "FAIL" : "ok", want, WRITERS, READERS);
  return failures ? 1 : 0;
}
