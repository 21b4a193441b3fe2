/*
** integrity.c — PRAGMA integrity_check and quick_check to bytecode.
**
** First the b-tree layer checks every tree, the freelist and page use
** (OP_IntegrityCk); its problems come as one row headed "*** in database
** main ***", and then nothing else runs: the row checks below read through
** the trees and must not trip over a broken one.  When the b-trees are
** sound, each table is scanned once, the newest table first (the order
** in which SQLite's schema hash hands out the tables of a small schema), and
** each row is checked with SQLite's words:
**   - a NOT NULL column holds no NULL            "NULL value in t.c"
**   - a STRICT table's column holds its type     "non-INTEGER value in t.c"
**   - else no number in a TEXT column            "NUMERIC value in t.c"
**     and no numeric text in a numeric column    "TEXT value in t.c"
**   - the CHECK constraints hold                 "CHECK constraint failed in t"
**   - full check only: each index that should hold the row (a partial index
**     only when its WHERE selects it) holds its entry, found with the full
**     key (columns or expression values, then the rowid)
**                                                "row N missing from index i"
**     N counting the table's rows in scan order, not the rowid; and in a
**     UNIQUE index the next entry has another key (or the key has a NULL)
**                                                "non-unique entry in index i"
** After a table's scan (full check only) each index must hold exactly as many
** entries as rows were found to need one: "wrong # of entries in index i".
**
** Those last checks look an entry up per row and index.  An index whose key
** is stored columns only is verified in one pass instead (vdbe/vdbe_verify.c):
** a sum of hashes of the keys the rows call for against the same sum over the
** index's entries, read in key order and checked to be in order.  When they
** agree the lookups could report nothing and are skipped; when they do not,
** the index gets the per-row check above, whose rows are then the same as
** without the pass.  When every index of a table can be verified, the keys
** are summed in a first scan that also checks the rows' columns and CHECK
** constraints, yielding nothing: the first problem it meets restarts the
** table with the checking scan and every index checked per row; with none,
** and every index verified, that scan is not needed at all.  Otherwise the
** keys are summed in a pass of their own before the checking scan.
**
** Every problem is one row.  A budget register starts at max_errors - 1 and
** is spent one per row; a row with nothing left halts the program, so at most
** max_errors rows come out.  If the budget is untouched at the end: "ok".
** A WITHOUT ROWID table is scanned the same way, through its PRIMARY KEY
** b-tree; its indexes' entries end with the PRIMARY KEY columns.
*/
#include <string.h>

#include "codegen/cg.h"
#include "sql/parser.h"

typedef struct Check {
  int budget;            /* register: error rows still allowed after the next one */
  int msg;               /* register: the text of an error row */
  int part;              /* register: a piece of a message being assembled */
  int value;             /* register: a column value */
  int row;               /* register: rows of the current table seen so far */
  int one;               /* register: 1 */
  int divert;            /* a label: an error row jumps there instead of being yielded (0: yield it) */
} Check;

/* The table's name in messages: SQLite still calls the schema table sqlite_master. */
static const char *table_name(const Table *t) { return t->root == BTREE_SCHEMA_ROOT ? "sqlite_master" : t->name; }

/* Puts z (util_malloc'd, freed here) in the message register. */
static void set_message(Parse *p, const Check *ck, char *z) {
  if (!z) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  cg_op4_str(p, OP_String8, (int)strlen(z), ck->msg, 0, z);
  util_free(z);
}

/* Yields the message register as a row, then halts if the budget is spent. */
static void error_row(Parse *p, const Check *ck) {
  if (ck->divert) {
    cg_op(p, OP_Goto, 0, ck->divert, 0);
    return;
  }
  int go_on = vdbe_make_label(p->v);
  cg_op(p, OP_ResultRow, ck->msg, 1, 0);
  cg_op(p, OP_IfPos, ck->budget, go_on, 1);
  cg_op(p, OP_Halt, 0, 0, 0);
  vdbe_resolve_label(p->v, go_on);
}

