/*
** wal_index.c — the wal-index primitives (layout: wal_int.h): the shared
** memory regions, the lock slots with this process's count of holders, the
** checksummed header copies and the hash tables mapping a page to its
** frames.  The protocol built from them (who takes which lock when) is
** wal.c's.
**
** fcntl locks belong to the process, so the connections of this process
** share one Wal and count their locks here (shared holders, exclusive
** holder per slot): the OS is asked only when the process's own state of a
** slot changes (wal.c lets readers share a read mark the process holds for
** the same reason).  The write lock may stay locked at the OS with no
** holder in the process (kept), handed from one writer of the process to
** the next that is already waiting for it (pager.c decides, and releases it
** when no one is left waiting); taking a kept slot costs no OS call, and
** taking it the other way changes the OS lock in one.  Invariants: a slot is held exclusively by at most one
** connection of the process and then by no shared holder; a kept slot has
** no holder; w->regions[i] stays mapped until wal_close or wal_to_heap.
*/
#include <assert.h>
#include <string.h>

#include "pager/wal_int.h"
#include "util/util.h"

int wal_host_big_endian(void) {
  const uint16_t one = 1;
  return *(const uint8_t *)&one == 0;
}

static uint32_t wal_get_word(const uint8_t *p, int big_endian) {
  if (big_endian) return util_get4(p);
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint32_t native_word(const uint8_t *p) {
  uint32_t x;
  memcpy(&x, p, sizeof x);
  return x;
}

/* The checksum is linear over 32-bit words (arithmetic mod 2^32).  One pair
** of words (x0, x1) takes the sums (s0, s1) to
**     s0' = s0 + s1 + x0,   s1' = s0 + 2*s1 + x0 + x1,
** that is s' = A*s + (x0, x0 + x1) with A = [1 1; 1 2].  Run from zero over
** L pairs, a stretch of the input gives some c; run from s, A^L*s + c.  So
** the stretches of a frame can be summed apart, side by side, and joined:
** the one long chain of dependent additions (about two cycles a word) becomes
** four short ones, each in a lane of a vector. */
typedef struct {
  uint32_t a, b, c, d; /* [a b; c d] */
} CkMatrix;

static CkMatrix ck_mul(CkMatrix x, CkMatrix y) {
  return (CkMatrix){x.a * y.a + x.b * y.c, x.a * y.b + x.b * y.d, x.c * y.a + x.d * y.c, x.c * y.b + x.d * y.d};
}

/* A^(2^k) mod 2^32, k = 0..15 (A squared k times): a page's quarter is
** 2^4..2^11 pairs, so a page's join needs no multiplication of matrices. */
static const CkMatrix ck_pow2[16] = {
    {1u, 1u, 1u, 2u},
    {2u, 3u, 3u, 5u},
    {13u, 21u, 21u, 34u},
    {610u, 987u, 987u, 1597u},
    {1346269u, 2178309u, 2178309u, 3524578u},
    {3350226146u, 1640636603u, 1640636603u, 695895453u},
    {2613878813u, 2933861061u, 2933861061u, 1252772578u},
    {112688866u, 2723753019u, 2723753019u, 2836441885u},
    {2997458205u, 3791684037u, 3791684037u, 2494174946u},
    {2699880162u, 722393659u, 722393659u, 3422273821u},
    {1801939229u, 1033887173u, 1033887173u, 2835826402u},
    {458393314u, 1501401659u, 1501401659u, 1959794973u},
    {2197731613u, 3183300037u, 3183300037u, 1086064354u},
    {501810914u, 3434639931u, 3434639931u, 3936450845u},
    {727447837u, 3627224517u, 3627224517u, 59705058u},
    {3091400418u, 832827963u, 832827963u, 3924228381u},
};

/* A^pairs: from the table, else by squaring */
static CkMatrix ck_power(size_t pairs) {
  CkMatrix r = {1, 0, 0, 1}, a = ck_pow2[0];
  if (pairs && (pairs & (pairs - 1)) == 0 && pairs < (size_t)1 << 16) return ck_pow2[__builtin_ctzll(pairs)];
  for (; pairs; pairs >>= 1) {
    if (pairs & 1) r = ck_mul(r, a);
    a = ck_mul(a, a);
  }
  return r;
}

/* s = A^L*s + c, for each stretch's sums c in turn */
static void ck_join(uint32_t s[2], CkMatrix m, const uint32_t c0[4], const uint32_t c1[4]) {
  for (int q = 0; q < 4; q++) {
    uint32_t t0 = m.a * s[0] + m.b * s[1] + c0[q];
    uint32_t t1 = m.c * s[0] + m.d * s[1] + c1[q];
    s[0] = t0;
    s[1] = t1;
  }
}

#if defined(__SSE2__)
#include <emmintrin.h>

/* n a multiple of 64: four quarters, each in a lane; 16 bytes of each a turn,
** transposed so that one vector holds the same word of the four quarters. */
static void ck_native4(const uint8_t *p, size_t n, uint32_t s[2]) {
  const size_t quarter = n / 4;
  __m128i s0 = _mm_setzero_si128(), s1 = _mm_setzero_si128();
  for (size_t i = 0; i < quarter; i += 16) {
    __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
    __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + quarter + i));
    __m128i c = _mm_loadu_si128((const __m128i *)(const void *)(p + 2 * quarter + i));
    __m128i d = _mm_loadu_si128((const __m128i *)(const void *)(p + 3 * quarter + i));
    __m128i ab_lo = _mm_unpacklo_epi32(a, b), ab_hi = _mm_unpackhi_epi32(a, b); /* a0 b0 a1 b1 | a2 b2 a3 b3 */
    __m128i cd_lo = _mm_unpacklo_epi32(c, d), cd_hi = _mm_unpackhi_epi32(c, d);
    __m128i w0 = _mm_unpacklo_epi64(ab_lo, cd_lo), w1 = _mm_unpackhi_epi64(ab_lo, cd_lo);
    __m128i w2 = _mm_unpacklo_epi64(ab_hi, cd_hi), w3 = _mm_unpackhi_epi64(ab_hi, cd_hi);
    s0 = _mm_add_epi32(_mm_add_epi32(s0, w0), s1);
    s1 = _mm_add_epi32(_mm_add_epi32(s1, w1), s0);
    s0 = _mm_add_epi32(_mm_add_epi32(s0, w2), s1);
    s1 = _mm_add_epi32(_mm_add_epi32(s1, w3), s0);
  }
  uint32_t c0[4], c1[4];
  _mm_storeu_si128((__m128i *)(void *)c0, s0);
  _mm_storeu_si128((__m128i *)(void *)c1, s1);
  ck_join(s, ck_power(quarter / 8), c0, c1);
}
#else
/* the same four chains in plain C, for the compiler to interleave */
static void ck_native4(const uint8_t *p, size_t n, uint32_t s[2]) {
  const size_t quarter = n / 4;
  uint32_t c0[4] = {0}, c1[4] = {0};
  for (size_t i = 0; i < quarter; i += 8)
    for (int q = 0; q < 4; q++) {
      c0[q] += native_word(p + q * quarter + i) + c1[q];
      c1[q] += native_word(p + q * quarter + i + 4) + c0[q];
    }
  ck_join(s, ck_power(quarter / 8), c0, c1);
}
#endif

