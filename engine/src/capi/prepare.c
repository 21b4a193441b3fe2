/*
** prepare.c — statements: compiling SQL into VM programs, stepping them
** (with transparent re-preparation when the schema changed underneath, as
** sqlite3_prepare_v2 statements do), reset/finalize and lode_exec.
**
** Invariant: every live lode_stmt is on its connection's list, so
** lode_close can refuse to close while statements exist.
*/
#include <string.h>

#include "capi/api.h"
#include "codegen/codegen.h"
#include "sql/parser.h"
#include "util/util.h"
#include "vtab/vtab.h"

#define MAX_REPREPARE 5
/* compile_one's flag beside codegen's: a statement of the library's own
** (blob I/O's), which the authorizer hears nothing of, as from SQLite. */
#define COMPILE_OWN 0x8000
/* compile_one's other own flag: read the schema cookies before compiling,
** even with every schema in memory (its second try after an error). */
#define COMPILE_CHECKED 0x4000

/* Compiles the first statement of sql into a program.  *out is NULL when
** the text holds no statement.  bound (or NULL): the program being replaced,
** whose bound parameter values the planner may estimate with. */
static int compile_one(lode *db, const char *sql, int nbyte, unsigned flags, const Vdbe *bound, Vdbe **out,
                       const char **tail) {
  Arena arena;
  Stmt *ast = NULL;
  char *err = NULL;
  Vdbe *v = NULL;
  int rc, err_offset = -1;
  *out = NULL;
  arena_init(&arena);
  SqlLimits lim = {db->limits[LODE_LIMIT_COLUMN], db->limits[LODE_LIMIT_EXPR_DEPTH],
                   db->limits[LODE_LIMIT_COMPOUND_SELECT], db->limits[LODE_LIMIT_VARIABLE_NUMBER]};
  rc = sql_parse_at(&arena, sql, nbyte, &ast, tail, &err, &lim, &err_offset);
  if (rc != LODE_OK) {
    conn_error_take(db, rc, err);
    db->err_offset = err_offset;
    goto done;
  }
  if (!ast) goto done;
  /* PRAGMA writable_schema decides how the schema loads (rows it cannot
  ** read are skipped while it is on): like SQLite, setting it reads no
  ** schema, so that it can open a file whose schema does not load.  A
  ** schema in memory is used as it is, as by SQLite: the program checks the
  ** cookies when it runs (and is compiled again if they moved); only a
  ** failed compile asks whether the schema was out of date. */
  int lazy = 0;
  if (ast->kind == STMT_PRAGMA && ast->pragma && util_stricmp(ast->pragma, "writable_schema") == 0) rc = LODE_OK;
  else if (ast->kind == STMT_ALTER_TABLE) rc = conn_ensure_schema_stored(db);
  else if (!(flags & COMPILE_CHECKED) && conn_schema_loaded(db)) lazy = 1;
  else rc = conn_ensure_schema(db);
  if (rc != LODE_OK) goto done;
  int auth = db->api && db->api->auth && !(flags & COMPILE_OWN), noop = 0;
  unsigned own = flags & (COMPILE_OWN | COMPILE_CHECKED);
  flags &= ~(unsigned)(COMPILE_OWN | COMPILE_CHECKED);
  if (auth && (rc = api_authorize_before(db, ast, &noop)) != LODE_OK) goto done;
  v = vdbe_new(db);
  if (!v) {
    rc = conn_error(db, LODE_NOMEM, NULL);
    goto done;
  }
  vdbe_set_bound_from(v, bound);
  /* An authorizer hears of the rest as the statement is compiled, unless
  ** it made the statement one that does nothing. */
  rc = codegen_compile(db, ast, flags | (auth && !noop ? CODEGEN_AUTH : 0), v, &err, &err_offset);
  vdbe_set_bound_from(v, NULL);
  if (rc == LODE_OK && auth && !noop) rc = api_authorize_after(db, ast, &noop);
  if (rc == LODE_OK && noop) { /* SQLite codes nothing for it */
    vdbe_truncate(v, 0);
    if (vdbe_add_op(v, OP_Halt, 0, 0, 0) < 0) rc = conn_error(db, LODE_NOMEM, NULL);
  }
  if (rc == LODE_OK) rc = vdbe_finish(v);
  /* The statement's text as given, up to the end of what was compiled
  ** (spaces and the ';' included), as sqlite3_sql returns it. */
  if (rc == LODE_OK && tail && *tail > sql) {
    vdbe_set_sql(v, sql, (int)(*tail - sql));
    if (vdbe_oom(v)) rc = conn_error(db, LODE_NOMEM, NULL);
  }
  if (rc != LODE_OK) {
    if (err) {
      conn_error_take(db, rc, err);
      db->err_offset = err_offset;
    } else if (db->errcode == LODE_OK) {
      conn_error(db, rc, NULL);
    }
    vdbe_free(v);
    v = NULL;
    int reloaded = 0, refresh;
    if (lazy && rc != LODE_NOMEM) {
      /* "no such table" from a schema another connection has changed since? */
      if ((refresh = conn_refresh_schema(db, &reloaded)) != LODE_OK) rc = refresh;
      else if (reloaded) {
        arena_free(&arena);
        conn_clear_error(db);
        return compile_one(db, sql, nbyte, flags | own | COMPILE_CHECKED, bound, out, tail);
      }
    }
    goto done;
  }
  *out = v;
done:
  arena_free(&arena);
  return rc;
}

