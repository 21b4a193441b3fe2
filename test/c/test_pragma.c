/*
** test_pragma.c — PRAGMAs through the public C API (lode.h), with the
** results and column names the sqlite3 3.40 CLI prints for the same SQL.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lode.h"
#include "testdb.h"
#include "testlib.h"

#define TEST_PAGE_SIZE 4096
#define HEADER_PAGE_COUNT 28


/* The result column names of one statement, "a|b". */
static const char *columns(lode *db, const char *sql) {
  static char out[1024];
  lode_stmt *st = NULL;
  size_t n = 0;
  int i;
  out[0] = 0;
  if (lode_prepare(db, sql, -1, &st, NULL) != LODE_OK || !st) return "ERROR";
  for (i = 0; i < lode_column_count(st); i++)
    n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", i ? "|" : "", lode_column_name(st, i));
  lode_finalize(st);
  return out;
}

static lode *open_memory(void) {
  lode *db = NULL;
  if (lode_open(":memory:", &db) != LODE_OK) return NULL;
  return db;
}

static void temp_path(char *buf, size_t n, const char *tag) {
  snprintf(buf, n, "/tmp/lode_test_pragma_%s_%d.db", tag, (int)getpid());
}

TEST(fresh_database_values) {
  lode *db = open_memory();
  CHECK(db != NULL);
  CHECK_EQ_STR(query(db, "PRAGMA page_count"), "0\n");
  CHECK_EQ_STR(query(db, "PRAGMA page_size"), "4096\n");
  CHECK_EQ_STR(query(db, "PRAGMA freelist_count"), "0\n");
  CHECK_EQ_STR(query(db, "PRAGMA schema_version"), "0\n");
  CHECK_EQ_STR(query(db, "PRAGMA encoding"), "UTF-8\n");
  CHECK_EQ_STR(query(db, "PRAGMA foreign_keys"), "0\n");
  CHECK_EQ_STR(query(db, "PRAGMA foreign_keys = ON; PRAGMA foreign_keys"), "1\n");
  CHECK_EQ_STR(query(db, "BEGIN; PRAGMA foreign_keys = OFF; PRAGMA foreign_keys"), "1\n"); /* no-op in a transaction */
  CHECK_EQ_STR(query(db, "COMMIT; PRAGMA foreign_keys = OFF; PRAGMA foreign_keys"), "0\n");
  CHECK_EQ_STR(query(db, "PRAGMA journal_mode"), "memory\n"); /* in memory, as SQLite answers */
  CHECK_EQ_STR(query(db, "PRAGMA journal_mode = delete"), "memory\n");
  CHECK_EQ_STR(query(db, "PRAGMA journal_mode = wal"), "memory\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_STR(query(db, "PRAGMA quick_check"), "ok\n");
  lode_close(db);
}

TEST(column_names_match_sqlite) {
  lode *db = open_memory();
  CHECK(db != NULL);
  CHECK_EQ_STR(columns(db, "PRAGMA integrity_check"), "integrity_check");
  CHECK_EQ_STR(columns(db, "PRAGMA quick_check"), "quick_check");
  CHECK_EQ_STR(columns(db, "PRAGMA busy_timeout"), "timeout");
  CHECK_EQ_STR(columns(db, "PRAGMA wal_checkpoint"), "busy|log|checkpointed");
  CHECK_EQ_STR(columns(db, "PRAGMA table_info(x)"), "cid|name|type|notnull|dflt_value|pk");
  CHECK_EQ_STR(columns(db, "PRAGMA table_xinfo(x)"), "cid|name|type|notnull|dflt_value|pk|hidden");
  CHECK_EQ_STR(columns(db, "PRAGMA table_list"), "schema|name|type|ncol|wr|strict");
  CHECK_EQ_STR(columns(db, "PRAGMA index_list(x)"), "seq|name|unique|origin|partial");
  CHECK_EQ_STR(columns(db, "PRAGMA index_info(x)"), "seqno|cid|name");
  CHECK_EQ_STR(columns(db, "PRAGMA index_xinfo(x)"), "seqno|cid|name|desc|coll|key");
  CHECK_EQ_STR(columns(db, "PRAGMA cache_size"), "cache_size");
  CHECK_EQ_STR(columns(db, "PRAGMA synchronous"), "synchronous");
  CHECK_EQ_STR(columns(db, "PRAGMA freelist_count"), "freelist_count");
  lode_close(db);
}

TEST(header_values_read_and_set) {
  lode *db = open_memory();
  CHECK(db != NULL);
  CHECK_EQ_STR(query(db, "PRAGMA user_version = 7; PRAGMA user_version"), "7\n");
  CHECK_EQ_STR(query(db, "PRAGMA user_version = -5; PRAGMA user_version"), "-5\n");
  CHECK_EQ_STR(query(db, "PRAGMA main.application_id = 123; PRAGMA application_id"), "123\n");
  CHECK_EQ_STR(query(db, "PRAGMA user_version = '42'; PRAGMA user_version"), "42\n");
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a); PRAGMA schema_version"), "1\n");
  lode_close(db);
}

