/*
** conn.h — the connection object (struct lode) shared by capi, codegen and
** the VM.  Only these three layers include it.
**
** Transaction state machine (autocommit = 1 unless BEGIN is active), per
** database of the connection (ConnDb.txn; txn is the strongest of them):
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

/* PRAGMA settings that are a plain value kept on the connection (name,
** SQLite's default, kind).  BOOL: set from on/off/yes/no/true/false/N, set
** returns no row.  INT: set returns the value now in force.  Those with an
** effect are read where it applies: automatic_index by the planner,
** ignore_check_constraints by the row-change code, query_only by
** OP_Transaction, wal_autocheckpoint by the pager; the others are
** remembered and reported, as sqlite3 reports them. */
#define CONN_SETTING_BOOL 0
#define CONN_SETTING_INT 1
#define CONN_SETTINGS(X)                                   \
  X(ANALYSIS_LIMIT, "analysis_limit", 0, INT)              \
  X(AUTOMATIC_INDEX, "automatic_index", 1, BOOL)           \
  X(CELL_SIZE_CHECK, "cell_size_check", 0, BOOL)           \
  X(CHECKPOINT_FULLFSYNC, "checkpoint_fullfsync", 0, BOOL) \
  X(COUNT_CHANGES, "count_changes", 0, BOOL)               \
  X(EMPTY_RESULT_CALLBACKS, "empty_result_callbacks", 0, BOOL) \
  X(FULL_COLUMN_NAMES, "full_column_names", 0, BOOL)       \
  X(FULLFSYNC, "fullfsync", 0, BOOL)                       \
  X(HARD_HEAP_LIMIT, "hard_heap_limit", 0, INT)            \
  X(IGNORE_CHECK_CONSTRAINTS, "ignore_check_constraints", 0, BOOL) \
  X(JOURNAL_SIZE_LIMIT, "journal_size_limit", -1, INT)     \
  X(LEGACY_ALTER_TABLE, "legacy_alter_table", 0, BOOL)     \
  X(MMAP_SIZE, "mmap_size", 0, INT)                        \
  X(QUERY_ONLY, "query_only", 0, BOOL)                     \
  X(READ_UNCOMMITTED, "read_uncommitted", 0, BOOL)         \
  X(REVERSE_UNORDERED_SELECTS, "reverse_unordered_selects", 0, BOOL) \
  X(SECURE_DELETE, "secure_delete", 0, BOOL)               \
  X(SHORT_COLUMN_NAMES, "short_column_names", 1, BOOL)     \
  X(SOFT_HEAP_LIMIT, "soft_heap_limit", 0, INT)            \
  X(TEMP_STORE, "temp_store", 0, INT)                      \
  X(THREADS, "threads", 0, INT)                            \
  X(TRUSTED_SCHEMA, "trusted_schema", 1, BOOL)             \
  X(WAL_AUTOCHECKPOINT, "wal_autocheckpoint", 1000, INT)   \
  X(WRITABLE_SCHEMA, "writable_schema", 0, BOOL)

#define CONN_SETTING_ENUM(id, name, dflt, kind) CONN_SET_##id,
enum { CONN_SETTINGS(CONN_SETTING_ENUM) CONN_SETTING_COUNT };
#undef CONN_SETTING_ENUM

typedef struct ConnSettingInfo {
  const char *name;
  int64_t dflt;
  int kind; /* CONN_SETTING_BOOL / _INT */
} ConnSettingInfo;
extern const ConnSettingInfo conn_setting_info[CONN_SETTING_COUNT];
/* The index of the setting called name (case-insensitive), or -1. */
int conn_setting_find(const char *name);

