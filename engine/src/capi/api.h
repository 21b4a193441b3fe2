/*
** api.h — what the sqlite3.h entry points (sqlite3_api.c, func_api.c,
** hooks.c, mprintf.c, unsupported.c) share.
**
** sqlite3.h's opaque types are the engine's own objects under SQLite's
** names: sqlite3 is struct lode, sqlite3_stmt is struct lode_stmt,
** sqlite3_value is a Mem and sqlite3_context a FuncContext.  The macros
** below make that so for the files that implement the API, so that each
** sqlite3_* function is a thin wrapper over the lode_* one, or the only
** implementation where lode.h has no counterpart.
**
** ConnApi holds the connection state only the sqlite3 API can set (hooks,
** handlers, limits); the connection points at it (lode.api) once one of
** them is set, and it is freed with the connection (conn_api_free).
*/
#ifndef LODE_CAPI_API_H
#define LODE_CAPI_API_H

#include "capi/stmt.h"
#include "conn/conn.h"

#define sqlite3 lode
#define sqlite3_stmt lode_stmt
#define sqlite3_value Mem
#define sqlite3_context FuncContext
#include "sqlite3.h"


typedef struct ClientData ClientData;

typedef struct ConnApi {
  int (*busy)(void *, int); /* sqlite3_busy_handler's (a busy_timeout is the pager's) */
  void *busy_arg;
  int (*progress)(void *);
  void *progress_arg;
  int progress_n;     /* call progress every progress_n ops (>= 1 when set) */
  unsigned trace_mask;
  int (*trace)(unsigned, void *, void *, void *);
  void *trace_arg;
  void (*trace_legacy)(void *, const char *);
  void *trace_legacy_arg;
  int nstepping; /* sqlite3_step calls running (a statement run from a function nests one in another) */
  void (*profile)(void *, const char *, sqlite3_uint64);
  void *profile_arg;
  int (*commit)(void *);
  void *commit_arg;
  void (*rollback)(void *);
  void *rollback_arg;
  void (*update)(void *, int, const char *, const char *, sqlite3_int64);
  void *update_arg;
  /* The preupdate hook (preupdate.c): the callback, the change it is being
  ** told of (with its values decoded on first ask), the old row of an
  ** UPDATE that moves its row, until its write comes, and the column a
  ** blob write changes (told as a DELETE, as SQLite does). */
  void (*preupdate)(void *, lode *, int, const char *, const char *, sqlite3_int64, sqlite3_int64);
  void *preupdate_arg;
  struct ApiPreupdate *pu;
  uint8_t *moved_rec;
  uint32_t moved_n;
  int64_t moved_rowid;
  const char *blob_column; /* NULL outside a blob write */
  struct sqlite3_blob *blob_spare; /* the last blob handle closed, its program kept for the next open */
  struct sqlite3_session *sessions; /* session.c: the connection's sessions (they record through preupdate) */
  int ext_codes; /* sqlite3_extended_result_codes */
  int not_a_database; /* deserialized bytes that are no database: statements fail with SQLITE_NOTADB */
  int notadb_file;    /* so is the main file (lode_open_v2): an empty in-memory database stands in for it */
  int zombie;    /* sqlite3_close_v2 with statements left: closes at the last finalize */
  ClientData *clientdata;
  int (*auth)(void *, int, const char *, const char *, const char *, const char *); /* sqlite3_set_authorizer */
  void *auth_arg;
  void *errmsg16; /* sqlite3_errmsg16's copy (utf16.c) */
  /* Virtual tables (vtab_api.c): registered modules, connected tables, the
  ** table whose constructor is running (sqlite3_declare_vtab declares it),
  ** the conflict action of the running xUpdate (sqlite3_vtab_on_conflict). */
  struct ApiModule *modules;
  struct ApiVtab *vtabs;
  struct ApiVtab *declaring;
  int vtab_conflict;
  struct ApiVtab **vtxn; /* the tables in the transaction, in xBegin order */
  int nvtxn, vtxn_cap;
  int (*wal_hook)(void *, lode *, const char *, int); /* sqlite3_wal_hook (wal.c) */
  void *wal_arg;
  uint32_t wal_frames[CONN_MAX_DB]; /* each database's WAL frames when the step began */
  void (*coll_needed)(void *, lode *, int, const char *); /* sqlite3_collation_needed (func_api.c) */
  void (*coll_needed16)(void *, lode *, int, const void *);
  void *coll_needed_arg;
  int load_ext, load_ext_sql; /* sqlite3_load_extension / load_extension() allowed (loadext.c) */
  void **libs;                /* the libraries loaded, closed with the connection */
  int nlibs, libs_cap;
} ConnApi;

