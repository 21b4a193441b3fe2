/*
** record.c — SQLite's record format: encoding rows/keys, parsing headers,
** decoding column bodies.
**
** Layout of a record:
**
**   +-------------+-----------+-----------+-----+--------+--------+-----+
**   | header size | type 1    | type 2    | ... | body 1 | body 2 | ... |
**   | varint      | varint    | varint    |     |        |        |     |
**   +-------------+-----------+-----------+-----+--------+--------+-----+
**   <-------------- header size bytes ---------->
**
** The header size counts its own varint.  Serial types and body sizes:
**   0 NULL (0)   1 int8 (1)   2 int16 (2)   3 int24 (3)   4 int32 (4)
**   5 int48 (6)  6 int64 (8)  7 IEEE-754 double (8)   8 integer 0 (0)
**   9 integer 1 (0)   10, 11 reserved (invalid in a database file)
**   N >= 12 even: BLOB of (N-12)/2 bytes;  N >= 13 odd: TEXT of (N-13)/2.
** Integers and doubles are big-endian, integers two's complement.
**
** Invariants: record_encode always picks the smallest serial type for an
** integer (8/9 for 0/1: schema format 4); record_header_parse never reads
** outside [p, p+avail) and guarantees that for every column
** offsets[i] + record_serial_len(types[i]) <= total and fits an int.
*/
#include <limits.h>
#include <string.h>

#include "value/value.h"

#define SERIAL_NULL 0
#define SERIAL_INT8 1
#define SERIAL_INT16 2
#define SERIAL_INT24 3
#define SERIAL_INT32 4
#define SERIAL_INT48 5
#define SERIAL_INT64 6
#define SERIAL_REAL 7
#define SERIAL_ZERO 8
#define SERIAL_ONE 9
#define SERIAL_RESERVED_10 10
#define SERIAL_RESERVED_11 11
#define SERIAL_BLOB_BASE 12
#define SERIAL_TEXT_BASE 13
#define RECORD_MAX_SIZE 0x7fffffffu /* bodies must fit Mem.n (int) */
#define RECORD_HEADER_MIN_CAP 8
#define SERIAL_LEN_RESERVED 0xff /* in record_header_parse's table: serial types 10 and 11 */

static uint32_t serial_type_for_int(int64_t v) {
  if (v == 0) return SERIAL_ZERO;
  if (v == 1) return SERIAL_ONE;
  if (v >= -128 && v <= 127) return SERIAL_INT8;
  if (v >= -32768 && v <= 32767) return SERIAL_INT16;
  if (v >= -8388608 && v <= 8388607) return SERIAL_INT24;
  if (v >= INT32_MIN && v <= INT32_MAX) return SERIAL_INT32;
  if (v >= -((int64_t)1 << 47) && v < ((int64_t)1 << 47)) return SERIAL_INT48;
  return SERIAL_INT64;
}

uint32_t record_serial_type(const Mem *m, uint32_t *len) {
  uint32_t t;
  switch (m->type) {
    case MEM_INT: t = serial_type_for_int(m->u.i); break;
    case MEM_REAL: t = SERIAL_REAL; break;
    case MEM_TEXT: t = SERIAL_TEXT_BASE + 2 * (uint32_t)m->n; break;
    case MEM_BLOB: t = SERIAL_BLOB_BASE + 2 * (uint32_t)m->n; break;
    default: t = SERIAL_NULL; break;
  }
  *len = record_serial_len(t);
  return t;
}

static void put_be(uint8_t *p, uint64_t v, int nbytes) {
  int k;
  for (k = nbytes - 1; k >= 0; k--) {
    p[k] = (uint8_t)v;
    v >>= 8;
  }
}

static void record_put_body(uint8_t *p, const Mem *m, uint32_t len) {
  uint64_t bits;
  switch (m->type) {
    case MEM_INT:
      if (len) put_be(p, (uint64_t)m->u.i, (int)len);
      break;
    case MEM_REAL:
      memcpy(&bits, &m->u.r, sizeof(bits));
      put_be(p, bits, 8);
      break;
    case MEM_TEXT:
    case MEM_BLOB:
      if (len) memcpy(p, m->z, len);
      break;
    default: break;
  }
}

