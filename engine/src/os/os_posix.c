/*
** os_posix.c — the POSIX backend: one file descriptor per OsFile, pread and
** pwrite at explicit offsets (no shared file position; a batch's adjacent
** writes as one pwritev), fdatasync for
** durability, fcntl record locks, and the shared memory of a database file:
** "<db>-shm" mapped with mmap in OS_SHM_REGION pieces, its lock slots and
** dead-man switch as fcntl locks on its bytes (os.h); with PRAGMA mmap_size
** (set_mmap), reads of a database file from a read-only mapping of it.
**
** Owns no on-disk format (the wal-index inside -shm belongs to the pager).  Invariants: every system call is retried on
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "util/util.h"

/* Mode for files we create; the umask narrows it, as for SQLite. */
#define POSIX_CREATE_MODE 0644

/* The -shm of one database handle (the pager keeps one handle per file per
** process, so this is the process's only descriptor of the -shm: closing a
** second one would drop the process's locks on it). */
typedef struct PosixShm {
  int fd;
  char *path;
  void **regions;
  int nregions;
} PosixShm;

typedef struct PosixFile {
  OsFile base;
  int fd;
  char *path; /* for the -shm next to it */
  PosixShm *shm;
  /* set_mmap: [0, map_size) of the file is mapped at map; map_size never
  ** passes map_limit nor the file's size when it was mapped. */
  uint8_t *map;
  int64_t map_size;
  int64_t map_limit;
} PosixFile;

static int posix_fd(OsFile *f) { return ((PosixFile *)f)->fd; }

/* The io_uring backend wraps posix files and needs their descriptor for
** its submissions (declared there too: no header of its own for one call). */
int os_posix_fd(OsFile *f);
int os_posix_fd(OsFile *f) { return posix_fd(f); }

static void posix_unmap(PosixFile *pf) {
  if (pf->map) munmap(pf->map, (size_t)pf->map_size);
  pf->map = NULL;
  pf->map_size = 0;
}

/* Maps as much of the file as exists, up to map_limit.  A failed mmap only
** leaves the reads to pread. */
static void posix_remap(PosixFile *pf) {
  struct stat st;
  posix_unmap(pf);
  if (fstat(pf->fd, &st) != 0) return;
  int64_t size = (int64_t)st.st_size < pf->map_limit ? (int64_t)st.st_size : pf->map_limit;
  if (size <= 0) return;
  void *m = mmap(NULL, (size_t)size, PROT_READ, MAP_SHARED, pf->fd, 0);
  if (m == MAP_FAILED) return;
  pf->map = m;
  pf->map_size = size;
}

static int posix_set_mmap(OsFile *f, int64_t limit) {
  PosixFile *pf = (PosixFile *)f;
  if (limit < 0) limit = 0;
  if (limit == pf->map_limit) {
    /* The same limit again: the file may have shrunk under the mapping. */
    struct stat st;
    if (pf->map && (fstat(pf->fd, &st) != 0 || (int64_t)st.st_size < pf->map_size)) posix_unmap(pf);
    return LODE_OK;
  }
  posix_unmap(pf);
  pf->map_limit = limit;
  return LODE_OK;
}

