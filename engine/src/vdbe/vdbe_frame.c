/*
** vdbe_frame.c — frames of trigger programs.
**
** A trigger's body is compiled into a program of its own (a sub-program,
** owned by the statement's program).  OP_Program runs it in a frame: a
** Vdbe that borrows the sub-program's ops and has registers and cursors of
** its own, so that the same trigger can run in several frames at once
** (recursive triggers).  The interpreter switches to the frame and back
** without recursing in C, so deep recursion costs heap, not stack.
**
** What a frame sees of its caller: the registers from the Program's p1 on,
** through OP_Param (the OLD and NEW rows the trigger reads).  What the
** caller sees after it: the frame's writes (its cursor caches are dropped),
** and, as in SQLite, last_insert_rowid() and changes() as they were before
** the trigger ran; total_changes() keeps what the trigger's statements
** counted (OP_ResetCount).
**
** Invariants: a frame exists only while vdbe_exec runs (no frame survives a
** returned row or a halt); frame->parent chains to the statement's run,
** whose depth is 0; at most SQLITE_LIMIT_TRIGGER_DEPTH frames are stacked.
*/
#include <string.h>

#include "vdbe/vdbe_internal.h"

/* Whether a frame of the trigger program prog is running in v's chain. */
static int trigger_running(const Vdbe *v, const Vdbe *prog) {
  for (; v; v = v->parent)
    if (v->frame_of && v->frame_of->token == prog->token) return 1;
  return 0;
}

static void frame_free(Vdbe *f) {
  vdbe_close_cursors(f);
  vdbe_free_spare_cursors(f);
  vdbe_release_registers(f);
  vdbe_free_spare_bufs(f);
  util_free(f->mem);
  util_free(f->cursors);
  util_free(f->argv);
  util_free(f->once);
  func_stmt_state_free(f->fstate); /* what the trigger's function calls cached ('now', JSON, LIKE plans) */
  util_free(f);
}

Vdbe *vdbe_frame_push(Vdbe *v, const VdbeOp *op, int *rc) {
  const Vdbe *prog = op->p4.sub;
  lode *db = v->db;
  Vdbe *f;
  *rc = LODE_OK;
  if (op->p5 && trigger_running(v, prog)) return NULL;
  if (v->depth >= db->limits[LODE_LIMIT_TRIGGER_DEPTH]) {
    *rc = conn_error(db, LODE_ERROR, "too many levels of trigger recursion");
    return NULL;
  }
  if (!(f = util_zalloc(sizeof *f))) goto nomem;
  f->db = db;
  f->ops = prog->ops;
  f->nop = prog->nop;
  f->nmem = prog->nmem;
  f->ncursor = prog->ncursor;
  f->max_args = prog->max_args;
  f->finished = 1;
  f->readonly = prog->readonly;
  f->params = v->params; /* a trigger has no parameters; Variable never runs */
  f->state = VDBE_STATE_RUN;
  f->rng = v->rng ^ (uint64_t)(uintptr_t)f;
  f->error_action = ONCONFLICT_ABORT;
  f->parent = v;
  f->frame_of = prog;
  f->param_base = op->p1;
  f->depth = v->depth + 1;
  f->saved_last_rowid = db->last_rowid;
  f->saved_changes = db->changes;
  /* Immediate foreign key violations are the statement's: a trigger's
  ** changes count them, and may mend those the statement made. */
  f->fk_violations = v->fk_violations;
  for (int i = 0; i < VDBE_EXPLAIN_NCOLS; i++) mem_init(&f->explain_row[i]);
  f->mem = util_malloc((size_t)(f->nmem + 1) * sizeof(Mem));
  if (f->mem)
    for (int i = 0; i <= f->nmem; i++) mem_init(&f->mem[i]);
  f->cursors = util_zalloc((size_t)(f->ncursor > 0 ? f->ncursor : 1) * sizeof(VdbeCursor *));
  f->argv = util_zalloc((size_t)(f->max_args > 0 ? f->max_args : 1) * sizeof(Mem *));
  f->once = util_zalloc((size_t)(f->nop > 0 ? f->nop : 1));
  if (!f->mem || !f->cursors || !f->argv || !f->once) {
    frame_free(f);
    goto nomem;
  }
  return f;
nomem:
  *rc = conn_error(db, LODE_NOMEM, NULL);
  return NULL;
}

Vdbe *vdbe_frame_pop(Vdbe *f) {
  Vdbe *v = f->parent;
  lode *db = f->db;
  assert(v);
  db->last_rowid = f->saved_last_rowid;
  db->changes = f->saved_changes;
  v->fk_violations = f->fk_violations;
  /* Rows the caller's cursors cached may have changed under them. */
  v->write_gen += f->write_gen + 1;
  frame_free(f);
  return v;
}
