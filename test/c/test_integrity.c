/*
** test_integrity.c — PRAGMA integrity_check / quick_check on tables and
** their indexes, line for line against the sqlite3 3.40 CLI on the very same
** file.
**
** The damage is done by sqlite3 itself: its `.imposter` command makes an
** index b-tree writable as a WITHOUT ROWID table, so entries can be deleted,
** added or changed behind the table's back; `PRAGMA writable_schema` changes
** a definition after the fact (an index turned UNIQUE over duplicates, a
** column made NOT NULL over NULLs).  Every case first requires that sqlite3
** does see a problem, so a corruption step that silently did nothing cannot
** make a case pass.  Without the sqlite3 CLI the comparisons are skipped.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lode.h"
#include "testdb.h"
#include "testlib.h"

#define SQLITE3_CLI "/usr/bin/sqlite3"
#define OUT_MAX 16384

static void temp_path(char *buf, size_t n, const char *tag) {
  snprintf(buf, n, "/tmp/lode_test_integrity_%s_%d.db", tag, (int)getpid());
}

/* Runs script through the sqlite3 CLI on path; returns its exit status and
** what it printed (stdout and stderr) in out. */
static int sqlite3_run(const char *path, const char *script, char *out, size_t outn) {
  char in[300], cmd[800];
  snprintf(in, sizeof in, "%s.sql", path);
  FILE *f = fopen(in, "w");
  if (!f) return -1;
  fputs(script, f);
  fclose(f);
  snprintf(cmd, sizeof cmd, SQLITE3_CLI " -bail '%s' < '%s' 2>&1", path, in);
  FILE *p = popen(cmd, "r");
  if (!p) return -1;
  size_t n = fread(out, 1, outn - 1, p);
  out[n] = 0;
  int st = pclose(p);
  unlink(in);
  return st;
}

/* What Lode prints for sql on path, one line per row. */
static const char *lode_run(const char *path, const char *sql) {
  static char out[OUT_MAX];
  lode *db = NULL;
  if (lode_open(path, &db) != LODE_OK) {
    snprintf(out, sizeof out, "open failed");
    lode_close(db);
    return out;
  }
  snprintf(out, sizeof out, "%s", query(db, sql));
  lode_close(db);
  return out;
}

static const char *const checks[] = {
    "PRAGMA integrity_check;",    "PRAGMA quick_check;",        "PRAGMA integrity_check(1);",
    "PRAGMA integrity_check(2);", "PRAGMA integrity_check(3);", "PRAGMA quick_check(1);",
};

/* Builds a file with setup, damages it with each of the damage scripts
** (NULL-terminated) and compares every check's output with sqlite3's. */
static void compare_damaged(const char *tag, const char *setup, const char *const *damage) {
  char path[256], want[OUT_MAX];
  if (!have_sqlite3()) {
    printf("  (skipped: no %s)\n", SQLITE3_CLI);
    return;
  }
  temp_path(path, sizeof path, tag);
  remove_db(path);
  CHECK_EQ_INT(sqlite3_run(path, setup, want, sizeof want), 0);
  for (int i = 0; damage[i]; i++) {
    if (sqlite3_run(path, damage[i], want, sizeof want) != 0) TEST_FAIL_("damage step %d: %s", i, want);
  }
  CHECK_EQ_INT(sqlite3_run(path, "PRAGMA integrity_check;\nPRAGMA quick_check;\n", want, sizeof want), 0);
  if (strcmp(want, "ok\nok\n") == 0) TEST_FAIL_("%s: the damage left nothing for sqlite3 to find", tag);
  for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
    CHECK_EQ_INT(sqlite3_run(path, checks[i], want, sizeof want), 0);
    const char *got = lode_run(path, checks[i]);
    if (strcmp(got, want) != 0) TEST_FAIL_("%s: %s\n  sqlite3: %s\n  lode:    %s", tag, checks[i], want, got);
  }
  remove_db(path);
}

TEST(rows_missing_from_an_index) {
  static const char *const damage[] = {".imposter i imp\nDELETE FROM imp WHERE _ROWID_ IN (2, 4);\n", NULL};
  compare_damaged("missing",
                  "CREATE TABLE t(a, b); CREATE INDEX i ON t(a);\n"
                  "INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z'), (4, 'w'), (5, 'v');\n",
                  damage);
}

