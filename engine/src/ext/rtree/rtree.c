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
** every non-root node has at least one cell.  Float coordinates are
** rounded outwards when stored (min down, max up), so a stored box always
** covers the box given.
**
** Scans: xBestIndex chooses idxNum 1 (an equality on the id: one lookup)
** or idxNum 2 with an idxStr of two characters per coordinate constraint,
** the operator ('A' =, 'B' <=, 'C' <, 'D' >=, 'E' >) and the coordinate
** ('0' the first column after the id) — the plan SQLite reports.  The scan
** walks the tree depth-first, skipping subtrees whose box cannot hold a
** match; the constraints it takes are omitted from the query's own tests,
** so it applies SQL's comparison rules itself (NULL matches nothing, a
** number-like text is its number, other text and blobs sort above numbers).
** A MATCH on any column ('F') takes the value of a function registered with
** sqlite3_rtree_geometry_callback: the scan asks the application's callback
** about every cell it reaches, internal or leaf, and skips the cells (and so
** the subtrees) it refuses.
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
#define RTREE_MAX_CELLS 51 /* cells per node at most, whatever the page size */
#define RTREE_MAX_DEPTH 40
#define RTREE_ROWS_GUESS 1048576.0

/* The statements a table keeps prepared (Rtree.stmt). */
enum {
  ST_NODE_READ,
  ST_NODE_WRITE,
  ST_NODE_NEW,
  ST_NODE_DELETE,
  ST_ROWID_READ,
  ST_ROWID_SET_NODE,
  ST_ROWID_DELETE,
  ST_PARENT_READ,
  ST_PARENT_WRITE,
  ST_PARENT_DELETE,
  ST_AUX_READ,
  ST_COUNT
};

typedef struct Cell {
  sqlite3_int64 id;
  double c[RTREE_MAX_COORD]; /* min, max of each dimension */
} Cell;

/* A node read into memory; one spare cell lets a full node take a cell before it splits. */
typedef struct Node {
  sqlite3_int64 no;
  int n;
  Cell cells[RTREE_MAX_CELLS + 1];
} Node;

typedef struct Rtree {
  sqlite3_vtab base;
  sqlite3 *db;
  char *zdb, *zname;
  int is_int;
  int ndim, naux;
  int node_size, cell_size, max_cells;
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

typedef struct Constraint {
  int op;     /* 'A'..'F' */
  int coord;  /* 0 .. 2*ndim-1 */
  double v;
  GeomCallback xgeom;         /* 'F' only: the callback, asked about each cell */
  sqlite3_rtree_geometry *g;  /* 'F' only: its argument, owned by the cursor */
} Constraint;

typedef struct Frame {
  Node *node;
  int level; /* 0: a leaf */
  int next;  /* the next cell to look at */
} Frame;

typedef struct RtreeCursor {
  sqlite3_vtab_cursor base;
  int eof;
  int ncons;
  Constraint cons[RTREE_MAX_COORD * 4];
  int depth;           /* frames in use */
  Frame stack[RTREE_MAX_DEPTH + 1];
  Cell cur;            /* the current row's cell */
  int one_row;         /* idxNum 1: cur is the only row */
  int geom_rc;         /* the error a geometry callback returned, which ends the scan */
} RtreeCursor;

/* ---- byte layout -------------------------------------------------------------------------------------------- */

static unsigned get16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static uint32_t get32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static void put16(unsigned char *p, unsigned v) {
  p[0] = (unsigned char)(v >> 8);
  p[1] = (unsigned char)v;
}
static void put32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (24 - 8 * i));
}

static double coord_get(const Rtree *t, const unsigned char *p) {
  uint32_t u = get32(p);
  if (t->is_int) return (double)(int32_t)u;
  float f;
  memcpy(&f, &u, 4);
  return f;
}

static void coord_put(const Rtree *t, unsigned char *p, double v) {
  uint32_t u;
  if (t->is_int) {
    u = (uint32_t)(int32_t)v;
  } else {
    float f = (float)v;
    memcpy(&u, &f, 4);
  }
  put32(p, u);
}

static int node_decode(const Rtree *t, sqlite3_int64 no, const unsigned char *b, int nb, Node *out, int *depth) {
  if (nb < 4) return SQLITE_CORRUPT_VTAB;
  int n = (int)get16(b + 2);
  if (n > t->max_cells || 4 + n * t->cell_size > nb) return SQLITE_CORRUPT_VTAB;
  if (depth) *depth = (int)get16(b);
  out->no = no;
  out->n = n;
  for (int i = 0; i < n; i++) {
    const unsigned char *p = b + 4 + i * t->cell_size;
    uint64_t id = 0;
    for (int k = 0; k < 8; k++) id = id << 8 | p[k];
    out->cells[i].id = (sqlite3_int64)id;
    for (int k = 0; k < 2 * t->ndim; k++) out->cells[i].c[k] = coord_get(t, p + 8 + 4 * k);
  }
  return SQLITE_OK;
}

