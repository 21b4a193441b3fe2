/*
** kernels.c — dense distance kernels: dot product, squared L2 distance and
** the three sums of cosine distance, over f32 and f64 vectors.
**
** Every implementation computes exactly the same thing, so they agree to
** the bit: element i is added to lane i % lanes in element order, in
** double precision, and the lanes are summed by lanes_sum in one fixed
** order.  (The cos and l2 kernels of f32 vectors first add blocks of four
** terms in f32, the same way everywhere: see "blocked f32" below.)  A product of two f32 is exact in double, so a fused multiply-add
** of one rounds exactly as the separate multiply and add do: the AVX2 and
** AVX-512 kernels fuse the f32 dot and cos sums, where the product is the
** whole term.  Nothing else is fused (a product of two f64, or a squared
** difference, is rounded first).  The SIMD versions only do many lanes per
** instruction; their tails (n not a multiple of the block) go through the
** same scalar steps as the portable code.
**
** dot and l2 have 16 lanes, each of cos's three sums 32: enough independent
** additions to keep the adders busy in AVX-512 registers (four per cos sum).
** Where a register holds fewer doubles the kernels make several passes over
** the vector, each keeping some lanes of every sum, rather than spill the
** sums to memory: cos in AVX2 makes two passes of 16 lanes, and where a
** register holds two doubles (SSE2, wasm SIMD128) eight passes of four (the
** values come from L1 after the first pass).  A lane still takes its
** elements in order, so the result does not change.
**
** Selection happens once, at the first vector_kernels_best call: AVX-512
** when the CPU has it (f32 only; its f64 kernels are AVX2's), AVX2 with FMA,
** SSE2 (every x86-64), wasm SIMD128 when the wasm build enables it, else
** portable C.
*/
#include <assert.h>
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
#define UNROLL16 _Pragma("unroll")
#elif defined(__GNUC__)
#define UNROLL _Pragma("GCC unroll 8")
#define UNROLL16 _Pragma("GCC unroll 16")
#else
#define UNROLL
#define UNROLL16
#endif

#define LANES 16    /* dot, l2 */
#define COS_LANES 32 /* cos: each of its three sums */
#define PASS_LANES 4  /* cos lanes per pass where a register holds two doubles */
#define AVX_PASS_LANES 16 /* and where it holds four (AVX2) */

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

/* The fixed reduction order: halves added pairwise, n = 16 or 32.  Written
** out step by step so that it compiles to straight-line code: as a loop over
** the steps its branches mispredicted at every step's end, a third of the
** time of a 768-dimension cos call. */
#define HALVE(acc, w)                                                                                                  \
  do {                                                                                                                 \
    UNROLL16 for (int i = 0; i < (w); i++)(acc)[i] += (acc)[i + (w)];                                                  \
  } while (0)