uint32_t record_put_value(uint8_t *p, const Mem *m) {
  uint32_t len;
  record_serial_type(m, &len);
  record_put_body(p, m, len);
  return len;
}

/* Sizes a record: header bytes (including its own size varint) and total. */
static int record_measure(const Mem *vals, int n, uint32_t *hdr, uint32_t *total) {
  uint64_t types = 0, body = 0, hs;
  int i;
  for (i = 0; i < n; i++) {
    uint32_t len;
    uint32_t t = record_serial_type(&vals[i], &len);
    types += (uint64_t)util_varint_len(t);
    body += len;
  }
  /* The size varint counts itself: grow it until it is consistent. */
  hs = types + 1;
  while ((uint64_t)util_varint_len(hs) + types != hs) hs = types + (uint64_t)util_varint_len(hs);
  if (hs + body > RECORD_MAX_SIZE) return LODE_TOOBIG;
  *hdr = (uint32_t)hs;
  *total = (uint32_t)(hs + body);
  return LODE_OK;
}

int record_encode(const Mem *vals, int n, uint8_t **out, uint32_t *out_len) {
  uint32_t hdr, total, hpos, bpos;
  uint8_t *buf;
  int i, rc;
  *out = NULL;
  *out_len = 0;
  rc = record_measure(vals, n, &hdr, &total);
  if (rc) return rc;
  buf = util_malloc(total);
  if (!buf) return LODE_NOMEM;
  hpos = (uint32_t)util_varint_put(buf, hdr);
  bpos = hdr;
  for (i = 0; i < n; i++) {
    uint32_t len;
    uint32_t t = record_serial_type(&vals[i], &len);
    hpos += (uint32_t)util_varint_put(buf + hpos, t);
    record_put_body(buf + bpos, &vals[i], len);
    bpos += len;
  }
  *out = buf;
  *out_len = total;
  return LODE_OK;
}

uint32_t record_decode_value(const uint8_t *buf, uint64_t serial_type, Mem *m) {
  uint32_t len = record_serial_len(serial_type);
  uint64_t bits;
  double r;
  if (serial_type >= SERIAL_BLOB_BASE) {
    int type = (serial_type & 1) ? MEM_TEXT : MEM_BLOB;
    mem_release(m);
    m->type = (uint8_t)type;
    m->owner = MEM_EPHEM;
    m->z = (char *)buf;
    m->n = (int)len;
    return len;
  }
  switch (serial_type) {
    case SERIAL_ZERO: mem_set_int(m, 0); break;
    case SERIAL_ONE: mem_set_int(m, 1); break;
    case SERIAL_REAL:
      bits = util_get8(buf);
      memcpy(&r, &bits, sizeof(r));
      mem_set_real(m, r); /* a stored NaN reads back as NULL */
      break;
    case SERIAL_INT8: case SERIAL_INT16: case SERIAL_INT24:
    case SERIAL_INT32: case SERIAL_INT48: case SERIAL_INT64: {
      mem_set_int(m, record_int_body(serial_type, buf));
      break;
    }
    default: mem_set_null(m); break; /* 0 (and 10/11, rejected by the parser) */
  }
  return len;
}

/* ---- header parsing -------------------------------------------------------- */

/* 10 and 11 are reserved: a length no record can hold makes the bounds
** check after the parse reject them. */
#define RESERVED_LEN ((uint64_t)1 << 40)
const uint64_t record_small_len[128] = {
    0, 1, 2, 3, 4, 6, 8, 8, 0, 0, RESERVED_LEN, RESERVED_LEN, 0, 0, 1, 1,
    2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9,
    10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15, 16, 16, 17, 17,
    18, 18, 19, 19, 20, 20, 21, 21, 22, 22, 23, 23, 24, 24, 25, 25,
    26, 26, 27, 27, 28, 28, 29, 29, 30, 30, 31, 31, 32, 32, 33, 33,
    34, 34, 35, 35, 36, 36, 37, 37, 38, 38, 39, 39, 40, 40, 41, 41,
    42, 42, 43, 43, 44, 44, 45, 45, 46, 46, 47, 47, 48, 48, 49, 49,
    50, 50, 51, 51, 52, 52, 53, 53, 54, 54, 55, 55, 56, 56, 57, 57,
};


