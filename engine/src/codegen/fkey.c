/*
** fkey.c — FOREIGN KEY constraints, coded into every row change when PRAGMA
** foreign_keys is on, with SQLite's semantics.
**
** Counting.  A statement does not fail at the first row that breaks a
** foreign key: it counts violations (OP_FkCounter), the statement's own for
** immediate constraints and the transaction's for deferred ones, and the
** statement fails at its end (immediate) or COMMIT fails (deferred) while
** the count is not zero.  So a statement may break a constraint and mend
** it before it ends.  Each row change adjusts the counts as SQLite does:
**   child row arriving (INSERT, UPDATE of the child columns or of a table
**     referencing itself): +1 when no parent row has its key (a row naming
**     itself passes); a single-row INSERT fails at once instead;
**   child row leaving (DELETE, UPDATE): -1 when it had no parent (it was
**     counted when it came), skipped when the count is zero;
**   parent row leaving (DELETE, UPDATE of the parent key): +1 per child
**     row naming its key (the row itself excepted);
**   parent row arriving: -1 per child row naming its key, skipped when the
**     count is zero, and for immediate constraints in a single-row INSERT
**     (which cannot mend anything).
** A NULL in any child column means no constraint.  Parent rows are found
** through the parent's rowid or its UNIQUE index on exactly the parent
** columns (else "foreign key mismatch"); child rows through an index on the
** child columns that SQLite's planner could use, else by a scan.
**
** Actions.  Once a parent row is deleted or its key updated, the action of
** each foreign key referencing it runs, as SQLite's action triggers do:
** RESTRICT fails (unless PRAGMA defer_foreign_keys), CASCADE, SET NULL and
** SET DEFAULT delete or update the child rows naming the old key.  Those
** row changes are row changes like any other, so they fire the child
** table's DELETE or UPDATE OF triggers and act on foreign keys in turn,
** through any depth of tables and self-references.  The program
** cannot recurse, so the work waits on a stack (a transient b-tree of
** (sequence, id, depth, values...) entries, the newest taken first):
**   action entry (old and new parent key): RESTRICT's check, or the child
**     rows naming the old key pushed as row entries, last key first, above
**     a done entry;
**   row entry (row key, new parent key): one child row deleted or updated,
**     through cg_row_change, which pushes the actions it causes on top;
**   done entry: the action and all it caused are done (total_changes()).
** So the work runs depth-first, in SQLite's order.  The top-level row
** change, once done, calls the drain routine (OP_Gosub), which takes
** entries and jumps to their handler until the stack is empty.  Handlers
** are coded once per program, after its Halt, for every action the program
** may queue (handlers may need more handlers).
*/
#include <string.h>

#include "codegen/cg.h"

/* One action handler: the action of fk (child table child, parent table
** parent) for a parent row deleted (ROW_DELETE) or updated. */
typedef struct FkHandler {
  Table *child;
  const ForeignKey *fk;
  Table *parent;
  int kind;
  int label;     /* the action handler: the child rows to change (or RESTRICT's check) */
  int row_label; /* the row handler: one child row changed */
  int coded;
} FkHandler;

struct FkState {
  int queue;   /* cursor of the queue, -1 until an action is queued */
  int seq;     /* register: the last sequence number given */
  int ret;     /* register: the drain routine's return address */
  int drain;   /* label of the drain routine */
  int head;    /* label of its loop head */
  int queued;  /* some action is queued: the program has the queue and the drain routine */
  int nhandlers, cap;
  FkHandler *handlers;
  int last;    /* the handler made last, -1 for none (see check_parent) */
  int depth;   /* while a row handler is coded: the register of its depth, else 0 (top level) */
  int new_row; /* the row change being coded: its new row as its actions read it (cg_fk_check_new) */
};

/* A foreign key and its child table. */
typedef struct FkRef {
  Table *child;
  const ForeignKey *fk;
} FkRef;

static int fk_on(const Parse *p) { return p->db->foreign_keys; }
static FkState *fk_state(Parse *p);

static int is_deferred(const Parse *p, const ForeignKey *fk) { return fk->deferred || p->db->defer_fks; }

/* The foreign keys whose parent is t, in SQLite's order: the one declared
** last first (tables created later first, a table's own last one first). */
static int referencing(Parse *p, const Table *t, FkRef **out) {
  Schema *s = cg_db_schema(p, t->db);
  int n = 0, cap = 0;
  FkRef *refs = NULL;
  *out = NULL;
  for (int i = s->ntables - 1; i >= 0; i--) {
    Table *c = s->tables[i];
    for (const ForeignKey *fk = c->fkeys; fk; fk = fk->next) {
      if (util_stricmp(fk->parent, t->name) != 0) continue;
      if (n == cap) {
        cap = cap ? cap * 2 : 8;
        FkRef *grown = arena_alloc(&p->arena, sizeof *grown * (size_t)cap);
        if (!grown) {
          cg_error(p, LODE_NOMEM, "out of memory");
          return 0;
        }
        if (n) memcpy(grown, refs, sizeof *grown * (size_t)n);
        refs = grown;
      }
      refs[n].child = c;
      refs[n].fk = fk;
      n++;
    }
  }
  *out = refs;
  return n;
}

static int takes_part(Parse *p, const Table *t) {
  FkRef *refs;
  if (!fk_on(p)) return 0;
  return t->fkeys || referencing(p, t, &refs) > 0;
}

/* The register holding column c of a row in registers (the rowid alias
** lives in the rowid register). */
static int col_reg(const Table *t, int regs, int rowid, int c) { return c == t->ipk ? rowid : regs + c; }

/* Whether rc may change column c (a row coming or going changes all).  A
** generated column changes with the columns its expression reads, as SQLite
** marks it for its foreign key checks. */
static int col_changed(Parse *p, const RowChange *rc, int c) {
  if (rc->kind != ROW_UPDATE) return 1;
  if (c == rc->table->ipk) return rc->rowid_given;
  if (!rc->set_of || rc->set_of[c] >= 0) return 1;
  return rc->table->cols[c].generated && cg_generated_changed(p, rc->table, c, rc->set_of, rc->rowid_given);
}

static int child_changed(Parse *p, const RowChange *rc, const ForeignKey *fk) {
  for (int i = 0; i < fk->ncols; i++)
    if (col_changed(p, rc, fk->child_cols[i])) return 1;
  return 0;
}

/* The parent key of fk in parent: per foreign key position j, the parent
** column (pcol[j]); ix/map as fkey_locate.  Reports SQLite's mismatch
** error (unless quiet) and returns -1 when there is none. */
static int parent_key(Parse *p, const Table *child, const ForeignKey *fk, const Table *parent, const Index **ix,
                      int *map, int *pcol, int quiet) {
  if (fkey_locate(fk, parent, ix, map) != 0) {
    if (!quiet) cg_error(p, LODE_ERROR, "foreign key mismatch - \"%s\" referencing \"%s\"", child->name, fk->parent);
    return -1;
  }
  if (!*ix) pcol[0] = parent->ipk;
  else
    for (int i = 0; i < fk->ncols; i++) pcol[map[i]] = (*ix)->cols[i].cid;
  return 0;
}

/* Whether rc may change the parent columns fk names (by name, before any
** parent key is looked for, as SQLite decides it), or the PRIMARY KEY. */
static int parent_changed(Parse *p, const RowChange *rc, const ForeignKey *fk) {
  const Table *t = rc->table;
  if (rc->kind != ROW_UPDATE) return 1;
  if (!fk->parent_cols) {
    if (t->ipk >= 0) return col_changed(p, rc, t->ipk);
    for (int i = 0; t->pk && i < t->pk->nkey; i++)
      if (col_changed(p, rc, t->pk->cols[i].cid)) return 1;
    return 0;
  }
  for (int j = 0; j < fk->ncols; j++) {
    int c = table_column_index(t, fk->parent_cols[j]);
    if (c >= 0 && col_changed(p, rc, c)) return 1;
  }
  return 0;
}

/* A read cursor opened the first time the code runs. */
static int open_once(Parse *p, const Table *t, const Index *ix) {
  int cursor = cg_cursor(p), done = vdbe_make_label(p->v);
  cg_op(p, OP_Once, 0, done, 0);
  if (!ix || !index_has_own_btree(ix)) {
    cg_open_table(p, t, cursor, OP_OpenRead);
  } else {
    KeyInfo *k = cg_index_keyinfo(p, ix);
    int addr = k ? vdbe_add_op4(p->v, OP_OpenRead, cursor, (int)ix->root, 0, P4_KEYINFO, k, 0) : 0;
    if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
    else if (k) vdbe_set_op_db(p->v, addr, t->db);
  }
  vdbe_resolve_label(p->v, done);
  return cursor;
}

static void fk_counter(Parse *p, const ForeignKey *fk, int incr) {
  cg_op(p, OP_FkCounter, is_deferred(p, fk), incr, 0);
}

