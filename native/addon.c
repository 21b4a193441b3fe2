/*
** native/addon.c — the Node-API driver of Lode (plain C, Node-API 8 plus the
** synchronous finalizers of NAPI_EXPERIMENTAL, see "handles").
**
** Owns the low-level driver surface that js/ builds the public API on.  The
** wasm driver (js/wasm-driver.mjs) implements exactly the same functions in
** JS, so js/ has one implementation above both:
**
**   init(makeError, makeRowMaker) → ArrayBuffer of run()'s results
**                                   makeError(message, rawCode) → Error object;
**                                   makeRowMaker(keys, indexed) → (v0, …) => ({[keys[0]]: v0, …}),
**                                   with .batch/.batchRows for many rows per call (collect_rows)
**   open(path, flags) → db          flags: lode.h LODE_OPEN_* bits
**   close(db)                       finalizes the db's statements first
**   exec(db, sql)                   every statement, rows discarded
**   prepare(db, sql) → stmt         the first statement only (the tail is ignored)
**   bind(stmt, named, ...values)   resets if needed, binds every parameter (rules below)
**   step(stmt, mode) → row|undefined   one row (iterate); resets at the end
**   rows(stmt, max, mode) → up to max rows of an iteration (fewer: the end)
**   get(stmt, mode, named?, ...values) → row|undefined    first row, then reset
**   all(stmt, mode, named?, ...values) → rows             every row, then reset
**   run(stmt, mode, named?, ...values)   results in the buffer init returned
**     (get, all and run bind first, as bind() does, when called with more
**     than (stmt, mode): one call into the addon per statement execution.
**     The positional values are the call's own arguments, not an array: V8
**     hands them over as they are, where reading an array's elements costs
**     a property lookup each)
**   columns(stmt), reader(stmt), readonly(stmt), reset(stmt), finalize(stmt)
**   strictBind(stmt)                better-sqlite3's binding rules (see Binding)
**   changes(db), totalChanges(db), lastInsertRowid(db, mode), inTransaction(db)
**   shellMain(argv) → exit code,  version()
**   createFunction, createAggregate (see "application-defined functions")
**   createTable (see "virtual tables defined in JavaScript")
**   serialize(db, schema) → Buffer,  deserialize(db, Buffer),  interrupt(db)
**   loadExtension(db, file, entry|null)   lode_load_extension
**   busyTimeout(db, ms),  queryTimeout(db, ms) (later calls stop with SQLITE_INTERRUPT after ms)
**   doubleQuotedStrings(db, on)     lode_double_quoted_strings
**   defensive(db, on)               lode_defensive
**   backupInit(db, destPath, schema) → b,  backupStep(b, pages) →
**     [done, totalPages, remainingPages],  backupClose(b)
**
** mode bits (ROW_*): RAW rows as arrays, PLUCK first column only, EXPAND
** rows as {table: {column: value}}, SAFE_INT INTEGER as BigInt (without it
** an INTEGER outside Number's safe range is a RangeError), INDEXED object
** rows that also hold each value under its column number, as a property that
** is not enumerable (@tursodatabase/database's rows: row[0] works where two
** columns share a name, and keys, JSON and deep equality see names only).  Values: INTEGER → Number (BigInt under SAFE_INT),
** REAL → Number, TEXT → string, BLOB → Buffer, NULL → null.
**
** run()'s results: the buffer init returned holds, after each run(), three
** 8-byte slots: changes (float64), lastInsertRowid (float64) and
** lastInsertRowid (int64), from which js/native.mjs builds the
** {changes, lastInsertRowid} object.  Writing two numbers costs nothing next
** to making an object through Node-API (a call into a JS maker, or a key
** lookup per property), which cost a fifth of a bulk INSERT's time.
**
** Binding: with no named object, parameter i takes positional[i-1] (so ?2 ?1
** work and :a/@a/$a bind in order, like Turso).  With a named object, :a @a
** $a take obj.a (missing key → RangeError) and the other parameters take the
** positional values in order.  Too many or too few values → RangeError.
** A statement given strictBind(stmt) (lodedb/compat) follows better-sqlite3's
** rules instead: positional values bind the anonymous parameters only, and
** named ones (?NNN too) come from the object (bind_all_strict).
** JS numbers that are integral and fit in int64 bind as INTEGER, other numbers
** as REAL, NaN as NULL; bigint INTEGER (RangeError out of range); boolean 1/0;
** string TEXT; any typed array or DataView BLOB; null/undefined NULL.
**
** Rows as objects are made by a row maker: a JS function per statement, made
** by makeRowMaker from the column names, whose object literal V8 builds with
** the row's final shape in one step (setting the keys one by one costs a map
** transition and a key lookup per column per row).  It is made on the first
** row and kept while the statement's column names stay the same (a schema
** change can re-prepare a statement with other columns).
**
** Lifetime invariants: a DbHandle lives while its JS external or any of its
** statements' externals lives (refs counts the statements).  close() finalizes
** every statement and sets their stmt to NULL, so a stale statement handle
** throws instead of touching freed memory.  Garbage collection of an unclosed
** database closes it.
*/
#include <math.h>
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lode.h"
#include "sqlite3.h"
#include "js_vtab_plan.h"

/* Written by the shell module (engine/shell/shell.c).  Weak so that the addon
** still loads (shellMain then throws) in a tree where the shell is missing. */
extern int lode_shell_main(int argc, char **argv) __attribute__((weak));

#define ROW_RAW 1
#define ROW_PLUCK 2
#define ROW_SAFE_INT 4
#define ROW_EXPAND 8
#define ROW_INDEXED 16

#define MAX_ARGS 4
#define MAKER_MAX 64 /* widest row a row maker builds; wider rows set their keys one by one */
/* What one prepared statement holds outside the JS heap (program, registers,
** cursors), as told to V8 so that unreachable statements are collected while
** the C memory they hold grows, not only when the JS heap fills.  An
** estimate: V8 only weighs it against its own heap. */
#define STMT_EXTERNAL_BYTES 8192
#define SMALL_TEXT 256 /* strings shorter than this bind from the stack */
#define INT64_LIMIT 9223372036854775808.0 /* 2^63 */
#define MAX_SAFE_INT 9007199254740991LL /* Number.MAX_SAFE_INTEGER, 2^53 - 1 */

typedef struct DbHandle DbHandle;
typedef struct StmtHandle StmtHandle;

struct StmtHandle {
  lode_stmt *stmt; /* NULL once finalized */
  DbHandle *db;
  StmtHandle *next;
  StmtHandle *prev;
  int charged;        /* STMT_EXTERNAL_BYTES counted as V8 external memory */
  napi_ref maker;     /* row maker for maker_names, or NULL */
  char *maker_names;  /* the column names it was made for, each NUL-terminated, back to back */
  int maker_n;        /* how many */
  int maker_indexed;  /* whether its rows hold the values under column numbers too (ROW_INDEXED) */
  int strict_bind;    /* better-sqlite3's binding rules (strictBind), else Turso's */
  int named_params;   /* strict rules: whether a parameter has a name; -1 until looked up */
};

struct DbHandle {
  lode *db;          /* NULL once closed */
  StmtHandle *stmts; /* live statement handles (finalized or not) */
  int refs;          /* statement handles pointing here */
  int js_alive;      /* the JS external still exists */
  napi_ref on_commit; /* walHook's function, called after a step that committed */
  int committed;      /* the WAL hook ran since on_commit was last called */
  int timeout_ms;     /* queryTimeout: how long one call into the engine may run, 0 for ever */
  int watching;       /* the deadline's progress handler is installed */
  int64_t deadline;   /* CLOCK_MONOTONIC ns at which the running call is interrupted, 0 for none */
};

/* run()'s result slots in AddonState.run_out (see "run()'s results"). */
#define RUN_CHANGES 0
#define RUN_ROWID 1
#define RUN_ROWID_INT64 2
#define RUN_SLOTS 3

typedef struct AddonState {
  napi_ref make_error; /* JS function (message, rawCode) → Error */
  napi_ref pending; /* the exception a user function threw, for its step to rethrow */
  napi_ref make_row_maker; /* JS function (keys) → row maker */
  napi_ref run_out_ref; /* the ArrayBuffer behind run_out, kept alive */
  double *run_out;      /* RUN_SLOTS slots of 8 bytes */
  napi_ref thrown;      /* the object a failed call returns, its exception in .error */
} AddonState;

#define NAPI_OK(call)                                                          \
  do {                                                                         \
    if ((call) != napi_ok) return NULL;                                        \
  } while (0)

/* ---- errors ------------------------------------------------------------ */

static napi_value throw_sqlite(napi_env env, const char *msg, int raw) {
  AddonState *st = NULL;
  napi_value fn, argv[2], err, global;
  napi_get_instance_data(env, (void **)&st);
  if (!st || !st->make_error ||
      napi_get_reference_value(env, st->make_error, &fn) != napi_ok) {
    napi_throw_error(env, NULL, msg);
    return NULL;
  }
  napi_get_global(env, &global);
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &argv[0]);
  napi_create_int32(env, raw, &argv[1]);
  if (napi_call_function(env, global, fn, 2, argv, &err) == napi_ok) napi_throw(env, err);
  return NULL;
}

/* Throws the exception a user function threw during the call that failed,
** if there is one; 1 if it did. */
static int throw_pending(napi_env env) {
  AddonState *st = NULL;
  napi_value exc;
  napi_get_instance_data(env, (void **)&st);
  if (!st || !st->pending) return 0;
  int ok = napi_get_reference_value(env, st->pending, &exc) == napi_ok;
  napi_delete_reference(env, st->pending);
  st->pending = NULL;
  return ok && napi_throw(env, exc) == napi_ok;
}

/* Forgets an exception left by a user function whose failure the statement
** did not report (nothing is to be rethrown from an earlier call). */
static void clear_pending(napi_env env) {
  AddonState *st = NULL;
  napi_get_instance_data(env, (void **)&st);
  if (st && st->pending) {
    napi_delete_reference(env, st->pending);
    st->pending = NULL;
  }
}

/* Throws the connection's last error (message first: reset may change it),
** or the exception of the user function that made the statement fail. */
static napi_value throw_db(napi_env env, lode *db, int rc) {
  if (throw_pending(env)) return NULL;
  int raw = db ? lode_extended_errcode(db) : rc;
  const char *msg = db ? lode_errmsg(db) : lode_errstr(rc);
  if (raw == LODE_OK) raw = rc;
  return throw_sqlite(env, msg ? msg : lode_errstr(rc), raw);
}

static napi_value throw_nomem(napi_env env) {
  return throw_sqlite(env, "out of memory", LODE_NOMEM);
}

/* ---- handles ------------------------------------------------------------ */

/* The finalizers below run inside garbage collection (the module is built
** with NAPI_EXPERIMENTAL, whose basic finalizers Node calls from the GC
** itself instead of queueing them for a later turn of the event loop): a
** loop that prepares statements and never yields frees them as it goes, as
** better-sqlite3 does.  They therefore touch only C memory, external memory
** accounting and references; deleting a reference is safe from the GC
** (Node-API declares it basic from Node 22 on), hence the casts. */
#define GC_ENV(env) ((napi_env)(env))

static void db_handle_release(DbHandle *h) {
  if (h->js_alive || h->refs > 0) return;
  if (h->db) lode_close(h->db);
  free(h);
}

static void db_finalize_all(DbHandle *h) {
  for (StmtHandle *s = h->stmts; s; s = s->next) {
    if (s->stmt) lode_finalize(s->stmt);
    s->stmt = NULL;
  }
}

static void db_external_gone(node_api_basic_env env, void *data, void *hint) {
  (void)hint;
  DbHandle *h = data;
  h->js_alive = 0;
  if (h->on_commit) napi_delete_reference(GC_ENV(env), h->on_commit);
  h->on_commit = NULL;
  if (h->refs == 0 && h->db) {
    db_finalize_all(h);
  }
  db_handle_release(h);
}

static void stmt_forget_maker(node_api_basic_env env, StmtHandle *s) {
  if (s->maker) napi_delete_reference(GC_ENV(env), s->maker);
  s->maker = NULL;
  free(s->maker_names);
  s->maker_names = NULL;
  s->maker_n = 0;
}

/* Takes back what wrap_stmt told V8 the statement holds. */
static void stmt_discharge(node_api_basic_env env, StmtHandle *s) {
  int64_t now;
  if (s->charged) napi_adjust_external_memory(env, -STMT_EXTERNAL_BYTES, &now);
  s->charged = 0;
}

static void stmt_external_gone(node_api_basic_env env, void *data, void *hint) {
  (void)hint;
  StmtHandle *s = data;
  DbHandle *h = s->db;
  stmt_forget_maker(env, s);
  stmt_discharge(env, s);
  if (s->stmt) lode_finalize(s->stmt);
  if (s->prev) s->prev->next = s->next;
  else h->stmts = s->next;
  if (s->next) s->next->prev = s->prev;
  free(s);
  h->refs--;
  db_handle_release(h);
}

