/*
** kernels.c — dense distance kernels: dot product, squared L2 distance and
** the three sums of cosine distance, over f32 and f64 vectors.
**
** Every implementation computes exactly the same thing, so they agree to
** the bit: element i is added to lane i % LANES in element order, in
** double precision, with a separate multiply and add (no fused
** multiply-add: a product of two f32 is exact in double, but one of two f64
** is not), and the lanes are summed by lanes_sum in one fixed order.  The
** SIMD versions only do many lanes per instruction; their tails (n not a
** multiple of the block) go through the same scalar steps as the portable
** code.  dot and l2 use 16 lanes (four AVX registers per sum, enough
** independent additions to hide the adder's latency); cos keeps three sums
** and uses 8 lanes each.
**
** Selection happens once, at the first vector_kernels_best call: AVX2 when
** the CPU has it, SSE2 (every x86-64), wasm SIMD128 when the wasm build
** enables it, else portable C.
*/
#include <string.h>

#include "ext/vector/vector.h"

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "vector blobs are little-endian; the kernels read them in host order"
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define VEC_X86 1
#include <immintrin.h>
#endif
#if defined(__wasm_simd128__)
#define VEC_WASM 1
#include <wasm_simd128.h>
#endif

/* The short loops over a kernel's registers are unrolled, so that the
** accumulators stay in registers instead of an array in memory. */
#if defined(__clang__)
#define UNROLL _Pragma("unroll")
#elif defined(__GNUC__)
#define UNROLL _Pragma("GCC unroll 8")
#else
#define UNROLL
#endif

#define LANES 16    /* dot, l2 */
#define COS_LANES 8 /* cos: three sums */

static float ld32(const unsigned char *p) {
  float f;
  memcpy(&f, p, 4);
  return f;
}
static double ld64(const unsigned char *p) {
  double d;
  memcpy(&d, p, 8);
  return d;
}

/* The fixed reduction order: halves added pairwise (n a power of two). */
static double lanes_sum(double *acc, int n) {
  for (int w = n / 2; w >= 1; w /= 2)
    for (int i = 0; i < w; i++) acc[i] += acc[i + w];
  return acc[0];
}

/* ---- the scalar steps (portable kernels, and every SIMD kernel's tail) ---- */

static void dot_f32_tail(double *acc, const unsigned char *a, const unsigned char *b, size_t i, size_t n) {
  for (; i < n; i++) {
    double p = (double)ld32(a + 4 * i) * (double)ld32(b + 4 * i);
    acc[i % LANES] += p;
  }
}
static void l2_f32_tail(double *acc, const unsigned char *a, const unsigned char *b, size_t i, size_t n) {
  for (; i < n; i++) {
    double d = (double)ld32(a + 4 * i) - (double)ld32(b + 4 * i);
    double p = d * d;
    acc[i % LANES] += p;
  }
}
static void cos_f32_tail(double *acc, const unsigned char *a, const unsigned char *b, size_t i, size_t n) {
  for (; i < n; i++) {
    double x = ld32(a + 4 * i), y = ld32(b + 4 * i);
    double xy = x * y, xx = x * x, yy = y * y;
    acc[i % COS_LANES] += xy;
    acc[COS_LANES + i % COS_LANES] += xx;
    acc[2 * COS_LANES + i % COS_LANES] += yy;
  }
}
static void dot_f64_tail(double *acc, const unsigned char *a, const unsigned char *b, size_t i, size_t n) {
  for (; i < n; i++) {
    double p = ld64(a + 8 * i) * ld64(b + 8 * i);
    acc[i % LANES] += p;
  }
}
static void l2_f64_tail(double *acc, const unsigned char *a, const unsigned char *b, size_t i, size_t n) {
  for (; i < n; i++) {
    double d = ld64(a + 8 * i) - ld64(b + 8 * i);
    double p = d * d;
    acc[i % LANES] += p;
  }
}
static void cos_f64_tail(double *acc, const unsigned char *a, const unsigned char *b, size_t i, size_t n) {
  for (; i < n; i++) {
    double x = ld64(a + 8 * i), y = ld64(b + 8 * i);
    double xy = x * y, xx = x * x, yy = y * y;
    acc[i % COS_LANES] += xy;
    acc[COS_LANES + i % COS_LANES] += xx;
    acc[2 * COS_LANES + i % COS_LANES] += yy;
  }
}

