/* memcmp for the wasm build, in place of the C library's, which compares
 * byte by byte unless both pointers are 4-aligned (record and page bytes
 * seldom are): here eight bytes a load wherever they lie (wasm loads need no
 * alignment), the first differing byte found from the lowest set bit of the
 * words' xor (wasm is little-endian).  The engine compares whole texts
 * this way: JSON's parse cache matches each row's document against the
 * cached one, and text comparisons run it per row. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int memcmp(const void *va, const void *vb, size_t n) {
  const unsigned char *a = va, *b = vb;
  if (n >= 8) {
    uint64_t x, y;
    const unsigned char *last = a + n - 8;
    for (;;) {
      /* the last word overlaps bytes already found equal */
      if (a > last) {
        b -= a - last;
        a = last;
      }
      __builtin_memcpy(&x, a, 8);
      __builtin_memcpy(&y, b, 8);
      if (x != y) {
        int k = __builtin_ctzll(x ^ y) >> 3;
        return a[k] - b[k];
      }
      if (a == last) return 0;
      a += 8;
      b += 8;
    }
  }
  for (; n && *a == *b; n--, a++, b++) {
  }
  return n ? *a - *b : 0;
}
