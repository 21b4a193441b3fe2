/*
** test_autovacuum.c — auto-vacuum databases: PRAGMA auto_vacuum on a new
** database and through VACUUM, pointer maps kept through every kind of
** write (checked by integrity_check, which reads them as sqlite3 does),
** roots kept at the low pages (CREATE moves the page in the way, DROP moves
** the last root into the hole and renames it in sqlite_schema), FULL mode
** truncating at commit and PRAGMA incremental_vacuum(N).
*/
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lode.h"
#include "os/os.h"
#include "testdb.h"
#include "testlib.h"

/* PRAGMA incremental_vacuum's output: rows of no columns (printed as
** nothing, or as empty lines), nothing else. */
static int only_empty_rows(const char *out) { return out[strspn(out, "\n")] == '\0'; }

static char tmpdir[256], path[600];

static lode *open_new(const char *setup) {
  lode *db = NULL;
  remove_db(path);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  if (setup) CHECK_EQ_STR(query(db, setup), "");
  return db;
}

static void patch(long offset, const void *bytes, size_t n) {
  FILE *f = fopen(path, "r+b");
  CHECK(f != NULL);
  if (!f) return;
  fseek(f, offset, SEEK_SET);
  CHECK_EQ_INT((int)fwrite(bytes, 1, n, f), (int)n);
  fclose(f);
}

TEST(a_new_database_takes_the_mode_with_its_first_page) {
  lode *db = open_new(NULL);
  CHECK_EQ_STR(query(db, "PRAGMA auto_vacuum"), "0\n");
  /* NONE only asks: nothing is written. */
  CHECK_EQ_STR(query(db, "PRAGMA auto_vacuum = NONE; PRAGMA page_count"), "0\n");
  CHECK_EQ_STR(query(db, "PRAGMA auto_vacuum = full; PRAGMA auto_vacuum"), "1\n");
  CHECK_EQ_STR(query(db, "PRAGMA auto_vacuum = 'INCREMENTAL'; PRAGMA auto_vacuum"), "2\n");
  /* Once the page exists NONE is refused, FULL and INCREMENTAL switch. */
  CHECK_EQ_STR(query(db, "BEGIN; PRAGMA auto_vacuum = 0; PRAGMA auto_vacuum; PRAGMA auto_vacuum = 1;"
                         "PRAGMA auto_vacuum; ROLLBACK"),
               "2\n1\n");
  /* Page 2 is the first pointer map: the first table's root is page 3. */
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a); CREATE INDEX ta ON t(a);"
                         "SELECT name, rootpage FROM sqlite_schema; PRAGMA page_count; PRAGMA integrity_check"),
               "t|3\nta|4\n4\nok\n");
  lode_close(db);
  /* A memory database too. */
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA auto_vacuum = 1; CREATE TABLE t(a); INSERT INTO t VALUES (zeroblob(20000));"
                         "DELETE FROM t; PRAGMA auto_vacuum; PRAGMA page_count; PRAGMA freelist_count;"
                         "PRAGMA integrity_check"),
               "1\n3\n0\nok\n");
  lode_close(db);
}

TEST(full_mode_gives_free_pages_back_at_each_commit) {
  lode *db = open_new("PRAGMA auto_vacuum = FULL; CREATE TABLE t(a INTEGER PRIMARY KEY, b); CREATE INDEX tb ON t(b);");
  CHECK_EQ_STR(query(db, "INSERT INTO t SELECT value, printf('%0700d', value) FROM generate_series(1, 300)"), "");
  int64_t full = query_int(db, "PRAGMA page_count");
  CHECK(full > 100);
  CHECK_EQ_STR(query(db, "DELETE FROM t WHERE a > 150; PRAGMA freelist_count; PRAGMA integrity_check"), "0\nok\n");
  int64_t half = query_int(db, "PRAGMA page_count");
  CHECK(half < full * 2 / 3);
  /* Inside a transaction the pages stay until COMMIT; a rolled back
  ** savepoint takes its pages back. */
  CHECK_EQ_STR(query(db, "BEGIN; DELETE FROM t WHERE a <= 50; SAVEPOINT s; DELETE FROM t;"
                         "ROLLBACK TO s; RELEASE s; COMMIT; SELECT count(*) FROM t; PRAGMA integrity_check"),
               "100\nok\n");
  CHECK_EQ_STR(query(db, "DELETE FROM t; PRAGMA page_count; PRAGMA freelist_count; PRAGMA integrity_check"),
               "4\n0\nok\n");
  lode_close(db);
}

