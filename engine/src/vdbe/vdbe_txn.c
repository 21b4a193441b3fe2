/*
** vdbe_txn.c — how a run of a program opens and ends transactions, and the
** transaction control opcodes: BEGIN / COMMIT / ROLLBACK (OP_AutoCommit) and
** SAVEPOINT / RELEASE / ROLLBACK TO (OP_Savepoint).
**
** The connection's state machine is described in capi/conn.h.  A run that
** executes OP_Transaction is counted once in db->nactive.  In autocommit mode
** the run that started the write transaction commits it when it halts
** successfully and rolls it back when it fails.  Inside a transaction a
** writing run holds a statement savepoint one level above the named
** savepoints (pager depth db->nsavepoint + 1), released on success and
** rolled back on failure, so a failed statement leaves the transaction as it
** found it.  When the last active run ends in autocommit mode the read
** transaction (the snapshot) ends too.
**
** How a failed run ends depends on the conflict action its Halt carried
** (v->error_action, ONCONFLICT_* of sql/ast.h; any other error counts as
** ABORT), as in SQLite:
**   ABORT     the statement's changes are undone; changes() reads 0;
**   FAIL      the changes made before the failure stay (and commit in
**             autocommit mode); changes() counts them;
**   ROLLBACK  the whole transaction rolls back and ends, savepoints too.
**
** Named savepoints.  SAVEPOINT pushes a name (starting a deferred
** transaction in autocommit mode); RELEASE pops it and everything newer, and
** commits when it pops the savepoint that started the transaction; ROLLBACK
** TO restores the database as it was at the savepoint and keeps the
** savepoint open.  Pager savepoints exist only inside a write transaction:
** SAVEPOINT opens one when the transaction already writes, and the start of
** a write transaction opens one per named savepoint (nothing has changed
** since any of them).  A rollback that may have undone schema changes marks
** the schema for reloading and, when the schema cookie it restored differs
** from the one the loaded schema has, bumps db->schema_gen so that compiled
** statements re-prepare.
**
** Several databases (main, temp, attached): each OP_Transaction names one
** (VdbeOp.db) and opens its read or write transaction; every end of a
** transaction (commit, rollback, savepoints, the statement savepoint, which
** is held at the same depth on each database the run writes) applies to
** each database in that state.  A commit commits them one after the other:
** atomic per database, as SQLite's WAL mode is.
**
** Invariants:
**  - db->dbs[i].txn == CONN_TXN_WRITE implies a b-tree write transaction is
**    open on database i, with a pager savepoint of depth j + 1 for every
**    named savepoint j; CONN_TXN_NONE implies no read transaction is open
**    there.  db->txn is the strongest state of the databases.
**  - db->nwriting counts the runs holding a statement savepoint; only the
**    first writer of a transaction opens one, and while one is held no named
**    savepoint is made or released (SQLite's "SQL statements in progress").
**  - db->nsavepoint > 0 implies db->autocommit == 0.
*/
#include "vdbe/vdbe_internal.h"
#include "vtab/vtab.h"

int vdbe_error(Vdbe *v, int rc, const char *msg) {
  if (!msg) return conn_error(v->db, rc, NULL);
  return conn_error_take(v->db, rc, util_strdup(msg));
}

/* After any rollback: the schema is reloaded at the next prepare, and
** compiled statements are expired when the restored cookie is not the one
** the loaded schema was read at (the schema they were compiled against may
** be gone, even if its cookie value comes back later).  Every database's. */
static void schema_after_rollback(lode *db) {
  for (int i = 0; i < db->ndb; i++) {
    ConnDb *d = &db->dbs[i];
    uint32_t cookie = 0;
    if (!d->schema || !d->bt) continue;
    if (btree_get_meta(d->bt, BTREE_META_SCHEMA_COOKIE, &cookie) != LODE_OK || cookie != d->schema->cookie) {
      db->schema_gen++;
      if (db->api) conn_vtab_schema_reset(db);
    }
    d->schema->loaded = 0;
  }
}

/* The transaction ended: its deferred violations and defer_foreign_keys go,
** and so does its change data capture id. */
static void fk_txn_ended(lode *db) {
  db->fk_deferred[0] = db->fk_deferred[1] = 0;
  db->defer_fks = 0;
  db->cdc_txn_id = 0;
}

