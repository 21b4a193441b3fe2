/*
** bench/fts_eval.c — the fts index's build and query evaluation in C, for
** instruction counts (callgrind) and CPU time without the JS layer.
**
** The corpus is bench/fts.mjs's: N documents of a 4-word title and a
** 40-word body drawn from the same skewed 5,004-word vocabulary with the
** same generator, in d(id INTEGER PRIMARY KEY, title, body) of a file
** database, indexed by CREATE INDEX … USING fts (title, body) WITH
** (weights = 'title=2.0,body=1.0').
**
**   cc -O2 -g -Iengine/include -o out/fts_eval bench/fts_eval.c out/liblode.a -luring -lm -lpthread
**   out/fts_eval N build            CPU ms of CREATE INDEX
**   out/fts_eval N diff             changes the rows (deletes, updates, out-of-order rowids), then prints
**                                   every query's rows and scores (%.17g) in four forms: compare two builds
**   out/fts_eval N time             CPU ms of each query (SELECT id … WHERE fts_match), mean of 5
**   out/fts_eval N one 'query'      runs one query 5 times (for valgrind --toggle-collect=fts_evaluate)
**   out/fts_eval N top 'query'      the same for its top 10 by score (ORDER BY fts_score DESC LIMIT 10)
**   out/fts_eval N rep 'query' [R]  one query prepared once and run R times (default 20; for
**                                   valgrind --toggle-collect=run_prepared), its CPU ms per run
**   valgrind --tool=callgrind --toggle-collect=create_index out/fts_eval 5000 build
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lode.h"

static unsigned long long seed = 12345;
static char vocab[5004][16];

/* bench/fts.mjs's linear congruential generator and word choice. */
static double rnd(void) {
  seed = (seed * 1103515245ULL + 12345ULL) % 2147483648ULL;
  return (double)seed / 2147483648.0;
}
static const char *word(void) { return vocab[(int)(pow(rnd(), 2.5) * 5004)]; }
static void doc(char *b, size_t cap, int n) {
  size_t k = 0;
  for (int i = 0; i < n; i++) k += (size_t)snprintf(b + k, cap - k, "%s%s", i ? " " : "", word());
}

