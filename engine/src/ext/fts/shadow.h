/*
** shadow.h — what the full-text virtual tables (ext/fts3, ext/fts5) do
** alike with their shadow tables NAME_suffix, written against sqlite3.h.
*/
#ifndef LODE_FTS_SHADOW_H
#define LODE_FTS_SHADOW_H

#include "sqlite3.h"

/* Renames zdb.NAME_SUFFIX to to_SUFFIX for each of the n suffixes (NULL ones
** skipped), NAME being *name, which then becomes a copy of to (sqlite3_malloc'd). */
int fts_shadow_rename(sqlite3 *db, const char *zdb, char **name, const char *to, const char *const *suffixes, int n);
/* Drops zdb.name_SUFFIX, where it exists, for each of the n suffixes. */
int fts_shadow_drop(sqlite3 *db, const char *zdb, const char *name, const char *const *suffixes, int n);
/* Is z one of the n suffixes (any case)?  For xShadowName. */
int fts_shadow_is(const char *z, const char *const *suffixes, int n);

/* From capi/blob.c: moves the one index cursor of st, a statement stepped to a row and held there, to the last
** entry <= (first, z[0..n)) without running its program again (a shadow index sought many times in one call):
** SQLITE_OK with the entry's record in rec (its first cap bytes) and its size in *size (-1: no entry is <= the
** key), or SQLITE_ABORT when st is not held on a row (the caller steps it). */
int lode_stmt_index_seek_le(sqlite3_stmt *st, sqlite3_int64 first, const void *z, int n, void *rec, int cap,
                            int *size);

#endif /* LODE_FTS_SHADOW_H */
