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
  p->hoist_ok = 1;
  p->epilogue_label = vdbe_make_label(p->v);
  cg_op(p, OP_Init, 0, p->epilogue_label, 0);
}

void cg_verify_schema(Parse *p, const char *zdb) {
  for (int i = 0; i < p->db->ndb && i < 32; i++) {
    const ConnDb *d = &p->db->dbs[i];
    if (d->bt && (!zdb || util_stricmp(zdb, d->name) == 0)) p->verify_dbs |= 1u << i;
  }
}

/* Whether an opcode can make a run fail with an error that leaves the
** transaction open: a constraint or RAISE halt, a function (user code), a
** trigger or foreign key program, a virtual table or index method, a
** conversion error.  The errors every opcode can raise (I/O, out of memory,
** interrupt, corruption) are not counted: after a failed write they roll
** the whole transaction back (vdbe_txn_end), statement savepoint or not.
** An opcode missing from this list counts as able to fail. */
static int op_may_abort(const VdbeOp *op) {
  switch (op->opcode) {
  case OP_Init: case OP_Goto: case OP_Transaction: case OP_Noop: case OP_Explain:
  case OP_Integer: case OP_Int64: case OP_Real: case OP_String8: case OP_Blob: case OP_Null:
  case OP_Variable: case OP_Copy: case OP_SCopy: case OP_Move:
  case OP_OpenRead: case OP_OpenWrite: case OP_OpenPseudo: case OP_OpenEphemeral: case OP_OpenAutoindex: case OP_Close: case OP_NullRow:
  case OP_SorterOpen: case OP_SorterInsert: case OP_SorterSort: case OP_SorterData: case OP_SorterNext:
  case OP_Rewind: case OP_Last: case OP_Next: case OP_Prev:
  case OP_Column: case OP_Rowid: case OP_SeekRowid: case OP_NotExists: case OP_NewRowid:
  case OP_MakeRecord: case OP_Insert: case OP_Delete: case OP_Affinity:
  case OP_Add: case OP_Subtract: case OP_Multiply: case OP_Divide: case OP_Remainder:
  case OP_BitAnd: case OP_BitOr: case OP_ShiftLeft: case OP_ShiftRight: case OP_BitNot: case OP_Negative:
  case OP_Not: case OP_And: case OP_Or:
  case OP_Eq: case OP_Ne: case OP_Lt: case OP_Le: case OP_Gt: case OP_Ge:
  case OP_If: case OP_IfNot: case OP_IsNull: case OP_NotNull: case OP_IsTrue:
  case OP_IfPos: case OP_DecrJumpZero: case OP_Once:
  case OP_SeekLT: case OP_SeekLE: case OP_SeekGE: case OP_SeekGT:
  case OP_IdxLT: case OP_IdxLE: case OP_IdxGE: case OP_IdxGT:
  case OP_IdxInsert: case OP_IdxDelete: case OP_IdxRowid: case OP_DeferredSeek:
  case OP_Found: case OP_NotFound: case OP_NoConflict:
  case OP_Gosub: case OP_Return: case OP_InitCoroutine: case OP_Yield: case OP_EndCoroutine:
    return 0;
  case OP_Halt: return op->p1 != LODE_OK;
  default: return 1;
  }
}

/* Whether an opcode changes a database, among those op_may_abort does not count as failing (any other
** opcode counts as failing). */
static int op_writes(const VdbeOp *op) {
  return op->opcode == OP_Insert || op->opcode == OP_Delete || op->opcode == OP_IdxInsert ||
         op->opcode == OP_IdxDelete;
}

/* Where op may send the run other than to the next op: its p2 (*to, -1 for a label placed later, which is
** after every op so far) when it returns 1; 2 for a place p2 does not tell. */
static int op_jumps(Parse *p, const VdbeOp *op, int *to) {
  switch (op->opcode) {
  case OP_Eq: case OP_Ne: case OP_Lt: case OP_Le: case OP_Gt: case OP_Ge:
    if (op->p5 & CMP_STOREP2) return 0; /* p2 is the register the outcome goes to */
    *to = vdbe_jump_address(p->v, op->p2);
    return 1;
  case OP_Return: case OP_Yield: case OP_EndCoroutine: return 2;
  case OP_Goto: case OP_Rewind: case OP_Last: case OP_Next: case OP_Prev: case OP_SorterSort: case OP_SorterNext:
  case OP_SeekRowid: case OP_NotExists:
  case OP_If: case OP_IfNot: case OP_IsNull: case OP_NotNull: case OP_IfPos: case OP_DecrJumpZero: case OP_Once:
  case OP_SeekLT: case OP_SeekLE: case OP_SeekGE: case OP_SeekGT: case OP_IdxLT: case OP_IdxLE: case OP_IdxGE:
  case OP_IdxGT: case OP_Found: case OP_NotFound: case OP_NoConflict: case OP_Gosub: case OP_InitCoroutine:
  case OP_MustBeInt:
    *to = vdbe_jump_address(p->v, op->p2);
    return 1;
  default: return 0;
  }
}

