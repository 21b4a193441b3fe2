/*
** pager_int.h — private to engine/src/pager: the page-number map shared by
** the page cache, the wal-index and the savepoint journal, and the WAL
** module's interface to pager.c.  Nothing outside pager/ includes this.
**
** WAL file layout (SQLite's, all integers big-endian):
**   header, 32 bytes:
**     0 magic 0x377f0682 (checksum words little-endian) or 0x377f0683 (big)
**     4 format version 3007000     8 page size     12 checkpoint sequence
**    16 salt-1   20 salt-2         24 checksum-1   28 checksum-2 (of bytes 0..23)
**   then frames, each a 24-byte header followed by one page:
**     0 page number   4 database size in pages after a commit frame, else 0
**     8 salt-1       12 salt-2 (copies of the header's, else the frame is stale)
**    16 checksum-1   20 checksum-2: cumulative over the previous checksum,
**       the first 8 bytes of this frame header and the page
**   Checksum over 32-bit words x[0..n): s0 += x[i] + s1; s1 += x[i+1] + s0.
**
** Invariants of the WAL as the wal-index header describes it: every frame
** in 1..mx_frame carries the header's salts and a verifying checksum, and
** the last of them is a commit frame; the hash tables of the wal-index
** (wal.c) hold every frame <= mx_frame; frame_cksum is the running checksum
** after frame mx_frame.
*/
#ifndef LODE_PAGER_INT_H
#define LODE_PAGER_INT_H

#include <stdint.h>
#include <string.h>

#include "crypto/crypto.h"
#include "os/os.h"
#include "pager/pager.h"

/* ---- U32Map: page number (non-zero) → 64-bit value, open addressing ------- */
typedef struct U32MapSlot {
  uint32_t key; /* 0 = empty */
  uint64_t value;
} U32MapSlot;

typedef struct U32Map {
  U32MapSlot *slots;
  uint32_t cap; /* power of two, or 0 */
  uint32_t count;
} U32Map;

void u32map_init(U32Map *m);
void u32map_free(U32Map *m);
void u32map_clear(U32Map *m);
static inline uint32_t u32map_hash(uint32_t key) {
  return key * 2654435761u; /* Fibonacci hashing spreads sequential pgnos */
}
/* 1 when found.  Inline: every page fetch is one lookup. */
static inline int u32map_get(const U32Map *m, uint32_t key, uint64_t *value) {
  uint32_t i, mask = m->cap - 1;
  if (m->cap == 0) return 0;
  for (i = u32map_hash(key) & mask; m->slots[i].key != 0; i = (i + 1) & mask) {
    if (m->slots[i].key == key) {
      if (value) *value = m->slots[i].value;
      return 1;
    }
  }
  return 0;
}
int u32map_put(U32Map *m, uint32_t key, uint64_t value);        /* LODE_OK / LODE_NOMEM */
void u32map_del(U32Map *m, uint32_t key);
/* Makes room for extra more keys so that the next puts cannot fail. */
int u32map_reserve(U32Map *m, uint32_t extra);

/* ---- the read gate: cache misses without the file's mutex --------------------
** A cache miss inside a transaction reads its page without the PagerShared
** mutex (a wal-index lookup and a pread: pcache.c) while nothing such a read
** uses changes.  What it uses is changed rarely and always under the mutex
** (the wal-index's region table and mappings, the WAL and database handles,
** the codec, the mmap limit, the WAL's page size): each change closes the
** gate, which waits for the reads in flight to end, and opens it after; a
** read that finds the gate closed takes the mutex instead.  Readers count
** themselves in stripes (a pager always uses its own) so that threads do not
** share one cache line; the counts and the closed flag are sequentially
** consistent, so either a reader sees the gate closed or the closer sees the
** reader. */
#define READ_GATE_STRIPES 8
typedef struct ReadGate {
  struct {
    int n;
    char pad[60];
  } inflight[READ_GATE_STRIPES];
  int closed; /* nesting count of closers (all under the mutex) */
} ReadGate;

