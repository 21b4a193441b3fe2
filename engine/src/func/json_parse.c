/*
** json_parse.c — JSON text (RFC 8259, and JSON5 as SQLite 3.42+ reads it)
** translated into JSONB.
**
** JSON5 accepted: comments (slash-star and slash-slash), the extra white
** space characters (VT, FF, NBSP, BOM, the Unicode space separators, LS,
** PS), trailing commas, unquoted identifier labels, single-quoted strings,
** the escapes \x, \v, \0, \' and escaped line breaks, raw control
** characters in strings, hex integers, a leading '+', a leading or trailing
** decimal point, Infinity and NaN (any letter case, also "inf").
**
** What each token becomes (as SQLite writes it): strings are TEXT when they
** need no escape, TEXTJ with RFC 8259 escapes only, TEXT5 otherwise; a '+'
** sign is dropped; plain integers are INT, hex ones INT5; RFC 8259 reals
** are FLOAT, reals with a bare '.' on either side FLOAT5; Infinity is the
** FLOAT "9e999" (with its '-'), NaN is null.
**
** Errors carry the position json_error_position() reports: the character
** where the parse found the text wrong, counted from 1; text that goes on
** after a complete value reports 1, as SQLite does.
*/
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

#include "func/json.h"

typedef struct Parser {
  const uint8_t *z;
  uint32_t n;
  uint32_t err; /* byte offset of the first error */
  int json5;
  JsonBuf *out;
} Parser;

#define PARSE_FAIL UINT32_MAX

static int is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static int is_xdigit(uint8_t c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int is_alpha(uint8_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static uint32_t fail(Parser *p, uint32_t at) {
  p->err = at;
  return PARSE_FAIL;
}

/* Length of a JSON5-only white space character at i (0 if none). */
static uint32_t json5_space_char(const Parser *p, uint32_t i) {
  const uint8_t *z = p->z + i;
  uint32_t left = p->n - i;
  if (z[0] == 0x0b || z[0] == 0x0c) return 1;
  if (left >= 2 && z[0] == 0xc2 && z[1] == 0xa0) return 2;
  if (left < 3) return 0;
  if (z[0] == 0xe1 && z[1] == 0x9a && z[2] == 0x80) return 3; /* U+1680 */
  if (z[0] == 0xe2 && z[1] == 0x80 && (z[2] <= 0x8a || z[2] == 0xa8 || z[2] == 0xa9 || z[2] == 0xaf)) return 3;
  if (z[0] == 0xe2 && z[1] == 0x81 && z[2] == 0x9f) return 3; /* U+205F */
  if (z[0] == 0xe3 && z[1] == 0x80 && z[2] == 0x80) return 3; /* U+3000 */
  if (z[0] == 0xef && z[1] == 0xbb && z[2] == 0xbf) return 3; /* U+FEFF */
  return 0;
}

/* Skips white space and comments from i; PARSE_FAIL for an unclosed
** comment (the error is then at the comment's start).  Never inline: folded
** into skip_space (its one caller) it made that too big to inline, and in
** the wasm build every token then paid a call. */
static __attribute__((noinline)) uint32_t skip_space_slow(Parser *p, uint32_t i) {
  while (i < p->n) {
    uint8_t c = p->z[i];
    uint32_t k;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      i++;
    } else if (c > ' ' && c != '/' && c < 0xc2) {
      break; /* the common case: a token starts here */
    } else if (c == '/' && i + 1 < p->n && p->z[i + 1] == '*') {
      uint32_t j = i + 2;
      while (j + 1 < p->n && !(p->z[j] == '*' && p->z[j + 1] == '/')) j++;
      if (j + 1 >= p->n) return fail(p, i);
      p->json5 = 1;
      i = j + 2;
    } else if (c == '/' && i + 1 < p->n && p->z[i + 1] == '/') {
      p->json5 = 1;
      i += 2;
      while (i < p->n && p->z[i] != '\n' && p->z[i] != '\r') i++;
    } else if ((k = json5_space_char(p, i)) != 0) {
      p->json5 = 1;
      i += k;
    } else {
      break;
    }
  }
  return i;
}

/* skip_space_slow, answered inline when a token starts right at i. */
static inline uint32_t skip_space(Parser *p, uint32_t i) {
  if (i < p->n) {
    uint8_t c = p->z[i];
    if (c > ' ' && c != '/' && c < 0xc2) return i;
  }
  return skip_space_slow(p, i);
}

static uint32_t parse_value(Parser *p, uint32_t i, int depth);

/* The bytes a string's scan must stop at: quotes, the backslash, control
** characters and NUL. */
static const uint8_t string_stop[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['"'] = 1, ['\''] = 1, ['\\'] = 1,
};

/* The first byte from i on that a string's scan must stop at (string_stop),
** or n.  Eight bytes at a time where the machine is little-endian: a byte
** below 0x20 or equal to a quote or backslash sets the top bit of its lane
** in the mask (the usual has-zero-byte test); a lane above a real hit may be
** set by the borrow, never one below it, so the lowest set lane is the
** first stop byte. */
static inline uint32_t string_run_end(const uint8_t *z, uint32_t i, uint32_t n) {
#if defined(__SSE2__)
  /* Sixteen bytes at a time: a byte is a stop when it equals a quote or the
  ** backslash, or when max(byte, 0x1f) is 0x1f (unsigned: below 0x20). */
  const __m128i dq = _mm_set1_epi8('"'), sq = _mm_set1_epi8('\''), bs = _mm_set1_epi8('\\');
  const __m128i ctl = _mm_set1_epi8(0x1f);
  while (n - i >= 16) {
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(z + i));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, dq), _mm_cmpeq_epi8(x, sq)),
                               _mm_or_si128(_mm_cmpeq_epi8(x, bs), _mm_cmpeq_epi8(_mm_max_epu8(x, ctl), ctl)));
    int m = _mm_movemask_epi8(hit);
    if (m) return i + (uint32_t)__builtin_ctz((unsigned)m);
    i += 16;
  }
