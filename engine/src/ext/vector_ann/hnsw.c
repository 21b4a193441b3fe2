/*
** hnsw.c — the graph of vector_ann.h: a Hierarchical Navigable Small World
** graph (Malkov and Yashunin) over nodes kept in the caller's store.
**
** Insert: the new node's level comes from a hash of (seed, rowid), so that
** it is the same however often the row is re-inserted.  A greedy descent
** from the entry point through the layers above the node's level, then on
** each of its layers a search of width ef_construction whose results give
** its neighbours by the selection heuristic (a candidate is kept when it is
** nearer to the node than to every neighbour kept so far, with alpha as
** slack).  All searching happens before the first write: the node is
** written, then each neighbour gets the back edge; a neighbour whose list
** is full re-selects its list from its old neighbours plus the new node.
**
** Delete: each neighbour that links back to the node drops the edge and
** re-selects its list from its remaining neighbours plus the deleted node's
** neighbours, which keeps the region around a deleted node connected (the
** local repair of FreshDiskANN, applied per layer).  Nodes that link to the
** deleted node without a link back keep a dangling edge, which searches
** skip.  A deleted entry point is replaced by its neighbour of the highest
** level.
**
** Search: the same greedy descent, then a best-first search of layer 0
** keeping the `width` nearest nodes seen.
**
** Candidates are ordered by (distance, rowid), which with the level hash
** makes every result a function of the seed and the order of operations.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ext/vector_ann/ann_int.h"
#include "lode.h"
#include "util/util.h"

/* ---- distances ------------------------------------------------------------------- */

/* vector_distance_cos's formula on the kernel's three sums. */
static double cos_of(double ab, double aa, double bb, int f64) {
  double r;
  if (aa == 0 && bb == 0) return 0.0;
  if (ab == 0) return 1.0;
  r = 1.0 - ab / (f64 ? sqrt(aa) * sqrt(bb) : sqrt(aa * bb));
  return r < 0 ? 0.0 : r > 2 ? 2.0 : r;
}

static double dist(const VectorAnn *a, const uint8_t *x, const uint8_t *y) {
  const VectorKernels *k = a->k;
  size_t n = a->meta.dims;
  double s[3];
  if (a->meta.type == VECTOR_ANN_F64) {
    switch (a->meta.metric) {
    case VECTOR_ANN_COSINE: k->cos_f64(x, y, n, s); return cos_of(s[0], s[1], s[2], 1);
    case VECTOR_ANN_L2: return sqrt(k->l2sq_f64(x, y, n));
    default: return -k->dot_f64(x, y, n);
    }
  }
  switch (a->meta.metric) {
  case VECTOR_ANN_COSINE: k->cos_f32(x, y, n, s); return cos_of(s[0], s[1], s[2], 0);
  case VECTOR_ANN_L2: return sqrt(k->l2sq_f32(x, y, n));
  default: return -k->dot_f32(x, y, n);
  }
}

/* ---- candidates, heaps, the visited set ------------------------------------------ */

static int cand_less(const AnnCand *x, const AnnCand *y) { return x->d < y->d || (x->d == y->d && x->id < y->id); }

static int cands_reserve(AnnCands *c, int n) {
  size_t cap = (size_t)c->cap;
  if (ann_grow((void **)&c->v, &cap, (size_t)n, sizeof *c->v)) return LODE_NOMEM;
  c->cap = (int)cap;
  return LODE_OK;
}

/* A binary heap on AnnCands: the least element on top (max = 0) or the
** greatest (max = 1).  Capacity is reserved by the caller. */
static int heap_before(const AnnCand *x, const AnnCand *y, int max) { return max ? cand_less(y, x) : cand_less(x, y); }

static void heap_push(AnnCands *h, AnnCand c, int max) {
  int i = h->n++;
  while (i > 0) {
    int p = (i - 1) / 2;
    if (!heap_before(&c, &h->v[p], max)) break;
    h->v[i] = h->v[p];
    i = p;
  }
  h->v[i] = c;
}

