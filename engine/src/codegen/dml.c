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
#include <assert.h>
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
  int sync;   /* triggers may insert into the table too: the row is read and written at each new rowid */
} AutoInc;

static void autoinc_begin(Parse *p, const Table *t, AutoInc *a) {
  a->cursor = -1;
  if (!t->autoinc) return;
  const Table *seq = schema_find_table(cg_db_schema(p, t->db), SEQUENCE_NAME);
  /* An AUTOINCREMENT table whose sqlite_sequence is missing (a row that did
  ** not load under writable_schema) or is no table of two columns: SQLite
  ** calls the file corrupt. */
  if (!seq || seq->without_rowid || seq->ncols != SEQUENCE_NCOLS) {
    cg_error(p, LODE_CORRUPT, "database disk image is malformed");
    return;
  }
  a->cursor = cg_cursor(p);
  a->name = cg_regs(p, SEQUENCE_NCOLS); /* the row to write back: name, seq */
  a->seq = a->name + 1;
  a->rowid = cg_reg(p);
  int col = cg_reg(p), done = vdbe_make_label(p->v), next = vdbe_make_label(p->v);
  int open = vdbe_add_op4_int(p->v, OP_OpenWrite, a->cursor, (int)seq->root, 0, SEQUENCE_NCOLS);
  if (open < 0) cg_error(p, LODE_NOMEM, "out of memory");
  vdbe_set_op_db(p->v, open, t->db);
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

/* The table's sqlite_sequence row again, when triggers may have written it
** during the statement (their statements keep rows of their own): its
** rowid, and seq = max(seq, its value). */
static void autoinc_reread(Parse *p, const AutoInc *a) {
  int col = cg_reg(p), done = vdbe_make_label(p->v), next = vdbe_make_label(p->v);
  cg_op(p, OP_Null, 0, a->rowid, 0);
  cg_op(p, OP_Rewind, a->cursor, done, 0);
  int top = vdbe_current_addr(p->v);
  cg_op(p, OP_Column, a->cursor, 0, col);
  int addr = vdbe_add_op4_int(p->v, OP_Ne, a->name, next, col, COLL_BINARY);
  if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_JUMPIFNULL);
  cg_op(p, OP_Rowid, a->cursor, a->rowid, 0);
  cg_op(p, OP_Column, a->cursor, 1, col);
  cg_op(p, OP_Ge, col, done, a->seq);
  cg_op(p, OP_Copy, col, a->seq, 0);
  cg_op(p, OP_Goto, 0, done, 0);
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_Next, a->cursor, top, 0);
  vdbe_resolve_label(p->v, done);
}

static void autoinc_write(Parse *p, const AutoInc *a) {
  int rec = cg_reg(p), have = vdbe_make_label(p->v);
  cg_op(p, OP_NotNull, a->rowid, have, 0);
  cg_op(p, OP_NewRowid, a->cursor, 0, a->rowid);
  vdbe_resolve_label(p->v, have);
  cg_op(p, OP_MakeRecord, a->name, SEQUENCE_NCOLS, rec);
  cg_op(p, OP_Insert, a->cursor, rec, a->rowid);
}

static void autoinc_end(Parse *p, const AutoInc *a, int triggers) {
  if (a->cursor < 0) return;
  if (triggers) autoinc_reread(p, a);
  autoinc_write(p, a);
  cg_op(p, OP_Close, a->cursor, 0, 0);
}

/* With triggers, the statements of trigger programs insert into the same
** AUTOINCREMENT tables with sqlite_sequence rows of their own: each rowid
** is chosen from the row as it is (seq = max(seq, row)) and written back at
** once, so that no rowid is handed out twice, as SQLite's one shared
** counter guarantees. */
static void autoinc_sync_before(Parse *p, const AutoInc *a) {
  if (a->cursor >= 0 && a->sync) autoinc_reread(p, a);
}
static void autoinc_sync_after(Parse *p, const AutoInc *a) {
  if (a->cursor >= 0 && a->sync) autoinc_write(p, a);
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

/* Each column the INSERT names: map[c] the index of its value (-1 for the
** columns it does not name, map[ncols] for a rowid named apart from them).
** Returns 0 after an error. */
static int insert_named_columns(Parse *p, const Stmt *st, const Table *t, int *map) {
  for (int i = 0; i <= t->ncols; i++) map[i] = -1;
  for (int j = 0; j < st->ncolumns; j++) {
    int c = table_column_index(t, st->columns[j]);
    if (c < 0 && !t->without_rowid && cg_is_rowid_name(st->columns[j])) c = t->ipk >= 0 ? t->ipk : t->ncols;
    if (c < 0) {
      cg_error(p, LODE_ERROR, "table %s has no column named %s", t->name, st->columns[j]);
      return 0;
    }
    if (c < t->ncols && t->cols[c].generated) {
      cg_error(p, LODE_ERROR, "cannot INSERT into generated column \"%s\"", t->cols[c].name);
      return 0;
    }
    /* A column named twice takes its first value; the rowid its last (as SQLite). */
    if (map[c] < 0 || c == t->ipk || c == t->ncols) map[c] = j;
  }
  return 1;
}

/* The INSERT's column list checked before its values or SELECT are looked
** at, as SQLite does: an unknown name is the error even when the count of
** values is wrong too, and DEFAULT VALUES supplies no value for a list. */
static int insert_check_columns(Parse *p, const Stmt *st, const Table *t) {
  if (!st->columns) return 1;
  int *map = arena_alloc(&p->arena, sizeof(int) * (size_t)(t->ncols + 1));
  if (!map) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return 0;
  }
  if (!insert_named_columns(p, st, t, map)) return 0;
  if (st->default_values) {
    cg_error(p, LODE_ERROR, "0 values for %d columns", st->ncolumns);
    return 0;
  }
  return 1;
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
      cg_error(p, LODE_ERROR, "table %s has %d columns but %d values were supplied", cg_insert_target_label(p, st),
               t->ncols - t->ngenerated, nvalues);
      return NULL;
    }
    for (i = 0, j = 0; i < t->ncols; i++) map[i] = t->cols[i].generated ? -1 : j++;
    return map;
  }
  if (!insert_named_columns(p, st, t, map)) return NULL;
  if (nvalues != st->ncolumns) {
    cg_error(p, LODE_ERROR, "%d values for %d columns", nvalues, st->ncolumns);
    return NULL;
  }
  return map;
}

/* What every row of an INSERT shares. */
typedef struct InsertInfo {
  const Table *table;
  int cursor, idx;
  int on_conflict;
  const AutoInc *autoinc;
  const UpsertInfo *upsert;
  const Returning *returning;
  const TriggerSet *triggers;         /* INSERT triggers, or NULL */
  const TriggerSet *replace_triggers; /* DELETE triggers of rows REPLACE removes, or NULL */
} InsertInfo;

/* BEFORE INSERT triggers see the new rowid as SQLite gives it to them: the
** rowid value when one is given and not NULL (it must be an integer), else -1. */
static void before_insert_rowid(Parse *p, int given, int dst) {
  cg_op(p, OP_Integer, -1, dst, 0);
  if (!given) return;
  int done = vdbe_make_label(p->v);
  cg_op(p, OP_IsNull, given, done, 0);
  cg_op(p, OP_Copy, given, dst, 0);
  cg_op(p, OP_MustBeInt, dst, 0, 0);
  vdbe_resolve_label(p->v, done);
}

void cg_count_changes_begin(Parse *p, const Stmt *st, const char *what) {
  if (!p->db->settings[CONN_SET_COUNT_CHANGES] || p->trigger || st->returning) return;
  p->count_reg = cg_regs(p, 2);
  cg_op(p, OP_Integer, 0, p->count_reg, 0);
  cg_op(p, OP_Integer, 1, p->count_reg + 1, 0);
  cg_result_names(p, 1, &what);
}

void cg_count_change(Parse *p) {
  if (p->count_reg) cg_op(p, OP_Add, p->count_reg + 1, p->count_reg, p->count_reg);
}

void cg_count_changes_end(Parse *p) {
  if (p->count_reg) cg_op(p, OP_ResultRow, p->count_reg, 1, 0);
}

/* Inserts the values in vals[0..nvalues) (registers) as one row.  With
** placed != 0 the values of the mapped columns are already in the row's
** registers placed[0..ncols) (a VALUES row evaluated in place), and vals
** holds only the value that names the rowid of a table without an INTEGER
** PRIMARY KEY. */
static void insert_one_row(Parse *p, const InsertInfo *in, const int *map, int vals, int placed) {
  const Table *t = in->table;
  int regs = placed ? placed : cg_regs(p, t->ncols), rowid_reg = cg_reg(p);
  int skip = vdbe_make_label(p->v);
  int i, given = 0;
  for (i = 0; i < t->ncols; i++) {
    if (map[i] >= 0) {
      if (!placed) cg_op(p, OP_SCopy, vals + map[i], regs + i, 0);
    } else if (i != t->ipk) {
      cg_literal_default(p, t, &t->cols[i], regs + i);
    } else {
      cg_op(p, OP_Null, 0, regs + i, 0);
    }
  }
  if (t->ipk >= 0 && map[t->ipk] >= 0) given = regs + t->ipk;
  else if (map[t->ncols] >= 0) given = vals + map[t->ncols];
  int block = in->triggers ? cg_trigger_block(p, t) : 0;
  if (cg_triggers_have(in->triggers, TRIGGER_BEFORE)) {
    int nw = cg_trigger_new(t, block);
    cg_trigger_row_from_regs(p, t, regs, 0, nw);
    if (!t->without_rowid) before_insert_rowid(p, given, nw);
    cg_fire_triggers(p, in->triggers, TRIGGER_BEFORE, block, skip);
  }
  if (!t->without_rowid) {
    autoinc_sync_before(p, in->autoinc);
    code_new_rowid(p, in->cursor, given, rowid_reg, in->autoinc);
    autoinc_sync_after(p, in->autoinc);
  }
  RowChange rc = {.kind = ROW_INSERT, .table = t, .cursor = in->cursor, .regs = regs, .new_rowid = rowid_reg,
                  .rowid_given = given != 0, .on_conflict = in->on_conflict, .skip = skip,
                  .flags = t->without_rowid ? OPFLAG_NCHANGE : OPFLAG_NCHANGE | OPFLAG_LASTROWID,
                  .idx_cursor = in->idx, .upsert = in->upsert, .returning = in->returning,
                  .replace_triggers = in->replace_triggers};
  cg_row_change(p, &rc);
  cg_count_change(p);
  if (cg_triggers_have(in->triggers, TRIGGER_AFTER)) {
    cg_trigger_row_from_regs(p, t, regs, t->without_rowid ? 0 : rowid_reg, cg_trigger_new(t, block));
    cg_fire_triggers(p, in->triggers, TRIGGER_AFTER, block, skip);
  }
  vdbe_resolve_label(p->v, skip);
}

