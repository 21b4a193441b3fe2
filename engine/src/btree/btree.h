/*
** btree.h — B-trees in the SQLite 3 file format, over the pager.
**
** Owns: page 1's database header fields other than those the pager owns
** (page size bytes 16/17 on creation, reserved space 20, payload fractions
** 21-23, freelist trunk 32 and count 36, schema cookie 40, schema format 44,
** default cache size 48, largest root page 52, text encoding 56 (always
** 1 = UTF-8), user version 60, incremental vacuum 64, application id 68),
** b-tree pages (header, cell pointer array, cells, freeblocks, fragmented
** bytes), overflow chains and the freelist.
**
** Table b-trees (intkey): keyed by a 64-bit rowid, data in leaves.  Index
** b-trees (blobkey): keyed by a record, compared with a caller-supplied
** comparator.  Pages split when full (balance); a leaf that becomes empty is
** removed from its parent; freed pages go to the freelist and are reused.
**
** Invariants:
**  - All cursors of one Btree see the same transaction.
**  - A write cursor's insert/delete keeps every other cursor on the same
**    b-tree valid: they re-seek lazily (saved position = key).
**  - The tree is always balanced in depth; every page except the root holds
**    at least one cell.
*/
#ifndef LODE_BTREE_H
#define LODE_BTREE_H

#include <stdint.h>

#include "lode.h"

/* The pager is below the b-tree: callers above hold a Pager only to hand
** it to btree_open (conn opens both); they cannot call into it. */
typedef struct Pager Pager;

typedef struct Btree Btree;
typedef struct BtCursor BtCursor;

#define BTREE_INTKEY 1  /* table b-tree keyed by rowid */
#define BTREE_BLOBKEY 2 /* index b-tree keyed by record */

/* Meta values of the database header, by byte offset (SQLite's layout). */
#define BTREE_META_SCHEMA_COOKIE 40
#define BTREE_META_SCHEMA_FORMAT 44
#define BTREE_META_DEFAULT_CACHE_SIZE 48
#define BTREE_META_LARGEST_ROOT 52
#define BTREE_META_TEXT_ENCODING 56
#define BTREE_META_USER_VERSION 60
#define BTREE_META_INCR_VACUUM 64
#define BTREE_META_APPLICATION_ID 68
/* The first of the header's bytes reserved for expansion (72..91): Lode keeps
** its journal mode there (conn/mvcc.c); sqlite3 leaves the bytes alone. */
#define BTREE_META_LODE_MODE 72
#define BTREE_META_FREELIST_COUNT 36
/* Not a header field: OP_ReadCookie reads btree_data_version for it. */
#define BTREE_DATA_VERSION (-1)

#define BTREE_SCHEMA_ROOT 1 /* sqlite_schema lives at page 1 */

int btree_open(Pager *pager, Btree **out);
void btree_close(Btree *bt); /* does not close the pager (unless btree_open_temp made it) */
/* A private in-memory database for one statement's transient b-trees
** (automatic indexes and the like), in a write transaction already: create
** trees with btree_create and open cursors on them.  btree_close discards
** it all, pager included. */
int btree_open_temp(Btree **out);
Pager *btree_pager(Btree *bt);
/* The database's size in pages (in the transaction's snapshot). */
uint32_t btree_page_count(Btree *bt);
uint32_t btree_max_page_count(Btree *bt, uint32_t n); /* PRAGMA max_page_count (pager_max_page_count) */

