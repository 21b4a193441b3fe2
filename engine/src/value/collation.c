/*
** collation.c — collations by name: the built-in BINARY, NOCASE and RTRIM
** (ids COLL_*), and the ones applications define (ids from COLL_USER_FIRST).
**
** An id names a collation, not a function: the process keeps one table of
** the names applications ever defined (a name keeps its id for the life of
** the process, so compiled programs, KeyInfos and schemas, which hold ids,
** stay meaningful and may be shared), and each connection keeps its own
** CollSet of functions by id.  Two connections may so define different
** functions under one name; a connection's destructors run when it redefines
** a name or frees its set.
**
** Comparisons find the functions of the connection whose statement runs:
** the caller of the VM makes that set the thread's current one (coll_enter /
** coll_leave around a step).  Under an id the current set does not define —
** a schema naming a collation another connection defined — texts compare as
** the built-in of the same name would (an application may redefine NOCASE),
** else as BINARY.  The built-ins never come here.
*/
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "util/util.h"
#include "value/value.h"

typedef struct CollEntry {
  CollCompare cmp; /* NULL: not defined by this connection */
  void *arg;
  void (*destroy)(void *);
} CollEntry;

struct CollSet {
  CollEntry entries[COLL_MAX + 1]; /* by id; built-in ids unused */
  int ndefined;                    /* entries with a function: lookups skip the table while 0 */
  void (*needed)(void *ctx, const char *name);
  void *needed_ctx;
};

static pthread_mutex_t names_lock = PTHREAD_MUTEX_INITIALIZER;
static char *names[COLL_MAX + 1];   /* immutable once set */
static uint8_t fallback[COLL_MAX + 1]; /* the built-in a name shadows, else COLL_BINARY */
static atomic_int next_id = COLL_USER_FIRST; /* names[COLL_USER_FIRST..next_id) are set */

static _Thread_local const CollSet *current;

static int builtin_by_name(const char *name) {
  if (util_stricmp(name, "BINARY") == 0) return COLL_BINARY;
  if (util_stricmp(name, "NOCASE") == 0) return COLL_NOCASE;
  if (util_stricmp(name, "RTRIM") == 0) return COLL_RTRIM;
  return -1;
}

static int registered(const char *name) {
  int n = atomic_load_explicit(&next_id, memory_order_acquire);
  for (int i = COLL_USER_FIRST; i < n; i++)
    if (util_stricmp(names[i], name) == 0) return i;
  return -1;
}

/* The id of name, given one if it has none; -1 when the table is full or
** memory is short. */
static int intern(const char *name) {
  int id = registered(name);
  if (id >= 0) return id;
  pthread_mutex_lock(&names_lock);
  id = registered(name);
  int n = atomic_load_explicit(&next_id, memory_order_relaxed);
  if (id < 0 && n <= COLL_MAX) {
    char *copy = util_strdup(name);
    if (copy) {
      int b = builtin_by_name(name);
      names[n] = copy;
      fallback[n] = (uint8_t)(b < 0 ? COLL_BINARY : b);
      atomic_store_explicit(&next_id, n + 1, memory_order_release);
      id = n;
    }
  }
  pthread_mutex_unlock(&names_lock);
  return id;
}

static int defines(const CollSet *set, int id) { return set && set->ndefined > 0 && set->entries[id].cmp; }

int coll_by_name(const char *name) {
  if (!name) return COLL_BINARY;
  /* An application's definition may shadow a built-in name, as in SQLite. */
  int id = registered(name);
  return id >= 0 ? id : builtin_by_name(name);
}

/* A shadowed built-in keeps the application's id everywhere (the planner
** resolves names without a connection), comparing as the built-in where
** the connection does not define it. */
static int usable(const CollSet *set, int id, const char *name) {
  return id >= 0 && (id < COLL_USER_FIRST || defines(set, id) || builtin_by_name(name) >= 0);
}

int coll_lookup(CollSet *set, const char *name) {
  if (!name) return COLL_BINARY;
  int id = coll_by_name(name);
  if (usable(set, id, name)) return id;
  if (set && set->needed) {
    set->needed(set->needed_ctx, name);
    id = coll_by_name(name);
    if (usable(set, id, name)) return id;
  }
  return -1;
}

const char *coll_name_of(int id) {
  switch (id) {
    case COLL_BINARY: return "BINARY";
    case COLL_NOCASE: return "NOCASE";
    case COLL_RTRIM: return "RTRIM";
    default:
      return id >= COLL_USER_FIRST && id < atomic_load_explicit(&next_id, memory_order_acquire) ? names[id]
                                                                                                  : "BINARY";
  }
}

CollSet *coll_set_new(void) { return util_zalloc(sizeof(CollSet)); }

int coll_set_defined(const CollSet *set, int *ids, int max) {
  int n = 0;
  for (int i = COLL_MAX; set && i >= COLL_USER_FIRST && n < max; i--)
    if (set->entries[i].cmp) ids[n++] = i;
  return n;
}

void coll_set_free(CollSet *set) {
  if (!set) return;
  /* Newest names first, the order in which SQLite's table would give them. */
  for (int i = COLL_MAX; i >= COLL_USER_FIRST; i--)
    if (set->entries[i].cmp && set->entries[i].destroy) set->entries[i].destroy(set->entries[i].arg);
  util_free(set);
}

void coll_set_needed(CollSet *set, void (*needed)(void *ctx, const char *name), void *ctx) {
  set->needed = needed;
  set->needed_ctx = ctx;
}

int coll_define(CollSet *set, const char *name, CollCompare cmp, void *arg, void (*destroy)(void *)) {
  int id = cmp ? intern(name) : registered(name);
  if (id < 0) {
    if (destroy) destroy(arg);
    return cmp ? -1 : COLL_BINARY; /* removing a name never defined: nothing to do */
  }
  CollEntry old = set->entries[id];
  set->entries[id] = (CollEntry){cmp, cmp ? arg : NULL, cmp ? destroy : NULL};
  set->ndefined += (cmp != NULL) - (old.cmp != NULL);
  if (old.cmp && old.destroy) old.destroy(old.arg);
  if (!cmp && destroy) destroy(arg);
  return id;
}

const CollSet *coll_enter(const CollSet *set) {
  const CollSet *prev = current;
  current = set;
  return prev;
}

void coll_leave(const CollSet *prev) { current = prev; }

int coll_user_compare(int id, const char *a, int na, const char *b, int nb, int *result) {
  const CollSet *set = current;
  if (id < COLL_USER_FIRST || id > COLL_MAX || !defines(set, id)) return 0;
  const CollEntry *e = &set->entries[id];
  int c = e->cmp(e->arg, na, a, nb, b);
  *result = c < 0 ? -1 : c > 0;
  return 1;
}

int coll_fallback(int id) { return id >= COLL_USER_FIRST && id <= COLL_MAX ? fallback[id] : COLL_BINARY; }
