/*
** pager_frames.c — the WAL's frames as replication moves them: a committed
** frame read as it is in the file, and frames copied from another
** database's WAL applied here as local commits.
**
** Frame numbers are positions in this database's current WAL, 1 ..
** pager_wal_frame_count.  Once a checkpoint has copied every frame into the
** database file, the next commit starts the WAL over at frame 1: numbers
** restart, and a number read before names another frame after.  Whoever
** reads frames to ship them therefore turns the automatic checkpoints off
** (pager_set_checkpoint_disabled), checkpoints only after shipping, and
** tells WAL generations apart by the salts of each frame header (salt-1
** grows with every generation).
**
** Applying: frames are given one by one, in order, between
** pager_wal_insert_begin and _end.  They are kept in memory until a commit
** frame (header bytes 4..7, the database size, non-zero) and then written
** as one local commit under the WAL write lock: all of them or, after an
** error or a crash, none.  The first frame of a commit must be numbered one
** past the local WAL's last frame (it continues the local log), each next
** one past the one before.  A frame numbered at or below the local count is
** compared with that local frame instead (header bytes 0..7 and the page):
** the same, it was applied already and is skipped; else it conflicts.
** Pages are copied as stored: the replica of an encrypted database has the
** same cipher and key, which page 1, when a commit carries it, must decode
** with.  Salts and checksums are the local WAL's own.
*/
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pager/pager.h"
#include "pager/pager_int.h"
#include "util/util.h"

#define FRAMES_MIN_PAGE_SIZE 512
#define FRAMES_MAX_PAGE_SIZE 65536

/* The frames of the commit being given (pager_wal_insert_frame). */
struct PagerFrames {
  int active;          /* between insert_begin and insert_end */
  uint32_t page_size;  /* of the buffered frames */
  uint32_t first;      /* number of frames[0] */
  uint32_t n, cap;     /* frames held, room for */
  uint8_t *frames;     /* n frames of WAL_FRAME_HEADER_SIZE + page_size bytes */
};

static int frames_page_size_valid(uint32_t ps) {
  return ps >= FRAMES_MIN_PAGE_SIZE && ps <= FRAMES_MAX_PAGE_SIZE && (ps & (ps - 1)) == 0;
}

static int frames_why(char *why, size_t size, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static int frames_why(char *why, size_t size, int rc, const char *fmt, ...) {
  if (why && size) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
  }
  return rc;
}

void pager_frames_free(Pager *p) {
  if (!p->frames) return;
  util_free(p->frames->frames);
  util_free(p->frames);
  p->frames = NULL;
}

void pager_set_checkpoint_disabled(Pager *p, int on) { p->no_checkpoint = on != 0; }
int pager_checkpoint_disabled(Pager *p) { return p->no_checkpoint; }

/* Runs fn(p, arg) inside a read transaction: the current one, or a fresh
** one taken for the call. */
static int frames_in_read(Pager *p, int (*fn)(Pager *p, void *arg), void *arg) {
  int own = p->txn == PAGER_TXN_NONE;
  int rc = own ? pager_begin_read(p) : LODE_OK;
  if (rc != LODE_OK) return rc;
  shared_lock(p->sh);
  rc = fn(p, arg);
  shared_unlock(p->sh);
  if (own) pager_end_read(p);
  return rc;
}

static int frames_count_fn(Pager *p, void *arg) {
  *(uint32_t *)arg = wal_snap_frames(&p->snap);
  return LODE_OK;
}

int pager_wal_frame_count(Pager *p, uint32_t *n) {
  *n = 0;
  if (p->memory) return LODE_OK;
  return frames_in_read(p, frames_count_fn, n);
}

typedef struct FrameRead {
  uint32_t n;
  uint8_t *buf;
  uint32_t size;
  char *why;
  size_t why_size;
} FrameRead;

static int frames_get_fn(Pager *p, void *arg) {
  FrameRead *r = arg;
  uint32_t mx = wal_snap_frames(&p->snap), ps = wal_snap_page_size(&p->snap);
  if (r->n == 0 || r->n > mx)
    return frames_why(r->why, r->why_size, LODE_ERROR, "frame %u is not in the WAL (it holds %u)", r->n, mx);
  if (r->size < WAL_FRAME_HEADER_SIZE + ps)
    return frames_why(r->why, r->why_size, LODE_ERROR, "a frame needs %u bytes, the buffer has %u",
                      WAL_FRAME_HEADER_SIZE + ps, r->size);
  int rc = wal_read_raw_frame(p->sh->wal, &p->snap, r->n, r->buf);
  if (rc == LODE_NOTFOUND)
    return frames_why(r->why, r->why_size, LODE_ERROR, "frame %u was checkpointed and the WAL started over", r->n);
  return rc;
}

int pager_wal_get_frame(Pager *p, uint32_t n, uint8_t *buf, uint32_t size, char *why, size_t why_size) {
  if (p->memory) return frames_why(why, why_size, LODE_ERROR, "an in-memory database has no WAL");
  FrameRead r = {n, buf, size, why, why_size};
  return frames_in_read(p, frames_get_fn, &r);
}

