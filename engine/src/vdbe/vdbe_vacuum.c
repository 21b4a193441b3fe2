/*
** vdbe_vacuum.c — OP_Vacuum: VACUUM and VACUUM INTO 'file'.
**
** The database is rebuilt into a fresh one: sqlite_schema's rows go to the
** new sqlite_schema in the order SQLite's VACUUM gives them (place_rows),
** with new rowids and new root pages, and each b-tree a row names is copied
** whole (btree_copy_entries: entries in key order, so pages come out full
** and no free page is left; a table whose rowids nothing but the rowid
** holds gets new ones, see renumbers()).  The header values SQLite carries
** over are copied: user
** version, application id, text encoding, default cache size and schema
** format; the schema cookie is the source's plus one for VACUUM INTO (as in
** SQLite) and the source's for VACUUM, whose program bumps it afterwards.
**
** VACUUM INTO writes the copy to its file, which must not exist or be
** empty, and leaves the source as it was.  VACUUM builds the copy in a
** transient database and writes it back over the source, page for page,
** inside the statement's write transaction (btree_copy_pages); the source
** shrinks to the copy's size when the transaction commits.  Neither runs
** inside BEGIN…COMMIT or beside another active statement of the connection,
** as in SQLite.
*/
#include <string.h>

#include "vdbe/vdbe_internal.h"

#define SCHEMA_NCOLS 5
#define SCHEMA_COL_TYPE 0
#define SCHEMA_COL_NAME 1
#define SCHEMA_COL_ROOT 3
#define SCHEMA_COL_SQL 4

/* Header values VACUUM carries over; the schema cookie is set on its own. */
static const int kept_meta[] = {BTREE_META_SCHEMA_FORMAT, BTREE_META_DEFAULT_CACHE_SIZE, BTREE_META_TEXT_ENCODING,
                                BTREE_META_USER_VERSION, BTREE_META_APPLICATION_ID};

/* One row of the source's sqlite_schema. */
typedef struct SchemaRow {
  uint8_t *rec; /* its record (util_malloc'd) */
  uint32_t n;
  char type[8];         /* "table", "index", "view", "trigger" (cut short) */
  char *name;           /* util_malloc'd */
  int has_sql;
  int64_t root;         /* 0: no b-tree */
  uint32_t new_root;
  int done;             /* placed in the copy */
} SchemaRow;

/* The rows' record fields VACUUM looks at: type, name, whether sql is NULL,
** and rootpage. */
static int read_row(SchemaRow *r) {
  RecordHeader h;
  int rc;
  record_header_init(&h);
  rc = record_header_parse(&h, r->rec, r->n, r->n);
  if (rc == LODE_OK && h.ncol != SCHEMA_NCOLS) rc = LODE_CORRUPT;
  for (int i = 0; rc == LODE_OK && i < SCHEMA_NCOLS; i++) {
    Mem m;
    mem_init(&m);
    if (h.offsets[i] + record_serial_len(h.types[i]) > r->n) {
      rc = LODE_CORRUPT;
      break;
    }
    record_decode_value(r->rec + h.offsets[i], h.types[i], &m);
    if (i == SCHEMA_COL_TYPE && m.type == MEM_TEXT) {
      size_t k = (size_t)m.n < sizeof r->type - 1 ? (size_t)m.n : sizeof r->type - 1;
      memcpy(r->type, m.z, k);
      r->type[k] = 0;
    } else if (i == SCHEMA_COL_NAME && m.type == MEM_TEXT && !(r->name = util_strndup(m.z, (size_t)m.n))) {
      rc = LODE_NOMEM;
    } else if (i == SCHEMA_COL_ROOT) {
      r->root = mem_as_int(&m);
    } else if (i == SCHEMA_COL_SQL) {
      r->has_sql = m.type != MEM_NULL;
    }
    mem_release(&m);
  }
  record_header_free(&h);
  return rc;
}