/* Transactions pass through to the pager; begin_write on an empty database
** first formats page 1 (header + empty sqlite_schema leaf). */
int btree_begin_read(Btree *bt);
void btree_end_read(Btree *bt);
int btree_begin_write(Btree *bt);
/* Writes page 1 anew as a new empty database's (write transaction): the
** caller truncates the file to that page. */
int btree_format_empty(Btree *bt);
int btree_commit(Btree *bt);
/* Group commit of the pager (pager_set_group_commit / pager_sync_commit). */
void btree_set_group_commit(Btree *bt, int on);
int btree_sync_commit(Btree *bt);
int btree_checkpoint_due(Btree *bt);  /* pager_checkpoint_due */
void btree_autocheckpoint(Btree *bt); /* pager_autocheckpoint */
int btree_rollback(Btree *bt);
/* Concurrent write transactions (pager.h explains them): begin without the
** write lock on a database that has pages; at commit lock (*stale = 1 when
** others committed since the snapshot), then rebase onto the latest snapshot
** (the changes of savepoint epochs from *keep on dropped: the caller makes
** them again; pager_trace_next) or roll back. */
int btree_begin_concurrent(Btree *bt);
int btree_in_concurrent(Btree *bt);
int btree_concurrent_lock(Btree *bt, int *stale);
int btree_concurrent_rebase(Btree *bt, uint32_t *keep);
void btree_trace_next(Btree *bt);     /* pager_trace_next */
void btree_trace_mark(Btree *bt);     /* pager_trace_mark */
uint32_t btree_trace_epoch(Btree *bt); /* pager_trace_epoch */
/* Names the snapshot of the open transaction (pager_snapshot_tag), and the
** file (the same for every Btree of the process on it). */
uint64_t btree_snapshot_tag(Btree *bt);
/* PRAGMA data_version, in a read transaction: a number that changes when
** another connection (of this process or another) has committed since the
** last call, and not for this connection's own commits. */
uint32_t btree_data_version(Btree *bt);
/* A number that changes with every change of the database's content seen
** so far, this connection's own commits included (SQLITE_FCNTL_DATA_VERSION). */
uint32_t btree_file_version(Btree *bt);
const void *btree_file_id(Btree *bt);

/* A change log: told of every change of the write transaction by key before
** the change is made, so that a caller can check it against other
** transactions' changes and make it again on a newer snapshot.  A non-OK
** answer cancels the change with that code.
**   row:   BTREE_LOG_INSERT (table: rowid + record; index: the key record)
**          or BTREE_LOG_DELETE (table: rowid; index: the key record) at root;
**   other: BTREE_LOG_CLEAR of root, BTREE_LOG_META (arg = header offset,
**          value), BTREE_LOG_STRUCTURE (trees created or dropped, pages
**          moved or copied: changes that cannot be made again by key). */
#define BTREE_LOG_INSERT 1
#define BTREE_LOG_DELETE 2
#define BTREE_LOG_CLEAR 3
#define BTREE_LOG_META 4
#define BTREE_LOG_STRUCTURE 5
typedef struct BtreeLog {
  int (*row)(void *ctx, uint32_t root, int op, int intkey, int64_t rowid, const void *key, uint32_t n);
  int (*other)(void *ctx, int op, uint32_t arg, uint32_t value);
} BtreeLog;
void btree_set_log(Btree *bt, const BtreeLog *log, void *ctx); /* log NULL: none */

int btree_savepoint_begin(Btree *bt, int depth);
int btree_savepoint_release(Btree *bt, int depth);
int btree_savepoint_rollback(Btree *bt, int depth);

/* Auto-vacuum (btree_ptrmap.c; SQLite's PRAGMA auto_vacuum values).  A
** database with pages reports its header's mode; one with none the mode
** asked for, which its first write transaction gives it.  Setting: free
** before the first page; between FULL and INCREMENTAL in a write
** transaction; LODE_READONLY when pointer maps would come or go (that
** takes a VACUUM into a database created with the mode). */
#define BTREE_AUTOVACUUM_NONE 0
#define BTREE_AUTOVACUUM_FULL 1
#define BTREE_AUTOVACUUM_INCR 2
int btree_get_autovacuum(Btree *bt, int *mode);
int btree_set_autovacuum(Btree *bt, int mode);
/* The mode a VACUUM gives the database: the one last asked for, else its own. */
int btree_next_autovacuum(Btree *bt, int *mode);
/* PRAGMA incremental_vacuum: one free page given back, as each step of
** SQLite's gives one back (in either auto-vacuum mode; write transaction):
** the last page of the file leaves it, a b-tree or overflow page moving
** into a free page first.
** *done = 1, and nothing changes, when there is no free page (or the
** database is not an auto-vacuum one). */
int btree_incremental_vacuum_step(Btree *bt, int *done);