static AnnCand heap_pop(AnnCands *h, int max) {
  AnnCand top = h->v[0], last = h->v[--h->n];
  int i = 0;
  for (;;) {
    int c = 2 * i + 1;
    if (c >= h->n) break;
    if (c + 1 < h->n && heap_before(&h->v[c + 1], &h->v[c], max)) c++;
    if (!heap_before(&h->v[c], &last, max)) break;
    h->v[i] = h->v[c];
    i = c;
  }
  if (h->n > 0) h->v[i] = last;
  return top;
}

static size_t vis_hash(int64_t id) {
  uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;
  return (size_t)(h ^ h >> 32);
}

static void vis_clear(AnnVisited *v) {
  v->n = 0;
  if (++v->gen == 0) {
    if (v->stamp) memset(v->stamp, 0, v->cap * sizeof *v->stamp);
    v->gen = 1;
  }
}

static int vis_grow(AnnVisited *v) {
  size_t cap = v->cap ? v->cap * 2 : 1024;
  int64_t *keys = util_malloc(cap * sizeof *keys);
  uint32_t *stamp = util_zalloc(cap * sizeof *stamp);
  if (!keys || !stamp) {
    util_free(keys);
    util_free(stamp);
    return LODE_NOMEM;
  }
  for (size_t i = 0; i < v->cap; i++) {
    if (v->stamp[i] != v->gen) continue;
    size_t j = vis_hash(v->keys[i]) & (cap - 1);
    while (stamp[j] == v->gen) j = (j + 1) & (cap - 1);
    keys[j] = v->keys[i];
    stamp[j] = v->gen;
  }
  util_free(v->keys);
  util_free(v->stamp);
  v->keys = keys;
  v->stamp = stamp;
  v->cap = cap;
  return LODE_OK;
}

/* 1 when id is new (and now in the set), 0 when seen, -1 out of memory. */
static int vis_add(AnnVisited *v, int64_t id) {
  size_t i;
  if (2 * (v->n + 1) > v->cap && vis_grow(v)) return -1;
  i = vis_hash(id) & (v->cap - 1);
  while (v->stamp[i] == v->gen) {
    if (v->keys[i] == id) return 0;
    i = (i + 1) & (v->cap - 1);
  }
  v->keys[i] = id;
  v->stamp[i] = v->gen;
  v->n++;
  return 1;
}

/* ---- searching a layer ----------------------------------------------------------- */

static int get_node(VectorAnn *a, int64_t id, const uint8_t **b, int *n) {
  return a->store.get(a->store.ctx, VECTOR_ANN_NODES, id, b, n);
}

/* Distance from q to node id: *found = 0 when the node is absent. */
static int node_dist(VectorAnn *a, const uint8_t *q, int64_t id, double *d, int *found) {
  const uint8_t *b, *v;
  int n, rc = get_node(a, id, &b, &n);
  *found = 0;
  if (rc || !b) return rc;
  v = ann_node_vec(a, b, n);
  if (!v) return ann_error(a, LODE_CORRUPT, "vector_ann: malformed node for rowid %lld", (long long)id);
  *d = dist(a, q, v);
  *found = 1;
  return LODE_OK;
}

/* Best-first search of layer l from the entry points ep (their distances
** set): the ef nearest nodes found, nearest first, into out. */
static int search_layer(VectorAnn *a, const uint8_t *q, const AnnCands *ep, int ef, int l, AnnCands *out) {
  AnnCands *c = &a->heap_c, *w = &a->heap_w;
  int rc;
  vis_clear(&a->vis);
  c->n = w->n = out->n = 0;
  if (cands_reserve(w, ef + 1) || cands_reserve(out, ef + 1)) return LODE_NOMEM;
  for (int i = 0; i < ep->n; i++) {
    int r = vis_add(&a->vis, ep->v[i].id);
    if (r < 0 || cands_reserve(c, c->n + 1)) return LODE_NOMEM;
    if (r == 0) continue;
    heap_push(c, ep->v[i], 0);
    heap_push(w, ep->v[i], 1);
    if (w->n > ef) heap_pop(w, 1);
  }
  while (c->n > 0) {
    AnnCand cur = heap_pop(c, 0);
    const uint8_t *b;
    int n, level, cnt;
    if (w->n >= ef && cand_less(&w->v[0], &cur)) break;
    rc = get_node(a, cur.id, &b, &n);
    if (rc) return rc;
    if (!b) continue; /* a dangling edge */
    rc = ann_node_layer(a, cur.id, b, n, l, &level, &cnt);
    if (rc) return rc;
    for (int i = 0; i < cnt; i++) {
      int64_t id = a->ids[i];
      AnnCand e;
      int r = vis_add(&a->vis, id), found;
      if (r < 0) return LODE_NOMEM;
      if (r == 0) continue;
      rc = node_dist(a, q, id, &e.d, &found);
      if (rc) return rc;
      if (!found) continue;
      e.id = id;
      if (w->n < ef || cand_less(&e, &w->v[0])) {
        if (cands_reserve(c, c->n + 1)) return LODE_NOMEM;
        heap_push(c, e, 0);
        heap_push(w, e, 1);
        if (w->n > ef) heap_pop(w, 1);
      }
    }
  }
  out->n = w->n;
  for (int i = w->n - 1; i >= 0; i--) out->v[i] = heap_pop(w, 1);
  return LODE_OK;
}

