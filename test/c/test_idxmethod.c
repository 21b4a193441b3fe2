/*
** test_idxmethod.c — index methods: the backing store (int64-keyed blobs in
** an index b-tree, in key order), CREATE INDEX … USING's checks of the
** method, its columns and its parameters, the index kept up to date by row
** changes inside the statement's transaction, DROP, the planner's choice
** (each pattern-breaking variant falls back) and a method written here
** through lode_create_index_method.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "btree/btree.h"
#include "idxmethod/idxmethod.h"
#include "lode.h"
#include "testdb.h"
#include "testlib.h"

TEST(store_keeps_int64_keyed_blobs_in_key_order) {
  enum { N = 600 };
  Btree *bt = NULL;
  lode_index_store *s = NULL;
  uint32_t root = 0;
  unsigned char buf[3000];
  CHECK_EQ_INT(btree_open_temp(&bt), LODE_OK);
  CHECK_EQ_INT(btree_begin_write(bt), LODE_OK);
  CHECK_EQ_INT(btree_create(bt, BTREE_BLOBKEY, &root), LODE_OK);
  CHECK_EQ_INT(idxm_store_open(bt, root, 1, &s), LODE_OK);
  /* keys spread over the int64 range, values up to 3000 bytes (overflow pages) */
  for (int i = 0; i < N; i++) {
    int64_t key = (int64_t)((uint64_t)(i * 7919 % N) * 0x9E3779B97F4A7C15ull) / 2;
    int n = (i * 37) % 3000;
    memset(buf, i & 0xff, (size_t)n);
    CHECK_EQ_INT(lode_index_store_put(s, key, 0, buf, n), LODE_OK);
  }
  /* a put on an existing key replaces the value */
  CHECK_EQ_INT(lode_index_store_put(s, 5, 0, "old", 3), LODE_OK);
  CHECK_EQ_INT(lode_index_store_put(s, 5, 0, "new!", 4), LODE_OK);
  const void *v;
  int n;
  CHECK_EQ_INT(lode_index_store_get(s, 5, 0, &v, &n), LODE_OK);
  CHECK(n == 4 && memcmp(v, "new!", 4) == 0);
  CHECK_EQ_INT(lode_index_store_delete(s, 5, 0), LODE_OK);
  CHECK_EQ_INT(lode_index_store_get(s, 5, 0, &v, &n), LODE_NOTFOUND);
  CHECK_EQ_INT(lode_index_store_delete(s, 5, 0), LODE_NOTFOUND);
  for (int i = 0; i < N; i++) {
    int64_t key = (int64_t)((uint64_t)(i * 7919 % N) * 0x9E3779B97F4A7C15ull) / 2;
    CHECK_EQ_INT(lode_index_store_get(s, key, 0, &v, &n), LODE_OK);
    CHECK_EQ_INT(n, (i * 37) % 3000);
    CHECK(n == 0 || ((const unsigned char *)v)[n - 1] == (i & 0xff));
  }
  /* the minor key orders entries of one major key; iteration is in key order */
  for (int m = 3; m >= 1; m--)
    CHECK_EQ_INT(lode_index_store_put(s, INT64_MAX, m, "x", 1), LODE_OK);
  int eof = 0, count = 0;
  int64_t prev1 = INT64_MIN, prev2 = INT64_MIN, k1, k2;
  for (int rc = lode_index_store_seek(s, INT64_MIN, INT64_MIN, &eof); rc == LODE_OK && !eof;
       rc = lode_index_store_next(s, &eof)) {
    lode_index_store_key(s, &k1, &k2);
    CHECK(count == 0 || k1 > prev1 || (k1 == prev1 && k2 > prev2));
    prev1 = k1, prev2 = k2;
    count++;
  }
  CHECK_EQ_INT(count, N + 3);
  CHECK_EQ_INT(lode_index_store_seek(s, INT64_MAX, 2, &eof), LODE_OK);
  lode_index_store_key(s, &k1, &k2);
  CHECK(!eof && k1 == INT64_MAX && k2 == 2);
  char *errors = NULL;
  int nerr = 0;
  idxm_store_close(s);
  CHECK_EQ_INT(btree_integrity_check(bt, &root, 1, 10, &errors, &nerr), LODE_OK);
  CHECK_EQ_INT(nerr, 0);
  free(errors);
  CHECK_EQ_INT(btree_commit(bt), LODE_OK);
  btree_close(bt);
}

TEST(create_index_using_checks_method_columns_and_parameters) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  query(db, "CREATE TABLE d(id INTEGER PRIMARY KEY, e BLOB, n TEXT)");
  CHECK_EQ_STR(query(db, "CREATE INDEX i ON d USING nosuch (e)"), "ERROR 1: no such index method: nosuch");
  CHECK_EQ_STR(query(db, "CREATE INDEX i ON d USING toy_vector_sparse_ivf (e, n)"),
               "ERROR 1: toy_vector_sparse_ivf indexes exactly one column");
  CHECK_EQ_STR(query(db, "CREATE INDEX i ON d USING toy_vector_sparse_ivf (zz)"), "ERROR 1: no such column: zz");
  CHECK_EQ_STR(query(db, "CREATE INDEX i ON d USING toy_vector_sparse_ivf (e) WITH (k = 1)"),
               "ERROR 1: toy_vector_sparse_ivf: unknown parameter k");
  CHECK_EQ_STR(query(db, "CREATE INDEX i ON d USING toy_vector_sparse_ivf (e) WITH (delta = x'00')"),
               "ERROR 1: toy_vector_sparse_ivf: parameter delta must be a number");
  CHECK_EQ_STR(query(db, "CREATE INDEX i ON d USING toy_vector_sparse_ivf (e) WITH (delta = 1, delta = 2)"),
               "ERROR 1: duplicate index method parameter: delta");
  CHECK_EQ_STR(query(db, "CREATE INDEX i ON d USING toy_vector_sparse_ivf (e) WITH (delta = 1 + 2)"),
               "ERROR 1: index method parameter delta must be a literal");
  /* nothing was written by any of them */
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM sqlite_schema"), "1\n");
  lode_close(db);
}

/* A query the toy method answers. */
#define TOY_Q(v) "SELECT id, vector_distance_jaccard(e, vector32_sparse('" v "')) AS d FROM t ORDER BY d LIMIT 4"

static const char *plan_of(lode *db, const char *sql) {
  static char buf[4096];
  char q[2048];
  snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
  lode_stmt *st = NULL;
  buf[0] = 0;
  if (lode_prepare(db, q, -1, &st, NULL) != LODE_OK) {
    snprintf(buf, sizeof buf, "ERROR %s", lode_errmsg(db));
    return buf;
  }
  size_t n = 0;
  while (lode_step(st) == LODE_ROW && n < sizeof buf - 200)
    n += (size_t)snprintf(buf + n, sizeof buf - n, "%s;", (const char *)lode_column_text(st, 3));
  lode_finalize(st);
  return buf;
}

