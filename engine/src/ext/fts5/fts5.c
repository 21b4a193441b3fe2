/*
** fts5.c — the "fts5" virtual-table module (fts5.h): table options, the
** shadow tables, row changes, scans (all rows, one rowid, a MATCH), the
** special INSERT commands, transactions, and the connection's fts5_api.
**
** The declared table is (user columns..., NAME HIDDEN, rank HIDDEN) as in
** SQLite: NAME MATCH (or NAME = , or the table-valued NAME('query')) searches
** every column, COLUMN MATCH one; rank MATCH 'fn(args)' picks the ranking
** function for one query.  The NAME column's value is the cursor's id, which
** the auxiliary functions (ordinary SQL functions) look up among the
** connection's open cursors, so that no value can make them follow a stray
** pointer.
**
** Changes are logged (fts5_index.c) and written to the index at xSync, at
** each savepoint and before a query reads the index; ROLLBACK TO cuts the
** log back to what the savepoint saw.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ext/fts/shadow.h"
#include "ext/fts5/fts5.h"
#include "ext/fts5/fts5_int.h"

enum { MODE_SCAN, MODE_LOOKUP, MODE_MATCH, MODE_EMPTY };

int fts5_set_error(Fts5Table *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sqlite3_free(t->base.zErrMsg);
  t->base.zErrMsg = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  return SQLITE_ERROR;
}

/* ---- the connection's state and fts5_api ---------------------------------------------------------------------- */

F5TokMod *fts5_find_tokenizer(Fts5Global *g, const char *name) {
  if (!name) return g->dflt;
  for (F5TokMod *m = g->toks; m; m = m->next)
    if (sqlite3_stricmp(m->name, name) == 0) return m;
  for (int i = 0; i < FTS5_NBUILTIN_TOKS; i++)
    if (sqlite3_stricmp(g->builtin_toks[i].name, name) == 0) return &g->builtin_toks[i];
  return NULL;
}

F5AuxFn *fts5_find_aux(Fts5Global *g, const char *name) {
  for (F5AuxFn *f = g->aux; f; f = f->next)
    if (sqlite3_stricmp(f->name, name) == 0) return f;
  for (int i = 0; i < FTS5_NBUILTIN_AUX; i++)
    if (sqlite3_stricmp(g->builtin_aux[i].name, name) == 0) return &g->builtin_aux[i];
  return NULL;
}

Fts5Global *fts5_global(sqlite3 *db) { return sqlite3_get_clientdata(db, FTS5_CLIENTDATA); }

Fts5Cursor *fts5_cursor_by_id(Fts5Global *g, sqlite3_int64 id) {
  for (Fts5Cursor *c = g->cursors; c; c = c->next_global)
    if (c->id == id) return c;
  return NULL;
}

/* A registration record of size bytes and a copy of its name (both or neither). */
static void *alloc_named(size_t size, const char *name, char **copy) {
  void *p = sqlite3_malloc64(size);
  *copy = sqlite3_mprintf("%s", name);
  if (p && *copy) return p;
  sqlite3_free(p);
  sqlite3_free(*copy);
  return NULL;
}

static int api_create_tokenizer(fts5_api *api, const char *name, void *user, fts5_tokenizer *x,
                                void (*destroy)(void *)) {
  Fts5Global *g = (Fts5Global *)api;
  if (!name || !x) return SQLITE_MISUSE;
  char *copy;
  F5TokMod *m = alloc_named(sizeof *m, name, &copy);
  if (!m) return SQLITE_NOMEM;
  m->name = copy;
  m->user = user;
  m->x = *x;
  m->destroy = destroy;
  /* the newest of a name wins (the list is newest first); the default stays the built-in unicode61 */
  m->next = g->toks;
  g->toks = m;
  return SQLITE_OK;
}

static int api_find_tokenizer(fts5_api *api, const char *name, void **user, fts5_tokenizer *x) {
  F5TokMod *m = fts5_find_tokenizer((Fts5Global *)api, name);
  if (!m) return SQLITE_ERROR;
  *user = m->user;
  *x = m->x;
  return SQLITE_OK;
}

static int api_create_function(fts5_api *api, const char *name, void *user, fts5_extension_function fn,
                               void (*destroy)(void *)) {
  Fts5Global *g = (Fts5Global *)api;
  if (!name || !fn) return SQLITE_MISUSE;
  char *copy;
  F5AuxFn *f = alloc_named(sizeof *f, name, &copy);
  if (!f) return SQLITE_NOMEM;
  f->g = g;
  f->name = copy;
  f->user = user;
  f->fn = fn;
  f->destroy = destroy;
  f->next = g->aux;
  g->aux = f;
  return sqlite3_create_function(g->db, name, -1, SQLITE_UTF8, f, fts5_aux_dispatch, NULL, NULL);
}

static void global_free(void *p) {
  Fts5Global *g = p;
  while (g->toks) {
    F5TokMod *m = g->toks;
    g->toks = m->next;
    if (m->destroy) m->destroy(m->user);
    sqlite3_free(m->name);
    sqlite3_free(m);
  }
  while (g->aux) {
    F5AuxFn *f = g->aux;
    g->aux = f->next;
    if (f->destroy) f->destroy(f->user);
    sqlite3_free(f->name);
    sqlite3_free(f);
  }
  sqlite3_free(g);
}

/* fts5(?1): stores the fts5_api pointer where ?1 (a "fts5_api_ptr" pointer) points. */
static void fts5_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  Fts5Global *g = sqlite3_user_data(ctx);
  if (argc != 1) {
    sqlite3_result_error(ctx, "wrong number of arguments to function fts5()", -1);
    return;
  }
  fts5_api **pp = sqlite3_value_pointer(argv[0], "fts5_api_ptr");
  if (pp) *pp = &g->api;
  sqlite3_result_null(ctx);
}

int fts5_register(sqlite3 *db) {
  Fts5Global *g = sqlite3_malloc((int)sizeof *g);
  if (!g) return SQLITE_NOMEM;
  memset(g, 0, sizeof *g);
  g->db = db;
  g->api.iVersion = 2;
  g->api.xCreateTokenizer = api_create_tokenizer;
  g->api.xFindTokenizer = api_find_tokenizer;
  g->api.xCreateFunction = api_create_function;
  /* The built-ins are in g from the start, without an allocation or an SQL
  ** function each (fts5_each_function's are shared): opening a connection
  ** stays cheap for the many that never use FTS5. */
  fts5_builtin_tokenizers(g);
  fts5_builtin_aux(g);
  int rc = sqlite3_create_function_v2(db, "fts5", 1, SQLITE_UTF8, g, fts5_fn, NULL, NULL, global_free);
  if (rc != SQLITE_OK) return rc;
  /* g goes with the fts5() function (global_free), not with the client data */
  return sqlite3_set_clientdata(db, FTS5_CLIENTDATA, g, NULL);
}

/* The connection's state, through fts5(?1) as a program would ask. */
static Fts5Global *global_of(sqlite3 *db) {
  fts5_api *api = NULL;
  sqlite3_stmt *s = NULL;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL) != SQLITE_OK) return NULL;
  sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
  sqlite3_step(s);
  sqlite3_finalize(s);
  return (Fts5Global *)api;
}

/* ---- statements -------------------------------------------------------------------------------------------- */

/* "SELECT key, columns... FROM the content" + suffix: %_content's rows, or
** the external table's key and same-named columns (NULL when out of memory). */
char *fts5_content_select(Fts5Table *t, const char *suffix) {
  if (t->content == F5_CONTENT_NONE) {
    /* contentless_unindexed: %_content has the UNINDEXED columns only */
    char *cols = sqlite3_mprintf("id");
    for (int i = 0; cols && i < t->ncol; i++) {
      char *c = t->unindexed[i] ? sqlite3_mprintf("%s, c%d", cols, i) : sqlite3_mprintf("%s, NULL", cols);
      sqlite3_free(cols);
      cols = c;
    }
    char *sql = cols ? sqlite3_mprintf("SELECT %s FROM \"%w\".\"%w_content\"%s", cols, t->zdb, t->zname, suffix) : NULL;
    sqlite3_free(cols);
    return sql;
  }
  if (t->content != F5_CONTENT_EXTERNAL)
    return sqlite3_mprintf("SELECT * FROM \"%w\".\"%w_content\"%s", t->zdb, t->zname, suffix);
  char *cols = sqlite3_mprintf("\"%w\"", t->content_rowid);
  for (int i = 0; cols && i < t->ncol; i++) {
    char *c = sqlite3_mprintf("%s, \"%w\"", cols, t->colname[i]);
    sqlite3_free(cols);
    cols = c;
  }
  char *sql = cols ? sqlite3_mprintf("SELECT %s FROM \"%w\".\"%w\"%s", cols, t->zdb, t->content_tbl, suffix) : NULL;
  sqlite3_free(cols);
  return sql;
}

const char *fts5_content_key(const Fts5Table *t) { return t->content == F5_CONTENT_EXTERNAL ? t->content_rowid : "id"; }

