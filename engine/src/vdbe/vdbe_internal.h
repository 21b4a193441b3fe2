/*
** vdbe_internal.h — the inside of a VM program (struct Vdbe) and the helpers
** shared by the VM's files: vdbe.c (building, validation, accessors),
** vdbe_exec.c (the interpreter), vdbe_index.c (index cursors: key order and
** seeks), vdbe_txn.c (transactions and the end of a run), vdbe_sorter.c (the
** sorter), vdbe_stat4.c (ANALYZE's sqlite_stat4 samples), vdbe_window.c
** (window functions) and vdbe_explain.c (EXPLAIN rows).
**
** Run states: IDLE (ready to run; parameters may be bound) → RUN (stepped,
** has not halted) → HALT (halted with LODE_DONE or an error).  vdbe_reset
** brings any state back to IDLE; vdbe_step in HALT resets first, as
** sqlite3_step does.
**
** Invariants:
**  - While a run is in RUN state and has executed OP_Transaction it is counted
**    once in db->nactive (counted = 1); the end of the run undoes that.
**  - Every cursor is closed before the transaction of the run ends.
**  - A register holding an aggregate accumulator (MEM_AGG) is only ever
**    released through vdbe_reg_clear, which frees the state the aggregate
**    function keeps inside its context and the DISTINCT set.
**  - A cursor's parsed-row cache is valid only while its generation (bumped
**    by every move of that cursor) and the VM's write generation (bumped by
**    every b-tree write) are those it was filled at.
*/
#ifndef LODE_VDBE_INTERNAL_H
#define LODE_VDBE_INTERNAL_H

#include <assert.h>
#include <stdint.h>

#include "btree/btree.h"
#include "conn/conn.h"
#include "func/func.h"
#include "vdbe/vdbe.h"
#include "vtab/vtab.h"

#define VDBE_STATE_IDLE 0
#define VDBE_STATE_RUN 1
#define VDBE_STATE_HALT 2

#define VDBE_EXPLAIN_NCOLS 8 /* EXPLAIN: addr, opcode, p1, p2, p3, p4, p5, comment */
#define VDBE_EQP_NCOLS 4     /* EXPLAIN QUERY PLAN: id, parent, notused, detail */

