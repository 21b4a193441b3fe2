/*
** json.h — what the JSON files of the func module share: SQLite's binary
** JSON format (JSONB), the JSON subtype, and the parse, render, path and
** edit routines the SQL functions of json_func.c are built from.
**
** Every JSON function works on JSONB: text arguments are translated to JSONB
** (json_parse.c), paths are looked up and edits made on the bytes
** (json_path.c), and text results are rendered from JSONB (json_render.c).
** So text results are canonical RFC 8259 whatever JSON5 came in, and jsonb_*
** results are byte for byte what SQLite 3.53 writes.
**
** JSONB (SQLite's jsonb.html): every element is a header and a payload.
**
**   byte 0:  high nibble = size code, low nibble = element type
**            size code 0..11: the payload has that many bytes
**            12 / 13 / 14 / 15: the payload size follows as a 1 / 2 / 4 / 8
**            byte big-endian integer
**   then the payload:
**     NULL TRUE FALSE     empty
**     INT FLOAT           the number's RFC 8259 text ("-12", "1.5e3")
**     INT5 FLOAT5         JSON5 number text ("0x1F", ".5", "5.")
**     TEXT                string bytes needing no escapes
**     TEXTJ               string bytes with RFC 8259 escapes
**     TEXT5               string bytes with JSON5 escapes or raw controls
**     TEXTRAW             string bytes to be escaped when rendered
**     ARRAY               the elements, one after another
**     OBJECT              label, value, label, value, … (labels are strings)
**
** The encoder always writes the smallest header that holds the size; the
** decoder accepts any.  Text nested deeper than JSON_MAX_DEPTH is an error,
** and so is a path of more steps (SQLite's "JSON path too deep").
*/
#ifndef LODE_JSON_H
#define LODE_JSON_H

#include "func/func_internal.h"

enum {
  JSONB_NULL = 0,
  JSONB_TRUE = 1,
  JSONB_FALSE = 2,
  JSONB_INT = 3,
  JSONB_INT5 = 4,
  JSONB_FLOAT = 5,
  JSONB_FLOAT5 = 6,
  JSONB_TEXT = 7,
  JSONB_TEXTJ = 8,
  JSONB_TEXT5 = 9,
  JSONB_TEXTRAW = 10,
  JSONB_ARRAY = 11,
  JSONB_OBJECT = 12
};

#define JSON_MAX_DEPTH 1000 /* text nesting, strict JSONB nesting, path steps */
/* Documents built by edits may nest deeper than text may; rendering and
** patching stop here, which keeps the recursion within the C stack. */
#define JSON_MAX_NEST 10000
/* Mem.subtype of text that holds JSON (SQLite uses 'J' too): functions that
** take a JSON value embed such text as JSON instead of quoting it. */
#define JSON_SUBTYPE FUNC_JSON_SUBTYPE
/* Rendering a REAL: at most this many bytes. */
#define JSON_REAL_BUF 40

/* A growable byte buffer holding JSONB (or text while rendering). */
typedef struct JsonBuf {
  uint8_t *a;
  uint32_t n, cap;
  int oom;    /* an allocation failed: contents are incomplete */
  int toobig; /* grew past FUNC_MAX_LENGTH */
} JsonBuf;

