/*
** percentile.c — median(Y), percentile(Y, P), percentile_cont(Y, P) and
** percentile_disc(Y, P), the aggregates SQLite 3.53 builds in: also window
** functions, with an inverse that takes a value back out of the frame.
**
** Each keeps every non-NULL Y as a double in a growing array, sorted when
** a result is asked for.  P is a fraction between 0 and 1 (percentile()
** takes it in per cent, 0 to 100); it must be a number, and the same (to
** within 0.001) on every row, which SQLite checks on every row before it
** looks at Y.  Y must be an INTEGER or a REAL (text does not count, even
** text that reads as a number) and not infinite.
**
** The result is a REAL: with the values sorted as a[0..n-1] and
** ix = P * (n - 1), percentile_disc gives a[floor(ix)]; the others
** interpolate linearly between a[floor(ix)] and the next value.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "func/func_internal.h"

typedef struct PercentileKind {
  const char *name;
  double max_frac; /* P's upper bound: 100 for percentile(), else 1 */
  int discrete;    /* percentile_disc: no interpolation */
  int fixed_frac;  /* median: P is 0.5, not an argument */
} PercentileKind;

static const PercentileKind kind_median = {"median", 1.0, 0, 1};
static const PercentileKind kind_percentile = {"percentile", 100.0, 0, 0};
static const PercentileKind kind_cont = {"percentile_cont", 1.0, 0, 0};
static const PercentileKind kind_disc = {"percentile_disc", 1.0, 1, 0};

typedef struct PercentileState {
  double *a; /* the values, util_malloc'd */
  int64_t n, cap;
  double frac; /* P / max_frac, once have_frac */
  int have_frac;
  int sorted; /* a[0..n) is in order */
} PercentileState;

/* Two fractions are the same to SQLite when they differ by at most this. */
#define PERCENTILE_FRAC_SLACK 0.001

static void percentile_fail(FuncContext *ctx, const char *fmt, const char *name, double bound) {
  char *msg = util_mprintf(fmt, name, bound);
  if (!msg) {
    func_nomem(ctx);
    return;
  }
  func_error(ctx, LODE_ERROR, msg);
  util_free(msg);
}

/* P of this row: 1 when it is acceptable (and recorded), else 0 with the error set. */
static int check_fraction(FuncContext *ctx, const PercentileKind *k, PercentileState *s, const Mem *p) {
  double frac = -1.0;
  int64_t iv;
  if (p->type == MEM_INT) frac = (double)p->u.i / k->max_frac;
  else if (p->type == MEM_REAL) frac = p->u.r / k->max_frac;
  else if (p->type == MEM_TEXT && util_parse_number(p->z, (size_t)p->n, &iv, &frac) > 0)
    frac = mem_as_real(p) / k->max_frac; /* text that reads as a number counts as one */
  else frac = -1.0;
  if (!(frac >= 0.0 && frac <= 1.0)) {
    percentile_fail(ctx, "the fraction argument to %s() is not between 0.0 and %.1f", k->name, k->max_frac);
    return 0;
  }
  if (!s->have_frac) {
    s->frac = frac;
    s->have_frac = 1;
  } else if (fabs(s->frac - frac) > PERCENTILE_FRAC_SLACK) {
    percentile_fail(ctx, "the fraction argument to %s() is not the same for all input rows", k->name, 0);
    return 0;
  }
  return 1;
}

static void percentile_step(FuncContext *ctx, int argc, Mem **argv) {
  const PercentileKind *k = ctx->user_data;
  PercentileState *s = ctx->agg;
  double y;
  if (k->fixed_frac) {
    s->frac = 0.5;
    s->have_frac = 1;
  } else if (argc < 2 || !check_fraction(ctx, k, s, argv[1])) {
    return;
  }
  if (argv[0]->type == MEM_NULL) return;
  if (argv[0]->type != MEM_INT && argv[0]->type != MEM_REAL) {
    percentile_fail(ctx, "input to %s() is not numeric", k->name, 0);
    return;
  }
  y = argv[0]->type == MEM_INT ? (double)argv[0]->u.i : argv[0]->u.r;
  if (isinf(y)) {
    percentile_fail(ctx, "Inf input to %s()", k->name, 0);
    return;
  }
  if (s->n == s->cap) {
    int64_t cap = s->cap ? s->cap * 2 : 8;
    double *a = util_realloc(s->a, sizeof(double) * (size_t)cap);
    if (!a) {
      func_nomem(ctx);
      return;
    }
    s->a = a;
    s->cap = cap;
  }
  s->sorted = s->n == 0 || (s->sorted && s->a[s->n - 1] <= y);
  s->a[s->n++] = y;
}

static int compare_doubles(const void *pa, const void *pb) {
  double a = *(const double *)pa, b = *(const double *)pb;
  return a < b ? -1 : a > b;
}

/* The result over the values so far, leaving them in place (the window value). */
static void percentile_value(FuncContext *ctx) {
  const PercentileKind *k = ctx->user_data;
  PercentileState *s = ctx->agg;
  if (!s || s->n == 0) return; /* NULL */
  if (!s->sorted) {
    qsort(s->a, (size_t)s->n, sizeof(double), compare_doubles);
    s->sorted = 1;
  }
  double ix = s->frac * (double)(s->n - 1);
  int64_t i1 = (int64_t)ix;
  double v = s->a[i1];
  if (!k->discrete) {
    int64_t i2 = ix == (double)i1 || i1 == s->n - 1 ? i1 : i1 + 1;
    v = s->a[i1] + (s->a[i2] - s->a[i1]) * (ix - (double)i1);
  }
  mem_set_real(ctx->out, v);
}

static void percentile_final(FuncContext *ctx) {
  PercentileState *s = ctx->agg;
  if (!s) return;
  percentile_value(ctx);
  util_free(s->a);
  memset(s, 0, sizeof *s);
}

/* A row leaves the frame: one copy of its value goes (rows that were
** rejected or NULL never came in). */
static void percentile_inverse(FuncContext *ctx, int argc, Mem **argv) {
  PercentileState *s = ctx->agg;
  (void)argc;
  if (argv[0]->type != MEM_INT && argv[0]->type != MEM_REAL) return;
  double y = argv[0]->type == MEM_INT ? (double)argv[0]->u.i : argv[0]->u.r;
  for (int64_t i = 0; i < s->n; i++) {
    if (s->a[i] != y) continue;
    memmove(s->a + i, s->a + i + 1, sizeof(double) * (size_t)(s->n - i - 1));
    s->n--;
    return;
  }
}

static const FuncWindowOps percentile_ops = {percentile_value, percentile_inverse, 0};

const FuncWindowOps *func_percentile_window_ops(const FuncDef *f) {
  return f->step == percentile_step ? &percentile_ops : NULL;
}

#define PERCENTILE(name, nargs, kind)                                                                             \
  {{name, nargs, FUNC_AGGREGATE | FUNC_DETERMINISTIC, NULL, percentile_step, percentile_final,                  \
    sizeof(PercentileState), (void *)&kind},                                                                      \
   0}

const FuncEntry func_percentile_table[] = {
    PERCENTILE("median", 1, kind_median),
    PERCENTILE("percentile", 2, kind_percentile),
    PERCENTILE("percentile_cont", 2, kind_cont),
    PERCENTILE("percentile_disc", 2, kind_disc),
    {{NULL, 0, 0, NULL, NULL, NULL, 0, NULL}, 0},
};
