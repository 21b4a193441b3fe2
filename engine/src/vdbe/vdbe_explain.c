/*
** vdbe_explain.c — EXPLAIN: instead of running, vdbe_step returns one row
** per op with the 8 columns addr, opcode, p1, p2, p3, p4, p5, comment (the
** layout of SQLite's and Turso's EXPLAIN).
**
** p4 is rendered as SQLite renders it: integers in decimal, reals like
** SQLite prints them, strings as they are, blobs as x'hex', functions as
** name(nargs), sort keys as k(N,cols...) where each column is [-][N.]COLL
** ("-" for DESC, "N." for a non-default NULLs position, B for BINARY), a
** Mem as its text; no p4 is NULL.
**
** Invariant: v->pc is the address of the next row to return.
*/
#include <string.h>

#include "vdbe/vdbe_internal.h"

static const char *coll_name(int coll, int short_binary) {
  switch (coll) {
  case COLL_NOCASE: return "NOCASE";
  case COLL_RTRIM: return "RTRIM";
  default: return short_binary ? "B" : "BINARY";
  }
}

static void render_keyinfo(const KeyInfo *k, StrBuf *b) {
  strbuf_printf(b, "k(%d", k->nkey);
  for (int i = 0; i < k->nkey; i++) {
    int desc = k->desc && k->desc[i];
    int nl = k->nulls_last && k->nulls_last[i];
    int nondefault = nl != desc;
    strbuf_printf(b, ",%s%s%s", desc ? "-" : "", nondefault ? "N." : "", coll_name(k->coll ? k->coll[i] : 0, 1));
  }
  strbuf_appendc(b, ')');
}

static void render_hex(const uint8_t *p, int n, StrBuf *b) {
  static const char hex[] = "0123456789abcdef";
  strbuf_appendz(b, "x'");
  for (int i = 0; i < n; i++) {
    strbuf_appendc(b, hex[p[i] >> 4]);
    strbuf_appendc(b, hex[p[i] & 15]);
  }
  strbuf_appendc(b, '\'');
}

static void render_mem(Mem *m, StrBuf *b) {
  if (m->type == MEM_BLOB) {
    render_hex((const uint8_t *)m->z, m->n, b);
  } else if (m->type == MEM_NULL) {
    strbuf_appendz(b, "NULL");
  } else {
    int oom = 0;
    const char *z = mem_as_text(m, &oom);
    if (z) strbuf_appendz(b, z);
    else b->oom = 1;
  }
}

/* The argument count EXPLAIN shows for a function op. */
static int func_nargs(const VdbeOp *op) {
  if (op->opcode == OP_Function || op->opcode == OP_AggStep) return op->p5;
  if (op->opcode == OP_AggFinal) return op->p2;
  return op->p4.func->nargs;
}

int vdbe_render_p4(const VdbeOp *op, StrBuf *b) {
  char num[32];
  switch (op->p4type) {
  case P4_INT32: strbuf_printf(b, "%d", op->p4.i); return 1;
  case P4_INT64: util_render_int(*op->p4.i64, num); strbuf_appendz(b, num); return 1;
  case P4_REAL: util_render_real(*op->p4.real, num); strbuf_appendz(b, num); return 1;
  case P4_STRING: strbuf_appendz(b, op->p4.z); return 1;
  case P4_BLOB: render_hex((const uint8_t *)op->p4.z, op->p1, b); return 1;
  case P4_MEM: render_mem(op->p4.mem, b); return 1;
  case P4_FUNC: strbuf_printf(b, "%s(%d)", op->p4.func->name, func_nargs(op)); return 1;
  case P4_KEYINFO: render_keyinfo(op->p4.keyinfo, b); return 1;
  default: return 0;
  }
}

static int set_text_col(Mem *m, const char *z) {
  if (!z) {
    mem_set_null(m);
    return LODE_OK;
  }
  return mem_set_text(m, z, -1, MEM_DYN);
}

static int fill_row(Vdbe *v, const VdbeOp *op, int addr) {
  Mem *row = v->explain_row;
  StrBuf b;
  int rc, has_p4;
  for (int i = 0; i < VDBE_EXPLAIN_NCOLS; i++) mem_release(&row[i]);
  mem_set_int(&row[0], addr);
  rc = set_text_col(&row[1], vdbe_opcode_name(op->opcode));
  mem_set_int(&row[2], op->p1);
  mem_set_int(&row[3], op->p2);
  mem_set_int(&row[4], op->p3);
  mem_set_int(&row[6], op->p5);
  if (rc == LODE_OK) rc = set_text_col(&row[7], op->comment);
  strbuf_init(&b);
  has_p4 = vdbe_render_p4(op, &b);
  if (b.oom) rc = LODE_NOMEM;
  if (rc == LODE_OK && has_p4) rc = mem_set_text(&row[5], b.z ? b.z : "", (int)b.n, MEM_DYN);
  strbuf_reset(&b);
  return rc;
}

int vdbe_explain_step(Vdbe *v) {
  int rc;
  if (v->pc >= v->nop) {
    for (int i = 0; i < VDBE_EXPLAIN_NCOLS; i++) mem_release(&v->explain_row[i]);
    v->state = VDBE_STATE_HALT;
    v->nresult = 0;
    return LODE_DONE;
  }
  rc = fill_row(v, &v->ops[v->pc], v->pc);
  if (rc != LODE_OK) {
    v->state = VDBE_STATE_HALT;
    v->rc = rc;
    return conn_error(v->db, rc, NULL);
  }
  v->pc++;
  v->nresult = VDBE_EXPLAIN_NCOLS;
  return LODE_ROW;
}
