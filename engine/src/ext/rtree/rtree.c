/*
** rtree.c — the R-Tree modules (rtree.h): a spatial index of boxes in 1 to 5
** dimensions, each row an id, a (min, max) pair of coordinates per
** dimension and optional auxiliary columns.
**
** Storage, in SQLite's layout (three ordinary tables beside the virtual one):
**   NAME_node(nodeno INTEGER PRIMARY KEY, data)  one row per tree node; the
**       root is node 1.  data is a blob of node_size bytes:
**         bytes 0-1  the tree's depth (root only; leaves are depth 0), big-endian
**         bytes 2-3  the number of cells, big-endian
**         then the cells, each 8 bytes of id (big-endian int64) and
**         2*ndim coordinates of 4 bytes (big-endian IEEE float for rtree,
**         int32 for rtree_i32); the rest is zero.
**       A leaf cell's id is a row's id; an internal cell's id is the child
**       node's number and its coordinates the child's bounding box.
**   NAME_rowid(rowid INTEGER PRIMARY KEY, nodeno, a0, a1, ...)  the leaf
**       holding each row, and the row's auxiliary column values.
**   NAME_parent(nodeno INTEGER PRIMARY KEY, parentnode)  the parent of
**       every node but the root.
**
** Invariants: every internal cell's box covers the boxes of its child's
** cells; every row's cell is in exactly one leaf, the one NAME_rowid names;
** every node but the root holds at least a third of what a node can.  Float
** coordinates are rounded outwards when stored (min down, max up), so a
** stored box always covers the box given.
**
** Nodes in memory (RtNode): a node is read whole, through one incremental
** blob handle on NAME_node that moves from row to row, and kept as its
** stored bytes; a cell is decoded only where it is tested or changed.  The
** nodes an operation or a scan holds are reference counted and found by
** number (Rtree.hash), so every holder of a node sees the same bytes; a
** held node holds its parent, the path an insert or a delete walks back up.
** A changed node is written (INSERT OR REPLACE into NAME_node) when its last
** reference goes, after its parent, as SQLite writes it: the shadow tables
** always hold the tree between operations.  A node whose last reference
** went stays in the hash unreferenced (kept, up to RTREE_CACHE_NODES, with
** the number of its parent), for the next operations to use without a read,
** as long as nothing but this module can have changed the shadow tables:
** cache_check compares a mark of the database's data version and the
** connection's change counts with the mark taken after the last operation;
** a rollback this module hears of (xRollback, xRollbackTo) or a change that
** failed drops them, and a scan inside a write transaction the table is
** not part of keeps nothing.  A change while a scan holds nodes is refused
** (SQLITE_LOCKED_VTAB), as the scan would lose its place.  The blob handle
** stays open while cursors are open or the table is in a write transaction,
** and closes at savepoints and at the transaction's end.
**
** Changes follow SQLite 3.53's algorithms step for step, so that both
** engines write the same nodes and rows in the same order (the same files
** and change counts):
**   insert: from the root down to the leaf level, the child whose box
**     already holds the new box (the smallest such), else the one whose box
**     grows least (ties: the smaller); every ancestor's box is widened to
**     take the new box;
**   a full node splits (R*-tree): for each dimension the cells sorted by
**     (min, max) and cut at every point leaving a third on each side; the
**     dimension whose cuts have the least total margin, and in it the cut
**     of least overlap (ties: least area).  A split root keeps number 1 and
**     gets the two halves as new children; a split node keeps the left half;
**   delete: the cell goes, an ancestor left below a third full leaves the
**     tree and its cells are inserted again at their height, the other
**     ancestors' boxes shrink to fit; a root left with one child takes that
**     child's cells.
** Box arithmetic is SQLite's too (box_area and friends), down to the float
** rounding of each extent, since ties decide where a cell goes.
**
** Scans: xBestIndex chooses idxNum 1 (an equality on the id: one lookup)
** or idxNum 2 with an idxStr of two characters per coordinate constraint,
** the operator ('A' =, 'B' <=, 'C' <, 'D' >=, 'E' >) and the coordinate
** ('0' the first column after the id) — the plan SQLite reports.  The scan
** walks the tree depth-first, skipping subtrees whose box cannot hold a
** match.  Constraints <= and >= are omitted from the query's own tests, so
** the scan applies SQL's comparison rules for them itself (NULL matches
** nothing, a number-like text is its number, other text and blobs sort
** above numbers); =, < and > are tested again by the query, as the stored
** coordinate is rounded.  A MATCH on any column ('F') takes the value of a
** function registered with sqlite3_rtree_geometry_callback: the scan asks
** the application's callback about every cell it reaches, internal or
** leaf, and skips the cells (and so the subtrees) it refuses.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ext/rtree/rtree.h"

#define RTREE_MAX_DIM 5
#define RTREE_MAX_COORD (2 * RTREE_MAX_DIM)
#define RTREE_MAX_AUX 100
#define RTREE_MAX_CELLS 51 /* cells per node at most in a node this module makes, whatever the page size */
#define RTREE_MAX_DEPTH 40
#define RTREE_MIN_NODE_SIZE (512 - 64)
#define RTREE_MAX_CONS 20 /* constraints a plan passes at most (40 characters of idxStr) */
#define RTREE_HASH_SIZE 97
#define RTREE_DEFAULT_ROWS 1048576
#define RTREE_MIN_ROWS 100

/* The statements a table keeps prepared (Rtree.stmt). */
enum {
  ST_NODE_WRITE,
  ST_NODE_DELETE,
  ST_ROWID_READ,
  ST_ROWID_WRITE,
  ST_ROWID_DELETE,
  ST_PARENT_READ,
  ST_PARENT_WRITE,
  ST_PARENT_DELETE,
  ST_AUX_WRITE,
  ST_COUNT
};

/* A coordinate as stored: a float (rtree) or an int32 (rtree_i32). */
typedef union Coord {
  float f;
  int32_t i;
  uint32_t u;
} Coord;

/* A cell decoded, for the changes that compute with boxes. */
typedef struct Cell {
  sqlite3_int64 id;
  Coord c[RTREE_MAX_COORD]; /* min, max of each dimension */
} Cell;

/* A node in memory (see the file comment). */
typedef struct RtNode RtNode;
struct RtNode {
  sqlite3_int64 no; /* 0: made by a split, not written yet; after remove_node: the height of its subtree */
  RtNode *parent;   /* a reference this node holds, or NULL */
  sqlite3_int64 parent_no; /* its parent's number as last seen (0: not known), kept over the node's release */
  RtNode *next;     /* the hash chain (Rtree.hash), or the list of removed nodes (Rtree.removed) */
  int nref;
  int dirty;
  unsigned char data[]; /* node_size bytes, as stored */
};

/* What tells whether the shadow tables may have changed since the nodes kept in memory were read or
** written: the database's data version (another connection's commit, or this one's), the connection's
** change count (any INSERT, UPDATE or DELETE it made) and its last statement's (0 after a statement that
** failed and was undone).  valid 0: no mark; outer 1: the statement that ran the last change may add its own
** row to the count (changes 1) when it ends. */
typedef struct CacheMark {
  int valid, outer;
  unsigned int version;
  sqlite3_int64 total, last;
} CacheMark;

typedef struct Rtree {
  sqlite3_vtab base;
  sqlite3 *db;
  char *zdb, *zname, *znode; /* znode: NAME_node, for the blob handle */
  int is_int;
  int ndim, ncoord, naux;
  int node_size, cell_size, max_cells, min_cells;
  int depth;       /* the tree's depth, read from the root when it is read */
  int in_write;    /* between xBegin and the end of the transaction */
  int ncursors;    /* open cursors */
  int nheld;       /* nodes with references */
  sqlite3_int64 nrow_est;
  sqlite3_blob *blob;
  RtNode *hash[RTREE_HASH_SIZE];
  RtNode *removed; /* nodes a delete took out of the tree, whose cells go back in */
  RtNode *spare;   /* freed nodes kept for the next reads (a scan frees and reads one per node it visits) */
  int nspare;
  /* Nodes kept unreferenced in the hash after their last release, for the next operations (see cache_check). */
  int cache_on; /* a node's last release keeps it */
  int ncached;
  CacheMark mark; /* the state they hold the tables' content of */
  char *colname[1 + RTREE_MAX_COORD]; /* the id's and coordinates' names, for messages */
  sqlite3_stmt *stmt[ST_COUNT];
} Rtree;

/* A geometry registered on a connection (sqlite3_rtree_geometry_callback).
** The connection keeps the list of them as its client data GEOM_CLIENTDATA
** and frees it when it closes. */
#define GEOM_CLIENTDATA "lode_rtree_geometry"
typedef int (*GeomCallback)(sqlite3_rtree_geometry *, int, sqlite3_rtree_dbl *, int *);
typedef struct GeomReg {
  GeomCallback xgeom;
  void *ctx;
  struct GeomReg *next;
} GeomReg;
typedef struct GeomList {
  GeomReg *head;
} GeomList;

/* The value of a geometry function, which a MATCH hands to xFilter: a blob of
**   bytes 0-7    GEOM_MAGIC
**   bytes 8-15   the GeomReg's address, which xFilter looks up in the
**                connection's list before using it (a blob made up by SQL is
**                refused, whatever it holds)
**   bytes 16-19  nparam, then nparam doubles: the function's arguments
** in the machine's byte order: the blob lives only as long as its statement. */
#define GEOM_MAGIC "lodeRtG1"
#define GEOM_HEADER 20

/* A scan constraint's test.  A constraint on a value that is not a number
** becomes OP_TRUE or OP_FALSE, as SQL compares it with any number. */
enum { OP_EQ = 'A', OP_LE = 'B', OP_LT = 'C', OP_GE = 'D', OP_GT = 'E', OP_MATCH = 'F', OP_TRUE, OP_FALSE };

typedef struct Constraint {
  int op;
  int coord;                 /* 0 .. 2*ndim-1 */
  double v;
  GeomCallback xgeom;        /* OP_MATCH only: the callback, asked about each cell */
  sqlite3_rtree_geometry *g; /* OP_MATCH only: its argument, owned by the cursor */
} Constraint;

/* A constraint as the scan applies it to one kind of cell (RtreeCursor.tests): at a leaf, the coordinate
** at byte `at` of the cell against v (T_LE .. T_EQ: x <= v ..); above the leaves, the bound at `at` of a
** child's box, which may hold a match when v >= its min (T_BOX_MIN), v <= its max (T_BOX_MAX) or both
** (T_BOX_EQ, the max 4 bytes on). */
enum { T_PASS, T_FAIL, T_MATCH, T_LE, T_LT, T_GE, T_GT, T_EQ, T_BOX_MIN, T_BOX_MAX, T_BOX_EQ };
typedef struct Test {
  int kind;
  int at;
  double v;
  const Constraint *cons; /* T_MATCH */
} Test;

typedef struct Frame {
  RtNode *node; /* held */
  int level;    /* 0: a leaf */
  int next;     /* the next cell to look at */
} Frame;

typedef struct RtreeCursor {
  sqlite3_vtab_cursor base;
  int eof;
  int ncons;
  Constraint cons[RTREE_MAX_CONS];
  Test tests[2][RTREE_MAX_CONS]; /* [0]: above the leaves, [1]: at a leaf */
  int depth; /* frames in use */
  Frame stack[RTREE_MAX_DEPTH + 2];
  RtNode *row_node;    /* the current row's leaf: the top frame's, or held by the cursor for an id lookup */
  int row_cell;
  int one_row;         /* idxNum 1: row_node is the cursor's own */
  int geom_rc;         /* the error a geometry callback returned, which ends the scan */
  sqlite3_stmt *aux;   /* reads the current row's auxiliary columns */
  int aux_valid;       /* aux is on the current row */
} RtreeCursor;

