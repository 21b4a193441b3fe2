/*
** math.c — SQLite's math functions (as built with SQLITE_ENABLE_MATH_FUNCTIONS,
** which Debian's sqlite3 has): pi, sqrt, pow/power, exp, ln, log, log10,
** log2, mod, floor, ceil/ceiling, trunc, degrees, radians and the
** trigonometric and hyperbolic functions.
**
** Arguments must be numeric: INTEGER, REAL, or TEXT that reads entirely as
** a number; anything else (other text, BLOB, NULL) gives NULL.  Results are
** REAL, except that floor/ceil/trunc return an INTEGER argument unchanged.
** Domain errors give NULL: NaN results become NULL through mem_set_real,
** and logarithms of x <= 0 (and bases up to 1) are NULL rather than -Inf.
*/
#include <math.h>

#include "func/func_internal.h"

#define MATH_PI 3.141592653589793238462643383279502884

/* Reads a numeric argument: 0 for NULL/non-numeric, 1 INTEGER (*i and *r
** set), 2 REAL (*r set). */
static int math_arg(const Mem *m, int64_t *i, double *r) {
  int kind;
  switch (m->type) {
    case MEM_INT:
      *i = m->u.i;
      *r = (double)m->u.i;
      return 1;
    case MEM_REAL:
      *r = m->u.r;
      return 2;
    case MEM_TEXT:
      kind = util_parse_number(m->z, (size_t)m->n, i, r);
      if (kind == 1) *r = (double)*i;
      return kind;
    default: return 0;
  }
}

static double math_degrees(double x) { return x * (180.0 / MATH_PI); }
static double math_radians(double x) { return x * (MATH_PI / 180.0); }

/* One-argument functions: a thin wrapper per C function. */
#define MATH1(name, cfn)                                           \
  static void fn_##name(FuncContext *ctx, int argc, Mem **argv) {  \
    int64_t i;                                                     \
    double r;                                                      \
    (void)argc;                                                    \
    if (math_arg(argv[0], &i, &r)) mem_set_real(ctx->out, cfn(r)); \
  }
MATH1(sqrt, sqrt)
MATH1(exp, exp)
MATH1(sin, sin)
MATH1(cos, cos)
MATH1(tan, tan)
MATH1(asin, asin)
MATH1(acos, acos)
MATH1(atan, atan)
MATH1(sinh, sinh)
MATH1(cosh, cosh)
MATH1(tanh, tanh)
MATH1(asinh, asinh)
MATH1(acosh, acosh)
MATH1(atanh, atanh)
MATH1(degrees, math_degrees)
MATH1(radians, math_radians)

static void fn_pi(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  (void)argv;
  mem_set_real(ctx->out, MATH_PI);
}

/* Logarithms: x <= 0 is NULL.  ln, log10 (also log with one argument),
** log2, and log(base, x). */
static int log_arg(const Mem *m, double *r) {
  int64_t i;
  return math_arg(m, &i, r) && *r > 0.0;
}
static void fn_ln(FuncContext *ctx, int argc, Mem **argv) {
  double x;
  (void)argc;
  if (log_arg(argv[0], &x)) mem_set_real(ctx->out, log(x));
}
static void fn_log10(FuncContext *ctx, int argc, Mem **argv) {
  double x;
  (void)argc;
  if (log_arg(argv[0], &x)) mem_set_real(ctx->out, log10(x));
}
static void fn_log2(FuncContext *ctx, int argc, Mem **argv) {
  double x;
  (void)argc;
  if (log_arg(argv[0], &x)) mem_set_real(ctx->out, log2(x));
}
/* log(B, X) as SQLite computes it: the base must be numeric with ln(B) > 0 (so B > 1), while X is read the lenient
** way (text by its numeric prefix, a BLOB as its bytes, NULL as 0) and only needs to be positive. */
static void fn_logb(FuncContext *ctx, int argc, Mem **argv) {
  double b, x;
  (void)argc;
  if (!log_arg(argv[0], &b)) return;
  b = log(b);
  x = mem_as_real(argv[1]);
  if (b <= 0.0 || x <= 0.0) return;
  mem_set_real(ctx->out, log(x) / b);
}

static void fn_pow(FuncContext *ctx, int argc, Mem **argv) {
  int64_t i;
  double x, y;
  (void)argc;
  if (math_arg(argv[0], &i, &x) && math_arg(argv[1], &i, &y)) mem_set_real(ctx->out, pow(x, y));
}

static void fn_atan2(FuncContext *ctx, int argc, Mem **argv) {
  int64_t i;
  double y, x;
  (void)argc;
  if (math_arg(argv[0], &i, &y) && math_arg(argv[1], &i, &x)) mem_set_real(ctx->out, atan2(y, x));
}

static void fn_mod(FuncContext *ctx, int argc, Mem **argv) {
  int64_t i;
  double x, y;
  (void)argc;
  if (math_arg(argv[0], &i, &x) && math_arg(argv[1], &i, &y)) mem_set_real(ctx->out, fmod(x, y));
}

/* floor, ceil, trunc: INTEGER stays INTEGER. */
static void round_like(FuncContext *ctx, Mem *arg, double (*fn)(double)) {
  int64_t i;
  double r;
  int kind = math_arg(arg, &i, &r);
  if (kind == 1) mem_set_int(ctx->out, i);
  else if (kind == 2) mem_set_real(ctx->out, fn(r));
}
static void fn_floor(FuncContext *ctx, int argc, Mem **argv) { (void)argc; round_like(ctx, argv[0], floor); }
static void fn_ceil(FuncContext *ctx, int argc, Mem **argv) { (void)argc; round_like(ctx, argv[0], ceil); }
static void fn_trunc(FuncContext *ctx, int argc, Mem **argv) { (void)argc; round_like(ctx, argv[0], trunc); }

#define MATHFN(name, nargs, fn) {{name, nargs, FUNC_DETERMINISTIC | FUNC_BORROWS_ARGS, fn, NULL, NULL, 0, NULL}, 0}

const FuncEntry func_math_table[] = {
    MATHFN("pi", 0, fn_pi),         MATHFN("sqrt", 1, fn_sqrt),       MATHFN("exp", 1, fn_exp),
    MATHFN("ln", 1, fn_ln),         MATHFN("log", 1, fn_log10),       MATHFN("log10", 1, fn_log10),
    MATHFN("log2", 1, fn_log2),     MATHFN("log", 2, fn_logb),        MATHFN("pow", 2, fn_pow),
    MATHFN("power", 2, fn_pow),     MATHFN("mod", 2, fn_mod),         MATHFN("floor", 1, fn_floor),
    MATHFN("ceil", 1, fn_ceil),     MATHFN("ceiling", 1, fn_ceil),    MATHFN("trunc", 1, fn_trunc),
    MATHFN("sin", 1, fn_sin),       MATHFN("cos", 1, fn_cos),         MATHFN("tan", 1, fn_tan),
    MATHFN("asin", 1, fn_asin),     MATHFN("acos", 1, fn_acos),       MATHFN("atan", 1, fn_atan),
    MATHFN("atan2", 2, fn_atan2),       MATHFN("sinh", 1, fn_sinh),       MATHFN("cosh", 1, fn_cosh),
    MATHFN("tanh", 1, fn_tanh),     MATHFN("asinh", 1, fn_asinh),     MATHFN("acosh", 1, fn_acosh),
    MATHFN("atanh", 1, fn_atanh),   MATHFN("degrees", 1, fn_degrees), MATHFN("radians", 1, fn_radians),
    {{NULL, 0, 0, NULL, NULL, NULL, 0, NULL}, 0},
};
