/*
** mvcc.c — concurrent writers: MVCC (BEGIN CONCURRENT, retried on
** SQLITE_BUSY) against WAL (BEGIN IMMEDIATE with a busy timeout), on
** Lode and on the system's SQLite.  A benchmark, not a test: nothing is
** asserted about time.
**
** One source, two builds (make bench-mvcc): out/bench/mvcc-lode links
** Lode and measures "lode mvcc" and "lode wal"; out/bench/mvcc-sqlite links
** the system libsqlite3 and measures "sqlite wal".  npm run bench:mvcc runs
** both and prints one table.
**
** For 1, 2, 4 and 8 writer threads (one connection each, one process):
**   disjoint  each transaction updates 4 rows of its thread's own range and
**             inserts one row (no true conflicts);
**   hotspot   each transaction updates 2 of 16 shared rows (true conflicts).
** Reported: committed transactions per second, the abort rate (attempts
** that ended in SQLITE_BUSY and were retried, over all attempts), and, in
** a separate phase, point-read latency of a reader while the WAL is
** checkpointed (TRUNCATE) after the writers filled it.
**
** Options: --seconds=S per measurement (default 2), --sync=full|normal
** (default full: one fsync per commit), --threads=1,2,4,8, --dir=D, and
** --engine=mvcc|wal, --workload=disjoint|hotspot to measure one of each
** (for a profiler); --count prints each measurement's commits on stderr
** (to divide a run's system calls by, a long run minus a short one);
** --autocheckpoint=N sets PRAGMA wal_autocheckpoint on every connection.
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sqlite3.h"

#define ROWS_PER_THREAD 10000
#define HOT_ROWS 16
#define MAX_THREADS 64

static double seconds = 2.0;
static const char *sync_mode = "FULL";
static char dir[400] = "/tmp";
static char path[600];
static int autocheckpoint = -1; /* --autocheckpoint=N: PRAGMA wal_autocheckpoint of every connection */
static int print_count; /* --count: each measurement's commits on stderr, for per-commit counters */

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int ex(sqlite3 *db, const char *sql) {
  return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? SQLITE_OK : sqlite3_extended_errcode(db);
}

static const char *q1(sqlite3 *db, const char *sql, char *out, size_t n) {
  sqlite3_stmt *s = NULL;
  out[0] = 0;
  if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW &&
      sqlite3_column_text(s, 0))
    snprintf(out, n, "%s", (const char *)sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  return out;
}

static void remove_db(void) {
  static const char *const sfx[] = {"", "-wal", "-shm", "-log", "-mvcc"};
  char p[700];
  for (size_t i = 0; i < sizeof sfx / sizeof *sfx; i++) {
    snprintf(p, sizeof p, "%s%s", path, sfx[i]);
    unlink(p);
  }
}

static sqlite3 *open_db(void) {
  sqlite3 *db = NULL;
  char sql[100];
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
    fprintf(stderr, "open %s: %s\n", path, db ? sqlite3_errmsg(db) : "no memory");
    exit(1);
  }
  snprintf(sql, sizeof sql, "PRAGMA synchronous = %s", sync_mode);
  ex(db, sql);
  if (autocheckpoint >= 0) sqlite3_wal_autocheckpoint(db, autocheckpoint);
  sqlite3_busy_timeout(db, 60000);
  return db;
}

enum { K_MVCC, K_WAL };
enum { W_DISJOINT, W_HOTSPOT };

typedef struct Worker {
  pthread_t th;
  int id, kind, work;
  unsigned seed;
  volatile int *stop;
  long commits, aborts, errors;
} Worker;

static void *writer(void *arg) {
  Worker *w = arg;
  sqlite3 *db = open_db();
  sqlite3_stmt *upd = NULL, *ins = NULL;
  sqlite3_prepare_v2(db, "UPDATE t SET v = v + 1, pad = randomblob(40) WHERE id = ?1", -1, &upd, NULL);
  sqlite3_prepare_v2(db, "INSERT INTO ins(th, v) VALUES (?1, randomblob(60))", -1, &ins, NULL);
  const char *begin = w->kind == K_MVCC ? "BEGIN CONCURRENT" : "BEGIN IMMEDIATE";
  while (!*w->stop) {
    int rc = ex(db, begin);
    int n = w->work == W_DISJOINT ? 4 : 2;
    for (int i = 0; i < n && rc == SQLITE_OK; i++) {
      int id = w->work == W_DISJOINT ? 1 + w->id * ROWS_PER_THREAD + (int)(rand_r(&w->seed) % ROWS_PER_THREAD)
                                     : 1 + (int)(rand_r(&w->seed) % HOT_ROWS);
      sqlite3_bind_int(upd, 1, id);
      rc = sqlite3_step(upd) == SQLITE_DONE ? SQLITE_OK : sqlite3_extended_errcode(db);
      sqlite3_reset(upd);
    }
    if (rc == SQLITE_OK && w->work == W_DISJOINT) {
      sqlite3_bind_int(ins, 1, w->id);
      rc = sqlite3_step(ins) == SQLITE_DONE ? SQLITE_OK : sqlite3_extended_errcode(db);
      sqlite3_reset(ins);
    }
    if (rc == SQLITE_OK) rc = ex(db, "COMMIT");
    if (rc == SQLITE_OK) {
      w->commits++;
      continue;
    }
    if (!sqlite3_get_autocommit(db)) ex(db, "ROLLBACK");
    if ((rc & 0xff) == SQLITE_BUSY) w->aborts++;
    else if (w->errors++ == 0) fprintf(stderr, "writer %d: %d %s\n", w->id, rc, sqlite3_errmsg(db));
  }
  sqlite3_finalize(upd);
  sqlite3_finalize(ins);
  sqlite3_close(db);
  return NULL;
}

