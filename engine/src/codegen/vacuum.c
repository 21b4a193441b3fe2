/*
** vacuum.c — VACUUM [schema] [INTO expr] to bytecode.
**
** The work is OP_Vacuum's (vdbe/vdbe_vacuum.c): the program only opens the
** transaction it needs (a write for VACUUM, which rewrites the database; a
** read for VACUUM INTO, which leaves it as it is), computes the file name,
** and, for VACUUM, bumps the schema cookie and reloads the schema, whose
** root pages the rebuild renumbered.  The temp schema is always empty in
** Lode, so VACUUM temp does nothing.
*/
#include "codegen/cg.h"

void cg_vacuum(Parse *p, const Stmt *st) {
  int temp = st->schema && util_stricmp(st->schema, "temp") == 0;
  if (st->schema && !temp && util_stricmp(st->schema, "main") != 0) {
    cg_error(p, LODE_ERROR, "unknown database %s", st->schema);
    return;
  }
  if (!st->vacuum_into && !temp && cg_require_writable(p) != LODE_OK) return;
  p->writes = !st->vacuum_into && !temp;
  cg_begin_program(p);
  if (!temp) {
    int into = 0;
    if (st->vacuum_into) into = cg_expr_reg(p, st->vacuum_into);
    cg_op(p, OP_Vacuum, 0, into, 0);
    if (!st->vacuum_into) cg_bump_schema(p);
  }
  cg_end_program(p);
}
