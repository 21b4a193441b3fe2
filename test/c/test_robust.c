/*
** test_robust.c — the engine must never crash, hang or leak on any input:
**  (a) seeded random SQL (grammar-driven statements over a small schema,
**      their mutations, and token soup) through lode_prepare/lode_step;
**  (b) corrupt database files: two small files (an ordinary one and an
**      auto-vacuum one: rowid and WITHOUT ROWID tables, indexes, overflow
**      rows, a freelist) damaged by seed (bytes of headers, cell pointers,
**      cells and links; 1-10 scattered bytes or a 32-byte run; truncation,
**      zeroed or copied pages; pointers and schema roots aimed at other
**      pages of the file), then scanned, searched, written, checked,
**      vacuumed, each statement within a budget of VM steps;
**  (c) API misuse, interleaved statements on one table, and allocation
**      failure at every allocation of a small workload.
**
** Each seed runs in a forked child with an alarm, so a crash, a sanitizer
** report or a hang is reported with the seed (and, for SQL, the statement
** being run, kept in shared memory) instead of killing the whole test.
** Environment knobs for longer runs by hand: LODE_ROBUST_SEED=n reruns one
** SQL seed verbosely (prints every statement); LODE_ROBUST_SEEDS=n and
** LODE_ROBUST_SEED_BASE=b run SQL seeds b+1..b+n; LODE_ROBUST_CORRUPT_SEEDS=n
** and LODE_ROBUST_CORRUPT_FIRST=f run corrupt-file cases f..f+n-1 (default
** 240 from 0, about 5 s), LODE_ROBUST_CORRUPT_SAVE=dir keeps their files;
** LODE_ROBUST_OOM_AT=n starts the
** allocation-failure sweep at allocation n.  Every fourth SQL seed runs on a
** file database with a second connection reading, checked by sqlite3 after.
**
** Invariant checked everywhere: every failure returns a known SQLite result
** code with a non-empty message; after random DML the b-trees still pass
** btree_integrity_check.
*/
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conn/conn.h"
#include "lode.h"
#include "testdb.h"
#include "testlib.h"
#include "util/util.h"

#define SHARED_BYTES 65536
#define SQL_SEEDS 40
#define SQL_STMTS_PER_SEED 300
#define SQL_MAX_ROWS 500
#define CHILD_ALARM_SECONDS 50
#define CORRUPT_SEEDS 240
#define CORRUPT_BATCH 20

/* ---- shared helpers ------------------------------------------------------ */

static char *shared; /* MAP_SHARED: the child's "what am I doing" note */
static unsigned child_alarm = CHILD_ALARM_SECONDS;
static char tmpdir[256];

/* Counters the children add to, at the end of the shared page. */
typedef struct SqlStats {
  long stmts, completed, rows;
  /* corrupt files: cases, those that opened, statements run, ending well, reporting corruption */
  long cases, opened, cstmts, cok, ccorrupt;
} SqlStats;
#define NOTE_BYTES (SHARED_BYTES - 256)
static SqlStats *stats;

static void note(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(shared, NOTE_BYTES, fmt, ap);
  va_end(ap);
}



/* Result codes a caller can meet: OK/ROW/DONE or a primary code 1..28 with
** an extended part no larger than SQLite's. */
static int rc_known(int rc) {
  int primary = rc & 0xff;
  if (rc == LODE_OK || rc == LODE_ROW || rc == LODE_DONE) return 1;
  return primary >= LODE_ERROR && primary <= LODE_WARNING && (rc >> 8) < 64;
}

/* Runs fn(arg) in a forked child with an alarm.  Returns 0 when the child
** exited 0; otherwise prints what happened with the child's note. */
static int run_child(int (*fn)(void *), void *arg, const char *label) {
  fflush(stdout);
  fflush(stderr);
  shared[0] = 0;
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    alarm(child_alarm);
    int rc = fn(arg);
    fflush(stdout);
    _exit(rc ? 1 : 0);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
  if (WIFSIGNALED(status))
    printf("  %s: child killed by signal %d%s while: %s\n", label, WTERMSIG(status),
           WTERMSIG(status) == SIGALRM ? " (hang)" : "", shared);
  else
    printf("  %s: child exited %d while: %s\n", label, WEXITSTATUS(status), shared);
  return 1;
}


/* Runs sql to completion; returns the final code (LODE_OK on success). */
static int exec_rc(lode *db, const char *sql) { return lode_exec(db, sql, NULL); }



/* ---- (a) random SQL ------------------------------------------------------- */

typedef struct Buf {
  char z[8192];
  size_t n;
} Buf;

static void put(Buf *b, const char *fmt, ...) {
  va_list ap;
  if (b->n >= sizeof b->z - 1) return;
  va_start(ap, fmt);
  int k = vsnprintf(b->z + b->n, sizeof b->z - b->n, fmt, ap);
  va_end(ap);
  if (k > 0) b->n += (size_t)k;
  if (b->n >= sizeof b->z) b->n = sizeof b->z - 1;
}

static const char *pick(Rng *r, const char *const *list, int n) { return list[rng_int(r, n)]; }
#define PICK(r, arr) pick((r), (arr), (int)(sizeof(arr) / sizeof((arr)[0])))

static const char *const literals[] = {
    "0", "1", "-1", "2", "42", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
    "0x7fffffffffffffff", "0xffffffffffffffff", "0x", "1e308", "-1e308", "1e999", "1e-320", "3.14", ".5", "5.",
    "'abc'", "''", "'12'", "' 12 '", "'1e3'", "'x''y'", "'%'", "'_a%'", "x''", "x'00ff'", "X'414243'", "NULL",
    "'2024-02-29 12:34:56'", "'now'", "'\xc3\xa9t\xc3\xa9'", "'\xff\xfe'", "?", "?2", ":p", "@q", "$r",
    "?999", "CURRENT_TIMESTAMP", "TRUE", "FALSE", "-0.0", "'-9223372036854775809'", "'0x10'"};
static const char *const columns[] = {"a", "b", "c", "d", "x", "y", "z", "t1.a", "t2.y", "rowid", "_rowid_",
                                      "oid", "nosuch", "t1.nosuch", "\"b\"", "[c]", "`x`", "\"str\""};
static const char *const t1_columns[] = {"a", "b", "c", "d", "t1.a", "t1.b", "rowid", "\"b\"", "[c]"};
static const char *const t2_columns[] = {"x", "y", "z", "t2.x", "t2.z", "oid", "`x`"};
static const char *const t12_columns[] = {"a", "b", "c", "d", "x", "y", "z", "t1.a", "t2.y", "t1.rowid"};

/* Columns that resolve in the FROM clause being generated (set by gen_select). */
static const char *const *scope_cols;
static int nscope;

static const char *pick_column(Rng *r) {
  if (nscope == 0 || rng_int(r, 12) == 0) return columns[rng_int(r, (int)(sizeof columns / sizeof columns[0]))];
  return scope_cols[rng_int(r, nscope)];
}
static const char *const binops[] = {"+", "-", "*", "/", "%", "||", "=", "==", "!=", "<>", "<", "<=", ">",
                                     ">=", "AND", "OR", "&", "|", "<<", ">>", "IS", "IS NOT", "->", "->>"};
/* name:arity (the usual argument count; other counts are tried too). */
static const char *const funcs[] = {
    "abs:1", "length:1", "substr:3", "upper:1", "lower:1", "coalesce:2", "ifnull:2", "typeof:1", "hex:1",
    "quote:1", "round:2", "printf", "format", "replace:3", "instr:2", "trim:1", "ltrim:2", "rtrim:1", "max:2",
    "min:1", "count:1", "sum:1", "avg:1", "total:1", "group_concat:2", "nullif:2", "zeroblob", "randomblob",
    "unicode:1", "char:3", "date:2", "time:1", "datetime:3", "julianday:1", "strftime:2", "unixepoch:1",
    "iif:3", "likely:1", "unlikely:1", "random:0", "sign:1", "sqrt:1", "pow:2", "log:2", "ln:1", "exp:1",
    "floor:1", "ceil:1", "mod:2", "pi:0", "like:2", "glob:2", "soundex:1", "nosuchfunc:1", "octet_length:1",
    "concat:3", "concat_ws:3", "string_agg:2", "last_insert_rowid:0", "changes:0", "total_changes:0",
    "sqlite_version:0", "unhex:1", "trunc:1", "degrees:1", "acos:1", "atan2:2", "substring:2", "max:1",
    "min:3", "instr:2", "substr:2", "round:1", "abs:1", "length:1", "typeof:1", "coalesce:3"};
static const char *const formats[] = {"'%d'", "'%s'", "'%5.2f'", "'%x'", "'%q'", "'%Q'", "'%w'", "'%c'",
                                      "'%-10s|'", "'%.*d'", "'%z'", "'%'", "'%lld'", "'%!.15g'", "'%e'",
                                      "'%9999d'", "'%.9999f'", "'%.*f'", "'%%'", "'%n'", "'%p'"};
static const char *const types[] = {"INTEGER", "INT", "REAL", "TEXT", "BLOB", "NUMERIC", "VARCHAR(10)",
                                    "DECIMAL(5,2)", "", "FLOAT", "BOOLEAN", "nosuch type"};
static const char *const soup[] = {
    "SELECT", "FROM", "WHERE", "INSERT", "INTO", "VALUES", "UPDATE", "SET", "DELETE", "CREATE", "TABLE",
    "DROP", "BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "EXPLAIN", "QUERY", "PLAN", "ORDER", "BY", "GROUP",
    "HAVING", "LIMIT", "OFFSET", "AND", "OR", "NOT", "NULL", "IS", "IN", "BETWEEN", "LIKE", "GLOB", "ESCAPE",
    "CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "AS", "JOIN", "ON", "LEFT", "INNER", "CROSS", "USING",
    "DISTINCT", "ALL", "UNION", "EXCEPT", "INTERSECT", "PRIMARY", "KEY", "UNIQUE", "CHECK", "DEFAULT",
    "COLLATE", "NOCASE", "INDEX", "VIEW", "TRIGGER", "WITH", "RECURSIVE", "EXISTS", "IF", "REPLACE",
    "IGNORE", "RETURNING", "WINDOW", "OVER", "(", ")", ",", ";", ".", "*", "+", "-", "/", "%", "=", "<",
    ">", "!", "~", "||", "?", "?1", ":a", "t1", "t2", "t3", "a", "b", "x", "1", "0", "'s'", "x'0'", "x'00'",
    "1e", "0x", "''", "\"", "'", "`", "[", "]", "--", "/*", "*/", "sqlite_schema", "main", "temp",
    "rowid", "count", "(*)", "9999999999999999999999", "1.5e+", "$", "@", "#", "\\", "\x01", "\xc3",
    "\xe2\x82", "AUTOINCREMENT", "WITHOUT", "STRICT", "IMMEDIATE", "EXCLUSIVE", "DEFERRED", "SAVEPOINT"};

static void gen_expr(Rng *r, Buf *b, int depth);
static void gen_select(Rng *r, Buf *b, int depth);

static void gen_args(Rng *r, Buf *b, int depth, int n) {
  for (int i = 0; i < n; i++) {
    if (i) put(b, ", ");
    gen_expr(r, b, depth + 1);
  }
}

static void gen_func(Rng *r, Buf *b, int depth) {
  const char *f = PICK(r, funcs);
  if (strncmp(f, "count", 5) == 0 && rng_int(r, 3) == 0) {
    put(b, "count(*)");
    return;
  }
  if ((strcmp(f, "printf") == 0 || strcmp(f, "format") == 0) && rng_int(r, 4)) {
    put(b, "%s(%s", f, PICK(r, formats));
    for (int i = rng_int(r, 3); i > 0; i--) {
      put(b, ", ");
      gen_expr(r, b, depth + 1);
    }
    put(b, ")");
    return;
  }
  if (strcmp(f, "zeroblob") == 0 || strcmp(f, "randomblob") == 0) {
    /* big sizes must give TOOBIG/NOMEM-free errors, not allocate gigabytes */
    static const char *const sizes[] = {"0", "1", "100", "-5", "5000", "NULL", "'x'", "1e10",
                                        "9223372036854775807", "2147483648"};
    put(b, "%s(%s)", f, PICK(r, sizes));
    return;
  }
  const char *colon = strchr(f, ':');
  int arity = colon && rng_int(r, 6) ? colon[1] - '0' : rng_int(r, 4);
  put(b, "%.*s(%s", colon ? (int)(colon - f) : (int)strlen(f), f, rng_int(r, 12) == 0 ? "DISTINCT " : "");
  gen_args(r, b, depth, arity);
  put(b, ")");
}