TEST(an_entry_too_many_in_a_desc_nocase_index) {
  static const char *const damage[] = {".imposter i imp\nINSERT INTO imp VALUES (9, 'q', 77);\n", NULL};
  compare_damaged("extra",
                  "CREATE TABLE t(a, b); CREATE INDEX i ON t(a DESC, b COLLATE NOCASE);\n"
                  "INSERT INTO t VALUES (1, 'x'), (2, 'Y'), (3, 'z');\n",
                  damage);
}

/* The row a partial index selects must be there; the entry for a row it
** does not select only shows in the count. */
TEST(partial_index_checked_for_the_rows_it_selects) {
  static const char *const damage[] = {
      ".imposter i imp\nDELETE FROM imp WHERE _ROWID_ = 3;\nINSERT INTO imp VALUES (1, 1);\n", NULL};
  compare_damaged("partial",
                  "CREATE TABLE t(a, b); CREATE INDEX i ON t(a) WHERE b > 1;\n"
                  "INSERT INTO t VALUES (1, 1), (2, 2), (3, 3), (4, NULL), (5, 5);\n",
                  damage);
}

TEST(expression_index_entry_with_a_wrong_value) {
  static const char *const damage[] = {".imposter i imp\nUPDATE imp SET expr1 = 'zz' WHERE _ROWID_ = 2;\n", NULL};
  compare_damaged("expr",
                  "CREATE TABLE t(a, b); CREATE INDEX i ON t(lower(b), a + 1);\n"
                  "INSERT INTO t VALUES (1, 'AB'), (2, 'Cd'), (3, NULL);\n",
                  damage);
}

/* A WITHOUT ROWID table is scanned through its PRIMARY KEY; its indexes'
** entries end with the key's columns (here DESC and NOCASE). */
TEST(without_rowid_index_entries_missing_and_wrong) {
  static const char *const damage[] = {".imposter i imp\nDELETE FROM imp WHERE b = 2;\n"
                                       "UPDATE imp SET k = 'q' WHERE b = 4;\n",
                                       NULL};
  compare_damaged("without_rowid",
                  "CREATE TABLE w(k TEXT COLLATE NOCASE, n INT, b, PRIMARY KEY(k, n DESC)) WITHOUT ROWID;"
                  " CREATE INDEX i ON w(b);\n"
                  "INSERT INTO w VALUES ('a', 1, 1), ('A', 2, 2), ('b', 1, 3), ('c', 5, 4), ('d', 1, NULL);\n",
                  damage);
}

/* One entry gone and a stray one in its place: the count is right, the
** keys are not. */
TEST(an_entry_replaced_by_a_stray_one) {
  static const char *const damage[] = {
      ".imposter i imp\nDELETE FROM imp WHERE _ROWID_ = 2;\nINSERT INTO imp VALUES (7, 9);\n", NULL};
  compare_damaged("stray",
                  "CREATE TABLE t(a, b); CREATE INDEX i ON t(a);\n"
                  "INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z');\n",
                  damage);
}

TEST(an_entry_too_many_in_a_without_rowid_index) {
  static const char *const damage[] = {".imposter i imp\nINSERT INTO imp VALUES (0, 'zz', 9);\n", NULL};
  compare_damaged("wr_extra",
                  "CREATE TABLE w(k TEXT, n INT, b, PRIMARY KEY(k, n)) WITHOUT ROWID; CREATE INDEX i ON w(b);\n"
                  "INSERT INTO w VALUES ('a', 1, 1), ('b', 2, 2), ('c', 3, 3);\n",
                  damage);
}

/* A row's column problems and its missing entries come out row by row, as
** the lookups find them, also when the index could be verified in one pass. */
TEST(column_problems_and_missing_entries_interleave) {
  static const char *const damage[] = {
      ".imposter i imp\nDELETE FROM imp WHERE _ROWID_ IN (1, 4);\n",
      "PRAGMA writable_schema = ON;\n"
      "UPDATE sqlite_schema SET sql = 'CREATE TABLE t(a NOT NULL, b, CHECK(b < 5))' WHERE name = 't';\n",
      NULL};
  compare_damaged("interleave",
                  "CREATE TABLE t(a, b); CREATE INDEX i ON t(b);\n"
                  "INSERT INTO t VALUES (1, 1), (NULL, 2), (3, 3), (NULL, 4), (5, 7);\n",
                  damage);
}