/* IfType masks: a bit per value type. */
#define T_NULL (1 << MEM_NULL)
#define T_INT (1 << MEM_INT)
#define T_REAL (1 << MEM_REAL)
#define T_TEXT (1 << MEM_TEXT)
#define T_BLOB (1 << MEM_BLOB)

/* Jumps to label when the value register holds a value of a type in mask. */
static void jump_if_type(Parse *p, const Check *ck, int mask, int label) {
  cg_op(p, OP_IfType, ck->value, label, mask);
}

/* The STRICT type names as SQLite prints them; NULL for ANY and others. */
static const char *strict_type(const Column *c) {
  static const char *const names[] = {"INT", "INTEGER", "REAL", "TEXT", "BLOB"};
  for (size_t i = 0; c->decltype_ && i < sizeof names / sizeof names[0]; i++)
    if (util_stricmp(c->decltype_, names[i]) == 0) return names[i];
  return NULL;
}

/* The value register holds column i of a STRICT table: anything but NULL
** and the declared type (a REAL column also holds integers) is reported. */
static void check_strict_type(Parse *p, const Check *ck, const Table *t, int i) {
  const char *want = strict_type(&t->cols[i]);
  int ok = vdbe_make_label(p->v);
  if (!want) return;
  int mask = T_NULL;
  if (want[0] == 'I' || want[0] == 'R') mask |= T_INT;
  if (want[0] == 'R') mask |= T_REAL;
  if (want[0] == 'T') mask |= T_TEXT;
  if (want[0] == 'B') mask |= T_BLOB;
  jump_if_type(p, ck, mask, ok);
  set_message(p, ck, util_mprintf("non-%s value in %s.%s", want, table_name(t), t->cols[i].name));
  error_row(p, ck);
  vdbe_resolve_label(p->v, ok);
}

/* The value register holds column i of an ordinary table: what its
** affinity would have converted on the way in must not be there. */
static void check_affinity_type(Parse *p, const Check *ck, const Table *t, int i) {
  char aff = t->cols[i].affinity;
  int ok = vdbe_make_label(p->v);
  const char *what;
  if (aff == AFF_TEXT) {
    jump_if_type(p, ck, T_NULL | T_TEXT | T_BLOB, ok);
    what = "NUMERIC";
  } else if (aff == AFF_INTEGER || aff == AFF_NUMERIC || aff == AFF_REAL) {
    /* Text is wrong only when numeric affinity would have made it a number. */
    jump_if_type(p, ck, T_NULL | T_INT | T_REAL | T_BLOB, ok);
    cg_op4_str(p, OP_Affinity, ck->value, 1, 0, "C");
    jump_if_type(p, ck, T_TEXT, ok);
    what = "TEXT";
  } else {
    return;
  }
  set_message(p, ck, util_mprintf("%s value in %s.%s", what, table_name(t), t->cols[i].name));
  error_row(p, ck);
  vdbe_resolve_label(p->v, ok);
}

static void check_columns(Parse *p, const Check *ck, Table *t, int cursor) {
  for (int i = 0; i < t->ncols; i++) {
    const Column *c = &t->cols[i];
    if (i == t->ipk) continue;
    if (!c->not_null && (t->strict ? !strict_type(c) : c->affinity == AFF_NONE)) continue;
    if (c->generated == COLGEN_VIRTUAL && !c->not_null) continue; /* only NOT NULL applies to a computed value */
    if (c->generated == COLGEN_VIRTUAL) cg_code_column(p, t, cursor, i, ck->value);
    else cg_code_stored_column(p, t, cursor, i, ck->value);
    if (c->not_null) {
      int ok = vdbe_make_label(p->v);
      cg_op(p, OP_NotNull, ck->value, ok, 0);
      set_message(p, ck, util_mprintf("NULL value in %s.%s", table_name(t), c->name));
      error_row(p, ck);
      vdbe_resolve_label(p->v, ok);
    }
    if (c->generated == COLGEN_VIRTUAL) continue;
    if (t->strict) check_strict_type(p, ck, t, i);
    else check_affinity_type(p, ck, t, i);
  }
}

