/*
** fts5_int.h — what the files of the FTS5 module share (callers include
** fts5.h only).
**
** Files: fts5.c the virtual-table callbacks, table options and the %_config
** values, commands, transactions and the connection's fts5_api;
** fts5_tokenize.c the unicode61, ascii, porter and trigram tokenizers;
** fts5_index.c the change log, segments (write, read, merge) and SQLite's
** merge policy, the structure and averages records; fts5_expr.c the MATCH syntax and its
** evaluation; fts5_aux.c the Fts5ExtensionApi and bm25(), highlight(),
** snippet(); fts5_vocab.c the fts5vocab module.
**
** The index, in SQLite's FTS5 format (every varint is SQLite's big-endian one):
**   %_data(id INTEGER PRIMARY KEY, block BLOB) holds
**     id 1   averages: varint(rows), then varint(tokens) per column
**     id 10  structure: u32 cookie (big-endian), varint(levels),
**            varint(segments), varint(write counter: leaves written), then
**            per level varint(merge inputs in progress), varint(segments)
**            and per segment varint(segid) varint(first page) varint(last page).
**            Level 0 is the newest; within a level, later segments are newer.
**     id SEGMENT_ROWID(segid, pgno)  leaf page pgno (from 1) of a segment:
**            u16 offset of the first rowid on the page that comes before any
**            term (0: none), u16 offset of the page index (= end of the leaf
**            data), the data, then the page index: varints giving the offset
**            of each term that starts on the page (the first absolute, later
**            ones as differences).
**            A term is varint(length) bytes when it is the first to start on
**            its page, else varint(bytes shared with the previous term)
**            varint(suffix length) suffix.  Term bytes start with the index
**            byte: '0' for the main index, '1'+i for prefix index i.
**            Its doclist follows: the first rowid of the term, and the first
**            rowid on each page, absolute, the others as differences, each
**            followed (detail=full/column) by varint(poslist bytes * 2 +
**            delete flag) and the poslist, which may continue on the next
**            page; detail=none: a 0x00 after a rowid marks a deletion (two:
**            deleted and written again).
**     id DLIDX_ROWID(segid, height, pgno)  doclist indexes of doclists that
**            span many pages: the first rowid of each leaf, a b-tree of
**            pages numbered from the term's page (see DlLevel, fts5_index.c).
**     id TOMBSTONE_ROWID(segid, pgno)  contentless_delete tables: the
**            segment's deleted rowids (a hash, see fts5_index.c).  Their
**            structure record has FF 00 00 01 after the cookie and, per
**            segment, varint origin1, origin2 (the flushes whose rows it
**            holds), tombstone pages, rows deleted, rows written; each row's
**            origin is in %_docsize.origin.
**   poslist (detail=full): varint(pos - prev + 2) per position, columns
**            after the first introduced by 0x01 varint(column) (prev reset);
**            detail=column: the columns as positions of column 0.
**   %_idx(segid, term, pgno): for each page where a term starts, but the
**            first, the shortest prefix of that term that sorts after the
**            previous page's last term; the first page's row has term ''.
**            pgno is page << 1 | (a doclist index follows).
**   %_content(id, c0..), %_docsize(id, sz: varint tokens per column),
**   %_config(k, v): version 4 and the options set by INSERT commands;
**            version 5 once a 'secure-delete' has cut a deleted row's entries
**            out of the leaves in place: such leaves may be empty (00 00 00 04)
**            or lack the rowids and terms the doclist index and %_idx name.
*/
#ifndef LODE_FTS5_INT_H
#define LODE_FTS5_INT_H

#include <stdint.h>
#include <string.h>

#include "sqlite3.h"

#define FTS5_MAX_COLUMNS 2000
#define FTS5_MAX_PREFIX 31
#define FTS5_DEFAULT_PGSZ 4050
#define FTS5_DEFAULT_AUTOMERGE 4
#define FTS5_DEFAULT_CRISISMERGE 16
#define FTS5_DEFAULT_USERMERGE 4
#define FTS5_DEFAULT_HASHSIZE (1024 * 1024)
#define FTS5_DEFAULT_NEAR 10
#define FTS5_DEFAULT_DELETEMERGE 10
#define FTS5_MAX_SEGMENTS 2000
#define FTS5_MAX_LEVELS 64
#define FTS5_CURRENT_VERSION 4
/* The version %_config holds once a secure-delete has edited the segments in place. */
#define FTS5_SECURE_DELETE_VERSION 5
#define FTS5_AVERAGES_ROWID 1
#define FTS5_STRUCTURE_ROWID 10
#define FTS5_MAIN_PREFIX '0'

