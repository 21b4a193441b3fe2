/*
** num.c — numbers rendered and parsed the way SQLite does it.
**
** util_render_real15 renders a REAL as SQLite 3.40 did, "%!.15g" (the 3.53
** rendering is real_text.c): 15 significant digits, the
** shorter of fixed and exponent notation exactly as C's %g chooses, trailing
** zeros dropped, but always a decimal point ("1.0", "1.0e+20"); infinities
** are "Inf"/"-Inf"; negative zero prints as "0.0" (SQLite tests r<0).
**
** Parsing follows SQLite's numeric text rules:
**   [space] [+|-] digits [. digits] [(e|E) [+|-] digits] [space]
** with digits allowed to be empty on one side of the point (".5", "1.")
** but not both.  No hex, no "inf"/"nan", no separators.  An exponent
** marker without digits ends the number ("1e" is the prefix "1").
** Decimal-to-binary conversion is delegated to strtod on a normalized,
** locale-free copy "[-]DIGITSeEXP" so that results are correctly rounded.
**
** Invariants: no function reads z[n] or beyond; no allocation happens here.
*/
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

#define RENDER_REAL_DIGITS 15
#define NUM_MAX_MANTISSA 120     /* significant digits kept for strtod */
#define NUM_EXP_CLAMP 100000     /* beyond this, exponent means 0 or Inf */

/* SQLite's notion of white space around numbers. */
static int num_is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
static int num_is_digit(char c) { return c >= '0' && c <= '9'; }

/* What a scan of numeric text found. */
typedef struct NumScan {
  size_t start;      /* first byte of the number (its sign, if any) */
  size_t end;        /* one past the last byte of the numeric prefix */
  int neg;           /* leading '-' */
  int ndigits;       /* mantissa digits on both sides of the point */
  int is_int;        /* no point and no exponent consumed */
  int complete;      /* only white space follows the prefix */
  size_t int_start;  /* first mantissa digit */
  size_t int_end;    /* end of the digits before the point */
  size_t frac_start; /* first digit after the point (== frac_end if none) */
  size_t frac_end;
  int64_t exp;       /* explicit exponent, clamped */
} NumScan;

static size_t num_scan_digits(const char *z, size_t i, size_t n) {
  while (i < n && num_is_digit(z[i])) i++;
  return i;
}

/* Scans the optional exponent at z[i]; returns the index after it, or i if
** there is no complete exponent there. */
static size_t num_scan_exponent(const char *z, size_t i, size_t n, int64_t *exp) {
  size_t j = i + 1;
  int neg = 0;
  int64_t e = 0;
  if (i >= n || (z[i] != 'e' && z[i] != 'E')) return i;
  if (j < n && (z[j] == '+' || z[j] == '-')) neg = z[j++] == '-';
  if (j >= n || !num_is_digit(z[j])) return i;
  for (; j < n && num_is_digit(z[j]); j++) {
    if (e < NUM_EXP_CLAMP) e = e * 10 + (z[j] - '0');
  }
  *exp = neg ? -e : e;
  return j;
}

static void num_scan(const char *z, size_t n, NumScan *s) {
  size_t i = 0;
  memset(s, 0, sizeof(*s));
  while (i < n && num_is_space(z[i])) i++;
  s->start = i;
  if (i < n && (z[i] == '+' || z[i] == '-')) s->neg = z[i++] == '-';
  s->int_start = i;
  i = num_scan_digits(z, i, n);
  s->int_end = i;
  s->frac_start = s->frac_end = i;
  s->is_int = 1;
  if (i < n && z[i] == '.') {
    s->frac_start = i + 1;
    s->frac_end = num_scan_digits(z, i + 1, n);
    if (s->int_end > s->int_start || s->frac_end > s->frac_start) {
      i = s->frac_end;
      s->is_int = 0;
    } else {
      s->frac_start = s->frac_end = i;
    }
  }
  s->ndigits = (int)((s->int_end - s->int_start) + (s->frac_end - s->frac_start));
  if (s->ndigits > 0) {
    size_t after = num_scan_exponent(z, i, n, &s->exp);
    if (after != i) s->is_int = 0;
    i = after;
  } else {
    i = s->start;
  }
  s->end = i;
  while (i < n && num_is_space(z[i])) i++;
  s->complete = s->ndigits > 0 && i == n;
}

/* Integer value of the digits z[a..b); returns 0 if it does not fit. */
static int num_digits_to_int(const char *z, size_t a, size_t b, int neg, int64_t *out) {
  uint64_t v = 0;
  uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  for (; a < b; a++) {
    unsigned d = (unsigned)(z[a] - '0');
    if (v > (limit - d) / 10) return 0;
    v = v * 10 + d;
  }
  *out = neg ? (int64_t)(0 - v) : (int64_t)v;
  return 1;
}

