/*
** loops.c — the nested loops of one query level, as the planner chose them
** (plan/plan.h): codegen asks plan_where for the join order, each level's
** access path and the level of each WHERE term, and emits them.
**
** Shape, per level (outermost first):
**
**     [LEFT JOIN: matched = 0]
**     Rewind c → exit          (scan)      | SeekRowid c key → exit (rowid lookup)
**     | SeekGE/GT c lo → exit   (rowid range; end test: Rowid > hi → exit)
**     | index: keys of the equalities (+ the range's start) → SeekGE/GT i → exit;
**       each entry: end test (IdxGT/GE) → exit; IdxRowid → SeekRowid c
**       (WITHOUT ROWID: the entry's PRIMARY KEY columns → NotFound c)
**   head:
**     [LEFT JOIN: ON terms false → next; matched = 1]
**   body:
**     terms of this level false → next
**     …inner levels, then the caller's row code…
**   next:
**     [EXISTS table's level (a semi-join): its row reached the end of the
**      loops inside it → past its loop]
**     Next c → head            (a lookup has no next row: falls through to the outer next)
**     [LEFT JOIN nomatch: if matched → outer next; else NullRow on the
**      level's cursors (columns read NULL), goto body]
**
** The loops inside an EXISTS table's level, once done, leave it too (its
** "after" label, the outer next); so does a row the caller skips.
**
** Compiled for EXPLAIN QUERY PLAN, each level adds its plan step (Explain
** op) in SQLite's words.
*/
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "codegen/cg.h"
#include "plan/plan.h"
#include "sql/parser.h"

static int is_outer_join(int jt) { return jt == JOIN_LEFT || jt == JOIN_RIGHT || jt == JOIN_FULL; }

/* The error order of name resolution: outer joins' ON clauses, then the
** other ON clauses, then WHERE. */
static void bind_where_names(Parse *p, const SrcList *from, const Expr *where) {
  for (int i = 0; from && i < from->n; i++)
    if (is_outer_join(cg_written_join(&from->items[i]))) cg_bind_names(p, from->items[i].on);
  for (int i = from ? from->n - 1 : -1; i >= 0; i--)
    if (!is_outer_join(cg_written_join(&from->items[i]))) cg_bind_names(p, from->items[i].on);
  cg_bind_names(p, where);
}

/* An item's ON clause and the equalities of its USING or NATURAL. */
static const Expr *join_condition(Parse *p, const SrcItem *src) {
  return cg_and(p, src->on, src->using_on);
}

/* The last FROM item e reads at this level (not inside its subqueries), -1 if none. */
static int last_item_read(const Expr *e) {
  if (!e) return -1;
  if (e->kind == EXPR_COLUMN) return e->bound && e->bind_depth == 0 ? e->bind_item : -1;
  int m = last_item_read(e->left), r = last_item_read(e->right);
  if (r > m) m = r;
  for (int i = 0; e->args && i < e->args->n; i++)
    if ((r = last_item_read(e->args->items[i])) > m) m = r;
  return m;
}

/* An outer join's ON clause may read only the items up to its own; with a
** RIGHT or FULL join in the query, so may every ON clause (SQLite 3.39+).
** The joins as written: one that WHERE made inner is checked as outer. */
static void check_on_clauses(Parse *p, const SrcList *from) {
  int has_right = 0;
  for (int i = 0; i < from->n; i++) {
    int jt = cg_written_join(&from->items[i]);
    has_right |= jt == JOIN_RIGHT || jt == JOIN_FULL;
  }
  for (int i = 0; i < from->n && p->rc == LODE_OK; i++) {
    int jt = cg_written_join(&from->items[i]);
    if (!has_right && jt != JOIN_LEFT && jt != JOIN_FULL) continue;
    if (last_item_read(from->items[i].on) > i) cg_error(p, LODE_ERROR, "ON clause references tables to its right");
  }
  /* So may the arguments of a table-valued function that is the right side
  ** of an outer join: SQLite makes them terms of the join's ON clause. */
  for (int i = 0; i < from->n && p->rc == LODE_OK; i++) {
    int jt = cg_written_join(&from->items[i]);
    if (!from->items[i].is_call || (jt != JOIN_LEFT && jt != JOIN_RIGHT && jt != JOIN_FULL)) continue;
    if (i < 63 && p->scope && i < p->scope->n && (cg_vtab_prereq(p, i) >> (i + 1)) != 0)
      cg_error(p, LODE_ERROR, "table-function argument references tables to its right");
  }
}

static void note_uncorrelated(Parse *p, const Expr *e);

/* Codes term e of a joined EXISTS subquery's WHERE (its table: item of
** p->scope; note_only: only cg_note_uncorrelated's analysis), where the names
** of a subquery inside reach that table first, as from inside the EXISTS. */
static void code_exists_term(Parse *p, int item, const Expr *e, int false_label, int note_only) {
  ExistsReveal r = {p->scope, item, p->exists_reveal};
  p->exists_reveal = &r;
  if (note_only) note_uncorrelated(p, e);
  else cg_jump_if_false(p, e, false_label);
  p->exists_reveal = r.next;
}

static void code_terms(Parse *p, const WherePlan *wp, int level, int on_item, int false_label) {
  for (int k = 0; k < wp->nterm; k++) {
    const WhereTerm *t = &wp->terms[k];
    if (t->consumed || t->on_item != on_item) continue;
    if (on_item < 0 && t->level != level) continue;
    if (t->on_of >= 0 && p->scope && t->on_of >= p->scope->n) code_exists_term(p, t->on_of, t->expr, false_label, 0);
    else cg_jump_if_false(p, t->expr, false_label);
  }
}

int cg_explain_select_id(const Select *s, int fallback) {
  while (s && s->next) s = s->next;
  return s && s->sel_id > 0 ? s->sel_id : fallback;
}

void cg_null_subquery_row(Parse *p, const ScopeItem *it) {
  if (it->co_yield && it->table->ncols > 0) cg_op(p, OP_Null, 0, it->co_row, it->co_row + it->table->ncols - 1);
  else cg_op(p, OP_Null, 0, it->rec_reg, 0);
}

int cg_explain_step(Parse *p, const char *fmt, ...) {
  char detail[300];
  va_list ap;
  if (!p->explain_plan) return 0;
  if (p->explain_mute) return p->explain_parent;
  va_start(ap, fmt);
  vsnprintf(detail, sizeof detail, fmt, ap);
  va_end(ap);
  int addr = vdbe_current_addr(p->v);
  if (vdbe_add_op4(p->v, OP_Explain, addr, p->explain_parent, 0, P4_STRING, detail, -1) < 0) return 0;
  return addr;
}

static void explain_level(Parse *p, const CgLoops *l, const PlanItem *items, int level) {
  const WherePlan *wp = &l->plan;
  char detail[300];
  if (!p->explain_plan) return;
  plan_describe_level(wp, items, level, detail, sizeof detail);
  /* SQLite words every level of a lone min()/max()'s loops as a search. */
  int search = l->explain_search && strncmp(detail, "SCAN ", 5) == 0;
  int id = cg_explain_step(p, "%s%s", search ? "SEARCH " : "", search ? detail + 5 : detail);
  int saved = p->explain_parent;
  const WhereLevel *lv = &wp->levels[level];
  for (int j = 0; lv->kind == WLOOP_MULTI_OR && j < lv->nor; j++) { /* MULTI-INDEX OR, then INDEX 1, INDEX 2… */
    p->explain_parent = id;
    p->explain_parent = cg_explain_step(p, "INDEX %d", lv->or_levels[j].or_number);
    plan_describe_access(&lv->or_levels[j], &items[lv->item], detail, sizeof detail);
    cg_explain_step(p, "%s", detail);
  }
  p->explain_parent = saved;
}

/* Evaluates value into reg with affinity applied (0: none). */
static void code_value(Parse *p, const Expr *value, char affinity, int reg) {
  cg_expr(p, value, reg);
  if (affinity) {
    char aff[2] = {affinity, 0};
    cg_op4_str(p, OP_Affinity, reg, 1, 0, aff);
  }
}

/* Whether e is the rowid of a table this level's loops position (never NULL
** there: no outer join can give it a row of NULLs), an integer. */
static int is_loop_rowid(const Parse *p, const Expr *e) {
  const Scope *s = p->scope;
  if (!s || e->kind != EXPR_COLUMN || !e->bound || e->bind_depth != 0 || e->bind_col >= 0 ||
      e->bind_item >= s->n + s->nexists)
    return 0;
  for (int i = 0; i < s->n; i++)
    if (is_outer_join(s->items[i].join_type)) return 0;
  const ScopeItem *it = &s->items[e->bind_item];
  return it->sorter < 0 && !it->vtab && it->table && !it->table->without_rowid && !it->row_regs;
}

/* A seek key value into reg with its affinity; NULL never compares equal
** or in range, so it leaves the level at once.  A rowid needs neither: a
** numeric affinity leaves an integer as it is. */
static void code_key(Parse *p, const Expr *value, char affinity, int is, int reg, int exit_label) {
  if (!value) { /* IS NULL: the key is NULL itself */
    cg_op(p, OP_Null, 0, reg, 0);
    return;
  }
  if (is_loop_rowid(p, value) && affinity != AFF_TEXT && affinity != AFF_REAL) {
    cg_expr(p, value, reg);
    return;
  }
  code_value(p, value, affinity, reg);
  if (!is) cg_op(p, OP_IsNull, reg, exit_label, 0); /* "= NULL" matches no row; "IS NULL" the NULL ones */
}

