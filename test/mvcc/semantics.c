/*
** semantics.c — one test per rule of concurrent transactions (the Turso
** manual's "Transactions" chapter, and the engine's decisions where the
** manual leaves a choice), with several connections on one file:
**
**   mode switch     PRAGMA journal_mode = experimental_mvcc / mvcc report
**                   "mvcc", on every connection and after reopening; = wal
**                   switches back and keeps every row.
**   snapshot reads  BEGIN CONCURRENT reads the state as of its BEGIN:
**                   repeatable, no dirty reads, no phantoms (also through an
**                   index), its own writes visible to itself only.
**   write-write     the second writer of a row loses, in either order: at
**                   its write (another active transaction wrote the row) or
**                   at COMMIT (one that committed after its begin did);
**                   SQLITE_BUSY_SNAPSHOT and the transaction is rolled back
**                   (autocommit again; ROLLBACK then says no transaction is
**                   active), also with a busy timeout set (a conflict is
**                   not waited on).  Disjoint rows never conflict; reads never do
**                   (write skew is allowed: snapshot isolation).
**   UNIQUE          two concurrent inserts of one UNIQUE value: one commits,
**                   the other gets SQLITE_BUSY or SQLITE_CONSTRAINT_UNIQUE.
**   exclusive       while a BEGIN IMMEDIATE / EXCLUSIVE / written DEFERRED
**                   transaction is active, concurrent ones read and write but
**                   COMMIT answers SQLITE_BUSY and stays open; it succeeds
**                   once the exclusive one ends (also by waiting, with a
**                   busy timeout).
**   deferred        a BEGIN DEFERRED that has not read restarts on its own
**                   after another commit; one that has read cannot write
**                   after another commit (SQLITE_BUSY) and must be rolled
**                   back.  These two also run in WAL mode, where they hold
**                   today (and against the system's SQLite).
**
** Tests that need the MVCC mode print "SKIP (no mvcc)" while the engine
** refuses the pragma.
*/
#include <pthread.h>
#include <time.h>

#include "mvcc_test.h"

#define SCHEMA                                                                                                        \
  "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, u TEXT UNIQUE, v INTEGER);"                                      \
  "CREATE INDEX t_k ON t(k);"                                                                                          \
  "INSERT INTO t VALUES (1, 1, 'a', 10), (2, 2, 'b', 20), (3, 3, 'c', 30);"

typedef struct Fx {
  char path[512];
  sqlite3 *a, *b, *c;
} Fx;

/* Three connections on a fresh file with SCHEMA, in MVCC mode (mvcc=1) or WAL.  0: skipped or failed. */
static int fx_open(Fx *f, int mvcc) {
  memset(f, 0, sizeof *f);
  mt_path(mt_cur, f->path, sizeof f->path);
  sqlite3 *db = mt_open(f->path);
  if (!db) {
    FAIL_("open");
    return 0;
  }
  int rc = ex(db, "PRAGMA journal_mode = wal;" SCHEMA);
  if (rc != SQLITE_OK) {
    FAIL_("schema: %s", sqlite3_errmsg(db));
    sqlite3_close(db);
    return 0;
  }
  if (mvcc && !mt_mvcc_on(db)) {
    mt_skip("no mvcc");
    sqlite3_close(db);
    return 0;
  }
  f->a = db;
  f->b = mt_open(f->path);
  f->c = mt_open(f->path);
  if (!f->b || !f->c) {
    FAIL_("open");
    return 0;
  }
  return 1;
}

static void fx_close(Fx *f) {
  sqlite3_close(f->a);
  sqlite3_close(f->b);
  sqlite3_close(f->c);
}

#define V(db, id) qi(db, "SELECT v FROM t WHERE id = " #id)

/* ---- mode switch ------------------------------------------------------------------ */

