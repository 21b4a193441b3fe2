/*
** json_jsonb.c — the JSONB byte format (layout in json.h): a growable
** buffer with smallest-header encoding, splicing and header resizing for
** edits in place, header decoding, and the validity checks of json_valid's
** JSONB flags (4: the outer header spans the blob; 8: every element is
** well formed, down to the number and string syntax of each payload).
*/
#include <string.h>

#include "func/json.h"

#define JSONB_SIZE_4 14
#define JSONB_SIZE_8 15
#define JSONB_MAX_HEADER 9

static int header_read(const uint8_t *a, uint32_t n, uint32_t off, int *type, uint32_t *hdr, uint64_t *size);

void jbuf_init(JsonBuf *b) { memset(b, 0, sizeof(*b)); }

void jbuf_free(JsonBuf *b) {
  util_free(b->a);
  jbuf_init(b);
}

int jbuf_grow(JsonBuf *b, uint32_t extra) {
  uint64_t need = (uint64_t)b->n + extra;
  if (b->oom || b->toobig) return 0;
  if (need > FUNC_MAX_LENGTH) {
    b->toobig = 1;
    return 0;
  }
  if (need > b->cap) {
    uint64_t cap = b->cap ? (uint64_t)b->cap * 2 : 64;
    uint8_t *a;
    while (cap < need) cap *= 2;
    if (cap > FUNC_MAX_LENGTH + 1u) cap = FUNC_MAX_LENGTH + 1u;
    a = util_realloc(b->a, (size_t)cap);
    if (!a) {
      b->oom = 1;
      return 0;
    }
    b->a = a;
    b->cap = (uint32_t)cap;
  }
  return 1;
}

void jbuf_append(JsonBuf *b, const void *p, uint32_t n) {
  if (!n || !jbuf_reserve(b, n)) return;
  memcpy(b->a + b->n, p, n);
  b->n += n;
}

/* Writes the header for (type, size) into h; returns its length. */
static uint32_t header_encode(uint8_t *h, int type, uint32_t size) {
  if (size <= 11) {
    h[0] = (uint8_t)(size << 4 | (uint32_t)type);
    return 1;
  }
  if (size <= 0xff) {
    h[0] = (uint8_t)(JSONB_SIZE_1 << 4 | type);
    h[1] = (uint8_t)size;
    return 2;
  }
  if (size <= 0xffff) {
    h[0] = (uint8_t)(JSONB_SIZE_2 << 4 | type);
    h[1] = (uint8_t)(size >> 8);
    h[2] = (uint8_t)size;
    return 3;
  }
  h[0] = (uint8_t)(JSONB_SIZE_4 << 4 | type);
  h[1] = (uint8_t)(size >> 24);
  h[2] = (uint8_t)(size >> 16);
  h[3] = (uint8_t)(size >> 8);
  h[4] = (uint8_t)size;
  return 5;
}

void jbuf_header(JsonBuf *b, int type, uint32_t size) {
  if (jbuf_reserve(b, JSONB_MAX_HEADER)) b->n += header_encode(b->a + b->n, type, size);
}

void jbuf_node_slow(JsonBuf *b, int type, const void *payload, uint32_t size) {
  if (!jbuf_reserve(b, size + JSONB_MAX_HEADER)) return;
  b->n += header_encode(b->a + b->n, type, size);
  if (size) memcpy(b->a + b->n, payload, size);
  b->n += size;
}

void jbuf_splice(JsonBuf *b, uint32_t off, uint32_t del, const void *ins, uint32_t nins) {
  if (b->oom || b->toobig) return;
  if (nins > del && !jbuf_reserve(b, nins - del)) return;
  if (nins != del) memmove(b->a + off + nins, b->a + off + del, b->n - off - del);
  if (nins) {
    if (ins) memcpy(b->a + off, ins, nins);
    else memset(b->a + off, 0, nins);
  }
  b->n = b->n - del + nins;
}

int jbuf_resize_header_slow(JsonBuf *b, uint32_t off, uint32_t size) {
  uint8_t h[JSONB_MAX_HEADER];
  int type;
  uint32_t old_hdr, len;
  uint64_t old_size;
  if (b->oom || b->toobig || !header_read(b->a, b->n, off, &type, &old_hdr, &old_size)) return 0;
  len = header_encode(h, type, size);
  jbuf_splice(b, off, old_hdr, h, len);
  return (int)len - (int)old_hdr;
}