static void node_encode(const Rtree *t, const Node *nd, int depth, unsigned char *b) {
  memset(b, 0, (size_t)t->node_size);
  put16(b, nd->no == 1 ? (unsigned)depth : 0);
  put16(b + 2, (unsigned)nd->n);
  for (int i = 0; i < nd->n; i++) {
    unsigned char *p = b + 4 + i * t->cell_size;
    uint64_t id = (uint64_t)nd->cells[i].id;
    for (int k = 0; k < 8; k++) p[k] = (unsigned char)(id >> (56 - 8 * k));
    for (int k = 0; k < 2 * t->ndim; k++) coord_put(t, p + 8 + 4 * k, nd->cells[i].c[k]);
  }
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

/* ---- shadow-table access -------------------------------------------------------------------------------------- */

static int set_error(Rtree *t, const char *msg) {
  sqlite3_free(t->base.zErrMsg);
  t->base.zErrMsg = sqlite3_mprintf("%s", msg);
  return SQLITE_ERROR;
}

static int db_error(Rtree *t, int rc) {
  sqlite3_free(t->base.zErrMsg);
  t->base.zErrMsg = sqlite3_mprintf("%s", sqlite3_errmsg(t->db));
  return rc;
}

static sqlite3_stmt *stmt_get(Rtree *t, int which, int *rc) {
  if (t->stmt[which]) return t->stmt[which];
  char aux[RTREE_MAX_AUX * 6 + 8] = "";
  for (int i = 0, o = 0; i < t->naux; i++) o += snprintf(aux + o, sizeof aux - (size_t)o, "%sa%d", i ? "," : "", i);
  char *sql = NULL;
  const char *d = t->zdb, *n = t->zname;
  switch (which) {
    case ST_NODE_READ: sql = sqlite3_mprintf("SELECT data FROM \"%w\".\"%w_node\" WHERE nodeno=?1", d, n); break;
    case ST_NODE_WRITE: sql = sqlite3_mprintf("INSERT OR REPLACE INTO \"%w\".\"%w_node\" VALUES(?1,?2)", d, n); break;
    case ST_NODE_NEW: sql = sqlite3_mprintf("INSERT INTO \"%w\".\"%w_node\" VALUES(NULL,?1)", d, n); break;
    case ST_NODE_DELETE: sql = sqlite3_mprintf("DELETE FROM \"%w\".\"%w_node\" WHERE nodeno=?1", d, n); break;
    case ST_ROWID_READ: sql = sqlite3_mprintf("SELECT nodeno FROM \"%w\".\"%w_rowid\" WHERE rowid=?1", d, n); break;
    case ST_ROWID_SET_NODE:
      sql = sqlite3_mprintf("UPDATE \"%w\".\"%w_rowid\" SET nodeno=?2 WHERE rowid=?1", d, n);
      break;
    case ST_ROWID_DELETE: sql = sqlite3_mprintf("DELETE FROM \"%w\".\"%w_rowid\" WHERE rowid=?1", d, n); break;
    case ST_PARENT_READ:
      sql = sqlite3_mprintf("SELECT parentnode FROM \"%w\".\"%w_parent\" WHERE nodeno=?1", d, n);
      break;
    case ST_PARENT_WRITE:
      sql = sqlite3_mprintf("INSERT OR REPLACE INTO \"%w\".\"%w_parent\" VALUES(?1,?2)", d, n);
      break;
    case ST_PARENT_DELETE: sql = sqlite3_mprintf("DELETE FROM \"%w\".\"%w_parent\" WHERE nodeno=?1", d, n); break;
    case ST_AUX_READ:
      sql = sqlite3_mprintf("SELECT %s FROM \"%w\".\"%w_rowid\" WHERE rowid=?1", t->naux ? aux : "NULL", d, n);
      break;
  }
  if (!sql) {
    *rc = SQLITE_NOMEM;
    return NULL;
  }
  *rc = sqlite3_prepare_v2(t->db, sql, -1, &t->stmt[which], NULL);
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

/* Runs a statement of two integer parameters that returns nothing. */
static int exec2(Rtree *t, int which, sqlite3_int64 a, sqlite3_int64 b) {
  int rc;
  sqlite3_stmt *s = stmt_get(t, which, &rc);
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, a);
  if (sqlite3_bind_parameter_count(s) > 1) sqlite3_bind_int64(s, 2, b);
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

static int node_read(Rtree *t, sqlite3_int64 no, Node *out, int *depth) {
  int rc;
  sqlite3_stmt *s = stmt_get(t, ST_NODE_READ, &rc);
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, no);
  rc = SQLITE_CORRUPT_VTAB;
  if (sqlite3_step(s) == SQLITE_ROW) {
    const unsigned char *b = sqlite3_column_blob(s, 0);
    int nb = sqlite3_column_bytes(s, 0);
    rc = nb == t->node_size && b ? node_decode(t, no, b, nb, out, depth) : SQLITE_CORRUPT_VTAB;
  }
  int rc2 = sqlite3_reset(s);
  if (rc2 != SQLITE_OK) return db_error(t, rc2);
  return rc;
}

/* Writes nd (a new node when nd->no is 0: it gets its number). */
static int node_write(Rtree *t, Node *nd, int depth) {
  int rc;
  sqlite3_stmt *s = stmt_get(t, nd->no ? ST_NODE_WRITE : ST_NODE_NEW, &rc);
  if (!s) return rc;
  unsigned char *b = sqlite3_malloc(t->node_size);
  if (!b) return SQLITE_NOMEM;
  node_encode(t, nd, depth, b);
  if (nd->no) sqlite3_bind_int64(s, 1, nd->no);
  sqlite3_bind_blob(s, nd->no ? 2 : 1, b, t->node_size, sqlite3_free);
  sqlite3_step(s);
  rc = sqlite3_reset(s);
  if (rc != SQLITE_OK) return db_error(t, rc);
  if (!nd->no) nd->no = sqlite3_last_insert_rowid(t->db);
  return SQLITE_OK;
}

/* ---- boxes --------------------------------------------------------------------------------------------------- */

static void box_of(const Rtree *t, const Node *nd, Cell *out) {
  for (int k = 0; k < 2 * t->ndim; k += 2) {
    out->c[k] = nd->cells[0].c[k];
    out->c[k + 1] = nd->cells[0].c[k + 1];
    for (int i = 1; i < nd->n; i++) {
      if (nd->cells[i].c[k] < out->c[k]) out->c[k] = nd->cells[i].c[k];
      if (nd->cells[i].c[k + 1] > out->c[k + 1]) out->c[k + 1] = nd->cells[i].c[k + 1];
    }
  }
}

static double area(const Rtree *t, const Cell *a) {
  double r = 1;
  for (int k = 0; k < 2 * t->ndim; k += 2) r *= a->c[k + 1] - a->c[k];
  return r;
}

static void box_union(const Rtree *t, Cell *a, const Cell *b) {
  for (int k = 0; k < 2 * t->ndim; k += 2) {
    if (b->c[k] < a->c[k]) a->c[k] = b->c[k];
    if (b->c[k + 1] > a->c[k + 1]) a->c[k + 1] = b->c[k + 1];
  }
}

static double grown_area(const Rtree *t, const Cell *a, const Cell *b) {
  Cell u = *a;
  box_union(t, &u, b);
  return area(t, &u);
}

/* ---- changing the tree ----------------------------------------------------------------------------------------- */

/* Records that cell c now lives in node no at the given level. */
static int map_cell(Rtree *t, const Cell *c, int level, sqlite3_int64 no) {
  return level == 0 ? exec2(t, ST_ROWID_SET_NODE, c->id, no) : exec2(t, ST_PARENT_WRITE, c->id, no);
}

/* Splits the cells of all (n of them) into a and b (quadratic split):
** the two seeds that waste the most area, then each cell to the group its
** box grows least, keeping at least a third of the cells in each. */
static void split_cells(const Rtree *t, const Cell *all, int n, Node *a, Node *b) {
  int s1 = 0, s2 = 1;
  double worst = -HUGE_VAL;
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++) {
      double d = grown_area(t, &all[i], &all[j]) - area(t, &all[i]) - area(t, &all[j]);
      if (d > worst) worst = d, s1 = i, s2 = j;
    }
  int minfill = n / 3;
  Cell ba = all[s1], bb = all[s2];
  a->n = b->n = 0;
  a->cells[a->n++] = all[s1];
  b->cells[b->n++] = all[s2];
  for (int i = 0; i < n; i++) {
    if (i == s1 || i == s2) continue;
    int left = n - i; /* cells still to place, this one included (over-counts the seeds, harmlessly) */
    int to_a;
    if (a->n + left <= minfill) to_a = 1;
    else if (b->n + left <= minfill) to_a = 0;
    else {
      double ga = grown_area(t, &ba, &all[i]) - area(t, &ba), gb = grown_area(t, &bb, &all[i]) - area(t, &bb);
      to_a = ga < gb || (ga == gb && a->n <= b->n);
    }
    if (to_a) {
      a->cells[a->n++] = all[i];
      box_union(t, &ba, &all[i]);
    } else {
      b->cells[b->n++] = all[i];
      box_union(t, &bb, &all[i]);
    }
  }
}

