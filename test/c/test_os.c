/*
** test_os.c — the I/O backends behind the OsVfs vtable: posix, io_uring
** (when the kernel allows it) and memory must behave the same for reads,
** writes, short reads, truncation, batches, existence and removal; shared
** memory is shared between processes (posix), its lock slots conflict
** between processes, and the dead-man switch clears a -shm nobody holds.
*/
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "os/os.h"
#include "testlib.h"
#include "util/util.h"

static char tmpdir[256];

#define PATH(var, name) \
  char var[512];        \
  snprintf(var, sizeof var, "%s/%s", tmpdir, name)

/* The same behaviour, checked for one backend. */
static void check_basic_io(OsVfs *vfs) {
  PATH(path, "basic.bin");
  vfs->remove(vfs, path);
  OsFile *f;
  CHECK_EQ_INT(vfs->open(vfs, path, OS_OPEN_READWRITE, &f), LODE_CANTOPEN);
  CHECK_EQ_INT(vfs->open(vfs, path, OS_OPEN_READWRITE | OS_OPEN_CREATE, &f), LODE_OK);
  int exists = 0;
  CHECK_EQ_INT(vfs->exists(vfs, path, &exists), LODE_OK);
  CHECK(exists);
  int64_t size = -1;
  CHECK_EQ_INT(os_size(f, &size), LODE_OK);
  CHECK_EQ_INT(size, 0);
  CHECK_EQ_INT(os_write(f, "hello", 5, 0), LODE_OK);
  CHECK_EQ_INT(os_write(f, "world", 5, 100), LODE_OK); /* leaves a hole */
  CHECK_EQ_INT(os_size(f, &size), LODE_OK);
  CHECK_EQ_INT(size, 105);
  char buf[16];
  memset(buf, 'x', sizeof buf);
  CHECK_EQ_INT(os_read(f, buf, 5, 0), LODE_OK);
  CHECK(memcmp(buf, "hello", 5) == 0);
  CHECK_EQ_INT(os_read(f, buf, 4, 50), LODE_OK);
  CHECK(memcmp(buf, "\0\0\0\0", 4) == 0);
  memset(buf, 'x', sizeof buf);
  CHECK_EQ_INT(os_read(f, buf, 10, 100), LODE_IOERR_SHORT_READ);
  CHECK(memcmp(buf, "world\0\0\0\0\0", 10) == 0);
  CHECK_EQ_INT(os_truncate(f, 3), LODE_OK);
  CHECK_EQ_INT(os_size(f, &size), LODE_OK);
  CHECK_EQ_INT(size, 3);
  CHECK_EQ_INT(os_truncate(f, 8), LODE_OK); /* growing reads zeros */
  CHECK_EQ_INT(os_read(f, buf, 8, 0), LODE_OK);
  CHECK(memcmp(buf, "hel\0\0\0\0\0", 8) == 0);
  CHECK_EQ_INT(os_sync(f), LODE_OK);
  CHECK_EQ_INT(os_close(f), LODE_OK);
  CHECK_EQ_INT(vfs->remove(vfs, path), LODE_OK);
  CHECK_EQ_INT(vfs->exists(vfs, path, &exists), LODE_OK);
  CHECK(!exists);
  CHECK_EQ_INT(vfs->remove(vfs, path), LODE_OK); /* removing nothing is fine */
}

