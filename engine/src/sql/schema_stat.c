/*
** schema_stat.c — the statistics of sqlite_stat1 loaded into the schema.
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
*/
#include <string.h>

#include "btree/btree.h"
#include "sql/schema_int.h"
#include "util/util.h"
#include "value/value.h"

#define STAT1_NCOLS 3 /* tbl, idx, stat */

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

/* One row of sqlite_stat1: its three columns as NUL-terminated text (NULL
** for SQL NULL or a missing column; numbers rendered as text). */
static int read_stat_row(Schema *s, BtCursor *cur, uint8_t **buf) {
  uint32_t size = btree_payload_size(cur);
  Mem col[STAT1_NCOLS];
  const char *text[STAT1_NCOLS] = {NULL, NULL, NULL};
  RecordHeader h;
  int rc, i;
  uint8_t *p = util_realloc(*buf, size ? size : 1);
  if (!p) return LODE_NOMEM;
  *buf = p;
  rc = btree_payload(cur, 0, size, p);
  if (rc != LODE_OK) return rc;
  for (i = 0; i < STAT1_NCOLS; i++) mem_init(&col[i]);
  record_header_init(&h);
  if (record_header_parse(&h, p, size, size) != LODE_OK) goto done; /* a bad record is skipped */
  for (i = 0; i < STAT1_NCOLS && i < h.ncol; i++) {
    int oom = 0;
    if (h.offsets[i] + record_serial_len(h.types[i]) > size) goto done;
    record_decode_value(p + h.offsets[i], h.types[i], &col[i]);
    if (col[i].type == MEM_NULL || col[i].type == MEM_BLOB) continue;
    text[i] = mem_as_text(&col[i], &oom);
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

int schema_load_stats(Schema *s, Btree *bt) {
  Table *stat1 = schema_find_table(s, "sqlite_stat1");
  BtCursor *cur = NULL;
  uint8_t *buf = NULL;
  int rc, eof = 0;
  if (!stat1 || stat1->without_rowid) return LODE_OK;
  rc = btree_cursor_open(bt, stat1->root, 0, &cur);
  for (rc = rc == LODE_OK ? btree_first(cur, &eof) : rc; rc == LODE_OK && !eof; rc = btree_next(cur, &eof))
    if ((rc = read_stat_row(s, cur, &buf)) != LODE_OK) break;
  if (cur) btree_cursor_close(cur);
  util_free(buf);
  return rc;
}
