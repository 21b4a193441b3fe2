/*
** vdbe_filter.c — Bloom filters in registers (OP_FilterInit, OP_FilterAdd,
** OP_Filter): a set of keys that answers "certainly absent" or "maybe
** present", so that a join's inner lookup (or an IN set's) is skipped for a
** key that no entry can equal.
**
** The filter is a blob owned by its register:
**
**     BloomHeader { nwords, count, cap }  then  uint64_t payload[cap]
**
** Collecting (nwords == 0): payload[0..count) holds the keys' 64-bit
** hashes, growing as FilterAdd brings them.  At the first test (or once
** FILTER_COLLECT_MAX hashes are held) the filter is sealed: it becomes
** nwords 64-bit words, about 8 bits per key (a power of two of words,
** between FILTER_MIN_WORDS and FILTER_MAX_WORDS), and each hash sets
** FILTER_BITS bits of the one word it picks, so a test reads one word.  The
** filter is thus sized from the keys actually added, and its memory is
** bounded whatever the table's size: past the largest size more keys only
** make "maybe" more frequent.
**
** Keys hash as they compare (KeyInfo's collations): numbers by their value
** as a double (1 and 1.0, and an integer and the double a comparison rounds
** it to, hash alike), text under BINARY by its bytes, under NOCASE with
** ASCII letters folded, under RTRIM without trailing spaces, under an
** application-defined collation all alike (nothing is known of its
** equalities), blobs by their bytes, NULL as a value of its own (an IS
** lookup finds NULL entries).  Equal keys thus always hash alike: a test
** never answers "absent" for a key that was added or compares equal to one.
*/
#include <string.h>

#include "vdbe/vdbe_internal.h"

typedef struct BloomHeader {
  uint64_t nwords; /* sealed: words of bits; 0 while collecting hashes */
  uint64_t count;  /* collecting: hashes held */
  uint64_t cap;    /* payload words allocated */
} BloomHeader;

#define FILTER_MIN_WORDS 64             /* 512 bytes */
#define FILTER_MAX_WORDS (1u << 20)     /* 8 MiB */
#define FILTER_COLLECT_MAX (1u << 20)   /* hashes held before sealing at the largest size (8 MiB) */
#define FILTER_BITS 3                   /* bits set per key, in one word */

