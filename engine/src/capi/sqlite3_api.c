/*
** sqlite3_api.c — sqlite3.h's connections, statements, binding, columns,
** errors, exec/get_table and library-level calls, as thin wrappers over the
** lode_* implementation (api.h maps the types).
**
** Misuse is answered as SQLite answers it: a NULL, closed or finalized
** handle gives SQLITE_MISUSE (or the documented harmless value for
** accessors), an out-of-range column or parameter SQLITE_RANGE recorded on
** the connection.  Handles are never freed while a program may still hold
** them (conn.h), so checking them is safe.
*/
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capi/api.h"
#include "codegen/codegen.h"
#include "func/func.h"
#include "sql/token.h"
#include "util/util.h"

const char sqlite3_version[] = SQLITE_VERSION;
char *sqlite3_temp_directory;
char *sqlite3_data_directory;

static int db_ok(sqlite3 *db) { return db && db->magic == CONN_MAGIC_OPEN; }
static int stmt_ok(sqlite3_stmt *s) { return s && s->vdbe; }

/* ---- library ------------------------------------------------------------------------------------------- */

const char *sqlite3_libversion(void) { return SQLITE_VERSION; }
const char *sqlite3_sourceid(void) { return SQLITE_SOURCE_ID; }
int sqlite3_libversion_number(void) { return SQLITE_VERSION_NUMBER; }
/* Connections may be used from several threads, one at a time each. */
int sqlite3_threadsafe(void) { return 2; }
/* Lode has nothing to set up or tear down; it only keeps whether the library
** counts as initialized, because SQLite takes settings (sqlite3_config) only
** before that, or again after sqlite3_shutdown. */
static atomic_int initialized;
void api_initialize(void) { atomic_store_explicit(&initialized, 1, memory_order_relaxed); }
int sqlite3_initialize(void) {
  api_initialize();
  return SQLITE_OK;
}
int sqlite3_shutdown(void) {
  atomic_store_explicit(&initialized, 0, memory_order_relaxed);
  return SQLITE_OK;
}
int sqlite3_os_init(void) { return SQLITE_OK; }
int sqlite3_os_end(void) { return SQLITE_OK; }


/* "file:" names are URIs whether or not SQLITE_OPEN_URI is given, as in the
** builds of SQLite this library stands in for (Debian's, better-sqlite3's:
** SQLITE_USE_URI=1); SQLITE_CONFIG_URI turns that off or on.  Set before
** connections open, as SQLite asks, so read without a lock. */
static int open_uri_always = 1;
int sqlite3_compileoption_used(const char *name) {
  if (!name) return 0;
  if (util_strnicmp(name, "SQLITE_", 7) == 0) name += 7;
  size_t n = strlen(name);
  for (int i = 0; func_compile_options[i]; i++)
    if (util_strnicmp(func_compile_options[i], name, n) == 0 &&
        (func_compile_options[i][n] == 0 || func_compile_options[i][n] == '='))
      return 1;
  return 0;
}

const char *sqlite3_compileoption_get(int n) {
  for (int i = 0; n >= 0 && func_compile_options[i]; i++)
    if (i == n) return func_compile_options[i];
  return NULL;
}

/* Settings of SQLite's allocator and caches have no counterpart in Lode;
** they are accepted and change nothing.  The threading modes too: a Lode
** connection is always used by one thread at a time.  SQLITE_CONFIG_LOG
** sets the logger sqlite3_log calls (mprintf.c).  As in SQLite, every
** setting is refused once the library is initialized (lode_config_log sets
** the logger at any time). */
int sqlite3_config(int op, ...) {
  if (atomic_load_explicit(&initialized, memory_order_relaxed)) return SQLITE_MISUSE;
  if (op == SQLITE_CONFIG_LOG) {
    va_list ap;
    va_start(ap, op);
    void (*fn)(void *, int, const char *) = va_arg(ap, void (*)(void *, int, const char *));
    void *arg = va_arg(ap, void *);
    va_end(ap);
    api_set_logger(fn, arg);
    return SQLITE_OK;
  }
  if (op == SQLITE_CONFIG_URI) {
    va_list ap;
    va_start(ap, op);
    open_uri_always = va_arg(ap, int) != 0;
    va_end(ap);
    return SQLITE_OK;
  }
  switch (op) {
    case SQLITE_CONFIG_SINGLETHREAD: case SQLITE_CONFIG_MULTITHREAD: case SQLITE_CONFIG_SERIALIZED:
    case SQLITE_CONFIG_MALLOC: case SQLITE_CONFIG_GETMALLOC: case SQLITE_CONFIG_SCRATCH:
    case SQLITE_CONFIG_PAGECACHE: case SQLITE_CONFIG_HEAP: case SQLITE_CONFIG_MEMSTATUS:
    case SQLITE_CONFIG_LOOKASIDE:
    case SQLITE_CONFIG_COVERING_INDEX_SCAN: case SQLITE_CONFIG_MMAP_SIZE: case SQLITE_CONFIG_PMASZ:
    case SQLITE_CONFIG_STMTJRNL_SPILL: case SQLITE_CONFIG_SMALL_MALLOC: case SQLITE_CONFIG_SORTERREF_SIZE:
    case SQLITE_CONFIG_MEMDB_MAXSIZE:
      return SQLITE_OK;
    default: return SQLITE_ERROR;
  }
}

/* SQLITE_DBCONFIG_ENABLE_FKEY is PRAGMA foreign_keys. */
static int config_foreign_keys(sqlite3 *db, int value, int *out) {
  sqlite3_stmt *s = NULL;
  if (value >= 0) lode_exec(db, value ? "PRAGMA foreign_keys=ON" : "PRAGMA foreign_keys=OFF", NULL);
  if (out) {
    *out = 0;
    if (lode_prepare(db, "PRAGMA foreign_keys", -1, &s, NULL) == SQLITE_OK && s && lode_step(s) == SQLITE_ROW)
      *out = (int)lode_column_int64(s, 0) != 0;
    lode_finalize(s);
  }
  conn_clear_error(db);
  return SQLITE_OK;
}

