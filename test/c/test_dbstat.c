/*
** test_dbstat.c — the dbstat virtual table's edge cases through lode.h: an
** empty database, the temp database before and after it exists, unknown
** schema names (no rows from a scan, an error from CREATE VIRTUAL TABLE),
** pages of a transaction not yet committed, and corrupt files (a bad page
** type, a child pointer that loops, an overflow chain that leaves the file),
** which give SQLITE_CORRUPT and never a crash.  test/js/interop-dbstat
** compares the rows themselves with SQLite's.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lode.h"
#include "testdb.h"
#include "testlib.h"

static char path[600];

static const char *open_and_query(const char *sql) {
  static char out[65536];
  lode *db = NULL;
  if (lode_open(path, &db) != LODE_OK) {
    snprintf(out, sizeof out, "OPEN: %s", db ? lode_errmsg(db) : "");
  } else {
    snprintf(out, sizeof out, "%s", query(db, sql));
  }
  lode_close(db);
  return out;
}

static void patch(long offset, const void *bytes, size_t n) {
  FILE *f = fopen(path, "r+b");
  CHECK(f != NULL);
  if (!f) return;
  fseek(f, offset, SEEK_SET);
  CHECK_EQ_INT((int)fwrite(bytes, 1, n, f), (int)n);
  fclose(f);
}

/* The offset of the first 4-byte big-endian v within page pgno (1024-byte pages), -1 if absent. */
static long find_u32_in_page(uint32_t pgno, uint32_t v) {
  unsigned char page[1024], want[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                                       (unsigned char)v};
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  fseek(f, (long)(pgno - 1) * 1024, SEEK_SET);
  size_t got = fread(page, 1, sizeof page, f);
  fclose(f);
  for (size_t i = 0; i + 4 <= got; i++)
    if (memcmp(page + i, want, 4) == 0) return (long)((pgno - 1) * 1024 + i);
  return -1;
}

/* t: 300 short rows over several leaves under an interior root (page 2);
** o: one row whose payload spills onto an overflow chain. */
static void make_db(void) {
  lode *db = NULL;
  remove_db(path);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA page_size = 1024;"
                         "CREATE TABLE t(a INTEGER PRIMARY KEY, b);"
                         "INSERT INTO t SELECT value, printf('%050d', value) FROM generate_series(1, 300);"
                         "CREATE TABLE o(x); INSERT INTO o VALUES (zeroblob(5000));"),
               "");
  lode_close(db); /* checkpoints the WAL into the file */
}

static int64_t page_of(const char *where) {
  char sql[256];
  lode *db = NULL;
  snprintf(sql, sizeof sql, "SELECT pageno FROM dbstat WHERE %s", where);
  if (lode_open(path, &db) != LODE_OK) return -1;
  int64_t pg = query_int(db, sql);
  lode_close(db);
  return pg;
}

TEST(an_empty_database_has_no_rows) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT * FROM dbstat"), "");
  CHECK_EQ_STR(query(db, "SELECT * FROM dbstat('main', 1)"), "");
  /* One page once anything is written: sqlite_schema's empty leaf. */
  CHECK_EQ_STR(query(db, "PRAGMA user_version = 1; SELECT * FROM dbstat"), "sqlite_schema|/|1|leaf|0|0|3988|0|0|4096\n");
  CHECK_EQ_STR(query(db, "SELECT * FROM dbstat('main', 1)"), "sqlite_schema||1||0|0|3988|0||4096\n");
  lode_close(db);
}

TEST(the_temp_database_is_listed_once_it_exists) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM dbstat('temp')"), "0\n");
  CHECK_EQ_STR(query(db, "CREATE TEMP TABLE x(y); SELECT name, path, pagetype, schema FROM dbstat('temp')"),
               "sqlite_schema|/|leaf|temp\nx|/|leaf|temp\n");
  CHECK_EQ_STR(query(db, "SELECT name FROM dbstat WHERE schema = 'TEMP' AND aggregate = 1"), "sqlite_schema\nx\n");
  lode_close(db);
}

TEST(an_unknown_schema_lists_nothing_and_cannot_be_named_by_a_table) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a); SELECT count(*) FROM dbstat('nosuch')"), "0\n");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM dbstat WHERE schema = 'nosuch'"), "0\n");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM dbstat(NULL)"), "0\n");
  CHECK_EQ_STR(query(db, "CREATE VIRTUAL TABLE temp.s USING dbstat(nosuch)"), "ERROR 1: no such database: nosuch");
  CHECK_EQ_STR(query(db, "CREATE VIRTUAL TABLE temp.s USING dbstat(main); SELECT name, schema FROM temp.s"),
               "sqlite_schema|main\nt|main\n");
  lode_close(db);
}

