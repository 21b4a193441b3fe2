/*
** vdbe.c — building a VM program (the API codegen uses), resolving labels,
** validating the finished program, the accessors capi uses, and releasing
** registers, cursors and the program.
**
** Labels are negative numbers: label L is index -1 - L of v->labels, which
** holds the address it was resolved at (-1 until then).  vdbe_finish patches
** every jump operand that holds a label and then checks every operand of
** every op against the program's size, register count and cursor count, so
** that the interpreter can index registers and cursors without checks.
**
** P4 ownership: vdbe_add_op4 copies what p4 points to (strings, blobs,
** int64, real, Mem); the caller keeps its own copy.  A KeyInfo is taken over
** instead (the VM frees it and its arrays, also when the call fails).
** P4_FUNC points at a FuncDef that outlives the program (a built-in, or an
** entry of the connection's FuncRegistry).  For P4_INT32, p4 points at an
** int (or is NULL and p4len is the value).
**
** Invariants: a program runs only after vdbe_finish succeeded (finished = 1),
** and then every jump operand is a valid address (no label left); building
** stops at the first allocation failure (oom is sticky, add_op returns -1).
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "idxmethod/idxmethod.h"
#include "vdbe/vdbe_internal.h"

static const char *const opcode_names[] = {
#define VDBE_NAME(name) #name,
    VDBE_OPCODES(VDBE_NAME)
#undef VDBE_NAME
};

const char *vdbe_opcode_name(int opcode) {
  if (opcode < 0 || opcode >= OP_COUNT) return "?";
  return opcode_names[opcode];
}

Vdbe *vdbe_new(lode *db) {
  Vdbe *v = util_zalloc(sizeof *v);
  if (!v) return NULL;
  v->db = db;
  v->readonly = 1;
  v->schema_gen = db ? db->schema_gen : 0;
  v->rng = 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)v;
  for (int i = 0; i < VDBE_EXPLAIN_NCOLS; i++) mem_init(&v->explain_row[i]);
  return v;
}

/* ---- building --------------------------------------------------------------- */

static int grow_ops(Vdbe *v) {
  int cap = v->cap_op ? v->cap_op * 2 : 64;
  VdbeOp *ops = util_realloc(v->ops, (size_t)cap * sizeof *ops);
  if (!ops) {
    v->oom = 1;
    return LODE_NOMEM;
  }
  v->ops = ops;
  v->cap_op = cap;
  return LODE_OK;
}

int vdbe_add_op(Vdbe *v, int opcode, int p1, int p2, int p3) {
  VdbeOp *op;
  if (v->oom) return -1;
  if (v->nop == v->cap_op && grow_ops(v) != LODE_OK) return -1;
  assert(opcode >= 0 && opcode < OP_COUNT);
  op = &v->ops[v->nop];
  memset(op, 0, sizeof *op);
  op->opcode = (uint8_t)opcode;
  op->p1 = p1;
  op->p2 = p2;
  op->p3 = p3;
  op->db = v->cur_db;
  return v->nop++;
}

void vdbe_set_db(Vdbe *v, int db) { v->cur_db = db; }

/* Trigger programs may run each other (even themselves): each is visited
** once, marked while the walk lasts. */
static void db_mask_walk(Vdbe *v, uint32_t *read, uint32_t *write, int mark) {
  if (v->walk_mark == mark) return;
  v->walk_mark = mark;
  for (int i = 0; i < v->nop; i++) {
    const VdbeOp *op = &v->ops[i];
    uint32_t bit = op->db >= 0 && op->db < 32 ? 1u << op->db : 0;
    switch (op->opcode) {
    case OP_OpenRead: case OP_ReadCookie: case OP_IntegrityCk: case OP_Pagecount: case OP_Checkpoint:
      *read |= bit;
      break;
    case OP_OpenWrite: case OP_CreateBtree: case OP_Destroy: case OP_Clear: case OP_SetCookie: case OP_Vacuum:
    case OP_CopyTree:
      *write |= bit;
      break;
    case OP_ParseSchema:
      if (op->p1) *write |= bit;
      else *read |= bit;
      break;
    case OP_Program:
      if (op->p4type == P4_SUBPROGRAM && op->p4.sub) db_mask_walk(op->p4.sub, read, write, mark);
      break;
    default: break;
    }
  }
}

uint32_t vdbe_db_mask(Vdbe *v, uint32_t *write) {
  uint32_t read = 0;
  *write = 0;
  db_mask_walk(v, &read, write, 1);
  uint32_t unused_r = 0, unused_w = 0;
  db_mask_walk(v, &unused_r, &unused_w, 0); /* clears the marks */
  return read | *write;
}
int vdbe_current_db(const Vdbe *v) { return v->cur_db; }
void vdbe_set_op_db(Vdbe *v, int addr, int db) {
  if (addr >= 0 && addr < v->nop) v->ops[addr].db = db;
}

/* Copies n bytes of p into a block of at least min bytes (zero padded) plus a NUL:
** String8/Blob read p1 bytes, which must not run past what was copied. */
static char *dup_padded(const void *p, size_t n, int min) {
  size_t size = min > 0 && (size_t)min > n ? (size_t)min : n;
  char *z = util_zalloc(size + 1);
  if (z && n) memcpy(z, p, n);
  return z;
}

static int length_p1(const VdbeOp *op) {
  return op->opcode == OP_String8 || op->opcode == OP_Blob ? op->p1 : 0;
}

/* The program outlives whatever a constant Mem borrowed from (the parse
** arena): give it its own copy of text/blob bytes. */
static int mem_own_bytes(Mem *m) {
  if ((m->type != MEM_TEXT && m->type != MEM_BLOB) || m->owner == MEM_DYN) return LODE_OK;
  if (m->type == MEM_TEXT) return mem_set_text(m, m->z ? m->z : "", m->n, MEM_DYN);
  return mem_set_blob(m, m->z ? m->z : "", m->n, MEM_DYN);
}

/* Copies p4 into op; returns LODE_NOMEM on failure (op then has no p4). */
static int set_p4(VdbeOp *op, int p4type, const void *p4, int p4len) {
  if (!p4 && p4type != P4_INT32) return LODE_OK; /* nothing to point at: no p4 */
  switch (p4type) {
  case P4_NONE: return LODE_OK;
  case P4_INT32: op->p4.i = p4 ? *(const int *)p4 : p4len; break;
  case P4_INT64: memcpy(&op->p4.i64, p4, sizeof(int64_t)); break;
  case P4_REAL: memcpy(&op->p4.real, p4, sizeof(double)); break;
  case P4_STRING:
    op->p4.z = dup_padded(p4, p4len < 0 ? strlen(p4) : (size_t)p4len, length_p1(op));
    if (!op->p4.z) return LODE_NOMEM;
    break;
  case P4_BLOB:
    op->p4.z = dup_padded(p4, p4len > 0 ? (size_t)p4len : 0, length_p1(op));
    if (!op->p4.z) return LODE_NOMEM;
    break;
  case P4_MEM:
    op->p4.mem = util_malloc(sizeof(Mem));
    if (!op->p4.mem) return LODE_NOMEM;
    mem_init(op->p4.mem);
    if (mem_copy(op->p4.mem, p4) != LODE_OK || mem_own_bytes(op->p4.mem) != LODE_OK) {
      mem_release(op->p4.mem);
      util_free(op->p4.mem);
      op->p4.mem = NULL;
      return LODE_NOMEM;
    }
    break;
  case P4_FUNC: op->p4.func = p4; break;
  case P4_KEYINFO: op->p4.keyinfo = (KeyInfo *)p4; break;
  case P4_WINDOW: op->p4.window = (VdbeWindow *)p4; break;
  case P4_IDXM: op->p4.idxm = (VdbeIdxm *)p4; break;
  case P4_SUBPROGRAM: op->p4.sub = (Vdbe *)p4; break; /* owned by the top program (vdbe_adopt) */
  default: assert(0); return LODE_INTERNAL;
  }
  op->p4type = (int8_t)p4type;
  return LODE_OK;
}