/* 1 when the gate is open (leave it with read_gate_leave), 0 when not. */
static inline int read_gate_enter(ReadGate *g, unsigned stripe) {
  __atomic_fetch_add(&g->inflight[stripe].n, 1, __ATOMIC_SEQ_CST);
  if (__atomic_load_n(&g->closed, __ATOMIC_SEQ_CST) == 0) return 1;
  __atomic_fetch_sub(&g->inflight[stripe].n, 1, __ATOMIC_RELEASE);
  return 0;
}
static inline void read_gate_leave(ReadGate *g, unsigned stripe) {
  __atomic_fetch_sub(&g->inflight[stripe].n, 1, __ATOMIC_RELEASE);
}
/* Under the mutex: waits until no read is in flight; NULL does nothing. */
void read_gate_close(ReadGate *g);
void read_gate_open(ReadGate *g);

/* ---- WAL ------------------------------------------------------------------ */
#define WAL_HEADER_SIZE 32
#define WAL_FRAME_HEADER_SIZE 24
#define WAL_MAGIC_LE 0x377f0682u
#define WAL_MAGIC_BE 0x377f0683u
#define WAL_FORMAT_VERSION 3007000u

typedef struct Wal Wal;

/* The wal-index header, SQLite's WalIndexHdr: 48 bytes, integers in the
** host's byte order, kept twice at the start of the -shm (offsets 0 and 48).
**    0 version 3007000     4 unused     8 change counter (+1 per commit)
**   12 is_init (1 once written)  13 big_endian (the WAL's checksum order)
**   14 page size as (size & 0xff00) | (size >> 16), so 65536 is 1
**   16 mx_frame: frames of the last commit    20 npage: database pages then
**   24 frame_cksum: the WAL's running checksum after frame mx_frame
**   32 salt: bytes 16..23 of the WAL header as they are in the file
**   40 cksum: checksum (host order) of bytes 0..39 */
typedef struct WalIndexHdr {
  uint32_t version;
  uint32_t unused;
  uint32_t change;
  uint8_t is_init;
  uint8_t big_endian;
  uint16_t page_size;
  uint32_t mx_frame;
  uint32_t npage;
  uint32_t frame_cksum[2];
  uint8_t salt[8];
  uint32_t cksum[2];
} WalIndexHdr;

/* One pager's view of the WAL: the read lock it holds and the header it
** read under that lock (its snapshot).  read_lock 0 means the snapshot's
** frames were all in the database file when it began: pages are read from
** the database file alone, unless this pager appended frames since (use_wal). */
typedef struct WalSnap {
  int read_lock; /* WAL read-lock slot held, 0..4; -1 none */
  int use_wal;   /* frames are looked up in the wal-index */
  WalIndexHdr hdr;
} WalSnap;

/* A page handed to wal_append: its number and page_size bytes. */
typedef struct WalPage {
  uint32_t pgno;
  const uint8_t *data;
} WalPage;

/* Prepares the WAL "<db>-wal" (opened at its first use inside a transaction,
** created at the first append); the wal-index lives in db's shared memory
** ("<db>-shm"), or in this process's heap when heap is set or the -shm
** cannot be opened by a read-only connection.  Nothing is opened or read
** before the first transaction. */
int wal_open(OsVfs *vfs, const char *db_path, OsFile *db, int readonly, int heap, Wal **out);
/* Closes; with remove, deletes the WAL file and the -shm (the caller made
** sure that no other process uses them: it holds the database's exclusive lock). */
int wal_close(Wal *w, int remove);
void wal_set_page_size(Wal *w, uint32_t page_size); /* of the frames the next new WAL gets */
/* The codec the frames' pages are encoded with (NULL: stored as they are). */
void wal_set_codec(Wal *w, const CryptoKey *codec);
void wal_set_size_limit(Wal *w, int64_t bytes);      /* PRAGMA journal_size_limit (< 0: no limit) */
int wal_make_writable(Wal *w); /* a read-only WAL now needed by a writer too */
OsFile *wal_file(Wal *w);      /* the open WAL file, or NULL */
int wal_is_heap(Wal *w);       /* the wal-index is process-private */
/* Moves the wal-index into this process's heap and removes the -shm (no
** other process may be connected: the caller holds the exclusive lock). */
int wal_to_heap(Wal *w);

