/*
** test_pager.c — the pager and its WAL: transactions, savepoints, the WAL
** bytes on disk (checksums recomputed here), crash recovery from copies of
** db + WAL, torn frames, checkpoints, and files written by sqlite3.
**
** Runs against the default VFS (io_uring when usable); run it again with
** LODE_IO=posix to cover the POSIX backend.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <malloc.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "os/os.h"
#include "pager/pager.h"
#include "pager/wal_int.h"
#include "util/util.h"
#include "testlib.h"

#define PS PAGER_DEFAULT_PAGE_SIZE

static char tmpdir[256];

static const char *tpath(const char *name) {
  static char buf[4][512];
  static int k;
  char *b = buf[k++ & 3];
  snprintf(b, 512, "%s/%s", tmpdir, name);
  return b;
}

#define DBPATH(var, name) \
  char var[512];            \
  snprintf(var, sizeof var, "%s/%s", tmpdir, name)

static int64_t file_size(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? (int64_t)st.st_size : -1;
}

static int file_exists(const char *path) { return access(path, F_OK) == 0; }

static void remove_db(const char *path) {
  char b[600];
  unlink(path);
  snprintf(b, sizeof b, "%s-wal", path);
  unlink(b);
  snprintf(b, sizeof b, "%s-journal", path);
  unlink(b);
  snprintf(b, sizeof b, "%s-shm", path);
  unlink(b);
}

static int copy_file(const char *from, const char *to) {
  FILE *in = fopen(from, "rb");
  if (!in) return -1;
  FILE *out = fopen(to, "wb");
  if (!out) {
    fclose(in);
    return -1;
  }
  char buf[8192];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, out);
  fclose(in);
  fclose(out);
  return 0;
}

static uint8_t *read_all(const char *path, int64_t *n) {
  *n = file_size(path);
  if (*n < 0) return NULL;
  uint8_t *b = malloc((size_t)*n + 1);
  FILE *f = fopen(path, "rb");
  if (!f || fread(b, 1, (size_t)*n, f) != (size_t)*n) {
    if (f) fclose(f);
    free(b);
    return NULL;
  }
  fclose(f);
  return b;
}

static uint32_t be32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* Fills a page with a pattern derived from (pgno, gen), avoiding page 1's header. */
static void fill(DbPage *pg, uint32_t gen) {
  uint32_t start = pg->pgno == 1 ? 100 : 0;
  for (uint32_t i = start; i < PS; i++) pg->data[i] = (uint8_t)(pg->pgno * 31 + gen * 7 + i);
}

static int matches(DbPage *pg, uint32_t gen) {
  uint32_t start = pg->pgno == 1 ? 100 : 0;
  for (uint32_t i = start; i < PS; i++)
    if (pg->data[i] != (uint8_t)(pg->pgno * 31 + gen * 7 + i)) return 0;
  return 1;
}

/* Page 1 formatted like an empty SQLite database (header + empty table leaf). */
static void format_page1(uint8_t *d, uint32_t ps) {
  memset(d, 0, ps);
  memcpy(d, "SQLite format 3", 16);
  d[16] = (uint8_t)(ps >> 8);
  d[17] = (uint8_t)ps;
  d[18] = d[19] = 1;
  d[21] = 64;
  d[22] = 32;
  d[23] = 32;
  d[47] = 4;  /* schema format */
  d[59] = 1;  /* UTF-8 */
  d[100] = 13; /* leaf table page */
  d[105] = (uint8_t)(ps >> 8);
  d[106] = (uint8_t)ps;
}

/* Writes pages 1..n with generation gen in one transaction. */
static int write_pages(Pager *p, uint32_t first, uint32_t n, uint32_t gen) {
  int rc = pager_begin_write(p);
  for (uint32_t i = first; rc == LODE_OK && i < first + n; i++) {
    DbPage *pg;
    rc = pager_get(p, i, &pg);
    if (rc != LODE_OK) break;
    rc = pager_write(pg);
    if (rc == LODE_OK) {
      if (i == 1 && gen == 0) format_page1(pg->data, PS);
      else fill(pg, gen);
    }
    pager_unref(pg);
  }
  if (rc == LODE_OK) rc = pager_commit(p);
  return rc;
}

static int check_pages(Pager *p, uint32_t first, uint32_t n, uint32_t gen) {
  for (uint32_t i = first; i < first + n; i++) {
    DbPage *pg;
    if (pager_get(p, i, &pg) != LODE_OK) return 0;
    int ok = matches(pg, gen);
    pager_unref(pg);
    if (!ok) return 0;
  }
  return 1;
}

TEST(memory_write_commit_read) {
  Pager *p;
  CHECK_EQ_INT(pager_open(":memory:", PAGER_OPEN_CREATE, &p), LODE_OK);
  CHECK(pager_is_memory(p));
  CHECK_EQ_INT(pager_page_size(p), 4096);
  CHECK_EQ_INT(pager_page_count(p), 0);
  CHECK_EQ_INT(write_pages(p, 1, 50, 3), LODE_OK);
  CHECK_EQ_INT(pager_page_count(p), 50);
  CHECK_EQ_INT(pager_begin_read(p), LODE_OK);
  CHECK(check_pages(p, 2, 49, 3));
  DbPage *pg;
  CHECK_EQ_INT(pager_get(p, 51, &pg), LODE_CORRUPT);
  CHECK_EQ_INT(pager_get(p, 0, &pg), LODE_CORRUPT);
  pager_end_read(p);
  CHECK_EQ_INT(pager_close(p), LODE_OK);
}

TEST(empty_path_is_private_memory) {
  Pager *a, *b;
  CHECK_EQ_INT(pager_open("", PAGER_OPEN_CREATE, &a), LODE_OK);
  CHECK_EQ_INT(pager_open(":memory:", PAGER_OPEN_CREATE, &b), LODE_OK);
  CHECK(pager_is_memory(a));
  CHECK_EQ_INT(write_pages(a, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(pager_page_count(a), 1);
  CHECK_EQ_INT(pager_page_count(b), 0); /* memory databases are never shared */
  pager_close(a);
  pager_close(b);
}

TEST(write_outside_write_txn_is_misuse) {
  Pager *p;
  CHECK_EQ_INT(pager_open(NULL, PAGER_OPEN_CREATE, &p), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  DbPage *pg;
  CHECK_EQ_INT(pager_begin_read(p), LODE_OK);
  CHECK_EQ_INT(pager_get(p, 1, &pg), LODE_OK);
  CHECK_EQ_INT(pager_write(pg), LODE_MISUSE);
  CHECK_EQ_INT(pager_get(p, 2, &pg) == LODE_CORRUPT, 1);
  pager_unref(pg);
  pager_close(p);
}

TEST(file_commit_reopen_read_back) {
  DBPATH(db, "a.db");
  remove_db(db);
  Pager *p;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &p), LODE_OK);
  CHECK(!pager_is_memory(p));
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 2, 99, 5), LODE_OK);
  CHECK(file_exists(tpath("a.db-wal")));
  CHECK_EQ_INT(pager_close(p), LODE_OK);
  CHECK(!file_exists(tpath("a.db-wal")));
  CHECK_EQ_INT(file_size(db), 100 * PS);
  CHECK_EQ_INT(pager_open(db, 0, &p), LODE_OK);
  CHECK_EQ_INT(pager_page_count(p), 100);
  CHECK(check_pages(p, 2, 99, 5));
  DbPage *pg;
  CHECK_EQ_INT(pager_get(p, 1, &pg), LODE_OK);
  CHECK_EQ_INT(pg->data[18], 2);
  CHECK_EQ_INT(pg->data[19], 2);
  CHECK_EQ_INT(be32(pg->data + 24), 2); /* two commits */
  CHECK_EQ_INT(be32(pg->data + 28), 100);
  CHECK_EQ_INT(be32(pg->data + 92), 2);
  CHECK_EQ_INT(be32(pg->data + 96), 3053002);
  pager_unref(pg);
  CHECK_EQ_INT(pager_close(p), LODE_OK);
}

/* Group commit: two connections' commits appended without their syncs are
** made durable by one sync of the WAL; the second caller finds its commit
** covered.  Without group commit every commit syncs itself. */
TEST(group_commit_shares_one_sync) {
  DBPATH(db, "group.db");
  remove_db(db);
  os_fault_enable(1);
  Pager *a, *b;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &a), LODE_OK);
  CHECK_EQ_INT(write_pages(a, 1, 1, 0), LODE_OK);
  pager_end_read(a);
  CHECK_EQ_INT(pager_open(db, 0, &b), LODE_OK);
  pager_set_group_commit(a, 1);
  pager_set_group_commit(b, 1);
  CHECK_EQ_INT(pager_sync_commit(a), LODE_OK); /* nothing due: no sync */
  os_fault_arm(OS_FAULT_SYNC, 1 << 30, 0);
  CHECK_EQ_INT(write_pages(a, 2, 3, 7), LODE_OK);
  pager_end_read(a);
  CHECK_EQ_INT(write_pages(b, 5, 3, 8), LODE_OK);
  pager_end_read(b);
  CHECK_EQ_INT(os_fault_seen(), 0);
  CHECK_EQ_INT(pager_sync_commit(b), LODE_OK);
  CHECK_EQ_INT(os_fault_seen(), 1);
  CHECK_EQ_INT(pager_sync_commit(a), LODE_OK);
  CHECK_EQ_INT(os_fault_seen(), 1);
  pager_set_group_commit(a, 0);
  CHECK_EQ_INT(write_pages(a, 8, 1, 9), LODE_OK);
  pager_end_read(a);
  CHECK_EQ_INT(os_fault_seen(), 2);
  /* A failed group sync is reported, and the next caller syncs again. */
  pager_set_group_commit(a, 1);
  CHECK_EQ_INT(write_pages(a, 9, 1, 10), LODE_OK);
  pager_end_read(a);
  os_fault_arm(OS_FAULT_SYNC, 0, 0);
  CHECK_EQ_INT(pager_sync_commit(a), LODE_IOERR_FSYNC);
  os_fault_arm(0, 0, 0);
  CHECK_EQ_INT(pager_close(b), LODE_OK);
  CHECK_EQ_INT(pager_close(a), LODE_OK);
  os_fault_enable(0);
  CHECK_EQ_INT(pager_open(db, 0, &a), LODE_OK);
  CHECK_EQ_INT(pager_page_count(a), 9);
  CHECK(check_pages(a, 2, 3, 7));
  CHECK(check_pages(a, 5, 3, 8));
  CHECK(check_pages(a, 8, 1, 9));
  CHECK(check_pages(a, 9, 1, 10));
  CHECK_EQ_INT(pager_close(a), LODE_OK);
}

/* A writer thread of the group-commit tests: its own connection commits its
** own page, then syncs, as an mvcc commit does. */
typedef struct GroupWriter {
  Pager *p;
  uint32_t page;
  int commits;
  int errors;
} GroupWriter;

