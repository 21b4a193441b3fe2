/*
** hot.c — the hot workloads of bench/run.mjs at the C API, one per run, for
** profiling without Node in the picture: `valgrind --tool=callgrind` gives
** instruction counts that repeat on a loaded machine, perf the hot spots.
** The table is bench/run.mjs's t (100k rows by default), in :memory: or a
** file; only the named workload runs after the (untimed) fill.
**
**   cc -O2 -g -Iengine/include -o out/hot bench/hot.c out/liblode.a $(make -s print-libs)
**   sh bench/hot-wasm.sh               (the same program built against the wasm build's objects; see there)
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
** table ti of ROWS rows, as bench/run.mjs's covering-index workload),
** like (`count(*) WHERE s LIKE '%7a%'`, s in bench/run.mjs's shape with x in
** base 36, 5 runs), analyze (ANALYZE 5 times, the table with indexes on x,
** on s and on (g, y)), and over bench/olap.mjs's tables at scale factor 0.01
** (the same generator, seed and rows; ROWS is ignored): q1 and q6 (TPC-H Q1
** and Q6 exactly as bench/olap.mjs runs them, 5 runs each over ~60k line
** items) and json (its json_extract/->> filter and sum over 50k documents,
** 5 runs).
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

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
/* emscripten's CLOCK_PROCESS_CPUTIME_ID reads the wall clock: Node's own count instead. */
EM_JS(double, node_cpu_ms, (void), {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
});
#endif

