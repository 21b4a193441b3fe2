/*
** vector.c — the SQL functions of vector search and their registration.
**
** Arguments: a vector is a BLOB in a layout of vector.h or, where Turso
** takes one too, vector text (read as float32).  NULL gives NULL.  Anything
** else, a malformed blob or text, NaN or Infinity, two vectors of different
** types or dimensions give LODE_ERROR with a message naming the function.
** A dense vector may be empty ('[]', built and shown as Turso does); an
** empty sparse, float8 or float1bit vector, an empty slice and a distance
** between empty vectors are errors.
**
** Distances, per type (Turso's definitions, and its numbers within
** rounding):
**   float32/float64  cos = 1 - a.b / (|a| |b|) clamped to [0, 2], with
**                    0 when both vectors are zero and 1 when only one is
**                    (a.b = 0); l2 = |a - b|; dot = -a.b; all three through
**                    the kernels (double sums; f32 cos and l2 add four
**                    terms at a time in f32 first: vector.h).  jaccard (weighted:
**                    1 - sum min(a_i, b_i) / sum max(a_i, b_i)) sums in the
**                    vector's own precision in element order, as Turso
**                    does, and is NULL when the sum of maxima is 0.
**   float32 sparse   the same over the union of the non-zero indexes, f32
**                    sums in index order (dot: f64); cos is NULL when a
**                    vector is zero.
**   float8           on the dequantized values (cos and dot from integer
**                    sums of q); cos NULL when a vector is zero.
**   float1bit        cos = number of differing bits (Hamming), dot =
**                    -(dims - 2 * Hamming), jaccard over the set bits (NULL
**                    when none is set), l2 an error.
** A result that is NaN for lack of NaN in the input (0/0) is NULL.
*/
#include <math.h>
#include <string.h>

#include "ext/vector/vector_int.h"

#define ERRBUF 160

typedef struct VecArg {
  Vec v;
  uint8_t *owned; /* the blob built from vector text */
  int owned_len;
} VecArg;

static void fail(FuncContext *ctx, int rc, const char *fname, const char *msg) {
  ctx->rc = rc;
  util_free(ctx->errmsg);
  ctx->errmsg = rc == LODE_NOMEM ? NULL : util_mprintf("%s: %s", fname, msg);
}

static void result_blob(FuncContext *ctx, uint8_t *p, int n) {
  /* takes p */
  if (mem_set_blob(ctx->out, p, n, MEM_DYN) != LODE_OK) fail(ctx, LODE_NOMEM, "", "");
  util_free(p);
}

static void result_real(FuncContext *ctx, double r) {
  if (isnan(r)) mem_set_null(ctx->out);
  else mem_set_real(ctx->out, r);
}

/* Decodes m as a vector into a: 1 done, 0 NULL, -1 failed (ctx set).
** Text is read as float32 vector text. */
static int decode_arg(FuncContext *ctx, const char *fname, Mem *m, VecArg *a) {
  char err[ERRBUF];
  a->owned = NULL;
  if (m->type == MEM_NULL) return 0;
  if (m->type == MEM_TEXT) {
    double *vals;
    uint32_t dims;
    int len, rc;
    const char *msg = NULL;
    rc = vec_parse_text(m->z, m->n, 0, &vals, &dims, &msg);
    if (rc == LODE_OK) {
      rc = vec_build(VEC_F32, vals, dims, &a->owned, &len, &msg);
      util_free(vals);
    }
    if (rc != LODE_OK) return fail(ctx, rc, fname, msg), -1;
    a->owned_len = len;
    if (vec_decode(a->owned, len, &a->v, err, sizeof err) != LODE_OK) {
      util_free(a->owned);
      return fail(ctx, LODE_ERROR, fname, err), -1;
    }
    return 1;
  }
  if (m->type != MEM_BLOB) return fail(ctx, LODE_ERROR, fname, "a vector must be a BLOB or vector text"), -1;
  if (vec_decode((const uint8_t *)m->z, m->n, &a->v, err, sizeof err) != LODE_OK)
    return fail(ctx, LODE_ERROR, fname, err), -1;
  return 1;
}

