/*
** analyze.c — ANALYZE to bytecode: the statistics of sqlite_stat1 and the
** samples of sqlite_stat4.
**
**   ANALYZE                  every table of main
**   ANALYZE main             the same
**   ANALYZE [main.]table     one table: its rows of sqlite_stat1 are replaced
**   ANALYZE [main.]index     one index: its row is replaced
**
** sqlite_stat1 and then sqlite_stat4 are created first when missing, with
** the texts sqlite3 gives them ("CREATE TABLE sqlite_stat1(tbl,idx,stat)",
** "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)"); the rows of
** what is analyzed are deleted from both (and from a legacy sqlite_stat3).  Each index gets the row
** (table, index, "N D1 … Dk"): N entries, Di the average number of entries
** sharing one value of the first i key columns, rounded up (SQLite's
** fileformat2.html).  Di comes from one pass over the index in key order
** (OP_StatScan, vdbe/vdbe_stat4.c): each entry is compared with the one
** before it column by column (with the column's collation, NULL equal to
** NULL, as the index orders them), and the first column that differs
** starts a new distinct prefix of that length and of every longer one.
** With ci distinct prefixes of length i, Di = ceil(N / ci), except that 2
** becomes 1 when N / ci is at most 1.1: the adjustment sqlite3 makes so
** that a nearly unique key reads as unique.  A table whose indexes are all
** partial (or which has none) also gets (table, NULL, "N") with its row
** count; empty tables and empty indexes get no row, except that an empty
** partial index gets "0 0 …", as in SQLite.  Tables named sqlite_* are not
** analyzed.  Like sqlite3, the "unordered" and "noskipscan" words are never
** written (they are for hand edits), and PRAGMA analysis_limit is not
** honoured: every entry is read.
**
** The same pass chooses the samples, with the position of each entry's
** first column that differs from the entry before over all of the entry's
** columns (the rowid or the PRIMARY KEY columns a WITHOUT ROWID index
** appends included; a WITHOUT ROWID table's own b-tree counts its key
** columns only); its samples become
** the index's rows of sqlite_stat4 (tbl, idx, neq, nlt, ndlt, sample), the
** sample being the record of the entry's columns, as SQLite 3.53 built with
** SQLITE_ENABLE_STAT4 writes them.
**
** Unlike sqlite3, which reloads the statistics without touching the schema
** cookie, the program bumps the cookie: that is how every Lode connection
** (and any prepared statement) learns that the schema's statistics changed.
*/
#include <assert.h>
#include <string.h>

#include "codegen/cg.h"

#define STAT1_SQL "CREATE TABLE sqlite_stat1(tbl,idx,stat)"
#define STAT1_NAME "sqlite_stat1"
#define STAT1_NCOLS 3
#define STAT1_AFFINITY "BBB" /* TEXT for all three, as sqlite3 stores them */
#define STAT4_SQL "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)"
#define STAT4_NAME "sqlite_stat4"
#define STAT4_NCOLS 6
#define STAT3_NAME "sqlite_stat3" /* an older release's samples: ANALYZE and DROP delete their rows */

/* The state of one ANALYZE program. */
typedef struct Analyze {
  int stat_cursor;  /* write cursor on sqlite_stat1 */
  int stat4_cursor; /* write cursor on sqlite_stat4 */
  int rowid;        /* scratch registers for the row being written */
  int row;          /* STAT1_NCOLS registers: tbl, idx, stat */
  int rec;
  int row4;         /* STAT4_NCOLS registers: tbl, idx, neq, nlt, ndlt, sample */
} Analyze;

