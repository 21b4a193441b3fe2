/*
** json_render.c — JSONB turned into RFC 8259 text (compact, or indented
** for json_pretty) and into SQL values, and SQL values turned into JSONB
** strings and numbers.
**
** Text output is canonical whatever the input was: JSON5 numbers are
** rewritten (0x1F → 31, .5 → 0.5, 5. → 5.0, a hex integer beyond 64 bits
** → 9.0e999), JSON5 string escapes become RFC 8259 ones (\x41 → \u0041,
** \v → \u000b, \0 → \u0000, \' → ', escaped line breaks vanish), raw
** control characters, '"' and '\' in TEXT5/TEXTRAW strings are escaped
** (\b \f \n \r \t, else \u00XX).  INT, FLOAT, TEXT and TEXTJ payloads are
** copied as they are.
**
** REALs from SQL are written as SQLite 3.53 writes them (util_render_real);
** always with a decimal point ("1.0", "1.0e+300"); infinities as 9.0e+999.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "func/json.h"

/* SQLite 3.53 builds a JSON function's text result in a 100-byte buffer
** inside its string object and moves to a heap buffer when an append might
** not fit; only a heap-built edit result goes into its cache of parses
** (json_func.c), so json_render_result says which it would have been. */
#define JSON_TEXT_INLINE 100

typedef struct Renderer {
  const uint8_t *a;
  uint32_t n;
  JsonBuf *out;
  const char *indent; /* NULL: compact */
  uint32_t nindent;
  uint32_t base; /* out->n where this text starts */
  int heap;      /* SQLite would have moved this text to a heap buffer by now */
} Renderer;

/* SQLite's test before an append that reserves extra bytes. */
static void heap_check(Renderer *r, uint32_t extra) {
  if (r && r->out->n - r->base + extra > JSON_TEXT_INLINE) r->heap = 1;
}

static void append_str(JsonBuf *out, const char *s) { jbuf_append(out, s, (uint32_t)strlen(s)); }
static void append_char(JsonBuf *out, char c) { jbuf_append(out, &c, 1); }

/* ---- REALs ------------------------------------------------------------------- */

void json_render_real(double r, JsonBuf *out) {
  char buf[UTIL_REAL_TEXT_MAX + 1];
  if (isinf(r)) {
    append_str(out, r < 0 ? "-9.0e+999" : "9.0e+999");
    return;
  }
  if (r == 0.0 || isnan(r)) {
    append_str(out, "0.0");
    return;
  }
  jbuf_append(out, buf, (uint32_t)util_render_real(r, buf));
}

/* ---- strings ---------------------------------------------------------------------- */

static void append_escape(JsonBuf *out, uint8_t c) {
  char buf[8];
  switch (c) {
    case '"': append_str(out, "\\\""); return;
    case '\\': append_str(out, "\\\\"); return;
    case '\b': append_str(out, "\\b"); return;
    case '\f': append_str(out, "\\f"); return;
    case '\n': append_str(out, "\\n"); return;
    case '\r': append_str(out, "\\r"); return;
    case '\t': append_str(out, "\\t"); return;
    default:
      snprintf(buf, sizeof(buf), "\\u%04x", c);
      append_str(out, buf);
  }
}

static int needs_escape(uint8_t c) { return c == '"' || c == '\\' || c < 0x20; }

/* Appends s escaped for the inside of a JSON string (r: the rendering it
** is part of, or NULL).  SQLite reserves room for the rest of the string
** and a 6-byte escape before it writes a control character's escape. */
static void append_escaped(JsonBuf *out, const uint8_t *s, uint32_t n, Renderer *r) {
  uint32_t i, run = 0;
  for (i = 0; i < n; i++) {
    if (!needs_escape(s[i])) continue;
    jbuf_append(out, s + run, i - run);
    if (s[i] < 0x20) heap_check(r, n - i + 7);
    append_escape(out, s[i]);
    run = i + 1;
  }
  jbuf_append(out, s + run, n - run);
}

