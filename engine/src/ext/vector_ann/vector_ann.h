/*
** vector_ann.h — an approximate-nearest-neighbour index over dense float32
** and float64 vectors: a Hierarchical Navigable Small World graph (HNSW)
** whose nodes live in a blob store the caller provides (docs/vector.md
** explains the choice over DiskANN/Vamana).
**
** The module owns the node and metadata blob layouts below, the graph
** algorithms (insert, delete with repair, search), the parsing of build
** parameters from name/value pairs, and an in-memory store for tests and
** benchmarks.  It knows nothing of tables, cursors or transactions: every
** operation reads what it needs from the store and writes its changes back
** before it returns, and a handle keeps no state between operations beyond
** its configuration and scratch memory.  So a caller that rolls the store
** back (a failed statement, ROLLBACK) needs to tell the handle nothing, and
** an operation that failed half-way leaves changes only in the store, for
** the caller's rollback to undo.
**
** The store is keyed by (space, int64 key).  Space VECTOR_ANN_NODES holds
** one blob per indexed row, keyed by its rowid (any int64); space
** VECTOR_ANN_META holds the one metadata blob at key 0.  Keeping the two
** apart is what lets rowids take every int64 value.
**
** Node blob (little-endian):
**   0   u8   format (1)
**   1   u8   level L of the node (0..VECTOR_ANN_MAX_LEVEL)
**   2   u16  0
**   4   dims values of the index's type (f32 or f64), as in the row's vector
**   ..  for each layer l = 0..L: u16 n, then n × i64 neighbour rowids
**       (n ≤ 2m on layer 0, ≤ m above)
**
** Metadata blob (little-endian, 48 bytes):
**   0   u32  magic 0x4e4e4156 ("VANN")
**   4   u8   format (1)
**   5   u8   metric (VECTOR_ANN_COSINE, _L2, _DOT)
**   6   u8   vector type (0 before the first insert, VECTOR_ANN_F32, _F64)
**   7   u8   top level of the graph
**   8   u32  dims (0 before the first insert)
**   12  u16  m
**   14  u16  ef_construction
**   16  u64  seed
**   24  i64  entry point rowid (meaningless when the count is 0)
**   32  i64  number of nodes
**   40  f64  alpha
**
** Invariants: every node reachable from the entry point decodes to the
** layout above with the index's dims; a node's level is drawn from a hash
** of (seed, rowid), so the graph depends only on the seed and the order of
** operations; a neighbour id may name a deleted row (a "dangling" edge kept
** by a node the deleted node did not link back to): searches skip it.
** Distances are those of vector_distance_cos / _l2 / _dot for the same pair
** of vectors, bit for bit (same kernels, same formula).
*/
#ifndef LODE_VECTOR_ANN_H
#define LODE_VECTOR_ANN_H

#include <stddef.h>
#include <stdint.h>

#define VECTOR_ANN_NODES 0
#define VECTOR_ANN_META 1

#define VECTOR_ANN_COSINE 1
#define VECTOR_ANN_L2 2
#define VECTOR_ANN_DOT 3

#define VECTOR_ANN_F32 1
#define VECTOR_ANN_F64 2

#define VECTOR_ANN_MAX_LEVEL 16

/* The storage an index lives in.  Results are LODE_* codes; anything but
** LODE_OK is passed up unchanged by the index.  A blob get returns stays
** valid only until the next call into the store (the index copies what it
** keeps).  Writes replace a key's blob whole. */
typedef struct VectorAnnStore {
  void *ctx;
  /* An absent key: LODE_OK with *blob = NULL, *n = 0. */
  int (*get)(void *ctx, int space, int64_t key, const uint8_t **blob, int *n);
  int (*put)(void *ctx, int space, int64_t key, const uint8_t *blob, int n);
  /* An absent key: LODE_OK. */
  int (*del)(void *ctx, int space, int64_t key);
  /* The smallest key >= key in the space: *found = 1 and *out, or *found = 0.
  ** Used only to find a new entry point when the graph was cut apart. */
  int (*seek)(void *ctx, int space, int64_t key, int *found, int64_t *out);
} VectorAnnStore;

/* Build and search parameters.  The build ones (metric, type, dims, m,
** ef_construction, alpha, seed) are recorded in the metadata at the first
** insert; a handle whose configuration differs from them gets LODE_ERROR
** from every operation.  type and dims 0: taken from the first vector. */
typedef struct VectorAnnConfig {
  int metric;          /* VECTOR_ANN_COSINE (default), _L2, _DOT */
  int type;            /* 0, VECTOR_ANN_F32, VECTOR_ANN_F64 */
  uint32_t dims;       /* 0 or 1..VECTOR_ANN_MAX_DIMS */
  int m;               /* neighbours per node above layer 0 (2m on layer 0); default 16 */
  int ef_construction; /* search width while inserting; default 100 */
  int ef_search;       /* default search width of queries; default 64 */
  double alpha;        /* neighbour-selection slack, >= 1 (1: HNSW's heuristic); default 1 */
  uint64_t seed;       /* levels of nodes; default 0 */
} VectorAnnConfig;

