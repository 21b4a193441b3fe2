/*
** rebase.c — a concurrent transaction committed after others keeps exactly
** its own changes and theirs.  A commit on a snapshot others moved past
** keeps the pages of its earlier changes that no commit in between touched
** and makes the later ones again by key; a change kept twice (its page kept
** and the change made again) or not at all, or a page kept that a commit in
** between wrote, shows up here against a model of the table.
**
** One thread, a seed: connection a runs BEGIN CONCURRENT transactions of
** 3-12 statements (point and range updates of odd ids, inserts at the end of
** the table, deletes of odd ids), while b commits between a's statements
** (updates of even ids, which share leaves with a's rows, and inserts at the
** end, which a's inserts also reach).  After every round the table (each
** row's k and v) and its index on k equal the model; integrity_check ok
** every 25 rounds and at the end.  In WAL mode (no mvcc: the system's
** SQLite) the test is skipped.
*/
#include "mvcc_test.h"

#define ROWS 3000
#define MAX_ID 20000
#define ROUNDS 300

typedef struct Row {
  int live;
  long long k, v;
} Row;

static Row model[MAX_ID + 1];
static unsigned long long rng_state;

static unsigned rnd(unsigned n) {
  rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
  return (unsigned)(rng_state >> 33) % n;
}

/* A change a made in its transaction, applied to the model at its commit. */
typedef struct Pending {
  int op; /* 0 set, 1 delete */
  int id;
  long long k, v;
} Pending;

static Pending pend[64];
static int npend;

static int deleted_by_a(int id) {
  for (int j = 0; j < npend; j++)
    if (pend[j].id == id && pend[j].op == 1) return 1;
  return 0;
}

/* An odd (a's) or even (b's) live id, or 0. */
static int pick(int odd) {
  for (int tries = 0; tries < 50; tries++) {
    int id = 1 + (int)rnd(ROWS * 2);
    if ((id & 1) == odd && id <= MAX_ID && model[id].live && !deleted_by_a(id)) return id;
  }
  return 0;
}

static int table_matches(sqlite3 *db, const char *when) {
  sqlite3_stmt *s = NULL;
  sqlite3_prepare_v2(db, "SELECT id, k, v FROM t ORDER BY id", -1, &s, NULL);
  int id = 1, ok = 1;
  while (ok && sqlite3_step(s) == SQLITE_ROW) {
    int got = sqlite3_column_int(s, 0);
    for (; id < got && id <= MAX_ID; id++)
      if (model[id].live) {
        FAIL_("%s: row %d missing", when, id);
        ok = 0;
      }
    if (!ok) break;
    if (got > MAX_ID || !model[got].live) {
      FAIL_("%s: row %d should not exist", when, got);
      ok = 0;
    } else if (sqlite3_column_int64(s, 1) != model[got].k || sqlite3_column_int64(s, 2) != model[got].v) {
      FAIL_("%s: row %d is k=%lld v=%lld, expected k=%lld v=%lld", when, got, sqlite3_column_int64(s, 1),
            sqlite3_column_int64(s, 2), model[got].k, model[got].v);
      ok = 0;
    }
    id = got + 1;
  }
  sqlite3_finalize(s);
  for (; ok && id <= MAX_ID; id++)
    if (model[id].live) {
      FAIL_("%s: row %d missing at the end", when, id);
      ok = 0;
    }
  long long n = 0, sk = 0;
  for (int i = 1; i <= MAX_ID; i++)
    if (model[i].live) n++, sk += model[i].k;
  char want[64];
  snprintf(want, sizeof want, "%lld,%lld", n, sk);
  const char *got = q(db, "SELECT count(*), sum(k) FROM t INDEXED BY tk WHERE k >= 0");
  if (ok && strcmp(got, want) != 0) {
    FAIL_("%s: the index on k gives %s, expected %s", when, got, want);
    ok = 0;
  }
  return ok;
}