void json_text_node(JsonBuf *out, const char *s, uint32_t n) {
  const uint8_t *z = (const uint8_t *)s;
  uint32_t i, at, size;
  for (i = 0; i < n && !needs_escape(z[i]); i++) {
  }
  if (i == n) {
    jbuf_node(out, JSONB_TEXT, s, n);
    return;
  }
  at = out->n;
  jbuf_header(out, JSONB_TEXTJ, 0);
  append_escaped(out, z, n, NULL);
  if (out->oom || out->toobig) return;
  size = out->n - at - 1;
  jbuf_resize_header(out, at, size);
}

static int hex_value(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

/* Length of an escaped line break after a backslash at p[0..n), else 0. */
static uint32_t line_break_len(const uint8_t *p, uint32_t n) {
  if (n >= 1 && p[0] == '\n') return 1;
  if (n >= 1 && p[0] == '\r') return n >= 2 && p[1] == '\n' ? 2 : 1;
  if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] & 0xfe) == 0xa8) return 3;
  return 0;
}

/* TEXT5 payload as RFC 8259 string content (SQLite reserves 7 bytes
** before a control character's escape). */
static void append_text5(JsonBuf *out, const uint8_t *p, uint32_t n, Renderer *r) {
  uint32_t i = 0;
  char buf[8];
  while (i < n) {
    uint8_t c = p[i];
    uint32_t lb;
    if (c != '\\') {
      if (c < 0x20) heap_check(r, 7);
      if (needs_escape(c)) append_escape(out, c);
      else jbuf_append(out, &c, 1);
      i++;
      continue;
    }
    if (i + 1 >= n) break;
    c = p[i + 1];
    if ((lb = line_break_len(p + i + 1, n - i - 1)) != 0) {
      i += 1 + lb;
    } else if (c == 'x' && i + 3 < n) {
      snprintf(buf, sizeof(buf), "\\u00%c%c", p[i + 2], p[i + 3]);
      append_str(out, buf);
      i += 4;
    } else if (c == 'v') {
      append_str(out, "\\u000b");
      i += 2;
    } else if (c == '0') {
      append_str(out, "\\u0000");
      i += 2;
    } else if (c == '\'') {
      append_char(out, '\'');
      i += 2;
    } else {
      jbuf_append(out, p + i, 2); /* an RFC 8259 escape; \uXXXX's digits follow as plain bytes */
      i += 2;
    }
  }
}

/* Appends code point cp as UTF-8 (lone surrogates too, as 3 bytes). */
static void append_utf8(JsonBuf *out, uint32_t cp) {
  uint8_t b[4];
  uint32_t n;
  if (cp < 0x80) {
    b[0] = (uint8_t)cp;
    n = 1;
  } else if (cp < 0x800) {
    b[0] = (uint8_t)(0xc0 | cp >> 6);
    b[1] = (uint8_t)(0x80 | (cp & 0x3f));
    n = 2;
  } else if (cp < 0x10000) {
    b[0] = (uint8_t)(0xe0 | cp >> 12);
    b[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
    b[2] = (uint8_t)(0x80 | (cp & 0x3f));
    n = 3;
  } else {
    b[0] = (uint8_t)(0xf0 | cp >> 18);
    b[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3f));
    b[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
    b[3] = (uint8_t)(0x80 | (cp & 0x3f));
    n = 4;
  }
  jbuf_append(out, b, n);
}

static uint32_t hex4(const uint8_t *p) {
  return (uint32_t)(hex_value(p[0]) << 12 | hex_value(p[1]) << 8 | hex_value(p[2]) << 4 | hex_value(p[3]));
}

void json_text_decode(int type, const uint8_t *p, uint32_t n, JsonBuf *out) {
  uint32_t i = 0, run = 0, lb;
  if (type == JSONB_TEXT || type == JSONB_TEXTRAW) {
    jbuf_append(out, p, n);
    return;
  }
  while (i < n) {
    uint8_t c;
    if (p[i] != '\\' || i + 1 >= n) {
      i++;
      continue;
    }
    jbuf_append(out, p + run, i - run);
    c = p[i + 1];
    i += 2;
    switch (c) {
      case 'b': append_char(out, '\b'); break;
      case 'f': append_char(out, '\f'); break;
      case 'n': append_char(out, '\n'); break;
      case 'r': append_char(out, '\r'); break;
      case 't': append_char(out, '\t'); break;
      case 'v': append_char(out, '\v'); break;
      case '0': append_char(out, '\0'); break;
      case 'x':
        if (i + 2 <= n) append_utf8(out, (uint32_t)(hex_value(p[i]) << 4 | hex_value(p[i + 1])));
        i += 2;
        break;
      case 'u': {
        uint32_t cp;
        if (i + 4 > n) break;
        cp = hex4(p + i);
        i += 4;
        if (cp >= 0xd800 && cp < 0xdc00 && i + 6 <= n && p[i] == '\\' && p[i + 1] == 'u') {
          uint32_t lo = hex4(p + i + 2);
          if (lo >= 0xdc00 && lo < 0xe000) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            i += 6;
          }
        }
        append_utf8(out, cp);
        break;
      }
      default:
        lb = line_break_len(p + i - 1, n - (i - 1));
        if (lb) i += lb - 1;
        else append_char(out, (char)c); /* \" \\ \/ \' */
    }
    if (i > n) i = n;
    run = i;
  }
  jbuf_append(out, p + run, n - run);
}

