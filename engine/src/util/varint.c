/*
** varint.c — SQLite's variable-length integers.
**
** Format: 1 to 9 bytes, big-endian.  In bytes 1..8 the high bit says "more
** bytes follow" and the low 7 bits carry value; a 9th byte, if reached,
** carries a full 8 bits.  So 9 bytes hold 8*7 + 8 = 64 bits.
**
**   0x00000000_0000007f  -> 1 byte      0x00ffffff_ffffffff (56 bits) -> 8 bytes
**   0x00000000_00003fff  -> 2 bytes     anything larger               -> 9 bytes
**
** Invariant: util_varint_put writes exactly util_varint_len(v) bytes and
** util_varint_get of those bytes yields v back.
*/
#include "util/util.h"

#define VARINT_MORE 0x80      /* continuation flag in bytes 1..8 */
#define VARINT_PAYLOAD 0x7f   /* value bits in bytes 1..8 */
#define VARINT_BITS 7         /* value bits per leading byte */
#define VARINT_LEAD_BYTES 8   /* bytes before the full-width 9th byte */
#define VARINT_MAX_8BYTE ((uint64_t)1 << 56) /* first value needing 9 bytes */

int util_varint_len(uint64_t v) {
  int n = 1;
  if (v >= VARINT_MAX_8BYTE) return UTIL_VARINT_MAX;
  while (v > VARINT_PAYLOAD) {
    v >>= VARINT_BITS;
    n++;
  }
  return n;
}

int util_varint_put(uint8_t *p, uint64_t v) {
  int n = util_varint_len(v);
  int i;
  if (n == UTIL_VARINT_MAX) {
    /* The last byte takes 8 bits; the 8 before it 7 bits each. */
    p[VARINT_LEAD_BYTES] = (uint8_t)v;
    v >>= 8;
    for (i = VARINT_LEAD_BYTES - 1; i >= 0; i--) {
      p[i] = (uint8_t)((v & VARINT_PAYLOAD) | VARINT_MORE);
      v >>= VARINT_BITS;
    }
    return n;
  }
  for (i = n - 1; i >= 0; i--) {
    p[i] = (uint8_t)((v & VARINT_PAYLOAD) | (i == n - 1 ? 0 : VARINT_MORE));
    v >>= VARINT_BITS;
  }
  return n;
}

int util_varint_get(const uint8_t *p, uint64_t *v) {
  uint64_t r = 0;
  int i;
  for (i = 0; i < VARINT_LEAD_BYTES; i++) {
    r = (r << VARINT_BITS) | (p[i] & VARINT_PAYLOAD);
    if (!(p[i] & VARINT_MORE)) {
      *v = r;
      return i + 1;
    }
  }
  *v = (r << 8) | p[VARINT_LEAD_BYTES];
  return UTIL_VARINT_MAX;
}

int util_varint_get_bounded_long(const uint8_t *p, const uint8_t *end, uint64_t *v) {
  uint64_t r = 0;
  int i;
  for (i = 0; i < VARINT_LEAD_BYTES; i++) {
    if (p + i >= end) return 0;
    r = (r << VARINT_BITS) | (p[i] & VARINT_PAYLOAD);
    if (!(p[i] & VARINT_MORE)) {
      *v = r;
      return i + 1;
    }
  }
  if (p + VARINT_LEAD_BYTES >= end) return 0;
  *v = (r << 8) | p[VARINT_LEAD_BYTES];
  return UTIL_VARINT_MAX;
}