/* SQLite's WAL checksum, continuing from s[]; n is a multiple of 8.  Words
** in the host's own order load directly: this is the WAL's hot loop (every
** frame's page, under the WAL write lock). */
void wal_checksum(int big_endian, const uint8_t *p, size_t n, uint32_t s[2]) {
  assert(n % 8 == 0);
  if (big_endian == wal_host_big_endian() && n >= 256 && n % 64 == 0) {
    ck_native4(p, n, s);
    return;
  }
  uint32_t s0 = s[0], s1 = s[1];
  if (big_endian == wal_host_big_endian()) {
    for (size_t i = 0; i < n; i += 8) {
      s0 += native_word(p + i) + s1;
      s1 += native_word(p + i + 4) + s0;
    }
  } else {
    for (size_t i = 0; i < n; i += 8) {
      s0 += wal_get_word(p + i, big_endian) + s1;
      s1 += wal_get_word(p + i + 4, big_endian) + s0;
    }
  }
  s[0] = s0;
  s[1] = s1;
}

/* Sleeps the attempt-th pause of SQLite's default busy handler; returns its ms. */
int wal_pause(int attempt) {
  static const int pauses[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
  const int n = (int)(sizeof pauses / sizeof pauses[0]);
  int ms = pauses[attempt < n ? attempt : n - 1];
  os_sleep_ms(ms);
  return ms;
}

/* ---- shared memory and its locks ------------------------------------------- */

/* Region i of the wal-index, or NULL (*out) when it does not exist and
** extend is not set. */
int wal_region(Wal *w, int i, int extend, volatile uint8_t **out) {
  *out = NULL;
  if (i < w->nregions && w->regions[i]) {
    *out = w->regions[i];
    return LODE_OK;
  }
  void *p = NULL;
  int rc = LODE_OK;
  if (!w->heap) {
    rc = os_shm_map(w->db, i, extend, &p);
    if (rc == LODE_OK) w->shm_open = 1;
    if ((rc & 0xff) == LODE_CANTOPEN && w->readonly) {
      /* A read-only connection that cannot open the -shm keeps a private
      ** wal-index, as before there was a -shm: it sees its own snapshot. */
      w->heap = 1;
      rc = LODE_OK;
    }
  }
  if (w->heap && rc == LODE_OK) {
    if (extend || i == 0) p = util_zalloc(OS_SHM_REGION);
    if (!p && (extend || i == 0)) rc = LODE_NOMEM;
  }
  if (rc != LODE_OK) return rc;
  /* Page reads outside the mutex walk the table (wal_find_frame_mapped). */
  read_gate_close(w->gate);
  if (i >= w->nregions) {
    volatile uint8_t **grown = util_realloc((void *)w->regions, sizeof *grown * (size_t)(i + 1));
    if (!grown) {
      read_gate_open(w->gate);
      if (w->heap) util_free(p);
      return LODE_NOMEM;
    }
    for (int k = w->nregions; k <= i; k++) grown[k] = NULL;
    w->regions = grown;
    w->nregions = i + 1;
  }
  w->regions[i] = p;
  read_gate_open(w->gate);
  *out = p;
  return LODE_OK;
}

void wal_barrier(Wal *w) {
  if (w->heap) os_shm_barrier_full(NULL); /* a heap wal-index: only the memory barrier */
  else os_shm_barrier(w->db);
}

static void wal_os_unlock(Wal *w, int s) {
  w->kept[s] = 0;
  if (!w->heap) os_shm_lock(w->db, s, 1, OS_SHM_UNLOCK);
}

void wal_unlock(Wal *w, int slot, int n, int excl) {
  for (int s = slot; s < slot + n; s++) {
    if (excl) {
      assert(w->excl[s]);
      w->excl[s] = 0;
    } else {
      assert(w->shared[s] > 0);
      if (--w->shared[s] > 0) continue;
    }
    wal_os_unlock(w, s);
  }
}

void wal_unlock_keep(Wal *w, int slot) {
  assert(w->excl[slot]);
  if (w->heap) {
    wal_unlock(w, slot, 1, 1);
    return;
  }
  w->excl[slot] = 0;
  w->kept[slot] = OS_SHM_EXCLUSIVE;
}

void wal_release_kept(Wal *w, int slot) {
  if (w->kept[slot]) wal_os_unlock(w, slot);
}

int wal_lock_downgrade(Wal *w, int slot) {
  assert(w->excl[slot] && w->shared[slot] == 0);
  int rc = w->heap ? LODE_OK : os_shm_lock(w->db, slot, 1, OS_SHM_SHARED);
  if (rc != LODE_OK) return rc; /* still held exclusive */
  w->excl[slot] = 0;
  w->shared[slot] = 1;
  return LODE_OK;
}

/* Does a connection of this process hold a conflicting lock? */
static int wal_held_here(const Wal *w, int slot, int n, int excl) {
  for (int s = slot; s < slot + n; s++)
    if (w->excl[s] || (excl && w->shared[s] > 0)) return 1;
  return 0;
}

/* Takes slots slot..slot+n-1 shared or exclusive without waiting. */
int wal_lock(Wal *w, int slot, int n, int excl) {
  if (wal_held_here(w, slot, n, excl)) return LODE_BUSY;
  if (!w->heap && !w->shm_open) {
    /* The lock slots live in the shared memory: open it first. */
    volatile uint8_t *r0;
    int rc = wal_region(w, 0, 0, &r0);
    if (rc != LODE_OK) return rc;
  }
  for (int s = slot; s < slot + n; s++) {
    if (!excl && w->shared[s] > 0) {
      w->shared[s]++;
      continue;
    }
    int want = excl ? OS_SHM_EXCLUSIVE : OS_SHM_SHARED;
    /* A kept slot is the process's already: the OS is asked only to change its kind. */
    int rc = w->heap || w->kept[s] == want ? LODE_OK : os_shm_lock(w->db, s, 1, want);
    if (rc != LODE_OK) {
      /* A failed change leaves the OS lock as it was: a kept slot stays kept. */
      wal_unlock(w, slot, s - slot, excl);
      return rc;
    }
    w->kept[s] = 0;
    if (excl) w->excl[s] = 1;
    else w->shared[s] = 1;
  }
  return LODE_OK;
}

/* wal_lock, retried with pauses for up to busy_ms while another process
** holds the slots (a holder in this process cannot let go meanwhile: the
** caller holds the file's mutex). */
int wal_lock_wait(Wal *w, int slot, int n, int excl, int busy_ms) {
  int waited = 0;
  for (int i = 0;; i++) {
    int rc = wal_lock(w, slot, n, excl);
    if (rc != LODE_BUSY || waited >= busy_ms || wal_held_here(w, slot, n, excl)) return rc;
    waited += wal_pause(i);
  }
}

volatile WalCkptInfo *wal_ckpt_info(volatile uint8_t *r0) {
  return (volatile WalCkptInfo *)(r0 + 2 * sizeof(WalIndexHdr));
}

/* Copies of a header to and from the shared memory, as whole as memcpy makes
** them: another process may change it meanwhile, and a torn copy is what
** the two copies and the checksum are there to catch (the barriers around
** order the copies; volatile, byte by byte, cost ~600 instructions a copy
** on every commit and read). */
static void shm_read(void *dst, const volatile uint8_t *src, size_t n) {
  memcpy(dst, (const void *)(uintptr_t)src, n);
}

static void shm_write(volatile uint8_t *dst, const void *src, size_t n) {
  memcpy((void *)(uintptr_t)dst, src, n);
}

static void wal_hdr_cksum(const WalIndexHdr *h, uint32_t out[2]) {
  out[0] = out[1] = 0;
  wal_checksum(wal_host_big_endian(), (const uint8_t *)h, offsetof(WalIndexHdr, cksum), out);
}

/* Reads the header; 1 when both copies agree and verify. */
int wal_read_hdr(Wal *w, WalIndexHdr *out) {
  volatile uint8_t *r0;
  if (wal_region(w, 0, 0, &r0) != LODE_OK || !r0) return 0;
  WalIndexHdr h2;
  shm_read(out, r0, sizeof *out);
  wal_barrier(w);
  shm_read(&h2, r0 + sizeof h2, sizeof h2);
  if (memcmp(out, &h2, sizeof h2) != 0 || !out->is_init) return 0;
  uint32_t c[2];
  wal_hdr_cksum(out, c);
  return c[0] == out->cksum[0] && c[1] == out->cksum[1];
}

/* Publishes h (region 0 exists): copy 2, barrier, copy 1. */
void wal_write_hdr(Wal *w, WalIndexHdr *h) {
  volatile uint8_t *r0 = w->regions[0];
  h->is_init = 1;
  h->version = WAL_INDEX_VERSION;
  wal_hdr_cksum(h, h->cksum);
  shm_write(r0 + sizeof *h, h, sizeof *h);
  wal_barrier(w);
  shm_write(r0, h, sizeof *h);
}

/* Is the shm's first header copy still h? */
int wal_hdr_unchanged(Wal *w, const WalIndexHdr *h) {
  WalIndexHdr now;
  wal_barrier(w);
  shm_read(&now, w->regions[0], sizeof now);
  return memcmp(&now, h, sizeof now) == 0;
}

/* ---- hash tables ---------------------------------------------------------- */

uint32_t wal_block_of(uint32_t frame) {
  return (frame + WAL_HASH_NPAGE - WAL_HASH_NPAGE_ONE - 1) / WAL_HASH_NPAGE;
}

int wal_block(Wal *w, uint32_t b, int extend, WalBlock *out) {
  volatile uint8_t *r;
  int rc = wal_region(w, (int)b, extend, &r);
  memset(out, 0, sizeof *out);
  if (rc != LODE_OK) return rc;
  if (!r) return LODE_CORRUPT; /* the header promised frames the index lacks */
  out->slots = (volatile uint16_t *)(r + WAL_HASH_NPAGE * sizeof(uint32_t));
  if (b == 0) {
    out->pgnos = (volatile uint32_t *)(r + WAL_SHM_HEADER);
    out->zero = 0;
    out->nframes = WAL_HASH_NPAGE_ONE;
  } else {
    out->pgnos = (volatile uint32_t *)r;
    out->zero = WAL_HASH_NPAGE_ONE + (b - 1) * WAL_HASH_NPAGE;
    out->nframes = WAL_HASH_NPAGE;
  }
  return LODE_OK;
}

static uint32_t wal_hash(uint32_t pgno) { return (pgno * WAL_HASH_MUL) & (WAL_HASH_NSLOT - 1); }

/* The hash tables are read without the mutex (wal_find_frame_mapped) while a
** writer of this process adds to them: every store here, and those reads,
** are relaxed atomics.  A reader only trusts entries of frames up to its
** snapshot, which were complete before it took that snapshot. */
static inline void hash_set_slot(const WalBlock *b, uint32_t k, uint16_t v) {
  __atomic_store_n(&b->slots[k], v, __ATOMIC_RELAXED);
}
static inline void hash_set_pgno(const WalBlock *b, uint32_t k, uint32_t v) {
  __atomic_store_n(&b->pgnos[k], v, __ATOMIC_RELAXED);
}
static inline uint16_t hash_slot(const WalBlock *b, uint32_t k) { return __atomic_load_n(&b->slots[k], __ATOMIC_RELAXED); }
static inline uint32_t hash_pgno(const WalBlock *b, uint32_t k) { return __atomic_load_n(&b->pgnos[k], __ATOMIC_RELAXED); }

/* Forgets every entry of the block holding frame mx + 1 that is past mx:
** the remains of a writer that did not finish. */
/* Zeroes a block's whole hash table and page list a word at a time (its
** first frame, or a recovery that keeps none of it): no reader can be
** looking at a block then, and a store per entry cost ~90k instructions,
** paid at every open of a database whose last connection closed.  0 when
** the arrays are not word-aligned (the caller then stores entry by entry). */
static int hash_zero_block(const WalBlock *b) {
  if (((uintptr_t)b->pgnos & 7) != 0 || ((uintptr_t)b->slots & 7) != 0) return 0;
  volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)b->pgnos;
  size_t n = b->nframes / 2;
  for (size_t i = 0; i < n; i++) __atomic_store_n(&p[i], 0, __ATOMIC_RELAXED);
  for (uint32_t k = (uint32_t)n * 2; k < b->nframes; k++) hash_set_pgno(b, k, 0);
  volatile uint64_t *q = (volatile uint64_t *)(uintptr_t)b->slots;
  for (size_t i = 0; i < WAL_HASH_NSLOT / 4; i++) __atomic_store_n(&q[i], 0, __ATOMIC_RELAXED);
  return 1;
}

