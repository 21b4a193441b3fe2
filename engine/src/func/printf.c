/*
** printf.c — the SQL functions printf(FORMAT, ...) and format(FORMAT, ...).
**
** A conversion is  % [flags] [width|*] [.precision|.*] [l|ll] type  with
** flags '-' (left-justify), '+', ' ', '0', '#', ',' (thousands groups) and
** '!' (SQLite's alternate form 2: up to 26 significant digits, and a REAL
** always with a point and one digit after it, other trailing zeros dropped),
** and types:
**   d i        signed integer            u x X o   unsigned 64-bit integer
**   f e E g G  floating point            s z       text (precision: bytes)
**   q          text with ' doubled       Q         'quoted' text or NULL
**   w          text with " doubled       c         first character
**   %          a percent sign
** Missing arguments read as NULL (0 or "").  An unknown type ends the
** output, as in SQLite; a call that produced no output at all is NULL.
** Floating point digits are SQLite 3.53's (util_real_decode): its own
** fixed-point digits of the double, rounded half up at the requested place,
** at most 16 significant ones (26 with '!'), so printf('%.0f', 2.5) is "3",
** printf('%.2f', 1.005) is "1.00" and printf('%.20f', 0.1) ends in zeros.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "func/func_internal.h"

#define PRINTF_DEFAULT_PREC 6
#define PRINTF_NUM_BUF 128
/* SQLite caps the precision of floating-point conversions at 10^8 digits
** (SQLITE_FP_PRECISION_LIMIT): printf('%.999999999f', 1) has 100000002 bytes. */
#define PRINTF_FP_PRECISION_LIMIT 100000000
/* An infinity under the '0' flag prints as 9 with its decimal point here (9e+999). */
#define PRINTF_INF_DIGIT_PLACE 1000

typedef struct Spec {
  int left, plus, space, zero, alt, comma, bang;
  int width;
  int prec; /* -1: none */
  char type;
} Spec;

typedef struct Args {
  Mem **argv;
  int argc;
  int next;
} Args;

static const Mem *args_next(Args *a) {
  static const Mem null_mem = {MEM_NULL, MEM_STATIC, 0, {0}, NULL, 0, NULL};
  return a->next < a->argc ? a->argv[a->next++] : &null_mem;
}

/* Appends n copies of c. */
static void pad(StrBuf *b, char c, int64_t n) {
  char chunk[64];
  memset(chunk, c, sizeof(chunk));
  while (n > 0) {
    size_t k = n > (int64_t)sizeof(chunk) ? sizeof(chunk) : (size_t)n;
    strbuf_append(b, chunk, k);
    n -= (int64_t)k;
  }
}

/* Emits body (with optional sign/prefix) justified in s->width. */
static void emit(StrBuf *b, const Spec *s, const char *prefix, const char *body, size_t n, int zero_ok) {
  size_t np = strlen(prefix);
  int64_t fill = (int64_t)s->width - (int64_t)(np + n);
  if (fill > 0 && !s->left && !(s->zero && zero_ok)) pad(b, ' ', fill);
  strbuf_append(b, prefix, np);
  if (fill > 0 && !s->left && s->zero && zero_ok) pad(b, '0', fill);
  strbuf_append(b, body, n);
  if (fill > 0 && s->left) pad(b, ' ', fill);
}

/* ---- integers ---------------------------------------------------------------- */