/* ---- byte layout -------------------------------------------------------------------------------------------- */

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static uint32_t get32(const unsigned char *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return __builtin_bswap32(v);
}
static uint64_t get64(const unsigned char *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return __builtin_bswap64(v);
}
static void put32(unsigned char *p, uint32_t v) {
  v = __builtin_bswap32(v);
  memcpy(p, &v, 4);
}
static void put64(unsigned char *p, uint64_t v) {
  v = __builtin_bswap64(v);
  memcpy(p, &v, 8);
}
#else
static uint32_t get32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint64_t get64(const unsigned char *p) { return (uint64_t)get32(p) << 32 | get32(p + 4); }
static void put32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (24 - 8 * i));
}
static void put64(unsigned char *p, uint64_t v) {
  put32(p, (uint32_t)(v >> 32));
  put32(p + 4, (uint32_t)v);
}
#endif
static unsigned get16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static void put16(unsigned char *p, unsigned v) {
  p[0] = (unsigned char)(v >> 8);
  p[1] = (unsigned char)v;
}

static int ncell(const RtNode *n) { return (int)get16(n->data + 2); }

static unsigned char *cell_at(const Rtree *t, RtNode *n, int i) { return n->data + 4 + t->cell_size * i; }

static sqlite3_int64 cell_id(const Rtree *t, RtNode *n, int i) { return (sqlite3_int64)get64(cell_at(t, n, i)); }

static void cell_get(const Rtree *t, RtNode *n, int i, Cell *out) {
  const unsigned char *p = cell_at(t, n, i);
  out->id = (sqlite3_int64)get64(p);
  for (int k = 0; k < t->ncoord; k++) out->c[k].u = get32(p + 8 + 4 * k);
}

static void cell_put(const Rtree *t, RtNode *n, const Cell *c, int i) {
  unsigned char *p = cell_at(t, n, i);
  put64(p, (uint64_t)c->id);
  for (int k = 0; k < t->ncoord; k++) put32(p + 8 + 4 * k, c->c[k].u);
  n->dirty = 1;
}

/* Adds c after n's cells; 1 (and nothing added) when n is full. */
static int cell_append(const Rtree *t, RtNode *n, const Cell *c) {
  int k = ncell(n);
  if (k >= t->max_cells) return 1;
  cell_put(t, n, c, k);
  put16(n->data + 2, (unsigned)k + 1);
  return 0;
}

static void cell_remove(const Rtree *t, RtNode *n, int i) {
  unsigned char *p = cell_at(t, n, i);
  memmove(p, p + t->cell_size, (size_t)((ncell(n) - i - 1) * t->cell_size));
  put16(n->data + 2, (unsigned)ncell(n) - 1);
  n->dirty = 1;
}

/* The index of the cell of n with that id. */
static int cell_find(const Rtree *t, RtNode *n, sqlite3_int64 id, int *out) {
  int k = ncell(n);
  for (int i = 0; i < k; i++)
    if (cell_id(t, n, i) == id) {
      *out = i;
      return SQLITE_OK;
    }
  return SQLITE_CORRUPT_VTAB;
}

/* ---- text ---------------------------------------------------------------------------------------------------- */

/* s (sqlite3_malloc'd, may be NULL: empty) with fmt's text appended; s is freed.
** After an allocation failure the result stays NULL and *oom is set. */
static char *append(char *s, int *oom, const char *fmt, ...) {
  if (*oom) return NULL;
  va_list ap;
  va_start(ap, fmt);
  char *add = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  char *r = add ? sqlite3_mprintf("%s%s", s ? s : "", add) : NULL;
  sqlite3_free(add);
  sqlite3_free(s);
  if (!r) *oom = 1;
  return r;
}

/* ---- shadow-table statements ---------------------------------------------------------------------------------- */

static int db_error(Rtree *t, int rc) {
  sqlite3_free(t->base.zErrMsg);
  t->base.zErrMsg = sqlite3_mprintf("%s", sqlite3_errmsg(t->db));
  return rc;
}

static char *stmt_sql(const Rtree *t, int which) {
  const char *d = t->zdb, *n = t->zname;
  switch (which) {
    case ST_NODE_WRITE: return sqlite3_mprintf("INSERT OR REPLACE INTO \"%w\".\"%w_node\" VALUES(?1,?2)", d, n);
    case ST_NODE_DELETE: return sqlite3_mprintf("DELETE FROM \"%w\".\"%w_node\" WHERE nodeno=?1", d, n);
    case ST_ROWID_READ: return sqlite3_mprintf("SELECT nodeno FROM \"%w\".\"%w_rowid\" WHERE rowid=?1", d, n);
    case ST_ROWID_WRITE:
      /* A REPLACE would clear the auxiliary columns: with them, an upsert. */
      if (!t->naux) return sqlite3_mprintf("INSERT OR REPLACE INTO \"%w\".\"%w_rowid\" VALUES(?1,?2)", d, n);
      return sqlite3_mprintf("INSERT INTO \"%w\".\"%w_rowid\"(rowid,nodeno)VALUES(?1,?2)"
                             "ON CONFLICT(rowid)DO UPDATE SET nodeno=excluded.nodeno",
                             d, n);
    case ST_ROWID_DELETE: return sqlite3_mprintf("DELETE FROM \"%w\".\"%w_rowid\" WHERE rowid=?1", d, n);
    case ST_PARENT_READ: return sqlite3_mprintf("SELECT parentnode FROM \"%w\".\"%w_parent\" WHERE nodeno=?1", d, n);
    case ST_PARENT_WRITE: return sqlite3_mprintf("INSERT OR REPLACE INTO \"%w\".\"%w_parent\" VALUES(?1,?2)", d, n);
    case ST_PARENT_DELETE: return sqlite3_mprintf("DELETE FROM \"%w\".\"%w_parent\" WHERE nodeno=?1", d, n);
    default: {
      int oom = 0;
      char *s = append(NULL, &oom, "UPDATE \"%w\".\"%w_rowid\" SET ", d, n);
      for (int i = 0; i < t->naux; i++) s = append(s, &oom, "%sa%d=?%d", i ? "," : "", i, i + 2);
      return append(s, &oom, " WHERE rowid=?1");
    }
  }
}

static sqlite3_stmt *stmt_get(Rtree *t, int which, int *rc) {
  if (t->stmt[which]) return t->stmt[which];
  char *sql = stmt_sql(t, which);
  if (!sql) {
    *rc = SQLITE_NOMEM;
    return NULL;
  }
  *rc = sqlite3_prepare_v3(t->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &t->stmt[which], NULL);
  sqlite3_free(sql);
  if (*rc != SQLITE_OK) {
    db_error(t, *rc);
    return NULL;
  }
  return t->stmt[which];
}

static void stmts_finalize(Rtree *t) {
  for (int i = 0; i < ST_COUNT; i++) {
    sqlite3_finalize(t->stmt[i]);
    t->stmt[i] = NULL;
  }
}

/* Runs a statement of one or two integer parameters (b: the second) that returns nothing. */
static int run(Rtree *t, int which, sqlite3_int64 a, sqlite3_int64 b) {
  int rc;
  sqlite3_stmt *s = stmt_get(t, which, &rc);
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, a);
  if (which == ST_ROWID_WRITE || which == ST_PARENT_WRITE) sqlite3_bind_int64(s, 2, b);
  sqlite3_step(s);
  rc = sqlite3_reset(s);
  return rc == SQLITE_OK ? rc : db_error(t, rc);
}

/* The integer a one-parameter query gives, *found 0 when it gives no row. */
static int query1(Rtree *t, int which, sqlite3_int64 a, sqlite3_int64 *out, int *found) {
  int rc;
  sqlite3_stmt *s = stmt_get(t, which, &rc);
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, a);
  *found = sqlite3_step(s) == SQLITE_ROW;
  if (*found) *out = sqlite3_column_int64(s, 0);
  rc = sqlite3_reset(s);
  return rc == SQLITE_OK ? rc : db_error(t, rc);
}

/* ---- nodes in memory -------------------------------------------------------------------------------------------- */

static RtNode *hash_find(const Rtree *t, sqlite3_int64 no) {
  RtNode *n = t->hash[(unsigned)no % RTREE_HASH_SIZE];
  while (n && n->no != no) n = n->next;
  return n;
}

static void hash_add(Rtree *t, RtNode *n) {
  unsigned h = (unsigned)n->no % RTREE_HASH_SIZE;
  n->next = t->hash[h];
  t->hash[h] = n;
}

static void hash_remove(Rtree *t, RtNode *n) {
  if (!n->no) return;
  RtNode **pp = &t->hash[(unsigned)n->no % RTREE_HASH_SIZE];
  while (*pp && *pp != n) pp = &(*pp)->next;
  if (*pp) *pp = n->next;
  n->next = NULL;
}

static void node_ref(RtNode *n) {
  if (n) n->nref++;
}

#define RTREE_CACHE_NODES 256

/* Frees the kept nodes (those no one holds). */
static void cache_drop(Rtree *t) {
  for (int h = 0; t->ncached > 0 && h < RTREE_HASH_SIZE; h++) {
    for (RtNode **pp = &t->hash[h]; *pp;) {
      RtNode *n = *pp;
      if (n->nref > 0) {
        pp = &n->next;
        continue;
      }
      *pp = n->next;
      sqlite3_free(n);
      t->ncached--;
    }
  }
  t->ncached = 0;
}

/* The mark of now; valid 0 when the database has no data version to give. */
static CacheMark cache_mark_now(Rtree *t) {
  CacheMark m = {0, 0, 0, 0, 0};
  m.valid = sqlite3_file_control(t->db, t->zdb, SQLITE_FCNTL_DATA_VERSION, &m.version) == SQLITE_OK;
  m.total = sqlite3_total_changes64(t->db);
  m.last = sqlite3_changes64(t->db);
  return m;
}

/* Whether nothing can have changed the shadow tables between marks a and b. */
static int cache_mark_same(const CacheMark *a, const CacheMark *b) {
  if (!a->valid || !b->valid || a->version != b->version) return 0;
  if (a->total == b->total && a->last == b->last) return 1;
  return a->outer && b->total == a->total + 1 && b->last == 1;
}

/* Before an operation: the kept nodes stay if nothing can have changed the shadow tables since (the change
** counts move with any change this connection makes, the data version with another's commit; the last
** statement's count is 0 after one undone by its own rollback, of which the module hears nothing), and
** whether this operation may keep what it reads: a change may, as its own rollback is heard of (xRollback,
** xRollbackTo); so may a scan outside a write transaction, or inside one the table takes part in; not one
** inside another write transaction, whose rollback could undo a direct change of the shadow tables unheard. */
static void cache_check(Rtree *t, int change) {
  CacheMark now = cache_mark_now(t);
  if (!cache_mark_same(&t->mark, &now)) cache_drop(t);
  t->mark = now;
  t->cache_on = now.valid && (change || t->in_write || sqlite3_txn_state(t->db, t->zdb) != SQLITE_TXN_WRITE);
  if (!t->cache_on) cache_drop(t);
}

/* Nothing kept can be trusted (a rollback, a failed change). */
static void cache_off(Rtree *t) {
  t->cache_on = 0;
  t->mark.valid = 0;
  cache_drop(t);
}

static void blob_close(Rtree *t) {
  sqlite3_blob *b = t->blob;
  t->blob = NULL;
  sqlite3_blob_close(b);
}

#define RTREE_SPARE_NODES 8

static RtNode *node_alloc(Rtree *t) {
  RtNode *n = t->spare;
  if (!n) return sqlite3_malloc64(sizeof *n + (size_t)t->node_size);
  t->spare = n->next;
  t->nspare--;
  return n;
}

static void node_free(Rtree *t, RtNode *n) {
  if (t->nspare >= RTREE_SPARE_NODES) {
    sqlite3_free(n);
    return;
  }
  n->next = t->spare;
  t->spare = n;
  t->nspare++;
}

/* A node a split makes: no number until it is first written. */
static RtNode *node_new(Rtree *t, RtNode *parent) {
  RtNode *n = node_alloc(t);
  if (!n) return NULL;
  memset(n, 0, sizeof *n + (size_t)t->node_size);
  n->nref = 1;
  t->nheld++;
  n->parent = parent;
  n->dirty = 1;
  node_ref(parent);
  return n;
}