/* Inserts cell c at the given level (0: a row's cell in a leaf). */
static int tree_insert(Rtree *t, const Cell *c, int level) {
  static const Node zero;
  Node *path = sqlite3_malloc((int)sizeof(Node) * (RTREE_MAX_DEPTH + 1));
  int idx[RTREE_MAX_DEPTH + 1];
  int depth, rc;
  if (!path) return SQLITE_NOMEM;
  rc = node_read(t, 1, &path[0], &depth);
  if (rc == SQLITE_OK && (depth > RTREE_MAX_DEPTH || level > depth)) rc = SQLITE_CORRUPT_VTAB;
  /* path[k] is at level depth-k; descend to the level asked. */
  int k = 0;
  for (; rc == SQLITE_OK && depth - k > level; k++) {
    Node *nd = &path[k];
    if (nd->n == 0) {
      rc = SQLITE_CORRUPT_VTAB;
      break;
    }
    int best = 0;
    double best_grow = 0, best_area = 0;
    for (int i = 0; i < nd->n; i++) {
      double a = area(t, &nd->cells[i]), g = grown_area(t, &nd->cells[i], c) - a;
      if (i == 0 || g < best_grow || (g == best_grow && a < best_area)) best = i, best_grow = g, best_area = a;
    }
    idx[k] = best;
    for (int i = 0; i <= k; i++)
      if (path[i].no == nd->cells[best].id) rc = SQLITE_CORRUPT_VTAB;
    if (rc == SQLITE_OK) rc = node_read(t, nd->cells[best].id, &path[k + 1], NULL);
  }
  if (rc == SQLITE_OK) {
    path[k].cells[path[k].n++] = *c;
    rc = map_cell(t, c, level, path[k].no);
  }
  while (rc == SQLITE_OK) {
    Node *nd = &path[k];
    int lvl = depth - k;
    if (nd->n <= t->max_cells) {
      rc = node_write(t, nd, depth);
      if (rc != SQLITE_OK || k == 0) break;
      Cell *pc = &path[k - 1].cells[idx[k - 1]];
      box_of(t, nd, pc);
      k--;
      continue;
    }
    /* Too full: split.  The root keeps number 1 and gets both halves as new children. */
    Cell all[RTREE_MAX_CELLS + 1];
    int n = nd->n;
    memcpy(all, nd->cells, sizeof(Cell) * (size_t)n);
    Node *a = sqlite3_malloc((int)sizeof(Node)), *b = sqlite3_malloc((int)sizeof(Node));
    if (!a || !b) {
      sqlite3_free(a);
      sqlite3_free(b);
      rc = SQLITE_NOMEM;
      break;
    }
    *a = zero;
    *b = zero;
    split_cells(t, all, n, a, b);
    if (k > 0) a->no = nd->no;
    rc = node_write(t, a, 0);
    if (rc == SQLITE_OK) rc = node_write(t, b, 0);
    for (int i = 0; rc == SQLITE_OK && i < b->n; i++) rc = map_cell(t, &b->cells[i], lvl, b->no);
    for (int i = 0; rc == SQLITE_OK && k == 0 && i < a->n; i++) rc = map_cell(t, &a->cells[i], lvl, a->no);
    Cell ca = {a->no, {0}}, cb = {b->no, {0}};
    box_of(t, a, &ca);
    box_of(t, b, &cb);
    if (rc == SQLITE_OK && k == 0) {
      if (depth + 1 > RTREE_MAX_DEPTH) rc = SQLITE_CORRUPT_VTAB;
      depth++;
      nd->n = 2;
      nd->cells[0] = ca;
      nd->cells[1] = cb;
      if (rc == SQLITE_OK) rc = exec2(t, ST_PARENT_WRITE, a->no, 1);
      if (rc == SQLITE_OK) rc = exec2(t, ST_PARENT_WRITE, b->no, 1);
      if (rc == SQLITE_OK) rc = node_write(t, nd, depth);
    } else if (rc == SQLITE_OK) {
      Node *p = &path[k - 1];
      p->cells[idx[k - 1]] = ca;
      p->cells[p->n++] = cb;
      rc = exec2(t, ST_PARENT_WRITE, b->no, p->no);
      k--;
      sqlite3_free(a);
      sqlite3_free(b);
      continue;
    }
    sqlite3_free(a);
    sqlite3_free(b);
    break;
  }
  sqlite3_free(path);
  return rc;
}

/* Collects every leaf cell below node (at level) into *cells, freeing the nodes on the way. */
static int collect_and_free(Rtree *t, const Node *nd, int level, Cell **cells, int *n, int *cap) {
  int rc = SQLITE_OK;
  for (int i = 0; rc == SQLITE_OK && i < nd->n; i++) {
    if (level == 0) {
      if (*n == *cap) {
        int nc = *cap ? *cap * 2 : 64;
        Cell *m = sqlite3_realloc64(*cells, sizeof(Cell) * (sqlite3_uint64)nc);
        if (!m) return SQLITE_NOMEM;
        *cells = m;
        *cap = nc;
      }
      (*cells)[(*n)++] = nd->cells[i];
      continue;
    }
    Node *child = sqlite3_malloc((int)sizeof(Node));
    if (!child) return SQLITE_NOMEM;
    rc = node_read(t, nd->cells[i].id, child, NULL);
    if (rc == SQLITE_OK) rc = collect_and_free(t, child, level - 1, cells, n, cap);
    if (rc == SQLITE_OK) rc = exec2(t, ST_NODE_DELETE, child->no, 0);
    if (rc == SQLITE_OK) rc = exec2(t, ST_PARENT_DELETE, child->no, 0);
    sqlite3_free(child);
  }
  return rc;
}

