/*
** test_wal_frames.c — the frame API of replication: frames read from one
** database's WAL and applied to another reproduce it, commit by commit
** (across checkpoints that restart either WAL, spilled transactions and
** encryption), and every frame that does not continue the local log is
** refused with a message, leaving the database as it was.
**
** The shipper here does what a replication layer must: it turns its
** source's automatic checkpoints off, ships after every commit, tells a
** restarted WAL by salt-1 of frame 1, and numbers the frames it applies by
** the replica's own log (whose checkpoints are its own business).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lode.h"
#include "sqlite3.h"
#include "testdb.h"
#include "testlib.h"

#define FRAME_MAX (24 + 65536)
#define KEY_A "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define KEY_B "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

static char tmpdir[256];
static uint8_t frame[FRAME_MAX];

static const char *db_path(const char *name) {
  static char paths[4][600];
  static int next;
  char *p = paths[next++ % 4];
  snprintf(p, 600, "%s/%s", tmpdir, name);
  remove_db(p);
  return p;
}

static lode *open_db(const char *path) {
  lode *db = NULL;
  if (lode_open(path, &db) != LODE_OK) return NULL;
  return db;
}

static lode *open_encrypted(const char *path, const char *key) {
  char uri[800];
  snprintf(uri, sizeof uri, "file:%s?cipher=aegis256&hexkey=%s", path, key);
  lode *db = NULL;
  if (lode_open_v2(uri, &db, LODE_OPEN_READWRITE | LODE_OPEN_CREATE | LODE_OPEN_URI, NULL) != LODE_OK) return NULL;
  return db;
}

/* What a replica must reproduce: the schema and every row of t and u. */
static char *dump(lode *db) {
  char *out = util_mprintf("%s", query(db, "SELECT type, name, sql FROM sqlite_schema ORDER BY name"));
  const char *tables[] = {"t", "u"};
  for (int i = 0; out && i < 2; i++) {
    char sql[100];
    snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY rowid", tables[i]);
    char *more = util_mprintf("%s%s:\n%s", out, tables[i], query(db, sql));
    util_free(out);
    out = more;
  }
  return out;
}

static int same_content(lode *a, lode *b) {
  char *x = dump(a), *y = dump(b);
  int same = x && y && strcmp(x, y) == 0;
  if (!same) printf("  source:\n%.400s\n  replica:\n%.400s\n", x ? x : "(null)", y ? y : "(null)");
  util_free(x);
  util_free(y);
  return same;
}

/* The shipper's memory of its source's WAL: the generation (salt-1) and
** the last frame shipped of it. */
typedef struct Shipper {
  int started;
  uint32_t salt1;
  uint32_t last;
  int commits; /* applied so far */
} Shipper;

/* Ships every frame of src not shipped yet into dst; LODE_OK or the first failure. */
static int ship(lode *src, lode *dst, Shipper *s) {
  unsigned count = 0, local = 0;
  int rc = lode_wal_frame_count(src, &count);
  if (rc != LODE_OK || count == 0) return rc;
  rc = lode_wal_get_frame(src, 1, frame, sizeof frame);
  if (rc != LODE_OK) return rc;
  uint32_t salt1 = util_get4(frame + 8), from = 1;
  if (s->started && salt1 == s->salt1) from = s->last + 1; /* else the WAL started over: all of it is new */
  rc = lode_wal_insert_begin(dst);
  if (rc == LODE_OK) rc = lode_wal_frame_count(dst, &local);
  unsigned next = local + 1;
  for (uint32_t f = from; rc == LODE_OK && f <= count; f++) {
    rc = lode_wal_get_frame(src, f, frame, sizeof frame);
    if (rc != LODE_OK) break;
    unsigned size = 24 + (unsigned)query_int(src, "PRAGMA page_size");
    int conflict = 0;
    rc = lode_wal_insert_frame(dst, next, frame, size, &conflict);
    if (rc != LODE_OK) break;
    if (util_get4(frame + 4) != 0) {
      s->commits++;
      rc = lode_wal_frame_count(dst, &local); /* a checkpoint may have restarted it */
      next = local + 1;
    } else {
      next++;
    }
  }
  lode_wal_insert_end(dst);
  if (rc != LODE_OK) return rc;
  s->started = 1;
  s->salt1 = salt1;
  s->last = count;
  return LODE_OK;
}