/* Three equal keys give two reports; keys with a NULL never conflict. */
TEST(duplicates_in_a_unique_index) {
  static const char *const damage[] = {
      "PRAGMA writable_schema = ON;\n"
      "UPDATE sqlite_schema SET sql = 'CREATE UNIQUE INDEX u ON t(a, b)' WHERE name = 'u';\n",
      NULL};
  compare_damaged("unique",
                  "CREATE TABLE t(a, b); CREATE INDEX u ON t(a, b);\n"
                  "INSERT INTO t VALUES (1, 1), (1, 1), (1, 1), (2, NULL), (2, NULL), (3, 3);\n",
                  damage);
}

/* One problem per row: sqlite3 3.40 misreports later columns of a row in
** which an earlier column already failed, so rows with several problems
** would compare against that. */
TEST(not_null_types_and_checks) {
  static const char *const damage[] = {
      "PRAGMA writable_schema = ON;\n"
      "UPDATE sqlite_schema SET sql = 'CREATE TABLE t(a INT NOT NULL, c INTEGER, b TEXT NOT NULL, d REAL, e, "
      "CHECK(a < 3), CHECK(b <> 2))' WHERE name = 't';\n",
      NULL};
  compare_damaged("notnull",
                  "CREATE TABLE t(a, c, b, d, e);\n"
                  "INSERT INTO t VALUES (NULL, 1, 'a', 1.0, 0), (1, '1', 'a', 1.0, 0), (1, 1, NULL, 1.0, 0),"
                  " (1, 1, 5, 1.0, 0), (1, 1, 'a', '2.5', 0), (5, 1, 'a', 1.0, 0), (1, 1, 'a', 1.0, 0);\n",
                  damage);
}

TEST(strict_column_types) {
  static const char *const damage[] = {
      "PRAGMA writable_schema = ON;\n"
      "UPDATE sqlite_schema SET sql = 'CREATE TABLE t(a INT NOT NULL, b TEXT, c REAL, d ANY, e BLOB) STRICT' "
      "WHERE name = 't';\n",
      NULL};
  compare_damaged("strict",
                  "CREATE TABLE t(a, b, c, d, e);\n"
                  "INSERT INTO t VALUES (1, '1', 2.5, x'01', x'02'), (NULL, 2, 'x', 3, 'b'), ('a', NULL, 3, 't', 4);\n",
                  damage);
}

/* Tables come newest first, indexes in each table's index order. */
TEST(several_tables_and_their_indexes) {
  static const char *const damage[] = {
      ".imposter i1 imp1\nDELETE FROM imp1;\n",
      ".imposter sqlite_autoindex_t2_2 imp2\nDELETE FROM imp2 WHERE c = 4;\n",
      ".imposter i3 imp3\nDELETE FROM imp3 WHERE x = 7;\n",
      NULL,
  };
  compare_damaged("multi",
                  "CREATE TABLE t1(a); CREATE INDEX i1 ON t1(a);\n"
                  "CREATE TABLE t2(b UNIQUE, c PRIMARY KEY);\n"
                  "CREATE TABLE t3(x INTEGER PRIMARY KEY, y); CREATE INDEX i3 ON t3(y, x);\n"
                  "INSERT INTO t1 VALUES (1), (2); INSERT INTO t2 VALUES (1, 2), (3, 4);\n"
                  "INSERT INTO t3 VALUES (5, 6), (7, 8);\n",
                  damage);
}

TEST(one_table_named) {
  char path[256], want[OUT_MAX];
  static const char *const named[] = {"PRAGMA integrity_check(t2);", "PRAGMA integrity_check(t1);",
                                      "PRAGMA quick_check(t2);"};
  if (!have_sqlite3()) return;
  temp_path(path, sizeof path, "named");
  remove_db(path);
  CHECK_EQ_INT(sqlite3_run(path,
                           "CREATE TABLE t1(a); CREATE INDEX i1 ON t1(a); INSERT INTO t1 VALUES (1);\n"
                           "CREATE TABLE t2(b); CREATE INDEX i2 ON t2(b); INSERT INTO t2 VALUES (1), (2);\n"
                           ".imposter i2 imp\nDELETE FROM imp;\n",
                           want, sizeof want),
               0);
  for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
    CHECK_EQ_INT(sqlite3_run(path, named[i], want, sizeof want), 0);
    CHECK_EQ_STR(lode_run(path, named[i]), want);
  }
  CHECK_EQ_STR(lode_run(path, "PRAGMA integrity_check(t2)"),
               "row 1 missing from index i2\nrow 2 missing from index i2\nwrong # of entries in index i2\n");
  remove_db(path);
}