static void gen_expr(Rng *r, Buf *b, int depth) {
  int k = depth > 3 ? rng_int(r, 3) : rng_int(r, 22);
  switch (k) {
  case 0: put(b, "%s", PICK(r, literals)); break;
  case 1: put(b, "%s", pick_column(r)); break;
  case 2: put(b, "%s", rng_int(r, 2) ? PICK(r, literals) : pick_column(r)); break;
  case 3: case 4: case 5:
    put(b, "(");
    gen_expr(r, b, depth + 1);
    put(b, " %s ", PICK(r, binops));
    gen_expr(r, b, depth + 1);
    put(b, ")");
    break;
  case 6: {
    static const char *const un[] = {"-", "+", "NOT ", "~"};
    put(b, "%s", PICK(r, un));
    gen_expr(r, b, depth + 1);
    break;
  }
  case 7: case 8: gen_func(r, b, depth); break;
  case 9:
    put(b, "CAST(");
    gen_expr(r, b, depth + 1);
    put(b, " AS %s)", PICK(r, types));
    break;
  case 10:
    put(b, "CASE ");
    if (rng_int(r, 2)) gen_expr(r, b, depth + 1);
    for (int i = rng_int(r, 3) + 1; i > 0; i--) {
      put(b, " WHEN ");
      gen_expr(r, b, depth + 1);
      put(b, " THEN ");
      gen_expr(r, b, depth + 1);
    }
    if (rng_int(r, 2)) {
      put(b, " ELSE ");
      gen_expr(r, b, depth + 1);
    }
    put(b, " END");
    break;
  case 11:
    gen_expr(r, b, depth + 1);
    put(b, rng_int(r, 2) ? " BETWEEN " : " NOT BETWEEN ");
    gen_expr(r, b, depth + 1);
    put(b, " AND ");
    gen_expr(r, b, depth + 1);
    break;
  case 12:
    gen_expr(r, b, depth + 1);
    put(b, rng_int(r, 2) ? " IN (" : " NOT IN (");
    gen_args(r, b, depth, rng_int(r, 4));
    put(b, ")");
    break;
  case 13:
    gen_expr(r, b, depth + 1);
    put(b, " %s ", rng_int(r, 2) ? "LIKE" : rng_int(r, 2) ? "GLOB" : "NOT LIKE");
    gen_expr(r, b, depth + 1);
    if (rng_int(r, 4) == 0) {
      put(b, " ESCAPE ");
      gen_expr(r, b, depth + 1);
    }
    break;
  case 14:
    gen_expr(r, b, depth + 1);
    put(b, "%s", rng_int(r, 2) ? " ISNULL" : " NOTNULL");
    break;
  case 15: {
    static const char *const coll[] = {"NOCASE", "RTRIM", "BINARY", "nosuch"};
    gen_expr(r, b, depth + 1);
    put(b, " COLLATE %s", PICK(r, coll));
    break;
  }
  case 16:
    if (rng_int(r, 5)) { /* subqueries are mostly unsupported: keep them rare */
      put(b, "%s", pick_column(r));
      break;
    }
    put(b, rng_int(r, 2) ? "(" : "EXISTS (");
    gen_select(r, b, depth + 1);
    put(b, ")");
    break;
  case 17:
    gen_expr(r, b, depth + 1);
    if (rng_int(r, 5)) {
      put(b, " IN (%s, %s)", PICK(r, literals), pick_column(r));
      break;
    }
    put(b, " IN (");
    gen_select(r, b, depth + 1);
    put(b, ")");
    break;
  default: gen_expr(r, b, depth + 2); break;
  }
}

#define SET_SCOPE(arr) (scope_cols = (arr), nscope = (int)(sizeof(arr) / sizeof((arr)[0])))

static void gen_from(Rng *r, Buf *b, int depth) {
  switch (rng_int(r, 12)) {
  case 0: case 8: put(b, " FROM t1"); SET_SCOPE(t1_columns); break;
  case 1: case 9: put(b, " FROM t2"); SET_SCOPE(t2_columns); break;
  case 2: case 10: put(b, " FROM t1, t2"); SET_SCOPE(t12_columns); break;
  case 3:
    put(b, " FROM t1 %sJOIN t2 ON ", rng_int(r, 2) ? "" : "LEFT ");
    SET_SCOPE(t12_columns);
    gen_expr(r, b, depth + 1);
    break;
  case 4: put(b, " FROM t1 AS q CROSS JOIN t2"); SET_SCOPE(t2_columns); break;
  case 5:
    put(b, " FROM (");
    gen_select(r, b, depth + 1);
    put(b, ") AS s");
    break;
  case 6: put(b, " FROM sqlite_schema"); break;
  case 7: put(b, " FROM t3"); break;
  default: break;
  }
}

static void gen_select(Rng *r, Buf *b, int depth) {
  static Buf from[4]; /* the FROM clause is chosen first: it decides which columns resolve */
  Buf *fb = &from[depth < 3 ? depth : 3];
  const char *const *saved_cols = scope_cols;
  int saved_n = nscope;
  fb->n = 0;
  fb->z[0] = 0;
  nscope = 0;
  if (depth <= 2) gen_from(r, fb, depth);
  put(b, "SELECT %s", rng_int(r, 6) == 0 ? "DISTINCT " : "");
  if (rng_int(r, 5) == 0) put(b, "*");
  else {
    int n = rng_int(r, 3) + 1;
    for (int i = 0; i < n; i++) {
      if (i) put(b, ", ");
      gen_expr(r, b, depth + 1);
      if (rng_int(r, 4) == 0) put(b, " AS c%d", i);
    }
  }
  if (depth > 2) {
    scope_cols = saved_cols;
    nscope = saved_n;
    return;
  }
  put(b, "%s", fb->z);
  if (rng_int(r, 2)) {
    put(b, " WHERE ");
    gen_expr(r, b, depth + 1);
  }
  if (rng_int(r, 4) == 0) {
    put(b, " GROUP BY ");
    gen_expr(r, b, depth + 1);
    if (rng_int(r, 2)) {
      put(b, " HAVING ");
      gen_expr(r, b, depth + 1);
    }
  }
  if (rng_int(r, 3) == 0) {
    static const char *const dir[] = {"", " DESC", " ASC", " NULLS FIRST", " DESC NULLS LAST"};
    put(b, " ORDER BY ");
    gen_expr(r, b, depth + 1);
    put(b, "%s", PICK(r, dir));
    if (rng_int(r, 2)) put(b, ", %d", rng_int(r, 4));
  }
  if (rng_int(r, 3) == 0) {
    put(b, " LIMIT ");
    gen_expr(r, b, depth + 1);
    if (rng_int(r, 2)) {
      put(b, " OFFSET ");
      gen_expr(r, b, depth + 1);
    }
  }
  if (rng_int(r, 8) == 0) {
    static const char *const ops[] = {" UNION ", " UNION ALL ", " INTERSECT ", " EXCEPT "};
    put(b, "%s", PICK(r, ops));
    gen_select(r, b, depth + 1);
  }
  scope_cols = saved_cols;
  nscope = saved_n;
}

static void gen_insert(Rng *r, Buf *b) {
  static const char *const conflict[] = {"", "OR REPLACE ", "OR IGNORE ", "OR ABORT ", "OR FAIL ",
                                         "OR ROLLBACK "};
  const char *tab = rng_int(r, 2) ? "t1" : "t2";
  put(b, "INSERT %sINTO %s", PICK(r, conflict), tab);
  if (rng_int(r, 2)) put(b, tab[1] == '1' ? " (a, b, d)" : " (z, x)");
  switch (rng_int(r, 5)) {
  case 0:
    put(b, " SELECT * FROM %s LIMIT %d", rng_int(r, 2) ? "t1" : "t2", rng_int(r, 5));
    break;
  case 1: put(b, " DEFAULT VALUES"); break;
  default: {
    int rows = rng_int(r, 3) + 1, ncols = rng_int(r, 5) + 1;
    put(b, " VALUES ");
    for (int i = 0; i < rows; i++) {
      put(b, "%s(", i ? ", " : "");
      gen_args(r, b, 2, ncols);
      put(b, ")");
    }
  }
  }
}

static void gen_stmt(Rng *r, Buf *b) {
  int k = rng_int(r, 20);
  nscope = 0;
  if (rng_int(r, 25) == 0) put(b, rng_int(r, 2) ? "EXPLAIN " : "EXPLAIN QUERY PLAN ");
  if (k < 7) gen_select(r, b, 0);
  else if (k < 10) gen_insert(r, b);
  else if (k < 12) {
    int one = rng_int(r, 2);
    if (one) SET_SCOPE(t1_columns);
    else SET_SCOPE(t2_columns);
    put(b, "UPDATE %s SET %s = ", one ? "t1" : "t2", one ? PICK(r, t1_columns) : PICK(r, t2_columns));
    gen_expr(r, b, 1);
    if (rng_int(r, 2)) {
      put(b, " WHERE ");
      gen_expr(r, b, 1);
    }
  } else if (k < 13) {
    int one = rng_int(r, 2);
    if (one) SET_SCOPE(t1_columns);
    else SET_SCOPE(t2_columns);
    put(b, "DELETE FROM %s WHERE ", one ? "t1" : "t2");
    gen_expr(r, b, 1);
  } else if (k < 15) {
    static const char *const txn[] = {"BEGIN", "BEGIN IMMEDIATE", "BEGIN EXCLUSIVE", "COMMIT", "END",
                                      "ROLLBACK", "BEGIN DEFERRED TRANSACTION", "COMMIT TRANSACTION"};
    put(b, "%s", PICK(r, txn));
  } else if (k < 16) {
    put(b, "CREATE TABLE %st3(", rng_int(r, 2) ? "IF NOT EXISTS " : "");
    int n = rng_int(r, 4) + 1;
    for (int i = 0; i < n; i++) {
      static const char *const cons[] = {"", " PRIMARY KEY", " NOT NULL", " DEFAULT 5", " DEFAULT (1+2)",
                                         " CHECK (c0 > 0)", " COLLATE NOCASE", " UNIQUE", " INTEGER PRIMARY KEY"};
      put(b, "%sc%d %s%s", i ? ", " : "", i, PICK(r, types), PICK(r, cons));
    }
    put(b, ")%s", rng_int(r, 5) == 0 ? " WITHOUT ROWID" : rng_int(r, 5) == 0 ? " STRICT" : "");
  } else if (k < 17) {
    put(b, "DROP TABLE %st3", rng_int(r, 2) ? "IF EXISTS " : "");
  } else if (k < 18) {
    static const char *const pragmas[] = {
        "PRAGMA user_version", "PRAGMA user_version = 7", "PRAGMA schema_version", "PRAGMA page_size",
        "PRAGMA journal_mode", "PRAGMA table_info(t1)", "PRAGMA table_info(nosuch)", "PRAGMA nosuch",
        "PRAGMA integrity_check", "PRAGMA user_version = 'x'", "PRAGMA application_id = -1",
        "PRAGMA table_info", "PRAGMA main.user_version", "PRAGMA cache_size = 10"};
    put(b, "%s", PICK(r, pragmas));
  } else {
    put(b, "CREATE TABLE t4 AS ");
    gen_select(r, b, 1);
    put(b, "; DROP TABLE t4");
  }
}

/* Mutates b's text: drops, duplicates or inserts a token, cuts it short,
** or replaces a byte. */
static void mutate(Rng *r, Buf *b) {
  char tmp[sizeof b->z];
  size_t pos = b->n ? (size_t)rng_int(r, (int)b->n) : 0;
  switch (rng_int(r, 5)) {
  case 0: b->n = pos; b->z[pos] = 0; break;
  case 1:
    if (b->n) b->z[pos] = (char)(rng_int(r, 255) + 1);
    break;
  default: {
    const char *tok = PICK(r, soup);
    snprintf(tmp, sizeof tmp, "%.*s %s %s", (int)pos, b->z, tok, b->z + pos);
    b->n = strlen(tmp);
    memcpy(b->z, tmp, b->n + 1);
  }
  }
}