static void random_sparse(Rng *r, char *out, size_t n) {
  size_t k = 0;
  k += (size_t)snprintf(out + k, n - k, "[");
  for (int i = 0; i < 12; i++)
    k += (size_t)snprintf(out + k, n - k, "%s%d", i ? "," : "", rng_int(r, 4) == 0 ? 1 + rng_int(r, 5) : 0);
  snprintf(out + k, n - k, "]");
}

/* Random queries through the method give what a full scan gives for the
** rows sharing a position with the query (the toy's candidates). */
static int same_as_brute_force(lode *db, Rng *r, int queries) {
  char v[200], q[600], b[600], got[8192];
  for (int i = 0; i < queries; i++) {
    random_sparse(r, v, sizeof v);
    snprintf(q, sizeof q, "SELECT id, vector_distance_jaccard(e, vector32_sparse('%s')) AS d FROM t ORDER BY d LIMIT 5",
             v);
    snprintf(b, sizeof b,
             "SELECT id, vector_distance_jaccard(e, vector32_sparse('%s')) AS d FROM t WHERE "
             "vector_distance_jaccard(e, vector32_sparse('%s')) < 1 ORDER BY d, id LIMIT 5",
             v, v);
    if (!strstr(plan_of(db, q), "QUERY INDEX METHOD"))
      return 0;
    snprintf(got, sizeof got, "%s", query(db, q));
    if (strcmp(got, query(db, b)) != 0) {
      fprintf(stderr, "query %s:\n%s--- brute force:\n%s", v, got, query(db, b));
      return 0;
    }
  }
  return 1;
}

TEST(create_index_using_indexes_the_rows_and_follows_every_change) {
  lode *db = NULL;
  Rng r;
  char v[200], sql[400];
  rng_seed(&r, 16);
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, e BLOB, x TEXT UNIQUE)");
  for (int i = 1; i <= 150; i++) {
    random_sparse(&r, v, sizeof v);
    snprintf(sql, sizeof sql, "INSERT INTO t VALUES (%d, vector32_sparse('%s'), 'x%d')", i, v, i);
    CHECK_EQ_STR(query(db, sql), "");
  }
  CHECK_EQ_STR(query(db, "CREATE INDEX t_idx ON t USING toy_vector_sparse_ivf (e) WITH (delta = 0.5)"), "");
  /* Turso's sqlite_schema rows: the stores first, then the index with root 0 */
  CHECK_EQ_STR(query(db, "SELECT name, rootpage > 0, sql FROM sqlite_schema WHERE type = 'index'"),
               "sqlite_autoindex_t_1|1|\n"
               "t_idx_postings|1|CREATE INDEX t_idx_postings ON t USING backing_btree (e)\n"
               "t_idx_vectors|1|CREATE INDEX t_idx_vectors ON t USING backing_btree (e)\n"
               "t_idx|0|CREATE INDEX t_idx ON t USING toy_vector_sparse_ivf (e) WITH (delta = 0.5)\n");
  CHECK(same_as_brute_force(db, &r, 20));
  /* inserts, deletes, updates (of the indexed column and of others), NULLs, REPLACE */
  for (int i = 0; i < 200; i++) {
    random_sparse(&r, v, sizeof v);
    int id = 1 + rng_int(&r, 250);
    switch (rng_int(&r, 5)) {
    case 0: snprintf(sql, sizeof sql, "DELETE FROM t WHERE id = %d", id); break;
    case 1: snprintf(sql, sizeof sql, "UPDATE t SET e = vector32_sparse('%s') WHERE id = %d", v, id); break;
    case 2: snprintf(sql, sizeof sql, "UPDATE t SET id = id + 1000 WHERE id = %d", id); break;
    case 3:
      snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO t VALUES (%d, vector32_sparse('%s'), 'y%d')", id, v, i);
      break;
    default: snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO t VALUES (%d, NULL, 'z%d')", id, i); break;
    }
    CHECK_EQ_STR(query(db, sql), "");
  }
  CHECK(same_as_brute_force(db, &r, 20));
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  /* DROP INDEX takes the stores with it */
  CHECK_EQ_STR(query(db, "DROP INDEX t_idx"), "");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM sqlite_schema WHERE name LIKE 't_idx%'"), "0\n");
  CHECK(!strstr(plan_of(db, TOY_Q("[1,0,0]")), "INDEX METHOD"));
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

TEST(a_failed_statement_or_rollback_undoes_the_methods_changes) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db,
                     "CREATE TABLE t(id INTEGER PRIMARY KEY, e BLOB, x TEXT UNIQUE);"
                     "CREATE INDEX t_idx ON t USING toy_vector_sparse_ivf (e);"
                     "INSERT INTO t VALUES (1, vector32_sparse('[1,0,0]'), 'a'), (2, vector32_sparse('[0,1,0]'), 'b')"),
               "");
  const char *before = "1|0.0\n";
  CHECK_EQ_STR(query(db, TOY_Q("[1,0,0]")), before);
  /* the second row violates UNIQUE: the statement's first row leaves the index too */
  CHECK(strstr(query(db, "INSERT INTO t VALUES (3, vector32_sparse('[1,0,0]'), 'c'), (4, NULL, 'a')"), "UNIQUE"));
  CHECK_EQ_STR(query(db, TOY_Q("[1,0,0]")), before);
  CHECK_EQ_STR(
      query(db, "BEGIN; DELETE FROM t WHERE id = 1; INSERT INTO t VALUES (5, vector32_sparse('[1,0,0]'), 'e');"), "");
  CHECK_EQ_STR(query(db, TOY_Q("[1,0,0]")), "5|0.0\n");
  CHECK_EQ_STR(query(db, "ROLLBACK"), "");
  CHECK_EQ_STR(query(db, TOY_Q("[1,0,0]")), before);
  CHECK_EQ_STR(
      query(db, "SAVEPOINT s; UPDATE t SET e = vector32_sparse('[1,0,0]') WHERE id = 2; ROLLBACK TO s; RELEASE s"), "");
  CHECK_EQ_STR(query(db, TOY_Q("[1,0,0]")), before);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

