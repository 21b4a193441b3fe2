/*
** ann_int.h — what the files of the vector_ann module share: the handle,
** the metadata and node codecs (node.c) and the graph's scratch structures.
** Not part of the module's interface (vector_ann.h is).
**
** Scratch memory lives in the handle and grows as needed, so a search
** allocates nothing once the handle has served one of the same width.
*/
#ifndef LODE_ANN_INT_H
#define LODE_ANN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "ext/vector/vector.h"
#include "ext/vector_ann/vector_ann.h"

#define ANN_NODE_FORMAT 1
#define ANN_NODE_HEADER 4
#define ANN_META_MAGIC 0x4e4e4156u
#define ANN_META_FORMAT 1
#define ANN_META_SIZE 48
#define ANN_META_KEY 0

/* The metadata blob of vector_ann.h, decoded. */
typedef struct AnnMeta {
  int metric, type, top;
  uint32_t dims;
  int m, ef_construction;
  uint64_t seed;
  int64_t entry, count;
  double alpha;
} AnnMeta;

/* A candidate: a node and its distance to the vector being searched for. */
typedef struct AnnCand {
  double d;
  int64_t id;
} AnnCand;

typedef struct AnnCands {
  AnnCand *v;
  int n, cap;
} AnnCands;

/* A node copied out of its blob for editing.  Layer l holds up to
** ann_cap(l) ids. */
typedef struct AnnNode {
  int64_t id;
  int level;
  uint8_t *vec;
  int64_t *nb[VECTOR_ANN_MAX_LEVEL + 1];
  int cnt[VECTOR_ANN_MAX_LEVEL + 1];
  void *mem;
  size_t memcap;
} AnnNode;

/* Node ids seen by one search: open addressing, cleared by bumping gen. */
typedef struct AnnVisited {
  int64_t *keys;
  uint32_t *stamp;
  size_t cap, n;
  uint32_t gen;
} AnnVisited;

struct VectorAnn {
  VectorAnnStore store;
  VectorAnnConfig cfg;
  const VectorKernels *k;
  AnnMeta meta;       /* read by each operation */
  size_t vbytes;      /* bytes of one vector: meta.dims × 4 or 8 */
  uint8_t *q;         /* the operation's vector, copied */
  size_t qcap;
  AnnNode nn, pn, ed; /* the inserted node, the deleted node, a neighbour being changed */
  AnnVisited vis;
  AnnCands heap_c, heap_w; /* candidates to expand (min-heap), results so far (max-heap) */
  AnnCands res, ep;        /* a layer's results; the entry points of the next layer */
  AnnCands pool;           /* candidates for a neighbour list */
  int64_t *ids;            /* a node's neighbours of one layer, copied */
  int idscap;
  uint8_t *kept;           /* vectors kept by neighbour selection */
  size_t keptcap;
  uint8_t *enc;            /* an encoded node */
  size_t enccap;
  char errmsg[200];
};

/* Neighbours a node keeps on layer l. */
static inline int ann_cap(const VectorAnn *a, int l) { return l == 0 ? 2 * a->meta.m : a->meta.m; }

/* Little-endian integers at any alignment. */
static inline uint64_t ann_get64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
  return v;
}
static inline void ann_put64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static inline uint32_t ann_get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void ann_put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

int ann_error(VectorAnn *a, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int ann_grow(void **p, size_t *cap, size_t need, size_t elem);

/* node.c: metadata and nodes. */
int ann_meta_read(VectorAnn *a, int *present);
int ann_meta_write(VectorAnn *a);
/* The vector of a node blob, or NULL when the blob is too short for one. */
const uint8_t *ann_node_vec(const VectorAnn *a, const uint8_t *blob, int n);
/* Checks a node blob's structure; its level, and layer l's ids copied into
** a->ids (*cnt; 0 when the node has no layer l). */
int ann_node_layer(VectorAnn *a, int64_t id, const uint8_t *blob, int n, int l, int *level, int *cnt);
/* Copies a node blob into nd (LODE_CORRUPT when malformed). */
int ann_node_decode(VectorAnn *a, int64_t id, const uint8_t *blob, int n, AnnNode *nd);
/* An empty node of the given level (vector not set). */
int ann_node_reset(VectorAnn *a, AnnNode *nd, int64_t id, int level);
int ann_node_write(VectorAnn *a, const AnnNode *nd);
/* Reads node id into nd; *found = 0 when absent. */
int ann_node_load(VectorAnn *a, int64_t id, AnnNode *nd, int *found);
void ann_node_free(AnnNode *nd);

#endif /* LODE_ANN_INT_H */
