/*
** fts5.h — the full-text virtual-table module "fts5" and its companion
** "fts5vocab", stored in SQLite's FTS5 shadow tables (%_data, %_idx,
** %_content, %_docsize, %_config) and segment format, so that either engine
** reads and changes the other's files; the MATCH query syntax; the
** auxiliary functions bm25(), highlight() and snippet(); and the fts5_api
** through which programs add tokenizers and auxiliary functions ("SELECT
** fts5(?1)" with a pointer bound as "fts5_api_ptr").
**
** Like the R-Tree and FTS3, the modules are written against the public
** sqlite3.h interface only.
*/
#ifndef LODE_FTS5_H
#define LODE_FTS5_H

#include "sqlite3.h"

/* The module called name ("fts5" or "fts5vocab", any case), or NULL. */
const sqlite3_module *fts5_builtin_module(const char *name);

/* Sets up db's FTS5 state: the fts5() function that hands out the
** fts5_api, with the built-in tokenizers and auxiliary functions.  The
** state is found again through db's client data FTS5_CLIENTDATA, which
** the library keeps for itself. */
int fts5_register(sqlite3 *db);
#define FTS5_CLIENTDATA "lode:fts5"

/* The SQL functions every connection shares: fts5_source_id() and those of
** the built-in auxiliary functions bm25(), highlight() and snippet(), which
** run on the calling connection's state (an application's function of the
** same name shadows them, as one added through fts5_api does).  add(ctx,
** name, nargs, xFunc) for each, stopping at the first code other than
** SQLITE_OK, which it returns. */
typedef int (*Fts5AddFunction)(void *ctx, const char *name, int nargs,
                               void (*xFunc)(sqlite3_context *, int, sqlite3_value **));
int fts5_each_function(Fts5AddFunction add, void *ctx);

#endif /* LODE_FTS5_H */