static double lanes_sum(double *acc, int n) {
  assert(n == 16 || n == 32);
  if (n == 32) HALVE(acc, 16);
  HALVE(acc, 8);
  HALVE(acc, 4);
  HALVE(acc, 2);
  HALVE(acc, 1);
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

/* ---- blocked f32: the cos and l2 kernels of f32 vectors ----
**
** Converting every f32 to double is what the double kernels spend their
** time on (wasm SIMD128 most of all).  The blocked kernels convert sums
** instead: element i belongs to lane i % BLK_LANES, and in each block of
** BLK elements a lane adds its BLK_K terms in f32, in element order (the
** first term, then each next one; products and differences rounded to f32,
** never fused), then adds that partial sum, converted, to its double lane.
** Elements after the last whole block add their exact terms to their lanes
** as the double kernels do; lanes_sum adds the lanes up.
**
** Error: a partial sum of 4 rounded terms is within 4 u (u = 2^-24) of the
** exact sum of their magnitudes, so each of cos's sums, and l2's, is within
** about 4 u of the sum of the magnitudes of its terms, which bounds the
** error of a cosine distance by 8 u = 4.8e-7 and that of an l2 distance by
** 3 u relative (the tolerance against Turso is 1e-6).  That holds
** while no f32 term overflows or loses bits to underflow: when a sum of
** squares (a.a, b.b, or l2's) falls outside [2^-80, 2^100] the kernel
** computes the exact double sums instead (terms below 2^-126 then weigh
** less than 2^-40 of the total).  The dot kernels stay exact: a dot product
** may cancel, and no sum of squares bounds its terms. */
#define BLK_LANES 16
#define BLK_K 4
#define BLK (BLK_LANES * BLK_K)

static int blk_safe(double sum_of_squares) { return sum_of_squares >= 0x1p-80 && sum_of_squares <= 0x1p100; }

static void blk_l2_tail(double *acc, const unsigned char *a, const unsigned char *b, size_t i, size_t n) {
  for (; i < n; i++) {
    double d = (double)ld32(a + 4 * i) - (double)ld32(b + 4 * i);
    double p = d * d;
    acc[i % BLK_LANES] += p;
  }
}
static void blk_cos_tail(double *acc, const unsigned char *a, const unsigned char *b, size_t i, size_t n) {
  for (; i < n; i++) {
    double x = ld32(a + 4 * i), y = ld32(b + 4 * i);
    double xy = x * y, xx = x * x, yy = y * y;
    acc[i % BLK_LANES] += xy;
    acc[BLK_LANES + i % BLK_LANES] += xx;
    acc[2 * BLK_LANES + i % BLK_LANES] += yy;
  }
}

static double l2sq_f32_blk_c(const void *pa, const void *pb, size_t n) {
  const unsigned char *a = pa, *b = pb;
  double acc[BLK_LANES] = {0}, s;
  size_t nb = n / BLK;
  for (size_t k = 0; k < nb; k++)
    for (int l = 0; l < BLK_LANES; l++) {
      const unsigned char *x = a + 4 * (k * BLK + (size_t)l), *y = b + 4 * (k * BLK + (size_t)l);
      float d = ld32(x) - ld32(y), p = d * d;
      for (int j = 1; j < BLK_K; j++) {
        float dj = ld32(x + 4 * BLK_LANES * j) - ld32(y + 4 * BLK_LANES * j);
        p += dj * dj;
      }
      acc[l] += (double)p;
    }
  blk_l2_tail(acc, a, b, nb * BLK, n);
  s = lanes_sum(acc, BLK_LANES);
  return blk_safe(s) ? s : l2sq_f32_c(pa, pb, n);
}

static void cos_f32_blk_c(const void *pa, const void *pb, size_t n, double out[3]) {
  const unsigned char *a = pa, *b = pb;
  double acc[3 * BLK_LANES] = {0};
  size_t nb = n / BLK;
  for (size_t k = 0; k < nb; k++)
    for (int l = 0; l < BLK_LANES; l++) {
      const unsigned char *x = a + 4 * (k * BLK + (size_t)l), *y = b + 4 * (k * BLK + (size_t)l);
      float u = ld32(x), v = ld32(y);
      float pxy = u * v, pxx = u * u, pyy = v * v;
      for (int j = 1; j < BLK_K; j++) {
        u = ld32(x + 4 * BLK_LANES * j);
        v = ld32(y + 4 * BLK_LANES * j);
        pxy += u * v;
        pxx += u * u;
        pyy += v * v;
      }
      acc[l] += (double)pxy;
      acc[BLK_LANES + l] += (double)pxx;
      acc[2 * BLK_LANES + l] += (double)pyy;
    }
  blk_cos_tail(acc, a, b, nb * BLK, n);
  out[0] = lanes_sum(acc, BLK_LANES);
  out[1] = lanes_sum(acc + BLK_LANES, BLK_LANES);
  out[2] = lanes_sum(acc + 2 * BLK_LANES, BLK_LANES);
  if (!blk_safe(out[1]) || !blk_safe(out[2])) cos_f32_c(pa, pb, n, out);
}

/* ---- cos against a vector whose sum of squares is known ----
**
** A scan compares every row with one query vector, whose b.b the blocked
** cos kernels would sum again at every row.  vector_sumsq_f32 gives the
** query's b.b once, as those kernels sum it (each of the three sums is
** computed apart from the others, so alone it rounds the same); the
** cos_known kernels then sum only a.b and a.a, and fall back to the exact
** double sums under the same condition as the blocked ones (a.a or b.b out
** of blk_safe's range): bit for bit what cos_f32 returns. */
double vector_sumsq_f32(const void *pb, size_t n) {
  const unsigned char *b = pb;
  double acc[BLK_LANES] = {0};
  size_t nb = n / BLK, i;
  for (size_t k = 0; k < nb; k++)
    for (int l = 0; l < BLK_LANES; l++) {
      const unsigned char *y = b + 4 * (k * BLK + (size_t)l);
      float v = ld32(y), p = v * v;
      for (int j = 1; j < BLK_K; j++) {
        v = ld32(y + 4 * BLK_LANES * j);
        p += v * v;
      }
      acc[l] += (double)p;
    }
  for (i = nb * BLK; i < n; i++) {
    double y = ld32(b + 4 * i), yy = y * y;
    acc[i % BLK_LANES] += yy;
  }
  return lanes_sum(acc, BLK_LANES);
}

static void blk_cos_known_tail(double *acc, const unsigned char *a, const unsigned char *b, size_t i, size_t n) {
  for (; i < n; i++) {
    double x = ld32(a + 4 * i), y = ld32(b + 4 * i);
    double xy = x * y, xx = x * x;
    acc[i % BLK_LANES] += xy;
    acc[BLK_LANES + i % BLK_LANES] += xx;
  }
}

static void cos_known_f32_c(const void *pa, const void *pb, size_t n, double bb, double out[3]) {
  const unsigned char *a = pa, *b = pb;
  double acc[2 * BLK_LANES] = {0};
  size_t nb = n / BLK;
  for (size_t k = 0; k < nb; k++)
    for (int l = 0; l < BLK_LANES; l++) {
      const unsigned char *x = a + 4 * (k * BLK + (size_t)l), *y = b + 4 * (k * BLK + (size_t)l);
      float u = ld32(x), v = ld32(y);
      float pxy = u * v, pxx = u * u;
      for (int j = 1; j < BLK_K; j++) {
        u = ld32(x + 4 * BLK_LANES * j);
        v = ld32(y + 4 * BLK_LANES * j);
        pxy += u * v;
        pxx += u * u;
      }
      acc[l] += (double)pxy;
      acc[BLK_LANES + l] += (double)pxx;
    }
  blk_cos_known_tail(acc, a, b, nb * BLK, n);
  out[0] = lanes_sum(acc, BLK_LANES);
  out[1] = lanes_sum(acc + BLK_LANES, BLK_LANES);
  out[2] = bb;
  if (!blk_safe(out[1]) || !blk_safe(bb)) cos_f32_c(pa, pb, n, out);
}

static const VectorKernels kernels_portable = {"portable", dot_f32_c,  l2sq_f32_blk_c, cos_f32_blk_c,
                                               dot_f64_c,  l2sq_f64_c, cos_f64_c,      cos_known_f32_c};

const VectorKernels *vector_kernels_portable(void) { return &kernels_portable; }

/* ---- x86-64: SSE2 (2 doubles a register) and AVX2 (4) ---- */

#ifdef VEC_X86

/* SSE2: lanes 2k, 2k+1 live in register k (dot, l2); cos keeps lanes
** g..g+3 of each sum in two registers during pass g / 4. */
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
  double lanes[3 * COS_LANES];
  size_t blocks = n / COS_LANES;
  for (int g = 0; g < COS_LANES; g += PASS_LANES) {
    __m128d xy0 = _mm_setzero_pd(), xy1 = xy0, xx0 = xy0, xx1 = xy0, yy0 = xy0, yy1 = xy0;
    for (size_t k = 0; k < blocks; k++) {
      size_t at = 4 * (k * COS_LANES + (size_t)g);
      __m128 x = SSE_LD_F32(a + at), y = SSE_LD_F32(b + at);
      __m128d x0 = SSE_LO(x), x1 = SSE_HI(x), y0 = SSE_LO(y), y1 = SSE_HI(y);
      xy0 = _mm_add_pd(xy0, _mm_mul_pd(x0, y0));
      xy1 = _mm_add_pd(xy1, _mm_mul_pd(x1, y1));
      xx0 = _mm_add_pd(xx0, _mm_mul_pd(x0, x0));
      xx1 = _mm_add_pd(xx1, _mm_mul_pd(x1, x1));
      yy0 = _mm_add_pd(yy0, _mm_mul_pd(y0, y0));
      yy1 = _mm_add_pd(yy1, _mm_mul_pd(y1, y1));
    }
    _mm_storeu_pd(lanes + g, xy0);
    _mm_storeu_pd(lanes + g + 2, xy1);
    _mm_storeu_pd(lanes + COS_LANES + g, xx0);
    _mm_storeu_pd(lanes + COS_LANES + g + 2, xx1);
    _mm_storeu_pd(lanes + 2 * COS_LANES + g, yy0);
    _mm_storeu_pd(lanes + 2 * COS_LANES + g + 2, yy1);
  }
  cos_f32_tail(lanes, a, b, blocks * COS_LANES, n);
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
  double lanes[3 * COS_LANES];
  size_t blocks = n / COS_LANES;
  for (int g = 0; g < COS_LANES; g += PASS_LANES) {
    __m128d xy0 = _mm_setzero_pd(), xy1 = xy0, xx0 = xy0, xx1 = xy0, yy0 = xy0, yy1 = xy0;
    for (size_t k = 0; k < blocks; k++) {
      size_t at = 8 * (k * COS_LANES + (size_t)g);
      __m128d x0 = SSE_LD_F64(a + at), x1 = SSE_LD_F64(a + at + 16);
      __m128d y0 = SSE_LD_F64(b + at), y1 = SSE_LD_F64(b + at + 16);
      xy0 = _mm_add_pd(xy0, _mm_mul_pd(x0, y0));
      xy1 = _mm_add_pd(xy1, _mm_mul_pd(x1, y1));
      xx0 = _mm_add_pd(xx0, _mm_mul_pd(x0, x0));
      xx1 = _mm_add_pd(xx1, _mm_mul_pd(x1, x1));
      yy0 = _mm_add_pd(yy0, _mm_mul_pd(y0, y0));
      yy1 = _mm_add_pd(yy1, _mm_mul_pd(y1, y1));
    }
    _mm_storeu_pd(lanes + g, xy0);
    _mm_storeu_pd(lanes + g + 2, xy1);
    _mm_storeu_pd(lanes + COS_LANES + g, xx0);
    _mm_storeu_pd(lanes + COS_LANES + g + 2, xx1);
    _mm_storeu_pd(lanes + 2 * COS_LANES + g, yy0);
    _mm_storeu_pd(lanes + 2 * COS_LANES + g + 2, yy1);
  }
  cos_f64_tail(lanes, a, b, blocks * COS_LANES, n);
  cos_finish(lanes, out);
}