static void *group_writer(void *arg) {
  GroupWriter *w = arg;
  for (int i = 0; i < w->commits; i++) {
    int rc;
    /* A busy writer leaves this one in its read transaction, on a snapshot
    ** that will never be the latest again, or (busy at commit) in its write
    ** transaction: it ends either before trying again. */
    for (int tries = 0; (rc = write_pages(w->p, w->page, 1, 1 + (uint32_t)i % 200)) != LODE_OK; tries++) {
      pager_rollback(w->p);
      pager_end_read(w->p);
      if (rc != LODE_BUSY || tries == 100000) break;
      sched_yield();
    }
    pager_end_read(w->p);
    if (rc == LODE_OK) rc = pager_sync_commit(w->p);
    if (rc != LODE_OK) w->errors++;
  }
  return NULL;
}

/* Two threads committing at once share syncs: the thread about to sync
** waits briefly for the commit the other is making, instead of the two
** taking turns with one sync per commit.  Syncs take 2 ms here (a slow
** disk), so a commit lands well within the wait. */
TEST(group_sync_waits_for_other_threads_commits) {
  enum { WRITERS = 2, COMMITS = 40 };
  DBPATH(db, "gather.db");
  remove_db(db);
  os_fault_enable(1);
  os_fault_sync_delay(2000);
  GroupWriter w[WRITERS];
  pthread_t t[WRITERS];
  Pager *first;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &first), LODE_OK);
  CHECK_EQ_INT(write_pages(first, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(write_pages(first, 2, WRITERS, 1), LODE_OK); /* each writer's page exists, whoever goes first */
  pager_end_read(first);
  uint64_t syncs0, gathers0, gathered0, syncs, gathers, gathered;
  pager_group_stats(first, &syncs0, &gathers0, &gathered0);
  for (int i = 0; i < WRITERS; i++) {
    w[i] = (GroupWriter){NULL, 2 + (uint32_t)i, COMMITS, 0};
    CHECK_EQ_INT(pager_open(db, 0, &w[i].p), LODE_OK);
    pager_set_group_commit(w[i].p, 1);
    pager_set_busy_timeout(w[i].p, 10000);
  }
  for (int i = 0; i < WRITERS; i++) pthread_create(&t[i], NULL, group_writer, &w[i]);
  for (int i = 0; i < WRITERS; i++) pthread_join(t[i], NULL);
  pager_group_stats(first, &syncs, &gathers, &gathered);
  os_fault_sync_delay(0);
  for (int i = 0; i < WRITERS; i++) {
    CHECK_EQ_INT(w[i].errors, 0);
    CHECK_EQ_INT(pager_close(w[i].p), LODE_OK);
  }
  /* Without the wait about 0.7 syncs a commit (a commit made during the
  ** other's sync shares the next one), with it about 0.52; a loaded machine
  ** that runs a thread late costs some waits, hence the margins: one wait
  ** that got its commit is what only the wait gives. */
  printf("  %llu syncs for %d commits, %llu of %llu waits got their commits\n", (unsigned long long)(syncs - syncs0),
         WRITERS * COMMITS, (unsigned long long)(gathered - gathered0), (unsigned long long)(gathers - gathers0));
  CHECK(syncs - syncs0 < WRITERS * COMMITS);
  CHECK(gathered > gathered0);
  CHECK_EQ_INT(pager_close(first), LODE_OK);
  os_fault_enable(0);
  CHECK_EQ_INT(pager_open(db, 0, &first), LODE_OK);
  for (int i = 0; i < WRITERS; i++) CHECK(check_pages(first, 2 + (uint32_t)i, 1, COMMITS));
  CHECK_EQ_INT(pager_close(first), LODE_OK);
}

/* One thread committing, even through two connections of the file, syncs
** every commit itself and never waits for others' commits first: there is
** nobody else to wait for. */
TEST(group_sync_of_one_thread_never_waits) {
  DBPATH(db, "lone.db");
  remove_db(db);
  os_fault_enable(1);
  os_fault_sync_delay(500);
  Pager *a, *b;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &a), LODE_OK);
  CHECK_EQ_INT(write_pages(a, 1, 1, 0), LODE_OK);
  pager_end_read(a);
  CHECK_EQ_INT(pager_open(db, 0, &b), LODE_OK);
  pager_set_group_commit(a, 1);
  pager_set_group_commit(b, 1);
  uint64_t syncs0, gathers0, gathered0, syncs, gathers, gathered;
  pager_group_stats(a, &syncs0, &gathers0, &gathered0);
  for (uint32_t i = 0; i < 10; i++) {
    Pager *p = i % 2 ? b : a;
    CHECK_EQ_INT(write_pages(p, 2 + i % 2, 1, 1 + i), LODE_OK);
    pager_end_read(p);
    CHECK_EQ_INT(pager_sync_commit(p), LODE_OK);
  }
  pager_group_stats(b, &syncs, &gathers, &gathered);
  os_fault_sync_delay(0);
  CHECK_EQ_INT(syncs - syncs0, 10);
  CHECK_EQ_INT(gathers - gathers0, 0);
  CHECK_EQ_INT(gathered - gathered0, 0);
  CHECK_EQ_INT(pager_close(b), LODE_OK);
  CHECK_EQ_INT(pager_close(a), LODE_OK);
  os_fault_enable(0);
}

TEST(rollback_restores_pages_and_count) {
  DBPATH(db, "rb.db");
  remove_db(db);
  Pager *p;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &p), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 2, 9, 1), LODE_OK);
  CHECK_EQ_INT(pager_begin_write(p), LODE_OK);
  DbPage *held, *pg;
  CHECK_EQ_INT(pager_get(p, 3, &held), LODE_OK);
  CHECK_EQ_INT(pager_write(held), LODE_OK);
  fill(held, 9);
  ((uint8_t *)held->extra)[0] = 0xAB;
  for (uint32_t i = 4; i <= 15; i++) {
    CHECK_EQ_INT(pager_get(p, i, &pg), LODE_OK);
    CHECK_EQ_INT(pager_write(pg), LODE_OK);
    fill(pg, 9);
    pager_unref(pg);
  }
  CHECK_EQ_INT(pager_page_count(p), 15);
  CHECK_EQ_INT(pager_rollback(p), LODE_OK);
  CHECK_EQ_INT(pager_page_count(p), 10);
  CHECK(matches(held, 1)); /* a held page is reloaded in place */
  CHECK_EQ_INT(((uint8_t *)held->extra)[0], 0);
  pager_unref(held);
  CHECK(check_pages(p, 2, 9, 1));
  CHECK_EQ_INT(pager_get(p, 11, &pg), LODE_CORRUPT);
  /* Extending again after the rollback yields zeroed pages. */
  CHECK_EQ_INT(pager_begin_write(p), LODE_OK);
  CHECK_EQ_INT(pager_get(p, 11, &pg), LODE_OK);
  CHECK_EQ_INT(pg->data[0] | pg->data[PS - 1], 0);
  pager_unref(pg);
  CHECK_EQ_INT(pager_rollback(p), LODE_OK);
  pager_close(p);
}

TEST(savepoint_rollback_restores_preimages_and_count) {
  Pager *p;
  CHECK_EQ_INT(pager_open(":memory:", 0, &p), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 2, 9, 1), LODE_OK);
  CHECK_EQ_INT(pager_begin_write(p), LODE_OK);
  DbPage *pg;
  /* Page 2 changed before the savepoint: rollback returns to that change. */
  CHECK_EQ_INT(pager_get(p, 2, &pg), LODE_OK);
  CHECK_EQ_INT(pager_write(pg), LODE_OK);
  fill(pg, 2);
  pager_unref(pg);
  CHECK_EQ_INT(pager_savepoint_begin(p, 1), LODE_OK);
  for (uint32_t i = 2; i <= 12; i++) {
    CHECK_EQ_INT(pager_get(p, i, &pg), LODE_OK);
    CHECK_EQ_INT(pager_write(pg), LODE_OK);
    fill(pg, 3);
    pager_unref(pg);
  }
  CHECK_EQ_INT(pager_page_count(p), 12);
  CHECK_EQ_INT(pager_savepoint_rollback(p, 1), LODE_OK);
  CHECK_EQ_INT(pager_page_count(p), 10);
  CHECK(check_pages(p, 2, 1, 2));
  CHECK(check_pages(p, 3, 8, 1));
  /* The savepoint stays open: write again, release, commit. */
  CHECK_EQ_INT(pager_get(p, 5, &pg), LODE_OK);
  CHECK_EQ_INT(pager_write(pg), LODE_OK);
  fill(pg, 4);
  pager_unref(pg);
  CHECK_EQ_INT(pager_savepoint_release(p, 1), LODE_OK);
  CHECK_EQ_INT(pager_commit(p), LODE_OK);
  CHECK(check_pages(p, 2, 1, 2));
  CHECK(check_pages(p, 5, 1, 4));
  CHECK(check_pages(p, 6, 5, 1));
  pager_close(p);
}

TEST(savepoint_rollback_undoes_truncate) {
  Pager *p;
  CHECK_EQ_INT(pager_open(":memory:", 0, &p), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 2, 9, 1), LODE_OK);
  CHECK_EQ_INT(pager_begin_write(p), LODE_OK);
  DbPage *pg;
  CHECK_EQ_INT(pager_get(p, 8, &pg), LODE_OK);
  CHECK_EQ_INT(pager_write(pg), LODE_OK);
  fill(pg, 6); /* dirty before the savepoint */
  pager_unref(pg);
  CHECK_EQ_INT(pager_savepoint_begin(p, 1), LODE_OK);
  CHECK_EQ_INT(pager_truncate(p, 4), LODE_OK);
  CHECK_EQ_INT(pager_page_count(p), 4);
  CHECK_EQ_INT(pager_get(p, 5, &pg), LODE_OK); /* re-extend: zeroed */
  CHECK_EQ_INT(pg->data[7], 0);
  pager_unref(pg);
  CHECK_EQ_INT(pager_savepoint_rollback(p, 1), LODE_OK);
  CHECK_EQ_INT(pager_page_count(p), 10);
  CHECK(check_pages(p, 2, 6, 1));
  CHECK(check_pages(p, 8, 1, 6));
  CHECK(check_pages(p, 9, 2, 1));
  /* Truncate for real and commit. */
  CHECK_EQ_INT(pager_truncate(p, 6), LODE_OK);
  CHECK_EQ_INT(pager_commit(p), LODE_OK);
  CHECK_EQ_INT(pager_page_count(p), 6);
  CHECK_EQ_INT(pager_get(p, 7, &pg), LODE_CORRUPT);
  pager_close(p);
}

TEST(nested_savepoints) {
  Pager *p;
  CHECK_EQ_INT(pager_open(":memory:", 0, &p), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 2, 3, 1), LODE_OK);
  CHECK_EQ_INT(pager_begin_write(p), LODE_OK);
  DbPage *pg;
  CHECK_EQ_INT(pager_savepoint_begin(p, 1), LODE_OK);
  CHECK_EQ_INT(pager_get(p, 2, &pg), LODE_OK);
  CHECK_EQ_INT(pager_write(pg), LODE_OK);
  fill(pg, 2);
  pager_unref(pg);
  CHECK_EQ_INT(pager_savepoint_begin(p, 2), LODE_OK);
  CHECK_EQ_INT(pager_get(p, 2, &pg), LODE_OK);
  CHECK_EQ_INT(pager_write(pg), LODE_OK);
  fill(pg, 3);
  pager_unref(pg);
  CHECK_EQ_INT(pager_savepoint_rollback(p, 2), LODE_OK);
  CHECK(check_pages(p, 2, 1, 2));
  CHECK_EQ_INT(pager_savepoint_rollback(p, 1), LODE_OK);
  CHECK(check_pages(p, 2, 1, 1));
  CHECK_EQ_INT(pager_rollback(p), LODE_OK);
  pager_close(p);
}