int capi_compile(lode *db, const char *sql, Vdbe **out) {
  const char *tail = NULL;
  int rc = compile_one(db, sql, -1, COMPILE_OWN, NULL, out, &tail);
  if (rc == LODE_OK && !*out) rc = conn_error(db, LODE_MISUSE, NULL);
  return rc;
}

static void stmt_link(lode *db, lode_stmt *s) {
  s->next = db->stmts;
  s->prev = NULL;
  if (db->stmts) db->stmts->prev = s;
  db->stmts = s;
}

static void stmt_unlink(lode *db, lode_stmt *s) {
  if (s->prev) s->prev->next = s->next;
  else db->stmts = s->next;
  if (s->next) s->next->prev = s->prev;
}

int lode_prepare(lode *db, const char *sql, int nbyte, lode_stmt **out, const char **tail) {
  return capi_prepare_flags(db, sql, nbyte, 0, out, tail);
}

int capi_prepare_flags(lode *db, const char *sql, int nbyte, unsigned flags, lode_stmt **out, const char **tail) {
  Vdbe *v = NULL;
  const char *end = NULL;
  lode_stmt *s;
  int rc;
  if (out) *out = NULL;
  if (!db || db->magic != CONN_MAGIC_OPEN) return LODE_MISUSE;
  if (!sql || !out) return conn_error(db, LODE_MISUSE, NULL);
  /* deserialized bytes that are no database image */
  if (db->api && db->api->not_a_database) return conn_error(db, LODE_NOTADB, NULL);
  conn_clear_error(db);
  rc = compile_one(db, sql, nbyte, flags, NULL, &v, &end);
  if (tail) *tail = end ? end : sql;
  /* SQLITE_CONFIG_LOG hears of every statement that fails to compile, as from SQLite. */
  if (rc != LODE_OK && rc != LODE_NOMEM) {
    if (nbyte < 0) sqlite3_log(rc, "%s in \"%s\"", lode_errmsg(db), sql);
    else sqlite3_log(rc, "%s in \"%.*s\"", lode_errmsg(db), nbyte, sql);
  }
  if (rc != LODE_OK || !v) return rc;
  s = capi_stmt_alloc();
  if (!s) {
    vdbe_free(v);
    return conn_error(db, LODE_NOMEM, NULL);
  }
  s->db = db;
  s->vdbe = v;
  s->compile_flags = flags;
  stmt_link(db, s);
  *out = s;
  return LODE_OK;
}