/* Read transactions: a read lock and the snapshot header; *changed when
** the snapshot differs from the one s held before (caches are stale).
** LODE_BUSY when the locks cannot be had now. */
int wal_begin_read(Wal *w, WalSnap *s, int *changed);
void wal_end_read(Wal *w, WalSnap *s);
/* The writer (holding the write lock) moves s to the latest snapshot and
** keeps its read lock, on the mark of its older snapshot (safe: see
** wal_remark); *moved 0 when s holds no mark of this WAL generation and must
** end its read and begin a new one instead. */
int wal_advance_read(Wal *w, WalSnap *s, int *changed, int *moved);
/* The newest frame of pgno in the snapshot, or 0 (read the database file). */
uint32_t wal_find_frame(Wal *w, const WalSnap *s, uint32_t pgno);
/* The read gate the WAL closes around changes to what the two calls below
** use (its region table, its file handle, its page size). */
void wal_set_gate(Wal *w, ReadGate *gate);
/* Without the mutex, inside the open gate: wal_find_frame over the regions
** this process has mapped already (0: *frame set; -1: a region is missing,
** take the mutex), and wal_read_frame with the WAL's handle if it is open
** (-1 when it is not). */
int wal_find_frame_mapped(Wal *w, const WalSnap *s, uint32_t pgno, uint32_t *frame);
int wal_read_frame_unlocked(Wal *w, const WalSnap *s, uint32_t frame, uint8_t *page);
/* The two reads above for bytes [off, off + n) of the frame's page. */
int wal_read_frame_part_unlocked(Wal *w, const WalSnap *s, uint32_t frame, uint32_t off, uint32_t n, uint8_t *buf);
int wal_read_frame_part(Wal *w, const WalSnap *s, uint32_t frame, uint32_t off, uint32_t n, uint8_t *buf);
/* Calls fn with the page of each frame in (from, to] of the log. */
int wal_frame_pages(Wal *w, uint32_t from, uint32_t to, int (*fn)(void *ctx, uint32_t pgno), void *ctx);
int wal_read_frame(Wal *w, const WalSnap *s, uint32_t frame, uint8_t *page);
static inline uint32_t wal_snap_frames(const WalSnap *s) { return s->hdr.mx_frame; }
static inline uint32_t wal_snap_npage(const WalSnap *s) { return s->hdr.npage; }
/* The snapshot's page size (0 when its WAL never had frames). */
static inline uint32_t wal_snap_page_size(const WalSnap *s) {
  return (uint32_t)(s->hdr.page_size & 0xfe00) + ((uint32_t)(s->hdr.page_size & 1) << 16);
}

/* Write transactions: the WAL write lock, granted only to a snapshot that
** is the latest (else LODE_BUSY_SNAPSHOT); LODE_BUSY while another writer has it. */
int wal_begin_write(Wal *w, WalSnap *s);
/* The write lock whatever the snapshot: *stale = 1 when s is no longer the
** latest (a concurrent transaction's commit, which then rebases). */
int wal_lock_write(Wal *w, const WalSnap *s, int *stale);
/* Ends the write lock; hand_on keeps it locked at the OS for the next
** writer of this process (one already waiting), who then takes it without
** an OS call; wal_drop_write releases a kept one.  The caller must release
** it when no writer of the process is left to take it. */
void wal_end_write(Wal *w, int hand_on);
void wal_drop_write(Wal *w);
int wal_write_kept(const Wal *w);
/* Appends the pages (sorted by pgno) as frames, the last a commit frame
** recording db_size, syncs when sync is set, then publishes them in the
** wal-index; s becomes the new snapshot.  With unlock (not NULL) the caller's
** mutex, held once, is let go while the frames are built and written
** (inside the read gate, which keeps the handles). */
typedef struct WalUnlock WalUnlock;
int wal_append(Wal *w, WalSnap *s, const WalPage *pages, uint32_t npages, uint32_t db_size, int sync,
               const WalUnlock *unlock);
