/*
** fts_method.c — the index method "fts": full-text search over one or more
** text columns (docs/fts.md), its postings in three stores of the database
** file, so that every change is part of the statement's transaction and a
** query sees the transaction's own writes.
**
** Stores (keys are (major, minor) int64 pairs, idxmethod.h):
**
**   terms     the dictionary.  Key: the first 16 bytes of
**             [field byte][term bytes], zero-padded, read as two big-endian
**             numbers with the sign bit flipped (so that key order is byte
**             order and a prefix is a key range).  Value: the entries sharing
**             that key, each  varint len, term bytes, varint term id.
**   postings  (term id, last rowid) → a chunk of that term's postings for
**             consecutive rowids: per row  varint rowid (the first
**             zigzag-encoded, then the step from the previous one), varint
**             field length, varint tf, tf varint position deltas.  A chunk
**             keyed K holds the rowids after the previous chunk's key up to
**             K; a term's last chunk is keyed INT64_MAX (it takes appended
**             rows).  Chunks are split near CHUNK_TARGET bytes.
**   docs      (rowid, 0) → empty: the rows indexed (for the query "*");
**             (INT64_MIN, 1) → the statistics: varint rows, varint next term
**             id, then per field varint total tokens.  (Statistics under
**             (INT64_MIN, 0) mark an index of the earlier layout, one entry
**             per term and row: it is refused, to be created again.)
**
** Queries read a term's chunks through a cursor (fts.h's FtsPostingCursor)
** that seeks (term id, rowid) to skip to a later document, so a conjunction
** reads only the chunks its candidates fall in.
**
** Term ids are never reused; OPTIMIZE INDEX drops dictionary entries whose
** postings are gone and packs a term's chunks when deletes, updates or
** out-of-order rowids left them short.
**
** Writes are batched: a cursor logs the postings a statement adds and
** removes in memory (one log in arrival order, grouped by term when it is
** written) and merges them into the chunks when the statement ends, before a trigger program runs, before a
** query on the same cursor, and when the batch passes PENDING_MAX bytes
** (xFlush).  A statement's rows thus cost one chunk rewrite per distinct
** term rather than one b-tree update per term and row.

** Patterns (the WHERE's fts_match and the ORDER BY's fts_score name the
** index's columns in order; the query text is any constant):
**   0  SELECT fts_score(cols, ?) AS score FROM t WHERE fts_match(cols, ?) ORDER BY score DESC LIMIT ?
**   1  SELECT fts_score(cols, ?) AS score FROM t ORDER BY score DESC LIMIT ?
**   2  SELECT fts_score(cols, ?) FROM t WHERE fts_match(cols, ?)
**   3  SELECT * FROM t WHERE fts_match(cols, ?)
** 0 and 1 yield the best rows first (ties by rowid), 2 and 3 the matching
** rows by rowid; column 0 of 0–2 is the row's score.
**
** Parameters: tokenizer = 'default' | 'simple' | 'whitespace' | 'raw' |
** 'ngram'; weights = 'col=2.0,col2=0.5' (1.0 for a column not named).  A
** column may name its own tokenizer, (title WITH tokenizer=simple, body),
** which the parser hands over as the parameter "title.tokenizer".
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ext/fts/fts.h"
#include "idxmethod/idxmethod_int.h"
#include "util/util.h"

#define FTS_NAME "fts"
#define STATS_KEY INT64_MIN
#define STATS_MINOR 1 /* the chunked layout's statistics (0: the one-posting-per-entry layout's) */
#define NPATTERNS 4
#define CACHE_MAX 65536 /* terms remembered per cursor before the cache starts over */
#define CHUNK_TARGET 800 /* bytes: a chunk stays within a page's local payload */
#define PENDING_MAX (48 << 20) /* bytes of batched postings before a merge */

typedef struct FtsAttachment {
  lode_index_attachment base;
  int nfields;
  char **names;
  int tokenizer[FTS_MAX_FIELDS];
  char column_tokenizer[FTS_MAX_FIELDS]; /* the column named its own tokenizer */
  double weight[FTS_MAX_FIELDS];
  const char *patterns[NPATTERNS];
  char *pattern_text[NPATTERNS];
} FtsAttachment;

/* The cursor's term-id cache: open addressing on (field, term). */
typedef struct CacheSlot {
  char *key; /* field byte + term; NULL: free */
  int n;
  int64_t id;
  /* The term's place in the batch, pend[pend], when batch is the cursor's
  ** current batch: spares a row's tokens the second lookup by id. */
  int32_t pend;
  uint32_t batch;
} CacheSlot;

/* Statistics: rows, the next term id, the fields' token totals. */
typedef struct Stats {
  int64_t rows, next_id;
  int64_t tokens[FTS_MAX_FIELDS];
} Stats;

/* One batched change of a term's postings: an insert (the posting's bytes
** at off, n of them) or a delete (n < 0) of rowid; seq orders changes of
** the same row. */
typedef struct PendOp {
  int64_t rowid, off;
  int32_t n;
  uint32_t seq;
} PendOp;

/* A term of the batch: its changes are n of the log's, in arrival order. */
typedef struct PendTerm {
  int64_t id;
  int64_t last;  /* the rowid of its latest change */
  int64_t start; /* while the batch is merged: where its changes begin in the grouped array */
  int32_t n;
  int sorted; /* its changes ascend by rowid */
} PendTerm;

/* A change as the batch logs it: of term pend[term]. */
typedef struct LogOp {
  int64_t rowid, off;
  int32_t n, term;
} LogOp;

typedef struct FtsCursor {
  lode_index_cursor base;
  FtsAttachment *att;
  lode_index_store *terms, *postings, *docs;
  CacheSlot *cache;
  int64_t cache_cap, cache_n;
  /* The batch: terms (pend[0..npend)), found by id through pendmap (open
  ** addressing, index + 1; 0 free); their changes appended to one log in
  ** arrival order (written in sequence, which keeps a bulk load out of
  ** cache misses), grouped by term when merged; the postings' bytes in
  ** arena. */
  PendTerm *pend;
  int32_t npend, pendcap;
  LogOp *log;
  int64_t nlog, logcap;
  int32_t *pendmap;
  int64_t pendmap_cap;
  uint32_t batch; /* counts the batches written, so that cache slots tell a stale place */
  uint8_t *arena;
  int64_t alen, acap, pend_bytes;
  /* While the batch holds changes: the statistics as stored when it began
  ** (st0) and with its changes (st). */
  int have_stats;
  Stats st0, st;
  /* A query's rows. */
  FtsHit *hits;
  int64_t nhits, at;
  /* Statistics while a query runs. */
  double avglen[FTS_MAX_FIELDS];
  /* What integrity_check found of the table's rows so far. */
  struct Tally *tally;
} FtsCursor;

static const char *const fts_stores[] = {"terms", "postings", "docs"};

/* ---- attachment ------------------------------------------------------------------ */

static void fts_detach(lode_index_attachment *a) {
  FtsAttachment *t = (FtsAttachment *)a;
  for (int i = 0; i < NPATTERNS; i++) util_free(t->pattern_text[i]);
  for (int i = 0; t->names && i < t->nfields; i++) util_free(t->names[i]);
  util_free(t->names);
  util_free(t);
}

static int param_text(const lode_index_param *p, char **errmsg) {
  if (p->type != LODE_TEXT) {
    *errmsg = util_mprintf(FTS_NAME ": parameter %s must be a string", p->name);
    return 0;
  }
  return 1;
}

/* weights = 'col=2.0, col2=1' */
static int parse_weights(FtsAttachment *t, const char *z, char **errmsg) {
  while (*z) {
    while (*z == ' ' || *z == ',') z++;
    if (!*z) break;
    const char *name = z;
    while (*z && *z != '=' && *z != ',') z++;
    const char *name_end = z;
    while (name_end > name && name_end[-1] == ' ') name_end--;
    if (*z != '=') {
      *errmsg = util_mprintf(FTS_NAME ": weights must read 'column=number, …'");
      return 0;
    }
    z++;
    char *end;
    double w = strtod(z, &end);
    if (end == z || !isfinite(w) || w < 0) {
      *errmsg = util_mprintf(FTS_NAME ": bad weight for %.*s", (int)(name_end - name), name);
      return 0;
    }
    z = end;
    int f = -1;
    for (int i = 0; i < t->nfields; i++)
      if ((int)strlen(t->names[i]) == name_end - name && util_strnicmp(t->names[i], name, (size_t)(name_end - name)) == 0)
        f = i;
    if (f < 0) {
      *errmsg = util_mprintf(FTS_NAME ": weights name %.*s, which the index does not cover", (int)(name_end - name),
                             name);
      return 0;
    }
    t->weight[f] = w;
    while (*z == ' ') z++;
    if (*z && *z != ',') {
      *errmsg = util_mprintf(FTS_NAME ": weights must read 'column=number, …'");
      return 0;
    }
  }
  return 1;
}

/* tokenizer = 'name': its kind, or -1 with *errmsg. */
static int tokenizer_param(const lode_index_param *p, char **errmsg) {
  if (!param_text(p, errmsg)) return -1;
  int k = fts_tokenizer_by_name((const char *)p->p);
  if (k < 0) *errmsg = util_mprintf(FTS_NAME ": unknown tokenizer %s", (const char *)p->p);
  return k;
}

/* A column's parameter "col.name" (CREATE INDEX … USING fts (col WITH
** tokenizer=simple)): only tokenizer. */
static int column_param(FtsAttachment *t, const lode_index_param *p, char **errmsg) {
  const char *dot = strrchr(p->name, '.');
  int f = -1;
  for (int i = 0; i < t->nfields; i++)
    if ((int)strlen(t->names[i]) == dot - p->name && util_strnicmp(t->names[i], p->name, (size_t)(dot - p->name)) == 0)
      f = i;
  if (f < 0 || util_stricmp(dot + 1, "tokenizer") != 0) {
    *errmsg = util_mprintf(FTS_NAME ": unknown parameter %s (a column takes only tokenizer)", p->name);
    return 0;
  }
  int k = tokenizer_param(p, errmsg);
  if (k < 0) return 0;
  t->tokenizer[f] = k;
  t->column_tokenizer[f] = 1;
  return 1;
}

static char *column_list(const lode_index_config *cfg) {
  StrBuf b;
  strbuf_init(&b);
  for (int i = 0; i < cfg->ncols; i++) {
    char *q = idxm_quoted(cfg->col_names[i]);
    if (i) strbuf_appendz(&b, ", ");
    strbuf_appendz(&b, q ? q : "");
    util_free(q);
  }
  return strbuf_finish(&b);
}

static int make_patterns(FtsAttachment *t, const lode_index_config *cfg) {
  char *cols = column_list(cfg), *tab = idxm_quoted(cfg->table_name);
  if (cols && tab) {
    t->pattern_text[0] = util_mprintf("SELECT fts_score(%s, ?) AS score FROM %s WHERE fts_match(%s, ?) "
                                      "ORDER BY score DESC LIMIT ?",
                                      cols, tab, cols);
    t->pattern_text[1] =
        util_mprintf("SELECT fts_score(%s, ?) AS score FROM %s ORDER BY score DESC LIMIT ?", cols, tab);
    t->pattern_text[2] = util_mprintf("SELECT fts_score(%s, ?) FROM %s WHERE fts_match(%s, ?)", cols, tab, cols);
    t->pattern_text[3] = util_mprintf("SELECT * FROM %s WHERE fts_match(%s, ?)", tab, cols);
  }
  util_free(cols);
  util_free(tab);
  for (int i = 0; i < NPATTERNS; i++) {
    if (!t->pattern_text[i]) return LODE_NOMEM;
    t->patterns[i] = t->pattern_text[i];
  }
  return LODE_OK;
}

