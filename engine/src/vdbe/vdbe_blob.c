/*
** vdbe_blob.c — incremental blob I/O on a running statement's table cursor
** (sqlite3_blob_*, capi/blob.c).
**
** A blob handle holds a statement that stepped to its row and stays there:
** its transaction (and snapshot) and its cursor stay open for the life of
** the handle, as SQLite's handles hold theirs.  Moving the handle to another
** row, reading bytes and writing them go straight to that cursor's b-tree,
** without running the program again (a writable handle's program opens
** its table for writing, in a write transaction); a write by any statement
** of the connection (counted in lode.table_writes) or a cursor the b-tree
** says may have moved makes the next read or write find its row again
** first.  A write overwrites the bytes in place, as SQLite's does: no
** trigger, constraint, change count or update hook sees it.
*/
#include "vdbe/vdbe_internal.h"

/* The statement's table cursor, or NULL when the run no longer holds one
** (it ended, or a rollback that undid schema changes tripped it). */
static VdbeCursor *held_cursor(Vdbe *v, int cursor) {
  if (!v->counted || cursor < 0 || cursor >= v->ncursor) return NULL;
  VdbeCursor *c = v->cursors[cursor];
  if (!c || c->kind != VDBE_CURSOR_BTREE || c->keyinfo || !c->bt) return NULL;
  if (vdbe_txn_tripped(v) != LODE_OK) return NULL;
  return c;
}

/* Field `field` of the record under bt: its class (LODE_INTEGER ..
** LODE_NULL; NULL too for a field the record does not hold: a column added
** after the row was written) and the offset and size of its bytes. */
static int locate(BtCursor *bt, int field, VdbeBlobField *f) {
  uint32_t avail = 0, size = 0;
  const uint8_t *p = btree_payload_view(bt, &avail, &size);
  uint8_t *copy = NULL;
  uint64_t hsize = 0, type = 0;
  int k;
  if (!p || avail > size) return LODE_CORRUPT;
  if ((k = util_varint_get_bounded(p, p + avail, &hsize)) <= 0 || hsize > size || hsize < (uint64_t)k)
    return LODE_CORRUPT;
  if (hsize > avail) { /* a header longer than the page holds: read it whole */
    if (!(copy = util_malloc((size_t)hsize))) return LODE_NOMEM;
    int rc = btree_payload(bt, 0, (uint32_t)hsize, copy);
    if (rc != LODE_OK) {
      util_free(copy);
      return rc;
    }
    p = copy;
  }
  const uint8_t *q = p + k, *end = p + hsize;
  uint64_t off = hsize;
  int i = 0, rc = LODE_OK;
  f->type = LODE_NULL, f->offset = (uint32_t)hsize, f->n = 0;
  for (; q < end; i++) {
    if ((k = util_varint_get_bounded(q, end, &type)) <= 0 || type == 10 || type == 11) {
      rc = LODE_CORRUPT;
      break;
    }
    q += k;
    uint32_t len = record_serial_len(type);
    if (i == field) {
      if (off + len > size) {
        rc = LODE_CORRUPT;
        break;
      }
      f->type = type == 0 ? LODE_NULL : type == 7 ? LODE_FLOAT : type < 12 ? LODE_INTEGER : type & 1 ? LODE_TEXT : LODE_BLOB;
      f->offset = (uint32_t)off;
      f->n = len;
      break;
    }
    off += len;
  }
  util_free(copy);
  return rc;
}

int vdbe_blob_seek(Vdbe *v, int cursor, int64_t rowid, int field, VdbeBlobField *f, int *found) {
  VdbeCursor *c = held_cursor(v, cursor);
  int cmp = 0, rc;
  *found = 0;
  if (!c) return LODE_ABORT;
  c->gen++; /* what the program parsed of its row is stale now */
  rc = btree_seek_rowid(c->bt, rowid, &cmp);
  c->eof = rc != LODE_OK || btree_eof(c->bt) || cmp != 0;
  if (rc != LODE_OK || c->eof) return rc;
  if ((rc = locate(c->bt, field, f)) != LODE_OK) return rc;
  f->twgen = v->db->table_writes;
  *found = 1;
  return LODE_OK;
}