/* The first want arguments; missing ones read as undefined. */
static napi_status get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = MAX_ARGS;
  napi_value all[MAX_ARGS], undef;
  napi_status status = napi_get_cb_info(env, info, &argc, all, NULL, NULL);
  if (status != napi_ok) return status;
  if ((status = napi_get_undefined(env, &undef)) != napi_ok) return status;
  for (size_t i = 0; i < want; i++) argv[i] = i < argc ? all[i] : undef;
  return napi_ok;
}

/* Every argument of a call whose tail is a run of bound values: up to
** CALL_VALUES of them are read onto the stack, more into the heap. */
#define CALL_VALUES 32
typedef struct CallArgs {
  size_t argc;
  napi_value *argv;
  napi_value small[3 + CALL_VALUES];
} CallArgs;

/* 0 with an exception pending on failure; call_args_done in every case. */
static int call_args(napi_env env, napi_callback_info info, CallArgs *a) {
  const size_t cap = sizeof a->small / sizeof a->small[0];
  a->argc = cap;
  a->argv = a->small;
  if (napi_get_cb_info(env, info, &a->argc, a->small, NULL, NULL) != napi_ok) return 0;
  if (a->argc <= cap) return 1;
  size_t n = a->argc;
  if (!(a->argv = malloc(n * sizeof(napi_value)))) {
    a->argv = a->small;
    throw_nomem(env);
    return 0;
  }
  return napi_get_cb_info(env, info, &n, a->argv, NULL, NULL) == napi_ok;
}

static void call_args_done(CallArgs *a) {
  if (a->argv != a->small) free(a->argv);
}

/* The open connection behind a db external, or NULL with a TypeError thrown. */
static DbHandle *arg_db(napi_env env, napi_value v) {
  DbHandle *h = NULL;
  if (napi_get_value_external(env, v, (void **)&h) != napi_ok || !h) {
    napi_throw_type_error(env, NULL, "Expected a database handle");
    return NULL;
  }
  if (!h->db) {
    napi_throw_type_error(env, NULL, "The database connection is not open");
    return NULL;
  }
  return h;
}

static StmtHandle *arg_stmt(napi_env env, napi_value v) {
  StmtHandle *s = NULL;
  if (napi_get_value_external(env, v, (void **)&s) != napi_ok || !s) {
    napi_throw_type_error(env, NULL, "Expected a statement handle");
    return NULL;
  }
  if (!s->db->db) {
    napi_throw_type_error(env, NULL, "The database connection is not open");
    return NULL;
  }
  if (!s->stmt) {
    napi_throw_type_error(env, NULL, "This statement has been finalized");
    return NULL;
  }
  return s;
}

static int arg_int(napi_env env, napi_value v) {
  int32_t n = 0;
  if (napi_get_value_int32(env, v, &n) != napi_ok) return 0;
  return n;
}

/* A JS string as a malloc'd NUL-terminated UTF-8 copy (*len without NUL). */
static char *arg_string(napi_env env, napi_value v, size_t *len) {
  size_t n = 0;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &n) != napi_ok) {
    napi_throw_type_error(env, NULL, "Expected a string");
    return NULL;
  }
  char *z = malloc(n + 1);
  if (!z) {
    throw_nomem(env);
    return NULL;
  }
  napi_get_value_string_utf8(env, v, z, n + 1, &n);
  if (len) *len = n;
  return z;
}

/* ---- values: JS → parameter --------------------------------------------- */

static napi_value bind_number(napi_env env, lode_stmt *stmt, int i, napi_value v, double d) {
  int rc;
  if (isnan(d)) rc = lode_bind_null(stmt, i);
  else if (d >= -INT64_LIMIT && d < INT64_LIMIT && d == floor(d)) rc = lode_bind_int64(stmt, i, (lode_int64)d);
  else rc = lode_bind_double(stmt, i, d);
  return rc == LODE_OK ? v : throw_db(env, lode_db_handle(stmt), rc);
}

/* Binds v when it is a string; *not_string set (and nothing done) when it is not. */
static napi_value bind_text(napi_env env, lode_stmt *stmt, int i, napi_value v, int *not_string) {
  char small[SMALL_TEXT];
  size_t n = 0;
  napi_status st = napi_get_value_string_utf8(env, v, small, sizeof small, &n);
  *not_string = st == napi_string_expected;
  if (st != napi_ok) return NULL;
  char *z = small;
  /* A truncated copy stops before the first character that does not fit, and
  ** one character takes up to 4 bytes: within 4 of the end it may be cut. */
  if (n + 4 >= sizeof small) {
    z = arg_string(env, v, &n);
    if (!z) return NULL;
  }
  int rc = n > INT32_MAX ? LODE_TOOBIG : lode_bind_text(stmt, i, z, (int)n, LODE_TRANSIENT);
  if (z != small) free(z);
  return rc == LODE_OK ? v : throw_db(env, lode_db_handle(stmt), rc);
}

static napi_value bind_bytes(napi_env env, lode_stmt *stmt, int i, const void *p, size_t n) {
  static const char empty[1] = {0}; /* a NULL pointer would bind NULL, not x'' */
  int rc = n > INT32_MAX ? LODE_TOOBIG : lode_bind_blob(stmt, i, n ? p : empty, (int)n, LODE_TRANSIENT);
  if (rc != LODE_OK) return throw_db(env, lode_db_handle(stmt), rc);
  napi_value t;
  napi_get_boolean(env, 1, &t);
  return t;
}

static napi_value bind_object(napi_env env, lode_stmt *stmt, int i, napi_value v) {
  bool is = false;
  if (napi_is_typedarray(env, v, &is) == napi_ok && is) {
    napi_typedarray_type type;
    size_t length = 0, offset = 0;
    void *data = NULL;
    napi_value ab;
    NAPI_OK(napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &offset));
    size_t elem = 1;
    switch (type) {
    case napi_int16_array: case napi_uint16_array: elem = 2; break;
    case napi_int32_array: case napi_uint32_array: case napi_float32_array: elem = 4; break;
    case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: elem = 8; break;
    default: elem = 1;
    }
    return bind_bytes(env, stmt, i, data, length * elem);
  }
  if (napi_is_dataview(env, v, &is) == napi_ok && is) {
    size_t length = 0, offset = 0;
    void *data = NULL;
    napi_value ab;
    NAPI_OK(napi_get_dataview_info(env, v, &length, &data, &ab, &offset));
    return bind_bytes(env, stmt, i, data, length);
  }
  napi_throw_type_error(env, NULL, "SQLite3 can only bind numbers, strings, bigints, buffers, and null");
  return NULL;
}

/* Binds one JS value to parameter i; NULL (exception pending) on failure.
** Numbers and strings, nearly every value bound, are read as such straight
** away (N-API answers napi_number_expected / napi_string_expected for
** anything else, with no exception): a call less per value than
** napi_typeof first. */
static napi_value bind_value(napi_env env, lode_stmt *stmt, int i, napi_value v) {
  double d = 0;
  int not_string = 0;
  napi_status st = napi_get_value_double(env, v, &d);
  if (st == napi_ok) return bind_number(env, stmt, i, v, d);
  if (st != napi_number_expected) return NULL;
  napi_value r = bind_text(env, stmt, i, v, &not_string);
  if (!not_string) return r;
  napi_valuetype t;
  NAPI_OK(napi_typeof(env, v, &t));
  int rc = LODE_OK;
  switch (t) { /* numbers and strings were read above */
  case napi_object: return bind_object(env, stmt, i, v);
  case napi_null: case napi_undefined: rc = lode_bind_null(stmt, i); break;
  case napi_boolean: {
    bool b = false;
    napi_get_value_bool(env, v, &b);
    rc = lode_bind_int64(stmt, i, b ? 1 : 0);
    break;
  }
  case napi_bigint: {
    int64_t x = 0;
    bool lossless = false;
    NAPI_OK(napi_get_value_bigint_int64(env, v, &x, &lossless));
    if (!lossless) {
      napi_throw_range_error(env, NULL, "The bound string, buffer, or bigint is too big");
      return NULL;
    }
    rc = lode_bind_int64(stmt, i, x);
    break;
  }
  default:
    napi_throw_type_error(env, NULL, "SQLite3 can only bind numbers, strings, bigints, buffers, and null");
    return NULL;
  }
  return rc == LODE_OK ? v : throw_db(env, lode_db_handle(stmt), rc);
}

static int is_named(const char *name) {
  return name && (name[0] == ':' || name[0] == '@' || name[0] == '$');
}

static napi_value named_value(napi_env env, napi_value obj, const char *name, napi_value *out) {
  napi_value key;
  bool has = false;
  NAPI_OK(napi_create_string_utf8(env, name + 1, NAPI_AUTO_LENGTH, &key));
  NAPI_OK(napi_has_property(env, obj, key, &has));
  if (!has) {
    char msg[300];
    snprintf(msg, sizeof msg, "Missing named parameter \"%.250s\"", name + 1);
    napi_throw_range_error(env, NULL, msg);
    return NULL;
  }
  NAPI_OK(napi_get_property(env, obj, key, out));
  return *out;
}

static napi_value throw_count(napi_env env, int too_many) {
  napi_throw_range_error(env, NULL, too_many ? "Too many parameter values were provided"
                                             : "Too few parameter values were provided");
  return NULL;
}

/* Resets the statement unless it is reset already: every call leaves it
** reset when it ends (step_once at the end of the rows or on an error, get
** after its row, iterate's end), and a reset costs a pass over the
** registers, so the common call skips it. */
static void ensure_reset(lode_stmt *stmt) {
  if (lode_stmt_busy(stmt)) lode_reset(stmt);
}

/* ---- better-sqlite3's binding rules (strictBind, lodedb/compat) ---------
** The k-th positional value binds the k-th anonymous parameter ("?"); every
** parameter with a name (:a @a $a, and ?NNN) takes its value from the named
** object, under the name without its first character.  The values are
** checked in the order given, each for its type before its place: one that
** cannot be bound is a TypeError even past the last anonymous parameter
** (a function or an object that is no plain object and no buffer says that
** named parameters come in plain objects, when the statement has some), a
** BigInt out of range a RangeError, and then a value with no parameter left
** is "Too many".  Named parameters without an object are a TypeError, before
** "Too few". */

static int stmt_has_named(StmtHandle *s) {
  if (s->named_params < 0) {
    int count = lode_bind_parameter_count(s->stmt);
    s->named_params = 0;
    for (int i = 1; i <= count && !s->named_params; i++) s->named_params = lode_bind_parameter_name(s->stmt, i) != NULL;
  }
  return s->named_params;
}

/* Whether v is a function, or an object no buffer, typed array or DataView. */
static int is_unbindable_object(napi_env env, napi_value v) {
  napi_valuetype t;
  bool is = false;
  if (napi_typeof(env, v, &t) != napi_ok || (t != napi_object && t != napi_function)) return 0;
  if (t == napi_function) return 1;
  if (napi_is_typedarray(env, v, &is) == napi_ok && is) return 0;
  return !(napi_is_dataview(env, v, &is) == napi_ok && is);
}

static int throw_not_plain(napi_env env) {
  napi_throw_type_error(env, NULL, "Named parameters can only be passed within plain objects");
  return 0;
}

/* A positional value with no anonymous parameter left: the error the value's
** type gives first, else "Too many". */
static int throw_extra_value(napi_env env, StmtHandle *s, napi_value v) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return 0;
  if (is_unbindable_object(env, v)) {
    if (stmt_has_named(s)) return throw_not_plain(env);
    napi_throw_type_error(env, NULL, "SQLite3 can only bind numbers, strings, bigints, buffers, and null");
    return 0;
  }
  if (t == napi_symbol || t == napi_external) {
    napi_throw_type_error(env, NULL, "SQLite3 can only bind numbers, strings, bigints, buffers, and null");
    return 0;
  }
  if (t == napi_bigint) {
    int64_t x = 0;
    bool lossless = false;
    if (napi_get_value_bigint_int64(env, v, &x, &lossless) != napi_ok) return 0;
    if (!lossless) {
      napi_throw_range_error(env, NULL, "The bound string, buffer, or bigint is too big");
      return 0;
    }
  }
  return throw_count(env, 1), 0;
}

static int bind_all_strict(napi_env env, StmtHandle *s, const napi_value *positional, uint32_t npos, napi_value named) {
  napi_valuetype nt;
  if (napi_typeof(env, named, &nt) != napi_ok) return 0;
  ensure_reset(s->stmt);
  int count = lode_bind_parameter_count(s->stmt), i = 1;
  for (uint32_t k = 0; k < npos; k++, i++) {
    while (i <= count && lode_bind_parameter_name(s->stmt, i)) i++;
    if (i > count) return throw_extra_value(env, s, positional[k]);
    if (stmt_has_named(s) && is_unbindable_object(env, positional[k])) return throw_not_plain(env);
    if (!bind_value(env, s->stmt, i, positional[k])) return 0;
  }
  while (i <= count && lode_bind_parameter_name(s->stmt, i)) i++;
  if (stmt_has_named(s)) {
    if (nt != napi_object) {
      napi_throw_type_error(env, NULL, "Missing named parameters");
      return 0;
    }
    for (int j = 1; j <= count; j++) {
      const char *name = lode_bind_parameter_name(s->stmt, j);
      napi_value v;
      if (name && (!named_value(env, named, name, &v) || !bind_value(env, s->stmt, j, v))) return 0;
    }
  }
  if (i <= count) return throw_count(env, 0), 0;
  return 1;
}