/* prepare.c: compiles the one statement of sql into a program of the
** connection's own (not on its list of statements: sqlite3_blob_open's),
** without asking the authorizer. */
int capi_compile(lode *db, const char *sql, Vdbe **out);
/* blob.c: frees the closed blob handle kept for reuse (lode_close). */
void api_blob_spare_free(lode *db);

/* The connection's ConnApi, made on first use (NULL on oom). */
ConnApi *conn_api(lode *db);
/* Called by lode_close: runs destructors of clientdata and frees the state. */
void conn_api_free(lode *db);

/* mprintf.c: the logger sqlite3_log calls (SQLITE_CONFIG_LOG). */
void api_set_logger(void (*fn)(void *, int, const char *), void *arg);

/* sqlite3_api.c: marks the library initialized, as the calls that initialize
** SQLite on their own do (opening a connection, allocating, formatting, ...):
** sqlite3_config is refused from then until sqlite3_shutdown. */
void api_initialize(void);

/* hooks.c: the table of database dbi whose b-tree is root, or NULL. */
const Table *api_table_of_root(lode *db, int dbi, uint32_t root);

/* preupdate.c: the VM's upcall, and the state freed with the connection. */
void api_hook_preupdate(lode *db, const ConnPreupdate *pu);
void api_preupdate_free(ConnApi *a);
/* Tells the VM whether a preupdate hook or a session listens (lode.preupdate_on). */
void api_preupdate_listeners(lode *db);
/* session.c: each session of the connection records the change being told
** (op SQLITE_INSERT/UPDATE/DELETE of table t in database zdb). */
void api_session_preupdate(lode *db, int op, const char *zdb, const Table *t, int depth);

/* utf16.c: frees a statement's UTF-16 copies of the row's texts (all: its
** column names too); the UTF-8 of UTF-16 text z (nbytes < 0: to its NUL)
** in byte order enc, util_malloc'd; bind_text64 of UTF-16 text. */
void api_utf16_release(sqlite3_stmt *s, int all);
char *api_utf16_to_utf8(const void *z, int64_t nbytes, int enc, int *out_len);
void *api_utf8_to_utf16(const char *z); /* NUL-terminated, native byte order, util_malloc'd */
int api_bind_utf16(sqlite3_stmt *s, int i, const void *z, int64_t nbytes, void (*d)(void *), int enc);

/* prepare.c: lode_prepare with codegen flags (CODEGEN_*, codegen.h): the
** sqlite3_prepare_v3 flags that change what a statement may compile to. */
int capi_prepare_flags(lode *db, const char *sql, int nbyte, unsigned flags, lode_stmt **out, const char **tail);

/* prepare.c: the exec functions' compiled transaction-control statements.
** capi_exec_take: a statement (on the connection's list, as a fresh
** compile's) running the kept program whose text is all of sql, or NULL.
** capi_exec_done: s has run and been reset; keeps its program when it is a
** whole text that controls the transaction, and finalizes s.  capi_exec_free:
** at close. */
lode_stmt *capi_exec_take(lode *db, const char *sql);
void capi_exec_done(lode *db, lode_stmt *s);
void capi_exec_free(lode *db);

/* auth.c: the authorizer's questions about statement st that are not
** codegen's: api_authorize_before, asked before it is compiled (SELECT,
** CREATE TABLE / VIEW), api_authorize_after once it is; SQLITE_AUTH (or an
** error) with the message on the connection when it refuses, *noop = 1 when
** the statement is to do nothing.  api_auth_upcall: codegen's questions
** (ConnUpcalls.auth). */
struct Stmt;
int api_authorize_before(lode *db, const struct Stmt *st, int *noop);
int api_authorize_after(lode *db, const struct Stmt *st, int *noop);
int api_auth_upcall(lode *db, int action, const char *a, const char *b, const char *zdb, const char *ctx);
/* sqlite3_api.c: closes a zombie connection (sqlite3_close_v2) once its last
** statement and blob handle are gone; 1 when it did. */
int api_close_zombie(sqlite3 *db);