/* Integers the way SQLite lays them out: the digits (least significant first, after the "st"/"nd"/"rd"/"th" of
** %r, which count as digits) are zero-filled to the precision, which the '0' flag raises to the width less the
** sign; ',' then groups them, and the sign and then '#''s 0 or 0x go in front, so those two can make the text
** wider than the width.  Any other room is filled with spaces.  No cap on the precision: SQLite has none. */
static void fmt_integer(StrBuf *b, const Spec *s, int64_t v) {
  char digits[PRINTF_NUM_BUF], small[PRINTF_NUM_BUF * 2], *body = small, prefix[4];
  uint64_t u = (uint64_t)v;
  int n = 0, np = 0, len = 0, k, total, comma;
  int64_t prec = s->prec;
  char sign = 0;
  /* %p is SQLite's pointer conversion: hexadecimal in capitals, "0x" with '#' */
  int base = s->type == 'x' || s->type == 'X' || s->type == 'p' ? 16 : s->type == 'o' ? 8 : 10;
  const char *set = s->type == 'X' || s->type == 'p' ? "0123456789ABCDEF" : "0123456789abcdef";
  int ordinal = s->type == 'r';
  if (s->type == 'd' || s->type == 'i' || ordinal) {
    if (v < 0) {
      u = 0 - (uint64_t)v;
      sign = '-';
    } else {
      sign = s->plus ? '+' : s->space ? ' ' : 0;
    }
  }
  if (ordinal) {
    static const char suffixes[] = "thstndrd";
    int x = (int)(u % 10);
    if (x >= 4 || (u / 10) % 10 == 1) x = 0;
    digits[n++] = suffixes[x * 2 + 1];
    digits[n++] = suffixes[x * 2];
  }
  if (sign) prefix[np++] = sign;
  if (s->alt && u != 0 && base != 10) {
    prefix[np++] = '0';
    if (base == 16) prefix[np++] = s->type == 'X' ? 'X' : 'x'; /* %p has capital digits after a small 0x */
  }
  prefix[np] = 0;
  do {
    digits[n++] = set[u % (unsigned)base];
    u /= (unsigned)base;
  } while (u);
  if (s->zero && prec < (int64_t)s->width - (sign != 0)) prec = (int64_t)s->width - (sign != 0);
  total = prec > n ? (int)prec : n;
  comma = s->comma && base == 10 && !ordinal;
  if ((size_t)total + (size_t)(total / 3) + 1 > sizeof(small)) {
    body = util_malloc((size_t)total + (size_t)(total / 3) + 1);
    if (!body) {
      b->oom = 1;
      return;
    }
  }
  for (k = total - 1; k >= 0; k--) {
    body[len++] = k < n ? digits[k] : '0';
    if (comma && k > 0 && k % 3 == 0) body[len++] = ',';
  }
  emit(b, s, prefix, body, (size_t)len, 0);
  if (body != small) util_free(body);
}

/* ---- floating point ------------------------------------------------------------- */

/* The bytes put_fixed or put_exp may write for a number whose first digit
** has weight 10^e10, with prec places: b is grown by this much first, and
** the writers fill it without a call per piece. */
static size_t fixed_room(int e10, int prec) { return (size_t)(e10 > 0 ? e10 : 0) + (size_t)prec + 3; }
#define EXP_ROOM(prec) ((size_t)(prec) + 8) /* d.ddd and e+308 */

static char *put_zeros(char *w, int64_t n) {
  if (n <= 0) return w;
  memset(w, '0', (size_t)n);
  return w + n;
}

/* The digits of a number whose first digit has weight 10^e10, to prec places. */
static char *put_fixed(char *w, const char *dg, int len, int e10, int prec, int alt) {
  if (len && e10 >= 0) {
    int n = e10 < len ? e10 + 1 : len; /* significant digits before the point */
    memcpy(w, dg, (size_t)n);
    w = put_zeros(w + n, (int64_t)e10 + 1 - n);
  } else {
    *w++ = '0';
  }
  if (prec > 0 || alt) *w++ = '.';
  /* Fraction digit j (1-based) is dg[e10 + j]: zeros while that index is
  ** negative, then the digits left, then zeros up to prec. */
  int64_t f = (int64_t)len - e10 - 1; /* fraction digits up to the last significant one */
  if (f > prec) f = prec;
  if (f < 0) f = 0;
  int64_t lead = -(int64_t)e10 - 1;
  if (lead > f) lead = f;
  if (lead < 0) lead = 0;
  w = put_zeros(w, lead);
  if (f > lead) {
    memcpy(w, dg + e10 + 1 + lead, (size_t)(f - lead));
    w += f - lead;
  }
  return put_zeros(w, (int64_t)prec - f);
}

