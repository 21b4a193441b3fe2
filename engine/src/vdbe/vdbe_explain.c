/*
** vdbe_explain.c — the two EXPLAIN modes.  Instead of running, vdbe_step
** walks the program and returns rows:
**
** EXPLAIN (explain = 1): one row per op with the 8 columns addr, opcode, p1,
** p2, p3, p4, p5, comment (the layout of SQLite's and Turso's EXPLAIN).
**
** EXPLAIN QUERY PLAN (explain = 2): one row per Explain op with the 4 columns
** id, parent, notused, detail = p1, p2, p3, p4 (SQLite's layout).  Codegen
** emits Explain ops only into programs compiled for EXPLAIN QUERY PLAN, as
** SQLite does, so the plan costs other programs nothing.
**
** p4 is rendered as SQLite renders it: integers in decimal, reals like
** SQLite prints them, strings as they are, blobs as x'hex', functions as
** name(nargs), sort keys as k(N,cols...) where each column is [-][N.]COLL
** ("-" for DESC, "N." for a non-default NULLs position, B for BINARY), a
** Mem as its text; no p4 is NULL.
**
** The comment is the op's synopsis (table below) with its operands filled
** in, then "; " and the comment codegen attached to the op, if any.
**
** Invariant: v->pc is the address of the next op to look at.
*/
#include <string.h>

#include "idxmethod/idxmethod.h"
#include "vdbe/vdbe_internal.h"

static const char *coll_name(int coll, int short_binary) {
  switch (coll) {
  case COLL_NOCASE: return "NOCASE";
  case COLL_RTRIM: return "RTRIM";
  case COLL_BINARY: return short_binary ? "B" : "BINARY";
  default: return coll_name_of(coll);
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
  case P4_INT64: util_render_int(op->p4.i64, num); strbuf_appendz(b, num); return 1;
  case P4_REAL: util_render_real(op->p4.real, num); strbuf_appendz(b, num); return 1;
  case P4_STRING: strbuf_appendz(b, op->p4.z); return 1;
  case P4_BLOB: render_hex((const uint8_t *)op->p4.z, op->p1, b); return 1;
  case P4_MEM: render_mem(op->p4.mem, b); return 1;
  case P4_FUNC: strbuf_printf(b, "%s(%d)", op->p4.func->name, func_nargs(op)); return 1;
  case P4_KEYINFO: render_keyinfo(op->p4.keyinfo, b); return 1;
  case P4_SUBPROGRAM: strbuf_appendz(b, "program"); return 1;
  case P4_IDXM: strbuf_printf(b, "%s", op->p4.idxm->att->method->name); return 1;
  default: return 0;
  }
}

/* ---- comments: per-opcode synopses ------------------------------------------------- */

/* A synopsis reads like the ones in SQLite's opcode documentation, and is
** filled in from the op's operands:
**   P1 P2 P3 P5   the operand, in decimal
**   DB            the database the op works on (VdbeOp.db)
**   P4            p4 as the p4 column shows it
**   Pa@Pb         a range of Pb registers from Pa: "a..a+Pb-1", or just "a"
**                 for one register; Pa@Pb+1 is a range of Pb+1 registers
**   Pa..Pb        registers Pa to Pb: "a..b", or just "a" when Pb is not past Pa
**                 (Null's p3 = 0 means r[p2] alone)
** An op whose p5 equals alt_p5 (when nonzero) shows alt instead: the same
** opcode then reads its operands differently.  Opcodes without an entry (and
** any added later) show only codegen's comment, if there is one. */
typedef struct Synopsis {
  const char *text;
  uint16_t alt_p5;
  const char *alt;
} Synopsis;