sqlite3_stmt *fts5_stmt(Fts5Table *t, int which, int *rc) {
  *rc = SQLITE_OK;
  if (t->stmt[which]) return t->stmt[which];
  const char *d = t->zdb, *n = t->zname;
  char *sql = NULL;
  switch (which) {
    case F5ST_CONTENT_INSERT:
    case F5ST_CONTENT_REPLACE: {
      char *vals = sqlite3_mprintf("?1");
      for (int i = 0; vals && i < t->ncol; i++) {
        if (t->content == F5_CONTENT_NONE && !t->unindexed[i]) continue;
        char *v = sqlite3_mprintf("%s, ?%d", vals, i + 2);
        sqlite3_free(vals);
        vals = v;
      }
      if (vals)
        sql = sqlite3_mprintf("INSERT%s INTO \"%w\".\"%w_content\" VALUES(%s)",
                              which == F5ST_CONTENT_REPLACE ? " OR REPLACE" : "", d, n, vals);
      sqlite3_free(vals);
      break;
    }
    case F5ST_CONTENT_DELETE: sql = sqlite3_mprintf("DELETE FROM \"%w\".\"%w_content\" WHERE id=?1", d, n); break;
    case F5ST_CONTENT_READ: {
      char *where = sqlite3_mprintf(" WHERE \"%w\"=?1", fts5_content_key(t));
      sql = where ? fts5_content_select(t, where) : NULL;
      sqlite3_free(where);
      break;
    }
    case F5ST_DOCSIZE_WRITE:
      /* a contentless_delete row's origin is set when its segment is written */
      sql = sqlite3_mprintf("REPLACE INTO \"%w\".\"%w_docsize\" VALUES(?1,?2%s)", d, n,
                            t->contentless_delete ? ",0" : "");
      break;
    case F5ST_DOCSIZE_ORIGIN:
      sql = sqlite3_mprintf("SELECT origin FROM \"%w\".\"%w_docsize\" WHERE id=?1", d, n);
      break;
    case F5ST_DOCSIZE_SET_ORIGIN:
      sql = sqlite3_mprintf("UPDATE \"%w\".\"%w_docsize\" SET origin=?2 WHERE id=?1", d, n);
      break;
    case F5ST_DOCSIZE_DELETE: sql = sqlite3_mprintf("DELETE FROM \"%w\".\"%w_docsize\" WHERE id=?1", d, n); break;
    case F5ST_DOCSIZE_READ: sql = sqlite3_mprintf("SELECT sz FROM \"%w\".\"%w_docsize\" WHERE id=?1", d, n); break;
    case F5ST_DATA_READ: sql = sqlite3_mprintf("SELECT block FROM \"%w\".\"%w_data\" WHERE id=?1", d, n); break;
    case F5ST_DATA_WRITE:
      sql = sqlite3_mprintf("REPLACE INTO \"%w\".\"%w_data\"(id, block) VALUES(?1,?2)", d, n);
      break;
    case F5ST_DATA_DELETE_RANGE:
      sql = sqlite3_mprintf("DELETE FROM \"%w\".\"%w_data\" WHERE id>=?1 AND id<=?2", d, n);
      break;
    case F5ST_IDX_WRITE:
      sql = sqlite3_mprintf("INSERT INTO \"%w\".\"%w_idx\"(segid,term,pgno) VALUES(?,?,?)", d, n);
      break;
    case F5ST_IDX_DELETE_SEG: sql = sqlite3_mprintf("DELETE FROM \"%w\".\"%w_idx\" WHERE segid=?1", d, n); break;
    case F5ST_IDX_SEEK:
      sql = sqlite3_mprintf("SELECT pgno FROM \"%w\".\"%w_idx\" WHERE segid=?1 AND term<=?2 ORDER BY term DESC "
                            "LIMIT 1",
                            d, n);
      break;
    case F5ST_IDX_SCAN:
      sql = sqlite3_mprintf("SELECT term, pgno FROM \"%w\".\"%w_idx\" WHERE segid=?1 ORDER BY term", d, n);
      break;
    default: break;
  }
  if (!sql) {
    *rc = SQLITE_NOMEM;
    return NULL;
  }
  *rc = sqlite3_prepare_v3(t->db, sql, -1, SQLITE_PREPARE_PERSISTENT | SQLITE_PREPARE_NO_VTAB, &t->stmt[which], NULL);
  sqlite3_free(sql);
  if (*rc != SQLITE_OK) fts5_set_error(t, "%s", sqlite3_errmsg(t->db));
  return t->stmt[which];
}

static void stmts_finalize(Fts5Table *t) {
  fts5_reader_close(t);
  for (int i = 0; i < F5ST_COUNT; i++) {
    sqlite3_finalize(t->stmt[i]);
    t->stmt[i] = NULL;
  }
}

/* ---- tokenizing ------------------------------------------------------------------------------------------------ */

int fts5_tokenize(Fts5Table *t, int flags, const char *z, int n, void *ctx,
                  int (*fn)(void *, int, const char *, int, int, int)) {
  if (!z || n <= 0) return SQLITE_OK;
  return t->tokmod->x.xTokenize(t->tok, ctx, flags, z, n, fn);
}

/* ---- construction ------------------------------------------------------------------------------------------ */

static void table_free(Fts5Table *t) {
  if (!t) return;
  for (Fts5Table **pp = t->g ? &t->g->tables : NULL; pp && *pp; pp = &(*pp)->next_table) {
    if (*pp == t) {
      *pp = t->next_table;
      break;
    }
  }
  stmts_finalize(t);
  fts5_seg_cache_free(t);
  sqlite3_free(t->zdata);
  sqlite3_free(t->spare_page);
  sqlite3_free(t->spare_term);
  if (t->tok) t->tokmod->x.xDelete(t->tok);
  for (int i = 0; i < t->ncol; i++) sqlite3_free(t->colname[i]);
  sqlite3_free(t->colname);
  sqlite3_free(t->unindexed);
  for (int i = 0; i < t->ntokargv; i++) sqlite3_free(t->tokargv[i]);
  sqlite3_free(t->tokargv);
  sqlite3_free(t->content_tbl);
  sqlite3_free(t->content_rowid);
  sqlite3_free(t->rank);
  fts5_pending_release(t);
  f5_free(&t->log);
  sqlite3_free(t->opat);
  sqlite3_free(t->spmark);
  sqlite3_free(t->spwritten);
  sqlite3_free(t->zdb);
  sqlite3_free(t->zname);
  sqlite3_free(t);
}

/* Reads one word of an option value or column definition: a bareword or a
** quoted string ('', "", ``, []); NULL at the end.  *pz moves past it. */
static char *next_word(const char **pz) {
  const char *z = *pz;
  while (*z == ' ' || *z == '\t' || *z == '\n' || *z == '\r') z++;
  if (!*z) {
    *pz = z;
    return NULL;
  }
  char q = *z == '"' || *z == '\'' || *z == '`' ? *z : *z == '[' ? ']' : 0;
  char *r = sqlite3_malloc((int)strlen(z) + 1);
  if (!r) return NULL;
  int n = 0;
  if (q) {
    for (z++; *z; z++) {
      if (*z == q) {
        if (q != ']' && z[1] == q) {
          r[n++] = q;
          z++;
          continue;
        }
        z++;
        break;
      }
      r[n++] = *z;
    }
  } else {
    while (*z && *z != ' ' && *z != '\t' && *z != '\n' && *z != '\r' && *z != '=' && *z != ',') r[n++] = *z++;
  }
  r[n] = 0;
  *pz = z;
  return r;
}

static int parse_prefix(Fts5Table *t, const char *v, char **err) {
  const char *z = v;
  while (*z) {
    while (*z == ' ' || *z == ',') z++;
    if (!*z) break;
    int n = 0, digits = 0;
    while (*z >= '0' && *z <= '9') {
      if (n < 10000) n = n * 10 + (*z - '0');
      z++;
      digits++;
    }
    if (!digits || (*z && *z != ' ' && *z != ',')) {
      *err = sqlite3_mprintf("malformed prefix=... directive");
      return SQLITE_ERROR;
    }
    if (n < 1 || n > 999) {
      *err = sqlite3_mprintf("prefix length out of range (max 999)");
      return SQLITE_ERROR;
    }
    if (t->nprefix >= FTS5_MAX_PREFIX) {
      *err = sqlite3_mprintf("too many prefix indexes (max %d)", FTS5_MAX_PREFIX);
      return SQLITE_ERROR;
    }
    t->prefix[t->nprefix++] = n;
  }
  if (t->nprefix == 0) {
    *err = sqlite3_mprintf("malformed prefix=... directive");
    return SQLITE_ERROR;
  }
  return SQLITE_OK;
}

static int parse_tokenize(Fts5Table *t, const char *v, char **err) {
  const char *z = v;
  char *w;
  for (int i = 0; i < t->ntokargv; i++) sqlite3_free(t->tokargv[i]);
  t->ntokargv = 0;
  while ((w = next_word(&z)) != NULL) {
    char **g = sqlite3_realloc64(t->tokargv, sizeof(char *) * (sqlite3_uint64)(t->ntokargv + 1));
    if (!g) {
      sqlite3_free(w);
      return SQLITE_NOMEM;
    }
    t->tokargv = g;
    t->tokargv[t->ntokargv++] = w;
    if (*z && *z != ' ' && *z != '\t' && *z != '\'' && *z != '"') z++;
  }
  if (t->ntokargv == 0) {
    *err = sqlite3_mprintf("parse error in tokenize directive");
    return SQLITE_ERROR;
  }
  return SQLITE_OK;
}

/* key = value: the option's effect on t. */
static int apply_option(Fts5Table *t, const char *key, const char *value, char **err) {
  const char *z = value;
  char *v = next_word(&z);
  if (!v) v = sqlite3_mprintf("");
  if (!v) return SQLITE_NOMEM;
  int rc = SQLITE_OK;
  if (sqlite3_stricmp(key, "prefix") == 0) {
    rc = parse_prefix(t, v, err);
  } else if (sqlite3_stricmp(key, "tokenize") == 0) {
    rc = parse_tokenize(t, v, err);
  } else if (sqlite3_stricmp(key, "content") == 0) {
    sqlite3_free(t->content_tbl);
    t->content_tbl = NULL;
    if (*v) {
      t->content = F5_CONTENT_EXTERNAL;
      t->content_tbl = v;
      v = NULL;
    } else {
      t->content = F5_CONTENT_NONE;
    }
  } else if (sqlite3_stricmp(key, "content_rowid") == 0) {
    sqlite3_free(t->content_rowid);
    t->content_rowid = v;
    v = NULL;
  } else if (sqlite3_stricmp(key, "columnsize") == 0) {
    if ((v[0] != '0' && v[0] != '1') || v[1]) {
      *err = sqlite3_mprintf("malformed columnsize=... directive");
      rc = SQLITE_ERROR;
    } else {
      t->columnsize = v[0] == '1';
    }
  } else if (sqlite3_stricmp(key, "contentless_delete") == 0 || sqlite3_stricmp(key, "contentless_unindexed") == 0) {
    if ((v[0] != '0' && v[0] != '1') || v[1]) {
      /* SQLite names contentless_delete for either option */
      *err = sqlite3_mprintf("malformed contentless_delete=... directive");
      rc = SQLITE_ERROR;
    } else if (sqlite3_stricmp(key, "contentless_delete") == 0) {
      t->contentless_delete = v[0] == '1';
    } else {
      t->contentless_unindexed = v[0] == '1';
    }
  } else if (sqlite3_stricmp(key, "detail") == 0) {
    if (sqlite3_stricmp(v, "full") == 0)
      t->detail = F5_DETAIL_FULL;
    else if (sqlite3_stricmp(v, "none") == 0)
      t->detail = F5_DETAIL_NONE;
    else if (sqlite3_stricmp(v, "column") == 0)
      t->detail = F5_DETAIL_COLUMN;
    else {
      *err = sqlite3_mprintf("malformed detail=... directive");
      rc = SQLITE_ERROR;
    }
  } else {
    *err = sqlite3_mprintf("unrecognized option: \"%s\"", key);
    rc = SQLITE_ERROR;
  }
  sqlite3_free(v);
  return rc;
}

