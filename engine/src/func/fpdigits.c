/*
** fpdigits.c — decimal digits of a double, rounded the way SQLite 3.40's
** printf rounds them (round() and printf() both depend on this).
**
** SQLite's printf adds half a unit of the last requested place to the
** value and then emits digits, at most 16 significant ones (the rest are
** zeros).  For fixed notation it also nudges the value up by 3e-16 of
** itself while the requested precision is small against the magnitude
** (precision + binary_exponent/3 < 15), so that 1.005 prints as 1.01 with
** two decimals although the double is 1.00499999999999989...
** We do the same addition exactly, in decimal, on the first 40 significant
** digits of the double (glibc's printf gives those exactly rounded).
**
** Digit buffer: d[i] has weight 10^(exp10 + 1 - i); d[0] catches a carry.
**
** func_fp_exp_digits is the other flavour, for quote()'s "%!.20e": there
** SQLite asks for more digits than a double holds, and what it prints past
** the 17th digit is whatever its long double arithmetic leaves: the value is
** scaled into [1, 10) by dividing by a power of ten built from double
** constants, half a unit of the last place (a double) is added, and each
** digit is the integer part, the rest being multiplied by ten.  quote(2^63)
** is 9.2233720368547758078e+18 there, not the exact ...75808.  We run the
** same arithmetic in long double, which on x86-64 is the same 64-bit
** mantissa format SQLite's Debian build uses.
*/
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "func/func_internal.h"

#define FP_EXACT_DIGITS 40
#define FP_BUF 96
#define FP_FUDGE_SHIFT 16  /* 3e-16 relative: 3 times the digits, 16 places down */
#define FP_FUDGE_FACTOR 3
#define FP_FUDGE_LIMIT 15

int func_fp_fudge(double a, int decimals) {
  int e2;
  if (a == 0.0) return 1;
  frexp(a, &e2);
  return decimals + (e2 - 1) / 3 < FP_FUDGE_LIMIT;
}

int func_fp_exp10(double a) {
  char exact[FP_EXACT_DIGITS + 16];
  if (!(a > 0.0) || isinf(a)) return 0;
  snprintf(exact, sizeof(exact), "%.*e", FP_EXACT_DIGITS - 1, a);
  return atoi(strchr(exact, 'e') + 1);
}

int func_fp_digits(double a, int w, int fudge, int max_sig, char *out, int *e10) {
  char exact[FP_EXACT_DIGITS + 16];
  uint8_t d[FP_BUF];
  int exp10, k, idx, first, last, rpos, len = 0;
  *e10 = 0;
  if (!(a > 0.0) || isinf(a)) return 0;
  memset(d, 0, sizeof(d));
  snprintf(exact, sizeof(exact), "%.*e", FP_EXACT_DIGITS - 1, a);
  exp10 = atoi(strchr(exact, 'e') + 1);
  if (exp10 < w - 1) return 0; /* below half a unit: nothing survives */
  for (k = 0, idx = 1; exact[k] != 'e'; k++) {
    int digit = exact[k] - '0';
    if (digit < 0 || digit > 9) continue; /* the decimal point */
    d[idx] = (uint8_t)(d[idx] + digit);
    if (fudge) d[idx + FP_FUDGE_SHIFT] = (uint8_t)(d[idx + FP_FUDGE_SHIFT] + FP_FUDGE_FACTOR * digit);
    idx++;
  }
  rpos = exp10 + 2 - w; /* the half unit: weight 10^(w-1) */
  if (rpos < FP_BUF) d[rpos] = (uint8_t)(d[rpos] + 5);
  for (k = FP_BUF - 1; k > 0; k--) {
    d[k - 1] = (uint8_t)(d[k - 1] + d[k] / 10);
    d[k] %= 10;
  }
  for (first = 0; first < FP_BUF && d[first] == 0; first++) {
  }
  last = exp10 + 1 - w;
  if (first > last || first == FP_BUF) return 0;
  if (last > first + max_sig - 1) last = first + max_sig - 1;
  if (last > FP_BUF - 1) last = FP_BUF - 1;
  for (k = first; k <= last; k++) out[len++] = (char)('0' + d[k]);
  while (len > 1 && out[len - 1] == '0') len--; /* callers pad with zeros */
  *e10 = exp10 + 1 - first;
  return len;
}

/* Powers of ten as SQLite's scaling loop uses them: double constants. */
#define FP_BIG_STEP 1e100
#define FP_MID_STEP 1e10
#define FP_BIG_EXP 100
#define FP_MID_EXP 10
#define FP_TINY 1e-8
#define FP_TINY_STEP 1e8
#define FP_TINY_EXP 8
#define FP_EXP_LIMIT 350
#define FP_ROUND_STEP 1e-10
#define FP_ROUND_STEP_DIGITS 10

/* a > 0 finite, scaled into [1, 10): returns the decimal exponent. */
static int fp_scale(long double *v) {
  long double scale = 1.0L;
  int e = 0;
  while (*v >= FP_BIG_STEP * scale && e <= FP_EXP_LIMIT) {
    scale *= FP_BIG_STEP;
    e += FP_BIG_EXP;
  }
  while (*v >= FP_MID_STEP * scale && e <= FP_EXP_LIMIT) {
    scale *= FP_MID_STEP;
    e += FP_MID_EXP;
  }
  while (*v >= 10.0 * scale && e <= FP_EXP_LIMIT) {
    scale *= 10.0;
    e++;
  }
  *v /= scale;
  while (*v < FP_TINY) {
    *v *= FP_TINY_STEP;
    e -= FP_TINY_EXP;
  }
  while (*v < 1.0) {
    *v *= 10.0;
    e--;
  }
  return e;
}

/* Half a unit of the prec-th decimal, computed in double as SQLite does. */
static double fp_rounder(int prec) {
  static const double half[FP_ROUND_STEP_DIGITS] = {5.0e-01, 5.0e-02, 5.0e-03, 5.0e-04, 5.0e-05,
                                                    5.0e-06, 5.0e-07, 5.0e-08, 5.0e-09, 5.0e-10};
  double r = half[prec % FP_ROUND_STEP_DIGITS];
  for (; prec >= FP_ROUND_STEP_DIGITS; prec -= FP_ROUND_STEP_DIGITS) r *= FP_ROUND_STEP;
  return r;
}

int func_fp_exp_digits(double a, int prec, int max_sig, char *out, int *e10) {
  long double v = a;
  int e, k;
  assert(a > 0.0 && !isinf(a) && prec >= 0);
  e = fp_scale(&v);
  v += fp_rounder(prec);
  if (v >= 10.0) {
    v *= 0.1; /* SQLite's inexact 0.1, kept for the same digits */
    e++;
  }
  for (k = 0; k <= prec; k++) {
    int digit = 0;
    if (k < max_sig) {
      digit = (int)v;
      v = (v - digit) * 10.0;
    }
    out[k] = (char)('0' + digit);
  }
  *e10 = e;
  return prec + 1;
}
