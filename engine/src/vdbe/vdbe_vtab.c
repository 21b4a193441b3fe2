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

#define VTAB_MAX_ARGS 2002 /* an update's rowids and columns (SQLITE_MAX_COLUMN + 2) */

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

/* The module a program names: a built-in (kind 0) or an application's. */
static const VtabModule *find_module(Vdbe *v, const VdbeOp *op) {
  int kind = op->opcode == OP_VOpen ? op->p3 : op->p1;
  if (kind == 0) return vtab_find_module(op->p4.z);
  return v->db->api ? conn_vtab_find(v->db, op->p4.z, kind) : NULL;
}

/* The application's table is gone (its module dropped since the program was
** compiled): the statement fails as SQLite's would at its prepare. */
static int no_module(Vdbe *v, const char *name) {
  return conn_error(v->db, LODE_ERROR, "no such module: %s", name);
}

/* A module's nested statement goes through the front door, which compiles it. */
static int run_rows(void *db, const char *sql, VtabRows *out, char **errmsg) {
  lode *conn = db;
  return conn->up->run_rows(conn, sql, out, errmsg);
}

static int vtab_update(Vdbe *v, const VdbeOp *op) {
  const VtabModule *m = find_module(v, op);
  Mem *args[VTAB_MAX_ARGS];
  char *err = NULL;
  int64_t rowid = 0;
  if (!m || !m->update) return no_module(v, op->p4.z);
  if (op->p2 > VTAB_MAX_ARGS) return conn_error(v->db, LODE_ERROR, "too many columns on %s", op->p4.z);
  for (int i = 0; i < op->p2; i++) args[i] = &v->mem[op->p3 + i];
  int rc = m->update(m, op->p2, args, &rowid, op->p5 & 0xff, &err);
  if (rc == LODE_DONE) return LODE_OK; /* a constraint the statement's OR IGNORE skips */
  /* A module that supports constraints fails as the statement's OR ROLLBACK / FAIL / ABORT says (the
  ** replacing of OR REPLACE is the module's own: failing, it aborts). */
  if ((rc & 0xff) == LODE_CONSTRAINT && m->constraint_support)
    v->error_action = (op->p5 & 0xff) == ONCONFLICT_REPLACE ? ONCONFLICT_ABORT : op->p5 & 0xff;
  if (rc != LODE_OK) return err ? conn_error_take(v->db, rc, err) : conn_error(v->db, rc, NULL);
  v->nchange++;
  if (op->p5 & VUPDATE_INSERT) v->db->last_rowid = rowid;
  return LODE_OK;
}

int vdbe_vtab_op(Vdbe *v, const VdbeOp *op, int *jump) {
  VdbeCursor *c;
  int rc;
  *jump = 0;
  switch (op->opcode) {
    case OP_VUpdate: return vtab_update(v, op);
    case OP_VBegin: {
      const VtabModule *m = find_module(v, op);
      if (!m) return no_module(v, op->p4.z);
      /* Savepoint indexes as SQLite counts them: the savepoint that began
      ** the transaction is none, and a statement that may change several
      ** rows in a transaction (p2, or a trigger's change under one that
      ** runs triggers) has a level of its own, which a table joining during
      ** the statement starts at. */
      lode *db = v->db;
      Vdbe *run = v;
      while (run->parent) run = run->parent; /* a trigger's frame: the statement's run */
      int level = db->nsavepoint - db->txn_savepoint;
      if (op->p2 && !db->autocommit && run->stmt_sp && !run->vtab_sp) {
        run->vtab_sp = level + 1;
        if ((rc = conn_vtab_savepoint(db, VTAB_TXN_SAVEPOINT, level)) != LODE_OK) return rc;
      }
      if (!db->autocommit && run->vtab_sp) level = run->vtab_sp;
      return conn_vtab_begin(db, m, level);
    }
    case OP_VCreate: return conn_vtab_create(v->db, op->db, op->p4.z);
    case OP_VDestroy: {
      /* The module may drop its own tables (an R-Tree's shadow tables):
      ** this statement does not count as one that may be reading them. */
      if (!v->db->api) return LODE_OK;
      v->db->nvdestroy++;
      rc = conn_vtab_destroy(v->db, op->db, op->p4.z);
      v->db->nvdestroy--;
      return rc;
    }
    case OP_VRename: {
      int oom = 0;
      const char *name = mem_as_text(&v->mem[op->p3], &oom);
      if (oom) return LODE_NOMEM;
      return v->db->api ? conn_vtab_rename(v->db, op->db, op->p4.z, name ? name : "") : LODE_OK;
    }
  }
  if (op->opcode == OP_VOpen) {
    const VtabModule *m = find_module(v, op);
    if (!m) return op->p3 ? no_module(v, op->p4.z) : LODE_INTERNAL;
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
    env->run = run_rows;
    env->db = v->db;
    c->vtab->env = env;
    return LODE_OK;
  }
  if (!(c = vtab_cursor(v, op->p1))) return LODE_INTERNAL;
  VtabCursor *vc = c->vtab;
  const VtabModule *m = vc->module;
  switch (op->opcode) {
    case OP_VFilter: {
      Mem *args[VTAB_MAX_ARGS];
      int n = op->p5 < VTAB_MAX_ARGS ? op->p5 : VTAB_MAX_ARGS;
      for (int i = 0; i < n; i++) args[i] = &v->mem[op->p3 + i];
      int oom = 0;
      Mem *idx_str = &v->mem[op->p3 + op->p5];
      vc->idx_str = idx_str->type == MEM_TEXT ? mem_as_text(idx_str, &oom) : NULL;
      if (oom) return LODE_NOMEM;
      rc = m->filter(vc, op->p4.i, n, args);
      vc->idx_str = NULL;
      if (rc != LODE_OK) return vtab_failed(v, vc, rc);
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
      /* the module sees the column is not needed (sqlite3_vtab_nochange); a value it gives replaces the mark */
      if (!c->eof && (op->p5 & OPFLAG_NOCHANGE)) val.subtype = MEM_SUBTYPE_NOCHANGE;
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
