/*
** fts.h — full-text search: tokenizers, the query language, BM25 ranking,
** highlighting, and the SQL functions fts_match, fts_score, fts_highlight
** and fts_snippet.  The index itself (postings in b-trees) is the index
** method "fts" of idxmethod/, which drives the evaluator below through a
** posting source of its own; the functions drive it over one row's text.
**
** Tokenizers (Tantivy's, as Turso names them):
**   default     runs of letters and digits (Unicode), lowercased; tokens of
**               FTS_MAX_TOKEN bytes or more are dropped
**   simple      the same runs, case kept
**   whitespace  runs of non-whitespace (ASCII whitespace splits), case kept
**   raw         the whole value, one token
**   ngram       every 2- and 3-character gram of the value (spaces
**               included, case kept), at the position of its first
**               character
** A token's position is its ordinal (ngram: its first character's), which
** phrase matching compares.
**
** Query language (Tantivy's query parser):
**   a b          either (OR is the default conjunction)
**   a AND b, a OR b, NOT a, +a, -a   (AND binds tighter than OR)
**   "a b"        a phrase; "a b"~N allows N positions of slack (a swap costs 2)
**   pre*         any term starting with pre
**   col:term, col:"a b", col:(a b)   restricts to an indexed column
**   term^2       boosts a clause's score; (group), and * (every row)
** A term the tokenizer splits in several tokens is a phrase of them.
** Scores: BM25 (k1 = 1.2, b = 0.75, idf = ln(1 + (N - n + 0.5) / (n + 0.5))
** per column, times the column's weight, summed over matching clauses;
** a phrase's idf is the sum of its terms'.
*/
#ifndef LODE_FTS_H
#define LODE_FTS_H

#include <stdint.h>

#include "func/func.h"

#define FTS_MAX_TOKEN 40 /* bytes: the default tokenizer drops longer tokens */
#define FTS_MAX_FIELDS 64

enum { FTS_TOK_DEFAULT, FTS_TOK_SIMPLE, FTS_TOK_WHITESPACE, FTS_TOK_RAW, FTS_TOK_NGRAM };

/* The tokenizer of that name (case-insensitive), or -1. */
int fts_tokenizer_by_name(const char *name);
const char *fts_tokenizer_name(int kind);

/* Called for each token: its bytes (valid during the call), its position,
** and the bytes [start, end) of the input it came from.  A non-zero return
** stops the walk and is returned by fts_tokenize. */
typedef int (*FtsTokenFn)(void *ctx, const char *tok, int n, int pos, int start, int end);
int fts_tokenize(int kind, const char *z, int n, FtsTokenFn fn, void *ctx);

/* Unicode helpers the tokenizers use: letters and digits, lowercase. */
int fts_is_alnum(uint32_t c);
uint32_t fts_lower(uint32_t c);

/* Shared text helpers (text.c). */
#define FTS_PORTER_MAX 64 /* bytes: longer words are not stemmed */
/* Stems the lower-case ASCII word w[0..n) in place (Porter, 1980); its new length. */
int fts_porter_stem(char *w, int n);
/* The code point at z[*i] (of n bytes), *i moved past it; a malformed sequence reads as what it holds. */
uint32_t fts_utf8_next(const unsigned char *z, int n, int *i);
/* Writes c as UTF-8 at out (4 bytes room); the bytes written. */
int fts_utf8_put(char *out, uint32_t c);
/* The base letter of a lower-case Latin letter with a diacritic, else c. */
uint32_t fts_strip_diacritic(uint32_t c);
/* SQLite's remove_diacritics folding of a lower-case letter: 1 (complex 0) strips a single diacritic,
** 2 (complex 1) several as well, over all Latin letters that decompose into an ASCII letter and marks. */
uint32_t fts_strip_diacritics(uint32_t c, int complex);
int fts_is_combining_mark(uint32_t c);

/* ---- queries ------------------------------------------------------------------- */

enum { FTS_Q_TERM, FTS_Q_PHRASE, FTS_Q_PREFIX, FTS_Q_BOOL, FTS_Q_ALL };
enum { FTS_SHOULD, FTS_MUST, FTS_MUST_NOT };

typedef struct FtsQuery FtsQuery;
struct FtsQuery {
  int kind;
  double boost;
  /* TERM, PHRASE, PREFIX: the text as written (the field's tokenizer
  ** splits it at evaluation); field: an index into the field names, or -1
  ** for every field. */
  int field;
  char *text;
  int ntext;
  int slop;
  /* BOOL: the clauses and how each must occur. */
  int nchild;
  FtsQuery **child;
  int *occur;
};

