/*
** agg.c — built-in aggregate functions: count, sum, total, avg, min, max,
** group_concat (and its other name string_agg), and their window operations.
**
** State lives in ctx->agg, a zeroed block of FuncDef.agg_size bytes that the
** VM allocates before the first step and frees after final.  A zeroed block
** is a valid empty state, so final works on a group that saw no rows.
** final releases everything the state holds (the min/max Mem, the
** group_concat buffer); a VM that abandons a group early must still call
** final (and drop its result) to avoid leaks.
**
** sum/total/avg follow SQLite 3.53: inputs whose numeric type is INTEGER
** (integers and text that reads as an integer) are summed exactly in int64
** until a non-integer input (REAL, other text, blobs) or an int64 overflow
** comes; from then on every input is added as a double with
** Kahan-Babuska-Neumaier compensation, and the result is REAL.  An int64
** overflow makes sum() fail with "integer overflow" unless a non-integer
** input follows it; total() and avg() never fail.
*/
#include <math.h>
#include <string.h>

#include "func/func_internal.h"

/* ---- count -------------------------------------------------------------------- */

typedef FuncCountState CountState;

static void count_step(FuncContext *ctx, int argc, Mem **argv) {
  CountState *s = ctx->agg;
  if (argc == 0 || argv[0]->type != MEM_NULL) s->n++;
}

static void count_final(FuncContext *ctx) {
  CountState *s = ctx->agg;
  mem_set_int(ctx->out, s ? s->n : 0);
}

/* ---- sum, total, avg -------------------------------------------------------------- */

typedef FuncSumState SumState;

/* m as sum() reads it, as sqlite3_value_numeric_type sees it: 1 with *out
** for an INTEGER (also integer text), else 0 with *r (text read once). */
static int sum_value(const Mem *m, int64_t *out, double *r) {
  if (m->type == MEM_INT) {
    *out = m->u.i;
    return 1;
  }
  if (m->type == MEM_REAL) {
    *r = m->u.r;
    return 0;
  }
  if (m->type == MEM_TEXT) {
    int kind = util_parse_number(m->z, (size_t)m->n, out, r);
    if (kind == 1) return 1;
    if (kind == 2) return 0;
  }
  *r = mem_as_real(m); /* text that is no number reads as its numeric prefix */
  return 0;
}

/* Integers of 2^52 and beyond lose bits as doubles: such a value is split
** into a part that is a multiple of 16384 and a small rest, each exact. */
#define SUM_EXACT_LIMIT 4503599627370496LL /* 2^52 */
#define SUM_SPLIT 16384

static void sum_add_real(SumState *s, double r) { func_sum_add_real(s, r); }

static void sum_add_int(SumState *s, int64_t v) {
  if (v <= -SUM_EXACT_LIMIT || v >= SUM_EXACT_LIMIT) {
    int64_t small = v % SUM_SPLIT;
    sum_add_real(s, (double)(v - small));
    sum_add_real(s, (double)small);
  } else {
    sum_add_real(s, (double)v);
  }
}

/* The exact integer sum so far becomes the starting point of the double one. */
static void sum_go_approx(SumState *s) {
  int64_t v = s->isum;
  if (v <= -SUM_EXACT_LIMIT || v >= SUM_EXACT_LIMIT) {
    int64_t small = v % SUM_SPLIT;
    s->rsum = (double)(v - small);
    s->rerr = (double)small;
  } else {
    s->rsum = (double)v;
    s->rerr = 0.0;
  }
  s->approx = 1;
}

static void sum_step(FuncContext *ctx, int argc, Mem **argv) {
  SumState *s = ctx->agg;
  int64_t v;
  double r = 0.0;
  (void)argc;
  if (argv[0]->type == MEM_NULL) return;
  s->count++;
  int is_int = sum_value(argv[0], &v, &r);
  if (!s->approx) {
    if (!is_int) {
      sum_go_approx(s);
      sum_add_real(s, r);
    } else {
      int64_t x;
      if (!__builtin_add_overflow(s->isum, v, &x)) {
        s->isum = x;
      } else {
        s->overflow = 1;
        sum_go_approx(s);
        sum_add_int(s, v);
      }
    }
  } else if (is_int) {
    sum_add_int(s, v);
  } else {
    s->overflow = 0; /* SQLite forgives an overflow once a non-integer has come */
    sum_add_real(s, r);
  }
}