static const Synopsis synopses[OP_COUNT] = {
    [OP_Init] = {"Start at P2", 0, NULL},
    [OP_FkCounter] = {"fkctr[P1]+=P2", 0, NULL},
    [OP_FkIfZero] = {"if fkctr[P1]==0 goto P2", 0, NULL},
    [OP_HaltIfNull] = {"if r[P3]=null halt", 0, NULL},
    [OP_Integer] = {"r[P2]=P1", 0, NULL},
    [OP_Int64] = {"r[P2]=P4", 0, NULL},
    [OP_Real] = {"r[P2]=P4", 0, NULL},
    [OP_String8] = {"r[P2]='P4'", 0, NULL},
    [OP_Blob] = {"r[P2]=P4 (len=P1)", 0, NULL},
    [OP_Null] = {"r[P2..P3]=NULL", 0, NULL},
    [OP_Variable] = {"r[P2]=parameter(P1)", 0, NULL},
    [OP_Copy] = {"r[P2@P3+1]=r[P1@P3+1]", 0, NULL},
    [OP_SCopy] = {"r[P2]=r[P1]", 0, NULL},
    [OP_Move] = {"r[P2@P3]=r[P1@P3]", 0, NULL},
    [OP_ResultRow] = {"output=r[P1@P2]", 0, NULL},
    [OP_OpenRead] = {"root=P2 iDb=DB", 0, NULL},
    [OP_OpenWrite] = {"root=P2 iDb=DB", 1, "root=r[P3] iDb=DB"},
    [OP_OpenPseudo] = {"P3 columns in r[P2]", 0, NULL},
    [OP_OpenEphemeral] = {"nColumn=P2", 0, NULL},
    [OP_OpenAutoindex] = {"nColumn=P2", 0, NULL},
    [OP_SorterInsert] = {"key=r[P2]", 0, NULL},
    [OP_SorterData] = {"r[P2]=data", 0, NULL},
    [OP_SorterLimit] = {"keep r[P2] rows", 0, NULL},
    [OP_SorterDrop] = {"if full and r[P3@P5] sorts last goto P2", 0, NULL},
    [OP_Column] = {"r[P3]=cursor P1 column P2", 0, NULL},
    [OP_Rowid] = {"r[P2]=rowid", 0, NULL},
    [OP_SeekRowid] = {"intkey=r[P3]", 0, NULL},
    [OP_NotExists] = {"intkey=r[P3]", 0, NULL},
    [OP_NewRowid] = {"r[P3]=rowid", 0, NULL},
    [OP_MakeRecord] = {"r[P3]=mkrec(r[P1@P2])", 0, NULL},
    [OP_Insert] = {"intkey=r[P3] data=r[P2]", 0, NULL},
    [OP_Count] = {"r[P2]=count()", 0, NULL},
    [OP_Add] = {"r[P3]=r[P1]+r[P2]", 0, NULL},
    [OP_Subtract] = {"r[P3]=r[P2]-r[P1]", 0, NULL},
    [OP_Multiply] = {"r[P3]=r[P1]*r[P2]", 0, NULL},
    [OP_Divide] = {"r[P3]=r[P2]/r[P1]", 0, NULL},
    [OP_Remainder] = {"r[P3]=r[P2]%r[P1]", 0, NULL},
    [OP_Concat] = {"r[P3]=r[P2]||r[P1]", 0, NULL},
    [OP_BitAnd] = {"r[P3]=r[P1]&r[P2]", 0, NULL},
    [OP_BitOr] = {"r[P3]=r[P1]|r[P2]", 0, NULL},
    [OP_ShiftLeft] = {"r[P3]=r[P2]<<r[P1]", 0, NULL},
    [OP_ShiftRight] = {"r[P3]=r[P2]>>r[P1]", 0, NULL},
    [OP_BitNot] = {"r[P2]=~r[P1]", 0, NULL},
    [OP_Negative] = {"r[P2]=-r[P1]", 0, NULL},
    [OP_Not] = {"r[P2]=!r[P1]", 0, NULL},
    [OP_And] = {"r[P3]=(r[P1] && r[P2])", 0, NULL},
    [OP_Or] = {"r[P3]=(r[P1] || r[P2])", 0, NULL},
    [OP_Eq] = {"if r[P3]==r[P1] goto P2", 0, NULL},
    [OP_Ne] = {"if r[P3]!=r[P1] goto P2", 0, NULL},
    [OP_Lt] = {"if r[P3]<r[P1] goto P2", 0, NULL},
    [OP_Le] = {"if r[P3]<=r[P1] goto P2", 0, NULL},
    [OP_Gt] = {"if r[P3]>r[P1] goto P2", 0, NULL},
    [OP_Ge] = {"if r[P3]>=r[P1] goto P2", 0, NULL},
    [OP_Compare] = {"r[P2]=(r[P3]==r[P1])", 0, NULL},
    [OP_If] = {"if r[P1] goto P2", 0, NULL},
    [OP_IfNot] = {"if !r[P1] goto P2", 0, NULL},
    [OP_IsNull] = {"if r[P1]==NULL goto P2", 0, NULL},
    [OP_NotNull] = {"if r[P1]!=NULL goto P2", 0, NULL},
    [OP_IfType] = {"if typeof(r[P1]) in P3 goto P2", 0, NULL},
    [OP_IsTrue] = {"r[P2]=coalesce(r[P1]==TRUE,P3) ^ P4", 0, NULL},
    [OP_Cast] = {"affinity(r[P1])", 0, NULL},
    [OP_Affinity] = {"affinity(r[P1@P2])", 0, NULL},
    [OP_Function] = {"r[P3]=func(r[P2@P5])", 0, NULL},
    [OP_AggStep] = {"accum=r[P3] step(r[P2@P5])", 0, NULL},
    [OP_AggFinal] = {"accum=r[P1] N=P2", 0, NULL},
    [OP_IfPos] = {"if r[P1]>0 then r[P1]-=P3, goto P2", 0, NULL},
    [OP_DecrJumpZero] = {"if (--r[P1])==0 goto P2", 0, NULL},
    [OP_OffsetLimit] = {"if r[P1]>0 then r[P2]=r[P1]+max(0,r[P3]) else r[P2]=(-1)", 0, NULL},
    [OP_CreateBtree] = {"r[P2]=root iDb=DB flags=P3", 0, NULL},
    [OP_ReadCookie] = {"r[P2]=cookie(P3)", 0, NULL},
    [OP_Pagecount] = {"r[P2]=pagecount()", 0, NULL},
    [OP_DistinctRow] = {"if r[P3] in set r[P1] goto P2", 0, NULL},
};