/* One row for a row that fails any CHECK constraint (NULL passes). */
static void check_constraints(Parse *p, const Check *ck, Table *t, int cursor) {
  Stmt *create = NULL;
  char *err = NULL;
  if (!t->has_checks || p->db->settings[CONN_SET_IGNORE_CHECK_CONSTRAINTS]) return; /* as SQLite skips them */
  if (sql_parse(&p->arena, t->sql, -1, &create, NULL, &err) != LODE_OK || !create) {
    cg_error(p, LODE_CORRUPT, "malformed database schema (%s)", t->name);
    util_free(err);
    return;
  }
  Scope scope, *saved = p->scope;
  ScopeItem item;
  memset(&item, 0, sizeof item);
  item.name = t->name;
  item.table = t;
  item.cursor = cursor;
  item.sorter = -1;
  scope.n = 1;
  scope.items = &item;
  scope.outer = NULL;
  scope.nexists = 0;
  p->scope = &scope;
  int fault = vdbe_make_label(p->v), ok = vdbe_make_label(p->v);
  for (int i = 0; i < create->nconstraints && p->rc == LODE_OK; i++) {
    const TableConstraint *c = &create->constraints[i];
    if (c->kind != TC_CHECK || !c->check) continue;
    cg_op(p, OP_IfNot, cg_expr_reg(p, c->check), fault, 0);
  }
  p->scope = saved;
  cg_op(p, OP_Goto, 0, ok, 0);
  vdbe_resolve_label(p->v, fault);
  set_message(p, ck, util_mprintf("CHECK constraint failed in %s", table_name(t)));
  error_row(p, ck);
  vdbe_resolve_label(p->v, ok);
}

/* The row's entry must be in ix (cursor icur); counter counts the rows that
** need one.  A UNIQUE index must not have the key in the entry after it. */
static void check_index_entry(Parse *p, const Check *ck, const Index *ix, const RowSource *src, int icur,
                              int counter) {
  const Table *t = src->table;
  int done = vdbe_make_label(p->v), found = vdbe_make_label(p->v), key = cg_regs(p, ix->ncols);
  cg_index_skip_unless_selected(p, ix, src, done);
  cg_index_key(p, ix, src, ix->ncols, key);
  cg_op(p, OP_Add, ck->one, counter, counter);
  if (vdbe_add_op4_int(p->v, OP_Found, icur, found, key, ix->ncols) < 0) cg_error(p, LODE_NOMEM, "out of memory");
  cg_op4_str(p, OP_String8, 4, ck->msg, 0, "row ");
  cg_op(p, OP_Concat, ck->row, ck->msg, ck->msg);
  char *tail = util_mprintf(" missing from index %s", ix->name);
  if (!tail) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  cg_op4_str(p, OP_String8, (int)strlen(tail), ck->part, 0, tail);
  util_free(tail);
  cg_op(p, OP_Concat, ck->part, ck->msg, ck->msg);
  error_row(p, ck);
  cg_op(p, OP_Goto, 0, done, 0);
  vdbe_resolve_label(p->v, found);
  if (ix->unique) {
    int next = vdbe_make_label(p->v);
    for (int j = 0; j < ix->nkey; j++) {
      int cid = ix->cols[j].cid;
      if (cid >= 0 && cid != t->ipk && t->cols[cid].not_null) continue;
      cg_op(p, OP_IsNull, key + j, done, 0); /* NULLs never conflict */
    }
    cg_op(p, OP_Next, icur, next, 0);
    cg_op(p, OP_Goto, 0, done, 0);
    vdbe_resolve_label(p->v, next);
    if (vdbe_add_op4_int(p->v, OP_IdxGT, icur, done, key, ix->nkey) < 0) cg_error(p, LODE_NOMEM, "out of memory");
    set_message(p, ck, util_mprintf("non-unique entry in index %s", ix->name));
    error_row(p, ck);
  }
  vdbe_resolve_label(p->v, done);
}