TEST(mode_switch_reports_mvcc_everywhere_and_back_to_wal) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  CHECK_STR(q(f.a, "PRAGMA journal_mode"), "mvcc");
  CHECK_STR(q(f.b, "PRAGMA journal_mode"), "mvcc");
  CHECK_STR(q(f.a, "PRAGMA journal_mode = mvcc"), "mvcc");
  CHECK_INT(ex(f.a, "INSERT INTO t VALUES (4, 4, 'd', 40)"), SQLITE_OK);
  fx_close(&f);
  sqlite3 *db = mt_open(f.path);
  CHECK_STR(q(db, "PRAGMA journal_mode"), "mvcc"); /* the mode persists with the database */
  CHECK_STR(q(db, "SELECT count(*), sum(v) FROM t"), "4,100");
  CHECK_STR(q(db, "PRAGMA journal_mode = wal"), "wal");
  CHECK_STR(q(db, "PRAGMA journal_mode"), "wal");
  sqlite3_close(db);
  db = mt_open(f.path);
  CHECK_STR(q(db, "PRAGMA journal_mode"), "wal");
  CHECK_STR(q(db, "SELECT group_concat(id) FROM t"), "1,2,3,4");
  CHECK_STR(q(db, "PRAGMA integrity_check"), "ok");
  sqlite3_close(db);
}

TEST(begin_concurrent_opens_a_transaction) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(sqlite3_get_autocommit(f.a), 0);
  CHECK_INT(ex(f.a, "COMMIT"), SQLITE_OK);
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT TRANSACTION"), SQLITE_OK);
  CHECK_INT(sqlite3_get_autocommit(f.a), 0);
  CHECK_INT(ex(f.a, "END TRANSACTION"), SQLITE_OK);
  CHECK_INT(sqlite3_get_autocommit(f.a), 1);
  /* many at once: none takes a lock */
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.b, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.c, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.a, "COMMIT"), SQLITE_OK);
  CHECK_INT(ex(f.b, "COMMIT"), SQLITE_OK);
  CHECK_INT(ex(f.c, "ROLLBACK"), SQLITE_OK);
  fx_close(&f);
}

/* ---- snapshot reads ------------------------------------------------------------------ */

TEST(snapshot_reads_are_repeatable) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(V(f.a, 1), 10);
  CHECK_INT(ex(f.b, "UPDATE t SET v = 11 WHERE id = 1"), SQLITE_OK); /* autocommit */
  CHECK_INT(V(f.b, 1), 11);
  CHECK_INT(V(f.a, 1), 10);
  CHECK_INT(ex(f.a, "COMMIT"), SQLITE_OK); /* reading what changed is no conflict */
  CHECK_INT(V(f.a, 1), 11);
  fx_close(&f);
}

TEST(snapshot_is_taken_at_begin) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.b, "UPDATE t SET v = 21 WHERE id = 2"), SQLITE_OK);
  CHECK_INT(V(f.a, 2), 20); /* the first read of a: still the state at its BEGIN */
  CHECK_INT(ex(f.a, "COMMIT"), SQLITE_OK);
  fx_close(&f);
}

TEST(no_dirty_reads) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  CHECK_INT(ex(f.b, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.b, "UPDATE t SET v = 99 WHERE id = 3; INSERT INTO t VALUES (9, 9, 'z', 90)"), SQLITE_OK);
  CHECK_INT(V(f.b, 3), 99); /* its own writes */
  CHECK_INT(V(f.a, 3), 30); /* autocommit reader */
  CHECK_INT(ex(f.c, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_STR(q(f.c, "SELECT group_concat(id) FROM t"), "1,2,3");
  CHECK_STR(q(f.c, "SELECT id FROM t WHERE u = 'z'"), "");
  CHECK_INT(ex(f.c, "COMMIT"), SQLITE_OK);
  CHECK_INT(ex(f.b, "ROLLBACK"), SQLITE_OK);
  CHECK_STR(q(f.a, "SELECT group_concat(id || ':' || v) FROM t"), "1:10,2:20,3:30"); /* nothing left */
  fx_close(&f);
}

TEST(no_phantoms_within_a_snapshot) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_STR(q(f.a, "SELECT count(*) FROM t WHERE k BETWEEN 1 AND 5"), "3");
  CHECK_INT(ex(f.b, "INSERT INTO t VALUES (4, 2, 'd', 40); DELETE FROM t WHERE id = 1"), SQLITE_OK);
  CHECK_STR(q(f.a, "SELECT count(*) FROM t WHERE k BETWEEN 1 AND 5"), "3");
  CHECK_STR(q(f.a, "SELECT group_concat(id) FROM t WHERE k = 2"), "2");
  CHECK_STR(q(f.a, "SELECT group_concat(id) FROM (SELECT id FROM t ORDER BY id)"), "1,2,3");
  CHECK_INT(ex(f.a, "COMMIT"), SQLITE_OK);
  CHECK_STR(q(f.a, "SELECT group_concat(id) FROM (SELECT id FROM t ORDER BY id)"), "2,3,4");
  fx_close(&f);
}