static void gen_soup(Rng *r, Buf *b) {
  for (int i = rng_int(r, 20) + 1; i > 0; i--) put(b, "%s ", PICK(r, soup));
}

/* Reads every column of the current row through every accessor. */
static void touch_row(lode_stmt *st) {
  int n = lode_column_count(st);
  for (int i = 0; i < n; i++) {
    int t = lode_column_type(st, i);
    (void)lode_column_name(st, i);
    (void)lode_column_decltype(st, i);
    if (t == LODE_BLOB) (void)lode_column_blob(st, i);
    const unsigned char *z = lode_column_text(st, i);
    int nb = lode_column_bytes(st, i);
    if (z && nb > 0) (void)z[nb - 1];
    (void)lode_column_int64(st, i);
    (void)lode_column_double(st, i);
  }
}

static void bind_random(Rng *r, lode_stmt *st) {
  int n = lode_bind_parameter_count(st);
  for (int i = 1; i <= n; i++) {
    (void)lode_bind_parameter_name(st, i);
    switch (rng_int(r, 6)) {
    case 0: lode_bind_null(st, i); break;
    case 1: lode_bind_int64(st, i, (lode_int64)rng_next(r)); break;
    case 2: lode_bind_double(st, i, (double)rng_int(r, 1000) / 7.0); break;
    case 3: lode_bind_text(st, i, "bound text", -1, LODE_TRANSIENT); break;
    case 4: lode_bind_blob(st, i, "\0\1\2", 3, LODE_STATIC); break;
    default: lode_bind_zeroblob(st, i, rng_int(r, 100)); break;
    }
  }
}

/* Set while a seed injects allocation failures into its statements. */
static int sql_oom_mode;

/* Codes random SQL may legitimately fail with. */
static int sql_failure_ok(int rc) {
  if (sql_oom_mode && (rc == LODE_NOMEM || rc == LODE_IOERR_NOMEM)) return 1;
  switch (rc & 0xff) {
  case LODE_ERROR: case LODE_CONSTRAINT: case LODE_MISMATCH: case LODE_TOOBIG: case LODE_RANGE:
  case LODE_BUSY: case LODE_SCHEMA: case LODE_ABORT: case LODE_READONLY: return 1;
  default: return 0;
  }
}

typedef struct SqlRun {
  uint64_t seed;
  int verbose;
  int bad; /* failures seen */
} SqlRun;

static int sql_fail(SqlRun *run, const char *what, int rc, lode *db, const char *sql) {
  printf("  seed %llu: %s rc=%d msg=\"%s\" sql: %s\n", (unsigned long long)run->seed, what, rc,
         db ? lode_errmsg(db) : "", sql);
  return ++run->bad;
}

static void check_failure(SqlRun *run, lode *db, int rc, const char *sql) {
  const char *msg = lode_errmsg(db);
  if (!rc_known(rc)) sql_fail(run, "unknown code", rc, db, sql);
  else if (!sql_failure_ok(rc)) sql_fail(run, "unexpected code", rc, db, sql);
  if (!msg || !*msg) sql_fail(run, "empty message", rc, db, sql);
  if ((lode_extended_errcode(db) & 0xff) != (rc & 0xff))
    sql_fail(run, "errcode differs from returned code", rc, db, sql);
}

/* Prepares and runs every statement of sql, binding random values. */
static void run_sql(Rng *r, SqlRun *run, lode *db, const char *sql, int nbyte) {
  const char *tail = sql;
  const char *end = nbyte < 0 ? sql + strlen(sql) : sql + nbyte;
  while (tail && tail < end && *tail) {
    lode_stmt *st = NULL;
    const char *next = NULL;
    int rc = lode_prepare(db, tail, (int)(end - tail), &st, &next);
    if (rc != LODE_OK) {
      check_failure(run, db, rc, tail);
      if (st) sql_fail(run, "stmt set on failure", rc, db, tail);
      return;
    }
    if (!st) return;
    if (!next || next <= tail || next > end) {
      sql_fail(run, "bad tail", rc, db, tail);
      lode_finalize(st);
      return;
    }
    bind_random(r, st);
    int rows = 0;
    stats->stmts++;
    while ((rc = lode_step(st)) == LODE_ROW && rows++ < SQL_MAX_ROWS) touch_row(st);
    stats->rows += rows;
    if (rc == LODE_DONE) stats->completed++;
    if (rc != LODE_ROW && rc != LODE_DONE) check_failure(run, db, rc, tail);
    if (rng_int(r, 4) == 0) {
      rc = lode_reset(st);
      (void)lode_step(st); /* once more from the top */
    }
    lode_finalize(st);
    tail = next;
  }
}

static void keep_tables_small(lode *db) {
  if (query_int(db, "SELECT count(*) FROM t1") > 60) exec_rc(db, "DELETE FROM t1 WHERE a % 3 <> 0");
  if (query_int(db, "SELECT count(*) FROM t2") > 60) exec_rc(db, "DELETE FROM t2 WHERE rowid % 3 <> 0");
}

static const char *const sql_schema =
    "CREATE TABLE t1(a INTEGER PRIMARY KEY, b TEXT, c REAL, d BLOB);"
    "CREATE TABLE t2(x INT NOT NULL DEFAULT 0, y TEXT DEFAULT 'dflt', z);"
    "INSERT INTO t1 VALUES (1, 'one', 1.5, x'01'), (2, 'two', NULL, NULL), (3, NULL, -2, zeroblob(3000));"
    "INSERT INTO t1(b) VALUES ('four'), ('Five'), ('%'), (''), (NULL);"
    "INSERT INTO t2 VALUES (1, 'a', 1), (2, 'B', 'text'), (-3, NULL, 2.5), (4, 'long', zeroblob(5000));";

static int sql_seed_child(void *arg) {
  SqlRun *run = arg;
  Rng r;
  lode *db = NULL;
  char msg[512];
  char path[512] = ":memory:";
  lode *reader = NULL; /* file seeds: a second connection reads between statements */
  rng_seed(&r, run->seed);
  if (run->seed % 4 == 0) {
    snprintf(path, sizeof path, "%s/sql%llu.db", tmpdir, (unsigned long long)run->seed);
    remove_db(path);
  }
  if (lode_open(path, &db) != LODE_OK || exec_rc(db, sql_schema) != LODE_OK) {
    printf("  seed %llu: setup failed: %s\n", (unsigned long long)run->seed, lode_errmsg(db));
    return 1;
  }
  if (run->seed % 4 == 0 && lode_open(path, &reader) != LODE_OK) run->bad++;
  for (int i = 0; i < SQL_STMTS_PER_SEED; i++) {
    Buf b;
    if (reader && i % 10 == 5) {
      note("seed %llu: second connection reads", (unsigned long long)run->seed);
      lode_stmt *st = NULL;
      int rc = lode_prepare(reader, "SELECT count(*), sum(length(d)) FROM t1", -1, &st, NULL);
      if (rc == LODE_OK) rc = lode_step(st);
      if (rc != LODE_ROW && (rc & 0xff) != LODE_BUSY && (rc & 0xff) != LODE_ERROR)
        sql_fail(run, "second connection", rc, reader, "SELECT count(*) FROM t1");
      lode_finalize(st);
    }
    b.n = 0;
    b.z[0] = 0;
    int k = rng_int(&r, 10);
    if (k == 0) gen_soup(&r, &b);
    else {
      gen_stmt(&r, &b);
      if (k < 4) mutate(&r, &b);
      if (k == 4) {
        put(&b, "; ");
        gen_stmt(&r, &b);
      }
    }
    note("seed %llu stmt %d: %s", (unsigned long long)run->seed, i, b.z);
    if (run->verbose) printf("%s\n", shared);
    /* sometimes hand prepare a byte limit that cuts the statement */
    int nbyte = (rng_int(&r, 10) == 0 && b.n > 0) ? rng_int(&r, (int)b.n) : -1;
    /* every fifth seed makes one allocation of some statements fail */
    sql_oom_mode = run->seed % 5 == 3 && rng_int(&r, 4) == 0;
    if (sql_oom_mode) util_fail_alloc_after(1 + rng_int(&r, 300), 0);
    run_sql(&r, run, db, b.z, nbyte);
    util_fail_alloc_after(0, 0);
    sql_oom_mode = 0;
    if (i % 25 == 24) {
      if (!lode_get_autocommit(db)) exec_rc(db, "COMMIT");
      keep_tables_small(db);
      note("seed %llu after stmt %d: integrity check", (unsigned long long)run->seed, i);
      int nerr = check_btrees(db, msg, sizeof msg);
      if (nerr != 0) {
        printf("  seed %llu: integrity after stmt %d: %d problems: %s\n", (unsigned long long)run->seed, i,
               nerr, msg);
        run->bad++;
      }
    }
    if (run->bad > 5) break;
  }
  lode_stmt *live = lode_next_stmt(db, NULL);
  if (live) {
    printf("  seed %llu: statement left live\n", (unsigned long long)run->seed);
    run->bad++;
  }
  if (reader && lode_close(reader) != LODE_OK) run->bad++;
  int rc = lode_close(db);
  if (rc != LODE_OK) {
    printf("  seed %llu: close rc=%d\n", (unsigned long long)run->seed, rc);
    run->bad++;
  }
  if (run->seed % 4 == 0) {
    /* what the file holds after close must be sound for SQLite too */
    char cmd[700], line[256] = "";
    if (access("/usr/bin/sqlite3", X_OK) == 0) {
      snprintf(cmd, sizeof cmd, "/usr/bin/sqlite3 '%s' 'PRAGMA integrity_check' 2>&1", path);
      FILE *p = popen(cmd, "r");
      if (p) {
        if (!fgets(line, sizeof line, p)) line[0] = 0;
        pclose(p);
        if (strcmp(line, "ok\n") != 0) {
          printf("  seed %llu: sqlite3 integrity_check: %s", (unsigned long long)run->seed, line);
          run->bad++;
        }
      }
    }
    remove_db(path);
  }
  return run->bad;
}

TEST(random_sql_never_crashes) {
  int failed_seeds = 0;
  const char *one = getenv("LODE_ROBUST_SEED");
  const char *many = getenv("LODE_ROBUST_SEEDS"); /* longer runs by hand */
  int nseeds = many ? atoi(many) : SQL_SEEDS;
  for (int s = 1; s <= nseeds; s++) {
    const char *base = getenv("LODE_ROBUST_SEED_BASE");
    SqlRun run = {(uint64_t)s + (base ? strtoull(base, NULL, 10) : 0), 0, 0};
    char label[64];
    if (one) {
      run.seed = strtoull(one, NULL, 10);
      run.verbose = 1;
    }
    snprintf(label, sizeof label, "sql seed %llu", (unsigned long long)run.seed);
    if (run_child(sql_seed_child, &run, label) != 0) failed_seeds++;
    if (one) break;
  }
  CHECK_EQ_INT(failed_seeds, 0);
  /* the generator must keep producing statements that run, not only errors */
  printf("  random SQL: %ld statements compiled, %ld ran to completion, %ld rows\n", stats->stmts,
         stats->completed, stats->rows);
  CHECK(stats->completed * 4 > stats->stmts);
}

/* ---- (b) corrupt database files -------------------------------------------- */

/* The good files: rowid tables and a WITHOUT ROWID table, indexes (one
** whose entries overflow, one UNIQUE, one DESC), overflowing rows and a
** freelist, on small pages so that the trees have interior levels; one file
** of each flavor: an ordinary one (1 KiB pages), an incremental auto-vacuum
** one with pointer maps (512-byte pages).  Their contents come from a fixed
** seed, so every corrupt case is the same from run to run. */
#define GOOD_ROWS 60
#define GOOD_SEED 0x600dfeedu
#define GOOD_FLAVORS 2

