/*
** codegen.c — entry point of code generation and the program frame.
**
** Every program has SQLite's frame:
**     0: Init → epilogue
**     1: …body…
**        Halt
**     epilogue: Transaction (read or write, checking the schema cookie)
**               Goto 1
** so the transaction starts before the body runs, and EXPLAIN listings look
** like SQLite's.
*/
#include <limits.h>
#include <string.h>

#include "codegen/cg.h"

/* A trigger's body is part of its program: its statements get no frame of
** their own (trigger.c ends the program). */
void cg_begin_program(Parse *p) {
  if (p->trigger) return;
  p->epilogue_label = vdbe_make_label(p->v);
  cg_op(p, OP_Init, 0, p->epilogue_label, 0);
}

void cg_end_program(Parse *p) {
  int addr;
  if (p->trigger) return;
  cg_cdc_commit(p, 0);
  cg_op(p, OP_Halt, 0, 0, 0);
  cg_fk_code_actions(p);
  vdbe_resolve_label(p->v, p->epilogue_label);
  addr = cg_op(p, OP_Transaction, 0, p->writes ? (p->single_write ? 2 : 1) : 0, (int)p->db->schema->cookie);
  if (addr >= 0) vdbe_set_p5(p->v, addr, 1);
  cg_fk_prologue(p);
  cg_op(p, OP_Goto, 0, 1, 0);
}

int cg_require_writable(Parse *p) {
  if (p->db->readonly) return cg_error(p, LODE_READONLY, "attempt to write a readonly database");
  return LODE_OK;
}

Table *cg_find_writable_table(Parse *p, const char *name) {
  if (schema_find_view(p->db->schema, name)) {
    cg_error(p, LODE_ERROR, "cannot modify %s because it is a view", name);
    return NULL;
  }
  Table *t = cg_find_table(p, name);
  if (!t) return NULL;
  if (t->readonly) { /* SQLite names its schema table by the legacy name */
    cg_error(p, LODE_ERROR, "table %s may not be modified", t->root == BTREE_SCHEMA_ROOT ? "sqlite_master" : t->name);
    return NULL;
  }
  return cg_require_writable(p) == LODE_OK ? t : NULL;
}

static void compile(Parse *p, const Stmt *st) {
  p->nselect = cg_count_selects(st);
  CteFrame frame, *saved = p->with;
  if (st->with && !cg_with_push(p, st->with, &frame)) return;
  switch (st->kind) {
  case STMT_SELECT: cg_select_stmt(p, st); break;
  case STMT_INSERT: cg_insert(p, st); break;
  case STMT_UPDATE: cg_update(p, st); break;
  case STMT_DELETE: cg_delete(p, st); break;
  case STMT_CREATE_TABLE: cg_create_table(p, st); break;
  case STMT_DROP_TABLE: cg_drop_table(p, st); break;
  case STMT_ALTER_TABLE: cg_alter_table(p, st); break;
  case STMT_VACUUM: cg_vacuum(p, st); break;
  case STMT_CREATE_INDEX:
  case STMT_DROP_INDEX:
  case STMT_REINDEX: cg_index_ddl(p, st); break;
  case STMT_BEGIN:
  case STMT_COMMIT:
  case STMT_ROLLBACK:
  case STMT_SAVEPOINT:
  case STMT_RELEASE:
  case STMT_ROLLBACK_TO: cg_transaction(p, st); break;
  case STMT_PRAGMA: cg_pragma(p, st); break;
  case STMT_ANALYZE: cg_analyze(p, st); break;
  case STMT_CREATE_VIEW: cg_create_view(p, st); break;
  case STMT_DROP_VIEW: cg_drop_view(p, st); break;
  case STMT_CREATE_TRIGGER: cg_create_trigger(p, st); break;
  case STMT_DROP_TRIGGER: cg_drop_trigger(p, st); break;
  }
  p->with = saved;
}

int codegen_compile(lode *db, const Stmt *st, Vdbe *v, char **errmsg) {
  Parse p;
  memset(&p, 0, sizeof p);
  p.db = db;
  p.v = v;
  p.root = &p;
  p.cdc_sql = st->sql;
  arena_init(&p.arena);
  *errmsg = NULL;
  if (st->kind == STMT_SELECT) p.writes = 0;
  p.explain_plan = st->explain == 2;
  p.min_ref_level = INT_MAX;
  compile(&p, st);
  if (p.rc == LODE_OK && vdbe_oom(v)) cg_error(&p, LODE_NOMEM, "out of memory");
  if (p.rc == LODE_OK && st->nparams > 32766) cg_error(&p, LODE_ERROR, "too many SQL variables");
  if (p.rc == LODE_OK) {
    vdbe_set_counts(v, p.nmem + 1, p.ncursor);
    if (vdbe_set_params(v, st->nparams, st->param_names) != LODE_OK) cg_error(&p, LODE_NOMEM, "out of memory");
    vdbe_set_sql(v, st->sql, -1);
    /* Transaction control statements count as read-only, as in SQLite: they
    ** change no data themselves, only when other statements' changes land. */
    vdbe_set_flags(v, !p.writes, st->explain);
  }
  arena_free(&p.arena);
  if (p.rc != LODE_OK) {
    *errmsg = p.errmsg;
    return p.rc;
  }
  util_free(p.errmsg);
  return LODE_OK;
}