int btree_get_meta(Btree *bt, int offset, uint32_t *value);
int btree_set_meta(Btree *bt, int offset, uint32_t value); /* write transaction */
/* btree_get_meta of BTREE_META_SCHEMA_COOKIE, for the check every statement
** makes: no page fetch while page 1 is unchanged since the last read. */
int btree_schema_cookie(Btree *bt, uint32_t *value);

int btree_create(Btree *bt, int flags, uint32_t *root_out); /* BTREE_INTKEY or BTREE_BLOBKEY */
/* Frees every page of the tree.  In an auto-vacuum database the last root
** page then moves into the freed root's page: *moved is its old number
** (0 if none moved), which the caller replaces by root in the schema. */
int btree_drop(Btree *bt, uint32_t root, uint32_t *moved);
int btree_clear(Btree *bt, uint32_t root, int64_t *nrows); /* empties it, keeps the root */

/* Index key comparison: compares the record at key[0..n) with the search
** key; returns <0, 0, >0.  ctx is passed through. */
typedef int (*BtreeKeyCompare)(void *ctx, const void *key, uint32_t n);

int btree_cursor_open(Btree *bt, uint32_t root, int writable, BtCursor **out);
/* As btree_cursor_open, for a caller that knows which kind of b-tree it
** expects (intkey: 1 a table, 0 an index): the root is not read until the
** cursor's first move, which fails with LODE_CORRUPT when the root is of the
** other kind.  A cursor that never moves (a DELETE's table cursor when no
** entry matched) then costs no page.  reuse, when not NULL, is a cursor
** btree_cursor_detach left (of any Btree), which becomes the new one. */
int btree_cursor_open_kind(Btree *bt, uint32_t root, int writable, int intkey, BtCursor *reuse, BtCursor **out);
/* 1 for a table (intkey) b-tree, 0 for an index one, as its root page says:
** a caller that expected the other kind has met a corrupt schema. */
int btree_cursor_is_table(const BtCursor *c);
Btree *btree_cursor_tree(const BtCursor *c); /* the b-tree file the cursor reads */
/* Index cursors: compares two whole key records a and b (<0, 0, >0).  A
** cursor needs it to find its place again after the tree changed under it
** (another cursor wrote, or its own delete/insert rebalanced pages).
** Without one such a re-seek fails with LODE_INTERNAL. */
typedef int (*BtreeRecordCompare)(void *ctx, const void *a, uint32_t na, const void *b, uint32_t nb);
void btree_cursor_set_compare(BtCursor *c, BtreeRecordCompare cmp_fn, void *ctx);


void btree_cursor_close(BtCursor *c);
/* Closes c as btree_cursor_close does (no page held, no longer one of its
** Btree's cursors) but leaves its memory to the caller, for a later
** btree_cursor_open_kind to reuse or btree_cursor_free to free: a statement
** run again and again then opens its cursors without taking any. */
void btree_cursor_detach(BtCursor *c);
void btree_cursor_free(BtCursor *c); /* a detached cursor; NULL: nothing */
/* While c is pinned, a write to its b-tree through any other cursor fails
** with LODE_CONSTRAINT_PINNED: the row c stands on, which a caller is in
** the middle of changing, cannot be changed under it. */
void btree_cursor_pin(BtCursor *c, int on);

