/*
** apply.c — sqlite3changeset_apply and _v2 (and their streaming versions):
** a changeset or patchset applied to a connection's main database.
**
** Each change runs one statement that names its row by the key and, for a
** DELETE or UPDATE, by the old values the change holds.  When it touches
** no row, the conflict handler is asked: DATA when the key's row exists
** with other values, NOTFOUND when there is none.  When an INSERT fails,
** it is asked CONFLICT when the key is taken, CONSTRAINT otherwise.  It
** answers OMIT (skip the change), REPLACE (for DATA and CONFLICT: write the
** change over the row there) or ABORT (undo everything, SQLITE_ABORT).
** Foreign keys are deferred while the changes apply and checked at the
** end (FOREIGN_KEY).  All runs in one savepoint unless
** SQLITE_CHANGESETAPPLY_NOSAVEPOINT says not to.  A table that is missing
** or whose columns or key differ from the changeset's is skipped, as
** SQLite skips it.
**
** Not done: the rebase buffer of apply_v2 (always empty), and SQLite's
** second attempt, at the end, of changes that failed on a constraint.
*/
#include <string.h>

#include "capi/changeset.h"

typedef struct Applier {
  sqlite3 *db;
  int (*filter)(void *, const char *);
  int (*conflict)(void *, int, sqlite3_changeset_iter *);
  void *ctx;
  int flags;
  const char *tab; /* the table the columns below are of (the iterator's name) */
  int skip;        /* its changes are left out */
  char **cols;
  int ncol;
} Applier;

static void forget_columns(Applier *a) {
  for (int i = 0; a->cols && i < a->ncol; i++) util_free(a->cols[i]);
  util_free(a->cols);
  a->cols = NULL;
  a->ncol = 0;
}

/* The columns of the iterator's table in main, checked against the
** changeset's: a->skip when they do not fit. */
static int learn_table(Applier *a, sqlite3_changeset_iter *it) {
  StrBuf sql;
  sqlite3_stmt *st = NULL;
  int rc, n = 0, cap = 0, fits = 1;
  forget_columns(a);
  a->tab = it->tab;
  a->skip = a->filter && !a->filter(a->ctx, it->tab);
  if (a->skip) return SQLITE_OK;
  strbuf_init(&sql);
  strbuf_appendz(&sql, "PRAGMA main.table_info(");
  cs_put_quoted(&sql, it->tab);
  strbuf_appendc(&sql, ')');
  rc = sql.oom ? SQLITE_NOMEM : sqlite3_prepare_v2(a->db, sql.z, -1, &st, NULL);
  strbuf_reset(&sql);
  while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
    if (n == cap) {
      char **c = util_realloc(a->cols, sizeof(char *) * (size_t)(cap = cap ? 2 * cap : 8));
      if (!c) {
        rc = SQLITE_NOMEM;
        break;
      }
      a->cols = c;
    }
    if (!(a->cols[n] = util_strdup((const char *)sqlite3_column_text(st, 1)))) rc = SQLITE_NOMEM;
    if (n < it->ncol && sqlite3_column_int(st, 5) != it->pk[n]) fits = 0;
    a->ncol = ++n;
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_OK) return rc;
  /* Told to SQLITE_CONFIG_LOG's logger, as SQLite tells it. */
  if (n == 0) sqlite3_log(SQLITE_SCHEMA, "sqlite3changeset_apply(): no such table: %s", it->tab);
  else if (n < it->ncol)
    sqlite3_log(SQLITE_SCHEMA, "sqlite3changeset_apply(): table %s has %d columns, expected %d or more", it->tab, n,
                it->ncol);
  else if (!fits) sqlite3_log(SQLITE_SCHEMA, "sqlite3changeset_apply(): primary key mismatch for table %s", it->tab);
  if (n < it->ncol || !fits) a->skip = 1;
  return SQLITE_OK;
}