/* A check that can fail the statement and does nothing else: a MustBeInt
** without a jump ("datatype mismatch"), a NOT NULL or constraint halt. */
static int op_pure_check(const VdbeOp *op) {
  return (op->opcode == OP_MustBeInt && op->p2 == 0) || op->opcode == OP_HaltIfNull ||
         (op->opcode == OP_Halt && op->p1 != LODE_OK);
}

/* SQLite's statement journal rule (usesStmtJournal = isMultiWrite &&
** mayAbort): a program that cannot fail half-way except by an error that
** rolls the transaction back changes all or nothing by itself, whatever
** number of rows it writes, and needs no statement savepoint.  A pure check
** that fails before any write leaves nothing to undo (the NOT NULL and
** rowid checks of a one-row INSERT or REPLACE): it counts only when it may
** run after a write, that is when it follows the first one or an op after
** it jumps back to it. */
static int program_may_abort(Parse *p) {
  int n = vdbe_current_addr(p->v), first_write = n, last_check = -1;
  for (int a = 0; a < n; a++) {
    const VdbeOp *op = vdbe_op_at(p->v, a);
    if (!op) return 1;
    if (op_pure_check(op)) last_check = a;
    else if (op_may_abort(op)) return 1;
    else if (op_writes(op) && first_write == n) first_write = a;
  }
  if (last_check < 0) return 0;
  if (last_check > first_write) return 1;
  for (int a = last_check + 1; a < n; a++) {
    int to = -1, kind = op_jumps(p, vdbe_op_at(p->v, a), &to);
    if (kind == 2 || (kind == 1 && to >= 0 && to <= last_check)) return 1;
  }
  return 0;
}

void cg_end_program(Parse *p) {
  int addr;
  if (p->trigger) return;
  cg_cdc_commit(p, 0);
  cg_op(p, OP_Halt, 0, 0, 0);
  cg_fk_code_actions(p);
  if (p->writes && !p->single_write && !program_may_abort(p)) p->single_write = 1;
  vdbe_resolve_label(p->v, p->epilogue_label);
  /* One Transaction per database the program uses, in database order (main
  ** alone when it uses none); a writing program writes main when it names
  ** no other. */
  uint32_t write = 0, used = vdbe_db_mask(p->v, &write);
  if (p->writes && !write) write = 1u;
  used |= write | p->verify_dbs;
  if (!used) used = 1u;
  for (int i = 0; i < p->db->ndb; i++) {
    if (!(used & (1u << i))) continue;
    int w = p->writes && (write & (1u << i)) ? (p->single_write ? 2 : 1) : 0;
    Schema *s = p->db->dbs[i].schema;
    addr = cg_op(p, OP_Transaction, i, w, s ? (int)s->cookie : 0); /* p1: the database, as in SQLite's listing */
    if (addr >= 0) vdbe_set_p5(p->v, addr, 1);
    vdbe_set_op_db(p->v, addr, i);
  }
  cg_fk_prologue(p);
  p->hoist_ok = 0;
  for (int i = 0; i < p->nhoisted; i++) cg_expr(p, p->hoisted[i].e, p->hoisted[i].reg);
  cg_op(p, OP_Goto, 0, 1, 0);
}

/* A write to a read-only main database compiles, as in SQLite, and fails
** when it runs: its write transaction is refused with SQLITE_READONLY. */
int cg_require_writable(Parse *p) {
  int d = vdbe_current_db(p->v);
  if (d > 0 && d < p->db->ndb) {
    if (p->db->dbs[d].readonly) return cg_error(p, LODE_READONLY, "attempt to write a readonly database");
  } else if (p->db->readonly) {
    p->writes = 1;
  }
  return LODE_OK;
}

int cg_readonly_shadow(Parse *p, const Table *t) {
  /* The module's own statements (run while another statement runs) keep writing them. */
  if (!p->db->defensive || p->db->nactive > 0 || !p->db->up) return 0;
  return cg_is_shadow(p, t);
}