/* ---- numbers --------------------------------------------------------------------- */

/* The value of an INT5 payload ([-]0xHHHH): 0 if it exceeds 64 bits. */
static int int5_value(const uint8_t *p, uint32_t n, int *neg, uint64_t *v) {
  uint32_t i = 0;
  *neg = 0;
  *v = 0;
  if (i < n && p[i] == '-') {
    *neg = 1;
    i++;
  }
  for (i += 2; i < n; i++) {
    if (*v >> 60) return 0;
    *v = *v << 4 | (uint64_t)hex_value(p[i]);
  }
  return 1;
}

static void append_int5(JsonBuf *out, const uint8_t *p, uint32_t n) {
  int neg;
  uint64_t v;
  char buf[32];
  if (!int5_value(p, n, &neg, &v)) {
    append_str(out, neg ? "-9.0e999" : "9.0e999");
    return;
  }
  snprintf(buf, sizeof(buf), "%s%llu", neg ? "-" : "", (unsigned long long)v);
  append_str(out, buf);
}

/* FLOAT5 payload with the missing digit around its '.' put back. */
static void append_float5(JsonBuf *out, const uint8_t *p, uint32_t n) {
  uint32_t i;
  for (i = 0; i < n; i++) {
    if (p[i] == '.') {
      if (i == 0 || p[i - 1] < '0' || p[i - 1] > '9') append_char(out, '0');
      append_char(out, '.');
      if (i + 1 >= n || p[i + 1] < '0' || p[i + 1] > '9') append_char(out, '0');
    } else {
      jbuf_append(out, p + i, 1);
    }
  }
}

/* ---- JSONB → text ----------------------------------------------------------------------- */

static void newline(Renderer *r, int depth) {
  int i;
  append_char(r->out, '\n');
  for (i = 0; i < depth; i++) jbuf_append(r->out, r->indent, r->nindent);
}

/* One byte appended, inline while the buffer has room. */
static inline void put_byte(JsonBuf *out, uint8_t c) {
  if (out->n < out->cap) out->a[out->n++] = c;
  else jbuf_append(out, &c, 1);
}

/* A payload copied between two quotes (TEXT, TEXTJ) or as it is (INT,
** FLOAT): one reserve, and short ones copied without a call. */
static inline void put_payload(JsonBuf *out, const uint8_t *p, uint32_t size, int quoted) {
  uint8_t *d;
  if (!jbuf_reserve(out, size + 2)) return;
  d = out->a + out->n;
  if (quoted) *d++ = '"';
  if (size <= 16) {
    /* two overlapping words of the largest size that fits */
    if (size >= 8) {
      memcpy(d, p, 8);
      memcpy(d + size - 8, p + size - 8, 8);
    } else if (size >= 4) {
      memcpy(d, p, 4);
      memcpy(d + size - 4, p + size - 4, 4);
    } else if (size >= 2) {
      memcpy(d, p, 2);
      memcpy(d + size - 2, p + size - 2, 2);
    } else if (size) {
      d[0] = p[0];
    }
  } else {
    memcpy(d, p, size);
  }
  d += size;
  if (quoted) *d++ = '"';
  out->n = (uint32_t)(d - out->a);
}