static void swap_cands(AnnCands *x, AnnCands *y) {
  AnnCands t = *x;
  *x = *y;
  *y = t;
}

/* The entry point of the graph and its distance to q, into a->ep.  When the
** recorded entry point is missing (a store rolled back only in part), the
** first node of the store stands in. */
static int entry_point(VectorAnn *a, const uint8_t *q) {
  AnnCand e;
  int found, rc;
  if (cands_reserve(&a->ep, 1)) return LODE_NOMEM;
  a->ep.n = 0;
  e.id = a->meta.entry;
  rc = node_dist(a, q, e.id, &e.d, &found);
  if (rc) return rc;
  if (!found) {
    rc = a->store.seek(a->store.ctx, VECTOR_ANN_NODES, INT64_MIN, &found, &e.id);
    if (rc || !found) return rc;
    rc = node_dist(a, q, e.id, &e.d, &found);
    if (rc || !found) return rc;
  }
  a->ep.v[a->ep.n++] = e;
  return LODE_OK;
}

/* Greedy descent from the top layer to layer `to` + 1: a->ep ends as the
** nearest node found on layer `to` + 1. */
static int descend(VectorAnn *a, const uint8_t *q, int to) {
  for (int l = a->meta.top; l > to; l--) {
    int rc = search_layer(a, q, &a->ep, 1, l, &a->res);
    if (rc) return rc;
    if (a->res.n > 0) swap_cands(&a->ep, &a->res);
  }
  return LODE_OK;
}

/* ---- neighbour selection ---------------------------------------------------------- */

static int cmp_cand(const void *x, const void *y) {
  return cand_less(x, y) ? -1 : cand_less(y, x) ? 1 : 0;
}

/* From candidates sorted nearest first (distances to the node), up to max
** neighbours by the heuristic, into ids[]; *cnt their number.  With fill,
** the nearest of the candidates the heuristic passed over make up the
** number to max. */
static int select_neighbours(VectorAnn *a, const AnnCands *cands, int max, int fill, int64_t *ids, int *cnt) {
  int kept = 0;
  double alpha = a->meta.metric == VECTOR_ANN_DOT ? 1.0 : a->meta.alpha;
  if (ann_grow((void **)&a->kept, &a->keptcap, (size_t)max * a->vbytes, 1)) return LODE_NOMEM;
  for (int i = 0; i < cands->n && kept < max; i++) {
    const AnnCand *c = &cands->v[i];
    const uint8_t *b, *v;
    int n, good = 1, rc = get_node(a, c->id, &b, &n);
    if (rc) return rc;
    if (!b) continue;
    v = ann_node_vec(a, b, n);
    if (!v) return ann_error(a, LODE_CORRUPT, "vector_ann: malformed node for rowid %lld", (long long)c->id);
    for (int j = 0; j < kept && good; j++) {
      if (alpha * dist(a, v, a->kept + (size_t)j * a->vbytes) < c->d) good = 0;
    }
    if (!good) continue;
    memcpy(a->kept + (size_t)kept * a->vbytes, v, a->vbytes);
    ids[kept++] = c->id;
  }
  for (int i = 0; fill && i < cands->n && kept < max; i++) {
    int dup = 0;
    for (int j = 0; j < kept && !dup; j++) dup = ids[j] == cands->v[i].id;
    if (!dup) ids[kept++] = cands->v[i].id;
  }
  *cnt = kept;
  return LODE_OK;
}

