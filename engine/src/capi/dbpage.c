/*
** dbpage.c — the sqlite_dbpage virtual table: one row per page of a
** database file, (pgno, data), as SQLite built with
** SQLITE_ENABLE_DBPAGE_VTAB gives it.  Read only: writing pages through it
** is refused ("table sqlite_dbpage may not be modified").
**
** Like dbstat (dbstat.c) it is an sqlite3_module of the library that
** vtab_api.c registers at its first use, eponymous and usable in CREATE
** VIRTUAL TABLE x USING sqlite_dbpage; it needs the connection's b-trees,
** hence its place here.
**
** Constraints, as SQLite's module takes them: schema = X picks the
** database (one that does not exist gives no row; a schema constraint the
** scan cannot use has no plan), pgno = N (or rowid = N) the one page
** (none outside 1..page count); rows come in page order, so ORDER BY pgno
** costs nothing.  data is the page as the engine reads it (decrypted, the
** latest committed or this transaction's version); the lock-byte page
** reads as zeros.
*/
#include <string.h>

#include "btree/btree.h"
#include "capi/api.h"
#include "util/util.h"

#define COL_PGNO 0
#define COL_DATA 1
#define COL_SCHEMA 2

/* idxNum bits: a schema argument (first), a page number argument (after it). */
#define IDX_PGNO 1
#define IDX_SCHEMA 2

typedef struct PageTab {
  sqlite3_vtab base;
  lode *db;
} PageTab;

typedef struct PageCursor {
  sqlite3_vtab_cursor base;
  lode *db;
  Btree *bt;
  char *dbname;
  uint32_t pgno, last; /* the current page; the last to list (0 with pgno 1: none) */
  uint32_t page_size;
  uint8_t *buf; /* page_size bytes for the current page's data */
} PageCursor;

static int page_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  (void)aux, (void)argc, (void)argv, (void)err;
  int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(pgno INTEGER PRIMARY KEY, data BLOB, schema HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY); /* as SQLite's: never from a view or trigger */
  PageTab *t = util_zalloc(sizeof *t);
  if (!t) return SQLITE_NOMEM;
  t->db = db;
  *out = &t->base;
  return SQLITE_OK;
}

static int page_disconnect(sqlite3_vtab *vt) {
  util_free(vt);
  return SQLITE_OK;
}

static int page_best_index(sqlite3_vtab *vt, sqlite3_index_info *info) {
  int plan = 0;
  (void)vt;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    if (c->iColumn != COL_SCHEMA || c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (!c->usable) return SQLITE_CONSTRAINT; /* the database must be known before the scan */
    plan = IDX_SCHEMA;
    info->aConstraintUsage[i].argvIndex = 1;
    info->aConstraintUsage[i].omit = 1;
    break;
  }
  info->estimatedCost = 1.0e6;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    if (!c->usable || c->iColumn > COL_PGNO || c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    info->estimatedRows = 1;
    info->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
    info->estimatedCost = 1.0;
    info->aConstraintUsage[i].argvIndex = plan ? 2 : 1;
    info->aConstraintUsage[i].omit = 1;
    plan |= IDX_PGNO;
    break;
  }
  info->idxNum = plan;
  if (info->nOrderBy >= 1 && info->aOrderBy[0].iColumn <= COL_PGNO && !info->aOrderBy[0].desc)
    info->orderByConsumed = 1;
  return SQLITE_OK;
}

static int page_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out) {
  PageCursor *c = util_zalloc(sizeof *c);
  if (!c) return SQLITE_NOMEM;
  c->db = ((PageTab *)vt)->db;
  c->pgno = 1;
  *out = &c->base;
  return SQLITE_OK;
}

static void page_reset(PageCursor *c) {
  util_free(c->dbname);
  c->dbname = NULL;
  util_free(c->buf);
  c->buf = NULL;
  c->bt = NULL;
  c->pgno = 1;
  c->last = 0;
}

static int page_close(sqlite3_vtab_cursor *vc) {
  page_reset((PageCursor *)vc);
  util_free(vc);
  return SQLITE_OK;
}

static int page_error(PageCursor *c, int rc) {
  sqlite3_vtab *vt = c->base.pVtab;
  sqlite3_free(vt->zErrMsg);
  vt->zErrMsg = sqlite3_mprintf("%s", sqlite3_errstr(rc));
  return rc;
}

static int page_filter(sqlite3_vtab_cursor *vc, int idx, const char *idx_str, int argc, sqlite3_value **argv) {
  PageCursor *c = (PageCursor *)vc;
  lode *db = c->db;
  const char *schema = "main";
  int a = 0, rc;
  (void)idx_str, (void)argc;
  page_reset(c);
  if (idx & IDX_SCHEMA) schema = (const char *)sqlite3_value_text(argv[a++]);
  int dbi = schema ? conn_db_find(db, schema) : -1;
  /* An unknown database, or a temp database never opened, has no pages to list. */
  if (dbi < 0 || !db->dbs[dbi].bt) return SQLITE_OK;
  if ((rc = conn_txn_read(db, dbi)) != LODE_OK) return page_error(c, rc);
  c->bt = db->dbs[dbi].bt;
  uint32_t usable;
  btree_page_sizes(c->bt, &c->page_size, &usable);
  if (!(c->dbname = util_strdup(db->dbs[dbi].name)) || !(c->buf = util_malloc(c->page_size))) return SQLITE_NOMEM;
  c->last = btree_page_count(c->bt);
  if (idx & IDX_PGNO) {
    sqlite3_int64 n = sqlite3_value_int64(argv[a]);
    if (n < 1 || n > c->last) c->last = 0;
    else c->pgno = c->last = (uint32_t)n;
  }
  return SQLITE_OK;
}

static int page_next(sqlite3_vtab_cursor *vc) {
  ((PageCursor *)vc)->pgno++;
  return SQLITE_OK;
}

static int page_eof(sqlite3_vtab_cursor *vc) {
  const PageCursor *c = (const PageCursor *)vc;
  return c->pgno > c->last;
}

static int page_column(sqlite3_vtab_cursor *vc, sqlite3_context *ctx, int col) {
  PageCursor *c = (PageCursor *)vc;
  switch (col) {
    case COL_PGNO: sqlite3_result_int64(ctx, c->pgno); break;
    case COL_DATA: {
      int rc = btree_page_read(c->bt, c->pgno, c->buf);
      if (rc != LODE_OK) return page_error(c, rc);
      sqlite3_result_blob(ctx, c->buf, (int)c->page_size, SQLITE_TRANSIENT);
      break;
    }
    default: sqlite3_result_text(ctx, c->dbname, -1, SQLITE_TRANSIENT); break;
  }
  return SQLITE_OK;
}

static int page_rowid(sqlite3_vtab_cursor *vc, sqlite3_int64 *rowid) {
  *rowid = ((PageCursor *)vc)->pgno;
  return SQLITE_OK;
}

static const sqlite3_module page_module = {
    .iVersion = 1,
    .xCreate = page_connect,
    .xConnect = page_connect,
    .xBestIndex = page_best_index,
    .xDisconnect = page_disconnect,
    .xDestroy = page_disconnect,
    .xOpen = page_open,
    .xClose = page_close,
    .xFilter = page_filter,
    .xNext = page_next,
    .xEof = page_eof,
    .xColumn = page_column,
    .xRowid = page_rowid,
};

const sqlite3_module *api_dbpage_module(void) { return &page_module; }