int wal_cleanup_hash(Wal *w, uint32_t mx) {
  WalBlock b;
  int rc = wal_block(w, wal_block_of(mx + 1), 1, &b);
  if (rc != LODE_OK) return rc;
  uint32_t limit = mx - b.zero;
  if (limit == 0 && hash_zero_block(&b)) return LODE_OK;
  for (uint32_t k = 0; k < WAL_HASH_NSLOT; k++)
    if (b.slots[k] > limit) hash_set_slot(&b, k, 0);
  for (uint32_t k = limit; k < b.nframes; k++) hash_set_pgno(&b, k, 0);
  return LODE_OK;
}

/* Records frame f as a frame of page pgno. */
int wal_index_append(Wal *w, uint32_t f, uint32_t pgno) {
  WalBlock b;
  int rc = wal_block(w, wal_block_of(f), 1, &b);
  if (rc != LODE_OK) return rc;
  uint32_t idx = f - b.zero;
  if (idx == 1) {
    /* A block's first frame: whatever it held belongs to an older WAL. */
    if (!hash_zero_block(&b)) {
      for (uint32_t k = 0; k < b.nframes; k++) hash_set_pgno(&b, k, 0);
      for (uint32_t k = 0; k < WAL_HASH_NSLOT; k++) hash_set_slot(&b, k, 0);
    }
  } else if (b.pgnos[idx - 1] != 0) {
    rc = wal_cleanup_hash(w, f - 1);
    if (rc != LODE_OK) return rc;
  }
  uint32_t k = wal_hash(pgno);
  for (uint32_t n = 0; b.slots[k] != 0; k = (k + 1) & (WAL_HASH_NSLOT - 1))
    if (++n >= WAL_HASH_NSLOT) return LODE_CORRUPT;
  hash_set_pgno(&b, idx - 1, pgno);
  hash_set_slot(&b, k, (uint16_t)idx);
  return LODE_OK;
}