/* 200 writes of 1000 bytes (several ring submissions) with syncs inside. */
static void check_batch(OsVfs *vfs) {
  PATH(path, "batch.bin");
  vfs->remove(vfs, path);
  OsFile *f;
  CHECK_EQ_INT(vfs->open(vfs, path, OS_OPEN_READWRITE | OS_OPEN_CREATE, &f), LODE_OK);
  if (!f) return;
  enum { NW = 200, SZ = 1000 };
  static uint8_t data[NW][SZ];
  OsIoOp ops[NW + 3];
  int n = 0;
  for (int i = 0; i < NW; i++) {
    memset(data[i], i & 0xff, SZ);
    ops[n++] = (OsIoOp){data[i], SZ, (int64_t)(NW - 1 - i) * SZ}; /* back to front */
    if (i == 70 || i == 150) ops[n++] = (OsIoOp){NULL, 0, 0};
  }
  ops[n++] = (OsIoOp){NULL, 0, 0};
  CHECK_EQ_INT(os_write_batch(f, ops, n), LODE_OK);
  int64_t size;
  CHECK_EQ_INT(os_size(f, &size), LODE_OK);
  CHECK_EQ_INT(size, NW * SZ);
  uint8_t back[SZ];
  int bad = 0;
  for (int i = 0; i < NW; i++) {
    os_read(f, back, SZ, (int64_t)(NW - 1 - i) * SZ);
    if (memcmp(back, data[i], SZ) != 0) bad++;
  }
  CHECK_EQ_INT(bad, 0);
  /* Overlapping writes in one batch land in order: the later one wins. */
  OsIoOp ov[3] = {{"AAAA", 4, 0}, {"BB", 2, 1}, {NULL, 0, 0}};
  CHECK_EQ_INT(os_write_batch(f, ov, 3), LODE_OK);
  CHECK_EQ_INT(os_read(f, back, 4, 0), LODE_OK);
  CHECK(memcmp(back, "ABBA", 4) == 0);
  CHECK_EQ_INT(os_write_batch(f, ov, 0), LODE_OK);
  os_close(f);
  vfs->remove(vfs, path);
}

/* Runs of writes that continue each other (which a backend may join into
** one system call: 300 pieces, longer than any one call takes), with syncs
** inside a run, gaps, a piece that overlaps the one before and empty
** pieces: the file ends up as the ops written one by one would leave it. */
static void check_adjacent_batch(OsVfs *vfs) {
  PATH(path, "adjacent.bin");
  vfs->remove(vfs, path);
  OsFile *f;
  CHECK_EQ_INT(vfs->open(vfs, path, OS_OPEN_READWRITE | OS_OPEN_CREATE, &f), LODE_OK);
  if (!f) return;
  enum { NOPS = 300, MAXSZ = 700, FILESZ = NOPS * MAXSZ + 4096 };
  static uint8_t src[NOPS][MAXSZ], want[FILESZ], back[FILESZ];
  OsIoOp ops[NOPS + 8];
  int n = 0;
  int64_t off = 0, end = 0;
  memset(want, 0, sizeof want);
  for (int i = 0; i < NOPS; i++) {
    size_t sz = i % 50 == 7 ? 0 : (size_t)(1 + (i * 37) % MAXSZ);
    for (size_t k = 0; k < sz; k++) src[i][k] = (uint8_t)(i * 7 + k);
    if (i == 100 || i == 200) off += 13;     /* a gap ends a run */
    if (i == 150 && off >= 5) off -= 5;      /* overlaps the piece before */
    ops[n++] = (OsIoOp){src[i], sz, off};
    memcpy(want + off, src[i], sz);
    off += (int64_t)sz;
    if (off > end) end = off;
    if (i == 60 || i == 61 || i == 250) ops[n++] = (OsIoOp){NULL, 0, 0};
  }
  ops[n++] = (OsIoOp){NULL, 0, 0};
  CHECK_EQ_INT(os_write_batch(f, ops, n), LODE_OK);
  int64_t size = -1;
  CHECK_EQ_INT(os_size(f, &size), LODE_OK);
  CHECK_EQ_INT(size, end);
  CHECK_EQ_INT(os_read(f, back, (size_t)end, 0), LODE_OK);
  CHECK(memcmp(back, want, (size_t)end) == 0);
  os_close(f);
  vfs->remove(vfs, path);
}