static int fts_attach(void *user_data, const lode_index_config *cfg, lode_index_attachment **out, char **errmsg) {
  (void)user_data;
  if (cfg->ncols < 1 || cfg->ncols > FTS_MAX_FIELDS) {
    *errmsg = util_mprintf(FTS_NAME " indexes 1 to %d columns", FTS_MAX_FIELDS);
    return LODE_ERROR;
  }
  FtsAttachment *t = util_zalloc(sizeof *t);
  if (!t || !(t->names = util_zalloc(sizeof(char *) * (size_t)cfg->ncols))) {
    util_free(t);
    return LODE_NOMEM;
  }
  t->nfields = cfg->ncols;
  for (int i = 0; i < cfg->ncols; i++) {
    t->tokenizer[i] = FTS_TOK_DEFAULT;
    t->weight[i] = 1.0;
    if (!(t->names[i] = util_strdup(cfg->col_names[i]))) goto oom;
  }
  /* The index's parameters, then its columns' (col WITH tokenizer=x, named
  ** "col.tokenizer"), which take precedence. */
  for (int i = 0; i < cfg->nparams; i++)
    if (strchr(cfg->params[i].name, '.') && !column_param(t, &cfg->params[i], errmsg)) goto fail;
  for (int i = 0; i < cfg->nparams; i++) {
    const lode_index_param *p = &cfg->params[i];
    if (strchr(p->name, '.')) continue;
    if (util_stricmp(p->name, "tokenizer") == 0) {
      int k = tokenizer_param(p, errmsg);
      if (k < 0) goto fail;
      for (int f = 0; f < t->nfields; f++)
        if (!t->column_tokenizer[f]) t->tokenizer[f] = k;
    } else if (util_stricmp(p->name, "weights") == 0) {
      if (!param_text(p, errmsg) || !parse_weights(t, (const char *)p->p, errmsg)) goto fail;
    } else {
      *errmsg = util_mprintf(FTS_NAME ": unknown parameter %s", p->name);
      goto fail;
    }
  }
  if (make_patterns(t, cfg) != LODE_OK) goto oom;
  t->base.nstores = 3;
  t->base.store_suffixes = fts_stores;
  t->base.npatterns = NPATTERNS;
  t->base.patterns = t->patterns;
  *out = &t->base;
  return LODE_OK;
oom:
  fts_detach(&t->base);
  return LODE_NOMEM;
fail:
  fts_detach(&t->base);
  return LODE_ERROR;
}

/* ---- cursor ---------------------------------------------------------------------- */

static int fts_open(lode_index_attachment *a, lode_index_store *const *stores, lode_index_cursor **out) {
  FtsCursor *c = util_zalloc(sizeof *c);
  if (!c) return LODE_NOMEM;
  c->att = (FtsAttachment *)a;
  c->terms = stores[0];
  c->postings = stores[1];
  c->docs = stores[2];
  c->batch = 1;
  *out = &c->base;
  return LODE_OK;
}

static void cache_clear(FtsCursor *c) {
  for (int64_t i = 0; i < c->cache_cap; i++) util_free(c->cache[i].key);
  util_free(c->cache);
  c->cache = NULL;
  c->cache_cap = c->cache_n = 0;
}

static void pending_clear(FtsCursor *c) {
  c->npend = 0;
  c->nlog = 0;
  if (++c->batch == 0) c->batch = 1; /* 0 marks a slot with no place */
  if (c->pendmap) memset(c->pendmap, 0, sizeof(int32_t) * (size_t)c->pendmap_cap);
  c->alen = 0;
  c->pend_bytes = 0;
}

static void tally_free(struct Tally *t);

static void fts_close(lode_index_cursor *cur) {
  FtsCursor *c = (FtsCursor *)cur;
  pending_clear(c);
  util_free(c->pend);
  util_free(c->pendmap);
  util_free(c->arena);
  util_free(c->log);
  cache_clear(c);
  util_free(c->hits);
  tally_free(c->tally);
  util_free(c);
}

static int fail(FtsCursor *c, int rc, const char *msg) {
  util_free(c->base.errmsg);
  c->base.errmsg = msg ? util_strdup(msg) : NULL;
  return rc;
}

/* The slot of the key field byte f + term[0..n) (as cache_find's key), without the key put together: a row's
** every token asks, and most find their term. */
static CacheSlot *cache_find_term(FtsCursor *c, int f, const char *term, int n) {
  if (!c->cache_cap) return NULL;
  uint64_t h = (1469598103934665603ULL ^ (uint8_t)f) * 1099511628211ULL;
  for (int i = 0; i < n; i++) h = (h ^ (uint8_t)term[i]) * 1099511628211ULL;
  for (uint64_t i = h & (uint64_t)(c->cache_cap - 1);; i = (i + 1) & (uint64_t)(c->cache_cap - 1)) {
    CacheSlot *s = &c->cache[i];
    if (!s->key) return s;
    if (s->n != n + 1 || s->key[0] != (char)f) continue;
    int k = 0;
    while (k < n && s->key[1 + k] == term[k]) k++;
    if (k == n) return s;
  }
}

static CacheSlot *cache_find(FtsCursor *c, const char *key, int n) {
  return cache_find_term(c, key[0], key + 1, n - 1);
}

static CacheSlot *cache_put(FtsCursor *c, const char *key, int n, int64_t id) {
  if (c->cache_n >= CACHE_MAX) cache_clear(c);
  if (2 * (c->cache_n + 1) > c->cache_cap) {
    int64_t ncap = c->cache_cap ? 2 * c->cache_cap : 1024;
    CacheSlot *old = c->cache;
    int64_t oldcap = c->cache_cap;
    CacheSlot *grown = util_zalloc(sizeof(CacheSlot) * (size_t)ncap);
    if (!grown) return NULL; /* the cache is only a shortcut */
    c->cache = grown;
    c->cache_cap = ncap;
    for (int64_t i = 0; i < oldcap; i++)
      if (old[i].key) *cache_find(c, old[i].key, old[i].n) = old[i];
    util_free(old);
  }
  CacheSlot *s = cache_find(c, key, n);
  if (s->key) return s;
  if (!(s->key = util_malloc((size_t)n))) return NULL;
  memcpy(s->key, key, (size_t)n);
  s->n = n;
  s->id = id;
  s->batch = 0;
  c->cache_n++;
  return s;
}

/* The dictionary key of [field][term] (or of a prefix of it). */
static void dict_key(const char *key, int n, int64_t *major, int64_t *minor) {
  uint8_t b[16] = {0};
  memcpy(b, key, (size_t)(n < 16 ? n : 16));
  uint64_t hi = 0, lo = 0;
  for (int i = 0; i < 8; i++) hi = hi << 8 | b[i], lo = lo << 8 | b[8 + i];
  *major = (int64_t)(hi ^ 0x8000000000000000ULL);
  *minor = (int64_t)(lo ^ 0x8000000000000000ULL);
}

/* Finds key's id in the dictionary entry value p[0..n): 1 and *id if there. */
static int dict_entry_find(const uint8_t *p, int n, const char *key, int klen, int64_t *id) {
  const uint8_t *end = p + n;
  while (p < end) {
    uint64_t len, v;
    int k = util_varint_get_bounded(p, end, &len);
    if (k <= 0 || len > (uint64_t)(end - p - k)) return 0;
    p += k;
    const uint8_t *term = p;
    p += len;
    if ((k = util_varint_get_bounded(p, end, &v)) <= 0) return 0;
    p += k;
    if ((int)len == klen && memcmp(term, key, (size_t)klen) == 0) {
      *id = (int64_t)v;
      return 1;
    }
  }
  return 0;
}

static int stats_read(FtsCursor *c, Stats *s) {
  const void *v;
  int n;
  memset(s, 0, sizeof *s);
  s->next_id = 1;
  int rc = lode_index_store_get(c->docs, STATS_KEY, STATS_MINOR, &v, &n);
  if (rc == LODE_NOTFOUND) {
    /* Statistics under minor 0 are those of the layout with one posting
    ** per entry, which these chunks cannot be read as. */
    rc = lode_index_store_get(c->docs, STATS_KEY, 0, &v, &n);
    if (rc == LODE_NOTFOUND) return LODE_OK;
    if (rc != LODE_OK) return rc;
    return fail(c, LODE_ERROR, FTS_NAME ": the index was written in an older layout; drop it and create it again");
  }
  if (rc != LODE_OK) return rc;
  const uint8_t *p = v, *end = p + n;
  uint64_t x;
  int k;
  if ((k = util_varint_get_bounded(p, end, &x)) <= 0) return LODE_CORRUPT;
  s->rows = (int64_t)x, p += k;
  if ((k = util_varint_get_bounded(p, end, &x)) <= 0) return LODE_CORRUPT;
  s->next_id = (int64_t)x, p += k;
  for (int f = 0; f < c->att->nfields && p < end; f++) {
    if ((k = util_varint_get_bounded(p, end, &x)) <= 0) return LODE_CORRUPT;
    s->tokens[f] = (int64_t)x, p += k;
  }
  return LODE_OK;
}

static int stats_write(FtsCursor *c, const Stats *s) {
  uint8_t buf[9 * (FTS_MAX_FIELDS + 2)];
  int n = util_varint_put(buf, (uint64_t)s->rows);
  n += util_varint_put(buf + n, (uint64_t)s->next_id);
  for (int f = 0; f < c->att->nfields; f++) n += util_varint_put(buf + n, (uint64_t)(s->tokens[f] > 0 ? s->tokens[f] : 0));
  return lode_index_store_put(c->docs, STATS_KEY, STATS_MINOR, buf, n);
}

/* memcpy for the few bytes of a token or a posting, which cost less copied inline than the call does. */
static inline void copy_short(void *d, const void *s, size_t n) {
  if (n <= 16)
    for (size_t i = 0; i < n; i++) ((uint8_t *)d)[i] = ((const uint8_t *)s)[i];
  else
    memcpy(d, s, n);
}

/* The id of field f's term; with create, a new one when it has none
** (*id = 0 and LODE_OK when absent and not created).  *slot (when slot is
** not NULL): the term's cache slot, valid until the next cache call, or
** NULL. */
static int term_id_slot(FtsCursor *c, int f, const char *term, int n, int create, Stats *stats, int64_t *id,
                        CacheSlot **slot) {
  *id = 0;
  if (slot) *slot = NULL;
  CacheSlot *s = cache_find_term(c, f, term, n);
  if (s && s->key) {
    *id = s->id;
    if (slot) *slot = s;
    return LODE_OK;
  }
  char small[FTS_MAX_TOKEN + 8];
  char *key = n + 1 <= (int)sizeof small ? small : util_malloc((size_t)n + 1);
  int rc = LODE_OK;
  if (!key) return LODE_NOMEM;
  key[0] = (char)f;
  memcpy(key + 1, term, (size_t)n);
  int64_t major, minor;
  dict_key(key, n + 1, &major, &minor);
  const void *v = NULL;
  int vn = 0;
  rc = lode_index_store_get(c->terms, major, minor, &v, &vn);
  if (rc == LODE_NOTFOUND) rc = LODE_OK, v = NULL, vn = 0;
  if (rc != LODE_OK) goto done;
  if (v && dict_entry_find(v, vn, key, n + 1, id)) {
    s = cache_put(c, key, n + 1, *id);
    if (slot) *slot = s;
    goto done;
  }
  if (!create) goto done;
  /* A new term: appended to the entry of its key. */
  uint8_t *buf = util_malloc((size_t)vn + (size_t)n + 1 + 20);
  if (!buf) {
    rc = LODE_NOMEM;
    goto done;
  }
  if (vn) memcpy(buf, v, (size_t)vn);
  int len = vn + util_varint_put(buf + vn, (uint64_t)n + 1);
  memcpy(buf + len, key, (size_t)n + 1);
  len += n + 1;
  *id = stats->next_id++;
  len += util_varint_put(buf + len, (uint64_t)*id);
  rc = lode_index_store_put(c->terms, major, minor, buf, len);
  util_free(buf);
  if (rc == LODE_OK) {
    s = cache_put(c, key, n + 1, *id);
    if (slot) *slot = s;
  }
done:
  if (key != small) util_free(key);
  return rc;
}