typedef struct GoodFile {
  uint8_t *data;
  size_t size;
  uint32_t page_size;
} GoodFile;
static GoodFile goods[GOOD_FLAVORS];

/* The file the corruption works on (one of goods). */
static uint8_t *good_db;
static size_t good_db_size;
static uint32_t page_size;

static void use_good(int flavor) {
  good_db = goods[flavor].data;
  good_db_size = goods[flavor].size;
  page_size = goods[flavor].page_size;
}

static int read_file(const char *path, uint8_t **out, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  fseek(f, 0, SEEK_END);
  long sz = ftell(f);
  fseek(f, 0, SEEK_SET);
  *out = malloc((size_t)sz + 1);
  *n = fread(*out, 1, (size_t)sz, f);
  fclose(f);
  return *n == (size_t)sz ? 0 : -1;
}

static int write_file(const char *path, const uint8_t *p, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  size_t w = fwrite(p, 1, n, f);
  fclose(f);
  return w == n ? 0 : -1;
}

static void path_in_tmp(char *out, size_t n, const char *name) { snprintf(out, n, "%s/%s", tmpdir, name); }

/* Runs sql once with ?1 = blob of n bytes from r, ?2 = i. */
static int exec_with_blob(lode *db, const char *sql, Rng *r, int n, int i) {
  static uint8_t blob[12000];
  lode_stmt *st = NULL;
  if (n > (int)sizeof blob) n = (int)sizeof blob;
  for (int k = 0; k < n; k++) blob[k] = (uint8_t)rng_next(r);
  int rc = lode_prepare(db, sql, -1, &st, NULL);
  if (rc != LODE_OK) return rc;
  lode_bind_blob(st, 1, blob, n, LODE_STATIC);
  lode_bind_int64(st, 2, i);
  rc = lode_step(st);
  lode_finalize(st);
  return rc == LODE_DONE ? LODE_OK : rc;
}

static int build_good_db(int flavor) {
  char path[512];
  lode *db = NULL;
  Rng r;
  rng_seed(&r, GOOD_SEED);
  path_in_tmp(path, sizeof path, flavor ? "good_av.db" : "good.db");
  remove_db(path);
  if (lode_open(path, &db) != LODE_OK) return -1;
  int rc = exec_rc(db, flavor ? "PRAGMA page_size = 512; PRAGMA auto_vacuum = INCREMENTAL;"
                              : "PRAGMA page_size = 1024;");
  if (rc == LODE_OK)
    rc = exec_rc(db, "CREATE TABLE small(a INTEGER PRIMARY KEY, b TEXT);"
                     "CREATE TABLE big(k INTEGER PRIMARY KEY, payload BLOB, note TEXT);"
                     "CREATE TABLE wide(a, b, c, d, e, f);"
                     "CREATE TABLE kv(k TEXT PRIMARY KEY, v INTEGER, w BLOB) WITHOUT ROWID;"
                     "CREATE TABLE docs(id INTEGER PRIMARY KEY, body TEXT);"
                     "CREATE UNIQUE INDEX small_b ON small(b);"
                     "CREATE INDEX big_note ON big(note);"
                     "CREATE INDEX wide_cf ON wide(c, f DESC);"
                     "CREATE INDEX kv_v ON kv(v);"
                     "CREATE INDEX docs_body ON docs(body);"
                     "CREATE TABLE gone(x);"
                     "INSERT INTO gone VALUES (zeroblob(20000));");
  for (int i = 0; rc == LODE_OK && i < GOOD_ROWS; i++) {
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO small(b) VALUES ('row %d');"
             "INSERT INTO wide VALUES (%d, %d.5, 'w%d', NULL, x'0102', -%d);"
             "INSERT INTO docs VALUES (%d, printf('%%.*c', %d, char(97 + %d %% 26)));",
             i, i, i, i, i, i, 600 + 37 * i, i);
    rc = exec_rc(db, sql);
    if (rc == LODE_OK)
      rc = exec_with_blob(db, "INSERT INTO big VALUES (?2, ?1, 'note ' || ?2)", &r, i % 5 == 0 ? 9000 : 300, i);
    if (rc == LODE_OK)
      rc = exec_with_blob(db, "INSERT INTO kv VALUES ('key ' || ?2, ?2 * 7 % 50, ?1)", &r, i % 7 == 0 ? 1500 : 20, i);
  }
  if (rc == LODE_OK)
    rc = exec_rc(db, "DELETE FROM big WHERE k % 3 = 0; DROP TABLE gone; DELETE FROM small WHERE a > 50;"
                     "DELETE FROM kv WHERE v % 4 = 1; DELETE FROM docs WHERE id % 9 = 4;");
  if (rc != LODE_OK) printf("  build: %s\n", lode_errmsg(db));
  if (lode_close(db) != LODE_OK) rc = -1;
  GoodFile *g = &goods[flavor];
  if (rc == LODE_OK && read_file(path, &g->data, &g->size) != 0) rc = -1;
  if (rc == LODE_OK) {
    g->page_size = (uint32_t)((g->data[16] << 8) | g->data[17]);
    if (g->page_size == 1) g->page_size = 65536;
  }
  return rc;
}

static uint32_t get4(const uint8_t *p) { return util_get4(p); }

/* Page kinds in the good file, to aim corruption at interesting bytes. */
#define KIND_BTREE 1
#define KIND_OVERFLOW 2
#define KIND_FREE_TRUNK 3
#define KIND_FREE_LEAF 4

static int page_kind(const uint8_t *db, size_t size, uint32_t pgno) {
  size_t off = (size_t)(pgno - 1) * page_size + (pgno == 1 ? 100 : 0);
  if (off >= size) return 0;
  uint32_t trunk = get4(db + 32);
  for (int guard = 0; trunk && guard < 100; guard++) {
    if (trunk == pgno) return KIND_FREE_TRUNK;
    const uint8_t *t = db + (size_t)(trunk - 1) * page_size;
    if ((size_t)trunk * page_size > size) break;
    uint32_t n = get4(t + 4);
    for (uint32_t i = 0; i < n && i < page_size / 4 - 2; i++)
      if (get4(t + 8 + 4 * i) == pgno) return KIND_FREE_LEAF;
    trunk = get4(t);
  }
  switch (db[off]) {
  case 2: case 5: case 10: case 13: return KIND_BTREE;
  default: return KIND_OVERFLOW;
  }
}

/* A page of kind want (any b-tree page, or any other page), trying a few. */
static uint32_t pick_page(Rng *r, const uint8_t *db, size_t size, int btree) {
  uint32_t npages = (uint32_t)(size / page_size), pg = (uint32_t)rng_int(r, (int)npages) + 1;
  for (int tries = 0; tries < 50; tries++) {
    int kind = page_kind(db, size, pg);
    if (btree ? kind == KIND_BTREE : (kind != KIND_BTREE && kind != 0)) break;
    pg = (uint32_t)rng_int(r, (int)npages) + 1;
  }
  return pg;
}

/* A schema row whose root page a case moves (by SQL, once the file is
** written): name "" when none. */
typedef struct SchemaEdit {
  const char *name;
  uint32_t root;
} SchemaEdit;

static const char *const schema_objects[] = {"small", "big", "wide", "kv", "docs", "small_b",
                                             "big_note", "wide_cf", "kv_v", "docs_body"};

/* Damages db (a copy of the good file, size bytes) by one of the strategies
** below; returns the new size (a truncation changes it) and says what it did
** in desc.  A strategy that finds nothing to aim at damages the bytes at
** the start of a page instead. */
static size_t corrupt(Rng *r, uint8_t *db, size_t size, char *desc, size_t descn, SchemaEdit *edit) {
  uint32_t npages = (uint32_t)(size / page_size);
  int strategy = rng_int(r, 15);
  uint32_t pg = (uint32_t)rng_int(r, (int)npages) + 1;
  size_t base = (size_t)(pg - 1) * page_size;
  size_t hdr = base + (pg == 1 ? 100 : 0);
  size_t off = base;
  int nflips = rng_int(r, 3) + 1;
  snprintf(desc, descn, "strategy %d: page %u byte 0", strategy, pg);
  switch (strategy) {
  case 0: /* page 1 header field */
    off = (size_t)rng_int(r, 100);
    snprintf(desc, descn, "header byte %zu", off);
    break;
  case 1: /* b-tree page header */
    pg = pick_page(r, db, size, 1);
    base = (size_t)(pg - 1) * page_size;
    hdr = base + (pg == 1 ? 100 : 0);
    off = hdr + (size_t)rng_int(r, 12);
    snprintf(desc, descn, "page %u btree header byte %zu", pg, off - hdr);
    break;
  case 2: { /* cell pointer array */
    pg = pick_page(r, db, size, 1);
    base = (size_t)(pg - 1) * page_size;
    hdr = base + (pg == 1 ? 100 : 0);
    size_t ptrs = hdr + ((db[hdr] == 2 || db[hdr] == 5) ? 12 : 8);
    int ncell = (db[hdr + 3] << 8) | db[hdr + 4];
    off = ptrs + (size_t)rng_int(r, 2 * (ncell > 0 ? ncell : 1));
    snprintf(desc, descn, "page %u cell pointer byte %zu", pg, off - ptrs);
    break;
  }
  case 3: /* overflow / freelist page pointers: the first 8 bytes */
    pg = pick_page(r, db, size, 0);
    base = (size_t)(pg - 1) * page_size;
    off = base + (size_t)rng_int(r, 8);
    snprintf(desc, descn, "page %u (kind %d) pointer byte %zu", pg, page_kind(db, size, pg), off - base);
    break;
  case 4: /* anywhere on a page */
    off = base + (size_t)rng_int(r, (int)page_size);
    snprintf(desc, descn, "page %u byte %zu", pg, off - base);
    break;
  case 5: /* zero a whole page */
    memset(db + base, 0, page_size);
    snprintf(desc, descn, "zeroed page %u", pg);
    return size;
  case 6: { /* truncate */
    size_t cut = (size_t)rng_int(r, (int)size);
    if (rng_int(r, 2)) cut -= cut % page_size;
    snprintf(desc, descn, "truncated to %zu", cut);
    return cut;
  }
  case 7: { /* a page made to look like another page */
    uint32_t other = (uint32_t)rng_int(r, (int)npages) + 1;
    memcpy(db + base, db + (size_t)(other - 1) * page_size, page_size);
    if (pg == 1) memcpy(db, "SQLite format 3", 16);
    snprintf(desc, descn, "page %u copied from page %u", pg, other);
    return size;
  }
  case 8: { /* the start of a cell: its sizes, rowid, record header */
    pg = pick_page(r, db, size, 1);
    base = (size_t)(pg - 1) * page_size;
    hdr = base + (pg == 1 ? 100 : 0);
    size_t ptrs = hdr + ((db[hdr] == 2 || db[hdr] == 5) ? 12 : 8);
    int ncell = (db[hdr + 3] << 8) | db[hdr + 4], i = rng_int(r, ncell > 0 ? ncell : 1);
    uint32_t cell = (uint32_t)(db[ptrs + 2 * (size_t)i] << 8 | db[ptrs + 2 * (size_t)i + 1]);
    if (cell >= page_size) cell = page_size - 1;
    off = base + cell + (size_t)rng_int(r, 12);
    snprintf(desc, descn, "page %u cell %d byte %zu", pg, i, off - base - cell);
    break;
  }
  case 9: { /* a run of 32 bytes: random, zeros or 0xff */
    int how = rng_int(r, 3);
    off = (size_t)rng_int(r, (int)(size > 32 ? size - 32 : 1));
    for (size_t k = 0; k < 32 && off + k < size; k++)
      db[off + k] = how == 0 ? (uint8_t)rng_next(r) : how == 1 ? 0 : 0xff;
    snprintf(desc, descn, "32 %s bytes at %zu", how == 0 ? "random" : how == 1 ? "zero" : "0xff", off);
    return size;
  }
  case 11: { /* a child pointer of an interior page names another page of the file */
    for (int tries = 0; tries < 50; tries++) {
      pg = pick_page(r, db, size, 1);
      hdr = (size_t)(pg - 1) * page_size + (pg == 1 ? 100 : 0);
      if (db[hdr] == 2 || db[hdr] == 5) break;
    }
    if (db[hdr] != 2 && db[hdr] != 5) break;
    int ncell = (db[hdr + 3] << 8) | db[hdr + 4], i = rng_int(r, ncell + 1);
    size_t at = hdr + 8; /* the right child */
    if (i < ncell) {
      uint32_t cell = (uint32_t)(db[hdr + 12 + 2 * (size_t)i] << 8 | db[hdr + 12 + 2 * (size_t)i + 1]);
      if (cell + 4 > page_size) break;
      at = (size_t)(pg - 1) * page_size + cell;
    }
    uint32_t to = (uint32_t)rng_int(r, (int)npages) + 1;
    util_put4(db + at, to);
    snprintf(desc, descn, "page %u child %d -> page %u", pg, i, to);
    return size;
  }
  case 12: { /* the next-page link of an overflow or freelist page names a page of the file */
    pg = pick_page(r, db, size, 0);
    uint32_t to = (uint32_t)rng_int(r, (int)npages + 1);
    util_put4(db + (size_t)(pg - 1) * page_size, to);
    snprintf(desc, descn, "page %u (kind %d) link -> page %u", pg, page_kind(db, size, pg), to);
    return size;
  }
  case 13: { /* a freelist trunk lists a page in use (or one twice) */
    uint32_t trunk = get4(db + 32);
    if (trunk < 2 || trunk > npages) break;
    size_t t = (size_t)(trunk - 1) * page_size;
    uint32_t n = get4(db + t + 4);
    if (n == 0 || n > page_size / 4 - 2) break;
    uint32_t i = (uint32_t)rng_int(r, (int)n), to = (uint32_t)rng_int(r, (int)npages) + 1;
    util_put4(db + t + 8 + 4 * i, to);
    snprintf(desc, descn, "freelist leaf %u -> page %u", i, to);
    return size;
  }
  case 10: /* 1 to 10 bytes anywhere, each a bit flip or a new value */
    nflips = 1 + rng_int(r, 10);
    snprintf(desc, descn, "%d scattered bytes", nflips);
    for (int i = 0; i < nflips; i++) {
      size_t at = (size_t)rng_int(r, (int)size);
      db[at] = rng_int(r, 2) ? (uint8_t)(db[at] ^ (1u << rng_int(r, 8))) : (uint8_t)rng_next(r);
    }
    return size;
  case 14: /* a table's or index's root page is another page of the file */
    edit->name = schema_objects[rng_int(r, (int)(sizeof schema_objects / sizeof schema_objects[0]))];
    edit->root = (uint32_t)rng_int(r, (int)npages + 2) + 1;
    snprintf(desc, descn, "root of %s -> page %u", edit->name, edit->root);
    return size;
  default: /* many random bytes anywhere */
    nflips = 5 + rng_int(r, 30);
    snprintf(desc, descn, "%d random bytes", nflips);
    for (int i = 0; i < nflips; i++) db[rng_int(r, (int)size)] = (uint8_t)rng_next(r);
    return size;
  }
  if (off >= size) off = size - 1;
  for (int i = 0; i < nflips && off + (size_t)i < size; i++) {
    uint8_t v = rng_int(r, 3) == 0 ? (uint8_t)(1u << rng_int(r, 8)) ^ db[off + (size_t)i] : (uint8_t)rng_next(r);
    if (rng_int(r, 6) == 0) v = 0xff;
    db[off + (size_t)i] = v;
  }
  return size;
}