/* Whether the SELECT's code (ops from..to) opens a b-tree of t or runs an
** index method query: then its rows must be gathered before t changes. */
static int select_reads_table(Parse *p, int from, int to, const Table *t) {
  for (int a = from; a < to; a++) {
    const VdbeOp *op = vdbe_op_at(p->v, a);
    if (!op) return 1;
    if (op->opcode == OP_IdxmOpen) return 1;
    if ((op->opcode != OP_OpenRead && op->opcode != OP_OpenWrite) || op->db != t->db) continue;
    if ((uint32_t)op->p2 == t->root) return 1;
    for (const Index *ix = t->indexes; ix; ix = ix->next)
      if ((uint32_t)op->p2 == ix->root) return 1;
  }
  return 0;
}

/* ---- INSERT INTO t SELECT * FROM s between tables with generated columns ----
**
** SQLite copies the rows of "INSERT INTO t SELECT * FROM s" record by
** record when the two tables are alike (its transfer optimization), and
** then the "*" is not matched against t's columns: between tables with the
** same generated columns the statement works although "*" also yields the
** generated ones.  Where SQLite copies whether or not t is empty (t has an
** INTEGER PRIMARY KEY or no index, no unique index, its indexes fed by
** alike ones of s, CHECK constraints as s's; the conflict action is ABORT
** or ROLLBACK) the SELECT here reads s's ordinary columns in place of "*",
** which inserts the same rows; otherwise the statement is left as it is,
** and SQLite too reports the count of values (it compiles its ordinary
** insert for a t that is not empty). */

/* Whether a and b (generated-column expressions of ta and tb) are the same
** expression, columns compared by their place in their own table. */
static int same_generator(const Table *ta, const Expr *a, const Table *tb, const Expr *b) {
  if (!a || !b) return a == b;
  if (a->kind != b->kind || a->op != b->op || a->negated != b->negated || a->distinct != b->distinct ||
      a->star != b->star || a->select || b->select || a->filter || b->filter || a->over || b->over)
    return 0;
  if (a->kind == EXPR_COLUMN) {
    if (a->table || b->table || !a->text || !b->text) return 0;
    int ia = table_column_index(ta, a->text), ib = table_column_index(tb, b->text);
    return ia >= 0 && ia == ib;
  }
  if ((a->text == NULL) != (b->text == NULL)) return 0;
  if (a->text) {
    int nocase = a->kind == EXPR_FUNCTION || a->kind == EXPR_CAST || a->kind == EXPR_COLLATE;
    size_t n = (size_t)a->n;
    if (a->n != b->n || (nocase ? util_strnicmp(a->text, b->text, n) : memcmp(a->text, b->text, n))) return 0;
  }
  if (!same_generator(ta, a->left, tb, b->left) || !same_generator(ta, a->right, tb, b->right) ||
      !same_generator(ta, a->escape, tb, b->escape))
    return 0;
  if ((a->args == NULL) != (b->args == NULL) || (a->args && a->args->n != b->args->n)) return 0;
  for (int i = 0; a->args && i < a->args->n; i++)
    if (!same_generator(ta, a->args->items[i], tb, b->args->items[i])) return 0;
  return 1;
}

static const Expr *generator_of(Parse *p, const Table *t, int col) {
  Stmt *st = NULL;
  char *err = NULL, *sql = util_mprintf("SELECT %s", t->cols[col].gen_sql);
  if (sql) sql_parse(&p->arena, sql, -1, &st, NULL, &err);
  util_free(sql);
  util_free(err);
  if (!st || !st->select || !st->select->columns || st->select->columns->n != 1) return NULL;
  return st->select->columns->items[0];
}

static int same_text(const char *a, const char *b, int nocase) {
  if (!a || !b) return a == b;
  return nocase ? util_stricmp(a, b) == 0 : strcmp(a, b) == 0;
}

/* Whether t and s have the columns SQLite's transfer asks for: the same
** count, INTEGER PRIMARY KEY, affinities, collations, generators and
** defaults (the first column's aside), NOT NULL where t has it; and whether
** nothing else rules the transfer out (t STRICT and s not, t's foreign keys
** enforced, count_changes on). */
static int same_shape(Parse *p, const Table *t, const Table *s) {
  if (s == t || s->vtab_module || s->without_rowid != t->without_rowid || s->ncols != t->ncols || s->ipk != t->ipk)
    return 0;
  if ((t->strict && !s->strict) || t->method_indexes) return 0;
  if ((p->db->foreign_keys && t->fkeys) || p->db->settings[CONN_SET_COUNT_CHANGES]) return 0;
  for (int i = 0; i < t->ncols; i++) {
    const Column *a = &t->cols[i], *b = &s->cols[i];
    if (a->generated != b->generated || a->affinity != b->affinity || (a->not_null && !b->not_null)) return 0;
    if (!same_text(a->coll_name, b->coll_name, 1)) return 0;
    if (a->generated && !same_generator(t, generator_of(p, t, i), s, generator_of(p, s, i))) return 0;
    if (!a->generated && i > 0 && !same_text(a->default_sql, b->default_sql, 0)) return 0;
  }
  return 1;
}

static int same_index(const Table *t, const Index *a, const Table *s, const Index *b);
static int same_checks(Parse *p, const Table *t, const Table *s);

/* Whether SQLite copies s's records into t as they are, whatever t holds
** (see above). */
static int copies_records(Parse *p, const Table *t, const Table *s, int on_conflict) {
  if (!same_shape(p, t, s) || (t->ipk < 0 && t->indexes) || !same_checks(p, t, s)) return 0;
  for (const Index *a = t->indexes; a; a = a->next) {
    const Index *b = s->indexes;
    while (b && !same_index(t, a, s, b)) b = b->next;
    if (a->unique || !b) return 0;
  }
  if (on_conflict == ONCONFLICT_UNSET && t->ipk >= 0) on_conflict = t->ipk_conflict;
  if (on_conflict != ONCONFLICT_UNSET && on_conflict != ONCONFLICT_ABORT && on_conflict != ONCONFLICT_ROLLBACK)
    return 0;
  return 1;
}

/* s when sel is "SELECT * FROM s" of a table s, as SQLite's transfer asks
** (one FROM item, no WHERE, GROUP BY, ORDER BY, LIMIT, DISTINCT or
** compound), else NULL. */
static const Table *star_source(Parse *p, const Select *sel) {
  if (sel->with || sel->distinct || sel->where || sel->group_by || sel->having || sel->norder || sel->limit ||
      sel->next || !sel->from || sel->from->n != 1 || !sel->columns || sel->columns->n != 1)
    return NULL;
  const Expr *star = sel->columns->items[0];
  const SrcItem *from = &sel->from->items[0];
  if (star->kind != EXPR_STAR || star->table || from->subquery || from->is_call || !from->name) return NULL;
  if (cg_find_view_first(p, from->schema, from->name)) return NULL;
  return cg_lookup_table(p, from->schema, from->name);
}

/* The SELECT of INSERT INTO t SELECT * FROM s with s's ordinary columns in
** place of "*" when SQLite would copy the records (see above), else sel. */
static const Select *insert_select_of(Parse *p, const Stmt *st, const Table *t, const Select *sel, int on_conflict,
                                      const TriggerSet *triggers) {
  if (!t->ngenerated || st->columns || st->with || st->upsert || st->returning || triggers) return sel;
  const Table *s = star_source(p, sel);
  if (!s || !copies_records(p, t, s, on_conflict)) return sel;
  const Expr *star = sel->columns->items[0];
  const SrcItem *from = &sel->from->items[0];
  Select *copy = arena_alloc(&p->arena, sizeof *copy);
  ExprList *cols = arena_alloc(&p->arena, sizeof *cols);
  Expr **items = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)s->ncols);
  const char **names = arena_alloc(&p->arena, sizeof(char *) * (size_t)s->ncols);
  const char **spans = arena_alloc(&p->arena, sizeof(char *) * (size_t)s->ncols);
  if (!copy || !cols || !items || !names || !spans) return cg_error(p, LODE_NOMEM, "out of memory"), sel;
  *copy = *sel;
  cols->items = items;
  cols->names = names;
  cols->spans = spans;
  cols->n = 0;
  for (int i = 0; i < s->ncols; i++) {
    if (s->cols[i].generated) continue;
    Expr *e = arena_alloc(&p->arena, sizeof *e);
    if (!e) return cg_error(p, LODE_NOMEM, "out of memory"), sel;
    e->kind = EXPR_COLUMN;
    e->table = from->alias ? from->alias : from->name;
    e->text = s->cols[i].name;
    e->n = (int)strlen(e->text);
    e->bound_column = i + 1;
    e->offset = star->offset;
    e->src = star->src;
    names[cols->n] = NULL;
    spans[cols->n] = e->text;
    items[cols->n++] = e;
  }
  copy->columns = cols;
  return copy;
}

/* ---- INSERT INTO t SELECT * FROM s into an empty indexed table ----
**
** Where SQLite copies s's records into t (above) and t has indexes but no
** INTEGER PRIMARY KEY, it copies only into an empty t, and then keeps s's
** rowids (into a t without indexes it numbers the rows anew, as an ordinary
** insert does).  Lode inserts the rows as usual but, when t is empty as the
** statement starts, takes each row's rowid from s, so the rows end with the
** rowids SQLite gives them. */

/* Whether index b of s can feed index a of t in SQLite's transfer: the same
** key columns or expressions, order, collations, uniqueness and partial
** condition. */
static int same_index(const Table *t, const Index *a, const Table *s, const Index *b) {
  if (a->nkey != b->nkey || a->ncols != b->ncols || a->unique != b->unique || a->on_conflict != b->on_conflict)
    return 0;
  for (int i = 0; i < a->nkey; i++) {
    const IndexColumn *x = &a->cols[i], *y = &b->cols[i];
    if (x->cid != y->cid || x->desc != y->desc || x->coll != y->coll) return 0;
    if (x->cid == XN_EXPR && !same_generator(t, x->expr, s, y->expr)) return 0;
  }
  return same_generator(t, a->where, s, b->where);
}

