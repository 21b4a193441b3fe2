/*
** pcache.c — one pager's page cache, its page handles and the statement
** savepoint journal.
**
** Every cached page is a PgHdr allocated together with its extra bytes and
** its data, found through a U32Map keyed by page number.  A page is in one
** of three states:
**   referenced (nref > 0)          — pinned, in no list (unless dirty);
**   dirty                          — pinned until commit/rollback, on the
**                                    dirty list whatever its nref;
**   clean and unreferenced         — on the LRU list, evictable, oldest first.
** The budget (PRAGMA cache_size: pages, or -KiB counted as SQLite counts a
** page: its size plus PAGER_PAGE_OVERHEAD bytes) is enforced by evicting
** from the LRU head whenever a page is loaded or released, down to the last
** PAGER_KEEP_CLEAN clean pages when dirty or referenced pages fill it.  The cache is the
** connection's own (pagers sharing a file share no pages), so each
** connection's cache_size bounds its own pages.
**
** Spill: a write transaction that needs a page while its dirty and
** referenced pages alone fill the cache (every evictable page but the kept
** clean ones is dirty) writes its unreferenced dirty pages to the WAL as
** frames without a commit mark (wal_spill), which enters them in the
** wal-index hash tables past the published end (wal_spilled_frame finds
** them there), and drops them from the cache, keeping their
** allocations for the next pages loaded.  Those frames are past the
** published end of the WAL: readers and
** recovery ignore them; the commit appends the remaining dirty pages after
** them and publishes all (a page spilled twice has two frames, the newer
** wins); a rollback forgets them (and cached pages read from them) and the
** next writer overwrites the frames.  Savepoint pre-images are taken at
** pager_write as before, so ROLLBACK TO restores them as dirty pages, which
** supersede their spilled frames.
**
** A concurrent transaction (pager_begin_concurrent) does not own the WAL
** while it writes: it spills the same way into a temporary file of its own
** (Pager.tspilled: pgno → offset; pages encoded as the file's pages are, so
** an encrypted database's pages stay encrypted there).  When it commits
** with the write lock and an unchanged snapshot, those pages move to the
** WAL as spilled frames first (pcache_unspill_temp); when it rebases, they
** are forgotten with its other changes.
**
** Page sources, newest first: the cache, the page's spilled page (a writer
** only: its temporary file, then its WAL frame), the newest WAL frame of the page inside the reader's snapshot, the
** database file, zeros (past its end).
**
** A private memory database has no file behind its pages: its cache is the
** storage, every page stored once.  Its pages are never evicted (they never
** go on the LRU list, so no budget applies), a commit only marks the dirty
** pages clean (pager.c), and its rollback restores the pre-images of its
** journal: a savepoint of depth PAGER_JOURNAL_DEPTH that each write
** transaction begins below the others, sharing their pre-images.  So during
** its write transaction every page with pgno <= the journal's npages (the
** committed count) is cached, and each of them that is dirty or past the
** current end has its pre-image in the journal: pages cut off by a
** truncation stay cached until the transaction ends, so that neither
** rolling back nor growing again needs an allocation.  Restoring the
** journal therefore cannot fail, and a commit (whose only allocation is the
** pre-image of page 1) fails before it changes anything.
**
** Invariants: a dirty page has pgno <= npages unless pager_truncate or a
** savepoint rollback cut it off while referenced (commit skips it); savepoint
** k holds the pre-image of every page with pgno <= its npages written since
** it began; extra is zeroed whenever data is (re)loaded.
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pager/pager.h"
#include "pager/pager_int.h"
#include "util/util.h"

#define PAGER_MIN_CACHE_PAGES 10
/* What a cached page costs beyond its bytes when cache_size is given in
** KiB: SQLite's figure, so that -N KiB means the same number of pages. */
#define PAGER_PAGE_OVERHEAD 136
/* Clean pages kept past the budget when dirty or held pages fill it: the
** root and interior pages every seek walks would otherwise be dropped at
** each release and read again at the next seek (a memory database, whose
** write transactions cannot spill, or one too big for its cache).  At most
** 16, and an eighth of a small budget. */
#define PAGER_KEEP_CLEAN 16
static uint32_t keep_clean(int64_t budget) {
  return budget / 8 < PAGER_KEEP_CLEAN ? (uint32_t)(budget / 8) : PAGER_KEEP_CLEAN;
}

/* ---- page headers and lists ------------------------------------------------ */

static PgHdr *pg_hdr(DbPage *pg) { return (PgHdr *)pg; }

static size_t pager_extra_offset(void) { return (sizeof(PgHdr) + 15) & ~(size_t)15; }

/* Makes h (a fresh or recycled allocation) the header of pgno with zeroed
** extra bytes; its data is the caller's to fill. */
static PgHdr *page_init(Pager *p, PgHdr *h, uint32_t pgno) {
  size_t extra = pager_extra_offset();
  memset(h, 0, extra + PAGER_EXTRA_SIZE);
  h->pub.pgno = pgno;
  h->pub.extra = (uint8_t *)h + extra;
  h->pub.data = (uint8_t *)h + extra + PAGER_EXTRA_SIZE;
  h->pager = p;
  return h;
}

/* A page a spill dropped serves the next page loaded: a write transaction
** larger than the cache cycles the whole cache through its spills, and
** freeing those pages and allocating them again each time fragments the
** heap, so that resident memory grows well past the cache's budget.  The
** spare pages are freed when the transaction ends (spare_free). */
static void spare_free(Pager *p) {
  while (p->spare) {
    PgHdr *h = p->spare;
    p->spare = h->lru_next;
    util_free(h);
  }
}

/* Drops spare pages allocated for another page size than the file's now. */
static void spare_check_size(Pager *p) {
  if (p->spare && p->spare_page_size != p->sh->page_size) spare_free(p);
  p->spare_page_size = p->sh->page_size;
}

static PgHdr *page_alloc(Pager *p, uint32_t pgno) {
  spare_check_size(p);
  PgHdr *h = p->spare;
  if (h) p->spare = h->lru_next;
  else h = util_malloc(pager_extra_offset() + PAGER_EXTRA_SIZE + p->sh->page_size);
  return h ? page_init(p, h, pgno) : NULL;
}

static inline void lru_unlink(Pager *p, PgHdr *h) {
  if (h->lru_prev) h->lru_prev->lru_next = h->lru_next;
  else p->lru_head = h->lru_next;
  if (h->lru_next) h->lru_next->lru_prev = h->lru_prev;
  else p->lru_tail = h->lru_prev;
  h->lru_prev = h->lru_next = NULL;
  p->nlru--;
}

static void lru_append(Pager *p, PgHdr *h) {
  assert(h->nref == 0 && !h->dirty);
  h->lru_next = NULL;
  h->lru_prev = p->lru_tail;
  if (p->lru_tail) p->lru_tail->lru_next = h;
  else p->lru_head = h;
  p->lru_tail = h;
  p->nlru++;
}