static void emit_text(Parse *p, const char *z, int target) {
  if (vdbe_add_op4(p->v, OP_String8, (int)strlen(z), target, 0, P4_STRING, z, (int)strlen(z)) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
}

/* Appends a row (tbl, idx or NULL, the value of stat_reg) to sqlite_stat1. */
static void write_stat_row(Parse *p, const Analyze *a, const char *tbl, const char *idx, int stat_reg) {
  emit_text(p, tbl, a->row);
  if (idx) emit_text(p, idx, a->row + 1);
  else cg_op(p, OP_Null, 0, a->row + 1, 0);
  cg_op(p, OP_SCopy, stat_reg, a->row + 2, 0);
  if (vdbe_add_op4(p->v, OP_MakeRecord, a->row, STAT1_NCOLS, a->rec, P4_STRING, STAT1_AFFINITY, STAT1_NCOLS) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  cg_op(p, OP_NewRowid, a->stat_cursor, 0, a->rowid);
  int addr = cg_op(p, OP_Insert, a->stat_cursor, a->rec, a->rowid);
  if (addr >= 0) vdbe_set_p5(p->v, addr, OPFLAG_PREUPDATE);
}

/* Deletes the rows of the statistics cursor whose column col is name
** (compared as sqlite3's "WHERE tbl=name" compares: BINARY); every row when
** name is NULL.  hooks: the preupdate hook hears of each row, as SQLite's
** does of sqlite_stat1's (not of sqlite_stat4's), and the update hook of
** none. */
static void delete_stat_rows(Parse *p, int cursor, int col, const char *name, int hooks) {
  int done = vdbe_make_label(p->v), next = vdbe_make_label(p->v);
  int name_reg = cg_reg(p), col_reg = cg_reg(p);
  if (name) emit_text(p, name, name_reg);
  cg_op(p, OP_Rewind, cursor, done, 0);
  int top = vdbe_current_addr(p->v);
  if (name) {
    cg_op(p, OP_Column, cursor, col, col_reg);
    int addr = vdbe_add_op4_int(p->v, OP_Ne, name_reg, next, col_reg, COLL_BINARY);
    if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_JUMPIFNULL);
  }
  int addr = cg_op(p, OP_Delete, cursor, 0, 0);
  if (hooks && addr >= 0) vdbe_set_p5(p->v, addr, OPFLAG_PREUPDATE);
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_Next, cursor, top, 0);
  vdbe_resolve_label(p->v, done);
}

/* The columns of ix's entries that sqlite_stat4 counts and samples: every
** column of an entry, except in a WITHOUT ROWID table's own b-tree, whose
** key columns identify the row. */
static int stat4_columns(const Index *ix) {
  return index_has_own_btree(ix) ? ix->ncols : ix->nkey;
}

/* The affinities that make a sample's values those of the table's row: a
** REAL column (or CAST … AS REAL) reads as a REAL where an index may hold
** an integer. */
static char *stat4_affinities(Parse *p, const Index *ix, int ncol) {
  char *aff = arena_alloc(&p->arena, (size_t)ncol + 1);
  if (!aff) return NULL;
  for (int j = 0; j < ncol; j++) {
    const IndexColumn *c = &ix->cols[j];
    char a = AFF_NONE;
    if (c->cid >= 0 && c->cid < ix->table->ncols) a = ix->table->cols[c->cid].affinity;
    else if (c->cid == XN_EXPR && c->expr && c->expr->kind == EXPR_CAST) a = cg_cast_affinity(c->expr);
    aff[j] = a == AFF_REAL ? AFF_REAL : AFF_NONE;
  }
  aff[ncol] = 0;
  return aff;
}

/* The index's rows of sqlite_stat4: one per sample of accumulator acc. */
static void write_samples(Parse *p, const Analyze *a, const char *tbl, const char *idx, int acc) {
  int done = vdbe_make_label(p->v);
  emit_text(p, tbl, a->row4);
  emit_text(p, idx, a->row4 + 1);
  int top = vdbe_current_addr(p->v);
  cg_op(p, OP_StatSample, acc, done, a->row4 + 2);
  cg_op(p, OP_MakeRecord, a->row4, STAT4_NCOLS, a->rec);
  cg_op(p, OP_NewRowid, a->stat4_cursor, 0, a->rowid);
  cg_op(p, OP_Insert, a->stat4_cursor, a->rec, a->rowid);
  cg_op(p, OP_Goto, 0, top, 0);
  vdbe_resolve_label(p->v, done);
}

