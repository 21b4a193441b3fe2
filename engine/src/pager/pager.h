/*
** pager.h — pages of one database file: a page cache with a byte budget,
** transactions, the write-ahead log and checkpoints.
**
** Journal: Lode always writes through a WAL in SQLite's WAL format
** (<db>-wal: 32-byte header, frames of 24-byte header + page, salts,
** cumulative checksums) with SQLite's wal-index in <db>-shm, shared with
** other processes (Lode or sqlite3) under SQLite's locking protocol (wal.c);
** it is rebuilt from the WAL (recovery: frames are accepted up to the last
** valid commit frame) when its header does not verify.
** A database file in legacy rollback-journal mode (header bytes 18/19 == 1)
** is read as it is and switched to WAL (18/19 = 2) by the first write
** transaction.  On close the WAL is checkpointed into the database file and
** deleted with the -shm when no other process is connected; a checkpoint also
** runs at the end of a commit once the WAL holds PAGER_AUTOCHECKPOINT frames,
** and the WAL starts over from its first frame once all of it is checkpointed.
**
** ":memory:" databases use the same code over a private memory OsVfs, but
** keep their pages in the cache alone: never evicted, never spilled, each
** page stored once (pcache.c).
**
** Page numbers start at 1.  Page 1 holds the 100-byte database header; the
** pager owns header fields 18/19 (format versions), 24 (change counter),
** 28 (page count), 92 (version-valid-for) and 96 (library version number) and
** rewrites them on commit.  Everything else in page 1 belongs to the btree.
**
** Invariants:
**  - pager_write() is only legal inside a write transaction, and a page must
**    be made writable with pager_write() before its bytes change.
**  - Dirty pages reach the WAL at commit; a write transaction whose cache
**    is full of them spills the unreferenced ones to the WAL before (frames
**    without a commit mark, published by the commit: pcache.c), unless
**    PRAGMA cache_spill is off or the database is in memory.
**  - A page handle stays valid (its data pointer stable) until unref.
**  - Savepoints, numbered by depth (1 = outermost): pager_savepoint_begin(d)
**    remembers the pre-image of every page first written after it (and the
**    page count), discarding any savepoint of depth >= d first;
**    pager_savepoint_rollback(d) restores them and keeps savepoint d open
**    (empty again), discarding the deeper ones; _release(d) forgets d and
**    every deeper one.  The VM numbers the SQL SAVEPOINTs 1..n and puts a
**    statement's savepoint at n+1, so both nest in one stack.  A pre-image
**    is copied once per write and shared by every savepoint that needs it.
*/
#ifndef LODE_PAGER_H
#define LODE_PAGER_H

#include <stddef.h>
#include <stdint.h>

#include "os/os.h"

typedef struct Pager Pager;

typedef struct DbPage {
  uint32_t pgno;
  uint8_t *data; /* page_size bytes */
  void *extra;   /* PAGER_EXTRA_SIZE zeroed bytes owned by the btree layer */
} DbPage;

#define PAGER_DEFAULT_PAGE_SIZE 4096
#define PAGER_AUTOCHECKPOINT 1000
/* PRAGMA wal_autocheckpoint: frames after which a commit checkpoints (<= 0: never). */
void pager_set_autocheckpoint(Pager *p, int64_t frames);
/* PRAGMA journal_size_limit: when the WAL starts over, its file is cut to
** this many bytes (or to what the commit wrote, if more); < 0: never. */
void pager_set_journal_size_limit(Pager *p, int64_t bytes);
/* PRAGMA mmap_size: the first bytes of the database file that reads take
** from a read-only mapping instead of pread (0: none; ignored in memory and
** by backends without mappings).  Pages in the WAL are still read from the
** WAL.  The mapping belongs to the process's handle of the file, so the
** connection that set it last decides for all connections to that file. */
void pager_set_mmap_size(Pager *p, int64_t bytes);
#define PAGER_EXTRA_SIZE 64

#define PAGER_OPEN_READONLY 0x01
#define PAGER_OPEN_CREATE 0x02

