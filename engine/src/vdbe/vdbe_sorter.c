/*
** vdbe_sorter.c — the sorter behind SorterOpen/Insert/Sort/Data/Next: it
** collects records (SQLite record format, value.h) in memory and returns
** them ordered by their first keyinfo->nkey columns.
**
** Records are copied into large chunks (no allocation per record in the
** common case).  Sorting checks each record's key columns once, then runs a
** merge sort over record indexes: merge sort is stable, so records with
** equal keys come out in insertion order, as SQLite's sorter does.  The
** sort moves 32-byte elements that carry the first two keys when they are
** numbers, or their first bytes (16 of the first key, 8 of the second) when
** blobs or BINARY or NOCASE text, so that most comparisons of an ORDER BY on
** such columns, or of an index build, touch no other memory; a longer text
** or blob whose prefix ties is compared in place in its record, and only
** comparisons that need a later key column (or another collation) decode
** the two records' keys, into two scratch rows.  No decoded copy of the
** keys outlives a comparison.  When every first key of a run is of one class
** (integers; or texts, blobs or NOCASE texts) the run is merged by loops made
** for that class, which order most pairs by one or two unsigned comparisons
** (natively: the wasm build makes the general loops alone).  The sort leaves
** recs[] itself in sorted order.  Up to 8192 records at a time are sorted as elements (merging
** through a buffer the size of the smaller run); more are sorted 8192 at a
** time and the runs merged by a heap into a list of record indexes, so a
** sort costs its records plus 16 bytes a record (24 while it runs, and at
** most 384 KiB of elements).
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
** it is rejected with one comparison of the encoded record against the
** cut's decoded keys and never stored (the common case once the scan is
** under way); sorter_would_drop lets the VM make the same test on the
** registers a record would be built from, before building it.  Chunk memory of dropped records is
** reclaimed by copying the kept records into fresh chunks once more chunks
** are in use than compact_at (SORTER_MAX_CHUNKS at first).
**
** Spilling (unbounded sorters only): once the records held in memory pass
** the spill budget (sorter_spill_budget), they are sorted and written to a
** temporary file as one sorted run, and memory starts over.  sorter_sort
** then writes what is left as the last run and merges the runs: each run
** has a reader with a small buffer and its current record's decoded keys,
** and a binary heap of the readers yields the smallest record; on equal
** keys the earlier run comes first, so the merge is as stable as the
** in-memory sort (a run holds records inserted after every earlier run's).
** A run is a sequence of [varint length][record] entries.  Rewinding (a
** second sorter_sort) restarts the readers.
**
** Invariant: after sorter_sort, recs[0..n) are in sorted order and never
** move again.  A pointer handed out by
** sorter_current stays valid until the next sorter_next/sorter_sort when the
** sorter spilled, and until sorter_free when it did not.
*/
#include <assert.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/os.h"
#include "vdbe/vdbe_internal.h"

#define SORTER_SPILL_DEFAULT (32u * 1024 * 1024) /* bytes of records in memory before a run is written */
#define SORTER_READ_BUF (64 * 1024)               /* a run reader's buffer */
#define SORTER_WRITE_BUF (256 * 1024)

#define SORTER_CHUNK_SIZE (256 * 1024)
/* A sorter's first chunk is small: many hold a few rows (a subquery's, a
** recursive CTE's current row, re-opened for every row) and should cost no
** more than a small allocation. */
#define SORTER_FIRST_CHUNK_SIZE 4096
#define SORTER_MAX_CHUNKS 2 /* bounded sorter: compact beyond this many chunks */
#define SORTER_QUEUE_COMPACT 1024 /* a queue drops the records it handed out once it has this many */

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
  SorterCut cut_real; /* first: vdbe_internal.h's sorter_cut reads it there */
  KeyInfo key;
  lode *db;       /* whose databases decide whether spills are sealed (conn_open_temp); may be NULL */
  uint8_t *flags; /* key arrays: desc, coll, nulls_last, nkey each */
  void *block;    /* the one allocation holding scratch and flags */
  SorterChunk *chunks;
  SorterRec *recs;
  uint32_t n, cap;
  Mem *scratch;    /* 2 * nkey: the decoded keys of the two records a comparison reads */
  uint32_t dec[2]; /* which record each scratch row holds (UINT32_MAX: none) */
  uint32_t pos;
  int sorted;
  int queue; /* sorter_queue: unkeyed, read while it is still being filled */
  uint32_t budget;  /* 0: unbounded; else only the first budget records matter */
  uint32_t nchunks; /* chunks in the list */
  uint32_t compact_at; /* bounded sorter: compact once nchunks exceeds this */
  /* Bounded sorter after its first prune: the last kept record (a private
  ** copy) and its decoded keys.  A new record that does not sort before it
  ** can never be among the first budget rows, so it is not even stored. */
  uint8_t *cut;
  uint32_t cut_cap;
  Mem *cut_keys; /* nkey Mems into cut */
  int has_cut;
  /* Spilling (see above). */
  uint64_t spill_budget;  /* 0: never spill */
  uint64_t mem_bytes;     /* record bytes held in memory */
  OsFile *file;           /* the runs, or NULL before the first spill */
  int64_t file_end;
  struct SortRun *runs;
  uint32_t nruns, runs_cap;
  struct RunReader *readers; /* merge state, one per run, after sorter_sort */
  uint32_t *heap;            /* reader indexes, a min-heap on (keys, run) */
  uint32_t nheap;
  int merging;
};

typedef struct SortRun {
  int64_t start, end;
} SortRun;

typedef struct RunReader {
  int64_t off, end;   /* next unread byte of the run in the file, and its end */
  uint8_t *buf;       /* bytes [buf_off, buf_off + buf_len) of the file */
  int64_t buf_off;
  uint32_t buf_len, buf_cap;
  const uint8_t *rec; /* the current record (in buf) and its size */
  uint32_t n;
  Mem *keys;          /* its decoded key columns (borrowing from buf) */
} RunReader;

/* The spill budget of new sorters: LODE_SORTER_MEMORY (bytes) when set, so
** that tests and benchmarks can force spilling; none in the wasm build, whose
** only files are in memory anyway. */
static uint64_t sorter_default_budget(void) {
#ifdef __EMSCRIPTEN__
  return 0;
#else
  static _Atomic uint64_t cached; /* 0: not read yet; else budget + 1 */
  uint64_t c = atomic_load(&cached);
  if (c == 0) {
    const char *z = getenv("LODE_SORTER_MEMORY");
    uint64_t b = SORTER_SPILL_DEFAULT;
    if (z && *z) {
      long long v = atoll(z);
      b = v > 0 ? (uint64_t)v : 0;
    }
    c = b + 1;
    atomic_store(&cached, c);
  }
  return c - 1;
#endif
}

void sorter_no_spill(VdbeSorter *s) { s->spill_budget = 0; }