/* After an append: the read lock moves to the new snapshot's mark (for a
** checkpoint by the writer itself; wal.c explains). */
void wal_remark(Wal *w, WalSnap *s);
/* 1 when a PASSIVE checkpoint by own's connection (own: its snapshot or
** NULL) could copy nothing because of another connection of this process;
** *log / *done then get its outcome (wal.c). */
int wal_passive_idle(Wal *w, const WalSnap *own, int *log, int *done);
/* The frames of the WAL already in the database file (0 before the wal-index is open). */
uint32_t wal_backfilled(Wal *w);
/* wal_append for pages already encoded (frames copied from another WAL:
** pager_frames.c); never after a spill. */
int wal_append_raw(Wal *w, WalSnap *s, const WalPage *pages, uint32_t npages, uint32_t db_size, int sync);
/* Frame (1..mx_frame of the snapshot) as it is in the file: its 24-byte
** header and the page as stored.  LODE_NOTFOUND when the WAL started over
** since (the frame's salts are not the snapshot's). */
int wal_read_raw_frame(Wal *w, const WalSnap *s, uint32_t frame, uint8_t *buf);
/* Spilling a write transaction larger than the cache: appends the pages as
** frames without a commit mark after the published ones (and after any
** spilled before), unsynced and unpublished, and enters them in the
** wal-index hash tables past the published mx_frame, where no reader (of
** any process) looks and which no recovery keeps (wal_spilled_frame finds
** them).  The next wal_append continues after them and publishes them with
** its commit; wal_end_write without one forgets them and clears their hash
** entries (the next writer overwrites the frames). */
int wal_spill(Wal *w, WalSnap *s, const WalPage *pages, uint32_t npages);
int wal_read_spilled(Wal *w, uint32_t frame, uint8_t *page);
/* The newest spilled frame of page pgno, 0 when the write transaction has
** not spilled it; the frames spilled so far (spill order), and the page of
** the k-th.  For the writer only (it alone spills). */
uint32_t wal_spilled_frame(Wal *w, uint32_t pgno);
uint32_t wal_spilled_count(const Wal *w);
uint32_t wal_spilled_page(Wal *w, uint32_t k);
int wal_read_spilled_part(Wal *w, uint32_t frame, uint32_t off, uint32_t n, uint8_t *buf);
/* The caller's mutex, held once, let go by a checkpoint around its syncs
** and copies (see wal_checkpoint). */
struct WalUnlock {
  void (*leave)(void *ctx);
  void (*enter)(void *ctx);
  void *ctx;
};
/* Copies frames into db as SQLite's checkpoint of that mode does (read
** marks respected, nBackfill written, RESTART/TRUNCATE wait for readers);
** busy_ms bounds each wait.  *log / *done: frames in the WAL and frames
** backfilled, or -1 when the checkpoint could not start.  LODE_BUSY when
** the mode could not be completed.  s: the caller's own read snapshot, or
** NULL; a latest one moves out of the way of RESTART and TRUNCATE.  With
** unlock (not NULL) the syncs and the copying run without the caller's
** mutex, inside the read gate (which keeps the handles they use): they
** need only the CKPT and READ(0) locks the checkpoint holds, while other
** connections of the process read, begin and commit. */
int wal_checkpoint(Wal *w, WalSnap *s, OsFile *db, int mode, int sync, int busy_ms, const WalUnlock *unlock, int *log,
                   int *done);