static int add_column(Fts5Table *t, const char *def, char **err) {
  const char *z = def;
  char *name = next_word(&z);
  if (!name) {
    *err = sqlite3_mprintf("parse error in \"%s\"", def);
    return SQLITE_ERROR;
  }
  int unindexed = 0;
  char *opt = next_word(&z);
  if (opt) {
    char *more = next_word(&z);
    if (more) {
      sqlite3_free(more);
      sqlite3_free(opt);
      sqlite3_free(name);
      *err = sqlite3_mprintf("parse error in \"%s\"", def);
      return SQLITE_ERROR;
    }
    if (sqlite3_stricmp(opt, "unindexed") == 0)
      unindexed = 1;
    else {
      *err = sqlite3_mprintf("unrecognized column option: %s", opt);
      sqlite3_free(opt);
      sqlite3_free(name);
      return SQLITE_ERROR;
    }
    sqlite3_free(opt);
  }
  if (sqlite3_stricmp(name, "rank") == 0 || sqlite3_stricmp(name, "rowid") == 0) {
    *err = sqlite3_mprintf("reserved fts5 column name: %s", name);
    sqlite3_free(name);
    return SQLITE_ERROR;
  }
  for (int i = 0; i < t->ncol; i++) {
    if (sqlite3_stricmp(t->colname[i], name) == 0) {
      /* SQLite's declaration of the table is what fails */
      *err = sqlite3_mprintf("vtable constructor failed: %s", t->zname);
      sqlite3_free(name);
      return SQLITE_ERROR;
    }
  }
  t->colname[t->ncol] = name;
  t->unindexed[t->ncol++] = (unsigned char)unindexed;
  return SQLITE_OK;
}

/* The %_config table's values (pgsz, automerge, ..., rank). */
static int config_load(Fts5Table *t) {
  char *sql = sqlite3_mprintf("SELECT k, v FROM \"%w\".\"%w_config\"", t->zdb, t->zname);
  sqlite3_stmt *s = NULL;
  int rc = sql ? sqlite3_prepare_v2(t->db, sql, -1, &s, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return rc;
  while (sqlite3_step(s) == SQLITE_ROW) {
    const char *k = (const char *)sqlite3_column_text(s, 0);
    int v = sqlite3_column_int(s, 1);
    if (!k) continue;
    if (strcmp(k, "pgsz") == 0 && v >= 32 && v <= 65536)
      t->pgsz = v;
    else if (strcmp(k, "automerge") == 0 && v >= 0 && v <= 64)
      t->automerge = v == 1 ? FTS5_DEFAULT_AUTOMERGE : v;
    else if (strcmp(k, "crisismerge") == 0 && v >= 0)
      t->crisismerge = v <= 1 ? FTS5_DEFAULT_CRISISMERGE : v;
    else if (strcmp(k, "usermerge") == 0 && v >= 2 && v <= 16)
      t->usermerge = v;
    else if (strcmp(k, "hashsize") == 0 && v > 0)
      t->hashsize = v;
    else if (strcmp(k, "deletemerge") == 0)
      t->deletemerge = v;
    else if (strcmp(k, "secure-delete") == 0) {
      if (sqlite3_value_numeric_type(sqlite3_column_value(s, 1)) == SQLITE_INTEGER && v >= 0) t->secure_delete = v != 0;
    }
    else if (strcmp(k, "rank") == 0) {
      sqlite3_free(t->rank);
      t->rank = sqlite3_mprintf("%s", sqlite3_column_text(s, 1));
    } else if (strcmp(k, "version") == 0) {
      if (v != FTS5_CURRENT_VERSION && v != FTS5_SECURE_DELETE_VERSION) {
        sqlite3_finalize(s);
        fts5_set_error(t, "invalid fts5 file format (found %d, expected %d or %d) - run 'rebuild'", v,
                       FTS5_CURRENT_VERSION, FTS5_SECURE_DELETE_VERSION);
        return SQLITE_ERROR;
      }
      t->version = v;
    }
  }
  return sqlite3_finalize(s);
}

static int create_shadows(Fts5Table *t) {
  char *sql =
      sqlite3_mprintf("CREATE TABLE \"%w\".'%q_data'(id INTEGER PRIMARY KEY, block BLOB);"
                      "CREATE TABLE \"%w\".'%q_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;",
                      t->zdb, t->zname, t->zdb, t->zname);
  if (sql && (t->content == F5_CONTENT_NORMAL || t->contentless_unindexed)) {
    char *cols = sqlite3_mprintf("id INTEGER PRIMARY KEY");
    for (int i = 0; cols && i < t->ncol; i++) {
      if (t->content == F5_CONTENT_NONE && !t->unindexed[i]) continue;
      char *c = sqlite3_mprintf("%s, c%d", cols, i);
      sqlite3_free(cols);
      cols = c;
    }
    char *more = cols ? sqlite3_mprintf("%sCREATE TABLE \"%w\".'%q_content'(%s);", sql, t->zdb, t->zname, cols) : NULL;
    sqlite3_free(cols);
    sqlite3_free(sql);
    sql = more;
  }
  if (sql && t->columnsize) {
    char *more =
        sqlite3_mprintf("%sCREATE TABLE \"%w\".'%q_docsize'(id INTEGER PRIMARY KEY, sz BLOB%s);", sql, t->zdb, t->zname,
                        t->contentless_delete ? ", origin INTEGER" : "");
    sqlite3_free(sql);
    sql = more;
  }
  if (sql) {
    char *more = sqlite3_mprintf("%sCREATE TABLE \"%w\".'%q_config'(k PRIMARY KEY, v) WITHOUT ROWID;"
                                 "INSERT INTO \"%w\".'%q_config' VALUES('version', %d);",
                                 sql, t->zdb, t->zname, t->zdb, t->zname, FTS5_CURRENT_VERSION);
    sqlite3_free(sql);
    sql = more;
  }
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_exec(t->db, sql, NULL, NULL, NULL);
  sqlite3_free(sql);
  if (rc == SQLITE_OK) rc = fts5_index_init(t);
  return rc;
}

static int fts5_init(sqlite3 *db, int argc, const char *const *argv, sqlite3_vtab **out, char **err, int create) {
  Fts5Table *t = sqlite3_malloc((int)sizeof *t);
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof *t);
  t->db = db;
  t->g = global_of(db);
  t->zdb = sqlite3_mprintf("%s", argv[1]);
  t->zname = sqlite3_mprintf("%s", argv[2]);
  t->colname = sqlite3_malloc64(sizeof(char *) * (sqlite3_uint64)(argc > 3 ? argc - 3 : 1));
  t->unindexed = sqlite3_malloc(argc > 3 ? argc - 3 : 1);
  t->columnsize = 1;
  t->detail = F5_DETAIL_FULL;
  t->pgsz = FTS5_DEFAULT_PGSZ;
  t->automerge = FTS5_DEFAULT_AUTOMERGE;
  t->crisismerge = FTS5_DEFAULT_CRISISMERGE;
  t->usermerge = FTS5_DEFAULT_USERMERGE;
  t->hashsize = FTS5_DEFAULT_HASHSIZE;
  t->deletemerge = FTS5_DEFAULT_DELETEMERGE;
  t->version = FTS5_CURRENT_VERSION;
  int rc = t->zdb && t->zname && t->colname && t->unindexed && t->g ? SQLITE_OK : SQLITE_NOMEM;
  if (rc == SQLITE_OK && (sqlite3_stricmp(argv[2], "rank") == 0 || sqlite3_stricmp(argv[2], "rowid") == 0)) {
    *err = sqlite3_mprintf("reserved fts5 table name: %s", argv[2]);
    rc = SQLITE_ERROR;
  }
  for (int i = 3; i < argc && rc == SQLITE_OK; i++) {
    const char *z = argv[i];
    /* key = value, or a column definition */
    const char *k = z;
    while (*k == ' ' || *k == '\t') k++;
    int n = 0;
    while ((k[n] >= 'a' && k[n] <= 'z') || (k[n] >= 'A' && k[n] <= 'Z') || (k[n] >= '0' && k[n] <= '9') || k[n] == '_')
      n++;
    const char *e = k + n;
    while (*e == ' ' || *e == '\t') e++;
    if (n > 0 && *e == '=') {
      char *key = sqlite3_mprintf("%.*s", n, k);
      if (!key)
        rc = SQLITE_NOMEM;
      else
        rc = apply_option(t, key, e + 1, err);
      sqlite3_free(key);
    } else {
      rc = add_column(t, z, err);
    }
  }
  if (rc == SQLITE_OK && t->ncol == 0) {
    *err = sqlite3_mprintf("no columns");
    rc = SQLITE_ERROR;
  }
  if (rc == SQLITE_OK && t->contentless_delete && t->content != F5_CONTENT_NONE) {
    *err = sqlite3_mprintf("contentless_delete=1 requires a contentless table");
    rc = SQLITE_ERROR;
  }
  if (rc == SQLITE_OK && t->contentless_delete && !t->columnsize) {
    *err = sqlite3_mprintf("contentless_delete=1 is incompatible with columnsize=0");
    rc = SQLITE_ERROR;
  }
  if (rc == SQLITE_OK && t->contentless_unindexed && t->content != F5_CONTENT_NONE) {
    *err = sqlite3_mprintf("contentless_unindexed=1 requires a contentless table");
    rc = SQLITE_ERROR;
  }
  /* a contentless table with no UNINDEXED column keeps no %_content */
  if (rc == SQLITE_OK && t->contentless_unindexed) {
    int any = 0;
    for (int i = 0; i < t->ncol; i++) any |= t->unindexed[i];
    t->contentless_unindexed = any;
  }
  if (rc == SQLITE_OK && t->content_rowid && t->content != F5_CONTENT_EXTERNAL) {
    *err = sqlite3_mprintf("option content_rowid requires option content");
    rc = SQLITE_ERROR;
  }
  if (rc == SQLITE_OK && t->content == F5_CONTENT_EXTERNAL && !t->content_rowid) {
    t->content_rowid = sqlite3_mprintf("rowid");
    if (!t->content_rowid) rc = SQLITE_NOMEM;
  }
  if (rc == SQLITE_OK) {
    const char *name = t->ntokargv ? t->tokargv[0] : NULL;
    t->tokmod = fts5_find_tokenizer(t->g, name);
    if (!t->tokmod) {
      *err = sqlite3_mprintf("no such tokenizer: %s", name ? name : "");
      rc = SQLITE_ERROR;
    } else {
      int na = t->ntokargv ? t->ntokargv - 1 : 0;
      rc = t->tokmod->x.xCreate(t->tokmod->user, (const char **)(t->ntokargv ? t->tokargv + 1 : NULL), na, &t->tok);
      if (rc == SQLITE_OK) t->pattern = fts5_tokenizer_pattern(&t->tokmod->x, t->tok);
      if (rc != SQLITE_OK) {
        t->tok = NULL;
        if (rc != SQLITE_NOMEM) {
          *err = sqlite3_mprintf("error in tokenizer constructor");
          rc = SQLITE_ERROR;
        }
      }
    }
  }
  if (rc == SQLITE_OK) {
    char *decl = sqlite3_mprintf("CREATE TABLE x(");
    for (int i = 0; decl && i < t->ncol; i++) {
      char *d = sqlite3_mprintf("%s\"%w\", ", decl, t->colname[i]);
      sqlite3_free(decl);
      decl = d;
    }
    if (decl) {
      char *d = sqlite3_mprintf("%s\"%w\" HIDDEN, rank HIDDEN)", decl, t->zname);
      sqlite3_free(decl);
      decl = d;
    }
    rc = decl ? sqlite3_declare_vtab(db, decl) : SQLITE_NOMEM;
    if (rc != SQLITE_OK && decl) *err = sqlite3_mprintf("%s", sqlite3_errmsg(db));
    sqlite3_free(decl);
    /* A rowid in use fails as the statement's conflict clause says (OR IGNORE skips the row). */
    if (rc == SQLITE_OK) sqlite3_vtab_config(db, SQLITE_VTAB_CONSTRAINT_SUPPORT, 1);
  }
  if (rc == SQLITE_OK && create) {
    rc = create_shadows(t);
    if (rc != SQLITE_OK && !*err) *err = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  }
  if (rc == SQLITE_OK) {
    rc = config_load(t);
    if (rc != SQLITE_OK && !*err) *err = sqlite3_mprintf("%s", t->base.zErrMsg ? t->base.zErrMsg : sqlite3_errmsg(db));
  }
  if (rc != SQLITE_OK) {
    table_free(t);
    return rc;
  }
  t->next_table = t->g->tables;
  t->g->tables = t;
  *out = &t->base;
  return SQLITE_OK;
}