/* Moves.  *eof is set to 1 when the cursor is past the last (or before the
** first) entry, including on an empty tree. */
int btree_first(BtCursor *c, int *eof);
int btree_last(BtCursor *c, int *eof);
int btree_next(BtCursor *c, int *eof);
int btree_prev(BtCursor *c, int *eof);
int btree_eof(BtCursor *c);
/* Whether the cursor may no longer be on the entry it was on: a write
** through another cursor saved its position, or a delete left it on a
** neighbour.  A cheap test; btree_cursor_restore_row tells for sure. */
int btree_cursor_moved(const BtCursor *c);
/* Finds the cursor's place again after a write: *gone = 1 when its entry
** is no longer there (deleted: the cursor now stands next to where it was,
** so that btree_next moves to the entry that followed, or past the end). */
int btree_cursor_restore_row(BtCursor *c, int *gone);
/* Whether the cursor is on the last entry of its tree (a step forward would
** leave it): a seek that lands there with the key past it need not move. */
int btree_on_last(const BtCursor *c);
/* The number of entries in c's tree (the cursor ends past the last one):
** a leaf's cells counted at once, not visited one by one. */
int btree_count(BtCursor *c, int64_t *n);

/* Table b-trees: positions at rowid, or at a neighbour; *cmp = 0 if found,
** <0 if the cursor's entry is smaller than rowid, >0 if larger (and eof on an
** empty tree with *cmp = -1... use btree_eof). */
int btree_seek_rowid(BtCursor *c, int64_t rowid, int *cmp);
/* btree_seek_rowid that also tells whether the cursor stayed where it was:
** *stayed = 1 when it already stood on that row (as a seek or a step left
** it, nothing written since), so that what was read of the row still holds. */
int btree_seek_rowid_stay(BtCursor *c, int64_t rowid, int *cmp, int *stayed);
/* Index b-trees: same contract with a comparator.  A seek that ends with
** *cmp > 0 has called cmp_fn on the entry it ends on, in place on its leaf
** when the entry lies wholly on the page (callers may rely on what that call
** told them about it). */
int btree_seek_key(BtCursor *c, BtreeKeyCompare cmp_fn, void *ctx, int *cmp);
/* The search key's first field, for btree_seek_key_first to decide most
** probes without calling the comparator (a seek probes ~log2(entries) cells,
** nearly all of them decided by that field).  It describes the record
** format's usual index entry: a one-byte header size, then a one-byte serial
** type.  BTREE_FIRST_INT: the key's first field is the integer ival, and an
** entry whose first field is an integer of serial type 1..6 different from it
** is decided by that field.  below is what an entry whose first field sorts
** before the key's answers: -1, or +1 when that column is in descending
** order.  Every other entry goes to cmp_fn.  (Texts were tried too: entries
** that share their first bytes, common in text indexes, then paid for the
** test twice, here and in the comparator.) */
#define BTREE_FIRST_INT 1
typedef struct BtreeKeyFirst {
  int kind;
  int below;
  int64_t ival;
} BtreeKeyFirst;
/* btree_seek_key with first (NULL: none) deciding what it can; cmp_fn must
** answer as first describes for the entries first decides.  A seek that ends
** with *cmp > 0 has either passed cmp_fn the entry it ends on or found it
** unequal on its first field. */
int btree_seek_key_first(BtCursor *c, BtreeKeyCompare cmp_fn, void *ctx, const BtreeKeyFirst *first, int *cmp);
/* Right after a btree_seek_key or btree_seek_key_first (nothing in between)
** that ended with *cmp > 0 on an entry lying wholly on its leaf: the very
** pointer the seek passed cmp_fn for that entry, or would have passed had
** the first field not decided it (so a comparator that kept the pointers it
** answered "equal" for can tell whether this entry was one of them without
** reading it again); NULL in every other case, the caller then reads the
** entry itself. */
const void *btree_seek_landed(const BtCursor *c);

