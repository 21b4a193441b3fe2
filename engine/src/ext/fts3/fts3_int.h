/*
** fts3_int.h — what the files of the FTS3/FTS4 module share (not part of
** its interface: callers include fts3.h).
**
** Files: fts3.c the virtual-table callbacks and table options;
** fts3_tokenize.c the simple, porter and unicode61 tokenizers;
** fts3_index.c pending terms, segment b-trees (write, read, merge), the
** %_docsize and %_stat rows; fts3_query.c the MATCH syntax and its
** evaluation (with the tokens SQLite would defer: their rows are tokenized);
** fts3_aux.c snippet(), offsets() and matchinfo(); fts4aux.c and
** fts3_tokvtab.c the fts4aux and fts3tokenize tables.
**
** The index, in SQLite's format:
**   doclist   for each document, in ascending docid order:
**               varint  docid (the first absolute, then the difference
**                       from the previous docid)
**               poslist positions of column 0 as varint(pos - prev + 2),
**                       then for each later column with hits 0x01,
**                       varint(column) and its positions alike; 0x00 ends it.
**             A document with an empty poslist (just 0x00) is a deletion
**             marker: it hides that docid in older segments.
**   leaf      varint(0) (the height), then the terms in memcmp order: the
**             first as varint(nTerm) term, each later one as varint(shared
**             prefix with the previous term) varint(nSuffix) suffix; each
**             followed by varint(nDoclist) doclist.
**   interior  varint(height >= 1), varint(blockid of the leftmost child),
**             then the separator terms prefix-compressed as in leaves (no
**             doclists): child k+1 holds the terms >= separator k.
**   %_segdir  (level, idx, start_block, leaves_end_block, end_block, root):
**             a segment's leaves are blocks start_block..leaves_end_block
**             of %_segments, its interior nodes the blocks after them up to
**             end_block, and root its top node (a leaf when the segment is
**             small, and then every block number is 0).  end_block is
**             written as the text "END LEAFBYTES" as SQLite writes it.
**             Newer segments have lower levels, and higher idx within one.
*/
#ifndef LODE_FTS3_INT_H
#define LODE_FTS3_INT_H

#include <stdint.h>

#include "sqlite3.h"

#define FTS3_MAX_COLUMNS 2000
#define FTS3_MERGE_COUNT 16       /* segments on one level that make a merge into the next */
#define FTS3_PENDING_MAX 1048576  /* bytes of pending doclists that make a flush */
#define FTS3_PENDING_ENTRY 40     /* bytes counted per pending term besides its text and doclist */
#define FTS3_NEAR_DEFAULT 10
#define FTS3_MAX_EXPR_DEPTH 12     /* of a query's tree with AND/OR chains balanced, as SQLite's */
#define FTS3_MAX_PAREN_DEPTH 1000
#define FTS3_MAX_INDEX 16           /* the full-term index and up to 15 prefix= indexes */
#define FTS3_LEVELS_PER_INDEX 1024  /* index i owns segdir levels i*1024 .. i*1024+1023, as in SQLite */
#define AUTOMERGE_UNKNOWN 0xff      /* Fts3Table.automerge not read from %_stat yet */
#define HAS_STAT_UNKNOWN 2

/* ---- byte buffers and varints -------------------------------------------------------------------------------- */

typedef struct Buf {
  unsigned char *p;
  int n, cap;
  int oom;
} Buf;

void buf_put(Buf *b, const void *p, int n);
void buf_varint(Buf *b, sqlite3_uint64 v);
void buf_free(Buf *b);
/* Reads a varint at p (not past end) into *v: the bytes it took, 0 when malformed. */
int fts3_get_varint(const unsigned char *p, const unsigned char *end, sqlite3_int64 *v);
int fts3_varint_len(sqlite3_uint64 v);

/* ---- tokenizers ------------------------------------------------------------------------------------------------ */

enum { TOK_SIMPLE, TOK_PORTER, TOK_UNICODE61 };

typedef struct Tokenizer {
  int kind;
  int remove_diacritics;   /* unicode61: 0, 1 or 2 */
  int nextra;              /* unicode61 tokenchars=/separators= exceptions: code points whose class is flipped */
  uint32_t *extra_cp;
  unsigned char *delim;    /* simple with a delimiter list: 128 flags, the ASCII bytes that separate tokens */
} Tokenizer;

