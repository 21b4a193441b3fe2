/*
** shell_decimal.c — the decimal and ieee754 SQL functions that sqlite3's
** shell gives every connection it opens, with sqlite3 3.40's results.
**
** decimal: numbers as text of any length, computed digit by digit.
**   decimal(X)            X in canonical decimal text
**   decimal_add(A,B)  decimal_sub(A,B)  decimal_mul(A,B)
**   decimal_cmp(A,B)      -1, 0 or +1
**   decimal_sum(X)        aggregate and window function
**   COLLATE decimal       orders text by its decimal value
** A Decimal holds its digits most significant first, nFrac of them after
** the point.  Text is read loosely, as sqlite3 reads it: blanks before a
** sign, then digits with one '.', then an exponent 'e' (any character that
** is none of these is skipped, so 'abc' is 0).  Results keep the digits
** the operands had: '1.0' + '1.00' is '2.00', and '1.0' compares greater
** than '1' (sqlite3 3.40's order).  NULL in, NULL out.
**
** ieee754: a double as M * 2^E with integers M and E (M odd unless 0).
**   ieee754(X)            the text 'ieee754(M,E)'; X may be an 8-byte blob
**   ieee754(M,E)          the double M * 2^E
**   ieee754_mantissa(X)  ieee754_exponent(X)
**   ieee754_to_blob(X)    the 8 big-endian bytes of a number; else NULL
**   ieee754_from_blob(B)  the double of 8 bytes; else NULL
*/
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shell_int.h"
#include "sqlite3.h"

typedef struct Decimal {
  int sign;           /* 1: negative */
  int oom;            /* an allocation failed */
  int is_null;        /* the value is NULL */
  int is_init;        /* decimal_sum's accumulator was set to 0 */
  int ndigit;         /* digits in a */
  int nfrac;          /* of them after the decimal point */
  signed char *a;     /* the digits, most significant first */
} Decimal;

static void decimal_clear(Decimal *p) {
  if (p) sqlite3_free(p->a);
  if (p) p->a = NULL;
}

static void decimal_free(Decimal *p) {
  decimal_clear(p);
  sqlite3_free(p);
}

/* Parses n bytes of z into p (whose fields are zero). */
static void decimal_parse(Decimal *p, const unsigned char *z, int n) {
  int i = 0, point = 0, exp = 0;
  p->a = sqlite3_malloc64((sqlite3_uint64)n + 1);
  if (!p->a) {
    p->oom = 1;
    return;
  }
  while (i < n && isspace(z[i])) i++;
  if (i < n && z[i] == '-') p->sign = 1, i++;
  else if (i < n && z[i] == '+') i++;
  while (i < n && z[i] == '0') i++;
  for (; i < n; i++) {
    unsigned char c = z[i];
    if (c >= '0' && c <= '9') {
      p->a[p->ndigit++] = (signed char)(c - '0');
    } else if (c == '.') {
      point = p->ndigit + 1;
    } else if (c == 'e' || c == 'E') {
      int j = i + 1, neg = 0;
      if (j >= n) break;
      if (z[j] == '-') neg = 1, j++;
      else if (z[j] == '+') j++;
      for (; j < n && exp < 1000000; j++)
        if (z[j] >= '0' && z[j] <= '9') exp = exp * 10 + z[j] - '0';
      if (neg) exp = -exp;
      break;
    }
  }
  if (point) p->nfrac = p->ndigit - (point - 1);
  if (exp > 0) {
    if (p->nfrac > 0) {
      if (exp <= p->nfrac) {
        p->nfrac -= exp;
        exp = 0;
      } else {
        exp -= p->nfrac;
        p->nfrac = 0;
      }
    }
    if (exp > 0) {
      signed char *a = sqlite3_realloc64(p->a, (sqlite3_uint64)p->ndigit + (sqlite3_uint64)exp + 1);
      if (!a) {
        p->oom = 1;
        return;
      }
      p->a = a;
      memset(p->a + p->ndigit, 0, (size_t)exp);
      p->ndigit += exp;
    }
  } else if (exp < 0) {
    exp = -exp;
    int extra = p->ndigit - p->nfrac - 1; /* integer digits that can move behind the point */
    if (extra) {
      if (extra >= exp) {
        p->nfrac += exp;
        exp = 0;
      } else {
        exp -= extra;
        p->nfrac = p->ndigit - 1;
      }
    }
    if (exp > 0) {
      signed char *a = sqlite3_realloc64(p->a, (sqlite3_uint64)p->ndigit + (sqlite3_uint64)exp + 1);
      if (!a) {
        p->oom = 1;
        return;
      }
      p->a = a;
      memmove(p->a + exp, p->a, (size_t)p->ndigit);
      memset(p->a, 0, (size_t)exp);
      p->ndigit += exp;
      p->nfrac += exp;
    }
  }
}