int cg_is_shadow(Parse *p, const Table *t) {
  if (t->vtab_module) return 0;
  const char *us = strrchr(t->name, '_');
  Schema *s = cg_db_schema(p, t->db);
  if (!us || !s) return 0;
  char owner[256];
  size_t n = (size_t)(us - t->name);
  if (n >= sizeof owner) return 0;
  memcpy(owner, t->name, n);
  owner[n] = 0;
  const Table *vt = schema_find_table(s, owner);
  return vt && vt->vtab_module && conn_vtab_shadow(p->db, vt->vtab_module, us + 1);
}

Table *cg_find_writable_table(Parse *p, const char *zdb, const char *name) {
  Table *t = cg_lookup_table(p, zdb, name);
  if (!t && cg_lookup_view(p, zdb, name, NULL)) {
    cg_error(p, LODE_ERROR, "cannot modify %s because it is a view", name);
    return NULL;
  }
  if (!t && !zdb && cg_find_module(p, name)) { /* an eponymous virtual table */
    cg_error(p, LODE_ERROR, "table %s may not be modified", name);
    return NULL;
  }
  if (p->rc != LODE_OK) return NULL;
  if (!t && !cg_find_table_in(p, zdb, name)) return NULL;
  /* PRAGMA writable_schema lets sqlite_schema be written (a dump's virtual-table rows). */
  int schema_writable = t->root == BTREE_SCHEMA_ROOT && p->db->settings[CONN_SET_WRITABLE_SCHEMA] && !p->db->defensive;
  if (schema_writable) cg_db_schema(p, t->db)->edited = 1;
  if ((t->readonly && !schema_writable) || cg_readonly_shadow(p, t)) { /* SQLite names its schema table by the legacy name */
    cg_error(p, LODE_ERROR, "table %s may not be modified", t->root == BTREE_SCHEMA_ROOT ? cg_schema_table_name(t) : t->name);
    return NULL;
  }
  if (t->db != CONN_DB_MAIN && t->db < p->db->ndb && p->db->dbs[t->db].readonly) {
    cg_error(p, LODE_READONLY, "attempt to write a readonly database");
    return NULL;
  }
  return t->db != CONN_DB_MAIN || cg_require_writable(p) == LODE_OK ? t : NULL;
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
  case STMT_CREATE_VTAB: cg_create_vtab(p, st); break;
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
  case STMT_OPTIMIZE_INDEX: cg_idxm_optimize(p, st); break;
  case STMT_CREATE_VIEW: cg_create_view(p, st); break;
  case STMT_DROP_VIEW: cg_drop_view(p, st); break;
  case STMT_CREATE_TRIGGER: cg_create_trigger(p, st); break;
  case STMT_DROP_TRIGGER: cg_drop_trigger(p, st); break;
  case STMT_ATTACH:
  case STMT_DETACH: cg_attach(p, st); break;
  }
  p->with = saved;
}

int codegen_compile(lode *db, const Stmt *st, unsigned flags, Vdbe *v, char **errmsg, int *err_offset) {
  Parse p;
  memset(&p, 0, sizeof p);
  p.db = db;
  p.no_vtab = (flags & CODEGEN_NO_VTAB) != 0;
  p.v = v;
  p.root = &p;
  p.cdc_sql = st->sql;
  arena_init(&p.arena);
  *errmsg = NULL;
  *err_offset = -1;
  if (st->kind == STMT_SELECT) p.writes = 0;
  p.explain_plan = st->explain == 2;
  vdbe_skip_comments(v, st->explain != 1);
  p.min_ref_level = INT_MAX;
  /* The authorizer hears from here of what statements that read or write
  ** rows do; of the other statements' actions (DDL, transactions, PRAGMA)
  ** from capi, which asks before compiling. */
  p.auth = (flags & CODEGEN_AUTH) &&
           (st->kind == STMT_SELECT || st->kind == STMT_INSERT || st->kind == STMT_UPDATE ||
            st->kind == STMT_DELETE || st->kind == STMT_REINDEX || st->kind == STMT_ANALYZE ||
            (st->kind == STMT_CREATE_TABLE && st->as_select));
  compile(&p, st);
  if (p.auth) cg_auth_flush(&p, 1);
  if (p.rc == LODE_OK && p.auth_noop) {
    /* The statement's own action was answered SQLITE_IGNORE: it does nothing. */
    vdbe_truncate(v, 0);
    cg_op(&p, OP_Halt, 0, 0, 0);
  }
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
    *err_offset = p.err_at - 1;
    return p.rc;
  }
  util_free(p.errmsg);
  return LODE_OK;
}
