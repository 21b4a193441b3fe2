/*
** vtab.h — virtual tables: the module interface and the registry of
** eponymous modules (table-valued functions such as json_each).
**
** A module describes its table with a CREATE TABLE text whose columns may
** be marked HIDDEN ("CREATE TABLE x(value, start HIDDEN, stop HIDDEN)"):
** hidden columns take the arguments of a FROM item "name(arg, ...)", in
** order, and "*" leaves them out.  Codegen and the planner only see this
** interface: at compile time best_index says which constraints the module
** uses (each used one becomes an argument of filter, in argv_index order)
** and what a scan costs; at run time the VM drives a cursor with
** open → filter → (eof / column / rowid / next)* → close.
**
** Invariants: a cursor belongs to one VM cursor slot and is closed exactly
** once; column() writes into a Mem the caller owns; an error of filter or
** next leaves its message in VtabCursor.errmsg (util_malloc'd), which the
** VM takes over as the statement's error.
*/
#ifndef LODE_VTAB_H
#define LODE_VTAB_H

#include <stdint.h>

#include "value/value.h"

#define VTAB_MAX_COLUMNS 32

/* Constraint operators best_index is offered. */
#define VTAB_OP_EQ 2
#define VTAB_OP_GT 4
#define VTAB_OP_LE 8
#define VTAB_OP_LT 16
#define VTAB_OP_GE 32

typedef struct VtabConstraint {
  int column;     /* column index in the module's table */
  int op;         /* VTAB_OP_* */
  int usable;     /* the value is known when the scan starts */
  int argv_index; /* out: 1-based position among filter's arguments, 0: not used */
  int omit;       /* out: the module guarantees it; the caller need not test it */
} VtabConstraint;

typedef struct VtabIndexInfo {
  int ncons;
  VtabConstraint *cons;
  /* out */
  int idx_num;
  double est_cost;
  double est_rows;
  const char *errmsg; /* out, with a failing return: the statement's error (static text) */
} VtabIndexInfo;

typedef struct VtabModule VtabModule;

/* The connection's schemas as a cursor sees them (VtabCursor.env): in the
** order unqualified names resolve (temp, main, attached), each with its
** database's name. */
#define VTAB_MAX_SCHEMAS 12
typedef struct VtabSchemas {
  int n;
  struct Schema *schemas[VTAB_MAX_SCHEMAS];
  const char *names[VTAB_MAX_SCHEMAS];
} VtabSchemas;

/* Base of every cursor: the module's own cursor struct starts with it. */
typedef struct VtabCursor {
  const VtabModule *module;
  void *env;    /* the connection's VtabSchemas, set by the VM after open */
  char *errmsg; /* set with a failing return of filter or next */
} VtabCursor;

struct VtabModule {
  const char *name;
  const char *schema; /* CREATE TABLE x(...) text */
  /* LODE_OK, or LODE_ERROR with info->errmsg when no plan can serve these constraints. */
  int (*best_index)(const VtabModule *m, VtabIndexInfo *info);
  int (*open)(const VtabModule *m, VtabCursor **out);
  int (*filter)(VtabCursor *c, int idx_num, int argc, Mem **argv);
  int (*next)(VtabCursor *c);
  int (*eof)(VtabCursor *c);
  int (*column)(VtabCursor *c, int col, Mem *out);
  int (*rowid)(VtabCursor *c, int64_t *rowid);
  void (*close)(VtabCursor *c);
};

/* The eponymous module of that name (case-insensitive), or NULL. */
const VtabModule *vtab_find_module(const char *name);

/* The columns of a module's table, from its schema text: at most max
** names (pointers into names_buf, NUL-terminated) and hidden flags.
** Returns the column count, -1 if the text is malformed. */
int vtab_columns(const VtabModule *m, char *names_buf, int bufsize, const char **names, int *hidden, int max);

/* Sets c->errmsg to a copy of msg (for modules). */
void vtab_set_error(VtabCursor *c, const char *msg);

/* The built-in modules (vtab_series.c, vtab_json.c, vtab_pragma.c). */
extern const VtabModule vtab_generate_series;
extern const VtabModule vtab_json_each;
extern const VtabModule vtab_json_tree;
extern const VtabModule vtab_jsonb_each;
extern const VtabModule vtab_jsonb_tree;
extern const VtabModule vtab_pragma_table_info;
extern const VtabModule vtab_pragma_table_xinfo;
extern const VtabModule vtab_pragma_index_list;
extern const VtabModule vtab_pragma_index_info;
extern const VtabModule vtab_pragma_index_xinfo;
extern const VtabModule vtab_pragma_foreign_key_list;

#endif /* LODE_VTAB_H */
