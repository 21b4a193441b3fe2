/*
** os.h — the I/O vtable.  Everything above this layer (the pager and WAL)
** reaches storage only through an OsVfs and the OsFile handles it opens.
**
** Backends: posix (pread/pwrite/fdatasync), io_uring (liburing; batches go
** out as one linked submission write…write→fsync), memory (files live in
** RAM, keyed by name inside one OsVfs instance; used for ":memory:" and by
** the wasm build).  os_vfs_default() picks io_uring when the kernel allows it
** and posix otherwise (env LODE_IO=posix forces posix).
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

struct OsVfs {
  const char *name; /* "posix", "io_uring", "memory" */
  int (*open)(OsVfs *vfs, const char *path, int flags, OsFile **out);
  int (*remove)(OsVfs *vfs, const char *path); /* LODE_OK also when it did not exist */
  int (*exists)(OsVfs *vfs, const char *path, int *exists);
  void (*destroy)(OsVfs *vfs); /* for per-connection instances (memory); NULL for singletons */
  int (*stat)(OsVfs *vfs, const char *path, OsStat *st); /* exists = 0 (and LODE_OK) when absent */
};

OsVfs *os_vfs_posix(void);
OsVfs *os_vfs_uring(void);   /* NULL when io_uring is unavailable or not built in */
OsVfs *os_vfs_default(void); /* io_uring if usable, else posix; memory under emscripten */
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

/* Sleeps for ms milliseconds (a busy handler's wait); a no-op where the
** platform cannot block (wasm). */
void os_sleep_ms(int ms);
/* A lock method for backends without other processes (memory): always granted. */
int os_lock_none(OsFile *f, int level);

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
#define OS_FAULT_LOCK 0x08 /* lock calls fail with LODE_BUSY */
void os_fault_enable(int on);
void os_fault_arm(int kinds, int after, int repeat);
int os_fault_seen(void);   /* armed-kind operations since arming */
int os_fault_failed(void); /* failures injected since arming */
OsVfs *os_vfs_fault_if_enabled(void); /* NULL unless enabled */

#endif /* LODE_OS_H */