/* Blocked f32 in four passes of four lanes. */
static double l2sq_f32_blk_sse2(const void *pa, const void *pb, size_t n) {
  const unsigned char *a = pa, *b = pb;
  double acc[BLK_LANES], s;
  size_t nb = n / BLK;
  for (int g = 0; g < BLK_LANES; g += 4) {
    __m128d s0 = _mm_setzero_pd(), s1 = s0;
    for (size_t k = 0; k < nb; k++) {
      const unsigned char *x = a + 4 * (k * BLK + (size_t)g), *y = b + 4 * (k * BLK + (size_t)g);
      __m128 d = _mm_sub_ps(SSE_LD_F32(x), SSE_LD_F32(y)), p = _mm_mul_ps(d, d);
      UNROLL
      for (int j = 1; j < BLK_K; j++) {
        d = _mm_sub_ps(SSE_LD_F32(x + 4 * BLK_LANES * j), SSE_LD_F32(y + 4 * BLK_LANES * j));
        p = _mm_add_ps(p, _mm_mul_ps(d, d));
      }
      s0 = _mm_add_pd(s0, SSE_LO(p));
      s1 = _mm_add_pd(s1, SSE_HI(p));
    }
    _mm_storeu_pd(acc + g, s0);
    _mm_storeu_pd(acc + g + 2, s1);
  }
  blk_l2_tail(acc, a, b, nb * BLK, n);
  s = lanes_sum(acc, BLK_LANES);
  return blk_safe(s) ? s : l2sq_f32_sse2(pa, pb, n);
}

static void cos_f32_blk_sse2(const void *pa, const void *pb, size_t n, double out[3]) {
  const unsigned char *a = pa, *b = pb;
  double acc[3 * BLK_LANES];
  size_t nb = n / BLK;
  for (int g = 0; g < BLK_LANES; g += 4) {
    __m128d xy0 = _mm_setzero_pd(), xy1 = xy0, xx0 = xy0, xx1 = xy0, yy0 = xy0, yy1 = xy0;
    for (size_t k = 0; k < nb; k++) {
      const unsigned char *x = a + 4 * (k * BLK + (size_t)g), *y = b + 4 * (k * BLK + (size_t)g);
      __m128 u = SSE_LD_F32(x), v = SSE_LD_F32(y);
      __m128 pxy = _mm_mul_ps(u, v), pxx = _mm_mul_ps(u, u), pyy = _mm_mul_ps(v, v);
      UNROLL
      for (int j = 1; j < BLK_K; j++) {
        u = SSE_LD_F32(x + 4 * BLK_LANES * j);
        v = SSE_LD_F32(y + 4 * BLK_LANES * j);
        pxy = _mm_add_ps(pxy, _mm_mul_ps(u, v));
        pxx = _mm_add_ps(pxx, _mm_mul_ps(u, u));
        pyy = _mm_add_ps(pyy, _mm_mul_ps(v, v));
      }
      xy0 = _mm_add_pd(xy0, SSE_LO(pxy));
      xy1 = _mm_add_pd(xy1, SSE_HI(pxy));
      xx0 = _mm_add_pd(xx0, SSE_LO(pxx));
      xx1 = _mm_add_pd(xx1, SSE_HI(pxx));
      yy0 = _mm_add_pd(yy0, SSE_LO(pyy));
      yy1 = _mm_add_pd(yy1, SSE_HI(pyy));
    }
    _mm_storeu_pd(acc + g, xy0);
    _mm_storeu_pd(acc + g + 2, xy1);
    _mm_storeu_pd(acc + BLK_LANES + g, xx0);
    _mm_storeu_pd(acc + BLK_LANES + g + 2, xx1);
    _mm_storeu_pd(acc + 2 * BLK_LANES + g, yy0);
    _mm_storeu_pd(acc + 2 * BLK_LANES + g + 2, yy1);
  }
  blk_cos_tail(acc, a, b, nb * BLK, n);
  out[0] = lanes_sum(acc, BLK_LANES);
  out[1] = lanes_sum(acc + BLK_LANES, BLK_LANES);
  out[2] = lanes_sum(acc + 2 * BLK_LANES, BLK_LANES);
  if (!blk_safe(out[1]) || !blk_safe(out[2])) cos_f32_sse2(pa, pb, n, out);
}

static void cos_known_f32_sse2(const void *pa, const void *pb, size_t n, double bb, double out[3]) {
  const unsigned char *a = pa, *b = pb;
  double acc[2 * BLK_LANES];
  size_t nb = n / BLK;
  for (int g = 0; g < BLK_LANES; g += 4) {
    __m128d xy0 = _mm_setzero_pd(), xy1 = xy0, xx0 = xy0, xx1 = xy0;
    for (size_t k = 0; k < nb; k++) {
      const unsigned char *x = a + 4 * (k * BLK + (size_t)g), *y = b + 4 * (k * BLK + (size_t)g);
      __m128 u = SSE_LD_F32(x), v = SSE_LD_F32(y);
      __m128 pxy = _mm_mul_ps(u, v), pxx = _mm_mul_ps(u, u);
      UNROLL
      for (int j = 1; j < BLK_K; j++) {
        u = SSE_LD_F32(x + 4 * BLK_LANES * j);
        v = SSE_LD_F32(y + 4 * BLK_LANES * j);
        pxy = _mm_add_ps(pxy, _mm_mul_ps(u, v));
        pxx = _mm_add_ps(pxx, _mm_mul_ps(u, u));
      }
      xy0 = _mm_add_pd(xy0, SSE_LO(pxy));
      xy1 = _mm_add_pd(xy1, SSE_HI(pxy));
      xx0 = _mm_add_pd(xx0, SSE_LO(pxx));
      xx1 = _mm_add_pd(xx1, SSE_HI(pxx));
    }
    _mm_storeu_pd(acc + g, xy0);
    _mm_storeu_pd(acc + g + 2, xy1);
    _mm_storeu_pd(acc + BLK_LANES + g, xx0);
    _mm_storeu_pd(acc + BLK_LANES + g + 2, xx1);
  }
  blk_cos_known_tail(acc, a, b, nb * BLK, n);
  out[0] = lanes_sum(acc, BLK_LANES);
  out[1] = lanes_sum(acc + BLK_LANES, BLK_LANES);
  out[2] = bb;
  if (!blk_safe(out[1]) || !blk_safe(bb)) cos_f32_sse2(pa, pb, n, out);
}

static const VectorKernels kernels_sse2 = {"sse2",       dot_f32_sse2,  l2sq_f32_blk_sse2, cos_f32_blk_sse2,
                                           dot_f64_sse2, l2sq_f64_sse2, cos_f64_sse2,      cos_known_f32_sse2};

/* AVX2: lanes 4k..4k+3 live in register k. */
#define AVX __attribute__((target("avx2,fma")))
#define AVX_LD_F32(p) _mm256_cvtps_pd(_mm_loadu_ps((const float *)(const void *)(p)))
#define AVX_LD_F64(p) _mm256_loadu_pd((const double *)(const void *)(p))