static char *put_exp(char *w, const char *dg, int len, int e10, int prec, int alt, char e) {
  int k = prec < len - 1 ? prec : len - 1;
  *w++ = len ? dg[0] : '0';
  if (prec > 0 || alt) *w++ = '.';
  if (k > 0) {
    memcpy(w, dg + 1, (size_t)k);
    w += k;
  }
  w = put_zeros(w, (int64_t)prec - (k > 0 ? k : 0));
  *w++ = e;
  *w++ = e10 < 0 ? '-' : '+';
  if (e10 < 0) e10 = -e10;
  if (e10 >= 100) *w++ = (char)('0' + e10 / 100);
  *w++ = (char)('0' + e10 / 10 % 10);
  *w++ = (char)('0' + e10 % 10);
  return w;
}

/* Appends what put_fixed writes. */
static void fmt_fixed(StrBuf *b, const char *dg, int len, int e10, int prec, int alt) {
  if (!strbuf_reserve(b, fixed_room(e10, prec))) return;
  b->n = (size_t)(put_fixed(b->z + b->n, dg, len, e10, prec, alt) - b->z);
  b->z[b->n] = 0;
}

void func_format_fixed(StrBuf *b, double r, int prec) {
  char dg[UTIL_REAL_DECIMAL_MAX];
  int dp, len = util_real_decode(r, -prec, UTIL_REAL_SIG_DIGITS, dg, &dp);
  if (r < 0) strbuf_appendc(b, '-');
  fmt_fixed(b, dg, len, dp - 1, prec, 0);
}

/* In the number written at b->z[start..n): drops trailing zeros of the
** fraction for %g (and a bare point), or for the '!' flag down to one digit
** after the point. */
static void strip_fraction_zeros(StrBuf *b, size_t start, int keep_one) {
  char *z = b->z + start;
  size_t n = b->n - start;
  char *dot = memchr(z, '.', n);
  char *e = memchr(z, 'e', n);
  size_t end, tail, min;
  if (!e) e = memchr(z, 'E', n);
  if (!dot) return;
  end = e ? (size_t)(e - z) : n;
  tail = end;
  min = (size_t)(dot - z) + 1 + (keep_one ? 1 : 0);
  while (tail > min && z[tail - 1] == '0') tail--;
  if (tail == (size_t)(dot - z) + 1) tail--;
  memmove(z + tail, z + end, n - end + 1);
  b->n -= end - tail;
}

/* Inserts count bytes c at b->z[at]. */
static void insert_fill(StrBuf *b, size_t at, char c, size_t count) {
  size_t n = b->n;
  if (count == 0) return;
  pad(b, c, (int64_t)count); /* room; the NUL stays at the new end */
  if (b->oom) return;
  memmove(b->z + at + count, b->z + at, n - at);
  memset(b->z + at, c, count);
}

/* "%!.17g" is SQLite's REAL-to-text conversion itself (CAST, quote()),
** digits and all, so it is rendered by the same code. */
#define PRINTF_TEXT_REAL_PREC 17

static void fmt_real_as_text(StrBuf *b, const Spec *s, const char *prefix, double a) {
  char buf[UTIL_REAL_TEXT_MAX + 1];
  int n = util_render_real(a, buf), i;
  if (s->type == 'G') {
    for (i = 0; i < n; i++) {
      if (buf[i] == 'e') buf[i] = 'E';
    }
  }
  emit(b, s, prefix, buf, (size_t)n, 1);
}

/* The ',' flag on a REAL in fixed notation, written at b->z[start..n): commas
** between groups of three digits of the integer part (none in exponent
** notation). */
static void group_thousands(StrBuf *b, size_t start) {
  char *z = b->z + start;
  size_t n = b->n - start, digits = 0, commas, src, dst, k = 0;
  if (memchr(z, 'e', n) || memchr(z, 'E', n)) return;
  while (digits < n && z[digits] >= '0' && z[digits] <= '9') digits++;
  if (digits <= 3) return;
  commas = (digits - 1) / 3;
  pad(b, ' ', (int64_t)commas); /* room; the NUL stays at the new end */
  if (b->oom) return;
  z = b->z + start;
  memmove(z + digits + commas, z + digits, n - digits);
  for (src = digits, dst = digits + commas; src > 0;) {
    z[--dst] = z[--src];
    if (++k % 3 == 0 && src > 0) z[--dst] = ',';
  }
}

