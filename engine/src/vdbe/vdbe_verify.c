/*
** vdbe_verify.c — PRAGMA integrity_check's pass over one index
** (OP_KeyHash, OP_IdxVerify): whether the index holds exactly the entries
** its table's rows call for, in order, without a seek per row.
**
** The table side hands each row's key (the index's columns, then the rowid
** or the PRIMARY KEY) to OP_KeyHash, which adds a hash of its values to a
** sum and counts it.  OP_IdxVerify then reads the index once in key order,
** adds up the same hash of each entry's fields, counts the entries and
** checks that each entry sorts strictly after the one before it (with the
** index's collations and directions) and, in a UNIQUE index, differs from
** it on the key columns unless a key column that may be NULL is NULL.
**
** When both sums and both counts agree and the order holds, every row's
** key is in the index and a seek for it lands on it (a binary search in a
** b-tree whose entries are in order finds any entry that is there), the
** entry after it has another key, and the index has as many entries as
** rows call for: the per-row check would report nothing, and integrity.c
** skips it.  Any disagreement (a missing, extra or changed entry, one out
** of order, a duplicate, a record of another shape, a value stored in a
** form that hashes differently) sends the index to the per-row check,
** which then finds and words the problems as before.  A scan never fails
** on what it reads: a malformed entry only marks the index for the
** per-row check.
**
** The hash of a key is order-sensitive over its fields; the sum over keys
** is order-free, so rows and entries can come in different orders.  The
** sums are 64 bits wide: entries that differ from the rows' keys yet give
** the same count and sum (a chance of about 2^-64) would pass unreported.  Values
** hash as the index compares them where that is cheap: an integral REAL
** (which an index may store as an integer) hashes as that integer, and a
** stored NaN, read as NULL, hashes as NULL.
*/
#include <string.h>

#include "vdbe/vdbe_internal.h"

#define VERIFY_MUL 0x9E3779B97F4A7C15ull
#define VERIFY_SEED 0x243F6A8885A308D3ull

/* Hash tags of the value classes. */
enum { TAG_NULL, TAG_INT, TAG_REAL, TAG_TEXT, TAG_BLOB };

static inline uint64_t mix(uint64_t h, uint64_t x) {
  h = (h ^ x) * VERIFY_MUL;
  return h ^ (h >> 29);
}

/* The murmur3 finalizer: each key's hash spread over all 64 bits before it
** joins the sum. */
static inline uint64_t finish(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 33);
}

static uint64_t hash_bytes(uint64_t h, int tag, const char *z, int n) {
  h = mix(h, (uint64_t)tag | (uint64_t)(uint32_t)n << 8);
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, z, 8);
    h = mix(h, w);
    z += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t w = 0;
    memcpy(&w, z, (size_t)n);
    h = mix(h, w);
  }
  return h;
}

static uint64_t hash_real(uint64_t h, double r) {
  uint64_t bits;
  if (r != r) return mix(h, TAG_NULL);
  if (r >= -9223372036854775808.0 && r < 9223372036854775808.0 && (double)(int64_t)r == r)
    return mix(mix(h, TAG_INT), (uint64_t)(int64_t)r);
  memcpy(&bits, &r, sizeof bits);
  return mix(mix(h, TAG_REAL), bits);
}

static uint64_t hash_value(uint64_t h, const Mem *m) {
  switch (m->type) {
  case MEM_INT: return mix(mix(h, TAG_INT), (uint64_t)m->u.i);
  case MEM_REAL: return hash_real(h, m->u.r);
  case MEM_TEXT: return hash_bytes(h, TAG_TEXT, m->z, m->n);
  case MEM_BLOB: return hash_bytes(h, TAG_BLOB, m->z, m->n);
  default: return mix(h, TAG_NULL);
  }
}

/* hash_value's hash of the value a field of serial type t (not 10 or 11)
** with len bytes of body at b decodes to, without decoding it. */
static inline uint64_t hash_field(uint64_t h, uint64_t t, const uint8_t *b, uint32_t len) {
  if (t >= 12) return hash_bytes(h, (t & 1) ? TAG_TEXT : TAG_BLOB, (const char *)b, (int)len);
  if (t == 0) return mix(h, TAG_NULL);
  if (t == 7) {
    uint64_t bits = util_get8(b);
    double r;
    memcpy(&r, &bits, sizeof r);
    return hash_real(h, r);
  }
  return mix(mix(h, TAG_INT), (uint64_t)(t >= 8 ? (int64_t)t - 8 : record_int_body(t, b)));
}

int vdbe_key_hash(Vdbe *v, const VdbeOp *op) {
  uint64_t h = VERIFY_SEED;
  for (int j = 0; j < op->p2; j++) h = hash_value(h, &v->mem[op->p1 + j]);
  Mem *sum = &v->mem[op->p3], *count = sum + 1;
  if (sum->type != MEM_INT || count->type != MEM_INT) return LODE_INTERNAL;
  sum->u.i = (int64_t)((uint64_t)sum->u.i + finish(h));
  count->u.i++;
  return LODE_OK;
}