/* The value a range bound seeks: NULL (code_key's NULL key) for "x > NULL",
** the bound of "x IS NOT NULL", whose range begins (in a descending column:
** ends) at the NULLs. */
static const Expr *bound_key(const WhereBound *b) { return b->past_null ? NULL : b->value; }

/* The KeyInfo of a Bloom filter over the first n columns of ix: their collations (ix NULL: a rowid). */
static KeyInfo *filter_keyinfo(Parse *p, const Index *ix, int n) {
  KeyInfo *k = keyinfo_new(n);
  if (!k) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  for (int j = 0; ix && j < n; j++) k->coll[j] = (uint8_t)ix->cols[j].coll;
  return k;
}

static void filter_op(Parse *p, int opcode, int filter, int jump, int key, const Index *ix, int n) {
  KeyInfo *k = filter_keyinfo(p, ix, n);
  if (k && vdbe_add_op4(p->v, opcode, filter, jump, key, P4_KEYINFO, k, 0) < 0) cg_error(p, LODE_NOMEM, "out of memory");
}

/* The rows of an IN (SELECT ...) that reads nothing of the queries around
** it, put once per run into a transient b-tree in the comparison's
** collation, with the key's affinity; the level then steps through them
** (NULLs, first in it, skipped) as through a list's sorted values. */
static void open_in_set(Parse *p, CgLoops *l, int lv, const WhereLevel *level, KeyInfo *k, int reg, int exit_label,
                        int desc) {
  int set = cg_cursor(p);
  SelectDest d;
  memset(&d, 0, sizeof d);
  d.kind = DEST_INSET;
  d.cursor = set;
  d.null_reg = cg_reg(p);
  d.any_reg = cg_reg(p);
  d.in_aff = level->in_affinity;
  cg_build_in_set(p, level->in_list->select, ++p->nsubquery, k, &d);
  cg_op(p, desc ? OP_Last : OP_Rewind, set, exit_label, 0);
  l->lv[lv].in_sorter = set;
  l->lv[lv].in_step = desc ? OP_Prev : OP_Next;
  l->lv[lv].in_next = vdbe_make_label(p->v);
  l->lv[lv].in_top = cg_op(p, OP_Column, set, 0, reg);
  cg_op(p, OP_IsNull, reg, l->lv[lv].in_next, 0);
}

/* An IN list feeding a lookup: its values go into a sorter (in their
** collation, NULLs left out), then the level runs once per distinct value,
** in the order of the index column it feeds (descending for a DESC column,
** the other way for a level walked backwards), as SQLite's lookups go, with
** the value in reg.  Returns the label that takes
** the next value (the level's exit for the lookup inside). */
static int open_in_list(Parse *p, CgLoops *l, int lv, const WhereLevel *level, int reg, int exit_label) {
  const Expr *list = level->in_list;
  KeyInfo *k = keyinfo_new(1);
  if (!k) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return exit_label;
  }
  int col_desc = level->kind == WLOOP_INDEX && level->index && level->index->cols[level->in_col].desc;
  int desc = (level->reverse != 0) != (col_desc != 0);
  k->coll[0] = (uint8_t)level->in_coll;
  assert(!level->reverse || list->kind == EXPR_IN_LIST); /* a set is never walked backwards */
  int prev = cg_reg(p), have = cg_reg(p);
  if (list->kind == EXPR_IN_SELECT) {
    open_in_set(p, l, lv, level, k, reg, exit_label, desc); /* the set's b-tree ascends: read from its end */
    cg_op(p, OP_Integer, 0, have, 0);
  } else {
    int sorter = cg_cursor(p), pseudo = cg_cursor(p), rec = cg_reg(p);
    k->desc[0] = (uint8_t)desc;
    if (vdbe_add_op4(p->v, OP_SorterOpen, sorter, 1, 0, P4_KEYINFO, k, 0) < 0) cg_error(p, LODE_NOMEM, "oom");
    for (int i = 0; i < list->args->n; i++) {
      int skip = vdbe_make_label(p->v), v = cg_reg(p);
      code_value(p, list->args->items[i], level->in_affinity, v);
      cg_op(p, OP_IsNull, v, skip, 0);
      cg_op(p, OP_MakeRecord, v, 1, rec);
      cg_op(p, OP_SorterInsert, sorter, rec, 0);
      vdbe_resolve_label(p->v, skip);
    }
    cg_op(p, OP_Integer, 0, have, 0);
    cg_op(p, OP_OpenPseudo, pseudo, rec, 1);
    cg_op(p, OP_SorterSort, sorter, exit_label, 0);
    l->lv[lv].in_sorter = sorter;
    l->lv[lv].in_step = OP_SorterNext;
    l->lv[lv].in_next = vdbe_make_label(p->v);
    l->lv[lv].in_top = cg_op(p, OP_SorterData, sorter, rec, 0);
    cg_op(p, OP_Column, pseudo, 0, reg);
  }
  /* Equal values (1 and 1.0, 'a' and 'A' under NOCASE) are one lookup. */
  int fresh = vdbe_make_label(p->v);
  cg_op(p, OP_IfNot, have, fresh, 0);
  int addr = vdbe_add_op4_int(p->v, OP_Eq, prev, l->lv[lv].in_next, reg, level->in_coll);
  if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
  vdbe_resolve_label(p->v, fresh);
  cg_op(p, OP_Copy, reg, prev, 0); /* a deep copy: reg is overwritten by the next value */
  cg_op(p, OP_Integer, 1, have, 0);
  return l->lv[lv].in_next;
}

/* A rowid range: seek to the low end and stop after the high end, or
** walked backwards (lv->reverse), seek to the high end and stop before the
** low end.  Returns the address the loop continues at. */
static int open_rowid_range(Parse *p, const WhereLevel *lv, int cursor, int exit_label) {
  int rev = lv->reverse;
  const WhereBound *from = rev ? &lv->hi : &lv->lo, *to = rev ? &lv->lo : &lv->hi;
  int end = 0;
  if (to->value) {
    end = cg_reg(p);
    code_key(p, to->value, AFF_NUMERIC, 0, end, exit_label);
  }
  if (from->value) {
    int key = cg_reg(p);
    cg_expr(p, from->value, key); /* the seek itself converts or rejects a non-integer */
    int seek = rev ? (from->strict ? OP_SeekLT : OP_SeekLE) : (from->strict ? OP_SeekGT : OP_SeekGE);
    vdbe_add_op4_int(p->v, seek, cursor, exit_label, key, 1);
  } else {
    cg_op(p, rev ? OP_Last : OP_Rewind, cursor, exit_label, 0);
  }
  int head = vdbe_current_addr(p->v);
  if (end) {
    int rowid = cg_reg(p);
    cg_op(p, OP_Rowid, cursor, rowid, 0);
    int past = rev ? (to->strict ? OP_Le : OP_Lt) : (to->strict ? OP_Ge : OP_Gt);
    if (vdbe_add_op4_int(p->v, past, end, exit_label, rowid, COLL_BINARY) < 0) cg_error(p, LODE_NOMEM, "out of memory");
  }
  return head;
}

/* The table row the current entry of ix names, on the table cursor. */
static void lookup_row(Parse *p, const Index *ix, int icur, int cursor, int missing) {
  if (p->early_offset) { /* a row OFFSET skips is not looked up */
    cg_op(p, OP_IfPos, p->early_offset, missing, 1);
    p->early_offset = 0;
  }
  int key = cg_regs(p, cg_row_key_len(ix->table));
  cg_row_key_of_entry(p, ix, icur, key);
  if (ix->table->without_rowid) cg_seek_row(p, ix->table, cursor, key, missing);
  else cg_op(p, OP_SeekRowid, cursor, missing, key);
}

/* An index range walked backwards (for an ORDER BY against the index's
** order): from the range's last entry in the index's order to its first.
** In an ascending column that is from the high bound down to the low one,
** or down to the NULLs (first in the column, and in no range); in a
** descending column from the low bound up to the high one, starting before
** the NULLs (last there).  With no bound, the run of the equalities. */
static int open_index_range_reverse(Parse *p, const WhereLevel *lv, int desc, int cursor, int icur, int key, int stop,
                                    int next_label, int exit_label) {
  const Index *ix = lv->index;
  int neq = lv->neq;
  const WhereBound *start = desc ? &lv->lo : &lv->hi, *end = desc ? &lv->hi : &lv->lo;
  for (int j = 0; j < neq; j++) {
    if (!lv->in_list || j != lv->in_col) /* an IN list's value is in its key register already */
      code_key(p, lv->eq[j], lv->eq_affinity[j], lv->eq_is[j], key + j, exit_label);
    cg_op(p, OP_SCopy, key + j, stop + j, 0);
  }
  int ranged = lv->lo.value || lv->hi.value;
  if (start->value) {
    code_key(p, bound_key(start), start->affinity, 0, key + neq, exit_label);
    vdbe_add_op4_int(p->v, start->strict ? OP_SeekLT : OP_SeekLE, icur, exit_label, key, neq + 1);
  } else if (ranged && desc) { /* the last value before the NULLs */
    cg_op(p, OP_Null, 0, key + neq, 0);
    vdbe_add_op4_int(p->v, OP_SeekLT, icur, exit_label, key, neq + 1);
  } else if (neq) {
    vdbe_add_op4_int(p->v, OP_SeekLE, icur, exit_label, key, neq);
  } else {
    cg_op(p, OP_Last, icur, exit_label, 0);
  }
  int head = vdbe_current_addr(p->v);
  if (end->value) {
    code_key(p, bound_key(end), end->affinity, 0, stop + neq, exit_label);
    vdbe_add_op4_int(p->v, end->strict ? OP_IdxLE : OP_IdxLT, icur, exit_label, stop, neq + 1);
  } else if (ranged && !desc) { /* down to the NULLs */
    cg_op(p, OP_Null, 0, stop + neq, 0);
    vdbe_add_op4_int(p->v, OP_IdxLE, icur, exit_label, stop, neq + 1);
  } else if (neq) {
    vdbe_add_op4_int(p->v, OP_IdxLT, icur, exit_label, stop, neq);
  }
  if (!lv->covering) lookup_row(p, ix, icur, cursor, next_label);
  return head;
}