/* " WHERE" over the key columns, and the other old values unless only_key;
** *nbound the parameters used (bound by bind_where in the same order). */
static void put_where(Applier *a, sqlite3_changeset_iter *it, StrBuf *sql, int only_key, int *nparam) {
  int k = 0;
  for (int i = 0; i < it->ncol; i++) {
    if (!it->defined[CS_OLD * it->ncol + i] || (only_key && !it->pk[i])) continue;
    strbuf_appendz(sql, k ? " AND " : " WHERE ");
    cs_put_quoted(sql, a->cols[i]);
    strbuf_printf(sql, " IS ?%d", ++*nparam);
    k++;
  }
}

static int bind_where(sqlite3_changeset_iter *it, sqlite3_stmt *st, int only_key, int *nparam) {
  for (int i = 0; i < it->ncol; i++) {
    if (!it->defined[CS_OLD * it->ncol + i] || (only_key && !it->pk[i])) continue;
    int rc = sqlite3_bind_value(st, ++*nparam, &it->vals[CS_OLD * it->ncol + i]);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

/* Runs the change's statement: rows changed in *changed; SQLITE_CONSTRAINT
** (and the like) as the statement's result. */
static int run_change(Applier *a, sqlite3_changeset_iter *it, int only_key, int *changed) {
  StrBuf sql;
  sqlite3_stmt *st = NULL;
  int n = 0, rc;
  *changed = 0;
  strbuf_init(&sql);
  if (it->op == SQLITE_DELETE) {
    strbuf_appendz(&sql, "DELETE FROM main.");
    cs_put_quoted(&sql, a->tab);
    put_where(a, it, &sql, only_key, &n);
  } else if (it->op == SQLITE_UPDATE) {
    int k = 0;
    strbuf_appendz(&sql, "UPDATE main.");
    cs_put_quoted(&sql, a->tab);
    for (int i = 0; i < it->ncol; i++) {
      if (!it->defined[CS_NEW * it->ncol + i]) continue;
      strbuf_appendz(&sql, k++ ? ", " : " SET ");
      cs_put_quoted(&sql, a->cols[i]);
      strbuf_printf(&sql, " = ?%d", ++n);
    }
    if (!k) return SQLITE_OK;
    put_where(a, it, &sql, only_key, &n);
  } else {
    strbuf_appendz(&sql, "INSERT INTO main.");
    cs_put_quoted(&sql, a->tab);
    for (int i = 0; i < it->ncol; i++) {
      strbuf_appendz(&sql, i ? ", " : "(");
      cs_put_quoted(&sql, a->cols[i]);
    }
    strbuf_appendz(&sql, ") VALUES(");
    for (int i = 0; i < it->ncol; i++) strbuf_printf(&sql, i ? ", ?%d" : "?%d", i + 1);
    strbuf_appendc(&sql, ')');
  }
  rc = sql.oom ? SQLITE_NOMEM : sqlite3_prepare_v2(a->db, sql.z, -1, &st, NULL);
  strbuf_reset(&sql);
  n = 0;
  if (rc == SQLITE_OK && it->op != SQLITE_DELETE) {
    for (int i = 0; i < it->ncol && rc == SQLITE_OK; i++) {
      if (!it->defined[CS_NEW * it->ncol + i]) continue;
      rc = sqlite3_bind_value(st, ++n, &it->vals[CS_NEW * it->ncol + i]);
    }
  }
  if (rc == SQLITE_OK && it->op != SQLITE_INSERT) rc = bind_where(it, st, only_key, &n);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
      rc = SQLITE_OK;
      *changed = sqlite3_changes(a->db);
    }
  }
  sqlite3_finalize(st);
  return rc;
}

