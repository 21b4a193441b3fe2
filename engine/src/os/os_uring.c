/*
** os_uring.c — the io_uring backend.  Files are posix files (os_posix.c)
** whose write_batch goes through one process-wide ring: the batch's writes
** and fsyncs become SQEs chained with IOSQE_IO_LINK (each starts only after
** the previous one succeeded) and leave in a single io_uring_submit; the
** completions are then reaped.  Single reads and writes, and batches
** without a sync, go to the posix file's own batch (pwrite, pwritev for
** adjacent writes): a ring round trip buys nothing there.
**
** Owns no on-disk format.  Invariants: a batch's ops complete in order (the
** link chain, and a chain only starts after the previous one was reaped);
** every submitted SQE is reaped before the batch returns; the ring is used
** by one thread at a time (a mutex), so several connections may share it.
** A short or cancelled link ends the chain; the rest of the batch is then
** finished synchronously, so results equal the posix backend's.
**
** Built only with LODE_HAVE_LIBURING; otherwise os_vfs_uring() is NULL.
*/
#include "os/os.h"

#if !defined(LODE_HAVE_LIBURING) || defined(__EMSCRIPTEN__)
OsVfs *os_vfs_uring(void) { return NULL; }
#else

#include <errno.h>
#include <liburing.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "util/util.h"

/* Ring entries = the longest chain submitted at once. */
#define URING_ENTRIES 64
/* Batches of fewer ops go through pwrite and fdatasync (uring_write_batch). */
#define URING_MIN_BATCH 32
/* io_uring lengths are 32-bit; bigger writes go through pwrite. */
#define URING_MAX_LEN ((size_t)1 << 30)

int os_posix_fd(OsFile *f); /* os_posix.c */

typedef struct UringFile {
  OsFile base;
  OsFile *inner; /* the posix file doing everything but batches */
} UringFile;

static struct io_uring ring;
static pthread_mutex_t ring_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t ring_once = PTHREAD_ONCE_INIT;
static int ring_ok;
static int ring_broken; /* set after a submission failure: batches loop instead */
/* The process that made the ring.  A forked child shares the parent's ring
** memory: its submissions would race the parent's and steal completions,
** so a child never uses it (its batches loop over pwrite/fdatasync). */
static pid_t ring_pid;

static void ring_init(void) {
  ring_ok = io_uring_queue_init(URING_ENTRIES, &ring, 0) == 0;
  ring_pid = getpid();
}

static OsFile *inner(OsFile *f) { return ((UringFile *)f)->inner; }

static int uring_read(OsFile *f, void *b, size_t n, int64_t off) { return os_read(inner(f), b, n, off); }
static int uring_write(OsFile *f, const void *b, size_t n, int64_t off) { return os_write(inner(f), b, n, off); }
static int uring_truncate(OsFile *f, int64_t size) { return os_truncate(inner(f), size); }
static int uring_sync(OsFile *f) { return os_sync(inner(f)); }
static int uring_size(OsFile *f, int64_t *size) { return os_size(inner(f), size); }

static int uring_close(OsFile *f) {
  int rc = os_close(inner(f));
  util_free(f);
  return rc;
}

static void uring_prep(struct io_uring_sqe *sqe, int fd, const OsIoOp *op, int idx, int link) {
  if (op->buf) io_uring_prep_write(sqe, fd, op->buf, (unsigned)op->n, (uint64_t)op->off);
  else io_uring_prep_fsync(sqe, fd, IORING_FSYNC_DATASYNC);
  io_uring_sqe_set_data64(sqe, (uint64_t)idx);
  if (link) sqe->flags |= IOSQE_IO_LINK;
}

static int uring_op_done(const OsIoOp *op, int res) { return op->buf ? res >= 0 && (size_t)res == op->n : res == 0; }

/* Hard failures stop the batch; short, cancelled or interrupted ops are
** redone synchronously by the caller. */
static int uring_error(const OsIoOp *op, int res) {
  if (res >= 0 || res == -ECANCELED || res == -EINTR || res == -EAGAIN) return LODE_OK;
  if (!op->buf) return LODE_IOERR_FSYNC;
  return res == -ENOSPC ? LODE_FULL : LODE_IOERR_WRITE;
}

/* Queues the chain; 0 if the SQ had no room (then the ring is unusable). */
static int uring_queue(int fd, const OsIoOp *ops, int n) {
  for (int i = 0; i < n; i++) {
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    if (!sqe) return 0;
    uring_prep(sqe, fd, &ops[i], i, i + 1 < n);
  }
  return 1;
}

/* Pushes n queued SQEs to the kernel; returns how many went. */
static int uring_submit_all(int n) {
  int total = 0, retries = 0;
  while (total < n) {
    int r = io_uring_submit(&ring);
    if (r > 0) total += r;
    else if ((r == -EINTR || r == -EAGAIN || r == 0) && retries++ < 8) continue;
    else break;
  }
  return total;
}