/* The authorizer's questions about reading a key's columns (cols[0..n)
** of t, -1 the rowid), as SQLite asks them where it codes a check: 1 when
** one was answered SQLITE_IGNORE, which makes the check find no row. */
static int auth_key(Parse *p, const Table *t, const int *cols, int n) {
  int ignored = 0;
  if (!cg_auth_active(p)) return 0;
  for (int i = 0; i < n && p->rc == LODE_OK; i++) {
    int c = cols[i] < 0 ? t->ipk : cols[i];
    const char *name = c >= 0 && c < t->ncols ? t->cols[c].name : "ROWID";
    ignored |= cg_auth_ask(p, CONN_AUTH_READ, t->name, name, cg_db_name(p, t->db)) == CG_AUTH_IGNORE;
  }
  return ignored;
}

/* Jumps to found when a row of parent has the key the child row in
** registers (regs, rowid) names (self: the row itself counts, as it will be
** there), else falls through. */
static void find_parent(Parse *p, Table *child, const ForeignKey *fk, Table *parent, const Index *ix, const int *map,
                        int regs, int rowid, int self, int found) {
  int keycols[64] = {0}, nkey = ix && fk->ncols <= 64 ? fk->ncols : 1;
  for (int i = 0; i < nkey; i++) keycols[i] = ix ? ix->cols[i].cid : -1;
  int ignored = auth_key(p, parent, keycols, nkey); /* the lookup finds no parent */
  if (!ix) {
    int tmp = cg_reg(p), missing = vdbe_make_label(p->v);
    cg_op(p, OP_SCopy, col_reg(child, regs, rowid, fk->child_cols[0]), tmp, 0);
    cg_op(p, OP_MustBeInt, tmp, missing, 0);
    if (self && vdbe_add_op4_int(p->v, OP_Eq, rowid, found, tmp, COLL_BINARY) < 0) cg_error(p, LODE_NOMEM, "oom");
    if (ignored) {
      vdbe_resolve_label(p->v, missing);
      return;
    }
    int cursor = open_once(p, parent, NULL);
    cg_op(p, OP_NotExists, cursor, missing, tmp);
    cg_op(p, OP_Goto, 0, found, 0);
    vdbe_resolve_label(p->v, missing);
    return;
  }
  int n = fk->ncols, key = cg_regs(p, n);
  char *aff = arena_alloc(&p->arena, (size_t)n + 1);
  if (!aff) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (int i = 0; i < n; i++) {
    cg_op(p, OP_SCopy, col_reg(child, regs, rowid, fk->child_cols[map[i]]), key + i, 0);
    aff[i] = parent->cols[ix->cols[i].cid].affinity;
  }
  aff[n] = 0;
  if (self) {
    /* A row naming its own key needs no other parent. */
    int other = vdbe_make_label(p->v);
    for (int i = 0; i < n; i++) {
      int addr =
          vdbe_add_op4_int(p->v, OP_Ne, col_reg(child, regs, rowid, ix->cols[i].cid), other, key + i, COLL_BINARY);
      if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_JUMPIFNULL);
    }
    cg_op(p, OP_Goto, 0, found, 0);
    vdbe_resolve_label(p->v, other);
  }
  if (ignored) return;
  int cursor = open_once(p, parent, ix);
  cg_op4_str(p, OP_Affinity, key, n, 0, aff);
  if (!self || child->without_rowid) {
    vdbe_add_op4_int(p->v, OP_Found, cursor, found, key, n);
    return;
  }
  /* The row's own entry does not count: SQLite looks the key up once the
  ** row's old entries are gone and before its new ones are in (the test
  ** above, without affinity, is the only way a row is its own parent). */
  int hit = vdbe_make_label(p->v), none = vdbe_make_label(p->v), got = cg_reg(p);
  vdbe_add_op4_int(p->v, OP_Found, cursor, hit, key, n);
  cg_op(p, OP_Goto, 0, none, 0);
  vdbe_resolve_label(p->v, hit);
  cg_op(p, OP_IdxRowid, cursor, got, 0);
  cg_op(p, OP_Ne, rowid, found, got);
  vdbe_resolve_label(p->v, none);
}

/* A top-level INSERT of one row that replaces nothing: SQLite's
** single-row INSERT, which cannot mend an immediate violation and has no
** statement journal.  An INSERT in a trigger body is part of the statement
** that fired it: it can mend what that statement did. */
static int upsert_updates_keys(Parse *p, const RowChange *rc);

static int single_row_insert(Parse *p, const RowChange *rc) {
  return rc->kind == ROW_INSERT && p->fk_single_row && !p->fk_nested && !p->trigger && !cg_row_may_replace(rc) &&
         !upsert_updates_keys(p, rc);
}

/* SQLite skips the check of a child row arriving under a foreign key whose
** ON DELETE / ON UPDATE SET NULL action was the last action it compiled
** (meant for the rows that action sets NULL, it also applies to the row an
** OR REPLACE inserts after deleting one): so does Lode, for the same
** results. */
static int set_null_was_last(const Parse *p, const ForeignKey *fk) {
  if (!p->fk || p->fk->last < 0) return 0;
  const FkHandler *h = &p->fk->handlers[p->fk->last];
  return h->fk == fk && (h->kind == ROW_DELETE ? fk->on_delete : fk->on_update) == FK_ACTION_SET_NULL;
}

/* Child side: the row of child in registers (regs, rowid) comes (incr = 1)
** or goes (-1); adjusts the count unless its parent row exists. */
static void check_parent(Parse *p, const RowChange *rc, Table *child, const ForeignKey *fk, int regs, int rowid,
                         int incr) {
  if (incr > 0 && set_null_was_last(p, fk)) return;
  Table *parent = schema_find_table(cg_db_schema(p, child->db), fk->parent);
  const Index *ix;
  int map[64], pcol[64], ok = vdbe_make_label(p->v);
  if (fk->ncols > 64) return;
  if (!parent) {
    if (p->fk_quiet) return;
    if (!p->fk_dropping && schema_find_view(cg_db_schema(p, child->db), fk->parent)) {
      /* A view has no key to reference: SQLite finds it, then no index on it. */
      cg_error(p, LODE_ERROR, "foreign key mismatch - \"%s\" referencing \"%s\"", child->name, fk->parent);
      return;
    }
    if (!p->fk_dropping) {
      cg_error(p, LODE_ERROR, "no such table: %s.%s", cg_db_name(p, child->db), fk->parent);
      return;
    }
    /* DROP TABLE's implicit DELETE: a missing parent is an empty one. */
    if (incr > 0) return;
    for (int j = 0; j < fk->ncols; j++) cg_op(p, OP_IsNull, col_reg(child, regs, rowid, fk->child_cols[j]), ok, 0);
    fk_counter(p, fk, incr);
    vdbe_resolve_label(p->v, ok);
    return;
  }
  if (parent_key(p, child, fk, parent, &ix, map, pcol, p->fk_dropping || p->fk_quiet) != 0) return;
  for (int j = 0; j < fk->ncols; j++) cg_op(p, OP_IsNull, col_reg(child, regs, rowid, fk->child_cols[j]), ok, 0);
  if (incr < 0) cg_op(p, OP_FkIfZero, is_deferred(p, fk), ok, 0);
  find_parent(p, child, fk, parent, ix, map, regs, rowid, parent == child && incr > 0, ok);
  if (incr > 0 && single_row_insert(p, rc) && !is_deferred(p, fk)) {
    /* SQLite fails a single-row INSERT at once (it has no statement
    ** journal, so deferred violations counted before stay counted). */
    const char *msg = "FOREIGN KEY constraint failed";
    if (vdbe_add_op4(p->v, OP_Halt, LODE_CONSTRAINT_FOREIGNKEY, ONCONFLICT_ABORT, 0, P4_STRING, msg,
                     (int)strlen(msg)) < 0)
      cg_error(p, LODE_NOMEM, "out of memory");
    vdbe_resolve_label(p->v, ok);
    return;
  }
  fk_counter(p, fk, incr);
  vdbe_resolve_label(p->v, ok);
}

/* EXPLAIN QUERY PLAN shows each scan of child rows once, as SQLite codes
** it once (Lode codes the rows of a multi-row VALUES one by one). */
struct FkExplained {
  const ForeignKey *fk;
  int incr;
  struct FkExplained *next;
};

static int first_explain(Parse *p, const ForeignKey *fk, int incr) {
  for (const FkExplained *e = p->fk_explained; e; e = e->next)
    if (e->fk == fk && e->incr == incr) return 0;
  FkExplained *e = arena_alloc(&p->arena, sizeof *e);
  if (!e) return 1;
  e->fk = fk;
  e->incr = incr;
  e->next = p->fk_explained;
  p->fk_explained = e;
  return 1;
}

/* What a scan of child rows does with each row naming the key. */
enum { SCAN_COUNT, SCAN_RESTRICT, SCAN_COLLECT };