/* ---- sorter (vdbe_sorter.c) ------------------------------------------------ */
typedef struct VdbeSorter VdbeSorter;
VdbeSorter *sorter_new(const KeyInfo *keyinfo);
/* The connection whose encrypted databases make the sorter's spills sealed. */
void sorter_set_conn(VdbeSorter *s, lode *db);
/* Keeps every record in memory (PRAGMA temp_store = MEMORY). */
void sorter_no_spill(VdbeSorter *s);
/* Makes an unkeyed sorter a first-in first-out queue (SorterOpen's
** SORTER_QUEUE): it never spills, sorter_sort just goes to its first record,
** and records inserted after that are reached by sorter_next in insertion
** order, so it can be read while it is still being filled.  It frees records
** it handed out as it goes: reading it again from its start (sorter_sort)
** finds only those not yet dropped. */
void sorter_queue(VdbeSorter *s);
void sorter_free(VdbeSorter *s);
/* Whether s orders its records as keyinfo says (same key columns, directions,
** collations and NULL placement). */
int sorter_same_keys(const VdbeSorter *s, const KeyInfo *keyinfo);
/* Empties s for another fill with the same keys, keeping (some of) its memory
** and making it unbounded and spillable again; 0 when it cannot (it spilled
** to a file): the caller then frees it and makes a new one. */
int sorter_reset(VdbeSorter *s);
int sorter_insert(VdbeSorter *s, const uint8_t *rec, uint32_t n);
/* Bounded sorter: 1 when a record whose first fields hold key[0..nkey) (nkey
** >= the sorter's key columns) would be dropped by sorter_insert, so that the
** record need not even be built; 0 when it would be kept or cannot tell. */
int sorter_would_drop(const VdbeSorter *s, const Mem *key, int nkey);
/* A bounded sorter's cut (the last record it keeps) when its first key is a
** REAL, as the VM tests it inline: most rows of a scan ordered by a distance
** with a LIMIT end at this one comparison.  The first member of every
** VdbeSorter (sorter_cut); dir is 0 while there is no such cut or once the
** sorter is sorted. */
typedef struct SorterCut {
  int dir;  /* 1: the first key ascends, -1: it descends, 0: no inline test */
  int nkey; /* the sorter's key columns */
  double r; /* the cut's first key */
} SorterCut;
static inline const SorterCut *sorter_cut(const VdbeSorter *s) { return (const SorterCut *)(const void *)s; }
/* sorter_would_drop's answer when the first keys decide it (1 dropped, 0
** kept), -1 when they do not (no REAL cut, a key that is no REAL, or equal
** first keys: the next keys and the rest of the rules decide). */
static inline int sorter_cut_drops(const SorterCut *cut, const Mem *key, int nkey) {
  if (!cut->dir || nkey < cut->nkey || key[0].type != MEM_REAL) return -1;
  /* A REAL is never NaN (NaN is NULL): unequal ones order by < alone. */
  if (key[0].u.r == cut->r) return -1;
  return cut->dir > 0 ? key[0].u.r > cut->r : key[0].u.r < cut->r;
}
/* ORDER BY … LIMIT: only the first budget records (in sort order) will be
** read; budget <= 0 means all.  Call before the first insert. */
int sorter_limit(VdbeSorter *s, int64_t budget);
/* Sorts (stable) and positions on the first record; *empty = 1 if none. */
int sorter_sort(VdbeSorter *s, int *empty);
int sorter_next(VdbeSorter *s, int *eof);
/* The current record: valid until the next sorter_next/sorter_sort once the
** sorter has spilled runs to a temporary file, else until it is freed. */
int sorter_current(VdbeSorter *s, const uint8_t **rec, uint32_t *n);
/* Whether the records sorter_current hands out stay valid until sorter_free
** (a sorted sorter that did not spill). */
int sorter_keeps_records(const VdbeSorter *s);

/* ---- cursors --------------------------------------------------------------- */
#define VDBE_CURSOR_BTREE 1
#define VDBE_CURSOR_SORTER 2
#define VDBE_CURSOR_PSEUDO 3
#define VDBE_CURSOR_VTAB 4 /* a virtual table's cursor (vdbe_vtab.c) */
#define VDBE_CURSOR_IDXM 5 /* an index method's cursor (vdbe_idxm.c) */

