/*
** cdc_funcs.c — table_columns_json_array(name): the names of a table's
** columns as a JSON array of strings, in declaration order, for decoding
** change data capture records with bin_record_json_object (func/).  It
** reads the connection's schema, which the func module cannot see, so it is
** registered into each connection's function registry at open.
*/
#include <string.h>

#include "conn/conn.h"
#include "util/util.h"

#define COLUMNS_FN "table_columns_json_array: "

static void fn_table_columns_json_array(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  const Mem *arg = argv[0];
  if (arg->type != MEM_TEXT) {
    ctx->rc = LODE_ERROR;
    ctx->errmsg = util_strdup(COLUMNS_FN "function argument must be of type TEXT");
    return;
  }
  char *name = util_malloc((size_t)arg->n + 1);
  if (!name) {
    ctx->rc = LODE_NOMEM;
    return;
  }
  memcpy(name, arg->z, (size_t)arg->n);
  name[arg->n] = 0;
  const Table *t = ctx->db->schema ? schema_find_table(ctx->db->schema, name) : NULL;
  if (!t) {
    ctx->rc = LODE_ERROR;
    ctx->errmsg = util_mprintf(COLUMNS_FN "table %s doesn't exists", name);
    util_free(name);
    return;
  }
  util_free(name);
  StrBuf b;
  strbuf_init(&b);
  strbuf_appendc(&b, '[');
  for (int i = 0; i < t->ncols; i++) {
    if (i) strbuf_appendc(&b, ',');
    func_json_quote_text(&b, t->cols[i].name, (int)strlen(t->cols[i].name));
  }
  strbuf_appendc(&b, ']');
  size_t n = b.n;
  char *z = strbuf_finish(&b);
  if (!z) ctx->rc = LODE_NOMEM;
  else mem_take_text(ctx->out, z, (int)n);
}

int conn_cdc_register(lode *db) {
  FuncDef def = {"table_columns_json_array", 1, 0, fn_table_columns_json_array, NULL, NULL, 0, NULL};
  return func_registry_add(db->funcs, &def, NULL);
}