/* The '!' flag on a number written at b->z[start..n): a point and at least
** one digit after it, no other trailing zeros. */
static void force_point(StrBuf *b, size_t start) {
  char *z, *e;
  size_t at, n;
  strip_fraction_zeros(b, start, 1);
  z = b->z + start;
  n = b->n - start;
  if (memchr(z, '.', n)) return;
  e = memchr(z, 'e', n);
  if (!e) e = memchr(z, 'E', n);
  at = e ? (size_t)(e - z) : n;
  insert_fill(b, start + at, '0', 2);
  if (!b->oom) b->z[start + at] = '.';
}

/* The number is written straight into b after its sign, then trimmed in
** place; a width pads it afterwards, before the sign (spaces) or after it
** (the '0' flag), or after the number ('-').  As in SQLite, an infinity
** under the '0' flag is the digit 9 times 10^999 (the form JSON gives it),
** and the '#' flag drops the minus sign of a %f that shows only zeros. */
static void fmt_real(StrBuf *b, const Spec *s, double r) {
  char dg[UTIL_REAL_DECIMAL_MAX];
  int sig = s->bang ? UTIL_REAL_ALT_SIG_DIGITS : UTIL_REAL_SIG_DIGITS, alt = s->alt || s->bang;
  const char *prefix = r < 0 ? "-" : s->plus ? "+" : s->space ? " " : "";
  int prec = s->prec < 0 ? PRINTF_DEFAULT_PREC : s->prec, len, e10;
  int p = prec == 0 ? 0 : prec - 1; /* %g: places after the first significant digit */
  char ech = (s->type == 'E' || s->type == 'G') ? 'E' : 'e';
  size_t begin = b->n, start;
  int64_t fill;
  if (prec > PRINTF_FP_PRECISION_LIMIT) prec = PRINTF_FP_PRECISION_LIMIT;
  if (isnan(r)) {
    emit(b, s, "", "NaN", 3, 0);
    return;
  }
  if (isinf(r) && !s->zero) {
    emit(b, s, prefix, "Inf", 3, 0);
    return;
  }
  if (s->bang && prec == PRINTF_TEXT_REAL_PREC && (s->type == 'g' || s->type == 'G') && !isinf(r)) {
    fmt_real_as_text(b, s, prefix, fabs(r));
    return;
  }
  if (isinf(r)) {
    dg[0] = '9';
    len = 1;
    e10 = PRINTF_INF_DIGIT_PLACE;
  } else {
    len = util_real_decode(r, s->type == 'f' ? -prec : s->type == 'e' || s->type == 'E' ? prec + 1 : p + 1, sig, dg,
                           &e10);
  }
  if (s->type == 'f' && s->alt && r < 0 && !s->plus && !s->space && e10 <= -prec) prefix = "";
  strbuf_append(b, prefix, strlen(prefix));
  start = b->n;
  e10--; /* the weight of the first digit */
  if (s->type == 'g' || s->type == 'G') {
    /* %g: prec significant digits (at least one), then fixed notation when
    ** the exponent is -4..prec-1, trailing zeros dropped */
    if (e10 < -4 || e10 > p) {
      if (strbuf_reserve(b, EXP_ROOM(p))) b->n = (size_t)(put_exp(b->z + b->n, dg, len, e10, p, alt, ech) - b->z);
    } else if (strbuf_reserve(b, fixed_room(e10, p - e10))) {
      b->n = (size_t)(put_fixed(b->z + b->n, dg, len, e10, p - e10, alt) - b->z);
    }
    if (!b->oom) b->z[b->n] = 0;
    if (!s->alt && !s->bang && !b->oom) strip_fraction_zeros(b, start, 0);
  } else if (s->type == 'f') {
    fmt_fixed(b, dg, len, e10, prec, alt);
  } else if (strbuf_reserve(b, EXP_ROOM(prec))) {
    b->n = (size_t)(put_exp(b->z + b->n, dg, len, e10, prec, alt, ech) - b->z);
    b->z[b->n] = 0;
  }
  if (s->comma && !b->oom) group_thousands(b, start);
  /* '!' trims a %f or %e to one digit after the point; a %g keeps every digit when '#' is there too. */
  if (s->bang && !(s->alt && (s->type == 'g' || s->type == 'G')) && !b->oom) force_point(b, start);
  if (b->oom) return;
  fill = (int64_t)s->width - (int64_t)(b->n - begin);
  if (fill <= 0) return;
  if (s->left) pad(b, ' ', fill);
  else if (s->zero) insert_fill(b, start, '0', (size_t)fill);
  else insert_fill(b, begin, ' ', (size_t)fill);
}