/* Loops over the rows of r->child whose child columns equal the parent key
** in key[0..n) (foreign key order), compared as SQLite compares
** "parent = child": the parent column's collation, the affinity both
** columns imply.  SCAN_COUNT adds incr per row (skipping the row whose key
** is at self, 0: none); SCAN_RESTRICT fails at the first; SCAN_COLLECT puts
** each row's key into sorter. */
/* The affinity "parent = child" applies: in the counting scans both sides
** are columns (numeric if either is, else none); in an action's statement
** the old key is a value without affinity, so the child column's applies. */
static char scan_affinity(const Table *parent, int pc, const Table *child, int cc, int action) {
  char c = child->cols[cc].affinity;
  if (action) return c == AFF_NONE ? 0 : c;
  return cg_combine_affinity(parent->cols[pc].affinity, c);
}

/* An index of child whose first fk->ncols key columns are the child
** columns (in any order), each usable for "parent = child" as SQLite's
** planner would use it: the parent column's collation, and an affinity of
** the comparison the column's values already have.  at[i]: the foreign key
** position of key column i. */
static const Index *child_index(const Table *child, const ForeignKey *fk, const Table *parent, const int *pcol,
                                int action, int *at) {
  int n = fk->ncols;
  for (const Index *ix = child->indexes; ix; ix = ix->next) {
    if (ix->nkey < n || ix->where) continue;
    int i;
    for (i = 0; i < n; i++) {
      int cid = ix->cols[i].cid, j;
      for (j = 0; j < n && fk->child_cols[j] != cid; j++) {}
      if (cid < 0 || j == n || ix->cols[i].coll != parent->cols[pcol[j]].coll) break;
      char aff = scan_affinity(parent, pcol[j], child, cid, action);
      char col = child->cols[cid].affinity;
      if (aff == AFF_TEXT && col != AFF_TEXT) break;
      if (aff >= AFF_NUMERIC && col < AFF_NUMERIC) break;
      at[i] = j;
    }
    if (i == n) return ix;
  }
  return NULL;
}

/* The body of a scan of child rows, on the row the cursor (of the table,
** or of index ix) is on. */
static void scan_row(Parse *p, const FkRef *r, const Index *ix, int cursor, int mode, int incr, int self, int sorter,
                     int next) {
  Table *child = r->child;
  int nkey = cg_row_key_len(child), rowkey = 0;
  if (self || mode == SCAN_COLLECT) {
    rowkey = cg_regs(p, nkey);
    if (ix) cg_row_key_of_entry(p, ix, cursor, rowkey);
    else cg_row_key_of_row(p, child, cursor, rowkey);
  }
  if (self) cg_jump_if_same_row(p, child, rowkey, self, next);
  if (mode == SCAN_COUNT) {
    fk_counter(p, r->fk, incr);
  } else if (mode == SCAN_RESTRICT) {
    const char *msg = "FOREIGN KEY constraint failed";
    if (vdbe_add_op4(p->v, OP_Halt, LODE_CONSTRAINT_TRIGGER, ONCONFLICT_ABORT, 0, P4_STRING, msg, (int)strlen(msg)) < 0)
      cg_error(p, LODE_NOMEM, "out of memory");
  } else {
    int rec = cg_reg(p);
    cg_op(p, OP_MakeRecord, rowkey, nkey, rec);
    cg_op(p, OP_SorterInsert, sorter, rec, 0);
  }
}

/* The EXPLAIN QUERY PLAN step of a counting scan, as SQLite words it. */
static void explain_scan(Parse *p, const Table *child, const Index *ix, int n) {
  int saved = p->explain_parent;
  p->explain_parent = 0;
  if (!ix) {
    cg_explain_step(p, "SCAN %s", child->name);
  } else {
    StrBuf b;
    strbuf_init(&b);
    for (int i = 0; i < n; i++) strbuf_printf(&b, "%s%s=?", i ? " AND " : "", child->cols[ix->cols[i].cid].name);
    char *terms = strbuf_finish(&b);
    if (!terms) cg_error(p, LODE_NOMEM, "out of memory");
    else if (!index_has_own_btree(ix)) cg_explain_step(p, "SEARCH %s USING PRIMARY KEY (%s)", child->name, terms);
    else cg_explain_step(p, "SEARCH %s USING COVERING INDEX %s (%s)", child->name, ix->name, terms);
    util_free(terms);
  }
  p->explain_parent = saved;
}

/* Loops over the rows of r->child whose child columns equal the parent key
** in key[0..n) (foreign key order), compared as SQLite compares
** "parent = child": the parent column's collation, the affinity both
** columns imply; through an index on the child columns when there is one.
** SCAN_COUNT adds incr per row (skipping the row whose key is at self, 0:
** none); SCAN_RESTRICT fails at the first; SCAN_COLLECT puts each row's key
** into sorter. */
static void scan_children(Parse *p, const FkRef *r, const Table *parent, const int *pcol, int key, int mode,
                          int incr, int self, int sorter) {
  Table *child = r->child;
  const ForeignKey *fk = r->fk;
  int n = fk->ncols, done = vdbe_make_label(p->v), next = vdbe_make_label(p->v), at[64];
  int action = mode != SCAN_COUNT;
  /* Counting a parent's children reads the child key (SQLITE_IGNORE: none is found). */
  if (!action && auth_key(p, child, fk->child_cols, n)) return;
  const Index *ix = child_index(child, fk, parent, pcol, action, at);
  for (int j = 0; j < n; j++) cg_op(p, OP_IsNull, key + j, done, 0);
  if (mode == SCAN_COUNT && p->explain_plan && first_explain(p, fk, incr)) explain_scan(p, child, ix, n);
  if (ix) {
    int probe = cg_regs(p, n);
    char *aff = arena_alloc(&p->arena, (size_t)n + 1);
    if (!aff) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    for (int i = 0; i < n; i++) {
      char a = scan_affinity(parent, pcol[at[i]], child, ix->cols[i].cid, action);
      cg_op(p, OP_SCopy, key + at[i], probe + i, 0);
      aff[i] = a ? a : AFF_NONE;
    }
    aff[n] = 0;
    cg_op4_str(p, OP_Affinity, probe, n, 0, aff);
    int cursor = open_once(p, child, ix);
    vdbe_add_op4_int(p->v, OP_SeekGE, cursor, done, probe, n);
    int top = vdbe_current_addr(p->v);
    vdbe_add_op4_int(p->v, OP_IdxGT, cursor, done, probe, n);
    scan_row(p, r, ix, cursor, mode, incr, self, sorter, next);
    vdbe_resolve_label(p->v, next);
    cg_op(p, OP_Next, cursor, top, 0);
    vdbe_resolve_label(p->v, done);
    return;
  }
  int cursor = open_once(p, child, NULL), tmp = cg_reg(p);
  cg_op(p, OP_Rewind, cursor, done, 0);
  int top = vdbe_current_addr(p->v);
  for (int j = 0; j < n; j++) {
    const Column *pc = &parent->cols[pcol[j]];
    char aff = scan_affinity(parent, pcol[j], child, fk->child_cols[j], action);
    /* An INTEGER PRIMARY KEY child column is the rowid (NULL in the record). */
    int cc = fk->child_cols[j] == child->ipk ? -1 : fk->child_cols[j];
    cg_code_column(p, child, cursor, cc, tmp);
    int addr = vdbe_add_op4_int(p->v, OP_Ne, tmp, next, key + j, pc->coll);
    if (addr >= 0) vdbe_set_p5(p->v, addr, (uint16_t)(CMP_JUMPIFNULL | (aff ? aff - 'A' + 1 : 0)));
  }
  scan_row(p, r, NULL, cursor, mode, incr, self, sorter, next);
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_Next, cursor, top, 0);
  vdbe_resolve_label(p->v, done);
}

/* The parent key values of a row in registers into key[0..n), in foreign
** key order. */
static int key_of_row(Parse *p, const Table *parent, const ForeignKey *fk, const int *pcol, int regs, int rowid) {
  int key = cg_regs(p, fk->ncols);
  /* Deep copies: the row's registers may be converted in place later. */
  for (int j = 0; j < fk->ncols; j++) cg_op(p, OP_Copy, col_reg(parent, regs, rowid, pcol[j]), key + j, 0);
  return key;
}

