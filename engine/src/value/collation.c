/*
** collation.c — collations by name: the built-in BINARY, NOCASE and RTRIM
** (ids COLL_*), and the ones an application defines through
** sqlite3_create_collation (ids from COLL_USER_FIRST).
**
** A user collation keeps its id for the life of the process, so that
** compiled programs and KeyInfos (which hold ids) stay meaningful; defining
** the same name again replaces its function under the same id.  When its
** owner (a connection) goes away the entry is dropped: lookups by name fail
** again and comparisons under the id fall back to BINARY.  The table is
** process-wide: connections share one collation namespace.
*/
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "value/value.h"

typedef struct UserColl {
  char *name; /* NULL: a free slot */
  CollCompare cmp;
  void *arg;
  void (*destroy)(void *);
  const void *owner;
} UserColl;

static pthread_mutex_t coll_lock = PTHREAD_MUTEX_INITIALIZER;
static UserColl colls[COLL_MAX + 1];
static atomic_int ndefined; /* slots ever given a name: lookups skip the table while 0 */

int coll_by_name(const char *name) {
  if (!name) return COLL_BINARY;
  /* An application's definition may shadow a built-in name, as in SQLite. */
  if (atomic_load_explicit(&ndefined, memory_order_relaxed) > 0)
    for (int i = COLL_USER_FIRST; i <= COLL_MAX; i++)
      if (colls[i].name && colls[i].cmp && util_stricmp(colls[i].name, name) == 0) return i;
  if (util_stricmp(name, "BINARY") == 0) return COLL_BINARY;
  if (util_stricmp(name, "NOCASE") == 0) return COLL_NOCASE;
  if (util_stricmp(name, "RTRIM") == 0) return COLL_RTRIM;
  return -1;
}

const char *coll_name_of(int id) {
  switch (id) {
    case COLL_BINARY: return "BINARY";
    case COLL_NOCASE: return "NOCASE";
    case COLL_RTRIM: return "RTRIM";
    default: return id >= COLL_USER_FIRST && id <= COLL_MAX && colls[id].name ? colls[id].name : "BINARY";
  }
}

int coll_define(const char *name, CollCompare cmp, void *arg, void (*destroy)(void *), const void *owner) {
  int id = -1, free_slot = -1;
  void (*old_destroy)(void *) = NULL;
  void *old_arg = NULL;
  pthread_mutex_lock(&coll_lock);
  for (int i = COLL_USER_FIRST; i <= COLL_MAX; i++) {
    if (colls[i].name && util_stricmp(colls[i].name, name) == 0) {
      id = i;
      break;
    }
    if (!colls[i].name && free_slot < 0) free_slot = i;
  }
  if (id < 0 && free_slot >= 0) {
    char *copy = util_strdup(name);
    if (copy) {
      id = free_slot;
      colls[id].name = copy;
      atomic_fetch_add(&ndefined, 1);
    }
  }
  if (id >= 0) {
    old_destroy = colls[id].cmp ? colls[id].destroy : NULL;
    old_arg = colls[id].arg;
    colls[id].cmp = cmp;
    colls[id].arg = arg;
    colls[id].destroy = cmp ? destroy : NULL;
    colls[id].owner = owner;
  }
  pthread_mutex_unlock(&coll_lock);
  if (old_destroy) old_destroy(old_arg);
  if (id < 0 || !cmp) {
    if (destroy) destroy(arg);
  }
  return id;
}

void coll_drop_owner(const void *owner) {
  for (int i = COLL_USER_FIRST; i <= COLL_MAX; i++) {
    void (*destroy)(void *) = NULL;
    void *arg = NULL;
    pthread_mutex_lock(&coll_lock);
    if (colls[i].name && colls[i].owner == owner && colls[i].cmp) {
      destroy = colls[i].destroy;
      arg = colls[i].arg;
      colls[i].cmp = NULL;
      colls[i].destroy = NULL;
      colls[i].arg = NULL;
      colls[i].owner = NULL;
    }
    pthread_mutex_unlock(&coll_lock);
    if (destroy) destroy(arg);
  }
}

int coll_user_compare(int id, const char *a, int na, const char *b, int nb) {
  CollCompare cmp = id <= COLL_MAX ? colls[id].cmp : NULL;
  if (!cmp) {
    int n = na < nb ? na : nb;
    int c = n ? memcmp(a, b, (size_t)n) : 0;
    if (c) return c < 0 ? -1 : 1;
    return na < nb ? -1 : na > nb;
  }
  int c = cmp(colls[id].arg, na, a, nb, b);
  return c < 0 ? -1 : c > 0;
}