int pager_wal_insert_begin(Pager *p) {
  if (p->readonly) return LODE_READONLY;
  if (!p->frames) {
    p->frames = util_zalloc(sizeof *p->frames);
    if (!p->frames) return LODE_NOMEM;
  }
  p->frames->active = 1;
  p->frames->n = 0;
  return LODE_OK;
}

int pager_wal_insert_end(Pager *p) {
  pager_content_changed(p);
  if (!p->frames) return LODE_OK;
  /* Frames of a commit that never came are dropped: nothing of it was written. */
  p->frames->active = 0;
  p->frames->n = 0;
  if (p->frames->cap > 64) pager_frames_free(p);
  return LODE_OK;
}

static int frames_push(PagerFrames *f, uint32_t n, const uint8_t *buf, uint32_t ps) {
  size_t fsize = WAL_FRAME_HEADER_SIZE + (size_t)ps;
  if (f->n == 0) {
    f->first = n;
    f->page_size = ps;
  }
  if (f->n == f->cap) {
    uint32_t cap = f->cap ? f->cap * 2 : 16;
    if (cap < f->cap || (uint64_t)cap * fsize > (uint64_t)SIZE_MAX / 2) return LODE_NOMEM;
    uint8_t *v = util_realloc(f->frames, (size_t)cap * fsize);
    if (!v) return LODE_NOMEM;
    f->frames = v;
    f->cap = cap;
  }
  memcpy(f->frames + (size_t)f->n * fsize, buf, fsize);
  f->n++;
  return LODE_OK;
}

typedef struct FrameCompare {
  uint32_t n;
  const uint8_t *buf;
  uint32_t ps;
  int same;
} FrameCompare;

static int frames_compare_fn(Pager *p, void *arg) {
  FrameCompare *c = arg;
  if (wal_snap_page_size(&p->snap) != c->ps) return LODE_OK; /* not the same */
  uint8_t *local = util_malloc(WAL_FRAME_HEADER_SIZE + (size_t)c->ps);
  if (!local) return LODE_NOMEM;
  int rc = wal_read_raw_frame(p->sh->wal, &p->snap, c->n, local);
  if (rc == LODE_OK)
    c->same = memcmp(local, c->buf, 8) == 0 &&
              memcmp(local + WAL_FRAME_HEADER_SIZE, c->buf + WAL_FRAME_HEADER_SIZE, c->ps) == 0;
  util_free(local);
  return rc;
}

/* Page 1 of the commit in f, decoded into a new buffer (*out NULL when the
** commit does not carry it); LODE_NOTADB when it is not a database header
** under this database's key. */
static int frames_page1(Pager *p, const PagerFrames *f, uint8_t **out) {
  *out = NULL;
  size_t fsize = WAL_FRAME_HEADER_SIZE + (size_t)f->page_size;
  const uint8_t *src = NULL;
  for (uint32_t i = 0; i < f->n; i++) {
    const uint8_t *fr = f->frames + (size_t)i * fsize;
    if (util_get4(fr) == 1) src = fr + WAL_FRAME_HEADER_SIZE; /* the last one counts */
  }
  if (!src) return LODE_OK;
  uint8_t *page = util_malloc(f->page_size);
  if (!page) return LODE_NOMEM;
  memcpy(page, src, f->page_size);
  int rc = page_decode(p->sh->codec, 1, page, f->page_size);
  if (rc == LODE_OK && !pager_page1_valid(page, f->page_size)) rc = LODE_NOTADB;
  if (rc != LODE_OK) {
    util_free(page);
    return rc == LODE_NOMEM ? rc : LODE_NOTADB;
  }
  *out = page;
  return LODE_OK;
}