static int x_create(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  (void)aux;
  return fts5_init(db, argc, argv, out, err, 1);
}

static int x_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  (void)aux;
  return fts5_init(db, argc, argv, out, err, 0);
}

static int x_disconnect(sqlite3_vtab *vt) {
  table_free((Fts5Table *)vt);
  return SQLITE_OK;
}

static int x_destroy(sqlite3_vtab *vt) {
  Fts5Table *t = (Fts5Table *)vt;
  stmts_finalize(t);
  static const char *const shadows[] = {"data", "idx", "config", "docsize", "content"};
  int rc = fts_shadow_drop(t->db, t->zdb, t->zname, shadows, 5);
  if (rc == SQLITE_OK) table_free(t);
  return rc;
}

static int x_rename(sqlite3_vtab *vt, const char *to) {
  Fts5Table *t = (Fts5Table *)vt;
  int rc = fts5_flush(t);
  if (rc != SQLITE_OK) return rc;
  stmts_finalize(t);
  fts5_reader_close(t);
  sqlite3_free(t->zdata);
  t->zdata = NULL;
  const char *const shadows[] = {"data", "idx", "config", t->content == F5_CONTENT_NORMAL || t->contentless_unindexed ? "content" : NULL,
                                 t->columnsize ? "docsize" : NULL};
  return fts_shadow_rename(t->db, t->zdb, &t->zname, to, shadows, 5);
}

static int x_shadow_name(const char *z) {
  static const char *const names[] = {"config", "content", "data", "docsize", "idx"};
  return fts_shadow_is(z, names, 5);
}

/* ---- planning ---------------------------------------------------------------------------------------------- */

/* idxStr lists the arguments xFilter gets, one letter each:
**   M  a MATCH (or =) on the table column, the query    c  a MATCH on column (next byte: '0' + column... as digits)
**   r  rank MATCH 'fn(args)'     =  rowid =   <  rowid < or <=   >  rowid > or >=
** idxNum: 1 ORDER BY rowid DESC, 2 ORDER BY rank, 4 ORDER BY rank DESC. */
static int x_best_index(sqlite3_vtab *vt, sqlite3_index_info *ii) {
  Fts5Table *t = (Fts5Table *)vt;
  char buf[512];
  int n = 0, argi = 0, has_match = 0, has_eq = 0, unusable_match = 0, nrange = 0, has_rank = 0;
  for (int i = 0; i < ii->nConstraint && n < (int)sizeof buf - 16; i++) {
    const struct sqlite3_index_constraint *c = &ii->aConstraint[i];
    int col = c->iColumn;
    int match = c->op == SQLITE_INDEX_CONSTRAINT_MATCH || (c->op == SQLITE_INDEX_CONSTRAINT_EQ && col == t->ncol);
    if (!c->usable) {
      if (match && col >= 0 && col <= t->ncol) unusable_match = 1;
      continue;
    }
    if (match && col >= 0 && col <= t->ncol) {
      n += snprintf(buf + n, sizeof buf - (size_t)n, "M%d", col);
    } else if (t->pattern && col >= 0 && col < t->ncol && !t->unindexed[col] &&
               (c->op == SQLITE_INDEX_CONSTRAINT_GLOB || (c->op == SQLITE_INDEX_CONSTRAINT_LIKE && t->pattern == 'L'))) {
      /* the pattern's literal runs find candidates; the engine still tests each row */
      n += snprintf(buf + n, sizeof buf - (size_t)n, "%c%d", c->op == SQLITE_INDEX_CONSTRAINT_LIKE ? 'L' : 'G', col);
      ii->aConstraintUsage[i].argvIndex = ++argi;
      has_match = 1;
      continue;
    } else if (c->op == SQLITE_INDEX_CONSTRAINT_MATCH && col == t->ncol + 1) {
      buf[n++] = 'r';
      has_rank = 1;
    } else if (col < 0 && c->op == SQLITE_INDEX_CONSTRAINT_EQ) {
      buf[n++] = '=';
      has_eq = 1;
    } else if (col < 0 && (c->op == SQLITE_INDEX_CONSTRAINT_LT || c->op == SQLITE_INDEX_CONSTRAINT_LE)) {
      buf[n++] = c->op == SQLITE_INDEX_CONSTRAINT_LT ? '<' : 'l';
      nrange++;
    } else if (col < 0 && (c->op == SQLITE_INDEX_CONSTRAINT_GT || c->op == SQLITE_INDEX_CONSTRAINT_GE)) {
      buf[n++] = c->op == SQLITE_INDEX_CONSTRAINT_GT ? '>' : 'g';
      nrange++;
    } else {
      continue;
    }
    if (match) has_match = 1;
    ii->aConstraintUsage[i].argvIndex = ++argi;
    ii->aConstraintUsage[i].omit = 1;
  }
  buf[n] = 0;
  if (unusable_match && !has_match) {
    ii->estimatedCost = 1e50;
    ii->estimatedRows = 1000000;
  } else if (has_match) {
    ii->estimatedCost = has_eq ? 10.0 : 1000.0 - nrange;
    ii->estimatedRows = has_eq ? 1 : 1000;
  } else if (has_eq) {
    ii->estimatedCost = 10.0;
    ii->estimatedRows = 1;
    ii->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
  } else {
    ii->estimatedCost = 1000000.0 - nrange * 1000.0;
    ii->estimatedRows = 1000000;
  }
  int flags = 0;
  if (ii->nOrderBy == 1) {
    int col = ii->aOrderBy[0].iColumn;
    if (col < 0) {
      flags |= ii->aOrderBy[0].desc ? 1 : 0;
      ii->orderByConsumed = 1;
    } else if (col == t->ncol + 1 && has_match && !has_rank &&
               (!t->rank || sqlite3_strnicmp(t->rank, "bm25(", 5) == 0)) {
      /* bm25 ranks are sorted here; another rank function's by the engine, from the rank column */
      flags |= ii->aOrderBy[0].desc ? 4 : 2;
      ii->orderByConsumed = 1;
    }
  }
  ii->idxNum = flags;
  ii->idxStr = sqlite3_mprintf("%s", buf);
  ii->needToFreeIdxStr = 1;
  return ii->idxStr ? SQLITE_OK : SQLITE_NOMEM;
}

/* ---- cursors ----------------------------------------------------------------------------------------------- */

static int x_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out) {
  Fts5Table *t = (Fts5Table *)vt;
  Fts5Cursor *c = sqlite3_malloc((int)sizeof *c);
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof *c);
  c->id = ++t->g->next_cursor_id;
  c->next_global = t->g->cursors;
  t->g->cursors = c;
  c->eof = 1;
  *out = &c->base;
  return SQLITE_OK;
}

static void cursor_reset(Fts5Cursor *c) {
  sqlite3_finalize(c->scan);
  c->scan = NULL;
  fts5_expr_free(c->expr);
  c->expr = NULL;
  sqlite3_free(c->rows);
  c->rows = NULL;
  c->nrows = c->at = 0;
  for (int i = 0; i < c->nrankargs; i++) sqlite3_value_free(c->rankargs[i]);
  sqlite3_free(c->rankargs);
  c->rankargs = NULL;
  c->nrankargs = 0;
  c->rankfn = NULL;
  sqlite3_free(c->rankspec);
  c->rankspec = NULL;
  fts5_cursor_aux_clear(c);
  c->row_loaded = 0;
  c->eof = 1;
  c->has_min = c->has_max = 0;
}

static int x_close(sqlite3_vtab_cursor *vc) {
  Fts5Cursor *c = (Fts5Cursor *)vc;
  Fts5Table *t = (Fts5Table *)vc->pVtab;
  for (Fts5Cursor **p = &t->g->cursors; *p; p = &(*p)->next_global) {
    if (*p == c) {
      *p = c->next_global;
      break;
    }
  }
  cursor_reset(c);
  sqlite3_free(c->colsize);
  sqlite3_free(c->coltotal);
  sqlite3_free(c->inst);
  sqlite3_finalize(c->row);
  sqlite3_free(c);
  return SQLITE_OK;
}