/* Replaces the statement's program by a fresh compile of the same SQL,
** keeping its parameter bindings. */
static int reprepare(lode_stmt *s) {
  Vdbe *fresh = NULL;
  int i, n, rc;
  const char *sql = vdbe_sql(s->vdbe);
  rc = compile_one(s->db, sql, -1, s->compile_flags, s->vdbe, &fresh, NULL);
  if (rc != LODE_OK) return rc;
  if (!fresh) return conn_error(s->db, LODE_SCHEMA, NULL);
  n = vdbe_nparams(fresh);
  if (n > vdbe_nparams(s->vdbe)) n = vdbe_nparams(s->vdbe);
  for (i = 1; i <= n; i++) {
    rc = mem_copy(vdbe_param(fresh, i), vdbe_param(s->vdbe, i));
    if (rc != LODE_OK) {
      vdbe_free(fresh);
      return conn_error(s->db, rc, NULL);
    }
  }
  vdbe_status_carry(fresh, s->vdbe);
  /* The text sqlite3_sql returned stays valid: applications (the Tcl
  ** binding's statement cache among them) keep that pointer as the key. */
  vdbe_swap_sql(fresh, s->vdbe);
  vdbe_free(s->vdbe);
  s->vdbe = fresh;
  return LODE_OK;
}

/* ---- the exec functions' transaction-control statements ----------------
** Applications run "BEGIN CONCURRENT", "COMMIT" and the like through exec
** once per transaction; compiling them again each time (parse, the schema
** check, codegen) cost about as many instructions as a small transaction's
** own writes.  Only these are kept: they return no rows and hold nothing
** between runs, and step() compiles them again when the schema or the
** functions changed, as for any statement.  An authorizer must hear of every
** compile, so none is kept or reused while one is set.  Only the programs
** are kept, not statement handles: between runs nothing of them is on the
** connection's list of statements, so they do not keep it from closing. */

static int is_txn_keyword(const char *sql) {
  static const char *const words[] = {"BEGIN", "COMMIT", "END", "ROLLBACK"};
  while (*sql == ' ' || (*sql >= '\t' && *sql <= '\r')) sql++;
  for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
    size_t n = strlen(words[i]), k = 0;
    while (k < n && (sql[k] & ~0x20) == words[i][k]) k++;
    if (k == n && !((sql[n] >= 'A' && sql[n] <= 'Z') || (sql[n] >= 'a' && sql[n] <= 'z') || sql[n] == '_' ||
                    (sql[n] >= '0' && sql[n] <= '9') || (unsigned char)sql[n] >= 0x80))
      return 1;
  }
  return 0;
}

static int exec_cache_usable(lode *db) { return !(db->api && db->api->auth); }

lode_stmt *capi_exec_take(lode *db, const char *sql) {
  const size_t n = sizeof db->exec_progs / sizeof *db->exec_progs;
  if (!exec_cache_usable(db)) return NULL;
  for (size_t i = 0; i < n; i++) {
    Vdbe *v = db->exec_progs[i];
    if (v && strcmp(vdbe_sql(v), sql) == 0) {
      lode_stmt *s = capi_stmt_alloc();
      if (!s) return NULL; /* the program stays kept; the caller compiles */
      db->exec_progs[i] = NULL;
      s->db = db;
      s->vdbe = v;
      stmt_link(db, s);
      return s;
    }
  }
  return NULL;
}

void capi_exec_done(lode *db, lode_stmt *s) {
  const size_t n = sizeof db->exec_progs / sizeof *db->exec_progs;
  Vdbe *v = s->vdbe;
  const char *sql = v ? vdbe_sql(v) : NULL;
  if (!v || !sql || s->compile_flags || vdbe_is_busy(v) || !exec_cache_usable(db) || !is_txn_keyword(sql)) {
    lode_finalize(s);
    return;
  }
  /* the handle goes, the program stays: a stale handle that an application
  ** kept (from a trace callback) can then reach nothing kept */
  stmt_unlink(db, s);
  capi_stmt_release(s);
  size_t i = 0;
  while (i < n && db->exec_progs[i]) i++;
  if (i == n) { /* full: drop the oldest */
    vdbe_free(db->exec_progs[0]);
    memmove(db->exec_progs, db->exec_progs + 1, (n - 1) * sizeof *db->exec_progs);
    i = n - 1;
  }
  db->exec_progs[i] = v;
}