/* Pages first written after three savepoints began: one pre-image serves
** all of them.  Rolling back the middle one, releasing the inner one and
** rolling back the outer one each restore the right bytes, and dropping a
** level keeps the image the others still need. */
TEST(savepoints_share_preimages) {
  Pager *p;
  DbPage *pg;
  CHECK_EQ_INT(pager_open(":memory:", 0, &p), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 2, 6, 1), LODE_OK);
  CHECK_EQ_INT(pager_begin_write(p), LODE_OK);
  for (int depth = 1; depth <= 3; depth++) CHECK_EQ_INT(pager_savepoint_begin(p, depth), LODE_OK);
  for (uint32_t i = 2; i <= 7; i++) {
    CHECK_EQ_INT(pager_get(p, i, &pg), LODE_OK);
    CHECK_EQ_INT(pager_write(pg), LODE_OK);
    fill(pg, 5);
    pager_unref(pg);
  }
  CHECK_EQ_INT(pager_savepoint_release(p, 3), LODE_OK);
  CHECK_EQ_INT(pager_savepoint_rollback(p, 2), LODE_OK);
  CHECK(check_pages(p, 2, 6, 1));
  /* Write again under level 2 (empty again) and a new level 3. */
  CHECK_EQ_INT(pager_get(p, 3, &pg), LODE_OK);
  CHECK_EQ_INT(pager_write(pg), LODE_OK);
  fill(pg, 6);
  pager_unref(pg);
  CHECK_EQ_INT(pager_savepoint_begin(p, 3), LODE_OK);
  CHECK_EQ_INT(pager_get(p, 3, &pg), LODE_OK);
  CHECK_EQ_INT(pager_write(pg), LODE_OK);
  fill(pg, 7);
  pager_unref(pg);
  CHECK_EQ_INT(pager_savepoint_rollback(p, 3), LODE_OK);
  CHECK(check_pages(p, 3, 1, 6));
  CHECK_EQ_INT(pager_savepoint_rollback(p, 1), LODE_OK);
  CHECK(check_pages(p, 2, 6, 1));
  CHECK_EQ_INT(pager_savepoint_release(p, 1), LODE_OK);
  CHECK_EQ_INT(pager_commit(p), LODE_OK);
  CHECK(check_pages(p, 2, 6, 1));
  pager_close(p);
}

/* Writes page pgno with generation gen under whatever savepoints are open. */
static int rewrite_page(Pager *p, uint32_t pgno, uint32_t gen) {
  DbPage *pg;
  int rc = pager_get(p, pgno, &pg);
  if (rc != LODE_OK) return rc;
  rc = pager_write(pg);
  if (rc == LODE_OK) fill(pg, gen);
  pager_unref(pg);
  return rc;
}

/* A page written over and over keeps its pre-image from its first write
** under the savepoints open; a rollback to a savepoint, its release and a new
** savepoint each ask for the pre-image again at the page's next write: every
** rollback below restores the bytes from before it, on a memory database and
** on a file. */
TEST(rewrites_after_savepoint_changes_keep_preimages) {
  for (int file = 0; file <= 1; file++) {
    DBPATH(db, "sp_rewrite.db");
    Pager *p;
    if (file) remove_db(db);
    CHECK_EQ_INT(pager_open(file ? db : ":memory:", PAGER_OPEN_CREATE, &p), LODE_OK);
    CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
    CHECK_EQ_INT(write_pages(p, 2, 2, 1), LODE_OK);
    CHECK_EQ_INT(pager_begin_write(p), LODE_OK);
    CHECK_EQ_INT(pager_savepoint_begin(p, 1), LODE_OK);
    CHECK_EQ_INT(rewrite_page(p, 2, 2), LODE_OK);
    CHECK_EQ_INT(rewrite_page(p, 2, 3), LODE_OK);
    CHECK_EQ_INT(pager_savepoint_rollback(p, 1), LODE_OK);
    CHECK(check_pages(p, 2, 1, 1));
    /* The rollback emptied the savepoint: the next writes save again. */
    CHECK_EQ_INT(rewrite_page(p, 2, 4), LODE_OK);
    CHECK_EQ_INT(rewrite_page(p, 2, 5), LODE_OK);
    CHECK_EQ_INT(pager_savepoint_rollback(p, 1), LODE_OK);
    CHECK(check_pages(p, 2, 1, 1));
    /* Released, the page changed outside any savepoint (it stays dirty), then
    ** a new one: its pre-image is the page as it was when that one began. */
    CHECK_EQ_INT(rewrite_page(p, 2, 6), LODE_OK);
    CHECK_EQ_INT(pager_savepoint_release(p, 1), LODE_OK);
    CHECK_EQ_INT(rewrite_page(p, 2, 7), LODE_OK);
    CHECK_EQ_INT(pager_savepoint_begin(p, 1), LODE_OK);
    CHECK_EQ_INT(rewrite_page(p, 2, 8), LODE_OK);
    CHECK_EQ_INT(rewrite_page(p, 3, 8), LODE_OK);
    /* A nested savepoint begun after the outer one saved the page. */
    CHECK_EQ_INT(pager_savepoint_begin(p, 2), LODE_OK);
    CHECK_EQ_INT(rewrite_page(p, 2, 9), LODE_OK);
    CHECK_EQ_INT(pager_savepoint_rollback(p, 2), LODE_OK);
    CHECK(check_pages(p, 2, 2, 8));
    CHECK_EQ_INT(pager_savepoint_rollback(p, 1), LODE_OK);
    CHECK(check_pages(p, 2, 1, 7));
    CHECK(check_pages(p, 3, 1, 1));
    CHECK_EQ_INT(pager_savepoint_release(p, 1), LODE_OK);
    CHECK_EQ_INT(pager_commit(p), LODE_OK);
    CHECK(check_pages(p, 2, 1, 7));
    CHECK_EQ_INT(pager_close(p), LODE_OK);
  }
}

/* SQLite's WAL checksum, written independently of wal.c. */
static void cksum(int big, const uint8_t *p, size_t n, uint32_t *s0, uint32_t *s1) {
  for (size_t i = 0; i < n; i += 8) {
    uint32_t a, b;
    if (big) {
      a = be32(p + i);
      b = be32(p + i + 4);
    } else {
      a = p[i] | (p[i + 1] << 8) | (p[i + 2] << 16) | ((uint32_t)p[i + 3] << 24);
      b = p[i + 4] | (p[i + 5] << 8) | (p[i + 6] << 16) | ((uint32_t)p[i + 7] << 24);
    }
    *s0 += a + *s1;
    *s1 += b + *s0;
  }
}

TEST(wal_bytes_follow_sqlite_format) {
  DBPATH(db, "w.db");
  remove_db(db);
  Pager *p;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &p), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 2, 3, 1), LODE_OK);
  int64_t n;
  uint8_t *w = read_all(tpath("w.db-wal"), &n);
  CHECK(w != NULL);
  /* 1 frame, then 4 frames (page 1 restamped + pages 2..4). */
  CHECK_EQ_INT(n, 32 + 5 * (24 + PS));
  if (w && n == 32 + 5 * (24 + PS)) {
    uint32_t magic = be32(w);
    CHECK(magic == 0x377f0682 || magic == 0x377f0683);
    int big = magic & 1;
    CHECK_EQ_INT(be32(w + 4), 3007000);
    CHECK_EQ_INT(be32(w + 8), PS);
    uint32_t s0 = 0, s1 = 0;
    cksum(big, w, 24, &s0, &s1);
    CHECK_EQ_INT(be32(w + 24), s0);
    CHECK_EQ_INT(be32(w + 28), s1);
    uint32_t expect_pg[5] = {1, 1, 2, 3, 4}, expect_commit[5] = {1, 0, 0, 0, 4};
    for (int f = 0; f < 5; f++) {
      const uint8_t *fr = w + 32 + f * (24 + PS);
      CHECK_EQ_INT(be32(fr), expect_pg[f]);
      CHECK_EQ_INT(be32(fr + 4), expect_commit[f]);
      CHECK_EQ_INT(be32(fr + 8), be32(w + 16));
      CHECK_EQ_INT(be32(fr + 12), be32(w + 20));
      cksum(big, fr, 8, &s0, &s1);
      cksum(big, fr + 24, PS, &s0, &s1);
      CHECK_EQ_INT(be32(fr + 16), s0);
      CHECK_EQ_INT(be32(fr + 20), s1);
    }
    /* The committed page 1 carries the WAL format bytes and the page count. */
    const uint8_t *p1 = w + 32 + 24 + 24 + PS;
    CHECK_EQ_INT(p1[18], 2);
    CHECK_EQ_INT(be32(p1 + 28), 4);
  }
  free(w);
  pager_close(p);
}

static void put_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

/* A WAL written on a big-endian machine (magic 0x377f0683) is recovered. */
TEST(big_endian_checksum_wal_is_recovered) {
  DBPATH(db, "be.db");
  DBPATH(copy, "be2.db");
  remove_db(db);
  remove_db(copy);
  Pager *p;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &p), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 2, 4, 9), LODE_OK);
  copy_file(db, copy);
  int64_t n;
  uint8_t *w = read_all(tpath("be.db-wal"), &n);
  pager_close(p);
  CHECK(w != NULL && n == 32 + 6 * (24 + PS));
  if (!w || n != 32 + 6 * (24 + PS)) return;
  put_be32(w, 0x377f0683);
  uint32_t s0 = 0, s1 = 0;
  cksum(1, w, 24, &s0, &s1);
  put_be32(w + 24, s0);
  put_be32(w + 28, s1);
  for (int f = 0; f < 6; f++) {
    uint8_t *fr = w + 32 + f * (24 + PS);
    cksum(1, fr, 8, &s0, &s1);
    cksum(1, fr + 24, PS, &s0, &s1);
    put_be32(fr + 16, s0);
    put_be32(fr + 20, s1);
  }
  FILE *f = fopen(tpath("be2.db-wal"), "wb");
  fwrite(w, 1, (size_t)n, f);
  fclose(f);
  free(w);
  CHECK_EQ_INT(pager_open(copy, 0, &p), LODE_OK);
  if (!p) return;
  CHECK_EQ_INT(pager_page_count(p), 5);
  CHECK(check_pages(p, 2, 4, 9));
  /* Appending continues the big-endian chain; a reopen still sees it all. */
  CHECK_EQ_INT(write_pages(p, 3, 1, 10), LODE_OK);
  CHECK_EQ_INT(copy_file(copy, tpath("be3.db")), 0);
  CHECK_EQ_INT(copy_file(tpath("be2.db-wal"), tpath("be3.db-wal")), 0);
  pager_close(p);
  CHECK_EQ_INT(pager_open(tpath("be3.db"), 0, &p), LODE_OK);
  if (!p) return;
  CHECK(check_pages(p, 3, 1, 10));
  CHECK(check_pages(p, 4, 2, 9));
  pager_close(p);
}

