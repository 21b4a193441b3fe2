/*
** backup.c — sqlite3_backup_* and sqlite3_serialize/deserialize: whole
** database images copied page by page through the pagers.
**
** A backup copies every page of a source database (main, temp or an
** attached one, by name) into a destination database in one write transaction of the destination, at the step
** that finishes it (earlier steps of n pages only count the pages down), so
** the copy is one consistent snapshot of the source.  The destination must
** be idle (no transaction, no statement running): its b-tree layer keeps
** no page state of its own, so pages written under it are simply read
** afresh; its schema is reloaded.  An in-memory destination gets a new
** in-memory pager first, so that it can take the source's page size.
**
** serialize reads the pages into one buffer; deserialize writes an image
** into an in-memory database (Lode does not detach a file database from
** its file, as SQLite would).
*/
#include <string.h>

#include "capi/api.h"
#include "util/util.h"

struct sqlite3_backup {
  lode *dest, *src;
  int ddb, sdb; /* the databases' indexes (ConnDb) */
  uint32_t counted; /* pages the steps so far have accounted for */
  int done;
  int rc;
  uint32_t pagecount, remaining;
  uint64_t tag;          /* the source's snapshot tag at the last step */
  uint32_t others;       /* and its count of other connections' commits */
};

static int db_ok(sqlite3 *db) { return db && db->magic == CONN_MAGIC_OPEN; }
/* The database called name (NULL: main), opening temp when it is named;
** -1 when there is none. */
static int db_index(lode *db, const char *name) {
  int i = name ? conn_db_find(db, name) : CONN_DB_MAIN;
  if (i == CONN_DB_TEMP && conn_db_open_temp(db) != LODE_OK) return -1;
  return i;
}
/* ---- backup ---------------------------------------------------------------------------------------------- */

sqlite3_backup *sqlite3_backup_init(sqlite3 *dest, const char *dname, sqlite3 *src, const char *sname) {
  sqlite3_backup *p;
  if (!db_ok(dest) || !db_ok(src)) return NULL;
  if (dest == src) {
    conn_error(dest, SQLITE_ERROR, "source and destination must be distinct");
    return NULL;
  }
  int sdb = db_index(src, sname), ddb = db_index(dest, dname);
  if (sdb < 0) {
    conn_error(dest, SQLITE_ERROR, "unknown database %s", sname);
    return NULL;
  }
  if (ddb < 0) {
    conn_error(dest, SQLITE_ERROR, "unknown database %s", dname);
    return NULL;
  }
  if (dest->txn != CONN_TXN_NONE || dest->nactive > 0) {
    conn_error(dest, SQLITE_ERROR, "destination database is in use");
    return NULL;
  }
  p = util_zalloc(sizeof *p);
  if (!p) {
    conn_error(dest, SQLITE_NOMEM, NULL);
    return NULL;
  }
  p->dest = dest;
  p->src = src;
  p->sdb = sdb;
  p->ddb = ddb;
  return p;
}

int sqlite3_backup_step(sqlite3_backup *p, int n) {
  lode *src;
  int rc, opened = 0;
  if (!p) return SQLITE_MISUSE;
  if (p->done) return p->rc == SQLITE_OK ? SQLITE_DONE : p->rc;
  src = p->src;
  if (!db_ok(src) || !db_ok(p->dest)) return SQLITE_MISUSE;
  if (p->dest->txn != CONN_TXN_NONE || p->dest->nactive > 0) return SQLITE_BUSY;
  /* A file that is no database is read as one here: it fails, as in SQLite,
  ** and the empty database standing in for it is neither read nor written. */
  if ((p->sdb == CONN_DB_MAIN && src->api && src->api->not_a_database) ||
      (p->ddb == CONN_DB_MAIN && p->dest->api && p->dest->api->notadb_file)) {
    p->done = 1;
    return p->rc = SQLITE_NOTADB;
  }
  /* A database detached since init: gone. */
  if (p->sdb >= src->ndb || p->ddb >= p->dest->ndb || !src->dbs[p->sdb].bt || !p->dest->dbs[p->ddb].bt) {
    p->done = 1;
    return p->rc = SQLITE_ERROR;
  }
  ConnDb *sd = &src->dbs[p->sdb];
  if (sd->txn == CONN_TXN_NONE) {
    rc = btree_begin_read(sd->bt);
    if (rc != LODE_OK) return rc == SQLITE_BUSY ? rc : (p->rc = rc);
    opened = 1;
  }
  /* A commit to the source since the last step restarts the count, as
  ** SQLite restarts its copy: always for another connection's commit, and
  ** for the backup's own connection when the source is in memory (a file
  ** source gets such changes pushed into the pages already copied). */
  uint64_t tag = btree_snapshot_tag(sd->bt);
  uint32_t others = btree_data_version(sd->bt);
  if (p->counted && tag != p->tag && (others != p->others || conn_db_is_memory(src, p->sdb))) p->counted = 0;
  p->tag = tag;
  p->others = others;
  uint32_t count = conn_db_page_count(src, p->sdb);
  p->pagecount = count;
  if (n >= 0 && (uint64_t)p->counted + (uint32_t)n < count) {
    /* The source may still grow or shrink: what remains is measured
    ** against its size now, as SQLite's restarted copies do. */
    p->counted += (uint32_t)n;
    p->remaining = count - p->counted;
    rc = SQLITE_OK;
  } else {
    ConnPageSource from = {sd, NULL, 0};
    rc = conn_image_write(p->dest, p->ddb, &from, count, conn_db_page_size(src, p->sdb));
    if (rc == SQLITE_OK) {
      if (p->dest->api && p->ddb == CONN_DB_MAIN) p->dest->api->not_a_database = 0;
      p->remaining = 0;
      p->done = 1;
      rc = SQLITE_DONE;
    } else if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) {
      p->done = 1;
      p->rc = rc;
    }
  }
  if (opened) btree_end_read(sd->bt);
  return rc;
}

