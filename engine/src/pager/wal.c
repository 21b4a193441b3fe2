/*
** wal.c — the write-ahead log in SQLite's WAL format and its in-memory
** wal-index: recovery on open, appending committed transactions, and
** checkpointing into the database file.  Byte layouts: see pager_int.h.
**
** Recovery accepts frames while their salts match the header and their
** cumulative checksums verify; only frames up to the last valid commit
** frame count.  A WAL whose header is invalid (magic, version, page size,
** checksum) is treated as empty.  A new WAL generation (after a checkpoint,
** or when nothing valid was found) starts with a fresh header: salt-1 one
** more than before and a new random salt-2, so stale frames left in the
** file can never verify against it.
**
** Invariants: see pager_int.h; in addition the WAL file is only ever
** written by wal_append (header + frames + sync in os_write_batch calls)
** and truncated by wal_checkpoint after the database file is synced.
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pager/pager_int.h"
#include "util/util.h"

/* Frames built and submitted per os_write_batch call, bounding the
** temporary buffer of a large commit. */
#define WAL_APPEND_CHUNK 256
/* Pages copied per batch during a checkpoint. */
#define WAL_CKPT_CHUNK 128
#define WAL_MIN_PAGE_SIZE 512
#define WAL_MAX_PAGE_SIZE 65536

struct Wal {
  OsVfs *vfs;
  char *path;
  OsFile *file; /* NULL until the WAL exists */
  int readonly;
  uint32_t page_size;
  U32Map index; /* pgno → newest committed frame */
  uint32_t *prev;    /* prev[f]: the previous frame of f's page, 0 if none */
  uint32_t prev_cap; /* entries allocated in prev */
  uint32_t mx_frame;
  uint32_t db_size;
  uint32_t cksum[2];
  uint32_t salt[2];
  uint32_t ckpt_seq;
  int big_endian;   /* checksum word order of the current header */
  int header_known; /* salt/ckpt_seq hold the last valid header's values */
};

static int wal_page_size_valid(uint32_t ps) {
  return ps >= WAL_MIN_PAGE_SIZE && ps <= WAL_MAX_PAGE_SIZE && (ps & (ps - 1)) == 0;
}

static int64_t wal_frame_offset(const Wal *w, uint32_t frame) {
  assert(frame >= 1);
  return WAL_HEADER_SIZE + (int64_t)(frame - 1) * (WAL_FRAME_HEADER_SIZE + w->page_size);
}

/* Words in the host's own order load directly; the checksum runs over every
** byte of every commit, so this is the WAL's hot loop. */
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WAL_HOST_BIG_ENDIAN 0
#elif defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define WAL_HOST_BIG_ENDIAN 1
#else
#define WAL_HOST_BIG_ENDIAN (-1)
#endif