void capi_exec_free(lode *db) {
  for (size_t i = 0; i < sizeof db->exec_progs / sizeof *db->exec_progs; i++) {
    vdbe_free(db->exec_progs[i]);
    db->exec_progs[i] = NULL;
  }
}

static int step(lode_stmt *s);

/* Comparisons under application collations use the functions of the
** statement's connection (value/collation.c). */
int lode_step(lode_stmt *s) {
  if (!s || !s->vdbe) return LODE_MISUSE;
  if (s->executing) return conn_error(s->db, LODE_MISUSE, NULL);
  const CollSet *prev = coll_enter(s->db->colls);
  s->executing = 1;
  int rc = step(s);
  s->executing = 0;
  coll_leave(prev);
  return rc;
}

static int step(lode_stmt *s) {
  int rc, tries = 0;
  s->on_row = 0;
  s->stepped = 1;
  if (!vdbe_is_running(s->vdbe)) {
    conn_clear_error(s->db);
    /* Compiled before a change of functions or collations (or a rollback
    ** of schema changes): compile again, whether or not the program would
    ** notice at its Transaction op.  Likewise when a parameter the plan was
    ** estimated with has been bound since (sqlite_stat4). */
    if ((vdbe_schema_gen(s->vdbe) != s->db->schema_gen || vdbe_expired(s->vdbe)) && (rc = reprepare(s)) != LODE_OK)
      return s->step_error = rc;
    /* An interrupt aimed at statements that have all ended is forgotten. */
    if (s->db->nactive == 0) atomic_store(&s->db->interrupted, 0);
  }
  if (s->db->api) api_wal_before_step(s->db);
  for (;;) {
    rc = vdbe_step(s->vdbe);
    if (rc != LODE_SCHEMA || tries++ >= MAX_REPREPARE) break;
    vdbe_reset(s->vdbe);
    s->db->schema->loaded = 0;
    rc = reprepare(s);
    if (rc != LODE_OK) break;
  }
  if (rc == LODE_SCHEMA) conn_error(s->db, rc, NULL);
  if (s->db->api && rc == LODE_DONE) {
    int hrc = api_wal_after_step(s->db, rc);
    if (hrc != rc) {
      s->step_error = hrc;
      return conn_error(s->db, LODE_ERROR, NULL);
    }
  }
  s->on_row = rc == LODE_ROW;
  s->step_error = rc == LODE_ROW || rc == LODE_DONE ? LODE_OK : rc;
  return rc;
}

int lode_reset(lode_stmt *s) {
  if (!s) return LODE_OK;
  if (!s->vdbe || s->executing) return LODE_MISUSE;
  s->on_row = 0;
  int rc = vdbe_reset(s->vdbe);
  if (rc == LODE_OK) rc = s->step_error;
  s->step_error = LODE_OK;
  s->stepped = 0;
  return rc;
}

int lode_finalize(lode_stmt *s) {
  int rc;
  if (!s) return LODE_OK;
  if (!s->vdbe || s->executing) return LODE_MISUSE;
  rc = vdbe_reset(s->vdbe);
  if (rc == LODE_OK) rc = s->step_error;
  vdbe_free(s->vdbe);
  stmt_unlink(s->db, s);
  capi_stmt_release(s);
  return rc;
}

