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
** Invariants of a Wal: every frame in 1..mx_frame is valid and the last of
** them is a commit frame; the wal-index maps a page number to its newest
** frame <= mx_frame, and prev[] chains each frame to the page's previous
** one, so a reader with an older snapshot finds its version; cksum[] is the running checksum after frame mx_frame
** (or after the header when mx_frame == 0 and the header is written).
*/
#ifndef LODE_PAGER_INT_H
#define LODE_PAGER_INT_H

#include <stdint.h>
#ifndef __EMSCRIPTEN__
#include <pthread.h>
#endif

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
int u32map_get(const U32Map *m, uint32_t key, uint64_t *value); /* 1 when found */
int u32map_put(U32Map *m, uint32_t key, uint64_t value);        /* LODE_OK / LODE_NOMEM */
void u32map_del(U32Map *m, uint32_t key);
/* Makes room for extra more keys so that the next puts cannot fail. */
int u32map_reserve(U32Map *m, uint32_t extra);

/* ---- WAL ------------------------------------------------------------------ */
#define WAL_HEADER_SIZE 32
#define WAL_FRAME_HEADER_SIZE 24
#define WAL_MAGIC_LE 0x377f0682u
#define WAL_MAGIC_BE 0x377f0683u
#define WAL_FORMAT_VERSION 3007000u

typedef struct Wal Wal;

/* A page handed to wal_append: its number and page_size bytes. */
typedef struct WalPage {
  uint32_t pgno;
  const uint8_t *data;
} WalPage;

/* Opens "<db>-wal" if it exists (or lazily creates it at the first append)
** and runs recovery.  page_size is the database's page size, or 0 when the
** database file is empty (then the WAL's own page size is taken). */
int wal_open(OsVfs *vfs, const char *db_path, int readonly, uint32_t page_size, Wal **out);
/* Creates the WAL file now if it does not exist (an empty file). */
int wal_create_file(Wal *w);
/* The open WAL file, or NULL while none exists. */
OsFile *wal_file(Wal *w);
/* Closes; removes the WAL file when remove_file is set. */
int wal_close(Wal *w, int remove_file);
uint32_t wal_page_size(Wal *w); /* 0 when the WAL is empty and had no page size */
void wal_set_page_size(Wal *w, uint32_t page_size);
uint32_t wal_frame_count(Wal *w); /* committed frames (mx_frame) */
uint32_t wal_db_size(Wal *w);     /* pages after the last commit; 0 if mx_frame == 0 */
/* The newest frame of pgno at or before max_frame (a reader's snapshot), or 0. */
uint32_t wal_find_frame(Wal *w, uint32_t pgno, uint32_t max_frame);
/* A WAL opened for a read-only connection, now needed by a writer too. */
int wal_make_writable(Wal *w);
int wal_read_frame(Wal *w, uint32_t frame, uint8_t *page);
/* Appends the pages (sorted by pgno) as frames, the last a commit frame
** recording db_size, then syncs when sync is set; one os_write_batch per
** chunk. */
int wal_append(Wal *w, const WalPage *pages, uint32_t npages, uint32_t db_size, int sync);
/* Copies the newest frame of each page into db, sets db's size and empties
** the WAL; with sync, the WAL is synced first and db before the WAL goes. */
int wal_checkpoint(Wal *w, OsFile *db, int mode, int sync);

/* ---- the pager's own state (pager.c, pcache.c) ------------------------------ */
enum { PAGER_TXN_NONE, PAGER_TXN_READ, PAGER_TXN_WRITE };

/* How the database and WAL files looked when this process last released
** its file lock: if they look different when it takes the lock again,
** another process wrote, and everything cached or indexed is reloaded.
** The WAL is kept open (and so its inode alive) by this process, so a WAL
** replaced by another process always shows a different id. */
typedef struct FileStamp {
  int valid;
  OsStat db, wal;
  uint8_t db_header[100];
  uint8_t wal_header[WAL_HEADER_SIZE];
} FileStamp;