/* A constant argument decoded once per run of the statement (auxiliary
** data): its own copy of the blob, since a bound parameter's bytes may be
** the caller's, and whether its values are finite. */
typedef struct VecConst {
  Vec v;
  int finite;
  uint8_t *blob;
  double sumsq; /* float32: vector_sumsq_f32 of the values, for cos_known_f32 */
} VecConst;

static void vec_const_free(void *p) {
  VecConst *c = p;
  util_free(c->blob);
  util_free(c);
}

/* Keeps a copy of constant argument i as decode_arg read it (bytes: the
** blob, or the one built from vector text).  An error or NULL is not kept:
** it ends the call or gives NULL anyway.  Out of memory here only loses
** the cache. */
static void keep_const(FuncContext *ctx, int i, const uint8_t *bytes, int n) {
  VecConst *c = util_zalloc(sizeof *c);
  char err[ERRBUF];
  if (!c || !(c->blob = util_malloc((size_t)n))) {
    util_free(c);
    return;
  }
  memcpy(c->blob, bytes, (size_t)n);
  if (vec_decode(c->blob, n, &c->v, err, sizeof err) != LODE_OK) {
    vec_const_free(c);
    return;
  }
  c->finite = vec_finite(&c->v);
  if (c->v.type == VEC_F32) c->sumsq = vector_sumsq_f32(c->v.data, c->v.dims);
  func_set_auxdata(ctx, i, c, vec_const_free);
}

/* Reads argument i as a vector: 1 done, 0 NULL, -1 failed (ctx set).  An
** argument constant for the run (a literal, a bound query vector) is
** decoded at its first call only.  *finite: -1 unknown, else whether every
** value is finite. */
static int arg_vector(FuncContext *ctx, const char *fname, Mem **argv, int i, VecArg *a, int *finite) {
  int r;
  *finite = -1;
  if (ctx->const_args >> i & 1) {
    const VecConst *c = func_get_auxdata(ctx, i);
    if (c) {
      a->v = c->v;
      a->owned = NULL;
      *finite = c->finite;
      return 1;
    }
  }
  r = decode_arg(ctx, fname, argv[i], a);
  if (r > 0 && (ctx->const_args >> i & 1))
    keep_const(ctx, i, a->owned ? a->owned : (const uint8_t *)argv[i]->z, a->owned ? a->owned_len : argv[i]->n);
  return r;
}

static const char nonfinite[] = "vector values must be finite numbers (no NaN or Infinity)";

/* ---- constructors ---------------------------------------------------------------- */

/* v's values as doubles (util_malloc'd), for a conversion to type. */
static int expand(const Vec *v, int type, double **out) {
  uint32_t pos = 0;
  double *vals;
  if (v->dims > VEC_MAX_DENSE_DIMS) return LODE_TOOBIG;
  vals = util_malloc((size_t)v->dims * sizeof *vals);
  if (!vals) return LODE_NOMEM;
  for (uint32_t i = 0; i < v->dims; i++) vals[i] = vec_value(v, i, &pos);
  if (v->type == VEC_F8 && type == VEC_F64) /* dequantized in double precision, as Turso does */
    for (uint32_t i = 0; i < v->dims; i++) vals[i] = (double)v->alpha * v->data[i] + (double)v->shift;
  *out = vals;
  return LODE_OK;
}