/* A file Lode wrote, with every kind of index, is sound to both engines. */
TEST(healthy_indexes_are_ok) {
  char path[256], out[OUT_MAX];
  lode *db = NULL;
  temp_path(path, sizeof path, "healthy");
  remove_db(path);
  CHECK(lode_open(path, &db) == LODE_OK);
  CHECK_EQ_STR(query(db,
                     "CREATE TABLE t(id INTEGER PRIMARY KEY, a NOT NULL, b TEXT UNIQUE, c REAL, d, "
                     "CHECK(a <> 'never'));"
                     "CREATE INDEX t_a ON t(a);"
                     "CREATE INDEX t_part ON t(c) WHERE c > 1;"
                     "CREATE INDEX t_expr ON t(lower(b), a + c);"
                     "CREATE INDEX t_desc ON t(c DESC, a);"
                     "CREATE INDEX t_nocase ON t(b COLLATE NOCASE, d);"
                     "CREATE UNIQUE INDEX t_uniq ON t(d, id);"
                     "CREATE TABLE u(k TEXT PRIMARY KEY, v INT UNIQUE, w ANY) STRICT;"
                     "CREATE TABLE wr(k TEXT COLLATE NOCASE, n, v UNIQUE, PRIMARY KEY(k, n DESC)) WITHOUT ROWID;"
                     "CREATE INDEX wr_v ON wr(v DESC, k);"),
               "");
  CHECK_EQ_STR(query(db,
                     "INSERT INTO t(a, b, c, d) VALUES (1, 'x', 1.5, NULL), ('1', 'X', 2, NULL), (1.0, NULL, NULL, 1),"
                     " (x'01', 'abc', 3, 'd'), (2, 'ABC', 0.5, 'D'), (3, NULL, 2, NULL);"
                     "UPDATE t SET c = c + 1 WHERE a = 1;"
                     "DELETE FROM t WHERE id = 5;"
                     "INSERT OR REPLACE INTO t(id, a, b) VALUES (1, 9, 'x');"
                     "INSERT INTO u VALUES ('1', 1, 1), ('2', 2, 'x'), ('3', NULL, 3), ('4', NULL, 4);"
                     "INSERT INTO wr VALUES ('a', 1, 1), ('A', 2, 2), ('b', 1, NULL), ('c', 1, NULL);"
                     "UPDATE wr SET k = upper(k), v = v + 10;"
                     "INSERT OR REPLACE INTO wr VALUES ('B', 1, 11);"
                     "DELETE FROM wr WHERE k = 'c';"),
               "");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check; PRAGMA quick_check; PRAGMA integrity_check(t)"), "ok\nok\nok\n");
  lode_close(db);
  if (have_sqlite3()) {
    CHECK_EQ_INT(sqlite3_run(path, "PRAGMA integrity_check;\n", out, sizeof out), 0);
    CHECK_EQ_STR(out, "ok\n");
  }
  remove_db(path);
}

/* And a file sqlite3 wrote is ok to Lode. */
TEST(sqlite3_written_indexes_are_ok) {
  char path[256], out[OUT_MAX];
  if (!have_sqlite3()) return;
  temp_path(path, sizeof path, "sqlite");
  remove_db(path);
  CHECK_EQ_INT(sqlite3_run(path,
                           "CREATE TABLE t(a NOT NULL, b TEXT UNIQUE, c REAL);"
                           "CREATE INDEX i1 ON t(lower(b)) WHERE c > 0;"
                           "CREATE INDEX i2 ON t(b COLLATE NOCASE DESC, a);"
                           "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)"
                           " INSERT INTO t SELECT i % 7, 'k' || i, i % 5 - 2 FROM n;"
                           "INSERT INTO t VALUES (1, NULL, NULL), (2, NULL, 1);\n",
                           out, sizeof out),
               0);
  CHECK_EQ_STR(lode_run(path, "PRAGMA integrity_check; PRAGMA quick_check"), "ok\nok\n");
  remove_db(path);
}

/* Writes n bytes at offset off of the file. */
static int patch_file(const char *path, long off, const void *bytes, size_t n) {
  FILE *f = fopen(path, "r+b");
  if (!f) return -1;
  int ok = fseek(f, off, SEEK_SET) == 0 && fwrite(bytes, 1, n, f) == n;
  return fclose(f) == 0 && ok ? 0 : -1;
}

