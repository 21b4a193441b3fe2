/*
** real_text.c — a REAL's decimal digits the way SQLite 3.53 computes them,
** for its REAL-to-text conversion ("%!.17g") and for printf's %f/%e/%g.
**
** SQLite 3.53 does not use the C library here: it derives decimal digits
** with its own fixed-point arithmetic, and the text must match it digit for
** digit, including where that arithmetic is not correctly rounded.  Steps
** (util_real_decode):
**
**  1. The double is m * 2^e with m a 64-bit integer whose top bit is set.
**  2. m is multiplied by a 64-bit approximation of 10^p, p chosen so that the
**     product, cut to its high bits, is an integer D of at least `want`
**     digits with value ~ D * 10^-p.  want is 18 (19 or 20 digits come out)
**     unless a rendering asks for k < 17 significant digits: then k + 1.
**     The 18-digit cut keeps one guard bit, rounded half up; shorter cuts
**     are plain truncation (so printf('%.2e', 6075e12) is 6.07e+15).
**  3. D is rounded half up, by the one digit after the place, at the place
**     the rendering asks for: a count of significant digits, or of places
**     after the decimal point (%f), never more than a maximum (16 for printf,
**     26 for its '!' flag and for text).  Asked for exactly 17, a shorter
**     prefix may be kept instead: when digits 15 and 16 are both 9, or
**     digits 14..16 are all 0 (or the value is an integer of 18+ digits), the
**     shorter prefix (bumped by one for the nines) is kept if it converts
**     back to the same double under SQLite's own decimal-to-binary
**     arithmetic (dec_to_double below).
**  4. Trailing zeros go.  As text (util_render_real) the digits are fixed
**     notation for decimal exponents -4..16, else d.ddde+XX, always with a
**     point ("1.0", "1.0e+17").
**
** The powers of ten are 96-bit values: 10^0..10^26 exactly (5^k shifted so
** that its top bit is set), other powers as one of the rounded 10^(27g) of
** pow27[] times an exact one, except 10^-1 which SQLite truncates.
**
** Invariants: no allocation; a rendering is at most REAL_TEXT_MAX bytes
** plus the NUL; every shift count stays inside 0..63.
*/
#include <assert.h>
#include <math.h>
#include <string.h>

#include "util/util.h"

#define REAL_DIGITS 17       /* significant digits of the rendering */
#define REAL15_DIGITS 15     /* of "%!.15g", SQLite's rendering of a bound REAL in expanded SQL */
#define REAL_DECODE_DIGITS 18 /* digits step 2 produces at least */
#define REAL_FIXED_MIN_EXP (-4)
#define REAL_FIXED_MAX_EXP 16
#define POW10_MIN (-348)     /* powers of ten the tables cover */
#define POW10_MAX 347
#define POW27_FIRST_G (-13)  /* pow27[i] is 10^(27*(i + POW27_FIRST_G)) */

typedef struct Pow10 {
  uint64_t hi; /* top 64 bits, the highest one set */
  uint32_t lo; /* the next 32 bits */
} Pow10;

/* 10^(27g) for g = -13..12, rounded to 96 bits (g = 0 is never looked up). */
static const Pow10 pow27[] = {
  {0x8049a4ac0c5811aeULL, 0x205b896dU}, /* 10^-351 */
  {0xcf42894a5dce35eaULL, 0x52064cadU}, /* 10^-324 */
  {0xa76c582338ed2621ULL, 0xaf2af2b8U}, /* 10^-297 */
  {0x873e4f75e2224e68ULL, 0x5a7744a7U}, /* 10^-270 */
  {0xda7f5bf590966848ULL, 0xaf39a475U}, /* 10^-243 */
  {0xb080392cc4349decULL, 0xbd8d794eU}, /* 10^-216 */
  {0x8e938662882af53eULL, 0x547eb47bU}, /* 10^-189 */
  {0xe65829b3046b0afaULL, 0x0cb4a5a3U}, /* 10^-162 */
  {0xba121a4650e4ddebULL, 0x92f34d62U}, /* 10^-135 */
  {0x964e858c91ba2655ULL, 0x3a6a07f9U}, /* 10^-108 */
  {0xf2d56790ab41c2a2ULL, 0xfae27299U}, /* 10^-81 */
  {0xc428d05aa4751e4cULL, 0xaa97e14cU}, /* 10^-54 */
  {0x9e74d1b791e07e48ULL, 0x775ea265U}, /* 10^-27 */
  {0, 0},                               /* 10^0 */
  {0xcecb8f27f4200f3aULL, 0x00000000U}, /* 10^27 */
  {0xa70c3c40a64e6c51ULL, 0x999090b6U}, /* 10^54 */
  {0x86f0ac99b4e8dafdULL, 0x69a028bbU}, /* 10^81 */
  {0xda01ee641a708de9ULL, 0xe80e6f48U}, /* 10^108 */
  {0xb01ae745b101e9e4ULL, 0x5ec05dd0U}, /* 10^135 */
  {0x8e41ade9fbebc27dULL, 0x14588f14U}, /* 10^162 */
  {0xe5d3ef282a242e81ULL, 0x8f1668c9U}, /* 10^189 */
  {0xb9a74a0637ce2ee1ULL, 0x6d953e2cU}, /* 10^216 */
  {0x95f83d0a1fb69cd9ULL, 0x4abdaf10U}, /* 10^243 */
  {0xf24a01a73cf2dccfULL, 0xbc633b39U}, /* 10^270 */
  {0xc3b8358109e84f07ULL, 0x0a862f81U}, /* 10^297 */
  {0x9e19db92b4e31ba9ULL, 0x6c07a2c2U}, /* 10^324 */
};

