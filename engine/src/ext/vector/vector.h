/*
** vector.h — vector search: the vector types and SQL functions, blob-compatible
** with Turso and libSQL, and the distance kernels behind them.
**
** The module owns the blob layouts below, the parsing and rendering of
** vector text ('[1.5, -2, 3e-4]'), the SQL functions (vector, vector32,
** vector64, vector32_sparse, vector8, vector1bit, vector_extract,
** vector_distance_cos/_l2/_dot/_jaccard, vector_concat, vector_slice) and
** the dense distance kernels (portable C, SSE2, AVX2, AVX-512, wasm SIMD128; the
** best one this CPU has is chosen at run time).  It plugs into the function
** registry of a connection and knows nothing else of the engine.
**
** Blob layouts (little-endian; a vector blob of odd length ends in a type
** byte, one of even length is float32 without one):
**
**   float32 dense   f32[dims]                                  (no type byte)
**                   f32[dims] 0x01                              (read, never written)
**   float64 dense   f64[dims] 0x02
**   float1bit       bits[ceil(dims/8)] (bit i of dimension i, LSB first)
**                   [0x00 pad: so that the length is odd] t 0x03,
**                   t = 8 * (length - 1) - dims
**   float8          q[dims] 0x00[p] alpha:f32 shift:f32 0x00 p 0x04,
**                   p = (4 - dims % 4) % 4; value i = alpha * q[i] + shift
**   float32 sparse  f32[nnz] u32 index[nnz] (ascending) u32 dims 0x09
**
** Invariants: the functions never return a non-finite number or a vector
** holding one; vectors they build are never empty; dense kernels read
** their input with unaligned loads (blobs sit anywhere in a page).
*/
#ifndef LODE_VECTOR_H
#define LODE_VECTOR_H

#include <stddef.h>
#include <stdint.h>

#include "func/func.h"

/* Adds the vector functions to a connection's registry (user data: the
** kernels chosen for this CPU). */
int vector_register(FuncRegistry *r);

/* Dense distance kernels.  Inputs are n little-endian f32 or f64 values at
** any alignment.  Sums run in double precision over a fixed number of lanes
** (element i goes to lane i % lanes) that are added up in a fixed order, so
** that every implementation returns bit-identical results.  The f32 cos and
** l2 kernels add each lane's terms four at a time in f32 first (within 4.8e-7
** of the exact cosine distance, 1.8e-7 relative of the l2 distance; exact
** double sums where f32 squares would overflow or underflow: kernels.c). */
typedef struct VectorKernels {
  const char *name; /* "portable", "sse2", "avx2", "avx512", "simd128" */
  double (*dot_f32)(const void *a, const void *b, size_t n);
  double (*l2sq_f32)(const void *a, const void *b, size_t n); /* sum of squared differences */
  void (*cos_f32)(const void *a, const void *b, size_t n, double out[3]); /* a.b, a.a, b.b */
  double (*dot_f64)(const void *a, const void *b, size_t n);
  double (*l2sq_f64)(const void *a, const void *b, size_t n);
  void (*cos_f64)(const void *a, const void *b, size_t n, double out[3]);
  /* cos_f32 when b's sum of squares is known (bb = vector_sumsq_f32(b, n)):
  ** the same out, bit for bit, without summing b.b again (a scan's query
  ** vector is the same at every row). */
  void (*cos_known_f32)(const void *a, const void *b, size_t n, double bb, double out[3]);
} VectorKernels;

/* The sum of squares of n f32 values as the f32 cos kernels sum b.b before
** they check its range (kernels.c), for cos_known_f32. */
double vector_sumsq_f32(const void *b, size_t n);

const VectorKernels *vector_kernels_portable(void);
/* The fastest kernels this CPU runs. */
const VectorKernels *vector_kernels_best(void);
/* Kernels by name; NULL when not built in or not supported by this CPU. */
const VectorKernels *vector_kernels_named(const char *name);

/* vector_distance_jaccard of two float32 sparse vector blobs (for index
** methods that rank rows by it): 0 with *out set, -1 when either blob is
** not a finite float32 sparse vector or their dimensions differ.  *out is
** NaN where the SQL function returns NULL (both vectors all zero). */
int vector_sparse_jaccard(const void *a, int na, const void *b, int nb, double *out);
/* The nonzero positions of a float32 sparse vector blob: *nnz of them at
** *idx (u32 little-endian, ascending, inside the blob); -1 if it is not one. */
int vector_sparse_positions(const void *blob, int n, const uint8_t **idx, uint32_t *nnz);

#endif /* LODE_VECTOR_H */