static uint32_t wal_get_word(const uint8_t *p, int big_endian) {
  if (big_endian) return util_get4(p);
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* SQLite's WAL checksum, continuing from s[]; n is a multiple of 8. */
static void wal_checksum(int big_endian, const uint8_t *p, size_t n, uint32_t s[2]) {
  assert(n % 8 == 0);
  uint32_t s0 = s[0], s1 = s[1];
  if (big_endian == WAL_HOST_BIG_ENDIAN) {
    for (size_t i = 0; i < n; i += 8) {
      uint32_t x[2];
      memcpy(x, p + i, sizeof x);
      s0 += x[0] + s1;
      s1 += x[1] + s0;
    }
    s[0] = s0;
    s[1] = s1;
    return;
  }
  for (size_t i = 0; i < n; i += 8) {
    s0 += wal_get_word(p + i, big_endian) + s1;
    s1 += wal_get_word(p + i + 4, big_endian) + s0;
  }
  s[0] = s0;
  s[1] = s1;
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

static void wal_reset_state(Wal *w) {
  u32map_clear(&w->index);
  w->mx_frame = 0;
  w->db_size = 0;
  w->cksum[0] = w->cksum[1] = 0;
}

/* ---- recovery ------------------------------------------------------------- */

/* Parses the header; returns 1 if valid (and adopts its fields). */
static int wal_parse_header(Wal *w, const uint8_t *h, uint32_t db_page_size) {
  uint32_t magic = util_get4(h);
  if (magic != WAL_MAGIC_LE && magic != WAL_MAGIC_BE) return 0;
  if (util_get4(h + 4) != WAL_FORMAT_VERSION) return 0;
  uint32_t ps = util_get4(h + 8);
  if (!wal_page_size_valid(ps)) return 0;
  if (db_page_size != 0 && ps != db_page_size) return 0;
  int be = magic == WAL_MAGIC_BE;
  uint32_t s[2] = {0, 0};
  wal_checksum(be, h, 24, s);
  if (s[0] != util_get4(h + 24) || s[1] != util_get4(h + 28)) return 0;
  w->page_size = ps;
  w->big_endian = be;
  w->ckpt_seq = util_get4(h + 12);
  w->salt[0] = util_get4(h + 16);
  w->salt[1] = util_get4(h + 20);
  w->cksum[0] = s[0];
  w->cksum[1] = s[1];
  w->header_known = 1;
  return 1;
}

/* Checks one frame against the running checksum s[] (updated on success). */
static int wal_frame_valid(const Wal *w, const uint8_t *frame, uint32_t s[2]) {
  if (util_get4(frame) == 0) return 0;
  if (util_get4(frame + 8) != w->salt[0] || util_get4(frame + 12) != w->salt[1]) return 0;
  uint32_t c[2] = {s[0], s[1]};
  wal_checksum(w->big_endian, frame, 8, c);
  wal_checksum(w->big_endian, frame + WAL_FRAME_HEADER_SIZE, w->page_size, c);
  if (c[0] != util_get4(frame + 16) || c[1] != util_get4(frame + 20)) return 0;
  s[0] = c[0];
  s[1] = c[1];
  return 1;
}

/* Room for frames up to last in prev[] and for n more pages in the index,
** so that recording them afterwards cannot fail. */
static int wal_reserve(Wal *w, uint32_t last, uint32_t n) {
  if (last >= w->prev_cap) {
    uint32_t cap = w->prev_cap ? w->prev_cap : WAL_APPEND_CHUNK;
    while (cap <= last) cap *= 2;
    uint32_t *prev = util_realloc(w->prev, sizeof(uint32_t) * (size_t)cap);
    if (!prev) return LODE_NOMEM;
    w->prev = prev;
    w->prev_cap = cap;
  }
  return u32map_reserve(&w->index, n);
}

/* Makes frame f the newest of its page (space reserved beforehand). */
static void wal_record(Wal *w, uint32_t pgno, uint32_t f) {
  assert(f < w->prev_cap);
  uint64_t older = 0;
  u32map_get(&w->index, pgno, &older);
  w->prev[f] = (uint32_t)older;
  int rc = u32map_put(&w->index, pgno, f);
  assert(rc == LODE_OK);
  (void)rc;
}

/* Publishes frames first..last (their page numbers in pgnos[]) as committed. */
static int wal_publish(Wal *w, const uint32_t *pgnos, uint32_t first, uint32_t last) {
  int rc = wal_reserve(w, last, last - first + 1);
  if (rc != LODE_OK) return rc;
  for (uint32_t f = first; f <= last; f++) wal_record(w, pgnos[f - first], f);
  return LODE_OK;
}

static int wal_scan_frames(Wal *w, int64_t file_size) {
  size_t frame_size = WAL_FRAME_HEADER_SIZE + (size_t)w->page_size;
  int64_t nframes = (file_size - WAL_HEADER_SIZE) / (int64_t)frame_size;
  if (nframes <= 0) return LODE_OK;
  if (nframes > UINT32_MAX / 2) nframes = UINT32_MAX / 2;
  uint8_t *buf = util_malloc(frame_size);
  uint32_t *pending = util_malloc(sizeof(uint32_t) * WAL_APPEND_CHUNK);
  uint32_t npending = 0, cap = WAL_APPEND_CHUNK;
  uint32_t s[2] = {w->cksum[0], w->cksum[1]};
  int rc = (buf && pending) ? LODE_OK : LODE_NOMEM;
  for (uint32_t f = 1; rc == LODE_OK && f <= (uint32_t)nframes; f++) {
    rc = os_read(w->file, buf, frame_size, wal_frame_offset(w, f));
    if (rc != LODE_OK || !wal_frame_valid(w, buf, s)) break;
    if (npending == cap) {
      uint32_t *grown = util_realloc(pending, sizeof(uint32_t) * cap * 2);
      if (!grown) { rc = LODE_NOMEM; break; }
      pending = grown;
      cap *= 2;
    }
    pending[npending++] = util_get4(buf);
    uint32_t commit_size = util_get4(buf + 4);
    if (commit_size == 0) continue;
    rc = wal_publish(w, pending, f - npending + 1, f);
    w->mx_frame = f;
    w->db_size = commit_size;
    w->cksum[0] = s[0];
    w->cksum[1] = s[1];
    npending = 0;
  }
  if (rc == LODE_IOERR_SHORT_READ) rc = LODE_OK; /* file shrank under us: a torn tail */
  util_free(buf);
  util_free(pending);
  return rc;
}

static int wal_recover(Wal *w, uint32_t db_page_size) {
  int64_t size;
  int rc = os_size(w->file, &size);
  if (rc != LODE_OK || size < WAL_HEADER_SIZE) return rc;
  uint8_t h[WAL_HEADER_SIZE];
  rc = os_read(w->file, h, sizeof h, 0);
  if (rc != LODE_OK) return rc == LODE_IOERR_SHORT_READ ? LODE_OK : rc;
  if (!wal_parse_header(w, h, db_page_size)) return LODE_OK;
  rc = wal_scan_frames(w, size);
  if (rc != LODE_OK) wal_reset_state(w);
  return rc;
}

int wal_open(OsVfs *vfs, const char *db_path, int readonly, uint32_t page_size, Wal **out) {
  *out = NULL;
  Wal *w = util_zalloc(sizeof *w);
  if (!w) return LODE_NOMEM;
  u32map_init(&w->index);
  w->vfs = vfs;
  w->readonly = readonly;
  w->page_size = page_size;
  w->path = util_mprintf("%s-wal", db_path);
  int rc = w->path ? LODE_OK : LODE_NOMEM;
  int exists = 0;
  if (rc == LODE_OK) rc = vfs->exists(vfs, w->path, &exists);
  if (rc == LODE_OK && exists) {
    int flags = readonly ? OS_OPEN_READONLY : OS_OPEN_READWRITE;
    rc = vfs->open(vfs, w->path, flags, &w->file);
    /* An unreadable WAL next to a read-only database is ignored, not fatal. */
    if (rc != LODE_OK && readonly) rc = LODE_OK;
  }
  if (rc == LODE_OK && w->file) rc = wal_recover(w, page_size);
  if (rc == LODE_OK && page_size != 0) w->page_size = page_size;
  if (rc != LODE_OK) {
    wal_close(w, 0);
    return rc;
  }
  *out = w;
  return LODE_OK;
}

int wal_close(Wal *w, int remove_file) {
  if (!w) return LODE_OK;
  int rc = os_close(w->file);
  if (remove_file && w->path && !w->readonly) {
    int rc2 = w->vfs->remove(w->vfs, w->path);
    if (rc == LODE_OK) rc = rc2;
  }
  u32map_free(&w->index);
  util_free(w->prev);
  util_free(w->path);
  util_free(w);
  return rc;
}

uint32_t wal_page_size(Wal *w) { return w->page_size; }

void wal_set_page_size(Wal *w, uint32_t page_size) {
  assert(w->mx_frame == 0);
  w->page_size = page_size;
}

uint32_t wal_frame_count(Wal *w) { return w->mx_frame; }
uint32_t wal_db_size(Wal *w) { return w->db_size; }

uint32_t wal_find_frame(Wal *w, uint32_t pgno, uint32_t max_frame) {
  uint64_t newest;
  if (!u32map_get(&w->index, pgno, &newest)) return 0;
  uint32_t f = (uint32_t)newest;
  while (f > max_frame) f = w->prev[f];
  return f;
}

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
  os_close(w->file);
  w->file = rw;
  return LODE_OK;
}

int wal_read_frame(Wal *w, uint32_t frame, uint8_t *page) {
  assert(frame >= 1 && frame <= w->mx_frame && w->file);
  int64_t off = wal_frame_offset(w, frame) + WAL_FRAME_HEADER_SIZE;
  int rc = os_read(w->file, page, w->page_size, off);
  /* The frame was validated at recovery or written by us: a short read now
  ** means the file was cut behind our back. */
  return rc == LODE_IOERR_SHORT_READ ? LODE_CORRUPT : rc;
}

/* ---- appending ------------------------------------------------------------ */

static int wal_ensure_file(Wal *w) {
  if (w->file) return LODE_OK;
  return w->vfs->open(w->vfs, w->path, OS_OPEN_READWRITE | OS_OPEN_CREATE, &w->file);
}

int wal_create_file(Wal *w) { return w->readonly ? LODE_READONLY : wal_ensure_file(w); }

OsFile *wal_file(Wal *w) { return w->file; }

/* Starts a new generation: header bytes into h, running checksum reset. */
static void wal_new_header(Wal *w, uint8_t *h) {
  if (w->header_known) {
    w->salt[0]++;
    w->ckpt_seq++;
  } else {
    w->salt[0] = wal_random();
    w->ckpt_seq = 0;
  }
  w->salt[1] = wal_random();
  w->big_endian = 0;
  w->header_known = 1;
  util_put4(h, WAL_MAGIC_LE);
  util_put4(h + 4, WAL_FORMAT_VERSION);
  util_put4(h + 8, w->page_size);
  util_put4(h + 12, w->ckpt_seq);
  util_put4(h + 16, w->salt[0]);
  util_put4(h + 20, w->salt[1]);
  uint32_t s[2] = {0, 0};
  wal_checksum(w->big_endian, h, 24, s);
  util_put4(h + 24, s[0]);
  util_put4(h + 28, s[1]);
  w->cksum[0] = s[0];
  w->cksum[1] = s[1];
}

/* Fills n frames into buf, continuing the checksum in s[]. */
static void wal_build_frames(Wal *w, uint8_t *buf, const WalPage *pages, uint32_t n, uint32_t commit_size,
                             uint32_t s[2]) {
  size_t frame_size = WAL_FRAME_HEADER_SIZE + (size_t)w->page_size;
  for (uint32_t i = 0; i < n; i++) {
    uint8_t *f = buf + i * frame_size;
    util_put4(f, pages[i].pgno);
    util_put4(f + 4, i + 1 == n ? commit_size : 0);
    util_put4(f + 8, w->salt[0]);
    util_put4(f + 12, w->salt[1]);
    memcpy(f + WAL_FRAME_HEADER_SIZE, pages[i].data, w->page_size);
    wal_checksum(w->big_endian, f, 8, s);
    wal_checksum(w->big_endian, f + WAL_FRAME_HEADER_SIZE, w->page_size, s);
    util_put4(f + 16, s[0]);
    util_put4(f + 20, s[1]);
  }
}

int wal_append(Wal *w, const WalPage *pages, uint32_t npages, uint32_t db_size, int sync) {
  assert(npages > 0 && db_size > 0);
  if (w->readonly) return LODE_READONLY;
  int rc = wal_ensure_file(w);
  /* Growing the index up front means publishing after the write cannot fail. */
  if (rc == LODE_OK) rc = wal_reserve(w, w->mx_frame + npages, npages);
  if (rc != LODE_OK) return rc;
  size_t frame_size = WAL_FRAME_HEADER_SIZE + (size_t)w->page_size;
  uint32_t chunk = npages < WAL_APPEND_CHUNK ? npages : WAL_APPEND_CHUNK;
  uint8_t *buf = util_malloc(frame_size * chunk);
  if (!buf) return LODE_NOMEM;
  uint8_t header[WAL_HEADER_SIZE];
  uint32_t saved_salt[2] = {w->salt[0], w->salt[1]}, saved_seq = w->ckpt_seq;
  int saved_known = w->header_known;
  int new_header = w->mx_frame == 0;
  if (new_header) wal_new_header(w, header);
  uint32_t s[2] = {w->cksum[0], w->cksum[1]};
  for (uint32_t done = 0; rc == LODE_OK && done < npages; done += chunk) {
    uint32_t n = npages - done < chunk ? npages - done : chunk;
    int last = done + n == npages;
    wal_build_frames(w, buf, pages + done, n, last ? db_size : 0, s);
    OsIoOp ops[3];
    int nops = 0;
    if (new_header && done == 0) ops[nops++] = (OsIoOp){header, sizeof header, 0};
    ops[nops++] = (OsIoOp){buf, frame_size * n, wal_frame_offset(w, w->mx_frame + done + 1)};
    if (last && sync) ops[nops++] = (OsIoOp){NULL, 0, 0};
    rc = os_write_batch(w->file, ops, nops);
  }
  util_free(buf);
  if (rc != LODE_OK) {
    /* Nothing was published; a rewritten header must not leak its salts. */
    if (new_header) {
      w->salt[0] = saved_salt[0];
      w->salt[1] = saved_salt[1];
      w->ckpt_seq = saved_seq;
      w->header_known = saved_known;
    }
    return rc;
  }
  for (uint32_t i = 0; i < npages; i++) wal_record(w, pages[i].pgno, w->mx_frame + i + 1);
  w->mx_frame += npages;
  w->db_size = db_size;
  w->cksum[0] = s[0];
  w->cksum[1] = s[1];
  return LODE_OK;
}

/* ---- checkpoint ----------------------------------------------------------- */

typedef struct WalCkptEntry {
  uint32_t pgno;
  uint32_t frame;
} WalCkptEntry;

static int wal_entry_cmp(const void *a, const void *b) {
  uint32_t x = ((const WalCkptEntry *)a)->pgno, y = ((const WalCkptEntry *)b)->pgno;
  return x < y ? -1 : x > y;
}

/* The newest frame of every page that still exists, in page order. */
static int wal_collect(Wal *w, WalCkptEntry **out, uint32_t *n_out) {
  WalCkptEntry *e = util_malloc(sizeof *e * (w->index.count + 1));
  if (!e) return LODE_NOMEM;
  uint32_t n = 0;
  for (uint32_t i = 0; i < w->index.cap; i++) {
    const U32MapSlot *s = &w->index.slots[i];
    if (s->key != 0 && s->key <= w->db_size) e[n++] = (WalCkptEntry){s->key, (uint32_t)s->value};
  }
  qsort(e, n, sizeof *e, wal_entry_cmp);
  *out = e;
  *n_out = n;
  return LODE_OK;
}

static int wal_copy_pages(Wal *w, OsFile *db, const WalCkptEntry *e, uint32_t n) {
  uint8_t *buf = util_malloc((size_t)w->page_size * WAL_CKPT_CHUNK);
  OsIoOp *ops = util_malloc(sizeof *ops * WAL_CKPT_CHUNK);
  int rc = (buf && ops) ? LODE_OK : LODE_NOMEM;
  for (uint32_t done = 0; rc == LODE_OK && done < n; done += WAL_CKPT_CHUNK) {
    uint32_t k = n - done < WAL_CKPT_CHUNK ? n - done : WAL_CKPT_CHUNK;
    for (uint32_t i = 0; rc == LODE_OK && i < k; i++) {
      uint8_t *page = buf + (size_t)i * w->page_size;
      rc = wal_read_frame(w, e[done + i].frame, page);
      ops[i] = (OsIoOp){page, w->page_size, (int64_t)(e[done + i].pgno - 1) * w->page_size};
    }
    if (rc == LODE_OK) rc = os_write_batch(db, ops, (int)k);
  }
  util_free(buf);
  util_free(ops);
  return rc;
}

int wal_checkpoint(Wal *w, OsFile *db, int mode, int sync) {
  (void)mode; /* every mode copies everything and empties the WAL */
  if (w->readonly) return LODE_READONLY;
  if (w->mx_frame == 0) return w->file ? os_truncate(w->file, 0) : LODE_OK;
  /* Commits that skipped their sync (synchronous=NORMAL) must be durable
  ** before the database file starts to change. */
  int rc = sync ? os_sync(w->file) : LODE_OK;
  if (rc != LODE_OK) return rc;
  WalCkptEntry *e;
  uint32_t n;
  rc = wal_collect(w, &e, &n);
  if (rc != LODE_OK) return rc;
  rc = wal_copy_pages(w, db, e, n);
  util_free(e);
  if (rc == LODE_OK) rc = os_truncate(db, (int64_t)w->db_size * w->page_size);
  if (rc == LODE_OK && sync) rc = os_sync(db);
  /* Only now, with the database durable, may the frames go. */
  if (rc == LODE_OK) rc = os_truncate(w->file, 0);
  if (rc == LODE_OK) wal_reset_state(w);
  return rc;
}