int vdbe_add_op4(Vdbe *v, int opcode, int p1, int p2, int p3, int p4type, const void *p4, int p4len) {
  int addr = vdbe_add_op(v, opcode, p1, p2, p3);
  if (addr < 0) {
    if (p4type == P4_KEYINFO) keyinfo_free((KeyInfo *)p4);
    if (p4type == P4_WINDOW) vdbe_window_free((VdbeWindow *)p4);
    if (p4type == P4_IDXM) vdbe_idxm_free((VdbeIdxm *)p4);
    return -1;
  }
  if (set_p4(&v->ops[addr], p4type, p4, p4len) != LODE_OK) {
    v->oom = 1;
    v->nop--;
    return -1;
  }
  return addr;
}

int vdbe_add_op4_int(Vdbe *v, int opcode, int p1, int p2, int p3, int p4) {
  return vdbe_add_op4(v, opcode, p1, p2, p3, P4_INT32, NULL, p4);
}

void vdbe_set_p5(Vdbe *v, int addr, uint16_t p5) {
  if (addr >= 0 && addr < v->nop) v->ops[addr].p5 = p5;
}

void vdbe_set_p2(Vdbe *v, int addr, int p2) {
  if (addr >= 0 && addr < v->nop) v->ops[addr].p2 = p2;
}

void vdbe_set_comment(Vdbe *v, int addr, const char *fmt, ...) {
  va_list ap;
  char tmp[256];
  if (v->no_comments || addr < 0 || addr >= v->nop) return;
  va_start(ap, fmt);
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  util_free(v->ops[addr].comment);
  v->ops[addr].comment = util_strdup(tmp);
  if (!v->ops[addr].comment) v->oom = 1;
}

int vdbe_current_addr(Vdbe *v) { return v->nop; }

static void free_p4(VdbeOp *op);

void vdbe_truncate(Vdbe *v, int addr) {
  assert(addr >= 0 && addr <= v->nop);
  for (int i = addr; i < v->nop; i++) {
    free_p4(&v->ops[i]);
    util_free(v->ops[i].comment);
  }
  v->nop = addr;
  for (int i = 0; i < v->nlabel; i++) /* labels placed in the dropped code are unplaced again */
    if (v->labels[i] > addr) v->labels[i] = -1;
}

int vdbe_make_label(Vdbe *v) {
  if (v->nlabel == v->cap_label) {
    int cap = v->cap_label ? v->cap_label * 2 : 16;
    int *l = util_realloc(v->labels, (size_t)cap * sizeof *l);
    if (!l) {
      v->oom = 1;
      return -1; /* still a label number; vdbe_finish reports the oom */
    }
    v->labels = l;
    v->cap_label = cap;
  }
  v->labels[v->nlabel] = -1;
  return -1 - v->nlabel++;
}

void vdbe_resolve_label(Vdbe *v, int label) {
  int idx = -1 - label;
  if (idx >= 0 && idx < v->nlabel) v->labels[idx] = v->nop;
}

int vdbe_jump_address(Vdbe *v, int p2) {
  if (p2 >= 0) return p2;
  int idx = -1 - p2;
  return idx < v->nlabel ? v->labels[idx] : -1;
}

VdbeOp *vdbe_op_at(Vdbe *v, int addr) {
  if (addr < 0 || addr >= v->nop) {
    memset(&v->dummy, 0, sizeof v->dummy);
    return &v->dummy;
  }
  return &v->ops[addr];
}

int vdbe_oom(Vdbe *v) { return v->oom; }


void vdbe_set_counts(Vdbe *v, int nmem, int ncursor) {
  v->nmem = nmem;
  v->ncursor = ncursor;
}

static void free_names(char **names, int n) {
  if (!names) return;
  for (int i = 0; i < n; i++) util_free(names[i]);
  util_free(names);
}

/* The result columns' names, declared types and origins live in one arena
** (v->col_meta): a prepare sets some fifteen strings for three columns, and
** a malloc and free for each showed in prepare profiles.  A name set again
** leaves the old copy in the arena until the columns are set anew. */
int vdbe_set_num_cols(Vdbe *v, int n) {
  arena_free(&v->col_meta);
  util_free(v->col_meta_packed);
  v->col_meta_packed = NULL;
  v->col_origins = NULL;
  v->col_names = v->col_decltypes = NULL;
  v->ncol = 0;
  if (n <= 0) return LODE_OK;
  v->col_names = arena_alloc(&v->col_meta, (size_t)n * sizeof(char *));
  v->col_decltypes = arena_alloc(&v->col_meta, (size_t)n * sizeof(char *));
  if (!v->col_names || !v->col_decltypes) {
    arena_free(&v->col_meta);
    v->col_names = v->col_decltypes = NULL;
    v->oom = 1;
    return LODE_NOMEM;
  }
  v->ncol = n;
  return LODE_OK;
}

static char *meta_strdup(Vdbe *v, const char *z) { return z ? arena_strndup(&v->col_meta, z, strlen(z)) : NULL; }

static size_t packed_len(const char *z) { return z ? strlen(z) + 1 : 0; }

static char *pack_str(char **at, const char *z) {
  if (!z) return NULL;
  size_t n = strlen(z) + 1;
  char *r = memcpy(*at, z, n);
  *at += n;
  return r;
}

/* Moves the column metadata out of its arena into one allocation of just
** its size: a finished statement may live long (an application can keep
** hundreds), and each would keep the arena's 4 KiB block.  Left in the arena
** when memory is short. */
static void col_meta_pack(Vdbe *v) {
  int n = v->ncol, no = v->col_origins ? 3 * n : 0;
  if (!v->col_meta.head || n <= 0) return;
  size_t bytes = sizeof(char *) * (size_t)(2 * n + no);
  for (int i = 0; i < n; i++) bytes += packed_len(v->col_names[i]) + packed_len(v->col_decltypes[i]);
  for (int k = 0; k < no; k++) bytes += packed_len(v->col_origins[k]);
  char **arr = util_malloc(bytes);
  if (!arr) return;
  char *at = (char *)(arr + 2 * n + no);
  for (int i = 0; i < n; i++) {
    arr[i] = pack_str(&at, v->col_names[i]);
    arr[n + i] = pack_str(&at, v->col_decltypes[i]);
  }
  for (int k = 0; k < no; k++) arr[2 * n + k] = pack_str(&at, v->col_origins[k]);
  assert((size_t)(at - (char *)arr) == bytes);
  arena_free(&v->col_meta);
  util_free(v->col_meta_packed);
  v->col_meta_packed = arr;
  v->col_names = arr;
  v->col_decltypes = arr + n;
  v->col_origins = no ? arr + 2 * n : NULL;
}

int vdbe_set_col_name(Vdbe *v, int i, const char *name, const char *decltype_) {
  if (i < 0 || i >= v->ncol) return LODE_RANGE;
  v->col_names[i] = meta_strdup(v, name);
  v->col_decltypes[i] = meta_strdup(v, decltype_);
  if ((name && !v->col_names[i]) || (decltype_ && !v->col_decltypes[i])) {
    v->oom = 1;
    return LODE_NOMEM;
  }
  return LODE_OK;
}