/* The sqlite_stat1 row and the sqlite_stat4 rows of one index: one pass in
** key order handing each entry to the accumulator (vdbe/vdbe_stat4.c),
** which counts the entries and, per prefix length, the distinct prefixes,
** and chooses the samples. */
static void analyze_index(Parse *p, const Analyze *a, const Index *ix) {
  const Table *t = ix->table;
  int n = ix->nkey, ncol = stat4_columns(ix);
  /* Compared columns: the key's for sqlite_stat1, all but the last for the
  ** samples (the last differs whenever the others are equal). */
  int ncmp = n > ncol - 1 ? n : ncol - 1;
  char *aff = stat4_affinities(p, ix, ncol);
  KeyInfo *k = aff ? cg_index_keyinfo(p, ix) : NULL;
  if (!k) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  assert(n >= 1 && ncol >= n && ncol <= ix->ncols && ncmp <= ncol);
  int icur = cg_cursor(p);
  uint32_t root = index_has_own_btree(ix) ? ix->root : t->root; /* WITHOUT ROWID: the table's b-tree */
  int addr = vdbe_add_op4(p->v, OP_OpenRead, icur, (int)root, 0, P4_KEYINFO, k, 0);
  if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
  else vdbe_set_comment(p->v, addr, "%s", ix->name);
  vdbe_set_op_db(p->v, addr, t->db);
  int stat_reg = cg_reg(p), acc = cg_reg(p), count = cg_reg(p);
  int empty = vdbe_make_label(p->v), done = vdbe_make_label(p->v);
  cg_op(p, OP_Count, icur, count, 0);
  if (vdbe_add_op4(p->v, OP_StatInit, acc, ncol, count, P4_STRING, aff, ncol) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  /* An empty index has no row, but for an empty partial one SQLite writes
  ** "0 0 …". */
  cg_op(p, OP_Rewind, icur, ix->where ? empty : done, 0);
  int top = vdbe_current_addr(p->v);
  addr = vdbe_add_op4_int(p->v, OP_StatScan, acc, top, icur, ncmp);
  if (addr >= 0) vdbe_set_p5(p->v, addr, ncol);
  vdbe_resolve_label(p->v, empty);
  /* "N D1 … Dk" */
  const char *idx_name = index_has_own_btree(ix) ? ix->name : t->name;
  cg_op(p, OP_StatText, acc, n, stat_reg);
  write_stat_row(p, a, t->name, idx_name, stat_reg);
  write_samples(p, a, t->name, idx_name, acc);
  vdbe_resolve_label(p->v, done);
  cg_op(p, OP_Null, 0, acc, 0); /* frees the accumulator */
  cg_op(p, OP_Close, icur, 0, 0);
}

/* (table, NULL, "N") for a table with rows and no full index. */
static void table_count_row(Parse *p, const Analyze *a, const Table *t) {
  int tcur = cg_cursor(p), n_reg = cg_reg(p), stat_reg = cg_reg(p), empty_reg = cg_reg(p);
  int empty = vdbe_make_label(p->v);
  cg_open_table(p, t, tcur, OP_OpenRead);
  cg_op(p, OP_Count, tcur, n_reg, 0);
  cg_op(p, OP_IfNot, n_reg, empty, 0);
  emit_text(p, "", empty_reg);
  cg_op(p, OP_Concat, empty_reg, n_reg, stat_reg);
  write_stat_row(p, a, t->name, NULL, stat_reg);
  vdbe_resolve_label(p->v, empty);
  cg_op(p, OP_Close, tcur, 0, 0);
}

/* Every index of t (only that one when only is not NULL), in SQLite's
** order, then the table's own row when no index covers all its rows. */
static void analyze_table(Parse *p, const Analyze *a, const Table *t, const Index *only) {
  int need_count = 1;
  if (util_strnicmp(t->name, "sqlite_", 7) == 0 || t->vtab_module) return;
  /* SQLITE_IGNORE: the table gets no statistics, as from SQLite. */
  if (p->auth && cg_auth_ask(p, CONN_AUTH_ANALYZE, t->name, NULL, cg_db_name(p, t->db)) != LODE_OK) return;
  for (const Index *ix = t->indexes; ix; ix = ix->next) {
    if (only && ix != only) continue;
    if (!ix->where) need_count = 0;
    analyze_index(p, a, ix);
  }
  if (!only && need_count) table_count_row(p, a, t);
}

/* What ANALYZE names: every database but temp (*db -1), one database (*t
** and *ix NULL), a table or an index (*db: its database).  Returns 0 after
** an error, with sqlite3's message. */
static int analyze_target(Parse *p, const Stmt *st, int *db, Table **t, Index **ix) {
  const char *name = st->index;
  *t = NULL;
  *ix = NULL;
  *db = -1;
  if (st->schema && cg_db_named(p, st->schema) < 0) return 0;
  if (!name) return 1;
  if (!st->schema && (*db = conn_db_find(p->db, name)) >= 0) return 1; /* a database's name */
  if ((*ix = cg_lookup_index(p, st->schema, name)) && index_has_own_btree(*ix)) {
    *t = (*ix)->table;
    *db = (*t)->db;
    return 1;
  }
  *ix = NULL;
  if ((*t = cg_lookup_table(p, st->schema, name))) {
    *db = (*t)->db;
    return 1;
  }
  if (st->schema) cg_error(p, LODE_ERROR, "no such table: %s.%s", st->schema, name);
  else cg_error(p, LODE_ERROR, "no such table: %s", name);
  return 0;
}

/* Opens a write cursor on the statistics table name of schema s, made first
** (with sql) when missing and sql is not NULL; -1 when it is missing. */
static int open_stat_table(Parse *p, Schema *s, const char *name, const char *sql, int ncols) {
  Table *st = schema_find_table(s, name);
  if (!st && !sql) return -1;
  int root = cg_reg(p), cursor = cg_cursor(p);
  if (st) {
    cg_op(p, OP_Integer, (int)st->root, root, 0);
  } else {
    if (p->auth) cg_auth_new_table(p, name, s->db);
    cg_op(p, OP_CreateBtree, 0, root, BTREE_INTKEY);
    cg_schema_insert(p, "table", name, name, root, sql);
  }
  int addr = vdbe_add_op4_int(p->v, OP_OpenWrite, cursor, 0, root, ncols);
  if (addr >= 0) vdbe_set_p5(p->v, addr, 1);
  return cursor;
}

/* Deletes from the statistics table at cursor the rows of what is analyzed:
** the index only, the table t, or everything. */
static void delete_analyzed(Parse *p, int cursor, const Table *t, const Index *only, int hooks) {
  if (cursor < 0) return;
  if (only) delete_stat_rows(p, cursor, 1, only->name, hooks);
  else delete_stat_rows(p, cursor, 0, t ? t->name : NULL, hooks);
}

/* The statistics of database db: of one table or index, else of all its tables. */
static void analyze_in(Parse *p, int db, Table *t, Index *only) {
  Schema *s = cg_db_schema(p, db);
  Analyze a;
  vdbe_set_db(p->v, db);
  a.stat_cursor = open_stat_table(p, s, STAT1_NAME, STAT1_SQL, STAT1_NCOLS);
  a.stat4_cursor = open_stat_table(p, s, STAT4_NAME, STAT4_SQL, STAT4_NCOLS);
  int stat3 = open_stat_table(p, s, STAT3_NAME, NULL, STAT4_NCOLS);
  a.rowid = cg_reg(p);
  a.row = cg_regs(p, STAT1_NCOLS);
  a.rec = cg_reg(p);
  a.row4 = cg_regs(p, STAT4_NCOLS);
  delete_analyzed(p, a.stat_cursor, t, only, 1);
  delete_analyzed(p, a.stat4_cursor, t, only, 0);
  delete_analyzed(p, stat3, t, only, 0);
  if (only) {
    analyze_table(p, &a, t, only);
  } else if (t) {
    analyze_table(p, &a, t, NULL);
  } else {
    /* Newest table first: SQLite walks its table hash, whose list puts each
    ** table in front of the older ones (the order any build of it keeps
    ** while a schema has few tables; past that its hash decides). */
    for (int i = s->ntables - 1; i >= 0; i--) analyze_table(p, &a, s->tables[i], NULL);
  }
  cg_op(p, OP_Close, a.stat_cursor, 0, 0);
  cg_op(p, OP_Close, a.stat4_cursor, 0, 0);
  if (stat3 >= 0) cg_op(p, OP_Close, stat3, 0, 0);
  cg_bump_schema(p);
}

void cg_analyze(Parse *p, const Stmt *st) {
  Table *t;
  Index *only;
  int db;
  if (!analyze_target(p, st, &db, &t, &only)) return;
  /* ANALYZE temp opens the temp database, as SQLite does, for its
  ** sqlite_stat1 is made even when it has no tables (and, found first by
  ** an unqualified name, hides main's). */
  if (db == CONN_DB_TEMP && conn_db_open_temp(p->db) != LODE_OK) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (int d = 0; d < p->db->ndb; d++) {
    if (db >= 0 ? d != db : d == CONN_DB_TEMP) continue;
    vdbe_set_db(p->v, d);
    if (cg_require_writable(p) != LODE_OK) return;
  }
  p->writes = 1;
  cg_begin_program(p);
  for (int d = 0; d < p->db->ndb && p->rc == LODE_OK; d++) {
    if (db >= 0 ? d != db : d == CONN_DB_TEMP) continue; /* all of them: temp left out, as in SQLite */
    analyze_in(p, d, t, only);
  }
  vdbe_set_db(p->v, CONN_DB_MAIN);
  cg_end_program(p);
}

void cg_stat_delete(Parse *p, int col, const char *name) {
  static const char *const tables[] = {STAT1_NAME, STAT3_NAME, STAT4_NAME};
  Schema *s = cg_db_schema(p, vdbe_current_db(p->v));
  for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
    const Table *st = schema_find_table(s, tables[i]);
    /* One made WITHOUT ROWID (or virtual) under writable_schema holds no
    ** statistics SQLite reads; its b-tree is no table's to walk by rowid. */
    if (!st || st->without_rowid || st->root == 0) continue;
    int cursor = cg_cursor(p);
    if (vdbe_add_op4_int(p->v, OP_OpenWrite, cursor, (int)st->root, 0, i == 0 ? STAT1_NCOLS : STAT4_NCOLS) < 0)
      cg_error(p, LODE_NOMEM, "out of memory");
    delete_stat_rows(p, cursor, col, name, i == 0);
    cg_op(p, OP_Close, cursor, 0, 0);
  }
}
