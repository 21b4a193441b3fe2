/*
** fts3_aux.c — the auxiliary functions of a MATCH query's current row:
**   offsets(t)    "column term byte-offset byte-size" for every token of
**                 every phrase hit, by column and position;
**   matchinfo(t, fmt)  a blob of 32-bit unsigned integers in native order,
**                 per format character: p phrases, c columns, x (hits in
**                 the row, in all rows, rows with hits) per phrase and
**                 column, y hits per phrase and column, b a bit per column
**                 per phrase, n rows, a average tokens per column, l the
**                 row's tokens per column, s longest run of consecutive
**                 phrases per column; "pcx" by default;
**   snippet(t, open, close, ellipsis, column, tokens)  up to four
**                 fragments of the row's text that cover the most phrases,
**                 hits wrapped in open/close.
** Phrases on the right of a NOT are not counted (they never match a row).
*/
#include <stdlib.h>
#include <string.h>

#include "ext/fts3/fts3_int.h"

/* The table and cursor a function call is about; NULL after reporting an error. */
static Fts3Cursor *call_cursor(sqlite3_context *ctx, sqlite3_value *arg, const char *fname) {
  Fts3Table *t = sqlite3_user_data(ctx);
  Fts3Cursor *c = fts3_cursor_of(t, arg);
  if (!c) {
    char *msg = sqlite3_mprintf("illegal first argument to %s", fname);
    sqlite3_result_error(ctx, msg ? msg : "out of memory", -1);
    sqlite3_free(msg);
  }
  return c;
}

/* Loads the phrases' hits in the cursor's row; 0 when the cursor is not a MATCH. */
static int row_hits(sqlite3_context *ctx, Fts3Cursor *c) {
  if (!c->q) return 0;
  if (!c->hits_loaded) {
    int rc = fts3_query_row_hits(c->q, c->docid);
    if (rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return -1;
    }
    c->hits_loaded = 1;
  }
  return 1;
}

/* ---- token offsets of a column ----------------------------------------------------------------------------- */

typedef struct Spans {
  int n, cap;
  int *start, *end;
} Spans;

static int span_add(void *vctx, const char *tok, int n, int start, int end, int pos) {
  Spans *s = vctx;
  (void)tok, (void)n;
  if (pos >= s->cap) {
    int cap = s->cap ? s->cap * 2 : 64;
    while (cap <= pos) cap *= 2;
    int *a = sqlite3_realloc64(s->start, sizeof(int) * (sqlite3_uint64)cap);
    if (!a) return SQLITE_NOMEM;
    s->start = a;
    int *b = sqlite3_realloc64(s->end, sizeof(int) * (sqlite3_uint64)cap);
    if (!b) return SQLITE_NOMEM;
    s->end = b;
    s->cap = cap;
  }
  s->start[pos] = start;
  s->end[pos] = end;
  s->n = pos + 1;
  return SQLITE_OK;
}

static void spans_free(Spans *s) {
  sqlite3_free(s->start);
  sqlite3_free(s->end);
  memset(s, 0, sizeof *s);
}

/* The text of column col of the cursor's row and its token spans. */
/* The tokens of column col of the cursor's row; *text NULL (no tokens) when the value is NULL or the
** row is missing (from another table). */
static int column_spans(Fts3Cursor *c, int col, const char **text, int *ntext, Spans *s) {
  Fts3Table *t = (Fts3Table *)c->base.pVtab;
  memset(s, 0, sizeof *s);
  *text = NULL;
  *ntext = 0;
  int rc = fts3_cursor_row(c);
  if (rc != SQLITE_OK) return rc == SQLITE_DONE ? SQLITE_OK : rc;
  sqlite3_stmt *st = c->row;
  *text = (const char *)sqlite3_column_text(st, col + 1);
  *ntext = sqlite3_column_bytes(st, col + 1);
  if (!*text) return SQLITE_OK;
  return fts3_tokenize(&t->tok, *text, *ntext, span_add, s);
}

/* ---- offsets() --------------------------------------------------------------------------------------------- */

typedef struct Off {
  sqlite3_int64 pos;
  int term;
} Off;

static int cmp_off(const void *a, const void *b) {
  const Off *x = a, *y = b;
  if (x->pos != y->pos) return x->pos < y->pos ? -1 : 1;
  return x->term - y->term;
}

