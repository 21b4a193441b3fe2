/*
** vdbe_txn.c — how a run of a program takes part in the connection's
** transaction (the state machine is conn's: conn/txn.c), and the
** transaction control opcodes: BEGIN / COMMIT / ROLLBACK (OP_AutoCommit)
** and SAVEPOINT / RELEASE / ROLLBACK TO (OP_Savepoint), which hand over to
** it.
**
** A run that executes OP_Transaction is counted once in db->nactive.  In
** autocommit mode the run that started the write transaction commits it
** when it halts successfully and rolls it back when it fails.  Inside a
** transaction a writing run holds a statement savepoint above the named
** savepoints (depth db->nsavepoint + 1, one more for each run holding one
** already: a statement run by a function of another; on each database the
** run writes), released on success and rolled back on failure, so a failed
** statement leaves the transaction as it found it; so does a writing run
** nested in another in autocommit mode.  When the last active
** run ends in autocommit mode the read transaction (the snapshot) ends too.
**
** How a failed run ends depends on the conflict action its Halt carried
** (v->error_action, ONCONFLICT_* of sql/ast.h; any other error counts as
** ABORT), as in SQLite:
**   ABORT     the statement's changes are undone; changes() reads 0;
**   FAIL      the changes made before the failure stay (and commit in
**             autocommit mode); changes() counts them;
**   ROLLBACK  the whole transaction rolls back and ends, savepoints too.
**
** Invariant: db->nwriting counts the runs holding a statement savepoint;
** a run opens its own at depth db->nsavepoint + 1 + db->nwriting, above
** those of the runs active around it.
*/
#include "vdbe/vdbe_internal.h"
#include "vtab/vtab.h"

int vdbe_error(Vdbe *v, int rc, const char *msg) {
  if (!msg) return conn_error(v->db, rc, NULL);
  return conn_error_take(v->db, rc, util_strdup(msg));
}

int vdbe_txn_check_fk(Vdbe *v) {
  lode *db = v->db;
  if (v->fk_violations == 0 && !(db->autocommit && v->began_write && conn_fk_deferred_pending(db))) return LODE_OK;
  v->error_action = ONCONFLICT_ABORT;
  return conn_fk_error(db);
}

/* Whether p may change several rows of a virtual table (an OP_VBegin with p2 set) or runs
** trigger programs (which may change one once per row): SQLite's statement journal case,
** whose savepoint the connection's virtual tables are told of, those in the transaction
** when it opens and those that join it during the statement. */
static int vtab_statement_level(const Vdbe *p) {
  for (int k = 0; k < p->nop; k++) {
    const VdbeOp *o = &p->ops[k];
    if ((o->opcode == OP_VBegin && o->p2) || o->opcode == OP_Program) return 1;
  }
  return 0;
}

