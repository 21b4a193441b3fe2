/*
** vacuum.c — VACUUM [schema] [INTO expr] to bytecode.
**
** The work is OP_Vacuum's (vdbe/vdbe_vacuum.c): the program only opens the
** transaction it needs (a write for VACUUM, which rewrites the database; a
** read for VACUUM INTO, which leaves it as it is), computes the file name,
** and, for VACUUM, bumps the schema cookie and reloads the schema, whose
** root pages the rebuild renumbered.  VACUUM schema rebuilds that database
** (the temp one only once it exists).
*/
#include "codegen/cg.h"

void cg_vacuum(Parse *p, const Stmt *st) {
  int db = st->schema ? cg_db_named(p, st->schema) : CONN_DB_MAIN;
  if (db < 0) return;
  int temp = db == CONN_DB_TEMP && !p->db->dbs[CONN_DB_TEMP].bt; /* nothing to rebuild yet */
  vdbe_set_db(p->v, db);
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