TEST(incremental_vacuum_gives_back_the_pages_asked_for) {
  lode *db = open_new("PRAGMA auto_vacuum = INCREMENTAL; CREATE TABLE t(a INTEGER PRIMARY KEY, b);"
                      "INSERT INTO t SELECT value, zeroblob(3000) FROM generate_series(1, 100);"
                      "DELETE FROM t WHERE a > 50;");
  int64_t pages = query_int(db, "PRAGMA page_count"), free0 = query_int(db, "PRAGMA freelist_count");
  CHECK(free0 >= 50);
  /* a row of no columns per page given back, as in SQLite (printed as nothing) */
  CHECK_EQ_STR(query(db, "PRAGMA incremental_vacuum(7)"), "");
  CHECK_EQ_INT(query_int(db, "PRAGMA freelist_count"), free0 - 7);
  CHECK_EQ_INT(query_int(db, "PRAGMA page_count"), pages - 7);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check; SELECT count(*), sum(length(b)) FROM t"), "ok\n50|150000\n");
  CHECK(only_empty_rows(query(db, "PRAGMA incremental_vacuum")));
  CHECK_EQ_STR(query(db, "PRAGMA freelist_count; PRAGMA integrity_check"), "0\nok\n");
  CHECK_EQ_INT(query_int(db, "PRAGMA page_count"), pages - free0);
  /* FULL mode and non-auto-vacuum databases ignore it. */
  CHECK_EQ_STR(query(db, "PRAGMA auto_vacuum = 1; DELETE FROM t WHERE a < 10; PRAGMA incremental_vacuum(1);"
                         "PRAGMA freelist_count; PRAGMA auto_vacuum"),
               "0\n1\n");
  lode_close(db);
}

TEST(drop_moves_the_last_root_into_the_hole) {
  lode *db = open_new("PRAGMA auto_vacuum = 1; CREATE TABLE a(x); CREATE TABLE b(y); CREATE INDEX by ON b(y);"
                      "CREATE TABLE c(z); CREATE INDEX cz ON c(z);"
                      "INSERT INTO a SELECT randomblob(500) FROM generate_series(1, 50);"
                      "INSERT INTO b SELECT value FROM generate_series(1, 400);"
                      "INSERT INTO c SELECT zeroblob(value * 10) FROM generate_series(1, 300);");
  CHECK_EQ_STR(query(db, "SELECT name, rootpage FROM sqlite_schema ORDER BY rootpage"),
               "a|3\nb|4\nby|5\nc|6\ncz|7\n");
  CHECK_EQ_STR(query(db, "DROP TABLE a; SELECT name, rootpage FROM sqlite_schema ORDER BY rootpage;"
                         "PRAGMA integrity_check"),
               "cz|3\nb|4\nby|5\nc|6\nok\n");
  CHECK_EQ_STR(query(db, "DROP TABLE b; SELECT name, rootpage FROM sqlite_schema ORDER BY rootpage;"
                         "SELECT count(*), sum(length(z)) FROM c WHERE z >= x''; PRAGMA integrity_check"),
               "cz|3\nc|4\n300|451500\nok\n");
  CHECK_EQ_STR(query(db, "DROP INDEX cz; SELECT name, rootpage FROM sqlite_schema; PRAGMA integrity_check;"
                         "PRAGMA freelist_count"),
               "c|3\nok\n0\n");
  lode_close(db);
}

