/*
** text.c — vector text: parsing '[1, -2.5, 3e-4]' and rendering a vector
** the way Turso's vector_extract does.
**
** Accepted text: optional ASCII whitespace, '[', numbers separated by ','
** (whitespace allowed around each), ']', optional whitespace; '[]' is the
** vector of no dimensions.  A number is
** [+-] digits [. digits] [(e|E) [+-] digits] (a side of the '.' may be
** empty, not both); no hex, no NaN/Infinity words.  Each number is rounded
** once, to f32 (strtof) or to f64 (strtod); one that overflows to infinity
** is an error, one that underflows becomes zero or a subnormal.
**
** Rendering: each value as the shortest decimal that reads back as the
** same f32 (float32, float8, sparse) or f64 (float64), written out in full
** without an exponent (Rust's Display: 1e-7 is 0.0000001), "-0" for
** negative zero, "NaN"/"inf"/"-inf"; float1bit dimensions are 1 or -1.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ext/vector/vector_int.h"

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Length of the number at z[0..n) (0: not a number). */
static int scan_number(const char *z, int n) {
  int i = 0, int_digits = 0, frac_digits = 0;
  if (i < n && (z[i] == '+' || z[i] == '-')) i++;
  while (i < n && is_digit(z[i])) i++, int_digits++;
  if (i < n && z[i] == '.') {
    i++;
    while (i < n && is_digit(z[i])) i++, frac_digits++;
  }
  if (int_digits + frac_digits == 0) return 0;
  if (i < n && (z[i] == 'e' || z[i] == 'E')) {
    int exp_digits = 0;
    i++;
    if (i < n && (z[i] == '+' || z[i] == '-')) i++;
    while (i < n && is_digit(z[i])) i++, exp_digits++;
    if (exp_digits == 0) return 0;
  }
  return i;
}

/* Converts the number z[0..len) (valid per scan_number). */
static int convert_number(const char *z, int len, int f64, double *out) {
  char small[64], *buf = small;
  if (len >= (int)sizeof small) {
    buf = util_malloc((size_t)len + 1);
    if (!buf) return LODE_NOMEM;
  }
  memcpy(buf, z, (size_t)len);
  buf[len] = 0;
  *out = f64 ? strtod(buf, NULL) : (double)strtof(buf, NULL);
  if (buf != small) util_free(buf);
  return LODE_OK;
}

int vec_parse_text(const char *z, int n, int f64, double **vals, uint32_t *dims, const char **err) {
  static const char malformed[] = "invalid vector text: expected '[' numbers separated by ',' ']'";
  double *v = NULL;
  uint32_t count = 0, cap = 0;
  int i = 0, rc = LODE_ERROR;
  *vals = NULL;
  *dims = 0;
  *err = malformed;
  while (i < n && is_space(z[i])) i++;
  if (i == n || z[i] != '[') goto done;
  i++;
  while (i < n && is_space(z[i])) i++;
  if (i < n && z[i] == ']') { /* '[]' is a vector of no dimensions, as Turso builds it */
    i++;
    while (i < n && is_space(z[i])) i++;
    if (i == n) rc = LODE_OK;
    goto done;
  }
  for (;;) {
    int len;
    double x;
    while (i < n && is_space(z[i])) i++;
    len = scan_number(z + i, n - i);
    if (len == 0) goto done;
    if ((rc = convert_number(z + i, len, f64, &x)) != LODE_OK) goto done;
    rc = LODE_ERROR;
    if (!isfinite(x)) {
      *err = "vector values must be finite numbers (no NaN or Infinity)";
      goto done;
    }
    if (count == cap) {
      double *grown;
      if (cap >= VEC_MAX_DENSE_DIMS) {
        *err = "vector too big";
        rc = LODE_TOOBIG;
        goto done;
      }
      cap = cap ? 2 * cap : 16;
      grown = util_realloc(v, (size_t)cap * sizeof *v);
      if (!grown) {
        rc = LODE_NOMEM;
        goto done;
      }
      v = grown;
    }
    v[count++] = x;
    i += len;
    while (i < n && is_space(z[i])) i++;
    if (i < n && z[i] == ',') {
      i++;
      continue;
    }
    if (i < n && z[i] == ']') break;
    goto done;
  }
  i++;
  while (i < n && is_space(z[i])) i++;
  if (i != n) goto done;
  *vals = v;
  *dims = count;
  return LODE_OK;
done:
  util_free(v);
  return rc;
}

/* ---- rendering ---- */

static int reads_back(const char *s, double v, int is_f32) {
  return is_f32 ? strtof(s, NULL) == (float)v : strtod(s, NULL) == v;
}

static int step_digits(char *d, int delta);