/* A fresh file with the rows of max_threads writers; 0 when the mode is refused. */
static int setup(int kind, int max_threads) {
  char jm[64];
  remove_db();
  sqlite3 *db = open_db();
  ex(db, "PRAGMA journal_mode = wal;"
         "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER, pad BLOB);"
         "CREATE TABLE ins(id INTEGER PRIMARY KEY, th INTEGER, v BLOB);"
         "CREATE INDEX ins_th ON ins(th);"
         "BEGIN");
  sqlite3_stmt *s = NULL;
  sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?1, 0, randomblob(40))", -1, &s, NULL);
  for (int id = 1; id <= max_threads * ROWS_PER_THREAD; id++) {
    sqlite3_bind_int(s, 1, id);
    sqlite3_step(s);
    sqlite3_reset(s);
  }
  sqlite3_finalize(s);
  ex(db, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE)");
  int ok = 1;
  if (kind == K_MVCC) {
    q1(db, "PRAGMA journal_mode = experimental_mvcc", jm, sizeof jm);
    ok = strcmp(jm, "mvcc") == 0 || strcmp(jm, "experimental_mvcc") == 0;
  }
  sqlite3_close(db);
  return ok;
}

static void measure(const char *engine, int kind, int work, int nthreads) {
  volatile int stop = 0;
  Worker w[MAX_THREADS];
  memset(w, 0, sizeof w);
  for (int i = 0; i < nthreads; i++) {
    w[i] = (Worker){0, i, kind, work, 17u * (unsigned)i + 1, &stop, 0, 0, 0};
    pthread_create(&w[i].th, NULL, writer, &w[i]);
  }
  double t0 = now();
  struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
  nanosleep(&ts, NULL);
  stop = 1;
  long commits = 0, aborts = 0, errors = 0;
  for (int i = 0; i < nthreads; i++) {
    pthread_join(w[i].th, NULL);
    commits += w[i].commits, aborts += w[i].aborts, errors += w[i].errors;
  }
  double dt = now() - t0;
  printf("| %-11s | %-8s | %7d | %10.0f | %9.1f%% | %6ld |\n", engine, work == W_DISJOINT ? "disjoint" : "hotspot",
         nthreads, (double)commits / dt, commits + aborts ? 100.0 * (double)aborts / (double)(commits + aborts) : 0.0,
         errors);
  fflush(stdout);
  if (print_count) fprintf(stderr, "commits %ld\n", commits);
}

/* ---- read latency during a checkpoint ----------------------------------------------- */

typedef struct Reader {
  volatile int *stop;
  double *lat;
  long n, cap;
} Reader;