void fts3_offsets_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  Fts3Cursor *c = call_cursor(ctx, argv[0], "offsets");
  if (!c) return;
  int r = row_hits(ctx, c);
  if (r < 0) return;
  if (r == 0) {
    sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
    return;
  }
  Fts3Table *t = (Fts3Table *)c->base.pVtab;
  Query *q = c->q;
  char *out = sqlite3_mprintf("");
  int rc = out ? SQLITE_OK : SQLITE_NOMEM;
  for (int col = 0; col < t->ncol && rc == SQLITE_OK; col++) {
    int n = 0;
    for (int i = 0; i < q->nphrase; i++)
      for (int h = 0; h < q->phrase[i]->nrow; h++)
        if ((q->phrase[i]->row[h] >> 32) == col) n += q->phrase[i]->ntok;
    if (n == 0) continue;
    Off *offs = sqlite3_malloc64(sizeof(Off) * (sqlite3_uint64)n);
    if (!offs) {
      rc = SQLITE_NOMEM;
      break;
    }
    int k = 0;
    for (int i = 0; i < q->nphrase; i++) {
      Phrase *ph = q->phrase[i];
      for (int h = 0; h < ph->nrow; h++) {
        if ((ph->row[h] >> 32) != col) continue;
        for (int j = 0; j < ph->ntok; j++) {
          offs[k].pos = (ph->row[h] & 0xFFFFFFFF) + j;
          offs[k++].term = ph->term0 + j;
        }
      }
    }
    qsort(offs, (size_t)n, sizeof(Off), cmp_off);
    const char *text;
    int ntext;
    Spans s;
    rc = column_spans(c, col, &text, &ntext, &s);
    for (int i = 0; text && i < n && rc == SQLITE_OK; i++) {
      if (offs[i].pos >= s.n) {
        /* A hit past the text's last token: the index and the table's own text disagree. */
        if (t->content == CONTENT_OWN) rc = SQLITE_CORRUPT_VTAB;
        break;
      }
      int p = (int)offs[i].pos;
      char *o = sqlite3_mprintf("%s%s%d %d %d %d", out, *out ? " " : "", col, offs[i].term, s.start[p],
                                s.end[p] - s.start[p]);
      sqlite3_free(out);
      out = o;
      if (!out) rc = SQLITE_NOMEM;
    }
    spans_free(&s);
    sqlite3_free(offs);
  }
  if (rc != SQLITE_OK) {
    sqlite3_free(out);
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  sqlite3_result_text(ctx, out, -1, sqlite3_free);
}

/* ---- matchinfo() ------------------------------------------------------------------------------------------- */

typedef struct U32s {
  uint32_t *v;
  int n, cap;
  int oom;
} U32s;

static void u32_put(U32s *a, sqlite3_int64 v) {
  if (a->oom) return;
  if (a->n == a->cap) {
    uint32_t *g = fts3_grow(a->v, &a->cap, sizeof *g, 32);
    if (!g) {
      a->oom = 1;
      return;
    }
    a->v = g;
  }
  a->v[a->n++] = (uint32_t)v;
}

static int count_col(const sqlite3_int64 *h, int n, int col) {
  int k = 0;
  for (int i = 0; i < n; i++) k += (h[i] >> 32) == col;
  return k;
}

/* Whether phrase ph has a hit at column col, position pos. */
static int has_hit(const Phrase *ph, int col, sqlite3_int64 pos) {
  sqlite3_int64 v = (sqlite3_int64)col << 32 | pos;
  for (int i = 0; i < ph->nrow; i++)
    if (ph->row[i] == v) return 1;
  return 0;
}