typedef struct VdbeCursor {
  int kind;
  int ncol;          /* columns the program expects (informational) */
  BtCursor *bt;      /* BTREE */
  int writable;
  uint32_t root;     /* BTREE: the b-tree's root page (the update hook names its table) */
  int db;            /* the database of a b-tree cursor (VdbeOp.db of its open) */
  int eof;           /* BTREE: not on an entry */
  VdbeSorter *sorter; /* SORTER */
  struct VdbeWinPass *win; /* SORTER: the window pass whose rows the cursor returns as asked (OP_Window) */
  int pseudo_reg;    /* PSEUDO: register holding the record */
  /* Parsed-row cache. */
  uint64_t gen;        /* bumped whenever the cursor moves */
  uint64_t nullrow_gen; /* gen at OP_NullRow: while still equal, the cursor is on no row and Next stays there */
  uint64_t noop_gen;   /* gen at a Delete flagged ISNOOP on an index b-tree's entry (0: none): the next
                       ** IdxInsert replaces that entry (its first noop_nkey fields equal the new key's),
                       ** where the cursor still is while gen is unchanged */
  int found_nkey;      /* fields of the key the last NoConflict found an entry for */
  int noop_nkey;
  uint64_t probe_gen;  /* gen after an OP_NoConflict that found no entry (0: none): while still equal, the
                       ** cursor stands where that key's entry belongs (OPFLAG_PROBED) */
  /* A forward seek whose binary search ended on the entry it landed on knows
  ** how that entry compares with the key: seek_cmp 0 equal on the key's
  ** fields, 1 after them.  Valid while gen is seek_gen, for seek_next (the op
  ** right after the seek) with the same key (the IdxGT that ends an equality
  ** lookup), which then compares without reading the entry. */
  const void *seek_next;
  uint64_t seek_gen;
  int seek_cmp;
  uint64_t cache_gen;  /* gen the cache was filled at (0 = empty) */
  uint64_t cache_wgen; /* Vdbe.write_gen the cache was filled at */
  /* lode.table_writes the cache was filled at: a write by another statement
  ** (a function's, or one stepped in between) may have moved or deleted the
  ** row, and the b-tree cursor is then asked where it stands. */
  uint64_t cache_twgen;
  const char *cache_z; /* PSEUDO: record pointer the cache was filled from */
  RecordHeader hdr;
  /* BTREE: the header of the row hdr was last parsed from by
  ** column_load_btree, when that parse went past the short one (a serial
  ** type of two bytes or more), the header is at most eight bytes and the
  ** record at least that long: its first eight bytes under hdr_memo_mask
  ** (the header's bytes) and the record's size (0: no memo).  hdr is a
  ** function of the header's bytes and the record's size alone, however far
  ** it was parsed, so a row whose header and size read the same (rows of
  ** one shape: fixed-length vectors, same-typed columns) takes it as is.
  ** Any other parse of the cursor's rows clears it. */
  uint64_t hdr_memo;
  uint64_t hdr_memo_mask;
  uint32_t hdr_memo_size;
  const uint8_t *rec;  /* the record's bytes (on the page, in buf, or in the pseudo register) */
  uint32_t rec_size;
  uint32_t rec_avail;  /* bytes valid at rec: less than rec_size for the on-page part of an overflowing row */
  uint8_t *buf;        /* copy of an overflowing record */
  uint32_t buf_cap;
  /* Largest rowid of the table as NewRowid last saw it (kept up to date by
  ** this cursor's own inserts): valid while max_wgen is the connection's
  ** count of table writes (lode.table_writes: index entry writes do not
  ** count, so an INSERT into an indexed table keeps it from row to row; a
  ** statement run by a function in between does). */
  int64_t max_rowid;
  uint64_t max_wgen;
  int max_valid;
  uint64_t max_cgen; /* btree_cursor_content_gen when max_rowid was last known (Vdbe.rowid_keep) */
  /* A Delete flagged ISNOOP told the preupdate hook of the deletion of row
  ** noop_rowid, which stays for the next Insert to overwrite: that Insert
  ** does not tell it again. */
  int noop_told;
  int64_t noop_rowid;
  /* Index cursors: the order of the entries (NULL for a table cursor), the
  ** context of the comparator the b-tree re-seeks with, and room to decode
  ** a search key given as a record (Found/NotFound with p4.i = 0). */
  const KeyInfo *keyinfo;
  struct VdbeIndexCmp {
    const KeyInfo *keyinfo;
  } cmp;
  Mem *keybuf;
  int keycap;
  Btree *temp_db; /* OpenEphemeral: the private database the cursor's b-tree lives in */
  struct VtabCursor *vtab; /* VTAB: the module's cursor (eof above: no row, or NullRow) */
  struct IdxmCursor *idxm; /* IDXM: the method's cursor (eof above: past its last row) */
  struct VdbeCursor *next_spare; /* in Vdbe.spare_cursors */
} VdbeCursor;

/* DISTINCT set of an aggregate accumulator: open addressing of Mem copies. */
typedef struct DistinctSet {
  Mem *slots;
  uint8_t *used;
  uint64_t *hashes; /* each used slot's hash: grown and probed without hashing its value again */
  uint32_t cap;
  uint32_t count;
  int rows; /* slots hold records, compared field by field by value (SELECT DISTINCT) */
  int coll; /* values: the COLL_* they are told apart by */
  const KeyInfo *keyinfo; /* rows: each field's collation (coll[]), or NULL for BINARY */
} DistinctSet;

