/*
** vdbe_idxm.c — the index-method ops (IdxmOpen, IdxmInsert, IdxmDelete,
** IdxmQuery, IdxmNext, IdxmRowid, IdxmColumn, IdxmCheck,
** IdxmCheckRow, IdxmOptimize): a method cursor is an idxmethod/
** IdxmCursor over the backing stores of one index, opened on the op's
** database; a method's failure becomes the statement's error with the
** method's message.
*/
#include <string.h>

#include "idxmethod/idxmethod.h"
#include "util/util.h"
#include "vdbe/vdbe_internal.h"

void vdbe_idxm_free(VdbeIdxm *x) {
  if (!x) return;
  idxm_binding_unref(x->binding);
  util_free(x->roots);
  util_free(x);
}

static int method_error(Vdbe *v, int rc, char *msg) {
  if (rc == LODE_OK) {
    util_free(msg);
    return rc;
  }
  if (msg) return conn_error_take(v->db, rc, msg);
  return conn_error(v->db, rc, NULL);
}

static VdbeCursor *method_cursor(Vdbe *v, int i) {
  VdbeCursor *c = i >= 0 && i < v->ncursor ? v->cursors[i] : NULL;
  return c && c->kind == VDBE_CURSOR_IDXM && c->idxm ? c : NULL;
}

static int idxm_open_op(Vdbe *v, const VdbeOp *op) {
  const VdbeIdxm *x = op->p4.idxm;
  uint32_t *roots = x->roots, *from_regs = NULL;
  char *msg = NULL;
  Btree *bt = op->db >= 0 && op->db < v->db->ndb ? v->db->dbs[op->db].bt : NULL;
  if (!bt) return LODE_SCHEMA;
  if (op->p3 > 0) {
    if (!(from_regs = util_malloc(sizeof(uint32_t) * (size_t)(x->nstores + 1)))) return LODE_NOMEM;
    for (int i = 0; i < x->nstores; i++) from_regs[i] = (uint32_t)mem_as_int(&v->mem[op->p3 + i]);
    roots = from_regs;
  }
  vdbe_cursor_free(v->cursors[op->p1]);
  v->cursors[op->p1] = NULL;
  VdbeCursor *c = util_zalloc(sizeof *c);
  if (!c) {
    util_free(from_regs);
    return LODE_NOMEM;
  }
  c->kind = VDBE_CURSOR_IDXM;
  c->gen = 1;
  c->eof = 1;
  c->db = op->db;
  c->writable = op->p2 != 0;
  record_header_init(&c->hdr);
  v->cursors[op->p1] = c;
  v->idxm_opened = 1;
  int rc = idxm_open(x->att, bt, roots, c->writable, &c->idxm, &msg);
  util_free(from_regs);
  return method_error(v, rc, msg);
}

int vdbe_idxm_flush_one(Vdbe *v, int i) {
  VdbeCursor *c = method_cursor(v, i);
  if (!c || !c->writable) return LODE_OK;
  char *msg = NULL;
  int rc = idxm_flush(c->idxm, &msg);
  if (rc != LODE_OK) return method_error(v, rc, msg);
  util_free(msg);
  return LODE_OK;
}

int vdbe_idxm_flush(Vdbe *v) {
  /* Most programs never open one: no walk over their cursors. */
  if (!v->idxm_opened) return LODE_OK;
  for (int i = 0; v->cursors && i < v->ncursor; i++) {
    int rc = vdbe_idxm_flush_one(v, i);
    if (rc != LODE_OK) return rc;
  }
  return LODE_OK;
}

int vdbe_idxm_op(Vdbe *v, const VdbeOp *op, int *jump) {
  char *msg = NULL;
  int rc = LODE_OK;
  int64_t width;
  *jump = 0;
  if (op->opcode == OP_IdxmOpen) return idxm_open_op(v, op);
  VdbeCursor *c = method_cursor(v, op->p1);
  if (!c) return LODE_INTERNAL;
  switch (op->opcode) {
  case OP_IdxmInsert:
  case OP_IdxmDelete: {
    if (!c->writable) return LODE_INTERNAL;
    int64_t rowid = mem_as_int(&v->mem[op->p3]);
    if (op->opcode == OP_IdxmInsert) rc = idxm_insert(c->idxm, &v->mem[op->p2], op->p4.i, rowid, &msg);
    else rc = idxm_delete(c->idxm, &v->mem[op->p2], op->p4.i, rowid, &msg);
    return method_error(v, rc, msg);
  }
  case OP_IdxmQuery:
    width = v->db->settings[CONN_SET_VECTOR_ANN_EF_SEARCH];
    rc = idxm_query(c->idxm, op->p5, op->p4.i ? &v->mem[op->p3] : NULL, op->p4.i,
                    width > 0 && width <= INT32_MAX ? (int)width : 0, &msg);
    if (rc != LODE_OK) return method_error(v, rc, msg);
    c->eof = idxm_eof(c->idxm);
    *jump = c->eof;
    return LODE_OK;
  case OP_IdxmNext:
    if (c->eof) return LODE_OK;
    if ((rc = idxm_next(c->idxm, &msg)) != LODE_OK) return method_error(v, rc, msg);
    c->eof = idxm_eof(c->idxm);
    *jump = !c->eof;
    return LODE_OK;
  case OP_IdxmRowid:
    vdbe_reg_clear(v, &v->mem[op->p2]);
    if (!c->eof) {
      v->mem[op->p2].type = MEM_INT;
      v->mem[op->p2].u.i = idxm_rowid(c->idxm);
    }
    return LODE_OK;
  case OP_IdxmColumn: {
    double d = 0;
    vdbe_reg_clear(v, &v->mem[op->p3]);
    if (c->eof) return LODE_OK;
    if ((rc = idxm_column(c->idxm, op->p2, &d, &msg)) != LODE_OK) return method_error(v, rc, msg);
    v->mem[op->p3].type = MEM_REAL;
    v->mem[op->p3].u.r = d;
    return LODE_OK;
  }
  case OP_IdxmCheck:
  case OP_IdxmCheckRow: {
    /* A problem is a row of integrity_check's result, not a failure of it. */
    Mem *out = &v->mem[op->p3];
    if (op->opcode == OP_IdxmCheck) rc = idxm_integrity(c->idxm, mem_as_int(&v->mem[op->p2]), &msg);
    else rc = idxm_integrity_row(c->idxm, &v->mem[op->p2], op->p4.i, mem_as_int(&v->mem[op->p2 + op->p4.i]), &msg);
    vdbe_reg_clear(v, out);
    if (rc == LODE_NOMEM) return method_error(v, rc, msg);
    if (rc == LODE_OK) {
      util_free(msg);
      return LODE_OK;
    }
    if (!msg) msg = util_mprintf("index method check failed (%d)", rc);
    if (!msg) return LODE_NOMEM;
    mem_take_text(out, msg, (int)strlen(msg));
    return LODE_OK;
  }
  case OP_IdxmOptimize: {
    int64_t did[4] = {0, 0, 0, 0};
    if (!c->writable) return LODE_INTERNAL;
    if ((rc = idxm_optimize(c->idxm, did, &msg)) != LODE_OK) return method_error(v, rc, msg);
    for (int i = 0; i < 4; i++) {
      vdbe_reg_clear(v, &v->mem[op->p2 + i]);
      v->mem[op->p2 + i].type = MEM_INT;
      v->mem[op->p2 + i].u.i = did[i];
    }
    return LODE_OK;
  }
  default: return LODE_INTERNAL;
  }
}
