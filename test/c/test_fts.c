/*
** test_fts.c — full-text search: the tokenizers, the query parser, BM25,
** and the fts index method through SQL (built from existing rows, kept on
** every change, rolled back, used by the planner, consistent after reopen).
*/
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ext/fts/fts.h"
#include "idxmethod/idxmethod.h"
#include "lode.h"
#include "testdb.h"
#include "testlib.h"

typedef struct Out {
  char buf[1024];
  int n;
} Out;

/* Tokens as "text@pos" joined by spaces. */
static int add_token(void *ctx, const char *tok, int n, int pos, int start, int end) {
  Out *o = ctx;
  (void)start, (void)end;
  o->n += snprintf(o->buf + o->n, sizeof o->buf - (size_t)o->n, "%s%.*s@%d", o->n ? " " : "", n, tok, pos);
  return 0;
}

static const char *tokens(int kind, const char *z) {
  static Out o;
  o.n = 0;
  o.buf[0] = 0;
  fts_tokenize(kind, z, (int)strlen(z), add_token, &o);
  return o.buf;
}

TEST(default_tokenizer_splits_on_punctuation_lowercases_and_drops_long_tokens) {
  CHECK_EQ_STR(tokens(FTS_TOK_DEFAULT, "Hello, World-wide user-123!"), "hello@0 world@1 wide@2 user@3 123@4");
  CHECK_EQ_STR(tokens(FTS_TOK_DEFAULT, "École Привет ΑΒΓ 東京タワー"), "école@0 привет@1 αβγ@2 東京タワー@3");
  /* 39 bytes stay, 40 go. */
  CHECK_EQ_STR(tokens(FTS_TOK_DEFAULT, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb c"),
               "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@0 c@1");
  CHECK_EQ_STR(tokens(FTS_TOK_DEFAULT, "  ,;  "), "");
}

/* Words of ASCII letters and digits take a one-pass path; a word a non-ASCII byte follows must still be one
** token with what comes after it, and one a non-ASCII separator ends must still end there. */
TEST(default_tokenizer_ascii_words_meet_unicode_and_long_runs) {
  CHECK_EQ_STR(tokens(FTS_TOK_DEFAULT, "CAFÉ Mixed9Z ÜBER3x naïve"), "café@0 mixed9z@1 über3x@2 naïve@3");
  CHECK_EQ_STR(tokens(FTS_TOK_DEFAULT, "ABC\xc2\xa0" "Def\xc2\xab" "GHI\xc2\xbb jk"), "abc@0 def@1 ghi@2 jk@3");
  CHECK_EQ_STR(tokens(FTS_TOK_DEFAULT, "Tail99"), "tail99@0");
  CHECK_EQ_STR(tokens(FTS_TOK_SIMPLE, "CAFÉ Mixed9Z end"), "CAFÉ@0 Mixed9Z@1 end@2");
  /* past the token buffer's first size (256 bytes): the general path grows it */
  char w[301], want[320];
  memset(w, 'Q', 300);
  w[300] = 0;
  snprintf(want, sizeof want, "%s@0", w);
  CHECK_EQ_STR(tokens(FTS_TOK_SIMPLE, w), want);
  CHECK_EQ_STR(tokens(FTS_TOK_DEFAULT, w), "");
}

TEST(other_tokenizers_keep_case_whitespace_raw_and_ngrams) {
  CHECK_EQ_STR(tokens(FTS_TOK_SIMPLE, "Hello, World-wide"), "Hello@0 World@1 wide@2");
  CHECK_EQ_STR(tokens(FTS_TOK_WHITESPACE, "Hello, World-wide"), "Hello,@0 World-wide@1");
  CHECK_EQ_STR(tokens(FTS_TOK_RAW, "Hello, World"), "Hello, World@0");
  CHECK_EQ_STR(tokens(FTS_TOK_NGRAM, "Héllo"), "Hé@0 Hél@0 él@1 éll@1 ll@2 llo@2 lo@3");
  CHECK_EQ_INT(fts_tokenizer_by_name("NGRAM"), FTS_TOK_NGRAM);
  CHECK_EQ_INT(fts_tokenizer_by_name("porter"), -1);
}

/* The query tree as text: T(term) P"phrase"~slop X(prefix) *, B[+a -b c], ^boost, field:... */
static void show(const FtsQuery *q, Out *o) {
  if (q->field >= 0) o->n += snprintf(o->buf + o->n, sizeof o->buf - (size_t)o->n, "f%d:", q->field);
  switch (q->kind) {
  case FTS_Q_TERM: o->n += snprintf(o->buf + o->n, sizeof o->buf - (size_t)o->n, "T(%s)", q->text); break;
  case FTS_Q_PREFIX: o->n += snprintf(o->buf + o->n, sizeof o->buf - (size_t)o->n, "X(%s)", q->text); break;
  case FTS_Q_PHRASE: o->n += snprintf(o->buf + o->n, sizeof o->buf - (size_t)o->n, "P\"%s\"~%d", q->text, q->slop); break;
  case FTS_Q_ALL: o->n += snprintf(o->buf + o->n, sizeof o->buf - (size_t)o->n, "*"); break;
  default:
    o->n += snprintf(o->buf + o->n, sizeof o->buf - (size_t)o->n, "B[");
    for (int i = 0; i < q->nchild; i++) {
      static const char *const occ[] = {"", "+", "-"};
      o->n += snprintf(o->buf + o->n, sizeof o->buf - (size_t)o->n, "%s%s", i ? " " : "", occ[q->occur[i]]);
      show(q->child[i], o);
    }
    o->n += snprintf(o->buf + o->n, sizeof o->buf - (size_t)o->n, "]");
  }
  if (q->boost != 1.0) o->n += snprintf(o->buf + o->n, sizeof o->buf - (size_t)o->n, "^%g", q->boost);
}

static const char *parsed(const char *z) {
  static Out o;
  static const char *const fields[] = {"title", "body"};
  FtsQuery *q = NULL;
  char *err = NULL;
  o.n = 0;
  o.buf[0] = 0;
  if (fts_query_parse(z, (int)strlen(z), 2, fields, &q, &err) != LODE_OK) {
    snprintf(o.buf, sizeof o.buf, "error: %s", err ? err : "?");
    free(err);
    return o.buf;
  }
  show(q, &o);
  fts_query_free(q);
  return o.buf;
}

TEST(query_parser_reads_tantivys_syntax) {
  CHECK_EQ_STR(parsed("database"), "T(database)");
  CHECK_EQ_STR(parsed("database search"), "B[T(database) T(search)]");
  CHECK_EQ_STR(parsed("a AND b OR c"), "B[B[+T(a) +T(b)] T(c)]");
  CHECK_EQ_STR(parsed("c OR a AND b"), "B[T(c) B[+T(a) +T(b)]]");
  CHECK_EQ_STR(parsed("database NOT nosql"), "B[T(database) -T(nosql)]");
  CHECK_EQ_STR(parsed("+quick -fox dog"), "B[+T(quick) -T(fox) T(dog)]");
  CHECK_EQ_STR(parsed("\"full text search\"~2^3"), "P\"full text search\"~2^3");
  CHECK_EQ_STR(parsed("optim*"), "X(optim)");
  CHECK_EQ_STR(parsed("Title:rust body:\"a b\""), "B[f0:T(rust) f1:P\"a b\"~0]");
  CHECK_EQ_STR(parsed("title:(a b)^2"), "B[f0:T(a) f0:T(b)]^2");
  CHECK_EQ_STR(parsed("(a OR b) AND NOT c"), "B[+B[T(a) T(b)] -T(c)]");
  CHECK_EQ_STR(parsed("*"), "*");
}

TEST(query_parser_rejects_malformed_queries) {
  CHECK(strstr(parsed("database AND"), "syntax error"));
  CHECK(strstr(parsed("quick OR"), "syntax error"));
  CHECK(strstr(parsed("(a b"), "syntax error"));
  CHECK(strstr(parsed("\"open"), "syntax error"));
  CHECK(strstr(parsed("a^"), "syntax error"));
  CHECK(strstr(parsed(""), "syntax error"));
  CHECK(strstr(parsed("foo:bar"), "no such column in the index: 'foo'"));
  CHECK(strstr(parsed("NOT a"), "only excluding terms"));
  CHECK(strstr(parsed("-a -b"), "only excluding terms"));
  char deep[400];
  memset(deep, '(', 300);
  strcpy(deep + 300, "a");
  CHECK(strstr(parsed(deep), "error"));
}

TEST(bm25_follows_the_formula) {
  /* idf = ln(1 + (N - n + 0.5) / (n + 0.5)); tf part = tf (k1 + 1) / (tf + k1 (1 - b + b len / avg)). */
  double idf = fts_idf(4, 1);
  CHECK(fabs(idf - log(1 + 3.5 / 1.5)) < 1e-12);
  CHECK(fabs(fts_bm25(idf, 1, 3, 3.75) - idf * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 3 / 3.75))) < 1e-12);
  /* More occurrences score higher, a longer field lower. */
  CHECK(fts_bm25(idf, 2, 3, 3.75) > fts_bm25(idf, 1, 3, 3.75));
  CHECK(fts_bm25(idf, 1, 10, 3.75) < fts_bm25(idf, 1, 3, 3.75));
  CHECK(fts_idf(100, 1) > fts_idf(100, 50));
}

