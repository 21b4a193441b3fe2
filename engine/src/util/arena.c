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

static ArenaBlock *arena_new_block(Arena *a, size_t cap) {
  ArenaBlock *blk;
  if (cap > SIZE_MAX - sizeof(ArenaBlock)) goto fail;
  blk = util_malloc(sizeof(ArenaBlock) + cap);
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
    util_free(blk);
    blk = next;
  }
  a->head = NULL;
  a->oom = 0;
}