/* Called for each token: its normalized bytes (valid during the call), the
** input bytes [start, end) it came from, and its position. */
typedef int (*TokenFn)(void *ctx, const char *tok, int n, int start, int end, int pos);
int fts3_tokenize(const Tokenizer *t, const char *z, int n, TokenFn fn, void *ctx);
/* Parses "NAME ARGS..." (what follows "tokenize=": words and quoted strings, as SQLite splits them;
** NULL: simple); *err set on failure. */
int fts3_tokenizer_init(Tokenizer *t, const char *spec, char **err);
/* The tokenizer name with its arguments (unquoted). */
int fts3_tokenizer_create(Tokenizer *t, const char *name, int argc, const char *const *argv, char **err);
/* Whether c is a character of an identifier as SQLite's fts3 reads its arguments (bytes >= 0x80 are). */
int fts3_is_id_char(char c);
/* The next word of z (a run of identifier characters or a quoted string; what stands before it is
** skipped) and its length in *n; NULL at the end. */
const char *fts3_next_word(const char *z, int *n);
/* A copy of z[0..n) with its quotes ('', "", ``, []) removed when it begins with one. */
char *fts3_dequote(const char *z, int n);
void fts3_tokenizer_free(Tokenizer *t);

/* ---- the table ------------------------------------------------------------------------------------------------- */

enum {
  ST_CONTENT_INSERT,
  ST_CONTENT_DELETE,
  ST_CONTENT_READ,
  ST_SEGDIR_LEVEL_MAXIDX,
  ST_SEGDIR_RANGE,
  ST_SEGDIR_INSERT,
  ST_SEGDIR_DELETE_LEVEL,
  ST_SEGMENTS_READ,
  ST_SEGMENTS_WRITE,
  ST_SEGMENTS_MAX,
  ST_SEGMENTS_DELETE_RANGE,
  ST_DOCSIZE_READ,
  ST_DOCSIZE_WRITE,
  ST_DOCSIZE_DELETE,
  ST_STAT_READ,
  ST_STAT_WRITE,
  ST_SEGDIR_MAX_LEVEL,
  ST_SEGDIR_PROMOTE_RANGE,
  ST_SEGDIR_MOVE_OUT,
  ST_SEGDIR_MOVE_IN,
  ST_SEGMENTS_SIZE,
  ST_STAT_READ_ID,
  ST_STAT_WRITE_ID,
  ST_COUNT
};

typedef struct PendingTerm PendingTerm;

/* One index's pending terms: a hash table of PendingTerm by term. */
typedef struct PendingHash {
  PendingTerm **slot;
  int nslots, nterms;
} PendingHash;

typedef struct Fts3Cursor Fts3Cursor;

/* Where a table's text lives: its own %_content, nowhere (content=''), or another table (content=NAME). */
enum { CONTENT_OWN, CONTENT_NONE, CONTENT_EXTERNAL };

typedef struct Fts3Table {
  sqlite3_vtab base;
  sqlite3 *db;
  char *zdb, *zname;
  int is_fts4;
  int ncol;
  char **colname;
  Tokenizer tok;
  int node_size;                /* bytes a leaf or interior node is filled to */
  sqlite3_stmt *stmt[ST_COUNT];
  /* Terms of the changes not yet written as a segment (flushed at commit, savepoints and queries). */
  int nindex;                   /* 1 + the number of prefix= indexes */
  int prefix_chars[FTS3_MAX_INDEX]; /* index i > 0 holds the first prefix_chars[i] bytes of each token */
  unsigned char *notindexed;    /* per column: notindexed= (its text is kept, not indexed) */
  int has_docsize;              /* %_docsize exists (fts4 without matchinfo=fts3) */
  int has_stat;                 /* %_stat exists (fts4, or an fts3 table a merge command ran on); for an fts3
                                ** table connected to, HAS_STAT_UNKNOWN until a transaction looks */
  int content;                  /* CONTENT_* */
  int desc;                     /* order=DESC: doclists hold their documents in descending docid order */
  char *langid_col;             /* languageid=: the hidden column naming a row's language (NULL: none) */
  char *compress, *uncompress;  /* compress=, uncompress=: the functions %_content's text goes through */
  char *content_select;         /* "SELECT key, col0, col1, ...[, langid] FROM source" (NULL when contentless) */
  const char *content_key;      /* "docid" or "rowid" */
  PendingHash pending[FTS3_MAX_INDEX];
  int pending_bytes;
  sqlite3_int64 pending_last_docid;
  int pending_langid;           /* the language of the pending terms */
  int pending_last_delete;      /* the last docid added was a deletion */
  int has_pending;
  int savepoints;               /* savepoints opened through xSavepoint and not released */
  int leaf_add;                 /* leaves written by flushes and level merges since the transaction began */
  int automerge;                /* 'automerge=' segments per incremental merge; 0 off; AUTOMERGE_UNKNOWN: unread */
  Fts3Cursor *cursors;          /* open cursors, to check the cursor an auxiliary function is handed */
  sqlite3_uint64 next_cursor_id;
} Fts3Table;