/* The number of the operand named at z ("P1".."P5"), else 0. */
static int operand_at(const char *z) { return z[0] == 'P' && z[1] >= '1' && z[1] <= '5' ? z[1] - '0' : 0; }

static int operand_value(const VdbeOp *op, int n) {
  switch (n) {
  case 1: return op->p1;
  case 2: return op->p2;
  case 3: return op->p3;
  default: return op->p5;
  }
}

/* Appends an integer operand of the synopsis at *t, with the range that may
** follow it (Pa@Pb[+1] or Pa..Pb); advances *t past what it read. */
static void render_operand(const VdbeOp *op, const char **t, StrBuf *b) {
  const char *z = *t;
  int first = operand_value(op, operand_at(z));
  z += 2;
  strbuf_printf(b, "%d", first);
  if (z[0] == '@' && operand_at(z + 1)) {
    int count = operand_value(op, operand_at(z + 1));
    z += 3;
    if (z[0] == '+' && z[1] == '1') {
      count++;
      z += 2;
    }
    if (count > 1) strbuf_printf(b, "..%d", first + count - 1);
  } else if (z[0] == '.' && z[1] == '.' && operand_at(z + 2)) {
    int last = operand_value(op, operand_at(z + 2));
    z += 4;
    if (last > first) strbuf_printf(b, "..%d", last);
  }
  *t = z;
}

static void render_synopsis(const VdbeOp *op, const char *t, StrBuf *b) {
  while (*t) {
    int n = operand_at(t);
    if (n == 4) {
      vdbe_render_p4(op, b);
      t += 2;
    } else if (t[0] == 'D' && t[1] == 'B') {
      strbuf_printf(b, "%d", op->db);
      t += 2;
    } else if (n) {
      render_operand(op, &t, b);
    } else {
      strbuf_appendc(b, *t++);
    }
  }
}

/* A comparison that stores its outcome (CMP_STOREP2) in r[P2] rather than
** jumping there; text for any other op. */
static const char *stored_comparison(int opcode, const char *text) {
  switch (opcode) {
  case OP_Eq: return "r[P2]=(r[P3]==r[P1])";
  case OP_Ne: return "r[P2]=(r[P3]!=r[P1])";
  case OP_Lt: return "r[P2]=(r[P3]<r[P1])";
  case OP_Le: return "r[P2]=(r[P3]<=r[P1])";
  case OP_Gt: return "r[P2]=(r[P3]>r[P1])";
  case OP_Ge: return "r[P2]=(r[P3]>=r[P1])";
  default: return text;
  }
}

/* Appends the comment column of op; returns 0 if it has none (NULL). */
int vdbe_render_comment(const VdbeOp *op, StrBuf *b) {
  const Synopsis *s = op->opcode < OP_COUNT ? &synopses[op->opcode] : NULL;
  const char *text = s ? s->text : NULL;
  if (s && s->alt_p5 && op->p5 == s->alt_p5) text = s->alt;
  if (text && (op->p5 & CMP_STOREP2)) text = stored_comparison(op->opcode, text);
  if (text) render_synopsis(op, text, b);
  if (op->comment) {
    if (text) strbuf_appendz(b, "; ");
    strbuf_appendz(b, op->comment);
  }
  return text || op->comment;
}

/* ---- rows ---------------------------------------------------------------------------- */