TEST(method_index_survives_reopen_and_drop_table_frees_its_stores) {
  char dir[] = "/tmp/lode-idxm-XXXXXX", path[600];
  CHECK(mkdtemp(dir) != NULL);
  snprintf(path, sizeof path, "%s/a.db", dir);
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, e BLOB);"
                         "INSERT INTO t VALUES (1, vector32_sparse('[1,0,2]')), (2, vector32_sparse('[0,3,0]'));"
                         "CREATE INDEX t_idx ON t USING toy_vector_sparse_ivf (e)"),
               "");
  lode_close(db);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(plan_of(db, TOY_Q("[0,1,0]")), "QUERY INDEX METHOD toy_vector_sparse_ivf;");
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (3, vector32_sparse('[0,1,0]'))"), "");
  CHECK_EQ_STR(query(db, TOY_Q("[0,1,0]")), "3|0.0\n2|0.6666666567325592\n");
  CHECK_EQ_STR(query(db, "DROP TABLE t"), "");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM sqlite_schema"), "0\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_STR(query(db, "VACUUM; PRAGMA page_count"), "1\n");
  lode_close(db);
  remove_db(path);
  rmdir(dir);
}

TEST(planner_uses_the_method_only_for_its_patterns_supersets) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db,
                     "CREATE TABLE t(id INTEGER PRIMARY KEY, e BLOB, x TEXT);"
                     "CREATE INDEX t_idx ON t USING toy_vector_sparse_ivf (e);"
                     "INSERT INTO t VALUES (1, vector32_sparse('[1,0,2]'), 'a'), (2, vector32_sparse('[1,3,0]'), 'b')"),
               "");
  const char *method = "QUERY INDEX METHOD toy_vector_sparse_ivf;";
  const char *q = "vector_distance_jaccard(e, vector32_sparse('[1,1,0]'))";
  const char *variants[][2] = {
      /* the pattern and its supersets */
      {"SELECT %s AS d FROM t ORDER BY d LIMIT 3", "M"},
      {"SELECT id, x, %s AS d FROM t ORDER BY d LIMIT 3", "M"},
      {"SELECT x FROM t ORDER BY %s LIMIT ?1", "M"},
      {"SELECT * FROM t ORDER BY %s ASC LIMIT 1 + 1", "M"},
      /* anything that would change the result */
      {"SELECT id, %s AS d FROM t WHERE x = 'a' ORDER BY d LIMIT 3", "SCAN t;USE TEMP B-TREE FOR ORDER BY;"},
      {"SELECT id, %s AS d FROM t ORDER BY d DESC LIMIT 3", "SCAN t;USE TEMP B-TREE FOR ORDER BY;"},
      {"SELECT id, %s AS d FROM t ORDER BY d LIMIT 3 OFFSET 1", "SCAN t;USE TEMP B-TREE FOR ORDER BY;"},
      {"SELECT id, %s AS d FROM t ORDER BY d, id LIMIT 3", "SCAN t;USE TEMP B-TREE FOR ORDER BY;"},
      {"SELECT id, %s AS d FROM t ORDER BY d", "SCAN t;USE TEMP B-TREE FOR ORDER BY;"},
      {"SELECT id, %s AS d FROM t ORDER BY d NULLS LAST LIMIT 3", "SCAN t;USE TEMP B-TREE FOR ORDER BY;"},
      {"SELECT DISTINCT x, %s AS d FROM t ORDER BY d LIMIT 3",
       "SCAN t;USE TEMP B-TREE FOR DISTINCT;USE TEMP B-TREE FOR ORDER BY;"},
      {"SELECT id, %s AS d FROM t NOT INDEXED ORDER BY d LIMIT 3", "SCAN t;USE TEMP B-TREE FOR ORDER BY;"},
      {"SELECT id, vector_distance_jaccard(e, e) AS d, %s FROM t ORDER BY d LIMIT 3",
       "SCAN t;USE TEMP B-TREE FOR ORDER BY;"},
  };
  for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
    char sql[600];
    snprintf(sql, sizeof sql, variants[i][0], q);
    const char *want = strcmp(variants[i][1], "M") == 0 ? method : variants[i][1];
    if (strcmp(plan_of(db, sql), want) != 0)
      fprintf(stderr, "plan of %s: %s\n", sql, plan_of(db, sql));
    CHECK_EQ_STR(plan_of(db, sql), want);
  }
  CHECK_EQ_STR(
      query(db, "SELECT x, vector_distance_jaccard(e, vector32_sparse('[1,1,0]')) AS d FROM t ORDER BY d LIMIT 3"),
      "b|0.5\na|0.75\n");
  lode_close(db);
}

