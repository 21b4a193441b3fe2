/*
** scalar.c — built-in scalar functions that are not about strings:
** typeof, length, abs, sign, round, coalesce/ifnull, nullif, iif,
** min/max with two or more arguments, random, randomblob, zeroblob,
** likely/unlikely/likelihood.
**
** Every function follows SQLite's observable behaviour, including its
** quirks: round() goes through a decimal rendering (SQLite 3.53's printf
** digits, so round(1.005, 2) is 1.0: 1.005 is stored as 1.00499999999999989
** where 3.40 made it 1.01); arguments SQLite reads as a C int are truncated
** to 32 bits the same way.
*/
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "func/func_internal.h"

#define ROUND_MAX_DIGITS 30            /* round(x, n) uses at most 30 decimals */
#define ROUND_NO_FRACTION 4503599627370496.0 /* 2^52: larger doubles are integral */

/* ---- typeof, length ---------------------------------------------------- */

/* The SQLite release whose behaviour Lode matches (tools and ORMs probe
** it to decide which SQL they may use), and Lode's own source id. */
#define LODE_SQLITE_VERSION "3.53.2"
#define LODE_SOURCE_ID "2026-12-02 00:00:00 lode 0.1.0"

static void fn_sqlite_version(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  (void)argv;
  func_result_bytes(ctx, LODE_SQLITE_VERSION, (int)strlen(LODE_SQLITE_VERSION), 0);
}

/* sqlite_log(CODE, MSG): tells the error log (SQLITE_CONFIG_LOG); returns NULL. */
static void fn_sqlite_log(FuncContext *ctx, int argc, Mem **argv) {
  int oom = 0;
  (void)argc;
  if (!util_logging()) return;
  int code = (int)mem_as_int(argv[0]);
  const char *msg = mem_as_text(argv[1], &oom);
  if (oom) ctx->rc = LODE_NOMEM;
  else util_log(code, msg ? msg : "");
}

static void fn_sqlite_source_id(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  (void)argv;
  func_result_bytes(ctx, LODE_SOURCE_ID, (int)strlen(LODE_SOURCE_ID), 0);
}

/* What the library was built with, as SQLite names its options: the
** features a program may probe for (sqlite_compileoption_used, PRAGMA
** compile_options, sqlite3_compileoption_get) are the ones Lode has. */
const char *const func_compile_options[] = {
    "DEFAULT_CACHE_SIZE=-2000", "DEFAULT_PAGE_SIZE=4096", "DEFAULT_SYNCHRONOUS=2", "DEFAULT_WAL_AUTOCHECKPOINT=1000",
    "ENABLE_COLUMN_METADATA", "ENABLE_DBPAGE_VTAB", "ENABLE_DBSTAT_VTAB", "ENABLE_FTS3", "ENABLE_FTS3_PARENTHESIS",
    "ENABLE_FTS4", "ENABLE_FTS5", "ENABLE_JSON1", "ENABLE_LOAD_EXTENSION", "ENABLE_MATH_FUNCTIONS", "ENABLE_PERCENTILE",
    "ENABLE_PREUPDATE_HOOK", "ENABLE_RTREE", "ENABLE_SESSION", "ENABLE_STAT4", "ENABLE_UPDATE_DELETE_LIMIT",
    "LIKE_DOESNT_MATCH_BLOBS", "MAX_ATTACHED=10", "MAX_COLUMN=2000", "MAX_COMPOUND_SELECT=500", "MAX_EXPR_DEPTH=1000",
    "MAX_FUNCTION_ARG=1000", "MAX_LENGTH=1000000000", "MAX_LIKE_PATTERN_LENGTH=50000", "MAX_PAGE_SIZE=65536",
    "MAX_SQL_LENGTH=1000000000", "MAX_TRIGGER_DEPTH=1000", "MAX_VARIABLE_NUMBER=32766", "SOUNDEX", "TEMP_STORE=1",
    "THREADSAFE=2", "USE_URI", NULL};