static lode *open_articles(const char *path) {
  lode *db = NULL;
  if (lode_open(path, &db) != LODE_OK) return NULL;
  query(db, "CREATE TABLE articles(id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT, author TEXT);"
            "INSERT INTO articles VALUES (1, 'Introduction to Databases', "
            "'Databases store and organize data for efficient retrieval.', 'Alice'),"
            "(2, 'Full-Text Search in Practice', 'Full-text search allows finding documents by content.', 'Bob'),"
            "(3, 'Database Performance Tuning', 'Optimizing database queries requires understanding indexes.', 'Alice'),"
            "(4, 'Getting Started with Rust', 'Rust is a systems programming language focused on safety.', 'Carol');");
  return db;
}

TEST(fts_index_answers_the_manuals_queries_with_turso_scores) {
  lode *db = open_articles(":memory:");
  CHECK(db != NULL);
  /* Built from the rows already there. */
  CHECK_EQ_STR(query(db, "CREATE INDEX idx_articles_fts ON articles USING fts (title, body) "
                         "WITH (weights = 'title=2.0,body=1.0')"),
               "");
  CHECK_EQ_STR(query(db, "SELECT id, title FROM articles WHERE fts_match(title, body, 'database')"),
               "3|Database Performance Tuning\n");
  CHECK(strstr(query(db, "EXPLAIN QUERY PLAN SELECT id FROM articles WHERE fts_match(title, body, 'database')"),
               "QUERY INDEX METHOD fts"));
  /* Turso 0.7.2 gives 3.9490249156951904 (its float32 arithmetic). */
  double score = atof(query(db, "SELECT fts_score(title, body, 'database') AS score FROM articles "
                                "WHERE fts_match(title, body, 'database') ORDER BY score DESC LIMIT 10"));
  CHECK(fabs(score - 3.9490249) < 1e-5);
  CHECK_EQ_STR(query(db, "SELECT fts_highlight(title, '<b>', '</b>', 'database') FROM articles "
                         "WHERE fts_match(title, body, 'database')"),
               "<b>Database</b> Performance Tuning\n");
  CHECK_EQ_STR(query(db, "SELECT id, author FROM articles WHERE fts_match(title, body, 'database OR rust') "
                         "AND author = 'Alice'"),
               "3|Alice\n");
  CHECK_EQ_STR(query(db, "SELECT id FROM articles WHERE fts_match(title, body, '\"full text search\"')"), "2\n");
  CHECK_EQ_STR(query(db, "SELECT id FROM articles WHERE fts_match(title, body, 'data*')"), "1\n3\n");
  CHECK_EQ_STR(query(db, "SELECT id FROM articles WHERE fts_match(title, body, 'title:rust')"), "4\n");
  CHECK_EQ_STR(query(db, "SELECT id FROM articles WHERE fts_match(title, body, 'database NOT tuning')"), "");
  CHECK(strstr(query(db, "SELECT id FROM articles WHERE fts_match(title, body, 'foo:bar')"), "no such column"));
  /* Ranked: the best rows first, through the index (the title's weight puts 3 ahead). */
  CHECK_EQ_STR(query(db, "SELECT id FROM articles ORDER BY fts_score(title, body, 'rust OR database OR search') DESC "
                         "LIMIT 2"),
               "3\n4\n");
  CHECK(strstr(query(db, "EXPLAIN QUERY PLAN SELECT id FROM articles "
                         "ORDER BY fts_score(title, body, 'rust') DESC LIMIT 2"),
               "QUERY INDEX METHOD fts"));
  /* A WHERE term the method does not answer, with a LIMIT: not through the index. */
  CHECK(!strstr(query(db, "EXPLAIN QUERY PLAN SELECT id FROM articles WHERE id > 1 "
                          "ORDER BY fts_score(title, body, 'rust') DESC LIMIT 2"),
                "INDEX METHOD"));
  CHECK(!strstr(query(db, "EXPLAIN QUERY PLAN SELECT id FROM articles WHERE fts_match(title, body, 'rust') OR id = 1"),
                "INDEX METHOD"));
  lode_close(db);
}

