/*
** idxmethod.h — index methods (CREATE INDEX … USING method): the built-in
** methods, the backing stores they keep their data in, and the cursor the
** VM drives.  The interface a method implements is lode.h's
** lode_index_method (so that applications can write methods in C); this
** module binds a method to an index (idxm_attach) and opens a cursor on it
** with its stores (idxm_open).
**
** Backing stores.  A store is an index b-tree of the database file whose
** entries are SQLite records of three fields, every one written the same way:
**
**   header: hdrlen=4..12, serial 6, serial 6, serial 12 + 2n
**   body:   major (8-byte big-endian int), minor (8 bytes), value (n bytes)
**
** ordered by (major, minor).  Such a record is what an index b-tree holds in
** any SQLite file, so integrity checks and VACUUM handle stores as they
** handle any index; only the method reads the values.  The b-tree is named
** "<index>_<suffix>" in sqlite_schema (a backing_btree row, see schema.h), so
** it is created, dropped, journaled and rolled back with the statement that
** changes it.
*/
#ifndef LODE_IDXMETHOD_H
#define LODE_IDXMETHOD_H

#include <stdint.h>

#include "btree/btree.h"
#include "lode.h"
#include "value/value.h"

/* The built-in method of that name (toy_vector_sparse_ivf, vector_ann, fts), or NULL. */
const lode_index_method *idxm_builtin(const char *name);

/* Binds m to an index: cfg from its definition.  LODE_OK with *out (its
** method set), or an error code with *errmsg (util_malloc'd). */
int idxm_attach(const lode_index_method *m, const lode_index_config *cfg, lode_index_attachment **out,
                char **errmsg);
void idxm_detach(lode_index_attachment *a);

/* An attachment shared by the schema (MethodIndex.attachment, so that a
** method index is attached once per schema load, not per statement) and by
** every program compiled against it; detached when the last holder lets go.
** method: the descriptor it was made with, to tell a stale one. */
typedef struct IdxmBinding {
  lode_index_attachment *att;
  const lode_index_method *method;
  int refs;
} IdxmBinding;
/* Takes att (detaching it on failure): a binding with one reference, or NULL when out of memory. */
IdxmBinding *idxm_binding_new(lode_index_attachment *att);
IdxmBinding *idxm_binding_ref(IdxmBinding *b);
void idxm_binding_unref(IdxmBinding *b);
/* idxm_binding_unref for a void * holder (the schema's attachment_free). */
void idxm_binding_release(void *b);

/* A method cursor with its stores open on bt (roots[i] the root of store i). */
typedef struct IdxmCursor IdxmCursor;
int idxm_open(lode_index_attachment *a, Btree *bt, const uint32_t *roots, int writable, IdxmCursor **out,
              char **errmsg);
void idxm_close(IdxmCursor *c);
/* The cursor's calls; on an error *errmsg (util_malloc'd, may be NULL) says why. */
int idxm_insert(IdxmCursor *c, Mem *vals, int nvals, int64_t rowid, char **errmsg);
int idxm_delete(IdxmCursor *c, Mem *vals, int nvals, int64_t rowid, char **errmsg);
/* width: the query-time search width for the cursor's search_width (0: the method's default). */
int idxm_query(IdxmCursor *c, int pattern, Mem *args, int nargs, int width, char **errmsg);
int idxm_eof(IdxmCursor *c);
int idxm_next(IdxmCursor *c, char **errmsg);
int64_t idxm_rowid(IdxmCursor *c);
/* Whether the method supplies its patterns' result columns (xColumn), and
** the current row's column i. */
int idxm_has_columns(const lode_index_attachment *a);
/* Packs the index for query speed (the fts method: its postings chunks and
** dictionary); did[0..4) = terms, chunks before, chunks after, terms dropped.
** A method without such a step does nothing. */
int idxm_optimize(IdxmCursor *c, int64_t did[4], char **errmsg);
/* Has the method write the row changes it holds back (the fts method
** batches a statement's changes); called when a statement that wrote
** through c ends without error and around trigger programs. */
int idxm_flush(IdxmCursor *c, char **errmsg);
int idxm_column(IdxmCursor *c, int i, double *out, char **errmsg);

/* Whether the method checks itself (xIntegrity), and that check given the
** table's count of rows with a non-NULL indexed value. */
int idxm_has_integrity(const lode_index_attachment *a);
int idxm_integrity(IdxmCursor *c, int64_t rows, char **errmsg);
/* Whether the method checks the table's rows one by one (xIntegrityRow),
** and that check of one row: LODE_OK, or LODE_CORRUPT with *errmsg. */
int idxm_has_integrity_rows(const lode_index_attachment *a);
int idxm_integrity_row(IdxmCursor *c, Mem *vals, int nvals, int64_t rowid, char **errmsg);

/* A store opened on its own (tests, tools). */
int idxm_store_open(Btree *bt, uint32_t root, int writable, lode_index_store **out);
void idxm_store_close(lode_index_store *s);

#endif /* LODE_IDXMETHOD_H */