/* sqlite_compileoption_used(X): X names an option with or without the
** SQLITE_ prefix, and without its "=value" part matches any value. */
static void fn_compileoption_used(FuncContext *ctx, int argc, Mem **argv) {
  char buf[FUNC_TEXT_BUF];
  const char *z;
  int n;
  (void)argc;
  if (argv[0]->type == MEM_NULL) return;
  mem_text_view(argv[0], buf, &z, &n);
  if (n >= 7 && util_strnicmp(z, "SQLITE_", 7) == 0) z += 7, n -= 7;
  for (int i = 0; func_compile_options[i]; i++) {
    const char *o = func_compile_options[i];
    if (util_strnicmp(o, z, (size_t)n) == 0 && (o[n] == 0 || o[n] == '=')) {
      mem_set_int(ctx->out, 1);
      return;
    }
  }
  mem_set_int(ctx->out, 0);
}

static void fn_compileoption_get(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  if (argv[0]->type == MEM_NULL) return;
  int64_t k = mem_as_int(argv[0]);
  for (int64_t i = 0; k >= 0 && func_compile_options[i]; i++)
    if (i == k) {
      func_result_bytes(ctx, func_compile_options[i], (int)strlen(func_compile_options[i]), 0);
      return;
    }
}

static void fn_typeof(FuncContext *ctx, int argc, Mem **argv) {
  static const char *const names[] = {"", "integer", "real", "text", "blob", "null"};
  int t = argv[0]->type;
  (void)argc;
  if (t < MEM_INT || t > MEM_NULL) t = MEM_NULL;
  mem_set_text(ctx->out, names[t], -1, MEM_STATIC);
}

static void fn_length(FuncContext *ctx, int argc, Mem **argv) {
  char buf[FUNC_TEXT_BUF];
  const char *z;
  int n;
  const void *nul;
  (void)argc;
  switch (argv[0]->type) {
    case MEM_NULL: return;
    case MEM_BLOB: mem_set_int(ctx->out, argv[0]->n); return;
    default:
      mem_text_view(argv[0], buf, &z, &n);
      nul = n ? memchr(z, 0, (size_t)n) : NULL; /* text ends at a NUL */
      if (nul) n = (int)((const char *)nul - z);
      mem_set_int(ctx->out, (int64_t)util_utf8_char_count(z, (size_t)n));
  }
}

/* ---- abs, sign ------------------------------------------------------------- */

static void fn_abs(FuncContext *ctx, int argc, Mem **argv) {
  const Mem *a = argv[0];
  (void)argc;
  switch (a->type) {
    case MEM_NULL: return;
    case MEM_INT:
      if (a->u.i == INT64_MIN) {
        func_error(ctx, LODE_ERROR, "integer overflow");
        return;
      }
      mem_set_int(ctx->out, a->u.i < 0 ? -a->u.i : a->u.i);
      return;
    default: { /* REAL, and text/blob read as a double; -0.0 stays -0.0 as in SQLite */
      double r = mem_as_real(a);
      mem_set_real(ctx->out, r < 0 ? -r : r);
    }
  }
}

/* sign(): -1, 0 or 1 for numbers and numeric text; NULL for anything else. */
static void fn_sign(FuncContext *ctx, int argc, Mem **argv) {
  const Mem *a = argv[0];
  int64_t i = 0;
  double r = 0.0;
  (void)argc;
  if (a->type == MEM_INT) r = (double)a->u.i;
  else if (a->type == MEM_REAL) r = a->u.r;
  else if (a->type == MEM_TEXT) {
    int kind = util_parse_number(a->z, (size_t)a->n, &i, &r);
    if (kind == 0) return;
    if (kind == 1) r = (double)i;
  } else {
    return;
  }
  mem_set_int(ctx->out, r > 0 ? 1 : r < 0 ? -1 : 0);
}

/* ---- round ------------------------------------------------------------------- */

/* The text of "%!.*f" read back as SQLite 3.53 reads it: digits go into a
** 64-bit integer until it nears the top (later integer digits scale it by
** ten, later fraction digits are dropped), then d * 10^p is converted. */
#define ROUND_ACCUM_LIMIT ((UINT64_MAX - 9) / 10)
static double round_read_back(const char *dg, int len, int dp) {
  uint64_t s = 0;
  int p = 0, i, full = 0;
  for (i = dp < 0 ? dp : 0; i < len || i < dp; i++) {
    unsigned v = i >= 0 && i < len ? (unsigned)(dg[i] - '0') : 0;
    if (i < dp) { /* the integer part */
      if (full) p++;
      else s = s * 10 + v;
      if (s >= ROUND_ACCUM_LIMIT) full = 1;
    } else if (s < ROUND_ACCUM_LIMIT) {
      s = s * 10 + v;
      p--;
    }
  }
  return util_decimal_to_real(s, p);
}