/* Any count other than zero fails, as in SQLite 3.53: a negative one means
** rows were counted as mended that were never counted as broken. */
static int fk_deferred_pending(const lode *db) { return db->fk_deferred[0] + db->fk_deferred[1] != 0; }

static int fk_error(lode *db) { return conn_error(db, LODE_CONSTRAINT_FOREIGNKEY, "FOREIGN KEY constraint failed"); }

int vdbe_txn_check_fk(Vdbe *v) {
  lode *db = v->db;
  if (v->fk_violations == 0 && !(db->autocommit && v->began_write && fk_deferred_pending(db))) return LODE_OK;
  v->error_action = ONCONFLICT_ABORT;
  return fk_error(db);
}

static int begin_read(lode *db, int i) {
  int rc;
  if (i == CONN_DB_TEMP && (rc = conn_db_open_temp(db)) != LODE_OK) return rc;
  ConnDb *d = &db->dbs[i];
  if (d->txn != CONN_TXN_NONE) return LODE_OK;
  rc = btree_begin_read(d->bt);
  if (rc == LODE_OK) d->txn = CONN_TXN_READ;
  conn_txn_sync(db);
  return rc;
}

/* Ends the read transactions when nothing needs them any more. */
static void end_read_if_idle(lode *db) {
  if (!db->autocommit || db->nactive > 0 || db->txn == CONN_TXN_NONE) return;
  for (int i = 0; i < db->ndb; i++) {
    ConnDb *d = &db->dbs[i];
    if (!d->bt || d->txn == CONN_TXN_NONE) continue;
    if (d->txn == CONN_TXN_WRITE) btree_rollback(d->bt); /* a writer that never halted */
    btree_end_read(d->bt);
    d->txn = CONN_TXN_NONE;
  }
  db->txn = CONN_TXN_NONE;
}

/* Opens database i's write transaction (upgrading the read one), with the
** pager savepoints of the named savepoints made before it. */
static int begin_write(lode *db, int i) {
  int rc, j;
  if (i == CONN_DB_TEMP && (rc = conn_db_open_temp(db)) != LODE_OK) return rc;
  ConnDb *d = &db->dbs[i];
  if (d->txn == CONN_TXN_WRITE) return LODE_OK;
  if (i == CONN_DB_MAIN ? db->readonly : d->readonly) return conn_error(db, LODE_READONLY, NULL);
  if (d->txn == CONN_TXN_NONE) {
    /* Read and write transaction together, so that the pager waits out a
    ** writer of another connection (busy_timeout) instead of failing at once. */
    rc = btree_begin_write(d->bt);
    if (rc == LODE_OK) d->txn = CONN_TXN_READ;
    else btree_end_read(d->bt);
  } else {
    rc = btree_begin_write(d->bt);
  }
  for (j = 0; rc == LODE_OK && j < db->nsavepoint; j++) {
    rc = btree_savepoint_begin(d->bt, j + 1);
    if (rc != LODE_OK) btree_rollback(d->bt);
  }
  if (rc != LODE_OK) {
    conn_txn_sync(db);
    return conn_error(db, rc, NULL);
  }
  d->txn = CONN_TXN_WRITE;
  db->txn = CONN_TXN_WRITE;
  return LODE_OK;
}

/* Every database writing: commit (stops at the first failure, which leaves
** that one and those after it open) or roll back. */
static int commit_all(lode *db) {
  for (int i = 0; i < db->ndb; i++) {
    ConnDb *d = &db->dbs[i];
    if (!d->bt || d->txn != CONN_TXN_WRITE) continue;
    int rc = btree_commit(d->bt);
    if (rc != LODE_OK) return rc;
    d->txn = CONN_TXN_READ;
  }
  conn_txn_sync(db);
  return LODE_OK;
}

static void rollback_all(lode *db) {
  for (int i = 0; i < db->ndb; i++) {
    ConnDb *d = &db->dbs[i];
    if (!d->bt || d->txn != CONN_TXN_WRITE) continue;
    btree_rollback(d->bt);
    d->txn = CONN_TXN_READ;
  }
  conn_txn_sync(db);
}

static void rollback_txn(lode *db);