/* Node no, held: the copy in memory when another holder has it (which must
** see it under the same parent when a parent is given), else read. */
static int node_get(Rtree *t, sqlite3_int64 no, RtNode *parent, RtNode **out) {
  RtNode *n = hash_find(t, no);
  int rc = SQLITE_OK;
  *out = NULL;
  if (n) {
    if (n->nref == 0) { /* a kept node */
      t->ncached--;
      t->nheld++;
      n->parent = parent;
      if (parent) n->parent_no = parent->no;
      node_ref(parent);
      if (no == 1) t->depth = (int)get16(n->data);
    } else if (parent && parent != n->parent) {
      return SQLITE_CORRUPT_VTAB;
    }
    n->nref++;
    *out = n;
    return SQLITE_OK;
  }
  if (t->blob) {
    rc = sqlite3_blob_reopen(t->blob, no);
    if (rc != SQLITE_OK) {
      blob_close(t);
      if (rc == SQLITE_NOMEM) return rc;
    }
  }
  if (!t->blob) rc = sqlite3_blob_open(t->db, t->zdb, t->znode, "data", no, 0, &t->blob);
  if (rc != SQLITE_OK) return rc == SQLITE_ERROR ? SQLITE_CORRUPT_VTAB : rc;
  if (sqlite3_blob_bytes(t->blob) != t->node_size) rc = SQLITE_CORRUPT_VTAB;
  else if (!(n = node_alloc(t))) rc = SQLITE_NOMEM;
  else rc = sqlite3_blob_read(t->blob, n->data, t->node_size, 0);
  if (rc == SQLITE_OK && no == 1) {
    t->depth = (int)get16(n->data);
    if (t->depth > RTREE_MAX_DEPTH) rc = SQLITE_CORRUPT_VTAB;
  }
  if (rc == SQLITE_OK && ncell(n) > t->max_cells) rc = SQLITE_CORRUPT_VTAB;
  if (rc != SQLITE_OK) {
    blob_close(t);
    if (n) node_free(t, n);
    return rc;
  }
  n->no = no;
  n->nref = 1;
  n->dirty = 0;
  n->parent = parent;
  n->parent_no = parent ? parent->no : 0;
  node_ref(parent);
  t->nheld++;
  hash_add(t, n);
  *out = n;
  return SQLITE_OK;
}

/* Writes n if it changed; a new node gets its number. */
static int node_write(Rtree *t, RtNode *n) {
  if (!n->dirty) return SQLITE_OK;
  int rc;
  sqlite3_stmt *s = stmt_get(t, ST_NODE_WRITE, &rc);
  if (!s) return rc;
  if (n->no) sqlite3_bind_int64(s, 1, n->no);
  else sqlite3_bind_null(s, 1);
  sqlite3_bind_blob(s, 2, n->data, t->node_size, SQLITE_STATIC);
  sqlite3_step(s);
  n->dirty = 0;
  rc = sqlite3_reset(s);
  sqlite3_bind_null(s, 2);
  if (rc != SQLITE_OK) return db_error(t, rc);
  if (!n->no) {
    n->no = sqlite3_last_insert_rowid(t->db);
    hash_add(t, n);
  }
  return SQLITE_OK;
}

/* Drops a reference; the last one releases the parent, writes n if it changed and frees it (or keeps it for
** the next scans, see cache_check). */
static int node_release(Rtree *t, RtNode *n) {
  int rc = SQLITE_OK;
  if (!n || --n->nref > 0) return SQLITE_OK;
  t->nheld--;
  if (n->no == 1) t->depth = -1;
  if (n->parent) {
    n->parent_no = n->parent->no;
    rc = node_release(t, n->parent);
  }
  n->parent = NULL;
  if (rc == SQLITE_OK) rc = node_write(t, n);
  if (rc == SQLITE_OK && t->cache_on && !n->dirty && n->no > 0 && t->ncached < RTREE_CACHE_NODES) {
    t->ncached++;
    return SQLITE_OK;
  }
  hash_remove(t, n);
  node_free(t, n);
  return rc;
}

/* The index of n's cell in its parent. */
static int parent_index(const Rtree *t, RtNode *n, int *out) {
  if (!n->parent) return SQLITE_CORRUPT_VTAB;
  return cell_find(t, n->parent, n->no, out);
}

/* ---- boxes ---------------------------------------------------------------------------------------------------- */

/* The arithmetic decides ties between places for a cell, so it is SQLite's
** to the bit: extents of float boxes are float differences, the product runs
** from the last dimension to the first, min and max keep the first operand
** on equality. */

static double coord_d(const Rtree *t, Coord c) { return t->is_int ? (double)c.i : (double)c.f; }

static double box_area(const Rtree *t, const Cell *a) {
  double r = 1;
  for (int k = t->ncoord - 2; k >= 0; k -= 2) {
    if (t->is_int) {
      r *= (double)((sqlite3_int64)a->c[k + 1].i - (sqlite3_int64)a->c[k].i);
    } else {
      float w = a->c[k + 1].f - a->c[k].f;
      r *= (double)w;
    }
  }
  return r;
}

/* The sum of the extents. */
static double box_margin(const Rtree *t, const Cell *a) {
  double m = 0;
  for (int k = t->ncoord - 2; k >= 0; k -= 2) m += coord_d(t, a->c[k + 1]) - coord_d(t, a->c[k]);
  return m;
}

/* a grows to cover b. */
static void box_union(const Rtree *t, Cell *a, const Cell *b) {
  const int n = t->ncoord;
  if (t->is_int) {
    for (int k = 0; k < n; k += 2) {
      if (a->c[k].i > b->c[k].i) a->c[k].i = b->c[k].i;
      if (a->c[k + 1].i < b->c[k + 1].i) a->c[k + 1].i = b->c[k + 1].i;
    }
  } else {
    for (int k = 0; k < n; k += 2) {
      if (a->c[k].f > b->c[k].f) a->c[k].f = b->c[k].f;
      if (a->c[k + 1].f < b->c[k + 1].f) a->c[k + 1].f = b->c[k + 1].f;
    }
  }
}

/* Whether a covers b. */
static int box_contains(const Rtree *t, const Cell *a, const Cell *b) {
  const int n = t->ncoord;
  if (t->is_int) {
    for (int k = 0; k < n; k += 2)
      if (b->c[k].i < a->c[k].i || b->c[k + 1].i > a->c[k + 1].i) return 0;
  } else {
    for (int k = 0; k < n; k += 2)
      if (b->c[k].f < a->c[k].f || b->c[k + 1].f > a->c[k + 1].f) return 0;
  }
  return 1;
}

/* The volume a and b share. */
static double box_overlap(const Rtree *t, const Cell *a, const Cell *b) {
  double o = 1;
  for (int k = 0; k < t->ncoord; k += 2) {
    double a0 = coord_d(t, a->c[k]), b0 = coord_d(t, b->c[k]);
    double a1 = coord_d(t, a->c[k + 1]), b1 = coord_d(t, b->c[k + 1]);
    double lo = a0 < b0 ? b0 : a0, hi = a1 > b1 ? b1 : a1;
    if (hi < lo) return 0;
    o = o * (hi - lo);
  }
  return o;
}

/* ---- changing the tree ----------------------------------------------------------------------------------------- */

static int insert_cell(Rtree *t, RtNode *n, const Cell *c, int height);

/* Records that the cell with that id (a row's at height 0, else a node's) is in node no. */
static int map_write(Rtree *t, int height, sqlite3_int64 id, sqlite3_int64 no) {
  return run(t, height == 0 ? ST_ROWID_WRITE : ST_PARENT_WRITE, id, no);
}

/* The node at the given height (0: a leaf) where c goes in, held. */
static int choose_node(Rtree *t, const Cell *c, int height, RtNode **out) {
  RtNode *n = NULL;
  int rc = node_get(t, 1, NULL, &n);
  for (int level = t->depth; rc == SQLITE_OK && level > height; level--) {
    int k = ncell(n), found = 0;
    sqlite3_int64 best = 0;
    double best_grow = 0, best_area = 0;
    Cell cell;
    /* The smallest child box that holds c already; failing that, the one c widens least (ties: the smaller). */
    for (int i = 0; i < k; i++) {
      cell_get(t, n, i, &cell);
      if (!box_contains(t, &cell, c)) continue;
      double a = box_area(t, &cell);
      if (!found || a < best_area) best = cell.id, best_area = a, found = 1;
    }
    for (int i = 0; !found && i < k; i++) {
      cell_get(t, n, i, &cell);
      double a = box_area(t, &cell);
      box_union(t, &cell, c);
      double g = box_area(t, &cell) - a;
      if (i == 0 || g < best_grow || (g == best_grow && a < best_area)) best = cell.id, best_grow = g, best_area = a;
    }
    RtNode *child = NULL;
    rc = node_get(t, best, n, &child);
    node_release(t, n);
    n = child;
  }
  *out = n;
  return rc;
}

/* c was just added to n: every ancestor's box widens to cover it. */
static int widen_ancestors(Rtree *t, RtNode *n, const Cell *c) {
  for (int steps = 0; n->parent; n = n->parent) {
    int i;
    if (++steps > 100 || parent_index(t, n, &i) != SQLITE_OK) return SQLITE_CORRUPT_VTAB;
    Cell box;
    cell_get(t, n->parent, i, &box);
    if (!box_contains(t, &box, c)) {
      box_union(t, &box, c);
      cell_put(t, n->parent, &box, i);
    }
  }
  return SQLITE_OK;
}

/* Sorts idx (n cell indexes) by the cells' min in dimension d, then their max: a merge sort
** that takes the right run's cell on a full tie, as SQLite's does, for the same order. */
static void sort_by_dim(const Rtree *t, int *idx, int n, int d, const Cell *cells, int *spare) {
  if (n < 2) return;
  int nl = n / 2, nr = n - nl, i = 0, j = 0;
  int *right = idx + nl;
  sort_by_dim(t, idx, nl, d, cells, spare);
  sort_by_dim(t, right, nr, d, cells, spare);
  memcpy(spare, idx, sizeof(int) * (size_t)nl);
  while (i < nl || j < nr) {
    int left_first;
    if (i == nl) left_first = 0;
    else if (j == nr) left_first = 1;
    else {
      double l0 = coord_d(t, cells[spare[i]].c[2 * d]), l1 = coord_d(t, cells[spare[i]].c[2 * d + 1]);
      double r0 = coord_d(t, cells[right[j]].c[2 * d]), r1 = coord_d(t, cells[right[j]].c[2 * d + 1]);
      left_first = l0 < r0 || (l0 == r0 && l1 < r1);
    }
    int pick = left_first ? spare[i] : right[j];
    idx[i + j] = pick;
    if (left_first) i++;
    else j++;
  }
}

/* Deals the n cells out to the empty nodes left and right (R*-tree split, see the file comment); *lbox and
** *rbox get the halves' boxes.  The boxes of every cut come from running unions from either end (a box's
** min and max do not depend on the order its cells are joined in). */
static int split_cells(Rtree *t, const Cell *cells, int n, RtNode *left, RtNode *right, Cell *lbox, Cell *rbox) {
  int *sorted = sqlite3_malloc64((sizeof(int) * (size_t)(t->ndim + 1) + 2 * sizeof(Cell)) * (size_t)n);
  if (!sorted) return SQLITE_NOMEM;
  Cell *head = (Cell *)(sorted + n * (t->ndim + 1)), *tail = head + n; /* head[i]: cells 0..i, tail[i]: i..n-1 */
  int *spare = sorted + n * t->ndim;
  for (int d = 0; d < t->ndim; d++) {
    for (int i = 0; i < n; i++) sorted[d * n + i] = i;
    sort_by_dim(t, sorted + d * n, n, d, cells, spare);
  }
  int best_dim = 0, best_cut = 0;
  double best_margin = 0;
  for (int d = 0; d < t->ndim; d++) {
    const int *s = sorted + d * n;
    double margin = 0, best_overlap = 0, best_area = 0;
    int cut_here = 0;
    head[0] = cells[s[0]];
    for (int i = 1; i < n; i++) {
      head[i] = head[i - 1];
      box_union(t, &head[i], &cells[s[i]]);
    }
    tail[n - 1] = cells[s[n - 1]];
    for (int i = n - 2; i >= 0; i--) {
      tail[i] = tail[i + 1];
      box_union(t, &tail[i], &cells[s[i]]);
    }
    for (int cut = t->min_cells; cut <= n - t->min_cells; cut++) {
      const Cell *l = &head[cut - 1], *r = &tail[cut];
      margin += box_margin(t, l);
      margin += box_margin(t, r);
      double overlap = box_overlap(t, l, r), area = box_area(t, l) + box_area(t, r);
      if (cut == t->min_cells || overlap < best_overlap || (overlap == best_overlap && area < best_area))
        cut_here = cut, best_overlap = overlap, best_area = area;
    }
    if (d == 0 || margin < best_margin) best_dim = d, best_margin = margin, best_cut = cut_here;
  }
  const int *s = sorted + best_dim * n;
  *lbox = cells[s[0]];
  *rbox = cells[s[best_cut]];
  for (int i = 0; i < n; i++) {
    cell_append(t, i < best_cut ? left : right, &cells[s[i]]);
    box_union(t, i < best_cut ? lbox : rbox, &cells[s[i]]);
  }
  sqlite3_free(sorted);
  return SQLITE_OK;
}

