/*
** wal_int.h — private to wal.c and wal_index.c: the Wal object, the layout
** of the wal-index in the shared memory (<db>-shm, SQLite's format) and the
** wal-index primitives wal.c builds the WAL protocol from.
**
** The wal-index (shared memory, OS_SHM_REGION = 32 KiB regions):
**   region 0, bytes 0..135: two copies of the WalIndexHdr (pager_int.h), then
**   the checkpoint info (WalCkptInfo below); the rest of region 0 and each
**   later region is one hash table: first an array of page numbers, one per
**   frame (u32), then WAL_HASH_NSLOT u16 slots (the last 16 KiB).  Region 0's
**   array is shorter by the 136 header bytes: it covers frames 1..4062,
**   region i > 0 frames 4062 + (i-1)*4096 + 1 .. + 4096.  A slot holds the
**   1-based index of a frame within its region, 0 = empty; page P hashes to
**   slot (P * 383) & 8191, probing onwards; newer frames sit further along a
**   probe chain than older ones of the same page.
** Locks (slots of the shm, os.h): 0 WRITE, 1 CKPT, 2 RECOVER, 3+i READ(i).
*/
#ifndef LODE_WAL_INT_H
#define LODE_WAL_INT_H

#include "pager/pager_int.h"

#define WAL_INDEX_VERSION 3007000u
#define WAL_HASH_NPAGE 4096
#define WAL_HASH_NSLOT 8192
#define WAL_HASH_MUL 383
#define WAL_SHM_HEADER 136 /* two WalIndexHdr + WalCkptInfo */
#define WAL_HASH_NPAGE_ONE (WAL_HASH_NPAGE - WAL_SHM_HEADER / 4)
#define WAL_NREADER 5
/* A reader may share a read mark its process holds that is at most this
** many frames behind its snapshot (wal.c, wal_try_read). */
#define WAL_SHARE_LAG 64
#define WAL_READMARK_UNUSED 0xffffffffu
#define WAL_LOCK_WRITE 0
#define WAL_LOCK_CKPT 1
#define WAL_LOCK_RECOVER 2
#define WAL_LOCK_READ(i) (3 + (i))

/* At offset 96 of the -shm (SQLite's WalCkptInfo), host byte order:
**   96 backfill: frames already copied into the database file
**  100 read_mark[5]: the snapshots (mx_frame) readers use; 0xffffffff unused
**  120 lock[8]: the bytes the lock slots sit on (never written)
**  128 backfill_attempted: frames a checkpoint started to copy
**  132 unused */
typedef struct WalCkptInfo {
  uint32_t backfill;
  uint32_t read_mark[WAL_NREADER];
  uint8_t lock[OS_SHM_NLOCK];
  uint32_t backfill_attempted;
  uint32_t unused;
} WalCkptInfo;

_Static_assert(sizeof(WalIndexHdr) == 48, "WalIndexHdr is 48 bytes");
_Static_assert(sizeof(WalCkptInfo) == 40, "WalCkptInfo is 40 bytes");
_Static_assert(2 * sizeof(WalIndexHdr) + sizeof(WalCkptInfo) == WAL_SHM_HEADER, "shm header size");