TEST(an_open_transaction_shows_its_own_pages) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a); BEGIN; INSERT INTO t VALUES (zeroblob(10000));"
                         "SELECT name, pageno, pagetype FROM dbstat WHERE name = 't'"),
               "t|2|leaf\nt|3|overflow\nt|4|overflow\n");
  CHECK_EQ_STR(query(db, "ROLLBACK; SELECT count(*) FROM dbstat WHERE name = 't'"), "1\n");
  lode_close(db);
}

TEST(it_is_a_compile_option_and_a_module) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT sqlite_compileoption_used('ENABLE_DBSTAT_VTAB')"), "1\n");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM pragma_compile_options WHERE compile_options = 'ENABLE_DBSTAT_VTAB'"),
               "1\n");
  CHECK_EQ_STR(query(db, "SELECT name FROM pragma_module_list WHERE name = 'dbstat'"), "dbstat\n");
  /* generate_series is built in, so it is listed as the sqlite3 shell lists its own */
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM pragma_module_list WHERE name = 'generate_series'"), "1\n");
  lode_close(db);
}

TEST(a_page_that_is_not_a_btree_page_is_corrupt) {
  make_db();
  int64_t leaf = page_of("name = 't' AND path = '/001/'");
  CHECK(leaf > 2);
  unsigned char bad = 0x00;
  patch((long)(leaf - 1) * 1024, &bad, 1);
  CHECK_EQ_STR(open_and_query("SELECT count(*) FROM dbstat"), "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(open_and_query("SELECT count(*) FROM dbstat('main', 1)"), "ERROR 11: database disk image is malformed");
  /* Trees before the bad one are listed first. */
  CHECK_EQ_STR(open_and_query("SELECT name FROM dbstat LIMIT 1"), "sqlite_schema\n");
}

TEST(a_child_pointer_that_loops_is_corrupt) {
  make_db();
  CHECK_EQ_INT((int)page_of("name = 't' AND path = '/'"), 2);
  unsigned char self[4] = {0, 0, 0, 2}; /* the root's right child: the root itself */
  patch(1024 + 8, self, 4);
  CHECK_EQ_STR(open_and_query("SELECT count(*) FROM dbstat"), "ERROR 11: database disk image is malformed");
  unsigned char past[4] = {0, 0, 0x27, 0x0f}; /* page 9999 */
  patch(1024 + 8, past, 4);
  CHECK_EQ_STR(open_and_query("SELECT count(*) FROM dbstat"), "ERROR 11: database disk image is malformed");
}

TEST(an_overflow_chain_that_leaves_the_file_is_corrupt) {
  make_db();
  int64_t root = page_of("name = 'o' AND path = '/'");
  int64_t first = page_of("name = 'o' AND path = '/000+000000'");
  int64_t second = page_of("name = 'o' AND path = '/000+000001'");
  CHECK(root > 0 && first > 0 && second > 0);
  /* The second page's link to the third points past the end. */
  unsigned char past[4] = {0, 0, 0x27, 0x0f};
  patch((long)(second - 1) * 1024, past, 4);
  CHECK_EQ_STR(open_and_query("SELECT count(*) FROM dbstat"), "ERROR 11: database disk image is malformed");
  /* The cell's first overflow page is the root itself. */
  make_db();
  long at = find_u32_in_page((uint32_t)root, (uint32_t)first);
  CHECK(at > 0);
  unsigned char self[4] = {0, 0, 0, (unsigned char)root};
  patch(at, self, 4);
  CHECK_EQ_STR(open_and_query("SELECT count(*) FROM dbstat"), "ERROR 11: database disk image is malformed");
}

int main(void) {
  tmp_db_path(path, sizeof path, "dbstat");
  RUN(an_empty_database_has_no_rows);
  RUN(the_temp_database_is_listed_once_it_exists);
  RUN(an_unknown_schema_lists_nothing_and_cannot_be_named_by_a_table);
  RUN(an_open_transaction_shows_its_own_pages);
  RUN(it_is_a_compile_option_and_a_module);
  RUN(a_page_that_is_not_a_btree_page_is_corrupt);
  RUN(a_child_pointer_that_loops_is_corrupt);
  RUN(an_overflow_chain_that_leaves_the_file_is_corrupt);
  remove_db(path);
  return test_summary();
}