/* An index range: the equalities fix the leading columns, the bounds (in
** the index's order: a descending column starts at its high bound) cut the
** next one.  NULLs sort first in an ascending column and last in a
** descending one, and satisfy no comparison, so a range that is open
** towards them is closed with a NULL key.  Returns the loop head. */
static int open_index_range(Parse *p, CgLoops *l, int level, int cursor, int icur, int next_label, int exit_label) {
  const WhereLevel *lv = &l->plan.levels[level];
  const Index *ix = lv->index;
  int neq = lv->neq;
  int key = cg_regs(p, neq + 1), stop = cg_regs(p, neq + 1);
  if (lv->in_list) exit_label = open_in_list(p, l, level, lv, key + lv->in_col, exit_label);
  int desc = neq < ix->nkey && ix->cols[neq].desc;
  assert(!lv->nskip || !lv->reverse);
  if (lv->reverse) return open_index_range_reverse(p, lv, desc, cursor, icur, key, stop, next_label, exit_label);
  const WhereBound *start = desc ? &lv->hi : &lv->lo, *end = desc ? &lv->lo : &lv->hi;
  int past = exit_label; /* where the entries past the range lead */
  if (lv->nskip) {
    /* Skip-scan: the range below is sought for each value of the skipped
    ** columns in turn (cg_loops_close seeks past the value's entries), and
    ** the whole skip-scan runs again for each value of an IN list. */
    cg_op(p, OP_Rewind, icur, exit_label, 0);
    l->lv[level].skip_top = cg_op(p, OP_Column, icur, 0, key);
    for (int j = 1; j < lv->nskip; j++) cg_op(p, OP_Column, icur, j, key + j);
    l->lv[level].skip_n = lv->nskip;
    l->lv[level].skip_key = key;
    l->lv[level].skip_next = past = vdbe_make_label(p->v);
  }
  /* The stop key is the seek key itself unless a bound follows the equalities. */
  if (!end->value && !(desc && start->value)) stop = key;
  for (int j = 0; j < neq; j++) {
    if (j >= lv->nskip && (!lv->in_list || j != lv->in_col))
      code_key(p, lv->eq[j], lv->eq_affinity[j], lv->eq_is[j], key + j, exit_label);
    if (stop != key) cg_op(p, OP_SCopy, key + j, stop + j, 0);
  }
  if (l->lv[level].bloom_reg && !lv->nskip) filter_op(p, OP_Filter, l->lv[level].bloom_reg, exit_label, key, ix, neq);
  int nstop = neq, stop_op = OP_IdxGT;
  if (end->value) {
    code_key(p, bound_key(end), end->affinity, 0, stop + neq, exit_label);
    nstop = neq + 1;
    stop_op = end->strict ? OP_IdxGE : OP_IdxGT;
  } else if (desc && start->value) {
    cg_op(p, OP_Null, 0, stop + neq, 0);
    nstop = neq + 1;
    stop_op = OP_IdxGE;
  }
  if (start->value) {
    code_key(p, bound_key(start), start->affinity, 0, key + neq, exit_label);
    vdbe_add_op4_int(p->v, start->strict ? OP_SeekGT : OP_SeekGE, icur, exit_label, key, neq + 1);
  } else if (!desc && end->value) {
    cg_op(p, OP_Null, 0, key + neq, 0);
    vdbe_add_op4_int(p->v, OP_SeekGT, icur, exit_label, key, neq + 1);
  } else if (neq > 0) {
    vdbe_add_op4_int(p->v, OP_SeekGE, icur, exit_label, key, neq);
  } else { /* INDEXED BY with nothing to narrow: the whole index */
    cg_op(p, OP_Rewind, icur, exit_label, 0);
  }
  int head = vdbe_current_addr(p->v);
  if (nstop > 0) vdbe_add_op4_int(p->v, stop_op, icur, past, stop, nstop);
  if (!lv->covering) lookup_row(p, ix, icur, cursor, next_label);
  return head;
}

/* A multi-index OR: each disjunct's lookup runs in turn, and each rowid it
** finds that no earlier disjunct found (a transient b-tree of them, which
** the last disjunct only reads) runs the level's body as a subroutine,
** which cg_loops_close ends with a return; so the rows come in the order
** SQLite's loop finds them, without being gathered first.  Returns the
** loop head (-1: the body is no loop's). */
static int open_multi_or(Parse *p, CgLoops *l, int lv, ScopeItem *it, int rowid_only) {
  int cursor = it->cursor;
  const WhereLevel *level = &l->plan.levels[lv];
  int found = l->lv[lv].icur, rowid = cg_reg(p), rec = cg_reg(p);
  int body = vdbe_make_label(p->v);
  KeyInfo *k = keyinfo_new(1);
  if (!k || vdbe_add_op4(p->v, OP_OpenEphemeral, found, 1, 0, P4_KEYINFO, k, 0) < 0) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return -1;
  }
  l->lv[lv].or_ret = cg_reg(p);
  l->lv[lv].or_done = vdbe_make_label(p->v);
  for (int j = 0; j < level->nor; j++) {
    const WhereLevel *s = &level->or_levels[j];
    int done = vdbe_make_label(p->v), next = done, head = -1;
    CgLoops *sub = NULL;
    if (s->kind == WLOOP_ROWID_EQ && s->in_list) {
      /* A rowid IN list: a seek for each of its distinct values in turn. */
      if (!(sub = arena_alloc(&p->arena, sizeof *sub)) || !(sub->lv = arena_alloc(&p->arena, sizeof(CgLevel)))) {
        cg_error(p, LODE_NOMEM, "out of memory");
        return -1;
      }
      sub->plan.levels[0] = *s;
      sub->lv[0].in_sorter = -1;
      int value = cg_reg(p);
      next = open_in_list(p, sub, 0, s, value, done);
      cg_op(p, OP_SeekRowid, cursor, next, value);
      cg_op(p, OP_Rowid, cursor, rowid, 0);
    } else if (s->kind == WLOOP_ROWID_EQ) {
      cg_seek_rowid(p, cursor, s->key, done);
      cg_op(p, OP_Rowid, cursor, rowid, 0);
    } else if (s->kind == WLOOP_ROWID_RANGE) {
      next = vdbe_make_label(p->v);
      head = open_rowid_range(p, s, l->lv[lv].or_icur[j], done);
      cg_op(p, OP_Rowid, l->lv[lv].or_icur[j], rowid, 0);
    } else {
      if (!(sub = arena_alloc(&p->arena, sizeof *sub))) {
        cg_error(p, LODE_NOMEM, "out of memory");
        return -1;
      }
      sub->plan.levels[0] = *s;
      sub->plan.levels[0].covering = 1; /* only the rowid is read here */
      if (!(sub->lv = arena_alloc(&p->arena, sizeof(CgLevel)))) {
        cg_error(p, LODE_NOMEM, "out of memory");
        return -1;
      }
      sub->lv[0].in_sorter = -1;
      next = vdbe_make_label(p->v);
      head = open_index_range(p, sub, 0, cursor, l->lv[lv].or_icur[j], next, done);
      cg_op(p, OP_IdxRowid, l->lv[lv].or_icur[j], rowid, 0);
    }
    vdbe_add_op4_int(p->v, OP_Found, found, next, rowid, 1); /* found by an earlier disjunct */
    if (j < level->nor - 1) {
      cg_op(p, OP_MakeRecord, rowid, 1, rec);
      cg_op(p, OP_IdxInsert, found, rec, 0);
    }
    cg_op(p, OP_Gosub, l->lv[lv].or_ret, body, 0);
    if (s->kind == WLOOP_ROWID_EQ && s->in_list) { /* the list's next value */
      vdbe_resolve_label(p->v, next);
      cg_op(p, sub->lv[0].in_step, sub->lv[0].in_sorter, sub->lv[0].in_top, 0);
    } else if (sub || s->kind == WLOOP_ROWID_RANGE) { /* a walk: its next entry */
      vdbe_resolve_label(p->v, next);
      cg_op(p, OP_Next, l->lv[lv].or_icur[j], head, 0);
      if (sub && sub->lv[0].in_sorter >= 0) {
        vdbe_resolve_label(p->v, sub->lv[0].in_next);
        cg_op(p, sub->lv[0].in_step, sub->lv[0].in_sorter, sub->lv[0].in_top, 0);
      }
    }
    vdbe_resolve_label(p->v, done);
  }
  /* Past the lookups: on to what follows the level.  A body entered
  ** otherwise (a LEFT JOIN's row of NULLs) returns there too. */
  cg_op(p, OP_Integer, vdbe_current_addr(p->v) + 1, l->lv[lv].or_ret, 0);
  cg_op(p, OP_Goto, 0, l->lv[lv].or_done, 0);
  vdbe_resolve_label(p->v, body);
  if (rowid_only) it->rowid_reg_only = rowid;
  else cg_op(p, OP_SeekRowid, cursor, l->lv[lv].next, rowid);
  return -1;
}