/* The CHECK constraints of t as its CREATE TABLE gives them, or NULL (none,
** or the text does not parse); *n receives their count. */
static const Expr **table_checks(Parse *p, const Table *t, int *n) {
  Stmt *create = NULL;
  char *err = NULL;
  *n = 0;
  if (!t->has_checks) return NULL;
  int rc = t->db == CONN_DB_TEMP ? sql_parse(&p->arena, t->sql, -1, &create, NULL, &err)
                                 : sql_parse_schema(&p->arena, t->sql, -1, &create, NULL, &err);
  util_free(err);
  if (rc != LODE_OK || !create) return NULL;
  const Expr **checks = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)(create->nconstraints + 1));
  if (!checks) return NULL;
  for (int i = 0; i < create->nconstraints; i++)
    if (create->constraints[i].kind == TC_CHECK && create->constraints[i].check)
      checks[(*n)++] = create->constraints[i].check;
  return checks;
}

static int same_checks(Parse *p, const Table *t, const Table *s) {
  int nt, ns;
  const Expr **ct = table_checks(p, t, &nt), **cs = table_checks(p, s, &ns);
  if (!t->has_checks) return 1;
  if (!ct || !cs || nt != ns) return 0;
  for (int i = 0; i < nt; i++)
    if (!same_generator(t, ct[i], s, cs[i])) return 0;
  return 1;
}

/* s when SQLite would keep s's rowids inserting into an empty t (see above),
** else NULL. */
static const Table *rowid_source(Parse *p, const Stmt *st, const InsertInfo *in) {
  const Table *t = in->table;
  if (t->ipk >= 0 || !t->indexes || t->without_rowid || t->ngenerated) return NULL;
  if (st->columns || st->with || st->upsert || st->returning || in->triggers) return NULL;
  const Table *s = star_source(p, st->insert_select);
  if (!s || !same_shape(p, t, s) || !same_checks(p, t, s)) return NULL;
  for (const Index *a = t->indexes; a; a = a->next) {
    const Index *b = s->indexes;
    while (b && !same_index(t, a, s, b)) b = b->next;
    if (!b) return NULL;
  }
  return s;
}

/* "SELECT rowid, <s's columns> FROM s" for rowid_source's s, or NULL when
** each of s's rowid names is a column. */
static const Select *select_with_rowid(Parse *p, const Select *sel, const Table *s) {
  static const char *const rowid_names[] = {"rowid", "_rowid_", "oid"};
  const char *rowid = NULL;
  for (int k = 0; k < 3 && !rowid; k++)
    if (table_column_index(s, rowid_names[k]) < 0) rowid = rowid_names[k];
  if (!rowid) return NULL;
  const Expr *star = sel->columns->items[0];
  const SrcItem *from = &sel->from->items[0];
  Select *copy = arena_alloc(&p->arena, sizeof *copy);
  ExprList *cols = arena_alloc(&p->arena, sizeof *cols);
  int n = s->ncols + 1;
  Expr **items = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)n);
  const char **names = arena_alloc(&p->arena, sizeof(char *) * (size_t)n);
  const char **spans = arena_alloc(&p->arena, sizeof(char *) * (size_t)n);
  if (!copy || !cols || !items || !names || !spans) return cg_error(p, LODE_NOMEM, "out of memory"), NULL;
  *copy = *sel;
  cols->items = items;
  cols->names = names;
  cols->spans = spans;
  cols->n = n;
  for (int i = 0; i < n; i++) {
    Expr *e = arena_alloc(&p->arena, sizeof *e);
    if (!e) return cg_error(p, LODE_NOMEM, "out of memory"), NULL;
    e->kind = EXPR_COLUMN;
    e->table = from->alias ? from->alias : from->name;
    e->text = i == 0 ? rowid : s->cols[i - 1].name;
    e->n = (int)strlen(e->text);
    e->bound_column = i; /* the rowid by its name, the columns by their place */
    e->offset = star->offset;
    e->src = star->src;
    names[i] = NULL;
    spans[i] = e->text;
    items[i] = e;
  }
  copy->columns = cols;
  return copy;
}

/* ---- INSERT INTO t SELECT * FROM s as a copy of s's b-trees ----
**
** Where SQLite's transfer applies (above: alike tables, every index of t
** fed by an alike index of s, the same CHECK constraints, no trigger,
** upsert, RETURNING or enforced foreign key of t) and t is empty as the
** statement starts, t's table and index b-trees are filled from s's a tree
** at a time (OP_CopyTree), entries in key order so that each is an append,
** records never decoded.  The rows come out as SQLite's transfer leaves
** them: s's rowids, but numbered 1, 2, 3, ... in a table with neither an
** INTEGER PRIMARY KEY nor an index (SQLite gives each a new rowid there).
** Nothing about the rows can fail then: s's rows already satisfy t's
** constraints, its unique indexes included, whatever the conflict clause.
** Into a t that is not empty the records are copied one by one where
** SQLite's transfer copies whatever t holds (copy_rows); otherwise t takes
** the ordinary insert, as in SQLite.  Left to the ordinary insert as well:
** what must see the rows one by one (change data capture, preupdate
** listeners, foreign key checks and counters of t as parent or child,
** MVCC's row versions), and statements inside trigger bodies. */

/* A table of a database in mvcc mode, whose writes are kept row by row
** (every file database has the MVCC interface; few are in the mode).  A
** statement compiled before a switch to the mode still copies correctly:
** the b-tree copies row by row into a tree whose changes are logged. */
static int table_under_mvcc(Parse *p, const Table *t) {
  int on = 0;
  if (t->db < 0 || t->db >= p->db->ndb || p->db->dbs[t->db].ops != &conn_txn_mvcc) return 0;
  return conn_mvcc_mode(p->db, t->db, &on) != LODE_OK || on;
}

/* An index of s with its own b-tree that holds the entries index a of t
** would, or NULL. */
static const Index *copy_source_index(const Table *t, const Index *a, const Table *s) {
  for (const Index *b = s->indexes; b; b = b->next)
    if (index_has_own_btree(b) && b->root && same_index(t, a, s, b)) return b;
  return NULL;
}

/* s when t's b-trees can be copied from s's (see above), else NULL. */
static const Table *tree_copy_source(Parse *p, const Stmt *st, const InsertInfo *in) {
  const Table *t = in->table;
  if (st->columns || st->with || st->upsert || st->returning || in->triggers || in->replace_triggers || p->trigger)
    return NULL;
  if (p->db->preupdate_on || cg_fk_involves(p, t) || cg_cdc_mode(p, t) != CONN_CDC_OFF) return NULL;
  const Table *s = star_source(p, st->insert_select);
  if (!s || !same_shape(p, t, s) || !same_checks(p, t, s)) return NULL;
  if (t->without_rowid && (!t->pk || !s->pk || !same_index(t, t->pk, s, s->pk))) return NULL;
  for (const Index *a = t->indexes; a; a = a->next)
    if (index_has_own_btree(a) && (!a->root || !copy_source_index(t, a, s))) return NULL;
  /* Last: asking for a database's mode may read its header. */
  if (table_under_mvcc(p, t) || table_under_mvcc(p, s)) return NULL;
  return s;
}

/* Opens read cursor cursor on tree root of s's database, for OP_CopyTree
** (the VM needs no more of it than its kind: k for an index, else NULL). */
static void open_copy_source(Parse *p, const Table *s, int cursor, uint32_t root, KeyInfo *k, const char *name) {
  int addr = k ? vdbe_add_op4(p->v, OP_OpenRead, cursor, (int)root, 0, P4_KEYINFO, k, 0)
               : vdbe_add_op4_int(p->v, OP_OpenRead, cursor, (int)root, 0, table_record_ncols(s));
  if (addr < 0) return (void)cg_error(p, LODE_NOMEM, "out of memory");
  vdbe_set_comment(p->v, addr, "%s", name);
  vdbe_set_op_db(p->v, addr, s->db);
}

/* s's tree at root (an index's when k, its KeyInfo, is given) copied into
** t's tree at dst_root. */
static void copy_tree(Parse *p, const Table *t, const Table *s, uint32_t root, KeyInfo *k, const char *name,
                      uint32_t dst_root, int renumber, int flags) {
  int cursor = cg_cursor(p);
  open_copy_source(p, s, cursor, root, k, name);
  int addr = cg_op(p, OP_CopyTree, cursor, (int)dst_root, renumber);
  vdbe_set_p5(p->v, addr, (uint16_t)flags);
  vdbe_set_op_db(p->v, addr, t->db);
  cg_op(p, OP_Close, cursor, 0, 0);
}

/* Copies s's trees into t's, which the program found empty.  The
** statement's cursors on t (in->cursor, and in->idx, in->idx + 1, ... as
** cg_open_indexes numbered them) are closed first: a tree that no other
** cursor reads takes its appends without saving anyone's place. */
static void copy_trees(Parse *p, const InsertInfo *in, const Table *s) {
  const Table *t = in->table;
  int i = 0;
  cg_op(p, OP_Close, in->cursor, 0, 0);
  for (const Index *a = t->indexes; a; a = a->next)
    if (index_has_own_btree(a)) cg_op(p, OP_Close, in->idx + i++, 0, 0);
  if (t->without_rowid) {
    KeyInfo *k = cg_index_keyinfo(p, s->pk);
    if (!k) return;
    copy_tree(p, t, s, s->root, k, s->name, t->root, 0, OPFLAG_NCHANGE);
  } else {
    int renumber = t->ipk < 0 && !t->indexes;
    copy_tree(p, t, s, s->root, NULL, s->name, t->root, renumber, OPFLAG_NCHANGE | OPFLAG_LASTROWID);
  }
  for (const Index *a = t->indexes; a && p->rc == LODE_OK; a = a->next) {
    if (!index_has_own_btree(a)) continue;
    const Index *b = copy_source_index(t, a, s);
    KeyInfo *k = b ? cg_index_keyinfo(p, b) : NULL;
    if (!k) return (void)cg_error(p, LODE_NOMEM, "out of memory");
    copy_tree(p, t, s, b->root, k, b->name, a->root, 0, 0);
  }
  if (in->autoinc->cursor >= 0) { /* seq = max(seq, the largest rowid copied) */
    int cursor = cg_cursor(p), rowid = cg_reg(p), none = vdbe_make_label(p->v);
    cg_open_table(p, t, cursor, OP_OpenRead);
    cg_op(p, OP_Last, cursor, none, 0);
    cg_op(p, OP_Rowid, cursor, rowid, 0);
    autoinc_step(p, in->autoinc, rowid);
    vdbe_resolve_label(p->v, none);
    cg_op(p, OP_Close, cursor, 0, 0);
  }
}

