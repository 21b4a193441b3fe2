/*
** func.h — built-in SQL functions: scalar functions and aggregates.
**
** A function receives its arguments as Mems and writes its result into
** ctx->out; it reports failure by setting ctx->rc and ctx->errmsg
** (util_malloc'd).  Aggregates keep their state in ctx->agg, a zeroed block
** of agg_size bytes that the VM allocates at the first step and frees after
** final.  Lookup is case-insensitive; nargs = -1 accepts any count.
**
** Two kinds of entries: the built-in ones (static tables, the same for
** every connection) and a connection's own (a FuncRegistry the connection
** owns, for extension families such as vector search and, later,
** application-defined functions).  A connection's entries come first in
** lookups, so they may override a built-in of the same name and count, as
** sqlite3_create_function may.  Each entry carries a user-data pointer that
** the VM hands to the function in FuncContext.user_data.
** A function may set ctx->out->subtype (the JSON functions do); arguments
** arrive with the subtype their producer gave them.
*/
#ifndef LODE_FUNC_H
#define LODE_FUNC_H

#include <math.h>

#include "value/value.h"

typedef struct lode lode;

/* What the built-in functions keep for the life of one prepared statement
** (the statement owns it and frees it with func_stmt_state_free): the JSON
** functions' cache of parsed documents, so that several calls on one row's
** document parse it once. */
typedef struct FuncStmtState FuncStmtState;
void func_stmt_state_free(FuncStmtState *s);
/* A new step of the statement begins: what is kept per step (the moment
** 'now' stands for) is read afresh. s may be NULL. */
void func_stmt_state_new_step(FuncStmtState *s);
/* A run of the statement begins or ended (start, reset): the auxiliary data
** of its calls is dropped, since the parameters it came from may change. s
** may be NULL. */
void func_stmt_state_end_run(FuncStmtState *s);

typedef struct FuncContext {
  lode *db;
  Mem *out;     /* result; starts NULL */
  void *agg;    /* aggregate state, NULL for scalar functions */
  int rc;       /* LODE_OK unless the function failed */
  char *errmsg; /* util_malloc'd message when rc != LODE_OK */
  int coll;     /* COLL_* of the call: the first argument's that has one (min/max compare by it) */
  void *user_data; /* FuncDef.user_data of the function called */
  FuncStmtState **stmt_state; /* the calling statement's slot (made on first use), or NULL: no caching */
  const void *call_site;      /* the calling op: auxiliary data belongs to one call in the program */
  uint32_t const_args;        /* bit i: argument i has the same value for the whole run (FUNC_CONST_ARGS_MAX) */
  /* A util_malloc'd buffer of spare_cap bytes the caller has no more use for
  ** (the old text of the register the result goes to), or NULL: a function
  ** may build its result in it (func_strbuf_init); the caller frees what is
  ** left here after the call. */
  char *spare;
  size_t spare_cap;
} FuncContext;

/* Auxiliary data, SQLite's sqlite3_get/set_auxdata: what a function derived
** from a constant argument (a compiled pattern, a decoded query vector) kept
** for the later calls of the same call site in the same run.  Set on an
** argument that is not constant (or without a statement), it is destroyed at
** once; a second set on the same argument destroys the first.  Kept until
** the run ends or the statement is finalized.  A negative arg keys data
** on the call alone, kept for the run.  Returns LODE_NOMEM (p
** destroyed) when the entry cannot be made. */
#define FUNC_CONST_ARGS_MAX 23 /* arguments past this are never reported constant */
void *func_get_auxdata(FuncContext *ctx, int arg);
int func_set_auxdata(FuncContext *ctx, int arg, void *p, void (*destroy)(void *));

#define FUNC_AGGREGATE 0x01
#define FUNC_DETERMINISTIC 0x02
#define FUNC_NOWINDOW 0x04 /* an aggregate that may not be used with OVER (a user aggregate without window operations) */
#define FUNC_APP_WINDOW 0x08 /* an application's aggregate with xValue/xInverse: func_window_ops gives the API layer's */
#define FUNC_DIRECTONLY 0x10 /* callable from top-level SQL only: not from a persistent schema's views, triggers,
                             ** CHECK/DEFAULT/generated column or index expressions ("unsafe use of f()") */
/* Mem.subtype of the JSON functions' text results (func/json.h's JSON_SUBTYPE). */
#define FUNC_JSON_SUBTYPE 'J'
#define FUNC_SUBTYPE_ARGS 0x40 /* an aggregate that reads its arguments' subtypes: where the arguments wait in
                               ** a sorter (GROUP BY, ORDER BY in the call) the subtypes are kept beside them */