/* The record of r with its rootpage replaced by r->new_root, into *out. */
static int with_root(const SchemaRow *r, uint8_t **out, uint32_t *out_n) {
  RecordHeader h;
  Mem vals[SCHEMA_NCOLS];
  int rc;
  record_header_init(&h);
  for (int i = 0; i < SCHEMA_NCOLS; i++) mem_init(&vals[i]);
  rc = record_header_parse(&h, r->rec, r->n, r->n);
  for (int i = 0; rc == LODE_OK && i < SCHEMA_NCOLS; i++) record_decode_value(r->rec + h.offsets[i], h.types[i], &vals[i]);
  if (rc == LODE_OK) {
    mem_set_int(&vals[SCHEMA_COL_ROOT], r->new_root);
    rc = record_encode(vals, SCHEMA_NCOLS, out, out_n);
  }
  for (int i = 0; i < SCHEMA_NCOLS; i++) mem_release(&vals[i]);
  record_header_free(&h);
  return rc;
}

static void rows_free(SchemaRow *rows, int n) {
  for (int i = 0; i < n; i++) {
    util_free(rows[i].rec);
    util_free(rows[i].name);
  }
  util_free(rows);
}

/* Every row of the source's sqlite_schema, in rowid order, into *out. */
static int read_schema(Btree *src, SchemaRow **out, int *nout) {
  BtCursor *c = NULL;
  SchemaRow *rows = NULL;
  int n = 0, cap = 0, eof = 1, rc = btree_cursor_open(src, BTREE_SCHEMA_ROOT, 0, &c);
  if (rc == LODE_OK) rc = btree_first(c, &eof);
  while (rc == LODE_OK && !eof) {
    if (n == cap) {
      SchemaRow *g = util_realloc(rows, sizeof *rows * (size_t)(cap = cap ? 2 * cap : 16));
      if (!g) {
        rc = LODE_NOMEM;
        break;
      }
      rows = g;
    }
    SchemaRow *r = &rows[n++];
    memset(r, 0, sizeof *r);
    r->n = btree_payload_size(c);
    if (!(r->rec = util_malloc(r->n ? r->n : 1))) rc = LODE_NOMEM;
    if (rc == LODE_OK) rc = btree_payload(c, 0, r->n, r->rec);
    if (rc == LODE_OK) rc = read_row(r);
    if (rc == LODE_OK) rc = btree_next(c, &eof);
  }
  if (c) btree_cursor_close(c);
  *out = rows;
  *nout = n;
  return rc;
}

/* Appends row i (if there is one and it is not placed yet) to order[0..k). */
static int place(SchemaRow *rows, int i, int *order, int k) {
  if (i < 0 || rows[i].done) return k;
  rows[i].done = 1;
  order[k] = i;
  return k + 1;
}

/* The order of the copy's sqlite_schema, SQLite's: the tables, each with
** its implied indexes, sqlite_sequence right after the first AUTOINCREMENT
** table (and not at all without one); then the CREATE INDEX rows; then the
** rest (views, triggers).  Fills order[] with row numbers; returns how many. */
static int place_rows(Schema *schema, SchemaRow *rows, int n, int *order) {
  int k = 0, seq = -1, seq_due = 0;
  for (int i = 0; i < n; i++)
    if (strcmp(rows[i].type, "table") == 0 && rows[i].name && strcmp(rows[i].name, "sqlite_sequence") == 0) seq = i;
  for (int i = 0; i < n; i++) {
    SchemaRow *r = &rows[i];
    int is_table = strcmp(r->type, "table") == 0;
    if (i == seq || !(is_table || (strcmp(r->type, "index") == 0 && !r->has_sql))) continue;
    if (is_table && seq_due) k = place(rows, seq, order, k);
    k = place(rows, i, order, k);
    if (is_table && r->name) {
      const Table *t = schema_find_table(schema, r->name);
      seq_due |= t && t->autoinc;
    }
  }
  if (seq_due) k = place(rows, seq, order, k);
  for (int i = 0; i < n; i++)
    if (strcmp(rows[i].type, "index") == 0) k = place(rows, i, order, k);
  for (int i = 0; i < n; i++)
    if (i != seq) k = place(rows, i, order, k);
  return k;
}