static inline int in_lru(Pager *p, PgHdr *h) { return h->lru_prev || p->lru_head == h; }

static void dirty_link(Pager *p, PgHdr *h) {
  assert(!h->dirty);
  h->dirty = 1;
  h->dirty_prev = NULL;
  h->dirty_next = p->dirty_head;
  if (p->dirty_head) p->dirty_head->dirty_prev = h;
  p->dirty_head = h;
  p->ndirty++;
}

static void dirty_unlink(Pager *p, PgHdr *h) {
  assert(h->dirty);
  if (h->dirty_prev) h->dirty_prev->dirty_next = h->dirty_next;
  else p->dirty_head = h->dirty_next;
  if (h->dirty_next) h->dirty_next->dirty_prev = h->dirty_prev;
  h->dirty_prev = h->dirty_next = NULL;
  h->dirty = 0;
  p->ndirty--;
}

static inline PgHdr *cache_find(Pager *p, uint32_t pgno) {
  uint64_t v;
  return u32map_get(&p->cache, pgno, &v) ? (PgHdr *)(uintptr_t)v : NULL;
}

/* Removes a page that nobody references from the cache. */
static void cache_take(Pager *p, PgHdr *h) {
  assert(h->nref == 0);
  if (h->dirty) dirty_unlink(p, h);
  else if (in_lru(p, h)) lru_unlink(p, h);
  u32map_del(&p->cache, h->pub.pgno);
  p->ncached--;
}

/* Removes a page that nobody references from the cache and frees it. */
static void cache_drop(Pager *p, PgHdr *h) {
  cache_take(p, h);
  util_free(h);
}

static int64_t cache_budget(Pager *p);
static void images_trim(Pager *p);

/* A full cache's oldest evictable page, taken out of the cache for its
** allocation to serve the page about to be loaded; NULL when the cache has
** room or nothing to evict.  Saves a free and a malloc per cache miss. */
static PgHdr *cache_recycle(Pager *p) {
  int64_t budget = cache_budget(p);
  if ((int64_t)p->ncached < budget || p->nlru <= keep_clean(budget)) return NULL;
  PgHdr *h = p->lru_head;
  lru_unlink(p, h);
  u32map_del(&p->cache, h->pub.pgno);
  p->ncached--;
  return h;
}

/* A cache_size or cache_spill value (pages, or -KiB) in pages. */
static int64_t size_in_pages(const Pager *p, int64_t size) {
  if (size >= 0) return size;
  int64_t kib = size == INT64_MIN ? INT64_MAX : -size;
  int64_t per_page = (int64_t)p->sh->page_size + PAGER_PAGE_OVERHEAD;
  return kib > INT64_MAX / 1024 ? INT64_MAX / per_page : kib * 1024 / per_page;
}

static int64_t cache_budget(Pager *p) {
  if (p->budget_of != p->cache_size || p->budget_page_size != p->sh->page_size) {
    int64_t pages = size_in_pages(p, p->cache_size);
    p->budget = pages < PAGER_MIN_CACHE_PAGES ? PAGER_MIN_CACHE_PAGES : pages;
    p->budget_of = p->cache_size;
    p->budget_page_size = p->sh->page_size;
  }
  return p->budget;
}

void pcache_trim(Pager *p) {
  int64_t budget = cache_budget(p);
  if ((int64_t)p->ncached <= budget) return;
  uint32_t keep = keep_clean(budget);
  while ((int64_t)p->ncached > budget && p->nlru > keep) cache_drop(p, p->lru_head);
}

void pcache_drop_unreferenced(Pager *p) {
  while (p->lru_head) cache_drop(p, p->lru_head);
}

void pcache_free(Pager *p) {
  for (uint32_t i = 0; i < p->cache.cap; i++) {
    if (p->cache.slots[i].key) util_free((void *)(uintptr_t)p->cache.slots[i].value);
  }
  u32map_free(&p->cache);
  spare_free(p);
  images_trim(p); /* pager_close popped every savepoint */
  p->nspilled = 0;
  u32map_free(&p->tspilled);
  u32map_free(&p->touched);
  u32map_free(&p->written);
  p->ncached = p->ndirty = p->nlru = p->max_cached = 0;
  p->lru_head = p->lru_tail = p->dirty_head = NULL;
}

/* ---- reading pages ---------------------------------------------------------- */

static int page_read_locked(Pager *p, uint32_t pgno, uint8_t *data) {
  PagerShared *sh = p->sh;
  uint64_t spilled;
  uint32_t sframe;
  int rc;
  if (p->tspilled.count > 0 && u32map_get(&p->tspilled, pgno, &spilled)) {
    rc = os_read(p->ts_file, data, sh->page_size, (int64_t)spilled);
  } else if (p->nspilled > 0 && (sframe = wal_spilled_frame(sh->wal, pgno)) != 0) {
    rc = wal_read_spilled(sh->wal, sframe, data); /* encoded as every frame is */
  } else {
    uint32_t frame = p->txn == PAGER_TXN_NONE || !sh->key ? 0 : wal_find_frame(sh->wal, &p->snap, pgno);
    rc = frame ? wal_read_frame(sh->wal, &p->snap, frame, data)
               : os_read(sh->db, data, sh->page_size, (int64_t)(pgno - 1) * sh->page_size);
  }
  /* Past the end of the file a page reads as zeros (os_read zero-filled it);
  ** an encrypted page that is not all there cannot authenticate. */
  if (rc == LODE_IOERR_SHORT_READ) return sh->codec ? page_decode(sh->codec, pgno, data, sh->page_size) : LODE_OK;
  return rc == LODE_OK ? page_decode(sh->codec, pgno, data, sh->page_size) : rc;
}

/* A cache miss inside a transaction, without the mutex (ReadGate): 1 when
** the page was read (*rc its result), 0 when the mutex is needed (spilled
** pages, a memory mapping, a backend that serializes its reads, a change of
** the shared state in progress, a wal-index region not mapped yet). */
static int page_read_unlocked(Pager *p, uint32_t pgno, uint8_t *data, int *rc) {
  PagerShared *sh = p->sh;
  if (!sh->parallel_reads || p->txn == PAGER_TXN_NONE || p->tspilled.count > 0 || p->nspilled > 0) return 0;
  if (!read_gate_enter(&sh->gate, p->gate_stripe)) return 0;
  uint32_t ps = shared_get(&sh->page_size), frame = 0;
  int r = sh->mmap_limit > 0 ? -1 : wal_find_frame_mapped(sh->wal, &p->snap, pgno, &frame);
  if (r == 0) r = frame ? wal_read_frame_unlocked(sh->wal, &p->snap, frame, data)
                        : os_read(sh->db, data, ps, (int64_t)(pgno - 1) * ps);
  if (r == LODE_IOERR_SHORT_READ) r = sh->codec ? page_decode(sh->codec, pgno, data, ps) : LODE_OK;
  else if (r == LODE_OK) r = page_decode(sh->codec, pgno, data, ps);
  read_gate_leave(&sh->gate, p->gate_stripe);
  if (r == -1) return 0;
  *rc = r;
  return 1;
}

