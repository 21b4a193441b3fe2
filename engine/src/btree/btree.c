/*
** btree.c — the Btree handle: open/close, transactions, the database
** header's meta fields, formatting page 1, and creating, dropping and
** clearing whole trees.
**
** Page 1 of a new database (all integers big-endian):
**   0  16  "SQLite format 3\0"
**   16  2  page size (65536 stored as 1)
**   18  1  write version 2   19 1  read version 2   (WAL; the pager owns these)
**   20  1  reserved bytes per page (0)
**   21  1  max embedded payload fraction 64, 22: min 32, 23: leaf 32
**   24  4  change counter (pager)       28  4  page count (pager)
**   32  4  first freelist trunk page    36  4  freelist page count
**   40  4  schema cookie                44  4  schema format 4
**   48  4  default cache size           52  4  largest root page (autovacuum; 0)
**   56  4  text encoding 1 = UTF-8      60  4  user version
**   64  4  incremental vacuum           68  4  application id
**   72 20  reserved (0)  92 4 version-valid-for, 96 4 library version (pager)
**   100    an empty table leaf page: sqlite_schema
**
** Invariants: meta offsets are 4-byte fields inside the 100-byte header; a
** tree being dropped or cleared has no positioned cursors afterwards.
*/
#include "btree/btree_int.h"

#define BT_MAGIC "SQLite format 3"
#define BT_MAGIC_SIZE 16
#define BT_FILE_FORMAT_WAL 2
#define BT_MAX_FRACTION 64
#define BT_MIN_FRACTION 32
#define BT_LEAF_FRACTION 32
#define BT_SCHEMA_FORMAT 4
#define BT_TEXT_UTF8 1
#define BT_PAGE_SIZE_64K 65536u

int bt_refresh_sizes(Btree *bt) {
  uint32_t ps = pager_page_size(bt->pager), usable = pager_usable_size(bt->pager);
  /* Every read transaction comes here: the sizes rarely change, and the
  ** payload limits take divisions. */
  if (ps != bt->page_size || usable != bt->usable || !bt->max_local_table) {
    bt->page_size = ps;
    bt->usable = usable;
    bt->max_local_index = bt_max_local(bt, 0);
    bt->max_local_table = bt_max_local(bt, 1);
  }
  if (usable < 480 || usable > ps) return LODE_CORRUPT; /* SQLite's minimum usable size */
  return LODE_OK;
}

uint8_t *bt_scratch(Btree *bt) {
  if (bt->scratch_size < bt->page_size) {
    uint8_t *s = util_realloc(bt->scratch, bt->page_size);
    if (!s) return NULL;
    bt->scratch = s;
    bt->scratch_size = bt->page_size;
  }
  return bt->scratch;
}

int btree_open(Pager *pager, Btree **out) {
  Btree *bt = util_zalloc(sizeof(*bt));
  *out = NULL;
  if (!bt) return LODE_NOMEM;
  bt->pager = pager;
  bt->autovac_request = -1;
  if (bt_refresh_sizes(bt) == LODE_NOMEM) {
    util_free(bt);
    return LODE_NOMEM;
  }
  *out = bt;
  return LODE_OK;
}

void btree_close(Btree *bt) {
  if (!bt) return;
  while (bt->cursors) btree_cursor_close(bt->cursors);
  while (bt->spare) {
    BtCursor *c = bt->spare;
    bt->spare = c->next;
    util_free(c->saved_key);
    util_free(c);
  }
  util_free(bt->scratch);
  util_free(bt->cell_buf);
  util_free(bt->prefix);
  util_free(bt->snap);
  util_free(bt->leaf_cells);
  util_free(bt->leaf_sizes);
  while (bt->nbal_keep > 0) util_free(bt->bal_keep[--bt->nbal_keep]);
  util_free(bt->av_dirty);
  if (bt->owns_pager) {
    pager_rollback(bt->pager); /* nothing of it is ever kept */
    pager_end_read(bt->pager);
    pager_close(bt->pager);
  }
  util_free(bt);
}

int btree_open_temp(Btree **out) {
  Pager *pager = NULL;
  Btree *bt = NULL;
  *out = NULL;
  int rc = pager_open(NULL, PAGER_OPEN_CREATE, &pager);
  if (rc != LODE_OK) return rc;
  rc = btree_open(pager, &bt);
  if (rc != LODE_OK) {
    pager_close(pager);
    return rc;
  }
  bt->owns_pager = 1;
  rc = btree_begin_write(bt);
  if (rc != LODE_OK) {
    btree_close(bt);
    return rc;
  }
  *out = bt;
  return LODE_OK;
}