void func_format_generic(StrBuf *b, double r, int prec) {
  Spec s;
  memset(&s, 0, sizeof(s));
  s.type = 'g';
  s.prec = prec;
  fmt_real(b, &s, r);
}

/* ---- text ----------------------------------------------------------------------- */

/* The continuation bytes of z[0..n): what a width counted in characters
** adds to one counted in bytes. */
static int continuation_bytes(const char *z, size_t n) {
  int k = 0;
  for (size_t i = 0; i < n; i++) k += ((unsigned char)z[i] & 0xc0) == 0x80;
  return k;
}

/* The bytes of the first chars characters of z[0..n). */
static int chars_prefix(const char *z, int n, int chars) {
  int i = 0;
  while (chars-- > 0 && i < n) {
    i++;
    while (i < n && ((unsigned char)z[i] & 0xc0) == 0x80) i++;
  }
  return i;
}

/* Emits text whose width counts characters when count_chars (the '!' flag,
** and always for %c, as in SQLite), else bytes. */
static void emit_text(StrBuf *b, const Spec *s, const char *z, size_t n, int count_chars) {
  Spec w = *s;
  if (count_chars && w.width > 0) w.width += continuation_bytes(z, n);
  emit(b, &w, "", z, n, 0);
}

/* %c: the argument's first character (its lead byte and up to three
** continuation bytes), repeated precision times; an empty or NULL argument
** is one NUL byte, as in SQLite. */
static void fmt_char(StrBuf *b, const Spec *s, const char *z, int n) {
  int k = n > 0 ? 1 : 0;
  if (k && ((unsigned char)z[0] & 0xc0) == 0xc0)
    while (k < n && k < 4 && ((unsigned char)z[k] & 0xc0) == 0x80) k++;
  if (k == 0) {
    z = "";
    k = 1;
  }
  if (s->prec <= 1) {
    emit_text(b, s, z, (size_t)k, 1);
    return;
  }
  StrBuf r;
  /* Past the length limit the result fails anyway: stop just beyond it. */
  int times = s->prec > FUNC_MAX_LENGTH / k + 1 ? FUNC_MAX_LENGTH / k + 1 : s->prec;
  strbuf_init(&r);
  for (int i = 0; i < times && !r.oom; i++) strbuf_append(&r, z, (size_t)k);
  if (r.oom) b->oom = 1;
  else emit_text(b, s, r.z ? r.z : "", r.n, 1);
  strbuf_reset(&r);
}