int sqlite3_backup_finish(sqlite3_backup *p) {
  int rc;
  if (!p) return SQLITE_OK;
  rc = p->rc;
  if (db_ok(p->dest)) {
    if (rc == SQLITE_OK) conn_clear_error(p->dest);
    else conn_error(p->dest, rc, NULL);
  }
  util_free(p);
  return rc;
}

int sqlite3_backup_remaining(sqlite3_backup *p) { return p ? (int)p->remaining : 0; }
int sqlite3_backup_pagecount(sqlite3_backup *p) { return p ? (int)p->pagecount : 0; }

/* ---- serialize --------------------------------------------------------------------------------------------- */

unsigned char *sqlite3_serialize(sqlite3 *db, const char *schema, sqlite3_int64 *size, unsigned int flags) {
  unsigned char *out = NULL;
  int opened = 0;
  if (size) *size = -1;
  int di = db_ok(db) ? db_index(db, schema) : -1;
  if (di < 0) return NULL;
  ConnDb *d = &db->dbs[di];
  if (d->txn == CONN_TXN_NONE) {
    if (btree_begin_read(d->bt) != LODE_OK) return NULL;
    opened = 1;
  }
  int64_t total = (int64_t)conn_db_page_count(db, di) * conn_db_page_size(db, di);
  /* No pages are ever held in one piece, so SQLITE_SERIALIZE_NOCOPY gets
  ** none, and an empty database no buffer; both still tell the size, as
  ** SQLite's do. */
  if (!(flags & SQLITE_SERIALIZE_NOCOPY) && total > 0) out = conn_image_read(db, di, &total);
  /* An in-memory database's image says "rollback journal" (header bytes 18
  ** and 19), as SQLite's do: the WAL mark Lode keeps in memory would make
  ** SQLite refuse to open the image. */
  if (out && total >= 20 && conn_db_is_memory(db, di) && out[18] == 2 && out[19] == 2) out[18] = out[19] = 1;
  if (opened) btree_end_read(d->bt);
  if (size && (out || total == 0 || (flags & SQLITE_SERIALIZE_NOCOPY))) *size = total;
  return out;
}

int sqlite3_deserialize(sqlite3 *db, const char *schema, unsigned char *data, sqlite3_int64 size,
                        sqlite3_int64 buf_size, unsigned flags) {
  int rc, di = -1;
  (void)buf_size;
  if (!db_ok(db)) {
    rc = SQLITE_MISUSE;
  } else if ((di = db_index(db, schema)) < 0) {
    rc = conn_error(db, SQLITE_ERROR, "not an in-memory database: %s", schema);
  } else if (!conn_db_is_memory(db, di)) {
    rc = conn_error(db, SQLITE_ERROR, "deserialize into a database file is not supported by Lode");
  } else if (db->txn != CONN_TXN_NONE || db->nactive > 0) {
    rc = conn_error(db, SQLITE_BUSY, NULL);
  } else if (size < 0 || !data) {
    rc = conn_error(db, SQLITE_MISUSE, NULL);
  } else {
    /* The page size from the header when it holds a valid one; other
    ** bytes are kept as given, so a damaged image fails when read. */
    uint32_t page_size = 0;
    int valid = 0;
    if (size >= 100 && memcmp(data, "SQLite format 3", 16) == 0) {
      page_size = ((uint32_t)data[16] << 8) | data[17];
      if (page_size == 1) page_size = 65536;
      if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1))) page_size = 0;
      valid = page_size != 0;
    }
    if (!page_size) page_size = conn_db_page_size(db, di);
    ConnPageSource from = {NULL, data, size};
    uint32_t npages = (uint32_t)((size + page_size - 1) / page_size);
    ConnApi *a = conn_api(db);
    /* The image replaces the content, which is no SQL write: a database
    ** opened read-only takes it and stays read-only. */
    int ro_conn = db->readonly, ro_db = db->dbs[di].readonly;
    if (di == CONN_DB_MAIN) db->readonly = 0;
    db->dbs[di].readonly = 0;
    rc = a ? conn_image_write(db, di, &from, npages, page_size) : conn_error(db, SQLITE_NOMEM, NULL);
    db->readonly = ro_conn;
    db->dbs[di].readonly = ro_db;
    if (rc == SQLITE_OK && (flags & SQLITE_DESERIALIZE_READONLY)) {
      if (di == CONN_DB_MAIN) db->readonly = 1;
      db->dbs[di].readonly = 1;
    }
    /* SQLite takes any bytes and fails when they are read as a database */
    if (rc == SQLITE_OK && di == CONN_DB_MAIN) {
      a->not_a_database = size > 0 && !valid;
      a->notadb_file = 0; /* main is the image now, as SQLite's deserialized databases are */
    }
  }
  if (data && (flags & SQLITE_DESERIALIZE_FREEONCLOSE)) sqlite3_free(data);
  return rc;
}