int sqlite3_db_config(sqlite3 *db, int op, ...) {
  va_list ap;
  int rc = SQLITE_OK;
  if (!db_ok(db)) return SQLITE_MISUSE;
  va_start(ap, op);
  if (op == SQLITE_DBCONFIG_MAINDBNAME) {
    (void)va_arg(ap, const char *);
  } else if (op == SQLITE_DBCONFIG_LOOKASIDE) {
    (void)va_arg(ap, void *);
    (void)va_arg(ap, int);
    (void)va_arg(ap, int);
  } else if (op > SQLITE_DBCONFIG_LOOKASIDE && op <= SQLITE_DBCONFIG_MAX) {
    /* Boolean settings: report them as SQLite's defaults (on for the
    ** features Lode has, off for the ones it lacks or never allows). */
    int value = va_arg(ap, int);
    int *out = va_arg(ap, int *);
    if (op == SQLITE_DBCONFIG_ENABLE_FKEY) {
      va_end(ap);
      return config_foreign_keys(db, value, out);
    }
    if (op == SQLITE_DBCONFIG_DEFENSIVE) {
      int old = lode_defensive(db, value < 0 ? -1 : value != 0);
      if (out) *out = value < 0 ? old : value != 0;
      va_end(ap);
      return SQLITE_OK;
    }
    if (op == SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION) {
      va_end(ap);
      return api_config_load_extension(db, value, out);
    }
    if (op == SQLITE_DBCONFIG_WRITABLE_SCHEMA) { /* PRAGMA writable_schema's setting */
      if (value >= 0) db->settings[CONN_SET_WRITABLE_SCHEMA] = value != 0;
      if (out) *out = db->settings[CONN_SET_WRITABLE_SCHEMA] != 0;
      va_end(ap);
      return SQLITE_OK;
    }
    if (op == SQLITE_DBCONFIG_ENABLE_VIEW) {
      if (value >= 0 && db->views_off != (value == 0)) {
        db->views_off = value == 0;
        db->schema_gen++; /* statements compiled with the other setting compile again */
      }
      if (out) *out = !db->views_off;
      va_end(ap);
      return SQLITE_OK;
    }
    if (op == SQLITE_DBCONFIG_ENABLE_QPSG) {
      if (value >= 0 && db->qpsg != (value != 0)) {
        db->qpsg = value != 0;
        db->schema_gen++; /* statements planned with the other setting compile again */
      }
      if (out) *out = db->qpsg;
      va_end(ap);
      return SQLITE_OK;
    }
    if (op == SQLITE_DBCONFIG_DQS_DML || op == SQLITE_DBCONFIG_DQS_DDL) {
      int *off = op == SQLITE_DBCONFIG_DQS_DML ? &db->no_dqs_dml : &db->no_dqs_ddl;
      if (value >= 0) *off = value == 0;
      if (out) *out = !*off;
      va_end(ap);
      return SQLITE_OK;
    }
    int on = op == SQLITE_DBCONFIG_ENABLE_TRIGGER ||
             op == SQLITE_DBCONFIG_TRUSTED_SCHEMA || op == SQLITE_DBCONFIG_ENABLE_ATTACH_CREATE ||
             op == SQLITE_DBCONFIG_ENABLE_ATTACH_WRITE || op == SQLITE_DBCONFIG_ENABLE_COMMENTS;
    (void)value;
    if (out) *out = on;
  } else {
    rc = SQLITE_ERROR;
  }
  va_end(ap);
  return rc;
}

/* ---- connections --------------------------------------------------------------------------------------- */