static int page_read(Pager *p, uint32_t pgno, uint8_t *data) {
  int rc;
  if (page_read_unlocked(p, pgno, data, &rc)) return rc;
  shared_lock(p->sh);
  if (p->txn == PAGER_TXN_NONE && p->sh->key) {
    /* Outside a transaction a page is read under a read lock of its own. */
    rc = pager_begin_read(p);
    if (rc == LODE_OK) {
      rc = page_read_locked(p, pgno, data);
      pager_end_read(p);
    }
  } else {
    rc = page_read_locked(p, pgno, data);
  }
  shared_unlock(p->sh);
  return rc;
}

/* Fills a cached page with its content as of the pager's snapshot (zeros
** past limit) and forgets the btree's state for it. */
static int page_reload(Pager *p, PgHdr *h, uint32_t limit) {
  memset(h->pub.extra, 0, PAGER_EXTRA_SIZE);
  if (h->pub.pgno > limit) {
    memset(h->pub.data, 0, p->sh->page_size);
    return LODE_OK;
  }
  return page_read(p, h->pub.pgno, h->pub.data);
}

static int cache_insert(Pager *p, PgHdr *h) {
  int rc = u32map_put(&p->cache, h->pub.pgno, (uint64_t)(uintptr_t)h);
  if (rc == LODE_OK) p->ncached++;
  if (h->pub.pgno > p->max_cached) p->max_cached = h->pub.pgno;
  return rc;
}

static int spill_pgno_cmp(const void *a, const void *b) {
  uint32_t x = ((const WalPage *)a)->pgno, y = ((const WalPage *)b)->pgno;
  return x < y ? -1 : x > y;
}

/* Whether the full cache of a write transaction spills (see the file comment). */
static int spill_wanted(Pager *p) {
  if (p->txn != PAGER_TXN_WRITE || !p->spill_on || !p->sh->key || p->ndirty == 0) return 0;
  int64_t budget = cache_budget(p), threshold = size_in_pages(p, p->spill_size);
  return (int64_t)(p->ncached - p->nlru) >= (threshold > budget ? threshold : budget);
}

/* A concurrent transaction's spill: the pages appended to its temporary
** file, encoded. */
static int spill_to_temp(Pager *p, const WalPage *v, uint32_t n) {
  uint32_t ps = p->sh->page_size;
  int rc = p->ts_file ? LODE_OK : os_open_temp("spill", &p->ts_file);
  uint8_t *enc = rc == LODE_OK ? util_malloc(ps) : NULL;
  if (rc == LODE_OK && !enc) rc = LODE_NOMEM;
  if (rc == LODE_OK) rc = u32map_reserve(&p->tspilled, n);
  for (uint32_t i = 0; rc == LODE_OK && i < n; i++) {
    rc = page_encode(p->sh->codec, v[i].pgno, v[i].data, enc, ps);
    if (rc == LODE_OK) rc = os_write(p->ts_file, enc, ps, p->ts_file_end + (int64_t)i * ps);
  }
  for (uint32_t i = 0; rc == LODE_OK && i < n; i++)
    (void)u32map_put(&p->tspilled, v[i].pgno, (uint64_t)(p->ts_file_end + (int64_t)i * ps)); /* reserved */
  if (rc == LODE_OK) p->ts_file_end += (int64_t)n * ps;
  util_free(enc);
  return rc;
}

int pcache_unspill_temp(Pager *p) {
  if (p->tspilled.count == 0) return LODE_OK;
  assert(!p->concurrent && p->sh->writer == p);
  enum { BATCH = 64 };
  uint32_t ps = p->sh->page_size;
  uint8_t *buf = util_malloc((size_t)ps * BATCH);
  WalPage v[BATCH];
  int rc = buf ? LODE_OK : LODE_NOMEM;
  uint32_t n = 0;
  for (uint32_t i = 0; rc == LODE_OK && i <= p->tspilled.cap; i++) {
    int last = i == p->tspilled.cap;
    if (!last) {
      uint32_t pgno = p->tspilled.slots[i].key;
      PgHdr *h = pgno ? cache_find(p, pgno) : NULL;
      /* A dirty cached copy is newer; a page past the end is gone. */
      if (!pgno || (h && h->dirty) || pgno > p->npages) continue;
      uint8_t *d = buf + (size_t)n * ps;
      rc = os_read(p->ts_file, d, ps, (int64_t)p->tspilled.slots[i].value);
      if (rc == LODE_OK) rc = page_decode(p->sh->codec, pgno, d, ps);
      if (rc != LODE_OK) break;
      v[n++] = (WalPage){pgno, d};
    }
    if (n > 0 && (n == BATCH || last)) {
      rc = wal_spill(p->sh->wal, &p->snap, v, n);
      if (rc == LODE_OK) p->nspilled += n;
      n = 0;
    }
  }
  util_free(buf);
  if (rc == LODE_OK) {
    u32map_clear(&p->tspilled);
    p->ts_file_end = 0;
  }
  return rc;
}

/* Writes the unreferenced dirty pages to the WAL (a concurrent transaction:
** to its temporary file) and drops them.  A spill that fails changes
** nothing: the cache grows past its budget instead, and the commit meets
** the error again if it persists. */
static void pcache_spill(Pager *p) {
  uint32_t n = 0;
  for (PgHdr *h = p->dirty_head; h; h = h->dirty_next) n += h->nref == 0 && h->pub.pgno <= p->npages;
  if (n == 0) return;
  WalPage *v = util_malloc(sizeof *v * n);
  if (!v) return;
  uint32_t k = 0;
  for (PgHdr *h = p->dirty_head; h; h = h->dirty_next)
    if (h->nref == 0 && h->pub.pgno <= p->npages) v[k++] = (WalPage){h->pub.pgno, h->pub.data};
  qsort(v, n, sizeof *v, spill_pgno_cmp);
  int rc;
  if (p->concurrent) {
    rc = spill_to_temp(p, v, n);
  } else {
    shared_lock(p->sh);
    rc = wal_spill(p->sh->wal, &p->snap, v, n);
    shared_unlock(p->sh);
  }
  if (rc == LODE_OK && !p->concurrent) p->nspilled += n;
  if (rc == LODE_OK) spare_check_size(p);
  for (uint32_t i = 0; rc == LODE_OK && i < n; i++) {
    PgHdr *h = cache_find(p, v[i].pgno);
    cache_take(p, h);
    h->lru_next = p->spare;
    p->spare = h;
  }
  util_free(v);
}

