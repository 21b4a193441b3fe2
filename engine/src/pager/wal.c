/*
** wal.c — the write-ahead log in SQLite's WAL format and its wal-index in
** SQLite's -shm format, with SQLite's locking protocol, so that Lode
** processes and sqlite3 processes share one WAL database: readers keep
** stable snapshots while another process commits, one writer at a time,
** checkpoints never overwrite a page an open snapshot still reads from the
** database file.  WAL byte layout: pager_int.h.
**
** The wal-index layout and its primitives: wal_int.h, wal_index.c.
** Locks (slots of the shm, os.h): 0 WRITE, 1 CKPT, 2 RECOVER, 3+i READ(i).
**   A reader holds READ(i) shared while aReadMark[i] <= its mx_frame: a
**   checkpoint copies no frame past the smallest mark in use; READ(0) means
**   "the database file holds every frame of my snapshot" (no WAL reads).
**   Setting a mark takes READ(i) exclusive.  A writer holds WRITE; a
**   checkpointer CKPT; recovery (rebuilding the index from the WAL when the
**   header does not verify) WRITE and RECOVER.
**
** The header is written copy 2 first, barrier, copy 1; a reader copies 1,
** barrier, 2 and trusts them only when equal and their checksum verifies.
** A writer publishes hash entries before the header, so a reader never sees
** a frame the hash tables lack; entries past mx_frame (a writer's spilled
** frames, or those of a writer that died) are ignored by readers and
** cleared by a rollback or the next writer.  A new WAL
** generation (restart: every frame backfilled, no reader on a mark) starts
** with salt-1 + 1 and a new salt-2, so stale frames never verify.
**
** Recovery accepts frames while their salts match the header and their
** cumulative checksums verify; only frames up to the last valid commit
** frame count.  A WAL whose header is invalid is treated as empty.
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pager/pager.h"
#include "pager/wal_int.h"
#include "util/util.h"

/* Bytes of frames built and submitted per os_write_batch call: the
** temporary buffer of a large commit or a cache spill.  Kept under glibc's
** mmap threshold (128 KiB) so that the buffer is taken from the heap and
** reused: a 256-frame (1 MiB) buffer was a fresh mapping per spill, and
** the peak RSS of an UPDATE of every row of a 64 MiB file was 1.1 MiB
** higher; a commit of 500 pages makes 17 writes instead of 2. */
#define WAL_APPEND_BYTES (124 * 1024)
/* Frames read at once during a checkpoint (one read of a stretch of the
** WAL), whose newest versions of pages are then written as one batch. */
#define WAL_CKPT_CHUNK 128
/* The largest page size: the lock-byte page such a file skips is the most
** a database file may lack beside the pages its WAL holds. */
#define WAL_LOCK_PAGE_MAX 65536
/* Bytes of the spilled-page bitmap kept between write transactions. */
#define WAL_SPILL_MAP_KEEP 4096
#define WAL_MIN_PAGE_SIZE 512
#define WAL_MAX_PAGE_SIZE 65536

/* Tries of one read-lock attempt before LODE_BUSY (the pager's busy
** timeout retries on top). */
#define WAL_READ_TRIES 30

static int wal_page_size_valid(uint32_t ps) {
  return ps >= WAL_MIN_PAGE_SIZE && ps <= WAL_MAX_PAGE_SIZE && (ps & (ps - 1)) == 0;
}

static int64_t wal_frame_offset(uint32_t page_size, uint32_t frame) {
  assert(frame >= 1);
  return WAL_HEADER_SIZE + (int64_t)(frame - 1) * (WAL_FRAME_HEADER_SIZE + page_size);
}

/* Salts need only differ between generations; splitmix64 over the clock
** and a counter is enough and works everywhere (wasm included). */
static uint32_t wal_random(void) {
  static uint64_t counter;
  struct timespec ts;
  timespec_get(&ts, TIME_UTC);
  uint64_t z = (uint64_t)ts.tv_sec * 1000000007u + (uint64_t)ts.tv_nsec + (++counter) * 0x9e3779b97f4a7c15u;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return (uint32_t)(z ^ (z >> 31));
}

/* ---- the WAL file ------------------------------------------------------------- */

static int wal_open_file(Wal *w, int create) {
  if (w->file) return LODE_OK;
  int exists = 0;
  int rc = w->vfs->exists(w->vfs, w->path, &exists);
  if (rc != LODE_OK || (!exists && !create)) return rc;
  int flags = w->readonly ? OS_OPEN_READONLY : OS_OPEN_READWRITE | (create ? OS_OPEN_CREATE : 0);
  OsFile *f = NULL;
  rc = w->vfs->open(w->vfs, w->path, flags, &f);
  if (rc == LODE_OK) {
    read_gate_close(w->gate);
    w->file = f;
    read_gate_open(w->gate);
  }
  /* An unreadable WAL next to a read-only database is ignored, not fatal. */
  if (rc != LODE_OK && w->readonly && !create) rc = LODE_OK;
  return rc;
}

/* Reads the page of frame into page (ps bytes). */
/* Bytes [off, off + n) of the page in frame. */
static int wal_read_page(Wal *w, uint32_t ps, uint32_t frame, uint32_t off, uint32_t n, uint8_t *buf) {
  int rc = wal_open_file(w, 0);
  if (rc != LODE_OK) return rc;
  if (!w->file) return LODE_CORRUPT;
  rc = os_read(w->file, buf, n, wal_frame_offset(ps, frame) + WAL_FRAME_HEADER_SIZE + off);
  /* The frame was validated by recovery or written by a writer: a short
  ** read now means the file was cut behind our back. */
  return rc == LODE_IOERR_SHORT_READ ? LODE_CORRUPT : rc;
}

int wal_read_frame_part(Wal *w, const WalSnap *s, uint32_t frame, uint32_t off, uint32_t n, uint8_t *buf) {
  assert(frame >= 1 && frame <= s->hdr.mx_frame);
  uint32_t ps = wal_snap_page_size(s);
  if (ps != w->page_size || off > ps || n > ps - off) return LODE_CORRUPT; /* buffers hold w->page_size bytes */
  return wal_read_page(w, ps, frame, off, n, buf);
}

int wal_read_frame(Wal *w, const WalSnap *s, uint32_t frame, uint8_t *page) {
  return wal_read_frame_part(w, s, frame, 0, w->page_size, page);
}

int wal_read_frame_part_unlocked(Wal *w, const WalSnap *s, uint32_t frame, uint32_t off, uint32_t n, uint8_t *buf) {
  assert(frame >= 1 && frame <= s->hdr.mx_frame);
  uint32_t ps = wal_snap_page_size(s);
  /* the mutex path opens the file, or reports a size mismatch */
  if (!w->file || ps != w->page_size || off > ps || n > ps - off) return -1;
  int rc = os_read(w->file, buf, n, wal_frame_offset(ps, frame) + WAL_FRAME_HEADER_SIZE + off);
  return rc == LODE_IOERR_SHORT_READ ? LODE_CORRUPT : rc;
}