TEST(crash_copy_of_db_and_wal_sees_commit) {
  DBPATH(db, "c.db");
  remove_db(db);
  remove_db(tpath("c2.db"));
  Pager *p;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &p), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 2, 20, 7), LODE_OK);
  CHECK_EQ_INT(copy_file(db, tpath("c2.db")), 0);
  CHECK_EQ_INT(copy_file(tpath("c.db-wal"), tpath("c2.db-wal")), 0);
  pager_close(p);
  /* nothing checkpointed yet: the file holds only the empty one-page
  ** database written before the first WAL commit (SQLite drops the WAL
  ** of a zero-length database file) */
  CHECK_EQ_INT(file_size(tpath("c2.db")), PS);
  CHECK_EQ_INT(pager_open(tpath("c2.db"), 0, &p), LODE_OK);
  CHECK_EQ_INT(pager_page_count(p), 21);
  CHECK(check_pages(p, 2, 20, 7));
  CHECK_EQ_INT(pager_close(p), LODE_OK);
  CHECK(!file_exists(tpath("c2.db-wal")));
  CHECK_EQ_INT(file_size(tpath("c2.db")), 21 * PS);
}

TEST(torn_last_frame_loses_only_uncommitted_tail) {
  DBPATH(db, "t.db");
  remove_db(db);
  remove_db(tpath("t2.db"));
  Pager *p;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &p), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 2, 5, 1), LODE_OK); /* frames 2..7 */
  CHECK_EQ_INT(write_pages(p, 2, 8, 2), LODE_OK); /* frames 8..16, commit at 16 */
  CHECK_EQ_INT(copy_file(db, tpath("t2.db")), 0);
  CHECK_EQ_INT(copy_file(tpath("t.db-wal"), tpath("t2.db-wal")), 0);
  pager_close(p);
  int64_t full = file_size(tpath("t2.db-wal"));
  CHECK_EQ_INT(full, 32 + 16 * (24 + PS));
  CHECK_EQ_INT(truncate(tpath("t2.db-wal"), full - PS / 2), 0);
  CHECK_EQ_INT(pager_open(tpath("t2.db"), 0, &p), LODE_OK);
  CHECK_EQ_INT(pager_page_count(p), 6);
  CHECK(check_pages(p, 2, 5, 1));
  /* New commits continue after the valid prefix and survive a reopen. */
  CHECK_EQ_INT(write_pages(p, 3, 1, 4), LODE_OK);
  pager_close(p);
  CHECK_EQ_INT(pager_open(tpath("t2.db"), 0, &p), LODE_OK);
  CHECK(check_pages(p, 2, 1, 1));
  CHECK(check_pages(p, 3, 1, 4));
  CHECK(check_pages(p, 4, 3, 1));
  pager_close(p);
}

TEST(corrupt_frame_checksum_stops_recovery) {
  DBPATH(db, "k.db");
  remove_db(db);
  remove_db(tpath("k2.db"));
  Pager *p;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &p), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 2, 2, 1), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 2, 2, 2), LODE_OK);
  CHECK_EQ_INT(copy_file(db, tpath("k2.db")), 0);
  CHECK_EQ_INT(copy_file(tpath("k.db-wal"), tpath("k2.db-wal")), 0);
  pager_close(p);
  /* Flip a byte in the second transaction's first frame (frame 5). */
  FILE *f = fopen(tpath("k2.db-wal"), "r+b");
  CHECK(f != NULL);
  if (f) {
    long at = 32 + 4 * (24 + PS) + 24 + 100;
    int c;
    fseek(f, at, SEEK_SET);
    c = fgetc(f);
    fseek(f, at, SEEK_SET); /* a read and a write need a seek between them */
    fputc(0x5a ^ c, f);
    fclose(f);
  }
  CHECK_EQ_INT(pager_open(tpath("k2.db"), 0, &p), LODE_OK);
  CHECK(check_pages(p, 2, 2, 1));
  pager_close(p);
}

TEST(bad_wal_header_is_ignored) {
  DBPATH(db, "h.db");
  remove_db(db);
  remove_db(tpath("h2.db"));
  Pager *p;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &p), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 2, 2, 1), LODE_OK);
  pager_close(p); /* checkpointed: the db holds gen 1 */
  CHECK_EQ_INT(pager_open(db, 0, &p), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 2, 2, 2), LODE_OK);
  CHECK_EQ_INT(copy_file(db, tpath("h2.db")), 0);
  CHECK_EQ_INT(copy_file(tpath("h.db-wal"), tpath("h2.db-wal")), 0);
  pager_close(p);
  FILE *f = fopen(tpath("h2.db-wal"), "r+b");
  if (f) {
    int c;
    fseek(f, 17, SEEK_SET); /* salt-1: header checksum no longer matches */
    c = fgetc(f);
    fseek(f, 17, SEEK_SET); /* a read and a write need a seek between them */
    fputc(0x11 ^ c, f);
    fclose(f);
  }
  CHECK_EQ_INT(pager_open(tpath("h2.db"), 0, &p), LODE_OK);
  CHECK_EQ_INT(pager_page_count(p), 3);
  CHECK(check_pages(p, 2, 2, 1));
  pager_close(p);
}

TEST(autocheckpoint_after_1000_frames_shrinks_wal) {
  DBPATH(db, "ck.db");
  remove_db(db);
  Pager *p;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &p), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  int64_t max_wal = 0;
  for (uint32_t t = 0; t < 130; t++) {
    CHECK_EQ_INT(write_pages(p, 2, 9, t + 1), LODE_OK); /* 10 frames each */
    int64_t s = file_size(tpath("ck.db-wal"));
    if (s > max_wal) max_wal = s;
  }
  /* As in SQLite, the WAL starts over from its first frame once it was
  ** checkpointed: the file keeps its size but never grows past ~1000 frames. */
  CHECK(max_wal >= 32 + 990 * (int64_t)(24 + PS));
  CHECK(max_wal <= 32 + 1010 * (int64_t)(24 + PS));
  CHECK_EQ_INT(file_size(db), 10 * PS);
  CHECK(check_pages(p, 2, 9, 130));
  CHECK_EQ_INT(write_pages(p, 2, 2, 131), LODE_OK);
  int frames = -2, done = -2;
  CHECK_EQ_INT(pager_checkpoint(p, PAGER_CKPT_PASSIVE, &frames, &done), LODE_OK);
  CHECK(frames > 0 && done == frames);
  CHECK_EQ_INT(write_pages(p, 2, 9, 130), LODE_OK);
  CHECK_EQ_INT(pager_checkpoint(p, PAGER_CKPT_TRUNCATE, &frames, &done), LODE_OK);
  CHECK_EQ_INT(frames, 0);
  CHECK_EQ_INT(done, 0);
  CHECK_EQ_INT(file_size(tpath("ck.db-wal")), 0);
  CHECK(check_pages(p, 2, 9, 130));
  pager_close(p);
  CHECK_EQ_INT(pager_open(db, 0, &p), LODE_OK);
  CHECK(check_pages(p, 2, 9, 130));
  pager_close(p);
}

TEST(synchronous_levels) {
  DBPATH(db, "sync.db");
  remove_db(db);
  Pager *p;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &p), LODE_OK);
  CHECK_EQ_INT(pager_synchronous(p), PAGER_SYNC_FULL);
  pager_set_synchronous(p, 7);
  CHECK_EQ_INT(pager_synchronous(p), PAGER_SYNC_EXTRA);
  pager_set_synchronous(p, PAGER_SYNC_NORMAL);
  CHECK_EQ_INT(pager_synchronous(p), PAGER_SYNC_NORMAL);
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  for (uint32_t g = 1; g <= 120; g++) CHECK_EQ_INT(write_pages(p, 2, 9, g), LODE_OK); /* crosses a checkpoint */
  CHECK(check_pages(p, 2, 9, 120));
  pager_set_synchronous(p, PAGER_SYNC_OFF);
  CHECK_EQ_INT(write_pages(p, 2, 9, 121), LODE_OK);
  CHECK_EQ_INT(pager_close(p), LODE_OK);
  CHECK_EQ_INT(pager_open(db, 0, &p), LODE_OK);
  CHECK(check_pages(p, 2, 9, 121));
  pager_close(p);
}

TEST(cache_budget_evicts_clean_pages_only) {
  Pager *p;
  CHECK_EQ_INT(pager_open(":memory:", 0, &p), LODE_OK);
  pager_set_cache_size(p, 10);
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 2, 199, 1), LODE_OK); /* 200 dirty pages, budget 10 */
  CHECK(check_pages(p, 2, 199, 1));
  pager_set_cache_size(p, -100); /* 100 KiB */
  CHECK(check_pages(p, 2, 199, 1));
  pager_close(p);
}

/* ---- a memory database stores each page once ------------------------------------ */

#if defined(__SANITIZE_ADDRESS__)
#define LODE_NO_HEAP_COUNT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LODE_NO_HEAP_COUNT 1
#endif
#endif
#ifndef LODE_NO_HEAP_COUNT
/* Bytes the allocator has handed out, large (mapped) blocks included. */
static int64_t heap_in_use(void) {
  struct mallinfo2 mi = mallinfo2();
  return (int64_t)mi.uordblks + (int64_t)mi.hblkhd;
}
#endif

/* A memory database larger than its cache budget: every page stays
** readable, a rollback (whole, after a truncation under a savepoint)
** restores every page, and a savepoint rolled back inside a committed
** transaction leaves the right pages. */
TEST(memory_larger_than_cache_keeps_every_page) {
  Pager *p;
  DbPage *pg;
  CHECK_EQ_INT(pager_open(":memory:", 0, &p), LODE_OK);
  pager_set_cache_size(p, 10);
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 2, 299, 1), LODE_OK);
  CHECK(check_pages(p, 2, 299, 1));
  /* Every page changed, the database cut and grown again, then all undone. */
  CHECK_EQ_INT(pager_begin_write(p), LODE_OK);
  for (uint32_t i = 2; i <= 300; i++) {
    CHECK_EQ_INT(pager_get(p, i, &pg), LODE_OK);
    CHECK_EQ_INT(pager_write(pg), LODE_OK);
    fill(pg, 2);
    pager_unref(pg);
  }
  CHECK_EQ_INT(pager_savepoint_begin(p, 1), LODE_OK);
  CHECK_EQ_INT(pager_truncate(p, 50), LODE_OK);
  CHECK_EQ_INT(pager_get(p, 51, &pg), LODE_OK);
  CHECK_EQ_INT(pg->data[9], 0); /* grown again: zeroed */
  fill(pg, 3);
  pager_unref(pg);
  CHECK_EQ_INT(pager_rollback(p), LODE_OK);
  CHECK_EQ_INT(pager_page_count(p), 300);
  CHECK(check_pages(p, 2, 299, 1));
  /* A savepoint rolled back inside a transaction that commits. */
  CHECK_EQ_INT(pager_begin_write(p), LODE_OK);
  CHECK_EQ_INT(pager_savepoint_begin(p, 1), LODE_OK);
  for (uint32_t i = 2; i <= 300; i++) {
    CHECK_EQ_INT(pager_get(p, i, &pg), LODE_OK);
    CHECK_EQ_INT(pager_write(pg), LODE_OK);
    fill(pg, 4);
    pager_unref(pg);
  }
  CHECK_EQ_INT(pager_truncate(p, 100), LODE_OK);
  CHECK_EQ_INT(pager_savepoint_rollback(p, 1), LODE_OK);
  CHECK_EQ_INT(pager_page_count(p), 300);
  CHECK(check_pages(p, 2, 299, 1));
  for (uint32_t i = 2; i <= 150; i++) {
    CHECK_EQ_INT(pager_get(p, i, &pg), LODE_OK);
    CHECK_EQ_INT(pager_write(pg), LODE_OK);
    fill(pg, 5);
    pager_unref(pg);
  }
  CHECK_EQ_INT(pager_truncate(p, 200), LODE_OK);
  CHECK_EQ_INT(pager_commit(p), LODE_OK);
  CHECK_EQ_INT(pager_page_count(p), 200);
  CHECK(check_pages(p, 2, 149, 5));
  CHECK(check_pages(p, 151, 50, 1));
  CHECK_EQ_INT(pager_get(p, 201, &pg), LODE_CORRUPT);
  pager_close(p);
}

