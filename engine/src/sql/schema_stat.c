/*
** schema_stat.c — the statistics of sqlite_stat1 and the samples of
** sqlite_stat4 loaded into the schema.
**
** ANALYZE leaves one row per index in sqlite_stat1(tbl, idx, stat), and one
** with idx NULL for a table that has no full index, where stat is text:
**   "N D1 D2 … Dk [unordered] [noskipscan] [sz=S]"
** N is the number of entries (rows), Di the average number of entries that
** share one value of the first i key columns (SQLite's fileformat2.html,
** "The SQLITE_STAT1 table").  The rows are read as SQLite reads them: in
** rowid order, the table named case-insensitively, the index by its name
** (or, for a WITHOUT ROWID table's PRIMARY KEY, by the table's name), the
** numbers taken while they last, then the words; rows that name nothing
** known are skipped.  The loader runs after the whole schema is built, so
** the Index objects exist whatever order sqlite_schema lists things in.
**
** sqlite_stat4(tbl, idx, neq, nlt, ndlt, sample) holds up to 24 samples of
** each index (vdbe/vdbe_stat4.c says how ANALYZE picks them), read as
** SQLite reads them: the index found by idx alone (or, for a WITHOUT ROWID
** table's PRIMARY KEY, by the table's name), the counts taken while they
** last (missing ones are 0), the rows in rowid order.  A file is data: a
** sample that is no record is skipped, and an index keeps at most
** STAT4_LOAD_MAX samples of at most STAT4_SAMPLE_MAX bytes each (a sample
** past either bound is skipped), so that no file makes the schema large.
*/
#include <string.h>

#include "btree/btree.h"
#include "sql/schema_int.h"
#include "util/util.h"
#include "value/value.h"

#define STAT1_NCOLS 3 /* tbl, idx, stat */
#define STAT4_NCOLS 6 /* tbl, idx, neq, nlt, ndlt, sample */
#define STAT4_LOAD_MAX 256       /* samples kept per index (ANALYZE writes 24) */
#define STAT4_SAMPLE_MAX 65536   /* bytes of one sample's record */
#define STAT4_COUNT_MAX ((int64_t)1 << 48)

/* Reads up to max numbers of stat into out; returns how many it read and
** sets *rest to the words after them.  A number is a run of digits; the
** numbers end at the first token that is not one. */
static int stat_numbers(const char *z, int64_t *out, int max, const char **rest) {
  int n = 0;
  while (n < max && *z >= '0' && *z <= '9') {
    int64_t v = 0;
    while (*z >= '0' && *z <= '9') {
      if (v < INT64_MAX / 10) v = v * 10 + (*z - '0');
      z++;
    }
    out[n++] = v;
    while (*z == ' ') z++;
  }
  *rest = z;
  return n;
}

/* The words after the numbers: each separated by spaces. */
static void stat_words(Index *ix, const char *z) {
  while (*z) {
    size_t n = 0;
    while (z[n] && z[n] != ' ') n++;
    /* SQLite matches these words as prefixes ("unordered*"). */
    if (n >= 9 && memcmp(z, "unordered", 9) == 0) ix->stat_unordered = 1;
    else if (n >= 10 && memcmp(z, "noskipscan", 10) == 0) ix->stat_noskipscan = 1;
    z += n;
    while (*z == ' ') z++;
  }
}

static Index *index_of_stat(Table *t, const char *name) {
  for (Index *ix = t->indexes; ix; ix = ix->next)
    if (util_stricmp(ix->name, name) == 0) return ix;
  /* A WITHOUT ROWID table's PRIMARY KEY has no name of its own. */
  if (t->pk && !index_has_own_btree(t->pk) && util_stricmp(t->name, name) == 0) return t->pk;
  return NULL;
}

static int load_stat_row(Schema *s, const char *tbl, const char *idx, const char *stat) {
  Table *t = schema_find_table(s, tbl);
  const char *rest;
  if (!t || !stat || *stat < '0' || *stat > '9') return LODE_OK;
  if (!idx) {
    int64_t n;
    if (stat_numbers(stat, &n, 1, &rest) == 1) {
      t->stat_nrows = n;
      t->stat_loaded = 1;
    }
    return LODE_OK;
  }
  Index *ix = index_of_stat(t, idx);
  if (!ix) return LODE_OK;
  if (!ix->stat_rows) {
    ix->stat_rows = arena_alloc(&ix->arena, sizeof(int64_t) * (size_t)(ix->nkey + 1));
    if (!ix->stat_rows) return LODE_NOMEM;
  }
  ix->stat_unordered = ix->stat_noskipscan = 0; /* a later row for the same index replaces the earlier */
  ix->nstat = stat_numbers(stat, ix->stat_rows, ix->nkey + 1, &rest);
  stat_words(ix, rest);
  if (!ix->where) {
    t->stat_nrows = ix->stat_rows[0];
    t->stat_loaded = 1;
  }
  return LODE_OK;
}