/* Returns the cached page or loads it; the result is referenced once more. */
/* A page not in the cache: loaded (or zeroed) into a recycled or new
** allocation.  Out of line so that the hit path stays small. */
__attribute__((noinline)) static int cache_load(Pager *p, uint32_t pgno, int load, PgHdr **out) {
  PgHdr *h = cache_recycle(p);
  if (h) {
    page_init(p, h, pgno);
  } else {
    pcache_trim(p);
    if (spill_wanted(p)) pcache_spill(p);
    h = page_alloc(p, pgno);
    if (!h) return LODE_NOMEM;
  }
  int rc = LODE_OK;
  if (load) rc = page_read(p, pgno, h->pub.data);
  else memset(h->pub.data, 0, p->sh->page_size);
  if (rc == LODE_OK) rc = cache_insert(p, h);
  if (rc != LODE_OK) {
    util_free(h);
    return rc;
  }
  h->nref = 1;
  *out = h;
  return LODE_OK;
}

/* A cached page taken by one more holder (off the LRU list). */
static inline void cache_hold(Pager *p, PgHdr *h) {
  if (in_lru(p, h)) lru_unlink(p, h);
  h->nref++;
}

static inline int cache_fetch(Pager *p, uint32_t pgno, int load, PgHdr **out) {
  PgHdr *h = cache_find(p, pgno);
  if (!h) return cache_load(p, pgno, load, out);
  cache_hold(p, h);
  *out = h;
  return LODE_OK;
}

/* Another pager committed: unreferenced pages go, held ones are re-read. */
int pcache_reload_all(Pager *p) {
  assert(p->ndirty == 0);
  pager_content_changed(p);
  if (p->memory) return LODE_OK; /* its one pager's cache is the database */
  pcache_drop_unreferenced(p);
  int rc = LODE_OK;
  for (uint32_t i = 0; i < p->cache.cap; i++) {
    PgHdr *h = p->cache.slots[i].key ? (PgHdr *)(uintptr_t)p->cache.slots[i].value : NULL;
    if (!h) continue;
    int rc2 = page_reload(p, h, p->npages);
    if (rc == LODE_OK) rc = rc2;
  }
  return rc;
}

/* Another pager committed a new version of page pgno: an unreferenced copy
** goes, a held one is read again. */
static int pcache_forget_stale(void *ctx, uint32_t pgno) {
  Pager *p = ctx;
  PgHdr *h = cache_find(p, pgno);
  if (!h) return LODE_OK;
  if (h->nref == 0) {
    cache_drop(p, h);
    return LODE_OK;
  }
  return page_reload(p, h, p->npages);
}

int pcache_reload_changed(Pager *p, uint32_t from, uint32_t to) {
  assert(p->ndirty == 0);
  pager_content_changed(p);
  pcache_cut(p, p->npages);
  int rc = wal_frame_pages(p->sh->wal, from, to, pcache_forget_stale, p);
  return rc == LODE_OK ? rc : pcache_reload_all(p);
}

/* ---- savepoint journal ------------------------------------------------------ */

/* A pre-image is taken once per write and shared by every savepoint that
** lacked the page at that moment (with nested savepoints the named ones and
** the statement's usually all do).  The first PAGER_SP_MEMORY bytes of a
** file database's pre-images live in memory, and all of a memory
** database's; past that (a statement or savepoint larger than the cache), a
** file database's pre-images go to an unlinked temporary file, append-only
** until no savepoint is left.  An image value is the address of its
** memory, or the file offset * 2 + 1 (addresses are even).
**
** Pre-images in memory are carved from chunks of about SP_CHUNK_BYTES (at
** least one image), so that a transaction rewriting many pages of a memory
** database allocates once per chunk rather than once per page.  Each image
** starts with a header: its reference count and its chunk, which counts its
** live images and is freed with the last of them, except the chunk being
** filled (Pager.sp_chunk), which starts over when it empties and is kept
** for the next images (until close or PRAGMA shrink_memory). */
#define SP_IMAGE_HEADER 16
#define SP_CHUNK_BYTES (64 * 1024)
#define PAGER_SP_MEMORY (64 * 1024)

struct ImageChunk {
  uint32_t live; /* images not yet released */
  uint32_t used; /* images carved so far */
  uint32_t cap;  /* images it has room for */
  uint32_t stride; /* bytes per image: its header and a page of the size it was made for */
};

typedef struct ImageHeader {
  uint32_t refs;
  uint32_t unused;
  ImageChunk *chunk;
} ImageHeader;

static int image_in_file(uint64_t image) { return (int)(image & 1); }
static ImageHeader *image_header(uint64_t image) { return (ImageHeader *)(uintptr_t)image; }
static uint8_t *image_bytes(uint64_t image) { return (uint8_t *)(uintptr_t)image + SP_IMAGE_HEADER; }

/* An image in memory that no savepoint holds any more. */
static void image_release(Pager *p, ImageHeader *image) {
  ImageChunk *c = image->chunk;
  p->sp_mem -= p->sh->page_size;
  assert(c->live > 0);
  if (--c->live > 0) return;
  if (c == p->sp_chunk) c->used = 0;
  else util_free(c);
}

static void image_unref(Pager *p, uint64_t image) {
  if (image_in_file(image)) return;
  ImageHeader *h = image_header(image);
  assert(h->refs > 0);
  if (--h->refs == 0) image_release(p, h);
}

/* Frees the chunk being filled when no image lives in it. */
static void images_trim(Pager *p) {
  if (p->sp_chunk && p->sp_chunk->live == 0) {
    util_free(p->sp_chunk);
    p->sp_chunk = NULL;
  }
}

static int image_new(Pager *p, const uint8_t *data, uint64_t *out) {
  uint32_t ps = p->sh->page_size;
  if (p->sh->key && p->sp_mem + ps > PAGER_SP_MEMORY) {
    int rc = p->sp_file ? LODE_OK : pager_open_temp(p, "stmt", &p->sp_file);
    if (rc == LODE_OK) rc = os_write(p->sp_file, data, ps, p->sp_file_end);
    if (rc != LODE_OK) return rc;
    *out = (uint64_t)p->sp_file_end << 1 | 1;
    p->sp_file_end += ps;
    return LODE_OK;
  }
  uint32_t stride = SP_IMAGE_HEADER + ps;
  ImageChunk *c = p->sp_chunk;
  /* A kept chunk may be of another page size (the database was empty since). */
  if (!c || c->used == c->cap || c->stride != stride) {
    uint32_t cap = SP_CHUNK_BYTES / stride > 1 ? SP_CHUNK_BYTES / stride : 1;
    c = util_malloc(sizeof *c + (size_t)stride * cap);
    if (!c) return LODE_NOMEM;
    c->live = c->used = 0;
    c->cap = cap;
    c->stride = stride;
    images_trim(p); /* a full chunk whose images all went */
    p->sp_chunk = c;
  }
  ImageHeader *image = (ImageHeader *)((uint8_t *)(c + 1) + (size_t)stride * c->used++);
  c->live++;
  image->refs = 0;
  image->chunk = c;
  memcpy((uint8_t *)image + SP_IMAGE_HEADER, data, ps);
  p->sp_mem += ps;
  *out = (uint64_t)(uintptr_t)image;
  return LODE_OK;
}