static int render_node(Renderer *r, int type, const uint8_t *p, uint32_t size, int depth);

/* The elements of a container, payload p[0..size): each header read once. */
static int render_container(Renderer *r, int type, const uint8_t *p, uint32_t size, int depth) {
  uint32_t i = 0;
  int k = 0;
  put_byte(r->out, type == JSONB_ARRAY ? '[' : '{');
  while (i < size) {
    int t;
    uint32_t hdr, sz;
    if (!jsonb_header(p, size, i, &t, &hdr, &sz)) return 1;
    if (type == JSONB_OBJECT && k % 2 == 1) {
      put_byte(r->out, ':');
      if (r->indent) put_byte(r->out, ' ');
    } else {
      if (k) put_byte(r->out, ',');
      if (r->indent) newline(r, depth + 1);
    }
    /* strings and numbers (nearly every element) without the call */
    if (t == JSONB_TEXT || t == JSONB_TEXTJ) put_payload(r->out, p + i + hdr, sz, 1);
    else if (t == JSONB_INT || t == JSONB_FLOAT) put_payload(r->out, p + i + hdr, sz, 0);
    else if (render_node(r, t, p + i + hdr, sz, depth + 1)) return 1;
    i += hdr + sz;
    k++;
  }
  if (type == JSONB_OBJECT && k % 2) return 1;
  if (r->indent && k) newline(r, depth);
  put_byte(r->out, type == JSONB_ARRAY ? ']' : '}');
  return 0;
}

static int render_node(Renderer *r, int type, const uint8_t *p, uint32_t size, int depth) {
  if (depth > JSON_MAX_NEST) return 1;
  switch (type) {
    case JSONB_NULL: append_str(r->out, "null"); return 0;
    case JSONB_TRUE: append_str(r->out, "true"); return 0;
    case JSONB_FALSE: append_str(r->out, "false"); return 0;
    case JSONB_INT: case JSONB_FLOAT: put_payload(r->out, p, size, 0); return 0;
    case JSONB_INT5: /* SQLite formats it into a reserve of 100 bytes */
      r->heap = 1;
      append_int5(r->out, p, size);
      return 0;
    case JSONB_FLOAT5: append_float5(r->out, p, size); return 0;
    case JSONB_TEXT: case JSONB_TEXTJ: put_payload(r->out, p, size, 1); return 0;
    case JSONB_TEXT5: case JSONB_TEXTRAW:
      append_char(r->out, '"');
      if (type == JSONB_TEXT5) append_text5(r->out, p, size, r);
      else append_escaped(r->out, p, size, r);
      append_char(r->out, '"');
      return 0;
    case JSONB_ARRAY: case JSONB_OBJECT: return render_container(r, type, p, size, depth);
    default: return 1;
  }
}

static int render(Renderer *r, uint32_t off, uint32_t end, int depth) {
  int type;
  uint32_t hdr, size;
  if (!jsonb_header(r->a, end, off, &type, &hdr, &size)) return 1;
  return render_node(r, type, r->a + off + hdr, size, depth);
}

int json_render(const uint8_t *a, uint32_t n, uint32_t off, JsonBuf *out, const char *indent, uint32_t nindent) {
  Renderer r;
  r.a = a;
  r.n = n;
  r.out = out;
  r.indent = indent;
  r.nindent = nindent;
  r.base = out->n;
  r.heap = 0;
  return render(&r, off, n, 0);
}

int json_render_result(const uint8_t *a, uint32_t n, JsonBuf *out, int *heap) {
  Renderer r;
  int rc;
  /* Compact text is seldom much longer than its JSONB: one allocation, not
  ** a doubling and a copy per power of two. */
  jbuf_reserve(out, n + n / 8 + 64);
  r.a = a;
  r.n = n;
  r.out = out;
  r.indent = NULL;
  r.nindent = 0;
  r.base = out->n;
  r.heap = 0;
  rc = render(&r, 0, n, 0);
  /* a text of 100 bytes or more never fits with its terminator */
  *heap = r.heap || out->n - r.base >= JSON_TEXT_INLINE;
  return rc;
}

