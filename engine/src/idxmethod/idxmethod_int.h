/*
** idxmethod_int.h — what the files of idxmethod/ share: the store object and
** the built-in methods' descriptors.
*/
#ifndef LODE_IDXMETHOD_INT_H
#define LODE_IDXMETHOD_INT_H

#include "idxmethod/idxmethod.h"

struct lode_index_store {
  BtCursor *cur;
  int writable;
  /* The current entry, copied whole (loaded = 1): its keys and value. */
  int loaded;
  int64_t major, minor;
  uint8_t *buf;
  uint32_t cap, len, value_at;
};

/* lode_index_store_put of a key expected to sort after every entry of the
** store (a build writing in key order): no descent while the previous
** append left the b-tree cursor on the last entry.  Any other key is put as
** lode_index_store_put puts it (an equal key's entry replaced). */
int idxm_store_append(lode_index_store *s, int64_t major, int64_t minor, const void *data, int n);
/* Replaces the value of the entry (major, minor) the store's cursor is on since its last seek or step, without
** a seek; as lode_index_store_put when the cursor is elsewhere. */
int idxm_store_overwrite(lode_index_store *s, int64_t major, int64_t minor, const void *data, int n);

/* name as a quoted SQL identifier (util_malloc'd; NULL on oom), for the
** patterns methods declare. */
char *idxm_quoted(const char *name);

extern const lode_index_method idxm_toy_sparse_ivf;
extern const lode_index_method idxm_vector_ann;
extern const lode_index_method idxm_fts;
/* Writes the row changes an fts cursor batched (see fts_method.c). */
int idxm_fts_flush(lode_index_cursor *c);
/* OPTIMIZE INDEX of an fts index (see fts_method.c). */
int idxm_fts_optimize(lode_index_cursor *c, int64_t did[4]);

#endif /* LODE_IDXMETHOD_INT_H */
