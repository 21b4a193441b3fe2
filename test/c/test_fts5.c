/*
** test_fts5.c — the FTS5 module's query paths (engine/src/ext/fts5) against a model of a generated corpus:
** which rows a term, a phrase, a column filter and an initial-token query match, and where each match lies
** (highlight(), which reads a term's positions: a one-term phrase keeps its poslists as bytes until they are
** asked for).  Small leaves and several transactions give multi-leaf, multi-segment indexes.  And the
** structure record a table keeps between queries: it follows other connections' commits, rollbacks and direct
** writes to the shadow tables, and so do the %_idx rows it keeps.
*/
#include <stdlib.h>

#include "testdb.h"
#include "testlib.h"

#define NDOC 400
#define NWORD 60
#define TITLE_WORDS 4
#define BODY_WORDS 24

typedef struct Doc {
  int title[TITLE_WORDS];
  int body[BODY_WORDS];
} Doc;

static Doc docs[NDOC + 1]; /* rowid i is docs[i] */

static int exec_ok(lode *db, const char *sql) { return lode_exec(db, sql, NULL) == LODE_OK; }

static void word_name(int w, char *out) { snprintf(out, 8, "w%d", w); }

/* Skewed choice: low word numbers are frequent, high ones rare. */
static int pick_word(Rng *r) {
  int a = rng_int(r, NWORD), b = rng_int(r, NWORD);
  return a < b ? a : b;
}

static void doc_text(const int *w, int n, char *out, size_t cap) {
  size_t k = 0;
  for (int i = 0; i < n; i++) {
    char name[8];
    word_name(w[i], name);
    k += (size_t)snprintf(out + k, cap - k, "%s%s", i ? " " : "", name);
  }
}

/* The corpus in four transactions (four segments), on leaves of at most 64 bytes. */
static void fill(lode *db) {
  Rng r;
  rng_seed(&r, 11);
  CHECK(exec_ok(db, "CREATE VIRTUAL TABLE f USING fts5(title, body);"
                    "INSERT INTO f(f, rank) VALUES('pgsz', 64);"));
  lode_stmt *ins = NULL;
  CHECK_EQ_INT(lode_prepare(db, "INSERT INTO f(rowid, title, body) VALUES (?, ?, ?)", -1, &ins, NULL), LODE_OK);
  for (int i = 1; i <= NDOC; i++) {
    char title[128], body[512];
    if (i % (NDOC / 4) == 1) CHECK(exec_ok(db, "BEGIN;"));
    for (int k = 0; k < TITLE_WORDS; k++) docs[i].title[k] = pick_word(&r);
    for (int k = 0; k < BODY_WORDS; k++) docs[i].body[k] = pick_word(&r);
    doc_text(docs[i].title, TITLE_WORDS, title, sizeof title);
    doc_text(docs[i].body, BODY_WORDS, body, sizeof body);
    lode_bind_int64(ins, 1, i);
    lode_bind_text(ins, 2, title, -1, LODE_TRANSIENT);
    lode_bind_text(ins, 3, body, -1, LODE_TRANSIENT);
    CHECK_EQ_INT(lode_step(ins), LODE_DONE);
    lode_reset(ins);
    if (i % (NDOC / 4) == 0) CHECK(exec_ok(db, "COMMIT;"));
  }
  lode_finalize(ins);
}

/* Does doc d hold word a followed by word b (b < 0: a alone) in column col (0 title, 1 body, -1 either), at
** its first position only when initial? */
static int doc_has(const Doc *d, int a, int b, int col, int initial) {
  for (int c = 0; c < 2; c++) {
    if (col >= 0 && c != col) continue;
    const int *w = c ? d->body : d->title;
    int n = c ? BODY_WORDS : TITLE_WORDS;
    for (int i = 0; i < n; i++) {
      if (initial && i > 0) break;
      if (w[i] == a && (b < 0 || (i + 1 < n && w[i + 1] == b))) return 1;
    }
  }
  return 0;
}

/* The model's rowids, "1,5,9" (empty: none), and the engine's for the same query. */
static void model_rows(int a, int b, int col, int initial, char *out, size_t cap) {
  size_t k = 0;
  out[0] = 0;
  for (int i = 1; i <= NDOC; i++)
    if (doc_has(&docs[i], a, b, col, initial)) k += (size_t)snprintf(out + k, cap - k, "%s%d", k ? "," : "", i);
}

