/*
** lode.h — the public C API of the Lode SQL engine.
**
** The shape follows sqlite3.h: a connection handle (lode*), prepared
** statements (lode_stmt*), result codes with SQLite's numeric values
** (primary code in the low byte, extended codes above it), and column
** accessors whose pointers stay valid until the next step/reset/finalize
** of the statement.  Nothing here prints, aborts or exits.
*/
#ifndef LODE_H
#define LODE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library is built with -fvisibility=hidden: the API is what it exports. */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

#define LODE_VERSION "0.1.0"
#define LODE_VERSION_NUMBER 1000

typedef struct lode lode;
typedef struct lode_stmt lode_stmt;
typedef int64_t lode_int64;

/* Result codes: the same numbers as SQLite's. */
#define LODE_OK 0
#define LODE_ERROR 1
#define LODE_INTERNAL 2
#define LODE_PERM 3
#define LODE_ABORT 4
#define LODE_BUSY 5
#define LODE_LOCKED 6
#define LODE_NOMEM 7
#define LODE_READONLY 8
#define LODE_INTERRUPT 9
#define LODE_IOERR 10
#define LODE_CORRUPT 11
#define LODE_NOTFOUND 12
#define LODE_FULL 13
#define LODE_CANTOPEN 14
#define LODE_PROTOCOL 15
#define LODE_EMPTY 16
#define LODE_SCHEMA 17
#define LODE_TOOBIG 18
#define LODE_CONSTRAINT 19
#define LODE_MISMATCH 20
#define LODE_MISUSE 21
#define LODE_NOLFS 22
#define LODE_AUTH 23
#define LODE_FORMAT 24
#define LODE_RANGE 25
#define LODE_NOTADB 26
#define LODE_NOTICE 27
#define LODE_WARNING 28
#define LODE_ROW 100
#define LODE_DONE 101

/* Extended result codes used so far (SQLite's values). */
#define LODE_ERROR_MISSING_COLLSEQ (LODE_ERROR | (1 << 8))
#define LODE_ABORT_ROLLBACK (LODE_ABORT | (2 << 8))
#define LODE_IOERR_READ (LODE_IOERR | (1 << 8))
#define LODE_IOERR_SHORT_READ (LODE_IOERR | (2 << 8))
#define LODE_IOERR_WRITE (LODE_IOERR | (3 << 8))
#define LODE_IOERR_FSYNC (LODE_IOERR | (4 << 8))
#define LODE_IOERR_TRUNCATE (LODE_IOERR | (6 << 8))
#define LODE_IOERR_FSTAT (LODE_IOERR | (7 << 8))
#define LODE_IOERR_DELETE (LODE_IOERR | (10 << 8))
#define LODE_IOERR_LOCK (LODE_IOERR | (15 << 8))
#define LODE_IOERR_NOMEM (LODE_IOERR | (12 << 8))
#define LODE_IOERR_SHMOPEN (LODE_IOERR | (18 << 8))
#define LODE_IOERR_SHMSIZE (LODE_IOERR | (19 << 8))
#define LODE_IOERR_SHMLOCK (LODE_IOERR | (20 << 8))
#define LODE_IOERR_SHMMAP (LODE_IOERR | (21 << 8))
#define LODE_BUSY_RECOVERY (LODE_BUSY | (1 << 8))
#define LODE_BUSY_SNAPSHOT (LODE_BUSY | (2 << 8))
#define LODE_CORRUPT_INDEX (LODE_CORRUPT | (3 << 8))
#define LODE_CANTOPEN_ISDIR (LODE_CANTOPEN | (2 << 8))
#define LODE_CONSTRAINT_CHECK (LODE_CONSTRAINT | (1 << 8))
#define LODE_CONSTRAINT_COMMITHOOK (LODE_CONSTRAINT | (2 << 8))
#define LODE_CONSTRAINT_FOREIGNKEY (LODE_CONSTRAINT | (3 << 8))
#define LODE_CONSTRAINT_TRIGGER (LODE_CONSTRAINT | (7 << 8))
#define LODE_CONSTRAINT_NOTNULL (LODE_CONSTRAINT | (5 << 8))
#define LODE_CONSTRAINT_TRIGGER (LODE_CONSTRAINT | (7 << 8))
#define LODE_CONSTRAINT_PRIMARYKEY (LODE_CONSTRAINT | (6 << 8))
#define LODE_CONSTRAINT_UNIQUE (LODE_CONSTRAINT | (8 << 8))
#define LODE_CONSTRAINT_ROWID (LODE_CONSTRAINT | (10 << 8))
#define LODE_CONSTRAINT_PINNED (LODE_CONSTRAINT | (11 << 8))
#define LODE_CONSTRAINT_DATATYPE (LODE_CONSTRAINT | (12 << 8))