int wal_read_frame_unlocked(Wal *w, const WalSnap *s, uint32_t frame, uint8_t *page) {
  return wal_read_frame_part_unlocked(w, s, frame, 0, w->page_size, page);
}

/* ---- recovery ------------------------------------------------------------- */

/* Checks one frame against the running checksum s[] (updated on success). */
static int wal_frame_valid(const WalIndexHdr *h, uint32_t ps, const uint8_t *frame, uint32_t s[2]) {
  if (util_get4(frame) == 0) return 0;
  if (memcmp(frame + 8, h->salt, 8) != 0) return 0;
  uint32_t c[2] = {s[0], s[1]};
  wal_checksum(h->big_endian, frame, 8, c);
  wal_checksum(h->big_endian, frame + WAL_FRAME_HEADER_SIZE, ps, c);
  if (c[0] != util_get4(frame + 16) || c[1] != util_get4(frame + 20)) return 0;
  s[0] = c[0];
  s[1] = c[1];
  return 1;
}

/* Parses the WAL header into h (salts, checksum order, page size) and the
** running checksum after it; 0 when it is not a valid header. */
static int wal_parse_header(const uint8_t *b, WalIndexHdr *h, uint32_t s[2]) {
  uint32_t magic = util_get4(b);
  if (magic != WAL_MAGIC_LE && magic != WAL_MAGIC_BE) return 0;
  if (util_get4(b + 4) != WAL_FORMAT_VERSION) return 0;
  uint32_t ps = util_get4(b + 8);
  if (!wal_page_size_valid(ps)) return 0;
  int be = magic == WAL_MAGIC_BE;
  s[0] = s[1] = 0;
  wal_checksum(be, b, 24, s);
  if (s[0] != util_get4(b + 24) || s[1] != util_get4(b + 28)) return 0;
  h->big_endian = (uint8_t)be;
  h->page_size = (uint16_t)((ps & 0xff00) | (ps >> 16));
  memcpy(h->salt, b + 16, 8);
  return 1;
}

/* Indexes the valid frames of the WAL file into h (committed ones count). */
static int wal_scan(Wal *w, WalIndexHdr *h) {
  int64_t size = 0;
  int rc = os_size(w->file, &size);
  if (rc != LODE_OK || size < WAL_HEADER_SIZE) return rc;
  uint8_t hb[WAL_HEADER_SIZE];
  uint32_t s[2];
  rc = os_read(w->file, hb, sizeof hb, 0);
  if (rc != LODE_OK) return rc == LODE_IOERR_SHORT_READ ? LODE_OK : rc;
  if (!wal_parse_header(hb, h, s)) return LODE_OK;
  uint32_t ps = util_get4(hb + 8);
  h->frame_cksum[0] = s[0];
  h->frame_cksum[1] = s[1];
  size_t frame_size = WAL_FRAME_HEADER_SIZE + (size_t)ps;
  int64_t nframes = (size - WAL_HEADER_SIZE) / (int64_t)frame_size;
  if (nframes > UINT32_MAX / 2) nframes = UINT32_MAX / 2;
  uint8_t *buf = util_malloc(frame_size);
  if (!buf) return LODE_NOMEM;
  for (uint32_t f = 1; rc == LODE_OK && f <= (uint32_t)nframes; f++) {
    rc = os_read(w->file, buf, frame_size, wal_frame_offset(ps, f));
    if (rc != LODE_OK || !wal_frame_valid(h, ps, buf, s)) break;
    rc = wal_index_append(w, f, util_get4(buf));
    uint32_t commit_size = util_get4(buf + 4);
    if (rc != LODE_OK || commit_size == 0) continue;
    h->mx_frame = f;
    h->npage = commit_size;
    h->frame_cksum[0] = s[0];
    h->frame_cksum[1] = s[1];
  }
  if (rc == LODE_IOERR_SHORT_READ) rc = LODE_OK; /* file shrank under us: a torn tail */
  util_free(buf);
  return rc;
}

/* Recoveries run by this process (a test hook: a wal-index another engine
** wrote is used as it is, without one). */
static uint64_t wal_recoveries;
uint64_t pager_wal_recoveries(void) { return wal_recoveries; }

/* Rebuilds the wal-index from the WAL file; the caller holds WRITE. */
static int wal_recover(Wal *w) {
  wal_recoveries++;
  int ckpt_taken = !w->excl[WAL_LOCK_CKPT];
  int rc = wal_lock(w, ckpt_taken ? WAL_LOCK_CKPT : WAL_LOCK_RECOVER, ckpt_taken ? 2 : 1, 1);
  if (rc != LODE_OK) return rc == LODE_BUSY ? LODE_BUSY_RECOVERY : rc;
  volatile uint8_t *r0;
  WalIndexHdr h;
  memset(&h, 0, sizeof h);
  rc = wal_region(w, 0, 1, &r0);
  if (rc == LODE_OK) rc = wal_open_file(w, 0);
  if (rc == LODE_OK && w->file) rc = wal_scan(w, &h);
  /* Entries past the last frame recovered are forgotten.  With none
  ** recovered (the usual open of a database whose last connection closed)
  ** that is skipped: no reader consults the table at mx_frame 0, and the
  ** first frame appended clears its block, here and in SQLite. */
  if (rc == LODE_OK && h.mx_frame > 0) rc = wal_cleanup_hash(w, h.mx_frame);
  if (rc == LODE_OK) {
    volatile WalCkptInfo *ci = wal_ckpt_info(r0);
    ci->backfill = 0;
    ci->backfill_attempted = h.mx_frame;
    ci->read_mark[0] = 0;
    for (int i = 1; i < WAL_NREADER; i++) {
      if (wal_lock(w, WAL_LOCK_READ(i), 1, 1) != LODE_OK) continue;
      ci->read_mark[i] = i == 1 && h.mx_frame ? h.mx_frame : WAL_READMARK_UNUSED;
      wal_unlock(w, WAL_LOCK_READ(i), 1, 1);
    }
    wal_write_hdr(w, &h);
  }
  wal_unlock(w, ckpt_taken ? WAL_LOCK_CKPT : WAL_LOCK_RECOVER, ckpt_taken ? 2 : 1, 1);
  return rc;
}

/* The current header into h, running recovery first when it does not
** verify.  LODE_BUSY (or _RECOVERY) when another process holds the locks. */
static int wal_current_hdr(Wal *w, WalIndexHdr *h) {
  volatile uint8_t *r0;
  int rc = wal_region(w, 0, 0, &r0); /* opens the shared memory: the locks live there */
  if (rc != LODE_OK) return rc;
  if (wal_read_hdr(w, h)) return LODE_OK;
  int own_write = w->excl[WAL_LOCK_WRITE];
  rc = own_write ? LODE_OK : wal_lock(w, WAL_LOCK_WRITE, 1, 1);
  if (rc != LODE_OK) return rc == LODE_BUSY ? LODE_BUSY_RECOVERY : rc;
  if (!wal_read_hdr(w, h)) {
    rc = wal_recover(w);
    if (rc == LODE_OK && !wal_read_hdr(w, h)) rc = LODE_PROTOCOL;
  }
  if (!own_write) wal_unlock(w, WAL_LOCK_WRITE, 1, 1);
  return rc;
}

