/*
** os.h — the I/O vtable.  Everything above this layer (the pager and WAL)
** reaches storage only through an OsVfs and the OsFile handles it opens.
**
** Backends: posix (pread/pwrite/fdatasync, fcntl locks, mmap of -shm), io_uring (liburing; batches go
** out as one linked submission write…write→fsync), memory (files live in
** RAM, keyed by name inside one OsVfs instance; used for ":memory:" and by
** the wasm build when the host gives it no files), host (wasm only: files the
** JavaScript host provides, os_host.c).  os_vfs_default() picks io_uring when
** the kernel allows it and posix otherwise (env LODE_IO=posix forces posix);
** under emscripten, host when installed, else memory.
**
** Error convention: every call returns a LODE_* result code (lode.h), never
** errno.  A read past the end of the file zero-fills the rest of the buffer
** and returns LODE_IOERR_SHORT_READ, like SQLite's VFS.
*/
#ifndef LODE_OS_H
#define LODE_OS_H

#include <stddef.h>
#include <stdint.h>

#include "lode.h"

typedef struct OsVfs OsVfs;
typedef struct OsFile OsFile;

/* open flags */
#define OS_OPEN_READONLY 0x01
#define OS_OPEN_READWRITE 0x02
#define OS_OPEN_CREATE 0x04

/* One operation of a batch: a write of n bytes at off, or (buf == NULL) a sync. */
typedef struct OsIoOp {
  const void *buf;
  size_t n;
  int64_t off;
} OsIoOp;

typedef struct OsFileMethods {
  int (*read)(OsFile *f, void *buf, size_t n, int64_t off);
  int (*write)(OsFile *f, const void *buf, size_t n, int64_t off);
  int (*truncate)(OsFile *f, int64_t size);
  int (*sync)(OsFile *f);
  int (*size)(OsFile *f, int64_t *size);
  /* Runs the ops in order; stops at the first failure and returns its code. */
  int (*write_batch)(OsFile *f, const OsIoOp *ops, int nops);
  int (*close)(OsFile *f); /* frees f */
  /* Takes or releases a lock on a database file's lock bytes (see below);
  ** never waits: LODE_BUSY when another process holds a conflicting lock. */
  int (*lock)(OsFile *f, int level);
  /* Shared memory of a database file: the wal-index, "<db>-shm" on POSIX
  ** (see below).  shm_map returns region i (OS_SHM_REGION bytes, zeroed
  ** when new) in *out; without extend a region past the end of the file
  ** gives *out = NULL.  The first shm_map opens the file and runs the
  ** dead-man-switch protocol; LODE_BUSY when another process is just
  ** setting it up. */
  int (*shm_map)(OsFile *f, int region, int extend, void **out);
  /* Takes (OS_SHM_SHARED / OS_SHM_EXCLUSIVE) or releases (OS_SHM_UNLOCK)
  ** lock slots slot..slot+n-1; never waits: LODE_BUSY when another process
  ** holds a conflicting lock.  The slots are per process, not per handle.
  ** SHARED on slots this process holds EXCLUSIVE turns them shared at once,
  ** with no moment unlocked. */
  int (*shm_lock)(OsFile *f, int slot, int n, int flags);
  void (*shm_barrier)(OsFile *f); /* a full memory barrier */
  /* Unmaps every region and closes the shared memory; removes it with remove. */
  int (*shm_unmap)(OsFile *f, int remove);
  /* PRAGMA mmap_size: reads of the first limit bytes of the file may come
  ** from a read-only shared mapping of it (0: none).  Reads past the
  ** mapping, and every write, truncate and size, behave as before; a
  ** truncate below the mapping unmaps it first.  The mapping grows with the
  ** file, up to limit, when a read asks for bytes past it.  Like the other
  ** methods, not for concurrent calls on one handle (the pager serializes a
  ** database file's calls).  Called again with the same limit, it drops a
  ** mapping longer than the file now is (another process cut it).  NULL in
  ** backends without it: reads as before. */
  int (*set_mmap)(OsFile *f, int64_t limit);
} OsFileMethods;