/* A new Decimal of v (NULL: is_null), or of the n bytes of z when z is set.
** NULL when out of memory (the error is set on ctx, if any). */
static Decimal *decimal_new(sqlite3_context *ctx, sqlite3_value *v, int n, const unsigned char *z) {
  Decimal *p = sqlite3_malloc(sizeof *p);
  if (!p) {
    if (ctx) sqlite3_result_error_nomem(ctx);
    return NULL;
  }
  memset(p, 0, sizeof *p);
  if (!z) {
    if (sqlite3_value_type(v) == SQLITE_NULL) {
      p->is_null = 1;
      return p;
    }
    z = sqlite3_value_text(v);
    n = sqlite3_value_bytes(v);
    if (!z) z = (const unsigned char *)"", n = 0;
  }
  decimal_parse(p, z, n);
  if (p->oom) {
    if (ctx) sqlite3_result_error_nomem(ctx);
    decimal_free(p);
    return NULL;
  }
  return p;
}

static void decimal_result(sqlite3_context *ctx, Decimal *p) {
  if (!p || p->oom) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (p->is_null) {
    sqlite3_result_null(ctx);
    return;
  }
  char *z = sqlite3_malloc(p->ndigit + 4);
  if (!z) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  int i = 0, j = 0;
  if (p->ndigit == 0 || (p->ndigit == 1 && p->a[0] == 0)) p->sign = 0;
  if (p->sign) z[i++] = '-';
  int n = p->ndigit - p->nfrac;
  if (n <= 0) z[i++] = '0';
  while (n > 1 && p->a[j] == 0) j++, n--;
  while (n > 0) z[i++] = (char)(p->a[j++] + '0'), n--;
  if (p->nfrac) {
    z[i++] = '.';
    do z[i++] = (char)(p->a[j++] + '0');
    while (j < p->ndigit);
  }
  z[i] = 0;
  sqlite3_result_text(ctx, z, i, sqlite3_free);
}

/* Negative, zero or positive as a is less than, equal to or greater than b
** (a longer fraction of equal leading digits is greater). */
static int decimal_cmp(const Decimal *a, const Decimal *b) {
  if (a->sign != b->sign) return a->sign ? -1 : 1;
  if (a->sign) {
    const Decimal *t = a;
    a = b;
    b = t;
  }
  int asig = a->ndigit - a->nfrac, bsig = b->ndigit - b->nfrac;
  if (asig != bsig) return asig - bsig;
  int n = a->ndigit < b->ndigit ? a->ndigit : b->ndigit;
  int rc = n ? memcmp(a->a, b->a, (size_t)n) : 0;
  return rc ? rc : a->ndigit - b->ndigit;
}

/* Pads p with zeros to ndigit digits, nfrac of them after the point. */
static void decimal_expand(Decimal *p, int ndigit, int nfrac) {
  int add_frac = nfrac - p->nfrac;
  int add_sig = (ndigit - p->ndigit) - add_frac;
  if (add_frac == 0 && add_sig == 0) return;
  signed char *a = sqlite3_realloc64(p->a, (sqlite3_uint64)ndigit + 1);
  if (!a) {
    p->oom = 1;
    return;
  }
  p->a = a;
  if (add_sig) {
    memmove(p->a + add_sig, p->a, (size_t)p->ndigit);
    memset(p->a, 0, (size_t)add_sig);
    p->ndigit += add_sig;
  }
  if (add_frac) {
    memset(p->a + p->ndigit, 0, (size_t)add_frac);
    p->ndigit += add_frac;
    p->nfrac += add_frac;
  }
}