TEST(create_moves_the_page_in_the_way_of_the_next_root) {
  lode *db = open_new("PRAGMA auto_vacuum = 2; CREATE TABLE t(a INTEGER PRIMARY KEY, b);"
                      "INSERT INTO t SELECT value, randomblob(900) FROM generate_series(1, 200);");
  CHECK_EQ_STR(query(db, "CREATE TABLE u(x); CREATE INDEX tb ON t(b); CREATE TABLE v(y);"
                         "SELECT name, rootpage FROM sqlite_schema ORDER BY rootpage;"
                         "SELECT count(*), sum(length(b)) FROM t; SELECT count(*) FROM t WHERE b > x'';"
                         "PRAGMA integrity_check"),
               "t|3\nu|4\ntb|5\nv|6\n200|180000\n200\nok\n");
  /* A create rolled back leaves the largest root as it was. */
  CHECK_EQ_STR(query(db, "BEGIN; CREATE TABLE w(z); ROLLBACK; CREATE TABLE w(z);"
                         "SELECT rootpage FROM sqlite_schema WHERE name = 'w'; PRAGMA integrity_check"),
               "7\nok\n");
  lode_close(db);
}

TEST(a_mode_change_waits_for_vacuum) {
  lode *db = open_new("CREATE TABLE t(a INTEGER PRIMARY KEY, b); INSERT INTO t SELECT value, zeroblob(2000) FROM "
                      "generate_series(1, 50); DELETE FROM t WHERE a % 2 = 1;");
  CHECK_EQ_STR(query(db, "PRAGMA auto_vacuum = FULL; PRAGMA auto_vacuum"), "0\n");
  CHECK_EQ_STR(query(db, "VACUUM; PRAGMA auto_vacuum; SELECT rootpage FROM sqlite_schema; PRAGMA integrity_check"),
               "1\n3\nok\n");
  /* Between FULL and INCREMENTAL the header changes at once. */
  CHECK_EQ_STR(query(db, "PRAGMA auto_vacuum = incremental; PRAGMA auto_vacuum"), "2\n");
  CHECK_EQ_STR(query(db, "PRAGMA auto_vacuum = none; PRAGMA auto_vacuum; VACUUM; PRAGMA auto_vacuum;"
                         "SELECT rootpage FROM sqlite_schema; SELECT count(*) FROM t; PRAGMA integrity_check"),
               "2\n0\n2\n25\nok\n");
  lode_close(db);
}

TEST(integrity_check_reads_the_pointer_maps) {
  lode *db = open_new("PRAGMA auto_vacuum = 1; CREATE TABLE t(a INTEGER PRIMARY KEY, b);"
                      "INSERT INTO t SELECT value, randomblob(600) FROM generate_series(1, 40);");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
  /* Page 3's entry is the first of page 2 (4096-byte pages). */
  const unsigned char btree_entry[5] = {5, 0, 0, 0, 9};
  patch(4096, btree_entry, sizeof btree_entry);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"),
               "*** in database main ***\nBad ptr map entry key=3 expected=(1,0) got=(5,9)\n");
  lode_close(db);
  /* The first child of the root (page 4): says free. */
  const unsigned char root_entry[5] = {1, 0, 0, 0, 0}, free_entry[5] = {2, 0, 0, 0, 0};
  patch(4096, root_entry, sizeof root_entry);
  patch(4096 + 5, free_entry, sizeof free_entry);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK(strstr(query(db, "PRAGMA integrity_check"), "Bad ptr map entry key=4 expected=(5,3) got=(2,0)") != NULL);
  lode_close(db);
}

/* Pages move under a statement that is reading: its cursor finds its
** place again and reads every row once. */
TEST(pages_move_under_a_reading_statement) {
  lode *db = open_new("PRAGMA auto_vacuum = 2; CREATE TABLE t(a INTEGER PRIMARY KEY, b); CREATE TABLE f(x);"
                      "INSERT INTO f SELECT zeroblob(3000) FROM generate_series(1, 60);"
                      "INSERT INTO t SELECT value, zeroblob(value % 7 * 700) FROM generate_series(1, 400);"
                      "DELETE FROM f;");
  lode_stmt *st = NULL;
  CHECK_EQ_INT(lode_prepare(db, "SELECT a, length(b) FROM t", -1, &st, NULL), LODE_OK);
  int64_t n = 0, sum = 0;
  int rc;
  while ((rc = lode_step(st)) == LODE_ROW) {
    n++;
    sum += lode_column_int64(st, 0) + lode_column_int64(st, 1);
    if (n == 100) CHECK(only_empty_rows(query(db, "PRAGMA incremental_vacuum(40)")));
    if (n == 200) CHECK(only_empty_rows(query(db, "PRAGMA incremental_vacuum")));
  }
  CHECK_EQ_INT(rc, LODE_DONE);
  lode_finalize(st);
  CHECK_EQ_INT(n, 400);
  CHECK_EQ_INT(sum, 400 * 401 / 2 + query_int(db, "SELECT sum(length(b)) FROM t"));
  CHECK_EQ_STR(query(db, "PRAGMA freelist_count; PRAGMA integrity_check"), "0\nok\n");
  lode_close(db);
}