int vdbe_set_col_origin(Vdbe *v, int i, const char *database, const char *table, const char *column) {
  const char *names[3] = {table, column, database};
  if (i < 0 || i >= v->ncol) return LODE_RANGE;
  if (!v->col_origins && !(v->col_origins = arena_alloc(&v->col_meta, (size_t)(3 * v->ncol) * sizeof(char *))))
    goto oom;
  for (int k = 0; k < 3; k++)
    if (!(v->col_origins[3 * i + k] = meta_strdup(v, names[k]))) goto oom;
  return LODE_OK;
oom:
  v->oom = 1;
  return LODE_NOMEM;
}

const char *vdbe_col_origin(Vdbe *v, int i, int which) {
  if (i < 0 || i >= v->ncol || !v->col_origins || which < 0 || which > 2) return NULL;
  return v->col_origins[3 * i + which];
}

static void free_params(Vdbe *v) {
  if (v->params)
    for (int i = 0; i <= v->nparam; i++) mem_release(&v->params[i]);
  util_free(v->params);
  free_names(v->param_names, v->param_names ? v->nparam + 1 : 0);
  v->params = NULL;
  v->param_names = NULL;
  v->nparam = 0;
}

int vdbe_set_params(Vdbe *v, int nparam, const char *const *names) {
  free_params(v);
  if (nparam <= 0) return LODE_OK;
  v->params = util_malloc((size_t)(nparam + 1) * sizeof(Mem));
  v->param_names = util_zalloc((size_t)(nparam + 1) * sizeof(char *));
  if (!v->params || !v->param_names) goto fail;
  v->nparam = nparam;
  for (int i = 0; i <= nparam; i++) mem_init(&v->params[i]);
  if (names)
    for (int i = 1; i <= nparam; i++) {
      if (!names[i]) continue;
      v->param_names[i] = util_strdup(names[i]);
      if (!v->param_names[i]) goto fail;
    }
  return LODE_OK;
fail:
  if (!v->nparam) {
    util_free(v->params);
    v->params = NULL;
    v->nparam = nparam; /* so free_params frees the names array */
  }
  free_params(v);
  v->oom = 1;
  return LODE_NOMEM;
}

void vdbe_set_sql(Vdbe *v, const char *sql, int n) {
  util_free(v->sql);
  v->sql = sql ? util_strndup(sql, n < 0 ? strlen(sql) : (size_t)n) : NULL;
  if (sql && !v->sql) v->oom = 1;
}

void vdbe_swap_sql(Vdbe *a, Vdbe *b) {
  char *t = a->sql;
  a->sql = b->sql;
  b->sql = t;
}

void vdbe_set_fk_keeps_deferred(Vdbe *v) { v->fk_keeps_deferred = 1; }

void vdbe_skip_comments(Vdbe *v, int on) { v->no_comments = on != 0; }

void vdbe_set_flags(Vdbe *v, int readonly, int explain) {
  v->readonly = readonly;
  v->explain = explain;
}

/* ---- finish: labels and validation ---------------------------------------------- */

static int is_jump_op(const VdbeOp *op) {
  switch (op->opcode) {
  case OP_Init: case OP_Goto: case OP_SorterSort: case OP_SorterNext: case OP_Rewind: case OP_Last:
  case OP_Next: case OP_Prev: case OP_SeekRowid: case OP_NotExists: case OP_If: case OP_IfNot:
  case OP_IsNull: case OP_NotNull: case OP_IfType: case OP_MustBeInt: case OP_IfPos: case OP_DecrJumpZero: case OP_Once:
  case OP_IfNullRow:
  case OP_DistinctRow: case OP_SorterDrop: case OP_SeekLT: case OP_SeekLE: case OP_SeekGE: case OP_SeekGT: case OP_IdxLT:
  case OP_IdxLE: case OP_IdxGE: case OP_IdxGT: case OP_Found: case OP_NotFound: case OP_NoConflict: case OP_Filter:
  case OP_FkIfZero: case OP_Gosub: case OP_InitCoroutine: case OP_Yield: case OP_Program: case OP_VFilter: case OP_VNext:
  case OP_IdxmQuery: case OP_IdxmNext: case OP_StatSample:
    return 1;
  case OP_Cdc: return op->p1 == CDC_COMMIT;
  case OP_Eq: case OP_Ne: case OP_Lt: case OP_Le: case OP_Gt: case OP_Ge:
    return (op->p5 & CMP_STOREP2) == 0;
  default: return 0;
  }
}

typedef struct Checker {
  Vdbe *v;
  int addr;
  const char *what;
  uint32_t *uses; /* per cursor: the operands naming it, its opens and closes aside (NULL: not counted) */
  int counting;   /* whether the op being checked counts */
} Checker;

/* Registers r[first..first+count-1] must exist (count 0 is always fine). */
static int check_regs(Checker *c, int first, int count) {
  if (count <= 0) return 1;
  if (first >= 1 && first <= c->v->nmem && count <= c->v->nmem - first + 1) return 1;
  c->what = "register";
  return 0;
}

static int check_reg(Checker *c, int r) { return check_regs(c, r, 1); }

static int check_cursor(Checker *c, int i) {
  if (i >= 0 && i < c->v->ncursor) {
    if (c->uses && c->counting) c->uses[i]++;
    return 1;
  }
  c->what = "cursor";
  return 0;
}

static int check_jump(Checker *c, int target) {
  if (target >= 0 && target < c->v->nop) return 1;
  c->what = "jump target";
  return 0;
}

static int check_p4(Checker *c, const VdbeOp *op, int p4type) {
  if (op->p4type == p4type) return 1;
  c->what = "p4";
  return 0;
}

static int check_binary_regs(Checker *c, const VdbeOp *op) {
  return check_reg(c, op->p1) && check_reg(c, op->p2) && check_reg(c, op->p3);
}

static int check_function(Checker *c, const VdbeOp *op) {
  if (!check_p4(c, op, P4_FUNC) || !op->p4.func) return 0;
  if (op->p5 > 0 && !check_regs(c, op->p2, op->p5)) return 0;
  if (op->opcode == OP_AggStep && (!op->p4.func->step || !op->p4.func->final)) return c->what = "aggregate", 0;
  if (op->opcode == OP_Function && !op->p4.func->scalar) return c->what = "function", 0;
  if (op->p5 > c->v->max_args) c->v->max_args = op->p5;
  return check_reg(c, op->p3);
}

/* OpenRead/OpenWrite: p4 is nothing, a column count or an index's KeyInfo. */
static int check_open_p4(Checker *c, const VdbeOp *op) {
  if (op->p4type == P4_NONE || op->p4type == P4_INT32 || (op->p4type == P4_KEYINFO && op->p4.keyinfo)) return 1;
  c->what = "p4";
  return 0;
}

/* A search key of p4.i registers from p3; unless unpacked_only, p4 may
** instead be absent or 0 and r[p3] a record holding the key. */
static int check_key(Checker *c, const VdbeOp *op, int unpacked_only) {
  if (op->p4type == P4_INT32 && op->p4.i > 0) return check_regs(c, op->p3, op->p4.i);
  if (!unpacked_only && (op->p4type == P4_NONE || (op->p4type == P4_INT32 && op->p4.i == 0)))
    return check_reg(c, op->p3);
  c->what = "p4 key count";
  return 0;
}