/* ---- opening and closing -------------------------------------------------- */

int wal_open(OsVfs *vfs, const char *db_path, OsFile *db, int readonly, int heap, Wal **out) {
  *out = NULL;
  Wal *w = util_zalloc(sizeof *w);
  if (!w) return LODE_NOMEM;
  w->vfs = vfs;
  w->db = db;
  w->readonly = readonly;
  w->heap = heap;
  w->size_limit = -1;
  w->path = util_mprintf("%s-wal", db_path);
  if (!w->path) {
    wal_close(w, 0);
    return LODE_NOMEM;
  }
  /* The file is opened at its first use, inside a transaction: before the
  ** process holds its SHARED lock on the database, the last process of
  ** another connection may still delete this WAL (its close), and a handle
  ** opened now would keep reading the deleted file while others write a new
  ** one. */
  *out = w;
  return LODE_OK;
}

int wal_close(Wal *w, int remove) {
  if (!w) return LODE_OK;
  int rc = os_close(w->file);
  if (remove && w->path && !w->readonly) {
    int rc2 = w->vfs->remove(w->vfs, w->path);
    if (rc == LODE_OK) rc = rc2;
  }
  if (w->heap) {
    for (int i = 0; i < w->nregions; i++) util_free((void *)w->regions[i]);
  } else if (w->shm_open) {
    int rc2 = os_shm_unmap(w->db, remove && !w->readonly);
    if (rc == LODE_OK) rc = rc2;
  }
  util_free((void *)w->regions);
  util_free(w->spill_map);
  util_free(w->path);
  util_free(w);
  return rc;
}

void wal_set_page_size(Wal *w, uint32_t page_size) {
  if (w->page_size == page_size) return;
  read_gate_close(w->gate);
  w->page_size = page_size;
  read_gate_open(w->gate);
}
void wal_set_gate(Wal *w, ReadGate *gate) { w->gate = gate; }
void wal_set_codec(Wal *w, const CryptoKey *codec) { w->codec = codec; }
void wal_set_size_limit(Wal *w, int64_t bytes) { w->size_limit = bytes < 0 ? -1 : bytes; }

OsFile *wal_file(Wal *w) { return w->file; }

int wal_make_writable(Wal *w) {
  if (!w->readonly) return LODE_OK;
  w->readonly = 0;
  if (!w->file) return LODE_OK;
  /* The read-only handle cannot append: swap it for a read-write one. */
  OsFile *rw;
  int rc = w->vfs->open(w->vfs, w->path, OS_OPEN_READWRITE, &rw);
  if (rc != LODE_OK) {
    w->readonly = 1;
    return rc;
  }
  OsFile *old = w->file;
  read_gate_close(w->gate);
  w->file = rw;
  read_gate_open(w->gate);
  os_close(old);
  return LODE_OK;
}

/* ---- read transactions ---------------------------------------------------- */

/* One attempt at a read lock: LODE_OK, a retry (1 in *retry), or an error. */
static int wal_try_read(Wal *w, WalSnap *s, int *retry) {
  WalIndexHdr h;
  *retry = 0;
  int rc = wal_current_hdr(w, &h);
  if (rc != LODE_OK) {
    *retry = (rc & 0xff) == LODE_BUSY;
    return rc;
  }
  volatile WalCkptInfo *ci = wal_ckpt_info(w->regions[0]);
  if (ci->backfill == h.mx_frame) {
    /* Everything is in the database file: read it alone. */
    rc = wal_lock(w, WAL_LOCK_READ(0), 1, 0);
    if (rc != LODE_OK) {
      *retry = rc == LODE_BUSY;
      return rc;
    }
    if (!wal_hdr_unchanged(w, &h)) {
      wal_unlock(w, WAL_LOCK_READ(0), 1, 0);
      *retry = 1;
      return LODE_BUSY;
    }
    s->read_lock = 0;
    s->use_wal = 0;
    s->hdr = h;
    return LODE_OK;
  }
  /* The largest mark not past the snapshot; a new one when it is older. */
  uint32_t best = 0;
  int bi = 0;
  for (int i = 1; i < WAL_NREADER; i++) {
    uint32_t m = ci->read_mark[i];
    if (m != WAL_READMARK_UNUSED && best <= m && m <= h.mx_frame) {
      best = m;
      bi = i;
    }
  }
  int held = 0, join = 0;
  if (bi == 0 || best < h.mx_frame) {
    /* A mark a connection of this process holds, a few frames behind: the
    ** reader shares it without asking the OS (a mark below the snapshot
    ** is safe: a checkpoint stops at it and a restart waits for it).  That
    ** holds checkpoints back by at most WAL_SHARE_LAG frames more than
    ** that connection does; older marks are not shared, so a mark stays in
    ** use only as long as transactions that began near its frame. */
    for (int i = 1; i < WAL_NREADER; i++) {
      uint32_t m = ci->read_mark[i];
      if (w->shared[WAL_LOCK_READ(i)] > 0 && m != WAL_READMARK_UNUSED && m <= h.mx_frame &&
          h.mx_frame - m <= WAL_SHARE_LAG && (!join || m > ci->read_mark[join]))
        join = i;
    }
    if (join) {
      best = ci->read_mark[join];
      bi = join;
    }
  }
  if (bi == 0 || (best < h.mx_frame && !join)) {
    for (int i = 1; i < WAL_NREADER; i++) {
      rc = wal_lock(w, WAL_LOCK_READ(i), 1, 1);
      if (rc == LODE_BUSY) continue;
      if (rc != LODE_OK) return rc;
      ci->read_mark[i] = h.mx_frame;
      best = h.mx_frame;
      bi = i;
      /* Kept, shared: nobody can move the mark between setting and using it. */
      rc = wal_lock_downgrade(w, WAL_LOCK_READ(i));
      if (rc != LODE_OK) {
        wal_unlock(w, WAL_LOCK_READ(i), 1, 1);
        return rc;
      }
      held = 1;
      break;
    }
  }
  if (bi == 0) {
    *retry = 1;
    return LODE_BUSY;
  }
  rc = held ? LODE_OK : wal_lock(w, WAL_LOCK_READ(bi), 1, 0);
  if (rc != LODE_OK) {
    *retry = rc == LODE_BUSY;
    return rc;
  }
  /* The mark or the header moved while we locked: start over. */
  if (ci->read_mark[bi] != best || !wal_hdr_unchanged(w, &h)) {
    wal_unlock(w, WAL_LOCK_READ(bi), 1, 0);
    *retry = 1;
    return LODE_BUSY;
  }
  s->read_lock = bi;
  s->use_wal = 1;
  s->hdr = h;
  return LODE_OK;
}

int wal_begin_read(Wal *w, WalSnap *s, int *changed) {
  assert(s->read_lock < 0);
  WalIndexHdr before = s->hdr;
  int rc = LODE_BUSY;
  for (int attempt = 0; attempt < WAL_READ_TRIES; attempt++) {
    int retry;
    if (attempt > 5) wal_pause(attempt - 6);
    rc = wal_try_read(w, s, &retry);
    if (!retry) break;
  }
  if (rc == LODE_OK) *changed = memcmp(&before, &s->hdr, sizeof before) != 0;
  return rc;
}

