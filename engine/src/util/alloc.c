/*
** alloc.c — the engine's allocator: malloc with a fault-injection hook so
** that tests can make any allocation fail and check the error path.
*/
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

static int fail_countdown; /* 0: off; n: the n-th allocation from now fails */
static int fail_repeat;

void util_fail_alloc_after(int n, int repeat) {
  fail_countdown = n;
  fail_repeat = repeat;
}

int util_alloc_faults_armed(void) { return fail_countdown != 0; }

static int should_fail(void) {
  if (fail_countdown == 0) return 0;
  if (fail_countdown > 1) {
    fail_countdown--;
    return 0;
  }
  if (!fail_repeat) fail_countdown = 0;
  return 1;
}

void *util_malloc(size_t n) {
  if (should_fail()) return NULL;
  return malloc(n ? n : 1);
}

void *util_zalloc(size_t n) {
  if (should_fail()) return NULL;
  return calloc(1, n ? n : 1);
}

void *util_realloc(void *p, size_t n) {
  if (should_fail()) return NULL;
  return realloc(p, n ? n : 1);
}

void util_free(void *p) { free(p); }

#if defined(__GLIBC__) || defined(__EMSCRIPTEN__)
/* emscripten's allocator answers the same question: the wasm build then
** reuses buffers where the native one does (re-bound parameters, records). */
#include <malloc.h>
size_t util_alloc_usable(void *p) { return p ? malloc_usable_size(p) : 0; }
#else
size_t util_alloc_usable(void *p) {
  (void)p;
  return 0;
}
#endif

char *util_strndup(const char *z, size_t n) {
  char *r = util_malloc(n + 1);
  if (!r) return NULL;
  memcpy(r, z, n);
  r[n] = 0;
  return r;
}

char *util_strdup(const char *z) { return z ? util_strndup(z, strlen(z)) : NULL; }
