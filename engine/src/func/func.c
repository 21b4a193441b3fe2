/*
** func.c — the registry of built-in functions and the helpers the function
** files share.
**
** Lookup: the tables of scalar.c, string.c, like.c, agg.c, conn.c,
** printf.c, math.c, date.c and json_func.c are searched in turn;
** an entry matches when its name equals (ASCII case-insensitively) and its
** nargs equals the call's argument count, or nargs is -1 and the count is
** at least the entry's min_args.  Exact matches win over -1 entries, so
** min(x) is the aggregate and min(x, y) the scalar.
*/
#include <string.h>

#include "func/func_internal.h"

static const FuncEntry *const func_tables[] = {func_scalar_table, func_string_table,
                                               func_like_table, func_agg_table,
                                               func_conn_table, func_printf_table,
                                               func_math_table, func_date_table,
                                               func_json_table};
#define FUNC_NTABLES (sizeof(func_tables) / sizeof(func_tables[0]))

const FuncDef *func_find(const char *name, int nargs, int *name_exists) {
  const FuncDef *variadic = NULL;
  size_t t;
  if (name_exists) *name_exists = 0;
  for (t = 0; t < FUNC_NTABLES; t++) {
    const FuncEntry *e;
    for (e = func_tables[t]; e->def.name; e++) {
      if (util_stricmp(e->def.name, name) != 0) continue;
      if (name_exists) *name_exists = 1;
      if (e->def.nargs == nargs) return &e->def;
      if (e->def.nargs == -1 && nargs >= e->min_args && !variadic) variadic = &e->def;
    }
  }
  if (variadic && name_exists) *name_exists = 1;
  return variadic;
}

void func_error(FuncContext *ctx, int rc, const char *msg) {
  ctx->rc = rc;
  util_free(ctx->errmsg);
  ctx->errmsg = msg ? util_strdup(msg) : NULL;
}

void func_nomem(FuncContext *ctx) {
  ctx->rc = LODE_NOMEM;
  util_free(ctx->errmsg);
  ctx->errmsg = NULL;
}

void func_result_bytes(FuncContext *ctx, const char *z, int n, int blob) {
  int rc = blob ? mem_set_blob(ctx->out, z, n, MEM_DYN) : mem_set_text(ctx->out, z, n, MEM_DYN);
  if (rc == LODE_NOMEM) func_nomem(ctx);
  else if (rc) func_error(ctx, rc, "string or blob too big");
}

void func_result_strbuf(FuncContext *ctx, StrBuf *b) {
  size_t n = b->n;
  char *z;
  if (n > FUNC_MAX_LENGTH) {
    strbuf_reset(b);
    func_error(ctx, LODE_TOOBIG, "string or blob too big");
    return;
  }
  z = strbuf_finish(b);
  if (!z) {
    func_nomem(ctx);
    return;
  }
  mem_take_text(ctx->out, z, (int)n);
}

void func_result_copy(FuncContext *ctx, const Mem *m) {
  if (mem_copy(ctx->out, m) != LODE_OK) func_nomem(ctx);
}