static int exec(lode *db, const char *sql) { return lode_exec(db, sql, NULL); }

static int random_commit(lode *db, Rng *r, int i) {
  char sql[300];
  switch (rng_int(r, 4)) {
  case 0:
    snprintf(sql, sizeof sql, "INSERT INTO t(a, b) VALUES (%d, randomblob(%d))", i, 10 + rng_int(r, 3000));
    break;
  case 1:
    snprintf(sql, sizeof sql, "UPDATE t SET b = zeroblob(%d) WHERE a %% 7 = %d", rng_int(r, 500), rng_int(r, 7));
    break;
  case 2:
    snprintf(sql, sizeof sql, "DELETE FROM t WHERE a %% 11 = %d", rng_int(r, 11));
    break;
  default:
    snprintf(sql, sizeof sql, "BEGIN; INSERT INTO u VALUES (%d, 'x%d'); INSERT INTO u VALUES (%d, 'y'); COMMIT", i,
             i, -i);
  }
  return exec(db, sql);
}

/* Commit frames in src's WAL (it never checkpointed). */
static int commit_frames(lode *src) {
  unsigned count = 0;
  int n = 0;
  lode_wal_frame_count(src, &count);
  for (unsigned f = 1; f <= count; f++)
    if (lode_wal_get_frame(src, f, frame, sizeof frame) == LODE_OK && util_get4(frame + 4) != 0) n++;
  return n;
}

TEST(frames_copied_commit_by_commit_reproduce_the_database) {
  lode *src = open_db(db_path("copy_src.db")), *dst = open_db(db_path("copy_dst.db"));
  CHECK(src && dst);
  CHECK_EQ_INT(lode_wal_disable_checkpoint(src), LODE_OK);
  CHECK_EQ_INT(exec(src, "CREATE TABLE t(a, b); CREATE TABLE u(k INTEGER PRIMARY KEY, v)"), LODE_OK);
  Shipper s = {0};
  CHECK_EQ_INT(ship(src, dst, &s), LODE_OK);
  Rng r;
  rng_seed(&r, 18);
  for (int i = 0; i < 60; i++) {
    CHECK_EQ_INT(random_commit(src, &r, i), LODE_OK);
    CHECK_EQ_INT(ship(src, dst, &s), LODE_OK);
  }
  CHECK_EQ_INT(s.commits, commit_frames(src));
  CHECK(s.commits > 30);
  CHECK(same_content(src, dst));
  unsigned a = 0, b = 0;
  CHECK_EQ_INT(lode_wal_frame_count(src, &a), LODE_OK);
  CHECK_EQ_INT(lode_wal_frame_count(dst, &b), LODE_OK);
  CHECK_EQ_INT(b, a); /* neither checkpointed: the replica's WAL mirrors the source's */
  CHECK_EQ_STR(query(dst, "PRAGMA integrity_check"), "ok\n");
  lode_close(src);
  lode_close(dst);
}

TEST(a_replica_connection_sees_each_applied_commit_at_once) {
  const char *dpath = db_path("seen_dst.db");
  lode *src = open_db(db_path("seen_src.db")), *dst = open_db(dpath), *other = open_db(dpath);
  CHECK(src && dst && other);
  lode_wal_disable_checkpoint(src);
  CHECK_EQ_INT(exec(src, "CREATE TABLE t(a, b)"), LODE_OK);
  Shipper s = {0};
  CHECK_EQ_INT(ship(src, dst, &s), LODE_OK);
  CHECK_EQ_STR(query(dst, "SELECT count(*) FROM t"), "0\n");
  CHECK_EQ_INT(exec(src, "INSERT INTO t VALUES (1, 'one'); CREATE TABLE u(k, v); INSERT INTO u VALUES (2, 'two')"),
               LODE_OK);
  CHECK_EQ_INT(ship(src, dst, &s), LODE_OK);
  /* The applying connection's cached pages and schema are the old ones. */
  CHECK_EQ_STR(query(dst, "SELECT a, b FROM t"), "1|one\n");
  CHECK_EQ_STR(query(dst, "SELECT k, v FROM u"), "2|two\n");
  CHECK_EQ_STR(query(other, "SELECT k, v FROM u"), "2|two\n");
  lode_close(src);
  lode_close(dst);
  lode_close(other);
}