/* Checks one op's operands; returns 0 with c->what set when one is bad. */
static int check_op(Checker *c, const VdbeOp *op) {
  Vdbe *v = c->v;
  switch (op->opcode) {
  case OP_Init: case OP_Goto: case OP_Once: case OP_FkIfZero: return check_jump(c, op->p2);
  case OP_FkCounter: return 1;
  case OP_FkActionsMark: return check_reg(c, op->p1);
  case OP_FkActionsDone: return op->p1 == 0 || check_reg(c, op->p1);
  case OP_Gosub: return check_reg(c, op->p1) && check_jump(c, op->p2);
  case OP_Return: return check_reg(c, op->p1);
  case OP_InitCoroutine:
    if (op->p3 < 1 || op->p3 >= c->v->nop) return c->what = "p3", 0;
    return check_reg(c, op->p1) && check_jump(c, op->p2);
  case OP_Yield: return check_reg(c, op->p1) && check_jump(c, op->p2);
  case OP_EndCoroutine: return check_reg(c, op->p1);
  case OP_DistinctRow:
    return check_jump(c, op->p2) && check_reg(c, op->p1) && (op->p5 ? check_regs(c, op->p3, op->p5) : check_reg(c, op->p3));
  case OP_Halt: return op->p3 == 0 || check_reg(c, op->p3);
  case OP_Transaction: case OP_AutoCommit: case OP_Destroy: case OP_SetCookie:
  case OP_ParseSchema: case OP_Noop: case OP_ResetCount:
    return 1;
  case OP_Clear: return op->p1 >= 1 ? 1 : (c->what = "p1", 0);
  case OP_Program: /* p1 is a register of the caller, checked when the caller is */
    if (!check_p4(c, op, P4_SUBPROGRAM) || !op->p4.sub) return c->what = "p4", 0;
    return check_jump(c, op->p2) && check_reg(c, op->p1);
  case OP_Param: return op->p1 >= 0 && check_reg(c, op->p2);
  case OP_Explain: /* the parent is 0 (top level) or an earlier Explain's id */
    if (op->p2 < 0 || (op->p2 > 0 && op->p2 >= c->addr)) return c->what = "p2", 0;
    return check_p4(c, op, P4_STRING);
  case OP_DropSchema: return check_p4(c, op, P4_STRING);
  case OP_Savepoint:
    if (op->p1 < SAVEPOINT_BEGIN || op->p1 > SAVEPOINT_ROLLBACK) return c->what = "p1", 0;
    return check_p4(c, op, P4_STRING);
  case OP_HaltIfNull: return check_reg(c, op->p3);
  case OP_Integer: case OP_CreateBtree: case OP_ReadCookie: return check_reg(c, op->p2);
  case OP_Pagecount: return check_reg(c, op->p2);
  case OP_IntegrityCk:
    if (op->p2 < 0) return c->what = "p2", 0;
    return check_p4(c, op, P4_INT32) && check_regs(c, op->p1, op->p2) && check_reg(c, op->p3);
  case OP_Checkpoint: return check_regs(c, op->p2, 3);
  case OP_Vacuum: return op->p2 == 0 || check_reg(c, op->p2);
  case OP_Attach: return check_reg(c, op->p1) && check_reg(c, op->p2);
  case OP_Detach: return check_reg(c, op->p1);
  case OP_Cdc:
    if (op->p1 == CDC_SET) return op->p4type == P4_NONE || check_p4(c, op, P4_STRING);
    if (op->p1 == CDC_TXN) return check_reg(c, op->p2) && check_reg(c, op->p3);
    if (op->p1 == CDC_COMMIT) return check_jump(c, op->p2) && check_reg(c, op->p3);
    return c->what = "p1", 0;
  case OP_PragmaConn: return (op->p2 == 0 || check_reg(c, op->p2)) && (op->p3 == 0 || check_reg(c, op->p3));
  case OP_Int64: return check_p4(c, op, P4_INT64) && check_reg(c, op->p2);
  case OP_Real: return check_p4(c, op, P4_REAL) && check_reg(c, op->p2);
  case OP_String8:
    if (op->p1 < 0) return c->what = "p1", 0;
    return check_p4(c, op, P4_STRING) && check_reg(c, op->p2);
  case OP_Blob:
    if (op->p1 < 0) return c->what = "p1", 0;
    return check_p4(c, op, P4_BLOB) && check_reg(c, op->p2);
  case OP_Null:
    if (op->p3 > 0 && op->p3 < op->p2) return c->what = "register range", 0;
    return check_regs(c, op->p2, op->p3 > 0 ? op->p3 - op->p2 + 1 : 1);
  case OP_Variable:
    if (op->p1 < 1 || op->p1 > v->nparam) return c->what = "parameter", 0;
    return check_reg(c, op->p2);
  case OP_Copy:
    if (op->p3 < 0) return c->what = "p3", 0;
    return check_regs(c, op->p1, op->p3 + 1) && check_regs(c, op->p2, op->p3 + 1);
  case OP_GetSubtype: case OP_SetSubtype:
  case OP_SCopy: case OP_BitNot: case OP_Negative: case OP_Not: case OP_IsTrue:
    return check_reg(c, op->p1) && check_reg(c, op->p2);
  case OP_Move:
    if (op->p3 < 1) return c->what = "p3", 0;
    return check_regs(c, op->p1, op->p3) && check_regs(c, op->p2, op->p3);
  case OP_ResultRow:
    if (op->p2 < 0) return c->what = "p2", 0;
    return check_regs(c, op->p1, op->p2);
  /* Root 0 is a schema object without a b-tree (an index whose row is
  ** missing from sqlite_schema): the open reports corruption when it runs. */
  case OP_OpenRead:
    return check_open_p4(c, op) && check_cursor(c, op->p1) && (op->p2 >= 0 || (c->what = "root page", 0));
  case OP_OpenWrite:
    if (!check_open_p4(c, op)) return 0;
    if (op->p5 == 1) return check_cursor(c, op->p1) && check_reg(c, op->p3);
    return check_cursor(c, op->p1) && (op->p2 >= 0 || (c->what = "root page", 0));
  case OP_SeekLT: case OP_SeekLE: case OP_SeekGE: case OP_SeekGT:
  case OP_IdxLT: case OP_IdxLE: case OP_IdxGE: case OP_IdxGT:
    return check_cursor(c, op->p1) && check_jump(c, op->p2) && check_key(c, op, 1);
  case OP_FilterInit: return check_reg(c, op->p1);
  case OP_FilterAdd: case OP_Filter:
    if (!check_p4(c, op, P4_KEYINFO) || !op->p4.keyinfo || op->p4.keyinfo->nkey < 1) return c->what = "p4", 0;
    if (op->opcode == OP_Filter && !check_jump(c, op->p2)) return 0;
    return check_reg(c, op->p1) && check_regs(c, op->p3, op->p4.keyinfo->nkey);
  case OP_Found: case OP_NotFound: case OP_NoConflict:
    return check_cursor(c, op->p1) && check_jump(c, op->p2) && check_key(c, op, 0);
  case OP_IdxInsert:
    if (op->p3 != 0 && (op->p4type != P4_INT32 || op->p4.i < 1)) return c->what = "p4", 0;
    return check_cursor(c, op->p1) && check_reg(c, op->p2) && (op->p3 == 0 || check_regs(c, op->p3, op->p4.i));
  case OP_IdxRowid: return check_cursor(c, op->p1) && check_reg(c, op->p2);
  case OP_RowData: return check_cursor(c, op->p1) && check_reg(c, op->p2);
  case OP_CopyTree: return check_cursor(c, op->p1) && (op->p2 > 0 || (c->what = "root page", 0));
  case OP_IdxDelete:
    if (op->p3 < 1) return c->what = "p3", 0;
    return check_cursor(c, op->p1) && check_regs(c, op->p2, op->p3);
  case OP_DeferredSeek: return check_cursor(c, op->p1) && check_cursor(c, op->p3);
  case OP_OpenPseudo: case OP_SorterInsert: case OP_SorterData: case OP_Count: case OP_SorterLimit:
    return check_cursor(c, op->p1) && check_reg(c, op->p2);
  case OP_Window:
    if (!check_p4(c, op, P4_WINDOW) || !op->p4.window) return c->what = "p4", 0;
    return check_cursor(c, op->p1) && (op->p2 == 0 || check_reg(c, op->p2)) && (op->p3 == 0 || check_reg(c, op->p3));
  case OP_SorterOpen: case OP_OpenEphemeral: case OP_OpenAutoindex:
    if (!check_p4(c, op, P4_KEYINFO) || !op->p4.keyinfo) return c->what = "p4", 0;
    return check_cursor(c, op->p1);
  case OP_SorterSort: case OP_SorterNext: case OP_Rewind: case OP_Last: case OP_Next: case OP_Prev:
    return check_cursor(c, op->p1) && check_jump(c, op->p2);
  case OP_SorterDrop:
    if (op->p5 < 1) return c->what = "p5", 0;
    return check_cursor(c, op->p1) && check_jump(c, op->p2) && check_regs(c, op->p3, op->p5);
  case OP_Close: case OP_Delete: case OP_NullRow: case OP_CursorLock: case OP_CursorUnlock:
    return check_cursor(c, op->p1);
  case OP_IfNullRow: return check_cursor(c, op->p1) && check_jump(c, op->p2) && check_reg(c, op->p3);
  case OP_Column:
    if (op->p2 < 0) return c->what = "column", 0;
    if (op->p4type != P4_NONE && !check_p4(c, op, P4_MEM)) return 0;
    return check_cursor(c, op->p1) && check_reg(c, op->p3);
  case OP_Rowid: case OP_VRowid: return check_cursor(c, op->p1) && check_reg(c, op->p2);
  case OP_VOpen:
    if (!check_p4(c, op, P4_STRING) || !op->p4.z) return c->what = "p4", 0;
    return check_cursor(c, op->p1);
  case OP_VFilter: /* the arguments, then the idx_str */
    return check_cursor(c, op->p1) && check_jump(c, op->p2) && check_regs(c, op->p3, op->p5 + 1);
  case OP_VUpdate:
    if (!check_p4(c, op, P4_STRING) || !op->p4.z) return c->what = "p4", 0;
    return op->p2 >= 1 && check_regs(c, op->p3, op->p2);
  case OP_VBegin: case OP_VCreate: case OP_VDestroy:
    if (!check_p4(c, op, P4_STRING) || !op->p4.z) return c->what = "p4", 0;
    return 1;
  case OP_VRename:
    if (!check_p4(c, op, P4_STRING) || !op->p4.z) return c->what = "p4", 0;
    return check_reg(c, op->p3);
  case OP_IdxmOpen:
    if (!check_p4(c, op, P4_IDXM) || !op->p4.idxm) return c->what = "p4", 0;
    return check_cursor(c, op->p1) && (op->p3 == 0 || check_regs(c, op->p3, op->p4.idxm->nstores));
  case OP_IdxmInsert: case OP_IdxmDelete:
    if (!check_p4(c, op, P4_INT32) || op->p4.i < 1) return c->what = "p4", 0;
    return check_cursor(c, op->p1) && check_regs(c, op->p2, op->p4.i) && check_reg(c, op->p3);
  case OP_IdxmQuery:
    if (!check_p4(c, op, P4_INT32) || op->p4.i < 0) return c->what = "p4", 0;
    return check_cursor(c, op->p1) && check_jump(c, op->p2) && (op->p4.i == 0 || check_regs(c, op->p3, op->p4.i));
  case OP_IdxmNext: return check_cursor(c, op->p1) && check_jump(c, op->p2);
  case OP_IdxmRowid: return check_cursor(c, op->p1) && check_reg(c, op->p2);
  case OP_IdxmColumn: return check_cursor(c, op->p1) && op->p2 >= 0 && check_reg(c, op->p3);
  case OP_IdxmCheck: return check_cursor(c, op->p1) && check_reg(c, op->p2) && check_reg(c, op->p3);
  case OP_IdxmCheckRow:
    if (!check_p4(c, op, P4_INT32) || op->p4.i < 1) return c->what = "p4", 0;
    return check_cursor(c, op->p1) && check_regs(c, op->p2, op->p4.i + 1) && check_reg(c, op->p3);
  case OP_IdxmOptimize: return check_cursor(c, op->p1) && check_regs(c, op->p2, 4);
  case OP_VNext: return check_cursor(c, op->p1) && check_jump(c, op->p2);
  case OP_VColumn: return op->p2 >= 0 && check_cursor(c, op->p1) && check_reg(c, op->p3);
  case OP_VNoChange: return check_reg(c, op->p1) && check_reg(c, op->p2);
  case OP_SeekRowid: case OP_NotExists:
    return check_cursor(c, op->p1) && check_jump(c, op->p2) && check_reg(c, op->p3);
  case OP_NewRowid: return check_cursor(c, op->p1) && check_reg(c, op->p3) && (op->p2 == 0 || check_reg(c, op->p2));
  case OP_MakeRecord:
    if (op->p2 < 0) return c->what = "p2", 0;
    if (op->p4type != P4_NONE && !check_p4(c, op, P4_STRING)) return 0;
    if (op->p5 && (op->p4type != P4_STRING || !op->p4.z || strlen(op->p4.z) < (size_t)op->p2 ||
                   (op->p3 >= op->p1 && op->p3 < op->p1 + op->p2) || !check_cursor(c, op->p5 - 1)))
      return c->what = "p5", 0;
    return check_regs(c, op->p1, op->p2) && check_reg(c, op->p3);
  case OP_Insert: return check_cursor(c, op->p1) && check_reg(c, op->p2) && check_reg(c, op->p3);
  case OP_Add: case OP_Subtract: case OP_Multiply: case OP_Divide: case OP_Remainder: case OP_Concat:
  case OP_BitAnd: case OP_BitOr: case OP_ShiftLeft: case OP_ShiftRight: case OP_And: case OP_Or:
  case OP_Compare: case OP_OffsetLimit:
    return check_binary_regs(c, op);
  case OP_Eq: case OP_Ne: case OP_Lt: case OP_Le: case OP_Gt: case OP_Ge:
    if (!check_reg(c, op->p1) || !check_reg(c, op->p3)) return 0;
    return (op->p5 & CMP_STOREP2) ? check_reg(c, op->p2) : check_jump(c, op->p2);
  case OP_If: case OP_IfNot: case OP_IsNull: case OP_NotNull: case OP_IfType: case OP_IfPos: case OP_DecrJumpZero:
    return check_reg(c, op->p1) && check_jump(c, op->p2);
  case OP_MustBeInt: return check_reg(c, op->p1) && (op->p2 == 0 || check_jump(c, op->p2));
  case OP_Cast:
    if (op->p2 < AFF_NONE || op->p2 > AFF_REAL) return c->what = "affinity", 0;
    return check_reg(c, op->p1);
  case OP_Affinity: return check_p4(c, op, P4_STRING) && check_regs(c, op->p1, op->p2);
  case OP_Function: case OP_AggStep: return check_function(c, op);
  case OP_StatInit:
    if (op->p4type != P4_NONE && !check_p4(c, op, P4_STRING)) return 0;
    if (op->p2 < 1) return c->what = "p2", 0;
    return check_reg(c, op->p1) && check_reg(c, op->p3);
  case OP_StatScan:
    if (op->p4type != P4_INT32 || op->p4.i < 1) return c->what = "p4", 0;
    return check_reg(c, op->p1) && check_jump(c, op->p2) && check_cursor(c, op->p3);
  case OP_StatText: return check_reg(c, op->p1) && check_reg(c, op->p3);
  case OP_KeyHash:
    if (op->p2 < 1) return c->what = "p2", 0;
    return check_regs(c, op->p1, op->p2) && check_regs(c, op->p3, 2);
  case OP_IdxVerify:
    if (op->p4type != P4_INT32 || op->p4.i < 1 || op->p5 > op->p4.i) return c->what = "p4", 0;
    return check_cursor(c, op->p1) && check_jump(c, op->p2) && check_regs(c, op->p3, 4);
  case OP_StatSample: return check_reg(c, op->p1) && check_jump(c, op->p2) && check_regs(c, op->p3, 4);
  case OP_AggFinal:
    if (!check_p4(c, op, P4_FUNC) || !op->p4.func || !op->p4.func->final) return c->what = "aggregate", 0;
    return check_reg(c, op->p1);
  default: c->what = "opcode"; return 0;
  }
}

