/*
** stmt.c — reuse of finalized statement handles (see struct lode_stmt in
** stmt.h): their memory is never freed, so a stale handle stays readable
** and is refused with LODE_MISUSE.
*/
#include <pthread.h>
#include <string.h>

#include "capi/stmt.h"
#include "util/util.h"

static pthread_mutex_t free_lock = PTHREAD_MUTEX_INITIALIZER;
static lode_stmt *free_stmts; /* chained through next */

lode_stmt *capi_stmt_alloc(void) {
  lode_stmt *s;
  pthread_mutex_lock(&free_lock);
  s = free_stmts;
  if (s) free_stmts = s->next;
  pthread_mutex_unlock(&free_lock);
  if (s) memset(s, 0, sizeof *s);
  else s = util_zalloc(sizeof *s);
  return s;
}

void capi_stmt_release(lode_stmt *s) {
  memset(s, 0, sizeof *s);
  pthread_mutex_lock(&free_lock);
  s->next = free_stmts;
  free_stmts = s;
  pthread_mutex_unlock(&free_lock);
}