/* A growable byte buffer, freed by the caller. */
typedef struct Buf {
  uint8_t *z;
  uint32_t n, cap;
} Buf;

static int buf_set(Buf *b, const uint8_t *z, uint32_t n) {
  if (n > b->cap) {
    uint32_t cap = n < 64 ? 64 : n;
    uint8_t *p = util_realloc(b->z, cap);
    if (!p) return LODE_NOMEM;
    b->z = p;
    b->cap = cap;
  }
  if (n) memcpy(b->z, z, n);
  b->n = n;
  return LODE_OK;
}

/* The fields of an entry: serial types and body offsets. */
typedef struct Fields {
  uint64_t *types;
  uint32_t *offs;
} Fields;

/* f = the fields of the record of size bytes at p, which must have exactly
** ncol of them and nothing after them; *h = their hash.  0 for any other
** shape. */
static int entry_fields(const uint8_t *p, uint32_t size, int ncol, const Fields *f, uint64_t *h) {
  uint64_t hs, t;
  int k = util_varint_get_bounded(p, p + size, &hs);
  if (k == 0 || hs < (uint64_t)k || hs > size) return 0;
  uint32_t at = (uint32_t)k;
  uint64_t body = hs, hash = VERIFY_SEED;
  for (int j = 0; j < ncol; j++) {
    if (at >= hs) return 0;
    if (p[at] < 0x80) {
      t = p[at++];
    } else {
      int m = util_varint_get_bounded(p + at, p + hs, &t);
      if (m == 0) return 0;
      at += (uint32_t)m;
    }
    uint64_t len = record_serial_len(t); /* the reserved 10 and 11: 2^40, past any record */
    if (len > size - body) return 0;
    f->types[j] = t;
    f->offs[j] = (uint32_t)body;
    hash = hash_field(hash, t, p + body, (uint32_t)len);
    body += len;
  }
  *h = hash;
  return at == hs && body == size;
}

/* Entries an IdxVerify takes before the VM's loop sees an interrupt. */
#define VERIFY_BATCH 1024
/* Fields kept on the stack; an index with more takes an allocation. */
#define VERIFY_STACK_FIELDS 16

static int serial_is_int(uint64_t t) { return (t >= 1 && t <= 6) || t == 8 || t == 9; }

static int64_t serial_int(uint64_t t, const uint8_t *b) { return t >= 8 ? (int64_t)t - 8 : record_int_body(t, b); }

/* The order of a field (serial type ta, body at a) against another (tb, b)
** into *c, before the direction, when it is told by the bytes: two integers,
** two blobs, two texts under BINARY.  0 when it is not. */
static int field_cmp_fast(uint64_t ta, const uint8_t *a, uint64_t tb, const uint8_t *b, int coll, int *c) {
  if (serial_is_int(ta) && serial_is_int(tb)) {
    int64_t x = serial_int(ta, a), y = serial_int(tb, b);
    *c = x < y ? -1 : x > y;
    return 1;
  }
  if (ta >= 12 && tb >= 12 && (ta & 1) == (tb & 1) && (!(ta & 1) || coll == COLL_BINARY)) {
    uint32_t na = record_serial_len(ta), nb = record_serial_len(tb), n = na < nb ? na : nb;
    int r = n ? memcmp(a, b, n) : 0;
    *c = r ? (r < 0 ? -1 : 1) : (na < nb ? -1 : na > nb);
    return 1;
  }
  return 0;
}

/* Whether the entry p (fields f) after prev is in order: after prev on all
** ncol fields and, with nkey > 0 (UNIQUE), after it on the nkey key fields
** too unless one of those with a bit in the mask is NULL.  *ok = 0 when it
** is not; an error only for a malformed prev.  The entry's values are
** decoded into vals as far as the order needs them: most entries differ
** from the one before in their first field. */
static int in_order(const KeyInfo *k, const Buf *prev, uint64_t prev_t0, uint32_t prev_o0, const uint8_t *p,
                    const Fields *f, Mem *vals, int ncol, int nkey, uint64_t mask, int *ok) {
  int c = 0, rc, in_key = k->nkey > 0;
  *ok = 0;
  if (field_cmp_fast(prev_t0, prev->z + prev_o0, f->types[0], p + f->offs[0], in_key ? k->coll[0] : COLL_BINARY,
                     &c) &&
      c != 0) {
    *ok = (in_key && k->desc[0] ? -c : c) < 0;
    return LODE_OK;
  }
  record_decode_value(p + f->offs[0], f->types[0], &vals[0]);
  if ((rc = record_compare(k, prev->z, prev->n, vals, 1, &c)) != LODE_OK) return rc;
  if (c != 0) {
    *ok = c < 0;
    return LODE_OK;
  }
  for (int j = 1; j < ncol; j++) record_decode_value(p + f->offs[j], f->types[j], &vals[j]);
  if (nkey > 1) {
    if ((rc = record_compare(k, prev->z, prev->n, vals, nkey, &c)) != LODE_OK) return rc;
    if (c > 0) return LODE_OK;
  }
  if (nkey > 0 && c == 0) {
    int excused = 0;
    for (int j = 0; j < nkey && j < 64 && !excused; j++) excused = ((mask >> j) & 1) && vals[j].type == MEM_NULL;
    if (!excused) return LODE_OK;
  }
  if (c == 0 && (rc = record_compare(k, prev->z, prev->n, vals, ncol, &c)) != LODE_OK) return rc;
  *ok = c < 0;
  return LODE_OK;
}

