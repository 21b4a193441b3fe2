/*
** os_host.c — files that the JavaScript host provides (wasm build only).
** The host installs an object Module.lodeIO (Node's fs in js/io-node.mjs,
** OPFS sync access handles in js/io-opfs.mjs) whose synchronous methods
** the imports of wasm/library_lode_io.js call; this file turns them into an
** OsVfs.
**
** Host convention (see wasm/library_lode_io.js): a handle is a positive
** int; failures come back as negative numbers, HOST_ENOENT for a file that
** does not exist (or may not be opened as asked), HOST_ENOSPC for a full
** disk, anything else an I/O error.  Offsets and sizes cross as doubles
** (exact below 2^53, far above any file this engine writes).
**
** Locking: a wasm instance is one process that takes no file locks, so two
** instances (or a wasm instance and a native process) must not have one
** database open at the same time.  Within the instance the pager keeps one
** handle per database file, which owns the wal-index: plain heap regions,
** never a -shm file (its locks are always granted; the wal-index counts the
** locks of the instance's connections itself).
*/
#ifdef __EMSCRIPTEN__

#include <string.h>

#include "os/os.h"
#include "util/util.h"

#define HOST_ENOENT (-2)
#define HOST_ENOSPC (-3)
/* SQLite's extended codes for a failed access check and a failed close. */
#define HOST_IOERR_ACCESS (LODE_IOERR | (13 << 8))
#define HOST_IOERR_CLOSE (LODE_IOERR | (16 << 8))

/* The imports; wasm/library_lode_io.js defines them. */
extern int lode_host_present(void);
extern int lode_host_open(const char *path, int flags);
extern int lode_host_read(int h, void *buf, int n, double off);
extern int lode_host_write(int h, const void *buf, int n, double off);
extern int lode_host_truncate(int h, double size);
extern int lode_host_sync(int h);
extern double lode_host_size(int h);
extern int lode_host_close(int h);
extern int lode_host_remove(const char *path);
extern int lode_host_exists(const char *path);
/* out[0..3] = size, device, inode, mtime in ns; returns 1, 0 (absent) or < 0. */
extern int lode_host_stat(const char *path, double *out);

/* One call moves at most this much, so that an int carries the count. */
#define HOST_MAX_IO (1 << 30)

typedef struct HostFile {
  OsFile base;
  int handle;
  int readonly;
  void **shm; /* wal-index regions (OS_SHM_REGION bytes each) */
  int nshm;
} HostFile;

static int host_handle(OsFile *f) { return ((HostFile *)f)->handle; }

static int host_read(OsFile *f, void *buf, size_t n, int64_t off) {
  size_t done = 0;
  while (done < n) {
    size_t want = n - done > HOST_MAX_IO ? HOST_MAX_IO : n - done;
    int got = lode_host_read(host_handle(f), (uint8_t *)buf + done, (int)want, (double)(off + (int64_t)done));
    if (got < 0) return LODE_IOERR_READ;
    if (got == 0) break;
    done += (size_t)got;
  }
  if (done == n) return LODE_OK;
  memset((uint8_t *)buf + done, 0, n - done);
  return LODE_IOERR_SHORT_READ;
}

static int host_write(OsFile *f, const void *buf, size_t n, int64_t off) {
  if (((HostFile *)f)->readonly || off < 0) return LODE_IOERR_WRITE;
  size_t done = 0;
  while (done < n) {
    size_t want = n - done > HOST_MAX_IO ? HOST_MAX_IO : n - done;
    int rc = lode_host_write(host_handle(f), (const uint8_t *)buf + done, (int)want, (double)(off + (int64_t)done));
    if (rc == HOST_ENOSPC) return LODE_FULL;
    if (rc < 0) return LODE_IOERR_WRITE;
    done += want;
  }
  return LODE_OK;
}

static int host_truncate(OsFile *f, int64_t size) {
  if (((HostFile *)f)->readonly || size < 0) return LODE_IOERR_TRUNCATE;
  return lode_host_truncate(host_handle(f), (double)size) < 0 ? LODE_IOERR_TRUNCATE : LODE_OK;
}

