/*
** str.c — UTF-8 helpers and ASCII case-insensitive comparison.
**
** UTF-8 layout: a character is one lead byte (0xxxxxxx, 110xxxxx, 1110xxxx
** or 11110xxx) followed by 0..3 continuation bytes (10xxxxxx).  Counting
** characters counts the bytes that are not continuation bytes, which is
** what SQLite's length() does and stays well defined on invalid input.
*/
#include "util/util.h"

#include <string.h>

#define UTF8_CONT_MASK 0xc0
#define UTF8_CONT_BITS 0x80
#define UTF8_MAX_CODEPOINT 0x10ffff

/* Counts the continuation bytes (10xxxxxx) eight at a time: a byte's bit 7
** set and bit 6 clear.  ASCII words (no bit 7) need no count at all. */
size_t util_utf8_char_count(const char *z, size_t n) {
  size_t i = 0, cont = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x, m;
    memcpy(&x, z + i, sizeof x);
    m = x & ~(x << 1) & UINT64_C(0x8080808080808080);
    if (m) cont += (size_t)__builtin_popcountll(m);
  }
  for (; i < n; i++) {
    if (((unsigned char)z[i] & UTF8_CONT_MASK) == UTF8_CONT_BITS) cont++;
  }
  return n - cont;
}

/* Length of a sequence from its lead byte, 0 if the byte cannot lead. */
static int utf8_seq_len(unsigned char c) {
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return 2;
  if (c >= 0xe0 && c <= 0xef) return 3;
  if (c >= 0xf0 && c <= 0xf4) return 4;
  return 0;
}

int util_utf8_valid(const char *z, size_t n) {
  size_t i = 0;
  while (i < n) {
    const unsigned char *p = (const unsigned char *)z + i;
    int len = utf8_seq_len(p[0]), k;
    uint32_t cp;
    if (len == 0 || (size_t)len > n - i) return 0;
    cp = len == 1 ? p[0] : (uint32_t)(p[0] & (0x7f >> len));
    for (k = 1; k < len; k++) {
      if ((p[k] & UTF8_CONT_MASK) != UTF8_CONT_BITS) return 0;
      cp = (cp << 6) | (p[k] & 0x3f);
    }
    /* Reject overlong 3/4-byte forms, surrogates and beyond U+10FFFF. */
    if (len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) return 0;
    if (len == 4 && (cp < 0x10000 || cp > UTF8_MAX_CODEPOINT)) return 0;
    i += (size_t)len;
  }
  return 1;
}

static int ascii_lower(int c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }

int util_strnicmp(const char *a, const char *b, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    int ca = ascii_lower((unsigned char)a[i]);
    int cb = ascii_lower((unsigned char)b[i]);
    if (ca != cb) return ca - cb;
    if (ca == 0) return 0;
  }
  return 0;
}

int util_is_int64_min_digits(const char *z) {
  if (!z) return 0;
  while (*z == '0' && z[1]) z++;
  return strcmp(z, "9223372036854775808") == 0;
}

int util_stricmp(const char *a, const char *b) { return util_strnicmp(a, b, SIZE_MAX); }