/* The cell with that id (at the given height) is now in node n: its map row, and the node's parent in
** memory when it is held. */
static int remap(Rtree *t, sqlite3_int64 id, RtNode *n, int height) {
  if (height > 0) {
    RtNode *child = hash_find(t, id);
    for (RtNode *p = n; p; p = p->parent)
      if (p == child) return SQLITE_CORRUPT_VTAB;
    if (child) child->parent_no = n->no;
    if (child && child->nref > 0) { /* a kept node holds no parent */
      node_release(t, child->parent);
      node_ref(n);
      child->parent = n;
    }
  }
  return map_write(t, height, id, n->no);
}

/* n is full and c must go in: n splits. */
static int split_node(Rtree *t, RtNode *n, const Cell *c, int height) {
  int k = ncell(n), rc = SQLITE_OK, new_right = 0;
  RtNode *left = NULL, *right = NULL;
  Cell lbox, rbox;
  Cell *cells = sqlite3_malloc64(sizeof(Cell) * (size_t)(k + 1));
  if (!cells) return SQLITE_NOMEM;
  for (int i = 0; i < k; i++) cell_get(t, n, i, &cells[i]);
  memset(n->data + 2, 0, (size_t)t->node_size - 2);
  n->dirty = 1;
  cells[k++] = *c;
  if (n->no == 1) {
    right = node_new(t, n);
    left = node_new(t, n);
    t->depth++;
    put16(n->data, (unsigned)t->depth);
  } else {
    left = n;
    right = node_new(t, n->parent);
    left->nref++;
  }
  if (!left || !right) {
    rc = SQLITE_NOMEM;
    goto done;
  }
  memset(left->data, 0, (size_t)t->node_size);
  memset(right->data, 0, (size_t)t->node_size);
  if ((rc = split_cells(t, cells, k, left, right, &lbox, &rbox)) != SQLITE_OK) goto done;
  /* Both halves need their numbers now: the parent's cells name them. */
  if ((rc = node_write(t, right)) != SQLITE_OK || (!left->no && (rc = node_write(t, left)) != SQLITE_OK)) goto done;
  rbox.id = right->no;
  lbox.id = left->no;
  if (n->no == 1) {
    rc = insert_cell(t, left->parent, &lbox, height + 1);
  } else {
    int i;
    rc = parent_index(t, left, &i);
    if (rc == SQLITE_OK) {
      cell_put(t, left->parent, &lbox, i);
      rc = widen_ancestors(t, left->parent, &lbox);
    }
  }
  if (rc == SQLITE_OK) rc = insert_cell(t, right->parent, &rbox, height + 1);
  for (int i = 0; rc == SQLITE_OK && i < ncell(right); i++) {
    sqlite3_int64 id = cell_id(t, right, i);
    rc = remap(t, id, right, height);
    if (id == c->id) new_right = 1;
  }
  if (rc == SQLITE_OK && n->no == 1) {
    for (int i = 0; rc == SQLITE_OK && i < ncell(left); i++) rc = remap(t, cell_id(t, left, i), left, height);
  } else if (rc == SQLITE_OK && !new_right) {
    rc = remap(t, c->id, left, height);
  }
done:
  node_release(t, right);
  node_release(t, left);
  sqlite3_free(cells);
  return rc;
}

/* Puts c (a row's cell at height 0, else a child node's) into n, chosen by choose_node. */
static int insert_cell(Rtree *t, RtNode *n, const Cell *c, int height) {
  if (height > 0) {
    RtNode *child = hash_find(t, c->id);
    if (child) child->parent_no = n->no;
    if (child && child->nref > 0) {
      node_release(t, child->parent);
      node_ref(n);
      child->parent = n;
    }
  }
  if (cell_append(t, n, c)) return split_node(t, n, c, height);
  int rc = widen_ancestors(t, n, c);
  return rc == SQLITE_OK ? map_write(t, height, c->id, n->no) : rc;
}

/* Holds the ancestors of a node read by number (a row's leaf), through NAME_parent, or the parent a node
** kept in memory remembers (from a walk down the tree or a map row this module wrote: what NAME_parent holds
** while nothing else has changed the tables, see cache_check). */
static int hold_ancestors(Rtree *t, RtNode *leaf) {
  int rc = SQLITE_OK;
  for (RtNode *n = leaf; rc == SQLITE_OK && n->no != 1 && !n->parent; n = n->parent) {
    sqlite3_int64 p = n->parent_no;
    int found = p != 0, rc2 = SQLITE_OK;
    if (!found) rc = query1(t, ST_PARENT_READ, n->no, &p, &found);
    if (rc == SQLITE_OK && found) {
      RtNode *seen = leaf; /* a parent already on the path would make a loop */
      while (seen && seen->no != p) seen = seen->parent;
      if (!seen) rc2 = node_get(t, p, NULL, &n->parent);
    }
    if (rc == SQLITE_OK) rc = rc2;
    if (rc == SQLITE_OK && !n->parent) rc = SQLITE_CORRUPT_VTAB;
  }
  return rc;
}

static int delete_cell(Rtree *t, RtNode *n, int i, int height);

/* Takes n (a node at that height, held once) out of the tree: its cell in the parent goes, its rows in
** NAME_node and NAME_parent go, and it waits on Rtree.removed for its cells to be inserted again. */
static int remove_node(Rtree *t, RtNode *n, int height) {
  RtNode *parent = NULL;
  int i, rc = parent_index(t, n, &i);
  if (rc == SQLITE_OK) {
    parent = n->parent;
    n->parent = NULL;
    rc = delete_cell(t, parent, i, height + 1);
  }
  int rc2 = node_release(t, parent);
  if (rc == SQLITE_OK) rc = rc2;
  if (rc == SQLITE_OK) rc = run(t, ST_NODE_DELETE, n->no, 0);
  if (rc == SQLITE_OK) rc = run(t, ST_PARENT_DELETE, n->no, 0);
  if (rc != SQLITE_OK) return rc;
  hash_remove(t, n);
  n->no = height;
  n->next = t->removed;
  n->nref++;
  t->removed = n;
  return SQLITE_OK;
}

/* n's box in its parent, and so on up, shrinks to n's cells. */
static int fit_ancestors(Rtree *t, RtNode *n) {
  for (; n->parent; n = n->parent) {
    Cell box, cell;
    int i;
    cell_get(t, n, 0, &box);
    for (int k = 1; k < ncell(n); k++) {
      cell_get(t, n, k, &cell);
      box_union(t, &box, &cell);
    }
    box.id = n->no;
    int rc = parent_index(t, n, &i);
    if (rc != SQLITE_OK) return rc;
    cell_put(t, n->parent, &box, i);
  }
  return SQLITE_OK;
}

/* Removes cell i of n (a node at that height); an underfull node leaves the tree. */
static int delete_cell(Rtree *t, RtNode *n, int i, int height) {
  int rc = hold_ancestors(t, n);
  if (rc != SQLITE_OK) return rc;
  cell_remove(t, n, i);
  if (!n->parent) return SQLITE_OK;
  return ncell(n) < t->min_cells ? remove_node(t, n, height) : fit_ancestors(t, n);
}

/* The cells of a removed node go back into the tree at its height. */
static int reinsert_cells(Rtree *t, RtNode *removed) {
  int rc = SQLITE_OK, height = (int)removed->no;
  for (int i = 0; rc == SQLITE_OK && i < ncell(removed); i++) {
    RtNode *n = NULL;
    Cell c;
    cell_get(t, removed, i, &c);
    rc = choose_node(t, &c, height, &n);
    if (rc == SQLITE_OK) {
      rc = insert_cell(t, n, &c, height);
      int rc2 = node_release(t, n);
      if (rc == SQLITE_OK) rc = rc2;
    }
  }
  return rc;
}

/* The leaf holding row id, held, or NULL when there is no such row. */
static int find_leaf(Rtree *t, sqlite3_int64 id, RtNode **out) {
  sqlite3_int64 no = 0;
  int found = 0, rc = query1(t, ST_ROWID_READ, id, &no, &found);
  *out = NULL;
  if (rc != SQLITE_OK || !found) return rc;
  return node_get(t, no, NULL, out);
}

/* Removes row id from the tree (nothing when there is no such row). */
static int delete_row(Rtree *t, sqlite3_int64 id) {
  RtNode *root = NULL, *leaf = NULL;
  int rc = node_get(t, 1, NULL, &root);
  if (rc == SQLITE_OK) rc = find_leaf(t, id, &leaf);
  if (rc == SQLITE_OK && leaf) {
    int i;
    rc = cell_find(t, leaf, id, &i);
    if (rc == SQLITE_OK) rc = delete_cell(t, leaf, i, 0);
    int rc2 = node_release(t, leaf);
    if (rc == SQLITE_OK) rc = rc2;
  }
  if (rc == SQLITE_OK) rc = run(t, ST_ROWID_DELETE, id, 0);
  /* A root left with one child takes the child's cells: the tree is a level shorter. */
  if (rc == SQLITE_OK && t->depth > 0 && ncell(root) == 1) {
    RtNode *child = NULL;
    rc = node_get(t, cell_id(t, root, 0), root, &child);
    if (rc == SQLITE_OK) rc = remove_node(t, child, t->depth - 1);
    int rc2 = node_release(t, child);
    if (rc == SQLITE_OK) rc = rc2;
    if (rc == SQLITE_OK) {
      t->depth--;
      put16(root->data, (unsigned)t->depth);
      root->dirty = 1;
    }
  }
  while (t->removed) {
    RtNode *n = t->removed;
    if (rc == SQLITE_OK) rc = reinsert_cells(t, n);
    t->removed = n->next;
    t->nheld--;
    node_free(t, n);
  }
  int rc2 = node_release(t, root);
  return rc == SQLITE_OK ? rc2 : rc;
}

/* ---- construction ---------------------------------------------------------------------------------------------- */

/* The length of the name at the start of an argument: a quoted name, or up to the first blank. */
static int token_len(const char *z) {
  char q = z[0] == '[' ? ']' : (z[0] == '"' || z[0] == '\'' || z[0] == '`') ? z[0] : 0;
  int i = 0;
  if (q) {
    for (i = 1; z[i]; i++) {
      if (z[i] != q) continue;
      if (q != ']' && z[i + 1] == q) {
        i++;
        continue;
      }
      return i + 1;
    }
    return i;
  }
  while (z[i] && z[i] != ' ' && z[i] != '\t' && z[i] != '\n' && z[i] != '\r') i++;
  return i;
}

/* A name for messages: the token without its quotes. */
static char *unquote(const char *z, int n) {
  if (n >= 2 && (z[0] == '"' || z[0] == '\'' || z[0] == '`' || z[0] == '[')) {
    char q = z[0] == '[' ? ']' : z[0];
    char *r = sqlite3_malloc(n);
    int o = 0;
    if (!r) return NULL;
    for (int i = 1; i < n - 1; i++) {
      r[o++] = z[i];
      if (z[i] == q && q != ']' && i + 1 < n - 1 && z[i + 1] == q) i++;
    }
    r[o] = 0;
    return r;
  }
  return sqlite3_mprintf("%.*s", n, z);
}

static void rtree_free(Rtree *t) {
  if (!t) return;
  blob_close(t);
  stmts_finalize(t);
  /* Nodes still held only after an operation failed half way: they are dropped unwritten. */
  for (int h = 0; h < RTREE_HASH_SIZE; h++)
    while (t->hash[h]) {
      RtNode *next = t->hash[h]->next;
      sqlite3_free(t->hash[h]);
      t->hash[h] = next;
    }
  while (t->spare) {
    RtNode *next = t->spare->next;
    sqlite3_free(t->spare);
    t->spare = next;
  }
  for (int i = 0; i <= RTREE_MAX_COORD; i++) sqlite3_free(t->colname[i]);
  sqlite3_free(t->zdb);
  sqlite3_free(t->zname);
  sqlite3_free(t->znode);
  sqlite3_free(t);
}