/* Copies s's rows into t, which has rows, where SQLite copies records
** whatever t holds (copies_records): each record as it is stored, under its
** own rowid after checking that t does not have it (t has an INTEGER
** PRIMARY KEY) or under a new one (t has no index); then each index's
** entries from s's alike index (only non-unique ones: nothing to check). */
static void copy_rows(Parse *p, const InsertInfo *in, const Table *s) {
  const Table *t = in->table;
  int on_conflict = in->on_conflict == ONCONFLICT_UNSET ? t->ipk_conflict : in->on_conflict;
  int cursor = cg_cursor(p), rowid = cg_reg(p), rec = cg_reg(p), i = 0;
  int end = vdbe_make_label(p->v);
  open_copy_source(p, s, cursor, s->root, NULL, s->name);
  cg_op(p, OP_Rewind, cursor, end, 0);
  int top = vdbe_current_addr(p->v);
  if (t->ipk >= 0) {
    cg_op(p, OP_Rowid, cursor, rowid, 0);
    cg_check_rowid_unique(p, t, in->cursor, rowid, on_conflict == ONCONFLICT_ROLLBACK ? ONCONFLICT_ROLLBACK
                                                                                    : ONCONFLICT_ABORT, 0);
    autoinc_step(p, in->autoinc, rowid);
  } else {
    cg_op(p, OP_NewRowid, in->cursor, 0, rowid);
  }
  cg_op(p, OP_RowData, cursor, rec, 0);
  int addr = cg_op(p, OP_Insert, in->cursor, rec, rowid);
  vdbe_set_p5(p->v, addr, OPFLAG_NCHANGE | OPFLAG_LASTROWID);
  cg_op(p, OP_Next, cursor, top, 0);
  vdbe_resolve_label(p->v, end);
  cg_op(p, OP_Close, cursor, 0, 0);
  for (const Index *a = t->indexes; a && p->rc == LODE_OK; a = a->next, i++) {
    const Index *b = copy_source_index(t, a, s);
    KeyInfo *k = b ? cg_index_keyinfo(p, b) : NULL;
    if (!k) return (void)cg_error(p, LODE_NOMEM, "out of memory");
    int c = cg_cursor(p), done = vdbe_make_label(p->v);
    open_copy_source(p, s, c, b->root, k, b->name);
    cg_op(p, OP_Rewind, c, done, 0);
    int next = cg_op(p, OP_RowData, c, rec, 0);
    vdbe_set_p5(p->v, cg_op(p, OP_IdxInsert, in->idx + i, rec, 0), OPFLAG_COPIED);
    cg_op(p, OP_Next, c, next, 0);
    vdbe_resolve_label(p->v, done);
    cg_op(p, OP_Close, c, 0, 0);
  }
}

/* The SELECT runs as a subroutine source: each of its rows calls the
** subroutine after it (Gosub), which inserts the row at once when nothing
** can see the inserts — the SELECT does not read t, and no trigger, upsert,
** RETURNING or foreign-key action runs other statements — so that rows
** stream in bounded memory, as SQLite's co-routine does; otherwise the
** subroutine gathers the rows in a sorter (in order) and they are inserted
** after the SELECT ends. */
static void insert_select_rows(Parse *p, const Stmt *st, const InsertInfo *in, const Select *sel, int with_rowid) {
  const Table *t = in->table;
  SelectDest dest;
  int sorter = cg_sorter_dest(p, &dest), pseudo = cg_cursor(p), rec = cg_reg(p), ret = cg_reg(p);
  int end = vdbe_make_label(p->v), sub = vdbe_make_label(p->v), after = vdbe_make_label(p->v), top, vals, i;
  int *map;
  if (sorter < 0) return;
  dest.kind = DEST_GOSUB;
  dest.reg = ret;
  dest.label = sub;
  int from = vdbe_current_addr(p->v);
  p->auth_live = sel; /* SQLite codes it as a query of its own: asked about as it starts */
  cg_select(p, sel, &dest);
  if (p->rc != LODE_OK) return;
  int stream = !in->triggers && !in->replace_triggers && !in->upsert && !in->returning && !cg_fk_involves(p, t) &&
               !select_reads_table(p, from, vdbe_current_addr(p->v), t);
  if (with_rowid) { /* the rowid, then every column in order */
    map = arena_alloc(&p->arena, sizeof(int) * (size_t)(t->ncols + 1));
    if (!map) return (void)cg_error(p, LODE_NOMEM, "out of memory");
    map[t->ncols] = 0;
    for (i = 0; i < t->ncols; i++) map[i] = i + 1;
  } else {
    map = insert_column_map(p, st, t, dest.ncols);
  }
  if (!map) return;
  cg_op(p, OP_Goto, 0, after, 0);
  vdbe_resolve_label(p->v, sub);
  if (stream) {
    /* Values that come in the table's column order are the new row as they
    ** are: the subroutine's own registers (shallow copies of the SELECT's). */
    int in_order = !with_rowid && map[t->ncols] < 0 && dest.ncols == t->ncols;
    for (i = 0; in_order && i < t->ncols; i++) in_order = map[i] == i;
    insert_one_row(p, in, map, dest.row_reg, in_order ? dest.row_reg : 0);
  } else {
    cg_op(p, OP_MakeRecord, dest.row_reg, dest.ncols, rec);
    cg_op(p, OP_SorterInsert, sorter, rec, 0);
  }
  cg_op(p, OP_Return, ret, 0, 0);
  vdbe_resolve_label(p->v, after);
  if (stream) return;
  cg_op(p, OP_OpenPseudo, pseudo, rec, dest.ncols);
  cg_op(p, OP_SorterSort, sorter, end, 0);
  top = cg_op(p, OP_SorterData, sorter, rec, 0);
  vals = cg_regs(p, dest.ncols);
  for (i = 0; i < dest.ncols; i++) cg_op(p, OP_Column, pseudo, i, vals + i);
  insert_one_row(p, in, map, vals, 0);
  cg_op(p, OP_SorterNext, sorter, top, 0);
  vdbe_resolve_label(p->v, end);
}

static void insert_select_paths(Parse *p, const Stmt *st, const InsertInfo *in, const Table *copy,
                                 const Select *keyed);

static void insert_from_select(Parse *p, const Stmt *st, const InsertInfo *in) {
  const Table *copy = tree_copy_source(p, st, in);
  const Table *s = copy ? NULL : rowid_source(p, st, in);
  const Select *keyed = s ? select_with_rowid(p, st->insert_select, s) : NULL;
  if (p->rc != LODE_OK) return;
  /* A copy of a table's rows as they are (SQLite's transfer): the
  ** authorizer hears of no query, as from SQLite. */
  if (copy) p->auth_off++;
  insert_select_paths(p, st, in, copy, keyed);
  if (copy) p->auth_off--;
}

static void insert_select_paths(Parse *p, const Stmt *st, const InsertInfo *in, const Table *copy,
                                 const Select *keyed) {
  const Table *t = in->table;
  int plain = vdbe_make_label(p->v), done = vdbe_make_label(p->v), empty = vdbe_make_label(p->v);
  if (copy || keyed) {
    cg_op(p, OP_Rewind, in->cursor, empty, 0);
    if (copy && !t->without_rowid && copies_records(p, t, copy, in->on_conflict)) {
      copy_rows(p, in, copy);
      cg_op(p, OP_Goto, 0, done, 0);
    } else {
      cg_op(p, OP_Goto, 0, plain, 0);
    }
    vdbe_resolve_label(p->v, empty);
    if (copy) copy_trees(p, in, copy);
    else insert_select_rows(p, st, in, keyed, 1);
    cg_op(p, OP_Goto, 0, done, 0);
  }
  vdbe_resolve_label(p->v, plain);
  insert_select_rows(p, st, in, insert_select_of(p, st, t, st->insert_select, in->on_conflict, in->triggers), 0);
  vdbe_resolve_label(p->v, done);
}

/* Whether a one-row write of t runs all its checks before its first write
** (no foreign keys, no REPLACE that deletes other rows, no index whose key
** is an expression or whose partial condition could fail once the row is
** written): it then changes all or nothing by itself and, like SQLite's,
** needs no statement savepoint.  An I/O error after its first write rolls
** the transaction back (vdbe_txn_end), as SQLite does for a statement
** without a statement journal. */
static int row_write_is_all_or_nothing(Parse *p, const Table *t, int on_conflict) {
  if (cg_fk_involves(p, t)) return 0; /* foreign key checks and counters */
  if (on_conflict == ONCONFLICT_REPLACE) return 0;
  if (on_conflict == ONCONFLICT_UNSET && t->ipk_conflict == ONCONFLICT_REPLACE) return 0;
  for (const Index *ix = t->indexes; ix; ix = ix->next) {
    if (ix->where) return 0;
    if (on_conflict == ONCONFLICT_UNSET && ix->on_conflict == ONCONFLICT_REPLACE) return 0;
    for (int i = 0; i < ix->ncols; i++)
      if (ix->cols[i].cid == XN_EXPR) return 0;
  }
  return 1;
}

/* A single-row INSERT without upsert or RETURNING, so written. */
static int insert_is_single_write(Parse *p, const Stmt *st, const Table *t, const UpsertInfo *upsert) {
  if (st->insert_select || upsert || st->returning || (!st->default_values && st->nrows != 1)) return 0;
  return row_write_is_all_or_nothing(p, t, st->on_conflict);
}

/* The DELETE triggers REPLACE fires when it removes a row, which it does
** only with recursive triggers on, as in SQLite. */
static const TriggerSet *replace_triggers(Parse *p, const Table *t) {
  if (!p->db->recursive_triggers) return NULL;
  return cg_triggers(p, t, t->name, TK_DELETE, NULL, 0, ONCONFLICT_REPLACE); /* their statements take REPLACE */
}