/* Parent side: the row of t in registers (regs, rowid; its row key at self
** when it leaves) comes (incr = -1) or goes (+1). */
static void count_children(Parse *p, const RowChange *rc, int regs, int rowid, int incr, int self, int conv) {
  Table *t = (Table *)rc->table;
  FkRef *refs;
  int nrefs = referencing(p, t, &refs);
  for (int i = 0; i < nrefs && p->rc == LODE_OK; i++) {
    const ForeignKey *fk = refs[i].fk;
    const Index *ix;
    int map[64], pcol[64];
    if (fk->ncols > 64) continue;
    if (!parent_changed(p, rc, fk)) continue;
    /* A single-row INSERT cannot mend an immediate violation (one that
    ** may replace rows can). */
    if (incr < 0 && single_row_insert(p, rc) && !is_deferred(p, fk)) continue;
    if (parent_key(p, refs[i].child, fk, t, &ix, map, pcol, p->fk_dropping || p->fk_quiet) != 0) continue;
    int skip = vdbe_make_label(p->v);
    if (incr < 0) cg_op(p, OP_FkIfZero, is_deferred(p, fk), skip, 0);
    /* The key as earlier index searches left it (converted in place). */
    int key = conv ? key_of_row(p, t, fk, pcol, conv, conv + t->ncols) : key_of_row(p, t, fk, pcol, regs, rowid);
    if (conv && fk->ncols == 1) {
      /* SQLite's index search applies the comparison affinity to the row's
      ** register itself, which its actions then read as the old or new key:
      ** conv.. is that row as the actions read it.  Only a one-column key
      ** is probed from the row's register: the columns of a longer one are
      ** copied into the probe first. */
      int at[64];
      const Index *cix = child_index(refs[i].child, fk, t, pcol, 0, at);
      for (int k = 0; cix && k < fk->ncols; k++) {
        int j = at[k];
        char a = scan_affinity(t, pcol[j], refs[i].child, cix->cols[k].cid, 0);
        char aff[2] = {a ? a : AFF_NONE, 0};
        cg_op4_str(p, OP_Affinity, col_reg(t, conv, conv + t->ncols, pcol[j]), 1, 0, aff);
      }
    }
    scan_children(p, &refs[i], t, pcol, key, SCAN_COUNT, incr, refs[i].child == t ? self : 0, 0);
    vdbe_resolve_label(p->v, skip);
  }
}

int cg_fk_involves(Parse *p, const Table *t) { return takes_part(p, t); }

KeyInfo *cg_row_keyinfo(Parse *p, const Table *t) {
  int n = cg_row_key_len(t);
  KeyInfo *k = keyinfo_new(n);
  if (!k) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  for (int j = 0; t->without_rowid && t->pk && j < n; j++) {
    k->desc[j] = (uint8_t)t->pk->cols[j].desc;
    k->nulls_last[j] = (uint8_t)t->pk->cols[j].desc;
    k->coll[j] = (uint8_t)t->pk->cols[j].coll;
  }
  return k;
}

/* Whether the row change has anything to do with foreign keys: an UPDATE
** only when it may change child columns or a parent key. */
static int fk_required(Parse *p, const RowChange *rc) {
  const Table *t = rc->table;
  FkRef *refs;
  if (!takes_part(p, t)) return 0;
  if (rc->kind != ROW_UPDATE) return 1;
  for (const ForeignKey *fk = t->fkeys; fk; fk = fk->next)
    if (child_changed(p, rc, fk)) return 1;
  int n = referencing(p, t, &refs);
  for (int i = 0; i < n; i++)
    if (parent_changed(p, rc, refs[i].fk)) return 1;
  return 0;
}

/* The child side of an UPDATE is checked when it may change the child
** columns, and always for a foreign key of the table to itself (whose
** parent key may change under the child columns), as in SQLite. */
static int check_child(Parse *p, const RowChange *rc, const ForeignKey *fk) {
  return child_changed(p, rc, fk) || util_stricmp(fk->parent, rc->table->name) == 0;
}

/* An upsert whose DO UPDATE may change foreign key columns or a parent key
** makes SQLite code its INSERT as a multi-row one. */
static int upsert_updates_keys(Parse *p, const RowChange *rc) {
  const Table *t = rc->table;
  for (int i = 0; rc->upsert && i < rc->upsert->n; i++) {
    const Upsert *u = rc->upsert->clause[i];
    if (!u->do_update) continue;
    int *set_of = arena_alloc(&p->arena, sizeof(int) * (size_t)(t->ncols ? t->ncols : 1)), rowid = 0;
    if (!set_of) return 1;
    for (int c = 0; c < t->ncols; c++) set_of[c] = -1;
    for (int k = 0; k < u->nset; k++) {
      int c = table_column_index(t, u->set[k].column);
      if (c >= 0) set_of[c] = k;
      if (c == t->ipk || (c < 0 && !t->without_rowid)) rowid = 1;
    }
    RowChange update = {.kind = ROW_UPDATE, .table = t, .rowid_given = rowid, .set_of = set_of};
    if (fk_required(p, &update)) return 1;
  }
  return 0;
}

/* Once a change of t has foreign key work to do, every foreign key naming t
** as its parent must have a parent key, even one whose columns the change
** leaves alone: SQLite finds them all while deciding which old columns to
** read, and fails the statement with the mismatch error.  Its message names
** the first foreign key (in the order SQLite keeps them) whose parent
** columns the change writes and which has no parent key, as SQLite's check
** of the change stops there; when there is none, the last one that has no
** parent key, the last error of that first pass.  DROP TABLE's deletion (and
** the quiet passes) report nothing, as elsewhere in this file. */
static int all_parent_keys_exist(Parse *p, const RowChange *rc) {
  FkRef *refs;
  const Table *t = rc->table;
  if (p->fk_dropping || p->fk_quiet) return 1;
  int n = referencing(p, t, &refs), bad = -1;
  for (int i = 0; i < n; i++) {
    const Index *ix;
    int map[64], pcol[64];
    if (parent_key(p, refs[i].child, refs[i].fk, t, &ix, map, pcol, 1) == 0) continue;
    if (bad < 0 || !parent_changed(p, rc, refs[bad].fk)) bad = i;
    if (parent_changed(p, rc, refs[i].fk)) break;
  }
  if (bad >= 0)
    cg_error(p, LODE_ERROR, "foreign key mismatch - \"%s\" referencing \"%s\"", refs[bad].child->name,
             refs[bad].fk->parent);
  return p->rc == LODE_OK;
}

/* The child side's counterpart: every foreign key of the changed row that
** is checked has a parent table (not a view) with a parent key.  SQLite
** meets these errors after the parent side's mismatches and reports the
** last error it met, so a child side error is the one reported. */
static int child_parent_keys_exist(Parse *p, const RowChange *rc) {
  const Table *t = rc->table;
  if (p->fk_dropping || p->fk_quiet) return 1;
  for (const ForeignKey *fk = t->fkeys; fk && p->rc == LODE_OK; fk = fk->next) {
    if (!check_child(p, rc, fk)) continue;
    const Table *parent = schema_find_table(cg_db_schema(p, t->db), fk->parent);
    const Index *ix;
    int map[64], pcol[64];
    if (parent) {
      if (fk->ncols <= 64) parent_key(p, t, fk, parent, &ix, map, pcol, 0);
    } else if (schema_find_view(cg_db_schema(p, t->db), fk->parent)) {
      cg_error(p, LODE_ERROR, "foreign key mismatch - \"%s\" referencing \"%s\"", t->name, fk->parent);
    } else {
      cg_error(p, LODE_ERROR, "no such table: %s.%s", cg_db_name(p, t->db), fk->parent);
    }
  }
  return p->rc == LODE_OK;
}

int cg_fk_old_row(Parse *p, const RowChange *rc) {
  if (single_row_insert(p, rc) && takes_part(p, rc->table)) vdbe_set_fk_keeps_deferred(p->v);
  const Table *t = rc->table;
  if (rc->kind == ROW_INSERT || !fk_required(p, rc)) return 0;
  if (!child_parent_keys_exist(p, rc) || !all_parent_keys_exist(p, rc)) return 0;
  int old = cg_regs(p, t->ncols + 1);
  for (int i = 0; i < t->ncols; i++) cg_code_column(p, (Table *)t, rc->cursor, i, old + i);
  if (!t->without_rowid) cg_code_column(p, (Table *)t, rc->cursor, -1, old + t->ncols);
  return old;
}

void cg_fk_check_old(Parse *p, const RowChange *rc, int old) {
  Table *t = (Table *)rc->table;
  if (!old) return;
  for (const ForeignKey *fk = t->fkeys; fk && p->rc == LODE_OK; fk = fk->next)
    if (check_child(p, rc, fk)) check_parent(p, rc, t, fk, old, old + t->ncols, -1);
  count_children(p, rc, old, old + t->ncols, 1, rc->old_key, old);
}

/* The new row's values as they will be stored (SQLite's record making has
** applied the column affinities by the time it checks foreign keys). */
static void apply_affinity(Parse *p, const Table *t, int regs) {
  char *aff = arena_alloc(&p->arena, (size_t)t->ncols + 1);
  if (!aff) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (int i = 0; i < t->ncols; i++) {
    const char *type = t->cols[i].decltype_;
    aff[i] = t->strict && type && util_stricmp(type, "ANY") == 0 ? AFF_NONE : t->cols[i].affinity;
  }
  aff[t->ncols] = 0;
  if (t->ncols) cg_op4_str(p, OP_Affinity, regs, t->ncols, 0, aff);
}

/* Whether an UPDATE runs ON UPDATE actions (SQLite codes a program for
** each: RESTRICT's too, unless PRAGMA defer_foreign_keys). */
static int has_update_actions(Parse *p, const RowChange *rc) {
  FkRef *refs;
  int n = referencing(p, rc->table, &refs);
  for (int i = 0; i < n; i++) {
    int action = refs[i].fk->on_update;
    if (action == FK_ACTION_NONE || (action == FK_ACTION_RESTRICT && p->db->defer_fks)) continue;
    if (parent_changed(p, rc, refs[i].fk)) return 1;
  }
  return 0;
}