TEST(a_rebased_commit_keeps_every_change_once) {
  char path[512];
  mt_path("rebase", path, sizeof path);
  sqlite3 *a = mt_open(path), *b = mt_open(path);
  if (!mt_mvcc_on(a)) {
    mt_skip("no mvcc");
    sqlite3_close(a);
    sqlite3_close(b);
    return;
  }
  rng_state = getenv("LODE_MVCC_SEED") ? strtoull(getenv("LODE_MVCC_SEED"), NULL, 10) : 20261203;
  CHECK_INT(ex(a, "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER NOT NULL, v INTEGER NOT NULL, pad BLOB);"
                  "CREATE INDEX tk ON t(k)"),
            SQLITE_OK);
  memset(model, 0, sizeof model);
  CHECK_INT(ex(a, "BEGIN"), SQLITE_OK);
  for (int id = 1; id <= ROWS * 2; id++) {
    char sql[160];
    model[id] = (Row){1, id % 97, id};
    snprintf(sql, sizeof sql, "INSERT INTO t VALUES (%d, %lld, %lld, zeroblob(60))", id, model[id].k, model[id].v);
    ex(a, sql);
  }
  CHECK_INT(ex(a, "COMMIT"), SQLITE_OK);
  int next_id = ROWS * 2 + 1, commits = 0, aborts = 0;
  for (int round = 0; round < ROUNDS && !mt_cur_failed; round++) {
    npend = 0;
    int nstmt = 3 + (int)rnd(10);
    CHECK_INT(ex(a, "BEGIN CONCURRENT"), SQLITE_OK);
    int failed = 0;
    for (int st = 0; st < nstmt && !failed; st++) {
      char sql[200];
      unsigned what = rnd(10);
      if (what < 5) { /* a point update of an odd row */
        int id = pick(1);
        if (!id) continue;
        long long k = rnd(1000), v = rnd(1000000);
        snprintf(sql, sizeof sql, "UPDATE t SET k = %lld, v = %lld, pad = randomblob(%u) WHERE id = %d", k, v,
                 20 + rnd(80), id);
        pend[npend++] = (Pending){0, id, k, v};
      } else if (what < 7) { /* a range update of odd rows (a statement savepoint) */
        int lo = 1 + (int)rnd(ROWS * 2 - 40);
        snprintf(sql, sizeof sql, "UPDATE t SET v = v + 7 WHERE id BETWEEN %d AND %d AND id %% 2 = 1", lo, lo + 30);
        for (int id = lo; id <= lo + 30; id++)
          if ((id & 1) && model[id].live && !deleted_by_a(id)) {
            long long v = model[id].v + 7, k = model[id].k;
            for (int j = 0; j < npend; j++) /* a's own earlier change of it */
              if (pend[j].id == id) v = pend[j].v + 7, k = pend[j].k;
            if (npend < 63) pend[npend++] = (Pending){0, id, k, v};
          }
      } else if (what < 9) { /* an insert at the end of the table (the leaf b's inserts reach too) */
        if (next_id > MAX_ID - 4) continue;
        long long k = rnd(1000), v = rnd(1000000);
        snprintf(sql, sizeof sql, "INSERT INTO t VALUES (NULL, %lld, %lld, randomblob(50)) RETURNING id", k, v);
        long long id = qi(a, sql);
        if (id <= 0 || id > MAX_ID) {
          FAIL_("insert returned id %lld: %s", id, sqlite3_errmsg(a));
          failed = 1;
          break;
        }
        pend[npend++] = (Pending){0, (int)id, k, v};
        if (id >= next_id) next_id = (int)id + 1;
        sql[0] = 0;
      } else { /* a delete of an odd row */
        int id = pick(1);
        if (!id) continue;
        snprintf(sql, sizeof sql, "DELETE FROM t WHERE id = %d", id);
        pend[npend++] = (Pending){1, id, 0, 0};
      }
      if (sql[0] && ex(a, sql) != SQLITE_OK) {
        FAIL_("round %d: %s: %s", round, sql, sqlite3_errmsg(a));
        failed = 1;
      }
      if (npend >= 48) break;
      /* b commits between a's statements: even rows (a's leaves) and the table's end. */
      if (rnd(2) == 0) {
        int id = pick(0);
        long long k = rnd(1000), v = rnd(1000000);
        int ins = rnd(3) == 0 && next_id <= MAX_ID - 4;
        if (ins) {
          snprintf(sql, sizeof sql, "INSERT INTO t VALUES (NULL, %lld, %lld, randomblob(50)) RETURNING id", k, v);
          long long nid = qi(b, sql);
          if (nid <= 0 || nid > MAX_ID) {
            FAIL_("b's insert returned id %lld: %s", nid, sqlite3_errmsg(b));
            failed = 1;
            break;
          }
          model[nid] = (Row){1, k, v};
          if (nid >= next_id) next_id = (int)nid + 1;
        } else if (id) {
          snprintf(sql, sizeof sql, "UPDATE t SET k = %lld, v = %lld WHERE id = %d", k, v, id);
          if (ex(b, sql) != SQLITE_OK) {
            FAIL_("b: %s: %s", sql, sqlite3_errmsg(b));
            failed = 1;
            break;
          }
          model[id].k = k, model[id].v = v;
        }
      }
    }
    if (failed) break;
    int rc = ex(a, "COMMIT");
    if (rc == SQLITE_OK) {
      commits++;
      for (int j = 0; j < npend; j++) {
        if (pend[j].op == 1) model[pend[j].id].live = 0;
        else model[pend[j].id] = (Row){1, pend[j].k, pend[j].v};
      }
    } else {
      /* Only a write-write conflict may end it (a's rows are its own). */
      CHECK_INT(rc, SQLITE_BUSY_SNAPSHOT);
      aborts++;
      ex(a, "ROLLBACK");
    }
    char when[64];
    snprintf(when, sizeof when, "after round %d", round);
    if (!table_matches(b, when)) break;
    if (round % 25 == 24) CHECK_STR(q(b, "PRAGMA integrity_check"), "ok");
  }
  CHECK_STR(q(a, "PRAGMA integrity_check"), "ok");
  CHECK(commits > ROUNDS * 9 / 10);
  printf("     %d commits, %d conflicts\n", commits, aborts);
  sqlite3_close(a);
  sqlite3_close(b);
}

int main(void) {
  mt_init("mvcc-rebase");
  RUN(a_rebased_commit_keeps_every_change_once);
  return mt_summary();
}
