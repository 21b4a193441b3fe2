/*
** test_btree.c — unit tests for the b-tree layer (engine/src/btree) over the
** real pager, on files in /tmp and in memory, plus interop with the sqlite3
** CLI in both directions (skipped when /usr/bin/sqlite3 is missing).
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btree/btree.h"
#include "lode.h"
#include "pager/pager.h"
#include "testlib.h"
#include "util/util.h"

#define SQLITE3_CLI "/usr/bin/sqlite3"

typedef struct Db {
  Pager *pager;
  Btree *bt;
  char path[256];
} Db;

static void db_remove_files(const char *path) {
  char buf[300];
  unlink(path);
  snprintf(buf, sizeof buf, "%s-wal", path);
  unlink(buf);
  snprintf(buf, sizeof buf, "%s-journal", path);
  unlink(buf);
  snprintf(buf, sizeof buf, "%s-shm", path);
  unlink(buf);
}

/* name == NULL: in memory; otherwise a fresh file /tmp/lode_btree_<pid>_<name>.db */
static int db_open(Db *db, const char *name, int fresh) {
  int rc;
  memset(db, 0, sizeof(*db));
  if (name) {
    snprintf(db->path, sizeof db->path, "/tmp/lode_btree_%d_%s.db", (int)getpid(), name);
    if (fresh) db_remove_files(db->path);
  } else {
    strcpy(db->path, ":memory:");
  }
  rc = pager_open(db->path, PAGER_OPEN_CREATE, &db->pager);
  if (rc != LODE_OK) return rc;
  return btree_open(db->pager, &db->bt);
}

static void db_close(Db *db) {
  btree_close(db->bt);
  pager_close(db->pager);
}

static void db_unlink(Db *db) {
  if (strcmp(db->path, ":memory:") != 0) db_remove_files(db->path);
}

static uint32_t meta(Db *db, int off) {
  uint32_t v = 0;
  btree_get_meta(db->bt, off, &v);
  return v;
}

/* Deterministic payload for a rowid: n bytes derived from it. */
static void make_payload(int64_t rowid, uint8_t *buf, uint32_t n) {
  uint32_t i;
  uint64_t x = (uint64_t)rowid * 0x9E3779B97F4A7C15ull + 1;
  for (i = 0; i < n; i++) {
    x ^= x >> 13;
    x ^= x << 7;
    x ^= x >> 17;
    buf[i] = (uint8_t)x;
  }
}

static uint32_t payload_len_for(int64_t rowid) { return (uint32_t)(10 + (rowid * 7) % 90); }

static int check_integrity(Db *db, const uint32_t *roots, int nroots) {
  char *errors = NULL;
  int nerr = 0;
  int rc = btree_integrity_check(db->bt, roots, nroots, 100, &errors, &nerr);
  if (rc != LODE_OK) return -1;
  if (nerr > 0 && errors) printf("  integrity: %s\n", errors);
  util_free(errors);
  return nerr;
}

