/*
** blob.c — the vector blob layouts of vector.h: decoding a blob into a Vec
** (a view, no copy) and building the blob of a vector from its values.
**
** Float8 quantization follows Turso's: alpha = (max - min) / 255 and
** shift = min in f32, q = round((x - min) / alpha) in f32 clamped to
** 0..255 (all zero when alpha is 0); a value reads back as alpha * q + shift
** in f32 (in double precision when converted to float64, as Turso does).  A float1bit dimension is 1 when its value is > 0.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ext/vector/vector_int.h"

#define F8_TRAILER 11 /* alpha, shift, 0x00, pad count, type */

const char *vec_type_name(int type) {
  switch (type) {
  case VEC_F32: return "float32";
  case VEC_F64: return "float64";
  case VEC_1BIT: return "float1bit";
  case VEC_F8: return "float8";
  case VEC_F32_SPARSE: return "float32 sparse";
  default: return "unknown";
  }
}

static int bad(char *errbuf, size_t cap, const char *what, int n) {
  snprintf(errbuf, cap, what, n);
  return LODE_ERROR;
}

static int bad_msg(char *errbuf, size_t cap, const char *msg) {
  snprintf(errbuf, cap, "%s", msg);
  return LODE_ERROR;
}

static int decode_sparse(const uint8_t *p, int n, Vec *v, char *errbuf, size_t cap) {
  uint32_t nnz, prev = 0;
  if (n < 5 || (n - 5) % 8 != 0) return bad(errbuf, cap, "invalid float32 sparse vector: blob of %d bytes", n);
  nnz = (uint32_t)(n - 5) / 8;
  v->nnz = nnz;
  v->data = p;
  v->idx = p + 4 * (size_t)nnz;
  v->dims = vec_ld_u32(p + n - 5);
  for (uint32_t k = 0; k < nnz; k++) {
    uint32_t i = vec_ld_u32(v->idx + 4 * (size_t)k);
    if (i >= v->dims || (k > 0 && i <= prev))
      return bad(errbuf, cap, "invalid float32 sparse vector: index %d out of order or range", (int)k);
    prev = i;
  }
  return LODE_OK;
}

static int decode_1bit(const uint8_t *p, int n, Vec *v, char *errbuf, size_t cap) {
  int64_t dims;
  if (n < 3) return bad(errbuf, cap, "invalid float1bit vector: blob of %d bytes", n);
  dims = 8 * (int64_t)(n - 1) - p[n - 2];
  /* the bits must fit before the trailing byte */
  if (dims < 1 || (dims + 7) / 8 > n - 2) return bad(errbuf, cap, "invalid float1bit vector: blob of %d bytes", n);
  v->dims = (uint32_t)dims;
  v->data = p;
  return LODE_OK;
}

static int decode_f8(const uint8_t *p, int n, Vec *v, char *errbuf, size_t cap) {
  int pad;
  if (n < F8_TRAILER) return bad(errbuf, cap, "invalid float8 vector: blob of %d bytes", n);
  pad = p[n - 2];
  /* q and its padding fill whole 4-byte words */
  if (pad > 3 || p[n - 3] != 0 || (n - F8_TRAILER) % 4 != 0 || n - F8_TRAILER < pad)
    return bad(errbuf, cap, "invalid float8 vector: blob of %d bytes", n);
  v->dims = (uint32_t)(n - F8_TRAILER - pad);
  v->data = p;
  v->alpha = vec_ld_f32(p + n - F8_TRAILER);
  v->shift = vec_ld_f32(p + n - F8_TRAILER + 4);
  return LODE_OK;
}