static int host_sync(OsFile *f) { return lode_host_sync(host_handle(f)) < 0 ? LODE_IOERR_FSYNC : LODE_OK; }

static int host_size(OsFile *f, int64_t *size) {
  double s = lode_host_size(host_handle(f));
  if (s < 0) return LODE_IOERR_FSTAT;
  *size = (int64_t)s;
  return LODE_OK;
}

static void host_shm_free(HostFile *hf) {
  for (int i = 0; i < hf->nshm; i++) util_free(hf->shm[i]);
  util_free(hf->shm);
  hf->shm = NULL;
  hf->nshm = 0;
}

static int host_close(OsFile *f) {
  HostFile *hf = (HostFile *)f;
  int rc = lode_host_close(hf->handle) < 0 ? HOST_IOERR_CLOSE : LODE_OK;
  host_shm_free(hf);
  util_free(hf);
  return rc;
}

static int host_shm_map(OsFile *f, int region, int extend, void **out) {
  HostFile *hf = (HostFile *)f;
  *out = NULL;
  if (region < hf->nshm) {
    *out = hf->shm[region];
    return LODE_OK;
  }
  if (!extend) return LODE_OK;
  void **grown = util_realloc(hf->shm, sizeof(void *) * (size_t)(region + 1));
  if (!grown) return LODE_NOMEM;
  hf->shm = grown;
  while (hf->nshm <= region) {
    void *r = util_zalloc(OS_SHM_REGION);
    if (!r) return LODE_NOMEM;
    hf->shm[hf->nshm++] = r;
  }
  *out = hf->shm[region];
  return LODE_OK;
}

static int host_shm_unmap(OsFile *f, int remove) {
  if (remove) host_shm_free((HostFile *)f);
  return LODE_OK;
}

static const OsFileMethods host_methods = {
    host_read,  host_write,   host_truncate, host_sync,        host_size,           os_write_batch_loop,
    host_close, os_lock_none, host_shm_map,  os_shm_lock_none, os_shm_barrier_full, host_shm_unmap, NULL,
};

static int host_vfs_open(OsVfs *vfs, const char *path, int flags, OsFile **out) {
  (void)vfs;
  *out = NULL;
  HostFile *hf = util_zalloc(sizeof *hf);
  if (!hf) return LODE_NOMEM;
  int h = lode_host_open(path, flags);
  if (h <= 0) {
    util_free(hf);
    return h == HOST_ENOSPC ? LODE_FULL : LODE_CANTOPEN;
  }
  hf->base.methods = &host_methods;
  hf->handle = h;
  hf->readonly = !(flags & OS_OPEN_READWRITE);
  *out = &hf->base;
  return LODE_OK;
}

static int host_vfs_remove(OsVfs *vfs, const char *path) {
  (void)vfs;
  return lode_host_remove(path) < 0 ? LODE_IOERR_DELETE : LODE_OK;
}

static int host_vfs_exists(OsVfs *vfs, const char *path, int *exists) {
  (void)vfs;
  int r = lode_host_exists(path);
  *exists = r > 0;
  return r < 0 ? HOST_IOERR_ACCESS : LODE_OK;
}

static int host_vfs_stat(OsVfs *vfs, const char *path, OsStat *st) {
  (void)vfs;
  double v[4] = {0, 0, 0, 0};
  memset(st, 0, sizeof *st);
  int r = lode_host_stat(path, v);
  if (r < 0) return LODE_IOERR_FSTAT;
  st->exists = r > 0;
  st->size = (int64_t)v[0];
  st->dev = (uint64_t)v[1];
  st->ino = (uint64_t)v[2];
  st->mtime_ns = (int64_t)v[3];
  return LODE_OK;
}

OsVfs *os_vfs_host(void) {
  static OsVfs vfs = {"host", host_vfs_open, host_vfs_remove, host_vfs_exists, NULL, host_vfs_stat, NULL};
  return lode_host_present() ? &vfs : NULL;
}

#endif /* __EMSCRIPTEN__ */
