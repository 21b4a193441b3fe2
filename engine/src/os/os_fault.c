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
** Invariants: disarmed (kinds == 0) the wrapper only forwards; the counters
** are process-wide (tests are single-threaded).
*/
#include "os/os.h"
#include "util/util.h"

typedef struct FaultState {
  int enabled;  /* os_vfs_default() returns the wrapper */
  int kinds;    /* OS_FAULT_* bits armed */
  int after;    /* operations to let through before failing */
  int repeat;   /* keep failing once the first failure happened */
  int seen;     /* armed-kind operations seen since arming */
  int failed;   /* failures injected since arming */
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

static int fault_sync(OsFile *f) {
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

static OsVfs fault_vfs = {"fault", fault_open, fault_remove, fault_exists, NULL, fault_stat};

OsVfs *os_vfs_fault_if_enabled(void) { return fault.enabled ? &fault_vfs : NULL; }
