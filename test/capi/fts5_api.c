/* The fts5_api a program gets with "SELECT fts5(?1)": an auxiliary function
** of its own that prints what each Fts5ExtensionApi method says about the
** row, a tokenizer of its own (comma-separated items), and one that wraps
** the built-in porter tokenizer found with xFindTokenizer.  And a table
** indexes each row's tokens as its tokenizer gave them when the row was
** written: colocated tokens (synonyms) at their positions, %_docsize counting
** each position once, the same segments written at COMMIT, after ROLLBACK TO
** and when a query inside the transaction reads the changes not yet written;
** a tokenizer that fails an INSERT (autocommit) leaves nothing of that row, inside a transaction its %_content
** row. */
#include <ctype.h>
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

static int count_rows(const Fts5ExtensionApi *api, Fts5Context *fts, void *user) {
  int *n = user;
  (*n)++;
  (void)api;
  (void)fts;
  return SQLITE_OK;
}

static int count_token(void *ctx, int flags, const char *tok, int n, int start, int end) {
  (void)flags;
  (void)tok;
  (void)n;
  (void)start;
  (void)end;
  (*(int *)ctx)++;
  return SQLITE_OK;
}

static void probe(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval, sqlite3_value **vals) {
  char buf[2048];
  int n = 0;
  sqlite3_int64 rows = 0, total = 0;
  api->xRowCount(fts, &rows);
  api->xColumnTotalSize(fts, -1, &total);
  n += snprintf(buf + n, sizeof buf - (size_t)n, "user=%d cols=%d rows=%lld total=%lld rowid=%lld args=%d",
                *(int *)api->xUserData(fts), api->xColumnCount(fts), rows, total, api->xRowid(fts), nval);
  int size = 0;
  api->xColumnSize(fts, -1, &size);
  n += snprintf(buf + n, sizeof buf - (size_t)n, " size=%d", size);
  for (int i = 0; i < api->xColumnCount(fts); i++) {
    api->xColumnSize(fts, i, &size);
    n += snprintf(buf + n, sizeof buf - (size_t)n, ",%d", size);
  }
  const char *z;
  int nz;
  api->xColumnText(fts, 0, &z, &nz);
  n += snprintf(buf + n, sizeof buf - (size_t)n, " text0=%.*s", nz, z);
  n += snprintf(buf + n, sizeof buf - (size_t)n, " phrases=%d:", api->xPhraseCount(fts));
  for (int i = 0; i < api->xPhraseCount(fts); i++) {
    int hits = 0;
    api->xQueryPhrase(fts, i, &hits, count_rows);
    n += snprintf(buf + n, sizeof buf - (size_t)n, " p%d(size %d, rows %d)", i, api->xPhraseSize(fts, i), hits);
  }
  int ninst = 0;
  api->xInstCount(fts, &ninst);
  n += snprintf(buf + n, sizeof buf - (size_t)n, " inst=%d:", ninst);
  for (int i = 0; i < ninst; i++) {
    int ph, col, off;
    api->xInst(fts, i, &ph, &col, &off);
    n += snprintf(buf + n, sizeof buf - (size_t)n, " %d/%d/%d", ph, col, off);
  }
  Fts5PhraseIter it;
  int col, off;
  /* (a scan without MATCH has no phrase to iterate) */
  for (int p = 0; p < api->xPhraseCount(fts); p++) {
    n += snprintf(buf + n, sizeof buf - (size_t)n, " first%d:", p);
    for (api->xPhraseFirst(fts, p, &it, &col, &off); col >= 0; api->xPhraseNext(fts, &it, &col, &off))
      n += snprintf(buf + n, sizeof buf - (size_t)n, " %d.%d", col, off);
    n += snprintf(buf + n, sizeof buf - (size_t)n, " cols:");
    for (api->xPhraseFirstColumn(fts, p, &it, &col); col >= 0; api->xPhraseNextColumn(fts, &it, &col))
      n += snprintf(buf + n, sizeof buf - (size_t)n, " %d", col);
  }
  int ntok = 0;
  api->xTokenize(fts, "Hello, big World", -1, &ntok, count_token);
  int *calls = api->xGetAuxdata(fts, 0);
  if (!calls) {
    static int counter[8];
    static int next;
    calls = &counter[next++ % 8];
    *calls = 0;
    api->xSetAuxdata(fts, calls, NULL);
  }
  (*calls)++;
  n += snprintf(buf + n, sizeof buf - (size_t)n, " tokens=%d call=%d", ntok, *calls);
  (void)vals;
  sqlite3_result_text(ctx, buf, n, SQLITE_TRANSIENT);
}

