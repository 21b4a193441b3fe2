/*
** string.c — built-in string functions: lower, upper, hex, quote, unistr_quote, unistr, soundex,
** substr/substring, trim/ltrim/rtrim, instr, replace, char, unicode.
**
** Text is UTF-8; positions and lengths count characters (a lead byte plus
** its continuation bytes) for TEXT and bytes for BLOB, as in SQLite.
** Numbers given to string functions are first rendered as SQLite renders
** them (REAL as util_render_real does).  Case mapping is ASCII-only, like SQLite without
** ICU.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "func/func_internal.h"

#define UNICODE_REPLACEMENT 0xfffd
#define UNICODE_MAX 0x10ffff

/* Byte offset of character number chars (0-based) in z[0..n), clamped to n. */
static int utf8_offset(const char *z, int n, int64_t chars) {
  const unsigned char *u = (const unsigned char *)z, *p = u, *end = u + n;
  while (p < end && chars > 0) {
    if (*p < 0x80) { /* ASCII: a byte a character */
      p++;
      chars--;
    } else {
      util_utf8_read(&p, end);
      chars--;
    }
  }
  return (int)(p - u);
}

/* Length of the character starting at z[0] (at least 1, at most n). */
static int utf8_char_len(const char *z, int n) { return utf8_offset(z, n, 1); }

static int utf8_encode(uint32_t c, char *out) {
  if (c < 0x80) {
    out[0] = (char)c;
    return 1;
  }
  if (c < 0x800) {
    out[0] = (char)(0xc0 | (c >> 6));
    out[1] = (char)(0x80 | (c & 0x3f));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = (char)(0xe0 | (c >> 12));
    out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
    out[2] = (char)(0x80 | (c & 0x3f));
    return 3;
  }
  out[0] = (char)(0xf0 | (c >> 18));
  out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
  out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
  out[3] = (char)(0x80 | (c & 0x3f));
  return 4;
}

/* ---- case mapping ------------------------------------------------------------ */

static void change_case(FuncContext *ctx, Mem *a, int upper) {
  char buf[FUNC_TEXT_BUF];
  const char *z;
  int n, i;
  char *out;
  if (a->type == MEM_NULL) return;
  mem_text_view(a, buf, &z, &n);
  out = util_malloc((size_t)n + 1);
  if (!out) {
    func_nomem(ctx);
    return;
  }
  for (i = 0; i < n; i++) {
    char c = z[i];
    if (upper && c >= 'a' && c <= 'z') c = (char)(c - ('a' - 'A'));
    if (!upper && c >= 'A' && c <= 'Z') c = (char)(c + ('a' - 'A'));
    out[i] = c;
  }
  out[n] = 0;
  mem_take_text(ctx->out, out, n);
}
static void fn_lower(FuncContext *ctx, int argc, Mem **argv) { (void)argc; change_case(ctx, argv[0], 0); }
static void fn_upper(FuncContext *ctx, int argc, Mem **argv) { (void)argc; change_case(ctx, argv[0], 1); }

/* ---- hex, quote ----------------------------------------------------------------- */

static void append_hex(StrBuf *b, const char *z, int n) {
  static const char digits[] = "0123456789ABCDEF";
  int i;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)z[i];
    strbuf_appendc(b, digits[c >> 4]);
    strbuf_appendc(b, digits[c & 0xf]);
  }
}

static void fn_hex(FuncContext *ctx, int argc, Mem **argv) {
  char buf[FUNC_TEXT_BUF];
  const char *z;
  int n;
  StrBuf b;
  (void)argc;
  mem_text_view(argv[0], buf, &z, &n);
  if ((int64_t)n * 2 > FUNC_MAX_LENGTH) {
    func_error(ctx, LODE_TOOBIG, "string or blob too big");
    return;
  }
  strbuf_init(&b);
  append_hex(&b, z, n);
  func_result_strbuf(ctx, &b);
}

/* A REAL as quote() writes it: the text rendering, which reads back as the
** same double, and infinities as a literal that overflows to them. */
static void append_quoted_real(StrBuf *b, double r) {
  char buf[FUNC_TEXT_BUF];
  if (isinf(r)) {
    strbuf_appendz(b, r < 0 ? "-9.0e+999" : "9.0e+999");
    return;
  }
  strbuf_append(b, buf, (size_t)util_render_real(r, buf));
}

