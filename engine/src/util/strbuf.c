/*
** strbuf.c — growable NUL-terminated strings (StrBuf) and util_mprintf.
**
** Invariants: after any append that succeeded, z[n] == 0 and n < cap.  The
** first allocation failure sets .oom, frees nothing already held, and makes
** every later append a no-op, so a caller checks once at strbuf_finish.
** Formatting goes through vsnprintf straight into the spare capacity.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/util.h"

#define STRBUF_MIN_CAP 32

void strbuf_init(StrBuf *b) {
  b->z = NULL;
  b->n = 0;
  b->cap = 0;
  b->oom = 0;
}

int strbuf_reserve(StrBuf *b, size_t extra) {
  size_t need, cap;
  char *z;
  if (b->oom) return 0;
  need = b->n + extra + 1;
  if (need < b->n) goto fail; /* overflow */
  if (need <= b->cap) return 1;
  cap = b->cap ? b->cap : STRBUF_MIN_CAP;
  while (cap < need) {
    if (cap > SIZE_MAX / 2) {
      cap = need;
      break;
    }
    cap *= 2;
  }
  z = util_realloc(b->z, cap);
  if (!z) goto fail;
  b->z = z;
  b->cap = cap;
  return 1;
fail:
  b->oom = 1;
  return 0;
}

void strbuf_append(StrBuf *b, const void *p, size_t n) {
  if (!strbuf_reserve(b, n)) return;
  if (n) memcpy(b->z + b->n, p, n);
  b->n += n;
  b->z[b->n] = 0;
}

void strbuf_appendz(StrBuf *b, const char *z) { strbuf_append(b, z, strlen(z)); }

void strbuf_appendc(StrBuf *b, char c) { strbuf_append(b, &c, 1); }

static void strbuf_vprintf(StrBuf *b, const char *fmt, va_list ap) {
  va_list ap2;
  int len;
  if (!strbuf_reserve(b, 0)) return;
  va_copy(ap2, ap);
  len = vsnprintf(b->z + b->n, b->cap - b->n, fmt, ap2);
  va_end(ap2);
  if (len < 0) return; /* encoding error: leave the buffer unchanged */
  if ((size_t)len >= b->cap - b->n) {
    if (!strbuf_reserve(b, (size_t)len)) return;
    vsnprintf(b->z + b->n, b->cap - b->n, fmt, ap);
  }
  b->n += (size_t)len;
}

void strbuf_printf(StrBuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  strbuf_vprintf(b, fmt, ap);
  va_end(ap);
}

char *strbuf_finish(StrBuf *b) {
  char *z;
  if (b->oom) {
    strbuf_reset(b);
    return NULL;
  }
  if (!strbuf_reserve(b, 0)) {
    strbuf_reset(b);
    return NULL;
  }
  b->z[b->n] = 0;
  z = b->z;
  strbuf_init(b);
  return z;
}

void strbuf_reset(StrBuf *b) {
  util_free(b->z);
  strbuf_init(b);
}

char *util_mprintf(const char *fmt, ...) {
  StrBuf b;
  va_list ap;
  strbuf_init(&b);
  va_start(ap, fmt);
  strbuf_vprintf(&b, fmt, ap);
  va_end(ap);
  return strbuf_finish(&b);
}