int wal_frame_pages(Wal *w, uint32_t from, uint32_t to, int (*fn)(void *ctx, uint32_t pgno), void *ctx) {
  for (uint32_t f = from + 1; f <= to;) {
    WalBlock b;
    int rc = wal_block(w, wal_block_of(f), 0, &b);
    if (rc != LODE_OK) return rc;
    for (; f <= to && f - b.zero <= b.nframes; f++) {
      uint32_t pgno = b.pgnos[f - b.zero - 1];
      if (pgno == 0) return LODE_CORRUPT;
      if ((rc = fn(ctx, pgno)) != LODE_OK) return rc;
    }
  }
  return LODE_OK;
}

/* The newest frame of pgno in the snapshot within block b (0: none). */
static uint32_t wal_block_find(const WalBlock *b, uint32_t mx, uint32_t pgno) {
  uint32_t limit = mx - b->zero < b->nframes ? mx - b->zero : b->nframes;
  uint32_t best = 0, n = 0, v;
  for (uint32_t k = wal_hash(pgno); (v = hash_slot(b, k)) != 0; k = (k + 1) & (WAL_HASH_NSLOT - 1)) {
    if (v <= limit && v > best && hash_pgno(b, v - 1) == pgno) best = v;
    if (++n >= WAL_HASH_NSLOT) break;
  }
  return best ? best + b->zero : 0;
}

