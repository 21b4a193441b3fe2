/*
** dbstat.c — the dbstat virtual table: one row per page of every b-tree of a
** database (or, in aggregate mode, one row per b-tree), as SQLite built
** with SQLITE_ENABLE_DBSTAT_VTAB gives it.
**
** It is an sqlite3_module of the library (vtab_api.c registers it at its
** first use, like the R-Tree): eponymous, and usable in CREATE VIRTUAL
** TABLE x USING dbstat[(schema)] too.  It needs the connection's b-trees,
** which only the layers at and above conn reach, hence its place here.
**
** Rows: sqlite_schema first, then every b-tree of sqlite_schema in its row
** order.  Each tree is walked depth first: a page's row, then for each cell
** in turn its overflow pages and (interior pages) the subtree of its left
** child, then the right child's subtree.  A path names a page from the root:
** "/" the root, "/00a/" its child 10, "/00a/003+000001" the second overflow
** page of cell 3 of that child (cell and page numbers in hex).
**
** Counting: a b-tree page's payload is its cells' bytes on the page (none
** for a table's interior cells), unused its free bytes, mx_payload its
** largest cell's whole payload; an overflow page holds usable-4 payload
** bytes, the last of its chain the rest.  pgoffset of an overflow page is
** that of the row before it, as SQLite reports it.
**
** Constraints: schema = X picks the database (one that does not exist gives
** no row) and is used up; aggregate = X chooses the mode, and a value that
** is neither 0 nor 1 gives no row (SQLite's caller checks it again against
** the column, which reads 0 or 1).
*/
#include <stdio.h>
#include <string.h>

#include "btree/btree.h"
#include "capi/api.h"
#include "util/util.h"

#define COL_NAME 0
#define COL_PATH 1
#define COL_PAGENO 2
#define COL_PAGETYPE 3
#define COL_NCELL 4
#define COL_PAYLOAD 5
#define COL_UNUSED 6
#define COL_MX_PAYLOAD 7
#define COL_PGOFFSET 8
#define COL_PGSIZE 9
#define COL_SCHEMA 10
#define COL_AGGREGATE 11

#define IDX_SCHEMA 1
#define IDX_AGGREGATE 2

/* Deeper trees are corrupt (SQLite's b-trees stay far shallower). */
#define STAT_MAX_DEPTH 40
#define STAT_PATH_MAX (STAT_MAX_DEPTH * 6 + 32)
#define STAT_OVERFLOW_LINK 4 /* an overflow page starts with the next page's number */

#define TYPE_INTERNAL 0
#define TYPE_LEAF 1
#define TYPE_OVERFLOW 2

typedef struct StatTab {
  sqlite3_vtab base;
  lode *db;
  char *schema; /* the database a scan without schema = X reads */
} StatTab;

/* One page of the walk: its cells, and how far its cells' overflow chains
** and children have been listed. */
typedef struct StatLevel {
  uint32_t pgno;
  BtreePageStat st;
  int i;          /* the cell whose chain and child come next; ncell: the right child */
  int chain_done; /* cell i's overflow chain is listed: its child comes next */
  int pathlen;    /* path[0..pathlen) is this page's path */
} StatLevel;

typedef struct StatRow {
  int type;
  uint32_t pageno;
  int64_t ncell, payload, unused, mx_payload, pgoffset, pgsize;
  int pathlen;
} StatRow;

typedef struct StatCursor {
  sqlite3_vtab_cursor base;
  lode *db;
  Btree *bt;
  char *dbname;
  int aggregate;
  int eof;
  sqlite3_stmt *trees; /* name, rootpage of the schema's b-trees after sqlite_schema */
  char *tree;          /* the b-tree being listed */
  uint32_t page_size, usable, npages;
  /* The page size pgsize and pgoffset count in: that of the table's own
  ** database (its CREATE VIRTUAL TABLE argument, main for the eponymous
  ** table), not of the one schema = X names, as SQLite counts them. */
  uint32_t row_page_size;
  uint8_t *seen; /* a bit per page of the tree being listed: a page met twice is corrupt */
  StatLevel lv[STAT_MAX_DEPTH];
  int depth;
  /* The overflow chain being listed: of cell ov_cell of the deepest level. */
  uint32_t ov_pgno, ov_left;
  int ov_cell, ov_k;
  int64_t last_offset; /* pgoffset of the previous row's page */
  uint32_t last_btree_page;
  char path[STAT_PATH_MAX];
  StatRow row;
  int64_t rowid;
} StatCursor;

