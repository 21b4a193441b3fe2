/*
** pragma_func.c — PRAGMA function_list and PRAGMA module_list (and so the
** pragma_function_list / pragma_module_list table-valued functions, which
** run these statements).
**
** function_list gives one row per function and argument count, as SQLite
** 3.53 reports its own: name, builtin (1 for Lode's built-ins, 0 for a
** connection's own), type ('s' scalar, 'w' an aggregate usable as a window
** function or a window-only function, 'a' any other aggregate), enc ('utf8'),
** narg (-1: any count) and flags, SQLite's function flag bits:
** SQLITE_DETERMINISTIC 0x800, SQLITE_DIRECTONLY 0x80000, SQLITE_SUBTYPE
** 0x100000 and SQLITE_INNOCUOUS 0x200000.  SQLite marks every built-in
** innocuous except the direct-only ones, marks aggregates deterministic only
** when they build JSON, and marks the functions that read or give JSON
** subtypes (json_array, json_object, json_set, …) with SQLITE_SUBTYPE; a
** few variadic built-ins report a negative narg of their own (SQLite keeps
** their least count there).  The rows come in no particular order.
**
** module_list names the virtual-table modules Lode has built in that SQLite
** also lists (the R-Tree ones and the two pragma modules it registers), and
** generate_series, which every connection has here as every sqlite3 shell
** session has it there; json_each, json_tree and the other pragma_*
** functions are not listed, as in SQLite.
*/
#include <string.h>

#include "codegen/cg.h"

#define SQLITE_FLAG_DETERMINISTIC 0x000800
#define SQLITE_FLAG_DIRECTONLY 0x080000
#define SQLITE_FLAG_SUBTYPE 0x100000
#define SQLITE_FLAG_INNOCUOUS 0x200000

/* The functions SQLite flags SQLITE_SUBTYPE: those that take JSON values
** from their arguments' subtype, and subtype() itself. */
static const char *const subtype_funcs[] = {
    "json_array", "json_array_insert", "json_group_array", "json_group_object", "json_insert", "json_object",
    "json_quote", "json_replace", "json_set", "jsonb_array", "jsonb_array_insert", "jsonb_group_array",
    "jsonb_group_object", "jsonb_insert", "jsonb_object", "jsonb_replace", "jsonb_set", "subtype", NULL};

/* Deterministic to SQLite (which computes 'now' once per statement), not
** to Lode's planner, which keeps them out of index expressions otherwise. */
static const char *const date_funcs[] = {"date", "datetime", "julianday", "strftime", "time",
                                         "timediff", "unixepoch", NULL};
/* Deterministic to Lode (one value per build), not flagged so by SQLite. */
static const char *const build_funcs[] = {"sqlite_compileoption_get", "sqlite_compileoption_used",
                                          "sqlite_source_id", "sqlite_version", NULL};

/* Built in the way SQLite builds in an extension's functions: listed with no flags. */
static const char *const extension_funcs[] = {"median", "percentile", "percentile_cont", "percentile_disc", NULL};

/* The variadic built-ins whose narg SQLite reports as other than -1. */
static const struct {
  const char *name;
  int narg;
} variadic_narg[] = {{"coalesce", -4}, {"concat", -3}, {"concat_ws", -4}, {"if", -4},
                     {"iif", -4},      {"max", -3},    {"min", -3},       {NULL, 0}};

static int in_list(const char *const *list, const char *name) {
  for (int i = 0; list[i]; i++)
    if (util_stricmp(list[i], name) == 0) return 1;
  return 0;
}

static int reported_narg(const FuncInfo *f) {
  if (f->nargs >= 0 || !f->builtin) return f->nargs;
  for (int i = 0; variadic_narg[i].name; i++)
    if (util_stricmp(variadic_narg[i].name, f->name) == 0) return variadic_narg[i].narg;
  return -1;
}