void jbuf_init(JsonBuf *b);
void jbuf_free(JsonBuf *b);
int jbuf_grow(JsonBuf *b, uint32_t extra); /* jbuf_reserve's slow path */
/* Room for extra more bytes; 0 on failure (oom/toobig set). */
static inline int jbuf_reserve(JsonBuf *b, uint32_t extra) {
  return ((uint64_t)b->n + extra <= b->cap && !b->oom && !b->toobig) || jbuf_grow(b, extra);
}
void jbuf_append(JsonBuf *b, const void *p, uint32_t n);
/* Appends a header for a payload of size bytes, smallest form. */
void jbuf_header(JsonBuf *b, int type, uint32_t size);
/* Appends a whole element: header + payload. */
void jbuf_node_slow(JsonBuf *b, int type, const void *payload, uint32_t size);
/* jbuf_node for a small payload inline: a one-byte header and at most 11
** bytes, copied as two overlapping words (no call of memcpy, no loop). */
static inline void jbuf_node(JsonBuf *b, int type, const void *payload, uint32_t size) {
  if (size <= 11 && (uint64_t)b->n + 12 <= b->cap && !b->oom && !b->toobig) {
    uint8_t *d = b->a + b->n;
    const uint8_t *p = (const uint8_t *)payload;
    d[0] = (uint8_t)(size << 4 | (uint32_t)type);
    if (size >= 8) {
      memcpy(d + 1, p, 8);
      memcpy(d + 1 + size - 8, p + size - 8, 8);
    } else if (size >= 4) {
      memcpy(d + 1, p, 4);
      memcpy(d + 1 + size - 4, p + size - 4, 4);
    } else if (size >= 2) {
      memcpy(d + 1, p, 2);
      memcpy(d + 1 + size - 2, p + size - 2, 2);
    } else if (size) {
      d[1] = p[0];
    }
    b->n += 1 + size;
    return;
  }
  jbuf_node_slow(b, type, payload, size);
}
/* Replaces del bytes at off by ins[0..nins) (ins may be NULL: zeros). */
void jbuf_splice(JsonBuf *b, uint32_t off, uint32_t del, const void *ins, uint32_t nins);
/* Rewrites the header of the element at off for a new payload size (its
** type kept; the old size need not fit the buffer any more); returns how
** many bytes the header grew (negative: shrank).  The header always ends as
** narrow as the size allows, as SQLite writes it. */
int jbuf_resize_header_slow(JsonBuf *b, uint32_t off, uint32_t size);
#define JSONB_SIZE_1 12 /* header size code: a 1-byte size follows */
#define JSONB_SIZE_2 13 /* a 2-byte size follows */
/* jbuf_resize_header when the header already has the width the new size
** needs (a container's header sized from the text left, the usual case):
** its size bytes are rewritten in place, inline. */
static inline int jbuf_resize_header(JsonBuf *b, uint32_t off, uint32_t size) {
  if (!b->oom && !b->toobig && off + 3 <= b->n) {
    uint8_t *h = b->a + off, code = h[0] >> 4;
    if (code < JSONB_SIZE_1 && size < JSONB_SIZE_1) {
      h[0] = (uint8_t)(size << 4 | (h[0] & 0x0f));
      return 0;
    }
    if (code == JSONB_SIZE_1 && size >= JSONB_SIZE_1 && size <= 0xff) {
      h[1] = (uint8_t)size;
      return 0;
    }
    if (code == JSONB_SIZE_2 && size > 0xff && size <= 0xffff) {
      h[1] = (uint8_t)(size >> 8);
      h[2] = (uint8_t)size;
      return 0;
    }
  }
  return jbuf_resize_header_slow(b, off, size);
}
/* Replaces the old_len bytes of the element at off by the element val.
** When val is up to 8 bytes shorter and its header can be widened by
** exactly the difference (to a 2, 3, 5 or 9 byte header; never for null,
** true or false), the header is widened instead, so the element keeps its
** length — SQLite's JSONB edits do this and jsonb_* results show it.
** Returns how many bytes the element grew. */
int64_t jbuf_replace(JsonBuf *b, uint32_t off, uint32_t old_len, const uint8_t *val, uint32_t nval);
/* Adds delta to the payload size of the container at off (after its payload
** was changed in place); returns delta plus the header's own growth. */
int64_t jbuf_payload_changed(JsonBuf *b, uint32_t off, int64_t delta);

/* Reads the header of the element at off in a[0..n): type, header length
** and payload size.  Returns 0 if the header or payload runs past n. */
int jsonb_header_slow(const uint8_t *a, uint32_t n, uint32_t off, int *type, uint32_t *hdr, uint32_t *size);
static inline int jsonb_header(const uint8_t *a, uint32_t n, uint32_t off, int *type, uint32_t *hdr,
                               uint32_t *size) {
  if (off < n) {
    uint32_t code = a[off] >> 4;
    *type = a[off] & 0x0f;
    if (code < JSONB_SIZE_1) { /* the size is in the header byte itself */
      *hdr = 1;
      *size = code;
      return (uint64_t)off + 1 + code <= n;
    }
    if (code == JSONB_SIZE_1 && (uint64_t)off + 2 <= n) { /* a one-byte size: most containers and long strings */
      *hdr = 2;
      *size = a[off + 1];
      return (uint64_t)off + 2 + *size <= n;
    }
    if (code == JSONB_SIZE_2 && (uint64_t)off + 3 <= n) {
      *hdr = 3;
      *size = (uint32_t)a[off + 1] << 8 | a[off + 2];
      return (uint64_t)off + 3 + *size <= n;
    }
  }
  return jsonb_header_slow(a, n, off, type, hdr, size);
}
/* Total bytes of the element at off (header + payload), 0 if malformed. */
static inline uint32_t jsonb_size(const uint8_t *a, uint32_t n, uint32_t off) {
  int type;
  uint32_t hdr, size;
  return jsonb_header(a, n, off, &type, &hdr, &size) ? hdr + size : 0;
}
/* Is a[0..n) one well-formed JSONB element?  strict: every nested element
** and payload is checked too (json_valid flag 8); otherwise only that the
** outer header spans the blob exactly (flag 4, and what functions accept),
** and all of it for a blob of a payload up to 7 bytes whose first byte may
** also start JSON text ('{', '[', a digit). */
int jsonb_valid(const uint8_t *a, uint32_t n, int strict);