void record_header_init(RecordHeader *h) { memset(h, 0, sizeof(*h)); }

void record_header_free(RecordHeader *h) {
  util_free(h->types);
  util_free(h->offsets);
  record_header_init(h);
}

/* Makes room for need columns (need > h->cap). */
int record_header_reserve(RecordHeader *h, uint64_t need) {
  uint64_t cap = h->cap ? (uint64_t)h->cap * 2 : RECORD_HEADER_MIN_CAP;
  uint64_t *types;
  uint32_t *offsets;
  if (cap < need) cap = need;
  if (cap > INT_MAX / sizeof(*types)) return LODE_NOMEM;
  types = util_realloc(h->types, (size_t)cap * sizeof(*types));
  if (!types) return LODE_NOMEM;
  h->types = types;
  offsets = util_realloc(h->offsets, (size_t)cap * sizeof(*offsets));
  if (!offsets) return LODE_NOMEM;
  h->offsets = offsets;
  h->cap = (int)cap;
  return LODE_OK;
}

/* The caller supplies at least the whole header (avail >= header size);
** a header that does not fit in avail is reported as LODE_CORRUPT.
**
** Runs once per row read, so the loop is kept short: one-byte serial types
** (every type but text or blob longer than 57 bytes) are read in place, and
** the bounds are checked once after the loop: the bodies must add up to
** exactly total, which bounds every offset and length before them. */
int record_header_parse(RecordHeader *h, const uint8_t *p, uint32_t avail, uint32_t total) {
  /* Body bytes of the serial types below 12; the reserved 10 and 11 carry a
  ** mark so that one test rejects both. */
  static const uint8_t fixed[12] = {0, 1, 2, 3, 4, 6, 8, 8, 0, 0, SERIAL_LEN_RESERVED, SERIAL_LEN_RESERVED};
  uint64_t hs, body;
  int k, n = 0, rc;
  h->ncol = 0;
  h->header_size = 0;
  h->next = 0;
  if (avail > total) avail = total;
  k = util_varint_get_bounded(p, p + avail, &hs);
  if (k == 0 || hs < (uint64_t)k || hs > avail) return LODE_CORRUPT;
  /* Every serial type takes at least one header byte: room for all of them
  ** is made once, outside the loop. */
  if (hs - (uint64_t)k > (uint64_t)h->cap && (rc = record_header_reserve(h, hs - (uint64_t)k)) != LODE_OK) return rc;
  const uint8_t *q = p + k, *end = p + hs;
  uint64_t *types = h->types;
  uint32_t *offsets = h->offsets;
  body = hs;
  while (q < end) {
    uint64_t type = *q;
    if (type < 0x80) {
      q++;
    } else {
      int used = util_varint_get_bounded(q, end, &type);
      if (used == 0) return LODE_CORRUPT;
      q += used;
    }
    types[n] = type;
    offsets[n] = (uint32_t)body;
    if (type < 12) {
      uint32_t len = fixed[type];
      if (len == SERIAL_LEN_RESERVED) return LODE_CORRUPT;
      body += len;
    } else {
      body += record_serial_len(type); /* no overflow: each term <= UINT32_MAX, at most avail terms */
    }
    n++;
  }
  /* The fields must fill the payload exactly, as SQLite requires: a header
  ** that claims less (or more) than the payload holds is corrupt, not short. */
  if (body != total || body > RECORD_MAX_SIZE) return LODE_CORRUPT;
  h->ncol = n;
  h->header_size = (uint32_t)hs;
  h->next = (uint32_t)hs;
  h->body = body;
  return LODE_OK;
}