TEST(index_reads_follow_the_snapshot_and_the_planner_uses_the_index) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  const char *plan = q(f.a, "EXPLAIN QUERY PLAN SELECT id FROM t WHERE k = 2");
  CHECK(strstr(plan, "USING INDEX t_k") || strstr(plan, "USING COVERING INDEX t_k"));
  plan = q(f.a, "EXPLAIN QUERY PLAN SELECT v FROM t WHERE u = 'b'");
  CHECK(strstr(plan, "sqlite_autoindex_t_1") != NULL);
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_STR(q(f.a, "SELECT id FROM t WHERE k = 2"), "2");
  CHECK_INT(ex(f.b, "UPDATE t SET k = 7, u = 'q' WHERE id = 2"), SQLITE_OK);
  CHECK_STR(q(f.a, "SELECT id FROM t WHERE k = 2"), "2");
  CHECK_STR(q(f.a, "SELECT id FROM t WHERE k = 7"), "");
  CHECK_STR(q(f.a, "SELECT id FROM t WHERE u = 'b'"), "2");
  CHECK_STR(q(f.a, "SELECT id FROM t WHERE u = 'q'"), "");
  /* its own index changes are visible to it */
  CHECK_INT(ex(f.a, "UPDATE t SET k = 8 WHERE id = 3"), SQLITE_OK);
  CHECK_STR(q(f.a, "SELECT id FROM t WHERE k = 8"), "3");
  CHECK_STR(q(f.b, "SELECT id FROM t WHERE k = 8"), "");
  CHECK_INT(ex(f.a, "COMMIT"), SQLITE_OK);
  CHECK_STR(q(f.c, "SELECT group_concat(id || ':' || k) FROM t"), "1:1,2:7,3:8");
  CHECK_STR(q(f.c, "PRAGMA integrity_check"), "ok");
  fx_close(&f);
}

/* ---- write-write conflicts --------------------------------------------------------------- */

/* After a conflict the transaction is gone: autocommit, and ROLLBACK is an error. */
static void check_rolled_back(sqlite3 *db) {
  CHECK_INT(sqlite3_get_autocommit(db), 1);
  CHECK_RC(ex(db, "ROLLBACK"), SQLITE_ERROR);
  CHECK_STR(sqlite3_errmsg(db), "cannot rollback - no transaction is active");
}

TEST(write_write_conflict_with_an_active_writer) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.b, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.a, "UPDATE t SET v = 100 WHERE id = 1"), SQLITE_OK);
  /* b writes the row a has written and not committed: b loses, at once */
  CHECK_INT(ex(f.b, "UPDATE t SET v = 200 WHERE id = 1"), SQLITE_BUSY_SNAPSHOT);
  check_rolled_back(f.b);
  CHECK_INT(ex(f.a, "COMMIT"), SQLITE_OK);
  CHECK_INT(V(f.c, 1), 100);
  fx_close(&f);
}

TEST(write_write_conflict_with_a_writer_that_committed_after_begin) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.b, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.b, "UPDATE t SET v = 200 WHERE id = 1"), SQLITE_OK);
  CHECK_INT(ex(f.b, "COMMIT"), SQLITE_OK);
  /* a began before b committed: its write of the row fails at the write or at COMMIT */
  int rc = ex(f.a, "UPDATE t SET v = 100 WHERE id = 1");
  if (rc == SQLITE_OK) rc = ex(f.a, "COMMIT");
  CHECK_INT(rc, SQLITE_BUSY_SNAPSHOT);
  check_rolled_back(f.a);
  CHECK_INT(V(f.c, 1), 200);
  /* the retry, from BEGIN CONCURRENT, sees b's row and commits */
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT; UPDATE t SET v = v + 1 WHERE id = 1; COMMIT"), SQLITE_OK);
  CHECK_INT(V(f.c, 1), 201);
  fx_close(&f);
}