static void fmt_text(StrBuf *b, const Spec *s, const Mem *m) {
  char buf[FUNC_TEXT_BUF];
  const char *z;
  int n, i;
  char quote = s->type == 'w' ? '"' : '\'';
  StrBuf t;
  int quoted = s->type == 'Q' && m->type != MEM_NULL;
  /* A NULL is the word NULL for %Q, (NULL) for %q and %w, unquoted but cut to the precision like any text. */
  if (m->type == MEM_NULL && (s->type == 'Q' || s->type == 'q' || s->type == 'w')) {
    z = s->type == 'Q' ? "NULL" : "(NULL)";
    n = (int)strlen(z);
  } else {
    mem_text_view(m, buf, &z, &n);
    if (s->type != 'c') n = (int)strnlen(z, (size_t)n); /* SQLite reads the argument as a C string */
  }
  if (s->type == 'c') {
    fmt_char(b, s, z, n);
    return;
  }
  /* The precision counts characters with '!', else bytes. */
  if (s->prec >= 0 && n > s->prec) n = s->bang ? chars_prefix(z, n, s->prec) : s->prec;
  if (s->type == 's' || s->type == 'z') {
    emit_text(b, s, z, (size_t)n, s->bang);
    return;
  }
  /* '#' on %q escapes backslashes and control characters as unistr() reads them; on %Q only when there is a
  ** control character, and then the literal becomes a call to unistr(). */
  int escape = 0;
  if (s->alt && s->type != 'w') {
    for (i = 0; i < n && !escape; i++) escape = (unsigned char)z[i] <= 0x1f;
    escape = escape || s->type == 'q';
  }
  strbuf_init(&t);
  if (quoted) strbuf_append(&t, escape ? "unistr('" : "'", escape ? 8 : 1);
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)z[i];
    if (escape && c <= 0x1f) {
      char u[7] = {'\\', 'u', '0', '0', c >= 0x10 ? '1' : '0', "0123456789abcdef"[c & 0xf], 0};
      strbuf_append(&t, u, 6);
      continue;
    }
    if (z[i] == quote || (escape && c == '\\')) strbuf_appendc(&t, z[i]);
    strbuf_appendc(&t, z[i]);
  }
  if (quoted) strbuf_append(&t, "')", escape ? 2 : 1);
  if (t.oom) b->oom = 1;
  else emit_text(b, s, t.z ? t.z : "", t.n, s->bang);
  strbuf_reset(&t);
}

/* ---- the driver --------------------------------------------------------------------- */

/* An argument read as a C int, the way SQLite's printf reads one for '*'. */
static int32_t printf_int_arg(const Mem *m) { return (int32_t)(uint32_t)(uint64_t)mem_as_int(m); }

/* Parses flags, width and precision at fmt[*i]; returns 0 on a width or
** precision beyond the length limit. */
static int parse_spec(const char *fmt, int n, int *pi, Args *args, Spec *s) {
  int k = *pi; /* a local index: the loops below need not store it back each step */
  int64_t v;
  int huge_prec = 0; /* a precision past the length limit: only a bound for text, capped for reals */
  memset(s, 0, sizeof(*s));
  s->prec = -1;
  for (; k < n; k++) {
    char c = fmt[k];
    if (c == '-') s->left = 1;
    else if (c == '+' || c == ' ') { /* the sign flag written last wins */
      s->plus = c == '+';
      s->space = c == ' ';
    }
    else if (c == '0') s->zero = 1;
    else if (c == '#') s->alt = 1;
    else if (c == ',') s->comma = 1;
    else if (c == '!') s->bang = 1;
    else break;
  }
  /* Widths and precisions are C ints, as in SQLite: one taken from an argument is its value's low 32 bits, and
  ** written digits wrap as an unsigned int does and lose the sign bit. */
  if (k < n && fmt[k] == '*') {
    int32_t w = printf_int_arg(args_next(args));
    if (w < 0) {
      s->left = 1;
      w = w >= -INT32_MAX ? -w : 0;
    }
    if (w > FUNC_MAX_LENGTH) return 0;
    s->width = (int)w;
    k++;
  } else {
    uint32_t wx = 0;
    for (; k < n && fmt[k] >= '0' && fmt[k] <= '9'; k++) wx = wx * 10 + (uint32_t)(fmt[k] - '0');
    v = wx & INT32_MAX;
    if (v > FUNC_MAX_LENGTH) return 0;
    s->width = (int)v;
  }
  if (k < n && fmt[k] == '.') {
    k++;
    if (k < n && fmt[k] == '*') {
      int32_t p = printf_int_arg(args_next(args));
      if (p < 0) p = p >= -INT32_MAX ? -p : -1; /* a negative precision counts as its size */
      v = p;
      k++;
    } else {
      uint32_t px = 0;
      for (; k < n && fmt[k] >= '0' && fmt[k] <= '9'; k++) px = px * 10 + (uint32_t)(fmt[k] - '0');
      v = px & INT32_MAX;
    }
    if (v > FUNC_MAX_LENGTH) huge_prec = 1;
    s->prec = huge_prec ? FUNC_MAX_LENGTH + 1 : (int)v;
  }
  while (k < n && fmt[k] == 'l') k++;
  s->type = k < n ? fmt[k] : 0;
  if (k < n) k++;
  *pi = k;
  if (huge_prec && !strchr("szqQwfeEgG", s->type ? s->type : '%')) return 0;
  return 1;
}