/* Whether VACUUM gives the rows of table row r new rowids (1, 2, 3, ... in
** rowid order), as SQLite's VACUUM does for a rowid table whose rowid is
** neither a column (INTEGER PRIMARY KEY) nor in an index: nothing can tell
** the rowids apart then but the rowid itself, which such a table does not
** promise to keep.  VACUUM INTO keeps every rowid.  A table with CREATE
** INDEX … USING method indexes keeps them too: those indexes find rows by
** rowid. */
static int renumbers(Schema *schema, const SchemaRow *r) {
  if (strcmp(r->type, "table") != 0 || !r->name) return 0;
  const Table *t = schema_find_table(schema, r->name);
  return t && !t->without_rowid && !t->vtab_module && t->ipk < 0 && !t->indexes && !t->method_indexes;
}

/* Every tree of src and its sqlite_schema into dst (write transaction): the
** trees created first, in the rows' order (so their roots come in that
** order, as SQLite's do), then filled; into: for VACUUM INTO, which keeps
** every rowid. */
static int copy_database(Schema *schema, Btree *src, Btree *dst, uint32_t cookie, int into) {
  SchemaRow *rows = NULL;
  BtCursor *to = NULL;
  int n = 0, rc = read_schema(src, &rows, &n);
  int *order = rc == LODE_OK ? util_malloc(sizeof(int) * (size_t)(n + 1)) : NULL;
  if (rc == LODE_OK && !order) rc = LODE_NOMEM;
  int k = rc == LODE_OK ? place_rows(schema, rows, n, order) : 0;
  for (int j = 0; rc == LODE_OK && j < k; j++) {
    SchemaRow *r = &rows[order[j]];
    if (r->root > 0 && r->root <= UINT32_MAX) rc = btree_create_like(src, (uint32_t)r->root, dst, &r->new_root);
  }
  if (rc == LODE_OK) rc = btree_cursor_open(dst, BTREE_SCHEMA_ROOT, 1, &to);
  for (int j = 0; rc == LODE_OK && j < k; j++) {
    SchemaRow *r = &rows[order[j]];
    uint8_t *out = NULL;
    uint32_t out_n = 0;
    if (r->new_root) rc = with_root(r, &out, &out_n);
    if (rc == LODE_OK) rc = btree_insert(to, j + 1, out ? out : r->rec, out ? out_n : r->n);
    util_free(out);
  }
  if (to) btree_cursor_close(to);
  for (int j = 0; rc == LODE_OK && j < k; j++) {
    SchemaRow *r = &rows[order[j]];
    if (r->new_root)
      rc = btree_copy_entries(src, (uint32_t)r->root, dst, r->new_root, !into && renumbers(schema, r));
  }
  util_free(order);
  rows_free(rows, n);
  for (size_t i = 0; rc == LODE_OK && i < sizeof kept_meta / sizeof kept_meta[0]; i++) {
    uint32_t value = 0;
    rc = btree_get_meta(src, kept_meta[i], &value);
    if (rc == LODE_OK) rc = btree_set_meta(dst, kept_meta[i], value);
  }
  if (rc == LODE_OK) rc = btree_set_meta(dst, BTREE_META_SCHEMA_COOKIE, cookie);
  return rc;
}

/* The copy gets the auto-vacuum mode last asked for, else the source's. */
static int vacuum_autovacuum(Btree *src, Btree *dst) {
  int mode;
  int rc = btree_next_autovacuum(src, &mode);
  if (rc == LODE_OK) rc = btree_set_autovacuum(dst, mode);
  return rc;
}

/* The page size of VACUUM INTO's copy of database dbi: the one PRAGMA
** page_size last asked for when it is a valid size and the source is not a
** memory database, as in SQLite; else 0, the source's. */
static uint32_t copy_page_size(lode *db, int dbi) {
  int64_t n = db->next_page_size;
  if (conn_db_is_memory(db, dbi) || n < 512 || n > 65536 || (n & (n - 1))) return 0;
  return (uint32_t)n;
}