/* Options of pager_open_v2.  cipher/hexkey: the database's encryption
** (crypto/crypto.h: every page encrypted and authenticated on disk; the
** key is kept in memory only).  A file encrypted with another cipher or
** key, or not encrypted, does not open: LODE_NOTADB.  A bad cipher name or
** key is LODE_ERROR with *why (when set) saying which. */
typedef struct PagerOptions {
  const char *cipher; /* "aegis256", ...; NULL: plaintext */
  const char *hexkey;
  const char **why;
} PagerOptions;

/* path == NULL or ":memory:" → in-memory database. */
int pager_open(const char *path, int flags, Pager **out);
int pager_open_v2(const char *path, int flags, const PagerOptions *opts, Pager **out);
/* PRAGMA cipher / PRAGMA hexkey: either may be NULL; once both are known
** the database becomes encrypted with them, which only a new, empty
** database (nothing written yet, no other connection) may.  On a database
** already encrypted the same cipher and key are accepted, others refused.
** LODE_ERROR with *why on refusal. */
int pager_set_encryption(Pager *p, const char *cipher, const char *hexkey, const char **why);
/* PRAGMA rekey: the same cipher, a new key.  One write transaction
** rewrites every page into the WAL under the new key (the commit frame
** makes the switch: before it the old key opens the file, after it the new
** one), then a TRUNCATE checkpoint tries to move them into the file.  Only
** outside a transaction and with no other connection of this process;
** other processes must not use the file meanwhile. */
int pager_rekey(Pager *p, const char *hexkey, const char **why);
/* The cipher's name, or NULL for a plaintext database. */
const char *pager_cipher(Pager *p);
/* An unnamed temporary file (os_open_temp) for data taken from this
** database: on an encrypted database it is sealed (pager_crypt.c), so that
** what it holds never reaches the disk in the clear. */
int pager_open_temp(Pager *p, const char *what, OsFile **out);
int pager_close(Pager *p); /* checkpoints and removes the WAL when it can */

uint32_t pager_page_size(Pager *p);
/* Before the first page is written (new, empty database) the page size may change. */
int pager_set_page_size(Pager *p, uint32_t page_size);
uint32_t pager_usable_size(Pager *p); /* page size minus reserved bytes (header byte 20) */
/* Before the first page is written (new, empty, plaintext database): the
** reserved bytes its pages get (a copy keeps its source's, as VACUUM does). */
int pager_set_reserved(Pager *p, uint32_t reserved);
uint32_t pager_page_count(Pager *p);  /* pages in the database as of the current transaction */
/* PRAGMA max_page_count: n > 0 sets the connection's limit (never below the
** current page count); returns the limit, 4294967294 unless set. */
uint32_t pager_max_page_count(Pager *p, uint32_t n);
int pager_is_memory(Pager *p);
int pager_is_readonly(Pager *p);
void pager_set_cache_size(Pager *p, int64_t pages); /* negative: -KiB, like PRAGMA cache_size */
/* PRAGMA cache_spill: whether a write transaction may spill, and the size
** (pages, or -KiB) its cache must pass first (the larger of it and cache_size). */
void pager_set_cache_spill(Pager *p, int on);
void pager_set_spill_size(Pager *p, int64_t size);
int64_t pager_cache_spill(Pager *p); /* as SQLite reports it: 0 when off, else the spill size in pages */
/* Frees every cached page nobody holds (PRAGMA shrink_memory). */
void pager_release_memory(Pager *p);