/* Fundamental datatypes (column_type): SQLite's numbering. */
#define LODE_INTEGER 1
#define LODE_FLOAT 2
#define LODE_TEXT 3
#define LODE_BLOB 4
#define LODE_NULL 5

/* Open flags (SQLite's values). */
#define LODE_OPEN_READONLY 0x00000001
#define LODE_OPEN_READWRITE 0x00000002
#define LODE_OPEN_CREATE 0x00000004
#define LODE_OPEN_URI 0x00000040    /* read "file:" names as URIs (mode=, immutable=, %HH) */
#define LODE_OPEN_MEMORY 0x00000080

/* Destructor arguments for bind_text/bind_blob. */
typedef void (*lode_destructor_type)(void *);
#define LODE_STATIC ((lode_destructor_type)0)
#define LODE_TRANSIENT ((lode_destructor_type)-1)

const char *lode_libversion(void);

/* Connections.  path ":memory:" (or "") opens a private in-memory database. */
int lode_open(const char *path, lode **db);
int lode_open_v2(const char *path, lode **db, int flags, const char *vfs);
int lode_close(lode *db); /* LODE_BUSY if statements are still open */
/* Run-time limits (SQLite's ids and maximums): lode_limit sets limit id to
** value (clamped to its maximum; a negative value only reads) and returns the
** old value, or -1 for an unknown id. */
#define LODE_LIMIT_LENGTH 0
#define LODE_LIMIT_SQL_LENGTH 1
#define LODE_LIMIT_COLUMN 2
#define LODE_LIMIT_EXPR_DEPTH 3
#define LODE_LIMIT_COMPOUND_SELECT 4
#define LODE_LIMIT_VDBE_OP 5
#define LODE_LIMIT_FUNCTION_ARG 6
#define LODE_LIMIT_ATTACHED 7
#define LODE_LIMIT_LIKE_PATTERN_LENGTH 8
#define LODE_LIMIT_VARIABLE_NUMBER 9
#define LODE_LIMIT_TRIGGER_DEPTH 10
#define LODE_LIMIT_WORKER_THREADS 11
#define LODE_NLIMITS 12
int lode_limit(lode *db, int id, int value);
/* How long a statement waits for a lock another process holds before it
** fails with LODE_BUSY (ms; 0 or less: not at all).  PRAGMA busy_timeout. */
int lode_busy_timeout(lode *db, int ms);
/* Whether SQL statements may use a "double-quoted" word that names no column
** as a string (SQLite's default; SQLITE_DBCONFIG_DQS_DML and _DQS_DDL both,
** as a build with SQLITE_DQS=0 turns both off): on 1, off 0, unchanged -1;
** returns the DML setting before.  Off, such a word is an error ("no such
** column") in statements, views and trigger bodies as they run, and in the
** CHECK constraints, generated columns and index terms of a CREATE TABLE or
** CREATE INDEX; what the schema already holds keeps its meaning. */
int lode_double_quoted_strings(lode *db, int on);
/* Defensive mode (SQLITE_DBCONFIG_DEFENSIVE): on, the statements the
** application writes may not change sqlite_schema even under PRAGMA
** writable_schema (whose = ON is then ignored), nor the shadow tables of
** virtual tables, and PRAGMA schema_version = N does nothing.  On 1, off 0,
** unchanged -1; returns the setting before. */
int lode_defensive(lode *db, int on);
/* Encrypts a new, empty database (as PRAGMA cipher + PRAGMA hexkey): cipher
** "aes128gcm", "aes256gcm", "aegis256", "aegis256x2", "aegis256x4",
** "aegis128l", "aegis128x2" or "aegis128x4"; hexkey the key in hex (32 or
** 64 digits as the cipher needs).  An encrypted file is reopened with the
** URI parameters file:NAME?cipher=...&hexkey=... (LODE_OPEN_URI). */
int lode_key(lode *db, const char *cipher, const char *hexkey);
/* Rewrites every page of an encrypted database under a new key of its
** cipher (as PRAGMA rekey): one transaction, crash-safe (until its commit
** the old key opens the file, after it the new one).  No other connection
** may use the database meanwhile. */
int lode_rekey(lode *db, const char *hexkey);
/* The file of database "main" (NULL for another name) as opened, after URI
** decoding; "" for an in-memory database. */
const char *lode_db_filename(lode *db, const char *name);
/* 1 if database "main" was opened read-only, 0 if writable, -1 for another
** name. */
int lode_db_readonly(lode *db, const char *name);
/* Makes the statements running on db stop soon with LODE_INTERRUPT
** ("interrupted"), like sqlite3_interrupt.  Safe to call from a signal
** handler or another thread.  A call while no statement runs is forgotten
** when the next statement starts. */
void lode_interrupt(lode *db);
/* Calls handler(arg) about every n virtual machine instructions while a
** statement runs; a nonzero return stops it with LODE_INTERRUPT, as
** sqlite3_progress_handler.  n <= 0 or a NULL handler removes it. */
void lode_progress_handler(lode *db, int n, int (*handler)(void *), void *arg);
int lode_is_interrupted(lode *db);

