/*
** fts_func.c — the SQL functions of full-text search.
**
**   fts_match(col, …, query)     1 when the values match the query, else 0
**   fts_score(col, …, query)     the BM25 score; a query the planner answers
**                                from an FTS index reads it from the index,
**                                a call evaluated row by row gives 0 (no
**                                corpus to rank against), as in Turso
**   fts_highlight(col, …, open, close, query)
**                                the values joined by spaces, each token the
**                                query names wrapped in open/close
**   fts_snippet(col, open, close, ellipsis, max_tokens, query)
**                                the max_tokens-token window with the most
**                                query tokens, highlighted, ellipsis where cut
**
** Row by row the values are read with the default tokenizer and the query's
** column filters have no names to refer to (an FTS index supplies them): a
** filter's name is accepted and the term looked for in every value.
*/
#include <string.h>

#include "ext/fts/fts.h"
#include "util/util.h"

static void fail(FuncContext *ctx, int rc, char *msg) {
  ctx->rc = rc;
  util_free(ctx->errmsg);
  ctx->errmsg = msg;
}

/* ---- one row as a posting source ------------------------------------------------ */

typedef struct RowTok {
  int start, end, pos;
  char *text;
  int n;
} RowTok;

typedef struct RowField {
  RowTok *t;
  int n, cap, rc;
} RowField;

typedef struct RowSource {
  RowField f[FTS_MAX_FIELDS];
  int nfields;
  int tok[FTS_MAX_FIELDS];
  double w[FTS_MAX_FIELDS], avg[FTS_MAX_FIELDS];
} RowSource;

static int row_token(void *ctx, const char *tok, int n, int pos, int start, int end) {
  RowField *f = ctx;
  if (f->n == f->cap) {
    int ncap = f->cap ? 2 * f->cap : 16;
    RowTok *g = util_realloc(f->t, sizeof(RowTok) * (size_t)ncap);
    if (!g) return f->rc = LODE_NOMEM;
    f->t = g;
    f->cap = ncap;
  }
  RowTok *t = &f->t[f->n];
  if (!(t->text = util_strndup(tok, (size_t)n))) return f->rc = LODE_NOMEM;
  t->n = n, t->pos = pos, t->start = start, t->end = end;
  f->n++;
  return 0;
}

static void row_field_free(RowField *f) {
  for (int i = 0; i < f->n; i++) util_free(f->t[i].text);
  util_free(f->t);
  memset(f, 0, sizeof *f);
}

static int row_lookup(void *ctx, int field, const char *term, int n, int prefix, int want_pos, FtsPostings **lists,
                      int *nlists, int *cap) {
  RowSource *s = ctx;
  RowField *f = &s->f[field];
  int32_t *pos = util_malloc(sizeof(int32_t) * (size_t)(f->n + 1));
  char *done = util_zalloc((size_t)f->n + 1);
  int rc = pos && done ? LODE_OK : LODE_NOMEM;
  (void)want_pos;
  /* One list per distinct token matched (a prefix may match several). */
  for (int i = 0; i < f->n && rc == LODE_OK; i++) {
    const RowTok *t = &f->t[i];
    if (done[i] || (prefix ? t->n < n : t->n != n) || memcmp(t->text, term, (size_t)n) != 0) continue;
    int tf = 0;
    for (int j = i; j < f->n; j++) {
      if (f->t[j].n != t->n || memcmp(f->t[j].text, t->text, (size_t)t->n) != 0) continue;
      done[j] = 1;
      pos[tf++] = f->t[j].pos;
    }
    if ((rc = fts_postings_list_add(lists, nlists, cap)) == LODE_OK) rc = fts_postings_add(&(*lists)[*nlists - 1], 0, f->n, pos, tf);
  }
  util_free(pos);
  util_free(done);
  return rc;
}

static int row_all(void *ctx, int64_t **docs, int64_t *n) {
  (void)ctx;
  *docs = util_malloc(sizeof(int64_t));
  if (!*docs) return LODE_NOMEM;
  (*docs)[0] = 0;
  *n = 1;
  return LODE_OK;
}