/* Whether a multi-index OR level needs no more of its rows than their
** rowids: the query reads no column of the item outside WHERE, and every
** WHERE term that reads the item is decided by the level's lookups (as
** SQLite's deferred seek then never reads the row). */
static int multi_or_rowid_only(const CgLoops *l, const ScopeItem *it, int lv, int outer) {
  const WhereLevel *level = &l->plan.levels[lv];
  if (outer || !it->cols_known || !it->cols_beyond_known || it->cols_beyond_where || it->vtab || it->sorter >= 0)
    return 0;
  for (int j = 0; j < l->n; j++) /* a RIGHT join's second pass gives the item a row of NULLs */
    if (l->lv[j].rj_set >= 0) return 0;
  for (int k = 0; k < l->plan.nterm; k++) {
    const WhereTerm *t = &l->plan.terms[k];
    if ((t->mask >> level->item) & 1 && !(t->consumed && t->level == lv)) return 0;
  }
  return 1;
}

/* A level that visits every entry of its table or index (the loops
** sqlite3_stmt_status counts as SQLITE_STMTSTATUS_FULLSCAN_STEP). */
static int is_full_scan(const WhereLevel *level) {
  if (level->kind == WLOOP_SCAN) return 1;
  return level->kind == WLOOP_INDEX && !level->autoindex && level->neq == 0 && !level->in_list && !level->lo.value &&
         !level->hi.value;
}

/* The terms that keep a row out of level's automatic index when it is
** PARTIAL: false → skip. */
static void code_partial_terms(Parse *p, const WherePlan *wp, const WhereLevel *level, int skip) {
  for (int j = 0; j < level->npartial; j++) cg_jump_if_false(p, wp->terms[level->partial[j]].expr, skip);
}

/* An automatic index: a transient b-tree (cursor icur) filled with the
** entry of every row of its table that passes the level's partial terms
** (read through the item's cursor, which the terms read). */
static void build_autoindex(Parse *p, const WherePlan *wp, const WhereLevel *level, int tcur, int icur, int filter) {
  const Index *ix = level->index;
  KeyInfo *k = cg_index_keyinfo(p, ix);
  if (!k) return;
  /* A statement that only reads sees the same table all along: the index
  ** is built once, however often this level (a correlated subquery's, or
  ** an inner loop's) starts again.  One that writes may change the table. */
  int built = vdbe_make_label(p->v);
  if (!p->writes) cg_op(p, OP_Once, 0, built, 0);
  if (vdbe_add_op4(p->v, OP_OpenAutoindex, icur, ix->ncols, 0, P4_KEYINFO, k, 0) < 0) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  int key = cg_regs(p, ix->ncols), rec = cg_reg(p), done = vdbe_make_label(p->v), next = vdbe_make_label(p->v);
  RowSource src = {ix->table, tcur, 0, 0};
  if (filter) cg_op(p, OP_FilterInit, filter, 0, 0);
  cg_op(p, OP_Rewind, tcur, done, 0);
  int top = vdbe_current_addr(p->v);
  code_partial_terms(p, wp, level, next);
  cg_index_key(p, ix, &src, ix->ncols, key);
  if (filter) filter_op(p, OP_FilterAdd, filter, 0, key, ix, level->neq);
  cg_op(p, OP_MakeRecord, key, ix->ncols, rec);
  cg_op(p, OP_IdxInsert, icur, rec, 0);
  vdbe_resolve_label(p->v, next);
  vdbe_set_p5(p->v, cg_op(p, OP_Next, tcur, top, 0), VDBE_STATUS_AUTOINDEX);
  vdbe_resolve_label(p->v, done);
  vdbe_resolve_label(p->v, built);
}

/* An automatic index on a FROM subquery's kept rows (built at each run of
** the loops: the subquery is made again then), of those that pass the
** level's partial terms.  Its last key column, the rowid of a table's, is
** the row's number, so that equal rows stay apart. */
static void build_subquery_autoindex(Parse *p, const WherePlan *wp, const WhereLevel *level, const ScopeItem *it,
                                     int icur, int filter) {
  const Index *ix = level->index;
  KeyInfo *k = cg_index_keyinfo(p, ix);
  if (!k) return;
  if (vdbe_add_op4(p->v, OP_OpenAutoindex, icur, ix->ncols, 0, P4_KEYINFO, k, 0) < 0) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  int key = cg_regs(p, ix->ncols), rec = cg_reg(p), one = cg_reg(p), done = vdbe_make_label(p->v);
  int next = vdbe_make_label(p->v);
  assert(ix->ncols > 0 && ix->cols[ix->ncols - 1].cid == XN_ROWID);
  cg_op(p, OP_Integer, 0, key + ix->ncols - 1, 0);
  cg_op(p, OP_Integer, 1, one, 0);
  if (filter) cg_op(p, OP_FilterInit, filter, 0, 0);
  cg_op(p, OP_SorterSort, it->sorter, done, 0);
  int top = cg_op(p, OP_SorterData, it->sorter, it->rec_reg, 0);
  code_partial_terms(p, wp, level, next);
  for (int j = 0; j + 1 < ix->ncols; j++) cg_code_column(p, it->table, it->cursor, ix->cols[j].cid, key + j);
  if (filter) filter_op(p, OP_FilterAdd, filter, 0, key, ix, level->neq);
  cg_op(p, OP_Add, one, key + ix->ncols - 1, key + ix->ncols - 1);
  cg_op(p, OP_MakeRecord, key, ix->ncols, rec);
  cg_op(p, OP_IdxInsert, icur, rec, 0);
  vdbe_resolve_label(p->v, next);
  vdbe_set_p5(p->v, cg_op(p, OP_SorterNext, it->sorter, top, 0), VDBE_STATUS_AUTOINDEX);
  vdbe_resolve_label(p->v, done);
}

/* Whether e's value may differ from one row of the outer loops (or outer
** queries) to the next for the same row of its item: it holds a subquery, or
** reads a column of an enclosing query or a value handed in a register. */
static int varies_outside(const Expr *e) {
  if (!e) return 0;
  if (e->select || e->kind == EXPR_REGISTER) return 1;
  if (e->kind == EXPR_COLUMN && (!e->bound || e->bind_depth != 0)) return 1;
  if (varies_outside(e->left) || varies_outside(e->right) || varies_outside(e->escape)) return 1;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (varies_outside(e->args->items[i])) return 1;
  return 0;
}

/* The Bloom filter of a level's lookup into its table: the key (rowid, or
** the index columns its equalities fix) of every row that passes the terms
** reading only the item, which the level tests on each row it finds (an
** outer join's item: its ON terms only; a WHERE term is tested after the
** row of NULLs is decided).  Terms whose answer could change between the
** build and the lookups (a subquery, a column of an enclosing query, a
** non-deterministic function) are left out: the filter then holds more
** keys, never fewer. */
static void build_table_filter(Parse *p, CgLoops *l, const PlanItem *items, int lv) {
  const WhereLevel *level = &l->plan.levels[lv];
  const ScopeItem *it = &p->scope->items[level->item];
  int item = level->item, outer = items[item].join_type == JOIN_LEFT;
  int filter = l->lv[lv].bloom_reg = cg_reg(p), built = vdbe_make_label(p->v);
  int done = vdbe_make_label(p->v), next = vdbe_make_label(p->v);
  if (!p->writes) cg_op(p, OP_Once, 0, built, 0);
  cg_op(p, OP_FilterInit, filter, 0, 0);
  cg_op(p, OP_Rewind, it->cursor, done, 0);
  int top = vdbe_current_addr(p->v);
  for (int k = 0; k < l->plan.nterm; k++) {
    const WhereTerm *t = &l->plan.terms[k];
    if (t->mask != ((uint64_t)1 << item) || (outer ? t->on_item != item : t->on_item >= 0)) continue;
    if (varies_outside(t->expr) || cg_has_nondeterministic(p, t->expr)) continue;
    cg_jump_if_false(p, t->expr, next);
  }
  if (level->kind == WLOOP_ROWID_EQ) {
    int key = cg_reg(p);
    cg_op(p, OP_Rowid, it->cursor, key, 0);
    filter_op(p, OP_FilterAdd, filter, 0, key, NULL, 1);
  } else {
    RowSource src = {it->table, it->cursor, 0, 0};
    int key = cg_regs(p, level->neq);
    cg_index_key(p, level->index, &src, level->neq, key);
    filter_op(p, OP_FilterAdd, filter, 0, key, level->index, level->neq);
  }
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_Next, it->cursor, top, 0);
  vdbe_resolve_label(p->v, done);
  vdbe_resolve_label(p->v, built);
}