/* a += b */
static void decimal_add(Decimal *a, Decimal *b) {
  if (!a) return;
  if (a->oom || !b || b->oom) {
    a->oom = 1;
    return;
  }
  if (a->is_null || b->is_null) {
    a->is_null = 1;
    return;
  }
  int nsig = a->ndigit - a->nfrac;
  if (nsig && a->a[0] == 0) nsig--;
  if (nsig < b->ndigit - b->nfrac) nsig = b->ndigit - b->nfrac;
  int nfrac = a->nfrac > b->nfrac ? a->nfrac : b->nfrac;
  int ndigit = nsig + nfrac + 1; /* one more for the carry */
  decimal_expand(a, ndigit, nfrac);
  decimal_expand(b, ndigit, nfrac);
  if (a->oom || b->oom) {
    a->oom = 1;
    return;
  }
  if (a->sign == b->sign) {
    int carry = 0;
    for (int i = ndigit - 1; i >= 0; i--) {
      int x = a->a[i] + b->a[i] + carry;
      carry = x >= 10;
      a->a[i] = (signed char)(carry ? x - 10 : x);
    }
  } else {
    const signed char *big = a->a, *small = b->a;
    if (memcmp(a->a, b->a, (size_t)ndigit) < 0) {
      big = b->a;
      small = a->a;
      a->sign = !a->sign;
    }
    int borrow = 0;
    for (int i = ndigit - 1; i >= 0; i--) {
      int x = big[i] - small[i] - borrow;
      borrow = x < 0;
      a->a[i] = (signed char)(borrow ? x + 10 : x);
    }
  }
}

static void decimal_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  Decimal *p = decimal_new(ctx, argv[0], 0, NULL);
  if (p) decimal_result(ctx, p);
  decimal_free(p);
}

static void decimal_cmp_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  Decimal *a = decimal_new(ctx, argv[0], 0, NULL), *b = NULL;
  if (a && !a->is_null) b = decimal_new(ctx, argv[1], 0, NULL);
  if (b && !b->is_null) {
    int rc = decimal_cmp(a, b);
    sqlite3_result_int(ctx, rc < 0 ? -1 : rc > 0);
  }
  decimal_free(a);
  decimal_free(b);
}

/* decimal_add (user data NULL) and decimal_sub (non-NULL). */
static void decimal_add_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  Decimal *a = decimal_new(ctx, argv[0], 0, NULL);
  Decimal *b = decimal_new(ctx, argv[1], 0, NULL);
  if (a && b) {
    if (sqlite3_user_data(ctx)) b->sign = !b->sign;
    decimal_add(a, b);
    decimal_result(ctx, a);
  }
  decimal_free(a);
  decimal_free(b);
}

static void decimal_mul_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  Decimal *a = decimal_new(ctx, argv[0], 0, NULL);
  Decimal *b = decimal_new(ctx, argv[1], 0, NULL);
  if (a && b && !a->is_null && !b->is_null) {
    int n = a->ndigit + b->ndigit + 2;
    signed char *acc = sqlite3_malloc(n);
    if (!acc) {
      sqlite3_result_error_nomem(ctx);
    } else {
      memset(acc, 0, (size_t)n);
      int min_frac = a->nfrac < b->nfrac ? a->nfrac : b->nfrac;
      for (int i = a->ndigit - 1; i >= 0; i--) {
        int f = a->a[i], carry = 0, k = i + b->ndigit + 2, x;
        for (int j = b->ndigit - 1; j >= 0; j--, k--) {
          x = acc[k] + f * b->a[j] + carry;
          acc[k] = (signed char)(x % 10);
          carry = x / 10;
        }
        x = acc[k] + carry;
        acc[k] = (signed char)(x % 10);
        acc[k - 1] = (signed char)(acc[k - 1] + x / 10);
      }
      sqlite3_free(a->a);
      a->a = acc;
      a->ndigit = n;
      a->nfrac += b->nfrac;
      a->sign ^= b->sign;
      /* the fraction loses its trailing zeros down to the shorter operand's */
      while (a->nfrac > min_frac && a->a[a->ndigit - 1] == 0) a->nfrac--, a->ndigit--;
      decimal_result(ctx, a);
    }
  }
  decimal_free(a);
  decimal_free(b);
}