static void cos_finish(double *acc, double out[3]) {
  out[0] = lanes_sum(acc, COS_LANES);
  out[1] = lanes_sum(acc + COS_LANES, COS_LANES);
  out[2] = lanes_sum(acc + 2 * COS_LANES, COS_LANES);
}

/* ---- portable C ---- */

static double dot_f32_c(const void *a, const void *b, size_t n) {
  double acc[LANES] = {0};
  dot_f32_tail(acc, a, b, 0, n);
  return lanes_sum(acc, LANES);
}
static double l2sq_f32_c(const void *a, const void *b, size_t n) {
  double acc[LANES] = {0};
  l2_f32_tail(acc, a, b, 0, n);
  return lanes_sum(acc, LANES);
}
static void cos_f32_c(const void *a, const void *b, size_t n, double out[3]) {
  double acc[3 * COS_LANES] = {0};
  cos_f32_tail(acc, a, b, 0, n);
  cos_finish(acc, out);
}
static double dot_f64_c(const void *a, const void *b, size_t n) {
  double acc[LANES] = {0};
  dot_f64_tail(acc, a, b, 0, n);
  return lanes_sum(acc, LANES);
}
static double l2sq_f64_c(const void *a, const void *b, size_t n) {
  double acc[LANES] = {0};
  l2_f64_tail(acc, a, b, 0, n);
  return lanes_sum(acc, LANES);
}
static void cos_f64_c(const void *a, const void *b, size_t n, double out[3]) {
  double acc[3 * COS_LANES] = {0};
  cos_f64_tail(acc, a, b, 0, n);
  cos_finish(acc, out);
}

static const VectorKernels kernels_portable = {"portable", dot_f32_c, l2sq_f32_c, cos_f32_c,
                                               dot_f64_c,  l2sq_f64_c, cos_f64_c};

const VectorKernels *vector_kernels_portable(void) { return &kernels_portable; }

/* ---- x86-64: SSE2 (2 doubles a register) and AVX2 (4) ---- */

#ifdef VEC_X86

/* SSE2: lanes 2k, 2k+1 live in register k. */
#define SSE_LD_F32(p) _mm_loadu_ps((const float *)(const void *)(p))
#define SSE_LO(v) _mm_cvtps_pd(v)
#define SSE_HI(v) _mm_cvtps_pd(_mm_movehl_ps(v, v))
#define SSE_LD_F64(p) _mm_loadu_pd((const double *)(const void *)(p))

static double dot_f32_sse2(const void *pa, const void *pb, size_t n) {
  const unsigned char *a = pa, *b = pb;
  __m128d acc[LANES / 2];
  double lanes[LANES];
  size_t i = 0;
  UNROLL
  for (int k = 0; k < LANES / 2; k++) acc[k] = _mm_setzero_pd();
  for (; i + LANES <= n; i += LANES) {
    UNROLL
    for (int q = 0; q < LANES / 4; q++) {
      __m128 x = SSE_LD_F32(a + 4 * (i + 4 * q)), y = SSE_LD_F32(b + 4 * (i + 4 * q));
      acc[2 * q] = _mm_add_pd(acc[2 * q], _mm_mul_pd(SSE_LO(x), SSE_LO(y)));
      acc[2 * q + 1] = _mm_add_pd(acc[2 * q + 1], _mm_mul_pd(SSE_HI(x), SSE_HI(y)));
    }
  }
  UNROLL
  for (int k = 0; k < LANES / 2; k++) _mm_storeu_pd(lanes + 2 * k, acc[k]);
  dot_f32_tail(lanes, a, b, i, n);
  return lanes_sum(lanes, LANES);
}

