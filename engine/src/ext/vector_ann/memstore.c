/*
** memstore.c — the in-memory blob store of vector_ann.h: open addressing
** over (space, key) with linear probing and backward-shift deletion, each
** blob its own allocation (so a blob's address survives a resize), and an
** undo log of replaced blobs while a transaction is open.  seek uses a
** sorted copy of the node keys, made when first needed after a key came
** or went (walks through all keys do no writes).
*/
#include <stdlib.h>
#include <string.h>

#include "ext/vector_ann/vector_ann.h"
#include "lode.h"
#include "util/util.h"

typedef struct MemSlot {
  int64_t key;
  int space; /* -1: empty */
  int n;
  uint8_t *blob;
} MemSlot;

/* What a key held before a change in the open transaction. */
typedef struct MemUndo {
  int64_t key;
  int space;
  int existed;
  int n;
  uint8_t *blob; /* owned by the log */
} MemUndo;

struct VectorAnnMemStore {
  MemSlot *slots;
  size_t cap, used; /* cap: a power of two */
  int64_t blobs[2], bytes[2];
  int in_txn;
  MemUndo *undo;
  size_t nundo, undocap;
  int64_t *sorted; /* the keys of space 0, ascending, when sorted_ok */
  size_t nsorted;
  int sorted_ok;
};

static size_t slot_hash(int space, int64_t key) {
  uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ull ^ (uint64_t)space * 0xC2B2AE3D27D4EB4Full;
  h ^= h >> 29;
  return (size_t)h;
}

static MemSlot *find(const VectorAnnMemStore *s, int space, int64_t key) {
  size_t i = slot_hash(space, key) & (s->cap - 1);
  for (;;) {
    MemSlot *sl = &s->slots[i];
    if (sl->space < 0) return NULL;
    if (sl->space == space && sl->key == key) return sl;
    i = (i + 1) & (s->cap - 1);
  }
}

static MemSlot *alloc_slots(size_t cap) {
  MemSlot *sl = util_malloc(cap * sizeof *sl);
  if (!sl) return NULL;
  for (size_t i = 0; i < cap; i++) sl[i].space = -1;
  return sl;
}

VectorAnnMemStore *vector_ann_memstore_new(void) {
  VectorAnnMemStore *s = util_zalloc(sizeof *s);
  if (!s) return NULL;
  s->cap = 64;
  s->slots = alloc_slots(s->cap);
  if (!s->slots) {
    util_free(s);
    return NULL;
  }
  return s;
}

static void undo_clear(VectorAnnMemStore *s) {
  for (size_t i = 0; i < s->nundo; i++) util_free(s->undo[i].blob);
  s->nundo = 0;
}

void vector_ann_memstore_free(VectorAnnMemStore *s) {
  if (!s) return;
  for (size_t i = 0; i < s->cap; i++) {
    if (s->slots[i].space >= 0) util_free(s->slots[i].blob);
  }
  undo_clear(s);
  util_free(s->undo);
  util_free(s->sorted);
  util_free(s->slots);
  util_free(s);
}

static int grow(VectorAnnMemStore *s) {
  size_t cap = s->cap * 2;
  MemSlot *old = s->slots, *sl = alloc_slots(cap);
  if (!sl) return LODE_NOMEM;
  s->slots = sl;
  s->cap = cap;
  for (size_t i = 0; i < cap / 2; i++) {
    if (old[i].space < 0) continue;
    size_t j = slot_hash(old[i].space, old[i].key) & (cap - 1);
    while (sl[j].space >= 0) j = (j + 1) & (cap - 1);
    sl[j] = old[i];
  }
  util_free(old);
  return LODE_OK;
}

/* Empties slot i, shifting later entries of its probe run back. */
static void remove_slot(VectorAnnMemStore *s, size_t i) {
  size_t mask = s->cap - 1, j = i;
  s->slots[i].space = -1;
  for (;;) {
    j = (j + 1) & mask;
    if (s->slots[j].space < 0) break;
    size_t home = slot_hash(s->slots[j].space, s->slots[j].key) & mask;
    /* entry j may move to i when its home is not in (i, j] cyclically */
    if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
      s->slots[i] = s->slots[j];
      s->slots[j].space = -1;
      i = j;
    }
  }
  s->used--;
}

/* Reserves a log entry so that recording a change cannot fail after it. */
static int undo_reserve(VectorAnnMemStore *s) {
  if (!s->in_txn || s->nundo < s->undocap) return LODE_OK;
  size_t cap = s->undocap ? s->undocap * 2 : 64;
  MemUndo *u = util_realloc(s->undo, cap * sizeof *u);
  if (!u) return LODE_NOMEM;
  s->undo = u;
  s->undocap = cap;
  return LODE_OK;
}

/* Records the old state of (space, key) and takes ownership of its blob;
** returns 1 when the blob went to the log (the caller must not free it). */
static int undo_record(VectorAnnMemStore *s, int space, int64_t key, MemSlot *old) {
  if (!s->in_txn) return 0;
  MemUndo *u = &s->undo[s->nundo++];
  u->space = space;
  u->key = key;
  u->existed = old != NULL;
  u->n = old ? old->n : 0;
  u->blob = old ? old->blob : NULL;
  return 1;
}

static int ms_get(void *ctx, int space, int64_t key, const uint8_t **blob, int *n) {
  MemSlot *sl = find(ctx, space, key);
  *blob = sl ? sl->blob : NULL;
  *n = sl ? sl->n : 0;
  return LODE_OK;
}