static void construct(FuncContext *ctx, Mem *m, int type, const char *fname) {
  double *vals = NULL;
  uint32_t dims = 0;
  uint8_t *blob = NULL;
  int len = 0, rc;
  const char *msg = NULL;
  char err[ERRBUF];
  if (m->type == MEM_NULL) return;
  if (m->type == MEM_TEXT) {
    rc = vec_parse_text(m->z, m->n, type == VEC_F64, &vals, &dims, &msg);
  } else if (m->type == MEM_BLOB) {
    Vec v;
    if (vec_decode((const uint8_t *)m->z, m->n, &v, err, sizeof err) != LODE_OK) { fail(ctx, LODE_ERROR, fname, err); return; }
    if (!vec_finite(&v)) { fail(ctx, LODE_ERROR, fname, nonfinite); return; }
    if (v.type == type && type != VEC_F32) {
      /* already in its one layout: a copy */
      blob = util_malloc((size_t)m->n);
      if (!blob) { fail(ctx, LODE_NOMEM, fname, ""); return; }
      memcpy(blob, m->z, (size_t)m->n);
      { result_blob(ctx, blob, m->n); return; }
    }
    if (v.type == VEC_F32) {
      /* float32 may carry a type byte; what is written never does */
      blob = util_malloc(4 * (size_t)v.dims + 1);
      if (!blob) { fail(ctx, LODE_NOMEM, fname, ""); return; }
      memcpy(blob, v.data, 4 * (size_t)v.dims);
      if (type == VEC_F32) { result_blob(ctx, blob, 4 * (int)v.dims); return; }
      util_free(blob);
      blob = NULL;
    }
    rc = expand(&v, type, &vals);
    dims = v.dims;
    msg = "vector too big";
  } else {
    { fail(ctx, LODE_ERROR, fname, "a vector must be a BLOB or vector text"); return; }
  }
  if (rc == LODE_OK) rc = vec_build(type, vals, dims, &blob, &len, &msg);
  util_free(vals);
  if (rc != LODE_OK) { fail(ctx, rc, fname, msg); return; }
  result_blob(ctx, blob, len);
}

static void fn_vector32(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  construct(ctx, argv[0], VEC_F32, "vector32");
}
static void fn_vector(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  construct(ctx, argv[0], VEC_F32, "vector");
}
static void fn_vector64(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  construct(ctx, argv[0], VEC_F64, "vector64");
}
static void fn_vector32_sparse(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  construct(ctx, argv[0], VEC_F32_SPARSE, "vector32_sparse");
}
static void fn_vector8(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  construct(ctx, argv[0], VEC_F8, "vector8");
}
static void fn_vector1bit(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  construct(ctx, argv[0], VEC_1BIT, "vector1bit");
}

static void fn_vector_extract(FuncContext *ctx, int argc, Mem **argv) {
  Vec v;
  char err[ERRBUF];
  StrBuf b;
  size_t n;
  char *z;
  (void)argc;
  if (argv[0]->type == MEM_NULL) return;
  if (argv[0]->type != MEM_BLOB) { fail(ctx, LODE_ERROR, "vector_extract", "a vector must be a BLOB"); return; }
  if (vec_decode((const uint8_t *)argv[0]->z, argv[0]->n, &v, err, sizeof err) != LODE_OK)
    { fail(ctx, LODE_ERROR, "vector_extract", err); return; }
  strbuf_init(&b);
  vec_render(&v, &b);
  n = b.n;
  if (n > 1000000000) {
    strbuf_reset(&b);
    { fail(ctx, LODE_TOOBIG, "vector_extract", "string or blob too big"); return; }
  }
  z = strbuf_finish(&b);
  if (!z) { fail(ctx, LODE_NOMEM, "", ""); return; }
  mem_take_text(ctx->out, z, (int)n);
}

/* ---- distances ------------------------------------------------------------------- */

#define M_COS 0
#define M_L2 1
#define M_DOT 2
#define M_JACCARD 3

static double cos_of(double ab, double aa, double bb, int f64) {
  double r;
  if (aa == 0 && bb == 0) return 0.0;
  if (ab == 0) return 1.0;
  r = 1.0 - ab / (f64 ? sqrt(aa) * sqrt(bb) : sqrt(aa * bb));
  return r < 0 ? 0.0 : r > 2 ? 2.0 : r;
}

static double dense_jaccard(const Vec *a, const Vec *b) {
  if (a->type == VEC_F64) {
    double lo = 0, hi = 0;
    for (uint32_t i = 0; i < a->dims; i++) {
      double x = vec_ld_f64(a->data + 8 * (size_t)i), y = vec_ld_f64(b->data + 8 * (size_t)i);
      lo += x < y ? x : y;
      hi += x < y ? y : x;
    }
    return hi == 0 ? NAN : 1.0 - lo / hi;
  } else {
    float lo = 0, hi = 0;
    for (uint32_t i = 0; i < a->dims; i++) {
      float x = vec_ld_f32(a->data + 4 * (size_t)i), y = vec_ld_f32(b->data + 4 * (size_t)i);
      lo += x < y ? x : y;
      hi += x < y ? y : x;
    }
    return hi == 0 ? NAN : 1.0 - (double)(lo / hi);
  }
}