static int query_int(sqlite3 *db, char *sql, int *out) {
  sqlite3_stmt *s = NULL;
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
  sqlite3_free(sql);
  if (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) *out = sqlite3_column_int(s, 0);
  if (rc == SQLITE_OK) rc = sqlite3_finalize(s);
  return rc;
}

/* The planner's guess of the rows: sqlite_stat1's count for NAME_rowid (at least RTREE_MIN_ROWS) when the
** database has that table, else RTREE_DEFAULT_ROWS. */
static int count_rows(Rtree *t) {
  t->nrow_est = RTREE_DEFAULT_ROWS;
  int rc = sqlite3_table_column_metadata(t->db, t->zdb, "sqlite_stat1", NULL, NULL, NULL, NULL, NULL, NULL);
  if (rc != SQLITE_OK) return rc == SQLITE_ERROR ? SQLITE_OK : rc;
  char *sql = sqlite3_mprintf("SELECT stat FROM %Q.sqlite_stat1 WHERE tbl = '%q_rowid'", t->zdb, t->zname);
  sqlite3_stmt *s = NULL;
  sqlite3_int64 n = RTREE_MIN_ROWS;
  rc = sql ? sqlite3_prepare_v2(t->db, sql, -1, &s, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  if (rc == SQLITE_OK) {
    if (sqlite3_step(s) == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
    rc = sqlite3_finalize(s);
  }
  t->nrow_est = n > RTREE_MIN_ROWS ? n : RTREE_MIN_ROWS;
  return rc;
}

static int create_shadows(Rtree *t) {
  char aux[RTREE_MAX_AUX * 6 + 8] = "";
  for (int i = 0, o = 0; i < t->naux; i++) o += snprintf(aux + o, sizeof aux - (size_t)o, ",a%d", i);
  char *sql = sqlite3_mprintf("CREATE TABLE \"%w\".\"%w_rowid\"(rowid INTEGER PRIMARY KEY,nodeno%s);"
                              "CREATE TABLE \"%w\".\"%w_node\"(nodeno INTEGER PRIMARY KEY,data);"
                              "CREATE TABLE \"%w\".\"%w_parent\"(nodeno INTEGER PRIMARY KEY,parentnode);"
                              "INSERT INTO \"%w\".\"%w_node\"VALUES(1,zeroblob(%d))",
                              t->zdb, t->zname, aux, t->zdb, t->zname, t->zdb, t->zname, t->zdb, t->zname,
                              t->node_size);
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_exec(t->db, sql, NULL, NULL, NULL);
  sqlite3_free(sql);
  return rc;
}

/* The node size: a new table's fills a page but 64 bytes (at most RTREE_MAX_CELLS cells), an existing
** one's is its root's. */
static int node_size(Rtree *t, int create, char **err) {
  int rc;
  if (create) {
    int psize = 4096;
    rc = query_int(t->db, sqlite3_mprintf("PRAGMA \"%w\".page_size", t->zdb), &psize);
    t->node_size = psize - 64;
    if (4 + t->cell_size * RTREE_MAX_CELLS < t->node_size) t->node_size = 4 + t->cell_size * RTREE_MAX_CELLS;
  } else {
    rc = query_int(t->db, sqlite3_mprintf("SELECT length(data) FROM \"%w\".\"%w_node\" WHERE nodeno=1", t->zdb,
                                          t->zname),
                   &t->node_size);
    if (rc == SQLITE_OK && t->node_size < RTREE_MIN_NODE_SIZE) {
      *err = sqlite3_mprintf("undersize RTree blobs in \"%q_node\"", t->zname);
      return SQLITE_CORRUPT_VTAB;
    }
  }
  if (rc != SQLITE_OK) *err = sqlite3_mprintf("%s", sqlite3_errmsg(t->db));
  return rc;
}

static int rtree_init(sqlite3 *db, int argc, const char *const *argv, sqlite3_vtab **out, char **err, int create,
                      int is_int) {
  int ncol = argc - 3, naux = 0, ncoord = 0;
  *out = NULL;
  if (ncol < 3) {
    *err = sqlite3_mprintf("Too few columns for an rtree table");
    return SQLITE_ERROR;
  }
  for (int i = 1; i < ncol; i++) {
    if (argv[3 + i][0] == '+') naux++;
    else if (naux) {
      *err = sqlite3_mprintf("Auxiliary rtree columns must be last");
      return SQLITE_ERROR;
    } else ncoord++;
  }
  if (ncoord < 2) {
    *err = sqlite3_mprintf("Too few columns for an rtree table");
    return SQLITE_ERROR;
  }
  if (ncoord > RTREE_MAX_COORD || naux > RTREE_MAX_AUX) {
    *err = sqlite3_mprintf("Too many columns for an rtree table");
    return SQLITE_ERROR;
  }
  if (ncoord % 2) {
    *err = sqlite3_mprintf("Wrong number of columns for an rtree table");
    return SQLITE_ERROR;
  }
  Rtree *t = sqlite3_malloc((int)sizeof *t);
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof *t);
  t->db = db;
  t->is_int = is_int;
  t->ndim = ncoord / 2;
  t->ncoord = ncoord;
  t->naux = naux;
  t->cell_size = 8 + 4 * ncoord;
  t->depth = -1;
  t->zdb = sqlite3_mprintf("%s", argv[1]);
  t->zname = sqlite3_mprintf("%s", argv[2]);
  t->znode = sqlite3_mprintf("%s_node", argv[2]);
  char *zdecl = NULL;
  int oom = 0;
  for (int i = 0; i < ncol; i++) {
    const char *a = argv[3 + i];
    if (a[0] == '+') a++;
    int n = token_len(a);
    const char *type = i == 0 ? " INT" : i <= ncoord ? (is_int ? " INT" : " REAL") : "";
    zdecl = append(zdecl, &oom, "%s%.*s%s", i ? "," : "CREATE TABLE x(", n, a, type);
    if (i <= ncoord) t->colname[i] = unquote(a, n);
  }
  zdecl = append(zdecl, &oom, ")");
  int rc = !zdecl || !t->zdb || !t->zname || !t->znode ? SQLITE_NOMEM : SQLITE_OK;
  if (rc == SQLITE_OK) {
    rc = sqlite3_declare_vtab(db, zdecl);
    if (rc != SQLITE_OK) *err = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  }
  sqlite3_free(zdecl);
  if (rc == SQLITE_OK) sqlite3_vtab_config(db, SQLITE_VTAB_CONSTRAINT_SUPPORT, 1);
  if (rc == SQLITE_OK) rc = node_size(t, create, err);
  if (rc == SQLITE_OK && create && (rc = create_shadows(t)) != SQLITE_OK)
    *err = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  if (rc == SQLITE_OK && (rc = count_rows(t)) != SQLITE_OK) *err = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  if (rc != SQLITE_OK) {
    rtree_free(t);
    return rc;
  }
  t->max_cells = (t->node_size - 4) / t->cell_size;
  t->min_cells = t->max_cells / 3;
  *out = &t->base;
  return SQLITE_OK;
}

static int rtree_create(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  (void)aux;
  return rtree_init(db, argc, argv, out, err, 1, 0);
}
static int rtree_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  (void)aux;
  return rtree_init(db, argc, argv, out, err, 0, 0);
}
static int rtree_i32_create(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
                            char **err) {
  (void)aux;
  return rtree_init(db, argc, argv, out, err, 1, 1);
}
static int rtree_i32_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
                             char **err) {
  (void)aux;
  return rtree_init(db, argc, argv, out, err, 0, 1);
}

static int rtree_disconnect(sqlite3_vtab *vt) {
  rtree_free((Rtree *)vt);
  return SQLITE_OK;
}

static int rtree_destroy(sqlite3_vtab *vt) {
  Rtree *t = (Rtree *)vt;
  blob_close(t);
  stmts_finalize(t);
  char *sql = sqlite3_mprintf("DROP TABLE \"%w\".\"%w_node\";DROP TABLE \"%w\".\"%w_rowid\";"
                              "DROP TABLE \"%w\".\"%w_parent\";",
                              t->zdb, t->zname, t->zdb, t->zname, t->zdb, t->zname);
  int rc = sql ? sqlite3_exec(t->db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  if (rc == SQLITE_OK) rtree_free(t);
  return rc;
}

static int rtree_rename(sqlite3_vtab *vt, const char *to) {
  Rtree *t = (Rtree *)vt;
  blob_close(t);
  stmts_finalize(t);
  char *sql = sqlite3_mprintf("ALTER TABLE \"%w\".\"%w_node\" RENAME TO \"%w_node\";"
                              "ALTER TABLE \"%w\".\"%w_parent\" RENAME TO \"%w_parent\";"
                              "ALTER TABLE \"%w\".\"%w_rowid\" RENAME TO \"%w_rowid\";",
                              t->zdb, t->zname, to, t->zdb, t->zname, to, t->zdb, t->zname, to);
  char *name = sqlite3_mprintf("%s", to), *node = sqlite3_mprintf("%s_node", to);
  int rc = sql && name && node ? sqlite3_exec(t->db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  if (rc == SQLITE_OK) {
    sqlite3_free(t->zname);
    sqlite3_free(t->znode);
    t->zname = name;
    t->znode = node;
  } else {
    sqlite3_free(name);
    sqlite3_free(node);
  }
  return rc;
}

static int rtree_shadow_name(const char *z) {
  return sqlite3_stricmp(z, "node") == 0 || sqlite3_stricmp(z, "parent") == 0 || sqlite3_stricmp(z, "rowid") == 0;
}

/* ---- transactions ------------------------------------------------------------------------------------------------ */

/* The blob handle keeps a read of NAME_node open: it lasts no longer than the write transaction the table
** is in (or its cursors), and is closed at each savepoint, where a DROP TABLE may follow. */
static int rtree_begin(sqlite3_vtab *vt) {
  ((Rtree *)vt)->in_write = 1;
  return SQLITE_OK;
}

static int rtree_sync(sqlite3_vtab *vt) {
  Rtree *t = (Rtree *)vt;
  t->in_write = 0;
  blob_close(t);
  return SQLITE_OK;
}

/* The commit moved the data version: the kept nodes, if still good, are good after it (and the statement
** that committed may still count its own row when it ends). */
static int rtree_commit(sqlite3_vtab *vt) {
  Rtree *t = (Rtree *)vt;
  CacheMark now = cache_mark_now(t);
  rtree_sync(vt);
  unsigned int version = now.version;
  now.version = t->mark.version;
  if (!cache_mark_same(&t->mark, &now)) {
    cache_off(t);
    return SQLITE_OK;
  }
  now.outer = t->mark.outer && now.total == t->mark.total;
  now.version = version;
  t->mark = now;
  return SQLITE_OK;
}

static int rtree_rollback(sqlite3_vtab *vt) {
  rtree_sync(vt);
  cache_off((Rtree *)vt);
  return SQLITE_OK;
}

static int rtree_rollback_to(sqlite3_vtab *vt, int level) {
  (void)level;
  cache_off((Rtree *)vt);
  return SQLITE_OK;
}

static int rtree_savepoint(sqlite3_vtab *vt, int level) {
  (void)level;
  blob_close((Rtree *)vt);
  return SQLITE_OK;
}

/* ---- planning and scanning ------------------------------------------------------------------------------------- */

static int rtree_best_index(sqlite3_vtab *vt, sqlite3_index_info *ii) {
  Rtree *t = (Rtree *)vt;
  int match = 0;
  /* With a MATCH, even one not usable here, the id lookup would leave the MATCH to the query, which cannot
  ** test it. */
  for (int i = 0; i < ii->nConstraint; i++)
    if (ii->aConstraint[i].op == SQLITE_INDEX_CONSTRAINT_MATCH) match = 1;
  char str[2 * RTREE_MAX_CONS + 1];
  int n = 0;
  for (int i = 0; i < ii->nConstraint && n < RTREE_MAX_CONS; i++) {
    const struct sqlite3_index_constraint *c = &ii->aConstraint[i];
    if (!match && c->usable && c->op == SQLITE_INDEX_CONSTRAINT_EQ && c->iColumn <= 0) {
      for (int j = 0; j < i; j++) {
        ii->aConstraintUsage[j].argvIndex = 0;
        ii->aConstraintUsage[j].omit = 0;
      }
      ii->aConstraintUsage[i].argvIndex = 1;
      ii->aConstraintUsage[i].omit = 1;
      ii->idxNum = 1;
      ii->estimatedCost = 30.0;
      ii->estimatedRows = 1;
      ii->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
      return SQLITE_OK;
    }
    if (!c->usable || ((c->iColumn < 1 || c->iColumn > t->ncoord) && c->op != SQLITE_INDEX_CONSTRAINT_MATCH))
      continue;
    /* The tree stores rounded coordinates: the query tests =, < and > again on the values it reads. */
    char op = 0, omit = 1;
    switch (c->op) {
      case SQLITE_INDEX_CONSTRAINT_EQ: op = OP_EQ, omit = 0; break;
      case SQLITE_INDEX_CONSTRAINT_GT: op = OP_GT, omit = 0; break;
      case SQLITE_INDEX_CONSTRAINT_LE: op = OP_LE; break;
      case SQLITE_INDEX_CONSTRAINT_LT: op = OP_LT, omit = 0; break;
      case SQLITE_INDEX_CONSTRAINT_GE: op = OP_GE; break;
      case SQLITE_INDEX_CONSTRAINT_MATCH: op = OP_MATCH; break;
    }
    if (!op) continue;
    str[2 * n] = op;
    str[2 * n + 1] = (char)('0' + c->iColumn - 1);
    n++;
    ii->aConstraintUsage[i].argvIndex = n;
    ii->aConstraintUsage[i].omit = omit;
  }
  str[2 * n] = 0;
  ii->idxNum = 2;
  ii->needToFreeIdxStr = 1;
  if (n && !(ii->idxStr = sqlite3_mprintf("%s", str))) return SQLITE_NOMEM;
  sqlite3_int64 rows = t->nrow_est >> n;
  ii->estimatedCost = 6.0 * (double)rows;
  ii->estimatedRows = rows;
  return SQLITE_OK;
}

static int rtree_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out) {
  RtreeCursor *c = sqlite3_malloc((int)sizeof *c);
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof *c);
  c->eof = 1;
  ((Rtree *)vt)->ncursors++;
  *out = &c->base;
  return SQLITE_OK;
}