int sqlite3_open_v2(const char *filename, sqlite3 **ppDb, int flags, const char *zVfs) {
  if (!ppDb) return SQLITE_MISUSE;
  if (zVfs && strcmp(zVfs, "unix") != 0 && strcmp(zVfs, "unix-none") != 0 && strcmp(zVfs, "unix-dotfile") != 0 &&
      strcmp(zVfs, "unix-excl") != 0) {
    int rc = lode_open_v2(":memory:", ppDb, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK) conn_error(*ppDb, SQLITE_ERROR, "no such vfs: %s", zVfs);
    return SQLITE_ERROR;
  }
  /* SQLite checks the access flags: exactly one of READONLY, READWRITE or
  ** READWRITE|CREATE. */
  int access = flags & (SQLITE_OPEN_READONLY | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (access != SQLITE_OPEN_READONLY && access != SQLITE_OPEN_READWRITE &&
      access != (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) {
    *ppDb = NULL;
    return SQLITE_MISUSE;
  }
  if (open_uri_always) flags |= SQLITE_OPEN_URI;
  /* SQLITE_OPEN_MEMORY: the name only tells connections apart; each is a
  ** private in-memory database here. */
  if ((flags & SQLITE_OPEN_MEMORY) && !(filename && strncmp(filename, "file:", 5) == 0 && (flags & SQLITE_OPEN_URI)))
    filename = ":memory:";
  int rc = lode_open_v2(filename ? filename : "", ppDb, flags, NULL);
  if (*ppDb && (flags & SQLITE_OPEN_EXRESCODE)) sqlite3_extended_result_codes(*ppDb, 1);
  /* SQLite reports a directory as plain SQLITE_CANTOPEN. */
  if (rc == SQLITE_CANTOPEN_ISDIR && *ppDb) {
    (*ppDb)->errcode = rc = SQLITE_CANTOPEN;
  }
  return rc;
}

int sqlite3_open(const char *filename, sqlite3 **ppDb) {
  return sqlite3_open_v2(filename, ppDb, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
}


static void trace_close(sqlite3 *db) {
  ConnApi *a = db->api;
  if (a && a->trace && (a->trace_mask & SQLITE_TRACE_CLOSE)) a->trace(SQLITE_TRACE_CLOSE, a->trace_arg, db, NULL);
}

int sqlite3_close(sqlite3 *db) {
  if (!db) return SQLITE_OK;
  if (!db_ok(db)) return SQLITE_MISUSE;
  if (db->stmts) return lode_close(db);
  trace_close(db);
  api_collations_close(db);
  return lode_close(db);
}

int api_close_zombie(sqlite3 *db) {
  if (!db->api || !db->api->zombie || db->stmts || db->nblobs) return 0;
  trace_close(db);
  api_collations_close(db);
  lode_close(db);
  return 1;
}

/* A connection with statements (or blob handles) left becomes a zombie:
** unusable, closed when its last one is finalized (or closed). */
int sqlite3_close_v2(sqlite3 *db) {
  if (!db) return SQLITE_OK;
  if (!db_ok(db)) return SQLITE_MISUSE;
  if (db->stmts || db->nblobs) {
    ConnApi *a = conn_api(db);
    if (!a) return SQLITE_NOMEM;
    a->zombie = 1;
    return SQLITE_OK;
  }
  return sqlite3_close(db);
}

/* The timeout is the pager's to keep: it waits at the lock itself (and wakes
** as soon as a writer of this process ends).  A busy handler retrying the
** statement on top of that would wait the timeout again at every retry. */
int sqlite3_busy_timeout(sqlite3 *db, int ms) {
  if (!db_ok(db)) return SQLITE_MISUSE;
  lode_busy_timeout(db, ms);
  if (db->api) db->api->busy = NULL; /* replaces a handler, as in SQLite */
  return SQLITE_OK;
}

int sqlite3_busy_handler(sqlite3 *db, int (*handler)(void *, int), void *arg) {
  ConnApi *a;
  if (!db_ok(db)) return SQLITE_MISUSE;
  lode_busy_timeout(db, 0);
  if (!handler && !db->api) return SQLITE_OK;
  if (!(a = conn_api(db))) return SQLITE_NOMEM;
  a->busy = handler;
  a->busy_arg = arg;
  return SQLITE_OK;
}

sqlite3_filename sqlite3_db_filename(sqlite3 *db, const char *name) {
  return db_ok(db) ? lode_db_filename(db, name) : NULL;
}
int sqlite3_db_readonly(sqlite3 *db, const char *name) { return db_ok(db) ? lode_db_readonly(db, name) : -1; }
const char *sqlite3_db_name(sqlite3 *db, int n) { return db_ok(db) && n >= 0 && n < db->ndb ? db->dbs[n].name : NULL; }
void sqlite3_interrupt(sqlite3 *db) {
  if (db_ok(db)) lode_interrupt(db);
}
int sqlite3_is_interrupted(sqlite3 *db) { return db_ok(db) ? lode_is_interrupted(db) : 0; }
int sqlite3_get_autocommit(sqlite3 *db) { return db_ok(db) ? lode_get_autocommit(db) : 0; }

/* The named database's state, or the strongest of them all. */
int sqlite3_txn_state(sqlite3 *db, const char *schema) {
  if (!db_ok(db)) return -1;
  int i = schema ? conn_db_find(db, schema) : -1, txn = db->txn;
  if (schema && i < 0) return -1;
  if (i >= 0) txn = db->dbs[i].bt ? db->dbs[i].txn : CONN_TXN_NONE;
  if (txn == CONN_TXN_WRITE) return SQLITE_TXN_WRITE;
  return db->autocommit && db->nactive == 0 ? SQLITE_TXN_NONE : txn == CONN_TXN_READ ? SQLITE_TXN_READ
                                                                                      : SQLITE_TXN_NONE;
}

sqlite3_int64 sqlite3_last_insert_rowid(sqlite3 *db) { return db_ok(db) ? lode_last_insert_rowid(db) : 0; }
void sqlite3_set_last_insert_rowid(sqlite3 *db, sqlite3_int64 rowid) {
  if (db_ok(db)) db->last_rowid = rowid;
}
int sqlite3_changes(sqlite3 *db) { return db_ok(db) ? (int)lode_changes(db) : 0; }
sqlite3_int64 sqlite3_changes64(sqlite3 *db) { return db_ok(db) ? lode_changes(db) : 0; }
int sqlite3_total_changes(sqlite3 *db) { return db_ok(db) ? (int)lode_total_changes(db) : 0; }
sqlite3_int64 sqlite3_total_changes64(sqlite3 *db) { return db_ok(db) ? lode_total_changes(db) : 0; }

int sqlite3_extended_result_codes(sqlite3 *db, int onoff) {
  ConnApi *a;
  if (!db_ok(db)) return SQLITE_MISUSE;
  if (!(a = conn_api(db))) return SQLITE_NOMEM;
  a->ext_codes = onoff != 0;
  return SQLITE_OK;
}

int sqlite3_limit(sqlite3 *db, int id, int value) { return db_ok(db) ? lode_limit(db, id, value) : -1; }

/* ---- errors -------------------------------------------------------------------------------------------- */

int sqlite3_errcode(sqlite3 *db) {
  if (db && db->magic != CONN_MAGIC_OPEN) return SQLITE_MISUSE;
  if (db && db->api && db->api->ext_codes) return lode_extended_errcode(db);
  return lode_errcode(db);
}

int sqlite3_extended_errcode(sqlite3 *db) {
  if (db && db->magic != CONN_MAGIC_OPEN) return SQLITE_MISUSE;
  return lode_extended_errcode(db);
}

const char *sqlite3_errmsg(sqlite3 *db) {
  if (db && db->magic != CONN_MAGIC_OPEN) return lode_errstr(SQLITE_MISUSE);
  return lode_errmsg(db);
}


const char *sqlite3_errstr(int rc) { return lode_errstr(rc); }
int sqlite3_error_offset(sqlite3 *db) { return lode_error_offset(db); }
int sqlite3_system_errno(sqlite3 *db) { (void)db; return 0; }

/* ---- statements ---------------------------------------------------------------------------------------- */

static int prepare(sqlite3 *db, const char *sql, int nbyte, unsigned flags, sqlite3_stmt **ppStmt,
                   const char **tail) {
  if (ppStmt) *ppStmt = NULL;
  if (!db_ok(db) || !sql) return SQLITE_MISUSE;
  if (!ppStmt) return conn_error(db, SQLITE_MISUSE, NULL);
  if (db->api && db->api->not_a_database) return conn_error(db, SQLITE_NOTADB, NULL);
  int max_sql = db->limits[SQLITE_LIMIT_SQL_LENGTH];
  if (max_sql < conn_limit_max(SQLITE_LIMIT_SQL_LENGTH) &&
      (nbyte >= 0 ? strnlen(sql, (size_t)nbyte) : strlen(sql)) > (size_t)max_sql)
    return conn_error(db, SQLITE_TOOBIG, NULL);
  int rc = capi_prepare_flags(db, sql, nbyte, flags, ppStmt, tail);
  /* SQLITE_LIMIT_VARIABLE_NUMBER lowered by the program */
  int max_vars = db->limits[SQLITE_LIMIT_VARIABLE_NUMBER];
  if (rc == SQLITE_OK && *ppStmt && lode_bind_parameter_count(*ppStmt) > max_vars) {
    lode_finalize(*ppStmt);
    *ppStmt = NULL;
    return conn_error(db, SQLITE_ERROR, "too many SQL variables");
  }
  return rc;
}

int sqlite3_prepare_v2(sqlite3 *db, const char *sql, int nbyte, sqlite3_stmt **ppStmt, const char **tail) {
  return prepare(db, sql, nbyte, 0, ppStmt, tail);
}

int sqlite3_prepare(sqlite3 *db, const char *sql, int nbyte, sqlite3_stmt **ppStmt, const char **tail) {
  return sqlite3_prepare_v2(db, sql, nbyte, ppStmt, tail);
}

/* PERSISTENT and NORMALIZE are hints; NO_VTAB makes every virtual table
** "no such table" (what fts3 prepares its shadow-table SQL with). */
int sqlite3_prepare_v3(sqlite3 *db, const char *sql, int nbyte, unsigned int flags, sqlite3_stmt **ppStmt,
                       const char **tail) {
  return prepare(db, sql, nbyte, (flags & SQLITE_PREPARE_NO_VTAB) ? CODEGEN_NO_VTAB : 0, ppStmt, tail);
}


static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The text of a statement run inside another's step (from a function), as
** SQLite traces it: "-- " before each of its lines. */
static char *nested_text(const char *sql) {
  StrBuf b;
  strbuf_init(&b);
  while (sql && *sql) {
    const char *end = strchr(sql, '\n');
    size_t n = end ? (size_t)(end - sql) + 1 : strlen(sql);
    strbuf_append(&b, "-- ", 3);
    strbuf_append(&b, sql, n);
    sql += n;
  }
  return strbuf_finish(&b);
}

/* Tracing around a step: STMT (and the legacy trace) when a run starts,
** ROW per row, PROFILE when it ends. */
static void trace_before(sqlite3_stmt *s) {
  ConnApi *a = s->db->api;
  int nested = a->nstepping > 0;
  if (s->trace_start_ns) return;
  /* No clock read for a run nothing traces (as SQLite, which times a run
  ** only when a profile callback is set when it starts). */
  if (!a->trace && !a->trace_legacy && !a->profile) return;
  s->trace_start_ns = now_ns();
  if (a->trace && (a->trace_mask & SQLITE_TRACE_STMT)) {
    char *x = nested ? util_mprintf("-- %s", lode_sql(s)) : NULL;
    a->trace(SQLITE_TRACE_STMT, a->trace_arg, s, (void *)(x ? x : lode_sql(s)));
    util_free(x);
  }
  if (a->trace_legacy) {
    /* the legacy trace sees the parameters' values in the text, or a nested
    ** statement's text commented out */
    char *x = nested ? nested_text(lode_sql(s)) : sqlite3_expanded_sql(s);
    a->trace_legacy(a->trace_legacy_arg, x ? x : lode_sql(s));
    util_free(x);
  }
}

static void trace_after(sqlite3_stmt *s, int rc) {
  ConnApi *a = s->db->api;
  if (rc == SQLITE_ROW) {
    if (a->trace && (a->trace_mask & SQLITE_TRACE_ROW)) a->trace(SQLITE_TRACE_ROW, a->trace_arg, s, NULL);
    return;
  }
  if (!s->trace_start_ns) return;
  sqlite3_int64 ns = now_ns() - s->trace_start_ns;
  if (a->trace && (a->trace_mask & SQLITE_TRACE_PROFILE)) a->trace(SQLITE_TRACE_PROFILE, a->trace_arg, s, &ns);
  if (a->profile) a->profile(a->profile_arg, lode_sql(s), (sqlite3_uint64)ns);
  s->trace_start_ns = 0;
}

int sqlite3_step(sqlite3_stmt *s) {
  int rc, fresh, count = 0;
  if (!stmt_ok(s)) return SQLITE_MISUSE;
  if (s->text16) api_utf16_release(s, 0);
  fresh = !vdbe_is_busy(s->vdbe);
  /* A statement that ended must be reset before it runs again (SQLite
  ** since 3.7 resets it automatically). */
  if (fresh && vdbe_is_running(s->vdbe)) lode_reset(s);
  if (s->db->api) trace_before(s);
  /* (asked only by the busy retry, which a statement already running never takes) */
  int in_txn = fresh && !sqlite3_get_autocommit(s->db);
  ConnApi *stepping = s->db->api; /* counted here, if there was one to count in */
  if (stepping) stepping->nstepping++;
  for (;;) {
    rc = lode_step(s);
    /* A busy handler retries a statement that failed before doing
    ** anything: one that had not started when it was stepped.  Not a stale
    ** snapshot inside a transaction (a concurrent one's conflict ends it):
    ** only a new transaction can get past that. */
    if ((rc & 0xff) != SQLITE_BUSY || !fresh || !s->db->api || !s->db->api->busy) break;
    if (rc == SQLITE_BUSY_SNAPSHOT && in_txn) break;
    if (!s->db->api->busy(s->db->api->busy_arg, count++)) break;
    lode_reset(s);
  }
  if (stepping) stepping->nstepping--;
  if (s->db->api) {
    /* a row's step asks only whether rows are traced */
    ConnApi *a = s->db->api;
    if (rc != SQLITE_ROW || (a->trace && (a->trace_mask & SQLITE_TRACE_ROW))) trace_after(s, rc);
  }
  /* SQLite leaves the step's own code on the connection. */
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) s->db->errcode = rc;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE && !(s->db->api && s->db->api->ext_codes)) {
    /* The extended code stays on the connection; step returns it only
    ** when extended result codes are on, as in SQLite. */
    return rc & 0xff;
  }
  return rc;
}

int sqlite3_reset(sqlite3_stmt *s) {
  int rc, ran;
  if (!s) return SQLITE_OK;
  if (!stmt_ok(s)) return SQLITE_MISUSE;
  if (s->db->api && s->trace_start_ns) trace_after(s, SQLITE_DONE);
  if (s->text16) api_utf16_release(s, 0);
  /* A statement not stepped since its last reset leaves the connection's
  ** error as it is, so that the message of a failed run can still be read
  ** after a second reset or the finalize that follows. */
  ran = s->stepped;
  rc = lode_reset(s);
  if (rc == SQLITE_OK && ran) conn_clear_error(s->db);
  if (rc != SQLITE_OK) {
    /* the run's error stays readable on the connection, as in SQLite */
    if (!(s->db->api && s->db->api->ext_codes)) rc &= 0xff;
  }
  return rc;
}

int sqlite3_finalize(sqlite3_stmt *s) {
  sqlite3 *db;
  int rc, ran;
  if (!s) return SQLITE_OK;
  if (!stmt_ok(s)) return SQLITE_MISUSE;
  db = s->db;
  if (db->api && s->trace_start_ns) trace_after(s, SQLITE_DONE);
  api_utf16_release(s, 1);
  ran = s->stepped;
  rc = lode_finalize(s);
  if (rc == SQLITE_OK && ran) conn_clear_error(db);
  if (api_close_zombie(db)) return rc & 0xff;
  if (rc != SQLITE_OK && !(db->api && db->api->ext_codes)) rc &= 0xff;
  return rc;
}

const char *sqlite3_sql(sqlite3_stmt *s) { return stmt_ok(s) ? lode_sql(s) : NULL; }
int sqlite3_stmt_readonly(sqlite3_stmt *s) { return stmt_ok(s) ? lode_stmt_readonly(s) : 1; }
int sqlite3_stmt_busy(sqlite3_stmt *s) { return stmt_ok(s) ? lode_stmt_busy(s) : 0; }
int sqlite3_stmt_isexplain(sqlite3_stmt *s) { return stmt_ok(s) ? lode_stmt_isexplain(s) : 0; }
int sqlite3_stmt_explain(sqlite3_stmt *s, int mode) {
  if (!stmt_ok(s)) return SQLITE_MISUSE;
  return mode == lode_stmt_isexplain(s) ? SQLITE_OK : conn_error(s->db, SQLITE_ERROR, "cannot change EXPLAIN mode");
}
sqlite3 *sqlite3_db_handle(sqlite3_stmt *s) { return stmt_ok(s) ? s->db : NULL; }
sqlite3_stmt *sqlite3_next_stmt(sqlite3 *db, sqlite3_stmt *s) {
  if (s) return stmt_ok(s) ? s->next : NULL;
  return db_ok(db) ? db->stmts : NULL;
}
int sqlite3_expired(sqlite3_stmt *s) { return !stmt_ok(s); }
const char *sqlite3_normalized_sql(sqlite3_stmt *s) { (void)s; return NULL; }
int sqlite3_stmt_status(sqlite3_stmt *s, int op, int reset) {
  if (!stmt_ok(s)) return 0;
  if (op == SQLITE_STMTSTATUS_MEMUSED) {
    int64_t n = vdbe_mem_used(s->vdbe);
    return n > INT_MAX ? INT_MAX : (int)n;
  }
  uint32_t n = vdbe_status(s->vdbe, op, reset);
  return n > INT_MAX ? INT_MAX : (int)n;
}

/* The SQL with each parameter replaced by its bound value as a literal. */
char *sqlite3_expanded_sql(sqlite3_stmt *s) {
  const char *sql, *p;
  StrBuf b;
  int next = 1;
  if (!stmt_ok(s)) return NULL;
  sql = lode_sql(s);
  if (!sql) return NULL;
  strbuf_init(&b);
  p = sql;
  const char *end = sql + strlen(sql);
  while (p < end) {
    int code = 0;
    int len = sql_token_get(p, end, &code);
    if (len <= 0) break;
    if (code == TK_VARIABLE) {
      int idx;
      char name[64];
      if (p[0] == '?' && len == 1) {
        idx = next;
      } else if (p[0] == '?') {
        idx = atoi(p + 1);
      } else {
        snprintf(name, sizeof name, "%.*s", len < 63 ? len : 63, p);
        idx = lode_bind_parameter_index(s, name);
      }
      if (idx >= next) next = idx + 1;
      const Mem *m = vdbe_param_value(s->vdbe, idx);
      char buf[40];
      if (!m || m->type == MEM_NULL) {
        strbuf_appendz(&b, "NULL");
      } else if (m->type == MEM_INT) {
        util_render_int(m->u.i, buf);
        strbuf_appendz(&b, buf);
      } else if (m->type == MEM_REAL) {
        util_render_real15(m->u.r, buf); /* expanded SQL shows "%!.15g" in SQLite */
        strbuf_appendz(&b, buf);
      } else if (m->type == MEM_TEXT) {
        strbuf_appendc(&b, '\'');
        for (int i = 0; i < m->n; i++) {
          if (m->z[i] == '\'') strbuf_appendc(&b, '\'');
          strbuf_appendc(&b, m->z[i]);
        }
        strbuf_appendc(&b, '\'');
      } else {
        static const char hex[] = "0123456789abcdef";
        strbuf_appendz(&b, "x'");
        for (int i = 0; i < m->n; i++) {
          strbuf_appendc(&b, hex[(uint8_t)m->z[i] >> 4]);
          strbuf_appendc(&b, hex[(uint8_t)m->z[i] & 15]);
        }
        strbuf_appendc(&b, '\'');
      }
    } else {
      strbuf_append(&b, p, (size_t)len);
    }
    p += len;
  }
  strbuf_append(&b, "", 0);
  char *out = strbuf_finish(&b);
  /* Longer than the connection's SQLITE_LIMIT_LENGTH: none, as in SQLite. */
  if (out && strlen(out) > (size_t)lode_limit(lode_db_handle(s), LODE_LIMIT_LENGTH, -1)) {
    sqlite3_free(out);
    return NULL;
  }
  return out;
}

int sqlite3_complete(const char *sql) { return lode_complete(sql); }

/* ---- binding ------------------------------------------------------------------------------------------- */

static void destroy(const void *p, void (*d)(void *)) {
  if (d != SQLITE_STATIC && d != SQLITE_TRANSIENT && p) d((void *)p);
}

/* A text or blob longer than SQLITE_LIMIT_LENGTH as the program set it. */
static int over_length_limit(sqlite3_stmt *s, const void *p, int64_t n) {
  int max = s->db->limits[SQLITE_LIMIT_LENGTH];
  if (!p || max >= conn_limit_max(SQLITE_LIMIT_LENGTH)) return 0; /* the engine checks its maximum itself */
  if (n < 0) n = (int64_t)strlen(p);
  return n > max;
}

int sqlite3_bind_null(sqlite3_stmt *s, int i) { return stmt_ok(s) ? lode_bind_null(s, i) : SQLITE_MISUSE; }
int sqlite3_bind_int(sqlite3_stmt *s, int i, int v) { return stmt_ok(s) ? lode_bind_int(s, i, v) : SQLITE_MISUSE; }
int sqlite3_bind_int64(sqlite3_stmt *s, int i, sqlite3_int64 v) {
  return stmt_ok(s) ? lode_bind_int64(s, i, v) : SQLITE_MISUSE;
}
int sqlite3_bind_double(sqlite3_stmt *s, int i, double v) {
  return stmt_ok(s) ? lode_bind_double(s, i, v) : SQLITE_MISUSE;
}

int sqlite3_bind_text(sqlite3_stmt *s, int i, const char *z, int n, void (*d)(void *)) {
  if (!stmt_ok(s)) {
    destroy(z, d);
    return SQLITE_MISUSE;
  }
  if (over_length_limit(s, z, n)) {
    destroy(z, d);
    return conn_error(s->db, SQLITE_TOOBIG, NULL);
  }
  return lode_bind_text(s, i, z, n, d);
}

int sqlite3_bind_blob(sqlite3_stmt *s, int i, const void *p, int n, void (*d)(void *)) {
  if (!stmt_ok(s)) {
    destroy(p, d);
    return SQLITE_MISUSE;
  }
  if (over_length_limit(s, p, n < 0 ? 0 : n)) {
    destroy(p, d);
    return conn_error(s->db, SQLITE_TOOBIG, NULL);
  }
  return lode_bind_blob(s, i, p, n, d);
}

int sqlite3_bind_text64(sqlite3_stmt *s, int i, const char *z, sqlite3_uint64 n, void (*d)(void *),
                        unsigned char enc) {
  if (!stmt_ok(s)) {
    destroy(z, d);
    return SQLITE_MISUSE;
  }
  if (enc == SQLITE_UTF16 || enc == SQLITE_UTF16LE || enc == SQLITE_UTF16BE)
    return api_bind_utf16(s, i, z, n == (sqlite3_uint64)-1 ? -1 : (int64_t)n, d, enc);
  if (enc != SQLITE_UTF8) {
    destroy(z, d);
    return conn_error(s->db, SQLITE_MISUSE, NULL);
  }
  if (n > (sqlite3_uint64)INT_MAX && n != (sqlite3_uint64)-1) {
    destroy(z, d);
    return conn_error(s->db, SQLITE_TOOBIG, NULL);
  }
  return sqlite3_bind_text(s, i, z, n == (sqlite3_uint64)-1 ? -1 : (int)n, d);
}

int sqlite3_bind_blob64(sqlite3_stmt *s, int i, const void *p, sqlite3_uint64 n, void (*d)(void *)) {
  if (!stmt_ok(s)) {
    destroy(p, d);
    return SQLITE_MISUSE;
  }
  if (n > (sqlite3_uint64)INT_MAX) {
    destroy(p, d);
    return conn_error(s->db, SQLITE_TOOBIG, NULL);
  }
  return sqlite3_bind_blob(s, i, p, (int)n, d);
}


int sqlite3_bind_zeroblob(sqlite3_stmt *s, int i, int n) {
  return stmt_ok(s) ? lode_bind_zeroblob(s, i, n) : SQLITE_MISUSE;
}

int sqlite3_bind_zeroblob64(sqlite3_stmt *s, int i, sqlite3_uint64 n) {
  if (!stmt_ok(s)) return SQLITE_MISUSE;
  if (n > (sqlite3_uint64)1000000000) return conn_error(s->db, SQLITE_TOOBIG, NULL);
  return lode_bind_zeroblob(s, i, (int)n);
}

int sqlite3_bind_value(sqlite3_stmt *s, int i, const sqlite3_value *v) {
  if (!stmt_ok(s)) return SQLITE_MISUSE;
  if (!v) return lode_bind_null(s, i);
  switch (v->type) {
    case MEM_INT: return lode_bind_int64(s, i, v->u.i);
    case MEM_REAL: return lode_bind_double(s, i, v->u.r);
    case MEM_TEXT: return lode_bind_text(s, i, v->n ? v->z : "", v->n, SQLITE_TRANSIENT);
    case MEM_BLOB:
      if (!v->z && v->n) return lode_bind_zeroblob(s, i, v->n);
      return lode_bind_blob(s, i, v->n ? v->z : "", v->n, SQLITE_TRANSIENT);
    default: return lode_bind_null(s, i);
  }
}

int api_pointer_type_hash(const char *type) {
  unsigned h = 2166136261u;
  for (const char *z = type ? type : ""; *z; z++) h = (h ^ (unsigned char)*z) * 16777619u;
  return (int)(h & 0x7FFFFFFF);
}

/* The parameter reads as NULL, as it does to SQL; a function it is passed
** to gets the pointer back (api.h).  The destructor runs once the bind is
** made, so the pointer must outlive the statement's use of it, as SQLite's
** callers' pointers do for the run they bind it for. */
int sqlite3_bind_pointer(sqlite3_stmt *s, int i, void *p, const char *type, void (*d)(void *)) {
  int rc = stmt_ok(s) ? lode_bind_null(s, i) : SQLITE_MISUSE;
  if (rc == SQLITE_OK && p && type) {
    Mem *m = (Mem *)vdbe_param_value(s->vdbe, i);
    if (m) {
      m->subtype = API_POINTER_SUBTYPE;
      m->u.i = (int64_t)(intptr_t)p;
      m->n = api_pointer_type_hash(type);
    }
  }
  if (d && p) d(p);
  return rc;
}

int sqlite3_bind_parameter_count(sqlite3_stmt *s) { return stmt_ok(s) ? lode_bind_parameter_count(s) : 0; }
const char *sqlite3_bind_parameter_name(sqlite3_stmt *s, int i) {
  return stmt_ok(s) ? lode_bind_parameter_name(s, i) : NULL;
}
int sqlite3_bind_parameter_index(sqlite3_stmt *s, const char *name) {
  return stmt_ok(s) ? lode_bind_parameter_index(s, name) : 0;
}
int sqlite3_clear_bindings(sqlite3_stmt *s) { return stmt_ok(s) ? lode_clear_bindings(s) : SQLITE_MISUSE; }

int sqlite3_transfer_bindings(sqlite3_stmt *from, sqlite3_stmt *to) {
  int n;
  if (!stmt_ok(from) || !stmt_ok(to)) return SQLITE_MISUSE;
  n = vdbe_nparams(from->vdbe);
  if (n != vdbe_nparams(to->vdbe)) return SQLITE_ERROR;
  for (int i = 1; i <= n; i++) sqlite3_bind_value(to, i, vdbe_param_value(from->vdbe, i));
  return SQLITE_OK;
}

/* ---- columns ------------------------------------------------------------------------------------------- */

int sqlite3_column_count(sqlite3_stmt *s) { return stmt_ok(s) ? lode_column_count(s) : 0; }
int sqlite3_data_count(sqlite3_stmt *s) { return stmt_ok(s) ? lode_data_count(s) : 0; }
const char *sqlite3_column_name(sqlite3_stmt *s, int i) { return stmt_ok(s) ? lode_column_name(s, i) : NULL; }
const char *sqlite3_column_decltype(sqlite3_stmt *s, int i) {
  return stmt_ok(s) ? lode_column_decltype(s, i) : NULL;
}
/* Origins are known for columns read straight from a table (not through a
** view or a subquery in FROM). */
const char *sqlite3_column_table_name(sqlite3_stmt *s, int i) {
  return stmt_ok(s) ? vdbe_col_origin(s->vdbe, i, 0) : NULL;
}
const char *sqlite3_column_origin_name(sqlite3_stmt *s, int i) {
  return stmt_ok(s) ? vdbe_col_origin(s->vdbe, i, 1) : NULL;
}
const char *sqlite3_column_database_name(sqlite3_stmt *s, int i) {
  return stmt_ok(s) ? vdbe_col_origin(s->vdbe, i, 2) : NULL;
}

/* A column of the current row; NULL (and SQLITE_RANGE on the connection)
** when there is no row or no such column, as in SQLite. */
static int column_ok(sqlite3_stmt *s, int i) {
  if (!stmt_ok(s)) return 0;
  if (!s->on_row || i < 0 || i >= vdbe_ncols(s->vdbe)) {
    conn_error(s->db, SQLITE_RANGE, NULL);
    return 0;
  }
  return 1;
}

int sqlite3_column_type(sqlite3_stmt *s, int i) { return column_ok(s, i) ? lode_column_type(s, i) : SQLITE_NULL; }
int sqlite3_column_int(sqlite3_stmt *s, int i) { return column_ok(s, i) ? lode_column_int(s, i) : 0; }
sqlite3_int64 sqlite3_column_int64(sqlite3_stmt *s, int i) { return column_ok(s, i) ? lode_column_int64(s, i) : 0; }
double sqlite3_column_double(sqlite3_stmt *s, int i) { return column_ok(s, i) ? lode_column_double(s, i) : 0.0; }
const unsigned char *sqlite3_column_text(sqlite3_stmt *s, int i) {
  return column_ok(s, i) ? lode_column_text(s, i) : NULL;
}
const void *sqlite3_column_blob(sqlite3_stmt *s, int i) { return column_ok(s, i) ? lode_column_blob(s, i) : NULL; }
int sqlite3_column_bytes(sqlite3_stmt *s, int i) { return column_ok(s, i) ? lode_column_bytes(s, i) : 0; }
sqlite3_value *sqlite3_column_value(sqlite3_stmt *s, int i) {
  static Mem null_value = {MEM_NULL, MEM_STATIC, 0, {0}, NULL, 0, NULL};
  if (!column_ok(s, i)) return &null_value;
  Mem *m = vdbe_result(s->vdbe, i);
  return m ? m : &null_value;
}

/* ---- exec and get_table ------------------------------------------------------------------------------ */

static void set_errmsg(char **out, sqlite3 *db) {
  if (out) *out = util_strdup(sqlite3_errmsg(db));
}

int sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **), void *arg,
                 char **errmsg) {
  const char *rest = sql;
  int rc = SQLITE_OK;
  char **cols = NULL;
  if (errmsg) *errmsg = NULL;
  if (!db_ok(db)) return SQLITE_MISUSE;
  if (!sql) sql = rest = "";
  conn_clear_error(db);
  while (*rest) {
    sqlite3_stmt *s = NULL;
    while (*rest == ' ' || (*rest >= '\t' && *rest <= '\r')) rest++;
    if (!*rest) break;
    const char *tail = NULL;
    int ncol, named = 0;
    /* a kept "BEGIN …"/"COMMIT" of the whole text (capi/prepare.c), unless a
    ** lowered SQLITE_LIMIT_SQL_LENGTH must refuse it */
    s = strlen(rest) <= (size_t)db->limits[SQLITE_LIMIT_SQL_LENGTH] ? capi_exec_take(db, rest) : NULL;
    if (s) {
      tail = rest + strlen(rest);
    } else {
      rc = sqlite3_prepare_v2(db, rest, -1, &s, &tail);
      if (rc != SQLITE_OK) break;
    }
    rest = tail;
    if (!s) continue;
    ncol = sqlite3_column_count(s);
    for (;;) {
      rc = sqlite3_step(s);
      if (rc != SQLITE_ROW) break;
      if (!cb) continue; /* run to completion, as SQLite does */
      if (!named) {
        util_free(cols);
        cols = util_zalloc(sizeof *cols * (size_t)(2 * ncol + 1));
        if (!cols) {
          rc = conn_error(db, SQLITE_NOMEM, NULL);
          break;
        }
        for (int i = 0; i < ncol; i++) cols[i] = (char *)sqlite3_column_name(s, i);
        named = 1;
      }
      for (int i = 0; i < ncol; i++) cols[ncol + i] = (char *)sqlite3_column_text(s, i);
      if (cb(arg, ncol, cols + ncol, cols)) {
        sqlite3_finalize(s);
        s = NULL;
        rc = conn_error(db, SQLITE_ABORT, NULL);
        break;
      }
    }
    if (!s) break;
    /* the last statement of the text may be kept (capi_exec_done); not once
    ** the connection is a zombie, which its finalize must close */
    int keep = *rest == 0 && !(db->api && db->api->zombie);
    if (keep && (rc == SQLITE_DONE || rc == SQLITE_ROW)) {
      rc = sqlite3_reset(s);
      api_utf16_release(s, 1);
      capi_exec_done(db, s);
      if (rc != SQLITE_OK) break;
      continue;
    }
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
      rc = sqlite3_finalize(s);
      if (rc != SQLITE_OK) break;
      continue;
    }
    /* keep the step's error across finalize */
    char *msg = util_strdup(lode_errmsg(db));
    int code = db->errcode;
    if (keep) {
      sqlite3_reset(s);
      api_utf16_release(s, 1);
      capi_exec_done(db, s);
    } else {
      lode_finalize(s);
    }
    conn_error_take(db, code, msg);
    break;
  }
  util_free(cols);
  if (rc != SQLITE_OK) set_errmsg(errmsg, db);
  else conn_clear_error(db);
  return rc;
}

