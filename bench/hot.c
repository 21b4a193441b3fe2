/*
** hot.c — the hot workloads of bench/run.mjs at the C API, one per run, for
** profiling without Node in the picture: `valgrind --tool=callgrind` gives
** instruction counts that repeat on a loaded machine, perf the hot spots.
** The table is bench/run.mjs's t (100k rows by default), in :memory: or a
** file; only the named workload runs after the (untimed) fill.
**
**   cc -O2 -g -Iengine/include -o out/hot bench/hot.c out/liblode.a $(make -s print-libs)
**   out/hot WORKLOAD [ROWS] [FILE]     (sqlite3 build: add -DHOT_SQLITE3 ... -lsqlite3)
**
** Workloads: insert, lookup (20k point reads by rowid), scan (count/sum/avg),
** update_all (UPDATE t SET x = x + 1, twice), update_point (20k x2 in one
** transaction), autocommit (1000 one-row commits), unique (ROWS/2 rows into a
** fresh table with a UNIQUE TEXT and a UNIQUE INTEGER column, keys in random
** order, one statement per row, one transaction), delete (3/4 of the rows
** deleted by rowid in random order, one statement per row, one transaction,
** with an index on x so both trees shrink), delete_scan (one DELETE whose
** table scan removes the rows of even x, about half, same index),
** update_index (one UPDATE through the index on x of the rows with
** x < 100000, about a tenth, changing columns no index holds), orderby
** (`WHERE x > ? ORDER BY y LIMIT 100`, half the rows pass, 5 runs), groupby
** (count/sum/avg by g, 1000 groups, 5 runs), cover (2000 `count(*), sum(b)
** WHERE a BETWEEN ? AND ?` over ~1000 entries of an index on (a, b) of a
** table ti of ROWS rows, as bench/run.mjs's covering-index workload).
** HOT_MMAP=N in the environment
** sets PRAGMA mmap_size = N and HOT_CACHE=N PRAGMA cache_size = N before the
** fill.  Prints the workload's
** wall time, its CPU time (user + system) and a checksum of its results.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef HOT_SQLITE3
#include <sqlite3.h>
#define DB sqlite3
#define STMT sqlite3_stmt
#define API(name) sqlite3_##name
#define OK SQLITE_OK
#define ROW SQLITE_ROW
#else
#include "lode.h"
#define DB lode
#define STMT lode_stmt
#define API(name) lode_##name
#define OK LODE_OK
#define ROW LODE_ROW
#endif

#define LOOKUPS 20000
#define X_RANGE 1000000

static uint32_t seed = 0x2545f491;
static uint32_t next_rand(void) {
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return seed;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time of the process (user + system): steadier than wall time on a loaded machine. */
static double cpu_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(DB *db, const char *what) {
  fprintf(stderr, "%s: %s\n", what, API(errmsg)(db));
  exit(1);
}

static void exec(DB *db, const char *sql) {
#ifdef HOT_SQLITE3
  if (sqlite3_exec(db, sql, NULL, NULL, NULL) != OK) die(db, sql);
#else
  if (lode_exec(db, sql, NULL) != OK) die(db, sql);
#endif
}

static STMT *prepare(DB *db, const char *sql) {
  STMT *st = NULL;
#ifdef HOT_SQLITE3
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != OK) die(db, sql);
#else
  if (lode_prepare(db, sql, -1, &st, NULL) != OK) die(db, sql);
#endif
  return st;
}

static void insert_rows(DB *db, int from, int to) {
  STMT *ins = prepare(db, "INSERT INTO t(id, x, y, g, s) VALUES (?, ?, ?, ?, ?)");
  char s[64];
  exec(db, "BEGIN");
  for (int i = from; i < to; i++) {
    uint32_t x = next_rand() % X_RANGE;
    double y = (next_rand() % 1000000) / 1000.0;
    snprintf(s, sizeof s, "row-%d-%u", i, x);
    API(bind_int64)(ins, 1, i + 1);
    API(bind_int64)(ins, 2, x);
    API(bind_double)(ins, 3, y);
    API(bind_int64)(ins, 4, x % 1000);
    API(bind_text)(ins, 5, s, -1, NULL);
    if (API(step)(ins) != 101 /* DONE */) die(db, "insert");
    API(reset)(ins);
  }
  exec(db, "COMMIT");
  API(finalize)(ins);
}