/* Its pages are the storage: after commits (one of them rewriting every
** page, whose pre-images come and go) the heap holds about one copy of
** the database, not a cached copy beside a RAM file. */
TEST(memory_database_holds_one_copy) {
#ifndef LODE_NO_HEAP_COUNT
  const uint32_t npages = 2000;
  int64_t before = heap_in_use();
  Pager *p;
  CHECK_EQ_INT(pager_open(":memory:", 0, &p), LODE_OK);
  pager_set_cache_size(p, -100000); /* room for every page: nothing is evicted */
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 2, npages - 1, 1), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 2, npages - 1, 2), LODE_OK);
  int64_t used = heap_in_use() - before, one = (int64_t)npages * PS;
  CHECK(used >= one);
  CHECK(used < one + one / 4);
  if (used >= one + one / 4) printf("  %lld bytes for %lld bytes of pages\n", (long long)used, (long long)one);
  CHECK(check_pages(p, 2, npages - 1, 2));
  pager_close(p);
#endif
}

/* Every allocation of a transaction rewriting a memory database fails in
** turn (pre-images, the commit): the transaction rolls back to the last
** commit, page for page, or commits whole. */
TEST(memory_transaction_out_of_memory_is_atomic) {
  int committed = 0;
  for (int k = 1; k < 200 && !committed; k++) {
    Pager *p;
    DbPage *pg;
    CHECK_EQ_INT(pager_open(":memory:", 0, &p), LODE_OK);
    pager_set_cache_size(p, 10);
    CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
    CHECK_EQ_INT(write_pages(p, 2, 30, 1), LODE_OK);
    util_fail_alloc_after(k, 0);
    int rc = pager_begin_write(p);
    for (uint32_t i = 2; rc == LODE_OK && i <= 35; i++) { /* 4 pages past the end */
      rc = pager_get(p, i, &pg);
      if (rc != LODE_OK) break;
      rc = pager_write(pg);
      if (rc == LODE_OK) fill(pg, 2);
      pager_unref(pg);
    }
    if (rc == LODE_OK) rc = pager_truncate(p, 33);
    if (rc == LODE_OK) rc = pager_commit(p);
    util_fail_alloc_after(0, 0);
    CHECK(rc == LODE_OK || rc == LODE_NOMEM);
    if (rc == LODE_OK) {
      committed = 1;
      CHECK_EQ_INT(pager_page_count(p), 33);
      CHECK(check_pages(p, 2, 32, 2));
    } else {
      CHECK_EQ_INT(pager_rollback(p), LODE_OK);
      CHECK_EQ_INT(pager_page_count(p), 31);
      CHECK(check_pages(p, 2, 30, 1));
    }
    pager_close(p);
  }
  CHECK(committed);
}

/* Pre-images of a database that changed its page size while empty: the
** kept chunk of the old size is not carved for pages of the new one. */
TEST(memory_preimages_follow_a_new_page_size) {
  Pager *p;
  DbPage *pg;
  CHECK_EQ_INT(pager_open(":memory:", 0, &p), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(p, 1024), LODE_OK);
  CHECK_EQ_INT(pager_begin_write(p), LODE_OK);
  for (uint32_t i = 1; i <= 3; i++) {
    CHECK_EQ_INT(pager_get(p, i, &pg), LODE_OK);
    CHECK_EQ_INT(pager_write(pg), LODE_OK);
    pager_unref(pg);
  }
  CHECK_EQ_INT(pager_savepoint_begin(p, 1), LODE_OK);
  CHECK_EQ_INT(pager_get(p, 2, &pg), LODE_OK);
  CHECK_EQ_INT(pager_write(pg), LODE_OK); /* a pre-image of 1024 bytes */
  pager_unref(pg);
  CHECK_EQ_INT(pager_rollback(p), LODE_OK);
  CHECK_EQ_INT(pager_page_count(p), 0);
  CHECK_EQ_INT(pager_set_page_size(p, 65536), LODE_OK);
  CHECK_EQ_INT(pager_begin_write(p), LODE_OK);
  for (uint32_t i = 1; i <= 3; i++) {
    CHECK_EQ_INT(pager_get(p, i, &pg), LODE_OK);
    CHECK_EQ_INT(pager_write(pg), LODE_OK);
    memset(pg->data + 200, (int)i, 65536 - 200);
    pager_unref(pg);
  }
  CHECK_EQ_INT(pager_savepoint_begin(p, 1), LODE_OK);
  for (uint32_t i = 2; i <= 3; i++) {
    CHECK_EQ_INT(pager_get(p, i, &pg), LODE_OK);
    CHECK_EQ_INT(pager_write(pg), LODE_OK); /* pre-images of 65536 bytes */
    memset(pg->data, 0xee, 65536);
    pager_unref(pg);
  }
  CHECK_EQ_INT(pager_savepoint_rollback(p, 1), LODE_OK);
  for (uint32_t i = 2; i <= 3; i++) {
    CHECK_EQ_INT(pager_get(p, i, &pg), LODE_OK);
    CHECK_EQ_INT(pg->data[200], i);
    CHECK_EQ_INT(pg->data[65535], i);
    pager_unref(pg);
  }
  CHECK_EQ_INT(pager_rollback(p), LODE_OK);
  pager_close(p);
}

TEST(page_size_set_before_first_write) {
  DBPATH(db, "ps.db");
  remove_db(db);
  Pager *p;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &p), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(p, 3000), LODE_RANGE);
  CHECK_EQ_INT(pager_set_page_size(p, 1024), LODE_OK);
  CHECK_EQ_INT(pager_begin_write(p), LODE_OK);
  DbPage *pg;
  CHECK_EQ_INT(pager_get(p, 1, &pg), LODE_OK);
  CHECK_EQ_INT(pager_write(pg), LODE_OK);
  format_page1(pg->data, 1024);
  pager_unref(pg);
  CHECK_EQ_INT(pager_commit(p), LODE_OK);
  CHECK(pager_set_page_size(p, 2048) != LODE_OK);
  pager_close(p);
  CHECK_EQ_INT(file_size(db), 1024);
  CHECK_EQ_INT(pager_open(db, 0, &p), LODE_OK);
  CHECK_EQ_INT(pager_page_size(p), 1024);
  CHECK_EQ_INT(pager_usable_size(p), 1024);
  pager_close(p);
}

TEST(page_size_65536_is_encoded_as_1) {
  DBPATH(db, "big.db");
  remove_db(db);
  FILE *f = fopen(db, "wb");
  uint8_t *page = calloc(1, 65536);
  format_page1(page, 65536);
  page[16] = 0;
  page[17] = 1;
  page[20] = 8;
  fwrite(page, 1, 65536, f);
  fclose(f);
  free(page);
  Pager *p;
  CHECK_EQ_INT(pager_open(db, 0, &p), LODE_OK);
  CHECK_EQ_INT(pager_page_size(p), 65536);
  CHECK_EQ_INT(pager_usable_size(p), 65536 - 8);
  CHECK_EQ_INT(pager_page_count(p), 1);
  pager_close(p);
}

TEST(not_a_database) {
  DBPATH(db, "junk.db");
  remove_db(db);
  FILE *f = fopen(db, "wb");
  for (int i = 0; i < 5000; i++) fputc('x', f);
  fclose(f);
  Pager *p = (Pager *)1;
  CHECK_EQ_INT(pager_open(db, 0, &p), LODE_NOTADB);
  CHECK(p == NULL);
  /* Right magic, page size not a power of two. */
  uint8_t page[4096];
  format_page1(page, 4096);
  page[16] = 0x0b;
  page[17] = 0xb8; /* 3000 */
  f = fopen(db, "wb");
  fwrite(page, 1, sizeof page, f);
  fclose(f);
  CHECK_EQ_INT(pager_open(db, 0, &p), LODE_NOTADB);
  f = fopen(db, "wb");
  fwrite(page, 1, 50, f); /* shorter than a header */
  fclose(f);
  CHECK_EQ_INT(pager_open(db, 0, &p), LODE_NOTADB);
  CHECK_EQ_INT(pager_open(tpath("missing.db"), 0, &p), LODE_CANTOPEN);
  CHECK_EQ_INT(pager_open(tmpdir, 0, &p) & 0xff, LODE_CANTOPEN);
}

TEST(readonly_open) {
  DBPATH(db, "ro.db");
  remove_db(db);
  Pager *p;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &p), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 2, 3, 1), LODE_OK);
  remove_db(tpath("ro2.db"));
  CHECK_EQ_INT(copy_file(db, tpath("ro2.db")), 0);
  CHECK_EQ_INT(copy_file(tpath("ro.db-wal"), tpath("ro2.db-wal")), 0);
  pager_close(p);
  CHECK_EQ_INT(pager_open(tpath("ro2.db"), PAGER_OPEN_READONLY, &p), LODE_OK);
  CHECK(pager_is_readonly(p));
  CHECK(check_pages(p, 2, 3, 1)); /* read through the WAL */
  CHECK_EQ_INT(pager_begin_write(p), LODE_READONLY);
  CHECK_EQ_INT(pager_close(p), LODE_OK);
  CHECK(file_exists(tpath("ro2.db-wal"))); /* a reader never deletes it */
  /* A file without write permission opens read-only even when asked for more. */
  if (geteuid() != 0) {
    chmod(tpath("ro2.db"), 0444);
    CHECK_EQ_INT(pager_open(tpath("ro2.db"), 0, &p), LODE_OK);
    if (p) {
      CHECK(pager_is_readonly(p));
      CHECK(check_pages(p, 2, 3, 1));
      pager_close(p);
    }
  }
}

static int run_sqlite3(const char *db, const char *sql, char *out, size_t outn) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "sqlite3 '%s' \"%s\" 2>&1", db, sql);
  FILE *f = popen(cmd, "r");
  if (!f) return -1;
  size_t n = fread(out, 1, outn - 1, f);
  out[n] = 0;
  return pclose(f);
}

static int have_sqlite3(void) { return system("sqlite3 -version >/dev/null 2>&1") == 0; }