/* Binds the npos values positional[] and named (an object, or anything
** else for none) to a reset statement.  Every parameter is bound (or the
** call fails and the statement does not run), so old bindings need no
** clearing.  0 with an exception pending on failure. */
static int bind_all(napi_env env, StmtHandle *s, const napi_value *positional, uint32_t npos, napi_value named) {
  if (s->strict_bind) return bind_all_strict(env, s, positional, npos, named);
  napi_valuetype nt;
  if (napi_typeof(env, named, &nt) != napi_ok) return 0;
  int have_named = nt == napi_object;
  uint32_t used = 0;
  ensure_reset(s->stmt);
  int count = lode_bind_parameter_count(s->stmt);
  for (int i = 1; i <= count; i++) {
    const char *name = have_named ? lode_bind_parameter_name(s->stmt, i) : NULL;
    napi_value v;
    if (have_named && is_named(name)) {
      if (!named_value(env, named, name, &v)) return 0;
    } else {
      uint32_t at = have_named ? used++ : (uint32_t)(i - 1);
      if (at >= npos) return throw_count(env, 0), 0;
      if (!have_named) used = at + 1;
      v = positional[at];
    }
    if (!bind_value(env, s->stmt, i, v)) return 0;
  }
  if (used < npos) return throw_count(env, 1), 0;
  return 1;
}

/* Binds a call's (named, ...values) from argument `from` on. */
static int bind_call(napi_env env, StmtHandle *s, const CallArgs *a, size_t from) {
  napi_value named = a->argv[from]; /* undefined when the call stops before it */
  uint32_t npos = a->argc > from + 1 ? (uint32_t)(a->argc - from - 1) : 0;
  return bind_all(env, s, a->argv + from + 1, npos, named);
}

/* bind(stmt, named object | undefined, ...values) */
static napi_value js_bind(napi_env env, napi_callback_info info) {
  CallArgs a;
  if (call_args(env, info, &a)) {
    StmtHandle *s = arg_stmt(env, a.argv[0]);
    if (s) bind_call(env, s, &a, 1);
  }
  call_args_done(&a);
  return NULL;
}

/* The optional (named, ...values) of get/all/run: binds them when the call
** has more than (stmt, mode).  0 with an exception pending on failure. */
static int bind_if_given(napi_env env, StmtHandle *s, const CallArgs *a) {
  return a->argc <= 2 ? 1 : bind_call(env, s, a, 2);
}

/* ---- values: column → JS ------------------------------------------------ */

/* An INTEGER outside Number's safe range would silently read as another
** number: RangeError instead, unless the statement reads BigInts. */
static napi_value throw_unsafe_integer(napi_env env, lode_int64 x) {
  char msg[160];
  snprintf(msg, sizeof msg,
           "The integer %lld is outside the range of safe JavaScript numbers: read it as a BigInt with safeIntegers()",
           (long long)x);
  napi_throw_range_error(env, NULL, msg);
  return NULL;
}

/* The value of column i; NULL with an exception pending on failure. */
static napi_value column_value(napi_env env, lode_stmt *stmt, int i, int mode) {
  napi_value v = NULL;
  switch (lode_column_type(stmt, i)) {
  case LODE_INTEGER: {
    lode_int64 x = lode_column_int64(stmt, i);
    if (mode & ROW_SAFE_INT) napi_create_bigint_int64(env, x, &v);
    else if (x > MAX_SAFE_INT || x < -MAX_SAFE_INT) return throw_unsafe_integer(env, x);
    else napi_create_double(env, (double)x, &v);
    break;
  }
  case LODE_FLOAT: napi_create_double(env, lode_column_double(stmt, i), &v); break;
  case LODE_TEXT: {
    const char *z = (const char *)lode_column_text(stmt, i);
    int n = lode_column_bytes(stmt, i);
    napi_create_string_utf8(env, z ? z : "", z ? (size_t)n : 0, &v);
    break;
  }
  case LODE_BLOB: {
    const void *p = lode_column_blob(stmt, i);
    int n = lode_column_bytes(stmt, i);
    void *copy;
    napi_create_buffer_copy(env, p ? (size_t)n : 0, p ? p : "", &copy, &v);
    break;
  }
  default: napi_get_null(env, &v);
  }
  return v;
}

/* Column names as JS strings, made once per call so all() reuses them. */
static int column_keys(napi_env env, lode_stmt *stmt, int n, napi_value *keys) {
  for (int i = 0; i < n; i++) {
    const char *name = lode_column_name(stmt, i);
    if (napi_create_string_utf8(env, name ? name : "", NAPI_AUTO_LENGTH, &keys[i]) != napi_ok) return 0;
  }
  return 1;
}

/* 1 if the statement's n column names, and indexed, are what its row maker
** was made for. */
static int maker_fits(const StmtHandle *s, int n, int indexed) {
  if (!s->maker || s->maker_n != n || s->maker_indexed != indexed) return 0;
  const char *z = s->maker_names;
  for (int i = 0; i < n; i++) {
    const char *name = lode_column_name(s->stmt, i);
    if (!name) name = "";
    if (strcmp(z, name) != 0) return 0;
    z += strlen(z) + 1;
  }
  return 1;
}

/* A row maker for keys[0..n-1] from makeRowMaker; NULL with an exception
** pending on failure. */
static napi_value new_maker(napi_env env, napi_value *keys, int n, int indexed) {
  AddonState *st = NULL;
  napi_value make, args[2], undef, maker;
  NAPI_OK(napi_get_instance_data(env, (void **)&st));
  if (!st || !st->make_row_maker) {
    napi_throw_error(env, NULL, "lodedb: the addon was not initialized");
    return NULL;
  }
  NAPI_OK(napi_get_reference_value(env, st->make_row_maker, &make));
  NAPI_OK(napi_create_array_with_length(env, (size_t)n, &args[0]));
  for (int i = 0; i < n; i++) NAPI_OK(napi_set_element(env, args[0], (uint32_t)i, keys[i]));
  NAPI_OK(napi_get_boolean(env, indexed, &args[1]));
  NAPI_OK(napi_get_undefined(env, &undef));
  NAPI_OK(napi_call_function(env, undef, make, 2, args, &maker));
  return maker;
}

/* The statement's row maker for its current column names, made (or remade
** after a re-prepare changed them, or for the other indexed) here.  NULL
** with an exception pending. */
static napi_value stmt_maker(napi_env env, StmtHandle *s, int n, int indexed, napi_value *keys) {
  napi_value maker;
  if (maker_fits(s, n, indexed)) {
    NAPI_OK(napi_get_reference_value(env, s->maker, &maker));
    return maker;
  }
  stmt_forget_maker(env, s);
  size_t bytes = 0;
  for (int i = 0; i < n; i++) {
    const char *name = lode_column_name(s->stmt, i);
    bytes += strlen(name ? name : "") + 1;
  }
  char *names = malloc(bytes ? bytes : 1);
  if (!names) return throw_nomem(env);
  char *z = names;
  for (int i = 0; i < n; i++) {
    const char *name = lode_column_name(s->stmt, i);
    size_t len = strlen(name ? name : "") + 1;
    memcpy(z, name ? name : "", len);
    z += len;
    if (napi_create_string_utf8(env, name ? name : "", NAPI_AUTO_LENGTH, &keys[i]) != napi_ok) {
      free(names);
      return NULL;
    }
  }
  maker = new_maker(env, keys, n, indexed);
  if (!maker || napi_create_reference(env, maker, 1, &s->maker) != napi_ok) {
    free(names);
    return NULL;
  }
  s->maker_names = names;
  s->maker_n = n;
  s->maker_indexed = indexed;
  return maker;
}

/* An EXPAND row: { table: { column: value } }, columns that read no table
** straight under "$" (as better-sqlite3's expand()). */
static napi_value expanded_row(napi_env env, lode_stmt *stmt, int mode, int n) {
  napi_value row, nested, v, key;
  NAPI_OK(napi_create_object(env, &row));
  for (int i = 0; i < n; i++) {
    const char *table = lode_column_table_name(stmt, i);
    const char *name = lode_column_name(stmt, i);
    bool has = false;
    if (!table) table = "$";
    if (!(v = column_value(env, stmt, i, mode))) return NULL;
    NAPI_OK(napi_create_string_utf8(env, table, NAPI_AUTO_LENGTH, &key));
    NAPI_OK(napi_has_own_property(env, row, key, &has));
    if (has) {
      NAPI_OK(napi_get_property(env, row, key, &nested));
    } else {
      NAPI_OK(napi_create_object(env, &nested));
      NAPI_OK(napi_set_property(env, row, key, nested));
    }
    NAPI_OK(napi_set_named_property(env, nested, name ? name : "", v));
  }
  return row;
}

/* One row: the first column (PLUCK), an array (RAW), nested objects
** (EXPAND), or an object made by maker (or, without one, key by key from
** keys). */
static napi_value make_row(napi_env env, lode_stmt *stmt, int mode, int n, napi_value maker, napi_value *keys) {
  napi_value row;
  if (mode & ROW_EXPAND) return expanded_row(env, stmt, mode, n);
  if (mode & ROW_PLUCK) {
    if (n > 0) return column_value(env, stmt, 0, mode);
    NAPI_OK(napi_get_null(env, &row));
    return row;
  }
  if (mode & ROW_RAW) {
    NAPI_OK(napi_create_array_with_length(env, (size_t)n, &row));
    for (int i = 0; i < n; i++) {
      napi_value v = column_value(env, stmt, i, mode);
      if (!v) return NULL;
      NAPI_OK(napi_set_element(env, row, (uint32_t)i, v));
    }
    return row;
  }
  if (maker) {
    napi_value vals[MAKER_MAX], undef;
    for (int i = 0; i < n; i++) {
      vals[i] = column_value(env, stmt, i, mode);
      if (!vals[i]) return NULL;
    }
    NAPI_OK(napi_get_undefined(env, &undef));
    NAPI_OK(napi_call_function(env, undef, maker, (size_t)n, vals, &row));
    return row;
  }
  NAPI_OK(napi_create_object(env, &row));
  for (int i = 0; i < n; i++) {
    napi_value v = column_value(env, stmt, i, mode);
    if (!v) return NULL;
    NAPI_OK(napi_set_property(env, row, keys[i], v));
    if (mode & ROW_INDEXED) {
      /* not enumerable (writable and configurable, as Turso's) */
      char index[16];
      snprintf(index, sizeof index, "%d", i);
      napi_property_descriptor d = {index, NULL, NULL, NULL, NULL, v, napi_writable | napi_configurable, NULL};
      NAPI_OK(napi_define_properties(env, row, 1, &d));
    }
  }
  return row;
}

/* Tells walHook's function of the commits made since it last ran; it runs
** here, once the engine call has returned, never inside a step.  What it
** throws is dropped: the statement's own outcome is what the caller gets. */
static void commit_notify(napi_env env, DbHandle *h) {
  if (!h->committed) return;
  h->committed = 0;
  napi_value fn, undef, ignored;
  if (!h->on_commit || napi_get_reference_value(env, h->on_commit, &fn) != napi_ok || !fn) return;
  if (napi_get_undefined(env, &undef) != napi_ok) return;
  if (napi_call_function(env, undef, fn, 0, NULL, &ignored) == napi_pending_exception) {
    napi_value e;
    napi_get_and_clear_last_exception(env, &e);
  }
}

/* ---- query timeout ------------------------------------------------------ */

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The progress handler: stops the statement (LODE_INTERRUPT) once the
** running call has outlived its deadline. */
static int deadline_passed(void *arg) {
  const DbHandle *h = arg;
  return h->deadline != 0 && now_ns() >= h->deadline;
}

/* Starts the clock of one call into the engine (run, get, all, one step of
** an iteration, exec). */
static void arm_deadline(DbHandle *h) {
  h->deadline = h->timeout_ms > 0 ? now_ns() + (int64_t)h->timeout_ms * 1000000 : 0;
}

/* Progress checks run about every this many VM instructions; a clock read
** each time costs well under 1% of the work between them. */
#define DEADLINE_EVERY 1000

/* queryTimeout(db, ms): each later call into the engine on db stops with
** SQLITE_INTERRUPT "interrupted" after ms milliseconds (0: no limit).  The
** handler is installed at the first timeout and stays. */
static napi_value js_query_timeout(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  NAPI_OK(get_args(env, info, 2, argv));
  DbHandle *h = arg_db(env, argv[0]);
  if (!h) return NULL;
  h->timeout_ms = arg_int(env, argv[1]);
  if (h->timeout_ms < 0) h->timeout_ms = 0;
  if (h->timeout_ms > 0 && !h->watching) {
    lode_progress_handler(h->db, DEADLINE_EVERY, deadline_passed, h);
    h->watching = 1;
  }
  return NULL;
}