int fts5_cursor_row(Fts5Cursor *c) {
  Fts5Table *t = (Fts5Table *)c->base.pVtab;
  if ((c->mode == MODE_SCAN && !t->contentless_unindexed) || c->row_loaded) return SQLITE_OK;
  if (t->content == F5_CONTENT_NONE && !t->contentless_unindexed) return SQLITE_DONE;
  int rc;
  sqlite3_stmt *s = fts5_stmt(t, F5ST_CONTENT_READ, &rc);
  if (!s) return rc;
  if (c->row != s) {
    sqlite3_finalize(c->row);
    c->row = NULL;
    rc = sqlite3_prepare_v3(t->db, sqlite3_sql(s), -1, SQLITE_PREPARE_NO_VTAB, &c->row, NULL);
    if (rc != SQLITE_OK) return rc;
  }
  sqlite3_reset(c->row);
  sqlite3_bind_int64(c->row, 1, c->rowid);
  rc = sqlite3_step(c->row);
  if (rc == SQLITE_ROW) {
    c->row_loaded = 1;
    return SQLITE_OK;
  }
  rc = sqlite3_reset(c->row);
  return rc == SQLITE_OK ? SQLITE_DONE : rc;
}

int fts5_cursor_text(Fts5Cursor *c, int i, const char **z, int *n) {
  *z = NULL;
  *n = 0;
  int rc = fts5_cursor_row(c);
  if (rc == SQLITE_DONE) return SQLITE_OK;
  if (rc != SQLITE_OK) return rc;
  sqlite3_stmt *s = c->mode == MODE_SCAN ? c->scan : c->row;
  *z = (const char *)sqlite3_column_text(s, i + 1);
  *n = sqlite3_column_bytes(s, i + 1);
  return SQLITE_OK;
}

/* A new row: what was read of the last one goes (auxiliary data stays for the query). */
static void row_changed(Fts5Cursor *c) {
  c->row_loaded = 0;
  c->inst_loaded = 0;
  if (c->colsize) c->colsize[0] = -1;
}

static int in_range(const Fts5Cursor *c, sqlite3_int64 r) {
  return (!c->has_min || r >= c->rowid_min) && (!c->has_max || r <= c->rowid_max);
}

static int match_step(Fts5Cursor *c) {
  for (;;) {
    if (c->at >= c->nrows) {
      c->eof = 1;
      return SQLITE_OK;
    }
    c->rowid = c->rows[c->at++];
    row_changed(c);
    if (c->mode == MODE_MATCH) return SQLITE_OK;
    int rc = fts5_cursor_row(c);
    if (rc == SQLITE_OK) return SQLITE_OK;
    if (rc != SQLITE_DONE) return rc;
  }
}

/* rank: "fn(args)" into the cursor's function and argument values. */
static int rank_setup(Fts5Cursor *c, Fts5Table *t, const char *spec) {
  const char *z = spec ? spec : "bm25()";
  while (*z == ' ') z++;
  int n = 0;
  while (z[n] && z[n] != '(' && z[n] != ' ') n++;
  const char *a = z + n;
  while (*a == ' ') a++;
  /* every query asks for its rank function: a short name is copied on the stack */
  char small[64];
  char *name = small;
  if (n < (int)sizeof small) {
    memcpy(small, z, (size_t)n);
    small[n] = 0;
  } else if (!(name = sqlite3_mprintf("%.*s", n, z))) {
    return SQLITE_NOMEM;
  }
  int len = (int)strlen(a);
  if (*a != '(' || len < 2 || a[len - 1] != ')') {
    if (name != small) sqlite3_free(name);
    return fts5_set_error(t, "parse error in rank function: %s", z);
  }
  c->rankfn = fts5_find_aux(t->g, name);
  if (!c->rankfn) {
    fts5_set_error(t, "no such function: %s", name);
    if (name != small) sqlite3_free(name);
    return SQLITE_ERROR;
  }
  if (name != small) sqlite3_free(name);
  int rc = SQLITE_OK;
  const char *args = a + 1;
  int nargs = len - 2;
  int blank = 1;
  for (int i = 0; i < nargs; i++) blank &= args[i] == ' ';
  if (!blank) {
    char *sql = sqlite3_mprintf("SELECT %.*s", nargs, args);
    sqlite3_stmt *s = NULL;
    rc = sql ? sqlite3_prepare_v2(t->db, sql, -1, &s, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc != SQLITE_OK) return fts5_set_error(t, "parse error in rank function: %s", z);
    if (sqlite3_step(s) == SQLITE_ROW) {
      int nc = sqlite3_column_count(s);
      c->rankargs = sqlite3_malloc64(sizeof(sqlite3_value *) * (sqlite3_uint64)(nc ? nc : 1));
      if (!c->rankargs) rc = SQLITE_NOMEM;
      for (int i = 0; rc == SQLITE_OK && i < nc; i++) {
        c->rankargs[i] = sqlite3_value_dup(sqlite3_column_value(s, i));
        if (!c->rankargs[i])
          rc = SQLITE_NOMEM;
        else
          c->nrankargs++;
      }
    }
    sqlite3_finalize(s);
  }
  return rc;
}

double fts5_bm25_score(Fts5Cursor *c, sqlite3_value **w, int nw, int *rc);

typedef struct RankedRow {
  sqlite3_int64 rowid;
  double rank;
} RankedRow;

static int ranked_cmp(const void *a, const void *b) {
  const RankedRow *x = a, *y = b;
  if (x->rank != y->rank) return x->rank < y->rank ? -1 : 1;
  return x->rowid < y->rowid ? -1 : x->rowid > y->rowid;
}

static int sort_by_rank(Fts5Cursor *c, int desc) {
  RankedRow *r = sqlite3_malloc64(sizeof(RankedRow) * (sqlite3_uint64)(c->nrows ? c->nrows : 1));
  if (!r) return SQLITE_NOMEM;
  int rc = SQLITE_OK;
  for (int i = 0; i < c->nrows && rc == SQLITE_OK; i++) {
    c->rowid = c->rows[i];
    row_changed(c);
    r[i].rowid = c->rows[i];
    r[i].rank = fts5_bm25_score(c, c->rankargs, c->nrankargs, &rc);
  }
  if (rc == SQLITE_OK) {
    qsort(r, (size_t)c->nrows, sizeof *r, ranked_cmp);
    for (int i = 0; i < c->nrows; i++) c->rows[i] = r[desc ? c->nrows - 1 - i : i].rowid;
  }
  sqlite3_free(r);
  return rc;
}

static int config_fresh(Fts5Table *t);

/* The inclusive rowid bound of rowid < v ('<'), <= ('l'), > ('>') or >= ('g'); 0 when v is NULL. */
static int rowid_bound(sqlite3_value *v, char op, sqlite3_int64 *m) {
  if (sqlite3_value_type(v) == SQLITE_NULL) return 0;
  sqlite3_int64 x = sqlite3_value_int64(v);
  double d = sqlite3_value_double(v);
  if ((op == '<' && (double)x >= d) || (op == 'l' && (double)x > d)) x--;
  if ((op == '>' && (double)x <= d) || (op == 'g' && (double)x < d)) x++;
  *m = x;
  return 1;
}

/* A LIKE (op 'L') or GLOB ('G') pattern as a MATCH query the rows it can
** match all satisfy: its runs of three or more literal characters, each a
** phrase (of trigrams), all required.  "" when it has no such run. */
static char *pattern_query(const char *z, int op) {
  F5Buf out = {0}, run = {0};
  int nchar = 0;
  for (const char *p = z ? z : "";; p++) {
    int wild = !*p || (op == 'L' ? (*p == '%' || *p == '_') : (*p == '*' || *p == '?' || *p == '['));
    if (wild) {
      if (nchar >= 3) {
        if (out.n) f5_put(&out, " ", 1);
        f5_put(&out, "\"", 1);
        for (int i = 0; i < run.n; i++) f5_put(&out, run.p[i] == '"' ? "\"\"" : (const char *)&run.p[i], run.p[i] == '"' ? 2 : 1);
        f5_put(&out, "\"", 1);
      }
      run.n = 0;
      nchar = 0;
      if (!*p) break;
      if (op == 'G' && *p == '[') {
        /* a class: ']' first in it is a member, not its end */
        if (p[1] == '^') p++;
        if (p[1] == ']') p++;
        while (p[1] && p[1] != ']') p++;
        if (p[1]) p++;
      }
      continue;
    }
    f5_put(&run, p, 1);
    if ((*p & 0xC0) != 0x80) nchar++;
  }
  f5_put(&out, "", 1);
  f5_free(&run);
  if (out.oom) {
    f5_free(&out);
    return NULL;
  }
  return (char *)out.p;
}

