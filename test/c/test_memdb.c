/*
** test_memdb.c — a private memory database (":memory:", "", temp) larger
** than its cache_size: its cache is its storage (pager/pcache.c), so every
** page must stay readable with nothing evicted, and transactions, ROLLBACK,
** SAVEPOINT, a statement undone half-way, VACUUM, incremental vacuum,
** serialize/deserialize and backup must see each page exactly once.
*/
#include "testlib.h"
#include "testdb.h"

/* A :memory: database of about 2.5 MB with a 20-page cache. */
static lode *big_memory_db(void) {
  lode *db = NULL;
  if (lode_open(":memory:", &db) != LODE_OK) return NULL;
  query(db, "PRAGMA cache_size = 20");
  query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER UNIQUE, s TEXT)");
  query(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) "
            "INSERT INTO t SELECT i, i * 3, printf('%0100d', i) FROM n");
  return db;
}

static const char *digest(lode *db) {
  return query(db, "SELECT count(*), sum(x), sum(length(s)), substr(max(s), 90) FROM t");
}

TEST(larger_than_cache_reads_every_row) {
  lode *db = big_memory_db();
  CHECK(db != NULL);
  CHECK(query_int(db, "PRAGMA page_count") > 500);
  CHECK_EQ_STR(digest(db), "20000|600030000|2000000|00000020000\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  query(db, "PRAGMA shrink_memory"); /* drops nothing of a memory database */
  CHECK_EQ_INT(query_int(db, "SELECT sum(x) FROM t WHERE id % 7 = 0"), 85735713);
  lode_close(db);
}

TEST(rollback_and_savepoints_restore_every_page) {
  lode *db = big_memory_db();
  char before[256];
  snprintf(before, sizeof before, "%s", digest(db));
  query(db, "BEGIN");
  query(db, "UPDATE t SET x = x + 1, s = s || 'more'");
  query(db, "SAVEPOINT a");
  query(db, "DELETE FROM t WHERE id % 2 = 0");
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), 10000);
  query(db, "ROLLBACK TO a");
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), 20000);
  CHECK_EQ_INT(query_int(db, "SELECT sum(length(s)) FROM t"), 2080000);
  query(db, "ROLLBACK");
  CHECK_EQ_STR(digest(db), before);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  /* The same changes committed. */
  query(db, "BEGIN");
  query(db, "UPDATE t SET x = x + 1");
  query(db, "SAVEPOINT a");
  query(db, "DELETE FROM t WHERE id > 10000");
  query(db, "RELEASE a");
  query(db, "COMMIT");
  CHECK_EQ_STR(query(db, "SELECT count(*), sum(x) FROM t"), "10000|150025000\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

/* A constraint failing half-way through a statement undoes only that
** statement, inside a transaction and in autocommit. */
TEST(statement_failing_half_way_is_undone) {
  lode *db = big_memory_db();
  char before[256];
  snprintf(before, sizeof before, "%s", digest(db));
  /* x = id * 3: rows 1001..14999 change, then row 15000 takes row 1's x. */
  const char *half = "UPDATE t SET x = CASE WHEN id = 15000 THEN 3 ELSE -x END WHERE id > 1000";
  CHECK(strncmp(query(db, half), "ERROR 2067", 10) == 0);
  CHECK_EQ_STR(digest(db), before);
  query(db, "BEGIN");
  query(db, "INSERT INTO t VALUES (30001, -1, 'kept')");
  CHECK(strncmp(query(db, half), "ERROR 2067", 10) == 0);
  query(db, "COMMIT");
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), 20001);
  CHECK_EQ_INT(query_int(db, "SELECT sum(x) FROM t"), 600029999);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

TEST(vacuum_and_incremental_vacuum_shrink_it) {
  lode *db = big_memory_db();
  int64_t full = query_int(db, "PRAGMA page_count");
  query(db, "DELETE FROM t WHERE id > 2000");
  CHECK_EQ_INT(query_int(db, "PRAGMA page_count"), full);
  CHECK_EQ_STR(query(db, "VACUUM"), "");
  CHECK(query_int(db, "PRAGMA page_count") < full / 5);
  CHECK_EQ_INT(query_int(db, "SELECT sum(x) FROM t"), 6003000);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);

  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  query(db, "PRAGMA cache_size = 20");
  query(db, "PRAGMA auto_vacuum = INCREMENTAL");
  query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, s TEXT)");
  query(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) "
            "INSERT INTO t SELECT i, printf('%0300d', i) FROM n");
  full = query_int(db, "PRAGMA page_count");
  query(db, "DELETE FROM t WHERE id > 1000");
  CHECK(query_int(db, "PRAGMA freelist_count") > 100);
  /* Cut, rolled back, then cut for real. */
  query(db, "BEGIN");
  query(db, "PRAGMA incremental_vacuum");
  CHECK(query_int(db, "PRAGMA page_count") < full / 2);
  query(db, "ROLLBACK");
  CHECK_EQ_INT(query_int(db, "PRAGMA page_count"), full);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  query(db, "PRAGMA incremental_vacuum");
  CHECK_EQ_INT(query_int(db, "PRAGMA freelist_count"), 0);
  CHECK(query_int(db, "PRAGMA page_count") < full / 2);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), 1000);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

