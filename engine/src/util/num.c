/*
** num.c — numbers rendered and parsed the way SQLite does it.
**
** Integers are written two digits at a time (util_u64_digits, util_render_int).
**
** Reading (util_num_read) follows SQLite 3.53's numeric text rules:
**   [space] [+|-] digits [. digits] [(e|E) [+|-] digits] [space]
** with digits allowed to be empty on one side of the point (".5", "1.")
** but not both.  No hex, no "inf"/"nan", no separators.  An exponent
** marker without digits ends the number ("1e" is the prefix "1").  A NUL
** byte ends the text for the REAL reading (SQLite reads it as a C string)
** but not for the INTEGER one, which counts all n bytes.
**
** The REAL value is SQLite's, not the correctly rounded one: the mantissa
** digits go into a 64-bit integer s while s is below NUM_ACCUM_LIMIT (later
** integer digits scale by ten, later fraction digits are dropped), the
** exponent saturates at NUM_EXP_SATURATE, and s * 10^d is converted by
** util_decimal_to_real (real_text.c), SQLite's own arithmetic.  So the
** value depends on about 19 significant digits only.
**
** Invariants: no function reads z[n] or beyond; no allocation happens here.
*/
#include <assert.h>
#include <math.h>
#include <string.h>

#include "util/util.h"

#define NUM_ACCUM_LIMIT ((UINT64_MAX - 9) / 10) /* mantissa digits are kept while s is below this */
#define NUM_EXP_SATURATE 10000                  /* an exponent this big stops growing */
#define NUM_DOUBLE_EXACT (UINT64_C(1) << 53)    /* integers up to this convert exactly */
#define NUM_SAME_AS_INT_LIMIT 2251799813685248LL /* 2^51: SQLite's bound for a REAL that is "an integer" */

/* SQLite's notion of white space around numbers. */
static int num_is_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

static unsigned num_digit(char c) { return (unsigned)(unsigned char)c - '0'; }

/* s * 10^d with the sign, as SQLite converts it. */
static double num_value(uint64_t s, int d, int neg) {
  double r;
  if (s == 0) r = 0.0;
  else if (d == 0 && s <= NUM_DOUBLE_EXACT) r = (double)s; /* what the general conversion gives, exactly */
  else r = util_decimal_to_real(s, d);
  return neg ? -r : r;
}

/* Digits eight at a time: the 8 bytes at p as a little-endian word (the
** first digit in the low byte), checked with two masks and turned into a
** number by three multiplications (pairs, then quads, then the whole).
** Elsewhere the digits go one at a time. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NUM_EIGHT_AT_ONCE 1
#define NUM_HIGH_NIBBLES 0xf0f0f0f0f0f0f0f0ULL
#define NUM_ZERO_BYTES 0x3030303030303030ULL

static inline uint64_t num_word(const char *p) {
  uint64_t x;
  memcpy(&x, p, 8);
  return x;
}

/* A digit byte is 0x30..0x39: high nibble 3, and still 3 after adding 6. */
static inline int num_word_is_digits(uint64_t x) {
  return (x & NUM_HIGH_NIBBLES) == NUM_ZERO_BYTES && ((x + 0x0606060606060606ULL) & NUM_HIGH_NIBBLES) == NUM_ZERO_BYTES;
}

static inline uint64_t num_word_value(uint64_t x) {
  x -= NUM_ZERO_BYTES;
  x = x * 10 + (x >> 8); /* bytes 0, 2, 4, 6: two-digit values */
  return ((x & 0x000000ff000000ffULL) * (100 + (UINT64_C(1000000) << 32)) +
          ((x >> 16) & 0x000000ff000000ffULL) * (1 + (UINT64_C(10000) << 32))) >> 32;
}
#else
#define NUM_EIGHT_AT_ONCE 0
#endif

/* Below this, eight more digits keep s under NUM_ACCUM_LIMIT throughout. */
#define NUM_EIGHT_ROOM UINT64_C(10000000000)