/* lanes_sum in AVX registers: the same additions of the same pairs, four
** or two at a time.  The loads are as wide as the stores that wrote the
** lanes, which lets the CPU forward the stored values (the scalar loads of
** lanes_sum could not be forwarded from a register-wide store, and waited
** for it). */
AVX static double lanes_sum_avx(const double *acc, int n) {
  __m256d r0 = _mm256_loadu_pd(acc), r1 = _mm256_loadu_pd(acc + 4);
  __m256d r2 = _mm256_loadu_pd(acc + 8), r3 = _mm256_loadu_pd(acc + 12);
  __m128d h;
  double sum;
  assert(n == 16 || n == 32);
  if (n == 32) {
    r0 = _mm256_add_pd(r0, _mm256_loadu_pd(acc + 16));
    r1 = _mm256_add_pd(r1, _mm256_loadu_pd(acc + 20));
    r2 = _mm256_add_pd(r2, _mm256_loadu_pd(acc + 24));
    r3 = _mm256_add_pd(r3, _mm256_loadu_pd(acc + 28));
  }
  r0 = _mm256_add_pd(r0, r2); /* step 8 */
  r1 = _mm256_add_pd(r1, r3);
  r0 = _mm256_add_pd(r0, r1);                                              /* step 4 */
  h = _mm_add_pd(_mm256_castpd256_pd128(r0), _mm256_extractf128_pd(r0, 1)); /* step 2 */
  sum = _mm_cvtsd_f64(_mm_add_sd(h, _mm_unpackhi_pd(h, h)));                /* step 1 */
  /* The kernels end here: leave the upper halves of the registers clean for
  ** the SSE code of the caller (gcc adds no vzeroupper to a function whose
  ** AVX comes from a target attribute). */
  _mm256_zeroupper();
  return sum;
}

AVX static void cos_finish_avx(const double *acc, double out[3]) {
  out[0] = lanes_sum_avx(acc, COS_LANES);
  out[1] = lanes_sum_avx(acc + COS_LANES, COS_LANES);
  out[2] = lanes_sum_avx(acc + 2 * COS_LANES, COS_LANES);
}

/* The four registers of a sum are named variables, not an array, so that
** they stay in registers. */
AVX static double dot_f32_avx2(const void *pa, const void *pb, size_t n) {
  const unsigned char *a = pa, *b = pb;
  __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
  double lanes[LANES];
  size_t i = 0;
  for (; i + LANES <= n; i += LANES) {
    const unsigned char *x = a + 4 * i, *y = b + 4 * i;
    s0 = _mm256_fmadd_pd(AVX_LD_F32(x), AVX_LD_F32(y), s0);
    s1 = _mm256_fmadd_pd(AVX_LD_F32(x + 16), AVX_LD_F32(y + 16), s1);
    s2 = _mm256_fmadd_pd(AVX_LD_F32(x + 32), AVX_LD_F32(y + 32), s2);
    s3 = _mm256_fmadd_pd(AVX_LD_F32(x + 48), AVX_LD_F32(y + 48), s3);
  }
  _mm256_storeu_pd(lanes, s0);
  _mm256_storeu_pd(lanes + 4, s1);
  _mm256_storeu_pd(lanes + 8, s2);
  _mm256_storeu_pd(lanes + 12, s3);
  dot_f32_tail(lanes, a, b, i, n);
  return lanes_sum_avx(lanes, LANES);
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
  return lanes_sum_avx(lanes, LANES);
}

/* In pass g / 16, register q of each sum takes lanes g + 4q .. g + 4q + 3. */
#define AVX_COS_STEP(q, LD, ES, MADD)                                                                                  \
  do {                                                                                                                 \
    __m256d x = LD(a + ES * (at + 4 * (q))), y = LD(b + ES * (at + 4 * (q)));                                         \
    xy##q = MADD(x, y, xy##q);                                                                                         \
    xx##q = MADD(x, x, xx##q);                                                                                         \
    yy##q = MADD(y, y, yy##q);                                                                                         \
  } while (0)
/* f64 products are rounded: a separate multiply and add */
#define AVX_MUL_ADD(x, y, acc) _mm256_add_pd(acc, _mm256_mul_pd(x, y))

/* The passes of cos over lanes g..g+15 of its three sums; ES is the element
** size, MADD how a product is added. */
#define AVX_COS_PASSES(LD, ES, MADD)                                                                                   \
  for (size_t g = 0; g < COS_LANES; g += AVX_PASS_LANES) {                                                             \
    __m256d xy0 = _mm256_setzero_pd(), xy1 = xy0, xy2 = xy0, xy3 = xy0;                                                \
    __m256d xx0 = xy0, xx1 = xy0, xx2 = xy0, xx3 = xy0, yy0 = xy0, yy1 = xy0, yy2 = xy0, yy3 = xy0;                    \
    for (size_t at = g; at + COS_LANES - g <= n; at += COS_LANES) {                                                    \
      AVX_COS_STEP(0, LD, ES, MADD);                                                                                   \
      AVX_COS_STEP(1, LD, ES, MADD);                                                                                   \
      AVX_COS_STEP(2, LD, ES, MADD);                                                                                   \
      AVX_COS_STEP(3, LD, ES, MADD);                                                                                   \
    }                                                                                                                  \
    _mm256_storeu_pd(lanes + g, xy0);                                                                                  \
    _mm256_storeu_pd(lanes + g + 4, xy1);                                                                              \
    _mm256_storeu_pd(lanes + g + 8, xy2);                                                                              \
    _mm256_storeu_pd(lanes + g + 12, xy3);                                                                             \
    _mm256_storeu_pd(lanes + COS_LANES + g, xx0);                                                                      \
    _mm256_storeu_pd(lanes + COS_LANES + g + 4, xx1);                                                                  \
    _mm256_storeu_pd(lanes + COS_LANES + g + 8, xx2);                                                                  \
    _mm256_storeu_pd(lanes + COS_LANES + g + 12, xx3);                                                                 \
    _mm256_storeu_pd(lanes + 2 * COS_LANES + g, yy0);                                                                  \
    _mm256_storeu_pd(lanes + 2 * COS_LANES + g + 4, yy1);                                                              \
    _mm256_storeu_pd(lanes + 2 * COS_LANES + g + 8, yy2);                                                              \
    _mm256_storeu_pd(lanes + 2 * COS_LANES + g + 12, yy3);                                                             \
  }

AVX static void cos_f32_avx2(const void *pa, const void *pb, size_t n, double out[3]) {
  const unsigned char *a = pa, *b = pb;
  double lanes[3 * COS_LANES];
  AVX_COS_PASSES(AVX_LD_F32, 4, _mm256_fmadd_pd)
  cos_f32_tail(lanes, a, b, n / COS_LANES * COS_LANES, n);
  cos_finish_avx(lanes, out);
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
  return lanes_sum_avx(lanes, LANES);
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
  return lanes_sum_avx(lanes, LANES);
}

AVX static void cos_f64_avx2(const void *pa, const void *pb, size_t n, double out[3]) {
  const unsigned char *a = pa, *b = pb;
  double lanes[3 * COS_LANES];
  AVX_COS_PASSES(AVX_LD_F64, 8, AVX_MUL_ADD)
  cos_f64_tail(lanes, a, b, n / COS_LANES * COS_LANES, n);
  cos_finish_avx(lanes, out);
}

/* Blocked f32 in two passes of eight lanes. */
#define AVX_LO_PD(p) _mm256_cvtps_pd(_mm256_castps256_ps128(p))
#define AVX_HI_PD(p) _mm256_cvtps_pd(_mm256_extractf128_ps(p, 1))