static void shuffle(int64_t *a, int n, uint64_t seed) {
  int i;
  for (i = n - 1; i > 0; i--) {
    int j;
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    j = (int)((seed >> 33) % (uint64_t)(i + 1));
    int64_t t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/* Iterates the whole table checking ascending order and payloads; returns count or -1. */
static int64_t scan_table(Db *db, uint32_t root, int check_payloads) {
  BtCursor *c;
  int eof, rc;
  int64_t n = 0, prev = INT64_MIN;
  uint8_t want[128], got[128];
  if (btree_cursor_open(db->bt, root, 0, &c) != LODE_OK) return -1;
  for (rc = btree_first(c, &eof); rc == LODE_OK && !eof; rc = btree_next(c, &eof)) {
    int64_t r = btree_rowid(c);
    if (r <= prev) {
      n = -1;
      break;
    }
    prev = r;
    if (check_payloads) {
      uint32_t len = payload_len_for(r);
      if (btree_payload_size(c) != len || btree_payload(c, 0, len, got) != LODE_OK) {
        n = -1;
        break;
      }
      make_payload(r, want, len);
      if (memcmp(want, got, len) != 0) {
        n = -1;
        break;
      }
    }
    n++;
  }
  if (rc != LODE_OK) n = -1;
  btree_cursor_close(c);
  return n;
}

static int insert_rows(Db *db, uint32_t root, const int64_t *rowids, int n) {
  BtCursor *c;
  uint8_t buf[128];
  int i, rc = btree_cursor_open(db->bt, root, 1, &c);
  if (rc != LODE_OK) return rc;
  for (i = 0; i < n && rc == LODE_OK; i++) {
    uint32_t len = payload_len_for(rowids[i]);
    make_payload(rowids[i], buf, len);
    rc = btree_insert(c, rowids[i], buf, len);
  }
  btree_cursor_close(c);
  return rc;
}

TEST(new_database_header) {
  Db db;
  BtCursor *c;
  int eof = 0;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(meta(&db, BTREE_META_SCHEMA_FORMAT), 4);
  CHECK_EQ_INT(meta(&db, BTREE_META_TEXT_ENCODING), 1);
  CHECK_EQ_INT(meta(&db, BTREE_META_FREELIST_COUNT), 0);
  CHECK_EQ_INT(btree_set_meta(db.bt, BTREE_META_USER_VERSION, 77), LODE_OK);
  CHECK_EQ_INT(meta(&db, BTREE_META_USER_VERSION), 77);
  CHECK_EQ_INT(btree_cursor_open(db.bt, BTREE_SCHEMA_ROOT, 0, &c), LODE_OK);
  CHECK_EQ_INT(btree_first(c, &eof), LODE_OK);
  CHECK_EQ_INT(eof, 1);
  CHECK(btree_eof(c));
  btree_cursor_close(c);
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
}

/* The schema cookie is read at every statement, without fetching page 1
** while nothing could have changed it: the value read follows this Btree's
** writes, its savepoint and transaction rollbacks, and another connection's
** commit taken in at the next read transaction. */
TEST(schema_cookie_follows_writes_rollbacks_and_other_commits) {
  Db a, b;
  CHECK_EQ_INT(db_open(&a, "cookie", 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(a.bt), LODE_OK);
  CHECK_EQ_INT(btree_set_meta(a.bt, BTREE_META_SCHEMA_COOKIE, 1), LODE_OK);
  CHECK_EQ_INT(btree_commit(a.bt), LODE_OK);
  btree_end_read(a.bt);
  CHECK_EQ_INT(btree_begin_read(a.bt), LODE_OK);
  CHECK_EQ_INT(meta(&a, BTREE_META_SCHEMA_COOKIE), 1);
  CHECK_EQ_INT(meta(&a, BTREE_META_SCHEMA_COOKIE), 1);
  btree_end_read(a.bt);
  CHECK_EQ_INT(btree_begin_write(a.bt), LODE_OK);
  CHECK_EQ_INT(meta(&a, BTREE_META_SCHEMA_COOKIE), 1);
  CHECK_EQ_INT(btree_set_meta(a.bt, BTREE_META_SCHEMA_COOKIE, 2), LODE_OK);
  CHECK_EQ_INT(meta(&a, BTREE_META_SCHEMA_COOKIE), 2);
  CHECK_EQ_INT(btree_savepoint_begin(a.bt, 1), LODE_OK);
  CHECK_EQ_INT(btree_set_meta(a.bt, BTREE_META_SCHEMA_COOKIE, 3), LODE_OK);
  CHECK_EQ_INT(meta(&a, BTREE_META_SCHEMA_COOKIE), 3);
  CHECK_EQ_INT(btree_savepoint_rollback(a.bt, 1), LODE_OK);
  CHECK_EQ_INT(meta(&a, BTREE_META_SCHEMA_COOKIE), 2);
  btree_rollback(a.bt);
  CHECK_EQ_INT(meta(&a, BTREE_META_SCHEMA_COOKIE), 1);
  btree_end_read(a.bt);
  /* Another connection to the file commits a new cookie. */
  CHECK_EQ_INT(db_open(&b, "cookie", 0), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(b.bt), LODE_OK);
  CHECK_EQ_INT(btree_set_meta(b.bt, BTREE_META_SCHEMA_COOKIE, 9), LODE_OK);
  CHECK_EQ_INT(btree_commit(b.bt), LODE_OK);
  btree_end_read(b.bt);
  CHECK_EQ_INT(btree_begin_read(a.bt), LODE_OK);
  CHECK_EQ_INT(meta(&a, BTREE_META_SCHEMA_COOKIE), 9);
  btree_end_read(a.bt);
  db_close(&b);
  db_close(&a);
  db_unlink(&a);
}

static void random_rows_test(const char *file) {
  enum { N = 100000 };
  Db db;
  uint32_t root = 0;
  int64_t *ids = malloc(sizeof(int64_t) * N);
  int i;
  for (i = 0; i < N; i++) ids[i] = (int64_t)i * 3 + 1;
  shuffle(ids, N, 42);
  CHECK_EQ_INT(db_open(&db, file, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(insert_rows(&db, root, ids, N), LODE_OK);
  CHECK_EQ_INT(scan_table(&db, root, 1), N);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_begin_read(db.bt), LODE_OK);
  CHECK_EQ_INT(scan_table(&db, root, 1), N);
  btree_end_read(db.bt);
  db_close(&db);
  if (file) {
    /* Reopen the file and read everything again. */
    CHECK_EQ_INT(db_open(&db, file, 0), LODE_OK);
    CHECK_EQ_INT(btree_begin_read(db.bt), LODE_OK);
    CHECK_EQ_INT(scan_table(&db, root, 1), N);
    btree_end_read(db.bt);
    db_close(&db);
    db_unlink(&db);
  }
  free(ids);
}

TEST(random_100k_rows_in_memory) { random_rows_test(NULL); }
TEST(random_100k_rows_on_file_and_reopen) { random_rows_test("random"); }

TEST(sequential_inserts_fill_pages) {
  enum { N = 20000 };
  Db db;
  uint32_t root;
  int64_t *ids = malloc(sizeof(int64_t) * N);
  int64_t total = 0;
  int i;
  for (i = 0; i < N; i++) {
    ids[i] = i + 1;
    total += payload_len_for(i + 1) + 2 + 3 + 2; /* cell + pointer */
  }
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(insert_rows(&db, root, ids, N), LODE_OK);
  CHECK_EQ_INT(scan_table(&db, root, 1), N);
  /* Leaves packed nearly full: at most 5% more pages than the bytes need. */
  CHECK(pager_page_count(db.pager) < (uint32_t)(total / (4096 - 8) * 105 / 100 + 10));
  {
    BtCursor *c;
    int64_t maxr;
    int empty;
    CHECK_EQ_INT(btree_cursor_open(db.bt, root, 0, &c), LODE_OK);
    CHECK_EQ_INT(btree_max_rowid(c, &maxr, &empty), LODE_OK);
    CHECK_EQ_INT(empty, 0);
    CHECK_EQ_INT(maxr, N);
    btree_cursor_close(c);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
  free(ids);
}

/* Rows in rowid order on 512-byte pages: full leaves are split off to the
** right without rebuilding them, parents fill up and split in turn (three
** levels and more), and one cursor keeps appending throughout. */
TEST(sequential_inserts_on_small_pages_split_parents_too) {
  enum { N = 30000 };
  Db db;
  uint32_t root;
  int64_t *ids = malloc(sizeof(int64_t) * N);
  int i;
  for (i = 0; i < N; i++) ids[i] = i + 1;
  CHECK_EQ_INT(db_open(&db, "seq512", 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, 512), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(insert_rows(&db, root, ids, N), LODE_OK);
  CHECK_EQ_INT(scan_table(&db, root, 1), N);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
  db_unlink(&db);
  free(ids);
}

/* Interior cells whose rowids take 6 to 9 varint bytes (an FTS5 %_data's ids are segid << 37 | page): inserted
** in random order on small pages, then every other row deleted, so that interior pages are split and merged and
** each of their cells sized in balance. */
TEST(long_rowid_varints_in_interior_pages_balance) {
  enum { N = 6000 };
  Db db;
  uint32_t root;
  int64_t *ids = malloc(sizeof(int64_t) * N);
  int i;
  for (i = 0; i < N; i++) {
    int64_t k = i / 3;
    if (i % 3 == 0) ids[i] = (k + 1) << 37 | k;             /* 6 and 7 bytes */
    else if (i % 3 == 1) ids[i] = ((int64_t)1 << 59) - 1000000 * k; /* 9 bytes (payload_len_for multiplies by 7) */
    else ids[i] = ((int64_t)1 << 56) + 1000003 * k;        /* 9 bytes */
  }
  shuffle(ids, N, 77);
  CHECK_EQ_INT(db_open(&db, "longkeys", 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, 512), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(insert_rows(&db, root, ids, N), LODE_OK);
  CHECK_EQ_INT(scan_table(&db, root, 1), N);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  {
    BtCursor *c;
    int cmp = 0, deleted = 0;
    CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
    for (i = 0; i < N; i += 2) {
      if (btree_seek_rowid(c, ids[i], &cmp) != LODE_OK || cmp != 0 || btree_delete(c) != LODE_OK) break;
      deleted++;
    }
    btree_cursor_close(c);
    CHECK_EQ_INT(deleted, N / 2);
  }
  CHECK_EQ_INT(scan_table(&db, root, 1), N / 2);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
  db_unlink(&db);
  free(ids);
}

/* Rows of more than half a page written into gaps of the table, in rowid order and against it (an FTS5
** %_data's leaves: a segment's pages, a row each, land between other segments' rows): each goes alone to a new
** leaf next to the full one it borders; the tree stays ordered, every row readable, every page accounted for. */
TEST(large_rows_written_into_gaps_take_new_leaves) {
  enum { SEGS = 40, PAGES = 20, LEN = 300 };
  Db db;
  uint32_t root;
  BtCursor *c;
  uint8_t buf[LEN], got[LEN];
  int s, p, eof, rc = LODE_OK;
  int64_t n = 0, prev = INT64_MIN;
  CHECK_EQ_INT(db_open(&db, "gaps", 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, 512), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  /* odd segments first, then the even ones between them ascending, then every fourth descending */
  for (int pass = 0; pass < 3 && rc == LODE_OK; pass++) {
    for (s = 1; s <= SEGS && rc == LODE_OK; s++) {
      if ((pass == 0) != (s % 2 == 1) || (pass > 0 && (s % 4 == 0) != (pass == 2))) continue;
      for (p = 1; p <= PAGES && rc == LODE_OK; p++) {
        int64_t id = (int64_t)s << 37 | (pass == 2 ? PAGES + 1 - p : p);
        make_payload(id, buf, LEN);
        rc = btree_insert(c, id, buf, LEN);
      }
    }
  }
  CHECK_EQ_INT(rc, LODE_OK);
  for (rc = btree_first(c, &eof); rc == LODE_OK && !eof; rc = btree_next(c, &eof)) {
    int64_t id = btree_rowid(c);
    make_payload(id, buf, LEN);
    if (id <= prev || btree_payload_size(c) != LEN || btree_payload(c, 0, LEN, got) != LODE_OK ||
        memcmp(buf, got, LEN) != 0)
      break;
    prev = id;
    n++;
  }
  btree_cursor_close(c);
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK_EQ_INT(n, SEGS * PAGES);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
  db_unlink(&db);
}

TEST(insert_existing_rowid_replaces) {
  Db db;
  uint32_t root;
  BtCursor *c;
  int cmp, eof;
  uint8_t *big = malloc(20000), small[5] = "hello", got[5];
  uint32_t free_before;
  memset(big, 'x', 20000);
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  CHECK_EQ_INT(btree_insert(c, 7, small, 5), LODE_OK);
  CHECK_EQ_INT(btree_insert(c, 5, big, 20000), LODE_OK);
  free_before = meta(&db, BTREE_META_FREELIST_COUNT);
  CHECK_EQ_INT(btree_insert(c, 5, small, 5), LODE_OK);
  /* The old overflow chain went to the freelist: 20000 bytes keep
  ** K = M + (P-M) % (U-4) = 489 + 19511 % 4092 = 3632 local, 16368 = 4 pages. */
  CHECK_EQ_INT(meta(&db, BTREE_META_FREELIST_COUNT), free_before + 4);
  CHECK_EQ_INT(btree_seek_rowid(c, 5, &cmp), LODE_OK);
  CHECK_EQ_INT(cmp, 0);
  CHECK_EQ_INT(btree_payload_size(c), 5);
  CHECK_EQ_INT(btree_payload(c, 0, 5, got), LODE_OK);
  CHECK(memcmp(got, "hello", 5) == 0);
  CHECK_EQ_INT(btree_first(c, &eof), LODE_OK);
  CHECK_EQ_INT(btree_next(c, &eof), LODE_OK);
  CHECK_EQ_INT(btree_next(c, &eof), LODE_OK);
  CHECK_EQ_INT(eof, 1);
  btree_cursor_close(c);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
  free(big);
}

/* Bytes p[4..] of a page: how many are c from offset 4 on, and whether the
** rest of the page is zero. */
static int overflow_run(const uint8_t *p, uint32_t page_size, uint8_t c, uint32_t *run) {
  uint32_t i = 4;
  while (i < page_size && p[i] == c) i++;
  *run = i - 4;
  while (i < page_size && p[i] == 0) i++;
  return i == page_size;
}

/* A row that keeps its overflowing length is written over its cell and
** chain (no page allocated or freed); a new chain built on pages off the
** freelist (leaves that keep what they held) holds nothing of their old
** bytes: the last page's tail is zero.
** 16365 bytes keep 489 on the page and fill three overflow pages and 3600
** bytes of a fourth. */
TEST(overflowing_rows_rewritten_in_place_and_reused_pages_cleared) {
  enum { N = 16365, BIG = 40000 };
  Db db;
  uint32_t root, pages, free_count, pg, run;
  BtCursor *c;
  int cmp, partial = 0;
  uint8_t *a = malloc(BIG), *got = malloc(BIG);
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  memset(a, 0xAA, BIG);
  CHECK_EQ_INT(btree_insert(c, 1, a, BIG), LODE_OK);
  memset(a, 0xBB, N);
  CHECK_EQ_INT(btree_insert(c, 1, a, N), LODE_OK); /* row 1's first chain (10 pages) goes to the freelist */
  CHECK(meta(&db, BTREE_META_FREELIST_COUNT) >= 8);
  memset(a, 0xCC, N);
  CHECK_EQ_INT(btree_insert(c, 2, a, N), LODE_OK); /* built on those pages, full of 0xAA */
  for (pg = 3; pg <= pager_page_count(db.pager); pg++) {
    DbPage *p;
    CHECK_EQ_INT(pager_get(db.pager, pg, &p), LODE_OK);
    if (p->data[4] == 0xCC) {
      CHECK(overflow_run(p->data, 4096, 0xCC, &run));
      if (run < 4092) partial++;
    }
    pager_unref(p);
  }
  CHECK_EQ_INT(partial, 1);
  /* Same length, bytes changed on the page and on the second overflow page. */
  pages = pager_page_count(db.pager);
  free_count = meta(&db, BTREE_META_FREELIST_COUNT);
  a[100] = 1;
  a[489 + 4092 + 7] = 2;
  CHECK_EQ_INT(btree_seek_rowid(c, 2, &cmp), LODE_OK);
  CHECK_EQ_INT(btree_insert(c, 2, a, N), LODE_OK);
  CHECK_EQ_INT(pager_page_count(db.pager), pages);
  CHECK_EQ_INT(meta(&db, BTREE_META_FREELIST_COUNT), free_count);
  CHECK_EQ_INT(btree_seek_rowid(c, 2, &cmp), LODE_OK);
  CHECK_EQ_INT(cmp, 0);
  CHECK_EQ_INT(btree_payload_size(c), N);
  CHECK_EQ_INT(btree_payload(c, 0, N, got), LODE_OK);
  CHECK(memcmp(got, a, N) == 0);
  /* Without a seek first, and a row whose bytes do not change at all. */
  CHECK_EQ_INT(btree_insert(c, 2, a, N), LODE_OK);
  CHECK_EQ_INT(btree_seek_rowid(c, 1, &cmp), LODE_OK);
  CHECK_EQ_INT(btree_payload(c, 0, N, got), LODE_OK);
  CHECK(got[0] == 0xBB && got[N - 1] == 0xBB);
  CHECK_EQ_INT(pager_page_count(db.pager), pages);
  CHECK_EQ_INT(meta(&db, BTREE_META_FREELIST_COUNT), free_count);
  btree_cursor_close(c);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
  free(a);
  free(got);
}

/* An insert right after a seek for its rowid reuses the seek's position
** (no second descent).  That position must not be trusted once the tree
** changed: here the probe is followed by a write through a second cursor,
** by an insert of the same rowid through the probing cursor, and by a
** delete, and every row must still end up once, in order. */
/* Two fresh databases of 1024-byte pages, each with a table b-tree and a
** write cursor on it, in a write transaction: the same operations on both,
** by two paths, must leave the same pages. */
static void twins_open(Db db[2], uint32_t root[2], BtCursor *c[2]) {
  for (int d = 0; d < 2; d++) {
    CHECK_EQ_INT(db_open(&db[d], NULL, 1), LODE_OK);
    CHECK_EQ_INT(pager_set_page_size(db[d].pager, 1024), LODE_OK);
    CHECK_EQ_INT(btree_begin_write(db[d].bt), LODE_OK);
    CHECK_EQ_INT(btree_create(db[d].bt, BTREE_INTKEY, &root[d]), LODE_OK);
    CHECK_EQ_INT(btree_cursor_open(db[d].bt, root[d], 1, &c[d]), LODE_OK);
  }
}

/* Checks that the twins hold the same pages byte for byte; their page count. */
static uint32_t twins_same_pages(Db db[2]) {
  CHECK_EQ_INT(pager_page_count(db[0].pager), pager_page_count(db[1].pager));
  for (uint32_t pg = 1; pg <= pager_page_count(db[0].pager); pg++) {
    DbPage *p0, *p1;
    CHECK_EQ_INT(pager_get(db[0].pager, pg, &p0), LODE_OK);
    CHECK_EQ_INT(pager_get(db[1].pager, pg, &p1), LODE_OK);
    CHECK(memcmp(p0->data, p1->data, 1024) == 0);
    pager_unref(p0);
    pager_unref(p1);
  }
  return pager_page_count(db[0].pager);
}

/* Closes the twins' cursors, checks each one's integrity, commits, closes. */
static void twins_close(Db db[2], uint32_t root[2], BtCursor *c[2]) {
  for (int d = 0; d < 2; d++) {
    uint32_t roots[2] = {1, root[d]};
    btree_cursor_close(c[d]);
    CHECK_EQ_INT(check_integrity(&db[d], roots, 2), 0);
    CHECK_EQ_INT(btree_commit(db[d].bt), LODE_OK);
    db_close(&db[d]);
  }
}

/* A row rewritten with another size where the cursor stands (an UPDATE's
** Insert right after its seek) is placed as the general path places it
** after a seek of its own: the same bytes on every page, through rows that
** grow, shrink, overflow, empty a leaf's room and split leaves. */
TEST(row_resized_in_place_matches_the_general_path) {
  enum { N = 500, STEPS = 4000 };
  Db db[2];
  uint32_t root[2];
  BtCursor *c[2];
  static uint8_t val[1600];
  uint64_t rng = 12345;
  int cmp, d;
  twins_open(db, root, c);
  for (d = 0; d < 2; d++) {
    for (int64_t k = 1; k <= N; k++) {
      memset(val, (int)(k & 0x7f), 30);
      CHECK_EQ_INT(btree_insert(c[d], k, val, 10 + (uint32_t)(k % 30)), LODE_OK);
    }
  }
  for (int step = 0; step < STEPS; step++) {
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    int64_t k = 1 + (int64_t)((rng >> 33) % N);
    int r = (int)((rng >> 20) % 100);
    /* Mostly a few bytes more or less, sometimes much larger, rarely past the
    ** page (a length of its own each time: an overflowing row rewritten with
    ** its old length is overwritten in place only by a cursor already on it). */
    uint32_t n = r < 70 ? 5 + (uint32_t)((rng >> 8) % 60) : r < 97 ? 100 + (uint32_t)((rng >> 8) % 300) : 1100 + (uint32_t)(step % 499);
    memset(val, (int)(step & 0xff), n);
    /* Database 0: the cursor on the row, as the seek left it. */
    CHECK_EQ_INT(btree_seek_rowid(c[0], k, &cmp), LODE_OK);
    CHECK_EQ_INT(cmp, 0);
    CHECK_EQ_INT(btree_insert(c[0], k, val, n), LODE_OK);
    /* Database 1: the cursor on another row, so the insert seeks. */
    CHECK_EQ_INT(btree_seek_rowid(c[1], k == 1 ? 2 : 1, &cmp), LODE_OK);
    CHECK_EQ_INT(btree_insert(c[1], k, val, n), LODE_OK);
  }
  CHECK(twins_same_pages(db) > 40); /* the leaves did split */
  twins_close(db, root, c);
}

/* A row rewritten at another size with the bytes of a neighbour on the same
** leaf (a payload that points into the page, as a record borrowed from another
** row is) ends up as those bytes, whatever room-making does to the page: the
** same rewrites with a copy of the bytes leave every page identical. */
TEST(row_resized_from_bytes_on_its_own_page_matches_a_copy) {
  enum { N = 300, STEPS = 3000 };
  Db db[2];
  uint32_t root[2];
  BtCursor *c[2], *other;
  static uint8_t val[200], copy[200];
  uint64_t rng = 777;
  int cmp, d;
  twins_open(db, root, c);
  for (d = 0; d < 2; d++) {
    for (int64_t k = 1; k <= N; k++) {
      memset(val, (int)(k & 0x7f), sizeof val);
      CHECK_EQ_INT(btree_insert(c[d], k, val, 8 + (uint32_t)(k % 40)), LODE_OK);
    }
  }
  CHECK_EQ_INT(btree_cursor_open(db[0].bt, root[0], 0, &other), LODE_OK);
  for (int step = 0; step < STEPS; step++) {
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    int64_t k = 1 + (int64_t)((rng >> 33) % (N - 1));
    uint32_t n = 0, avail = 0;
    const uint8_t *from;
    /* The neighbour's payload, as stored (database 0 reads it in place). */
    CHECK_EQ_INT(btree_seek_rowid(other, k + 1, &cmp), LODE_OK);
    CHECK_EQ_INT(cmp, 0);
    from = btree_payload_view(other, &avail, &n);
    CHECK(from != NULL && avail == n && n <= sizeof copy);
    memcpy(copy, from, n);
    CHECK_EQ_INT(btree_seek_rowid(c[0], k, &cmp), LODE_OK);
    CHECK_EQ_INT(cmp, 0);
    CHECK_EQ_INT(btree_insert(c[0], k, from, n), LODE_OK);
    CHECK_EQ_INT(btree_seek_rowid(c[1], k, &cmp), LODE_OK);
    CHECK_EQ_INT(btree_insert(c[1], k, copy, n), LODE_OK);
    /* Then a size of its own for the neighbour, so that sizes keep changing. */
    memset(val, (int)(step & 0xff), sizeof val);
    n = 5 + (uint32_t)((rng >> 8) % 60);
    for (d = 0; d < 2; d++) {
      CHECK_EQ_INT(btree_seek_rowid(c[d], k + 1, &cmp), LODE_OK);
      CHECK_EQ_INT(btree_insert(c[d], k + 1, val, n), LODE_OK);
    }
  }
  btree_cursor_close(other);
  twins_same_pages(db);
  twins_close(db, root, c);
}

/* btree_seek_rowid_stay says the cursor stayed only when it already stood on
** the row sought with nothing written since (the row read before the seek is
** then still the row): after a seek or a step onto it, and after the cursor's
** own rewrite of it, but not after a seek elsewhere, a delete of the row, a
** write through another cursor, or a rewrite that split the leaf. */
TEST(seek_rowid_stays_only_on_the_row_sought) {
  enum { N = 600 };
  Db db;
  uint32_t root;
  BtCursor *a, *b;
  uint8_t val[300];
  int64_t i;
  int cmp, eof, stayed;
  memset(val, 'v', sizeof val);
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, 1024), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &a), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &b), LODE_OK);
  for (i = 1; i <= N; i++) CHECK_EQ_INT(btree_insert(a, i, val, 20), LODE_OK);
  /* A seek that moves, then the same seek again. */
  CHECK_EQ_INT(btree_seek_rowid_stay(a, 77, &cmp, &stayed), LODE_OK);
  CHECK_EQ_INT(cmp, 0);
  CHECK_EQ_INT(stayed, 0);
  CHECK_EQ_INT(btree_seek_rowid_stay(a, 77, &cmp, &stayed), LODE_OK);
  CHECK_EQ_INT(cmp, 0);
  CHECK_EQ_INT(stayed, 1);
  CHECK_EQ_INT(btree_rowid(a), 77);
  /* Another row of the same leaf: a move. */
  CHECK_EQ_INT(btree_seek_rowid_stay(a, 78, &cmp, &stayed), LODE_OK);
  CHECK_EQ_INT(stayed, 0);
  CHECK_EQ_INT(btree_rowid(a), 78);
  /* A step onto a row, then a seek for it. */
  CHECK_EQ_INT(btree_next(a, &eof), LODE_OK);
  CHECK_EQ_INT(eof, 0);
  CHECK_EQ_INT(btree_seek_rowid_stay(a, 79, &cmp, &stayed), LODE_OK);
  CHECK_EQ_INT(stayed, 1);
  CHECK_EQ_INT(cmp, 0);
  /* The cursor's own rewrite of the row (same size, then larger) keeps it there. */
  CHECK_EQ_INT(btree_insert(a, 79, val, 20), LODE_OK);
  CHECK_EQ_INT(btree_seek_rowid_stay(a, 79, &cmp, &stayed), LODE_OK);
  CHECK_EQ_INT(stayed, 1);
  CHECK_EQ_INT(btree_insert(a, 79, val, 24), LODE_OK);
  CHECK_EQ_INT(btree_seek_rowid_stay(a, 79, &cmp, &stayed), LODE_OK);
  CHECK_EQ_INT(cmp, 0);
  CHECK_EQ_INT(btree_rowid(a), 79);
  /* A write through another cursor: this one is saved and must look again. */
  CHECK_EQ_INT(btree_insert(b, 80, val, 40), LODE_OK);
  CHECK_EQ_INT(btree_seek_rowid_stay(a, 79, &cmp, &stayed), LODE_OK);
  CHECK_EQ_INT(cmp, 0);
  CHECK_EQ_INT(stayed, 0);
  CHECK_EQ_INT(btree_rowid(a), 79);
  /* The row deleted: the seek does not find it, nor stays. */
  CHECK_EQ_INT(btree_delete(a), LODE_OK);
  CHECK_EQ_INT(btree_seek_rowid_stay(a, 79, &cmp, &stayed), LODE_OK);
  CHECK(cmp != 0);
  CHECK_EQ_INT(stayed, 0);
  /* Rows grown until their leaves split, each found right after its rewrite. */
  for (i = 100; i < 200; i++) {
    CHECK_EQ_INT(btree_seek_rowid_stay(a, i, &cmp, &stayed), LODE_OK);
    CHECK_EQ_INT(cmp, 0);
    CHECK_EQ_INT(btree_insert(a, i, val, 20 + (uint32_t)(i % 7) * 40), LODE_OK);
    CHECK_EQ_INT(btree_seek_rowid_stay(a, i, &cmp, &stayed), LODE_OK);
    CHECK_EQ_INT(cmp, 0);
    CHECK_EQ_INT(btree_rowid(a), i);
  }
  btree_cursor_close(a);
  btree_cursor_close(b);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
}

TEST(insert_after_probe_reuses_only_a_current_seek) {
  enum { N = 4000 };
  Db db;
  uint32_t root;
  BtCursor *a, *b;
  uint8_t val[40];
  int64_t i, prev = 0;
  int cmp, eof, rc, n = 0, ordered = 1;
  memset(val, 'v', sizeof val);
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, 1024), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &a), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &b), LODE_OK);
  for (i = 0; i < N; i++) {
    int64_t k = (i * 7919) % N + 1; /* every rowid 1..N once, out of order */
    CHECK_EQ_INT(btree_seek_rowid(a, k, &cmp), LODE_OK);
    if (!btree_eof(a)) CHECK(cmp != 0);
    if (i % 3 == 1) CHECK_EQ_INT(btree_insert(b, k + N, val, 10), LODE_OK); /* another cursor writes */
    CHECK_EQ_INT(btree_insert(a, k, val, (uint32_t)(k % 40)), LODE_OK);
    if (i % 5 == 2) CHECK_EQ_INT(btree_insert(a, k, val, 3), LODE_OK); /* same rowid again: replaces */
    if (i % 7 == 3) {
      CHECK_EQ_INT(btree_seek_rowid(a, k, &cmp), LODE_OK);
      CHECK_EQ_INT(cmp, 0);
      CHECK_EQ_INT(btree_delete(a), LODE_OK);
      CHECK_EQ_INT(btree_insert(a, k, val, 5), LODE_OK);
    }
  }
  for (rc = btree_first(a, &eof); rc == LODE_OK && !eof; rc = btree_next(a, &eof)) {
    int64_t r = btree_rowid(a);
    if (n > 0 && r <= prev) ordered = 0;
    prev = r;
    n++;
  }
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK(ordered);
  CHECK_EQ_INT(n, N + (N + 1) / 3); /* i % 3 == 1 for (N + 1) / 3 values of i */
  btree_cursor_close(a);
  btree_cursor_close(b);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
}