/* A rollback-mode database from sqlite3 reads as is, and after our commit
** it is in WAL mode and still a valid database for sqlite3. */
TEST(sqlite3_legacy_file_roundtrip) {
  if (!have_sqlite3()) return;
  DBPATH(db, "legacy.db");
  remove_db(db);
  char out[4096];
  run_sqlite3(db,
              "PRAGMA page_size=1024; CREATE TABLE t(a,b); "
              "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<500) "
              "INSERT INTO t SELECT x, randomblob(100) FROM c;",
              out, sizeof out);
  Pager *p;
  CHECK_EQ_INT(pager_open(db, 0, &p), LODE_OK);
  CHECK_EQ_INT(pager_page_size(p), 1024);
  CHECK_EQ_INT(pager_page_count(p), file_size(db) / 1024);
  DbPage *pg;
  CHECK_EQ_INT(pager_get(p, 1, &pg), LODE_OK);
  CHECK_EQ_INT(pg->data[18], 1);
  CHECK_EQ_INT(pg->data[100], 13); /* sqlite_schema is a leaf */
  pager_unref(pg);
  CHECK_EQ_INT(pager_begin_write(p), LODE_OK);
  CHECK_EQ_INT(pager_get(p, 1, &pg), LODE_OK);
  CHECK_EQ_INT(pager_write(pg), LODE_OK);
  pager_unref(pg);
  CHECK_EQ_INT(pager_commit(p), LODE_OK);
  CHECK_EQ_INT(pager_close(p), LODE_OK);
  run_sqlite3(db, "PRAGMA integrity_check; PRAGMA journal_mode; SELECT count(*) FROM t;", out, sizeof out);
  CHECK_EQ_STR(out, "ok\nwal\n500\n");
}

/* sqlite3 in WAL mode with the -wal not yet checkpointed: copied mid-session. */
TEST(sqlite3_wal_is_recovered) {
  if (!have_sqlite3()) return;
  DBPATH(db, "sw.db");
  remove_db(db);
  remove_db(tpath("sw2.db"));
  char out[4096], sql[4096];
  snprintf(sql, sizeof sql,
           "PRAGMA journal_mode=wal; CREATE TABLE t(a); INSERT INTO t VALUES(1),(2),(3);\n"
           ".system cp %s %s\n.system cp %s-wal %s-wal\n",
           db, tpath("sw2.db"), db, tpath("sw2.db"));
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "printf '%%s' \"%s\" | sqlite3 '%s' >/dev/null 2>&1", sql, db);
  CHECK_EQ_INT(system(cmd), 0);
  CHECK(file_size(tpath("sw2.db-wal")) > 32);
  Pager *p;
  CHECK_EQ_INT(pager_open(tpath("sw2.db"), 0, &p), LODE_OK);
  if (!p) return;
  CHECK(pager_page_count(p) >= 2); /* the table's root exists only in the WAL */
  DbPage *pg;
  CHECK_EQ_INT(pager_get(p, 1, &pg), LODE_OK);
  CHECK_EQ_INT(pg->data[18], 2);
  CHECK(be32(pg->data + 24) >= 2);
  pager_unref(pg);
  CHECK_EQ_INT(pager_close(p), LODE_OK);
  CHECK(!file_exists(tpath("sw2.db-wal")));
  run_sqlite3(tpath("sw2.db"), "PRAGMA integrity_check; SELECT sum(a) FROM t;", out, sizeof out);
  CHECK_EQ_STR(out, "ok\n6\n");
}

static int files_equal(const char *a, const char *b) {
  int64_t na, nb;
  uint8_t *x = read_all(a, &na), *y = read_all(b, &nb);
  int eq = x && y && na == nb && memcmp(x, y, (size_t)na) == 0;
  free(x);
  free(y);
  return eq;
}

/* sqlite3 stopped mid-transaction after spilling pages into the database:
** opening the copy rolls the hot journal back first. */
TEST(sqlite3_hot_journal_is_rolled_back) {
  if (!have_sqlite3()) return;
  DBPATH(db, "hj.db");
  DBPATH(before, "hj_before.db");
  DBPATH(copy, "hj2.db");
  remove_db(db);
  remove_db(copy);
  char out[4096], sql[4096], cmd[8192];
  run_sqlite3(db,
              "PRAGMA page_size=1024; CREATE TABLE t(a,b); "
              "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<200) "
              "INSERT INTO t SELECT x, randomblob(300) FROM c;",
              out, sizeof out);
  snprintf(sql, sizeof sql,
           "PRAGMA cache_size=2;\n.system cp %s %s\nBEGIN;\nUPDATE t SET b=randomblob(310);\n"
           "INSERT INTO t SELECT a+1000, b FROM t;\n.system cp %s %s\n.system cp %s-journal %s-journal\n"
           "ROLLBACK;\n",
           db, before, db, copy, db, copy);
  snprintf(cmd, sizeof cmd, "printf '%s' | sqlite3 '%s' >/dev/null 2>&1", sql, db);
  CHECK_EQ_INT(system(cmd), 0);
  CHECK(file_size(tpath("hj2.db-journal")) > 0);
  CHECK(!files_equal(copy, before)); /* pages were spilled: the copy is torn */
  Pager *p;
  CHECK_EQ_INT(pager_open(copy, 0, &p), LODE_OK);
  if (!p) return;
  CHECK(!file_exists(tpath("hj2.db-journal")));
  CHECK(files_equal(copy, before));
  CHECK_EQ_INT(pager_page_count(p), file_size(before) / 1024);
  CHECK_EQ_INT(pager_close(p), LODE_OK);
  run_sqlite3(copy, "PRAGMA integrity_check; SELECT count(*), max(length(b)) FROM t;", out, sizeof out);
  CHECK_EQ_STR(out, "ok\n200|300\n");
}

/* Two connections on one file share the WAL; each keeps its snapshot. */
TEST(two_connections_snapshots_and_one_writer) {
  DBPATH(db, "mc.db");
  remove_db(db);
  Pager *a, *b;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &a), LODE_OK);
  CHECK_EQ_INT(write_pages(a, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(write_pages(a, 2, 20, 1), LODE_OK);
  char other[600];
  snprintf(other, sizeof other, "%s/./mc.db", tmpdir); /* same file, other spelling */
  CHECK_EQ_INT(pager_open(other, 0, &b), LODE_OK);
  if (!b) return;
  pager_set_cache_size(b, 10); /* b must re-read evicted pages at its snapshot */
  CHECK_EQ_INT(pager_begin_read(b), LODE_OK);
  CHECK(check_pages(b, 2, 20, 1));
  CHECK_EQ_INT(write_pages(a, 2, 30, 2), LODE_OK); /* grows to 31 pages */
  CHECK_EQ_INT(pager_page_count(b), 21);
  CHECK(check_pages(b, 2, 20, 1)); /* still the old snapshot */
  CHECK_EQ_INT(pager_begin_write(b), LODE_BUSY_SNAPSHOT); /* snapshot is stale */
  /* A passive checkpoint copies only what b's snapshot does not need. */
  int frames, done;
  CHECK_EQ_INT(pager_checkpoint(a, PAGER_CKPT_PASSIVE, &frames, &done), LODE_OK);
  CHECK(frames > 0 && done < frames);
  CHECK_EQ_INT(pager_checkpoint(b, PAGER_CKPT_FULL, &frames, &done), LODE_BUSY);
  CHECK(check_pages(b, 2, 20, 1));
  pager_end_read(b);
  CHECK_EQ_INT(pager_begin_read(b), LODE_OK);
  CHECK_EQ_INT(pager_page_count(b), 31);
  CHECK(check_pages(b, 2, 30, 2));
  /* One writer at a time. */
  CHECK_EQ_INT(pager_begin_write(a), LODE_OK);
  CHECK_EQ_INT(pager_begin_write(b), LODE_BUSY);
  CHECK_EQ_INT(pager_rollback(a), LODE_OK);
  pager_end_read(a);
  CHECK_EQ_INT(write_pages(b, 2, 3, 3), LODE_OK);
  CHECK_EQ_INT(pager_begin_read(a), LODE_OK);
  CHECK(check_pages(a, 2, 3, 3));
  CHECK(check_pages(a, 5, 27, 2));
  pager_end_read(a);
  CHECK_EQ_INT(pager_checkpoint(a, PAGER_CKPT_PASSIVE, &frames, &done), LODE_OK);
  CHECK(check_pages(b, 2, 3, 3));
  CHECK_EQ_INT(pager_close(a), LODE_OK);
  CHECK_EQ_INT(write_pages(b, 4, 1, 4), LODE_OK);
  CHECK(file_exists(tpath("mc.db-wal"))); /* b is still open */
  CHECK_EQ_INT(pager_close(b), LODE_OK);
  CHECK(!file_exists(tpath("mc.db-wal")));
  CHECK_EQ_INT(pager_open(db, 0, &a), LODE_OK);
  CHECK(check_pages(a, 2, 2, 3));
  CHECK(check_pages(a, 4, 1, 4));
  CHECK(check_pages(a, 5, 27, 2));
  pager_close(a);
}

TEST(readonly_then_readwrite_connection) {
  DBPATH(db, "rw.db");
  remove_db(db);
  Pager *a, *b;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &a), LODE_OK);
  CHECK_EQ_INT(write_pages(a, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(write_pages(a, 2, 2, 1), LODE_OK);
  CHECK_EQ_INT(pager_close(a), LODE_OK);
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_READONLY, &a), LODE_OK);
  CHECK_EQ_INT(pager_open(db, 0, &b), LODE_OK);
  if (!a || !b) return;
  CHECK_EQ_INT(write_pages(b, 2, 2, 2), LODE_OK);
  CHECK(check_pages(a, 2, 2, 2));
  CHECK_EQ_INT(pager_begin_write(a), LODE_READONLY);
  CHECK_EQ_INT(pager_close(b), LODE_OK);
  CHECK_EQ_INT(pager_close(a), LODE_OK); /* last one checkpoints */
  CHECK(!file_exists(tpath("rw.db-wal")));
  CHECK_EQ_INT(pager_open(db, 0, &a), LODE_OK);
  CHECK(check_pages(a, 2, 2, 2));
  pager_close(a);
}

TEST(journal_not_hot_is_removed_and_readonly_hot_refused) {
  DBPATH(db, "nj.db");
  remove_db(db);
  Pager *p;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &p), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  pager_close(p);
  /* A zeroed header: the transaction committed (journal_mode=PERSIST). */
  FILE *f = fopen(tpath("nj.db-journal"), "wb");
  for (int i = 0; i < 1024; i++) fputc(0, f);
  fclose(f);
  CHECK_EQ_INT(pager_open(db, 0, &p), LODE_OK);
  CHECK(!file_exists(tpath("nj.db-journal")));
  pager_close(p);
  /* A hot journal next to a read-only open cannot be repaired. */
  static const uint8_t magic[8] = {0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7};
  uint8_t hdr[512] = {0};
  memcpy(hdr, magic, 8);
  hdr[22] = 2;  /* sector size 512 */
  hdr[26] = 16; /* page size 4096 */
  f = fopen(tpath("nj.db-journal"), "wb");
  fwrite(hdr, 1, sizeof hdr, f);
  fclose(f);
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_READONLY, &p), LODE_READONLY);
  /* A read-write open applies it: zero records, original size 0 pages. */
  CHECK_EQ_INT(pager_open(db, 0, &p), LODE_OK);
  CHECK_EQ_INT(pager_page_count(p), 0);
  CHECK_EQ_INT(file_size(db), 0);
  pager_close(p);
}