TEST(connection_settings) {
  lode *db = open_memory();
  CHECK(db != NULL);
  CHECK_EQ_STR(query(db, "PRAGMA synchronous"), "2\n");
  CHECK_EQ_STR(query(db, "PRAGMA synchronous = OFF; PRAGMA synchronous"), "0\n");
  CHECK_EQ_STR(query(db, "PRAGMA synchronous = normal; PRAGMA synchronous"), "1\n");
  CHECK_EQ_STR(query(db, "PRAGMA synchronous = EXTRA; PRAGMA synchronous"), "3\n");
  CHECK_EQ_STR(query(db, "PRAGMA synchronous = 2; PRAGMA synchronous"), "2\n");
  CHECK_EQ_STR(query(db, "PRAGMA synchronous = bogus; PRAGMA synchronous"), "1\n");
  CHECK_EQ_STR(query(db, "PRAGMA synchronous = 7; PRAGMA synchronous"), "0\n");
  CHECK_EQ_STR(query(db, "PRAGMA cache_size"), "-2000\n");
  CHECK_EQ_STR(query(db, "PRAGMA cache_size = 100"), "");
  CHECK_EQ_STR(query(db, "PRAGMA cache_size"), "100\n");
  CHECK_EQ_STR(query(db, "PRAGMA cache_size = -4000; PRAGMA cache_size"), "-4000\n");
  CHECK_EQ_STR(query(db, "PRAGMA busy_timeout"), "0\n");
  CHECK_EQ_STR(query(db, "PRAGMA busy_timeout = 500"), "500\n");
  CHECK_EQ_STR(query(db, "PRAGMA busy_timeout"), "500\n");
  CHECK_EQ_STR(query(db, "PRAGMA busy_timeout = -3"), "0\n");
  lode_close(db);
}

TEST(unknown_pragma_and_database) {
  lode *db = open_memory();
  CHECK(db != NULL);
  CHECK_EQ_STR(query(db, "PRAGMA no_such_pragma"), "");
  CHECK_EQ_STR(query(db, "PRAGMA no_such_pragma = 5"), "");
  CHECK_EQ_STR(query(db, "PRAGMA nosuch.user_version"), "ERROR 1: unknown database nosuch");
  CHECK_EQ_STR(query(db, "PRAGMA nosuch.table_info(t)"), "ERROR 1: unknown database nosuch");
  CHECK_EQ_STR(query(db, "PRAGMA main.user_version"), "0\n");
  lode_close(db);
}