/* A new "SELECT key, columns FROM source" + suffix (sqlite3_malloc'd; NULL when out of memory). */
char *fts3_content_sql(Fts3Table *t, const char *suffix);

/* The first %_segdir level of index `index` of language langid: each owns FTS3_LEVELS_PER_INDEX. */
static inline sqlite3_int64 fts3_level_base(const Fts3Table *t, int langid, int index) {
  return ((sqlite3_int64)langid * t->nindex + index) * FTS3_LEVELS_PER_INDEX;
}

/* Prepared statement `which` of t (made on first use), or NULL with *rc set. */
sqlite3_stmt *fts3_stmt(Fts3Table *t, int which, int *rc);
int fts3_set_error(Fts3Table *t, const char *fmt, ...);

/* ---- fts3_index.c ---------------------------------------------------------------------------------------------- */

/* Adds the tokens of one row's columns (values[i] may be NULL) under docid, or
** its deletion marker when del; counts the tokens per column into ntok. */
int fts3_index_row(Fts3Table *t, int langid, sqlite3_int64 docid, sqlite3_value **values, int del,
                   sqlite3_int64 *ntok);
int fts3_pending_flush(Fts3Table *t);
void fts3_pending_clear(Fts3Table *t);
/* Writes docid's %_docsize row and changes the %_stat totals by sign * the row's counts. */
int fts3_docsize_write(Fts3Table *t, sqlite3_int64 docid, const sqlite3_int64 *ntok);
int fts3_stat_update(Fts3Table *t, int sign, const sqlite3_int64 *ntok, sqlite3_int64 nbytes);
/* Reads docid's token counts per column (zeros when there is no row). */
int fts3_docsize_read(Fts3Table *t, sqlite3_int64 docid, sqlite3_int64 *ntok);
/* The %_stat totals: documents, tokens per column (ntok has ncol entries, or is NULL); SQLITE_CORRUPT_VTAB
** when the row is missing or short or counts no document. */
int fts3_stat_read(Fts3Table *t, sqlite3_int64 *ndocs, sqlite3_int64 *ntok);
/* ---- fts3_merge.c ---------------------------------------------------------------------------------------------- */

/* 'merge=A,B': incremental merges of B or more segments of a level (the least relative level that has
** so many, or the one a merge left unfinished) into the level above, until about A leaves are written. */
int fts3_incrmerge(Fts3Table *t, int nmerge, int nmin);
/* The 'merge=' and 'automerge=' commands (arg: what follows the '='); SQLITE_ERROR when malformed. */
int fts3_merge_command(Fts3Table *t, const char *arg);
int fts3_automerge_command(Fts3Table *t, const char *arg);
/* Writes the pending terms, then runs the automatic incremental merge when 'automerge=' is on and the
** transaction wrote enough leaves (at COMMIT and at each savepoint, as SQLite's xSync). */
int fts3_sync(Fts3Table *t);
/* Creates %_stat for an fts3 table that has none (merge commands keep their state there). */
int fts3_create_stat(Fts3Table *t);
/* Whether an fts3 table has %_stat (checked once per transaction). */
int fts3_check_stat(Fts3Table *t);

/* Merges the segments of each index of each language into one ("optimize"); SQLITE_DONE when one
** of them was a single segment already. */
int fts3_optimize(Fts3Table *t);
/* Empties the index, %_docsize and %_stat (and %_content when content). */
int fts3_delete_all(Fts3Table *t, int content);
/* Empties the index and builds it again from %_content ("rebuild"). */
int fts3_rebuild(Fts3Table *t);
/* SQLITE_OK when the index holds exactly the content's tokens, SQLITE_CORRUPT_VTAB otherwise. */
int fts3_integrity(Fts3Table *t);

/* One term's merged doclist over all segments: documents in docid order with
** their hits, each hit (column << 32 | position). */
typedef struct DocHits {
  int ndocs, cap;
  sqlite3_int64 *docid;
  int *start;          /* ndocs + 1 offsets into hit */
  int nhits, hcap;
  sqlite3_int64 *hit;
  int oom;
} DocHits;