/* ---- randomized comparison against a model ---------------------------------- */

#define MODEL_PS 512
#define MODEL_MAX_PAGES 80
#define MODEL_MAX_SP 4

typedef struct Model {
  uint32_t npages;
  uint8_t seed[MODEL_MAX_PAGES + 2]; /* content of page i: pattern of seed[i]; 0 = zeros */
} Model;

static void model_fill(uint8_t *d, uint32_t pgno, uint8_t seed) {
  uint32_t start = pgno == 1 ? 100 : 0;
  for (uint32_t i = start; i < MODEL_PS; i++) d[i] = seed ? (uint8_t)(seed * 13 + i * 7 + pgno) : 0;
}

static int model_page_ok(Pager *p, const Model *m, uint32_t pgno) {
  DbPage *pg;
  if (pager_get(p, pgno, &pg) != LODE_OK) return 0;
  uint8_t want[MODEL_PS];
  memcpy(want, pg->data, 100);
  model_fill(want, pgno, m->seed[pgno]);
  int ok = memcmp(want, pg->data, MODEL_PS) == 0;
  pager_unref(pg);
  return ok;
}

static int model_all_ok(Pager *p, const Model *m) {
  if (pager_page_count(p) != m->npages) return 0;
  for (uint32_t i = 1; i <= m->npages; i++)
    if (!model_page_ok(p, m, i)) return 0;
  return 1;
}

static int model_write(Pager *p, Model *m, uint32_t pgno, uint8_t seed) {
  DbPage *pg;
  int rc = pager_get(p, pgno, &pg);
  if (rc != LODE_OK) return rc;
  rc = pager_write(pg);
  if (rc == LODE_OK) model_fill(pg->data, pgno, seed);
  pager_unref(pg);
  if (rc == LODE_OK) {
    if (pgno > m->npages) m->npages = pgno;
    m->seed[pgno] = seed;
  }
  return rc;
}

static int sp_find(const int *depths, int n, int d) {
  int i = 0;
  while (i < n && depths[i] < d) i++;
  return i;
}

TEST(random_operations_match_model) {
  DBPATH(db, "model.db");
  remove_db(db);
  Pager *p;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &p), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(p, MODEL_PS), LODE_OK);
  Model committed = {0}, cur;
  Model sp_state[MODEL_MAX_SP];
  int sp_depth[MODEL_MAX_SP], nsp = 0;
  CHECK_EQ_INT(pager_begin_write(p), LODE_OK);
  DbPage *pg;
  CHECK_EQ_INT(pager_get(p, 1, &pg), LODE_OK);
  CHECK_EQ_INT(pager_write(pg), LODE_OK);
  format_page1(pg->data, MODEL_PS);
  model_fill(pg->data, 1, 0);
  pager_unref(pg);
  CHECK_EQ_INT(pager_commit(p), LODE_OK);
  committed.npages = 1;
  cur = committed;
  uint32_t rnd = 12345;
  int in_write = 0, failures = 0;
  for (int step = 0; step < 3000 && failures == 0; step++) {
    rnd = rnd * 1103515245u + 12345u;
    uint32_t r = (rnd >> 8) % 100;
    if (!in_write) {
      if (r < 5) {
        CHECK_EQ_INT(pager_close(p), LODE_OK);
        CHECK_EQ_INT(pager_open(db, 0, &p), LODE_OK);
        if (!p) return;
        pager_set_cache_size(p, 10); /* small: evictions and re-reads */
      } else if (r < 8) {
        CHECK_EQ_INT(pager_checkpoint(p, PAGER_CKPT_PASSIVE, NULL, NULL), LODE_OK);
      }
      CHECK_EQ_INT(pager_begin_write(p), LODE_OK);
      in_write = 1;
      nsp = 0;
      cur = committed;
      continue;
    }
    uint8_t seed = (uint8_t)(1 + (rnd >> 20) % 250);
    if (r < 50) {
      uint32_t pgno = 1 + (rnd >> 12) % (cur.npages + 1);
      if (pgno > MODEL_MAX_PAGES) pgno = 1 + pgno % cur.npages;
      CHECK_EQ_INT(model_write(p, &cur, pgno, seed), LODE_OK);
    } else if (r < 55 && cur.npages > 1) {
      uint32_t n = 1 + (rnd >> 12) % cur.npages;
      CHECK_EQ_INT(pager_truncate(p, n), LODE_OK);
      for (uint32_t i = n + 1; i <= cur.npages; i++) cur.seed[i] = 0;
      cur.npages = n;
    } else if (r < 63) {
      int d = 1 + (int)((rnd >> 12) % 3);
      CHECK_EQ_INT(pager_savepoint_begin(p, d), LODE_OK);
      nsp = sp_find(sp_depth, nsp, d);
      if (nsp < MODEL_MAX_SP) {
        sp_depth[nsp] = d;
        sp_state[nsp++] = cur;
      }
    } else if (r < 70) {
      int d = 1 + (int)((rnd >> 12) % 3);
      CHECK_EQ_INT(pager_savepoint_rollback(p, d), LODE_OK);
      int i = sp_find(sp_depth, nsp, d);
      if (i < nsp) {
        cur = sp_state[i];
        nsp = i + 1;
      }
    } else if (r < 74) {
      int d = 1 + (int)((rnd >> 12) % 3);
      CHECK_EQ_INT(pager_savepoint_release(p, d), LODE_OK);
      nsp = sp_find(sp_depth, nsp, d);
    } else if (r < 84) {
      CHECK_EQ_INT(pager_commit(p), LODE_OK);
      committed = cur;
      in_write = 0;
      pager_end_read(p);
    } else if (r < 88) {
      CHECK_EQ_INT(pager_rollback(p), LODE_OK);
      cur = committed;
      in_write = 0;
      pager_end_read(p);
    } else {
      uint32_t pgno = 1 + (rnd >> 12) % cur.npages;
      if (!model_page_ok(p, &cur, pgno)) failures++;
    }
    if (!in_write && !model_all_ok(p, &committed)) failures++;
    if (failures) TEST_FAIL_("model mismatch at step %d (op %u)", step, r);
  }
  if (in_write) pager_rollback(p);
  CHECK(model_all_ok(p, &committed));
  CHECK_EQ_INT(pager_close(p), LODE_OK);
  CHECK_EQ_INT(pager_open(db, 0, &p), LODE_OK);
  if (p) {
    CHECK(model_all_ok(p, &committed));
    pager_close(p);
  }
}

/* Random damage to a WAL never crashes recovery and never invents pages. */
TEST(damaged_wal_never_crashes) {
  DBPATH(db, "dmg.db");
  DBPATH(copy, "dmg2.db");
  remove_db(db);
  Pager *p;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &p), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  for (uint32_t g = 1; g <= 6; g++) CHECK_EQ_INT(write_pages(p, 2, 3 * g, g), LODE_OK);
  char wal[600], wal2[600];
  snprintf(wal, sizeof wal, "%s-wal", db);
  snprintf(wal2, sizeof wal2, "%s-wal", copy);
  int64_t n;
  uint8_t *orig = read_all(wal, &n);
  CHECK(orig != NULL);
  uint32_t rnd = 777;
  for (int it = 0; orig && it < 60; it++) {
    remove_db(copy);
    copy_file(db, copy);
    uint8_t *b = malloc((size_t)n);
    memcpy(b, orig, (size_t)n);
    rnd = rnd * 1103515245u + 12345u;
    int64_t len = it % 3 == 0 ? (int64_t)(rnd % (uint32_t)n) : n;
    for (int k = 0; k < 4; k++) {
      rnd = rnd * 1103515245u + 12345u;
      b[rnd % (uint32_t)n] ^= (uint8_t)(1 + (rnd >> 24) % 255);
    }
    FILE *f = fopen(wal2, "wb");
    fwrite(b, 1, (size_t)len, f);
    fclose(f);
    free(b);
    Pager *q;
    int rc = pager_open(copy, 0, &q);
    CHECK(rc == LODE_OK);
    if (rc != LODE_OK) continue;
    uint32_t np = pager_page_count(q);
    CHECK(np == 0 || np == 1 || (np >= 4 && np <= 19));
    for (uint32_t i = 1; i <= np; i++) {
      DbPage *pg;
      CHECK_EQ_INT(pager_get(q, i, &pg), LODE_OK);
      pager_unref(pg);
    }
    pager_close(q);
  }
  free(orig);
  pager_close(p);
}

/* The generation all pages 2..n carry, or -1 if they disagree (a torn commit). */
static int common_gen(Pager *p, uint32_t n) {
  int gen = -1;
  for (uint32_t g = 0; g < 256 && gen < 0; g++)
    if (check_pages(p, 2, 1, g)) gen = (int)g;
  if (gen < 0 || !check_pages(p, 2, n - 1, (uint32_t)gen)) return -1;
  return gen;
}

/* A child commits generation after generation and is killed with SIGKILL;
** the survivor holds one whole generation, at least the last acknowledged. */
TEST(sigkill_during_commits_keeps_a_whole_commit) {
  DBPATH(db, "kill.db");
  for (int round = 0; round < 4; round++) {
    remove_db(db);
    Pager *p;
    CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &p), LODE_OK);
    CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
    CHECK_EQ_INT(write_pages(p, 2, 30, 1), LODE_OK);
    pager_close(p);
    int fds[2];
    CHECK_EQ_INT(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      Pager *c;
      if (pager_open(db, 0, &c) != LODE_OK) _exit(1);
      /* Generations follow 1 (written above) as 2, 3, …, 250, 1, 2, …: the
      ** one after an acknowledged generation a is always a % 250 + 1. */
      for (uint32_t g = 1;; g++) {
        if (write_pages(c, 2, 30, g % 250 + 1) != LODE_OK) _exit(2);
        uint8_t ack = (uint8_t)(g % 250 + 1);
        if (write(fds[1], &ack, 1) != 1) _exit(3);
      }
    }
    close(fds[1]);
    usleep(20000 + 25000 * round);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    uint8_t acks[4096];
    int last = 1;
    ssize_t got;
    while ((got = read(fds[0], acks, sizeof acks)) > 0) last = acks[got - 1];
    close(fds[0]);
    CHECK_EQ_INT(pager_open(db, 0, &p), LODE_OK);
    if (!p) return;
    CHECK_EQ_INT(pager_page_count(p), 31);
    int gen = common_gen(p, 31);
    CHECK(gen == last || gen == last % 250 + 1); /* acked, or committed just before the kill */
    pager_close(p);
  }
}

