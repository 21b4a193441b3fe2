/*
** os_memory.c — files in RAM.  Each os_vfs_memory_new() is a private
** namespace of named files (a ":memory:" database and its WAL, or, in the
** wasm build, every file of the instance).
**
** A file is a growable byte buffer.  Invariants: size <= cap; bytes between
** an old end and a write past it read as zeros; a removed file that is still
** open lives on, nameless, until its last handle closes (POSIX unlink
** semantics), so the pager may delete its WAL while holding it.
**
** Shared memory lives in heap regions attached to the database file's node;
** with one process there is nobody to lock out, so the shm locks are always
** granted (the wal-index counts the locks of the process's connections
** itself).  The wasm build runs in one process: a -shm is never shared.
*/
#include <assert.h>
#include <string.h>

#include "os/os.h"
#include "util/util.h"

/* Buffers grow geometrically from this size so appends stay amortised O(1). */
#define MEM_MIN_CAP 4096
/* Refuse files above this size rather than overflow size_t arithmetic. */
#define MEM_MAX_SIZE ((int64_t)1 << 46)

typedef struct MemNode {
  struct MemNode *next; /* in the namespace list while named */
  char *name;           /* NULL once removed */
  uint8_t *data;
  int64_t size;
  int64_t cap;
  int nref; /* open handles */
  void **shm; /* shared-memory regions (OS_SHM_REGION bytes each) */
  int nshm;
} MemNode;

typedef struct MemVfs {
  OsVfs base;
  MemNode *files;
} MemVfs;

typedef struct MemFile {
  OsFile base;
  MemNode *node;
  int readonly;
} MemFile;

static void mem_shm_free(MemNode *n) {
  for (int i = 0; i < n->nshm; i++) util_free(n->shm[i]);
  util_free(n->shm);
  n->shm = NULL;
  n->nshm = 0;
}

static void mem_node_free(MemNode *n) {
  mem_shm_free(n);
  util_free(n->name);
  util_free(n->data);
  util_free(n);
}

static MemNode *mem_node(OsFile *f) { return ((MemFile *)f)->node; }

static int mem_read(OsFile *f, void *buf, size_t n, int64_t off) {
  MemNode *node = mem_node(f);
  int64_t avail = off < node->size ? node->size - off : 0;
  size_t take = avail < (int64_t)n ? (size_t)avail : n;
  if (take) memcpy(buf, node->data + off, take);
  if (take == n) return LODE_OK;
  memset((uint8_t *)buf + take, 0, n - take);
  return LODE_IOERR_SHORT_READ;
}

static int mem_reserve(MemNode *node, int64_t need) {
  if (need <= node->cap) return LODE_OK;
  if (need > MEM_MAX_SIZE) return LODE_FULL;
  int64_t cap = node->cap ? node->cap : MEM_MIN_CAP;
  while (cap < need) cap *= 2;
  uint8_t *data = util_realloc(node->data, (size_t)cap);
  if (!data) return LODE_NOMEM;
  node->data = data;
  node->cap = cap;
  return LODE_OK;
}

/* Sets the logical size; bytes from the old end up to fill_end are zeroed
** so old contents never reappear (a writer overwrites the rest at once). */
static int mem_resize(MemNode *node, int64_t size, int64_t fill_end) {
  int rc = mem_reserve(node, size);
  if (rc != LODE_OK) return rc;
  if (fill_end > node->size) memset(node->data + node->size, 0, (size_t)(fill_end - node->size));
  node->size = size;
  return LODE_OK;
}

static int mem_write(OsFile *f, const void *buf, size_t n, int64_t off) {
  MemNode *node = mem_node(f);
  if (((MemFile *)f)->readonly) return LODE_IOERR_WRITE;
  if (off < 0 || (int64_t)n > MEM_MAX_SIZE) return LODE_IOERR_WRITE;
  int64_t end = off + (int64_t)n;
  if (end > node->size) {
    int rc = mem_resize(node, end, off);
    if (rc != LODE_OK) return rc;
  }
  memcpy(node->data + off, buf, n);
  return LODE_OK;
}

static int mem_truncate(OsFile *f, int64_t size) {
  if (((MemFile *)f)->readonly) return LODE_IOERR_TRUNCATE;
  if (size < 0) return LODE_IOERR_TRUNCATE;
  return mem_resize(mem_node(f), size, size);
}

static int mem_sync(OsFile *f) {
  (void)f;
  return LODE_OK;
}

static int mem_size(OsFile *f, int64_t *size) {
  *size = mem_node(f)->size;
  return LODE_OK;
}

static int mem_close(OsFile *f) {
  MemNode *node = mem_node(f);
  assert(node->nref > 0);
  if (--node->nref == 0 && node->name == NULL) mem_node_free(node);
  util_free(f);
  return LODE_OK;
}