/* Rounds a > 0 to n > 0 decimals the way SQLite 3.53 does: through
** printf("%!.*f") and back. */
static double round_decimal(double a, int n) {
  char digits[UTIL_REAL_DECIMAL_MAX];
  int dp, len = util_real_decode(a, -n, UTIL_REAL_ALT_SIG_DIGITS, digits, &dp);
  if (dp + n < 0 || (dp + n == 0 && digits[0] < '5')) return 0.0; /* below half a unit */
  if (len > dp + n) len = dp + n; /* digits past the rounding place are not printed */
  return round_read_back(digits, len, dp);
}

static double round_real(double r, int n) {
  if (!(fabs(r) <= ROUND_NO_FRACTION)) return r; /* also Inf */
  if (n == 0) return (double)(int64_t)(r + (r < 0 ? -0.5 : 0.5));
  if (r == 0.0) return 0.0; /* SQLite prints -0.0 without its sign and reads that back */
  return r < 0 ? -round_decimal(-r, n) : round_decimal(r, n);
}

static void fn_round(FuncContext *ctx, int argc, Mem **argv) {
  int n = 0;
  if (argc == 2) {
    /* The full 64-bit value is clamped: truncating a huge digit count to 32 bits first could make it negative. */
    int64_t want;
    if (argv[1]->type == MEM_NULL) return;
    want = mem_as_int(argv[1]);
    n = want > ROUND_MAX_DIGITS ? ROUND_MAX_DIGITS : want < 0 ? 0 : (int)want;
  }
  if (argv[0]->type == MEM_NULL) return;
  mem_set_real(ctx->out, round_real(mem_as_real(argv[0]), n));
}

/* ---- NULL handling and choice -------------------------------------------------- */

static void fn_coalesce(FuncContext *ctx, int argc, Mem **argv) {
  int i;
  for (i = 0; i < argc; i++) {
    if (argv[i]->type != MEM_NULL) {
      func_result_copy(ctx, argv[i]);
      return;
    }
  }
}

static void fn_nullif(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  if (mem_compare(argv[0], argv[1], ctx->coll) != 0) func_result_copy(ctx, argv[0]);
}

/* iif(C1, V1 [, C2, V2 …] [, ELSE]) and its alias if(): the value after
** the first true condition, else ELSE, else NULL. */
static void fn_iif(FuncContext *ctx, int argc, Mem **argv) {
  int i = 0;
  for (; i + 1 < argc; i += 2)
    if (mem_is_true(argv[i])) {
      func_result_copy(ctx, argv[i + 1]);
      return;
    }
  if (i < argc) func_result_copy(ctx, argv[i]);
}

static void fn_passthrough(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  func_result_copy(ctx, argv[0]);
}

/* min(a, b, ...) and max(...): NULL if any argument is NULL.  Ties go to
** the last argument for min and the first for max, as in SQLite. */
static void minmax_scalar(FuncContext *ctx, int argc, Mem **argv, int want_max) {
  int best = 0, i;
  for (i = 0; i < argc; i++) {
    if (argv[i]->type == MEM_NULL) return;
  }
  for (i = 1; i < argc; i++) {
    int c = mem_compare(argv[best], argv[i], ctx->coll);
    if (want_max ? c < 0 : c >= 0) best = i;
  }
  func_result_copy(ctx, argv[best]);
}
static void fn_min(FuncContext *ctx, int argc, Mem **argv) { minmax_scalar(ctx, argc, argv, 0); }
static void fn_max(FuncContext *ctx, int argc, Mem **argv) { minmax_scalar(ctx, argc, argv, 1); }

/* ---- random numbers and blobs ---------------------------------------------------- */

/* splitmix64 over a counter of each thread's own (threads writing one
** shared counter would contend for its cache line at every call), started
** at a point of a process-wide atomic sequence that is seeded from the
** clock on first use. */
static _Atomic uint64_t random_counter;
static _Thread_local uint64_t random_thread_counter;
#define SPLITMIX_GAMMA 0x9e3779b97f4a7c15ULL