static const char *engine_rows(lode *db, const char *match) {
  char sql[256];
  snprintf(sql, sizeof sql, "SELECT group_concat(rowid, ',') FROM (SELECT rowid FROM f WHERE f MATCH '%s');", match);
  const char *r = query(db, sql);
  static char out[8192];
  snprintf(out, sizeof out, "%s", r);
  size_t n = strlen(out);
  if (n && out[n - 1] == '\n') out[n - 1] = 0;
  return out;
}

TEST(match_sets_agree_with_model) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  fill(db);
  CHECK(query_int(db, "SELECT count(*) FROM f_data WHERE id > 10;") > 40); /* many leaves */
  static char want[8192];
  char q[64], a[8], b[8];
  for (int w = 0; w < NWORD; w++) {
    word_name(w, a);
    word_name((w * 7 + 3) % NWORD, b);
    model_rows(w, -1, -1, 0, want, sizeof want);
    CHECK_EQ_STR(engine_rows(db, a), want);
    snprintf(q, sizeof q, "\"%s %s\"", a, b);
    model_rows(w, (w * 7 + 3) % NWORD, -1, 0, want, sizeof want);
    CHECK_EQ_STR(engine_rows(db, q), want);
    snprintf(q, sizeof q, "title : %s", a);
    model_rows(w, -1, 0, 0, want, sizeof want);
    CHECK_EQ_STR(engine_rows(db, q), want);
    snprintf(q, sizeof q, "body : ^%s", a);
    model_rows(w, -1, 1, 1, want, sizeof want);
    CHECK_EQ_STR(engine_rows(db, q), want);
  }
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

/* Column col of doc d with every occurrence of word a bracketed, as highlight(f, col, '[', ']') gives it. */
static void model_highlight(const Doc *d, int col, int a, char *out, size_t cap) {
  const int *w = col ? d->body : d->title;
  int n = col ? BODY_WORDS : TITLE_WORDS;
  size_t k = 0;
  for (int i = 0; i < n; i++) {
    char name[8];
    word_name(w[i], name);
    k += (size_t)snprintf(out + k, cap - k, w[i] == a ? "%s[%s]" : "%s%s", i ? " " : "", name);
  }
}

#define HIGHLIGHT_ROWS 100 /* the rows compared (all are read) */

/* highlight() reads where a one-term query's matches lie: the positions of its raw doclist, decoded when
** asked for; a query of two one-term phrases (an AND) reads both. */
TEST(highlight_positions_agree_with_model) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  fill(db);
  static char want[16384], got[16384];
  for (int w = 0; w < NWORD; w += 3) {
    for (int col = 0; col < 2; col++) {
      char sql[256], a[8];
      word_name(w, a);
      snprintf(sql, sizeof sql,
               "SELECT rowid, highlight(f, %d, '[', ']') FROM f WHERE f MATCH '%s' AND rowid <= %d ORDER BY rowid;", col,
               a, HIGHLIGHT_ROWS);
      snprintf(got, sizeof got, "%s", query(db, sql));
      size_t k = 0;
      want[0] = 0;
      for (int i = 1; i <= HIGHLIGHT_ROWS; i++) {
        if (!doc_has(&docs[i], w, -1, -1, 0)) continue;
        char line[1024];
        model_highlight(&docs[i], col, w, line, sizeof line);
        k += (size_t)snprintf(want + k, sizeof want - k, "%d|%s\n", i, line);
      }
      CHECK_EQ_STR(got, want);
    }
  }
  /* both terms of an AND bracketed, in the rows that hold both */
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM f WHERE f MATCH 'w1 AND w2' AND highlight(f, 0, '[', ']') || ' ' ||"
                         " highlight(f, 1, '[', ']') NOT LIKE '%[w1]%';"),
               "0\n");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM f WHERE f MATCH 'w1 AND w2'"
                         " AND highlight(f, 1, '[', ']') LIKE '%[w2]%';"),
               query(db, "SELECT count(*) FROM f WHERE f MATCH 'w1 AND body : w2';"));
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