static const char stat_schema[] =
    "CREATE TABLE x(name TEXT, path TEXT, pageno INTEGER, pagetype TEXT, ncell INTEGER, payload INTEGER, "
    "unused INTEGER, mx_payload INTEGER, pgoffset INTEGER, pgsize INTEGER, schema TEXT HIDDEN, "
    "aggregate BOOLEAN HIDDEN)";

/* A module argument without its quotes ('main', "main", [main] or main). */
static char *dequote(const char *z) {
  size_t n = strlen(z);
  char q = z[0] == '[' ? ']' : z[0];
  if (n >= 2 && (q == '\'' || q == '"' || q == '`' || q == ']') && z[n - 1] == q) {
    char *out = util_malloc(n);
    size_t k = 0;
    if (!out) return NULL;
    for (size_t i = 1; i + 1 < n; i++) {
      out[k++] = z[i];
      if (z[i] == q && q != ']' && z[i + 1] == q) i++; /* a doubled quote */
    }
    out[k] = 0;
    return out;
  }
  return util_strdup(z);
}

static int stat_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
                        char **err) {
  (void)aux;
  char *schema = argc > 3 ? dequote(argv[3]) : util_strdup("main");
  if (!schema) return SQLITE_NOMEM;
  if (conn_db_find(db, schema) < 0) {
    *err = sqlite3_mprintf("no such database: %s", schema);
    util_free(schema);
    return SQLITE_ERROR;
  }
  int rc = sqlite3_declare_vtab(db, stat_schema);
  if (rc == SQLITE_OK) sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY); /* as SQLite's: never from a view or trigger */
  StatTab *t = rc == SQLITE_OK ? util_zalloc(sizeof *t) : NULL;
  if (!t) {
    util_free(schema);
    return rc == SQLITE_OK ? SQLITE_NOMEM : rc;
  }
  t->db = db;
  t->schema = schema;
  *out = &t->base;
  return SQLITE_OK;
}

static int stat_disconnect(sqlite3_vtab *vt) {
  StatTab *t = (StatTab *)vt;
  util_free(t->schema);
  util_free(t);
  return SQLITE_OK;
}

static int stat_best_index(sqlite3_vtab *vt, sqlite3_index_info *info) {
  int schema = -1, aggregate = -1, argc = 0;
  (void)vt;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    if (!c->usable || c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (c->iColumn == COL_SCHEMA && schema < 0) schema = i;
    if (c->iColumn == COL_AGGREGATE && aggregate < 0) aggregate = i;
  }
  info->idxNum = 0;
  if (schema >= 0) {
    info->aConstraintUsage[schema].argvIndex = ++argc;
    info->aConstraintUsage[schema].omit = 1;
    info->idxNum |= IDX_SCHEMA;
  }
  if (aggregate >= 0) {
    info->aConstraintUsage[aggregate].argvIndex = ++argc;
    info->idxNum |= IDX_AGGREGATE;
  }
  /* One database costs less than one the caller has yet to pick. */
  info->estimatedCost = schema >= 0 ? 10.0 : 1000.0;
  return SQLITE_OK;
}

static void stat_reset(StatCursor *c) {
  while (c->depth > 0) util_free(c->lv[--c->depth].st.cells);
  sqlite3_finalize(c->trees);
  c->trees = NULL;
  util_free(c->tree);
  c->tree = NULL;
  util_free(c->seen);
  c->seen = NULL;
  util_free(c->dbname);
  c->dbname = NULL;
  c->ov_left = 0;
  c->eof = 1;
}

static int stat_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out) {
  StatCursor *c = util_zalloc(sizeof *c);
  if (!c) return SQLITE_NOMEM;
  c->db = ((StatTab *)vt)->db;
  c->eof = 1;
  *out = &c->base;
  return SQLITE_OK;
}

static int stat_close(sqlite3_vtab_cursor *vc) {
  StatCursor *c = (StatCursor *)vc;
  stat_reset(c);
  util_free(c);
  return SQLITE_OK;
}