/* The row of the change's key as it is now, as the iterator's conflicting
** values: *found 0 when there is none. */
static int read_conflict(Applier *a, sqlite3_changeset_iter *it, int *found) {
  StrBuf sql;
  sqlite3_stmt *st = NULL;
  int n = 0, rc;
  *found = 0;
  strbuf_init(&sql);
  strbuf_appendz(&sql, "SELECT ");
  for (int i = 0; i < it->ncol; i++) {
    if (i) strbuf_appendz(&sql, ", ");
    cs_put_quoted(&sql, a->cols[i]);
  }
  strbuf_appendz(&sql, " FROM main.");
  cs_put_quoted(&sql, a->tab);
  /* An INSERT's key is in its new row: read it there. */
  int k = 0;
  for (int i = 0; i < it->ncol; i++) {
    if (!it->pk[i]) continue;
    strbuf_appendz(&sql, k++ ? " AND " : " WHERE ");
    cs_put_quoted(&sql, a->cols[i]);
    strbuf_printf(&sql, " IS ?%d", ++n);
  }
  rc = sql.oom ? SQLITE_NOMEM : sqlite3_prepare_v2(a->db, sql.z, -1, &st, NULL);
  strbuf_reset(&sql);
  n = 0;
  int row = it->op == SQLITE_INSERT ? CS_NEW : CS_OLD;
  for (int i = 0; rc == SQLITE_OK && i < it->ncol; i++)
    if (it->pk[i]) rc = sqlite3_bind_value(st, ++n, &it->vals[row * it->ncol + i]);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      *found = 1;
      for (int i = 0; i < it->ncol && rc == SQLITE_ROW; i++) {
        Mem *m = &it->vals[CS_CONFLICT * it->ncol + i];
        mem_release(m);
        if (mem_copy(m, sqlite3_column_value(st, i)) != LODE_OK) rc = SQLITE_NOMEM;
        it->defined[CS_CONFLICT * it->ncol + i] = 1;
      }
      if (rc == SQLITE_ROW) rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
      rc = SQLITE_OK;
    }
  }
  sqlite3_finalize(st);
  return rc;
}

/* Deletes the row with the key of the INSERT it. */
static int delete_key(Applier *a, sqlite3_changeset_iter *it) {
  StrBuf sql;
  sqlite3_stmt *st = NULL;
  int n = 0, k = 0, rc;
  strbuf_init(&sql);
  strbuf_appendz(&sql, "DELETE FROM main.");
  cs_put_quoted(&sql, a->tab);
  for (int i = 0; i < it->ncol; i++) {
    if (!it->pk[i]) continue;
    strbuf_appendz(&sql, k++ ? " AND " : " WHERE ");
    cs_put_quoted(&sql, a->cols[i]);
    strbuf_printf(&sql, " IS ?%d", k);
  }
  rc = sql.oom ? SQLITE_NOMEM : sqlite3_prepare_v2(a->db, sql.z, -1, &st, NULL);
  strbuf_reset(&sql);
  for (int i = 0; rc == SQLITE_OK && i < it->ncol; i++)
    if (it->pk[i]) rc = sqlite3_bind_value(st, ++n, &it->vals[CS_NEW * it->ncol + i]);
  if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_DONE) rc = SQLITE_OK;
  sqlite3_finalize(st);
  return rc;
}

/* The row there already holds the change's new values (IGNORENOOP). */
static int already_there(sqlite3_changeset_iter *it) {
  for (int i = 0; i < it->ncol; i++) {
    const Mem *nv = &it->vals[CS_NEW * it->ncol + i], *cv = &it->vals[CS_CONFLICT * it->ncol + i];
    if (!it->defined[CS_NEW * it->ncol + i]) continue;
    if (nv->type != cv->type || mem_compare(nv, cv, COLL_BINARY) != 0) return 0;
  }
  return 1;
}