/* decimal_sum's step (negate 0) and inverse (negate 1). */
static void decimal_sum_add(sqlite3_context *ctx, sqlite3_value **argv, int negate) {
  Decimal *p = sqlite3_aggregate_context(ctx, sizeof *p);
  if (!p) return;
  if (!p->is_init) {
    p->is_init = 1;
    p->a = sqlite3_malloc(2);
    if (!p->a) p->oom = 1;
    else p->a[0] = 0;
    p->ndigit = 1;
    p->nfrac = 0;
  }
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
  Decimal *arg = decimal_new(NULL, argv[0], 0, NULL);
  if (arg && negate) arg->sign = !arg->sign;
  decimal_add(p, arg);
  decimal_free(arg);
}

static void decimal_sum_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  decimal_sum_add(ctx, argv, 0);
}

static void decimal_sum_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  decimal_sum_add(ctx, argv, 1);
}

static void decimal_sum_value(sqlite3_context *ctx) {
  Decimal *p = sqlite3_aggregate_context(ctx, 0);
  if (p) decimal_result(ctx, p);
}

static void decimal_sum_final(sqlite3_context *ctx) {
  Decimal *p = sqlite3_aggregate_context(ctx, 0);
  if (!p) return;
  decimal_result(ctx, p);
  decimal_clear(p);
}

static int decimal_collate(void *arg, int n1, const void *z1, int n2, const void *z2) {
  (void)arg;
  Decimal *a = decimal_new(NULL, NULL, n1, z1), *b = decimal_new(NULL, NULL, n2, z2);
  int rc = a && b ? decimal_cmp(a, b) : 0;
  decimal_free(a);
  decimal_free(b);
  return rc;
}

/* ---- ieee754 ------------------------------------------------------------------------------ */

#define IEEE754_TEXT 0
#define IEEE754_MANTISSA 1
#define IEEE754_EXPONENT 2

static const int ieee754_kinds[] = {IEEE754_TEXT, IEEE754_MANTISSA, IEEE754_EXPONENT};

static double double_of_bytes(const unsigned char *x) {
  uint64_t v = 0;
  double r;
  for (int i = 0; i < 8; i++) v = (v << 8) | x[i];
  memcpy(&r, &v, sizeof r);
  return r;
}

/* ieee754(X): M and E of X, E counted from 2^-1075 as sqlite3 does (so that
** negative zero, whose sign bit sqlite3 reads into E, gives its result). */
static void ieee754_split(sqlite3_context *ctx, sqlite3_value *v) {
  double r;
  if (sqlite3_value_type(v) == SQLITE_BLOB && sqlite3_value_bytes(v) == 8) r = double_of_bytes(sqlite3_value_blob(v));
  else r = sqlite3_value_double(v);
  int neg = r < 0.0;
  if (neg) r = -r;
  int64_t a, m = 0;
  int e = 0;
  memcpy(&a, &r, sizeof a);
  if (a != 0) {
    e = (int)(a >> 52);
    m = a & (((int64_t)1 << 52) - 1);
    if (e == 0) m <<= 1;
    else m |= (int64_t)1 << 52;
    while (e < 1075 && m > 0 && (m & 1) == 0) m >>= 1, e++;
    if (neg) m = -m;
  }
  switch (*(const int *)sqlite3_user_data(ctx)) {
  case IEEE754_TEXT: {
    char buf[64];
    snprintf(buf, sizeof buf, "ieee754(%lld,%d)", (long long)m, e - 1075);
    sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
    break;
  }
  case IEEE754_MANTISSA:
    sqlite3_result_int64(ctx, m);
    break;
  default:
    sqlite3_result_int(ctx, e - 1075);
    break;
  }
}

