/*
** conn.h — the conn module: the connection object (struct lode) with its
** databases (main, temp, attached: conn_db.c), their opening (file names
** and URIs: uri.c) and schema loading, its settings, errors and savepoint
** stack (conn.c), and the transaction state machine over the transaction
** interface (txn.c).  Below the VM and codegen, which read and drive it;
** above btree and pager, which it opens: transactions reach them only
** through the interface, settings, checkpoints, keys and page images
** through settings.c, storage.c and image.c.  The C API above installs its
** hooks as upcalls (ConnUpcalls).
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
** Named savepoints (SAVEPOINT / RELEASE / ROLLBACK TO, txn.c) form a
** stack, savepoints[0] the oldest.  SAVEPOINT in autocommit mode starts a
** transaction (autocommit = 0, txn_savepoint = 1): releasing savepoints[0]
** then commits it.  savepoints[i] is the interface's savepoint of depth i + 1,
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

#define CONN_TXN_NONE 0
#define CONN_TXN_READ 1
#define CONN_TXN_WRITE 2

/* PRAGMA settings that are a plain value kept on the connection (name,
** SQLite's default, kind).  BOOL: set from on/off/yes/no/true/false/N, set
** returns no row.  INT: set returns the value now in force.  Those with an
** effect are read where it applies: automatic_index by the planner,
** ignore_check_constraints by the row-change code, query_only by
** OP_Transaction, wal_autocheckpoint by the pager, vector_ann_ef_search
** (Lode's: the search width of vector_ann queries, 0 for each index's
** ef_search) by OP_IdxmQuery; the others are
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
  X(VECTOR_ANN_EF_SEARCH, "vector_ann_ef_search", 0, INT)  \
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
struct ConnTxnOps;
typedef struct ConnDb {
  const struct ConnTxnOps *ops; /* the transaction interface serving this database */
  char *name;     /* util_malloc'd: "main", "temp" or the ATTACH name */
  char *path;     /* util_malloc'd file name as sqlite3_db_filename gives it ("" in memory) */
  Pager *pager;   /* NULL: temp not opened yet */
  Btree *bt;
  Schema *schema;
  int txn;        /* CONN_TXN_* of this database */
  int readonly;
  struct ConnMv *mv; /* a file database's MVCC state (mvcc.c), else NULL */
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
  int open_flags;   /* the flags it was opened with, before a URI's mode narrowed them: ATTACH's limit */
  int autocommit;   /* 0 between BEGIN and COMMIT/ROLLBACK */
  int txn;          /* CONN_TXN_* */
  int nactive;      /* statements that started (OP_Transaction) and have not halted/reset */
  int nvdestroy;    /* of those, the ones inside a virtual table's xDestroy (OP_VDestroy) */
  int nwriting;     /* active statements holding a statement savepoint */
  /* Open incremental-blob handles (sqlite3_blob_open), and of those the
  ** writable ones: SQLite runs each as a statement that stays active, so
  ** they count as statements in progress (and writers) for COMMIT,
  ** SAVEPOINT, RELEASE and VACUUM. */
  int nblobs, nblob_writers;
  /* The rows those handles are on: a write or delete of one by any
  ** statement expires its handles (conn_blob_touch), as in SQLite; writes
  ** through a handle (in place, no statement) expire none. */
  struct ConnBlobRow *blob_rows;
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
  /* Rows written (inserted, deleted, cleared) in any table by any statement:
  ** what a statement caches about a table it writes (NewRowid's largest
  ** rowid) holds only while no other statement wrote, one run from a
  ** function it called among them. */
  uint64_t table_writes;
  /* Rollbacks (whole or to a savepoint) that undid schema changes: a run
  ** active across one stops with "abort due to ROLLBACK"
  ** (vdbe_txn_tripped), as SQLite trips the cursors of the other
  ** statements then; the trees it read may be gone. */
  uint64_t schema_undos;
  /* The transaction wrote a schema cookie: any rollback in it (to a savepoint
  ** too) then stops the other runs, as SQLite trips every cursor once the
  ** transaction changed the schema. */
  int txn_schema_changed;
  lode_stmt *stmts; /* live prepared statements */
  /* The programs of transaction-control statements ("BEGIN CONCURRENT", "COMMIT") that lode_exec and
  ** sqlite3_exec ran as a whole text, kept for the next run of the same text (capi/prepare.c). */
  struct Vdbe *exec_progs[4];
  FuncRegistry *funcs; /* the connection's own functions (vector search, …), before the built-ins */
  CollSet *colls;      /* the connection's collation functions (value/collation.c); NULL until one is defined */
  /* Index methods registered by lode_create_index_method on this
  ** connection (index_methods.c); looked up before the process's and the
  ** built-in ones. */
  struct IndexMethodEntry *index_methods;
  char *path;
  /* PRAGMA settings kept on the connection (zeroed at open). */
  int cache_size_set;  /* 0: cache_size is SQLite's default, CONN_DEFAULT_CACHE_SIZE */
  int64_t cache_size;  /* as PRAGMA cache_size last set it */
  int no_cache_spill;  /* PRAGMA cache_spill=OFF: for every database of the connection, as SQLite's flag is */
  int busy_timeout;    /* ms, from PRAGMA busy_timeout */
  /* PRAGMA page_size's last value, as given (SQLite's nextPagesize): the page
  ** size VACUUM INTO writes its copy with when it is a valid one, unless the
  ** source is a memory database.  VACUUM forgets it: it keeps a WAL
  ** database's page size, as SQLite does. */
  int64_t next_page_size;
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
  struct ConnApi *api; /* the C API's state (hooks, handlers, modules), opaque here; NULL until one is set */
  const struct ConnUpcalls *up; /* the C API's callbacks for that state (ConnUpcalls below) */
  /* Something listens to the preupdate upcall (a preupdate hook, a session):
  ** only then does the VM read the rows a change replaces. */
  int preupdate_on;
  /* A progress handler is set: only then do the VM's loop jumps call the
  ** progress upcall (a scan makes one jump a row). */
  int progress_on;
  /* An update hook is set: only then does a row written call the update upcall. */
  int update_hook_on;
  /* SQLITE_DBCONFIG_DEFENSIVE: ordinary SQL may not write sqlite_schema,
  ** the shadow tables of virtual tables or the schema cookie. */
  int defensive;
  /* SQLITE_DBCONFIG_DQS_DML off: in the statements the application writes, a
  ** "double-quoted" word naming no column is an error, not a string (lode_double_quoted_strings). */
  int no_dqs_dml;
  /* SQLITE_DBCONFIG_DQS_DDL off: the same in the expressions CREATE TABLE and
  ** CREATE INDEX check when they run (CHECK, generated columns, index terms). */
  int no_dqs_ddl;
  /* SQLITE_DBCONFIG_ENABLE_VIEW off: a FROM clause may name TEMP views only. */
  int views_off;
  /* SQLITE_DBCONFIG_ENABLE_QPSG: plans never read bound parameter values (a
  ** statement's plan does not change with its bindings). */
  int qpsg;
};