void cg_insert(Parse *p, const Stmt *st) {
  if (p->auth && cg_auth_change(p, CONN_AUTH_INSERT, st->schema, st->table)) return;
  View *view = cg_find_view_first(p, st->schema, st->table);
  if (view) {
    cg_view_change(p, st, view);
    return;
  }
  Table *t = cg_find_writable_table(p, st->schema, st->table);
  int cursor, r, i;
  if (!t) return;
  if (t->vtab_module) {
    if (cg_vtab_refused(p, st->schema, st->table)) return;
    cg_vtab_insert(p, st, t);
    return;
  }
  p->writes = 1;
  if (!insert_check_columns(p, st, t)) return;
  /* The authorizer's questions, in order: VALUES of several rows is a query to SQLite. */
  if (p->auth && st->nrows > 1 && cg_auth_active(p)) cg_auth_ask(p, CONN_AUTH_SELECT, NULL, NULL, NULL);
  for (int r = 0; p->auth && r < st->nrows && p->rc == LODE_OK; r++)
    for (int k = 0; k < st->rows[r]->n; k++) cg_auth_early(p, st->rows[r]->items[k]);
  /* SQLite resolves the VALUES before it matches an ON CONFLICT target. */
  for (int r = 0; st->upsert && r < st->nrows && p->rc == LODE_OK; r++)
    for (int k = 0; k < st->rows[r]->n; k++) cg_bind_names(p, st->rows[r]->items[k]);
  if (p->rc != LODE_OK) return;
  const UpsertInfo *upsert = cg_upsert_analyze(p, st, t);
  if (p->rc != LODE_OK) return;
  int on_conflict = cg_stmt_conflict(p, st->on_conflict);
  const TriggerSet *triggers = cg_triggers(p, t, t->name, TK_INSERT, NULL, 0, on_conflict);
  const TriggerSet *replacing = replace_triggers(p, t);
  if (p->rc != LODE_OK) return;
  /* Triggers and REPLACE's delete triggers write more rows; a trigger body is
  ** part of its statement. */
  p->single_write = !triggers && !replacing && !p->trigger && insert_is_single_write(p, st, t, upsert);
  cg_begin_program(p);
  cursor = cg_cursor(p);
  cg_open_table(p, t, cursor, OP_OpenWrite);
  int idx = cg_open_indexes(p, t, OP_OpenWrite);
  AutoInc autoinc;
  autoinc_begin(p, t, &autoinc);
  /* With triggers it is not SQLite's single-row INSERT: they may mend a violation. */
  p->fk_single_row = !st->insert_select && (st->default_values || st->nrows == 1) && !triggers;
  autoinc.sync = triggers != NULL || replacing != NULL || p->trigger != NULL;
  const Returning *ret = cg_returning_begin(p, st, t);
  cg_count_changes_begin(p, st, "rows inserted");
  InsertInfo in = {.table = t, .cursor = cursor, .idx = idx, .on_conflict = on_conflict, .autoinc = &autoinc,
                   .upsert = upsert, .returning = ret, .triggers = triggers, .replace_triggers = replacing};
  if (st->insert_select) {
    insert_from_select(p, st, &in);
  } else if (st->default_values) {
    int *map = arena_alloc(&p->arena, sizeof(int) * (size_t)(t->ncols + 1));
    if (!map) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    for (i = 0; i <= t->ncols; i++) map[i] = -1;
    in.upsert = NULL;
    insert_one_row(p, &in, map, 0, 0);
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
      /* Each value straight into its column's register, in the table's
      ** column order, then a rowid named apart from the columns, as SQLite
      ** evaluates them (the second value of a column named twice is not). */
      int placed = cg_regs(p, t->ncols);
      for (i = 0; i < t->ncols; i++)
        if (map[i] >= 0) cg_expr(p, row->items[map[i]], placed + i);
      vals = 0;
      if (map[t->ncols] >= 0) {
        vals = cg_regs(p, row->n);
        cg_expr(p, row->items[map[t->ncols]], vals + map[t->ncols]);
      }
      insert_one_row(p, &in, map, vals, placed);
    }
  }
  autoinc_end(p, &autoinc, autoinc.sync);
  cg_returning_end(p, ret);
  cg_count_changes_end(p);
  cg_end_program(p);
}

/* Pass 1 of UPDATE/DELETE: the keys of the rows matching WHERE into a
** sorter.  Returns the sorter cursor. */
/* The columns of the statement's table that WHERE reads (cols_used); 0 when
** a subquery may read more. */
static int note_where_columns(Parse *p, ScopeItem *it, const Expr *e) {
  if (!e) return 1;
  if (e->select) return 0;
  if (e->kind == EXPR_COLUMN) {
    int cursor, col;
    Table *t;
    if (cg_try_resolve_column(p, e, &cursor, &col, &t) && e->bind_depth == 0 && col >= 0)
      it->cols_used |= (uint64_t)1 << (col < 63 ? col : 63);
    return 1;
  }
  if (!note_where_columns(p, it, e->left) || !note_where_columns(p, it, e->right) ||
      !note_where_columns(p, it, e->escape))
    return 0;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (!note_where_columns(p, it, e->args->items[i])) return 0;
  return 1;
}

/* Opens pass 1's sorter (its one op comes first); returns its cursor.  With
** key_order, triggers or foreign keys the rows go in key order, as in SQLite:
** which of them a trigger, a RESTRICT or a cascade meets first depends on it,
** and so does which row of an UPDATE first meets a UNIQUE conflict. */
static int collect_row_keys_open(Parse *p, const Table *t, int key_order) {
  int sorted_keys = key_order || cg_fk_involves(p, t);
  KeyInfo *k = sorted_keys ? cg_row_keyinfo(p, t) : keyinfo_new(0);
  int sorted = sorted_keys ? cg_row_key_len(t) : 0, sorter = cg_cursor(p);
  if (!k || vdbe_add_op4(p->v, OP_SorterOpen, sorter, sorted, 0, P4_KEYINFO, k, 0) < 0) cg_error(p, LODE_NOMEM, "oom");
  return sorter;
}

/* Pass 1's loop body and end: each matching row's key into the sorter. */
static void collect_row_keys_body(Parse *p, const Table *t, int cursor, int sorter, CgLoops *loops, int done) {
  int nkey = cg_row_key_len(t), key = cg_regs(p, nkey), rec = cg_reg(p);
  cg_row_key_of_row(p, t, cursor, key);
  cg_op(p, OP_MakeRecord, key, nkey, rec);
  cg_op(p, OP_SorterInsert, sorter, rec, 0);
  cg_loops_close(p, loops, done);
  vdbe_resolve_label(p->v, done);
}

/* Pass 1 whole.  where_only: pass 1 reads the WHERE columns alone (the rows
** then go in key order too); key_order: the keys are sorted all the same. */
static int collect_row_keys(Parse *p, const Table *t, int cursor, const Expr *where, int where_only, int key_order) {
  if (where_only) {
    /* Pass 1 reads only what WHERE needs and the row keys: a covering index
    ** will do, as SQLite's two passes (with triggers) show in their plans. */
    ScopeItem *it = &p->scope->items[0];
    it->cols_used = 0;
    it->cols_known = note_where_columns(p, it, where);
  }
  int sorter = collect_row_keys_open(p, t, where_only || key_order);
  int done = vdbe_make_label(p->v);
  CgLoops *loops = arena_alloc_raw(&p->arena, sizeof *loops); /* cg_loops_open clears it */
  if (!loops) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return sorter;
  }
  cg_loops_open(p, NULL, where, NULL, 0, loops, done);
  collect_row_keys_body(p, t, cursor, sorter, loops, done);
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
  memset(s->items, 0, sizeof(ScopeItem));
  s->n = 1;
  s->outer = p->scope; /* in a trigger body: its OLD and NEW rows */
  s->items[0].name = alias ? alias : t->name;
  s->items[0].explain_name = cg_explain_name_of(p, st->schema, st->table, alias);
  s->items[0].table = t;
  s->items[0].cursor = cursor;
  s->items[0].sorter = -1;
  s->items[0].not_indexed = st->not_indexed;
  if (st->indexed_by && !(s->items[0].indexed_by = cg_find_index_of(p, t, st->indexed_by))) return NULL;
  return s;
}

/* Opens the table for writing and positions it on each row matching WHERE
** in turn (pass 2 of UPDATE/DELETE).  Returns the cursor, or -1 on error.
** With triggers the rows are visited in key order (rowid, or PRIMARY KEY),
** as SQLite visits them then, so that the triggers fire in its order. */
static int begin_matching_rows(Parse *p, const Stmt *st, Table *t, RowLoop *loop, int *idx, int key_order) {
  int cursor = cg_cursor(p), sorter;
  cg_open_table(p, t, cursor, OP_OpenWrite);
  *idx = cg_open_indexes(p, t, OP_OpenWrite);
  p->scope = single_table_scope(p, st, t, cursor, st->alias);
  if (!p->scope) return -1;
  sorter = collect_row_keys(p, t, cursor, st->where, key_order, key_order);
  begin_row_loop(p, loop, t, sorter, cursor);
  return cursor;
}

/* DELETE without WHERE empties the table and its indexes a b-tree at a time
** (OP_Clear), as SQLite's truncate optimization does, when nothing has to see
** the rows one by one: no triggers, foreign keys, RETURNING, change data
** capture, index methods or preupdate listeners.  As in SQLite, the update
** hook is not called for the rows removed this way.  (Under MVCC, OP_Clear
** removes the entries one by one.) */
static int delete_can_truncate(Parse *p, const Stmt *st, const Table *t, const TriggerSet *triggers) {
  return !st->where && !st->returning && !triggers && !p->trigger && !p->count_reg && !t->without_rowid &&
         !t->method_indexes && t->root != BTREE_SCHEMA_ROOT && !p->db->preupdate_on && !cg_fk_involves(p, t) &&
         cg_cdc_mode(p, t) == CONN_CDC_OFF;
}

static void delete_truncate(Parse *p, const Table *t) {
  int addr = cg_op(p, OP_Clear, (int)t->root, 0, 1);
  vdbe_set_op_db(p->v, addr, t->db);
  vdbe_set_comment(p->v, addr, "%s", t->name);
  for (const Index *ix = t->indexes; ix; ix = ix->next) {
    if (!index_has_own_btree(ix)) continue;
    addr = cg_op(p, OP_Clear, (int)ix->root, 0, 0);
    vdbe_set_op_db(p->v, addr, t->db);
    vdbe_set_comment(p->v, addr, "%s", ix->name);
  }
}

