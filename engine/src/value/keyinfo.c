/*
** keyinfo.c — the order of keys: a KeyInfo says, per key column, its
** direction, collation and where NULLs go; keyinfo_compare orders decoded
** keys by it, record_compare orders an encoded record (a sorter record, an
** index entry) against decoded key values.  Shared by the sorter, index
** seeks and index maintenance, so that every ordering is the same one.
**
** Invariant: keyinfo_compare and record_compare agree — comparing a record
** with the decoded values of another record gives the same sign as
** comparing the two decoded keys.
*/
#include <string.h>

#include "value/value.h"

KeyInfo *keyinfo_new(int n) {
  KeyInfo *k = util_zalloc(sizeof *k);
  if (!k) return NULL;
  k->nkey = n;
  size_t bytes = n > 0 ? (size_t)n : 1;
  k->desc = util_zalloc(bytes);
  k->coll = util_zalloc(bytes);
  k->nulls_last = util_zalloc(bytes);
  if (!k->desc || !k->coll || !k->nulls_last) {
    keyinfo_free(k);
    return NULL;
  }
  return k;
}

void keyinfo_free(KeyInfo *k) {
  if (!k) return;
  util_free(k->desc);
  util_free(k->coll);
  util_free(k->nulls_last);
  util_free(k);
}

/* One key column: NULLs first unless nulls_last, then mem_compare, then
** the direction.  A column past the KeyInfo (a trailing rowid of an index
** entry) compares ascending with BINARY. */
static int keyinfo_compare_one(const KeyInfo *k, int j, const Mem *a, const Mem *b) {
  int in_key = j < k->nkey;
  int anull = a->type == MEM_NULL, bnull = b->type == MEM_NULL, c;
  if (a->type == MEM_INT && b->type == MEM_INT) { /* no collation applies: the common key of a sort */
    c = (a->u.i > b->u.i) - (a->u.i < b->u.i);
    return c && in_key && k->desc[j] ? -c : c;
  }
  if (a->type == b->type && (a->type == MEM_BLOB || (a->type == MEM_TEXT && (!in_key || k->coll[j] == COLL_BINARY)))) {
    /* Bytes then length, as mem_compare orders BINARY text and blobs, without
    ** its dispatch: sort keys are mostly short texts that differ early. */
    int n = a->n < b->n ? a->n : b->n;
    if (n > 0 && a->z[0] != b->z[0]) c = (uint8_t)a->z[0] < (uint8_t)b->z[0] ? -1 : 1;
    else if ((c = n > 0 ? memcmp(a->z, b->z, (size_t)n) : 0) == 0) c = (a->n > b->n) - (a->n < b->n);
    if (c && in_key && k->desc[j]) return c < 0 ? 1 : -1;
    return c;
  }
  if (anull || bnull) {
    if (anull && bnull) return 0;
    c = anull ? -1 : 1;
    return in_key && k->nulls_last[j] ? -c : c;
  }
  c = mem_compare(a, b, in_key ? k->coll[j] : COLL_BINARY);
  if (c && in_key && k->desc[j]) return c < 0 ? 1 : -1;
  return c;
}

int keyinfo_compare(const KeyInfo *k, const Mem *a, const Mem *b, int from, int n) {
  for (int j = from; j < n; j++) {
    int c = keyinfo_compare_one(k, j, &a[j], &b[j]);
    if (c) return c;
  }
  return 0;
}

int record_compare_fields(const KeyInfo *k, const uint8_t *rec, uint32_t size, const Mem *key, int nkey, int *cmp) {
  *cmp = 0;
  uint64_t hsize;
  const uint8_t *end = rec + size;
  uint32_t pos = (uint32_t)util_varint_get_bounded(rec, end, &hsize);
  if (pos == 0 || hsize < pos || hsize > size) return LODE_CORRUPT;
  uint32_t body = (uint32_t)hsize;
  for (int j = 0; j < nkey; j++) {
    if (pos >= hsize) return LODE_OK; /* the record is a prefix of the key: equal so far */
    uint64_t type;
    uint32_t used = (uint32_t)util_varint_get_bounded(rec + pos, rec + hsize, &type);
    if (used == 0) return LODE_CORRUPT;
    pos += used;
    uint32_t len = record_serial_len(type);
    if (len > size - body) return LODE_CORRUPT;
    int in_key = j < k->nkey, c;
    if (record_field_cmp_fast(type, rec + body, len, &key[j], in_key ? k->coll[j] : COLL_BINARY, &c)) {
      body += len;
      if (c && in_key && k->desc[j]) c = -c;
    } else {
      Mem m;
      mem_init(&m);
      body += record_decode_value(rec + body, type, &m);
      c = keyinfo_compare_one(k, j, &m, &key[j]);
    }
    if (c) {
      *cmp = c;
      return LODE_OK;
    }
  }
  return LODE_OK;
}