static int reported_flags(const FuncInfo *f) {
  int aggregate = f->window_only || (f->flags & FUNC_AGGREGATE), subtype = in_list(subtype_funcs, f->name);
  int flags = 0, deterministic = f->flags & FUNC_DETERMINISTIC;
  if (f->builtin && in_list(extension_funcs, f->name)) return 0;
  if (f->builtin && in_list(date_funcs, f->name)) deterministic = 1;
  if (f->builtin && in_list(build_funcs, f->name)) deterministic = 0;
  if (f->flags & FUNC_DIRECTONLY) flags |= SQLITE_FLAG_DIRECTONLY;
  else if (f->builtin || !(f->flags & FUNC_UNSAFE)) flags |= SQLITE_FLAG_INNOCUOUS;
  if (deterministic && (!aggregate || subtype || !f->builtin)) flags |= SQLITE_FLAG_DETERMINISTIC;
  if (f->builtin && subtype) flags |= SQLITE_FLAG_SUBTYPE | SQLITE_FLAG_DETERMINISTIC;
  return flags;
}

static const char *reported_type(const FuncInfo *f) {
  if (f->window_only) return "w";
  if (!(f->flags & FUNC_AGGREGATE)) return "s";
  if (f->builtin) return f->flags & FUNC_NOWINDOW ? "a" : "w";
  return f->flags & FUNC_APP_WINDOW ? "w" : "a";
}

typedef struct ListState {
  Parse *p;
  int regs;
  int n, cap;
  const FuncInfo *seen; /* name and narg of the rows given so far */
  FuncInfo *rows;
} ListState;

static void emit_text(Parse *p, const char *z, int target) {
  if (vdbe_add_op4(p->v, OP_String8, (int)strlen(z), target, 0, P4_STRING, z, (int)strlen(z)) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
}

/* One row per name and count: a connection's function shadows the
** built-in it replaces, and a built-in listed twice (two tables) once. */
static void list_one(void *arg, const FuncInfo *f) {
  ListState *s = arg;
  for (int i = 0; i < s->n; i++)
    if (s->rows[i].nargs == f->nargs && util_stricmp(s->rows[i].name, f->name) == 0) return;
  if (s->n == s->cap) {
    int cap = s->cap ? 2 * s->cap : 256;
    FuncInfo *grown = arena_alloc(&s->p->arena, sizeof(FuncInfo) * (size_t)cap);
    if (!grown) {
      cg_error(s->p, LODE_NOMEM, "out of memory");
      return;
    }
    if (s->n) memcpy(grown, s->rows, sizeof(FuncInfo) * (size_t)s->n);
    s->rows = grown;
    s->cap = cap;
  }
  s->rows[s->n++] = *f;
}

void cg_pragma_function_list(Parse *p) {
  static const char *const names[] = {"name", "builtin", "type", "enc", "narg", "flags"};
  ListState s = {p, 0, 0, 0, NULL, NULL};
  cg_result_names(p, 6, names);
  func_each(p->db->funcs, list_one, &s);
  cg_op(p, OP_Init, 0, 1, 0);
  int r = cg_regs(p, 6);
  for (int i = 0; i < s.n && p->rc == LODE_OK; i++) {
    const FuncInfo *f = &s.rows[i];
    emit_text(p, f->name, r);
    cg_op(p, OP_Integer, f->builtin, r + 1, 0);
    emit_text(p, reported_type(f), r + 2);
    emit_text(p, "utf8", r + 3);
    cg_op(p, OP_Integer, reported_narg(f), r + 4, 0);
    cg_op(p, OP_Integer, reported_flags(f), r + 5, 0);
    cg_op(p, OP_ResultRow, r, 6, 0);
  }
  cg_op(p, OP_Halt, 0, 0, 0);
}

void cg_pragma_module_list(Parse *p) {
  static const char *const modules[] = {"dbstat",          "fts3",      "fts3tokenize", "fts4",
                                        "fts4aux",         "fts5",      "fts5vocab",    "generate_series",
                                        "pragma_function_list", "pragma_module_list", "rtree", "rtree_i32", NULL};
  static const char *const name = "name";
  cg_result_names(p, 1, &name);
  cg_op(p, OP_Init, 0, 1, 0);
  int r = cg_reg(p);
  for (int i = 0; modules[i]; i++) {
    emit_text(p, modules[i], r);
    cg_op(p, OP_ResultRow, r, 1, 0);
  }
  cg_op(p, OP_Halt, 0, 0, 0);
}