static int posix_read(OsFile *f, void *buf, size_t n, int64_t off) {
  PosixFile *pf = (PosixFile *)f;
  uint8_t *p = buf;
  size_t done = 0;
  if (pf->map_limit > 0 && off >= 0 && off + (int64_t)n <= pf->map_limit) {
    /* Bytes past the mapping: the file may have grown since it was mapped. */
    if (off + (int64_t)n > pf->map_size) posix_remap(pf);
    if (off + (int64_t)n <= pf->map_size) {
      memcpy(buf, pf->map + off, n);
      return LODE_OK;
    }
  }
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
  PosixFile *pf = (PosixFile *)f;
  /* A mapping past the new end would fault on its last pages. */
  if (size < pf->map_size) posix_unmap(pf);
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

/* Writes of a batch that continue each other in the file go out as one
** pwritev of at most this many pieces (IOV_MAX is 1024 on Linux). */
#define POSIX_WRITEV_MAX 128

/* ops[0..n) are writes, each starting where the one before ended: one
** pwritev, continued where a short transfer stopped (by pwrite, piece by
** piece, as posix_write would). */
static int posix_write_run(OsFile *f, const OsIoOp *ops, int n) {
  struct iovec iov[POSIX_WRITEV_MAX];
  size_t total = 0;
  for (int i = 0; i < n; i++) {
    iov[i].iov_base = (void *)ops[i].buf;
    iov[i].iov_len = ops[i].n;
    total += ops[i].n;
  }
  ssize_t put;
  do {
    put = pwritev(posix_fd(f), iov, n, (off_t)ops[0].off);
  } while (put < 0 && errno == EINTR);
  if (put < 0) return errno == ENOSPC ? LODE_FULL : LODE_IOERR_WRITE;
  if ((size_t)put == total) return LODE_OK;
  /* A short transfer: the rest, op by op from where it stopped. */
  size_t skip = (size_t)put;
  for (int i = 0; i < n; i++) {
    if (skip >= ops[i].n) {
      skip -= ops[i].n;
      continue;
    }
    int rc = posix_write(f, (const uint8_t *)ops[i].buf + skip, ops[i].n - skip, ops[i].off + (int64_t)skip);
    if (rc != LODE_OK) return rc;
    skip = 0;
  }
  return LODE_OK;
}

/* A checkpoint's pages come in page order, most of them neighbours in the
** file, and a commit's frames follow the WAL header: one system call per
** run of adjacent writes instead of one per page (a 1000-page checkpoint
** made 1000 pwrites).  The bytes written and their order relative to the
** syncs are the same as op by op. */
static int posix_write_batch(OsFile *f, const OsIoOp *ops, int nops) {
  for (int i = 0; i < nops;) {
    if (!ops[i].buf) {
      int rc = posix_sync(f);
      if (rc != LODE_OK) return rc;
      i++;
      continue;
    }
    int j = i + 1;
    while (j < nops && j - i < POSIX_WRITEV_MAX && ops[j].buf && ops[j].off == ops[j - 1].off + (int64_t)ops[j - 1].n)
      j++;
    int rc = j - i == 1 ? posix_write(f, ops[i].buf, ops[i].n, ops[i].off) : posix_write_run(f, ops + i, j - i);
    if (rc != LODE_OK) return rc;
    i = j;
  }
  return LODE_OK;
}

static int posix_size(OsFile *f, int64_t *size) {
  struct stat st;
  if (fstat(posix_fd(f), &st) != 0) return LODE_IOERR_FSTAT;
  *size = (int64_t)st.st_size;
  return LODE_OK;
}

static int posix_shm_unmap(OsFile *f, int remove);

static int posix_close(OsFile *f) {
  PosixFile *pf = (PosixFile *)f;
  int rc = posix_shm_unmap(f, 0);
  posix_unmap(pf);
  if (close(pf->fd) != 0 && errno != EINTR && rc == LODE_OK) rc = LODE_IOERR;
  util_free(pf->path);
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

/* ---- shared memory -------------------------------------------------------- */

/* The dead-man switch (os.h): nobody else holding a lock on its byte means
** the -shm content is left over from a crash or a closed process, and is
** cleared.  A write lock there means another process is clearing it now. */
static int posix_shm_dms(int fd) {
  struct flock fl;
  memset(&fl, 0, sizeof fl);
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  fl.l_start = OS_SHM_DMS;
  fl.l_len = 1;
  if (fcntl(fd, F_GETLK, &fl) != 0) return LODE_IOERR_LOCK;
  if (fl.l_type == F_WRLCK) return LODE_BUSY;
  if (fl.l_type == F_UNLCK) {
    int rc = posix_setlk(fd, F_WRLCK, OS_SHM_DMS, 1);
    if (rc != LODE_OK) return rc;
    while (ftruncate(fd, 0) != 0) {
      if (errno != EINTR) return LODE_IOERR_SHMOPEN;
    }
  }
  return posix_setlk(fd, F_RDLCK, OS_SHM_DMS, 1);
}

static int posix_shm_open(PosixFile *pf) {
  PosixShm *shm = util_zalloc(sizeof *shm);
  if (!shm) return LODE_NOMEM;
  shm->fd = -1;
  shm->path = util_mprintf("%s-shm", pf->path);
  int rc = shm->path ? LODE_OK : LODE_NOMEM;
  if (rc == LODE_OK) {
    do {
      shm->fd = open(shm->path, O_RDWR | O_CREAT | O_CLOEXEC, POSIX_CREATE_MODE);
    } while (shm->fd < 0 && errno == EINTR);
    if (shm->fd < 0) rc = LODE_CANTOPEN;
  }
  if (rc == LODE_OK) rc = posix_shm_dms(shm->fd);
  if (rc != LODE_OK) {
    if (shm->fd >= 0) close(shm->fd);
    util_free(shm->path);
    util_free(shm);
    return rc;
  }
  pf->shm = shm;
  return LODE_OK;
}

static int posix_shm_map(OsFile *f, int region, int extend, void **out) {
  PosixFile *pf = (PosixFile *)f;
  *out = NULL;
  if (!pf->shm) {
    int rc = posix_shm_open(pf);
    if (rc != LODE_OK) return rc;
  }
  PosixShm *shm = pf->shm;
  if (region < shm->nregions && shm->regions[region]) {
    *out = shm->regions[region];
    return LODE_OK;
  }
  struct stat st;
  if (fstat(shm->fd, &st) != 0) return LODE_IOERR_SHMSIZE;
  off_t need = (off_t)(region + 1) * OS_SHM_REGION;
  if (st.st_size < need) {
    if (!extend) return LODE_OK;
    /* Growing only: other processes may be using the existing regions. */
    while (ftruncate(shm->fd, need) != 0) {
      if (errno != EINTR) return LODE_IOERR_SHMSIZE;
    }
  }
  if (region >= shm->nregions) {
    void **grown = util_realloc(shm->regions, sizeof(void *) * (size_t)(region + 1));
    if (!grown) return LODE_NOMEM;
    for (int i = shm->nregions; i <= region; i++) grown[i] = NULL;
    shm->regions = grown;
    shm->nregions = region + 1;
  }
  void *p = mmap(NULL, OS_SHM_REGION, PROT_READ | PROT_WRITE, MAP_SHARED, shm->fd, (off_t)region * OS_SHM_REGION);
  if (p == MAP_FAILED) return LODE_IOERR_SHMMAP;
  shm->regions[region] = p;
  *out = p;
  return LODE_OK;
}

static int posix_shm_lock(OsFile *f, int slot, int n, int flags) {
  PosixShm *shm = ((PosixFile *)f)->shm;
  if (!shm || slot < 0 || n < 1 || slot + n > OS_SHM_NLOCK) return LODE_MISUSE;
  short type = (flags & OS_SHM_UNLOCK) ? F_UNLCK : (flags & OS_SHM_EXCLUSIVE) ? F_WRLCK : F_RDLCK;
  return posix_setlk(shm->fd, type, OS_SHM_LOCK_BASE + slot, n);
}

static int posix_shm_unmap(OsFile *f, int remove) {
  PosixFile *pf = (PosixFile *)f;
  PosixShm *shm = pf->shm;
  if (!shm) return LODE_OK;
  int rc = LODE_OK;
  for (int i = 0; i < shm->nregions; i++)
    if (shm->regions[i]) munmap(shm->regions[i], OS_SHM_REGION);
  if (remove && unlink(shm->path) != 0 && errno != ENOENT) rc = LODE_IOERR_DELETE;
  close(shm->fd); /* drops this process's locks on the -shm, the dead-man switch too */
  util_free(shm->regions);
  util_free(shm->path);
  util_free(shm);
  pf->shm = NULL;
  return rc;
}

static const OsFileMethods posix_methods = {
    posix_read,  posix_write,   posix_truncate,   posix_sync,       posix_size,
    posix_write_batch, posix_close, posix_lock, posix_shm_map, posix_shm_lock,
    os_shm_barrier_full, posix_shm_unmap, posix_set_mmap,
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
  pf->path = util_strdup(path);
  int rc = pf->path ? posix_open_fd(path, flags, &pf->fd) : LODE_NOMEM;
  if (rc != LODE_OK) {
    util_free(pf->path);
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
  static OsVfs vfs = {"posix", posix_vfs_open, posix_vfs_remove, posix_vfs_exists, NULL, posix_vfs_stat, NULL};
  return &vfs;
}

#endif /* __EMSCRIPTEN__ */