static int corrupt_rc_ok(int rc) {
  switch (rc & 0xff) {
  case LODE_OK: case LODE_ROW: case LODE_DONE: case LODE_CORRUPT: case LODE_NOTADB: case LODE_IOERR:
  case LODE_CANTOPEN: case LODE_ERROR: case LODE_CONSTRAINT: case LODE_FULL: case LODE_TOOBIG:
  case LODE_MISMATCH: case LODE_READONLY: return 1;
  default: return 0;
  }
}

/* The statements run on every damaged file, in this order: scans and
** lookups through each kind of tree, then writes (overflowing inserts,
** updates of every row, deletes), the checks, a rebuild and a drop. */
static const char *const corrupt_stmts[] = {
    "SELECT count(*) FROM sqlite_schema",
    "SELECT * FROM sqlite_schema",
    "SELECT * FROM small",
    "SELECT a FROM small WHERE b = 'row 7'",
    "SELECT k, length(payload), note FROM big",
    "SELECT * FROM big WHERE k = 10",
    "SELECT k FROM big WHERE note = 'note 11'",
    "SELECT max(k), sum(length(payload)) FROM big",
    "SELECT * FROM wide ORDER BY f",
    "SELECT count(*) FROM wide WHERE c > 'w3'",
    "SELECT k, v, length(w) FROM kv",
    "SELECT v FROM kv WHERE k = 'key 14'",
    "SELECT k FROM kv WHERE v BETWEEN 10 AND 20 ORDER BY v DESC",
    "SELECT id, length(body) FROM docs WHERE body >= (SELECT body FROM docs WHERE id = 30)",
    "SELECT count(*) FROM docs NOT INDEXED",
    "PRAGMA quick_check",
    "INSERT INTO small(b) VALUES ('new')",
    "INSERT INTO big VALUES (1000, zeroblob(12000), 'big new')",
    "INSERT INTO kv VALUES ('key new', 99, zeroblob(3000))",
    "INSERT INTO docs(body) VALUES (printf('%.3000c', 'n'))",
    "UPDATE wide SET c = c || 'x'",
    "UPDATE big SET note = note || '!'",
    "UPDATE kv SET v = v + 1",
    "UPDATE docs SET body = body || 'z' WHERE id % 2 = 0",
    "DELETE FROM big WHERE k % 2 = 0",
    "DELETE FROM kv WHERE v % 3 = 0",
    "DELETE FROM docs WHERE id > 40",
    "PRAGMA incremental_vacuum(4)",
    "CREATE TABLE fresh(x); INSERT INTO fresh VALUES (1)",
    "CREATE INDEX small_ab ON small(a, b)",
    "REINDEX",
    "PRAGMA integrity_check",
    "PRAGMA auto_vacuum = FULL; DELETE FROM small WHERE a % 2 = 0",
    "VACUUM",
    "SELECT count(*) FROM big",
    "DROP TABLE wide",
};

/* VM steps one statement may take on a damaged file, in units of
** STEP_CHECK: far more than any of them takes on the good file (the test
** checks that), so that only a statement that loops is stopped. */
#define STEP_CHECK 1000
#define STEP_BUDGET 20000

typedef struct StepBudget {
  long left;
  int over;
} StepBudget;

static int step_budget_cb(void *arg) {
  StepBudget *b = arg;
  if (--b->left > 0) return 0;
  b->over = 1;
  return 1;
}

/* Runs sql (several statements, or one with every row read); 1 when its
** outcome is a failure of the engine: a code no caller should meet, no
** message with an error, or the step budget spent (a hang). */
static int corrupt_run(lode *db, const char *sql, StepBudget *budget, const char *label) {
  const char *tail = sql;
  int rc = LODE_OK;
  budget->left = STEP_BUDGET;
  budget->over = 0;
  while (rc == LODE_OK && tail && *tail) {
    lode_stmt *st = NULL;
    rc = lode_prepare(db, tail, -1, &st, &tail);
    if (rc != LODE_OK || !st) break;
    int rows = 0;
    while ((rc = lode_step(st)) == LODE_ROW && rows++ < 100000) touch_row(st);
    lode_finalize(st);
    if (rc == LODE_DONE) rc = LODE_OK;
  }
  stats->cstmts++;
  if (rc == LODE_OK) stats->cok++;
  if ((rc & 0xff) == LODE_CORRUPT) stats->ccorrupt++;
  if (budget->over) {
    printf("  %s: \"%s\" ran past %d VM steps (a loop?)\n", label, sql, STEP_BUDGET * STEP_CHECK);
    return 1;
  }
  if (!corrupt_rc_ok(rc) || (rc != LODE_OK && !*lode_errmsg(db))) {
    printf("  %s: \"%s\" gave rc=%d (%s)\n", label, sql, rc, lode_errmsg(db));
    return 1;
  }
  return 0;
}

/* The file of corrupt case seed: a copy of a good file (the flavor by the
** seed), damaged once or (one case in three) twice; returns its size. */
static size_t corrupt_case(int seed, uint8_t *copy, char *desc, size_t descn, SchemaEdit *edit) {
  Rng r;
  rng_seed(&r, (uint64_t)seed * 7919u);
  use_good(seed % GOOD_FLAVORS);
  memcpy(copy, good_db, good_db_size);
  edit->name = NULL;
  size_t n = corrupt(&r, copy, good_db_size, desc, descn, edit);
  if (rng_int(&r, 3) == 0 && n > page_size) {
    size_t used = strlen(desc);
    snprintf(desc + used, descn - used, "; ");
    used = strlen(desc);
    n = corrupt(&r, copy, n, desc + used, descn - used, edit);
  }
  return n;
}

/* Moves the root page of edit's object, through writable_schema, in the
** file at path (a damaged file may refuse: the case then runs without). */
static void apply_schema_edit(const char *path, const SchemaEdit *edit) {
  char sql[200];
  lode *db = NULL;
  if (!edit->name) return;
  snprintf(sql, sizeof sql, "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET rootpage = %u WHERE name = '%s'",
           edit->root, edit->name);
  if (lode_open(path, &db) == LODE_OK) (void)lode_exec(db, sql, NULL);
  lode_close(db);
}

typedef struct CorruptRun {
  const int *seeds; /* NULL: first_seed, first_seed + 1, ... */
  int first_seed;
  int nseeds;
} CorruptRun;

/* Each case re-arms the child's alarm with this many seconds: far more than
** any case takes (a few milliseconds), so that one looping outside the VM
** (no step of the budget taken) is stopped and named by itself, not only by
** the batch's alarm.  A hang detector, not a measure of speed. */
#define CASE_ALARM_SECONDS 30

static int corrupt_child(void *arg) {
  CorruptRun *run = arg;
  const char *save_dir = getenv("LODE_ROBUST_CORRUPT_SAVE");
  char path[512];
  int bad = 0;
  path_in_tmp(path, sizeof path, "corrupt.db");
  size_t most = 0;
  for (int f = 0; f < GOOD_FLAVORS; f++)
    if (goods[f].size > most) most = goods[f].size;
  uint8_t *copy = malloc(most);
  for (int i = 0; i < run->nseeds; i++) {
    int s = run->seeds ? run->seeds[i] : run->first_seed + i;
    char desc[200], label[256];
    alarm(CASE_ALARM_SECONDS);
    SchemaEdit edit;
    size_t n = corrupt_case(s, copy, desc, sizeof desc, &edit);
    snprintf(label, sizeof label, "corrupt seed %d (%s)", s, desc);
    note("%s", label);
    remove_db(path);
    write_file(path, copy, n);
    apply_schema_edit(path, &edit);
    if (save_dir) { /* the damaged file, as the statements find it, kept for a look by hand */
      char keep[600];
      snprintf(keep, sizeof keep, "%s/corrupt-%d.db", save_dir, s);
      uint8_t *bytes = NULL;
      size_t len = 0;
      if (read_file(path, &bytes, &len) == 0) write_file(keep, bytes, len);
      free(bytes);
    }
    lode *db = NULL;
    int rc = lode_open(path, &db);
    stats->cases++;
    if (rc != LODE_OK) {
      if (!corrupt_rc_ok(rc)) {
        printf("  %s: open rc=%d\n", label, rc);
        bad++;
      }
      lode_close(db);
      continue;
    }
    stats->opened++;
    StepBudget budget;
    lode_progress_handler(db, STEP_CHECK, step_budget_cb, &budget);
    for (size_t q = 0; q < sizeof corrupt_stmts / sizeof corrupt_stmts[0]; q++) {
      note("%s: %s", label, corrupt_stmts[q]);
      bad += corrupt_run(db, corrupt_stmts[q], &budget, label);
    }
    note("%s: close", label);
    rc = lode_close(db);
    if (!corrupt_rc_ok(rc)) {
      printf("  %s: close rc=%d\n", label, rc);
      bad++;
    }
  }
  free(copy);
  return bad;
}