/* Reads the header at off; checks only that the header itself fits in n. */
static int header_read(const uint8_t *a, uint32_t n, uint32_t off, int *type, uint32_t *hdr, uint64_t *size) {
  uint32_t code, len, i;
  uint64_t sz = 0;
  if (off >= n) return 0;
  *type = a[off] & 0x0f;
  code = a[off] >> 4;
  if (code < JSONB_SIZE_1) {
    len = 1;
    sz = code;
  } else {
    uint32_t extra = code == JSONB_SIZE_1 ? 1 : code == JSONB_SIZE_2 ? 2 : code == JSONB_SIZE_4 ? 4 : 8;
    len = 1 + extra;
    if ((uint64_t)off + len > n) return 0;
    for (i = 1; i < len; i++) sz = sz << 8 | a[off + i];
  }
  *hdr = len;
  *size = sz;
  return 1;
}

int64_t jbuf_replace(JsonBuf *b, uint32_t off, uint32_t old_len, const uint8_t *val, uint32_t nval) {
  static const uint8_t size_code[] = {0, 0, JSONB_SIZE_1, JSONB_SIZE_2, 0, JSONB_SIZE_4, 0, 0, 0, JSONB_SIZE_8};
  uint32_t d = old_len - nval, hdr, new_hdr, k;
  uint64_t size;
  int type;
  if (nval < old_len && d <= 8 && header_read(val, nval, 0, &type, &hdr, &size) && type > JSONB_FALSE &&
      hdr + d < sizeof(size_code) && size_code[hdr + d] && !b->oom && !b->toobig) {
    /* same length: the new value's header is widened by d bytes */
    uint8_t *p = b->a + off;
    new_hdr = hdr + d;
    p[0] = (uint8_t)(size_code[new_hdr] << 4 | type);
    for (k = 1; k < new_hdr; k++) p[k] = (uint8_t)(size >> (8 * (new_hdr - 1 - k)));
    memcpy(p + new_hdr, val + hdr, nval - hdr);
    return 0;
  }
  jbuf_splice(b, off, old_len, val, nval);
  return (int64_t)nval - old_len;
}

int64_t jbuf_payload_changed(JsonBuf *b, uint32_t off, int64_t delta) {
  int type;
  uint32_t hdr;
  uint64_t size;
  if (b->oom || b->toobig || !header_read(b->a, b->n, off, &type, &hdr, &size)) return delta;
  return delta + jbuf_resize_header(b, off, (uint32_t)((int64_t)size + delta));
}

int jsonb_header_slow(const uint8_t *a, uint32_t n, uint32_t off, int *type, uint32_t *hdr, uint32_t *size) {
  uint64_t sz;
  if (!header_read(a, n, off, type, hdr, &sz) || (uint64_t)off + *hdr + sz > n) return 0;
  *size = (uint32_t)sz;
  return 1;
}

/* ---- strict checks (json_valid flag 8) ------------------------------------ */

