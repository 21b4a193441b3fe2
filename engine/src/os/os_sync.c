/*
** os_sync.c — the platform's mutexes and condition variables behind
** OsSyncMethods (os.h): POSIX threads natively; under emscripten, where the
** engine runs on one thread, methods that do nothing (a mutex is a
** placeholder pointer, a wait returns at once).
**
** Owns no on-disk format.  Invariant: a native OsMutex is a pthread mutex,
** recursive when asked; a cond_wait is entered with its mutex held once.
*/
#include "os/os.h"
#include "util/util.h"

#ifndef __EMSCRIPTEN__
#include <pthread.h>
#include <time.h>

struct OsMutex {
  pthread_mutex_t m;
};
struct OsCond {
  pthread_cond_t c;
};

static OsMutex *posix_mutex_new(int recursive) {
  OsMutex *m = util_malloc(sizeof *m);
  if (!m) return NULL;
  pthread_mutexattr_t attr;
  int ok = pthread_mutexattr_init(&attr) == 0;
  if (ok && recursive) ok = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE) == 0;
  if (ok) {
    ok = pthread_mutex_init(&m->m, &attr) == 0;
    pthread_mutexattr_destroy(&attr);
  }
  if (!ok) {
    util_free(m);
    return NULL;
  }
  return m;
}

static void posix_mutex_enter(OsMutex *m) { pthread_mutex_lock(&m->m); }
static void posix_mutex_leave(OsMutex *m) { pthread_mutex_unlock(&m->m); }

static void posix_mutex_free(OsMutex *m) {
  if (!m) return;
  pthread_mutex_destroy(&m->m);
  util_free(m);
}

static OsCond *posix_cond_new(void) {
  OsCond *c = util_malloc(sizeof *c);
  if (c && pthread_cond_init(&c->c, NULL) != 0) {
    util_free(c);
    c = NULL;
  }
  return c;
}

static void posix_cond_wait(OsCond *c, OsMutex *m, int64_t timeout_us) {
  if (timeout_us < 0) {
    pthread_cond_wait(&c->c, &m->m);
    return;
  }
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  int64_t ns = until.tv_nsec + timeout_us * 1000;
  until.tv_sec += (time_t)(ns / 1000000000);
  until.tv_nsec = (long)(ns % 1000000000);
  pthread_cond_timedwait(&c->c, &m->m, &until);
}

static void posix_cond_broadcast(OsCond *c) { pthread_cond_broadcast(&c->c); }

static void posix_cond_free(OsCond *c) {
  if (!c) return;
  pthread_cond_destroy(&c->c);
  util_free(c);
}

static const OsSyncMethods posix_sync = {
    1,
    posix_mutex_new,
    posix_mutex_enter,
    posix_mutex_leave,
    posix_mutex_free,
    posix_cond_new,
    posix_cond_wait,
    posix_cond_broadcast,
    posix_cond_free,
};

const OsSyncMethods *os_sync_default(void) { return &posix_sync; }
#else
/* One thread: a mutex is never contended and a wait would never end, so
** both are placeholders; `threads` = 0 tells callers not to wait. */
static char placeholder;

static OsMutex *none_mutex_new(int recursive) {
  (void)recursive;
  return (OsMutex *)&placeholder;
}
static void none_mutex(OsMutex *m) { (void)m; }
static OsCond *none_cond_new(void) { return (OsCond *)&placeholder; }
static void none_cond_wait(OsCond *c, OsMutex *m, int64_t timeout_us) {
  (void)c;
  (void)m;
  (void)timeout_us;
}
static void none_cond(OsCond *c) { (void)c; }

static const OsSyncMethods none_sync = {
    0, none_mutex_new, none_mutex, none_mutex, none_mutex, none_cond_new, none_cond_wait, none_cond, none_cond,
};

const OsSyncMethods *os_sync_default(void) { return &none_sync; }
#endif