/* Ends the transaction with a commit.  On failure the transaction (and its
** savepoints) stays open. */
static int commit_txn(lode *db) {
  int rc;
  if (db->txn == CONN_TXN_WRITE) {
    if (db->api && (rc = conn_vtab_sync(db)) != LODE_OK) return rc;
    if (db->api && conn_hook_commit(db)) {
      rollback_txn(db);
      return conn_error(db, LODE_CONSTRAINT_COMMITHOOK, NULL);
    }
    rc = commit_all(db);
    if (rc != LODE_OK) return conn_error(db, rc, NULL);
  }
  if (db->api) conn_vtab_end(db, 1);
  db->autocommit = 1;
  conn_savepoints_pop(db, 0);
  fk_txn_ended(db);
  end_read_if_idle(db);
  return LODE_OK;
}

/* Ends the transaction with a rollback. */
static void rollback_txn(lode *db) {
  if (db->txn == CONN_TXN_WRITE) {
    rollback_all(db);
    if (db->api) conn_hook_rollback(db);
  }
  if (db->api) conn_vtab_end(db, 0);
  db->autocommit = 1;
  conn_savepoints_pop(db, 0);
  fk_txn_ended(db);
  schema_after_rollback(db);
  end_read_if_idle(db);
}

int vdbe_txn_begin(Vdbe *v, const VdbeOp *op) {
  lode *db = v->db;
  int rc, i = op->db;
  if (i < 0 || i >= db->ndb) return LODE_SCHEMA; /* a database detached since the compile */
  if (!v->counted) {
    /* A writer without a transaction opens both at once (see begin_write). */
    int write_first = op->p2 && (db->dbs[i].bt == NULL || db->dbs[i].txn == CONN_TXN_NONE);
    rc = write_first ? begin_write(db, i) : begin_read(db, i);
    if (rc != LODE_OK) {
      end_read_if_idle(db);
      return write_first ? rc : conn_error(db, rc, NULL);
    }
    if (write_first && db->autocommit) v->began_write = 1;
    db->nactive++;
    v->counted = 1;
    v->write_gen_at_begin = v->write_gen;
    v->fk_violations = 0;
    v->fk_deferred_at_start[0] = db->fk_deferred[0];
    v->fk_deferred_at_start[1] = db->fk_deferred[1];
  } else if ((rc = begin_read(db, i)) != LODE_OK) {
    return conn_error(db, rc, NULL);
  }
  ConnDb *d = &db->dbs[i];
  if (op->p2) {
    if (db->settings[CONN_SET_QUERY_ONLY]) return conn_error(db, LODE_READONLY, NULL);
    if (d->txn != CONN_TXN_WRITE) {
      if ((rc = begin_write(db, i)) != LODE_OK) return rc;
      if (db->autocommit) v->began_write = 1;
    }
    /* p2 = 2: the program changes all or nothing by itself (one row).  A
    ** statement savepoint is held on every database the run writes. */
    if (!db->autocommit && op->p2 != 2 && !(v->stmt_sp_dbs & (1u << i)) && (v->stmt_sp || db->nwriting == 0)) {
      int depth = v->stmt_sp ? v->stmt_sp : db->nsavepoint + 1;
      rc = btree_savepoint_begin(d->bt, depth);
      if (rc != LODE_OK) return conn_error(db, rc, NULL);
      if (!v->stmt_sp) db->nwriting++;
      v->stmt_sp = depth;
      v->stmt_sp_dbs |= 1u << i;
    }
  }
  if (op->p5 == 1) {
    uint32_t cookie = 0;
    rc = btree_get_meta(d->bt, BTREE_META_SCHEMA_COOKIE, &cookie);
    if (rc != LODE_OK) return conn_error(db, rc, NULL);
    /* capi re-prepares: no user-visible error */
    if (cookie != (uint32_t)op->p3 || v->schema_gen != db->schema_gen) return LODE_SCHEMA;
  }
  return LODE_OK;
}

/* The statement savepoint on every database holding it: released, or
** rolled back and released. */
static int stmt_sp_release(Vdbe *v, int undo) {
  lode *db = v->db;
  int rc = LODE_OK;
  for (int i = 0; i < db->ndb; i++) {
    if (!(v->stmt_sp_dbs & (1u << i)) || !db->dbs[i].bt) continue;
    if (undo) btree_savepoint_rollback(db->dbs[i].bt, v->stmt_sp);
    int r = btree_savepoint_release(db->dbs[i].bt, v->stmt_sp);
    if (rc == LODE_OK) rc = r;
  }
  return rc;
}