/* Transactions.  A read transaction pins a snapshot (WAL end mark); a write
** transaction implies a read transaction. */
int pager_begin_read(Pager *p);
void pager_end_read(Pager *p);
int pager_begin_write(Pager *p);
int pager_in_write(Pager *p);
int pager_commit(Pager *p);   /* appends dirty pages to the WAL, commit frame last, then syncs */
/* Group commit: with it on, a commit that synchronous=FULL would sync is
** appended and published (visible to readers) without the sync, and the
** write lock released; pager_sync_commit then makes it durable, one sync
** of the WAL serving every commit appended before that sync began (other
** threads' commits wait for it rather than syncing again).  Before a sync
** for one commit alone begins, while connections of other threads are
** writing, it waits a short bounded time (a share of the last sync's) for
** their commits to append, so that it covers them too.  So commits of
** several connections share syncs; a reader may see a commit before it is
** durable (a power loss can take it, never an acknowledged one, and any
** commit that read it syncs it with its own). */
void pager_set_group_commit(Pager *p, int on);
int pager_sync_commit(Pager *p); /* durable up to this pager's last commit; LODE_IOERR_* when a sync fails */
/* The group syncs of the pager's file so far, how many of them first
** waited for commits of other threads' connections (pager.c shared_gather),
** and how many of those waits saw every commit they waited for. */
void pager_group_stats(Pager *p, uint64_t *syncs, uint64_t *gathers, uint64_t *gathered);
/* A group commit does not run the automatic checkpoint its WAL size calls
** for: pager_checkpoint_due says (once) what the last one left due, and
** pager_autocheckpoint runs a checkpoint (PASSIVE, no busy wait) outside a
** write transaction.  COPY: wal_autocheckpoint frames are not yet in the
** database file.  RESTART: the WAL holds PAGER_RESTART_FACTOR times that
** many frames; it starts over only once a checkpoint copied all of them
** while no snapshot reads it, which the caller arranges (its other
** connections' transactions ended), rather than a checkpoint of a few
** frames at every commit while they overlap. */
#define PAGER_CKPT_DUE_COPY 1
#define PAGER_CKPT_DUE_RESTART 2
#define PAGER_RESTART_FACTOR 4
int pager_checkpoint_due(Pager *p);
void pager_autocheckpoint(Pager *p);
int pager_rollback(Pager *p); /* drops dirty pages; the next read sees the last commit */
/* Concurrent write transactions (pager.c explains): begin without the write
** lock (from NONE or READ); at commit take it, *stale = 1 when others have
** committed since the snapshot: then rebase (the latest snapshot taken, the
** dirty pages of epochs from *keep on dropped, still a write transaction
** holding the lock) or roll back.
** Without staleness the transaction is an ordinary one: pager_commit. */
int pager_begin_concurrent(Pager *p);
int pager_in_concurrent(Pager *p);
int pager_concurrent_lock(Pager *p, int *stale);
int pager_concurrent_rebase(Pager *p, int may_keep, uint32_t *keep);
/* The next read transaction records the pages it uses, for a concurrent
** transaction's rebase: the changes of epochs before *keep stay as pages,
** the caller makes the others again.  An epoch begins at each savepoint and
** at each pager_trace_mark, which the caller makes before every change and
** at every statement start, so that each change is an epoch of its own (a
** page's bytes change only after a pager_write in the same epoch: the
** invariant above). */
void pager_trace_next(Pager *p);
void pager_trace_mark(Pager *p);
uint32_t pager_trace_epoch(Pager *p);
/* A number that changes whenever the bytes of any page this pager shows may
** have changed since it was read: this pager's writes (every pager_write),
** rollbacks to a savepoint or of the transaction, other pagers' commits taken
** in at a transaction's start, truncation.  Equal values mean the same
** content; values of different pagers of a process never meet. */
uint64_t pager_content_gen(Pager *p);
/* The same for page 1 alone (the database header): it changes with every
** change pager_content_gen counts but the writes of other pages. */
uint64_t pager_header_gen(Pager *p);
/* Names the snapshot: two pagers whose snapshots have the same tag see the
** same commits (a file database in a transaction). */
uint64_t pager_snapshot_tag(Pager *p);
/* The same for every pager of this process on one file, while one is open. */
const void *pager_file_id(Pager *p);

int pager_savepoint_begin(Pager *p, int depth);
int pager_savepoint_release(Pager *p, int depth);
int pager_savepoint_rollback(Pager *p, int depth);