void sorter_queue(VdbeSorter *s) {
  if (s->key.nkey) return; /* a keyed sorter cannot hand out records before it has them all */
  s->queue = 1;
  s->spill_budget = 0;
}
void sorter_set_conn(VdbeSorter *s, lode *db) { s->db = db; }

VdbeSorter *sorter_new(const KeyInfo *ki) {
  VdbeSorter *s = util_zalloc(sizeof *s);
  int n = ki && ki->nkey > 0 ? ki->nkey : 0;
  /* One allocation: the scratch rows, then the key flags. */
  size_t scratch = 2 * (size_t)n * sizeof(Mem);
  if (!s) return NULL;
  uint8_t *block = util_zalloc(scratch + (size_t)(3 * n + 1));
  if (!block) {
    util_free(s);
    return NULL;
  }
  s->block = block;
  s->scratch = n ? (Mem *)block : NULL;
  s->flags = block + scratch;
  s->spill_budget = sorter_default_budget();
  s->key.nkey = n;
  s->key.desc = s->flags;
  s->key.coll = s->flags + n;
  s->key.nulls_last = s->flags + 2 * n;
  if (n && ki->desc) memcpy(s->key.desc, ki->desc, (size_t)n);
  if (n && ki->coll) memcpy(s->key.coll, ki->coll, (size_t)n);
  if (n && ki->nulls_last) memcpy(s->key.nulls_last, ki->nulls_last, (size_t)n);
  return s;
}

static void sorter_drop_merge(VdbeSorter *s) {
  for (uint32_t i = 0; s->readers && i < s->nruns; i++) {
    util_free(s->readers[i].buf);
    util_free(s->readers[i].keys);
  }
  util_free(s->readers);
  util_free(s->heap);
  s->readers = NULL;
  s->heap = NULL;
  s->nheap = 0;
}

/* Frees every chunk of records held in memory. */
static void free_chunks(VdbeSorter *s) {
  SorterChunk *c, *next;
  for (c = s->chunks; c; c = next) {
    next = c->next;
    util_free(c);
  }
  s->chunks = NULL;
  s->nchunks = 0;
}

void sorter_free(VdbeSorter *s) {
  if (!s) return;
  free_chunks(s);
  util_free(s->recs);
  util_free(s->block);
  util_free(s->cut);
  util_free(s->cut_keys);
  sorter_drop_merge(s);
  util_free(s->runs);
  if (s->file) os_close(s->file);
  util_free(s);
}

int sorter_same_keys(const VdbeSorter *s, const KeyInfo *ki) {
  int n = ki && ki->nkey > 0 ? ki->nkey : 0;
  if (n != s->key.nkey) return 0;
  for (int i = 0; i < n; i++)
    if (s->key.desc[i] != (ki->desc ? ki->desc[i] : 0) || s->key.coll[i] != (ki->coll ? ki->coll[i] : 0) ||
        s->key.nulls_last[i] != (ki->nulls_last ? ki->nulls_last[i] : 0))
      return 0;
  return 1;
}

/* A reset sorter keeps at most this much of what it allocated: enough for the
** few rows of a sorter re-opened per row of an outer loop, without holding on
** to the memory of a large sort. */
#define SORTER_RESET_KEEP_RECS 1024