/* 10^k for k = 0..26, exact: 5^k shifted so that its top bit is set. */
static const uint64_t pow10_exact[] = {
  0x8000000000000000ULL, 0xa000000000000000ULL, 0xc800000000000000ULL, 0xfa00000000000000ULL, /* 10^0..3 */
  0x9c40000000000000ULL, 0xc350000000000000ULL, 0xf424000000000000ULL, 0x9896800000000000ULL, /* 10^4..7 */
  0xbebc200000000000ULL, 0xee6b280000000000ULL, 0x9502f90000000000ULL, 0xba43b74000000000ULL, /* 10^8..11 */
  0xe8d4a51000000000ULL, 0x9184e72a00000000ULL, 0xb5e620f480000000ULL, 0xe35fa931a0000000ULL, /* 10^12..15 */
  0x8e1bc9bf04000000ULL, 0xb1a2bc2ec5000000ULL, 0xde0b6b3a76400000ULL, 0x8ac7230489e80000ULL, /* 10^16..19 */
  0xad78ebc5ac620000ULL, 0xd8d726b7177a8000ULL, 0x878678326eac9000ULL, 0xa968163f0a57b400ULL, /* 10^20..23 */
  0xd3c21bcecceda100ULL, 0x84595161401484a0ULL, 0xa56fa5b99019a5c8ULL,                        /* 10^24..26 */
};

/* High 64 bits of a*b; the low 64 in *lo. */
static uint64_t mul_64x64(uint64_t a, uint64_t b, uint64_t *lo) {
#if defined(__SIZEOF_INT128__)
  unsigned __int128 r = (unsigned __int128)a * b;
  *lo = (uint64_t)r;
  return (uint64_t)(r >> 64);
#else
  uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
  uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
  *lo = (mid << 32) | (uint32_t)p00;
  return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
#endif
}

static int count_leading_zeros(uint64_t v) {
  assert(v != 0);
#if defined(__GNUC__) || defined(__clang__)
  return __builtin_clzll(v);
#else
  int n = 0;
  while (!(v >> 63)) {
    v <<= 1;
    n++;
  }
  return n;
#endif
}

static int bit_length(uint64_t v) { return 64 - count_leading_zeros(v); }

/* floor(v / 2^s), whatever the sign of v. */
static int floor_shift(int v, int s) {
  return v >= 0 ? v >> s : -((-v + (1 << s) - 1) >> s);
}

/* floor(log10(2^x)) and floor(log2(10^p)) with SQLite's fixed-point ratios
** (78913/2^18 and 108853/2^15), which decide the scaling in step 2. */
static int log10_of_pow2(int x) { return floor_shift(x * 78913, 18); }
static int log2_of_pow10(int p) { return floor_shift(p * 108853, 15); }

/* 10^k for 0 <= k <= 26, exact, with its top bit set. */
static uint64_t pow10_small(int k) {
  assert(k >= 0 && k <= 26);
  return pow10_exact[k];
}

static Pow10 pow10_of(int p) {
  Pow10 r;
  int g, k;
  uint64_t base, hi, lo, extra_hi, extra_lo, sum;
  assert(p >= POW10_MIN && p <= POW10_MAX);
  if (p == -1) {
    r.hi = 0xccccccccccccccccULL; /* truncated, not rounded, as in SQLite */
    r.lo = 0xccccccccU;
    return r;
  }
  if (p >= 0 && p <= 26) {
    r.hi = pow10_small(p);
    r.lo = 0;
    return r;
  }
  g = p >= 0 ? p / 27 : -((-p + 26) / 27);
  k = p - 27 * g;
  r = pow27[g - POW27_FIRST_G];
  if (k == 0) return r;
  /* (hi:lo of r) * 10^k, keeping 96 bits of the 160-bit product. */
  base = pow10_small(k);
  hi = mul_64x64(r.hi, base, &lo);
  extra_hi = mul_64x64((uint64_t)r.lo, base, &extra_lo); /* r.lo*base < 2^96 */
  extra_lo = (extra_lo >> 32) | (extra_hi << 32);
  sum = lo + extra_lo;
  if (sum < lo) hi++;
  r.hi = hi;
  r.lo = (uint32_t)(sum >> 32);
  if (!(r.hi >> 63)) {
    r.hi = (r.hi << 1) | (r.lo >> 31);
    r.lo = (r.lo << 1) | 1;
  }
  return r;
}