/* Frees the geometry arguments of the cursor's constraints (and what the callback kept in pUser). */
static void cons_clear(RtreeCursor *c) {
  for (int i = 0; i < c->ncons; i++) {
    sqlite3_rtree_geometry *g = c->cons[i].g;
    if (!g) continue;
    if (g->xDelUser) g->xDelUser(g->pUser);
    sqlite3_free(g);
    c->cons[i].g = NULL;
  }
  c->ncons = 0;
  c->geom_rc = SQLITE_OK;
}

/* Lets go of the scan's nodes and the row's auxiliary values. */
static void cursor_clear(RtreeCursor *c) {
  Rtree *t = (Rtree *)c->base.pVtab;
  while (c->depth > 0) node_release(t, c->stack[--c->depth].node);
  if (c->one_row) node_release(t, c->row_node);
  c->one_row = 0;
  c->row_node = NULL;
  if (c->aux_valid) sqlite3_reset(c->aux);
  c->aux_valid = 0;
  c->eof = 1;
}

static int rtree_close(sqlite3_vtab_cursor *vc) {
  RtreeCursor *c = (RtreeCursor *)vc;
  Rtree *t = (Rtree *)vc->pVtab;
  cursor_clear(c);
  cons_clear(c);
  sqlite3_finalize(c->aux);
  sqlite3_free(c);
  if (--t->ncursors == 0 && !t->in_write) blob_close(t);
  return SQLITE_OK;
}

/* GCC and clang: the scan's tests are compiled once per coordinate type. */
#if defined(__GNUC__)
#define RT_INLINE static inline __attribute__((always_inline))
#else
#define RT_INLINE static inline
#endif

RT_INLINE double coord_as(int is_int, const unsigned char *p) {
  Coord c;
  c.u = get32(p);
  return is_int ? (double)c.i : (double)c.f;
}

/* Whether the geometry callback of k accepts the cell at p; its error is kept in c->geom_rc. */
RT_INLINE int geom_accepts(RtreeCursor *c, const Constraint *k, const unsigned char *p, int is_int) {
  const int n = ((const Rtree *)c->base.pVtab)->ncoord;
  sqlite3_rtree_dbl coord[RTREE_MAX_COORD];
  int res = 0;
  for (int j = 0; j < n; j++) coord[j] = coord_as(is_int, p + 8 + 4 * j);
  int rc = k->xgeom(k->g, n, coord, &res);
  if (rc != SQLITE_OK) c->geom_rc = rc;
  return rc == SQLITE_OK && res;
}

/* The first cell from i on (of k, from p on) that passes every test, or k.  Each test is written as the
** one SQLite makes, for the same answer on a NaN read from a damaged node. */
RT_INLINE int first_passing(RtreeCursor *c, const Test *tests, const unsigned char *p, int i, int k, int size,
                            int is_int) {
  const Test *end = tests + c->ncons;
  for (; i < k; i++, p += size) {
    const Test *t = tests;
    for (; t < end; t++) {
      double x;
      switch (t->kind) {
        case T_PASS: continue;
        case T_MATCH:
          if (geom_accepts(c, t->cons, p, is_int)) continue;
          break;
        case T_LE:
          if (coord_as(is_int, p + t->at) <= t->v) continue;
          break;
        case T_LT:
          if (coord_as(is_int, p + t->at) < t->v) continue;
          break;
        case T_GE:
          if (coord_as(is_int, p + t->at) >= t->v) continue;
          break;
        case T_GT:
          if (coord_as(is_int, p + t->at) > t->v) continue;
          break;
        case T_EQ:
          if (coord_as(is_int, p + t->at) == t->v) continue;
          break;
        case T_BOX_MIN:
          if (t->v >= coord_as(is_int, p + t->at)) continue;
          break;
        case T_BOX_MAX:
          if (t->v <= coord_as(is_int, p + t->at)) continue;
          break;
        case T_BOX_EQ:
          x = coord_as(is_int, p + t->at);
          if (t->v >= x && t->v <= coord_as(is_int, p + t->at + 4)) continue;
          break;
        default: break;
      }
      break;
    }
    if (t == end) return i;
    if (c->geom_rc != SQLITE_OK) return k;
  }
  return k;
}

/* Moves to the next matching row from the stack's position. */
static int scan_step(RtreeCursor *c) {
  Rtree *t = (Rtree *)c->base.pVtab;
  while (c->depth > 0) {
    Frame *f = &c->stack[c->depth - 1];
    RtNode *n = f->node;
    int k = ncell(n), leaf = f->level == 0;
    if (k > RTREE_MAX_CELLS) return SQLITE_CORRUPT_VTAB;
    const unsigned char *p = cell_at(t, n, f->next);
    int i = t->is_int ? first_passing(c, c->tests[leaf], p, f->next, k, t->cell_size, 1)
                      : first_passing(c, c->tests[leaf], p, f->next, k, t->cell_size, 0);
    if (c->geom_rc != SQLITE_OK) return c->geom_rc;
    f->next = i + 1;
    if (i >= k) {
      c->depth--;
      node_release(t, n);
      continue;
    }
    if (leaf) {
      c->row_node = n;
      c->row_cell = i;
      return SQLITE_OK;
    }
    sqlite3_int64 id = cell_id(t, n, i);
    if (c->depth > RTREE_MAX_DEPTH) return SQLITE_CORRUPT_VTAB;
    for (int j = 0; j < c->depth; j++) /* a node that contains itself: a corrupt tree */
      if (c->stack[j].node->no == id) return SQLITE_CORRUPT_VTAB;
    RtNode *child = NULL;
    int rc = node_get(t, id, NULL, &child);
    if (rc != SQLITE_OK) return rc;
    child->parent_no = n->no;
    c->stack[c->depth++] = (Frame){child, f->level - 1, 0};
  }
  c->eof = 1;
  c->row_node = NULL;
  return SQLITE_OK;
}

/* Sets up a MATCH constraint from its right side, which must be the value of a geometry function
** registered on this connection. */
static int geom_constraint(Rtree *t, Constraint *k, sqlite3_value *v) {
  const unsigned char *b = sqlite3_value_type(v) == SQLITE_BLOB ? sqlite3_value_blob(v) : NULL;
  int nb = sqlite3_value_bytes(v), nparam = -1;
  uintptr_t addr = 0;
  const GeomReg *reg = NULL;
  if (b && nb >= GEOM_HEADER && memcmp(b, GEOM_MAGIC, 8) == 0) {
    uint64_t a64;
    memcpy(&a64, b + 8, 8);
    memcpy(&nparam, b + 16, 4);
    addr = (uintptr_t)a64;
    if (nparam < 0 || (size_t)nb != GEOM_HEADER + (size_t)nparam * sizeof(sqlite3_rtree_dbl)) nparam = -1;
  }
  const GeomList *list = nparam >= 0 ? sqlite3_get_clientdata(t->db, GEOM_CLIENTDATA) : NULL;
  for (reg = list ? list->head : NULL; reg && (uintptr_t)reg != addr; reg = reg->next) {}
  if (!reg) {
    sqlite3_free(t->base.zErrMsg);
    t->base.zErrMsg = sqlite3_mprintf("SQL logic error");
    return SQLITE_ERROR;
  }
  sqlite3_rtree_geometry *g = sqlite3_malloc64(sizeof *g + (size_t)nparam * sizeof(sqlite3_rtree_dbl));
  if (!g) return SQLITE_NOMEM;
  memset(g, 0, sizeof *g);
  g->pContext = reg->ctx;
  g->nParam = nparam;
  g->aParam = (sqlite3_rtree_dbl *)(g + 1);
  if (nparam) memcpy(g->aParam, b + GEOM_HEADER, (size_t)nparam * sizeof(sqlite3_rtree_dbl));
  k->g = g;
  k->xgeom = reg->xgeom;
  return SQLITE_OK;
}

/* Sets up a coordinate constraint: its value as SQL compares it with a REAL column (NULL matches nothing;
** text that reads as a number is that number; other text and blobs are above every number). */
static void coord_constraint(Constraint *k, sqlite3_value *v) {
  switch (sqlite3_value_numeric_type(v)) {
    case SQLITE_INTEGER: {
      sqlite3_int64 i = sqlite3_value_int64(v);
      k->v = (double)i;
      /* Past 2^48 the double may have rounded: strict tests keep the bound, and the query tests again. */
      if (i >= (sqlite3_int64)1 << 48 || i <= -((sqlite3_int64)1 << 48)) {
        if (k->op == OP_LT) k->op = OP_LE;
        if (k->op == OP_GT) k->op = OP_GE;
      }
      break;
    }
    case SQLITE_FLOAT: k->v = sqlite3_value_double(v); break;
    case SQLITE_NULL: k->op = OP_FALSE; break;
    default: k->op = k->op == OP_LT || k->op == OP_LE ? OP_TRUE : OP_FALSE; break;
  }
}

/* The tests of constraint k on leaves and above them. */
static void set_tests(RtreeCursor *c, int i) {
  const Constraint *k = &c->cons[i];
  Test *inner = &c->tests[0][i], *leaf = &c->tests[1][i];
  inner->v = leaf->v = k->v;
  inner->cons = leaf->cons = k;
  leaf->at = 8 + 4 * k->coord;
  inner->at = 8 + 4 * (k->coord & ~1);
  switch (k->op) {
    case OP_TRUE: inner->kind = leaf->kind = T_PASS; break;
    case OP_FALSE: inner->kind = leaf->kind = T_FAIL; break;
    case OP_MATCH: inner->kind = leaf->kind = T_MATCH; break;
    case OP_EQ: leaf->kind = T_EQ, inner->kind = T_BOX_EQ; break;
    case OP_LE: leaf->kind = T_LE, inner->kind = T_BOX_MIN; break;
    case OP_LT: leaf->kind = T_LT, inner->kind = T_BOX_MIN; break;
    case OP_GE: leaf->kind = T_GE, inner->kind = T_BOX_MAX, inner->at += 4; break;
    default: leaf->kind = T_GT, inner->kind = T_BOX_MAX, inner->at += 4; break;
  }
}