TEST(frames_survive_checkpoints_that_restart_either_wal) {
  lode *src = open_db(db_path("ckpt_src.db")), *dst = open_db(db_path("ckpt_dst.db"));
  CHECK(src && dst);
  lode_wal_disable_checkpoint(src);
  /* The replica checkpoints on its own, every few frames. */
  CHECK_EQ_INT(exec(dst, "PRAGMA wal_autocheckpoint = 3"), LODE_OK);
  CHECK_EQ_INT(exec(src, "CREATE TABLE t(a, b); CREATE TABLE u(k INTEGER PRIMARY KEY, v)"), LODE_OK);
  Shipper s = {0};
  CHECK_EQ_INT(ship(src, dst, &s), LODE_OK);
  Rng r;
  rng_seed(&r, 7);
  int restarts = 0;
  for (int i = 0; i < 40; i++) {
    CHECK_EQ_INT(random_commit(src, &r, i), LODE_OK);
    uint32_t before = s.salt1;
    CHECK_EQ_INT(ship(src, dst, &s), LODE_OK);
    if (s.salt1 != before) restarts++;
    /* Shipped: the source may now let its WAL start over. */
    if (i % 5 == 4) CHECK_EQ_INT(exec(src, "PRAGMA wal_checkpoint(PASSIVE)"), LODE_OK);
    if (i % 13 == 12) CHECK_EQ_INT(exec(src, "PRAGMA wal_checkpoint(TRUNCATE)"), LODE_OK);
  }
  CHECK(restarts >= 5);
  CHECK(same_content(src, dst));
  CHECK_EQ_STR(query(dst, "PRAGMA integrity_check"), "ok\n");
  lode_close(src);
  lode_close(dst);
}

TEST(a_transaction_that_spilled_is_copied_whole) {
  lode *src = open_db(db_path("spill_src.db")), *dst = open_db(db_path("spill_dst.db"));
  CHECK(src && dst);
  lode_wal_disable_checkpoint(src);
  CHECK_EQ_INT(exec(src, "PRAGMA cache_size = 10; CREATE TABLE t(a, b); CREATE TABLE u(k INTEGER PRIMARY KEY, v)"),
               LODE_OK);
  Shipper s = {0};
  CHECK_EQ_INT(ship(src, dst, &s), LODE_OK);
  /* Far more pages than the cache holds: frames spilled before the commit,
  ** some pages written twice. */
  CHECK_EQ_INT(exec(src, "BEGIN; WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 400) "
                         "INSERT INTO t SELECT i, randomblob(700) FROM c; UPDATE t SET b = randomblob(650); COMMIT"),
               LODE_OK);
  CHECK_EQ_INT(ship(src, dst, &s), LODE_OK);
  CHECK_EQ_INT(s.commits, 3);
  CHECK(same_content(src, dst));
  CHECK_EQ_STR(query(dst, "PRAGMA integrity_check"), "ok\n");
  lode_close(src);
  lode_close(dst);
}

TEST(an_encrypted_database_is_copied_under_its_key_and_refused_under_another) {
  const char *bad_path = db_path("enc_bad.db");
  lode *src = open_encrypted(db_path("enc_src.db"), KEY_A), *dst = open_encrypted(db_path("enc_dst.db"), KEY_A);
  lode *bad = open_encrypted(bad_path, KEY_B), *plain = open_db(db_path("enc_plain.db"));
  CHECK(src && dst && bad && plain);
  lode_wal_disable_checkpoint(src);
  CHECK_EQ_INT(exec(src, "CREATE TABLE t(a, b); CREATE TABLE u(k INTEGER PRIMARY KEY, v); "
                         "INSERT INTO t VALUES (1, 'secret')"),
               LODE_OK);
  Shipper s = {0}, s2 = {0}, s3 = {0};
  CHECK_EQ_INT(ship(src, dst, &s), LODE_OK);
  CHECK_EQ_INT(exec(src, "INSERT INTO u VALUES (5, 'more')"), LODE_OK);
  CHECK_EQ_INT(ship(src, dst, &s), LODE_OK);
  CHECK(same_content(src, dst));
  /* The frames hold ciphertext: no trace of the row in them. */
  CHECK_EQ_INT(lode_wal_get_frame(src, 1, frame, sizeof frame), LODE_OK);
  CHECK(memmem(frame, sizeof frame, "secret", 6) == NULL);
  CHECK_EQ_INT(ship(src, bad, &s2), LODE_NOTADB);
  CHECK(strstr(lode_errmsg(bad), "key") != NULL);
  CHECK_EQ_INT(ship(src, plain, &s3), LODE_NOTADB);
  unsigned n = 9;
  CHECK_EQ_INT(lode_wal_frame_count(bad, &n), LODE_OK);
  CHECK_EQ_INT(n, 0);
  CHECK_EQ_STR(query(plain, "SELECT count(*) FROM sqlite_schema"), "0\n");
  lode_close(src);
  lode_close(dst);
  lode_close(bad);
  lode_close(plain);
}