/* Our WAL as sqlite3 reads it: the pages of database B are committed into
** database A through the pager, the process "crashes" (copies of db + WAL),
** and sqlite3 must find B's rows, i.e. accept every frame we wrote. */
TEST(sqlite3_reads_our_uncheckpointed_wal) {
  if (!have_sqlite3()) return;
  DBPATH(a, "ia.db");
  DBPATH(b, "ib.db");
  DBPATH(copy, "ic.db");
  remove_db(a);
  remove_db(b);
  remove_db(copy);
  char out[4096];
  run_sqlite3(a, "PRAGMA page_size=1024; CREATE TABLE t(x); INSERT INTO t VALUES(1);", out, sizeof out);
  run_sqlite3(b,
              "PRAGMA page_size=1024; CREATE TABLE t(x); "
              "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<300) "
              "INSERT INTO t SELECT i*2 FROM c;",
              out, sizeof out);
  int64_t nb;
  uint8_t *bb = read_all(b, &nb);
  CHECK(bb != NULL && nb % 1024 == 0);
  if (!bb) return;
  Pager *p;
  CHECK_EQ_INT(pager_open(a, 0, &p), LODE_OK);
  if (!p) return;
  CHECK_EQ_INT(pager_begin_write(p), LODE_OK);
  for (uint32_t i = 1; i <= nb / 1024; i++) {
    DbPage *pg;
    CHECK_EQ_INT(pager_get(p, i, &pg), LODE_OK);
    if (!pg) break;
    CHECK_EQ_INT(pager_write(pg), LODE_OK);
    memcpy(pg->data, bb + (i - 1) * 1024, 1024);
    pager_unref(pg);
  }
  CHECK_EQ_INT(pager_commit(p), LODE_OK);
  CHECK_EQ_INT(copy_file(a, copy), 0);
  CHECK_EQ_INT(copy_file(tpath("ia.db-wal"), tpath("ic.db-wal")), 0);
  pager_close(p);
  free(bb);
  run_sqlite3(copy, "PRAGMA integrity_check; SELECT count(*), sum(x) FROM t;", out, sizeof out);
  CHECK_EQ_STR(out, "ok\n300|90300\n");
}

/* ---- connections on several threads ------------------------------------------ */

typedef struct ThreadArg {
  const char *path;
  uint32_t gen_base;
  int errors;
  int commits;
} ThreadArg;

static void *writer_thread(void *v) {
  ThreadArg *a = v;
  Pager *p;
  if (pager_open(a->path, 0, &p) != LODE_OK) {
    a->errors++;
    return NULL;
  }
  for (uint32_t i = 0; i < 60; i++) {
    int rc;
    while ((rc = pager_begin_write(p)) == LODE_BUSY) sched_yield();
    if (rc != LODE_OK) {
      a->errors++;
      break;
    }
    /* Every commit writes pages 2..6 with one generation. */
    uint32_t gen = a->gen_base + i % 100;
    for (uint32_t pg = 2; pg <= 6 && rc == LODE_OK; pg++) {
      DbPage *d;
      rc = pager_get(p, pg, &d);
      if (rc == LODE_OK) rc = pager_write(d);
      if (rc == LODE_OK) fill(d, gen);
      pager_unref(d);
    }
    if (rc == LODE_OK) rc = pager_commit(p);
    pager_end_read(p);
    if (rc != LODE_OK) a->errors++;
    else a->commits++;
    /* A reader's view is always one whole commit. */
    if (pager_begin_read(p) != LODE_OK || common_gen(p, 6) < 0) a->errors++;
    pager_end_read(p);
  }
  if (pager_close(p) != LODE_OK) a->errors++;
  return NULL;
}

TEST(threads_share_a_file_safely) {
  DBPATH(db, "thr.db");
  remove_db(db);
  Pager *p;
  CHECK_EQ_INT(pager_open(db, PAGER_OPEN_CREATE, &p), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 1, 1, 0), LODE_OK);
  CHECK_EQ_INT(write_pages(p, 2, 5, 1), LODE_OK);
  pager_close(p);
  ThreadArg args[3] = {{db, 1, 0, 0}, {db, 71, 0, 0}, {db, 141, 0, 0}}; /* gens stay < 256 */
  pthread_t t[3];
  for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, writer_thread, &args[i]);
  for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
  for (int i = 0; i < 3; i++) {
    CHECK_EQ_INT(args[i].errors, 0);
    CHECK_EQ_INT(args[i].commits, 60);
  }
  CHECK(!file_exists(tpath("thr.db-wal"))); /* the last one out checkpointed */
  CHECK_EQ_INT(pager_open(db, 0, &p), LODE_OK);
  if (p) {
    int gen = common_gen(p, 6);
    CHECK(gen == 60 || gen == 130 || gen == 200);
    pager_close(p);
  }
}

TEST(alloc_failures_return_nomem) {
  for (int k = 1; k < 60; k++) {
    Pager *p = NULL;
    util_fail_alloc_after(k, 0);
    int rc = pager_open(":memory:", 0, &p);
    if (rc == LODE_OK) rc = write_pages(p, 1, 1, 0);
    if (rc == LODE_OK) rc = write_pages(p, 2, 5, 1);
    util_fail_alloc_after(0, 0);
    CHECK(rc == LODE_OK || rc == LODE_NOMEM);
    if (p) {
      if (rc != LODE_OK) pager_rollback(p);
      pager_close(p);
    }
  }
}

/* Every allocation of a file session in turn fails; what committed before
** the failure is intact afterwards. */
TEST(alloc_failures_on_files_keep_commits) {
  DBPATH(db, "oom.db");
  int committed_all = 0;
  for (int k = 1; k < 200 && !committed_all; k++) {
    remove_db(db);
    Pager *p = NULL;
    int ok_commits = 0;
    util_fail_alloc_after(k, 0);
    int rc = pager_open(db, PAGER_OPEN_CREATE, &p);
    if (rc == LODE_OK) rc = write_pages(p, 1, 1, 0);
    if (rc == LODE_OK && ++ok_commits) rc = write_pages(p, 2, 40, 1);
    if (rc == LODE_OK && ++ok_commits) rc = pager_checkpoint(p, PAGER_CKPT_TRUNCATE, NULL, NULL);
    util_fail_alloc_after(0, 0);
    CHECK(rc == LODE_OK || rc == LODE_NOMEM);
    committed_all = rc == LODE_OK;
    if (p) {
      pager_rollback(p);
      CHECK_EQ_INT(pager_close(p), LODE_OK);
    }
    if (ok_commits == 2) {
      CHECK_EQ_INT(pager_open(db, 0, &p), LODE_OK);
      if (p) {
        CHECK(check_pages(p, 2, 40, 1));
        pager_close(p);
      }
    }
  }
  CHECK(committed_all);
}

/* SQLite's definition, a pair of words at a time, in the host's order. */
static void checksum_by_pairs(const uint8_t *p, size_t n, uint32_t s[2]) {
  for (size_t i = 0; i < n; i += 8) {
    uint32_t x0, x1;
    memcpy(&x0, p + i, 4);
    memcpy(&x1, p + i + 4, 4);
    s[0] += x0 + s[1];
    s[1] += x1 + s[0];
  }
}

/* wal_checksum sums the quarters of a page side by side and joins them: the
** result must be the pair-by-pair chain's for every page size, start value,
** alignment and content (random words, and all ones to carry in every add). */
TEST(wal_checksum_equals_the_pair_by_pair_chain) {
  static uint8_t buf[65536 + 16];
  uint64_t x = 0x9e3779b97f4a7c15u;
  const size_t sizes[] = {8, 24, 64, 248, 256, 320, 512, 1024, 4096, 8192, 65536};
  for (int round = 0; round < 3; round++) {
    for (size_t i = 0; i < sizeof buf; i++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      buf[i] = round == 2 ? 0xff : (uint8_t)x;
    }
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++)
      for (size_t off = 0; off < 16; off += 4) {
        uint32_t want[2] = {(uint32_t)x, (uint32_t)(x >> 32)}, got[2] = {want[0], want[1]};
        checksum_by_pairs(buf + off, sizes[k], want);
        wal_checksum(wal_host_big_endian(), buf + off, sizes[k], got);
        CHECK(want[0] == got[0] && want[1] == got[1]);
      }
  }
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  snprintf(tmpdir, sizeof tmpdir, "/tmp/lode_test_pager_%d", (int)getpid());
  mkdir(tmpdir, 0700);
  RUN(wal_checksum_equals_the_pair_by_pair_chain);
  RUN(memory_write_commit_read);
  RUN(empty_path_is_private_memory);
  RUN(write_outside_write_txn_is_misuse);
  RUN(file_commit_reopen_read_back);
  RUN(rollback_restores_pages_and_count);
  RUN(savepoint_rollback_restores_preimages_and_count);
  RUN(savepoint_rollback_undoes_truncate);
  RUN(nested_savepoints);
  RUN(savepoints_share_preimages);
  RUN(rewrites_after_savepoint_changes_keep_preimages);
  RUN(wal_bytes_follow_sqlite_format);
  RUN(big_endian_checksum_wal_is_recovered);
  RUN(crash_copy_of_db_and_wal_sees_commit);
  RUN(torn_last_frame_loses_only_uncommitted_tail);
  RUN(corrupt_frame_checksum_stops_recovery);
  RUN(bad_wal_header_is_ignored);
  RUN(autocheckpoint_after_1000_frames_shrinks_wal);
  RUN(synchronous_levels);
  RUN(cache_budget_evicts_clean_pages_only);
  RUN(memory_larger_than_cache_keeps_every_page);
  RUN(memory_database_holds_one_copy);
  RUN(memory_transaction_out_of_memory_is_atomic);
  RUN(memory_preimages_follow_a_new_page_size);
  RUN(page_size_set_before_first_write);
  RUN(page_size_65536_is_encoded_as_1);
  RUN(not_a_database);
  RUN(readonly_open);
  /* The file tests once more over the POSIX backend when io_uring ran them. */
  if (strcmp(os_vfs_default()->name, "posix") != 0) {
    printf("-- again with LODE_IO=posix\n");
    setenv("LODE_IO", "posix", 1);
    RUN(file_commit_reopen_read_back);
    RUN(wal_bytes_follow_sqlite_format);
    RUN(crash_copy_of_db_and_wal_sees_commit);
    RUN(torn_last_frame_loses_only_uncommitted_tail);
    RUN(autocheckpoint_after_1000_frames_shrinks_wal);
    RUN(two_connections_snapshots_and_one_writer);
    unsetenv("LODE_IO");
  }
  RUN(sqlite3_legacy_file_roundtrip);
  RUN(sqlite3_wal_is_recovered);
  RUN(sqlite3_hot_journal_is_rolled_back);
  RUN(two_connections_snapshots_and_one_writer);
  RUN(readonly_then_readwrite_connection);
  RUN(journal_not_hot_is_removed_and_readonly_hot_refused);
  RUN(random_operations_match_model);
  RUN(damaged_wal_never_crashes);
  RUN(sigkill_during_commits_keeps_a_whole_commit);
  RUN(sqlite3_reads_our_uncheckpointed_wal);
  RUN(threads_share_a_file_safely);
  RUN(group_commit_shares_one_sync);
  RUN(group_sync_waits_for_other_threads_commits);
  RUN(group_sync_of_one_thread_never_waits);
  RUN(alloc_failures_return_nomem);
  RUN(alloc_failures_on_files_keep_commits);
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0) printf("could not remove %s\n", tmpdir);
  return test_summary();
}
