/*
** conn.c — built-in functions that read the connection: changes(),
** total_changes(), last_insert_rowid().  They go through the public API
** (lode.h) on ctx->db, so this file is the only one of the module that
** needs the connection layer.  A call without a connection returns 0.
*/
#include "func/func_internal.h"

static void fn_changes(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  (void)argv;
  mem_set_int(ctx->out, ctx->db ? lode_changes(ctx->db) : 0);
}

static void fn_total_changes(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  (void)argv;
  mem_set_int(ctx->out, ctx->db ? lode_total_changes(ctx->db) : 0);
}

static void fn_last_insert_rowid(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  (void)argv;
  mem_set_int(ctx->out, ctx->db ? lode_last_insert_rowid(ctx->db) : 0);
}

/* Not deterministic: the result depends on the connection's state. */
const FuncEntry func_conn_table[] = {
    {{"changes", 0, 0, fn_changes, NULL, NULL, 0, NULL}, 0},
    {{"total_changes", 0, 0, fn_total_changes, NULL, NULL, 0, NULL}, 0},
    {{"last_insert_rowid", 0, 0, fn_last_insert_rowid, NULL, NULL, 0, NULL}, 0},
    {{NULL, 0, 0, NULL, NULL, NULL, 0, NULL}, 0},
};
