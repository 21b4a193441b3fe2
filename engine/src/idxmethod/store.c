/*
** store.c — backing stores: (major, minor) → blob entries in an index
** b-tree, in the record layout idxmethod.h draws.  The lode_index_store_*
** calls are the public face methods use (lode.h).
*/
#include <string.h>

#include "idxmethod/idxmethod_int.h"
#include "util/util.h"

/* Bytes of a store record before its value: header and the two keys. */
#define STORE_KEY_BYTES 16
#define STORE_MAX_HDR 12

struct StoreKey {
  int64_t major, minor;
};

static void put_be64(uint8_t *p, int64_t v) {
  uint64_t u = (uint64_t)v;
  for (int i = 7; i >= 0; i--, u >>= 8) p[i] = (uint8_t)u;
}

/* Store keys are read on every comparison of a b-tree search: one load. */
static int64_t get_be64(const uint8_t *p) {
  uint64_t u;
  memcpy(&u, p, 8);
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  u = __builtin_bswap64(u);
#elif !(defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
  u = 0;
  for (int i = 0; i < 8; i++) u = (u << 8) | p[i];
#endif
  return (int64_t)u;
}

/* The keys of a record; -1 when it is not one of ours (a corrupt store). */
static int record_keys(const uint8_t *rec, uint32_t n, int64_t *major, int64_t *minor, uint32_t *value_at) {
  uint64_t hdr;
  if (n < 1) return -1;
  int k = util_varint_get_bounded(rec, rec + n, &hdr);
  if (k <= 0 || hdr < 4 || hdr > STORE_MAX_HDR || n < hdr + STORE_KEY_BYTES) return -1;
  if (rec[k] != 6 || rec[k + 1] != 6) return -1;
  *major = get_be64(rec + hdr);
  *minor = get_be64(rec + hdr + 8);
  if (value_at) *value_at = (uint32_t)hdr + STORE_KEY_BYTES;
  return 0;
}

static int cmp_keys(int64_t a1, int64_t a2, int64_t b1, int64_t b2) {
  if (a1 != b1) return a1 < b1 ? -1 : 1;
  return a2 < b2 ? -1 : a2 > b2;
}

/* A corrupt record sorts first: a search then never loops on it. */
static int compare_with_key(void *ctx, const void *key, uint32_t n) {
  const struct StoreKey *k = ctx;
  int64_t major, minor;
  if (record_keys(key, n, &major, &minor, NULL) != 0) return -1;
  return cmp_keys(major, minor, k->major, k->minor);
}

static int compare_records(void *ctx, const void *a, uint32_t na, const void *b, uint32_t nb) {
  int64_t a1 = 0, a2 = 0, b1 = 0, b2 = 0;
  (void)ctx;
  int ba = record_keys(a, na, &a1, &a2, NULL), bb = record_keys(b, nb, &b1, &b2, NULL);
  if (ba || bb) return ba - bb;
  return cmp_keys(a1, a2, b1, b2);
}

int idxm_store_open(Btree *bt, uint32_t root, int writable, lode_index_store **out) {
  lode_index_store *s = util_zalloc(sizeof *s);
  *out = NULL;
  if (!s) return LODE_NOMEM;
  int rc = btree_cursor_open(bt, root, writable, &s->cur);
  if (rc == LODE_OK && btree_cursor_is_table(s->cur)) rc = LODE_CORRUPT;
  if (rc != LODE_OK) {
    idxm_store_close(s);
    return rc;
  }
  btree_cursor_set_compare(s->cur, compare_records, NULL);
  s->writable = writable;
  *out = s;
  return LODE_OK;
}

void idxm_store_close(lode_index_store *s) {
  if (!s) return;
  if (s->cur) btree_cursor_close(s->cur);
  util_free(s->buf);
  util_free(s);
}

/* The current entry into s->buf (whole record). */
static int load_entry(lode_index_store *s) {
  uint32_t n = btree_payload_size(s->cur);
  if (n + 1 > s->cap) {
    uint8_t *grown = util_realloc(s->buf, n + 1);
    if (!grown) return LODE_NOMEM;
    s->buf = grown;
    s->cap = n + 1;
  }
  int rc = btree_payload(s->cur, 0, n, s->buf);
  if (rc != LODE_OK) return rc;
  s->len = n;
  if (record_keys(s->buf, n, &s->major, &s->minor, &s->value_at) != 0) return LODE_CORRUPT;
  s->loaded = 1;
  return LODE_OK;
}

/* Positions on the first entry >= (major, minor); *found = exact match. */
static int seek(lode_index_store *s, int64_t major, int64_t minor, int *eof, int *found) {
  struct StoreKey k = {major, minor};
  int cmp = 0, rc;
  s->loaded = 0;
  *found = 0;
  rc = btree_seek_key(s->cur, compare_with_key, &k, &cmp);
  if (rc != LODE_OK) return rc;
  *eof = btree_eof(s->cur);
  if (!*eof && cmp < 0) rc = btree_next(s->cur, eof);
  if (rc != LODE_OK || *eof) return rc;
  if ((rc = load_entry(s)) != LODE_OK) return rc;
  *found = s->major == major && s->minor == minor;
  return LODE_OK;
}