/* The busy handler waits for locks, never across a conflict: the statement must not run again on its own. */
TEST(a_busy_timeout_does_not_retry_a_conflicting_write) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  sqlite3_busy_timeout(f.a, 2000);
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.a, "UPDATE t SET v = 31 WHERE id = 3"), SQLITE_OK);
  CHECK_INT(ex(f.b, "BEGIN CONCURRENT; UPDATE t SET v = 200 WHERE id = 1; COMMIT"), SQLITE_OK);
  int rc = ex(f.a, "UPDATE t SET v = 100 WHERE id = 1");
  if (rc == SQLITE_OK) rc = ex(f.a, "COMMIT");
  CHECK_INT(rc, SQLITE_BUSY_SNAPSHOT);
  check_rolled_back(f.a);
  CHECK_STR(q(f.c, "SELECT group_concat(v) FROM t"), "200,20,30"); /* nothing of a's */
  fx_close(&f);
}

TEST(write_write_conflict_on_delete_and_on_a_new_rowid) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.b, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.a, "DELETE FROM t WHERE id = 2"), SQLITE_OK);
  CHECK_INT(ex(f.a, "INSERT INTO t VALUES (7, 7, 'g', 70)"), SQLITE_OK);
  int rc = ex(f.b, "UPDATE t SET v = 0 WHERE id = 2");
  CHECK_INT(rc, SQLITE_BUSY_SNAPSHOT);
  check_rolled_back(f.b);
  CHECK_INT(ex(f.b, "BEGIN CONCURRENT"), SQLITE_OK);
  rc = ex(f.b, "INSERT INTO t VALUES (7, 1, 'h', 1)"); /* the same new rowid */
  CHECK_INT(rc, SQLITE_BUSY_SNAPSHOT);
  check_rolled_back(f.b);
  CHECK_INT(ex(f.a, "COMMIT"), SQLITE_OK);
  CHECK_STR(q(f.c, "SELECT group_concat(id || ':' || u) FROM t"), "1:a,3:c,7:g");
  fx_close(&f);
}

TEST(disjoint_rows_never_conflict) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.b, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.c, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.a, "UPDATE t SET v = v + 1 WHERE id = 1; INSERT INTO t VALUES (10, 1, 'x', 1)"), SQLITE_OK);
  CHECK_INT(ex(f.b, "UPDATE t SET v = v + 2 WHERE id = 2; INSERT INTO t VALUES (11, 1, 'y', 2)"), SQLITE_OK);
  CHECK_INT(ex(f.c, "DELETE FROM t WHERE id = 3; INSERT INTO t VALUES (12, 1, 'z', 3)"), SQLITE_OK);
  CHECK_INT(ex(f.b, "COMMIT"), SQLITE_OK);
  CHECK_INT(ex(f.c, "COMMIT"), SQLITE_OK);
  CHECK_INT(ex(f.a, "COMMIT"), SQLITE_OK);
  CHECK_STR(q(f.a, "SELECT group_concat(id || ':' || v) FROM t"), "1:11,2:22,10:1,11:2,12:3");
  CHECK_STR(q(f.a, "SELECT group_concat(id) FROM t WHERE k = 1"), "1,10,11,12");
  CHECK_STR(q(f.a, "PRAGMA integrity_check"), "ok");
  fx_close(&f);
}

/*
** Another connection, opened during the transaction, commits meanwhile (autocommit, changing an indexed
** column): COMMIT merges both, also after a statement with RETURNING.  The concurrent transaction runs on a
** connection whose first statement is its BEGIN.
*/
TEST(commit_after_another_connection_committed_meanwhile_keeps_both) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  CHECK_INT(ex(f.c, "BEGIN CONCURRENT"), SQLITE_OK);
  sqlite3 *d = mt_open(f.path); /* a connection opened during the transaction */
  CHECK_INT(ex(d, "UPDATE t SET v = v + 1, k = 0 WHERE id = 1"), SQLITE_OK);
  CHECK_INT(ex(f.c, "DELETE FROM t WHERE id = 2"), SQLITE_OK);
  CHECK_INT(ex(f.c, "UPDATE t SET v = v * 3 + 1 WHERE k BETWEEN 3 AND 4 RETURNING id"), SQLITE_OK);
  CHECK_INT(ex(f.c, "COMMIT"), SQLITE_OK);
  sqlite3_close(d);
  CHECK_STR(q(f.a, "SELECT group_concat(id || ':' || k || ':' || v) FROM t"), "1:0:11,3:3:91");
  CHECK_STR(q(f.a, "SELECT group_concat(id) FROM t WHERE k <= 3"), "1,3");
  CHECK_STR(q(f.a, "PRAGMA integrity_check"), "ok");
  fx_close(&f);
}