/* The run succeeded, or failed under FAIL: its changes stay. */
static int end_keep(Vdbe *v) {
  lode *db = v->db;
  int rc = LODE_OK;
  if (v->stmt_sp) rc = stmt_sp_release(v, 0);
  if (v->vtab_sp && rc == LODE_OK && db->api) rc = conn_vtab_savepoint(db, VTAB_TXN_RELEASE, v->vtab_sp - 1);
  if (rc == LODE_OK && db->autocommit && v->began_write && db->txn == CONN_TXN_WRITE) {
    if (db->api && (rc = conn_vtab_sync(db)) != LODE_OK) {
      /* the module's message stays on the connection */
    } else {
      rc = db->api && conn_hook_commit(db) ? LODE_CONSTRAINT_COMMITHOOK : commit_all(db);
    }
    if (rc != LODE_OK) {
      rollback_all(db);
      schema_after_rollback(db);
      if (db->api) conn_hook_rollback(db);
    }
    if (db->api) conn_vtab_end(db, rc == LODE_OK);
  }
  return rc;
}

/* The run failed: undo the statement, or the whole transaction under
** ROLLBACK. */
static void end_undo(Vdbe *v, int action) {
  lode *db = v->db;
  if (db->autocommit) {
    if (v->began_write && db->txn == CONN_TXN_WRITE) {
      rollback_all(db);
      schema_after_rollback(db);
      if (db->api) conn_hook_rollback(db);
      if (db->api) conn_vtab_end(db, 0);
    }
  } else if (action == ONCONFLICT_ROLLBACK) {
    rollback_txn(db);
  } else if (v->stmt_sp) {
    stmt_sp_release(v, 1);
    if (v->vtab_sp && db->api) {
      conn_vtab_savepoint(db, VTAB_TXN_ROLLBACK_TO, v->vtab_sp - 1);
      conn_vtab_savepoint(db, VTAB_TXN_RELEASE, v->vtab_sp - 1);
    }
    if (!v->fk_keeps_deferred) {
      db->fk_deferred[0] = v->fk_deferred_at_start[0];
      db->fk_deferred[1] = v->fk_deferred_at_start[1];
    }
    schema_after_rollback(db);
  } else if (v->write_gen != v->write_gen_at_begin && db->txn == CONN_TXN_WRITE) {
    /* It wrote and has no savepoint to undo that with: only the whole
    ** transaction can be undone (SQLite does the same without a statement journal). */
    rollback_txn(db);
  }
}

static void count_changes(lode *db, int64_t n, int64_t nested) {
  db->changes = n;
  db->total_changes += n + nested;
}

int vdbe_txn_end(Vdbe *v, int rc, int quiet) {
  lode *db = v->db;
  int action = rc == LODE_OK ? ONCONFLICT_ABORT : v->error_action;
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
  if (db->autocommit) fk_txn_ended(db);
  v->began_write = 0;
  v->counted = 0;
  db->nactive--;
  assert(db->nactive >= 0);
  end_read_if_idle(db);
  return rc;
}

/* ---- BEGIN / COMMIT / ROLLBACK ------------------------------------------------ */

static int txn_begin_stmt(Vdbe *v, const VdbeOp *op) {
  lode *db = v->db;
  int rc;
  if (!db->autocommit) return conn_error(db, LODE_ERROR, "cannot start a transaction within a transaction");
  if (op->p3 == TXN_IMMEDIATE || op->p3 == TXN_EXCLUSIVE) {
    /* Every open database: the temp one only once it exists. */
    for (int i = 0; i < db->ndb; i++) {
      if (!db->dbs[i].bt || (i == CONN_DB_MAIN ? db->readonly : db->dbs[i].readonly)) continue;
      rc = begin_write(db, i);
      if (rc != LODE_OK) {
        rollback_all(db);
        end_read_if_idle(db);
        return rc;
      }
    }
  }
  db->autocommit = 0;
  return LODE_OK;
}

