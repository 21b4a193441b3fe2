/*
** changeset.h — what session.c (recording) and changeset.c (reading,
** inverting, combining, applying) share: SQLite's changeset byte format.
**
**   changeset := table*
**   table     := 'T' varint(ncol) pk[ncol] name '\0' change*     ('P' in a patchset)
**                pk[i]: 0, or the column's 1-based place in the PRIMARY KEY
**   change    := op(1 byte: 18 INSERT, 9 DELETE, 23 UPDATE) indirect(1 byte) record...
**                INSERT: one record (the new row); DELETE: the old row (in a
**                patchset only its key columns, in column order); UPDATE: the
**                old row, then the new one, each with only the key and the
**                changed columns defined (a patchset has one record: the key
**                columns and the new values of the changed ones)
**   record    := value[ncol]
**   value     := 0 (undefined) | 1 int64-BE | 2 float64-BE | 3 varint(n) text[n]
**              | 4 varint(n) blob[n] | 5 (NULL)
*/
#ifndef LODE_CAPI_CHANGESET_H
#define LODE_CAPI_CHANGESET_H

#include "capi/api.h"
#include "sqlite3session.h"
#include "util/util.h"

#define CS_UNDEFINED 0
#define CS_INTEGER 1
#define CS_FLOAT 2
#define CS_TEXT 3
#define CS_BLOB 4
#define CS_NULL 5

/* A changeset being read (changeset.c); apply.c fills in the conflicting
** row and the foreign key count its conflict handler may ask for. */
struct sqlite3_changeset_iter {
  uint8_t *buf; /* the whole input (a copy) */
  size_t n, at;
  int invert;
  int rc;       /* the first error met, which finalize returns */
  /* The current table. */
  int patchset;
  char *tab;
  int ncol;
  uint8_t *pk;
  /* The current change. */
  int op, indirect;
  Mem *vals;      /* 3 * ncol: old, new, conflict */
  uint8_t *defined; /* 3 * ncol */
  int have_conflict;
  int nfk;        /* foreign key violations, in a FOREIGN_KEY conflict */
};

#define CS_OLD 0
#define CS_NEW 1
#define CS_CONFLICT 2

/* Appends v (NULL: undefined) to b in the changeset encoding. */
void cs_put_value(StrBuf *b, sqlite3_value *v);
/* Bytes the encoded value at p takes (0 when it runs past end: corrupt). */
size_t cs_value_len(const uint8_t *p, const uint8_t *end);
/* Decodes the value at p into m (an owned copy); undefined gives *defined 0. */
int cs_get_value(const uint8_t *p, const uint8_t *end, Mem *m, int *defined);
/* sqlite3changeset_start_v2 without the cast away of const. */
int cs_start(sqlite3_changeset_iter **pp, int n, const void *p, int flags);
/* "name" with its quotes doubled (an SQL identifier), onto b. */
void cs_put_quoted(StrBuf *b, const char *name);
/* Whole-buffer output through a streaming xOutput, in chunks. */
int cs_stream_out(int (*out)(void *, const void *, int), void *arg, const void *p, int n);
/* Reads all of a streaming xInput into a util_malloc'd buffer. */
int cs_stream_in(int (*in)(void *, void *, int *), void *arg, void **out, int *n);

#endif /* LODE_CAPI_CHANGESET_H */