/* The block behind a MEM_AGG register's z: this header, then the function's
** zeroed context of func->agg_size bytes at AGG_CONTEXT_OFFSET. */
typedef struct AggState {
  const FuncDef *func;
  DistinctSet *distinct;
} AggState;
#define AGG_CONTEXT_OFFSET ((sizeof(AggState) + 15) & ~(size_t)15)

#define VDBE_SPARE_BUFS 4 /* record buffers kept from one run to the next */

struct Vdbe {
  lode *db;
  FuncStmtState *fstate; /* what built-in functions keep for this statement (func_stmt_state_free) */
  int cur_db; /* stamped on new ops (VdbeOp.db) */
  int walk_mark; /* vdbe_db_mask: visited (1) during a walk, 0 otherwise */
  VtabSchemas vtab_schemas; /* what virtual table cursors see of the schemas (OP_VOpen fills it) */
  /* Program. */
  VdbeOp *ops;
  int nop, cap_op;
  int *labels; /* label index → address (-1 until resolved) */
  int nlabel, cap_label;
  int oom;
  int finished; /* vdbe_finish succeeded */
  int nmem, ncursor;
  int max_args; /* largest argument count of a Function/AggStep */
  int has_nchange; /* some op counts changes (OPFLAG_NCHANGE) */
  /* Metadata. */
  int ncol;
  char **col_names;
  char **col_decltypes;
  char **col_origins; /* NULL, or per column its table, column and database names (3 * ncol, NULL: an expression) */
  Arena col_meta;     /* holds the three arrays above and their strings while the program is built */
  char **col_meta_packed; /* or, once it is finished, this one allocation holds them (col_meta_pack) */
  int nparam;
  char **param_names; /* [1..nparam] */
  Mem *params;        /* [1..nparam] */
  /* Parameters whose bound value the plan was estimated with (sqlite_stat4:
  ** bit i-1 for parameter i, bit 63 for 64 and beyond): binding one of them
  ** sets expired, and the next run compiles the statement again with the
  ** values then bound, as SQLite's expmask does. */
  uint64_t expmask;
  int expired;
  VdbeProbe *probes; /* the estimates made with bound values (vdbe_probe.c) */
  uint64_t rebound;  /* parameters (as expmask) bound since the last step, for the probes to compare */
  const Vdbe *bound_from; /* while a recompile plans: the program whose bound values it may read */
  char *sql;
  int readonly, explain;
  int no_comments; /* vdbe_set_comment does nothing: only an EXPLAIN listing shows comments */
  /* Run state. */
  int state;
  int pc;
  int rc;          /* error code of the last run */
  Mem *mem;        /* [0..nmem] */
  VdbeCursor **cursors;
  int idxm_opened; /* an index method cursor was opened: vdbe_idxm_flush has work to look for */
  /* Cursors closed at the end of a run, kept with their header arrays for
  ** the opens of the next run (vdbe_cursor_alloc). */
  VdbeCursor *spare_cursors;
  /* [ncursor] (past cursors' ncursor, in its allocation; NULL in a
  ** trigger's frame, whose cursors end with it): per cursor number, the b-tree cursor (VdbeCursor and
  ** its detached BtCursor) that number had when the last run ended, for the
  ** same number's OpenRead/OpenWrite in the next run to take as it is
  ** (vdbe_cursor_unpark): no allocation, no spare lists, no zeroing of the
  ** b-tree cursor's page stack.  It holds no page and no lock. */
  VdbeCursor **parked;
  /* Text and blob buffers released at the end of a run, for the next run's
  ** records and column values (a statement run once per row, an INSERT
  ** making a record per index and one for the table, a lookup reading text
  ** columns, would otherwise allocate each per run). */
  char *spare_buf[VDBE_SPARE_BUFS];
  size_t spare_cap[VDBE_SPARE_BUFS];
  int nspare_buf;
  /* The largest rowid a b-tree cursor's NewRowid knew when the last run
  ** ended (cursor: its number + 1, 0 for none), for the next run of the
  ** program: an INSERT run once per row then finds the next rowid without a
  ** descent to the table's last leaf.  Valid while the tree's content
  ** generation is still cgen: no page has changed since, by any writer. */
  struct {
    int cursor;
    uint32_t root;
    int64_t max;
    uint64_t cgen;
  } rowid_keep;
  Mem **argv;      /* max_args slots */
  /* The call whose arguments argv holds (registers never move during a
  ** program's life, so a call repeated in a loop finds them there); NULL:
  ** none.  Functions only read argv, as SQLite's only read theirs. */
  const struct VdbeOp *argv_op;
  uint8_t *once;   /* per op: Once already passed in this run */
  int once_set;    /* some byte of once is set: the next run clears them */
  int result_reg, nresult;
  int64_t nchange;
  int64_t nchange_nested;  /* changes made by foreign key actions (OPFLAG_NESTED) that completed */
  int64_t nchange_pending; /* those made by actions not completed yet (FkActionsDone) */
  uint64_t write_gen;
  uint64_t record_gen; /* bumped by SorterData/MakeRecord (pseudo cursor caches) */
  uint64_t rng;
  uint32_t status[VDBE_NSTATUS]; /* VDBE_STATUS_* (a trigger frame counts on its statement's) */
  /* Transaction state of the run (vdbe_txn.c). */
  int counted;     /* counted in db->nactive */
  int began_write; /* this run started the write transaction (autocommit) */
  int stmt_sp;     /* pager depth of the statement savepoint this run holds, 0 if none */
  uint32_t stmt_sp_dbs; /* the databases (bit per index) holding that savepoint */
  int vtab_sp;     /* 1 + the virtual tables' savepoint index of this run's statement level, 0 if none */
  uint64_t write_gen_at_begin; /* write_gen when the run began: a run that wrote without a savepoint
                                  cannot undo its own changes */
  uint64_t schema_undos_at; /* lode.schema_undos when the run began */
  int error_action; /* ONCONFLICT_* of the Halt that failed the run (ABORT for any other error) */
  int64_t fk_violations; /* immediate foreign key violations the run has made and not fixed */
  int fk_keeps_deferred;  /* vdbe_set_fk_keeps_deferred: a failed run leaves db->fk_deferred as it is */
  int64_t fk_deferred_at_start[2]; /* db->fk_deferred[] when the run's statement savepoint began */
  uint32_t schema_gen; /* db->schema_gen when compiled: another value means re-prepare */
  /* Trigger programs.  A program owns the trigger programs its Program ops
  ** name (subs).  A frame is a run of a trigger program: a Vdbe of its own
  ** whose ops are borrowed from the program (frame_of), with its own
  ** registers and cursors, made by Program and freed when it halts. */
  Vdbe **subs;
  int nsubs;
  const void *token;   /* trigger program: the trigger it codes */
  Vdbe *parent;        /* frame: the run that called it */
  const Vdbe *frame_of; /* frame: the program it runs */
  int param_base;      /* frame: Param reads the parent's r[param_base + p1] */
  int depth;           /* frames between this run and the statement's (0: the statement) */
  int64_t saved_last_rowid, saved_changes; /* frame: restored when it ends, as SQLite does */
  /* EXPLAIN. */
  Mem explain_row[VDBE_EXPLAIN_NCOLS];
  VdbeOp dummy;    /* returned by vdbe_op_at on a bad address */
};