/* Steps once: 1 row, 0 done (statement reset), -1 error thrown. */
static int step_once(napi_env env, StmtHandle *s) {
  lode_stmt *stmt = s->stmt;
  clear_pending(env);
  int rc = lode_step(stmt);
  if (rc == LODE_ROW) return 1;
  if (rc == LODE_DONE) {
    lode_reset(stmt);
    commit_notify(env, s->db);
    return 0;
  }
  throw_db(env, lode_db_handle(stmt), rc);
  lode_reset(stmt);
  return -1;
}

typedef struct RowCtx {
  StmtHandle *s;
  int mode;
  int n;
  napi_value maker; /* set by row_ctx_shape for object rows up to MAKER_MAX columns */
  napi_value batch; /* maker.batch (see row_ctx_batch), or NULL */
  int per;          /* rows one call of batch builds */
  napi_value *keys;
  napi_value small[MAKER_MAX];
} RowCtx;

/* Parses (stmt, mode, named?, ...values) and binds when they are given. */
static int row_ctx_init(napi_env env, napi_callback_info info, RowCtx *c) {
  CallArgs a;
  int ok = 0;
  c->n = 0;
  c->maker = NULL;
  c->batch = NULL;
  c->per = 0;
  c->keys = c->small;
  if (call_args(env, info, &a) && (c->s = arg_stmt(env, a.argv[0]))) {
    c->mode = arg_int(env, a.argv[1]);
    arm_deadline(c->s->db);
    ok = bind_if_given(env, c->s, &a);
  }
  call_args_done(&a);
  return ok;
}

static void row_ctx_done(RowCtx *c) {
  if (c->keys != c->small) free(c->keys);
}

/* Gets ready to build rows once the first step has produced one: the column
** count (a step may re-prepare the statement after a schema change, with
** other columns), and for object rows the row maker, or the keys for rows
** too wide for one (heap only for those).  0 with an exception pending. */
static int row_ctx_shape(napi_env env, RowCtx *c) {
  c->n = lode_column_count(c->s->stmt);
  if (c->mode & (ROW_RAW | ROW_PLUCK | ROW_EXPAND)) return 1;
  if (c->n > MAKER_MAX) {
    if (c->keys == c->small) c->keys = malloc(sizeof(napi_value) * (size_t)c->n);
    if (!c->keys) {
      c->keys = c->small;
      throw_nomem(env);
      return 0;
    }
  }
  if (c->n <= MAKER_MAX) return (c->maker = stmt_maker(env, c->s, c->n, (c->mode & ROW_INDEXED) != 0, c->keys)) != NULL;
  return column_keys(env, c->s->stmt, c->n, c->keys);
}

static napi_value undefined_value(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

/* Steps once and returns the row, or undefined when done. */
static napi_value row_or_undefined(napi_env env, RowCtx *c, int reset_after) {
  napi_value row = NULL;
  int r = step_once(env, c->s);
  if (r == 1) {
    if (!row_ctx_shape(env, c)) {
      lode_reset(c->s->stmt);
      return NULL;
    }
    row = make_row(env, c->s->stmt, c->mode, c->n, c->maker, c->keys);
    if (reset_after || !row) lode_reset(c->s->stmt);
  } else if (r == 0) {
    row = undefined_value(env);
  }
  return row;
}

static napi_value js_step(napi_env env, napi_callback_info info) {
  RowCtx c;
  if (!row_ctx_init(env, info, &c)) return NULL;
  napi_value row = row_or_undefined(env, &c, 0);
  row_ctx_done(&c);
  return row;
}

static napi_value js_get(napi_env env, napi_callback_info info) {
  RowCtx c;
  if (!row_ctx_init(env, info, &c)) return NULL;
  ensure_reset(c.s->stmt);
  napi_value row = row_or_undefined(env, &c, 1);
  row_ctx_done(&c);
  return row;
}

/* Object rows for all() and rows() come from the maker's batch function,
** batch(out, k, v0, v1, …), which pushes k rows made from the values to out
** (at most maker.batchRows rows, BATCH_VALUES values, per call; see
** js/row-maker.mjs): one call into JS per batch of rows, and no element set
** through Node-API per row, where a call of the maker per row costs more
** than building the row.  Without one (no maker, or not a function) rows
** are made one by one. */
#define BATCH_VALUES 64

static int row_ctx_batch(napi_env env, RowCtx *c) {
  napi_value fn, per;
  napi_valuetype t;
  int32_t k = 0;
  if (!c->maker) return 1;
  if (napi_get_named_property(env, c->maker, "batch", &fn) != napi_ok) return 0;
  if (napi_typeof(env, fn, &t) != napi_ok) return 0;
  if (t != napi_function) return 1;
  if (napi_get_named_property(env, c->maker, "batchRows", &per) != napi_ok) return 0;
  if (napi_get_value_int32(env, per, &k) != napi_ok || k < 1 || (int64_t)k * c->n > BATCH_VALUES) return 1;
  c->batch = fn;
  c->per = k;
  return 1;
}

/* Pushes the k rows whose values are in argv[2..] to out. */
static int batch_flush(napi_env env, RowCtx *c, napi_value out, napi_value *argv, int k) {
  napi_value undef, ignored;
  argv[0] = out;
  if (napi_create_int32(env, k, &argv[1]) != napi_ok || napi_get_undefined(env, &undef) != napi_ok) return 0;
  return napi_call_function(env, undef, c->batch, (size_t)(2 + k * c->n), argv, &ignored) == napi_ok;
}

/* Steps up to max rows (max < 0: every row) into rows; 1 when the statement
** ran to its end (and was reset), 0 when max rows were read, -1 on an error
** (thrown, the statement reset), with every row read before it in rows. */
static int collect_rows(napi_env env, RowCtx *c, napi_value rows, int64_t max) {
  napi_value argv[2 + BATCH_VALUES], exc;
  uint32_t count = 0;
  int k = 0, end = 0;
  while (max < 0 || count < max) {
    int r = step_once(env, c->s);
    if (r < 0) goto failed;
    if (r == 0) {
      end = 1;
      break;
    }
    if (count == 0 && (!row_ctx_shape(env, c) || !row_ctx_batch(env, c))) goto fail;
    if (c->batch) {
      napi_value *v = &argv[2 + k * c->n];
      for (int i = 0; i < c->n; i++)
        if (!(v[i] = column_value(env, c->s->stmt, i, c->mode))) goto fail;
      count++;
      if (++k == c->per) {
        if (!batch_flush(env, c, rows, argv, k)) goto fail;
        k = 0;
      }
      continue;
    }
    napi_value row = make_row(env, c->s->stmt, c->mode, c->n, c->maker, c->keys);
    if (!row || napi_set_element(env, rows, count++, row) != napi_ok) goto fail;
  }
  if (k && !batch_flush(env, c, rows, argv, k)) goto fail;
  return end;
fail:
  lode_reset(c->s->stmt);
failed:
  /* the rows read before the failure still go to rows, then it is thrown again */
  if (k && napi_get_and_clear_last_exception(env, &exc) == napi_ok) {
    batch_flush(env, c, rows, argv, k);
    napi_throw(env, exc);
  }
  return -1;
}

static napi_value js_all(napi_env env, napi_callback_info info) {
  RowCtx c;
  napi_value rows = NULL;
  if (!row_ctx_init(env, info, &c)) return NULL;
  ensure_reset(c.s->stmt);
  if (napi_create_array(env, &rows) != napi_ok || collect_rows(env, &c, rows, -1) < 0) rows = NULL;
  row_ctx_done(&c);
  return rows;
}

/* rows(stmt, max, mode) → up to max rows of an iteration, as step() would
** give them one by one; fewer than max (maybe none) once the rows have run
** out, the statement then reset.  An error after some rows were read leaves
** them in the array and the error in its .error (the statement reset), so
** that the rows before it are still delivered first. */
static napi_value js_rows(napi_env env, napi_callback_info info) {
  napi_value argv[3], rows, exc;
  RowCtx c;
  int32_t max = 0;
  bool pending = false;
  NAPI_OK(get_args(env, info, 3, argv));
  c.s = arg_stmt(env, argv[0]);
  if (!c.s) return NULL;
  NAPI_OK(napi_get_value_int32(env, argv[1], &max));
  c.mode = arg_int(env, argv[2]);
  c.n = 0;
  c.maker = NULL;
  c.batch = NULL;
  c.per = 0;
  c.keys = c.small;
  arm_deadline(c.s->db);
  if (napi_create_array(env, &rows) != napi_ok) return NULL;
  int r = collect_rows(env, &c, rows, max < 1 ? 1 : max);
  row_ctx_done(&c);
  if (r >= 0) return rows;
  uint32_t got = 0;
  if (napi_is_exception_pending(env, &pending) != napi_ok || !pending) return NULL;
  NAPI_OK(napi_get_and_clear_last_exception(env, &exc));
  if (napi_get_array_length(env, rows, &got) != napi_ok || got == 0 ||
      napi_set_named_property(env, rows, "error", exc) != napi_ok) {
    napi_throw(env, exc);
    return NULL;
  }
  return rows;
}

static napi_value int64_value(napi_env env, lode_int64 x, int mode) {
  napi_value v;
  if (mode & ROW_SAFE_INT) NAPI_OK(napi_create_bigint_int64(env, x, &v));
  else NAPI_OK(napi_create_double(env, (double)x, &v));
  return v;
}

/* run(stmt, mode, named?, ...values): runs the statement to its end and
** leaves its changes and the connection's last rowid in run_out.  changes
** counts only this statement's work: an unchanged total means 0. */
static napi_value js_run(napi_env env, napi_callback_info info) {
  CallArgs a;
  AddonState *st = NULL;
  StmtHandle *s = NULL;
  int ok = call_args(env, info, &a) && napi_get_instance_data(env, (void **)&st) == napi_ok && st &&
           (s = arg_stmt(env, a.argv[0])) && bind_if_given(env, s, &a);
  call_args_done(&a);
  if (!ok) return NULL;
  lode *db = s->db->db;
  ensure_reset(s->stmt);
  arm_deadline(s->db);
  lode_int64 before = lode_total_changes(db);
  int r;
  while ((r = step_once(env, s)) == 1) {
  }
  if (r < 0) return NULL;
  lode_int64 n = lode_total_changes(db) == before ? 0 : lode_changes(db);
  lode_int64 rowid = lode_last_insert_rowid(db);
  st->run_out[RUN_CHANGES] = (double)n;
  st->run_out[RUN_ROWID] = (double)rowid;
  memcpy(&st->run_out[RUN_ROWID_INT64], &rowid, sizeof rowid);
  return NULL;
}

/* ---- connections -------------------------------------------------------- */

static napi_value js_open(napi_env env, napi_callback_info info) {
  napi_value argv[2], ext;
  NAPI_OK(get_args(env, info, 2, argv));
  char *path = arg_string(env, argv[0], NULL);
  if (!path) return NULL;
  int flags = arg_int(env, argv[1]);
  if (!flags) flags = LODE_OPEN_READWRITE | LODE_OPEN_CREATE;
  lode *db = NULL;
  int rc = lode_open_v2(path, &db, flags, NULL);
  free(path);
  if (rc != LODE_OK) {
    throw_db(env, db, rc);
    if (db) lode_close(db);
    return NULL;
  }
  DbHandle *h = calloc(1, sizeof *h);
  if (!h) {
    lode_close(db);
    return throw_nomem(env);
  }
  h->db = db;
  h->js_alive = 1;
  if (napi_create_external(env, h, db_external_gone, NULL, &ext) != napi_ok) {
    lode_close(db);
    free(h);
    return NULL;
  }
  return ext;
}

static napi_value js_close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  DbHandle *h = NULL;
  NAPI_OK(get_args(env, info, 1, argv));
  if (napi_get_value_external(env, argv[0], (void **)&h) != napi_ok || !h || !h->db) return NULL;
  db_finalize_all(h);
  int rc = lode_close(h->db);
  if (rc != LODE_OK) return throw_db(env, h->db, rc);
  h->db = NULL;
  if (h->on_commit) napi_delete_reference(env, h->on_commit);
  h->on_commit = NULL;
  return NULL;
}

static napi_value js_exec(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  NAPI_OK(get_args(env, info, 2, argv));
  DbHandle *h = arg_db(env, argv[0]);
  if (!h) return NULL;
  char *sql = arg_string(env, argv[1], NULL);
  if (!sql) return NULL;
  char *err = NULL;
  clear_pending(env);
  arm_deadline(h);
  int rc = lode_exec(h->db, sql, &err);
  free(sql);
  if (rc == LODE_OK) {
    lode_free(err);
    commit_notify(env, h);
    return NULL;
  }
  if (!throw_pending(env)) {
    int raw = lode_extended_errcode(h->db);
    throw_sqlite(env, err ? err : lode_errmsg(h->db), raw ? raw : rc);
  }
  lode_free(err);
  /* The statements before the failing one may have committed: the next
  ** call that steps tells of them (an exception is pending here). */
  return NULL;
}

