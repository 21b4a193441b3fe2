/*
** vdbe_sorter.c — the sorter behind SorterOpen/Insert/Sort/Data/Next: it
** collects records (SQLite record format, value.h) in memory and returns
** them ordered by their first keyinfo->nkey columns.
**
** Records are copied into large chunks (no allocation per record in the
** common case).  Sorting decodes each record's key columns once into Mems
** that point into the chunk, then runs a merge sort over record indexes:
** merge sort is stable, so records with equal keys come out in insertion
** order, as SQLite's sorter does.  The sort moves 16-byte elements that
** carry the first key when it is a number, or its first 8 bytes when it is
** a blob or BINARY text, so that most comparisons of an ORDER BY on such a
** column, or of an index build, touch no other memory.
**
** Order per key column: mem_compare with the column's collation; DESC
** reverses it; NULLs go first or last as KeyInfo.nulls_last says, whatever
** the direction (codegen fills in SQLite's default: first in ASC, last in
** DESC).
**
** Bounded sorting (ORDER BY … LIMIT): once sorter_limit set a budget, the
** sorter sorts whenever it holds 2*budget records and keeps only the first
** budget of them, in sorted order, ahead of the records inserted later.  A
** dropped record has budget records that sort before it (ties included: the
** kept ones were inserted earlier), so it can never be among the first
** budget of the final order, and stability is preserved because the kept
** records stay ahead of every later insertion.  After a prune the last
** kept record is the cut: a new record that does not sort strictly before
** it is rejected with one key comparison and never stored (the common case
** once the scan is under way).  Chunk memory of dropped records is
** reclaimed by copying the kept records into fresh chunks once more chunks
** are in use than compact_at (SORTER_MAX_CHUNKS at first).
**
** Invariant: after sorter_sort, order[pos] for pos < n is a permutation of
** 0..n-1 and recs[] never moves again, so pointers handed out by
** sorter_current stay valid until sorter_free.
*/
#include <assert.h>
#include <string.h>

#include "vdbe/vdbe_internal.h"

#define SORTER_CHUNK_SIZE (256 * 1024)
/* A sorter's first chunk is small: many hold a few rows (a subquery's, a
** recursive CTE's current row, re-opened for every row) and should cost no
** more than a small allocation. */
#define SORTER_FIRST_CHUNK_SIZE 4096
#define SORTER_MAX_CHUNKS 2 /* bounded sorter: compact beyond this many chunks */

typedef struct SorterChunk {
  struct SorterChunk *next;
  uint32_t used, cap;
  uint8_t data[];
} SorterChunk;

typedef struct SorterRec {
  const uint8_t *p;
  uint32_t n;
} SorterRec;

struct VdbeSorter {
  KeyInfo key;
  uint8_t *flags; /* key arrays: desc, coll, nulls_last, nkey each */
  SorterChunk *chunks;
  SorterRec *recs;
  uint32_t n, cap;
  Mem *keys;       /* n * nkey decoded key columns, after sorting starts */
  uint32_t *order; /* sorted record indexes */
  uint32_t pos;
  int sorted;
  uint32_t budget;  /* 0: unbounded; else only the first budget records matter */
  uint32_t nchunks; /* chunks in the list */
  uint32_t compact_at; /* bounded sorter: compact once nchunks exceeds this */
  /* Bounded sorter after its first prune: the last kept record (a private
  ** copy) and its decoded keys.  A new record that does not sort before it
  ** can never be among the first budget rows, so it is not even stored. */
  uint8_t *cut;
  uint32_t cut_cap;
  Mem *cut_keys; /* nkey Mems into cut, then nkey scratch Mems for new records */
  RecordHeader hdr;
  int has_cut;
};

VdbeSorter *sorter_new(const KeyInfo *ki) {
  VdbeSorter *s = util_zalloc(sizeof *s);
  int n = ki && ki->nkey > 0 ? ki->nkey : 0;
  if (!s) return NULL;
  s->flags = util_zalloc((size_t)(3 * n + 1));
  if (!s->flags) {
    util_free(s);
    return NULL;
  }
  record_header_init(&s->hdr);
  s->key.nkey = n;
  s->key.desc = s->flags;
  s->key.coll = s->flags + n;
  s->key.nulls_last = s->flags + 2 * n;
  if (n && ki->desc) memcpy(s->key.desc, ki->desc, (size_t)n);
  if (n && ki->coll) memcpy(s->key.coll, ki->coll, (size_t)n);
  if (n && ki->nulls_last) memcpy(s->key.nulls_last, ki->nulls_last, (size_t)n);
  return s;
}

