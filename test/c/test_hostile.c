/*
** test_hostile.c — files that sqlite3 refuses or reports are refused or
** reported by Lode too, and never written: header fields out of range
** (payload fractions, schema format, text encoding, a page count past the
** end of the file), a schema row whose root page belongs to sqlite_schema or
** lies past the end of the file, two indexes on one root, an index without
** its row, a record whose header claims less than its payload holds or
** names a reserved serial type, an index entry whose header claims more
** than the entry holds, index entries longer or shorter than their index's
** definition; one page named by two structures (an overflow chain through
** a tree page, a freelist listing a page twice, a tree rooted in another's
** leaf), a child page without cells, a database file cut shorter than its
** WAL can make up, an auto-vacuum file ending on a pointer map; the words
** of integrity_check for pages that do not parse; and auto-vacuum files from
** sqlite3, which Lode writes further with their pointer maps kept, so that
** sqlite3 still finds them whole.  Files are made by Lode and patched byte
** by byte (or through writable_schema); the sqlite3 ones by the sqlite3 CLI
** (skipped when it is not installed).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lode.h"
#include "testdb.h"
#include "testlib.h"

static char tmpdir[256], path[600], script_path[600];

/* A closed database file with t(a INTEGER PRIMARY KEY, b), u(x, y) and its
** index ux (root pages 2, 3 and 4) and a few
** rows, checkpointed into the main file (close removes the WAL). */
static void make_db(void) {
  lode *db = NULL;
  remove_db(path);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, b); CREATE TABLE u(x, y); CREATE INDEX ux ON u(x);"
                         "INSERT INTO t VALUES (1, 'x'), (2, 'y');"
                         "INSERT INTO u(rowid, x, y) VALUES (107, 2.5, 'abd'), (108, 1.5, 'abc'), (109, 3.5, 'abe');"),
               "");
  lode_close(db);
}

/* A closed database file made by sql alone. */
static void make_db_with(const char *sql) {
  lode *db = NULL;
  remove_db(path);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, sql), "");
  lode_close(db);
}

static uint32_t read_u32(long offset) {
  unsigned char b[4] = {0, 0, 0, 0};
  FILE *f = fopen(path, "rb");
  CHECK(f != NULL);
  if (!f) return 0;
  fseek(f, offset, SEEK_SET);
  CHECK_EQ_INT((int)fread(b, 1, 4, f), 4);
  fclose(f);
  return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void patch(long offset, const void *bytes, size_t n) {
  FILE *f = fopen(path, "r+b");
  CHECK(f != NULL);
  if (!f) return;
  fseek(f, offset, SEEK_SET);
  CHECK_EQ_INT((int)fwrite(bytes, 1, n, f), (int)n);
  fclose(f);
}

/* Finds the first occurrence of needle in the file; -1 if absent. */
static long find_bytes(const void *needle, size_t n) {
  static unsigned char buf[1 << 16];
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  size_t got = fread(buf, 1, sizeof buf, f);
  fclose(f);
  for (size_t i = 0; i + n <= got; i++)
    if (memcmp(buf + i, needle, n) == 0) return (long)i;
  return -1;
}

/* Opens the file and runs sql; the result text as query() gives it, or
** "OPEN <rc>: message" when the open itself fails. */
static const char *open_and_query(const char *sql) {
  static char out[4096];
  lode *db = NULL;
  int rc = lode_open(path, &db);
  if (rc != LODE_OK) {
    snprintf(out, sizeof out, "OPEN %d: %s", rc, db ? lode_errmsg(db) : "");
    lode_close(db);
    return out;
  }
  snprintf(out, sizeof out, "%s", query(db, sql));
  lode_close(db);
  return out;
}

TEST(payload_fractions_other_than_64_32_32_are_not_a_database) {
  static const long offsets[] = {21, 22, 23};
  for (int i = 0; i < 3; i++) {
    make_db();
    unsigned char bad = 0x05;
    patch(offsets[i], &bad, 1);
    CHECK_EQ_STR(open_and_query("SELECT count(*) FROM t"), "ERROR 26: file is not a database");
  }
}

TEST(a_newer_schema_format_is_unsupported) {
  make_db();
  const unsigned char five[4] = {0, 0, 0, 5};
  patch(44, five, 4);
  CHECK_EQ_STR(open_and_query("SELECT count(*) FROM t"), "ERROR 1: unsupported file format");
}

TEST(utf16_databases_are_refused_not_misread) {
  for (int enc = 2; enc <= 3; enc++) {
    make_db();
    const unsigned char e[4] = {0, 0, 0, (unsigned char)enc};
    patch(56, e, 4);
    const char *got = open_and_query("SELECT count(*) FROM t");
    CHECK(strstr(got, "ERROR 1: unsupported file format: the database is UTF-16") == got);
    /* ... and a write does not happen either: the header is untouched. */
    got = open_and_query("CREATE TABLE z(q)");
    CHECK(strstr(got, "unsupported file format") != NULL);
  }
}

TEST(pragma_encoding_refuses_utf16_and_unknown_names) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA encoding"), "UTF-8\n");
  CHECK_EQ_STR(query(db, "PRAGMA encoding = 'UTF-8'"), "");
  CHECK_EQ_STR(query(db, "PRAGMA encoding = 'latin1'"), "ERROR 1: unsupported encoding: latin1");
  CHECK(strstr(query(db, "PRAGMA encoding = 'UTF-16le'"), "ERROR 1: unsupported encoding: UTF-16le") != NULL);
  CHECK_EQ_STR(query(db, "PRAGMA auto_vacuum"), "0\n");
  lode_close(db);
}