#define CONN_DEFAULT_CACHE_SIZE (-2000)

/* Connection settings PRAGMAs read and set through OP_PragmaConn (p1:
** which; settings.c): conn_pragma_set / conn_pragma_get on database dbi
** (PRAGMA schema.x; main's when dbi is not open). */
#define CONN_PRAGMA_PAGE_SIZE 1    /* pager page size; set only takes effect on an empty database */
#define CONN_PRAGMA_CACHE_SIZE 2   /* PRAGMA cache_size: pages, or -KiB when negative */
#define CONN_PRAGMA_SYNCHRONOUS 3  /* PAGER_SYNC_* */
#define CONN_PRAGMA_BUSY_TIMEOUT 4 /* milliseconds a file lock of another process is waited for */
#define CONN_PRAGMA_FOREIGN_KEYS 5 /* PRAGMA foreign_keys: set only outside a transaction */
#define CONN_PRAGMA_DEFER_FKS 6    /* PRAGMA defer_foreign_keys */
#define CONN_PRAGMA_RECURSIVE_TRIGGERS 7 /* 0 or 1; a change makes compiled statements re-prepare */
#define CONN_PRAGMA_AUTO_VACUUM 8  /* BTREE_AUTOVACUUM_* (write transaction to set) */
#define CONN_PRAGMA_INCR_VACUUM 9  /* set: one step of PRAGMA incremental_vacuum; get: the free pages (write txn) */
#define CONN_PRAGMA_CACHE_SPILL 10 /* PRAGMA cache_spill on/off; reads as SQLite reports it (pages, 0 = off) */
#define CONN_PRAGMA_SPILL_SIZE 11  /* PRAGMA cache_spill=N: pages, or -KiB */
#define CONN_PRAGMA_SHRINK_MEMORY 12 /* set: PRAGMA shrink_memory frees the unused cached pages */
#define CONN_PRAGMA_JOURNAL_MODE 13  /* CONN_JOURNAL_*; set to CONN_JOURNAL_ASK reads the mode, errors included */
#define CONN_PRAGMA_TABLE 100      /* + i: the plain setting i of CONN_SETTINGS */
int conn_pragma_set(lode *db, int dbi, int which, int64_t value);
int64_t conn_pragma_get(lode *db, int dbi, int which);
/* PRAGMA wal_checkpoint on database dbi (mode CONN_CKPT_*, SQLite's
** SQLITE_CHECKPOINT_* values): busy, log and
** checkpointed as SQLite reports them (-1, -1 without a WAL file). */
#define CONN_CKPT_PASSIVE 0
#define CONN_CKPT_FULL 1
#define CONN_CKPT_RESTART 2
#define CONN_CKPT_TRUNCATE 3
int conn_checkpoint(lode *db, int dbi, int mode, int *busy, int *log, int *done);

