/*
** threads.c — connections used from several threads: a writer holding a
** write transaction while another thread's connection waits on its busy
** timeout and then succeeds, another that gives up (a timeout shorter than
** the hold), and readers running next to a writer in WAL mode.
*/
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int writer_holds = 0;

static void wait_for_writer(void) {
  pthread_mutex_lock(&lock);
  while (!writer_holds) pthread_cond_wait(&cond, &lock);
  pthread_mutex_unlock(&lock);
}

static void *writer(void *arg) {
  sqlite3 *db;
  (void)arg;
  sqlite3_open("threads.db", &db);
  sqlite3_exec(db, "BEGIN IMMEDIATE; INSERT INTO t VALUES ('writer')", NULL, NULL, NULL);
  pthread_mutex_lock(&lock);
  writer_holds = 1;
  pthread_cond_broadcast(&cond);
  pthread_mutex_unlock(&lock);
  usleep(300 * 1000);
  int rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close(db);
  return (void *)(long)rc;
}

typedef struct Waiter {
  int timeout_ms;
  int rc;
  char msg[64];
} Waiter;

static void *waiter(void *arg) {
  Waiter *w = arg;
  sqlite3 *db;
  wait_for_writer();
  sqlite3_open("threads.db", &db);
  sqlite3_busy_timeout(db, w->timeout_ms);
  w->rc = sqlite3_exec(db, "INSERT INTO t VALUES ('waiter')", NULL, NULL, NULL);
  snprintf(w->msg, sizeof w->msg, "%s", sqlite3_errmsg(db));
  sqlite3_close(db);
  return NULL;
}

static void *reader(void *arg) {
  sqlite3 *db;
  sqlite3_stmt *s;
  int *count = arg;
  wait_for_writer();
  sqlite3_open("threads.db", &db);
  sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &s, NULL);
  *count = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
  sqlite3_finalize(s);
  sqlite3_close(db);
  return NULL;
}

static int count_rows(const char *who) {
  sqlite3 *db;
  sqlite3_stmt *s;
  int n = -1;
  sqlite3_open("threads.db", &db);
  char sql[96];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM t WHERE who = '%s'", who);
  sqlite3_prepare_v2(db, sql, -1, &s, NULL);
  if (sqlite3_step(s) == SQLITE_ROW) n = sqlite3_column_int(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return n;
}

static void round_trip(int timeout_ms) {
  pthread_t w, r, x;
  Waiter wt = {timeout_ms, -1, ""};
  int seen = -2;
  void *wrc;
  writer_holds = 0;
  pthread_create(&w, NULL, writer, NULL);
  pthread_create(&r, NULL, waiter, &wt);
  pthread_create(&x, NULL, reader, &seen);
  pthread_join(x, NULL);
  pthread_join(r, NULL);
  pthread_join(w, &wrc);
  printf("timeout %d ms: writer commit=%ld, waiter rc=%d (%s), reader saw %d rows before the commit\n", timeout_ms,
         (long)wrc, wt.rc, wt.msg, seen);
  printf("  rows: writer=%d waiter=%d\n", count_rows("writer"), count_rows("waiter"));
}

int main(void) {
  sqlite3 *db;
  unlink("threads.db");
  unlink("threads.db-wal");
  unlink("threads.db-shm");
  sqlite3_open("threads.db", &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE t(who TEXT); INSERT INTO t VALUES ('setup')", NULL, NULL,
               NULL);
  sqlite3_close(db);
  round_trip(5000);
  round_trip(20);
  unlink("threads.db");
  unlink("threads.db-wal");
  unlink("threads.db-shm");
  return 0;
}