/* ---- the page codec: the one place pages change form -------------------------
** Every page written to the database file or the WAL passes page_encode
** (pager.c: the seed page and memory commits; wal.c: frames), every page
** read from either passes page_decode (pcache.c).  Without a codec both
** copy.  page_decode returns LODE_OK, or LODE_NOTADB for a page 1 / LODE_CORRUPT
** for another page that does not authenticate (wrong key, changed bytes). */
static inline int page_encode(const CryptoKey *codec, uint32_t pgno, const uint8_t *in, uint8_t *out, uint32_t ps) {
  if (!codec) {
    if (in != out) memcpy(out, in, ps);
    return LODE_OK;
  }
  return codec_encode(codec, pgno, in, out, ps) == 0 ? LODE_OK : LODE_IOERR;
}
static inline int page_decode(const CryptoKey *codec, uint32_t pgno, uint8_t *page, uint32_t ps) {
  if (!codec || codec_decode(codec, pgno, page, ps) == 0) return LODE_OK;
  return pgno == 1 ? LODE_NOTADB : LODE_CORRUPT;
}

/* pager_crypt.c: the codec PagerOptions ask for (*out NULL when none);
** LODE_ERROR with *why for a bad cipher name or key. */
int pager_codec_from_options(const PagerOptions *opts, CryptoKey **out, const char **why);

/* ---- the pager's own state (pager.c, pcache.c) ------------------------------ */
enum { PAGER_TXN_NONE, PAGER_TXN_READ, PAGER_TXN_WRITE };
/* Pager.concurrent: 0, or a concurrent write transaction without the lock,
** or one holding it whose snapshot is no longer the latest. */
enum { PAGER_CONCURRENT_OPEN = 1, PAGER_CONCURRENT_STALE = 2 };

/* One database file as the process sees it, shared by every Pager opened on
** it (found by canonical path); ":memory:" pagers each have a private one. */
typedef struct PagerShared PagerShared;
struct PagerShared {
  PagerShared *next; /* in the process-wide registry */
  char *key;         /* canonical path; NULL when not registered */
  char *path;        /* as given to the VFS */
  OsVfs *vfs;
  int own_vfs; /* destroy vfs with the last pager */
  OsFile *db;
  int writable; /* db (and WAL) handles are read-write */
  /* PRAGMA journal_mode = wal was asked of a file still in rollback-journal
  ** format (its first write converts it): journal_mode reports wal from then
  ** on for every connection of the process (pager_choose_wal). */
  int wal_chosen;
  Wal *wal;
  uint32_t page_size;
  uint32_t reserved;   /* header byte 20 */
  CryptoKey *codec;    /* the encryption of every page on disk, or NULL */
  CryptoKey *rekey;    /* during pager_rekey: the key the commit writes with */
  uint32_t db_npages;  /* committed page count (memory databases: the cache holds them; else as last seen) */
  /* The header's page count, valid by its stamp, names more pages than the
  ** file has (and no WAL frame makes them up): the file is corrupt, as SQLite
  ** finds it; db_npages is then the file's size. */
  int db_npages_past_end;
  uint64_t change_seq; /* bumped by every commit of a memory database */
  Pager *writer;       /* the pager in a write transaction, if any */
  /* Connections of this process trying to take the write lock (in
  ** pager_begin_write or pager_concurrent_lock): while there are some, a
  ** writer that ends hands the WAL write lock on at the OS level instead of
  ** releasing it (wal_end_write), at most PAGER_HANDOFFS times in a row so
  ** that other processes get their turn; the last to stop trying releases
  ** a lock nobody took. */
  int write_wanted;
  int handoffs;
  Pager *pagers;       /* attached pagers, through Pager.next_sharer */
  int nref;
  int lock_level;      /* OS_LOCK_* held on db: SHARED from the first transaction on */
  int exclusive;       /* locking_mode=EXCLUSIVE in effect: EXCLUSIVE held, wal-index in the heap */
  OsFile *spare;       /* a replaced handle of db: closing it would drop the process's file locks */
  int64_t mmap_limit;  /* PRAGMA mmap_size in effect on db (0: none) */
  /* Group commit (pager_set_group_commit): commits numbered as they are
  ** appended without their sync; every one up to commits_synced is durable.
  ** One thread at a time (syncing) syncs the WAL, outside the mutex, for
  ** every commit appended before it began.  Before it begins, that thread
  ** may gather (pager.c shared_gather): wait a bounded time, on appended,
  ** for the commits of other threads' connections that are writing, so
  ** that the one sync covers them too. */
  uint64_t commits_written;
  uint64_t commits_synced;
  int syncing;
  int gathering;        /* the syncing thread waits on appended */
  int64_t sync_us;      /* how long the last group sync took */
  uint64_t group_syncs; /* group syncs so far (pager_group_stats) */
  uint64_t gathers;     /* of them, those that first waited for other commits */
  uint64_t gathered;    /* of those, the ones whose awaited commits all came in time */
  OsCond *appended;     /* broadcast, while gathering, by every commit appended without its sync */
  int checkpointing; /* an automatic checkpoint runs its I/O without the mutex (pager_autocheckpoint) */
  const OsSyncMethods *sync; /* the VFS's; NULL until the mutex is made */
  OsMutex *mutex;        /* recursive; guards everything above and the WAL */
  OsCond *writer_gone;   /* broadcast when writer becomes NULL (with mutex) */
  OsCond *sync_done;     /* broadcast when a group sync or an unlocked checkpoint ends (with mutex) */
  /* Cache misses of a file whose VFS reads with pread (posix, io_uring) may
  ** run without the mutex, through gate (see ReadGate). */
  int parallel_reads;
  unsigned next_stripe; /* the gate stripe the next attached pager gets */
  ReadGate gate;
};