int lode_errcode(lode *db);          /* primary code of the last failure */
int lode_extended_errcode(lode *db); /* extended code of the last failure */
const char *lode_errmsg(lode *db);
/* Byte offset, in the SQL text of the failed prepare, of the token the last
** error names (as sqlite3_error_offset), or -1. */
int lode_error_offset(lode *db);
const char *lode_errstr(int rc);

lode_int64 lode_changes(lode *db);
lode_int64 lode_total_changes(lode *db);
lode_int64 lode_last_insert_rowid(lode *db);
int lode_get_autocommit(lode *db);

/* Runs every statement of sql in turn, discarding rows.  On failure *errmsg
** (if given) receives a message to be freed with lode_free. */
int lode_exec(lode *db, const char *sql, char **errmsg);
void lode_free(void *p);
/* Memory the engine may free with lode_free (an index method's messages);
** NULL when out of memory. */
void *lode_malloc(lode_int64 n);

/* Sets the logger sqlite3_log calls (cb(arg, code, message); NULL: none),
** as SQLITE_CONFIG_LOG does, but at any time: sqlite3_config is refused
** once the library is initialized. */
void lode_config_log(void (*cb)(void *arg, int code, const char *msg), void *arg);

/* 1 if sql ends with a complete statement (a ';' outside strings, comments
** and trigger bodies), like sqlite3_complete. */
int lode_complete(const char *sql);

/* Statements.  nbyte < 0 reads sql up to its NUL.  *tail receives the first
** byte after the statement compiled.  *stmt is NULL for an empty input. */
int lode_prepare(lode *db, const char *sql, int nbyte, lode_stmt **stmt, const char **tail);
int lode_step(lode_stmt *stmt);
int lode_reset(lode_stmt *stmt);
int lode_finalize(lode_stmt *stmt);
const char *lode_sql(lode_stmt *stmt);
int lode_stmt_readonly(lode_stmt *stmt);
int lode_stmt_busy(lode_stmt *stmt);
int lode_stmt_isexplain(lode_stmt *stmt);
lode *lode_db_handle(lode_stmt *stmt);
lode_stmt *lode_next_stmt(lode *db, lode_stmt *stmt);

/* Parameters: indexes start at 1. */
int lode_bind_parameter_count(lode_stmt *stmt);
const char *lode_bind_parameter_name(lode_stmt *stmt, int idx); /* with its prefix: ":a", "?3" */
int lode_bind_parameter_index(lode_stmt *stmt, const char *name);
int lode_bind_null(lode_stmt *stmt, int idx);
int lode_bind_int64(lode_stmt *stmt, int idx, lode_int64 v);
int lode_bind_int(lode_stmt *stmt, int idx, int v);
int lode_bind_double(lode_stmt *stmt, int idx, double v);
int lode_bind_text(lode_stmt *stmt, int idx, const char *z, int n, lode_destructor_type d);
int lode_bind_blob(lode_stmt *stmt, int idx, const void *p, int n, lode_destructor_type d);
int lode_bind_zeroblob(lode_stmt *stmt, int idx, int n);
int lode_clear_bindings(lode_stmt *stmt);