TEST(alter_table_renames_carry_method_indexes_and_their_columns_cannot_be_dropped) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, e BLOB, note TEXT);"
                         "CREATE INDEX t_idx ON t USING toy_vector_sparse_ivf (e);"
                         "INSERT INTO t VALUES (5, vector32_sparse('[0,1]'), 'n');"
                         "ALTER TABLE t RENAME TO u; ALTER TABLE u RENAME COLUMN e TO emb;"
                         "INSERT INTO u VALUES (6, vector32_sparse('[1,1]'), 'm')"),
               "");
  CHECK_EQ_STR(query(db, "SELECT name, tbl_name, sql FROM sqlite_schema WHERE name LIKE 't_idx%'"),
               "t_idx_postings|u|CREATE INDEX t_idx_postings ON \"u\" USING backing_btree (emb)\n"
               "t_idx_vectors|u|CREATE INDEX t_idx_vectors ON \"u\" USING backing_btree (emb)\n"
               "t_idx|u|CREATE INDEX t_idx ON \"u\" USING toy_vector_sparse_ivf (emb)\n");
  const char *q = "SELECT id FROM u ORDER BY vector_distance_jaccard(emb, vector32_sparse('[0,1]')) LIMIT 5";
  CHECK_EQ_STR(plan_of(db, q), "QUERY INDEX METHOD toy_vector_sparse_ivf;");
  CHECK_EQ_STR(query(db, q), "5\n6\n");
  CHECK_EQ_STR(query(db, "ALTER TABLE u DROP COLUMN emb"),
               "ERROR 1: error in index t_idx after drop column: no such column: emb");
  CHECK_EQ_STR(query(db, "ALTER TABLE u DROP COLUMN note"), "");
  CHECK_EQ_STR(query(db, q), "5\n6\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

/* A method written against lode.h alone: nearest_int indexes one integer
** column and answers "SELECT abs(c - ?) AS d FROM t ORDER BY d LIMIT ?" by
** reading every (rowid → value) entry of its one store. */
typedef struct NearAttachment {
  lode_index_attachment base;
  char *pattern;
  const char *patterns[1];
} NearAttachment;
typedef struct NearCursor {
  lode_index_cursor base;
  lode_index_store *store;
  int64_t hits[64][2]; /* distance, rowid */
  int n, at;
} NearCursor;
static int near_inserts, near_deletes;
static const char *const near_stores[] = {"values"};

static int near_attach(void *ud, const lode_index_config *cfg, lode_index_attachment **out, char **errmsg) {
  (void)ud;
  if (cfg->ncols != 1) {
    *errmsg = lode_malloc(40);
    if (*errmsg)
      strcpy(*errmsg, "nearest_int takes one column");
    return LODE_ERROR;
  }
  NearAttachment *a = calloc(1, sizeof *a);
  a->pattern = malloc(200);
  snprintf(a->pattern, 200, "SELECT abs(%s - ?) AS d FROM %s ORDER BY d LIMIT ?", cfg->col_names[0], cfg->table_name);
  a->patterns[0] = a->pattern;
  a->base.nstores = 1;
  a->base.store_suffixes = near_stores;
  a->base.npatterns = 1;
  a->base.patterns = a->patterns;
  *out = &a->base;
  return LODE_OK;
}
static void near_detach(lode_index_attachment *base) {
  NearAttachment *a = (NearAttachment *)base;
  free(a->pattern);
  free(a);
}
static int near_open(lode_index_attachment *a, lode_index_store *const *stores, lode_index_cursor **out) {
  (void)a;
  NearCursor *c = calloc(1, sizeof *c);
  c->store = stores[0];
  *out = &c->base;
  return LODE_OK;
}
static void near_close(lode_index_cursor *c) { free(c); }
static int near_insert(lode_index_cursor *base, lode_value **vals, lode_int64 rowid) {
  NearCursor *c = (NearCursor *)base;
  int64_t v = lode_value_int64(vals[0]);
  near_inserts++;
  return lode_index_store_put(c->store, rowid, 0, &v, sizeof v);
}
static int near_delete(lode_index_cursor *base, lode_value **vals, lode_int64 rowid) {
  (void)vals;
  near_deletes++;
  int rc = lode_index_store_delete(((NearCursor *)base)->store, rowid, 0);
  return rc == LODE_NOTFOUND ? LODE_OK : rc;
}
static int by_hit(const void *x, const void *y) {
  const int64_t *a = x, *b = y;
  return a[0] != b[0] ? (a[0] < b[0] ? -1 : 1) : (a[1] < b[1] ? -1 : a[1] > b[1]);
}
static int near_query(lode_index_cursor *base, int pattern, int nargs, lode_value **args) {
  NearCursor *c = (NearCursor *)base;
  int64_t q = lode_value_int64(args[0]), limit = lode_value_int64(args[1]);
  int eof = 0, rc;
  (void)pattern;
  if (nargs != 2)
    return LODE_ERROR;
  c->n = c->at = 0;
  for (rc = lode_index_store_seek(c->store, INT64_MIN, INT64_MIN, &eof); rc == LODE_OK && !eof && c->n < 64;
       rc = lode_index_store_next(c->store, &eof)) {
    lode_int64 rowid, minor;
    const void *data;
    int n;
    int64_t v;
    lode_index_store_key(c->store, &rowid, &minor);
    lode_index_store_value(c->store, &data, &n);
    memcpy(&v, data, sizeof v);
    c->hits[c->n][0] = v > q ? v - q : q - v;
    c->hits[c->n++][1] = rowid;
  }
  qsort(c->hits, (size_t)c->n, sizeof c->hits[0], by_hit);
  if (limit < c->n)
    c->n = (int)limit;
  return rc;
}
static int near_eof(lode_index_cursor *c) { return ((NearCursor *)c)->at >= ((NearCursor *)c)->n; }
static int near_next(lode_index_cursor *c) {
  ((NearCursor *)c)->at++;
  return LODE_OK;
}
static lode_int64 near_rowid(lode_index_cursor *base) {
  NearCursor *c = (NearCursor *)base;
  return c->hits[c->at][1];
}

TEST(a_method_registered_from_c_is_maintained_and_used_by_the_planner) {
  static const lode_index_method near = {1,         "nearest_int", NULL,        near_attach, near_detach,
                                         near_open, near_close,    near_insert, near_delete, near_query,
                                         near_eof,  near_next,     near_rowid,  NULL,        NULL,  NULL};
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE p(id INTEGER PRIMARY KEY, n INTEGER, name TEXT);"
                         "INSERT INTO p VALUES (1, 10, 'ten'), (2, 20, 'twenty'), (3, 35, 'thirty-five')"),
               "");
  CHECK_EQ_STR(query(db, "CREATE INDEX p_near ON p USING nearest_int (n)"),
               "ERROR 1: no such index method: nearest_int");
  CHECK_EQ_INT(lode_create_index_method(db, &near), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE INDEX p_near ON p USING nearest_int (n)"), "");
  CHECK_EQ_INT(near_inserts, 3);
  CHECK_EQ_STR(query(db, "INSERT INTO p VALUES (4, 31, 'thirty-one'); DELETE FROM p WHERE id = 1;"
                         "UPDATE p SET n = 21 WHERE id = 2"),
               "");
  CHECK_EQ_INT(near_inserts, 5);
  CHECK_EQ_INT(near_deletes, 2);
  /* an UPDATE that sets no indexed column (nor the rowid) leaves the method alone */
  CHECK_EQ_STR(query(db, "UPDATE p SET name = upper(name) WHERE id = 3"), "");
  CHECK_EQ_INT(near_inserts, 5);
  CHECK_EQ_STR(query(db, "UPDATE p SET id = 30, name = 'thirty-five' WHERE id = 3"), "");
  CHECK_EQ_INT(near_inserts, 6);
  CHECK_EQ_INT(near_deletes, 3);
  const char *sql = "SELECT name, abs(n - 30) AS d FROM p ORDER BY d LIMIT 2";
  CHECK_EQ_STR(plan_of(db, sql), "QUERY INDEX METHOD nearest_int;");
  CHECK_EQ_STR(query(db, sql), "thirty-one|1\nthirty-five|5\n");
  CHECK_EQ_STR(plan_of(db, "SELECT name FROM p ORDER BY abs(n - 30) DESC LIMIT 2"),
               "SCAN p;USE TEMP B-TREE FOR ORDER BY;");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

/* ---- vector_ann ------------------------------------------------------------------ */

/* A vector near one of ten centres, as vector text. */
static void clustered_vector(Rng *r, char *out, size_t n) {
  int c = rng_int(r, 10);
  size_t k = (size_t)snprintf(out, n, "[");
  for (int d = 0; d < 16; d++) {
    double centre = ((c * 7 + d * 3) % 11) - 5.0, noise = (rng_int(r, 2001) - 1000) / 1000.0;
    k += (size_t)snprintf(out + k, n - k, "%s%.3f", d ? "," : "", centre + noise);
  }
  snprintf(out + k, n - k, "]");
}

/* A vector of 16 values uniform in [-1, 1], as vector text: no clusters,
** the hard case for a graph search. */
static void uniform_vector(Rng *r, char *out, size_t n) {
  size_t k = (size_t)snprintf(out, n, "[");
  for (int d = 0; d < 16; d++) k += (size_t)snprintf(out + k, n - k, "%s%.3f", d ? "," : "", rng_int(r, 2001) / 1000.0 - 1);
  snprintf(out + k, n - k, "]");
}

static double ann_recall_of(lode *db, Rng *r, int queries, void (*make)(Rng *, char *, size_t));

/* The share of the true 10 nearest rows (a full scan's) that the index
** returns, over queries random vectors; each must be planned on the index. */
static double ann_recall(lode *db, Rng *r, int queries) { return ann_recall_of(db, r, queries, clustered_vector); }

static double ann_recall_of(lode *db, Rng *r, int queries, void (*make)(Rng *, char *, size_t)) {
  char v[400], q[800], b[800], got[4096], want[4096];
  int hits = 0, total = 0;
  for (int i = 0; i < queries; i++) {
    make(r, v, sizeof v);
    snprintf(q, sizeof q, "SELECT id, vector_distance_cos(e, vector32('%s')) AS d FROM t ORDER BY d LIMIT 10", v);
    snprintf(b, sizeof b, "SELECT id FROM t WHERE e IS NOT NULL ORDER BY vector_distance_cos(e, vector32('%s')), id "
             "LIMIT 10", v);
    if (strcmp(plan_of(db, q), "QUERY INDEX METHOD vector_ann;") != 0) return -1;
    snprintf(got, sizeof got, "%s", query(db, q));
    snprintf(want, sizeof want, "%s", query(db, b));
    for (char *line = strtok(want, "\n"); line; line = strtok(NULL, "\n")) {
      char needle[32];
      snprintf(needle, sizeof needle, "\n%s|", line);
      char with_nl[4200];
      snprintf(with_nl, sizeof with_nl, "\n%s", got);
      hits += strstr(with_nl, needle) != NULL;
      total++;
    }
  }
  return total ? (double)hits / total : 0;
}

TEST(vector_ann_index_finds_the_nearest_rows_and_follows_every_change) {
  lode *db = NULL;
  Rng r;
  char v[400], sql[800];
  rng_seed(&r, 768);
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, e BLOB, tag TEXT)"), "");
  CHECK_EQ_STR(query(db, "BEGIN"), "");
  for (int i = 1; i <= 300; i++) {
    clustered_vector(&r, v, sizeof v);
    snprintf(sql, sizeof sql, "INSERT INTO t VALUES (%d, vector32('%s'), 'x')", i, v);
    CHECK_EQ_STR(query(db, sql), "");
  }
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (301, NULL, 'no vector')"), "");
  CHECK_EQ_STR(query(db, "COMMIT"), "");
  /* bad definitions */
  CHECK(strstr(query(db, "CREATE INDEX bad ON t USING vector_ann (e) WITH (metric = 'manhattan')"), "metric"));
  CHECK(strstr(query(db, "CREATE INDEX bad ON t USING vector_ann (e) WITH (m = 0)"), "vector_ann"));
  CHECK(strstr(query(db, "CREATE INDEX bad ON t USING vector_ann (e, tag)"), "exactly one column"));
  CHECK_EQ_STR(query(db, "CREATE INDEX t_ann ON t USING vector_ann (e) WITH (metric = 'cosine', m = 8)"), "");
  CHECK_EQ_STR(query(db, "SELECT name FROM sqlite_schema WHERE name LIKE 't_ann%' ORDER BY name"),
               "t_ann\nt_ann_graph\n");
  double recall = ann_recall(db, &r, 20);
  CHECK(recall >= 0.9);
  /* its distances are the SQL function's: the row itself is at distance 0 */
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (400, vector32('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]'), 'q')"), "");
  CHECK_EQ_STR(query(db, "SELECT id, distance FROM (SELECT id, vector_distance_cos(e, "
                         "vector32('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]')) AS distance FROM t ORDER BY distance "
                         "LIMIT 1)"),
               "400|0.0\n");
  /* deletes, vector updates, updates of other columns, REPLACE */
  for (int i = 0; i < 150; i++) {
    int id = 1 + rng_int(&r, 320);
    clustered_vector(&r, v, sizeof v);
    switch (rng_int(&r, 4)) {
    case 0: snprintf(sql, sizeof sql, "DELETE FROM t WHERE id = %d", id); break;
    case 1: snprintf(sql, sizeof sql, "UPDATE t SET e = vector32('%s') WHERE id = %d", v, id); break;
    case 2: snprintf(sql, sizeof sql, "UPDATE t SET tag = 'y' WHERE id = %d", id); break;
    default: snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO t VALUES (%d, vector32('%s'), 'z')", id, v); break;
    }
    CHECK_EQ_STR(query(db, sql), "");
  }
  recall = ann_recall(db, &r, 20);
  CHECK(recall >= 0.9);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  /* a rolled-back insert leaves no trace in the graph */
  CHECK_EQ_STR(query(db, "BEGIN; INSERT INTO t VALUES (5000, vector32('[9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9]'), 'r')"),
               "");
  CHECK_EQ_STR(query(db, "SELECT id FROM t ORDER BY vector_distance_cos(e, vector32('[9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9]')) "
                         "LIMIT 1"),
               "5000\n");
  CHECK_EQ_STR(query(db, "ROLLBACK"), "");
  CHECK(strcmp(query(db, "SELECT id FROM t ORDER BY vector_distance_cos(e, "
                         "vector32('[9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9]')) LIMIT 1"),
               "5000\n") != 0);
  /* a value that is no vector fails the statement and changes nothing */
  CHECK(strstr(query(db, "INSERT INTO t VALUES (6000, 'text', 'bad')"), "vector"));
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t WHERE id = 6000"), "0\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_STR(query(db, "DROP INDEX t_ann"), "");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM sqlite_schema WHERE name LIKE 't_ann%'"), "0\n");
  lode_close(db);
}