/* Asks the handler about conflict kind; *res its answer. */
static int ask(Applier *a, sqlite3_changeset_iter *it, int kind, int *res) {
  it->have_conflict = kind == SQLITE_CHANGESET_DATA || kind == SQLITE_CHANGESET_CONFLICT;
  *res = a->conflict ? a->conflict(a->ctx, kind, it) : SQLITE_CHANGESET_OMIT;
  it->have_conflict = 0;
  if (*res == SQLITE_CHANGESET_OMIT || *res == SQLITE_CHANGESET_ABORT) return SQLITE_OK;
  if (*res == SQLITE_CHANGESET_REPLACE && (kind == SQLITE_CHANGESET_DATA || kind == SQLITE_CHANGESET_CONFLICT))
    return SQLITE_OK;
  return SQLITE_MISUSE;
}

/* A change's statement failed on a constraint: the handler says whether to go on. */
static int constraint_failed(Applier *a, sqlite3_changeset_iter *it) {
  int res, rc;
  sqlite3_set_errmsg(a->db, SQLITE_OK, NULL);
  if ((rc = ask(a, it, SQLITE_CHANGESET_CONSTRAINT, &res)) != SQLITE_OK) return rc;
  return res == SQLITE_CHANGESET_ABORT ? SQLITE_ABORT : SQLITE_OK;
}

static int apply_one(Applier *a, sqlite3_changeset_iter *it) {
  int changed, found, res, rc;
  if (it->op == SQLITE_INSERT) {
    rc = run_change(a, it, 0, &changed);
    if ((rc & 0xff) != SQLITE_CONSTRAINT) return rc;
    sqlite3_set_errmsg(a->db, SQLITE_OK, NULL);
    if ((rc = read_conflict(a, it, &found)) != SQLITE_OK) return rc;
    if (found && (a->flags & SQLITE_CHANGESETAPPLY_IGNORENOOP) && already_there(it)) return SQLITE_OK;
    int kind = found ? SQLITE_CHANGESET_CONFLICT : SQLITE_CHANGESET_CONSTRAINT;
    if ((rc = ask(a, it, kind, &res)) != SQLITE_OK) return rc;
    if (res == SQLITE_CHANGESET_ABORT) return SQLITE_ABORT;
    if (res == SQLITE_CHANGESET_OMIT) return SQLITE_OK;
    /* REPLACE: the row there goes, then the INSERT again. */
    rc = delete_key(a, it);
    if (rc == SQLITE_OK) rc = run_change(a, it, 0, &changed);
    return (rc & 0xff) == SQLITE_CONSTRAINT ? constraint_failed(a, it) : rc;
  }
  rc = run_change(a, it, it->patchset, &changed);
  if ((rc & 0xff) == SQLITE_CONSTRAINT) return constraint_failed(a, it);
  if (rc != SQLITE_OK || changed) return rc;
  if ((rc = read_conflict(a, it, &found)) != SQLITE_OK) return rc;
  if (a->flags & SQLITE_CHANGESETAPPLY_IGNORENOOP) {
    if (!found && it->op == SQLITE_DELETE) return SQLITE_OK;
    if (found && it->op == SQLITE_UPDATE && already_there(it)) return SQLITE_OK;
  }
  if ((rc = ask(a, it, found ? SQLITE_CHANGESET_DATA : SQLITE_CHANGESET_NOTFOUND, &res)) != SQLITE_OK) return rc;
  if (res == SQLITE_CHANGESET_ABORT) return SQLITE_ABORT;
  if (res == SQLITE_CHANGESET_OMIT) return SQLITE_OK;
  rc = run_change(a, it, 1, &changed); /* REPLACE of DATA: by the key alone */
  return (rc & 0xff) == SQLITE_CONSTRAINT ? constraint_failed(a, it) : rc;
}

static int exec(sqlite3 *db, const char *sql) { return sqlite3_exec(db, sql, NULL, NULL, NULL); }

static int pragma_int(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st = NULL;
  int v = 0;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return v;
}

