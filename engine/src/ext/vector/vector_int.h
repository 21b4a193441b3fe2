/*
** vector_int.h — what the files of the vector module share: the decoded
** view of a vector blob, building blobs, vector text.  Not part of the
** module's interface (vector.h is).
**
** A Vec only points into the blob it was decoded from (no copy), so it
** lives as long as that blob.  vec_decode checks the layout of vector.h
** and that the vector is not empty, not the values: vec_finite does, where
** a result depends on them (vector_extract shows NaN and inf as they are).
*/
#ifndef LODE_VECTOR_INT_H
#define LODE_VECTOR_INT_H

#include <stdint.h>

#include "ext/vector/vector.h"
#include "util/util.h"

#define VEC_F32 1
#define VEC_F64 2
#define VEC_1BIT 3
#define VEC_F8 4
#define VEC_F32_SPARSE 9

/* Dense results larger than this are refused (a sparse vector's dims can be
** up to 2^32-1; expanding one of those would exhaust memory). */
#define VEC_MAX_DENSE_DIMS (1u << 22)

typedef struct Vec {
  int type;      /* VEC_* */
  uint32_t dims; /* >= 1 */
  /* F32/F64: dims values; 1BIT: the bits; F8: dims bytes q; SPARSE: nnz f32 */
  const uint8_t *data;
  const uint8_t *idx; /* SPARSE: nnz u32 indexes */
  uint32_t nnz;       /* SPARSE */
  float alpha, shift; /* F8 */
} Vec;

const char *vec_type_name(int type);

static inline float vec_ld_f32(const uint8_t *p) {
  float f;
  memcpy(&f, p, 4);
  return f;
}
static inline double vec_ld_f64(const uint8_t *p) {
  double d;
  memcpy(&d, p, 8);
  return d;
}
static inline uint32_t vec_ld_u32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Decodes blob p[0..n).  On failure returns LODE_ERROR with a description
** in errbuf. */
int vec_decode(const uint8_t *p, int n, Vec *v, char *errbuf, size_t errcap);
/* Whether every value of v (and a float8's alpha and shift) is finite. */
int vec_finite(const Vec *v);
/* Value i of any vector, as a double (F8 dequantized in f32, 1BIT ±1).
** SPARSE needs a cursor: *pos is the next entry to look at (start at 0,
** ask for i in ascending order). */
double vec_value(const Vec *v, uint32_t i, uint32_t *pos);

/* Builds the blob of a vector of `type` from dims values (util_malloc'd
** into *out, length *len).  SPARSE keeps the non-zero values; F8 quantizes
** (values first rounded to f32); 1BIT keeps the signs.  LODE_ERROR when a
** value is not finite once converted (f64 → f32 overflow), LODE_NOMEM. */
int vec_build(int type, const double *vals, uint32_t dims, uint8_t **out, int *len, const char **err);
/* Size in bytes of a blob of that type, or -1 if larger than the engine's
** blob limit. */
int64_t vec_blob_size(int type, uint32_t dims, uint32_t nnz);

/* Parses vector text into util_malloc'd doubles (each rounded to f32 unless
** f64 is set).  LODE_ERROR with *err on malformed text, non-finite numbers
** or an empty vector; LODE_NOMEM. */
int vec_parse_text(const char *z, int n, int f64, double **vals, uint32_t *dims, const char **err);
/* Renders v as '[1,2.5,-0.001]' the way Turso does (each value in its
** shortest round-trip form, never in exponent notation). */
int vec_render(const Vec *v, StrBuf *out);

#endif /* LODE_VECTOR_INT_H */