static void *reader(void *arg) {
  Reader *r = arg;
  sqlite3 *db = open_db();
  sqlite3_stmt *s = NULL;
  unsigned seed = 99;
  sqlite3_prepare_v2(db, "SELECT v FROM t WHERE id = ?1", -1, &s, NULL);
  while (!*r->stop && r->n < r->cap) {
    double t = now();
    sqlite3_bind_int(s, 1, 1 + (int)(rand_r(&seed) % ROWS_PER_THREAD));
    sqlite3_step(s);
    sqlite3_reset(s);
    r->lat[r->n++] = now() - t;
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return NULL;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void checkpoint_latency(const char *engine, int kind) {
  if (!setup(kind, 4)) {
    printf("| %-11s | SKIP (no mvcc) |\n", engine);
    return;
  }
  /* fill the WAL (or the MVCC log) without checkpointing */
  sqlite3 *db = open_db();
  char out[100];
  ex(db, "PRAGMA wal_autocheckpoint = 0");
  ex(db, "BEGIN");
  for (int i = 0; i < 20; i++) {
    char sql[200];
    snprintf(sql, sizeof sql, "UPDATE t SET v = v + 1, pad = randomblob(40) WHERE id %% 20 = %d", i);
    ex(db, kind == K_MVCC ? "COMMIT; BEGIN CONCURRENT" : "COMMIT; BEGIN");
    ex(db, sql);
  }
  ex(db, "COMMIT");
  volatile int stop = 0;
  Reader r = {&stop, malloc(sizeof(double) * 2000000), 0, 2000000};
  pthread_t th;
  pthread_create(&th, NULL, reader, &r);
  struct timespec settle = {0, 50 * 1000 * 1000};
  nanosleep(&settle, NULL);
  long before = r.n;
  double t0 = now();
  q1(db, "PRAGMA wal_checkpoint(TRUNCATE)", out, sizeof out);
  double ck = now() - t0;
  long after = r.n;
  stop = 1;
  pthread_join(th, NULL);
  sqlite3_close(db);
  long n = after - before;
  if (n > 0) {
    qsort(r.lat + before, (size_t)n, sizeof(double), cmp_double);
    printf("| %-11s | %8.1f ms | %7ld | %8.1f us | %8.1f us | %9.1f us |\n", engine, ck * 1e3, n,
           r.lat[before + n / 2] * 1e6, r.lat[before + (n * 99) / 100] * 1e6, r.lat[before + n - 1] * 1e6);
  } else {
    printf("| %-11s | %8.1f ms | %7ld | (no read finished during the checkpoint) |\n", engine, ck * 1e3, n);
  }
  free(r.lat);
}

int main(int argc, char **argv) {
  int threads[8] = {1, 2, 4, 8}, nthreads = 4, part_write = 1, part_ckpt = 1;
  const char *only_engine = NULL, *only_workload = NULL;
  int header = !getenv("BENCH_NO_HEADER");
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strncmp(a, "--seconds=", 10)) seconds = atof(a + 10);
    else if (!strncmp(a, "--sync=", 7)) sync_mode = !strcmp(a + 7, "normal") ? "NORMAL" : "FULL";
    else if (!strncmp(a, "--dir=", 6)) snprintf(dir, sizeof dir, "%s", a + 6);
    else if (!strcmp(a, "--count")) print_count = 1;
    else if (!strncmp(a, "--autocheckpoint=", 17)) autocheckpoint = atoi(a + 17);
    else if (!strcmp(a, "--part=write")) part_ckpt = 0;
    else if (!strcmp(a, "--part=checkpoint")) part_write = 0;
    else if (!strncmp(a, "--engine=", 9)) only_engine = a + 9;
    else if (!strncmp(a, "--workload=", 11)) only_workload = a + 11;
    else if (!strncmp(a, "--threads=", 10)) {
      nthreads = 0;
      for (char *p = (char *)a + 10; *p && nthreads < 8;) {
        int t = (int)strtol(p, &p, 10);
        if (t >= 1 && t <= MAX_THREADS) threads[nthreads++] = t;
        if (*p == ',') p++;
        else break;
      }
    } else {
      fprintf(stderr, "usage: %s [--seconds=S] [--sync=full|normal] [--threads=1,2,4,8] [--dir=D] "
                      "[--part=write|checkpoint] [--engine=mvcc|wal] [--workload=disjoint|hotspot] [--count] "
                      "[--autocheckpoint=N]\n",
              argv[0]);
      return 2;
    }
  }
  snprintf(path, sizeof path, "%s/bench-mvcc-%d.db", dir, (int)getpid());
#ifdef BENCH_LODE
  int is_lode = 1;
#else
  int is_lode = 0;
#endif
  const char *names[2] = {is_lode ? "lode mvcc" : NULL, is_lode ? "lode wal" : "sqlite wal"};
  int maxt = 1;
  for (int i = 0; i < nthreads; i++)
    if (threads[i] > maxt) maxt = threads[i];
  if (part_write && header) {
    printf("| engine      | workload | writers | commits/s  | abort rate | errors |\n");
    printf("|-------------|----------|---------|------------|------------|--------|\n");
  }
  for (int k = 0; k < 2 && part_write; k++) {
    if (!names[k] || (only_engine && !strstr(names[k], only_engine))) continue;
    for (int work = W_DISJOINT; work <= W_HOTSPOT; work++)
      for (int i = 0; i < nthreads; i++) {
        if (only_workload && strcmp(only_workload, work == W_DISJOINT ? "disjoint" : "hotspot")) break;
        if (!setup(k, maxt)) {
          printf("| %-11s | SKIP (no mvcc): PRAGMA journal_mode = experimental_mvcc refused |\n", names[k]);
          goto next;
        }
        measure(names[k], k, work, threads[i]);
      }
  next:;
  }
  if (part_ckpt && header) {
    printf("\nRead latency during PRAGMA wal_checkpoint(TRUNCATE) of 20 commits of 2000 rows each:\n\n");
    printf("| engine      | checkpoint  | reads   | p50         | p99         | max          |\n");
    printf("|-------------|-------------|---------|-------------|-------------|--------------|\n");
  }
  for (int k = 0; k < 2 && part_ckpt; k++)
    if (names[k]) checkpoint_latency(names[k], k);
  remove_db();
  return 0;
}