/* Reads the run of digits at p into *ps (SQLite's rule: a digit is kept while
** s is below NUM_ACCUM_LIMIT), scaling *pd: a kept fraction digit lowers it,
** a dropped integer digit raises it.  Returns the end of the run. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((always_inline))
#endif
static inline const char *num_digit_run(const char *p, const char *end, uint64_t *ps, int *pd, int fraction) {
  uint64_t s = *ps;
  int d = *pd;
  unsigned v;
  const char *q;
#if NUM_EIGHT_AT_ONCE
  while (s < NUM_EIGHT_ROOM && end - p >= 8 && num_word_is_digits(num_word(p))) {
    s = s * 100000000 + num_word_value(num_word(p));
    p += 8;
    d -= 8 * fraction;
  }
#endif
  for (; p < end && s < NUM_ACCUM_LIMIT && (v = num_digit(*p)) < 10; p++) {
    s = s * 10 + v;
    d -= fraction;
  }
  if (s >= NUM_ACCUM_LIMIT) { /* the digits past the kept ones: skipped, an integer's counted */
    q = p;
#if NUM_EIGHT_AT_ONCE
    while (end - q >= 8 && num_word_is_digits(num_word(q))) q += 8;
#endif
    while (q < end && num_digit(*q) < 10) q++;
    if (!fraction) d += (int)(q - p);
    p = q;
  }
  *ps = s;
  *pd = d;
  return p;
}

int util_num_read(const char *z, size_t n, UtilNum *out) {
  const char *p = z, *end = z + n, *q;
  uint64_t s = 0;
  int d = 0, neg = 0, flags = 0;
  while (p < end && num_is_space(*p)) p++;
  if (p < end && (*p == '-' || *p == '+')) neg = *p++ == '-';
  q = num_digit_run(p, end, &s, &d, 0);
  if (q > p) flags = UTIL_NUM_PREFIX;
  p = q;
  if (p < end && *p == '.') {
    q = num_digit_run(p + 1, end, &s, &d, 1);
    if (flags || q > p + 1) { /* "." alone is no number */
      flags = UTIL_NUM_PREFIX | UTIL_NUM_REAL;
      p = q;
    }
  }
  if (flags && p < end && (*p == 'e' || *p == 'E')) {
    int eneg = 0, e = 0;
    unsigned v;
    q = p + 1;
    if (q < end && (*q == '-' || *q == '+')) eneg = *q++ == '-';
    if (q < end && num_digit(*q) < 10) {
      for (; q < end && (v = num_digit(*q)) < 10; q++) {
        if (e >= NUM_EXP_SATURATE) { /* SQLite's reading: a digit after 10000 or more makes it 10000 */
          e = NUM_EXP_SATURATE;
          while (q < end && num_digit(*q) < 10) q++;
          break;
        }
        e = e * 10 + (int)v;
      }
      d += eneg ? -e : e;
      flags |= UTIL_NUM_REAL;
      p = q;
    }
  }
  out->r = flags ? num_value(s, d, neg) : 0.0; /* no digits: no sign either */
  out->i = 0;
  if (flags) {
    while (p < end && num_is_space(*p)) p++;
    if (p == end || *p == 0) flags |= UTIL_NUM_COMPLETE;
  }
  if (!(flags & UTIL_NUM_REAL)) {
    /* Integer syntax: every digit was kept (d == 0) and the value fits, or
    ** there were no digits at all (SQLite's integer reading gives 0 then). */
    if (!flags) {
      flags = UTIL_NUM_INT;
    } else if (d == 0 && (s <= (uint64_t)INT64_MAX || (neg && s == (uint64_t)INT64_MAX + 1))) {
      out->i = neg ? (int64_t)(0 - s) : (int64_t)s;
      flags |= UTIL_NUM_INT;
      if (p == end) flags |= UTIL_NUM_INT_ALONE;
    }
  }
  out->flags = flags;
  return flags;
}

int64_t util_real_to_int(double r) {
  /* the largest doubles below 2^63 and above -2^63, as SQLite bounds them */
  if (r < -9223372036854774784.0) return INT64_MIN;
  if (r > 9223372036854774784.0) return INT64_MAX;
  return (int64_t)r;
}

