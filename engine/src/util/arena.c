/*
** arena.c — bump allocation freed all at once (per-statement parse trees,
** plans, scratch).
**
** Layout: a singly linked list of blocks, newest first.  Each block is
**   [ArenaBlock header | payload of cap bytes]
** and hands out 8-byte aligned, zeroed slices from its payload.  Requests
** larger than a default block get a block of their own.
**
** Invariants: used <= cap in every block; after a failed allocation .oom is
** set and NULL returned (earlier slices stay valid until arena_free).
*/
#include <assert.h>
#include <pthread.h>
#include <string.h>

#include "util/util.h"

#define ARENA_ALIGN 8
#define ARENA_BLOCK_SIZE 4096

struct ArenaBlock {
  ArenaBlock *next;
  size_t used;
  size_t cap;
  /* payload follows, aligned: the header is a multiple of ARENA_ALIGN */
  uint64_t payload[];
};

void arena_init(Arena *a) {
  a->head = NULL;
  a->oom = 0;
}

/* Freed blocks of the default size wait here for the next arena: every
** prepare builds its parse tree and plan in arenas of a few blocks, and the
** malloc and free of each showed in prepare profiles.  At most ARENA_POOL
** blocks wait (64 KiB), shared by the process's threads under a mutex. */
#if defined(__SANITIZE_ADDRESS__)
#define ARENA_POOL 0 /* under AddressSanitizer every block is freed, so a stale slice is caught */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_POOL 0
#endif
#endif
#ifndef ARENA_POOL
#define ARENA_POOL 16
#endif
static ArenaBlock *arena_pool[ARENA_POOL > 0 ? ARENA_POOL : 1];
static int arena_pool_n;
static pthread_mutex_t arena_pool_mutex = PTHREAD_MUTEX_INITIALIZER;

static ArenaBlock *pool_take(void) {
  ArenaBlock *blk = NULL;
  if (ARENA_POOL == 0 || util_alloc_faults_armed()) return NULL;
  pthread_mutex_lock(&arena_pool_mutex);
  if (arena_pool_n > 0) blk = arena_pool[--arena_pool_n];
  pthread_mutex_unlock(&arena_pool_mutex);
  return blk;
}

/* Keeps blk for reuse if there is room; 0 when the caller must free it. */
static int pool_give(ArenaBlock *blk) {
  int kept = 0;
  if (ARENA_POOL == 0) return 0;
  pthread_mutex_lock(&arena_pool_mutex);
  if (arena_pool_n < ARENA_POOL) {
    arena_pool[arena_pool_n++] = blk;
    kept = 1;
  }
  pthread_mutex_unlock(&arena_pool_mutex);
  return kept;
}

static ArenaBlock *arena_new_block(Arena *a, size_t cap) {
  ArenaBlock *blk;
  if (cap > SIZE_MAX - sizeof(ArenaBlock)) goto fail;
  blk = cap == ARENA_BLOCK_SIZE ? pool_take() : NULL;
  if (!blk) blk = util_malloc(sizeof(ArenaBlock) + cap);
  if (!blk) goto fail;
  blk->used = 0;
  blk->cap = cap;
  blk->next = a->head;
  a->head = blk;
  return blk;
fail:
  a->oom = 1;
  return NULL;
}

void *arena_alloc(Arena *a, size_t n) {
  void *p = arena_alloc_raw(a, n);
  if (p) memset(p, 0, (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1));
  return p;
}

void *arena_alloc_raw(Arena *a, size_t n) {
  ArenaBlock *blk = a->head;
  void *p;
  if (n == 0) n = 1;
  if (n > SIZE_MAX - ARENA_ALIGN) goto fail;
  n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
  if (!blk || blk->cap - blk->used < n) {
    if (n > ARENA_BLOCK_SIZE / 4) {
      /* Big request: own block, linked behind the current one so the
      ** current block keeps serving small requests. */
      ArenaBlock *big = arena_new_block(a, n);
      if (!big) return NULL;
      if (blk) {
        a->head = blk;
        big->next = blk->next;
        blk->next = big;
      }
      big->used = n;
      return big->payload;
    }
    blk = arena_new_block(a, ARENA_BLOCK_SIZE);
    if (!blk) return NULL;
  }
  assert(blk->cap - blk->used >= n);
  p = (char *)blk->payload + blk->used;
  blk->used += n;
  return p;
fail:
  a->oom = 1;
  return NULL;
}

char *arena_strndup(Arena *a, const char *z, size_t n) {
  char *r;
  if (n == SIZE_MAX) {
    a->oom = 1;
    return NULL;
  }
  r = arena_alloc_raw(a, n + 1);
  if (!r) return NULL;
  if (n) memcpy(r, z, n);
  r[n] = 0;
  return r;
}

void arena_free(Arena *a) {
  ArenaBlock *blk = a->head;
  while (blk) {
    ArenaBlock *next = blk->next;
    if (blk->cap != ARENA_BLOCK_SIZE || !pool_give(blk)) util_free(blk);
    blk = next;
  }
  a->head = NULL;
  a->oom = 0;
}