/* Formats one conversion; returns 0 to stop (unknown type). */
static int format_one(StrBuf *b, const Spec *s, Args *args) {
  switch (s->type) {
    case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': case 'p': case 'r':
      fmt_integer(b, s, mem_as_int(args_next(args)));
      return 1;
    case 'f': case 'e': case 'E': case 'g': case 'G':
      fmt_real(b, s, mem_as_real(args_next(args)));
      return 1;
    case 's': case 'z': case 'q': case 'Q': case 'w': case 'c':
      fmt_text(b, s, args_next(args));
      return 1;
    case '%':
      emit(b, s, "", "%", 1, 0); /* a width pads it with spaces, as any conversion */
      return 1;
    case 'n': /* the count of bytes so far: SQL's printf has nowhere to store it */
      return 1;
    default: return 0;
  }
}

/* The formatting itself; *produced: some text or a conversion (even an
** empty one) came out, which makes the result text rather than NULL. */
static int printf_format(StrBuf *b, const char *fmt, int n, int argc, Mem **argv, int *produced) {
  int i = 0;
  Args args = {argv, argc, 0};
  Spec s;
  *produced = 0;
  while (i < n) {
    int start = i;
    while (i < n && fmt[i] != '%') i++;
    if (i > start) {
      strbuf_append(b, fmt + start, (size_t)(i - start));
      *produced = 1;
    }
    if (i >= n) break;
    if (++i == n) { /* a lone '%' at the end is literal */
      strbuf_appendc(b, '%');
      *produced = 1;
      break;
    }
    if (!parse_spec(fmt, n, &i, &args, &s)) return LODE_TOOBIG;
    if (!format_one(b, &s, &args)) break;
    *produced = 1;
    if (b->n > FUNC_MAX_LENGTH) break;
  }
  return LODE_OK;
}

int func_printf_format(StrBuf *b, const char *fmt, int n, int argc, Mem **argv) {
  int produced, rc = printf_format(b, fmt, n, argc, argv, &produced);
  if (rc == LODE_OK && produced) strbuf_append(b, "", 0); /* even an empty conversion makes the result text */
  return rc;
}

static void fn_printf(FuncContext *ctx, int argc, Mem **argv) {
  char fbuf[FUNC_TEXT_BUF];
  const char *fmt;
  int n, produced;
  StrBuf b;
  if (argc < 1 || argv[0]->type == MEM_NULL) return;
  mem_text_view(argv[0], fbuf, &fmt, &n);
  n = (int)strnlen(fmt, (size_t)n); /* SQLite reads the format as a C string: it ends at a NUL byte */
  func_strbuf_init(ctx, &b); /* the result register's old text, when it had one */
  if (printf_format(&b, fmt, n, argc - 1, argv + 1, &produced) != LODE_OK) {
    strbuf_reset(&b);
    func_error(ctx, LODE_TOOBIG, "string or blob too big");
    return;
  }
  /* Like SQLite: no output at all (empty format, unknown conversion first)
  ** is NULL rather than ''. */
  if (!produced && !b.oom) {
    strbuf_reset(&b);
    return;
  }
  if (!b.oom && !b.z) strbuf_append(&b, "", 0);
  func_result_strbuf(ctx, &b);
}

const FuncEntry func_printf_table[] = {
    {{"printf", -1, FUNC_DETERMINISTIC, fn_printf, NULL, NULL, 0, NULL}, 0},
    {{"format", -1, FUNC_DETERMINISTIC, fn_printf, NULL, NULL, 0, NULL}, 0},
    {{NULL, 0, 0, NULL, NULL, NULL, 0, NULL}, 0},
};