typedef struct TableResult {
  char **rows; /* rows[0] holds the count of entries after it */
  size_t n, cap;
  int ncol, nrow;
  int rc;
} TableResult;

static int table_push(TableResult *t, const char *z) {
  if (t->n + 1 >= t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 32;
    char **grown = util_realloc(t->rows, sizeof *grown * cap);
    if (!grown) return 0;
    t->rows = grown;
    t->cap = cap;
  }
  char *copy = NULL;
  if (z && !(copy = util_strdup(z))) return 0;
  t->rows[++t->n] = copy;
  return 1;
}

static int table_row(void *arg, int ncol, char **vals, char **names) {
  TableResult *t = arg;
  if (t->nrow == 0 && t->ncol == 0) {
    t->ncol = ncol;
    for (int i = 0; i < ncol; i++)
      if (!table_push(t, names[i])) return t->rc = SQLITE_NOMEM, 1;
  } else if (ncol != t->ncol) {
    t->rc = SQLITE_ERROR;
    return 1;
  }
  for (int i = 0; i < ncol; i++)
    if (!table_push(t, vals[i])) return t->rc = SQLITE_NOMEM, 1;
  t->nrow++;
  return 0;
}

int sqlite3_get_table(sqlite3 *db, const char *sql, char ***result, int *nrow, int *ncol, char **errmsg) {
  TableResult t = {0};
  int rc;
  if (result) *result = NULL;
  if (nrow) *nrow = 0;
  if (ncol) *ncol = 0;
  if (errmsg) *errmsg = NULL;
  if (!db_ok(db) || !result) return SQLITE_MISUSE;
  t.rows = util_malloc(sizeof *t.rows * 32);
  if (!t.rows) return SQLITE_NOMEM;
  t.cap = 32;
  rc = sqlite3_exec(db, sql, table_row, &t, errmsg);
  t.rows[0] = (char *)(intptr_t)t.n;
  if (rc == SQLITE_ABORT && t.rc != SQLITE_OK) {
    if (errmsg) {
      util_free(*errmsg);
      *errmsg = util_strdup(t.rc == SQLITE_NOMEM ? "out of memory"
                                                 : "sqlite3_get_table() called with two or more incompatible queries");
    }
    rc = conn_error(db, t.rc, NULL);
  }
  if (rc != SQLITE_OK) {
    sqlite3_free_table(t.rows + 1);
    return rc;
  }
  *result = t.rows + 1;
  if (nrow) *nrow = t.nrow;
  if (ncol) *ncol = t.ncol;
  return SQLITE_OK;
}