/* The timed part (callgrind: --toggle-collect=run_workload). */
__attribute__((noinline)) static int64_t run_workload(DB *db, const char *w, int rows) {
  int64_t check = 0;
  if (strcmp(w, "insert") == 0) {
    insert_rows(db, 0, rows);
  } else if (strcmp(w, "lookup") == 0) {
    STMT *st = prepare(db, "SELECT * FROM t WHERE id = ?");
    for (int i = 0; i < LOOKUPS; i++) {
      API(bind_int64)(st, 1, ((int64_t)i * 7919) % rows + 1);
      if (API(step)(st) == ROW) check += API(column_int64)(st, 1);
      API(reset)(st);
    }
    API(finalize)(st);
  } else if (strcmp(w, "scan") == 0) {
    STMT *st = prepare(db, "SELECT count(*), sum(x), avg(y) FROM t");
    for (int i = 0; i < 5; i++) {
      if (API(step)(st) == ROW) check += API(column_int64)(st, 1);
      API(reset)(st);
    }
    API(finalize)(st);
  } else if (strcmp(w, "update_all") == 0) {
    exec(db, "UPDATE t SET x = x + 1");
    check += API(changes)(db);
    exec(db, "UPDATE t SET x = x - 1");
    check += API(changes)(db);
  } else if (strcmp(w, "update_point") == 0) {
    STMT *st = prepare(db, "UPDATE t SET x = x + ? WHERE id = ?");
    exec(db, "BEGIN");
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < LOOKUPS; i++) {
        API(bind_int64)(st, 1, pass ? -1 : 1);
        API(bind_int64)(st, 2, ((int64_t)i * 7919) % rows + 1);
        API(step)(st);
        check += API(changes)(db);
        API(reset)(st);
      }
    }
    exec(db, "COMMIT");
    API(finalize)(st);
  } else if (strcmp(w, "unique") == 0) {
    exec(db, "CREATE TABLE tu(id INTEGER PRIMARY KEY, email TEXT UNIQUE, code INTEGER UNIQUE, v REAL)");
    STMT *st = prepare(db, "INSERT INTO tu(email, code, v) VALUES (?, ?, ?)");
    char email[64];
    exec(db, "BEGIN");
    for (int i = 0; i < rows / 2; i++) {
      /* i * an odd constant mod 2^32 is a permutation: distinct, unordered keys */
      uint32_t code = (uint32_t)(i + 1) * 0x9e3779b1u;
      snprintf(email, sizeof email, "%x.%d@example.com", code, i);
      API(bind_text)(st, 1, email, -1, NULL);
      API(bind_int64)(st, 2, code);
      API(bind_double)(st, 3, i / 8.0);
      if (API(step)(st) != 101 /* DONE */) die(db, "unique insert");
      API(reset)(st);
    }
    exec(db, "COMMIT");
    API(finalize)(st);
    check = rows / 2;
  } else if (strcmp(w, "delete") == 0) {
    STMT *st = prepare(db, "DELETE FROM t WHERE id = ?");
    exec(db, "BEGIN");
    /* i * 7919 mod rows visits every rowid once when rows is not a multiple of 7919 */
    for (int i = 0; i < rows - rows / 4; i++) {
      API(bind_int64)(st, 1, ((int64_t)i * 7919) % rows + 1);
      API(step)(st);
      check += API(changes)(db);
      API(reset)(st);
    }
    exec(db, "COMMIT");
    API(finalize)(st);
  } else if (strcmp(w, "update_index") == 0) {
    /* the loop walks tx (about a tenth of the rows); the SET leaves x alone */
    exec(db, "UPDATE t SET y = y + 1, g = g + 1 WHERE x < 100000");
    check += API(changes)(db);
  } else if (strcmp(w, "delete_scan") == 0) {
    /* one statement whose loop scans the table: about half the rows go */
    exec(db, "DELETE FROM t WHERE x % 2 = 0");
    check += API(changes)(db);
  } else if (strcmp(w, "orderby") == 0) {
    STMT *st = prepare(db, "SELECT id, x, y FROM t WHERE x > ? ORDER BY y LIMIT 100");
    for (int i = 0; i < 5; i++) {
      API(bind_int64)(st, 1, X_RANGE / 2);
      while (API(step)(st) == ROW) check += API(column_int64)(st, 0);
      API(reset)(st);
    }
    API(finalize)(st);
  } else if (strcmp(w, "groupby") == 0) {
    STMT *st = prepare(db, "SELECT g, count(*), sum(x), avg(y) FROM t GROUP BY g");
    for (int i = 0; i < 5; i++) {
      while (API(step)(st) == ROW) check += API(column_int64)(st, 0) * 3 + API(column_int64)(st, 2);
      API(reset)(st);
    }
    API(finalize)(st);
  } else if (strcmp(w, "cover") == 0) {
    const int width = (int)(1000LL * X_RANGE / rows);
    STMT *st = prepare(db, "SELECT count(*), sum(b) FROM ti WHERE a BETWEEN ? AND ?");
    for (int i = 0; i < 2000; i++) {
      int64_t a = next_rand() % (X_RANGE - width);
      API(bind_int64)(st, 1, a);
      API(bind_int64)(st, 2, a + width);
      if (API(step)(st) == ROW) check += API(column_int64)(st, 0) + API(column_int64)(st, 1);
      API(reset)(st);
    }
    API(finalize)(st);
  } else if (strcmp(w, "autocommit") == 0) {
    exec(db, "PRAGMA synchronous = NORMAL");
    STMT *st = prepare(db, "INSERT INTO t(x, y, g, s) VALUES (?, 1.5, 7, 'autocommit')");
    for (int i = 0; i < 1000; i++) {
      API(bind_int64)(st, 1, i);
      API(step)(st);
      API(reset)(st);
    }
    API(finalize)(st);
    check = 1000;
  } else {
    fprintf(stderr, "unknown workload %s\n", w);
    exit(2);
  }
  return check;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s insert|lookup|scan|update_all|update_point|autocommit|unique|delete|delete_scan|update_index|orderby|groupby|cover [ROWS] [FILE]\n", argv[0]);
    return 2;
  }
  const char *w = argv[1];
  int rows = argc > 2 ? atoi(argv[2]) : 100000;
  const char *file = argc > 3 ? argv[3] : ":memory:";
  if (strcmp(file, ":memory:") != 0) remove(file);
  DB *db = NULL;
  if (API(open)(file, &db) != OK) die(db, "open");
  /* files as in bench/run.mjs: WAL with synchronous=FULL on every engine */
  if (strcmp(file, ":memory:") != 0) exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL");
  char pragma[96];
  if (getenv("HOT_CACHE")) {
    snprintf(pragma, sizeof pragma, "PRAGMA cache_size = %lld", atoll(getenv("HOT_CACHE")));
    exec(db, pragma);
  }
  if (getenv("HOT_MMAP")) {
    snprintf(pragma, sizeof pragma, "PRAGMA mmap_size = %lld", atoll(getenv("HOT_MMAP")));
    exec(db, pragma);
  }
  exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER, y REAL, g INTEGER, s TEXT)");
  if (strcmp(w, "delete") == 0 || strcmp(w, "delete_scan") == 0 || strcmp(w, "update_index") == 0)
    exec(db, "CREATE INDEX tx ON t(x)");
  if (strcmp(w, "cover") == 0) {
    exec(db, "CREATE TABLE ti(id INTEGER PRIMARY KEY, a INTEGER, b INTEGER)");
    STMT *ins = prepare(db, "INSERT INTO ti(id, a, b) VALUES (?, ?, ?)");
    exec(db, "BEGIN");
    for (int i = 0; i < rows; i++) {
      API(bind_int64)(ins, 1, i + 1);
      API(bind_int64)(ins, 2, next_rand() % X_RANGE);
      API(bind_int64)(ins, 3, next_rand() % 1000);
      if (API(step)(ins) != 101 /* DONE */) die(db, "insert ti");
      API(reset)(ins);
    }
    exec(db, "COMMIT");
    API(finalize)(ins);
    exec(db, "CREATE INDEX ti_ab ON ti(a, b)");
  } else if (strcmp(w, "insert") != 0 && strcmp(w, "unique") != 0) {
    insert_rows(db, 0, rows);
  }
  double t0 = now_ms(), c0 = cpu_ms();
  int64_t check = run_workload(db, w, rows);
  printf("%s: %.1f ms (cpu %.1f ms), check %lld\n", w, now_ms() - t0, cpu_ms() - c0, (long long)check);
  API(close)(db);
  return 0;
}