/* Writes the frames held as one commit.  The pager is outside any transaction. */
static int frames_apply(Pager *p, char *why, size_t why_size) {
  PagerFrames *f = p->frames;
  PagerShared *sh = p->sh;
  if (p->txn != PAGER_TXN_NONE) return frames_why(why, why_size, LODE_BUSY, "frames are applied outside transactions");
  size_t fsize = WAL_FRAME_HEADER_SIZE + (size_t)f->page_size;
  uint32_t commit_size = util_get4(f->frames + (size_t)(f->n - 1) * fsize + 4);
  if (f->page_size != pager_page_size(p) && pager_set_page_size(p, f->page_size) != LODE_OK)
    return frames_why(why, why_size, LODE_ERROR, "the frames' pages have %u bytes, the database's %u", f->page_size,
                      pager_page_size(p));
  uint8_t *page1 = NULL;
  int rc = frames_page1(p, f, &page1);
  if (rc == LODE_NOTADB)
    return frames_why(why, why_size, rc, "page 1 of the frames is not a database header under this database's key");
  WalPage *pages = rc == LODE_OK ? util_malloc(sizeof *pages * f->n) : NULL;
  if (rc == LODE_OK && !pages) rc = LODE_NOMEM;
  if (rc == LODE_OK) rc = pager_begin_write(p);
  if (rc != LODE_OK) {
    util_free(page1);
    util_free(pages);
    return rc;
  }
  for (uint32_t i = 0; i < f->n; i++) {
    const uint8_t *fr = f->frames + (size_t)i * fsize;
    pages[i] = (WalPage){util_get4(fr), fr + WAL_FRAME_HEADER_SIZE};
  }
  shared_lock(sh);
  uint32_t mx = wal_snap_frames(&p->snap);
  if (mx + 1 != f->first) {
    rc = frames_why(why, why_size, LODE_ERROR, "frame %u no longer continues the local WAL, which now ends at frame %u",
                    f->first, mx);
  } else if (p->snap_npages == 0 && !page1) {
    rc = frames_why(why, why_size, LODE_ERROR, "the first commit of an empty database must carry page 1");
  } else if (p->snap_npages == 0) {
    rc = pager_seed_empty_file(sh, page1);
  }
  if (rc == LODE_OK) rc = wal_append_raw(sh->wal, &p->snap, pages, f->n, commit_size, p->synchronous >= PAGER_SYNC_FULL);
  if (rc == LODE_OK) {
    if (page1) pager_adopt_page1(sh, page1);
    sh->db_npages = p->snap_npages = p->npages = commit_size;
    sh->change_seq++;
    p->seen_seq = sh->change_seq;
  }
  shared_unlock(sh);
  util_free(page1);
  util_free(pages);
  if (rc != LODE_OK) {
    pager_rollback(p);
    pager_end_read(p);
    return rc;
  }
  rc = pager_commit(p); /* nothing dirty: ends the write transaction */
  /* The cache still holds the pages as they were before the frames. */
  shared_lock(sh);
  int rc2 = pcache_reload_all(p);
  shared_unlock(sh);
  pager_end_read(p);
  if (rc == LODE_OK) rc = rc2;
  if (rc == LODE_OK && !p->no_checkpoint && p->autocheckpoint > 0 &&
      (int64_t)wal_snap_frames(&p->snap) >= p->autocheckpoint) {
    int timeout = p->busy_timeout;
    p->busy_timeout = 0;
    (void)pager_checkpoint(p, PAGER_CKPT_PASSIVE, NULL, NULL); /* retried after a later commit */
    p->busy_timeout = timeout;
  }
  return rc;
}

int pager_wal_insert_frame(Pager *p, uint32_t n, const uint8_t *buf, uint32_t size, int *conflict, char *why,
                           size_t why_size) {
  if (conflict) *conflict = 0;
  pager_content_changed(p);
  PagerFrames *f = p->frames;
  if (p->memory) return frames_why(why, why_size, LODE_ERROR, "an in-memory database has no WAL");
  if (p->readonly) return LODE_READONLY;
  if (!f || !f->active) return frames_why(why, why_size, LODE_MISUSE, "frames are inserted after lode_wal_insert_begin");
  uint32_t ps = size - WAL_FRAME_HEADER_SIZE;
  if (size < WAL_FRAME_HEADER_SIZE || !frames_page_size_valid(ps))
    return frames_why(why, why_size, LODE_ERROR, "%u bytes are not a frame (a 24-byte header and a page)", size);
  if (util_get4(buf) == 0) return frames_why(why, why_size, LODE_ERROR, "frame %u names no page", n);
  if (f->n > 0) {
    if (ps != f->page_size)
      return frames_why(why, why_size, LODE_ERROR, "frame %u has %u-byte pages, the frames before it %u", n, ps,
                        f->page_size);
    if (n != f->first + f->n)
      return frames_why(why, why_size, LODE_ERROR, "frame %u does not follow frame %u", n, f->first + f->n - 1);
  } else {
    if (p->txn != PAGER_TXN_NONE)
      return frames_why(why, why_size, LODE_BUSY, "frames are applied outside transactions");
    uint32_t mx = 0;
    int rc = pager_wal_frame_count(p, &mx);
    if (rc != LODE_OK) return rc;
    if (n >= 1 && n <= mx) {
      FrameCompare c = {n, buf, ps, 0};
      rc = frames_in_read(p, frames_compare_fn, &c);
      if (rc != LODE_OK) return rc;
      if (c.same) return LODE_OK; /* applied before */
      if (conflict) *conflict = 1;
      return frames_why(why, why_size, LODE_ERROR, "frame %u conflicts with local frame %u", n, n);
    }
    if (n != mx + 1)
      return frames_why(why, why_size, LODE_ERROR, "frame %u does not continue the local WAL, which ends at frame %u",
                        n, mx);
  }
  int rc = frames_push(f, n, buf, ps);
  if (rc != LODE_OK || util_get4(buf + 4) == 0) return rc;
  rc = frames_apply(p, why, why_size);
  f->n = 0; /* applied or refused: the next frame starts a commit */
  return rc;
}
