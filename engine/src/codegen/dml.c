/*
** dml.c — INSERT, UPDATE and DELETE to bytecode.
**
** What each statement changes: the rows INSERT makes from VALUES, SELECT
** or defaults; the rows UPDATE and DELETE find through WHERE.
**
** Every row change (the checks, the table write and, with indexes, their
** entries) goes through cg_row_change (rowchange.c).
**
** UPDATE and DELETE run in two passes: first the keys of matching rows (the
** rowid, or a WITHOUT ROWID table's PRIMARY KEY values) are collected in a
** sorter, then each row is visited by its key.  This keeps the scan from
** seeing rows the statement itself moved or changed.
*/
#include <string.h>

#include "codegen/cg.h"
#include "sql/parser.h"

/* AUTOINCREMENT: while an INSERT runs, the largest rowid the table has
** had is kept in a register (seq), read from the table's sqlite_sequence
** row first and written back at the end, as SQLite does: the row is written
** even when nothing was inserted, and a rowid counts once it is chosen, so a
** row that OR IGNORE then skips still moves seq on. */
typedef struct AutoInc {
  int cursor; /* write cursor on sqlite_sequence, -1: the table has no AUTOINCREMENT */
  int name;   /* register: the table's name, followed by */
  int seq;    /* register: the largest rowid so far */
  int rowid;  /* register: the rowid of the table's sqlite_sequence row, NULL when it has none */
} AutoInc;

static void autoinc_begin(Parse *p, const Table *t, AutoInc *a) {
  a->cursor = -1;
  if (!t->autoinc) return;
  const Table *seq = schema_find_table(p->db->schema, SEQUENCE_NAME);
  if (!seq || seq->without_rowid) {
    cg_error(p, LODE_CORRUPT, "malformed database schema (%s) - no %s table", t->name, SEQUENCE_NAME);
    return;
  }
  a->cursor = cg_cursor(p);
  a->name = cg_regs(p, SEQUENCE_NCOLS); /* the row to write back: name, seq */
  a->seq = a->name + 1;
  a->rowid = cg_reg(p);
  int col = cg_reg(p), done = vdbe_make_label(p->v), next = vdbe_make_label(p->v);
  if (vdbe_add_op4_int(p->v, OP_OpenWrite, a->cursor, (int)seq->root, 0, SEQUENCE_NCOLS) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  cg_op(p, OP_Integer, 0, a->seq, 0);
  cg_op(p, OP_Null, 0, a->rowid, 0);
  cg_op4_str(p, OP_String8, (int)strlen(t->name), a->name, 0, t->name);
  cg_op(p, OP_Rewind, a->cursor, done, 0);
  int top = vdbe_current_addr(p->v);
  cg_op(p, OP_Column, a->cursor, 0, col);
  int addr = vdbe_add_op4_int(p->v, OP_Ne, a->name, next, col, COLL_BINARY);
  if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_JUMPIFNULL);
  cg_op(p, OP_Rowid, a->cursor, a->rowid, 0);
  cg_op(p, OP_Column, a->cursor, 1, a->seq);
  cg_op(p, OP_Goto, 0, done, 0);
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_Next, a->cursor, top, 0);
  vdbe_resolve_label(p->v, done);
}

/* A rowid the statement gave: seq = max(seq, rowid). */
static void autoinc_step(Parse *p, const AutoInc *a, int rowid_reg) {
  int keep = vdbe_make_label(p->v);
  if (a->cursor < 0) return;
  cg_op(p, OP_Ge, rowid_reg, keep, a->seq);
  cg_op(p, OP_Copy, rowid_reg, a->seq, 0);
  vdbe_resolve_label(p->v, keep);
}

static void autoinc_end(Parse *p, const AutoInc *a) {
  if (a->cursor < 0) return;
  int rec = cg_reg(p), have = vdbe_make_label(p->v);
  cg_op(p, OP_NotNull, a->rowid, have, 0);
  cg_op(p, OP_NewRowid, a->cursor, 0, a->rowid);
  vdbe_resolve_label(p->v, have);
  cg_op(p, OP_MakeRecord, a->name, SEQUENCE_NCOLS, rec);
  cg_op(p, OP_Insert, a->cursor, rec, a->rowid);
  cg_op(p, OP_Close, a->cursor, 0, 0);
}