/* Results of the current row (after LODE_ROW). */
int lode_column_count(lode_stmt *stmt);
int lode_data_count(lode_stmt *stmt);
const char *lode_column_name(lode_stmt *stmt, int col);
const char *lode_column_decltype(lode_stmt *stmt, int col);
/* The table, column and database a result column reads straight from, as
** sqlite3_column_table_name and its siblings; NULL for an expression or a
** column read through a view or a subquery in FROM. */
const char *lode_column_table_name(lode_stmt *stmt, int col);
const char *lode_column_origin_name(lode_stmt *stmt, int col);
const char *lode_column_database_name(lode_stmt *stmt, int col);
int lode_column_type(lode_stmt *stmt, int col);
lode_int64 lode_column_int64(lode_stmt *stmt, int col);
int lode_column_int(lode_stmt *stmt, int col);
double lode_column_double(lode_stmt *stmt, int col);
const unsigned char *lode_column_text(lode_stmt *stmt, int col);
const void *lode_column_blob(lode_stmt *stmt, int col);
int lode_column_bytes(lode_stmt *stmt, int col);

/* Application-defined functions (what sqlite3_create_function_v2 and
** sqlite3_create_window_function do, under lode names).  A scalar gives
** xFunc; an aggregate xStep and xFinal, and to serve as a window function
** also xValue and xInverse (a plain aggregate used with OVER fails with
** "f() may not be used as a window function", as in SQLite).  flags:
** LODE_DETERMINISTIC, LODE_DIRECTONLY.  xDestroy(app) runs when the
** definition is replaced or the connection closes. */
/* Opaque: the engine's own value and call objects (sqlite3_value and
** sqlite3_context are the same). */
typedef struct Mem lode_value;
typedef struct FuncContext lode_context;
#define LODE_DETERMINISTIC 0x000000800
#define LODE_DIRECTONLY 0x000080000
int lode_create_function(lode *db, const char *name, int nargs, int flags, void *app,
                         void (*xFunc)(lode_context *, int, lode_value **),
                         void (*xStep)(lode_context *, int, lode_value **), void (*xFinal)(lode_context *),
                         void (*xValue)(lode_context *), void (*xInverse)(lode_context *, int, lode_value **),
                         void (*xDestroy)(void *));
void *lode_user_data(lode_context *ctx);
/* The aggregate's n zeroed bytes, the same block at every call of one group
** (NULL for n <= 0 before the first call that asked for bytes). */
void *lode_aggregate_context(lode_context *ctx, int n);
int lode_value_type(lode_value *v);
lode_int64 lode_value_int64(lode_value *v);
double lode_value_double(lode_value *v);
const unsigned char *lode_value_text(lode_value *v);
const void *lode_value_blob(lode_value *v);
int lode_value_bytes(lode_value *v);
void lode_result_null(lode_context *ctx);
void lode_result_int64(lode_context *ctx, lode_int64 v);
void lode_result_double(lode_context *ctx, double v);
void lode_result_text(lode_context *ctx, const char *z, int n, lode_destructor_type d);
void lode_result_blob(lode_context *ctx, const void *p, int n, lode_destructor_type d);
void lode_result_error(lode_context *ctx, const char *msg, int n);
void lode_result_error_code(lode_context *ctx, int rc);

/* Index methods: access methods behind CREATE INDEX name ON t USING method
** (c1, ...) [WITH (k = v, ...)], kept up to date on every row change and used
** by the planner for the queries the method declares (docs/index-methods.md).
**
** The engine calls xAttach once per index (per schema load) with the index's
** definition; the attachment declares the backing stores it needs and the
** query patterns it answers.  A store is an ordinary b-tree of the database
** file, named "<index>_<suffix>" in sqlite_schema, so it is transactional
** and crash-safe like any index; it maps a key (two int64 numbers, major
** and minor; a method with int64 keys keeps minor 0) to a blob.
** Cursors are opened per statement with the stores open; every method call
** returns LODE_OK or an error code, with an optional lode_malloc'd message in
** the cursor's errmsg. */
typedef struct lode_index_store lode_index_store;
typedef struct lode_index_attachment lode_index_attachment;
typedef struct lode_index_cursor lode_index_cursor;

/* One WITH parameter: type is LODE_INTEGER (i), LODE_FLOAT (f), LODE_TEXT
** (p, n bytes, NUL-terminated) or LODE_BLOB (p, n bytes). */
typedef struct lode_index_param {
  const char *name;
  int type;
  lode_int64 i;
  double f;
  const void *p;
  int n;
} lode_index_param;

/* The definition of one index as xAttach sees it. */
typedef struct lode_index_config {
  const char *index_name;
  const char *table_name;
  int ncols;
  const char *const *col_names;  /* the indexed columns, as the table names them */
  const char *const *col_types;  /* their declared types ("" when none) */
  int nparams;
  const lode_index_param *params;
} lode_index_config;