static inline double dense_distance(const VectorKernels *k, int metric, const Vec *a, const Vec *b) {
  int f64 = a->type == VEC_F64;
  double s[3];
  size_t n = a->dims;
  switch (metric) {
  case M_COS:
    (f64 ? k->cos_f64 : k->cos_f32)(a->data, b->data, n, s);
    return cos_of(s[0], s[1], s[2], f64);
  case M_L2: return sqrt((f64 ? k->l2sq_f64 : k->l2sq_f32)(a->data, b->data, n));
  case M_DOT: return -(f64 ? k->dot_f64 : k->dot_f32)(a->data, b->data, n);
  default: return dense_jaccard(a, b);
  }
}

/* Walks the union of two sparse vectors' indexes in order: x and y are the
** values there (0 where one has none).  Returns 0 at the end. */
typedef struct SparseWalk {
  const Vec *a, *b;
  uint32_t i, j;
} SparseWalk;

static int sparse_next(SparseWalk *w, float *x, float *y) {
  const Vec *a = w->a, *b = w->b;
  int has_a = w->i < a->nnz, has_b = w->j < b->nnz;
  uint32_t ia, ib;
  if (!has_a && !has_b) return 0;
  ia = has_a ? vec_ld_u32(a->idx + 4 * (size_t)w->i) : UINT32_MAX;
  ib = has_b ? vec_ld_u32(b->idx + 4 * (size_t)w->j) : UINT32_MAX;
  *x = has_a && (!has_b || ia <= ib) ? vec_ld_f32(a->data + 4 * (size_t)w->i++) : 0.0f;
  *y = has_b && (!has_a || ib <= ia) ? vec_ld_f32(b->data + 4 * (size_t)w->j++) : 0.0f;
  return 1;
}

static double sparse_distance(int metric, const Vec *a, const Vec *b) {
  SparseWalk w = {a, b, 0, 0};
  float x, y, f0 = 0, f1 = 0, f2 = 0;
  double dot = 0;
  switch (metric) {
  case M_COS:
    while (sparse_next(&w, &x, &y)) {
      f0 += x * y;
      f1 += x * x;
      f2 += y * y;
    }
    return f1 == 0 || f2 == 0 ? NAN : (double)(1.0f - f0 / sqrtf(f1 * f2));
  case M_L2:
    while (sparse_next(&w, &x, &y)) f0 += (x - y) * (x - y);
    return sqrt((double)f0);
  case M_DOT:
    while (sparse_next(&w, &x, &y)) dot += (double)x * (double)y;
    return -dot;
  default:
    while (sparse_next(&w, &x, &y)) {
      f0 += x < y ? x : y;
      f1 += x < y ? y : x;
    }
    return f1 == 0 ? NAN : 1.0 - (double)(f0 / f1);
  }
}

int vector_sparse_positions(const void *blob, int n, const uint8_t **idx, uint32_t *nnz) {
  Vec v;
  char err[96];
  if (!blob || vec_decode(blob, n, &v, err, sizeof err) != 0 || v.type != VEC_F32_SPARSE) return -1;
  *idx = v.idx;
  *nnz = v.nnz;
  return 0;
}

int vector_sparse_jaccard(const void *a, int na, const void *b, int nb, double *out) {
  Vec x, y;
  char err[96];
  if (!a || !b || vec_decode(a, na, &x, err, sizeof err) != 0 || vec_decode(b, nb, &y, err, sizeof err) != 0) return -1;
  if (x.type != VEC_F32_SPARSE || y.type != VEC_F32_SPARSE || x.dims != y.dims) return -1;
  if (!vec_finite(&x) || !vec_finite(&y)) return -1;
  *out = sparse_distance(M_JACCARD, &x, &y);
  return 0;
}