#define FUNC_BORROWS_ARGS 0x20 /* reads its arguments only during the call and never returns or keeps a pointer
                               ** into them: a table column argument may be lent straight from the page */
#define FUNC_INLINE_COUNT 0x80 /* the built-in count(): its state is a FuncCountState the VM may step itself */
#define FUNC_INLINE_SUM 0x100  /* the built-in sum()/total()/avg(): a FuncSumState, likewise */
#define FUNC_UNSAFE 0x200      /* an application's function not declared SQLITE_INNOCUOUS: with PRAGMA
                               ** trusted_schema=OFF the schema may not call it ("unsafe use of f()") */

/* The states of count() and of sum()/total()/avg() (func/agg.c), shared with
** the VM so that it can step them for the common inputs without a call: a
** zeroed block is the empty state. */
typedef struct FuncCountState {
  int64_t n;
} FuncCountState;

typedef struct FuncSumState {
  int64_t isum;  /* exact sum while every input was an integer */
  double rsum;   /* once approx: the running sum (Kahan-Babuska-Neumaier) */
  double rerr;   /* and its running error term */
  int64_t count; /* non-NULL inputs */
  int approx;    /* the sum went over to doubles: a non-integer input or an int64 overflow */
  int overflow;  /* an int64 overflow that no non-integer input has followed: sum() fails */
} FuncSumState;

/* Adds r with the Kahan-Babuska-Neumaier compensation, as SQLite 3.53 does:
** the low-order bits each addition loses collect in rerr. */
static inline void func_sum_add_real(FuncSumState *s, double r) {
  double t = s->rsum + r;
  if (fabs(s->rsum) > fabs(r)) s->rerr += (s->rsum - t) + r;
  else s->rerr += (r - t) + s->rsum;
  s->rsum = t;
}

/* One step of sum()/total()/avg() when it needs nothing but arithmetic: an
** INTEGER while the sum is exact and does not overflow, or a REAL once the
** sum is a double.  0 when the input needs func/agg.c's full step. */
static inline int func_sum_step_inline(FuncSumState *s, const Mem *m) {
  int64_t x;
  if (m->type == MEM_INT && !s->approx && !__builtin_add_overflow(s->isum, m->u.i, &x)) {
    s->isum = x;
    s->count++;
    return 1;
  }
  if (m->type == MEM_REAL && s->approx) {
    s->count++;
    s->overflow = 0; /* SQLite forgives an overflow once a non-integer has come */
    func_sum_add_real(s, m->u.r);
    return 1;
  }
  return 0;
}

typedef struct FuncDef {
  const char *name;
  int nargs; /* -1: any */
  int flags;
  void (*scalar)(FuncContext *ctx, int argc, Mem **argv);
  void (*step)(FuncContext *ctx, int argc, Mem **argv);
  void (*final)(FuncContext *ctx); /* may be called with a never-stepped (zeroed) agg */
  size_t agg_size;
  void *user_data; /* passed to every call as FuncContext.user_data */
} FuncDef;

/* Finds a built-in name/nargs.  When the name exists but not with nargs,
** returns NULL and sets *name_exists = 1 (for "wrong number of arguments to
** function"). */
const FuncDef *func_find(const char *name, int nargs, int *name_exists);

/* The compile-time options Lode reports (PRAGMA compile_options,
** sqlite_compileoption_used/get): SQLite's names without the SQLITE_
** prefix, for the limits and defaults Lode has; NULL-terminated. */
extern const char *const func_compile_options[];

/* The built-in f as an expression of the schema calls it (place: one of
** FUNC_PLACE_*): the date and time functions there fail when their value
** depends on the moment ('now', 'localtime', 'utc'), as SQLite's do; any
** other function is f itself. */
#define FUNC_PLACE_NONE 0
#define FUNC_PLACE_GENERATED 1 /* a generated column's expression */
#define FUNC_PLACE_INDEX 2     /* an index expression or partial index WHERE */
#define FUNC_PLACE_CHECK 3     /* a CHECK constraint */
const FuncDef *func_in_pure_place(const FuncDef *f, int place);

/* A connection's own functions.
**
** Invariant: an entry, once added, stays at the same address until
** func_registry_free, so programs may keep its FuncDef pointer (P4_FUNC)
** for the life of the connection.  Adding an entry with the name and nargs
** of an existing one shadows it for later lookups; the old entry lives on
** for the programs that use it.  An entry with neither scalar nor step marks
** the name and count deleted: lookups no longer find them. */
typedef struct FuncRegistry FuncRegistry;