void wal_end_read(Wal *w, WalSnap *s) {
  if (s->read_lock < 0) return;
  wal_unlock(w, WAL_LOCK_READ(s->read_lock), 1, 0);
  s->read_lock = -1;
}

int wal_advance_read(Wal *w, WalSnap *s, int *changed, int *moved) {
  *moved = 0;
  if (!w->excl[WAL_LOCK_WRITE] || s->read_lock < 1 || !s->use_wal) return LODE_OK;
  WalIndexHdr h;
  int rc = wal_current_hdr(w, &h);
  if (rc != LODE_OK) return rc;
  if (memcmp(h.salt, s->hdr.salt, sizeof h.salt) != 0 || h.mx_frame < s->hdr.mx_frame) return LODE_OK;
  *changed = memcmp(&h, &s->hdr, sizeof h) != 0;
  s->hdr = h;
  *moved = 1;
  return LODE_OK;
}

/* ---- write transactions --------------------------------------------------- */

int wal_begin_write(Wal *w, WalSnap *s) {
  int stale = 0, rc = wal_lock_write(w, s, &stale);
  if (rc == LODE_OK && stale) {
    wal_unlock(w, WAL_LOCK_WRITE, 1, 1);
    return LODE_BUSY_SNAPSHOT;
  }
  return rc;
}

int wal_lock_write(Wal *w, const WalSnap *s, int *stale) {
  assert(s->read_lock >= 0);
  if (w->readonly) return LODE_READONLY;
  int rc = wal_lock(w, WAL_LOCK_WRITE, 1, 1);
  if (rc == LODE_OK) *stale = !wal_hdr_unchanged(w, &s->hdr);
  return rc;
}

static void wal_spill_forget(Wal *w, int committed);

void wal_end_write(Wal *w, int hand_on) {
  wal_spill_forget(w, 0); /* a transaction that did not commit: its spilled frames are garbage */
  if (!w->excl[WAL_LOCK_WRITE]) return;
  if (hand_on) wal_unlock_keep(w, WAL_LOCK_WRITE);
  else wal_unlock(w, WAL_LOCK_WRITE, 1, 1);
}

void wal_drop_write(Wal *w) { wal_release_kept(w, WAL_LOCK_WRITE); }
int wal_write_kept(const Wal *w) { return w->kept[WAL_LOCK_WRITE] != 0; }

/* After a commit the writer's snapshot is the new header while its read
** lock still holds the mark of its old snapshot.  That is safe (a
** checkpoint stops at the mark, and the held lock keeps the WAL from
** starting over under the new frames) and costs nothing when the
** transaction ends next, as it mostly does; a checkpoint run by the writer
** itself would stop there, so it moves the lock first to a mark at the new
** mx_frame when one can be had. */
void wal_remark(Wal *w, WalSnap *s) {
  volatile WalCkptInfo *ci = wal_ckpt_info(w->regions[0]);
  uint32_t mx = s->hdr.mx_frame;
  if (s->read_lock < 0 || (s->read_lock == 0 && !s->use_wal)) return; /* no lock, or no frame to read */
  if (s->read_lock > 0 && ci->read_mark[s->read_lock] == mx) return;
  for (int i = 1; i < WAL_NREADER; i++) {
    if (i == s->read_lock) continue;
    if (ci->read_mark[i] != mx) {
      if (wal_lock(w, WAL_LOCK_READ(i), 1, 1) != LODE_OK) continue;
      ci->read_mark[i] = mx;
      if (wal_lock_downgrade(w, WAL_LOCK_READ(i)) != LODE_OK) {
        wal_unlock(w, WAL_LOCK_READ(i), 1, 1);
        continue;
      }
    } else if (wal_lock(w, WAL_LOCK_READ(i), 1, 0) != LODE_OK) {
      continue;
    }
    if (ci->read_mark[i] != mx) {
      wal_unlock(w, WAL_LOCK_READ(i), 1, 0);
      continue;
    }
    wal_unlock(w, WAL_LOCK_READ(s->read_lock), 1, 0);
    s->read_lock = i;
    return;
  }
}

/* A new WAL generation in h: no frames, salt-1 + 1, a new salt-2. */
static void wal_restart_hdr(Wal *w, WalIndexHdr *h) {
  volatile WalCkptInfo *ci = wal_ckpt_info(w->regions[0]);
  h->mx_frame = 0;
  util_put4(h->salt, util_get4(h->salt) + 1);
  util_put4(h->salt + 4, wal_random());
  h->change++;
  wal_write_hdr(w, h);
  ci->backfill = 0;
  ci->backfill_attempted = 0;
  ci->read_mark[1] = 0;
  for (int i = 2; i < WAL_NREADER; i++) ci->read_mark[i] = WAL_READMARK_UNUSED;
}

/* A reader whose snapshot is wholly in the database file (every frame of
** it backfilled) may read the database file alone: it trades its mark for
** READ(0), which holds no checkpoint back and lets the WAL restart.  1 when
** it did. */
static int wal_move_to_db_only(Wal *w, WalSnap *s) {
  volatile WalCkptInfo *ci = wal_ckpt_info(w->regions[0]);
  if (s->read_lock <= 0 || ci->backfill != s->hdr.mx_frame) return s->read_lock == 0;
  if (wal_lock(w, WAL_LOCK_READ(0), 1, 0) != LODE_OK) return 0;
  wal_unlock(w, WAL_LOCK_READ(s->read_lock), 1, 0);
  s->read_lock = 0;
  s->use_wal = 0;
  return 1;
}

/* Before a writer whose snapshot is wholly in the database file appends:
** when every frame has been backfilled and no reader uses a mark, the WAL
** starts over from its first frame. */
static int wal_maybe_restart(Wal *w, WalSnap *s) {
  volatile WalCkptInfo *ci = wal_ckpt_info(w->regions[0]);
  if (ci->backfill == 0 || ci->backfill != s->hdr.mx_frame || !wal_move_to_db_only(w, s)) return LODE_OK;
  int rc = wal_lock(w, WAL_LOCK_READ(1), WAL_NREADER - 1, 1);
  if (rc == LODE_BUSY) return LODE_OK;
  if (rc != LODE_OK) return rc;
  wal_restart_hdr(w, &s->hdr);
  wal_unlock(w, WAL_LOCK_READ(1), WAL_NREADER - 1, 1);
  return LODE_OK;
}