/* Re-selects layer l of nd from its list plus extra[0..nextra) (ids other
** than nd itself, duplicates allowed). */
static int reselect(VectorAnn *a, AnnNode *nd, int l, const int64_t *extra, int nextra, int fill) {
  AnnCands *pool = &a->pool;
  int rc, n = nd->cnt[l];
  if (cands_reserve(pool, n + nextra)) return LODE_NOMEM;
  pool->n = 0;
  for (int i = 0; i < n + nextra; i++) {
    int64_t id = i < n ? nd->nb[l][i] : extra[i - n];
    int dup = id == nd->id, found;
    AnnCand c;
    for (int j = 0; j < pool->n && !dup; j++) dup = pool->v[j].id == id;
    if (dup) continue;
    rc = node_dist(a, nd->vec, id, &c.d, &found);
    if (rc) return rc;
    if (!found) continue;
    c.id = id;
    pool->v[pool->n++] = c;
  }
  qsort(pool->v, (size_t)pool->n, sizeof *pool->v, cmp_cand);
  return select_neighbours(a, pool, ann_cap(a, l), fill, nd->nb[l], &nd->cnt[l]);
}

/* Gives node id the edge to nd on layer l. */
static int link_back(VectorAnn *a, int64_t id, const AnnNode *nd, int l) {
  AnnNode *e = &a->ed;
  int found, rc = ann_node_load(a, id, e, &found);
  if (rc || !found || e->level < l) return rc;
  for (int i = 0; i < e->cnt[l]; i++) {
    if (e->nb[l][i] == nd->id) return LODE_OK;
  }
  if (e->cnt[l] < ann_cap(a, l)) e->nb[l][e->cnt[l]++] = nd->id;
  else if ((rc = reselect(a, e, l, &nd->id, 1, 0)) != LODE_OK) return rc;
  return ann_node_write(a, e);
}

/* ---- the operations --------------------------------------------------------------- */

/* Reads the metadata and checks it against the configuration. */
static int begin_op(VectorAnn *a) {
  AnnMeta *m = &a->meta;
  const VectorAnnConfig *c = &a->cfg;
  int present, rc;
  a->errmsg[0] = 0;
  if ((rc = ann_meta_read(a, &present)) != LODE_OK) return rc;
  if (!present) {
    m->metric = c->metric;
    m->type = c->type;
    m->dims = c->dims;
    m->m = c->m;
    m->top = 0;
    m->entry = 0;
    m->count = 0;
  } else {
    static const char *const metrics[] = {"", "cosine", "l2", "dot"};
    if (m->metric != c->metric)
      return ann_error(a, LODE_ERROR, "vector_ann: the index was built with metric '%s'", metrics[m->metric]);
    if (m->m != c->m) return ann_error(a, LODE_ERROR, "vector_ann: the index was built with m = %d", m->m);
    if (c->type && m->type && c->type != m->type)
      return ann_error(a, LODE_ERROR, "vector_ann: the index holds %s vectors",
                       m->type == VECTOR_ANN_F32 ? "float32" : "float64");
    if (c->dims && m->dims && c->dims != m->dims)
      return ann_error(a, LODE_ERROR, "vector_ann: the index holds vectors of %u dimensions", m->dims);
    if (!m->type) m->type = c->type;
    if (!m->dims) m->dims = c->dims;
  }
  m->ef_construction = c->ef_construction;
  m->seed = c->seed;
  m->alpha = c->alpha;
  a->vbytes = (size_t)m->dims * (m->type == VECTOR_ANN_F64 ? 8 : 4);
  if (a->idscap < ann_cap(a, 0)) {
    int64_t *ids = util_realloc(a->ids, (size_t)ann_cap(a, 0) * sizeof *ids);
    if (!ids) return LODE_NOMEM;
    a->ids = ids;
    a->idscap = ann_cap(a, 0);
  }
  return LODE_OK;
}

static const char *type_name(int t) { return t == VECTOR_ANN_F64 ? "float64" : "float32"; }