/* The rows a vector_ann query yields are re-read from the table: a row
** deleted or whose vector moved is never returned with the distance the
** graph knew, inside the changing transaction and after it, and every
** distance is the one the row's current vector gives. */
TEST(vector_ann_never_returns_a_deleted_row_or_a_stale_distance) {
  lode *db = NULL;
  Rng r;
  char v[400], sql[1200], top[2048];
  const char *near = "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]";
  const char *far = "[-1,-2,-3,-4,-5,-6,-7,-8,-9,-10,-11,-12,-13,-14,-15,-16]";
  rng_seed(&r, 99);
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, e BLOB)"), "");
  CHECK_EQ_STR(query(db, "CREATE INDEX t_ann ON t USING vector_ann (e) WITH (metric = 'cosine', m = 8)"), "");
  CHECK_EQ_STR(query(db, "BEGIN"), "");
  for (int i = 1; i <= 200; i++) {
    clustered_vector(&r, v, sizeof v);
    snprintf(sql, sizeof sql, "INSERT INTO t VALUES (%d, vector32('%s'))", i, v);
    CHECK_EQ_STR(query(db, sql), "");
  }
  /* three rows next to the query vector, nearest first */
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (1001, vector32('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]')),"
                         "(1002, vector32('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,17]')),"
                         "(1003, vector32('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,16,17]'))"),
               "");
  CHECK_EQ_STR(query(db, "COMMIT"), "");
  char q[600];
  snprintf(q, sizeof q, "SELECT id, vector_distance_cos(e, vector32('%s')) AS d FROM t ORDER BY d LIMIT 5", near);
  CHECK_EQ_STR(plan_of(db, q), "QUERY INDEX METHOD vector_ann;");
  CHECK(strncmp(query(db, q), "1001|0.0\n1002|", 14) == 0);
  for (int round = 0; round < 2; round++) { /* inside the transaction, then after COMMIT */
    if (round == 0) {
      CHECK_EQ_STR(query(db, "BEGIN; DELETE FROM t WHERE id = 1001"), "");
      snprintf(sql, sizeof sql, "UPDATE t SET e = vector32('%s') WHERE id = 1002", far);
      CHECK_EQ_STR(query(db, sql), "");
      snprintf(sql, sizeof sql, "UPDATE t SET e = vector32('%s') WHERE id = 7", near);
      CHECK_EQ_STR(query(db, sql), "");
    } else {
      CHECK_EQ_STR(query(db, "COMMIT"), "");
    }
    snprintf(top, sizeof top, "%s", query(db, q));
    CHECK(strncmp(top, "7|0.0\n1003|", 11) == 0);
    CHECK(strstr(top, "1001|") == NULL && strstr(top, "1002|") == NULL);
    /* each distance is the row's own, ascending */
    double prev = -1;
    int rows = 0;
    for (char *line = strtok(top, "\n"); line; line = strtok(NULL, "\n"), rows++) {
      long long id = atoll(line);
      double d = atof(strchr(line, '|') + 1);
      snprintf(sql, sizeof sql, "SELECT vector_distance_cos(e, vector32('%s')) FROM t WHERE id = %lld", near, id);
      CHECK(fabs(atof(query(db, sql)) - d) < 1e-12);
      CHECK(d >= prev);
      prev = d;
    }
    CHECK_EQ_INT(rows, 5);
  }
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