/* The record of the row under cur, in *buf (grown as needed); *size its bytes. */
static int row_record(BtCursor *cur, uint8_t **buf, uint32_t *size) {
  *size = btree_payload_size(cur);
  uint8_t *p = util_realloc(*buf, *size ? *size : 1);
  if (!p) return LODE_NOMEM;
  *buf = p;
  return btree_payload(cur, 0, *size, p);
}

/* Column i of a parsed record as text (NULL for SQL NULL, a blob, a missing
** column or a field past the record's end); *oom on allocation failure. */
static const char *column_text(const RecordHeader *h, const uint8_t *p, uint32_t size, int i, Mem *m, int *oom) {
  if (i >= h->ncol || h->offsets[i] + (uint64_t)record_serial_len(h->types[i]) > size) return NULL;
  record_decode_value(p + h->offsets[i], h->types[i], m);
  if (m->type == MEM_NULL || m->type == MEM_BLOB) return NULL;
  return mem_as_text(m, oom);
}

/* One row of sqlite_stat1: its three columns as NUL-terminated text (NULL
** for SQL NULL or a missing column; numbers rendered as text). */
static int read_stat_row(Schema *s, BtCursor *cur, uint8_t **buf) {
  uint32_t size;
  Mem col[STAT1_NCOLS];
  const char *text[STAT1_NCOLS] = {NULL, NULL, NULL};
  RecordHeader h;
  int rc, i;
  if ((rc = row_record(cur, buf, &size)) != LODE_OK) return rc;
  uint8_t *p = *buf;
  for (i = 0; i < STAT1_NCOLS; i++) mem_init(&col[i]);
  record_header_init(&h);
  if (record_header_parse(&h, p, size, size) != LODE_OK) goto done; /* a bad record is skipped */
  for (i = 0; i < STAT1_NCOLS; i++) {
    int oom = 0;
    text[i] = column_text(&h, p, size, i, &col[i], &oom);
    if (oom) {
      rc = LODE_NOMEM;
      goto done;
    }
  }
  if (text[0]) rc = load_stat_row(s, text[0], text[1], text[2]);
done:
  record_header_free(&h);
  for (i = 0; i < STAT1_NCOLS; i++) mem_release(&col[i]);
  return rc;
}

/* The index a sqlite_stat4 row names: an index by its name, else the
** PRIMARY KEY of the WITHOUT ROWID table of that name. */
static Index *stat4_index(Schema *s, const char *name) {
  Index *ix = schema_find_index(s, name);
  if (ix) return ix;
  Table *t = schema_find_table(s, name);
  return t && t->pk && !index_has_own_btree(t->pk) ? t->pk : NULL;
}

static int stat4_columns(const Index *ix) { return index_has_own_btree(ix) ? ix->ncols : ix->nkey; }

/* "n0 n1 …" into out[0..n) (0 for those missing), as stat_numbers reads;
** each at most STAT4_COUNT_MAX, so that the planner's sums of counts cannot
** overflow whatever a file says. */
static void stat4_counts(const char *z, int64_t *out, int n) {
  const char *rest;
  if (!z) return;
  stat_numbers(z, out, n, &rest);
  for (int i = 0; i < n; i++)
    if (out[i] > STAT4_COUNT_MAX) out[i] = STAT4_COUNT_MAX;
}

