/*
** test_rtree.c — the R-Tree module (engine/src/ext/rtree) against a brute-force
** model: random inserts, moves and deletes of boxes in a file database, then
** box queries whose counts must equal the model's, the tree must pass
** rtreecheck(), and a reopened connection must see the same rows.
*/
#include "testdb.h"
#include "testlib.h"

#define NBOX 700

typedef struct Box {
  int live;
  int x0, x1, y0, y1;
} Box;

static int exec_ok(lode *db, const char *sql) { return lode_exec(db, sql, NULL) == LODE_OK; }

static int64_t model_count(const Box *b, int qx0, int qx1, int qy0, int qy1) {
  int64_t n = 0;
  for (int i = 0; i < NBOX; i++)
    if (b[i].live && b[i].x1 >= qx0 && b[i].x0 <= qx1 && b[i].y1 >= qy0 && b[i].y0 <= qy1) n++;
  return n;
}

static void random_box(Rng *r, Box *b) {
  b->x0 = rng_int(r, 10000);
  b->x1 = b->x0 + rng_int(r, 300);
  b->y0 = rng_int(r, 10000);
  b->y1 = b->y0 + rng_int(r, 300);
}

static void check_queries(lode *db, Rng *r, const Box *boxes) {
  char sql[256];
  for (int q = 0; q < 40; q++) {
    Box w;
    random_box(r, &w);
    w.x1 += 1500;
    w.y1 += 1500;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM r WHERE x1 >= %d AND x0 <= %d AND y1 >= %d AND y0 <= %d;", w.x0,
             w.x1, w.y0, w.y1);
    CHECK_EQ_INT(query_int(db, sql), model_count(boxes, w.x0, w.x1, w.y0, w.y1));
  }
}

TEST(random_against_model) {
  char path_buf[96];
  const char *path = tmp_db_path(path_buf, sizeof path_buf, "rtree");
  static Box boxes[NBOX];
  char sql[256];
  lode *db = NULL;
  Rng r;
  rng_seed(&r, 7);
  remove_db(path);
  memset(boxes, 0, sizeof boxes);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK(exec_ok(db, "CREATE VIRTUAL TABLE r USING rtree_i32(id, x0, x1, y0, y1, +note);"));
  for (int step = 0; step < 3000; step++) {
    int i = rng_int(&r, NBOX), k = rng_int(&r, 10);
    if (k < 6 && !boxes[i].live) {
      random_box(&r, &boxes[i]);
      snprintf(sql, sizeof sql, "INSERT INTO r VALUES(%d, %d, %d, %d, %d, 'n%d');", i, boxes[i].x0, boxes[i].x1,
               boxes[i].y0, boxes[i].y1, step);
      CHECK(exec_ok(db, sql));
      boxes[i].live = 1;
    } else if (k < 8 && boxes[i].live) {
      random_box(&r, &boxes[i]);
      snprintf(sql, sizeof sql, "UPDATE r SET x0 = %d, x1 = %d, y0 = %d, y1 = %d WHERE id = %d;", boxes[i].x0,
               boxes[i].x1, boxes[i].y0, boxes[i].y1, i);
      CHECK(exec_ok(db, sql));
    } else {
      snprintf(sql, sizeof sql, "DELETE FROM r WHERE id = %d;", i);
      CHECK(exec_ok(db, sql));
      boxes[i].live = 0;
    }
    if (step % 1000 == 999) check_queries(db, &r, boxes);
  }
  /* A box whose min is above its max is refused, and changes nothing. */
  CHECK(!exec_ok(db, "INSERT INTO r VALUES(100000, 5, 4, 0, 0, NULL);"));
  CHECK(strstr(lode_errmsg(db), "rtree constraint failed: r.(x0<=x1)") != NULL);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM r WHERE id = 100000;"), 0);
  CHECK_EQ_INT(query_int(db, "SELECT rtreecheck('r') = 'ok';"), 1);
  CHECK(query_int(db, "SELECT count(*) FROM r_parent;") > 2);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  int64_t live = 0;
  for (int i = 0; i < NBOX; i++) live += boxes[i].live;
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM r;"), live);
  check_queries(db, &r, boxes);
  CHECK(exec_ok(db, "DROP TABLE r;"));
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM sqlite_schema;"), 0);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  remove_db(path);
}