/* TEXT as quote() writes it, or with escape (unistr_quote()) as
** unistr('…') when it holds control characters, which then appear as
** \u00XX and its backslashes doubled, so the literal reads back the same. */
static void append_quoted_text(StrBuf *b, const char *z, int n, int escape) {
  const char *nul = n ? memchr(z, 0, (size_t)n) : NULL; /* text ends at a NUL */
  int i, controls = 0;
  if (nul) n = (int)(nul - z);
  for (i = 0; escape && i < n; i++) controls += (unsigned char)z[i] < 0x20;
  if (controls) strbuf_appendz(b, "unistr(");
  strbuf_appendc(b, '\'');
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)z[i];
    if (c == '\'') strbuf_appendc(b, '\'');
    if (controls && c == '\\') {
      strbuf_appendc(b, '\\');
    } else if (controls && c < 0x20) {
      strbuf_printf(b, "\\u%04x", c);
      continue;
    }
    strbuf_appendc(b, (char)c);
  }
  strbuf_appendc(b, '\'');
  if (controls) strbuf_appendc(b, ')');
}

static void quote_value(FuncContext *ctx, const Mem *a, int escape) {
  StrBuf b;
  char buf[FUNC_TEXT_BUF];
  strbuf_init(&b);
  switch (a->type) {
    case MEM_NULL: strbuf_appendz(&b, "NULL"); break;
    case MEM_INT: strbuf_append(&b, buf, (size_t)util_render_int(a->u.i, buf)); break;
    case MEM_REAL: append_quoted_real(&b, a->u.r); break;
    case MEM_BLOB:
      if ((int64_t)a->n * 2 + 3 > FUNC_MAX_LENGTH) {
        func_error(ctx, LODE_TOOBIG, "string or blob too big");
        return;
      }
      strbuf_append(&b, "X'", 2);
      append_hex(&b, a->z, a->n);
      strbuf_appendc(&b, '\'');
      break;
    default: append_quoted_text(&b, a->z, a->n, escape);
  }
  func_result_strbuf(ctx, &b);
}

static void fn_quote(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  quote_value(ctx, argv[0], 0);
}

static void fn_unistr_quote(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  quote_value(ctx, argv[0], 1);
}

/* ---- unistr --------------------------------------------------------------------------
** unistr(X): X's text with its escapes replaced: \\ is a backslash; \XXXX,
** \uXXXX, \+XXXXXX and \UXXXXXXXX (hex digits, exactly that many) are the
** code point as UTF-8 (any value, surrogates and beyond U+10FFFF too, as
** SQLite writes them).  Any other backslash is "invalid Unicode escape".
** As in SQLite, backslashes are looked for only before the first NUL; from
** there on the text is copied as it is. */

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static int hex_digits(const char *z, int n, int avail, uint32_t *v) {
  if (avail < n) return 0;
  *v = 0;
  for (int i = 0; i < n; i++) {
    int d = hex_value(z[i]);
    if (d < 0) return 0;
    *v = (*v << 4) | (uint32_t)d;
  }
  return 1;
}

static void append_code_point(StrBuf *b, uint32_t v) {
  if (v < 0x80) {
    strbuf_appendc(b, (char)v);
  } else if (v < 0x800) {
    strbuf_appendc(b, (char)(0xc0 | (v >> 6)));
    strbuf_appendc(b, (char)(0x80 | (v & 0x3f)));
  } else if (v < 0x10000) {
    strbuf_appendc(b, (char)(0xe0 | (v >> 12)));
    strbuf_appendc(b, (char)(0x80 | ((v >> 6) & 0x3f)));
    strbuf_appendc(b, (char)(0x80 | (v & 0x3f)));
  } else {
    strbuf_appendc(b, (char)(0xf0 | ((v >> 18) & 0x07)));
    strbuf_appendc(b, (char)(0x80 | ((v >> 12) & 0x3f)));
    strbuf_appendc(b, (char)(0x80 | ((v >> 6) & 0x3f)));
    strbuf_appendc(b, (char)(0x80 | (v & 0x3f)));
  }
}

static void fn_unistr(FuncContext *ctx, int argc, Mem **argv) {
  char buf[FUNC_TEXT_BUF];
  const char *z;
  int n, i = 0;
  StrBuf b;
  (void)argc;
  if (argv[0]->type == MEM_NULL) return;
  mem_text_view(argv[0], buf, &z, &n);
  strbuf_init(&b);
  while (i < n) {
    uint32_t v;
    int width, skip, k = i;
    while (k < n && z[k] && z[k] != '\\') k++;
    if (k == n || !z[k]) { /* no backslash before the end or a NUL: the rest as it is */
      strbuf_append(&b, z + i, (size_t)(n - i));
      break;
    }
    strbuf_append(&b, z + i, (size_t)(k - i));
    i = k;
    char c = i + 1 < n ? z[i + 1] : 0;
    if (c == '\\') {
      strbuf_appendc(&b, '\\');
      i += 2;
      continue;
    }
    if (hex_value(c) >= 0) width = 4, skip = 1;
    else if (c == '+') width = 6, skip = 2;
    else if (c == 'u') width = 4, skip = 2;
    else if (c == 'U') width = 8, skip = 2;
    else width = 0, skip = 0;
    if (!width || !hex_digits(z + i + skip, width, n - i - skip, &v)) {
      strbuf_reset(&b);
      func_error(ctx, LODE_ERROR, "invalid Unicode escape");
      return;
    }
    append_code_point(&b, v);
    i += skip + width;
  }
  func_result_strbuf(ctx, &b);
}

