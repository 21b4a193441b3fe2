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

static void fmt_integer(StrBuf *b, const Spec *s, int64_t v) {
  char digits[PRINTF_NUM_BUF], body[PRINTF_NUM_BUF * 2];
  const char *prefix = "";
  uint64_t u = (uint64_t)v;
  int n = 0, len = 0, k;
  /* %p is SQLite's pointer conversion: hexadecimal in capitals, "0x" with '#' */
  int base = s->type == 'x' || s->type == 'X' || s->type == 'p' ? 16 : s->type == 'o' ? 8 : 10;
  const char *set = s->type == 'X' || s->type == 'p' ? "0123456789ABCDEF" : "0123456789abcdef";
  /* %r is SQLite's ordinal: a signed decimal with "st", "nd", "rd" or "th" after
  ** it; the suffix counts towards the precision's zero padding and ',' groups
  ** no digits, as SQLite has it. */
  int ordinal = s->type == 'r';
  if (s->type == 'd' || s->type == 'i' || ordinal) {
    if (v < 0) {
      u = 0 - (uint64_t)v;
      prefix = "-";
    } else {
      prefix = s->plus ? "+" : s->space ? " " : "";
    }
  }
  if (ordinal) {
    static const char suffixes[] = "thstndrd";
    int x = (int)(u % 10);
    if (x >= 4 || (u / 10) % 10 == 1) x = 0;
    digits[n++] = suffixes[x * 2 + 1];
    digits[n++] = suffixes[x * 2];
  }
  do {
    digits[n++] = set[u % (unsigned)base];
    u /= (unsigned)base;
  } while (u);
  while (n < s->prec && n < PRINTF_NUM_BUF - 1) digits[n++] = '0';
  if (s->alt && base == 16 && v != 0) prefix = s->type == 'X' ? "0X" : "0x";
  if (s->alt && base == 8 && digits[n - 1] != '0') digits[n++] = '0';
  for (k = n - 1; k >= 0; k--) {
    body[len++] = digits[k];
    if (s->comma && base == 10 && !ordinal && k > 0 && k % 3 == 0) body[len++] = ',';
  }
  emit(b, s, prefix, body, (size_t)len, 1);
}

/* ---- floating point ------------------------------------------------------------- */

/* The digits of a number whose first digit has weight 10^e10, to prec places.
** The digits go out in runs (significant digits, then zeros) rather than one
** call per digit: %f of a large number has hundreds of them. */
static void fmt_fixed(StrBuf *out, const char *dg, int len, int e10, int prec, int alt) {
  if (len && e10 >= 0) {
    int n = e10 < len ? e10 + 1 : len; /* significant digits before the point */
    strbuf_append(out, dg, (size_t)n);
    pad(out, '0', (int64_t)e10 + 1 - n);
  } else {
    strbuf_appendc(out, '0');
  }
  if (prec > 0 || alt) strbuf_appendc(out, '.');
  /* Fraction digit j (1-based) is dg[e10 + j]: zeros while that index is
  ** negative, then the digits left, then zeros up to prec. */
  int64_t w = (int64_t)len - e10 - 1; /* fraction digits up to the last significant one */
  if (w > prec) w = prec;
  if (w < 0) w = 0;
  int64_t lead = -(int64_t)e10 - 1;
  if (lead > w) lead = w;
  if (lead < 0) lead = 0;
  pad(out, '0', lead);
  if (w > lead) strbuf_append(out, dg + e10 + 1 + lead, (size_t)(w - lead));
  pad(out, '0', (int64_t)prec - w);
}

static void fmt_exp(StrBuf *out, const char *dg, int len, int e10, int prec, int alt, char e) {
  int k;
  strbuf_appendc(out, len ? dg[0] : '0');
  if (prec > 0 || alt) strbuf_appendc(out, '.');
  for (k = 1; k <= prec && k < len; k++) strbuf_appendc(out, dg[k]);
  pad(out, '0', (int64_t)prec - k + 1);
  strbuf_printf(out, "%c%c%02d", e, e10 < 0 ? '-' : '+', e10 < 0 ? -e10 : e10);
}

void func_format_fixed(StrBuf *b, double r, int prec) {
  char dg[UTIL_REAL_DECIMAL_MAX];
  int dp, len = util_real_decode(r, -prec, UTIL_REAL_SIG_DIGITS, dg, &dp);
  if (r < 0) strbuf_appendc(b, '-');
  fmt_fixed(b, dg, len, dp - 1, prec, 0);
}