static double l2sq_f32_sse2(const void *pa, const void *pb, size_t n) {
  const unsigned char *a = pa, *b = pb;
  __m128d acc[LANES / 2];
  double lanes[LANES];
  size_t i = 0;
  UNROLL
  for (int k = 0; k < LANES / 2; k++) acc[k] = _mm_setzero_pd();
  for (; i + LANES <= n; i += LANES) {
    UNROLL
    for (int q = 0; q < LANES / 4; q++) {
      __m128 x = SSE_LD_F32(a + 4 * (i + 4 * q)), y = SSE_LD_F32(b + 4 * (i + 4 * q));
      __m128d d0 = _mm_sub_pd(SSE_LO(x), SSE_LO(y)), d1 = _mm_sub_pd(SSE_HI(x), SSE_HI(y));
      acc[2 * q] = _mm_add_pd(acc[2 * q], _mm_mul_pd(d0, d0));
      acc[2 * q + 1] = _mm_add_pd(acc[2 * q + 1], _mm_mul_pd(d1, d1));
    }
  }
  UNROLL
  for (int k = 0; k < LANES / 2; k++) _mm_storeu_pd(lanes + 2 * k, acc[k]);
  l2_f32_tail(lanes, a, b, i, n);
  return lanes_sum(lanes, LANES);
}

static void cos_f32_sse2(const void *pa, const void *pb, size_t n, double out[3]) {
  const unsigned char *a = pa, *b = pb;
  __m128d xy[COS_LANES / 2], xx[COS_LANES / 2], yy[COS_LANES / 2];
  double lanes[3 * COS_LANES];
  size_t i = 0;
  UNROLL
  for (int k = 0; k < COS_LANES / 2; k++) xy[k] = xx[k] = yy[k] = _mm_setzero_pd();
  for (; i + COS_LANES <= n; i += COS_LANES) {
    UNROLL
    for (int q = 0; q < COS_LANES / 4; q++) {
      __m128 x = SSE_LD_F32(a + 4 * (i + 4 * q)), y = SSE_LD_F32(b + 4 * (i + 4 * q));
      __m128d x0 = SSE_LO(x), x1 = SSE_HI(x), y0 = SSE_LO(y), y1 = SSE_HI(y);
      xy[2 * q] = _mm_add_pd(xy[2 * q], _mm_mul_pd(x0, y0));
      xy[2 * q + 1] = _mm_add_pd(xy[2 * q + 1], _mm_mul_pd(x1, y1));
      xx[2 * q] = _mm_add_pd(xx[2 * q], _mm_mul_pd(x0, x0));
      xx[2 * q + 1] = _mm_add_pd(xx[2 * q + 1], _mm_mul_pd(x1, x1));
      yy[2 * q] = _mm_add_pd(yy[2 * q], _mm_mul_pd(y0, y0));
      yy[2 * q + 1] = _mm_add_pd(yy[2 * q + 1], _mm_mul_pd(y1, y1));
    }
  }
  UNROLL
  for (int k = 0; k < COS_LANES / 2; k++) {
    _mm_storeu_pd(lanes + 2 * k, xy[k]);
    _mm_storeu_pd(lanes + COS_LANES + 2 * k, xx[k]);
    _mm_storeu_pd(lanes + 2 * COS_LANES + 2 * k, yy[k]);
  }
  cos_f32_tail(lanes, a, b, i, n);
  cos_finish(lanes, out);
}

static double dot_f64_sse2(const void *pa, const void *pb, size_t n) {
  const unsigned char *a = pa, *b = pb;
  __m128d acc[LANES / 2];
  double lanes[LANES];
  size_t i = 0;
  UNROLL
  for (int k = 0; k < LANES / 2; k++) acc[k] = _mm_setzero_pd();
  for (; i + LANES <= n; i += LANES)
    UNROLL
    for (int k = 0; k < LANES / 2; k++)
      acc[k] = _mm_add_pd(acc[k], _mm_mul_pd(SSE_LD_F64(a + 8 * (i + 2 * k)), SSE_LD_F64(b + 8 * (i + 2 * k))));
  UNROLL
  for (int k = 0; k < LANES / 2; k++) _mm_storeu_pd(lanes + 2 * k, acc[k]);
  dot_f64_tail(lanes, a, b, i, n);
  return lanes_sum(lanes, LANES);
}

static double l2sq_f64_sse2(const void *pa, const void *pb, size_t n) {
  const unsigned char *a = pa, *b = pb;
  __m128d acc[LANES / 2];
  double lanes[LANES];
  size_t i = 0;
  UNROLL
  for (int k = 0; k < LANES / 2; k++) acc[k] = _mm_setzero_pd();
  for (; i + LANES <= n; i += LANES)
    UNROLL
    for (int k = 0; k < LANES / 2; k++) {
      __m128d d = _mm_sub_pd(SSE_LD_F64(a + 8 * (i + 2 * k)), SSE_LD_F64(b + 8 * (i + 2 * k)));
      acc[k] = _mm_add_pd(acc[k], _mm_mul_pd(d, d));
    }
  UNROLL
  for (int k = 0; k < LANES / 2; k++) _mm_storeu_pd(lanes + 2 * k, acc[k]);
  l2_f64_tail(lanes, a, b, i, n);
  return lanes_sum(lanes, LANES);
}