/* Removes the row id's cell from the tree (nothing when there is no such row). */
static int tree_delete(Rtree *t, sqlite3_int64 id) {
  sqlite3_int64 leaf;
  int found, rc = query1(t, ST_ROWID_READ, id, &leaf, &found);
  if (rc != SQLITE_OK || !found) return rc;
  Node *path = sqlite3_malloc((int)sizeof(Node) * (RTREE_MAX_DEPTH + 1));
  int idx[RTREE_MAX_DEPTH + 1];
  int depth = 0, n = 0;
  if (!path) return SQLITE_NOMEM;
  /* Up from the leaf to the root, then turned around so that path[0] is the root. */
  sqlite3_int64 no = leaf;
  while (rc == SQLITE_OK) {
    if (n > RTREE_MAX_DEPTH) {
      rc = SQLITE_CORRUPT_VTAB;
      break;
    }
    rc = node_read(t, no, &path[n], no == 1 ? &depth : NULL);
    n++;
    if (rc != SQLITE_OK || no == 1) break;
    sqlite3_int64 parent;
    rc = query1(t, ST_PARENT_READ, no, &parent, &found);
    if (rc == SQLITE_OK && !found) rc = SQLITE_CORRUPT_VTAB;
    no = parent;
  }
  if (rc == SQLITE_OK && n != depth + 1) rc = SQLITE_CORRUPT_VTAB;
  for (int i = 0; rc == SQLITE_OK && i < n / 2; i++) {
    Node tmp = path[i];
    path[i] = path[n - 1 - i];
    path[n - 1 - i] = tmp;
  }
  for (int k = 0; rc == SQLITE_OK && k + 1 < n; k++) {
    idx[k] = -1;
    for (int i = 0; i < path[k].n; i++)
      if (path[k].cells[i].id == path[k + 1].no) idx[k] = i;
    if (idx[k] < 0) rc = SQLITE_CORRUPT_VTAB;
  }
  int at = -1;
  for (int i = 0; rc == SQLITE_OK && i < path[n - 1].n; i++)
    if (path[n - 1].cells[i].id == id) at = i;
  if (rc == SQLITE_OK && at < 0) rc = SQLITE_CORRUPT_VTAB;
  if (rc == SQLITE_OK) {
    Node *lf = &path[n - 1];
    memmove(&lf->cells[at], &lf->cells[at + 1], sizeof(Cell) * (size_t)(lf->n - at - 1));
    lf->n--;
    rc = exec2(t, ST_ROWID_DELETE, id, 0);
  }
  /* Upwards: an emptied node leaves its parent; otherwise its parent's box shrinks to it. */
  for (int k = n - 1; rc == SQLITE_OK && k > 0; k--) {
    Node *nd = &path[k], *p = &path[k - 1];
    if (nd->n == 0) {
      rc = exec2(t, ST_NODE_DELETE, nd->no, 0);
      if (rc == SQLITE_OK) rc = exec2(t, ST_PARENT_DELETE, nd->no, 0);
      memmove(&p->cells[idx[k - 1]], &p->cells[idx[k - 1] + 1], sizeof(Cell) * (size_t)(p->n - idx[k - 1] - 1));
      p->n--;
    } else {
      rc = node_write(t, nd, depth);
      box_of(t, nd, &p->cells[idx[k - 1]]);
    }
  }
  Cell *orphans = NULL;
  int norphans = 0, cap = 0;
  if (rc == SQLITE_OK && depth > 0 && path[0].n <= 1) {
    /* A root left with one child or none: the tree shrinks to its rows, put back in a fresh root. */
    rc = collect_and_free(t, &path[0], depth, &orphans, &norphans, &cap);
    path[0].n = 0;
    depth = 0;
  }
  if (rc == SQLITE_OK) rc = node_write(t, &path[0], depth);
  for (int i = 0; rc == SQLITE_OK && i < norphans; i++) rc = tree_insert(t, &orphans[i], 0);
  sqlite3_free(orphans);
  sqlite3_free(path);
  return rc;
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
  stmts_finalize(t);
  for (int i = 0; i <= RTREE_MAX_COORD; i++) sqlite3_free(t->colname[i]);
  sqlite3_free(t->zdb);
  sqlite3_free(t->zname);
  sqlite3_free(t);
}