/* The values of a sample's record into the index's arena; 0 when the bytes
** are no record. */
static int stat4_values(Index *ix, IndexSample *smp, const uint8_t *rec, uint32_t n, int *oom) {
  RecordHeader h;
  int ok = 0;
  record_header_init(&h);
  if (n == 0 || record_header_parse(&h, rec, n, n) != LODE_OK) goto done;
  int nvals = h.ncol < ix->sample_ncol ? h.ncol : ix->sample_ncol;
  Mem *vals = arena_alloc(&ix->arena, sizeof(Mem) * (size_t)(nvals ? nvals : 1));
  if (!vals) {
    *oom = 1;
    goto done;
  }
  for (int i = 0; i < nvals; i++) {
    Mem m;
    mem_init(&m);
    record_decode_value(rec + h.offsets[i], h.types[i], &m);
    mem_init(&vals[i]);
    if (m.type == MEM_TEXT || m.type == MEM_BLOB) {
      char *z = arena_alloc(&ix->arena, (size_t)m.n + 1);
      if (!z) {
        *oom = 1;
        goto done;
      }
      if (m.n) memcpy(z, m.z, (size_t)m.n);
      z[m.n] = 0;
      vals[i].type = m.type;
      vals[i].z = z;
      vals[i].n = m.n;
    } else {
      vals[i].type = m.type;
      vals[i].u = m.u;
    }
  }
  smp->vals = vals;
  smp->nvals = nvals;
  ok = 1;
done:
  record_header_free(&h);
  return ok;
}

/* One row of sqlite_stat4, during pass 0 (count the index's rows into
** counts) or pass 1 (add the sample). */
typedef struct Stat4Load {
  Index **ix; /* the indexes seen, and their row counts */
  int *count;
  int n, cap;
} Stat4Load;

static int stat4_row(Schema *s, BtCursor *cur, uint8_t **buf, Stat4Load *l, int pass) {
  uint32_t size;
  Mem col[STAT4_NCOLS];
  RecordHeader h;
  int rc, oom = 0;
  if ((rc = row_record(cur, buf, &size)) != LODE_OK) return rc;
  uint8_t *p = *buf;
  for (int i = 0; i < STAT4_NCOLS; i++) mem_init(&col[i]);
  record_header_init(&h);
  if (record_header_parse(&h, p, size, size) != LODE_OK) goto done;
  const char *name = column_text(&h, p, size, 1, &col[1], &oom);
  Index *ix = name ? stat4_index(s, name) : NULL;
  if (!ix) goto done;
  int k = 0;
  while (k < l->n && l->ix[k] != ix) k++;
  if (pass == 0) {
    if (k == l->n) {
      if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 16;
        Index **a = util_realloc(l->ix, sizeof *a * (size_t)cap);
        if (a) l->ix = a;
        int *c = a ? util_realloc(l->count, sizeof *c * (size_t)cap) : NULL;
        if (!a || !c) {
          rc = LODE_NOMEM;
          goto done;
        }
        l->count = c;
        l->cap = cap;
      }
      l->ix[l->n] = ix;
      l->count[l->n++] = 0;
    }
    if (l->count[k] < STAT4_LOAD_MAX) l->count[k]++;
    goto done;
  }
  if (k == l->n || !ix->samples || ix->nsample >= l->count[k]) goto done;
  /* The sample: a blob (or text) holding a record of the entry's columns. */
  if (5 >= h.ncol || h.offsets[5] + (uint64_t)record_serial_len(h.types[5]) > size) goto done;
  record_decode_value(p + h.offsets[5], h.types[5], &col[5]);
  if ((col[5].type != MEM_BLOB && col[5].type != MEM_TEXT) || col[5].n > STAT4_SAMPLE_MAX) goto done;
  IndexSample *smp = &ix->samples[ix->nsample];
  int ncol = ix->sample_ncol;
  memset(smp->eq, 0, sizeof(int64_t) * 3 * (size_t)ncol);
  if (!stat4_values(ix, smp, (const uint8_t *)col[5].z, (uint32_t)col[5].n, &oom)) goto done;
  for (int i = 0; i < 3 && !oom; i++) {
    const char *z = column_text(&h, p, size, 2 + i, &col[2 + i], &oom);
    stat4_counts(z, smp->eq + (size_t)i * (size_t)ncol, ncol);
  }
  if (!oom) ix->nsample++;
done:
  if (oom) rc = LODE_NOMEM;
  record_header_free(&h);
  for (int i = 0; i < STAT4_NCOLS; i++) mem_release(&col[i]);
  return rc;
}

/* Room for count samples of ix (their counts: eq, lt and dlt after one
** another in one block per sample). */
static int stat4_alloc(Index *ix, int count) {
  int ncol = stat4_columns(ix);
  ix->sample_ncol = ncol;
  ix->nsample = 0;
  ix->samples = arena_alloc(&ix->arena, sizeof(IndexSample) * (size_t)count);
  int64_t *counts = arena_alloc(&ix->arena, sizeof(int64_t) * 3 * (size_t)ncol * (size_t)count);
  ix->sample_avg_eq = arena_alloc(&ix->arena, sizeof(int64_t) * (size_t)ncol);
  if (!ix->samples || !counts || !ix->sample_avg_eq) return LODE_NOMEM;
  for (int i = 0; i < count; i++) {
    ix->samples[i].eq = counts + (size_t)i * 3 * (size_t)ncol;
    ix->samples[i].lt = ix->samples[i].eq + ncol;
    ix->samples[i].dlt = ix->samples[i].lt + ncol;
  }
  return LODE_OK;
}