static double f8_distance(int metric, const Vec *a, const Vec *b) {
  double a1 = a->alpha, a2 = b->alpha, s1 = a->shift, s2 = b->shift, d = a->dims;
  if (metric == M_COS || metric == M_DOT) {
    uint64_t sum1 = 0, sum2 = 0, sq1 = 0, sq2 = 0, dq = 0;
    double dot, n1, n2;
    for (uint32_t i = 0; i < a->dims; i++) {
      uint64_t q1 = a->data[i], q2 = b->data[i];
      sum1 += q1;
      sum2 += q2;
      sq1 += q1 * q1;
      sq2 += q2 * q2;
      dq += q1 * q2;
    }
    dot = a1 * a2 * (double)dq + a1 * s2 * (double)sum1 + a2 * s1 * (double)sum2 + s1 * s2 * d;
    if (metric == M_DOT) return -dot;
    n1 = a1 * a1 * (double)sq1 + 2.0 * a1 * s1 * (double)sum1 + s1 * s1 * d;
    n2 = a2 * a2 * (double)sq2 + 2.0 * a2 * s2 * (double)sum2 + s2 * s2 * d;
    return 1.0 - dot / sqrt(n1 * n2);
  } else {
    double acc = 0, hi = 0;
    for (uint32_t i = 0; i < a->dims; i++) {
      double x = a1 * a->data[i] + s1, y = a2 * b->data[i] + s2;
      if (metric == M_L2) {
        acc += (x - y) * (x - y);
      } else {
        acc += x < y ? x : y;
        hi += x < y ? y : x;
      }
    }
    if (metric == M_L2) return sqrt(acc);
    return hi == 0 ? NAN : 1.0 - acc / hi;
  }
}

static double bit_distance(int metric, const Vec *a, const Vec *b) {
  uint32_t nbytes = (a->dims + 7) / 8, differ = 0, both = 0, either = 0;
  for (uint32_t i = 0; i < nbytes; i++) {
    unsigned mask = i + 1 < nbytes || a->dims % 8 == 0 ? 0xffu : (1u << (a->dims % 8)) - 1;
    unsigned x = a->data[i] & mask, y = b->data[i] & mask;
    for (unsigned t = x ^ y; t; t &= t - 1) differ++;
    for (unsigned t = x & y; t; t &= t - 1) both++;
    for (unsigned t = x | y; t; t &= t - 1) either++;
  }
  if (metric == M_COS) return differ;
  if (metric == M_DOT) return -((double)a->dims - 2.0 * differ);
  return either == 0 ? NAN : 1.0 - (double)both / either;
}

/* Whether v's values are finite; known: arg_vector's *finite. */
static int known_finite(const Vec *v, int known) { return known >= 0 ? known : vec_finite(v); }

/* The scan's case, in a few instructions a row: a float32 or float64 blob
** (a table's column) against a constant vector decoded at the first call.
** 1 done; 0 for the general path (which also reports errors). */
static inline __attribute__((always_inline)) int distance_to_const(FuncContext *ctx, Mem **argv, int metric) {
  int k = ctx->const_args & 2 ? 1 : 0; /* the constant one */
  const VecConst *c;
  const Mem *m = argv[1 - k];
  Vec v;
  double r;
  if (m->type != MEM_BLOB || !(c = func_get_auxdata(ctx, k)) || !c->finite) return 0;
  if (c->v.type == VEC_F32 ? m->n != 4 * (int64_t)c->v.dims
                           : c->v.type != VEC_F64 || m->n != 8 * (int64_t)c->v.dims + 1 || m->z[m->n - 1] != VEC_F64)
    return 0;
  v = c->v;
  v.data = (const uint8_t *)m->z;
  if (metric == M_COS && v.type == VEC_F32) {
    /* the constant's b.b summed once: cos_f32's three sums, bit for bit, in either order */
    double s[3];
    ((const VectorKernels *)ctx->user_data)->cos_known_f32(v.data, c->v.data, v.dims, c->sumsq, s);
    r = cos_of(s[0], s[1], s[2], 0);
  } else {
    r = k ? dense_distance(ctx->user_data, metric, &v, &c->v) : dense_distance(ctx->user_data, metric, &c->v, &v);
  }
  if (!isfinite(r)) return 0; /* a NaN or infinity in m, or an overflow: the general path tells which */
  mem_set_real(ctx->out, r);
  return 1;
}