TEST(delete_every_other_row) {
  enum { N = 30000 };
  Db db;
  uint32_t root;
  BtCursor *c;
  int64_t *ids = malloc(sizeof(int64_t) * N), expect = 1, count = 0;
  int i, eof, rc;
  for (i = 0; i < N; i++) ids[i] = i + 1;
  shuffle(ids, N, 7);
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(insert_rows(&db, root, ids, N), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  /* A DELETE ... WHERE loop: delete even rowids, then next. */
  for (rc = btree_first(c, &eof); rc == LODE_OK && !eof;) {
    if (btree_rowid(c) % 2 == 0) {
      rc = btree_delete(c);
      if (rc != LODE_OK) break;
    }
    rc = btree_next(c, &eof);
  }
  CHECK_EQ_INT(rc, LODE_OK);
  for (rc = btree_first(c, &eof); rc == LODE_OK && !eof; rc = btree_next(c, &eof)) {
    if (btree_rowid(c) != expect) break;
    expect += 2;
    count++;
  }
  CHECK_EQ_INT(count, N / 2);
  /* Backwards too. */
  count = 0;
  for (rc = btree_last(c, &eof); rc == LODE_OK && !eof; rc = btree_prev(c, &eof)) count++;
  CHECK_EQ_INT(count, N / 2);
  btree_cursor_close(c);
  CHECK_EQ_INT(scan_table(&db, root, 1), N / 2);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
  free(ids);
}

TEST(delete_all_rows_shrinks_tree) {
  enum { N = 20000 };
  Db db;
  uint32_t root;
  BtCursor *c;
  int64_t *ids = malloc(sizeof(int64_t) * N);
  int i, eof, rc, n = 0;
  for (i = 0; i < N; i++) ids[i] = i + 1;
  shuffle(ids, N, 9);
  CHECK_EQ_INT(db_open(&db, "delall", 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(insert_rows(&db, root, ids, N), LODE_OK);
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  CHECK(pager_page_count(db.pager) > 100);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  /* Delete in random order by seeking. */
  for (i = 0; i < N; i++) {
    int cmp;
    rc = btree_seek_rowid(c, ids[(i * 7919) % N], &cmp);
    if (rc != LODE_OK || cmp != 0) break;
    rc = btree_delete(c);
    if (rc != LODE_OK) break;
    n++;
  }
  CHECK_EQ_INT(n, N);
  CHECK_EQ_INT(btree_first(c, &eof), LODE_OK);
  CHECK_EQ_INT(eof, 1);
  btree_cursor_close(c);
  /* Only page 1 and the (empty) root are in use. */
  CHECK_EQ_INT(pager_page_count(db.pager) - meta(&db, BTREE_META_FREELIST_COUNT), 2);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
  db_unlink(&db);
  free(ids);
}

static void overflow_roundtrip(Db *db, uint32_t n) {
  uint32_t root;
  BtCursor *c;
  uint8_t *data = malloc(n), *got = malloc(n);
  int cmp;
  make_payload(n, data, n);
  CHECK_EQ_INT(btree_create(db->bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db->bt, root, 1, &c), LODE_OK);
  CHECK_EQ_INT(btree_insert(c, 1, "a", 1), LODE_OK);
  CHECK_EQ_INT(btree_insert(c, 2, data, n), LODE_OK);
  CHECK_EQ_INT(btree_insert(c, 3, "c", 1), LODE_OK);
  CHECK_EQ_INT(btree_seek_rowid(c, 2, &cmp), LODE_OK);
  CHECK_EQ_INT(cmp, 0);
  CHECK_EQ_INT(btree_payload_size(c), n);
  memset(got, 0, n);
  CHECK_EQ_INT(btree_payload(c, 0, n, got), LODE_OK);
  CHECK(memcmp(got, data, n) == 0);
  /* A slice from the middle of the overflow chain. */
  CHECK_EQ_INT(btree_payload(c, n / 2, 100, got), LODE_OK);
  CHECK(memcmp(got, data + n / 2, 100) == 0);
  CHECK_EQ_INT(btree_payload(c, n - 1, 2, got), LODE_CORRUPT);
  btree_cursor_close(c);
  free(data);
  free(got);
}

TEST(overflow_payloads_round_trip) {
  Db db;
  uint32_t roots[3] = {1, 2, 0};
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  overflow_roundtrip(&db, 10 * 1024);
  overflow_roundtrip(&db, 1024 * 1024);
  {
    /* the second table's root is the page after the first table's chain */
    BtCursor *c;
    int eof;
    uint32_t r;
    for (r = 3; r < pager_page_count(db.pager); r++) {
      if (btree_cursor_open(db.bt, r, 0, &c) != LODE_OK) continue;
      if (btree_first(c, &eof) == LODE_OK && !eof && btree_rowid(c) == 1) roots[2] = r;
      btree_cursor_close(c);
      if (roots[2]) break;
    }
  }
  CHECK(roots[2] != 0);
  CHECK_EQ_INT(check_integrity(&db, roots, 3), 0);
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
}

TEST(drop_frees_pages_for_reuse) {
  enum { N = 5000 };
  Db db;
  uint32_t root, root2, pages;
  int64_t ids[N];
  int i;
  for (i = 0; i < N; i++) ids[i] = i + 1;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(insert_rows(&db, root, ids, N), LODE_OK);
  pages = pager_page_count(db.pager);
  uint32_t moved = 1;
  CHECK_EQ_INT(btree_drop(db.bt, root, &moved), LODE_OK);
  CHECK_EQ_INT(moved, 0); /* no auto-vacuum: no root moves */
  CHECK_EQ_INT(meta(&db, BTREE_META_FREELIST_COUNT), pages - 1);
  {
    uint32_t roots[1] = {1};
    CHECK_EQ_INT(check_integrity(&db, roots, 1), 0);
  }
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root2), LODE_OK);
  CHECK_EQ_INT(insert_rows(&db, root2, ids, N), LODE_OK);
  CHECK_EQ_INT(pager_page_count(db.pager), pages);
  CHECK_EQ_INT(meta(&db, BTREE_META_FREELIST_COUNT), 0);
  CHECK_EQ_INT(scan_table(&db, root2, 1), N);
  {
    int64_t nrows = 0;
    CHECK_EQ_INT(btree_clear(db.bt, root2, &nrows), LODE_OK);
    CHECK_EQ_INT(nrows, N);
    CHECK_EQ_INT(scan_table(&db, root2, 0), 0);
    CHECK_EQ_INT(meta(&db, BTREE_META_FREELIST_COUNT), pages - 2);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
}

TEST(seek_exact_and_nearest) {
  Db db;
  uint32_t root;
  BtCursor *c;
  int64_t ids[3000];
  int i, cmp, eof;
  for (i = 0; i < 3000; i++) ids[i] = (i + 1) * 10;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  CHECK_EQ_INT(btree_seek_rowid(c, 5, &cmp), LODE_OK);
  CHECK(btree_eof(c));
  btree_cursor_close(c);
  CHECK_EQ_INT(insert_rows(&db, root, ids, 3000), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 0, &c), LODE_OK);
  CHECK_EQ_INT(btree_seek_rowid(c, 12340, &cmp), LODE_OK);
  CHECK_EQ_INT(cmp, 0);
  CHECK_EQ_INT(btree_rowid(c), 12340);
  CHECK_EQ_INT(btree_seek_rowid(c, 12345, &cmp), LODE_OK);
  CHECK(cmp != 0);
  CHECK(btree_rowid(c) == (cmp < 0 ? 12340 : 12350));
  /* From a nearest position, next/prev bracket the missing key. */
  if (cmp < 0) CHECK_EQ_INT(btree_next(c, &eof), LODE_OK);
  CHECK_EQ_INT(btree_rowid(c), 12350);
  CHECK_EQ_INT(btree_prev(c, &eof), LODE_OK);
  CHECK_EQ_INT(btree_rowid(c), 12340);
  CHECK_EQ_INT(btree_seek_rowid(c, 1, &cmp), LODE_OK);
  CHECK(cmp > 0);
  CHECK_EQ_INT(btree_rowid(c), 10);
  CHECK_EQ_INT(btree_seek_rowid(c, 99999999, &cmp), LODE_OK);
  CHECK(cmp < 0);
  CHECK_EQ_INT(btree_rowid(c), 30000);
  CHECK_EQ_INT(btree_next(c, &eof), LODE_OK);
  CHECK_EQ_INT(eof, 1);
  btree_cursor_close(c);
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
}

static int cmp_rowids(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

/* Rowids of every varint length (1 to 9 bytes) on small pages: a page's cells near its end, whose varints a
** probe cannot read without bounds, are common there.  Every rowid is found, and a seek for one that is missing
** lands on a neighbour of it, as the sorted list says. */
TEST(seek_lands_beside_missing_rowids_of_every_varint_length) {
  enum { N = 4000 };
  Db db;
  uint32_t root;
  BtCursor *c;
  int64_t *ids = malloc(sizeof(int64_t) * N), *sorted = malloc(sizeof(int64_t) * N);
  int i, found = 0, beside = 0;
  /* An odd number under 2^10 shifted by 6 * j + 1: its trailing zeros tell j, so no two collide; all even, so
  ** k + 1 is missing; all below 2^60, as payload_len_for needs. */
  for (i = 0; i < N; i++) ids[i] = (int64_t)(2 * (i / 9) + 1) << (6 * (i % 9) + 1);
  shuffle(ids, N, 5);
  memcpy(sorted, ids, sizeof(int64_t) * N);
  qsort(sorted, N, sizeof(int64_t), cmp_rowids);
  for (i = 1; i < N; i++) CHECK(sorted[i] != sorted[i - 1]);
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, 512), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(insert_rows(&db, root, ids, N), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 0, &c), LODE_OK);
  for (i = 0; i < N; i++) {
    int cmp = 2;
    if (btree_seek_rowid(c, sorted[i], &cmp) == LODE_OK && cmp == 0 && btree_rowid(c) == sorted[i]) found++;
    /* The same cursor, one past the row: the cell it stands on or the next one. */
    if (btree_seek_rowid(c, sorted[i] + 1, &cmp) != LODE_OK || btree_eof(c)) continue;
    if (cmp < 0 ? btree_rowid(c) == sorted[i] : cmp > 0 && i + 1 < N && btree_rowid(c) == sorted[i + 1]) beside++;
  }
  CHECK_EQ_INT(found, N);
  CHECK_EQ_INT(beside, N);
  btree_cursor_close(c);
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
  free(ids);
  free(sorted);
}

/* A seek for a larger rowid from the last row of the table stays there
** (the cursor an INSERT's new rowid left), while one from the last row of
** any other leaf still finds the row after it on the next leaf. */
TEST(seek_from_a_leaf_end_only_stays_at_the_table_end) {
  Db db;
  uint32_t root;
  BtCursor *c;
  int64_t ids[3000], prev = 0;
  int i, cmp, eof, ok = 1;
  for (i = 0; i < 3000; i++) ids[i] = (i + 1) * 10;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(insert_rows(&db, root, ids, 3000), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  /* Each row in turn, then a rowid between it and the next. */
  for (i = 0; i < 3000 && ok; i++) {
    if (btree_seek_rowid(c, ids[i], &cmp) != LODE_OK || cmp != 0) ok = 0;
    if (ok && btree_seek_rowid(c, ids[i] + 5, &cmp) != LODE_OK) ok = 0;
    if (ok && i < 2999) ok = btree_rowid(c) == (cmp < 0 ? ids[i] : ids[i + 1]);
    if (ok && i == 2999) ok = cmp < 0 && btree_rowid(c) == ids[i];
  }
  CHECK(ok);
  /* Appends from btree_last, as INSERT's new rowids do. */
  for (i = 0; i < 2000 && ok; i++) {
    uint8_t buf[128];
    uint32_t len;
    int64_t last, r;
    if (btree_last(c, &eof) != LODE_OK || eof) ok = 0;
    last = ok ? btree_rowid(c) : 0;
    r = last + 1;
    len = payload_len_for(r);
    make_payload(r, buf, len);
    if (ok && btree_insert(c, r, buf, len) != LODE_OK) ok = 0;
  }
  CHECK(ok);
  CHECK_EQ_INT(btree_first(c, &eof), LODE_OK);
  for (i = 0; !eof && ok; i++) {
    int64_t r = btree_rowid(c);
    ok = r > prev;
    prev = r;
    if (btree_next(c, &eof) != LODE_OK) ok = 0;
  }
  CHECK(ok);
  CHECK_EQ_INT(i, 5000);
  CHECK_EQ_INT(prev, 30000 + 2000);
  btree_cursor_close(c);
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
}

/* A seek from a cursor already on a row searches only that row's leaf when
** the leaf spans the rowid sought: from every row, seeks of the rows and gaps
** around it, of its leaf's ends and past them, and of random rowids end where
** a fresh cursor's full descent ends, with the same result. */
TEST(seek_from_a_row_ends_where_a_descent_does) {
  Db db;
  uint32_t root;
  BtCursor *c, *fresh;
  int64_t ids[3000];
  uint64_t rng = 0x9e3779b97f4a7c15ull;
  int i, ok = 1, seeks = 0;
  for (i = 0; i < 3000; i++) ids[i] = (i + 1) * 10;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(insert_rows(&db, root, ids, 3000), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 0, &c), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 0, &fresh), LODE_OK);
  for (i = 0; i < 3000 && ok; i++) {
    int64_t want[12] = {ids[i] - 20, ids[i] - 15, ids[i] - 10, ids[i] - 5, ids[i] + 5, ids[i] + 10, ids[i] + 15,
                        ids[i] + 20, ids[i] + 400, ids[i] - 400, 0, 0};
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    want[10] = (int64_t)(rng >> 33) % 30020;
    want[11] = want[10] - want[10] % 10;
    for (int w = 0; w < 12 && ok; w++) {
      int cmp, cmp2;
      if (btree_seek_rowid(c, ids[i], &cmp) != LODE_OK || cmp != 0) ok = 0;
      if (ok && btree_seek_rowid(c, want[w], &cmp) != LODE_OK) ok = 0;
      /* A fresh cursor: its seek descends from the root. */
      btree_cursor_close(fresh);
      if (btree_cursor_open(db.bt, root, 0, &fresh) != LODE_OK) ok = 0;
      if (ok && btree_seek_rowid(fresh, want[w], &cmp2) != LODE_OK) ok = 0;
      if (ok && (cmp != cmp2 || btree_eof(c) != btree_eof(fresh) || (!btree_eof(c) && btree_rowid(c) != btree_rowid(fresh)))) {
        fprintf(stderr, "    from %lld seeking %lld: cmp %d rowid %lld, descent cmp %d rowid %lld\n", (long long)ids[i],
                (long long)want[w], cmp, (long long)btree_rowid(c), cmp2, (long long)btree_rowid(fresh));
        ok = 0;
      }
      seeks++;
    }
  }
  CHECK(ok);
  CHECK_EQ_INT(seeks, 36000);
  btree_cursor_close(fresh);
  btree_cursor_close(c);
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
}

TEST(other_cursor_survives_writes) {
  Db db;
  uint32_t root;
  BtCursor *r, *w;
  int64_t ids[2000];
  int i, eof, rc, seen = 0;
  for (i = 0; i < 2000; i++) ids[i] = (i + 1) * 2;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(insert_rows(&db, root, ids, 2000), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 0, &r), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &w), LODE_OK);
  /* The reader walks even rowids while the writer inserts odd ones ahead
  ** of it, splitting the pages the reader stands on. */
  for (rc = btree_first(r, &eof); rc == LODE_OK && !eof; rc = btree_next(r, &eof)) {
    int64_t cur = btree_rowid(r);
    uint8_t pad[300] = {0};
    if (cur % 2 != 0) break;
    seen++;
    if (cur + 1001 <= 4000) CHECK_EQ_INT(btree_insert(w, cur + 1001, pad, sizeof pad), LODE_OK);
  }
  CHECK_EQ_INT(rc, LODE_OK);
  /* Stopped at the first odd rowid inserted ahead: 1003. */
  CHECK_EQ_INT(btree_rowid(r), 1003);
  CHECK_EQ_INT(seen, 501);
  btree_cursor_close(r);
  btree_cursor_close(w);
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
}

/* Mixed random inserts, replaces and deletes on 512-byte pages against a
** model, with integrity checks between rounds. */
TEST(small_pages_random_mixed_operations) {
  enum { N = 4000 };
  Db db;
  uint32_t root;
  BtCursor *c;
  static uint32_t model[N + 1]; /* payload length + 1 per rowid, 0 = absent */
  uint8_t *buf = malloc(5000), *got = malloc(5000);
  uint64_t seed = 12345;
  int round, op, rc = LODE_OK, ok = 1;
  memset(model, 0, sizeof model);
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, 512), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  for (round = 0; round < 4 && rc == LODE_OK; round++) {
    for (op = 0; op < 6000 && rc == LODE_OK; op++) {
      int64_t r;
      int cmp;
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      r = (int64_t)((seed >> 33) % N) + 1;
      if (((seed >> 20) & 3) != 0 || round == 0) {
        uint32_t len = (uint32_t)((seed >> 40) % 7 == 0 ? (seed >> 44) % 4000 : (seed >> 44) % 60);
        make_payload(r + len, buf, len);
        rc = btree_insert(c, r, buf, len);
        model[r] = len + 1;
      } else {
        rc = btree_seek_rowid(c, r, &cmp);
        if (rc == LODE_OK && (cmp == 0) != (model[r] != 0)) ok = 0;
        if (rc == LODE_OK && cmp == 0) rc = btree_delete(c);
        model[r] = 0;
      }
    }
    CHECK_EQ_INT(rc, LODE_OK);
    {
      int eof;
      int64_t expect = 0, n = 0;
      for (rc = btree_first(c, &eof); rc == LODE_OK && !eof; rc = btree_next(c, &eof)) {
        int64_t r = btree_rowid(c);
        uint32_t len = btree_payload_size(c);
        while (expect < r && expect <= N) {
          if (expect > 0 && model[expect]) ok = 0;
          expect++;
        }
        if (r > N || model[r] != len + 1) ok = 0;
        else if (btree_payload(c, 0, len, got) != LODE_OK) ok = 0;
        else {
          make_payload(r + len, buf, len);
          if (memcmp(buf, got, len) != 0) ok = 0;
        }
        expect = r + 1;
        n++;
      }
      CHECK(ok);
    }
    {
      uint32_t roots[2] = {1, root};
      CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
    }
  }
  btree_cursor_close(c);
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
  free(buf);
  free(got);
}