static napi_value wrap_stmt(napi_env env, DbHandle *h, lode_stmt *stmt) {
  napi_value ext;
  StmtHandle *s = calloc(1, sizeof *s);
  if (!s) {
    lode_finalize(stmt);
    return throw_nomem(env);
  }
  s->stmt = stmt;
  s->db = h;
  s->next = h->stmts;
  if (h->stmts) h->stmts->prev = s;
  h->stmts = s;
  h->refs++;
  if (napi_create_external(env, s, stmt_external_gone, NULL, &ext) != napi_ok) return NULL;
  int64_t now;
  if (napi_adjust_external_memory(env, STMT_EXTERNAL_BYTES, &now) == napi_ok) s->charged = 1;
  return ext;
}

/* 1 if z..end holds only spaces, semicolons and comments. */
static int only_space_and_comments(const char *z, const char *end) {
  while (z < end) {
    if (*z == ' ' || *z == '\t' || *z == '\n' || *z == '\r' || *z == '\f' || *z == ';') {
      z++;
    } else if (z + 1 < end && z[0] == '-' && z[1] == '-') {
      while (z < end && *z != '\n') z++;
    } else if (z + 1 < end && z[0] == '/' && z[1] == '*') {
      z += 2;
      while (z + 1 < end && !(z[0] == '*' && z[1] == '/')) z++;
      z = z + 1 < end ? z + 2 : end;
    } else {
      return 0;
    }
  }
  return 1;
}

static napi_value js_prepare(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  NAPI_OK(get_args(env, info, 2, argv));
  DbHandle *h = arg_db(env, argv[0]);
  if (!h) return NULL;
  size_t n = 0;
  char *sql = arg_string(env, argv[1], &n);
  if (!sql) return NULL;
  lode_stmt *stmt = NULL;
  const char *tail = NULL;
  int rc = n > INT32_MAX ? LODE_TOOBIG : lode_prepare(h->db, sql, (int)n, &stmt, &tail);
  int more = rc == LODE_OK && stmt && tail && !only_space_and_comments(tail, sql + n);
  free(sql);
  if (rc != LODE_OK) return throw_db(env, h->db, rc);
  if (!stmt) {
    napi_throw_range_error(env, NULL, "The supplied SQL string contains no statements");
    return NULL;
  }
  if (more) { /* prepare() takes exactly one statement, as in better-sqlite3 */
    lode_finalize(stmt);
    napi_throw_range_error(env, NULL, "The supplied SQL string contains more than one statement");
    return NULL;
  }
  return wrap_stmt(env, h, stmt);
}

/* ---- small accessors ---------------------------------------------------- */

static napi_value js_finalize(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  StmtHandle *s = NULL;
  NAPI_OK(get_args(env, info, 1, argv));
  if (napi_get_value_external(env, argv[0], (void **)&s) == napi_ok && s && s->stmt) {
    lode_finalize(s->stmt);
    s->stmt = NULL;
    stmt_forget_maker(env, s);
    stmt_discharge(env, s);
  }
  return NULL;
}

static napi_value js_reset(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  NAPI_OK(get_args(env, info, 1, argv));
  StmtHandle *s = arg_stmt(env, argv[0]);
  if (s) lode_reset(s->stmt);
  return NULL;
}

static napi_value set_name_or_null(napi_env env, napi_value obj, const char *key, const char *z, napi_value nul) {
  napi_value v = nul;
  if (z) NAPI_OK(napi_create_string_utf8(env, z, NAPI_AUTO_LENGTH, &v));
  NAPI_OK(napi_set_named_property(env, obj, key, v));
  return v;
}

/* columns(stmt): [{name, column, table, database, type}], the origin names
** null where the column reads no table straight (as better-sqlite3). */
static napi_value js_columns(napi_env env, napi_callback_info info) {
  napi_value argv[1], arr, nul;
  NAPI_OK(get_args(env, info, 1, argv));
  StmtHandle *s = arg_stmt(env, argv[0]);
  if (!s) return NULL;
  int n = lode_column_count(s->stmt);
  NAPI_OK(napi_create_array_with_length(env, (size_t)n, &arr));
  NAPI_OK(napi_get_null(env, &nul));
  for (int i = 0; i < n; i++) {
    napi_value col, name, type = nul;
    const char *z = lode_column_name(s->stmt, i);
    const char *t = lode_column_decltype(s->stmt, i);
    NAPI_OK(napi_create_object(env, &col));
    NAPI_OK(napi_create_string_utf8(env, z ? z : "", NAPI_AUTO_LENGTH, &name));
    if (t) NAPI_OK(napi_create_string_utf8(env, t, NAPI_AUTO_LENGTH, &type));
    NAPI_OK(napi_set_named_property(env, col, "name", name));
    if (!set_name_or_null(env, col, "column", lode_column_origin_name(s->stmt, i), nul)) return NULL;
    if (!set_name_or_null(env, col, "table", lode_column_table_name(s->stmt, i), nul)) return NULL;
    if (!set_name_or_null(env, col, "database", lode_column_database_name(s->stmt, i), nul)) return NULL;
    NAPI_OK(napi_set_named_property(env, col, "type", type));
    NAPI_OK(napi_set_element(env, arr, (uint32_t)i, col));
  }
  return arr;
}

static napi_value bool_value(napi_env env, int b) {
  napi_value v;
  NAPI_OK(napi_get_boolean(env, b != 0, &v));
  return v;
}

/* strictBind(stmt): better-sqlite3's binding rules from now on (see
** bind_all_strict). */
static napi_value js_strict_bind(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  NAPI_OK(get_args(env, info, 1, argv));
  StmtHandle *s = arg_stmt(env, argv[0]);
  if (s) {
    s->strict_bind = 1;
    s->named_params = -1;
  }
  return NULL;
}

static napi_value js_reader(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  NAPI_OK(get_args(env, info, 1, argv));
  StmtHandle *s = arg_stmt(env, argv[0]);
  return s ? bool_value(env, lode_column_count(s->stmt) > 0) : NULL;
}

static napi_value js_readonly(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  NAPI_OK(get_args(env, info, 1, argv));
  StmtHandle *s = arg_stmt(env, argv[0]);
  return s ? bool_value(env, lode_stmt_readonly(s->stmt)) : NULL;
}

static napi_value js_in_transaction(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  NAPI_OK(get_args(env, info, 1, argv));
  DbHandle *h = arg_db(env, argv[0]);
  return h ? bool_value(env, !lode_get_autocommit(h->db)) : NULL;
}

static napi_value js_changes(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  NAPI_OK(get_args(env, info, 1, argv));
  DbHandle *h = arg_db(env, argv[0]);
  return h ? int64_value(env, lode_changes(h->db), 0) : NULL;
}

static napi_value js_total_changes(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  NAPI_OK(get_args(env, info, 1, argv));
  DbHandle *h = arg_db(env, argv[0]);
  return h ? int64_value(env, lode_total_changes(h->db), 0) : NULL;
}

static napi_value js_last_insert_rowid(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  NAPI_OK(get_args(env, info, 2, argv));
  DbHandle *h = arg_db(env, argv[0]);
  return h ? int64_value(env, lode_last_insert_rowid(h->db), arg_int(env, argv[1])) : NULL;
}

static napi_value js_version(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value v;
  NAPI_OK(napi_create_string_utf8(env, lode_libversion(), NAPI_AUTO_LENGTH, &v));
  return v;
}

/* ---- application-defined functions ---------------------------------------
**
** createFunction(db, name, nargs, flags, safe, fn)  fn(...args) → result
** createAggregate(db, name, nargs, flags, safe, window, start, step, inverse, result)
**   start() → state object (one per group), step(state, ...args),
**   inverse(state, ...args), result(state) → result; js/core.mjs holds
**   better-sqlite3's accumulator rules, C only keeps each group's state.
**
** A JS exception thrown by a callback (or an invalid result) fails the SQL
** call with a placeholder message and is kept in AddonState.pending; the
** step that failed then rethrows that original exception instead of an
** SqliteError, as better-sqlite3 does.  Results: number → REAL (NaN NULL),
** bigint → INTEGER (RangeError when it does not fit), string → TEXT,
** typed array or DataView → BLOB, null/undefined → NULL; anything else is a
** TypeError "User-defined function f() returned an invalid value". */

typedef struct FuncData {
  napi_env env;
  char *name;
  int safe; /* INTEGER arguments as BigInt */
  napi_ref fn, start, step, inverse, result;
} FuncData;

typedef struct GroupState {
  napi_ref state; /* the group's JS state object, NULL before its first call */
  int valued;     /* result() has given a window row its value */
  int failed;     /* a callback threw or returned an invalid value */
} GroupState;

static void unref(napi_env env, napi_ref *r) {
  if (*r) napi_delete_reference(env, *r);
  *r = NULL;
}

static void func_data_free(void *p) {
  FuncData *f = p;
  unref(f->env, &f->fn);
  unref(f->env, &f->start);
  unref(f->env, &f->step);
  unref(f->env, &f->inverse);
  unref(f->env, &f->result);
  free(f->name);
  free(f);
}

/* Keeps the exception now pending in env for the failing step to rethrow. */
static void keep_pending(napi_env env) {
  AddonState *st = NULL;
  napi_value exc;
  napi_get_instance_data(env, (void **)&st);
  if (napi_get_and_clear_last_exception(env, &exc) == napi_ok && st) {
    unref(env, &st->pending);
    napi_create_reference(env, exc, 1, &st->pending);
  }
}

/* Keeps the pending exception and fails the SQL call. */
static void func_fail(napi_env env, lode_context *ctx) {
  keep_pending(env);
  lode_result_error(ctx, "a user-defined function raised an exception", -1);
}

/* Whose value was wrong, for set_result's messages: "<prefix of name> <what>". */
#define FUNC_RETURNED "User-defined function %.300s() returned"
#define VTAB_YIELDED "Virtual table module \"%.300s\" yielded"

static void func_fail_with(napi_env env, lode_context *ctx, int range, const char *who, const char *name,
                           const char *what) {
  char msg[400];
  int n = snprintf(msg, sizeof msg, who, name);
  if (n > 0 && (size_t)n < sizeof msg) snprintf(msg + n, sizeof msg - (size_t)n, " %s", what);
  if (range) napi_throw_range_error(env, NULL, msg);
  else napi_throw_type_error(env, NULL, msg);
  func_fail(env, ctx);
}

static napi_value arg_value(napi_env env, lode_value *v, int safe) {
  napi_value out = NULL;
  switch (lode_value_type(v)) {
  case LODE_INTEGER:
    if (safe) napi_create_bigint_int64(env, lode_value_int64(v), &out);
    else napi_create_double(env, (double)lode_value_int64(v), &out);
    break;
  case LODE_FLOAT: napi_create_double(env, lode_value_double(v), &out); break;
  case LODE_TEXT: {
    const char *z = (const char *)lode_value_text(v);
    napi_create_string_utf8(env, z ? z : "", z ? (size_t)lode_value_bytes(v) : 0, &out);
    break;
  }
  case LODE_BLOB: {
    const void *p = lode_value_blob(v);
    int n = lode_value_bytes(v);
    void *copy;
    napi_create_buffer_copy(env, p ? (size_t)n : 0, p ? p : "", &copy, &out);
    break;
  }
  default: napi_get_null(env, &out);
  }
  return out;
}

/* Sets the SQL result from a JS value; 0 with the call failed. */
static int set_result(napi_env env, lode_context *ctx, const char *who, const char *name, napi_value v) {
  napi_valuetype t;
  bool is = false;
  if (napi_typeof(env, v, &t) != napi_ok) return func_fail(env, ctx), 0;
  switch (t) {
  case napi_null: case napi_undefined: lode_result_null(ctx); return 1;
  case napi_number: {
    double d = 0;
    napi_get_value_double(env, v, &d);
    lode_result_double(ctx, d);
    return 1;
  }
  case napi_bigint: {
    int64_t x = 0;
    bool lossless = false;
    napi_get_value_bigint_int64(env, v, &x, &lossless);
    if (!lossless) return func_fail_with(env, ctx, 1, who, name, "a bigint that was too big"), 0;
    lode_result_int64(ctx, x);
    return 1;
  }
  case napi_string: {
    size_t n = 0;
    char *z = arg_string(env, v, &n);
    if (!z) return func_fail(env, ctx), 0;
    if (n > INT32_MAX) lode_result_error_code(ctx, LODE_TOOBIG);
    else lode_result_text(ctx, z, (int)n, LODE_TRANSIENT);
    free(z);
    return 1;
  }
  case napi_object: {
    void *data = NULL;
    size_t length = 0, offset = 0, elem = 1;
    napi_value ab;
    if (napi_is_typedarray(env, v, &is) == napi_ok && is) {
      napi_typedarray_type type;
      napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &offset);
      switch (type) {
      case napi_int16_array: case napi_uint16_array: elem = 2; break;
      case napi_int32_array: case napi_uint32_array: case napi_float32_array: elem = 4; break;
      case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: elem = 8; break;
      default: elem = 1;
      }
    } else if (napi_is_dataview(env, v, &is) == napi_ok && is) {
      napi_get_dataview_info(env, v, &length, &data, &ab, &offset);
    } else {
      break;
    }
    length *= elem;
    if (length > INT32_MAX) lode_result_error_code(ctx, LODE_TOOBIG);
    else lode_result_blob(ctx, length ? data : "", (int)length, LODE_TRANSIENT);
    return 1;
  }
  default: break;
  }
  func_fail_with(env, ctx, 0, who, name, "an invalid value");
  return 0;
}