TEST(write_skew_is_allowed_reads_never_conflict) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.b, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(qi(f.a, "SELECT sum(v) FROM t WHERE id IN (1, 2)"), 30);
  CHECK_INT(qi(f.b, "SELECT sum(v) FROM t WHERE id IN (1, 2)"), 30);
  CHECK_INT(ex(f.a, "UPDATE t SET v = v - 30 WHERE id = 1"), SQLITE_OK);
  CHECK_INT(ex(f.b, "UPDATE t SET v = v - 30 WHERE id = 2"), SQLITE_OK);
  CHECK_INT(ex(f.a, "COMMIT"), SQLITE_OK);
  CHECK_INT(ex(f.b, "COMMIT"), SQLITE_OK); /* snapshot isolation, not serializable */
  CHECK_INT(qi(f.c, "SELECT sum(v) FROM t WHERE id IN (1, 2)"), -30);
  fx_close(&f);
}

TEST(unique_conflict_between_concurrent_inserts) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.b, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.a, "INSERT INTO t VALUES (5, 5, 'same', 50)"), SQLITE_OK);
  int rc = ex(f.b, "INSERT INTO t VALUES (6, 6, 'same', 60)");
  if (rc == SQLITE_OK) {
    CHECK_INT(ex(f.a, "COMMIT"), SQLITE_OK);
    rc = ex(f.b, "COMMIT");
    CHECK(rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_BUSY_SNAPSHOT);
  } else {
    CHECK_INT(rc, SQLITE_BUSY_SNAPSHOT);
    CHECK_INT(ex(f.a, "COMMIT"), SQLITE_OK);
  }
  check_rolled_back(f.b);
  CHECK_STR(q(f.c, "SELECT group_concat(id) FROM t WHERE u = 'same'"), "5");
  CHECK_STR(q(f.c, "PRAGMA integrity_check"), "ok");
  /* against a value committed after b's begin: also refused */
  CHECK_INT(ex(f.b, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.a, "INSERT INTO t VALUES (8, 8, 'late', 80)"), SQLITE_OK);
  rc = ex(f.b, "INSERT INTO t VALUES (9, 9, 'late', 90)");
  if (rc == SQLITE_OK) rc = ex(f.b, "COMMIT");
  CHECK(rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_BUSY_SNAPSHOT);
  CHECK_INT(sqlite3_get_autocommit(f.b), 1);
  CHECK_STR(q(f.c, "SELECT group_concat(id) FROM t WHERE u = 'late'"), "8");
  fx_close(&f);
}

/* Connections keep what they know of the indexes between transactions: an
** index made UNIQUE, or no longer, by another connection counts as it is now. */
TEST(unique_index_changed_by_another_connection_counts_at_the_next_write) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  for (int i = 0; i < 2; i++) { /* a and b write through the indexes first */
    sqlite3 *db = i ? f.b : f.a;
    char sql[100];
    snprintf(sql, sizeof sql, "INSERT INTO t VALUES (%d, %d, 'w%d', %d)", 20 + i, 20 + i, i, 120 + i);
    CHECK_INT(ex(db, "BEGIN CONCURRENT"), SQLITE_OK);
    CHECK_INT(ex(db, sql), SQLITE_OK);
    CHECK_INT(ex(db, "COMMIT"), SQLITE_OK);
  }
  CHECK_INT(ex(f.c, "CREATE UNIQUE INDEX t_v ON t(v)"), SQLITE_OK);
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.b, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.a, "INSERT INTO t VALUES (30, 30, 'p', 777)"), SQLITE_OK);
  CHECK_INT(ex(f.b, "INSERT INTO t VALUES (31, 31, 'q', 777)"), SQLITE_BUSY_SNAPSHOT);
  check_rolled_back(f.b);
  CHECK_INT(ex(f.a, "COMMIT"), SQLITE_OK);
  CHECK_INT(ex(f.c, "DROP INDEX t_v; CREATE INDEX t_v ON t(v)"), SQLITE_OK);
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.b, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.a, "INSERT INTO t VALUES (40, 40, 'r', 888)"), SQLITE_OK);
  CHECK_INT(ex(f.b, "INSERT INTO t VALUES (41, 41, 's', 888)"), SQLITE_OK);
  CHECK_INT(ex(f.a, "COMMIT"), SQLITE_OK);
  CHECK_INT(ex(f.b, "COMMIT"), SQLITE_OK);
  CHECK_STR(q(f.c, "SELECT group_concat(id) FROM t WHERE v IN (777, 888)"), "30,40,41");
  CHECK_STR(q(f.c, "PRAGMA integrity_check"), "ok");
  fx_close(&f);
}