static int savepoints_save(Pager *p, int from, uint32_t pgno, const uint8_t *data) {
  uint64_t image = 0;
  for (int i = from; i < p->nsp; i++) {
    Savepoint *sp = &p->sp[i];
    if (pgno > sp->npages || u32map_get(&sp->images, pgno, NULL)) continue;
    if (!image) {
      int rc = image_new(p, data, &image);
      if (rc != LODE_OK) return rc;
    }
    if (u32map_put(&sp->images, pgno, image) != LODE_OK) {
      if (!image_in_file(image) && image_header(image)->refs == 0) image_release(p, image_header(image));
      return LODE_NOMEM;
    }
    if (!image_in_file(image)) image_header(image)->refs++;
  }
  return LODE_OK;
}

static void savepoint_free(Pager *p, Savepoint *sp) {
  for (uint32_t i = 0; i < sp->images.cap; i++) {
    if (sp->images.slots[i].key) image_unref(p, sp->images.slots[i].value);
  }
  u32map_free(&sp->images);
}

void pcache_savepoints_pop(Pager *p, int from) {
  if (p->nsp > from) p->sp_epoch++;
  while (p->nsp > from) savepoint_free(p, &p->sp[--p->nsp]);
  if (p->nsp == 0 && p->sp_file_end > 0) {
    /* No savepoint left: the file starts over (and gives its space back). */
    (void)os_truncate(p->sp_file, 0);
    p->sp_file_end = 0;
  }
}

/* ---- pages -------------------------------------------------------------------- */

void pager_set_cache_size(Pager *p, int64_t pages) {
  p->cache_size = pages;
  pcache_trim(p);
}

void pager_set_cache_spill(Pager *p, int on) { p->spill_on = on != 0; }
void pager_set_spill_size(Pager *p, int64_t size) { p->spill_size = size; }

int64_t pager_cache_spill(Pager *p) {
  if (!p->spill_on) return 0;
  int64_t spill = size_in_pages(p, p->spill_size), cache = size_in_pages(p, p->cache_size);
  return spill > cache ? spill : cache;
}

void pager_release_memory(Pager *p) {
  pcache_drop_unreferenced(p);
  images_trim(p);
}

/* The page just past the end, created by a writer: zeroed and dirty. */
/* ---- page tracing of a concurrent transaction (Pager.touched, .written) ------------- */

#define TRACE_KEEP_CAP 4096
#define TRACE_MAX_PASSES 8

static void trace_touch(Pager *p, uint32_t pgno) {
  if (u32map_get(&p->touched, pgno, NULL)) return;
  if (u32map_put(&p->touched, pgno, p->epoch) != LODE_OK) p->trace_lost = 1;
}

static void trace_write(Pager *p, uint32_t pgno) {
  uint64_t v, first = p->epoch;
  if (u32map_get(&p->written, pgno, &v)) {
    if ((uint32_t)v == p->epoch) return;
    first = v >> 32;
  }
  if (u32map_put(&p->written, pgno, first << 32 | p->epoch) != LODE_OK) p->trace_lost = 1;
}

void pcache_trace_reset(Pager *p) {
  /* The maps keep their room for the next transaction, unless a large one
  ** left them so big that clearing would cost more than growing again. */
  if (p->touched.cap > TRACE_KEEP_CAP) u32map_free(&p->touched);
  else u32map_clear(&p->touched);
  if (p->written.cap > TRACE_KEEP_CAP) u32map_free(&p->written);
  else u32map_clear(&p->written);
  p->tracing = p->trace_lost = 0;
  p->epoch = 0;
}

typedef struct KeepScan {
  Pager *p;
  uint32_t keep;
} KeepScan;

/* Whether page 1 of the new snapshot differs from the transaction's clean
** copy of the old one only in the fields the pager stamps at a commit (the
** change counter, the page count, version-valid-for and the release): the
** b-tree reads none of them, so a commit that only grew the file does not
** count as a change of page 1. */
static int page1_same_but_stamps(Pager *p) {
  PgHdr *h = cache_find(p, 1);
  uint32_t ps = shared_get(&p->sh->page_size);
  if (!h || h->dirty || ps < 100) return 0;
  uint8_t *now = util_malloc(ps);
  if (!now) return 0;
  int same = page_read(p, 1, now) == LODE_OK;
  static const uint32_t stamped[][2] = {{24, 32}, {92, 100}};
  uint32_t from = 0;
  for (int i = 0; same && i < 2; i++) {
    same = memcmp(h->pub.data + from, now + from, stamped[i][0] - from) == 0;
    from = stamped[i][1];
  }
  if (same) same = memcmp(h->pub.data + from, now + from, ps - from) == 0;
  util_free(now);
  return same;
}

static int keep_scan_page(void *ctx, uint32_t pgno) {
  KeepScan *k = ctx;
  uint64_t e;
  if (pgno == 1 && !u32map_get(&k->p->written, 1, NULL) && page1_same_but_stamps(k->p)) return LODE_OK;
  if (u32map_get(&k->p->touched, pgno, &e) && e < k->keep) k->keep = (uint32_t)e;
  if (u32map_get(&k->p->written, pgno, &e) && (e >> 32) < k->keep) k->keep = (uint32_t)(e >> 32);
  return LODE_OK;
}

int pcache_keep_epoch(Pager *p, uint32_t from, uint32_t to, uint32_t *keep) {
  KeepScan k = {p, p->epoch + 1};
  int rc = wal_frame_pages(p->sh->wal, from, to, keep_scan_page, &k);
  if (rc != LODE_OK) return rc;
  /* A page written on both sides of the line holds later changes too: the
  ** line moves before its first write, until no page straddles it (after a
  ** few passes it goes to 0: a long chain of such pages keeps little). */
  for (int moved = 1, pass = 0; moved && k.keep > 0; pass++) {
    if (pass == TRACE_MAX_PASSES) {
      k.keep = 0;
      break;
    }
    moved = 0;
    for (uint32_t i = 0; i < p->written.cap; i++) {
      if (!p->written.slots[i].key) continue;
      uint64_t v = p->written.slots[i].value;
      uint32_t first = (uint32_t)(v >> 32), last = (uint32_t)v;
      if (first < k.keep && last >= k.keep) {
        k.keep = first;
        moved = 1;
      }
    }
  }
  *keep = k.keep;
  return LODE_OK;
}