static int resolve_labels(Vdbe *v) {
  for (int addr = 0; addr < v->nop; addr++) {
    VdbeOp *op = &v->ops[addr];
    if (op->p2 >= 0 || !is_jump_op(op)) continue;
    int idx = -1 - op->p2;
    if (idx >= v->nlabel || v->labels[idx] < 0) return addr + 1; /* 1-based: 0 means success */
    op->p2 = v->labels[idx];
  }
  return 0;
}

static int finish_fail(Vdbe *v, const char *problem, int addr) {
  const char *name = addr >= 0 && addr < v->nop ? vdbe_opcode_name(v->ops[addr].opcode) : "?";
  if (v->db) conn_error(v->db, LODE_INTERNAL, "bad program: %s at address %d (%s)", problem, addr, name);
  return LODE_INTERNAL;
}

/* Allocates the per-run arrays the validated program needs. */
static int alloc_run_arrays(Vdbe *v) {
  v->mem = util_malloc((size_t)(v->nmem + 1) * sizeof(Mem));
  /* Initialized at once: vdbe_free releases them even if a later allocation fails. */
  if (v->mem)
    for (int i = 0; i <= v->nmem; i++) mem_init(&v->mem[i]);
  /* The parked cursors share the allocation: a second one failing alone
  ** would only have gone unnoticed. */
  v->cursors = util_zalloc((size_t)(v->ncursor > 0 ? 2 * v->ncursor : 1) * sizeof(VdbeCursor *));
  if (v->cursors && v->ncursor > 0) v->parked = v->cursors + v->ncursor;
  v->argv = util_zalloc((size_t)(v->max_args > 0 ? v->max_args : 1) * sizeof(Mem *));
  v->once = util_zalloc((size_t)(v->nop > 0 ? v->nop : 1));
  if (!v->mem || !v->cursors || !v->argv || !v->once) return LODE_NOMEM;
  for (int i = 0; i <= v->nmem; i++) mem_init(&v->mem[i]);
  return LODE_OK;
}