static int term_id(FtsCursor *c, int f, const char *term, int n, int create, Stats *stats, int64_t *id) {
  return term_id_slot(c, f, term, n, create, stats, id, NULL);
}

/* ---- row changes ------------------------------------------------------------------- */

typedef struct RowTok {
  char *text;
  int n, pos;
  uint64_t head; /* the text's first 8 bytes, big-endian and zero-padded: most comparisons stop here */
} RowTok;

typedef struct RowToks {
  RowTok *v;
  int n, cap, rc;
  char *arena; /* the tokens' bytes */
  int alen, acap;
} RowToks;

static int row_token(void *ctx, const char *tok, int n, int pos, int start, int end) {
  RowToks *t = ctx;
  (void)start, (void)end;
  if (t->n == t->cap) {
    int ncap = t->cap ? 2 * t->cap : 64;
    RowTok *g = util_realloc(t->v, sizeof(RowTok) * (size_t)ncap);
    if (!g) return t->rc = LODE_NOMEM;
    t->v = g;
    t->cap = ncap;
  }
  if (t->alen + n > t->acap) {
    int ncap = t->acap ? 2 * t->acap : 1024;
    while (ncap < t->alen + n) ncap *= 2;
    char *g = util_realloc(t->arena, (size_t)ncap);
    if (!g) return t->rc = LODE_NOMEM;
    t->arena = g;
    t->acap = ncap;
  }
  copy_short(t->arena + t->alen, tok, (size_t)n);
  t->v[t->n].text = (char *)(intptr_t)t->alen; /* an offset until the walk ends */
  t->v[t->n].n = n;
  t->v[t->n++].pos = pos;
  t->alen += n;
  return 0;
}