static uint64_t splitmix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static uint64_t random_next(void) {
  if (random_thread_counter == 0) {
    uint64_t z = atomic_fetch_add(&random_counter, SPLITMIX_GAMMA);
    if (z == 0) {
      uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)clock() << 32) ^ (uint64_t)(uintptr_t)&z;
      uint64_t zero = SPLITMIX_GAMMA;
      atomic_compare_exchange_strong(&random_counter, &zero, seed | 1);
      z = atomic_fetch_add(&random_counter, SPLITMIX_GAMMA);
    }
    random_thread_counter = splitmix(z) | 1;
  }
  random_thread_counter += SPLITMIX_GAMMA;
  return splitmix(random_thread_counter);
}

static void fn_random(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  (void)argv;
  mem_set_int(ctx->out, (int64_t)random_next());
}

static int func_blob_size(FuncContext *ctx, const Mem *m, int64_t *n) {
  *n = mem_as_int(m);
  if (*n < 0) *n = 0;
  if (*n > FUNC_MAX_LENGTH) {
    func_error(ctx, LODE_TOOBIG, "string or blob too big");
    return 0;
  }
  return 1;
}

static void fn_randomblob(FuncContext *ctx, int argc, Mem **argv) {
  int64_t n, i;
  (void)argc;
  if (!func_blob_size(ctx, argv[0], &n)) return;
  if (n < 1) n = 1; /* randomblob(N<1) is one byte */
  if (mem_set_zeroblob(ctx->out, (int)n) != LODE_OK) {
    func_nomem(ctx);
    return;
  }
  for (i = 0; i < n; i += 8) { /* eight bytes a number */
    uint64_t r = random_next();
    for (int64_t j = i; j < n && j < i + 8; j++, r >>= 8) ctx->out->z[j] = (char)(r & 0xff);
  }
}

static void fn_zeroblob(FuncContext *ctx, int argc, Mem **argv) {
  int64_t n;
  (void)argc;
  if (!func_blob_size(ctx, argv[0], &n)) return;
  if (mem_set_zeroblob(ctx->out, (int)n) != LODE_OK) func_nomem(ctx);
}

/* ---- the table ---------------------------------------------------------------------- */

#define SCALAR(name, nargs, fn) {{name, nargs, FUNC_DETERMINISTIC | FUNC_BORROWS_ARGS, fn, NULL, NULL, 0, NULL}, 0}
#define SCALAR_MIN(name, min, fn) {{name, -1, FUNC_DETERMINISTIC, fn, NULL, NULL, 0, NULL}, min}
#define VOLATILE(name, nargs, fn) {{name, nargs, 0, fn, NULL, NULL, 0, NULL}, 0}

const FuncEntry func_scalar_table[] = {
    SCALAR("typeof", 1, fn_typeof),
    SCALAR("sqlite_version", 0, fn_sqlite_version),
    SCALAR("sqlite_source_id", 0, fn_sqlite_source_id),
    VOLATILE("sqlite_log", 2, fn_sqlite_log),
    SCALAR("sqlite_compileoption_used", 1, fn_compileoption_used),
    SCALAR("sqlite_compileoption_get", 1, fn_compileoption_get),
    SCALAR("length", 1, fn_length),
    SCALAR("abs", 1, fn_abs),
    SCALAR("sign", 1, fn_sign),
    SCALAR("round", 1, fn_round),
    SCALAR("round", 2, fn_round),
    SCALAR_MIN("coalesce", 2, fn_coalesce),
    SCALAR("ifnull", 2, fn_coalesce),
    SCALAR("nullif", 2, fn_nullif),
    SCALAR_MIN("iif", 2, fn_iif),
    SCALAR_MIN("if", 2, fn_iif),
    SCALAR_MIN("min", 2, fn_min),
    SCALAR_MIN("max", 2, fn_max),
    SCALAR("likely", 1, fn_passthrough),
    SCALAR("unlikely", 1, fn_passthrough),
    SCALAR("likelihood", 2, fn_passthrough),
    VOLATILE("random", 0, fn_random),
    VOLATILE("randomblob", 1, fn_randomblob),
    SCALAR("zeroblob", 1, fn_zeroblob),
    {{NULL, 0, 0, NULL, NULL, NULL, 0, NULL}, 0},
};