/* Rowid for a new row: the value given for it (the INTEGER PRIMARY KEY or a
** rowid/oid/_rowid_ column of the INSERT, in register given; 0 if none) when
** not NULL, else a fresh one. */
static void code_new_rowid(Parse *p, int cursor, int given, int rowid_reg, const AutoInc *a) {
  int seq = a->cursor >= 0 ? a->seq : 0;
  if (given) {
    int fresh = vdbe_make_label(p->v), done = vdbe_make_label(p->v);
    cg_op(p, OP_IsNull, given, fresh, 0);
    cg_op(p, OP_SCopy, given, rowid_reg, 0);
    cg_op(p, OP_MustBeInt, rowid_reg, 0, 0);
    autoinc_step(p, a, rowid_reg);
    cg_op(p, OP_Goto, 0, done, 0);
    vdbe_resolve_label(p->v, fresh);
    cg_op(p, OP_NewRowid, cursor, seq, rowid_reg);
    vdbe_resolve_label(p->v, done);
  } else {
    cg_op(p, OP_NewRowid, cursor, seq, rowid_reg);
  }
}

static int is_rowid_name(const char *z) {
  return util_stricmp(z, "rowid") == 0 || util_stricmp(z, "oid") == 0 || util_stricmp(z, "_rowid_") == 0;
}

/* Maps each table column to its position in the INSERT column list (-1);
** map[ncols] is the position of a rowid named by rowid/oid/_rowid_ in a table
** whose rowid is no column (-1 if not named). */
static int *insert_column_map(Parse *p, const Stmt *st, const Table *t, int nvalues) {
  int *map = arena_alloc(&p->arena, sizeof(int) * (size_t)(t->ncols + 1));
  int i, j;
  if (!map) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  map[t->ncols] = -1;
  if (!st->columns) { /* the values of the columns that are not generated, in order */
    if (nvalues != t->ncols - t->ngenerated) {
      cg_error(p, LODE_ERROR, "table %s has %d columns but %d values were supplied", t->name,
               t->ncols - t->ngenerated, nvalues);
      return NULL;
    }
    for (i = 0, j = 0; i < t->ncols; i++) map[i] = t->cols[i].generated ? -1 : j++;
    return map;
  }
  if (nvalues != st->ncolumns) {
    cg_error(p, LODE_ERROR, "%d values for %d columns", nvalues, st->ncolumns);
    return NULL;
  }
  for (i = 0; i < t->ncols; i++) map[i] = -1;
  for (j = 0; j < st->ncolumns; j++) {
    int c = table_column_index(t, st->columns[j]);
    if (c < 0 && !t->without_rowid && is_rowid_name(st->columns[j])) c = t->ipk >= 0 ? t->ipk : t->ncols;
    if (c < 0) {
      cg_error(p, LODE_ERROR, "table %s has no column named %s", t->name, st->columns[j]);
      return NULL;
    }
    if (c < t->ncols && t->cols[c].generated) {
      cg_error(p, LODE_ERROR, "cannot INSERT into generated column \"%s\"", t->cols[c].name);
      return NULL;
    }
    map[c] = j;
  }
  return map;
}

/* Inserts the values in vals[0..nvalues) (registers) as one row. */
static void insert_one_row(Parse *p, const Stmt *st, const Table *t, int cursor, int idx, const int *map, int vals,
                           const AutoInc *a, const UpsertInfo *upsert, const Returning *ret) {
  int regs = cg_regs(p, t->ncols), rowid_reg = cg_reg(p);
  int skip = vdbe_make_label(p->v);
  int i, given = 0;
  for (i = 0; i < t->ncols; i++) {
    if (map[i] >= 0) cg_op(p, OP_SCopy, vals + map[i], regs + i, 0);
    else if (i != t->ipk) cg_literal_default(p, &t->cols[i], regs + i);
  }
  if (t->ipk >= 0 && map[t->ipk] >= 0) given = regs + t->ipk;
  else if (map[t->ncols] >= 0) given = vals + map[t->ncols];
  if (!t->without_rowid) code_new_rowid(p, cursor, given, rowid_reg, a);
  RowChange rc = {.kind = ROW_INSERT, .table = t, .cursor = cursor, .regs = regs, .new_rowid = rowid_reg,
                  .rowid_given = given != 0, .on_conflict = st->on_conflict, .skip = skip,
                  .flags = t->without_rowid ? OPFLAG_NCHANGE : OPFLAG_NCHANGE | OPFLAG_LASTROWID, .idx_cursor = idx,
                  .upsert = upsert, .returning = ret};
  cg_row_change(p, &rc);
  vdbe_resolve_label(p->v, skip);
}