/* PRAGMA vector_ann_ef_search sets the search width of the connection's
** queries over every vector_ann index (0: each index's ef_search): on
** uniform data an index built narrow misses neighbours at its own width and
** finds them all when the connection asks for a width as large as the table. */
TEST(vector_ann_query_width_is_a_connection_pragma) {
  lode *db = NULL;
  Rng r;
  char v[400], sql[800];
  rng_seed(&r, 16);
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, e BLOB)"), "");
  CHECK_EQ_STR(query(db, "CREATE INDEX t_ann ON t USING vector_ann (e) WITH (m = 4, ef_construction = 40, "
                         "ef_search = 1)"),
               "");
  CHECK_EQ_STR(query(db, "BEGIN"), "");
  for (int i = 1; i <= 500; i++) {
    uniform_vector(&r, v, sizeof v);
    snprintf(sql, sizeof sql, "INSERT INTO t VALUES (%d, vector32('%s'))", i, v);
    CHECK_EQ_STR(query(db, sql), "");
  }
  CHECK_EQ_STR(query(db, "COMMIT"), "");
  CHECK_EQ_STR(query(db, "PRAGMA vector_ann_ef_search"), "0\n");
  double narrow = ann_recall_of(db, &r, 20, uniform_vector);
  CHECK_EQ_STR(query(db, "PRAGMA vector_ann_ef_search = 500"), "500\n");
  double wide = ann_recall_of(db, &r, 20, uniform_vector);
  CHECK(narrow >= 0 && narrow < 0.9); /* 0.74 with this seed */
  CHECK(wide >= 0.99);
  CHECK(wide > narrow);
  /* back to the index's own width */
  CHECK_EQ_STR(query(db, "PRAGMA vector_ann_ef_search = 0"), "0\n");
  rng_seed(&r, 16 * 16);
  double again = ann_recall_of(db, &r, 20, uniform_vector);
  CHECK(again < 0.9);
  lode_close(db);
}

/* A vector_ann that forgets every insert: what a connection writing the
** table without the index's method would leave behind. */
static int forget_insert(lode_index_cursor *c, lode_value **vals, lode_int64 rowid) {
  (void)c, (void)vals, (void)rowid;
  return LODE_OK;
}

/* PRAGMA integrity_check asks each method index that checks itself
** (xIntegrity, here vector_ann's) whether it agrees with its table: ok after
** inserts, NULL vectors, deletes, a rolled-back statement and a reopen; a
** row the index never saw is a reported problem, not a failure. */
TEST(integrity_check_asks_the_method_index_about_its_table) {
  char dir[] = "/tmp/lode-idxm-XXXXXX", path[600], v[400], sql[800];
  Rng r;
  rng_seed(&r, 3);
  CHECK(mkdtemp(dir) != NULL);
  snprintf(path, sizeof path, "%s/a.db", dir);
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, e BLOB);"
                         "CREATE INDEX t_ann ON t USING vector_ann (e) WITH (m = 4); BEGIN"),
               "");
  for (int i = 1; i <= 40; i++) {
    clustered_vector(&r, v, sizeof v);
    snprintf(sql, sizeof sql, "INSERT INTO t VALUES (%d, vector32('%s'))", i, v);
    CHECK_EQ_STR(query(db, sql), "");
  }
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (41, NULL); DELETE FROM t WHERE id <= 5; COMMIT"), "");
  CHECK_EQ_STR(query(db, "BEGIN; DELETE FROM t WHERE id > 30; ROLLBACK"), "");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);

  /* another connection writes a row through a method that does not index it */
  static lode_index_method forgetful;
  forgetful = *idxm_builtin("vector_ann");
  forgetful.xInsert = forget_insert;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_INT(lode_create_index_method(db, &forgetful), LODE_OK);
  clustered_vector(&r, v, sizeof v);
  snprintf(sql, sizeof sql, "INSERT INTO t VALUES (100, vector32('%s'))", v);
  CHECK_EQ_STR(query(db, sql), "");
  lode_close(db);

  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"),
               "index method t_ann: 35 nodes in the graph, 36 rows with a vector in the table\n");
  CHECK_EQ_STR(query(db, "PRAGMA quick_check"), "ok\n");
  /* without the row the index never saw, the check is clean */
  CHECK_EQ_STR(query(db, "DELETE FROM t WHERE id = 100"), "");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
  remove_db(path);
  rmdir(dir);
}

static int forget_delete(lode_index_cursor *c, lode_value **vals, lode_int64 rowid) {
  (void)c, (void)vals, (void)rowid;
  return LODE_OK;
}