/* VACUUM INTO target (a file name, or a URI with cipher/hexkey): a new
** database file holding the copy of database d. */
static int vacuum_into(Vdbe *v, int dbi, const char *target, uint32_t cookie) {
  lode *db = v->db;
  ConnDb *d = &db->dbs[dbi];
  Btree *dst = NULL;
  char *path = NULL, *cipher = NULL, *hexkey = NULL, *err = NULL;
  int rc = conn_parse_target(target, &path, &cipher, &hexkey, &err), exists = 0;
  if (rc != LODE_OK) return err ? conn_error_take(db, rc, err) : rc;
  const char *why = NULL;
  rc = conn_copy_open(db, dbi, path, copy_page_size(db, dbi), cipher, hexkey, &why, &exists, &dst);
  if (exists) rc = conn_error(db, LODE_ERROR, "output file already exists");
  else if (rc == LODE_ERROR && why) rc = conn_error(db, rc, "%s", why);
  else if (rc == LODE_CANTOPEN) rc = conn_error(db, LODE_CANTOPEN, "unable to open database: %s", path);
  if (rc == LODE_OK) rc = vacuum_autovacuum(d->bt, dst);
  if (rc == LODE_OK) rc = btree_begin_write(dst);
  if (rc == LODE_OK) {
    rc = copy_database(d->schema, d->bt, dst, cookie + 1, 1);
    if (rc == LODE_OK) rc = btree_commit(dst);
    else btree_rollback(dst);
  }
  if (dst) {
    int crc = conn_copy_close(dst);
    if (rc == LODE_OK) rc = crc;
  }
  if (hexkey) memset(hexkey, 0, strlen(hexkey));
  util_free(hexkey);
  util_free(cipher);
  util_free(path);
  return rc;
}

/* VACUUM: the copy built in a transient database (a memory database of the
** source's geometry), then written back page for page. */
static int vacuum_in_place(lode *db, int dbi, uint32_t cookie) {
  ConnDb *d = &db->dbs[dbi];
  Btree *tmp = NULL;
  int exists = 0;
  const char *why = NULL;
  /* A file database is a WAL one, whose page size SQLite's VACUUM keeps
  ** (and forgets the one asked for); a memory database keeps its own too. */
  if (!conn_db_is_memory(db, dbi)) db->next_page_size = 0;
  int rc = conn_copy_open(db, dbi, NULL, 0, NULL, NULL, &why, &exists, &tmp);
  if (rc == LODE_OK) rc = vacuum_autovacuum(d->bt, tmp);
  if (rc == LODE_OK) rc = btree_begin_write(tmp);
  if (rc == LODE_OK) rc = copy_database(d->schema, d->bt, tmp, cookie, 0);
  if (rc == LODE_OK) rc = btree_copy_pages(d->bt, tmp);
  if (tmp) {
    btree_rollback(tmp);
    conn_copy_close(tmp);
  }
  return rc;
}

int vdbe_op_vacuum(Vdbe *v, const VdbeOp *op) {
  lode *db = v->db;
  uint32_t cookie = 0;
  int rc;
  if (!db->autocommit) return conn_error(db, LODE_ERROR, "cannot VACUUM from within a transaction");
  if (db->nactive + db->nblobs > 1) return conn_error(db, LODE_ERROR, "cannot VACUUM - SQL statements in progress");
  if (op->db < 0 || op->db >= db->ndb) return LODE_SCHEMA;
  ConnDb *d = &db->dbs[op->db];
  if (!d->bt) return LODE_OK; /* temp not opened yet: nothing to rebuild */
  if ((rc = btree_get_meta(d->bt, BTREE_META_SCHEMA_COOKIE, &cookie)) != LODE_OK) return rc;
  if (op->p2) {
    const Mem *m = &v->mem[op->p2];
    if (m->type != MEM_TEXT) return conn_error(db, LODE_ERROR, "non-text filename");
    char *path = util_strndup(m->z, (size_t)m->n);
    if (!path) return LODE_NOMEM;
    rc = vacuum_into(v, op->db, path, cookie);
    util_free(path);
    return rc;
  }
  v->write_gen++;
  db->table_writes++;
  return vacuum_in_place(db, op->db, cookie);
}
