/*
** os_fault.c — a fault-injecting wrapper around the default VFS, for tests
** of the pager's error paths (a failing write or fsync in the middle of a
** commit must surface as LODE_IOERR_* and leave earlier commits intact).
**
** Owns no on-disk format.  While os_fault_enable(1) is in effect,
** os_vfs_default() hands out this wrapper; every file it opens forwards to
** the real backend's file, but write, sync, truncate and each op of
** write_batch (and lock, shm_lock, shm_map) first pass os_fault_check(), which counts operations of the
** armed kinds and fails the chosen one (and, with repeat, every later one).
** Batches are split into single ops so a failure can land between two
** frames of one commit, like a crash would.
**
** Its mutexes and condition variables are the platform's, watched: their
** creation can be failed (OS_FAULT_MUTEX), a leave by a thread that does
** not hold the mutex aborts, and os_fault_mutexes_held() lets a test check
** that no path returns with a mutex still held.
**
** Invariants: disarmed (kinds == 0) the wrapper only forwards; the counters
** are process-wide (tests arming faults are single-threaded; the held-mutex
** count is atomic).
*/
#include <stdlib.h>
#include <time.h>
#ifndef __EMSCRIPTEN__
#include <pthread.h>
#endif

#include "os/os.h"
#include "util/util.h"

typedef struct FaultState {
  int enabled;  /* os_vfs_default() returns the wrapper */
  int kinds;    /* OS_FAULT_* bits armed */
  int after;    /* operations to let through before failing */
  int repeat;   /* keep failing once the first failure happened */
  int seen;     /* armed-kind operations seen since arming */
  int failed;   /* failures injected since arming */
  int sync_delay_us; /* every sync first sleeps this long (a slow disk) */
} FaultState;

static FaultState fault;

typedef struct FaultFile {
  OsFile base;
  OsFile *real;
} FaultFile;

void os_fault_enable(int on) { fault.enabled = on; }

void os_fault_arm(int kinds, int after, int repeat) {
  fault.kinds = kinds;
  fault.after = after;
  fault.repeat = repeat;
  fault.seen = 0;
  fault.failed = 0;
}

int os_fault_seen(void) { return fault.seen; }
int os_fault_failed(void) { return fault.failed; }

/* LODE_OK to let the operation through, else the code to fail it with. */
static int os_fault_check(int kind, int code) {
  if (!(fault.kinds & kind)) return LODE_OK;
  fault.seen++;
  if (fault.seen <= fault.after) return LODE_OK;
  if (fault.failed > 0 && !fault.repeat) return LODE_OK;
  fault.failed++;
  return code;
}

static OsFile *real_of(OsFile *f) { return ((FaultFile *)f)->real; }

static int fault_read(OsFile *f, void *buf, size_t n, int64_t off) {
  int rc = os_fault_check(OS_FAULT_READ, LODE_IOERR_READ);
  return rc != LODE_OK ? rc : os_read(real_of(f), buf, n, off);
}

static int fault_write(OsFile *f, const void *buf, size_t n, int64_t off) {
  int rc = os_fault_check(OS_FAULT_WRITE, LODE_IOERR_WRITE);
  return rc != LODE_OK ? rc : os_write(real_of(f), buf, n, off);
}

static int fault_truncate(OsFile *f, int64_t size) {
  int rc = os_fault_check(OS_FAULT_WRITE, LODE_IOERR_TRUNCATE);
  return rc != LODE_OK ? rc : os_truncate(real_of(f), size);
}

void os_fault_sync_delay(int us) { fault.sync_delay_us = us; }

static int fault_sync(OsFile *f) {
  if (fault.sync_delay_us > 0) {
    struct timespec ts = {fault.sync_delay_us / 1000000, (long)(fault.sync_delay_us % 1000000) * 1000};
    nanosleep(&ts, NULL);
  }
  int rc = os_fault_check(OS_FAULT_SYNC, LODE_IOERR_FSYNC);
  return rc != LODE_OK ? rc : os_sync(real_of(f));
}

static int fault_size(OsFile *f, int64_t *size) { return os_size(real_of(f), size); }

static int fault_close(OsFile *f) {
  int rc = os_close(real_of(f));
  util_free(f);
  return rc;
}

/* Releasing never fails: a failed unlock would leave nothing to recover. */
static int fault_lock(OsFile *f, int level) {
  int rc = level == OS_LOCK_NONE ? LODE_OK : os_fault_check(OS_FAULT_LOCK, LODE_BUSY);
  return rc != LODE_OK ? rc : os_lock(real_of(f), level);
}

static int fault_shm_map(OsFile *f, int region, int extend, void **out) {
  *out = NULL;
  int rc = os_fault_check(OS_FAULT_SHM, LODE_IOERR_SHMMAP);
  return rc != LODE_OK ? rc : os_shm_map(real_of(f), region, extend, out);
}

/* Like the file lock: taking a slot can fail as if another process held it. */
static int fault_shm_lock(OsFile *f, int slot, int n, int flags) {
  int rc = (flags & OS_SHM_UNLOCK) ? LODE_OK : os_fault_check(OS_FAULT_LOCK, LODE_BUSY);
  return rc != LODE_OK ? rc : os_shm_lock(real_of(f), slot, n, flags);
}

static int fault_shm_unmap(OsFile *f, int remove) { return os_shm_unmap(real_of(f), remove); }