static uint64_t mix64(uint64_t h) { /* a 64-bit finaliser: every input bit reaches every output bit */
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

/* fold: as NOCASE compares, ASCII letters folded and nothing past a zero
** byte but the length. */
static uint64_t hash_bytes(uint64_t h, const uint8_t *z, int n, int fold) {
  for (int i = 0; i < n; i++) {
    uint8_t c = z[i];
    if (fold && c == 0) return (h ^ (uint64_t)n) * 0x100000001b3ull;
    if (fold && c >= 'A' && c <= 'Z') c = (uint8_t)(c + ('a' - 'A'));
    h = (h ^ c) * 0x100000001b3ull; /* FNV-1a */
  }
  return h;
}

static uint64_t hash_value(const Mem *m, int coll) {
  switch (m->type) {
  case MEM_INT:
  case MEM_REAL: {
    double d = m->type == MEM_INT ? (double)m->u.i : m->u.r;
    if (d == 0) d = 0; /* -0.0 equals 0 */
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return mix64(bits ^ 0x6e756d);
  }
  case MEM_TEXT: {
    int n = m->n;
    if (coll >= COLL_USER_FIRST) return 0x74657874ull; /* its equalities are unknown */
    if (coll == COLL_RTRIM)
      while (n > 0 && m->z[n - 1] == ' ') n--;
    return hash_bytes(0xcbf29ce484222325ull, (const uint8_t *)m->z, n, coll == COLL_NOCASE);
  }
  case MEM_BLOB: return hash_bytes(0x84222325cbf29ce4ull, (const uint8_t *)m->z, m->n, 0);
  default: return 0x6e756c6cull;
  }
}

/* The hash of key[0..k->nkey), each field under its collation. */
static uint64_t key_hash(const Mem *key, const KeyInfo *k) {
  uint64_t h = 0;
  for (int i = 0; i < k->nkey; i++) h = mix64(h * 31 + hash_value(&key[i], k->coll[i]));
  return h;
}

static BloomHeader *header_of(Mem *f) {
  if (f->type != MEM_BLOB || f->owner != MEM_DYN || f->n < (int)sizeof(BloomHeader)) return NULL;
  return (BloomHeader *)(void *)f->z;
}

static uint64_t *payload_of(BloomHeader *b) { return (uint64_t *)(void *)(b + 1); }

static int replace_blob(Mem *f, BloomHeader *b, uint64_t words) {
  size_t size = sizeof(BloomHeader) + (size_t)words * sizeof(uint64_t);
  mem_release(f);
  f->type = MEM_BLOB;
  f->owner = MEM_DYN;
  f->z = (char *)b;
  f->n = (int)size;
  return LODE_OK;
}

int vdbe_filter_init(Mem *f) {
  uint64_t cap = FILTER_MIN_WORDS;
  BloomHeader *b = util_malloc(sizeof(BloomHeader) + cap * sizeof(uint64_t));
  if (!b) return LODE_NOMEM;
  b->nwords = 0;
  b->count = 0;
  b->cap = cap;
  return replace_blob(f, b, cap);
}

static void set_bits(uint64_t *words, uint64_t nwords, uint64_t h) {
  uint64_t w = h & (nwords - 1), mask = 0;
  for (int i = 0; i < FILTER_BITS; i++) mask |= (uint64_t)1 << ((h >> (40 + 6 * i)) & 63);
  words[w] |= mask;
}

static int has_bits(const uint64_t *words, uint64_t nwords, uint64_t h) {
  uint64_t w = h & (nwords - 1), mask = 0;
  for (int i = 0; i < FILTER_BITS; i++) mask |= (uint64_t)1 << ((h >> (40 + 6 * i)) & 63);
  return (words[w] & mask) == mask;
}

/* From the hashes held to the bits: about 8 bits per key. */
static int seal(Mem *f, BloomHeader *b) {
  uint64_t nwords = FILTER_MIN_WORDS;
  while (nwords < FILTER_MAX_WORDS && nwords * 8 < b->count) nwords <<= 1;
  BloomHeader *s = util_zalloc(sizeof(BloomHeader) + nwords * sizeof(uint64_t));
  if (!s) return LODE_NOMEM;
  s->nwords = nwords;
  s->cap = nwords;
  const uint64_t *hashes = payload_of(b);
  for (uint64_t i = 0; i < b->count; i++) set_bits(payload_of(s), nwords, hashes[i]);
  return replace_blob(f, s, nwords);
}

int vdbe_filter_add(Mem *f, const Mem *key, const KeyInfo *k) {
  BloomHeader *b = header_of(f);
  if (!b) return LODE_INTERNAL;
  uint64_t h = key_hash(key, k);
  if (b->nwords) {
    set_bits(payload_of(b), b->nwords, h);
    return LODE_OK;
  }
  if (b->count == b->cap) {
    if (b->count >= FILTER_COLLECT_MAX) {
      int rc = seal(f, b);
      if (rc != LODE_OK) return rc;
      b = header_of(f);
      set_bits(payload_of(b), b->nwords, h);
      return LODE_OK;
    }
    uint64_t cap = b->cap * 2;
    BloomHeader *g = util_realloc(b, sizeof(BloomHeader) + cap * sizeof(uint64_t));
    if (!g) return LODE_NOMEM;
    g->cap = cap;
    f->z = (char *)g;
    f->n = (int)(sizeof(BloomHeader) + cap * sizeof(uint64_t));
    b = g;
  }
  payload_of(b)[b->count++] = h;
  return LODE_OK;
}

int vdbe_filter_test(Mem *f, const Mem *key, const KeyInfo *k, int *maybe) {
  BloomHeader *b = header_of(f);
  *maybe = 1;
  if (!b) return LODE_OK; /* no filter (not built on this path): every key may be present */
  if (!b->nwords) {
    int rc = seal(f, b);
    if (rc != LODE_OK) return rc;
    b = header_of(f);
  }
  *maybe = has_bits(payload_of(b), b->nwords, key_hash(key, k));
  return LODE_OK;
}