static void insert_from_select(Parse *p, const Stmt *st, const Table *t, int cursor, int idx, const AutoInc *a,
                               const UpsertInfo *upsert, const Returning *ret) {
  /* Materialise the SELECT first so that it cannot see its own inserts. */
  SelectDest dest;
  KeyInfo *k = util_zalloc(sizeof *k);
  int sorter = cg_cursor(p), pseudo = cg_cursor(p), rec = cg_reg(p);
  int end = vdbe_make_label(p->v), top, vals, i;
  int *map;
  if (!k) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  if (vdbe_add_op4(p->v, OP_SorterOpen, sorter, 0, 0, P4_KEYINFO, k, 0) < 0) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  memset(&dest, 0, sizeof dest);
  dest.kind = DEST_SORTER;
  dest.cursor = sorter;
  cg_select(p, st->insert_select, &dest);
  if (p->rc != LODE_OK) return;
  map = insert_column_map(p, st, t, dest.ncols);
  if (!map) return;
  cg_op(p, OP_OpenPseudo, pseudo, rec, dest.ncols);
  cg_op(p, OP_SorterSort, sorter, end, 0);
  top = cg_op(p, OP_SorterData, sorter, rec, 0);
  vals = cg_regs(p, dest.ncols);
  for (i = 0; i < dest.ncols; i++) cg_op(p, OP_Column, pseudo, i, vals + i);
  insert_one_row(p, st, t, cursor, idx, map, vals, a, upsert, ret);
  cg_op(p, OP_SorterNext, sorter, top, 0);
  vdbe_resolve_label(p->v, end);
}

/* A single-row INSERT whose checks all run before its first write (no REPLACE
** that deletes other rows, no upsert, no RETURNING, no index whose key is an
** expression or whose partial condition could fail once the row is written)
** changes all or nothing by itself: like SQLite's, it needs no statement
** savepoint.  An I/O error after its first write rolls the transaction back
** (vdbe_txn_end), as SQLite does for a statement without a statement journal. */
static int insert_is_single_write(Parse *p, const Stmt *st, const Table *t, const UpsertInfo *upsert) {
  if (st->insert_select || upsert || st->returning || (!st->default_values && st->nrows != 1)) return 0;
  if (cg_fk_involves(p, t)) return 0; /* foreign key checks and counters */
  if (st->on_conflict == ONCONFLICT_REPLACE) return 0;
  if (st->on_conflict == ONCONFLICT_UNSET && t->ipk_conflict == ONCONFLICT_REPLACE) return 0;
  for (const Index *ix = t->indexes; ix; ix = ix->next) {
    if (ix->where) return 0;
    if (st->on_conflict == ONCONFLICT_UNSET && ix->on_conflict == ONCONFLICT_REPLACE) return 0;
    for (int i = 0; i < ix->ncols; i++)
      if (ix->cols[i].cid == XN_EXPR) return 0;
  }
  return 1;
}

void cg_insert(Parse *p, const Stmt *st) {
  Table *t = cg_find_writable_table(p, st->table);
  int cursor, r, i;
  if (!t) return;
  p->writes = 1;
  const UpsertInfo *upsert = cg_upsert_analyze(p, st, t);
  if (p->rc != LODE_OK) return;
  p->single_write = insert_is_single_write(p, st, t, upsert);
  cg_begin_program(p);
  cursor = cg_cursor(p);
  cg_open_table(p, t, cursor, OP_OpenWrite);
  int idx = cg_open_indexes(p, t, OP_OpenWrite);
  AutoInc autoinc;
  autoinc_begin(p, t, &autoinc);
  p->fk_single_row = !st->insert_select && (st->default_values || st->nrows == 1);
  const Returning *ret = cg_returning_begin(p, st, t);
  if (st->insert_select) {
    insert_from_select(p, st, t, cursor, idx, &autoinc, upsert, ret);
  } else if (st->default_values) {
    int *map = arena_alloc(&p->arena, sizeof(int) * (size_t)(t->ncols + 1));
    if (!map) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    for (i = 0; i <= t->ncols; i++) map[i] = -1;
    insert_one_row(p, st, t, cursor, idx, map, 0, &autoinc, NULL, ret);
  } else {
    for (r = 0; r < st->nrows && p->rc == LODE_OK; r++) {
      const ExprList *row = st->rows[r];
      int *map = insert_column_map(p, st, t, row->n);
      int vals;
      if (!map) return;
      if (r > 0 && row->n != st->rows[0]->n) {
        cg_error(p, LODE_ERROR, "all VALUES must have the same number of terms");
        return;
      }
      vals = cg_regs(p, row->n);
      for (i = 0; i < row->n; i++) cg_expr(p, row->items[i], vals + i);
      insert_one_row(p, st, t, cursor, idx, map, vals, &autoinc, upsert, ret);
    }
  }
  autoinc_end(p, &autoinc);
  cg_returning_end(p, ret);
  cg_end_program(p);
}

