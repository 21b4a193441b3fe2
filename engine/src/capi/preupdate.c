/*
** preupdate.c — sqlite3_preupdate_hook and the calls a preupdate callback
** makes (sqlite3_preupdate_old/new/count/depth/blobwrite).
**
** The VM tells of each row change of a rowid table just before it writes
** (conn.h, ConnPreupdate): the records of the row before and after.  The
** callback's values are decoded from them on first ask and live until the
** callback returns, as SQLite's do.  An UPDATE that moves a row to another
** rowid comes in two parts (the old row's removal, then the new row's
** write); the first part's record is kept here until the second arrives,
** so the callback runs once, with both rows, as in SQLite.
**
** Not told, as in SQLite: changes of virtual tables and of SQLite's own
** tables (sqlite_sequence, sqlite_stat1).  A WITHOUT ROWID table's rows are
** its key b-tree's entries (key columns first, table_column_pos maps them);
** its changes carry no rowids.
*/
#include <string.h>

#include "capi/api.h"
#include "util/util.h"

typedef struct ApiPreupdate {
  const ConnPreupdate *pu;
  const Table *table;
  int op;               /* SQLITE_INSERT/UPDATE/DELETE as the callback sees it */
  int64_t old_rowid;
  const uint8_t *old_rec, *new_rec;
  uint32_t old_n, new_n;
  int blobwrite;
  Mem *old_vals, *new_vals; /* table->ncols each, decoded on first ask */
} ApiPreupdate;

static int db_ok(sqlite3 *db) { return db && db->magic == CONN_MAGIC_OPEN; }

void *sqlite3_preupdate_hook(sqlite3 *db,
                             void (*cb)(void *, sqlite3 *, int, const char *, const char *, sqlite3_int64,
                                        sqlite3_int64),
                             void *arg) {
  ConnApi *a;
  void *old;
  if (!db_ok(db) || !(a = conn_api(db))) return NULL;
  old = a->preupdate_arg;
  a->preupdate = cb;
  a->preupdate_arg = arg;
  api_preupdate_listeners(db);
  return old;
}

void api_preupdate_listeners(lode *db) {
  db->preupdate_on = db->api && (db->api->preupdate || db->api->sessions);
}

static void forget_moved(ConnApi *a) {
  util_free(a->moved_rec);
  a->moved_rec = NULL;
  a->moved_n = 0;
}

void api_preupdate_free(ConnApi *a) { forget_moved(a); }

/* The values of the row in record rec: column i of the table, the rowid for
** its INTEGER PRIMARY KEY, NULL for a VIRTUAL column and for a column the
** record is too short for.  int_reals: an INSERT's new row, whose REAL
** column values SQLite hands over as stored, and SQLite stores an integer
** given to a REAL column as an integer; Lode stores a REAL, so a whole
** number there is given back as an integer. */
static Mem *decode_row(const Table *t, const uint8_t *rec, uint32_t n, int64_t rowid, int int_reals) {
  RecordHeader h;
  Mem *vals = util_zalloc(sizeof(Mem) * (size_t)(t->ncols ? t->ncols : 1));
  if (!vals) return NULL;
  record_header_init(&h);
  int ok = record_header_parse(&h, rec, n, n) == LODE_OK;
  for (int i = 0; i < t->ncols; i++) {
    Mem m;
    mem_set_null(&vals[i]);
    if (!t->without_rowid && i == t->ipk) {
      mem_set_int(&vals[i], rowid);
      continue;
    }
    if (!ok || t->cols[i].generated == COLGEN_VIRTUAL) continue;
    int pos = table_column_pos(t, i);
    if (pos >= h.ncol || h.offsets[pos] + record_serial_len(h.types[pos]) > n) continue;
    memset(&m, 0, sizeof m);
    record_decode_value(rec + h.offsets[pos], h.types[pos], &m);
    if (mem_copy(&vals[i], &m) != LODE_OK) mem_set_null(&vals[i]);
    if (int_reals && m.type == MEM_REAL && t->cols[i].affinity == AFF_REAL && m.u.r >= -9007199254740992.0 &&
        m.u.r <= 9007199254740992.0 && m.u.r == (double)(int64_t)m.u.r)
      mem_set_int(&vals[i], (int64_t)m.u.r);
  }
  record_header_free(&h);
  return vals;
}

static void free_row(Mem *vals, int n) {
  if (!vals) return;
  for (int i = 0; i < n; i++) mem_release(&vals[i]);
  util_free(vals);
}

