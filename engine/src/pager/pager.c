/*
** pager.c — opening a database file, transactions, commit into the WAL,
** checkpoints, and the sharing of one file between several connections of
** this process.  The page cache itself is pcache.c, the WAL wal.c.
**
** A ":memory:" database has a private PagerShared over its own memory VFS,
** whose file stays empty: its page cache is the storage (pcache.c), so a
** commit only marks its pages clean and a rollback restores the pre-images
** of its journal (it has nothing to recover, and keeps each page once).
**
** Sharing: pagers opened on the same file (same canonical path) share one
** PagerShared: the file handles and the Wal, whose wal-index lives in the
** -shm shared with other processes (wal.c: SQLite's format and locking
** protocol).  Each pager has its own cache and snapshot (WalSnap: a read
** lock and the wal-index header read under it); its cache is dropped when
** a new read transaction finds another header.  One writer at a time (the
** WAL write lock; LODE_BUSY for the others, LODE_BUSY_SNAPSHOT for a reader
** whose snapshot is no longer the latest).  A transaction start that meets
** a lock another process holds is retried for busy_timeout ms, then fails
** with LODE_BUSY.  Checkpoints respect every reader's mark (wal.c); the
** automatic one runs after a commit that left PAGER_AUTOCHECKPOINT frames
** (the committer's read mark has moved to its own commit by then), or, for
** a group commit, when its caller runs it (pager_checkpoint_due).
** Between processes, the database file's lock bytes are used as SQLite's
** WAL mode uses them: a SHARED lock from the first transaction until the
** last pager of the process closes (so rollback-journal clients stay out),
** and at that close an attempt at EXCLUSIVE: granted means no other process
** is connected, and the WAL is checkpointed and deleted with the -shm.
** A Pager (with its cache) is used by one thread at a time, but pagers on
** different threads may share a file: the shared state is guarded by its
** recursive mutex (shared_lock; taken by the public entry points and by
** cache misses outside a transaction or on files whose reads cannot run in
** parallel; never by cache hits, nor by other misses, which go through the
** read gate: pager_int.h), the registry by registry_mutex, always taken
** before a shared mutex.
**
** Database header fields the pager stamps in page 1 at a commit
** (offsets into the 100-byte header, big-endian):
**   18/19 file format write/read version = 2 (WAL)
**   24 file change counter (+1; a memory database's stays)   28 database size in pages
**   92 version-valid-for = change counter   96 SQLITE_VERSION_NUMBER
** As SQLite's WAL mode does, a commit writes page 1 only when it must: when
** the transaction changed the page anyway (schema, freelist, meta values),
** or when a field above would read differently (the database grew or
** shrank, the file still says rollback journal, or the size is not valid
** for the change counter).  A commit of other pages alone leaves page 1 as
** it is, so a one-row change of a small table is one WAL frame.
**
** Transitions of a file pager (p->txn), each with the call making it:
**   NONE  -> READ   pager_begin_read: SHARED on the file (once), a read lock
**                   and snapshot (wal_begin_read); a new snapshot drops the cache
**   NONE  -> WRITE  pager_begin_write: both at once, retried as one while busy
**   READ  -> WRITE  pager_begin_write: the WAL write lock, latest snapshot only
**   WRITE -> READ   pager_commit (frames appended, snapshot = the commit) or
**                   pager_rollback (dirty pages dropped)
**   READ  -> NONE   pager_end_read: the read lock goes
** Invariants: npages == snap_npages for a pager that is not writing;
** sh->writer is the only pager in a write transaction and holds the WAL
** write lock; a pager outside NONE holds a read lock (snap.read_lock >= 0);
** the clean cached pages of a pager equal its snapshot (for a memory
** database: seen_seq == sh->change_seq).
*/
#include <assert.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifndef __EMSCRIPTEN__
#include <pthread.h>
#endif

#include "pager/pager.h"
#include "pager/pager_int.h"
#include "util/util.h"

/* SQLite's default: 2000 KiB. */
#define PAGER_DEFAULT_CACHE_SIZE (-2000)
#define PAGER_MIN_PAGE_SIZE 512
#define PAGER_MAX_PAGE_SIZE 65536
#define PAGER_MIN_USABLE_SIZE 480
/* Header byte layout of page 1. */
#define DBHDR_SIZE 100
#define DBHDR_PAGE_SIZE 16 /* 2 bytes; 1 means 65536 */
#define DBHDR_WRITE_VERSION 18
#define DBHDR_READ_VERSION 19
#define DBHDR_RESERVED 20
#define DBHDR_MAX_FRACTION 21
#define DBHDR_MIN_FRACTION 22
#define DBHDR_LEAF_FRACTION 23
#define DBHDR_CHANGE_COUNTER 24
#define DBHDR_PAGE_COUNT 28
#define DBHDR_VERSION_VALID_FOR 92
#define DBHDR_SQLITE_VERSION 96
#define DBHDR_FORMAT_WAL 2
#define DBHDR_FORMAT_MAX 2
/* The SQLite release whose file format we write (3.45.0), stored at 96. */
#define PAGER_SQLITE_VERSION_NUMBER 3053002 /* the release sqlite_version() names */
static const char DBHDR_MAGIC[16] = "SQLite format 3";

/* Every registered PagerShared of the process (see the file comment). */
static PagerShared *shared_registry;

/* The registry is process-wide, not a file's, so its mutex is the
** platform's own rather than a VFS's. */
#ifndef __EMSCRIPTEN__
static pthread_mutex_t registry_mutex = PTHREAD_MUTEX_INITIALIZER;
static void registry_lock(void) { pthread_mutex_lock(&registry_mutex); }
static void registry_unlock(void) { pthread_mutex_unlock(&registry_mutex); }
#else
static void registry_lock(void) {}
static void registry_unlock(void) {}
#endif

/* A file's shared state is guarded by its VFS's sync methods (os.h).  One
** not in the registry (key NULL: a private in-memory database) has one pager
** for its whole life, whose connection serializes its calls: no mutex. */
void shared_lock(PagerShared *sh) {
  if (sh->key) sh->sync->mutex_enter(sh->mutex);
}
void shared_unlock(PagerShared *sh) {
  if (sh->key) sh->sync->mutex_leave(sh->mutex);
}

/* Recursive: public entry points call each other (commit → get → read). */
static int shared_mutex_init(PagerShared *sh) {
  const OsSyncMethods *sm = os_vfs_sync(sh->vfs);
  sh->sync = sm;
  sh->mutex = sm->mutex_new(1);
  sh->writer_gone = sh->mutex ? sm->cond_new() : NULL;
  sh->sync_done = sh->writer_gone ? sm->cond_new() : NULL;
  sh->appended = sh->sync_done ? sm->cond_new() : NULL;
  return sh->appended ? LODE_OK : LODE_NOMEM;
}
static void shared_mutex_destroy(PagerShared *sh) {
  if (!sh->sync) return;
  if (sh->appended) sh->sync->cond_free(sh->appended);
  if (sh->sync_done) sh->sync->cond_free(sh->sync_done);
  if (sh->writer_gone) sh->sync->cond_free(sh->writer_gone);
  if (sh->mutex) sh->sync->mutex_free(sh->mutex);
}
static void shared_writer_gone(PagerShared *sh) { sh->sync->cond_broadcast(sh->writer_gone); }
/* The mutex held once: waits for the thread syncing the WAL to finish
** (with one thread nobody else syncs). */
static void shared_wait_sync(PagerShared *sh) {
  if (sh->sync->threads) sh->sync->cond_wait(sh->sync_done, sh->mutex, -1);
}
static void shared_sync_done(PagerShared *sh) { sh->sync->cond_broadcast(sh->sync_done); }

static int64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Its address names the calling thread (Pager.group_thread). */
static _Thread_local char thread_tag;

/* Waits, the mutex held (once), until this process's writer ends or what
** is left of the pager's busy_timeout passes (*waited_us counts it); 0 when
** the time is up, or when there is one thread and so no other writer of
** this process to wait for.  A writer of this process ends within
** microseconds mostly: sleeping SQLite's pauses for it would cost
** milliseconds. */
static int shared_wait_writer(Pager *p, int64_t *waited_us) {
  PagerShared *sh = p->sh;
  int64_t left = (int64_t)p->busy_timeout * 1000 - *waited_us;
  if (left <= 0 || !sh->sync->threads) return 0;
  int64_t start = now_us();
  sh->sync->cond_wait(sh->writer_gone, sh->mutex, left < 100000 ? left : 100000);
  int64_t spent = now_us() - start;
  *waited_us += spent > 0 ? spent : 1;
  return 1;
}