/* Reads nvals values into s (NULL reads as empty). */
static int row_open(RowSource *s, int nvals, Mem **vals, int *oom) {
  memset(s, 0, sizeof *s);
  s->nfields = nvals;
  for (int i = 0; i < nvals; i++) {
    s->tok[i] = FTS_TOK_DEFAULT;
    s->w[i] = 1.0;
    if (vals[i]->type == MEM_NULL) continue;
    const char *z = mem_as_text(vals[i], oom);
    if (*oom) return LODE_NOMEM;
    fts_tokenize(FTS_TOK_DEFAULT, z, (int)strlen(z), row_token, &s->f[i]);
    if (s->f[i].rc != LODE_OK) return s->f[i].rc;
    s->avg[i] = s->f[i].n;
  }
  return LODE_OK;
}

static void row_close(RowSource *s) {
  for (int i = 0; i < s->nfields; i++) row_field_free(&s->f[i]);
}

/* The query of the last argument; NULL when it is NULL (ctx's result NULL). */
static FtsQuery *arg_query(FuncContext *ctx, Mem *m, int nfields) {
  int oom = 0;
  if (m->type == MEM_NULL) return NULL;
  const char *z = mem_as_text(m, &oom);
  if (oom) return fail(ctx, LODE_NOMEM, NULL), NULL;
  const char *names[FTS_MAX_FIELDS];
  for (int i = 0; i < nfields; i++) names[i] = "";
  FtsQuery *q = NULL;
  char *err = NULL;
  int rc = fts_query_parse(z, (int)strlen(z), -1, names, &q, &err);
  if (rc != LODE_OK) fail(ctx, rc, err);
  else util_free(err);
  return q;
}

static void fn_match(FuncContext *ctx, int argc, Mem **argv) {
  int nf = argc - 1;
  if (argc < 2 || nf > FTS_MAX_FIELDS) {
    fail(ctx, LODE_ERROR, util_mprintf("fts_match: takes 1 to %d columns and a query", FTS_MAX_FIELDS));
    return;
  }
  FtsQuery *q = arg_query(ctx, argv[nf], nf);
  if (!q) return;
  RowSource s;
  int oom = 0;
  int rc = row_open(&s, nf, argv, &oom);
  FtsSource src = {&s, nf, s.tok, s.w, 1.0, s.avg, row_lookup, row_all, NULL, 1};
  FtsHit *hits = NULL;
  int64_t n = 0;
  char *err = NULL;
  if (rc == LODE_OK) rc = fts_evaluate(&src, q, &hits, &n, &err);
  if (rc != LODE_OK) fail(ctx, rc, err);
  else mem_set_int(ctx->out, n > 0);
  util_free(hits);
  row_close(&s);
  fts_query_free(q);
}

static void fn_score(FuncContext *ctx, int argc, Mem **argv) {
  if (argc < 2 || argc - 1 > FTS_MAX_FIELDS) {
    fail(ctx, LODE_ERROR, util_mprintf("fts_score: takes 1 to %d columns and a query", FTS_MAX_FIELDS));
    return;
  }
  FtsQuery *q = arg_query(ctx, argv[argc - 1], argc - 1);
  if (!q) return;
  fts_query_free(q);
  mem_set_real(ctx->out, 0.0);
}

/* text with the tokens q names wrapped; snippet: only tokens [from, to) and the ellipses. */
static void highlight(StrBuf *b, const char *z, const RowField *f, const FtsQuery *q, const char *open,
                      const char *close, int from, int to) {
  int at = from < f->n ? f->t[from].start : (int)strlen(z);
  int end = to > from && to <= f->n ? f->t[to - 1].end : (int)strlen(z);
  if (from == 0 && to >= f->n) at = 0, end = (int)strlen(z);
  for (int i = from; i < to && i < f->n; i++) {
    const RowTok *t = &f->t[i];
    if (!fts_query_has_token(q, FTS_TOK_DEFAULT, t->text, t->n)) continue;
    strbuf_append(b, z + at, (size_t)(t->start - at));
    strbuf_appendz(b, open);
    strbuf_append(b, z + t->start, (size_t)(t->end - t->start));
    strbuf_appendz(b, close);
    at = t->end;
  }
  if (end > at) strbuf_append(b, z + at, (size_t)(end - at));
}