/* The double sum: the error term corrects it unless it ran off to an infinity or NaN. */
static double sum_real(const SumState *s) {
  if (!s->approx) return (double)s->isum;
  return isfinite(s->rerr) ? s->rsum + s->rerr : s->rsum;
}

static void sum_final(FuncContext *ctx) {
  SumState *s = ctx->agg;
  if (!s || s->count == 0) return; /* NULL */
  if (s->approx && s->overflow) func_error(ctx, LODE_ERROR, "integer overflow");
  else if (s->approx) mem_set_real(ctx->out, sum_real(s));
  else mem_set_int(ctx->out, s->isum);
}

static void total_final(FuncContext *ctx) {
  SumState *s = ctx->agg;
  mem_set_real(ctx->out, s ? sum_real(s) : 0.0);
}

static void avg_final(FuncContext *ctx) {
  SumState *s = ctx->agg;
  if (!s || s->count == 0) return;
  mem_set_real(ctx->out, sum_real(s) / (double)s->count);
}

/* ---- min, max ------------------------------------------------------------------------ */

typedef struct MinMaxState {
  Mem best; /* zeroed memory owns nothing and is safe to release */
  int seen;
} MinMaxState;

static void minmax_step(FuncContext *ctx, Mem *arg, int want_max) {
  MinMaxState *s = ctx->agg;
  int c;
  if (arg->type == MEM_NULL) return;
  if (s->seen) {
    c = mem_compare(arg, &s->best, ctx->coll);
    if (want_max ? c <= 0 : c >= 0) return;
  }
  if (mem_copy(&s->best, arg) != LODE_OK) {
    func_nomem(ctx);
    return;
  }
  s->seen = 1;
}

static void min_step(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  minmax_step(ctx, argv[0], 0);
}
static void max_step(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  minmax_step(ctx, argv[0], 1);
}

static void minmax_final(FuncContext *ctx) {
  MinMaxState *s = ctx->agg;
  if (!s) return;
  if (s->seen) mem_move(ctx->out, &s->best);
  mem_release(&s->best);
  s->seen = 0;
}

/* ---- group_concat ---------------------------------------------------------------------- */

typedef struct ConcatState {
  StrBuf buf; /* zeroed memory is an empty StrBuf */
  int seen;
} ConcatState;

#define GROUP_CONCAT_DEFAULT_SEP ","

static void group_concat_step(FuncContext *ctx, int argc, Mem **argv) {
  ConcatState *s = ctx->agg;
  char buf[FUNC_TEXT_BUF];
  const char *z;
  int n;
  if (argv[0]->type == MEM_NULL) return;
  if (s->seen) {
    if (argc == 2) {
      mem_text_view(argv[1], buf, &z, &n); /* a NULL separator is "" */
      strbuf_append(&s->buf, z, (size_t)n);
    } else {
      strbuf_appendz(&s->buf, GROUP_CONCAT_DEFAULT_SEP);
    }
  }
  mem_text_view(argv[0], buf, &z, &n);
  /* The limit is checked as the value grows, so a result past it is never built. */
  if ((int64_t)s->buf.n + n > FUNC_MAX_LENGTH) {
    strbuf_reset(&s->buf);
    s->seen = 0;
    func_error(ctx, LODE_TOOBIG, "string or blob too big");
    return;
  }
  strbuf_append(&s->buf, z, (size_t)n);
  s->seen = 1;
  if (s->buf.oom) func_nomem(ctx);
}

static void group_concat_final(FuncContext *ctx) {
  ConcatState *s = ctx->agg;
  if (!s) return;
  if (s->seen) func_result_strbuf(ctx, &s->buf);
  strbuf_reset(&s->buf);
  s->seen = 0;
}

/* ---- window operations ------------------------------------------------------------------
** count, sum, total and avg can take a row back out (inverse), so a sliding
** frame costs one step and one inverse per row; their final leaves the
** state as it is, so it also serves as value.  min, max and group_concat
** only have a value: a frame whose start moves is recomputed. */

static void count_inverse(FuncContext *ctx, int argc, Mem **argv) {
  CountState *s = ctx->agg;
  if (argc == 0 || argv[0]->type != MEM_NULL) s->n--;
}