/* Overwrites bytes of page pgno inside the current write transaction. */
static void poke(Db *db, uint32_t pgno, uint32_t off, const void *bytes, uint32_t n) {
  DbPage *pg;
  if (pager_get(db->pager, pgno, &pg) != LODE_OK) return;
  if (pager_write(pg) == LODE_OK) memcpy(pg->data + off, bytes, n);
  pager_unref(pg);
}

static int scan_rc(Db *db, uint32_t root) {
  BtCursor *c;
  int eof, rc = btree_cursor_open(db->bt, root, 0, &c), guard = 0;
  if (rc != LODE_OK) return rc;
  for (rc = btree_first(c, &eof); rc == LODE_OK && !eof && guard < 1000000; rc = btree_next(c, &eof)) {
    uint32_t n = btree_payload_size(c);
    uint8_t *b = malloc(n + 1);
    rc = btree_payload(c, 0, n, b);
    free(b);
    if (rc != LODE_OK) break;
    guard++;
  }
  btree_cursor_close(c);
  return rc;
}

/* One leaf page (never split: the model keeps its cells under a page),
** churned with cells of mixed sizes so that inserts keep finding the gap
** too small: compaction runs over pages with one freeblock, with many, and
** with fragment bytes (a few of which a compaction keeps, counted).  Every
** step must leave the page's byte accounting exact. */
TEST(single_leaf_churn_compacts_with_fragments_kept_exact) {
  enum { N = 400, BUDGET = 4096 - 8 - 40 };
  Db db;
  uint32_t root;
  BtCursor *c;
  static uint32_t model[N + 1]; /* payload length + 1 per rowid, 0 = absent */
  uint8_t buf[64], got[64];
  uint64_t seed = 991;
  uint32_t used = 0;
  int op, rc = LODE_OK, ok = 1, bad_integrity = 0;
  memset(model, 0, sizeof model);
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  for (op = 0; op < 20000 && rc == LODE_OK; op++) {
    int64_t r;
    int cmp;
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    r = (int64_t)((seed >> 33) % N) + 1;
    /* A table leaf cell: size varint (1), rowid varint (1 or 2), payload; at least 4 bytes, plus its pointer. */
    uint32_t len = (uint32_t)((seed >> 45) % 48);
    uint32_t cost = 2 + 1 + (r < 128 ? 1 : 2) + len, old = 0;
    if (cost < 6) cost = 6;
    if (model[r]) {
      old = 2 + 1 + (r < 128 ? 1 : 2) + model[r] - 1;
      if (old < 6) old = 6;
    }
    if (((seed >> 20) & 3) != 0 && used - old + cost <= BUDGET) {
      make_payload(r * 64 + len, buf, len);
      rc = btree_insert(c, r, buf, len);
      model[r] = len + 1;
      used = used - old + cost;
    } else {
      rc = btree_seek_rowid(c, r, &cmp);
      if (rc == LODE_OK && (cmp == 0) != (model[r] != 0)) ok = 0;
      if (rc == LODE_OK && cmp == 0) rc = btree_delete(c);
      model[r] = 0;
      used -= old;
    }
    if (op % 16 == 0) {
      uint32_t roots[2] = {1, root};
      if (check_integrity(&db, roots, 2) != 0) bad_integrity++;
    }
  }
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK_EQ_INT(bad_integrity, 0);
  CHECK_EQ_INT(pager_page_count(db.pager), 2); /* page 1 and the leaf: no split happened */
  {
    int eof;
    for (rc = btree_first(c, &eof); rc == LODE_OK && !eof; rc = btree_next(c, &eof)) {
      int64_t r = btree_rowid(c);
      uint32_t len = btree_payload_size(c);
      if (r < 1 || r > N || model[r] != len + 1 || btree_payload(c, 0, len, got) != LODE_OK) {
        ok = 0;
        continue;
      }
      make_payload(r * 64 + len, buf, len);
      if (memcmp(buf, got, len) != 0) ok = 0;
      model[r] = 0;
    }
    for (int r = 1; r <= N; r++)
      if (model[r]) ok = 0;
    CHECK(ok);
  }
  btree_cursor_close(c);
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
}

/* A leaf whose header claims more fragment bytes than it has: the insert
** counts them as free, the gap is too small, and compaction finds the room
** is not there.  The insert must report corruption, not write the cell over
** the page's cell pointers. */
TEST(insert_into_leaf_overstating_fragments_is_corrupt) {
  Db db;
  uint32_t root;
  BtCursor *c;
  uint8_t buf[200] = {0}, hdr[8];
  int64_t r;
  int rc = LODE_OK;
  uint32_t gap;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  /* Fill the leaf until less than a 40-byte cell's room is left in its gap. */
  for (r = 1; rc == LODE_OK; r++) {
    DbPage *pg;
    uint32_t content, ncell;
    CHECK_EQ_INT(pager_get(db.pager, root, &pg), LODE_OK);
    memcpy(hdr, pg->data, 8);
    pager_unref(pg);
    ncell = util_get2(hdr + 3);
    content = util_get2(hdr + 5);
    gap = content - (8 + 2 * ncell);
    if (gap < 40) break;
    rc = btree_insert(c, r, buf, 35);
  }
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK_EQ_INT(pager_page_count(db.pager), 2);
  /* 50 phantom fragment bytes: enough, with the gap, for a cell that the gap alone cannot hold. */
  {
    uint8_t frags = 50;
    poke(&db, root, 7, &frags, 1);
  }
  rc = btree_insert(c, r, buf, gap + 10);
  CHECK_EQ_INT(rc, LODE_CORRUPT);
  btree_cursor_close(c);
  CHECK_EQ_INT(btree_rollback(db.bt), LODE_OK);
  db_close(&db);
}

/* A leaf whose freeblock list links back to itself (the format wants the
** list to go up the page): an insert whose cell no freeblock it reaches
** holds, with the gap too small, must end its first-fit search and place
** the cell after compacting the page from its cells, leaving it sound. */
TEST(insert_into_leaf_with_looping_freeblock_list_compacts) {
  Db db;
  uint32_t root, fb;
  BtCursor *c;
  uint8_t buf[200] = {0}, hdr[8], link[2];
  int64_t r, last = 0;
  int rc = LODE_OK, cmp;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  /* 37-byte cells until the gap holds less than 40 bytes. */
  for (r = 1; rc == LODE_OK; r++) {
    DbPage *pg;
    CHECK_EQ_INT(pager_get(db.pager, root, &pg), LODE_OK);
    memcpy(hdr, pg->data, 8);
    pager_unref(pg);
    if (util_get2(hdr + 5) - (8u + 2u * util_get2(hdr + 3)) < 40) break;
    rc = btree_insert(c, r, buf, 35);
    last = r;
  }
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK_EQ_INT(pager_page_count(db.pager), 2);
  /* Two freeblocks of one cell each, apart from each other. */
  CHECK_EQ_INT(btree_seek_rowid(c, 3, &cmp), LODE_OK);
  CHECK_EQ_INT(btree_delete(c), LODE_OK);
  CHECK_EQ_INT(btree_seek_rowid(c, 7, &cmp), LODE_OK);
  CHECK_EQ_INT(btree_delete(c), LODE_OK);
  {
    DbPage *pg;
    CHECK_EQ_INT(pager_get(db.pager, root, &pg), LODE_OK);
    fb = util_get2(pg->data + 1);
    pager_unref(pg);
  }
  CHECK(fb != 0);
  util_put2(link, fb); /* the first freeblock's next is itself */
  poke(&db, root, fb, link, 2);
  /* A 60-byte cell: no freeblock holds it and the gap is too small. */
  rc = btree_insert(c, last + 1, buf, 57);
  CHECK_EQ_INT(rc, LODE_OK);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  CHECK_EQ_INT(btree_seek_rowid(c, last + 1, &cmp), LODE_OK);
  CHECK_EQ_INT(cmp, 0);
  CHECK_EQ_INT(btree_payload_size(c), 57);
  btree_cursor_close(c);
  CHECK_EQ_INT(btree_rollback(db.bt), LODE_OK);
  db_close(&db);
}

TEST(corruption_is_reported_not_crashed) {
  enum { N = 2000 };
  Db db;
  uint32_t root, child;
  int64_t ids[N];
  int i;
  char *errors = NULL;
  int nerr = 0;
  uint8_t bad[4];
  DbPage *pg;
  for (i = 0; i < N; i++) ids[i] = i + 1;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(insert_rows(&db, root, ids, N), LODE_OK);
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  CHECK_EQ_INT(pager_get(db.pager, root, &pg), LODE_OK);
  child = util_get4(pg->data + util_get2(pg->data + 12)); /* left child of cell 0 */
  pager_unref(pg);
  /* 1: a cell pointer past the end of the page. */
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  util_put2(bad, 5000);
  poke(&db, child, 8, bad, 2);
  CHECK_EQ_INT(scan_rc(&db, root), LODE_CORRUPT);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(btree_integrity_check(db.bt, roots, 2, 10, &errors, &nerr), LODE_OK);
    CHECK(nerr > 0);
    util_free(errors);
  }
  CHECK_EQ_INT(btree_rollback(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_begin_read(db.bt), LODE_OK);
  CHECK_EQ_INT(scan_rc(&db, root), LODE_OK);
  btree_end_read(db.bt);
  /* 2: a child pointer cycle (the root's right child is the root). */
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  util_put4(bad, root);
  poke(&db, root, 8, bad, 4);
  CHECK_EQ_INT(scan_rc(&db, root), LODE_CORRUPT);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(btree_integrity_check(db.bt, roots, 2, 10, &errors, &nerr), LODE_OK);
    CHECK(nerr > 0 && errors && strstr(errors, "2nd reference to page") != NULL);
    util_free(errors);
  }
  CHECK_EQ_INT(btree_rollback(db.bt), LODE_OK);
  /* 3: an invalid page type and a child beyond the end of the file. */
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  bad[0] = 0x07;
  poke(&db, child, 0, bad, 1);
  CHECK_EQ_INT(scan_rc(&db, root), LODE_CORRUPT);
  util_put4(bad, 999999);
  poke(&db, root, 8, bad, 4);
  {
    int cmp;
    BtCursor *c;
    CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
    CHECK_EQ_INT(btree_seek_rowid(c, N + 5, &cmp), LODE_CORRUPT);
    CHECK_EQ_INT(btree_insert(c, N + 5, "x", 1), LODE_CORRUPT);
    btree_cursor_close(c);
  }
  CHECK_EQ_INT(btree_rollback(db.bt), LODE_OK);
  /* 4: an overflow chain that loops back on itself. */
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  {
    uint8_t *big = calloc(1, 30000);
    BtCursor *c;
    int cmp;
    uint32_t avail, ovfl;
    const uint8_t *p;
    CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
    CHECK_EQ_INT(btree_insert(c, N + 1, big, 30000), LODE_OK);
    CHECK_EQ_INT(btree_seek_rowid(c, N + 1, &cmp), LODE_OK);
    p = btree_payload_fetch(c, &avail);
    CHECK(p != NULL && avail < 30000);
    ovfl = util_get4(p + avail);
    util_put4(bad, ovfl);
    poke(&db, ovfl, 0, bad, 4); /* first overflow page points to itself */
    CHECK_EQ_INT(btree_payload(c, 0, 30000, big), LODE_CORRUPT);
    btree_cursor_close(c);
    free(big);
  }
  CHECK_EQ_INT(btree_rollback(db.bt), LODE_OK);
  db_close(&db);
}

/* Rows of three shapes on 512-byte pages: most share a leaf with others,
** every third fills a leaf alone and every seventh overflows, so that a
** scan steps within leaves, from leaf to leaf under one parent and across
** parents of a three-level tree. */
static uint32_t step_payload_len(int64_t r) { return r % 7 == 0 ? 1000 : r % 3 == 0 ? 400 : 60; }

static int step_rows_fill(Db *db, uint32_t root, int n, uint8_t *alive) {
  static uint8_t buf[1000];
  BtCursor *c;
  int rc = btree_cursor_open(db->bt, root, 1, &c);
  for (int64_t r = 1; r <= n && rc == LODE_OK; r++) {
    make_payload(r, buf, step_payload_len(r));
    rc = btree_insert(c, r, buf, step_payload_len(r));
    alive[r] = 1;
  }
  if (rc == LODE_OK) btree_cursor_close(c);
  return rc;
}

/* The row a step from prev must land on: the next (dir > 0) or previous
** live rowid, 0 when there is none. */
static int64_t step_expected(const uint8_t *alive, int n, int64_t prev, int dir) {
  for (int64_t r = prev + dir; r >= 1 && r <= n; r += dir)
    if (alive[r]) return r;
  return 0;
}

/* Whether c's row is r with r's payload. */
static int step_row_ok(BtCursor *c, int64_t r) {
  static uint8_t want[1000], got[1000];
  uint32_t len = step_payload_len(r);
  if (btree_rowid(c) != r || btree_payload_size(c) != len) return 0;
  make_payload(r, want, len);
  return btree_payload(c, 0, len, got) == LODE_OK && memcmp(want, got, len) == 0;
}

/* Full scans both ways, then scans both ways while a second cursor deletes
** rows just ahead of and behind the scanning one (saving its position) and
** while the scanning cursor deletes its own row: every step lands on the
** next live row in order, with its payload. */
TEST(scan_steps_across_leaves_both_ways_with_deletes_between_steps) {
  enum { N = 6000 };
  Db db;
  uint32_t root;
  uint8_t *alive = calloc(N + 1, 1);
  BtCursor *c, *w;
  int eof, rc, cmp, ok = 1, steps;
  int64_t prev, r;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, 512), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(step_rows_fill(&db, root, N, alive), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 0, &c), LODE_OK);
  for (int dir = 1; dir >= -1; dir -= 2) {
    prev = dir > 0 ? 0 : N + 1;
    steps = 0;
    for (rc = dir > 0 ? btree_first(c, &eof) : btree_last(c, &eof); rc == LODE_OK && !eof && ok;
         rc = dir > 0 ? btree_next(c, &eof) : btree_prev(c, &eof)) {
      r = step_expected(alive, N, prev, dir);
      if (!step_row_ok(c, r)) ok = 0;
      prev = r;
      steps++;
    }
    CHECK_EQ_INT(rc, LODE_OK);
    CHECK(ok);
    CHECK_EQ_INT(steps, N);
  }
  btree_cursor_close(c);
  /* Another cursor deletes between the scan's steps. */
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 0, &c), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &w), LODE_OK);
  for (int dir = 1; dir >= -1; dir -= 2) {
    prev = dir > 0 ? 0 : N + 1;
    steps = 0;
    for (rc = dir > 0 ? btree_first(c, &eof) : btree_last(c, &eof); rc == LODE_OK && !eof && ok;
         rc = dir > 0 ? btree_next(c, &eof) : btree_prev(c, &eof)) {
      r = step_expected(alive, N, prev, dir);
      if (!step_row_ok(c, r)) ok = 0;
      prev = r;
      if (++steps % 3 == 0) {
        int64_t gone[2] = {r + 2 * dir, r - dir};
        for (int k = 0; k < 2; k++) {
          if (gone[k] < 1 || gone[k] > N || !alive[gone[k]]) continue;
          if (btree_seek_rowid(w, gone[k], &cmp) != LODE_OK || cmp != 0 || btree_delete(w) != LODE_OK) ok = 0;
          alive[gone[k]] = 0;
        }
      }
    }
    CHECK_EQ_INT(rc, LODE_OK);
    CHECK(ok);
    CHECK_EQ_INT(step_expected(alive, N, prev, dir), 0);
  }
  btree_cursor_close(w);
  btree_cursor_close(c);
  /* The scanning cursor deletes every other row it stands on. */
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  for (int dir = 1; dir >= -1; dir -= 2) {
    prev = dir > 0 ? 0 : N + 1;
    steps = 0;
    for (rc = dir > 0 ? btree_first(c, &eof) : btree_last(c, &eof); rc == LODE_OK && !eof && ok;
         rc = dir > 0 ? btree_next(c, &eof) : btree_prev(c, &eof)) {
      r = step_expected(alive, N, prev, dir);
      if (!step_row_ok(c, r)) ok = 0;
      prev = r;
      if (++steps % 2 == 0) {
        if (btree_delete(c) != LODE_OK) ok = 0;
        alive[r] = 0;
      }
    }
    CHECK_EQ_INT(rc, LODE_OK);
    CHECK(ok);
    CHECK_EQ_INT(step_expected(alive, N, prev, dir), 0);
  }
  btree_cursor_close(c);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
  free(alive);
}

/* scan_rc backwards. */
static int scan_rc_reverse(Db *db, uint32_t root) {
  BtCursor *c;
  int eof, rc = btree_cursor_open(db->bt, root, 0, &c), guard = 0;
  if (rc != LODE_OK) return rc;
  for (rc = btree_last(c, &eof); rc == LODE_OK && !eof && guard < 1000000; rc = btree_prev(c, &eof)) guard++;
  btree_cursor_close(c);
  return rc;
}

