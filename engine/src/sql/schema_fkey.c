/*
** schema_fkey.c — the FOREIGN KEY constraints of a table (Table.fkeys), as
** its CREATE TABLE declares them, and how a foreign key finds its parent key.
**
** A foreign key keeps its parent table and columns by name: the parent may
** be created, dropped or changed after the child, and SQLite only looks the
** parent up when a statement needs it.  The list is in SQLite's order, the
** last clause first, which is the order of PRAGMA foreign_key_list's ids and
** of every check.
*/
#include <string.h>

#include "lode.h"
#include "sql/schema.h"
#include "util/util.h"

void fkey_free_list(ForeignKey *fk) {
  while (fk) {
    ForeignKey *next = fk->next;
    for (int i = 0; fk->parent_cols && i < fk->ncols; i++) util_free(fk->parent_cols[i]);
    util_free(fk->parent_cols);
    util_free(fk->child_cols);
    util_free(fk->parent);
    util_free(fk);
    fk = next;
  }
}

/* SQLite's messages for clauses CREATE TABLE refuses. */
static char *fkey_def_error(const Table *t, const ForeignKeyDef *d, int column_form) {
  if (d->nparent > 0 && d->nparent != d->ncols) {
    if (column_form) return util_mprintf("foreign key on %s should reference only one column of table %s", d->cols[0], d->parent);
    return util_mprintf("number of columns in foreign key does not match the number of columns in the referenced table");
  }
  for (int i = 0; i < d->ncols; i++)
    if (table_column_index(t, d->cols[i]) < 0) return util_mprintf("unknown column \"%s\" in foreign key definition", d->cols[i]);
  return NULL;
}

static ForeignKey *fkey_from_def(const Table *t, const ForeignKeyDef *d) {
  ForeignKey *fk = util_zalloc(sizeof *fk);
  if (!fk) return NULL;
  fk->ncols = d->ncols;
  fk->on_delete = d->on_delete;
  fk->on_update = d->on_update;
  fk->deferred = d->deferred;
  fk->parent = util_strdup(d->parent);
  fk->child_cols = util_zalloc(sizeof(int) * (size_t)d->ncols);
  if (!fk->parent || !fk->child_cols) goto oom;
  for (int i = 0; i < d->ncols; i++) fk->child_cols[i] = table_column_index(t, d->cols[i]);
  if (d->nparent > 0) {
    fk->parent_cols = util_zalloc(sizeof(char *) * (size_t)d->ncols);
    if (!fk->parent_cols) goto oom;
    for (int i = 0; i < d->ncols; i++)
      if (!(fk->parent_cols[i] = util_strdup(d->parent_cols[i]))) goto oom;
  }
  return fk;
oom:
  fkey_free_list(fk);
  return NULL;
}

int table_build_fkeys(Table *t, const Stmt *c, char **errmsg) {
  for (int i = 0; i < c->nfkeys; i++) {
    const ForeignKeyDef *d = &c->fkeys[i];
    char *msg = fkey_def_error(t, d, d->column_form);
    if (msg) {
      *errmsg = msg;
      return LODE_ERROR;
    }
    ForeignKey *fk = fkey_from_def(t, d);
    if (!fk) return LODE_NOMEM;
    fk->next = t->fkeys;
    t->fkeys = fk;
  }
  return LODE_OK;
}

int fkey_locate(const ForeignKey *fk, const Table *parent, const Index **out, int *map) {
  *out = NULL;
  if (fk->ncols == 1 && parent->ipk >= 0 &&
      (!fk->parent_cols || util_stricmp(fk->parent_cols[0], parent->cols[parent->ipk].name) == 0)) {
    map[0] = 0;
    return 0;
  }
  for (const Index *ix = parent->indexes; ix; ix = ix->next) {
    if (ix->nkey != fk->ncols || !ix->unique || ix->where) continue;
    if (!fk->parent_cols) {
      if (ix->origin != INDEX_ORIGIN_PK) continue;
      for (int i = 0; i < ix->nkey; i++) map[i] = i;
      *out = ix;
      return 0;
    }
    int i;
    for (i = 0; i < ix->nkey; i++) {
      int cid = ix->cols[i].cid, j;
      if (cid < 0 || ix->cols[i].coll != parent->cols[cid].coll) break;
      for (j = 0; j < fk->ncols; j++)
        if (util_stricmp(fk->parent_cols[j], parent->cols[cid].name) == 0) break;
      if (j == fk->ncols) break;
      map[i] = j;
    }
    if (i == ix->nkey) {
      *out = ix;
      return 0;
    }
  }
  return -1;
}