/* The statements on the good file itself all succeed within a small part of
** the step budget: the budget stops loops, not work. */
static void good_file_statements(int flavor) {
  char path[512];
  use_good(flavor);
  CHECK(good_db != NULL);
  if (!good_db) return;
  path_in_tmp(path, sizeof path, "undamaged.db");
  remove_db(path);
  write_file(path, good_db, good_db_size);
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  StepBudget budget;
  long most = 0;
  lode_progress_handler(db, STEP_CHECK, step_budget_cb, &budget);
  for (size_t q = 0; q < sizeof corrupt_stmts / sizeof corrupt_stmts[0]; q++) {
    budget.left = STEP_BUDGET;
    budget.over = 0;
    int rc = lode_exec(db, corrupt_stmts[q], NULL);
    if (rc != LODE_OK) TEST_FAIL_("\"%s\": rc=%d %s", corrupt_stmts[q], rc, lode_errmsg(db));
    if (STEP_BUDGET - budget.left > most) most = STEP_BUDGET - budget.left;
  }
  CHECK(most * 20 < STEP_BUDGET);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

TEST(corrupt_statements_succeed_on_the_good_files) {
  for (int f = 0; f < GOOD_FLAVORS; f++) good_file_statements(f);
  use_good(0);
}

/* Cases that once crashed, hung or failed with a wrong code, ended by -1;
** each runs on every test run, whatever LODE_ROBUST_CORRUPT_SEEDS asks. */
static const int corrupt_regress_seeds[] = {
    123791, /* header page count far past the file: FULL auto-vacuum's commit walked every page it named */
    -1};

TEST(corrupt_files_give_errors_not_crashes) {
  int failed = 0;
  for (int f = 0; f < GOOD_FLAVORS; f++) {
    use_good(f);
    CHECK(good_db != NULL);
    if (!good_db) return;
    CHECK(good_db_size / page_size >= 10);
    CHECK(get4(good_db + 32) != 0); /* the freelist is in use */
  }
  CHECK(get4(goods[1].data + 52) != 0); /* pointer maps */
  use_good(0);
  /* Longer runs by hand: LODE_ROBUST_CORRUPT_SEEDS=n cases from
  ** LODE_ROBUST_CORRUPT_FIRST (default 0). */
  const char *many = getenv("LODE_ROBUST_CORRUPT_SEEDS"), *from = getenv("LODE_ROBUST_CORRUPT_FIRST");
  int nseeds = many ? atoi(many) : CORRUPT_SEEDS, first = from ? atoi(from) : 0;
  CorruptRun regress = {corrupt_regress_seeds, 0, 0};
  while (corrupt_regress_seeds[regress.nseeds] >= 0) regress.nseeds++;
  if (regress.nseeds > 0 && run_child(corrupt_child, &regress, "corrupt regression seeds") != 0) failed++;
  for (int s = first; s < first + nseeds; s += CORRUPT_BATCH) {
    CorruptRun run = {NULL, s, CORRUPT_BATCH};
    char label[64];
    snprintf(label, sizeof label, "corrupt seeds %d..%d", s, s + CORRUPT_BATCH - 1);
    if (run_child(corrupt_child, &run, label) != 0) failed++;
  }
  printf("  corrupt files: %ld cases, %ld opened; %ld statements, %ld succeeded, %ld reported corruption\n",
         stats->cases, stats->opened, stats->cstmts, stats->cok, stats->ccorrupt);
  CHECK_EQ_INT(failed, 0);
}

/* A header page count (offset 28) far beyond the file: PRAGMA
** integrity_check must report and stop (SQLite: 100 messages in 0.5 s), not
** walk two billion pages. */
static int huge_page_count_child(void *arg) {
  const char *path = arg;
  lode *db = NULL;
  int bad = 0;
  note("PRAGMA integrity_check with header page count 0x7fffff00");
  if (lode_open(path, &db) != LODE_OK) return 0; /* refusing the file is fine too */
  lode_stmt *st = NULL;
  int rc = lode_prepare(db, "PRAGMA integrity_check", -1, &st, NULL);
  if (rc == LODE_OK && st) {
    int rows = 0;
    while ((rc = lode_step(st)) == LODE_ROW) rows++;
    lode_finalize(st);
  }
  if (!corrupt_rc_ok(rc)) bad++;
  lode_close(db);
  return bad;
}

TEST(integrity_check_with_huge_page_count_is_bounded) {
  char path[512];
  uint8_t *copy;
  CHECK(good_db != NULL);
  if (!good_db) return;
  path_in_tmp(path, sizeof path, "hugecount.db");
  remove_db(path);
  copy = malloc(good_db_size);
  memcpy(copy, good_db, good_db_size);
  util_put4(copy + 28, 0x7fffff00u);
  write_file(path, copy, good_db_size);
  free(copy);
  child_alarm = 15;
  CHECK_EQ_INT(run_child(huge_page_count_child, path, "huge page count"), 0);
  child_alarm = CHILD_ALARM_SECONDS;
}

TEST(good_db_is_valid_for_sqlite) {
  static const char *const names[GOOD_FLAVORS] = {"good.db", "good_av.db"};
  CHECK(good_db != NULL);
  if (access("/usr/bin/sqlite3", X_OK) != 0) return;
  for (int f = 0; f < GOOD_FLAVORS; f++) {
    char path[512], cmd[700], line[256] = "";
    path_in_tmp(path, sizeof path, names[f]);
    snprintf(cmd, sizeof cmd, "/usr/bin/sqlite3 '%s' 'PRAGMA integrity_check' 2>&1", path);
    FILE *p = popen(cmd, "r");
    CHECK(p != NULL);
    if (!p) return;
    if (!fgets(line, sizeof line, p)) line[0] = 0;
    pclose(p);
    CHECK_EQ_STR(line, "ok\n");
  }
}

/* ---- (c) API misuse -------------------------------------------------------- */

TEST(null_handles_are_harmless) {
  lode_stmt *st = (lode_stmt *)1;
  CHECK_EQ_INT(lode_close(NULL), LODE_OK);
  CHECK_EQ_INT(lode_finalize(NULL), LODE_OK);
  CHECK_EQ_INT(lode_reset(NULL), LODE_OK);
  CHECK_EQ_INT(lode_step(NULL), LODE_MISUSE);
  CHECK_EQ_INT(lode_prepare(NULL, "SELECT 1", -1, &st, NULL), LODE_MISUSE);
  CHECK(st == NULL);
  CHECK_EQ_INT(lode_exec(NULL, "SELECT 1", NULL), LODE_MISUSE);
  CHECK_EQ_INT(lode_errcode(NULL), LODE_NOMEM);
  CHECK(lode_errmsg(NULL) != NULL && *lode_errmsg(NULL));
  CHECK_EQ_INT(lode_bind_int(NULL, 1, 1), LODE_MISUSE);
  CHECK_EQ_INT(lode_bind_text(NULL, 1, "x", -1, LODE_STATIC), LODE_MISUSE);
  CHECK(rc_known(lode_clear_bindings(NULL)));
  CHECK_EQ_INT(lode_column_count(NULL), 0);
  CHECK_EQ_INT(lode_data_count(NULL), 0);
  CHECK_EQ_INT(lode_column_type(NULL, 0), LODE_NULL);
  CHECK(lode_column_text(NULL, 0) == NULL);
  CHECK(lode_column_blob(NULL, 0) == NULL);
  CHECK_EQ_INT(lode_column_bytes(NULL, 0), 0);
  CHECK_EQ_INT(lode_column_int64(NULL, 0), 0);
  CHECK(lode_column_name(NULL, 0) == NULL);
  CHECK(lode_sql(NULL) == NULL);
  CHECK_EQ_INT(lode_bind_parameter_count(NULL), 0);
  CHECK_EQ_INT(lode_open(":memory:", NULL), LODE_MISUSE);
  CHECK_EQ_INT(lode_complete(NULL), 0);
  CHECK(lode_errstr(-5) != NULL);
  CHECK(lode_errstr(12345) != NULL);
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_INT(lode_prepare(db, NULL, -1, &st, NULL), LODE_MISUSE);
  CHECK_EQ_INT(lode_prepare(db, "SELECT 1", -1, NULL, NULL), LODE_MISUSE);
  CHECK_EQ_INT(lode_exec(db, NULL, NULL), LODE_OK); /* sqlite3_exec(db, NULL) is a no-op */
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

/* Opening things that are no database: clear codes, usable handles. */
static int open_rc(const char *path, int flags) {
  lode *db = NULL;
  int rc = lode_open_v2(path, &db, flags, NULL);
  if (rc == LODE_OK) {
    lode_stmt *st = NULL;
    rc = lode_prepare(db, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL);
    if (rc == LODE_OK) rc = lode_step(st) == LODE_ROW ? LODE_OK : lode_errcode(db);
    lode_finalize(st);
  } else {
    CHECK(db == NULL || *lode_errmsg(db) != 0);
  }
  lode_close(db);
  return rc;
}

TEST(opening_non_databases) {
  char path[512];
  const int rw = LODE_OPEN_READWRITE | LODE_OPEN_CREATE;
  CHECK_EQ_INT(open_rc(tmpdir, rw) & 0xff, LODE_CANTOPEN);
  path_in_tmp(path, sizeof path, "no/such/dir/x.db");
  CHECK_EQ_INT(open_rc(path, rw) & 0xff, LODE_CANTOPEN);
  path_in_tmp(path, sizeof path, "absent.db");
  remove_db(path);
  CHECK_EQ_INT(open_rc(path, LODE_OPEN_READONLY) & 0xff, LODE_CANTOPEN);
  CHECK_EQ_INT(open_rc(path, LODE_OPEN_READWRITE) & 0xff, LODE_CANTOPEN);
  path_in_tmp(path, sizeof path, "text.db");
  remove_db(path);
  static const char text[] = "this is a text file, not a database; it is long enough to hold a header "
                             "and then some more bytes to be sure it is longer than one hundred bytes.";
  write_file(path, (const uint8_t *)text, sizeof text);
  CHECK_EQ_INT(open_rc(path, rw) & 0xff, LODE_NOTADB);
  write_file(path, (const uint8_t *)"SQLite format 3", 16); /* shorter than a header */
  CHECK_EQ_INT(open_rc(path, rw) & 0xff, LODE_NOTADB);
  remove_db(path);
}

TEST(bind_and_column_indexes_out_of_range) {
  lode *db = NULL;
  lode_stmt *st = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_INT(lode_prepare(db, "SELECT ?1, :b", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_bind_parameter_count(st), 2);
  CHECK_EQ_INT(lode_bind_int(st, 0, 1), LODE_RANGE);
  CHECK_EQ_INT(lode_bind_int(st, -1, 1), LODE_RANGE);
  CHECK_EQ_INT(lode_bind_int(st, 3, 1), LODE_RANGE);
  CHECK_EQ_INT(lode_bind_text(st, 3, "x", -1, LODE_TRANSIENT), LODE_RANGE);
  CHECK_EQ_INT(lode_bind_blob(st, 99, "x", 1, LODE_STATIC), LODE_RANGE);
  CHECK_EQ_INT(lode_bind_zeroblob(st, 0, 5), LODE_RANGE);
  CHECK_EQ_INT(lode_errcode(db), LODE_RANGE);
  CHECK(*lode_errmsg(db) != 0);
  CHECK(lode_bind_parameter_name(st, 0) == NULL);
  CHECK(lode_bind_parameter_name(st, 3) == NULL);
  CHECK_EQ_INT(lode_bind_parameter_index(st, ":nosuch"), 0);
  CHECK_EQ_INT(lode_bind_int(st, 1, 7), LODE_OK);
  CHECK_EQ_INT(lode_bind_text(st, 2, "abc", 2, LODE_TRANSIENT), LODE_OK);
  /* before the first step every accessor is safe and empty */
  CHECK_EQ_INT(lode_column_type(st, 0), LODE_NULL);
  CHECK(lode_column_text(st, 0) == NULL);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_INT(lode_bind_int(st, 1, 8), LODE_MISUSE); /* bind while running */
  CHECK_EQ_INT(lode_column_int(st, 0), 7);
  CHECK_EQ_STR((const char *)lode_column_text(st, 1), "ab");
  CHECK_EQ_INT(lode_column_type(st, 2), LODE_NULL);
  CHECK_EQ_INT(lode_column_type(st, -1), LODE_NULL);
  CHECK(lode_column_text(st, 2) == NULL);
  CHECK(lode_column_text(st, -1) == NULL);
  CHECK(lode_column_blob(st, 1000000) == NULL);
  CHECK_EQ_INT(lode_column_bytes(st, 2), 0);
  CHECK_EQ_INT(lode_column_int64(st, -7), 0);
  CHECK(lode_column_double(st, 5) == 0.0);
  CHECK(lode_column_name(st, 2) == NULL);
  CHECK(lode_column_name(st, -1) == NULL);
  CHECK(lode_column_decltype(st, 9) == NULL);
  CHECK_EQ_INT(lode_step(st), LODE_DONE);
  CHECK_EQ_INT(lode_column_type(st, 0), LODE_NULL); /* after DONE: no row */
  CHECK_EQ_INT(lode_step(st), LODE_ROW);            /* auto-reset after DONE, like sqlite3 */
  CHECK_EQ_INT(lode_column_int(st, 0), 7);
  CHECK_EQ_INT(lode_finalize(st), LODE_OK);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

/* Huge printf widths and precisions are bounded like SQLite's (precision
** of floating conversions capped at 10^8) and do not take ages. */
TEST(printf_huge_precision_is_bounded) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT length(printf('%.999999999f', 1))"), 100000002);
  CHECK_EQ_INT(query_int(db, "SELECT length(printf('%.999999999e', 1))"), 100000006);
  CHECK_EQ_INT(query_int(db, "SELECT length(printf('%.999999999g', 1))"), 1);
  CHECK_EQ_INT(query_int(db, "SELECT length(printf('%99999999d', 1))"), 99999999);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

/* Found by the random SQL on a file database: a STRICT table with a
** non-strict type was accepted, and SQLite then called the whole schema
** malformed.  Messages as sqlite3 3.40 prints them. */
TEST(strict_table_types_checked_like_sqlite) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_INT(exec_rc(db, "CREATE TABLE s1(a VARCHAR(10)) STRICT"), LODE_ERROR);
  CHECK_EQ_STR(lode_errmsg(db), "unknown datatype for s1.a: \"VARCHAR(10)\"");
  CHECK_EQ_INT(exec_rc(db, "CREATE TABLE s2(a int, b) STRICT"), LODE_ERROR);
  CHECK_EQ_STR(lode_errmsg(db), "missing datatype for s2.b");
  CHECK_EQ_INT(exec_rc(db, "CREATE TABLE s3(a int, b any, c Text, d blob, e real, f INTEGER PRIMARY KEY) STRICT"),
               LODE_OK);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

TEST(reset_and_clear_twice_are_legal) {
  lode *db = NULL;
  lode_stmt *st = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_INT(exec_rc(db, "CREATE TABLE t(a); INSERT INTO t VALUES (1), (2)"), LODE_OK);
  CHECK_EQ_INT(lode_prepare(db, "SELECT a FROM t WHERE a >= ?", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_reset(st), LODE_OK);
  CHECK_EQ_INT(lode_reset(st), LODE_OK);
  CHECK_EQ_INT(lode_clear_bindings(st), LODE_OK);
  CHECK_EQ_INT(lode_clear_bindings(st), LODE_OK);
  CHECK_EQ_INT(lode_bind_int(st, 1, 2), LODE_OK);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_INT(lode_column_int(st, 0), 2);
  CHECK_EQ_INT(lode_reset(st), LODE_OK);
  CHECK_EQ_INT(lode_reset(st), LODE_OK);
  CHECK_EQ_INT(lode_step(st), LODE_ROW); /* bindings survive reset */
  CHECK_EQ_INT(lode_column_int(st, 0), 2);
  CHECK_EQ_INT(lode_finalize(st), LODE_OK);
  /* a failing statement reports its error again at reset (v2 semantics) */
  CHECK_EQ_INT(lode_prepare(db, "INSERT INTO t VALUES (abs(-9223372036854775807 - 1))", -1, &st, NULL), LODE_OK);
  int rc = lode_step(st);
  CHECK(rc != LODE_DONE && rc != LODE_ROW);
  CHECK(rc_known(rc));
  CHECK(*lode_errmsg(db) != 0);
  (void)lode_reset(st);
  CHECK_EQ_INT(lode_reset(st), LODE_OK);
  CHECK_EQ_INT(lode_finalize(st), LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), 2);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

TEST(prepare_with_byte_limits) {
  lode *db = NULL;
  lode_stmt *st = NULL;
  const char *tail = NULL;
  const char *sql = "SELECT 12345, 'abc'; SELECT 2";
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  /* nbyte 0: nothing to compile */
  CHECK_EQ_INT(lode_prepare(db, sql, 0, &st, &tail), LODE_OK);
  CHECK(st == NULL);
  /* "SELECT 12" */
  CHECK_EQ_INT(lode_prepare(db, sql, 9, &st, &tail), LODE_OK);
  CHECK(st != NULL);
  CHECK(tail == sql + 9);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_INT(lode_column_int(st, 0), 12);
  CHECK_EQ_INT(lode_column_count(st), 1);
  lode_finalize(st);
  /* every cut of the statement: compiles or fails cleanly, tail in range */
  for (int n = 0; n <= (int)strlen(sql); n++) {
    st = NULL;
    tail = NULL;
    int rc = lode_prepare(db, sql, n, &st, &tail);
    if (rc == LODE_OK) {
      CHECK(tail >= sql && tail <= sql + n);
      if (st) {
        while ((rc = lode_step(st)) == LODE_ROW) touch_row(st);
        CHECK_EQ_INT(rc, LODE_DONE);
        lode_finalize(st);
      }
    } else {
      CHECK(st == NULL);
      CHECK(rc_known(rc));
      CHECK(*lode_errmsg(db) != 0);
    }
  }
  /* a cut inside a string literal is an error, not a read past the limit */
  char buf[32];
  memcpy(buf, "SELECT 'abcdef'", 16);
  CHECK(lode_prepare(db, buf, 12, &st, &tail) != LODE_OK);
  CHECK(st == NULL);
  /* comments and spaces only */
  CHECK_EQ_INT(lode_prepare(db, "  -- nothing\n /* here */ ", -1, &st, &tail), LODE_OK);
  CHECK(st == NULL);
  CHECK_EQ_INT(lode_prepare(db, "/* unterminated", -1, &st, &tail), LODE_OK);
  CHECK(st == NULL);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

TEST(close_with_live_statement_is_busy) {
  lode *db = NULL;
  lode_stmt *st = NULL, *st2 = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_INT(exec_rc(db, "CREATE TABLE t(a); INSERT INTO t VALUES (1), (2)"), LODE_OK);
  CHECK_EQ_INT(lode_prepare(db, "SELECT a FROM t", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_prepare(db, "SELECT 1", -1, &st2, NULL), LODE_OK);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_INT(lode_close(db), LODE_BUSY);
  CHECK_EQ_INT(lode_errcode(db), LODE_BUSY);
  CHECK(*lode_errmsg(db) != 0);
  /* the connection still works */
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_INT(lode_column_int(st, 0), 2);
  CHECK_EQ_INT(lode_finalize(st), LODE_OK);
  CHECK_EQ_INT(lode_close(db), LODE_BUSY);
  CHECK_EQ_INT(lode_finalize(st2), LODE_OK);
  CHECK(lode_next_stmt(db, NULL) == NULL);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

/* A SELECT walks t while the same connection inserts into and deletes from
** t: each original row not deleted before its turn is seen exactly once,
** rows deleted before their turn are not seen. */
TEST(select_while_writing_same_table) {
  enum { N = 300 };
  lode *db = NULL;
  lode_stmt *sel = NULL, *ins = NULL, *del = NULL;
  static int seen[4 * N + 10];
  static int deleted[4 * N + 10];
  static int inserted[4 * N + 10];
  memset(seen, 0, sizeof seen);
  memset(inserted, 0, sizeof inserted);
  memset(deleted, 0, sizeof deleted);
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_INT(exec_rc(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)"), LODE_OK);
  CHECK_EQ_INT(lode_prepare(db, "INSERT INTO t VALUES (?, zeroblob(?))", -1, &ins, NULL), LODE_OK);
  for (int i = 1; i <= N; i++) {
    lode_bind_int(ins, 1, i * 2);
    lode_bind_int(ins, 2, i % 7 == 0 ? 6000 : 50);
    CHECK_EQ_INT(lode_step(ins), LODE_DONE);
    lode_reset(ins);
  }
  CHECK_EQ_INT(lode_prepare(db, "SELECT id, length(v) FROM t", -1, &sel, NULL), LODE_OK);
  CHECK_EQ_INT(lode_prepare(db, "DELETE FROM t WHERE id = ?", -1, &del, NULL), LODE_OK);
  int rc, steps = 0, bad_len = 0;
  Rng r;
  rng_seed(&r, 42);
  while ((rc = lode_step(sel)) == LODE_ROW && steps++ < 10 * N) {
    int id = lode_column_int(sel, 0);
    if (id < 0 || id > 4 * N) {
      CHECK(0);
      break;
    }
    if (lode_column_int(sel, 1) != ((id / 2) % 7 == 0 && id % 2 == 0 && id <= 2 * N ? 6000 : 50)) bad_len++;
    if (deleted[id]) TEST_FAIL_("row %d seen after its delete", id);
    seen[id]++;
    /* insert odd ids both ahead and behind the cursor */
    int nid = 2 * (rng_int(&r, N) + 1) - 1;
    if (!inserted[nid]) {
      inserted[nid] = 1;
      lode_bind_int(ins, 1, nid);
      lode_bind_int(ins, 2, 50);
      rc = lode_step(ins);
      lode_reset(ins);
      if (rc != LODE_DONE && rc != LODE_CONSTRAINT) TEST_FAIL_("insert %d rc=%d %s", nid, rc, lode_errmsg(db));
    }
    /* delete an even row ahead of the cursor, sometimes the very next one */
    int did = rng_int(&r, 3) == 0 ? id + 2 : 2 * (rng_int(&r, N) + 1);
    if (did % 2 == 0 && did > id && did <= 2 * N && !deleted[did]) {
      lode_bind_int(del, 1, did);
      rc = lode_step(del);
      lode_reset(del);
      if (rc != LODE_DONE) TEST_FAIL_("delete %d rc=%d %s", did, rc, lode_errmsg(db));
      deleted[did] = 1;
    }
  }
  CHECK_EQ_INT(rc, LODE_DONE);
  CHECK_EQ_INT(bad_len, 0);
  int missing = 0, dup = 0;
  for (int id = 2; id <= 2 * N; id += 2) {
    if (!deleted[id] && seen[id] != 1) missing++;
    if (seen[id] > 1) dup++;
  }
  for (int id = 1; id <= 2 * N; id += 2)
    if (seen[id] > 1) dup++;
  CHECK_EQ_INT(missing, 0);
  CHECK_EQ_INT(dup, 0);
  lode_finalize(sel);
  lode_finalize(ins);
  lode_finalize(del);
  char msg[256];
  CHECK_EQ_INT(check_btrees(db, msg, sizeof msg), 0);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

/* DROP TABLE while a statement of the same connection still reads the
** table: SQLite refuses with SQLITE_LOCKED ("database table is locked") and
** the reader goes on to its remaining rows.  Dropping would free pages the
** reader's cursor stands on. */
TEST(drop_table_under_active_reader_is_locked) {
  lode *db = NULL;
  lode_stmt *st = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_INT(exec_rc(db, "CREATE TABLE t(a, b); INSERT INTO t VALUES (1, zeroblob(5000)), (2, 'x'), (3, 'y')"),
               LODE_OK);
  CHECK_EQ_INT(lode_prepare(db, "SELECT a FROM t", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_INT(lode_column_int(st, 0), 1);
  CHECK_EQ_INT(exec_rc(db, "DROP TABLE t"), LODE_LOCKED);
  exec_rc(db, "CREATE TABLE u(x); INSERT INTO u VALUES (zeroblob(9000))"); /* would reuse freed pages */
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_INT(lode_column_int(st, 0), 2);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_INT(lode_column_int(st, 0), 3);
  CHECK_EQ_INT(lode_step(st), LODE_DONE);
  lode_finalize(st);
  char msg[256];
  CHECK_EQ_INT(check_btrees(db, msg, sizeof msg), 0);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

/* UPDATE of the rows a SELECT is walking: each row seen once. */
TEST(update_while_selecting_same_table) {
  lode *db = NULL;
  lode_stmt *sel = NULL, *upd = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_INT(exec_rc(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v)"), LODE_OK);
  for (int i = 0; i < 200; i++) {
    char sql[96];
    snprintf(sql, sizeof sql, "INSERT INTO t VALUES (%d, 'v%d')", i, i);
    exec_rc(db, sql);
  }
  CHECK_EQ_INT(lode_prepare(db, "SELECT id FROM t", -1, &sel, NULL), LODE_OK);
  CHECK_EQ_INT(lode_prepare(db, "UPDATE t SET v = zeroblob(?) WHERE id = ?", -1, &upd, NULL), LODE_OK);
  int rc, n = 0, expect = 0;
  while ((rc = lode_step(sel)) == LODE_ROW && n < 1000) {
    int id = lode_column_int(sel, 0);
    if (id != expect) TEST_FAIL_("saw %d, expected %d", id, expect);
    expect = id + 1;
    n++;
    lode_bind_int(upd, 1, id % 5 == 0 ? 5000 : 10); /* grows cells: splits under the cursor */
    lode_bind_int(upd, 2, id + 1);
    CHECK_EQ_INT(lode_step(upd), LODE_DONE);
    lode_reset(upd);
  }
  CHECK_EQ_INT(rc, LODE_DONE);
  CHECK_EQ_INT(n, 200);
  lode_finalize(sel);
  lode_finalize(upd);
  char msg[256];
  CHECK_EQ_INT(check_btrees(db, msg, sizeof msg), 0);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

/* ---- allocation failures ---------------------------------------------------- */

typedef struct OomResult {
  int bad;       /* a call returned something other than success or NOMEM */
  int saw_nomem; /* some call failed with NOMEM */
  int expected;  /* rows acknowledged as committed */
  int maybe;     /* rows of a commit whose outcome was an error */
} OomResult;

static int nomem_ok(int rc, int ok1, int ok2) {
  return rc == ok1 || rc == ok2 || rc == LODE_NOMEM || rc == LODE_IOERR_NOMEM;
}

static void oom_note(OomResult *res, const char *what, int rc, lode *db, int ok1, int ok2) {
  if (rc == LODE_NOMEM || rc == LODE_IOERR_NOMEM) res->saw_nomem = 1;
  if (!nomem_ok(rc, ok1, ok2)) {
    if (res->bad++ < 3) printf("  oom: %s rc=%d (%s)\n", what, rc, db ? lode_errmsg(db) : "");
  }
}

/* The workload: returns the open connection (NULL if open failed). */
static lode *oom_workload(const char *path, OomResult *res) {
  lode *db = NULL;
  lode_stmt *st = NULL;
  int rc = lode_open(path, &db);
  oom_note(res, "open", rc, db, LODE_OK, LODE_OK);
  if (rc != LODE_OK) {
    lode_close(db);
    return NULL;
  }
  rc = exec_rc(db, "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, name TEXT, data BLOB)");
  oom_note(res, "create", rc, db, LODE_OK, LODE_OK);
  if (rc != LODE_OK) return db; /* later statements would only say "no such table" */
  rc = lode_prepare(db, "INSERT INTO t(name, data) VALUES (?1, zeroblob(?2))", -1, &st, NULL);
  oom_note(res, "prepare insert", rc, db, LODE_OK, LODE_OK);
  for (int i = 0; st && i < 4; i++) {
    rc = lode_bind_text(st, 1, "some name text", -1, LODE_TRANSIENT);
    oom_note(res, "bind", rc, db, LODE_OK, LODE_OK);
    lode_bind_int(st, 2, i == 2 ? 7000 : 20);
    rc = lode_step(st);
    oom_note(res, "insert", rc, db, LODE_DONE, LODE_DONE);
    if (rc == LODE_DONE) res->expected++;
    lode_reset(st);
  }
  lode_finalize(st);
  st = NULL;
  rc = exec_rc(db, "BEGIN");
  oom_note(res, "begin", rc, db, LODE_OK, LODE_OK);
  if (rc == LODE_OK) {
    rc = exec_rc(db, "INSERT INTO t(name) VALUES ('in txn'), ('in txn 2')");
    oom_note(res, "insert in txn", rc, db, LODE_OK, LODE_OK);
    int pending = rc == LODE_OK ? 2 : 0;
    int insert_nomem = rc == LODE_NOMEM;
    rc = exec_rc(db, "COMMIT");
    /* SQLite lets an out-of-memory error roll the transaction back: COMMIT
    ** may then find none (lang_transaction.html, "Response To Errors") */
    if (insert_nomem && rc == LODE_ERROR && lode_get_autocommit(db)) rc = LODE_OK;
    oom_note(res, "commit", rc, db, LODE_OK, LODE_OK);
    if (rc == LODE_OK) res->expected += pending;
    else {
      res->maybe += pending;
      exec_rc(db, "ROLLBACK");
    }
  }
  rc = lode_prepare(db, "SELECT id, upper(name), length(data) FROM t ORDER BY name", -1, &st, NULL);
  oom_note(res, "prepare select", rc, db, LODE_OK, LODE_OK);
  while (st && (rc = lode_step(st)) == LODE_ROW) {
    const unsigned char *z = lode_column_text(st, 1);
    (void)z;
  }
  if (st) oom_note(res, "select", rc, db, LODE_DONE, LODE_DONE);
  lode_finalize(st);
  rc = exec_rc(db, "UPDATE t SET name = name || '!' WHERE id % 2 = 0");
  oom_note(res, "update", rc, db, LODE_OK, LODE_OK);
  return db;
}

/* After failures stop: the connection (or a fresh one) works and the file
** is sound.  Returns problems found. */
static int oom_verify(const char *path, lode *db, OomResult *res, int use_cli) {
  char msg[256];
  int bad = 0;
  if (db) {
    lode_stmt *st;
    while ((st = lode_next_stmt(db, NULL)) != NULL) lode_finalize(st);
    if (!lode_get_autocommit(db)) exec_rc(db, "ROLLBACK");
    int64_t n = query_int(db, "SELECT count(*) FROM t");
    if (n >= 0 && (n < res->expected || n > res->expected + res->maybe)) {
      printf("  oom verify: %lld rows, expected %d (+%d maybe)\n", (long long)n, res->expected, res->maybe);
      bad++;
    }
    if (exec_rc(db, "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, name TEXT, data BLOB);"
                    "INSERT INTO t(name) VALUES ('after')") != LODE_OK) {
      printf("  oom verify: insert after failures: %s\n", lode_errmsg(db));
      bad++;
    }
    int nerr = check_btrees(db, msg, sizeof msg);
    if (nerr != 0) {
      printf("  oom verify: integrity: %d %s\n", nerr, msg);
      bad++;
    }
    if (lode_close(db) != LODE_OK) {
      printf("  oom verify: close failed\n");
      bad++;
    }
  }
  lode *db2 = NULL;
  if (lode_open(path, &db2) != LODE_OK) {
    printf("  oom verify: reopen failed\n");
    bad++;
  } else {
    int nerr = check_btrees(db2, msg, sizeof msg);
    if (nerr != 0) {
      printf("  oom verify: reopen integrity: %d %s\n", nerr, msg);
      bad++;
    }
  }
  lode_close(db2);
  if (use_cli && access("/usr/bin/sqlite3", X_OK) == 0) {
    char cmd[700], line[256] = "";
    snprintf(cmd, sizeof cmd, "/usr/bin/sqlite3 '%s' 'PRAGMA integrity_check' 2>&1", path);
    FILE *p = popen(cmd, "r");
    if (p) {
      if (!fgets(line, sizeof line, p)) line[0] = 0;
      pclose(p);
      if (strcmp(line, "ok\n") != 0) {
        printf("  oom verify: sqlite3 says %s", line);
        bad++;
      }
    }
  }
  return bad;
}

typedef struct OomRun {
  int repeat;
  int memory;
} OomRun;

static int oom_child(void *arg) {
  OomRun *run = arg;
  char path[512];
  int bad = 0;
  if (run->memory) snprintf(path, sizeof path, ":memory:");
  else path_in_tmp(path, sizeof path, "oom.db");
  const char *at = getenv("LODE_ROBUST_OOM_AT"); /* start there (debugging one failure) */
  for (int n = at ? atoi(at) : 1; n < 100000; n++) {
    OomResult res = {0, 0, 0, 0};
    if (!run->memory) remove_db(path);
    note("oom %s repeat=%d fail at allocation %d", run->memory ? "memory" : "file", run->repeat, n);
    util_fail_alloc_after(n, run->repeat);
    lode *db = oom_workload(path, &res);
    util_fail_alloc_after(0, 0);
    if (res.bad) {
      printf("  ^ at allocation %d (repeat=%d, %s)\n", n, run->repeat, run->memory ? "memory" : "file");
      bad++;
    }
    if (run->memory) {
      if (db) {
        char msg[256];
        lode_stmt *st;
        while ((st = lode_next_stmt(db, NULL)) != NULL) lode_finalize(st);
        if (!lode_get_autocommit(db)) exec_rc(db, "ROLLBACK");
        if (exec_rc(db, "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, name TEXT, data BLOB);"
                        "INSERT INTO t(name) VALUES ('after')") != LODE_OK ||
            check_btrees(db, msg, sizeof msg) != 0) {
          printf("  oom memory at %d: db unusable afterwards: %s %s\n", n, lode_errmsg(db), msg);
          bad++;
        }
        lode_close(db);
      }
    } else {
      bad += oom_verify(path, db, &res, n % 16 == 0);
    }
    if (!res.saw_nomem) break; /* the workload ran to the end: every allocation was tried */
    if (bad > 5) break;
  }
  return bad;
}

TEST(allocation_failures_give_nomem) {
  static const OomRun runs[] = {{1, 1}, {0, 1}, {1, 0}, {0, 0}};
  for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
    char label[64];
    snprintf(label, sizeof label, "oom repeat=%d %s", runs[i].repeat, runs[i].memory ? "memory" : "file");
    CHECK_EQ_INT(run_child(oom_child, (void *)&runs[i], label), 0);
  }
}

int main(void) {
  shared = mmap(NULL, SHARED_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == MAP_FAILED) return 1;
  stats = (SqlStats *)(shared + NOTE_BYTES);
  snprintf(tmpdir, sizeof tmpdir, "/tmp/lode_robust_XXXXXX");
  if (!mkdtemp(tmpdir)) return 1;
  RUN(null_handles_are_harmless);
  RUN(opening_non_databases);
  RUN(bind_and_column_indexes_out_of_range);
  RUN(reset_and_clear_twice_are_legal);
  RUN(strict_table_types_checked_like_sqlite);
  RUN(printf_huge_precision_is_bounded);
  RUN(prepare_with_byte_limits);
  RUN(close_with_live_statement_is_busy);
  RUN(select_while_writing_same_table);
  RUN(update_while_selecting_same_table);
  RUN(drop_table_under_active_reader_is_locked);
  RUN(allocation_failures_give_nomem);
  RUN(random_sql_never_crashes);
  for (int f = 0; f < GOOD_FLAVORS; f++)
    if (build_good_db(f) != 0) printf("could not build corrupt-test database %d\n", f);
  use_good(0);
  RUN(good_db_is_valid_for_sqlite);
  RUN(corrupt_statements_succeed_on_the_good_files);
  RUN(corrupt_files_give_errors_not_crashes);
  RUN(integrity_check_with_huge_page_count_is_bounded);
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0) printf("could not remove %s\n", tmpdir);
  for (int f = 0; f < GOOD_FLAVORS; f++) free(goods[f].data);
  return test_summary();
}
