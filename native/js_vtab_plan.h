/*
** js_vtab_plan.h — the xBestIndex of a virtual table defined in JavaScript
** (Database.table(), better-sqlite3's API), shared by the Node addon and the
** wasm build so that both plan such a table alike.
**
** Every parameter the query constrains (columns 0..nparams-1 of the table
** are its parameters) is handed to the rows() generator: idxNum tells which
** ones, argv holds them in parameter order.  A parameter may only be
** constrained by '=' (better-sqlite3's message otherwise), and a plan that
** cannot give one is refused (SQLITE_CONSTRAINT) rather than run with that
** parameter missing.  Include after sqlite3.h.
*/
#ifndef LODE_JS_VTAB_PLAN_H
#define LODE_JS_VTAB_PLAN_H

#define JS_VTAB_MAX_PARAMS 32

static int js_vtab_plan(sqlite3_vtab *vt, sqlite3_index_info *info, int nparams, char *const *params) {
  int slot[JS_VTAB_MAX_PARAMS], nargs = 0;
  for (int k = 0; k < nparams; k++) slot[k] = -1;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    if (c->op == SQLITE_INDEX_CONSTRAINT_LIMIT || c->op == SQLITE_INDEX_CONSTRAINT_OFFSET) continue;
    if (c->iColumn < 0 || c->iColumn >= nparams) continue;
    if (c->op != SQLITE_INDEX_CONSTRAINT_EQ) {
      sqlite3_free(vt->zErrMsg);
      vt->zErrMsg = sqlite3_mprintf("virtual table parameter \"%s\" can only be constrained by the '=' operator",
                                    params[c->iColumn]);
      return SQLITE_ERROR;
    }
    if (!c->usable) return SQLITE_CONSTRAINT;
    if (slot[c->iColumn] < 0) slot[c->iColumn] = i;
  }
  info->idxNum = 0;
  for (int k = 0; k < nparams; k++) {
    if (slot[k] < 0) continue;
    info->aConstraintUsage[slot[k]].argvIndex = ++nargs;
    info->aConstraintUsage[slot[k]].omit = 1;
    info->idxNum |= 1 << k;
  }
  info->estimatedRows = 1000000000 / (nargs + 1);
  info->estimatedCost = (double)info->estimatedRows;
  return SQLITE_OK;
}

#endif /* LODE_JS_VTAB_PLAN_H */