FuncRegistry *func_registry_new(void); /* NULL on oom */
/* A registry that starts with base's entries, as if they had been added to
** it first: lookups see them behind its own.  base must stay unchanged and
** alive as long as the new registry (the functions built into the library,
** set up once per process, so that an open does not register them again). */
FuncRegistry *func_registry_new_on(const FuncRegistry *base); /* NULL on oom */
/* Frees every entry, calling its destroy(user_data) when destroy is set;
** a registry made on a base leaves the base's entries alone. */
void func_registry_free(FuncRegistry *r);
/* Copies def (and its name) into r.  destroy, if not NULL, is called once
** with def->user_data when r is freed (also when adding fails, as
** sqlite3_create_function_v2 does).  LODE_OK, LODE_NOMEM or LODE_MISUSE
** (no name, nargs < -1, or neither scalar nor step+final). */
int func_registry_add(FuncRegistry *r, const FuncDef *def, void (*destroy)(void *));
/* func_find over r's entries first (r may be NULL), then the built-ins. */
const FuncDef *func_lookup(const FuncRegistry *r, const char *name, int nargs, int *name_exists);

/* One function as PRAGMA function_list lists it (func_each). */
typedef struct FuncInfo {
  const char *name;
  int nargs;       /* -1: any count (at least min_args) */
  int min_args;
  int flags;       /* FUNC_* */
  int window_only; /* row_number() and the like: no FuncDef, computed by the window pass */
  int builtin;     /* 0: the connection's own (an application's or an extension family's) */
} FuncInfo;
/* Calls each(arg, info) for the live functions of r (may be NULL; a name
** and count shadowed by a newer entry, or deleted, is skipped), then the
** built-ins and the window-only functions (one call per argument count). */
void func_each(const FuncRegistry *r, void (*each)(void *arg, const FuncInfo *info), void *arg);

/* Appends z[0..n) to b as a JSON string, as the change data capture
** functions quote names and text (cdc_json.c). */
void func_json_quote_text(StrBuf *b, const char *z, int n);

/* SQLite's printf formatting (printf.c, as the SQL function printf() does
** it): appends fmt[0..n) to b with the conversions applied to argv.
** LODE_TOOBIG when a width or precision is beyond the length limit. */
int func_printf_format(StrBuf *b, const char *fmt, int n, int argc, Mem **argv);

/* like(pattern, text[, escape]) with nargs 2 or 3, ignoring ASCII case or,
** case_sensitive, not (PRAGMA case_sensitive_like puts one in a connection's
** registry, where it shadows the built-in). */
const FuncDef *func_like_def(int case_sensitive, int nargs);

/* 1 if text matches the GLOB (glob = 1) or LIKE pattern (like.c); esc is
** LIKE's escape character, 0 for none. */
int func_pattern_match(const char *pattern, const char *text, int glob, unsigned esc);

/* ---- window functions (window.c, agg.c) ------------------------------------------

** The functions that exist only as window functions (row_number() OVER …)
** compute from the position of a row in its partition and frame, which
** only the window machinery knows; they are named here and computed by the
** VM's window pass.  Aggregates serve as window functions over a frame
** through their step/final, helped by the window operations of the
** built-ins below. */
typedef enum FuncWindowKind {
  WINFN_AGGREGATE = 0, /* an aggregate over the frame */
  WINFN_ROW_NUMBER,
  WINFN_RANK,
  WINFN_DENSE_RANK,
  WINFN_PERCENT_RANK,
  WINFN_CUME_DIST,
  WINFN_NTILE,
  WINFN_LAG,
  WINFN_LEAD,
  WINFN_FIRST_VALUE,
  WINFN_LAST_VALUE,
  WINFN_NTH_VALUE,
} FuncWindowKind;

/* The window-only function name/nargs (a WINFN_* > 0), or 0 when there is
** none; *name_exists = 1 when the name is one but not with nargs. */
int func_window_find(const char *name, int nargs, int *name_exists);

/* An aggregate's window operations: value reports the current result into
** ctx->out leaving the state as it is (final may consume it); inverse
** removes a row that an earlier step added.  Either may be NULL. */
typedef struct FuncWindowOps {
  void (*value)(FuncContext *ctx);
  void (*inverse)(FuncContext *ctx, int argc, Mem **argv);
  /* min() -1, max() 1, else 0.  Over a frame whose start moves (and that
  ** excludes nothing) SQLite reports the last of the values that tie for the
  ** result (it keeps the frame's values in an index); the window pass keeps
  ** a queue of candidates instead, which gives the same. */
  int extreme;
} FuncWindowOps;
/* The operations of a built-in aggregate, or NULL for any other function. */
/* The operations every FUNC_APP_WINDOW aggregate uses (set once, by the API
** layer whose functions those are). */
void func_set_app_window_ops(const FuncWindowOps *ops);
const FuncWindowOps *func_window_ops(const FuncDef *f);

#endif /* LODE_FUNC_H */