/* Closes the read gate and waits for the reads in flight (see pager_int.h). */
#ifndef __EMSCRIPTEN__
void read_gate_close(ReadGate *g) {
  if (!g) return;
  __atomic_fetch_add(&g->closed, 1, __ATOMIC_SEQ_CST);
  for (int i = 0; i < READ_GATE_STRIPES; i++)
    while (__atomic_load_n(&g->inflight[i].n, __ATOMIC_ACQUIRE) != 0) sched_yield();
}
#else
void read_gate_close(ReadGate *g) { /* one thread: no read can be in flight */
  if (g) g->closed++;
}
#endif

void read_gate_open(ReadGate *g) {
  if (g) __atomic_fetch_sub(&g->closed, 1, __ATOMIC_RELEASE);
}

void shared_set_codec(PagerShared *sh, CryptoKey *codec) {
  read_gate_close(&sh->gate);
  sh->codec = codec;
  wal_set_codec(sh->wal, codec);
  read_gate_open(&sh->gate);
}

/* ---- the shared file state -------------------------------------------------- */


static int page_size_valid(uint32_t ps) {
  return ps >= PAGER_MIN_PAGE_SIZE && ps <= PAGER_MAX_PAGE_SIZE && (ps & (ps - 1)) == 0;
}

/* Validates the 100-byte header and takes page size and reserved bytes. */
static int shared_parse_header(PagerShared *sh, const uint8_t *h) {
  /* An encrypted file names its cipher where SQLite's magic would be: it
  ** opens only with a key of that cipher, a plaintext file only without. */
  int cipher = codec_header_cipher(h);
  if (cipher < 0 || cipher != crypto_key_cipher(sh->codec)) return LODE_NOTADB;
  if (cipher && h[DBHDR_RESERVED] != codec_reserved(cipher)) return LODE_NOTADB;
  uint32_t ps = util_get2(h + DBHDR_PAGE_SIZE);
  if (ps == 1) ps = PAGER_MAX_PAGE_SIZE;
  if (!page_size_valid(ps)) return LODE_NOTADB;
  if (h[DBHDR_READ_VERSION] > DBHDR_FORMAT_MAX) return LODE_NOTADB;
  /* The payload fractions are fixed in every SQLite 3 file. */
  if (h[DBHDR_MAX_FRACTION] != 64 || h[DBHDR_MIN_FRACTION] != 32 || h[DBHDR_LEAF_FRACTION] != 32) return LODE_NOTADB;
  uint32_t reserved = h[DBHDR_RESERVED];
  if (ps - reserved < PAGER_MIN_USABLE_SIZE) return LODE_NOTADB;
  shared_set(&sh->page_size, ps);
  shared_set(&sh->reserved, reserved);
  return LODE_OK;
}

/* The committed size when no WAL frames exist: the header's count when
** valid (non-zero and stamped by the same change counter), else the size
** of the file.  A valid count past the end of the file sets *past_end (and
** the file's size is returned): the pages it names are not there. */
static uint32_t size_from_db(const uint8_t *h, int64_t file_size, uint32_t ps, int *past_end) {
  uint32_t in_header = util_get4(h + DBHDR_PAGE_COUNT);
  int64_t n = file_size / ps, started = (file_size + ps - 1) / ps; /* a last page cut short still counts */
  uint32_t in_file = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
  *past_end = 0;
  if (in_header != 0 && util_get4(h + DBHDR_CHANGE_COUNTER) == util_get4(h + DBHDR_VERSION_VALID_FOR)) {
    if (in_header <= started) return in_header;
    *past_end = 1;
  }
  return in_file;
}

/* Reads the database header (page size, reserved bytes) and the page count
** the file's size and header give. */
static int shared_load(PagerShared *sh) {
  int64_t size = 0;
  int rc = os_size(sh->db, &size);
  if (rc != LODE_OK || size == 0) return rc;
  if (size < DBHDR_SIZE) return LODE_NOTADB;
  uint8_t h[DBHDR_SIZE];
  rc = os_read(sh->db, h, sizeof h, 0);
  if (rc == LODE_OK) rc = shared_parse_header(sh, h);
  if (rc == LODE_OK) sh->db_npages = size_from_db(h, size, sh->page_size, &sh->db_npages_past_end);
  return rc;
}

static void shared_free(PagerShared *sh) {
  shared_mutex_destroy(sh);
  if (sh->wal) wal_close(sh->wal, 0);
  crypto_key_free(sh->codec);
  os_close(sh->db);
  os_close(sh->spare);
  if (sh->own_vfs && sh->vfs) sh->vfs->destroy(sh->vfs);
  util_free(sh->key);
  util_free(sh->path);
  util_free(sh);
}

/* The registry key: the canonical path, so that "a.db" and "./a.db" meet;
** for a file that does not exist yet, its folder's canonical path and its
** name (what the path will canonicalise to once the file is created). */
static char *canonical_key(const char *path) {
#ifndef __EMSCRIPTEN__
  char *real = realpath(path, NULL); /* libc-allocated: copied, then free() */
  if (real) {
    char *key = util_strdup(real);
    free(real);
    return key;
  }
  const char *slash = strrchr(path, '/');
  char *dir = slash ? util_mprintf("%.*s", (int)(slash - path + (slash == path)), path) : util_strdup(".");
  real = dir ? realpath(dir, NULL) : NULL;
  util_free(dir);
  if (real) {
    const char *name = slash ? slash + 1 : path;
    char *key = util_mprintf("%s%s%s", real, strcmp(real, "/") == 0 ? "" : "/", name);
    free(real);
    return key;
  }
#endif
  return util_strdup(path);
}

static PagerShared *registry_find(const char *key) {
  for (PagerShared *sh = shared_registry; sh; sh = sh->next)
    if (strcmp(sh->key, key) == 0) return sh;
  return NULL;
}

static void registry_remove(PagerShared *sh) {
  PagerShared **link = &shared_registry;
  while (*link && *link != sh) link = &(*link)->next;
  if (*link) *link = sh->next;
}

/* A later read-write opener of a file first opened read-only. */
static int shared_make_writable(PagerShared *sh) {
  if (sh->writable) return LODE_OK;
  int rc = wal_make_writable(sh->wal);
  if (rc != LODE_OK) return rc;
  OsFile *rw;
  rc = sh->vfs->open(sh->vfs, sh->path, OS_OPEN_READWRITE, &rw);
  if (rc != LODE_OK) return rc;
  /* Closing the read-only handle would drop a file lock a transaction of
  ** this process may hold on it (locks belong to the process): keep it.
  ** A held shared lock becomes exclusive at the next acquisition. */
  assert(sh->spare == NULL);
  read_gate_close(&sh->gate);
  sh->spare = sh->db;
  sh->db = rw;
  read_gate_open(&sh->gate);
  sh->writable = 1;
  return LODE_OK;
}

/* ---- the database file lock (see the file comment) ------------------------- */