/* A table of n boxes along the diagonal, box i at (10*i, 10*i+5) in both dimensions. */
static void fill_diagonal(lode *db, const char *table, int n) {
  char sql[256];
  snprintf(sql, sizeof sql, "CREATE VIRTUAL TABLE %s USING rtree(id, x0, x1, y0, y1);", table);
  CHECK(exec_ok(db, sql));
  CHECK(exec_ok(db, "BEGIN;"));
  for (int i = 1; i <= n; i++) {
    snprintf(sql, sizeof sql, "INSERT INTO %s VALUES(%d, %d, %d, %d, %d);", table, i, 10 * i, 10 * i + 5, 10 * i,
             10 * i + 5);
    CHECK(exec_ok(db, sql));
  }
  CHECK(exec_ok(db, "COMMIT;"));
}

/* Scans keep the nodes they read for the next scans: a commit by another connection is seen at the next
** snapshot, and not before it (a read transaction keeps its snapshot). */
TEST(kept_nodes_follow_other_connections) {
  char path_buf[96];
  const char *path = tmp_db_path(path_buf, sizeof path_buf, "rtree_conn");
  lode *a = NULL, *b = NULL;
  remove_db(path);
  CHECK_EQ_INT(lode_open(path, &a), LODE_OK);
  CHECK_EQ_INT(lode_open(path, &b), LODE_OK);
  fill_diagonal(a, "r", 600);
  const char *count = "SELECT count(*) FROM r WHERE x1 >= 1000 AND x0 <= 2000;";
  CHECK_EQ_INT(query_int(a, count), 101);
  CHECK_EQ_INT(query_int(a, count), 101);
  CHECK(exec_ok(b, "DELETE FROM r WHERE id BETWEEN 100 AND 149;"));
  CHECK_EQ_INT(query_int(a, count), 51);
  CHECK_EQ_INT(query_int(a, "SELECT x0 FROM r WHERE id = 150;"), 1500);
  CHECK(exec_ok(a, "BEGIN;"));
  CHECK_EQ_INT(query_int(a, count), 51);
  CHECK(exec_ok(b, "UPDATE r SET x0 = 1400 WHERE id = 150;"));
  CHECK_EQ_INT(query_int(a, "SELECT x0 FROM r WHERE id = 150;"), 1500);
  CHECK_EQ_INT(query_int(a, "SELECT count(*) FROM r WHERE x0 <= 1450 AND x1 >= 1400;"), 0);
  CHECK(exec_ok(a, "COMMIT;"));
  CHECK_EQ_INT(query_int(a, "SELECT x0 FROM r WHERE id = 150;"), 1400);
  CHECK_EQ_INT(query_int(a, "SELECT count(*) FROM r WHERE x0 <= 1450 AND x1 >= 1400;"), 1);
  CHECK_EQ_INT(query_int(a, "SELECT rtreecheck('r') = 'ok';"), 1);
  CHECK_EQ_INT(lode_close(b), LODE_OK);
  CHECK_EQ_INT(lode_close(a), LODE_OK);
  remove_db(path);
}

/* Kept nodes never outlive a change of this connection: a rollback to a savepoint, a rolled back
** transaction and a statement that writes a shadow table directly all leave scans reading what the tables
** hold. */
TEST(kept_nodes_follow_rollbacks_and_shadow_writes) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  fill_diagonal(db, "r", 600);
  const char *all = "SELECT count(*) FROM r WHERE x0 >= 0;";
  CHECK_EQ_INT(query_int(db, all), 600);
  CHECK(exec_ok(db, "BEGIN; SAVEPOINT s; DELETE FROM r WHERE id > 300;"));
  CHECK_EQ_INT(query_int(db, all), 300);
  CHECK(exec_ok(db, "ROLLBACK TO s;"));
  CHECK_EQ_INT(query_int(db, all), 600);
  CHECK(exec_ok(db, "INSERT INTO r VALUES(1000, 1, 2, 1, 2);"));
  CHECK_EQ_INT(query_int(db, all), 601);
  CHECK(exec_ok(db, "ROLLBACK;"));
  CHECK_EQ_INT(query_int(db, all), 600);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM r WHERE id = 1000;"), 0);
  /* Emptying the root by hand: the next scan finds no rows, and after a rollback all of them again. */
  CHECK_EQ_INT(query_int(db, all), 600);
  CHECK(exec_ok(db, "BEGIN; UPDATE r_node SET data = zeroblob(length(data)) WHERE nodeno = 1;"));
  CHECK_EQ_INT(query_int(db, all), 0);
  CHECK(exec_ok(db, "ROLLBACK;"));
  CHECK_EQ_INT(query_int(db, all), 600);
  CHECK(exec_ok(db, "UPDATE r_node SET data = zeroblob(length(data)) WHERE nodeno = 1;"));
  CHECK_EQ_INT(query_int(db, all), 0);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