/* Page-level damage the byte layout check finds: a cell grown into its
** neighbour (bytes used twice) and a fragment count that disagrees with
** the unused bytes; both reported as sqlite3 reports them. */
TEST(overlapping_cells_and_fragment_count) {
  char path[256], want[OUT_MAX];
  if (!have_sqlite3()) return;
  temp_path(path, sizeof path, "layout");
  for (int damage = 0; damage < 2; damage++) {
    remove_db(path);
    CHECK_EQ_INT(sqlite3_run(path,
                             "PRAGMA page_size = 1024; PRAGMA journal_mode = DELETE;"
                             "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);"
                             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8)"
                             " INSERT INTO t SELECT i, printf('%020d', i) FROM n;\n",
                             want, sizeof want),
                 0);
    /* Page 2 is t's only (leaf) page: header at 1024, pointers from 1032. */
    if (damage == 0) {
      /* Cell 5 sits just below cell 4: a payload size 4 bytes longer runs into it. */
      unsigned char ptr[2], size;
      FILE *f = fopen(path, "rb");
      CHECK(f != NULL);
      CHECK_EQ_INT(fseek(f, 1024 + 8 + 2 * 5, SEEK_SET), 0);
      CHECK_EQ_INT((int)fread(ptr, 1, 2, f), 2);
      long cell = 1024 + (ptr[0] << 8 | ptr[1]);
      CHECK_EQ_INT(fseek(f, cell, SEEK_SET), 0);
      CHECK_EQ_INT((int)fread(&size, 1, 1, f), 1);
      fclose(f);
      size = (unsigned char)(size + 4);
      CHECK_EQ_INT(patch_file(path, cell, &size, 1), 0);
    } else {
      unsigned char frags = 9;
      CHECK_EQ_INT(patch_file(path, 1024 + 7, &frags, 1), 0);
    }
    sqlite3_run(path, "PRAGMA integrity_check;\n", want, sizeof want);
    /* The CLI goes on to report the malformed image on stderr; the rows are what count. */
    char *tail = strstr(want, "database disk image is malformed");
    if (tail) *tail = 0;
    if (strcmp(want, "ok\n") == 0) TEST_FAIL_("damage %d: sqlite3 found nothing", damage);
    const char *got = lode_run(path, "PRAGMA integrity_check;");
    if (strcmp(got, want) != 0) TEST_FAIL_("damage %d\n  sqlite3: %s\n  lode:    %s", damage, want, got);
  }
  remove_db(path);
}

/* Two entries that trade keys: the index holds the very keys its rows call
** for, only not in order, and the per-row lookups report what they miss.  Page 3 (4096 bytes, at offset 8192) is the
** index's only page; the entry (a, rowid) = (k, k) is the cell
** 05 03 01 01 k k. */
TEST(entries_that_trade_places) {
  char path[256], want[OUT_MAX];
  static unsigned char page[4096];
  if (!have_sqlite3()) return;
  temp_path(path, sizeof path, "order");
  remove_db(path);
  CHECK_EQ_INT(sqlite3_run(path,
                           "PRAGMA page_size = 4096; PRAGMA journal_mode = DELETE;"
                           "CREATE TABLE t(a, b); CREATE INDEX i ON t(a);"
                           "INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z'), (4, 'w'), (5, 'v');\n"
                           "SELECT rootpage FROM sqlite_schema WHERE name = 'i';\n",
                           want, sizeof want),
               0);
  CHECK_EQ_STR(want, "delete\n3\n");
  FILE *f = fopen(path, "rb");
  CHECK(f != NULL);
  CHECK_EQ_INT(fseek(f, 8192, SEEK_SET), 0);
  CHECK_EQ_INT((int)fread(page, 1, sizeof page, f), 4096);
  fclose(f);
  CHECK_EQ_INT(page[0], 10); /* an index leaf */
  long at[6] = {0};
  for (int c = 0; c < (page[3] << 8 | page[4]); c++) {
    long off = page[8 + 2 * c] << 8 | page[9 + 2 * c];
    static const unsigned char head[] = {5, 3, 1, 1};
    if (memcmp(page + off, head, 4) == 0 && page[off + 4] == page[off + 5] && page[off + 4] < 6)
      at[page[off + 4]] = off;
  }
  CHECK(at[2] > 0 && at[4] > 0);
  static const unsigned char two[] = {2, 2}, four[] = {4, 4};
  CHECK_EQ_INT(patch_file(path, 8192 + at[2] + 4, four, 2), 0);
  CHECK_EQ_INT(patch_file(path, 8192 + at[4] + 4, two, 2), 0);
  CHECK_EQ_INT(sqlite3_run(path, "SELECT a FROM t INDEXED BY i WHERE a > 0;\n", want, sizeof want), 0);
  CHECK_EQ_STR(want, "1\n4\n3\n2\n5\n");
  CHECK_EQ_INT(sqlite3_run(path, "PRAGMA integrity_check;\n", want, sizeof want), 0);
  CHECK_EQ_STR(want, "row 2 missing from index i\nrow 4 missing from index i\n");
  /* Which rows a lookup misses in an index out of order depends on the
  ** cells its binary search probes, which are not sqlite3's. */
  CHECK_EQ_STR(lode_run(path, "PRAGMA integrity_check;"),
               "row 2 missing from index i\nrow 3 missing from index i\nrow 4 missing from index i\n");
  CHECK_EQ_STR(lode_run(path, "PRAGMA integrity_check(1);"), "row 2 missing from index i\n");
  CHECK_EQ_STR(lode_run(path, "PRAGMA quick_check;"), "ok\n");
  remove_db(path);
}