void dochits_free(DocHits *d);
/* The documents of language langid holding term (or, when prefix, any term it begins) and their
** hits, pending changes included. */
int fts3_term_hits(Fts3Table *t, int langid, const char *term, int n, int prefix, DocHits *out);

/* What reading token tok's doclist (prefix: those of the terms it begins) costs, as SQLite counts it
** to choose the tokens it defers: the pages beyond the first of every leaf the lookup reads. */
int fts3_token_cost(Fts3Table *t, int langid, const char *tok, int n, int prefix, int *cost);
/* The documents of the table and the average size of one in pages, from %_stat (SQLITE_CORRUPT_VTAB
** when either is 0). */
int fts3_doc_average(Fts3Table *t, sqlite3_int64 *ndocs, int *pages);

/* ---- segments, shared with fts3_merge.c ----------------------------------------------------------------------- */

/* A %_segdir row. */
typedef struct Segment {
  sqlite3_int64 level;
  int idx;
  sqlite3_int64 start, leaves_end, end;
  sqlite3_int64 leaf_bytes;  /* the second number of end_block ("END LEAFBYTES"), 0 when it has none */
  unsigned char *root;
  int nroot;
} Segment;

/* The segments on levels lo..hi, newest first (level ascending, idx descending). */
int fts3_segments_load(Fts3Table *t, sqlite3_int64 lo, sqlite3_int64 hi, Segment **out, int *n);
void fts3_segments_free(Segment *s, int n);
/* A %_segments block (sqlite3_malloc'd; SQLITE_CORRUPT_VTAB when missing), and a block written (or replaced). */
int fts3_block_read(Fts3Table *t, sqlite3_int64 id, unsigned char **out, int *n);
int fts3_block_write(Fts3Table *t, sqlite3_int64 id, const unsigned char *p, int n);
/* Writes (or replaces) a %_segdir row; end_block is "end leaf_bytes", or end alone when leaf_bytes is 0. */
int fts3_segdir_write(Fts3Table *t, sqlite3_int64 level, int idx, sqlite3_int64 start, sqlite3_int64 leaves_end,
                      sqlite3_int64 end, sqlite3_int64 leaf_bytes, const unsigned char *root, int nroot);
/* 1 + the highest idx on level, 0 when it has none. */
int fts3_next_idx(Fts3Table *t, sqlite3_int64 level, sqlite3_int64 *next);
/* After a segment of nbytes leaf bytes came to `level`: the smaller segments above it come down. */
int fts3_promote(Fts3Table *t, sqlite3_int64 level, sqlite3_int64 nbytes);

/* The terms of segments merged in term order: the newest entry of a document wins; deletion markers
** are dropped when drop_deletes.  A step moves the readers of the last term on, then stands on the
** next term (SQLITE_ROW) or ends (SQLITE_DONE); each reader's own current term can be read. */
typedef struct MergeCursor MergeCursor;
int fts3_merge_open(Fts3Table *t, const Segment *segs, int n, int drop_deletes, MergeCursor **out);
int fts3_merge_step(MergeCursor *m);
const unsigned char *fts3_merge_term(const MergeCursor *m, int *n, const unsigned char **dl, int *ndl);
/* Reader i's (segs[i]'s) current term, NULL at its end. */
const unsigned char *fts3_merge_reader_term(const MergeCursor *m, int i, int *n);
void fts3_merge_close(MergeCursor *m);

/* One row of an fts4aux table: a term's documents and occurrences in column col (-1: all). */
typedef struct AuxRow {
  char *term;
  int nterm;
  int col;
  sqlite3_int64 docs, hits;
} AuxRow;

/* Every term of t's index for language langid with its counts: a row for all columns, then one per
** column with hits. */
int fts3_aux_rows(Fts3Table *t, int langid, AuxRow **rows, int *nrows);
void fts3_aux_rows_free(AuxRow *rows, int nrows);

/* ---- fts3.c and fts4aux.c --------------------------------------------------------------------------------------- */

/* A table object for reading the index of the full-text table zname in zdb, without a schema. */
Fts3Table *fts3_table_for_index(sqlite3 *db, const char *zdb, const char *zname);
void fts3_table_free(Fts3Table *t);
extern const sqlite3_module fts3_aux_module;
extern const sqlite3_module fts3_tokenize_module;

/* ---- fts3_query.c ---------------------------------------------------------------------------------------------- */

