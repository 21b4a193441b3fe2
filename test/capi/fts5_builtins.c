/* FTS5's built-in auxiliary functions and tokenizers belong to each
** connection: bm25(), highlight() and snippet() run on the calling
** connection's cursors; an auxiliary function a program adds through
** fts5_api under a built-in's name shadows the built-in on that connection
** only, as an SQL function it creates does where the table does not
** overload the name; a tokenizer added under a built-in's
** name shadows it for that connection's new tables, and the default
** tokenizer stays unicode61. */
#include <stdio.h>
#include <string.h>

#include "sqlite3.h"

static fts5_api *get_api(sqlite3 *db) {
  fts5_api *api = NULL;
  sqlite3_stmt *s = NULL;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL) != SQLITE_OK) return NULL;
  sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
  sqlite3_step(s);
  sqlite3_finalize(s);
  return api;
}

static void run(sqlite3 *db, const char *label, const char *sql) {
  sqlite3_stmt *s = NULL;
  const char *tail = sql;
  printf("-- %s\n", label);
  while (tail && *tail) {
    if (sqlite3_prepare_v2(db, tail, -1, &s, &tail) != SQLITE_OK) {
      printf("error: %s\n", sqlite3_errmsg(db));
      return;
    }
    if (!s) break;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(s); i++) {
        const unsigned char *v = sqlite3_column_text(s, i);
        printf("%s%s", i ? "|" : "", v ? (const char *)v : "NULL");
      }
      printf("\n");
    }
    if (rc != SQLITE_DONE) printf("error: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(s);
  }
}

/* An auxiliary function named highlight: the row's column count and phrase count. */
static void my_highlight(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
                         sqlite3_value **vals) {
  (void)vals;
  char buf[64];
  snprintf(buf, sizeof buf, "mine:%d:%d:%d", api->xColumnCount(fts), api->xPhraseCount(fts), nval);
  sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void sql_bm25(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argv;
  sqlite3_result_int(ctx, 1000 + argc);
}

/* A tokenizer named porter: the whole text is one token, so that a query for one word of it finds nothing. */
static int whole_create(void *user, const char **argv, int argc, Fts5Tokenizer **out) {
  static int tok;
  (void)user;
  (void)argv;
  (void)argc;
  *out = (Fts5Tokenizer *)&tok;
  return SQLITE_OK;
}
static void whole_delete(Fts5Tokenizer *t) { (void)t; }
static int whole_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *z, int n,
                          int (*tok)(void *, int, const char *, int, int, int)) {
  (void)t;
  (void)flags;
  return n > 0 ? tok(ctx, 0, z, n, 0, n) : SQLITE_OK;
}

static const char *fill =
    "CREATE VIRTUAL TABLE t USING fts5(a);"
    "INSERT INTO t VALUES('alpha beta'), ('beta gamma beta'), ('delta');";

int main(void) {
  sqlite3 *db1, *db2;
  if (sqlite3_open(":memory:", &db1) != SQLITE_OK || sqlite3_open(":memory:", &db2) != SQLITE_OK) return 1;
  run(db1, "db1 table", fill);
  run(db2, "db2 table", "CREATE VIRTUAL TABLE t USING fts5(a);"
                        "INSERT INTO t VALUES('beta beta beta'), ('epsilon beta');");
  const char *q = "SELECT rowid, highlight(t, 0, '[', ']'), snippet(t, 0, '<', '>', '...', 2), "
                  "round(bm25(t) * 1000000, 2) FROM t('beta') ORDER BY rowid;"
                  "SELECT rowid FROM t WHERE t MATCH 'beta' AND rank MATCH 'bm25(10.0)' ORDER BY rank;";
  run(db1, "db1 built-ins", q);
  run(db2, "db2 built-ins", q);

  fts5_api *api = get_api(db1);
  if (!api) return 1;
  printf("create highlight %d\n", api->xCreateFunction(api, "highlight", NULL, my_highlight, NULL));
  run(db1, "db1 added highlight shadows the built-in", "SELECT rowid, highlight(t, 0) FROM t('beta') ORDER BY rowid;");
  run(db2, "db2 keeps the built-in", "SELECT rowid, highlight(t, 0, '[', ']') FROM t('beta') ORDER BY rowid;");
  run(db1, "db1 rank with the added function",
      "SELECT rowid, rank FROM t WHERE t MATCH 'beta' AND rank MATCH 'highlight()' ORDER BY rowid;");

  printf("create bm25 %d\n", sqlite3_create_function(db2, "bm25", -1, SQLITE_UTF8, NULL, sql_bm25, NULL, NULL));
  run(db2, "db2 SQL bm25: plain calls reach it, t's own column the built-in (the table overloads it)",
      "SELECT bm25(1, 2); SELECT rowid, round(bm25(t) * 1000000, 2) FROM t('beta') ORDER BY rowid;");
  run(db1, "db1 keeps the built-in bm25", "SELECT rowid, round(bm25(t) * 1000000, 2) FROM t('beta') ORDER BY rowid;");

  fts5_tokenizer whole = {whole_create, whole_delete, whole_tokenize};
  static int marker;
  printf("create porter %d\n", api->xCreateTokenizer(api, "porter", &marker, &whole, NULL));
  void *user = NULL;
  fts5_tokenizer found;
  int rc = api->xFindTokenizer(api, "porter", &user, &found);
  printf("find porter %d, the added one %d\n", rc, user == &marker);
  rc = api->xFindTokenizer(api, NULL, &user, &found);
  printf("find default %d, the added one %d\n", rc, user == &marker);
  run(db1, "db1 porter is the added one, the default unicode61",
      "CREATE VIRTUAL TABLE p USING fts5(a, tokenize = porter);"
      "CREATE VIRTUAL TABLE d USING fts5(a);"
      "INSERT INTO p VALUES('running fast');"
      "INSERT INTO d VALUES('running fast');"
      "SELECT count(*) FROM p('fast'); SELECT count(*) FROM p('\"running fast\"');"
      "SELECT count(*) FROM d('fast');");
  run(db2, "db2 porter is the built-in",
      "CREATE VIRTUAL TABLE p USING fts5(a, tokenize = porter);"
      "INSERT INTO p VALUES('running fast');"
      "SELECT count(*) FROM p('run'); SELECT count(*) FROM p('fast');");
  run(db1, "fts5_source_id", "SELECT fts5_source_id() IS NOT NULL;");
  sqlite3_close(db1);
  sqlite3_close(db2);
  return 0;
}