/* A source with two committed tables; frames 1..count of it in frames_of. */
static uint8_t *frames_of(lode *src, unsigned *count, unsigned *fsize) {
  lode_wal_frame_count(src, count);
  *fsize = 24 + (unsigned)query_int(src, "PRAGMA page_size");
  uint8_t *all = util_malloc((size_t)*count * *fsize + 1);
  for (unsigned f = 1; all && f <= *count; f++)
    if (lode_wal_get_frame(src, f, all + (size_t)(f - 1) * *fsize, *fsize) != LODE_OK) return NULL;
  return all;
}

TEST(frames_that_do_not_continue_the_local_wal_are_refused) {
  lode *src = open_db(db_path("gap_src.db")), *dst = open_db(db_path("gap_dst.db"));
  CHECK(src && dst);
  lode_wal_disable_checkpoint(src);
  CHECK_EQ_INT(exec(src, "CREATE TABLE t(a, b)"), LODE_OK);
  CHECK_EQ_INT(exec(src, "INSERT INTO t VALUES (1, 2)"), LODE_OK);
  unsigned count = 0, fsize = 0, n = 0;
  uint8_t *all = frames_of(src, &count, &fsize);
  CHECK(all && count >= 2);
  int conflict = 0;
  /* Before lode_wal_insert_begin. */
  CHECK_EQ_INT(lode_wal_insert_frame(dst, 1, all, fsize, &conflict), LODE_MISUSE);
  CHECK_EQ_INT(lode_wal_insert_begin(dst), LODE_OK);
  /* A gap: frame 2 on an empty WAL. */
  CHECK_EQ_INT(lode_wal_insert_frame(dst, 2, all + fsize, fsize, &conflict), LODE_ERROR);
  CHECK(strstr(lode_errmsg(dst), "does not continue the local WAL") != NULL);
  CHECK_EQ_INT(conflict, 0);
  /* Not a frame: a size that is no header + page. */
  CHECK_EQ_INT(lode_wal_insert_frame(dst, 1, all, fsize - 1, &conflict), LODE_ERROR);
  CHECK(strstr(lode_errmsg(dst), "not a frame") != NULL);
  CHECK_EQ_INT(lode_wal_insert_frame(dst, 1, all, 20, &conflict), LODE_ERROR);
  /* A frame naming page 0. */
  uint8_t *zero = util_malloc(fsize);
  memcpy(zero, all, fsize);
  util_put4(zero, 0);
  CHECK_EQ_INT(lode_wal_insert_frame(dst, 1, zero, fsize, &conflict), LODE_ERROR);
  CHECK(strstr(lode_errmsg(dst), "names no page") != NULL);
  util_free(zero);
  CHECK_EQ_INT(lode_wal_frame_count(dst, &n), LODE_OK);
  CHECK_EQ_INT(n, 0);
  /* The first commit applies; given again, its frames are skipped. */
  unsigned first_commit = 0;
  for (unsigned f = 1; f <= count && !first_commit; f++) {
    CHECK_EQ_INT(lode_wal_insert_frame(dst, f, all + (size_t)(f - 1) * fsize, fsize, &conflict), LODE_OK);
    if (util_get4(all + (size_t)(f - 1) * fsize + 4)) first_commit = f;
  }
  CHECK(first_commit > 0 && first_commit < count);
  CHECK_EQ_INT(lode_wal_frame_count(dst, &n), LODE_OK);
  CHECK_EQ_INT(n, first_commit);
  CHECK_EQ_INT(lode_wal_insert_frame(dst, 1, all, fsize, &conflict), LODE_OK);
  CHECK_EQ_INT(conflict, 0);
  /* A frame that differs from the local one of its number conflicts. */
  uint8_t *changed = util_malloc(fsize);
  memcpy(changed, all, fsize);
  changed[fsize - 1] ^= 0x55;
  CHECK_EQ_INT(lode_wal_insert_frame(dst, 1, changed, fsize, &conflict), LODE_ERROR);
  CHECK_EQ_INT(conflict, 1);
  CHECK(strstr(lode_errmsg(dst), "conflicts") != NULL);
  util_free(changed);
  /* Frames out of order within a commit. */
  if (count - first_commit >= 2) {
    CHECK_EQ_INT(lode_wal_insert_frame(dst, first_commit + 1, all + (size_t)first_commit * fsize, fsize, &conflict),
                 LODE_OK);
    CHECK_EQ_INT(lode_wal_insert_frame(dst, first_commit + 3, all + (size_t)first_commit * fsize, fsize, &conflict),
                 LODE_ERROR);
    CHECK(strstr(lode_errmsg(dst), "does not follow") != NULL);
  }
  CHECK_EQ_INT(lode_wal_insert_end(dst), LODE_OK);
  CHECK_EQ_INT(lode_wal_frame_count(dst, &n), LODE_OK);
  CHECK_EQ_INT(n, first_commit);
  CHECK_EQ_STR(query(dst, "SELECT count(*) FROM t"), "0\n");
  util_free(all);
  lode_close(src);
  lode_close(dst);
}