void api_hook_preupdate(lode *db, const ConnPreupdate *pu) {
  ConnApi *a = db->api;
  ApiPreupdate cur;
  if (!a->preupdate && !a->sessions) return;
  const Table *t = api_table_of_root(db, pu->dbi, pu->root);
  /* Of SQLite's own tables only sqlite_stat1 is told (ANALYZE's and DROP's
  ** rows of it), and to the application's hook alone. */
  if (!t) return;
  int stat1 = util_stricmp(t->name, "sqlite_stat1") == 0;
  if (util_strnicmp(t->name, "sqlite_", 7) == 0 && (!stat1 || !a->preupdate)) return;
  memset(&cur, 0, sizeof cur);
  cur.pu = pu;
  cur.table = t;
  cur.op = pu->op;
  cur.blobwrite = -1;
  cur.old_rec = pu->old_rec, cur.old_n = pu->old_n, cur.old_rowid = pu->old_rowid;
  cur.new_rec = pu->new_rec, cur.new_n = pu->new_n;
  if (pu->op == CONN_HOOK_UPDATE && !pu->new_rec) {
    /* The first part of a moving UPDATE: wait for the new row. */
    forget_moved(a);
    if (!pu->old_rec || !(a->moved_rec = util_malloc(pu->old_n ? pu->old_n : 1))) return;
    if (pu->old_n) memcpy(a->moved_rec, pu->old_rec, pu->old_n);
    a->moved_n = pu->old_n;
    a->moved_rowid = pu->old_rowid;
    return;
  }
  if (pu->op == CONN_HOOK_UPDATE && !pu->old_rec) {
    if (!a->moved_rec) return;
    cur.old_rec = a->moved_rec, cur.old_n = a->moved_n, cur.old_rowid = a->moved_rowid;
  }
  if (pu->op == CONN_HOOK_INSERT) cur.old_rowid = pu->new_rowid;
  if (pu->op == CONN_HOOK_UPDATE && a->blob_column) {
    /* sqlite3_blob_write: SQLite tells it as a DELETE whose new row is unknown. */
    cur.op = SQLITE_DELETE;
    cur.blobwrite = table_column_index(t, a->blob_column);
    cur.new_rec = NULL;
  }
  int64_t key2 = cur.op == SQLITE_DELETE ? cur.old_rowid : pu->new_rowid;
  struct ApiPreupdate *outer = a->pu;
  a->pu = &cur;
  if (a->sessions && !stat1) api_session_preupdate(db, cur.op, db->dbs[pu->dbi].name, t, pu->depth);
  if (a->preupdate)
    a->preupdate(a->preupdate_arg, db, cur.op, db->dbs[pu->dbi].name, t->name, cur.old_rowid, key2);
  a->pu = outer;
  free_row(cur.old_vals, t->ncols);
  free_row(cur.new_vals, t->ncols);
  if (cur.old_rec == a->moved_rec) forget_moved(a);
}

static ApiPreupdate *current(sqlite3 *db) { return db_ok(db) && db->api ? db->api->pu : NULL; }

/* Column i of the old (is_new 0) or new row of the change being told. */
static int row_value(sqlite3 *db, int is_new, int i, sqlite3_value **out) {
  ApiPreupdate *p = current(db);
  if (out) *out = NULL;
  if (!p) return SQLITE_MISUSE;
  const uint8_t *rec = is_new ? p->new_rec : p->old_rec;
  if (!rec) return SQLITE_MISUSE;
  if (i < 0 || i >= p->table->ncols) return SQLITE_RANGE;
  Mem **vals = is_new ? &p->new_vals : &p->old_vals;
  if (!*vals) {
    *vals = decode_row(p->table, rec, is_new ? p->new_n : p->old_n, is_new ? p->pu->new_rowid : p->old_rowid,
                       is_new && p->op == SQLITE_INSERT);
    if (!*vals) return SQLITE_NOMEM;
  }
  if (out) *out = &(*vals)[i];
  return SQLITE_OK;
}

int sqlite3_preupdate_old(sqlite3 *db, int i, sqlite3_value **out) { return row_value(db, 0, i, out); }
int sqlite3_preupdate_new(sqlite3 *db, int i, sqlite3_value **out) { return row_value(db, 1, i, out); }

int sqlite3_preupdate_count(sqlite3 *db) {
  ApiPreupdate *p = current(db);
  return p ? p->table->ncols : 0;
}

int sqlite3_preupdate_depth(sqlite3 *db) {
  ApiPreupdate *p = current(db);
  return p ? p->pu->depth : 0;
}

int sqlite3_preupdate_blobwrite(sqlite3 *db) {
  ApiPreupdate *p = current(db);
  return p ? p->blobwrite : -1;
}