int vdbe_txn_autocommit(Vdbe *v, const VdbeOp *op) {
  lode *db = v->db;
  if (op->p1 == 0) return txn_begin_stmt(v, op);
  if (!op->p2) {
    if (db->autocommit) return conn_error(db, LODE_ERROR, "cannot commit - no transaction is active");
    if (fk_deferred_pending(db)) return fk_error(db); /* the transaction stays open */
    return commit_txn(db);
  }
  if (db->autocommit) return conn_error(db, LODE_ERROR, "cannot rollback - no transaction is active");
  rollback_txn(db);
  return LODE_OK;
}

/* ---- SAVEPOINT / RELEASE / ROLLBACK TO ---------------------------------------- */

static int savepoint_begin(lode *db, const char *name) {
  int rc;
  if (db->nwriting > 0) return conn_error(db, LODE_BUSY, "cannot open savepoint - SQL statements in progress");
  rc = conn_savepoint_push(db, name);
  for (int j = 0; rc == LODE_OK && j < db->ndb; j++) {
    if (db->dbs[j].txn != CONN_TXN_WRITE) continue;
    rc = btree_savepoint_begin(db->dbs[j].bt, db->nsavepoint);
    if (rc != LODE_OK) {
      for (int k = 0; k < j; k++)
        if (db->dbs[k].txn == CONN_TXN_WRITE) btree_savepoint_release(db->dbs[k].bt, db->nsavepoint);
      conn_savepoints_pop(db, db->nsavepoint - 1);
    }
  }
  if (rc != LODE_OK) return conn_error(db, rc, NULL);
  if (db->autocommit) {
    db->autocommit = 0;
    db->txn_savepoint = 1;
  }
  int vi = db->nsavepoint - 1 - db->txn_savepoint;
  return db->api && vi >= 0 ? conn_vtab_savepoint(db, VTAB_TXN_SAVEPOINT, vi) : LODE_OK;
}

static int savepoint_release(lode *db, int i) {
  int rc = LODE_OK;
  if (db->nwriting > 0) return conn_error(db, LODE_BUSY, "cannot release savepoint - SQL statements in progress");
  if (i == 0 && db->txn_savepoint) return fk_deferred_pending(db) ? fk_error(db) : commit_txn(db);
  for (int j = 0; j < db->ndb; j++) {
    if (db->dbs[j].txn != CONN_TXN_WRITE) continue;
    int r = btree_savepoint_release(db->dbs[j].bt, i + 1);
    if (rc == LODE_OK) rc = r;
  }
  if (rc != LODE_OK) return conn_error(db, rc, NULL);
  if (db->api && (rc = conn_vtab_savepoint(db, VTAB_TXN_RELEASE, i - db->txn_savepoint)) != LODE_OK) return rc;
  conn_savepoints_pop(db, i);
  return LODE_OK;
}

/* A rollback that could not put every page back leaves the transaction in
** no known state: it is rolled back as a whole. */
static int savepoint_rollback(lode *db, int i) {
  int rc = LODE_OK;
  if (db->txn == CONN_TXN_WRITE) {
    for (int j = 0; rc == LODE_OK && j < db->ndb; j++)
      if (db->dbs[j].txn == CONN_TXN_WRITE) rc = btree_savepoint_rollback(db->dbs[j].bt, i + 1);
    if (rc != LODE_OK) {
      rollback_txn(db);
      return conn_error(db, rc, NULL);
    }
    schema_after_rollback(db);
  }
  if (db->api && (rc = conn_vtab_savepoint(db, VTAB_TXN_ROLLBACK_TO, i - db->txn_savepoint)) != LODE_OK) return rc;
  db->fk_deferred[0] = db->savepoint_fk[2 * i];
  db->fk_deferred[1] = db->savepoint_fk[2 * i + 1];
  conn_savepoints_pop(db, i + 1);
  return LODE_OK;
}

int vdbe_txn_savepoint(Vdbe *v, const VdbeOp *op) {
  lode *db = v->db;
  const char *name = op->p4.z;
  int i;
  if (op->p1 == SAVEPOINT_BEGIN) return savepoint_begin(db, name);
  i = conn_savepoint_find(db, name);
  if (i < 0) return conn_error(db, LODE_ERROR, "no such savepoint: %s", name);
  return op->p1 == SAVEPOINT_RELEASE ? savepoint_release(db, i) : savepoint_rollback(db, i);
}