/* ieee754(M,E): M * 2^E, rounded toward zero where bits are lost. */
static void ieee754_join(sqlite3_context *ctx, sqlite3_value *vm, sqlite3_value *ve) {
  int64_t m = sqlite3_value_int64(vm), e = sqlite3_value_int64(ve);
  int neg = 0;
  if (e > 10000) e = 10000;
  else if (e < -10000) e = -10000;
  if (m < 0) {
    if (m == INT64_MIN) return; /* no positive counterpart (sqlite3 3.40 loops here) */
    neg = 1;
    m = -m;
  } else if (m == 0 && e > -1000 && e < 1000) {
    sqlite3_result_double(ctx, 0.0);
    return;
  }
  uint64_t um = (uint64_t)m;
  while (um >> 53) um >>= 1, e++;
  while (um != 0 && (um >> 52) == 0) um <<= 1, e--;
  e += 1075;
  if (e <= 0) { /* subnormal */
    um = 1 - e >= 64 ? 0 : um >> (1 - e);
    e = 0;
  } else if (e > 0x7ff) {
    e = 0x7ff;
  }
  uint64_t bits = (um & (((uint64_t)1 << 52) - 1)) | ((uint64_t)e << 52);
  if (neg) bits |= (uint64_t)1 << 63;
  double r;
  memcpy(&r, &bits, sizeof r);
  sqlite3_result_double(ctx, r);
}

static void ieee754_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  if (argc == 1) ieee754_split(ctx, argv[0]);
  else ieee754_join(ctx, argv[0], argv[1]);
}

static void ieee754_to_blob_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  int t = sqlite3_value_type(argv[0]);
  if (t != SQLITE_FLOAT && t != SQLITE_INTEGER) return;
  double r = sqlite3_value_double(argv[0]);
  uint64_t v;
  unsigned char b[8];
  memcpy(&v, &r, sizeof v);
  for (int i = 7; i >= 0; i--, v >>= 8) b[i] = (unsigned char)(v & 0xff);
  sqlite3_result_blob(ctx, b, 8, SQLITE_TRANSIENT);
}

static void ieee754_from_blob_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  if (sqlite3_value_type(argv[0]) != SQLITE_BLOB || sqlite3_value_bytes(argv[0]) != 8) return;
  sqlite3_result_double(ctx, double_of_bytes(sqlite3_value_blob(argv[0])));
}

void shell_register_decimal(lode *db) {
  static int sub = 1;
  sqlite3 *s = (sqlite3 *)(void *)db;
  int flags = SQLITE_UTF8 | SQLITE_INNOCUOUS | SQLITE_DETERMINISTIC;
  sqlite3_create_function(s, "decimal", 1, flags, NULL, decimal_func, NULL, NULL);
  sqlite3_create_function(s, "decimal_cmp", 2, flags, NULL, decimal_cmp_func, NULL, NULL);
  sqlite3_create_function(s, "decimal_add", 2, flags, NULL, decimal_add_func, NULL, NULL);
  sqlite3_create_function(s, "decimal_sub", 2, flags, &sub, decimal_add_func, NULL, NULL);
  sqlite3_create_function(s, "decimal_mul", 2, flags, NULL, decimal_mul_func, NULL, NULL);
  sqlite3_create_window_function(s, "decimal_sum", 1, SQLITE_UTF8 | SQLITE_INNOCUOUS, NULL, decimal_sum_step,
                                 decimal_sum_final, decimal_sum_value, decimal_sum_inverse, NULL);
  sqlite3_create_collation(s, "decimal", SQLITE_UTF8, NULL, decimal_collate);
  sqlite3_create_function(s, "ieee754", 1, flags, (void *)&ieee754_kinds[0], ieee754_func, NULL, NULL);
  sqlite3_create_function(s, "ieee754", 2, flags, (void *)&ieee754_kinds[0], ieee754_func, NULL, NULL);
  sqlite3_create_function(s, "ieee754_mantissa", 1, flags, (void *)&ieee754_kinds[1], ieee754_func, NULL, NULL);
  sqlite3_create_function(s, "ieee754_exponent", 1, flags, (void *)&ieee754_kinds[2], ieee754_func, NULL, NULL);
  sqlite3_create_function(s, "ieee754_to_blob", 1, flags, NULL, ieee754_to_blob_func, NULL, NULL);
  sqlite3_create_function(s, "ieee754_from_blob", 1, flags, NULL, ieee754_from_blob_func, NULL, NULL);
}