/* vdbe.c */
void vdbe_reg_clear(Vdbe *v, Mem *m);
void vdbe_close_cursors(Vdbe *v); /* keeps the cursor objects for the next run */
void vdbe_free_spare_cursors(Vdbe *v);
VdbeCursor *vdbe_cursor_alloc(Vdbe *v); /* zeroed, from the spares when there is one; NULL on oom */
/* The cursor parked for number i (zeroed as vdbe_cursor_alloc's, its
** detached b-tree cursor in *bt), or NULL when there is none. */
VdbeCursor *vdbe_cursor_unpark(Vdbe *v, int i, BtCursor **bt);
void vdbe_release_registers(Vdbe *v);
void vdbe_free_spare_bufs(Vdbe *v); /* the record buffers kept for the next run */
void vdbe_agg_destroy(Mem *m, int call_final); /* call_final: let final free its context */

/* vdbe_probe.c */
#define PROBE_MAX_FIELDS 33 /* key fields of an estimate: PLAN_MAX_KEY equalities and a bound */
void vdbe_probes_free(Vdbe *v);
int vdbe_probes_changed(const Vdbe *v, uint64_t params); /* params: bits as Vdbe.expmask */

/* vdbe_stat4.c: OP_StatInit, OP_StatScan (the cursor's b-tree and KeyInfo;
** *more = 1: entries are left), OP_StatText and OP_StatSample (*done = 1:
** no sample left). */
int vdbe_stat4_init(Vdbe *v, const VdbeOp *op);
int vdbe_stat4_scan(Vdbe *v, const VdbeOp *op, BtCursor *bt, const KeyInfo *k, int *more);
int vdbe_stat4_text(Vdbe *v, const VdbeOp *op);
int vdbe_stat4_sample(Vdbe *v, const VdbeOp *op, int *done);