/* ---- soundex -------------------------------------------------------------------------
** SQLite's soundex(X): the first ASCII letter, upper-cased, then the codes
** of the letters after it, a code repeated only when something codeless
** (a vowel, h, w, y, or any other byte) came between, padded with zeros to
** four characters; "?000" when X has no ASCII letter.  Every byte is coded
** by its low seven bits, as SQLite's table is indexed. */

static int soundex_code(unsigned char c) {
  static const char codes[] = "01230120022455012623010202"; /* a..z */
  c &= 0x7f;
  if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
  return c >= 'a' && c <= 'z' ? codes[c - 'a'] - '0' : 0;
}

static int is_ascii_letter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static void fn_soundex(FuncContext *ctx, int argc, Mem **argv) {
  char buf[FUNC_TEXT_BUF], out[5];
  const char *z = "";
  int n = 0, i = 0, j = 1;
  (void)argc;
  if (argv[0]->type != MEM_NULL) mem_text_view(argv[0], buf, &z, &n);
  while (i < n && z[i] && !is_ascii_letter((unsigned char)z[i])) i++;
  if (i >= n || !z[i]) {
    func_result_bytes(ctx, "?000", 4, 0);
    return;
  }
  int prev = soundex_code((unsigned char)z[i]);
  out[0] = (char)(z[i] >= 'a' ? z[i] - 32 : z[i]);
  for (; j < 4 && i < n && z[i]; i++) {
    int code = soundex_code((unsigned char)z[i]);
    if (code == 0) prev = 0;
    else if (code != prev) out[j++] = (char)('0' + (prev = code));
  }
  while (j < 4) out[j++] = '0';
  func_result_bytes(ctx, out, 4, 0);
}

/* ---- substr ------------------------------------------------------------------------ */

/* SQLite reads substr's Y and Z as C ints: the low 32 bits. */
/* |x| of a negative x, exact for INT64_MIN too. */
static uint64_t magnitude(int64_t x) { return (uint64_t)(-(x + 1)) + 1; }

/* Turns SQLite's 1-based (possibly negative or zero) start p1 and length
** p2_arg (64-bit, as SQLite 3.53 reads them) into a 0-based [*start, *start +
** *count) range within len units, the arithmetic exact at either end of the
** range of integers. */
static void substr_range(int64_t p1, int64_t p2_arg, int64_t len, int64_t *start, uint64_t *count) {
  int neg = p2_arg < 0;
  uint64_t p2 = neg ? magnitude(p2_arg) : (uint64_t)p2_arg;
  if (p1 < 0) {
    p1 += len;
    if (p1 < 0) {
      uint64_t before = magnitude(p1); /* characters asked for before the first */
      p2 = p2 > before ? p2 - before : 0;
      p1 = 0;
    }
  } else if (p1 > 0) {
    p1--;
  } else if (p2 > 0) {
    p2--; /* position 0 is just before the first character */
  }
  if (neg) {
    if (p2 > (uint64_t)p1) {
      p2 = (uint64_t)p1;
      p1 = 0;
    } else {
      p1 -= (int64_t)p2;
    }
  }
  if (p1 >= len) {
    p1 = len;
    p2 = 0;
  } else if (p2 > (uint64_t)(len - p1)) {
    p2 = (uint64_t)(len - p1);
  }
  *start = p1;
  *count = p2;
}