/* Lock levels, placed where SQLite's unix VFS places them so that sqlite3
** processes and ours see each other: POSIX advisory record locks on the
** bytes at 1 GiB of the database file (never data: no page starts there
** in a way that matters, the bytes may lie past the end of the file).
**   OS_LOCK_SHARED    read lock on the shared range (sqlite3's SHARED)
**   OS_LOCK_EXCLUSIVE write lock on pending byte, reserved byte and shared
**                     range (sqlite3's EXCLUSIVE): no other process reads
** A read-only handle can only take OS_LOCK_SHARED.  These locks belong to
** the process, and closing any descriptor of the file drops them all: the
** pager keeps one handle per file open for as long as it may hold one. */
#define OS_LOCK_NONE 0
#define OS_LOCK_SHARED 1
#define OS_LOCK_EXCLUSIVE 4
#define OS_LOCK_PENDING_BYTE 0x40000000
#define OS_LOCK_RESERVED_BYTE (OS_LOCK_PENDING_BYTE + 1)
#define OS_LOCK_SHARED_FIRST (OS_LOCK_PENDING_BYTE + 2)
#define OS_LOCK_SHARED_SIZE 510

/* Shared memory (SQLite's xShm* methods): mapped in regions of 32 KiB;
** eight lock slots whose byte-range locks sit at OS_SHM_LOCK_BASE + slot of
** the -shm file, and the dead-man switch at OS_SHM_DMS: every process that
** has the shared memory open holds a read lock on it; a process that finds
** no lock there is the only user and truncates the file (its content may be
** left over from a crash), under a write lock, before taking its read lock. */
#define OS_SHM_REGION 32768
#define OS_SHM_NLOCK 8
#define OS_SHM_LOCK_BASE 120
#define OS_SHM_DMS (OS_SHM_LOCK_BASE + OS_SHM_NLOCK)
#define OS_SHM_UNLOCK 1
#define OS_SHM_SHARED 2
#define OS_SHM_EXCLUSIVE 4

/* What a path names now, for noticing that another process changed or
** replaced a file: id is (device, inode) on POSIX, mtime in nanoseconds. */
typedef struct OsStat {
  int exists;
  int64_t size;
  uint64_t dev, ino;
  int64_t mtime_ns;
} OsStat;

struct OsFile {
  const OsFileMethods *methods;
};

/* Mutexes and condition variables for the state that threads of one
** process share through a database file (the pager's PagerShared): methods
** of the I/O layer, so that a backend without threads (wasm) makes them
** free and the fault-injecting backend can fail their creation and check
** their use.  A mutex may be recursive; cond_wait is called with its mutex
** held exactly once. */
typedef struct OsMutex OsMutex;
typedef struct OsCond OsCond;
typedef struct OsSyncMethods {
  int threads; /* 0: one thread only, so nothing ever waits for another */
  OsMutex *(*mutex_new)(int recursive); /* NULL when out of memory */
  void (*mutex_enter)(OsMutex *m);
  void (*mutex_leave)(OsMutex *m);
  void (*mutex_free)(OsMutex *m);
  OsCond *(*cond_new)(void); /* NULL when out of memory */
  /* Waits until a broadcast, or until timeout_us passes (< 0: no limit);
  ** may also return early (a spurious wake), so callers re-check. */
  void (*cond_wait)(OsCond *c, OsMutex *m, int64_t timeout_us);
  void (*cond_broadcast)(OsCond *c);
  void (*cond_free)(OsCond *c);
} OsSyncMethods;

/* The platform's: pthreads natively, no-ops under emscripten. */
const OsSyncMethods *os_sync_default(void);

struct OsVfs {
  const char *name; /* "posix", "io_uring", "memory" */
  int (*open)(OsVfs *vfs, const char *path, int flags, OsFile **out);
  int (*remove)(OsVfs *vfs, const char *path); /* LODE_OK also when it did not exist */
  int (*exists)(OsVfs *vfs, const char *path, int *exists);
  void (*destroy)(OsVfs *vfs); /* for per-connection instances (memory); NULL for singletons */
  int (*stat)(OsVfs *vfs, const char *path, OsStat *st); /* exists = 0 (and LODE_OK) when absent */
  const OsSyncMethods *sync; /* NULL: os_sync_default() */
};

OsVfs *os_vfs_posix(void);
OsVfs *os_vfs_uring(void);   /* NULL when io_uring is unavailable or not built in */
OsVfs *os_vfs_default(void); /* io_uring if usable, else posix; host or memory under emscripten */
/* Where unnamed temporary files (sorter and savepoint spills) go: the default
** VFS, except under emscripten, where they stay in memory (a browser's host
** files must be opened before the engine runs). */
OsVfs *os_vfs_temp(void);
/* An unnamed temporary file on os_vfs_temp (created, then unlinked while
** open, so it goes away with its handle); what names its use in the path. */
int os_open_temp(const char *what, OsFile **out);
OsVfs *os_vfs_host(void); /* emscripten only: NULL unless the host installed Module.lodeIO */
OsVfs *os_vfs_memory_new(void); /* a fresh private namespace of RAM files; destroy() frees it */