static int count_step(void *arg) {
  ++*(long *)arg;
  return 0;
}

/* VM ops the integrity check of path runs. */
static long check_steps(const char *path) {
  lode *db = NULL;
  long n = 0;
  if (lode_open(path, &db) != LODE_OK) return -1;
  lode_progress_handler(db, 1, count_step, &n);
  const char *got = query(db, "PRAGMA integrity_check");
  lode_progress_handler(db, 0, NULL, NULL);
  lode_close(db);
  return strcmp(got, "ok\n") == 0 ? n : -n;
}

/* A sound index (here sqlite3's, with integral REALs stored as integers, a
** -0.0, texts long enough to need an overflow page, NULLs in a UNIQUE
** column) is verified in one pass of its own, not with a lookup per row:
** the same check over the same table with one entry gone takes the per-row
** lookups, more than one op more per row. */
TEST(a_sound_index_needs_no_lookup_per_row) {
  char path[256], out[OUT_MAX];
  if (!have_sqlite3()) return;
  temp_path(path, sizeof path, "onepass");
  remove_db(path);
  CHECK_EQ_INT(sqlite3_run(path,
                           "CREATE TABLE r(x REAL, y TEXT, u UNIQUE);"
                           "CREATE INDEX rx ON r(x, y); CREATE INDEX ry ON r(y DESC);"
                           "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)"
                           " INSERT INTO r SELECT i % 9 - 4, CASE WHEN i % 50 = 0 THEN printf('%.6000d', i)"
                           " ELSE 'k' || (i % 13) END, CASE WHEN i % 3 THEN i END FROM n;"
                           "INSERT INTO r VALUES (-0.0, 'z', NULL), (2.5, NULL, NULL);\n",
                           out, sizeof out),
               0);
  long sound = check_steps(path);
  CHECK(sound > 0);
  CHECK_EQ_INT(sqlite3_run(path, ".imposter rx imp\nDELETE FROM imp WHERE _ROWID_ = 7;\n", out, sizeof out), 0);
  CHECK_EQ_INT(sqlite3_run(path, "PRAGMA integrity_check;\n", out, sizeof out), 0);
  CHECK(strcmp(out, "ok\n") != 0);
  CHECK_EQ_STR(lode_run(path, "PRAGMA integrity_check;"), out);
  long damaged = check_steps(path);
  CHECK(damaged < 0);
  if (-damaged - sound <= 402) TEST_FAIL_("steps: sound %ld, damaged %ld", sound, -damaged);
  remove_db(path);
}

int main(void) {
  RUN(rows_missing_from_an_index);
  RUN(an_entry_too_many_in_a_desc_nocase_index);
  RUN(partial_index_checked_for_the_rows_it_selects);
  RUN(without_rowid_index_entries_missing_and_wrong);
  RUN(expression_index_entry_with_a_wrong_value);
  RUN(an_entry_replaced_by_a_stray_one);
  RUN(an_entry_too_many_in_a_without_rowid_index);
  RUN(entries_that_trade_places);
  RUN(a_sound_index_needs_no_lookup_per_row);
  RUN(column_problems_and_missing_entries_interleave);
  RUN(duplicates_in_a_unique_index);
  RUN(not_null_types_and_checks);
  RUN(strict_column_types);
  RUN(several_tables_and_their_indexes);
  RUN(one_table_named);
  RUN(healthy_indexes_are_ok);
  RUN(sqlite3_written_indexes_are_ok);
  RUN(overlapping_cells_and_fragment_count);
  return test_summary();
}