/* A flush closes each row's entry of a term with its size: in the byte kept for it when the poslist is under 64
** bytes, moved on to make room when longer.  Rows of a term repeated 33 to 100 times between short ones, in the
** three detail modes (column filters where the mode keeps columns): the rows match, the term's count in each
** row is right (detail=full), and the index passes its integrity-check. */
TEST(long_poslists_in_every_detail_mode) {
  static const char *const detail[] = {"full", "column", "none"};
  for (int m = 0; m < 3; m++) {
    lode *db = NULL;
    char sql[256];
    CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
    snprintf(sql, sizeof sql, "CREATE VIRTUAL TABLE f USING fts5(x, y, detail=%s);", detail[m]);
    CHECK(exec_ok(db, sql));
    CHECK(exec_ok(db, "WITH RECURSIVE c(i) AS (VALUES(1) UNION ALL SELECT i + 1 FROM c WHERE i < 60)"
                      " INSERT INTO f(rowid, x, y) SELECT i, 'a b', CASE WHEN i % 20 = 0 THEN"
                      " replace(hex(zeroblob(i * 5 / 3)), '00', 'a ') || 'end' ELSE 'c a' END FROM c;"));
    CHECK_EQ_STR(query(db, "SELECT count(*) FROM f WHERE f MATCH 'a';"), "60\n");
    CHECK_EQ_STR(query(db, "SELECT group_concat(rowid) FROM f WHERE f MATCH 'end';"), "20,40,60\n");
    if (m < 2) CHECK_EQ_STR(query(db, "SELECT count(*) FROM f WHERE f MATCH 'y : a';"), "60\n");
    if (m == 0) {
      CHECK_EQ_STR(query(db, "SELECT group_concat(rowid || ':' || ((length(highlight(f, 1, '[', ']')) - "
                             "length(y)) / 2)) FROM f WHERE f MATCH 'a' AND rowid % 20 = 0;"),
                   "20:33,40:66,60:100\n");
    }
    CHECK(exec_ok(db, "INSERT INTO f(f) VALUES('integrity-check');"));
    CHECK_EQ_INT(lode_close(db), LODE_OK);
  }
}

/* The tokenizers' tokens and positions (fts5vocab's instances): separators before, between and after tokens, a
** token longer than the tokenizer's stack buffer, non-ASCII characters inside a token, tokenchars and
** separators options, the ascii tokenizer's bytes >= 0x80 and porter's stems; as SQLite's FTS5 gives them. */
TEST(tokenizers_split_as_sqlite_does) {
  static const char *const cases[][3] = {
      {"unicode61", "  ,,Hello--wORLD;; x1 %s \xc3\x80" "bc d\xc3\xa9" "F na\xc3\xafve_x  end.  ",
       "hello@0 world@1 x1@2 <300>@3 abc@4 def@5 naive@6 x@7 end@8\n"},
      {"unicode61 tokenchars ''-_''", "-a-b- _c_ d.e", "-a-b-@0 _c_@1 d@2 e@3\n"},
      {"unicode61 separators ''x''", "axb xx cXd", "a@0 b@1 cxd@2\n"},
      {"ascii", "Ab\xc3\xa9" "C x\xc3\x80 ..q", "ab\xc3\xa9" "c@0 x\xc3\x80@1 q@2\n"},
      {"porter", "Running runners   ran.", "run@0 runner@1 ran@2\n"},
  };
  char longtok[301];
  memset(longtok, 'A', 300);
  longtok[300] = 0;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    lode *db = NULL;
    char sql[1024], text[512];
    CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
    snprintf(text, sizeof text, cases[i][1], longtok);
    snprintf(sql, sizeof sql,
             "CREATE VIRTUAL TABLE f USING fts5(x, tokenize='%s');"
             "CREATE VIRTUAL TABLE v USING fts5vocab(f, 'instance');",
             cases[i][0]);
    CHECK(exec_ok(db, sql));
    snprintf(sql, sizeof sql, "INSERT INTO f VALUES('%s');", text);
    CHECK(exec_ok(db, sql));
    CHECK_EQ_STR(query(db, "SELECT group_concat(CASE WHEN length(term) > 20 THEN '<' || length(term) || '>' ELSE "
                           "term END || '@' || offset, ' ') FROM (SELECT term, offset FROM v ORDER BY offset);"),
                 cases[i][2]);
    CHECK_EQ_INT(lode_close(db), LODE_OK);
  }
}