/* A query that reads only the rowid (and what the index computes) takes
** the index's rowids without positioning the table cursor; anything else
** it reads of the row keeps the seek.  Both give the same rows. */
TEST(fts_rowid_only_queries_skip_the_table_seek) {
  lode *db = open_articles(":memory:");
  CHECK(db != NULL);
  CHECK_EQ_STR(query(db, "CREATE INDEX a_fts ON articles USING fts (title, body)"), "");
  const char *only = "SELECT id, rowid, id * 2 FROM articles WHERE fts_match(title, body, 'database OR rust')";
  CHECK_EQ_STR(query(db, only), "3|3|6\n4|4|8\n");
  CHECK(!strstr(query(db, "EXPLAIN SELECT id, rowid, id * 2 FROM articles WHERE fts_match(title, body, 'rust')"),
                "SeekRowid"));
  CHECK(strstr(query(db, "EXPLAIN SELECT id, author FROM articles WHERE fts_match(title, body, 'rust')"),
               "SeekRowid"));
  CHECK(strstr(query(db, "EXPLAIN SELECT * FROM articles WHERE fts_match(title, body, 'rust')"), "SeekRowid"));
  /* The score comes from the index: still no seek, same order as with one. */
  CHECK(!strstr(query(db, "EXPLAIN SELECT id, fts_score(title, body, 'database') AS s FROM articles "
                          "WHERE fts_match(title, body, 'database') ORDER BY s DESC LIMIT 2"),
                "SeekRowid"));
  CHECK_EQ_STR(query(db, "SELECT id FROM articles WHERE fts_match(title, body, 'databases OR database OR rust') "
                         "ORDER BY fts_score(title, body, 'databases OR database OR rust') DESC LIMIT 3"),
               query(db, "SELECT id FROM (SELECT id, title, fts_score(title, body, 'databases OR database OR rust') "
                         "AS s FROM articles WHERE fts_match(title, body, 'databases OR database OR rust')) "
                         "ORDER BY s DESC LIMIT 3"));
  /* Terms left to check that read the row, or a subquery, keep it. */
  CHECK_EQ_STR(query(db, "SELECT id FROM articles WHERE fts_match(title, body, 'database OR rust') AND author = 'Carol'"),
               "4\n");
  CHECK_EQ_STR(query(db, "SELECT id FROM articles WHERE fts_match(title, body, 'database OR rust') "
                         "AND id IN (SELECT 3 UNION SELECT 1)"),
               "3\n");
  /* The rows a transaction deleted are gone from the index as from the table. */
  CHECK_EQ_STR(query(db, "BEGIN; DELETE FROM articles WHERE id = 3; SELECT id FROM articles "
                         "WHERE fts_match(title, body, 'database OR rust'); ROLLBACK"),
               "4\n");
  lode_close(db);
}

TEST(fts_index_follows_changes_and_rollback) {
  lode *db = open_articles(":memory:");
  CHECK(db != NULL);
  CHECK_EQ_STR(query(db, "CREATE INDEX a_fts ON articles USING fts (title, body)"), "");
  CHECK_EQ_STR(query(db, "BEGIN; INSERT INTO articles VALUES (5, 'Database again', 'x', 'D');"
                         "SELECT id FROM articles WHERE fts_match(title, body, 'database')"),
               "3\n5\n");
  CHECK_EQ_STR(query(db, "ROLLBACK; SELECT id FROM articles WHERE fts_match(title, body, 'database')"), "3\n");
  CHECK_EQ_STR(query(db, "UPDATE articles SET title = 'Rust databases' WHERE id = 3;"
                         "SELECT id FROM articles WHERE fts_match(title, body, 'rust')"),
               "3\n4\n");
  CHECK_EQ_STR(query(db, "SELECT id FROM articles WHERE fts_match(title, body, 'tuning')"), "");
  CHECK_EQ_STR(query(db, "DELETE FROM articles WHERE id = 4;"
                         "SELECT id FROM articles WHERE fts_match(title, body, 'rust')"),
               "3\n");
  CHECK_EQ_STR(query(db, "SAVEPOINT s; DELETE FROM articles; ROLLBACK TO s; RELEASE s;"
                         "SELECT id FROM articles WHERE fts_match(title, body, '*')"),
               "1\n2\n3\n");
  /* Every row matched by the index is one the function matches row by row, and back. */
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM articles WHERE fts_match(title, body, 'data OR search') "
                         "AND NOT +fts_match(title, body, 'data OR search')"),
               "0\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_STR(query(db, "DROP INDEX a_fts; SELECT count(*) FROM sqlite_schema WHERE name LIKE 'a_fts%'"), "0\n");
  lode_close(db);
}

TEST(fts_index_checks_its_parameters_and_tokenizers) {
  lode *db = open_articles(":memory:");
  CHECK(db != NULL);
  CHECK(strstr(query(db, "CREATE INDEX x ON articles USING fts (title) WITH (tokenizer = 'porter')"),
               "unknown tokenizer"));
  CHECK(strstr(query(db, "CREATE INDEX x ON articles USING fts (title) WITH (weights = 'body=2')"),
               "does not cover"));
  CHECK(strstr(query(db, "CREATE INDEX x ON articles USING fts (title) WITH (colour = 1)"), "unknown parameter"));
  CHECK_EQ_STR(query(db, "CREATE INDEX x ON articles USING fts (title) WITH (tokenizer = 'ngram')"), "");
  CHECK_EQ_STR(query(db, "SELECT id FROM articles WHERE fts_match(title, 'Tun')"), "3\n");
  CHECK_EQ_STR(query(db, "SELECT id FROM articles WHERE fts_match(title, 'tun')"), "");
  CHECK_EQ_STR(query(db, "DROP INDEX x; CREATE INDEX x ON articles USING fts (author) WITH (tokenizer = 'raw')"), "");
  CHECK_EQ_STR(query(db, "SELECT id FROM articles WHERE fts_match(author, 'Alice')"), "1\n3\n");
  CHECK_EQ_STR(query(db, "SELECT id FROM articles WHERE fts_match(author, 'alice')"), "");
  lode_close(db);
}

TEST(fts_index_survives_reopen) {
  char path_buf[96];
  const char *path = tmp_db_path(path_buf, sizeof path_buf, "fts");
  remove_db(path);
  lode *db = open_articles(path);
  CHECK(db != NULL);
  CHECK_EQ_STR(query(db, "CREATE INDEX a_fts ON articles USING fts (title, body)"), "");
  lode_close(db);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "INSERT INTO articles VALUES (9, 'Rust', 'rust rust', 'E');"
                         "SELECT id FROM articles ORDER BY fts_score(title, body, 'rust') DESC LIMIT 5"),
               "9\n4\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
  remove_db(path);
}


/* Whether the index and the row-by-row function agree on table t (an fts
** index on body): for each query the rows the index yields are those the
** function accepts, and '*' yields every row.  0 when they do, else the
** number of disagreements (printed). */
static int index_matches_rows(lode *db, const char *when) {
  static const char *const qs[] = {"apple", "pear OR plum", "\"apple pie\"", "ch*", "apple AND NOT plum", "w1*",
                                   "kiwi fig"};
  int bad = 0;
  char sql[400];
  for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
    snprintf(sql, sizeof sql, "SELECT count(*) FROM t WHERE fts_match(body, '%s')", qs[i]);
    int64_t by_index = query_int(db, sql);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM t WHERE +fts_match(body, '%s')", qs[i]);
    int64_t by_row = query_int(db, sql);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM t WHERE fts_match(body, '%s') AND NOT +fts_match(body, '%s')", qs[i], qs[i]);
    int64_t extra = query_int(db, sql);
    if (by_index != by_row || extra != 0) {
      printf("  %s: '%s' index %lld rows %lld extra %lld\n", when, qs[i], (long long)by_index, (long long)by_row,
             (long long)extra);
      bad++;
    }
  }
  if (query_int(db, "SELECT count(*) FROM t WHERE fts_match(body, '*')") != query_int(db, "SELECT count(*) FROM t")) {
    printf("  %s: '*' does not yield every row\n", when);
    bad++;
  }
  return bad;
}