/* integrity_check of a toy_vector_sparse_ivf index after sql ran through a
** copy of the method with xInsert or xDelete replaced. */
static const char *toy_check_after(const char *path, int (*xInsert)(lode_index_cursor *, lode_value **, lode_int64),
                                   int (*xDelete)(lode_index_cursor *, lode_value **, lode_int64), const char *sql) {
  static lode_index_method broken;
  static char out[1024];
  lode *db = NULL;
  remove_db(path);
  if (lode_open(path, &db) != LODE_OK) return "open failed";
  query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, e BLOB);"
            "CREATE INDEX t_idx ON t USING toy_vector_sparse_ivf (e);"
            "INSERT INTO t VALUES (1, vector32_sparse('[1,0,2]')), (2, vector32_sparse('[0,3,0]')), (3, NULL)");
  snprintf(out, sizeof out, "%s", query(db, "PRAGMA integrity_check"));
  lode_close(db);
  if (strcmp(out, "ok\n") != 0) return "not ok before";
  broken = *idxm_builtin("toy_vector_sparse_ivf");
  if (xInsert) broken.xInsert = xInsert;
  if (xDelete) broken.xDelete = xDelete;
  if (lode_open(path, &db) != LODE_OK || lode_create_index_method(db, &broken) != LODE_OK) return "open failed";
  snprintf(out, sizeof out, "%s", query(db, sql));
  lode_close(db);
  if (out[0]) return out;
  if (lode_open(path, &db) != LODE_OK) return "reopen failed";
  snprintf(out, sizeof out, "%s", query(db, "PRAGMA integrity_check"));
  lode_close(db);
  return out;
}

/* The toy method checks each row's vector and postings, then that its
** stores hold nothing more. */
TEST(integrity_check_finds_toy_ivf_rows_missing_extra_and_changed) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/lode-test-toy-check-%d.db", (int)getpid());
  CHECK_EQ_STR(toy_check_after(path, NULL, NULL, "INSERT INTO t VALUES (4, vector32_sparse('[5,0,0,1]'))"), "ok\n");
  CHECK_EQ_STR(toy_check_after(path, forget_insert, NULL, "INSERT INTO t VALUES (4, vector32_sparse('[5,0,0,1]'))"),
               "index method t_idx: rowid 4 is missing from the vectors\n");
  CHECK_EQ_STR(toy_check_after(path, NULL, forget_delete, "DELETE FROM t WHERE id = 1"),
               "index method t_idx: 2 vectors in the index, 1 rows with a vector in the table\n");
  /* The old vector's postings stay beside the new one's (positions 0 and 2, then 2). */
  CHECK_EQ_STR(toy_check_after(path, NULL, forget_delete, "UPDATE t SET e = vector32_sparse('[0,0,7]') WHERE id = 1"),
               "index method t_idx: 3 postings in the index, the rows' vectors need 2\n");
  /* A row whose vector changed while its old postings and stored vector stayed. */
  CHECK_EQ_STR(toy_check_after(path, forget_insert, forget_delete,
                               "UPDATE t SET e = vector32_sparse('[0,0,7]') WHERE id = 1"),
               "index method t_idx: rowid 1: the vector indexed is not the row's\n"
               "index method t_idx: 3 postings in the index, the rows' vectors need 2\n");
  remove_db(path);
}

static int attach_calls;
static lode_index_method toy_real;

static int counting_attach(void *ud, const lode_index_config *cfg, lode_index_attachment **out, char **errmsg) {
  attach_calls++;
  return toy_real.xAttach(ud, cfg, out, errmsg);
}

/* A method index is attached once per schema load and method, not per
** statement: many statements share the schema's attachment; a schema change
** or a new registration of the method attaches it again. */
TEST(method_attachments_are_cached_in_the_schema) {
  static lode_index_method counted;
  toy_real = *idxm_builtin("toy_vector_sparse_ivf");
  counted = toy_real;
  counted.xAttach = counting_attach;
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_INT(lode_create_index_method(db, &counted), LODE_OK);
  attach_calls = 0;
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, e BLOB);"
                         "CREATE INDEX t_idx ON t USING toy_vector_sparse_ivf (e)"),
               "");
  int after_create = attach_calls;
  CHECK(after_create >= 1);
  for (int i = 1; i <= 50; i++) {
    char sql[200];
    snprintf(sql, sizeof sql, "INSERT INTO t VALUES (%d, vector32_sparse('[%d,0,1]'))", i, i);
    CHECK_EQ_STR(query(db, sql), "");
    CHECK(strstr(query(db, TOY_Q("[1,0,0]")), "|0.") != NULL);
  }
  /* 100 statements compiled against the index: at most one more attach (the schema loaded once after CREATE). */
  CHECK(attach_calls - after_create <= 1);
  int before = attach_calls;
  /* A CREATE parses only its own rows: the index keeps its attachment. */
  CHECK_EQ_STR(query(db, "CREATE TABLE other(x)"), "");
  CHECK_EQ_STR(query(db, "DELETE FROM t WHERE id = 1"), "");
  CHECK_EQ_INT(attach_calls, before);
  CHECK_EQ_STR(query(db, "DROP TABLE other"), ""); /* the schema is read again */
  CHECK_EQ_STR(query(db, "DELETE FROM t WHERE id = 2"), "");
  CHECK_EQ_INT(attach_calls, before + 1);
  /* A new registration of the method is bound by the next statement. */
  CHECK_EQ_INT(lode_create_index_method(db, &counted), LODE_OK);
  CHECK_EQ_STR(query(db, "DELETE FROM t WHERE id = 3"), "");
  CHECK_EQ_INT(attach_calls, before + 2);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