/* A rank function of its own: rows ranked by descending rowid. */
static void negrowid(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
                     sqlite3_value **vals) {
  (void)nval;
  (void)vals;
  sqlite3_result_double(ctx, -(double)api->xRowid(fts));
}

/* "commas": the items between commas, spaces trimmed, ASCII lower-cased. */
static int commas_create(void *user, const char **argv, int argc, Fts5Tokenizer **out) {
  (void)user;
  (void)argv;
  (void)argc;
  static int dummy;
  *out = (Fts5Tokenizer *)&dummy;
  return SQLITE_OK;
}

static void commas_delete(Fts5Tokenizer *t) { (void)t; }

static int commas_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *z, int n,
                           int (*tok)(void *, int, const char *, int, int, int)) {
  (void)t;
  (void)flags;
  int i = 0;
  while (i < n) {
    int start = i;
    while (i < n && z[i] != ',') i++;
    int a = start, b = i;
    while (a < b && z[a] == ' ') a++;
    while (b > a && z[b - 1] == ' ') b--;
    char word[256];
    int len = b - a < 255 ? b - a : 255;
    for (int k = 0; k < len; k++) word[k] = (char)tolower((unsigned char)z[a + k]);
    if (len > 0) {
      int rc = tok(ctx, 0, word, len, a, b);
      if (rc != SQLITE_OK) return rc;
    }
    i++;
  }
  return SQLITE_OK;
}

/* "stemmed": porter over ascii, found through xFindTokenizer. */
static fts5_tokenizer porter;
static void *porter_user;

static int stemmed_create(void *user, const char **argv, int argc, Fts5Tokenizer **out) {
  (void)user;
  (void)argv;
  (void)argc;
  static const char *inner[] = {"ascii"};
  return porter.xCreate(porter_user, inner, 1, out);
}

static void stemmed_delete(Fts5Tokenizer *t) { porter.xDelete(t); }

static int stemmed_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *z, int n,
                            int (*tok)(void *, int, const char *, int, int, int)) {
  return porter.xTokenize(t, ctx, flags, z, n, tok);
}

static int print_token(void *ctx, int flags, const char *tok, int n, int start, int end) {
  (void)ctx;
  (void)flags;
  printf(" [%.*s %d-%d]", n, tok, start, end);
  return SQLITE_OK;
}

static int syn_create(void *user, const char **argv, int argc, Fts5Tokenizer **out) {
  (void)user;
  (void)argv;
  (void)argc;
  static int dummy;
  *out = (Fts5Tokenizer *)&dummy;
  return SQLITE_OK;
}

static void syn_delete(Fts5Tokenizer *t) { (void)t; }