/* A page whose cached bytes are no longer to be trusted: dropped when
** unreferenced, else read again from the committed state. */
static int page_discard(Pager *p, PgHdr *h) {
  if (h->nref == 0) {
    cache_drop(p, h);
    return LODE_OK;
  }
  return page_reload(p, h, p->npages);
}

int pcache_rebase_keep(Pager *p, uint32_t from, uint32_t to, uint32_t keep) {
  int rc = LODE_OK;
  pager_content_changed(p);
  PgHdr *next;
  for (PgHdr *h = p->dirty_head; h; h = next) {
    next = h->dirty_next;
    uint64_t v = 0;
    if (u32map_get(&p->written, h->pub.pgno, &v) && (uint32_t)v < keep) continue;
    dirty_unlink(p, h);
    int rc2 = page_discard(p, h);
    if (rc == LODE_OK) rc = rc2;
  }
  if (rc == LODE_OK) rc = wal_frame_pages(p->sh->wal, from, to, pcache_forget_stale, p);
  return rc;
}

static int pager_get_new(Pager *p, uint32_t pgno, DbPage **out) {
  PgHdr *h = cache_find(p, pgno);
  if (h) {
    /* A copy left from before a truncation: it reads as a new page. */
    cache_hold(p, h);
    memset(h->pub.data, 0, p->sh->page_size);
    memset(h->pub.extra, 0, PAGER_EXTRA_SIZE);
  } else {
    int rc = cache_load(p, pgno, 0, &h); /* zeroed, extra bytes too */
    if (rc != LODE_OK) return rc;
  }
  if (!h->dirty) dirty_link(p, h);
  if (p->tracing) trace_write(p, pgno);
  p->npages = pgno;
  *out = &h->pub;
  return LODE_OK;
}

/* pager_get beyond its common case (see there). */
__attribute__((noinline)) static int pager_get_slow(Pager *p, uint32_t pgno, DbPage **out) {
  *out = NULL;
  if (pgno == 0) return LODE_CORRUPT;
  if (p->txn == PAGER_TXN_NONE) {
    /* No snapshot: read the latest commit, like an implicit read transaction. */
    int rc = pager_begin_read(p);
    pager_end_read(p);
    if (rc != LODE_OK) return rc;
  }
  if (p->tracing) trace_touch(p, pgno);
  if (pgno > p->npages) {
    if (p->txn == PAGER_TXN_WRITE && pgno == p->npages + 1 && pgno != UINT32_MAX) return pager_get_new(p, pgno, out);
    return LODE_CORRUPT;
  }
  PgHdr *h;
  int rc = cache_fetch(p, pgno, 1, &h);
  if (rc != LODE_OK) return rc;
  *out = &h->pub;
  return LODE_OK;
}

int pager_get(Pager *p, uint32_t pgno, DbPage **out) {
  /* A cached page of the open snapshot (nearly every fetch of a descent),
  ** taken without a call, so that this stays a leaf function; the rest
  ** (no snapshot yet, tracing, new pages, cache misses) goes the long way. */
  if (pgno != 0 && p->txn != PAGER_TXN_NONE && !p->tracing && pgno <= p->npages) {
    PgHdr *h = cache_find(p, pgno);
    if (h) {
      cache_hold(p, h);
      *out = &h->pub;
      return LODE_OK;
    }
  }
  return pager_get_slow(p, pgno, out);
}

/* Bytes [off, off + n) of page pgno, not in the cache, as page_read reads
** them, for a page that needs no decoding: straight from where it is (the
** transaction's spill, the WAL frame, the database file) into buf. */
static int range_read(Pager *p, uint32_t pgno, uint32_t off, uint32_t n, uint8_t *buf) {
  PagerShared *sh = p->sh;
  uint32_t ps, frame = 0, sframe;
  uint64_t spilled;
  int rc;
  if (sh->parallel_reads && p->tspilled.count == 0 && p->nspilled == 0 &&
      read_gate_enter(&sh->gate, p->gate_stripe)) {
    ps = shared_get(&sh->page_size);
    rc = sh->mmap_limit > 0 ? -1 : wal_find_frame_mapped(sh->wal, &p->snap, pgno, &frame);
    if (rc == 0)
      rc = frame ? wal_read_frame_part_unlocked(sh->wal, &p->snap, frame, off, n, buf)
                 : os_read(sh->db, buf, n, (int64_t)(pgno - 1) * ps + off);
    read_gate_leave(&sh->gate, p->gate_stripe);
    if (rc != -1) return rc == LODE_IOERR_SHORT_READ ? LODE_OK : rc; /* past the file's end: zeros */
  }
  shared_lock(sh);
  ps = sh->page_size;
  if (p->tspilled.count > 0 && u32map_get(&p->tspilled, pgno, &spilled)) {
    rc = os_read(p->ts_file, buf, n, (int64_t)spilled + off);
  } else if (p->nspilled > 0 && (sframe = wal_spilled_frame(sh->wal, pgno)) != 0) {
    rc = wal_read_spilled_part(sh->wal, sframe, off, n, buf);
  } else {
    frame = sh->key ? wal_find_frame(sh->wal, &p->snap, pgno) : 0;
    rc = frame ? wal_read_frame_part(sh->wal, &p->snap, frame, off, n, buf)
               : os_read(sh->db, buf, n, (int64_t)(pgno - 1) * ps + off);
  }
  shared_unlock(sh);
  return rc == LODE_IOERR_SHORT_READ ? LODE_OK : rc;
}

int pager_read_range(Pager *p, uint32_t pgno, uint32_t off, uint32_t n, uint8_t *buf) {
  DbPage *pg;
  int rc;
  assert(off <= p->sh->page_size && n <= p->sh->page_size - off);
  if (pgno != 0 && p->txn != PAGER_TXN_NONE && !p->tracing && pgno <= p->npages) {
    PgHdr *h = cache_find(p, pgno);
    if (h) {
      memcpy(buf, h->pub.data + off, n);
      return LODE_OK;
    }
    if (!p->sh->codec) return range_read(p, pgno, off, n, buf);
  }
  rc = pager_get(p, pgno, &pg);
  if (rc != LODE_OK) return rc;
  memcpy(buf, pg->data + off, n);
  pager_unref(pg);
  return LODE_OK;
}

/* __builtin_prefetch's temporal locality for pager_prefetch: 1, the
** outermost caches (x86: prefetcht2). */
#define PAGER_PREFETCH_LOCALITY 1

