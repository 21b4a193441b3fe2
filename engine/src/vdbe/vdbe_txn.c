/*
** vdbe_txn.c — how a run of a program opens and ends transactions, and the
** BEGIN / COMMIT / ROLLBACK opcode (OP_AutoCommit).
**
** The connection's state machine is described in capi/conn.h.  A run that
** executes OP_Transaction is counted once in db->nactive.  In autocommit mode
** the run that started the write transaction commits it when it halts
** successfully and rolls it back when it fails.  Inside BEGIN…COMMIT a
** writing run holds statement savepoint 1 (btree_savepoint_begin(bt, 1)),
** released on success and rolled back on failure, so a failed statement
** leaves the transaction as it found it.  When the last active run ends in
** autocommit mode the read transaction (the snapshot) ends too.
**
** Invariants:
**  - db->txn == CONN_TXN_WRITE implies a b-tree write transaction is open;
**    db->txn == CONN_TXN_NONE implies no read transaction is open.
**  - db->nwriting counts the runs holding the statement savepoint; only the
**    first writer of a BEGIN…COMMIT opens it (one level only).
*/
#include "vdbe/vdbe_internal.h"

int vdbe_error(Vdbe *v, int rc, const char *msg) {
  if (!msg) return conn_error(v->db, rc, NULL);
  return conn_error_take(v->db, rc, util_strdup(msg));
}

static void schema_stale(lode *db) {
  if (db->schema) db->schema->loaded = 0;
}

static int begin_read(lode *db) {
  int rc;
  if (db->txn != CONN_TXN_NONE) return LODE_OK;
  rc = btree_begin_read(db->bt);
  if (rc == LODE_OK) db->txn = CONN_TXN_READ;
  return rc;
}

/* Ends the read transaction when nothing needs it any more. */
static void end_read_if_idle(lode *db) {
  if (!db->autocommit || db->nactive > 0 || db->txn == CONN_TXN_NONE) return;
  if (db->txn == CONN_TXN_WRITE) btree_rollback(db->bt); /* a writer that never halted */
  btree_end_read(db->bt);
  db->txn = CONN_TXN_NONE;
}

/* Opens the write transaction (upgrading the read one). */
static int begin_write(lode *db) {
  int rc;
  if (db->txn == CONN_TXN_WRITE) return LODE_OK;
  if (db->readonly) return conn_error(db, LODE_READONLY, NULL);
  rc = begin_read(db);
  if (rc == LODE_OK) rc = btree_begin_write(db->bt);
  if (rc != LODE_OK) return conn_error(db, rc, NULL);
  db->txn = CONN_TXN_WRITE;
  return LODE_OK;
}

int vdbe_txn_begin(Vdbe *v, const VdbeOp *op) {
  lode *db = v->db;
  int rc;
  if (!v->counted) {
    rc = begin_read(db);
    if (rc != LODE_OK) {
      end_read_if_idle(db);
      return conn_error(db, rc, NULL);
    }
    db->nactive++;
    v->counted = 1;
  }
  if (op->p2) {
    if (db->txn != CONN_TXN_WRITE) {
      if ((rc = begin_write(db)) != LODE_OK) return rc;
      if (db->autocommit) v->began_write = 1;
    }
    if (!db->autocommit && !v->stmt_sp && db->nwriting == 0) {
      rc = btree_savepoint_begin(db->bt, 1);
      if (rc != LODE_OK) return conn_error(db, rc, NULL);
      v->stmt_sp = 1;
      db->nwriting++;
    }
  }
  if (op->p5 == 1) {
    uint32_t cookie = 0;
    rc = btree_get_meta(db->bt, BTREE_META_SCHEMA_COOKIE, &cookie);
    if (rc != LODE_OK) return conn_error(db, rc, NULL);
    if (cookie != (uint32_t)op->p3) return LODE_SCHEMA; /* capi re-prepares: no user-visible error */
  }
  return LODE_OK;
}

static int end_success(Vdbe *v) {
  lode *db = v->db;
  int rc = LODE_OK;
  if (v->stmt_sp) rc = btree_savepoint_release(db->bt, 1);
  if (rc == LODE_OK && db->autocommit && v->began_write && db->txn == CONN_TXN_WRITE) {
    rc = btree_commit(db->bt);
    if (rc != LODE_OK) {
      btree_rollback(db->bt);
      schema_stale(db);
    }
    db->txn = CONN_TXN_READ;
  }
  return rc;
}

static void end_failure(Vdbe *v) {
  lode *db = v->db;
  if (db->autocommit) {
    if (v->began_write && db->txn == CONN_TXN_WRITE) {
      btree_rollback(db->bt);
      db->txn = CONN_TXN_READ;
      schema_stale(db);
    }
  } else if (v->stmt_sp) {
    btree_savepoint_rollback(db->bt, 1);
    btree_savepoint_release(db->bt, 1);
    schema_stale(db);
  }
}

int vdbe_txn_end(Vdbe *v, int rc, int quiet) {
  lode *db = v->db;
  vdbe_close_cursors(v);
  if (!v->counted) return rc;
  if (rc == LODE_OK) {
    int crc = end_success(v);
    if (crc != LODE_OK) {
      rc = crc;
      if (!quiet || db->errcode == LODE_OK) conn_error(db, crc, NULL);
    } else if (v->has_nchange) {
      db->changes = v->nchange;
      db->total_changes += v->nchange;
    }
  } else {
    end_failure(v);
  }
  if (v->stmt_sp) {
    db->nwriting--;
    v->stmt_sp = 0;
  }
  v->began_write = 0;
  v->counted = 0;
  db->nactive--;
  assert(db->nactive >= 0);
  end_read_if_idle(db);
  return rc;
}

static int txn_begin_stmt(Vdbe *v, const VdbeOp *op) {
  lode *db = v->db;
  int rc;
  if (!db->autocommit) return conn_error(db, LODE_ERROR, "cannot start a transaction within a transaction");
  if (op->p3 == TXN_IMMEDIATE || op->p3 == TXN_EXCLUSIVE) {
    rc = begin_write(db);
    if (rc != LODE_OK) {
      end_read_if_idle(db);
      return rc;
    }
  }
  db->autocommit = 0;
  return LODE_OK;
}

static int txn_commit_stmt(Vdbe *v) {
  lode *db = v->db;
  int rc;
  if (db->autocommit) return conn_error(db, LODE_ERROR, "cannot commit - no transaction is active");
  if (db->txn == CONN_TXN_WRITE) {
    rc = btree_commit(db->bt);
    if (rc != LODE_OK) return conn_error(db, rc, NULL); /* still inside the transaction */
    db->txn = CONN_TXN_READ;
  }
  db->autocommit = 1;
  end_read_if_idle(db);
  return LODE_OK;
}

static int txn_rollback_stmt(Vdbe *v) {
  lode *db = v->db;
  if (db->autocommit) return conn_error(db, LODE_ERROR, "cannot rollback - no transaction is active");
  if (db->txn == CONN_TXN_WRITE) {
    btree_rollback(db->bt);
    db->txn = CONN_TXN_READ;
  }
  db->autocommit = 1;
  schema_stale(db);
  end_read_if_idle(db);
  return LODE_OK;
}

int vdbe_txn_autocommit(Vdbe *v, const VdbeOp *op) {
  if (op->p1 == 0) return txn_begin_stmt(v, op);
  return op->p2 ? txn_rollback_stmt(v) : txn_commit_stmt(v);
}
