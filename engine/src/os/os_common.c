/*
** os_common.c — what every I/O backend shares: the generic write_batch loop
** and the choice of the default VFS.
**
** Owns no on-disk format.  Invariant: os_vfs_default() never returns NULL
** (posix is always there; under emscripten the host's files or the process-wide
** memory VFS).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "os/os.h"

int os_write_batch_loop(OsFile *f, const OsIoOp *ops, int nops) {
  for (int i = 0; i < nops; i++) {
    int rc = ops[i].buf ? os_write(f, ops[i].buf, ops[i].n, ops[i].off) : os_sync(f);
    if (rc != LODE_OK) return rc;
  }
  return LODE_OK;
}

int os_lock_none(OsFile *f, int level) {
  (void)f;
  (void)level;
  return LODE_OK;
}

int os_shm_lock_none(OsFile *f, int slot, int n, int flags) {
  (void)f;
  (void)slot;
  (void)n;
  (void)flags;
  return LODE_OK;
}

#if defined(__SANITIZE_THREAD__)
/* ThreadSanitizer does not model fences: a sequentially consistent
** read-modify-write stands in for one (a full barrier on x86-64). */
static int barrier_word;
#endif

void os_shm_barrier_full(OsFile *f) {
  (void)f;
#if defined(__SANITIZE_THREAD__)
  __atomic_fetch_add(&barrier_word, 0, __ATOMIC_SEQ_CST);
#else
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

#ifdef __EMSCRIPTEN__
void os_sleep_ms(int ms) { (void)ms; }

/* Without host files, files live as long as the wasm instance: one
** namespace for the process. */
OsVfs *os_vfs_temp(void) {
  static OsVfs *shared;
  if (!shared) shared = os_vfs_memory_new();
  return shared;
}

OsVfs *os_vfs_default(void) {
  OsVfs *host = os_vfs_host();
  return host ? host : os_vfs_temp();
}
#else
void os_sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

/* LODE_IO=posix forces the portable backend (debugging, benchmarks). */
static int io_forced_posix(void) {
  const char *io = getenv("LODE_IO");
  return io && strcmp(io, "posix") == 0;
}

OsVfs *os_vfs_default(void) {
  OsVfs *fault = os_vfs_fault_if_enabled(); /* tests only */
  if (fault) return fault;
  if (!io_forced_posix()) {
    OsVfs *uring = os_vfs_uring();
    if (uring) return uring;
  }
  return os_vfs_posix();
}

OsVfs *os_vfs_temp(void) { return os_vfs_default(); }
#endif

int os_open_temp(const char *what, OsFile **out) {
  static unsigned counter;
  OsVfs *vfs = os_vfs_temp();
  const char *dir = getenv("TMPDIR");
  char path[512];
  if (!dir || !*dir) dir = "/tmp";
  snprintf(path, sizeof path, "%s/lode-%s-%ld-%u", dir, what, (long)getpid(),
           __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED));
  int rc = vfs->open(vfs, path, OS_OPEN_READWRITE | OS_OPEN_CREATE, out);
  if (rc == LODE_OK) (void)vfs->remove(vfs, path);
  return rc;
}