TEST(table_info_and_xinfo) {
  lode *db = open_memory();
  CHECK(db != NULL);
  CHECK_EQ_STR(query(db, "CREATE TABLE b(x INTEGER PRIMARY KEY, y TEXT NOT NULL DEFAULT 'a b', z)"), "");
  CHECK_EQ_STR(query(db, "PRAGMA table_info(b)"), "0|x|INTEGER|0||1\n1|y|TEXT|1|'a b'|0\n2|z||0||0\n");
  CHECK_EQ_STR(query(db, "PRAGMA table_xinfo('b')"), "0|x|INTEGER|0||1|0\n1|y|TEXT|1|'a b'|0|0\n2|z||0||0|0\n");
  CHECK_EQ_STR(query(db, "CREATE TABLE k(p, q INT, r DEFAULT (1+2))"), "");
  CHECK_EQ_STR(query(db, "PRAGMA table_info(k)"), "0|p||0||0\n1|q|INT|0||0\n2|r||0|1+2|0\n");
  CHECK_EQ_STR(query(db, "PRAGMA table_info(sqlite_master)"),
               "0|type|TEXT|0||0\n1|name|TEXT|0||0\n2|tbl_name|TEXT|0||0\n3|rootpage|INT|0||0\n4|sql|TEXT|0||0\n");
  CHECK_EQ_STR(query(db, "PRAGMA table_info(nope)"), "");
  CHECK_EQ_STR(query(db, "PRAGMA table_info"), "");
  lode_close(db);
}

TEST(table_list) {
  lode *db = open_memory();
  CHECK(db != NULL);
  CHECK_EQ_STR(query(db, "PRAGMA table_list"), "main|sqlite_schema|table|5|0|0\ntemp|sqlite_temp_schema|table|5|0|0\n");
  CHECK_EQ_STR(query(db, "CREATE TABLE b(x, y, z); CREATE TABLE s(k INTEGER) STRICT"), "");
  CHECK_EQ_STR(query(db, "PRAGMA table_list"),
               "main|s|table|1|0|1\nmain|b|table|3|0|0\nmain|sqlite_schema|table|5|0|0\n"
               "temp|sqlite_temp_schema|table|5|0|0\n");
  CHECK_EQ_STR(query(db, "PRAGMA table_list(b)"), "main|b|table|3|0|0\n");
  CHECK_EQ_STR(query(db, "PRAGMA table_list('nope')"), "");
  lode_close(db);
}

TEST(page_and_freelist_counts) {
  lode *db = open_memory();
  CHECK(db != NULL);
  CHECK_EQ_STR(query(db, "CREATE TABLE a(x); CREATE TABLE b(x); CREATE TABLE c(x)"), "");
  CHECK_EQ_STR(query(db, "PRAGMA page_count; PRAGMA freelist_count"), "4\n0\n");
  CHECK_EQ_STR(query(db, "DROP TABLE b"), "");
  CHECK_EQ_STR(query(db, "PRAGMA page_count; PRAGMA freelist_count"), "4\n1\n");
  /* read-only: the value is ignored, the count reported */
  CHECK_EQ_STR(query(db, "PRAGMA freelist_count = 9; PRAGMA freelist_count"), "1\n1\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check(c)"), "ok\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check(b)"), "ERROR 1: no such table: b");
  lode_close(db);
}

