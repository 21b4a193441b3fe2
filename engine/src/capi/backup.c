/*
** backup.c — sqlite3_backup_* and sqlite3_serialize/deserialize: whole
** database images copied page by page through the pagers.
**
** A backup copies every page of the source's main database into the
** destination's in one write transaction of the destination, at the step
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
  uint32_t counted; /* pages the steps so far have accounted for */
  int done;
  int rc;
  uint32_t pagecount, remaining;
};

static int db_ok(sqlite3 *db) { return db && db->magic == CONN_MAGIC_OPEN; }
static int is_main(const char *name) { return !name || util_stricmp(name, "main") == 0; }
static int is_memory(lode *db) { return strcmp(db->path, ":memory:") == 0; }

/* Replaces the pager of an idle in-memory database by an empty one of the
** given page size. */
static int fresh_memory_pager(lode *db, uint32_t page_size) {
  Pager *pager = NULL;
  Btree *bt = NULL;
  int rc = pager_open(NULL, PAGER_OPEN_CREATE, &pager);
  if (rc == LODE_OK) rc = pager_set_page_size(pager, page_size);
  if (rc == LODE_OK) rc = btree_open(pager, &bt);
  if (rc != LODE_OK) {
    if (pager) pager_close(pager);
    return rc;
  }
  btree_close(db->bt);
  pager_close(db->pager);
  db->pager = pager;
  db->bt = bt;
  db->dbs[CONN_DB_MAIN].pager = pager;
  db->dbs[CONN_DB_MAIN].bt = bt;
  pager_set_busy_timeout(pager, db->busy_timeout);
  return LODE_OK;
}

/* Source of pages: a database's pager, or a buffer. */
typedef struct PageSource {
  Pager *pager;
  const unsigned char *buf;
  int64_t size;
} PageSource;

/* Writes npages pages of page_size bytes from src into idle db, in one
** write transaction, and drops what lay beyond them. */
static int write_pages(lode *db, const PageSource *src, uint32_t npages, uint32_t page_size) {
  int rc;
  if (db->readonly) return conn_error(db, SQLITE_READONLY, NULL);
  if (pager_page_size(db->pager) != page_size) {
    if (is_memory(db)) rc = fresh_memory_pager(db, page_size);
    else rc = pager_page_count(db->pager) == 0 ? pager_set_page_size(db->pager, page_size) : SQLITE_READONLY;
    if (rc != LODE_OK) return conn_error(db, rc, NULL);
  }
  rc = btree_begin_read(db->bt);
  if (rc != LODE_OK) return conn_error(db, rc, NULL);
  rc = btree_begin_write(db->bt);
  if (rc != LODE_OK) {
    btree_end_read(db->bt);
    return conn_error(db, rc, NULL);
  }
  uint32_t old_count = pager_page_count(db->pager);
  for (uint32_t pgno = 1; rc == LODE_OK && pgno <= npages; pgno++) {
    DbPage *to = NULL;
    rc = pager_get(db->pager, pgno, &to);
    if (rc == LODE_OK) rc = pager_write(to);
    if (rc == LODE_OK) {
      if (src->pager) {
        DbPage *from = NULL;
        rc = pager_get(src->pager, pgno, &from);
        if (rc == LODE_OK) memcpy(to->data, from->data, page_size);
        if (from) pager_unref(from);
      } else {
        int64_t off = (int64_t)(pgno - 1) * page_size;
        int64_t n = src->size - off < (int64_t)page_size ? src->size - off : (int64_t)page_size;
        memset(to->data, 0, page_size);
        if (n > 0) memcpy(to->data, src->buf + off, (size_t)n);
      }
    }
    if (to) pager_unref(to);
  }
  if (rc == LODE_OK && old_count > npages) rc = pager_truncate(db->pager, npages);
  if (rc == LODE_OK) rc = btree_commit(db->bt);
  else btree_rollback(db->bt);
  btree_end_read(db->bt);
  db->schema->loaded = 0;
  db->schema_gen++;
  return rc == LODE_OK ? LODE_OK : conn_error(db, rc, NULL);
}

