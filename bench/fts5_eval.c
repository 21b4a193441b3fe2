/*
** bench/fts5_eval.c — bench/fts5.mjs's workloads in C over the sqlite3 API, so that one source measures Lode's
** fts5 table and SQLite's FTS5 (the system's libsqlite3) by instruction counts (callgrind) and CPU time.
**
** The corpus is bench/fts5.mjs's: N documents of a 6-word title and a 60-word body drawn from the same skewed
** 20,000-word vocabulary with the same generator, inserted into fts5(title, body) in one transaction (WAL, a
** file database); the queries are that script's five kinds, each statement prepared once.
**
**   cc -O2 -g -Iengine/include -o out-rel/fts5_eval_lode bench/fts5_eval.c out-rel/liblode.a -l:liburing.a -lm -lpthread
**   cc -O2 -g -o out-rel/fts5_eval_sqlite bench/fts5_eval.c -lsqlite3 -lm
**   fts5_eval N build              CPU ms of the build
**   fts5_eval N time [R]           CPU ms per query of each kind, mean of R rounds (default 5), and its row count
**   fts5_eval N kind K [R]         runs kind K (0-4) R times (for valgrind --toggle-collect=run_kind)
**   valgrind --tool=callgrind --toggle-collect=build fts5_eval 20000 build
**
** With FTS5_EVAL_KEEP set the database stays in fts5_eval.db (to compare the bytes two builds wrote).
** With FTS5_EVAL_INDEX=1 in the environment the documents go to a plain table d(id INTEGER PRIMARY KEY, title,
** body) first (not measured), and `build` is then the index over it: on Lode `CREATE INDEX … USING fts (title,
** body)`, on SQLite an external-content fts5 table over d and its 'rebuild'. The queries are the same kinds,
** through fts_match / fts_score on Lode (kinds 1-3 as fts_match's phrase and AND syntax) and MATCH / rank on
** SQLite: the fts index measured against SQLite's FTS5 on one corpus.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sqlite3.h"

static double seed = 12345;
static char vocab[20000][8];

/* bench/fts5.mjs's linear congruential generator and word choice, in doubles as JavaScript computes it (the
** product is rounded to 53 bits). */
static double rnd(void) {
  volatile double p = seed * 1103515245.0;
  seed = fmod(p + 12345.0, 2147483648.0);
  return seed / 2147483648.0;
}
static const char *word(void) { return vocab[(int)(pow(rnd(), 3) * 20000)]; }
static void doc(char *b, size_t cap, int n) {
  size_t k = 0;
  for (int i = 0; i < n; i++) k += (size_t)snprintf(b + k, cap - k, "%s%s", i ? " " : "", word());
}

static void make_vocab(void) {
  for (int i = 0; i < 20000; i++) {
    char t[8];
    int v = i, n = 0, k = 0;
    do {
      int d = v % 36;
      t[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
      v /= 36;
    } while (v);
    vocab[i][k++] = 'w';
    while (n) vocab[i][k++] = t[--n];
    vocab[i][k] = 0;
  }
}

static double cpu_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void exec(sqlite3 *db, const char *sql) {
  char *e = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &e) != SQLITE_OK) {
    fprintf(stderr, "%s: %s\n", sql, e ? e : "?");
    exit(1);
  }
}

#define NQ 50
static const char *const kinds[] = {"point (rare term)", "phrase (two adjacent words)",
                                    "phrase (rare word, frequent word)", "AND (rare term, frequent term)",
                                    "top-10 by bm25 (frequent term)"};
static sqlite3_stmt *stmts[5][NQ];
static int nstmt[5];

static void prep(sqlite3 *db, int kind, const char *sql) {
  if (sqlite3_prepare_v2(db, sql, -1, &stmts[kind][nstmt[kind]], NULL) != SQLITE_OK) {
    fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
    exit(1);
  }
  nstmt[kind]++;
}