/* Checks a vector blob against the index (fixing its type and dims when
** they are still open) and copies its values to a->q. */
static int take_vector(VectorAnn *a, const void *blob, int n, const char *what) {
  const uint8_t *p = blob;
  int type = 0, esize;
  size_t len = n > 0 ? (size_t)n : 0;
  uint32_t dims;
  if (!p || n <= 0) return ann_error(a, LODE_ERROR, "vector_ann: %s is not a vector blob", what);
  if (len % 2 == 0) type = len % 4 == 0 ? VECTOR_ANN_F32 : 0;
  else if (p[len - 1] == 1 && (len - 1) % 4 == 0) type = VECTOR_ANN_F32, len--;
  else if (p[len - 1] == 2 && (len - 1) % 8 == 0) type = VECTOR_ANN_F64, len--;
  else if (p[len - 1] > 2) type = -1;
  if (type < 0 || len == 0)
    return ann_error(a, LODE_ERROR, "vector_ann: %s must be a float32 or float64 dense vector", what);
  if (type == 0) return ann_error(a, LODE_ERROR, "vector_ann: %s is a malformed vector blob", what);
  esize = type == VECTOR_ANN_F64 ? 8 : 4;
  if (len / (size_t)esize > VECTOR_ANN_MAX_DIMS)
    return ann_error(a, LODE_ERROR, "vector_ann: %s has more than %d dimensions", what, VECTOR_ANN_MAX_DIMS);
  dims = (uint32_t)(len / (size_t)esize);
  if (a->meta.type && a->meta.type != type)
    return ann_error(a, LODE_ERROR, "vector_ann: %s is a %s vector, the index holds %s vectors", what,
                     type_name(type), type_name(a->meta.type));
  if (a->meta.dims && a->meta.dims != dims)
    return ann_error(a, LODE_ERROR, "vector_ann: %s has %u dimensions, the index's vectors %u", what, dims,
                     a->meta.dims);
  for (size_t i = 0; i < dims; i++) {
    double v;
    if (type == VECTOR_ANN_F64) {
      uint64_t u = ann_get64(p + 8 * i);
      memcpy(&v, &u, 8);
    } else {
      uint32_t u = ann_get32(p + 4 * i);
      float f;
      memcpy(&f, &u, 4);
      v = f;
    }
    if (!isfinite(v)) return ann_error(a, LODE_ERROR, "vector_ann: %s holds NaN or infinity", what);
  }
  if (ann_grow((void **)&a->q, &a->qcap, len, 1)) return LODE_NOMEM;
  memcpy(a->q, p, len);
  a->meta.type = type;
  a->meta.dims = dims;
  a->vbytes = len;
  return LODE_OK;
}

static uint64_t mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/* A node's level: geometric with ratio 1/m, as HNSW draws it, from a hash. */
static int node_level(const VectorAnn *a, int64_t rowid) {
  uint64_t h = mix64(a->meta.seed ^ mix64((uint64_t)rowid));
  double u = ((double)(h >> 11) + 0.5) / 9007199254740992.0;
  double lv = -log(u) / log((double)a->meta.m);
  return lv >= VECTOR_ANN_MAX_LEVEL ? VECTOR_ANN_MAX_LEVEL : (int)lv;
}