Pager *btree_pager(Btree *bt) { return bt->pager; }

uint32_t btree_page_count(Btree *bt) { return pager_page_count(bt->pager); }
uint32_t btree_max_page_count(Btree *bt, uint32_t n) { return pager_max_page_count(bt->pager, n); }

int btree_begin_read(Btree *bt) {
  int rc = pager_begin_read(bt->pager);
  if (rc != LODE_OK) return rc;
  rc = bt_refresh_sizes(bt);
  if (rc != LODE_OK) pager_end_read(bt->pager);
  return rc;
}

void btree_end_read(Btree *bt) {
  bt_save_cursors(bt, 0, NULL);
  pager_end_read(bt->pager);
}

static int bt_format_page1(Btree *bt) {
  BtPage pg;
  uint8_t *h;
  int rc = pager_get(bt->pager, 1, &pg.db);
  if (rc != LODE_OK) return rc;
  rc = pager_write(pg.db);
  if (rc != LODE_OK) goto done;
  pg.data = pg.db->data;
  pg.pgno = 1;
  h = pg.data;
  memset(h, 0, BT_DB_HEADER_SIZE);
  memcpy(h + BT_HDR_MAGIC, BT_MAGIC, BT_MAGIC_SIZE);
  util_put2(h + BT_HDR_PAGE_SIZE, bt->page_size == BT_PAGE_SIZE_64K ? 1 : bt->page_size);
  h[BT_HDR_WRITE_VERSION] = BT_FILE_FORMAT_WAL;
  h[BT_HDR_READ_VERSION] = BT_FILE_FORMAT_WAL;
  h[BT_HDR_RESERVED] = (uint8_t)(bt->page_size - bt->usable);
  h[BT_HDR_MAX_FRACTION] = BT_MAX_FRACTION;
  h[BT_HDR_MIN_FRACTION] = BT_MIN_FRACTION;
  h[BT_HDR_LEAF_FRACTION] = BT_LEAF_FRACTION;
  util_put4(h + BT_HDR_PAGE_COUNT, 1);
  util_put4(h + BTREE_META_SCHEMA_FORMAT, BT_SCHEMA_FORMAT);
  util_put4(h + BTREE_META_TEXT_ENCODING, BT_TEXT_UTF8);
  /* An auto-vacuum database starts with no root but page 1's. */
  util_put4(h + BTREE_META_LARGEST_ROOT, bt->autovac_request > BTREE_AUTOVACUUM_NONE);
  util_put4(h + BTREE_META_INCR_VACUUM, bt->autovac_request == BTREE_AUTOVACUUM_INCR);
  bt_page_format(bt, &pg, BT_PAGE_TABLE_LEAF);
done:
  pager_unref(pg.db);
  return rc;
}

int btree_format_empty(Btree *bt) {
  bt_save_cursors(bt, 0, NULL);
  bt_ptrmap_reset(bt);
  return bt_format_page1(bt);
}

/* The auto-vacuum mode of the database from header fields 52 and 64. */
static int bt_read_autovac(Btree *bt, int *mode) {
  uint32_t largest_root = 0, incremental = 0;
  int rc = btree_get_meta(bt, BTREE_META_LARGEST_ROOT, &largest_root);
  if (rc == LODE_OK) rc = btree_get_meta(bt, BTREE_META_INCR_VACUUM, &incremental);
  *mode = largest_root == 0 ? BTREE_AUTOVACUUM_NONE : incremental ? BTREE_AUTOVACUUM_INCR : BTREE_AUTOVACUUM_FULL;
  return rc;
}

int btree_begin_write(Btree *bt) {
  int rc = pager_begin_write(bt->pager);
  if (rc != LODE_OK) return rc;
  bt_ptrmap_reset(bt);
  bt->autovac = 0;
  bt->fresh = 0;
  rc = bt_refresh_sizes(bt);
  if (rc == LODE_OK && pager_page_count(bt->pager) == 0) {
    rc = bt_format_page1(bt);
    bt->fresh = 1;
  }
  if (rc == LODE_OK) rc = bt_read_autovac(bt, &bt->autovac);
  if (rc != LODE_OK) {
    bt_save_cursors(bt, 0, NULL);
    pager_rollback(bt->pager);
  }
  return rc;
}