void pager_prefetch(Pager *p, uint32_t pgno, uint32_t from) {
#ifdef __EMSCRIPTEN__
  /* wasm has no prefetch instruction: the lookup would be all the cost */
  (void)p;
  (void)pgno;
  (void)from;
#else
  if (p->txn == PAGER_TXN_NONE || pgno == 0 || pgno > p->npages) return;
  PgHdr *h = cache_find(p, pgno);
  if (!h) return;
  const char *d = (const char *)h->pub.data, *end = d + p->sh->page_size;
  from &= ~511u;
  if (from > 0 && from < p->sh->page_size) {
    __builtin_prefetch(d, 0, PAGER_PREFETCH_LOCALITY);
    d += from;
  }
  /* Eight lines a turn: a page size is a multiple of 512, and the loop's own
  ** count and compare would otherwise cost as much as the prefetches.  Into
  ** the outer caches only (low temporal locality): a page's 64 lines asked
  ** into the first-level cache, three pages ahead, made a scan of 3 KB rows
  ** out of cache slower than no prefetch at all (5.4 against 6.7 GB/s of
  ** rows, CPU time); into the outer levels it ran at 8 GB/s. */
  for (; d < end; d += 512) {
    __builtin_prefetch(d, 0, PAGER_PREFETCH_LOCALITY);
    __builtin_prefetch(d + 64, 0, PAGER_PREFETCH_LOCALITY);
    __builtin_prefetch(d + 128, 0, PAGER_PREFETCH_LOCALITY);
    __builtin_prefetch(d + 192, 0, PAGER_PREFETCH_LOCALITY);
    __builtin_prefetch(d + 256, 0, PAGER_PREFETCH_LOCALITY);
    __builtin_prefetch(d + 320, 0, PAGER_PREFETCH_LOCALITY);
    __builtin_prefetch(d + 384, 0, PAGER_PREFETCH_LOCALITY);
    __builtin_prefetch(d + 448, 0, PAGER_PREFETCH_LOCALITY);
  }
#endif
}

int pager_page_refs(Pager *p, uint32_t pgno) {
  PgHdr *h = pgno ? cache_find(p, pgno) : NULL;
  return h ? h->nref : 0;
}

void pager_unref(DbPage *pg) {
  if (!pg) return;
  PgHdr *h = pg_hdr(pg);
  Pager *p = h->pager;
  assert(h->nref > 0);
  if (--h->nref > 0 || h->dirty || p->memory) return; /* a memory database's pages are never evicted */
  lru_append(p, h);
  pcache_trim(p);
}

/* Whether every savepoint from sp[from] on that needs h's pre-image has it:
** none needs one, or the last save was in this savepoint epoch from as low. */
static inline int sp_saved_from(const Pager *p, const PgHdr *h, int from) {
  return p->nsp <= from || ((h->sp_saved >> 1) == p->sp_epoch && (int)(h->sp_saved & 1) <= from);
}

/* pager_write past its fast case: the pre-images the savepoints still need,
** the trace, the dirty list.  Out of line, so that a write of a page already
** dirty and saved (most writes: an index's leaf takes one per entry) pushes
** no registers. */
__attribute__((noinline)) static int pager_write_slow(Pager *p, PgHdr *h, int from) {
  if (!sp_saved_from(p, h, from)) {
    int rc = savepoints_save(p, from, h->pub.pgno, h->pub.data);
    if (rc != LODE_OK) return rc;
    h->sp_saved = p->sp_epoch << 1 | (uint64_t)from;
  }
  if (p->tracing) trace_write(p, h->pub.pgno);
  if (!h->dirty) dirty_link(p, h);
  return LODE_OK;
}

int pager_write(DbPage *pg) {
  PgHdr *h = pg_hdr(pg);
  Pager *p = h->pager;
  assert(h->nref > 0);
  if (p->readonly) return LODE_READONLY;
  if (p->txn != PAGER_TXN_WRITE) return LODE_MISUSE;
  uint64_t gen = ++p->content_gen;
  if (pg->pgno == 1) p->header_gen = gen; /* other pages leave pager_header_gen as it was */
  /* The journal of a memory database holds the pre-image of each dirty
  ** page already (see the file comment): only the savepoints above it ask. */
  int from = p->memory && h->dirty;
  if (h->dirty && !p->tracing && sp_saved_from(p, h, from)) return LODE_OK;
  return pager_write_slow(p, h, from);
}

/* Whether this write transaction changed the page: dirty in the cache, or
** written out by a spill (its cached copy, if any, is then clean). */
int pcache_page_changed(Pager *p, uint32_t pgno) {
  uint64_t v;
  PgHdr *h = cache_find(p, pgno);
  if (h && h->dirty) return 1;
  if (p->tspilled.count > 0 && u32map_get(&p->tspilled, pgno, &v)) return 1;
  return p->nspilled > 0 && wal_spilled_frame(p->sh->wal, pgno) != 0;
}

/* Cached pages past the new end: unreferenced ones go; referenced ones stay
** until their holder lets go (commit skips them). */
void pcache_cut(Pager *p, uint32_t npages) {
  /* A memory database keeps its committed pages until the transaction ends. */
  if (p->memory && p->txn == PAGER_TXN_WRITE && npages < p->snap_npages) npages = p->snap_npages;
  if (p->max_cached <= npages) return; /* the common case: nothing to scan */
  uint32_t max = 0;
  for (uint32_t i = 0; i < p->cache.cap;) {
    U32MapSlot *s = &p->cache.slots[i];
    PgHdr *h = s->key ? (PgHdr *)(uintptr_t)s->value : NULL;
    if (h && h->pub.pgno > npages && h->nref == 0) {
      cache_drop(p, h); /* backward shift may move another key into slot i */
      continue;
    }
    if (h && h->pub.pgno > max) max = h->pub.pgno;
    i++;
  }
  p->max_cached = max;
}

/* Journals, for every savepoint, each page the truncation cuts off. */
static int savepoints_save_range(Pager *p, uint32_t from, uint32_t to) {
  /* Only pages a savepoint began with can need it: the walk stops at the
  ** largest of their sizes, not at a page count far past them. */
  uint32_t last = 0;
  for (int i = 0; i < p->nsp; i++)
    if (p->sp[i].npages > last) last = p->sp[i].npages;
  if (to > last) to = last;
  for (uint32_t pgno = from; pgno <= to && pgno != 0; pgno++) {
    int needed = 0;
    for (int i = 0; i < p->nsp; i++) needed |= pgno <= p->sp[i].npages && !u32map_get(&p->sp[i].images, pgno, NULL);
    if (!needed) continue;
    PgHdr *h;
    int rc = cache_fetch(p, pgno, 1, &h);
    if (rc == LODE_OK) rc = savepoints_save(p, 0, pgno, h->pub.data);
    if (rc == LODE_OK) pager_unref(&h->pub);
    if (rc != LODE_OK) return rc;
  }
  return LODE_OK;
}