/* ---- JSONB → SQL value ---------------------------------------------------------------- */

static void result_number(FuncContext *ctx, int type, const uint8_t *p, uint32_t size) {
  int64_t i;
  double r;
  JsonBuf t;
  int kind;
  if (type == JSONB_INT5) {
    int neg;
    uint64_t v;
    if (!int5_value(p, size, &neg, &v)) {
      func_error(ctx, LODE_ERROR, "malformed JSON");
    } else if (v <= (uint64_t)INT64_MAX) {
      mem_set_int(ctx->out, neg ? -(int64_t)v : (int64_t)v);
    } else {
      mem_set_real(ctx->out, neg ? -(double)v : (double)v);
    }
    return;
  }
  jbuf_init(&t);
  if (type == JSONB_FLOAT5) append_float5(&t, p, size);
  else jbuf_append(&t, p, size);
  if (t.oom) {
    func_nomem(ctx);
    return;
  }
  kind = util_parse_number((const char *)t.a, t.n, &i, &r);
  jbuf_free(&t);
  if (kind == 1 && type == JSONB_INT) mem_set_int(ctx->out, i);
  else if (kind == 1) mem_set_real(ctx->out, (double)i);
  else if (kind == 2) mem_set_real(ctx->out, r);
  else func_error(ctx, LODE_ERROR, "malformed JSON");
}

void json_result_take(FuncContext *ctx, JsonBuf *b, int blob) {
  if (!b->oom && !b->toobig && (b->n < b->cap || jbuf_grow(b, 1))) {
    b->a[b->n] = 0; /* func_result_take's terminator (b->a exists: jbuf_grow made it) */
    func_result_take(ctx, (char *)b->a, (int)b->n, blob);
    jbuf_init(b);
    return;
  }
  if (b->oom) func_nomem(ctx);
  else func_error(ctx, LODE_TOOBIG, "string or blob too big");
  jbuf_free(b);
}

void json_result_value(FuncContext *ctx, const uint8_t *a, uint32_t n, uint32_t off, int as_blob) {
  int type;
  uint32_t hdr, size;
  JsonBuf t;
  if (!jsonb_header(a, n, off, &type, &hdr, &size)) {
    func_error(ctx, LODE_ERROR, "malformed JSON");
    return;
  }
  jbuf_init(&t);
  switch (type) {
    case JSONB_NULL: mem_set_null(ctx->out); return;
    case JSONB_TRUE: mem_set_int(ctx->out, 1); return;
    case JSONB_FALSE: mem_set_int(ctx->out, 0); return;
    case JSONB_INT: case JSONB_INT5: case JSONB_FLOAT: case JSONB_FLOAT5:
      result_number(ctx, type, a + off + hdr, size);
      return;
    case JSONB_TEXT: case JSONB_TEXTRAW: /* nothing to decode: the bytes are the value */
      func_result_bytes(ctx, size ? (const char *)a + off + hdr : "", (int)size, 0);
      return;
    case JSONB_TEXTJ: case JSONB_TEXT5:
      json_text_decode(type, a + off + hdr, size, &t);
      json_result_take(ctx, &t, 0);
      return;
    case JSONB_ARRAY: case JSONB_OBJECT:
      if (as_blob) {
        func_result_bytes(ctx, (const char *)a + off, (int)(hdr + size), 1);
        return;
      }
      if (json_render(a, off + hdr + size, off, &t, NULL, 0)) {
        jbuf_free(&t);
        func_error(ctx, LODE_ERROR, "malformed JSON");
        return;
      }
      json_result_take(ctx, &t, 0);
      if (ctx->rc == LODE_OK) ctx->out->subtype = JSON_SUBTYPE;
      return;
    default: func_error(ctx, LODE_ERROR, "malformed JSON");
  }
}