/* The id of a segment's leaf page pgno, and of a doclist-index page. */
#define FTS5_SEGMENT_ROWID(segid, pgno) (((sqlite3_int64)(segid) << 37) + (sqlite3_int64)(pgno))
#define FTS5_DLIDX_ROWID(segid, height, pgno)                                                                          \
  (((sqlite3_int64)(segid) << 37) + ((sqlite3_int64)1 << 36) + ((sqlite3_int64)(height) << 31) + (sqlite3_int64)(pgno))

/* A segment's tombstone hash page (contentless_delete tables), from page 0. */
#define FTS5_TOMBSTONE_ROWID(segid, pgno) FTS5_SEGMENT_ROWID((sqlite3_int64)(segid) + (1 << 16), pgno)

/* ---- byte buffers and varints ---------------------------------------------------------------------------------- */

#define FTS5_SEEK_CACHE 16  /* %_idx seeks remembered during a call into the table */
#define FTS5_SEEK_KEY_MAX 32 /* the longest key remembered */

typedef struct F5Buf {
  unsigned char *p;
  int n, cap;
  int oom;
} F5Buf;

/* Appends go through these inline checks first: most are a few bytes into room the buffer has (the slow
** forms grow it, or only mark oom). */
void f5_put_grow(F5Buf *b, const void *p, int n);
void f5_varint_grow(F5Buf *b, sqlite3_uint64 v);
static inline void f5_put(F5Buf *b, const void *p, int n) {
  if (n > 0 && !b->oom && b->n + n <= b->cap) {
    /* most are a few bytes (a poslist, a token), less than a call to memcpy costs */
    unsigned char *d = b->p + b->n;
    if (n <= 16)
      for (int i = 0; i < n; i++) d[i] = ((const unsigned char *)p)[i];
    else
      memcpy(d, p, (size_t)n);
    b->n += n;
  } else {
    f5_put_grow(b, p, n);
  }
}
static inline void f5_varint(F5Buf *b, sqlite3_uint64 v) {
  if (v < 0x4000 && !b->oom && b->n + 2 <= b->cap) {
    if (v >= 0x80) b->p[b->n++] = (unsigned char)(0x80 | v >> 7);
    b->p[b->n++] = (unsigned char)(v & 0x7F);
  } else {
    f5_varint_grow(b, v);
  }
}
void f5_free(F5Buf *b);
/* Grows the array *pp (of *cap elements of elem bytes) to hold need. */
int f5_grow(void *pp, int *cap, int need, size_t elem);
/* Reads a varint at p (not past end) into *v: the bytes it took, 0 when malformed. */
int f5_get_varint(const unsigned char *p, const unsigned char *end, sqlite3_uint64 *v);
int f5_varint_len(sqlite3_uint64 v);

/* ---- tokenizers ------------------------------------------------------------------------------------------------ */

typedef struct Fts5Global Fts5Global;

/* Fills g's built-in tokenizers (no allocation). */
void fts5_builtin_tokenizers(Fts5Global *g);
/* When tokenizer tok of module x lets the index find a pattern's candidate
** rows (trigram): 'L' for LIKE and GLOB (case folded), 'G' for GLOB only; else 0. */
int fts5_tokenizer_pattern(const fts5_tokenizer *x, Fts5Tokenizer *tok);

/* ---- connection-wide state ------------------------------------------------------------------------------------- */

/* A tokenizer module.  The built-in ones live in Fts5Global.builtin_toks,
** with static names; those xCreateTokenizer adds are on Fts5Global.toks. */
typedef struct F5TokMod {
  char *name;
  void *user;
  fts5_tokenizer x;
  void (*destroy)(void *);
  struct F5TokMod *next;
} F5TokMod;