TEST(a_commit_whose_commit_frame_never_comes_leaves_nothing) {
  lode *src = open_db(db_path("half_src.db")), *dst = open_db(db_path("half_dst.db"));
  CHECK(src && dst);
  lode_wal_disable_checkpoint(src);
  CHECK_EQ_INT(exec(src, "CREATE TABLE t(a, b); CREATE TABLE u(k INTEGER PRIMARY KEY, v)"), LODE_OK);
  Shipper s = {0};
  CHECK_EQ_INT(ship(src, dst, &s), LODE_OK);
  unsigned before = 0, after = 0, count = 0, fsize = 0, local = 0;
  lode_wal_frame_count(src, &before);
  CHECK_EQ_INT(exec(src, "INSERT INTO t SELECT value, randomblob(3000) FROM generate_series(1, 20)"), LODE_OK);
  uint8_t *all = frames_of(src, &count, &fsize);
  CHECK(all && count > before + 2);
  lode_wal_frame_count(dst, &local);
  CHECK_EQ_INT(lode_wal_insert_begin(dst), LODE_OK);
  for (unsigned f = before + 1; f < count; f++) /* all but the commit frame */
    CHECK_EQ_INT(lode_wal_insert_frame(dst, local + f - before, all + (size_t)(f - 1) * fsize, fsize, NULL), LODE_OK);
  CHECK_EQ_STR(query(dst, "SELECT count(*) FROM t"), "0\n");
  CHECK_EQ_INT(lode_wal_insert_end(dst), LODE_OK);
  lode_wal_frame_count(dst, &after);
  CHECK_EQ_INT(after, local);
  CHECK_EQ_STR(query(dst, "SELECT count(*) FROM t"), "0\n");
  CHECK_EQ_STR(query(dst, "PRAGMA integrity_check"), "ok\n");
  /* The whole commit later applies. */
  CHECK_EQ_INT(ship(src, dst, &s), LODE_OK);
  CHECK_EQ_STR(query(dst, "SELECT count(*) FROM t"), "20\n");
  util_free(all);
  lode_close(src);
  lode_close(dst);
}