static int x_filter(sqlite3_vtab_cursor *vc, int idxNum, const char *idxStr, int argc, sqlite3_value **argv) {
  Fts5Cursor *c = (Fts5Cursor *)vc;
  Fts5Table *t = (Fts5Table *)vc->pVtab;
  cursor_reset(c);
  int frc = config_fresh(t);
  if (frc != SQLITE_OK) return frc;
  c->eof = 0;
  c->desc = idxNum & 1;
  int rc = SQLITE_OK, ai = 0, have_match = 0, have_eq = 0;
  const char *rankspec = NULL;
  sqlite3_int64 eq = 0;
  int eq_none = 0;
  F5Expr *expr = NULL;
  for (const char *p = idxStr ? idxStr : ""; *p && rc == SQLITE_OK && ai < argc; p++) {
    sqlite3_value *v = argv[ai++];
    switch (*p) {
      case 'M': {
        /* M<column>, the table's own column (all columns) numbered ncol */
        int col = atoi(p + 1);
        while (p[1] >= '0' && p[1] <= '9') p++;
        if (col >= t->ncol) col = -1;
        const char *q = (const char *)sqlite3_value_text(v);
        if (!q) q = "";
        F5Expr *e = NULL;
        char *err = NULL;
        rc = fts5_expr_parse(t, q, col, &e, &err);
        if (rc != SQLITE_OK) {
          if (err) {
            sqlite3_free(t->base.zErrMsg);
            t->base.zErrMsg = err;
          }
          break;
        }
        expr = fts5_expr_and(expr, e);
        if (!expr) rc = SQLITE_NOMEM;
        have_match = 1;
        break;
      }
      case 'L':
      case 'G': {
        int op = *p, col = atoi(p + 1);
        while (p[1] >= '0' && p[1] <= '9') p++;
        char *q = pattern_query((const char *)sqlite3_value_text(v), op);
        if (!q) q = sqlite3_mprintf("");
        if (!q) {
          rc = SQLITE_NOMEM;
          break;
        }
        if (*q) {
          F5Expr *e = NULL;
          char *err = NULL;
          rc = fts5_expr_parse(t, q, col, &e, &err);
          sqlite3_free(err);
          if (rc == SQLITE_OK) {
            expr = fts5_expr_and(expr, e);
            if (!expr) rc = SQLITE_NOMEM;
            have_match = 1;
          }
        }
        sqlite3_free(q);
        break;
      }
      case 'r': rankspec = (const char *)sqlite3_value_text(v); break;
      case '=': {
        int type = sqlite3_value_numeric_type(v);
        if (type == SQLITE_INTEGER ||
            (type == SQLITE_FLOAT && sqlite3_value_double(v) == (double)sqlite3_value_int64(v)))
          eq = sqlite3_value_int64(v), have_eq = 1;
        else
          eq_none = 1;
        break;
      }
      case '<':
      case 'l':
      case '>':
      case 'g': {
        sqlite3_int64 m;
        if (!rowid_bound(v, *p, &m)) {
          eq_none = 1;
        } else if (*p == '<' || *p == 'l') {
          if (!c->has_max || m < c->rowid_max) c->rowid_max = m;
          c->has_max = 1;
        } else {
          if (!c->has_min || m > c->rowid_min) c->rowid_min = m;
          c->has_min = 1;
        }
        break;
      }
      default: break;
    }
  }
  if (rc != SQLITE_OK) {
    fts5_expr_free(expr);
    return rc;
  }
  if (have_eq) {
    if (!c->has_min || eq > c->rowid_min) c->rowid_min = eq;
    if (!c->has_max || eq < c->rowid_max) c->rowid_max = eq;
    c->has_min = c->has_max = 1;
  }
  rc = rank_setup(c, t, rankspec ? rankspec : t->rank);
  if (rc != SQLITE_OK) {
    fts5_expr_free(expr);
    return rc;
  }
  if (eq_none) {
    fts5_expr_free(expr);
    c->mode = MODE_EMPTY;
    c->eof = 1;
    return SQLITE_OK;
  }
  if (have_match) {
    c->mode = MODE_MATCH;
    c->expr = expr;
    rc = fts5_expr_run(t, expr, &c->rows, &c->nrows);
    if (rc != SQLITE_OK) return rc;
    int k = 0;
    for (int i = 0; i < c->nrows; i++)
      if (in_range(c, c->rows[i])) c->rows[k++] = c->rows[i];
    c->nrows = k;
    if (idxNum & 6) {
      const char *name = c->rankfn ? c->rankfn->name : "bm25";
      rc = sqlite3_stricmp(name, "bm25") == 0 ? sort_by_rank(c, (idxNum & 4) != 0) : SQLITE_OK;
      if (rc != SQLITE_OK) return rc;
    } else if (c->desc) {
      for (int i = 0; i < c->nrows / 2; i++) {
        sqlite3_int64 x = c->rows[i];
        c->rows[i] = c->rows[c->nrows - 1 - i];
        c->rows[c->nrows - 1 - i] = x;
      }
    }
    return match_step(c);
  }
  /* a scan of the content (contentless tables: of %_docsize), in a rowid range */
  c->mode = MODE_SCAN;
  if (t->content == F5_CONTENT_NONE && !t->columnsize) {
    c->eof = 1;
    return SQLITE_OK;
  }
  char *where = sqlite3_mprintf("");
  const char *key = fts5_content_key(t);
  if (where && c->has_min) {
    char *w = sqlite3_mprintf("%s AND \"%w\">=%lld", where, key, c->rowid_min);
    sqlite3_free(where);
    where = w;
  }
  if (where && c->has_max) {
    char *w = sqlite3_mprintf("%s AND \"%w\"<=%lld", where, key, c->rowid_max);
    sqlite3_free(where);
    where = w;
  }
  char *sql = NULL;
  if (where && t->content == F5_CONTENT_NONE) {
    sql = sqlite3_mprintf("SELECT id FROM \"%w\".\"%w_docsize\" WHERE 1%s ORDER BY 1 %s", t->zdb, t->zname, where,
                          c->desc ? "DESC" : "ASC");
  } else if (where) {
    char *suffix = sqlite3_mprintf(" WHERE 1%s ORDER BY 1 %s", where, c->desc ? "DESC" : "ASC");
    sql = suffix ? fts5_content_select(t, suffix) : NULL;
    sqlite3_free(suffix);
  }
  sqlite3_free(where);
  rc = sql ? sqlite3_prepare_v3(t->db, sql, -1, SQLITE_PREPARE_NO_VTAB, &c->scan, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_step(c->scan);
  if (rc == SQLITE_ROW) {
    c->rowid = sqlite3_column_int64(c->scan, 0);
    row_changed(c);
    return SQLITE_OK;
  }
  c->eof = 1;
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int x_next(sqlite3_vtab_cursor *vc) {
  Fts5Cursor *c = (Fts5Cursor *)vc;
  if (c->mode == MODE_SCAN) {
    int rc = sqlite3_step(c->scan);
    if (rc == SQLITE_ROW) {
      c->rowid = sqlite3_column_int64(c->scan, 0);
      row_changed(c);
      return SQLITE_OK;
    }
    c->eof = 1;
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
  }
  if (c->mode == MODE_EMPTY) {
    c->eof = 1;
    return SQLITE_OK;
  }
  return match_step(c);
}

static int x_eof(sqlite3_vtab_cursor *vc) { return ((Fts5Cursor *)vc)->eof; }

static int x_column(sqlite3_vtab_cursor *vc, sqlite3_context *ctx, int i) {
  Fts5Cursor *c = (Fts5Cursor *)vc;
  Fts5Table *t = (Fts5Table *)vc->pVtab;
  if (i < t->ncol) {
    if (t->content == F5_CONTENT_NONE && !(t->contentless_unindexed && t->unindexed[i])) return SQLITE_OK;
    int rc = fts5_cursor_row(c);
    if (rc != SQLITE_OK) return rc == SQLITE_DONE ? SQLITE_OK : rc;
    int scan = c->mode == MODE_SCAN && !t->contentless_unindexed;
    sqlite3_result_value(ctx, sqlite3_column_value(scan ? c->scan : c->row, i + 1));
  } else if (i == t->ncol) {
    sqlite3_result_int64(ctx, c->id);
  } else if (i == t->ncol + 1) {
    if (c->mode == MODE_MATCH && c->rankfn) fts5_aux_call(c->rankfn, c, ctx, c->nrankargs, c->rankargs);
  }
  return SQLITE_OK;
}

static int x_rowid(sqlite3_vtab_cursor *vc, sqlite_int64 *out) {
  *out = ((Fts5Cursor *)vc)->rowid;
  return SQLITE_OK;
}

/* ---- changes ----------------------------------------------------------------------------------------------- */

/* The token counts of a row's columns (from fts5_log_row) as the %_docsize blob. */
static int docsize_write(Fts5Table *t, sqlite3_int64 rowid, const int *counts) {
  F5Buf b = {0};
  int rc = SQLITE_OK;
  for (int i = 0; i < t->ncol; i++) f5_varint(&b, (sqlite3_uint64)counts[i]);
  if (b.oom) rc = SQLITE_NOMEM;
  sqlite3_stmt *s = rc == SQLITE_OK ? fts5_stmt(t, F5ST_DOCSIZE_WRITE, &rc) : NULL;
  if (s) {
    sqlite3_bind_int64(s, 1, rowid);
    sqlite3_bind_blob(s, 2, b.p ? (const void *)b.p : "", b.n, SQLITE_STATIC);
    sqlite3_step(s);
    rc = sqlite3_reset(s);
  }
  f5_free(&b);
  return rc;
}

/* Logs an inserted row and writes its %_docsize row. */
static int row_index(Fts5Table *t, sqlite3_int64 rowid, sqlite3_value **vals) {
  int small[16];
  int *counts = !t->columnsize ? NULL : t->ncol <= 16 ? small : sqlite3_malloc64(sizeof(int) * (sqlite3_uint64)t->ncol);
  if (t->columnsize && !counts) return SQLITE_NOMEM;
  int rc = fts5_log_row(t, rowid, 0, vals, counts);
  if (rc == SQLITE_OK && t->columnsize) rc = docsize_write(t, rowid, counts);
  if (counts != small) sqlite3_free(counts);
  return rc;
}

static int docsize_delete(Fts5Table *t, sqlite3_int64 rowid) {
  int rc;
  sqlite3_stmt *s = fts5_stmt(t, F5ST_DOCSIZE_DELETE, &rc);
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, rowid);
  sqlite3_step(s);
  return sqlite3_reset(s);
}

/* Removes a row from the index (reading its text from the content) and from %_content/%_docsize. */
static int row_delete(Fts5Table *t, sqlite3_int64 rowid, sqlite3_value **given) {
  int rc = SQLITE_OK;
  if (t->contentless_delete) {
    rc = fts5_log_tombstone(t, rowid);
  } else if (given) {
    rc = fts5_log_row(t, rowid, 1, given, NULL);
  } else if (t->content == F5_CONTENT_NONE) {
    return SQLITE_OK;
  } else {
    sqlite3_stmt *s = fts5_stmt(t, F5ST_CONTENT_READ, &rc);
    if (!s) return rc;
    sqlite3_bind_int64(s, 1, rowid);
    if (sqlite3_step(s) == SQLITE_ROW) {
      sqlite3_value **vals = sqlite3_malloc64(sizeof(sqlite3_value *) * (sqlite3_uint64)t->ncol);
      if (!vals) rc = SQLITE_NOMEM;
      for (int i = 0; vals && i < t->ncol; i++) vals[i] = sqlite3_column_value(s, i + 1);
      if (vals) rc = fts5_log_row(t, rowid, 1, vals, NULL);
      sqlite3_free(vals);
    }
    int rc2 = sqlite3_reset(s);
    if (rc == SQLITE_OK) rc = rc2;
  }
  if (rc == SQLITE_OK && (t->content == F5_CONTENT_NORMAL || t->contentless_unindexed)) {
    sqlite3_stmt *s = fts5_stmt(t, F5ST_CONTENT_DELETE, &rc);
    if (!s) return rc;
    sqlite3_bind_int64(s, 1, rowid);
    sqlite3_step(s);
    rc = sqlite3_reset(s);
  }
  if (rc == SQLITE_OK && t->columnsize) rc = docsize_delete(t, rowid);
  return rc;
}

static int row_exists(Fts5Table *t, sqlite3_int64 rowid, int *exists) {
  int rc;
  *exists = 0;
  sqlite3_stmt *s = fts5_stmt(t, t->content == F5_CONTENT_NORMAL ? F5ST_CONTENT_READ : F5ST_DOCSIZE_READ, &rc);
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, rowid);
  *exists = sqlite3_step(s) == SQLITE_ROW;
  return sqlite3_reset(s);
}

