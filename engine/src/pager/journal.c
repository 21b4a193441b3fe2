/*
** journal.c — rolls back a hot legacy rollback journal ("<db>-journal")
** left by sqlite3 when it stopped in the middle of a transaction, so the
** database file is consistent before the pager reads it.  Lode never writes
** rollback journals; it only undoes them.
**
** Journal layout (SQLite's, big-endian integers), in segments:
**   segment header, padded to the sector size:
**     0 magic d9 d5 05 f9 20 a1 63 d7   8 record count (0xffffffff or 0:
**       as many as fit)   12 checksum nonce   16 database size in pages
**       before the transaction   20 sector size   24 page size
**   records: 4-byte page number, the page's original content, 4-byte
**     checksum = nonce + the bytes at offsets page_size-200, -400, ... > 0
** A journal is hot when it is non-empty and starts with the magic (a zeroed
** header means the transaction committed).  Records are applied until the
** first one that is cut short or fails its checksum; then the database is
** truncated to its original size, synced, and the journal removed.
*/
#include <string.h>

#include "pager/pager_int.h"
#include "util/util.h"

#define JOURNAL_HEADER_FIELDS 28
#define JOURNAL_MIN_SECTOR 32
#define JOURNAL_MAX_SECTOR 65536
#define JOURNAL_MIN_PAGE 512
#define JOURNAL_MAX_PAGE 65536
#define JOURNAL_CKSUM_STRIDE 200
#define JOURNAL_NREC_TO_EOF 0xffffffffu

static const uint8_t JOURNAL_MAGIC[8] = {0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7};

typedef struct JournalSeg {
  uint32_t nrec, nonce, orig_pages, sector, page_size;
} JournalSeg;

static int pow2_in(uint32_t v, uint32_t lo, uint32_t hi) { return v >= lo && v <= hi && (v & (v - 1)) == 0; }

/* Reads the segment header at off; 0 when there is none (end of journal). */
static int journal_read_header(OsFile *j, int64_t off, JournalSeg *seg) {
  uint8_t h[JOURNAL_HEADER_FIELDS];
  if (os_read(j, h, sizeof h, off) != LODE_OK) return 0;
  if (memcmp(h, JOURNAL_MAGIC, sizeof JOURNAL_MAGIC) != 0) return 0;
  seg->nrec = util_get4(h + 8);
  seg->nonce = util_get4(h + 12);
  seg->orig_pages = util_get4(h + 16);
  seg->sector = util_get4(h + 20);
  seg->page_size = util_get4(h + 24);
  return pow2_in(seg->sector, JOURNAL_MIN_SECTOR, JOURNAL_MAX_SECTOR) &&
         pow2_in(seg->page_size, JOURNAL_MIN_PAGE, JOURNAL_MAX_PAGE);
}

static uint32_t journal_cksum(const JournalSeg *seg, const uint8_t *page) {
  uint32_t sum = seg->nonce;
  for (int64_t i = (int64_t)seg->page_size - JOURNAL_CKSUM_STRIDE; i > 0; i -= JOURNAL_CKSUM_STRIDE) sum += page[i];
  return sum;
}

/* Applies one segment's records; *end = the offset after the last record
** read, *intact = 0 once a record was torn or failed its checksum. */
static int journal_apply_segment(OsFile *j, OsFile *db, int64_t jsize, int64_t off, const JournalSeg *seg,
                                 uint32_t db_page_size, int64_t *end, int *intact) {
  size_t rec_size = (size_t)seg->page_size + 8;
  int64_t avail = (jsize - off) / (int64_t)rec_size;
  int64_t nrec = (seg->nrec == JOURNAL_NREC_TO_EOF || seg->nrec == 0) ? avail : seg->nrec;
  if (nrec > avail) nrec = avail;
  uint8_t *rec = util_malloc(rec_size);
  if (!rec) return LODE_NOMEM;
  int rc = LODE_OK;
  *intact = 1;
  for (int64_t i = 0; i < nrec && rc == LODE_OK; i++, off += (int64_t)rec_size) {
    rc = os_read(j, rec, rec_size, off);
    if (rc != LODE_OK) break;
    uint32_t pgno = util_get4(rec);
    uint8_t *page = rec + 4;
    if (pgno == 0 || util_get4(page + seg->page_size) != journal_cksum(seg, page)) {
      *intact = 0;
      break;
    }
    if (pgno <= seg->orig_pages && seg->page_size == db_page_size)
      rc = os_write(db, page, seg->page_size, (int64_t)(pgno - 1) * seg->page_size);
  }
  if (rc == LODE_IOERR_SHORT_READ) {
    rc = LODE_OK;
    *intact = 0;
  }
  *end = off;
  util_free(rec);
  return rc;
}

static int64_t journal_align(int64_t off, uint32_t sector) {
  return (off + sector - 1) / sector * sector;
}

static int journal_playback(OsFile *j, OsFile *db, int64_t jsize, uint32_t *orig_pages, uint32_t *page_size) {
  int64_t off = 0;
  int first = 1, rc = LODE_OK;
  JournalSeg seg;
  while (off < jsize && journal_read_header(j, off, &seg)) {
    if (first) {
      *orig_pages = seg.orig_pages;
      *page_size = seg.page_size;
      first = 0;
    }
    int intact;
    rc = journal_apply_segment(j, db, jsize, off + seg.sector, &seg, *page_size, &off, &intact);
    if (rc != LODE_OK || !intact) break;
    off = journal_align(off, seg.sector);
  }
  return rc;
}

int journal_rollback_hot(OsVfs *vfs, const char *db_path, OsFile *db, int readonly) {
  char *path = util_mprintf("%s-journal", db_path);
  if (!path) return LODE_NOMEM;
  int exists = 0;
  OsFile *j = NULL;
  int rc = vfs->exists(vfs, path, &exists);
  if (rc == LODE_OK && exists) rc = vfs->open(vfs, path, OS_OPEN_READONLY, &j);
  int64_t jsize = 0;
  if (rc == LODE_OK && j) rc = os_size(j, &jsize);
  JournalSeg probe;
  int hot = rc == LODE_OK && j && jsize > 0 && journal_read_header(j, 0, &probe);
  if (hot && readonly) rc = LODE_READONLY; /* cannot repair: refuse rather than read a torn state */
  if (hot && rc == LODE_OK) {
    uint32_t orig_pages = 0, page_size = 0;
    rc = journal_playback(j, db, jsize, &orig_pages, &page_size);
    if (rc == LODE_OK) rc = os_truncate(db, (int64_t)orig_pages * page_size);
    if (rc == LODE_OK) rc = os_sync(db);
  }
  os_close(j);
  /* Only a journal fully applied (or not hot: committed, zeroed) goes. */
  if (rc == LODE_OK && exists && !readonly) rc = vfs->remove(vfs, path);
  util_free(path);
  return rc;
}