/* An auxiliary function.  The built-in ones live in Fts5Global.builtin_aux
** (their SQL functions are shared by every connection, fts5_each_function);
** those xCreateFunction adds are on Fts5Global.aux and have an SQL function
** of the connection's own. */
typedef struct F5AuxFn {
  Fts5Global *g;
  char *name;
  void *user;
  fts5_extension_function fn;
  void (*destroy)(void *);
  struct F5AuxFn *next;
} F5AuxFn;

typedef struct Fts5Cursor Fts5Cursor;

#define FTS5_NBUILTIN_TOKS 4 /* unicode61, ascii, porter, trigram */
#define FTS5_NBUILTIN_AUX 3  /* bm25, highlight, snippet */

/* One per connection: what fts5_api registered, and every open cursor (an
** auxiliary function finds its cursor by the id the table column holds).
** The built-ins count as registered before anything else: a lookup by name
** tries the added ones (newest first), then the built-ins. */
struct Fts5Global {
  fts5_api api;
  sqlite3 *db;
  F5TokMod *toks; /* added, newest first */
  F5TokMod *dflt; /* the first registered: the built-in unicode61 */
  F5AuxFn *aux;   /* added, newest first */
  F5TokMod builtin_toks[FTS5_NBUILTIN_TOKS];
  F5AuxFn builtin_aux[FTS5_NBUILTIN_AUX];
  sqlite3_int64 next_cursor_id;
  Fts5Cursor *cursors;
  struct Fts5Table *tables; /* connected tables, for fts5vocab */
};

F5TokMod *fts5_find_tokenizer(Fts5Global *g, const char *name);
F5AuxFn *fts5_find_aux(Fts5Global *g, const char *name);
/* Fills g's built-in auxiliary functions (no allocation). */
void fts5_builtin_aux(Fts5Global *g);
/* The connection's state, set by fts5_register (NULL if none). */
Fts5Global *fts5_global(sqlite3 *db);

/* ---- the table ------------------------------------------------------------------------------------------------- */

enum { F5_CONTENT_NORMAL, F5_CONTENT_NONE, F5_CONTENT_EXTERNAL };
enum { F5_DETAIL_FULL, F5_DETAIL_NONE, F5_DETAIL_COLUMN };

enum {
  F5ST_CONTENT_INSERT,
  F5ST_CONTENT_REPLACE,
  F5ST_CONTENT_DELETE,
  F5ST_CONTENT_READ,
  F5ST_DOCSIZE_WRITE,
  F5ST_DOCSIZE_DELETE,
  F5ST_DOCSIZE_READ,
  F5ST_DOCSIZE_ORIGIN,
  F5ST_DOCSIZE_SET_ORIGIN,
  F5ST_DATA_READ,
  F5ST_DATA_WRITE,
  F5ST_DATA_DELETE_RANGE,
  F5ST_IDX_WRITE,
  F5ST_IDX_DELETE_SEG,
  F5ST_IDX_SEEK,
  F5ST_IDX_SCAN,
  F5ST_COUNT
};