void cg_fk_check_new(Parse *p, const RowChange *rc) {
  Table *t = (Table *)rc->table;
  if (!fk_required(p, rc)) return;
  apply_affinity(p, t, rc->regs);
  for (const ForeignKey *fk = t->fkeys; fk && p->rc == LODE_OK; fk = fk->next)
    if (check_child(p, rc, fk)) check_parent(p, rc, t, fk, rc->regs, rc->new_rowid, 1);
  FkState *st = fk_state(p);
  if (!st) return;
  st->new_row = cg_regs(p, t->ncols + 1);
  if (t->ncols) cg_op(p, OP_Copy, rc->regs, st->new_row, t->ncols - 1);
  if (!t->without_rowid) cg_op(p, OP_Copy, rc->new_rowid, st->new_row + t->ncols, 0);
  /* The old row of an UPDATE is still in the table (the write replaces
  ** it) and counts, as in SQLite, unless the UPDATE may change the rowid or
  ** has ON UPDATE actions to run: SQLite has then deleted it by now (Lode
  ** only when the rowid changed). */
  int gone = rc->kind == ROW_UPDATE && (rc->rowid_given || t->without_rowid || has_update_actions(p, rc))
                 ? rc->old_key
                 : 0;
  count_children(p, rc, rc->regs, rc->new_rowid, -1, gone, st->new_row);
}

/* ---- actions ------------------------------------------------------------------- */

static FkState *fk_state(Parse *p) {
  if (p->fk) return p->fk;
  FkState *s = arena_alloc(&p->arena, sizeof *s);
  if (!s) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  memset(s, 0, sizeof *s);
  s->queue = cg_cursor(p);
  s->seq = cg_reg(p);
  s->ret = cg_reg(p);
  s->drain = vdbe_make_label(p->v);
  s->head = vdbe_make_label(p->v);
  s->last = -1;
  p->fk = s;
  return s;
}

/* The handler of fk's action on a parent row deleted or updated (kind). */
static int handler_for(Parse *p, const FkRef *r, Table *parent, int kind) {
  FkState *s = fk_state(p);
  if (!s) return -1;
  for (int i = 0; i < s->nhandlers; i++)
    if (s->handlers[i].fk == r->fk && s->handlers[i].kind == kind) return i;
  if (s->nhandlers == s->cap) {
    int cap = s->cap ? s->cap * 2 : 8;
    FkHandler *grown = arena_alloc(&p->arena, sizeof *grown * (size_t)cap);
    if (!grown) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return -1;
    }
    if (s->nhandlers) memcpy(grown, s->handlers, sizeof *grown * (size_t)s->nhandlers);
    s->handlers = grown;
    s->cap = cap;
  }
  FkHandler *h = &s->handlers[s->nhandlers];
  h->child = r->child;
  h->fk = r->fk;
  h->parent = parent;
  h->kind = kind;
  h->label = vdbe_make_label(p->v);
  h->row_label = vdbe_make_label(p->v);
  h->coded = 0;
  s->last = s->nhandlers;
  return s->nhandlers++;
}

/* Pushes a queue entry (sequence, id, depth, a[0..na), b[0..nb)). */
static void push_entry(Parse *p, int id, int depth, int a, int na, int b, int nb) {
  FkState *s = p->fk;
  s->queued = 1;
  int rec = cg_regs(p, 3 + na + nb), r = cg_reg(p), one = cg_reg(p);
  cg_op(p, OP_Integer, 1, one, 0);
  cg_op(p, OP_Add, one, s->seq, s->seq);
  cg_op(p, OP_SCopy, s->seq, rec, 0);
  cg_op(p, OP_Integer, id, rec + 1, 0);
  cg_op(p, OP_SCopy, depth, rec + 2, 0);
  for (int j = 0; j < na; j++) cg_op(p, OP_SCopy, a + j, rec + 3 + j, 0);
  for (int j = 0; j < nb; j++) cg_op(p, OP_SCopy, b + j, rec + 3 + na + j, 0);
  cg_op(p, OP_MakeRecord, rec, 3 + na + nb, r);
  cg_op(p, OP_IdxInsert, s->queue, r, 0);
}

/* Queues the action of handler h, one level deeper than the row change
** being coded, with the old and new parent keys (n values each). */
static void queue_action(Parse *p, int h, int oldkey, int newkey, int n) {
  FkState *s = p->fk;
  int depth = cg_reg(p);
  if (s->depth) cg_op(p, OP_Integer, 1, depth, 0), cg_op(p, OP_Add, s->depth, depth, depth);
  else cg_op(p, OP_Integer, 1, depth, 0);
  push_entry(p, 2 * h, depth, oldkey, n, newkey, n);
}

void cg_fk_actions(Parse *p, const RowChange *rc, int old) {
  Table *t = (Table *)rc->table;
  FkRef *refs;
  if (!old) return;
  int nrefs = referencing(p, t, &refs), queued = 0;
  int *handler = arena_alloc(&p->arena, sizeof(int) * (size_t)(nrefs ? nrefs : 1));
  if (!handler) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  /* The handlers in SQLite's order of its action triggers (see
  ** set_null_was_last) ... */
  for (int i = 0; i < nrefs && p->rc == LODE_OK; i++) {
    const ForeignKey *fk = refs[i].fk;
    int action = rc->kind == ROW_DELETE ? fk->on_delete : fk->on_update;
    const Index *ix;
    int map[64], pcol[64];
    handler[i] = -1;
    if (action == FK_ACTION_NONE || fk->ncols > 64) continue;
    if (action == FK_ACTION_RESTRICT && p->db->defer_fks) continue;
    if (!parent_changed(p, rc, fk)) continue;
    if (parent_key(p, refs[i].child, fk, t, &ix, map, pcol, 1) != 0) continue;
    handler[i] = handler_for(p, &refs[i], t, rc->kind);
  }
  /* ... queued last first, so that the queue (newest first) runs them in
  ** order. */
  for (int i = nrefs - 1; i >= 0 && p->rc == LODE_OK; i--) {
    const ForeignKey *fk = refs[i].fk;
    const Index *ix;
    int map[64], pcol[64];
    if (handler[i] < 0 || parent_key(p, refs[i].child, fk, t, &ix, map, pcol, 1) != 0) continue;
    int skip = vdbe_make_label(p->v);
    int oldkey = key_of_row(p, t, fk, pcol, old, old + t->ncols);
    int newkey = oldkey;
    if (rc->kind == ROW_UPDATE && p->fk) {
      /* Only when the key changes (old IS NOT new, under its collations). */
      int changed = vdbe_make_label(p->v);
      newkey = key_of_row(p, t, fk, pcol, p->fk->new_row, p->fk->new_row + t->ncols);
      for (int j = 0; j < fk->ncols; j++) {
        int addr = vdbe_add_op4_int(p->v, OP_Ne, newkey + j, changed, oldkey + j, t->cols[pcol[j]].coll);
        if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_NULLEQ);
      }
      cg_op(p, OP_Goto, 0, skip, 0);
      vdbe_resolve_label(p->v, changed);
    }
    queue_action(p, handler[i], oldkey, newkey, fk->ncols);
    queued = 1;
    vdbe_resolve_label(p->v, skip);
  }
  if (queued && !p->fk_nested) cg_op(p, OP_Gosub, p->fk->ret, p->fk->drain, 0);
}

/* The new row of a child row the action changes: its columns read from
** cursor, the child columns set as the action says. */
static void action_new_row(Parse *p, const FkHandler *h, int cursor, int newkey, int regs) {
  Table *c = h->child;
  const ForeignKey *fk = h->fk;
  int action = h->kind == ROW_DELETE ? fk->on_delete : fk->on_update;
  for (int i = 0; i < c->ncols; i++) cg_code_column(p, c, cursor, i, regs + i);
  for (int j = 0; j < fk->ncols; j++) {
    int col = fk->child_cols[j];
    if (action == FK_ACTION_SET_NULL) cg_op(p, OP_Null, 0, regs + col, 0);
    else if (action == FK_ACTION_SET_DEFAULT) cg_literal_default(p, c, &c->cols[col], regs + col);
    else cg_op(p, OP_SCopy, newkey + j, regs + col, 0);
  }
}

/* The id of the entry an action leaves under its row entries, with the
** count of uncounted changes when it began: when it is taken, the action
** is done, and the changes made since count (FkActionsDone). */
#define FK_ENTRY_DONE (-1)

/* Reads the entry the queue is on into regs (its columns from 0) and
** removes it. */
static void pop_entry(Parse *p, int regs, int n) {
  FkState *s = p->fk;
  for (int j = 0; j < n; j++) cg_op(p, OP_Column, p->fk->queue, j, regs + j);
  vdbe_add_op4_int(p->v, OP_IdxDelete, s->queue, regs, 1, 0);
}