static void fn_highlight(FuncContext *ctx, int argc, Mem **argv) {
  if (argc < 4) {
    fail(ctx, LODE_ERROR, util_strdup("fts_highlight: takes columns, an open tag, a close tag and a query"));
    return;
  }
  int nf = argc - 3, oom = 0;
  if (argv[argc - 3]->type == MEM_NULL || argv[argc - 2]->type == MEM_NULL || argv[argc - 1]->type == MEM_NULL)
    return;
  FtsQuery *q = arg_query(ctx, argv[argc - 1], nf);
  if (!q) return;
  StrBuf text, b;
  strbuf_init(&text);
  strbuf_init(&b);
  for (int i = 0, any = 0; i < nf && !oom; i++) {
    if (argv[i]->type == MEM_NULL) continue;
    const char *z = mem_as_text(argv[i], &oom);
    if (oom) break;
    if (any++) strbuf_appendc(&text, ' ');
    strbuf_appendz(&text, z);
  }
  char *open = oom ? NULL : util_strdup(mem_as_text(argv[argc - 3], &oom));
  char *close = oom ? NULL : util_strdup(mem_as_text(argv[argc - 2], &oom));
  char *z = strbuf_finish(&text);
  RowField f = {NULL, 0, 0, LODE_OK};
  if (z && open && close && !oom) {
    fts_tokenize(FTS_TOK_DEFAULT, z, (int)strlen(z), row_token, &f);
    if (f.rc == LODE_OK) highlight(&b, z, &f, q, open, close, 0, f.n);
  }
  char *out = strbuf_finish(&b);
  if (!z || !open || !close || oom || f.rc != LODE_OK || !out) fail(ctx, LODE_NOMEM, NULL);
  else mem_take_text(ctx->out, out, (int)strlen(out)), out = NULL;
  util_free(out);
  util_free(z);
  util_free(open);
  util_free(close);
  row_field_free(&f);
  fts_query_free(q);
}

static void fn_snippet(FuncContext *ctx, int argc, Mem **argv) {
  int oom = 0;
  (void)argc;
  for (int i = 1; i < 6; i++)
    if (argv[i]->type == MEM_NULL) return;
  if (argv[0]->type == MEM_NULL) return;
  int64_t max = mem_as_int(argv[4]);
  if (max < 1) max = 1;
  if (max > 1000) max = 1000;
  FtsQuery *q = arg_query(ctx, argv[5], 1);
  if (!q) return;
  const char *z = mem_as_text(argv[0], &oom);
  char *zc = oom ? NULL : util_strdup(z);
  char *open = zc ? util_strdup(mem_as_text(argv[1], &oom)) : NULL;
  char *close = open ? util_strdup(mem_as_text(argv[2], &oom)) : NULL;
  char *ellipsis = close ? util_strdup(mem_as_text(argv[3], &oom)) : NULL;
  RowField f = {NULL, 0, 0, LODE_OK};
  StrBuf b;
  strbuf_init(&b);
  if (ellipsis && !oom) {
    fts_tokenize(FTS_TOK_DEFAULT, zc, (int)strlen(zc), row_token, &f);
    /* The window with the most query tokens, the earliest on ties. */
    int best = 0, best_hits = -1;
    for (int s = 0; s == 0 || s + max <= f.n; s++) {
      int hits = 0;
      for (int i = s; i < s + max && i < f.n; i++) hits += fts_query_has_token(q, FTS_TOK_DEFAULT, f.t[i].text, f.t[i].n);
      if (hits > best_hits) best_hits = hits, best = s;
      if (s + max >= f.n) break;
    }
    int to = best + (int)max < f.n ? best + (int)max : f.n;
    if (best > 0) strbuf_appendz(&b, ellipsis);
    highlight(&b, zc, &f, q, open, close, best, to);
    if (to < f.n) strbuf_appendz(&b, ellipsis);
  }
  char *out = strbuf_finish(&b);
  if (!ellipsis || oom || f.rc != LODE_OK || !out) fail(ctx, LODE_NOMEM, NULL);
  else mem_take_text(ctx->out, out, (int)strlen(out)), out = NULL;
  util_free(out);
  util_free(zc);
  util_free(open);
  util_free(close);
  util_free(ellipsis);
  row_field_free(&f);
  fts_query_free(q);
}

int fts_register(FuncRegistry *r) {
  static const struct {
    const char *name;
    int nargs;
    void (*fn)(FuncContext *, int, Mem **);
  } fns[] = {
      {"fts_match", -1, fn_match},
      {"fts_score", -1, fn_score},
      {"fts_highlight", -1, fn_highlight},
      {"fts_snippet", 6, fn_snippet},
  };
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    FuncDef def = {fns[i].name, fns[i].nargs, FUNC_DETERMINISTIC, fns[i].fn, NULL, NULL, 0, NULL};
    int rc = func_registry_add(r, &def, NULL);
    if (rc != LODE_OK) return rc;
  }
  return LODE_OK;
}
