/*
** blob.c — incremental blob I/O (sqlite3_blob_*).
**
** A handle runs `SELECT <rowid> FROM db.table WHERE <rowid> = ?1`, a
** program of its own (not on the connection's list of statements), stepped
** to the row and held there while the handle is open: its transaction and
** snapshot last as long as the handle, as SQLite's do, and its table cursor
** serves every read (vdbe_blob_*: straight from the b-tree, no program run).
** sqlite3_blob_reopen moves that cursor to the new row.
**
** The handle's row is on lode.blob_rows: a write or delete of that row by
** any statement (an UPDATE of any column, DELETE, REPLACE, an emptied table)
** expires the handle, as in SQLite: its next read or write is SQLITE_ABORT
** and kills it (SQLITE_ABORT from then on, a size of 0); until then a
** reopen may still move it to a row.  A writable
** handle's program opens the table for writing in a write transaction, and
** a write through it overwrites the bytes in place (vdbe_blob_write), as
** SQLite's does: no trigger, constraint check, change count or update hook
** sees it (the preupdate hook does, told as SQLite tells it), and it expires
** no handle.  The size never changes, as in SQLite.
**
** The last handle closed keeps its program (ConnApi.blob_spare) for the next
** open of the same column: an application (or FTS5) opening a handle per
** row or per query compiles nothing then.
*/
#include <string.h>

#include "capi/api.h"
#include "util/util.h"

struct sqlite3_blob {
  lode *db;
  char *dbname; /* the database the table is in */
  char *table;  /* as named in the schema */
  char *column;
  uint32_t root; /* the table's b-tree, and the record field of the column */
  int field;
  int writable;
  int is_ipk;
  Vdbe *v;          /* the held statement (NULL once it ended) */
  ConnBlobRow row;  /* on db->blob_rows while open: row.rowid, row.expired */
  int dead;         /* a read, write or reopen failed on an expired row: only close is left */
  VdbeBlobField f;  /* the value's place in the row's record */
};

static int db_ok(sqlite3 *db) { return db && db->magic == CONN_MAGIC_OPEN; }

/* "name" with its quotes doubled. */
static void quote(StrBuf *b, const char *name) {
  strbuf_appendc(b, '"');
  for (const char *p = name; *p; p++) {
    if (*p == '"') strbuf_appendc(b, '"');
    strbuf_appendc(b, *p);
  }
  strbuf_appendc(b, '"');
}

/* A name of the rowid that no column of t takes. */
static const char *rowid_name(const Table *t) {
  static const char *const names[] = {"rowid", "_rowid_", "oid"};
  for (int k = 0; k < 3; k++) {
    int i = 0;
    while (i < t->ncols && util_stricmp(t->cols[i].name, names[k]) != 0) i++;
    if (i == t->ncols) return names[k];
  }
  return NULL;
}

static void blob_unlink(sqlite3_blob *b) {
  for (ConnBlobRow **pp = &b->db->blob_rows; *pp; pp = &(*pp)->next)
    if (*pp == &b->row) {
      *pp = b->row.next;
      break;
    }
  b->row.next = NULL;
}

static void blob_free(sqlite3_blob *b) {
  if (!b) return;
  vdbe_free(b->v);
  util_free(b->table);
  util_free(b->column);
  util_free(b->dbname);
  util_free(b);
}

void api_blob_spare_free(lode *db) {
  if (!db->api) return;
  blob_free(db->api->blob_spare);
  db->api->blob_spare = NULL;
}

/* Runs the held statement from the start, on row rowid: LODE_ROW when the
** row is there (the statement then stays on it), LODE_DONE when not. */
static int run_to_row(sqlite3_blob *b, sqlite3_int64 rowid) {
  int rc = LODE_OK;
  for (int tries = 0; tries < 2; tries++) {
    vdbe_reset(b->v);
    Mem *p = vdbe_param(b->v, 1);
    if (!p) return conn_error(b->db, LODE_INTERNAL, NULL);
    mem_set_int(p, rowid);
    vdbe_param_bound(b->v, 1);
    rc = vdbe_step(b->v);
    if (rc != LODE_SCHEMA) break;
    /* the schema changed since the program was made: make it again */
    vdbe_reset(b->v);
    Vdbe *fresh = NULL;
    char *text = util_strdup(vdbe_sql(b->v));
    if (!text) return conn_error(b->db, LODE_NOMEM, NULL);
    rc = capi_compile(b->db, text, &fresh);
    util_free(text);
    if (rc != LODE_OK) return rc;
    vdbe_free(b->v);
    b->v = fresh;
  }
  if (rc == LODE_DONE) vdbe_reset(b->v);
  return rc;
}