static const char *const fruit[] = {"apple", "pear", "plum", "pie", "cherry", "chestnut", "kiwi", "fig", "w1", "w10"};

static void fruit_text(Rng *r, char *buf, size_t n) {
  size_t at = 0;
  int words = 1 + rng_int(r, 12);
  buf[0] = 0;
  for (int i = 0; i < words && at + 16 < n; i++)
    at += (size_t)snprintf(buf + at, n - at, "%s%s", i ? " " : "", fruit[rng_int(r, 10)]);
}

TEST(fts_batched_changes_are_seen_by_triggers_and_later_statements) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT);"
                         "CREATE INDEX t_fts ON t USING fts (body);"
                         "CREATE TABLE log(id INTEGER, n INTEGER);"
                         "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN "
                         "INSERT INTO log VALUES (new.id, (SELECT count(*) FROM t WHERE fts_match(body, 'apple'))); END;"),
               "");
  /* One statement, three rows: the trigger of each sees the rows before it. */
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (1, 'apple'), (2, 'apple pie'), (3, 'pear');"
                         "SELECT group_concat(n) FROM log"),
               "1,2,2\n");
  CHECK_EQ_STR(query(db, "DROP TRIGGER t_ai; DELETE FROM t"), "");
  /* Many rows per statement, in one transaction and in several. */
  CHECK_EQ_STR(query(db, "INSERT INTO t SELECT value, CASE value % 3 WHEN 0 THEN 'apple pie' WHEN 1 THEN 'pear plum' "
                         "ELSE 'cherry ' || value END FROM generate_series(1, 5000)"),
               "");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t WHERE fts_match(body, 'apple')"), "1666\n");
  CHECK_EQ_INT(index_matches_rows(db, "after a bulk insert"), 0);
  CHECK_EQ_STR(query(db, "BEGIN; UPDATE t SET body = 'kiwi fig' WHERE id % 5 = 0;"
                         "SELECT count(*) FROM t WHERE fts_match(body, 'kiwi')"),
               "1000\n");
  CHECK_EQ_STR(query(db, "DELETE FROM t WHERE id % 7 = 0; SELECT count(*) FROM t WHERE fts_match(body, 'kiwi')"),
               "858\n");
  CHECK_EQ_INT(index_matches_rows(db, "inside a transaction"), 0);
  CHECK_EQ_STR(query(db, "ROLLBACK; SELECT count(*) FROM t WHERE fts_match(body, 'kiwi OR apple')"), "1666\n");
  CHECK_EQ_INT(index_matches_rows(db, "after ROLLBACK"), 0);
  /* A statement that fails half-way leaves nothing of its batch behind. */
  CHECK(strstr(query(db, "INSERT INTO t SELECT value + 10000, 'kiwi' FROM generate_series(1, 100) "
                         "UNION ALL SELECT 1, 'kiwi'"),
               "UNIQUE"));
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t WHERE fts_match(body, 'kiwi')"), "0\n");
  /* Rows given in descending and scattered rowid order, then deleted again. */
  CHECK_EQ_STR(query(db, "INSERT INTO t SELECT 100000 - value * 7, 'plum fig' FROM generate_series(1, 3000);"
                         "SELECT count(*) FROM t WHERE fts_match(body, 'fig')"),
               "3000\n");
  CHECK_EQ_INT(index_matches_rows(db, "after descending rowids"), 0);
  CHECK_EQ_STR(query(db, "DELETE FROM t WHERE body = 'plum fig' AND id % 2 = 0;"
                         "SELECT count(*) FROM t WHERE fts_match(body, 'fig')"),
               "1500\n");
  CHECK_EQ_INT(index_matches_rows(db, "after deletes"), 0);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

/* The child: transactions of inserts, updates and deletes on t until killed. */
static void fts_child_writer(const char *path, int round, int ack) {
  lode *db = NULL;
  Rng r;
  char text[200], sql[400];
  rng_seed(&r, (uint64_t)round * 977 + 3);
  if (lode_open(path, &db) != LODE_OK) _exit(3);
  for (int k = 0;; k++) {
    if (lode_exec(db, "BEGIN", NULL) != LODE_OK) _exit(4);
    int n = 1 + rng_int(&r, 40);
    for (int i = 0; i < n; i++) {
      int id = 1 + rng_int(&r, 3000), what = rng_int(&r, 10);
      fruit_text(&r, text, sizeof text);
      if (what < 6) snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO t VALUES (%d, '%s')", id, text);
      else if (what < 8) snprintf(sql, sizeof sql, "UPDATE t SET body = '%s' WHERE id = %d", text, id);
      else snprintf(sql, sizeof sql, "DELETE FROM t WHERE id = %d", id);
      if (lode_exec(db, sql, NULL) != LODE_OK) _exit(5);
    }
    if (k % 3 == 0) { /* a statement of many rows */
      snprintf(sql, sizeof sql,
               "INSERT OR REPLACE INTO t SELECT 3000 + value, 'w1 chestnut ' || value FROM generate_series(1, %d)",
               1 + rng_int(&r, 300));
      if (lode_exec(db, sql, NULL) != LODE_OK) _exit(6);
    }
    if (lode_exec(db, "COMMIT", NULL) != LODE_OK) _exit(7);
    if (k == 0 && write(ack, "c", 1) != 1) _exit(8);
  }
}

TEST(fts_index_consistent_after_sigkill) {
  char path[64]; /* per process: a sanitized build of the tests may run beside this one */
  snprintf(path, sizeof path, "/tmp/lode-test-fts-kill-%d.db", (int)getpid());
  int bad = 0;
  Rng r;
  rng_seed(&r, 1717);
  remove_db(path);
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA journal_mode = WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT);"
                         "CREATE INDEX t_fts ON t USING fts (body)"),
               "wal\n");
  lode_close(db);
  for (int round = 0; round < 8 && !bad; round++) {
    int fds[2];
    if (pipe(fds) != 0) {
      CHECK(0);
      return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      fts_child_writer(path, round, fds[1]);
    }
    close(fds[1]);
    /* Killed after its first commit (on a loaded machine it may take a while to get there). */
    char ack;
    if (read(fds[0], &ack, 1) != 1) bad++;
    close(fds[0]);
    struct timespec ts = {0, (long)(20 + rng_int(&r, 200)) * 1000000L};
    nanosleep(&ts, NULL);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
      printf("  round %d: writer ended by itself (status %d)\n", round, status);
      bad++;
    }
    char when[64];
    snprintf(when, sizeof when, "after kill %d", round);
    if (lode_open(path, &db) != LODE_OK) {
      printf("  %s: reopen failed\n", when);
      bad++;
      continue;
    }
    if (strcmp(query(db, "PRAGMA integrity_check"), "ok\n") != 0) {
      printf("  %s: integrity_check: %s", when, query(db, "PRAGMA integrity_check"));
      bad++;
    }
    bad += index_matches_rows(db, when);
    lode_close(db);
  }
  CHECK_EQ_INT(bad, 0);
  CHECK(lode_open(path, &db) == LODE_OK && query_int(db, "SELECT count(*) FROM t") > 0); /* it did write */
  lode_close(db);
  remove_db(path);
}