AVX static double l2sq_f32_blk_avx2(const void *pa, const void *pb, size_t n) {
  const unsigned char *a = pa, *b = pb;
  double acc[BLK_LANES], s;
  size_t nb = n / BLK;
  for (int g = 0; g < BLK_LANES; g += 8) {
    __m256d s0 = _mm256_setzero_pd(), s1 = s0;
    for (size_t k = 0; k < nb; k++) {
      const float *x = (const float *)(const void *)(a + 4 * (k * BLK + (size_t)g));
      const float *y = (const float *)(const void *)(b + 4 * (k * BLK + (size_t)g));
      __m256 d = _mm256_sub_ps(_mm256_loadu_ps(x), _mm256_loadu_ps(y)), p = _mm256_mul_ps(d, d);
      UNROLL
      for (int j = 1; j < BLK_K; j++) {
        d = _mm256_sub_ps(_mm256_loadu_ps(x + BLK_LANES * j), _mm256_loadu_ps(y + BLK_LANES * j));
        p = _mm256_add_ps(p, _mm256_mul_ps(d, d));
      }
      s0 = _mm256_add_pd(s0, AVX_LO_PD(p));
      s1 = _mm256_add_pd(s1, AVX_HI_PD(p));
    }
    _mm256_storeu_pd(acc + g, s0);
    _mm256_storeu_pd(acc + g + 4, s1);
  }
  blk_l2_tail(acc, a, b, nb * BLK, n);
  s = lanes_sum_avx(acc, BLK_LANES);
  return blk_safe(s) ? s : l2sq_f32_avx2(pa, pb, n);
}

AVX static void cos_f32_blk_avx2(const void *pa, const void *pb, size_t n, double out[3]) {
  const unsigned char *a = pa, *b = pb;
  double acc[3 * BLK_LANES];
  size_t nb = n / BLK;
  for (int g = 0; g < BLK_LANES; g += 8) {
    __m256d xy0 = _mm256_setzero_pd(), xy1 = xy0, xx0 = xy0, xx1 = xy0, yy0 = xy0, yy1 = xy0;
    for (size_t k = 0; k < nb; k++) {
      const float *x = (const float *)(const void *)(a + 4 * (k * BLK + (size_t)g));
      const float *y = (const float *)(const void *)(b + 4 * (k * BLK + (size_t)g));
      __m256 u = _mm256_loadu_ps(x), v = _mm256_loadu_ps(y);
      __m256 pxy = _mm256_mul_ps(u, v), pxx = _mm256_mul_ps(u, u), pyy = _mm256_mul_ps(v, v);
      UNROLL
      for (int j = 1; j < BLK_K; j++) {
        u = _mm256_loadu_ps(x + BLK_LANES * j);
        v = _mm256_loadu_ps(y + BLK_LANES * j);
        pxy = _mm256_add_ps(pxy, _mm256_mul_ps(u, v));
        pxx = _mm256_add_ps(pxx, _mm256_mul_ps(u, u));
        pyy = _mm256_add_ps(pyy, _mm256_mul_ps(v, v));
      }
      xy0 = _mm256_add_pd(xy0, AVX_LO_PD(pxy));
      xy1 = _mm256_add_pd(xy1, AVX_HI_PD(pxy));
      xx0 = _mm256_add_pd(xx0, AVX_LO_PD(pxx));
      xx1 = _mm256_add_pd(xx1, AVX_HI_PD(pxx));
      yy0 = _mm256_add_pd(yy0, AVX_LO_PD(pyy));
      yy1 = _mm256_add_pd(yy1, AVX_HI_PD(pyy));
    }
    _mm256_storeu_pd(acc + g, xy0);
    _mm256_storeu_pd(acc + g + 4, xy1);
    _mm256_storeu_pd(acc + BLK_LANES + g, xx0);
    _mm256_storeu_pd(acc + BLK_LANES + g + 4, xx1);
    _mm256_storeu_pd(acc + 2 * BLK_LANES + g, yy0);
    _mm256_storeu_pd(acc + 2 * BLK_LANES + g + 4, yy1);
  }
  blk_cos_tail(acc, a, b, nb * BLK, n);
  out[0] = lanes_sum_avx(acc, BLK_LANES);
  out[1] = lanes_sum_avx(acc + BLK_LANES, BLK_LANES);
  out[2] = lanes_sum_avx(acc + 2 * BLK_LANES, BLK_LANES);
  if (!blk_safe(out[1]) || !blk_safe(out[2])) cos_f32_avx2(pa, pb, n, out);
}

AVX static void cos_known_f32_avx2(const void *pa, const void *pb, size_t n, double bb, double out[3]) {
  const unsigned char *a = pa, *b = pb;
  double acc[2 * BLK_LANES];
  size_t nb = n / BLK;
  for (int g = 0; g < BLK_LANES; g += 8) {
    __m256d xy0 = _mm256_setzero_pd(), xy1 = xy0, xx0 = xy0, xx1 = xy0;
    for (size_t k = 0; k < nb; k++) {
      const float *x = (const float *)(const void *)(a + 4 * (k * BLK + (size_t)g));
      const float *y = (const float *)(const void *)(b + 4 * (k * BLK + (size_t)g));
      __m256 u = _mm256_loadu_ps(x), v = _mm256_loadu_ps(y);
      __m256 pxy = _mm256_mul_ps(u, v), pxx = _mm256_mul_ps(u, u);
      UNROLL
      for (int j = 1; j < BLK_K; j++) {
        u = _mm256_loadu_ps(x + BLK_LANES * j);
        v = _mm256_loadu_ps(y + BLK_LANES * j);
        pxy = _mm256_add_ps(pxy, _mm256_mul_ps(u, v));
        pxx = _mm256_add_ps(pxx, _mm256_mul_ps(u, u));
      }
      xy0 = _mm256_add_pd(xy0, AVX_LO_PD(pxy));
      xy1 = _mm256_add_pd(xy1, AVX_HI_PD(pxy));
      xx0 = _mm256_add_pd(xx0, AVX_LO_PD(pxx));
      xx1 = _mm256_add_pd(xx1, AVX_HI_PD(pxx));
    }
    _mm256_storeu_pd(acc + g, xy0);
    _mm256_storeu_pd(acc + g + 4, xy1);
    _mm256_storeu_pd(acc + BLK_LANES + g, xx0);
    _mm256_storeu_pd(acc + BLK_LANES + g + 4, xx1);
  }
  blk_cos_known_tail(acc, a, b, nb * BLK, n);
  out[0] = lanes_sum_avx(acc, BLK_LANES);
  out[1] = lanes_sum_avx(acc + BLK_LANES, BLK_LANES);
  out[2] = bb;
  if (!blk_safe(out[1]) || !blk_safe(bb)) cos_f32_avx2(pa, pb, n, out);
}

static const VectorKernels kernels_avx2 = {"avx2",       dot_f32_avx2,  l2sq_f32_blk_avx2, cos_f32_blk_avx2,
                                           dot_f64_avx2, l2sq_f64_avx2, cos_f64_avx2,      cos_known_f32_avx2};

/* AVX-512: lanes 8k..8k+7 live in register k.  Only the f32 kernels, the
** ones vector search spends its time in: converting f32 to double is what
** bounds the AVX2 ones, and here one instruction converts eight. */
#define AVX512 __attribute__((target("avx512f")))
#define Z_LD_F32(p) _mm512_cvtps_pd(_mm256_loadu_ps((const float *)(const void *)(p)))