/* A step from one leaf to the next reads the next (or previous) child's
** number in the parent: a child pointer there that is 0, past the end of the
** file, a page of the wrong kind or the parent itself (a cycle) ends the scan
** either way with LODE_CORRUPT, never a crash or an endless scan. */
TEST(scan_step_to_a_bad_sibling_is_corrupt) {
  enum { N = 60 };
  Db db;
  uint32_t root;
  uint8_t *alive = calloc(N + 1, 1), bad[4];
  DbPage *pg;
  uint32_t cell1, index_root;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, 512), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, 0, &index_root), LODE_OK);
  CHECK_EQ_INT(step_rows_fill(&db, root, N, alive), LODE_OK);
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_begin_read(db.bt), LODE_OK);
  CHECK_EQ_INT(scan_rc(&db, root), LODE_OK);
  CHECK_EQ_INT(scan_rc_reverse(&db, root), LODE_OK);
  btree_end_read(db.bt);
  CHECK_EQ_INT(pager_get(db.pager, root, &pg), LODE_OK);
  CHECK_EQ_INT(pg->data[0], 0x05); /* two levels: the root's children are leaves */
  cell1 = util_get2(pg->data + 12 + 2); /* cell 1: its left child is the second leaf */
  pager_unref(pg);
  uint32_t bad_children[4] = {0, 999999, index_root, root};
  for (int k = 0; k < 4; k++) {
    CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
    util_put4(bad, bad_children[k]);
    poke(&db, root, cell1, bad, 4);
    CHECK_EQ_INT(scan_rc(&db, root), LODE_CORRUPT);
    CHECK_EQ_INT(scan_rc_reverse(&db, root), LODE_CORRUPT);
    CHECK_EQ_INT(btree_rollback(db.bt), LODE_OK);
  }
  db_close(&db);
  free(alive);
}

/* After btree_delete, next() reaches the following row and prev() the
** preceding one, also when the delete merged pages (512-byte pages). */
TEST(delete_leaves_cursor_between_neighbours) {
  enum { N = 5000 };
  Db db;
  uint32_t root;
  BtCursor *c;
  int64_t *ids = malloc(sizeof(int64_t) * N), r;
  int i, eof, cmp, ok = 1;
  for (i = 0; i < N; i++) ids[i] = i + 1;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, 512), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(insert_rows(&db, root, ids, N), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  for (r = 1000; r < 3000 && ok; r++) {
    if (btree_seek_rowid(c, r, &cmp) != LODE_OK || cmp != 0 || btree_delete(c) != LODE_OK) ok = 0;
    if (r % 2) {
      if (btree_prev(c, &eof) != LODE_OK || eof || btree_rowid(c) != 999) ok = 0;
    } else {
      if (btree_next(c, &eof) != LODE_OK || eof || btree_rowid(c) != r + 1) ok = 0;
    }
  }
  CHECK(ok);
  /* Deleting the last row leaves next() at eof and prev() on the new last. */
  CHECK_EQ_INT(btree_seek_rowid(c, N, &cmp), LODE_OK);
  CHECK_EQ_INT(btree_delete(c), LODE_OK);
  CHECK_EQ_INT(btree_prev(c, &eof), LODE_OK);
  CHECK_EQ_INT(btree_rowid(c), N - 1);
  CHECK_EQ_INT(btree_seek_rowid(c, N - 1, &cmp), LODE_OK);
  CHECK_EQ_INT(btree_delete(c), LODE_OK);
  CHECK_EQ_INT(btree_next(c, &eof), LODE_OK);
  CHECK_EQ_INT(eof, 1);
  btree_cursor_close(c);
  CHECK_EQ_INT(scan_table(&db, root, 1), N - 2000 - 2);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
  free(ids);
}

/* Every allocation failure inside inserts/deletes comes back as an error
** code; a rollback then restores the committed tree intact. */
TEST(allocation_failures_return_nomem) {
  enum { BASE = 400, MORE = 300 };
  Db db;
  uint32_t root;
  int64_t ids[BASE + MORE];
  int i, n, failures = 0, bad = 0;
  for (i = 0; i < BASE + MORE; i++) ids[i] = (int64_t)((i * 7919) % (BASE + MORE)) + 1;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, 1024), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(insert_rows(&db, root, ids, BASE), LODE_OK);
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  for (n = 1; n < 400; n += 3) {
    int rc;
    BtCursor *c;
    if (btree_begin_write(db.bt) != LODE_OK) {
      bad++;
      break;
    }
    util_fail_alloc_after(n, 0);
    rc = insert_rows(&db, root, ids + BASE, MORE);
    if (rc == LODE_OK && btree_cursor_open(db.bt, root, 1, &c) == LODE_OK) {
      int eof;
      for (rc = btree_first(c, &eof); rc == LODE_OK && !eof && btree_rowid(c) < 200;) {
        rc = btree_delete(c);
        if (rc == LODE_OK) rc = btree_next(c, &eof);
      }
      btree_cursor_close(c);
    }
    util_fail_alloc_after(0, 0);
    if (rc != LODE_OK) {
      failures++;
      if (rc != LODE_NOMEM && (rc & 0xff) != LODE_IOERR) bad++;
    }
    if (btree_rollback(db.bt) != LODE_OK) bad++;
    if (btree_begin_read(db.bt) != LODE_OK) bad++;
    if (scan_table(&db, root, 1) != BASE) bad++;
    btree_end_read(db.bt);
  }
  CHECK(failures > 10);
  CHECK_EQ_INT(bad, 0);
  db_close(&db);
}

/* ---- index b-trees with a byte-wise comparator --------------------------- */

typedef struct KeyCtx {
  const uint8_t *key;
  uint32_t n;
} KeyCtx;

static int bytes_cmp(const void *a, uint32_t na, const void *b, uint32_t nb) {
  uint32_t m = na < nb ? na : nb;
  int r = memcmp(a, b, m);
  if (r) return r;
  return na < nb ? -1 : na > nb;
}

static int key_cmp(void *ctx, const void *key, uint32_t n) {
  KeyCtx *k = ctx;
  return bytes_cmp(key, n, k->key, k->n);
}

static int rec_cmp(void *ctx, const void *a, uint32_t na, const void *b, uint32_t nb) {
  (void)ctx;
  return bytes_cmp(a, na, b, nb);
}

/* Key i: 8 bytes big-endian then filler; long keys every 5th. */
static uint32_t make_key(uint64_t i, uint8_t *buf) {
  uint32_t n = (i % 5 == 0) ? 1500 : 12 + (uint32_t)(i % 40);
  util_put4(buf, (uint32_t)(i >> 32));
  util_put4(buf + 4, (uint32_t)i);
  make_payload((int64_t)i, buf + 8, n - 8);
  return n;
}

TEST(index_insert_iterate_delete) {
  enum { N = 20000 };
  Db db;
  uint32_t root;
  BtCursor *c;
  int64_t *ids = malloc(sizeof(int64_t) * N);
  uint8_t buf[1600], got[1600];
  int i, eof, rc, count = 0, ok = 1;
  for (i = 0; i < N; i++) ids[i] = i;
  shuffle(ids, N, 3);
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_BLOBKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  btree_cursor_set_compare(c, rec_cmp, NULL);
  for (i = 0; i < N; i++) {
    KeyCtx k;
    k.n = make_key((uint64_t)ids[i], buf);
    k.key = buf;
    rc = btree_insert_key(c, buf, k.n, key_cmp, &k);
    if (rc != LODE_OK) break;
  }
  CHECK_EQ_INT(i, N);
  for (rc = btree_first(c, &eof); rc == LODE_OK && !eof; rc = btree_next(c, &eof)) {
    uint32_t n = make_key((uint64_t)count, buf);
    if (btree_payload_size(c) != n || btree_payload(c, 0, n, got) != LODE_OK || memcmp(got, buf, n) != 0) ok = 0;
    count++;
  }
  CHECK_EQ_INT(count, N);
  CHECK(ok);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  /* Seek an existing key and a missing one. */
  {
    KeyCtx k;
    int cmp;
    k.n = make_key(777, buf);
    k.key = buf;
    CHECK_EQ_INT(btree_seek_key(c, key_cmp, &k, &cmp), LODE_OK);
    CHECK_EQ_INT(cmp, 0);
    buf[8] ^= 0xff; /* same first 8 bytes, different tail: absent */
    CHECK_EQ_INT(btree_seek_key(c, key_cmp, &k, &cmp), LODE_OK);
    CHECK(cmp != 0);
  }
  /* Delete keys divisible by 3 in a DELETE ... WHERE loop. */
  count = 0;
  for (rc = btree_first(c, &eof); rc == LODE_OK && !eof;) {
    uint8_t hdr[8];
    uint64_t v;
    rc = btree_payload(c, 0, 8, hdr);
    if (rc != LODE_OK) break;
    v = ((uint64_t)util_get4(hdr) << 32) | util_get4(hdr + 4);
    if (v % 3 == 0) {
      rc = btree_delete(c);
      if (rc != LODE_OK) break;
      count++;
    }
    rc = btree_next(c, &eof);
  }
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK_EQ_INT(count, (N + 2) / 3);
  count = 0;
  ok = 1;
  for (rc = btree_first(c, &eof); rc == LODE_OK && !eof; rc = btree_next(c, &eof)) {
    uint8_t hdr[8];
    uint64_t v;
    btree_payload(c, 0, 8, hdr);
    v = ((uint64_t)util_get4(hdr) << 32) | util_get4(hdr + 4);
    if (v % 3 == 0) ok = 0;
    count++;
  }
  CHECK(ok);
  CHECK_EQ_INT(count, N - (N + 2) / 3);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  /* Delete the rest: the tree collapses to an empty root. */
  for (rc = btree_first(c, &eof); rc == LODE_OK && !eof; rc = btree_first(c, &eof)) {
    rc = btree_delete(c);
    if (rc != LODE_OK) break;
  }
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK_EQ_INT(pager_page_count(db.pager) - meta(&db, BTREE_META_FREELIST_COUNT), 2);
  btree_cursor_close(c);
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
  free(ids);
}


/* A walk deleting most entries of an index b-tree, forward and backward:
** deletes that leave a leaf as it was, that empty it and that leave it
** underfull (it merges with its neighbours) all keep the walk's place, the
** last two by the key of the deleted entry, overflow keys among them.  Each
** survivor is met exactly once and the tree stays well formed. */
TEST(index_walk_deleting_runs_keeps_its_place_through_merges) {
  enum { N = 6000 };
  Db db;
  uint32_t root;
  BtCursor *c;
  uint8_t buf[1600], hdr[8];
  static uint8_t seen[N];
  int i, eof, rc = LODE_OK, deleted = 0, met = 0, ok = 1;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_BLOBKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  btree_cursor_set_compare(c, rec_cmp, NULL);
  for (i = 0; i < N && rc == LODE_OK; i++) {
    KeyCtx k;
    k.n = make_key((uint64_t)i, buf);
    k.key = buf;
    rc = btree_insert_key(c, buf, k.n, key_cmp, &k);
  }
  CHECK_EQ_INT(rc, LODE_OK);
  /* Forward: keys in runs of 40, the first 36 of each run deleted. */
  memset(seen, 0, sizeof seen);
  for (rc = btree_first(c, &eof); rc == LODE_OK && !eof; rc = btree_next(c, &eof)) {
    uint64_t v;
    if ((rc = btree_payload(c, 0, 8, hdr)) != LODE_OK) break;
    v = ((uint64_t)util_get4(hdr) << 32) | util_get4(hdr + 4);
    if (v >= N || seen[v]++) ok = 0;
    if (v % 40 < 36) {
      if ((rc = btree_delete(c)) != LODE_OK) break;
      deleted++;
    }
  }
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK(ok);
  for (i = 0; i < N; i++)
    if (!seen[i]) ok = 0;
  CHECK(ok);
  CHECK_EQ_INT(deleted, N / 40 * 36);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  /* Backward over the survivors: all but every fourth deleted. */
  memset(seen, 0, sizeof seen);
  for (rc = btree_last(c, &eof); rc == LODE_OK && !eof; rc = btree_prev(c, &eof)) {
    uint64_t v;
    if ((rc = btree_payload(c, 0, 8, hdr)) != LODE_OK) break;
    v = ((uint64_t)util_get4(hdr) << 32) | util_get4(hdr + 4);
    if (v >= N || v % 40 < 36 || seen[v]++) ok = 0;
    met++;
    if (v % 40 != 39 && (rc = btree_delete(c)) != LODE_OK) break;
  }
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK(ok);
  CHECK_EQ_INT(met, N / 40 * 4);
  met = 0;
  for (rc = btree_first(c, &eof); rc == LODE_OK && !eof; rc = btree_next(c, &eof)) {
    if ((rc = btree_payload(c, 0, 8, hdr)) != LODE_OK) break;
    if (util_get4(hdr + 4) % 40 != 39) ok = 0;
    met++;
  }
  CHECK(ok);
  CHECK_EQ_INT(met, N / 40);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  btree_cursor_close(c);
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
}

/* Clearing trees whose leaves mix cells wholly on the page with cells that
** spill to overflow pages (rows and index keys) counts every entry and frees
** every page but the roots, overflow chains included; a leaf cell pointer
** out of the page, or a cell running past its end, is corrupt. */
TEST(clear_frees_inline_and_overflow_cells_and_reports_bad_cells) {
  enum { N = 3000 };
  Db db;
  uint32_t root, iroot;
  BtCursor *c;
  uint8_t buf[1600];
  int i, rc = LODE_OK;
  int64_t nrows = -1;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_BLOBKEY, &iroot), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  for (i = 1; i <= N && rc == LODE_OK; i++) {
    uint32_t len = i % 7 == 0 ? 1500 : payload_len_for(i);
    make_payload(i, buf, len);
    rc = btree_insert(c, i, buf, len);
  }
  btree_cursor_close(c);
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, iroot, 1, &c), LODE_OK);
  btree_cursor_set_compare(c, rec_cmp, NULL);
  for (i = 0; i < N && rc == LODE_OK; i++) {
    KeyCtx k;
    k.n = make_key((uint64_t)i, buf);
    k.key = buf;
    rc = btree_insert_key(c, buf, k.n, key_cmp, &k);
  }
  btree_cursor_close(c);
  CHECK_EQ_INT(rc, LODE_OK);
  uint32_t pages = pager_page_count(db.pager);
  CHECK_EQ_INT(btree_clear(db.bt, root, &nrows), LODE_OK);
  CHECK_EQ_INT(nrows, N);
  CHECK_EQ_INT(btree_clear(db.bt, iroot, &nrows), LODE_OK);
  CHECK_EQ_INT(nrows, N);
  CHECK_EQ_INT(scan_table(&db, root, 0), 0);
  CHECK_EQ_INT(meta(&db, BTREE_META_FREELIST_COUNT), pages - 3);
  {
    uint32_t roots[3] = {1, root, iroot};
    CHECK_EQ_INT(check_integrity(&db, roots, 3), 0);
  }
  /* Two rows on the root leaf, then its first cell pointer into the header. */
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  CHECK_EQ_INT(btree_insert(c, 1, "abc", 3), LODE_OK);
  CHECK_EQ_INT(btree_insert(c, 2, "defg", 4), LODE_OK);
  btree_cursor_close(c);
  {
    const uint8_t bad_ptr[2] = {0, 2};
    poke(&db, root, 8, bad_ptr, 2);
  }
  CHECK_EQ_INT(btree_clear(db.bt, root, &nrows), LODE_CORRUPT);
  /* A cell near the page's end whose payload would run past it. */
  {
    uint32_t page_size = 0, usable = 0;
    btree_page_sizes(db.bt, &page_size, &usable);
    usable -= 4;
    const uint8_t ptr[2] = {(uint8_t)(usable >> 8), (uint8_t)usable}, cell[2] = {50, 1};
    poke(&db, root, 8, ptr, 2);
    poke(&db, root, usable, cell, 2);
  }
  CHECK_EQ_INT(btree_clear(db.bt, root, &nrows), LODE_CORRUPT);
  CHECK_EQ_INT(btree_rollback(db.bt), LODE_OK);
  db_close(&db);
}

/* A leaf delete sizes the cell it drops with the bounds a full parse
** checks: a cell whose payload would run past the page is corrupt, and the
** page is left as it was. */
TEST(delete_of_a_cell_running_past_the_page_is_corrupt) {
  Db db;
  uint32_t root, page_size = 0, usable = 0;
  BtCursor *c;
  int cmp = 0;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  CHECK_EQ_INT(btree_insert(c, 1, "abc", 3), LODE_OK);
  CHECK_EQ_INT(btree_insert(c, 2, "defg", 4), LODE_OK);
  btree_cursor_close(c);
  btree_page_sizes(db.bt, &page_size, &usable);
  {
    /* Cell 0 moved to the page's last four bytes, claiming 50 bytes of payload. */
    const uint8_t ptr[2] = {(uint8_t)((usable - 4) >> 8), (uint8_t)(usable - 4)}, cell[2] = {50, 1};
    poke(&db, root, 8, ptr, 2);
    poke(&db, root, usable - 4, cell, 2);
  }
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  CHECK_EQ_INT(btree_seek_rowid(c, 2, &cmp), LODE_OK);
  CHECK_EQ_INT(cmp, 0);
  CHECK_EQ_INT(btree_first(c, &cmp), LODE_OK);
  CHECK_EQ_INT(btree_delete(c), LODE_CORRUPT);
  btree_cursor_close(c);
  CHECK_EQ_INT(btree_rollback(db.bt), LODE_OK);
  db_close(&db);
}

