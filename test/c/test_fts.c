/*
** test_fts.c — full-text search: the tokenizers, the query parser, BM25,
** and the fts index method through SQL (built from existing rows, kept on
** every change, rolled back, used by the planner, consistent after reopen).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ext/fts/fts.h"
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
  const char *path = "/tmp/lode-test-fts.db";
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

int main(void) {
  RUN(default_tokenizer_splits_on_punctuation_lowercases_and_drops_long_tokens);
  RUN(other_tokenizers_keep_case_whitespace_raw_and_ngrams);
  RUN(query_parser_reads_tantivys_syntax);
  RUN(query_parser_rejects_malformed_queries);
  RUN(bm25_follows_the_formula);
  RUN(fts_index_answers_the_manuals_queries_with_turso_scores);
  RUN(fts_index_follows_changes_and_rollback);
  RUN(fts_index_checks_its_parameters_and_tokenizers);
  RUN(fts_index_survives_reopen);
  return test_summary();
}
