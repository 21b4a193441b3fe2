/*
** func.h — built-in SQL functions: scalar functions and aggregates.
**
** A function receives its arguments as Mems and writes its result into
** ctx->out; it reports failure by setting ctx->rc and ctx->errmsg
** (util_malloc'd).  Aggregates keep their state in ctx->agg, a zeroed block
** of agg_size bytes that the VM allocates at the first step and frees after
** final.  Lookup is case-insensitive; nargs = -1 accepts any count.  A
** function may set ctx->out->subtype (the JSON functions do); arguments
** arrive with the subtype their producer gave them.
*/
#ifndef LODE_FUNC_H
#define LODE_FUNC_H

#include "value/value.h"

typedef struct lode lode;

typedef struct FuncContext {
  lode *db;
  Mem *out;     /* result; starts NULL */
  void *agg;    /* aggregate state, NULL for scalar functions */
  int rc;       /* LODE_OK unless the function failed */
  char *errmsg; /* util_malloc'd message when rc != LODE_OK */
} FuncContext;

#define FUNC_AGGREGATE 0x01
#define FUNC_DETERMINISTIC 0x02

typedef struct FuncDef {
  const char *name;
  int nargs; /* -1: any */
  int flags;
  void (*scalar)(FuncContext *ctx, int argc, Mem **argv);
  void (*step)(FuncContext *ctx, int argc, Mem **argv);
  void (*final)(FuncContext *ctx); /* may be called with a never-stepped (zeroed) agg */
  size_t agg_size;
} FuncDef;

/* Finds name/nargs.  When the name exists but not with nargs, returns NULL
** and sets *name_exists = 1 (for "wrong number of arguments to function"). */
const FuncDef *func_find(const char *name, int nargs, int *name_exists);

#endif /* LODE_FUNC_H */