/* Pass 1 of UPDATE/DELETE: the keys of the rows matching WHERE into a
** sorter.  Returns the sorter cursor. */
static int collect_row_keys(Parse *p, const Table *t, int cursor, const Expr *where) {
  int nkey = cg_row_key_len(t);
  /* With foreign keys the rows go in key order, as in SQLite (which of
  ** them a RESTRICT or a cascade meets first depends on it). */
  int sorted = cg_fk_involves(p, t) ? nkey : 0;
  KeyInfo *k = sorted ? cg_row_keyinfo(p, t) : keyinfo_new(0);
  int sorter = cg_cursor(p), key = cg_regs(p, nkey), rec = cg_reg(p);
  int done = vdbe_make_label(p->v);
  if (!k || vdbe_add_op4(p->v, OP_SorterOpen, sorter, sorted, 0, P4_KEYINFO, k, 0) < 0) cg_error(p, LODE_NOMEM, "oom");
  CgLoops *loops = arena_alloc(&p->arena, sizeof *loops);
  if (!loops) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return sorter;
  }
  cg_loops_open(p, NULL, where, NULL, 0, loops, done);
  cg_row_key_of_row(p, t, cursor, key);
  cg_op(p, OP_MakeRecord, key, nkey, rec);
  cg_op(p, OP_SorterInsert, sorter, rec, 0);
  cg_loops_close(p, loops, done);
  vdbe_resolve_label(p->v, done);
  return sorter;
}

/* Pass 2 frame: positions `cursor` on each collected row in turn, its key
** in registers from l->key.  The body goes between begin_row_loop and
** end_row_loop. */
typedef struct RowLoop {
  int sorter, pseudo, rec, key, top, next, end;
} RowLoop;

static void begin_row_loop(Parse *p, RowLoop *l, const Table *t, int sorter, int cursor) {
  int nkey = cg_row_key_len(t);
  l->sorter = sorter;
  l->pseudo = cg_cursor(p);
  l->rec = cg_reg(p);
  l->key = cg_regs(p, nkey);
  l->next = vdbe_make_label(p->v);
  l->end = vdbe_make_label(p->v);
  cg_op(p, OP_OpenPseudo, l->pseudo, l->rec, nkey);
  cg_op(p, OP_SorterSort, sorter, l->end, 0);
  l->top = cg_op(p, OP_SorterData, sorter, l->rec, 0);
  for (int j = 0; j < nkey; j++) cg_op(p, OP_Column, l->pseudo, j, l->key + j);
  cg_seek_row(p, t, cursor, l->key, l->next);
}

static void end_row_loop(Parse *p, RowLoop *l) {
  vdbe_resolve_label(p->v, l->next);
  cg_op(p, OP_SorterNext, l->sorter, l->top, 0);
  vdbe_resolve_label(p->v, l->end);
}

static Scope *single_table_scope(Parse *p, const Stmt *st, Table *t, int cursor, const char *alias) {
  Scope *s = arena_alloc(&p->arena, sizeof(Scope));
  if (!s || !(s->items = arena_alloc(&p->arena, sizeof(ScopeItem)))) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  s->n = 1;
  s->items[0].name = alias ? alias : t->name;
  s->items[0].table = t;
  s->items[0].cursor = cursor;
  s->items[0].sorter = -1;
  s->items[0].not_indexed = st->not_indexed;
  if (st->indexed_by && !(s->items[0].indexed_by = cg_find_index_of(p, t, st->indexed_by))) return NULL;
  return s;
}

/* Opens the table for writing and positions it on each row matching WHERE
** in turn (pass 2 of UPDATE/DELETE).  Returns the cursor, or -1 on error. */
static int begin_matching_rows(Parse *p, const Stmt *st, Table *t, RowLoop *loop, int *idx) {
  int cursor = cg_cursor(p), sorter;
  cg_open_table(p, t, cursor, OP_OpenWrite);
  *idx = cg_open_indexes(p, t, OP_OpenWrite);
  p->scope = single_table_scope(p, st, t, cursor, st->alias);
  if (!p->scope) return -1;
  sorter = collect_row_keys(p, t, cursor, st->where);
  begin_row_loop(p, loop, t, sorter, cursor);
  return cursor;
}

