/*
** fts3.h — the full-text virtual-table modules "fts3" and "fts4", stored in
** SQLite's shadow tables (%_content, %_segments, %_segdir, %_docsize,
** %_stat) and segment b-tree format, so that either engine reads and changes
** the other's files; their MATCH query syntax (the enhanced one, with
** parentheses) and the auxiliary functions snippet(), offsets() and
** matchinfo().
**
** Like the R-Tree, the modules are written against the public sqlite3.h
** interface only; the connection asks for them by name the first time a
** statement names a module it does not have registered.
*/
#ifndef LODE_FTS3_H
#define LODE_FTS3_H

#include "sqlite3.h"

/* The module called name ("fts3" or "fts4", any case), or NULL. */
const sqlite3_module *fts3_builtin_module(const char *name);
/* The client data to register that module with (it tells fts4 from fts3). */
void *fts3_builtin_aux(const char *name);

/* The placeholders of snippet(), offsets(), matchinfo() and optimize(),
** which a full-text table overloads on its own columns: add(ctx, name,
** nargs, NULL) for each (NULL: sqlite3_overload_function's placeholder),
** stopping at the first code other than SQLITE_OK, which it returns. */
typedef int (*Fts3AddFunction)(void *ctx, const char *name, int nargs,
                               void (*xFunc)(sqlite3_context *, int, sqlite3_value **));
int fts3_each_function(Fts3AddFunction add, void *ctx);

#endif /* LODE_FTS3_H */