/* One database file as the process sees it, shared by every Pager opened on
** it (found by canonical path); ":memory:" pagers each have a private one. */
typedef struct PagerShared PagerShared;
struct PagerShared {
  PagerShared *next; /* in the process-wide registry */
  char *key;         /* canonical path; NULL when not registered */
  char *path;        /* as given to the VFS */
  char *wal_path;    /* path "-wal": stat()ed at every file-lock stamp */
  OsVfs *vfs;
  int own_vfs; /* destroy vfs with the last pager */
  OsFile *db;
  int writable; /* db (and WAL) handles are read-write */
  Wal *wal;
  uint32_t page_size;
  uint32_t reserved;   /* header byte 20 */
  uint32_t db_npages;  /* committed page count */
  uint64_t change_seq; /* bumped by every commit */
  Pager *writer;       /* the pager in a write transaction, if any */
  Pager *pagers;       /* attached pagers, through Pager.next_sharer */
  int nref;
  int nheld;           /* transactions open in this process: the file lock is held while > 0 */
  int lock_level;      /* OS_LOCK_* held on db */
  FileStamp stamp;     /* the files as last seen under the file lock */
  int hold_wrote;      /* this process changed the files while holding the lock: stamp them again at release */
  OsFile *spare;       /* a replaced handle of db: closing it would drop the process's file locks */
#ifndef __EMSCRIPTEN__
  pthread_mutex_t mutex; /* recursive; guards everything above and the WAL */
#endif
  int mutex_ready;
};

/* Connections of different threads may share a file: every use of the
** shared state (WAL, file handles, counters) happens under its lock. */
void shared_lock(PagerShared *sh);
void shared_unlock(PagerShared *sh);

typedef struct PgHdr PgHdr;
struct PgHdr {
  DbPage pub; /* first, so DbPage* and PgHdr* convert */
  Pager *pager;
  int nref;
  int dirty;
  PgHdr *lru_prev, *lru_next;     /* LRU list: clean, unreferenced */
  PgHdr *dirty_prev, *dirty_next; /* dirty list */
};

typedef struct Savepoint {
  int depth;
  uint32_t npages; /* page count when it began */
  U32Map images;   /* pgno → shared pre-image (pcache.c: a reference count, then the page bytes) */
} Savepoint;

struct Pager {
  PagerShared *sh;
  int synchronous; /* PAGER_SYNC_*: this pager's commits and checkpoints */
  int64_t autocheckpoint; /* a commit that leaves this many WAL frames checkpoints (<= 0: never) */
  int busy_timeout; /* milliseconds to keep retrying a file lock another process holds */
  Pager *next_sharer;
  int readonly;
  int memory;
  int txn;
  uint32_t snap_frame;   /* WAL frames visible to the open read transaction */
  uint64_t seen_seq;     /* sh->change_seq the cache reflects */
  uint32_t npages;       /* page count seen by the current transaction */
  U32Map cache;          /* pgno → PgHdr* */
  uint32_t ncached;
  uint32_t max_cached; /* no cached page has a larger pgno (an upper bound) */
  int64_t cache_budget;
  PgHdr *lru_head, *lru_tail;
  PgHdr *dirty_head;
  uint32_t ndirty;
  Savepoint *sp;
  int nsp, sp_cap;
};

/* pcache.c: the per-pager page cache and savepoint journal. */
void pcache_drop_unreferenced(Pager *p);      /* every clean, unreferenced page */
int pcache_reload_all(Pager *p);              /* after another pager committed */
void pcache_free(Pager *p);
void pcache_trim(Pager *p);
void pcache_cut(Pager *p, uint32_t npages);   /* forget unreferenced pages past npages */
void pcache_settle(Pager *p);                 /* after commit/rollback: nothing dirty */
int pcache_rollback_dirty(Pager *p);          /* reload or drop every dirty page */
void pcache_savepoints_pop(Pager *p, int from);

/* ---- legacy rollback journal (journal.c) ----------------------------------- */
/* If "<db>-journal" is hot, writes its original pages back into db, restores
** db's size, syncs and deletes the journal.  A non-hot journal is deleted.
** LODE_READONLY when the journal is hot and the database is read-only. */
int journal_rollback_hot(OsVfs *vfs, const char *db_path, OsFile *db, int readonly);

#endif /* LODE_PAGER_INT_H */