static inline int by_text_then_pos(const RowTok *x, const RowTok *y) {
  if (x->head != y->head) return x->head < y->head ? -1 : 1;
  int m = x->n < y->n ? x->n : y->n, c = memcmp(x->text, y->text, (size_t)m);
  if (c) return c;
  if (x->n != y->n) return x->n < y->n ? -1 : 1;
  return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Sorts v[0..n) by text then position: insertion sort for short runs, merged
** pairwise through tmp (n entries) above that.  A row's tokens are few, and
** qsort's calls through a pointer cost more than the comparisons. */
static void sort_tokens(RowTok *v, int n, RowTok *tmp) {
  if (n <= 12) {
    for (int i = 1; i < n; i++) {
      RowTok t = v[i];
      int j = i;
      for (; j > 0 && by_text_then_pos(&t, &v[j - 1]) < 0; j--) v[j] = v[j - 1];
      v[j] = t;
    }
    return;
  }
  int h = n / 2;
  sort_tokens(v, h, tmp);
  sort_tokens(v + h, n - h, tmp);
  if (by_text_then_pos(&v[h - 1], &v[h]) <= 0) return; /* already in order */
  memcpy(tmp, v, sizeof(RowTok) * (size_t)h);
  int a = 0, b = h, o = 0;
  while (a < h && b < n) v[o++] = by_text_then_pos(&v[b], &tmp[a]) < 0 ? v[b++] : tmp[a++];
  while (a < h) v[o++] = tmp[a++];
}

/* The tokens of value v in field f, sorted by text and position. */
static int row_tokens(FtsCursor *c, int f, lode_value *v, RowToks *t) {
  memset(t, 0, sizeof *t);
  if (lode_value_type(v) == LODE_NULL) return LODE_OK;
  const char *z = (const char *)lode_value_text(v);
  if (!z) return LODE_NOMEM;
  fts_tokenize(c->att->tokenizer[f], z, lode_value_bytes(v), row_token, t);
  if (t->rc != LODE_OK) return t->rc;
  for (int i = 0; i < t->n; i++) {
    RowTok *k = &t->v[i];
    uint8_t b[8] = {0};
    k->text = t->arena + (intptr_t)k->text;
    memcpy(b, k->text, (size_t)(k->n < 8 ? k->n : 8));
    k->head = (uint64_t)b[0] << 56 | (uint64_t)b[1] << 48 | (uint64_t)b[2] << 40 | (uint64_t)b[3] << 32 |
              (uint64_t)b[4] << 24 | (uint64_t)b[5] << 16 | (uint64_t)b[6] << 8 | b[7];
  }
  RowTok small[64], *tmp = t->n / 2 + 1 <= 64 ? small : util_malloc(sizeof(RowTok) * (size_t)(t->n / 2 + 1));
  if (!tmp) return LODE_NOMEM;
  sort_tokens(t->v, t->n, tmp);
  if (tmp != small) util_free(tmp);
  return LODE_OK;
}

static void row_tokens_free(RowToks *t) {
  util_free(t->v);
  util_free(t->arena);
}

/* ---- the batch ---------------------------------------------------------------------- */

static uint64_t hash_id(int64_t id) { return (uint64_t)id * 0x9E3779B97F4A7C15ULL; }

/* The batch's term id, added when absent; NULL when out of memory. */
static PendTerm *pending_term(FtsCursor *c, int64_t id) {
  if (2 * (c->npend + 1) > c->pendmap_cap) {
    int64_t ncap = c->pendmap_cap ? 2 * c->pendmap_cap : 4096;
    int32_t *m = util_zalloc(sizeof(int32_t) * (size_t)ncap);
    if (!m) return NULL;
    for (int32_t i = 0; i < c->npend; i++) {
      uint64_t h = hash_id(c->pend[i].id) & (uint64_t)(ncap - 1);
      while (m[h]) h = (h + 1) & (uint64_t)(ncap - 1);
      m[h] = i + 1;
    }
    util_free(c->pendmap);
    c->pendmap = m;
    c->pendmap_cap = ncap;
  }
  uint64_t h = hash_id(id) & (uint64_t)(c->pendmap_cap - 1);
  for (; c->pendmap[h]; h = (h + 1) & (uint64_t)(c->pendmap_cap - 1))
    if (c->pend[c->pendmap[h] - 1].id == id) return &c->pend[c->pendmap[h] - 1];
  if (c->npend == c->pendcap) {
    int32_t ncap = c->pendcap ? 2 * c->pendcap : 1024;
    PendTerm *g = util_realloc(c->pend, sizeof(PendTerm) * (size_t)ncap);
    if (!g) return NULL;
    c->pend = g;
    c->pendcap = ncap;
  }
  PendTerm *t = &c->pend[c->npend];
  memset(t, 0, sizeof *t);
  t->id = id;
  t->sorted = 1;
  c->pendmap[h] = ++c->npend;
  return t;
}

/* Adds a change of term id's posting of rowid: data[0..n) to insert, or a
** delete when data is NULL.  slot: the term's cache slot, or NULL. */
static int pending_add(FtsCursor *c, int64_t id, CacheSlot *slot, int64_t rowid, const uint8_t *data, int n) {
  PendTerm *t;
  if (slot && slot->batch == c->batch) {
    t = &c->pend[slot->pend];
  } else {
    if (!(t = pending_term(c, id))) return LODE_NOMEM;
    if (slot) {
      slot->pend = (int32_t)(t - c->pend);
      slot->batch = c->batch;
    }
  }
  if (t->n == INT32_MAX) return LODE_FULL;
  if (c->nlog == c->logcap) {
    int64_t ncap = c->logcap ? 2 * c->logcap : 4096;
    LogOp *g = util_realloc(c->log, sizeof(LogOp) * (size_t)ncap);
    if (!g) return LODE_NOMEM;
    c->log = g;
    c->logcap = ncap;
  }
  if (data) {
    if (c->alen + n > c->acap) {
      int64_t ncap = c->acap ? 2 * c->acap : 65536;
      while (ncap < c->alen + n) ncap *= 2;
      uint8_t *g = util_realloc(c->arena, (size_t)ncap);
      if (!g) return LODE_NOMEM;
      c->arena = g;
      c->acap = ncap;
    }
    copy_short(c->arena + c->alen, data, (size_t)n);
  }
  LogOp *o = &c->log[c->nlog++];
  o->rowid = rowid;
  o->off = c->alen;
  o->n = data ? n : -1;
  o->term = (int32_t)(t - c->pend);
  if (t->n && t->last >= rowid) t->sorted = 0;
  t->last = rowid;
  t->n++;
  if (data) c->alen += n;
  c->pend_bytes += (int64_t)(sizeof(LogOp) + sizeof(PendOp)) + (data ? n : 0);
  return LODE_OK;
}

static int by_rowid_then_seq(const void *a, const void *b) {
  const PendOp *x = a, *y = b;
  if (x->rowid != y->rowid) return x->rowid < y->rowid ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A batch term's id and its index in pend, to order the terms by id. */
typedef struct TermOrder {
  int64_t id;
  int32_t at;
} TermOrder;

static int by_term_id(const void *a, const void *b) {
  const TermOrder *x = a, *y = b;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* ---- chunks ------------------------------------------------------------------------- */

/* One posting of a chunk or of the batch: its rowid and its bytes (field
** length, tf, positions). */
typedef struct Entry {
  int64_t rowid;
  const uint8_t *data;
  int n;
} Entry;

typedef struct Entries {
  Entry *v;
  int64_t n, cap;
} Entries;

/* Makes room for need entries in all. */
static int entries_reserve(Entries *e, int64_t need) {
  if (need <= e->cap) return LODE_OK;
  int64_t ncap = e->cap ? 2 * e->cap : 64;
  while (ncap < need) ncap *= 2;
  Entry *g = util_realloc(e->v, sizeof(Entry) * (size_t)ncap);
  if (!g) return LODE_NOMEM;
  e->v = g;
  e->cap = ncap;
  return LODE_OK;
}

/* Inline: a merge pushes every posting it reads or writes, and the room is nearly always there. */
static inline int entries_push(Entries *e, int64_t rowid, const uint8_t *data, int n) {
  if (e->n == e->cap && entries_reserve(e, e->n + 1) != LODE_OK) return LODE_NOMEM;
  e->v[e->n].rowid = rowid;
  e->v[e->n].data = data;
  e->v[e->n++].n = n;
  return LODE_OK;
}

static uint64_t zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static int64_t unzigzag(uint64_t v) { return (int64_t)(v >> 1) ^ -(int64_t)(v & 1); }

/* util_varint_put with the one- and two-byte cases inline: nearly every field
** length, frequency, position step and rowid step of a posting is below 128,
** and the rowid steps of rarer terms below 16384. */
static inline int varint_put(uint8_t *p, uint64_t v) {
  if (v < 0x80) {
    *p = (uint8_t)v;
    return 1;
  }
  if (v < 0x4000) { /* the rowid steps of rarer terms */
    p[0] = (uint8_t)(0x80 | v >> 7);
    p[1] = (uint8_t)(v & 0x7F);
    return 2;
  }
  return util_varint_put(p, v);
}

/* The length of the posting bytes at p (field length, tf, positions), or 0 if corrupt. */
static int posting_size(const uint8_t *p, const uint8_t *end) {
  const uint8_t *q = p;
  uint64_t x, tf;
  int k;
  if ((k = util_varint_get_bounded(q, end, &x)) <= 0) return 0;
  q += k;
  if ((k = util_varint_get_bounded(q, end, &tf)) <= 0 || tf > (uint64_t)(end - q)) return 0;
  q += k;
  for (uint64_t i = 0; i < tf; i++) {
    if ((k = util_varint_get_bounded(q, end, &x)) <= 0) return 0;
    q += k;
  }
  return (int)(q - p);
}

/* Walks the chunk p[0..n): each posting to e.  LODE_CORRUPT if malformed. */
static int chunk_parse(const uint8_t *p, int n, Entries *e) {
  const uint8_t *end = p + n;
  int64_t rowid = 0;
  for (int first = 1; p < end; first = 0) {
    uint64_t d;
    int k = util_varint_get_bounded(p, end, &d);
    if (k <= 0) return LODE_CORRUPT;
    p += k;
    rowid = first ? unzigzag(d) : (int64_t)((uint64_t)rowid + d);
    int m = posting_size(p, end);
    if (!m) return LODE_CORRUPT;
    int rc = entries_push(e, rowid, p, m);
    if (rc != LODE_OK) return rc;
    p += m;
  }
  return LODE_OK;
}

/* How chunks_write puts its chunks. */
enum {
  CHUNKS_PUT,     /* each put where it belongs */
  CHUNKS_APPEND,  /* the chunks sort after every entry of the store (a term past the last one written) */
  CHUNKS_REPLACE, /* the entry (id, last_key) is there, the postings store's cursor on it: it is replaced */
};

/* Writes postings v[0..n) of term id as chunks: each keyed by its last
** rowid, the last one by last_key.  With CHUNKS_REPLACE, a single chunk
** overwrites the entry under the cursor in place (no delete and no seek
** again); several delete it first and are put. */
static int chunks_write(FtsCursor *c, int64_t id, const Entry *v, int64_t n, int64_t last_key, int mode) {
  uint8_t *buf = NULL;
  int64_t cap = 0;
  int rc = LODE_OK;
  for (int64_t i = 0; i < n && rc == LODE_OK;) {
    int64_t len = 0, j = i;
    for (; j < n && (j == i || len + 10 + v[j].n <= CHUNK_TARGET); j++) {
      if (len + 10 + v[j].n > cap) {
        int64_t ncap = cap ? 2 * cap : 2 * CHUNK_TARGET;
        while (ncap < len + 10 + v[j].n) ncap *= 2;
        uint8_t *g = util_realloc(buf, (size_t)ncap);
        if (!g) {
          util_free(buf);
          return LODE_NOMEM;
        }
        buf = g;
        cap = ncap;
      }
      len += varint_put(buf + len, j == i ? zigzag(v[j].rowid) : (uint64_t)v[j].rowid - (uint64_t)v[j - 1].rowid);
      copy_short(buf + len, v[j].data, (size_t)v[j].n);
      len += v[j].n;
    }
    int64_t key = j == n ? last_key : v[j - 1].rowid;
    if (mode == CHUNKS_REPLACE && i == 0 && j == n) {
      rc = idxm_store_overwrite(c->postings, id, key, buf, (int)len);
    } else {
      if (mode == CHUNKS_REPLACE && i == 0) rc = lode_index_store_delete(c->postings, id, last_key);
      if (rc == LODE_OK)
        rc = mode == CHUNKS_APPEND ? idxm_store_append(c->postings, id, key, buf, (int)len)
                                   : lode_index_store_put(c->postings, id, key, buf, (int)len);
    }
    i = j;
  }
  util_free(buf);
  return rc;
}

/* Merges the batch's changes ops[0..n) (ascending rowids, the last change of
** a row last) into term id's chunks. */
static int merge_term(FtsCursor *c, int64_t id, const PendOp *ops, int32_t n) {
  Entries e = {0};
  uint8_t *old = NULL;
  int rc = LODE_OK;
  for (int32_t i = 0; i < n && rc == LODE_OK;) {
    int eof = 0;
    int64_t key = INT64_MAX;
    int have = 0;
    const void *v = NULL;
    int vn = 0;
    rc = lode_index_store_seek(c->postings, id, ops[i].rowid, &eof);
    if (rc != LODE_OK) break;
    int last = eof; /* nothing at or after (id, rowid): what it writes goes at the store's end */
    if (!eof) {
      lode_int64 major, minor;
      lode_index_store_key(c->postings, &major, &minor);
      if (major == id) {
        have = 1;
        key = minor;
        if ((rc = lode_index_store_value(c->postings, &v, &vn)) != LODE_OK) break;
      }
    }
    int32_t j = i;
    while (j < n && ops[j].rowid <= key) j++;
    /* The chunk's postings and the changes, merged by rowid. */
    e.n = 0;
    util_free(old);
    old = NULL;
    if (have && vn) {
      if (!(old = util_malloc((size_t)vn))) {
        rc = LODE_NOMEM;
        break;
      }
      memcpy(old, v, (size_t)vn);
      if ((rc = chunk_parse(old, vn, &e)) != LODE_OK) break;
    }
    int64_t nold = e.n, a = 0, w = 0;
    Entries out = {0};
    /* every old posting and every change at most: the room made once */
    if (rc == LODE_OK) rc = entries_reserve(&out, nold + (j - i));
    for (int32_t b = i; rc == LODE_OK && (a < nold || b < j);) {
      if (b < j && b + 1 < j && ops[b + 1].rowid == ops[b].rowid) { /* a later change of the row wins */
        b++;
        continue;
      }
      if (b >= j || (a < nold && e.v[a].rowid < ops[b].rowid)) {
        rc = entries_push(&out, e.v[a].rowid, e.v[a].data, e.v[a].n);
        a++;
        continue;
      }
      if (a < nold && e.v[a].rowid == ops[b].rowid) a++; /* replaced or deleted */
      if (ops[b].n >= 0) rc = entries_push(&out, ops[b].rowid, c->arena + ops[b].off, ops[b].n);
      b++;
    }
    w = out.n;
    if (rc == LODE_OK && have && !w) rc = lode_index_store_delete(c->postings, id, key);
    if (rc == LODE_OK && w)
      rc = chunks_write(c, id, out.v, w, key, have ? CHUNKS_REPLACE : last ? CHUNKS_APPEND : CHUNKS_PUT);
    util_free(out.v);
    i = j;
  }
  util_free(old);
  util_free(e.v);
  return rc;
}

/* The log grouped by term (a counting sort: each term's changes keep their
** arrival order, seq), the terms in id order, each merged into its chunks. */
static int merge_log(FtsCursor *c) {
  PendOp *grouped = util_malloc(sizeof(PendOp) * (size_t)(c->nlog ? c->nlog : 1));
  TermOrder *order = util_malloc(sizeof(TermOrder) * (size_t)c->npend);
  int rc = LODE_OK;
  if (!grouped || !order) {
    util_free(grouped);
    util_free(order);
    return LODE_NOMEM;
  }
  for (int32_t i = 0; i < c->npend; i++) order[i] = (TermOrder){c->pend[i].id, i};
  qsort(order, (size_t)c->npend, sizeof(TermOrder), by_term_id);
  int64_t at = 0;
  for (int32_t i = 0; i < c->npend; i++) {
    PendTerm *t = &c->pend[order[i].at];
    t->start = at;
    at += t->n;
    t->n = 0; /* counts again as the changes land */
  }
  for (int64_t i = 0; i < c->nlog; i++) {
    const LogOp *o = &c->log[i];
    PendTerm *t = &c->pend[o->term];
    PendOp *d = &grouped[t->start + t->n];
    d->rowid = o->rowid;
    d->off = o->off;
    d->n = o->n;
    d->seq = (uint32_t)t->n++;
  }
  for (int32_t i = 0; i < c->npend && rc == LODE_OK; i++) {
    PendTerm *t = &c->pend[order[i].at];
    PendOp *ops = grouped + t->start;
    if (!t->sorted) qsort(ops, (size_t)t->n, sizeof(PendOp), by_rowid_then_seq);
    rc = merge_term(c, t->id, ops, t->n);
  }
  util_free(grouped);
  util_free(order);
  return rc;
}

static int stats_load(FtsCursor *c) {
  if (c->have_stats) return LODE_OK;
  int rc = stats_read(c, &c->st0);
  if (rc != LODE_OK) return rc;
  c->st = c->st0;
  c->have_stats = 1;
  return LODE_OK;
}

/* Merges the batch into the stores and writes the statistics. */
static int flush(FtsCursor *c) {
  int rc = LODE_OK;
  if (c->npend) rc = merge_log(c);
  if (rc == LODE_OK && c->have_stats) {
    /* Another cursor of the statement may have changed the statistics
    ** since they were read: apply this batch's changes to what is stored. */
    Stats now;
    rc = stats_read(c, &now);
    if (rc == LODE_OK) {
      now.rows += c->st.rows - c->st0.rows;
      if (now.rows < 0) now.rows = 0;
      if (c->st.next_id > now.next_id) now.next_id = c->st.next_id;
      for (int f = 0; f < c->att->nfields; f++) now.tokens[f] += c->st.tokens[f] - c->st0.tokens[f];
      rc = stats_write(c, &now);
    }
  }
  pending_clear(c);
  c->have_stats = 0;
  if (rc == LODE_CORRUPT) return fail(c, rc, FTS_NAME ": a posting chunk is corrupt");
  return rc;
}

int idxm_fts_flush(lode_index_cursor *cur) { return flush((FtsCursor *)cur); }

/* ---- OPTIMIZE INDEX ------------------------------------------------------------------ */

/* Rewrites term id's chunks packed when fewer would hold them: *before and
** *after count its chunks; *empty when it has none. */
static int pack_term(FtsCursor *c, int64_t id, int64_t *before, int64_t *after, int *empty) {
  Entries e = {0};
  uint8_t *bytes = NULL;
  int64_t nbytes = 0, cap = 0, nchunks = 0;
  int64_t *keys = NULL;
  int eof = 0, rc;
  *empty = 0;
  /* The chunks' bytes, one after another (entries point into them later). */
  int64_t *ends = NULL;
  for (rc = lode_index_store_seek(c->postings, id, INT64_MIN, &eof); rc == LODE_OK && !eof;
       rc = lode_index_store_next(c->postings, &eof)) {
    lode_int64 major, minor;
    const void *v;
    int n;
    lode_index_store_key(c->postings, &major, &minor);
    if (major != id) break;
    if ((rc = lode_index_store_value(c->postings, &v, &n)) != LODE_OK) break;
    if (nbytes + n > cap) {
      int64_t ncap = cap ? 2 * cap : 4096;
      while (ncap < nbytes + n) ncap *= 2;
      uint8_t *g = util_realloc(bytes, (size_t)ncap);
      if (!g) {
        rc = LODE_NOMEM;
        break;
      }
      bytes = g;
      cap = ncap;
    }
    if ((nchunks & (nchunks - 1)) == 0) { /* powers of two: grow */
      int64_t *gk = util_realloc(keys, sizeof(int64_t) * (size_t)(nchunks ? 2 * nchunks : 1));
      int64_t *ge = gk ? util_realloc(ends, sizeof(int64_t) * (size_t)(nchunks ? 2 * nchunks : 1)) : NULL;
      if (gk) keys = gk;
      if (ge) ends = ge;
      if (!gk || !ge) {
        rc = LODE_NOMEM;
        break;
      }
    }
    memcpy(bytes + nbytes, v, (size_t)n);
    nbytes += n;
    keys[nchunks] = minor;
    ends[nchunks++] = nbytes;
  }
  *before = *after = nchunks;
  if (rc == LODE_OK && nchunks == 0) *empty = 1;
  if (rc == LODE_OK && nchunks > 1) {
    for (int64_t i = 0, at = 0; i < nchunks && rc == LODE_OK; at = ends[i++]) rc = chunk_parse(bytes + at, (int)(ends[i] - at), &e);
    /* The chunks chunks_write would make of them (the same split). */
    int64_t packed = 0;
    for (int64_t i = 0; i < e.n; packed++) {
      int64_t len = 0, j = i;
      for (; j < e.n && (j == i || len + 10 + e.v[j].n <= CHUNK_TARGET); j++)
        len += util_varint_len(j == i ? zigzag(e.v[j].rowid) : (uint64_t)e.v[j].rowid - (uint64_t)e.v[j - 1].rowid) + e.v[j].n;
      i = j;
    }
    if (rc == LODE_OK && packed < nchunks) {
      for (int64_t i = 0; i < nchunks && rc == LODE_OK; i++) rc = lode_index_store_delete(c->postings, id, keys[i]);
      if (rc == LODE_OK) rc = chunks_write(c, id, e.v, e.n, INT64_MAX, CHUNKS_PUT);
      int64_t n = 0;
      for (rc = rc != LODE_OK ? rc : lode_index_store_seek(c->postings, id, INT64_MIN, &eof); rc == LODE_OK && !eof;
           rc = lode_index_store_next(c->postings, &eof)) {
        lode_int64 major, minor;
        lode_index_store_key(c->postings, &major, &minor);
        if (major != id) break;
        n++;
      }
      *after = n;
    }
  }
  util_free(e.v);
  util_free(bytes);
  util_free(keys);
  util_free(ends);
  return rc;
}

/* One dictionary entry's value without the terms whose ids are dead (sorted
** dead[0..ndead)): into out (*outn bytes); *kept and *dropped count them. */
static int dict_entry_filter(const uint8_t *p, int n, const int64_t *dead, int64_t ndead, uint8_t *out, int *outn,
                             int64_t *kept, int64_t *dropped) {
  const uint8_t *end = p + n;
  *outn = 0;
  while (p < end) {
    uint64_t len, id;
    const uint8_t *start = p;
    int k = util_varint_get_bounded(p, end, &len);
    if (k <= 0 || len > (uint64_t)(end - p - k)) return LODE_CORRUPT;
    p += k + len;
    if ((k = util_varint_get_bounded(p, end, &id)) <= 0) return LODE_CORRUPT;
    p += k;
    int64_t lo = 0, hi = ndead;
    while (lo < hi) {
      int64_t mid = (lo + hi) / 2;
      if (dead[mid] < (int64_t)id) lo = mid + 1;
      else hi = mid;
    }
    if (lo < ndead && dead[lo] == (int64_t)id) {
      (*dropped)++;
    } else {
      memcpy(out + *outn, start, (size_t)(p - start));
      *outn += (int)(p - start);
      (*kept)++;
    }
  }
  return LODE_OK;
}

/* Appends id to the array *v (*n used of *cap), grown as needed. */
static int ids_push(int64_t **v, int64_t *n, int64_t *cap, int64_t id) {
  if (*n == *cap) {
    int64_t c = *cap ? 2 * *cap : 16;
    int64_t *g = util_realloc(*v, sizeof(int64_t) * (size_t)c);
    if (!g) return LODE_NOMEM;
    *v = g;
    *cap = c;
  }
  (*v)[(*n)++] = id;
  return LODE_OK;
}

static int by_int64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

int idxm_fts_optimize(lode_index_cursor *cur, int64_t did[4]) {
  FtsCursor *c = (FtsCursor *)cur;
  int rc = flush(c);
  if (rc != LODE_OK) return rc;
  Stats st;
  if ((rc = stats_read(c, &st)) != LODE_OK) return rc;
  int64_t *dead = NULL, ndead = 0, capdead = 0;
  memset(did, 0, sizeof(int64_t) * 4);
  /* Every term id ever given, its chunks packed; the ones without postings noted. */
  for (int64_t id = 1; id < st.next_id && rc == LODE_OK; id++) {
    int64_t before, after;
    int empty;
    rc = pack_term(c, id, &before, &after, &empty);
    did[1] += before;
    did[2] += after;
    if (rc == LODE_OK && empty) {
      if ((rc = ids_push(&dead, &ndead, &capdead, id)) != LODE_OK) break;
    }
  }
  /* The dictionary without the dead terms: entries are read first, then rewritten. */
  typedef struct Rewrite {
    int64_t major, minor;
    uint8_t *v;
    int n;
  } Rewrite;
  Rewrite *rw = NULL;
  int64_t nrw = 0, caprw = 0, kept = 0;
  if (rc == LODE_OK && ndead) qsort(dead, (size_t)ndead, sizeof(int64_t), by_int64);
  int eof = 0;
  for (rc = rc != LODE_OK ? rc : lode_index_store_seek(c->terms, INT64_MIN, INT64_MIN, &eof); rc == LODE_OK && !eof;
       rc = lode_index_store_next(c->terms, &eof)) {
    lode_int64 major, minor;
    const void *v;
    int n, outn;
    int64_t dropped = 0;
    lode_index_store_key(c->terms, &major, &minor);
    if ((rc = lode_index_store_value(c->terms, &v, &n)) != LODE_OK) break;
    uint8_t *out = util_malloc((size_t)n + 1);
    if (!out) {
      rc = LODE_NOMEM;
      break;
    }
    rc = dict_entry_filter(v, n, dead, ndead, out, &outn, &kept, &dropped);
    if (rc != LODE_OK || !dropped) {
      util_free(out);
      continue;
    }
    did[3] += dropped;
    if (nrw == caprw) {
      caprw = caprw ? 2 * caprw : 64;
      Rewrite *g = util_realloc(rw, sizeof(Rewrite) * (size_t)caprw);
      if (!g) {
        util_free(out);
        rc = LODE_NOMEM;
        break;
      }
      rw = g;
    }
    rw[nrw++] = (Rewrite){major, minor, out, outn};
  }
  for (int64_t i = 0; i < nrw; i++) {
    if (rc == LODE_OK)
      rc = rw[i].n ? lode_index_store_put(c->terms, rw[i].major, rw[i].minor, rw[i].v, rw[i].n)
                   : lode_index_store_delete(c->terms, rw[i].major, rw[i].minor);
    util_free(rw[i].v);
  }
  util_free(rw);
  util_free(dead);
  did[0] = kept;
  /* The term-id cache may name dropped terms: forget it. */
  cache_clear(c);
  if (rc == LODE_CORRUPT) return fail(c, rc, FTS_NAME ": a posting chunk or dictionary entry is corrupt");
  return rc;
}

/* ---- row changes -------------------------------------------------------------------- */

/* The posting a row writes for the term at t->v[i..j) (its equal tokens):
** the field's token count, how many, then the position deltas.  buf starts
** as the caller's small array and grows on the heap (*cap its size). */
static int posting_encode(const RowToks *t, int i, int j, uint8_t *small, uint8_t **buf, int *cap, int *len) {
  int need = 20 + 5 * (j - i);
  if (need > *cap) {
    uint8_t *g = *buf == small ? util_malloc((size_t)need) : util_realloc(*buf, (size_t)need);
    if (!g) return LODE_NOMEM;
    *buf = g;
    *cap = need;
  }
  int n = varint_put(*buf, (uint64_t)t->n);
  n += varint_put(*buf + n, (uint64_t)(j - i));
  for (int k = i, prev = 0; k < j; k++) {
    n += varint_put(*buf + n, (uint64_t)(t->v[k].pos - prev));
    prev = t->v[k].pos;
  }
  *len = n;
  return LODE_OK;
}

/* Indexes (insert) or forgets (delete) one field's value. */
static int change_field(FtsCursor *c, int f, lode_value *v, int64_t rowid, int insert) {
  RowToks t;
  int rc = row_tokens(c, f, v, &t);
  uint8_t small[256];
  uint8_t *buf = small;
  int cap = (int)sizeof small;
  for (int i = 0; i < t.n && rc == LODE_OK;) {
    int j = i + 1;
    while (j < t.n && t.v[j].n == t.v[i].n && memcmp(t.v[j].text, t.v[i].text, (size_t)t.v[i].n) == 0) j++;
    int64_t id;
    CacheSlot *slot;
    rc = term_id_slot(c, f, t.v[i].text, t.v[i].n, insert, &c->st, &id, &slot);
    if (rc != LODE_OK) break;
    if (!insert) {
      if (id) rc = pending_add(c, id, slot, rowid, NULL, 0);
    } else {
      int n = 0;
      if ((rc = posting_encode(&t, i, j, small, &buf, &cap, &n)) != LODE_OK) break;
      rc = pending_add(c, id, slot, rowid, buf, n);
    }
    i = j;
  }
  if (rc == LODE_OK) c->st.tokens[f] += insert ? t.n : -t.n;
  if (buf != small) util_free(buf);
  row_tokens_free(&t);
  return rc;
}

static int change_row(lode_index_cursor *cur, lode_value **vals, lode_int64 rowid, int insert) {
  FtsCursor *c = (FtsCursor *)cur;
  int rc = stats_load(c);
  for (int f = 0; f < c->att->nfields && rc == LODE_OK; f++) rc = change_field(c, f, vals[f], rowid, insert);
  if (rc == LODE_OK) {
    c->st.rows += insert ? 1 : -1;
    /* Rows come in rowid order in a build and mostly so after it: appended (anywhere else, put). */
    rc = insert ? idxm_store_append(c->docs, rowid, 0, NULL, 0) : lode_index_store_delete(c->docs, rowid, 0);
    if (rc == LODE_NOTFOUND) rc = LODE_OK;
  }
  if (rc == LODE_OK && c->pend_bytes > PENDING_MAX) rc = flush(c);
  if (rc == LODE_CORRUPT) return fail(c, rc, FTS_NAME ": the index's statistics are corrupt");
  return rc;
}

static int fts_insert(lode_index_cursor *cur, lode_value **vals, lode_int64 rowid) {
  return change_row(cur, vals, rowid, 1);
}

static int fts_delete(lode_index_cursor *cur, lode_value **vals, lode_int64 rowid) {
  return change_row(cur, vals, rowid, 0);
}

/* ---- queries ------------------------------------------------------------------------ */

/* A cursor over one term's chunks.  It keeps a copy of its current chunk,
** decoded at once into arrays (rowids, frequencies, field lengths, where
** each posting's positions start), so that a step is an increment and a
** seek inside the chunk a binary search: the store's value moves whenever
** another cursor of the query seeks, so a chunk is found again by a seek on
** (term id, rowid) — which also lets a skip past a chunk's last rowid jump
** over the chunks between. */
typedef struct ChunkCursor {
  FtsPostingCursor base;
  FtsCursor *c;
  int64_t id;
  uint8_t *chunk;
  int n, cap;
  int64_t key; /* the chunk's key: its last rowid */
  int have;    /* a chunk is loaded */
  /* The chunk's postings, cnt of them (arrays of dcap); at: the current one
  ** (-1 before the first). */
  int64_t *docs;
  int32_t *tfs, *lens, *offs;
  int cnt, dcap, at, have_pos;
  int32_t *pos;
  int poscap;
} ChunkCursor;

/* Decodes the chunk's postings into the arrays. */
static int chunk_decode(ChunkCursor *k) {
  const uint8_t *p = k->chunk, *end = p + k->n;
  int64_t rowid = 0;
  int cnt = 0;
  for (int first = 1; p < end; first = 0) {
    if (cnt == k->dcap) {
      int ncap = k->dcap ? 2 * k->dcap : 128;
      int64_t *d = util_realloc(k->docs, sizeof(int64_t) * (size_t)ncap);
      if (d) k->docs = d;
      int32_t *t = d ? util_realloc(k->tfs, sizeof(int32_t) * (size_t)ncap) : NULL;
      if (t) k->tfs = t;
      int32_t *l = t ? util_realloc(k->lens, sizeof(int32_t) * (size_t)ncap) : NULL;
      if (l) k->lens = l;
      int32_t *o = l ? util_realloc(k->offs, sizeof(int32_t) * (size_t)ncap) : NULL;
      if (o) k->offs = o;
      if (!o) return LODE_NOMEM;
      k->dcap = ncap;
    }
    uint64_t d, len, tf;
    int h = util_varint_get_bounded(p, end, &d), a, b;
    if (h <= 0 || (a = util_varint_get_bounded(p + h, end, &len)) <= 0 || len > INT32_MAX) return LODE_CORRUPT;
    const uint8_t *q = p + h + a;
    if ((b = util_varint_get_bounded(q, end, &tf)) <= 0 || tf > (uint64_t)(end - q)) return LODE_CORRUPT;
    q += b;
    /* The positions are skipped: a varint ends at each byte below 0x80. */
    for (uint64_t i = 0; i < tf; i++) {
      while (q < end && *q >= 0x80) q++;
      if (q++ >= end) return LODE_CORRUPT;
    }
    rowid = first ? unzigzag(d) : (int64_t)((uint64_t)rowid + d);
    k->docs[cnt] = rowid;
    k->tfs[cnt] = (int32_t)tf;
    k->lens[cnt] = (int32_t)len;
    k->offs[cnt++] = (int32_t)(p + h - k->chunk);
    p = q;
  }
  k->cnt = cnt;
  k->at = -1;
  return LODE_OK;
}

/* Loads the term's first chunk whose key is at least target (none: have = 0). */
static int chunk_load(ChunkCursor *k, int64_t target) {
  int eof = 0, rc, n;
  lode_int64 major, minor;
  const void *v;
  k->have = 0;
  k->cnt = 0;
  k->at = -1;
  if ((rc = lode_index_store_seek(k->c->postings, k->id, target, &eof)) != LODE_OK || eof) return rc;
  lode_index_store_key(k->c->postings, &major, &minor);
  if (major != k->id) return LODE_OK;
  if ((rc = lode_index_store_value(k->c->postings, &v, &n)) != LODE_OK) return rc;
  if (n > k->cap) {
    uint8_t *g = util_realloc(k->chunk, (size_t)n);
    if (!g) return LODE_NOMEM;
    k->chunk = g;
    k->cap = n;
  }
  if (n) memcpy(k->chunk, v, (size_t)n);
  k->n = n;
  k->key = minor;
  k->have = 1;
  return chunk_decode(k);
}

/* Puts the cursor on the chunk's posting i. */
static inline void chunk_set(ChunkCursor *k, int i) {
  k->at = i;
  k->base.doc = k->docs[i];
  k->base.tf = k->tfs[i];
  k->base.len = k->lens[i];
  k->have_pos = 0;
}

/* Loads chunks from the one holding target on until one has a posting at or
** after target; eof when none has. */
static int chunk_find(ChunkCursor *k, int64_t target) {
  int rc = chunk_load(k, target);
  for (;;) {
    if (rc != LODE_OK) return rc;
    if (!k->have) {
      k->base.eof = 1;
      return LODE_OK;
    }
    int lo = 0, hi = k->cnt;
    while (lo < hi) {
      int mid = (lo + hi) / 2;
      if (k->docs[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    if (lo < k->cnt) {
      chunk_set(k, lo);
      return LODE_OK;
    }
    if (k->key == INT64_MAX) {
      k->base.eof = 1;
      return LODE_OK;
    }
    rc = chunk_load(k, k->key + 1);
  }
}

static int chunk_seek(FtsPostingCursor *cur, int64_t target) {
  ChunkCursor *k = (ChunkCursor *)cur;
  if (!cur->started) {
    cur->started = 1;
    return chunk_find(k, target);
  }
  if (!k->have) {
    cur->eof = 1;
    return LODE_OK;
  }
  /* The next posting at or after target in this chunk: most seeks move by a few. */
  int i = k->at + 1;
  if (i < k->cnt && k->docs[i] >= target) {
    chunk_set(k, i);
    return LODE_OK;
  }
  if (i < k->cnt && k->docs[k->cnt - 1] >= target) {
    int lo = i + 1, hi = k->cnt - 1;
    while (lo < hi) {
      int mid = (lo + hi) / 2;
      if (k->docs[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    chunk_set(k, lo);
    return LODE_OK;
  }
  if (k->key == INT64_MAX) {
    cur->eof = 1;
    return LODE_OK;
  }
  return chunk_find(k, target > k->key ? target : k->key + 1);
}

static int chunk_block(FtsPostingCursor *cur, const int64_t **docs, const int32_t **tf, const int32_t **len, int *n) {
  ChunkCursor *k = (ChunkCursor *)cur;
  *n = 0;
  for (;;) {
    int rc = LODE_OK;
    if (!cur->started) {
      cur->started = 1;
      rc = chunk_load(k, INT64_MIN);
    } else if (k->have && k->at + 1 >= k->cnt) {
      if (k->key == INT64_MAX) k->have = 0;
      else rc = chunk_load(k, k->key + 1);
    }
    if (rc != LODE_OK) return rc;
    if (!k->have) {
      cur->eof = 1;
      return LODE_OK;
    }
    if (k->at + 1 < k->cnt) break;
  }
  int from = k->at + 1;
  *docs = k->docs + from;
  *tf = k->tfs + from;
  *len = k->lens + from;
  *n = k->cnt - from;
  chunk_set(k, k->cnt - 1);
  return LODE_OK;
}

static int chunk_positions(FtsPostingCursor *cur, const int32_t **out) {
  ChunkCursor *k = (ChunkCursor *)cur;
  if (!k->have_pos) {
    const uint8_t *p = k->chunk + k->offs[k->at], *end = k->chunk + k->n;
    uint64_t x;
    if (cur->tf > k->poscap) {
      int32_t *g = util_realloc(k->pos, sizeof(int32_t) * (size_t)cur->tf);
      if (!g) return LODE_NOMEM;
      k->pos = g;
      k->poscap = cur->tf;
    }
    p += util_varint_get_bounded(p, end, &x); /* the field length and tf, which the decoding read */
    p += util_varint_get_bounded(p, end, &x);
    int32_t at = 0;
    for (int32_t i = 0; i < cur->tf; i++) {
      int h = util_varint_get_bounded(p, end, &x);
      if (h <= 0) return LODE_CORRUPT;
      p += h;
      at += (int32_t)x;
      k->pos[i] = at;
    }
    k->have_pos = 1;
  }
  *out = k->pos;
  return LODE_OK;
}

/* The term's postings, counted by walking every chunk. */
static int chunk_count(FtsPostingCursor *cur, int64_t *count) {
  ChunkCursor *k = (ChunkCursor *)cur;
  int eof = 0, rc;
  *count = 0;
  for (rc = lode_index_store_seek(k->c->postings, k->id, INT64_MIN, &eof); rc == LODE_OK && !eof;
       rc = lode_index_store_next(k->c->postings, &eof)) {
    lode_int64 major, minor;
    const void *v;
    int n;
    lode_index_store_key(k->c->postings, &major, &minor);
    if (major != k->id) break;
    if ((rc = lode_index_store_value(k->c->postings, &v, &n)) != LODE_OK) break;
    const uint8_t *p = v, *end = p + n;
    while (p < end) { /* the positions (small steps, each ending at a byte below 0x80) skipped */
      uint64_t d, len, tf;
      int h = util_varint_get_bounded(p, end, &d), a, b;
      if (h <= 0 || (a = util_varint_get_bounded(p + h, end, &len)) <= 0) return LODE_CORRUPT;
      p += h + a;
      if ((b = util_varint_get_bounded(p, end, &tf)) <= 0 || tf > (uint64_t)(end - p)) return LODE_CORRUPT;
      p += b;
      for (uint64_t i = 0; i < tf; i++) {
        while (p < end && *p >= 0x80) p++;
        if (p++ >= end) return LODE_CORRUPT;
      }
      (*count)++;
    }
  }
  return rc;
}

static void chunk_close(FtsPostingCursor *cur) {
  ChunkCursor *k = (ChunkCursor *)cur;
  util_free(k->chunk);
  util_free(k->docs);
  util_free(k->tfs);
  util_free(k->lens);
  util_free(k->offs);
  util_free(k->pos);
  util_free(k);
}

static int chunk_cursor_add(FtsCursor *c, int64_t id, FtsCursorList *out) {
  ChunkCursor *k = util_zalloc(sizeof *k);
  if (!k) return LODE_NOMEM;
  k->c = c;
  k->id = id;
  k->base.seek = chunk_seek;
  k->base.positions = chunk_positions;
  k->base.count = chunk_count;
  k->base.block = chunk_block;
  k->base.close = chunk_close;
  return fts_cursor_list_add(out, &k->base);
}

/* The ids of every term whose [field][term] key starts with key[0..n), in dictionary order. */
static int prefix_ids(FtsCursor *c, const char *key, int n, int64_t **ids, int64_t *nids) {
  int64_t major, minor, capids = 0;
  dict_key(key, n, &major, &minor);
  int eof = 0, rc;
  for (rc = lode_index_store_seek(c->terms, major, minor, &eof); rc == LODE_OK && !eof;
       rc = lode_index_store_next(c->terms, &eof)) {
    const void *v;
    int vn;
    if ((rc = lode_index_store_value(c->terms, &v, &vn)) != LODE_OK) break;
    /* Past the keys that start with the prefix's first bytes: done. */
    lode_int64 kmajor, kminor;
    uint8_t kb[16];
    lode_index_store_key(c->terms, &kmajor, &kminor);
    uint64_t hi = (uint64_t)kmajor ^ 0x8000000000000000ULL, lo = (uint64_t)kminor ^ 0x8000000000000000ULL;
    for (int i = 7; i >= 0; i--, hi >>= 8, lo >>= 8) kb[i] = (uint8_t)hi, kb[8 + i] = (uint8_t)lo;
    if (memcmp(kb, key, (size_t)(n < 16 ? n : 16)) != 0) break;
    const uint8_t *p = v, *end = p + vn;
    while (p < end) {
      uint64_t len, id;
      int k = util_varint_get_bounded(p, end, &len);
      if (k <= 0 || len > (uint64_t)(end - p - k)) {
        rc = LODE_CORRUPT;
        break;
      }
      const uint8_t *term = p + k;
      p = term + len;
      if ((k = util_varint_get_bounded(p, end, &id)) <= 0) {
        rc = LODE_CORRUPT;
        break;
      }
      p += k;
      if ((int)len < n || memcmp(term, key, (size_t)n) != 0) continue;
      if ((rc = ids_push(ids, nids, &capids, (int64_t)id)) != LODE_OK) break;
    }
    if (rc != LODE_OK) break;
  }
  return rc;
}

static int src_open(void *ctx, int field, const char *term, int n, int prefix, FtsCursorList *out) {
  FtsCursor *c = ctx;
  int rc;
  if (prefix) {
    char small[FTS_MAX_TOKEN + 8];
    char *key = n + 1 <= (int)sizeof small ? small : util_malloc((size_t)n + 1);
    int64_t *ids = NULL, nids = 0;
    if (!key) return LODE_NOMEM;
    key[0] = (char)field;
    memcpy(key + 1, term, (size_t)n);
    rc = prefix_ids(c, key, n + 1, &ids, &nids);
    for (int64_t i = 0; rc == LODE_OK && i < nids; i++) rc = chunk_cursor_add(c, ids[i], out);
    util_free(ids);
    if (key != small) util_free(key);
  } else {
    int64_t id;
    rc = term_id(c, field, term, n, 0, NULL, &id);
    if (rc == LODE_OK && id) rc = chunk_cursor_add(c, id, out);
  }
  return rc;
}

static int src_all(void *ctx, int64_t **docs, int64_t *n) {
  FtsCursor *c = ctx;
  int64_t cap = 0;
  int eof = 0, rc;
  *docs = NULL;
  *n = 0;
  for (rc = lode_index_store_seek(c->docs, STATS_KEY + 1, INT64_MIN, &eof); rc == LODE_OK && !eof;
       rc = lode_index_store_next(c->docs, &eof)) {
    lode_int64 major, minor;
    lode_index_store_key(c->docs, &major, &minor);
    if (*n == cap) {
      cap = cap ? 2 * cap : 64;
      int64_t *g = util_realloc(*docs, sizeof(int64_t) * (size_t)cap);
      if (!g) return LODE_NOMEM;
      *docs = g;
    }
    (*docs)[(*n)++] = major;
  }
  return rc;
}

/* The hits of query text m. */
static int run_query(FtsCursor *c, lode_value *m, const Stats *stats, int match_only, FtsHit **hits, int64_t *n) {
  FtsAttachment *a = c->att;
  *hits = NULL;
  *n = 0;
  if (lode_value_type(m) == LODE_NULL) return LODE_OK; /* fts_match(…, NULL) is NULL: no row */
  const char *z = (const char *)lode_value_text(m);
  if (!z) return LODE_NOMEM;
  FtsQuery *q = NULL;
  char *err = NULL;
  int rc = fts_query_parse(z, lode_value_bytes(m), a->nfields, (const char *const *)a->names, &q, &err);
  if (rc != LODE_OK) {
    util_free(c->base.errmsg);
    c->base.errmsg = err;
    return rc;
  }
  for (int f = 0; f < a->nfields; f++) c->avglen[f] = stats->rows ? (double)stats->tokens[f] / (double)stats->rows : 0;
  FtsSource src = {c, a->nfields, a->tokenizer, a->weight, (double)stats->rows, c->avglen, NULL, src_all, src_open,
                   match_only};
  rc = fts_evaluate(&src, q, hits, n, &err);
  if (rc != LODE_OK && err) {
    util_free(c->base.errmsg);
    c->base.errmsg = err;
  } else {
    util_free(err);
  }
  if (rc == LODE_CORRUPT) fail(c, rc, FTS_NAME ": a posting is corrupt");
  fts_query_free(q);
  return rc;
}

static int by_score(const void *a, const void *b) {
  const FtsHit *x = a, *y = b;
  if (x->score != y->score) return x->score > y->score ? -1 : 1;
  return x->doc < y->doc ? -1 : x->doc > y->doc;
}

/* by_score's order: x before y. */
static inline int ranks_before(const FtsHit *x, const FtsHit *y) {
  return x->score != y->score ? x->score > y->score : x->doc < y->doc;
}

/* Sifts h[i] down the heap h[0..n) whose root ranks last. */
static void worst_down(FtsHit *h, int64_t n, int64_t i) {
  FtsHit e = h[i];
  for (;;) {
    int64_t l = 2 * i + 1, m = l;
    if (l >= n) break;
    if (l + 1 < n && ranks_before(&h[l], &h[l + 1])) m = l + 1;
    if (!ranks_before(&e, &h[m])) break;
    h[i] = h[m];
    i = m;
  }
  h[i] = e;
}

/* The first k of hits[0..n) in by_score's order, in hits[0..k): a heap of
** the best k so far whose root is the one a better hit displaces, so that
** a top 10 of many rows costs a comparison per row rather than a sort. */
static void top_hits(FtsHit *h, int64_t n, int64_t k) {
  if (k <= 0) return;
  if (k < n) {
    for (int64_t i = k / 2 - 1; i >= 0; i--) worst_down(h, k, i);
    for (int64_t i = k; i < n; i++)
      if (ranks_before(&h[i], &h[0])) {
        h[0] = h[i];
        worst_down(h, k, 0);
      }
  }
  qsort(h, (size_t)(k < n ? k : n), sizeof(FtsHit), by_score);
}

/* The matching rows of hits with the scores of scores (0 where absent). */
static void rescore(FtsHit *hits, int64_t n, const FtsHit *scores, int64_t ns) {
  int64_t j = 0;
  for (int64_t i = 0; i < n; i++) {
    while (j < ns && scores[j].doc < hits[i].doc) j++;
    hits[i].score = j < ns && scores[j].doc == hits[i].doc ? scores[j].score : 0;
  }
}

static int fts_query(lode_index_cursor *cur, int pattern, int nargs, lode_value **args) {
  FtsCursor *c = (FtsCursor *)cur;
  static const int want[NPATTERNS] = {3, 2, 2, 1};
  util_free(c->hits);
  c->hits = NULL;
  c->nhits = c->at = 0;
  if (pattern < 0 || pattern >= NPATTERNS || nargs != want[pattern]) return fail(c, LODE_MISUSE, NULL);
  int rc = c->npend || c->have_stats ? flush(c) : LODE_OK;
  if (rc != LODE_OK) return rc;
  Stats stats;
  rc = stats_read(c, &stats);
  if (rc != LODE_OK) return rc == LODE_CORRUPT ? fail(c, rc, FTS_NAME ": the index's statistics are corrupt") : rc;
  /* The query that selects the rows, and the one that scores them. */
  lode_value *match = pattern == 1 ? args[0] : pattern == 3 ? args[0] : args[1];
  lode_value *score = pattern == 3 ? NULL : args[0];
  /* The rows alone (no list counted for its idf) unless the same query scores them. */
  int same = score == match || (score && lode_value_type(score) == lode_value_type(match) &&
                                lode_value_type(score) == LODE_TEXT && lode_value_bytes(score) == lode_value_bytes(match) &&
                                memcmp(lode_value_text(score), lode_value_text(match), (size_t)lode_value_bytes(match)) == 0);
  rc = run_query(c, match, &stats, !same, &c->hits, &c->nhits);
  if (rc == LODE_OK && score && !same) {
    FtsHit *s = NULL;
    int64_t ns = 0;
    rc = run_query(c, score, &stats, 0, &s, &ns);
    if (rc == LODE_OK) rescore(c->hits, c->nhits, s, ns);
    util_free(s);
  }
  if (rc != LODE_OK) return rc;
  if (pattern <= 1) {
    int64_t limit = lode_value_int64(args[nargs - 1]);
    if (limit < 0 || limit > c->nhits) limit = c->nhits;
    top_hits(c->hits, c->nhits, limit);
    c->nhits = limit;
  }
  return LODE_OK;
}

static int fts_eof(lode_index_cursor *cur) {
  FtsCursor *c = (FtsCursor *)cur;
  return c->at >= c->nhits;
}

static int fts_next(lode_index_cursor *cur) {
  ((FtsCursor *)cur)->at++;
  return LODE_OK;
}

static lode_int64 fts_rowid(lode_index_cursor *cur) {
  FtsCursor *c = (FtsCursor *)cur;
  return c->at < c->nhits ? c->hits[c->at].doc : 0;
}

static int fts_column(lode_index_cursor *cur, int i, double *out) {
  FtsCursor *c = (FtsCursor *)cur;
  *out = i == 0 && c->at < c->nhits ? c->hits[c->at].score : 0;
  return LODE_OK;
}

/* ---- PRAGMA integrity_check ---------------------------------------------------------
**
** Each row of the table comes to fts_integrity_row: its tokens are found in
** the dictionary, each term's posting for the row in the term's chunks,
** with the row's field length, frequency and positions, and the row in the
** docs store.  Postings found are tallied per term (a count and a sum of
** rowids).  fts_integrity then walks the stores: chunks must decode with
** their rowids in order and within their keys, every term must hold as
** many postings as the rows gave it (more: postings no row explains), and
** the docs store and the statistics must agree with the rows seen. */

#define CHECK_PROBLEMS_MAX 4 /* problems named in one message; the rest are counted */

typedef struct TallySlot {
  int64_t id; /* 0: free */
  int64_t n;
  uint64_t rowsum;
} TallySlot;

typedef struct Tally {
  TallySlot *slot;
  int64_t cap, used;
  int64_t rows;
  int64_t tokens[FTS_MAX_FIELDS];
} Tally;

static void tally_free(Tally *t) {
  if (!t) return;
  util_free(t->slot);
  util_free(t);
}

static TallySlot *tally_find(Tally *t, int64_t id) {
  if (!t->cap) return NULL;
  for (uint64_t i = hash_id(id) & (uint64_t)(t->cap - 1);; i = (i + 1) & (uint64_t)(t->cap - 1))
    if (t->slot[i].id == id || t->slot[i].id == 0) return t->slot[i].id ? &t->slot[i] : NULL;
}

static int tally_add(Tally *t, int64_t id, int64_t rowid) {
  if (2 * (t->used + 1) > t->cap) {
    int64_t ncap = t->cap ? 2 * t->cap : 1024;
    TallySlot *g = util_zalloc(sizeof(TallySlot) * (size_t)ncap);
    if (!g) return LODE_NOMEM;
    for (int64_t i = 0; i < t->cap; i++) {
      if (!t->slot[i].id) continue;
      uint64_t j = hash_id(t->slot[i].id) & (uint64_t)(ncap - 1);
      while (g[j].id) j = (j + 1) & (uint64_t)(ncap - 1);
      g[j] = t->slot[i];
    }
    util_free(t->slot);
    t->slot = g;
    t->cap = ncap;
  }
  uint64_t i = hash_id(id) & (uint64_t)(t->cap - 1);
  while (t->slot[i].id && t->slot[i].id != id) i = (i + 1) & (uint64_t)(t->cap - 1);
  if (!t->slot[i].id) {
    t->slot[i].id = id;
    t->used++;
  }
  t->slot[i].n++;
  t->slot[i].rowsum += (uint64_t)rowid;
  return LODE_OK;
}

/* Problems of one check as one message: the first few named, the rest counted. */
typedef struct Problems {
  StrBuf b;
  int n;
} Problems;

static void problem(Problems *pr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(Problems *pr, const char *fmt, ...) {
  if (pr->n++ >= CHECK_PROBLEMS_MAX) return;
  char z[512]; /* a long term is cut short: the message names it, it need not spell it out */
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(z, sizeof z, fmt, ap);
  va_end(ap);
  if (pr->n > 1) strbuf_appendz(&pr->b, "; ");
  strbuf_appendz(&pr->b, z);
}

/* LODE_OK when there were none, else LODE_CORRUPT with the message in the cursor. */
static int problems_finish(FtsCursor *c, Problems *pr) {
  if (pr->n == 0) {
    strbuf_reset(&pr->b);
    return LODE_OK;
  }
  if (pr->n > CHECK_PROBLEMS_MAX) strbuf_printf(&pr->b, "; and %d more", pr->n - CHECK_PROBLEMS_MAX);
  util_free(c->base.errmsg);
  c->base.errmsg = strbuf_finish(&pr->b);
  return c->base.errmsg ? LODE_CORRUPT : LODE_NOMEM;
}

/* The posting of rowid in term id's chunks: *p and *m (valid until the next
** store call), or *p = NULL when the chunks lack it. */
static int find_posting(FtsCursor *c, int64_t id, int64_t rowid, const uint8_t **p, int *m) {
  int eof = 0;
  *p = NULL;
  int rc = lode_index_store_seek(c->postings, id, rowid, &eof);
  if (rc != LODE_OK || eof) return rc;
  lode_int64 major, minor;
  lode_index_store_key(c->postings, &major, &minor);
  if (major != id) return LODE_OK;
  const void *v;
  int n;
  if ((rc = lode_index_store_value(c->postings, &v, &n)) != LODE_OK) return rc;
  const uint8_t *q = v, *end = q + n;
  int64_t at = 0;
  for (int first = 1; q < end; first = 0) {
    uint64_t d;
    int k = util_varint_get_bounded(q, end, &d), size;
    if (k <= 0 || !(size = posting_size(q + k, end))) return LODE_CORRUPT;
    at = first ? unzigzag(d) : (int64_t)((uint64_t)at + d);
    if (at == rowid) {
      *p = q + k;
      *m = size;
      return LODE_OK;
    }
    if (at > rowid) break;
    q += k + size;
  }
  return LODE_OK;
}

/* A posting's field length and frequency. */
static void posting_head(const uint8_t *p, int n, uint64_t *len, uint64_t *tf) {
  int k = util_varint_get_bounded(p, p + n, len);
  *tf = 0;
  if (k > 0) util_varint_get_bounded(p + k, p + n, tf);
}

/* Field f of the row: each distinct term's posting as the row would write it. */
static int check_field(FtsCursor *c, int f, lode_value *v, int64_t rowid, Problems *pr) {
  RowToks t;
  int rc = row_tokens(c, f, v, &t);
  uint8_t small[256], *buf = small;
  int cap = (int)sizeof small;
  const char *col = c->att->names[f];
  for (int i = 0; i < t.n && rc == LODE_OK;) {
    int j = i + 1;
    while (j < t.n && t.v[j].n == t.v[i].n && memcmp(t.v[j].text, t.v[i].text, (size_t)t.v[i].n) == 0) j++;
    int64_t id;
    const uint8_t *have;
    int hn = 0;
    if ((rc = term_id(c, f, t.v[i].text, t.v[i].n, 0, &c->st, &id)) != LODE_OK) break;
    if (!id) {
      problem(pr, "rowid %lld: term '%.*s' of column %s is missing from the dictionary", (long long)rowid,
              t.v[i].n, t.v[i].text, col);
      i = j;
      continue;
    }
    if ((rc = find_posting(c, id, rowid, &have, &hn)) != LODE_OK) break;
    if (!have) {
      problem(pr, "rowid %lld: posting of term '%.*s' of column %s is missing", (long long)rowid, t.v[i].n,
              t.v[i].text, col);
      i = j;
      continue;
    }
    int n = 0;
    if ((rc = posting_encode(&t, i, j, small, &buf, &cap, &n)) != LODE_OK) break;
    if (n != hn || memcmp(buf, have, (size_t)n) != 0) {
      uint64_t len, tf;
      posting_head(have, hn, &len, &tf);
      if (len != (uint64_t)t.n || tf != (uint64_t)(j - i))
        problem(pr,
                "rowid %lld: posting of term '%.*s' of column %s is wrong: %llu of %llu tokens, the row has %d of %d",
                (long long)rowid, t.v[i].n, t.v[i].text, col, (unsigned long long)tf, (unsigned long long)len, j - i,
                t.n);
      else
        problem(pr, "rowid %lld: posting of term '%.*s' of column %s has wrong positions", (long long)rowid, t.v[i].n,
                t.v[i].text, col);
    }
    rc = tally_add(c->tally, id, rowid);
    i = j;
  }
  if (rc == LODE_OK) c->tally->tokens[f] += t.n;
  if (buf != small) util_free(buf);
  row_tokens_free(&t);
  return rc;
}

static int fts_integrity_row(lode_index_cursor *cur, lode_value **vals, lode_int64 rowid) {
  FtsCursor *c = (FtsCursor *)cur;
  Problems pr = {{0}, 0};
  int rc = LODE_OK;
  strbuf_init(&pr.b);
  if (!c->tally && !(c->tally = util_zalloc(sizeof(Tally)))) return LODE_NOMEM;
  c->tally->rows++;
  for (int f = 0; f < c->att->nfields && rc == LODE_OK; f++) rc = check_field(c, f, vals[f], rowid, &pr);
  if (rc == LODE_OK) {
    const void *v;
    int n;
    rc = lode_index_store_get(c->docs, rowid, 0, &v, &n);
    if (rc == LODE_NOTFOUND) {
      problem(&pr, "rowid %lld is missing from the index's rows", (long long)rowid);
      rc = LODE_OK;
    }
  }
  if (rc != LODE_OK) {
    strbuf_reset(&pr.b);
    return rc == LODE_CORRUPT ? fail(c, rc, FTS_NAME ": a posting chunk is corrupt") : rc;
  }
  return problems_finish(c, &pr);
}

/* A term with more postings than rows gave it. */
typedef struct Extra {
  int64_t id, n;
  uint64_t rowsum; /* of the extra postings: their rowid when there is one */
  char *name;      /* "'term' of column c", from the dictionary */
} Extra;

/* Every chunk decodes, in order; each term's postings against the tally. */
static int check_chunks(FtsCursor *c, Problems *pr, Extra **extra, int64_t *nextra) {
  int64_t cap = 0, id = 0, n = 0, prev_key = INT64_MIN;
  uint64_t sum = 0;
  int eof = 0, rc;
  for (rc = lode_index_store_seek(c->postings, INT64_MIN, INT64_MIN, &eof);;
       rc = lode_index_store_next(c->postings, &eof)) {
    lode_int64 major = 0, minor = 0;
    if (rc != LODE_OK) return rc;
    if (!eof) lode_index_store_key(c->postings, &major, &minor);
    if (id && (eof || major != id)) { /* term id's chunks are done */
      TallySlot *s = c->tally ? tally_find(c->tally, id) : NULL;
      int64_t seen = s ? s->n : 0;
      if (n > seen) {
        if (*nextra == cap) {
          Extra *g = util_realloc(*extra, sizeof(Extra) * (size_t)(cap ? 2 * cap : 16));
          if (!g) return LODE_NOMEM;
          *extra = g;
          cap = cap ? 2 * cap : 16;
        }
        (*extra)[(*nextra)++] = (Extra){id, n - seen, sum - (s ? s->rowsum : 0), NULL};
      }
    }
    if (eof) return LODE_OK;
    if (major != id) id = major, n = 0, sum = 0, prev_key = INT64_MIN;
    const void *v;
    int vn;
    if ((rc = lode_index_store_value(c->postings, &v, &vn)) != LODE_OK) return rc;
    const uint8_t *p = v, *end = p + vn;
    int64_t rowid = 0;
    for (int first = 1; p < end; first = 0) {
      uint64_t d;
      int k = util_varint_get_bounded(p, end, &d), size;
      if (k <= 0 || !(size = posting_size(p + k, end))) {
        problem(pr, "a postings chunk of term id %lld does not decode", (long long)id);
        break;
      }
      int64_t next = first ? unzigzag(d) : (int64_t)((uint64_t)rowid + d);
      if (next <= prev_key || next > minor || (!first && next <= rowid)) {
        problem(pr, "a postings chunk of term id %lld holds rowid %lld out of order", (long long)id, (long long)next);
        break;
      }
      rowid = next;
      n++;
      sum += (uint64_t)rowid;
      p += k + size;
    }
    prev_key = minor;
  }
}

/* Names the extra postings' terms from the dictionary, checking its ids. */
static int name_extras(FtsCursor *c, Problems *pr, Extra *extra, int64_t nextra, int64_t next_id) {
  int eof = 0, rc;
  for (rc = lode_index_store_seek(c->terms, INT64_MIN, INT64_MIN, &eof); rc == LODE_OK && !eof;
       rc = lode_index_store_next(c->terms, &eof)) {
    const void *v;
    int n;
    if ((rc = lode_index_store_value(c->terms, &v, &n)) != LODE_OK) return rc;
    const uint8_t *p = v, *end = p + n;
    while (p < end) {
      uint64_t klen, id;
      int k = util_varint_get_bounded(p, end, &klen);
      if (k <= 0 || klen < 1 || klen > (uint64_t)(end - p - k)) break;
      const char *key = (const char *)p + k;
      p += k + klen;
      if ((k = util_varint_get_bounded(p, end, &id)) <= 0) {
        p = NULL;
        break;
      }
      p += k;
      if ((int64_t)id >= next_id || id == 0)
        problem(pr, "the dictionary gives term '%.*s' id %llu, past the ids handed out", (int)klen - 1, key + 1,
                (unsigned long long)id);
      for (int64_t i = 0; i < nextra; i++) {
        if (extra[i].id != (int64_t)id || extra[i].name) continue;
        int f = (uint8_t)key[0];
        extra[i].name = util_mprintf("'%.*s' of column %s", (int)klen - 1, key + 1,
                                     f < c->att->nfields ? c->att->names[f] : "?");
        if (!extra[i].name) return LODE_NOMEM;
      }
    }
    if (p != end) problem(pr, "a dictionary entry does not decode");
  }
  return rc;
}

static int fts_integrity(lode_index_cursor *cur, lode_int64 rows) {
  FtsCursor *c = (FtsCursor *)cur;
  Problems pr = {{0}, 0};
  Extra *extra = NULL;
  int64_t nextra = 0, docs = 0;
  Stats st;
  (void)rows; /* the rows came one by one */
  strbuf_init(&pr.b);
  int rc = stats_read(c, &st);
  if (rc == LODE_OK) rc = check_chunks(c, &pr, &extra, &nextra);
  if (rc == LODE_OK) rc = name_extras(c, &pr, extra, nextra, st.next_id);
  for (int64_t i = 0; rc == LODE_OK && i < nextra; i++) {
    const char *name = extra[i].name ? extra[i].name : "of an id the dictionary lacks";
    if (extra[i].n == 1)
      problem(&pr, "term %s has a posting for rowid %lld, whose row does not hold it", name,
              (long long)extra[i].rowsum);
    else
      problem(&pr, "term %s has %lld postings of rows that do not hold it", name, (long long)extra[i].n);
  }
  int eof = 0;
  for (rc = rc == LODE_OK ? lode_index_store_seek(c->docs, INT64_MIN, INT64_MIN, &eof) : rc; rc == LODE_OK && !eof;
       rc = lode_index_store_next(c->docs, &eof)) {
    lode_int64 major, minor;
    lode_index_store_key(c->docs, &major, &minor);
    docs += major != STATS_KEY;
  }
  const Tally none = {0};
  const Tally *t = c->tally ? c->tally : &none;
  if (rc == LODE_OK && docs > t->rows)
    problem(&pr, "%lld rows in the index, %lld in the table", (long long)docs, (long long)t->rows);
  if (rc == LODE_OK && st.rows != t->rows)
    problem(&pr, "the statistics count %lld rows, the table has %lld", (long long)st.rows, (long long)t->rows);
  for (int f = 0; rc == LODE_OK && f < c->att->nfields; f++)
    if (st.tokens[f] != t->tokens[f])
      problem(&pr, "the statistics count %lld tokens in column %s, the rows hold %lld", (long long)st.tokens[f],
              c->att->names[f], (long long)t->tokens[f]);
  for (int64_t i = 0; i < nextra; i++) util_free(extra[i].name);
  util_free(extra);
  tally_free(c->tally);
  c->tally = NULL;
  if (rc != LODE_OK) {
    strbuf_reset(&pr.b);
    return rc == LODE_CORRUPT ? fail(c, rc, FTS_NAME ": the index's stores are corrupt") : rc;
  }
  return problems_finish(c, &pr);
}

const lode_index_method idxm_fts = {
    4, FTS_NAME, NULL, fts_attach, fts_detach, fts_open, fts_close, fts_insert, fts_delete,
    fts_query, fts_eof, fts_next, fts_rowid, fts_column, fts_integrity, fts_integrity_row,
};