typedef struct Fts5Table {
  sqlite3_vtab base;
  sqlite3 *db;
  Fts5Global *g;
  char *zdb, *zname;
  int ncol;
  char **colname;
  unsigned char *unindexed;
  int content;
  char *content_tbl;   /* external content table (content=NAME) */
  char *content_rowid; /* its rowid column */
  int contentless_delete, columnsize, detail;
  int contentless_unindexed; /* a contentless table keeping its UNINDEXED columns in %_content */
  int deletemerge;           /* percent of a level's rows deleted that makes it merge (contentless_delete) */
  int nprefix;
  int prefix[FTS5_MAX_PREFIX]; /* characters of each prefix index */
  char **tokargv;              /* tokenize= words */
  int ntokargv;
  F5TokMod *tokmod;
  Fts5Tokenizer *tok;
  int pattern; /* 'L' or 'G': the operators the index serves (fts5_tokenizer_pattern) */
  /* %_config values */
  int pgsz, automerge, crisismerge, usermerge, hashsize;
  char *rank; /* 'rank' option: "fn(args)", NULL for bm25() */
  int secure_delete; /* deletes remove a row's entries from the segments in place */
  int version;       /* %_config 'version': 4, or 5 once a secure-delete has run */
  int cookie;
  int config_stale; /* a rollback may have changed %_config: read it before the next use */
  sqlite3_stmt *stmt[F5ST_COUNT];
  sqlite3_blob *blob; /* the reader of %_data rows while a call into the table runs (fts5_index.c) */
  char *zdata;        /* "<name>_data", the table blob opens, made once */
  /* the leaves %_idx gave for (segment, key) during the current call into the table: a phrase counts its terms'
  ** entries and then reads them, seeking the same keys twice (fts5_index.c; emptied when the call returns and
  ** on every write) */
  struct {
    int segid, first, last, nkey, start;
    unsigned char key[FTS5_SEEK_KEY_MAX];
  } seek[FTS5_SEEK_CACHE];
  int nseek, seek_next;
  int idx_held; /* the %_idx seek statement is stepped to a row and held there (fts5_index.c) */
  /* a closed segment reader's page buffer, for the next one opened (fts5_index.c) */
  unsigned char *spare_page;
  int spare_page_cap;
  unsigned char *spare_term; /* and its term buffer */
  int spare_term_cap;
  /* changes not yet in the index: a log of row writes (see fts5_index.c) */
  F5Buf log;
  int nops;
  int *opat;
  int opcap;
  int written;    /* the log's operations [0, written) are in the index already */
  int savepoints; /* savepoint levels seen opened */
  int *spmark;    /* the log's operations when each was opened */
  int *spwritten; /* and how many of them were written then */
  int spcap;
  struct Fts5Table *next_table;
  void *pending; /* the log as a query reads it (fts5_index.c), until the log changes */
  void *seg_cache; /* the segments of the structure record last parsed for a query, with its bytes and the mark
                   ** (data version, change counts) under which it is used unread (fts5_index.c) */
  void *page_cache; /* %_data rows read during the current call into the table (fts5_index.c) */
  int mark_held;    /* seg_cache's mark was found to hold during the current call, and nothing wrote since */
  int cache_reads;  /* the rows read now go into page_cache */
} Fts5Table;

struct Fts5Cursor {
  sqlite3_vtab_cursor base;
  sqlite3_int64 id;
  Fts5Cursor *next_global;
  int mode;
  int eof;
  int desc;
  sqlite3_int64 rowid;
  sqlite3_stmt *scan; /* full scans and lookups */
  sqlite3_stmt *row;  /* a match's content row */
  int row_loaded;
  struct F5Expr *expr;
  sqlite3_int64 *rows; /* a match's rows, in order */
  int nrows, at;
  sqlite3_int64 rowid_min, rowid_max;
  int has_min, has_max;
  /* rank */
  struct F5AuxFn *rankfn;
  sqlite3_value **rankargs;
  int nrankargs;
  char *rankspec;
  /* per-row state for auxiliary functions */
  int *colsize; /* token count per column, or -1 before it is read */
  int inst_loaded;
  int *inst; /* phrase, col, off triples */
  int ninst;
  void *auxdata;
  void (*auxdel)(void *);
  struct F5AuxData *auxlist;
  sqlite3_int64 nrow_total, *coltotal;
  int totals_loaded;
};

int fts5_set_error(Fts5Table *t, const char *fmt, ...);
/* "SELECT key, columns... FROM <content>" + suffix (sqlite3_malloc'd), and the key's name. */
char *fts5_content_select(Fts5Table *t, const char *suffix);
const char *fts5_content_key(const Fts5Table *t);
sqlite3_stmt *fts5_stmt(Fts5Table *t, int which, int *rc);
/* The cursor of connection state g with that id, or NULL. */
Fts5Cursor *fts5_cursor_by_id(Fts5Global *g, sqlite3_int64 id);
/* Loads the current row of a match cursor (content or external tables). */
int fts5_cursor_row(Fts5Cursor *c);
/* The text of column i of the cursor's row (NULL when it has none). */
int fts5_cursor_text(Fts5Cursor *c, int i, const char **z, int *n);

/* Runs the table's tokenizer over text. */
int fts5_tokenize(Fts5Table *t, int flags, const char *z, int n, void *ctx,
                  int (*fn)(void *, int, const char *, int, int, int));

/* ---- fts5_index.c ---------------------------------------------------------------------------------------------- */