/* Exactly one of the two arguments is constant for the run. */
#define ONE_CONST(ctx) (((ctx)->const_args & 3) == 1 || ((ctx)->const_args & 3) == 2)

static __attribute__((noinline)) void distance(FuncContext *ctx, Mem **argv, int metric, const char *fname) {
  VecArg a, b;
  int ra, rb, fa, fb;
  double r;
  ra = arg_vector(ctx, fname, argv, 0, &a, &fa);
  if (ra < 0) return;
  rb = arg_vector(ctx, fname, argv, 1, &b, &fb);
  if (ra == 0 || rb <= 0) goto done;
  if (a.v.type != b.v.type) {
    char *msg = util_mprintf("vectors must be of the same type (%s and %s)", vec_type_name(a.v.type),
                             vec_type_name(b.v.type));
    fail(ctx, msg ? LODE_ERROR : LODE_NOMEM, fname, msg);
    util_free(msg);
    goto done;
  }
  if (a.v.dims != b.v.dims) {
    char *msg = util_mprintf("vectors must have the same dimensions (%u and %u)", a.v.dims, b.v.dims);
    fail(ctx, msg ? LODE_ERROR : LODE_NOMEM, fname, msg);
    util_free(msg);
    goto done;
  }
  if (a.v.dims == 0) { /* no distance between vectors of no dimensions */
    fail(ctx, LODE_ERROR, fname, "empty vectors are not supported");
    goto done;
  }
  /* jaccard's min/max would pass over a NaN: check before; elsewhere a
  ** non-finite value always shows in the result, so check only then */
  if ((metric == M_JACCARD || a.v.type == VEC_F32_SPARSE || a.v.type == VEC_F8) &&
      (!known_finite(&a.v, fa) || !known_finite(&b.v, fb))) {
    fail(ctx, LODE_ERROR, fname, nonfinite);
    goto done;
  }
  switch (a.v.type) {
  case VEC_F32:
  case VEC_F64: r = dense_distance(ctx->user_data, metric, &a.v, &b.v); break;
  case VEC_F32_SPARSE: r = sparse_distance(metric, &a.v, &b.v); break;
  case VEC_F8: r = f8_distance(metric, &a.v, &b.v); break;
  default:
    if (metric == M_L2) {
      fail(ctx, LODE_ERROR, fname, "not supported for float1bit vectors");
      goto done;
    }
    r = bit_distance(metric, &a.v, &b.v);
    break;
  }
  if (!isfinite(r) && (!known_finite(&a.v, fa) || !known_finite(&b.v, fb))) fail(ctx, LODE_ERROR, fname, nonfinite);
  else result_real(ctx, r);
done:
  util_free(a.owned);
  util_free(b.owned);
}

static void fn_distance_cos(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  if (ONE_CONST(ctx) && distance_to_const(ctx, argv, M_COS)) return;
  distance(ctx, argv, M_COS, "vector_distance_cos");
}
static void fn_distance_l2(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  if (ONE_CONST(ctx) && distance_to_const(ctx, argv, M_L2)) return;
  distance(ctx, argv, M_L2, "vector_distance_l2");
}
static void fn_distance_dot(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  if (ONE_CONST(ctx) && distance_to_const(ctx, argv, M_DOT)) return;
  distance(ctx, argv, M_DOT, "vector_distance_dot");
}
static void fn_distance_jaccard(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  distance(ctx, argv, M_JACCARD, "vector_distance_jaccard");
}

/* ---- concat and slice ------------------------------------------------------------ */

/* The element size of a type whose values can be cut and joined bytewise. */
static int cuttable(FuncContext *ctx, const char *fname, const Vec *v) {
  if (v->type == VEC_F8 || v->type == VEC_1BIT) {
    fail(ctx, LODE_ERROR, fname, "not supported for float8 and float1bit vectors");
    return 0;
  }
  if (!vec_finite(v)) {
    fail(ctx, LODE_ERROR, fname, nonfinite);
    return 0;
  }
  return v->type == VEC_F64 ? 8 : 4;
}