/* The levels whose filters SQLite builds, and so shows, before level lv's loop. */
static void explain_filters(Parse *p, const CgLoops *l, const PlanItem *items, int lv) {
  char detail[300];
  if (!p->explain_plan) return;
  for (int j = lv; j < l->n; j++) {
    if (!l->plan.levels[j].bloom || l->plan.levels[j].bloom_at != lv) continue;
    plan_describe_bloom(&l->plan, items, j, detail, sizeof detail);
    cg_explain_step(p, "%s", detail);
  }
}

/* ---- RIGHT and FULL joins ------------------------------------------------------ */

/* Registers of the key that names the row of level lv's item: its row key,
** or for a FROM subquery its number in the scan; the count into *nkey. */
static int match_key(Parse *p, const CgLoops *l, int lv, int *nkey) {
  const ScopeItem *it = &p->scope->items[l->plan.levels[lv].item];
  if (l->lv[lv].rj_count) {
    *nkey = 1;
    return l->lv[lv].rj_count;
  }
  *nkey = cg_row_key_len(it->table);
  int key = cg_regs(p, *nkey);
  cg_row_key_of_row(p, it->table, it->cursor, key);
  return key;
}

static void count_row(Parse *p, int reg) {
  int one = cg_reg(p);
  cg_op(p, OP_Integer, 1, one, 0);
  cg_op(p, OP_Add, one, reg, reg);
}