static int stat_error(StatCursor *c, int rc) {
  sqlite3_vtab *vt = c->base.pVtab;
  sqlite3_free(vt->zErrMsg);
  vt->zErrMsg = sqlite3_mprintf("%s", rc == SQLITE_CORRUPT ? "database disk image is malformed" : sqlite3_errstr(rc));
  return rc;
}

/* Page pgno is listed for the first time in this tree, and is a page of the file. */
static int stat_mark(StatCursor *c, uint32_t pgno) {
  if (pgno == 0 || pgno > c->npages) return SQLITE_CORRUPT;
  uint8_t bit = (uint8_t)(1u << (pgno & 7));
  if (c->seen[pgno >> 3] & bit) return SQLITE_CORRUPT;
  c->seen[pgno >> 3] |= bit;
  return SQLITE_OK;
}

/* Enters b-tree page pgno, whose path is path[0..pathlen), and makes its row. */
static int stat_push(StatCursor *c, uint32_t pgno, int pathlen) {
  if (c->depth >= STAT_MAX_DEPTH || pathlen >= STAT_PATH_MAX - 24) return SQLITE_CORRUPT;
  int rc = stat_mark(c, pgno);
  if (rc != SQLITE_OK) return rc;
  StatLevel *l = &c->lv[c->depth];
  memset(l, 0, sizeof *l);
  if ((rc = btree_page_stat(c->bt, pgno, &l->st)) != LODE_OK) return rc;
  c->depth++;
  l->pgno = pgno;
  l->pathlen = pathlen;
  StatRow *r = &c->row;
  memset(r, 0, sizeof *r);
  r->type = l->st.leaf ? TYPE_LEAF : TYPE_INTERNAL;
  r->pageno = pgno;
  r->ncell = l->st.ncell;
  r->unused = l->st.unused;
  if (l->st.content_zero) r->unused -= 65536; /* SQLite reads the empty 64 KiB page's offset 0 as it stands */
  for (int i = 0; i < l->st.ncell; i++) {
    r->payload += l->st.cells[i].local;
    if (l->st.cells[i].payload > r->mx_payload) r->mx_payload = l->st.cells[i].payload;
  }
  r->pgoffset = c->last_offset = (int64_t)(pgno - 1) * c->row_page_size;
  r->pgsize = c->row_page_size;
  r->pathlen = pathlen;
  c->rowid = pgno;
  c->last_btree_page = pgno;
  return SQLITE_OK;
}

/* The row of the next page of the chain being listed. */
static int stat_overflow_row(StatCursor *c) {
  StatLevel *l = &c->lv[c->depth - 1];
  uint32_t pgno = c->ov_pgno, per_page = c->usable - STAT_OVERFLOW_LINK, next = 0;
  int rc = stat_mark(c, pgno);
  if (rc != SQLITE_OK) return rc;
  if ((rc = btree_overflow_next(c->bt, pgno, &next)) != LODE_OK) return rc;
  StatRow *r = &c->row;
  memset(r, 0, sizeof *r);
  r->type = TYPE_OVERFLOW;
  r->pageno = pgno;
  r->payload = c->ov_left < per_page ? c->ov_left : per_page;
  r->unused = per_page - r->payload;
  r->pgoffset = c->last_offset;
  c->last_offset = (int64_t)(pgno - 1) * c->row_page_size;
  r->pgsize = c->row_page_size;
  r->pathlen = l->pathlen + snprintf(c->path + l->pathlen, STAT_PATH_MAX - (size_t)l->pathlen, "%03x+%06x",
                                     (unsigned)c->ov_cell, (unsigned)c->ov_k);
  c->rowid = pgno;
  c->ov_left -= (uint32_t)r->payload;
  c->ov_k++;
  c->ov_pgno = next;
  return SQLITE_OK;
}