static void cos_f64_sse2(const void *pa, const void *pb, size_t n, double out[3]) {
  const unsigned char *a = pa, *b = pb;
  __m128d xy[COS_LANES / 2], xx[COS_LANES / 2], yy[COS_LANES / 2];
  double lanes[3 * COS_LANES];
  size_t i = 0;
  UNROLL
  for (int k = 0; k < COS_LANES / 2; k++) xy[k] = xx[k] = yy[k] = _mm_setzero_pd();
  for (; i + COS_LANES <= n; i += COS_LANES)
    UNROLL
    for (int k = 0; k < COS_LANES / 2; k++) {
      __m128d x = SSE_LD_F64(a + 8 * (i + 2 * k)), y = SSE_LD_F64(b + 8 * (i + 2 * k));
      xy[k] = _mm_add_pd(xy[k], _mm_mul_pd(x, y));
      xx[k] = _mm_add_pd(xx[k], _mm_mul_pd(x, x));
      yy[k] = _mm_add_pd(yy[k], _mm_mul_pd(y, y));
    }
  UNROLL
  for (int k = 0; k < COS_LANES / 2; k++) {
    _mm_storeu_pd(lanes + 2 * k, xy[k]);
    _mm_storeu_pd(lanes + COS_LANES + 2 * k, xx[k]);
    _mm_storeu_pd(lanes + 2 * COS_LANES + 2 * k, yy[k]);
  }
  cos_f64_tail(lanes, a, b, i, n);
  cos_finish(lanes, out);
}

static const VectorKernels kernels_sse2 = {"sse2",       dot_f32_sse2,  l2sq_f32_sse2, cos_f32_sse2,
                                           dot_f64_sse2, l2sq_f64_sse2, cos_f64_sse2};

/* AVX2: lanes 4k..4k+3 live in register k. */
#define AVX __attribute__((target("avx2")))
#define AVX_LD_F32(p) _mm256_cvtps_pd(_mm_loadu_ps((const float *)(const void *)(p)))
#define AVX_LD_F64(p) _mm256_loadu_pd((const double *)(const void *)(p))

/* The four (dot, l2) or two (cos) registers of a sum are named variables,
** not an array, so that they stay in registers. */
AVX static double dot_f32_avx2(const void *pa, const void *pb, size_t n) {
  const unsigned char *a = pa, *b = pb;
  __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
  double lanes[LANES];
  size_t i = 0;
  for (; i + LANES <= n; i += LANES) {
    const unsigned char *x = a + 4 * i, *y = b + 4 * i;
    s0 = _mm256_add_pd(s0, _mm256_mul_pd(AVX_LD_F32(x), AVX_LD_F32(y)));
    s1 = _mm256_add_pd(s1, _mm256_mul_pd(AVX_LD_F32(x + 16), AVX_LD_F32(y + 16)));
    s2 = _mm256_add_pd(s2, _mm256_mul_pd(AVX_LD_F32(x + 32), AVX_LD_F32(y + 32)));
    s3 = _mm256_add_pd(s3, _mm256_mul_pd(AVX_LD_F32(x + 48), AVX_LD_F32(y + 48)));
  }
  _mm256_storeu_pd(lanes, s0);
  _mm256_storeu_pd(lanes + 4, s1);
  _mm256_storeu_pd(lanes + 8, s2);
  _mm256_storeu_pd(lanes + 12, s3);
  dot_f32_tail(lanes, a, b, i, n);
  return lanes_sum(lanes, LANES);
}