#define VECTOR_ANN_MAX_DIMS 65536
#define VECTOR_ANN_MAX_WIDTH 100000

/* One parameter of CREATE INDEX … WITH (name = value). */
#define VECTOR_ANN_PARAM_INT 1
#define VECTOR_ANN_PARAM_REAL 2
#define VECTOR_ANN_PARAM_TEXT 3
#define VECTOR_ANN_PARAM_BLOB 4
typedef struct VectorAnnParam {
  const char *name; /* NUL-terminated, compared without case */
  int type;         /* VECTOR_ANN_PARAM_* */
  int64_t i;        /* INT */
  double r;         /* REAL */
  const void *p;    /* TEXT (UTF-8, not NUL-terminated) and BLOB */
  int n;            /* bytes at p */
} VectorAnnParam;

void vector_ann_config_default(VectorAnnConfig *c);
/* Applies the parameters in order to *c.  Names: metric ('cosine', 'l2',
** 'dot'), type ('float32', 'float64'), dims, m, ef_construction, ef_search,
** alpha, seed.  LODE_ERROR with a message in err (an unknown or repeated
** name, a value of the wrong type or out of range). */
int vector_ann_config_parse(VectorAnnConfig *c, const VectorAnnParam *params, int nparams, char *err,
                            size_t errcap);

typedef struct VectorAnn VectorAnn;

/* A handle on the index in *store (copied) with configuration *cfg.  Reads
** nothing: the metadata is read (and checked against cfg) by each operation.
** LODE_NOMEM or LODE_MISUSE (an invalid configuration). */
int vector_ann_open(const VectorAnnStore *store, const VectorAnnConfig *cfg, VectorAnn **out);
void vector_ann_close(VectorAnn *a);

/* Adds row `rowid` with the vector blob vec[0..n) (a layout of vector.h:
** float32 or float64 dense).  A rowid already present is replaced.
** LODE_ERROR (with vector_ann_errmsg) for a blob that is not a dense vector
** of the index's type and dims or holds NaN or infinity. */
int vector_ann_insert(VectorAnn *a, int64_t rowid, const void *vec, int n);
/* Removes row `rowid` and reconnects its neighbours.  An absent rowid is
** LODE_OK. */
int vector_ann_delete(VectorAnn *a, int64_t rowid);
/* The k rows nearest to query[0..n) (up to k; fewer when the index holds
** fewer), nearest first (ties by rowid), their distances in dists.  width:
** the search width (0: the configuration's ef_search; raised to k).  A
** width of at least the number of rows compares every row the graph
** reaches from its entry point (in practice all of them). */
int vector_ann_search(VectorAnn *a, const void *query, int n, int k, int width, int64_t *rowids, double *dists,
                      int *count);
/* Walks every node through the store's seek: each must decode with the
** index's dims and levels, and their number must equal the metadata's
** count.  LODE_OK, or LODE_CORRUPT with the first problem in
** vector_ann_errmsg; *nodes: the nodes walked.  For integrity checks (the
** caller compares the rowids with its table's). */
int vector_ann_check(VectorAnn *a, int64_t *nodes);
/* The number of rows and the graph's top level. */
int vector_ann_stats(VectorAnn *a, int64_t *count, int *top_level);
/* The message of the last LODE_ERROR / LODE_CORRUPT. */
const char *vector_ann_errmsg(const VectorAnn *a);

/* ---- an in-memory store ---------------------------------------------------
** A hash table of copied blobs.  Between begin and commit/rollback it keeps
** an undo log, so tests can roll back a failed operation as a statement
** rollback would.  Its allocations go through util_malloc (fault injection
** reaches them); a failed put or del changes nothing. */
typedef struct VectorAnnMemStore VectorAnnMemStore;
VectorAnnMemStore *vector_ann_memstore_new(void);
void vector_ann_memstore_free(VectorAnnMemStore *s);
VectorAnnStore vector_ann_memstore(VectorAnnMemStore *s);
void vector_ann_memstore_begin(VectorAnnMemStore *s);
void vector_ann_memstore_commit(VectorAnnMemStore *s);
void vector_ann_memstore_rollback(VectorAnnMemStore *s);
/* Blobs and their bytes in a space. */
void vector_ann_memstore_usage(const VectorAnnMemStore *s, int space, int64_t *blobs, int64_t *bytes);
/* A hash of every (space, key, blob), independent of insertion order. */
uint64_t vector_ann_memstore_digest(const VectorAnnMemStore *s);

#endif /* LODE_VECTOR_ANN_H */