/* A lookup of a UNIQUE index on a value (not NULL) of every key column:
** it finds one row at most (SQLite's WHERE_ONEROW). */
static int level_is_unique_eq(const WhereLevel *lv) {
  if (lv->kind != WLOOP_INDEX || !lv->index || !lv->index->unique || lv->autoindex || lv->in_list) return 0;
  if (lv->neq < lv->index->nkey) return 0;
  for (int j = 0; j < lv->neq; j++)
    if (!lv->eq[j] || lv->eq_is[j]) return 0; /* IS may seek NULLs, which repeat */
  return 1;
}

/* One-pass DELETE: each row goes where the loop finds it, with no sorter of
** row keys and no second seek.  The loop is the lookup of one row by rowid
** or by every column of a UNIQUE index (SQLite's ONEPASS_SINGLE), or a walk
** of the table b-tree itself (loop_walks_table; ONEPASS_MULTI, not under
** MVCC nor on sqlite_schema).  Nothing may need to see the rows in a later
** pass: no triggers, RETURNING, foreign keys, index methods or subquery in
** WHERE (it could read the table while it changes). */
static int delete_one_pass_possible(Parse *p, const Stmt *st, const Table *t, const TriggerSet *triggers) {
  return st->where && !triggers && !p->trigger && !st->returning && !t->without_rowid && !t->method_indexes &&
         !cg_fk_involves(p, t) && !cg_expr_has_subquery(st->where);
}

static int loop_is_one_row(const CgLoops *l) {
  if (l->n != 1 || l->idxm_cursor || l->lv[0].in_sorter >= 0) return 0;
  return l->plan.levels[0].kind == WLOOP_ROWID_EQ || level_is_unique_eq(&l->plan.levels[0]);
}

/* A loop that walks the table b-tree itself (a scan or a rowid range): its
** cursor is the one the change writes through, so a change of the row it is
** on cannot move it or show it a row twice (a deleted row leaves the cursor
** where its next step reaches the row after), as SQLite's ONEPASS_MULTI. */
static int loop_walks_table(const CgLoops *l) {
  if (l->n != 1 || l->idxm_cursor || l->lv[0].in_sorter >= 0) return 0;
  return l->plan.levels[0].kind == WLOOP_SCAN || l->plan.levels[0].kind == WLOOP_ROWID_RANGE;
}

/* A forward walk of one of the table's own indexes (a range or the rows
** equal on leading columns): the change deletes the entry the walk is on
** through the walk's cursor, which a deleted entry leaves where its next
** step reaches the entry after, as SQLite's ONEPASS_MULTI through an index. */
static int loop_walks_index(const CgLoops *l) {
  if (l->n != 1 || l->idxm_cursor || l->lv[0].in_sorter >= 0) return 0;
  const WhereLevel *lv = &l->plan.levels[0];
  return lv->kind == WLOOP_INDEX && lv->index && index_has_own_btree(lv->index) && !lv->autoindex && !lv->in_list &&
         !lv->reverse;
}

/* The loops of a one-pass candidate, planned as they are coded: the sorter
** that two passes would need is opened first (*open its address, to drop it
** when one pass will do) and the loops over WHERE after it; NULL on error. */
static CgLoops *one_pass_loops_open(Parse *p, const Stmt *st, const Table *t, int key_order, int *open, int *sorter,
                                    int *done) {
  *open = vdbe_current_addr(p->v);
  *sorter = collect_row_keys_open(p, t, key_order);
  CgLoops *loops = arena_alloc_raw(&p->arena, sizeof *loops); /* cg_loops_open clears it */
  *done = vdbe_make_label(p->v);
  if (!loops) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  cg_loops_open(p, NULL, st->where, NULL, 0, loops, *done);
  return loops;
}

/* A one-row DELETE runs its body at most once, and often finds no row: the
** index cursors that only delete the row's entries are opened in the body,
** once the row is found (their opens at [from, to) move there, a Noop left
** in their place), as SQLite does.  Only b-tree index opens move, and not
** that of the lookup's own cursor (icur), which the lookup needs open. */
static void open_indexes_here(Parse *p, int from, int to, int icur) {
  for (int a = from; a < to; a++) {
    if (vdbe_op_at(p->v, a)->opcode != OP_OpenWrite || vdbe_op_at(p->v, a)->p4type != P4_KEYINFO ||
        vdbe_op_at(p->v, a)->p1 == icur)
      continue;
    int here = vdbe_add_op(p->v, OP_Noop, 0, 0, 0);
    if (here < 0) return;
    VdbeOp *open = vdbe_op_at(p->v, a), *noop = vdbe_op_at(p->v, here), swap = *open;
    assert(a < here && open->opcode == OP_OpenWrite);
    *open = *noop;
    *noop = swap;
  }
}

/* ---- UPDATE / DELETE … ORDER BY … LIMIT ---------------------------------------- */

/* A reference to column col of the statement's target (-1: its rowid),
** bound already, so that a column named "rowid" cannot take its place. */
static Expr *target_column(Parse *p, const Table *t, const char *item_name, int col) {
  Expr *e = arena_alloc(&p->arena, sizeof *e);
  if (!e) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  e->kind = EXPR_COLUMN;
  e->table = item_name;
  e->text = col < 0 ? "rowid" : t->cols[col].name;
  e->n = (int)strlen(e->text);
  e->bound = 1;
  e->bind_col = col == t->ipk ? -1 : col;
  e->bind_affinity = e->bind_col < 0 ? AFF_INTEGER : t->cols[col].affinity;
  e->bind_coll = e->bind_col < 0 ? COLL_BINARY : t->cols[col].coll;
  return e;
}

/* The row key of the target as an expression: its rowid, or the vector of
** a WITHOUT ROWID table's PRIMARY KEY columns. */
static Expr *target_key(Parse *p, const Table *t, const char *item_name) {
  if (!t->without_rowid || !t->pk) return target_column(p, t, item_name, -1);
  Expr *v = arena_alloc(&p->arena, sizeof *v);
  ExprList *args = arena_alloc(&p->arena, sizeof *args);
  if (!v || !args || !(args->items = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)t->pk->nkey))) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  v->kind = EXPR_VECTOR;
  v->args = args;
  for (int j = 0; j < t->pk->nkey; j++)
    if (!(args->items[args->n++] = target_column(p, t, item_name, t->pk->cols[j].cid))) return NULL;
  return v;
}

/* UPDATE / DELETE … [ORDER BY …] LIMIT …, as SQLite compiled with
** SQLITE_ENABLE_UPDATE_DELETE_LIMIT runs it: the rows changed are those whose
** key is among "SELECT key FROM target WHERE … ORDER BY … LIMIT …", so the
** statement becomes one with WHERE key IN (that SELECT), written into *copy.
** The SELECT takes INDEXED BY from the statement.  Returns st itself when it
** has no such clause, NULL on error. */
static const Stmt *limit_where(Parse *p, const Stmt *st, const Table *t, const char *what, Stmt *copy) {
  Select *sel = st->order_limit;
  if (!sel) return st;
  if (!sel->limit) {
    cg_error(p, LODE_ERROR, "ORDER BY without LIMIT on %s", what);
    return NULL;
  }
  const char *name = st->alias ? st->alias : t->name;
  SrcList *from = arena_alloc(&p->arena, sizeof *from);
  SrcItem *item = arena_alloc(&p->arena, sizeof *item);
  ExprList *cols = arena_alloc(&p->arena, sizeof *cols);
  Expr *in = arena_alloc(&p->arena, sizeof *in);
  if (!from || !item || !cols || !in || !(cols->items = arena_alloc(&p->arena, sizeof(Expr *)))) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  item->schema = st->schema;
  item->name = st->table;
  item->alias = st->alias;
  item->indexed_by = st->indexed_by;
  item->not_indexed = st->not_indexed;
  from->n = 1;
  from->items = item;
  Expr *inner = target_key(p, t, name), *outer = target_key(p, t, name);
  if (!inner || !outer) return NULL;
  if (inner->kind == EXPR_VECTOR) {
    cols->items = inner->args->items; /* a SELECT of the key's columns */
    cols->n = inner->args->n;
  } else {
    cols->items[cols->n++] = inner;
  }
  sel->columns = cols;
  sel->from = from;
  sel->where = st->where;
  in->kind = EXPR_IN_SELECT;
  in->left = outer;
  in->select = sel;
  in->offset = st->where ? st->where->offset : 0;
  *copy = *st;
  copy->where = in;
  copy->order_limit = NULL;
  copy->indexed_by = NULL;
  return copy;
}