AVX static double l2sq_f32_avx2(const void *pa, const void *pb, size_t n) {
  const unsigned char *a = pa, *b = pb;
  __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0, d0, d1, d2, d3;
  double lanes[LANES];
  size_t i = 0;
  for (; i + LANES <= n; i += LANES) {
    const unsigned char *x = a + 4 * i, *y = b + 4 * i;
    d0 = _mm256_sub_pd(AVX_LD_F32(x), AVX_LD_F32(y));
    d1 = _mm256_sub_pd(AVX_LD_F32(x + 16), AVX_LD_F32(y + 16));
    d2 = _mm256_sub_pd(AVX_LD_F32(x + 32), AVX_LD_F32(y + 32));
    d3 = _mm256_sub_pd(AVX_LD_F32(x + 48), AVX_LD_F32(y + 48));
    s0 = _mm256_add_pd(s0, _mm256_mul_pd(d0, d0));
    s1 = _mm256_add_pd(s1, _mm256_mul_pd(d1, d1));
    s2 = _mm256_add_pd(s2, _mm256_mul_pd(d2, d2));
    s3 = _mm256_add_pd(s3, _mm256_mul_pd(d3, d3));
  }
  _mm256_storeu_pd(lanes, s0);
  _mm256_storeu_pd(lanes + 4, s1);
  _mm256_storeu_pd(lanes + 8, s2);
  _mm256_storeu_pd(lanes + 12, s3);
  l2_f32_tail(lanes, a, b, i, n);
  return lanes_sum(lanes, LANES);
}

AVX static void cos_f32_avx2(const void *pa, const void *pb, size_t n, double out[3]) {
  const unsigned char *a = pa, *b = pb;
  __m256d xy0 = _mm256_setzero_pd(), xy1 = xy0, xx0 = xy0, xx1 = xy0, yy0 = xy0, yy1 = xy0;
  double lanes[3 * COS_LANES];
  size_t i = 0;
  for (; i + COS_LANES <= n; i += COS_LANES) {
    __m256d x0 = AVX_LD_F32(a + 4 * i), x1 = AVX_LD_F32(a + 4 * i + 16);
    __m256d y0 = AVX_LD_F32(b + 4 * i), y1 = AVX_LD_F32(b + 4 * i + 16);
    xy0 = _mm256_add_pd(xy0, _mm256_mul_pd(x0, y0));
    xy1 = _mm256_add_pd(xy1, _mm256_mul_pd(x1, y1));
    xx0 = _mm256_add_pd(xx0, _mm256_mul_pd(x0, x0));
    xx1 = _mm256_add_pd(xx1, _mm256_mul_pd(x1, x1));
    yy0 = _mm256_add_pd(yy0, _mm256_mul_pd(y0, y0));
    yy1 = _mm256_add_pd(yy1, _mm256_mul_pd(y1, y1));
  }
  _mm256_storeu_pd(lanes, xy0);
  _mm256_storeu_pd(lanes + 4, xy1);
  _mm256_storeu_pd(lanes + COS_LANES, xx0);
  _mm256_storeu_pd(lanes + COS_LANES + 4, xx1);
  _mm256_storeu_pd(lanes + 2 * COS_LANES, yy0);
  _mm256_storeu_pd(lanes + 2 * COS_LANES + 4, yy1);
  cos_f32_tail(lanes, a, b, i, n);
  cos_finish(lanes, out);
}

AVX static double dot_f64_avx2(const void *pa, const void *pb, size_t n) {
  const unsigned char *a = pa, *b = pb;
  __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
  double lanes[LANES];
  size_t i = 0;
  for (; i + LANES <= n; i += LANES) {
    const unsigned char *x = a + 8 * i, *y = b + 8 * i;
    s0 = _mm256_add_pd(s0, _mm256_mul_pd(AVX_LD_F64(x), AVX_LD_F64(y)));
    s1 = _mm256_add_pd(s1, _mm256_mul_pd(AVX_LD_F64(x + 32), AVX_LD_F64(y + 32)));
    s2 = _mm256_add_pd(s2, _mm256_mul_pd(AVX_LD_F64(x + 64), AVX_LD_F64(y + 64)));
    s3 = _mm256_add_pd(s3, _mm256_mul_pd(AVX_LD_F64(x + 96), AVX_LD_F64(y + 96)));
  }
  _mm256_storeu_pd(lanes, s0);
  _mm256_storeu_pd(lanes + 4, s1);
  _mm256_storeu_pd(lanes + 8, s2);
  _mm256_storeu_pd(lanes + 12, s3);
  dot_f64_tail(lanes, a, b, i, n);
  return lanes_sum(lanes, LANES);
}