static int row_insert(Fts5Table *t, sqlite3_value *rowid_in, sqlite3_value **cols, sqlite3_int64 *out) {
  int rc = SQLITE_OK;
  sqlite3_int64 rowid = 0;
  int given = rowid_in && sqlite3_value_type(rowid_in) != SQLITE_NULL;
  if (given) {
    if (sqlite3_value_numeric_type(rowid_in) != SQLITE_INTEGER) return SQLITE_MISMATCH;
    rowid = sqlite3_value_int64(rowid_in);
    /* a contentless_delete table replaces a row only when told to; a content table's own insert finds a row
    ** already there when no replacement is asked for (below), with no look-up first */
    int replace = sqlite3_vtab_on_conflict(t->db) == SQLITE_REPLACE;
    if ((t->content == F5_CONTENT_NORMAL || t->columnsize) && !(t->contentless_delete && !replace) &&
        !(t->content == F5_CONTENT_NORMAL && !replace)) {
      int exists;
      rc = row_exists(t, rowid, &exists);
      if (rc != SQLITE_OK) return rc;
      if (exists) {
        if (sqlite3_vtab_on_conflict(t->db) != SQLITE_REPLACE) {
          fts5_set_error(t, "constraint failed");
          return SQLITE_CONSTRAINT;
        }
        rc = row_delete(t, rowid, NULL);
        if (rc != SQLITE_OK) return rc;
      }
    }
  }
  if (t->content == F5_CONTENT_NORMAL || t->contentless_unindexed) {
    sqlite3_stmt *s = fts5_stmt(t, F5ST_CONTENT_INSERT, &rc);
    if (!s) return rc;
    if (given)
      sqlite3_bind_int64(s, 1, rowid);
    else
      sqlite3_bind_null(s, 1);
    for (int i = 0; i < t->ncol; i++) sqlite3_bind_value(s, i + 2, cols[i]);
    sqlite3_step(s);
    rc = sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if ((rc & 0xFF) == SQLITE_CONSTRAINT && given) {
      /* the rowid is taken (the look-up above is left to this insert when nothing is to be replaced) */
      fts5_set_error(t, "constraint failed");
      return SQLITE_CONSTRAINT;
    }
    if (rc != SQLITE_OK) return rc;
    if (!given) rowid = sqlite3_last_insert_rowid(t->db);
  } else if (!given) {
    /* no row of its own to number it: one past the largest known */
    char *sql = t->columnsize ? sqlite3_mprintf("SELECT max(id) FROM \"%w\".\"%w_docsize\"", t->zdb, t->zname) : NULL;
    sqlite3_stmt *s = NULL;
    if (sql && sqlite3_prepare_v2(t->db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
      rowid = sqlite3_column_int64(s, 0) + 1;
    else
      rowid = 1;
    sqlite3_finalize(s);
    sqlite3_free(sql);
  }
  rc = row_index(t, rowid, cols);
  *out = rowid;
  return rc;
}

static int config_set(Fts5Table *t, const char *k, sqlite3_value *v) {
  char *sql = sqlite3_mprintf("REPLACE INTO \"%w\".\"%w_config\" VALUES(?1, ?2)", t->zdb, t->zname);
  sqlite3_stmt *s = NULL;
  int rc = sql ? sqlite3_prepare_v2(t->db, sql, -1, &s, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_text(s, 1, k, -1, SQLITE_STATIC);
  sqlite3_bind_value(s, 2, v);
  sqlite3_step(s);
  rc = sqlite3_finalize(s);
  if (rc == SQLITE_OK) rc = fts5_bump_cookie(t);
  return rc;
}

static int rebuild(Fts5Table *t) {
  int rc = fts5_index_clear(t);
  if (rc == SQLITE_OK && t->columnsize) {
    char *sql = sqlite3_mprintf("DELETE FROM \"%w\".\"%w_docsize\"", t->zdb, t->zname);
    rc = sql ? sqlite3_exec(t->db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
  }
  if (rc != SQLITE_OK) return rc;
  char *sql = fts5_content_select(t, " ORDER BY 1");
  sqlite3_stmt *s = NULL;
  rc = sql ? sqlite3_prepare_v2(t->db, sql, -1, &s, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return rc;
  sqlite3_value **vals = sqlite3_malloc64(sizeof(sqlite3_value *) * (sqlite3_uint64)t->ncol);
  if (!vals) rc = SQLITE_NOMEM;
  while (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
    sqlite3_int64 rowid = sqlite3_column_int64(s, 0);
    for (int i = 0; i < t->ncol; i++) vals[i] = sqlite3_column_value(s, i + 1);
    rc = row_index(t, rowid, vals);
  }
  sqlite3_free(vals);
  int rc2 = sqlite3_finalize(s);
  if (rc == SQLITE_OK) rc = rc2;
  if (rc == SQLITE_OK) rc = fts5_flush(t);
  return rc;
}

static int run_command(Fts5Table *t, sqlite3_value *cmdv, sqlite3_value *arg, sqlite3_value *rowid,
                       sqlite3_value **cols) {
  const char *cmd = (const char *)sqlite3_value_text(cmdv);
  if (!cmd) cmd = "";
  if (sqlite3_stricmp(cmd, "delete-all") == 0) {
    if (t->content == F5_CONTENT_NORMAL)
      return fts5_set_error(t, "'delete-all' may only be used with a contentless or external content fts5 table");
    int rc = fts5_index_clear(t);
    if (rc == SQLITE_OK && t->columnsize) {
      char *sql = sqlite3_mprintf("DELETE FROM \"%w\".\"%w_docsize\"", t->zdb, t->zname);
      rc = sql ? sqlite3_exec(t->db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
      sqlite3_free(sql);
    }
    if (rc == SQLITE_OK && t->contentless_unindexed) {
      char *sql = sqlite3_mprintf("DELETE FROM \"%w\".\"%w_content\"", t->zdb, t->zname);
      rc = sql ? sqlite3_exec(t->db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
      sqlite3_free(sql);
    }
    return rc;
  }
  if (sqlite3_stricmp(cmd, "rebuild") == 0) {
    if (t->content == F5_CONTENT_NONE)
      return fts5_set_error(t, "'rebuild' may not be used with a contentless fts5 table");
    return rebuild(t);
  }
  if (sqlite3_stricmp(cmd, "optimize") == 0) return fts5_optimize(t);
  if (sqlite3_stricmp(cmd, "merge") == 0) return fts5_merge(t, sqlite3_value_int(arg));
  if (sqlite3_stricmp(cmd, "integrity-check") == 0) {
    int rc = fts5_integrity(t);
    if (rc == SQLITE_CORRUPT_VTAB) fts5_set_error(t, "database disk image is malformed");
    return rc;
  }
  if (sqlite3_stricmp(cmd, "delete") == 0) {
    if (t->content == F5_CONTENT_NORMAL)
      return fts5_set_error(t, "'delete' may only be used with a contentless or external content fts5 table");
    if (t->contentless_delete) return fts5_set_error(t, "'delete' may not be used with a contentless_delete=1 table");
    if (!rowid || sqlite3_value_type(rowid) == SQLITE_NULL) return fts5_set_error(t, "SQL logic error");
    sqlite3_int64 r = sqlite3_value_int64(rowid);
    int rc = fts5_log_row(t, r, 1, cols, NULL);
    if (rc == SQLITE_OK && t->columnsize) rc = docsize_delete(t, r);
    return rc;
  }
  struct {
    const char *name;
    int *field, lo, hi;
  } ints[] = {{"pgsz", &t->pgsz, 32, 65536},
              {"automerge", &t->automerge, 0, 64},
              {"crisismerge", &t->crisismerge, 0, 0x7FFFFFFF},
              {"usermerge", &t->usermerge, 2, 16},
              {"hashsize", &t->hashsize, 1, 0x7FFFFFFF},
              {"deletemerge", &t->deletemerge, -0x7FFFFFFF - 1, 0x7FFFFFFF},
              {"secure-delete", &t->secure_delete, 0, 0x7FFFFFFF}};
  for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
    if (sqlite3_stricmp(cmd, ints[i].name) != 0) continue;
    int v = sqlite3_value_int(arg);
    if (sqlite3_value_numeric_type(arg) != SQLITE_INTEGER || v < ints[i].lo || v > ints[i].hi)
      return fts5_set_error(t, "SQL logic error");
    *ints[i].field = v;
    if (ints[i].field == &t->automerge && v == 1) t->automerge = FTS5_DEFAULT_AUTOMERGE;
    if (ints[i].field == &t->crisismerge && v <= 1) t->crisismerge = FTS5_DEFAULT_CRISISMERGE;
    if (ints[i].field == &t->secure_delete) t->secure_delete = v != 0;
    return config_set(t, ints[i].name, arg);
  }
  if (sqlite3_stricmp(cmd, "rank") == 0) {
    const char *v = (const char *)sqlite3_value_text(arg);
    Fts5Cursor probe;
    memset(&probe, 0, sizeof probe);
    int rc = v ? rank_setup(&probe, t, v) : SQLITE_ERROR;
    for (int i = 0; i < probe.nrankargs; i++) sqlite3_value_free(probe.rankargs[i]);
    sqlite3_free(probe.rankargs);
    if (rc != SQLITE_OK) return fts5_set_error(t, "SQL logic error");
    sqlite3_free(t->rank);
    t->rank = sqlite3_mprintf("%s", v);
    return config_set(t, "rank", arg);
  }
  return fts5_set_error(t, "SQL logic error");
}

static int x_update(sqlite3_vtab *vt, int argc, sqlite3_value **argv, sqlite_int64 *rowid) {
  Fts5Table *t = (Fts5Table *)vt;
  int rc = config_fresh(t);
  if (rc != SQLITE_OK) return rc;
  if (argc == 1) {
    if (t->content == F5_CONTENT_NONE && !t->contentless_delete)
      return fts5_set_error(t, "cannot DELETE from contentless fts5 table: %s", t->zname);
    return row_delete(t, sqlite3_value_int64(argv[0]), NULL);
  }
  if (argc < t->ncol + 4) return SQLITE_ERROR;
  sqlite3_value **cols = argv + 2;
  sqlite3_value *cmd = argv[2 + t->ncol];
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL && sqlite3_value_type(cmd) != SQLITE_NULL)
    return run_command(t, cmd, argv[3 + t->ncol], argv[1], cols);
  if (sqlite3_value_type(argv[0]) != SQLITE_NULL) {
    if (t->content == F5_CONTENT_NONE && !t->contentless_delete)
      return fts5_set_error(t, "cannot UPDATE contentless fts5 table: %s", t->zname);
    /* the old row's text is gone: every column needs its new value */
    for (int i = 0; t->contentless_delete && !t->contentless_unindexed && i < t->ncol; i++)
      if (sqlite3_value_nochange(cols[i]))
        return fts5_set_error(t, "cannot UPDATE a subset of columns on fts5 contentless-delete table: %s", t->zname);
    sqlite3_int64 old = sqlite3_value_int64(argv[0]);
    sqlite3_value *newid = argv[1];
    if (sqlite3_value_type(newid) != SQLITE_NULL && sqlite3_value_int64(newid) != old) {
      int exists;
      rc = row_exists(t, sqlite3_value_int64(newid), &exists);
      if (rc != SQLITE_OK) return rc;
      if (exists && sqlite3_vtab_on_conflict(t->db) != SQLITE_REPLACE) {
        fts5_set_error(t, "constraint failed");
        return SQLITE_CONSTRAINT;
      }
    }
    rc = row_delete(t, old, NULL);
  }
  sqlite3_int64 r = 0;
  if (rc == SQLITE_OK) rc = row_insert(t, argv[1], cols, &r);
  if (rc == SQLITE_OK) *rowid = r;
  return rc;
}

/* ---- transactions ------------------------------------------------------------------------------------------ */

static int x_begin(sqlite3_vtab *vt) {
  (void)vt;
  return SQLITE_OK;
}

static int x_sync(sqlite3_vtab *vt) { return fts5_flush((Fts5Table *)vt); }

static int x_commit(sqlite3_vtab *vt) {
  Fts5Table *t = (Fts5Table *)vt;
  t->savepoints = 0;
  fts5_log_clear(t); /* xSync wrote it */
  return SQLITE_OK;
}

static int x_rollback(sqlite3_vtab *vt) {
  Fts5Table *t = (Fts5Table *)vt;
  fts5_log_clear(t);
  t->savepoints = 0;
  /* read again when next used: a callback of a rollback runs no SQL */
  t->config_stale = 1;
  return SQLITE_OK;
}

/* The %_config values again after a rollback may have undone some. */
static int config_fresh(Fts5Table *t) {
  if (!t->config_stale) return SQLITE_OK;
  t->config_stale = 0;
  t->pgsz = FTS5_DEFAULT_PGSZ;
  t->automerge = FTS5_DEFAULT_AUTOMERGE;
  t->crisismerge = FTS5_DEFAULT_CRISISMERGE;
  t->usermerge = FTS5_DEFAULT_USERMERGE;
  t->hashsize = FTS5_DEFAULT_HASHSIZE;
  t->deletemerge = FTS5_DEFAULT_DELETEMERGE;
  t->secure_delete = 0;
  t->version = FTS5_CURRENT_VERSION;
  sqlite3_free(t->rank);
  t->rank = NULL;
  return config_load(t);
}

/* Savepoint i remembers how much of the change log it saw: ROLLBACK TO i
** cuts the log back there (index rows written since are undone by the
** database itself).  SQLite's FTS5 writes its pending terms as a segment
** at each savepoint; the log marks the place instead, and the flush that
** replays it ends a segment there, so the segments come out the same.  A
** savepoint opened before this table took part in the transaction does
** not cover its changes. */
static int x_savepoint(sqlite3_vtab *vt, int i) {
  Fts5Table *t = (Fts5Table *)vt;
  if (i < 0) return SQLITE_OK;
  int rc = fts5_log_boundary(t);
  if (rc != SQLITE_OK) return rc;
  if (i + 1 > t->spcap) {
    int cap = i + 8;
    int *g = sqlite3_realloc64(t->spmark, sizeof(int) * (sqlite3_uint64)cap);
    if (!g) return SQLITE_NOMEM;
    t->spmark = g;
    g = sqlite3_realloc64(t->spwritten, sizeof(int) * (sqlite3_uint64)cap);
    if (!g) return SQLITE_NOMEM;
    t->spwritten = g;
    t->spcap = cap;
  }
  for (int k = t->savepoints; k <= i; k++) {
    t->spmark[k] = t->nops;
    t->spwritten[k] = t->written;
  }
  t->spmark[i] = t->nops;
  t->spwritten[i] = t->written;
  t->savepoints = i + 1;
  return SQLITE_OK;
}

static int x_release(sqlite3_vtab *vt, int i) {
  Fts5Table *t = (Fts5Table *)vt;
  if (t->savepoints > i) t->savepoints = i;
  return SQLITE_OK;
}

/* What was logged since savepoint i goes; what was written since is undone
** by the database, so those operations are pending again. */
static int x_rollback_to(sqlite3_vtab *vt, int i) {
  Fts5Table *t = (Fts5Table *)vt;
  if (i < 0) {
    /* the savepoint that began the transaction: everything since */
    fts5_log_clear(t);
  } else if (i < t->savepoints) {
    fts5_log_truncate(t, t->spmark[i]);
    t->written = t->spwritten[i] < t->nops ? t->spwritten[i] : t->nops;
    t->savepoints = i + 1;
  }
  t->config_stale = 1;
  return SQLITE_OK;
}

static int x_find_function(sqlite3_vtab *vt, int nargs, const char *name,
                           void (**fn)(sqlite3_context *, int, sqlite3_value **), void **arg) {
  Fts5Table *t = (Fts5Table *)vt;
  (void)nargs;
  F5AuxFn *f = fts5_find_aux(t->g, name);
  if (!f) return 0;
  *fn = fts5_aux_dispatch;
  *arg = f;
  return 1;
}

static int x_integrity(sqlite3_vtab *vt, const char *schema, const char *table, int flags, char **err) {
  Fts5Table *t = (Fts5Table *)vt;
  (void)schema;
  (void)table;
  (void)flags;
  int rc = fts5_integrity(t);
  if (rc == SQLITE_CORRUPT_VTAB) {
    *err = sqlite3_mprintf("malformed inverted index for FTS5 table %s.%s", t->zdb, t->zname);
    return SQLITE_OK;
  }
  return rc;
}

/* The module's calls that may read the index close the %_data reader they
** opened before they return: it holds a read transaction, which must not
** outlive the statement (fts5_index.c).  And each starts knowing of no mark
** that holds (Fts5Table.mark_held): a call that did not end through one of
** these (an auxiliary function's read) leaves none behind for a write's
** seeks to trust. */
#define VT(c) ((Fts5Table *)(c)->pVtab)
static int r_filter(sqlite3_vtab_cursor *vc, int idxNum, const char *idxStr, int argc, sqlite3_value **argv) {
  VT(vc)->mark_held = 0;
  int rc = x_filter(vc, idxNum, idxStr, argc, argv);
  fts5_reader_close(VT(vc));
  return rc;
}
static int r_next(sqlite3_vtab_cursor *vc) {
  VT(vc)->mark_held = 0;
  int rc = x_next(vc);
  fts5_reader_close(VT(vc));
  return rc;
}
static int r_column(sqlite3_vtab_cursor *vc, sqlite3_context *ctx, int i) {
  VT(vc)->mark_held = 0;
  int rc = x_column(vc, ctx, i);
  fts5_reader_close(VT(vc));
  return rc;
}
static int r_close(sqlite3_vtab_cursor *vc) {
  fts5_reader_close(VT(vc));
  return x_close(vc);
}
static int r_update(sqlite3_vtab *vt, int argc, sqlite3_value **argv, sqlite_int64 *rowid) {
  ((Fts5Table *)vt)->mark_held = 0;
  int rc = x_update(vt, argc, argv, rowid);
  fts5_reader_close((Fts5Table *)vt);
  return rc;
}
static int r_sync(sqlite3_vtab *vt) {
  ((Fts5Table *)vt)->mark_held = 0;
  int rc = x_sync(vt);
  fts5_reader_close((Fts5Table *)vt);
  return rc;
}
static int r_commit(sqlite3_vtab *vt) {
  fts5_reader_close((Fts5Table *)vt);
  return x_commit(vt);
}
static int r_rollback(sqlite3_vtab *vt) {
  fts5_reader_close((Fts5Table *)vt);
  return x_rollback(vt);
}
static int r_savepoint(sqlite3_vtab *vt, int i) {
  ((Fts5Table *)vt)->mark_held = 0;
  int rc = x_savepoint(vt, i);
  fts5_reader_close((Fts5Table *)vt);
  return rc;
}
static int r_release(sqlite3_vtab *vt, int i) {
  ((Fts5Table *)vt)->mark_held = 0;
  int rc = x_release(vt, i);
  fts5_reader_close((Fts5Table *)vt);
  return rc;
}
static int r_rollback_to(sqlite3_vtab *vt, int i) {
  ((Fts5Table *)vt)->mark_held = 0;
  fts5_reader_close((Fts5Table *)vt);
  int rc = x_rollback_to(vt, i);
  fts5_reader_close((Fts5Table *)vt);
  return rc;
}
static int r_integrity(sqlite3_vtab *vt, const char *schema, const char *table, int flags, char **err) {
  ((Fts5Table *)vt)->mark_held = 0;
  int rc = x_integrity(vt, schema, table, flags, err);
  fts5_reader_close((Fts5Table *)vt);
  return rc;
}
#undef VT

static const sqlite3_module fts5_module = {
    4,         x_create,      x_connect,     x_best_index, x_disconnect,    x_destroy, x_open,
    r_close,   r_filter,      r_next,        x_eof,        r_column,        x_rowid,   r_update,
    x_begin,   r_sync,        r_commit,      r_rollback,   x_find_function, x_rename,  r_savepoint,
    r_release, r_rollback_to, x_shadow_name, r_integrity,
};

const sqlite3_module *fts5_builtin_module(const char *name) {
  if (!name) return NULL;
  if (sqlite3_stricmp(name, "fts5") == 0) return &fts5_module;
  if (sqlite3_stricmp(name, "fts5vocab") == 0) return fts5_vocab_module();
  return NULL;
}

Fts5Table *fts5_table_find(Fts5Global *g, const char *zdb, const char *zname) {
  for (Fts5Table *t = g ? g->tables : NULL; t; t = t->next_table)
    if (sqlite3_stricmp(t->zdb, zdb) == 0 && sqlite3_stricmp(t->zname, zname) == 0) return t;
  return NULL;
}