/* The header of a new generation's WAL file into b; h gets its salts. */
static int wal_new_file_header(Wal *w, WalIndexHdr *h, uint8_t *b, uint32_t s[2]) {
  uint32_t seq = 0;
  uint8_t old[WAL_HEADER_SIZE];
  int64_t size = 0;
  int rc = os_size(w->file, &size);
  if (rc == LODE_OK && size >= WAL_HEADER_SIZE && os_read(w->file, old, sizeof old, 0) == LODE_OK)
    seq = util_get4(old + 12) + 1;
  if (rc != LODE_OK) return rc;
  /* Stale frames of any earlier generation must never verify again. */
  uint32_t salt1 = util_get4(h->salt);
  util_put4(h->salt, salt1 || util_get4(h->salt + 4) ? salt1 + 1 : wal_random());
  util_put4(h->salt + 4, wal_random());
  h->big_endian = (uint8_t)wal_host_big_endian();
  h->page_size = (uint16_t)((w->page_size & 0xff00) | (w->page_size >> 16));
  util_put4(b, h->big_endian ? WAL_MAGIC_BE : WAL_MAGIC_LE);
  util_put4(b + 4, WAL_FORMAT_VERSION);
  util_put4(b + 8, w->page_size);
  util_put4(b + 12, seq);
  memcpy(b + 16, h->salt, 8);
  s[0] = s[1] = 0;
  wal_checksum(h->big_endian, b, 24, s);
  util_put4(b + 24, s[0]);
  util_put4(b + 28, s[1]);
  return LODE_OK;
}

/* Fills n frames into buf, continuing the checksum in s[]; codec NULL: the
** pages are stored as they are (already encoded, or plaintext). */
static int wal_build_frames(const CryptoKey *codec, const WalIndexHdr *h, uint32_t ps, uint8_t *buf,
                            const WalPage *pages, uint32_t n, uint32_t commit_size, uint32_t s[2]) {
  size_t frame_size = WAL_FRAME_HEADER_SIZE + (size_t)ps;
  for (uint32_t i = 0; i < n; i++) {
    uint8_t *f = buf + i * frame_size;
    util_put4(f, pages[i].pgno);
    util_put4(f + 4, i + 1 == n ? commit_size : 0);
    memcpy(f + 8, h->salt, 8);
    int rc = page_encode(codec, pages[i].pgno, pages[i].data, f + WAL_FRAME_HEADER_SIZE, ps);
    if (rc != LODE_OK) return rc;
    wal_checksum(h->big_endian, f, 8, s);
    wal_checksum(h->big_endian, f + WAL_FRAME_HEADER_SIZE, ps, s);
    util_put4(f + 16, s[0]);
    util_put4(f + 20, s[1]);
  }
  return LODE_OK;
}

/* Writes pages as frames first, first + 1, … (the last one recording
** commit_size, 0 for none), continuing the checksum in sum[] (left as it
** was on failure), after the file header when header is set, then syncs
** when sync is set.  raw: the pages are already encoded. */
static int wal_write_frames(Wal *w, const WalIndexHdr *h, uint32_t first, const WalPage *pages, uint32_t npages,
                            uint32_t commit_size, int sync, int raw, const uint8_t *header, uint32_t sum[2]) {
  uint32_t ps = wal_snap_page_size(&(WalSnap){.hdr = *h});
  size_t frame_size = WAL_FRAME_HEADER_SIZE + (size_t)ps;
  uint32_t most = (uint32_t)(WAL_APPEND_BYTES / frame_size), chunk = most ? most : 1;
  if (npages < chunk) chunk = npages;
  uint32_t s[2] = {sum[0], sum[1]};
  uint8_t *buf = util_malloc(frame_size * chunk);
  if (!buf) return LODE_NOMEM;
  int rc = LODE_OK;
  for (uint32_t done = 0; rc == LODE_OK && done < npages; done += chunk) {
    uint32_t n = npages - done < chunk ? npages - done : chunk;
    int last = done + n == npages;
    rc = wal_build_frames(raw ? NULL : w->codec, h, ps, buf, pages + done, n, last ? commit_size : 0, s);
    if (rc != LODE_OK) break;
    OsIoOp ops[3];
    int nops = 0;
    if (header && done == 0) ops[nops++] = (OsIoOp){(uint8_t *)header, WAL_HEADER_SIZE, 0};
    ops[nops++] = (OsIoOp){buf, frame_size * n, wal_frame_offset(ps, first + done)};
    if (last && sync) ops[nops++] = (OsIoOp){NULL, 0, 0};
    rc = os_write_batch(w->file, ops, nops);
  }
  util_free(buf);
  if (rc == LODE_OK) {
    sum[0] = s[0];
    sum[1] = s[1];
  }
  return rc;
}

/* Every hash table frames first..first+n-1 go into, created before they are
** written: once a commit frame is in the file, publishing it must not fail. */
static int wal_reserve_blocks(Wal *w, uint32_t first, uint32_t n) {
  int rc = LODE_OK;
  for (uint32_t b = wal_block_of(first); rc == LODE_OK && b <= wal_block_of(first + n - 1); b++) {
    WalBlock blk;
    rc = wal_block(w, b, 1, &blk);
  }
  return rc;
}

uint32_t wal_spilled_frame(Wal *w, uint32_t pgno) {
  if (!w->spill_started || w->spill_n == 0) return 0;
  if (pgno / 8 >= w->spill_map_bytes || !((w->spill_map[pgno / 8] >> (pgno % 8)) & 1)) return 0;
  return wal_find_frame_after(w, w->spill_hdr.mx_frame, w->spill_hdr.mx_frame + w->spill_n, pgno);
}

uint32_t wal_spilled_count(const Wal *w) { return w->spill_started ? w->spill_n : 0; }

uint32_t wal_spilled_page(Wal *w, uint32_t k) {
  assert(k < wal_spilled_count(w));
  uint32_t f = w->spill_hdr.mx_frame + 1 + k;
  WalBlock b;
  return wal_block(w, wal_block_of(f), 0, &b) == LODE_OK ? b.pgnos[f - b.zero - 1] : 0;
}

int wal_spill(Wal *w, WalSnap *s, const WalPage *pages, uint32_t npages) {
  assert(npages > 0 && w->excl[WAL_LOCK_WRITE]);
  if (w->readonly) return LODE_READONLY;
  uint8_t header[WAL_HEADER_SIZE];
  int new_file = 0, rc = LODE_OK;
  if (!w->spill_started) {
    /* The spilled frames start the commit's frames: the WAL restarts, and a
    ** new generation gets its file header, now rather than at the commit. */
    rc = wal_maybe_restart(w, s);
    if (rc == LODE_OK) rc = wal_open_file(w, 1);
    if (rc != LODE_OK) return rc;
    w->spill_hdr = s->hdr;
    w->spill_n = 0;
    w->spill_sum[0] = s->hdr.frame_cksum[0];
    w->spill_sum[1] = s->hdr.frame_cksum[1];
    if (s->hdr.mx_frame == 0) {
      rc = wal_new_file_header(w, &w->spill_hdr, header, w->spill_sum);
      new_file = 1;
    }
    if (rc != LODE_OK) return rc;
  }
  if ((uint64_t)w->spill_hdr.mx_frame + w->spill_n + npages > UINT32_MAX / 2) return LODE_FULL;
  uint32_t at = w->spill_hdr.mx_frame + w->spill_n + 1, top = 0;
  for (uint32_t i = 0; i < npages; i++)
    if (pages[i].pgno > top) top = pages[i].pgno;
  if (top / 8 >= w->spill_map_bytes) {
    uint32_t bytes = w->spill_map_bytes ? w->spill_map_bytes : 512;
    while (bytes <= top / 8) bytes *= 2;
    uint8_t *m = util_realloc(w->spill_map, bytes);
    if (!m) return LODE_NOMEM;
    memset(m + w->spill_map_bytes, 0, bytes - w->spill_map_bytes);
    w->spill_map = m;
    w->spill_map_bytes = bytes;
  }
  if ((rc = wal_reserve_blocks(w, at, npages)) != LODE_OK) return rc;
  rc = wal_write_frames(w, &w->spill_hdr, at, pages, npages, 0, 0, 0, new_file ? header : NULL, w->spill_sum);
  /* Entries past the published mx_frame: readers stop before them.  Ones
  ** left by a failure lie past spill_n, where the writer does not look
  ** either, and the next append over them clears them. */
  for (uint32_t i = 0; rc == LODE_OK && i < npages; i++) rc = wal_index_append(w, at + i, pages[i].pgno);
  if (rc != LODE_OK) return rc;
  for (uint32_t i = 0; i < npages; i++) w->spill_map[pages[i].pgno / 8] |= (uint8_t)(1u << (pages[i].pgno % 8));
  w->spill_n += npages;
  w->spill_started = 1;
  return LODE_OK;
}

