/*
** rtree.h — the R-Tree virtual-table modules "rtree" (32-bit float
** coordinates) and "rtree_i32" (32-bit integer coordinates), stored in
** SQLite's shadow tables so that either engine reads the other's files.
**
** The modules are written against the public sqlite3.h interface only, as
** an extension would be; the connection asks for them by name the first time
** a statement names a module it does not have registered.
*/
#ifndef LODE_RTREE_H
#define LODE_RTREE_H

#include "sqlite3.h"

/* The module called name ("rtree" or "rtree_i32", any case), or NULL. */
const sqlite3_module *rtree_builtin_module(const char *name);

/* rtreecheck(): add(ctx, "rtreecheck", -1, its function), returning what
** add returns. */
int rtree_each_function(int (*add)(void *ctx, const char *name, int nargs,
                                   void (*xFunc)(sqlite3_context *, int, sqlite3_value **)),
                        void *ctx);

#endif /* LODE_RTREE_H */