/* The rowid of a table cursor's entry; LODE_CORRUPT when its cell cannot
** be read, LODE_MISUSE on an index cursor. */
int btree_rowid_get(BtCursor *c, int64_t *rowid);
/* btree_rowid_get for callers that have already read the entry: 0 on error. */
int64_t btree_rowid(BtCursor *c);
int btree_max_rowid(BtCursor *c, int64_t *rowid, int *empty);
/* pager_content_gen of the cursor's b-tree: while it stays the same, so does
** every page, and so whatever the caller learnt of the tree (its largest rowid). */
uint64_t btree_cursor_content_gen(const BtCursor *c);

/* The current entry's payload (table: row record; index: key record). */
uint32_t btree_payload_size(BtCursor *c);
int btree_payload(BtCursor *c, uint32_t offset, uint32_t n, void *buf); /* follows overflow */
/* Pointer to the first *avail bytes of the payload held on the page itself,
** valid until the cursor moves: lets the VM decode small records copy-free. */
const uint8_t *btree_payload_fetch(BtCursor *c, uint32_t *avail);
/* The same, and the payload's whole size in *size (one parse of the cell
** for both, which matters to a VM reading entry after entry).  NULL for a
** cursor btree_cursor_moved says a write may have moved: the caller finds
** its place (btree_cursor_restore_row) first, so that the one test serves
** both. */
const uint8_t *btree_payload_view(BtCursor *c, uint32_t *avail, uint32_t *size);
/* btree_payload_view's common case, returned in registers: the payload of
** the current entry when it lies wholly on its page (nearly every row);
** p NULL for anything else (an overflowing payload, a cell near the end of
** its page, a moved or invalid cursor), which btree_payload_view answers. */
typedef struct BtreeLocalPayload {
  const uint8_t *p;
  uint32_t size;
} BtreeLocalPayload;
BtreeLocalPayload btree_payload_local(BtCursor *c);
/* btree_next and btree_payload_view in one step, for a scan reading entry
** after entry: the next entry's payload (its *size bytes, all of them on
** the page) when it lies on the cursor's leaf page; NULL, the cursor not
** moved, otherwise (the caller takes the two steps). */
const uint8_t *btree_next_local(BtCursor *c, uint32_t *size);

/* Writes (cursor opened writable, write transaction).  Table insert replaces
** an existing row with the same rowid.  Index insert takes the key only. */
int btree_insert(BtCursor *c, int64_t rowid, const void *payload, uint32_t n);
int btree_insert_key(BtCursor *c, const void *key, uint32_t n, BtreeKeyCompare cmp_fn, void *ctx);
/* The same, its seek (when it needs one) letting first (NULL: none) decide
** what it can, as btree_seek_key_first does.  probed: right after a
** btree_seek_key on this cursor for a prefix of the key (the caller vouches
** for that, and that nothing moved the cursor since) that found no equal
** entry, as a uniqueness probe does: the key goes where the seek ended, with
** no descent and no comparison.  When the cursor no longer stands there
** (another cursor wrote the tree meanwhile), an ordinary insert; with cmp_fn
** NULL, LODE_DONE instead, nothing written, for the caller to make its
** comparator and insert again. */
int btree_insert_key_first(BtCursor *c, const void *key, uint32_t n, BtreeKeyCompare cmp_fn, void *ctx,
                           const BtreeKeyFirst *first, int probed);
/* Replaces the entry the cursor is on by key, which the caller vouches is
** equal to it under the tree's order (a uniqueness probe found it and nothing
** moved the cursor since): no descent, no comparison.  LODE_DONE, nothing
** written, when the cursor is not on an entry. */
int btree_overwrite_key(BtCursor *c, const void *key, uint32_t n);
/* The same for a key expected to sort after every entry (a build from sorted
** input): one comparison with the last entry, and no descent at all while
** the cursor is still on it from the previous append.  A key that does not
** sort after the last entry is inserted by btree_insert_key. */
int btree_append_key(BtCursor *c, const void *key, uint32_t n, BtreeKeyCompare cmp_fn, void *ctx);
/* An index key the caller guarantees sorts after every entry (a build from a
** sorter into an empty tree, as SQLite's CREATE INDEX trusts its sorter): put
** after the last entry with no comparison. */
int btree_append_sorted_key(BtCursor *c, const void *key, uint32_t n);
/* Overwrites bytes [offset, offset + n) of the current table row's payload
** in place (sqlite3_blob_write): no cell moves and the row keeps its size.
** A change log is told of the whole new record, as of an insert. */
int btree_put_payload(BtCursor *c, uint32_t offset, uint32_t n, const void *buf);
/* Deletes the current entry.  Afterwards the cursor sits so that
** btree_next() moves to the entry that followed the deleted one. */
int btree_delete(BtCursor *c);