void cg_delete(Parse *p, const Stmt *st) {
  Table *t = cg_find_writable_table(p, st->table);
  int cursor;
  RowLoop loop;
  if (!t) return;
  p->writes = 1;
  cg_begin_program(p);
  int idx;
  const Returning *ret = cg_returning_begin(p, st, t);
  if (p->rc != LODE_OK) return;
  cursor = begin_matching_rows(p, st, t, &loop, &idx);
  if (cursor < 0) return;
  RowChange rc = {.kind = ROW_DELETE, .table = t, .cursor = cursor, .old_key = loop.key,
                  .on_conflict = ONCONFLICT_ABORT, .skip = loop.next, .flags = OPFLAG_NCHANGE, .idx_cursor = idx,
                  .returning = ret};
  cg_row_change(p, &rc);
  end_row_loop(p, &loop);
  p->scope = NULL;
  cg_returning_end(p, ret);
  cg_end_program(p);
}


int *cg_update_columns(Parse *p, const Table *t, const SetClause *set, int nset, const Expr **rowid_expr) {
  int *set_of = arena_alloc(&p->arena, sizeof(int) * (size_t)(t->ncols ? t->ncols : 1));
  int i;
  *rowid_expr = NULL;
  if (!set_of) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  for (i = 0; i < t->ncols; i++) set_of[i] = -1;
  for (i = 0; i < nset; i++) {
    int c = table_column_index(t, set[i].column);
    if (c < 0 && !t->without_rowid && is_rowid_name(set[i].column)) {
      *rowid_expr = set[i].value;
      continue;
    }
    if (c < 0) {
      cg_error(p, LODE_ERROR, "no such column: %s", set[i].column);
      return NULL;
    }
    if (t->cols[c].generated) {
      cg_error(p, LODE_ERROR, "cannot UPDATE generated column \"%s\"", t->cols[c].name);
      return NULL;
    }
    set_of[c] = i;
    if (c == t->ipk) *rowid_expr = set[i].value;
  }
  return set_of;
}

void cg_update_row(Parse *p, const UpdateRow *u) {
  const Table *t = u->table;
  int regs = cg_regs(p, t->ncols), i;
  /* New values are computed from the old row before anything is written. */
  for (i = 0; i < t->ncols; i++) {
    if (i == t->ipk || t->cols[i].generated) cg_op(p, OP_Null, 0, regs + i, 0); /* generated: computed later */
    else if (u->set_of[i] >= 0) cg_expr(p, u->set[u->set_of[i]].value, regs + i);
    else cg_code_column(p, (Table *)t, u->cursor, i, regs + i);
  }
  int new_rowid = u->old_key;
  if (u->rowid_expr) {
    new_rowid = cg_reg(p);
    cg_expr(p, u->rowid_expr, new_rowid);
    cg_op(p, OP_MustBeInt, new_rowid, 0, 0); /* NULL or text: "datatype mismatch", as in SQLite */
  }
  RowChange rc = {.kind = ROW_UPDATE, .table = t, .cursor = u->cursor, .old_key = u->old_key, .regs = regs,
                  .new_rowid = new_rowid, .rowid_given = u->rowid_expr != NULL, .on_conflict = u->on_conflict,
                  .skip = u->skip, .flags = OPFLAG_NCHANGE, .idx_cursor = u->idx_cursor, .returning = u->returning,
                  .set_of = u->set_of};
  cg_row_change(p, &rc);
}

void cg_update(Parse *p, const Stmt *st) {
  Table *t = cg_find_writable_table(p, st->table);
  const Expr *rowid_expr;
  RowLoop loop;
  if (!t) return;
  p->writes = 1;
  int *set_of = cg_update_columns(p, t, st->set, st->nset, &rowid_expr);
  if (!set_of) return;
  cg_begin_program(p);
  int idx;
  const Returning *ret = cg_returning_begin(p, st, t);
  if (p->rc != LODE_OK) return;
  int cursor = begin_matching_rows(p, st, t, &loop, &idx);
  if (cursor < 0) return;
  UpdateRow u = {.table = t, .cursor = cursor, .idx_cursor = idx, .old_key = loop.key, .set = st->set,
                 .set_of = set_of, .rowid_expr = rowid_expr, .on_conflict = st->on_conflict, .skip = loop.next,
                 .returning = ret};
  cg_update_row(p, &u);
  end_row_loop(p, &loop);
  p->scope = NULL;
  cg_returning_end(p, ret);
  cg_end_program(p);
}