uint32_t wal_find_frame(Wal *w, const WalSnap *s, uint32_t pgno) {
  return s->use_wal ? wal_find_frame_after(w, 0, s->hdr.mx_frame, pgno) : 0;
}

uint32_t wal_find_frame_after(Wal *w, uint32_t lo, uint32_t hi, uint32_t pgno) {
  if (hi <= lo) return 0;
  for (int64_t bi = wal_block_of(hi); bi >= (int64_t)wal_block_of(lo + 1); bi--) {
    WalBlock b;
    if (wal_block(w, (uint32_t)bi, 0, &b) != LODE_OK) return 0;
    /* The newest frame up to hi: when it is lo or older, so is every frame
    ** of the page in the blocks before. */
    uint32_t f = wal_block_find(&b, hi, pgno);
    if (f) return f > lo ? f : 0;
  }
  return 0;
}

int wal_find_frame_mapped(Wal *w, const WalSnap *s, uint32_t pgno, uint32_t *frame) {
  uint32_t mx = s->hdr.mx_frame;
  *frame = 0;
  if (!s->use_wal || mx == 0) return 0;
  for (int64_t bi = wal_block_of(mx); bi >= 0; bi--) {
    if (bi >= w->nregions || !w->regions[bi]) return -1;
    WalBlock b;
    if (wal_block(w, (uint32_t)bi, 0, &b) != LODE_OK) return -1; /* cannot fail on a mapped region */
    if ((*frame = wal_block_find(&b, mx, pgno)) != 0) return 0;
  }
  return 0;
}

