/*
** test_idxmethod.c — index methods: the backing store (int64-keyed blobs in
** an index b-tree, in key order) and CREATE INDEX … USING's checks of the
** method, its columns and its parameters.
*/
#include <stdlib.h>
#include <string.h>

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
  for (int m = 3; m >= 1; m--) CHECK_EQ_INT(lode_index_store_put(s, INT64_MAX, m, "x", 1), LODE_OK);
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

int main(void) {
  RUN(store_keeps_int64_keyed_blobs_in_key_order);
  RUN(create_index_using_checks_method_columns_and_parameters);
  return test_summary();
}