void sorter_free(VdbeSorter *s) {
  SorterChunk *c, *next;
  if (!s) return;
  for (c = s->chunks; c; c = next) {
    next = c->next;
    util_free(c);
  }
  util_free(s->recs);
  util_free(s->keys); /* the Mems only borrow from the chunks */
  util_free(s->order);
  util_free(s->flags);
  util_free(s->cut);
  util_free(s->cut_keys);
  record_header_free(&s->hdr);
  util_free(s);
}

static uint8_t *sorter_space(VdbeSorter *s, uint32_t n) {
  SorterChunk *c = s->chunks;
  if (!c || c->cap - c->used < n) {
    uint32_t size = s->nchunks ? SORTER_CHUNK_SIZE : SORTER_FIRST_CHUNK_SIZE;
    uint32_t cap = n > size ? n : size;
    c = util_malloc(sizeof(SorterChunk) + cap);
    if (!c) return NULL;
    c->cap = cap;
    c->used = 0;
    c->next = s->chunks;
    s->chunks = c;
    s->nchunks++;
  }
  c->used += n;
  return c->data + c->used - n;
}

static int sorter_prune(VdbeSorter *s);
static int decode_rec_keys(RecordHeader *h, int nkey, const uint8_t *p, uint32_t n, Mem *k);
static int compare_keys(const VdbeSorter *s, const Mem *ka, const Mem *kb, int from);

int sorter_insert(VdbeSorter *s, const uint8_t *rec, uint32_t n) {
  uint8_t *p;
  if (s->sorted) return LODE_MISUSE;
  if (s->has_cut) {
    Mem *k = s->cut_keys + s->key.nkey;
    /* Undecodable records are kept: the final sort reports them. */
    if (decode_rec_keys(&s->hdr, s->key.nkey, rec, n, k) == LODE_OK && compare_keys(s, k, s->cut_keys, 0) >= 0)
      return LODE_OK;
  }
  if (s->n == s->cap) {
    uint32_t cap = s->cap ? s->cap * 2 : 64;
    SorterRec *r = util_realloc(s->recs, (size_t)cap * sizeof *r);
    if (!r) return LODE_NOMEM;
    s->recs = r;
    s->cap = cap;
  }
  p = sorter_space(s, n ? n : 1);
  if (!p) return LODE_NOMEM;
  if (n) memcpy(p, rec, n);
  s->recs[s->n].p = p;
  s->recs[s->n].n = n;
  s->n++;
  if (s->budget && s->key.nkey > 0 && s->n >= 2 * (uint64_t)s->budget) return sorter_prune(s);
  return LODE_OK;
}

/* Decodes the first nkey columns of record p (n bytes) into k (missing
** columns read NULL; the Mems borrow from p). */
static int decode_rec_keys(RecordHeader *h, int nkey, const uint8_t *p, uint32_t n, Mem *k) {
  int rc;
  for (int j = 0; j < nkey; j++) mem_init(&k[j]);
  rc = record_header_parse(h, p, n, n);
  for (int j = 0; rc == LODE_OK && j < nkey && j < h->ncol; j++) {
    uint32_t len = record_serial_len(h->types[j]);
    if (h->offsets[j] > n || len > n - h->offsets[j]) rc = LODE_CORRUPT;
    else record_decode_value(p + h->offsets[j], h->types[j], &k[j]);
  }
  return rc;
}

/* Decodes the key columns of every record. */
static int decode_keys(VdbeSorter *s) {
  int nkey = s->key.nkey;
  RecordHeader h;
  int rc = LODE_OK;
  if (nkey == 0) return LODE_OK;
  s->keys = util_malloc((size_t)s->n * (size_t)nkey * sizeof(Mem));
  if (!s->keys) return LODE_NOMEM;
  record_header_init(&h);
  for (uint32_t i = 0; i < s->n && rc == LODE_OK; i++)
    rc = decode_rec_keys(&h, nkey, s->recs[i].p, s->recs[i].n, &s->keys[(size_t)i * (size_t)nkey]);
  record_header_free(&h);
  return rc;
}

/* Compares decoded keys ka and kb from key column `from` on. */
static int compare_keys(const VdbeSorter *s, const Mem *ka, const Mem *kb, int from) {
  return keyinfo_compare(&s->key, ka, kb, from, s->key.nkey);
}

/* Compares records a and b from key column `from` on. */
static int compare_recs(const VdbeSorter *s, uint32_t a, uint32_t b, int from) {
  size_t nkey = (size_t)s->key.nkey;
  return compare_keys(s, &s->keys[a * nkey], &s->keys[b * nkey], from);
}