static int mem_shm_map(OsFile *f, int region, int extend, void **out) {
  MemNode *node = mem_node(f);
  *out = NULL;
  if (region < node->nshm) {
    *out = node->shm[region];
    return LODE_OK;
  }
  if (!extend) return LODE_OK;
  void **grown = util_realloc(node->shm, sizeof(void *) * (size_t)(region + 1));
  if (!grown) return LODE_NOMEM;
  node->shm = grown;
  while (node->nshm <= region) {
    void *r = util_zalloc(OS_SHM_REGION);
    if (!r) return LODE_NOMEM;
    node->shm[node->nshm++] = r;
  }
  *out = node->shm[region];
  return LODE_OK;
}

static int mem_shm_unmap(OsFile *f, int remove) {
  if (remove) mem_shm_free(mem_node(f));
  return LODE_OK;
}

static const OsFileMethods mem_methods = {
    mem_read,  mem_write,    mem_truncate, mem_sync,         mem_size,            os_write_batch_loop,
    mem_close, os_lock_none, mem_shm_map,  os_shm_lock_none, os_shm_barrier_full, mem_shm_unmap, NULL,
};

static MemNode *mem_find(MemVfs *vfs, const char *path, MemNode ***link_out) {
  MemNode **link = &vfs->files;
  while (*link && strcmp((*link)->name, path) != 0) link = &(*link)->next;
  if (link_out) *link_out = link;
  return *link;
}

static int mem_create(MemVfs *vfs, const char *path, MemNode **out) {
  MemNode *node = util_zalloc(sizeof *node);
  if (!node) return LODE_NOMEM;
  node->name = util_strdup(path);
  if (!node->name) {
    util_free(node);
    return LODE_NOMEM;
  }
  node->next = vfs->files;
  vfs->files = node;
  *out = node;
  return LODE_OK;
}

static int mem_vfs_open(OsVfs *base, const char *path, int flags, OsFile **out) {
  MemVfs *vfs = (MemVfs *)base;
  *out = NULL;
  MemFile *mf = util_zalloc(sizeof *mf);
  if (!mf) return LODE_NOMEM;
  MemNode *node = mem_find(vfs, path, NULL);
  if (!node) {
    int creatable = (flags & OS_OPEN_CREATE) && (flags & OS_OPEN_READWRITE);
    int rc = creatable ? mem_create(vfs, path, &node) : LODE_CANTOPEN;
    if (rc != LODE_OK) {
      util_free(mf);
      return rc;
    }
  }
  node->nref++;
  mf->base.methods = &mem_methods;
  mf->node = node;
  mf->readonly = !(flags & OS_OPEN_READWRITE);
  *out = &mf->base;
  return LODE_OK;
}

static int mem_vfs_remove(OsVfs *base, const char *path) {
  MemNode **link;
  MemNode *node = mem_find((MemVfs *)base, path, &link);
  if (!node) return LODE_OK;
  *link = node->next;
  util_free(node->name);
  node->name = NULL;
  node->next = NULL;
  if (node->nref == 0) mem_node_free(node);
  return LODE_OK;
}

static int mem_vfs_exists(OsVfs *base, const char *path, int *exists) {
  *exists = mem_find((MemVfs *)base, path, NULL) != NULL;
  return LODE_OK;
}

/* One process owns every memory file: the id is the node itself, and its
** content version stands in for the modification time. */
static int mem_vfs_stat(OsVfs *base, const char *path, OsStat *st) {
  memset(st, 0, sizeof *st);
  MemNode *node = mem_find((MemVfs *)base, path, NULL);
  if (!node) return LODE_OK;
  st->exists = 1;
  st->size = node->size;
  st->ino = (uint64_t)(uintptr_t)node;
  return LODE_OK;
}

/* Files still open keep their node; only the named, unopened ones go now. */
static void mem_vfs_destroy(OsVfs *base) {
  MemVfs *vfs = (MemVfs *)base;
  while (vfs->files) {
    MemNode *node = vfs->files;
    vfs->files = node->next;
    util_free(node->name);
    node->name = NULL;
    if (node->nref == 0) mem_node_free(node);
  }
  util_free(vfs);
}

OsVfs *os_vfs_memory_new(void) {
  MemVfs *vfs = util_zalloc(sizeof *vfs);
  if (!vfs) return NULL;
  vfs->base.name = "memory";
  vfs->base.open = mem_vfs_open;
  vfs->base.remove = mem_vfs_remove;
  vfs->base.exists = mem_vfs_exists;
  vfs->base.destroy = mem_vfs_destroy;
  vfs->base.stat = mem_vfs_stat;
  return &vfs->base;
}