struct Wal {
  OsVfs *vfs;
  OsFile *db; /* owner of the shared memory */
  char *path;
  OsFile *file; /* NULL until the WAL exists */
  int readonly;
  int heap;                    /* wal-index in private heap regions */
  uint32_t page_size;          /* of the frames a new WAL generation gets */
  const CryptoKey *codec;      /* frames' pages are encoded with it (pager's) */
  int64_t size_limit;          /* PRAGMA journal_size_limit: bytes the file keeps past a restart (< 0: all) */
  ReadGate *gate;              /* closed around changes to regions, file and page_size (NULL: none) */
  volatile uint8_t **regions;  /* mapped regions, NULL where not yet */
  int nregions;
  int shm_open;                /* the shared memory is open (its lock slots exist) */
  int shared[OS_SHM_NLOCK];    /* this process's shared holders per slot */
  int excl[OS_SHM_NLOCK];      /* this process holds the slot exclusively */
  /* OS_SHM_SHARED / OS_SHM_EXCLUSIVE: the OS lock of the slot is still the
  ** process's although no connection of it holds the slot (wal_index.c). */
  int kept[OS_SHM_NLOCK];
  /* The write transaction's spilled frames (wal_spill): written past the
  ** published mx_frame of spill_hdr, without a commit mark, and entered in
  ** the wal-index hash tables as they are written, like committed frames.
  ** No reader looks past the mx_frame of its snapshot, so only the writer
  ** finds them there (wal_spilled_frame); the commit that follows them
  ** publishes them with its header.  Forgotten by wal_end_write, which
  ** clears their hash entries.  spill_hdr carries the salts and checksum
  ** order they use. */
  int spill_started;
  WalIndexHdr spill_hdr;
  uint32_t spill_n;      /* frames spill_hdr.mx_frame + 1 .. + spill_n */
  uint32_t spill_sum[2]; /* running checksum after the last of them */
  /* One bit a page number, set for each page spilled: most pages the writer
  ** reads were never spilled, and the bit says so without a walk through
  ** every hash table its frames fill (64 of them, where this takes 32 KiB,
  ** for a transaction that rewrote a 1 GiB database). */
  uint8_t *spill_map;
  uint32_t spill_map_bytes;
};

/* One hash table: pgnos[k] is the page of frame zero + 1 + k. */
typedef struct WalBlock {
  volatile uint32_t *pgnos;
  volatile uint16_t *slots;
  uint32_t zero;
  uint32_t nframes;
} WalBlock;

/* Checksums and pauses (wal_index.c). */
int wal_host_big_endian(void);
/* SQLite's WAL checksum, continuing from s[]; n is a multiple of 8. */
void wal_checksum(int big_endian, const uint8_t *p, size_t n, uint32_t s[2]);
/* Sleeps the attempt-th pause of SQLite's default busy handler; returns its ms. */
int wal_pause(int attempt);

/* Shared memory and its locks (wal_index.c).  The lock calls keep this
** process's count of holders per slot and ask the OS for the first one. */
int wal_region(Wal *w, int i, int extend, volatile uint8_t **out);
void wal_barrier(Wal *w);
int wal_lock(Wal *w, int slot, int n, int excl);            /* never waits: LODE_BUSY */
int wal_lock_wait(Wal *w, int slot, int n, int excl, int busy_ms);
void wal_unlock(Wal *w, int slot, int n, int excl);
int wal_lock_downgrade(Wal *w, int slot); /* held exclusive → shared, never unlocked between */
void wal_unlock_keep(Wal *w, int slot);   /* exclusive holder leaves; the OS lock stays (kept) */
void wal_release_kept(Wal *w, int slot);  /* a kept slot's OS lock released */
volatile WalCkptInfo *wal_ckpt_info(volatile uint8_t *r0);

/* The wal-index header (wal_index.c). */
int wal_read_hdr(Wal *w, WalIndexHdr *out);          /* 1 when both copies agree and verify */
void wal_write_hdr(Wal *w, WalIndexHdr *h);          /* copy 2, barrier, copy 1 */
int wal_hdr_unchanged(Wal *w, const WalIndexHdr *h); /* is the shm's first copy still h? */

/* Hash tables (wal_index.c). */
uint32_t wal_block_of(uint32_t frame);
int wal_block(Wal *w, uint32_t b, int extend, WalBlock *out);
/* Forgets every entry of the block holding frame mx + 1 that is past mx. */
int wal_cleanup_hash(Wal *w, uint32_t mx);
int wal_index_append(Wal *w, uint32_t f, uint32_t pgno); /* frame f holds page pgno */
/* The newest frame of pgno among frames lo + 1 .. hi (0: none), their blocks mapped. */
uint32_t wal_find_frame_after(Wal *w, uint32_t lo, uint32_t hi, uint32_t pgno);

#endif /* LODE_WAL_INT_H */