/* The next row of the tree being listed; *more = 0 when it has no more. */
static int stat_tree_next(StatCursor *c, int *more) {
  *more = 1;
  for (;;) {
    if (c->ov_left > 0) return stat_overflow_row(c);
    if (c->depth == 0) {
      *more = 0;
      return SQLITE_OK;
    }
    StatLevel *l = &c->lv[c->depth - 1];
    int ncell = l->st.ncell;
    if (l->i > (l->st.leaf ? ncell - 1 : ncell)) {
      util_free(l->st.cells);
      c->depth--;
      continue;
    }
    if (!l->chain_done) {
      l->chain_done = 1;
      if (l->i < ncell && l->st.cells[l->i].ovfl) {
        const BtreeCellStat *cell = &l->st.cells[l->i];
        c->ov_pgno = cell->ovfl;
        c->ov_left = cell->payload - cell->local;
        c->ov_cell = l->i;
        c->ov_k = 0;
        continue;
      }
    }
    int i = l->i++;
    l->chain_done = 0;
    if (l->st.leaf) continue;
    uint32_t child = i < ncell ? l->st.cells[i].child : l->st.right_child;
    int n = snprintf(c->path + l->pathlen, STAT_PATH_MAX - (size_t)l->pathlen, "%03x/", (unsigned)i);
    return stat_push(c, child, l->pathlen + n);
  }
}

/* Starts listing the next b-tree of the schema (sqlite_schema first); *more = 0 after the last. */
static int stat_tree_open(StatCursor *c, int *more) {
  uint32_t root = BTREE_SCHEMA_ROOT;
  const char *name = "sqlite_schema";
  *more = 1;
  if (c->tree) {
    int rc = sqlite3_step(c->trees);
    if (rc == SQLITE_DONE) {
      *more = 0;
      return SQLITE_OK;
    }
    if (rc != SQLITE_ROW) return sqlite3_errcode(c->db);
    name = (const char *)sqlite3_column_text(c->trees, 0);
    sqlite3_int64 r = sqlite3_column_int64(c->trees, 1);
    if (r <= 0 || r > UINT32_MAX) return SQLITE_CORRUPT;
    root = (uint32_t)r;
  }
  util_free(c->tree);
  if (!(c->tree = util_strdup(name ? name : ""))) return SQLITE_NOMEM;
  while (c->depth > 0) util_free(c->lv[--c->depth].st.cells);
  memset(c->seen, 0, c->npages / 8 + 1);
  c->ov_left = 0;
  c->path[0] = '/';
  return stat_push(c, root, 1);
}

/* One row per b-tree: its pages counted, their figures summed (mx_payload the largest). */
static int stat_aggregate_row(StatCursor *c) {
  StatRow sum;
  int more = 1, rc;
  memset(&sum, 0, sizeof sum);
  sum.ncell = c->row.ncell, sum.payload = c->row.payload, sum.unused = c->row.unused;
  sum.mx_payload = c->row.mx_payload, sum.pgsize = c->row.pgsize, sum.pageno = 1;
  while ((rc = stat_tree_next(c, &more)) == SQLITE_OK && more) {
    sum.pageno++;
    sum.ncell += c->row.ncell;
    sum.payload += c->row.payload;
    sum.unused += c->row.unused;
    if (c->row.mx_payload > sum.mx_payload) sum.mx_payload = c->row.mx_payload;
    sum.pgsize += c->row.pgsize;
  }
  c->row = sum;
  c->rowid = c->last_btree_page;
  return rc;
}

static int stat_step(StatCursor *c) {
  int more = 0, rc;
  if (!c->aggregate && c->tree) {
    if ((rc = stat_tree_next(c, &more)) != SQLITE_OK || more) return rc;
  }
  if ((rc = stat_tree_open(c, &more)) != SQLITE_OK) return rc;
  if (!more) {
    c->eof = 1;
    return SQLITE_OK;
  }
  return c->aggregate ? stat_aggregate_row(c) : SQLITE_OK;
}

static int stat_next(sqlite3_vtab_cursor *vc) {
  StatCursor *c = (StatCursor *)vc;
  int rc = stat_step(c);
  return rc == SQLITE_OK ? rc : stat_error(c, rc);
}