static void make_vocab(void) {
  for (int i = 0; i < 5000; i++) {
    char t[16];
    int v = i, n = 0, k = 0;
    do {
      int d = v % 36;
      t[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
      v /= 36;
    } while (v);
    vocab[i][k++] = 'w';
    while (n) vocab[i][k++] = t[--n];
    vocab[i][k] = 0;
    if (i % 7 == 0) strcat(vocab[i], "tion");
  }
  strcpy(vocab[5000], "database");
  strcpy(vocab[5001], "search");
  strcpy(vocab[5002], "engine");
  strcpy(vocab[5003], "rollback");
}

static double cpu_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void exec(lode *db, const char *sql) {
  char *e = NULL;
  if (lode_exec(db, sql, &e) != LODE_OK) {
    fprintf(stderr, "%s: %s\n", sql, e ? e : "?");
    exit(1);
  }
}

__attribute__((noinline)) static void create_index(lode *db) {
  exec(db, "CREATE INDEX d_fts ON d USING fts (title, body) WITH (weights = 'title=2.0,body=1.0')");
}

/* Runs the prepared statement st to its end reps times; returns the rows of the last run. */
__attribute__((noinline)) static long run_prepared(lode_stmt *st, int reps) {
  long n = 0;
  for (int r = 0; r < reps; r++) {
    n = 0;
    while (lode_step(st) == LODE_ROW) {
      (void)lode_column_int64(st, 0);
      n++;
    }
    lode_reset(st);
  }
  return n;
}

/* Runs sql (with the query text substituted for each %s); prints the row count and a hash of the rowids, and with
** scores each row's rowid and score. */
__attribute__((noinline)) static void run(lode *db, const char *form, const char *q, int scores) {
  char sql[1024];
  lode_stmt *st;
  snprintf(sql, sizeof sql, form, q, q);
  if (lode_prepare(db, sql, -1, &st, NULL) != LODE_OK) {
    printf("%s | error %s\n", sql, lode_errmsg(db));
    return;
  }
  long n = 0;
  unsigned long long h = 0;
  int rc;
  while ((rc = lode_step(st)) == LODE_ROW) {
    long long id = lode_column_int64(st, 0);
    n++;
    h = h * 1000003ULL + (unsigned long long)id;
    if (scores) printf("  %lld %.17g\n", id, lode_column_double(st, 1));
  }
  printf("%s | %ld rows, hash %llx%s\n", sql, n, h, rc == LODE_DONE ? "" : " (error)");
  lode_finalize(st);
}

static const char *const queries[] = {
    "rollback", "w1", "w1 AND w2", "\"w1 w2\"", "w1*", "w2*", "wa*", "w1 w2 w3", "w1 OR database", "w1 AND NOT w2",
    "+w1 -w3 w4", "w1 AND w2 AND w3", "(w1 OR w2) AND w3", "title:w1", "title:w1 body:w2", "\"w1 w2\"~2",
    "\"w2 w1\"~3", "w1^2 w2", "(w1 AND w2)^1.5 OR w3", "database AND w1*", "w1tion", "nosuchterm",
    "w1 AND nosuchterm", "* AND NOT w1", "*", "\"database search engine\"", "w1 w2 NOT w3 NOT w4", "title:(w1 w2)^3",
    "w1 AND (w2 OR w3 OR w4) AND NOT w5", "w3 AND w1*", "w5* AND w6*", "\"w1 w1\"", "body:\"w1 w2\"~1 OR title:w3",
    NULL};

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 5000;
  const char *mode = argc > 2 ? argv[2] : "diff";
  const char *path = "fts_eval.db";
  static char title[1024], body[8192];
  lode *db;
  lode_stmt *ins;
  make_vocab();
  remove(path);
  remove("fts_eval.db-wal");
  remove("fts_eval.db-journal");
  if (lode_open(path, &db) != LODE_OK) return 1;
  exec(db, "CREATE TABLE d(id INTEGER PRIMARY KEY, title TEXT, body TEXT)");
  exec(db, "BEGIN");
  if (lode_prepare(db, "INSERT INTO d VALUES (?, ?, ?)", -1, &ins, NULL) != LODE_OK) return 1;
  for (int i = 1; i <= n; i++) {
    doc(title, sizeof title, 4);
    doc(body, sizeof body, 40);
    lode_bind_int64(ins, 1, i);
    lode_bind_text(ins, 2, title, -1, LODE_TRANSIENT);
    lode_bind_text(ins, 3, body, -1, LODE_TRANSIENT);
    lode_step(ins);
    lode_reset(ins);
  }
  lode_finalize(ins);
  exec(db, "COMMIT");
  double t0 = cpu_ms();
  create_index(db);
  if (!strcmp(mode, "build")) {
    printf("build over %d documents: %.1f ms CPU\n", n, cpu_ms() - t0);
  } else if (!strcmp(mode, "one") && argc > 3) {
    for (int r = 0; r < 5; r++) run(db, "SELECT id FROM d WHERE fts_match(title, body, '%s')", argv[3], 0);
  } else if (!strcmp(mode, "top") && argc > 3) {
    for (int r = 0; r < 5; r++)
      run(db,
          "SELECT id, fts_score(title, body, '%s') AS score FROM d WHERE fts_match(title, body, '%s') "
          "ORDER BY score DESC LIMIT 10",
          argv[3], 0);
  } else if (!strcmp(mode, "rep") && argc > 3) {
    /* prepared once, as bench/fts.mjs runs its queries */
    char sql[1024];
    lode_stmt *st;
    int reps = argc > 4 ? atoi(argv[4]) : 20;
    snprintf(sql, sizeof sql, "SELECT id FROM d WHERE fts_match(title, body, '%s')", argv[3]);
    if (lode_prepare(db, sql, -1, &st, NULL) != LODE_OK) return 1;
    run_prepared(st, 1);
    double a = cpu_ms();
    long rows = run_prepared(st, reps);
    printf("%s: %ld rows, %.3f ms CPU per run\n", argv[3], rows, (cpu_ms() - a) / reps);
    lode_finalize(st);
  } else if (!strcmp(mode, "time")) {
    for (int i = 0; queries[i]; i++) {
      double a = cpu_ms();
      for (int r = 0; r < 5; r++) run(db, "SELECT id FROM d WHERE fts_match(title, body, '%s')", queries[i], 0);
      fprintf(stderr, "%-40s %.2f ms CPU\n", queries[i], (cpu_ms() - a) / 5);
    }
  } else {
    /* Changes that leave short and out-of-order chunks. */
    exec(db, "DELETE FROM d WHERE id % 7 = 3");
    exec(db, "UPDATE d SET body = body || ' database w1 w2' WHERE id % 11 = 5");
    exec(db, "INSERT INTO d(id, title, body) SELECT id + 1000000, body, title FROM d WHERE id % 13 = 1");
    exec(db, "INSERT INTO d(id, title, body) VALUES (-5, 'w1 w2 w3', 'database search engine w1')");
    for (int i = 0; queries[i]; i++) {
      run(db, "SELECT id FROM d WHERE fts_match(title, body, '%s')", queries[i], 0);
      run(db, "SELECT id, fts_score(title, body, '%s') FROM d WHERE fts_match(title, body, '%s')", queries[i], 1);
      run(db,
          "SELECT id, fts_score(title, body, '%s') AS score FROM d WHERE fts_match(title, body, '%s') "
          "ORDER BY score DESC LIMIT 10",
          queries[i], 1);
      run(db, "SELECT id FROM d WHERE +fts_match(title, body, '%s')", queries[i], 0);
    }
  }
  lode_close(db);
  remove(path);
  return 0;
}