/* vdbe_verify.c: OP_KeyHash and OP_IdxVerify (the cursor's b-tree and
** KeyInfo; *more = 1: entries are left). */
int vdbe_key_hash(Vdbe *v, const VdbeOp *op);
int vdbe_idx_verify(Vdbe *v, const VdbeOp *op, BtCursor *bt, const KeyInfo *k, int *more);

/* vdbe_txn.c */
int vdbe_txn_begin(Vdbe *v, const VdbeOp *op);
int vdbe_txn_autocommit(Vdbe *v, const VdbeOp *op);
int vdbe_txn_savepoint(Vdbe *v, const VdbeOp *op);
/* At a successful Halt: LODE_CONSTRAINT_FOREIGNKEY ("FOREIGN KEY
** constraint failed", action ABORT) when the statement leaves immediate
** violations, or deferred ones in autocommit mode (where it commits). */
int vdbe_txn_check_fk(Vdbe *v);
/* LODE_ABORT_ROLLBACK ("abort due to ROLLBACK") when a rollback undid
** schema changes since the run began (lode.schema_undos). */
int vdbe_txn_tripped(Vdbe *v);
/* Ends the run: closes cursors, commits/rolls back as rc says, updates the
** connection.  rc is the run's result (LODE_OK on success); quiet suppresses
** setting the connection error (LODE_SCHEMA, reset of an unfinished run).
** Returns the final result code (a failed commit turns OK into an error). */
int vdbe_txn_end(Vdbe *v, int rc, int quiet);
/* Sets the connection error for rc with msg (NULL: the default text). */
int vdbe_error(Vdbe *v, int rc, const char *msg);

void vdbe_cursor_free(VdbeCursor *c);
/* Closes c (NULL: nothing) and keeps it for the next vdbe_cursor_alloc of
** the run: a cursor opened again and again (a subquery's, per outer row)
** then costs no allocation. */
void vdbe_cursor_recycle(Vdbe *v, VdbeCursor *c);

/* vdbe_exec.c */
int vdbe_exec(Vdbe *v);

/* vdbe_vacuum.c: OP_Vacuum */
int vdbe_op_vacuum(Vdbe *v, const VdbeOp *op);

/* vdbe_frame.c: trigger program frames.  vdbe_frame_push makes the frame
** for Program op (NULL with *rc = LODE_OK when the op is skipped: a trigger
** already running without recursive triggers; NULL with *rc set on an
** error, the message on the connection).  vdbe_frame_pop frees frame f
** and returns its caller. */
Vdbe *vdbe_frame_push(Vdbe *v, const VdbeOp *op, int *rc);
Vdbe *vdbe_frame_pop(Vdbe *f);