int wal_read_spilled_part(Wal *w, uint32_t frame, uint32_t off, uint32_t n, uint8_t *buf) {
  assert(w->spill_started && frame > w->spill_hdr.mx_frame && frame <= w->spill_hdr.mx_frame + w->spill_n);
  uint32_t ps = wal_snap_page_size(&(WalSnap){.hdr = w->spill_hdr});
  if (ps != w->page_size || off > ps || n > ps - off) return LODE_CORRUPT;
  return wal_read_page(w, ps, frame, off, n, buf);
}

int wal_read_spilled(Wal *w, uint32_t frame, uint8_t *page) {
  return wal_read_spilled_part(w, frame, 0, w->page_size, page);
}

/* A committed spill's frames are the WAL's; those of a transaction that did
** not commit leave the hash tables (best effort: an append over them clears
** them as well), so that readers' probe chains do not keep them. */
static void wal_spill_forget(Wal *w, int committed) {
  int spilled = w->spill_started && w->spill_n > 0;
  if (spilled && !committed) (void)wal_cleanup_hash(w, w->spill_hdr.mx_frame);
  w->spill_started = 0;
  w->spill_n = 0;
  if (w->spill_map_bytes > WAL_SPILL_MAP_KEEP) {
    util_free(w->spill_map);
    w->spill_map = NULL;
    w->spill_map_bytes = 0;
  } else if (spilled) {
    memset(w->spill_map, 0, w->spill_map_bytes);
  }
}

static int wal_append_pages(Wal *w, WalSnap *s, const WalPage *pages, uint32_t npages, uint32_t db_size, int sync,
                            int raw, const WalUnlock *unlock) {
  assert(npages > 0 && db_size > 0 && w->excl[WAL_LOCK_WRITE]);
  if (w->readonly) return LODE_READONLY;
  /* After a spill the WAL has restarted (or not) and has its header. */
  int spilled = w->spill_started;
  int rc = spilled ? LODE_OK : wal_maybe_restart(w, s);
  if (rc == LODE_OK) rc = wal_open_file(w, 1);
  WalIndexHdr h = spilled ? w->spill_hdr : s->hdr;
  uint32_t nspill = spilled ? w->spill_n : 0;
  if (rc == LODE_OK && (uint64_t)h.mx_frame + nspill + npages > UINT32_MAX / 2) rc = LODE_FULL;
  if (rc == LODE_OK) rc = wal_reserve_blocks(w, h.mx_frame + 1, nspill + npages);
  if (rc != LODE_OK) return rc;
  uint8_t header[WAL_HEADER_SIZE];
  uint32_t sum[2] = {h.frame_cksum[0], h.frame_cksum[1]};
  if (spilled) {
    sum[0] = w->spill_sum[0];
    sum[1] = w->spill_sum[1];
  }
  int new_file = !spilled && h.mx_frame == 0;
  if (new_file) rc = wal_new_file_header(w, &h, header, sum);
  /* Building the frames (checksums) and writing them need only the write
  ** lock, the pages and the handles the read gate keeps: the caller's
  ** mutex is let go meanwhile, so that the other connections of the process
  ** begin, read and queue their commits; publishing below takes it again. */
  int out = rc == LODE_OK && unlock && w->gate && read_gate_enter(w->gate, 0);
  if (out) unlock->leave(unlock->ctx);
  if (rc == LODE_OK)
    rc = wal_write_frames(w, &h, h.mx_frame + nspill + 1, pages, npages, db_size, sync, raw, new_file ? header : NULL,
                          sum);
  if (out) {
    read_gate_leave(w->gate, 0);
    unlock->enter(unlock->ctx);
  }
  /* Hash entries first (the spilled frames have theirs), then the header
  ** that makes them visible. */
  for (uint32_t i = 0; rc == LODE_OK && i < npages; i++)
    rc = wal_index_append(w, h.mx_frame + nspill + i + 1, pages[i].pgno);
  if (rc != LODE_OK) return rc; /* nothing published: readers still see the old header */
  h.mx_frame += nspill + npages;
  h.npage = db_size;
  h.frame_cksum[0] = sum[0];
  h.frame_cksum[1] = sum[1];
  h.change++;
  wal_write_hdr(w, &h);
  s->hdr = h;
  wal_spill_forget(w, 1);
  /* The frames are ours and stay (no checkpoint passes a held READ(0) nor
  ** restarts the WAL under it): this pager may read them. */
  s->use_wal = 1;
  /* A WAL that started over keeps at most journal_size_limit bytes beyond
  ** what this commit wrote (a failed truncate only costs space). */
  if (new_file && w->size_limit >= 0) {
    uint32_t ps = wal_snap_page_size(&(WalSnap){.hdr = h});
    int64_t keep = wal_frame_offset(ps, h.mx_frame + 1), size = 0;
    if (keep < w->size_limit) keep = w->size_limit;
    if (os_size(w->file, &size) == LODE_OK && size > keep) (void)os_truncate(w->file, keep);
  }
  return LODE_OK;
}

int wal_append(Wal *w, WalSnap *s, const WalPage *pages, uint32_t npages, uint32_t db_size, int sync,
               const WalUnlock *unlock) {
  return wal_append_pages(w, s, pages, npages, db_size, sync, 0, unlock);
}

int wal_append_raw(Wal *w, WalSnap *s, const WalPage *pages, uint32_t npages, uint32_t db_size, int sync) {
  assert(!w->spill_started);
  return wal_append_pages(w, s, pages, npages, db_size, sync, 1, NULL);
}