/* Drops trailing zeros of the fraction for %g (and a bare point), or for
** the '!' flag down to one digit after the point. */
static void strip_fraction_zeros(StrBuf *t, int keep_one) {
  char *dot = memchr(t->z, '.', t->n);
  char *e = memchr(t->z, 'e', t->n);
  size_t end, tail;
  if (!e) e = memchr(t->z, 'E', t->n);
  if (!dot) return;
  end = e ? (size_t)(e - t->z) : t->n;
  tail = end;
  size_t min = (size_t)(dot - t->z) + 1 + (keep_one ? 1 : 0);
  while (tail > min && t->z[tail - 1] == '0') tail--;
  if (tail == (size_t)(dot - t->z) + 1) tail--;
  memmove(t->z + tail, t->z + end, t->n - end + 1);
  t->n -= end - tail;
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

/* The ',' flag on a REAL in fixed notation: commas between groups of three
** digits of the integer part (none in exponent notation). */
static void group_thousands(StrBuf *t) {
  size_t n = t->n, digits = 0, commas, src, dst, k = 0;
  if (memchr(t->z, 'e', n) || memchr(t->z, 'E', n)) return;
  while (digits < n && t->z[digits] >= '0' && t->z[digits] <= '9') digits++;
  if (digits <= 3) return;
  commas = (digits - 1) / 3;
  pad(t, ' ', (int64_t)commas); /* room; the NUL stays at the new end */
  if (t->oom) return;
  memmove(t->z + digits + commas, t->z + digits, n - digits);
  for (src = digits, dst = digits + commas; src > 0;) {
    t->z[--dst] = t->z[--src];
    if (++k % 3 == 0 && src > 0) t->z[--dst] = ',';
  }
}

static void fmt_real(StrBuf *b, const Spec *s, double r) {
  char dg[UTIL_REAL_DECIMAL_MAX];
  int sig = s->bang ? UTIL_REAL_ALT_SIG_DIGITS : UTIL_REAL_SIG_DIGITS, alt = s->alt || s->bang;
  const char *prefix = r < 0 ? "-" : s->plus ? "+" : s->space ? " " : "";
  int prec = s->prec < 0 ? PRINTF_DEFAULT_PREC : s->prec, len, e10;
  char ech = (s->type == 'E' || s->type == 'G') ? 'E' : 'e';
  StrBuf t;
  if (prec > PRINTF_FP_PRECISION_LIMIT) prec = PRINTF_FP_PRECISION_LIMIT;
  if (isnan(r)) {
    emit(b, s, "", "NaN", 3, 0);
    return;
  }
  if (isinf(r)) {
    emit(b, s, prefix, "Inf", 3, 0);
    return;
  }
  if (s->bang && prec == PRINTF_TEXT_REAL_PREC && (s->type == 'g' || s->type == 'G')) {
    fmt_real_as_text(b, s, prefix, fabs(r));
    return;
  }
  strbuf_init(&t);
  if (s->type == 'f') {
    len = util_real_decode(r, -prec, sig, dg, &e10);
    fmt_fixed(&t, dg, len, e10 - 1, prec, alt);
  } else if (s->type == 'e' || s->type == 'E') {
    len = util_real_decode(r, prec + 1, sig, dg, &e10);
    fmt_exp(&t, dg, len, e10 - 1, prec, alt, ech);
  } else {
    /* %g: prec significant digits (at least one), then fixed notation when
    ** the exponent is -4..prec-1, trailing zeros dropped */
    int p = prec == 0 ? 0 : prec - 1;
    len = util_real_decode(r, p + 1, sig, dg, &e10);
    e10--;
    if (e10 < -4 || e10 > p) fmt_exp(&t, dg, len, e10, p, alt, ech);
    else fmt_fixed(&t, dg, len, e10, p - e10, alt);
    if (!s->alt && !s->bang) strip_fraction_zeros(&t, 0);
  }
  if (s->comma && !t.oom && t.z) group_thousands(&t);
  /* '!': a point and at least one digit after it, no other trailing zeros. */
  if (s->bang && !t.oom && t.z) {
    strip_fraction_zeros(&t, 1);
    if (!memchr(t.z, '.', t.n)) {
      char *e = memchr(t.z, 'e', t.n);
      if (!e) e = memchr(t.z, 'E', t.n);
      size_t at = e ? (size_t)(e - t.z) : t.n, n = t.n;
      strbuf_append(&t, "..", 2); /* room for ".0" before an exponent */
      if (!t.oom) {
        memmove(t.z + at + 2, t.z + at, n - at);
        t.z[at] = '.';
        t.z[at + 1] = '0';
      }
    }
  }
  if (t.oom) b->oom = 1;
  else emit(b, s, prefix, t.z, t.n, 1);
  strbuf_reset(&t);
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
  if (m->type == MEM_NULL && s->type == 'Q') {
    emit(b, s, "", "NULL", 4, 0);
    return;
  }
  if (m->type == MEM_NULL && (s->type == 'q' || s->type == 'w')) {
    z = "(NULL)";
    n = 6;
  } else {
    mem_text_view(m, buf, &z, &n);
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
  strbuf_init(&t);
  if (s->type == 'Q') strbuf_appendc(&t, '\'');
  for (i = 0; i < n; i++) {
    if (z[i] == quote) strbuf_appendc(&t, quote);
    strbuf_appendc(&t, z[i]);
  }
  if (s->type == 'Q') strbuf_appendc(&t, '\'');
  if (t.oom) b->oom = 1;
  else emit_text(b, s, t.z ? t.z : "", t.n, s->bang);
  strbuf_reset(&t);
}

/* ---- the driver --------------------------------------------------------------------- */

/* Parses flags, width and precision at fmt[*i]; returns 0 on a width or
** precision beyond the length limit. */
static int parse_spec(const char *fmt, int n, int *i, Args *args, Spec *s) {
  int64_t v;
  int huge_prec = 0; /* a precision past the length limit: only a bound for text, capped for reals */
  memset(s, 0, sizeof(*s));
  s->prec = -1;
  for (; *i < n; (*i)++) {
    char c = fmt[*i];
    if (c == '-') s->left = 1;
    else if (c == '+') s->plus = 1;
    else if (c == ' ') s->space = 1;
    else if (c == '0') s->zero = 1;
    else if (c == '#') s->alt = 1;
    else if (c == ',') s->comma = 1;
    else if (c == '!') s->bang = 1;
    else break;
  }
  if (*i < n && fmt[*i] == '*') {
    v = mem_as_int(args_next(args));
    if (v < 0) {
      s->left = 1;
      v = v == INT64_MIN ? INT64_MAX : -v;
    }
    if (v > FUNC_MAX_LENGTH) return 0;
    s->width = (int)v;
    (*i)++;
  } else {
    for (v = 0; *i < n && fmt[*i] >= '0' && fmt[*i] <= '9'; (*i)++) {
      v = v * 10 + (fmt[*i] - '0');
      if (v > FUNC_MAX_LENGTH) return 0;
    }
    s->width = (int)v;
  }
  if (*i < n && fmt[*i] == '.') {
    (*i)++;
    if (*i < n && fmt[*i] == '*') {
      v = mem_as_int(args_next(args));
      if (v < 0) v = v < -FUNC_MAX_LENGTH ? FUNC_MAX_LENGTH + 1 : -v; /* a negative precision counts as its size */
      if (v > FUNC_MAX_LENGTH) huge_prec = 1;
      (*i)++;
    } else {
      for (v = 0; *i < n && fmt[*i] >= '0' && fmt[*i] <= '9'; (*i)++) {
        if (v <= FUNC_MAX_LENGTH) v = v * 10 + (fmt[*i] - '0');
        if (v > FUNC_MAX_LENGTH) huge_prec = 1;
      }
    }
    s->prec = huge_prec ? FUNC_MAX_LENGTH + 1 : (int)v;
  }
  while (*i < n && fmt[*i] == 'l') (*i)++;
  s->type = *i < n ? fmt[*i] : 0;
  if (*i < n) (*i)++;
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
      strbuf_appendc(b, '%');
      return 1;
    case 'n': /* the count of bytes so far: SQL's printf has nowhere to store it */
      return 1;
    default: return 0;
  }
}

int func_printf_format(StrBuf *b, const char *fmt, int n, int argc, Mem **argv) {
  int i = 0;
  Args args = {argv, argc, 0};
  Spec s;
  while (i < n) {
    int start = i;
    while (i < n && fmt[i] != '%') i++;
    if (i > start) strbuf_append(b, fmt + start, (size_t)(i - start));
    if (i >= n) break;
    if (++i == n) { /* a lone '%' at the end is literal */
      strbuf_appendc(b, '%');
      break;
    }
    if (!parse_spec(fmt, n, &i, &args, &s)) return LODE_TOOBIG;
    if (!format_one(b, &s, &args)) break;
    strbuf_append(b, "", 0); /* even an empty conversion makes the result text */
    if (b->n > FUNC_MAX_LENGTH) break;
  }
  return LODE_OK;
}

static void fn_printf(FuncContext *ctx, int argc, Mem **argv) {
  char fbuf[FUNC_TEXT_BUF];
  const char *fmt;
  int n;
  StrBuf b;
  if (argc < 1 || argv[0]->type == MEM_NULL) return;
  mem_text_view(argv[0], fbuf, &fmt, &n);
  strbuf_init(&b);
  if (func_printf_format(&b, fmt, n, argc - 1, argv + 1) != LODE_OK) {
    strbuf_reset(&b);
    func_error(ctx, LODE_TOOBIG, "string or blob too big");
    return;
  }
  /* Like SQLite: no output at all (empty format, unknown conversion first)
  ** is NULL rather than ''. */
  if (b.z == NULL && !b.oom) return;
  func_result_strbuf(ctx, &b);
}

const FuncEntry func_printf_table[] = {
    {{"printf", -1, FUNC_DETERMINISTIC, fn_printf, NULL, NULL, 0, NULL}, 0},
    {{"format", -1, FUNC_DETERMINISTIC, fn_printf, NULL, NULL, 0, NULL}, 0},
    {{NULL, 0, 0, NULL, NULL, NULL, 0, NULL}, 0},
};