/* Records a row's insertion (del 0) or deletion (del 1) with its column values' tokens; counts, when not
** NULL, gets each column's token count (for %_docsize). */
int fts5_log_row(Fts5Table *t, sqlite3_int64 rowid, int del, sqlite3_value **vals, int *counts);
/* A row deleted from a contentless_delete table (tombstones). */
int fts5_log_tombstone(Fts5Table *t, sqlite3_int64 rowid);
int fts5_flush(Fts5Table *t);
/* Closes the %_data reader a call into the table opened (it holds a read transaction). */
void fts5_reader_close(Fts5Table *t);
void fts5_seg_cache_free(Fts5Table *t);
/* Adds one to the configuration cookie in the structure record. */
int fts5_bump_cookie(Fts5Table *t);
void fts5_log_clear(Fts5Table *t);
/* Marks where SQLite writes its pending terms (a savepoint begins): the
** flush replaying the log ends a segment there. */
int fts5_log_boundary(Fts5Table *t);
/* Drops the log's operations from the nops-th on. */
void fts5_log_truncate(Fts5Table *t, int nops);
/* Creates the empty structure and averages records. */
int fts5_index_init(Fts5Table *t);
/* Deletes every segment ("delete-all", "rebuild"). */
int fts5_index_clear(Fts5Table *t);
int fts5_optimize(Fts5Table *t);
int fts5_merge(Fts5Table *t, int npages);
int fts5_integrity(Fts5Table *t);
/* The averages record: rows and tokens per column (ntok has ncol entries). */
int fts5_averages_read(Fts5Table *t, sqlite3_int64 *nrow, sqlite3_int64 *ntok);
/* The averages record's totals with the changes not yet written added. */
int fts5_totals(Fts5Table *t, sqlite3_int64 *nrow, sqlite3_int64 *ntok);
void fts5_pending_release(Fts5Table *t);
int fts5_docsize_read(Fts5Table *t, sqlite3_int64 rowid, int *sizes);

/* The documents of one term (or prefix) over every segment: rowids ascending,
** each with its hits (col << 32 | offset; detail=column: col << 32; none: no hits).  A raw doclist keeps each
** row's poslist as the index holds it instead (pl, start giving byte offsets into it): a phrase compares its
** terms' poslists in place, and only for the rows they share. */
typedef struct F5Doclist {
  int n, cap;
  sqlite3_int64 *rowid;
  int *start; /* n + 1 offsets into hit (raw: into pl) */
  int nhit, hcap;
  sqlite3_int64 *hit;
  unsigned char *pl; /* raw: the poslists, back to back */
  int raw;
  int oom;
} F5Doclist;
void f5_doclist_free(F5Doclist *d);
int f5_doclist_add(F5Doclist *d, sqlite3_int64 rowid, const sqlite3_int64 *hits, int nhits);
/* A raw doclist's poslists decoded into hits, in place (on error d is freed). */
int f5_doclist_cook(const Fts5Table *t, F5Doclist *d);
/* only (nonly ascending rowids, or NULL): the rows asked for, the others left out unread.  raw (a term that is
** not a prefix, detail=full): the poslists are kept as bytes (F5Doclist.raw).  hint: the rows expected (a count
** made before), room made for them at once; 0 when not known. */
int fts5_term_doclist(Fts5Table *t, const char *term, int n, int prefix, const sqlite3_int64 *only, int nonly,
                      int raw, int hint, F5Doclist *out);