int wal_read_raw_frame(Wal *w, const WalSnap *s, uint32_t frame, uint8_t *buf) {
  assert(frame >= 1 && frame <= s->hdr.mx_frame);
  uint32_t ps = wal_snap_page_size(s);
  int rc = wal_open_file(w, 0);
  if (rc != LODE_OK) return rc;
  if (!w->file) return LODE_CORRUPT;
  rc = os_read(w->file, buf, WAL_FRAME_HEADER_SIZE + (size_t)ps, wal_frame_offset(ps, frame));
  if (rc == LODE_IOERR_SHORT_READ) return LODE_CORRUPT;
  /* A snapshot read from the database file alone (READ(0)) does not keep
  ** the WAL from starting over: its frames may have been overwritten. */
  if (rc == LODE_OK && memcmp(buf + 8, s->hdr.salt, 8) != 0) return LODE_NOTFOUND;
  return rc;
}

/* ---- checkpoint ----------------------------------------------------------- */

/* The page of frame f (0 when the wal-index cannot say: *rc tells why). */
static uint32_t wal_frame_page(Wal *w, uint32_t f, int *rc) {
  WalBlock b;
  *rc = wal_block(w, wal_block_of(f), 0, &b);
  return *rc == LODE_OK ? b.pgnos[f - b.zero - 1] : 0;
}

static inline void bit_set(uint8_t *bits, uint32_t k) { bits[k / 8] |= (uint8_t)(1u << (k % 8)); }
static inline int bit_get(const uint8_t *bits, uint32_t k) { return (bits[k / 8] >> (k % 8)) & 1; }

/* wal_collect with a bitmap of the pages met (npage bits): walked from the
** newest frame back, the first frame met of a page is its newest. */
static int wal_collect_backwards(Wal *w, uint32_t from, uint32_t to, uint32_t npage, uint8_t *newest) {
  uint8_t *seen = util_zalloc((size_t)npage / 8 + 1);
  int rc = seen ? LODE_OK : LODE_NOMEM;
  for (uint32_t f = to; rc == LODE_OK && f > from; f--) {
    uint32_t pgno = wal_frame_page(w, f, &rc);
    if (rc != LODE_OK || pgno < 1 || pgno > npage || bit_get(seen, pgno)) continue;
    bit_set(seen, pgno);
    bit_set(newest, f - from - 1);
  }
  util_free(seen);
  return rc;
}

/* The frames a checkpoint copies out of (from, to]: the newest of every page
** up to npage, as a bitmap over the frames (bit k: frame from + 1 + k), one
** bit a frame where a list of (page, frame) pairs took eight bytes a page
** (2 MiB after a transaction that rewrote a 1 GiB database).  The pages
** met are told apart by a bitmap over the pages, or, where that would
** outweigh a few frames in a large database, by a map from page to frame,
** whose size follows the frames. */
static int wal_collect(Wal *w, uint32_t from, uint32_t to, uint32_t npage, uint8_t **out) {
  uint8_t *newest = util_zalloc((size_t)(to - from) / 8 + 1);
  if (!newest) return LODE_NOMEM;
  int rc = LODE_OK;
  if ((uint64_t)npage / 8 <= (uint64_t)(to - from) * 16) {
    rc = wal_collect_backwards(w, from, to, npage, newest);
  } else {
    U32Map m;
    u32map_init(&m);
    for (uint32_t f = from + 1; rc == LODE_OK && f <= to; f++) {
      uint32_t pgno = wal_frame_page(w, f, &rc);
      if (rc == LODE_OK && pgno >= 1 && pgno <= npage) rc = u32map_put(&m, pgno, f);
    }
    for (uint32_t i = 0; rc == LODE_OK && i < m.cap; i++)
      if (m.slots[i].key != 0) bit_set(newest, (uint32_t)m.slots[i].value - from - 1);
    u32map_free(&m);
  }
  if (rc != LODE_OK) {
    util_free(newest);
    return rc;
  }
  *out = newest;
  return LODE_OK;
}

/* The frames of (from, to] marked in newest, in frame order: each stretch
** of at most WAL_CKPT_CHUNK frames holding pages to copy is read with one
** call (not one read per page: a system call costs about as much as copying
** a page, and most frames of a stretch are copied), then its pages are
** written, each where its frame header says (the wal-index, which gave the
** same page, is not read here: the caller's mutex may be let go). */
static int wal_copy_pages(Wal *w, const WalSnap *s, OsFile *db, uint32_t from, uint32_t to, const uint8_t *newest) {
  uint32_t ps = wal_snap_page_size(s);
  size_t fs = WAL_FRAME_HEADER_SIZE + (size_t)ps;
  uint8_t *buf = util_malloc(fs * WAL_CKPT_CHUNK);
  OsIoOp *ops = util_malloc(sizeof *ops * WAL_CKPT_CHUNK);
  int rc = (buf && ops) ? LODE_OK : LODE_NOMEM;
  if (rc == LODE_OK) rc = wal_open_file(w, 0);
  if (rc == LODE_OK && !w->file) rc = LODE_CORRUPT;
  for (uint32_t f = from + 1; rc == LODE_OK;) {
    while (f <= to && !bit_get(newest, f - from - 1)) f++;
    if (f > to) break;
    uint32_t first = f, last = f;
    for (; f <= to && f - first < WAL_CKPT_CHUNK; f++)
      if (bit_get(newest, f - from - 1)) last = f;
    rc = os_read(w->file, buf, fs * (last - first + 1), wal_frame_offset(ps, first));
    if (rc == LODE_IOERR_SHORT_READ) rc = LODE_CORRUPT; /* validated frames: the file was cut behind our back */
    int nops = 0;
    for (uint32_t g = first; rc == LODE_OK && g <= last; g++) {
      if (!bit_get(newest, g - from - 1)) continue;
      uint8_t *frame = buf + (size_t)(g - first) * fs;
      uint32_t pgno = util_get4(frame);
      if (pgno == 0 || pgno > s->hdr.npage) rc = LODE_CORRUPT;
      ops[nops++] = (OsIoOp){frame + WAL_FRAME_HEADER_SIZE, ps, (int64_t)(pgno - 1) * ps};
    }
    if (rc == LODE_OK) rc = os_write_batch(db, ops, nops);
  }
  util_free(buf);
  util_free(ops);
  return rc;
}