typedef struct lode_index_method {
  int version;      /* 1, 2 with xColumn, 3 with xIntegrity, 4 with xIntegrityRow */
  const char *name; /* USING name (case-insensitive) */
  void *user_data;
  /* Checks the definition (columns, parameters) and makes the attachment,
  ** a method-allocated struct that starts with lode_index_attachment; on
  ** error returns LODE_ERROR with *errmsg (lode_malloc'd) saying why. */
  int (*xAttach)(void *user_data, const lode_index_config *cfg, lode_index_attachment **out, char **errmsg);
  void (*xDetach)(lode_index_attachment *a);
  /* A cursor (method-allocated, starting with lode_index_cursor) over the
  ** stores stores[0..a->nstores), open for the statement. */
  int (*xOpen)(lode_index_attachment *a, lode_index_store *const *stores, lode_index_cursor **out);
  void (*xClose)(lode_index_cursor *c);
  /* A row change: the indexed values (ncols of them) and the rowid.  An
  ** UPDATE is a delete of the old values and an insert of the new ones. */
  int (*xInsert)(lode_index_cursor *c, lode_value **vals, lode_int64 rowid);
  int (*xDelete)(lode_index_cursor *c, lode_value **vals, lode_int64 rowid);
  /* Starts pattern number pattern (0-based) with the values of its
  ** placeholders in order; then xEof/xNext walk the rows it yields, in the
  ** pattern's ORDER BY order, xRowid naming each. */
  int (*xQuery)(lode_index_cursor *c, int pattern, int nargs, lode_value **args);
  int (*xEof)(lode_index_cursor *c);
  int (*xNext)(lode_index_cursor *c);
  lode_int64 (*xRowid)(lode_index_cursor *c);
  /* Version 2 and up, optional: the value of the current row's result
  ** column i of the pattern (its select list's i-th expression: a score, a
  ** distance).  A query whose select list or ORDER BY holds that expression
  ** (with the same values for its "?") reads it from here, not by calling
  ** the function. */
  int (*xColumn)(lode_index_cursor *c, int i, double *out);
  /* Version 3 and up, optional: PRAGMA integrity_check of the index.  rows
  ** is the number of the table's rows with at least one non-NULL indexed
  ** value; LODE_OK when the method's stores agree with it and with
  ** themselves, else LODE_CORRUPT with the problem in the cursor's errmsg. */
  int (*xIntegrity)(lode_index_cursor *c, lode_int64 rows);
  /* Version 4 and up, optional: PRAGMA integrity_check hands the method,
  ** on the cursor it later calls xIntegrity on, each row of the table (its
  ** indexed values, NULLs too, and its rowid; in rowid order), as xInsert
  ** was handed it.  LODE_OK when the index holds the row as it should, else
  ** LODE_CORRUPT with the problem in the cursor's errmsg: one row of the
  ** check's result.  What the index holds and no row explains is for
  ** xIntegrity to report. */
  int (*xIntegrityRow)(lode_index_cursor *c, lode_value **vals, lode_int64 rowid);
} lode_index_method;

struct lode_index_attachment {
  const lode_index_method *method; /* set by the engine */
  int nstores;
  const char *const *store_suffixes; /* store i is the b-tree "<index>_<suffix i>" */
  int npatterns;
  /* SELECT statements over the table, "?" for a value the query supplies:
  ** "SELECT f(col, ?) AS d FROM t ORDER BY d LIMIT ?". */
  const char *const *patterns;
};

struct lode_index_cursor {
  lode_index_attachment *attachment; /* set by the engine */
  char *errmsg;                      /* lode_malloc'd, taken by the engine after a failed call */
  /* Set by the engine before each xQuery: the connection's query-time search
  ** width for approximate methods (PRAGMA vector_ann_ef_search), 0 for the
  ** method's own default.  Exact methods ignore it. */
  int search_width;
};

/* Registers (or replaces) a method on the connection, or with db NULL on
** every connection of the process (open or opened later; a connection's own
** method of the same name comes first).  A method of the same name as a
** built-in one takes its place.  A replacement binds what is compiled after
** it: the connection's statements re-prepare when the connection's method
** changes, while a statement already compiled keeps a process-wide method
** it bound until it is prepared again. */
int lode_create_index_method(lode *db, const lode_index_method *m);

