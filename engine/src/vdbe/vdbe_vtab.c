/*
** vdbe_vtab.c — the VM's side of virtual tables: cursors of a module
** (vtab/vtab.h) opened, filtered, stepped and read through its callbacks.
**
** A VTAB cursor's eof flag is the VM's own: set when the module's scan has
** no row left, and by OP_NullRow (a LEFT JOIN's row of NULLs), so VColumn
** and VRowid give NULL there without asking the module.  An error of the
** module becomes the statement's error with the module's message.
*/
#include <string.h>

#include "util/util.h"
#include "vdbe/vdbe_internal.h"
#include "vtab/vtab.h"

void vdbe_vtab_close(VdbeCursor *c) {
  c->vtab->module->close(c->vtab);
  c->vtab = NULL;
}

static int vtab_failed(Vdbe *v, VtabCursor *vc, int rc) {
  if (rc == LODE_NOMEM) return rc;
  if (vc->errmsg) {
    conn_error_take(v->db, rc, vc->errmsg);
    vc->errmsg = NULL;
  } else {
    conn_error(v->db, rc, NULL);
  }
  return rc;
}

static VdbeCursor *vtab_cursor(Vdbe *v, int i) {
  VdbeCursor *c = i >= 0 && i < v->ncursor ? v->cursors[i] : NULL;
  return c && c->kind == VDBE_CURSOR_VTAB ? c : NULL;
}

/* Puts the module's value into register r (its old value released). */
static int set_reg(Vdbe *v, int r, Mem *val) {
  vdbe_reg_clear(v, &v->mem[r]);
  mem_move(&v->mem[r], val);
  return LODE_OK;
}

int vdbe_vtab_op(Vdbe *v, const VdbeOp *op, int *jump) {
  VdbeCursor *c;
  int rc;
  *jump = 0;
  if (op->opcode == OP_VOpen) {
    const VtabModule *m = vtab_find_module(op->p4.z);
    if (!m) return LODE_INTERNAL;
    vdbe_cursor_free(v->cursors[op->p1]);
    v->cursors[op->p1] = NULL;
    if (!(c = util_zalloc(sizeof *c))) return LODE_NOMEM;
    c->kind = VDBE_CURSOR_VTAB;
    c->gen = 1;
    c->eof = 1;
    record_header_init(&c->hdr);
    v->cursors[op->p1] = c;
    if ((rc = m->open(m, &c->vtab)) != LODE_OK) return rc;
    VtabSchemas *env = &v->vtab_schemas;
    env->n = 0;
    for (int k = 0; k < v->db->ndb && k < VTAB_MAX_SCHEMAS; k++) {
      int d = k == 0 ? CONN_DB_TEMP : k == 1 ? CONN_DB_MAIN : k; /* temp first */
      env->schemas[env->n] = v->db->dbs[d].schema;
      env->names[env->n++] = v->db->dbs[d].name;
    }
    c->vtab->env = env;
    return LODE_OK;
  }
  if (!(c = vtab_cursor(v, op->p1))) return LODE_INTERNAL;
  VtabCursor *vc = c->vtab;
  const VtabModule *m = vc->module;
  switch (op->opcode) {
    case OP_VFilter: {
      Mem *args[VTAB_MAX_COLUMNS];
      int n = op->p5 < VTAB_MAX_COLUMNS ? op->p5 : VTAB_MAX_COLUMNS;
      for (int i = 0; i < n; i++) args[i] = &v->mem[op->p3 + i];
      if ((rc = m->filter(vc, op->p4.i, n, args)) != LODE_OK) return vtab_failed(v, vc, rc);
      c->gen++;
      c->eof = m->eof(vc);
      *jump = c->eof;
      return LODE_OK;
    }
    case OP_VNext:
      if (c->eof) return LODE_OK; /* a row of NULLs has no next row */
      if ((rc = m->next(vc)) != LODE_OK) return vtab_failed(v, vc, rc);
      c->gen++;
      c->eof = m->eof(vc);
      *jump = !c->eof;
      return LODE_OK;
    case OP_VColumn: {
      Mem val;
      mem_init(&val);
      if (!c->eof && (rc = m->column(vc, op->p2, &val)) != LODE_OK) {
        mem_release(&val);
        return vtab_failed(v, vc, rc);
      }
      return set_reg(v, op->p3, &val);
    }
    case OP_VRowid: {
      Mem val;
      int64_t rowid = 0;
      mem_init(&val);
      if (!c->eof) {
        if ((rc = m->rowid(vc, &rowid)) != LODE_OK) return vtab_failed(v, vc, rc);
        mem_set_int(&val, rowid);
      }
      return set_reg(v, op->p2, &val);
    }
  }
  return LODE_INTERNAL;
}