static int page_size(sqlite3 *db, const char *zdb, int *out) {
  char *sql = sqlite3_mprintf("PRAGMA \"%w\".page_size", zdb);
  sqlite3_stmt *s = NULL;
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
  sqlite3_free(sql);
  if (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) *out = sqlite3_column_int(s, 0);
  if (rc == SQLITE_OK) rc = sqlite3_finalize(s);
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
  t->naux = naux;
  t->cell_size = 8 + 8 * t->ndim;
  t->zdb = sqlite3_mprintf("%s", argv[1]);
  t->zname = sqlite3_mprintf("%s", argv[2]);
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
  int rc = !zdecl || !t->zdb || !t->zname ? SQLITE_NOMEM : SQLITE_OK;
  if (rc == SQLITE_OK) {
    rc = sqlite3_declare_vtab(db, zdecl);
    if (rc != SQLITE_OK) *err = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  }
  sqlite3_free(zdecl);
  if (rc == SQLITE_OK) sqlite3_vtab_config(db, SQLITE_VTAB_CONSTRAINT_SUPPORT, 1);
  if (rc == SQLITE_OK && create) {
    int psize = 4096;
    rc = page_size(db, t->zdb, &psize);
    t->node_size = psize - 64;
    if (4 + t->cell_size * RTREE_MAX_CELLS < t->node_size) t->node_size = 4 + t->cell_size * RTREE_MAX_CELLS;
    if (rc == SQLITE_OK) rc = create_shadows(t);
    if (rc != SQLITE_OK) *err = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  } else if (rc == SQLITE_OK) {
    char *sql = sqlite3_mprintf("SELECT length(data) FROM \"%w\".\"%w_node\" WHERE nodeno=1", t->zdb, t->zname);
    sqlite3_stmt *s = NULL;
    rc = sql ? sqlite3_prepare_v2(db, sql, -1, &s, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) t->node_size = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (rc != SQLITE_OK) {
      *err = sqlite3_mprintf("%s", sqlite3_errmsg(db));
    } else if (t->node_size < 4 + t->cell_size) {
      *err = sqlite3_mprintf("undersize RTree blobs in \"%q_node\"", t->zname);
      rc = SQLITE_CORRUPT_VTAB;
    }
  }
  if (rc != SQLITE_OK) {
    rtree_free(t);
    return rc;
  }
  t->max_cells = (t->node_size - 4) / t->cell_size;
  if (t->max_cells > RTREE_MAX_CELLS) t->max_cells = RTREE_MAX_CELLS;
  if (t->max_cells < 3) t->max_cells = 3;
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
  stmts_finalize(t);
  char *sql = sqlite3_mprintf("ALTER TABLE \"%w\".\"%w_node\" RENAME TO \"%w_node\";"
                              "ALTER TABLE \"%w\".\"%w_parent\" RENAME TO \"%w_parent\";"
                              "ALTER TABLE \"%w\".\"%w_rowid\" RENAME TO \"%w_rowid\";",
                              t->zdb, t->zname, to, t->zdb, t->zname, to, t->zdb, t->zname, to);
  char *name = sqlite3_mprintf("%s", to);
  int rc = sql && name ? sqlite3_exec(t->db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  if (rc == SQLITE_OK) {
    sqlite3_free(t->zname);
    t->zname = name;
  } else {
    sqlite3_free(name);
  }
  return rc;
}

static int rtree_shadow_name(const char *z) {
  return sqlite3_stricmp(z, "node") == 0 || sqlite3_stricmp(z, "parent") == 0 || sqlite3_stricmp(z, "rowid") == 0;
}

/* ---- planning and scanning ------------------------------------------------------------------------------------- */

static int rtree_best_index(sqlite3_vtab *vt, sqlite3_index_info *ii) {
  Rtree *t = (Rtree *)vt;
  for (int i = 0; i < ii->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &ii->aConstraint[i];
    if (c->usable && c->op == SQLITE_INDEX_CONSTRAINT_EQ && c->iColumn <= 0) {
      for (int j = 0; j < i; j++) ii->aConstraintUsage[j].argvIndex = 0;
      ii->aConstraintUsage[i].argvIndex = 1;
      ii->aConstraintUsage[i].omit = 1;
      ii->idxNum = 1;
      ii->estimatedCost = 30.0;
      ii->estimatedRows = 1;
      ii->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
      return SQLITE_OK;
    }
  }
  char str[RTREE_MAX_COORD * 4 * 2 + 1];
  int n = 0;
  for (int i = 0; i < ii->nConstraint && n < RTREE_MAX_COORD * 4; i++) {
    const struct sqlite3_index_constraint *c = &ii->aConstraint[i];
    if (!c->usable) continue;
    if (c->op == SQLITE_INDEX_CONSTRAINT_MATCH) {
      str[2 * n] = 'F';
      str[2 * n + 1] = (char)('0' + c->iColumn - 1); /* unused: the plan SQLite reports */
      n++;
      ii->aConstraintUsage[i].argvIndex = n;
      ii->aConstraintUsage[i].omit = 1;
      continue;
    }
    if (c->iColumn < 1 || c->iColumn > 2 * t->ndim) continue;
    char op = 0;
    switch (c->op) {
      case SQLITE_INDEX_CONSTRAINT_EQ: op = 'A'; break;
      case SQLITE_INDEX_CONSTRAINT_LE: op = 'B'; break;
      case SQLITE_INDEX_CONSTRAINT_LT: op = 'C'; break;
      case SQLITE_INDEX_CONSTRAINT_GE: op = 'D'; break;
      case SQLITE_INDEX_CONSTRAINT_GT: op = 'E'; break;
    }
    if (!op) continue;
    str[2 * n] = op;
    str[2 * n + 1] = (char)('0' + c->iColumn - 1);
    n++;
    ii->aConstraintUsage[i].argvIndex = n;
    ii->aConstraintUsage[i].omit = 1;
  }
  str[2 * n] = 0;
  ii->idxNum = 2;
  ii->idxStr = sqlite3_mprintf("%s", str);
  if (!ii->idxStr) return SQLITE_NOMEM;
  ii->needToFreeIdxStr = 1;
  double rows = RTREE_ROWS_GUESS;
  for (int i = 0; i < n; i++) rows /= 2;
  ii->estimatedCost = 6.0 * rows;
  ii->estimatedRows = (sqlite3_int64)rows;
  return SQLITE_OK;
}

static int rtree_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out) {
  RtreeCursor *c = sqlite3_malloc((int)sizeof *c);
  (void)vt;
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof *c);
  c->eof = 1;
  *out = &c->base;
  return SQLITE_OK;
}