int btree_begin_concurrent(Btree *bt) {
  int rc = pager_begin_concurrent(bt->pager);
  if (rc != LODE_OK) return rc;
  bt_ptrmap_reset(bt);
  bt->autovac = 0;
  bt->fresh = 0;
  rc = pager_page_count(bt->pager) == 0 ? LODE_MISUSE : bt_refresh_sizes(bt);
  if (rc == LODE_OK) rc = bt_read_autovac(bt, &bt->autovac);
  if (rc != LODE_OK) {
    bt_save_cursors(bt, 0, NULL);
    pager_rollback(bt->pager);
  }
  return rc;
}

int btree_in_concurrent(Btree *bt) { return pager_in_concurrent(bt->pager); }
int btree_concurrent_lock(Btree *bt, int *stale) { return pager_concurrent_lock(bt->pager, stale); }

void btree_trace_next(Btree *bt) { pager_trace_next(bt->pager); }
void btree_trace_mark(Btree *bt) { pager_trace_mark(bt->pager); }
uint32_t btree_trace_epoch(Btree *bt) { return pager_trace_epoch(bt->pager); }

int btree_concurrent_rebase(Btree *bt, uint32_t *keep) {
  bt_save_cursors(bt, 0, NULL);
  /* The pointer-map notes of an auto-vacuum file are dropped here: its
  ** pages cannot be kept without them. */
  int may_keep = !bt->autovac;
  bt_ptrmap_reset(bt);
  int rc = pager_concurrent_rebase(bt->pager, may_keep, keep);
  if (rc == LODE_OK) rc = bt_refresh_sizes(bt);
  if (rc == LODE_OK) rc = bt_read_autovac(bt, &bt->autovac);
  return rc;
}

uint64_t btree_snapshot_tag(Btree *bt) { return pager_snapshot_tag(bt->pager); }

uint32_t btree_data_version(Btree *bt) {
  uint64_t tag = pager_snapshot_tag(bt->pager);
  if (bt->data_version == 0) bt->data_version = 1; /* the first call: nothing seen before */
  else if (tag != bt->dv_tag) bt->data_version++;
  bt->dv_tag = tag;
  return bt->data_version;
}
uint32_t btree_file_version(Btree *bt) {
  uint64_t tag = pager_snapshot_tag(bt->pager);
  if (bt->file_version == 0 || tag != bt->fv_tag) bt->file_version++;
  bt->fv_tag = tag;
  return bt->file_version;
}
const void *btree_file_id(Btree *bt) { return pager_file_id(bt->pager); }

void btree_set_log(Btree *bt, const BtreeLog *log, void *ctx) {
  bt->log = log;
  bt->log_ctx = ctx;
}

int btree_get_autovacuum(Btree *bt, int *mode) {
  if (pager_page_count(bt->pager) == 0) {
    *mode = bt->autovac_request > 0 ? bt->autovac_request : BTREE_AUTOVACUUM_NONE;
    return LODE_OK;
  }
  return bt_read_autovac(bt, mode);
}

int btree_next_autovacuum(Btree *bt, int *mode) {
  if (bt->autovac_request >= 0) {
    *mode = bt->autovac_request;
    return LODE_OK;
  }
  return btree_get_autovacuum(bt, mode);
}

int btree_set_autovacuum(Btree *bt, int mode) {
  int now, rc;
  if (mode < BTREE_AUTOVACUUM_NONE || mode > BTREE_AUTOVACUUM_INCR) return LODE_MISUSE;
  bt->autovac_request = mode;
  if (pager_page_count(bt->pager) == 0) return LODE_OK;
  rc = bt_read_autovac(bt, &now);
  if (rc != LODE_OK) return rc;
  if (now == mode) return LODE_OK;
  if (bt->fresh && pager_in_write(bt->pager) && pager_page_count(bt->pager) == 1) {
    /* Page 1 was just made by this transaction: it takes the mode. */
    rc = btree_set_meta(bt, BTREE_META_LARGEST_ROOT, mode != BTREE_AUTOVACUUM_NONE);
    if (rc == LODE_OK) rc = btree_set_meta(bt, BTREE_META_INCR_VACUUM, mode == BTREE_AUTOVACUUM_INCR);
    if (rc == LODE_OK) bt->autovac = mode;
    return rc;
  }
  /* Pointer maps come and go only with a rebuild (VACUUM). */
  if ((now == BTREE_AUTOVACUUM_NONE) != (mode == BTREE_AUTOVACUUM_NONE)) return LODE_READONLY;
  if (!pager_in_write(bt->pager)) return LODE_MISUSE;
  rc = btree_set_meta(bt, BTREE_META_INCR_VACUUM, mode == BTREE_AUTOVACUUM_INCR);
  if (rc == LODE_OK) bt->autovac = mode;
  return rc;
}