TEST(rolled_back_concurrent_transaction_leaves_nothing) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.a, "INSERT INTO t VALUES (4, 4, 'd', 40); UPDATE t SET v = 0, k = 9; DELETE FROM t WHERE id = 2"),
            SQLITE_OK);
  CHECK_INT(ex(f.a, "ROLLBACK"), SQLITE_OK);
  CHECK_STR(q(f.b, "SELECT group_concat(id || ':' || k || ':' || v) FROM t"), "1:1:10,2:2:20,3:3:30");
  CHECK_STR(q(f.b, "SELECT count(*) FROM t WHERE k = 9"), "0");
  /* and the rows it touched are free for others */
  CHECK_INT(ex(f.b, "BEGIN CONCURRENT; UPDATE t SET v = 1 WHERE id = 2; INSERT INTO t VALUES (4, 4, 'd', 4); COMMIT"),
            SQLITE_OK);
  CHECK_STR(q(f.c, "PRAGMA integrity_check"), "ok");
  fx_close(&f);
}

/* ---- exclusive transactions --------------------------------------------------------------- */

static void commit_waits_for(const char *begin_exclusive, int write_first) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT"), SQLITE_OK);
  CHECK_INT(ex(f.a, "UPDATE t SET v = 11 WHERE id = 1"), SQLITE_OK);
  CHECK_INT(ex(f.b, begin_exclusive), SQLITE_OK);
  if (write_first) CHECK_INT(ex(f.b, "UPDATE t SET v = 33 WHERE id = 3"), SQLITE_OK);
  /* a reads and writes while b is exclusive, but cannot commit */
  CHECK_INT(ex(f.a, "INSERT INTO t VALUES (4, 4, 'd', 40)"), SQLITE_OK);
  CHECK_INT(V(f.a, 1), 11);
  CHECK_RC(ex(f.a, "COMMIT"), SQLITE_BUSY);
  CHECK_INT(sqlite3_get_autocommit(f.a), 0); /* still open: COMMIT can be retried */
  CHECK_RC(ex(f.a, "COMMIT"), SQLITE_BUSY);
  CHECK_INT(V(f.c, 1), 10);
  CHECK_INT(ex(f.b, "COMMIT"), SQLITE_OK);
  CHECK_INT(ex(f.a, "COMMIT"), SQLITE_OK);
  CHECK_STR(q(f.c, "SELECT group_concat(id || ':' || v) FROM t"), write_first ? "1:11,2:20,3:33,4:40" : "1:11,2:20,3:30,4:40");
  fx_close(&f);
}

TEST(commit_is_busy_while_begin_immediate_is_active_and_succeeds_after) {
  commit_waits_for("BEGIN IMMEDIATE", 0);
}
TEST(commit_is_busy_while_begin_exclusive_is_active_and_succeeds_after) {
  commit_waits_for("BEGIN EXCLUSIVE", 1);
}
TEST(commit_is_busy_while_a_deferred_transaction_that_wrote_is_active) {
  commit_waits_for("BEGIN DEFERRED", 1);
}

TEST(commit_is_free_while_a_deferred_transaction_only_reads) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  CHECK_INT(ex(f.b, "BEGIN DEFERRED"), SQLITE_OK);
  CHECK_INT(V(f.b, 1), 10);
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT; UPDATE t SET v = 11 WHERE id = 1; COMMIT"), SQLITE_OK);
  CHECK_INT(V(f.b, 1), 10); /* b's snapshot */
  CHECK_INT(ex(f.b, "COMMIT"), SQLITE_OK);
  fx_close(&f);
}