/* Parses query text against the fields' names (a column filter names one
** of them, case-insensitively; with nfields = -1 any name is accepted and
** filters nothing, for values that come without names).  LODE_OK with *out, or LODE_ERROR with
** *errmsg (util_malloc'd) for a malformed query, LODE_NOMEM. */
int fts_query_parse(const char *z, int n, int nfields, const char *const *fields, FtsQuery **out, char **errmsg);
void fts_query_free(FtsQuery *q);

/* ---- evaluation ---------------------------------------------------------------- */

/* The documents one term occurs in, in ascending doc order: for each its
** term frequency, the field's length in tokens, and (when asked) the
** positions, pos[posat[i] .. posat[i] + tf[i]). */
typedef struct FtsPostings {
  int64_t n, cap;
  int64_t *doc;
  int32_t *tf, *len;
  int64_t *posat;
  int32_t *pos;
  int64_t npos, poscap;
} FtsPostings;

int fts_postings_add(FtsPostings *p, int64_t doc, int32_t len, const int32_t *pos, int32_t tf);
/* Appends an empty list to the array *lists (*nlists used of *cap), grown as needed. */
int fts_postings_list_add(FtsPostings **lists, int *nlists, int *cap);
void fts_postings_clear(FtsPostings *p);

/* A cursor over one term's postings in one field, ascending by document:
** seek moves it to the first document at or after target (it never moves
** back; the first seek starts it); eof past the last.  tf and len are the
** current document's; positions gives its tf positions, ascending, valid
** until the cursor moves; count gives how many documents the whole list
** holds (for the idf, so only when scoring).  block, when the source
** offers it (else NULL), reads a cursor that is never sought: each call
** gives the postings from the next unread one to the end of a block of
** them (arrays valid until the cursor moves again), *n = 0 and eof after
** the last. */
typedef struct FtsPostingCursor FtsPostingCursor;
struct FtsPostingCursor {
  int started, eof;
  int64_t doc;
  int32_t tf, len;
  int (*seek)(FtsPostingCursor *c, int64_t target);
  int (*positions)(FtsPostingCursor *c, const int32_t **pos);
  int (*count)(FtsPostingCursor *c, int64_t *n);
  int (*block)(FtsPostingCursor *c, const int64_t **doc, const int32_t **tf, const int32_t **len, int *n);
  void (*close)(FtsPostingCursor *c);
};

typedef struct FtsCursorList {
  FtsPostingCursor **v;
  int n, cap;
} FtsCursorList;

/* Appends cur to l (on LODE_NOMEM it closes cur). */
int fts_cursor_list_add(FtsCursorList *l, FtsPostingCursor *cur);

/* Where the evaluator gets postings and statistics. */
typedef struct FtsSource {
  void *ctx;
  int nfields;
  const int *tokenizers; /* per field */
  const double *weights; /* per field */
  double ndocs;          /* documents in the index */
  const double *avglen;  /* per field: mean length in tokens */
  /* The postings of field's term (prefix: of every term starting with it,
  ** one list each, appended to *lists).  Positions when want_pos. */
  int (*lookup)(void *ctx, int field, const char *term, int n, int prefix, int want_pos, FtsPostings **lists,
                int *nlists, int *cap);
  /* Every document, in order (for the query "*"). */
  int (*all_docs)(void *ctx, int64_t **docs, int64_t *n);
  /* Cursors over field's term (prefix: over each term starting with it,
  ** in dictionary order), appended to *out; the evaluator then reads only
  ** the postings a query needs.  NULL: it reads lookup's lists. */
  int (*open)(void *ctx, int field, const char *term, int n, int prefix, FtsCursorList *out);
  /* Set: only the matching documents are wanted, their scores are left 0
  ** (no list is counted for its idf). */
  int match_only;
} FtsSource;

typedef struct FtsHit {
  int64_t doc;
  double score;
} FtsHit;

/* The documents matching q, ascending, with their scores.  LODE_OK with
** *hits (util_malloc'd) and *nhits; an error code otherwise (*errmsg may
** say why). */
int fts_evaluate(const FtsSource *src, const FtsQuery *q, FtsHit **hits, int64_t *nhits, char **errmsg);

/* BM25 of one term in one field. */
double fts_bm25(double idf, double tf, double len, double avglen);
double fts_idf(double ndocs, double df);

/* Whether the query's terms (positive or not, phrases' terms one by one)
** contain the token tok of a field with tokenizer kind: for highlighting. */
int fts_query_has_token(const FtsQuery *q, int kind, const char *tok, int n);

/* Registers fts_match, fts_score, fts_highlight and fts_snippet. */
int fts_register(FuncRegistry *r);

#endif /* LODE_FTS_H */