/* A RIGHT or FULL join's level: the set of matched rows, opened empty
** before the loops, and the labels and registers of its second pass. */
static void open_right_join(Parse *p, CgLoops *l, const PlanItem *items, int lv) {
  const WhereLevel *level = &l->plan.levels[lv];
  int jt = items[level->item].join_type;
  if (jt != JOIN_RIGHT && jt != JOIN_FULL) return;
  const ScopeItem *it = &p->scope->items[level->item];
  int counted = it->sorter >= 0 || it->vtab; /* rows named by their number in the scan */
  int nkey = counted ? 1 : cg_row_key_len(it->table);
  KeyInfo *k = keyinfo_new(nkey);
  l->lv[lv].rj_set = cg_cursor(p);
  if (!k || vdbe_add_op4(p->v, OP_OpenEphemeral, l->lv[lv].rj_set, nkey, 0, P4_KEYINFO, k, 0) < 0) {
    keyinfo_free(k);
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  l->lv[lv].rj_body = vdbe_make_label(p->v);
  l->lv[lv].rj_end = vdbe_make_label(p->v);
  l->lv[lv].rj_back = vdbe_make_label(p->v);
  l->lv[lv].rj_flag = cg_reg(p);
  cg_op(p, OP_Integer, 0, l->lv[lv].rj_flag, 0);
  if (counted) l->lv[lv].rj_count = cg_reg(p);
  if (!l->rj_start) l->rj_start = vdbe_make_label(p->v);
}

/* The row of level lv matched its ON clause: its key joins the set. */
static void note_match(Parse *p, CgLoops *l, int lv) {
  int nkey, rec = cg_reg(p), known = vdbe_make_label(p->v);
  int key = match_key(p, l, lv, &nkey);
  vdbe_add_op4_int(p->v, OP_Found, l->lv[lv].rj_set, known, key, nkey);
  cg_op(p, OP_MakeRecord, key, nkey, rec);
  cg_op(p, OP_IdxInsert, l->lv[lv].rj_set, rec, 0);
  vdbe_resolve_label(p->v, known);
}

/* After the loops: every row of level lv's item that never matched, with
** the items of the levels before it reading NULLs, through the level's body
** (WHERE terms, inner levels, the caller's row code). */
static void unmatched_pass(Parse *p, CgLoops *l, int lv) {
  const WhereLevel *level = &l->plan.levels[lv];
  const ScopeItem *it = &p->scope->items[level->item];
  int saved = p->explain_parent;
  p->explain_parent = cg_explain_step(p, "RIGHT-JOIN %s", it->name);
  cg_explain_step(p, "SCAN %s", it->name);
  p->explain_parent = saved;
  for (int k = 0; k < lv; k++) {
    const ScopeItem *o = &p->scope->items[l->plan.levels[k].item];
    if (o->sorter >= 0) {
      cg_null_subquery_row(p, o);
      if (l->plan.levels[k].kind == WLOOP_INDEX) cg_op(p, OP_NullRow, l->lv[k].icur, 0, 0);
      continue;
    }
    cg_op(p, OP_NullRow, o->cursor, 0, 0);
    if (l->plan.levels[k].kind == WLOOP_INDEX) cg_op(p, OP_NullRow, l->lv[k].icur, 0, 0);
  }
  cg_op(p, OP_Integer, 1, l->lv[lv].rj_flag, 0);
  int end = vdbe_make_label(p->v), top, nkey;
  /* A covering index is what the body reads the item from: scan that. */
  int cursor = level->kind == WLOOP_INDEX && level->covering ? l->lv[lv].icur : it->cursor;
  if (it->vtab) { /* the same scan again: a module gives the same rows in the same order */
    cg_op(p, OP_Integer, 0, l->lv[lv].rj_count, 0);
    top = cg_vtab_scan(p, l, lv, end);
    count_row(p, l->lv[lv].rj_count);
  } else if (l->lv[lv].rj_count) {
    cg_op(p, OP_Integer, 0, l->lv[lv].rj_count, 0);
    cg_op(p, OP_SorterSort, it->sorter, end, 0);
    top = cg_op(p, OP_SorterData, it->sorter, it->rec_reg, 0);
    count_row(p, l->lv[lv].rj_count);
  } else {
    top = cg_op(p, OP_Rewind, cursor, end, 0) + 1;
  }
  int key = match_key(p, l, lv, &nkey);
  vdbe_add_op4_int(p->v, OP_Found, l->lv[lv].rj_set, l->lv[lv].rj_back, key, nkey);
  cg_op(p, OP_Goto, 0, l->lv[lv].rj_body, 0);
  vdbe_resolve_label(p->v, l->lv[lv].rj_back);
  if (it->vtab) cg_op(p, OP_VNext, it->cursor, top, 0);
  else if (l->lv[lv].rj_count) cg_op(p, OP_SorterNext, it->sorter, top, 0);
  else cg_op(p, OP_Next, cursor, top, 0);
  vdbe_resolve_label(p->v, end);
  cg_op(p, OP_Integer, 0, l->lv[lv].rj_flag, 0);
}

/* PlanParams.value: the value bound to parameter i of the program this
** compile replaces (ctx: the statement's Vdbe), if any. */
static const Mem *plan_param_value(void *ctx, int i) { return vdbe_plan_value(ctx, i); }

/* PlanParams.probe: the program keeps what it needs to tell whether a new
** value of the parameters would compare otherwise with ix's samples. */
static void plan_param_probe(void *ctx, const Index *ix, const Mem *key, const int *param, int nfield) {
  const Mem *samples[256];
  int sample_n[256], coll[PLAN_MAX_KEY + 1] = {0}, desc[PLAN_MAX_KEY + 1] = {0};
  char aff[PLAN_MAX_KEY + 1] = {0};
  Vdbe *v = ctx;
  int nsample = ix->nsample < 256 ? ix->nsample : 256;
  if (nfield > PLAN_MAX_KEY + 1) nfield = PLAN_MAX_KEY + 1;
  for (int s = 0; s < nsample; s++) {
    samples[s] = ix->samples[s].vals;
    sample_n[s] = ix->samples[s].nvals;
  }
  for (int n = 0; n < nfield; n++) {
    int cid = ix->cols[n].cid;
    coll[n] = ix->cols[n].coll;
    desc[n] = ix->cols[n].desc;
    aff[n] = cid == XN_ROWID || (cid >= 0 && cid == ix->table->ipk) ? AFF_INTEGER
             : cid >= 0 && cid < ix->table->ncols                    ? ix->table->cols[cid].affinity
                                                                     : AFF_NONE;
  }
  /* Out of memory: every bind of a parameter compiles the statement again. */
  if (vdbe_plan_probe(v, nfield, nsample, samples, sample_n, coll, desc, aff, param, key) != LODE_OK)
    for (int n = 0; n < nfield; n++)
      if (param[n] > 0) vdbe_plan_uses(v, param[n] >= 64 ? (uint64_t)1 << 63 : (uint64_t)1 << (param[n] - 1));
}

/* PlanParams.varies: the call of a function that is not deterministic. */
static int plan_varies(void *ctx, const Expr *e) { return cg_has_nondeterministic(ctx, e); }

/* Which of like() and glob() are still the built-ins (an application may
** have replaced them): the planner narrows index ranges by their prefixes
** only then. */
static int same_function(const FuncDef *a, const FuncDef *b) {
  return a->scalar == b->scalar && a->user_data == b->user_data && a->nargs == b->nargs;
}

static int builtin_pattern_functions(Parse *p) {
  int opts = 0, exists;
  /* The same answer for every loop of the statement: asked once. */
  if (p->root && p->root->pattern_opts) return p->root->pattern_opts - 1;
  const FuncDef *f = func_lookup(p->db->funcs, "like", 2, &exists);
  /* PRAGMA case_sensitive_like registers a copy of one of the two built-ins */
  const FuncDef *nocase = func_like_def(0, 2), *exact = func_like_def(1, 2);
  if (f && (f == func_find("like", 2, &exists) || same_function(f, nocase) || same_function(f, exact)))
    opts |= PLAN_LIKE_BUILTIN;
  if (f && same_function(f, exact)) opts |= PLAN_LIKE_CASE;
  f = func_lookup(p->db->funcs, "glob", 2, &exists);
  if (f && f == func_find("glob", 2, &exists)) opts |= PLAN_GLOB_BUILTIN;
  if (p->root) p->root->pattern_opts = opts + 1;
  return opts;
}

/* PRAGMA reverse_unordered_selects: the scans of tables and indexes (whole
** or over a range) run from their end, as SQLite's do, so that results that
** depend on an unspecified order show it. */
static void reverse_scans(const PlanItem *items, WherePlan *plan) {
  for (int i = 0; i < plan->nlevel; i++) {
    WhereLevel *lv = &plan->levels[i];
    if (items[lv->item].is_subquery || lv->in_list || lv->autoindex || lv->nskip) continue;
    if (lv->kind == WLOOP_SCAN || lv->kind == WLOOP_ROWID_RANGE || lv->kind == WLOOP_INDEX) lv->reverse = 1;
  }
}

/* A scalar subquery of one column, written as an operand. */
static int scalar_operand(const Expr *e) {
  return e && e->kind == EXPR_SUBQUERY && !e->subquery_column && e->select && e->select->columns &&
         e->select->columns->n == 1 && e->select->columns->items[0]->kind != EXPR_STAR;
}

/* The IN (SELECT ...) terms among e's AND-ed terms, and the scalar
** subqueries compared in them, for the planner. */
static void note_uncorrelated(Parse *p, const Expr *e) {
  if (!e || p->rc != LODE_OK) return;
  if (e->kind == EXPR_BINARY && e->op == TK_AND) {
    note_uncorrelated(p, e->left);
    note_uncorrelated(p, e->right);
    return;
  }
  /* The tree is the statement's own: only the analysis is written. */
  if (e->kind == EXPR_IN_SELECT) {
    cg_note_uncorrelated(p, (Expr *)e);
    return;
  }
  int cmp = (e->kind == EXPR_BINARY && (e->op == TK_EQ || e->op == TK_LT || e->op == TK_LE || e->op == TK_GT ||
                                        e->op == TK_GE)) ||
            e->kind == EXPR_IS || e->kind == EXPR_BETWEEN;
  if (!cmp || cg_is_vector_op(p, e)) return;
  if (scalar_operand(e->left)) cg_note_uncorrelated(p, e->left);
  if (scalar_operand(e->right)) cg_note_uncorrelated(p, e->right);
  for (int i = 0; e->kind == EXPR_BETWEEN && e->args && i < e->args->n; i++)
    if (scalar_operand(e->args->items[i])) cg_note_uncorrelated(p, e->args->items[i]);
}

void cg_note_uncorrelated_terms(Parse *p, const SrcList *from, const Expr *where) {
  int reverse = p->loops_reverse; /* a subquery coded on trial sets its own */
  note_uncorrelated(p, where);
  for (int i = 0; from && i < from->n; i++) note_uncorrelated(p, from->items[i].on);
  /* The WHERE of each EXISTS subquery joined to the query (once, with the query's own terms). */
  const Scope *sc = p->scope;
  for (int i = sc ? sc->n : 0; sc && i < sc->n + sc->nexists; i++)
    code_exists_term(p, i, sc->items[i].exists_where, 0, 1);
  p->loops_reverse = reverse;
}

/* The register of the SELECT's OFFSET when the one loop may skip its rows
** as soon as it is on them: rows in their final order (no sort, or the one
** asked for), a plain table's level that every WHERE term of which its
** access path decides, so that each row it stands on is a result row. */
static int offset_in_loop(Parse *p, const CgLoops *l, const PlanItem *items, int n, int norder) {
  if (!p->loops_offset || n != 1 || (norder && !l->plan.order_satisfied) || items[0].is_subquery ||
      items[0].is_vtab || l->idxm)
    return 0;
  const WhereLevel *lv = &l->plan.levels[0];
  if (lv->kind == WLOOP_MULTI_OR || lv->kind == WLOOP_ROWID_EQ || lv->autoindex) return 0;
  for (int k = 0; k < l->plan.nterm; k++)
    if (!l->plan.terms[k].consumed) return 0;
  return p->loops_offset;
}

/* Where a scan of level lv's table goes when it finds the table empty.  In an
** inner join no row of the loops around it can then be produced, so the
** scan ends them all, as SQLite's does: up to the nearest outer join's level
** (its NULL row still comes), else past every loop.  A table that is empty
** once is empty for the whole statement (its scan reads nothing else), so
** this holds for every row of the outer loops; with a RIGHT or FULL JOIN,
** or for the loop's own outer join, the scan only ends its own loop. */
static int empty_table_exit(const CgLoops *l, const PlanItem *items, int lv, int exit_label, int done_label) {
  if (lv == 0 || l->rj_start) return exit_label;
  int jt = items[l->plan.levels[lv].item].join_type;
  if (jt == JOIN_LEFT || jt == JOIN_FULL || jt == JOIN_RIGHT || l->lv[lv].rj_set >= 0) return exit_label;
  for (int j = lv - 1; j >= 0; j--) {
    int t = items[l->plan.levels[j].item].join_type;
    if (t == JOIN_LEFT || t == JOIN_FULL) return l->lv[j].nomatch;
    if (t == JOIN_RIGHT || l->lv[j].rj_set >= 0) return exit_label;
  }
  return done_label;
}

/* WHERE terms that read no table of the loops ("? = 5", and "x IN ()", which
** the parser made a constant) are tested once, before the loops, as SQLite
** tests them: false ends the query before any row is read. */
static void test_constant_terms(Parse *p, WherePlan *wp, int done_label) {
  for (int k = 0; k < wp->nterm; k++) {
    WhereTerm *t = &wp->terms[k];
    if (t->consumed || t->on_item >= 0 || t->on_of >= 0) continue;
    const Expr *e = t->expr;
    /* a subquery may read anything; a call like random() may change from row to row */
    if (t->mask != 0 || cg_expr_has_subquery(e) || cg_has_nondeterministic(p, e)) continue;
    cg_jump_if_false(p, e, done_label);
    t->consumed = 1;
  }
}

int cg_loops_open(Parse *p, const SrcList *from, const Expr *where, const PlanOrder *order, int norder, CgLoops *l,
                  int done_label) {
  const Scope *scope = p->scope;
  int n = scope ? scope->n + scope->nexists : 0; /* the FROM items, then the joined EXISTS tables */
  /* Read before a subquery is coded on trial: its own SELECT sets them. */
  int sort_kind = norder ? p->loops_sort : 0;
  int64_t limit = p->loops_limit;
  int minmax = p->loops_minmax;
  /* The plan's levels are cleared only as far as this query has them. */
  size_t after_plan = offsetof(CgLoops, plan) + sizeof l->plan;
  plan_clear(&l->plan, n);
  memset(l, 0, offsetof(CgLoops, plan));
  memset((char *)l + after_plan, 0, sizeof *l - after_plan);
  l->lv = arena_alloc(&p->arena, sizeof(CgLevel) * (size_t)(n > 0 ? n : 1));
  if (!l->lv) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return done_label;
  }
  for (int i = 0; i < (n > 0 ? n : 1); i++) l->lv[i].in_sorter = l->lv[i].rj_set = -1;
  l->explain_search = minmax;
  bind_where_names(p, from, where);
  if (from && p->rc == LODE_OK) check_on_clauses(p, from);
  cg_note_uncorrelated_terms(p, from, where);
  if (p->rc != LODE_OK) return done_label;
  PlanItem *items = n ? arena_alloc(&p->arena, sizeof(PlanItem) * (size_t)n) : NULL;
  if (n && !items) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return done_label;
  }
  for (int i = 0; i < n; i++) {
    const ScopeItem *it = &scope->items[i];
    int joined = i >= scope->n; /* an EXISTS subquery's table: its WHERE is its ON clause */
    items[i].table = it->table;
    items[i].name = it->explain_name ? it->explain_name : it->name;
    items[i].is_subquery = it->sorter >= 0 || it->vtab;
    items[i].is_vtab = it->vtab != NULL;
    items[i].est_rows = it->sorter >= 0 && !it->vtab ? it->est_rows : 0;
    items[i].col_affs = it->sorter >= 0 ? it->col_affs : NULL;
    items[i].prereq = it->vtab ? cg_vtab_prereq(p, i) : 0;
    items[i].join_type = from && !joined ? from->items[i].join_type : 0;
    items[i].on = joined ? it->exists_where : from ? join_condition(p, &from->items[i]) : NULL;
    items[i].exists = joined;
    items[i].indexed_by = it->indexed_by;
    items[i].not_indexed = it->not_indexed;
    items[i].cols_known = it->cols_known;
    items[i].cols_used = it->cols_used;
    items[i].cols_beyond_known = it->cols_beyond_known;
    items[i].cols_beyond_where = it->cols_beyond_where;
    items[i].no_autoindex = !p->db->settings[CONN_SET_AUTOMATIC_INDEX];
    items[i].unread_outside = !joined && it->unread_outside && it->cols_known;
  }
  /* A FROM subquery run as a co-routine gives its rows once: it is the
  ** outermost loop, whatever the join order puts around it. */
  for (int i = 0; i < scope->n && i < n; i++)
    if (scope->items[i].co_yield)
      for (int j = 0; j < n; j++)
        if (j != i && !items[j].exists) items[j].prereq |= (uint64_t)1 << i;
  /* An index method that answers the query yields the rowids; the WHERE
  ** terms it does not answer are checked on each row, as on a scan. */
  int via_idxm = n == 1 && !scope->items[0].vtab && scope->items[0].sorter < 0 &&
                 cg_idxm_plan(p, &items[0], order, norder, &where, l);
  if (p->rc != LODE_OK) return done_label;
  if (via_idxm) items[0].is_subquery = 1;
  int qpsg = p->db->qpsg; /* no bound value read, none noted */
  PlanParams params = {qpsg ? NULL : plan_param_value, qpsg ? NULL : plan_param_probe, p->root ? p->root->v : p->v, 0,
                       plan_varies, p,
                       sort_kind, order, norder, limit};
  /* What LIKE and GLOB are matters to terms only: none, no lookup of them. */
  int has_terms = where != NULL;
  for (int i = 0; i < n && !has_terms; i++) has_terms = items[i].on != NULL;
  int rc = plan_where(&p->arena, items, n, where, has_terms ? builtin_pattern_functions(p) : 0, &params, &l->plan);
  if (rc != LODE_OK) {
    cg_error(p, rc, rc == LODE_NOMEM ? "out of memory" : n > PLAN_MAX_ITEMS ? "at most 64 tables in a join" : "no query solution");
    return done_label;
  }
  /* A function's arguments its scan cannot take become terms of the WHERE
  ** (SQLite's): the plan is made again with them. */
  const Expr *late = NULL;
  for (int lv = 0; lv < n && !via_idxm && p->rc == LODE_OK; lv++) {
    int item = l->plan.levels[lv].item;
    if (scope->items[item].vtab && scope->items[item].vtab_args) {
      uint64_t before = 0;
      for (int k = 0; k < lv; k++)
        if (l->plan.levels[k].item < 64) before |= (uint64_t)1 << l->plan.levels[k].item;
      Expr *terms = cg_vtab_late_args(p, item, before);
      if (terms) late = late ? cg_and(p, late, terms) : terms;
    }
  }
  if (p->rc != LODE_OK) return done_label;
  if (late) {
    where = where ? cg_and(p, where, late) : late;
    rc = plan_where(&p->arena, items, n, where, builtin_pattern_functions(p), &params, &l->plan);
    if (rc != LODE_OK) return cg_error(p, rc, rc == LODE_NOMEM ? "out of memory" : "no query solution"), done_label;
  }
  n = l->plan.nlevel; /* a LEFT JOIN that adds nothing has no level */
  /* Binding a parameter an estimate read compiles the statement again. */
  if (!qpsg) vdbe_plan_uses(p->root ? p->root->v : p->v, params.used);
  if (norder) plan_order_by(items, order, norder, &l->plan);
  if (!norder && p->loops_reverse) reverse_scans(items, &l->plan);
  if (via_idxm) l->plan.order_satisfied = l->idxm_ordered;
  if (!via_idxm) plan_bloom_filters(items, &l->plan);
  l->n = n;
  l->order = order;
  l->norder = norder;
  if (n > 0) test_constant_terms(p, &l->plan, done_label);
  for (int lv = 0; lv < n; lv++) { /* index cursors open once, before the loops */
    const WhereLevel *level = &l->plan.levels[lv];
    if (level->kind == WLOOP_MULTI_OR) {
      l->lv[lv].icur = cg_cursor(p); /* the rowids found */
      if (!(l->lv[lv].or_icur = arena_alloc(&p->arena, sizeof(int) * (size_t)level->nor))) {
        cg_error(p, LODE_NOMEM, "out of memory");
        return done_label;
      }
      for (int j = 0; j < level->nor; j++) {
        const Index *ix = level->or_levels[j].kind == WLOOP_INDEX ? level->or_levels[j].index : NULL;
        int range = level->or_levels[j].kind == WLOOP_ROWID_RANGE;
        l->lv[lv].or_icur[j] = ix || range ? cg_cursor(p) : -1;
        if (range) /* a walk of the table of its own: the level's cursor goes to each row found */
          cg_open_table(p, scope->items[level->item].table, l->lv[lv].or_icur[j], OP_OpenRead);
        if (!ix) continue;
        KeyInfo *k = cg_index_keyinfo(p, ix);
        if (!k) return done_label;
        int addr = vdbe_add_op4(p->v, OP_OpenRead, l->lv[lv].or_icur[j], (int)ix->root, 0, P4_KEYINFO, k, 0);
        if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
        else vdbe_set_comment(p->v, addr, "%s", ix->name);
        vdbe_set_op_db(p->v, addr, ix->table->db);
      }
      continue;
    }
    if (level->kind != WLOOP_INDEX) continue;
    l->lv[lv].icur = cg_cursor(p);
    if (level->autoindex) {
      const ScopeItem *it = &scope->items[level->item];
      if (level->bloom) l->lv[lv].bloom_reg = cg_reg(p);
      if (it->sorter >= 0) build_subquery_autoindex(p, &l->plan, level, it, l->lv[lv].icur, l->lv[lv].bloom_reg);
      else build_autoindex(p, &l->plan, level, it->cursor, l->lv[lv].icur, l->lv[lv].bloom_reg);
      continue;
    }
    KeyInfo *k = cg_index_keyinfo(p, level->index);
    if (!k) return done_label;
    int addr = vdbe_add_op4(p->v, OP_OpenRead, l->lv[lv].icur, (int)level->index->root, 0, P4_KEYINFO, k, 0);
    if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
    else vdbe_set_comment(p->v, addr, "%s", level->index->name);
    vdbe_set_op_db(p->v, addr, level->index->table->db);
  }
  for (int lv = 0; lv < n; lv++) /* table filters, once the cursors are open */
    if (l->plan.levels[lv].bloom && !l->plan.levels[lv].autoindex) build_table_filter(p, l, items, lv);
  for (int lv = 0; lv < n; lv++) open_right_join(p, l, items, lv);
  l->early_offset = offset_in_loop(p, l, items, n, norder);
  p->early_offset = l->early_offset;
  if (n == 0) { /* no FROM: the row is produced once, if WHERE holds, in any order asked for */
    l->plan.order_satisfied = 1;
    code_terms(p, &l->plan, 0, -1, done_label);
    return done_label;
  }
  for (int lv = 0; lv < n; lv++) {
    const WhereLevel *level = &l->plan.levels[lv];
    const ScopeItem *it = &scope->items[level->item];
    int exit_label = lv > 0 ? l->lv[lv - 1].after : l->rj_start ? l->rj_start : done_label;
    int join_type = items[level->item].join_type;
    int is_left = join_type == JOIN_LEFT || join_type == JOIN_FULL, is_rj = l->lv[lv].rj_set >= 0;
    l->lv[lv].next = vdbe_make_label(p->v);
    l->lv[lv].cont = is_rj ? l->lv[lv].rj_end : l->lv[lv].next;
    /* An EXISTS table's loop ends once the loops inside it are done with its first row that reaches them. */
    l->lv[lv].after = items[level->item].exists ? exit_label : l->lv[lv].cont;
    if (it->vtab) cg_vtab_explain(p, l, lv, is_left);
    else if (l->idxm && p->explain_plan) cg_explain_step(p, "QUERY INDEX METHOD %s", l->idxm_name);
    else if (!l->idxm) {
      explain_filters(p, l, items, lv);
      explain_level(p, l, items, lv);
    }
    if (l->lv[lv].rj_count) cg_op(p, OP_Integer, 0, l->lv[lv].rj_count, 0);
    if (is_left) {
      l->lv[lv].left = cg_reg(p);
      l->lv[lv].nomatch = vdbe_make_label(p->v);
      cg_op(p, OP_Integer, 0, l->lv[lv].left, 0);
      exit_label = l->lv[lv].nomatch;
    }
    if (l->idxm) { /* the rowids an index method yields, in the ORDER BY's order */
      int args = cg_regs(p, l->idxm_nargs ? l->idxm_nargs : 1), rowid = cg_reg(p);
      l->idxm_cursor = cg_cursor(p);
      int open = vdbe_add_op4(p->v, OP_IdxmOpen, l->idxm_cursor, 0, 0, P4_IDXM, l->idxm, 0);
      if (open < 0) cg_error(p, LODE_NOMEM, "out of memory");
      else vdbe_set_op_db(p->v, open, it->table->db);
      l->idxm = NULL; /* the op owns it */
      for (int i = 0; i < l->idxm_nargs; i++) cg_expr(p, l->idxm_args[i], args + i);
      int q = vdbe_add_op4_int(p->v, OP_IdxmQuery, l->idxm_cursor, exit_label, args, l->idxm_nargs);
      if (q >= 0) vdbe_set_p5(p->v, q, (uint16_t)l->idxm_pattern);
      l->lv[lv].head = cg_op(p, OP_IdxmRowid, l->idxm_cursor, rowid, 0);
      /* The method's rowids name rows of the table (its index is exact); a
      ** query that reads nothing else of the row needs no seek.  An outer
      ** join's NULL row is read through the cursor, so it keeps the seek. */
      if (l->idxm_rowid_only && !is_left && !is_rj && join_type != JOIN_RIGHT) ((ScopeItem *)it)->rowid_reg_only = rowid;
      else cg_op(p, OP_SeekRowid, it->cursor, l->lv[lv].next, rowid);
      for (int i = 0; i < l->idxm_ncols; i++) cg_op(p, OP_IdxmColumn, l->idxm_cursor, l->idxm_col[i], l->idxm_col_reg[i]);
    } else if (level->kind == WLOOP_ROWID_EQ && level->in_list) {
      int rowid = cg_reg(p);
      int next_value = open_in_list(p, l, lv, level, rowid, exit_label);
      cg_op(p, OP_SeekRowid, it->cursor, next_value, rowid);
      l->lv[lv].head = -1;
    } else if (level->kind == WLOOP_ROWID_EQ && l->lv[lv].bloom_reg) {
      int r = cg_expr_reg(p, level->key);
      cg_op4_str(p, OP_Affinity, r, 1, 0, "C"); /* as cg_seek_rowid: the key the seek would look for */
      filter_op(p, OP_Filter, l->lv[lv].bloom_reg, exit_label, r, NULL, 1);
      cg_op(p, OP_SeekRowid, it->cursor, exit_label, r);
      l->lv[lv].head = -1;
    } else if (level->kind == WLOOP_ROWID_EQ) {
      cg_seek_rowid(p, it->cursor, level->key, exit_label);
      l->lv[lv].head = -1;
    } else if (level->kind == WLOOP_ROWID_RANGE) {
      l->lv[lv].head = open_rowid_range(p, level, it->cursor, exit_label);
    } else if (level->kind == WLOOP_MULTI_OR) {
      l->lv[lv].head = open_multi_or(p, l, lv, (ScopeItem *)it, multi_or_rowid_only(l, it, lv, is_left || is_rj));
    } else if (level->kind == WLOOP_INDEX) {
      l->lv[lv].head = open_index_range(p, l, lv, it->cursor, l->lv[lv].icur, l->lv[lv].next, exit_label);
      if (plan_level_one_row(level)) l->lv[lv].head = -1; /* its one entry, and no step past it */
      if (level->covering) { /* the item's columns are read from the index */
        ScopeItem *w = (ScopeItem *)it;
        w->cover = level->index;
        w->cover_cursor = l->lv[lv].icur;
      }
    } else if (it->vtab) {
      l->lv[lv].head = cg_vtab_scan(p, l, lv, exit_label);
    } else if (it->co_yield) { /* a co-routine: each Yield brings its next row, the outermost loop's only pass */
      /* EXISTS tables' loops (whose bodies run once at most) may come before it. */
      for (int k = 0; k < lv; k++)
        if (!items[l->plan.levels[k].item].exists)
          cg_error(p, LODE_INTERNAL, "co-routine %s is not the outermost loop", it->name);
      l->lv[lv].head = cg_op(p, OP_Yield, it->co_yield, exit_label, 0);
    } else if (it->sorter >= 0) { /* FROM subquery: each pass starts from its first row */
      cg_op(p, OP_SorterSort, it->sorter, exit_label, 0);
      l->lv[lv].head = cg_op(p, OP_SorterData, it->sorter, it->rec_reg, 0);
    } else {
      int halt = empty_table_exit(l, items, lv, exit_label, done_label);
      l->lv[lv].head = cg_op(p, level->reverse ? OP_Last : OP_Rewind, it->cursor, halt, 0) + 1;
    }
    if (l->lv[lv].rj_count) count_row(p, l->lv[lv].rj_count);
    if (is_left || is_rj) code_terms(p, &l->plan, lv, level->item, l->lv[lv].next);
    if (is_rj) note_match(p, l, lv);
    if (is_left) {
      l->lv[lv].body = vdbe_current_addr(p->v);
      cg_op(p, OP_Integer, 1, l->lv[lv].left, 0);
    }
    if (is_rj) vdbe_resolve_label(p->v, l->lv[lv].rj_body);
    code_terms(p, &l->plan, lv, -1, l->lv[lv].cont);
    if (p->early_offset) { /* no row lookup took it: the row is skipped before it is read */
      cg_op(p, OP_IfPos, p->early_offset, l->lv[lv].cont, 1);
      p->early_offset = 0;
    }
  }
  return l->lv[n - 1].after;
}

