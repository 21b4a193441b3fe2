/*
** node.c — the blobs of vector_ann.h: the metadata and the nodes, checked
** as they are read (a malformed blob is LODE_CORRUPT, never a wild read).
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ext/vector_ann/ann_int.h"
#include "lode.h"
#include "util/util.h"

int ann_error(VectorAnn *a, int rc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(a->errmsg, sizeof a->errmsg, fmt, ap);
  va_end(ap);
  return rc;
}

/* Makes *p hold at least need elements of elem bytes. */
int ann_grow(void **p, size_t *cap, size_t need, size_t elem) {
  void *q;
  size_t n;
  if (need <= *cap) return LODE_OK;
  n = *cap ? *cap : 16;
  while (n < need) n *= 2;
  q = util_realloc(*p, n * elem);
  if (!q) return LODE_NOMEM;
  *p = q;
  *cap = n;
  return LODE_OK;
}

/* ---- metadata -------------------------------------------------------------------- */

static int meta_corrupt(VectorAnn *a) { return ann_error(a, LODE_CORRUPT, "vector_ann: malformed index metadata"); }

int ann_meta_read(VectorAnn *a, int *present) {
  const uint8_t *b;
  int n, rc;
  AnnMeta *m = &a->meta;
  uint64_t alpha;
  *present = 0;
  rc = a->store.get(a->store.ctx, VECTOR_ANN_META, ANN_META_KEY, &b, &n);
  if (rc) return rc;
  if (!b) return LODE_OK;
  if (n != ANN_META_SIZE || ann_get32(b) != ANN_META_MAGIC || b[4] != ANN_META_FORMAT) return meta_corrupt(a);
  m->metric = b[5];
  m->type = b[6];
  m->top = b[7];
  m->dims = ann_get32(b + 8);
  m->m = b[12] | b[13] << 8;
  m->ef_construction = b[14] | b[15] << 8;
  m->seed = ann_get64(b + 16);
  m->entry = (int64_t)ann_get64(b + 24);
  m->count = (int64_t)ann_get64(b + 32);
  alpha = ann_get64(b + 40);
  memcpy(&m->alpha, &alpha, 8);
  if (m->metric < VECTOR_ANN_COSINE || m->metric > VECTOR_ANN_DOT || m->type > VECTOR_ANN_F64 ||
      m->top > VECTOR_ANN_MAX_LEVEL || m->dims > VECTOR_ANN_MAX_DIMS || m->m < 2 || m->m > 100 || m->count < 0 ||
      (m->count > 0 && (m->type == 0 || m->dims == 0)))
    return meta_corrupt(a);
  *present = 1;
  return LODE_OK;
}

int ann_meta_write(VectorAnn *a) {
  uint8_t b[ANN_META_SIZE];
  const AnnMeta *m = &a->meta;
  uint64_t alpha;
  memset(b, 0, sizeof b);
  ann_put32(b, ANN_META_MAGIC);
  b[4] = ANN_META_FORMAT;
  b[5] = (uint8_t)m->metric;
  b[6] = (uint8_t)m->type;
  b[7] = (uint8_t)m->top;
  ann_put32(b + 8, m->dims);
  b[12] = (uint8_t)m->m;
  b[13] = (uint8_t)(m->m >> 8);
  b[14] = (uint8_t)m->ef_construction;
  b[15] = (uint8_t)(m->ef_construction >> 8);
  ann_put64(b + 16, m->seed);
  ann_put64(b + 24, (uint64_t)m->entry);
  ann_put64(b + 32, (uint64_t)m->count);
  memcpy(&alpha, &m->alpha, 8);
  ann_put64(b + 40, alpha);
  return a->store.put(a->store.ctx, VECTOR_ANN_META, ANN_META_KEY, b, ANN_META_SIZE);
}

/* ---- nodes ----------------------------------------------------------------------- */

static int node_corrupt(VectorAnn *a, int64_t id) {
  return ann_error(a, LODE_CORRUPT, "vector_ann: malformed node for rowid %lld", (long long)id);
}

const uint8_t *ann_node_vec(const VectorAnn *a, const uint8_t *blob, int n) {
  if ((size_t)n < ANN_NODE_HEADER + a->vbytes || blob[0] != ANN_NODE_FORMAT) return NULL;
  return blob + ANN_NODE_HEADER;
}