static int is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static int is_xdigit(uint8_t c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* Skips an optional exponent ("e", sign, digits) at p[i]; returns the
** offset after it, or n + 1 when the exponent has no digits. */
static uint32_t skip_exponent(const uint8_t *p, uint32_t n, uint32_t i) {
  uint32_t d;
  if (i >= n || (p[i] != 'e' && p[i] != 'E')) return i;
  i++;
  if (i < n && (p[i] == '+' || p[i] == '-')) i++;
  d = i;
  while (i < n && is_digit(p[i])) i++;
  return i == d ? n + 1 : i;
}

/* RFC 8259 number text; want_int: an integer only. */
static int check_number(const uint8_t *p, uint32_t n, int want_int) {
  uint32_t i = 0, start;
  int frac = 0;
  if (i < n && p[i] == '-') i++;
  start = i;
  while (i < n && is_digit(p[i])) i++;
  if (i == start || (p[start] == '0' && i - start > 1)) return 0;
  if (i < n && p[i] == '.') {
    uint32_t d = ++i;
    while (i < n && is_digit(p[i])) i++;
    if (i == d) return 0;
    frac = 1;
  }
  if (i < n && (p[i] == 'e' || p[i] == 'E')) frac = 1;
  return skip_exponent(p, n, i) == n && (want_int ? !frac : frac);
}

static int check_int5(const uint8_t *p, uint32_t n) {
  uint32_t i = 0;
  if (i < n && p[i] == '-') i++;
  if (i + 2 >= n || p[i] != '0' || (p[i + 1] != 'x' && p[i + 1] != 'X')) return 0;
  for (i += 2; i < n; i++) {
    if (!is_xdigit(p[i])) return 0;
  }
  return 1;
}

/* JSON5 floats: a leading or trailing '.', or an RFC 8259 float. */
static int check_float5(const uint8_t *p, uint32_t n) {
  uint32_t i = 0, digits = 0;
  int dot = 0;
  if (i < n && p[i] == '-') i++;
  for (; i < n; i++) {
    if (is_digit(p[i])) digits++;
    else if (p[i] == '.' && !dot) dot = 1;
    else break;
  }
  return digits && dot && skip_exponent(p, n, i) == n;
}

/* Whether four hex digits follow p[i] (the u of a \u escape) within n bytes. */
static int hex4_after(const uint8_t *p, uint32_t i, uint32_t n) {
  return i + 4 < n && is_xdigit(p[i + 1]) && is_xdigit(p[i + 2]) && is_xdigit(p[i + 3]) && is_xdigit(p[i + 4]);
}

/* String payloads: which bytes and escapes each text type may hold. */
static int check_text(int type, const uint8_t *p, uint32_t n) {
  uint32_t i;
  for (i = 0; i < n; i++) {
    uint8_t c = p[i];
    if (type == JSONB_TEXTRAW) continue;
    if (c == '"' && type != JSONB_TEXT5) return 0;
    if (c < 0x20 && type != JSONB_TEXT5) return 0;
    if (c != '\\') continue;
    if (type == JSONB_TEXT) return 0;
    if (++i >= n) return 0;
    c = p[i];
    if (c == 'u') {
      if (!hex4_after(p, i, n)) return 0;
      i += 4;
    } else if (strchr("\"\\/bfnrt", c)) {
      continue;
    } else if (type != JSONB_TEXT5) {
      return 0;
    } else if (c == 'x') {
      if (i + 2 >= n || !is_xdigit(p[i + 1]) || !is_xdigit(p[i + 2])) return 0;
      i += 2;
    } else if (c == '0') {
      if (i + 1 < n && is_digit(p[i + 1])) return 0;
    } else if (!strchr("'v\r\n", c) && !(c == 0xe2 && i + 2 < n && p[i + 1] == 0x80 && (p[i + 2] & 0xfe) == 0xa8)) {
      return 0;
    }
  }
  return 1;
}

static int valid_element(const uint8_t *a, uint32_t n, uint32_t off, uint32_t end, int depth) {
  int type;
  uint32_t hdr, size, i, k;
  if (depth >= JSON_MAX_DEPTH || !jsonb_header(a, end, off, &type, &hdr, &size)) return 0;
  i = off + hdr;
  switch (type) {
    case JSONB_NULL: case JSONB_TRUE: case JSONB_FALSE: return size == 0;
    case JSONB_INT: return check_number(a + i, size, 1);
    case JSONB_INT5: return check_int5(a + i, size);
    case JSONB_FLOAT: return check_number(a + i, size, 0);
    case JSONB_FLOAT5: return check_float5(a + i, size);
    case JSONB_TEXT: case JSONB_TEXTJ: case JSONB_TEXT5: case JSONB_TEXTRAW:
      return check_text(type, a + i, size);
    case JSONB_ARRAY: case JSONB_OBJECT:
      for (k = 0, end = i + size; i < end; k++) {
        uint32_t len = jsonb_size(a, end, i);
        int t = a[i] & 0x0f;
        if (!len) return 0;
        if (type == JSONB_OBJECT && k % 2 == 0 && (t < JSONB_TEXT || t > JSONB_TEXTRAW)) return 0;
        if (!valid_element(a, n, i, end, depth + 1)) return 0;
        i += len;
      }
      return type == JSONB_ARRAY || k % 2 == 0;
    default: return 0;
  }
}

int jsonb_valid(const uint8_t *a, uint32_t n, int strict) {
  int type;
  uint32_t hdr, size;
  if (n == 0 || !jsonb_header(a, n, 0, &type, &hdr, &size) || hdr + size != n || type > JSONB_OBJECT) return 0;
  if (type <= JSONB_FALSE && size) return 0;
  /* JSON text may begin with these bytes too, and its first byte read as a
  ** header gives a payload of at most 7 bytes: such a short blob counts as
  ** JSONB only when all of it is well formed, as SQLite 3.53 decides. */
  if (size <= 7 && (a[0] == '{' || a[0] == '[' || (a[0] >= '0' && a[0] <= '9'))) strict = 1;
  return strict ? valid_element(a, n, 0, n, 0) : 1;
}

/* ---- canonical JSONB ------------------------------------------------------- */

/* Does the TEXT payload p[0..n) hold none of the bytes a string's text must
** escape ('"', '\\', controls)?  Eight bytes at a time where the machine is
** little-endian (the has-zero-byte test, as the text parser's scan). */
static int text_plain(const uint8_t *p, uint32_t n) {
  uint32_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
  for (; n - i >= 8; i += 8) {
    uint64_t x, q, b;
    memcpy(&x, p + i, 8);
    q = x ^ (ones * '"');
    b = x ^ (ones * '\\');
    if ((((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b)) & high) return 0;
  }
#endif
  for (; i < n; i++) {
    if (p[i] == '"' || p[i] == '\\' || p[i] < 0x20) return 0;
  }
  return 1;
}

/* Does the TEXTJ payload p[0..n) hold RFC 8259 escapes only, at least one,
** and no byte that must be escaped? */
static int textj_plain(const uint8_t *p, uint32_t n) {
  uint32_t i;
  int escapes = 0;
  for (i = 0; i < n; i++) {
    uint8_t c = p[i];
    if (c == '"' || c < 0x20) return 0;
    if (c != '\\') continue;
    if (++i >= n) return 0;
    c = p[i];
    if (c == 'u') {
      if (!hex4_after(p, i, n)) return 0;
      i += 4;
    } else if (!memchr("\"\\/bfnrt", c, 8)) {
      return 0;
    }
    escapes = 1;
  }
  return escapes;
}

/* Is the element at off, ending by end, canonical: written with the
** smallest headers, and holding only what rendering copies as it is and the
** text parser reads back as the same bytes (RFC 8259 numbers, plain TEXT,
** TEXTJ with RFC escapes, containers nested less deep than the parser
** allows, objects of string labels)?  Then parsing its rendering gives its
** own bytes back. */
static int canonical_element(const uint8_t *a, uint32_t off, uint32_t end, int depth) {
  int type;
  uint32_t hdr, size, i, k, code = a[off] >> 4;
  if (!jsonb_header(a, end, off, &type, &hdr, &size)) return 0;
  if (code == JSONB_SIZE_1 ? size < JSONB_SIZE_1
      : code == JSONB_SIZE_2 ? size <= 0xff
      : code == JSONB_SIZE_4 ? size <= 0xffff
      : code == JSONB_SIZE_8)
    return 0;
  i = off + hdr;
  switch (type) {
    case JSONB_NULL: case JSONB_TRUE: case JSONB_FALSE: return size == 0;
    case JSONB_INT: return check_number(a + i, size, 1);
    case JSONB_FLOAT: return check_number(a + i, size, 0);
    case JSONB_TEXT: return text_plain(a + i, size);
    case JSONB_TEXTJ: return textj_plain(a + i, size);
    case JSONB_ARRAY: case JSONB_OBJECT:
      if (depth >= JSON_MAX_DEPTH) return 0;
      for (k = 0, end = i + size; i < end; k++) {
        uint32_t len = jsonb_size(a, end, i);
        int t = a[i] & 0x0f;
        if (!len) return 0;
        if (type == JSONB_OBJECT && k % 2 == 0 && t != JSONB_TEXT && t != JSONB_TEXTJ) return 0;
        if (!canonical_element(a, i, end, depth + 1)) return 0;
        i += len;
      }
      return type == JSONB_ARRAY || k % 2 == 0;
    default: return 0;
  }
}

int jsonb_canonical(const uint8_t *a, uint32_t n) { return n > 0 && canonical_element(a, 0, n, 0); }