int vdbe_finish(Vdbe *v) {
  Checker c = {v, 0, NULL, NULL, 0};
  int bad;
  if (v->oom) return v->db ? conn_error(v->db, LODE_NOMEM, NULL) : LODE_NOMEM;
  if (v->finished) return LODE_OK;
  if (v->nmem < 0 || v->ncursor < 0) return finish_fail(v, "negative register or cursor count", 0);
  bad = resolve_labels(v);
  if (bad) return finish_fail(v, "unresolved label", bad - 1);
  v->max_args = 0;
  v->has_nchange = 0;
  uint32_t uses[64] = {0}; /* programs of more cursors keep every open */
  c.uses = v->ncursor > 0 && v->ncursor <= 64 ? uses : NULL;
  for (c.addr = 0; c.addr < v->nop; c.addr++) {
    const VdbeOp *op = &v->ops[c.addr];
    c.counting = op->opcode != OP_OpenRead && op->opcode != OP_Close;
    if (!check_op(&c, op)) {
      char problem[64];
      snprintf(problem, sizeof problem, "%s operand out of range", c.what ? c.what : "an");
      return finish_fail(v, problem, c.addr);
    }
    if ((op->opcode == OP_Insert || op->opcode == OP_Delete || op->opcode == OP_IdxInsert) &&
        (op->p5 & (OPFLAG_NCHANGE | OPFLAG_NESTED)))
      v->has_nchange = 1;
    /* A change statement with triggers counts changes even when it makes
    ** none itself (INSTEAD OF triggers on a view): changes() reads 0 after it. */
    if (op->opcode == OP_Program || op->opcode == OP_VUpdate) v->has_nchange = 1;
    if (op->opcode == OP_Clear && op->p3) v->has_nchange = 1;
    if (op->opcode == OP_CopyTree && (op->p5 & OPFLAG_NCHANGE)) v->has_nchange = 1;
  }
  /* A cursor that nothing but its opens and closes names (a table beside
  ** the covering index that answers for it) is not opened at all, as SQLite
  ** does not open it: an open and a close saved per run. */
  for (int i = 0; c.uses && i < v->nop; i++) {
    VdbeOp *op = &v->ops[i];
    if ((op->opcode == OP_OpenRead || op->opcode == OP_Close) && c.uses[op->p1] == 0) op->opcode = OP_Noop;
  }
  if (alloc_run_arrays(v) != LODE_OK) {
    v->oom = 1;
    return v->db ? conn_error(v->db, LODE_NOMEM, NULL) : LODE_NOMEM;
  }
  col_meta_pack(v);
  v->finished = 1;
  return LODE_OK;
}

/* ---- registers and cursors -------------------------------------------------------- */

void vdbe_agg_destroy(Mem *m, int call_final) {
  AggState *st = (AggState *)m->z;
  assert(m->type == MEM_AGG);
  if (st) {
    if (call_final && st->func && st->func->final) {
      /* final frees whatever the function keeps inside its context. */
      Mem out;
      FuncContext ctx = {0};
      mem_init(&out);
      ctx.out = &out;
      ctx.agg = (char *)st + AGG_CONTEXT_OFFSET;
      ctx.user_data = st->func->user_data;
      st->func->final(&ctx);
      util_free(ctx.errmsg);
      mem_release(&out);
    }
    if (st->distinct) {
      for (uint32_t i = 0; i < st->distinct->cap; i++)
        if (st->distinct->used[i]) mem_release(&st->distinct->slots[i]);
      util_free(st->distinct->slots);
      util_free(st->distinct->used);
      util_free(st->distinct->hashes);
      util_free(st->distinct);
    }
    util_free(st);
  }
  m->z = NULL;
  m->n = 0;
  m->owner = MEM_STATIC;
  m->type = MEM_NULL;
}

/* A register that owns nothing (any more) reads NULL. */
static inline void reg_forget(Mem *m) {
  m->type = MEM_NULL;
  m->owner = MEM_STATIC;
  m->z = NULL;
  m->n = 0;
}

void vdbe_reg_clear(Vdbe *v, Mem *m) {
  (void)v;
  if (m->type == MEM_AGG) vdbe_agg_destroy(m, 1);
  if (m->owner == MEM_DYN || m->ztext) mem_release(m);
  reg_forget(m);
}

void vdbe_cursor_free(VdbeCursor *c) {
  if (!c) return;
  if (c->bt) btree_cursor_close(c->bt);
  btree_close(c->temp_db); /* after its cursor */
  if (c->sorter) sorter_free(c->sorter);
  vdbe_window_stream_free(c->win);
  if (c->vtab) vdbe_vtab_close(c);
  if (c->idxm) idxm_close(c->idxm);
  record_header_free(&c->hdr);
  util_free(c->buf);
  util_free(c->keybuf); /* its Mems only borrow */
  util_free(c);
}

/* A spare cursor keeps a row buffer up to this size (larger ones were for
** an overflowing row and are not worth holding while the statement idles). */
#define SPARE_CURSOR_BUF_MAX 4096