/* A backup or deserialize replaces every page: the copy brings its own
** mode and pointer maps, which the destination's commit must not redo. */
TEST(a_backup_brings_its_own_mode) {
  lode *plain = NULL, *av = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &plain), LODE_OK);
  CHECK_EQ_STR(query(plain, "CREATE TABLE t(a, b); INSERT INTO t SELECT value, zeroblob(2000) FROM generate_series(1, 30);"
                            "DELETE FROM t WHERE a > 10; PRAGMA freelist_count"),
               "10\n");
  av = open_new("PRAGMA auto_vacuum = FULL; CREATE TABLE x(y); INSERT INTO x VALUES (zeroblob(50000));");
  lode_backup *b = lode_backup_init(av, "main", plain, "main");
  CHECK(b != NULL);
  if (b) {
    CHECK_EQ_INT(lode_backup_step(b, -1), LODE_DONE);
    CHECK_EQ_INT(lode_backup_finish(b), LODE_OK);
  }
  CHECK_EQ_STR(query(av, "PRAGMA auto_vacuum; PRAGMA freelist_count; SELECT count(*) FROM t; PRAGMA integrity_check"),
               "0\n10\n10\nok\n");
  /* And the other way: an incremental database over a plain one. */
  CHECK_EQ_STR(query(plain, "DROP TABLE t; PRAGMA auto_vacuum = 2; VACUUM; CREATE TABLE t(a);"
                            "INSERT INTO t SELECT zeroblob(3000) FROM generate_series(1, 20); DELETE FROM t;"
                            "PRAGMA auto_vacuum; PRAGMA freelist_count"),
               "2\n20\n");
  int64_t size = 0;
  unsigned char *image = lode_serialize(plain, "main", &size);
  CHECK(image != NULL);
  lode *mem = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &mem), LODE_OK);
  CHECK_EQ_STR(query(mem, "PRAGMA auto_vacuum = 1; CREATE TABLE q(r)"), "");
  if (image) CHECK_EQ_INT(lode_deserialize(mem, "main", image, size), LODE_OK);
  CHECK_EQ_STR(query(mem, "INSERT INTO t VALUES (1); PRAGMA auto_vacuum; PRAGMA freelist_count; PRAGMA integrity_check"),
               "2\n20\nok\n");
  lode_free(image);
  lode_close(mem);
  lode_close(av);
  lode_close(plain);
}

/* A commit that moves pages and fails on a write (each write in turn)
** reports an I/O error and changes nothing; the next one succeeds. */
TEST(a_failing_write_during_a_vacuuming_commit_changes_nothing) {
  os_fault_enable(1);
  lode *db = open_new("PRAGMA auto_vacuum = FULL; CREATE TABLE t(a INTEGER PRIMARY KEY, b); CREATE TABLE u(c);"
                      "INSERT INTO u SELECT zeroblob(2000) FROM generate_series(1, 40);");
  int failures = 0;
  for (int after = 0; after < 60; after++) {
    CHECK_EQ_STR(query(db, "INSERT INTO t SELECT value, zeroblob(1500) FROM generate_series(1, 30);"
                           "INSERT INTO u SELECT zeroblob(2000) FROM generate_series(1, 10)"),
                 "");
    int64_t before = query_int(db, "SELECT count(*) FROM t");
    os_fault_arm(OS_FAULT_WRITE, after, 0);
    int rc = lode_exec(db, "BEGIN; DELETE FROM u; DELETE FROM t WHERE a % 2 = 0; COMMIT", NULL);
    os_fault_arm(0, 0, 0);
    if (!lode_get_autocommit(db)) lode_exec(db, "ROLLBACK", NULL);
    if (rc != LODE_OK) {
      failures++;
      CHECK_EQ_INT(rc & 0xff, LODE_IOERR);
      CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), before);
    } else {
      CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM u"), 0);
    }
    CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
    CHECK_EQ_STR(query(db, "DELETE FROM t; DELETE FROM u; PRAGMA freelist_count"), "0\n");
  }
  CHECK(failures > 0);
  lode_close(db);
  os_fault_enable(0);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check; SELECT count(*) FROM t"), "ok\n0\n");
  lode_close(db);
}