/* d * 10^p as a double, with SQLite's arithmetic (the 96-bit power rounded
** up, a sticky bit from the next 32 bits, round half to even). */
static double dec_to_double(uint64_t d, int p) {
  int b, lp, e, s;
  Pow10 pw;
  uint64_t x, hi, lo, sticky, u, m, ignore;
  uint32_t mid1, mid2, plo;
  double r;
  assert(d != 0);
  if (p < POW10_MIN) return 0.0;
  if (p > POW10_MAX) return INFINITY;
  b = bit_length(d);
  lp = log2_of_pow10(p);
  e = 53 - b - lp;
  if (e > 1074) {
    if (e >= 1130) return 0.0;
    e = 1074;
  }
  s = -(e - (64 - b) + lp + 3);
  assert(s > 0 && s < 64);
  pw = pow10_of(p);
  plo = pw.lo;
  if (plo != 0) {
    pw.hi++;
    plo = ~plo;
  }
  x = d << (64 - b);
  hi = mul_64x64(x, pw.hi, &lo);
  mid1 = (uint32_t)(lo >> 32);
  sticky = 1;
  if ((hi & ((UINT64_C(1) << s) - 1)) == 0) {
    mid2 = (uint32_t)(mul_64x64(x, (uint64_t)plo << 32, &ignore) >> 32);
    sticky = (uint32_t)(mid1 - mid2) > 1;
    if (mid1 < mid2) hi--;
  }
  u = (hi >> s) | sticky;
  if (u >= (UINT64_C(1) << 55) - 2) {
    u = (u >> 1) | (u & 1);
    e--;
  }
  m = (u + 1 + ((u >> 2) & 1)) >> 2;
  if (e <= -972) return INFINITY;
  if (m & (UINT64_C(1) << 52)) m = (m & ~(UINT64_C(1) << 52)) | ((uint64_t)(1075 - e) << 52);
  memcpy(&r, &m, sizeof(r));
  return r;
}

/* Step 2: D with at least `want` (1..18) digits and its power of ten, for a
** positive finite double.  Only the 18-digit form rounds its guard bit;
** shorter ones are cut, which is what SQLite's printf rounds from. */
static uint64_t decode_digits(double a, int want, int *exp10) {
  uint64_t bits, m, h, ignore;
  int e, p, shift;
  assert(want >= 1 && want <= REAL_DECODE_DIGITS);
  memcpy(&bits, &a, sizeof(bits));
  e = (int)((bits >> 52) & 0x7ff);
  m = bits & ((UINT64_C(1) << 52) - 1);
  if (e == 0) {
    int z = count_leading_zeros(m);
    m <<= z;
    e = -1074 - z;
  } else {
    m = (m << 11) | (UINT64_C(1) << 63);
    e -= 1086;
  }
  p = want - 1 - log10_of_pow2(e + 63);
  h = mul_64x64(m, pow10_of(p).hi, &ignore);
  shift = -(e + log2_of_pow10(p) + 2);
  assert(shift >= 0 && shift < 64);
  *exp10 = -p;
  if (want < REAL_DECODE_DIGITS) return h >> (shift + 1);
  h >>= shift;
  return (h >> 1) + (h & 1);
}

/* The first n digits of z as an integer. */
static uint64_t digits_value(const char *z, int n) {
  uint64_t v = 0;
  int i;
  for (i = 0; i < n; i++) v = v * 10 + (uint64_t)(z[i] - '0');
  return v;
}

/* Step 3: how many of the n digits in z to keep when REAL_DIGITS are asked
** for (fewer when a shorter prefix reads back as a). */
static int kept_digits(double a, const char *z, int n, int exp10) {
  int jj;
  if (z[15] == '9' && z[14] == '9') {
    uint64_t v;
    for (jj = 14; jj > 0 && z[jj - 1] == '9'; jj--) {
    }
    v = jj == 0 ? 1 : digits_value(z, jj) + 1;
    if (dec_to_double(v, exp10 + n - jj) == a) return jj + 1;
  } else if (exp10 >= 0 || (z[15] == '0' && z[14] == '0' && z[13] == '0')) {
    for (jj = 13; z[jj - 1] == '0'; jj--) {
    }
    if (dec_to_double(digits_value(z, jj), exp10 + n - jj) == a) return jj + 1;
  }
  return REAL_DIGITS;
}