/* "syn": space-separated words; "car" also gives "auto" at its position, "big" gives "large" and "huge";
** "boom" fails the tokenizer (the row's earlier tokens were already given). */
static int syn_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *z, int n,
                        int (*tok)(void *, int, const char *, int, int, int)) {
  (void)t;
  int i = 0, rc = SQLITE_OK;
  while (i < n && rc == SQLITE_OK) {
    while (i < n && z[i] == ' ') i++;
    int start = i;
    while (i < n && z[i] != ' ') i++;
    int len = i - start;
    if (len == 0) break;
    if (len == 4 && memcmp(z + start, "boom", 4) == 0 && (flags & FTS5_TOKENIZE_DOCUMENT)) return SQLITE_ERROR;
    rc = tok(ctx, 0, z + start, len, start, i);
    if (rc != SQLITE_OK || (flags & FTS5_TOKENIZE_QUERY)) continue;
    if (len == 3 && memcmp(z + start, "car", 3) == 0) rc = tok(ctx, FTS5_TOKEN_COLOCATED, "auto", 4, start, i);
    if (len == 3 && memcmp(z + start, "big", 3) == 0) {
      rc = tok(ctx, FTS5_TOKEN_COLOCATED, "large", 5, start, i);
      if (rc == SQLITE_OK) rc = tok(ctx, FTS5_TOKEN_COLOCATED, "huge", 4, start, i);
    }
  }
  return rc;
}