/* A term's rows in the changes not yet written and in the segment a flush writes of them: rowids far apart
** (differences of one, two, three and more bytes), negative, a row deleted and written again in the same
** transaction; every detail mode, read before and after the commit. */
TEST(doclists_keep_rowids_far_apart_pending_and_written) {
  static const char *const detail[] = {"full", "column", "none"};
  static const char *const ids = "-7,1,2,130,300,20000,5000000,1099511627776";
  for (int m = 0; m < 3; m++) {
    lode *db = NULL;
    char sql[256];
    CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
    snprintf(sql, sizeof sql, "CREATE VIRTUAL TABLE f USING fts5(x, detail=%s);", detail[m]);
    CHECK(exec_ok(db, sql));
    CHECK(exec_ok(db, "BEGIN;"
                      "INSERT INTO f(rowid, x) VALUES(-7, 'a b'), (1, 'a'), (2, 'b a a'), (130, 'a c'), (300, 'c a'),"
                      " (20000, 'a'), (5000000, 'b a'), (1099511627776, 'a b');"
                      "DELETE FROM f WHERE rowid = 130; INSERT INTO f(rowid, x) VALUES(130, 'a b');"));
    for (int pass = 0; pass < 2; pass++) {
      CHECK_EQ_STR(engine_rows(db, "a"), ids);
      CHECK_EQ_STR(engine_rows(db, "b"), "-7,2,130,5000000,1099511627776");
      CHECK_EQ_STR(engine_rows(db, "c"), "300");
      if (m < 2) CHECK_EQ_STR(engine_rows(db, "x : a"), ids);
      if (pass == 0) CHECK(exec_ok(db, "COMMIT;"));
    }
    CHECK(exec_ok(db, "INSERT INTO f(f) VALUES('integrity-check');"));
    CHECK_EQ_INT(lode_close(db), LODE_OK);
  }
}

static const char *count_of(lode *db, const char *match) {
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM f WHERE f MATCH '%s';", match);
  return query(db, sql);
}

/* Terms more than 127 bytes apart on a leaf (each a doclist of a few hundred bytes before the next): the page
** index's two-byte offsets lead a seek to each of them. */
TEST(terms_far_apart_on_a_leaf_are_found) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK(exec_ok(db, "CREATE VIRTUAL TABLE f USING fts5(x);"
                    "WITH RECURSIVE c(i) AS (VALUES(1) UNION ALL SELECT i + 1 FROM c WHERE i < 120)"
                    " INSERT INTO f(rowid, x) SELECT i * 3, 'ta tb tc td te tf tg th' FROM c;"));
  static const char *const terms[] = {"ta", "tb", "tc", "td", "te", "tf", "tg", "th"};
  for (int i = 0; i < 8; i++) CHECK_EQ_STR(count_of(db, terms[i]), "120\n");
  CHECK_EQ_STR(count_of(db, "tz"), "0\n");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM f_data WHERE id > 10;"), "1\n"); /* one leaf holds them all */
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

/* A commit of another connection makes the kept structure record stale: the next query reads it again. */
TEST(kept_structure_follows_other_connections) {
  char path_buf[96];
  const char *path = tmp_db_path(path_buf, sizeof path_buf, "fts5_conn");
  lode *a = NULL, *b = NULL;
  remove_db(path);
  CHECK_EQ_INT(lode_open(path, &a), LODE_OK);
  CHECK(exec_ok(a, "CREATE VIRTUAL TABLE f USING fts5(x); INSERT INTO f VALUES('apple pear'), ('apple');"));
  CHECK_EQ_INT(lode_open(path, &b), LODE_OK);
  CHECK_EQ_STR(count_of(a, "apple"), "2\n");
  CHECK_EQ_STR(count_of(a, "apple"), "2\n");
  CHECK(exec_ok(b, "INSERT INTO f VALUES('apple plum');"));
  CHECK_EQ_STR(count_of(a, "apple"), "3\n");
  CHECK_EQ_STR(count_of(a, "plum"), "1\n");
  CHECK(exec_ok(b, "DELETE FROM f WHERE rowid = 1; INSERT INTO f(f) VALUES('optimize');"));
  CHECK_EQ_STR(count_of(a, "apple"), "2\n");
  CHECK_EQ_STR(count_of(a, "pear"), "0\n");
  /* a read transaction sees its snapshot, whatever the other connection commits meanwhile, and the commit after */
  CHECK(exec_ok(a, "BEGIN;"));
  CHECK_EQ_STR(count_of(a, "apple"), "2\n");
  CHECK(exec_ok(b, "INSERT INTO f VALUES('apple fig');"));
  CHECK_EQ_STR(count_of(a, "apple"), "2\n");
  CHECK_EQ_STR(count_of(a, "fig"), "0\n");
  CHECK(exec_ok(a, "COMMIT;"));
  CHECK_EQ_STR(count_of(a, "apple"), "3\n");
  CHECK_EQ_STR(count_of(a, "fig"), "1\n");
  CHECK_EQ_INT(lode_close(b), LODE_OK);
  CHECK_EQ_INT(lode_close(a), LODE_OK);
  remove_db(path);
}