/* A store's entries, in key order.  get: LODE_OK and *data and *n (valid until
** the next call on the store), or LODE_NOTFOUND.  put replaces an entry of
** the same key.  delete: LODE_OK, or LODE_NOTFOUND.  seek positions on the
** first entry whose key is >= (major, minor) (*eof = 1 when none); next
** moves on; key/value read the current entry. */
int lode_index_store_get(lode_index_store *s, lode_int64 major, lode_int64 minor, const void **data, int *n);
int lode_index_store_put(lode_index_store *s, lode_int64 major, lode_int64 minor, const void *data, int n);
int lode_index_store_delete(lode_index_store *s, lode_int64 major, lode_int64 minor);
int lode_index_store_seek(lode_index_store *s, lode_int64 major, lode_int64 minor, int *eof);
int lode_index_store_next(lode_index_store *s, int *eof);
void lode_index_store_key(lode_index_store *s, lode_int64 *major, lode_int64 *minor);
int lode_index_store_value(lode_index_store *s, const void **data, int *n);

/* The image of database schema ("main" or NULL) as one lode_malloc'd
** buffer of *size bytes (free with lode_free); NULL on failure. */
unsigned char *lode_serialize(lode *db, const char *schema, lode_int64 *size);
/* Replaces the in-memory database schema by a copy of data[0..size). */
int lode_deserialize(lode *db, const char *schema, const unsigned char *data, lode_int64 size);

/* Loads the SQLite extension library file (also tried with ".so" appended)
** and runs its entry point: entry, or NULL for sqlite3_extension_init, else
** sqlite3_<the file's base name>_init; as sqlite3_load_extension does with
** SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION on for this call.  The SQL function
** load_extension() stays refused.  LODE_ERROR with SQLite's message when the
** library or its entry point is missing or its init fails (always in the
** wasm build, which has no shared libraries). */
int lode_load_extension(lode *db, const char *file, const char *entry);

/* Online backup (sqlite3_backup_*): copies src's sname into dest's dname. */
typedef struct sqlite3_backup lode_backup; /* the same object as sqlite3_backup */
lode_backup *lode_backup_init(lode *dest, const char *dname, lode *src, const char *sname);
int lode_backup_step(lode_backup *b, int npages); /* LODE_DONE when finished */
int lode_backup_finish(lode_backup *b);
int lode_backup_remaining(lode_backup *b);
int lode_backup_pagecount(lode_backup *b);

/* WAL frames, for replication (libSQL's WAL manipulation; sqlite3.h has
** the libsql_ names).  A frame is the 24-byte frame header and the page as
** the "-wal" file holds them (an encrypted database's pages stay
** encrypted); frames are numbered 1..lode_wal_frame_count in the current
** WAL of database "main", and the numbering restarts at 1 when a commit
** follows a checkpoint that copied every frame (docs/replication.md).
**   lode_wal_get_frame copies frame n into buf (size >= 24 + page size).
**   lode_wal_insert_begin .. _end apply frames copied from another
**   database's WAL: each lode_wal_insert_frame(n) must continue the local
**   WAL (n = local frame count + 1, then + 1 per frame); the frames of a
**   commit are written together when its commit frame arrives, atomically.
**   A frame numbered at or below the local count is compared with the
**   local one: identical, it is skipped (applied before); different,
**   *conflict is set and LODE_ERROR returned.  Every refusal has a message
**   (lode_errmsg) and leaves the database unchanged.  _end drops the frames
**   of a commit whose commit frame never came.
**   lode_wal_disable_checkpoint stops this connection's automatic
**   checkpoints (after commits and at close), so frame numbers stay valid
**   until the caller checkpoints explicitly.
**   lode_wal_hook is sqlite3_wal_hook under Lode's name: cb(arg, db,
**   database name, frames in its WAL) runs when a statement that committed
**   to a database finishes outside an explicit transaction (its WAL then
**   holds the commit's frames); a NULL cb removes it.  Setting
**   PRAGMA wal_autocheckpoint drops it, as in SQLite. */
int lode_wal_frame_count(lode *db, unsigned int *frames);
int lode_wal_get_frame(lode *db, unsigned int n, void *buf, unsigned int size);
int lode_wal_insert_begin(lode *db);
int lode_wal_insert_frame(lode *db, unsigned int n, const void *buf, unsigned int size, int *conflict);
int lode_wal_insert_end(lode *db);
int lode_wal_disable_checkpoint(lode *db);
void *lode_wal_hook(lode *db, int (*cb)(void *arg, lode *db, const char *name, int frames), void *arg);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif
#endif /* LODE_H */