/* What the merge sort moves: the first key when it is a plain number, or
** the prefix of a first key compared bytewise (so that most comparisons
** need no indirection), and the record's index. */
typedef struct SortElem {
  union {
    int64_t i;
    double r;
    uint64_t prefix; /* first 8 bytes, big-endian, zero-padded */
  } u;
  uint32_t cls; /* SORT_CLS_* */
  uint32_t idx;
} SortElem;
#define SORT_CLS_INT 1
#define SORT_CLS_REAL 2
#define SORT_CLS_TEXT 3 /* text under BINARY: ordered by memcmp, then length */
#define SORT_CLS_BLOB 4 /* likewise; a class of its own, since every blob sorts after every text */
#define SORT_CLS_OTHER 5

static int compare_elems(const VdbeSorter *s, const SortElem *a, const SortElem *b) {
  int c;
  if (a->cls != b->cls || a->cls == SORT_CLS_OTHER) return compare_recs(s, a->idx, b->idx, 0);
  if (a->cls == SORT_CLS_TEXT || a->cls == SORT_CLS_BLOB) {
    /* Prefixes that differ order the keys as memcmp would (a shorter key's
    ** zero padding sorts it first, as its length does); equal prefixes
    ** say nothing about the rest, nor about keys with zero bytes. */
    if (a->u.prefix == b->u.prefix) return compare_recs(s, a->idx, b->idx, 0);
    c = a->u.prefix < b->u.prefix ? -1 : 1;
    return s->key.desc[0] ? -c : c;
  }
  if (a->cls == SORT_CLS_INT) c = a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
  else c = a->u.r < b->u.r ? -1 : a->u.r > b->u.r;
  if (c) return s->key.desc[0] ? -c : c;
  return s->key.nkey > 1 ? compare_recs(s, a->idx, b->idx, 1) : 0;
}