static void run(sqlite3 *db, const char *sql) {
  sqlite3_stmt *s = NULL;
  const char *tail = sql;
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

/* What the index holds: its segments' bytes, the sizes, and what queries and the vocabulary say. */
static void dump(sqlite3 *db) {
  run(db, "SELECT id, hex(block) FROM y_data ORDER BY id;"
          "SELECT id, hex(sz) FROM y_docsize ORDER BY id;"
          "SELECT term, doc, col, offset FROM yv ORDER BY term, doc, col, offset;"
          "SELECT rowid FROM y('auto') ORDER BY rowid;"
          "SELECT rowid FROM y('\"red huge car\"') ORDER BY rowid;"
          "SELECT rowid FROM y('\"large auto\"') ORDER BY rowid;"
          "SELECT rowid FROM y('b:large') ORDER BY rowid;"
          "INSERT INTO y(y) VALUES('integrity-check');");
}

int main(void) {
  sqlite3 *db;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  fts5_api *api = get_api(db);
  if (!api) {
    printf("no fts5_api\n");
    return 1;
  }
  printf("version %d\n", api->iVersion);
  static int seven = 7;
  printf("create function %d\n", api->xCreateFunction(api, "probe", &seven, probe, NULL));
  printf("create negrowid %d\n", api->xCreateFunction(api, "negrowid", NULL, negrowid, NULL));
  fts5_tokenizer commas = {commas_create, commas_delete, commas_tokenize};
  printf("create tokenizer %d\n", api->xCreateTokenizer(api, "commas", NULL, &commas, NULL));
  printf("find porter %d\n", api->xFindTokenizer(api, "porter", &porter_user, &porter));
  printf("find nosuch %d\n", api->xFindTokenizer(api, "nosuch", &porter_user, &(fts5_tokenizer){0}) != SQLITE_OK);
  /* the default tokenizer (no name): unicode61 */
  fts5_tokenizer dflt;
  void *dflt_user;
  printf("find default %d:", api->xFindTokenizer(api, NULL, &dflt_user, &dflt));
  Fts5Tokenizer *dt = NULL;
  if (dflt.xCreate(dflt_user, NULL, 0, &dt) == SQLITE_OK) {
    const char *text = "H\xc3\xa9llo, W\xc3\xb6rld x_y";
    dflt.xTokenize(dt, NULL, FTS5_TOKENIZE_DOCUMENT, text, (int)strlen(text), print_token);
    dflt.xDelete(dt);
  }
  printf("\n");
  fts5_tokenizer stemmed = {stemmed_create, stemmed_delete, stemmed_tokenize};
  printf("create stemmed %d\n", api->xCreateTokenizer(api, "stemmed", NULL, &stemmed, NULL));
  run(db, "CREATE VIRTUAL TABLE t USING fts5(a, b);"
          "INSERT INTO t VALUES('one two three two', 'two four'), ('five', 'two one'), ('six seven', 'eight');"
          "SELECT rowid, probe(t, 'x') FROM t WHERE t MATCH 'two OR one' ORDER BY rowid;"
          "SELECT rowid, probe(t) FROM t WHERE t MATCH '\"two three\" + two' ;"
          "SELECT rowid, probe(t) FROM t WHERE t MATCH 'b:two';"
          "SELECT rowid, rank FROM t WHERE t MATCH 'two OR one OR six' AND rank MATCH 'negrowid()' ORDER BY rank;"
          "INSERT INTO t(t, rank) VALUES('rank', 'negrowid()');"
          "SELECT rowid FROM t('two OR six') ORDER BY rank DESC;"
          "CREATE VIRTUAL TABLE c USING fts5(x, tokenize = commas);"
          "INSERT INTO c VALUES('Red Apple, green pear,  BLUE sky'), ('red apple');"
          "SELECT rowid, highlight(c, 0, '[', ']') FROM c('\"red apple\"');"
          "SELECT rowid FROM c('green');"
          "SELECT rowid, highlight(c, 0, '<', '>') FROM c('\"green pear\"');"
          "CREATE VIRTUAL TABLE s USING fts5(x, tokenize = stemmed);"
          "INSERT INTO s VALUES('running runners ran'), ('connection connected');"
          "SELECT rowid, highlight(s, 0, '[', ']') FROM s('run');"
          "SELECT rowid FROM s('connecting');"
          "CREATE VIRTUAL TABLE bad USING fts5(x, tokenize = nosuch);");
  fts5_tokenizer syn = {syn_create, syn_delete, syn_tokenize};
  printf("create syn %d\n", api->xCreateTokenizer(api, "syn", NULL, &syn, NULL));
  run(db, "CREATE VIRTUAL TABLE y USING fts5(a, b, tokenize = syn);"
          "CREATE VIRTUAL TABLE yv USING fts5vocab(y, 'instance');"
          "INSERT INTO y VALUES('red big car', 'car wash'), ('blue car', 'big deal');");
  printf("-- autocommit: a failing row leaves nothing\n");
  run(db, "INSERT INTO y VALUES('green car', 'boom big');");
  dump(db);
  /* A failing row inside a transaction: a one-row INSERT has no statement journal in SQLite, so the %_content
  ** row written before the tokenizer failed stays and the transaction goes on (its index is not compared: SQLite
  ** 3.40 keeps the tokens given before the failure, and its integrity-check then fails). */
  printf("-- a transaction: a failing row keeps its content row\n");
  run(db, "CREATE VIRTUAL TABLE z USING fts5(a, tokenize = syn);"
          "BEGIN;"
          "INSERT INTO z VALUES('one');"
          "INSERT INTO z VALUES('two boom');");
  printf("autocommit %d\n", sqlite3_get_autocommit(db));
  run(db, "INSERT INTO z VALUES('three');"
          "COMMIT;"
          "SELECT id, c0 FROM z_content ORDER BY id;"
          "SELECT id, hex(sz) FROM z_docsize ORDER BY id;"
          "SELECT rowid FROM z('three') ORDER BY rowid;");
  printf("-- a transaction: queries before COMMIT, ROLLBACK TO\n");
  run(db, "BEGIN;"
          "INSERT INTO y VALUES('big big car', 'nothing');"
          "SELECT rowid FROM y('huge') ORDER BY rowid;"
          "SAVEPOINT a;"
          "INSERT INTO y VALUES('car car', 'big');"
          "SELECT rowid FROM y('auto') ORDER BY rowid;"
          "ROLLBACK TO a;"
          "INSERT INTO y VALUES('red huge car', 'large');"
          "SELECT rowid FROM y('auto OR huge') ORDER BY rowid;"
          "DELETE FROM y WHERE rowid = 2;"
          "UPDATE y SET b = 'car big' WHERE rowid = 1;"
          "COMMIT;");
  dump(db);
  sqlite3_close(db);
  return 0;
}