/* Positions b on rowid and checks the value there: SQLITE_OK, or an error
** (the message on the connection) after which the handle holds no row. */
static int seek_row(sqlite3_blob *b, sqlite3_int64 rowid) {
  static const char *const type_names[] = {"", "integer", "real", "text", "blob", "null"};
  int found = 0, rc;
  if (vdbe_is_busy(b->v)) {
    rc = vdbe_blob_seek(b->v, 0, rowid, b->field, &b->f, &found);
  } else {
    rc = run_to_row(b, rowid);
    if (rc == LODE_ROW) rc = vdbe_blob_seek(b->v, 0, rowid, b->field, &b->f, &found);
    else if (rc == LODE_DONE) rc = LODE_OK;
  }
  if (rc == LODE_OK && !found) rc = conn_error(b->db, SQLITE_ERROR, "no such rowid: %lld", (long long)rowid);
  else if (rc == LODE_OK && (b->is_ipk || (b->f.type != SQLITE_TEXT && b->f.type != SQLITE_BLOB)))
    /* an INTEGER PRIMARY KEY is stored as NULL in its record: SQLite names that type */
    rc = conn_error(b->db, SQLITE_ERROR, "cannot open value of type %s", type_names[b->is_ipk ? SQLITE_NULL : b->f.type]);
  else if (rc != LODE_OK && rc != SQLITE_ERROR && b->db->errcode == LODE_OK)
    rc = conn_error(b->db, rc, NULL);
  if (rc != LODE_OK) {
    vdbe_reset(b->v);
    return rc;
  }
  b->row.rowid = rowid;
  b->row.expired = 0;
  return SQLITE_OK;
}

static int column_is_indexed(const Table *t, int col) {
  for (const Index *ix = t->indexes; ix; ix = ix->next)
    for (int i = 0; i < ix->nkey; i++)
      if (ix->cols[i].cid == col || ix->cols[i].expr) return 1;
  return 0;
}

/* The table is looked for in database zdb (main when NULL). */
/* Whether column col of t is part of a foreign key: a child column of one
** of t's, or a parent key column of one referencing t (by name, or the
** PRIMARY KEY when it names none). */
static int column_in_fkey(const Schema *s, const Table *t, int col) {
  for (const ForeignKey *fk = t->fkeys; fk; fk = fk->next)
    for (int j = 0; j < fk->ncols; j++)
      if (fk->child_cols[j] == col) return 1;
  for (int i = 0; i < s->ntables; i++)
    for (const ForeignKey *fk = s->tables[i]->fkeys; fk; fk = fk->next) {
      if (util_stricmp(fk->parent, t->name) != 0) continue;
      if (!fk->parent_cols) {
        if (col == t->ipk || t->cols[col].primary_key) return 1;
        continue;
      }
      for (int j = 0; j < fk->ncols; j++)
        if (util_stricmp(fk->parent_cols[j], t->cols[col].name) == 0) return 1;
    }
  return 0;
}

static int open_checks(lode *db, const char *zdb, const char *table, const char *column, int writable, Table **out,
                       int *col) {
  Table *t;
  int rc = conn_ensure_schema(db);
  if (rc != SQLITE_OK) return rc;
  int di = zdb ? conn_db_find(db, zdb) : CONN_DB_MAIN;
  Schema *s = di >= 0 ? db->dbs[di].schema : NULL;
  t = s ? schema_find_table(s, table) : NULL;
  if (!t) {
    if (s && schema_find_view(s, table)) return conn_error(db, SQLITE_ERROR, "cannot open view: %s", table);
    return conn_error(db, SQLITE_ERROR, "no such table: %s.%s", zdb ? zdb : "main", table);
  }
  if (t->vtab_module) return conn_error(db, SQLITE_ERROR, "cannot open virtual table: %s", table);
  if (t->without_rowid) return conn_error(db, SQLITE_ERROR, "cannot open table without rowid: %s", table);
  for (*col = 0; *col < t->ncols; (*col)++)
    if (util_stricmp(t->cols[*col].name, column) == 0) break;
  if (*col == t->ncols) return conn_error(db, SQLITE_ERROR, "no such column: \"%s\"", column);
  /* a VIRTUAL generated column's value is in no record: there are no bytes to open */
  if (t->cols[*col].generated == COLGEN_VIRTUAL) return conn_error(db, SQLITE_ERROR, "cannot open value of type null");
  if (writable && column_is_indexed(t, *col))
    return conn_error(db, SQLITE_ERROR, "cannot open indexed column for writing");
  /* A write through the handle would bypass the constraint's checks. */
  if (writable && db->foreign_keys && column_in_fkey(s, t, *col))
    return conn_error(db, SQLITE_ERROR, "cannot open foreign key column for writing");
  *out = t;
  return SQLITE_OK;
}