/* The page geometry of a shared file is read without the lock (it changes
** only while one connection has the file to itself, or to the same values):
** relaxed atomic loads, and stores only when a value changes. */
static inline uint32_t shared_get(const uint32_t *field) { return __atomic_load_n(field, __ATOMIC_RELAXED); }
static inline void shared_set(uint32_t *field, uint32_t v) {
  if (__atomic_load_n(field, __ATOMIC_RELAXED) != v) __atomic_store_n(field, v, __ATOMIC_RELAXED);
}

/* Connections of different threads may share a file: every use of the
** shared state (WAL, file handles, counters) happens under its lock. */
void shared_lock(PagerShared *sh);
void shared_unlock(PagerShared *sh);
/* Replaces the codec of every page on disk (under the mutex, gate closed). */
void shared_set_codec(PagerShared *sh, CryptoKey *codec);

typedef struct PgHdr PgHdr;
struct PgHdr {
  DbPage pub; /* first, so DbPage* and PgHdr* convert */
  Pager *pager;
  int nref;
  int dirty;
  PgHdr *lru_prev, *lru_next;     /* LRU list: clean, unreferenced */
  PgHdr *dirty_prev, *dirty_next; /* dirty list */
  /* sp_epoch << 1 | from of the last savepoints_save that put this page's
  ** pre-image in every savepoint from sp[from] on needing it (0: none):
  ** while the pager's sp_epoch stays, later writes of the page need no
  ** look at the savepoints' maps. */
  uint64_t sp_saved;
};

typedef struct Savepoint {
  int depth;
  uint32_t npages; /* page count when it began */
  U32Map images;   /* pgno → shared pre-image (pcache.c: a reference count, then the page bytes) */
} Savepoint;

typedef struct PagerFrames PagerFrames;
typedef struct ImageChunk ImageChunk;