TEST(a_local_commit_between_the_frames_of_a_commit_refuses_it) {
  lode *src = open_db(db_path("race_src.db")), *dst = open_db(db_path("race_dst.db"));
  CHECK(src && dst);
  lode_wal_disable_checkpoint(src);
  CHECK_EQ_INT(exec(src, "CREATE TABLE t(a, b); CREATE TABLE u(k INTEGER PRIMARY KEY, v)"), LODE_OK);
  Shipper s = {0};
  CHECK_EQ_INT(ship(src, dst, &s), LODE_OK);
  unsigned before = 0, count = 0, fsize = 0, local = 0, n = 0;
  lode_wal_frame_count(src, &before);
  CHECK_EQ_INT(exec(src, "INSERT INTO t SELECT value, randomblob(3000) FROM generate_series(1, 5)"), LODE_OK);
  uint8_t *all = frames_of(src, &count, &fsize);
  CHECK(all && count >= before + 2);
  lode_wal_frame_count(dst, &local);
  CHECK_EQ_INT(lode_wal_insert_begin(dst), LODE_OK);
  CHECK_EQ_INT(lode_wal_insert_frame(dst, local + 1, all + (size_t)before * fsize, fsize, NULL), LODE_OK);
  lode *writer = open_db(lode_db_filename(dst, "main"));
  CHECK_EQ_INT(exec(writer, "INSERT INTO u VALUES (1, 'local')"), LODE_OK);
  int rc = LODE_OK;
  for (unsigned f = before + 2; f <= count && rc == LODE_OK; f++)
    rc = lode_wal_insert_frame(dst, local + f - before, all + (size_t)(f - 1) * fsize, fsize, NULL);
  CHECK_EQ_INT(rc, LODE_ERROR);
  CHECK(strstr(lode_errmsg(dst), "no longer continues") != NULL);
  lode_wal_insert_end(dst);
  CHECK_EQ_STR(query(dst, "SELECT count(*) FROM t"), "0\n");
  CHECK_EQ_STR(query(dst, "SELECT v FROM u"), "local\n");
  lode_wal_frame_count(dst, &n);
  CHECK(n > local);
  util_free(all);
  lode_close(writer);
  lode_close(src);
  lode_close(dst);
}

TEST(frames_of_another_page_size_are_refused_by_a_database_with_pages) {
  lode *src = open_db(db_path("ps_src.db")), *dst = open_db(db_path("ps_dst.db")),
       *fresh = open_db(db_path("ps_fresh.db"));
  CHECK(src && dst && fresh);
  lode_wal_disable_checkpoint(src);
  CHECK_EQ_INT(exec(src, "PRAGMA page_size = 1024; CREATE TABLE t(a, b); CREATE TABLE u(k INTEGER PRIMARY KEY, v)"),
               LODE_OK);
  CHECK_EQ_INT(exec(dst, "CREATE TABLE other(x)"), LODE_OK);
  Shipper s = {0}, s2 = {0};
  CHECK_EQ_INT(ship(src, dst, &s), LODE_ERROR);
  CHECK(strstr(lode_errmsg(dst), "1024") != NULL);
  CHECK_EQ_STR(query(dst, "SELECT name FROM sqlite_schema"), "other\n");
  /* An empty database takes the frames' page size. */
  CHECK_EQ_INT(ship(src, fresh, &s2), LODE_OK);
  CHECK_EQ_STR(query(fresh, "PRAGMA page_size"), "1024\n");
  CHECK(same_content(src, fresh));
  lode_close(src);
  lode_close(dst);
  lode_close(fresh);
}