/* Rounds the digits at z half up, looking at z[keep] only, to keep of them;
** a carry out of the first digit writes a '1' at z[-1] and returns 1. */
static int round_digits(char *z, int keep) {
  int j;
  if (z[keep] < '5') return 0;
  for (j = keep - 1; j >= 0; j--) {
    if (++z[j] <= '9') return 0;
    z[j] = '0';
  }
  z[-1] = '1';
  return 1;
}

int util_real_decode(double a, int round_at, int max_sig, char *out, int *dp) {
  char buf[UTIL_REAL_DECIMAL_MAX + 2]; /* D right-aligned, room for a carry */
  char *z;
  int exp10, n, point;
  uint64_t d;
  assert(max_sig > 0 && !isnan(a) && !isinf(a));
  if (a < 0) a = -a;
  if (a == 0.0) {
    out[0] = '0';
    *dp = 1;
    return 1;
  }
  d = decode_digits(a, round_at <= 0 || round_at >= REAL_DECODE_DIGITS ? REAL_DECODE_DIGITS : round_at + 1, &exp10);
  z = util_u64_digits(d, buf + sizeof(buf));
  n = (int)(buf + sizeof(buf) - z);
  assert(n <= UTIL_REAL_DECIMAL_MAX && z - buf >= 2);
  point = n + exp10;
  if (round_at <= 0) { /* places after the point, counted as significant digits */
    round_at = point - round_at;
    if (round_at == 0 && z[0] >= '5') { /* half a unit of the first place or more */
      *--z = '0';
      n++;
      point++;
      round_at = 1;
    }
  }
  if (round_at > 0 && (round_at < n || n > max_sig)) {
    if (round_at > max_sig) round_at = max_sig;
    if (round_at == REAL_DIGITS) round_at = kept_digits(a, z, n, exp10);
    n = round_at;
    if (round_digits(z, n)) {
      z--;
      n++;
      point++;
    }
  }
  while (n > 1 && z[n - 1] == '0') n--;
  memcpy(out, z, (size_t)n);
  *dp = point;
  return n;
}

double util_decimal_to_real(uint64_t d, int p) { return d == 0 ? 0.0 : dec_to_double(d, p); }

/* r with sig significant digits (SQLite's rounding), in fixed notation for
** decimal exponents -4..max_fixed, else d.ddde+XX; always a point. */
static int render_real_digits(double r, int sig, int max_fixed, char *buf) {
  char dg[UTIL_REAL_DECIMAL_MAX + 1];
  int n = 0, len, dp, e10, i;
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
  if (r == 0.0) {
    memcpy(buf, "0.0", 4); /* also -0.0: SQLite tests r<0 */
    return 3;
  }
  if (r < 0) {
    buf[n++] = '-';
    r = -r;
  }
  len = util_real_decode(r, sig, UTIL_REAL_ALT_SIG_DIGITS, dg, &dp);
  e10 = dp - 1;
  if (e10 < REAL_FIXED_MIN_EXP || e10 > max_fixed) {
    buf[n++] = dg[0];
    buf[n++] = '.';
    if (len > 1) {
      memcpy(buf + n, dg + 1, (size_t)len - 1);
      n += len - 1;
    } else {
      buf[n++] = '0';
    }
    buf[n++] = 'e';
    buf[n++] = e10 < 0 ? '-' : '+';
    if (e10 < 0) e10 = -e10;
    if (e10 >= 100) buf[n++] = (char)('0' + e10 / 100);
    buf[n++] = (char)('0' + e10 / 10 % 10);
    buf[n++] = (char)('0' + e10 % 10);
  } else if (dp <= 0) {
    buf[n++] = '0';
    buf[n++] = '.';
    for (i = dp; i < 0; i++) buf[n++] = '0';
    memcpy(buf + n, dg, (size_t)len);
    n += len;
  } else {
    for (i = 0; i < dp; i++) buf[n++] = i < len ? dg[i] : '0';
    buf[n++] = '.';
    if (len > dp) {
      memcpy(buf + n, dg + dp, (size_t)(len - dp));
      n += len - dp;
    } else {
      buf[n++] = '0';
    }
  }
  buf[n] = 0;
  assert(n <= UTIL_REAL_TEXT_MAX);
  return n;
}

int util_render_real(double r, char *buf) { return render_real_digits(r, REAL_DIGITS, REAL_FIXED_MAX_EXP, buf); }

/* "%!.15g": fixed notation while the exponent is below the 15 digits, as %g has it. */
int util_render_real15(double r, char *buf) { return render_real_digits(r, REAL15_DIGITS, REAL15_DIGITS - 1, buf); }