/* A writer killed at random moments while its commits move pages (FULL
** mode, rows of every size inserted and deleted): every acknowledged commit
** is there and both engines find the file whole. */
TEST(kills_during_vacuuming_commits_lose_nothing) {
  enum { ROUNDS = 25 };
  lode *db = open_new("PRAGMA auto_vacuum = FULL; CREATE TABLE log(k INTEGER PRIMARY KEY, pad BLOB);"
                      "CREATE INDEX logpad ON log(length(pad));");
  lode_close(db);
  Rng rng;
  rng_seed(&rng, 77);
  int64_t acked = -1; /* the highest k acknowledged */
  for (int round = 0; round < ROUNDS; round++) {
    int fds[2];
    if (pipe(fds) != 0) {
      CHECK(0);
      return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      lode *w = NULL;
      if (lode_open(path, &w) != LODE_OK) _exit(3);
      Rng wr;
      rng_seed(&wr, (uint64_t)round + 1000);
      for (int64_t k = acked + 1;; k++) {
        char sql[256];
        int size = rng_int(&wr, 4) == 0 ? 3000 + rng_int(&wr, 9000) : rng_int(&wr, 600);
        snprintf(sql, sizeof sql,
                 "BEGIN; INSERT INTO log VALUES (%lld, zeroblob(%d)); DELETE FROM log WHERE k < %lld AND k %% 3 <> 0;"
                 " COMMIT",
                 (long long)k, size, (long long)k - 20);
        if (lode_exec(w, sql, NULL) != LODE_OK) _exit(4);
        if (write(fds[1], &k, sizeof k) != (ssize_t)sizeof k) _exit(5);
      }
    }
    close(fds[1]);
    int target = rng_int(&rng, 30), got = 0;
    int64_t k;
    while (got < target && read(fds[0], &k, sizeof k) == (ssize_t)sizeof k) {
      acked = k;
      got++;
    }
    struct timespec ts = {0, (long)rng_int(&rng, 3000) * 1000L};
    nanosleep(&ts, NULL);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    while (read(fds[0], &k, sizeof k) == (ssize_t)sizeof k) acked = k;
    close(fds[0]);
    char cmd[700], out[256];
    snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'PRAGMA integrity_check' 2>&1", path);
    if (have_sqlite3()) {
      FILE *p = popen(cmd, "r");
      if (p) {
        if (!fgets(out, sizeof out, p)) out[0] = 0;
        pclose(p);
        CHECK_EQ_STR(out, "ok\n");
      }
    }
    db = NULL;
    CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
    CHECK_EQ_STR(query(db, "PRAGMA integrity_check; PRAGMA freelist_count"), "ok\n0\n");
    if (acked >= 0) {
      char sql[96];
      snprintf(sql, sizeof sql, "SELECT count(*) FROM log WHERE k = %lld", (long long)acked);
      CHECK_EQ_INT(query_int(db, sql), 1);
    }
    acked = query_int(db, "SELECT max(k) FROM log");
    if (acked < 0) acked = -1;
    lode_close(db);
  }
}