static const OsFileMethods fault_methods = {
    fault_read,  fault_write, fault_truncate, fault_sync,          fault_size,      os_write_batch_loop,
    fault_close, fault_lock,  fault_shm_map,  fault_shm_lock,      os_shm_barrier_full, fault_shm_unmap, NULL,
};

static OsVfs *fault_real_vfs(void) {
  OsVfs *uring = os_vfs_uring();
  return uring ? uring : os_vfs_posix();
}

static int fault_open(OsVfs *vfs, const char *path, int flags, OsFile **out) {
  OsVfs *real = fault_real_vfs();
  FaultFile *ff;
  int rc;
  (void)vfs;
  *out = NULL;
  ff = util_zalloc(sizeof *ff);
  if (!ff) return LODE_NOMEM;
  rc = real->open(real, path, flags, &ff->real);
  if (rc != LODE_OK) {
    util_free(ff);
    return rc;
  }
  ff->base.methods = &fault_methods;
  *out = &ff->base;
  return LODE_OK;
}

static int fault_remove(OsVfs *vfs, const char *path) {
  OsVfs *real = fault_real_vfs();
  (void)vfs;
  return real->remove(real, path);
}

static int fault_exists(OsVfs *vfs, const char *path, int *exists) {
  OsVfs *real = fault_real_vfs();
  (void)vfs;
  return real->exists(real, path, exists);
}

static int fault_stat(OsVfs *vfs, const char *path, OsStat *st) {
  OsVfs *real = fault_real_vfs();
  (void)vfs;
  return real->stat(real, path, st);
}

/* ---- mutexes and conditions: the platform's, watched ---------------------- */

/* A mutex of the wrapper: the real one, the thread holding it and how
** deep.  owner and depth are written only by the holder; owner is read by
** a leaving thread to check that it is the holder. */
struct OsMutex {
  OsMutex *real;
  uintptr_t owner; /* thread id of the holder, 0 when free */
  int depth;
};

static int mutexes_held; /* every level of every wrapper mutex held now */

int os_fault_mutexes_held(void) { return __atomic_load_n(&mutexes_held, __ATOMIC_SEQ_CST); }

static uintptr_t thread_id(void) {
#ifndef __EMSCRIPTEN__
  return (uintptr_t)pthread_self();
#else
  return 1;
#endif
}

static OsMutex *fault_mutex_new(int recursive) {
  if (os_fault_check(OS_FAULT_MUTEX, LODE_NOMEM) != LODE_OK) return NULL;
  OsMutex *m = util_zalloc(sizeof *m);
  if (m && !(m->real = os_sync_default()->mutex_new(recursive))) {
    util_free(m);
    m = NULL;
  }
  return m;
}

static void fault_mutex_enter(OsMutex *m) {
  os_sync_default()->mutex_enter(m->real);
  __atomic_store_n(&m->owner, thread_id(), __ATOMIC_RELAXED);
  m->depth++;
  __atomic_fetch_add(&mutexes_held, 1, __ATOMIC_SEQ_CST);
}

static void fault_mutex_leave(OsMutex *m) {
  /* A leave without the matching enter would let two threads into the state it guards. */
  if (__atomic_load_n(&m->owner, __ATOMIC_RELAXED) != thread_id() || m->depth <= 0) abort();
  if (--m->depth == 0) __atomic_store_n(&m->owner, 0, __ATOMIC_RELAXED);
  __atomic_fetch_sub(&mutexes_held, 1, __ATOMIC_SEQ_CST);
  os_sync_default()->mutex_leave(m->real);
}

static void fault_mutex_free(OsMutex *m) {
  if (!m) return;
  if (m->depth != 0) abort(); /* freed while held */
  os_sync_default()->mutex_free(m->real);
  util_free(m);
}

static OsCond *fault_cond_new(void) {
  if (os_fault_check(OS_FAULT_MUTEX, LODE_NOMEM) != LODE_OK) return NULL;
  return os_sync_default()->cond_new();
}

/* The wait gives the mutex up for its duration: the holder's record goes
** with it and comes back after. */
static void fault_cond_wait(OsCond *c, OsMutex *m, int64_t timeout_us) {
  if (__atomic_load_n(&m->owner, __ATOMIC_RELAXED) != thread_id() || m->depth != 1) abort();
  m->depth = 0;
  __atomic_store_n(&m->owner, 0, __ATOMIC_RELAXED);
  __atomic_fetch_sub(&mutexes_held, 1, __ATOMIC_SEQ_CST);
  os_sync_default()->cond_wait(c, m->real, timeout_us);
  __atomic_store_n(&m->owner, thread_id(), __ATOMIC_RELAXED);
  m->depth = 1;
  __atomic_fetch_add(&mutexes_held, 1, __ATOMIC_SEQ_CST);
}

static void fault_cond_broadcast(OsCond *c) { os_sync_default()->cond_broadcast(c); }
static void fault_cond_free(OsCond *c) { os_sync_default()->cond_free(c); }

static const OsSyncMethods fault_sync_methods = {
    1,
    fault_mutex_new,
    fault_mutex_enter,
    fault_mutex_leave,
    fault_mutex_free,
    fault_cond_new,
    fault_cond_wait,
    fault_cond_broadcast,
    fault_cond_free,
};

static OsVfs fault_vfs = {"fault", fault_open, fault_remove, fault_exists, NULL, fault_stat, &fault_sync_methods};

OsVfs *os_vfs_fault_if_enabled(void) { return fault.enabled ? &fault_vfs : NULL; }