TEST(optimize_index_packs_chunks_drops_dead_terms_and_reports) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT); CREATE INDEX t_fts ON t USING fts (body);"
                         "CREATE TABLE u(id INTEGER PRIMARY KEY, a TEXT, b TEXT);"
                         "CREATE INDEX u_fts ON u USING fts (a, b) WITH (tokenizer = 'simple');"
                         "INSERT INTO u VALUES (1, 'Apple', 'Pear');"
                         "INSERT INTO t SELECT value, 'apple w' || (value % 50) FROM generate_series(1, 20000);"
                         "DELETE FROM t WHERE id % 3 <> 0; UPDATE t SET body = 'pear' WHERE id % 2 = 0;"),
               "");
  /* Rows one statement at a time, each its own small chunk, then gone again. */
  for (int i = 0; i < 30; i++) {
    char sql[100];
    snprintf(sql, sizeof sql, "INSERT INTO t VALUES (%d, 'kiwi once%d')", 50000 - i, i);
    CHECK_EQ_STR(query(db, sql), "");
  }
  CHECK_EQ_STR(query(db, "DELETE FROM t WHERE id > 40000"), "");
  const char *before_apple = "3333\n";
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t WHERE fts_match(body, 'apple')"), before_apple);
  /* Terms kept, chunks before and after, terms dropped: the rows left are odd multiples of 3, so
  ** apple, pear and the 25 odd w<n> stay; the even w<n>, kiwi and once0..29 went. */
  const char *r = query(db, "OPTIMIZE INDEX t_fts");
  int terms = -1, before = -1, after = -1, dropped = -1;
  CHECK(sscanf(r, "t_fts|%d|%d|%d|%d", &terms, &before, &after, &dropped) == 4);
  CHECK_EQ_INT(terms, 27);
  CHECK_EQ_INT(dropped, 56);
  CHECK(after < before / 2);
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t WHERE fts_match(body, 'apple')"), before_apple);
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t WHERE fts_match(body, 'kiwi OR once1*')"), "0\n");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t WHERE fts_match(body, 'w1*') AND NOT +fts_match(body, 'w1*')"), "0\n");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t WHERE +fts_match(body, 'w1*')"),
               query(db, "SELECT count(*) FROM t WHERE fts_match(body, 'w1*')"));
  /* A dropped term comes back with a new id. */
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (7, 'kiwi'); SELECT id FROM t WHERE fts_match(body, 'kiwi')"), "7\n");
  /* Every fts index, one row each; again, nothing left to do. */
  r = query(db, "OPTIMIZE INDEX");
  CHECK(strncmp(r, "t_fts|28|", 9) == 0 && strstr(r, "|0\nu_fts|2|2|2|0\n"));
  CHECK(strstr(query(db, "OPTIMIZE INDEX nope"), "no such index: nope"));
  CHECK(strstr(query(db, "OPTIMIZE INDEX t_fts_postings"), "no such index"));
  CHECK(strstr(query(db, "OPTIMIZE TABLE t"), "syntax error"));
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

/* The rows of sql on the database at path, opened for it. */
static const char *query_path_rows(const char *path, const char *sql) {
  static char out[2048];
  lode *db = NULL;
  if (lode_open(path, &db) != LODE_OK) return "open failed";
  snprintf(out, sizeof out, "%s", query(db, sql));
  lode_close(db);
  return out;
}

/* Methods standing in for fts that mishandle row changes, each the way a
** damaged index would look: a row never indexed, a row never forgotten, a
** row indexed with other text than the table holds. */
static lode_index_method fts_real;

static int skip_insert(lode_index_cursor *c, lode_value **vals, lode_int64 rowid) {
  (void)c, (void)vals, (void)rowid;
  return LODE_OK;
}

static int skip_delete(lode_index_cursor *c, lode_value **vals, lode_int64 rowid) {
  (void)c, (void)vals, (void)rowid;
  return LODE_OK;
}

static int insert_other_text(lode_index_cursor *c, lode_value **vals, lode_int64 rowid) {
  Mem other;
  (void)vals;
  mem_init(&other);
  mem_set_text(&other, rowid == 2 ? "pie apple" : "apple apple pie", -1, 0);
  lode_value *v[1] = {&other};
  int rc = fts_real.xInsert(c, v, rowid);
  mem_release(&other);
  return rc;
}

/* The rows of integrity_check after one write through a method that gets it wrong. */
static const char *check_after(const char *path, int (*xInsert)(lode_index_cursor *, lode_value **, lode_int64),
                               int (*xDelete)(lode_index_cursor *, lode_value **, lode_int64), const char *sql) {
  static lode_index_method broken;
  lode *db = NULL;
  remove_db(path);
  if (lode_open(path, &db) != LODE_OK) return "open failed";
  query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT); CREATE INDEX t_fts ON t USING fts (body);"
            "INSERT INTO t VALUES (1, 'apple pie'), (2, 'apple pie'), (3, NULL), (4, 'pear')");
  if (strcmp(query(db, "PRAGMA integrity_check"), "ok\n") != 0) return "not ok before";
  lode_close(db);
  fts_real = *idxm_builtin("fts");
  broken = fts_real;
  if (xInsert) broken.xInsert = xInsert;
  if (xDelete) broken.xDelete = xDelete;
  if (lode_open(path, &db) != LODE_OK || lode_create_index_method(db, &broken) != LODE_OK) return "open failed";
  const char *r = query(db, sql);
  lode_close(db);
  if (r[0]) return r;
  if (lode_open(path, &db) != LODE_OK) return "reopen failed";
  static char out[2048];
  snprintf(out, sizeof out, "%s", query(db, "PRAGMA integrity_check"));
  if (strcmp(query(db, "PRAGMA quick_check"), "ok\n") != 0) snprintf(out, sizeof out, "quick_check not ok");
  lode_close(db);
  return out;
}

