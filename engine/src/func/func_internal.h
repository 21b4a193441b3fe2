/*
** func_internal.h — what the files of the func module share: the function
** tables each file contributes and small helpers for reading arguments and
** reporting errors.  Not part of the module's interface (func.h is).
**
** Invariants: every table ends with an entry whose name is NULL; an entry
** with nargs == -1 accepts min_args or more arguments.
*/
#ifndef LODE_FUNC_INTERNAL_H
#define LODE_FUNC_INTERNAL_H

#include "func/func.h"

#define FUNC_TEXT_BUF MEM_TEXT_VIEW_BUF /* enough for a rendered INTEGER or REAL */
#define FUNC_MAX_LENGTH VALUE_MAX_LENGTH

/* The JSON functions' cache of parsed documents (json_func.c). */
typedef struct JsonCache JsonCache;
void json_cache_free(JsonCache *c);
/* Forgets the documents a run of the statement parsed (kept for the run only). */
void json_cache_end_run(JsonCache *c);

/* What LIKE/GLOB learnt about the shape of the last pattern a statement
** matched with (like.c): a scan with a constant pattern looks at it once.
** Keyed on the pattern's bytes and the options that change its reading. */
#define LIKE_MEMO_MAX 64 /* longer patterns are not kept */
typedef struct LikeMemo {
  int valid;
  int raw_n;    /* the pattern's bytes in z, as the argument gave them (NULs too) */
  int n;        /* the pattern's bytes before its first NUL */
  uint32_t opts; /* glob, exact, escape and its character */
  unsigned char z[LIKE_MEMO_MAX];
  int shape;    /* like.c's LIT_* for a literal pattern, -1 for any other */
  int a, b;     /* the literal is z[a..b) */
  int k;        /* the literal's first byte that is not a letter (b - a: none) */
  /* The call site and pattern bytes it was last checked against in this run:
  ** a pattern argument constant for the run, at the same address, is the
  ** same pattern without comparing its bytes (func_stmt_state_end_run
  ** forgets them, so a rebound parameter is compared again). */
  const void *site;
  const void *src;
} LikeMemo;

typedef struct FuncAux {
  const void *call_site;
  int arg;
  void *p;
  void (*destroy)(void *);
  struct FuncAux *next;
} FuncAux;

struct FuncStmtState {
  JsonCache *json;
  FuncAux *aux; /* func_set_auxdata's entries of the current run */
  LikeMemo like;
  /* 'now' as first read in the current step: every use within one step must
  ** see the same moment (func_stmt_state_new_step forgets it) */
  int64_t now_ms;
  int has_now;
  /* LIKE_PATTERN_LENGTH as read in the current step (like_max_known) */
  int like_max, like_max_known;
};

/* The calling statement's state, made on first use; NULL without one (or
** out of memory: callers then work uncached). */
static inline FuncStmtState *func_stmt_state(FuncContext *ctx) {
  if (!ctx->stmt_state) return NULL;
  if (!*ctx->stmt_state) *ctx->stmt_state = util_zalloc(sizeof(FuncStmtState));
  return *ctx->stmt_state;
}

typedef struct FuncEntry {
  FuncDef def;
  int min_args; /* for nargs == -1 */
} FuncEntry;

/* The window-only functions for func_each (window.c). */
void func_window_each(void (*each)(void *arg, const FuncInfo *info), void *arg);
extern const FuncEntry func_scalar_table[];
extern const FuncEntry func_string_table[];
extern const FuncEntry func_agg_table[];
extern const FuncEntry func_like_table[];
extern const FuncEntry func_conn_table[];
extern const FuncEntry func_printf_table[];
extern const FuncEntry func_math_table[];
extern const FuncEntry func_date_table[];
extern const FuncEntry func_json_table[];
extern const FuncEntry func_cdc_table[];
extern const FuncEntry func_concat_table[];
extern const FuncEntry func_percentile_table[];
/* The window operations of the percentile family, or NULL for another function. */
const FuncWindowOps *func_percentile_window_ops(const FuncDef *f);

/* Appends r in fixed notation with prec decimals ("%.*f"), or as "%.*g",
** with SQLite's digits. */
void func_format_fixed(StrBuf *b, double r, int prec);
void func_format_generic(StrBuf *b, double r, int prec);

/* Sets ctx->rc and a copy of msg as ctx->errmsg (NULL if that copy fails). */
void func_error(FuncContext *ctx, int rc, const char *msg);
void func_nomem(FuncContext *ctx);
/* Sets ctx->out to a copy of z[0..n) as TEXT (or BLOB when blob is set). */
void func_result_bytes(FuncContext *ctx, const char *z, int n, int blob);
/* Hands z[0..n) to ctx->out as TEXT (or BLOB when blob is set) without a
** copy: z was util_malloc'd, holds n + 1 bytes and z[n] is 0; ctx->out owns
** it from here on. */
void func_result_take(FuncContext *ctx, char *z, int n, int blob);
/* Takes the bytes argument i (m) owns for the function's own use, leaving m
** NULL: 1 when m is this call's own register, written for it alone before
** the call (not one holding a value kept for the whole run), so that nothing
** reads it after; else 0, m unchanged.  *z was util_malloc'd and holds *n
** bytes (text: and a 0 after them). */
int func_take_arg(FuncContext *ctx, int i, Mem *m, char **z, int *n);
/* Hands a finished StrBuf to ctx->out as TEXT; oom → LODE_NOMEM. */
void func_result_strbuf(FuncContext *ctx, StrBuf *b);
/* An empty StrBuf in ctx's spare buffer when there is one (taken from ctx). */
void func_strbuf_init(FuncContext *ctx, StrBuf *b);
/* Copies *m into ctx->out. */
void func_result_copy(FuncContext *ctx, const Mem *m);

#endif /* LODE_FUNC_INTERNAL_H */