void sqlite3_free_table(char **result) {
  if (!result) return;
  char **base = result - 1;
  size_t n = (size_t)(intptr_t)base[0];
  for (size_t i = 1; i <= n; i++) util_free(base[i]);
  util_free(base);
}

/* ---- miscellany ---------------------------------------------------------------------------------------- */

int sqlite3_sleep(int ms) {
  if (ms < 0) ms = 0;
  usleep((useconds_t)ms * 1000);
  return ms;
}

int sqlite3_stricmp(const char *a, const char *b) {
  if (!a) return b ? -1 : 0;
  if (!b) return 1;
  return util_stricmp(a, b);
}

int sqlite3_strnicmp(const char *a, const char *b, int n) {
  if (!a) return b ? -1 : 0;
  if (!b) return 1;
  return n <= 0 ? 0 : util_strnicmp(a, b, (size_t)n);
}

int sqlite3_table_column_metadata(sqlite3 *db, const char *dbname, const char *table, const char *column,
                                  char const **type, char const **coll, int *notnull, int *pk, int *autoinc) {
  Table *t;
  int rc;
  if (!db_ok(db) || !table) return SQLITE_MISUSE;
  int di = dbname ? conn_db_find(db, dbname) : -1;
  if (dbname && di < 0) return conn_error(db, SQLITE_ERROR, "no such table column: %s.%s", table, column ? column : "");
  rc = conn_ensure_schema(db);
  if (rc != SQLITE_OK) return rc;
  t = NULL;
  /* Without a database name, the first that has the table: temp, main, the attached ones. */
  for (int k = 0; k < db->ndb && !t; k++) {
    int d = di >= 0 ? di : k == 0 ? 1 : k == 1 ? 0 : k;
    if (di >= 0 && k > 0) break;
    t = db->dbs[d].schema ? schema_find_table(db->dbs[d].schema, table) : NULL;
  }
  if (!t) return conn_error(db, SQLITE_ERROR, "no such table column: %s.%s", table, column ? column : "");
  const char *ty = NULL, *co = "BINARY";
  int nn = 0, ispk = 0, ai = 0;
  if (column) {
    int found = -2;
    for (int i = 0; i < t->ncols; i++)
      if (util_stricmp(t->cols[i].name, column) == 0) found = i;
    if (found == -2 && !t->without_rowid &&
        (util_stricmp(column, "rowid") == 0 || util_stricmp(column, "oid") == 0 ||
         util_stricmp(column, "_rowid_") == 0)) {
      found = t->ipk >= 0 ? t->ipk : -1;
      if (found < 0) ty = "INTEGER", ispk = 1;
    }
    if (found == -2) return conn_error(db, SQLITE_ERROR, "no such table column: %s.%s", table, column);
    if (found >= 0) {
      const Column *c = &t->cols[found];
      ty = c->decltype_;
      co = c->coll_name ? c->coll_name : "BINARY";
      nn = c->not_null != 0;
      ispk = c->primary_key != 0;
      ai = ispk && t->autoinc;
    }
  }
  if (type) *type = ty;
  if (coll) *coll = co;
  if (notnull) *notnull = nn;
  if (pk) *pk = ispk;
  if (autoinc) *autoinc = ai;
  conn_clear_error(db);
  return SQLITE_OK;
}