int btree_commit(Btree *bt) {
  int rc = LODE_OK;
  /* The header decides: pages copied in whole (backup, deserialize) bring
  ** their own mode and consistent pointer maps. */
  if (pager_in_write(bt->pager)) rc = bt_read_autovac(bt, &bt->autovac);
  if (rc == LODE_OK && pager_in_write(bt->pager)) rc = bt_autovac_commit(bt);
  if (rc != LODE_OK) return rc;
  bt_ptrmap_reset(bt);
  int wrote = pager_in_write(bt->pager);
  uint64_t before = pager_snapshot_tag(bt->pager);
  rc = pager_commit(bt->pager);
  /* This connection's own commit is no change for data_version, unless
  ** others' commits came in before it (the tag then differs already). */
  if (rc == LODE_OK && wrote && bt->data_version && before == bt->dv_tag) bt->dv_tag = pager_snapshot_tag(bt->pager);
  return rc;
}

void btree_set_group_commit(Btree *bt, int on) { pager_set_group_commit(bt->pager, on); }
int btree_sync_commit(Btree *bt) { return pager_sync_commit(bt->pager); }
int btree_checkpoint_due(Btree *bt) { return pager_checkpoint_due(bt->pager); }
void btree_autocheckpoint(Btree *bt) { pager_autocheckpoint(bt->pager); }

int btree_rollback(Btree *bt) {
  bt_save_cursors(bt, 0, NULL);
  bt_ptrmap_reset(bt);
  return pager_rollback(bt->pager);
}

int btree_savepoint_begin(Btree *bt, int depth) { return pager_savepoint_begin(bt->pager, depth); }
int btree_savepoint_release(Btree *bt, int depth) { return pager_savepoint_release(bt->pager, depth); }
int btree_savepoint_rollback(Btree *bt, int depth) {
  bt_save_cursors(bt, 0, NULL);
  bt_ptrmap_undone(bt);
  return pager_savepoint_rollback(bt->pager, depth);
}

static int bt_meta_offset_ok(int offset) {
  return offset >= BT_HDR_FREELIST_TRUNK && offset <= BTREE_META_LODE_MODE && offset % 4 == 0;
}

int btree_schema_cookie(Btree *bt, uint32_t *value) {
  if (bt->cookie_gen != pager_header_gen(bt->pager)) return btree_get_meta(bt, BTREE_META_SCHEMA_COOKIE, value);
  *value = bt->cookie;
  return LODE_OK;
}

int btree_get_meta(Btree *bt, int offset, uint32_t *value) {
  DbPage *p1;
  int rc;
  *value = 0;
  if (offset == BTREE_META_SCHEMA_COOKIE && bt->cookie_gen == pager_header_gen(bt->pager)) {
    *value = bt->cookie;
    return LODE_OK;
  }
  if (!bt_meta_offset_ok(offset)) return LODE_MISUSE;
  if (pager_page_count(bt->pager) == 0) return LODE_OK;
  rc = pager_get(bt->pager, 1, &p1);
  if (rc != LODE_OK) return rc;
  *value = util_get4(p1->data + offset);
  pager_unref(p1);
  if (offset == BTREE_META_SCHEMA_COOKIE) {
    bt->cookie = *value;
    bt->cookie_gen = pager_header_gen(bt->pager);
  }
  return LODE_OK;
}

int btree_set_meta(Btree *bt, int offset, uint32_t value) {
  DbPage *p1;
  int rc;
  if (!bt_meta_offset_ok(offset) || offset == BT_HDR_FREELIST_TRUNK || offset == BT_HDR_FREELIST_COUNT)
    return LODE_MISUSE;
  if (!pager_in_write(bt->pager)) return LODE_MISUSE;
  if ((rc = bt_log_other(bt, BTREE_LOG_META, (uint32_t)offset, value)) != LODE_OK) return rc;
  bt->fresh = 0; /* the new database has content now: its mode is fixed */
  rc = pager_get(bt->pager, 1, &p1);
  if (rc != LODE_OK) return rc;
  rc = pager_write(p1);
  if (rc == LODE_OK) util_put4(p1->data + offset, value);
  pager_unref(p1);
  return rc;
}