static void sum_inverse(FuncContext *ctx, int argc, Mem **argv) {
  SumState *s = ctx->agg;
  int64_t v;
  double r = 0.0;
  (void)argc;
  if (argv[0]->type == MEM_NULL) return;
  s->count--;
  int is_int = sum_value(argv[0], &v, &r);
  if (!s->approx) {
    /* every value in the frame is an integer here; an overflow leaves the
    ** double sum where it is, as SQLite's does, and sum() then fails */
    int64_t x;
    if (!__builtin_sub_overflow(s->isum, is_int ? v : mem_as_int(argv[0]), &x)) s->isum = x;
    else s->overflow = s->approx = 1;
  } else if (is_int) {
    if (v != INT64_MIN) {
      sum_add_int(s, -v);
    } else {
      sum_add_int(s, INT64_MAX);
      sum_add_int(s, 1);
    }
  } else {
    sum_add_real(s, -r);
  }
}

static void minmax_value(FuncContext *ctx) {
  MinMaxState *s = ctx->agg;
  if (s && s->seen) func_result_copy(ctx, &s->best);
}

static void group_concat_value(FuncContext *ctx) {
  ConcatState *s = ctx->agg;
  if (!s || !s->seen) return;
  if (s->buf.oom) func_nomem(ctx);
  else func_result_bytes(ctx, s->buf.z ? s->buf.z : "", (int)s->buf.n, 0);
}

static const FuncWindowOps count_ops = {count_final, count_inverse, 0};
static const FuncWindowOps sum_ops = {sum_final, sum_inverse, 0};
static const FuncWindowOps total_ops = {total_final, sum_inverse, 0};
static const FuncWindowOps avg_ops = {avg_final, sum_inverse, 0};
static const FuncWindowOps min_ops = {minmax_value, NULL, -1};
static const FuncWindowOps max_ops = {minmax_value, NULL, 1};
static const FuncWindowOps concat_ops = {group_concat_value, NULL, 0};

/* The window operations of application-defined aggregates (FUNC_APP_WINDOW):
** one set for all of them, which finds each function's own through its
** user data; set by the API layer that defines such functions. */
static const FuncWindowOps *app_window_ops;

void func_set_app_window_ops(const FuncWindowOps *ops) { app_window_ops = ops; }

const FuncWindowOps *func_window_ops(const FuncDef *f) {
  if (f->flags & FUNC_APP_WINDOW) return app_window_ops;
  if (f->step == count_step) return &count_ops;
  if (f->step == sum_step) return f->final == sum_final ? &sum_ops : f->final == total_final ? &total_ops : &avg_ops;
  if (f->step == min_step) return &min_ops;
  if (f->step == max_step) return &max_ops;
  if (f->step == group_concat_step) return &concat_ops;
  return func_percentile_window_ops(f);
}

/* ---- the table --------------------------------------------------------------------------- */

#define AGG(name, nargs, step, final, type) \
  {{name, nargs, FUNC_AGGREGATE | FUNC_DETERMINISTIC, NULL, step, final, sizeof(type), NULL}, 0}
#define AGG_INLINE(name, nargs, step, final, type, inline_flag) \
  {{name, nargs, FUNC_AGGREGATE | FUNC_DETERMINISTIC | inline_flag, NULL, step, final, sizeof(type), NULL}, 0}

const FuncEntry func_agg_table[] = {
    AGG_INLINE("count", 0, count_step, count_final, CountState, FUNC_INLINE_COUNT),
    AGG_INLINE("count", 1, count_step, count_final, CountState, FUNC_INLINE_COUNT),
    AGG_INLINE("sum", 1, sum_step, sum_final, SumState, FUNC_INLINE_SUM),
    AGG_INLINE("total", 1, sum_step, total_final, SumState, FUNC_INLINE_SUM),
    AGG_INLINE("avg", 1, sum_step, avg_final, SumState, FUNC_INLINE_SUM),
    AGG("min", 1, min_step, minmax_final, MinMaxState),
    AGG("max", 1, max_step, minmax_final, MinMaxState),
    AGG("group_concat", 1, group_concat_step, group_concat_final, ConcatState),
    AGG("group_concat", 2, group_concat_step, group_concat_final, ConcatState),
    AGG("string_agg", 2, group_concat_step, group_concat_final, ConcatState),
    {{NULL, 0, 0, NULL, NULL, NULL, 0, NULL}, 0},
};