/* Calls fn(first?, ...argv) and returns its result, NULL with the call failed. */
static napi_value call_js(napi_env env, lode_context *ctx, const FuncData *f, napi_ref fn, napi_value first,
                          int argc, lode_value **argv) {
  napi_value small[8], *args = small, func, recv, out = NULL;
  size_t n = (size_t)argc + (first ? 1 : 0);
  if (n > sizeof small / sizeof small[0] && !(args = malloc(n * sizeof *args))) {
    lode_result_error_code(ctx, LODE_NOMEM);
    return NULL;
  }
  size_t k = 0;
  if (first) args[k++] = first;
  for (int i = 0; i < argc; i++) args[k++] = arg_value(env, argv[i], f->safe);
  napi_get_undefined(env, &recv);
  if (napi_get_reference_value(env, fn, &func) != napi_ok ||
      napi_call_function(env, recv, func, n, args, &out) != napi_ok) {
    out = NULL;
    func_fail(env, ctx);
  }
  if (args != small) free(args);
  return out;
}

static void udf_scalar(lode_context *ctx, int argc, lode_value **argv) {
  FuncData *f = lode_user_data(ctx);
  napi_handle_scope scope;
  napi_open_handle_scope(f->env, &scope);
  napi_value out = call_js(f->env, ctx, f, f->fn, NULL, argc, argv);
  if (out) set_result(f->env, ctx, FUNC_RETURNED, f->name, out);
  napi_close_handle_scope(f->env, scope);
}

/* The group's state object, made by start() at the group's first call. */
static napi_value group_state(napi_env env, lode_context *ctx, const FuncData *f, GroupState **out) {
  GroupState *g = lode_aggregate_context(ctx, sizeof *g);
  napi_value state = NULL, func, recv;
  *out = g;
  if (!g) {
    lode_result_error_code(ctx, LODE_NOMEM);
    return NULL;
  }
  if (g->state) {
    if (napi_get_reference_value(env, g->state, &state) != napi_ok) return func_fail(env, ctx), NULL;
    return state;
  }
  napi_get_undefined(env, &recv);
  if (g->failed) return NULL; /* start() threw: not called again */
  if (napi_get_reference_value(env, f->start, &func) != napi_ok ||
      napi_call_function(env, recv, func, 0, NULL, &state) != napi_ok ||
      napi_create_reference(env, state, 1, &g->state) != napi_ok) {
    g->failed = 1;
    func_fail(env, ctx);
    return NULL;
  }
  return state;
}

static void agg_call(lode_context *ctx, int argc, lode_value **argv, int inverse) {
  FuncData *f = lode_user_data(ctx);
  napi_env env = f->env;
  napi_handle_scope scope;
  GroupState *g;
  napi_open_handle_scope(env, &scope);
  napi_value state = group_state(env, ctx, f, &g);
  if (state && !call_js(env, ctx, f, inverse ? f->inverse : f->step, state, argc, argv)) g->failed = 1;
  napi_close_handle_scope(env, scope);
}

static void udf_step(lode_context *ctx, int argc, lode_value **argv) { agg_call(ctx, argc, argv, 0); }
static void udf_inverse(lode_context *ctx, int argc, lode_value **argv) { agg_call(ctx, argc, argv, 1); }

/* As better-sqlite3 does: once a callback of the group has failed, nothing
** more is called for it, and the final call of a group used as a window
** function (its rows got their values from result() already) only frees
** the state. */
static void agg_result(lode_context *ctx, int last) {
  FuncData *f = lode_user_data(ctx);
  napi_env env = f->env;
  napi_handle_scope scope;
  GroupState *g = lode_aggregate_context(ctx, 0);
  napi_open_handle_scope(env, &scope);
  if (!g || !(g->failed || (last && g->valued))) {
    napi_value state = group_state(env, ctx, f, &g);
    napi_value out = state ? call_js(env, ctx, f, f->result, state, 0, NULL) : NULL;
    if (!out || !set_result(env, ctx, FUNC_RETURNED, f->name, out)) {
      if (g) g->failed = 1;
    } else if (!last && g) {
      g->valued = 1;
    }
  }
  if (last && g) unref(env, &g->state);
  napi_close_handle_scope(env, scope);
}

static void udf_final(lode_context *ctx) { agg_result(ctx, 1); }
static void udf_value(lode_context *ctx) { agg_result(ctx, 0); }

static FuncData *func_data_new(napi_env env, napi_value name) {
  FuncData *f = calloc(1, sizeof *f);
  if (!f) return throw_nomem(env), NULL;
  f->env = env;
  if (!(f->name = arg_string(env, name, NULL))) {
    free(f);
    return NULL;
  }
  return f;
}

static int func_ref(napi_env env, napi_value v, napi_ref *out) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_function) return 1; /* absent */
  return napi_create_reference(env, v, 1, out) == napi_ok;
}

static napi_value register_function(napi_env env, DbHandle *h, FuncData *f, int nargs, int flags, int aggregate,
                                    int window) {
  int rc = lode_create_function(h->db, f->name, nargs, flags, f, aggregate ? NULL : udf_scalar,
                                aggregate ? udf_step : NULL, aggregate ? udf_final : NULL,
                                window ? udf_value : NULL, window ? udf_inverse : NULL, func_data_free);
  if (rc != LODE_OK) return throw_db(env, h->db, rc);
  return NULL;
}

/* The n arguments of a driver call that takes more than MAX_ARGS. */
static int get_many_args(napi_env env, napi_callback_info info, size_t n, napi_value *argv) {
  size_t argc = n;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return 0;
  if (argc < n) {
    napi_throw_type_error(env, NULL, "Too few arguments to a driver call");
    return 0;
  }
  return 1;
}

/* createFunction(db, name, nargs, flags, safe, fn) */
static napi_value js_create_function(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (!get_many_args(env, info, 6, argv)) return NULL;
  DbHandle *h = arg_db(env, argv[0]);
  if (!h) return NULL;
  FuncData *f = func_data_new(env, argv[1]);
  if (!f) return NULL;
  bool safe = false;
  napi_get_value_bool(env, argv[4], &safe);
  f->safe = safe;
  if (!func_ref(env, argv[5], &f->fn)) {
    func_data_free(f);
    return NULL;
  }
  return register_function(env, h, f, arg_int(env, argv[2]), arg_int(env, argv[3]), 0, 0);
}

/* createAggregate(db, name, nargs, flags, safe, window, start, step, inverse, result) */
static napi_value js_create_aggregate(napi_env env, napi_callback_info info) {
  napi_value argv[10];
  if (!get_many_args(env, info, 10, argv)) return NULL;
  DbHandle *h = arg_db(env, argv[0]);
  if (!h) return NULL;
  FuncData *f = func_data_new(env, argv[1]);
  if (!f) return NULL;
  bool safe = false, window = false;
  napi_get_value_bool(env, argv[4], &safe);
  napi_get_value_bool(env, argv[5], &window);
  f->safe = safe;
  if (!func_ref(env, argv[6], &f->start) || !func_ref(env, argv[7], &f->step) ||
      !func_ref(env, argv[8], &f->inverse) || !func_ref(env, argv[9], &f->result)) {
    func_data_free(f);
    return NULL;
  }
  return register_function(env, h, f, arg_int(env, argv[2]), arg_int(env, argv[3]), 1, window);
}

/* ---- virtual tables defined in JavaScript ------------------------------- */
/* Database.table(): a module whose tables come from a JS factory.  When a
** table is connected the factory gets (module, database, table, ...args as
** text) and returns [sql, rows, parameters, safeIntegers, directOnly]: the
** CREATE TABLE the table declares (the parameters first, as HIDDEN
** columns), rows(...parameters) a generator yielding arrays of every
** column's value in that order, the parameter names, whether INTEGERs reach
** it as BigInt, whether SQL in the schema may not use it.  A parameter is
** constrained by = alone, and a plan must give it (or leave it undefined
** when the query does not constrain it at all); a NULL argument means no
** row.  A JS exception in any of these fails the statement and is rethrown
** by it, as a user function's is. */

typedef struct JsModule {
  napi_env env;
  napi_ref factory;
  char *name;
} JsModule;

typedef struct JsVtab {
  sqlite3_vtab base;
  JsModule *mod;
  napi_ref rows;
  int nparams;
  char **params;
  int safe;
} JsVtab;

typedef struct JsCursor {
  sqlite3_vtab_cursor base;
  napi_ref iter, next, row;
  sqlite3_int64 rowid;
  int done;
} JsCursor;

static void js_module_free(void *p) {
  JsModule *m = p;
  unref(m->env, &m->factory);
  free(m->name);
  free(m);
}

/* Keeps the pending JS exception for the statement to rethrow; the engine sees an error. */
static int vtab_js_failed(napi_env env, sqlite3_vtab *vt, char **pz) {
  keep_pending(env);
  char *msg = sqlite3_mprintf("a virtual table defined in JavaScript raised an exception");
  if (pz) {
    *pz = msg;
  } else if (vt) {
    sqlite3_free(vt->zErrMsg);
    vt->zErrMsg = msg;
  } else {
    sqlite3_free(msg);
  }
  return SQLITE_ERROR;
}

static void js_vtab_free(JsVtab *t) {
  if (!t) return;
  napi_env env = t->mod->env;
  unref(env, &t->rows);
  for (int i = 0; i < t->nparams && t->params; i++) free(t->params[i]);
  free(t->params);
  sqlite3_free(t->base.zErrMsg);
  free(t);
}

/* Reads the factory's definition into t and declares the table; 0 with an exception pending. */
static int js_vtab_define(napi_env env, sqlite3 *db, JsVtab *t, napi_value def) {
  napi_value v;
  bool b = false;
  size_t n = 0;
  uint32_t np = 0;
  char *sql;
  if (napi_get_element(env, def, 0, &v) != napi_ok || !(sql = arg_string(env, v, &n))) return 0;
  int rc = sqlite3_declare_vtab(db, sql);
  free(sql);
  if (rc != SQLITE_OK) {
    napi_throw_error(env, NULL, sqlite3_errmsg(db));
    return 0;
  }
  if (napi_get_element(env, def, 1, &v) != napi_ok || napi_create_reference(env, v, 1, &t->rows) != napi_ok) return 0;
  if (napi_get_element(env, def, 2, &v) != napi_ok || napi_get_array_length(env, v, &np) != napi_ok) return 0;
  if (np > JS_VTAB_MAX_PARAMS) {
    napi_throw_range_error(env, NULL, "A virtual table can have at most 32 parameters");
    return 0;
  }
  if (np && !(t->params = calloc(np, sizeof *t->params))) return throw_nomem(env), 0;
  for (uint32_t i = 0; i < np; i++) {
    napi_value name;
    if (napi_get_element(env, v, i, &name) != napi_ok || !(t->params[i] = arg_string(env, name, NULL))) return 0;
    t->nparams = (int)i + 1;
  }
  if (napi_get_element(env, def, 3, &v) != napi_ok || napi_get_value_bool(env, v, &b) != napi_ok) return 0;
  t->safe = b;
  if (napi_get_element(env, def, 4, &v) != napi_ok || napi_get_value_bool(env, v, &b) != napi_ok) return 0;
  if (b) sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  return 1;
}

static int js_vt_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
                         char **pz) {
  JsModule *m = aux;
  napi_env env = m->env;
  napi_handle_scope scope;
  napi_value small[8], *args = small, factory, recv, def;
  JsVtab *t = calloc(1, sizeof *t);
  if (!t) return SQLITE_NOMEM;
  t->mod = m;
  if (argc > (int)(sizeof small / sizeof small[0]) && !(args = malloc(sizeof *args * (size_t)argc))) {
    free(t);
    return SQLITE_NOMEM;
  }
  napi_open_handle_scope(env, &scope);
  int ok = 1;
  for (int i = 0; i < argc && ok; i++) ok = napi_create_string_utf8(env, argv[i], NAPI_AUTO_LENGTH, &args[i]) == napi_ok;
  napi_get_undefined(env, &recv);
  ok = ok && napi_get_reference_value(env, m->factory, &factory) == napi_ok &&
       napi_call_function(env, recv, factory, (size_t)argc, args, &def) == napi_ok && js_vtab_define(env, db, t, def);
  int rc = ok ? SQLITE_OK : vtab_js_failed(env, NULL, pz);
  napi_close_handle_scope(env, scope);
  if (args != small) free(args);
  if (rc != SQLITE_OK) {
    js_vtab_free(t);
    return rc;
  }
  *out = &t->base;
  return SQLITE_OK;
}

/* The same work; being another function than xConnect keeps the module from
** being eponymous (as better-sqlite3's factory modules are not). */
static int js_vt_create(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **pz) {
  return js_vt_connect(db, aux, argc, argv, out, pz);
}