/* Nor does it outlive a change of this connection: its own inserts, a rolled back transaction, a rollback to a
** savepoint, and a structure record put back by hand. */
TEST(kept_structure_follows_rollbacks_and_shadow_writes) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK(exec_ok(db, "CREATE VIRTUAL TABLE f USING fts5(x); INSERT INTO f VALUES('apple pear'), ('apple');"));
  CHECK_EQ_STR(count_of(db, "apple"), "2\n");
  CHECK(exec_ok(db, "CREATE TABLE snap AS SELECT block FROM f_data WHERE id = 10;"));
  CHECK(exec_ok(db, "INSERT INTO f VALUES('apple plum');"));
  CHECK_EQ_STR(count_of(db, "apple"), "3\n");
  CHECK(exec_ok(db, "BEGIN; INSERT INTO f VALUES('apple fig'); INSERT INTO f(f) VALUES('optimize');"));
  CHECK_EQ_STR(count_of(db, "fig"), "1\n");
  CHECK(exec_ok(db, "ROLLBACK;"));
  CHECK_EQ_STR(count_of(db, "fig"), "0\n");
  CHECK_EQ_STR(count_of(db, "apple"), "3\n");
  CHECK(exec_ok(db, "BEGIN; SAVEPOINT s; INSERT INTO f VALUES('apple kiwi'); INSERT INTO f(f) VALUES('optimize');"));
  CHECK_EQ_STR(count_of(db, "kiwi"), "1\n");
  CHECK(exec_ok(db, "ROLLBACK TO s; COMMIT;"));
  CHECK_EQ_STR(count_of(db, "kiwi"), "0\n");
  /* the first structure again: the third row's segment is no longer the index's */
  CHECK_EQ_STR(count_of(db, "plum"), "1\n");
  CHECK(exec_ok(db, "UPDATE f_data SET block = (SELECT block FROM snap) WHERE id = 10;"));
  CHECK_EQ_STR(count_of(db, "plum"), "0\n");
  CHECK_EQ_STR(count_of(db, "apple"), "2\n");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

/* Each word's count of rows through f and through p, the same rows in a plain table, checked `passes` times:
** the later passes find %_idx rows kept in memory (each segment sought often enough under one mark). */
static void counts_agree(lode *f_db, lode *p_db, int passes) {
  for (int pass = 0; pass < passes; pass++)
    for (int w = 0; w < NWORD; w += 3) {
      char sql[160], fts[32], plain[32];
      snprintf(sql, sizeof sql, "SELECT count(*) FROM f WHERE f MATCH 'w%d';", w);
      snprintf(fts, sizeof fts, "%s", query(f_db, sql));
      snprintf(sql, sizeof sql, "SELECT count(*) FROM p WHERE ' ' || x || ' ' LIKE '%% w%d %%';", w);
      snprintf(plain, sizeof plain, "%s", query(p_db, sql));
      CHECK_EQ_STR(fts, plain);
    }
}

/* n rows from seed into f and p, in one transaction. */
static void add_rows(lode *db, int seed, int n) {
  Rng r;
  rng_seed(&r, (unsigned)seed);
  CHECK(exec_ok(db, "BEGIN;"));
  for (int i = 0; i < n; i++) {
    int w[12];
    char text[160], sql[400];
    for (int k = 0; k < 12; k++) w[k] = pick_word(&r);
    doc_text(w, 12, text, sizeof text);
    snprintf(sql, sizeof sql, "INSERT INTO f(x) VALUES('%s'); INSERT INTO p(x) VALUES('%s');", text, text);
    CHECK(exec_ok(db, sql));
  }
  CHECK(exec_ok(db, "COMMIT;"));
}

