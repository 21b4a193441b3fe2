/*
** conn.h — the connection object (struct lode) shared by capi, codegen and
** the VM.  Only these three layers include it.
**
** Transaction state machine (autocommit = 1 unless BEGIN is active):
**   none → read (first statement that reads) → write (first that writes).
** In autocommit mode a statement's write transaction commits when it halts
** successfully and rolls back when it fails; the read transaction ends when
** no statement of the connection is active any more (nactive == 0).  Inside
** BEGIN…COMMIT a failing statement rolls back only its own changes
** (statement savepoint) and the transaction stays open.
**
** Named savepoints (SAVEPOINT / RELEASE / ROLLBACK TO, vdbe_txn.c) form a
** stack, savepoints[0] the oldest.  SAVEPOINT in autocommit mode starts a
** transaction (autocommit = 0, txn_savepoint = 1): releasing savepoints[0]
** then commits it.  savepoints[i] is the pager savepoint of depth i + 1,
** opened when the savepoint is made during a write transaction, or for all
** of them when the write transaction starts later; a statement's savepoint
** goes just above them (depth nsavepoint + 1).  COMMIT, ROLLBACK and any
** other end of the transaction empty the stack.
**
** Schema generation: a rollback (of a transaction, a statement or to a
** savepoint) can bring back a schema cookie whose value other, discarded
** schema changes also had.  Statements compiled before such a rollback are
** recognised by schema_gen, which the rollback bumps, and are re-prepared.
*/
#ifndef LODE_CONN_H
#define LODE_CONN_H

#include <stdatomic.h>
#include <stdint.h>

#include "btree/btree.h"
#include "func/func.h"
#include "lode.h"
#include "sql/schema.h"
#include "vdbe/vdbe.h"

#define CONN_TXN_NONE 0
#define CONN_TXN_READ 1
#define CONN_TXN_WRITE 2

struct lode_stmt {
  lode *db;
  Vdbe *vdbe;
  lode_stmt *next; /* the connection's list of live statements */
  lode_stmt *prev;
};

struct lode {
  Pager *pager;
  Btree *bt;
  Schema *schema;
  int readonly;     /* opened read-only */
  int autocommit;   /* 0 between BEGIN and COMMIT/ROLLBACK */
  int txn;          /* CONN_TXN_* */
  int nactive;      /* statements that started (OP_Transaction) and have not halted/reset */
  int nwriting;     /* active statements holding a statement savepoint */
  char **savepoints; /* named savepoints, oldest first (util_malloc'd names) */
  int nsavepoint, savepoint_cap;
  int txn_savepoint; /* savepoints[0] began the transaction: releasing it commits */
  uint32_t schema_gen; /* bumped when a rollback may have undone schema changes */
  int errcode;      /* extended code of the last failure (LODE_OK after success) */
  char *errmsg;     /* util_malloc'd; NULL → lode_errstr(errcode) */
  int64_t changes;
  int64_t total_changes;
  int64_t last_rowid;
  lode_stmt *stmts; /* live prepared statements */
  FuncRegistry *funcs; /* the connection's own functions (vector search, …), before the built-ins */
  char *path;
  /* PRAGMA settings kept on the connection (zeroed at open). */
  int cache_size_set;  /* 0: cache_size is SQLite's default, CONN_DEFAULT_CACHE_SIZE */
  int64_t cache_size;  /* as PRAGMA cache_size last set it */
  int busy_timeout;    /* ms, from PRAGMA busy_timeout */
  int recursive_triggers; /* PRAGMA recursive_triggers: a trigger may fire itself (compiled into programs) */
  /* Set by lode_interrupt (maybe from a signal handler), read by the VM at
  ** its loop jumps; cleared when a statement starts with none active. */
  atomic_int interrupted;
};

#define CONN_DEFAULT_CACHE_SIZE (-2000)

/* Records an error on the connection (message printf-style; fmt NULL → the
** default text of rc).  Returns rc. */
int conn_error(lode *db, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Takes a util_malloc'd message. */
int conn_error_take(lode *db, int rc, char *msg);
void conn_clear_error(lode *db);

/* The savepoint name stack: pop down to keep entries (0 also clears
** txn_savepoint); push a copy of name (LODE_NOMEM); find the newest entry
** named name, case-insensitively (ASCII) as SQLite does, or -1. */
void conn_savepoints_pop(lode *db, int keep);
int conn_savepoint_push(lode *db, const char *name);
int conn_savepoint_find(const lode *db, const char *name);

/* Makes sure the in-memory schema matches the file (loads it if the cookie
** changed).  Needs (and opens if necessary) a read transaction. */
int conn_ensure_schema(lode *db);

#endif /* LODE_CONN_H */