struct Pager {
  PagerShared *sh;
  int synchronous; /* PAGER_SYNC_*: this pager's commits and checkpoints */
  int group_commit; /* pager_set_group_commit */
  int checkpoint_due; /* a group commit left the automatic checkpoint to its caller (pager_checkpoint_due) */
  uint64_t sync_due; /* the last commit appended without its sync (0: none): pager_sync_commit */
  /* When this pager last appended a commit without its sync, and from which
  ** thread (the address of a thread-local): a gathering sync waits for the
  ** pagers of other threads that commit often. */
  int64_t group_last_us;
  const void *group_thread;
  int64_t autocheckpoint; /* a commit that leaves this many WAL frames checkpoints (<= 0: never) */
  int busy_timeout; /* milliseconds to keep retrying a file lock another process holds */
  Pager *next_sharer;
  int readonly;
  int memory;
  int txn;
  WalSnap snap;          /* read lock and snapshot (file databases) */
  uint32_t snap_npages;  /* page count of the snapshot */
  int want_exclusive;    /* PRAGMA locking_mode=EXCLUSIVE, applied at the next transaction */
  int locking_mode;      /* the mode last asked for (1 = exclusive): what PRAGMA locking_mode reports */
  uint64_t seen_seq;     /* sh->change_seq the cache reflects (memory databases) */
  uint32_t npages;       /* page count seen by the current transaction */
  uint32_t max_pages;    /* PRAGMA max_page_count; 0: the default, PAGER_DEFAULT_MAX_PAGES */
  U32Map cache;          /* pgno → PgHdr* */
  uint32_t ncached;
  uint32_t max_cached; /* no cached page has a larger pgno (an upper bound) */
  int64_t cache_size;  /* as PRAGMA cache_size set it: pages, or -KiB */
  /* cache_size in pages, worked out for budget_of (cache_size) at page size
  ** budget_page_size (0: not yet): every release of a clean page asks for it. */
  int64_t budget, budget_of;
  uint32_t budget_page_size;
  int64_t spill_size;  /* as PRAGMA cache_spill=N set it: pages, or -KiB */
  int spill_on;        /* PRAGMA cache_spill is on */
  uint32_t nspilled;   /* pages this write transaction spilled to the WAL (their frames: wal_spilled_frame) */
  U32Map tspilled;     /* a concurrent transaction: pgno → offset in ts_file of the pages it spilled */
  OsFile *ts_file;     /* opened at its first spill (pcache.c) */
  int64_t ts_file_end;
  PgHdr *lru_head, *lru_tail;
  uint32_t nlru; /* pages on the LRU list */
  PgHdr *spare;               /* pages a spill dropped, for the next loads (linked by lru_next) */
  uint32_t spare_page_size;   /* the page size they were allocated for */
  PgHdr *dirty_head;
  uint32_t ndirty;
  Savepoint *sp;
  int nsp, sp_cap;
  /* Bumped whenever a savepoint begins, ends or is rolled back to: each
  ** may leave a page's pre-image missing from a savepoint that needs it
  ** (PgHdr.sp_saved). */
  uint64_t sp_epoch;
  /* PRAGMA cipher / hexkey given so far, applied once both are there. */
  int want_cipher;
  int want_key_len; /* 0: none yet */
  uint8_t want_key[CRYPTO_MAX_KEY];
  int64_t sp_mem;      /* bytes of savepoint pre-images in memory */
  ImageChunk *sp_chunk; /* the chunk new pre-images are carved from (pcache.c), or NULL */
  OsFile *sp_file;     /* pre-images past PAGER_SP_MEMORY (pcache.c), opened when first needed */
  int64_t sp_file_end;
  int concurrent;        /* a write transaction without the write lock (pager_begin_concurrent) */
  int no_checkpoint;     /* pager_set_checkpoint_disabled: no automatic checkpoint, none at close */
  PagerFrames *frames;   /* frames given to pager_wal_insert_frame (pager_frames.c), or NULL */
  unsigned gate_stripe;  /* its stripe of sh->gate */
  /* The pages a concurrent transaction used (pager_trace_next), so that a
  ** rebase can keep what no later commit touched: epoch counts the
  ** savepoints begun (each statement's among them); touched maps a page to
  ** the epoch it was first fetched in, written to (first << 32 | last)
  ** epoch of its pager_write calls.  A page is written only after a
  ** pager_write in the same epoch (savepoints need that as well). */
  int trace_next; /* trace the next read transaction */
  int tracing;
  int trace_lost; /* a map could not grow: a rebase keeps nothing */
  uint32_t epoch;
  U32Map touched;
  U32Map written;
  /* pager_content_gen: bumped by pager_content_changed wherever the bytes
  ** this pager shows may change (every pager_write, rollbacks, another
  ** pager's commits taken in, truncation).  It starts at a number no other
  ** pager of the process started at, so values of two pagers never meet. */
  uint64_t content_gen;
  /* pager_header_gen: the content_gen of the last change that may have
  ** touched page 1 (any but a pager_write of another page). */
  uint64_t header_gen;
};