/* Convenience wrappers. */
static inline int os_read(OsFile *f, void *b, size_t n, int64_t off) { return f->methods->read(f, b, n, off); }
static inline int os_write(OsFile *f, const void *b, size_t n, int64_t off) { return f->methods->write(f, b, n, off); }
static inline int os_truncate(OsFile *f, int64_t size) { return f->methods->truncate(f, size); }
static inline int os_sync(OsFile *f) { return f->methods->sync(f); }
static inline int os_size(OsFile *f, int64_t *s) { return f->methods->size(f, s); }
static inline int os_write_batch(OsFile *f, const OsIoOp *ops, int n) { return f->methods->write_batch(f, ops, n); }
static inline int os_close(OsFile *f) { return f ? f->methods->close(f) : LODE_OK; }
static inline int os_lock(OsFile *f, int level) { return f->methods->lock(f, level); }
static inline int os_shm_map(OsFile *f, int region, int extend, void **out) {
  return f->methods->shm_map(f, region, extend, out);
}
static inline int os_shm_lock(OsFile *f, int slot, int n, int flags) { return f->methods->shm_lock(f, slot, n, flags); }
static inline void os_shm_barrier(OsFile *f) { f->methods->shm_barrier(f); }
static inline int os_shm_unmap(OsFile *f, int remove) { return f->methods->shm_unmap(f, remove); }
static inline int os_set_mmap(OsFile *f, int64_t limit) {
  return f->methods->set_mmap ? f->methods->set_mmap(f, limit) : LODE_OK;
}

static inline const OsSyncMethods *os_vfs_sync(const OsVfs *vfs) {
  return vfs->sync ? vfs->sync : os_sync_default();
}

/* Sleeps for ms milliseconds (a busy handler's wait); a no-op where the
** platform cannot block (wasm). */
void os_sleep_ms(int ms);
/* A lock method for backends without other processes (memory): always granted. */
int os_lock_none(OsFile *f, int level);
/* The shm lock of such backends: always granted (the wal-index keeps its
** own count of the locks the process holds), and the barrier of every backend. */
int os_shm_lock_none(OsFile *f, int slot, int n, int flags);
void os_shm_barrier_full(OsFile *f);

/* Generic write_batch for backends with no batching of their own. */
int os_write_batch_loop(OsFile *f, const OsIoOp *ops, int nops);

/* Fault injection for tests (os_fault.c).  After os_fault_enable(1),
** os_vfs_default() returns a wrapper over the real backend whose files
** fail operations on demand: os_fault_arm(kinds, after, repeat) lets
** `after` operations of the OS_FAULT_* kinds through, then fails the next
** one (read: LODE_IOERR_READ, write/truncate: LODE_IOERR_WRITE/_TRUNCATE,
** sync: LODE_IOERR_FSYNC) and, with repeat, every later one.  kinds = 0
** disarms.  Batches are split into single ops.  Not thread-safe. */
#define OS_FAULT_READ 0x01
#define OS_FAULT_WRITE 0x02
#define OS_FAULT_SYNC 0x04
#define OS_FAULT_LOCK 0x08 /* lock and shm lock calls fail with LODE_BUSY */
#define OS_FAULT_SHM 0x10  /* shm_map fails with LODE_IOERR_SHMMAP */
#define OS_FAULT_MUTEX 0x20 /* mutex_new / cond_new fail (out of memory) */
void os_fault_enable(int on);
void os_fault_arm(int kinds, int after, int repeat);
int os_fault_seen(void);   /* armed-kind operations since arming */
int os_fault_failed(void); /* failures injected since arming */
/* Every sync of the wrapper's files first sleeps us microseconds (0: none),
** a slow disk for tests of what overlaps a sync; set it while no thread syncs. */
void os_fault_sync_delay(int us);
/* Mutexes of the wrapper's sync methods held right now, by any thread
** (each recursive level counts): 0 whenever no call into the engine is
** running, or some path returned without leaving one.  A leave by a thread
** that does not hold the mutex aborts. */
int os_fault_mutexes_held(void);
OsVfs *os_vfs_fault_if_enabled(void); /* NULL unless enabled */

#endif /* LODE_OS_H */