void fts3_matchinfo_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  Fts3Cursor *c = call_cursor(ctx, argv[0], "matchinfo");
  if (!c) return;
  Fts3Table *t = (Fts3Table *)c->base.pVtab;
  const char *fmt = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : "pcx";
  if (!fmt) fmt = "";
  for (const char *f = fmt; *f; f++) {
    int ok = strchr("pcxybs", *f) != NULL || (t->is_fts4 && strchr("na", *f) != NULL) || (t->has_docsize && *f == 'l');
    if (!ok) {
      char *msg = sqlite3_mprintf("unrecognized matchinfo request: %c", *f);
      sqlite3_result_error(ctx, msg ? msg : "out of memory", -1);
      sqlite3_free(msg);
      return;
    }
  }
  int r = row_hits(ctx, c);
  if (r < 0) return;
  if (r == 0) {
    sqlite3_result_blob(ctx, "", 0, SQLITE_STATIC);
    return;
  }
  Query *q = c->q;
  Phrase **ph = sqlite3_malloc64(sizeof(Phrase *) * (sqlite3_uint64)(q->nphrase ? q->nphrase : 1));
  if (!ph) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  int np = 0;
  for (int i = 0; i < q->nphrase; i++)
    if (q->phrase[i]->matchable) ph[np++] = q->phrase[i];
  U32s out = {0};
  int rc = SQLITE_OK;
  sqlite3_int64 ndocs = 0, *ntok = NULL;
  for (const char *f = fmt; *f && rc == SQLITE_OK; f++) {
    switch (*f) {
      case 'p': u32_put(&out, np); break;
      case 'c': u32_put(&out, t->ncol); break;
      case 'x':
      case 'y':
        for (int i = 0; i < np; i++) {
          for (int col = 0; col < t->ncol; col++) {
            if (*f == 'y') {
              u32_put(&out, ph[i]->counted ? count_col(ph[i]->row, ph[i]->nrow, col) : 0);
              continue;
            }
            u32_put(&out, count_col(ph[i]->row, ph[i]->nrow, col));
            sqlite3_int64 all = 0, docs = 0;
            const DocHits *dh = ph[i]->in_near ? &ph[i]->near_hits : &ph[i]->hits;
            if (ph[i]->ndeferred == ph[i]->ntok && !ph[i]->in_near) {
              /* A phrase no doclist of which was read: SQLite counts every document, in every column. */
              all = docs = q->ndocs_stat;
              dh = NULL;
            }
            for (int d = 0; dh && d < dh->ndocs; d++) {
              int k = count_col(dh->hit + dh->start[d], dh->start[d + 1] - dh->start[d], col);
              all += k;
              docs += k > 0;
            }
            u32_put(&out, all);
            u32_put(&out, docs);
          }
        }
        break;
      case 'b': {
        int words = (t->ncol + 31) / 32;
        for (int i = 0; i < np; i++) {
          for (int w = 0; w < words; w++) {
            uint32_t bits = 0;
            for (int col = w * 32; ph[i]->counted && col < t->ncol && col < w * 32 + 32; col++)
              if (count_col(ph[i]->row, ph[i]->nrow, col)) bits |= 1u << (col - w * 32);
            u32_put(&out, bits);
          }
        }
        break;
      }
      case 'n':
        rc = fts3_stat_read(t, &ndocs, NULL);
        u32_put(&out, ndocs);
        break;
      case 'a':
        if (!ntok) {
          ntok = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)t->ncol);
          rc = ntok ? fts3_stat_read(t, &ndocs, ntok) : SQLITE_NOMEM;
        }
        /* a column's token count is taken modulo 2^32, as SQLite takes it */
        for (int col = 0; rc == SQLITE_OK && col < t->ncol; col++)
          u32_put(&out, ((sqlite3_int64)(uint32_t)ntok[col] + ndocs / 2) / ndocs);
        break;
      case 'l': {
        sqlite3_int64 *row = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)t->ncol);
        rc = row ? fts3_docsize_read(t, c->docid, row) : SQLITE_NOMEM;
        for (int col = 0; rc == SQLITE_OK && col < t->ncol; col++) u32_put(&out, row[col]);
        sqlite3_free(row);
        break;
      }
      case 's':
        for (int col = 0; col < t->ncol; col++) {
          int best = 0;
          for (int i = 0; i < np; i++) {
            for (int h = 0; h < ph[i]->nrow; h++) {
              if ((ph[i]->row[h] >> 32) != col) continue;
              sqlite3_int64 pos = ph[i]->row[h] & 0xFFFFFFFF;
              int run = 1;
              for (int j = i + 1; j < np && has_hit(ph[j], col, pos + ph[j - 1]->ntok); j++) {
                pos += ph[j - 1]->ntok;
                run++;
              }
              if (run > best) best = run;
            }
          }
          u32_put(&out, best);
        }
        break;
    }
  }
  sqlite3_free(ntok);
  sqlite3_free(ph);
  if (out.oom) rc = SQLITE_NOMEM;
  if (rc != SQLITE_OK) {
    sqlite3_free(out.v);
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  sqlite3_result_blob(ctx, out.v ? (const void *)out.v : "", (int)sizeof(uint32_t) * out.n, SQLITE_TRANSIENT);
  sqlite3_free(out.v);
}