/* serialize reads the pages themselves: an image taken twice is the same,
** deserialized elsewhere it is the same database, and a backup to a file
** and back gives the same bytes again. */
TEST(serialize_and_backup_see_every_page_once) {
  lode *db = big_memory_db(), *copy = NULL, *file = NULL;
  lode_int64 n1 = 0, n2 = 0, n3 = 0;
  unsigned char *a = lode_serialize(db, "main", &n1);
  unsigned char *b = lode_serialize(db, "main", &n2);
  CHECK(a && b && n1 == n2 && n1 == query_int(db, "PRAGMA page_count") * 4096);
  CHECK(a && b && memcmp(a, b, (size_t)n1) == 0);
  CHECK_EQ_INT(lode_open(":memory:", &copy), LODE_OK);
  query(copy, "PRAGMA cache_size = 10");
  CHECK_EQ_INT(lode_deserialize(copy, "main", a, n1), LODE_OK);
  CHECK_EQ_STR(query(copy, "SELECT count(*), sum(x) FROM t"), "20000|600030000\n");
  unsigned char *c = lode_serialize(copy, "main", &n3);
  CHECK(c && n3 == n1 && memcmp(a, c, (size_t)n1) == 0);
  lode_free(c);

  char path_buf[96];
  const char *path = tmp_db_path(path_buf, sizeof path_buf, "memdb_backup");
  remove_db(path);
  CHECK_EQ_INT(lode_open(path, &file), LODE_OK);
  lode_backup *bk = lode_backup_init(file, "main", db, "main");
  CHECK(bk != NULL);
  CHECK_EQ_INT(lode_backup_step(bk, -1), LODE_DONE);
  CHECK_EQ_INT(lode_backup_finish(bk), LODE_OK);
  query(copy, "DROP TABLE t");
  bk = lode_backup_init(copy, "main", file, "main");
  CHECK(bk != NULL);
  CHECK_EQ_INT(lode_backup_step(bk, -1), LODE_DONE);
  CHECK_EQ_INT(lode_backup_finish(bk), LODE_OK);
  CHECK_EQ_STR(query(copy, "SELECT count(*), sum(x) FROM t"), "20000|600030000\n");
  CHECK_EQ_STR(query(copy, "PRAGMA integrity_check"), "ok\n");
  lode_close(file);
  remove_db(path);
  lode_free(a);
  lode_free(b);
  lode_close(copy);
  lode_close(db);
}

/* The temp database and an attached "" are memory databases too. */
TEST(temp_and_attached_memory_databases) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  query(db, "ATTACH '' AS aux");
  query(db, "PRAGMA temp.cache_size = 10");
  query(db, "PRAGMA aux.cache_size = 10");
  query(db, "CREATE TEMP TABLE tt(a INTEGER PRIMARY KEY, b TEXT)");
  query(db, "CREATE TABLE aux.ta(a INTEGER PRIMARY KEY, b TEXT)");
  query(db, "BEGIN");
  query(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) "
            "INSERT INTO tt SELECT i, printf('%0200d', i) FROM n");
  query(db, "INSERT INTO aux.ta SELECT * FROM tt");
  query(db, "COMMIT");
  query(db, "BEGIN");
  query(db, "DELETE FROM tt");
  query(db, "UPDATE aux.ta SET b = 'x'");
  query(db, "ROLLBACK");
  CHECK_EQ_STR(query(db, "SELECT count(*), sum(length(b)) FROM tt"), "5000|1000000\n");
  CHECK_EQ_STR(query(db, "SELECT count(*), sum(length(b)) FROM aux.ta"), "5000|1000000\n");
  CHECK_EQ_STR(query(db, "PRAGMA aux.integrity_check"), "ok\n");
  CHECK_EQ_STR(query(db, "PRAGMA temp.integrity_check"), "ok\n");
  lode_close(db);
}

/* What a memory database answers about its journal, as before. */
TEST(journal_pragmas_answer_memory) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA journal_mode"), "memory\n");
  CHECK_EQ_STR(query(db, "PRAGMA journal_mode = WAL"), "memory\n");
  CHECK_EQ_STR(query(db, "PRAGMA wal_checkpoint"), "0|-1|-1\n");
  CHECK_EQ_STR(query(db, "PRAGMA page_size = 1024"), "");
  CHECK_EQ_STR(query(db, "PRAGMA page_size"), "1024\n");
  query(db, "CREATE TABLE t(a)");
  CHECK_EQ_STR(query(db, "PRAGMA page_size = 8192"), "");
  CHECK_EQ_STR(query(db, "PRAGMA page_size"), "1024\n");
  lode_close(db);
}

int main(void) {
  RUN(larger_than_cache_reads_every_row);
  RUN(rollback_and_savepoints_restore_every_page);
  RUN(statement_failing_half_way_is_undone);
  RUN(vacuum_and_incremental_vacuum_shrink_it);
  RUN(serialize_and_backup_see_every_page_once);
  RUN(temp_and_attached_memory_databases);
  RUN(journal_pragmas_answer_memory);
  return test_summary();
}