/* The held cursor, on row rowid again after a write since f was found: the
** row may have moved within its tree, never changed its size. */
static int refind(Vdbe *v, int cursor, int64_t rowid, int field, VdbeBlobField *f, VdbeCursor **out) {
  VdbeCursor *c = held_cursor(v, cursor);
  if (!c) return LODE_ABORT;
  if (f->twgen != v->db->table_writes || c->eof || btree_cursor_moved(c->bt) || btree_rowid(c->bt) != rowid) {
    VdbeBlobField now;
    int found = 0, rc = vdbe_blob_seek(v, cursor, rowid, field, &now, &found);
    if (rc != LODE_OK) return rc;
    if (!found || now.type != f->type || now.n != f->n) return LODE_ABORT;
    *f = now;
  }
  *out = c;
  return LODE_OK;
}

int vdbe_blob_read(Vdbe *v, int cursor, int64_t rowid, int field, VdbeBlobField *f, uint32_t off, uint32_t n,
                   void *out) {
  VdbeCursor *c;
  int rc = refind(v, cursor, rowid, field, f, &c);
  if (rc != LODE_OK) return rc;
  if ((uint64_t)off + n > f->n) return LODE_ERROR;
  return n ? btree_payload(c->bt, f->offset + off, n, out) : LODE_OK;
}

int vdbe_blob_writable(Vdbe *v, int cursor) {
  int dbi = -1;
  if (v->counted) return LODE_MISUSE;
  for (int i = 0; i < v->nop; i++) {
    VdbeOp *op = &v->ops[i];
    if (op->opcode == OP_OpenRead && op->p1 == cursor && op->p5 == 0) {
      op->opcode = OP_OpenWrite;
      dbi = op->db;
    }
  }
  if (dbi < 0) return LODE_ERROR;
  for (int i = 0; i < v->nop; i++)
    if (v->ops[i].opcode == OP_Transaction && v->ops[i].db == dbi) v->ops[i].p2 = 2;
  v->readonly = 0;
  return LODE_OK;
}

int vdbe_blob_write(Vdbe *v, int cursor, int64_t rowid, int field, VdbeBlobField *f, uint32_t off, uint32_t n,
                    const void *in) {
  VdbeCursor *c;
  int rc = refind(v, cursor, rowid, field, f, &c);
  if (rc != LODE_OK) return rc;
  if (!c->writable) return LODE_READONLY;
  if ((uint64_t)off + n > f->n) return LODE_ERROR;
  if (v->db->preupdate_on) {
    /* Told as an UPDATE of the row (capi/preupdate.c reports it as
    ** SQLite does); the callback may change the database, so the row is
    ** found again after it. */
    uint32_t size = btree_payload_size(c->bt);
    uint8_t *old = util_malloc(size ? size : 1);
    if (!old) return LODE_NOMEM;
    rc = btree_payload(c->bt, 0, size, old);
    if (rc == LODE_OK) {
      ConnPreupdate pu = {.op = CONN_HOOK_UPDATE, .dbi = c->db, .root = c->root, .old_rowid = rowid,
                          .new_rowid = rowid, .old_rec = old, .old_n = size, .new_rec = old, .new_n = size};
      conn_hook_preupdate(v->db, &pu);
    }
    util_free(old);
    if (rc == LODE_OK) rc = refind(v, cursor, rowid, field, f, &c);
    if (rc != LODE_OK) return rc;
  }
  c->gen++; /* what the program parsed of its row is stale now */
  return btree_put_payload(c->bt, f->offset + off, n, in);
}

int vdbe_blob_index_seek_le(Vdbe *v, const Mem *key, int nkey, void *rec, uint32_t cap, uint32_t *size, int *found) {
  VdbeCursor *c = NULL;
  int eof = 1, landed = -1, rc;
  *found = 0;
  *size = 0;
  if (!v->counted || vdbe_txn_tripped(v) != LODE_OK) return LODE_ABORT;
  for (int i = 0; i < v->ncursor; i++) {
    VdbeCursor *x = v->cursors[i];
    if (!x || x->kind != VDBE_CURSOR_BTREE || !x->keyinfo || !x->bt) continue;
    if (c) return LODE_ABORT;
    c = x;
  }
  if (!c) return LODE_ABORT;
  if ((rc = vdbe_index_seek(c, OP_SeekLE, key, nkey, &eof, &landed)) != LODE_OK || eof) return rc;
  uint32_t n = btree_payload_size(c->bt);
  if ((rc = btree_payload(c->bt, 0, n < cap ? n : cap, rec)) != LODE_OK) return rc;
  *size = n;
  *found = 1;
  return LODE_OK;
}