int vdbe_txn_begin(Vdbe *v, const VdbeOp *op) {
  lode *db = v->db;
  int rc, i = op->db;
  if (i < 0 || i >= db->ndb) return LODE_SCHEMA; /* a database detached since the compile */
  if (!v->counted) {
    /* A writer without a transaction opens both at once (see begin_write). */
    int write_first = op->p2 && (db->dbs[i].bt == NULL || db->dbs[i].txn == CONN_TXN_NONE);
    /* Inside a transaction the database already reads: no call. */
    rc = write_first ? conn_txn_write(db, i) : db->dbs[i].txn != CONN_TXN_NONE ? LODE_OK : conn_txn_read(db, i);
    if (rc != LODE_OK) {
      conn_txn_end_idle(db);
      return write_first ? rc : conn_error(db, rc, NULL);
    }
    if (write_first && db->autocommit) v->began_write = 1;
    db->nactive++;
    v->counted = 1;
    v->write_gen_at_begin = v->write_gen;
    v->schema_undos_at = db->schema_undos;
    v->fk_violations = 0;
    v->fk_deferred_at_start[0] = db->fk_deferred[0];
    v->fk_deferred_at_start[1] = db->fk_deferred[1];
  } else if (db->dbs[i].txn == CONN_TXN_NONE && (rc = conn_txn_read(db, i)) != LODE_OK) {
    return conn_error(db, rc, NULL);
  }
  ConnDb *d = &db->dbs[i];
  if (op->p2) {
    if (db->settings[CONN_SET_QUERY_ONLY]) return conn_error(db, LODE_READONLY, NULL);
    if (d->txn != CONN_TXN_WRITE) {
      if ((rc = conn_txn_write(db, i)) != LODE_OK) return rc;
      if (db->autocommit) v->began_write = 1;
    }
    if (!db->autocommit && d->mv) conn_mvcc_stmt_begin(db, i);
    /* p2 = 2: the program changes all or nothing by itself (one row).  A
    ** statement savepoint is held on every database the run writes, inside
    ** a transaction, and in autocommit mode by a run that writes while
    ** another is active (one started from a function the other called):
    ** a run that starts while others hold theirs takes the next depth, so
    ** that its failure undoes its own changes only. */
    int nested = db->autocommit && !v->began_write && db->nactive > 1;
    if ((!db->autocommit || nested) && op->p2 != 2 && !(v->stmt_sp_dbs & (1u << i))) {
      int depth = v->stmt_sp ? v->stmt_sp : db->nsavepoint + 1 + db->nwriting;
      if (!v->stmt_sp && !v->vtab_sp && !db->autocommit && db->api && vtab_statement_level(v)) {
        /* The virtual tables hear of the statement's level before it opens, as in SQLite: what
        ** one writes when told (an FTS index's pending terms) precedes the statement, and its
        ** failure does not undo it. */
        int level = db->nsavepoint - db->txn_savepoint;
        v->vtab_sp = level + 1;
        if ((rc = conn_vtab_savepoint(db, VTAB_TXN_SAVEPOINT, level)) != LODE_OK) return rc;
      }
      rc = conn_txn_stmt_savepoint(db, i, depth);
      if (rc != LODE_OK) return rc;
      if (!v->stmt_sp) db->nwriting++;
      v->stmt_sp = depth;
      v->stmt_sp_dbs |= 1u << i;
    }
  }
  if (op->p5 == 1) {
    uint32_t cookie = 0;
    rc = btree_schema_cookie(d->bt, &cookie);
    if (rc != LODE_OK) return conn_error(db, rc, NULL);
    /* capi re-prepares: no user-visible error */
    if (cookie != (uint32_t)op->p3 || v->schema_gen != db->schema_gen) return LODE_SCHEMA;
  }
  return LODE_OK;
}

int vdbe_txn_tripped(Vdbe *v) {
  lode *db = v->db;
  if (!v->counted || db->schema_undos == v->schema_undos_at) return LODE_OK;
  return conn_error(db, LODE_ABORT_ROLLBACK, "abort due to ROLLBACK");
}

/* The run succeeded, or failed under FAIL: its changes stay. */
static int end_keep(Vdbe *v) {
  lode *db = v->db;
  int rc = LODE_OK;
  if (v->stmt_sp) rc = conn_txn_stmt_end(db, v->stmt_sp_dbs, v->stmt_sp, 0);
  if (v->vtab_sp && rc == LODE_OK && db->api) rc = conn_vtab_savepoint(db, VTAB_TXN_RELEASE, v->vtab_sp - 1);
  if (rc == LODE_OK && db->autocommit && v->began_write && db->txn == CONN_TXN_WRITE) rc = conn_txn_commit_writes(db);
  return rc;
}

/* The run failed: undo the statement, or the whole transaction under
** ROLLBACK. */
static void end_undo(Vdbe *v, int action) {
  lode *db = v->db;
  if (db->autocommit && (v->began_write || !v->stmt_sp)) {
    if (v->began_write && db->txn == CONN_TXN_WRITE) conn_txn_rollback_writes(db);
  } else if (action == ONCONFLICT_ROLLBACK) {
    conn_txn_rollback(db);
  } else if (v->stmt_sp) {
    conn_txn_stmt_end(db, v->stmt_sp_dbs, v->stmt_sp, 1);
    if (v->vtab_sp && db->api) {
      conn_vtab_savepoint(db, VTAB_TXN_ROLLBACK_TO, v->vtab_sp - 1);
      conn_vtab_savepoint(db, VTAB_TXN_RELEASE, v->vtab_sp - 1);
    }
    if (!v->fk_keeps_deferred) {
      db->fk_deferred[0] = v->fk_deferred_at_start[0];
      db->fk_deferred[1] = v->fk_deferred_at_start[1];
    }
    conn_txn_after_rollback(db);
  } else if (v->write_gen != v->write_gen_at_begin && db->txn == CONN_TXN_WRITE) {
    /* It wrote and has no savepoint to undo that with: only the whole
    ** transaction can be undone (SQLite does the same without a statement journal). */
    conn_txn_rollback(db);
  }
}