TEST(commit_is_busy_after_an_exclusive_transaction_that_rolled_back_ends) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT; UPDATE t SET v = 11 WHERE id = 1"), SQLITE_OK);
  CHECK_INT(ex(f.b, "BEGIN IMMEDIATE; UPDATE t SET v = 22 WHERE id = 2"), SQLITE_OK);
  CHECK_RC(ex(f.a, "COMMIT"), SQLITE_BUSY);
  CHECK_INT(ex(f.b, "ROLLBACK"), SQLITE_OK);
  CHECK_INT(ex(f.a, "COMMIT"), SQLITE_OK);
  CHECK_STR(q(f.c, "SELECT group_concat(v) FROM t"), "11,20,30");
  fx_close(&f);
}

typedef struct Ender {
  sqlite3 *db;
  int rc;
} Ender;

static void *end_later(void *arg) {
  Ender *e = arg;
  struct timespec ts = {0, 200 * 1000 * 1000};
  nanosleep(&ts, NULL);
  e->rc = ex(e->db, "COMMIT");
  return NULL;
}

TEST(commit_waits_for_the_exclusive_transaction_with_a_busy_timeout) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  CHECK_INT(ex(f.a, "BEGIN CONCURRENT; UPDATE t SET v = 11 WHERE id = 1"), SQLITE_OK);
  CHECK_INT(ex(f.b, "BEGIN IMMEDIATE; UPDATE t SET v = 22 WHERE id = 2"), SQLITE_OK);
  Ender e = {f.b, -1};
  pthread_t th;
  sqlite3_busy_timeout(f.a, 20000);
  CHECK_INT(pthread_create(&th, NULL, end_later, &e), 0);
  CHECK_INT(ex(f.a, "COMMIT"), SQLITE_OK);
  pthread_join(th, NULL);
  CHECK_INT(e.rc, SQLITE_OK);
  CHECK_STR(q(f.c, "SELECT group_concat(v) FROM t"), "11,22,30");
  fx_close(&f);
}

TEST(immediate_cannot_begin_while_another_exclusive_is_active) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  CHECK_INT(ex(f.a, "BEGIN IMMEDIATE"), SQLITE_OK);
  CHECK_RC(ex(f.b, "BEGIN IMMEDIATE"), SQLITE_BUSY);
  CHECK_INT(ex(f.c, "BEGIN CONCURRENT; UPDATE t SET v = 1 WHERE id = 3"), SQLITE_OK); /* concurrent may */
  CHECK_INT(ex(f.a, "COMMIT"), SQLITE_OK);
  CHECK_INT(ex(f.c, "COMMIT"), SQLITE_OK);
  fx_close(&f);
}

/* ---- deferred transactions (MVCC and WAL) ------------------------------------------------- */

static void deferred_unused_restarts(int mvcc) {
  Fx f;
  if (!fx_open(&f, mvcc)) return;
  CHECK_INT(ex(f.a, "BEGIN DEFERRED"), SQLITE_OK);
  CHECK_INT(ex(f.b, "UPDATE t SET v = 12 WHERE id = 1"), SQLITE_OK);
  /* a has not read: it starts from the newest state, and may write */
  CHECK_INT(V(f.a, 1), 12);
  CHECK_INT(ex(f.a, "UPDATE t SET v = v + 1 WHERE id = 1"), SQLITE_OK);
  CHECK_INT(ex(f.a, "COMMIT"), SQLITE_OK);
  CHECK_INT(V(f.c, 1), 13);
  fx_close(&f);
}