/* The scanned number as a double, via a normalized "[-]DIGITSeEXP" copy. */
static double num_scan_to_real(const char *z, const NumScan *s) {
  char buf[NUM_MAX_MANTISSA + 32];
  size_t k = 0, i;
  int kept = 0;
  int64_t exp = s->exp;
  if (s->neg) buf[k++] = '-';
  for (i = s->int_start; i < s->frac_end; i++) {
    if (i == s->int_end) i = s->frac_start; /* skip the point */
    if (i >= s->frac_end) break;
    if (kept == 0 && z[i] == '0') {
      if (i >= s->frac_start) exp--; /* leading fractional zero */
      continue;
    }
    if (kept < NUM_MAX_MANTISSA) {
      buf[k++] = z[i];
      kept++;
      if (i >= s->frac_start) exp--;
    } else if (i < s->int_end) {
      exp++; /* dropped integer digit still scales the value */
    }
  }
  if (kept == 0) return s->neg ? -0.0 : 0.0;
  if (exp > NUM_EXP_CLAMP) exp = NUM_EXP_CLAMP;
  if (exp < -NUM_EXP_CLAMP) exp = -NUM_EXP_CLAMP;
  snprintf(buf + k, sizeof(buf) - k, "e%lld", (long long)exp);
  return strtod(buf, NULL);
}

int util_parse_number(const char *z, size_t n, int64_t *pi, double *pr) {
  NumScan s;
  num_scan(z, n, &s);
  if (!s.complete) return 0;
  if (s.is_int && num_digits_to_int(z, s.int_start, s.int_end, s.neg, pi)) return 1;
  *pr = num_scan_to_real(z, &s);
  return 2;
}

int util_text_to_number_prefix(const char *z, size_t n, int64_t *pi, double *pr) {
  NumScan s;
  num_scan(z, n, &s);
  if (s.ndigits == 0) {
    *pi = 0;
    return 1;
  }
  if (s.is_int && num_digits_to_int(z, s.int_start, s.int_end, s.neg, pi)) return 1;
  *pr = num_scan_to_real(z, &s);
  return 2;
}

int64_t util_text_to_int_prefix(const char *z, size_t n) {
  size_t i = 0, end;
  int neg = 0;
  int64_t v;
  while (i < n && num_is_space(z[i])) i++;
  if (i < n && (z[i] == '+' || z[i] == '-')) neg = z[i++] == '-';
  end = num_scan_digits(z, i, n);
  if (num_digits_to_int(z, i, end, neg, &v)) return v;
  return neg ? INT64_MIN : INT64_MAX; /* CAST saturates */
}

double util_text_to_real_prefix(const char *z, size_t n) {
  NumScan s;
  num_scan(z, n, &s);
  if (s.ndigits == 0) return 0.0;
  return num_scan_to_real(z, &s);
}

/* Inserts ".0" before the exponent (or at the end) when buf has no point. */
static int num_force_point(char *buf, int len) {
  char *e = strchr(buf, 'e');
  int at = e ? (int)(e - buf) : len;
  int i;
  for (i = 0; i < at; i++) {
    if (buf[i] == '.') return len;
  }
  memmove(buf + at + 2, buf + at, (size_t)(len - at) + 1);
  buf[at] = '.';
  buf[at + 1] = '0';
  return len + 2;
}

int util_render_real15(double r, char *buf) {
  int len, i;
  if (isnan(r)) {
    memcpy(buf, "NaN", 4);
    return 3;
  }
  if (isinf(r)) {
    const char *z = r < 0 ? "-Inf" : "Inf";
    size_t zl = strlen(z);
    memcpy(buf, z, zl + 1);
    return (int)zl;
  }
  if (r == 0.0) r = 0.0; /* turns -0.0 into +0.0 */
  len = snprintf(buf, 32, "%.*g", RENDER_REAL_DIGITS, r);
  assert(len > 0 && len < 28);
  for (i = 0; i < len; i++) {
    if (buf[i] == ',') buf[i] = '.'; /* a host locale's decimal comma */
  }
  return num_force_point(buf, len);
}

/* Digits are written from the end of a scratch buffer and moved down; the
** magnitude is taken as unsigned so that INT64_MIN needs no special case. */
int util_render_int(int64_t v, char *buf) {
  char tmp[20];
  char *p = tmp + sizeof tmp;
  uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  int n = 0, len;
  do {
    *--p = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) buf[n++] = '-';
  len = (int)(tmp + sizeof tmp - p);
  memcpy(buf + n, p, (size_t)len);
  n += len;
  buf[n] = 0;
  return n;
}