int pager_truncate(Pager *p, uint32_t npages) {
  if (p->txn != PAGER_TXN_WRITE) return p->readonly ? LODE_READONLY : LODE_MISUSE;
  if (npages >= p->npages) return LODE_OK;
  pager_content_changed(p);
  int rc = savepoints_save_range(p, npages + 1, p->npages);
  if (rc != LODE_OK) return rc;
  pcache_cut(p, npages);
  p->npages = npages;
  return LODE_OK;
}

/* After commit or rollback: no dirty pages; pages past the end vanish. */
void pcache_settle(Pager *p) {
  while (p->dirty_head) {
    PgHdr *h = p->dirty_head;
    dirty_unlink(p, h);
    if (h->nref == 0 && !p->memory) lru_append(p, h);
  }
  pcache_cut(p, p->npages);
  pcache_savepoints_pop(p, 0);
  p->nspilled = 0;
  spare_free(p);
  pcache_trim(p);
}

int pcache_rollback_dirty(Pager *p) {
  pager_content_changed(p);
  if (p->memory) {
    /* Its journal holds every pre-image (see the file comment). */
    assert(p->nsp > 0 && p->sp[0].depth == PAGER_JOURNAL_DEPTH);
    return pager_savepoint_rollback(p, PAGER_JOURNAL_DEPTH);
  }
  int rc = LODE_OK;
  /* Clean pages read back from spilled pages hold uncommitted bytes (the
  ** WAL forgets its spilled frames when the write ends, after this). */
  U32Map tspilled = p->tspilled;
  u32map_init(&p->tspilled);
  uint32_t nframes = p->nspilled > 0 ? wal_spilled_count(p->sh->wal) : 0;
  p->nspilled = 0;
  for (uint32_t i = 0; i < tspilled.cap + nframes; i++) {
    uint32_t pgno = i < tspilled.cap ? tspilled.slots[i].key : wal_spilled_page(p->sh->wal, i - tspilled.cap);
    PgHdr *h = pgno ? cache_find(p, pgno) : NULL;
    if (!h || h->dirty) continue;
    int rc2 = page_discard(p, h);
    if (rc == LODE_OK) rc = rc2;
  }
  u32map_free(&tspilled);
  if (p->ts_file_end > 0) {
    (void)os_truncate(p->ts_file, 0); /* its space back */
    p->ts_file_end = 0;
  }
  while (p->dirty_head) {
    PgHdr *h = p->dirty_head;
    dirty_unlink(p, h);
    int rc2 = page_discard(p, h);
    if (rc == LODE_OK) rc = rc2;
  }
  return rc;
}

/* ---- savepoints ----------------------------------------------------------------- */

int pager_savepoint_begin(Pager *p, int depth) {
  if (p->txn != PAGER_TXN_WRITE) return LODE_MISUSE;
  int keep = 0;
  while (keep < p->nsp && p->sp[keep].depth < depth) keep++;
  pcache_savepoints_pop(p, keep);
  if (p->nsp == p->sp_cap) {
    int cap = p->sp_cap ? p->sp_cap * 2 : 4;
    Savepoint *sp = util_realloc(p->sp, sizeof *sp * (size_t)cap);
    if (!sp) return LODE_NOMEM;
    p->sp = sp;
    p->sp_cap = cap;
  }
  Savepoint *sp = &p->sp[p->nsp++];
  p->sp_epoch++;
  pager_trace_mark(p);
  sp->depth = depth;
  sp->npages = p->npages;
  u32map_init(&sp->images);
  return LODE_OK;
}

int pcache_journal_begin(Pager *p) {
  assert(p->memory && p->nsp == 0);
  if (p->sp_cap == 0) {
    p->sp = util_malloc(sizeof *p->sp * 4);
    if (!p->sp) return LODE_NOMEM;
    p->sp_cap = 4;
  }
  Savepoint *sp = &p->sp[p->nsp++];
  p->sp_epoch++;
  sp->depth = PAGER_JOURNAL_DEPTH;
  sp->npages = p->npages;
  u32map_init(&sp->images);
  return LODE_OK;
}

static int savepoint_index(Pager *p, int depth) {
  int i = 0;
  while (i < p->nsp && p->sp[i].depth < depth) i++;
  return i;
}

int pager_savepoint_release(Pager *p, int depth) {
  pcache_savepoints_pop(p, savepoint_index(p, depth));
  return LODE_OK;
}

/* Puts a pre-image back into the cache as a dirty page. */
static int savepoint_restore_page(Pager *p, uint32_t pgno, uint64_t image) {
  PgHdr *h;
  int rc = cache_fetch(p, pgno, 0, &h);
  if (rc != LODE_OK) return rc;
  if (image_in_file(image)) {
    rc = os_read(p->sp_file, h->pub.data, p->sh->page_size, (int64_t)(image >> 1));
    if (rc != LODE_OK) {
      /* A clean page gets its own content back; the rollback failed. */
      if (!h->dirty) (void)page_reload(p, h, p->npages);
      pager_unref(&h->pub);
      return rc == LODE_IOERR_SHORT_READ ? LODE_CORRUPT : rc;
    }
  } else {
    memcpy(h->pub.data, image_bytes(image), p->sh->page_size);
  }
  memset(h->pub.extra, 0, PAGER_EXTRA_SIZE);
  if (!h->dirty) dirty_link(p, h);
  pager_unref(&h->pub);
  return LODE_OK;
}

/* Pages the statement created past the savepoint's end disappear; one still
** referenced stays dirty (commit skips it, rollback reloads it). */
static void savepoint_cut(Pager *p, uint32_t npages) {
  for (PgHdr *h = p->dirty_head, *next; h; h = next) {
    next = h->dirty_next;
    if (h->pub.pgno <= npages) continue;
    if (h->nref == 0) {
      if (!p->memory || h->pub.pgno > p->snap_npages) cache_drop(p, h);
      continue;
    }
    memset(h->pub.data, 0, p->sh->page_size);
    memset(h->pub.extra, 0, PAGER_EXTRA_SIZE);
  }
  pcache_cut(p, npages);
}

int pager_savepoint_rollback(Pager *p, int depth) {
  int i = savepoint_index(p, depth);
  if (i >= p->nsp) return LODE_OK;
  pager_content_changed(p);
  pcache_savepoints_pop(p, i + 1);
  Savepoint *sp = &p->sp[i];
  p->npages = sp->npages;
  savepoint_cut(p, sp->npages);
  int rc = LODE_OK;
  for (uint32_t k = 0; k < sp->images.cap && rc == LODE_OK; k++) {
    U32MapSlot *s = &sp->images.slots[k];
    if (s->key) rc = savepoint_restore_page(p, s->key, s->value);
  }
  /* The savepoint stays open, empty again: its state is the current one. */
  p->sp_epoch++;
  savepoint_free(p, sp);
  u32map_init(&sp->images);
  return rc;
}