TEST(frame_calls_refuse_what_they_cannot_do) {
  lode *mem = NULL, *src = open_db(db_path("misc_src.db"));
  CHECK_EQ_INT(lode_open(":memory:", &mem), LODE_OK);
  unsigned n = 7;
  CHECK_EQ_INT(lode_wal_frame_count(mem, &n), LODE_OK);
  CHECK_EQ_INT(n, 0);
  CHECK_EQ_INT(lode_wal_get_frame(mem, 1, frame, sizeof frame), LODE_ERROR);
  CHECK(strstr(lode_errmsg(mem), "no WAL") != NULL);
  CHECK_EQ_INT(lode_wal_frame_count(NULL, &n), LODE_MISUSE);
  CHECK_EQ_INT(lode_wal_get_frame(NULL, 1, frame, sizeof frame), LODE_MISUSE);
  CHECK_EQ_INT(lode_wal_insert_begin(NULL), LODE_MISUSE);
  CHECK_EQ_INT(lode_wal_insert_frame(NULL, 1, frame, 4120, NULL), LODE_MISUSE);
  CHECK_EQ_INT(exec(src, "CREATE TABLE t(a)"), LODE_OK);
  CHECK_EQ_INT(lode_wal_frame_count(src, &n), LODE_OK);
  CHECK(n >= 1);
  CHECK_EQ_INT(lode_wal_get_frame(src, n + 1, frame, sizeof frame), LODE_ERROR);
  CHECK(strstr(lode_errmsg(src), "not in the WAL") != NULL);
  CHECK_EQ_INT(lode_wal_get_frame(src, 0, frame, sizeof frame), LODE_ERROR);
  CHECK_EQ_INT(lode_wal_get_frame(src, 1, frame, 100), LODE_ERROR);
  CHECK(strstr(lode_errmsg(src), "buffer") != NULL);
  /* Inside a transaction frames cannot be applied. */
  CHECK_EQ_INT(exec(src, "BEGIN"), LODE_OK);
  CHECK_EQ_INT(lode_wal_insert_begin(src), LODE_ERROR);
  CHECK(strstr(lode_errmsg(src), "within a transaction") != NULL);
  CHECK_EQ_INT(exec(src, "COMMIT"), LODE_OK);
  /* A frame read from a WAL that a checkpoint then restarted is gone. */
  CHECK_EQ_INT(exec(src, "PRAGMA wal_checkpoint(TRUNCATE)"), LODE_OK);
  CHECK_EQ_INT(lode_wal_frame_count(src, &n), LODE_OK);
  CHECK_EQ_INT(n, 0);
  CHECK_EQ_INT(lode_wal_get_frame(src, 1, frame, sizeof frame), LODE_ERROR);
  /* The libSQL names are the same calls. */
  CHECK_EQ_INT(exec(src, "INSERT INTO t VALUES (1)"), LODE_OK);
  CHECK_EQ_INT(libsql_wal_frame_count((sqlite3 *)src, &n), LODE_OK);
  CHECK(n >= 1);
  CHECK_EQ_INT(libsql_wal_get_frame((sqlite3 *)src, 1, frame, sizeof frame), LODE_OK);
  lode_close(mem);
  lode_close(src);
}

TEST(a_connection_without_checkpoints_leaves_its_wal_at_close) {
  const char *path = db_path("keep.db");
  lode *db = open_db(path);
  CHECK(db);
  CHECK_EQ_INT(lode_wal_disable_checkpoint(db), LODE_OK);
  CHECK_EQ_INT(exec(db, "PRAGMA wal_autocheckpoint = 2; CREATE TABLE t(a)"), LODE_OK);
  for (int i = 0; i < 10; i++) CHECK_EQ_INT(exec(db, "INSERT INTO t VALUES (1)"), LODE_OK);
  unsigned n = 0, again = 0;
  CHECK_EQ_INT(lode_wal_frame_count(db, &n), LODE_OK);
  CHECK(n >= 11); /* no automatic checkpoint restarted it */
  lode_close(db);
  db = open_db(path);
  CHECK_EQ_INT(lode_wal_frame_count(db, &again), LODE_OK);
  CHECK_EQ_INT(again, n);
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t"), "10\n");
  lode_close(db);
}

int main(void) {
  snprintf(tmpdir, sizeof tmpdir, "/tmp/lode_walframes_XXXXXX");
  if (!mkdtemp(tmpdir)) return 1;
  RUN(frames_copied_commit_by_commit_reproduce_the_database);
  RUN(a_replica_connection_sees_each_applied_commit_at_once);
  RUN(frames_survive_checkpoints_that_restart_either_wal);
  RUN(a_transaction_that_spilled_is_copied_whole);
  RUN(an_encrypted_database_is_copied_under_its_key_and_refused_under_another);
  RUN(frames_that_do_not_continue_the_local_wal_are_refused);
  RUN(a_commit_whose_commit_frame_never_comes_leaves_nothing);
  RUN(a_local_commit_between_the_frames_of_a_commit_refuses_it);
  RUN(frames_of_another_page_size_are_refused_by_a_database_with_pages);
  RUN(frame_calls_refuse_what_they_cannot_do);
  RUN(a_connection_without_checkpoints_leaves_its_wal_at_close);
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0) printf("could not remove %s\n", tmpdir);
  return test_summary();
}