static void stack_clear(RtreeCursor *c) {
  for (int i = 0; i < c->depth; i++) sqlite3_free(c->stack[i].node);
  c->depth = 0;
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

static int rtree_close(sqlite3_vtab_cursor *vc) {
  RtreeCursor *c = (RtreeCursor *)vc;
  stack_clear(c);
  cons_clear(c);
  sqlite3_free(c);
  return SQLITE_OK;
}

/* A constraint's value as SQL compares it with a REAL column: NULL matches nothing (*none),
** text that reads as a number is that number, other text and blobs are above every number. */
static double rhs_value(sqlite3_value *v, int *none) {
  switch (sqlite3_value_numeric_type(v)) {
    case SQLITE_INTEGER:
    case SQLITE_FLOAT: return sqlite3_value_double(v);
    case SQLITE_NULL: *none = 1; return 0;
    default: return HUGE_VAL;
  }
}

static int cmp_ok(int op, double x, double v) {
  switch (op) {
    case 'A': return x == v;
    case 'B': return x <= v;
    case 'C': return x < v;
    case 'D': return x >= v;
    default: return x > v;
  }
}

/* Whether a leaf cell passes every constraint, or (internal) its box can hold a cell that does.
** A geometry callback's error is kept in c->geom_rc, and the cell refused. */
static int cell_ok(RtreeCursor *c, const Cell *cell, int leaf) {
  for (int i = 0; i < c->ncons; i++) {
    const Constraint *k = &c->cons[i];
    if (k->op == 'F') {
      Rtree *t = (Rtree *)c->base.pVtab;
      sqlite3_rtree_dbl coord[RTREE_MAX_COORD];
      int res = 0;
      for (int j = 0; j < 2 * t->ndim; j++) coord[j] = cell->c[j];
      int rc = k->xgeom(k->g, 2 * t->ndim, coord, &res);
      if (rc != SQLITE_OK) {
        c->geom_rc = rc;
        return 0;
      }
      if (!res) return 0;
      continue;
    }
    if (leaf) {
      if (!cmp_ok(k->op, cell->c[k->coord], k->v)) return 0;
      continue;
    }
    int d = k->coord & ~1;
    double lo = cell->c[d], hi = cell->c[d + 1];
    switch (k->op) {
      case 'A': if (k->v < lo || k->v > hi) return 0; break;
      case 'B': if (lo > k->v) return 0; break;
      case 'C': if (lo >= k->v) return 0; break;
      case 'D': if (hi < k->v) return 0; break;
      default: if (hi <= k->v) return 0; break;
    }
  }
  return 1;
}

/* Moves to the next matching row from the stack's position. */
static int scan_step(RtreeCursor *c) {
  Rtree *t = (Rtree *)c->base.pVtab;
  while (c->depth > 0) {
    Frame *f = &c->stack[c->depth - 1];
    if (f->next >= f->node->n) {
      sqlite3_free(f->node);
      c->depth--;
      continue;
    }
    const Cell *cell = &f->node->cells[f->next++];
    if (!cell_ok(c, cell, f->level == 0)) {
      if (c->geom_rc != SQLITE_OK) return c->geom_rc;
      continue;
    }
    if (f->level == 0) {
      c->cur = *cell;
      return SQLITE_OK;
    }
    if (c->depth > RTREE_MAX_DEPTH) return SQLITE_CORRUPT_VTAB;
    for (int i = 0; i < c->depth; i++) /* a node that contains itself: a corrupt tree */
      if (c->stack[i].node->no == cell->id) return SQLITE_CORRUPT_VTAB;
    Node *nd = sqlite3_malloc((int)sizeof(Node));
    if (!nd) return SQLITE_NOMEM;
    int rc = node_read(t, cell->id, nd, NULL);
    if (rc != SQLITE_OK) {
      sqlite3_free(nd);
      return rc;
    }
    c->stack[c->depth++] = (Frame){nd, f->level - 1, 0};
  }
  c->eof = 1;
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

static int rtree_filter(sqlite3_vtab_cursor *vc, int idx_num, const char *idx_str, int argc, sqlite3_value **argv) {
  RtreeCursor *c = (RtreeCursor *)vc;
  Rtree *t = (Rtree *)vc->pVtab;
  int none = 0, rc;
  stack_clear(c);
  c->eof = 1;
  c->one_row = idx_num == 1;
  if (idx_num == 1) {
    if (argc < 1 || sqlite3_value_numeric_type(argv[0]) != SQLITE_INTEGER) return SQLITE_OK;
    sqlite3_int64 id = sqlite3_value_int64(argv[0]), leaf;
    if (sqlite3_value_type(argv[0]) == SQLITE_FLOAT && (double)id != sqlite3_value_double(argv[0])) return SQLITE_OK;
    int found;
    rc = query1(t, ST_ROWID_READ, id, &leaf, &found);
    if (rc != SQLITE_OK || !found) return rc;
    Node *nd = sqlite3_malloc((int)sizeof(Node));
    if (!nd) return SQLITE_NOMEM;
    rc = node_read(t, leaf, nd, NULL);
    for (int i = 0; rc == SQLITE_OK && i < nd->n; i++)
      if (nd->cells[i].id == id) {
        c->cur = nd->cells[i];
        c->eof = 0;
      }
    sqlite3_free(nd);
    return rc;
  }
  cons_clear(c);
  for (int i = 0; idx_str && idx_str[2 * i] && i < argc && i < (int)(sizeof c->cons / sizeof c->cons[0]); i++) {
    Constraint *k = &c->cons[c->ncons++];
    memset(k, 0, sizeof *k);
    k->op = idx_str[2 * i];
    k->coord = idx_str[2 * i + 1] - '0';
    if (k->op == 'F') {
      rc = geom_constraint(t, k, argv[i]);
      if (rc != SQLITE_OK) return rc;
      continue;
    }
    if (k->coord < 0 || k->coord >= 2 * t->ndim) return SQLITE_ERROR;
    k->v = rhs_value(argv[i], &none);
  }
  if (none) return SQLITE_OK;
  Node *root = sqlite3_malloc((int)sizeof(Node));
  int depth;
  if (!root) return SQLITE_NOMEM;
  rc = node_read(t, 1, root, &depth);
  if (rc == SQLITE_OK && depth > RTREE_MAX_DEPTH) rc = SQLITE_CORRUPT_VTAB;
  if (rc != SQLITE_OK) {
    sqlite3_free(root);
    return rc;
  }
  c->stack[0] = (Frame){root, depth, 0};
  c->depth = 1;
  c->eof = 0;
  return scan_step(c);
}

static int rtree_next(sqlite3_vtab_cursor *vc) {
  RtreeCursor *c = (RtreeCursor *)vc;
  if (c->one_row) {
    c->eof = 1;
    return SQLITE_OK;
  }
  return scan_step(c);
}

static int rtree_eof(sqlite3_vtab_cursor *vc) { return ((RtreeCursor *)vc)->eof; }

static int rtree_column(sqlite3_vtab_cursor *vc, sqlite3_context *ctx, int col) {
  RtreeCursor *c = (RtreeCursor *)vc;
  Rtree *t = (Rtree *)vc->pVtab;
  if (col == 0) {
    sqlite3_result_int64(ctx, c->cur.id);
  } else if (col <= 2 * t->ndim) {
    if (t->is_int) sqlite3_result_int64(ctx, (sqlite3_int64)c->cur.c[col - 1]);
    else sqlite3_result_double(ctx, c->cur.c[col - 1]);
  } else {
    int rc;
    sqlite3_stmt *s = stmt_get(t, ST_AUX_READ, &rc);
    if (!s) return rc;
    sqlite3_bind_int64(s, 1, c->cur.id);
    if (sqlite3_step(s) == SQLITE_ROW) sqlite3_result_value(ctx, sqlite3_column_value(s, col - 1 - 2 * t->ndim));
    rc = sqlite3_reset(s);
    if (rc != SQLITE_OK) return db_error(t, rc);
  }
  return SQLITE_OK;
}

static int rtree_rowid(sqlite3_vtab_cursor *vc, sqlite3_int64 *out) {
  *out = ((RtreeCursor *)vc)->cur.id;
  return SQLITE_OK;
}

/* ---- changes --------------------------------------------------------------------------------------------------- */

/* Float coordinates round outwards, so that the stored box covers the given
** one: a conversion that went the wrong way is redone from the value nudged
** by one part in 2^23 (the float's precision), as SQLite does it. */
#define ROUND_TOWARDS (1.0 - 1.0 / 8388608.0)
#define ROUND_AWAY (1.0 + 1.0 / 8388608.0)
static double round_down(double v) {
  float f = (float)v;
  if ((double)f > v) f = (float)(v * (v < 0 ? ROUND_AWAY : ROUND_TOWARDS));
  return f;
}
static double round_up(double v) {
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

/* Writes the row's NAME_rowid entry (its leaf is set when its cell is placed). */
static int rowid_write(Rtree *t, sqlite3_int64 id, int naux, sqlite3_value **aux) {
  char *sql = sqlite3_mprintf("INSERT INTO \"%w\".\"%w_rowid\" VALUES(?1,0", t->zdb, t->zname);
  for (int i = 0; sql && i < naux; i++) {
    char *s2 = sqlite3_mprintf("%s,?%d", sql, i + 2);
    sqlite3_free(sql);
    sql = s2;
  }
  char *full = sql ? sqlite3_mprintf("%s)", sql) : NULL;
  sqlite3_free(sql);
  if (!full) return SQLITE_NOMEM;
  sqlite3_stmt *s = NULL;
  int rc = sqlite3_prepare_v2(t->db, full, -1, &s, NULL);
  sqlite3_free(full);
  if (rc != SQLITE_OK) return db_error(t, rc);
  sqlite3_bind_int64(s, 1, id);
  for (int i = 0; i < naux; i++) sqlite3_bind_value(s, i + 2, aux[i]);
  sqlite3_step(s);
  rc = sqlite3_finalize(s);
  return rc == SQLITE_OK ? rc : db_error(t, rc);
}

static int new_rowid(Rtree *t, sqlite3_int64 *out) {
  char *sql = sqlite3_mprintf("SELECT max(rowid) FROM \"%w\".\"%w_rowid\"", t->zdb, t->zname);
  sqlite3_stmt *s = NULL;
  int rc = sql ? sqlite3_prepare_v2(t->db, sql, -1, &s, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return rc == SQLITE_NOMEM ? rc : db_error(t, rc);
  *out = 1;
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
    sqlite3_int64 m = sqlite3_column_int64(s, 0);
    if (m == INT64_MAX) rc = SQLITE_FULL;
    else *out = m + 1;
  }
  sqlite3_finalize(s);
  return rc;
}

static int rtree_update(sqlite3_vtab *vt, int argc, sqlite3_value **argv, sqlite3_int64 *rowid) {
  Rtree *t = (Rtree *)vt;
  int rc = SQLITE_OK;
  int ncoord = 2 * t->ndim;
  Cell cell;
  memset(&cell, 0, sizeof cell);
  if (argc > 1) {
    if (argc != 3 + ncoord + t->naux) return set_error(t, "wrong number of values");
    for (int k = 0; k < ncoord; k += 2) {
      if (t->is_int) {
        cell.c[k] = sqlite3_value_int(argv[3 + k]);
        cell.c[k + 1] = sqlite3_value_int(argv[4 + k]);
      } else {
        cell.c[k] = round_down(sqlite3_value_double(argv[3 + k]));
        cell.c[k + 1] = round_up(sqlite3_value_double(argv[4 + k]));
      }
      if (cell.c[k] > cell.c[k + 1]) return constraint_failed(t, k);
    }
  }
  int have_id = 0;
  if (argc > 1 && sqlite3_value_type(argv[2]) != SQLITE_NULL) {
    cell.id = sqlite3_value_int64(argv[2]);
    have_id = 1;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_int64(argv[0]) != cell.id) {
      sqlite3_int64 leaf;
      int found;
      rc = query1(t, ST_ROWID_READ, cell.id, &leaf, &found);
      if (rc != SQLITE_OK) return rc;
      if (found) {
        if (sqlite3_vtab_on_conflict(t->db) != SQLITE_REPLACE) {
          sqlite3_free(t->base.zErrMsg);
          t->base.zErrMsg = sqlite3_mprintf("UNIQUE constraint failed: %s.%s", t->zname, t->colname[0]);
          return SQLITE_CONSTRAINT;
        }
        rc = tree_delete(t, cell.id);
        if (rc != SQLITE_OK) return rc;
      }
    }
  }
  if (sqlite3_value_type(argv[0]) != SQLITE_NULL) {
    rc = tree_delete(t, sqlite3_value_int64(argv[0]));
    if (rc != SQLITE_OK) return rc;
  }
  if (argc > 1) {
    if (!have_id) {
      rc = new_rowid(t, &cell.id);
      if (rc != SQLITE_OK) return rc;
    }
    *rowid = cell.id;
    rc = rowid_write(t, cell.id, t->naux, argv + 3 + ncoord);
    if (rc == SQLITE_OK) rc = tree_insert(t, &cell, 0);
  }
  return rc;
}

/* ---- rtreecheck() ---------------------------------------------------------------------------------------------- */

typedef struct Check {
  sqlite3 *db;
  Rtree t; /* only the layout fields and statements are used */
  int nerr;
  char *report; /* the messages so far, NULL: none */
  int oom;
  sqlite3_int64 budget; /* nodes the walk may still visit */
  int depth;
} Check;

static void check_err(Check *k, const char *fmt, ...) {
  if (k->nerr++ >= 100) return;
  va_list ap;
  va_start(ap, fmt);
  char *m = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  if (m) k->report = append(k->report, &k->oom, "%s%s", k->report ? "\n" : "", m);
  else k->oom = 1;
  sqlite3_free(m);
}

static void check_node(Check *k, sqlite3_int64 no, int level, const Cell *bound, sqlite3_int64 parent) {
  /* A corrupt tree may name a node twice: the walk stops after as many nodes as there are. */
  if (k->budget-- <= 0) {
    if (k->budget == -1) check_err(k, "Node %lld reached more than once", no);
    return;
  }
  Node *nd = sqlite3_malloc((int)sizeof(Node));
  if (!nd) return;
  if (node_read(&k->t, no, nd, NULL) != SQLITE_OK) {
    check_err(k, "Node %lld missing from database", no);
    sqlite3_free(nd);
    return;
  }
  if (no != 1) {
    sqlite3_int64 p;
    int found;
    if (query1(&k->t, ST_PARENT_READ, no, &p, &found) == SQLITE_OK) {
      if (!found) check_err(k, "Mapping (%lld -> %lld) missing from %%_parent table", no, parent);
      else if (p != parent)
        check_err(k, "Found (%lld -> %lld) in %%_parent table, expected (%lld -> %lld)", no, p, no, parent);
    }
  }
  for (int i = 0; i < nd->n; i++) {
    const Cell *c = &nd->cells[i];
    for (int d = 0; d < 2 * k->t.ndim; d += 2) {
      if (c->c[d] > c->c[d + 1])
        check_err(k, "Dimension %d of cell %d on node %lld is corrupt", d / 2, i, no);
      if (bound && (c->c[d] < bound->c[d] || c->c[d + 1] > bound->c[d + 1]))
        check_err(k, "Dimension %d of cell %d on node %lld is corrupt relative to parent", d / 2, i, no);
    }
    if (level == 0) {
      sqlite3_int64 leaf;
      int found;
      if (query1(&k->t, ST_ROWID_READ, c->id, &leaf, &found) == SQLITE_OK) {
        if (!found) check_err(k, "Mapping (%lld -> %lld) missing from %%_rowid table", c->id, no);
        else if (leaf != no)
          check_err(k, "Found (%lld -> %lld) in %%_rowid table, expected (%lld -> %lld)", c->id, leaf, c->id, no);
      }
    } else {
      check_node(k, c->id, level - 1, c, no);
    }
  }
  sqlite3_free(nd);
}

/* The number of columns of "zdb"."name" (a suffix appended), -1 when there is no such table. */
static int column_count(sqlite3 *db, const char *zdb, const char *name, const char *suffix) {
  char *sql = sqlite3_mprintf("SELECT * FROM \"%w\".\"%w%s\"", zdb, name, suffix);
  sqlite3_stmt *s = NULL;
  int n = -1;
  if (sql && sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) n = sqlite3_column_count(s);
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
  const char *zdb = argc == 2 ? (const char *)sqlite3_value_text(argv[0]) : "main";
  const char *ztab = (const char *)sqlite3_value_text(argv[argc - 1]);
  Check k;
  memset(&k, 0, sizeof k);
  k.db = sqlite3_context_db_handle(ctx);
  k.t.db = k.db;
  k.t.zdb = sqlite3_mprintf("%s", zdb ? zdb : "main");
  k.t.zname = sqlite3_mprintf("%s", ztab ? ztab : "");
  int rc = k.t.zdb && k.t.zname ? SQLITE_OK : SQLITE_NOMEM;
  int ncol = rc == SQLITE_OK ? column_count(k.db, k.t.zdb, k.t.zname, "") : -1;
  if (rc == SQLITE_OK && ncol < 0) rc = SQLITE_ERROR;
  if (rc == SQLITE_OK) {
    int nrowid = column_count(k.db, k.t.zdb, k.t.zname, "_rowid");
    k.t.naux = nrowid > 2 ? nrowid - 2 : 0;
    k.t.ndim = (ncol - 1 - k.t.naux) / 2;
    if (k.t.ndim < 1 || k.t.ndim > RTREE_MAX_DIM) {
      check_err(&k, "Schema corrupt or not an rtree");
    } else {
      char *sql = sqlite3_mprintf("SELECT length(data), (SELECT sql LIKE '%%rtree_i32%%' FROM \"%w\".sqlite_schema "
                                  "WHERE name=?1) FROM \"%w\".\"%w_node\" WHERE nodeno=1",
                                  k.t.zdb, k.t.zdb, k.t.zname);
      sqlite3_stmt *s = NULL;
      rc = sql ? sqlite3_prepare_v2(k.db, sql, -1, &s, NULL) : SQLITE_NOMEM;
      sqlite3_free(sql);
      if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, k.t.zname, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(s) == SQLITE_ROW) {
          k.t.node_size = sqlite3_column_int(s, 0);
          k.t.is_int = sqlite3_column_int(s, 1);
        }
        rc = sqlite3_finalize(s);
      }
      k.t.cell_size = 8 + 8 * k.t.ndim;
      k.t.max_cells = (k.t.node_size - 4) / k.t.cell_size;
      int depth = 0;
      Node *root = rc == SQLITE_OK ? sqlite3_malloc((int)sizeof(Node)) : NULL;
      if (rc == SQLITE_OK && !root) rc = SQLITE_NOMEM;
      if (rc == SQLITE_OK) {
        char *q = sqlite3_mprintf("SELECT count(*) FROM \"%w\".\"%w_node\"", k.t.zdb, k.t.zname);
        sqlite3_stmt *cs = NULL;
        if (q && sqlite3_prepare_v2(k.db, q, -1, &cs, NULL) == SQLITE_OK && sqlite3_step(cs) == SQLITE_ROW)
          k.budget = sqlite3_column_int64(cs, 0);
        sqlite3_finalize(cs);
        sqlite3_free(q);
        if (node_read(&k.t, 1, root, &depth) != SQLITE_OK) check_err(&k, "Node 1 missing from database");
        else if (depth > RTREE_MAX_DEPTH) check_err(&k, "Rtree depth out of range (%d)", depth);
        else check_node(&k, 1, depth, NULL, 0);
      }
      sqlite3_free(root);
      /* Every non-root node has its one parent entry. */
      sql = rc == SQLITE_OK ? sqlite3_mprintf("SELECT (SELECT count(*) FROM \"%w\".\"%w_parent\"), "
                                              "(SELECT count(*) FROM \"%w\".\"%w_node\")",
                                              k.t.zdb, k.t.zname, k.t.zdb, k.t.zname)
                            : NULL;
      if (sql && sqlite3_prepare_v2(k.db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
        sqlite3_int64 nparent = sqlite3_column_int64(s, 0), nnode = sqlite3_column_int64(s, 1);
        if (nparent != nnode - 1)
          check_err(&k, "Wrong number of entries in %%_parent table - expected %lld, actual %lld", nnode - 1,
                    nparent);
      }
      sqlite3_finalize(s);
      sqlite3_free(sql);
    }
  }
  stmts_finalize(&k.t);
  sqlite3_free(k.t.zdb);
  sqlite3_free(k.t.zname);
  char *r = k.report;
  if (k.oom && rc == SQLITE_OK) rc = SQLITE_NOMEM;
  if (rc != SQLITE_OK) sqlite3_result_error_code(ctx, rc);
  else sqlite3_result_text(ctx, r ? r : "ok", -1, SQLITE_TRANSIENT);
  sqlite3_free(r);
}

/* ---- the modules ----------------------------------------------------------------------------------------------- */

#define RTREE_MODULE(create, connect)                                                                              \
  {                                                                                                                \
    .iVersion = 3, .xCreate = create, .xConnect = connect, .xBestIndex = rtree_best_index,                         \
    .xDisconnect = rtree_disconnect, .xDestroy = rtree_destroy, .xOpen = rtree_open, .xClose = rtree_close,        \
    .xFilter = rtree_filter, .xNext = rtree_next, .xEof = rtree_eof, .xColumn = rtree_column,                      \
    .xRowid = rtree_rowid, .xUpdate = rtree_update, .xRename = rtree_rename,                                       \
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

int rtree_register_functions(sqlite3 *db) {
  return sqlite3_create_function(db, "rtreecheck", -1, SQLITE_UTF8, NULL, rtreecheck_func, NULL, NULL);
}