AVX static double l2sq_f64_avx2(const void *pa, const void *pb, size_t n) {
  const unsigned char *a = pa, *b = pb;
  __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0, d0, d1, d2, d3;
  double lanes[LANES];
  size_t i = 0;
  for (; i + LANES <= n; i += LANES) {
    const unsigned char *x = a + 8 * i, *y = b + 8 * i;
    d0 = _mm256_sub_pd(AVX_LD_F64(x), AVX_LD_F64(y));
    d1 = _mm256_sub_pd(AVX_LD_F64(x + 32), AVX_LD_F64(y + 32));
    d2 = _mm256_sub_pd(AVX_LD_F64(x + 64), AVX_LD_F64(y + 64));
    d3 = _mm256_sub_pd(AVX_LD_F64(x + 96), AVX_LD_F64(y + 96));
    s0 = _mm256_add_pd(s0, _mm256_mul_pd(d0, d0));
    s1 = _mm256_add_pd(s1, _mm256_mul_pd(d1, d1));
    s2 = _mm256_add_pd(s2, _mm256_mul_pd(d2, d2));
    s3 = _mm256_add_pd(s3, _mm256_mul_pd(d3, d3));
  }
  _mm256_storeu_pd(lanes, s0);
  _mm256_storeu_pd(lanes + 4, s1);
  _mm256_storeu_pd(lanes + 8, s2);
  _mm256_storeu_pd(lanes + 12, s3);
  l2_f64_tail(lanes, a, b, i, n);
  return lanes_sum(lanes, LANES);
}

AVX static void cos_f64_avx2(const void *pa, const void *pb, size_t n, double out[3]) {
  const unsigned char *a = pa, *b = pb;
  __m256d xy0 = _mm256_setzero_pd(), xy1 = xy0, xx0 = xy0, xx1 = xy0, yy0 = xy0, yy1 = xy0;
  double lanes[3 * COS_LANES];
  size_t i = 0;
  for (; i + COS_LANES <= n; i += COS_LANES) {
    __m256d x0 = AVX_LD_F64(a + 8 * i), x1 = AVX_LD_F64(a + 8 * i + 32);
    __m256d y0 = AVX_LD_F64(b + 8 * i), y1 = AVX_LD_F64(b + 8 * i + 32);
    xy0 = _mm256_add_pd(xy0, _mm256_mul_pd(x0, y0));
    xy1 = _mm256_add_pd(xy1, _mm256_mul_pd(x1, y1));
    xx0 = _mm256_add_pd(xx0, _mm256_mul_pd(x0, x0));
    xx1 = _mm256_add_pd(xx1, _mm256_mul_pd(x1, x1));
    yy0 = _mm256_add_pd(yy0, _mm256_mul_pd(y0, y0));
    yy1 = _mm256_add_pd(yy1, _mm256_mul_pd(y1, y1));
  }
  _mm256_storeu_pd(lanes, xy0);
  _mm256_storeu_pd(lanes + 4, xy1);
  _mm256_storeu_pd(lanes + COS_LANES, xx0);
  _mm256_storeu_pd(lanes + COS_LANES + 4, xx1);
  _mm256_storeu_pd(lanes + 2 * COS_LANES, yy0);
  _mm256_storeu_pd(lanes + 2 * COS_LANES + 4, yy1);
  cos_f64_tail(lanes, a, b, i, n);
  cos_finish(lanes, out);
}

static const VectorKernels kernels_avx2 = {"avx2",       dot_f32_avx2,  l2sq_f32_avx2, cos_f32_avx2,
                                           dot_f64_avx2, l2sq_f64_avx2, cos_f64_avx2};

static int have_avx2(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}
#endif /* VEC_X86 */

/* ---- wasm SIMD128 (2 doubles a register, like SSE2) ---- */

#ifdef VEC_WASM
#define W_LO(v) wasm_f64x2_promote_low_f32x4(v)
#define W_HI(v) wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3))