/* A method registered with no connection is there on every connection,
** those already open and those opened after; a connection's own method of
** the name comes first. */
TEST(methods_registered_for_the_process_reach_every_connection) {
  static lode_index_method everywhere;
  everywhere = *idxm_builtin("toy_vector_sparse_ivf");
  everywhere.name = "toy_everywhere";
  lode *a = NULL, *b = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &a), LODE_OK);
  CHECK_EQ_STR(query(a, "CREATE TABLE t(id INTEGER PRIMARY KEY, e BLOB);"
                        "CREATE INDEX t_idx ON t USING toy_everywhere (e)"),
               "ERROR 1: no such index method: toy_everywhere");
  CHECK_EQ_INT(lode_create_index_method(NULL, &everywhere), LODE_OK);
  everywhere.name = "changed after the call"; /* the registry keeps its own copy */
  CHECK_EQ_STR(query(a, "CREATE INDEX t_idx ON t USING toy_everywhere (e);"
                        "INSERT INTO t VALUES (1, vector32_sparse('[1,0,0]')), (2, vector32_sparse('[0,1,0]'))"),
               "");
  CHECK_EQ_STR(query(a, TOY_Q("[1,0,0]")), "1|0.0\n");
  CHECK(strstr(plan_of(a, TOY_Q("[1,0,0]")), "QUERY INDEX METHOD toy_everywhere"));
  CHECK_EQ_INT(lode_open(":memory:", &b), LODE_OK);
  CHECK_EQ_STR(query(b, "CREATE TABLE u(id INTEGER PRIMARY KEY, e BLOB);"
                        "CREATE INDEX u_idx ON u USING TOY_EVERYWHERE (e);"
                        "INSERT INTO u VALUES (7, vector32_sparse('[0,1,0]'))"),
               "");
  CHECK_EQ_STR(query(b, "SELECT id, vector_distance_jaccard(e, vector32_sparse('[0,1,0]')) AS d FROM u "
                        "ORDER BY d LIMIT 4"),
               "7|0.0\n");
  /* b's own method of that name wins there, not in a. */
  static lode_index_method own;
  own = *idxm_builtin("toy_vector_sparse_ivf");
  own.name = "toy_everywhere";
  own.xInsert = forget_insert;
  CHECK_EQ_INT(lode_create_index_method(b, &own), LODE_OK);
  CHECK_EQ_STR(query(b, "INSERT INTO u VALUES (8, vector32_sparse('[0,1,0]'))"), "");
  CHECK_EQ_STR(query(a, "INSERT INTO t VALUES (3, vector32_sparse('[1,0,0]'))"), "");
  CHECK_EQ_STR(query(a, TOY_Q("[1,0,0]")), "1|0.0\n3|0.0\n");
  CHECK(strstr(query(b, "PRAGMA integrity_check"), "rowid 8 is missing from the vectors"));
  CHECK_EQ_STR(query(a, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_INT(lode_create_index_method(NULL, NULL), LODE_MISUSE);
  lode_close(a);
  lode_close(b);
}

/* A child commits transactions of inserts, vector updates and deletes on a
** vector_ann-indexed table and tells the parent each committed round; the
** parent SIGKILLs it at a random moment.  After every kill the file opens
** with integrity_check ok (the graph agrees with the table), every
** acknowledged round is there, and queries still run on the index. */
static void ann_child(const char *path, int fd, int from) {
  lode *db = NULL;
  Rng r;
  char v[400], sql[800];
  rng_seed(&r, (uint64_t)from * 7919 + 1);
  if (lode_open(path, &db) != LODE_OK) _exit(2);
  for (int round = from;; round++) {
    if (strcmp(query(db, "BEGIN"), "") != 0) _exit(3);
    for (int i = 0; i < 8; i++) {
      clustered_vector(&r, v, sizeof v);
      snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO t VALUES (%d, vector32('%s'), %d)", round * 8 + i, v, round);
      const char *res = query(db, sql);
      if (strcmp(res, "") != 0) fprintf(stderr, "%s\n", res), _exit(4);
    }
    clustered_vector(&r, v, sizeof v);
    snprintf(sql, sizeof sql, "UPDATE t SET e = vector32('%s') WHERE id = %d; DELETE FROM t WHERE id = %d", v,
             rng_int(&r, round * 8 + 1), rng_int(&r, round * 8 + 1));
    if (strcmp(query(db, sql), "") != 0) _exit(5);
    if (strcmp(query(db, "COMMIT"), "") != 0) _exit(6);
    if (write(fd, &round, sizeof round) != (ssize_t)sizeof round) _exit(7);
  }
}

TEST(vector_ann_survives_sigkill_during_commits) {
  char dir[] = "/tmp/lode-idxm-XXXXXX", path[600];
  CHECK(mkdtemp(dir) != NULL);
  snprintf(path, sizeof path, "%s/k.db", dir);
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, e BLOB, round INT);"
                         "CREATE INDEX t_ann ON t USING vector_ann (e) WITH (m = 4)"),
               "");
  lode_close(db);
  int acked = 0;
  srand((unsigned)time(NULL));
  for (int kill_no = 0; kill_no < 4; kill_no++) {
    int fds[2];
    CHECK_EQ_INT(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      ann_child(path, fds[1], acked + 1);
    }
    close(fds[1]);
    int got, want = 2 + rand() % 4;
    for (int n = 0; n < want && read(fds[0], &got, sizeof got) == (ssize_t)sizeof got; n++) acked = got;
    usleep((useconds_t)(rand() % 20000));
    kill(pid, SIGKILL);
    while (read(fds[0], &got, sizeof got) == (ssize_t)sizeof got) acked = got; /* acknowledged before the kill */
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFSIGNALED(status)) fprintf(stderr, "child exit %d\n", WEXITSTATUS(status));
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
    CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
    char want_round[64];
    snprintf(want_round, sizeof want_round, "1\n");
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT max(round) >= %d FROM t", acked);
    CHECK_EQ_STR(query(db, sql), want_round);
    CHECK_EQ_STR(plan_of(db, "SELECT id, vector_distance_cos(e, vector32('[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]')) AS d "
                             "FROM t ORDER BY d LIMIT 5"),
                 "QUERY INDEX METHOD vector_ann;");
    CHECK_EQ_STR(query(db, "SELECT count(*) FROM (SELECT id, vector_distance_cos(e, "
                           "vector32('[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]')) AS d FROM t ORDER BY d LIMIT 5) "
                           "WHERE id IN (SELECT id FROM t)"),
                 "5\n");
    lode_close(db);
  }
  CHECK(acked >= 8);
  remove_db(path);
  rmdir(dir);
}

int main(void) {
  RUN(store_keeps_int64_keyed_blobs_in_key_order);
  RUN(create_index_using_checks_method_columns_and_parameters);
  RUN(create_index_using_indexes_the_rows_and_follows_every_change);
  RUN(a_failed_statement_or_rollback_undoes_the_methods_changes);
  RUN(method_index_survives_reopen_and_drop_table_frees_its_stores);
  RUN(planner_uses_the_method_only_for_its_patterns_supersets);
  RUN(alter_table_renames_carry_method_indexes_and_their_columns_cannot_be_dropped);
  RUN(a_method_registered_from_c_is_maintained_and_used_by_the_planner);
  RUN(vector_ann_index_finds_the_nearest_rows_and_follows_every_change);
  RUN(vector_ann_query_width_is_a_connection_pragma);
  RUN(vector_ann_never_returns_a_deleted_row_or_a_stale_distance);
  RUN(integrity_check_asks_the_method_index_about_its_table);
  RUN(integrity_check_finds_toy_ivf_rows_missing_extra_and_changed);
  RUN(method_attachments_are_cached_in_the_schema);
  RUN(methods_registered_for_the_process_reach_every_connection);
  RUN(vector_ann_survives_sigkill_during_commits);
  return test_summary();
}