/* Copies frames (backfill, safe] into db; the caller holds READ(0) exclusively. */
static int wal_backfill(Wal *w, const WalIndexHdr *h, OsFile *db, uint32_t safe, int sync, const WalUnlock *unlock) {
  volatile WalCkptInfo *ci = wal_ckpt_info(w->regions[0]);
  WalSnap snap = {.read_lock = -1, .use_wal = 1, .hdr = *h};
  ci->backfill_attempted = safe;
  int rc = wal_open_file(w, 0);
  if (rc == LODE_OK && !w->file) rc = LODE_CORRUPT;
  /* Every page of the database is in the file or in a frame: a file that
  ** falls short of the committed size by more than the WAL could hold (and
  ** the lock-byte page, never written) lost pages behind the WAL's back;
  ** copying the frames over it would make a database with holes. */
  int64_t ps = wal_snap_page_size(&snap), size = 0, want = (int64_t)h->npage * ps;
  if (rc == LODE_OK) rc = os_size(db, &size);
  if (rc == LODE_OK && size < want && size + WAL_LOCK_PAGE_MAX + (int64_t)h->mx_frame * ps < want) rc = LODE_CORRUPT;
  uint8_t *newest = NULL;
  uint32_t from = ci->backfill;
  if (rc == LODE_OK) rc = wal_collect(w, from, safe, h->npage, &newest);
  /* From here on only the two handles are used (the gate keeps them). */
  int out = rc == LODE_OK && unlock && w->gate && read_gate_enter(w->gate, 0);
  if (out) unlock->leave(unlock->ctx);
  /* Commits that skipped their sync (synchronous=NORMAL) must be durable
  ** before the database file starts to change. */
  if (rc == LODE_OK && sync) rc = os_sync(w->file);
  if (rc == LODE_OK) rc = wal_copy_pages(w, &snap, db, from, safe, newest);
  util_free(newest);
  if (rc == LODE_OK && safe == h->mx_frame) rc = os_truncate(db, (int64_t)h->npage * wal_snap_page_size(&snap));
  if (rc == LODE_OK && sync) rc = os_sync(db);
  if (out) {
    read_gate_leave(w->gate, 0);
    unlock->enter(unlock->ctx);
    ci = wal_ckpt_info(w->regions[0]); /* the mapping may have changed meanwhile */
  }
  if (rc == LODE_OK) ci->backfill = safe;
  return rc;
}

/* The checkpoint proper, under CKPT (and WRITE unless passive). */
static int wal_checkpoint_locked(Wal *w, WalSnap *s, OsFile *db, int mode, int sync, int busy_ms,
                                 const WalUnlock *unlock, WalIndexHdr *h) {
  int rc = wal_current_hdr(w, h);
  if (rc != LODE_OK) return rc;
  volatile WalCkptInfo *ci = wal_ckpt_info(w->regions[0]);
  if (h->mx_frame > ci->backfill) {
    /* No frame past a mark a reader holds: its snapshot may need the page
    ** as the database file has it now. */
    uint32_t safe = h->mx_frame;
    for (int i = 1; i < WAL_NREADER; i++) {
      uint32_t y = ci->read_mark[i];
      if (safe <= y) continue;
      rc = wal_lock_wait(w, WAL_LOCK_READ(i), 1, 1, busy_ms);
      if (rc == LODE_OK) {
        ci->read_mark[i] = i == 1 ? safe : WAL_READMARK_UNUSED;
        wal_unlock(w, WAL_LOCK_READ(i), 1, 1);
      } else if (rc == LODE_BUSY) {
        safe = y;
        busy_ms = 0;
      } else {
        return rc;
      }
    }
    rc = LODE_OK;
    if (ci->backfill < safe) {
      rc = wal_lock_wait(w, WAL_LOCK_READ(0), 1, 1, busy_ms);
      if (rc == LODE_OK) {
        rc = wal_backfill(w, h, db, safe, sync, unlock);
        wal_unlock(w, WAL_LOCK_READ(0), 1, 1);
      }
      if (rc == LODE_BUSY) rc = LODE_OK;
    }
  }
  if (rc != LODE_OK || mode == PAGER_CKPT_PASSIVE) return rc;
  if (ci->backfill < h->mx_frame) return LODE_BUSY;
  if (mode < PAGER_CKPT_RESTART) return LODE_OK;
  /* RESTART and TRUNCATE wait until no reader uses the WAL, so that the
  ** next writer starts it over; TRUNCATE starts it over now, empty.  The
  ** caller's own snapshot, when it is the latest, reads the database file
  ** alone from now on. */
  int caller_latest = s && memcmp(&s->hdr, h, sizeof *h) == 0;
  if (caller_latest) wal_move_to_db_only(w, s);
  rc = wal_lock_wait(w, WAL_LOCK_READ(1), WAL_NREADER - 1, 1, busy_ms);
  if (rc != LODE_OK) return rc;
  if (mode == PAGER_CKPT_TRUNCATE) {
    wal_restart_hdr(w, h);
    /* Same pages, new header: the caller's snapshot stays the latest. */
    if (caller_latest && s->read_lock == 0) s->hdr = *h;
    rc = wal_open_file(w, 0);
    if (rc == LODE_OK && w->file) rc = os_truncate(w->file, 0);
  }
  wal_unlock(w, WAL_LOCK_READ(1), WAL_NREADER - 1, 1);
  return rc;
}

/* A passive checkpoint that could copy nothing: a connection of this
** process other than own's holds a read mark at or below what is
** backfilled already (the checkpoint would stop there; own's mark would
** move first, wal_remark).  Known without a lock, and then not run: with
** writers that overlap, the WAL stays past the autocheckpoint size and
** every commit would otherwise move its mark and take the checkpoint lock
** and the free read marks through the OS for nothing.  *log and *done get
** what the checkpoint would report. */
int wal_passive_idle(Wal *w, const WalSnap *own, int *log, int *done) {
  WalIndexHdr h;
  if (w->heap || !w->shm_open || w->readonly || !wal_read_hdr(w, &h)) return 0;
  volatile WalCkptInfo *ci = wal_ckpt_info(w->regions[0]);
  uint32_t backfill = ci->backfill;
  if (backfill >= h.mx_frame) return 0;
  for (int i = 1; i < WAL_NREADER; i++) {
    int holders = w->shared[WAL_LOCK_READ(i)] - (own && own->read_lock == i);
    if (holders > 0 && ci->read_mark[i] <= backfill) {
      *log = (int)h.mx_frame;
      *done = (int)backfill;
      return 1;
    }
  }
  return 0;
}

uint32_t wal_backfilled(Wal *w) {
  return w->nregions > 0 && w->regions[0] ? wal_ckpt_info(w->regions[0])->backfill : 0;
}

int wal_checkpoint(Wal *w, WalSnap *s, OsFile *db, int mode, int sync, int busy_ms, const WalUnlock *unlock, int *log,
                   int *done) {
  *log = *done = -1;
  if (w->readonly) return LODE_READONLY;
  int rc = wal_lock(w, WAL_LOCK_CKPT, 1, 1);
  if (rc != LODE_OK) return rc;
  int mode2 = mode, own_write = 0;
  if (mode != PAGER_CKPT_PASSIVE) {
    rc = wal_lock_wait(w, WAL_LOCK_WRITE, 1, 1, busy_ms);
    if (rc == LODE_OK) own_write = 1;
    else if (rc == LODE_BUSY) mode2 = PAGER_CKPT_PASSIVE, busy_ms = 0, rc = LODE_OK;
  }
  WalIndexHdr h;
  memset(&h, 0, sizeof h);
  if (rc == LODE_OK) rc = wal_checkpoint_locked(w, s, db, mode2, sync, busy_ms, unlock, &h);
  if ((rc == LODE_OK || rc == LODE_BUSY) && h.is_init) {
    *log = (int)h.mx_frame;
    *done = (int)wal_ckpt_info(w->regions[0])->backfill;
  }
  if (own_write) wal_unlock(w, WAL_LOCK_WRITE, 1, 1);
  wal_unlock(w, WAL_LOCK_CKPT, 1, 1);
  if (rc == LODE_OK && mode2 != mode) rc = LODE_BUSY;
  return rc;
}