typedef struct Phrase {
  int ntok;
  char **tok;
  int *tlen;
  unsigned char *prefix;
  int col;            /* -1: every column */
  unsigned char *first; /* per token, '^': it stands first in its column */
  int term0;          /* the query-wide number of its first token (offsets()) */
  int matchable;      /* not under the right side of a NOT */
  DocHits hits;       /* the phrase's documents: hits are phrase starts (of its read tokens, when some are
                      ** deferred: a superset of its matches, as SQLite counts them in matchinfo) */
  unsigned char *deferred; /* per token: its doclist is not read, rows are tokenized instead */
  int ndeferred;
  DocHits *tokhits;   /* per token read, kept while choosing what to defer and when some are deferred */
  DocHits exact;      /* with deferred tokens: the phrase's hits in the rows the query matches */
  sqlite3_int64 **dhit; /* the examined row's hits of each deferred token */
  int *ndhit, *dcap;
  int in_near;        /* part of a NEAR group: its table-wide counts are of the hits the NEAR keeps */
  DocHits near_hits;  /* those hits, per document */
  /* the hits of the current row, after NEAR trimming */
  int nrow;
  int present;        /* the current row holds the phrase (before NEAR trimming) */
  int counted;        /* matchinfo's y and b count its hits in the current row (see fts3_query_row_hits) */
  sqlite3_int64 *row;
} Phrase;

enum { QN_PHRASE, QN_AND, QN_OR, QN_NOT, QN_NEAR };

typedef struct QNode {
  int type;
  int near;           /* QN_NEAR: the distance */
  int here;           /* the current row holds n (see fts3_query_row_hits) */
  struct QNode *l, *r;
  Phrase *ph;
} QNode;

typedef struct Query {
  QNode *root;        /* NULL: matches nothing */
  int langid;         /* the language searched */
  int ndeferred;      /* tokens whose doclists are not read */
  sqlite3_int64 ndocs_stat; /* the table's documents, read when choosing the deferred tokens */
  int nphrase;
  Phrase **phrase;
  int nterms;
} Query;

/* Parses z as a MATCH expression over t's columns (col >= 0: only that column). */
int fts3_query_parse(Fts3Table *t, const char *z, int col, Query **out, char **err);
void fts3_query_free(Query *q);
/* Evaluates q: the matching docids in *docs (ascending, *ndocs of them). */
int fts3_query_run(Fts3Table *t, Query *q, sqlite3_int64 **docs, int *ndocs);
/* Loads each phrase's hits in document docid into Phrase.row / nrow, with NEAR applied; sets
** Phrase.counted for the phrases whose every enclosing operation holds the row as SQLite's
** iterators do (an AND or NEAR when all its phrases are in the row, an OR when one side is, a NOT
** when its left side is and its right side is not): those matchinfo's y and b count. */
int fts3_query_row_hits(Query *q, sqlite3_int64 docid);

/* ---- the cursor and fts3_aux.c --------------------------------------------------------------------------------- */

struct Fts3Cursor {
  sqlite3_vtab_cursor base;
  Fts3Cursor *next;       /* in Fts3Table.cursors */
  sqlite3_uint64 id;
  int mode;               /* 0 full scan, 1 docid lookup, 2 MATCH */
  int eof;
  sqlite3_stmt *scan;     /* content rows (full scan) */
  sqlite3_stmt *row;      /* the current row's content (MATCH and lookup) */
  sqlite3_int64 docid;
  Query *q;
  sqlite3_int64 *docs;
  int ndocs, at;
  int row_loaded;         /* row holds the current document */
  int hits_loaded;        /* the phrases' row hits are the current document's */
  int desc;
};

/* The cursor an auxiliary function's first argument names, or NULL. */
Fts3Cursor *fts3_cursor_of(Fts3Table *t, sqlite3_value *v);
/* Loads the current row's content: the column values through sqlite3_column_* on c->row, column i + 1. */
int fts3_cursor_row(Fts3Cursor *c);

void fts3_snippet_func(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void fts3_offsets_func(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void fts3_matchinfo_func(sqlite3_context *ctx, int argc, sqlite3_value **argv);

/* arr grown to twice its capacity *cap (first elements when empty): the
** new array with *cap updated, or NULL (arr and *cap as they were). */
static inline void *fts3_grow(void *arr, int *cap, size_t elem, int first) {
  int ncap = *cap ? *cap * 2 : first;
  void *g = sqlite3_realloc64(arr, (sqlite3_uint64)elem * (sqlite3_uint64)ncap);
  if (g) *cap = ncap;
  return g;
}

#endif /* LODE_FTS3_INT_H */