AVX512 static double dot_f32_avx512(const void *pa, const void *pb, size_t n) {
  const unsigned char *a = pa, *b = pb;
  __m512d s0 = _mm512_setzero_pd(), s1 = s0;
  double lanes[LANES];
  size_t i = 0;
  for (; i + LANES <= n; i += LANES) {
    s0 = _mm512_fmadd_pd(Z_LD_F32(a + 4 * i), Z_LD_F32(b + 4 * i), s0);
    s1 = _mm512_fmadd_pd(Z_LD_F32(a + 4 * i + 32), Z_LD_F32(b + 4 * i + 32), s1);
  }
  _mm512_storeu_pd(lanes, s0);
  _mm512_storeu_pd(lanes + 8, s1);
  dot_f32_tail(lanes, a, b, i, n);
  return lanes_sum_avx(lanes, LANES);
}

AVX512 static double l2sq_f32_avx512(const void *pa, const void *pb, size_t n) {
  const unsigned char *a = pa, *b = pb;
  __m512d s0 = _mm512_setzero_pd(), s1 = s0;
  double lanes[LANES];
  size_t i = 0;
  for (; i + LANES <= n; i += LANES) {
    __m512d d0 = _mm512_sub_pd(Z_LD_F32(a + 4 * i), Z_LD_F32(b + 4 * i));
    __m512d d1 = _mm512_sub_pd(Z_LD_F32(a + 4 * i + 32), Z_LD_F32(b + 4 * i + 32));
    s0 = _mm512_add_pd(s0, _mm512_mul_pd(d0, d0));
    s1 = _mm512_add_pd(s1, _mm512_mul_pd(d1, d1));
  }
  _mm512_storeu_pd(lanes, s0);
  _mm512_storeu_pd(lanes + 8, s1);
  l2_f32_tail(lanes, a, b, i, n);
  return lanes_sum_avx(lanes, LANES);
}

#define Z_COS_STEP(q)                                                                                                  \
  do {                                                                                                                 \
    __m512d x = Z_LD_F32(a + 4 * (i + 8 * (q))), y = Z_LD_F32(b + 4 * (i + 8 * (q)));                                 \
    xy##q = _mm512_fmadd_pd(x, y, xy##q);                                                                              \
    xx##q = _mm512_fmadd_pd(x, x, xx##q);                                                                              \
    yy##q = _mm512_fmadd_pd(y, y, yy##q);                                                                              \
  } while (0)

AVX512 static void cos_f32_avx512(const void *pa, const void *pb, size_t n, double out[3]) {
  const unsigned char *a = pa, *b = pb;
  __m512d xy0 = _mm512_setzero_pd(), xy1 = xy0, xy2 = xy0, xy3 = xy0;
  __m512d xx0 = xy0, xx1 = xy0, xx2 = xy0, xx3 = xy0, yy0 = xy0, yy1 = xy0, yy2 = xy0, yy3 = xy0;
  double lanes[3 * COS_LANES];
  size_t i = 0;
  for (; i + COS_LANES <= n; i += COS_LANES) {
    Z_COS_STEP(0);
    Z_COS_STEP(1);
    Z_COS_STEP(2);
    Z_COS_STEP(3);
  }
  _mm512_storeu_pd(lanes, xy0);
  _mm512_storeu_pd(lanes + 8, xy1);
  _mm512_storeu_pd(lanes + 16, xy2);
  _mm512_storeu_pd(lanes + 24, xy3);
  _mm512_storeu_pd(lanes + COS_LANES, xx0);
  _mm512_storeu_pd(lanes + COS_LANES + 8, xx1);
  _mm512_storeu_pd(lanes + COS_LANES + 16, xx2);
  _mm512_storeu_pd(lanes + COS_LANES + 24, xx3);
  _mm512_storeu_pd(lanes + 2 * COS_LANES, yy0);
  _mm512_storeu_pd(lanes + 2 * COS_LANES + 8, yy1);
  _mm512_storeu_pd(lanes + 2 * COS_LANES + 16, yy2);
  _mm512_storeu_pd(lanes + 2 * COS_LANES + 24, yy3);
  cos_f32_tail(lanes, a, b, i, n);
  cos_finish_avx(lanes, out);
}

/* Blocked f32 in one pass: sixteen lanes in a register. */
#define Z_LO_PD(p) _mm512_cvtps_pd(_mm512_castps512_ps256(p))
#define Z_HI_PD(p) _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(p), 1)))

AVX512 static double l2sq_f32_blk_avx512(const void *pa, const void *pb, size_t n) {
  const unsigned char *a = pa, *b = pb;
  double acc[BLK_LANES], s;
  size_t nb = n / BLK;
  __m512d s0 = _mm512_setzero_pd(), s1 = s0;
  for (size_t k = 0; k < nb; k++) {
    const float *x = (const float *)(const void *)(a + 4 * k * BLK), *y = (const float *)(const void *)(b + 4 * k * BLK);
    __m512 d = _mm512_sub_ps(_mm512_loadu_ps(x), _mm512_loadu_ps(y)), p = _mm512_mul_ps(d, d);
    UNROLL
    for (int j = 1; j < BLK_K; j++) {
      d = _mm512_sub_ps(_mm512_loadu_ps(x + BLK_LANES * j), _mm512_loadu_ps(y + BLK_LANES * j));
      p = _mm512_add_ps(p, _mm512_mul_ps(d, d));
    }
    s0 = _mm512_add_pd(s0, Z_LO_PD(p));
    s1 = _mm512_add_pd(s1, Z_HI_PD(p));
  }
  _mm512_storeu_pd(acc, s0);
  _mm512_storeu_pd(acc + 8, s1);
  blk_l2_tail(acc, a, b, nb * BLK, n);
  s = lanes_sum_avx(acc, BLK_LANES);
  return blk_safe(s) ? s : l2sq_f32_avx512(pa, pb, n);
}

AVX512 static void cos_f32_blk_avx512(const void *pa, const void *pb, size_t n, double out[3]) {
  const unsigned char *a = pa, *b = pb;
  double acc[3 * BLK_LANES];
  size_t nb = n / BLK;
  __m512d xy0 = _mm512_setzero_pd(), xy1 = xy0, xx0 = xy0, xx1 = xy0, yy0 = xy0, yy1 = xy0;
  for (size_t k = 0; k < nb; k++) {
    const float *x = (const float *)(const void *)(a + 4 * k * BLK), *y = (const float *)(const void *)(b + 4 * k * BLK);
    __m512 u = _mm512_loadu_ps(x), v = _mm512_loadu_ps(y);
    __m512 pxy = _mm512_mul_ps(u, v), pxx = _mm512_mul_ps(u, u), pyy = _mm512_mul_ps(v, v);
    UNROLL
    for (int j = 1; j < BLK_K; j++) {
      u = _mm512_loadu_ps(x + BLK_LANES * j);
      v = _mm512_loadu_ps(y + BLK_LANES * j);
      pxy = _mm512_add_ps(pxy, _mm512_mul_ps(u, v));
      pxx = _mm512_add_ps(pxx, _mm512_mul_ps(u, u));
      pyy = _mm512_add_ps(pyy, _mm512_mul_ps(v, v));
    }
    xy0 = _mm512_add_pd(xy0, Z_LO_PD(pxy));
    xy1 = _mm512_add_pd(xy1, Z_HI_PD(pxy));
    xx0 = _mm512_add_pd(xx0, Z_LO_PD(pxx));
    xx1 = _mm512_add_pd(xx1, Z_HI_PD(pxx));
    yy0 = _mm512_add_pd(yy0, Z_LO_PD(pyy));
    yy1 = _mm512_add_pd(yy1, Z_HI_PD(pyy));
  }
  _mm512_storeu_pd(acc, xy0);
  _mm512_storeu_pd(acc + 8, xy1);
  _mm512_storeu_pd(acc + BLK_LANES, xx0);
  _mm512_storeu_pd(acc + BLK_LANES + 8, xx1);
  _mm512_storeu_pd(acc + 2 * BLK_LANES, yy0);
  _mm512_storeu_pd(acc + 2 * BLK_LANES + 8, yy1);
  blk_cos_tail(acc, a, b, nb * BLK, n);
  out[0] = lanes_sum_avx(acc, BLK_LANES);
  out[1] = lanes_sum_avx(acc + BLK_LANES, BLK_LANES);
  out[2] = lanes_sum_avx(acc + 2 * BLK_LANES, BLK_LANES);
  if (!blk_safe(out[1]) || !blk_safe(out[2])) cos_f32_avx512(pa, pb, n, out);
}