TEST(page_size_set_before_first_write_only) {
  char path[256];
  lode *db = NULL;
  temp_path(path, sizeof path, "pgsz");
  remove_db(path);
  CHECK(lode_open(path, &db) == LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA page_size = 1024; PRAGMA page_size"), "1024\n");
  CHECK_EQ_STR(query(db, "PRAGMA page_size = 1000; PRAGMA page_size"), "1024\n"); /* not a power of two */
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a); INSERT INTO t VALUES (1)"), "");
  CHECK_EQ_STR(query(db, "PRAGMA page_size = 8192; PRAGMA page_size"), "1024\n");
  lode_close(db);
  db = NULL;
  CHECK(lode_open(path, &db) == LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA page_size; PRAGMA page_count; SELECT a FROM t"), "1024\n2\n1\n");
  lode_close(db);
  remove_db(path);
}

/* journal_mode of a file answers as SQLite's: "delete" while the file is
** new or still in rollback-journal format, "wal" once Lode wrote it or WAL
** was asked for; the rollback modes are refused. */
TEST(journal_mode_of_a_file) {
  char path[256];
  lode *db = NULL, *other = NULL;
  temp_path(path, sizeof path, "jmode");
  remove_db(path);
  CHECK(lode_open(path, &db) == LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA journal_mode"), "delete\n");
  CHECK_EQ_STR(query(db, "PRAGMA journal_mode = persist"),
               "ERROR 1: journal mode persist is not supported: Lode writes through a WAL (wal or mvcc)");
  CHECK_EQ_STR(query(db, "PRAGMA journal_mode = nonsense"), "delete\n"); /* unknown: ignored */
  CHECK_EQ_STR(query(db, "BEGIN; PRAGMA journal_mode = wal"),
               "ERROR 1: cannot change into wal mode from within a transaction");
  CHECK_EQ_STR(query(db, "ROLLBACK; PRAGMA journal_mode = WAL"), "wal\n");
  CHECK(lode_open(path, &other) == LODE_OK); /* the choice is the file's, in this process */
  CHECK_EQ_STR(query(other, "PRAGMA journal_mode"), "wal\n");
  lode_close(other);
  lode_close(db);
  remove_db(path);

  CHECK(lode_open(path, &db) == LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a); PRAGMA main.journal_mode; PRAGMA temp.journal_mode"), "wal\ndelete\n");
  CHECK_EQ_STR(query(db, "BEGIN; PRAGMA journal_mode = wal; COMMIT"), "wal\n");
  lode_close(db);
  db = NULL;
  CHECK(lode_open_v2(path, &db, LODE_OPEN_READONLY, NULL) == LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA journal_mode; PRAGMA journal_mode = wal"), "wal\nwal\n");
  lode_close(db);
  remove_db(path);

  /* An empty file opened read-only stays what it is. */
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  fclose(f);
  db = NULL;
  CHECK(lode_open_v2(path, &db, LODE_OPEN_READONLY, NULL) == LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA journal_mode"), "delete\n");
  CHECK_EQ_STR(query(db, "PRAGMA journal_mode = wal"), "ERROR 8: attempt to write a readonly database");
  CHECK_EQ_STR(query(db, "PRAGMA journal_mode"), "delete\n");
  lode_close(db);
  remove_db(path);
}

/* A rollback-journal file sqlite3 wrote reads as "delete" until Lode's
** first write converts it (a read-only connection never does). */
TEST(journal_mode_of_a_sqlite3_rollback_file) {
  char path[256], cmd[512];
  lode *db = NULL;
  if (!have_sqlite3()) {
    printf("  SKIP (no sqlite3 CLI)\n");
    return;
  }
  temp_path(path, sizeof path, "jmroll");
  remove_db(path);
  snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'CREATE TABLE t(a); INSERT INTO t VALUES (1)'", path);
  CHECK(system(cmd) == 0);
  CHECK(lode_open_v2(path, &db, LODE_OPEN_READONLY, NULL) == LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT a FROM t; PRAGMA journal_mode"), "1\ndelete\n");
  lode_close(db);
  db = NULL;
  CHECK(lode_open(path, &db) == LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA journal_mode; INSERT INTO t VALUES (2); PRAGMA journal_mode"), "delete\nwal\n");
  lode_close(db);
  remove_db(path);
}

/* "0|N|N" with N > 0: not busy, every frame of the WAL copied. */
static int checkpointed_all(const char *row) {
  int busy = -1, log = -1, done = -2;
  if (sscanf(row, "%d|%d|%d", &busy, &log, &done) != 3) return 0;
  return busy == 0 && log > 0 && log == done;
}

TEST(wal_checkpoint) {
  char path[256];
  lode *db = open_memory();
  CHECK(db != NULL);
  CHECK_EQ_STR(query(db, "PRAGMA wal_checkpoint"), "0|-1|-1\n");
  lode_close(db);
  db = NULL;
  temp_path(path, sizeof path, "ckpt");
  remove_db(path);
  CHECK(lode_open(path, &db) == LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a); INSERT INTO t VALUES (1)"), "");
  CHECK(checkpointed_all(query(db, "PRAGMA wal_checkpoint")));
  CHECK(checkpointed_all(query(db, "INSERT INTO t VALUES (2); PRAGMA wal_checkpoint(FULL)")));
  CHECK_EQ_STR(query(db, "PRAGMA wal_checkpoint(TRUNCATE)"), "0|0|0\n");
  CHECK_EQ_STR(query(db, "BEGIN; PRAGMA wal_checkpoint"), "ERROR 6: database table is locked");
  CHECK_EQ_STR(query(db, "COMMIT; SELECT count(*) FROM t"), "2\n");
  lode_close(db);
  remove_db(path);
}

/* Appends two zeroed pages to the file and counts them in the header: pages
** no tree or freelist owns. */
static int add_orphan_pages(const char *path) {
  static uint8_t zero[TEST_PAGE_SIZE];
  uint8_t hdr[4];
  uint32_t n;
  FILE *f = fopen(path, "r+b");
  if (!f) return -1;
  if (fseek(f, HEADER_PAGE_COUNT, SEEK_SET) != 0 || fread(hdr, 1, 4, f) != 4) goto fail;
  n = ((uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 | (uint32_t)hdr[2] << 8 | hdr[3]) + 2;
  hdr[0] = (uint8_t)(n >> 24), hdr[1] = (uint8_t)(n >> 16), hdr[2] = (uint8_t)(n >> 8), hdr[3] = (uint8_t)n;
  if (fseek(f, HEADER_PAGE_COUNT, SEEK_SET) != 0 || fwrite(hdr, 1, 4, f) != 4) goto fail;
  if (fseek(f, 0, SEEK_END) != 0 || fwrite(zero, 1, sizeof zero, f) != sizeof zero) goto fail;
  if (fwrite(zero, 1, sizeof zero, f) != sizeof zero) goto fail;
  return fclose(f);
fail:
  fclose(f);
  return -1;
}

TEST(integrity_check_reports_problems_like_sqlite) {
  char path[256];
  lode *db = NULL;
  temp_path(path, sizeof path, "corrupt");
  remove_db(path);
  CHECK(lode_open(path, &db) == LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a); INSERT INTO t VALUES (1)"), "");
  lode_close(db);
  db = NULL;
  CHECK(add_orphan_pages(path) == 0);
  CHECK(lode_open(path, &db) == LODE_OK);
  /* One value holding every problem, as sqlite3 3.40 reports this file. */
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"),
               "*** in database main ***\nPage 3: never used\nPage 4: never used\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check(1)"), "*** in database main ***\nPage 3: never used\n");
  CHECK_EQ_STR(query(db, "PRAGMA quick_check"), "*** in database main ***\nPage 3: never used\nPage 4: never used\n");
  CHECK_EQ_STR(query(db, "SELECT a FROM t"), "1\n");
  lode_close(db);
  remove_db(path);
}

/* PRAGMA mmap_size maps the database file for reads and changes nothing a
** query sees: rows still in the WAL come from the WAL, a file that grows
** (checkpoints) is read past the first mapping, a file that shrinks (VACUUM)
** is read without faulting, and a second connection's writes are seen. */
TEST(mmap_size_reads_what_pread_reads) {
  char path[256];
  const char *digest_sql = "SELECT count(*) * 1000003 + sum(length(v)) + sum(id) FROM t";
  snprintf(path, sizeof path, "/tmp/lode_test_pragma_%d_mmap.db", (int)getpid());
  remove_db(path);
  lode *a = NULL, *b = NULL;
  CHECK_EQ_INT(lode_open(path, &a), LODE_OK);
  CHECK_EQ_INT(lode_open(path, &b), LODE_OK);
  CHECK_EQ_STR(query(a, "PRAGMA mmap_size = 268435456"), "268435456\n");
  CHECK_EQ_STR(query(b, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);"
                        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                        " INSERT INTO t SELECT i, hex(randomblob(40)) FROM n;"
                        "PRAGMA wal_checkpoint(TRUNCATE)"), "0|0|0\n");
  int64_t d1 = query_int(b, digest_sql);
  CHECK_EQ_INT(query_int(a, digest_sql), d1);
  /* Rows in the WAL only: the mapping holds the old pages. */
  CHECK_EQ_STR(query(b, "UPDATE t SET v = v || 'x' WHERE id % 7 = 0;"
                        "INSERT INTO t SELECT id + 3000, v FROM t"), "");
  int64_t d2 = query_int(b, digest_sql);
  CHECK(d2 != d1);
  CHECK_EQ_INT(query_int(a, digest_sql), d2);
  /* Checkpointed: the file is now longer than when it was mapped. */
  CHECK_EQ_STR(query(b, "PRAGMA wal_checkpoint(TRUNCATE)"), "0|0|0\n");
  CHECK_EQ_INT(query_int(a, digest_sql), d2);
  CHECK_EQ_STR(query(a, "PRAGMA integrity_check"), "ok\n");
  /* Shrunk: most rows go, VACUUM and a checkpoint cut the file. */
  CHECK_EQ_STR(query(b, "DELETE FROM t WHERE id > 500; VACUUM; PRAGMA wal_checkpoint(TRUNCATE)"), "0|0|0\n");
  int64_t d3 = query_int(b, digest_sql);
  CHECK_EQ_INT(query_int(a, "SELECT count(*) FROM t"), 500);
  CHECK_EQ_INT(query_int(a, digest_sql), d3);
  CHECK_EQ_STR(query(a, "PRAGMA integrity_check"), "ok\n");
  /* Off again: the same answers through pread. */
  CHECK_EQ_STR(query(a, "PRAGMA mmap_size = 0"), "0\n");
  CHECK_EQ_INT(query_int(a, digest_sql), d3);
  lode_close(a);
  lode_close(b);
  remove_db(path);
}

/* data_version changes when another connection has committed since the last
** look, in this process or another (sqlite3 here), never for the
** connection's own commits. */
TEST(data_version_counts_others_commits) {
  char path[128], cmd[400];
  temp_path(path, sizeof path, "data_version");
  remove_db(path);
  lode *a = NULL, *b = NULL;
  CHECK_EQ_INT(lode_open(path, &a), LODE_OK);
  CHECK_EQ_INT(lode_open(path, &b), LODE_OK);
  const char *v0 = query(a, "PRAGMA data_version");
  char first[32];
  snprintf(first, sizeof first, "%s", v0);
  CHECK_EQ_STR(query(a, "CREATE TABLE t(x); INSERT INTO t VALUES (1)"), "");
  CHECK_EQ_STR(query(a, "PRAGMA data_version"), first);
  CHECK_EQ_STR(query(b, "INSERT INTO t VALUES (2)"), "");
  const char *v1 = query(a, "PRAGMA data_version");
  CHECK(strcmp(v1, first) != 0);
  char second[32];
  snprintf(second, sizeof second, "%s", v1);
  CHECK_EQ_STR(query(a, "PRAGMA data_version"), second);
  CHECK_EQ_STR(query(a, "BEGIN; INSERT INTO t VALUES (3); COMMIT"), "");
  CHECK_EQ_STR(query(a, "PRAGMA data_version"), second);
  char twice[64];
  snprintf(twice, sizeof twice, "%s%s", second, second);
  CHECK_EQ_STR(query(a, "PRAGMA data_version = 99; PRAGMA data_version"), twice); /* read-only: reported */
  snprintf(cmd, sizeof cmd, "sqlite3 %s 'INSERT INTO t VALUES (4)' 2>/dev/null", path);
  if (system(cmd) == 0) {
    CHECK(strcmp(query(a, "PRAGMA data_version"), second) != 0);
    CHECK_EQ_STR(query(a, "SELECT count(*) FROM t"), "4\n");
  }
  lode_close(b);
  lode_close(a);
  remove_db(path);
}

int main(void) {
  RUN(fresh_database_values);
  RUN(column_names_match_sqlite);
  RUN(header_values_read_and_set);
  RUN(connection_settings);
  RUN(unknown_pragma_and_database);
  RUN(table_info_and_xinfo);
  RUN(table_list);
  RUN(page_and_freelist_counts);
  RUN(page_size_set_before_first_write_only);
  RUN(journal_mode_of_a_file);
  RUN(journal_mode_of_a_sqlite3_rollback_file);
  RUN(wal_checkpoint);
  RUN(integrity_check_reports_problems_like_sqlite);
  RUN(mmap_size_reads_what_pread_reads);
  RUN(data_version_counts_others_commits);
  return test_summary();
}