/* Appends in key order take the fast path; a key that does not sort after
** the last entry (every 50th key, appended late) still lands in order. */
TEST(index_append_key_in_order_and_out_of_order) {
  enum { N = 20000 };
  Db db;
  uint32_t root;
  BtCursor *c;
  uint8_t buf[1600], got[1600];
  int i, eof, rc = LODE_OK, count = 0, ok = 1;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_BLOBKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  btree_cursor_set_compare(c, rec_cmp, NULL);
  for (int pass = 0; pass < 2 && rc == LODE_OK; pass++) {
    for (i = 0; i < N && rc == LODE_OK; i++) {
      KeyCtx k;
      if ((i % 50 == 0) != (pass == 1)) continue;
      k.n = make_key((uint64_t)i, buf);
      k.key = buf;
      rc = btree_append_key(c, buf, k.n, key_cmp, &k);
    }
  }
  CHECK_EQ_INT(rc, LODE_OK);
  for (rc = btree_first(c, &eof); rc == LODE_OK && !eof; rc = btree_next(c, &eof)) {
    uint32_t n = make_key((uint64_t)count, buf);
    if (btree_payload_size(c) != n || btree_payload(c, 0, n, got) != LODE_OK || memcmp(got, buf, n) != 0) ok = 0;
    count++;
  }
  CHECK_EQ_INT(count, N);
  CHECK(ok);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  btree_cursor_close(c);
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
}

/* Keys appended in order through btree_append_sorted_key (CREATE INDEX's
** build): short keys go straight into the rightmost leaf's gap, keys of
** under four bytes are padded to a minimal cell, and long ones (every 5th,
** 1500 bytes) take the general path with their overflow chains; the tree
** reads back every key in order and passes the integrity check. */
TEST(sorted_key_appends_fill_the_rightmost_leaf) {
  enum { N = 12000 };
  Db db;
  uint32_t root;
  BtCursor *c;
  uint8_t buf[1600], got[1600];
  int i, eof, rc = LODE_OK, count = 0, ok = 1;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_BLOBKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  btree_cursor_set_compare(c, rec_cmp, NULL);
  /* Keys 0..2: 1, 2 and 3 bytes (a cell of 2..4 bytes before padding). */
  for (i = 0; i < 3 && rc == LODE_OK; i++) {
    memset(buf, 0, (size_t)i + 1);
    rc = btree_append_sorted_key(c, buf, (uint32_t)i + 1);
  }
  for (i = 0; i < N && rc == LODE_OK; i++) {
    uint32_t n = make_key((uint64_t)i + 1, buf);
    buf[0] = 1; /* sorts after the short keys */
    rc = btree_append_sorted_key(c, buf, n);
  }
  CHECK_EQ_INT(rc, LODE_OK);
  for (rc = btree_first(c, &eof); rc == LODE_OK && !eof; rc = btree_next(c, &eof)) {
    uint32_t n;
    if (count < 3) {
      n = (uint32_t)count + 1;
      memset(buf, 0, n);
    } else {
      n = make_key((uint64_t)count - 2, buf);
      buf[0] = 1;
    }
    if (btree_payload_size(c) != n || btree_payload(c, 0, n, got) != LODE_OK || memcmp(got, buf, n) != 0) ok = 0;
    count++;
  }
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK_EQ_INT(count, N + 3);
  CHECK(ok);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  btree_cursor_close(c);
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
}

/* An INSERT's new rowid: btree_max_rowid leaves the cursor on the last row
** and the row with the next rowid goes in after it without a seek (or
** straight into the leaf's gap).  Interleaved: rows below the last one
** (which must not be taken for appends), overflowing rows, and a reader
** opened after the writer, which stays on its row while the writer's
** appends and splits go on. */
TEST(rows_after_the_last_rowid_append_in_place) {
  enum { N = 6000 };
  Db db;
  uint32_t root;
  BtCursor *w, *r;
  uint8_t buf[3000];
  int64_t maxr, held = 0, expect_rows = 0;
  int i, empty, eof, rc = LODE_OK, seen = 0;
  CHECK_EQ_INT(db_open(&db, "append_rowid", 1), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &w), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 0, &r), LODE_OK);
  for (i = 0; i < N && rc == LODE_OK; i++) {
    uint32_t len = (i % 97 == 0) ? 2500 : payload_len_for(i);
    rc = btree_max_rowid(w, &maxr, &empty);
    if (rc != LODE_OK) break;
    /* Every 10th row takes a gap left below the last rowid: the cursor
    ** stands on the last row, but this row is no append. */
    int64_t rowid = (i % 10 == 9) ? maxr - 1 : maxr + 2;
    make_payload(rowid, buf, len);
    rc = btree_insert(w, rowid, buf, len);
    expect_rows++;
    if (i == N / 2) {
      /* The reader takes the last row, which the writer then appends after. */
      int cmp;
      held = maxr;
      rc = btree_seek_rowid(r, held, &cmp);
      if (rc == LODE_OK) CHECK_EQ_INT(cmp, 0);
    }
  }
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK_EQ_INT(btree_rowid(r), held);
  btree_cursor_close(r);
  btree_cursor_close(w);
  {
    BtCursor *c;
    int64_t prev = 0;
    int ok = 1;
    CHECK_EQ_INT(btree_cursor_open(db.bt, root, 0, &c), LODE_OK);
    for (rc = btree_first(c, &eof); rc == LODE_OK && !eof; rc = btree_next(c, &eof)) {
      int64_t k = btree_rowid(c);
      uint32_t n = btree_payload_size(c);
      uint8_t want[3000];
      if (k <= prev || n > sizeof want || btree_payload(c, 0, n, buf) != LODE_OK) ok = 0;
      make_payload(k, want, n);
      if (ok && memcmp(buf, want, n) != 0) ok = 0;
      prev = k;
      seen++;
    }
    btree_cursor_close(c);
    CHECK(ok);
  }
  CHECK_EQ_INT(seen, expect_rows);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
  db_unlink(&db);
}

/* ---- SQLite records, by hand (the test must not depend on vdbe/) ---------- */

typedef struct Val {
  char type; /* 'n' null, 'i' integer, 't' text */
  int64_t i;
  const char *z;
  uint32_t n;
} Val;

static uint64_t val_serial(const Val *v, uint32_t *len) {
  if (v->type == 'n') {
    *len = 0;
    return 0;
  }
  if (v->type == 't') {
    *len = v->n;
    return 13 + 2 * (uint64_t)v->n;
  }
  if (v->i >= -128 && v->i <= 127) {
    *len = 1;
    return 1;
  }
  if (v->i >= -2147483648LL && v->i <= 2147483647LL) {
    *len = 4;
    return 4;
  }
  *len = 8;
  return 6;
}

/* Encodes vals as a record into a malloc'd buffer. */
static uint8_t *record_make(const Val *vals, int nval, uint32_t *out_n) {
  uint32_t hdr = 1, body = 0, len, off;
  uint8_t *buf;
  int i, k;
  for (i = 0; i < nval; i++) {
    uint64_t st = val_serial(&vals[i], &len);
    hdr += (uint32_t)util_varint_len(st);
    body += len;
  }
  buf = malloc(hdr + body + 1);
  off = (uint32_t)util_varint_put(buf, hdr);
  for (i = 0; i < nval; i++) off += (uint32_t)util_varint_put(buf + off, val_serial(&vals[i], &len));
  for (i = 0; i < nval; i++) {
    val_serial(&vals[i], &len);
    if (vals[i].type == 't') memcpy(buf + off, vals[i].z, len);
    else
      for (k = 0; k < (int)len; k++) buf[off + k] = (uint8_t)((uint64_t)vals[i].i >> (8 * (len - 1 - k)));
    off += len;
  }
  *out_n = off;
  return buf;
}

/* Decodes column col of a record: integer into *iv or text/blob span. */
static int record_column(const uint8_t *rec, uint32_t n, int col, int64_t *iv, const uint8_t **z, uint32_t *zn) {
  uint64_t hdr, st = 0;
  uint32_t off, body;
  int i;
  off = (uint32_t)util_varint_get(rec, &hdr);
  body = (uint32_t)hdr;
  for (i = 0; i <= col; i++) {
    uint32_t len;
    if (off >= hdr) return 0;
    off += (uint32_t)util_varint_get(rec + off, &st);
    if (i == col) break;
    len = st >= 12 ? (uint32_t)(st - 12) / 2 : (st == 7 || st == 6 ? 8 : st == 5 ? 6 : st < 5 ? (uint32_t)st : 0);
    if (st == 8 || st == 9) len = 0;
    body += len;
  }
  *iv = 0;
  *z = NULL;
  *zn = 0;
  if (st == 8 || st == 9) {
    *iv = st == 9;
  } else if (st >= 1 && st <= 6) {
    uint32_t len = st == 5 ? 6 : st == 6 ? 8 : (uint32_t)st, k;
    int64_t v = (int8_t)rec[body];
    if (body + len > n) return 0;
    for (k = 1; k < len; k++) v = (int64_t)(((uint64_t)v << 8) | rec[body + k]);
    *iv = v;
  } else if (st >= 12) {
    *zn = (uint32_t)(st - 12) / 2;
    if (body + *zn > n) return 0;
    *z = rec + body;
  }
  return 1;
}

static int have_sqlite3(void) {
  if (access(SQLITE3_CLI, X_OK) == 0) return 1;
  printf("  (skipped: %s is missing)\n", SQLITE3_CLI);
  return 0;
}

/* Runs the sqlite3 CLI on path with sql; stdout into out. */
static int run_sqlite3(const char *path, const char *sql, char *out, size_t cap) {
  char cmd[1024];
  FILE *f;
  size_t n = 0;
  snprintf(cmd, sizeof cmd, "%s '%s' \"%s\" 2>&1", SQLITE3_CLI, path, sql);
  f = popen(cmd, "r");
  if (!f) return -1;
  n = fread(out, 1, cap - 1, f);
  out[n] = 0;
  return pclose(f);
}

static void b_text(int64_t i, char *buf, uint32_t *n) {
  uint32_t len = (uint32_t)(i % 97 == 0 ? 5000 + i : 5 + i % 300), k;
  for (k = 0; k < len; k++) buf[k] = (char)('a' + (i + k) % 26);
  snprintf(buf, 12, "r%08lld", (long long)i);
  buf[9] = '-';
  *n = len;
}

/* Index key record (b, rowid); order: b bytewise, then rowid. */
static int idx_rec_cmp(void *ctx, const void *a, uint32_t na, const void *b, uint32_t nb) {
  const uint8_t *za, *zb;
  uint32_t la, lb;
  int64_t ia, ib, ra, rb;
  int r;
  (void)ctx;
  record_column(a, na, 0, &ia, &za, &la);
  record_column(b, nb, 0, &ib, &zb, &lb);
  r = bytes_cmp(za, la, zb, lb);
  if (r) return r;
  record_column(a, na, 1, &ra, &za, &la);
  record_column(b, nb, 1, &rb, &zb, &lb);
  return ra < rb ? -1 : ra > rb;
}

typedef struct IdxKeyCtx {
  const uint8_t *rec;
  uint32_t n;
} IdxKeyCtx;

static int idx_key_cmp(void *ctx, const void *key, uint32_t n) {
  IdxKeyCtx *k = ctx;
  return idx_rec_cmp(NULL, key, n, k->rec, k->n);
}

static void sqlite3_reads_our_database(uint32_t page_size) {
  enum { N = 3000 };
  Db db;
  uint32_t root, iroot, rn;
  BtCursor *c, *ic;
  int64_t i, sum = 0, count = 0;
  char *b = malloc(20000), out[512], expect[128];
  uint8_t *rec;
  int rc = LODE_OK;
  if (!have_sqlite3()) return;
  CHECK_EQ_INT(db_open(&db, "interop_out", 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, page_size), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_BLOBKEY, &iroot), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, iroot, 1, &ic), LODE_OK);
  btree_cursor_set_compare(ic, idx_rec_cmp, NULL);
  for (i = 0; i < N && rc == LODE_OK; i++) {
    int64_t rowid = (i * 7919) % N + 1; /* a permutation of 1..N */
    Val row[2] = {{'n', 0, NULL, 0}, {'t', 0, b, 0}};
    Val key[2] = {{'t', 0, b, 0}, {'i', rowid, NULL, 0}};
    IdxKeyCtx kc;
    b_text(rowid, b, &row[1].n);
    key[0].n = row[1].n;
    rec = record_make(row, 2, &rn);
    rc = btree_insert(c, rowid, rec, rn);
    free(rec);
    kc.rec = record_make(key, 2, &kc.n);
    if (rc == LODE_OK) rc = btree_insert_key(ic, kc.rec, kc.n, idx_key_cmp, &kc);
    free((void *)kc.rec);
  }
  CHECK_EQ_INT(rc, LODE_OK);
  /* Delete every 10th row (and its index entry) so the freelist is used. */
  for (i = 10; i <= N && rc == LODE_OK; i += 10) {
    int cmp;
    Val key[2] = {{'t', 0, b, 0}, {'i', i, NULL, 0}};
    IdxKeyCtx kc;
    b_text(i, b, &key[0].n);
    rc = btree_seek_rowid(c, i, &cmp);
    if (rc == LODE_OK && cmp == 0) rc = btree_delete(c);
    kc.rec = record_make(key, 2, &kc.n);
    if (rc == LODE_OK) rc = btree_seek_key(ic, idx_key_cmp, &kc, &cmp);
    if (rc == LODE_OK && cmp == 0) rc = btree_delete(ic);
    free((void *)kc.rec);
  }
  CHECK_EQ_INT(rc, LODE_OK);
  for (i = 1; i <= N; i++) {
    uint32_t n;
    if (i % 10 == 0) continue;
    b_text(i, b, &n);
    sum += n;
    count++;
  }
  btree_cursor_close(c);
  btree_cursor_close(ic);
  {
    const char *sql_t = "CREATE TABLE t(a INTEGER PRIMARY KEY, b)";
    const char *sql_i = "CREATE INDEX tb ON t(b)";
    Val srow[5] = {{'t', 0, "table", 5}, {'t', 0, "t", 1}, {'t', 0, "t", 1}, {'i', root, NULL, 0},
                   {'t', 0, sql_t, (uint32_t)strlen(sql_t)}};
    Val irow[5] = {{'t', 0, "index", 5}, {'t', 0, "tb", 2}, {'t', 0, "t", 1}, {'i', iroot, NULL, 0},
                   {'t', 0, sql_i, (uint32_t)strlen(sql_i)}};
    CHECK_EQ_INT(btree_cursor_open(db.bt, BTREE_SCHEMA_ROOT, 1, &c), LODE_OK);
    rec = record_make(srow, 5, &rn);
    CHECK_EQ_INT(btree_insert(c, 1, rec, rn), LODE_OK);
    free(rec);
    rec = record_make(irow, 5, &rn);
    CHECK_EQ_INT(btree_insert(c, 2, rec, rn), LODE_OK);
    free(rec);
    btree_cursor_close(c);
  }
  CHECK_EQ_INT(btree_set_meta(db.bt, BTREE_META_SCHEMA_COOKIE, 1), LODE_OK);
  /* (with 64 KiB pages every row fits its leaf and nothing is freed) */
  if (page_size < 65536) CHECK(meta(&db, BTREE_META_FREELIST_COUNT) > 0);
  {
    uint32_t roots[3] = {1, root, iroot};
    CHECK_EQ_INT(check_integrity(&db, roots, 3), 0);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
  CHECK_EQ_INT(run_sqlite3(db.path,
                           "PRAGMA integrity_check; SELECT count(*), sum(length(b)) FROM t;"
                           " SELECT count(*) FROM t INDEXED BY tb WHERE b >= 'r';",
                           out, sizeof out),
               0);
  snprintf(expect, sizeof expect, "ok\n%lld|%lld\n%lld\n", (long long)count, (long long)sum, (long long)count);
  CHECK_EQ_STR(out, expect);
  db_unlink(&db);
  free(b);
}

TEST(interop_sqlite3_reads_our_database) { sqlite3_reads_our_database(4096); }
TEST(interop_sqlite3_reads_our_database_512) { sqlite3_reads_our_database(512); }
TEST(interop_sqlite3_reads_our_database_64k) { sqlite3_reads_our_database(65536); }

/* b for (rowid, version): variable length, sometimes overflowing. */
static void b_text_v(int64_t r, uint32_t v, char *buf, uint32_t *n) {
  uint32_t len = (uint32_t)((r * 31 + v * 17) % 23 == 0 ? 600 + (r * 13 + v) % 2500 : 11 + (r + v * 7) % 70), k;
  for (k = 0; k < len; k++) buf[k] = (char)('a' + (r + v + k) % 26);
  snprintf(buf, 12, "%08lld-", (long long)((r * 2654435761u + v) % 100000000));
  buf[9] = '_';
  *n = len;
}

static int idx_entry(BtCursor *ic, int64_t r, uint32_t v, char *b, int insert) {
  Val key[2] = {{'t', 0, b, 0}, {'i', r, NULL, 0}};
  IdxKeyCtx kc;
  int rc, cmp;
  b_text_v(r, v, b, &key[0].n);
  kc.rec = record_make(key, 2, &kc.n);
  if (insert) {
    rc = btree_insert_key(ic, kc.rec, kc.n, idx_key_cmp, &kc);
  } else {
    rc = btree_seek_key(ic, idx_key_cmp, &kc, &cmp);
    if (rc == LODE_OK) rc = cmp == 0 ? btree_delete(ic) : LODE_NOTFOUND;
  }
  free((void *)kc.rec);
  return rc;
}