/* The p significant digits of v > 0 correctly rounded (a tie to even, as
** printf does): digits (NUL-ended) and the decimal exponent of the first. */
static void round_digits(double v, int p, char *digits, int *e10) {
  char buf[40];
  int k = 0;
  snprintf(buf, sizeof buf, "%.*e", p - 1, v);
  for (const char *s = buf; *s && *s != 'e'; s++)
    if (is_digit(*s)) digits[k++] = *s;
  digits[k] = 0;
  *e10 = atoi(strchr(buf, 'e') + 1);
}

/* Rounds a tie away from zero instead, as Rust prints. */
static void round_tie_up(double v, int p, char *digits, int *e10) {
  char exact[80];
  int k = 0, tie = 1;
  /* A tie has a short exact expansion: p digits, a 5, then zeros. */
  snprintf(exact, sizeof exact, "%.*e", p + 40, v);
  k = 0;
  for (const char *s = exact; *s && *s != 'e'; s++) {
    if (!is_digit(*s)) continue;
    if (k == p) tie = *s == '5';
    else if (k > p && *s != '0') tie = 0;
    k++;
  }
  if (tie && atoi(strchr(exact, 'e') + 1) == *e10) {
    char down[24];
    k = 0;
    for (const char *s = exact; k < p; s++)
      if (is_digit(*s)) down[k++] = *s;
    down[k] = 0;
    if (strcmp(down, digits) == 0 && !step_digits(digits, +1)) {
      /* 99…9 rounded up: 100…0, one decade higher */
      digits[0] = '1';
      (*e10)++;
    }
  }
}

static int digits_read_back(const char *digits, int e10, double v, int is_f32) {
  char buf[48];
  snprintf(buf, sizeof buf, "%c.%se%d", digits[0], digits + 1, e10);
  return reads_back(buf, v, is_f32);
}

/* Adds delta (+1 or -1) to the last digit; 0 when the length would change. */
static int step_digits(char *d, int delta) {
  int k = (int)strlen(d) - 1;
  for (; k >= 0; k--) {
    int x = d[k] - '0' + delta;
    if (x >= 0 && x <= 9) {
      d[k] = (char)('0' + x);
      return d[0] != '0';
    }
    d[k] = delta > 0 ? '0' : '9';
  }
  return 0;
}

/* Shortest digits that read back as v (> 0, finite): the correctly rounded
** ones at the least precision that reads back, or, one digit shorter, a
** neighbour of the rounded digits (near a power of two the interval that
** reads back is lopsided). */
static void shortest_digits(double v, int is_f32, char *digits, int *e10) {
  int lo = 1, hi = is_f32 ? 9 : 17;
  char d[24];
  int e;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    round_digits(v, mid, d, &e);
    if (digits_read_back(d, e, v, is_f32)) hi = mid;
    else lo = mid + 1;
  }
  round_digits(v, lo, digits, e10);
  round_tie_up(v, lo, digits, e10);
  if (lo > 1) {
    for (int delta = -1; delta <= 1; delta += 2) {
      round_digits(v, lo - 1, d, &e);
      if (step_digits(d, delta) && digits_read_back(d, e, v, is_f32)) {
        memcpy(digits, d, strlen(d) + 1);
        *e10 = e;
        return;
      }
    }
  }
}

static void render_number(StrBuf *out, double v, int is_f32) {
  char digits[24];
  int e10, nd;
  if (isnan(v) || isinf(v)) {
    strbuf_appendz(out, isnan(v) ? "NaN" : v < 0 ? "-inf" : "inf");
    return;
  }
  if (signbit(v)) strbuf_appendc(out, '-');
  v = fabs(v);
  if (v == 0) {
    strbuf_appendc(out, '0');
    return;
  }
  shortest_digits(v, is_f32, digits, &e10);
  nd = (int)strlen(digits);
  if (e10 < 0) {
    strbuf_appendz(out, "0.");
    for (int k = 0; k < -e10 - 1; k++) strbuf_appendc(out, '0');
    strbuf_append(out, digits, (size_t)nd);
  } else if (e10 >= nd - 1) {
    strbuf_append(out, digits, (size_t)nd);
    for (int k = 0; k < e10 - (nd - 1); k++) strbuf_appendc(out, '0');
  } else {
    strbuf_append(out, digits, (size_t)e10 + 1);
    strbuf_appendc(out, '.');
    strbuf_append(out, digits + e10 + 1, (size_t)(nd - e10 - 1));
  }
}

int vec_render(const Vec *v, StrBuf *out) {
  uint32_t pos = 0;
  strbuf_appendc(out, '[');
  for (uint32_t i = 0; i < v->dims; i++) {
    double x = vec_value(v, i, &pos);
    if (i) strbuf_appendc(out, ',');
    if (v->type == VEC_1BIT) strbuf_appendz(out, x > 0 ? "1" : "-1");
    else render_number(out, x, v->type != VEC_F64);
  }
  strbuf_appendc(out, ']');
  return LODE_OK;
}
