/*
** str.c — UTF-8 helpers and ASCII case-insensitive comparison.
**
** UTF-8 layout: a character is one lead byte (0xxxxxxx, 110xxxxx, 1110xxxx
** or 11110xxx) followed by 0..3 continuation bytes (10xxxxxx).  Text that is
** not valid UTF-8 is split into characters as SQLite splits it, so that
** length(), substr(), unicode() and LIKE agree with it on any bytes: a byte
** below 0xc0 is a character of its own (a stray continuation byte included),
** and a byte from 0xc0 up leads a character that takes every continuation
** byte after it.
*/
#include "util/util.h"

#include <string.h>

#define UTF8_CONT_MASK 0xc0
#define UTF8_CONT_BITS 0x80
#define UTF8_MAX_CODEPOINT 0x10ffff

/* Eight bytes at a time while they are ASCII (no bit 7 set: eight
** characters); byte by byte where a lead byte's continuation bytes belong to
** it and any other byte is a character. */
size_t util_utf8_char_count(const char *z, size_t n) {
  const unsigned char *u = (const unsigned char *)z;
  size_t i = 0, count = 0;
  int in_char = 0; /* the bytes before i ended inside a character a lead byte began */
  while (i < n) {
    uint64_t x;
    if (i + 8 <= n && (memcpy(&x, u + i, sizeof x), (x & UINT64_C(0x8080808080808080)) == 0)) {
      i += 8, count += 8, in_char = 0;
      continue;
    }
    unsigned char c = u[i++];
    if ((c & UTF8_CONT_MASK) != UTF8_CONT_BITS || !in_char) count++;
    if (c >= 0xc0) in_char = 1;
    else if ((c & UTF8_CONT_MASK) != UTF8_CONT_BITS) in_char = 0;
  }
  return count;
}

uint32_t util_utf8_read(const unsigned char **pz, const unsigned char *end) {
  const unsigned char *z = *pz;
  uint32_t c = *z++;
  if (c >= 0xc0) {
    /* the lead byte's value bits: 5 of 110xxxxx, 4, 3, then 2, 1 and none for the leads UTF-8 no longer has */
    c &= c < 0xe0 ? 0x1f : c < 0xf0 ? 0x0f : c < 0xf8 ? 0x07 : c < 0xfc ? 0x03 : c < 0xfe ? 0x01 : 0;
    while (z < end && (*z & UTF8_CONT_MASK) == UTF8_CONT_BITS) c = (c << 6) | (*z++ & 0x3f);
    if (c < 0x80 || (c >= 0xd800 && c <= 0xdfff) || c == 0xfffe || c == 0xffff) c = 0xfffd;
  }
  *pz = z;
  return c;
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

uint32_t util_name_hash(const char *z) {
  uint32_t h = 2166136261u;
  for (; *z; z++) {
    unsigned char c = (unsigned char)*z;
    if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
    h = (h ^ c) * 16777619u;
  }
  return h;
}