TEST(integrity_check_reports_missing_extra_and_wrong_postings) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/lode-test-fts-check-%d.db", (int)getpid());
  /* A row the index never saw: its postings, its place among the rows, and the statistics. */
  CHECK_EQ_STR(check_after(path, skip_insert, NULL, "INSERT INTO t VALUES (5, 'zebra apple')"),
               "index method t_fts: rowid 5: posting of term 'apple' of column body is missing; "
               "rowid 5: term 'zebra' of column body is missing from the dictionary; "
               "rowid 5 is missing from the index's rows\n"
               "index method t_fts: the statistics count 4 rows, the table has 5; "
               "the statistics count 5 tokens in column body, the rows hold 7\n");
  /* A row deleted from the table but not from the index. */
  CHECK_EQ_STR(check_after(path, NULL, skip_delete, "DELETE FROM t WHERE id = 1"),
               "index method t_fts: term 'apple' of column body has a posting for rowid 1, whose row does not hold it; "
               "term 'pie' of column body has a posting for rowid 1, whose row does not hold it; "
               "4 rows in the index, 3 in the table; the statistics count 4 rows, the table has 3; "
               "and 1 more\n");
  /* Rows indexed with other text: wrong positions, wrong counts. */
  CHECK_EQ_STR(check_after(path, insert_other_text, skip_delete, "UPDATE t SET body = upper(body) WHERE id IN (1, 2)"),
               "index method t_fts: rowid 1: posting of term 'apple' of column body is wrong: 2 of 3 tokens, "
               "the row has 1 of 2; rowid 1: posting of term 'pie' of column body is wrong: 1 of 3 tokens, the row "
               "has 1 of 2\n"
               "index method t_fts: rowid 2: posting of term 'apple' of column body has wrong positions; "
               "rowid 2: posting of term 'pie' of column body has wrong positions\n"
               "index method t_fts: the statistics count 6 rows, the table has 4; "
               "the statistics count 10 tokens in column body, the rows hold 5\n");
  /* The budget of PRAGMA integrity_check(N) covers the method's rows too. */
  CHECK_EQ_STR(query_path_rows(path, "PRAGMA integrity_check(1)"),
               "index method t_fts: rowid 1: posting of term 'apple' of column body is wrong: 2 of 3 tokens, "
               "the row has 1 of 2; rowid 1: posting of term 'pie' of column body is wrong: 1 of 3 tokens, the row "
               "has 1 of 2\n");
  /* Rebuilt, the index agrees again. */
  CHECK_EQ_STR(
      query_path_rows(path, "DROP INDEX t_fts; CREATE INDEX t_fts ON t USING fts (body); PRAGMA integrity_check"),
      "ok\n");
  remove_db(path);
}

/* The manual's per-column tokenizers: (col WITH tokenizer=name, ...), over
** the index's own tokenizer, kept across a reopen. */
TEST(fts_columns_take_their_own_tokenizers) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/lode-test-fts-coltok-%d.db", (int)getpid());
  remove_db(path);
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE a(id INTEGER PRIMARY KEY, title TEXT, body TEXT, tag TEXT);"
                         "INSERT INTO a VALUES (1, 'Hello World', 'database systems', 'x-1'),"
                         "(2, 'hello there', 'Databases rock', 'x-2');"
                         "CREATE INDEX a_fts ON a USING fts (title WITH tokenizer=simple, body WITH tokenizer=ngram)"),
               "");
  /* simple keeps case in title; ngram finds substrings in body. */
  CHECK_EQ_STR(query(db, "SELECT id FROM a WHERE fts_match(title, body, 'title:Hello')"), "1\n");
  CHECK_EQ_STR(query(db, "SELECT id FROM a WHERE fts_match(title, body, 'title:hello')"), "2\n");
  CHECK_EQ_STR(query(db, "SELECT id FROM a WHERE fts_match(title, body, 'body:atab')"), "1\n2\n");
  CHECK_EQ_STR(query(db, "SELECT id FROM a WHERE fts_match(title, body, 'title:atab')"), "");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  /* A column's tokenizer wins over the index's, whatever the order; quoted names and a list work too. */
  CHECK_EQ_STR(query(db, "CREATE INDEX t_fts ON a USING fts (tag WITH (tokenizer = 'raw'), title) "
                         "WITH (tokenizer = 'whitespace')"),
               "");
  CHECK_EQ_STR(query(db, "SELECT id FROM a WHERE fts_match(tag, title, 'tag:x-2')"), "2\n");
  CHECK_EQ_STR(query(db, "SELECT id FROM a WHERE fts_match(tag, title, 'tag:x')"), "");
  CHECK_EQ_STR(query(db, "SELECT id FROM a WHERE fts_match(tag, title, 'title:World')"), "1\n");
  lode_close(db);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "INSERT INTO a VALUES (3, 'Hello again', 'metadata', 'y');"
                         "SELECT id FROM a WHERE fts_match(title, body, 'title:Hello AND body:tada')"),
               "3\n");
  CHECK_EQ_STR(query(db, "SELECT id FROM a WHERE fts_match(tag, title, 'tag:y')"), "3\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  /* Errors: an unknown tokenizer, a parameter a column does not take, an expression, a repeated one. */
  CHECK_EQ_STR(query(db, "CREATE INDEX x ON a USING fts (title WITH tokenizer=porter)"),
               "ERROR 1: fts: unknown tokenizer porter");
  CHECK_EQ_STR(query(db, "CREATE INDEX x ON a USING fts (title WITH weight=2)"),
               "ERROR 1: fts: unknown parameter title.weight (a column takes only tokenizer)");
  CHECK(strstr(query(db, "CREATE INDEX x ON a USING fts (lower(title) WITH tokenizer=raw)"),
               "only a column named plainly"));
  CHECK(strstr(query(db, "CREATE INDEX x ON a USING fts (title WITH (tokenizer=raw, tokenizer=simple))"),
               "duplicate index method parameter"));
  CHECK(strstr(query(db, "CREATE INDEX x ON a(title WITH tokenizer=raw)"), "syntax error"));
  CHECK_EQ_STR(query(db, "CREATE INDEX x ON a USING toy_vector_sparse_ivf (title WITH tokenizer=raw)"),
               "ERROR 1: toy_vector_sparse_ivf: unknown parameter title.tokenizer");
  lode_close(db);
  remove_db(path);
}

/* The rows a query gives: their count and a hash of their rowids in order. */
static int64_t rows_of(lode *db, const char *sql, uint64_t *hash) {
  lode_stmt *st = NULL;
  int64_t n = 0;
  *hash = 0;
  if (lode_prepare(db, sql, -1, &st, NULL) != LODE_OK) return -1;
  int rc;
  while ((rc = lode_step(st)) == LODE_ROW) {
    *hash = *hash * 1000003u + (uint64_t)lode_column_int64(st, 0);
    n++;
  }
  lode_finalize(st);
  return rc == LODE_DONE ? n : -1;
}

/* The rows fts_match(cols, q) finds through the index against the row
** function's (the "+" keeps the index out): the same ids; their count, -1
** when they differ. */
static int64_t index_agrees(lode *db, const char *cols, const char *q) {
  char sql[512];
  uint64_t hi, hs;
  snprintf(sql, sizeof sql, "SELECT id FROM d WHERE fts_match(%s, '%s')", cols, q);
  int64_t ni = rows_of(db, sql, &hi);
  snprintf(sql, sizeof sql, "SELECT id FROM d WHERE +fts_match(%s, '%s') ORDER BY id", cols, q);
  int64_t ns = rows_of(db, sql, &hs);
  CHECK_EQ_INT(ni, ns);
  CHECK(hi == hs);
  return ni == ns && hi == hs ? ni : -1;
}