int util_real_same_as_int(double r, int64_t i) {
  return r == 0.0 || (r == (double)i && i >= -NUM_SAME_AS_INT_LIMIT && i < NUM_SAME_AS_INT_LIMIT);
}

int util_parse_number(const char *z, size_t n, int64_t *pi, double *pr) {
  UtilNum v;
  int flags = util_num_read(z, n, &v);
  if (!(flags & UTIL_NUM_COMPLETE)) return 0;
  if (!(flags & UTIL_NUM_REAL)) {
    int64_t ix = util_real_to_int(v.r);
    if (util_real_same_as_int(v.r, ix)) {
      *pi = ix;
      return 1;
    }
    if (flags & UTIL_NUM_INT_ALONE) {
      *pi = v.i;
      return 1;
    }
  }
  *pr = v.r;
  return 2;
}

int util_text_to_number_prefix(const char *z, size_t n, int64_t *pi, double *pr) {
  UtilNum v;
  int flags = util_num_read(z, n, &v);
  /* a whole number must be an integer to its very end; a prefix only fit */
  if (!(flags & UTIL_NUM_REAL) && (flags & (flags & UTIL_NUM_COMPLETE ? UTIL_NUM_INT_ALONE : UTIL_NUM_INT))) {
    *pi = v.i;
    return 1;
  }
  *pr = v.r;
  return 2;
}

/* SQLite's integer reading of a prefix: saturated at the int64 bounds. */
int64_t util_text_to_int_prefix(const char *z, size_t n) {
  size_t i = 0;
  int neg = 0;
  uint64_t v = 0, limit;
  unsigned c;
  while (i < n && num_is_space(z[i])) i++;
  if (i < n && (z[i] == '+' || z[i] == '-')) neg = z[i++] == '-';
  limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  for (; i < n && (c = num_digit(z[i])) < 10; i++) {
    if (v > (limit - c) / 10) return neg ? INT64_MIN : INT64_MAX;
    v = v * 10 + c;
  }
  return neg ? (int64_t)(0 - v) : (int64_t)v;
}

double util_text_to_real_prefix(const char *z, size_t n) {
  UtilNum v;
  util_num_read(z, n, &v);
  return v.r;
}

/* "00" .. "99": digits go out two at a time, half the divisions. */
static const char num_digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* The digits of v < 10^8 backwards from end, in 32-bit arithmetic; with
** pad, all eight of them (leading zeros included). */
static char *num_u32_digits(uint32_t v, char *p, int pad) {
  char *stop = p - 8;
  while (v >= 100) {
    uint32_t k = v % 100 * 2;
    v /= 100;
    p -= 2;
    p[0] = num_digit_pairs[k];
    p[1] = num_digit_pairs[k + 1];
  }
  if (v >= 10 || pad) {
    p -= 2;
    p[0] = num_digit_pairs[v * 2];
    p[1] = num_digit_pairs[v * 2 + 1];
  } else {
    *--p = (char)('0' + v);
  }
  while (pad && p > stop) *--p = '0';
  return p;
}

char *util_u64_digits(uint64_t v, char *end) {
  /* eight digits at a time: one 64-bit division each, the rest in 32 bits */
  while (v >= 100000000) {
    end = num_u32_digits((uint32_t)(v % 100000000), end, 1);
    v /= 100000000;
  }
  return num_u32_digits((uint32_t)v, end, 0);
}

/* Digits are written from the end of a scratch buffer and moved down; the
** magnitude is taken as unsigned so that INT64_MIN needs no special case. */
int util_render_int(int64_t v, char *buf) {
  char tmp[20];
  uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  char *p = util_u64_digits(u, tmp + sizeof tmp);
  int n = 0, len;
  if (v < 0) buf[n++] = '-';
  len = (int)(tmp + sizeof tmp - p);
  memcpy(buf + n, p, (size_t)len);
  n += len;
  buf[n] = 0;
  return n;
}