/* The %_idx rows a table keeps between queries: they answer only while nothing has written the database since
** they were read.  Segments of many 64-byte leaves; the counts are checked against a plain table after this
** connection's commits, a rolled back transaction, a rollback to a savepoint, a query inside a write
** transaction, another connection's commits and a direct write to %_idx. */
TEST(kept_idx_rows_follow_writes_and_other_connections) {
  char path_buf[96];
  const char *path = tmp_db_path(path_buf, sizeof path_buf, "fts5_idx_kept");
  lode *a = NULL, *b = NULL;
  remove_db(path);
  CHECK_EQ_INT(lode_open(path, &a), LODE_OK);
  CHECK(exec_ok(a, "CREATE VIRTUAL TABLE f USING fts5(x); CREATE TABLE p(x);"
                   "INSERT INTO f(f, rank) VALUES('pgsz', 64); INSERT INTO f(f, rank) VALUES('automerge', 0);"));
  for (int t = 0; t < 3; t++) add_rows(a, 100 + t, 150);
  CHECK_EQ_STR(query(a, "SELECT count(DISTINCT segid) FROM f_idx;"), "3\n");
  counts_agree(a, a, 4);
  /* a commit of this connection: a fourth segment */
  add_rows(a, 200, 150);
  counts_agree(a, a, 3);
  /* a write transaction's queries see its changes; its rollback, and a savepoint's, take them back */
  CHECK(exec_ok(a, "BEGIN; INSERT INTO f(x) VALUES('w0 w3 w6'); INSERT INTO p(x) VALUES('w0 w3 w6');"
                   "INSERT INTO f(f) VALUES('optimize');"));
  counts_agree(a, a, 1);
  CHECK(exec_ok(a, "ROLLBACK;"));
  counts_agree(a, a, 3);
  CHECK(exec_ok(a, "BEGIN; SAVEPOINT s; INSERT INTO f(x) VALUES('w0 w3'); INSERT INTO p(x) VALUES('w0 w3');"
                   "INSERT INTO f(f) VALUES('optimize');"));
  counts_agree(a, a, 1);
  CHECK(exec_ok(a, "ROLLBACK TO s; COMMIT;"));
  counts_agree(a, a, 3);
  /* another connection's commits: new segments, then all merged into one */
  CHECK_EQ_INT(lode_open(path, &b), LODE_OK);
  add_rows(b, 300, 100);
  counts_agree(a, a, 3);
  CHECK(exec_ok(b, "INSERT INTO f(f) VALUES('optimize');"));
  counts_agree(a, a, 3);
  CHECK_EQ_STR(query(a, "SELECT count(DISTINCT segid) FROM f_idx;"), "1\n");
  /* a direct write to %_idx: a fresh connection's answer, which keeps nothing, is the one to give */
  char before[32], fresh[32];
  snprintf(before, sizeof before, "%s", query(a, "SELECT count(*) FROM f WHERE f MATCH 'w57';"));
  CHECK(exec_ok(b, "DELETE FROM f_idx WHERE term > x'30';"));
  lode *c = NULL;
  CHECK_EQ_INT(lode_open(path, &c), LODE_OK);
  snprintf(fresh, sizeof fresh, "%s", query(c, "SELECT count(*) FROM f WHERE f MATCH 'w57';"));
  CHECK(strcmp(before, fresh) != 0); /* the leaf sought is the first now: a later leaf's term is not found */
  CHECK_EQ_STR(query(a, "SELECT count(*) FROM f WHERE f MATCH 'w57';"), fresh);
  CHECK_EQ_INT(lode_close(c), LODE_OK);
  CHECK_EQ_INT(lode_close(b), LODE_OK);
  CHECK_EQ_INT(lode_close(a), LODE_OK);
  remove_db(path);
}

int main(void) {
  RUN(match_sets_agree_with_model);
  RUN(highlight_positions_agree_with_model);
  RUN(long_poslists_in_every_detail_mode);
  RUN(tokenizers_split_as_sqlite_does);
  RUN(doclists_keep_rowids_far_apart_pending_and_written);
  RUN(terms_far_apart_on_a_leaf_are_found);
  RUN(kept_structure_follows_other_connections);
  RUN(kept_structure_follows_rollbacks_and_shadow_writes);
  RUN(kept_idx_rows_follow_writes_and_other_connections);
  return test_summary();
}