/* Each statement merges its postings into a term's last chunk: one that still fits a chunk replaces it in place,
** one that outgrows it splits; deletes and updates rewrite chunks in the middle.  The index must keep giving the
** row function's rows, and integrity_check must find every posting where it belongs.  With 512-byte pages a
** chunk's cell spills to overflow pages, which the replacement in place must carry too. */
static void merges_in_place(int page_size) {
  lode *db = NULL;
  char sql[256];
  CHECK(lode_open(":memory:", &db) == LODE_OK);
  snprintf(sql, sizeof sql, "PRAGMA page_size = %d", page_size);
  CHECK_EQ_STR(query(db, sql), "");
  CHECK_EQ_STR(query(db, "CREATE TABLE d(id INTEGER PRIMARY KEY, body TEXT)"), "");
  CHECK_EQ_STR(query(db, "CREATE INDEX d_fts ON d USING fts (body)"), "");
  for (int i = 1; i <= 600; i++) {
    snprintf(sql, sizeof sql, "INSERT INTO d VALUES (%d, 'common r%d common x%d')", i, i % 40, i % 3);
    query(db, sql);
  }
  query(db, "DELETE FROM d WHERE id % 11 = 4");
  query(db, "UPDATE d SET body = 'r7 later' WHERE id % 13 = 6");
  static const char *const queries[] = {"common", "r7", "x1", "r7 AND x2", "later", "r39 OR r0"};
  for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) CHECK(index_agrees(db, "body", queries[i]) > 0);
  /* 600 rows, 55 deleted, 42 of the rest updated without the term */
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM d WHERE fts_match(body, 'common')"), "503\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  snprintf(sql, sizeof sql, "%d\n", page_size);
  CHECK_EQ_STR(query(db, "PRAGMA page_size"), sql);
  lode_close(db);
}

TEST(fts_statements_merge_into_a_terms_last_chunk_in_place) {
  merges_in_place(4096);
  merges_in_place(512);
}

/* Long posting lists (thousands of rows, many chunks, some written out of
** rowid order and thinned by deletes): every operator's rows through the
** index are the rows fts_match gives row by row, and the ranked form gives
** the best of the scored rows. */
TEST(fts_index_operators_over_lists_of_many_chunks_match_the_row_function) {
  lode *db = NULL;
  CHECK(lode_open(":memory:", &db) == LODE_OK);
  query(db, "CREATE TABLE d(id INTEGER PRIMARY KEY, title TEXT, body TEXT)");
  Rng r;
  rng_seed(&r, 4242);
  char title[256], body[2048], sql[4096];
  query(db, "BEGIN");
  for (int i = 1; i <= 4000; i++) {
    int tn = 0, bn = 0;
    for (int k = 0; k < 3; k++) { /* skewed: the square of a uniform pick favours low words */
      int w = rng_int(&r, 60), v = w * w / 60;
      tn += snprintf(title + tn, sizeof title - (size_t)tn, "%sw%d", k ? " " : "", v);
    }
    for (int k = 0; k < 30; k++) {
      int w = rng_int(&r, 120), v = w * w / 60;
      bn += snprintf(body + bn, sizeof body - (size_t)bn, "%sw%d", k ? " " : "", v);
    }
    snprintf(sql, sizeof sql, "INSERT INTO d VALUES (%d, '%s', '%s')", i, title, body);
    query(db, sql);
  }
  query(db, "COMMIT");
  CHECK_EQ_STR(query(db, "CREATE INDEX d_fts ON d USING fts (title, body) WITH (weights = 'title=2.0')"), "");
  query(db, "DELETE FROM d WHERE id % 5 = 2");
  query(db, "UPDATE d SET body = body || ' w1 w3 w1' WHERE id % 7 = 3");
  query(db, "INSERT INTO d SELECT id + 100000, body, title FROM d WHERE id % 9 = 4");
  query(db, "INSERT INTO d VALUES (-7, 'w0 w1 w2', 'w1 w0 w5 w5 w1')");
  /* the extreme rowids, which a cursor's last document and a chunk's key can be */
  query(db, "INSERT INTO d VALUES (9223372036854775807, 'w0 w1', 'w1 w0 w2'), "
            "(-9223372036854775808, 'w0 w1 w2', 'w3 w1 w0')");
  static const char *const queries[] = {
      "w0", "w1", "w0 AND w1", "w1 AND w2 AND w3", "w0 OR w50", "w1 NOT w0", "+w2 -w3 w4", "\"w0 w1\"",
      "\"w1 w0\"~2", "\"w0 w0 w1\"", "w1*", "w1* AND w0",
      "(w0 OR w1) AND NOT (w2 OR w3)", "w0^3 AND (w4 OR \"w1 w2\")", "* AND NOT w0", "w99", "w0 AND w99",
      "w119 OR w100*"};
  for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++)
    CHECK(index_agrees(db, "title, body", queries[i]) >= 0);
  /* Column filters: the row function sees values without names, so each column is matched on its own. */
  static const char *const filtered[][2] = {
      {"title:w1", "+fts_match(title, 'w1')"},
      {"title:w0 body:w2", "+fts_match(title, 'w0') OR +fts_match(body, 'w2')"},
      {"title:(w0 w1)^2 AND body:w3*", "+fts_match(title, 'w0 w1') AND +fts_match(body, 'w3*')"}};
  for (size_t i = 0; i < sizeof filtered / sizeof filtered[0]; i++) {
    uint64_t hi, hs;
    snprintf(sql, sizeof sql, "SELECT id FROM d WHERE fts_match(title, body, '%s')", filtered[i][0]);
    int64_t ni = rows_of(db, sql, &hi);
    snprintf(sql, sizeof sql, "SELECT id FROM d WHERE %s ORDER BY id", filtered[i][1]);
    int64_t ns = rows_of(db, sql, &hs);
    CHECK(ni > 0 && ni == ns && hi == hs);
  }
  uint64_t h;
  CHECK_EQ_STR(query(db, "SELECT id FROM d WHERE fts_match(title, body, '\"w1 w0\" AND w2 AND NOT w5') "
                         "AND (id = 9223372036854775807 OR id = -9223372036854775808)"),
               "-9223372036854775808\n9223372036854775807\n");
  CHECK(rows_of(db, "SELECT id FROM d WHERE fts_match(title, body, 'w0')", &h) > 2000);
  CHECK(rows_of(db, "SELECT id FROM d WHERE fts_match(title, body, '\"w0 w1\"')", &h) > 10);
  CHECK(strstr(query(db, "EXPLAIN QUERY PLAN SELECT id FROM d WHERE fts_match(title, body, 'w1 AND w2')"),
               "QUERY INDEX METHOD fts"));
  /* The ranked top 10 are the first 10 of every scored row ordered by score, then rowid. */
  for (int k = 0; k < 3; k++) {
    static const char *const ranked[] = {"w1 AND w2", "\"w0 w1\" OR w30", "w1*"};
    char top[4096], all[4096];
    snprintf(sql, sizeof sql,
             "SELECT id FROM d WHERE fts_match(title, body, '%s') ORDER BY fts_score(title, body, '%s') DESC LIMIT 10",
             ranked[k], ranked[k]);
    snprintf(top, sizeof top, "%s", query(db, sql));
    snprintf(sql, sizeof sql,
             "SELECT id FROM (SELECT id, fts_score(title, body, '%s') AS s FROM d WHERE fts_match(title, body, '%s')) "
             "ORDER BY s DESC, id LIMIT 10",
             ranked[k], ranked[k]);
    snprintf(all, sizeof all, "%s", query(db, sql));
    CHECK(strlen(top) > 20);
    CHECK_EQ_STR(top, all);
  }
  lode_close(db);
}