static void count_changes(lode *db, int64_t n, int64_t nested) {
  db->changes = n;
  db->total_changes += n + nested;
}

/* Errors after which the statement's state cannot be trusted to be checked. */
static int special_error(int rc) {
  int primary = rc & 0xff;
  return primary == LODE_NOMEM || primary == LODE_IOERR || primary == LODE_INTERRUPT || primary == LODE_FULL;
}

int vdbe_txn_end(Vdbe *v, int rc, int quiet) {
  lode *db = v->db;
  /* Index methods may hold the statement's last row changes back: they
  ** become part of what the statement keeps, or its error. */
  if (rc == LODE_OK || v->error_action == ONCONFLICT_FAIL) {
    int frc = vdbe_idxm_flush(v);
    if (frc != LODE_OK && rc == LODE_OK) {
      rc = frc;
      v->error_action = ONCONFLICT_ABORT;
      quiet = 1; /* the method's message is the statement's */
    }
  }
  int action = rc == LODE_OK ? ONCONFLICT_ABORT : v->error_action;
  /* A statement that fails as FAIL keeps its changes, so its immediate
  ** foreign keys must hold: if not, that is its error and it is undone. */
  if (action == ONCONFLICT_FAIL && v->counted && !special_error(rc) && vdbe_txn_check_fk(v) != LODE_OK) {
    rc = LODE_CONSTRAINT_FOREIGNKEY;
    action = ONCONFLICT_ABORT;
  }
  /* A write-write conflict ends a concurrent transaction whole. */
  if (rc != LODE_OK && conn_mvcc_failed(db)) action = ONCONFLICT_ROLLBACK;
  /* So does an interrupt of a statement that writes, as in SQLite (whose
  ** documentation of sqlite3_interrupt promises it). */
  if ((rc & 0xff) == LODE_INTERRUPT && !v->readonly) action = ONCONFLICT_ROLLBACK;
  v->error_action = ONCONFLICT_ABORT;
  vdbe_close_cursors(v);
  if (!v->counted) {
    if (rc != LODE_OK && v->has_nchange) db->changes = 0;
    return rc;
  }
  if (rc == LODE_OK || action == ONCONFLICT_FAIL) {
    int crc = end_keep(v);
    if (crc != LODE_OK) {
      if (rc == LODE_OK) rc = crc;
      if (!quiet || db->errcode == LODE_OK) conn_error(db, crc, NULL);
    } else if (v->has_nchange) {
      count_changes(db, v->nchange, v->nchange_nested);
    }
  } else {
    end_undo(v, action);
    /* Foreign key actions count as done even when the statement is undone,
    ** as SQLite counts what its action programs did when they end. */
    if (v->has_nchange) count_changes(db, 0, v->nchange_nested);
  }
  if (v->stmt_sp) {
    db->nwriting--;
    v->stmt_sp = 0;
    v->stmt_sp_dbs = 0;
  }
  v->vtab_sp = 0;
  /* In autocommit mode every statement ends a transaction of its own. */
  if (db->autocommit) conn_txn_ended(db);
  v->began_write = 0;
  v->counted = 0;
  db->nactive--;
  assert(db->nactive >= 0);
  conn_txn_end_idle(db);
  return rc;
}

/* ---- BEGIN / COMMIT / ROLLBACK, SAVEPOINT / RELEASE / ROLLBACK TO ------------- */

int vdbe_txn_autocommit(Vdbe *v, const VdbeOp *op) {
  lode *db = v->db;
  if (op->p1 == 0) return conn_txn_begin(db, op->p3);
  if (!op->p2) return conn_txn_commit(db);
  if (db->autocommit) return conn_error(db, LODE_ERROR, "cannot rollback - no transaction is active");
  conn_txn_rollback(db);
  return LODE_OK;
}

int vdbe_txn_savepoint(Vdbe *v, const VdbeOp *op) {
  static const int sp_op[] = {[SAVEPOINT_BEGIN] = CONN_SP_BEGIN, [SAVEPOINT_RELEASE] = CONN_SP_RELEASE,
                              [SAVEPOINT_ROLLBACK] = CONN_SP_ROLLBACK};
  assert(op->p1 >= SAVEPOINT_BEGIN && op->p1 <= SAVEPOINT_ROLLBACK);
  return conn_txn_savepoint(v->db, sp_op[op->p1], op->p4.z);
}