/* Puts a blob the store already owns. */
static int put_owned(VectorAnnMemStore *s, int space, int64_t key, uint8_t *copy, int n) {
  MemSlot *sl;
  if (s->used + 1 > s->cap / 2 && grow(s)) return LODE_NOMEM;
  if (undo_reserve(s)) return LODE_NOMEM;
  sl = find(s, space, key);
  if (sl) {
    if (!undo_record(s, space, key, sl)) util_free(sl->blob);
    s->bytes[space] -= sl->n;
  } else {
    undo_record(s, space, key, NULL);
    size_t i = slot_hash(space, key) & (s->cap - 1);
    while (s->slots[i].space >= 0) i = (i + 1) & (s->cap - 1);
    sl = &s->slots[i];
    sl->space = space;
    sl->key = key;
    s->used++;
    s->sorted_ok = 0;
    s->blobs[space]++;
  }
  sl->blob = copy;
  sl->n = n;
  s->bytes[space] += n;
  return LODE_OK;
}

static int ms_put(void *ctx, int space, int64_t key, const uint8_t *blob, int n) {
  VectorAnnMemStore *s = ctx;
  uint8_t *copy;
  if (space < 0 || space > 1 || n < 0) return LODE_MISUSE;
  copy = util_malloc((size_t)n);
  if (!copy) return LODE_NOMEM;
  memcpy(copy, blob, (size_t)n);
  if (put_owned(s, space, key, copy, n)) {
    util_free(copy);
    return LODE_NOMEM;
  }
  return LODE_OK;
}

static void del_slot(VectorAnnMemStore *s, MemSlot *sl) {
  int space = sl->space;
  if (!undo_record(s, space, sl->key, sl)) util_free(sl->blob);
  s->blobs[space]--;
  s->bytes[space] -= sl->n;
  s->sorted_ok = 0;
  remove_slot(s, (size_t)(sl - s->slots));
}

static int ms_del(void *ctx, int space, int64_t key) {
  VectorAnnMemStore *s = ctx;
  MemSlot *sl = find(s, space, key);
  if (!sl) return LODE_OK;
  if (undo_reserve(s)) return LODE_NOMEM;
  del_slot(s, sl);
  return LODE_OK;
}

static int cmp_key(const void *x, const void *y) {
  int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
  return a < b ? -1 : a > b;
}

static int ms_seek(void *ctx, int space, int64_t key, int *found, int64_t *out) {
  VectorAnnMemStore *s = ctx;
  size_t lo = 0, hi;
  *found = 0;
  if (space == VECTOR_ANN_META) {
    if (find(s, space, 0) && key <= 0) *found = 1, *out = 0;
    return LODE_OK;
  }
  if (space != VECTOR_ANN_NODES) return LODE_OK;
  if (!s->sorted_ok) {
    int64_t *k = util_realloc(s->sorted, (size_t)(s->blobs[0] ? s->blobs[0] : 1) * sizeof *k);
    if (!k) return LODE_NOMEM;
    s->sorted = k;
    s->nsorted = 0;
    for (size_t i = 0; i < s->cap; i++) {
      if (s->slots[i].space == VECTOR_ANN_NODES) k[s->nsorted++] = s->slots[i].key;
    }
    qsort(k, s->nsorted, sizeof *k, cmp_key);
    s->sorted_ok = 1;
  }
  hi = s->nsorted;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s->sorted[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  if (lo < s->nsorted) *found = 1, *out = s->sorted[lo];
  return LODE_OK;
}

VectorAnnStore vector_ann_memstore(VectorAnnMemStore *s) {
  VectorAnnStore st = {s, ms_get, ms_put, ms_del, ms_seek};
  return st;
}

void vector_ann_memstore_begin(VectorAnnMemStore *s) {
  undo_clear(s);
  s->in_txn = 1;
}

void vector_ann_memstore_commit(VectorAnnMemStore *s) {
  undo_clear(s);
  s->in_txn = 0;
}

/* Replays the log backwards.  Restoring needs no allocation beyond a table
** resize, which cannot be needed: the table held all of these keys at once
** before (an entry whose key is absent now was deleted, and a deletion
** never shrinks the table). */
void vector_ann_memstore_rollback(VectorAnnMemStore *s) {
  s->in_txn = 0;
  while (s->nundo > 0) {
    MemUndo *u = &s->undo[--s->nundo];
    MemSlot *sl = find(s, u->space, u->key);
    if (sl) del_slot(s, sl);
    if (u->existed) {
      if (put_owned(s, u->space, u->key, u->blob, u->n)) util_free(u->blob);
    }
  }
}

void vector_ann_memstore_usage(const VectorAnnMemStore *s, int space, int64_t *blobs, int64_t *bytes) {
  int sp = space == VECTOR_ANN_META ? 1 : 0;
  *blobs = s->blobs[sp];
  *bytes = s->bytes[sp];
}

uint64_t vector_ann_memstore_digest(const VectorAnnMemStore *s) {
  uint64_t sum = 0;
  for (size_t i = 0; i < s->cap; i++) {
    const MemSlot *sl = &s->slots[i];
    if (sl->space < 0) continue;
    uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)sl->space;
    h = (h ^ (uint64_t)sl->key) * 0x100000001b3ull;
    for (int j = 0; j < sl->n; j++) h = (h ^ sl->blob[j]) * 0x100000001b3ull;
    h ^= h >> 31;
    sum += h * 0x9E3779B97F4A7C15ull;
  }
  return sum;
}