/* Releases everything c holds but its header arrays and a small row buffer,
** and keeps it for the next open: a statement run again and again (a point
** lookup, an INSERT) then opens its cursors without allocating. */
static void cursor_park(Vdbe *v, VdbeCursor *c) {
  /* Most cursors have a b-tree cursor and nothing else: the calls below
  ** would each only find NULL. */
  if (c->bt) btree_cursor_close(c->bt);
  if (c->temp_db) btree_close(c->temp_db); /* after its cursor */
  if (c->sorter) sorter_free(c->sorter);
  if (c->win) vdbe_window_stream_free(c->win);
  if (c->vtab) vdbe_vtab_close(c);
  if (c->idxm) idxm_close(c->idxm);
  if (c->keybuf) util_free(c->keybuf);
  c->bt = NULL;
  c->temp_db = NULL;
  c->sorter = NULL;
  c->win = NULL;
  c->vtab = NULL;
  c->idxm = NULL;
  c->keybuf = NULL;
  if (c->buf_cap > SPARE_CURSOR_BUF_MAX) {
    util_free(c->buf);
    c->buf = NULL;
    c->buf_cap = 0;
  }
  c->next_spare = v->spare_cursors;
  v->spare_cursors = c;
}

void vdbe_cursor_recycle(Vdbe *v, VdbeCursor *c) {
  if (c) cursor_park(v, c);
}

/* Zeroes c but for its header arrays and its row buffer. */
static void cursor_clear(VdbeCursor *c) {
  RecordHeader h = c->hdr;
  uint8_t *buf = c->buf;
  uint32_t cap = c->buf_cap;
  memset(c, 0, sizeof *c);
  c->hdr.types = h.types;
  c->hdr.offsets = h.offsets;
  c->hdr.cap = h.cap;
  c->buf = buf;
  c->buf_cap = cap;
}

VdbeCursor *vdbe_cursor_alloc(Vdbe *v) {
  VdbeCursor *c = v->spare_cursors;
  if (!c) return util_zalloc(sizeof *c);
  v->spare_cursors = c->next_spare;
  cursor_clear(c);
  return c;
}

VdbeCursor *vdbe_cursor_unpark(Vdbe *v, int i, BtCursor **bt) {
  VdbeCursor *c = v->parked ? v->parked[i] : NULL;
  *bt = NULL;
  if (!c) return NULL;
  v->parked[i] = NULL;
  *bt = c->bt;
  cursor_clear(c);
  return c;
}

/* Parks c, a b-tree cursor with nothing else to close, for the next run's
** open of number i; 0 when it cannot (c is then still open). */
static int cursor_park_for_run(Vdbe *v, int i, VdbeCursor *c) {
  if (c->kind != VDBE_CURSOR_BTREE || !c->bt || c->temp_db || c->sorter || c->win || c->vtab || c->idxm) return 0;
  if (!v->parked || v->parked[i]) return 0; /* a frame's cursors end with it */
  btree_cursor_detach(c->bt);
  if (c->keybuf) util_free(c->keybuf);
  c->keybuf = NULL;
  if (c->buf_cap > SPARE_CURSOR_BUF_MAX) {
    util_free(c->buf);
    c->buf = NULL;
    c->buf_cap = 0;
  }
  v->parked[i] = c;
  return 1;
}

void vdbe_free_spare_cursors(Vdbe *v) {
  while (v->spare_cursors) {
    VdbeCursor *c = v->spare_cursors;
    v->spare_cursors = c->next_spare;
    vdbe_cursor_free(c);
  }
  if (!v->parked) return;
  for (int i = 0; i < v->ncursor; i++) {
    VdbeCursor *c = v->parked[i];
    if (!c) continue;
    btree_cursor_free(c->bt); /* detached: its Btree may be gone */
    c->bt = NULL;
    vdbe_cursor_free(c);
    v->parked[i] = NULL;
  }
}

void vdbe_close_cursors(Vdbe *v) {
  if (!v->cursors) return;
  for (int i = 0; i < v->ncursor; i++) {
    VdbeCursor *c = v->cursors[i];
    if (!c) continue;
    if (c->max_valid && c->max_wgen == v->db->table_writes && c->bt && !c->temp_db) {
      v->rowid_keep.cursor = i + 1;
      v->rowid_keep.root = c->root;
      v->rowid_keep.max = c->max_rowid;
      v->rowid_keep.cgen = c->max_cgen;
    }
    if (!cursor_park_for_run(v, i, c)) cursor_park(v, c);
    v->cursors[i] = NULL;
  }
}

void vdbe_free_spare_bufs(Vdbe *v) {
  while (v->nspare_buf > 0) util_free(v->spare_buf[--v->nspare_buf]);
}

void vdbe_release_registers(Vdbe *v) {
  if (!v->mem) return;
  /* The bounds in locals: the stores below could otherwise be v's fields, reloaded per register. */
  for (Mem *m = v->mem, *end = v->mem + v->nmem + 1; m < end; m++) {
    /* Most registers own nothing: clear those in place, without a call. */
    if (m->owner != MEM_DYN && !m->ztext && m->type != MEM_AGG) {
      reg_forget(m);
      continue;
    }
    if ((m->type == MEM_BLOB || m->type == MEM_TEXT) && m->owner == MEM_DYN && m->z && !m->ztext &&
        v->nspare_buf < VDBE_SPARE_BUFS) {
      size_t cap = util_alloc_usable(m->z);
      v->spare_buf[v->nspare_buf] = m->z;
      v->spare_cap[v->nspare_buf++] = cap ? cap : (size_t)m->n + (m->type == MEM_TEXT);
      reg_forget(m);
      continue;
    }
    vdbe_reg_clear(v, m);
  }
  /* Only an EXPLAIN program fills these: an ordinary run skips 8 calls. */
  if (v->explain)
    for (int i = 0; i < VDBE_EXPLAIN_NCOLS; i++) mem_release(&v->explain_row[i]);
  v->nresult = 0;
}

/* ---- running: the entry points capi uses -------------------------------------------- */

static void start_run(Vdbe *v) {
  v->state = VDBE_STATE_RUN;
  v->pc = 0;
  v->rc = LODE_OK;
  v->nchange = 0;
  v->nchange_nested = 0;
  v->nchange_pending = 0;
  v->nresult = 0;
  if (v->once_set) memset(v->once, 0, (size_t)(v->nop > 0 ? v->nop : 1));
  v->once_set = 0;
  func_stmt_state_end_run(v->fstate);
  v->status[VDBE_STATUS_RUN]++;
}

int vdbe_step(Vdbe *v) {
  if (!v->finished) return v->db ? conn_error(v->db, LODE_MISUSE, NULL) : LODE_MISUSE;
  if (v->state == VDBE_STATE_HALT) vdbe_reset(v);
  if (v->state == VDBE_STATE_IDLE) start_run(v);
  if (v->explain) return vdbe_explain_step(v);
  func_stmt_state_new_step(v->fstate);
  int rc = vdbe_exec(v);
  /* A stale program's run is replaced by the fresh program's: one run. */
  if (rc == LODE_SCHEMA && v->status[VDBE_STATUS_RUN] > 0) v->status[VDBE_STATUS_RUN]--;
  return rc;
}

int vdbe_reset(Vdbe *v) {
  int rc;
  if (v->state == VDBE_STATE_RUN && !v->explain) {
    /* Stopped before Halt: as in SQLite, what a writer changed so far stays
    ** (a RETURNING statement has made every change by its first row), and
    ** is committed in autocommit mode, unless immediate foreign key
    ** violations remain. */
    vdbe_txn_end(v, vdbe_txn_check_fk(v), 1);
  }
  /* A run that reached Halt closed its cursors and released its registers
  ** there (halt in vdbe_exec.c); an EXPLAIN run still holds its last row. */
  if (v->state != VDBE_STATE_HALT || v->explain) {
    vdbe_close_cursors(v);
    vdbe_release_registers(v);
  }
  func_stmt_state_end_run(v->fstate); /* auxiliary data may hold on to what the parameters were */
  rc = v->rc;
  v->rc = LODE_OK;
  v->state = VDBE_STATE_IDLE;
  v->pc = 0;
  return rc;
}