/* Random inserts, replaces and deletes of rows and their index entries on
** 512-byte pages, then sqlite3's integrity_check and aggregates. */
TEST(interop_sqlite3_checks_after_random_churn) {
  enum { N = 2500 };
  static uint32_t ver[N + 1]; /* 0 = absent, else version */
  Db db;
  uint32_t root, iroot, rn;
  BtCursor *c, *ic;
  char *b = malloc(4000), out[512], expect[128];
  uint64_t seed = 2024;
  int op, rc = LODE_OK;
  int64_t count = 0, sum = 0, r;
  if (!have_sqlite3()) return;
  memset(ver, 0, sizeof ver);
  CHECK_EQ_INT(db_open(&db, "churn", 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, 512), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_BLOBKEY, &iroot), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, iroot, 1, &ic), LODE_OK);
  btree_cursor_set_compare(ic, idx_rec_cmp, NULL);
  for (op = 0; op < 15000 && rc == LODE_OK; op++) {
    int kind, cmp;
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    r = (int64_t)((seed >> 33) % N) + 1;
    kind = (int)((seed >> 20) % 3);
    if (ver[r] && kind == 0) {
      rc = idx_entry(ic, r, ver[r], b, 0);
      if (rc == LODE_OK) rc = btree_seek_rowid(c, r, &cmp);
      if (rc == LODE_OK) rc = cmp == 0 ? btree_delete(c) : LODE_NOTFOUND;
      ver[r] = 0;
    } else {
      Val row[2] = {{'n', 0, NULL, 0}, {'t', 0, b, 0}};
      uint8_t *rec;
      if (ver[r]) rc = idx_entry(ic, r, ver[r], b, 0);
      ver[r]++;
      b_text_v(r, ver[r], b, &row[1].n);
      rec = record_make(row, 2, &rn);
      if (rc == LODE_OK) rc = btree_insert(c, r, rec, rn);
      free(rec);
      if (rc == LODE_OK) rc = idx_entry(ic, r, ver[r], b, 1);
    }
  }
  CHECK_EQ_INT(rc, LODE_OK);
  for (r = 1; r <= N; r++) {
    uint32_t n;
    if (!ver[r]) continue;
    b_text_v(r, ver[r], b, &n);
    count++;
    sum += n;
  }
  btree_cursor_close(c);
  btree_cursor_close(ic);
  {
    const char *sql_t = "CREATE TABLE t(a INTEGER PRIMARY KEY, b)";
    const char *sql_i = "CREATE INDEX tb ON t(b)";
    Val srow[5] = {{'t', 0, "table", 5}, {'t', 0, "t", 1}, {'t', 0, "t", 1}, {'i', root, NULL, 0},
                   {'t', 0, sql_t, (uint32_t)strlen(sql_t)}};
    Val irow[5] = {{'t', 0, "index", 5}, {'t', 0, "tb", 2}, {'t', 0, "t", 1}, {'i', iroot, NULL, 0},
                   {'t', 0, sql_i, (uint32_t)strlen(sql_i)}};
    uint8_t *rec;
    CHECK_EQ_INT(btree_cursor_open(db.bt, BTREE_SCHEMA_ROOT, 1, &c), LODE_OK);
    rec = record_make(srow, 5, &rn);
    CHECK_EQ_INT(btree_insert(c, 1, rec, rn), LODE_OK);
    free(rec);
    rec = record_make(irow, 5, &rn);
    CHECK_EQ_INT(btree_insert(c, 2, rec, rn), LODE_OK);
    free(rec);
    btree_cursor_close(c);
  }
  CHECK_EQ_INT(btree_set_meta(db.bt, BTREE_META_SCHEMA_COOKIE, 1), LODE_OK);
  {
    uint32_t roots[3] = {1, root, iroot};
    CHECK_EQ_INT(check_integrity(&db, roots, 3), 0);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
  CHECK_EQ_INT(run_sqlite3(db.path,
                           "PRAGMA integrity_check; SELECT count(*), sum(length(b)) FROM t;"
                           " SELECT count(*) FROM t INDEXED BY tb WHERE b >= '0';",
                           out, sizeof out),
               0);
  snprintf(expect, sizeof expect, "ok\n%lld|%lld\n%lld\n", (long long)count, (long long)sum, (long long)count);
  CHECK_EQ_STR(out, expect);
  db_unlink(&db);
  free(b);
}

/* Reads table t(a INTEGER PRIMARY KEY, b) of a database sqlite3 wrote and
** checks rowids 1..n without multiples of 10 and b = printf('%.*c', a%700+1, 'z'). */
static void read_sqlite3_table(Db *db, int64_t n) {
  BtCursor *c;
  int eof, rc, ok = 1;
  uint32_t root = 0;
  int64_t count = 0, expect = 1;
  CHECK_EQ_INT(btree_begin_read(db->bt), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db->bt, BTREE_SCHEMA_ROOT, 0, &c), LODE_OK);
  for (rc = btree_first(c, &eof); rc == LODE_OK && !eof; rc = btree_next(c, &eof)) {
    uint32_t len = btree_payload_size(c);
    uint8_t *rec = malloc(len);
    const uint8_t *z;
    uint32_t zn;
    int64_t iv;
    btree_payload(c, 0, len, rec);
    if (record_column(rec, len, 1, &iv, &z, &zn) && zn == 1 && z[0] == 't') {
      record_column(rec, len, 3, &iv, &z, &zn);
      root = (uint32_t)iv;
    }
    free(rec);
  }
  btree_cursor_close(c);
  CHECK(root > 1);
  if (root <= 1) {
    btree_end_read(db->bt);
    return;
  }
  CHECK_EQ_INT(btree_cursor_open(db->bt, root, 0, &c), LODE_OK);
  for (rc = btree_first(c, &eof); rc == LODE_OK && !eof; rc = btree_next(c, &eof)) {
    uint32_t len = btree_payload_size(c);
    uint8_t *rec = malloc(len);
    const uint8_t *z;
    uint32_t zn, k;
    int64_t iv, r = btree_rowid(c);
    if (expect % 10 == 0) expect++;
    if (r != expect) ok = 0;
    btree_payload(c, 0, len, rec);
    if (!record_column(rec, len, 1, &iv, &z, &zn) || zn != (uint32_t)(r % 3000 + 1)) ok = 0;
    for (k = 0; ok && k < zn; k++)
      if (z[k] != 'z') ok = 0;
    free(rec);
    expect++;
    count++;
  }
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK(ok);
  CHECK_EQ_INT(count, n - n / 10);
  {
    uint32_t roots[2] = {1, root};
    /* the index tb is not listed: its pages show up as never used */
    char *errors = NULL;
    int nerr = 0;
    CHECK_EQ_INT(btree_integrity_check(db->bt, roots, 2, 1000, &errors, &nerr), LODE_OK);
    CHECK(nerr > 0 && errors && strstr(errors, ": never used") != NULL);
    util_free(errors);
  }
  btree_cursor_close(c);
  btree_end_read(db->bt);
}

#define SQLITE3_FILL                                                                                         \
  "CREATE TABLE t(a INTEGER PRIMARY KEY, b); CREATE INDEX tb ON t(b);"                                       \
  " WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<5000)"                              \
  " INSERT INTO t SELECT x, printf('%.*c', x%3000+1, 'z') FROM c; DELETE FROM t WHERE a%10=0;"

TEST(interop_we_read_sqlite3_rollback_database) {
  Db db;
  char out[256];
  if (!have_sqlite3()) return;
  CHECK_EQ_INT(db_open(&db, "interop_in", 1), LODE_OK);
  db_close(&db);
  db_remove_files(db.path);
  CHECK_EQ_INT(run_sqlite3(db.path, "PRAGMA journal_mode=DELETE; PRAGMA page_size=1024;" SQLITE3_FILL, out,
                           sizeof out),
               0);
  CHECK_EQ_INT(db_open(&db, "interop_in", 0), LODE_OK);
  CHECK_EQ_INT(pager_page_size(db.pager), 1024);
  read_sqlite3_table(&db, 5000);
  db_close(&db);
  db_unlink(&db);
}

TEST(interop_we_read_sqlite3_wal_database) {
  Db db;
  char cmd[512], done[300];
  FILE *f;
  int i;
  if (!have_sqlite3()) return;
  CHECK_EQ_INT(db_open(&db, "interop_wal", 1), LODE_OK);
  db_close(&db);
  db_remove_files(db.path);
  /* Keep sqlite3 running so that its WAL is not checkpointed away while we read. */
  snprintf(done, sizeof done, "%s.done", db.path);
  unlink(done);
  snprintf(cmd, sizeof cmd, "%s '%s' > /dev/null 2>&1", SQLITE3_CLI, db.path);
  f = popen(cmd, "w");
  CHECK(f != NULL);
  if (!f) return;
  fprintf(f, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;\n%s\n.shell touch '%s'\n", SQLITE3_FILL,
          done);
  fflush(f);
  for (i = 0; i < 200 && access(done, F_OK) != 0; i++) usleep(50000);
  CHECK(access(done, F_OK) == 0);
  {
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", db.path);
    CHECK(access(wal, F_OK) == 0);
  }
  CHECK_EQ_INT(pager_open(db.path, PAGER_OPEN_READONLY, &db.pager), LODE_OK);
  CHECK_EQ_INT(btree_open(db.pager, &db.bt), LODE_OK);
  read_sqlite3_table(&db, 5000);
  db_close(&db);
  pclose(f);
  unlink(done);
  db_unlink(&db);
}

/* Random inserts and deletes in an index on 512-byte pages (keys up to
** 1500 bytes: overflow in interior cells too) against a model. */
/* A key that sorts as the 8-byte big-endian number v and a tie answer:
** tie 0 compares plainly; +1/-1 make an entry equal to the key sort after or
** before it, as the VM's seeks for the first or last of equal entries do. */
typedef struct TieKey {
  uint8_t key[8];
  int tie;
} TieKey;

static int tie_key_cmp(void *ctx, const void *key, uint32_t n) {
  TieKey *t = ctx;
  int r = memcmp(key, t->key, n < 8 ? n : 8);
  if (r == 0 && n < 8) r = -1;
  return r ? r : t->tie;
}

/* An index seek from a cursor standing on an entry searches only that
** entry's leaf when the key lies within it, or past an end of the tree: from
** every entry of a three-level tree, seeks of the entry itself, its
** neighbours and the gaps beside them, of the tree's ends and past them, and
** of random keys, each with every tie answer, end on the entry a fresh
** cursor's descent from the root ends on, with the same result. */
TEST(index_seek_from_an_entry_ends_where_a_descent_does) {
  enum { N = 4000 };
  Db db;
  uint32_t root;
  BtCursor *c, *fresh;
  uint8_t buf[1600];
  uint64_t rng = 0x2545f4914f6cdd1dull;
  int i, ok = 1, seeks = 0, rc = LODE_OK;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, 1024), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_BLOBKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  btree_cursor_set_compare(c, rec_cmp, NULL);
  /* Keys 10, 20, ... 10 * N, inserted in order; every fifth one long enough
  ** to spill to overflow pages (make_key). */
  for (i = 1; i <= N && rc == LODE_OK; i++) {
    KeyCtx k;
    k.n = make_key((uint64_t)i * 10, buf);
    k.key = buf;
    rc = btree_insert_key(c, buf, k.n, key_cmp, &k);
  }
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 0, &fresh), LODE_OK);
  for (i = 1; i <= N && ok; i++) {
    uint64_t at = (uint64_t)i * 10;
    uint64_t want[10] = {at, at - 10, at + 10, at - 5, at + 5, at + 200, at - 200, 0, 10 * N + 5, 0};
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    want[9] = (rng >> 33) % (10 * N + 20);
    for (int w = 0; w < 10 && ok; w++) {
      for (int tie = -1; tie <= 1 && ok; tie++) {
        TieKey on = {{0}, 0}, t = {{0}, tie};
        int cmp = 0, cmp2 = 0;
        util_put4(on.key, (uint32_t)(at >> 32));
        util_put4(on.key + 4, (uint32_t)at);
        util_put4(t.key, (uint32_t)(want[w] >> 32));
        util_put4(t.key + 4, (uint32_t)want[w]);
        /* Stand on the entry first (a leaf entry or an interior one). */
        if (btree_seek_key(c, tie_key_cmp, &on, &cmp) != LODE_OK || cmp != 0) ok = 0;
        if (ok && btree_seek_key(c, tie_key_cmp, &t, &cmp) != LODE_OK) ok = 0;
        btree_cursor_close(fresh);
        if (btree_cursor_open(db.bt, root, 0, &fresh) != LODE_OK) ok = 0;
        if (ok && btree_seek_key(fresh, tie_key_cmp, &t, &cmp2) != LODE_OK) ok = 0;
        if (ok) {
          uint8_t a[8] = {0}, b[8] = {0};
          int eof1 = btree_eof(c), eof2 = btree_eof(fresh);
          if (!eof1) btree_payload(c, 0, 8, a);
          if (!eof2) btree_payload(fresh, 0, 8, b);
          if (cmp != cmp2 || eof1 != eof2 || memcmp(a, b, 8) != 0) {
            fprintf(stderr, "    from %llu seeking %llu tie %d: cmp %d at %llu, descent cmp %d at %llu\n",
                    (unsigned long long)at, (unsigned long long)want[w], tie, cmp,
                    (unsigned long long)util_get4(a + 4), cmp2, (unsigned long long)util_get4(b + 4));
            ok = 0;
          }
        }
        seeks++;
      }
    }
  }
  CHECK(ok);
  CHECK_EQ_INT(seeks, N * 30);
  btree_cursor_close(fresh);
  btree_cursor_close(c);
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
}

TEST(small_pages_index_random_mixed_operations) {
  enum { N = 3000 };
  Db db;
  uint32_t root;
  BtCursor *c;
  static uint8_t present[N];
  uint8_t buf[1600], got[1600];
  uint64_t seed = 99;
  int round, op, rc = LODE_OK, ok = 1;
  memset(present, 0, sizeof present);
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, 512), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_BLOBKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  btree_cursor_set_compare(c, rec_cmp, NULL);
  for (round = 0; round < 4 && rc == LODE_OK; round++) {
    for (op = 0; op < 5000 && rc == LODE_OK; op++) {
      KeyCtx k;
      int cmp;
      uint64_t id;
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      id = (seed >> 33) % N;
      k.n = make_key(id, buf);
      k.key = buf;
      if (round == 0 || ((seed >> 20) & 1)) {
        rc = btree_insert_key(c, buf, k.n, key_cmp, &k);
        present[id] = 1;
      } else {
        rc = btree_seek_key(c, key_cmp, &k, &cmp);
        if (rc == LODE_OK && (cmp == 0) != present[id]) ok = 0;
        if (rc == LODE_OK && cmp == 0) rc = btree_delete(c);
        present[id] = 0;
      }
    }
    CHECK_EQ_INT(rc, LODE_OK);
    {
      int eof;
      uint64_t id = 0;
      for (rc = btree_first(c, &eof); rc == LODE_OK && !eof; rc = btree_next(c, &eof)) {
        uint32_t n;
        while (id < N && !present[id]) id++;
        if (id >= N) {
          ok = 0;
          break;
        }
        n = make_key(id, buf);
        if (btree_payload_size(c) != n || btree_payload(c, 0, n, got) != LODE_OK || memcmp(buf, got, n) != 0) ok = 0;
        id++;
      }
      while (id < N && !present[id]) id++;
      if (id != N) ok = 0;
      CHECK(ok);
    }
    {
      uint32_t roots[2] = {1, root};
      CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
    }
  }
  /* Delete everything in a DELETE ... WHERE style loop. */
  {
    int eof, n = 0;
    for (rc = btree_first(c, &eof); rc == LODE_OK && !eof;) {
      rc = btree_delete(c);
      if (rc == LODE_OK) rc = btree_next(c, &eof);
      n++;
    }
    CHECK_EQ_INT(rc, LODE_OK);
    CHECK_EQ_INT(btree_first(c, &eof), LODE_OK);
    CHECK_EQ_INT(eof, 1);
    CHECK_EQ_INT(pager_page_count(db.pager) - meta(&db, BTREE_META_FREELIST_COUNT), 2);
  }
  btree_cursor_close(c);
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
}

/* Writes a b-tree page by hand: type, cells (already encoded), right child. */
static void write_page(Db *db, uint32_t pgno, uint8_t type, uint8_t cells[][128], const int *lens, int n,
                       uint32_t right) {
  DbPage *pg;
  uint32_t content = pager_usable_size(db->pager);
  int hs = (type & 8) ? 8 : 12, i;
  if (pager_get(db->pager, pgno, &pg) != LODE_OK) return;
  pager_write(pg);
  memset(pg->data, 0, pager_page_size(db->pager));
  pg->data[0] = type;
  util_put2(pg->data + 3, (uint32_t)n);
  if (hs == 12) util_put4(pg->data + 8, right);
  for (i = 0; i < n; i++) {
    content -= (uint32_t)lens[i];
    memcpy(pg->data + content, cells[i], (size_t)lens[i]);
    util_put2(pg->data + hs + 2 * i, content);
  }
  util_put2(pg->data + 5, content);
  pager_unref(pg);
}

/* Index key: first byte c, total length len, rest 'x'. */
static int index_cell(uint8_t *out, uint32_t child, char c, int len) {
  int off = 0;
  if (child) {
    util_put4(out, child);
    off = 4;
  }
  off += util_varint_put(out + off, (uint64_t)len);
  out[off] = (uint8_t)c;
  memset(out + off + 1, 'x', (size_t)len - 1);
  return off + len;
}