/* vdbe_filter.c: Bloom filters in registers (OP_FilterInit/FilterAdd/Filter) */
int vdbe_filter_init(Mem *f);
int vdbe_filter_add(Mem *f, const Mem *key, const KeyInfo *k);
/* *maybe = 0 when key is certainly not in f (a register holding no filter: 1). */
int vdbe_filter_test(Mem *f, const Mem *key, const KeyInfo *k, int *maybe);

/* vdbe_index.c: index cursors and seeks (the ops are dispatched in vdbe_exec.c) */
/* Makes c, a b-tree cursor just opened, an index cursor ordered by k. */
void vdbe_index_cursor_init(VdbeCursor *c, const KeyInfo *k);
/* SeekLT/LE/GE/GT on an index cursor with key[0..nkey), or on a table cursor
** with the rowid key[0]; *eof = 1 when no entry qualifies (the op jumps). */
/* *landed: how the entry the seek ended on compares with the key on its nkey
** fields when the seek's own comparisons tell (0 equal, 1 after), else -1. */
int vdbe_index_seek(VdbeCursor *c, int opcode, const Mem *key, int nkey, int *eof, int *landed);
int vdbe_table_seek(VdbeCursor *c, int opcode, const Mem *key, int *eof);
/* Positions c on the first entry whose first nkey fields equal key; *found = 0
** (and the cursor on no entry) if there is none. */
int vdbe_index_find(VdbeCursor *c, const Mem *key, int nkey, int *found);
/* Inserts the entry record rec[0..n) (replacing an equal one); with append
** (OPFLAG_APPEND) after the last entry, uncompared.  key[0..nkey): rec's
** fields as Mems (the registers MakeRecord encoded), or NULL to unpack rec. */
int vdbe_index_insert(VdbeCursor *c, const uint8_t *rec, uint32_t n, int flags, const Mem *key, int nkey);
/* The fields of record rec as a key in c->keybuf (text/blob borrowed from
** rec, valid while rec is). */
int vdbe_index_unpack(VdbeCursor *c, const Mem *rec, int *nkey);

/* vdbe_window.c: OP_Window (conn error set on failure) */
int vdbe_window_pass(Vdbe *v, const VdbeOp *op);
/* A sorter cursor fed by a window pass (OP_Window's WINDOW_ROWS_ON_DEMAND):
** its first row (first = 1, once) or next one, and the current record
** (valid until the cursor moves). */
int vdbe_window_stream_step(Vdbe *v, VdbeCursor *c, int first, int *eof);
int vdbe_window_stream_current(VdbeCursor *c, const uint8_t **rec, uint32_t *n);
void vdbe_window_stream_free(struct VdbeWinPass *wp);
/* The virtual-table ops (VOpen, VFilter, VNext, VColumn, VRowid): *jump
** set to 1 when the op jumps to p2. */
int vdbe_vtab_op(Vdbe *v, const VdbeOp *op, int *jump);
void vdbe_vtab_close(VdbeCursor *c);
/* vdbe_idxm.c: the index-method ops (IdxmOpen … IdxmRowid), *jump as above;
** a method's failure sets the connection error with its message. */
int vdbe_idxm_op(Vdbe *v, const VdbeOp *op, int *jump);
/* Has every writable index-method cursor of v write what it holds back. */
int vdbe_idxm_flush(Vdbe *v);
int vdbe_idxm_flush_one(Vdbe *v, int i);

/* vdbe_explain.c */
int vdbe_explain_step(Vdbe *v);
int vdbe_render_p4(const VdbeOp *op, StrBuf *b);      /* appends p4's text; 0 if p4 has none */
int vdbe_render_comment(const VdbeOp *op, StrBuf *b); /* appends the comment column; 0 if none */

#endif /* LODE_VDBE_INTERNAL_H */