int vdbe_idx_verify(Vdbe *v, const VdbeOp *op, BtCursor *bt, const KeyInfo *k, int *more) {
  Mem *sum = &v->mem[op->p3], *count = sum + 1, *prevm = sum + 2, *maskm = sum + 3;
  int ncol = op->p4.i, nkey = op->p5, rc = LODE_OK, eof = 0, bad = 0;
  Mem stack_vals[VERIFY_STACK_FIELDS], *vals = stack_vals;
  uint64_t stack_types[VERIFY_STACK_FIELDS];
  uint32_t stack_offs[VERIFY_STACK_FIELDS];
  Fields f = {stack_types, stack_offs};
  Buf prev = {NULL, 0, 0}, over = {NULL, 0, 0};
  *more = 0;
  if (ncol < 1 || nkey > ncol || sum->type != MEM_INT || count->type != MEM_INT || maskm->type != MEM_INT)
    return LODE_INTERNAL;
  if (count->u.i < 0) return LODE_OK; /* already found wanting */
  if (ncol > VERIFY_STACK_FIELDS) {
    /* One allocation: the Mems, then the types, then the offsets. */
    size_t bytes = (sizeof(Mem) + sizeof(uint64_t) + sizeof(uint32_t)) * (size_t)ncol;
    if (!(vals = util_malloc(bytes))) return LODE_NOMEM;
    f.types = (uint64_t *)(vals + ncol);
    f.offs = (uint32_t *)(f.types + ncol);
  }
  for (int j = 0; j < ncol; j++) mem_init(&vals[j]);
  uint64_t acc = (uint64_t)sum->u.i, mask = (uint64_t)maskm->u.i;
  int64_t n = count->u.i;
  uint64_t prev_t0 = 0, h;
  uint32_t prev_o0 = 0;
  if (prevm->type == MEM_BLOB) {
    if ((rc = buf_set(&prev, (const uint8_t *)prevm->z, (uint32_t)prevm->n)) != LODE_OK) goto done;
    if (!entry_fields(prev.z, prev.n, ncol, &f, &h)) n = -1; /* not the entry this op kept */
    prev_t0 = f.types[0];
    prev_o0 = f.offs[0];
  }
  for (int i = 0; i < VERIFY_BATCH; i++) {
    uint32_t avail, size;
    const uint8_t *p = btree_payload_view(bt, &avail, &size);
    if (!p || avail < size) {
      /* Partly on overflow pages: the whole record, copied. */
      size = btree_payload_size(bt);
      if (size > over.cap) {
        uint8_t *z = util_realloc(over.z, size);
        if (!z) {
          rc = LODE_NOMEM;
          goto done;
        }
        over.z = z;
        over.cap = size;
      }
      if ((rc = btree_payload(bt, 0, size, over.z)) != LODE_OK) goto done;
      p = over.z;
    }
    int ok = n >= 0 && entry_fields(p, size, ncol, &f, &h);
    if (ok && n > 0 && (rc = in_order(k, &prev, prev_t0, prev_o0, p, &f, vals, ncol, nkey, mask, &ok)) != LODE_OK) {
      if (rc != LODE_CORRUPT) goto done;
      rc = LODE_OK;
      ok = 0;
    }
    if (!ok) {
      bad = 1;
      break;
    }
    acc += finish(h);
    n++;
    if ((rc = buf_set(&prev, p, size)) != LODE_OK) goto done;
    prev_t0 = f.types[0];
    prev_o0 = f.offs[0];
    if ((rc = btree_next(bt, &eof)) != LODE_OK) goto done;
    if (eof) break;
  }
  if (bad) {
    n = -1; /* never the number of rows */
  } else if (!eof) {
    *more = 1;
    if ((rc = mem_set_blob(prevm, prev.z, (int)prev.n, MEM_DYN)) != LODE_OK) goto done; /* a copy */
  }
  mem_set_int(sum, (int64_t)acc);
  mem_set_int(count, n);
done:
  for (int j = 0; j < ncol; j++) mem_release(&vals[j]);
  if (vals != stack_vals) util_free(vals);
  util_free(prev.z);
  util_free(over.z);
  return rc;
}