/* Whether ix can be verified in one pass (vdbe/vdbe_verify.c) instead of a
** seek per row: its key is stored columns only, so computing it for every row
** up front can fail nowhere the per-row check would not.  A partial index or
** one on expressions or VIRTUAL columns keeps the per-row check. */
static int verifiable(const Table *t, const Index *ix) {
  if (ix->where) return 0;
  for (int j = 0; j < ix->ncols; j++) {
    int cid = ix->cols[j].cid;
    if (cid == XN_EXPR || (cid >= 0 && t->cols[cid].generated == COLGEN_VIRTUAL)) return 0;
  }
  return 1;
}

/* The key columns of a UNIQUE index whose NULL spares a row the uniqueness
** check (check_index_entry's IsNull tests), a bit each for the first 64. */
static uint64_t null_spares(const Table *t, const Index *ix) {
  uint64_t mask = 0;
  for (int j = 0; j < ix->nkey && j < 64; j++) {
    int cid = ix->cols[j].cid;
    if (!(cid >= 0 && cid != t->ipk && t->cols[cid].not_null)) mask |= (uint64_t)1 << j;
  }
  return mask;
}

static void emit_int64(Parse *p, int64_t value, int target) {
  if (value >= INT32_MIN && value <= INT32_MAX) cg_op(p, OP_Integer, (int)value, target, 0);
  else if (vdbe_add_op4(p->v, OP_Int64, 0, target, 0, P4_INT64, &value, 0) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
}

/* The registers of the one-pass verification of t's indexes: per index
** (cursor first + j) a flag, 1 when the index needs the per-row check, and
** the sum and count of its rows' keys. */
typedef struct Verify {
  int flags, sums;
} Verify;

/* Flags 1 for the indexes that cannot be verified, 0 and zeroed sums for
** the others; returns how many can. */
static int verify_begin(Parse *p, const Table *t, int nidx, Verify *vf) {
  int n = 0, j = 0;
  vf->flags = cg_regs(p, nidx);
  vf->sums = cg_regs(p, 2 * nidx);
  for (const Index *ix = t->indexes; ix; ix = ix->next) {
    if (!index_has_own_btree(ix)) continue;
    int v = verifiable(t, ix);
    cg_op(p, OP_Integer, !v, vf->flags + j, 0);
    if (v) {
      cg_op(p, OP_Integer, 0, vf->sums + 2 * j, 0);
      cg_op(p, OP_Integer, 0, vf->sums + 2 * j + 1, 0);
    }
    n += v;
    j++;
  }
  return n;
}

/* In a pass over the rows (cursor tcur): the row's key of each verifiable
** index added to its sum. */
static void verify_row(Parse *p, const Table *t, int tcur, const Verify *vf) {
  RowSource src = {t, tcur, 0, 0};
  int j = 0;
  for (const Index *ix = t->indexes; ix; ix = ix->next) {
    if (!index_has_own_btree(ix)) continue;
    if (verifiable(t, ix)) {
      int key = cg_regs(p, ix->ncols);
      cg_index_key(p, ix, &src, ix->ncols, key);
      cg_op(p, OP_KeyHash, key, ix->ncols, vf->sums + 2 * j);
    }
    j++;
  }
}

/* After that pass: each verifiable index read once, its flag set when its
** entries' sum, count or order disagree with its rows'. */
static void verify_entries(Parse *p, const Table *t, int first, const Verify *vf) {
  int j = 0;
  for (const Index *ix = t->indexes; ix; ix = ix->next) {
    if (!index_has_own_btree(ix)) continue;
    if (verifiable(t, ix)) {
      int run = cg_regs(p, 4), empty = vdbe_make_label(p->v), wrong = vdbe_make_label(p->v);
      int fine = vdbe_make_label(p->v), sum = vf->sums + 2 * j;
      cg_op(p, OP_Integer, 0, run, 0);
      cg_op(p, OP_Integer, 0, run + 1, 0);
      cg_op(p, OP_Null, 0, run + 2, 0);
      emit_int64(p, ix->unique ? (int64_t)null_spares(t, ix) : 0, run + 3);
      cg_op(p, OP_Rewind, first + j, empty, 0);
      int at = vdbe_current_addr(p->v);
      int addr = vdbe_add_op4_int(p->v, OP_IdxVerify, first + j, at, run, ix->ncols);
      if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
      else vdbe_set_p5(p->v, addr, ix->unique ? (uint16_t)ix->nkey : 0);
      vdbe_resolve_label(p->v, empty);
      cg_op(p, OP_Null, 0, run + 2, 0); /* frees the last entry's copy */
      cg_op(p, OP_Ne, run, wrong, sum);
      cg_op(p, OP_Eq, run + 1, fine, sum + 1);
      vdbe_resolve_label(p->v, wrong);
      cg_op(p, OP_Integer, 1, vf->flags + j, 0);
      vdbe_resolve_label(p->v, fine);
    }
    j++;
  }
}

/* 1 when every index b-tree of t has a root page: an autoindex whose
** sqlite_schema row is missing has none, and the b-tree check reports that. */
static int indexes_have_roots(const Table *t) {
  for (const Index *ix = t->indexes; ix; ix = ix->next)
    if (index_has_own_btree(ix) && ix->root == 0) return 0;
  return 1;
}

/* ---- index methods: each one that checks itself is handed the table's rows
** with a value it indexes, one by one (xIntegrityRow), and then their count
** (xIntegrity) ---- */

/* A method index being checked: its cursor, open across the table's scan,
** and the register counting its rows. */
typedef struct MethodCheck {
  const MethodIndex *mi;
  int cursor, counter, by_row;
} MethodCheck;

/* The method indexes of t that can be checked here: their method is known to
** the connection and checks itself. */
static int method_checked(Parse *p, const MethodIndex *mi) {
  if (mi->backing) return 0;
  const lode_index_method *m = cg_idxm_method(p, mi->method);
  return m && ((m->version >= 3 && m->xIntegrity) || (m->version >= 4 && m->xIntegrityRow));
}

/* Opens a cursor on each checkable method index of t, with a zeroed counter,
** into checks (util_malloc'd, NULL when none); their number.  An index whose
** stores are not there (written by another engine) is left out, as the
** planner leaves it. */
static int method_checks_open(Parse *p, const Table *t, MethodCheck **checks) {
  int n = 0, cap = 0;
  *checks = NULL;
  for (const MethodIndex *mi = t->method_indexes; mi; mi = mi->next) cap += method_checked(p, mi);
  if (cap == 0 || !(*checks = util_zalloc(sizeof(MethodCheck) * (size_t)cap))) {
    if (cap) cg_error(p, LODE_NOMEM, "out of memory");
    return 0;
  }
  for (const MethodIndex *mi = t->method_indexes; mi && p->rc == LODE_OK; mi = mi->next) {
    if (!method_checked(p, mi)) continue;
    VdbeIdxm *x = cg_idxm_bind(p, mi, 0);
    if (!x) break;
    int complete = 1;
    for (int i = 0; i < x->nstores; i++) {
      char *name = cg_idxm_store_name(mi->name, x->att->store_suffixes[i]);
      const MethodIndex *s = name ? schema_find_method_index(cg_db_schema(p, t->db), name) : NULL;
      util_free(name);
      if (s && s->backing && s->table == t && s->root) x->roots[i] = s->root;
      else complete = 0;
    }
    if (!complete) {
      vdbe_idxm_free(x);
      continue;
    }
    MethodCheck *mc = &(*checks)[n++];
    mc->mi = mi;
    mc->by_row = x->att->method->version >= 4 && x->att->method->xIntegrityRow;
    mc->cursor = cg_cursor(p);
    mc->counter = cg_reg(p);
    int addr = vdbe_add_op4(p->v, OP_IdxmOpen, mc->cursor, 0, 0, P4_IDXM, x, 0);
    if (addr < 0) {
      cg_error(p, LODE_NOMEM, "out of memory");
      break;
    }
    vdbe_set_op_db(p->v, addr, t->db);
    cg_op(p, OP_Integer, 0, mc->counter, 0);
  }
  return n;
}

/* The message register as "index method <index>: <part>", a row of the result. */
static void method_problem(Parse *p, const Check *ck, const MethodIndex *mi) {
  set_message(p, ck, util_mprintf("index method %s: ", mi->name));
  cg_op(p, OP_Concat, ck->part, ck->msg, ck->msg);
  error_row(p, ck);
}

/* In the scan: a method index that checks rows is handed the row (every
** row: the row-change path hands it every row too), and each counts the row
** when one of its columns is not NULL. */
static void method_checks_row(Parse *p, const Check *ck, const Table *t, int tcur, const MethodCheck *checks,
                              int n) {
  for (int k = 0; k < n; k++) {
    const MethodIndex *mi = checks[k].mi;
    int vals = cg_regs(p, mi->ncols + 1), counted = vdbe_make_label(p->v), skip = vdbe_make_label(p->v);
    for (int i = 0; i < mi->ncols; i++) {
      int col = mi->cols[i];
      cg_code_column(p, (Table *)t, tcur, col == t->ipk ? -1 : col, vals + i);
    }
    if (checks[k].by_row) {
      int held = vdbe_make_label(p->v);
      cg_code_column(p, (Table *)t, tcur, -1, vals + mi->ncols);
      vdbe_add_op4_int(p->v, OP_IdxmCheckRow, checks[k].cursor, vals, ck->part, mi->ncols);
      cg_op(p, OP_IsNull, ck->part, held, 0);
      method_problem(p, ck, mi);
      vdbe_resolve_label(p->v, held);
    }
    for (int i = 0; i < mi->ncols; i++) cg_op(p, OP_NotNull, vals + i, counted, 0);
    cg_op(p, OP_Goto, 0, skip, 0);
    vdbe_resolve_label(p->v, counted);
    cg_op(p, OP_Add, ck->one, checks[k].counter, checks[k].counter);
    vdbe_resolve_label(p->v, skip);
  }
}

/* After the scan: each method index's own check of what it holds. */
static void method_checks_close(Parse *p, const Check *ck, const MethodCheck *checks, int n) {
  for (int k = 0; k < n; k++) {
    int fine = vdbe_make_label(p->v);
    cg_op(p, OP_IdxmCheck, checks[k].cursor, checks[k].counter, ck->part);
    cg_op(p, OP_IsNull, ck->part, fine, 0);
    method_problem(p, ck, checks[k].mi);
    vdbe_resolve_label(p->v, fine);
    cg_op(p, OP_Close, checks[k].cursor, 0, 0);
  }
}

/* The rows' checks (columns, CHECK constraints) with their keys summed for
** the verification, in one pass, when every index of t can be verified:
** the first problem a row shows sends the run, before any row of the table
** was yielded, to the checking scan with every index checked per row, so
** that what it yields is what that scan alone yields.  Without problems the
** indexes are verified; when one fails the run falls through to the
** checking scan (which then finds no problem but that index's), else it
** skips the scan and goes on at done. */
static void check_rows_first(Parse *p, const Check *ck, Table *t, int tcur, int first, int nidx, const Verify *vf,
                             int done) {
  Check fast = *ck;
  int diverted = vdbe_make_label(p->v), scanned = vdbe_make_label(p->v), rescan = vdbe_make_label(p->v);
  fast.divert = diverted;
  cg_op(p, OP_Rewind, tcur, scanned, 0);
  int top = cg_op(p, OP_Column, tcur, 0, ck->value);
  check_columns(p, &fast, t, tcur);
  check_constraints(p, &fast, t, tcur);
  verify_row(p, t, tcur, vf);
  cg_op(p, OP_Next, tcur, top, 0);
  vdbe_resolve_label(p->v, scanned);
  verify_entries(p, t, first, vf);
  for (int j = 0; j < nidx; j++) cg_op(p, OP_If, vf->flags + j, rescan, 0);
  cg_op(p, OP_Goto, 0, done, 0);
  vdbe_resolve_label(p->v, diverted);
  for (int j = 0; j < nidx; j++) cg_op(p, OP_Integer, 1, vf->flags + j, 0);
  vdbe_resolve_label(p->v, rescan);
}

static void check_table(Parse *p, const Check *ck, Table *t, int full) {
  int tcur = cg_cursor(p), nidx = cg_index_count(t), first = -1, counters = 0, per_row = 0;
  if (!indexes_have_roots(t)) nidx = 0;
  int scanned = vdbe_make_label(p->v);
  cg_open_table(p, t, tcur, OP_OpenRead);
  MethodCheck *mchecks = NULL;
  int nmchecks = full ? method_checks_open(p, t, &mchecks) : 0;
  if (full && nidx > 0) {
    Verify vf;
    first = cg_open_indexes(p, t, OP_OpenRead);
    counters = cg_regs(p, nidx);
    for (int j = 0; j < nidx; j++) cg_op(p, OP_Integer, 0, counters + j, 0);
    int nverify = verify_begin(p, t, nidx, &vf);
    per_row = vf.flags;
    if (nverify == nidx && nmchecks == 0) {
      check_rows_first(p, ck, t, tcur, first, nidx, &vf, scanned);
    } else if (nverify > 0) {
      /* A pass of its own over the rows: the checking scan must check the
      ** other indexes row by row, between the rows' other problems. */
      int passed = vdbe_make_label(p->v);
      cg_op(p, OP_Rewind, tcur, passed, 0);
      int top = vdbe_current_addr(p->v);
      verify_row(p, t, tcur, &vf);
      cg_op(p, OP_Next, tcur, top, 0);
      vdbe_resolve_label(p->v, passed);
      verify_entries(p, t, first, &vf);
    }
  }
  cg_op(p, OP_Integer, 0, ck->row, 0);
  cg_op(p, OP_Rewind, tcur, scanned, 0);
  int top = cg_op(p, OP_Add, ck->one, ck->row, ck->row);
  /* Reading a column parses the whole record header: a record whose fields do
  ** not fill its payload stops the check as corrupt, as in sqlite3. */
  cg_op(p, OP_Column, tcur, 0, ck->value);
  check_columns(p, ck, t, tcur);
  check_constraints(p, ck, t, tcur);
  if (first >= 0) {
    RowSource src = {t, tcur, 0, 0};
    int j = 0;
    for (const Index *ix = t->indexes; ix; ix = ix->next) {
      if (!index_has_own_btree(ix)) continue;
      int verified = vdbe_make_label(p->v);
      cg_op(p, OP_IfNot, per_row + j, verified, 0);
      check_index_entry(p, ck, ix, &src, first + j, counters + j);
      vdbe_resolve_label(p->v, verified);
      j++;
    }
  }
  method_checks_row(p, ck, t, tcur, mchecks, nmchecks);
  cg_op(p, OP_Next, tcur, top, 0);
  vdbe_resolve_label(p->v, scanned);
  method_checks_close(p, ck, mchecks, nmchecks);
  util_free(mchecks);
  if (first >= 0) {
    int j = 0;
    for (const Index *ix = t->indexes; ix; ix = ix->next) {
      if (!index_has_own_btree(ix)) continue;
      int same = vdbe_make_label(p->v);
      cg_op(p, OP_IfNot, per_row + j, same, 0);
      cg_op(p, OP_Count, first + j, ck->value, 0);
      cg_op(p, OP_Eq, counters + j, same, ck->value);
      set_message(p, ck, util_mprintf("wrong # of entries in index %s", ix->name));
      error_row(p, ck);
      vdbe_resolve_label(p->v, same);
      cg_op(p, OP_Close, first + j, 0, 0);
      j++;
    }
  }
  cg_op(p, OP_Close, tcur, 0, 0);
}

/* The roots of the database's b-trees, or of only's and its indexes', into
** r[regs...] (counted alone when regs is 0); returns how many. */
static int code_roots(Parse *p, const Schema *s, const Table *only, int regs) {
  int k = 0;
  for (int i = 0; i < s->ntables; i++) {
    if (!s->tables[i]->root || (only && s->tables[i] != only)) continue; /* a virtual table has no b-tree */
    if (regs) cg_op(p, OP_Integer, (int)s->tables[i]->root, regs + k, 0);
    k++;
  }
  for (int i = 0; i < s->nindexes; i++) {
    if (only && s->indexes[i]->table != only) continue;
    if (regs) cg_op(p, OP_Integer, (int)s->indexes[i]->root, regs + k, 0);
    k++;
  }
  /* An index method's backing b-trees are index b-trees like any other. */
  for (int i = 0; i < s->ntables; i++) {
    if (only && s->tables[i] != only) continue;
    for (const MethodIndex *mi = s->tables[i]->method_indexes; mi; mi = mi->next) {
      if (!mi->root) continue;
      if (regs) cg_op(p, OP_Integer, (int)mi->root, regs + k, 0);
      k++;
    }
  }
  return k;
}

/* One database's checks: its b-trees (a problem there is reported as one
** row naming the database, and its rows are not read), then its tables.
** With only, that table's b-trees alone: pages no tree uses are not
** problems then. */
static void check_database(Parse *p, Check *ck, int db, int full, int max_errors, const Table *only) {
  Schema *s = cg_db_schema(p, db);
  int nroots = code_roots(p, s, only, 0);
  vdbe_set_db(p->v, db);
  int roots = cg_regs(p, nroots > 0 ? nroots : 1);
  code_roots(p, s, only, roots);
  int addr = vdbe_add_op4_int(p->v, OP_IntegrityCk, roots, nroots, ck->msg, max_errors);
  if (addr >= 0 && only) vdbe_set_p5(p->v, addr, 1);
  int btree_bad = vdbe_make_label(p->v), next = vdbe_make_label(p->v);
  cg_op(p, OP_NotNull, ck->msg, btree_bad, 0);
  for (int i = s->ntables - 1; i >= 0; i--) {
    Table *t = s->tables[i];
    if ((only && t != only) || t->vtab_module) continue;
    check_table(p, ck, t, full);
  }
  cg_op(p, OP_Goto, 0, next, 0);
  vdbe_resolve_label(p->v, btree_bad);
  char *head = util_mprintf("*** in database %s ***\n", cg_db_name(p, db));
  if (!head) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  cg_op4_str(p, OP_String8, (int)strlen(head), ck->part, 0, head);
  util_free(head);
  cg_op(p, OP_Concat, ck->msg, ck->part, ck->msg);
  error_row(p, ck);
  vdbe_resolve_label(p->v, next);
}

/* The database named (PRAGMA schema.integrity_check), the one of the table
** named, else every database (temp once it exists), as in SQLite; "ok" when
** none has a problem. */
void cg_integrity_check(Parse *p, int full, int max_errors, const Table *only) {
  static const char *const names[] = {"quick_check", "integrity_check"};
  Check ck;
  if (vdbe_set_num_cols(p->v, 1) != LODE_OK || vdbe_set_col_name(p->v, 0, names[full != 0], NULL) != LODE_OK) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  memset(&ck, 0, sizeof ck);
  int saved_db = vdbe_current_db(p->v);
  cg_begin_program(p);
  int start = cg_reg(p);
  ck.budget = cg_reg(p);
  ck.msg = cg_reg(p);
  ck.part = cg_reg(p);
  ck.value = cg_reg(p);
  ck.row = cg_reg(p);
  ck.one = cg_reg(p);
  cg_op(p, OP_Integer, max_errors - 1, start, 0);
  cg_op(p, OP_Integer, max_errors - 1, ck.budget, 0);
  cg_op(p, OP_Integer, 1, ck.one, 0);
  int done = vdbe_make_label(p->v);
  for (int d = 0; d < p->db->ndb && p->rc == LODE_OK; d++) {
    if (only ? d != only->db : p->fix_db > 0 ? d != p->fix_db - 1 : !p->db->dbs[d].bt) continue;
    check_database(p, &ck, d, full, max_errors, only);
  }
  vdbe_set_db(p->v, saved_db);
  cg_op(p, OP_Ne, start, done, ck.budget);
  cg_op4_str(p, OP_String8, 2, ck.msg, 0, "ok");
  cg_op(p, OP_ResultRow, ck.msg, 1, 0);
  vdbe_resolve_label(p->v, done);
  cg_end_program(p);
}