static void fn_substr(FuncContext *ctx, int argc, Mem **argv) {
  char buf[FUNC_TEXT_BUF];
  const char *z;
  int n, blob = argv[0]->type == MEM_BLOB;
  int64_t start, len, p1;
  uint64_t count;
  int i;
  for (i = 0; i < argc; i++) {
    if (argv[i]->type == MEM_NULL) return;
  }
  mem_text_view(argv[0], buf, &z, &n);
  if (blob && n == 0) return; /* SQLite sees no bytes at all: NULL, not X'' */
  p1 = mem_as_int(argv[1]);
  /* Text's length in characters matters only to a start counted from the
  ** end: else the walk to the start and on past count characters stops at
  ** the end of the text. */
  len = blob ? n : p1 < 0 ? (int64_t)util_utf8_char_count(z, (size_t)n) : INT64_MAX;
  /* Without a length SQLite takes the connection's length limit. */
  int64_t p2 = argc == 3 ? mem_as_int(argv[2]) : ctx->db ? lode_limit(ctx->db, LODE_LIMIT_LENGTH, -1) : INT32_MAX;
  substr_range(p1, p2, len, &start, &count);
  if (count > (uint64_t)INT64_MAX) count = (uint64_t)INT64_MAX;
  if (blob) {
    func_result_bytes(ctx, z + start, (int)count, 1);
  } else {
    int from = utf8_offset(z, n, start);
    int to = from + utf8_offset(z + from, n - from, (int64_t)count);
    func_result_bytes(ctx, z + from, to - from, 0);
  }
}

/* ---- trim ---------------------------------------------------------------------------- */

#define TRIM_LEFT 1
#define TRIM_RIGHT 2

/* Length of the character of set that z[0..n) starts (left) or ends
** (right) with, 0 if none. */
static int trim_match(const char *z, int n, const char *set, int nset, int right) {
  int i = 0;
  while (i < nset) {
    int k = utf8_char_len(set + i, nset - i);
    if (k <= n) {
      const char *at = right ? z + n - k : z;
      if (memcmp(at, set + i, (size_t)k) == 0) return k;
    }
    i += k;
  }
  return 0;
}

static void trim_common(FuncContext *ctx, int argc, Mem **argv, int flags) {
  char buf[FUNC_TEXT_BUF], sbuf[FUNC_TEXT_BUF];
  const char *z, *set = " ";
  int n, nset = 1, k;
  if (argv[0]->type == MEM_NULL) return;
  if (argc == 2) {
    if (argv[1]->type == MEM_NULL) return;
    mem_text_view(argv[1], sbuf, &set, &nset);
  }
  mem_text_view(argv[0], buf, &z, &n);
  if (nset > 0) {
    while ((flags & TRIM_LEFT) && n > 0 && (k = trim_match(z, n, set, nset, 0)) > 0) {
      z += k;
      n -= k;
    }
    while ((flags & TRIM_RIGHT) && n > 0 && (k = trim_match(z, n, set, nset, 1)) > 0) n -= k;
  }
  func_result_bytes(ctx, z, n, 0);
}
static void fn_trim(FuncContext *ctx, int argc, Mem **argv) {
  trim_common(ctx, argc, argv, TRIM_LEFT | TRIM_RIGHT);
}
static void fn_ltrim(FuncContext *ctx, int argc, Mem **argv) { trim_common(ctx, argc, argv, TRIM_LEFT); }
static void fn_rtrim(FuncContext *ctx, int argc, Mem **argv) { trim_common(ctx, argc, argv, TRIM_RIGHT); }

/* ---- instr, replace ------------------------------------------------------------------- */

/* First occurrence of needle in hay, or -1. */
static int find_bytes(const char *hay, int nh, const char *needle, int nn) {
  int i;
  if (nn == 0) return 0;
  for (i = 0; i + nn <= nh; i++) {
    if (hay[i] == needle[0] && memcmp(hay + i, needle, (size_t)nn) == 0) return i;
  }
  return -1;
}

static void fn_instr(FuncContext *ctx, int argc, Mem **argv) {
  char b1[FUNC_TEXT_BUF], b2[FUNC_TEXT_BUF];
  const char *hay, *needle;
  int nh, nn, at;
  int bytes = argv[0]->type == MEM_BLOB && argv[1]->type == MEM_BLOB;
  (void)argc;
  if (argv[0]->type == MEM_NULL || argv[1]->type == MEM_NULL) return;
  mem_text_view(argv[0], b1, &hay, &nh);
  mem_text_view(argv[1], b2, &needle, &nn);
  if (bytes) {
    at = find_bytes(hay, nh, needle, nn);
    mem_set_int(ctx->out, at < 0 ? 0 : 1 + (int64_t)at);
    return;
  }
  /* As text (also when only one is a BLOB): a match must start at a
  ** character, and the answer counts the characters stepped over. */
  int64_t n = 1;
  for (int i = 0; nn <= nh - i; n++) {
    if (memcmp(hay + i, needle, (size_t)nn) == 0) {
      mem_set_int(ctx->out, n);
      return;
    }
    do i++;
    while (i < nh && ((unsigned char)hay[i] & 0xc0) == 0x80);
  }
  mem_set_int(ctx->out, 0);
}

