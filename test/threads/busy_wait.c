/*
** busy_wait.c — a connection whose write lock is held by another connection
** of the same process (on another thread) waits for it within its busy
** timeout, as for another process's lock; with no timeout it gets
** LODE_BUSY at once.
*/
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "lode.h"

static char path[512];

static void *holder(void *arg) {
  (void)arg;
  lode *db = NULL;
  lode_open(path, &db);
  lode_exec(db, "BEGIN IMMEDIATE; INSERT INTO t VALUES (1)", NULL);
  usleep(300 * 1000);
  lode_exec(db, "COMMIT", NULL);
  lode_close(db);
  return NULL;
}

int main(int argc, char **argv) {
  snprintf(path, sizeof path, "%s/busy-wait-%d.db", argc > 1 ? argv[1] : ".", (int)getpid());
  lode *db = NULL;
  lode_open(path, &db);
  lode_exec(db, "CREATE TABLE t(x)", NULL);
  pthread_t t;
  pthread_create(&t, NULL, holder, NULL);
  usleep(100 * 1000);
  lode *impatient = NULL, *patient = NULL;
  lode_open(path, &impatient);
  lode_open(path, &patient);
  lode_busy_timeout(impatient, 0);
  lode_busy_timeout(patient, 5000);
  int rc_now = lode_exec(impatient, "INSERT INTO t VALUES (3)", NULL);
  int rc_wait = lode_exec(patient, "INSERT INTO t VALUES (2)", NULL);
  pthread_join(t, NULL);
  lode_stmt *s = NULL;
  long long n = -1;
  if (lode_prepare(db, "SELECT count(*) FROM t", -1, &s, NULL) == LODE_OK && lode_step(s) == LODE_ROW)
    n = lode_column_int64(s, 0);
  lode_finalize(s);
  lode_close(impatient);
  lode_close(patient);
  lode_close(db);
  char side[600];
  remove(path);
  snprintf(side, sizeof side, "%s-wal", path);
  remove(side);
  snprintf(side, sizeof side, "%s-shm", path);
  remove(side);
  int ok = (rc_now & 0xff) == LODE_BUSY && rc_wait == LODE_OK && n == 2;
  printf("%s busy wait: no timeout -> %d, 5 s timeout -> %d, rows %lld\n", ok ? "ok" : "FAIL", rc_now, rc_wait, n);
  return ok ? 0 : 1;
}