/* The rows of a value of the first i+1 columns that no sample holds, per i,
** and the rows the index holds, as SQLite derives them: from sqlite_stat1
** where it has the prefix, else from the last sample; the rows the samples'
** distinct prefixes hold are taken out. */
static void stat4_averages(Index *ix) {
  const IndexSample *last = &ix->samples[ix->nsample - 1];
  int ncol = ix->sample_ncol > 1 ? ix->sample_ncol - 1 : 1;
  if (ix->sample_ncol > 1) ix->sample_avg_eq[ncol] = 1;
  for (int c = 0; c < ncol; c++) {
    int n = ix->nsample;
    int64_t rows, dist100, sum_eq = 0, sum100 = 0, avg = 0;
    if (c >= ix->nkey || ix->nstat <= c + 1 || ix->stat_rows[c + 1] == 0) {
      rows = last->lt[c];
      dist100 = last->dlt[c] > INT64_MAX / 100 ? INT64_MAX : 100 * last->dlt[c];
      n--;
    } else {
      rows = ix->stat_rows[0];
      dist100 = (rows > INT64_MAX / 100 ? INT64_MAX : 100 * rows) / ix->stat_rows[c + 1];
    }
    ix->sample_rows = rows;
    for (int i = 0; i < n; i++) {
      if (i == ix->nsample - 1 || ix->samples[i].dlt[c] != ix->samples[i + 1].dlt[c]) {
        sum_eq += ix->samples[i].eq[c];
        sum100 += 100;
      }
    }
    if (dist100 > sum100 && sum_eq < rows) avg = (int64_t)((100 * (double)(rows - sum_eq)) / (double)(dist100 - sum100));
    ix->sample_avg_eq[c] = avg > 0 ? avg : 1;
  }
}

static int load_stat4(Schema *s, Btree *bt) {
  Table *stat4 = schema_find_table(s, "sqlite_stat4");
  BtCursor *cur = NULL;
  uint8_t *buf = NULL;
  Stat4Load l = {NULL, NULL, 0, 0};
  int rc = LODE_OK, eof = 0;
  if (!stat4 || stat4->without_rowid || stat4->vtab_module || stat4->root == 0) return LODE_OK;
  for (int pass = 0; pass < 2 && rc == LODE_OK; pass++) {
    rc = btree_cursor_open(bt, stat4->root, 0, &cur);
    for (rc = rc == LODE_OK ? btree_first(cur, &eof) : rc; rc == LODE_OK && !eof; rc = btree_next(cur, &eof))
      if ((rc = stat4_row(s, cur, &buf, &l, pass)) != LODE_OK) break;
    if (cur) btree_cursor_close(cur);
    cur = NULL;
    for (int k = 0; pass == 0 && rc == LODE_OK && k < l.n; k++) rc = stat4_alloc(l.ix[k], l.count[k]);
  }
  for (int k = 0; k < l.n; k++) {
    Index *ix = l.ix[k];
    if (rc == LODE_OK && ix->nsample > 0) stat4_averages(ix);
    else ix->nsample = 0;
  }
  util_free(l.ix);
  util_free(l.count);
  util_free(buf);
  return rc;
}

int schema_load_stats(Schema *s, Btree *bt) {
  Table *stat1 = schema_find_table(s, "sqlite_stat1");
  BtCursor *cur = NULL;
  uint8_t *buf = NULL;
  int rc = LODE_OK, eof = 0;
  if (stat1 && !stat1->without_rowid && !stat1->vtab_module && stat1->root != 0) {
    rc = btree_cursor_open(bt, stat1->root, 0, &cur);
    for (rc = rc == LODE_OK ? btree_first(cur, &eof) : rc; rc == LODE_OK && !eof; rc = btree_next(cur, &eof))
      if ((rc = read_stat_row(s, cur, &buf)) != LODE_OK) break;
    if (cur) btree_cursor_close(cur);
    util_free(buf);
  }
  return rc == LODE_OK ? load_stat4(s, bt) : rc;
}