/* Deleting an index entry that sits in an interior page whose predecessor
** is alone in its leaf (the leaf must go); with nent == 5 the bigger
** replacement does not fit the interior page either. */
static void interior_delete_case(int nent) {
  Db db;
  uint32_t root, leaf[6];
  uint8_t cells[6][128];
  int lens[6], i, eof, cmp, rc, count = 0, ok = 1;
  BtCursor *c;
  KeyCtx k;
  uint8_t key[16];
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, 512), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_BLOBKEY, &root), LODE_OK);
  for (i = 0; i <= nent; i++) {
    DbPage *pg;
    leaf[i] = pager_page_count(db.pager) + 1;
    CHECK_EQ_INT(pager_get(db.pager, leaf[i], &pg), LODE_OK);
    pager_unref(pg);
  }
  /* Root: E0='b'(100) E1='d'(10) E2='f'(100) ...; children: 'a' 'c'(100, alone) 'e' 'g' 'i' 'k'. */
  for (i = 0; i < nent; i++) lens[i] = index_cell(cells[i], leaf[i], (char)('b' + 2 * i), i == 1 ? 10 : 100);
  write_page(&db, root, 0x02, cells, lens, nent, leaf[nent]);
  for (i = 0; i <= nent; i++) {
    uint8_t one[1][128];
    int len1 = index_cell(one[0], 0, (char)('a' + 2 * i), i == 1 ? 100 : 20);
    write_page(&db, leaf[i], 0x0a, one, &len1, 1, 0);
  }
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  btree_cursor_set_compare(c, rec_cmp, NULL);
  k.n = (uint32_t)index_cell(key, 0, 'd', 10) - 1;
  k.key = key + 1;
  CHECK_EQ_INT(btree_seek_key(c, key_cmp, &k, &cmp), LODE_OK);
  CHECK_EQ_INT(cmp, 0);
  CHECK_EQ_INT(btree_delete(c), LODE_OK);
  CHECK_EQ_INT(btree_next(c, &eof), LODE_OK);
  CHECK_EQ_INT(eof, 0);
  {
    uint8_t b0 = 0;
    btree_payload(c, 0, 1, &b0);
    CHECK_EQ_INT(b0, 'e');
    CHECK_EQ_INT(btree_prev(c, &eof), LODE_OK);
    btree_payload(c, 0, 1, &b0);
    CHECK_EQ_INT(b0, 'c');
  }
  /* All keys but 'd' remain, in order. */
  for (rc = btree_first(c, &eof); rc == LODE_OK && !eof; rc = btree_next(c, &eof)) {
    uint8_t b0 = 0;
    btree_payload(c, 0, 1, &b0);
    if (count >= 2 * nent || b0 != "abcefghijk"[count]) ok = 0;
    count++;
  }
  CHECK(ok);
  CHECK_EQ_INT(count, 2 * nent);
  btree_cursor_close(c);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
}

TEST(index_interior_delete_with_lonely_predecessor) { interior_delete_case(4); }
TEST(index_interior_delete_replacement_overflows_parent) { interior_delete_case(5); }

/* sqlite_schema's root is page 1, behind the 100-byte header: it splits
** and shrinks back like any root. */
TEST(page1_root_splits_and_shrinks) {
  enum { N = 3000 };
  Db db;
  int64_t ids[N];
  int i, eof, rc;
  BtCursor *c;
  for (i = 0; i < N; i++) ids[i] = N - i;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, 512), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(insert_rows(&db, BTREE_SCHEMA_ROOT, ids, N), LODE_OK);
  CHECK_EQ_INT(scan_table(&db, BTREE_SCHEMA_ROOT, 1), N);
  {
    uint32_t roots[1] = {1};
    CHECK_EQ_INT(check_integrity(&db, roots, 1), 0);
  }
  CHECK_EQ_INT(btree_cursor_open(db.bt, BTREE_SCHEMA_ROOT, 1, &c), LODE_OK);
  for (rc = btree_last(c, &eof); rc == LODE_OK && !eof; rc = btree_prev(c, &eof)) {
    rc = btree_delete(c);
    if (rc != LODE_OK) break;
  }
  CHECK_EQ_INT(rc, LODE_OK);
  btree_cursor_close(c);
  CHECK_EQ_INT(pager_page_count(db.pager) - meta(&db, BTREE_META_FREELIST_COUNT), 1);
  {
    uint32_t roots[1] = {1};
    CHECK_EQ_INT(check_integrity(&db, roots, 1), 0);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
}

/* Index keys of 0 and 1 bytes: their cells are padded to 4 bytes on leaves
** and must lose the padding when they move up as dividers. */
TEST(index_tiny_keys) {
  Db db;
  uint32_t root;
  BtCursor *c;
  uint8_t key[1];
  int i, eof, rc, count = 0;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, 512), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_BLOBKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &c), LODE_OK);
  btree_cursor_set_compare(c, rec_cmp, NULL);
  for (i = -1; i < 256; i++) {
    KeyCtx k;
    key[0] = (uint8_t)((i * 37) & 0xff);
    k.key = key;
    k.n = i < 0 ? 0 : 1;
    CHECK_EQ_INT(btree_insert_key(c, key, k.n, key_cmp, &k), LODE_OK);
  }
  for (rc = btree_first(c, &eof); rc == LODE_OK && !eof; rc = btree_next(c, &eof)) {
    uint8_t b = 0;
    if (count == 0) CHECK_EQ_INT(btree_payload_size(c), 0);
    else if (btree_payload(c, 0, 1, &b) != LODE_OK || b != count - 1) CHECK_EQ_INT(b, count - 1);
    count++;
  }
  CHECK_EQ_INT(count, 257);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  for (rc = btree_first(c, &eof); rc == LODE_OK && !eof;) {
    rc = btree_delete(c);
    if (rc == LODE_OK) rc = btree_next(c, &eof);
  }
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK_EQ_INT(pager_page_count(db.pager) - meta(&db, BTREE_META_FREELIST_COUNT), 2);
  btree_cursor_close(c);
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
}

/* Random byte damage to random pages: every operation returns a code (most
** often LODE_CORRUPT) and nothing crashes; run it under ASan. */
TEST(random_page_damage_never_crashes) {
  enum { N = 1500 };
  Db db;
  uint32_t root, iroot, npages;
  int64_t ids[N];
  uint64_t seed = 77;
  int i, iter, corrupt_seen = 0;
  for (i = 0; i < N; i++) ids[i] = (int64_t)((i * 7919) % N) + 1;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, 512), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_INTKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_BLOBKEY, &iroot), LODE_OK);
  CHECK_EQ_INT(insert_rows(&db, root, ids, N), LODE_OK);
  {
    BtCursor *c;
    uint8_t buf[1600];
    CHECK_EQ_INT(btree_cursor_open(db.bt, iroot, 1, &c), LODE_OK);
    for (i = 0; i < 600; i++) {
      KeyCtx k;
      k.n = make_key((uint64_t)i, buf);
      k.key = buf;
      btree_insert_key(c, buf, k.n, key_cmp, &k);
    }
    btree_cursor_close(c);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  npages = pager_page_count(db.pager);
  for (iter = 0; iter < 300; iter++) {
    uint32_t roots[3] = {1, root, iroot};
    char *errors = NULL;
    int nerr = 0, j, rc;
    BtCursor *c;
    if (btree_begin_write(db.bt) != LODE_OK) break;
    for (j = 0; j < 3; j++) {
      uint8_t b;
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      b = (uint8_t)(seed >> 56);
      poke(&db, (uint32_t)((seed >> 33) % npages) + 1, (uint32_t)((seed >> 13) % 512), &b, 1);
    }
    rc = scan_rc(&db, root);
    if (rc == LODE_CORRUPT) corrupt_seen++;
    scan_rc(&db, iroot);
    btree_integrity_check(db.bt, roots, 3, 20, &errors, &nerr);
    util_free(errors);
    if (btree_cursor_open(db.bt, root, 1, &c) == LODE_OK) {
      int cmp, eof;
      uint8_t big[3000] = {0};
      for (j = 0; j < 40; j++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        if (btree_insert(c, (int64_t)((seed >> 33) % (N * 2)), big, (uint32_t)((seed >> 20) % 3000)) != LODE_OK)
          break;
        if (btree_seek_rowid(c, (int64_t)((seed >> 40) % N), &cmp) == LODE_OK && cmp == 0 && btree_delete(c) != LODE_OK)
          break;
      }
      btree_first(c, &eof);
      btree_cursor_close(c);
    }
    CHECK_EQ_INT(btree_rollback(db.bt), LODE_OK);
  }
  CHECK(corrupt_seen > 0);
  /* After all the rollbacks the committed tree is intact. */
  CHECK_EQ_INT(btree_begin_read(db.bt), LODE_OK);
  CHECK_EQ_INT(scan_table(&db, root, 1), N);
  btree_end_read(db.bt);
  db_close(&db);
}

/* An index cursor walking entries while another cursor deletes the entry
** it stands on and inserts new ones: it re-seeks by key and carries on. */
/* An index insert may take its place from the cursor's last seek (the
** uniqueness probe) instead of descending: only where the key sorts between
** the two entries around that place.  Here the seek before each insert is
** for the key itself, for another key, or followed by a step, and a second
** cursor writes in between: every key must end up once, in order. */
TEST(index_insert_after_probe_reuses_only_a_fitting_place) {
  enum { N = 6000 };
  Db db;
  uint32_t root;
  BtCursor *a, *b;
  uint8_t buf[1600], other[1600];
  uint64_t prev = 0;
  int i, cmp, eof, rc, n = 0, ordered = 1;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, 1024), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_BLOBKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &a), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &b), LODE_OK);
  btree_cursor_set_compare(a, rec_cmp, NULL);
  btree_cursor_set_compare(b, rec_cmp, NULL);
  for (i = 0; i < N; i++) {
    uint64_t v = ((uint64_t)i * 7919) % N * 2; /* even keys, out of order */
    KeyCtx k, o;
    k.n = make_key(v, buf);
    k.key = buf;
    if (i % 4 == 1) { /* the last seek was for another key */
      o.n = make_key((v * 31) % (2 * N), other);
      o.key = other;
      CHECK_EQ_INT(btree_seek_key(a, key_cmp, &o, &cmp), LODE_OK);
    } else {
      CHECK_EQ_INT(btree_seek_key(a, key_cmp, &k, &cmp), LODE_OK);
      if (!btree_eof(a)) CHECK(cmp != 0);
    }
    if (i % 4 == 2 && !btree_eof(a)) CHECK_EQ_INT(btree_next(a, &eof), LODE_OK);
    if (i % 6 == 3) { /* another cursor writes an odd key */
      o.n = make_key(v + 1, other);
      o.key = other;
      CHECK_EQ_INT(btree_insert_key(b, other, o.n, key_cmp, &o), LODE_OK);
    }
    CHECK_EQ_INT(btree_insert_key(a, buf, k.n, key_cmp, &k), LODE_OK);
  }
  for (rc = btree_first(a, &eof); rc == LODE_OK && !eof; rc = btree_next(a, &eof)) {
    uint8_t hdr[8];
    uint64_t v;
    btree_payload(a, 0, 8, hdr);
    v = ((uint64_t)util_get4(hdr) << 32) | util_get4(hdr + 4);
    if (n > 0 && v <= prev) ordered = 0;
    prev = v;
    n++;
  }
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK(ordered);
  CHECK_EQ_INT(n, N + (N + 2) / 6); /* i % 6 == 3 for (N + 2) / 6 values of i */
  btree_cursor_close(a);
  btree_cursor_close(b);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
}

TEST(index_cursor_survives_other_cursor_writes) {
  enum { N = 3000 };
  Db db;
  uint32_t root;
  BtCursor *r, *w;
  uint8_t buf[1600];
  int i, eof, rc, seen = 0, ok = 1;
  uint64_t prev = 0;
  CHECK_EQ_INT(db_open(&db, NULL, 1), LODE_OK);
  CHECK_EQ_INT(pager_set_page_size(db.pager, 1024), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(db.bt), LODE_OK);
  CHECK_EQ_INT(btree_create(db.bt, BTREE_BLOBKEY, &root), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 1, &w), LODE_OK);
  CHECK_EQ_INT(btree_cursor_open(db.bt, root, 0, &r), LODE_OK);
  btree_cursor_set_compare(w, rec_cmp, NULL);
  btree_cursor_set_compare(r, rec_cmp, NULL);
  for (i = 0; i < N; i += 2) {
    KeyCtx k;
    k.n = make_key((uint64_t)i, buf);
    k.key = buf;
    CHECK_EQ_INT(btree_insert_key(w, buf, k.n, key_cmp, &k), LODE_OK);
  }
  /* The reader sees even keys; for each, the writer deletes it and inserts
  ** the odd key after it: the reader must see every even key exactly once
  ** and every odd key inserted ahead of it. */
  for (rc = btree_first(r, &eof); rc == LODE_OK && !eof; rc = btree_next(r, &eof)) {
    uint8_t hdr[8];
    uint64_t v;
    KeyCtx k;
    int cmp;
    btree_payload(r, 0, 8, hdr);
    v = ((uint64_t)util_get4(hdr) << 32) | util_get4(hdr + 4);
    if (seen > 0 && v != prev + 1) ok = 0;
    prev = v;
    seen++;
    if (v % 2 == 0) {
      k.n = make_key(v, buf);
      k.key = buf;
      if (btree_seek_key(w, key_cmp, &k, &cmp) != LODE_OK || cmp != 0 || btree_delete(w) != LODE_OK) ok = 0;
      k.n = make_key(v + 1, buf);
      if (btree_insert_key(w, buf, k.n, key_cmp, &k) != LODE_OK) ok = 0;
    }
  }
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK(ok);
  CHECK_EQ_INT(seen, N);
  btree_cursor_close(r);
  btree_cursor_close(w);
  {
    uint32_t roots[2] = {1, root};
    CHECK_EQ_INT(check_integrity(&db, roots, 2), 0);
  }
  CHECK_EQ_INT(btree_commit(db.bt), LODE_OK);
  db_close(&db);
}

int main(void) {
  RUN(new_database_header);
  RUN(schema_cookie_follows_writes_rollbacks_and_other_commits);
  RUN(random_100k_rows_in_memory);
  RUN(random_100k_rows_on_file_and_reopen);
  RUN(sequential_inserts_fill_pages);
  RUN(sequential_inserts_on_small_pages_split_parents_too);
  RUN(long_rowid_varints_in_interior_pages_balance);
  RUN(large_rows_written_into_gaps_take_new_leaves);
  RUN(insert_existing_rowid_replaces);
  RUN(overflowing_rows_rewritten_in_place_and_reused_pages_cleared);
  RUN(insert_after_probe_reuses_only_a_current_seek);
  RUN(seek_rowid_stays_only_on_the_row_sought);
  RUN(row_resized_in_place_matches_the_general_path);
  RUN(row_resized_from_bytes_on_its_own_page_matches_a_copy);
  RUN(delete_every_other_row);
  RUN(delete_all_rows_shrinks_tree);
  RUN(overflow_payloads_round_trip);
  RUN(drop_frees_pages_for_reuse);
  RUN(clear_frees_inline_and_overflow_cells_and_reports_bad_cells);
  RUN(seek_exact_and_nearest);
  RUN(seek_lands_beside_missing_rowids_of_every_varint_length);
  RUN(seek_from_a_leaf_end_only_stays_at_the_table_end);
  RUN(seek_from_a_row_ends_where_a_descent_does);
  RUN(index_seek_from_an_entry_ends_where_a_descent_does);
  RUN(other_cursor_survives_writes);
  RUN(delete_leaves_cursor_between_neighbours);
  RUN(scan_steps_across_leaves_both_ways_with_deletes_between_steps);
  RUN(scan_step_to_a_bad_sibling_is_corrupt);
  RUN(small_pages_random_mixed_operations);
  RUN(corruption_is_reported_not_crashed);
  RUN(single_leaf_churn_compacts_with_fragments_kept_exact);
  RUN(insert_into_leaf_overstating_fragments_is_corrupt);
  RUN(insert_into_leaf_with_looping_freeblock_list_compacts);
  RUN(allocation_failures_return_nomem);
  RUN(index_insert_iterate_delete);
  RUN(index_walk_deleting_runs_keeps_its_place_through_merges);
  RUN(delete_of_a_cell_running_past_the_page_is_corrupt);
  RUN(index_append_key_in_order_and_out_of_order);
  RUN(sorted_key_appends_fill_the_rightmost_leaf);
  RUN(rows_after_the_last_rowid_append_in_place);
  RUN(small_pages_index_random_mixed_operations);
  RUN(index_interior_delete_with_lonely_predecessor);
  RUN(index_interior_delete_replacement_overflows_parent);
  RUN(page1_root_splits_and_shrinks);
  RUN(index_tiny_keys);
  RUN(index_cursor_survives_other_cursor_writes);
  RUN(index_insert_after_probe_reuses_only_a_fitting_place);
  RUN(random_page_damage_never_crashes);
  RUN(interop_sqlite3_reads_our_database);
  RUN(interop_sqlite3_reads_our_database_512);
  RUN(interop_sqlite3_reads_our_database_64k);
  RUN(interop_sqlite3_checks_after_random_churn);
  RUN(interop_we_read_sqlite3_rollback_database);
  RUN(interop_we_read_sqlite3_wal_database);
  return test_summary();
}