int sqlite3_blob_open(sqlite3 *db, const char *zdb, const char *table, const char *column, sqlite3_int64 row,
                      int flags, sqlite3_blob **out) {
  sqlite3_blob *b = NULL;
  Table *t = NULL;
  int col = 0, rc;
  if (out) *out = NULL;
  if (!db_ok(db) || !out || !table || !column) return SQLITE_MISUSE;
  rc = open_checks(db, zdb, table, column, flags != 0, &t, &col);
  if (rc != SQLITE_OK) return rc;
  const char *dbname = db->dbs[t->db].name;
  ConnApi *a = conn_api(db);
  if (!a) return conn_error(db, SQLITE_NOMEM, NULL);
  /* the program of the last handle closed, when it read this column */
  if (a->blob_spare && a->blob_spare->root == t->root && a->blob_spare->row.dbi == t->db &&
      a->blob_spare->writable == (flags != 0) &&
      strcmp(a->blob_spare->dbname, dbname) == 0 && strcmp(a->blob_spare->table, t->name) == 0 &&
      strcmp(a->blob_spare->column, t->cols[col].name) == 0) {
    b = a->blob_spare;
    a->blob_spare = NULL;
  } else {
    const char *rid = rowid_name(t);
    if (!rid) return conn_error(db, SQLITE_ERROR, "no such column: rowid");
    b = util_zalloc(sizeof *b);
    StrBuf sql;
    strbuf_init(&sql);
    strbuf_appendz(&sql, "SELECT ");
    strbuf_appendz(&sql, rid);
    strbuf_appendz(&sql, " FROM ");
    quote(&sql, dbname);
    strbuf_appendc(&sql, '.');
    quote(&sql, t->name);
    strbuf_appendz(&sql, " WHERE ");
    strbuf_appendz(&sql, rid);
    strbuf_appendz(&sql, " = ?1");
    char *text = strbuf_finish(&sql);
    if (!b || !text || !(b->table = util_strdup(t->name)) || !(b->column = util_strdup(t->cols[col].name)) ||
        !(b->dbname = util_strdup(dbname))) {
      util_free(text);
      blob_free(b);
      return conn_error(db, SQLITE_NOMEM, NULL);
    }
    rc = capi_compile(db, text, &b->v);
    util_free(text);
    if (rc == LODE_OK && flags != 0 && vdbe_blob_writable(b->v, 0) != LODE_OK)
      rc = conn_error(db, SQLITE_ERROR, "cannot open value for writing");
    if (rc != LODE_OK) {
      blob_free(b);
      return rc;
    }
    b->db = db;
    b->root = t->root;
    b->writable = flags != 0;
    b->row.dbi = t->db;
    b->row.root = t->root;
  }
  b->field = table_column_pos(t, col);
  b->is_ipk = col == t->ipk;
  rc = seek_row(b, row);
  if (rc != SQLITE_OK) {
    blob_free(b);
    return rc;
  }
  b->row.next = db->blob_rows;
  db->blob_rows = &b->row;
  conn_clear_error(db);
  db->nblobs++;
  if (b->writable) db->nblob_writers++;
  *out = b;
  return SQLITE_OK;
}

/* SQLITE_OK while b is on its row.  Once the row changed under it a read or
** write is SQLITE_ABORT and the handle is dead: as in SQLite, until then
** sqlite3_blob_bytes still tells the size and sqlite3_blob_reopen may move
** it to a row; after, the size reads 0 and a reopen is SQLITE_ABORT too. */
static int check_current(sqlite3_blob *b) {
  if (b->dead || b->row.expired || !vdbe_is_busy(b->v)) {
    b->dead = 1;
    return conn_error(b->db, SQLITE_ABORT, NULL);
  }
  return SQLITE_OK;
}