/* Steps through a poslist in place (detail=full): each position as col << 32 | offset. */
typedef struct F5PlIter {
  const unsigned char *p, *end;
  sqlite3_int64 col, off;
  int ncol;
} F5PlIter;
/* The next position into *v: 1, 0 at the end, -1 when the poslist is malformed. */
static inline int f5_pl_next(F5PlIter *it, sqlite3_int64 *v) {
  for (;;) {
    if (it->p >= it->end) return 0;
    sqlite3_uint64 x;
    if (*it->p < 0x80) {
      x = *it->p++;
    } else {
      int k = f5_get_varint(it->p, it->end, &x);
      if (!k) return -1;
      it->p += k;
    }
    if (x == 1) {
      int k = it->p < it->end ? f5_get_varint(it->p, it->end, &x) : 0;
      if (!k || x >= (sqlite3_uint64)it->ncol) return -1;
      it->p += k;
      it->col = (sqlite3_int64)x;
      it->off = 0;
      continue;
    }
    if (x < 2 || x > 0x80000001u) return -1;
    it->off += (sqlite3_int64)x - 2;
    if (it->off > 0x7FFFFFFF) return -1;
    *v = it->col << 32 | it->off;
    return 1;
  }
}
/* The entries of a term (or prefix) over the segments, counted as far as asked: which terms are rare.
** fts5_counter_run counts on from where it stopped until cap (or the end) and gives the count so far, the
** changes not yet written included. */
typedef struct F5Counter F5Counter;
int fts5_counter_open(Fts5Table *t, const char *term, int n, int prefix, F5Counter **out);
int fts5_counter_run(F5Counter *c, int cap, int *count);
void fts5_counter_close(F5Counter *c);

/* Every term of the main index, in order, for fts5vocab: calls fn per (term, rowid, poslist hits). */
typedef int (*F5VocabFn)(void *ctx, const char *term, int n, sqlite3_int64 rowid, const sqlite3_int64 *hits, int nhits);
int fts5_index_walk(Fts5Table *t, F5VocabFn fn, void *ctx);

/* ---- fts5_expr.c ----------------------------------------------------------------------------------------------- */

typedef struct F5Expr F5Expr;
/* Parses a MATCH query (col >= 0: the column MATCH filter).  On error *err
** holds the message. */
int fts5_expr_parse(Fts5Table *t, const char *z, int col, F5Expr **out, char **err);
/* ANDs b into a (both owned; a may be NULL). */
F5Expr *fts5_expr_and(F5Expr *a, F5Expr *b);
void fts5_expr_free(F5Expr *e);
/* Evaluates: the matching rowids, ascending. */
int fts5_expr_run(Fts5Table *t, F5Expr *e, sqlite3_int64 **rows, int *nrows);
int fts5_expr_phrase_count(F5Expr *e);
int fts5_expr_phrase_size(F5Expr *e, int i);
/* Instances of phrase i in rowid: (col, off) pairs appended to out (ints). */
int fts5_expr_phrase_inst(F5Expr *e, int i, sqlite3_int64 rowid, int **out, int *n, int *cap);
/* Token k of phrase i (as the tokenizer gave it) and whether it is a prefix. */
void fts5_expr_phrase_term(F5Expr *e, int i, int k, const char **z, int *n, int *prefix);
int fts5_expr_phrase_initial(F5Expr *e, int i);
/* Does the index hold phrase i in column col of rowid (detail=none: in the row)? */
int fts5_expr_phrase_in_col(F5Expr *e, int i, sqlite3_int64 rowid, int col);
/* Is phrase i part of what matched rowid (not under a branch that did not match it)? */
int fts5_expr_phrase_active(F5Expr *e, int i, sqlite3_int64 rowid);
/* Rows that phrase i occurs in (for xQueryPhrase), ascending. */
int fts5_expr_phrase_rows(F5Expr *e, int i, const sqlite3_int64 **rows, int *n);
/* A phrase's own match, for xQueryPhrase: a new expression of it alone. */
F5Expr *fts5_expr_phrase_expr(F5Expr *e, int i);

/* ---- fts5_aux.c ------------------------------------------------------------------------------------------------ */

extern const Fts5ExtensionApi fts5_ext_api;
/* Calls the auxiliary function on cursor c's row. */
void fts5_aux_call(F5AuxFn *f, Fts5Cursor *c, sqlite3_context *ctx, int nval, sqlite3_value **vals);
void fts5_cursor_aux_clear(Fts5Cursor *c);
void fts5_aux_dispatch(sqlite3_context *ctx, int argc, sqlite3_value **argv);

/* ---- fts5_vocab.c ---------------------------------------------------------------------------------------------- */

const sqlite3_module *fts5_vocab_module(void);
/* The connected fts5 table named zdb.zname, or NULL (its cursor does not have to be open). */
Fts5Table *fts5_table_find(Fts5Global *g, const char *zdb, const char *zname);

#endif /* LODE_FTS5_INT_H */