/* Submits ops[0..n) as one linked chain; *ndone = the completed prefix. */
static int uring_chain(int fd, const OsIoOp *ops, int n, int *ndone) {
  int done[URING_ENTRIES] = {0};
  int rc = LODE_OK;
  *ndone = 0;
  if (!uring_queue(fd, ops, n)) {
    ring_broken = 1;
    return LODE_OK;
  }
  int submitted = uring_submit_all(n);
  /* SQEs left in the ring would go out later with stale buffers: never
  ** submit through it again. */
  if (submitted < n) ring_broken = 1;
  for (int k = 0; k < submitted; k++) {
    struct io_uring_cqe *cqe;
    int w = io_uring_wait_cqe(&ring, &cqe);
    if (w == -EINTR) {
      k--;
      continue;
    }
    if (w < 0) {
      ring_broken = 1;
      return LODE_IOERR;
    }
    int idx = (int)io_uring_cqe_get_data64(cqe);
    if (idx >= 0 && idx < n) {
      done[idx] = uring_op_done(&ops[idx], cqe->res);
      if (rc == LODE_OK) rc = uring_error(&ops[idx], cqe->res);
    }
    io_uring_cqe_seen(&ring, cqe);
  }
  while (*ndone < n && done[*ndone]) (*ndone)++;
  return rc;
}

static int uring_fits(const OsIoOp *ops, int n) {
  for (int i = 0; i < n; i++)
    if (ops[i].buf && ops[i].n > URING_MAX_LEN) return 0;
  return 1;
}

static int uring_has_sync(const OsIoOp *ops, int n) {
  for (int i = 0; i < n; i++)
    if (!ops[i].buf) return 1;
  return 0;
}

static int uring_write_batch(OsFile *f, const OsIoOp *ops, int nops) {
  OsFile *in = inner(f);
  /* The ring pays off by chaining many writes to their fsync in one
  ** submission.  A batch without a sync is a few pwrites, cheaper without a
  ** submission round trip; and a small one with a sync (a commit of a few
  ** frames) is too: the fsync then runs in a kernel worker that the caller
  ** waits for, which cost twice the context switches and a third more CPU
  ** per commit than pwrite and fdatasync in the caller's own thread. */
  if (nops < URING_MIN_BATCH || !uring_has_sync(ops, nops) || getpid() != ring_pid)
    return os_write_batch(in, ops, nops);
  int fd = os_posix_fd(in);
  int pos = 0;
  pthread_mutex_lock(&ring_mutex);
  while (pos < nops && !ring_broken) {
    int n = nops - pos < URING_ENTRIES ? nops - pos : URING_ENTRIES;
    if (!uring_fits(ops + pos, n)) break;
    int ndone;
    int rc = uring_chain(fd, ops + pos, n, &ndone);
    if (rc != LODE_OK) {
      pthread_mutex_unlock(&ring_mutex);
      return rc;
    }
    pos += ndone;
    if (ndone < n) break; /* a link fell short: finish without the ring */
  }
  pthread_mutex_unlock(&ring_mutex);
  return os_write_batch(in, ops + pos, nops - pos);
}

static int uring_lock(OsFile *f, int level) { return os_lock(inner(f), level); }

/* Locks and shared memory belong to the posix file inside. */
static int uring_shm_map(OsFile *f, int region, int extend, void **out) {
  return os_shm_map(inner(f), region, extend, out);
}
static int uring_shm_lock(OsFile *f, int slot, int n, int flags) { return os_shm_lock(inner(f), slot, n, flags); }
static int uring_shm_unmap(OsFile *f, int remove) { return os_shm_unmap(inner(f), remove); }
static int uring_set_mmap(OsFile *f, int64_t limit) { return os_set_mmap(inner(f), limit); }

static const OsFileMethods uring_methods = {
    uring_read,    uring_write,    uring_truncate,      uring_sync,     uring_size,   uring_write_batch,
    uring_close,   uring_lock,     uring_shm_map,       uring_shm_lock, os_shm_barrier_full, uring_shm_unmap,
    uring_set_mmap,
};

static int uring_vfs_open(OsVfs *vfs, const char *path, int flags, OsFile **out) {
  (void)vfs;
  *out = NULL;
  UringFile *uf = util_zalloc(sizeof *uf);
  if (!uf) return LODE_NOMEM;
  OsVfs *posix = os_vfs_posix();
  int rc = posix->open(posix, path, flags, &uf->inner);
  if (rc != LODE_OK) {
    util_free(uf);
    return rc;
  }
  uf->base.methods = &uring_methods;
  *out = &uf->base;
  return LODE_OK;
}

static int uring_vfs_remove(OsVfs *vfs, const char *path) {
  (void)vfs;
  return os_vfs_posix()->remove(os_vfs_posix(), path);
}

static int uring_vfs_exists(OsVfs *vfs, const char *path, int *exists) {
  (void)vfs;
  return os_vfs_posix()->exists(os_vfs_posix(), path, exists);
}

static int uring_vfs_stat(OsVfs *vfs, const char *path, OsStat *st) {
  (void)vfs;
  return os_vfs_posix()->stat(os_vfs_posix(), path, st);
}

OsVfs *os_vfs_uring(void) {
  static OsVfs vfs = {"io_uring", uring_vfs_open, uring_vfs_remove, uring_vfs_exists, NULL, uring_vfs_stat, NULL};
  pthread_once(&ring_once, ring_init);
  return ring_ok ? &vfs : NULL;
}

#endif /* LODE_HAVE_LIBURING */