/* func_api.c: a scalar FuncDef calling xFunc with user data app (an
** overloading function of a virtual table), freed by api_overload_free. */
FuncDef *api_overload_def(const char *name, int nargs, void (*xFunc)(sqlite3_context *, int, sqlite3_value **),
                          void *app);
void api_overload_free(FuncDef *def);
/* func_api.c: adds to r (the functions every connection starts with) what
** sqlite3_create_function(db, name, nargs, SQLITE_UTF8, NULL, xFunc, NULL,
** NULL) adds to a connection's, or with xFunc NULL what
** sqlite3_overload_function(db, name, nargs) adds; name must outlive r. */
int api_base_function(FuncRegistry *r, const char *name, int nargs, void (*xFunc)(sqlite3_context *, int, sqlite3_value **));

/* wal.c: around a statement's step when db->api is set: the WAL hook runs
** for each database the step committed to (returns rc, or the hook's code). */
void api_wal_before_step(lode *db);
int api_wal_after_step(lode *db, int rc);

/* loadext.c: load_extension(), added to the functions every connection
** shares; at open, the automatic extensions (an error on the connection
** when one fails); at close, the libraries are unloaded;
** SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION. */
int api_loadext_functions(FuncRegistry *r);
int api_loadext_open(lode *db);
void api_loadext_close(lode *db);
int api_config_load_extension(lode *db, int onoff, int *out);

/* func_api.c: drops the connection's user collations (their destructors run). */
void api_collations_close(lode *db);

/* vtab_api.c: disconnects the connection's virtual tables and drops its
** modules (their destructors run), at close. */
void api_vtab_close(lode *db);

/* The connection's upcalls (conn.h's ConnUpcalls): the hooks (hooks.c) and
** application virtual tables (vtab_api.c), installed at open. */
extern const ConnUpcalls api_upcalls;
int api_hook_commit(lode *db);
void api_hook_rollback(lode *db);
void api_hook_update(lode *db, int op, int dbi, uint32_t root, int64_t rowid);
int api_hook_progress(lode *db, uint32_t seen, uint32_t now);
int api_vtab_table(lode *db, Table *t, const struct VtabModule **out, char **errmsg);
/* The dbstat virtual table's module (dbstat.c). */
const sqlite3_module *api_dbstat_module(void);
/* vtab_api.c: whether name is a built-in eponymous module (dbstat,
** sqlite_dbpage), registered with the connection at its first use. */
int api_builtin_eponymous(const char *name);
/* The sqlite_dbpage virtual table's module (dbpage.c). */
const sqlite3_module *api_dbpage_module(void);
const struct VtabModule *api_vtab_eponymous(lode *db, const char *name, char **errmsg);
const struct VtabModule *api_vtab_find(lode *db, const char *name, int kind);
int api_vtab_create(lode *db, int dbi, const char *name);
int api_vtab_destroy(lode *db, int dbi, const char *name);
int api_vtab_begin(lode *db, const struct VtabModule *m, int level);
int api_vtab_sync(lode *db);
void api_vtab_end(lode *db, int commit);
int api_vtab_savepoint(lode *db, int op, int i);
int api_vtab_rename(lode *db, int dbi, const char *name, const char *new_name);
int api_run_rows(lode *db, const char *sql, struct VtabRows *out, char **errmsg);
int api_vtab_shadow(lode *db, const char *module, const char *suffix);
void api_vtab_schema_reset(lode *db);

/* Registers the change data capture functions that read the schema
** (table_columns_json_array, cdc_funcs.c) into db->funcs. */
int conn_cdc_register(lode *db);

/* Pointer values (sqlite3_bind_pointer, sqlite3_result_pointer): SQL sees
** NULL; the value carries the pointer in u.i, API_POINTER_SUBTYPE and a hash
** of its type name in n, which copies keep, so that sqlite3_value_pointer
** with the same type name gets it back. */
#define API_POINTER_SUBTYPE 0x50
int api_pointer_type_hash(const char *type);

#endif /* LODE_CAPI_API_H */