/* Rows and the bits of their scores (column 1), hashed. */
static int64_t scored_rows_of(lode *db, const char *sql, uint64_t *hash) {
  lode_stmt *st = NULL;
  int64_t n = 0;
  *hash = 0;
  if (lode_prepare(db, sql, -1, &st, NULL) != LODE_OK) return -1;
  int rc;
  while ((rc = lode_step(st)) == LODE_ROW) {
    double s = lode_column_double(st, 1);
    uint64_t bits;
    memcpy(&bits, &s, sizeof bits);
    *hash = (*hash * 1000003u + (uint64_t)lode_column_int64(st, 0)) * 1000003u + bits;
    n++;
  }
  lode_finalize(st);
  return rc == LODE_DONE ? n : -1;
}

/* A term or a union of terms (over two fields, a prefix of many terms, with
** boosts) is read list by list into arrays and merged; the same query with
** an OR of a term no row holds goes through the document-at-a-time tree.
** Both give the same rows with scores equal to the bit, for rowids close
** together (the prefix's union through a bitmap) and far apart (a heap). */
TEST(fts_terms_read_whole_give_the_scores_of_the_node_tree) {
  for (int spread = 0; spread < 2; spread++) {
    lode *db = NULL;
    CHECK(lode_open(":memory:", &db) == LODE_OK);
    query(db, "CREATE TABLE d(id INTEGER PRIMARY KEY, title TEXT, body TEXT)");
    Rng r;
    rng_seed(&r, 777 + spread);
    char title[256], body[2048], sql[4096];
    query(db, "BEGIN");
    for (int i = 1; i <= 2500; i++) {
      int tn = 0, bn = 0;
      for (int k = 0; k < 3; k++) {
        int w = rng_int(&r, 60), v = w * w / 60;
        tn += snprintf(title + tn, sizeof title - (size_t)tn, "%sw%d", k ? " " : "", v);
      }
      for (int k = 0; k < 25; k++) {
        int w = rng_int(&r, 200), v = w * w / 100;
        bn += snprintf(body + bn, sizeof body - (size_t)bn, "%sw%d", k ? " " : "", v);
      }
      long long id = spread ? (long long)i * 1000003 - 4000000000LL : i;
      snprintf(sql, sizeof sql, "INSERT INTO d VALUES (%lld, '%s', '%s')", id, title, body);
      query(db, sql);
    }
    query(db, "COMMIT");
    CHECK_EQ_STR(query(db, "CREATE INDEX d_fts ON d USING fts (title, body) WITH (weights = 'title=2.0')"), "");
    query(db, "DELETE FROM d WHERE id % 6 = 1");
    query(db, "UPDATE d SET body = body || ' w1 w12 w1' WHERE id % 7 = 3");
    static const char *const queries[] = {"w1", "w0", "title:w1", "body:w2^1.5", "w1^3", "w1*", "w1*^2",
                                          "body:w1*", "w19*", "w3", "nosuchterm"};
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
      uint64_t hw, ht, hm, hn;
      snprintf(sql, sizeof sql, "SELECT id, fts_score(title, body, '%s') FROM d WHERE fts_match(title, body, '%s')",
               queries[i], queries[i]);
      int64_t nw = scored_rows_of(db, sql, &hw);
      snprintf(sql, sizeof sql,
               "SELECT id, fts_score(title, body, '%s OR zzzz') FROM d WHERE fts_match(title, body, '%s OR zzzz')",
               queries[i], queries[i]);
      int64_t nt = scored_rows_of(db, sql, &ht);
      CHECK(nw >= 0 && nw == nt && hw == ht);
      if (strcmp(queries[i], "nosuchterm") != 0) CHECK(nw > 10);
      else CHECK(nw == 0);
      /* Match only (no score): the same rows as the row function gives. */
      snprintf(sql, sizeof sql, "SELECT id FROM d WHERE fts_match(title, body, '%s')", queries[i]);
      int64_t nm = rows_of(db, sql, &hm);
      snprintf(sql, sizeof sql, "SELECT id FROM d WHERE fts_match(title, body, '%s OR zzzz')", queries[i]);
      int64_t nn = rows_of(db, sql, &hn);
      CHECK(nm == nw && nn == nw && hm == hn);
    }
    /* The ranked form keeps a heap of LIMIT rows: none for 0, all (ordered) when LIMIT passes the matches. */
    CHECK_EQ_STR(query(db, "SELECT id FROM d WHERE fts_match(title, body, 'w1') "
                           "ORDER BY fts_score(title, body, 'w1') DESC LIMIT 0"),
                 "");
    char top[65536], all[65536];
    snprintf(top, sizeof top, "%s",
             query(db, "SELECT id FROM d WHERE fts_match(title, body, 'w3 OR title:w1') "
                       "ORDER BY fts_score(title, body, 'w3 OR title:w1') DESC LIMIT 100000"));
    snprintf(all, sizeof all, "%s",
             query(db, "SELECT id FROM (SELECT id, fts_score(title, body, 'w3 OR title:w1') AS s FROM d "
                       "WHERE fts_match(title, body, 'w3 OR title:w1')) ORDER BY s DESC, id"));
    CHECK(strlen(top) > 100);
    CHECK_EQ_STR(top, all);
    /* The build appended its chunks and rows: the stores check against the table. */
    CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
    lode_close(db);
  }
}

int main(void) {
  RUN(default_tokenizer_splits_on_punctuation_lowercases_and_drops_long_tokens);
  RUN(default_tokenizer_ascii_words_meet_unicode_and_long_runs);
  RUN(other_tokenizers_keep_case_whitespace_raw_and_ngrams);
  RUN(query_parser_reads_tantivys_syntax);
  RUN(query_parser_rejects_malformed_queries);
  RUN(bm25_follows_the_formula);
  RUN(fts_index_answers_the_manuals_queries_with_turso_scores);
  RUN(fts_rowid_only_queries_skip_the_table_seek);
  RUN(fts_index_follows_changes_and_rollback);
  RUN(fts_index_checks_its_parameters_and_tokenizers);
  RUN(fts_index_survives_reopen);
  RUN(fts_batched_changes_are_seen_by_triggers_and_later_statements);
  RUN(fts_index_consistent_after_sigkill);
  RUN(optimize_index_packs_chunks_drops_dead_terms_and_reports);
  RUN(integrity_check_reports_missing_extra_and_wrong_postings);
  RUN(fts_columns_take_their_own_tokenizers);
  RUN(fts_statements_merge_into_a_terms_last_chunk_in_place);
  RUN(fts_index_operators_over_lists_of_many_chunks_match_the_row_function);
  RUN(fts_terms_read_whole_give_the_scores_of_the_node_tree);
  return test_summary();
}