/* Change data capture modes: what a record holds besides the row's id. */
#define CONN_CDC_OFF 0
#define CONN_CDC_ID 1
#define CONN_CDC_BEFORE 2 /* the row before an update or delete */
#define CONN_CDC_AFTER 3  /* the row after an insert or update */
#define CONN_CDC_FULL 4   /* both, and an update's changed columns */



/* Index methods (index_methods.c): the registered method of that name
** (case-insensitive; the connection's, else the process's), or NULL.
** Registering copies m, replacing a method of the same name for what is
** compiled after; db NULL registers it for every connection of the process.
** A descriptor returned stays valid while the connection is open.
** conn_index_methods_free frees the connection's at close. */
const lode_index_method *conn_index_method(lode *db, const char *name);
int conn_index_method_add(lode *db, const lode_index_method *m);
void conn_index_methods_free(lode *db);

/* Records an error on the connection (message printf-style; fmt NULL → the
** default text of rc).  Returns rc. */
int conn_error(lode *db, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Takes a util_malloc'd message. */
int conn_error_take(lode *db, int rc, char *msg);
/* File names (uri.c): `file:` URIs as SQLite reads them, or plain paths. */
typedef struct UriOpen {
  char *path;  /* util_malloc'd, decoded; the name itself when it is no URI */
  int flags;   /* the open flags narrowed by mode= and immutable= */
  int memory;  /* file::memory: or mode=memory: a private in-memory database */
  char *cipher; /* cipher=NAME and hexkey=HEX: the database's encryption (util_malloc'd, or NULL) */
  char *hexkey;
  char *params; /* every KEY=VALUE but hexkey, as "KEY\0VALUE\0..." (util_malloc'd, or NULL) */
  size_t nparams; /* bytes in params */
} UriOpen;

/* Reads name as a URI when flags has LODE_OPEN_URI and name starts with
** "file:", else takes it as a plain path.  Returns LODE_OK, LODE_NOMEM, or
** an error code with *err set to a util_malloc'd message. */
int uri_parse(const char *name, int flags, UriOpen *u, char **err);
/* Frees what uri_parse allocated (the key's text is wiped first). */
void uri_free(UriOpen *u);
/* The name sqlite3_db_filename gives for a database at path opened with
** u's parameters (u may be NULL): path, then each parameter's key and
** value, then an empty string, then the journal's and the WAL's names, each
** NUL-terminated (sqlite3_uri_parameter and sqlite3_filename_wal read them).
** util_malloc'd; NULL on oom. */
char *uri_filename_object(const char *path, const UriOpen *u);
/* VACUUM INTO's target name: a plain path, or a "file:" URI whose cipher=
** and hexkey= ask for an encrypted copy (uri.c).  Fills the util_malloc'd
** *path, *cipher, *hexkey (NULL when absent); on error *err says why. */
int conn_parse_target(const char *name, char **path, char **cipher, char **hexkey, char **err);
/* No error on the connection: done at every API call, so inline; the
** message, nearly always NULL, is freed out of line. */
void conn_drop_error_message(lode *db);
static inline void conn_clear_error(lode *db) {
  db->errcode = LODE_OK;
  db->err_offset = -1;
  if (db->errmsg) conn_drop_error_message(db);
}
void conn_limits_init(lode *db); /* every limit at SQLite's maximum */
int conn_limit_max(int id);      /* the maximum of limit id, -1 for none */

/* The savepoint name stack: pop down to keep entries (0 also clears
** txn_savepoint); push a copy of name (LODE_NOMEM); find the newest entry
** named name, case-insensitively (ASCII) as SQLite does, or -1. */
void conn_savepoints_pop(lode *db, int keep);
int conn_savepoint_push(lode *db, const char *name);
int conn_savepoint_find(const lode *db, const char *name);

/* Handles: a new zeroed connection (NULL on oom), reusing released ones; a
** released connection keeps magic CONN_MAGIC_CLOSED until it is reused, so
** that a call with a stale handle is refused with LODE_MISUSE instead of
** touching freed memory. */
lode *conn_alloc(void);
void conn_release(lode *db);

/* The index of the database called name ("main", "temp", an attached
** name; case-insensitive), or -1. */
int conn_db_find(const lode *db, const char *name);
/* Opens the temp database if it is not open yet. */
int conn_db_open_temp(lode *db);
/* An unnamed temporary file for data the connection's statements spill
** (sorter runs, change logs): sealed when any of its databases is
** encrypted (pager_open_temp), since the data may come from it. */
struct OsFile;
int conn_open_temp(lode *db, const char *what, struct OsFile **out);
/* Attaches the database file path (sqlite3_open's names, ":memory:", ""
** and file: URIs) as name; detaches name.  SQLite's messages on failure. */
int conn_db_attach(lode *db, const char *path, const char *name);
int conn_db_detach(lode *db, const char *name);
/* The database a TEMP trigger named name was bound to at its creation
** (-1: none known); record (LODE_NOMEM on failure) or replace one. */
int conn_trigger_bound(const lode *db, const char *name);
int conn_trigger_bind(lode *db, const char *name, int dbi);
/* Opens the main database's pager and b-tree (path NULL: a private
** in-memory database; flags LODE_OPEN_READONLY / _CREATE; cipher and hexkey
** its encryption or NULL; *why a static message for LODE_ERROR), and closes
** them (rolling back an open write transaction) with the close's result. */
int conn_db_open_main(lode *db, const char *path, int flags, const char *cipher, const char *hexkey,
                      const char **why);
int conn_db_close_main(lode *db);
/* The storage of database dbi (main's when dbi is not open; storage.c):
** a private memory database?  PRAGMA locking_mode (mode -1 reads, 0 normal,
** 1 exclusive: the mode in force), journal_mode's name, the WAL's frames
** (0 without one).
** The main database's encryption: its cipher's name (NULL: plaintext);
** PRAGMA cipher/hexkey and lode_key (before the first read); rekey (every
** page under a new key).  On LODE_ERROR *why is a static message. */
int conn_db_is_memory(lode *db, int dbi);
int conn_db_locking_mode(lode *db, int dbi, int mode);
/* PRAGMA journal_mode of file database dbi: CONN_JOURNAL_DELETE while the
** file is still in rollback-journal format (new and empty, or left so by
** SQLite and not yet written by Lode, whose first write converts it),
** CONN_JOURNAL_WAL, CONN_JOURNAL_MVCC.  Setting WAL on a rollback-journal
** file only chooses it (pager_choose_wal): LODE_READONLY on a read-only
** connection, an error inside a transaction, as SQLite. */
#define CONN_JOURNAL_ASK (-1)
#define CONN_JOURNAL_DELETE 0
#define CONN_JOURNAL_WAL 1
#define CONN_JOURNAL_MVCC 2
int conn_journal_mode(lode *db, int dbi, int *mode);
int conn_set_journal_mode(lode *db, int dbi, int mode);
uint32_t conn_db_wal_frames(lode *db, int dbi);
const char *conn_cipher(lode *db);
int conn_set_encryption(lode *db, const char *cipher, const char *hexkey, const char **why);
int conn_rekey(lode *db, const char *hexkey, const char **why);
/* The WAL frames of the main database, for replication (libSQL's frame
** API; the pager's rules): the count; frame n as stored (header + page);
** applying a commit's frames (begin, each frame — *conflict set for a
** different frame at a number the log has —, end); no automatic
** checkpoint any more.  Refusals put their reason in why. */
int conn_wal_frame_count(lode *db, uint32_t *n);
int conn_wal_get_frame(lode *db, unsigned frame, void *buf, unsigned size, char *why, size_t nwhy);
int conn_wal_insert_begin(lode *db);
int conn_wal_insert_frame(lode *db, unsigned frame, const void *buf, unsigned size, int *conflict, char *why,
                          size_t nwhy);
int conn_wal_insert_end(lode *db);
void conn_wal_disable_checkpoint(lode *db);
/* A database of its own with the page geometry of database dbi, for the
** copies VACUUM builds: a new file at path (cipher/hexkey: encrypted; a
** file that has pages or is no database sets *exists and fails), or a
** private memory database (path NULL); page_size, when not 0, replaces the
** source's page size.  conn_copy_close closes it, pager too, returning the
** pager's close result. */
int conn_copy_open(lode *db, int dbi, const char *path, uint32_t page_size, const char *cipher, const char *hexkey,
                   const char **why, int *exists, Btree **out);
int conn_copy_close(Btree *bt);
/* Whole database images (image.c), database di of an idle connection.
** conn_image_write: npages pages of page_size bytes from a source (another
** connection's database, in a read transaction, or a buffer of size bytes,
** short pages zero-filled) in one write transaction; what lay beyond them
** is dropped; a memory database takes the page size, a file one only while
** empty (LODE_READONLY otherwise); an encrypted destination refuses pages
** laid out for other reserved bytes.  conn_image_read (in a read
** transaction): every page in one util_malloc'd buffer, *size its bytes;
** NULL on failure.  Page count and size of database di (in a read
** transaction for the count). */
typedef struct ConnPageSource {
  ConnDb *db;
  const unsigned char *buf;
  int64_t size;
} ConnPageSource;
int conn_image_write(lode *db, int di, const ConnPageSource *src, uint32_t npages, uint32_t page_size);
unsigned char *conn_image_read(lode *db, int di, int64_t *size);
uint32_t conn_db_page_count(lode *db, int di);
uint32_t conn_db_page_size(lode *db, int di);
/* Closes every database but main (at close). */
void conn_db_close_all(lode *db);
/* ---- the transaction interface (txn.c) ----------------------------------------
** One implementation per kind of storage: conn_txn_wal (B-trees over the WAL
** pager: page-level snapshots, one writer per file) today; the MVCC row
** store later.  Each ConnDb names the one serving it.  begin_read takes a
** snapshot; begin_write opens the write transaction (from no transaction:
** the read and the write one together, so that it can wait for another
** writer within busy_timeout) and fails with LODE_BUSY (or
** LODE_BUSY_SNAPSHOT when the snapshot is stale) — on failure from no
** transaction the caller ends the read with end_read; commit makes the
** changes durable and visible (the write transaction becomes a read one);
** rollback undoes them (likewise); savepoints are nested by depth (1 = the
** oldest) inside a write transaction: CONN_SP_BEGIN opens depth, RELEASE
** forgets depth and those above, ROLLBACK puts back what changed since
** depth began and keeps it open. */
#define CONN_SP_BEGIN 0
#define CONN_SP_RELEASE 1
#define CONN_SP_ROLLBACK 2
typedef struct ConnTxnOps {
  const char *name;
  int (*begin_read)(ConnDb *d);
  void (*end_read)(ConnDb *d);
  int (*begin_write)(ConnDb *d);
  int (*commit)(ConnDb *d);
  void (*rollback)(ConnDb *d);
  int (*savepoint)(ConnDb *d, int op, int depth);
} ConnTxnOps;
extern const ConnTxnOps conn_txn_wal;
/* journal_mode=mvcc and BEGIN CONCURRENT (mvcc.c, which explains them): the
** interface of every file database, the WAL one's plus row-level conflict
** detection among the transactions of this process.
** conn_mvcc_attach / _detach: a file database opened / closed.
** conn_mvcc_begin_concurrent: BEGIN CONCURRENT (main; an error unless the
** database is in mvcc mode).  conn_mvcc_failed: a conflict doomed the
** concurrent transaction (the statement's failure rolls it back whole).
** conn_mvcc_new_rowid: the rowid an insert into root takes, given the one
** the table suggests: never one another running transaction took.
** conn_mvcc_stmt_begin: a statement that writes database dbi starts (what it
** reads from then on belongs to its changes when a commit rebases them).
** conn_mvcc_mode / _set_mode: the journal mode of database dbi (1 = mvcc).
** conn_mvcc_checkpoint: a checkpoint of database dbi (pager modes). */
typedef struct ConnMv ConnMv;
extern const ConnTxnOps conn_txn_mvcc;
int conn_mvcc_attach(lode *db, ConnDb *d);
void conn_mvcc_detach(ConnDb *d);
int conn_mvcc_begin_concurrent(lode *db);
int conn_mvcc_failed(const lode *db);
/* The write transaction on database dbi reports its rows (mvcc mode, or
** BEGIN CONCURRENT): row-level conflicts need changes made row by row. */
int conn_mvcc_logging(const lode *db, int dbi);
void conn_mvcc_stmt_begin(lode *db, int dbi);
int64_t conn_mvcc_new_rowid(lode *db, int dbi, uint32_t root, int64_t rowid);
int conn_mvcc_mode(lode *db, int dbi, int *on);
int conn_mvcc_set_mode(lode *db, int dbi, int on);
int conn_mvcc_checkpoint(lode *db, int dbi, int mode, int *log, int *done);

/* The connection's state machine over it (the states and transitions are
** drawn at the top of txn.c).  Errors are recorded on the connection.
** conn_txn_read / _write: database i joins the transaction for reading /
** writing (opening temp on first use; LODE_READONLY for a read-only one).
** conn_txn_end_idle: ends the read transactions when the connection is in
** autocommit mode and no statement runs.  conn_txn_begin: BEGIN (mode
** TXN_* of sql/ast.h: IMMEDIATE and EXCLUSIVE take every database's write
** lock now).  conn_txn_commit: COMMIT (fails while deferred foreign key
** violations remain, the transaction staying open).  conn_txn_rollback:
** ROLLBACK, savepoints too.  conn_txn_savepoint: SAVEPOINT name
** (CONN_SP_BEGIN), RELEASE, ROLLBACK TO.
** For a statement in autocommit mode: conn_txn_commit_writes commits every
** database it wrote (virtual tables, the commit hook, then each database;
** on any failure everything is rolled back), conn_txn_rollback_writes
** rolls them back.  Inside a transaction a statement holds a statement
** savepoint at depth (one above the named savepoints) on the databases it
** writes: conn_txn_stmt_savepoint opens it on database i,
** conn_txn_stmt_end releases it on the databases of the mask dbs, undoing
** the statement first when undo is set.
** conn_txn_after_rollback: the schema is reloaded at the next use, and
** statements compiled against a schema a rollback took away re-prepare
** (schema_gen).  conn_txn_ended: what lives for one transaction (deferred
** foreign key counts, defer_foreign_keys, the CDC id) is reset.
** conn_txn_sync: db->txn from the databases' states (the strongest). */
int conn_txn_read(lode *db, int i);
int conn_txn_write(lode *db, int i);
void conn_txn_end_idle(lode *db);
int conn_txn_begin(lode *db, int mode);
int conn_txn_commit(lode *db);
void conn_txn_rollback(lode *db);
int conn_txn_savepoint(lode *db, int op, const char *name);
int conn_txn_commit_writes(lode *db);
void conn_txn_rollback_writes(lode *db);
int conn_txn_stmt_savepoint(lode *db, int i, int depth);
int conn_txn_stmt_end(lode *db, uint32_t dbs, int depth, int undo);
void conn_txn_after_rollback(lode *db);
void conn_txn_ended(lode *db);
void conn_txn_sync(lode *db);
/* Deferred foreign key violations remain (COMMIT would fail); the error. */
int conn_fk_deferred_pending(const lode *db);
int conn_fk_error(lode *db);

/* Makes sure the in-memory schema matches the file (loads it if the cookie
** changed).  Needs (and opens if necessary) a read transaction. */
int conn_ensure_schema(lode *db);
/* As conn_ensure_schema, and also reloads each schema whose sqlite_schema
** rows were written directly since its load (Schema.edited), so that what
** is compiled next starts from the stored texts. */
int conn_ensure_schema_stored(lode *db);
/* As conn_ensure_schema; *reloaded says whether a schema was read again
** (the one in memory was out of date). */
int conn_refresh_schema(lode *db, int *reloaded);
/* Whether every open database's schema is in memory, so that a statement
** may compile against it without reading the file: its program's
** Transaction ops compare the schema cookies when it runs, and a mismatch
** makes the front door compile it again (SQLITE_SCHEMA, retried). */
int conn_schema_loaded(const lode *db);

/* What the layer above (the C API) adds to a connection and the layers
** below call back into: the sqlite3 API's hooks and application virtual
** tables.  The front door installs one table (lode.up) at open; callers
** test db->api (set with the first hook or module registration) before
** calling, so that a connection without hooks pays one load.
**
** commit returns nonzero when the hook turns the commit into a rollback;
** progress nonzero when the handler asks the statement to stop (as an
** interrupt): it is called once per N ops the statement ran between seen
** and now (its op counts at the last check and at this one).  update: dbi is the ConnDb index.
**
** vtab_table: the module serving virtual table t, connected on first use
** (which gives t its declared columns); an error's message in *errmsg
** (util_malloc'd, e.g. "no such module: m").  vtab_eponymous: an
** application module of that name usable as a table by its name, connected
** (NULL: none; *errmsg set when connecting failed).  vtab_find: the VM's
** lookup of a compiled statement's module (kind CONN_VTAB_TABLE: a table's,
** CONN_VTAB_EPONYMOUS: an eponymous one).  vtab_create / _destroy: xCreate
** and xDestroy of the named table (CREATE VIRTUAL TABLE, DROP TABLE).
** vtab_begin (level: the named savepoints open): m's table takes part in
** the transaction (xBegin once).  vtab_sync before the commit, vtab_end
** after it (commit 1) or after a rollback (0).  vtab_savepoint: a named
** savepoint's step (VTAB_TXN_SAVEPOINT, _RELEASE, _ROLLBACK_TO) at depth i
** for the tables in the transaction.  vtab_rename: xRename before ALTER
** TABLE t RENAME TO new_name.  vtab_schema_reset: a rollback undid schema
** changes, tables are connected again at their next use.  run_rows: runs one
** statement while another runs and collects its rows (the PRAGMA functions).
** vtab_shadow: whether module's tables keep a shadow table named
** <table>_<suffix> (the module's xShadowName). */
/* preupdate: a row of a table is about to change (pu below; for a WITHOUT
** ROWID table the records are its key b-tree's entries and the rowids 0).
** An UPDATE that writes the new row elsewhere (a new rowid, any WITHOUT
** ROWID update) removes the old row first: that removal comes as op UPDATE
** with the old row and no new one, and the write that follows as op UPDATE
** with the new row and no old one; an UPDATE in place comes once, with both. */
typedef struct ConnPreupdate {
  int op;             /* CONN_HOOK_INSERT, _DELETE or _UPDATE */
  int dbi;            /* ConnDb index */
  uint32_t root;      /* the table's b-tree */
  int64_t old_rowid, new_rowid;
  const uint8_t *old_rec; /* the row's record before the change, or NULL */
  uint32_t old_n;
  const uint8_t *new_rec; /* after it, or NULL */
  uint32_t new_n;
  int depth;          /* trigger programs between the change and its statement */
} ConnPreupdate;
#define CONN_HOOK_DELETE 9  /* SQLITE_DELETE */
#define CONN_HOOK_INSERT 18 /* SQLITE_INSERT */
#define CONN_HOOK_UPDATE 23 /* SQLITE_UPDATE */
#define CONN_VTAB_TABLE 1
#define CONN_VTAB_EPONYMOUS 2
struct VtabModule;
struct VtabRows;
typedef struct ConnUpcalls {
  int (*commit)(lode *db);
  void (*rollback)(lode *db);
  void (*update)(lode *db, int op, int dbi, uint32_t root, int64_t rowid);
  void (*preupdate)(lode *db, const ConnPreupdate *pu);
  int (*progress)(lode *db, uint32_t seen, uint32_t now);
  int (*vtab_table)(lode *db, Table *t, const struct VtabModule **out, char **errmsg);
  const struct VtabModule *(*vtab_eponymous)(lode *db, const char *name, char **errmsg);
  const struct VtabModule *(*vtab_find)(lode *db, const char *name, int kind);
  int (*vtab_create)(lode *db, int dbi, const char *name);
  int (*vtab_destroy)(lode *db, int dbi, const char *name);
  int (*vtab_begin)(lode *db, const struct VtabModule *m, int level);
  int (*vtab_sync)(lode *db);
  void (*vtab_end)(lode *db, int commit);
  int (*vtab_savepoint)(lode *db, int op, int i);
  int (*vtab_rename)(lode *db, int dbi, const char *name, const char *new_name);
  void (*vtab_schema_reset)(lode *db);
  int (*run_rows)(lode *db, const char *sql, struct VtabRows *out, char **errmsg);
  int (*vtab_shadow)(lode *db, const char *module, const char *suffix);
  /* The authorizer's answer (CONN_AUTH_OK when none is set) to action about a, b in database zdb, asked from
  ** inside trigger, view or CTE ctx (NULL: the statement's own text). */
  int (*auth)(lode *db, int action, const char *a, const char *b, const char *zdb, const char *ctx);
} ConnUpcalls;

/* The authorizer's actions codegen asks about, and its answers (SQLite's numbers). */
#define CONN_AUTH_CREATE_TABLE 2
#define CONN_AUTH_CREATE_TEMP_TABLE 4
#define CONN_AUTH_DELETE 9
#define CONN_AUTH_INSERT 18
#define CONN_AUTH_READ 20
#define CONN_AUTH_SELECT 21
#define CONN_AUTH_UPDATE 23
#define CONN_AUTH_REINDEX 27
#define CONN_AUTH_ANALYZE 28
#define CONN_AUTH_FUNCTION 31
#define CONN_AUTH_RECURSIVE 33
#define CONN_AUTH_OK 0
#define CONN_AUTH_DENY 1
#define CONN_AUTH_IGNORE 2

/* An open blob handle's row (capi/blob.c keeps it on lode.blob_rows). */
typedef struct ConnBlobRow {
  struct ConnBlobRow *next;
  int dbi;
  uint32_t root;
  int64_t rowid;
  int expired;
} ConnBlobRow;

/* Row rowid of b-tree root in database dbi was written or deleted (every
** row when all is set: the tree was emptied): the handles on it expire. */
static inline void conn_blob_touch(lode *db, int dbi, uint32_t root, int64_t rowid, int all) {
  for (ConnBlobRow *r = db->blob_rows; r; r = r->next)
    if (r->root == root && r->dbi == dbi && (all || r->rowid == rowid)) r->expired = 1;
}

static inline int conn_hook_commit(lode *db) { return db->up->commit(db); }
static inline void conn_hook_rollback(lode *db) { db->up->rollback(db); }
static inline void conn_hook_update(lode *db, int op, int dbi, uint32_t root, int64_t rowid) {
  db->up->update(db, op, dbi, root, rowid);
}
static inline void conn_hook_preupdate(lode *db, const ConnPreupdate *pu) { db->up->preupdate(db, pu); }
static inline int conn_hook_progress(lode *db, uint32_t seen, uint32_t now) { return db->up->progress(db, seen, now); }
static inline int conn_vtab_table(lode *db, Table *t, const struct VtabModule **out, char **errmsg) {
  return db->up->vtab_table(db, t, out, errmsg);
}
static inline const struct VtabModule *conn_vtab_eponymous(lode *db, const char *name, char **errmsg) {
  return db->up->vtab_eponymous(db, name, errmsg);
}
static inline const struct VtabModule *conn_vtab_find(lode *db, const char *name, int kind) {
  return db->up->vtab_find(db, name, kind);
}
static inline int conn_vtab_shadow(lode *db, const char *module, const char *suffix) {
  return db->up->vtab_shadow(db, module, suffix);
}
static inline int conn_vtab_create(lode *db, int dbi, const char *name) { return db->up->vtab_create(db, dbi, name); }
static inline int conn_vtab_destroy(lode *db, int dbi, const char *name) {
  return db->up->vtab_destroy(db, dbi, name);
}
static inline int conn_vtab_begin(lode *db, const struct VtabModule *m, int level) {
  return db->up->vtab_begin(db, m, level);
}
static inline int conn_vtab_sync(lode *db) { return db->up->vtab_sync(db); }
static inline void conn_vtab_end(lode *db, int commit) { db->up->vtab_end(db, commit); }
static inline int conn_vtab_savepoint(lode *db, int op, int i) { return db->up->vtab_savepoint(db, op, i); }
static inline int conn_vtab_rename(lode *db, int dbi, const char *name, const char *new_name) {
  return db->up->vtab_rename(db, dbi, name, new_name);
}
static inline void conn_vtab_schema_reset(lode *db) { db->up->vtab_schema_reset(db); }

#endif /* LODE_CONN_H */
