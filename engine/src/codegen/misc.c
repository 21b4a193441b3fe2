/*
** misc.c — transaction control statements and PRAGMAs.
**
** BEGIN/COMMIT/ROLLBACK compile to OP_AutoCommit with no OP_Transaction in
** front: a deferred BEGIN starts no transaction by itself, as in SQLite.
**
** PRAGMAs supported so far: journal_mode (always "wal": Lode writes through a
** WAL), page_size, schema_version, user_version (read and set),
** table_info(t).  Unknown pragmas are ignored without error, like SQLite.
*/
#include <string.h>

#include "codegen/cg.h"

void cg_transaction(Parse *p, const Stmt *st) {
  cg_op(p, OP_Init, 0, 1, 0);
  switch (st->kind) {
  case STMT_BEGIN: cg_op(p, OP_AutoCommit, 0, 0, st->txn_mode); break;
  case STMT_COMMIT: cg_op(p, OP_AutoCommit, 1, 0, 0); break;
  default: cg_op(p, OP_AutoCommit, 1, 1, 0); break;
  }
  cg_op(p, OP_Halt, 0, 0, 0);
}

static void result_names(Parse *p, int n, const char *const *names) {
  int i;
  if (vdbe_set_num_cols(p->v, n) != LODE_OK) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (i = 0; i < n; i++)
    if (vdbe_set_col_name(p->v, i, names[i], NULL) != LODE_OK) cg_error(p, LODE_NOMEM, "out of memory");
}

static void emit_text(Parse *p, const char *z, int target) {
  if (!z) {
    cg_op(p, OP_Null, 0, target, 0);
    return;
  }
  if (vdbe_add_op4(p->v, OP_String8, (int)strlen(z), target, 0, P4_STRING, z, (int)strlen(z)) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
}

static void pragma_table_info(Parse *p, const char *name) {
  static const char *const names[] = {"cid", "name", "type", "notnull", "dflt_value", "pk"};
  Table *t = name ? schema_find_table(p->db->schema, name) : NULL;
  int i, regs, pk = 0;
  result_names(p, 6, names);
  cg_begin_program(p);
  regs = cg_regs(p, 6);
  for (i = 0; t && i < t->ncols; i++) {
    const Column *c = &t->cols[i];
    cg_op(p, OP_Integer, i, regs, 0);
    emit_text(p, c->name, regs + 1);
    emit_text(p, c->decltype_ ? c->decltype_ : "", regs + 2);
    cg_op(p, OP_Integer, c->not_null, regs + 3, 0);
    emit_text(p, c->default_sql, regs + 4);
    cg_op(p, OP_Integer, c->primary_key ? ++pk : 0, regs + 5, 0);
    cg_op(p, OP_ResultRow, regs, 6, 0);
  }
  cg_end_program(p);
}

static const char *pragma_arg_text(const Expr *e) {
  if (!e) return NULL;
  if (e->kind == EXPR_STRING || e->kind == EXPR_COLUMN) return e->text;
  return NULL;
}

static int pragma_arg_int(Parse *p, const Expr *e, int *out) {
  if (e->kind == EXPR_INTEGER) *out = (int)e->ival;
  else if (e->kind == EXPR_UNARY && e->op == TK_MINUS && e->left->kind == EXPR_INTEGER) *out = -(int)e->left->ival;
  else return cg_error(p, LODE_ERROR, "pragma value must be an integer");
  return LODE_OK;
}

static void pragma_cookie(Parse *p, const Stmt *st, int offset, const char *name) {
  int r;
  if (st->pragma_value) {
    int v = 0;
    if (pragma_arg_int(p, st->pragma_value, &v) != LODE_OK) return;
    if (offset == BTREE_META_SCHEMA_COOKIE) {
      cg_error(p, LODE_ERROR, "setting schema_version is not supported");
      return;
    }
    p->writes = 1;
    cg_begin_program(p);
    cg_op(p, OP_SetCookie, 0, offset, v);
    cg_end_program(p);
    return;
  }
  result_names(p, 1, &name);
  cg_begin_program(p);
  r = cg_reg(p);
  cg_op(p, OP_ReadCookie, 0, r, offset);
  cg_op(p, OP_ResultRow, r, 1, 0);
  cg_end_program(p);
}

static void pragma_constant_text(Parse *p, const char *name, const char *value) {
  int r;
  result_names(p, 1, &name);
  cg_begin_program(p);
  r = cg_reg(p);
  emit_text(p, value, r);
  cg_op(p, OP_ResultRow, r, 1, 0);
  cg_end_program(p);
}

static void pragma_constant_int(Parse *p, const char *name, int64_t value) {
  int r;
  result_names(p, 1, &name);
  cg_begin_program(p);
  r = cg_reg(p);
  if (vdbe_add_op4(p->v, OP_Int64, 0, r, 0, P4_INT64, &value, 0) < 0) cg_error(p, LODE_NOMEM, "out of memory");
  cg_op(p, OP_ResultRow, r, 1, 0);
  cg_end_program(p);
}

void cg_pragma(Parse *p, const Stmt *st) {
  const char *name = st->pragma;
  if (st->schema && util_stricmp(st->schema, "main") != 0) {
    cg_error(p, LODE_ERROR, "unknown database %s", st->schema);
    return;
  }
  if (util_stricmp(name, "table_info") == 0) {
    pragma_table_info(p, pragma_arg_text(st->pragma_value));
  } else if (util_stricmp(name, "journal_mode") == 0) {
    pragma_constant_text(p, "journal_mode", pager_journal_mode(p->db->pager));
  } else if (util_stricmp(name, "page_size") == 0) {
    pragma_constant_int(p, "page_size", pager_page_size(p->db->pager));
  } else if (util_stricmp(name, "schema_version") == 0) {
    pragma_cookie(p, st, BTREE_META_SCHEMA_COOKIE, "schema_version");
  } else if (util_stricmp(name, "user_version") == 0) {
    pragma_cookie(p, st, BTREE_META_USER_VERSION, "user_version");
  } else if (util_stricmp(name, "application_id") == 0) {
    pragma_cookie(p, st, BTREE_META_APPLICATION_ID, "application_id");
  } else {
    cg_op(p, OP_Init, 0, 1, 0); /* unknown pragmas are no-ops */
    cg_op(p, OP_Halt, 0, 0, 0);
  }
}