/* A sparse blob of nnz entries taken from (values, indexes) pairs. */
static uint8_t *sparse_blob(uint32_t nnz, uint32_t dims, int64_t *size) {
  uint8_t *p;
  *size = vec_blob_size(VEC_F32_SPARSE, dims, nnz);
  if (*size < 0 || !(p = util_malloc((size_t)*size))) return NULL;
  p[0 + *size - 5] = (uint8_t)dims;
  p[1 + *size - 5] = (uint8_t)(dims >> 8);
  p[2 + *size - 5] = (uint8_t)(dims >> 16);
  p[3 + *size - 5] = (uint8_t)(dims >> 24);
  p[*size - 1] = VEC_F32_SPARSE;
  return p;
}

static void sparse_put(uint8_t *p, uint32_t nnz, uint32_t k, const uint8_t *val, uint32_t idx) {
  memcpy(p + 4 * (size_t)k, val, 4);
  p[4 * (size_t)(nnz + k)] = (uint8_t)idx;
  p[4 * (size_t)(nnz + k) + 1] = (uint8_t)(idx >> 8);
  p[4 * (size_t)(nnz + k) + 2] = (uint8_t)(idx >> 16);
  p[4 * (size_t)(nnz + k) + 3] = (uint8_t)(idx >> 24);
}

static void concat_sparse(FuncContext *ctx, const Vec *a, const Vec *b) {
  int64_t size;
  uint32_t nnz = a->nnz + b->nnz;
  uint8_t *p;
  if ((uint64_t)a->dims + b->dims > UINT32_MAX) { fail(ctx, LODE_TOOBIG, "vector_concat", "vector too big"); return; }
  p = sparse_blob(nnz, a->dims + b->dims, &size);
  if (!p) { fail(ctx, size < 0 ? LODE_TOOBIG : LODE_NOMEM, "vector_concat", "vector too big"); return; }
  for (uint32_t k = 0; k < a->nnz; k++) sparse_put(p, nnz, k, a->data + 4 * (size_t)k, vec_ld_u32(a->idx + 4 * (size_t)k));
  /* the second vector's dimensions follow the first's */
  for (uint32_t k = 0; k < b->nnz; k++)
    sparse_put(p, nnz, a->nnz + k, b->data + 4 * (size_t)k, a->dims + vec_ld_u32(b->idx + 4 * (size_t)k));
  result_blob(ctx, p, (int)size);
}

static void fn_vector_concat(FuncContext *ctx, int argc, Mem **argv) {
  VecArg a, b;
  int ra, rb, es, fa, fb;
  (void)argc;
  ra = arg_vector(ctx, "vector_concat", argv, 0, &a, &fa);
  if (ra < 0) return;
  rb = arg_vector(ctx, "vector_concat", argv, 1, &b, &fb);
  if (ra == 0 || rb <= 0) goto done;
  if (a.v.type != b.v.type) {
    fail(ctx, LODE_ERROR, "vector_concat", "vectors must be of the same type");
    goto done;
  }
  if (!(es = cuttable(ctx, "vector_concat", &a.v)) || !cuttable(ctx, "vector_concat", &b.v)) goto done;
  if (a.v.type == VEC_F32_SPARSE) {
    concat_sparse(ctx, &a.v, &b.v);
  } else {
    uint64_t dims = (uint64_t)a.v.dims + b.v.dims;
    int64_t size = dims > VEC_MAX_DENSE_DIMS ? -1 : vec_blob_size(a.v.type, (uint32_t)dims, 0);
    uint8_t *p = size < 0 ? NULL : util_malloc((size_t)size);
    if (!p) {
      fail(ctx, size < 0 ? LODE_TOOBIG : LODE_NOMEM, "vector_concat", "vector too big");
      goto done;
    }
    memcpy(p, a.v.data, (size_t)es * a.v.dims);
    memcpy(p + (size_t)es * a.v.dims, b.v.data, (size_t)es * b.v.dims);
    if (a.v.type == VEC_F64) p[size - 1] = VEC_F64;
    result_blob(ctx, p, (int)size);
  }
done:
  util_free(a.owned);
  util_free(b.owned);
}

