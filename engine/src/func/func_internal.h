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

typedef struct FuncEntry {
  FuncDef def;
  int min_args; /* for nargs == -1 */
} FuncEntry;

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

/* Decimal digits of a > 0 rounded like SQLite's printf: half a unit of
** weight 10^w added (plus SQLite's 3e-16 relative nudge when fudge is set),
** at most max_sig significant digits kept, trailing zeros dropped.  Writes
** the digits to out (max_sig bytes, no NUL), the weight exponent of the
** first digit to *e10, and returns the digit count (0: rounds to zero). */
#define FUNC_FP_SIG_DIGITS 16
int func_fp_digits(double a, int w, int fudge, int max_sig, char *out, int *e10);
/* SQLite's long double digit loop for "%.{prec}e" on finite a > 0: writes
** prec + 1 digits to out (zeros after the first max_sig), the decimal
** exponent of the first to *e10, and returns prec + 1.  See fpdigits.c. */
#define FUNC_FP_ALT_SIG_DIGITS 26 /* the '!' flag's limit */
int func_fp_exp_digits(double a, int prec, int max_sig, char *out, int *e10);
/* Decimal exponent of a > 0 (the weight of its first significant digit). */
int func_fp_exp10(double a);
/* Whether SQLite's fixed-notation nudge applies to a with that many decimals. */
int func_fp_fudge(double a, int decimals);

/* Appends r in fixed notation with prec decimals, rounded like SQLite. */
void func_format_fixed(StrBuf *b, double r, int prec);

/* Sets ctx->rc and a copy of msg as ctx->errmsg (NULL if that copy fails). */
void func_error(FuncContext *ctx, int rc, const char *msg);
void func_nomem(FuncContext *ctx);
/* Sets ctx->out to a copy of z[0..n) as TEXT (or BLOB when blob is set). */
void func_result_bytes(FuncContext *ctx, const char *z, int n, int blob);
/* Hands a finished StrBuf to ctx->out as TEXT; oom → LODE_NOMEM. */
void func_result_strbuf(FuncContext *ctx, StrBuf *b);
/* Copies *m into ctx->out. */
void func_result_copy(FuncContext *ctx, const Mem *m);

#endif /* LODE_FUNC_INTERNAL_H */