static int stat_filter(sqlite3_vtab_cursor *vc, int idx, const char *idx_str, int argc, sqlite3_value **argv) {
  StatCursor *c = (StatCursor *)vc;
  lode *db = c->db;
  const char *schema = ((StatTab *)vc->pVtab)->schema;
  int a = 0, rc;
  (void)idx_str;
  (void)argc;
  stat_reset(c);
  if (idx & IDX_SCHEMA) schema = (const char *)sqlite3_value_text(argv[a++]);
  if (idx & IDX_AGGREGATE) {
    /* The caller checks aggregate = X again (the column reads 0 or 1),
    ** except on a FROM item's argument: then no row for another value. */
    sqlite3_value *v = argv[a];
    int t = sqlite3_value_numeric_type(v);
    double d = t == SQLITE_INTEGER || t == SQLITE_FLOAT ? sqlite3_value_double(v) : -1;
    if (d != 0 && d != 1) return SQLITE_OK;
    c->aggregate = d == 1;
  }
  int dbi = conn_db_find(db, schema);
  /* An unknown database, or a temp database never opened, has no pages to list. */
  if (dbi < 0 || !db->dbs[dbi].bt) return SQLITE_OK;
  if ((rc = conn_txn_read(db, dbi)) != LODE_OK) return stat_error(c, rc);
  c->bt = db->dbs[dbi].bt;
  c->npages = btree_page_count(c->bt);
  if (c->npages == 0) return SQLITE_OK;
  btree_page_sizes(c->bt, &c->page_size, &c->usable);
  c->row_page_size = c->page_size;
  int own = conn_db_find(db, ((StatTab *)vc->pVtab)->schema);
  if (own >= 0 && db->dbs[own].bt) {
    uint32_t usable;
    btree_page_sizes(db->dbs[own].bt, &c->row_page_size, &usable);
  }
  if (!(c->dbname = util_strdup(db->dbs[dbi].name)) || !(c->seen = util_zalloc(c->npages / 8 + 1)))
    return SQLITE_NOMEM;
  char *sql = sqlite3_mprintf("SELECT name, rootpage FROM \"%w\".sqlite_schema WHERE rootpage <> 0", c->dbname);
  if (!sql) return SQLITE_NOMEM;
  rc = sqlite3_prepare_v2(db, sql, -1, &c->trees, NULL);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return stat_error(c, rc);
  c->eof = 0;
  return stat_next(vc);
}

static int stat_eof(sqlite3_vtab_cursor *vc) { return ((StatCursor *)vc)->eof; }

static int stat_column(sqlite3_vtab_cursor *vc, sqlite3_context *ctx, int col) {
  StatCursor *c = (StatCursor *)vc;
  const StatRow *r = &c->row;
  static const char *const types[] = {"internal", "leaf", "overflow"};
  switch (col) {
    case COL_NAME: sqlite3_result_text(ctx, c->tree, -1, SQLITE_TRANSIENT); break;
    case COL_PATH:
      if (!c->aggregate) sqlite3_result_text(ctx, c->path, r->pathlen, SQLITE_TRANSIENT);
      break;
    case COL_PAGENO: sqlite3_result_int64(ctx, r->pageno); break;
    case COL_PAGETYPE:
      if (!c->aggregate) sqlite3_result_text(ctx, types[r->type], -1, SQLITE_STATIC);
      break;
    case COL_NCELL: sqlite3_result_int64(ctx, r->ncell); break;
    case COL_PAYLOAD: sqlite3_result_int64(ctx, r->payload); break;
    case COL_UNUSED: sqlite3_result_int64(ctx, r->unused); break;
    case COL_MX_PAYLOAD: sqlite3_result_int64(ctx, r->mx_payload); break;
    case COL_PGOFFSET:
      if (!c->aggregate) sqlite3_result_int64(ctx, r->pgoffset);
      break;
    case COL_PGSIZE: sqlite3_result_int64(ctx, r->pgsize); break;
    case COL_SCHEMA: sqlite3_result_text(ctx, c->dbname, -1, SQLITE_TRANSIENT); break;
    case COL_AGGREGATE: sqlite3_result_int(ctx, c->aggregate); break;
  }
  return SQLITE_OK;
}

static int stat_rowid(sqlite3_vtab_cursor *vc, sqlite3_int64 *rowid) {
  *rowid = ((StatCursor *)vc)->rowid;
  return SQLITE_OK;
}

static const sqlite3_module stat_module = {
    .iVersion = 1,
    .xCreate = stat_connect,
    .xConnect = stat_connect,
    .xBestIndex = stat_best_index,
    .xDisconnect = stat_disconnect,
    .xDestroy = stat_disconnect,
    .xOpen = stat_open,
    .xClose = stat_close,
    .xFilter = stat_filter,
    .xNext = stat_next,
    .xEof = stat_eof,
    .xColumn = stat_column,
    .xRowid = stat_rowid,
};

const sqlite3_module *api_dbstat_module(void) { return &stat_module; }