/* Whether double d is exactly the integer i. */
static int int_equals_double(sqlite3_int64 i, double d) {
  if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return 0;
  sqlite3_int64 j = (sqlite3_int64)d;
  return j == i && (double)j == d;
}

static int rtree_filter(sqlite3_vtab_cursor *vc, int idx_num, const char *idx_str, int argc, sqlite3_value **argv) {
  RtreeCursor *c = (RtreeCursor *)vc;
  Rtree *t = (Rtree *)vc->pVtab;
  int rc = SQLITE_OK;
  cursor_clear(c);
  cons_clear(c);
  cache_check(t, 0);
  if (idx_num == 1) {
    if (argc < 1) return SQLITE_OK;
    sqlite3_int64 id = sqlite3_value_int64(argv[0]);
    int type = sqlite3_value_numeric_type(argv[0]);
    RtNode *leaf = NULL;
    if (type == SQLITE_INTEGER || (type == SQLITE_FLOAT && int_equals_double(id, sqlite3_value_double(argv[0]))))
      rc = find_leaf(t, id, &leaf);
    if (rc != SQLITE_OK || !leaf) return rc;
    c->one_row = 1;
    c->row_node = leaf;
    c->eof = 0;
    return cell_find(t, leaf, id, &c->row_cell);
  }
  RtNode *root = NULL;
  rc = node_get(t, 1, NULL, &root);
  for (int i = 0; rc == SQLITE_OK && idx_str && idx_str[2 * i] && i < argc && i < RTREE_MAX_CONS; i++) {
    Constraint *k = &c->cons[c->ncons++];
    memset(k, 0, sizeof *k);
    k->op = idx_str[2 * i];
    k->coord = idx_str[2 * i + 1] - '0';
    if (k->op == OP_MATCH) rc = geom_constraint(t, k, argv[i]);
    else if (k->coord < 0 || k->coord >= t->ncoord || k->op < OP_EQ || k->op > OP_GT) rc = SQLITE_ERROR;
    else coord_constraint(k, argv[i]);
    if (rc == SQLITE_OK) set_tests(c, i);
  }
  if (rc != SQLITE_OK) {
    node_release(t, root);
    return rc;
  }
  c->stack[0] = (Frame){root, t->depth, 0};
  c->depth = 1;
  c->eof = 0;
  return scan_step(c);
}

static int rtree_next(sqlite3_vtab_cursor *vc) {
  RtreeCursor *c = (RtreeCursor *)vc;
  if (c->aux_valid) {
    sqlite3_reset(c->aux);
    c->aux_valid = 0;
  }
  if (c->one_row) {
    cursor_clear(c);
    return SQLITE_OK;
  }
  return scan_step(c);
}

static int rtree_eof(sqlite3_vtab_cursor *vc) { return ((RtreeCursor *)vc)->eof; }

static int rtree_column(sqlite3_vtab_cursor *vc, sqlite3_context *ctx, int col) {
  RtreeCursor *c = (RtreeCursor *)vc;
  Rtree *t = (Rtree *)vc->pVtab;
  if (!c->row_node) return SQLITE_OK;
  const unsigned char *p = cell_at(t, c->row_node, c->row_cell);
  if (col == 0) {
    sqlite3_result_int64(ctx, (sqlite3_int64)get64(p));
  } else if (col <= t->ncoord) {
    Coord v;
    v.u = get32(p + 4 + 4 * col);
    if (t->is_int) sqlite3_result_int(ctx, v.i);
    else sqlite3_result_double(ctx, v.f);
  } else {
    int rc;
    if (!c->aux_valid) {
      if (!c->aux) {
        char *sql = sqlite3_mprintf("SELECT * FROM \"%w\".\"%w_rowid\" WHERE rowid=?1", t->zdb, t->zname);
        rc = sql ? sqlite3_prepare_v3(t->db, sql, -1, 0, &c->aux, NULL) : SQLITE_NOMEM;
        sqlite3_free(sql);
        if (rc != SQLITE_OK) return rc;
      }
      sqlite3_bind_int64(c->aux, 1, (sqlite3_int64)get64(p));
      rc = sqlite3_step(c->aux);
      if (rc != SQLITE_ROW) {
        sqlite3_reset(c->aux);
        return rc == SQLITE_DONE ? SQLITE_OK : rc;
      }
      c->aux_valid = 1;
    }
    sqlite3_result_value(ctx, sqlite3_column_value(c->aux, col - t->ncoord + 1));
  }
  return SQLITE_OK;
}

static int rtree_rowid(sqlite3_vtab_cursor *vc, sqlite3_int64 *out) {
  RtreeCursor *c = (RtreeCursor *)vc;
  *out = c->row_node ? (sqlite3_int64)get64(cell_at((Rtree *)vc->pVtab, c->row_node, c->row_cell)) : 0;
  return SQLITE_OK;
}

/* ---- changes --------------------------------------------------------------------------------------------------- */

/* Float coordinates round outwards, so that the stored box covers the given
** one: a conversion that went the wrong way is redone from the value nudged
** by one part in 2^23 (the float's precision), as SQLite does it. */
#define ROUND_TOWARDS (1.0 - 1.0 / 8388608.0)
#define ROUND_AWAY (1.0 + 1.0 / 8388608.0)
static float round_down(double v) {
  float f = (float)v;
  if ((double)f > v) f = (float)(v * (v < 0 ? ROUND_AWAY : ROUND_TOWARDS));
  return f;
}
static float round_up(double v) {
  float f = (float)v;
  if ((double)f < v) f = (float)(v * (v < 0 ? ROUND_TOWARDS : ROUND_AWAY));
  return f;
}

static int constraint_failed(Rtree *t, int k) {
  sqlite3_free(t->base.zErrMsg);
  t->base.zErrMsg = sqlite3_mprintf("rtree constraint failed: %s.(%s<=%s)", t->zname, t->colname[k + 1],
                                    t->colname[k + 2]);
  return SQLITE_CONSTRAINT;
}

/* A new row's id: NAME_rowid makes one (its row is written again when the cell is placed). */
static int new_rowid(Rtree *t, sqlite3_int64 *out) {
  int rc;
  sqlite3_stmt *s = stmt_get(t, ST_ROWID_WRITE, &rc);
  if (!s) return rc;
  sqlite3_bind_null(s, 1);
  sqlite3_bind_null(s, 2);
  sqlite3_step(s);
  rc = sqlite3_reset(s);
  *out = sqlite3_last_insert_rowid(t->db);
  return rc == SQLITE_OK ? rc : db_error(t, rc);
}

static int aux_write(Rtree *t, sqlite3_int64 id, sqlite3_value **aux) {
  int rc;
  sqlite3_stmt *s = stmt_get(t, ST_AUX_WRITE, &rc);
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, id);
  for (int i = 0; i < t->naux; i++) sqlite3_bind_value(s, i + 2, aux[i]);
  sqlite3_step(s);
  rc = sqlite3_reset(s);
  return rc == SQLITE_OK ? rc : db_error(t, rc);
}

static int update_row(Rtree *t, int argc, sqlite3_value **argv, sqlite3_int64 *rowid) {
  int rc = SQLITE_OK, have_id = 0;
  Cell cell;
  memset(&cell, 0, sizeof cell);
  if (argc > 1) {
    /* A table declared with fewer columns than it names (a CHECK among them) takes what it is given. */
    int n = argc - 4 < t->ncoord ? argc - 4 : t->ncoord;
    for (int k = 0; k < n; k += 2) {
      if (t->is_int) {
        cell.c[k].i = sqlite3_value_int(argv[3 + k]);
        cell.c[k + 1].i = sqlite3_value_int(argv[4 + k]);
        if (cell.c[k].i > cell.c[k + 1].i) return constraint_failed(t, k);
      } else {
        cell.c[k].f = round_down(sqlite3_value_double(argv[3 + k]));
        cell.c[k + 1].f = round_up(sqlite3_value_double(argv[4 + k]));
        if (cell.c[k].f > cell.c[k + 1].f) return constraint_failed(t, k);
      }
    }
    if (sqlite3_value_type(argv[2]) != SQLITE_NULL) {
      cell.id = sqlite3_value_int64(argv[2]);
      if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_int64(argv[0]) != cell.id) {
        sqlite3_int64 leaf;
        int found;
        rc = query1(t, ST_ROWID_READ, cell.id, &leaf, &found);
        if (rc == SQLITE_OK && found) {
          if (sqlite3_vtab_on_conflict(t->db) != SQLITE_REPLACE) {
            sqlite3_free(t->base.zErrMsg);
            t->base.zErrMsg = sqlite3_mprintf("UNIQUE constraint failed: %s.%s", t->zname, t->colname[0]);
            return SQLITE_CONSTRAINT;
          }
          rc = delete_row(t, cell.id);
        }
      }
      have_id = 1;
    }
  }
  if (rc == SQLITE_OK && sqlite3_value_type(argv[0]) != SQLITE_NULL) rc = delete_row(t, sqlite3_value_int64(argv[0]));
  if (rc == SQLITE_OK && argc > 1) {
    RtNode *leaf = NULL;
    if (!have_id) rc = new_rowid(t, &cell.id);
    *rowid = cell.id;
    if (rc == SQLITE_OK) rc = choose_node(t, &cell, 0, &leaf);
    if (rc == SQLITE_OK) {
      rc = insert_cell(t, leaf, &cell, 0);
      int rc2 = node_release(t, leaf);
      if (rc == SQLITE_OK) rc = rc2;
    }
    if (rc == SQLITE_OK && t->naux) rc = aux_write(t, cell.id, argv + 3 + t->ncoord);
  }
  return rc;
}

/* Whether statements other than the one running this change are running: one that called a function that
** ran it, whose failure would undo the change without a word to the module. */
static int nested_change(Rtree *t) {
  int running = 0;
  for (sqlite3_stmt *s = sqlite3_next_stmt(t->db, NULL); s; s = sqlite3_next_stmt(t->db, s))
    if (sqlite3_stmt_busy(s) && ++running > 1) return 1;
  return 0;
}

static int rtree_update(sqlite3_vtab *vt, int argc, sqlite3_value **argv, sqlite3_int64 *rowid) {
  Rtree *t = (Rtree *)vt;
  /* A scan holding nodes would lose its place. */
  if (t->nheld) return SQLITE_LOCKED_VTAB;
  cache_check(t, 1);
  int rc = update_row(t, argc, argv, rowid);
  CacheMark now = cache_mark_now(t);
  if (rc == SQLITE_OK) {
    /* What the kept nodes hold is what this change left; the statement's own count comes when it ends
    ** (unless a statement it runs under may still fail: then only an unchanged count keeps them). */
    t->mark = now;
    t->mark.outer = !nested_change(t);
  } else if (rc != SQLITE_CONSTRAINT || !cache_mark_same(&t->mark, &now)) {
    cache_off(t); /* a change that failed half way: its statement's rollback is not always heard of */
  }
  return rc;
}

/* ---- rtreecheck() ---------------------------------------------------------------------------------------------- */

typedef struct Check {
  sqlite3 *db;
  const char *zdb, *ztab;
  int is_int, ndim;
  sqlite3_stmt *get_node, *map[2]; /* map[0]: NAME_parent, map[1]: NAME_rowid */
  sqlite3_int64 nleaf, ninner;     /* cells found on leaves and above them */
  sqlite3_int64 budget;            /* nodes the walk may still visit */
  int rc;
  char *report; /* the messages so far, NULL: none */
  int nerr;
} Check;

#define CHECK_MAX_ERRORS 100

static void check_err(Check *k, const char *fmt, ...) {
  if (k->rc != SQLITE_OK || k->nerr >= CHECK_MAX_ERRORS) return;
  va_list ap;
  va_start(ap, fmt);
  char *m = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  int oom = !m;
  if (m) k->report = append(k->report, &oom, "%s%s", k->report ? "\n" : "", m);
  sqlite3_free(m);
  if (oom) k->rc = SQLITE_NOMEM;
  k->nerr++;
}