/* ---- backup ---------------------------------------------------------------------------------------------- */

sqlite3_backup *sqlite3_backup_init(sqlite3 *dest, const char *dname, sqlite3 *src, const char *sname) {
  sqlite3_backup *p;
  if (!db_ok(dest) || !db_ok(src)) return NULL;
  if (dest == src) {
    conn_error(dest, SQLITE_ERROR, "source and destination must be distinct");
    return NULL;
  }
  if (!is_main(sname)) {
    conn_error(dest, SQLITE_ERROR, "unknown database %s", sname);
    return NULL;
  }
  if (!is_main(dname)) {
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
  if (src->txn == CONN_TXN_NONE) {
    rc = btree_begin_read(src->bt);
    if (rc != LODE_OK) return rc == SQLITE_BUSY ? rc : (p->rc = rc);
    opened = 1;
  }
  uint32_t count = pager_page_count(src->pager);
  p->pagecount = count;
  if (n >= 0 && (uint64_t)p->counted + (uint32_t)n < count) {
    /* The source may still grow or shrink: what remains is measured
    ** against its size now, as SQLite's restarted copies do. */
    p->counted += (uint32_t)n;
    p->remaining = count - p->counted;
    rc = SQLITE_OK;
  } else {
    PageSource from = {src->pager, NULL, 0};
    rc = write_pages(p->dest, &from, count, pager_page_size(src->pager));
    if (rc == SQLITE_OK) {
      if (p->dest->api) p->dest->api->not_a_database = 0;
      p->remaining = 0;
      p->done = 1;
      rc = SQLITE_DONE;
    } else if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) {
      p->done = 1;
      p->rc = rc;
    }
  }
  if (opened) btree_end_read(src->bt);
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
  if (!db_ok(db) || !is_main(schema) || (flags & SQLITE_SERIALIZE_NOCOPY)) return NULL;
  if (db->txn == CONN_TXN_NONE) {
    if (btree_begin_read(db->bt) != LODE_OK) return NULL;
    opened = 1;
  }
  uint32_t count = pager_page_count(db->pager), page_size = pager_page_size(db->pager);
  int64_t total = (int64_t)count * page_size;
  out = util_malloc(total > 0 ? (size_t)total : 1);
  for (uint32_t pgno = 1; out && pgno <= count; pgno++) {
    DbPage *pg = NULL;
    if (pager_get(db->pager, pgno, &pg) != LODE_OK) {
      util_free(out);
      out = NULL;
      break;
    }
    memcpy(out + (int64_t)(pgno - 1) * page_size, pg->data, page_size);
    pager_unref(pg);
  }
  if (opened) btree_end_read(db->bt);
  if (out && size) *size = total;
  return out;
}

int sqlite3_deserialize(sqlite3 *db, const char *schema, unsigned char *data, sqlite3_int64 size,
                        sqlite3_int64 buf_size, unsigned flags) {
  int rc;
  (void)buf_size;
  if (!db_ok(db)) {
    rc = SQLITE_MISUSE;
  } else if (!is_main(schema)) {
    rc = conn_error(db, SQLITE_ERROR, "not an in-memory database: %s", schema);
  } else if (!is_memory(db)) {
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
    if (!page_size) page_size = pager_page_size(db->pager);
    PageSource from = {NULL, data, size};
    uint32_t npages = (uint32_t)((size + page_size - 1) / page_size);
    ConnApi *a = conn_api(db);
    rc = a ? write_pages(db, &from, npages, page_size) : conn_error(db, SQLITE_NOMEM, NULL);
    if (rc == SQLITE_OK && (flags & SQLITE_DESERIALIZE_READONLY)) db->readonly = 1;
    /* SQLite takes any bytes and fails when they are read as a database */
    if (rc == SQLITE_OK) a->not_a_database = size > 0 && !valid;
  }
  if (data && (flags & SQLITE_DESERIALIZE_FREEONCLOSE)) sqlite3_free(data);
  return rc;
}