/* Inserts the n documents through sql (rowid, title, body) in one transaction. */
static void insert_docs(sqlite3 *db, const char *sql, char **titles, char **bodies, int n) {
  sqlite3_stmt *ins;
  exec(db, "BEGIN");
  if (sqlite3_prepare_v2(db, sql, -1, &ins, NULL) != SQLITE_OK) exit(1);
  for (int i = 0; i < n; i++) {
    sqlite3_bind_int64(ins, 1, i + 1);
    sqlite3_bind_text(ins, 2, titles[i], -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, bodies[i], -1, SQLITE_STATIC);
    sqlite3_step(ins);
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  exec(db, "COMMIT");
}

__attribute__((noinline)) static void build(sqlite3 *db, char **titles, char **bodies, int n) {
  insert_docs(db, "INSERT INTO f(rowid, title, body) VALUES (?, ?, ?)", titles, bodies, n);
}

static int index_form, on_lode;

/* The index form's build: the rows are in d already. */
__attribute__((noinline)) static void build_index(sqlite3 *db) {
  if (on_lode) {
    exec(db, "CREATE INDEX d_fts ON d USING fts (title, body)");
  } else {
    exec(db, "CREATE VIRTUAL TABLE f USING fts5(title, body, content=d, content_rowid=id);"
             "INSERT INTO f(f) VALUES('rebuild')");
  }
}

static void load_table(sqlite3 *db, char **titles, char **bodies, int n) {
  exec(db, "CREATE TABLE d(id INTEGER PRIMARY KEY, title, body)");
  insert_docs(db, "INSERT INTO d(id, title, body) VALUES (?, ?, ?)", titles, bodies, n);
}

/* A query of the index form: fts_match on Lode, MATCH on SQLite; ranked when top. */
static void prep_q(sqlite3 *db, int kind, const char *q, int top) {
  char sql[512];
  if (!index_form)
    snprintf(sql, sizeof sql, "SELECT rowid FROM f WHERE f MATCH '%s'%s", q, top ? " ORDER BY rank LIMIT 10" : "");
  else if (!on_lode)
    snprintf(sql, sizeof sql, "SELECT rowid FROM f WHERE f MATCH '%s'%s", q, top ? " ORDER BY rank LIMIT 10" : "");
  else if (top)
    snprintf(sql, sizeof sql, "SELECT id FROM d WHERE fts_match(title, body, '%s') "
             "ORDER BY fts_score(title, body, '%s') DESC LIMIT 10", q, q);
  else
    snprintf(sql, sizeof sql, "SELECT id FROM d WHERE fts_match(title, body, '%s')", q);
  prep(db, kind, sql);
}

/* One round of a kind: every statement of it once; returns the rows. */
__attribute__((noinline)) static long run_kind(int kind) {
  long rows = 0;
  for (int i = 0; i < nstmt[kind]; i++) {
    sqlite3_stmt *st = stmts[kind][i];
    while (sqlite3_step(st) == SQLITE_ROW) {
      (void)sqlite3_column_int64(st, 0);
      rows++;
    }
    sqlite3_reset(st);
  }
  return rows;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 20000;
  const char *mode = argc > 2 ? argv[2] : "time";
  const char *path = "fts5_eval.db";
  char **titles = malloc(sizeof(char *) * (size_t)n), **bodies = malloc(sizeof(char *) * (size_t)n);
  static char buf[8192];
  sqlite3 *db;
  make_vocab();
  for (int i = 0; i < n; i++) {
    doc(buf, sizeof buf, 6);
    titles[i] = strdup(buf);
    doc(buf, sizeof buf, 60);
    bodies[i] = strdup(buf);
  }
  remove(path);
  remove("fts5_eval.db-wal");
  remove("fts5_eval.db-shm");
  if (sqlite3_open(path, &db) != SQLITE_OK) return 1;
  index_form = getenv("FTS5_EVAL_INDEX") && atoi(getenv("FTS5_EVAL_INDEX"));
  on_lode = strstr(sqlite3_sourceid(), "lode") != NULL || strstr(sqlite3_sourceid(), "Lode") != NULL;
  exec(db, "PRAGMA journal_mode = WAL");
  if (index_form) load_table(db, titles, bodies, n);
  else exec(db, "CREATE VIRTUAL TABLE f USING fts5(title, body)");
  double t0 = cpu_ms();
  if (index_form) build_index(db);
  else build(db, titles, bodies, n);
  if (!strcmp(mode, "build")) {
    printf("build of %d documents: %.1f ms CPU\n", n, cpu_ms() - t0);
    goto done;
  }
  char sql[256];
  for (int i = 0; i < NQ; i++) {
    const char *rare = vocab[19000 + i * 13];
    char w[2][8];
    const char *b = bodies[((long)i * 7919) % n];
    for (int k = 0; k < 10; k++) b = strchr(b, ' ') + 1;
    sscanf(b, "%7s %7s", w[0], w[1]);
    prep_q(db, 0, rare, 0);
    snprintf(sql, sizeof sql, "\"%s %s\"", w[0], w[1]);
    prep_q(db, 1, sql, 0);
    snprintf(sql, sizeof sql, "\"%s w0\"", rare);
    prep_q(db, 2, sql, 0);
    snprintf(sql, sizeof sql, "%s AND w1", rare);
    prep_q(db, 3, sql, 0);
  }
  static const char *const freq[] = {"w1", "w2", "w3", "w5", "w8"};
  for (int i = 0; i < 5; i++) {
    prep_q(db, 4, freq[i], 1);
  }
  if (!strcmp(mode, "kind") && argc > 3) {
    int k = atoi(argv[3]), reps = argc > 4 ? atoi(argv[4]) : 5;
    long rows = 0;
    for (int r = 0; r < reps; r++) rows = run_kind(k);
    printf("%s: %ld rows\n", kinds[k], rows);
  } else {
    int reps = argc > 3 ? atoi(argv[3]) : 5;
    for (int k = 0; k < 5; k++) {
      long rows = run_kind(k);
      double a = cpu_ms();
      for (int r = 0; r < reps; r++) run_kind(k);
      printf("%-36s %.4f ms CPU per query (%ld rows)\n", kinds[k], (cpu_ms() - a) / reps / nstmt[k], rows);
    }
  }
  for (int k = 0; k < 5; k++)
    for (int i = 0; i < nstmt[k]; i++) sqlite3_finalize(stmts[k][i]);
done:
  sqlite3_close(db);
  if (!getenv("FTS5_EVAL_KEEP")) remove(path);
  return 0;
}
