/* An fts5 table indexes each row's tokens as its tokenizer gave them when the row was written: colocated
** tokens (synonyms) at their positions, %_docsize counting each position once, the same segments written
** at COMMIT, after ROLLBACK TO and when a query inside the transaction reads the changes not yet written;
** a tokenizer that fails an INSERT (autocommit) leaves nothing of that row behind. */
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
  run(db, "SELECT id, hex(block) FROM t_data ORDER BY id;"
          "SELECT id, hex(sz) FROM t_docsize ORDER BY id;"
          "SELECT term, doc, col, offset FROM v ORDER BY term, doc, col, offset;"
          "SELECT rowid FROM t('auto') ORDER BY rowid;"
          "SELECT rowid FROM t('\"red huge car\"') ORDER BY rowid;"
          "SELECT rowid FROM t('\"large auto\"') ORDER BY rowid;"
          "SELECT rowid FROM t('b:large') ORDER BY rowid;"
          "INSERT INTO t(t) VALUES('integrity-check');");
}

int main(void) {
  sqlite3 *db;
  if (sqlite3_open("logged.db", &db) != SQLITE_OK) return 1;
  fts5_api *api = get_api(db);
  if (!api) {
    printf("no fts5_api\n");
    return 1;
  }
  fts5_tokenizer syn = {syn_create, syn_delete, syn_tokenize};
  printf("create tokenizer %d\n", api->xCreateTokenizer(api, "syn", NULL, &syn, NULL));
  run(db, "CREATE VIRTUAL TABLE t USING fts5(a, b, tokenize = syn);"
          "CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');"
          "INSERT INTO t VALUES('red big car', 'car wash'), ('blue car', 'big deal');");
  printf("-- autocommit: a failing row leaves nothing\n");
  run(db, "INSERT INTO t VALUES('green car', 'boom big');");
  dump(db);
  /* (not a failing row inside a transaction: SQLite 3.40 keeps the tokens given before the failure, and its
  ** integrity-check then fails) */
  printf("-- a transaction: queries before COMMIT, ROLLBACK TO\n");
  run(db, "BEGIN;"
          "INSERT INTO t VALUES('big big car', 'nothing');"
          "SELECT rowid FROM t('huge') ORDER BY rowid;"
          "SAVEPOINT a;"
          "INSERT INTO t VALUES('car car', 'big');"
          "SELECT rowid FROM t('auto') ORDER BY rowid;"
          "ROLLBACK TO a;"
          "INSERT INTO t VALUES('red huge car', 'large');"
          "SELECT rowid FROM t('auto OR huge') ORDER BY rowid;"
          "DELETE FROM t WHERE rowid = 2;"
          "UPDATE t SET b = 'car big' WHERE rowid = 1;"
          "COMMIT;");
  dump(db);
  sqlite3_close(db);
  return 0;
}