/* Removes node id (present or not) and repairs its neighbourhood; updates
** a->meta without writing it. */
static int delete_node(VectorAnn *a, int64_t id) {
  AnnNode *p = &a->pn, *e = &a->ed;
  int found, rc = ann_node_load(a, id, p, &found);
  if (rc || !found) return rc;
  for (int l = 0; l <= p->level; l++) {
    for (int i = 0; i < p->cnt[l]; i++) {
      int at = -1;
      rc = ann_node_load(a, p->nb[l][i], e, &found);
      if (rc) return rc;
      if (!found || e->level < l) continue;
      for (int j = 0; j < e->cnt[l]; j++) {
        if (e->nb[l][j] == id) at = j;
      }
      if (at < 0) continue;
      e->nb[l][at] = e->nb[l][--e->cnt[l]];
      rc = reselect(a, e, l, p->nb[l], p->cnt[l], 1);
      if (rc == LODE_OK) rc = ann_node_write(a, e);
      if (rc) return rc;
    }
  }
  rc = a->store.del(a->store.ctx, VECTOR_ANN_NODES, id);
  if (rc) return rc;
  if (--a->meta.count <= 0) {
    a->meta.count = 0;
    a->meta.entry = 0;
    a->meta.top = 0;
    return LODE_OK;
  }
  if (a->meta.entry != id) return LODE_OK;
  /* the new entry point: the neighbour of the highest level on the deleted
  ** node's highest layer that has one; else any node */
  found = 0;
  for (int l = p->level; l >= 0 && !found; l--) {
    for (int i = 0; i < p->cnt[l]; i++) {
      const uint8_t *b;
      int n;
      rc = get_node(a, p->nb[l][i], &b, &n);
      if (rc) return rc;
      if (!b || n < 2 || b[1] > VECTOR_ANN_MAX_LEVEL) continue;
      if (!found || b[1] > a->meta.top) {
        a->meta.entry = p->nb[l][i];
        a->meta.top = b[1];
      }
      found = 1;
    }
  }
  if (!found) {
    const uint8_t *b;
    int n;
    rc = a->store.seek(a->store.ctx, VECTOR_ANN_NODES, INT64_MIN, &found, &a->meta.entry);
    if (rc == LODE_OK && found) rc = get_node(a, a->meta.entry, &b, &n);
    if (rc) return rc;
    a->meta.top = found && b && n >= 2 && b[1] <= VECTOR_ANN_MAX_LEVEL ? b[1] : 0;
  }
  return LODE_OK;
}

int vector_ann_insert(VectorAnn *a, int64_t rowid, const void *vec, int n) {
  AnnNode *nd = &a->nn;
  const uint8_t *b;
  int rc, bn, level, top;
  if ((rc = begin_op(a)) != LODE_OK) return rc;
  if ((rc = take_vector(a, vec, n, "the inserted value")) != LODE_OK) return rc;
  rc = get_node(a, rowid, &b, &bn);
  if (rc == LODE_OK && b) rc = delete_node(a, rowid);
  if (rc) return rc;
  level = node_level(a, rowid);
  if ((rc = ann_node_reset(a, nd, rowid, level)) != LODE_OK) return rc;
  memcpy(nd->vec, a->q, a->vbytes);
  top = a->meta.top;
  if (a->meta.count > 0) {
    /* find every layer's neighbours before writing anything */
    if ((rc = entry_point(a, nd->vec)) != LODE_OK) return rc;
    if (a->ep.n > 0) {
      int efc = a->meta.ef_construction > a->meta.m ? a->meta.ef_construction : a->meta.m;
      if ((rc = descend(a, nd->vec, level)) != LODE_OK) return rc;
      for (int l = level < top ? level : top; l >= 0; l--) {
        if ((rc = search_layer(a, nd->vec, &a->ep, efc, l, &a->res)) != LODE_OK) return rc;
        rc = select_neighbours(a, &a->res, a->meta.m, 0, nd->nb[l], &nd->cnt[l]);
        if (rc) return rc;
        if (a->res.n > 0) swap_cands(&a->ep, &a->res);
      }
    }
  }
  if ((rc = ann_node_write(a, nd)) != LODE_OK) return rc;
  for (int l = 0; l <= level; l++) {
    for (int i = 0; i < nd->cnt[l]; i++) {
      if ((rc = link_back(a, nd->nb[l][i], nd, l)) != LODE_OK) return rc;
    }
  }
  if (a->meta.count == 0 || level > top) {
    a->meta.entry = rowid;
    a->meta.top = level;
  }
  a->meta.count++;
  return ann_meta_write(a);
}

int vector_ann_delete(VectorAnn *a, int64_t rowid) {
  const uint8_t *b;
  int n, rc;
  if ((rc = begin_op(a)) != LODE_OK) return rc;
  if ((rc = get_node(a, rowid, &b, &n)) != LODE_OK || !b) return rc;
  if ((rc = delete_node(a, rowid)) != LODE_OK) return rc;
  return ann_meta_write(a);
}