static void deferred_after_read_cannot_write(int mvcc) {
  Fx f;
  if (!fx_open(&f, mvcc)) return;
  CHECK_INT(ex(f.a, "BEGIN DEFERRED"), SQLITE_OK);
  CHECK_INT(V(f.a, 1), 10);
  CHECK_INT(ex(f.b, "UPDATE t SET v = 12 WHERE id = 1"), SQLITE_OK);
  CHECK_INT(V(f.a, 1), 10);
  CHECK_RC(ex(f.a, "UPDATE t SET v = 0 WHERE id = 2"), SQLITE_BUSY); /* even another row */
  /* the application rolls back and restarts */
  if (!sqlite3_get_autocommit(f.a)) CHECK_INT(ex(f.a, "ROLLBACK"), SQLITE_OK);
  CHECK_INT(ex(f.a, "BEGIN DEFERRED; UPDATE t SET v = v + 1 WHERE id = 1; COMMIT"), SQLITE_OK);
  CHECK_STR(q(f.c, "SELECT group_concat(v) FROM t"), "13,20,30");
  fx_close(&f);
}

TEST(wal_deferred_transaction_that_has_not_read_restarts) { deferred_unused_restarts(0); }
TEST(wal_deferred_transaction_that_has_read_cannot_write_after_another_commit) {
  deferred_after_read_cannot_write(0);
}
TEST(mvcc_deferred_transaction_that_has_not_read_restarts) { deferred_unused_restarts(1); }
TEST(mvcc_deferred_transaction_that_has_read_cannot_write_after_another_commit) {
  deferred_after_read_cannot_write(1);
}

TEST(mvcc_deferred_after_read_cannot_write_after_a_concurrent_commit) {
  Fx f;
  if (!fx_open(&f, 1)) return;
  CHECK_INT(ex(f.a, "BEGIN DEFERRED"), SQLITE_OK);
  CHECK_INT(V(f.a, 1), 10);
  CHECK_INT(ex(f.b, "BEGIN CONCURRENT; UPDATE t SET v = 12 WHERE id = 3; COMMIT"), SQLITE_OK);
  CHECK_RC(ex(f.a, "UPDATE t SET v = 0 WHERE id = 2"), SQLITE_BUSY);
  if (!sqlite3_get_autocommit(f.a)) CHECK_INT(ex(f.a, "ROLLBACK"), SQLITE_OK);
  CHECK_STR(q(f.c, "SELECT group_concat(v) FROM t"), "10,20,12");
  fx_close(&f);
}

int main(void) {
  mt_init("mvcc-semantics");
  RUN(mode_switch_reports_mvcc_everywhere_and_back_to_wal);
  RUN(begin_concurrent_opens_a_transaction);
  RUN(snapshot_reads_are_repeatable);
  RUN(snapshot_is_taken_at_begin);
  RUN(no_dirty_reads);
  RUN(no_phantoms_within_a_snapshot);
  RUN(index_reads_follow_the_snapshot_and_the_planner_uses_the_index);
  RUN(write_write_conflict_with_an_active_writer);
  RUN(write_write_conflict_with_a_writer_that_committed_after_begin);
  RUN(a_busy_timeout_does_not_retry_a_conflicting_write);
  RUN(write_write_conflict_on_delete_and_on_a_new_rowid);
  RUN(disjoint_rows_never_conflict);
  RUN(commit_after_another_connection_committed_meanwhile_keeps_both);
  RUN(write_skew_is_allowed_reads_never_conflict);
  RUN(unique_conflict_between_concurrent_inserts);
  RUN(unique_index_changed_by_another_connection_counts_at_the_next_write);
  RUN(rolled_back_concurrent_transaction_leaves_nothing);
  RUN(commit_is_busy_while_begin_immediate_is_active_and_succeeds_after);
  RUN(commit_is_busy_while_begin_exclusive_is_active_and_succeeds_after);
  RUN(commit_is_busy_while_a_deferred_transaction_that_wrote_is_active);
  RUN(commit_is_free_while_a_deferred_transaction_only_reads);
  RUN(commit_is_busy_after_an_exclusive_transaction_that_rolled_back_ends);
  RUN(commit_waits_for_the_exclusive_transaction_with_a_busy_timeout);
  RUN(immediate_cannot_begin_while_another_exclusive_is_active);
  RUN(wal_deferred_transaction_that_has_not_read_restarts);
  RUN(wal_deferred_transaction_that_has_read_cannot_write_after_another_commit);
  RUN(mvcc_deferred_transaction_that_has_not_read_restarts);
  RUN(mvcc_deferred_transaction_that_has_read_cannot_write_after_another_commit);
  RUN(mvcc_deferred_after_read_cannot_write_after_a_concurrent_commit);
  return mt_summary();
}
