/*
** hooks.c — callbacks a connection runs: commit, rollback and update hooks
** (including a commit hook that turns the commit into a rollback),
** trace_v2 and the legacy trace, the progress handler stopping a long
** query, interrupts, and busy handling between two connections on one file
** (a busy handler that gives up, one that lets the other side finish,
** and busy_timeout).
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int veto = 0;
static int on_commit(void *arg) {
  printf("  [commit hook %s]%s\n", (const char *)arg, veto ? " veto" : "");
  return veto;
}
static void on_rollback(void *arg) { printf("  [rollback hook %s]\n", (const char *)arg); }
static void on_update(void *arg, int op, const char *dbname, const char *table, sqlite3_int64 rowid) {
  const char *what = op == SQLITE_INSERT   ? "INSERT"
                     : op == SQLITE_DELETE ? "DELETE"
                     : op == SQLITE_UPDATE ? "UPDATE"
                                           : "?";
  printf("  [update hook %s: %s %s.%s rowid=%lld]\n", (const char *)arg, what, dbname, table, (long long)rowid);
}

static int on_trace(unsigned type, void *ctx, void *p, void *x) {
  (void)ctx;
  if (type == SQLITE_TRACE_STMT) printf("  [trace stmt: %s]\n", (const char *)x);
  else if (type == SQLITE_TRACE_ROW) printf("  [trace row of: %s]\n", sqlite3_sql((sqlite3_stmt *)p));
  else if (type == SQLITE_TRACE_PROFILE) printf("  [trace profile: %s]\n", sqlite3_sql((sqlite3_stmt *)p));
  else if (type == SQLITE_TRACE_CLOSE) printf("  [trace close]\n");
  return 0;
}

static void on_legacy_trace(void *arg, const char *sql) { printf("  [legacy trace %s: %s]\n", (const char *)arg, sql); }

static int progress_calls = 0;
static int on_progress(void *arg) {
  progress_calls++;
  return progress_calls >= *(int *)arg;
}

static int busy_calls = 0;
static int busy_give_up(void *arg, int count) {
  (void)arg;
  busy_calls++;
  return count < 3; /* three retries, then SQLITE_BUSY */
}

static sqlite3 *other;
static int busy_finish_other(void *arg, int count) {
  (void)arg;
  printf("  [busy handler call %d: the other connection commits]\n", count);
  sqlite3_exec(other, "COMMIT", NULL, NULL, NULL);
  return 1;
}

static void run(sqlite3 *db, const char *sql) {
  char *err = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
  printf("%s -> %d%s%s\n", sql, rc, err ? " " : "", err ? err : "");
  sqlite3_free(err);
}