static double dot_f32_wasm(const void *pa, const void *pb, size_t n) {
  const unsigned char *a = pa, *b = pb;
  v128_t acc[LANES / 2];
  double lanes[LANES];
  size_t i = 0;
  UNROLL
  for (int k = 0; k < LANES / 2; k++) acc[k] = wasm_f64x2_splat(0.0);
  for (; i + LANES <= n; i += LANES)
    UNROLL
    for (int q = 0; q < LANES / 4; q++) {
      v128_t x = wasm_v128_load(a + 4 * (i + 4 * q)), y = wasm_v128_load(b + 4 * (i + 4 * q));
      acc[2 * q] = wasm_f64x2_add(acc[2 * q], wasm_f64x2_mul(W_LO(x), W_LO(y)));
      acc[2 * q + 1] = wasm_f64x2_add(acc[2 * q + 1], wasm_f64x2_mul(W_HI(x), W_HI(y)));
    }
  UNROLL
  for (int k = 0; k < LANES / 2; k++) wasm_v128_store(lanes + 2 * k, acc[k]);
  dot_f32_tail(lanes, a, b, i, n);
  return lanes_sum(lanes, LANES);
}

static double l2sq_f32_wasm(const void *pa, const void *pb, size_t n) {
  const unsigned char *a = pa, *b = pb;
  v128_t acc[LANES / 2];
  double lanes[LANES];
  size_t i = 0;
  UNROLL
  for (int k = 0; k < LANES / 2; k++) acc[k] = wasm_f64x2_splat(0.0);
  for (; i + LANES <= n; i += LANES)
    UNROLL
    for (int q = 0; q < LANES / 4; q++) {
      v128_t x = wasm_v128_load(a + 4 * (i + 4 * q)), y = wasm_v128_load(b + 4 * (i + 4 * q));
      v128_t d0 = wasm_f64x2_sub(W_LO(x), W_LO(y)), d1 = wasm_f64x2_sub(W_HI(x), W_HI(y));
      acc[2 * q] = wasm_f64x2_add(acc[2 * q], wasm_f64x2_mul(d0, d0));
      acc[2 * q + 1] = wasm_f64x2_add(acc[2 * q + 1], wasm_f64x2_mul(d1, d1));
    }
  UNROLL
  for (int k = 0; k < LANES / 2; k++) wasm_v128_store(lanes + 2 * k, acc[k]);
  l2_f32_tail(lanes, a, b, i, n);
  return lanes_sum(lanes, LANES);
}

static void cos_f32_wasm(const void *pa, const void *pb, size_t n, double out[3]) {
  const unsigned char *a = pa, *b = pb;
  v128_t xy[COS_LANES / 2], xx[COS_LANES / 2], yy[COS_LANES / 2];
  double lanes[3 * COS_LANES];
  size_t i = 0;
  UNROLL
  for (int k = 0; k < COS_LANES / 2; k++) xy[k] = xx[k] = yy[k] = wasm_f64x2_splat(0.0);
  for (; i + COS_LANES <= n; i += COS_LANES)
    UNROLL
    for (int q = 0; q < COS_LANES / 4; q++) {
      v128_t x = wasm_v128_load(a + 4 * (i + 4 * q)), y = wasm_v128_load(b + 4 * (i + 4 * q));
      v128_t x0 = W_LO(x), x1 = W_HI(x), y0 = W_LO(y), y1 = W_HI(y);
      xy[2 * q] = wasm_f64x2_add(xy[2 * q], wasm_f64x2_mul(x0, y0));
      xy[2 * q + 1] = wasm_f64x2_add(xy[2 * q + 1], wasm_f64x2_mul(x1, y1));
      xx[2 * q] = wasm_f64x2_add(xx[2 * q], wasm_f64x2_mul(x0, x0));
      xx[2 * q + 1] = wasm_f64x2_add(xx[2 * q + 1], wasm_f64x2_mul(x1, x1));
      yy[2 * q] = wasm_f64x2_add(yy[2 * q], wasm_f64x2_mul(y0, y0));
      yy[2 * q + 1] = wasm_f64x2_add(yy[2 * q + 1], wasm_f64x2_mul(y1, y1));
    }
  UNROLL
  for (int k = 0; k < COS_LANES / 2; k++) {
    wasm_v128_store(lanes + 2 * k, xy[k]);
    wasm_v128_store(lanes + COS_LANES + 2 * k, xx[k]);
    wasm_v128_store(lanes + 2 * COS_LANES + 2 * k, yy[k]);
  }
  cos_f32_tail(lanes, a, b, i, n);
  cos_finish(lanes, out);
}