/* Is a[0..n), one element, canonical: the bytes the text parser makes of
** its rendering (smallest headers, RFC 8259 numbers and escapes, nothing
** that rendering rewrites)?  Such JSONB is embedded in json_array() and the
** like as it is, without the render and parse that canonicalize the rest. */
int jsonb_canonical(const uint8_t *a, uint32_t n);

/* ---- text → JSONB (json_parse.c) ------------------------------------- */
typedef struct JsonParseResult {
  int json5;   /* JSON5 syntax was used (json_valid flag 1 says no) */
  int64_t err; /* on failure: 1-based character position, as json_error_position */
} JsonParseResult;
/* Translates JSON or JSON5 text into JSONB appended to out.  Returns 0 on
** success, 1 on malformed text (out then holds junk), out->oom on oom. */
int json_parse_text(const char *z, uint32_t n, JsonBuf *out, JsonParseResult *res);

/* ---- JSONB → text and values (json_render.c) --------------------------- */
/* Appends the element at off as compact JSON text, or pretty with indent
** (NULL: compact).  Returns 0, or 1 for malformed JSONB. */
int json_render(const uint8_t *a, uint32_t n, uint32_t off, JsonBuf *out, const char *indent, uint32_t nindent);
/* json_render of a whole document, compact; *heap says whether SQLite 3.53
** would have built this text in a heap buffer (see JSON_TEXT_INLINE). */
int json_render_result(const uint8_t *a, uint32_t n, JsonBuf *out, int *heap);
/* The SQL value of the element at off: numbers, text, NULL, 1/0 for
** true/false; arrays and objects as JSON text (subtype JSON), or as JSONB
** blobs when as_blob.  Returns LODE_OK or a func error (message set). */
void json_result_value(FuncContext *ctx, const uint8_t *a, uint32_t n, uint32_t off, int as_blob);
/* Hands b's bytes to ctx->out as TEXT or BLOB without a copy; b is left
** empty (oom and length errors are set on ctx instead). */
void json_result_take(FuncContext *ctx, JsonBuf *b, int blob);
/* Appends the JSON rendering of a REAL (SQLite's "%!0.17g"-like form). */
void json_render_real(double r, JsonBuf *out);
/* Appends the string s as a JSONB TEXT or TEXTJ element (escaping what
** needs it). */
void json_text_node(JsonBuf *out, const char *s, uint32_t n);
/* Decodes the string payload of a text element (any of the four kinds)
** into out (UTF-8 bytes). */
void json_text_decode(int type, const uint8_t *p, uint32_t n, JsonBuf *out);

/* ---- paths and edits (json_path.c) ------------------------------------- */
#define JSON_FOUND 0
#define JSON_NOTFOUND 1
#define JSON_BADPATH 2
#define JSON_MALFORMED 3
#define JSON_NOMEM 4
#define JSON_TOODEEP 5
#define JSON_NOTARRAY 6 /* json_array_insert: the path names an object member */
/* Finds path (text starting at '$') in the JSONB doc; *node = the offset of
** the element found. */
int json_lookup(const uint8_t *a, uint32_t n, const char *path, uint32_t npath, uint32_t *node);

#define JSON_EDIT_SET 1     /* replace, or create if missing */
#define JSON_EDIT_INSERT 2  /* create only */
#define JSON_EDIT_REPLACE 3 /* replace only */
#define JSON_EDIT_REMOVE 4
#define JSON_EDIT_ARRAY_INSERT 5 /* insert before an array element, or append at [#]; else as INSERT */
/* Applies one edit to doc in place.  val: the JSONB of the new value
** (unused for REMOVE).  *removed_root is set when REMOVE takes the root. */
int json_edit(JsonBuf *doc, const char *path, uint32_t npath, int op, const uint8_t *val, uint32_t nval,
              int *removed_root);
/* RFC 7396 merge patch: appends the patch of target by patch to out. */
int json_merge_patch(const uint8_t *t, uint32_t nt, uint32_t toff, const uint8_t *p, uint32_t np, uint32_t poff,
                     JsonBuf *out, int depth);

#endif /* LODE_JSON_H */