/* Pages.  pager_get on pgno == page_count+1 inside a write transaction
** returns a zeroed page that becomes part of the file (extending it). */
int pager_get(Pager *p, uint32_t pgno, DbPage **out);
void pager_unref(DbPage *pg);
/* How many handles of page pgno are held (0: none, or not cached).  The
** b-tree asks before it frees or reuses a page: a page someone still holds
** belongs to a structure in use, so a file that hands it out again is corrupt. */
int pager_page_refs(Pager *p, uint32_t pgno);
/* Asks the CPU to start loading the bytes of page pgno if the cache holds
** it (a scan about to reach it); no reference is taken and nothing else
** changes, so a missing page or a wrong guess costs only the lookup.  from
** (0: the whole page) is where the caller expects the bytes it will read to
** begin: the page's first line and the bytes from the 512-byte boundary at
** or below from on are asked for, not the lines between. */
void pager_prefetch(Pager *p, uint32_t pgno, uint32_t from);
/* Copies bytes [off, off + n) of page pgno into buf, as pager_get and a
** copy would; a page not in the cache that needs no decoding is read
** straight into buf, without taking a cache slot: for pages read once
** (overflow chains), which would otherwise push others out. */
int pager_read_range(Pager *p, uint32_t pgno, uint32_t off, uint32_t n, uint8_t *buf);
int pager_write(DbPage *pg);             /* make writable; journals the pre-image for savepoints */
int pager_truncate(Pager *p, uint32_t npages); /* shrink the database at commit */

/* Checkpoint modes (SQLite's numbers). */
#define PAGER_CKPT_PASSIVE 0
#define PAGER_CKPT_FULL 1
#define PAGER_CKPT_RESTART 2
#define PAGER_CKPT_TRUNCATE 3
int pager_checkpoint(Pager *p, int mode, int *wal_frames, int *checkpointed);

/* Frames of the WAL, for replication (pager_frames.c explains the
** numbering and what applying checks).  Messages of refusals go to why
** (why_size bytes).  A frame is the 24-byte frame header and the page as
** the WAL file holds them (encrypted pages stay encrypted). */
int pager_wal_frame_count(Pager *p, uint32_t *n); /* of the latest snapshot */
int pager_wal_get_frame(Pager *p, uint32_t n, uint8_t *buf, uint32_t size, char *why, size_t why_size);
int pager_wal_insert_begin(Pager *p);
/* *conflict (when given) is set when frame n differs from the local frame n. */
int pager_wal_insert_frame(Pager *p, uint32_t n, const uint8_t *buf, uint32_t size, int *conflict, char *why,
                           size_t why_size);
int pager_wal_insert_end(Pager *p); /* frames of an unfinished commit are dropped */
/* No automatic checkpoint after commits, none at close: frame numbers stay
** valid until an explicit checkpoint (pager_checkpoint) lets the WAL restart. */
void pager_set_checkpoint_disabled(Pager *p, int on);
int pager_checkpoint_disabled(Pager *p);

/* PRAGMA synchronous (SQLite's levels): FULL (default) syncs the WAL at
** every commit; NORMAL syncs only at checkpoints (a crash may lose the last
** commits, never consistency); OFF never syncs.  EXTRA behaves as FULL. */
#define PAGER_SYNC_OFF 0
#define PAGER_SYNC_NORMAL 1
#define PAGER_SYNC_FULL 2
#define PAGER_SYNC_EXTRA 3
void pager_set_synchronous(Pager *p, int level);
/* How long (ms) a transaction start waits for a file lock held by another
** process before it fails with LODE_BUSY; 0 fails at once. */
void pager_set_busy_timeout(Pager *p, int ms);
int pager_synchronous(Pager *p);

/* Wal-index recoveries this process ran (tests: a -shm written by another
** engine is read without one). */
uint64_t pager_wal_recoveries(void);

/* PRAGMA locking_mode: mode 1 asks for EXCLUSIVE, 0 for NORMAL, and
** returns the mode now in effect (1 = exclusive; always for a memory
** database); -1 returns the mode last asked for (SQLite's default mode).  EXCLUSIVE takes the
** database file's exclusive lock at the next transaction (LODE_BUSY while
** another process is connected) and keeps the wal-index in this process's
** heap, with no -shm, until close; then it cannot go back to NORMAL. */
int pager_locking_mode(Pager *p, int mode);

/* PRAGMA journal_mode of a file database: *on = 1 when the file is in WAL
** format (header bytes 18/19 = 2, as every commit leaves them) or WAL was
** chosen for it, 0 while it is still what a rollback-journal SQLite left, or
** empty (no page yet).  Call inside a read or write transaction. */
int pager_wal_mode(Pager *p, int *on);
/* PRAGMA journal_mode = wal on a file still in rollback-journal format:
** reported as WAL from now on, converted by its first write transaction. */
void pager_choose_wal(Pager *p);

#endif /* LODE_PAGER_H */