int btree_create(Btree *bt, int flags, uint32_t *root_out) {
  BtPage pg;
  int rc;
  *root_out = 0;
  if (!pager_in_write(bt->pager)) return LODE_MISUSE;
  if ((rc = bt_log_other(bt, BTREE_LOG_STRUCTURE, 0, 0)) != LODE_OK) return rc;
  bt->fresh = 0;
  if (bt->autovac) return bt_autovac_create(bt, (flags & BTREE_INTKEY) ? BT_PAGE_TABLE_LEAF : BT_PAGE_INDEX_LEAF, root_out);
  rc = bt_page_alloc(bt, &pg, (flags & BTREE_INTKEY) ? BT_PAGE_TABLE_LEAF : BT_PAGE_INDEX_LEAF);
  if (rc != LODE_OK) return rc;
  *root_out = pg.pgno;
  bt_page_release(&pg);
  return LODE_OK;
}

/* Frees every page below pgno (and pgno itself unless keep), counting the
** entries met in *nrows. */
static int bt_free_subtree(Btree *bt, uint32_t pgno, int depth, int keep, int64_t *nrows) {
  BtPage pg;
  int i, rc;
  if (depth > BT_MAX_DEPTH) return LODE_CORRUPT;
  rc = bt_page_get(bt, pgno, &pg);
  if (rc != LODE_OK) return rc;
  /* The cursors of this tree were saved: a page still held elsewhere is in
  ** another tree as well, which emptying this one would damage. */
  if (pager_page_refs(bt->pager, pgno) > 1) {
    bt_page_release(&pg);
    return LODE_CORRUPT;
  }
  for (i = 0; i < pg.ncell && rc == LODE_OK; i++) {
    BtCell cell;
    if (pg.leaf) {
      /* The usual leaf cell holds its payload wholly on the page: there is
      ** nothing to free but the page, once the cell is seen to fit on it
      ** (the bounds bt_cell_parse checks), without the rest of the parse. */
      uint32_t off = bt_cell_offset(&pg, i);
      const uint8_t *p = pg.data + off;
      uint16_t size;
      if (!bt_cell_ptr_ok(&pg, off)) {
        rc = LODE_CORRUPT;
        break;
      }
      if (p[0] < 0x80 && p[0] <= (pg.intkey ? bt->max_local_table : bt->max_local_index)) {
        rc = bt_cell_span_bytes(bt, pg.type, p, pg.usable - off, &size);
        (*nrows)++;
        continue;
      }
    }
    rc = bt_cell_parse(bt, &pg, i, &cell);
    if (rc != LODE_OK) break;
    if (pg.leaf || !pg.intkey) (*nrows)++;
    if (cell.ovfl) rc = bt_overflow_free(bt, cell.ovfl, cell.payload, cell.local);
    if (rc == LODE_OK && !pg.leaf) rc = bt_free_subtree(bt, cell.child, depth + 1, 0, nrows);
  }
  if (rc == LODE_OK && !pg.leaf) rc = bt_free_subtree(bt, bt_child(&pg, pg.ncell), depth + 1, 0, nrows);
  if (rc == LODE_OK && keep) {
    rc = bt_page_write(&pg);
    if (rc == LODE_OK) bt_page_format(bt, &pg, pg.intkey ? BT_PAGE_TABLE_LEAF : BT_PAGE_INDEX_LEAF);
  }
  bt_page_release(&pg);
  if (rc == LODE_OK && !keep) rc = bt_page_free(bt, pgno);
  return rc;
}

int btree_drop(Btree *bt, uint32_t root, uint32_t *moved) {
  int64_t n = 0;
  int rc;
  *moved = 0;
  if (!pager_in_write(bt->pager)) return LODE_MISUSE;
  if (root < 2) return LODE_MISUSE;
  if ((rc = bt_log_other(bt, BTREE_LOG_STRUCTURE, root, 0)) != LODE_OK) return rc;
  rc = bt_save_cursors(bt, root, NULL);
  if (rc != LODE_OK) return rc;
  if (!bt->autovac) return bt_free_subtree(bt, root, 0, 0, &n);
  rc = bt_free_subtree(bt, root, 0, 1, &n);
  if (rc == LODE_OK) rc = bt_autovac_drop(bt, root, moved);
  return rc;
}

int btree_clear(Btree *bt, uint32_t root, int64_t *nrows) {
  int64_t n = 0;
  int rc;
  if (nrows) *nrows = 0;
  if (!pager_in_write(bt->pager)) return LODE_MISUSE;
  if ((rc = bt_log_other(bt, BTREE_LOG_CLEAR, root, 0)) != LODE_OK) return rc;
  rc = bt_save_cursors(bt, root, NULL);
  if (rc != LODE_OK) return rc;
  rc = bt_free_subtree(bt, root, 0, 1, &n);
  if (nrows) *nrows = n;
  return rc;
}