/* ---- snippet() --------------------------------------------------------------------------------------------- */

/* A phrase hit is named by the position of its last token; the candidate
** fragments of a column are the one at position 0 and one ending at each
** hit further on.  A fragment scores 1000 for the first hit of a phrase
** that no earlier fragment covers and 1 for every other hit; its highlight
** mask marks the tokens of the hits it holds. */
#define SNIPPET_MAX_TOKENS 64

typedef struct Frag {
  int col;
  sqlite3_int64 pos;      /* the first token */
  sqlite3_uint64 covers;  /* phrases with a hit in it */
  sqlite3_uint64 hl;      /* bit k: token pos + k is highlighted */
} Frag;

static int frag_details(Phrase **ph, int np, int col, sqlite3_int64 start, int nf, sqlite3_uint64 covered, Frag *f) {
  int score = 0;
  f->col = col;
  f->pos = start;
  f->covers = f->hl = 0;
  for (int i = 0; i < np; i++) {
    sqlite3_uint64 bit = 1ull << (i % 64);
    for (int h = 0; h < ph[i]->nrow; h++) {
      sqlite3_int64 v = ph[i]->row[h];
      if ((v >> 32) != col) continue;
      sqlite3_int64 last = (v & 0xFFFFFFFF) + ph[i]->ntok - 1;
      if (last < start || last >= start + nf) continue;
      score += (f->covers | covered) & bit ? 1 : 1000;
      f->covers |= bit;
      for (int j = 0; j < ph[i]->ntok && j < nf; j++)
        if (last - j >= start) f->hl |= 1ull << (last - j - start);
    }
  }
  return score;
}

/* The best fragment of nf tokens in column col; its score, -1 when the column has none. */
static int best_in_column(Phrase **ph, int np, int col, int nf, sqlite3_uint64 covered, sqlite3_uint64 *seen,
                          Frag *best) {
  int best_score = frag_details(ph, np, col, 0, nf, covered, best);
  for (int i = 0; i < np; i++)
    for (int h = 0; h < ph[i]->nrow; h++)
      if ((ph[i]->row[h] >> 32) == col) *seen |= 1ull << (i % 64);
  /* Candidates in the order of their last token, so that the first of equal scores wins. */
  sqlite3_int64 prev = -1;
  for (;;) {
    sqlite3_int64 next = -1;
    for (int i = 0; i < np; i++)
      for (int h = 0; h < ph[i]->nrow; h++) {
        sqlite3_int64 v = ph[i]->row[h];
        if ((v >> 32) != col) continue;
        sqlite3_int64 last = (v & 0xFFFFFFFF) + ph[i]->ntok - 1;
        if (last >= nf && last > prev && (next < 0 || last < next)) next = last;
      }
    if (next < 0) break;
    Frag f;
    int sc = frag_details(ph, np, col, next - nf + 1, nf, covered, &f);
    if (sc > best_score) {
      best_score = sc;
      *best = f;
    }
    prev = next;
  }
  return best_score;
}

static void str_add(char **s, int *oom, const char *z, int n) {
  if (*oom || n <= 0) return;
  char *r = sqlite3_mprintf("%s%.*s", *s, n, z);
  sqlite3_free(*s);
  *s = r;
  if (!r) *oom = 1;
}