int sqlite3changeset_apply_v2(sqlite3 *db, int n, void *p, int (*filter)(void *, const char *),
                              int (*conflict)(void *, int, sqlite3_changeset_iter *), void *ctx, void **rebase,
                              int *nrebase, int flags) {
  sqlite3_changeset_iter *it = NULL;
  Applier a = {.db = db, .filter = filter, .conflict = conflict, .ctx = ctx, .flags = flags};
  int rc, res, savepoint = !(flags & SQLITE_CHANGESETAPPLY_NOSAVEPOINT);
  if (rebase) *rebase = NULL;
  if (nrebase) *nrebase = 0;
  if (!db || db->magic != CONN_MAGIC_OPEN) return SQLITE_MISUSE;
  rc = cs_start(&it, n, p, flags & SQLITE_CHANGESETAPPLY_INVERT ? SQLITE_CHANGESETSTART_INVERT : 0);
  if (rc != SQLITE_OK) return rc;
  int defer_was = pragma_int(db, "PRAGMA defer_foreign_keys");
  /* (after the savepoint: a transaction's end turns defer_foreign_keys off) */
  if (savepoint) rc = exec(db, "SAVEPOINT changeset_apply");
  exec(db, "PRAGMA defer_foreign_keys = 1");
  while (rc == SQLITE_OK && (rc = sqlite3changeset_next(it)) == SQLITE_ROW) {
    rc = SQLITE_OK;
    if (it->tab != a.tab && (rc = learn_table(&a, it)) != SQLITE_OK) break;
    if (!a.skip) rc = apply_one(&a, it);
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  if (rc == SQLITE_OK) {
    sqlite3_int64 cur = 0, high = 0;
    sqlite3_db_status64(db, SQLITE_DBSTATUS_DEFERRED_FKS, &cur, &high, 0);
    if (cur > 0) {
      it->nfk = (int)cur;
      res = conflict ? conflict(ctx, SQLITE_CHANGESET_FOREIGN_KEY, it) : SQLITE_CHANGESET_ABORT;
      it->nfk = 0;
      if (res != SQLITE_CHANGESET_OMIT) rc = SQLITE_CONSTRAINT;
    }
  }
  exec(db, defer_was ? "PRAGMA defer_foreign_keys = 1" : "PRAGMA defer_foreign_keys = 0");
  if (savepoint) {
    if (rc != SQLITE_OK) exec(db, "ROLLBACK TO changeset_apply");
    int rrc = exec(db, "RELEASE changeset_apply");
    if (rc == SQLITE_OK) rc = rrc;
  }
  int frc = sqlite3changeset_finalize(it);
  if (rc == SQLITE_OK) rc = frc;
  forget_columns(&a);
  return rc;
}

int sqlite3changeset_apply(sqlite3 *db, int n, void *p, int (*filter)(void *, const char *),
                           int (*conflict)(void *, int, sqlite3_changeset_iter *), void *ctx) {
  return sqlite3changeset_apply_v2(db, n, p, filter, conflict, ctx, NULL, NULL, 0);
}

int sqlite3changeset_apply_v2_strm(sqlite3 *db, int (*in)(void *, void *, int *), void *arg,
                                   int (*filter)(void *, const char *),
                                   int (*conflict)(void *, int, sqlite3_changeset_iter *), void *ctx, void **rebase,
                                   int *nrebase, int flags) {
  void *p = NULL;
  int n = 0;
  if (rebase) *rebase = NULL;
  if (nrebase) *nrebase = 0;
  if (!in) return SQLITE_MISUSE;
  int rc = cs_stream_in(in, arg, &p, &n);
  if (rc == SQLITE_OK) rc = sqlite3changeset_apply_v2(db, n, p, filter, conflict, ctx, rebase, nrebase, flags);
  util_free(p);
  return rc;
}

int sqlite3changeset_apply_strm(sqlite3 *db, int (*in)(void *, void *, int *), void *arg,
                                int (*filter)(void *, const char *),
                                int (*conflict)(void *, int, sqlite3_changeset_iter *), void *ctx) {
  return sqlite3changeset_apply_v2_strm(db, in, arg, filter, conflict, ctx, NULL, NULL, 0);
}