/* replace(X, Y, Z).  An empty Y (or one whose text starts with a NUL, which
** SQLite reads as empty) gives X's text back, before Z is even looked at:
** replace(0, '', NULL) is the TEXT '0', as in SQLite 3.53 (3.40 returned X
** itself). */
static void fn_replace(FuncContext *ctx, int argc, Mem **argv) {
  char b1[FUNC_TEXT_BUF], b2[FUNC_TEXT_BUF], b3[FUNC_TEXT_BUF];
  const char *z, *from, *to;
  int n, nfrom, nto, i = 0, at;
  StrBuf b;
  (void)argc;
  if (argv[0]->type == MEM_NULL || argv[1]->type == MEM_NULL) return;
  mem_text_view(argv[0], b1, &z, &n);
  mem_text_view(argv[1], b2, &from, &nfrom);
  if (nfrom == 0 || from[0] == 0) {
    func_result_bytes(ctx, z, n, 0);
    return;
  }
  if (argv[2]->type == MEM_NULL) return;
  mem_text_view(argv[2], b3, &to, &nto);
  strbuf_init(&b);
  while ((at = find_bytes(z + i, n - i, from, nfrom)) >= 0) {
    /* Checked as it grows: a result past the limit is never built. */
    if ((int64_t)b.n + at + nto > FUNC_MAX_LENGTH) {
      strbuf_reset(&b);
      func_error(ctx, LODE_TOOBIG, "string or blob too big");
      return;
    }
    strbuf_append(&b, z + i, (size_t)at);
    strbuf_append(&b, to, (size_t)nto);
    i += at + nfrom;
  }
  strbuf_append(&b, z + i, (size_t)(n - i));
  func_result_strbuf(ctx, &b);
}

/* ---- char, unicode ---------------------------------------------------------------------- */

static void fn_char(FuncContext *ctx, int argc, Mem **argv) {
  StrBuf b;
  int i;
  strbuf_init(&b);
  strbuf_append(&b, "", 0); /* char() is '' rather than NULL */
  for (i = 0; i < argc; i++) {
    int64_t c = mem_as_int(argv[i]);
    char enc[4];
    if (c < 0 || c > UNICODE_MAX) c = UNICODE_REPLACEMENT;
    strbuf_append(&b, enc, (size_t)utf8_encode((uint32_t)c, enc));
  }
  func_result_strbuf(ctx, &b);
}

static void fn_unicode(FuncContext *ctx, int argc, Mem **argv) {
  char buf[FUNC_TEXT_BUF];
  const char *z;
  int n;
  (void)argc;
  if (argv[0]->type == MEM_NULL) return;
  mem_text_view(argv[0], buf, &z, &n);
  /* SQLite reads the value as a C string, so one that starts with a NUL byte has no first character. */
  if (n == 0 || z[0] == '\0') return;
  const unsigned char *u = (const unsigned char *)z;
  mem_set_int(ctx->out, util_utf8_read(&u, u + n));
}

/* ---- the table ----------------------------------------------------------------------------- */

#define STRFN(name, nargs, fn) {{name, nargs, FUNC_DETERMINISTIC | FUNC_BORROWS_ARGS, fn, NULL, NULL, 0, NULL}, 0}

const FuncEntry func_string_table[] = {
    STRFN("lower", 1, fn_lower),
    STRFN("upper", 1, fn_upper),
    STRFN("hex", 1, fn_hex),
    STRFN("quote", 1, fn_quote),
    STRFN("unistr_quote", 1, fn_unistr_quote),
    STRFN("unistr", 1, fn_unistr),
    STRFN("soundex", 1, fn_soundex),
    STRFN("substr", 2, fn_substr),
    STRFN("substr", 3, fn_substr),
    STRFN("substring", 2, fn_substr),
    STRFN("substring", 3, fn_substr),
    STRFN("trim", 1, fn_trim),
    STRFN("trim", 2, fn_trim),
    STRFN("ltrim", 1, fn_ltrim),
    STRFN("ltrim", 2, fn_ltrim),
    STRFN("rtrim", 1, fn_rtrim),
    STRFN("rtrim", 2, fn_rtrim),
    STRFN("instr", 2, fn_instr),
    STRFN("replace", 3, fn_replace),
    {{"char", -1, FUNC_DETERMINISTIC, fn_char, NULL, NULL, 0, NULL}, 0},
    STRFN("unicode", 1, fn_unicode),
    {{NULL, 0, 0, NULL, NULL, NULL, 0, NULL}, 0},
};