/* A finalized statement keeps its memory (vdbe NULL) on a list of handles
** for reuse, and a closed connection its struct (magic CONN_MAGIC_CLOSED),
** so that a call with a stale handle is refused with LODE_MISUSE instead of
** touching freed memory. */
struct lode_stmt {
  lode *db;
  Vdbe *vdbe;      /* NULL once finalized */
  lode_stmt *next; /* the connection's list of live statements (a finalized one: the reuse list) */
  lode_stmt *prev;
  int on_row;      /* the last step returned LODE_ROW: the column accessors have a row */
  int step_error;  /* the failure of the last step before the VM ran (re-preparing), for reset to report */
  int64_t trace_start_ns; /* sqlite3 API tracing: when the current run started (0: not traced yet) */
  void *text16;    /* sqlite3 API: UTF-16 copies of the row's texts and the column names (capi/utf16.c) */
};

/* The databases of a connection, SQLite's numbering: 0 main, 1 temp, 2..
** the attached ones in ATTACH order (DETACH closes the gap).  Each has its
** own pager, b-tree, schema (and so its own schema cookie) and transaction
** state.  The temp database is private to the connection and opened on
** first use (bt NULL until then): in memory.  A transaction spans every
** database a statement touched; each commits on its own (per database
** atomicity, as SQLite's WAL mode gives). */
#define CONN_DB_MAIN 0
#define CONN_DB_TEMP 1
#define CONN_MAX_ATTACHED 10
#define CONN_MAX_DB (2 + CONN_MAX_ATTACHED)
typedef struct ConnDb {
  char *name;     /* util_malloc'd: "main", "temp" or the ATTACH name */
  char *path;     /* util_malloc'd file name as sqlite3_db_filename gives it ("" in memory) */
  Pager *pager;   /* NULL: temp not opened yet */
  Btree *bt;
  Schema *schema;
  int txn;        /* CONN_TXN_* of this database */
  int readonly;
} ConnDb;

#define CONN_MAGIC_OPEN 0x4c6f6465u   /* "Lode" */
#define CONN_MAGIC_CLOSED 0x64656164u /* "dead" */

struct lode {
  uint32_t magic; /* CONN_MAGIC_OPEN from open until close */
  Pager *pager;     /* main's: dbs[0].pager, .bt, .schema */
  Btree *bt;
  Schema *schema;
  ConnDb dbs[CONN_MAX_DB];
  int ndb;          /* 2 + attached databases */
  int open_uri;       /* opened with LODE_OPEN_URI: ATTACH reads file: names as URIs too */
  /* TEMP triggers stay on the table they were created on (SQLite binds
  ** them then), even when a TEMP table of that name comes later; after a
  ** DETACH of its database one is on no table (-2): trigger name →
  ** database, set by CREATE TRIGGER. */
  struct ConnTriggerBind {
    char *name;
    int db;
  } *trigger_binds;
  int ntrigger_binds;
  int readonly;     /* opened read-only */
  int autocommit;   /* 0 between BEGIN and COMMIT/ROLLBACK */
  int txn;          /* CONN_TXN_* */
  int nactive;      /* statements that started (OP_Transaction) and have not halted/reset */
  int nvdestroy;    /* of those, the ones inside a virtual table's xDestroy (OP_VDestroy) */
  int nwriting;     /* active statements holding a statement savepoint */
  char **savepoints; /* named savepoints, oldest first (util_malloc'd names) */
  int nsavepoint, savepoint_cap;
  int txn_savepoint; /* savepoints[0] began the transaction: releasing it commits */
  uint32_t schema_gen; /* bumped when a rollback may have undone schema changes */
  int errcode;      /* extended code of the last failure (LODE_OK after success) */
  char *errmsg;     /* util_malloc'd; NULL → lode_errstr(errcode) */
  int err_offset;   /* byte offset in the failing statement's text of what errmsg names; -1 */
  int64_t changes;
  int64_t total_changes;
  int64_t last_rowid;
  lode_stmt *stmts; /* live prepared statements */
  FuncRegistry *funcs; /* the connection's own functions (vector search, …), before the built-ins */
  CollSet *colls;      /* the connection's collation functions (value/collation.c); NULL until one is defined */
  char *path;
  /* PRAGMA settings kept on the connection (zeroed at open). */
  int cache_size_set;  /* 0: cache_size is SQLite's default, CONN_DEFAULT_CACHE_SIZE */
  int64_t cache_size;  /* as PRAGMA cache_size last set it */
  int busy_timeout;    /* ms, from PRAGMA busy_timeout */
  int limits[LODE_NLIMITS]; /* lode_limit's values (SQLite's maximums unless lowered) */
  int64_t settings[CONN_SETTING_COUNT]; /* the plain PRAGMA values (CONN_SETTINGS), SQLite's defaults at open */
  /* Foreign keys: PRAGMA foreign_keys and defer_foreign_keys (the latter
  ** ends with the transaction), and the violations of deferred constraints
  ** the transaction has made and not fixed: [0] deferred ones, [1] immediate
  ** ones counted as deferred under defer_foreign_keys.  COMMIT fails while
  ** either is positive; a rollback restores what they were at the start of
  ** the statement, the savepoint (savepoint_fk, two per savepoint) or the
  ** transaction (0). */
  int foreign_keys;
  int defer_fks;
  int64_t fk_deferred[2];
  int64_t *savepoint_fk;
  int recursive_triggers; /* PRAGMA recursive_triggers: a trigger may fire itself (compiled into programs) */
  /* Change data capture (codegen/cdc.c): the mode PRAGMA capture_data_changes_conn set (CONN_CDC_*, compiled
  ** into programs: setting it expires them), the table the records go to (util_malloc'd, NULL when off), and
  ** the transaction's id — the change_id of its first record, 0 until one is written; it ends with the
  ** transaction. */
  int cdc_mode;
  char *cdc_table;
  int64_t cdc_txn_id;
  /* Set by lode_interrupt (maybe from a signal handler), read by the VM at
  ** its loop jumps; cleared when a statement starts with none active. */
  atomic_int interrupted;
  struct ConnApi *api; /* sqlite3.h state (capi/api.h): hooks, handlers, limits; NULL until one is set */
};