AVX512 static void cos_known_f32_avx512(const void *pa, const void *pb, size_t n, double bb, double out[3]) {
  const unsigned char *a = pa, *b = pb;
  double acc[2 * BLK_LANES];
  size_t nb = n / BLK;
  __m512d xy0 = _mm512_setzero_pd(), xy1 = xy0, xx0 = xy0, xx1 = xy0;
  for (size_t k = 0; k < nb; k++) {
    const float *x = (const float *)(const void *)(a + 4 * k * BLK);
    const float *y = (const float *)(const void *)(b + 4 * k * BLK);
    __m512 u = _mm512_loadu_ps(x), v = _mm512_loadu_ps(y);
    __m512 pxy = _mm512_mul_ps(u, v), pxx = _mm512_mul_ps(u, u);
    UNROLL
    for (int j = 1; j < BLK_K; j++) {
      u = _mm512_loadu_ps(x + BLK_LANES * j);
      v = _mm512_loadu_ps(y + BLK_LANES * j);
      pxy = _mm512_add_ps(pxy, _mm512_mul_ps(u, v));
      pxx = _mm512_add_ps(pxx, _mm512_mul_ps(u, u));
    }
    xy0 = _mm512_add_pd(xy0, Z_LO_PD(pxy));
    xy1 = _mm512_add_pd(xy1, Z_HI_PD(pxy));
    xx0 = _mm512_add_pd(xx0, Z_LO_PD(pxx));
    xx1 = _mm512_add_pd(xx1, Z_HI_PD(pxx));
  }
  _mm512_storeu_pd(acc, xy0);
  _mm512_storeu_pd(acc + 8, xy1);
  _mm512_storeu_pd(acc + BLK_LANES, xx0);
  _mm512_storeu_pd(acc + BLK_LANES + 8, xx1);
  blk_cos_known_tail(acc, a, b, nb * BLK, n);
  out[0] = lanes_sum_avx(acc, BLK_LANES);
  out[1] = lanes_sum_avx(acc + BLK_LANES, BLK_LANES);
  out[2] = bb;
  if (!blk_safe(out[1]) || !blk_safe(bb)) cos_f32_avx512(pa, pb, n, out);
}

static const VectorKernels kernels_avx512 = {"avx512",     dot_f32_avx512, l2sq_f32_blk_avx512, cos_f32_blk_avx512,
                                             dot_f64_avx2, l2sq_f64_avx2,  cos_f64_avx2,        cos_known_f32_avx512};

/* Every AVX2 CPU so far has FMA too; the kernels need both. */
static int have_avx2(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
/* (the f64 kernels of that table are AVX2's) */
static int have_avx512(void) { return have_avx2() && __builtin_cpu_supports("avx512f"); }
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
  double lanes[3 * COS_LANES];
  size_t blocks = n / COS_LANES;
  for (int g = 0; g < COS_LANES; g += PASS_LANES) {
    v128_t xy0 = wasm_f64x2_splat(0.0), xy1 = xy0, xx0 = xy0, xx1 = xy0, yy0 = xy0, yy1 = xy0;
    for (size_t k = 0; k < blocks; k++) {
      size_t at = 4 * (k * COS_LANES + (size_t)g);
      v128_t x = wasm_v128_load(a + at), y = wasm_v128_load(b + at);
      v128_t x0 = W_LO(x), x1 = W_HI(x), y0 = W_LO(y), y1 = W_HI(y);
      xy0 = wasm_f64x2_add(xy0, wasm_f64x2_mul(x0, y0));
      xy1 = wasm_f64x2_add(xy1, wasm_f64x2_mul(x1, y1));
      xx0 = wasm_f64x2_add(xx0, wasm_f64x2_mul(x0, x0));
      xx1 = wasm_f64x2_add(xx1, wasm_f64x2_mul(x1, x1));
      yy0 = wasm_f64x2_add(yy0, wasm_f64x2_mul(y0, y0));
      yy1 = wasm_f64x2_add(yy1, wasm_f64x2_mul(y1, y1));
    }
    wasm_v128_store(lanes + g, xy0);
    wasm_v128_store(lanes + g + 2, xy1);
    wasm_v128_store(lanes + COS_LANES + g, xx0);
    wasm_v128_store(lanes + COS_LANES + g + 2, xx1);
    wasm_v128_store(lanes + 2 * COS_LANES + g, yy0);
    wasm_v128_store(lanes + 2 * COS_LANES + g + 2, yy1);
  }
  cos_f32_tail(lanes, a, b, blocks * COS_LANES, n);
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
  double lanes[3 * COS_LANES];
  size_t blocks = n / COS_LANES;
  for (int g = 0; g < COS_LANES; g += PASS_LANES) {
    v128_t xy0 = wasm_f64x2_splat(0.0), xy1 = xy0, xx0 = xy0, xx1 = xy0, yy0 = xy0, yy1 = xy0;
    for (size_t k = 0; k < blocks; k++) {
      size_t at = 8 * (k * COS_LANES + (size_t)g);
      v128_t x0 = wasm_v128_load(a + at), x1 = wasm_v128_load(a + at + 16);
      v128_t y0 = wasm_v128_load(b + at), y1 = wasm_v128_load(b + at + 16);
      xy0 = wasm_f64x2_add(xy0, wasm_f64x2_mul(x0, y0));
      xy1 = wasm_f64x2_add(xy1, wasm_f64x2_mul(x1, y1));
      xx0 = wasm_f64x2_add(xx0, wasm_f64x2_mul(x0, x0));
      xx1 = wasm_f64x2_add(xx1, wasm_f64x2_mul(x1, x1));
      yy0 = wasm_f64x2_add(yy0, wasm_f64x2_mul(y0, y0));
      yy1 = wasm_f64x2_add(yy1, wasm_f64x2_mul(y1, y1));
    }
    wasm_v128_store(lanes + g, xy0);
    wasm_v128_store(lanes + g + 2, xy1);
    wasm_v128_store(lanes + COS_LANES + g, xx0);
    wasm_v128_store(lanes + COS_LANES + g + 2, xx1);
    wasm_v128_store(lanes + 2 * COS_LANES + g, yy0);
    wasm_v128_store(lanes + 2 * COS_LANES + g + 2, yy1);
  }
  cos_f64_tail(lanes, a, b, blocks * COS_LANES, n);
  cos_finish(lanes, out);
}