int lode_index_store_seek(lode_index_store *s, lode_int64 major, lode_int64 minor, int *eof) {
  int found;
  return seek(s, major, minor, eof, &found);
}

int lode_index_store_next(lode_index_store *s, int *eof) {
  s->loaded = 0;
  int rc = btree_next(s->cur, eof);
  if (rc == LODE_OK && !*eof) rc = load_entry(s);
  return rc;
}

void lode_index_store_key(lode_index_store *s, lode_int64 *major, lode_int64 *minor) {
  *major = s->loaded ? s->major : 0;
  *minor = s->loaded ? s->minor : 0;
}

int lode_index_store_value(lode_index_store *s, const void **data, int *n) {
  if (!s->loaded) return LODE_MISUSE;
  *data = s->buf + s->value_at;
  *n = (int)(s->len - s->value_at);
  return LODE_OK;
}

int lode_index_store_get(lode_index_store *s, lode_int64 major, lode_int64 minor, const void **data, int *n) {
  int eof = 1, found = 0;
  int rc = seek(s, major, minor, &eof, &found);
  if (rc != LODE_OK) return rc;
  if (eof || !found) return LODE_NOTFOUND;
  return lode_index_store_value(s, data, n);
}

int lode_index_store_delete(lode_index_store *s, lode_int64 major, lode_int64 minor) {
  int eof = 1, found = 0;
  if (!s->writable) return LODE_READONLY;
  int rc = seek(s, major, minor, &eof, &found);
  if (rc != LODE_OK) return rc;
  if (eof || !found) return LODE_NOTFOUND;
  s->loaded = 0;
  return btree_delete(s->cur);
}

/* The record of (major, minor) → data[0..n), util_malloc'd, its size in *size. */
static uint8_t *make_record(int64_t major, int64_t minor, const void *data, int n, uint32_t *size) {
  uint8_t hdr[STORE_MAX_HDR];
  int vlen = util_varint_put(hdr + 3, 12 + 2 * (uint64_t)n);
  hdr[0] = (uint8_t)(3 + vlen);
  hdr[1] = 6;
  hdr[2] = 6;
  *size = (uint32_t)(hdr[0] + STORE_KEY_BYTES + n);
  uint8_t *rec = util_malloc(*size);
  if (!rec) return NULL;
  memcpy(rec, hdr, hdr[0]);
  put_be64(rec + hdr[0], major);
  put_be64(rec + hdr[0] + 8, minor);
  if (n) memcpy(rec + hdr[0] + STORE_KEY_BYTES, data, (size_t)n);
  return rec;
}

int lode_index_store_put(lode_index_store *s, lode_int64 major, lode_int64 minor, const void *data, int n) {
  if (!s->writable) return LODE_READONLY;
  if (n < 0 || (data == NULL && n > 0) || n > 0x3fffffff) return LODE_MISUSE;
  int rc = lode_index_store_delete(s, major, minor);
  if (rc != LODE_OK && rc != LODE_NOTFOUND) return rc;
  uint32_t size;
  uint8_t *rec = make_record(major, minor, data, n, &size);
  if (!rec) return LODE_NOMEM;
  struct StoreKey k = {major, minor};
  s->loaded = 0;
  rc = btree_insert_key(s->cur, rec, size, compare_with_key, &k);
  util_free(rec);
  return rc;
}

int idxm_store_overwrite(lode_index_store *s, int64_t major, int64_t minor, const void *data, int n) {
  if (!s->writable) return LODE_READONLY;
  if (n < 0 || (data == NULL && n > 0) || n > 0x3fffffff) return LODE_MISUSE;
  /* Only while the cursor is still on that very entry (loaded by the last seek or step, nothing moved it). */
  if (!s->loaded || s->major != major || s->minor != minor) return lode_index_store_put(s, major, minor, data, n);
  uint32_t size;
  uint8_t *rec = make_record(major, minor, data, n, &size);
  if (!rec) return LODE_NOMEM;
  s->loaded = 0;
  int rc = btree_overwrite_key(s->cur, rec, size);
  util_free(rec);
  if (rc == LODE_DONE) rc = lode_index_store_put(s, major, minor, data, n);
  return rc;
}

int idxm_store_append(lode_index_store *s, int64_t major, int64_t minor, const void *data, int n) {
  if (!s->writable) return LODE_READONLY;
  if (n < 0 || (data == NULL && n > 0) || n > 0x3fffffff) return LODE_MISUSE;
  uint32_t size;
  uint8_t *rec = make_record(major, minor, data, n, &size);
  if (!rec) return LODE_NOMEM;
  struct StoreKey k = {major, minor};
  s->loaded = 0;
  /* Not after the last entry: btree_append_key inserts it as btree_insert_key does, replacing an equal key. */
  int rc = btree_append_key(s->cur, rec, size, compare_with_key, &k);
  util_free(rec);
  return rc;
}
