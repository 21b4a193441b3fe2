/*
** index_methods.c — the index methods an application registered
** (lode_create_index_method): on one connection, or on the process for
** every connection.  Each is kept as a copy, so that the application's
** descriptor need not outlive the call.
**
** Compiled statements and the schema's cached attachments point at these
** copies, so a copy never moves and is never changed: registering a name
** again adds a new entry in front and retires the old one, which lives on
** until the connection closes (the process's, until the process ends).
** Lookups take the newest live entry; the connection's come before the
** process's.  The process's list is guarded by a mutex; a connection's is
** used by its own thread only.
*/
#include <pthread.h>
#include <string.h>

#include "conn/conn.h"
#include "util/util.h"

typedef struct IndexMethodEntry {
  lode_index_method m; /* m.name util_malloc'd */
  int retired;         /* a later registration of the name replaced it */
  struct IndexMethodEntry *next;
} IndexMethodEntry;

static pthread_mutex_t process_lock = PTHREAD_MUTEX_INITIALIZER;
static IndexMethodEntry *process_methods;

static IndexMethodEntry *find(IndexMethodEntry *list, const char *name) {
  for (IndexMethodEntry *e = list; name && e; e = e->next)
    if (!e->retired && util_stricmp(e->m.name, name) == 0) return e;
  return NULL;
}

const lode_index_method *conn_index_method(lode *db, const char *name) {
  IndexMethodEntry *e = db ? find(db->index_methods, name) : NULL;
  if (e) return &e->m;
  pthread_mutex_lock(&process_lock);
  e = find(process_methods, name);
  pthread_mutex_unlock(&process_lock);
  return e ? &e->m : NULL;
}

int conn_index_method_add(lode *db, const lode_index_method *m) {
  IndexMethodEntry *e = util_zalloc(sizeof *e);
  char *name = util_strdup(m->name);
  if (!e || !name) {
    util_free(e);
    util_free(name);
    return LODE_NOMEM;
  }
  e->m = *m;
  e->m.name = name;
  if (db) {
    IndexMethodEntry *old = find(db->index_methods, name);
    if (old) old->retired = 1;
    e->next = db->index_methods;
    db->index_methods = e;
    return LODE_OK;
  }
  pthread_mutex_lock(&process_lock);
  IndexMethodEntry *old = find(process_methods, name);
  if (old) old->retired = 1;
  e->next = process_methods;
  process_methods = e;
  pthread_mutex_unlock(&process_lock);
  return LODE_OK;
}

void conn_index_methods_free(lode *db) {
  while (db->index_methods) {
    IndexMethodEntry *e = db->index_methods;
    db->index_methods = e->next;
    util_free((char *)e->m.name);
    util_free(e);
  }
}