/* Random writes of every kind; after each transaction the pointer maps,
** the freelist and the trees must agree (integrity_check), and the rows be
** those a model of the data expects (counts and sums). */
static void random_writes(int mode, int page_size, uint64_t seed) {
  char setup[128], sql[512];
  Rng r;
  rng_seed(&r, seed);
  snprintf(setup, sizeof setup, "PRAGMA page_size = %d; PRAGMA auto_vacuum = %d;", page_size, mode);
  lode *db = open_new(setup);
  int ntables = 0, live[8] = {0};
  int64_t rows[8] = {0};
  for (int round = 0; round < 60; round++) {
    int t = rng_int(&r, 8), op = rng_int(&r, 10);
    if (!live[t]) {
      snprintf(sql, sizeof sql, "CREATE TABLE t%d(a INTEGER PRIMARY KEY, b, c); CREATE INDEX i%d ON t%d(c);", t, t, t);
      CHECK_EQ_STR(query(db, sql), "");
      live[t] = 1;
      rows[t] = 0;
      ntables++;
      continue;
    }
    if (op < 4) {
      int n = 1 + rng_int(&r, 40), size = (int[]){10, 300, 2000, 9000}[rng_int(&r, 4)];
      snprintf(sql, sizeof sql,
               "INSERT INTO t%d(b, c) SELECT zeroblob(%d), hex(randomblob(%d)) FROM generate_series(1, %d)", t, size,
               1 + rng_int(&r, 200), n);
      CHECK_EQ_STR(query(db, sql), "");
      rows[t] += n;
    } else if (op < 6) {
      snprintf(sql, sizeof sql, "DELETE FROM t%d WHERE a %% 3 = %d", t, rng_int(&r, 3));
      CHECK_EQ_STR(query(db, sql), "");
      snprintf(sql, sizeof sql, "SELECT count(*) FROM t%d", t);
      rows[t] = query_int(db, sql);
    } else if (op < 7) {
      snprintf(sql, sizeof sql, "UPDATE t%d SET b = zeroblob(%d) WHERE a %% 2 = 0", t, rng_int(&r, 6000));
      CHECK_EQ_STR(query(db, sql), "");
    } else if (op < 8 && ntables > 1) {
      snprintf(sql, sizeof sql, "DROP TABLE t%d", t);
      CHECK_EQ_STR(query(db, sql), "");
      live[t] = 0;
      ntables--;
    } else if (op < 9) {
      snprintf(sql, sizeof sql, "PRAGMA incremental_vacuum(%d)", rng_int(&r, 30));
      CHECK(only_empty_rows(query(db, sql)));
    } else {
      snprintf(sql, sizeof sql,
               "BEGIN; INSERT INTO t%d(b) VALUES (zeroblob(7000)); SAVEPOINT s; DELETE FROM t%d; "
               "CREATE TABLE tmp(x); ROLLBACK TO s; RELEASE s; DELETE FROM t%d WHERE b IS NULL; COMMIT",
               t, t, t);
      CHECK_EQ_STR(query(db, sql), "");
      rows[t]++;
    }
    const char *got = query(db, "PRAGMA integrity_check");
    if (strcmp(got, "ok\n") != 0) {
      CHECK_EQ_STR(got, "ok\n");
      fprintf(stderr, "  mode %d page size %d round %d: %s\n", mode, page_size, round, sql);
      break;
    }
    if (mode == 1) CHECK_EQ_INT(query_int(db, "PRAGMA freelist_count"), 0);
  }
  for (int t = 0; t < 8; t++) {
    if (!live[t]) continue;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM t%d", t);
    CHECK_EQ_INT(query_int(db, sql), rows[t]);
  }
  lode_close(db);
}

TEST(random_writes_keep_the_pointer_maps_right) {
  random_writes(1, 4096, 1);
  random_writes(2, 4096, 2);
  /* Small pages: several pointer-map pages. */
  random_writes(1, 512, 3);
  random_writes(2, 1024, 4);
}

int main(void) {
  snprintf(tmpdir, sizeof tmpdir, "/tmp/lode-test-autovacuum-%d", (int)getpid());
  snprintf(path, sizeof path, "%s/av.db", tmpdir);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "mkdir -p %s", tmpdir);
  if (system(cmd) != 0) return 1;
  RUN(a_new_database_takes_the_mode_with_its_first_page);
  RUN(full_mode_gives_free_pages_back_at_each_commit);
  RUN(incremental_vacuum_gives_back_the_pages_asked_for);
  RUN(drop_moves_the_last_root_into_the_hole);
  RUN(create_moves_the_page_in_the_way_of_the_next_root);
  RUN(a_mode_change_waits_for_vacuum);
  RUN(integrity_check_reads_the_pointer_maps);
  RUN(pages_move_under_a_reading_statement);
  RUN(a_backup_brings_its_own_mode);
  RUN(a_failing_write_during_a_vacuuming_commit_changes_nothing);
  RUN(kills_during_vacuuming_commits_lose_nothing);
  RUN(random_writes_keep_the_pointer_maps_right);
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
  if (system(cmd) != 0) return 1;
  return test_summary();
}