/* Retries try(p) with the pauses of SQLite's default busy handler for the
** pager's busy_timeout while it fails with LODE_BUSY (any extended code). */
/* Sleeps the i-th pause of SQLite's default busy handler (at most what is
** left of busy_timeout after *waited ms); 0 when the time is up. */
static int pager_busy_pause(Pager *p, int i, int *waited) {
  static const int pauses[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
  const int npauses = (int)(sizeof pauses / sizeof pauses[0]);
  if (*waited >= p->busy_timeout) return 0;
  int pause = pauses[i < npauses ? i : npauses - 1];
  if (pause > p->busy_timeout - *waited) pause = p->busy_timeout - *waited;
  os_sleep_ms(pause);
  *waited += pause;
  return 1;
}

static int pager_busy_retry(Pager *p, int (*try)(Pager *p)) {
  int waited = 0;
  for (int i = 0;; i++) {
    int rc = try(p);
    if ((rc & 0xff) != LODE_BUSY || !pager_busy_pause(p, i, &waited)) return rc;
  }
}

/* A WAL beside an empty database file is left over from a database that was
** deleted (its last process exited without closing it): a database Lode
** makes has page 1 in the file before any frame goes to its WAL, so that
** WAL's frames are not this file's, and SQLite discards it too.  Removed
** only under the exclusive lock, when no connection of any process has the
** file open; else it is left for the last one. */
static int discard_stale_wal(PagerShared *sh) {
  int64_t size = 0;
  int exists = 0;
  int rc = os_size(sh->db, &size);
  if (rc != LODE_OK || size != 0) return rc;
  char *wal = util_mprintf("%s-wal", sh->path);
  if (!wal) return LODE_NOMEM;
  rc = sh->vfs->exists(sh->vfs, wal, &exists);
  if (rc == LODE_OK && exists && os_lock(sh->db, OS_LOCK_EXCLUSIVE) == LODE_OK) {
    rc = sh->vfs->remove(sh->vfs, wal);
    int rc2 = os_lock(sh->db, OS_LOCK_SHARED);
    if (rc == LODE_OK) rc = rc2;
  }
  util_free(wal);
  return rc;
}

static int shared_try_connect(Pager *p) {
  PagerShared *sh = p->sh;
  int rc = os_lock(sh->db, OS_LOCK_SHARED);
  if (rc != LODE_OK) return rc;
  sh->lock_level = OS_LOCK_SHARED;
  /* A hot journal of a rollback-mode sqlite3 that crashed: undone under
  ** the exclusive lock before anything is read. */
  char *journal = util_mprintf("%s-journal", sh->path);
  int exists = 0;
  rc = journal ? sh->vfs->exists(sh->vfs, journal, &exists) : LODE_NOMEM;
  util_free(journal);
  if (rc == LODE_OK && exists) {
    rc = sh->writable ? os_lock(sh->db, OS_LOCK_EXCLUSIVE) : LODE_OK;
    if (rc == LODE_OK) rc = journal_rollback_hot(sh->vfs, sh->path, sh->db, !sh->writable);
    int rc2 = os_lock(sh->db, OS_LOCK_SHARED);
    if (rc == LODE_OK) rc = rc2;
  }
  if (rc == LODE_OK && sh->writable) rc = discard_stale_wal(sh);
  if (rc == LODE_OK) rc = shared_load(sh);
  if (rc != LODE_OK) {
    os_lock(sh->db, OS_LOCK_NONE);
    sh->lock_level = OS_LOCK_NONE;
  }
  return rc;
}

/* The process's SHARED lock on the database file, taken once, kept until close. */
static int shared_connect(Pager *p) {
  if (!p->sh->key || p->sh->lock_level >= OS_LOCK_SHARED) return LODE_OK;
  return pager_busy_retry(p, shared_try_connect);
}

static int shared_create(OsVfs *vfs, int own_vfs, const char *path, char *key, OsFile *db, int readonly,
                         CryptoKey *codec, PagerShared **out) {
  PagerShared *sh = util_zalloc(sizeof *sh);
  if (!sh) {
    crypto_key_free(codec);
    util_free(key);
    os_close(db);
    if (own_vfs) vfs->destroy(vfs);
    return LODE_NOMEM;
  }
  sh->vfs = vfs;
  sh->own_vfs = own_vfs;
  sh->db = db;
  sh->key = key;
  sh->writable = !readonly;
  sh->page_size = PAGER_DEFAULT_PAGE_SIZE;
  sh->codec = codec;
  /* pread and the mapping-free reads of these backends may run on several
  ** threads at once on one handle. */
  sh->parallel_reads = strcmp(vfs->name, "posix") == 0 || strcmp(vfs->name, "io_uring") == 0;
  if (codec) sh->reserved = (uint32_t)codec_reserved(crypto_key_cipher(codec));
  sh->path = util_strdup(path);
  int rc = sh->path ? shared_mutex_init(sh) : LODE_NOMEM;
  if (rc == LODE_OK) rc = shared_load(sh);
  if (rc == LODE_OK) rc = wal_open(vfs, path, db, readonly, key == NULL, &sh->wal);
  if (rc == LODE_OK) wal_set_gate(sh->wal, &sh->gate);
  if (rc == LODE_OK) wal_set_page_size(sh->wal, sh->page_size);
  if (rc == LODE_OK) wal_set_codec(sh->wal, sh->codec);
  if (rc != LODE_OK) {
    shared_free(sh);
    return rc;
  }
  if (key) {
    sh->next = shared_registry;
    shared_registry = sh;
  }
  *out = sh;
  return LODE_OK;
}

/* Finds or creates the shared state of path; memory databases are private. */
static int shared_acquire(const char *path, int memory, int *readonly, int create, CryptoKey *codec,
                          PagerShared **out) {
  if (memory) {
    OsVfs *vfs = os_vfs_memory_new();
    if (!vfs) {
      crypto_key_free(codec);
      return LODE_NOMEM;
    }
    OsFile *db;
    int rc = vfs->open(vfs, path, OS_OPEN_READWRITE | OS_OPEN_CREATE, &db);
    if (rc != LODE_OK) {
      crypto_key_free(codec);
      vfs->destroy(vfs);
      return rc;
    }
    return shared_create(vfs, 1, path, NULL, db, 0, codec, out);
  }
  /* Found before opening: closing a second handle of a file that this
  ** process holds a lock on would drop the lock (see os.h). */
  char *key = canonical_key(path);
  if (!key) {
    crypto_key_free(codec);
    return LODE_NOMEM;
  }
  PagerShared *sh = registry_find(key);
  if (sh) {
    util_free(key);
    shared_lock(sh);
    /* The file is open in this process already: its key must be this one. */
    int same = crypto_key_equal(sh->codec, codec);
    crypto_key_free(codec);
    int rc = !same ? LODE_NOTADB : *readonly ? LODE_OK : shared_make_writable(sh);
    shared_unlock(sh);
    if (rc == LODE_OK) *out = sh;
    return rc;
  }
  OsVfs *vfs = os_vfs_default();
  int flags = *readonly ? OS_OPEN_READONLY : OS_OPEN_READWRITE | (create ? OS_OPEN_CREATE : 0);
  OsFile *db;
  int rc = vfs->open(vfs, path, flags, &db);
  if (rc == LODE_CANTOPEN && !*readonly) {
    /* Like SQLite: a file we may read but not write opens read-only. */
    if (vfs->open(vfs, path, OS_OPEN_READONLY, &db) == LODE_OK) {
      *readonly = 1;
      rc = LODE_OK;
    }
  }
  if (rc != LODE_OK) {
    crypto_key_free(codec);
    util_free(key);
    return rc;
  }
  return shared_create(vfs, 0, path, key, db, *readonly, codec, out);
}

/* ---- opening and closing ---------------------------------------------------- */

int pager_open(const char *path, int flags, Pager **out) { return pager_open_v2(path, flags, NULL, out); }

int pager_open_v2(const char *path, int flags, const PagerOptions *opts, Pager **out) {
  *out = NULL;
  CryptoKey *codec = NULL;
  const char *why = NULL;
  int rc = pager_codec_from_options(opts, &codec, &why);
  if (rc != LODE_OK) {
    if (opts && opts->why) *opts->why = why;
    return rc;
  }
  Pager *p = util_zalloc(sizeof *p);
  if (!p) {
    crypto_key_free(codec);
    return LODE_NOMEM;
  }
  u32map_init(&p->cache);
  u32map_init(&p->tspilled);
  p->cache_size = PAGER_DEFAULT_CACHE_SIZE;
  p->spill_size = 1;
  p->spill_on = 1;
  p->synchronous = PAGER_SYNC_FULL;
  p->autocheckpoint = PAGER_AUTOCHECKPOINT;
  /* "" is SQLite's private temporary database: here simply a memory one. */
  p->memory = path == NULL || path[0] == 0 || strcmp(path, ":memory:") == 0;
  p->readonly = !p->memory && (flags & PAGER_OPEN_READONLY);
  registry_lock();
  rc = shared_acquire(p->memory ? "memdb" : path, p->memory, &p->readonly, flags & PAGER_OPEN_CREATE, codec, &p->sh);
  if (rc != LODE_OK) {
    registry_unlock();
    util_free(p);
    return rc;
  }
  PagerShared *sh = p->sh;
  shared_lock(sh);
  sh->nref++;
  p->next_sharer = sh->pagers;
  sh->pagers = p;
  p->seen_seq = sh->change_seq;
  p->npages = p->snap_npages = sh->db_npages;
  p->snap.read_lock = -1;
  static uint64_t opened;
  p->content_gen = p->header_gen = ++opened << 40; /* under the registry lock */
  p->gate_stripe = sh->next_stripe++ % READ_GATE_STRIPES;
  shared_unlock(sh);
  registry_unlock();
  /* A first look at the snapshot gives the page count before any
  ** transaction (and rolls back a hot journal); when another process holds
  ** the locks, the first transaction waits for them instead, and a corrupt
  ** file is reported by each transaction, as SQLite opens it and fails its
  ** statements. */
  if (sh->key) {
    rc = pager_begin_read(p);
    if (rc == LODE_OK) pager_end_read(p);
    else if ((rc & 0xff) != LODE_BUSY && (rc & 0xff) != LODE_CORRUPT) {
      pager_close(p);
      return rc;
    }
  }
  *out = p;
  return LODE_OK;
}

static void shared_detach(Pager *p) {
  PagerShared *sh = p->sh;
  Pager **link = &sh->pagers;
  while (*link && *link != p) link = &(*link)->next_sharer;
  if (*link) *link = p->next_sharer;
  sh->nref--;
}

/* The last pager of the process: when no other process is connected (the
** exclusive lock is granted), the WAL is checkpointed and deleted with the
** -shm, as SQLite does; else both stay for the others.  Without checkpoint
** (the closing pager's checkpoints are off) the WAL stays as it is. */
static int shared_release(PagerShared *sh, int checkpoint) {
  int rc = LODE_OK, remove = sh->key == NULL;
  if (checkpoint && sh->key && sh->writable && (!wal_is_heap(sh->wal) || sh->exclusive)) {
    rc = os_lock(sh->db, OS_LOCK_EXCLUSIVE);
    if (rc == LODE_OK) {
      int log, done;
      rc = wal_checkpoint(sh->wal, NULL, sh->db, PAGER_CKPT_PASSIVE, 1, 0, NULL, &log, &done);
      /* A WAL we failed to checkpoint still holds commits: keep it. */
      remove = rc == LODE_OK && log == done;
    } else if ((rc & 0xff) == LODE_BUSY) {
      rc = LODE_OK;
    }
  }
  int rc2 = wal_close(sh->wal, remove);
  sh->wal = NULL;
  if (rc == LODE_OK) rc = rc2;
  rc2 = os_close(sh->db);
  sh->db = NULL;
  if (rc == LODE_OK) rc = rc2;
  shared_free(sh);
  return rc;
}

int pager_close(Pager *p) {
  if (!p) return LODE_OK;
  if (p->txn == PAGER_TXN_WRITE) pager_rollback(p);
  PagerShared *sh = p->sh;
  registry_lock();
  shared_lock(sh);
  if (p->txn != PAGER_TXN_NONE) wal_end_read(sh->wal, &p->snap);
  p->txn = PAGER_TXN_NONE;
  shared_detach(p);
  int last = sh->nref == 0;
  if (last && sh->key) registry_remove(sh); /* nobody can find it any more */
  shared_unlock(sh);
  registry_unlock();
  int rc = last ? shared_release(sh, !p->no_checkpoint) : LODE_OK;
  pager_frames_free(p);
  memset(p->want_key, 0, sizeof p->want_key);
  pcache_savepoints_pop(p, 0);
  util_free(p->sp);
  os_close(p->sp_file);
  os_close(p->ts_file);
  pcache_free(p);
  util_free(p);
  return rc;
}

/* ---- properties ------------------------------------------------------------- */

uint32_t pager_page_size(Pager *p) { return shared_get(&p->sh->page_size); }
uint32_t pager_usable_size(Pager *p) { return shared_get(&p->sh->page_size) - shared_get(&p->sh->reserved); }
uint32_t pager_page_count(Pager *p) { return p->npages; }
#define PAGER_DEFAULT_MAX_PAGES 0xfffffffeu
uint32_t pager_max_page_count(Pager *p, uint32_t n) {
  if (n > 0) p->max_pages = n < p->npages ? p->npages : n;
  return p->max_pages ? p->max_pages : PAGER_DEFAULT_MAX_PAGES;
}
int pager_is_memory(Pager *p) { return p->memory; }
int pager_is_readonly(Pager *p) { return p->readonly; }
int pager_in_write(Pager *p) { return p->txn == PAGER_TXN_WRITE; }
int pager_wal_mode(Pager *p, int *on) {
  PagerShared *sh = p->sh;
  assert(p->txn != PAGER_TXN_NONE);
  shared_lock(sh);
  *on = sh->wal_chosen;
  shared_unlock(sh);
  if (*on || p->npages == 0) return LODE_OK;
  DbPage *pg;
  int rc = pager_get(p, 1, &pg);
  if (rc != LODE_OK) return rc;
  *on = pg->data[DBHDR_READ_VERSION] == DBHDR_FORMAT_WAL;
  pager_unref(pg);
  return LODE_OK;
}

void pager_choose_wal(Pager *p) {
  shared_lock(p->sh);
  p->sh->wal_chosen = 1;
  shared_unlock(p->sh);
}

void pager_set_busy_timeout(Pager *p, int ms) { p->busy_timeout = ms < 0 ? 0 : ms; }
void pager_set_autocheckpoint(Pager *p, int64_t frames) { p->autocheckpoint = frames; }

void pager_set_journal_size_limit(Pager *p, int64_t bytes) {
  shared_lock(p->sh);
  if (p->sh->wal) wal_set_size_limit(p->sh->wal, bytes);
  shared_unlock(p->sh);
}

void pager_set_mmap_size(Pager *p, int64_t bytes) {
  shared_lock(p->sh);
  read_gate_close(&p->sh->gate);
  p->sh->mmap_limit = bytes > 0 ? bytes : 0;
  if (p->sh->db) (void)os_set_mmap(p->sh->db, bytes);
  read_gate_open(&p->sh->gate);
  shared_unlock(p->sh);
}

void pager_set_synchronous(Pager *p, int level) {
  p->synchronous = level < PAGER_SYNC_OFF ? PAGER_SYNC_OFF : level > PAGER_SYNC_EXTRA ? PAGER_SYNC_EXTRA : level;
}

int pager_synchronous(Pager *p) { return p->synchronous; }

int pager_set_reserved(Pager *p, uint32_t reserved) {
  PagerShared *sh = p->sh;
  shared_lock(sh);
  int64_t size = 0;
  int rc = os_size(sh->db, &size);
  if (rc == LODE_OK && (sh->codec || size > 0 || sh->db_npages > 0 || p->npages > 0 || reserved > 255 ||
                        sh->page_size - reserved < PAGER_MIN_USABLE_SIZE))
    rc = reserved == sh->reserved ? LODE_OK : LODE_ERROR;
  if (rc == LODE_OK) sh->reserved = reserved;
  shared_unlock(sh);
  return rc;
}

static int pager_set_page_size_locked(Pager *p, uint32_t page_size) {
  PagerShared *sh = p->sh;
  if (!page_size_valid(page_size)) return LODE_RANGE;
  if (page_size == sh->page_size) return LODE_OK;
  int64_t size = 0;
  int rc = os_size(sh->db, &size);
  if (rc != LODE_OK) return rc;
  if (size > 0 || sh->db_npages > 0 || p->npages > 0 || wal_snap_frames(&p->snap) > 0 || sh->nref > 1)
    return LODE_ERROR;
  /* Only unreferenced clean pages can be cached in an empty database. */
  pcache_drop_unreferenced(p);
  if (p->ncached > 0) return LODE_ERROR;
  shared_set(&sh->page_size, page_size);
  wal_set_page_size(sh->wal, page_size);
  return LODE_OK;
}

/* ---- transactions ------------------------------------------------------------- */

/* A new snapshot: its page count and page size.  With frames, the
** wal-index header has both; without, the database file is the snapshot
** (no checkpoint can change it while the read lock is held). */
static int pager_adopt_snapshot(Pager *p) {
  PagerShared *sh = p->sh;
  uint32_t ps = wal_snap_page_size(&p->snap), old_ps = sh->page_size;
  if (wal_snap_frames(&p->snap) > 0) {
    if (!page_size_valid(ps)) return LODE_CORRUPT;
    p->snap_npages = wal_snap_npage(&p->snap);
  } else {
    int rc = shared_load(sh);
    if (rc != LODE_OK) return rc;
    if (sh->db_npages_past_end) return LODE_CORRUPT;
    int64_t size = 0;
    rc = os_size(sh->db, &size);
    if (rc != LODE_OK) return rc;
    p->snap_npages = size > 0 ? sh->db_npages : 0;
    ps = size > 0 ? sh->page_size : 0;
  }
  if (ps != 0 && ps != old_ps) {
    /* Another process created the database with another page size: pages
    ** cached at the old size cannot be reused. */
    for (Pager *q = sh->pagers; q; q = q->next_sharer) {
      pcache_drop_unreferenced(q);
      if (q->ncached > 0) {
        shared_set(&sh->page_size, old_ps);
        return LODE_ERROR;
      }
    }
    shared_set(&sh->page_size, ps);
    wal_set_page_size(sh->wal, ps);
  }
  return LODE_OK;
}

/* locking_mode=EXCLUSIVE: the exclusive lock, then a private wal-index.
** Only a sole writable pager of the file in the process can have it. */
static int shared_go_exclusive(Pager *p) {
  PagerShared *sh = p->sh;
  if (!sh->key || !sh->writable || sh->nref > 1) return LODE_OK; /* the mode is only reported */
  int rc = os_lock(sh->db, OS_LOCK_EXCLUSIVE);
  if (rc != LODE_OK) return rc;
  rc = wal_to_heap(sh->wal);
  if (rc != LODE_OK) {
    os_lock(sh->db, sh->lock_level == OS_LOCK_SHARED ? OS_LOCK_SHARED : OS_LOCK_NONE);
    return rc;
  }
  sh->lock_level = OS_LOCK_EXCLUSIVE;
  sh->exclusive = 1;
  return LODE_OK;
}

int pager_locking_mode(Pager *p, int mode) {
  PagerShared *sh = p->sh;
  if (mode < 0) return p->locking_mode; /* what was asked for last, as SQLite reports it */
  p->locking_mode = mode;
  if (p->memory) return 1; /* a memory database is always exclusive */
  shared_lock(sh);
  if (!sh->exclusive) p->want_exclusive = mode;
  int now = sh->exclusive || p->want_exclusive;
  shared_unlock(sh);
  return now;
}

/* Another pager or process committed since this cache was filled (from the
** snapshot old): when the log only grew, the pages of its new frames change;
** otherwise (a new log, another page size) any may have. */
static int pager_refresh_cache(Pager *p, const WalIndexHdr *old) {
  const WalIndexHdr *now = &p->snap.hdr;
  if (old->is_init && memcmp(old->salt, now->salt, sizeof old->salt) == 0 && old->mx_frame <= now->mx_frame &&
      old->page_size == now->page_size)
    return pcache_reload_changed(p, old->mx_frame, now->mx_frame);
  return pcache_reload_all(p);
}

static int pager_try_begin_read(Pager *p) {
  PagerShared *sh = p->sh;
  int changed = 0;
  WalIndexHdr old = p->snap.hdr;
  int rc = p->want_exclusive && !sh->exclusive ? shared_go_exclusive(p) : LODE_OK;
  if (p->trace_next || p->tracing) {
    pcache_trace_reset(p);
    p->tracing = p->trace_next;
    p->trace_next = 0;
  }
  if (rc == LODE_OK) rc = shared_connect(p);
  if (rc == LODE_OK) rc = wal_begin_read(sh->wal, &p->snap, &changed);
  if (rc != LODE_OK) return rc;
  p->txn = PAGER_TXN_READ;
  if (changed) {
    pager_content_changed(p);
    rc = pager_adopt_snapshot(p);
  }
  p->npages = p->snap_npages;
  if (rc == LODE_OK && changed) rc = pager_refresh_cache(p, &old);
  /* Another process may have cut the file (a checkpoint after VACUUM): a
  ** mapping past its end would fault where pread reads short. */
  if (rc == LODE_OK && changed && sh->mmap_limit > 0) (void)os_set_mmap(sh->db, sh->mmap_limit);
  if (rc != LODE_OK) {
    wal_end_read(sh->wal, &p->snap);
    memset(&p->snap.hdr, 0, sizeof p->snap.hdr); /* forces a fresh look next time */
    p->txn = PAGER_TXN_NONE;
  }
  return rc;
}

static int pager_begin_read_locked(Pager *p) {
  if (p->txn != PAGER_TXN_NONE) return LODE_OK;
  PagerShared *sh = p->sh;
  if (!sh->key) {
    p->npages = p->snap_npages = sh->db_npages;
    p->txn = PAGER_TXN_READ;
    if (p->seen_seq != sh->change_seq) {
      p->seen_seq = sh->change_seq;
      pager_content_changed(p);
      return pcache_reload_all(p);
    }
    return LODE_OK;
  }
  return pager_busy_retry(p, pager_try_begin_read);
}

void pager_end_read(Pager *p) {
  shared_lock(p->sh); /* the wal-index lock counts are shared */
  if (p->txn == PAGER_TXN_READ) {
    p->txn = PAGER_TXN_NONE;
    if (p->sh->key) wal_end_read(p->sh->wal, &p->snap);
  }
  shared_unlock(p->sh);
}

/* The write lock for a pager in a read transaction. */
static int pager_try_write_lock(Pager *p) {
  PagerShared *sh = p->sh;
  if (!sh->key) return LODE_OK;
  return wal_begin_write(sh->wal, &p->snap);
}

/* Without a transaction: a fresh snapshot and the write lock, retried
** together (a snapshot overtaken while waiting is taken again). */
static int pager_try_read_and_write(Pager *p) {
  int rc = p->sh->key ? pager_try_begin_read(p) : pager_begin_read_locked(p);
  if (rc != LODE_OK) return rc;
  rc = pager_try_write_lock(p);
  if (rc != LODE_OK) {
    p->txn = PAGER_TXN_NONE;
    if (p->sh->key) wal_end_read(p->sh->wal, &p->snap);
  }
  return rc;
}

static int pager_begin_write_locked(Pager *p) {
  PagerShared *sh = p->sh;
  if (p->readonly) return LODE_READONLY;
  if (p->txn == PAGER_TXN_WRITE) return LODE_OK;
  /* A cipher without a key (or the reverse) must not let plaintext be written. */
  if ((p->want_cipher || p->want_key_len) && !sh->codec) return LODE_ERROR;
  if (sh->writer) return LODE_BUSY;
  int rc;
  if (p->txn == PAGER_TXN_NONE) {
    rc = pager_busy_retry(p, pager_try_read_and_write);
  } else {
    rc = pager_try_write_lock(p);
  }
  if (rc != LODE_OK) return rc;
  p->npages = p->snap_npages;
  /* A memory database rolls back from the pre-images of its journal (pcache.c). */
  if (p->memory && (rc = pcache_journal_begin(p)) != LODE_OK) return rc;
  sh->writer = p;
  p->txn = PAGER_TXN_WRITE;
  return LODE_OK;
}

/* Whether page 1's pager-owned fields already say what a stamp would write,
** the change counter and the writing release (96) aside. */
static int header_current(const Pager *p, const uint8_t *d) {
  return d[DBHDR_WRITE_VERSION] == DBHDR_FORMAT_WAL && d[DBHDR_READ_VERSION] == DBHDR_FORMAT_WAL &&
         util_get4(d + DBHDR_PAGE_COUNT) == p->npages &&
         util_get4(d + DBHDR_CHANGE_COUNTER) == util_get4(d + DBHDR_VERSION_VALID_FOR);
}

/* Stamps the pager-owned header fields of page 1 when the commit must write
** the page (see the file comment), or always with force. */
static int pager_stamp_header(Pager *p, int force) {
  DbPage *pg;
  int rc = pager_get(p, 1, &pg);
  if (rc == LODE_OK && !force && !pcache_page_changed(p, 1) && header_current(p, pg->data)) {
    pager_unref(pg);
    return LODE_OK;
  }
  if (rc == LODE_OK) rc = pager_write(pg);
  if (rc != LODE_OK) {
    pager_unref(pg);
    return rc;
  }
  uint8_t *d = pg->data;
  PagerShared *sh = p->sh;
  /* A memory database keeps its change counter, as SQLite's do: no other
  ** process reads it, and an image serialized, opened and serialized again
  ** stays byte for byte the same. */
  uint32_t counter = util_get4(d + DBHDR_CHANGE_COUNTER) + (sh->key ? 1 : 0);
  d[DBHDR_WRITE_VERSION] = DBHDR_FORMAT_WAL;
  d[DBHDR_READ_VERSION] = DBHDR_FORMAT_WAL;
  util_put4(d + DBHDR_CHANGE_COUNTER, counter);
  util_put4(d + DBHDR_PAGE_COUNT, p->npages);
  util_put4(d + DBHDR_VERSION_VALID_FOR, counter);
  util_put4(d + DBHDR_SQLITE_VERSION, PAGER_SQLITE_VERSION_NUMBER);
  if (memcmp(d, DBHDR_MAGIC, sizeof DBHDR_MAGIC) == 0 && sh->page_size - d[DBHDR_RESERVED] >= PAGER_MIN_USABLE_SIZE)
    shared_set(&sh->reserved, d[DBHDR_RESERVED]);
  pager_unref(pg);
  return LODE_OK;
}

int pager_page1_valid(const uint8_t *page1, uint32_t page_size) {
  if (memcmp(page1, DBHDR_MAGIC, sizeof DBHDR_MAGIC) != 0) return 0;
  uint32_t ps = util_get2(page1 + DBHDR_PAGE_SIZE);
  return (ps == 1 ? PAGER_MAX_PAGE_SIZE : ps) == page_size;
}

void pager_adopt_page1(PagerShared *sh, const uint8_t *page1) {
  if (sh->page_size - page1[DBHDR_RESERVED] >= PAGER_MIN_USABLE_SIZE) shared_set(&sh->reserved, page1[DBHDR_RESERVED]);
}

static int pgno_cmp(const void *a, const void *b) {
  uint32_t x = ((const WalPage *)a)->pgno, y = ((const WalPage *)b)->pgno;
  return x < y ? -1 : x > y;
}

/* The dirty pages that survive (pgno <= npages), sorted by page number. */
static int pager_collect_dirty(Pager *p, WalPage **out, uint32_t *n_out) {
  WalPage *v = util_malloc(sizeof *v * (p->ndirty + 1));
  if (!v) return LODE_NOMEM;
  uint32_t n = 0;
  for (PgHdr *h = p->dirty_head; h; h = h->dirty_next) {
    if (h->pub.pgno <= p->npages) v[n++] = (WalPage){h->pub.pgno, h->pub.data};
  }
  qsort(v, n, sizeof *v, pgno_cmp);
  *out = v;
  *n_out = n;
  return LODE_OK;
}

/* Header fields an empty one-page database keeps from the committing page 1:
** schema format (44), default cache size (48), text encoding (56). */
#define DBHDR_META_START 32
#define DBHDR_SCHEMA_FORMAT 44
#define DBHDR_TEXT_ENCODING 56
#define DBHDR_KEEP_LEN 4
#define BTREE_LEAF_TABLE 0x0d
#define BTREE_HDR_CONTENT_START 5 /* 2 bytes after the page-type byte at 0 */

/* Before the first commit of a new file database goes to the WAL, the
** database file gets a valid empty one-page database (header in WAL format +
** empty sqlite_schema leaf), synced.  Why: SQLite deletes the WAL of a
** zero-length database file on open, so after a crash before the first
** checkpoint it would throw away every commit; SQLite itself never leaves a
** WAL-mode database file empty.  If we crash between this write and the WAL
** commit, the file is simply an empty database. */
int pager_seed_empty_file(PagerShared *sh, const uint8_t *page1) {
  int64_t size = 0;
  int rc = os_size(sh->db, &size);
  if (rc != LODE_OK || size > 0) return rc;
  uint8_t *d = util_zalloc(sh->page_size);
  if (!d) return LODE_NOMEM;
  memcpy(d, page1, DBHDR_SIZE);
  memset(d + DBHDR_META_START, 0, DBHDR_VERSION_VALID_FOR - DBHDR_META_START);
  memcpy(d + DBHDR_SCHEMA_FORMAT, page1 + DBHDR_SCHEMA_FORMAT, 2 * DBHDR_KEEP_LEN); /* 44..51 */
  memcpy(d + DBHDR_TEXT_ENCODING, page1 + DBHDR_TEXT_ENCODING, DBHDR_KEEP_LEN);
  util_put4(d + DBHDR_PAGE_COUNT, 1);
  uint32_t usable = sh->page_size - d[DBHDR_RESERVED];
  d[DBHDR_SIZE] = BTREE_LEAF_TABLE;
  util_put2(d + DBHDR_SIZE + BTREE_HDR_CONTENT_START, usable == PAGER_MAX_PAGE_SIZE ? 0 : usable);
  rc = page_encode(sh->codec, 1, d, d, sh->page_size);
  if (rc == LODE_OK) rc = os_write(sh->db, d, sh->page_size, 0);
  if (rc == LODE_OK) rc = os_sync(sh->db);
  util_free(d);
  return rc;
}

/* Writers of this process in a row that may get the WAL write lock from
** the one before without it going back to the OS (see write_wanted). */
#define PAGER_HANDOFFS 16

static void pager_end_write(Pager *p) {
  PagerShared *sh = p->sh;
  if (sh->writer == p) { /* a concurrent transaction may never have locked */
    sh->writer = NULL;
    if (sh->key) {
      int hand_on = sh->write_wanted > 0 && sh->handoffs < PAGER_HANDOFFS;
      sh->handoffs = hand_on ? sh->handoffs + 1 : 0;
      wal_end_write(sh->wal, hand_on);
    }
    shared_writer_gone(sh);
  }
  p->concurrent = 0;
  p->txn = PAGER_TXN_READ;
  p->npages = p->snap_npages;
  pcache_settle(p);
}

static int pager_run_checkpoint(Pager *p, int mode, const WalUnlock *unlock, int *log, int *done) {
  PagerShared *sh = p->sh;
  if (!sh->writable) return LODE_READONLY;
  int rc = shared_connect(p);
  if (rc != LODE_OK) return rc;
  WalSnap *own = p->txn == PAGER_TXN_READ ? &p->snap : NULL;
  if (mode == PAGER_CKPT_PASSIVE && wal_passive_idle(sh->wal, own, log, done)) return LODE_OK;
  if (own) wal_remark(sh->wal, own); /* its own commit's frames are not held back by its old mark */
  return wal_checkpoint(sh->wal, own, sh->db, mode, p->synchronous != PAGER_SYNC_OFF, p->busy_timeout, unlock, log,
                        done);
}

/* The commit is durable in the WAL; a checkpoint that cannot run now (a
** reader on an older snapshot, an I/O error, another checkpoint of the
** process) is retried after a later one. */
static void pager_autocheckpoint_locked(Pager *p, const WalUnlock *unlock) {
  int log, done, timeout = p->busy_timeout;
  p->busy_timeout = 0;
  (void)pager_run_checkpoint(p, PAGER_CKPT_PASSIVE, unlock, &log, &done);
  p->busy_timeout = timeout;
}

/* What a group commit that left the WAL at its autocheckpoint size leaves due. */
static int pager_due(Pager *p) {
  int64_t frames = wal_snap_frames(&p->snap), limit = p->autocheckpoint;
  int due = frames - (int64_t)wal_backfilled(p->sh->wal) >= limit ? PAGER_CKPT_DUE_COPY : 0;
  return due | (frames >= PAGER_RESTART_FACTOR * limit ? PAGER_CKPT_DUE_RESTART : 0);
}

/* The mutex let go around a commit's frame writes (wal_append), held once. */
static void shared_append_leave(void *ctx) { shared_unlock(ctx); }
static void shared_append_enter(void *ctx) { shared_lock(ctx); }

/* unlocked_io: the caller holds the mutex once, so the WAL append may let
** go of it around its writes. */
static int pager_commit_locked(Pager *p, int unlocked_io) {
  if (p->txn != PAGER_TXN_WRITE) return LODE_OK;
  if (p->concurrent) return LODE_MISUSE; /* pager_concurrent_lock comes first */
  PagerShared *sh = p->sh;
  if (p->ndirty == 0 && p->nspilled == 0 && p->tspilled.count == 0 && p->npages == p->snap_npages) {
    pager_end_write(p);
    return LODE_OK;
  }
  if (p->npages == 0) return LODE_CORRUPT; /* a database never shrinks to nothing */
  if (p->memory) {
    /* The cache is the storage (pcache.c): the commit stamps page 1, the
    ** only step that can fail (its pre-image), and the dirty pages become
    ** the committed ones when pager_end_write marks them clean. */
    int rc = pager_stamp_header(p, 0);
    if (rc != LODE_OK) return rc; /* still in the write transaction: the caller rolls back */
    if (sh->rekey) { /* nothing in memory is encoded: the new key simply takes over */
      CryptoKey *old = sh->codec;
      shared_set_codec(sh, sh->rekey);
      crypto_key_free(old);
      sh->rekey = NULL;
    }
    sh->db_npages = p->snap_npages = p->npages;
    sh->change_seq++;
    p->seen_seq = sh->change_seq;
    pager_end_write(p);
    return LODE_OK;
  }
  int rc = pcache_unspill_temp(p);
  if (rc == LODE_OK) rc = pager_stamp_header(p, 0);
  WalPage *pages = NULL;
  uint32_t n = 0;
  if (rc == LODE_OK) rc = pager_collect_dirty(p, &pages, &n);
  if (rc == LODE_OK && n == 0) {
    /* Only pages past the end or spilled ones changed: the commit frame
    ** still needs a page, and page 1 is the one SQLite gives it. */
    util_free(pages);
    pages = NULL;
    rc = pager_stamp_header(p, 1);
    if (rc == LODE_OK) rc = pager_collect_dirty(p, &pages, &n);
  }
  if (rc == LODE_OK && p->snap_npages == 0 && n > 0 && pages[0].pgno == 1)
    rc = pager_seed_empty_file(sh, pages[0].data);
  CryptoKey *old_codec = sh->codec;
  if (rc == LODE_OK && sh->rekey) {
    /* The pages of a rekey go out under the new key. */
    shared_set_codec(sh, sh->rekey);
  }
  int sync = p->synchronous >= PAGER_SYNC_FULL;
  int defer = sync && p->group_commit;
  WalUnlock unlock = {shared_append_leave, shared_append_enter, sh};
  int let_go = unlocked_io && !sh->rekey && sh->parallel_reads && sh->sync->threads;
  if (rc == LODE_OK)
    rc = wal_append(sh->wal, &p->snap, pages, n, p->npages, sync && !defer, let_go ? &unlock : NULL);
  if (sh->rekey) {
    CryptoKey *drop = rc == LODE_OK ? old_codec : sh->rekey;
    shared_set_codec(sh, rc == LODE_OK ? sh->rekey : old_codec);
    if (drop != sh->codec) crypto_key_free(drop);
    sh->rekey = NULL;
  }
  util_free(pages);
  if (rc != LODE_OK) return rc; /* still in the write transaction: the caller rolls back */
  if (defer) {
    p->sync_due = ++sh->commits_written;
    p->group_last_us = now_us();
    p->group_thread = &thread_tag;
    if (sh->gathering) sh->sync->cond_broadcast(sh->appended);
  }
  else if (sync) sh->commits_synced = sh->commits_written; /* its sync came after every earlier append */
  sh->db_npages = p->snap_npages = p->npages;
  sh->change_seq++;
  p->seen_seq = sh->change_seq;
  pager_end_write(p);
  if (!p->no_checkpoint && p->autocheckpoint > 0 &&
      (int64_t)wal_snap_frames(&p->snap) >= p->autocheckpoint) {
    /* A group commit leaves it to the caller, who knows when the
    ** transactions of the other connections let it copy the whole WAL. */
    if (p->group_commit) p->checkpoint_due = pager_due(p);
    else pager_autocheckpoint_locked(p, NULL);
  }
  return LODE_OK;
}

static int pager_rollback_locked(Pager *p) {
  if (p->txn != PAGER_TXN_WRITE) return LODE_OK;
  pager_content_changed(p);
  p->npages = p->snap_npages;
  int rc = pcache_rollback_dirty(p);
  pager_end_write(p);
  return rc;
}

static int pager_checkpoint_locked(Pager *p, int mode, int *wal_frames, int *checkpointed) {
  int log = -1, done = -1, rc;
  if (p->readonly) rc = LODE_READONLY;
  else if (p->txn == PAGER_TXN_WRITE && (p->ndirty > 0 || p->nspilled > 0)) rc = LODE_BUSY;
  else if (!p->sh->key) rc = LODE_OK;
  else rc = pager_run_checkpoint(p, mode, NULL, &log, &done);
  /* What SQLite reports: the frames the WAL holds and how many of them are
  ** in the database file, -1 for both when the checkpoint could not start. */
  if (wal_frames) *wal_frames = log;
  if (checkpointed) *checkpointed = done;
  return rc;
}

/* ---- locked entry points (see shared_lock) ------------------------------------ */

int pager_set_page_size(Pager *p, uint32_t page_size) {
  shared_lock(p->sh);
  int rc = pager_set_page_size_locked(p, page_size);
  shared_unlock(p->sh);
  return rc;
}

int pager_begin_read(Pager *p) {
  shared_lock(p->sh);
  int rc = pager_begin_read_locked(p);
  shared_unlock(p->sh);
  return rc;
}

/* When another connection of this process holds the write lock
** (sh->writer), one without a snapshot waits for it as for another
** process's lock (that wait is pager_begin_write_locked's own), with the
** mutex released while it sleeps. */
/* Counts the caller in or out of the connections trying to take the write
** lock (the mutex held); the last one out releases a write lock handed on
** that nobody took. */
static void shared_want_write(PagerShared *sh, int in) {
  sh->write_wanted += in ? 1 : -1;
  if (!in && sh->write_wanted == 0 && !sh->writer && sh->key && wal_write_kept(sh->wal)) {
    wal_drop_write(sh->wal);
    sh->handoffs = 0;
  }
}

int pager_begin_write(Pager *p) {
  int64_t waited_us = 0;
  for (int first = 1;; first = 0) {
    shared_lock(p->sh);
    if (first) shared_want_write(p->sh, 1);
    int held_here = p->sh->writer && p->sh->writer != p && p->txn == PAGER_TXN_NONE;
    int rc = held_here ? LODE_BUSY : pager_begin_write_locked(p);
    int again = held_here && shared_wait_writer(p, &waited_us);
    if (!again) shared_want_write(p->sh, 0);
    shared_unlock(p->sh);
    if (!again) return rc;
  }
}

/* ---- concurrent write transactions --------------------------------------------
** A concurrent transaction writes into its pager's own cache over its
** snapshot without the WAL write lock, so that several connections write
** at once.  Its dirty pages spill to a temporary file of its own (the WAL
** is not its to write until it commits: pcache.c).  At
** commit the caller takes the lock (pager_concurrent_lock): if nothing was
** committed since the snapshot, the transaction commits as any writer's;
** otherwise its pages are stale: the caller (who knows the changes by key)
** drops them and moves to the latest snapshot under the lock
** (pager_concurrent_rebase), then makes its changes again and commits. */

int pager_begin_concurrent(Pager *p) {
  PagerShared *sh = p->sh;
  if (p->readonly) return LODE_READONLY;
  if (!sh->key) return LODE_MISUSE; /* a private memory database has no other writer */
  shared_lock(sh);
  int rc = LODE_OK;
  if ((p->want_cipher || p->want_key_len) && !sh->codec) rc = LODE_ERROR;
  else if (p->txn == PAGER_TXN_NONE) rc = pager_begin_read_locked(p);
  if (rc == LODE_OK && p->txn == PAGER_TXN_READ) {
    p->txn = PAGER_TXN_WRITE;
    p->concurrent = 1;
    p->npages = p->snap_npages;
  }
  shared_unlock(sh);
  return rc;
}

int pager_in_concurrent(Pager *p) { return p->concurrent != 0; }
void pager_trace_next(Pager *p) { p->trace_next = 1; }
void pager_trace_mark(Pager *p) {
  if (p->tracing) p->epoch++;
}
uint32_t pager_trace_epoch(Pager *p) { return p->epoch; }

uint64_t pager_content_gen(Pager *p) { return p->content_gen; }
uint64_t pager_header_gen(Pager *p) { return p->header_gen; }

uint64_t pager_snapshot_tag(Pager *p) {
  const uint8_t *b = (const uint8_t *)&p->snap.hdr;
  uint64_t h = 1469598103934665603ull; /* over the wal-index header of the snapshot, a word at a time */
  size_t i = 0;
  for (; i + 8 <= sizeof p->snap.hdr; i += 8) {
    uint64_t w;
    memcpy(&w, b + i, sizeof w);
    h = (h ^ w) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
  }
  for (; i < sizeof p->snap.hdr; i++) h = (h ^ b[i]) * 1099511628211ull;
  /* A memory database has no wal-index: its commits count in seen_seq. */
  if (!p->sh->key) h = (h ^ p->seen_seq) * 1099511628211ull;
  return h;
}

const void *pager_file_id(Pager *p) { return p->sh; }

static int pager_try_concurrent_lock(Pager *p) {
  PagerShared *sh = p->sh;
  if (sh->writer) return LODE_BUSY; /* an exclusive transaction of this process */
  int stale = 0, rc = wal_lock_write(sh->wal, &p->snap, &stale);
  if (rc != LODE_OK) return rc;
  sh->writer = p;
  p->concurrent = stale ? PAGER_CONCURRENT_STALE : 0;
  return LODE_OK;
}

/* Waits out another writer as pager_begin_write does (busy_timeout), the
** mutex released while it sleeps. */
int pager_concurrent_lock(Pager *p, int *stale) {
  assert(p->txn == PAGER_TXN_WRITE && p->concurrent == PAGER_CONCURRENT_OPEN);
  int waited = 0, rc, counted = 0;
  int64_t waited_here = 0;
  for (int i = 0;;) {
    shared_lock(p->sh);
    if (!counted) shared_want_write(p->sh, 1);
    rc = pager_try_concurrent_lock(p);
    int here = rc == LODE_BUSY && p->sh->writer != NULL;
    int again = here && shared_wait_writer(p, &waited_here);
    counted = again;
    if (!again) shared_want_write(p->sh, 0);
    shared_unlock(p->sh);
    if (again) continue;
    if (rc != LODE_BUSY || here || !pager_busy_pause(p, i++, &waited)) break;
  }
  *stale = rc == LODE_OK && p->concurrent == PAGER_CONCURRENT_STALE;
  return rc;
}

/* Which changes a stale concurrent transaction keeps (as pages) on the new
** snapshot: those of the epochs before the first one that used a page the
** commits in between wrote.  The pages the earlier epochs used are the same
** in both snapshots, so on the new one they would have made the same pages:
** their dirty pages stay, and the caller makes only the later changes again.
** Nothing is kept (0) when a map was lost, pages spilled, the transaction
** changed the page count, or the log did not just grow. */
static uint32_t pager_keep_epoch(Pager *p, const WalIndexHdr *old, uint32_t old_npages) {
  const WalIndexHdr *now = &p->snap.hdr;
  uint32_t keep = 0;
  if (!p->tracing || p->trace_lost || p->nspilled > 0 || p->tspilled.count > 0 || p->npages != old_npages ||
      !old->is_init || memcmp(old->salt, now->salt, sizeof old->salt) != 0 || old->mx_frame > now->mx_frame ||
      old->page_size != now->page_size || !p->snap.use_wal)
    return 0;
  if (pcache_keep_epoch(p, old->mx_frame, now->mx_frame, &keep) != LODE_OK) return 0;
  return keep;
}

int pager_concurrent_rebase(Pager *p, int may_keep, uint32_t *keep) {
  PagerShared *sh = p->sh;
  shared_lock(sh);
  assert(p->concurrent == PAGER_CONCURRENT_STALE && sh->writer == p);
  int rc = LODE_OK, changed = 0;
  pcache_savepoints_pop(p, 0);
  /* Under the write lock the latest snapshot cannot move. */
  WalIndexHdr old = p->snap.hdr;
  uint32_t old_npages = p->snap_npages, dirty_npages = p->npages;
  /* The read lock stays where it is when it can (no lock calls in the
  ** serial part of a commit); otherwise a new read. */
  int moved = 0, r = wal_advance_read(sh->wal, &p->snap, &changed, &moved);
  if (r == LODE_OK && !moved) {
    wal_end_read(sh->wal, &p->snap);
    r = wal_begin_read(sh->wal, &p->snap, &changed);
  }
  p->npages = dirty_npages;
  *keep = may_keep && r == LODE_OK && changed ? pager_keep_epoch(p, &old, old_npages) : 0;
  if (r == LODE_OK && changed) r = pager_adopt_snapshot(p);
  p->npages = p->snap_npages;
  if (*keep > 0) {
    if (r == LODE_OK) r = pcache_rebase_keep(p, old.mx_frame, p->snap.hdr.mx_frame, *keep);
  } else {
    rc = pcache_rollback_dirty(p);
    if (r == LODE_OK && changed) r = pager_refresh_cache(p, &old);
  }
  if (rc == LODE_OK) rc = r;
  if (rc != LODE_OK) {
    pager_end_write(p);
    wal_end_read(sh->wal, &p->snap);
    memset(&p->snap.hdr, 0, sizeof p->snap.hdr);
    p->txn = PAGER_TXN_NONE;
  } else {
    p->concurrent = 0;
    p->npages = p->snap_npages;
  }
  shared_unlock(sh);
  return rc;
}

int pager_commit(Pager *p) {
  shared_lock(p->sh);
  int rc = pager_commit_locked(p, 1);
  shared_unlock(p->sh);
  return rc;
}

void pager_set_group_commit(Pager *p, int on) { p->group_commit = on != 0; }

int pager_checkpoint_due(Pager *p) {
  int due = p->checkpoint_due;
  p->checkpoint_due = 0;
  return due;
}

/* A checkpoint lets go of the mutex (held once here) around its I/O when
** reads may run in parallel: sh->checkpointing meanwhile, so that an
** explicit checkpoint waits for it rather than failing on its lock. */
static void shared_checkpoint_leave(void *ctx) {
  PagerShared *sh = ctx;
  sh->checkpointing = 1;
  shared_unlock(sh);
}

static void shared_checkpoint_enter(void *ctx) {
  PagerShared *sh = ctx;
  shared_lock(sh);
  sh->checkpointing = 0;
  shared_sync_done(sh);
}

void pager_autocheckpoint(Pager *p) {
  PagerShared *sh = p->sh;
  if (p->txn == PAGER_TXN_WRITE || !sh->key) return;
  WalUnlock unlock = {shared_checkpoint_leave, shared_checkpoint_enter, sh};
  shared_lock(sh);
  pager_autocheckpoint_locked(p, sh->parallel_reads && sh->sync->threads ? &unlock : NULL);
  shared_unlock(sh);
}

/* A group sync gathers (shared_gather) for half the last sync's time at
** most, and never longer than this: what a lone commit may wait. */
#define PAGER_GATHER_MAX_US 1000
/* A connection of another thread is writing when it appended a commit
** within this many times the last sync's, or within the minimum. */
#define PAGER_GATHER_RECENT_SYNCS 4
#define PAGER_GATHER_RECENT_MIN_US 2000

/* The mutex held once, before a group sync starts (syncing set, so that the
** commits appended meanwhile wait for this sync and are covered by it).
** Every connection of another thread that appended a commit lately and has
** none waiting for a sync is likely in its next transaction: without this
** wait, two writers take turns, each sync covering the one commit its
** thread appended while the other's sync ran.  So it waits until those
** connections have appended as many commits, or half the last sync's time
** has passed: waiting longer than a share of a sync costs more than the
** sync it saves.  With no such connection (one writer; several connections
** of one thread) it does not wait, nor when other commits than the
** caller's already wait for a sync: the sync groups them anyway, and with
** many writers the processors rather than the syncs are what limits, so a
** wait would only add to every commit's time. */
static void shared_gather(Pager *p) {
  PagerShared *sh = p->sh;
  int64_t limit = sh->sync_us / 2 < PAGER_GATHER_MAX_US ? sh->sync_us / 2 : PAGER_GATHER_MAX_US;
  if (!sh->sync->threads || limit <= 0 || sh->commits_written - sh->commits_synced > 1) return;
  int64_t now = now_us();
  int64_t recent = sh->sync_us * PAGER_GATHER_RECENT_SYNCS;
  if (recent < PAGER_GATHER_RECENT_MIN_US) recent = PAGER_GATHER_RECENT_MIN_US;
  uint64_t expected = 0;
  for (Pager *o = sh->pagers; o; o = o->next_sharer) {
    int other_thread = o->group_thread && o->group_thread != &thread_tag;
    if (other_thread && now - o->group_last_us < recent && o->sync_due <= sh->commits_synced) expected++;
  }
  if (expected == 0) return;
  uint64_t until = sh->commits_written + expected;
  int64_t deadline = now + limit;
  sh->gathers++;
  sh->gathering = 1;
  while (sh->commits_written < until && (now = now_us()) < deadline)
    sh->sync->cond_wait(sh->appended, sh->mutex, deadline - now);
  sh->gathering = 0;
  if (sh->commits_written >= until) sh->gathered++;
}

int pager_sync_commit(Pager *p) {
  if (p->sync_due == 0) return LODE_OK;
  PagerShared *sh = p->sh;
  int rc = LODE_OK;
  shared_lock(sh);
  uint64_t due = p->sync_due;
  while (rc == LODE_OK && sh->commits_synced < due) {
    if (sh->syncing) {
      shared_wait_sync(sh);
      continue;
    }
    sh->syncing = 1;
    shared_gather(p);
    /* This sync makes durable every commit appended before it starts: the
    ** WAL only grows under a commit, and a restart comes after a checkpoint
    ** that synced what it copied. */
    uint64_t target = sh->commits_written;
    OsFile *f = wal_file(sh->wal);
    shared_unlock(sh);
    int64_t start = now_us();
    rc = f ? os_sync(f) : LODE_OK;
    int64_t took = now_us() - start;
    shared_lock(sh);
    sh->syncing = 0;
    sh->sync_us = took;
    sh->group_syncs++;
    if (rc == LODE_OK && target > sh->commits_synced) sh->commits_synced = target;
    shared_sync_done(sh);
  }
  assert(rc != LODE_OK || sh->commits_synced >= due);
  /* Under the mutex: a gathering sync reads it (no commit of this pager
  ** waits for a sync any more). */
  p->sync_due = 0;
  shared_unlock(sh);
  return rc;
}

void pager_group_stats(Pager *p, uint64_t *syncs, uint64_t *gathers, uint64_t *gathered) {
  shared_lock(p->sh);
  *syncs = p->sh->group_syncs;
  *gathers = p->sh->gathers;
  *gathered = p->sh->gathered;
  shared_unlock(p->sh);
}

int pager_rollback(Pager *p) {
  shared_lock(p->sh);
  int rc = pager_rollback_locked(p);
  shared_unlock(p->sh);
  return rc;
}

int pager_checkpoint(Pager *p, int mode, int *wal_frames, int *checkpointed) {
  shared_lock(p->sh);
  while (p->sh->checkpointing) shared_wait_sync(p->sh);
  int rc = pager_checkpoint_locked(p, mode, wal_frames, checkpointed);
  shared_unlock(p->sh);
  return rc;
}

/* The frames of the last snapshot this connection took. */