static void slice_sparse(FuncContext *ctx, const Vec *v, uint32_t start, uint32_t end) {
  uint32_t nnz = 0, k = 0;
  int64_t size;
  uint8_t *p;
  for (uint32_t e = 0; e < v->nnz; e++) {
    uint32_t i = vec_ld_u32(v->idx + 4 * (size_t)e);
    nnz += i >= start && i < end;
  }
  p = sparse_blob(nnz, end - start, &size);
  if (!p) { fail(ctx, size < 0 ? LODE_TOOBIG : LODE_NOMEM, "vector_slice", "vector too big"); return; }
  for (uint32_t e = 0; e < v->nnz; e++) {
    uint32_t i = vec_ld_u32(v->idx + 4 * (size_t)e);
    if (i >= start && i < end) sparse_put(p, nnz, k++, v->data + 4 * (size_t)e, i - start);
  }
  result_blob(ctx, p, (int)size);
}

static void fn_vector_slice(FuncContext *ctx, int argc, Mem **argv) {
  VecArg a;
  int ra, es, fa;
  int64_t start, end;
  (void)argc;
  ra = arg_vector(ctx, "vector_slice", argv, 0, &a, &fa);
  if (ra <= 0) return;
  if (argv[1]->type != MEM_INT || argv[2]->type != MEM_INT) {
    fail(ctx, LODE_ERROR, "vector_slice", "start and end must be integers");
    goto done;
  }
  start = argv[1]->u.i;
  end = argv[2]->u.i;
  if (start < 0 || end < 0 || start > end || end > (int64_t)a.v.dims) {
    char *msg = util_mprintf("slice [%lld, %lld) out of range for a vector of %u dimensions", (long long)start,
                             (long long)end, a.v.dims);
    fail(ctx, msg ? LODE_ERROR : LODE_NOMEM, "vector_slice", msg);
    util_free(msg);
    goto done;
  }
  if (start == end) {
    fail(ctx, LODE_ERROR, "vector_slice", "empty vectors are not supported");
    goto done;
  }
  if (!(es = cuttable(ctx, "vector_slice", &a.v))) goto done;
  if (a.v.type == VEC_F32_SPARSE) {
    slice_sparse(ctx, &a.v, (uint32_t)start, (uint32_t)end);
  } else {
    int64_t size = vec_blob_size(a.v.type, (uint32_t)(end - start), 0);
    uint8_t *p = util_malloc((size_t)size);
    if (!p) {
      fail(ctx, LODE_NOMEM, "", "");
      goto done;
    }
    memcpy(p, a.v.data + (size_t)es * (size_t)start, (size_t)es * (size_t)(end - start));
    if (a.v.type == VEC_F64) p[size - 1] = VEC_F64;
    result_blob(ctx, p, (int)size);
  }
done:
  util_free(a.owned);
}

/* ---- registration ---------------------------------------------------------------- */

int vector_register(FuncRegistry *r) {
  static const struct {
    const char *name;
    int nargs;
    void (*fn)(FuncContext *, int, Mem **);
  } fns[] = {
      {"vector", 1, fn_vector},
      {"vector32", 1, fn_vector32},
      {"vector64", 1, fn_vector64},
      {"vector32_sparse", 1, fn_vector32_sparse},
      {"vector8", 1, fn_vector8},
      {"vector1bit", 1, fn_vector1bit},
      {"vector_extract", 1, fn_vector_extract},
      {"vector_distance_cos", 2, fn_distance_cos},
      {"vector_distance_l2", 2, fn_distance_l2},
      {"vector_distance_dot", 2, fn_distance_dot},
      {"vector_distance_jaccard", 2, fn_distance_jaccard},
      {"vector_concat", 2, fn_vector_concat},
      {"vector_slice", 3, fn_vector_slice},
  };
  /* The kernels are the user data: chosen once, shared by every call. */
  void *kernels = (void *)vector_kernels_best();
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    int flags = FUNC_DETERMINISTIC | (strncmp(fns[i].name, "vector_distance_", 16) == 0 ? FUNC_BORROWS_ARGS : 0);
    FuncDef def = {fns[i].name, fns[i].nargs, flags, fns[i].fn, NULL, NULL, 0, kernels};
    int rc = func_registry_add(r, &def, NULL);
    if (rc != LODE_OK) return rc;
  }
  return LODE_OK;
}