/* CPU time of the process (user + system): steadier than wall time on a loaded machine. */
static double cpu_ms(void) {
#ifdef __EMSCRIPTEN__
  return node_cpu_ms();
#else
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
#endif
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

/* bench/run.mjs writes x in base 36 into s; the LIKE workload needs that shape. */
static int s_base36 = 0;

static void to_base36(char *out, uint32_t v) {
  char tmp[16];
  int n = 0;
  do {
    tmp[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
    v /= 36;
  } while (v);
  while (n) *out++ = tmp[--n];
  *out = 0;
}

/* ---- bench/olap.mjs's data, generated the same way (xorshift from its seed) ---- */

static uint32_t olap_seed;
static uint32_t olap_next(void) {
  olap_seed ^= olap_seed << 13;
  olap_seed ^= olap_seed >> 17;
  olap_seed ^= olap_seed << 5;
  return olap_seed;
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back as ISO text. */
static int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
static void iso_date(char *out, int64_t z) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  sprintf(out, "%04d-%02d-%02d", (int)(y + (m <= 2)), (int)m, (int)d);
}

static const char *SEGMENTS[] = {"AUTOMOBILE", "BUILDING", "FURNITURE", "HOUSEHOLD", "MACHINERY"};
static const char *SHIPMODES[] = {"AIR", "FOB", "MAIL", "RAIL", "REG AIR", "SHIP", "TRUCK"};
static const char *INSTRUCTS[] = {"COLLECT COD", "DELIVER IN PERSON", "NONE", "TAKE BACK RETURN"};

/* lineitem and docs as bench/olap.mjs fills them (customer and orders are
** not read by these workloads: their random draws are made, their rows not
** stored). */
static void fill_olap(DB *db) {
  const int customers = 1500, orders = customers * 10, json_docs = 50000;
  const int64_t start = days_from_civil(1992, 1, 1), end = days_from_civil(1998, 8, 2);
  const int64_t current = days_from_civil(1995, 6, 17);
  char a[32], b[32], c[32], note[32], doc[512];
  olap_seed = 0x6a09e667;
  exec(db, "CREATE TABLE lineitem(l_orderkey INTEGER, l_partkey INTEGER, l_suppkey INTEGER, l_linenumber INTEGER,"
           " l_quantity REAL, l_extendedprice REAL, l_discount REAL, l_tax REAL, l_returnflag TEXT, l_linestatus TEXT,"
           " l_shipdate TEXT, l_commitdate TEXT, l_receiptdate TEXT, l_shipinstruct TEXT, l_shipmode TEXT, l_comment TEXT,"
           " PRIMARY KEY (l_orderkey, l_linenumber))");
  exec(db, "CREATE TABLE docs(id INTEGER PRIMARY KEY, doc TEXT)");
  for (int i = 0; i < customers; i++)
    for (int k = 0; k < 9; k++) olap_next();
  STMT *ins = prepare(db, "INSERT INTO lineitem VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  exec(db, "BEGIN");
  for (int o = 1; o <= orders; o++) {
    int64_t orderdate = start + olap_next() % (uint32_t)(end - start);
    int lines = 1 + olap_next() % 7;
    for (int l = 1; l <= lines; l++) {
      int quantity = 1 + olap_next() % 50;
      double price = quantity * (double)(900 + olap_next() % 1100);
      price += (olap_next() % 100) / 100.0;
      double discount = (olap_next() % 11) / 100.0;
      double tax = (olap_next() % 9) / 100.0;
      int64_t shipdate = orderdate + 1 + olap_next() % 121;
      int64_t commitdate = orderdate + 30 + olap_next() % 61;
      int64_t receiptdate = shipdate + 1 + olap_next() % 30;
      const char *returnflag = receiptdate <= current ? (olap_next() % 2 ? "R" : "A") : "N";
      const char *linestatus = shipdate > current ? "O" : "F";
      int64_t partkey = 1 + olap_next() % 2000;
      int64_t suppkey = 1 + olap_next() % 100;
      const char *instruct = INSTRUCTS[olap_next() % 4];
      const char *mode = SHIPMODES[olap_next() % 7];
      strcpy(note, "note ");
      to_base36(note + 5, olap_next());
      iso_date(a, shipdate);
      iso_date(b, commitdate);
      iso_date(c, receiptdate);
      API(bind_int64)(ins, 1, o);
      API(bind_int64)(ins, 2, partkey);
      API(bind_int64)(ins, 3, suppkey);
      API(bind_int64)(ins, 4, l);
      API(bind_int64)(ins, 5, quantity);
      API(bind_double)(ins, 6, price);
      API(bind_double)(ins, 7, discount);
      API(bind_double)(ins, 8, tax);
      API(bind_text)(ins, 9, returnflag, -1, NULL);
      API(bind_text)(ins, 10, linestatus, -1, NULL);
      API(bind_text)(ins, 11, a, -1, NULL);
      API(bind_text)(ins, 12, b, -1, NULL);
      API(bind_text)(ins, 13, c, -1, NULL);
      API(bind_text)(ins, 14, instruct, -1, NULL);
      API(bind_text)(ins, 15, mode, -1, NULL);
      API(bind_text)(ins, 16, note, -1, NULL);
      if (API(step)(ins) != 101 /* DONE */) die(db, "insert lineitem");
      API(reset)(ins);
    }
    for (int k = 0; k < 4; k++) olap_next(); /* the order's custkey, priority, clerk, comment */
  }
  exec(db, "COMMIT");
  API(finalize)(ins);
  ins = prepare(db, "INSERT INTO docs VALUES (?, ?)");
  exec(db, "BEGIN");
  for (int i = 0; i < json_docs; i++) {
    uint32_t score = olap_next() % 1000;
    int active = olap_next() % 3 != 0;
    const char *t1 = SEGMENTS[olap_next() % 5];
    const char *t2 = SHIPMODES[olap_next() % 7];
    uint32_t city = olap_next() % 200;
    uint32_t zip = olap_next() % 100000;
    snprintf(doc, sizeof doc,
             "{\"id\":%d,\"name\":\"user-%d\",\"score\":%u,\"active\":%s,\"tags\":[\"%s\",\"%s\"],"
             "\"address\":{\"city\":\"city-%u\",\"zip\":\"%u\"}}",
             i + 1, i, score, active ? "true" : "false", t1, t2, city, zip);
    API(bind_int64)(ins, 1, i + 1);
    API(bind_text)(ins, 2, doc, -1, NULL);
    if (API(step)(ins) != 101 /* DONE */) die(db, "insert docs");
    API(reset)(ins);
  }
  exec(db, "COMMIT");
  API(finalize)(ins);
}

static const char *Q1_SQL =
    "SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, sum(l_extendedprice) AS sum_base_price,\n"
    "  sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price,\n"
    "  sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge, avg(l_quantity) AS avg_qty,\n"
    "  avg(l_extendedprice) AS avg_price, avg(l_discount) AS avg_disc, count(*) AS count_order\n"
    "  FROM lineitem WHERE l_shipdate <= '1998-09-02'\n"
    "  GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus";
static const char *Q6_SQL =
    "SELECT sum(l_extendedprice * l_discount) AS revenue FROM lineitem\n"
    "  WHERE l_shipdate >= '1994-01-01' AND l_shipdate < '1995-01-01' AND l_discount BETWEEN 0.05 AND 0.07\n"
    "    AND l_quantity < 24";
static const char *JSON_SQL =
    "SELECT count(*) AS n, sum(json_extract(doc, '$.score')) AS s FROM docs "
    "WHERE json_extract(doc, '$.active') AND doc ->> '$.address.city' < 'city-100'";

/* Runs sql n times; the checksum adds every integer column and the REAL ones scaled. */
static int64_t run_query(DB *db, const char *sql, int n) {
  int64_t check = 0;
  STMT *st = prepare(db, sql);
  for (int i = 0; i < n; i++) {
    while (API(step)(st) == ROW) {
      for (int k = 0; k < API(column_count)(st); k++) check += (int64_t)(API(column_double)(st, k) * 100);
    }
    API(reset)(st);
  }
  API(finalize)(st);
  return check;
}

static void insert_rows(DB *db, int from, int to) {
  STMT *ins = prepare(db, "INSERT INTO t(id, x, y, g, s) VALUES (?, ?, ?, ?, ?)");
  char s[64];
  exec(db, "BEGIN");
  for (int i = from; i < to; i++) {
    uint32_t x = next_rand() % X_RANGE;
    double y = (next_rand() % 1000000) / 1000.0;
    if (s_base36) {
      int k = snprintf(s, sizeof s, "row-%d-", i);
      to_base36(s + k, x);
    } else {
      snprintf(s, sizeof s, "row-%d-%u", i, x);
    }
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
  } else if (strcmp(w, "like") == 0) {
    check = run_query(db, "SELECT count(*) AS n FROM t WHERE s LIKE '%7a%'", 5);
  } else if (strcmp(w, "analyze") == 0) {
    for (int i = 0; i < 5; i++) exec(db, "ANALYZE");
    check = run_query(db, "SELECT count(*) FROM sqlite_stat1", 1);
  } else if (strcmp(w, "q1") == 0) {
    check = run_query(db, Q1_SQL, 5);
  } else if (strcmp(w, "q6") == 0) {
    check = run_query(db, Q6_SQL, 5);
  } else if (strcmp(w, "json") == 0) {
    check = run_query(db, JSON_SQL, 5);
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
    fprintf(stderr, "usage: %s insert|lookup|scan|update_all|update_point|autocommit|unique|delete|delete_scan|update_index|orderby|groupby|cover|like|analyze|q1|q6|json [ROWS] [FILE]\n", argv[0]);
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
  if (strcmp(w, "analyze") == 0) exec(db, "CREATE INDEX tx ON t(x); CREATE INDEX ts ON t(s); CREATE INDEX tgy ON t(g, y)");
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
  } else if (strcmp(w, "q1") == 0 || strcmp(w, "q6") == 0 || strcmp(w, "json") == 0) {
    fill_olap(db);
  } else if (strcmp(w, "insert") != 0 && strcmp(w, "unique") != 0) {
    s_base36 = strcmp(w, "like") == 0;
    insert_rows(db, 0, rows);
  }
  double t0 = now_ms(), c0 = cpu_ms();
  int64_t check = run_workload(db, w, rows);
  printf("%s: %.1f ms (cpu %.1f ms), check %lld\n", w, now_ms() - t0, cpu_ms() - c0, (long long)check);
  API(close)(db);
  return 0;
}