#define CONN_DEFAULT_CACHE_SIZE (-2000)

/* Change data capture modes: what a record holds besides the row's id. */
#define CONN_CDC_OFF 0
#define CONN_CDC_ID 1
#define CONN_CDC_BEFORE 2 /* the row before an update or delete */
#define CONN_CDC_AFTER 3  /* the row after an insert or update */
#define CONN_CDC_FULL 4   /* both, and an update's changed columns */



/* Records an error on the connection (message printf-style; fmt NULL → the
** default text of rc).  Returns rc. */
int conn_error(lode *db, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Takes a util_malloc'd message. */
int conn_error_take(lode *db, int rc, char *msg);
/* VACUUM INTO's target name: a plain path, or a "file:" URI whose cipher=
** and hexkey= ask for an encrypted copy (uri.c).  Fills the util_malloc'd
** *path, *cipher, *hexkey (NULL when absent); on error *err says why. */
int conn_parse_target(const char *name, char **path, char **cipher, char **hexkey, char **err);
void conn_clear_error(lode *db);
void conn_limits_init(lode *db); /* every limit at SQLite's maximum */
int conn_limit_max(int id);      /* the maximum of limit id, -1 for none */

/* The savepoint name stack: pop down to keep entries (0 also clears
** txn_savepoint); push a copy of name (LODE_NOMEM); find the newest entry
** named name, case-insensitively (ASCII) as SQLite does, or -1. */
void conn_savepoints_pop(lode *db, int keep);
int conn_savepoint_push(lode *db, const char *name);
int conn_savepoint_find(const lode *db, const char *name);

/* Handles: new zeroed ones (NULL on oom), reusing released ones; a released
** connection keeps magic CONN_MAGIC_CLOSED until it is reused. */
lode *conn_alloc(void);
void conn_release(lode *db);
lode_stmt *conn_stmt_alloc(void);
void conn_stmt_release(lode_stmt *s);

/* The index of the database called name ("main", "temp", an attached
** name; case-insensitive), or -1. */
int conn_db_find(const lode *db, const char *name);
/* Opens the temp database if it is not open yet. */
int conn_db_open_temp(lode *db);
/* Attaches the database file path (sqlite3_open's names, ":memory:", ""
** and file: URIs) as name; detaches name.  SQLite's messages on failure. */
int conn_db_attach(lode *db, const char *path, const char *name);
int conn_db_detach(lode *db, const char *name);
/* The database a TEMP trigger named name was bound to at its creation
** (-1: none known); record (LODE_NOMEM on failure) or replace one. */
int conn_trigger_bound(const lode *db, const char *name);
int conn_trigger_bind(lode *db, const char *name, int dbi);
/* Closes every database but main (at close). */
void conn_db_close_all(lode *db);
/* db->txn from the databases' states (the strongest). */
void conn_txn_sync(lode *db);
/* Registers the change data capture functions that read the schema
** (table_columns_json_array, capi/cdc_funcs.c) into db->funcs. */
int conn_cdc_register(lode *db);

/* Makes sure the in-memory schema matches the file (loads it if the cookie
** changed).  Needs (and opens if necessary) a read transaction. */
int conn_ensure_schema(lode *db);

/* The hooks of the sqlite3 API (capi/hooks.c).  Callers test db->api
** first, so that a connection without hooks pays one load.  commit returns
** nonzero when the hook turns the commit into a rollback; progress nonzero
** when the handler asks the statement to stop (as an interrupt). */
#define CONN_HOOK_DELETE 9  /* SQLITE_DELETE */
#define CONN_HOOK_INSERT 18 /* SQLITE_INSERT */
#define CONN_HOOK_UPDATE 23 /* SQLITE_UPDATE */
int conn_hook_commit(lode *db);
void conn_hook_rollback(lode *db);
void conn_hook_update(lode *db, int op, int dbi, uint32_t root, int64_t rowid); /* dbi: ConnDb index */
int conn_hook_progress(lode *db);

/* Application virtual tables (capi/vtab_api.c), for codegen and the VM.
** Called only when db->api is set (a module registration sets it).
** conn_vtab_table: the module serving virtual table t, connected on first
** use (which gives t its declared columns); an error's message in *errmsg
** (util_malloc'd, e.g. "no such module: m").  conn_vtab_eponymous: an
** application module of that name usable as a table by its name, connected
** (NULL: none; *errmsg set when connecting failed).  conn_vtab_find: the VM's
** lookup of a compiled statement's module (kind 1: a table's, 2: an
** eponymous one).  conn_vtab_create / _destroy: xCreate and xDestroy of the
** named table (CREATE VIRTUAL TABLE, DROP TABLE).  conn_vtab_begin (level: the named savepoints open): m's table
** takes part in the transaction (xBegin once).  conn_vtab_sync before the
** commit, conn_vtab_end after it (commit 1) or after a rollback (0).
** conn_vtab_savepoint: a named savepoint's step (VTAB_TXN_SAVEPOINT,
** _RELEASE, _ROLLBACK_TO) at depth i for the tables in the transaction.
** conn_vtab_rename: xRename before ALTER TABLE t RENAME TO new_name. */
struct VtabModule;
#define CONN_VTAB_TABLE 1
#define CONN_VTAB_EPONYMOUS 2
int conn_vtab_table(lode *db, Table *t, const struct VtabModule **out, char **errmsg);
const struct VtabModule *conn_vtab_eponymous(lode *db, const char *name, char **errmsg);
const struct VtabModule *conn_vtab_find(lode *db, const char *name, int kind);
int conn_vtab_create(lode *db, const char *name);
int conn_vtab_destroy(lode *db, const char *name);
int conn_vtab_begin(lode *db, const struct VtabModule *m, int level);
int conn_vtab_sync(lode *db);
void conn_vtab_end(lode *db, int commit);
int conn_vtab_savepoint(lode *db, int op, int i);
int conn_vtab_rename(lode *db, const char *name, const char *new_name);
/* A rollback undid schema changes: tables are connected again at their next use. */
void conn_vtab_schema_reset(lode *db);

#endif /* LODE_CONN_H */