/* Appends fragment k of nfrag (nf tokens) to *out. */
/* Appends fragment k of nfrag to *out; *any set when its column has a value (a NULL one adds nothing). */
static int frag_text(Fts3Cursor *c, Frag *f, int k, int nfrag, int nf, const char *open, const char *close,
                     const char *ell, char **out, int *oom, int *any) {
  const char *text;
  int ntext = 0;
  Spans s;
  int rc = column_spans(c, f->col, &text, &ntext, &s);
  if (rc != SQLITE_OK || !text) {
    spans_free(&s);
    return rc;
  }
  *any = 1;
  /* Centre the highlighted tokens: move right by half the difference of the unhighlighted ends. */
  if (f->hl) {
    int left = 0, right = 0;
    while (!(f->hl >> left & 1)) left++;
    while (!(f->hl >> (nf - 1 - right) & 1)) right++;
    int want = (left - right) / 2;
    sqlite3_int64 room = s.n - f->pos - nf;
    if (want > 0 && room > 0) {
      int shift = want < room ? want : (int)room;
      f->pos += shift;
      f->hl >>= shift;
    }
  }
  if (f->pos >= s.n && s.n > 0) {
    spans_free(&s);
    return SQLITE_OK;
  }
  if (f->pos > 0 || k > 0) str_add(out, oom, ell, (int)strlen(ell));
  else if (s.n > 0) str_add(out, oom, text, s.start[0]);
  int at = 0;
  sqlite3_int64 p = f->pos;
  for (; p < s.n && p < f->pos + nf; p++) {
    if (p > f->pos) str_add(out, oom, text + at, s.start[p] - at);
    int hl = (f->hl >> (p - f->pos)) & 1;
    if (hl) str_add(out, oom, open, (int)strlen(open));
    str_add(out, oom, text + s.start[p], s.end[p] - s.start[p]);
    if (hl) str_add(out, oom, close, (int)strlen(close));
    at = s.end[p];
  }
  if (p >= s.n) str_add(out, oom, text + at, ntext - at);
  else if (k == nfrag - 1) str_add(out, oom, ell, (int)strlen(ell));
  spans_free(&s);
  return SQLITE_OK;
}

void fts3_snippet_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  Fts3Cursor *c = call_cursor(ctx, argv[0], "snippet");
  if (!c) return;
  if (argc > 6) {
    sqlite3_result_error(ctx, "wrong number of arguments to function snippet()", -1);
    return;
  }
  Fts3Table *t = (Fts3Table *)c->base.pVtab;
  const char *open = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : "<b>";
  const char *close = argc > 2 ? (const char *)sqlite3_value_text(argv[2]) : "</b>";
  const char *ell = argc > 3 ? (const char *)sqlite3_value_text(argv[3]) : "<b>...</b>";
  int want_col = argc > 4 ? sqlite3_value_int(argv[4]) : -1;
  int ntoken = argc > 5 ? sqlite3_value_int(argv[5]) : -15;
  if (!open) open = "";
  if (!close) close = "";
  if (!ell) ell = "";
  if (ntoken > SNIPPET_MAX_TOKENS) ntoken = SNIPPET_MAX_TOKENS;
  if (ntoken < -SNIPPET_MAX_TOKENS) ntoken = -SNIPPET_MAX_TOKENS;
  if (ntoken == 0) {
    sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
    return;
  }
  int r = row_hits(ctx, c);
  if (r < 0) return;
  if (r == 0) {
    sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
    return;
  }
  Query *q = c->q;
  Phrase **ph = q->phrase;
  int np = q->nphrase;
  /* 1 to 4 fragments, as few as cover every phrase the examined columns hold. */
  Frag frags[4];
  int nfrag = 0, nf = 0;
  for (int nsnip = 1; nsnip <= 4; nsnip++) {
    nf = ((ntoken < 0 ? -ntoken : ntoken) + nsnip - 1) / nsnip;
    sqlite3_uint64 covered = 0, seen = 0;
    nfrag = 0;
    for (int k = 0; k < nsnip; k++) {
      int best_score = -1;
      Frag best = {0, 0, 0, 0};
      for (int col = 0; col < t->ncol; col++) {
        if (want_col >= 0 && col != want_col) continue;
        Frag f;
        int sc = best_in_column(ph, np, col, nf, covered, &seen, &f);
        if (sc > best_score) {
          best_score = sc;
          best = f;
        }
      }
      frags[nfrag++] = best;
      covered |= best.covers;
    }
    if (seen == covered || nsnip == 4) break;
  }
  char *out = sqlite3_mprintf("");
  int oom = !out, rc = SQLITE_OK, any = 0;
  for (int k = 0; k < nfrag && !oom && rc == SQLITE_OK; k++)
    rc = frag_text(c, &frags[k], k, nfrag, nf, open, close, ell, &out, &oom, &any);
  if (oom) rc = SQLITE_NOMEM;
  if (rc != SQLITE_OK) {
    sqlite3_free(out);
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  if (!any) { /* every fragment's column NULL: so is the snippet */
    sqlite3_free(out);
    sqlite3_result_null(ctx);
    return;
  }
  sqlite3_result_text(ctx, out, -1, sqlite3_free);
}