/* Tree with several levels (small pages) whose rows are rows id 1000.. of x in [i, i+1]. */
static void fill_small_nodes(lode *db, int n) {
  char sql[256];
  CHECK(exec_ok(db, "PRAGMA page_size = 512; CREATE VIRTUAL TABLE r USING rtree(id, x0, x1);"));
  snprintf(sql, sizeof sql,
           "WITH RECURSIVE c(i) AS (VALUES(1) UNION ALL SELECT i + 1 FROM c WHERE i < %d)"
           " INSERT INTO r SELECT 1000 + i, i, i + 1 FROM c;",
           n);
  CHECK(exec_ok(db, sql));
}

/* After the changes a statement's failure undid, the tree is what it was: later changes in the same
** transaction build on the tables as they are, and the tree checks out. */
static void check_after_undone(lode *db) {
  CHECK(exec_ok(db, "INSERT INTO other VALUES(1);")); /* one change, as a successful one-row statement counts */
  CHECK(exec_ok(db, "INSERT INTO r VALUES(4, 7, 8); DELETE FROM r WHERE id BETWEEN 1100 AND 1150;"));
  CHECK(exec_ok(db, "COMMIT;"));
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM r WHERE id IN (2, 3);"), 0);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM r;"), 302 - 51);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM r WHERE x0 >= 0;"), 302 - 51);
  CHECK_EQ_INT(query_int(db, "SELECT rtreecheck('r') = 'ok';"), 1);
}

/* A trigger of a multi-row statement changes the tree, and a later row of the statement fails: the tables
** are rolled back to the statement's start, and the module hears of it (its statement level, as in
** SQLite) before it trusts nodes it keeps. */
TEST(statement_undone_under_trigger) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  fill_small_nodes(db, 300);
  CHECK(exec_ok(db, "CREATE TABLE a(x UNIQUE); CREATE TABLE other(v);"
                    "CREATE TRIGGER ta AFTER INSERT ON a BEGIN INSERT INTO r VALUES(new.x, new.x, new.x + 1); END;"));
  CHECK(exec_ok(db, "BEGIN; INSERT INTO r VALUES(1, 5, 6);"));
  CHECK(!exec_ok(db, "INSERT INTO a VALUES(2), (3), (2);"));
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM a;"), 0);
  check_after_undone(db);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

/* ins_r(x): inserts row x into r with a statement of its own, run while the calling statement runs. */
static void ins_r(lode_context *ctx, int argc, lode_value **argv) {
  char sql[96];
  (void)argc;
  lode_int64 x = lode_value_int64(argv[0]);
  snprintf(sql, sizeof sql, "INSERT INTO r VALUES(%lld, %lld, %lld);", (long long)x, (long long)x, (long long)x + 1);
  if (lode_exec((lode *)lode_user_data(ctx), sql, NULL) != LODE_OK) lode_result_error(ctx, "ins_r failed", -1);
  else lode_result_int64(ctx, x);
}

/* The same with the tree changed by statements a function runs while a multi-row statement that then fails
** runs: the failure undoes what they did, unheard by the module, which therefore keeps no nodes over it. */
TEST(statement_undone_under_function) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  fill_small_nodes(db, 300);
  CHECK_EQ_INT(lode_create_function(db, "ins_r", 1, 0, db, ins_r, NULL, NULL, NULL, NULL, NULL), LODE_OK);
  CHECK(exec_ok(db, "CREATE TABLE a(x UNIQUE); CREATE TABLE other(v);"));
  CHECK(exec_ok(db, "BEGIN; INSERT INTO r VALUES(1, 5, 6);"));
  CHECK(!exec_ok(db, "INSERT INTO a SELECT ins_r(v) FROM (SELECT 2 AS v UNION ALL SELECT 3 UNION ALL SELECT 2);"));
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM a;"), 0);
  check_after_undone(db);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

int main(void) {
  RUN(random_against_model);
  RUN(kept_nodes_follow_other_connections);
  RUN(kept_nodes_follow_rollbacks_and_shadow_writes);
  RUN(statement_undone_under_trigger);
  RUN(statement_undone_under_function);
  return test_summary();
}