void cg_delete(Parse *p, const Stmt *st) {
  if (p->auth && cg_auth_change(p, CONN_AUTH_DELETE, st->schema, st->table)) return;
  View *view = cg_find_view_first(p, st->schema, st->table);
  if (view) {
    cg_view_change(p, st, view);
    return;
  }
  Table *t = cg_find_writable_table(p, st->schema, st->table);
  int cursor;
  RowLoop loop;
  Stmt limited;
  if (!t) return;
  /* INDEXED BY names an index of the table even when no loop will use it (a
  ** DELETE without WHERE empties the table at once), as SQLite looks it up
  ** with the table. */
  if (st->indexed_by && !cg_find_index_of(p, t, st->indexed_by)) return;
  if (!(st = limit_where(p, st, t, "DELETE", &limited))) return;
  if (t->vtab_module) {
    if (cg_vtab_refused(p, st->schema, st->table)) return;
    cg_vtab_delete(p, st, t);
    return;
  }
  p->writes = 1;
  const TriggerSet *triggers = cg_triggers(p, t, t->name, TK_DELETE, NULL, 0, ONCONFLICT_UNSET);
  if (p->rc != LODE_OK) return;
  cg_begin_program(p);
  cg_count_changes_begin(p, st, "rows deleted");
  if (delete_can_truncate(p, st, t, triggers)) {
    delete_truncate(p, t);
    cg_end_program(p);
    return;
  }
  int idx;
  const Returning *ret = cg_returning_begin(p, st, t);
  if (p->rc != LODE_OK) return;
  if (delete_one_pass_possible(p, st, t, triggers)) {
    cursor = cg_cursor(p);
    cg_open_table(p, t, cursor, OP_OpenWrite);
    int idx_opens = vdbe_current_addr(p->v);
    idx = cg_open_indexes(p, t, OP_OpenWrite);
    int idx_opens_end = vdbe_current_addr(p->v);
    p->scope = single_table_scope(p, st, t, cursor, st->alias);
    if (!p->scope) return;
    int open, sorter, done;
    CgLoops *loops = one_pass_loops_open(p, st, t, 0, &open, &sorter, &done);
    if (!loops) return;
    int one_row = p->rc == LODE_OK && loop_is_one_row(loops);
    int multi = p->rc == LODE_OK && t->root != BTREE_SCHEMA_ROOT;
    /* A unique lookup through an index is a walk of one entry. */
    int walk = multi && !loop_walks_table(loops) && loop_walks_index(loops);
    if (one_row || (multi && loop_walks_table(loops)) || walk) {
      vdbe_change_to_noop(p->v, open);
      if (walk) {
        /* The walk's cursor deletes its entries: opened for writing, and
        ** the index's own write cursor is never used (not opened). */
        for (int a = open; a < vdbe_current_addr(p->v); a++) {
          VdbeOp *op = vdbe_op_at(p->v, a);
          if (op->opcode == OP_OpenRead && op->p1 == loops->lv[0].icur) op->opcode = OP_OpenWrite;
        }
        int c = idx;
        for (const Index *x = t->indexes; x != loops->plan.levels[0].index; x = x->next) c += index_has_own_btree(x);
        for (int a = idx_opens; a < idx_opens_end; a++)
          if (vdbe_op_at(p->v, a)->opcode == OP_OpenWrite && vdbe_op_at(p->v, a)->p1 == c) vdbe_change_to_noop(p->v, a);
        if (loops->plan.levels[0].covering) {
          /* The walk did not go to the row: the change reads it. */
          int rowid = cg_reg(p);
          cg_op(p, OP_IdxRowid, loops->lv[0].icur, rowid, 0);
          cg_op(p, OP_NotExists, cursor, loops->lv[0].cont, rowid);
        }
      }
      if (one_row) open_indexes_here(p, idx_opens, idx_opens_end, loops->lv[0].icur);
      /* Rows after the first can still fail (I/O, interrupt): only a single
      ** row goes without the statement savepoint. */
      p->single_write = one_row && row_write_is_all_or_nothing(p, t, ONCONFLICT_ABORT);
      int key = cg_regs(p, cg_row_key_len(t));
      cg_row_key_of_row(p, t, cursor, key);
      RowChange one = {.kind = ROW_DELETE, .table = t, .cursor = cursor, .old_key = key,
                       .on_conflict = ONCONFLICT_ABORT, .skip = loops->lv[0].cont, .flags = OPFLAG_NCHANGE,
                       .idx_cursor = idx, .walk_index = walk ? loops->plan.levels[0].index : NULL,
                       .walk_cursor = walk ? loops->lv[0].icur : 0};
      cg_row_change(p, &one);
      cg_count_change(p);
      if (one_row) vdbe_add_op(p->v, OP_Goto, 0, done, 0); /* its one row is gone: the lookup stops */
      cg_loops_close(p, loops, done);
      vdbe_resolve_label(p->v, done);
      p->scope = NULL;
      cg_count_changes_end(p);
      cg_end_program(p);
      return;
    }
    collect_row_keys_body(p, t, cursor, sorter, loops, done);
    begin_row_loop(p, &loop, t, sorter, cursor);
  } else {
    /* RETURNING, like a trigger, sees the rows in key order (SQLite's RowSet). */
    cursor = begin_matching_rows(p, st, t, &loop, &idx, triggers != NULL || st->returning != NULL);
    if (cursor < 0) return;
  }
  RowChange rc = {.kind = ROW_DELETE, .table = t, .cursor = cursor, .old_key = loop.key,
                  .on_conflict = ONCONFLICT_ABORT, .skip = loop.next, .flags = OPFLAG_NCHANGE, .idx_cursor = idx,
                  .returning = ret};
  int block = 0;
  if (triggers) {
    block = cg_trigger_block(p, t);
    cg_trigger_row_from_cursor(p, t, cursor, cg_trigger_old(t, block));
  }
  if (cg_triggers_have(triggers, TRIGGER_BEFORE)) {
    cg_fire_triggers(p, triggers, TRIGGER_BEFORE, block, loop.next);
    cg_seek_row(p, t, cursor, loop.key, loop.next); /* the triggers may have moved or deleted it */
  }
  cg_row_change(p, &rc);
  cg_count_change(p);
  cg_fire_triggers(p, triggers, TRIGGER_AFTER, block, loop.next);
  end_row_loop(p, &loop);
  p->scope = NULL;
  cg_returning_end(p, ret);
  cg_count_changes_end(p);
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
    if (c < 0 && !t->without_rowid && cg_is_rowid_name(set[i].column)) {
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

/* The SET item whose value is e. */
static int set_item_of(const UpdateRow *u, const Expr *e) {
  int i = 0;
  while (u->set[i].value != e) i++;
  return i;
}

static int update_may_replace(const Table *t, int on_conflict);

/* The columns the new record copies from the old row (cg_update_kept_columns)
** when nothing but that record reads them and the cursor is still on the old
** row when it is made: the rowid stays, no REPLACE can delete other rows,
** and no trigger, RETURNING, foreign key or change capture looks at the row. */
static const char *update_kept_columns(Parse *p, const UpdateRow *u) {
  const Table *t = u->table;
  if (p->trigger || u->set_regs || u->rowid_expr || u->triggers || u->replace_triggers || u->returning) return NULL;
  if (update_may_replace(t, u->on_conflict) || cg_fk_involves(p, t) || cg_cdc_mode(p, t) != CONN_CDC_OFF) return NULL;
  return cg_update_kept_columns(p, t, u->set_of);
}

void cg_update_row(Parse *p, const UpdateRow *u) {
  const Table *t = u->table;
  int regs = cg_regs(p, t->ncols), i;
  const char *kept = update_kept_columns(p, u);
  /* New values are computed from the old row before anything is written. */
  for (i = 0; i < t->ncols; i++) {
    if (kept && kept[i]) continue;
    if (i == t->ipk || t->cols[i].generated) cg_op(p, OP_Null, 0, regs + i, 0); /* generated: computed later */
    else if (u->set_of[i] >= 0 && u->set_regs) cg_op(p, OP_SCopy, u->set_regs + u->set_of[i], regs + i, 0);
    else if (u->set_of[i] >= 0) cg_expr(p, u->set[u->set_of[i]].value, regs + i);
    else cg_code_column(p, (Table *)t, u->cursor, i, regs + i);
  }
  int new_rowid = u->old_key;
  if (u->rowid_expr) {
    new_rowid = cg_reg(p);
    if (u->set_regs) cg_op(p, OP_SCopy, u->set_regs + set_item_of(u, u->rowid_expr), new_rowid, 0);
    else cg_expr(p, u->rowid_expr, new_rowid);
    cg_op(p, OP_MustBeInt, new_rowid, 0, 0); /* NULL or text: "datatype mismatch", as in SQLite */
  }
  int block = 0, trigger_rowid = t->without_rowid ? 0 : new_rowid;
  if (u->triggers) {
    block = cg_trigger_block(p, t);
    cg_trigger_row_from_cursor(p, t, u->cursor, cg_trigger_old(t, block));
  }
  if (cg_triggers_have(u->triggers, TRIGGER_BEFORE)) {
    cg_trigger_row_from_regs(p, t, regs, trigger_rowid, cg_trigger_new(t, block));
    cg_fire_triggers(p, u->triggers, TRIGGER_BEFORE, block, u->skip);
    /* The triggers may have changed the row: it must still be there, and
    ** the columns SET does not assign are read again, as SQLite does. */
    cg_seek_row(p, t, u->cursor, u->old_key, u->skip);
    for (i = 0; i < t->ncols; i++)
      if (i != t->ipk && u->set_of[i] < 0) cg_code_column(p, (Table *)t, u->cursor, i, regs + i);
  }
  RowChange rc = {.kind = ROW_UPDATE, .table = t, .cursor = u->cursor, .old_key = u->old_key, .regs = regs,
                  .new_rowid = new_rowid, .rowid_given = u->rowid_expr != NULL, .on_conflict = u->on_conflict,
                  .skip = u->skip, .flags = OPFLAG_NCHANGE, .idx_cursor = u->idx_cursor, .returning = u->returning,
                  .replace_triggers = u->replace_triggers, .set_of = u->set_of, .kept = kept};
  cg_row_change(p, &rc);
  if (cg_triggers_have(u->triggers, TRIGGER_AFTER)) {
    cg_trigger_row_from_regs(p, t, regs, trigger_rowid, cg_trigger_new(t, block));
    cg_fire_triggers(p, u->triggers, TRIGGER_AFTER, block, u->skip);
  }
}

/* Whether a UNIQUE conflict of the update could delete another row. */
static int update_may_replace(const Table *t, int on_conflict) {
  if (on_conflict != ONCONFLICT_UNSET) return on_conflict == ONCONFLICT_REPLACE;
  for (const Index *ix = t->indexes; ix; ix = ix->next)
    if (ix->on_conflict == ONCONFLICT_REPLACE) return 1;
  return t->ipk_conflict == ONCONFLICT_REPLACE;
}

/* One-pass UPDATE, as SQLite's: each row is changed where the WHERE loop
** finds it, with no list of row keys gathered first.  It needs a change
** that cannot disturb the loop nor what WHERE sees of the rows still to
** come: a rowid table whose rowids stay, and nothing that changes other rows
** or reads the table while it changes (triggers, foreign keys, REPLACE,
** RETURNING, index methods, a subquery in WHERE).  Which loops qualify is
** known once they are planned (update_loop_one_pass). */
static int update_one_pass_possible(Parse *p, const Stmt *st, const Table *t, const Expr *rowid_expr,
                                    int on_conflict, int row_programs, const Returning *ret) {
  return !p->trigger && !t->without_rowid && !rowid_expr && !row_programs && !ret && !t->method_indexes &&
         !update_may_replace(t, on_conflict) && !cg_fk_involves(p, t) && !cg_expr_has_subquery(st->where);
}

/* A walk of an index whose entries the UPDATE cannot change (SQLite's
** ONEPASS_MULTI through an index): every key column is a plain column the
** SET list leaves alone and not generated, and there is no partial
** condition, so the row's entry stays where it is and the walk can neither
** lose a row nor meet one twice.  (Rowid changes never come here.) */
static int loop_walks_index_kept(const CgLoops *l, const UpdateRow *u) {
  if (l->n != 1 || l->idxm_cursor || l->lv[0].in_sorter >= 0) return 0;
  const WhereLevel *lv = &l->plan.levels[0];
  if (lv->kind != WLOOP_INDEX || !lv->index || lv->autoindex || lv->in_list || lv->index->where) return 0;
  for (int k = 0; k < lv->index->nkey; k++) {
    int cid = lv->index->cols[k].cid;
    if (cid < 0 || u->set_of[cid] >= 0 || u->table->cols[cid].generated) return 0;
  }
  return 1;
}

/* The loops an UPDATE can change rows in as it goes: a walk of the table
** b-tree itself (the change of the row it is on neither moves it nor shows
** it a row twice), a walk of an index whose entries the change keeps
** (loop_walks_index_kept; any other index walk could meet the changed row's
** new entry again), or a unique lookup, which stops after its one row
** (code_update_rows) and so never walks on to meet an entry the change made. */
static int update_loop_one_pass(const CgLoops *l, const UpdateRow *u) {
  if (loop_is_one_row(l) || loop_walks_table(l)) return 1;
  return loop_walks_index_kept(l, u);
}

/* UPDATE in one pass when the loops allow it (see above), else in two:
** the keys of the matching rows into a sorter, then each row changed. */
static void code_update_rows(Parse *p, const Stmt *st, Table *t, UpdateRow *u, int one_pass_possible) {
  int cursor = cg_cursor(p);
  cg_open_table(p, t, cursor, OP_OpenWrite);
  /* An index whose entries the change keeps is never written: its cursor is
  ** not opened, as SQLite opens only the indexes an UPDATE may change. */
  const char *untouched = cg_update_untouched_indexes(p, t, u->set_of, u->rowid_expr != NULL, u->on_conflict);
  int idx = cg_open_indexes_but(p, t, OP_OpenWrite, untouched);
  p->scope = single_table_scope(p, st, t, cursor, st->alias);
  if (!p->scope) return;
  /* SQLite resolves the SET values' names before WHERE's: an unknown name
  ** there is the one reported (a subquery binds its names when coded). */
  for (int i = 0; i < st->nset && p->rc == LODE_OK && !cg_expr_has_subquery(st->set[i].value); i++)
    cg_bind_names(p, st->set[i].value);
  u->cursor = cursor;
  u->idx_cursor = idx;
  /* Two passes change the rows in key order, as SQLite's list of row keys
  ** gives them: triggers and RETURNING see that order, and it decides which
  ** row first meets a UNIQUE conflict (an error, an IGNORE or a REPLACE). */
  int nkey = cg_row_key_len(t), key_order = u->triggers != NULL || u->replace_triggers != NULL || u->returning != NULL;
  if (one_pass_possible) {
    int open, sorter, done;
    CgLoops *loops = one_pass_loops_open(p, st, t, 1, &open, &sorter, &done);
    if (!loops) return;
    if (p->rc == LODE_OK && update_loop_one_pass(loops, u)) {
      vdbe_change_to_noop(p->v, open);
      /* One row at most, its checks all before its first write: like the
      ** single-row INSERT, it needs no statement savepoint. */
      p->single_write = loop_is_one_row(loops) && !u->returning && row_write_is_all_or_nothing(p, t, u->on_conflict);
      u->old_key = cg_regs(p, nkey);
      u->skip = loops->lv[0].cont;
      cg_row_key_of_row(p, t, cursor, u->old_key);
      cg_update_row(p, u);
      cg_count_change(p);
      /* The unique lookup's one row is done: its index walk must not go on
      ** (it could meet the entry the change just wrote). */
      if (loop_is_one_row(loops) && loops->plan.levels[0].kind == WLOOP_INDEX) vdbe_add_op(p->v, OP_Goto, 0, done, 0);
      cg_loops_close(p, loops, done);
      vdbe_resolve_label(p->v, done);
      return;
    }
    collect_row_keys_body(p, t, cursor, sorter, loops, done);
    RowLoop loop;
    begin_row_loop(p, &loop, t, sorter, cursor);
    u->old_key = loop.key;
    u->skip = loop.next;
    cg_update_row(p, u);
    cg_count_change(p);
    end_row_loop(p, &loop);
    return;
  }
  RowLoop loop;
  int sorter = collect_row_keys(p, t, cursor, st->where, key_order, 1);
  begin_row_loop(p, &loop, t, sorter, cursor);
  u->old_key = loop.key;
  u->skip = loop.next;
  cg_update_row(p, u);
  cg_count_change(p);
  end_row_loop(p, &loop);
}

/* SQLite's questions about an UPDATE: for each SET item, its value's names
** (resolved then, against the target table alone) and SQLITE_UPDATE of its
** column.  A column answered SQLITE_IGNORE keeps its value: the statement
** goes on in *copy without that item (with none left, the rows are still
** updated, each keeping its values).  Returns the statement to code, NULL
** after an error. */
static const Stmt *auth_update(Parse *p, const Stmt *st, Stmt *copy) {
  View *view = cg_find_view_first(p, st->schema, st->table);
  Table *t = view ? NULL : cg_lookup_table(p, st->schema, st->table);
  if (!view && !t) return st; /* the statement's error comes next */
  const char *name = view ? view->name : t->root == BTREE_SCHEMA_ROOT ? cg_schema_table_name(t) : t->name;
  const char *zdb = cg_db_name(p, view ? view->db : t->db);
  ScopeItem item;
  memset(&item, 0, sizeof item);
  item.name = st->alias ? st->alias : st->table;
  item.table = t;
  item.sorter = -1;
  Scope target = {1, &item, p->scope, 0}, *saved = p->scope;
  SetClause *kept = arena_alloc(&p->arena, sizeof(SetClause) * (size_t)(st->nset ? st->nset : 1));
  if (!kept) return cg_error(p, LODE_NOMEM, "out of memory"), NULL;
  int nkept = 0, first_ignored = -1;
  for (int i = 0; i < st->nset && p->rc == LODE_OK; i++) {
    const SetClause *set = &st->set[i];
    const char *column = set->column;
    if (t && !st->from) {
      p->scope = &target;
      cg_auth_early(p, set->value);
      p->scope = saved;
      int c = table_column_index(t, column);
      if (c < 0 && !t->without_rowid && cg_is_rowid_name(column)) column = "ROWID";
      else if (c < 0) return st; /* "no such column" comes next */
      else column = t->cols[c].name;
    }
    int rc = cg_auth_ask(p, CONN_AUTH_UPDATE, name, column, zdb);
    /* An item of SET (a, b) = (SELECT …) shares its subquery with the others and stays. */
    int shared = set->value && set->value->kind == EXPR_SUBQUERY && set->value->subquery_column > 0;
    if (rc == CG_AUTH_IGNORE && t && !shared) {
      if (first_ignored < 0) first_ignored = i;
      continue;
    }
    kept[nkept++] = *set;
  }
  if (p->rc != LODE_OK) return NULL;
  if (nkept == st->nset) return st;
  if (nkept == 0) {
    Expr *self = arena_alloc(&p->arena, sizeof *self);
    if (!self) return cg_error(p, LODE_NOMEM, "out of memory"), NULL;
    self->kind = EXPR_COLUMN;
    self->text = st->set[first_ignored].column;
    self->auth_done = 1; /* the program's own read */
    kept[0].column = st->set[first_ignored].column;
    kept[0].value = self;
    nkept = 1;
  }
  *copy = *st;
  copy->set = kept;
  copy->nset = nkept;
  return copy;
}

void cg_update(Parse *p, const Stmt *st) {
  Stmt authorized;
  if (p->auth && cg_auth_active(p) && !(st = auth_update(p, st, &authorized))) return;
  View *view = cg_find_view_first(p, st->schema, st->table);
  if (view && st->from && !cg_view_has_triggers(p, view)) {
    /* Without INSTEAD OF triggers SQLite refuses the view before it looks at FROM. */
    cg_error(p, LODE_ERROR, "cannot modify %s because it is a view", view->name);
    return;
  }
  if (view) {
    cg_view_change(p, st, view);
    return;
  }
  Table *t = cg_find_writable_table(p, st->schema, st->table);
  const Expr *rowid_expr;
  Stmt limited;
  if (!t) return;
  if (st->from && st->order_limit && !st->order_limit->limit) {
    cg_error(p, LODE_ERROR, "ORDER BY without LIMIT on UPDATE");
    return;
  }
  if (!st->from && !(st = limit_where(p, st, t, "UPDATE", &limited))) return;
  if (t->vtab_module) {
    if (cg_vtab_refused(p, st->schema, st->table)) return;
    cg_vtab_update(p, st, t);
    return;
  }
  p->writes = 1;
  int *set_of = cg_update_columns(p, t, st->set, st->nset, &rowid_expr);
  if (!set_of) return;
  int on_conflict = cg_stmt_conflict(p, st->on_conflict);
  const TriggerSet *triggers = cg_triggers(p, t, t->name, TK_UPDATE, st->set, st->nset, on_conflict);
  const TriggerSet *replacing = replace_triggers(p, t);
  if (p->rc != LODE_OK) return;
  cg_begin_program(p);
  const Returning *ret = cg_returning_begin(p, st, t);
  if (p->rc != LODE_OK) return;
  cg_count_changes_begin(p, st, "rows updated");
  UpdateRow u = {.table = t, .set = st->set, .set_of = set_of, .rowid_expr = rowid_expr,
                 .on_conflict = on_conflict, .returning = ret, .triggers = triggers, .replace_triggers = replacing};
  if (st->from) {
    cg_update_from(p, st, t, &u);
    p->scope = NULL;
    cg_returning_end(p, ret);
    cg_count_changes_end(p);
    cg_end_program(p);
    return;
  }
  code_update_rows(p, st, t, &u,
                   update_one_pass_possible(p, st, t, rowid_expr, on_conflict, triggers || replacing, ret));
  p->scope = NULL;
  cg_returning_end(p, ret);
  cg_count_changes_end(p);
  cg_end_program(p);
}