void cg_loops_close(Parse *p, CgLoops *l, int done_label) {
  const Scope *scope = p->scope;
  for (int lv = l->n - 1; lv >= 0; lv--) {
    const ScopeItem *it = &scope->items[l->plan.levels[lv].item];
    int outer_next = lv > 0 ? l->lv[lv - 1].after : l->rj_start ? l->rj_start : done_label;
    if (l->lv[lv].rj_set >= 0) { /* the body's end: back to the second pass while it runs */
      vdbe_resolve_label(p->v, l->lv[lv].rj_end);
      cg_op(p, OP_If, l->lv[lv].rj_flag, l->lv[lv].rj_back, 0);
    }
    /* An EXISTS table's row reached the end of the loops inside it: the loop is done. */
    if (l->lv[lv].after != l->lv[lv].cont) cg_op(p, OP_Goto, 0, l->lv[lv].after, 0);
    vdbe_resolve_label(p->v, l->lv[lv].next);
    if (l->lv[lv].or_ret) { /* a multi-index OR's body ends: back to its lookups */
      cg_op(p, OP_Return, l->lv[lv].or_ret, 0, 0);
      vdbe_resolve_label(p->v, l->lv[lv].or_done);
    }
    if (l->lv[lv].head >= 0) {
      if (it->co_yield) cg_op(p, OP_Goto, 0, l->lv[lv].head, 0);
      else if (it->sorter >= 0 && l->plan.levels[lv].kind != WLOOP_INDEX)
        cg_op(p, OP_SorterNext, it->sorter, l->lv[lv].head, 0);
      else if (l->idxm_cursor && lv == 0) cg_op(p, OP_IdxmNext, l->idxm_cursor, l->lv[lv].head, 0);
      else if (it->vtab) cg_op(p, OP_VNext, it->cursor, l->lv[lv].head, 0);
      else {
        const WhereLevel *level = &l->plan.levels[lv];
        int kind = level->kind;
        int c = kind == WLOOP_INDEX || kind == WLOOP_MULTI_OR ? l->lv[lv].icur : it->cursor;
        int at = cg_op(p, level->reverse ? OP_Prev : OP_Next, c, l->lv[lv].head, 0);
        if (is_full_scan(level)) vdbe_set_p5(p->v, at, VDBE_STATUS_FULLSCAN_STEP);
      }
    }
    if (l->lv[lv].skip_next) { /* skip-scan: past this value of the skipped columns, to the next one */
      int after = vdbe_make_label(p->v);
      vdbe_resolve_label(p->v, l->lv[lv].skip_next);
      vdbe_add_op4_int(p->v, OP_SeekGT, l->lv[lv].icur, after, l->lv[lv].skip_key, l->lv[lv].skip_n);
      cg_op(p, OP_Goto, 0, l->lv[lv].skip_top, 0);
      vdbe_resolve_label(p->v, after);
    }
    if (l->lv[lv].in_sorter >= 0) {
      vdbe_resolve_label(p->v, l->lv[lv].in_next);
      cg_op(p, l->lv[lv].in_step, l->lv[lv].in_sorter, l->lv[lv].in_top, 0);
    }
    if (l->lv[lv].left) {
      vdbe_resolve_label(p->v, l->lv[lv].nomatch);
      cg_op(p, OP_If, l->lv[lv].left, outer_next, 0);
      if (it->sorter >= 0) {
        cg_null_subquery_row(p, it); /* no row: NULLs */
        if (l->plan.levels[lv].kind == WLOOP_INDEX) cg_op(p, OP_NullRow, l->lv[lv].icur, 0, 0);
      } else {
        /* A lookup may have left the cursors on some row: make them read NULLs. */
        cg_op(p, OP_NullRow, it->cursor, 0, 0);
        if (l->plan.levels[lv].kind == WLOOP_INDEX) cg_op(p, OP_NullRow, l->lv[lv].icur, 0, 0);
      }
      cg_op(p, OP_Goto, 0, l->lv[lv].body, 0);
    }
  }
  if (l->rj_start) {
    vdbe_resolve_label(p->v, l->rj_start);
    for (int lv = 0; lv < l->n; lv++)
      if (l->lv[lv].rj_set >= 0) unmatched_pass(p, l, lv);
  }
  /* Past the loops the index cursors mean nothing: code after them (the
  ** second pass of UPDATE/DELETE) reads the table. */
  for (int lv = 0; lv < l->n; lv++) {
    ScopeItem *w = &scope->items[l->plan.levels[lv].item];
    w->cover = NULL;
    w->rowid_reg_only = 0;
  }
}
