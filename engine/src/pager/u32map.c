/*
** u32map.c — a hash map from non-zero 32-bit keys (page numbers) to 64-bit
** values, with linear probing and backward-shift deletion (no tombstones).
**
** Invariants: cap is 0 or a power of two; count <= cap / 2 so every probe
** sequence ends at an empty slot; a key sits at or after its home slot with
** no empty slot in between.
*/
#include <assert.h>
#include <string.h>

#include "pager/pager_int.h"
#include "util/util.h"

#define U32MAP_MIN_CAP 16

static uint32_t u32map_home(const U32Map *m, uint32_t key) {
  return u32map_hash(key) & (m->cap - 1);
}

void u32map_init(U32Map *m) { memset(m, 0, sizeof *m); }

void u32map_free(U32Map *m) {
  util_free(m->slots);
  u32map_init(m);
}

void u32map_clear(U32Map *m) {
  if (m->slots) memset(m->slots, 0, sizeof(U32MapSlot) * m->cap);
  m->count = 0;
}

static U32MapSlot *u32map_slot(const U32Map *m, uint32_t key) {
  if (m->cap == 0) return NULL;
  uint32_t i = u32map_home(m, key);
  while (m->slots[i].key != 0) {
    if (m->slots[i].key == key) return &m->slots[i];
    i = (i + 1) & (m->cap - 1);
  }
  return NULL;
}

static void u32map_insert_new(U32Map *m, uint32_t key, uint64_t value) {
  uint32_t i = u32map_home(m, key);
  while (m->slots[i].key != 0) i = (i + 1) & (m->cap - 1);
  m->slots[i].key = key;
  m->slots[i].value = value;
  m->count++;
}

static int u32map_grow_to(U32Map *m, uint32_t cap) {
  U32MapSlot *slots = util_zalloc(sizeof(U32MapSlot) * (size_t)cap);
  if (!slots) return LODE_NOMEM;
  U32Map old = *m;
  m->slots = slots;
  m->cap = cap;
  m->count = 0;
  for (uint32_t i = 0; i < old.cap; i++) {
    if (old.slots[i].key) u32map_insert_new(m, old.slots[i].key, old.slots[i].value);
  }
  util_free(old.slots);
  return LODE_OK;
}

int u32map_put(U32Map *m, uint32_t key, uint64_t value) {
  assert(key != 0);
  U32MapSlot *s = u32map_slot(m, key);
  if (s) {
    s->value = value;
    return LODE_OK;
  }
  int rc = u32map_reserve(m, 1);
  if (rc != LODE_OK) return rc;
  u32map_insert_new(m, key, value);
  return LODE_OK;
}

int u32map_reserve(U32Map *m, uint32_t extra) {
  uint64_t need = ((uint64_t)m->count + extra) * 2;
  if (need <= m->cap) return LODE_OK;
  uint64_t cap = m->cap ? m->cap : U32MAP_MIN_CAP;
  while (cap < need) cap *= 2;
  if (cap > ((uint64_t)1 << 31)) return LODE_NOMEM;
  return u32map_grow_to(m, (uint32_t)cap);
}

/* Backward-shift: pull later entries of the run into the hole when their
** home slot does not lie strictly between the hole and their position. */
void u32map_del(U32Map *m, uint32_t key) {
  U32MapSlot *s = u32map_slot(m, key);
  if (!s) return;
  uint32_t mask = m->cap - 1;
  uint32_t hole = (uint32_t)(s - m->slots);
  uint32_t j = hole;
  for (;;) {
    j = (j + 1) & mask;
    if (m->slots[j].key == 0) break;
    uint32_t home = u32map_home(m, m->slots[j].key);
    int between = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (between) continue;
    m->slots[hole] = m->slots[j];
    hole = j;
  }
  m->slots[hole].key = 0;
  m->slots[hole].value = 0;
  m->count--;
}