static int set_text_col(Mem *m, const char *z) {
  if (!z) {
    mem_set_null(m);
    return LODE_OK;
  }
  return mem_set_text(m, z, -1, MEM_DYN);
}

/* Sets m to the text a render function appended to a fresh buffer, or NULL
** when it rendered nothing. */
static int set_rendered_col(Mem *m, const VdbeOp *op, int (*render)(const VdbeOp *, StrBuf *)) {
  StrBuf b;
  int rc = LODE_OK, has;
  strbuf_init(&b);
  has = render(op, &b);
  if (b.oom) rc = LODE_NOMEM;
  else if (has) rc = mem_set_text(m, b.z ? b.z : "", (int)b.n, MEM_DYN);
  else mem_set_null(m);
  strbuf_reset(&b);
  return rc;
}

static int fill_row(Vdbe *v, const VdbeOp *op, int addr) {
  Mem *row = v->explain_row;
  int rc;
  for (int i = 0; i < VDBE_EXPLAIN_NCOLS; i++) mem_release(&row[i]);
  mem_set_int(&row[0], addr);
  rc = set_text_col(&row[1], vdbe_opcode_name(op->opcode));
  mem_set_int(&row[2], op->p1);
  mem_set_int(&row[3], op->p2);
  mem_set_int(&row[4], op->p3);
  mem_set_int(&row[6], op->p5);
  if (rc == LODE_OK) rc = set_rendered_col(&row[5], op, vdbe_render_p4);
  if (rc == LODE_OK) rc = set_rendered_col(&row[7], op, vdbe_render_comment);
  return rc;
}

/* An EXPLAIN QUERY PLAN row: id, parent, notused, detail. */
static int fill_plan_row(Vdbe *v, const VdbeOp *op) {
  Mem *row = v->explain_row;
  for (int i = 0; i < VDBE_EXPLAIN_NCOLS; i++) mem_release(&row[i]);
  mem_set_int(&row[0], op->p1);
  mem_set_int(&row[1], op->p2);
  mem_set_int(&row[2], op->p3);
  return set_text_col(&row[3], op->p4type == P4_STRING ? op->p4.z : NULL);
}

#define LISTED_PROGRAMS_MAX 256

/* The op EXPLAIN lists in row pc, or NULL past the end, and its address
** (*addr).  After the statement's own ops come the trigger programs it
** runs, each once, in the order they are first met, each from address 0
** (as SQLite lists them). */
static const VdbeOp *listed_op(const Vdbe *v, int pc, int *addr) {
  *addr = pc;
  if (pc < v->nop) return &v->ops[pc];
  const Vdbe *subs[LISTED_PROGRAMS_MAX];
  int nsubs = 0, base = v->nop;
  for (int k = -1; k < nsubs; k++) {
    const VdbeOp *ops = k < 0 ? v->ops : subs[k]->ops;
    int n = k < 0 ? v->nop : subs[k]->nop;
    if (k >= 0) {
      if (pc < base + n) return &ops[*addr = pc - base];
      base += n;
    }
    for (int i = 0; i < n && nsubs < LISTED_PROGRAMS_MAX; i++) {
      if (ops[i].p4type != P4_SUBPROGRAM || !ops[i].p4.sub) continue;
      int seen = 0;
      for (int j = 0; j < nsubs && !seen; j++) seen = subs[j] == ops[i].p4.sub;
      if (!seen) subs[nsubs++] = ops[i].p4.sub;
    }
  }
  return NULL;
}

int vdbe_explain_step(Vdbe *v) {
  int rc, plan = v->explain == 2;
  if (plan) {
    while (v->pc < v->nop && v->ops[v->pc].opcode != OP_Explain) v->pc++;
  }
  int addr = v->pc;
  const VdbeOp *op = plan ? (v->pc < v->nop ? &v->ops[v->pc] : NULL) : listed_op(v, v->pc, &addr);
  if (!op) {
    for (int i = 0; i < VDBE_EXPLAIN_NCOLS; i++) mem_release(&v->explain_row[i]);
    v->state = VDBE_STATE_HALT;
    v->nresult = 0;
    return LODE_DONE;
  }
  rc = plan ? fill_plan_row(v, op) : fill_row(v, op, addr);
  if (rc != LODE_OK) {
    v->state = VDBE_STATE_HALT;
    v->rc = rc;
    return conn_error(v->db, rc, NULL);
  }
  v->pc++;
  v->nresult = plan ? VDBE_EQP_NCOLS : VDBE_EXPLAIN_NCOLS;
  return LODE_ROW;
}