int main(void) {
  sqlite3 *db;
  unlink("hooks.db");
  unlink("hooks.db-wal");
  sqlite3_open("hooks.db", &db);
  run(db, "PRAGMA journal_mode=WAL");
  run(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
  run(db, "CREATE TABLE w(k TEXT PRIMARY KEY, v) WITHOUT ROWID");

  printf("-- hooks\n");
  sqlite3_commit_hook(db, on_commit, "c");
  sqlite3_rollback_hook(db, on_rollback, "r");
  sqlite3_update_hook(db, on_update, "u");
  run(db, "INSERT INTO t(v) VALUES ('a'), ('b')");
  run(db, "UPDATE t SET v = 'bb' WHERE id = 2");
  run(db, "DELETE FROM t WHERE id = 1");
  run(db, "INSERT INTO w VALUES ('k', 1)");
  run(db, "SELECT * FROM t");
  run(db, "BEGIN; INSERT INTO t(v) VALUES ('c'); COMMIT");
  run(db, "BEGIN; INSERT INTO t(v) VALUES ('d'); ROLLBACK");
  run(db, "BEGIN; ROLLBACK");
  run(db, "BEGIN; SELECT count(*) FROM t; ROLLBACK");
  run(db, "BEGIN IMMEDIATE; ROLLBACK");
  run(db, "ROLLBACK");
  run(db, "INSERT INTO t(id, v) VALUES (2, 'dup')");
  run(db, "INSERT OR REPLACE INTO t(id, v) VALUES (2, 'replaced')");
  veto = 1;
  run(db, "INSERT INTO t(v) VALUES ('vetoed')");
  printf("  errcode=%d extended=%d\n", sqlite3_errcode(db), sqlite3_extended_errcode(db));
  run(db, "BEGIN; INSERT INTO t(v) VALUES ('vetoed too'); COMMIT");
  printf("  autocommit=%d\n", sqlite3_get_autocommit(db));
  veto = 0;
  sqlite3_commit_hook(db, NULL, NULL);
  sqlite3_rollback_hook(db, NULL, NULL);
  sqlite3_update_hook(db, NULL, NULL);
  run(db, "SELECT count(*) FROM t");
  {
    sqlite3_stmt *s;
    sqlite3_prepare_v2(db, "SELECT group_concat(v, ',') FROM (SELECT v FROM t ORDER BY id)", -1, &s, NULL);
    sqlite3_step(s);
    printf("  rows now: %s\n", sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
  }

  printf("-- trace\n");
  sqlite3_trace_v2(db, SQLITE_TRACE_STMT | SQLITE_TRACE_ROW | SQLITE_TRACE_PROFILE, on_trace, NULL);
  run(db, "SELECT id FROM t WHERE id < 3 ORDER BY id");
  sqlite3_trace_v2(db, 0, NULL, NULL);
  sqlite3_trace(db, on_legacy_trace, "L");
  run(db, "SELECT 1; SELECT 2");
  {
    sqlite3_stmt *s;
    sqlite3_prepare_v2(db, "SELECT ?1, ?2", -1, &s, NULL);
    sqlite3_bind_int(s, 1, 5);
    sqlite3_bind_text(s, 2, "it's", -1, SQLITE_STATIC);
    sqlite3_step(s);
    sqlite3_finalize(s);
  }
  sqlite3_trace(db, NULL, NULL);
  run(db, "SELECT 3");

  printf("-- progress\n");
  run(db, "CREATE TABLE big(x INTEGER)");
  run(db, "INSERT INTO big WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000) "
          "SELECT x FROM c");
  int stop_after = 5;
  sqlite3_progress_handler(db, 100, on_progress, &stop_after);
  run(db, "SELECT count(*) FROM big a, big b WHERE a.x = b.x + 1");
  printf("  progress called: %s, errcode=%d\n", progress_calls >= 5 ? "yes" : "no", sqlite3_errcode(db));
  sqlite3_progress_handler(db, 0, NULL, NULL);
  run(db, "SELECT count(*) FROM big");

  printf("-- interrupt\n");
  sqlite3_interrupt(db);
  run(db, "SELECT 1");
  {
    sqlite3_stmt *s;
    sqlite3_prepare_v2(db, "SELECT x FROM big", -1, &s, NULL);
    int rc = sqlite3_step(s);
    printf("  first row: %d\n", rc);
    sqlite3_interrupt(db);
    int n = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) n++;
    printf("  after interrupt: %d (%s), is_interrupted=%d\n", rc, sqlite3_errmsg(db), n < 20000);
    sqlite3_finalize(s);
  }
  run(db, "SELECT 1");

  printf("-- busy\n");
  sqlite3_open("hooks.db", &other);
  run(other, "BEGIN IMMEDIATE");
  run(other, "INSERT INTO t(v) VALUES ('from other')");
  run(db, "INSERT INTO t(v) VALUES ('blocked')");
  sqlite3_busy_handler(db, busy_give_up, NULL);
  run(db, "INSERT INTO t(v) VALUES ('blocked again')");
  printf("  busy handler calls: %d\n", busy_calls);
  sqlite3_busy_timeout(db, 30);
  run(db, "INSERT INTO t(v) VALUES ('timed out')");
  {
    /* the timeout bounds the whole wait, whatever the retries inside */
    struct timespec t0, t1;
    sqlite3_busy_timeout(db, 300);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    run(db, "INSERT INTO t(v) VALUES ('timed out after 300 ms')");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    printf("  waited 250..1000 ms: %d\n", ms >= 250 && ms <= 1000);
  }
  sqlite3_busy_handler(db, busy_finish_other, NULL);
  run(db, "INSERT INTO t(v) VALUES ('after other committed')");
  sqlite3_busy_handler(db, NULL, NULL);
  run(db, "SELECT 1");
  {
    sqlite3_stmt *s;
    sqlite3_prepare_v2(db, "SELECT group_concat(v, ',') FROM (SELECT v FROM t ORDER BY id)", -1, &s, NULL);
    sqlite3_step(s);
    printf("  rows now: %s\n", sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
  }
  sqlite3_close(other);

  sqlite3_trace_v2(db, SQLITE_TRACE_CLOSE, on_trace, NULL);
  printf("close: %d\n", sqlite3_close(db));
  unlink("hooks.db");
  unlink("hooks.db-wal");
  unlink("hooks.db-shm");
  return 0;
}