/* Stable bottom-up merge sort of elems (n) using tmp. */
static void merge_sort(VdbeSorter *s, SortElem *elems, SortElem *tmp) {
  uint32_t n = s->n;
  SortElem *src = elems, *dst = tmp;
  for (uint32_t width = 1; width < n; width *= 2) {
    for (uint32_t lo = 0; lo < n; lo += 2 * width) {
      uint32_t mid = lo + width < n ? lo + width : n;
      uint32_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      uint32_t i = lo, j = mid, k = lo;
      /* Taking from the left run on ties keeps equal keys in insertion order. */
      while (i < mid && j < hi) dst[k++] = compare_elems(s, &src[j], &src[i]) < 0 ? src[j++] : src[i++];
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    SortElem *t = src;
    src = dst;
    dst = t;
  }
  if (src != elems) memcpy(elems, src, (size_t)n * sizeof *src);
}

static void elem_init(const VdbeSorter *s, SortElem *e, uint32_t i) {
  const Mem *k = &s->keys[(size_t)i * (size_t)s->key.nkey];
  e->idx = i;
  if (k->type == MEM_INT) {
    e->cls = SORT_CLS_INT;
    e->u.i = k->u.i;
  } else if (k->type == MEM_REAL) {
    e->cls = SORT_CLS_REAL;
    e->u.r = k->u.r;
  } else if (k->type == MEM_BLOB || (k->type == MEM_TEXT && s->key.coll[0] == COLL_BINARY)) {
    uint64_t prefix = 0;
    for (int j = 0; j < 8; j++) prefix = prefix << 8 | (j < k->n ? (uint8_t)k->z[j] : 0);
    e->cls = k->type == MEM_BLOB ? SORT_CLS_BLOB : SORT_CLS_TEXT;
    e->u.prefix = prefix;
  } else {
    e->cls = SORT_CLS_OTHER;
  }
}

/* Sorts keys[]/recs[] indexes 0..n-1 into s->order (decode_keys done). */
static int sort_order(VdbeSorter *s) {
  SortElem *elems = util_malloc((size_t)s->n * sizeof *elems);
  SortElem *tmp = util_malloc((size_t)s->n * sizeof *tmp);
  int rc = LODE_OK;
  if (!elems || !tmp) {
    rc = LODE_NOMEM;
  } else {
    for (uint32_t i = 0; i < s->n; i++) elem_init(s, &elems[i], i);
    merge_sort(s, elems, tmp);
    for (uint32_t i = 0; i < s->n; i++) s->order[i] = elems[i].idx;
  }
  util_free(elems);
  util_free(tmp);
  return rc;
}

/* Moves the kept records' bytes into a fresh chunk list, freeing the old. */
static int compact_chunks(VdbeSorter *s) {
  SorterChunk *old = s->chunks, *next;
  s->chunks = NULL;
  s->nchunks = 0;
  for (uint32_t i = 0; i < s->n; i++) {
    uint8_t *p = sorter_space(s, s->recs[i].n ? s->recs[i].n : 1);
    if (!p) {
      /* recs[0..i) point into the new list and the rest into old: keep both */
      SorterChunk *c = s->chunks;
      while (c && c->next) c = c->next;
      if (c) c->next = old;
      else s->chunks = old;
      for (c = old; c; c = c->next) s->nchunks++;
      return LODE_NOMEM;
    }
    if (s->recs[i].n) memcpy(p, s->recs[i].p, s->recs[i].n);
    s->recs[i].p = p;
  }
  for (; old; old = next) {
    next = old->next;
    util_free(old);
  }
  return LODE_OK;
}

/* Remembers r (the last record kept) as the bar new records must beat. */
static int set_cut(VdbeSorter *s, const SorterRec *r) {
  s->has_cut = 0;
  if (!s->cut_keys) {
    s->cut_keys = util_malloc(2 * (size_t)s->key.nkey * sizeof(Mem));
    if (!s->cut_keys) return LODE_NOMEM;
  }
  if (r->n > s->cut_cap) {
    uint8_t *p = util_realloc(s->cut, r->n);
    if (!p) return LODE_NOMEM;
    s->cut = p;
    s->cut_cap = r->n;
  }
  if (r->n) memcpy(s->cut, r->p, r->n);
  if (decode_rec_keys(&s->hdr, s->key.nkey, s->cut, r->n, s->cut_keys) != LODE_OK) return LODE_OK;
  s->has_cut = 1;
  return LODE_OK;
}

/* Bounded sorter: sorts what it holds and keeps the first budget records,
** in sorted order, so that later insertions come after them. */
static int sorter_prune(VdbeSorter *s) {
  int rc;
  SorterRec *kept;
  assert(s->budget > 0 && s->n > s->budget && !s->sorted);
  s->order = util_malloc((size_t)s->n * sizeof *s->order);
  kept = util_malloc((size_t)s->budget * sizeof *kept);
  rc = s->order && kept ? decode_keys(s) : LODE_NOMEM;
  if (rc == LODE_OK) rc = sort_order(s);
  if (rc == LODE_OK) {
    for (uint32_t i = 0; i < s->budget; i++) kept[i] = s->recs[s->order[i]];
    memcpy(s->recs, kept, (size_t)s->budget * sizeof *kept);
    s->n = s->budget;
  }
  util_free(kept);
  util_free(s->order);
  util_free(s->keys);
  s->order = NULL;
  s->keys = NULL;
  if (rc == LODE_OK) rc = set_cut(s, &s->recs[s->budget - 1]);
  if (rc == LODE_OK && s->nchunks > s->compact_at) {
    rc = compact_chunks(s);
    /* kept records filling many chunks: compact again only once dropped ones outweigh them */
    s->compact_at = 2 * s->nchunks + SORTER_MAX_CHUNKS;
  }
  return rc;
}

int sorter_limit(VdbeSorter *s, int64_t budget) {
  if (s->sorted) return LODE_MISUSE;
  /* Budgets that do not fit (or would overflow 2*budget) just mean unbounded. */
  s->budget = budget > 0 && budget <= (int64_t)(UINT32_MAX / 4) ? (uint32_t)budget : 0;
  s->compact_at = SORTER_MAX_CHUNKS;
  return LODE_OK;
}

int sorter_sort(VdbeSorter *s, int *empty) {
  int rc;
  *empty = 1;
  if (s->sorted) {
    s->pos = 0;
    *empty = s->n == 0;
    return LODE_OK;
  }
  s->sorted = 1;
  s->pos = 0;
  if (s->n == 0) return LODE_OK;
  s->order = util_malloc((size_t)s->n * sizeof *s->order);
  if (!s->order) return LODE_NOMEM;
  for (uint32_t i = 0; i < s->n; i++) s->order[i] = i;
  if (s->key.nkey > 0) {
    rc = decode_keys(s);
    if (rc == LODE_OK) rc = sort_order(s);
    if (rc != LODE_OK) {
      util_free(s->order);
      s->order = NULL;
      return rc;
    }
  }
  *empty = 0;
  return LODE_OK;
}

int sorter_next(VdbeSorter *s, int *eof) {
  if (!s->sorted || s->pos >= s->n) return *eof = 1, LODE_OK;
  s->pos++;
  *eof = s->pos >= s->n;
  return LODE_OK;
}

int sorter_current(VdbeSorter *s, const uint8_t **rec, uint32_t *n) {
  if (!s->sorted || !s->order || s->pos >= s->n) return LODE_ERROR;
  const SorterRec *r = &s->recs[s->order[s->pos]];
  *rec = r->p;
  *n = r->n;
  return LODE_OK;
}