static inline void pager_content_changed(Pager *p) { p->header_gen = ++p->content_gen; }

/* pcache.c: the per-pager page cache and savepoint journal. */
void pcache_drop_unreferenced(Pager *p);      /* every clean, unreferenced page */
int pcache_reload_all(Pager *p);              /* after another pager committed */
/* The same when the new snapshot only added frames (from, to] to the log the
** cache was filled from: only the pages of those frames change. */
int pcache_reload_changed(Pager *p, uint32_t from, uint32_t to);
void pcache_free(Pager *p);
void pcache_trim(Pager *p);
void pcache_cut(Pager *p, uint32_t npages);   /* forget unreferenced pages past npages */
void pcache_settle(Pager *p);                 /* after commit/rollback: nothing dirty */
int pcache_rollback_dirty(Pager *p);          /* reload or drop every dirty page */
/* A memory database's write transaction: the savepoint of depth
** PAGER_JOURNAL_DEPTH below every other, whose pre-images its rollback
** restores (pcache.c). */
#define PAGER_JOURNAL_DEPTH 0
int pcache_journal_begin(Pager *p);
void pcache_savepoints_pop(Pager *p, int from);
int pcache_page_changed(Pager *p, uint32_t pgno); /* dirty or spilled in this write transaction */
/* A concurrent transaction that now holds the write lock: its pages spilled
** to its temporary file go to the WAL as spilled frames (the commit then
** publishes them with the rest). */
int pcache_unspill_temp(Pager *p);
/* A stale concurrent transaction on its new snapshot, the commits between
** its old one and it having written frames (from, to]: its dirty pages first
** written in an epoch >= keep are dropped (read again from the snapshot)
** and so are the clean pages of those frames; the dirty pages of earlier
** epochs stay (none of them is in those frames). */
int pcache_rebase_keep(Pager *p, uint32_t from, uint32_t to, uint32_t keep);
/* The first epoch whose changes cannot be kept (pager.c explains). */
int pcache_keep_epoch(Pager *p, uint32_t from, uint32_t to, uint32_t *keep);
void pcache_trace_reset(Pager *p);

/* pager.c, for pager_frames.c: page 1 (plaintext) is a database header of
** that page size; a committed page 1 sets the reserved bytes; the database
** file of a new database gets its empty one-page database (before the first
** commit reaches the WAL, see pager.c). */
int pager_page1_valid(const uint8_t *page1, uint32_t page_size);
void pager_adopt_page1(PagerShared *sh, const uint8_t *page1);
int pager_seed_empty_file(PagerShared *sh, const uint8_t *page1);
void pager_frames_free(Pager *p);

/* ---- legacy rollback journal (journal.c) ----------------------------------- */
/* If "<db>-journal" is hot, writes its original pages back into db, restores
** db's size, syncs and deletes the journal.  A non-hot journal is deleted.
** LODE_READONLY when the journal is hot and the database is read-only. */
int journal_rollback_hot(OsVfs *vfs, const char *db_path, OsFile *db, int readonly);

#endif /* LODE_PAGER_INT_H */