/* Blocked f32 in four passes of four lanes, as SSE2. */
static double l2sq_f32_blk_wasm(const void *pa, const void *pb, size_t n) {
  const unsigned char *a = pa, *b = pb;
  double acc[BLK_LANES], s;
  size_t nb = n / BLK;
  for (int g = 0; g < BLK_LANES; g += 4) {
    v128_t s0 = wasm_f64x2_splat(0.0), s1 = s0;
    for (size_t k = 0; k < nb; k++) {
      const unsigned char *x = a + 4 * (k * BLK + (size_t)g), *y = b + 4 * (k * BLK + (size_t)g);
      v128_t d = wasm_f32x4_sub(wasm_v128_load(x), wasm_v128_load(y)), p = wasm_f32x4_mul(d, d);
      UNROLL
      for (int j = 1; j < BLK_K; j++) {
        d = wasm_f32x4_sub(wasm_v128_load(x + 4 * BLK_LANES * j), wasm_v128_load(y + 4 * BLK_LANES * j));
        p = wasm_f32x4_add(p, wasm_f32x4_mul(d, d));
      }
      s0 = wasm_f64x2_add(s0, W_LO(p));
      s1 = wasm_f64x2_add(s1, W_HI(p));
    }
    wasm_v128_store(acc + g, s0);
    wasm_v128_store(acc + g + 2, s1);
  }
  blk_l2_tail(acc, a, b, nb * BLK, n);
  s = lanes_sum(acc, BLK_LANES);
  return blk_safe(s) ? s : l2sq_f32_wasm(pa, pb, n);
}

static void cos_f32_blk_wasm(const void *pa, const void *pb, size_t n, double out[3]) {
  const unsigned char *a = pa, *b = pb;
  double acc[3 * BLK_LANES];
  size_t nb = n / BLK;
  for (int g = 0; g < BLK_LANES; g += 4) {
    v128_t xy0 = wasm_f64x2_splat(0.0), xy1 = xy0, xx0 = xy0, xx1 = xy0, yy0 = xy0, yy1 = xy0;
    for (size_t k = 0; k < nb; k++) {
      const unsigned char *x = a + 4 * (k * BLK + (size_t)g), *y = b + 4 * (k * BLK + (size_t)g);
      v128_t u = wasm_v128_load(x), v = wasm_v128_load(y);
      v128_t pxy = wasm_f32x4_mul(u, v), pxx = wasm_f32x4_mul(u, u), pyy = wasm_f32x4_mul(v, v);
      UNROLL
      for (int j = 1; j < BLK_K; j++) {
        u = wasm_v128_load(x + 4 * BLK_LANES * j);
        v = wasm_v128_load(y + 4 * BLK_LANES * j);
        pxy = wasm_f32x4_add(pxy, wasm_f32x4_mul(u, v));
        pxx = wasm_f32x4_add(pxx, wasm_f32x4_mul(u, u));
        pyy = wasm_f32x4_add(pyy, wasm_f32x4_mul(v, v));
      }
      xy0 = wasm_f64x2_add(xy0, W_LO(pxy));
      xy1 = wasm_f64x2_add(xy1, W_HI(pxy));
      xx0 = wasm_f64x2_add(xx0, W_LO(pxx));
      xx1 = wasm_f64x2_add(xx1, W_HI(pxx));
      yy0 = wasm_f64x2_add(yy0, W_LO(pyy));
      yy1 = wasm_f64x2_add(yy1, W_HI(pyy));
    }
    wasm_v128_store(acc + g, xy0);
    wasm_v128_store(acc + g + 2, xy1);
    wasm_v128_store(acc + BLK_LANES + g, xx0);
    wasm_v128_store(acc + BLK_LANES + g + 2, xx1);
    wasm_v128_store(acc + 2 * BLK_LANES + g, yy0);
    wasm_v128_store(acc + 2 * BLK_LANES + g + 2, yy1);
  }
  blk_cos_tail(acc, a, b, nb * BLK, n);
  out[0] = lanes_sum(acc, BLK_LANES);
  out[1] = lanes_sum(acc + BLK_LANES, BLK_LANES);
  out[2] = lanes_sum(acc + 2 * BLK_LANES, BLK_LANES);
  if (!blk_safe(out[1]) || !blk_safe(out[2])) cos_f32_wasm(pa, pb, n, out);
}

static void cos_known_f32_wasm(const void *pa, const void *pb, size_t n, double bb, double out[3]) {
  const unsigned char *a = pa, *b = pb;
  double acc[2 * BLK_LANES];
  size_t nb = n / BLK;
  for (int g = 0; g < BLK_LANES; g += 4) {
    v128_t xy0 = wasm_f64x2_splat(0.0), xy1 = xy0, xx0 = xy0, xx1 = xy0;
    for (size_t k = 0; k < nb; k++) {
      const unsigned char *x = a + 4 * (k * BLK + (size_t)g), *y = b + 4 * (k * BLK + (size_t)g);
      v128_t u = wasm_v128_load(x), v = wasm_v128_load(y);
      v128_t pxy = wasm_f32x4_mul(u, v), pxx = wasm_f32x4_mul(u, u);
      UNROLL
      for (int j = 1; j < BLK_K; j++) {
        u = wasm_v128_load(x + 4 * BLK_LANES * j);
        v = wasm_v128_load(y + 4 * BLK_LANES * j);
        pxy = wasm_f32x4_add(pxy, wasm_f32x4_mul(u, v));
        pxx = wasm_f32x4_add(pxx, wasm_f32x4_mul(u, u));
      }
      xy0 = wasm_f64x2_add(xy0, W_LO(pxy));
      xy1 = wasm_f64x2_add(xy1, W_HI(pxy));
      xx0 = wasm_f64x2_add(xx0, W_LO(pxx));
      xx1 = wasm_f64x2_add(xx1, W_HI(pxx));
    }
    wasm_v128_store(acc + g, xy0);
    wasm_v128_store(acc + g + 2, xy1);
    wasm_v128_store(acc + BLK_LANES + g, xx0);
    wasm_v128_store(acc + BLK_LANES + g + 2, xx1);
  }
  blk_cos_known_tail(acc, a, b, nb * BLK, n);
  out[0] = lanes_sum(acc, BLK_LANES);
  out[1] = lanes_sum(acc + BLK_LANES, BLK_LANES);
  out[2] = bb;
  if (!blk_safe(out[1]) || !blk_safe(bb)) cos_f32_wasm(pa, pb, n, out);
}

static const VectorKernels kernels_wasm = {"simd128",    dot_f32_wasm,  l2sq_f32_blk_wasm, cos_f32_blk_wasm,
                                           dot_f64_wasm, l2sq_f64_wasm, cos_f64_wasm,      cos_known_f32_wasm};
#endif /* VEC_WASM */

const VectorKernels *vector_kernels_named(const char *name) {
  if (strcmp(name, "portable") == 0) return &kernels_portable;
#ifdef VEC_X86
  if (strcmp(name, "sse2") == 0) return &kernels_sse2;
  if (strcmp(name, "avx2") == 0) return have_avx2() ? &kernels_avx2 : NULL;
  if (strcmp(name, "avx512") == 0) return have_avx512() ? &kernels_avx512 : NULL;
#endif
#ifdef VEC_WASM
  if (strcmp(name, "simd128") == 0) return &kernels_wasm;
#endif
  return NULL;
}

const VectorKernels *vector_kernels_best(void) {
#ifdef VEC_X86
  return have_avx512() ? &kernels_avx512 : have_avx2() ? &kernels_avx2 : &kernels_sse2;
#elif defined(VEC_WASM)
  return &kernels_wasm;
#else
  return &kernels_portable;
#endif
}