/* t's sqlite_schema record holds "table", "t", "t", its root page and its SQL
** text; the root is a one-byte integer (serial type 1) right before the text. */
static void set_root_of_t(unsigned char root) {
  const char sql[] = "CREATE TABLE t(a INTEGER PRIMARY KEY, b)";
  long at = find_bytes(sql, sizeof sql - 1);
  CHECK(at > 0);
  if (at > 0) patch(at - 1, &root, 1);
}

TEST(a_table_rooted_on_page_1_or_past_the_end_is_a_malformed_schema) {
  make_db();
  set_root_of_t(1);
  CHECK_EQ_STR(open_and_query("SELECT count(*) FROM u"), "ERROR 11: malformed database schema (t)");
  CHECK_EQ_STR(open_and_query("INSERT INTO t VALUES (50, 'x')"), "ERROR 11: malformed database schema (t)");
  make_db();
  set_root_of_t(99);
  CHECK_EQ_STR(open_and_query("SELECT count(*) FROM u"), "ERROR 11: malformed database schema (t) - invalid rootpage");
  /* The root of an index b-tree read as a table's: corrupt, not garbage. */
  set_root_of_t(4);
  CHECK_EQ_STR(open_and_query("SELECT count(*) FROM t"), "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(open_and_query("INSERT INTO t VALUES (50, 'x')"), "ERROR 11: database disk image is malformed");
  /* The file is intact: the right root makes it whole again. */
  set_root_of_t(2);
  CHECK_EQ_STR(open_and_query("SELECT count(*) FROM t; PRAGMA integrity_check"), "2\nok\n");
}

/* Serial type 7 (a float) of row 108 becomes 0x80, a varint continuation:
** the header then names one 3-byte text field while the payload holds 14
** bytes.  sqlite3 calls that corrupt; so must Lode, not return garbage. */
TEST(a_record_header_that_does_not_fill_its_payload_is_corrupt) {
  make_db();
  const unsigned char rec[] = {3, 7, 0x13, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 'a', 'b', 'c'};
  long at = find_bytes(rec, sizeof rec);
  CHECK(at > 0);
  if (at <= 0) return;
  const unsigned char bad = 0x80;
  patch(at + 1, &bad, 1);
  CHECK_EQ_STR(open_and_query("SELECT quote(x), quote(y) FROM u WHERE rowid = 107"), "2.5|'abd'\n");
  CHECK_EQ_STR(open_and_query("SELECT quote(x), quote(y) FROM u WHERE rowid = 108"),
               "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(open_and_query("PRAGMA integrity_check"), "ERROR 11: database disk image is malformed");
}

/* Serial type 10 is reserved.  A row's header is parsed only as far as the
** columns read, as sqlite3 does: the column before the bad type still
** reads, the one that needs it is reported corrupt. */
TEST(a_reserved_serial_type_is_corrupt_when_a_read_reaches_it) {
  make_db();
  const unsigned char rec[] = {3, 7, 0x13, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 'a', 'b', 'c'};
  long at = find_bytes(rec, sizeof rec);
  CHECK(at > 0);
  if (at <= 0) return;
  const unsigned char bad = 10;
  patch(at + 2, &bad, 1);
  CHECK_EQ_STR(open_and_query("SELECT quote(x) FROM u WHERE rowid = 108"), "1.5\n");
  CHECK_EQ_STR(open_and_query("SELECT quote(y) FROM u WHERE rowid = 108"),
               "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(open_and_query("SELECT quote(x), quote(y) FROM u WHERE rowid = 107"), "2.5|'abd'\n");
}

TEST(an_index_entry_whose_header_runs_past_it_is_corrupt_to_a_text_seek) {
  make_db();
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE v(s TEXT); CREATE INDEX vs ON v(s); INSERT INTO v VALUES ('qwertyuiop');"), "");
  lode_close(db);
  /* The entry ('qwertyuiop', rowid 1): header size 3, text of 10 bytes, the constant 1. */
  const unsigned char rec[] = {3, 13 + 2 * 10, 9, 'q', 'w', 'e', 'r', 't', 'y'};
  long at = find_bytes(rec, sizeof rec);
  CHECK(at > 0);
  if (at <= 0) return;
  const unsigned char bad = 0x7f; /* a header larger than the whole entry */
  patch(at, &bad, 1);
  CHECK_EQ_STR(open_and_query("SELECT s FROM v WHERE s = 'qwertyuiop'"), "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(open_and_query("SELECT count(*) FROM v NOT INDEXED WHERE s = 'qwertyuiop'"), "1\n");
}

/* The second cell pointer of t's leaf (page 2) names an offset past the end
** of the page.  Reading that row's rowid is corrupt, not rowid 0: an UPDATE
** that took it for 0 sought the start of the table again and never ended. */
TEST(a_cell_pointer_past_the_page_is_corrupt_to_a_rowid_read) {
  make_db();
  const unsigned char bad[] = {0x52, 0x84};
  patch(4096 + 8 + 2, bad, sizeof bad);
  CHECK_EQ_STR(open_and_query("UPDATE t SET b = 'z'"), "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(open_and_query("SELECT a FROM t WHERE a > 1"), "ERROR 11: database disk image is malformed");
}

/* Row 5's overflow chain (the last four bytes of its cell, which ends page
** 2) names page 2 itself, the table's leaf.  Replacing the row frees the old
** chain: freeing a page the statement's own cursor holds would hand the
** table's page to the freelist, losing every row, so it is corrupt. */
TEST(an_overflow_chain_through_a_tree_page_is_corrupt_not_freed) {
  make_db_with("PRAGMA page_size = 1024; CREATE TABLE t(x INTEGER PRIMARY KEY, y);"
               "INSERT INTO t VALUES (5, zeroblob(1900));");
  CHECK_EQ_INT((int)read_u32(2044), 3);
  const unsigned char two[4] = {0, 0, 0, 2};
  patch(2044, two, 4);
  CHECK_EQ_STR(open_and_query("INSERT OR REPLACE INTO t VALUES (5, zeroblob(1900))"),
               "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(open_and_query("SELECT x FROM t"), "5\n");
}

/* The first two leaves of the freelist's trunk name the same page: its
** second allocation would give a page the new index already uses to another
** part of it. */
TEST(a_freelist_that_names_a_page_twice_is_corrupt_when_it_is_reused) {
  make_db_with("PRAGMA page_size = 1024; CREATE TABLE t(a, b);"
               "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 512)"
               " INSERT INTO t SELECT i, i * i FROM c;"
               "CREATE INDEX tb ON t(b, a); DROP INDEX tb;");
  uint32_t trunk = read_u32(32);
  CHECK(trunk > 1);
  long at = (long)(trunk - 1) * 1024;
  uint32_t nleaf = read_u32(at + 4);
  CHECK(nleaf >= 2);
  if (trunk <= 1 || nleaf < 2) return;
  unsigned char first[4];
  uint32_t leaf = read_u32(at + 8);
  for (int i = 0; i < 4; i++) first[i] = (unsigned char)(leaf >> (24 - 8 * i));
  patch(at + 12, first, 4);
  CHECK_EQ_STR(open_and_query("CREATE INDEX tb ON t(b, a)"), "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(open_and_query("SELECT count(*), sum(a) FROM t"), "512|131328\n");
}

/* t2's root is made a leaf of t1 (page 3, where t1's first rows are).  An
** UPDATE of t1 runs a trigger that empties t2: clearing a page the UPDATE's
** own cursor stands on would wipe t1's rows under it. */
TEST(emptying_a_tree_that_shares_a_page_being_read_is_corrupt) {
  make_db_with("PRAGMA page_size = 1024; CREATE TABLE t1(a INTEGER PRIMARY KEY, b);"
               "INSERT INTO t1(b) VALUES (zeroblob(300)), (zeroblob(300)), (zeroblob(300)), (zeroblob(300));"
               "CREATE TABLE t2(a); CREATE TRIGGER t1tr BEFORE UPDATE ON t1 BEGIN DELETE FROM t2; END;"
               "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET rootpage = 3 WHERE name = 't2';");
  CHECK_EQ_STR(open_and_query("UPDATE t1 SET b = zeroblob(299)"), "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(open_and_query("SELECT count(*), sum(length(b)) FROM t1"), "4|1200\n");
}

/* Only a root page may hold no cells: a leaf whose cell count was zeroed
** is corrupt to every read that reaches it, not a leaf without rows. */
TEST(a_child_page_without_cells_is_corrupt) {
  make_db_with("PRAGMA page_size = 1024; CREATE TABLE t(a INTEGER PRIMARY KEY, b);"
               "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 40)"
               " INSERT INTO t SELECT i, zeroblob(100) FROM c;");
  uint32_t right = read_u32(1024 + 8);
  CHECK(right > 2);
  const unsigned char none[2] = {0, 0};
  patch((long)(right - 1) * 1024 + 3, none, 2);
  CHECK_EQ_STR(open_and_query("SELECT sum(a) FROM t"), "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(open_and_query("SELECT max(a) FROM t"), "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(open_and_query("SELECT b FROM t WHERE a = 40"), "ERROR 11: database disk image is malformed");
}

/* t2a's definition is edited to one column while its entries keep three
** (and the rowid).  INSERT INTO t1 SELECT * FROM t2 copies t2a's entries
** into t1a as they are stored: entries longer than t1a's columns would
** break t1a, so the copy is corrupt and t1 keeps its rows. */
TEST(copying_index_entries_longer_than_the_index_is_corrupt) {
  make_db_with("CREATE TABLE t1(a, b, c, d INTEGER PRIMARY KEY); CREATE TABLE t2(a, b, c, d INTEGER PRIMARY KEY);"
               "INSERT INTO t1 VALUES (1, 2, 3, 100), (4, 5, 6, 101);"
               "INSERT INTO t2 VALUES (1, 100, 3, 1000), (4, 101, 6, 1001);"
               "CREATE INDEX t1a ON t1(a); CREATE INDEX t2a ON t2(a, b, c);"
               "PRAGMA writable_schema = 1;"
               "UPDATE sqlite_schema SET sql = 'CREATE INDEX t2a ON t2(a)' WHERE name = 't2a';");
  CHECK_EQ_STR(open_and_query("INSERT INTO t1 SELECT * FROM t2"), "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(open_and_query("SELECT count(*) FROM t1; SELECT count(*) FROM t1 WHERE a > 0"), "2\n2\n");
}

/* i1's entries hold one column (and the rowid) but its definition is edited
** to three: integrity_check's lookup of each row by all of them would take
** the shorter entry for a match, so it reports corruption instead of ok. */
TEST(an_index_entry_shorter_than_its_definition_is_corrupt_to_a_full_lookup) {
  make_db_with("CREATE TABLE t1(a INTEGER PRIMARY KEY, b TEXT, c INTEGER, d TEXT); CREATE INDEX i1 ON t1((NULL));"
               "INSERT INTO t1 VALUES (1, NULL, 1, 'text value'); PRAGMA writable_schema = on;"
               "UPDATE sqlite_schema SET sql = 'CREATE INDEX i1 ON t1(b, c, d)' WHERE name = 'i1';");
  CHECK_EQ_STR(open_and_query("PRAGMA integrity_check"), "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(open_and_query("SELECT a FROM t1"), "1\n");
}

/* Runs first, then second on one connection to the file; the text of the
** second as query() gives it (first must succeed). */
static const char *open_and_query2(const char *first, const char *second) {
  static char out[4096];
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, first), "");
  snprintf(out, sizeof out, "%s", query(db, second));
  lode_close(db);
  return out;
}

/* Both indexes of t1's UNIQUE constraints rooted on one b-tree (the root of
** another table): the schema is malformed, as SQLite finds it.  With
** writable_schema on, the bad row is skipped and its index has no b-tree,
** so a write through it is corrupt; setting writable_schema itself reads no
** schema (else the file could not be opened to repair it). */
TEST(indexes_of_one_table_sharing_a_root_are_a_malformed_schema) {
  make_db_with("CREATE TABLE t1(w, x, y, z, UNIQUE(w, x), UNIQUE(y, z)); INSERT INTO t1 VALUES (1, 1, 1, 1);"
               "CREATE TABLE t1idx(x, y, i INTEGER, PRIMARY KEY(x)) WITHOUT ROWID;"
               "INSERT INTO t1idx VALUES (10, NULL, 5);"
               "PRAGMA writable_schema = 1;"
               "UPDATE sqlite_schema SET rootpage = (SELECT rootpage FROM sqlite_schema WHERE name = 't1idx')"
               " WHERE type = 'index';");
  CHECK_EQ_STR(open_and_query("SELECT count(*) FROM t1"),
               "ERROR 11: malformed database schema (sqlite_autoindex_t1_2) - invalid rootpage");
  CHECK_EQ_STR(open_and_query2("PRAGMA writable_schema = ON", "INSERT INTO t1 VALUES (10, 11, 10, NULL)"),
               "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(open_and_query2("PRAGMA writable_schema = ON", "SELECT * FROM t1idx"), "10||5\n");
}

/* A UNIQUE constraint's index whose sqlite_schema row was deleted has no
** b-tree: a statement that writes it is corrupt (not a malformed program). */
TEST(an_index_without_its_schema_row_is_corrupt_to_use) {
  make_db_with("CREATE TABLE t1(x PRIMARY KEY, y); INSERT INTO t1 VALUES ('a', 'A'), ('b', 'A'), ('c', 'A');"
               "PRAGMA writable_schema = 1; DELETE FROM sqlite_schema WHERE name = 'sqlite_autoindex_t1_1';");
  CHECK_EQ_STR(open_and_query("UPDATE t1 SET x = 'd' WHERE rowid = 2"), "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(open_and_query("SELECT y FROM t1 WHERE x = 'a'"), "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(open_and_query("SELECT group_concat(y) FROM t1 NOT INDEXED"), "A,A,A\n");
}

/* sqlite_sequence's text no longer parses: with writable_schema on it is
** skipped, and an AUTOINCREMENT insert, which needs it, is corrupt. */
TEST(an_autoincrement_insert_without_sqlite_sequence_is_corrupt) {
  make_db_with("CREATE TABLE t1(x INTEGER PRIMARY KEY AUTOINCREMENT, y); PRAGMA writable_schema = 1;"
               "UPDATE sqlite_schema SET sql = 'CREATE TABLE sqlite_sequence(name-seq)'"
               " WHERE name = 'sqlite_sequence';");
  CHECK_EQ_STR(open_and_query2("PRAGMA writable_schema = 1", "INSERT INTO t1(y) VALUES ('abc')"),
               "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(open_and_query2("PRAGMA writable_schema = 1", "SELECT count(*) FROM t1"), "0\n");
}

/* The database file is cut to two pages while its last commit waits in the
** WAL: the frames hold only the pages that commit changed, so copying them
** over the cut file would leave the rest as holes.  The checkpoint reports
** corruption instead and writes nothing. */
TEST(a_checkpoint_onto_a_database_file_cut_short_is_corrupt) {
  lode *db = NULL;
  remove_db(path);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA page_size = 1024; CREATE TABLE t(o INTEGER PRIMARY KEY, v UNIQUE);"
                         "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 512)"
                         " INSERT INTO t(v) SELECT randomblob(123) FROM c;"
                         "PRAGMA wal_checkpoint(TRUNCATE); INSERT INTO t VALUES (-1, 'b');"),
               "0|0|0\n");
  CHECK_EQ_INT(truncate(path, 2048), 0);
  CHECK_EQ_STR(query(db, "PRAGMA wal_checkpoint"), "ERROR 11: database disk image is malformed");
  lode_close(db);
  struct stat st;
  CHECK_EQ_INT(stat(path, &st), 0);
  CHECK_EQ_INT((int)st.st_size, 2048);
}

/* A full auto-vacuum file grown by junk to end on a pointer-map page (207
** with 1 KiB pages), its header page count zeroed so that the file's size
** counts: the end of the file is no page of content, so the commit that
** would shrink it by its maps is corrupt, and the file stays as it was. */
TEST(an_auto_vacuum_file_that_ends_on_a_pointer_map_page_is_corrupt_to_commit) {
  make_db_with("PRAGMA page_size = 1024; PRAGMA auto_vacuum = 1; CREATE TABLE t(a INTEGER PRIMARY KEY, b);"
               "INSERT INTO t VALUES (1, zeroblob(2500)); DELETE FROM t;");
  FILE *f = fopen(path, "r+b");
  CHECK(f != NULL);
  if (!f) return;
  fseek(f, 0, SEEK_END);
  for (long n = 207 * 1024 - ftell(f); n > 0; n--) fputc('x', f);
  fclose(f);
  const unsigned char zero[4] = {0, 0, 0, 0};
  patch(28, zero, 4);
  CHECK_EQ_STR(open_and_query("BEGIN EXCLUSIVE; COMMIT"), "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(open_and_query("INSERT INTO t VALUES (5, 'x')"), "ERROR 11: database disk image is malformed");
  struct stat st;
  CHECK_EQ_INT(stat(path, &st), 0);
  CHECK_EQ_INT((int)st.st_size, 207 * 1024);
}

/* integrity_check words problems within a page as SQLite 3.53 does: a cell
** pointer outside the content area is "Offset N out of range A..B" (and the
** other cells are still checked); a page whose freeblocks do not add up is
** "free space corruption" and is not looked into further; a page that does
** not parse at all is "btreeInitPage() returns error code 11". */
TEST(integrity_check_names_bad_cell_offsets_and_free_space_as_sqlite_does) {
  make_db();
  const unsigned char far[2] = {0xff, 0xb1};
  patch(4096 + 8 + 2, far, 2);
  CHECK_EQ_STR(open_and_query("PRAGMA integrity_check"),
               "*** in database main ***\nTree 2 page 2 cell 1: Offset 65457 out of range 4084..4092\n");
  make_db();
  const unsigned char fb[2] = {0x0f, 0xff};
  patch(100 + 1, fb, 2);
  CHECK_EQ_STR(open_and_query("PRAGMA integrity_check"),
               "*** in database main ***\nTree 1 page 1: free space corruption\n");
  /* A root that does not parse is reported as any such page (and is not
  ** "never used" besides). */
  make_db();
  const unsigned char bad_type = 7;
  patch(4096, &bad_type, 1);
  CHECK_EQ_STR(open_and_query("PRAGMA integrity_check"),
               "*** in database main ***\nTree 2 page 2: btreeInitPage() returns error code 11\n");
}

/* The header's page count, stamped valid, names pages the file does not
** have: as SQLite does, the file opens and every statement reports it
** corrupt (work sized by that count, such as an auto-vacuum commit's walk
** of every page, is never started); a count of 0 means the file's size. */
TEST(a_header_page_count_past_the_end_of_the_file_is_corrupt) {
  make_db();
  const unsigned char huge[4] = {0xff, 0x55, 0xff, 0x28};
  patch(28, huge, 4);
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t"), "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(query(db, "VACUUM"), "ERROR 11: database disk image is malformed");
  lode_close(db);
  const unsigned char zero[4] = {0, 0, 0, 0};
  patch(28, zero, 4);
  CHECK_EQ_STR(open_and_query("SELECT count(*) FROM t; PRAGMA integrity_check"), "2\nok\n");
}

/* The same with integer fields that match as far as the entry goes (its
** rowid equals the key's second column): the seek's integer comparator runs
** out of the entry's fields on an equal prefix, which is not a match. */
TEST(an_integer_entry_shorter_than_its_definition_is_corrupt_to_a_full_lookup) {
  make_db_with("CREATE TABLE t1(a INTEGER PRIMARY KEY, b INTEGER, c INTEGER, d TEXT); CREATE INDEX i1 ON t1(c);"
               "INSERT INTO t1 VALUES (7, 7, 7, 'text value'); PRAGMA writable_schema = on;"
               "UPDATE sqlite_schema SET sql = 'CREATE INDEX i1 ON t1(c, b, d)' WHERE name = 'i1';");
  CHECK_EQ_STR(open_and_query("PRAGMA integrity_check"), "ERROR 11: database disk image is malformed");
  CHECK_EQ_STR(open_and_query("SELECT a FROM t1"), "7\n");
}

TEST(incremental_vacuum_without_a_largest_root_is_reported) {
  make_db();
  const unsigned char three[4] = {0, 0, 0, 3};
  patch(64, three, 4);
  CHECK_EQ_STR(open_and_query("PRAGMA integrity_check"),
               "*** in database main ***\nincremental_vacuum enabled with a max rootpage of zero\n");
}

/* An auto-vacuum file from sqlite3: its pointer-map pages are no tree's, so
** integrity_check must not call them unused; Lode's writes (overflowing
** rows, deletes, a new table and index, a drop that moves a root) keep the
** pointer maps as sqlite3 expects them, and FULL mode leaves no free page. */
TEST(auto_vacuum_files_from_sqlite3_are_written_with_their_pointer_maps) {
  if (!have_sqlite3()) return;
  char out[4096];
  for (int mode = 1; mode <= 2; mode++) {
    char sql[512];
    remove_db(path);
    snprintf(sql, sizeof sql,
             "PRAGMA auto_vacuum=%d; CREATE TABLE t(a INTEGER PRIMARY KEY, b); CREATE INDEX tb ON t(b);"
             "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000)"
             " INSERT INTO t SELECT i, printf('%%0100d', i) FROM c;",
             mode);
    CHECK_EQ_INT(sqlite3_cli(script_path, path, sql, out, sizeof out), 0);
    char want[32];
    snprintf(want, sizeof want, "%d\n3000\nok\n", mode);
    CHECK_EQ_STR(open_and_query("PRAGMA auto_vacuum; SELECT count(*) FROM t WHERE b > ''; PRAGMA integrity_check"),
                 want);
    CHECK_EQ_STR(open_and_query("CREATE TABLE z(q); INSERT INTO z VALUES (zeroblob(9000));"
                                "INSERT INTO t VALUES (5000, zeroblob(5000)); DELETE FROM t WHERE a % 3 = 0;"
                                "CREATE INDEX zq ON z(q); DROP TABLE z; INSERT INTO t VALUES (5001, 'x');"
                                "PRAGMA integrity_check"),
                 "ok\n");
    CHECK_EQ_INT(sqlite3_cli(script_path, path,
                             "PRAGMA integrity_check; SELECT count(*), sum(a) FROM t; SELECT count(*) FROM t WHERE b > '';"
                             " SELECT name, rootpage FROM sqlite_schema ORDER BY name;",
                             out, sizeof out),
                 0);
    CHECK_EQ_STR(out, "ok\n2002|3010001\n2002\nt|3\ntb|4\n");
    if (mode == 1) CHECK_EQ_STR(open_and_query("PRAGMA freelist_count"), "0\n");
    else CHECK(strcmp(open_and_query("PRAGMA freelist_count"), "0\n") != 0);
  }
}

int main(void) {
  snprintf(tmpdir, sizeof tmpdir, "/tmp/lode-test-hostile-%d", (int)getpid());
  snprintf(path, sizeof path, "%s/h.db", tmpdir);
  snprintf(script_path, sizeof script_path, "%s/script.sql", tmpdir);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "mkdir -p %s", tmpdir);
  if (system(cmd) != 0) return 1;
  RUN(payload_fractions_other_than_64_32_32_are_not_a_database);
  RUN(a_newer_schema_format_is_unsupported);
  RUN(utf16_databases_are_refused_not_misread);
  RUN(pragma_encoding_refuses_utf16_and_unknown_names);
  RUN(a_table_rooted_on_page_1_or_past_the_end_is_a_malformed_schema);
  RUN(a_record_header_that_does_not_fill_its_payload_is_corrupt);
  RUN(a_reserved_serial_type_is_corrupt_when_a_read_reaches_it);
  RUN(an_index_entry_whose_header_runs_past_it_is_corrupt_to_a_text_seek);
  RUN(a_cell_pointer_past_the_page_is_corrupt_to_a_rowid_read);
  RUN(an_overflow_chain_through_a_tree_page_is_corrupt_not_freed);
  RUN(a_freelist_that_names_a_page_twice_is_corrupt_when_it_is_reused);
  RUN(emptying_a_tree_that_shares_a_page_being_read_is_corrupt);
  RUN(a_child_page_without_cells_is_corrupt);
  RUN(copying_index_entries_longer_than_the_index_is_corrupt);
  RUN(an_index_entry_shorter_than_its_definition_is_corrupt_to_a_full_lookup);
  RUN(an_integer_entry_shorter_than_its_definition_is_corrupt_to_a_full_lookup);
  RUN(indexes_of_one_table_sharing_a_root_are_a_malformed_schema);
  RUN(an_index_without_its_schema_row_is_corrupt_to_use);
  RUN(an_autoincrement_insert_without_sqlite_sequence_is_corrupt);
  RUN(a_checkpoint_onto_a_database_file_cut_short_is_corrupt);
  RUN(an_auto_vacuum_file_that_ends_on_a_pointer_map_page_is_corrupt_to_commit);
  RUN(integrity_check_names_bad_cell_offsets_and_free_space_as_sqlite_does);
  RUN(a_header_page_count_past_the_end_of_the_file_is_corrupt);
  RUN(incremental_vacuum_without_a_largest_root_is_reported);
  RUN(auto_vacuum_files_from_sqlite3_are_written_with_their_pointer_maps);
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
  if (system(cmd) != 0) return 1;
  return test_summary();
}