static sqlite3_stmt *check_prepare(Check *k, char *sql) {
  sqlite3_stmt *s = NULL;
  if (k->rc == SQLITE_OK) k->rc = sql ? sqlite3_prepare_v2(k->db, sql, -1, &s, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  return s;
}

/* A copy of node no's blob (sqlite3_malloc'd), or NULL: missing, or an error in k->rc. */
static unsigned char *check_get_node(Check *k, sqlite3_int64 no, int *size) {
  unsigned char *r = NULL;
  if (!k->get_node)
    k->get_node = check_prepare(k, sqlite3_mprintf("SELECT data FROM %Q.'%q_node' WHERE nodeno=?", k->zdb, k->ztab));
  if (k->rc != SQLITE_OK) return NULL;
  sqlite3_bind_int64(k->get_node, 1, no);
  if (sqlite3_step(k->get_node) == SQLITE_ROW) {
    *size = sqlite3_column_bytes(k->get_node, 0);
    const void *b = sqlite3_column_blob(k->get_node, 0);
    if (!(r = sqlite3_malloc64((size_t)*size + 1))) k->rc = SQLITE_NOMEM;
    else if (*size) memcpy(r, b, (size_t)*size);
  }
  int rc = sqlite3_reset(k->get_node);
  if (k->rc == SQLITE_OK) k->rc = rc;
  if (k->rc == SQLITE_OK && !r) check_err(k, "Node %lld missing from database", no);
  return r;
}

/* That NAME_parent (leaf 0) or NAME_rowid (leaf 1) maps key to val. */
static void check_mapping(Check *k, int leaf, sqlite3_int64 key, sqlite3_int64 val) {
  static const char *const sql[2] = {"SELECT parentnode FROM %Q.'%q_parent' WHERE nodeno=?1",
                                     "SELECT nodeno FROM %Q.'%q_rowid' WHERE rowid=?1"};
  const char *table = leaf ? "%_rowid" : "%_parent";
  if (!k->map[leaf]) k->map[leaf] = check_prepare(k, sqlite3_mprintf(sql[leaf], k->zdb, k->ztab));
  if (k->rc != SQLITE_OK) return;
  sqlite3_stmt *s = k->map[leaf];
  sqlite3_bind_int64(s, 1, key);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_DONE) {
    check_err(k, "Mapping (%lld -> %lld) missing from %s table", key, val, table);
  } else if (rc == SQLITE_ROW) {
    sqlite3_int64 got = sqlite3_column_int64(s, 0);
    if (got != val)
      check_err(k, "Found (%lld -> %lld) in %s table, expected (%lld -> %lld)", key, got, table, key, val);
  }
  rc = sqlite3_reset(s);
  if (k->rc == SQLITE_OK) k->rc = rc;
}

/* The coordinates of cell i of node no (at p) are ordered and, below the root, inside the parent's box. */
static void check_coords(Check *k, sqlite3_int64 no, int i, const unsigned char *p, const unsigned char *bound) {
  for (int d = 0; d < k->ndim; d++) {
    Coord c1, c2, b1, b2;
    c1.u = get32(p + 8 * d);
    c2.u = get32(p + 8 * d + 4);
    if (k->is_int ? c1.i > c2.i : c1.f > c2.f)
      check_err(k, "Dimension %d of cell %d on node %lld is corrupt", d, i, no);
    if (!bound) continue;
    b1.u = get32(bound + 8 * d);
    b2.u = get32(bound + 8 * d + 4);
    if (k->is_int ? c1.i < b1.i || c2.i > b2.i : c1.f < b1.f || c2.f > b2.f)
      check_err(k, "Dimension %d of cell %d on node %lld is corrupt relative to parent", d, i, no);
  }
}

/* Checks node no at the given depth (the root's is its own) and the nodes below it. */
static void check_node(Check *k, int depth, const unsigned char *bound, sqlite3_int64 no) {
  /* A damaged tree may name a node twice: the walk visits no more nodes than there are. */
  if (k->budget-- <= 0) {
    if (k->budget == -1) check_err(k, "Node %lld reached more than once", no);
    return;
  }
  int size = 0;
  unsigned char *b = check_get_node(k, no, &size);
  if (!b) return;
  if (size < 4) {
    check_err(k, "Node %lld is too small (%d bytes)", no, size);
  } else {
    if (!bound) depth = (int)get16(b);
    int n = (int)get16(b + 2), cell_size = 8 + 8 * k->ndim;
    if (!bound && depth > RTREE_MAX_DEPTH) {
      check_err(k, "Rtree depth out of range (%d)", depth);
    } else if (4 + (sqlite3_int64)n * cell_size > size) {
      check_err(k, "Node %lld is too small for cell count of %d (%d bytes)", no, n, size);
    } else {
      for (int i = 0; i < n; i++) {
        const unsigned char *p = b + 4 + i * cell_size;
        sqlite3_int64 id = (sqlite3_int64)get64(p);
        check_coords(k, no, i, p + 8, bound);
        if (depth > 0) {
          check_mapping(k, 0, id, no);
          check_node(k, depth - 1, p + 8, id);
          k->ninner++;
        } else {
          check_mapping(k, 1, id, no);
          k->nleaf++;
        }
      }
    }
  }
  sqlite3_free(b);
}

/* NAME_rowid or NAME_parent (suffix) has as many rows as the tree has cells of that kind. */
static void check_count(Check *k, const char *suffix, sqlite3_int64 expect) {
  sqlite3_stmt *s = check_prepare(k, sqlite3_mprintf("SELECT count(*) FROM %Q.'%q%s'", k->zdb, k->ztab, suffix));
  if (!s) return;
  if (sqlite3_step(s) == SQLITE_ROW) {
    sqlite3_int64 got = sqlite3_column_int64(s, 0);
    if (got != expect)
      check_err(k, "Wrong number of entries in %%%s table - expected %lld, actual %lld", suffix, expect, got);
  }
  k->rc = sqlite3_finalize(s);
}

/* The number of nodes, the most a walk of a sound tree visits (no bound when they cannot be counted). */
static sqlite3_int64 check_node_count(Check *k) {
  sqlite3_int64 n = INT64_MAX;
  sqlite3_stmt *s = NULL;
  char *sql = sqlite3_mprintf("SELECT count(*) FROM %Q.'%q_node'", k->zdb, k->ztab);
  if (sql && sqlite3_prepare_v2(k->db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
    n = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_free(sql);
  return n;
}

/* rtreecheck([schema,] table): "ok", or the problems found in the table's tree and maps. */
static void rtreecheck_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  if (argc != 1 && argc != 2) {
    sqlite3_result_error(ctx, "wrong number of arguments to function rtreecheck()", -1);
    return;
  }
  Check k;
  memset(&k, 0, sizeof k);
  k.db = sqlite3_context_db_handle(ctx);
  k.zdb = argc == 2 ? (const char *)sqlite3_value_text(argv[0]) : "main";
  k.ztab = (const char *)sqlite3_value_text(argv[argc - 1]);
  int naux = 0;
  sqlite3_stmt *s = check_prepare(&k, sqlite3_mprintf("SELECT * FROM %Q.'%q_rowid'", k.zdb, k.ztab));
  if (s) naux = sqlite3_column_count(s) - 2;
  else if (k.rc != SQLITE_NOMEM) k.rc = SQLITE_OK;
  sqlite3_finalize(s);
  s = check_prepare(&k, sqlite3_mprintf("SELECT * FROM %Q.%Q", k.zdb, k.ztab));
  if (s) {
    k.ndim = (sqlite3_column_count(s) - 1 - naux) / 2;
    if (k.ndim < 1) check_err(&k, "Schema corrupt or not an rtree");
    else if (sqlite3_step(s) == SQLITE_ROW) k.is_int = sqlite3_column_type(s, 1) == SQLITE_INTEGER;
    int rc = sqlite3_finalize(s);
    if (rc != SQLITE_CORRUPT) k.rc = rc;
  }
  if (k.ndim >= 1) {
    if (k.rc == SQLITE_OK) {
      k.budget = check_node_count(&k);
      check_node(&k, 0, NULL, 1);
    }
    check_count(&k, "_rowid", k.nleaf);
    check_count(&k, "_parent", k.ninner);
  }
  sqlite3_finalize(k.get_node);
  sqlite3_finalize(k.map[0]);
  sqlite3_finalize(k.map[1]);
  if (k.rc != SQLITE_OK) sqlite3_result_error_code(ctx, k.rc);
  else sqlite3_result_text(ctx, k.report ? k.report : "ok", -1, SQLITE_TRANSIENT);
  sqlite3_free(k.report);
}

/* ---- the modules ----------------------------------------------------------------------------------------------- */

#define RTREE_MODULE(create, connect)                                                                              \
  {                                                                                                                \
    .iVersion = 3, .xCreate = create, .xConnect = connect, .xBestIndex = rtree_best_index,                         \
    .xDisconnect = rtree_disconnect, .xDestroy = rtree_destroy, .xOpen = rtree_open, .xClose = rtree_close,        \
    .xFilter = rtree_filter, .xNext = rtree_next, .xEof = rtree_eof, .xColumn = rtree_column,                      \
    .xRowid = rtree_rowid, .xUpdate = rtree_update, .xBegin = rtree_begin, .xSync = rtree_sync,                    \
    .xCommit = rtree_commit, .xRollback = rtree_rollback, .xRename = rtree_rename, .xSavepoint = rtree_savepoint,  \
    .xRollbackTo = rtree_rollback_to,                                                                              \
    .xShadowName = rtree_shadow_name                                                                               \
  }

static const sqlite3_module rtree_module = RTREE_MODULE(rtree_create, rtree_connect);
static const sqlite3_module rtree_i32_module = RTREE_MODULE(rtree_i32_create, rtree_i32_connect);

const sqlite3_module *rtree_builtin_module(const char *name) {
  if (sqlite3_stricmp(name, "rtree") == 0) return &rtree_module;
  if (sqlite3_stricmp(name, "rtree_i32") == 0) return &rtree_i32_module;
  return NULL;
}

/* ---- geometry callbacks ------------------------------------------------------------------------------------------ */

/* The SQL function of a registered geometry: its value (GEOM_MAGIC's blob) names the registration and carries
** the arguments, as numbers. */
static void geom_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  size_t n = GEOM_HEADER + (size_t)argc * sizeof(sqlite3_rtree_dbl);
  unsigned char *b = sqlite3_malloc64(n);
  if (!b) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  uint64_t a64 = (uint64_t)(uintptr_t)sqlite3_user_data(ctx);
  memcpy(b, GEOM_MAGIC, 8);
  memcpy(b + 8, &a64, 8);
  memcpy(b + 16, &argc, 4);
  for (int i = 0; i < argc; i++) {
    sqlite3_rtree_dbl d = sqlite3_value_double(argv[i]);
    memcpy(b + GEOM_HEADER + (size_t)i * sizeof d, &d, sizeof d);
  }
  sqlite3_result_blob64(ctx, b, n, sqlite3_free);
}

static void geom_list_free(void *p) {
  GeomList *list = p;
  for (GeomReg *reg = list->head, *next; reg; reg = next) {
    next = reg->next;
    sqlite3_free(reg);
  }
  sqlite3_free(list);
}

int sqlite3_rtree_geometry_callback(sqlite3 *db, const char *name, GeomCallback xgeom, void *ctx) {
  GeomList *list = sqlite3_get_clientdata(db, GEOM_CLIENTDATA);
  if (!list) {
    if (!(list = sqlite3_malloc((int)sizeof *list))) return SQLITE_NOMEM;
    list->head = NULL;
    int rc = sqlite3_set_clientdata(db, GEOM_CLIENTDATA, list, geom_list_free); /* frees list if it fails */
    if (rc != SQLITE_OK) return rc;
  }
  GeomReg *reg = sqlite3_malloc((int)sizeof *reg);
  if (!reg) return SQLITE_NOMEM;
  reg->xgeom = xgeom;
  reg->ctx = ctx;
  reg->next = list->head;
  list->head = reg;
  return sqlite3_create_function(db, name, -1, SQLITE_UTF8, reg, geom_func, NULL, NULL);
}

int rtree_each_function(int (*add)(void *ctx, const char *name, int nargs,
                                   void (*xFunc)(sqlite3_context *, int, sqlite3_value **)),
                        void *ctx) {
  return add(ctx, "rtreecheck", -1, rtreecheck_func);
}