/* A failed read or write: the error on the connection; a handle whose row
** cannot be found again is dead. */
static int blob_failed(sqlite3_blob *b, int rc) {
  if (rc == LODE_ABORT) b->dead = 1;
  return conn_error(b->db, rc, NULL);
}

int sqlite3_blob_read(sqlite3_blob *b, void *z, int n, int off) {
  int rc;
  if (!b || !db_ok(b->db) || !z) return SQLITE_MISUSE;
  if (n < 0 || off < 0 || (int64_t)off + n > b->f.n) return conn_error(b->db, SQLITE_ERROR, NULL);
  if ((rc = check_current(b)) != SQLITE_OK) return rc;
  rc = vdbe_blob_read(b->v, 0, b->row.rowid, b->field, &b->f, (uint32_t)off, (uint32_t)n, z);
  if (rc != LODE_OK) return blob_failed(b, rc);
  conn_clear_error(b->db);
  return SQLITE_OK;
}

int sqlite3_blob_write(sqlite3_blob *b, const void *z, int n, int off) {
  int rc;
  if (!b || !db_ok(b->db) || !z) return SQLITE_MISUSE;
  lode *db = b->db;
  /* SQLite's order: the range, then the row, then the handle's kind */
  if (n < 0 || off < 0 || (int64_t)off + n > b->f.n) return conn_error(db, SQLITE_ERROR, NULL);
  if ((rc = check_current(b)) != SQLITE_OK) return rc;
  if (!b->writable) return conn_error(db, SQLITE_READONLY, NULL);
  if (db->api) db->api->blob_column = b->column; /* the preupdate callback's sqlite3_preupdate_blobwrite */
  rc = vdbe_blob_write(b->v, 0, b->row.rowid, b->field, &b->f, (uint32_t)off, (uint32_t)n, z);
  if (db->api) db->api->blob_column = NULL;
  if (rc != LODE_OK) return blob_failed(b, rc);
  conn_clear_error(db);
  return SQLITE_OK;
}

int sqlite3_blob_bytes(sqlite3_blob *b) { return b && !b->dead && vdbe_is_busy(b->v) ? (int)b->f.n : 0; }

int sqlite3_blob_reopen(sqlite3_blob *b, sqlite3_int64 row) {
  if (!b || !db_ok(b->db)) return SQLITE_MISUSE;
  if (b->dead || !vdbe_is_busy(b->v)) return conn_error(b->db, SQLITE_ABORT, NULL);
  int rc = seek_row(b, row);
  if (rc != SQLITE_OK) b->dead = 1;
  else conn_clear_error(b->db);
  return rc;
}

int sqlite3_blob_close(sqlite3_blob *b) {
  if (!b) return SQLITE_OK;
  lode *db = b->db;
  db->nblobs--;
  if (b->writable) db->nblob_writers--;
  blob_unlink(b);
  vdbe_reset(b->v);
  b->row.expired = 0;
  b->dead = 0;
  /* keep the program for the next open of this column */
  if (db->api && db->magic == CONN_MAGIC_OPEN) {
    blob_free(db->api->blob_spare);
    db->api->blob_spare = b;
  } else {
    blob_free(b);
  }
  api_close_zombie(db);
  return SQLITE_OK;
}

/* The statement's one index cursor moved to the last entry <= (first, the n bytes at z), with no step: st was
** stepped to a row and is held there (ext/fts/shadow.h).  SQLITE_ABORT when it is not, for the caller to step
** it again. */
int lode_stmt_index_seek_le(sqlite3_stmt *st, sqlite3_int64 first, const void *z, int n, void *rec, int cap,
                            int *size) {
  *size = -1;
  if (!st || !st->vdbe || !st->on_row || st->executing || !vdbe_is_busy(st->vdbe) || n < 0 || cap < 0)
    return SQLITE_ABORT;
  Mem key[2];
  mem_init(&key[0]);
  mem_init(&key[1]);
  mem_set_int(&key[0], first);
  mem_set_blob(&key[1], n ? z : "", n, MEM_STATIC);
  uint32_t got = 0;
  int found = 0, rc = vdbe_blob_index_seek_le(st->vdbe, key, 2, rec, (uint32_t)cap, &got, &found);
  mem_release(&key[1]);
  if (rc != LODE_OK) return rc == LODE_ABORT ? SQLITE_ABORT : rc;
  if (found) *size = got > INT32_MAX ? INT32_MAX : (int)got;
  return SQLITE_OK;
}