/* VACUUM's copies (btree_copy.c).  btree_create_like: a new empty tree in
** dst (write transaction; src in a transaction) of the kind of src's tree at
** root (table or index), its root in *new_root.  btree_copy_entries: every
** entry of src's tree at root appended, in order, to dst's empty tree at
** dst_root, of the same kind; with renumber, a table's entries get the
** rowids 1, 2, 3, ... in order instead of their own.  btree_copy_pages: bt's database (write
** transaction, no open cursor, same page size) becomes from's, page for
** page, truncated to from's size at commit. */
int btree_create_like(Btree *src, uint32_t root, Btree *dst, uint32_t *new_root);
int btree_copy_entries(Btree *src, uint32_t root, Btree *dst, uint32_t dst_root, int renumber);
int btree_copy_pages(Btree *bt, Btree *from);

/* Checks the structure of every tree given, plus the freelist and that every
** page is used exactly once.  Appends one message per problem to *errors
** (a NUL-separated list owned by the caller via util_free); *nerr counts them. */
int btree_integrity_check(Btree *bt, const uint32_t *roots, int nroots, int max_errors, char **errors,
                          int *nerr);
/* The same for the trees given alone (PRAGMA integrity_check(table)): the
** header, the freelist and pages no tree uses are not checked. */
int btree_integrity_check_trees(Btree *bt, const uint32_t *roots, int nroots, int max_errors, char **errors,
                                int *nerr);

/* Space statistics (btree_stat.c, for the dbstat virtual table), in a read
** transaction, reading pages without changing any.  btree_page_stat: b-tree
** page pgno's kind, its cells (st->cells, util_malloc'd, st->ncell of them,
** which the caller frees; NULL when there is none) and its unused bytes (the
** gap, freeblocks and fragments: neither header, cell pointers nor reserved
** bytes); LODE_CORRUPT for a page that is not a valid b-tree page.  A table
** interior page's cells have a child and no payload.  btree_overflow_next:
** the page an overflow page links to (0: the chain ends), not checked. */
typedef struct BtreeCellStat {
  uint32_t child;   /* left child (interior pages), else 0 */
  uint32_t payload; /* the whole payload's bytes */
  uint32_t local;   /* of them on this page (== payload unless ovfl) */
  uint32_t ovfl;    /* first overflow page, 0 if none */
} BtreeCellStat;
typedef struct BtreePageStat {
  int leaf, intkey;
  int ncell;
  uint32_t unused;
  uint32_t right_child; /* interior pages */
  int content_zero;     /* the header's content offset is 0, which stands for 65536 */
  BtreeCellStat *cells;
} BtreePageStat;
void btree_page_sizes(Btree *bt, uint32_t *page_size, uint32_t *usable);
int btree_page_stat(Btree *bt, uint32_t pgno, BtreePageStat *st);
int btree_overflow_next(Btree *bt, uint32_t pgno, uint32_t *next);
/* The bytes of page pgno (1..btree_page_count) as the b-tree reads them
** (decrypted), page_size of them into out, in a read transaction; the
** lock-byte page, which the file never holds, reads as zeros (the
** sqlite_dbpage virtual table). */
int btree_page_read(Btree *bt, uint32_t pgno, uint8_t *out);

#endif /* LODE_BTREE_H */