static int js_vt_disconnect(sqlite3_vtab *vt) {
  js_vtab_free((JsVtab *)vt);
  return SQLITE_OK;
}

static int js_vt_best_index(sqlite3_vtab *vt, sqlite3_index_info *info) {
  JsVtab *t = (JsVtab *)vt;
  return js_vtab_plan(vt, info, t->nparams, t->params);
}

static int js_vt_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out) {
  JsCursor *c = calloc(1, sizeof *c);
  (void)vt;
  if (!c) return SQLITE_NOMEM;
  c->done = 1;
  *out = &c->base;
  return SQLITE_OK;
}

static void js_cursor_clear(napi_env env, JsCursor *c) {
  unref(env, &c->iter);
  unref(env, &c->next);
  unref(env, &c->row);
  c->done = 1;
}

static int js_vt_close(sqlite3_vtab_cursor *cur) {
  JsCursor *c = (JsCursor *)cur;
  js_cursor_clear(((JsVtab *)cur->pVtab)->mod->env, c);
  free(c);
  return SQLITE_OK;
}

/* Steps the generator: its next value becomes the row, or the scan ends. */
static int js_cursor_step(napi_env env, JsCursor *c) {
  napi_value iter, next, res, v;
  bool done = false;
  if (napi_get_reference_value(env, c->iter, &iter) != napi_ok ||
      napi_get_reference_value(env, c->next, &next) != napi_ok ||
      napi_call_function(env, iter, next, 0, NULL, &res) != napi_ok ||
      napi_get_named_property(env, res, "done", &v) != napi_ok || napi_coerce_to_bool(env, v, &v) != napi_ok ||
      napi_get_value_bool(env, v, &done) != napi_ok)
    return 0;
  unref(env, &c->row);
  if (done) {
    c->done = 1;
    return 1;
  }
  if (napi_get_named_property(env, res, "value", &v) != napi_ok || napi_create_reference(env, v, 1, &c->row) != napi_ok)
    return 0;
  c->rowid++;
  return 1;
}

static int js_vt_filter(sqlite3_vtab_cursor *cur, int idx, const char *idx_str, int argc, sqlite3_value **argv) {
  JsCursor *c = (JsCursor *)cur;
  JsVtab *t = (JsVtab *)cur->pVtab;
  napi_env env = t->mod->env;
  napi_handle_scope scope;
  napi_value args[JS_VTAB_MAX_PARAMS], rows, recv, iter, next;
  (void)idx_str;
  js_cursor_clear(env, c);
  c->rowid = 0;
  napi_open_handle_scope(env, &scope);
  int ok = 1, argn = 0, empty = 0;
  for (int k = 0; k < t->nparams && ok; k++) {
    if (idx & (1 << k)) {
      if (argn >= argc) {
        ok = 0;
        break;
      }
      lode_value *v = (lode_value *)argv[argn++];
      if (lode_value_type(v) == LODE_NULL) empty = 1; /* = NULL holds for no row */
      ok = (args[k] = arg_value(env, v, t->safe)) != NULL;
    } else {
      ok = napi_get_undefined(env, &args[k]) == napi_ok;
    }
  }
  int rc = SQLITE_OK;
  if (!ok) {
    rc = SQLITE_ERROR;
  } else if (!empty) {
    napi_get_undefined(env, &recv);
    if (napi_get_reference_value(env, t->rows, &rows) != napi_ok ||
        napi_call_function(env, recv, rows, (size_t)t->nparams, args, &iter) != napi_ok ||
        napi_get_named_property(env, iter, "next", &next) != napi_ok ||
        napi_create_reference(env, iter, 1, &c->iter) != napi_ok ||
        napi_create_reference(env, next, 1, &c->next) != napi_ok || (c->done = 0, !js_cursor_step(env, c)))
      rc = vtab_js_failed(env, cur->pVtab, NULL);
  }
  napi_close_handle_scope(env, scope);
  return rc;
}

static int js_vt_next(sqlite3_vtab_cursor *cur) {
  JsCursor *c = (JsCursor *)cur;
  napi_env env = ((JsVtab *)cur->pVtab)->mod->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  int rc = js_cursor_step(env, c) ? SQLITE_OK : vtab_js_failed(env, cur->pVtab, NULL);
  napi_close_handle_scope(env, scope);
  return rc;
}

static int js_vt_eof(sqlite3_vtab_cursor *cur) { return ((JsCursor *)cur)->done; }

static int js_vt_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int i) {
  JsCursor *c = (JsCursor *)cur;
  JsVtab *t = (JsVtab *)cur->pVtab;
  napi_env env = t->mod->env;
  napi_handle_scope scope;
  napi_value row, v;
  napi_open_handle_scope(env, &scope);
  if (napi_get_reference_value(env, c->row, &row) != napi_ok || napi_get_element(env, row, (uint32_t)i, &v) != napi_ok)
    func_fail(env, (lode_context *)ctx);
  else
    set_result(env, (lode_context *)ctx, VTAB_YIELDED, t->mod->name, v);
  napi_close_handle_scope(env, scope);
  return SQLITE_OK; /* an error is the context's */
}

static int js_vt_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *out) {
  *out = ((JsCursor *)cur)->rowid;
  return SQLITE_OK;
}

#define JS_MODULE(create)                                                                             \
  {0,           create,      js_vt_connect, js_vt_best_index, js_vt_disconnect, js_vt_disconnect,     \
   js_vt_open,  js_vt_close, js_vt_filter,  js_vt_next,       js_vt_eof,        js_vt_column,         \
   js_vt_rowid, NULL,        NULL,          NULL,             NULL,             NULL,                 \
   NULL,        NULL,        NULL,          NULL,             NULL,             NULL,                 \
   NULL}

/* A factory function's module makes tables by CREATE VIRTUAL TABLE alone; a
** definition object's is eponymous only (no xCreate). */
static const sqlite3_module js_module_tables = JS_MODULE(js_vt_create);
static const sqlite3_module js_module_eponymous = JS_MODULE(NULL);

/* createTable(db, name, eponymousOnly, factory) */
static napi_value js_create_table(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  bool eponymous = false;
  if (!get_many_args(env, info, 4, argv)) return NULL;
  DbHandle *h = arg_db(env, argv[0]);
  if (!h) return NULL;
  JsModule *m = calloc(1, sizeof *m);
  if (!m) return throw_nomem(env);
  m->env = env;
  napi_get_value_bool(env, argv[2], &eponymous);
  if (!(m->name = arg_string(env, argv[1], NULL)) || !func_ref(env, argv[3], &m->factory)) {
    js_module_free(m);
    return NULL;
  }
  int rc = sqlite3_create_module_v2((sqlite3 *)h->db, m->name, eponymous ? &js_module_eponymous : &js_module_tables,
                                    m, js_module_free);
  if (rc != SQLITE_OK) return throw_db(env, h->db, rc);
  return NULL;
}

/* ---- serialize, backup, interrupt --------------------------------------- */

/* serialize(db, schema) → Buffer */
static napi_value js_serialize(napi_env env, napi_callback_info info) {
  napi_value argv[2], out;
  NAPI_OK(get_args(env, info, 2, argv));
  DbHandle *h = arg_db(env, argv[0]);
  if (!h) return NULL;
  char *schema = arg_string(env, argv[1], NULL);
  if (!schema) return NULL;
  lode_int64 n = 0;
  unsigned char *p = lode_serialize(h->db, schema, &n);
  free(schema);
  if (!p) return throw_sqlite(env, "unable to serialize the database", LODE_ERROR);
  void *copy;
  napi_status s = napi_create_buffer_copy(env, (size_t)n, p, &copy, &out);
  lode_free(p);
  return s == napi_ok ? out : NULL;
}

/* deserialize(db, bytes): db (in memory) becomes a copy of the image. */
static napi_value js_deserialize(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  NAPI_OK(get_args(env, info, 2, argv));
  DbHandle *h = arg_db(env, argv[0]);
  if (!h) return NULL;
  void *data = NULL;
  size_t n = 0;
  bool is = false;
  if (napi_is_buffer(env, argv[1], &is) != napi_ok || !is) {
    napi_throw_type_error(env, NULL, "Expected a Buffer");
    return NULL;
  }
  NAPI_OK(napi_get_buffer_info(env, argv[1], &data, &n));
  int rc = lode_deserialize(h->db, "main", data, (lode_int64)n);
  return rc == LODE_OK ? NULL : throw_db(env, h->db, rc);
}

/* loadExtension(db, file, entry|null): lode_load_extension. */
static napi_value js_load_extension(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  napi_valuetype t;
  NAPI_OK(get_args(env, info, 3, argv));
  DbHandle *h = arg_db(env, argv[0]);
  if (!h) return NULL;
  char *file = arg_string(env, argv[1], NULL), *entry = NULL;
  if (!file) return NULL;
  if (napi_typeof(env, argv[2], &t) == napi_ok && t == napi_string && !(entry = arg_string(env, argv[2], NULL))) {
    free(file);
    return NULL;
  }
  int rc = lode_load_extension(h->db, file, entry);
  free(file);
  free(entry);
  return rc == LODE_OK ? NULL : throw_db(env, h->db, rc);
}

typedef struct BackupHandle {
  lode *dest;
  lode_backup *b;
} BackupHandle;

static void backup_close(BackupHandle *b) {
  if (b->b) lode_backup_finish(b->b);
  if (b->dest) lode_close(b->dest);
  b->b = NULL;
  b->dest = NULL;
}

static void backup_external_gone(node_api_basic_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  backup_close(data);
  free(data);
}

/* backupInit(db, destPath, schema) → backup handle */
static napi_value js_backup_init(napi_env env, napi_callback_info info) {
  napi_value argv[3], ext;
  NAPI_OK(get_args(env, info, 3, argv));
  DbHandle *h = arg_db(env, argv[0]);
  if (!h) return NULL;
  char *path = arg_string(env, argv[1], NULL);
  if (!path) return NULL;
  char *schema = arg_string(env, argv[2], NULL);
  if (!schema) {
    free(path);
    return NULL;
  }
  BackupHandle *b = calloc(1, sizeof *b);
  int rc = b ? lode_open_v2(path, &b->dest, LODE_OPEN_READWRITE | LODE_OPEN_CREATE, NULL) : LODE_NOMEM;
  free(path);
  if (rc == LODE_OK && !(b->b = lode_backup_init(b->dest, "main", h->db, schema))) {
    rc = lode_errcode(b->dest) != LODE_OK ? lode_errcode(b->dest) : LODE_ERROR;
    throw_db(env, lode_errcode(b->dest) != LODE_OK ? b->dest : h->db, rc);
  } else if (rc != LODE_OK) {
    throw_db(env, b ? b->dest : NULL, rc);
  }
  free(schema);
  if (rc != LODE_OK || napi_create_external(env, b, backup_external_gone, NULL, &ext) != napi_ok) {
    if (b) backup_close(b);
    free(b);
    return NULL;
  }
  return ext;
}

/* backupStep(handle, pages) → [done, totalPages, remainingPages]; the
** destination closes when done or on an error. */
static napi_value js_backup_step(napi_env env, napi_callback_info info) {
  napi_value argv[2], out, v;
  BackupHandle *b = NULL;
  NAPI_OK(get_args(env, info, 2, argv));
  if (napi_get_value_external(env, argv[0], (void **)&b) != napi_ok || !b || !b->b) {
    napi_throw_type_error(env, NULL, "The backup has finished");
    return NULL;
  }
  int rc = lode_backup_step(b->b, arg_int(env, argv[1]));
  if (rc != LODE_OK && rc != LODE_DONE && rc != LODE_BUSY && rc != LODE_LOCKED) {
    lode_backup_finish(b->b);
    b->b = NULL;
    throw_db(env, b->dest, rc);
    backup_close(b);
    return NULL;
  }
  NAPI_OK(napi_create_array_with_length(env, 3, &out));
  NAPI_OK(napi_get_boolean(env, rc == LODE_DONE, &v));
  NAPI_OK(napi_set_element(env, out, 0, v));
  NAPI_OK(napi_create_int32(env, lode_backup_pagecount(b->b), &v));
  NAPI_OK(napi_set_element(env, out, 1, v));
  NAPI_OK(napi_create_int32(env, lode_backup_remaining(b->b), &v));
  NAPI_OK(napi_set_element(env, out, 2, v));
  if (rc == LODE_DONE) {
    int frc = lode_backup_finish(b->b);
    b->b = NULL;
    if (frc != LODE_OK) {
      throw_db(env, b->dest, frc);
      backup_close(b);
      return NULL;
    }
    backup_close(b);
  }
  return out;
}

static napi_value js_backup_close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  BackupHandle *b = NULL;
  NAPI_OK(get_args(env, info, 1, argv));
  if (napi_get_value_external(env, argv[0], (void **)&b) == napi_ok && b) backup_close(b);
  return NULL;
}

static napi_value js_interrupt(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  NAPI_OK(get_args(env, info, 1, argv));
  DbHandle *h = arg_db(env, argv[0]);
  if (h) lode_interrupt(h->db);
  return NULL;
}

