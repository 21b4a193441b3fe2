/*
** blob.c — incremental blob I/O (sqlite3_blob_*) over ordinary statements.
**
** A blob handle keeps a copy of the value it was opened on.  Each read or
** write first reads the row again: when it is gone or its value differs from
** the copy, the handle has expired (SQLITE_ABORT from then on), as SQLite's
** handles expire when their row changes.  A write patches the copy and
** stores the whole value back with an UPDATE whose effects on the change
** counters, last rowid and update hook are undone, since SQLite's blob
** writes have none.  The size never changes, as in SQLite.
** Known difference: a row rewritten with identical bytes does not expire
** the handle.
*/
#include <string.h>

#include "capi/api.h"
#include "util/util.h"

struct sqlite3_blob {
  lode *db;
  char *dbname; /* the database the table is in */
  char *table;  /* as named in the schema */
  char *column;
  sqlite3_int64 rowid;
  int writable;
  int expired;
  unsigned char *data; /* the value as last read or written */
  int n;
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

/* Reads the column of rowid: SQLITE_ROW with *type and the bytes (util_malloc'd)
** or SQLITE_DONE when there is no such row. */
static int read_value(sqlite3_blob *b, sqlite3_int64 rowid, int *type, unsigned char **data, int *n) {
  StrBuf sql;
  lode_stmt *s = NULL;
  int rc;
  *data = NULL;
  *n = 0;
  strbuf_init(&sql);
  strbuf_appendz(&sql, "SELECT ");
  quote(&sql, b->column);
  strbuf_appendz(&sql, " FROM ");
  quote(&sql, b->dbname);
  strbuf_appendc(&sql, '.');
  quote(&sql, b->table);
  strbuf_appendz(&sql, " WHERE rowid = ?");
  char *text = strbuf_finish(&sql);
  if (!text) return conn_error(b->db, SQLITE_NOMEM, NULL);
  rc = lode_prepare(b->db, text, -1, &s, NULL);
  util_free(text);
  if (rc != SQLITE_OK) return rc;
  lode_bind_int64(s, 1, rowid);
  rc = lode_step(s);
  if (rc == SQLITE_ROW) {
    *type = lode_column_type(s, 0);
    if (*type == SQLITE_TEXT || *type == SQLITE_BLOB) {
      const void *p = lode_column_blob(s, 0);
      *n = lode_column_bytes(s, 0);
      *data = util_malloc((size_t)(*n ? *n : 1));
      if (!*data) rc = conn_error(b->db, SQLITE_NOMEM, NULL);
      else if (*n) memcpy(*data, p, (size_t)*n);
    }
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    char *msg = util_strdup(lode_errmsg(b->db));
    int code = b->db->errcode;
    lode_finalize(s);
    conn_error_take(b->db, code, msg);
    return rc;
  }
  lode_finalize(s);
  return rc;
}

/* Positions b on rowid: checks the row and takes a copy of its value. */
static int load_row(sqlite3_blob *b, sqlite3_int64 rowid, int is_ipk) {
  static const char *const type_names[] = {"", "integer", "real", "text", "blob", "null"};
  int type = SQLITE_NULL, n, rc;
  unsigned char *data;
  rc = read_value(b, rowid, &type, &data, &n);
  if (rc == SQLITE_DONE) return conn_error(b->db, SQLITE_ERROR, "no such rowid: %lld", (long long)rowid);
  if (rc != SQLITE_ROW) return rc;
  /* an INTEGER PRIMARY KEY is stored as NULL in its record: SQLite names that type */
  if (is_ipk) type = SQLITE_NULL;
  if (type != SQLITE_TEXT && type != SQLITE_BLOB) {
    util_free(data);
    return conn_error(b->db, SQLITE_ERROR, "cannot open value of type %s", type_names[type]);
  }
  util_free(b->data);
  b->data = data;
  b->n = n;
  b->rowid = rowid;
  b->expired = 0;
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
  if (t->without_rowid) return conn_error(db, SQLITE_ERROR, "cannot open table without rowid: %s", table);
  for (*col = 0; *col < t->ncols; (*col)++)
    if (util_stricmp(t->cols[*col].name, column) == 0) break;
  if (*col == t->ncols) return conn_error(db, SQLITE_ERROR, "no such column: \"%s\"", column);
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
  sqlite3_blob *b;
  Table *t = NULL;
  int col = 0, rc;
  if (out) *out = NULL;
  if (!db_ok(db) || !out || !table || !column) return SQLITE_MISUSE;
  rc = open_checks(db, zdb, table, column, flags != 0, &t, &col);
  if (rc != SQLITE_OK) return rc;
  b = util_zalloc(sizeof *b);
  if (!b || !(b->table = util_strdup(t->name)) || !(b->column = util_strdup(t->cols[col].name)) ||
      !(b->dbname = util_strdup(db->dbs[t->db].name))) {
    if (b) {
      util_free(b->table);
      util_free(b->column);
    }
    util_free(b);
    return conn_error(db, SQLITE_NOMEM, NULL);
  }
  b->db = db;
  b->writable = flags != 0;
  rc = load_row(b, row, col == t->ipk);
  if (rc != SQLITE_OK) {
    util_free(b->data);
    util_free(b->table);
    util_free(b->column);
    util_free(b->dbname);
    util_free(b);
    return rc;
  }
  conn_clear_error(db);
  db->nblobs++;
  if (b->writable) db->nblob_writers++;
  *out = b;
  return SQLITE_OK;
}

/* SQLITE_OK while the row still holds the value b has; SQLITE_ABORT (for
** good) once it changed. */
static int check_current(sqlite3_blob *b) {
  int type = SQLITE_NULL, n, rc;
  unsigned char *data;
  if (b->expired) return conn_error(b->db, SQLITE_ABORT, NULL);
  rc = read_value(b, b->rowid, &type, &data, &n);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return rc;
  int same = rc == SQLITE_ROW && (type == SQLITE_TEXT || type == SQLITE_BLOB) && n == b->n &&
             (n == 0 || memcmp(data, b->data, (size_t)n) == 0);
  util_free(data);
  if (!same) {
    b->expired = 1;
    return conn_error(b->db, SQLITE_ABORT, NULL);
  }
  return SQLITE_OK;
}

int sqlite3_blob_read(sqlite3_blob *b, void *z, int n, int off) {
  int rc;
  if (!b || !db_ok(b->db) || !z) return SQLITE_MISUSE;
  if (n < 0 || off < 0 || (int64_t)off + n > b->n) return conn_error(b->db, SQLITE_ERROR, NULL);
  if ((rc = check_current(b)) != SQLITE_OK) return rc;
  if (n) memcpy(z, b->data + off, (size_t)n);
  conn_clear_error(b->db);
  return SQLITE_OK;
}

int sqlite3_blob_write(sqlite3_blob *b, const void *z, int n, int off) {
  int rc;
  if (!b || !db_ok(b->db) || !z) return SQLITE_MISUSE;
  lode *db = b->db;
  if (!b->writable) return conn_error(db, SQLITE_READONLY, NULL);
  if (n < 0 || off < 0 || (int64_t)off + n > b->n) return conn_error(db, SQLITE_ERROR, NULL);
  if ((rc = check_current(b)) != SQLITE_OK) return rc;
  unsigned char *next = util_malloc((size_t)(b->n ? b->n : 1));
  if (!next) return conn_error(db, SQLITE_NOMEM, NULL);
  if (b->n) memcpy(next, b->data, (size_t)b->n);
  if (n) memcpy(next + off, z, (size_t)n);
  StrBuf sql;
  strbuf_init(&sql);
  strbuf_appendz(&sql, "UPDATE ");
  quote(&sql, b->dbname);
  strbuf_appendc(&sql, '.');
  quote(&sql, b->table);
  strbuf_appendz(&sql, " SET ");
  quote(&sql, b->column);
  strbuf_appendz(&sql, " = CASE WHEN typeof(");
  quote(&sql, b->column);
  strbuf_appendz(&sql, ") = 'text' THEN CAST(?1 AS TEXT) ELSE ?1 END WHERE rowid = ?2");
  char *text = strbuf_finish(&sql);
  lode_stmt *s = NULL;
  /* SQLite's blob writes count no change and call no hook */
  int64_t changes = db->changes, total = db->total_changes, last = db->last_rowid;
  void (*hook)(void *, int, const char *, const char *, sqlite3_int64) = db->api ? db->api->update : NULL;
  if (hook) db->api->update = NULL;
  if (db->api) db->api->blob_column = b->column;
  rc = text ? lode_prepare(db, text, -1, &s, NULL) : conn_error(db, SQLITE_NOMEM, NULL);
  if (rc == SQLITE_OK) {
    lode_bind_blob(s, 1, next, b->n, LODE_STATIC);
    lode_bind_int64(s, 2, b->rowid);
    rc = lode_step(s);
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
    if (rc != SQLITE_OK) {
      char *msg = util_strdup(lode_errmsg(db));
      int code = db->errcode;
      lode_finalize(s);
      conn_error_take(db, code, msg);
    } else {
      lode_finalize(s);
    }
  }
  if (hook) db->api->update = hook;
  if (db->api) db->api->blob_column = NULL;
  db->changes = changes, db->total_changes = total, db->last_rowid = last;
  util_free(text);
  if (rc != SQLITE_OK) {
    util_free(next);
    return rc;
  }
  util_free(b->data);
  b->data = next;
  conn_clear_error(db);
  return SQLITE_OK;
}

int sqlite3_blob_bytes(sqlite3_blob *b) { return b && !b->expired ? b->n : 0; }

int sqlite3_blob_reopen(sqlite3_blob *b, sqlite3_int64 row) {
  Table *t = NULL;
  int col = 0, rc;
  if (!b || !db_ok(b->db)) return SQLITE_MISUSE;
  if (b->expired) return conn_error(b->db, SQLITE_ABORT, NULL);
  rc = open_checks(b->db, b->dbname, b->table, b->column, b->writable, &t, &col);
  if (rc == SQLITE_OK) rc = load_row(b, row, col == t->ipk);
  if (rc != SQLITE_OK) b->expired = 1;
  return rc;
}

int sqlite3_blob_close(sqlite3_blob *b) {
  if (!b) return SQLITE_OK;
  lode *db = b->db;
  db->nblobs--;
  if (b->writable) db->nblob_writers--;
  util_free(b->data);
  util_free(b->table);
  util_free(b->column);
  util_free(b->dbname);
  util_free(b);
  api_close_zombie(db);
  return SQLITE_OK;
}