int vector_ann_search(VectorAnn *a, const void *query, int n, int k, int width, int64_t *rowids, double *dists,
                      int *count) {
  int rc, ef;
  *count = 0;
  if (k < 0 || width < 0) return ann_error(a, LODE_MISUSE, "vector_ann: negative k or width");
  if ((rc = begin_op(a)) != LODE_OK) return rc;
  if ((rc = take_vector(a, query, n, "the query vector")) != LODE_OK) return rc;
  if (a->meta.count == 0 || k == 0) return LODE_OK;
  ef = width ? width : a->cfg.ef_search;
  if (ef < k) ef = k;
  if ((rc = entry_point(a, a->q)) != LODE_OK) return rc;
  if (a->ep.n == 0) return LODE_OK;
  if ((rc = descend(a, a->q, 0)) != LODE_OK) return rc;
  if ((rc = search_layer(a, a->q, &a->ep, ef, 0, &a->res)) != LODE_OK) return rc;
  for (int i = 0; i < a->res.n && i < k; i++) {
    rowids[i] = a->res.v[i].id;
    dists[i] = a->res.v[i].d;
    ++*count;
  }
  return LODE_OK;
}

int vector_ann_check(VectorAnn *a, int64_t *nodes) {
  int64_t key = INT64_MIN;
  int rc, found;
  *nodes = 0;
  if ((rc = begin_op(a)) != LODE_OK) return rc;
  for (;;) {
    const uint8_t *b;
    int n, level, cnt;
    rc = a->store.seek(a->store.ctx, VECTOR_ANN_NODES, key, &found, &key);
    if (rc || !found) break;
    if ((rc = get_node(a, key, &b, &n)) != LODE_OK) return rc;
    if (!b) return ann_error(a, LODE_CORRUPT, "vector_ann: rowid %lld found by seek but not by get", (long long)key);
    if ((rc = ann_node_layer(a, key, b, n, 0, &level, &cnt)) != LODE_OK) return rc;
    ++*nodes;
    if (key == INT64_MAX) break;
    key++;
  }
  if (rc) return rc;
  if (*nodes != a->meta.count)
    return ann_error(a, LODE_CORRUPT, "vector_ann: %lld nodes, the metadata counts %lld", (long long)*nodes,
                     (long long)a->meta.count);
  return LODE_OK;
}

int vector_ann_stats(VectorAnn *a, int64_t *count, int *top_level) {
  int rc = begin_op(a);
  *count = rc ? 0 : a->meta.count;
  *top_level = rc ? 0 : a->meta.top;
  return rc;
}

const char *vector_ann_errmsg(const VectorAnn *a) { return a->errmsg; }

int vector_ann_open(const VectorAnnStore *store, const VectorAnnConfig *cfg, VectorAnn **out) {
  VectorAnn *a;
  *out = NULL;
  if (!store || !store->get || !store->put || !store->del || !store->seek || !cfg) return LODE_MISUSE;
  if (cfg->metric < VECTOR_ANN_COSINE || cfg->metric > VECTOR_ANN_DOT || cfg->type < 0 ||
      cfg->type > VECTOR_ANN_F64 || cfg->dims > VECTOR_ANN_MAX_DIMS || cfg->m < 2 || cfg->m > 100 ||
      cfg->ef_construction < 1 || cfg->ef_construction > 10000 || cfg->ef_search < 1 ||
      cfg->ef_search > VECTOR_ANN_MAX_WIDTH || !(cfg->alpha >= 1.0 && cfg->alpha <= 4.0))
    return LODE_MISUSE;
  a = util_zalloc(sizeof *a);
  if (!a) return LODE_NOMEM;
  a->store = *store;
  a->cfg = *cfg;
  a->k = vector_kernels_best();
  *out = a;
  return LODE_OK;
}

void vector_ann_close(VectorAnn *a) {
  if (!a) return;
  ann_node_free(&a->nn);
  ann_node_free(&a->pn);
  ann_node_free(&a->ed);
  util_free(a->vis.keys);
  util_free(a->vis.stamp);
  util_free(a->heap_c.v);
  util_free(a->heap_w.v);
  util_free(a->res.v);
  util_free(a->ep.v);
  util_free(a->pool.v);
  util_free(a->ids);
  util_free(a->kept);
  util_free(a->enc);
  util_free(a->q);
  util_free(a);
}