static void free_p4(VdbeOp *op) {
  switch (op->p4type) {
  case P4_STRING: case P4_BLOB: util_free(op->p4.z); break;
  case P4_KEYINFO: keyinfo_free(op->p4.keyinfo); break;
  case P4_WINDOW: vdbe_window_free(op->p4.window); break;
  case P4_IDXM: vdbe_idxm_free(op->p4.idxm); break;
  case P4_MEM:
    if (op->p4.mem) mem_release(op->p4.mem);
    util_free(op->p4.mem);
    break;
  default: break;
  }
}

void vdbe_change_to_noop(Vdbe *v, int addr) {
  if (addr < 0 || addr >= v->nop) return;
  VdbeOp *op = &v->ops[addr];
  free_p4(op);
  memset(&op->p4, 0, sizeof op->p4);
  op->opcode = OP_Noop;
  op->p4type = P4_NONE;
  op->p1 = op->p2 = op->p3 = 0;
  op->p5 = 0;
}

void vdbe_free(Vdbe *v) {
  if (!v) return;
  vdbe_reset(v);
  vdbe_probes_free(v);
  for (int i = 0; i < v->nop; i++) {
    free_p4(&v->ops[i]);
    util_free(v->ops[i].comment);
  }
  util_free(v->ops);
  util_free(v->labels);
  arena_free(&v->col_meta);
  util_free(v->col_meta_packed);
  free_params(v);
  util_free(v->sql);
  util_free(v->mem);
  vdbe_free_spare_cursors(v); /* before the array the parked ones are listed in */
  util_free(v->cursors);
  vdbe_free_spare_bufs(v);
  util_free(v->argv);
  util_free(v->once);
  func_stmt_state_free(v->fstate);
  for (int i = 0; i < v->nsubs; i++) vdbe_free(v->subs[i]);
  util_free(v->subs);
  util_free(v);
}

int vdbe_adopt(Vdbe *top, Vdbe *sub, const void *token) {
  Vdbe **grown = util_realloc(top->subs, sizeof(*grown) * (size_t)(top->nsubs + 1));
  if (!grown) {
    vdbe_free(sub);
    top->oom = 1;
    return LODE_NOMEM;
  }
  top->subs = grown;
  top->subs[top->nsubs++] = sub;
  sub->token = token;
  return LODE_OK;
}

Mem *vdbe_result(Vdbe *v, int i) {
  if (v->state != VDBE_STATE_RUN || i < 0 || i >= v->nresult) return NULL;
  if (v->explain) return &v->explain_row[i];
  return &v->mem[v->result_reg + i];
}

Mem *vdbe_column_result(Vdbe *v, int i) { return i < vdbe_ncols(v) ? vdbe_result(v, i) : NULL; }

static const char *const explain_names[VDBE_EXPLAIN_NCOLS] = {"addr", "opcode", "p1", "p2",
                                                              "p3",   "p4",     "p5", "comment"};

static const char *const eqp_names[VDBE_EQP_NCOLS] = {"id", "parent", "notused", "detail"};

int vdbe_ncols(Vdbe *v) {
  if (v->explain) return v->explain == 2 ? VDBE_EQP_NCOLS : VDBE_EXPLAIN_NCOLS;
  return v->ncol;
}

const char *vdbe_col_name(Vdbe *v, int i) {
  if (i < 0 || i >= vdbe_ncols(v)) return NULL;
  if (v->explain) return v->explain == 2 ? eqp_names[i] : explain_names[i];
  return v->col_names[i];
}

const char *vdbe_col_decltype(Vdbe *v, int i) {
  if (v->explain || i < 0 || i >= v->ncol) return NULL;
  return v->col_decltypes[i];
}

int vdbe_nparams(Vdbe *v) { return v->nparam; }

const char *vdbe_param_name(Vdbe *v, int i) {
  if (i < 1 || i > v->nparam) return NULL;
  return v->param_names[i];
}

Mem *vdbe_param(Vdbe *v, int i) {
  if (v->state != VDBE_STATE_IDLE || i < 1 || i > v->nparam) return NULL;
  return &v->params[i];
}

uint32_t vdbe_schema_gen(Vdbe *v) { return v->schema_gen; }

void vdbe_set_bound_from(Vdbe *v, const Vdbe *from) { v->bound_from = from; }

const Mem *vdbe_plan_value(const Vdbe *v, int i) {
  const Vdbe *from = v ? v->bound_from : NULL;
  if (!from || i < 1 || i > from->nparam || !from->params) return NULL;
  return &from->params[i];
}

void vdbe_plan_uses(Vdbe *v, uint64_t params) { v->expmask |= params; }

void vdbe_param_bound(Vdbe *v, int i) {
  uint64_t bit = i <= 0 ? ~(uint64_t)0 : i >= 64 ? (uint64_t)1 << 63 : (uint64_t)1 << (i - 1);
  if (v->expmask & bit) v->expired = 1;
  else if (v->probes) v->rebound |= bit; /* the new value is compared at the next step */
}

Mem *vdbe_param_rebind(Vdbe *v, int i, int *rc) {
  if (v->state != VDBE_STATE_IDLE) return *rc = LODE_MISUSE, NULL;
  if (i < 1 || i > v->nparam) return *rc = LODE_RANGE, NULL;
  if (v->expmask || v->probes) vdbe_param_bound(v, i);
  *rc = LODE_OK;
  return &v->params[i];
}

int vdbe_expired(Vdbe *v) {
  if (!v->expired && v->rebound && vdbe_probes_changed(v, v->rebound)) v->expired = 1;
  v->rebound = 0;
  return v->expired;
}

uint32_t vdbe_status(Vdbe *v, int op, int reset) {
  if (op < 0 || op >= VDBE_NSTATUS) return 0;
  uint32_t n = v->status[op];
  if (reset) v->status[op] = 0;
  return n;
}

void vdbe_status_carry(Vdbe *to, const Vdbe *from) {
  memcpy(to->status, from->status, sizeof to->status);
  to->status[VDBE_STATUS_REPREPARE]++;
}

int64_t vdbe_mem_used(const Vdbe *v) {
  int64_t n = (int64_t)sizeof *v + (int64_t)v->cap_op * (int64_t)sizeof(VdbeOp);
  n += (int64_t)(v->nmem + 1) * (int64_t)sizeof(Mem) + (int64_t)v->ncursor * (int64_t)sizeof(VdbeCursor *);
  n += (int64_t)(v->nparam + 1) * (int64_t)sizeof(Mem) + (int64_t)v->nop;
  for (int i = 0; i < v->nop; i++)
    if (v->ops[i].p4type == P4_STRING && v->ops[i].p4.z) n += (int64_t)strlen(v->ops[i].p4.z) + 1;
  if (v->sql) n += (int64_t)strlen(v->sql) + 1;
  for (int i = 0; i < v->nsubs; i++) n += vdbe_mem_used(v->subs[i]);
  return n;
}

const Mem *vdbe_param_value(Vdbe *v, int i) { return i >= 1 && i <= v->nparam ? &v->params[i] : NULL; }

int vdbe_is_running(Vdbe *v) { return v->state != VDBE_STATE_IDLE; }
int vdbe_is_busy(Vdbe *v) { return v->state == VDBE_STATE_RUN; }
int vdbe_is_readonly(Vdbe *v) { return v->readonly; }
int vdbe_is_explain(Vdbe *v) { return v->explain; }
const char *vdbe_sql(Vdbe *v) { return v->sql; }