int vec_decode(const uint8_t *p, int n, Vec *v, char *errbuf, size_t cap) {
  int type, rc;
  memset(v, 0, sizeof *v);
  if (n % 2 == 0) { /* an empty blob is the float32 vector of no dimensions */
    type = VEC_F32;
  } else {
    type = p[n - 1];
    n--;
  }
  v->type = type;
  switch (type) {
  case VEC_F32:
    if (n % 4 != 0) return bad(errbuf, cap, "invalid float32 vector: %d bytes of data, not a multiple of 4", n);
    v->dims = (uint32_t)(n / 4);
    v->data = p;
    break;
  case VEC_F64:
    if (n % 8 != 0) return bad(errbuf, cap, "invalid float64 vector: %d bytes of data, not a multiple of 8", n);
    v->dims = (uint32_t)(n / 8);
    v->data = p;
    break;
  case VEC_F32_SPARSE:
    if ((rc = decode_sparse(p, n + 1, v, errbuf, cap)) != LODE_OK) return rc;
    break;
  case VEC_1BIT:
    if ((rc = decode_1bit(p, n + 1, v, errbuf, cap)) != LODE_OK) return rc;
    break;
  case VEC_F8:
    if ((rc = decode_f8(p, n + 1, v, errbuf, cap)) != LODE_OK) return rc;
    break;
  default: return bad(errbuf, cap, "unknown vector type: %d", type);
  }
  /* Dense vectors may be empty (Turso builds '[]'); the compressed layouts have no empty form. */
  if (v->dims == 0 && type != VEC_F32 && type != VEC_F64)
    return bad_msg(errbuf, cap, "empty vectors are not supported");
  return LODE_OK;
}

int vec_finite(const Vec *v) {
  switch (v->type) {
  case VEC_F32:
    for (uint32_t i = 0; i < v->dims; i++)
      if (!isfinite(vec_ld_f32(v->data + 4 * (size_t)i))) return 0;
    return 1;
  case VEC_F64:
    for (uint32_t i = 0; i < v->dims; i++)
      if (!isfinite(vec_ld_f64(v->data + 8 * (size_t)i))) return 0;
    return 1;
  case VEC_F32_SPARSE:
    for (uint32_t k = 0; k < v->nnz; k++)
      if (!isfinite(vec_ld_f32(v->data + 4 * (size_t)k))) return 0;
    return 1;
  case VEC_F8: return isfinite(v->alpha) && isfinite(v->shift);
  default: return 1;
  }
}

double vec_value(const Vec *v, uint32_t i, uint32_t *pos) {
  switch (v->type) {
  case VEC_F32: return vec_ld_f32(v->data + 4 * (size_t)i);
  case VEC_F64: return vec_ld_f64(v->data + 8 * (size_t)i);
  case VEC_1BIT: return (v->data[i / 8] >> (i % 8)) & 1 ? 1.0 : -1.0;
  case VEC_F8: {
    float q = (float)v->data[i], scaled = v->alpha * q;
    return (double)(scaled + v->shift);
  }
  case VEC_F32_SPARSE:
    while (*pos < v->nnz && vec_ld_u32(v->idx + 4 * (size_t)*pos) < i) (*pos)++;
    if (*pos < v->nnz && vec_ld_u32(v->idx + 4 * (size_t)*pos) == i) return vec_ld_f32(v->data + 4 * (size_t)*pos);
    return 0.0;
  default: return 0.0;
  }
}

int64_t vec_blob_size(int type, uint32_t dims, uint32_t nnz) {
  int64_t size;
  switch (type) {
  case VEC_F32: size = 4 * (int64_t)dims; break;
  case VEC_F64: size = 8 * (int64_t)dims + 1; break;
  case VEC_F32_SPARSE: size = 8 * (int64_t)nnz + 5; break;
  case VEC_F8: size = ((int64_t)dims + 3) / 4 * 4 + F8_TRAILER; break;
  case VEC_1BIT: {
    int64_t bytes = ((int64_t)dims + 7) / 8;
    size = bytes + (bytes % 2 == 0) + 2; /* a pad byte keeps the length odd */
    break;
  }
  default: return -1;
  }
  return size > 1000000000 ? -1 : size;
}

static void st_u32(uint8_t *p, uint32_t x) {
  p[0] = (uint8_t)x;
  p[1] = (uint8_t)(x >> 8);
  p[2] = (uint8_t)(x >> 16);
  p[3] = (uint8_t)(x >> 24);
}