const char *lode_sql(lode_stmt *s) { return s && s->vdbe ? vdbe_sql(s->vdbe) : NULL; }
int lode_stmt_readonly(lode_stmt *s) { return s && s->vdbe ? vdbe_is_readonly(s->vdbe) : 1; }
int lode_stmt_busy(lode_stmt *s) { return s && s->vdbe ? vdbe_is_busy(s->vdbe) : 0; }
int lode_stmt_isexplain(lode_stmt *s) { return s && s->vdbe ? vdbe_is_explain(s->vdbe) : 0; }
lode *lode_db_handle(lode_stmt *s) { return s && s->vdbe ? s->db : NULL; }
lode_stmt *lode_next_stmt(lode *db, lode_stmt *s) { return s ? s->next : db ? db->stmts : NULL; }

int lode_exec(lode *db, const char *sql, char **errmsg) {
  const char *rest = sql;
  int rc = LODE_OK;
  if (errmsg) *errmsg = NULL;
  if (!db) return LODE_MISUSE;
  while (rest && *rest) {
    const char *tail = NULL;
    lode_stmt *s = capi_exec_take(db, rest);
    if (s) {
      tail = rest + strlen(rest);
    } else {
      rc = lode_prepare(db, rest, -1, &s, &tail);
      if (rc != LODE_OK) break;
      if (!s) break; /* only spaces and comments left */
    }
    while ((rc = lode_step(s)) == LODE_ROW) {
    }
    if (rc == LODE_DONE) rc = LODE_OK;
    if (rc != LODE_OK) {
      /* keep the step's message: finalize would not change it, but be explicit */
      char *msg = util_strdup(lode_errmsg(db));
      int code = db->errcode;
      lode_reset(s);
      if (*tail) lode_finalize(s);
      else capi_exec_done(db, s);
      conn_error_take(db, code, msg);
      break;
    }
    lode_reset(s);
    if (*tail) lode_finalize(s);
    else capi_exec_done(db, s);
    rest = tail;
  }
  if (rc != LODE_OK && errmsg) *errmsg = util_strdup(lode_errmsg(db));
  return rc;
}

int lode_complete(const char *sql) { return sql ? sql_complete(sql) : 0; }

/* Runs sql (one statement) on db while another statement of db runs — a
** PRAGMA function's scan runs its PRAGMA so — and keeps every row. */
int api_run_rows(lode *db, const char *sql, VtabRows *out, char **errmsg) {
  lode_stmt *s = NULL;
  int rc = lode_prepare(db, sql, -1, &s, NULL);
  memset(out, 0, sizeof *out);
  *errmsg = NULL;
  if (rc != LODE_OK || !s) {
    if (rc != LODE_OK) *errmsg = util_strdup(lode_errmsg(db));
    return rc;
  }
  out->ncols = lode_column_count(s);
  while ((rc = lode_step(s)) == LODE_ROW) {
    Mem *cells = util_realloc(out->cells, sizeof(Mem) * (size_t)(out->nrows + 1) * (size_t)out->ncols);
    if (!cells) {
      rc = LODE_NOMEM;
      break;
    }
    out->cells = cells;
    cells += (size_t)out->nrows++ * (size_t)out->ncols;
    for (int i = 0; i < out->ncols; i++) mem_init(&cells[i]);
    for (int i = 0; i < out->ncols && rc == LODE_ROW; i++) {
      /* Constants of the program (MEM_STATIC) end with it: every value is copied. */
      const Mem *v = vdbe_result(s->vdbe, i);
      int vrc = v->type == MEM_TEXT ? mem_set_text(&cells[i], v->z, v->n, MEM_DYN)
                : v->type == MEM_BLOB ? mem_set_blob(&cells[i], v->z, v->n, MEM_DYN)
                                      : mem_copy(&cells[i], v);
      if (vrc != LODE_OK) rc = LODE_NOMEM;
    }
    if (rc != LODE_ROW) break;
  }
  if (rc == LODE_DONE) return lode_finalize(s);
  if (rc != LODE_NOMEM) *errmsg = util_strdup(lode_errmsg(db));
  lode_finalize(s);
  vtab_rows_free(out);
  return rc;
}