static double dot_f64_wasm(const void *pa, const void *pb, size_t n) {
  const unsigned char *a = pa, *b = pb;
  v128_t acc[LANES / 2];
  double lanes[LANES];
  size_t i = 0;
  UNROLL
  for (int k = 0; k < LANES / 2; k++) acc[k] = wasm_f64x2_splat(0.0);
  for (; i + LANES <= n; i += LANES)
    UNROLL
    for (int k = 0; k < LANES / 2; k++)
      acc[k] = wasm_f64x2_add(acc[k], wasm_f64x2_mul(wasm_v128_load(a + 8 * (i + 2 * k)),
                                                     wasm_v128_load(b + 8 * (i + 2 * k))));
  UNROLL
  for (int k = 0; k < LANES / 2; k++) wasm_v128_store(lanes + 2 * k, acc[k]);
  dot_f64_tail(lanes, a, b, i, n);
  return lanes_sum(lanes, LANES);
}

static double l2sq_f64_wasm(const void *pa, const void *pb, size_t n) {
  const unsigned char *a = pa, *b = pb;
  v128_t acc[LANES / 2];
  double lanes[LANES];
  size_t i = 0;
  UNROLL
  for (int k = 0; k < LANES / 2; k++) acc[k] = wasm_f64x2_splat(0.0);
  for (; i + LANES <= n; i += LANES)
    UNROLL
    for (int k = 0; k < LANES / 2; k++) {
      v128_t d = wasm_f64x2_sub(wasm_v128_load(a + 8 * (i + 2 * k)), wasm_v128_load(b + 8 * (i + 2 * k)));
      acc[k] = wasm_f64x2_add(acc[k], wasm_f64x2_mul(d, d));
    }
  UNROLL
  for (int k = 0; k < LANES / 2; k++) wasm_v128_store(lanes + 2 * k, acc[k]);
  l2_f64_tail(lanes, a, b, i, n);
  return lanes_sum(lanes, LANES);
}

static void cos_f64_wasm(const void *pa, const void *pb, size_t n, double out[3]) {
  const unsigned char *a = pa, *b = pb;
  v128_t xy[COS_LANES / 2], xx[COS_LANES / 2], yy[COS_LANES / 2];
  double lanes[3 * COS_LANES];
  size_t i = 0;
  UNROLL
  for (int k = 0; k < COS_LANES / 2; k++) xy[k] = xx[k] = yy[k] = wasm_f64x2_splat(0.0);
  for (; i + COS_LANES <= n; i += COS_LANES)
    UNROLL
    for (int k = 0; k < COS_LANES / 2; k++) {
      v128_t x = wasm_v128_load(a + 8 * (i + 2 * k)), y = wasm_v128_load(b + 8 * (i + 2 * k));
      xy[k] = wasm_f64x2_add(xy[k], wasm_f64x2_mul(x, y));
      xx[k] = wasm_f64x2_add(xx[k], wasm_f64x2_mul(x, x));
      yy[k] = wasm_f64x2_add(yy[k], wasm_f64x2_mul(y, y));
    }
  UNROLL
  for (int k = 0; k < COS_LANES / 2; k++) {
    wasm_v128_store(lanes + 2 * k, xy[k]);
    wasm_v128_store(lanes + COS_LANES + 2 * k, xx[k]);
    wasm_v128_store(lanes + 2 * COS_LANES + 2 * k, yy[k]);
  }
  cos_f64_tail(lanes, a, b, i, n);
  cos_finish(lanes, out);
}

static const VectorKernels kernels_wasm = {"simd128",    dot_f32_wasm,  l2sq_f32_wasm, cos_f32_wasm,
                                           dot_f64_wasm, l2sq_f64_wasm, cos_f64_wasm};
#endif /* VEC_WASM */

const VectorKernels *vector_kernels_named(const char *name) {
  if (strcmp(name, "portable") == 0) return &kernels_portable;
#ifdef VEC_X86
  if (strcmp(name, "sse2") == 0) return &kernels_sse2;
  if (strcmp(name, "avx2") == 0) return have_avx2() ? &kernels_avx2 : NULL;
#endif
#ifdef VEC_WASM
  if (strcmp(name, "simd128") == 0) return &kernels_wasm;
#endif
  return NULL;
}

const VectorKernels *vector_kernels_best(void) {
#ifdef VEC_X86
  return have_avx2() ? &kernels_avx2 : &kernels_sse2;
#elif defined(VEC_WASM)
  return &kernels_wasm;
#else
  return &kernels_portable;
#endif
}