/* Whether max - min of the values (as f32) is finite, as alpha needs. */
static int f8_range_ok(const double *vals, uint32_t dims) {
  float lo = (float)vals[0], hi = lo;
  for (uint32_t i = 1; i < dims; i++) {
    float x = (float)vals[i];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return isfinite(hi - lo);
}

static void build_f8(const double *vals, uint32_t dims, uint8_t *out, int64_t size) {
  float lo = (float)vals[0], hi = lo, alpha;
  uint32_t pad = (4 - dims % 4) % 4;
  for (uint32_t i = 1; i < dims; i++) {
    float x = (float)vals[i];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  alpha = (hi - lo) / 255.0f;
  for (uint32_t i = 0; i < dims; i++) {
    float q = 0.0f;
    if (alpha != 0.0f) {
      float x = (float)vals[i], t = (x - lo) / alpha;
      q = roundf(t);
      if (q < 0.0f) q = 0.0f;
      if (q > 255.0f) q = 255.0f;
    }
    out[i] = (uint8_t)q;
  }
  memset(out + dims, 0, pad);
  memcpy(out + dims + pad, &alpha, 4);
  memcpy(out + dims + pad + 4, &lo, 4);
  out[size - 3] = 0;
  out[size - 2] = (uint8_t)pad;
  out[size - 1] = VEC_F8;
}

int vec_build(int type, const double *vals, uint32_t dims, uint8_t **out, int *len, const char **err) {
  uint32_t nnz = 0;
  int64_t size;
  uint8_t *p;
  *out = NULL;
  *len = 0;
  if (dims == 0 && type != VEC_F32 && type != VEC_F64) return *err = "empty vectors are not supported", LODE_ERROR;
  for (uint32_t i = 0; i < dims; i++) {
    double x = type == VEC_F64 ? vals[i] : (double)(float)vals[i];
    if (!isfinite(x)) return *err = "vector values must be finite numbers (no NaN or Infinity)", LODE_ERROR;
    if (type == VEC_F32_SPARSE && (float)vals[i] != 0.0f) nnz++;
  }
  if (type == VEC_F8 && !f8_range_ok(vals, dims))
    return *err = "the values span more than the float32 range (float8 keeps max - min)", LODE_ERROR;
  size = vec_blob_size(type, dims, nnz);
  if (size < 0 || (type != VEC_F32_SPARSE && dims > VEC_MAX_DENSE_DIMS)) return *err = "vector too big", LODE_TOOBIG;
  p = util_zalloc(size > 0 ? (size_t)size : 1); /* an empty float32 vector is an empty blob */
  if (!p) return LODE_NOMEM;
  switch (type) {
  case VEC_F32:
    for (uint32_t i = 0; i < dims; i++) {
      float f = (float)vals[i];
      memcpy(p + 4 * (size_t)i, &f, 4);
    }
    break;
  case VEC_F64:
    if (dims) memcpy(p, vals, 8 * (size_t)dims);
    p[size - 1] = VEC_F64;
    break;
  case VEC_F32_SPARSE: {
    uint32_t k = 0;
    for (uint32_t i = 0; i < dims; i++) {
      float f = (float)vals[i];
      if (f == 0.0f) continue;
      memcpy(p + 4 * (size_t)k, &f, 4);
      st_u32(p + 4 * (size_t)nnz + 4 * (size_t)k, i);
      k++;
    }
    st_u32(p + size - 5, dims);
    p[size - 1] = VEC_F32_SPARSE;
    break;
  }
  case VEC_F8: build_f8(vals, dims, p, size); break;
  case VEC_1BIT:
    for (uint32_t i = 0; i < dims; i++)
      if (vals[i] > 0) p[i / 8] |= (uint8_t)(1u << (i % 8));
    p[size - 2] = (uint8_t)(8 * (size - 1) - (int64_t)dims);
    p[size - 1] = VEC_1BIT;
    break;
  default: util_free(p); return LODE_MISUSE;
  }
  *out = p;
  *len = (int)size;
  return LODE_OK;
}