int sorter_reset(VdbeSorter *s) {
  if (s->file || s->nruns || s->merging || s->readers) return 0;
  SorterChunk *keep = s->chunks;
  if (keep && keep->cap > SORTER_CHUNK_SIZE) keep = NULL; /* one outsized record's chunk */
  if (keep) s->chunks = keep->next;
  free_chunks(s);
  if (keep) {
    keep->next = NULL;
    keep->used = 0;
    s->chunks = keep;
    s->nchunks = 1;
  }
  if (s->cap > SORTER_RESET_KEEP_RECS) {
    util_free(s->recs);
    s->recs = NULL;
    s->cap = 0;
  }
  s->n = 0;
  s->pos = 0;
  s->sorted = 0;
  s->queue = 0;
  s->budget = 0;
  s->compact_at = 0;
  s->has_cut = 0;
  s->cut_real.dir = 0;
  s->mem_bytes = 0;
  s->dec[0] = s->dec[1] = UINT32_MAX;
  s->spill_budget = sorter_default_budget();
  return 1;
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
static int sorter_spill(VdbeSorter *s);
static int decode_rec_keys(int nkey, const uint8_t *p, uint32_t n, Mem *k);
static int compare_keys(const VdbeSorter *s, const Mem *ka, const Mem *kb, int from);

int sorter_insert(VdbeSorter *s, const uint8_t *rec, uint32_t n) {
  uint8_t *p;
  if (s->sorted && !s->queue) return LODE_MISUSE;
  if (s->has_cut) {
    /* The record against the cut's decoded keys, without decoding the
    ** record.  Undecodable records are kept: the final sort reports them. */
    int cmp;
    if (record_compare(&s->key, rec, n, s->cut_keys, s->key.nkey, &cmp) == LODE_OK && cmp >= 0) return LODE_OK;
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
  s->mem_bytes += n + sizeof(SorterRec);
  if (s->budget && s->key.nkey > 0 && s->n >= 2 * (uint64_t)s->budget) return sorter_prune(s);
  if (!s->budget && s->spill_budget && s->mem_bytes >= s->spill_budget) return sorter_spill(s);
  return LODE_OK;
}

/* Decodes the first nkey columns of record p (n bytes) into k (missing
** columns read NULL; the Mems borrow from p).  Only the key fields' header
** entries are read: a sorter record carries its payload columns after its
** keys, and sorting needs none of them. */
static int decode_rec_keys(int nkey, const uint8_t *p, uint32_t n, Mem *k) {
  uint64_t hs;
  uint32_t pos = (uint32_t)util_varint_get_bounded(p, p + n, &hs), body;
  int j = 0, rc = LODE_OK;
  if (pos == 0 || hs < pos || hs > n) {
    rc = LODE_CORRUPT;
    goto rest_null;
  }
  body = (uint32_t)hs;
  for (; j < nkey && pos < hs; j++) {
    uint64_t type = p[pos];
    Mem *m = &k[j];
    if (type < 0x80) {
      pos++;
    } else {
      int used = util_varint_get_bounded(p + pos, p + hs, &type);
      if (used == 0) {
        rc = LODE_CORRUPT;
        goto rest_null;
      }
      pos += (uint32_t)used;
    }
    uint32_t len = record_serial_len(type);
    if (type == 10 || type == 11 || len > n - body) {
      rc = LODE_CORRUPT;
      goto rest_null;
    }
    m->owner = MEM_STATIC;
    m->subtype = 0;
    m->z = NULL;
    m->n = 0;
    m->ztext = NULL;
    m->u.i = 0;
    if (type >= 12) {
      m->type = (type & 1) ? MEM_TEXT : MEM_BLOB;
      m->owner = MEM_EPHEM;
      m->z = (char *)(uintptr_t)(p + body);
      m->n = (int)len;
    } else if (type == 7) {
      uint64_t bits = util_get8(p + body);
      memcpy(&m->u.r, &bits, sizeof m->u.r);
      m->type = m->u.r != m->u.r ? MEM_NULL : MEM_REAL; /* a stored NaN reads back as NULL */
    } else if (type == 0) {
      m->type = MEM_NULL;
    } else {
      m->type = MEM_INT;
      m->u.i = type >= 8 ? (int64_t)type - 8 : record_int_body(type, p + body);
    }
    body += len;
  }
rest_null:
  for (; j < nkey; j++) mem_init(&k[j]);
  return rc;
}

/* Compares decoded keys ka and kb from key column `from` on. */
static int compare_keys(const VdbeSorter *s, const Mem *ka, const Mem *kb, int from) {
  return keyinfo_compare(&s->key, ka, kb, from, s->key.nkey);
}

/* Compares records a and b from key column `from` on, decoding their keys
** into the scratch rows (sort_recs checked every record's keys first).  A
** merge compares one record with several in a row, so a record still in a
** scratch row is not decoded again. */
static int compare_recs(VdbeSorter *s, uint32_t a, uint32_t b, int from) {
  size_t nkey = (size_t)s->key.nkey;
  int sa = s->dec[0] == a ? 0 : s->dec[1] == a ? 1 : -1;
  int sb = s->dec[0] == b ? 0 : s->dec[1] == b ? 1 : -1;
  if (sa < 0) {
    sa = sb == 0 ? 1 : 0;
    decode_rec_keys((int)nkey, s->recs[a].p, s->recs[a].n, s->scratch + (size_t)sa * nkey);
    s->dec[sa] = a;
  }
  if (sb < 0) {
    sb = sa ^ 1;
    decode_rec_keys((int)nkey, s->recs[b].p, s->recs[b].n, s->scratch + (size_t)sb * nkey);
    s->dec[sb] = b;
  }
  return compare_keys(s, s->scratch + (size_t)sa * nkey, s->scratch + (size_t)sb * nkey, from);
}

/* The body of the first field of a record whose keys were checked, a text or
** a blob, and its length: the header's first two bytes give both for any
** header and first key below 0x80 bytes' worth of varint. */
static inline const uint8_t *first_field(const SorterRec *r, uint32_t *n) {
  uint64_t hs, type;
  const uint8_t *p = r->p;
  if (p[0] < 0x80 && p[1] < 0x80) {
    *n = (uint32_t)(p[1] - 12) >> 1;
    return p + p[0];
  }
  int k = p[0] < 0x80 ? (hs = p[0], 1) : util_varint_get_bounded(p, p + r->n, &hs);
  if (p[k] < 0x80) type = p[k];
  else util_varint_get_bounded(p + k, p + hs, &type);
  *n = record_serial_len(type);
  return p + hs;
}

/* What the merge sort moves: the first two keys, each when it is a plain
** number, or the prefix of one compared bytewise (so that most comparisons
** need no indirection), and the record's index. */
#define SORT_PARTS 2
typedef struct SortElem {
  union {
    int64_t i;
    double r;
    uint64_t prefix; /* first 8 bytes, big-endian, zero-padded */
  } u[SORT_PARTS];
  uint64_t ext; /* TEXT/BLOB/NOCASE first key: its bytes 8..15 as u[0] holds bytes 0..7 */
  uint32_t idx;
  uint8_t cls[SORT_PARTS]; /* SORT_CLS_* */
  /* TEXT/BLOB: the key's length, or one more than the bytes its prefix
  ** holds (SORT_PREFIX(j)) for any longer */
  uint8_t len[SORT_PARTS];
} SortElem;
/* Bytes of a TEXT/BLOB key the element holds: 16 of the first key (u[0]
** and ext: keys that share 8 bytes are common, such as spelled-out
** numbers), 8 of the second. */
#define SORT_PREFIX(j) ((j) == 0 ? 16u : 8u)
#define SORT_CLS_INT 1
#define SORT_CLS_REAL 2
#define SORT_CLS_TEXT 3 /* text under BINARY: ordered by memcmp, then length */
#define SORT_CLS_BLOB 4 /* likewise; a class of its own, since every blob sorts after every text */
#define SORT_CLS_NOCASE 5 /* text under NOCASE: the prefix folded as NOCASE folds, then ordered like TEXT */
#define SORT_CLS_OTHER 6 /* NULL, or text under another collation: the record decides */

/* compare_elems past its first test: out of line, so that the merge loops
** around that test keep their state in registers. */
static __attribute__((noinline)) int compare_elems_rest(VdbeSorter *s, const SortElem *a, const SortElem *b,
                                                        int from) {
  int nparts = s->key.nkey < SORT_PARTS ? s->key.nkey : SORT_PARTS;
  for (int j = from; j < nparts; j++) {
    int c, cls = a->cls[j];
    if (cls != b->cls[j] || cls == SORT_CLS_OTHER) return compare_recs(s, a->idx, b->idx, j);
    if (cls == SORT_CLS_INT) {
      c = a->u[j].i < b->u[j].i ? -1 : a->u[j].i > b->u[j].i;
    } else if (cls == SORT_CLS_REAL) {
      c = a->u[j].r < b->u[j].r ? -1 : a->u[j].r > b->u[j].r;
    } else if (a->u[j].prefix != b->u[j].prefix) {
      /* Prefixes that differ order the keys as memcmp would (a shorter
      ** key's zero padding sorts it first, as its length does); equal
      ** prefixes say nothing about the rest, nor about keys with zero
      ** bytes. */
      c = a->u[j].prefix < b->u[j].prefix ? -1 : 1;
    } else if (j == 0 && a->ext != b->ext) {
      c = a->ext < b->ext ? -1 : 1; /* the next 8 bytes, as the prefix */
    } else if (a->len[j] <= SORT_PREFIX(j) && b->len[j] <= SORT_PREFIX(j)) {
      /* Keys that fit their prefixes are known whole: with equal bytes the
      ** shorter sorts first (its zero padding hid nothing), and equal
      ** lengths mean equal keys, decided by the next key column. */
      c = a->len[j] < b->len[j] ? -1 : a->len[j] > b->len[j];
    } else if (j == 0) {
      /* Longer first keys are compared where they lie in their records:
      ** bytewise from the 17th byte on (the prefixes, equal, cover the first
      ** 16; a key of 16 bytes or fewer is then a prefix of the other), then
      ** by length, as BINARY compares; NOCASE folds as it compares. */
      uint32_t na, nb;
      const uint8_t *za = first_field(&s->recs[a->idx], &na), *zb = first_field(&s->recs[b->idx], &nb);
      if (cls == SORT_CLS_NOCASE) {
        Mem ma = {.type = MEM_TEXT, .z = (char *)(uintptr_t)za, .n = (int)na};
        Mem mb = {.type = MEM_TEXT, .z = (char *)(uintptr_t)zb, .n = (int)nb};
        c = mem_compare(&ma, &mb, COLL_NOCASE);
      } else {
        uint32_t m = na < nb ? na : nb;
        c = m > 16 ? memcmp(za + 16, zb + 16, m - 16) : 0;
        if (!c) c = na < nb ? -1 : na > nb;
      }
    } else {
      return compare_recs(s, a->idx, b->idx, j);
    }
    if (c) return s->key.desc[j] ? (c > 0 ? -1 : 1) : (c > 0 ? 1 : -1);
  }
  return s->key.nkey > nparts ? compare_recs(s, a->idx, b->idx, nparts) : 0;
}

/* First keys, TEXT or BLOB under BINARY, whose 16-byte prefixes are equal
** and one of which is longer: bytewise from the 17th byte, then by length. */
static __attribute__((noinline)) int compare_first_tails(const VdbeSorter *s, const SortElem *a, const SortElem *b) {
  uint32_t na, nb;
  const uint8_t *za = first_field(&s->recs[a->idx], &na), *zb = first_field(&s->recs[b->idx], &nb);
  uint32_t m = na < nb ? na : nb;
  int c = m > 16 ? memcmp(za + 16, zb + 16, m - 16) : 0;
  return c ? c : na < nb ? -1 : na > nb;
}

/* Orders two elements.  Most pairs are told apart by their first keys of
** one class that differ as integers or in their prefixes (an integer with
** its sign bit flipped orders as an unsigned number, as a prefix does);
** the rest of the comparison is out of line, so that the merge loops
** around this keep their state in registers. */
static inline __attribute__((always_inline)) int compare_elems(VdbeSorter *s, const SortElem *a, const SortElem *b) {
  int cls = a->cls[0], c, from = 0;
  if (cls == b->cls[0] && cls != SORT_CLS_REAL && cls != SORT_CLS_OTHER) {
    uint64_t flip = (uint64_t)(cls == SORT_CLS_INT) << 63;
    uint64_t x = a->u[0].prefix ^ flip, y = b->u[0].prefix ^ flip;
    if (x == y && cls != SORT_CLS_INT) x = a->ext, y = b->ext;
    if (x != y) return (x < y) == !s->key.desc[0] ? -1 : 1;
    if (cls != SORT_CLS_NOCASE) {
      /* Equal integers, or equal prefixes of texts or blobs: known whole
      ** when both fit, else their tails decide. */
      if (cls == SORT_CLS_INT) c = 0;
      else if (a->len[0] <= SORT_PREFIX(0) && b->len[0] <= SORT_PREFIX(0)) c = a->len[0] - b->len[0];
      else c = compare_first_tails(s, a, b);
      if (c) return (c < 0) == !s->key.desc[0] ? -1 : 1;
      from = 1;
    }
  }
  if (from >= s->key.nkey) return 0;
  return compare_elems_rest(s, a, b, from);
}

/* What the first keys of every element being sorted are, when of one
** class: the merge loops, made once for each, then order most pairs by one
** or two unsigned comparisons, without compare_elems' tests of class and
** direction; pairs those leave equal go to compare_elems. */
#define SORT_MIXED 0
#define SORT_INTS 1  /* every first key an integer */
#define SORT_BYTES 2 /* every first key a TEXT, or every one a BLOB, or every one a NOCASE text */
/* The wasm build makes the loops once, as SORT_MIXED: three copies of them
** would not fit its size budget. */
#ifdef __EMSCRIPTEN__
#define SORT_MODES 0
#else
#define SORT_MODES 1
#endif

static inline __attribute__((always_inline)) int compare_as(VdbeSorter *s, const SortElem *a, const SortElem *b,
                                                            int mode, int asc) {
  if (mode != SORT_MIXED) {
    uint64_t flip = (uint64_t)(mode == SORT_INTS) << 63;
    uint64_t x = a->u[0].prefix ^ flip, y = b->u[0].prefix ^ flip;
    if (mode == SORT_BYTES && x == y) x = a->ext, y = b->ext;
    if (x != y) return (x < y) == asc ? -1 : 1;
    if (mode == SORT_BYTES && a->cls[0] != SORT_CLS_NOCASE) {
      /* Equal 16-byte prefixes: the lengths decide keys both prefixes hold
      ** whole, else the tails; equal keys go on to the next key column. */
      int c = a->len[0] <= SORT_PREFIX(0) && b->len[0] <= SORT_PREFIX(0) ? a->len[0] - b->len[0]
                                                                          : compare_first_tails(s, a, b);
      if (c) return (c < 0) == asc ? -1 : 1;
      return s->key.nkey > 1 ? compare_elems_rest(s, a, b, 1) : 0;
    }
  }
  return compare_elems(s, a, b);
}

static int sort_mode(const SortElem *e, uint32_t n) {
  uint8_t cls = e[0].cls[0];
  for (uint32_t i = 1; i < n; i++)
    if (e[i].cls[0] != cls) return SORT_MIXED;
  if (cls == SORT_CLS_INT) return SORT_INTS;
  return cls == SORT_CLS_TEXT || cls == SORT_CLS_BLOB || cls == SORT_CLS_NOCASE ? SORT_BYTES : SORT_MIXED;
}

/* Merges the sorted runs e[lo, mid) and e[mid, hi) in place, through tmp,
** which has room for the smaller run.  Ties take the left run's element
** first, so equal keys stay in insertion order.  Runs already in order (the
** left one's last element not after the right one's first) cost one
** comparison: presorted input, such as an index built over rows read in
** key order, sorts in linear time. */
static inline __attribute__((always_inline)) void merge_runs(VdbeSorter *s, SortElem *e, uint32_t lo, uint32_t mid,
                                                             uint32_t hi, SortElem *tmp, int mode, int asc) {
  if (compare_as(s, &e[mid], &e[mid - 1], mode, asc) >= 0) return;
  if (mid - lo <= hi - mid) {
    /* The left run moves to tmp and the merge fills e from the front: the
    ** next slot written is never past the right run's next unread one. */
    uint32_t nl = mid - lo, i = 0, j = mid, k = lo;
    memcpy(tmp, e + lo, (size_t)nl * sizeof *tmp);
    while (i < nl && j < hi) e[k++] = compare_as(s, &e[j], &tmp[i], mode, asc) < 0 ? e[j++] : tmp[i++];
    while (i < nl) e[k++] = tmp[i++];
  } else {
    /* The right run moves to tmp and the merge fills e from the back,
    ** taking the right run's element on ties (it goes after). */
    uint32_t nr = hi - mid, i = mid, j = nr, k = hi;
    memcpy(tmp, e + mid, (size_t)nr * sizeof *tmp);
    while (i > lo && j > 0) e[--k] = compare_as(s, &tmp[j - 1], &e[i - 1], mode, asc) < 0 ? e[--i] : tmp[--j];
    while (j > 0) e[--k] = tmp[--j];
  }
}

/* Stable bottom-up merge sort of e (n) through tmp (n more): runs of
** SORT_RUN sorted by insertion, then merged pairwise from one array into
** the other; the result ends in e. */
#define SORT_RUN 8
static inline __attribute__((always_inline)) void insertion_sort(VdbeSorter *s, SortElem *e, uint32_t lo, uint32_t hi,
                                                                 int mode, int asc) {
  for (uint32_t i = lo + 1; i < hi; i++) {
    SortElem x = e[i];
    uint32_t j = i;
    for (; j > lo && compare_as(s, &x, &e[j - 1], mode, asc) < 0; j--) e[j] = e[j - 1];
    e[j] = x;
  }
}

static inline __attribute__((always_inline)) void sort_run(VdbeSorter *s, SortElem *e, uint32_t n, SortElem *tmp,
                                                           int mode, int asc) {
  SortElem *src = e, *dst = tmp;
  for (uint32_t lo = 0; lo < n; lo += SORT_RUN)
    insertion_sort(s, e, lo, lo + SORT_RUN < n ? lo + SORT_RUN : n, mode, asc);
  for (uint32_t width = SORT_RUN; width < n; width *= 2) {
    for (uint32_t lo = 0; lo < n; lo += 2 * width) {
      uint32_t mid = lo + width < n ? lo + width : n;
      uint32_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      uint32_t i = lo, j = mid, k = lo;
      if (mid < hi && compare_as(s, &src[mid], &src[mid - 1], mode, asc) < 0) {
        /* Taking from the left run on ties keeps equal keys in insertion order. */
        while (i < mid && j < hi) dst[k++] = compare_as(s, &src[j], &src[i], mode, asc) < 0 ? src[j++] : src[i++];
      }
      memcpy(dst + k, src + i, (size_t)(mid - i) * sizeof *dst);
      k += mid - i;
      memcpy(dst + k, src + j, (size_t)(hi - j) * sizeof *dst);
    }
    SortElem *t = src;
    src = dst;
    dst = t;
  }
  if (src != e) memcpy(e, src, (size_t)n * sizeof *src);
}

/* Sorts elems (n) with a buffer of (n + 1) / 2: each half is sorted through
** the buffer, then the two are merged in place. */
static inline __attribute__((always_inline)) void merge_sort_as(VdbeSorter *s, SortElem *elems, uint32_t n,
                                                                SortElem *tmp, int mode) {
  uint32_t h = n / 2;
  int asc = !s->key.desc[0];
  if (n <= 2 * SORT_RUN) {
    insertion_sort(s, elems, 0, n, mode, asc);
    return;
  }
  sort_run(s, elems, h, tmp, mode, asc);
  sort_run(s, elems + h, n - h, tmp, mode, asc);
  merge_runs(s, elems, 0, h, n, tmp, mode, asc);
}

static void merge_sort(VdbeSorter *s, SortElem *elems, uint32_t n, SortElem *tmp, int mode) {
  if (n < 2) return;
  switch (SORT_MODES ? mode : SORT_MIXED) {
  case SORT_INTS: merge_sort_as(s, elems, n, tmp, SORT_INTS); break;
  case SORT_BYTES: merge_sort_as(s, elems, n, tmp, SORT_BYTES); break;
  default: merge_sort_as(s, elems, n, tmp, SORT_MIXED); break;
  }
}

/* The first want bytes of a TEXT or BLOB key (body, len bytes, in a record
** that ends at end) as big-endian numbers, zero-padded: h[0] holds bytes
** 0..7 and, when want is 16, h[1] bytes 8..15.  fold: text under NOCASE,
** folded as NOCASE folds and cut at its first zero byte. */
static inline __attribute__((always_inline)) void elem_prefix(uint32_t want, int fold, const uint8_t *body,
                                                              uint32_t len, const uint8_t *end, uint64_t h[2]) {
  h[0] = h[1] = 0;
  if (!fold && (uint64_t)(end - body) >= want) {
    /* Whole loads within the record, the bytes past the field masked off. */
    uint64_t x;
    memcpy(&x, body, 8);
    h[0] = __builtin_bswap64(x);
    if (want == 16) {
      memcpy(&x, body + 8, 8);
      h[1] = __builtin_bswap64(x);
    }
    if (len < want) {
      if (len < 8) {
        h[0] = len ? h[0] & ~(~(uint64_t)0 >> (8 * len)) : 0;
        h[1] = 0;
      } else {
        h[1] = len > 8 ? h[1] & ~(~(uint64_t)0 >> (8 * (len - 8))) : 0;
      }
    }
    return;
  }
  uint32_t stop = len < want ? len : want; /* NOCASE sees nothing past a zero byte but the length */
  for (uint32_t b = 0; b < stop; b++) {
    uint8_t ch = body[b];
    if (fold && ch == 0) break;
    if (fold && ch >= 'A' && ch <= 'Z') ch = (uint8_t)(ch + ('a' - 'A'));
    h[b >> 3] |= (uint64_t)ch << (56 - 8 * (b & 7));
  }
}

/* Makes sort element part j from one key field (serial type, body), in a
** record that ends at end.  Each call passes a constant j, which the inlined
** copy folds away. */
static inline __attribute__((always_inline)) void elem_part(const VdbeSorter *s, SortElem *e, int j, uint64_t type,
                                                            const uint8_t *body, uint32_t len, const uint8_t *end) {
  if (type >= 1 && type <= 9 && type != 7) {
    e->cls[j] = SORT_CLS_INT;
    e->u[j].i = type >= 8 ? (int64_t)type - 8 : record_int_body(type, body);
  } else if (type >= 12) {
    int coll = s->key.coll[j];
    if ((type & 1) && coll != COLL_BINARY && coll != COLL_NOCASE) {
      e->cls[j] = SORT_CLS_OTHER; /* text under another collation */
      return;
    }
    int fold = (type & 1) && coll == COLL_NOCASE;
    const uint32_t want = SORT_PREFIX(j);
    uint64_t half[2];
    elem_prefix(want, fold, body, len, end, half);
    e->cls[j] = !(type & 1) ? SORT_CLS_BLOB : fold ? SORT_CLS_NOCASE : SORT_CLS_TEXT;
    e->len[j] = (uint8_t)(len > want ? want + 1 : len);
    e->u[j].prefix = half[0];
    if (j == 0) e->ext = half[1];
  } else if (type == 7) {
    uint64_t bits = util_get8(body);
    memcpy(&e->u[j].r, &bits, sizeof e->u[j].r);
    e->cls[j] = e->u[j].r != e->u[j].r ? SORT_CLS_OTHER : SORT_CLS_REAL; /* a stored NaN reads back as NULL */
  } else {
    e->cls[j] = SORT_CLS_OTHER; /* NULL */
  }
}

/* Makes record i's element from its first two keys, straight from the
** record's bytes.  check: the record is new to the sort, and all its keys
** are checked as decode_rec_keys does (the same fields, the same errors);
** else an earlier check passed and only the two keys are read. */
static inline __attribute__((always_inline)) int elem_make(VdbeSorter *s, SortElem *e, uint32_t i, int check) {
  const uint8_t *p = s->recs[i].p;
  uint32_t n = s->recs[i].n, body;
  uint64_t hs;
  uint32_t pos = (uint32_t)util_varint_get_bounded(p, p + n, &hs);
  int j = 0, nkey = s->key.nkey;
  if (!check && nkey > SORT_PARTS) nkey = SORT_PARTS;
  e->idx = i;
  e->ext = 0;
  e->cls[0] = e->cls[1] = SORT_CLS_OTHER;
  if (pos == 0 || hs < pos || hs > n) return LODE_CORRUPT;
  body = (uint32_t)hs;
  if (pos == 1 && hs >= 3 && nkey >= 2 && (p[1] | p[2]) < 0x80 && p[1] - 10u >= 2u && p[2] - 10u >= 2u) {
    /* The common case: the first two keys' types take a byte each. */
    uint32_t len0 = record_serial_len(p[1]), len1 = record_serial_len(p[2]);
    if (len0 <= n - body && len1 <= n - body - len0) {
      elem_part(s, e, 0, p[1], p + body, len0, p + n);
      elem_part(s, e, 1, p[2], p + body + len0, len1, p + n);
      pos = 3;
      body += len0 + len1;
      j = 2;
    }
  }
  for (; j < nkey && pos < hs; j++) {
    uint64_t type = p[pos];
    if (type < 0x80) {
      pos++;
    } else {
      int used = util_varint_get_bounded(p + pos, p + hs, &type);
      if (used == 0) return LODE_CORRUPT;
      pos += (uint32_t)used;
    }
    uint32_t len = record_serial_len(type);
    if (type == 10 || type == 11 || len > n - body) return LODE_CORRUPT;
    if (j == 0) elem_part(s, e, 0, type, p + body, len, p + n);
    else if (j == 1) elem_part(s, e, 1, type, p + body, len, p + n);
    body += len;
  }
  return LODE_OK;
}

static int elem_init(VdbeSorter *s, SortElem *e, uint32_t i) { return elem_make(s, e, i, 1); }

/* elem_init for a record whose keys elem_init checked before. */
static __attribute__((flatten)) int elem_again(VdbeSorter *s, SortElem *e, uint32_t i) { return elem_make(s, e, i, 0); }

/* Puts recs[lo, lo + m) in the order of at[0..m) (the record that goes to
** place lo + i is recs[at[i]], an index in [lo, lo + m)), cycle by cycle; a
** done place is marked in at. */
static void place_recs(VdbeSorter *s, uint32_t lo, uint32_t *at, uint32_t m) {
  for (uint32_t i = 0; i < m; i++) {
    if (at[i] == UINT32_MAX) continue;
    SorterRec first = s->recs[lo + i];
    uint32_t j = i;
    for (;;) {
      uint32_t k = at[j] - lo;
      at[j] = UINT32_MAX;
      if (k == i) {
        s->recs[lo + j] = first;
        break;
      }
      s->recs[lo + j] = s->recs[lo + k];
      j = k;
    }
  }
}

/* A sorted run of recs[] while the runs are merged: its next record's
** index and element, and where the run ends. */
typedef struct MergeHead {
  SortElem e;
  uint32_t end;
} MergeHead;

/* Whether head a comes out before head b: by key, and on equal keys the
** earlier run first, whose records were inserted first. */
static inline __attribute__((always_inline)) int head_before(VdbeSorter *s, const MergeHead *a, const MergeHead *b,
                                                             int mode, int asc) {
  int c = compare_as(s, &a->e, &b->e, mode, asc);
  return c < 0 || (c == 0 && a->e.idx < b->e.idx);
}

static inline __attribute__((always_inline)) void head_sift(VdbeSorter *s, MergeHead *h, uint32_t nh, uint32_t i,
                                                            int mode, int asc) {
  for (;;) {
    uint32_t l = 2 * i + 1, m = i;
    if (l < nh && head_before(s, &h[l], &h[m], mode, asc)) m = l;
    if (l + 1 < nh && head_before(s, &h[l + 1], &h[m], mode, asc)) m = l + 1;
    if (m == i) return;
    MergeHead t = h[i];
    h[i] = h[m];
    h[m] = t;
    i = m;
  }
}

/* Merges the runs whose first records head h (nh of them) into order, a
** list of record indexes. */
static inline __attribute__((always_inline)) int merge_heads(VdbeSorter *s, MergeHead *h, uint32_t nh, uint32_t *order,
                                                             int mode) {
  int rc = LODE_OK, asc = !s->key.desc[0];
  uint32_t k = 0;
  for (uint32_t i = nh / 2; i-- > 0;) head_sift(s, h, nh, i, mode, asc);
  while (nh > 0 && rc == LODE_OK) {
    uint32_t at = h[0].e.idx;
    order[k++] = at;
    if (at + 1 < h[0].end) rc = elem_again(s, &h[0].e, at + 1);
    else h[0] = h[--nh];
    if (nh > 0) head_sift(s, h, nh, 0, mode, asc);
  }
  return rc;
}

/* Puts recs[0..n) in key order (nkey > 0); stable.  SORT_MEM_RUN records
** at a time are sorted as elements (48 bytes a record while that runs) and
** put in their order in recs[]; more than one such run are then merged by a
** heap of the runs' next elements into a list of record indexes (4 bytes a
** record), by which recs[] is put in order.  So a big ORDER BY, GROUP BY or
** CREATE INDEX holds little more than its records and recs[] while it sorts,
** where elements for every record would take 48 bytes each. */
#define SORT_MEM_RUN 8192
static int sort_recs(VdbeSorter *s) {
  uint32_t n = s->n, run = n < SORT_MEM_RUN ? n : SORT_MEM_RUN;
  uint32_t nruns = n ? (n - 1) / run + 1 : 0;
  SortElem *elems = util_malloc((size_t)run * sizeof *elems);
  SortElem *tmp = util_malloc((size_t)(run / 2 + 1) * sizeof *tmp);
  uint32_t *order = util_malloc((size_t)n * sizeof *order + 1); /* a run's order, then the merged one */
  int rc = elems && tmp && order ? LODE_OK : LODE_NOMEM, mode = SORT_MIXED;
  uint8_t cls = 0;
  s->dec[0] = s->dec[1] = UINT32_MAX; /* recs[] may have moved since the scratch rows were filled */
  for (uint32_t r = 0; r < nruns && rc == LODE_OK; r++) {
    uint32_t lo = r * run, m = n - lo < run ? n - lo : run;
    for (uint32_t i = 0; i < m && rc == LODE_OK; i++) rc = elem_init(s, &elems[i], lo + i);
    if (rc != LODE_OK) break;
    int run_mode = SORT_MODES ? sort_mode(elems, m) : SORT_MIXED;
    /* The merge of the runs takes a mode when every run has first keys of the one class. */
    if (r == 0) mode = run_mode, cls = elems[0].cls[0];
    else if (run_mode != mode || elems[0].cls[0] != cls) mode = SORT_MIXED;
    merge_sort(s, elems, m, tmp, run_mode);
    for (uint32_t i = 0; i < m; i++) order[i] = elems[i].idx;
    place_recs(s, lo, order, m);
    s->dec[0] = s->dec[1] = UINT32_MAX;
  }
  util_free(elems);
  util_free(tmp);
  MergeHead *heads = rc == LODE_OK && nruns > 1 ? util_malloc((size_t)nruns * sizeof *heads) : NULL;
  if (rc == LODE_OK && nruns > 1 && !heads) rc = LODE_NOMEM;
  if (rc != LODE_OK || nruns < 2) {
    util_free(order);
    return rc;
  }
  for (uint32_t r = 0; r < nruns && rc == LODE_OK; r++) {
    heads[r].end = r * run + run < n ? r * run + run : n;
    rc = elem_again(s, &heads[r].e, r * run);
  }
  if (rc == LODE_OK) {
    switch (SORT_MODES ? mode : SORT_MIXED) {
    case SORT_INTS: rc = merge_heads(s, heads, nruns, order, SORT_INTS); break;
    case SORT_BYTES: rc = merge_heads(s, heads, nruns, order, SORT_BYTES); break;
    default: rc = merge_heads(s, heads, nruns, order, SORT_MIXED); break;
    }
  }
  util_free(heads);
  if (rc == LODE_OK) place_recs(s, 0, order, n);
  s->dec[0] = s->dec[1] = UINT32_MAX;
  util_free(order);
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
  s->cut_real.dir = 0;
  if (!s->cut_keys) {
    s->cut_keys = util_malloc((size_t)s->key.nkey * sizeof(Mem));
    if (!s->cut_keys) return LODE_NOMEM;
  }
  if (r->n > s->cut_cap) {
    uint8_t *p = util_realloc(s->cut, r->n);
    if (!p) return LODE_NOMEM;
    s->cut = p;
    s->cut_cap = r->n;
  }
  if (r->n) memcpy(s->cut, r->p, r->n);
  if (decode_rec_keys(s->key.nkey, s->cut, r->n, s->cut_keys) != LODE_OK) return LODE_OK;
  s->has_cut = 1;
  if (s->key.nkey > 0 && s->cut_keys[0].type == MEM_REAL) {
    s->cut_real.dir = s->key.desc[0] ? -1 : 1;
    s->cut_real.nkey = s->key.nkey;
    s->cut_real.r = s->cut_keys[0].u.r;
  }
  return LODE_OK;
}

/* Bounded sorter: sorts what it holds and keeps the first budget records,
** in sorted order, so that later insertions come after them. */
static int sorter_prune(VdbeSorter *s) {
  int rc;
  assert(s->budget > 0 && s->n > s->budget && !s->sorted);
  rc = sort_recs(s);
  if (rc == LODE_OK) s->n = s->budget;
  if (rc == LODE_OK) rc = set_cut(s, &s->recs[s->budget - 1]);
  if (rc == LODE_OK && s->nchunks > s->compact_at) {
    rc = compact_chunks(s);
    /* kept records filling many chunks: compact again only once dropped ones outweigh them */
    s->compact_at = 2 * s->nchunks + SORTER_MAX_CHUNKS;
  }
  return rc;
}

/* ---- spilling and merging ------------------------------------------------------- */

/* Sorts the records held in memory and appends them to the file as a run;
** memory starts over empty. */
static int sorter_spill(VdbeSorter *s) {
  int rc = LODE_OK;
  if (!s->file) {
    if (conn_open_temp(s->db, "sort", &s->file) != LODE_OK) {
      s->file = NULL;
      s->spill_budget = 0; /* no temporary file: keep sorting in memory */
      return LODE_OK;
    }
  }
  if (s->nruns == s->runs_cap) {
    uint32_t cap = s->runs_cap ? s->runs_cap * 2 : 8;
    SortRun *r = util_realloc(s->runs, (size_t)cap * sizeof *r);
    if (!r) return LODE_NOMEM;
    s->runs = r;
    s->runs_cap = cap;
  }
  uint8_t *buf = util_malloc(SORTER_WRITE_BUF);
  if (!buf) rc = LODE_NOMEM;
  if (rc == LODE_OK && s->key.nkey > 0) rc = sort_recs(s);
  int64_t start = s->file_end, at = start;
  uint32_t used = 0;
  for (uint32_t i = 0; rc == LODE_OK && i < s->n; i++) {
    const SorterRec *r = &s->recs[i];
    uint8_t len[9];
    int k = util_varint_put(len, r->n);
    if (used + (uint32_t)k + r->n > SORTER_WRITE_BUF) {
      rc = os_write(s->file, buf, used, at);
      at += used;
      used = 0;
    }
    if (rc != LODE_OK) break;
    if ((uint32_t)k + r->n > SORTER_WRITE_BUF) { /* a record larger than the buffer goes out by itself */
      rc = os_write(s->file, len, (size_t)k, at);
      if (rc == LODE_OK) rc = os_write(s->file, r->p, r->n, at + k);
      at += k + r->n;
      continue;
    }
    memcpy(buf + used, len, (size_t)k);
    memcpy(buf + used + k, r->p, r->n);
    used += (uint32_t)k + r->n;
  }
  if (rc == LODE_OK && used) {
    rc = os_write(s->file, buf, used, at);
    at += used;
  }
  util_free(buf);
  if (rc != LODE_OK) return rc;
  s->runs[s->nruns].start = start;
  s->runs[s->nruns].end = at;
  s->nruns++;
  s->file_end = at;
  free_chunks(s);
  s->n = 0;
  s->mem_bytes = 0;
  return LODE_OK;
}

/* Makes bytes [r->off, r->off + want) of the run readable in r->buf. */
static int reader_fill(VdbeSorter *s, RunReader *r, uint32_t want) {
  if (r->off >= r->buf_off && r->off + want <= r->buf_off + r->buf_len) return LODE_OK;
  int64_t left = r->end - r->off;
  uint32_t len = want > SORTER_READ_BUF ? want : SORTER_READ_BUF;
  if ((int64_t)len > left) len = (uint32_t)left;
  if (len < want) return LODE_CORRUPT;
  if (len > r->buf_cap) {
    uint8_t *b = util_realloc(r->buf, len);
    if (!b) return LODE_NOMEM;
    r->buf = b;
    r->buf_cap = len;
  }
  int rc = os_read(s->file, r->buf, len, r->off);
  if (rc != LODE_OK) return rc;
  r->buf_off = r->off;
  r->buf_len = len;
  return LODE_OK;
}

/* Reads the run's next record and decodes its keys; rec = NULL at the end. */
static int reader_advance(VdbeSorter *s, RunReader *r) {
  uint64_t n;
  r->rec = NULL;
  if (r->off >= r->end) return LODE_OK;
  int64_t left = r->end - r->off;
  int rc = reader_fill(s, r, left < 9 ? (uint32_t)left : 9);
  if (rc != LODE_OK) return rc;
  const uint8_t *p = r->buf + (r->off - r->buf_off);
  int k = util_varint_get_bounded(p, r->buf + r->buf_len, &n);
  if (k == 0 || n > VALUE_MAX_LENGTH || (int64_t)n > left - k) return LODE_CORRUPT;
  if ((rc = reader_fill(s, r, (uint32_t)k + (uint32_t)n)) != LODE_OK) return rc;
  r->rec = r->buf + (r->off - r->buf_off) + k;
  r->n = (uint32_t)n;
  r->off += k + (int64_t)n;
  if (s->key.nkey > 0) return decode_rec_keys(s->key.nkey, r->rec, r->n, r->keys);
  return LODE_OK;
}

/* Heap order: the smaller key first, the earlier run on equal keys. */
static int reader_before(const VdbeSorter *s, uint32_t a, uint32_t b) {
  int c = s->key.nkey > 0 ? compare_keys(s, s->readers[a].keys, s->readers[b].keys, 0) : 0;
  return c < 0 || (c == 0 && a < b);
}

static void heap_down(VdbeSorter *s, uint32_t i) {
  for (;;) {
    uint32_t l = 2 * i + 1, m = i;
    if (l < s->nheap && reader_before(s, s->heap[l], s->heap[m])) m = l;
    if (l + 1 < s->nheap && reader_before(s, s->heap[l + 1], s->heap[m])) m = l + 1;
    if (m == i) return;
    uint32_t t = s->heap[i];
    s->heap[i] = s->heap[m];
    s->heap[m] = t;
    i = m;
  }
}

/* (Re)starts the merge of every run from its first record. */
static int merge_start(VdbeSorter *s) {
  int rc = LODE_OK;
  if (!s->readers) {
    s->readers = util_zalloc((size_t)s->nruns * sizeof *s->readers);
    s->heap = util_malloc((size_t)s->nruns * sizeof *s->heap);
    if (!s->readers || !s->heap) return LODE_NOMEM;
    for (uint32_t i = 0; i < s->nruns; i++) {
      if (s->key.nkey > 0 && !(s->readers[i].keys = util_malloc((size_t)s->key.nkey * sizeof(Mem)))) return LODE_NOMEM;
    }
  }
  s->nheap = 0;
  for (uint32_t i = 0; i < s->nruns && rc == LODE_OK; i++) {
    RunReader *r = &s->readers[i];
    r->off = s->runs[i].start;
    r->end = s->runs[i].end;
    r->buf_len = 0;
    r->buf_off = 0;
    rc = reader_advance(s, r);
    if (rc == LODE_OK && r->rec) s->heap[s->nheap++] = i;
  }
  for (uint32_t i = s->nheap / 2; rc == LODE_OK && i-- > 0;) heap_down(s, i);
  return rc;
}

static int merge_next(VdbeSorter *s) {
  if (s->nheap == 0) return LODE_OK;
  RunReader *r = &s->readers[s->heap[0]];
  int rc = reader_advance(s, r);
  if (rc != LODE_OK) return rc;
  if (!r->rec) s->heap[0] = s->heap[--s->nheap];
  if (s->nheap) heap_down(s, 0);
  return LODE_OK;
}

int sorter_would_drop(const VdbeSorter *s, const Mem *key, int nkey) {
  int drop = sorter_cut_drops(&s->cut_real, key, nkey);
  if (drop >= 0) return drop;
  if (!s->has_cut || s->sorted || nkey < s->key.nkey || s->key.nkey == 0) return 0;
  /* Most rows are decided by a first key that is a number of the cut's type. */
  const Mem *a = &key[0], *b = &s->cut_keys[0];
  if (a->type == b->type && (a->type == MEM_INT || a->type == MEM_REAL)) {
    int c = a->type == MEM_INT ? (a->u.i < b->u.i ? -1 : a->u.i > b->u.i) : (a->u.r < b->u.r ? -1 : a->u.r > b->u.r);
    if (c) return (s->key.desc[0] ? -c : c) > 0;
  }
  return compare_keys(s, key, s->cut_keys, 0) >= 0;
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
  if (s->merging || (!s->sorted && s->nruns > 0)) {
    if (!s->merging && s->n > 0 && (rc = sorter_spill(s)) != LODE_OK) return rc;
    s->sorted = 1;
    s->cut_real.dir = 0;
    s->merging = 1;
    if ((rc = merge_start(s)) != LODE_OK) return rc;
    *empty = s->nheap == 0;
    return LODE_OK;
  }
  if (s->sorted || s->queue) {
    s->sorted = 1;
    s->cut_real.dir = 0;
    s->pos = 0;
    *empty = s->n == 0;
    return LODE_OK;
  }
  s->sorted = 1;
  s->cut_real.dir = 0;
  s->pos = 0;
  if (s->n == 0) return LODE_OK;
  if (s->key.nkey > 0 && (rc = sort_recs(s)) != LODE_OK) {
    s->sorted = 0;
    return rc;
  }
  *empty = 0;
  return LODE_OK;
}

/* A queue drops the records it has handed out (those before pos) once they
** are at least half of what it holds, so that it holds about twice the rows
** waiting in it rather than every row it ever had; copying the waiting ones
** costs O(1) a record over the queue's life. */
static int queue_compact(VdbeSorter *s) {
  uint64_t bytes = 0;
  memmove(s->recs, s->recs + s->pos, (size_t)(s->n - s->pos) * sizeof *s->recs);
  s->n -= s->pos;
  s->pos = 0;
  for (uint32_t i = 0; i < s->n; i++) bytes += s->recs[i].n + sizeof(SorterRec);
  s->mem_bytes = bytes;
  return compact_chunks(s);
}

int sorter_next(VdbeSorter *s, int *eof) {
  if (s->merging) {
    int rc = merge_next(s);
    *eof = s->nheap == 0;
    return rc;
  }
  if (!s->sorted || s->pos >= s->n) return *eof = 1, LODE_OK;
  s->pos++; /* a queue's n may have grown since the last call */
  *eof = s->pos >= s->n;
  if (s->queue && s->pos >= SORTER_QUEUE_COMPACT && s->pos >= s->n - s->pos) return queue_compact(s);
  return LODE_OK;
}

int sorter_keeps_records(const VdbeSorter *s) { return s->sorted && !s->merging && !s->queue; }

int sorter_current(VdbeSorter *s, const uint8_t **rec, uint32_t *n) {
  if (s->merging) {
    if (s->nheap == 0) return LODE_ERROR;
    const RunReader *r = &s->readers[s->heap[0]];
    *rec = r->rec;
    *n = r->n;
    return LODE_OK;
  }
  if (!s->sorted || s->pos >= s->n) return LODE_ERROR;
  const SorterRec *r = &s->recs[s->pos];
  *rec = r->p;
  *n = r->n;
  return LODE_OK;
}