/* Walks the layers of a node blob: the offset of each layer's count in
** off[], checking that the counts fit their layers and the blob's length. */
static int node_walk(VectorAnn *a, int64_t id, const uint8_t *blob, int n, size_t *off, int *level) {
  size_t pos = ANN_NODE_HEADER + a->vbytes;
  int lv;
  if (!ann_node_vec(a, blob, n) || blob[1] > VECTOR_ANN_MAX_LEVEL) return node_corrupt(a, id);
  lv = blob[1];
  for (int l = 0; l <= lv; l++) {
    int c;
    if (pos + 2 > (size_t)n) return node_corrupt(a, id);
    c = blob[pos] | blob[pos + 1] << 8;
    if (c > ann_cap(a, l) || pos + 2 + 8 * (size_t)c > (size_t)n) return node_corrupt(a, id);
    off[l] = pos;
    pos += 2 + 8 * (size_t)c;
  }
  if (pos != (size_t)n) return node_corrupt(a, id);
  *level = lv;
  return LODE_OK;
}

int ann_node_layer(VectorAnn *a, int64_t id, const uint8_t *blob, int n, int l, int *level, int *cnt) {
  size_t off[VECTOR_ANN_MAX_LEVEL + 1];
  int rc = node_walk(a, id, blob, n, off, level), c;
  *cnt = 0;
  if (rc || l > *level) return rc;
  c = blob[off[l]] | blob[off[l] + 1] << 8;
  for (int i = 0; i < c; i++) a->ids[i] = (int64_t)ann_get64(blob + off[l] + 2 + 8 * (size_t)i);
  *cnt = c;
  return LODE_OK;
}

int ann_node_reset(VectorAnn *a, AnnNode *nd, int64_t id, int level) {
  size_t vb = (a->vbytes + 7) & ~(size_t)7;
  size_t need = vb + 8 * ((size_t)ann_cap(a, 0) + (size_t)level * (size_t)ann_cap(a, 1));
  int64_t *p;
  if (ann_grow(&nd->mem, &nd->memcap, need, 1)) return LODE_NOMEM;
  nd->id = id;
  nd->level = level;
  nd->vec = nd->mem;
  p = (int64_t *)((uint8_t *)nd->mem + vb);
  for (int l = 0; l <= level; l++) {
    nd->nb[l] = p;
    nd->cnt[l] = 0;
    p += ann_cap(a, l);
  }
  return LODE_OK;
}

int ann_node_decode(VectorAnn *a, int64_t id, const uint8_t *blob, int n, AnnNode *nd) {
  size_t off[VECTOR_ANN_MAX_LEVEL + 1];
  int level, rc = node_walk(a, id, blob, n, off, &level);
  if (rc) return rc;
  if (ann_node_reset(a, nd, id, level)) return LODE_NOMEM;
  memcpy(nd->vec, blob + ANN_NODE_HEADER, a->vbytes);
  for (int l = 0; l <= level; l++) {
    int c = blob[off[l]] | blob[off[l] + 1] << 8;
    for (int i = 0; i < c; i++) nd->nb[l][i] = (int64_t)ann_get64(blob + off[l] + 2 + 8 * (size_t)i);
    nd->cnt[l] = c;
  }
  return LODE_OK;
}

int ann_node_load(VectorAnn *a, int64_t id, AnnNode *nd, int *found) {
  const uint8_t *b;
  int n, rc = a->store.get(a->store.ctx, VECTOR_ANN_NODES, id, &b, &n);
  *found = 0;
  if (rc || !b) return rc;
  *found = 1;
  return ann_node_decode(a, id, b, n, nd);
}

int ann_node_write(VectorAnn *a, const AnnNode *nd) {
  size_t n = ANN_NODE_HEADER + a->vbytes, pos;
  for (int l = 0; l <= nd->level; l++) n += 2 + 8 * (size_t)nd->cnt[l];
  if (ann_grow((void **)&a->enc, &a->enccap, n, 1)) return LODE_NOMEM;
  a->enc[0] = ANN_NODE_FORMAT;
  a->enc[1] = (uint8_t)nd->level;
  a->enc[2] = a->enc[3] = 0;
  memcpy(a->enc + ANN_NODE_HEADER, nd->vec, a->vbytes);
  pos = ANN_NODE_HEADER + a->vbytes;
  for (int l = 0; l <= nd->level; l++) {
    a->enc[pos] = (uint8_t)nd->cnt[l];
    a->enc[pos + 1] = (uint8_t)(nd->cnt[l] >> 8);
    pos += 2;
    for (int i = 0; i < nd->cnt[l]; i++, pos += 8) ann_put64(a->enc + pos, (uint64_t)nd->nb[l][i]);
  }
  return a->store.put(a->store.ctx, VECTOR_ANN_NODES, nd->id, a->enc, (int)n);
}

void ann_node_free(AnnNode *nd) {
  util_free(nd->mem);
  memset(nd, 0, sizeof *nd);
}