TEST(posix_basic_io) { check_basic_io(os_vfs_posix()); }
TEST(posix_adjacent_batch) { check_adjacent_batch(os_vfs_posix()); }
TEST(uring_adjacent_batch) {
  if (os_vfs_uring()) check_adjacent_batch(os_vfs_uring());
}
TEST(memory_adjacent_batch) {
  OsVfs *m = os_vfs_memory_new();
  check_adjacent_batch(m);
  m->destroy(m);
}

/* A joined run that the kernel writes only in part (here: the file size
** limit cuts it) fails as the ops one by one would, with every byte before
** the cut in place.  In a child: the limit is per process. */
TEST(posix_adjacent_batch_cut_short_fails) {
  PATH(path, "cut.bin");
  unlink(path);
  pid_t pid = fork();
  CHECK(pid >= 0);
  if (pid == 0) {
    enum { NW = 30, SZ = 1000, LIMIT = 10500 };
    static uint8_t data[NW][SZ], back[LIMIT];
    OsIoOp ops[NW];
    for (int i = 0; i < NW; i++) {
      memset(data[i], 'a' + i % 26, SZ);
      ops[i] = (OsIoOp){data[i], SZ, (int64_t)i * SZ};
    }
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl = {LIMIT, LIMIT};
    if (setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(10);
    OsVfs *v = os_vfs_posix();
    OsFile *f;
    if (v->open(v, path, OS_OPEN_READWRITE | OS_OPEN_CREATE, &f) != LODE_OK) _exit(11);
    if (os_write_batch(f, ops, NW) != LODE_IOERR_WRITE) _exit(12);
    if (os_read(f, back, LIMIT, 0) != LODE_OK) _exit(13);
    for (int k = 0; k < LIMIT; k++)
      if (back[k] != data[k / SZ][0]) _exit(14);
    os_close(f);
    _exit(0);
  }
  int status = -1;
  waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK_EQ_INT(WEXITSTATUS(status), 0);
  unlink(path);
}

/* With a mapping (PRAGMA mmap_size) reads give the same bytes as pread: of
** a file that grows behind the mapping (written through another handle),
** past its end (zeros, short read), after a truncate below it, and past
** the limit. */
static void check_mapped_reads(OsVfs *vfs) {
  PATH(path, "mapped.bin");
  vfs->remove(vfs, path);
  OsFile *f, *g;
  char page[4096], buf[4096];
  CHECK_EQ_INT(vfs->open(vfs, path, OS_OPEN_READWRITE | OS_OPEN_CREATE, &f), LODE_OK);
  CHECK_EQ_INT(vfs->open(vfs, path, OS_OPEN_READWRITE, &g), LODE_OK);
  CHECK_EQ_INT(os_set_mmap(f, 3 * 4096), LODE_OK);
  for (int i = 0; i < 4; i++) {
    memset(page, 'a' + i, sizeof page);
    CHECK_EQ_INT(os_write(g, page, sizeof page, (int64_t)i * 4096), LODE_OK);
    CHECK_EQ_INT(os_read(f, buf, sizeof buf, (int64_t)i * 4096), LODE_OK); /* grown since the last read */
    CHECK(memcmp(buf, page, sizeof buf) == 0);
  }
  memset(page, 'z', 100);
  CHECK_EQ_INT(os_write(g, page, 100, 4096 + 10), LODE_OK); /* a change inside the mapping shows at once */
  CHECK_EQ_INT(os_read(f, buf, 100, 4096 + 10), LODE_OK);
  CHECK(memcmp(buf, page, 100) == 0);
  CHECK_EQ_INT(os_read(f, buf, 4096, 4 * 4096), LODE_IOERR_SHORT_READ); /* past the end: zeros */
  CHECK(buf[0] == 0 && buf[4095] == 0);
  CHECK_EQ_INT(os_truncate(f, 4096), LODE_OK);
  CHECK_EQ_INT(os_read(f, buf, 4096, 4096), LODE_IOERR_SHORT_READ);
  CHECK(buf[0] == 0);
  CHECK_EQ_INT(os_read(f, buf, 10, 0), LODE_OK);
  CHECK(memcmp(buf, "aaaaaaaaaa", 10) == 0);
  /* Cut through another handle (another process's checkpoint): the pager
  ** sets the same limit again at its next snapshot, and the mapping past
  ** the new end goes, so the read past it is short instead of a SIGBUS. */
  for (int i = 1; i < 3; i++) CHECK_EQ_INT(os_write(g, page, sizeof page, (int64_t)i * 4096), LODE_OK);
  CHECK_EQ_INT(os_read(f, buf, 4096, 2 * 4096), LODE_OK); /* mapped up to 3 pages again */
  CHECK_EQ_INT(os_truncate(g, 4096), LODE_OK);
  CHECK_EQ_INT(os_set_mmap(f, 3 * 4096), LODE_OK);
  CHECK_EQ_INT(os_read(f, buf, 4096, 2 * 4096), LODE_IOERR_SHORT_READ);
  CHECK(buf[0] == 0);
  CHECK_EQ_INT(os_set_mmap(f, 0), LODE_OK);
  CHECK_EQ_INT(os_read(f, buf, 10, 0), LODE_OK);
  CHECK(memcmp(buf, "aaaaaaaaaa", 10) == 0);
  CHECK_EQ_INT(os_close(g), LODE_OK);
  CHECK_EQ_INT(os_close(f), LODE_OK);
  vfs->remove(vfs, path);
}

TEST(posix_mapped_reads_match_pread) { check_mapped_reads(os_vfs_posix()); }
TEST(uring_mapped_reads_match_pread) {
  if (os_vfs_uring()) check_mapped_reads(os_vfs_uring());
}
TEST(memory_ignores_mmap) {
  OsVfs *m = os_vfs_memory_new();
  check_mapped_reads(m);
  m->destroy(m);
}
TEST(posix_batch) { check_batch(os_vfs_posix()); }

TEST(uring_basic_io_and_batch) {
  OsVfs *u = os_vfs_uring();
#ifdef LODE_HAVE_LIBURING
  CHECK(u != NULL); /* this machine's kernel allows io_uring */
#endif
  if (!u) return;
  CHECK_EQ_STR(u->name, "io_uring");
  check_basic_io(u);
  check_batch(u);
}

TEST(memory_basic_io_and_batch) {
  OsVfs *m = os_vfs_memory_new();
  CHECK(m != NULL);
  CHECK_EQ_STR(m->name, "memory");
  check_basic_io(m);
  check_batch(m);
  m->destroy(m);
}

TEST(posix_errors) {
  OsVfs *v = os_vfs_posix();
  OsFile *f = NULL;
  CHECK_EQ_INT(v->open(v, tmpdir, OS_OPEN_READONLY, &f), LODE_CANTOPEN_ISDIR);
  CHECK(f == NULL);
  CHECK_EQ_INT(v->open(v, "/nonexistent-dir/x.db", OS_OPEN_READWRITE | OS_OPEN_CREATE, &f), LODE_CANTOPEN);
  PATH(path, "ro.bin");
  CHECK_EQ_INT(v->open(v, path, OS_OPEN_READWRITE | OS_OPEN_CREATE, &f), LODE_OK);
  os_write(f, "x", 1, 0);
  os_close(f);
  CHECK_EQ_INT(v->open(v, path, OS_OPEN_READONLY, &f), LODE_OK);
  CHECK_EQ_INT(os_write(f, "y", 1, 0), LODE_IOERR_WRITE);
  os_close(f);
  v->remove(v, path);
}

TEST(memory_namespaces_are_private) {
  OsVfs *a = os_vfs_memory_new(), *b = os_vfs_memory_new();
  OsFile *f;
  CHECK_EQ_INT(a->open(a, "x", OS_OPEN_READWRITE | OS_OPEN_CREATE, &f), LODE_OK);
  os_write(f, "abc", 3, 0);
  int exists = 1;
  b->exists(b, "x", &exists);
  CHECK(!exists);
  /* A second handle sees the same bytes; removal keeps open files alive. */
  OsFile *g;
  CHECK_EQ_INT(a->open(a, "x", OS_OPEN_READONLY, &g), LODE_OK);
  CHECK_EQ_INT(a->remove(a, "x"), LODE_OK);
  a->exists(a, "x", &exists);
  CHECK(!exists);
  char buf[3];
  CHECK_EQ_INT(os_read(g, buf, 3, 0), LODE_OK);
  CHECK(memcmp(buf, "abc", 3) == 0);
  CHECK_EQ_INT(os_write(g, "z", 1, 0), LODE_IOERR_WRITE); /* read-only handle */
  os_close(f);
  os_close(g);
  a->destroy(a);
  b->destroy(b);
}

TEST(memory_alloc_failure_is_nomem) {
  OsVfs *m = os_vfs_memory_new();
  OsFile *f;
  CHECK_EQ_INT(m->open(m, "x", OS_OPEN_READWRITE | OS_OPEN_CREATE, &f), LODE_OK);
  util_fail_alloc_after(1, 0);
  CHECK_EQ_INT(os_write(f, "abc", 3, 0), LODE_NOMEM);
  util_fail_alloc_after(0, 0);
  CHECK_EQ_INT(os_write(f, "abc", 3, 0), LODE_OK);
  os_close(f);
  m->destroy(m);
}

TEST(default_vfs_honours_lode_io) {
  OsVfs *d = os_vfs_default();
  CHECK(d != NULL);
  const char *io = getenv("LODE_IO");
  if ((io && strcmp(io, "posix") == 0) || !os_vfs_uring()) CHECK_EQ_STR(d->name, "posix");
  else CHECK_EQ_STR(d->name, "io_uring");
  setenv("LODE_IO", "posix", 1);
  CHECK_EQ_STR(os_vfs_default()->name, "posix");
  if (io) setenv("LODE_IO", io, 1);
  else unsetenv("LODE_IO");
}

/* In a child process: maps region 0 of path's -shm and reports, in its exit
** status, the byte at 1000 (low 7 bits) and whether slot 3 could be taken
** exclusively (bit 7); it then sets byte 1001 to 0x5a. */
static int shm_child(const char *path) {
  pid_t pid = fork();
  if (pid == 0) {
    OsVfs *vfs = os_vfs_posix();
    OsFile *f;
    void *r;
    if (vfs->open(vfs, path, OS_OPEN_READWRITE, &f) != LODE_OK) _exit(255);
    if (os_shm_map(f, 0, 0, &r) != LODE_OK || !r) _exit(254);
    int code = ((volatile uint8_t *)r)[1000] & 0x7f;
    int rc = os_shm_lock(f, 3, 1, OS_SHM_EXCLUSIVE);
    if (rc == LODE_OK) code |= 0x80;
    else if (rc != LODE_BUSY) _exit(253);
    if (os_shm_lock(f, 4, 1, OS_SHM_SHARED) != LODE_OK) _exit(252);
    ((volatile uint8_t *)r)[1001] = 0x5a;
    os_shm_barrier(f);
    os_close(f);
    _exit(code);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(posix_shm_is_shared_and_locked_between_processes) {
  PATH(path, "shm.db");
  PATH(shm, "shm.db-shm");
  OsVfs *vfs = os_vfs_posix();
  vfs->remove(vfs, path);
  vfs->remove(vfs, shm);
  OsFile *f;
  void *r = NULL;
  CHECK_EQ_INT(vfs->open(vfs, path, OS_OPEN_READWRITE | OS_OPEN_CREATE, &f), LODE_OK);
  CHECK_EQ_INT(os_shm_map(f, 0, 0, &r), LODE_OK);
  CHECK(r == NULL); /* nothing to map without extend */
  CHECK_EQ_INT(os_shm_map(f, 1, 1, &r), LODE_OK);
  CHECK(r != NULL);
  void *r0 = NULL;
  CHECK_EQ_INT(os_shm_map(f, 0, 0, &r0), LODE_OK); /* region 0 exists now */
  CHECK(r0 != NULL);
  if (!r0) return;
  volatile uint8_t *b = r0;
  CHECK_EQ_INT(b[1000], 0);
  b[1000] = 0x21;
  os_shm_barrier(f);
  /* The child sees the byte and may take slot 3: nobody holds it. */
  CHECK_EQ_INT(shm_child(path), 0x80 | 0x21);
  CHECK_EQ_INT(b[1001], 0x5a);
  /* Held shared here, slot 3 is refused to the child. */
  CHECK_EQ_INT(os_shm_lock(f, 3, 1, OS_SHM_SHARED), LODE_OK);
  CHECK_EQ_INT(shm_child(path), 0x21);
  CHECK_EQ_INT(os_shm_lock(f, 3, 1, OS_SHM_UNLOCK), LODE_OK);
  CHECK_EQ_INT(os_shm_unmap(f, 0), LODE_OK);
  /* Nobody holds the dead-man switch: the next user starts from zeros. */
  CHECK_EQ_INT(os_shm_map(f, 0, 1, &r0), LODE_OK);
  CHECK(r0 != NULL && ((volatile uint8_t *)r0)[1000] == 0);
  CHECK_EQ_INT(os_shm_unmap(f, 1), LODE_OK);
  struct stat st;
  CHECK(stat(shm, &st) != 0); /* removed */
  CHECK_EQ_INT(os_close(f), LODE_OK);
  vfs->remove(vfs, path);
}

TEST(memory_shm_regions) {
  OsVfs *vfs = os_vfs_memory_new();
  OsFile *f;
  void *r = NULL, *again = NULL;
  CHECK_EQ_INT(vfs->open(vfs, "m.db", OS_OPEN_READWRITE | OS_OPEN_CREATE, &f), LODE_OK);
  CHECK_EQ_INT(os_shm_map(f, 0, 0, &r), LODE_OK);
  CHECK(r == NULL);
  CHECK_EQ_INT(os_shm_map(f, 2, 1, &r), LODE_OK);
  CHECK(r != NULL && ((uint8_t *)r)[OS_SHM_REGION - 1] == 0);
  CHECK_EQ_INT(os_shm_map(f, 2, 0, &again), LODE_OK);
  CHECK(again == r);
  CHECK_EQ_INT(os_shm_lock(f, 0, 8, OS_SHM_EXCLUSIVE), LODE_OK); /* one process: always granted */
  CHECK_EQ_INT(os_shm_unmap(f, 1), LODE_OK);
  CHECK_EQ_INT(os_shm_map(f, 0, 0, &r), LODE_OK);
  CHECK(r == NULL);
  CHECK_EQ_INT(os_close(f), LODE_OK);
  vfs->destroy(vfs);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  snprintf(tmpdir, sizeof tmpdir, "/tmp/lode_test_os_%d", (int)getpid());
  mkdir(tmpdir, 0700);
  RUN(posix_basic_io);
  RUN(posix_batch);
  RUN(posix_adjacent_batch);
  RUN(uring_adjacent_batch);
  RUN(memory_adjacent_batch);
  RUN(posix_adjacent_batch_cut_short_fails);
  RUN(posix_mapped_reads_match_pread);
  RUN(uring_mapped_reads_match_pread);
  RUN(memory_ignores_mmap);
  RUN(uring_basic_io_and_batch);
  RUN(memory_basic_io_and_batch);
  RUN(posix_errors);
  RUN(memory_namespaces_are_private);
  RUN(memory_alloc_failure_is_nomem);
  RUN(default_vfs_honours_lode_io);
  RUN(posix_shm_is_shared_and_locked_between_processes);
  RUN(memory_shm_regions);
  rmdir(tmpdir);
  return test_summary();
}