/* busyTimeout(db, ms): how long a statement waits for another connection's lock. */
static napi_value js_busy_timeout(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t ms = 0;
  NAPI_OK(get_args(env, info, 2, argv));
  DbHandle *h = arg_db(env, argv[0]);
  if (!h || napi_get_value_int32(env, argv[1], &ms) != napi_ok) return NULL;
  lode_busy_timeout(h->db, ms);
  return NULL;
}

/* doubleQuotedStrings(db, on): whether a "double-quoted" word naming no
** column reads as a string in the application's statements. */
static napi_value js_double_quoted_strings(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  bool on = true;
  NAPI_OK(get_args(env, info, 2, argv));
  DbHandle *h = arg_db(env, argv[0]);
  if (!h || napi_get_value_bool(env, argv[1], &on) != napi_ok) return NULL;
  lode_double_quoted_strings(h->db, on);
  return NULL;
}

/* defensive(db, on): whether the application's statements are kept from
** writing sqlite_schema (writable_schema or not) and shadow tables. */
static napi_value js_defensive(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  bool on = true;
  NAPI_OK(get_args(env, info, 2, argv));
  DbHandle *h = arg_db(env, argv[0]);
  if (!h || napi_get_value_bool(env, argv[1], &on) != napi_ok) return NULL;
  lode_defensive(h->db, on);
  return NULL;
}

/* ---- WAL frames (lodedb/replication) ------------------------------------ */

#define FRAME_HEADER_SIZE 24

static uint32_t frame_get4(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* walFrameCount(db): frames in the WAL of main. */
static napi_value js_wal_frame_count(napi_env env, napi_callback_info info) {
  napi_value argv[1], out;
  NAPI_OK(get_args(env, info, 1, argv));
  DbHandle *h = arg_db(env, argv[0]);
  if (!h) return NULL;
  unsigned n = 0;
  int rc = lode_wal_frame_count(h->db, &n);
  if (rc != LODE_OK) return throw_db(env, h->db, rc);
  NAPI_OK(napi_create_uint32(env, n, &out));
  return out;
}

/* walGetFrames(db, from, to, frameSize): frames from..to as one Buffer. */
static napi_value js_wal_get_frames(napi_env env, napi_callback_info info) {
  napi_value argv[4], out;
  NAPI_OK(get_args(env, info, 4, argv));
  DbHandle *h = arg_db(env, argv[0]);
  if (!h) return NULL;
  int from = arg_int(env, argv[1]), to = arg_int(env, argv[2]), fsize = arg_int(env, argv[3]);
  if (from < 1 || to < from || fsize <= FRAME_HEADER_SIZE) {
    napi_throw_range_error(env, NULL, "bad frame range");
    return NULL;
  }
  void *data = NULL;
  NAPI_OK(napi_create_buffer(env, (size_t)(to - from + 1) * (size_t)fsize, &data, &out));
  for (int f = from; f <= to; f++) {
    int rc = lode_wal_get_frame(h->db, (unsigned)f, (uint8_t *)data + (size_t)(f - from) * fsize, (unsigned)fsize);
    if (rc != LODE_OK) return throw_db(env, h->db, rc);
  }
  return out;
}

/* walApplyFrames(db, buffer, frameSize): applies whole commits of frames
** copied from another WAL, numbered after the local WAL's last frame;
** returns the commits applied.  Frames after the last commit frame are
** dropped. */
static napi_value js_wal_apply_frames(napi_env env, napi_callback_info info) {
  napi_value argv[3], out;
  NAPI_OK(get_args(env, info, 3, argv));
  DbHandle *h = arg_db(env, argv[0]);
  if (!h) return NULL;
  int fsize = arg_int(env, argv[2]);
  void *data = NULL;
  size_t n = 0;
  bool is = false;
  if (napi_is_buffer(env, argv[1], &is) != napi_ok || !is || fsize <= FRAME_HEADER_SIZE) {
    napi_throw_type_error(env, NULL, "Expected a Buffer of frames");
    return NULL;
  }
  NAPI_OK(napi_get_buffer_info(env, argv[1], &data, &n));
  unsigned local = 0, commits = 0;
  int rc = lode_wal_insert_begin(h->db);
  if (rc == LODE_OK) rc = lode_wal_frame_count(h->db, &local);
  unsigned next = local + 1;
  for (size_t off = 0; rc == LODE_OK && off + (size_t)fsize <= n; off += (size_t)fsize) {
    const uint8_t *fr = (const uint8_t *)data + off;
    rc = lode_wal_insert_frame(h->db, next, fr, (unsigned)fsize, NULL);
    if (rc != LODE_OK) break;
    if (frame_get4(fr + 4) != 0) {
      commits++;
      rc = lode_wal_frame_count(h->db, &local); /* the local WAL may have started over */
      next = local + 1;
    } else {
      next++;
    }
  }
  if (rc != LODE_OK) {
    napi_value e = throw_db(env, h->db, rc);
    lode_wal_insert_end(h->db);
    return e;
  }
  lode_wal_insert_end(h->db);
  NAPI_OK(napi_create_uint32(env, commits, &out));
  return out;
}

/* walDisableCheckpoint(db): no automatic checkpoints on this connection. */
static napi_value js_wal_disable_checkpoint(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  NAPI_OK(get_args(env, info, 1, argv));
  DbHandle *h = arg_db(env, argv[0]);
  if (h) lode_wal_disable_checkpoint(h->db);
  return NULL;
}

static int addon_wal_hook(void *arg, lode *db, const char *name, int frames) {
  (void)db;
  (void)frames;
  DbHandle *h = arg;
  if (strcmp(name, "main") == 0) h->committed = 1;
  return LODE_OK;
}

/* walHook(db, fn | null): fn() runs after each call of this connection
** whose statements committed to "main" (SQLite's WAL hook, told once the
** engine call returned); null removes it.  Installing it turns automatic
** checkpoints off, as sqlite3_wal_hook does. */
static napi_value js_wal_hook(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  NAPI_OK(get_args(env, info, 2, argv));
  DbHandle *h = arg_db(env, argv[0]);
  if (!h) return NULL;
  napi_valuetype t;
  NAPI_OK(napi_typeof(env, argv[1], &t));
  if (h->on_commit) napi_delete_reference(env, h->on_commit);
  h->on_commit = NULL;
  h->committed = 0;
  if (t != napi_function) {
    lode_wal_hook(h->db, NULL, NULL);
    return NULL;
  }
  NAPI_OK(napi_create_reference(env, argv[1], 1, &h->on_commit));
  lode_wal_hook(h->db, addon_wal_hook, h);
  return NULL;
}

/* ---- shell -------------------------------------------------------------- */

static void free_argv(char **argv, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) free(argv[i]);
  free(argv);
}

/* shellMain(args): args exclude the program name; argv[0] becomes "lode". */
static napi_value js_shell_main(napi_env env, napi_callback_info info) {
  napi_value args[1], result;
  uint32_t n = 0;
  NAPI_OK(get_args(env, info, 1, args));
  if (!lode_shell_main) {
    napi_throw_error(env, NULL, "the lode shell is not compiled into this build");
    return NULL;
  }
  NAPI_OK(napi_get_array_length(env, args[0], &n));
  char **argv = calloc((size_t)n + 2, sizeof *argv);
  if (!argv || !(argv[0] = strdup("lode"))) {
    free(argv);
    return throw_nomem(env);
  }
  for (uint32_t i = 0; i < n; i++) {
    napi_value v, s;
    if (napi_get_element(env, args[0], i, &v) != napi_ok || napi_coerce_to_string(env, v, &s) != napi_ok ||
        !(argv[i + 1] = arg_string(env, s, NULL))) {
      free_argv(argv, n + 1);
      return NULL;
    }
  }
  int rc = lode_shell_main((int)n + 1, argv);
  free_argv(argv, n + 1);
  NAPI_OK(napi_create_int32(env, rc, &result));
  return result;
}

/* ---- module ------------------------------------------------------------- */

static void state_free(napi_env env, void *data, void *hint) {
  (void)hint;
  AddonState *st = data;
  if (st->make_error) napi_delete_reference(env, st->make_error);
  if (st->pending) napi_delete_reference(env, st->pending);
  if (st->make_row_maker) napi_delete_reference(env, st->make_row_maker);
  if (st->run_out_ref) napi_delete_reference(env, st->run_out_ref);
  if (st->thrown) napi_delete_reference(env, st->thrown);
  free(st);
}

/* init(makeError, makeRowMaker, thrown) → the ArrayBuffer of run()'s results
** (one per addon instance: each worker thread has its own). */
static napi_value js_init(napi_env env, napi_callback_info info) {
  napi_value argv[3], buf;
  AddonState *st = NULL;
  NAPI_OK(get_args(env, info, 3, argv));
  NAPI_OK(napi_get_instance_data(env, (void **)&st));
  unref(env, &st->make_error);
  unref(env, &st->make_row_maker);
  unref(env, &st->thrown);
  NAPI_OK(napi_create_reference(env, argv[0], 1, &st->make_error));
  NAPI_OK(napi_create_reference(env, argv[1], 1, &st->make_row_maker));
  NAPI_OK(napi_create_reference(env, argv[2], 1, &st->thrown));
  if (!st->run_out_ref) {
    void *data = NULL;
    NAPI_OK(napi_create_arraybuffer(env, RUN_SLOTS * sizeof(double), &data, &buf));
    NAPI_OK(napi_create_reference(env, buf, 1, &st->run_out_ref));
    st->run_out = data;
  }
  NAPI_OK(napi_get_reference_value(env, st->run_out_ref, &buf));
  return buf;
}

/* A call that fails returns the init() object thrown with the exception in
** its .error, for the JS driver to throw, instead of leaving the exception
** pending: Node would rethrow it from this module's frame, and a garbage
** collection in that rethrow runs the finalizers above with the exception
** still recorded as this module's, which Node 20 treats as a finalizer
** that threw and aborts the process. */
static napi_value hand_back(napi_env env, napi_value result) {
  bool pending = false;
  AddonState *st = NULL;
  napi_value exc, thrown;
  if (napi_is_exception_pending(env, &pending) != napi_ok || !pending) return result;
  if (napi_get_instance_data(env, (void **)&st) != napi_ok || !st || !st->thrown) return result;
  if (napi_get_reference_value(env, st->thrown, &thrown) != napi_ok) return result;
  if (napi_get_and_clear_last_exception(env, &exc) != napi_ok) return result;
  if (napi_set_named_property(env, thrown, "error", exc) != napi_ok) {
    napi_throw(env, exc);
    return NULL;
  }
  return thrown;
}

#define ADDON_METHODS(X) \
  X("init", js_init) \
  X("open", js_open) \
  X("close", js_close) \
  X("exec", js_exec) \
  X("prepare", js_prepare) \
  X("bind", js_bind) \
  X("step", js_step) \
  X("rows", js_rows) \
  X("get", js_get) \
  X("all", js_all) \
  X("run", js_run) \
  X("columns", js_columns) \
  X("reader", js_reader) \
  X("strictBind", js_strict_bind) \
  X("readonly", js_readonly) \
  X("reset", js_reset) \
  X("finalize", js_finalize) \
  X("changes", js_changes) \
  X("totalChanges", js_total_changes) \
  X("lastInsertRowid", js_last_insert_rowid) \
  X("inTransaction", js_in_transaction) \
  X("shellMain", js_shell_main) \
  X("version", js_version) \
  X("createFunction", js_create_function) \
  X("createAggregate", js_create_aggregate) \
  X("createTable", js_create_table) \
  X("serialize", js_serialize) \
  X("deserialize", js_deserialize) \
  X("backupInit", js_backup_init) \
  X("backupStep", js_backup_step) \
  X("backupClose", js_backup_close) \
  X("interrupt", js_interrupt) \
  X("loadExtension", js_load_extension) \
  X("busyTimeout", js_busy_timeout) \
  X("doubleQuotedStrings", js_double_quoted_strings) \
  X("defensive", js_defensive) \
  X("queryTimeout", js_query_timeout) \
  X("walFrameCount", js_wal_frame_count) \
  X("walGetFrames", js_wal_get_frames) \
  X("walApplyFrames", js_wal_apply_frames) \
  X("walDisableCheckpoint", js_wal_disable_checkpoint) \
  X("walHook", js_wal_hook)

#define GUARDED(name, fn)                                                      \
  static napi_value fn##_guarded(napi_env env, napi_callback_info info) {     \
    return hand_back(env, fn(env, info));                                      \
  }
ADDON_METHODS(GUARDED)

#define METHOD(name, fn) {name, NULL, fn##_guarded, NULL, NULL, NULL, napi_enumerable, NULL},

NAPI_MODULE_INIT(/* env, exports */) {
  AddonState *st = calloc(1, sizeof *st);
  if (!st || napi_set_instance_data(env, st, state_free, NULL) != napi_ok) {
    free(st);
    return NULL;
  }
  napi_property_descriptor p[] = {ADDON_METHODS(METHOD)};
  if (napi_define_properties(env, exports, sizeof p / sizeof p[0], p) != napi_ok) return NULL;
  return exports;
}