#elif defined(__wasm_simd128__)
  /* The same test in wasm's SIMD128. */
  const v128_t dq = wasm_i8x16_splat('"'), sq = wasm_i8x16_splat('\''), bs = wasm_i8x16_splat('\\');
  const v128_t ctl = wasm_i8x16_splat(0x1f);
  while (n - i >= 16) {
    v128_t x = wasm_v128_load(z + i);
    v128_t hit = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(x, dq), wasm_i8x16_eq(x, sq)),
                              wasm_v128_or(wasm_i8x16_eq(x, bs), wasm_i8x16_eq(wasm_u8x16_max(x, ctl), ctl)));
    uint32_t m = wasm_i8x16_bitmask(hit);
    if (m) return i + (uint32_t)__builtin_ctz(m);
    i += 16;
  }
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
  while (n - i >= 8) {
    uint64_t x, q, a, b, m;
    memcpy(&x, z + i, 8);
    q = x ^ (ones * '"');
    a = x ^ (ones * '\'');
    b = x ^ (ones * '\\');
    m = (((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((a - ones) & ~a) | ((b - ones) & ~b)) & high;
    if (m) return i + (uint32_t)(__builtin_ctzll(m) >> 3);
    i += 8;
  }
#endif
  while (i < n && !string_stop[z[i]]) i++;
  return i;
}

/* A quoted string from i (at the quote); returns the offset after it. */
static uint32_t parse_string_slow(Parser *p, uint32_t i) {
  uint8_t q = p->z[i];
  uint32_t start = ++i;
  int type = JSONB_TEXT;
  if (q == '\'') p->json5 = 1;
  for (;;) {
    uint8_t c;
    /* the run of bytes that need no look: not a quote, a backslash, a
    ** control character or NUL */
    i = string_run_end(p->z, i, p->n);
    if (i >= p->n || p->z[i] == 0) return fail(p, i);
    c = p->z[i];
    if (c == q) break;
    if (c == '"') {
      type = JSONB_TEXT5; /* inside a single-quoted string */
      i++;
    } else if (c < 0x20) {
      type = JSONB_TEXT5;
      p->json5 = 1;
      i++;
    } else if (c != '\\') {
      i++;
    } else {
      uint32_t e = i + 1;
      c = e < p->n ? p->z[e] : 0;
      if (type == JSONB_TEXT) type = JSONB_TEXTJ;
      if (c == 'u') {
        if (e + 4 >= p->n || !is_xdigit(p->z[e + 1]) || !is_xdigit(p->z[e + 2]) || !is_xdigit(p->z[e + 3]) ||
            !is_xdigit(p->z[e + 4]))
          return fail(p, e);
        i = e + 5;
      } else if (c && strchr("\"\\/bfnrt", c)) {
        i = e + 1;
      } else {
        uint32_t len = 1;
        if (c == 'x') {
          if (e + 2 >= p->n || !is_xdigit(p->z[e + 1]) || !is_xdigit(p->z[e + 2])) return fail(p, e);
          len = 3;
        } else if (c == '0') {
          if (e + 1 < p->n && is_digit(p->z[e + 1])) return fail(p, e);
        } else if (c == '\r') {
          if (e + 1 < p->n && p->z[e + 1] == '\n') len = 2;
        } else if (c == 0xe2 && e + 2 < p->n && p->z[e + 1] == 0x80 && (p->z[e + 2] & 0xfe) == 0xa8) {
          len = 3; /* an escaped LS or PS */
        } else if (c != '\'' && c != 'v' && c != '\n') {
          return fail(p, e);
        }
        type = JSONB_TEXT5;
        p->json5 = 1;
        i = e + len;
      }
    }
  }
  jbuf_node(p->out, type, p->z + start, i - start);
  return i + 1;
}

/* parse_string for the usual string: double-quoted, nothing in it that
** needs a look (an escape, a control character), copied as one node inline. */
static inline uint32_t parse_string(Parser *p, uint32_t i) {
  if (p->z[i] == '"') {
    uint32_t e = string_run_end(p->z, i + 1, p->n);
    if (e < p->n && p->z[e] == '"') {
      jbuf_node(p->out, JSONB_TEXT, p->z + i + 1, e - i - 1);
      return e + 1;
    }
  }
  return parse_string_slow(p, i);
}

/* A JSON5 identifier used as a label: letters, digits, '_', '$', non-ASCII
** characters and \uXXXX escapes, not starting with a digit. */
static uint32_t parse_identifier(Parser *p, uint32_t i) {
  uint32_t start = i;
  int type = JSONB_TEXT;
  while (i < p->n) {
    uint8_t c = p->z[i];
    if (is_alpha(c) || c == '_' || c == '$' || (c >= 0x80 && !json5_space_char(p, i)) ||
        (is_digit(c) && i > start)) {
      i++;
    } else if (c == '\\' && i + 5 < p->n && p->z[i + 1] == 'u' && is_xdigit(p->z[i + 2]) &&
               is_xdigit(p->z[i + 3]) && is_xdigit(p->z[i + 4]) && is_xdigit(p->z[i + 5])) {
      type = JSONB_TEXTJ;
      i += 6;
    } else {
      break;
    }
  }
  if (i == start) return fail(p, start);
  p->json5 = 1;
  jbuf_node(p->out, type, p->z + start, i - start);
  return i;
}

static int word_at(const Parser *p, uint32_t i, const char *w, int nocase) {
  size_t len = strlen(w);
  if (p->n - i < len) return 0;
  return nocase ? util_strnicmp((const char *)p->z + i, w, len) == 0 : memcmp(p->z + i, w, len) == 0;
}

/* The usual number, a plain decimal integer (negative or not) at i, as an
** INT node in one pass: the offset after it, or 0 for any other number
** (hex, a leading zero, a fraction or exponent: parse_number's). */
static inline uint32_t parse_plain_int(Parser *p, uint32_t i) {
  uint32_t d = i + (p->z[i] == '-'), e = d + 1;
  uint8_t c0 = d < p->n ? p->z[d] : 0;
  if (c0 >= '1' && c0 <= '9') {
    while (e < p->n && is_digit(p->z[e])) e++;
  } else if (c0 != '0' || (e < p->n && (is_digit(p->z[e]) || p->z[e] == 'x' || p->z[e] == 'X'))) {
    return 0;
  }
  if (e < p->n && (p->z[e] == '.' || p->z[e] == 'e' || p->z[e] == 'E')) return 0;
  jbuf_node(p->out, JSONB_INT, p->z + i, e - i);
  return e;
}

/* A number (or Infinity/NaN) at i; sign handling as the header says. */
static uint32_t parse_number(Parser *p, uint32_t i) {
  uint32_t start = i, body, d;
  int neg = 0, plus = 0, type = JSONB_INT;
  uint8_t c = p->z[i];
  if ((d = parse_plain_int(p, i)) != 0) return d;
  if (c == '-' || c == '+') {
    neg = c == '-';
    plus = c == '+';
    i++;
  }
  body = i;
  if (i < p->n && (p->z[i] == 'i' || p->z[i] == 'I' || p->z[i] == 'n' || p->z[i] == 'N')) {
    if (word_at(p, i, "infinity", 1) || word_at(p, i, "inf", 1)) {
      uint32_t len = word_at(p, i, "infinity", 1) ? 8 : 3;
      p->json5 = 1;
      jbuf_node(p->out, JSONB_FLOAT, neg ? "-9e999" : "9e999", neg ? 6 : 5);
      return i + len;
    }
    if (word_at(p, i, "nan", 1) && !neg && !plus) {
      p->json5 = 1;
      jbuf_header(p->out, JSONB_NULL, 0);
      return i + 3;
    }
    return fail(p, start);
  }
  if (plus) p->json5 = 1;
  /* "0x" without a hex digit after it is the number 0 and then junk, as
  ** SQLite reads it. */
  if (i + 2 < p->n && p->z[i] == '0' && (p->z[i + 1] == 'x' || p->z[i + 1] == 'X') && is_xdigit(p->z[i + 2])) {
    d = i + 2;
    while (d < p->n && is_xdigit(p->z[d])) d++;
    p->json5 = 1;
    if (plus) start = body;
    jbuf_node(p->out, JSONB_INT5, p->z + start, d - start);
    return d;
  }
  d = i;
  while (i < p->n && is_digit(p->z[i])) i++;
  if (i - d > 1 && p->z[d] == '0') return fail(p, neg || plus ? d : d + 1);
  if (i < p->n && p->z[i] == '.') {
    uint32_t f = ++i;
    while (i < p->n && is_digit(p->z[i])) i++;
    if (i == f && f - 1 == d) return fail(p, start); /* a lone '.' */
    type = (i == f || f - 1 == d) ? JSONB_FLOAT5 : JSONB_FLOAT;
  } else if (i == d) {
    return fail(p, start);
  }
  if (i < p->n && (p->z[i] == 'e' || p->z[i] == 'E')) {
    uint32_t e = i++;
    if (i < p->n && (p->z[i] == '+' || p->z[i] == '-')) i++;
    if (i >= p->n || !is_digit(p->z[i])) return fail(p, e);
    while (i < p->n && is_digit(p->z[i])) i++;
    if (type == JSONB_INT) type = JSONB_FLOAT;
  }
  if (type == JSONB_FLOAT5) p->json5 = 1;
  if (plus) start = body;
  jbuf_node(p->out, type, p->z + start, i - start);
  return i;
}

/* The elements of an array or the members of an object, from after the
** opening bracket; the container's header is fixed up at the end. */
static uint32_t parse_container(Parser *p, uint32_t i, int depth, int object) {
  uint32_t at = p->out->n, payload, hdr;
  uint8_t close = object ? '}' : ']';
  /* The header is written for a payload of 12 to 255 bytes (a one-byte
  ** size), which most containers have: it is then rewritten in place at the
  ** end; an empty or tiny container's payload moves back a byte and a big
  ** one's forward, once. */
  if (!jbuf_reserve(p->out, 2)) return fail(p, i);
  p->out->a[at] = (uint8_t)(JSONB_SIZE_1 << 4 | (object ? JSONB_OBJECT : JSONB_ARRAY));
  p->out->a[at + 1] = 0;
  p->out->n += 2;
  hdr = 2;
  i = skip_space(p, i);
  if (i == PARSE_FAIL) return i;
  /* Each turn starts on a member or element, its spaces skipped. */
  if (i >= p->n || p->z[i] != close) for (;;) {
    if (object) {
      uint8_t c = i < p->n ? p->z[i] : 0;
      if (c == '"' || c == '\'') i = parse_string(p, i);
      else i = parse_identifier(p, i);
      if (i == PARSE_FAIL) return i;
      i = skip_space(p, i);
      if (i == PARSE_FAIL) return i;
      if (i >= p->n || p->z[i] != ':') return fail(p, i);
      i++;
    }
    /* A string or plain integer value (most of them) without parse_value's
    ** dispatch. */
    {
      uint8_t c = i < p->n ? p->z[i] : 0;
      uint32_t e;
      if (c == '"') i = parse_string(p, i);
      else if (((c >= '0' && c <= '9') || c == '-') && (e = parse_plain_int(p, i)) != 0) i = e;
      else i = parse_value(p, i, depth + 1);
    }
    if (i == PARSE_FAIL) return i;
    i = skip_space(p, i);
    if (i == PARSE_FAIL) return i;
    if (i < p->n && p->z[i] == ',') {
      i = skip_space(p, i + 1);
      if (i == PARSE_FAIL) return i;
      if (i < p->n && p->z[i] == close) {
        p->json5 = 1; /* a trailing comma */
        break;
      }
      continue;
    }
    if (i < p->n && p->z[i] == close) break;
    return fail(p, i);
  }
  if (p->out->oom || p->out->toobig) return fail(p, i);
  payload = p->out->n - at - hdr;
  jbuf_resize_header(p->out, at, payload);
  return i + 1;
}

static uint32_t parse_value(Parser *p, uint32_t i, int depth) {
  uint8_t c;
  i = skip_space(p, i);
  if (i == PARSE_FAIL) return i;
  if (i >= p->n) return fail(p, i);
  c = p->z[i];
  /* JSON_MAX_DEPTH containers may nest; what the innermost holds is not one more */
  if ((c == '{' || c == '[') && depth >= JSON_MAX_DEPTH) return fail(p, i);
  switch (c) {
    case '{': return parse_container(p, i + 1, depth, 1);
    case '[': return parse_container(p, i + 1, depth, 0);
    case '"': case '\'': return parse_string(p, i);
    case 't': case 'f': case 'n': {
      static const char *const words[] = {"true", "false", "null"};
      static const uint8_t lens[] = {4, 5, 4};
      static const int types[] = {JSONB_TRUE, JSONB_FALSE, JSONB_NULL};
      int w = c == 't' ? 0 : c == 'f' ? 1 : 2;
      size_t len = lens[w];
      if (p->n - i >= len && memcmp(p->z + i, words[w], len) == 0) {
        uint32_t e = i + (uint32_t)len;
        if (e < p->n && (is_alpha(p->z[e]) || is_digit(p->z[e]) || p->z[e] == '_' || p->z[e] == '$'))
          return fail(p, i);
        jbuf_header(p->out, types[w], 0);
        return e;
      }
      if (c == 'n') return parse_number(p, i); /* nan */
      return fail(p, i);
    }
    default:
      if (is_digit(c) || c == '-' || c == '+' || c == '.' || c == 'I' || c == 'i' || c == 'N')
        return parse_number(p, i);
      return fail(p, i);
  }
}

/* 1-based character position of byte offset off. */
static int64_t char_position(const uint8_t *z, uint32_t off) {
  int64_t pos = 1;
  uint32_t i;
  for (i = 0; i < off; i++) {
    if ((z[i] & 0xc0) != 0x80) pos++;
  }
  return pos;
}

int json_parse_text(const char *z, uint32_t n, JsonBuf *out, JsonParseResult *res) {
  Parser p;
  uint32_t i;
  memset(&p, 0, sizeof(p));
  p.z = (const uint8_t *)z;
  p.n = n;
  p.out = out;
  res->json5 = 0;
  res->err = 0;
  i = parse_value(&p, 0, 0);
  if (out->oom) return 1;
  if (i == PARSE_FAIL) {
    res->err = char_position(p.z, p.err < n ? p.err : n);
    return 1;
  }
  i = skip_space(&p, i);
  /* SQLite reads the text as a C string: a NUL byte after the value ends it, and what follows is not looked at */
  if (i == PARSE_FAIL || (i < n && p.z[i] != 0)) {
    res->err = 1; /* something after the value */
    return 1;
  }
  res->json5 = p.json5;
  return 0;
}