int wal_to_heap(Wal *w) {
  if (w->heap) return LODE_OK;
  for (int i = 0; i < OS_SHM_NLOCK; i++) {
    assert(w->shared[i] == 0 && !w->excl[i]);
    wal_release_kept(w, i);
  }
  volatile uint8_t *r = NULL;
  int rc = LODE_OK;
  for (int i = 0; rc == LODE_OK; i++) {
    rc = wal_region(w, i, 0, &r);
    if (!r) break;
  }
  void **copies = rc == LODE_OK ? util_zalloc(sizeof(void *) * (size_t)(w->nregions + 1)) : NULL;
  if (rc == LODE_OK && !copies) rc = LODE_NOMEM;
  for (int i = 0; rc == LODE_OK && i < w->nregions; i++) {
    copies[i] = util_malloc(OS_SHM_REGION);
    if (!copies[i]) rc = LODE_NOMEM;
    else if (w->regions[i]) shm_read(copies[i], w->regions[i], OS_SHM_REGION);
    else memset(copies[i], 0, OS_SHM_REGION);
  }
  if (rc != LODE_OK) {
    for (int i = 0; copies && i < w->nregions; i++) util_free(copies[i]);
    util_free(copies);
    return rc;
  }
  rc = os_shm_unmap(w->db, 1);
  read_gate_close(w->gate);
  for (int i = 0; i < w->nregions; i++) w->regions[i] = copies[i];
  util_free(copies);
  w->heap = 1;
  w->shm_open = 0;
  read_gate_open(w->gate);
  return rc;
}
int wal_is_heap(Wal *w) { return w->heap; }