/* The action handler: RESTRICT fails if a child row names the old key;
** the other actions push a row entry per such child row, last key first,
** so that they are changed in key order, each with what it causes before
** the next (the queue is a stack: SQLite's nested trigger programs). */
static void code_action_handler(Parse *p, FkHandler *h, int id) {
  FkState *s = p->fk;
  Table *c = h->child;
  const ForeignKey *fk = h->fk;
  int n = fk->ncols, action = h->kind == ROW_DELETE ? fk->on_delete : fk->on_update;
  const Index *ix;
  int map[64], pcol[64];
  vdbe_resolve_label(p->v, h->label);
  int e = cg_regs(p, 3 + 2 * n), depth = e + 2, oldkey = e + 3, newkey = e + 3 + n;
  pop_entry(p, e, 3 + 2 * n);
  int deep_enough = vdbe_make_label(p->v), limit = cg_reg(p);
  cg_op(p, OP_Integer, p->db->limits[LODE_LIMIT_TRIGGER_DEPTH], limit, 0);
  cg_op(p, OP_Le, limit, deep_enough, depth);
  const char *msg = "too many levels of trigger recursion";
  if (vdbe_add_op4(p->v, OP_Halt, LODE_ERROR, ONCONFLICT_ABORT, 0, P4_STRING, msg, (int)strlen(msg)) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  vdbe_resolve_label(p->v, deep_enough);
  FkRef r = {c, fk};
  if (parent_key(p, c, fk, h->parent, &ix, map, pcol, 1) != 0) {
    cg_op(p, OP_Goto, 0, s->head, 0);
    return;
  }
  if (action == FK_ACTION_RESTRICT) {
    scan_children(p, &r, h->parent, pcol, oldkey, SCAN_RESTRICT, 0, 0, 0);
    cg_op(p, OP_Goto, 0, s->head, 0);
    return;
  }
  int nkey = cg_row_key_len(c), sorter = cg_cursor(p), pseudo = cg_cursor(p), rec = cg_reg(p), key = cg_regs(p, nkey);
  KeyInfo *k = cg_row_keyinfo(p, c);
  if (!k) return;
  for (int j = 0; j < nkey; j++) k->desc[j] = !k->desc[j], k->nulls_last[j] = !k->nulls_last[j];
  if (vdbe_add_op4(p->v, OP_SorterOpen, sorter, nkey, 0, P4_KEYINFO, k, 0) < 0) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  scan_children(p, &r, h->parent, pcol, oldkey, SCAN_COLLECT, 0, 0, sorter);
  int mark = cg_reg(p);
  cg_op(p, OP_FkActionsMark, mark, 0, 0);
  push_entry(p, FK_ENTRY_DONE, depth, mark, 1, 0, 0);
  cg_op(p, OP_OpenPseudo, pseudo, rec, nkey);
  cg_op(p, OP_SorterSort, sorter, s->head, 0);
  int top = cg_op(p, OP_SorterData, sorter, rec, 0);
  for (int j = 0; j < nkey; j++) cg_op(p, OP_Column, pseudo, j, key + j);
  push_entry(p, id + 1, depth, key, nkey, newkey, n);
  cg_op(p, OP_SorterNext, sorter, top, 0);
  cg_op(p, OP_Goto, 0, s->head, 0);
}

/* The UPDATE triggers of child table c that the action's UPDATE of fk's
** columns fires. */
static const TriggerSet *action_update_triggers(Parse *p, Table *c, const ForeignKey *fk) {
  SetClause *set = arena_alloc(&p->arena, sizeof *set * (size_t)fk->ncols);
  if (!set) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  for (int j = 0; j < fk->ncols; j++) set[j] = (SetClause){.column = c->cols[fk->child_cols[j]].name};
  return cg_triggers(p, c, c->name, TK_UPDATE, set, fk->ncols, ONCONFLICT_UNSET);
}

/* The row handler: one child row deleted or updated as the action says
** (if it is still there). */
static void code_row_handler(Parse *p, FkHandler *h) {
  FkState *s = p->fk;
  Table *c = h->child;
  const ForeignKey *fk = h->fk;
  int n = fk->ncols, action = h->kind == ROW_DELETE ? fk->on_delete : fk->on_update;
  int nkey = cg_row_key_len(c);
  vdbe_resolve_label(p->v, h->row_label);
  int e = cg_regs(p, 3 + nkey + n), depth = e + 2, key = e + 3, newkey = e + 3 + nkey;
  pop_entry(p, e, 3 + nkey + n);
  int cursor = cg_cursor(p), opened = vdbe_make_label(p->v);
  cg_op(p, OP_Once, 0, opened, 0);
  cg_open_table(p, c, cursor, OP_OpenWrite);
  int idx = cg_open_indexes(p, c, OP_OpenWrite);
  vdbe_resolve_label(p->v, opened);
  cg_seek_row(p, c, cursor, key, s->head);
  int saved_depth = s->depth;
  s->depth = depth;
  p->fk_nested++;
  /* The change is the statement of SQLite's action trigger: it fires the
  ** child table's own DELETE or UPDATE OF triggers around it. */
  if (action == FK_ACTION_CASCADE && h->kind == ROW_DELETE) {
    const TriggerSet *ts = cg_triggers(p, c, c->name, TK_DELETE, NULL, 0, ONCONFLICT_UNSET);
    int block = 0;
    if (ts) {
      block = cg_trigger_block(p, c);
      cg_trigger_row_from_cursor(p, c, cursor, cg_trigger_old(c, block));
    }
    if (cg_triggers_have(ts, TRIGGER_BEFORE)) {
      cg_fire_triggers(p, ts, TRIGGER_BEFORE, block, s->head);
      cg_seek_row(p, c, cursor, key, s->head); /* the triggers may have moved or deleted it */
    }
    RowChange rc = {.kind = ROW_DELETE, .table = c, .cursor = cursor, .old_key = key,
                    .on_conflict = ONCONFLICT_ABORT, .skip = s->head, .flags = OPFLAG_NESTED, .idx_cursor = idx};
    cg_row_change(p, &rc);
    cg_fire_triggers(p, ts, TRIGGER_AFTER, block, s->head);
  } else {
    int regs = cg_regs(p, c->ncols), *set_of = arena_alloc(&p->arena, sizeof(int) * (size_t)c->ncols);
    int new_rowid = key, rowid_given = 0;
    if (!set_of) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    for (int i = 0; i < c->ncols; i++) set_of[i] = -1;
    for (int j = 0; j < n; j++) set_of[fk->child_cols[j]] = j;
    action_new_row(p, h, cursor, newkey, regs);
    if (c->ipk >= 0 && set_of[c->ipk] >= 0) {
      new_rowid = cg_reg(p);
      rowid_given = 1;
      cg_op(p, OP_SCopy, regs + c->ipk, new_rowid, 0);
      cg_op(p, OP_MustBeInt, new_rowid, 0, 0);
    }
    if (c->ipk >= 0) cg_op(p, OP_Null, 0, regs + c->ipk, 0);
    const TriggerSet *ts = action_update_triggers(p, c, fk);
    int block = 0, trigger_rowid = c->without_rowid ? 0 : new_rowid;
    if (ts) {
      block = cg_trigger_block(p, c);
      cg_trigger_row_from_cursor(p, c, cursor, cg_trigger_old(c, block));
    }
    if (cg_triggers_have(ts, TRIGGER_BEFORE)) {
      cg_trigger_row_from_regs(p, c, regs, trigger_rowid, cg_trigger_new(c, block));
      cg_fire_triggers(p, ts, TRIGGER_BEFORE, block, s->head);
      /* As an UPDATE: the row must still be there, the other columns are read again. */
      cg_seek_row(p, c, cursor, key, s->head);
      for (int i = 0; i < c->ncols; i++)
        if (i != c->ipk && set_of[i] < 0) cg_code_column(p, c, cursor, i, regs + i);
    }
    RowChange rc = {.kind = ROW_UPDATE, .table = c, .cursor = cursor, .old_key = key, .regs = regs,
                    .new_rowid = new_rowid, .rowid_given = rowid_given, .on_conflict = ONCONFLICT_UNSET,
                    .skip = s->head, .flags = OPFLAG_NESTED, .idx_cursor = idx, .set_of = set_of};
    cg_row_change(p, &rc);
    if (cg_triggers_have(ts, TRIGGER_AFTER)) {
      cg_trigger_row_from_regs(p, c, regs, trigger_rowid, cg_trigger_new(c, block));
      cg_fire_triggers(p, ts, TRIGGER_AFTER, block, s->head);
    }
  }
  p->fk_nested--;
  s->depth = saved_depth;
  cg_op(p, OP_Goto, 0, s->head, 0);
}

void cg_fk_code_actions(Parse *p) {
  FkState *s = p->fk;
  if (!s || !s->queued) return;
  int hid = cg_reg(p), tmp = cg_reg(p), done = vdbe_make_label(p->v);
  vdbe_resolve_label(p->v, s->drain);
  vdbe_resolve_label(p->v, s->head);
  cg_op(p, OP_Last, s->queue, done, 0);
  cg_op(p, OP_Column, s->queue, 1, hid);
  /* Handlers coded below may need more handlers: the dispatch list is
  ** coded for every handler known once all are coded, so it goes last. */
  int dispatch_label = vdbe_make_label(p->v);
  cg_op(p, OP_Goto, 0, dispatch_label, 0);
  vdbe_resolve_label(p->v, done);
  /* SQLite counts an action's changes once its program ends: here, once
  ** the actions a row change caused are all done. */
  cg_op(p, OP_FkActionsDone, 0, 0, 0);
  cg_op(p, OP_Return, s->ret, 0, 0);
  for (int i = 0; i < s->nhandlers && p->rc == LODE_OK; i++) {
    if (s->handlers[i].coded) continue;
    s->handlers[i].coded = 1;
    s->last = i; /* SQLite compiles an action's program right after making it */
    FkHandler h = s->handlers[i]; /* the list may grow while its code is made */
    code_action_handler(p, &h, 2 * i);
    code_row_handler(p, &h);
  }
  int action_done = vdbe_make_label(p->v), marker = cg_regs(p, 4);
  vdbe_resolve_label(p->v, action_done);
  pop_entry(p, marker, 4);
  cg_op(p, OP_FkActionsDone, marker + 3, 0, 0);
  cg_op(p, OP_Goto, 0, s->head, 0);
  vdbe_resolve_label(p->v, dispatch_label);
  cg_op(p, OP_Integer, FK_ENTRY_DONE, tmp, 0);
  vdbe_add_op4_int(p->v, OP_Eq, tmp, action_done, hid, COLL_BINARY);
  for (int i = 0; i < 2 * s->nhandlers; i++) {
    const FkHandler *h = &s->handlers[i / 2];
    cg_op(p, OP_Integer, i, tmp, 0);
    vdbe_add_op4_int(p->v, OP_Eq, tmp, i % 2 ? h->row_label : h->label, hid, COLL_BINARY);
  }
  cg_op(p, OP_Goto, 0, done, 0);
}

void cg_fk_prologue(Parse *p) {
  FkState *s = p->fk;
  if (!s || !s->queued) return;
  KeyInfo *k = keyinfo_new(1);
  if (!k || vdbe_add_op4(p->v, OP_OpenEphemeral, s->queue, 0, 0, P4_KEYINFO, k, 0) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  cg_op(p, OP_Integer, 0, s->seq, 0);
}

int cg_fk_deleting(Parse *p, const RowChange *rc, const Index *ix) {
  RowChange gone = *rc;
  gone.kind = ROW_DELETE;
  int old = cg_fk_old_row(p, &gone);
  if (!old) return 0;
  gone.old_key = cg_regs(p, cg_row_key_len(rc->table));
  cg_row_key_of_row(p, rc->table, rc->cursor, gone.old_key);
  /* An UPDATE codes conflict checks for indexes SQLite skips (those whose
  ** columns it does not change): a missing parent table or key is no error
  ** there, that code never deletes anything. */
  int changes_index = !ix || rc->rowid_given;
  for (int i = 0; ix && i < ix->nkey; i++)
    changes_index |= ix->cols[i].cid == XN_EXPR || (ix->cols[i].cid >= 0 && col_changed(p, rc, ix->cols[i].cid));
  p->fk_quiet = rc->kind == ROW_UPDATE && !changes_index;
  cg_fk_check_old(p, &gone, old);
  p->fk_quiet = 0;
  return old;
}

void cg_fk_deleted(Parse *p, const RowChange *rc, int old) {
  RowChange gone = *rc;
  gone.kind = ROW_DELETE;
  cg_fk_actions(p, &gone, old);
}

/* ---- PRAGMA foreign_keys, defer_foreign_keys, foreign_key_list, foreign_key_check ---- */

static void emit_text(Parse *p, const char *z, int target) {
  if (!z) cg_op(p, OP_Null, 0, target, 0);
  else cg_op4_str(p, OP_String8, (int)strlen(z), target, 0, z);
}

static const char *action_name(int action) {
  switch (action) {
  case FK_ACTION_RESTRICT: return "RESTRICT";
  case FK_ACTION_SET_NULL: return "SET NULL";
  case FK_ACTION_SET_DEFAULT: return "SET DEFAULT";
  case FK_ACTION_CASCADE: return "CASCADE";
  default: return "NO ACTION";
  }
}

static const char *arg_text(const Expr *e) {
  return e && (e->kind == EXPR_STRING || e->kind == EXPR_COLUMN) ? e->text : NULL;
}

/* A boolean setting as SQLite reads one: on/yes/true, off/no/false, or a
** number (nonzero: on). */
static int arg_bool(const Expr *e) {
  if (e->kind == EXPR_INTEGER) return e->ival != 0;
  const char *z = e->text ? e->text : "";
  if (util_stricmp(z, "on") == 0 || util_stricmp(z, "yes") == 0 || util_stricmp(z, "true") == 0) return 1;
  while (*z == ' ' || *z == '+' || *z == '-') z++;
  int nonzero = 0;
  for (; *z >= '0' && *z <= '9'; z++) nonzero |= *z != '0';
  return nonzero;
}

static void bool_setting(Parse *p, const Stmt *st, int which, const char *name) {
  cg_op(p, OP_Init, 0, 1, 0);
  if (st->pragma_value) {
    int in = cg_reg(p);
    cg_op(p, OP_Integer, arg_bool(st->pragma_value), in, 0);
    cg_op(p, OP_PragmaConn, which, 0, in);
  } else {
    int out = cg_reg(p);
    cg_result_names(p, 1, &name);
    cg_op(p, OP_PragmaConn, which, out, 0);
    cg_op(p, OP_ResultRow, out, 1, 0);
  }
  cg_op(p, OP_Halt, 0, 0, 0);
}

static void pragma_fk_list(Parse *p, const char *name) {
  static const char *const names[] = {"id", "seq", "table", "from", "to", "on_update", "on_delete", "match"};
  Table *t = name ? cg_lookup_table(p, NULL, name) : NULL;
  cg_result_names(p, 8, names);
  cg_begin_program(p);
  int regs = cg_regs(p, 8), id = 0;
  for (const ForeignKey *fk = t ? t->fkeys : NULL; fk; fk = fk->next, id++) {
    for (int j = 0; j < fk->ncols; j++) {
      cg_op(p, OP_Integer, id, regs, 0);
      cg_op(p, OP_Integer, j, regs + 1, 0);
      emit_text(p, fk->parent, regs + 2);
      emit_text(p, t->cols[fk->child_cols[j]].name, regs + 3);
      emit_text(p, fk->parent_cols ? fk->parent_cols[j] : NULL, regs + 4);
      emit_text(p, action_name(fk->on_update), regs + 5);
      emit_text(p, action_name(fk->on_delete), regs + 6);
      emit_text(p, "NONE", regs + 7);
      cg_op(p, OP_ResultRow, regs, 8, 0);
    }
  }
  cg_end_program(p);
}

/* The rows of t breaking its foreign keys: one scan, each row checked
** against each foreign key in turn. */
static void fk_check_table(Parse *p, Table *t) {
  int nfk = 0, id = 0;
  /* A foreign key's parent is a table of the child's database. */
  Schema *home = cg_db_schema(p, t->db);
  for (const ForeignKey *fk = t->fkeys; fk; fk = fk->next) {
    Table *parent = schema_find_table(home, fk->parent);
    const Index *ix;
    int map[64], pcol[64];
    if (fk->ncols > 64) return;
    if (parent && parent_key(p, t, fk, parent, &ix, map, pcol, 0) != 0) return;
    nfk++;
  }
  if (!nfk) return;
  int out = cg_regs(p, 4), cursor = cg_cursor(p), regs = cg_regs(p, t->ncols + 1), rowid = regs + t->ncols;
  int done = vdbe_make_label(p->v);
  cg_open_table(p, t, cursor, OP_OpenRead);
  cg_op(p, OP_Rewind, cursor, done, 0);
  int top = vdbe_current_addr(p->v);
  for (int i = 0; i < t->ncols; i++) cg_code_column(p, t, cursor, i, regs + i);
  if (t->without_rowid) cg_op(p, OP_Null, 0, rowid, 0);
  else cg_code_column(p, t, cursor, -1, rowid);
  for (const ForeignKey *fk = t->fkeys; fk && p->rc == LODE_OK; fk = fk->next, id++) {
    Table *parent = schema_find_table(home, fk->parent);
    const Index *ix = NULL;
    int map[64], pcol[64], ok = vdbe_make_label(p->v);
    if (parent) parent_key(p, t, fk, parent, &ix, map, pcol, 1);
    for (int j = 0; j < fk->ncols; j++) cg_op(p, OP_IsNull, col_reg(t, regs, rowid, fk->child_cols[j]), ok, 0);
    if (parent) find_parent(p, t, fk, parent, ix, map, regs, rowid, 0, ok);
    emit_text(p, t->name, out);
    cg_op(p, OP_SCopy, rowid, out + 1, 0);
    emit_text(p, fk->parent, out + 2);
    cg_op(p, OP_Integer, id, out + 3, 0);
    cg_op(p, OP_ResultRow, out, 4, 0);
    vdbe_resolve_label(p->v, ok);
  }
  cg_op(p, OP_Next, cursor, top, 0);
  vdbe_resolve_label(p->v, done);
}

/* The order SQLite visits a schema's tables in (its table hash, as
** observed: each new name goes to the front of the list, or in front of
** the names already in its bucket once there are buckets; buckets appear at
** 5 names, and are rebuilt, three per name and at most 64, when there are
** more than twice as many names as buckets), so that foreign_key_check
** lists tables in the same order.  The schema table comes first, as
** sqlite_master. */
#define HASH_FIRST_BUCKETS 5
#define HASH_MAX_BUCKETS 64

static unsigned name_hash(const char *z) {
  unsigned h = 0;
  for (; *z; z++) {
    h += (unsigned char)*z & 0xdfu;
    h *= 0x9e3779b1u;
  }
  return h;
}

typedef struct HashSim {
  int n, first, nbuckets;
  int *next, *prev;
  unsigned *hash;
  int *bcount, *bchain;
} HashSim;

static void hash_link(HashSim *h, int e, int bucket) {
  int head = -1;
  if (bucket >= 0) {
    head = h->bcount[bucket] ? h->bchain[bucket] : -1;
    h->bcount[bucket]++;
    h->bchain[bucket] = e;
  }
  if (head >= 0) {
    h->next[e] = head;
    h->prev[e] = h->prev[head];
    if (h->prev[head] >= 0) h->next[h->prev[head]] = e;
    else h->first = e;
    h->prev[head] = e;
  } else {
    h->next[e] = h->first;
    if (h->first >= 0) h->prev[h->first] = e;
    h->prev[e] = -1;
    h->first = e;
  }
}

static int *sqlite_table_order(Parse *p, const Schema *s) {
  int n = s->ntables, cap = HASH_MAX_BUCKETS;
  HashSim h = {0, -1, 0, NULL, NULL, NULL, NULL, NULL};
  int *order = arena_alloc(&p->arena, sizeof(int) * (size_t)(n ? n : 1));
  h.next = arena_alloc(&p->arena, sizeof(int) * (size_t)(n + 1));
  h.prev = arena_alloc(&p->arena, sizeof(int) * (size_t)(n + 1));
  h.hash = arena_alloc(&p->arena, sizeof(unsigned) * (size_t)(n + 1));
  h.bcount = arena_alloc(&p->arena, sizeof(int) * (size_t)cap);
  h.bchain = arena_alloc(&p->arena, sizeof(int) * (size_t)cap);
  if (!order || !h.next || !h.prev || !h.hash || !h.bcount || !h.bchain) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  for (int i = 0; i < n; i++) {
    const Table *t = s->tables[i];
    h.hash[i] = name_hash(t->root == BTREE_SCHEMA_ROOT ? "sqlite_master" : t->name);
    h.n++;
    int want = h.n * 3 < cap ? h.n * 3 : cap;
    if (h.n >= HASH_FIRST_BUCKETS && h.n > 2 * h.nbuckets && want != h.nbuckets) {
      /* Rehash: the names in list order, each into its new bucket. */
      int e = h.first;
      h.nbuckets = want;
      memset(h.bcount, 0, sizeof(int) * (size_t)h.nbuckets);
      h.first = -1;
      while (e >= 0) {
        int next = h.next[e];
        hash_link(&h, e, (int)(h.hash[e] % (unsigned)h.nbuckets));
        e = next;
      }
    }
    hash_link(&h, i, h.nbuckets ? (int)(h.hash[i] % (unsigned)h.nbuckets) : -1);
  }
  int k = 0;
  for (int e = h.first; e >= 0 && k < n; e = h.next[e]) order[k++] = e;
  return order;
}

static void pragma_fk_check(Parse *p, const char *zdb, const char *name) {
  static const char *const names[] = {"table", "rowid", "parent", "fkid"};
  Table *only = NULL;
  /* PRAGMA schema.foreign_key_check(t): t of that database, and a missing
  ** one named with it. */
  if (name && !(only = cg_find_table_in(p, zdb, name))) return;
  cg_result_names(p, 4, names);
  cg_begin_program(p);
  Schema *s = cg_target_schema(p);
  if (only) {
    fk_check_table(p, only);
  } else {
    int *order = sqlite_table_order(p, s);
    for (int i = 0; order && i < s->ntables && p->rc == LODE_OK; i++) fk_check_table(p, s->tables[order[i]]);
  }
  cg_end_program(p);
}

int cg_fk_pragma(Parse *p, const Stmt *st) {
  const char *name = st->pragma;
  if (util_stricmp(name, "foreign_keys") == 0) bool_setting(p, st, CONN_PRAGMA_FOREIGN_KEYS, "foreign_keys");
  else if (util_stricmp(name, "defer_foreign_keys") == 0)
    bool_setting(p, st, CONN_PRAGMA_DEFER_FKS, "defer_foreign_keys");
  else if (util_stricmp(name, "foreign_key_list") == 0) pragma_fk_list(p, arg_text(st->pragma_value));
  else if (util_stricmp(name, "foreign_key_check") == 0) pragma_fk_check(p, st->schema, arg_text(st->pragma_value));
  else return 0;
  return 1;
}

/* ---- DROP TABLE ---------------------------------------------------------------- */

/* Codes "DELETE FROM t" (every row through cg_row_change), as dml.c's
** DELETE does it: keys first, then the rows. */
static void delete_all_rows(Parse *p, Table *t) {
  int cursor = cg_cursor(p);
  cg_open_table(p, t, cursor, OP_OpenWrite);
  int idx = cg_open_indexes(p, t, OP_OpenWrite);
  int nkey = cg_row_key_len(t), sorter = cg_cursor(p), pseudo = cg_cursor(p), rec = cg_reg(p), key = cg_regs(p, nkey);
  int scanned = vdbe_make_label(p->v), end = vdbe_make_label(p->v), next = vdbe_make_label(p->v);
  KeyInfo *k = keyinfo_new(0);
  if (!k || vdbe_add_op4(p->v, OP_SorterOpen, sorter, 0, 0, P4_KEYINFO, k, 0) < 0) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  cg_op(p, OP_Rewind, cursor, scanned, 0); /* in key order already */
  int top = vdbe_current_addr(p->v);
  cg_row_key_of_row(p, t, cursor, key);
  cg_op(p, OP_MakeRecord, key, nkey, rec);
  cg_op(p, OP_SorterInsert, sorter, rec, 0);
  cg_op(p, OP_Next, cursor, top, 0);
  vdbe_resolve_label(p->v, scanned);
  cg_op(p, OP_OpenPseudo, pseudo, rec, nkey);
  cg_op(p, OP_SorterSort, sorter, end, 0);
  top = cg_op(p, OP_SorterData, sorter, rec, 0);
  for (int j = 0; j < nkey; j++) cg_op(p, OP_Column, pseudo, j, key + j);
  cg_seek_row(p, t, cursor, key, next);
  RowChange rc = {.kind = ROW_DELETE, .table = t, .cursor = cursor, .old_key = key, .on_conflict = ONCONFLICT_ABORT,
                  .skip = next, .flags = OPFLAG_NCHANGE, .idx_cursor = idx};
  cg_row_change(p, &rc);
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_SorterNext, sorter, top, 0);
  vdbe_resolve_label(p->v, end);
}

void cg_fk_drop_table(Parse *p, Table *t) {
  FkRef *refs;
  int skip = -1;
  if (!fk_on(p) || t->root == 0) return;
  if (referencing(p, t, &refs) == 0) {
    /* Only a child: its rows matter when they were counted as deferred
    ** violations, which dropping them mends. */
    const ForeignKey *fk = t->fkeys;
    while (fk && !is_deferred(p, fk)) fk = fk->next;
    if (!fk) return;
    skip = vdbe_make_label(p->v);
    cg_op(p, OP_FkIfZero, 1, skip, 0);
  }
  p->fk_dropping = 1;
  delete_all_rows(p, t);
  p->fk_dropping = 0;
  if (!p->db->defer_fks) {
    /* Fail before the schema changes. */
    int ok = vdbe_make_label(p->v);
    const char *msg = "FOREIGN KEY constraint failed";
    cg_op(p, OP_FkIfZero, 0, ok, 0);
    if (vdbe_add_op4(p->v, OP_Halt, LODE_CONSTRAINT_FOREIGNKEY, ONCONFLICT_ABORT, 0, P4_STRING, msg,
                     (int)strlen(msg)) < 0)
      cg_error(p, LODE_NOMEM, "out of memory");
    vdbe_resolve_label(p->v, ok);
  }
  if (skip != -1) vdbe_resolve_label(p->v, skip);
}
