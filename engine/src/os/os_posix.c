/*
** os_posix.c — the POSIX backend: one file descriptor per OsFile, pread and
** pwrite at explicit offsets (no shared file position), fdatasync for
** durability.
**
** Owns no on-disk format.  Invariants: every system call is retried on
** EINTR and partial transfers are continued until the whole buffer moved;
** errno never escapes — failures become LODE_IOERR_* or LODE_CANTOPEN.
** Under emscripten this backend does not exist (os_vfs_posix() is NULL).
*/
#include "os/os.h"

#ifdef __EMSCRIPTEN__
OsVfs *os_vfs_posix(void) { return NULL; }
#else

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/util.h"

/* Mode for files we create; the umask narrows it, as for SQLite. */
#define POSIX_CREATE_MODE 0644

typedef struct PosixFile {
  OsFile base;
  int fd;
} PosixFile;

static int posix_fd(OsFile *f) { return ((PosixFile *)f)->fd; }

/* The io_uring backend wraps posix files and needs their descriptor for
** its submissions (declared there too: no header of its own for one call). */
int os_posix_fd(OsFile *f);
int os_posix_fd(OsFile *f) { return posix_fd(f); }

static int posix_read(OsFile *f, void *buf, size_t n, int64_t off) {
  uint8_t *p = buf;
  size_t done = 0;
  while (done < n) {
    ssize_t got = pread(posix_fd(f), p + done, n - done, (off_t)(off + (int64_t)done));
    if (got < 0) {
      if (errno == EINTR) continue;
      return LODE_IOERR_READ;
    }
    if (got == 0) {
      memset(p + done, 0, n - done);
      return LODE_IOERR_SHORT_READ;
    }
    done += (size_t)got;
  }
  return LODE_OK;
}

static int posix_write(OsFile *f, const void *buf, size_t n, int64_t off) {
  const uint8_t *p = buf;
  size_t done = 0;
  while (done < n) {
    ssize_t put = pwrite(posix_fd(f), p + done, n - done, (off_t)(off + (int64_t)done));
    if (put < 0) {
      if (errno == EINTR) continue;
      return errno == ENOSPC ? LODE_FULL : LODE_IOERR_WRITE;
    }
    if (put == 0) return LODE_IOERR_WRITE;
    done += (size_t)put;
  }
  return LODE_OK;
}

static int posix_truncate(OsFile *f, int64_t size) {
  while (ftruncate(posix_fd(f), (off_t)size) != 0) {
    if (errno != EINTR) return LODE_IOERR_TRUNCATE;
  }
  return LODE_OK;
}

static int posix_sync(OsFile *f) {
  while (fdatasync(posix_fd(f)) != 0) {
    if (errno != EINTR) return LODE_IOERR_FSYNC;
  }
  return LODE_OK;
}

static int posix_size(OsFile *f, int64_t *size) {
  struct stat st;
  if (fstat(posix_fd(f), &st) != 0) return LODE_IOERR_FSTAT;
  *size = (int64_t)st.st_size;
  return LODE_OK;
}

static int posix_close(OsFile *f) {
  int rc = LODE_OK;
  if (close(posix_fd(f)) != 0 && errno != EINTR) rc = LODE_IOERR;
  util_free(f);
  return rc;
}

/* One fcntl record lock; EAGAIN/EACCES mean another process holds a
** conflicting one. */
static int posix_setlk(int fd, short type, off_t start, off_t len) {
  struct flock fl;
  memset(&fl, 0, sizeof fl);
  fl.l_type = type;
  fl.l_whence = SEEK_SET;
  fl.l_start = start;
  fl.l_len = len;
  while (fcntl(fd, F_SETLK, &fl) != 0) {
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EACCES ? LODE_BUSY : LODE_IOERR_LOCK;
  }
  return LODE_OK;
}

/* See os.h for where the locks sit.  Going from EXCLUSIVE to SHARED first
** drops the whole range, then takes the read lock: a moment without a lock,
** which only lets others in earlier. */
static int posix_lock(OsFile *f, int level) {
  int fd = posix_fd(f);
  const off_t all = OS_LOCK_SHARED_FIRST - OS_LOCK_PENDING_BYTE + OS_LOCK_SHARED_SIZE;
  switch (level) {
  case OS_LOCK_NONE: return posix_setlk(fd, F_UNLCK, OS_LOCK_PENDING_BYTE, all);
  case OS_LOCK_SHARED: {
    int rc = posix_setlk(fd, F_UNLCK, OS_LOCK_PENDING_BYTE, all);
    return rc == LODE_OK ? posix_setlk(fd, F_RDLCK, OS_LOCK_SHARED_FIRST, OS_LOCK_SHARED_SIZE) : rc;
  }
  case OS_LOCK_EXCLUSIVE: return posix_setlk(fd, F_WRLCK, OS_LOCK_PENDING_BYTE, all);
  default: return LODE_MISUSE;
  }
}

static const OsFileMethods posix_methods = {
    posix_read, posix_write, posix_truncate, posix_sync, posix_size, os_write_batch_loop, posix_close, posix_lock,
};

static int posix_open_flags(int flags) {
  int oflags = (flags & OS_OPEN_READWRITE) ? O_RDWR : O_RDONLY;
  if ((flags & OS_OPEN_CREATE) && (flags & OS_OPEN_READWRITE)) oflags |= O_CREAT;
  return oflags | O_CLOEXEC;
}

/* Opens path and checks it is a regular file (directories are CANTOPEN_ISDIR). */
static int posix_open_fd(const char *path, int flags, int *fd_out) {
  int fd;
  do {
    fd = open(path, posix_open_flags(flags), POSIX_CREATE_MODE);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return errno == EISDIR ? LODE_CANTOPEN_ISDIR : LODE_CANTOPEN;
  struct stat st;
  if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    close(fd);
    return LODE_CANTOPEN_ISDIR;
  }
  *fd_out = fd;
  return LODE_OK;
}

static int posix_vfs_open(OsVfs *vfs, const char *path, int flags, OsFile **out) {
  (void)vfs;
  *out = NULL;
  PosixFile *pf = util_zalloc(sizeof *pf);
  if (!pf) return LODE_NOMEM;
  int rc = posix_open_fd(path, flags, &pf->fd);
  if (rc != LODE_OK) {
    util_free(pf);
    return rc;
  }
  pf->base.methods = &posix_methods;
  *out = &pf->base;
  return LODE_OK;
}

static int posix_vfs_remove(OsVfs *vfs, const char *path) {
  (void)vfs;
  if (unlink(path) != 0 && errno != ENOENT) return LODE_IOERR_DELETE;
  return LODE_OK;
}

static int posix_vfs_exists(OsVfs *vfs, const char *path, int *exists) {
  (void)vfs;
  *exists = access(path, F_OK) == 0;
  return LODE_OK;
}

static int posix_vfs_stat(OsVfs *vfs, const char *path, OsStat *out) {
  (void)vfs;
  memset(out, 0, sizeof *out);
  struct stat st;
  if (stat(path, &st) != 0) return errno == ENOENT || errno == ENOTDIR ? LODE_OK : LODE_IOERR_FSTAT;
  out->exists = 1;
  out->size = (int64_t)st.st_size;
  out->dev = (uint64_t)st.st_dev;
  out->ino = (uint64_t)st.st_ino;
  out->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
  return LODE_OK;
}

OsVfs *os_vfs_posix(void) {
  static OsVfs vfs = {"posix", posix_vfs_open, posix_vfs_remove, posix_vfs_exists, NULL, posix_vfs_stat};
  return &vfs;
}

#endif /* __EMSCRIPTEN__ */
