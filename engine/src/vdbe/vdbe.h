/*
** vdbe.h — the bytecode virtual machine: program building (used by
** codegen), execution (used by capi) and EXPLAIN listing.
**
** A program is an array of VdbeOp; registers r[1..nmem] are Mems (r[0]
** unused); cursors c[0..ncursor) are b-tree cursors, sorters or pseudo
** cursors.  Opcode semantics follow SQLite's VDBE documentation where the
** names match; each opcode's contract is listed below next to its code.
** Jumps are absolute addresses; codegen may use labels (negative numbers
** from vdbe_make_label) that vdbe_resolve_label patches.
**
** Transactions: OP_Transaction opens a read or write transaction on the
** connection when it is in autocommit mode (or upgrades read → write), and
** opens a statement savepoint for writes inside an explicit transaction.  At
** OP_Halt (or when the statement is reset/finalized early) the VM commits or
** rolls back an autocommit transaction, releases or rolls back the statement
** savepoint, so that a failed statement leaves the database as it was
** (unless it halts with the FAIL action, which keeps what it did, or
** ROLLBACK, which rolls back the whole transaction).  OP_Savepoint runs
** SAVEPOINT, RELEASE and ROLLBACK TO (vdbe_txn.c).
**
** Index cursors: OpenRead/OpenWrite with a KeyInfo in p4 open an index
** b-tree whose entries are records (the indexed columns, then the rowid)
** ordered by that KeyInfo; fields past its nkey compare ascending, BINARY.
** Search keys are "unpacked": p4.i consecutive registers from p3, a prefix
** of an entry's fields, compared field by field in the index's order.
*/
#ifndef LODE_VDBE_H
#define LODE_VDBE_H

#include <stdint.h>

#include "value/value.h"

typedef struct lode lode;
typedef struct Vdbe Vdbe;
typedef struct FuncDef FuncDef;

/* Opcodes.  Notation: r[x] is register x, c[x] cursor x.  "jump" = set pc to p2. */
#define VDBE_OPCODES(X)                                                                                      \
  X(Init)          /* jump to p2 (the transaction prologue at the end of the program) */                     \
  X(Goto)          /* jump to p2 */                                                                          \
  X(Halt)          /* stop: p1 = result code (0 = ok), p4 = error message (string; p3 > 0: the text of r[p3]);  \
                      on an error p2 = the ONCONFLICT_* action (sql/ast.h): ABORT undoes the statement,    \
                      FAIL keeps its changes, ROLLBACK ends the transaction.  In a trigger program's frame \
                      a Halt without error returns to the calling Program (p5 = 1: RAISE(IGNORE), the     \
                      caller jumps to its p2) */                                                            \
  X(HaltIfNull)    /* if r[p3] is NULL: halt with code p1, message p4 and action p2, as Halt */              \
  X(Transaction)   /* on database p1 (= VdbeOp.db): p2 = 0 read / 1 write / 2 write, no stmt savepoint;        \
                      p3 = schema cookie (p5 = 1: check) */                                                 \
  X(AutoCommit)    /* p1 = 1: COMMIT (p2 = 1: ROLLBACK); p1 = 0: BEGIN (p3 = TXN_* mode) */                \
  X(Savepoint)     /* p1 = SAVEPOINT_BEGIN / _RELEASE / _ROLLBACK (TO) of the savepoint named p4.z */        \
  X(Integer)       /* r[p2] = p1 */                                                                          \
  X(Int64)         /* r[p2] = p4.i64 */                                                                      \
  X(Real)          /* r[p2] = p4.real */                                                                     \
  X(String8)       /* r[p2] = p4.z (text, p1 bytes) */                                                       \
  X(Blob)          /* r[p2] = blob of p1 bytes at p4.z */                                                    \
  X(Null)          /* r[p2..p3] = NULL (p3 = 0: just r[p2]) */                                               \
  X(Variable)      /* r[p2] = bound parameter p1 */                                                          \
  X(Copy)          /* r[p2..p2+p3] = copies of r[p1..p1+p3]; p5 COPY_NO_SUBTYPE: without their subtypes */  \
  X(SCopy)         /* r[p2] = r[p1] (shallow: may borrow) */                                                 \
  X(GetSubtype)    /* r[p2] = the subtype of r[p1] as an integer, NULL when it has none */                  \
  X(SetSubtype)    /* r[p2] takes the subtype in r[p1] (an integer; NULL: none) */                          \
  X(Move)          /* move r[p1..p1+p3-1] to r[p2..], sources become NULL */                                 \
  X(ResultRow)     /* yield row r[p1..p1+p2-1] */                                                            \
  X(OpenRead)      /* c[p1] = read cursor on root page p2 (0: the object has no b-tree, corrupt); p4.i =     \
                      columns, or p4.keyinfo: an index cursor */                                             \
  X(OpenWrite)     /* c[p1] = write cursor on root page p2, or root in r[p3] if p5 = 1; p4 as OpenRead */    \
  X(OpenPseudo)    /* c[p1] = pseudo cursor reading the record in r[p2], p3 columns */                       \
  X(OpenEphemeral) /* c[p1] = writable index cursor on a new empty transient b-tree, p4.keyinfo its order */ \
  X(OpenAutoindex) /* OpenEphemeral for an automatic index (SQLite's listing names it so) */ \
  X(SorterOpen)    /* c[p1] = sorter of records, p4.keyinfo describes the first p2 key columns; p5:          \
                      SORTER_QUEUE; re-opening an open sorter of the same keys empties it */               \
  X(SorterInsert)  /* add record r[p2] to sorter c[p1] */                                                    \
  X(SorterSort)    /* sort c[p1]; jump to p2 if it is empty */                                               \
  X(SorterData)    /* r[p2] = current record of sorter c[p1] */                                              \
  X(SorterNext)    /* advance sorter c[p1]; jump to p2 if there is another row */                            \
  X(Close)         /* close c[p1] */                                                                         \
  X(NullRow)       /* c[p1] reads NULL for every column and its rowid (as past its end) until it moves */    \
  X(IfNullRow)     /* if c[p1] is on no row (after NullRow, or past its end): r[p3] = NULL, goto p2 */       \
  X(CursorLock)    /* pin table cursor c[p1]: a write to its b-tree through another cursor fails (PINNED) */ \
  X(CursorUnlock)  /* unpin c[p1] */                                                                         \
  X(Rewind)        /* move c[p1] to its first entry; jump to p2 if empty */                                  \
  X(Last)          /* move c[p1] to its last entry; jump to p2 if empty */                                   \
  X(Next)          /* advance c[p1]; jump to p2 if there is another entry (counted in status p5 if > 0) */   \
  X(Prev)          /* step back c[p1]; jump to p2 if there is another entry (as Next) */                     \
  X(Column)        /* r[p3] = column p2 of c[p1]'s row (p4.mem: default when the record is short; p5:       \
                      COLUMN_BORROW) */                                                                    \
  X(Rowid)         /* r[p2] = rowid of c[p1] */                                                              \
  X(SeekRowid)     /* position c[p1] on rowid r[p3]; jump to p2 if absent (or r[p3] not an integer) */       \
  X(NotExists)     /* same as SeekRowid (write cursors, before Insert/Delete) */                             \
  X(NewRowid)      /* r[p3] = a new rowid for c[p1]: max+1 (random search when max is INT64_MAX); p2 != 0:    \
                      AUTOINCREMENT, r[p2] the largest rowid given so far: max(it, max)+1, LODE_FULL when   \
                      that is past INT64_MAX, and r[p2] = the new rowid */                                  \
  X(MakeRecord)    /* r[p3] = record of r[p1..p1+p2-1]; p4.z = affinity string applied first (or NULL);     \
                      p5 != 0: fields marked RECORD_KEEP_FIELD in p4.z come as stored from c[p5-1]'s row */ \
  X(Insert)        /* insert record r[p2] with rowid r[p3] into c[p1]; p5 OPFLAG_* */                       \
  X(Delete)        /* delete c[p1]'s current row; p5 OPFLAG_NCHANGE counts it */                             \
  X(Count)         /* r[p2] = number of entries in c[p1] */                                                  \
  X(Add)           /* r[p3] = r[p2] + r[p1] */                                                               \
  X(Subtract)      /* r[p3] = r[p2] - r[p1] */                                                               \
  X(Multiply)      /* r[p3] = r[p2] * r[p1] */                                                               \
  X(Divide)        /* r[p3] = r[p2] / r[p1] */                                                               \
  X(Remainder)     /* r[p3] = r[p2] % r[p1] */                                                               \
  X(Concat)        /* r[p3] = r[p2] || r[p1] */                                                              \
  X(BitAnd)        /* r[p3] = r[p1] & r[p2] */                                                               \
  X(BitOr)         /* r[p3] = r[p1] | r[p2] */                                                               \
  X(ShiftLeft)     /* r[p3] = r[p2] << r[p1] */                                                              \
  X(ShiftRight)    /* r[p3] = r[p2] >> r[p1] */                                                              \
  X(BitNot)        /* r[p2] = ~r[p1] */                                                                      \
  X(Negative)      /* r[p2] = -r[p1] */                                                                      \
  X(Not)           /* r[p2] = NOT r[p1] (NULL stays NULL) */                                                 \
  X(And)           /* r[p3] = r[p1] AND r[p2] (three-valued) */                                              \
  X(Or)            /* r[p3] = r[p1] OR r[p2] (three-valued) */                                               \
  X(Eq)            /* if r[p3] == r[p1] jump to p2; p5: CMP_* flags; p4.i = collation */                     \
  X(Ne)            /* if r[p3] != r[p1] jump */                                                              \
  X(Lt)            /* if r[p3] <  r[p1] jump */                                                              \
  X(Le)            /* if r[p3] <= r[p1] jump */                                                              \
  X(Gt)            /* if r[p3] >  r[p1] jump */                                                              \
  X(Ge)            /* if r[p3] >= r[p1] jump */                                                              \
  X(Compare)       /* r[p2] = result of comparing r[p3] with r[p1] as CMP_STOREP2 does: 1, 0 or NULL */     \
  X(If)            /* jump if r[p1] is true; also jump if NULL and p3 != 0 */                                \
  X(IfNot)         /* jump if r[p1] is false; also jump if NULL and p3 != 0 */                               \
  X(IsNull)        /* jump if r[p1] is NULL */                                                               \
  X(NotNull)       /* jump if r[p1] is not NULL */                                                           \
  X(IfType)        /* jump if bit r[p1].type of p3 is set (1 << MEM_INT / MEM_REAL / MEM_TEXT / MEM_BLOB / MEM_NULL) */ \
  X(IsTrue)        /* r[p2] = (r[p1] NULL ? p3 : r[p1] is true) XOR p4.i: x IS [NOT] TRUE/FALSE            */ \
  X(Cast)          /* CAST r[p1] to affinity p2 */                                                           \
  X(Affinity)      /* apply affinity string p4.z to r[p1..p1+p2-1] */                                       \
  X(MustBeInt)     /* make r[p1] an integer, else jump to p2 (p2 = 0: error "datatype mismatch") */         \
  X(Function)      /* r[p3] = p4.func(r[p2..p2+p5-1]); p1: collation, constant arguments (FUNCTION_P1_*)  */ \
  X(AggStep)       /* accumulate r[p2..p2+p5-1] into accumulator r[p3] with p4.func (p1 = distinct) */       \
  X(AggFinal)      /* r[p1] = final value of accumulator r[p1] (p4.func, p2 = nargs) */                      \
  X(IfPos)         /* if r[p1] > 0: r[p1] -= p3, jump to p2 */                                               \
  X(DecrJumpZero)  /* r[p1] -= 1; if it is then 0 jump to p2 */                                              \
  X(OffsetLimit)   /* r[p2] = r[p1] + max(r[p3], 0) if r[p1] > 0, else -1 */                                \
  X(Once)          /* jump to p2 on every execution after the first */                                       \
  X(CreateBtree)   /* r[p2] = root page of a new b-tree; p3 = BTREE_INTKEY / BTREE_BLOBKEY */                \
  X(Destroy)       /* free the b-tree with root page p1 */                                                   \
  X(Clear)         /* empty the b-tree with root page p1, keeping its root; p3 = 1: count its rows as changes */\
  X(ReadCookie)    /* r[p2] = meta value at header offset p3 */                                              \
  X(SetCookie)     /* meta value at header offset p2 = p3 */                                                 \
  X(ParseSchema)   /* reload the schema from sqlite_schema (bump the cookie if p1; p2: only new rows) */     \
  X(DropSchema)    /* forget table p4.z in the in-memory schema */                                           \
  X(Pagecount)     /* r[p2] = number of pages in the database */                                             \
  X(IntegrityCk)   /* r[p3] = problems of the b-trees rooted at r[p1..p1+p2-1], the freelist and page use   \
                      (p5: those trees alone), one per line, at most p4.i of them; NULL if none */           \
  X(Checkpoint)    /* WAL checkpoint of mode p1 (CONN_CKPT_*): r[p2..p2+2] = busy, log, checkpointed */     \
  X(PragmaConn)    /* setting p1 (CONN_PRAGMA_*): set to r[p3] first if p3 != 0; r[p2] = value if p2 != 0 */  \
  X(Cdc)           /* change data capture (codegen/cdc.c), by p1: CDC_SET: the connection's mode = p2, its table  \
                      p4.z (programs expire); CDC_TXN: r[p3] = the transaction's id, first set to r[p2]; \
                      CDC_COMMIT: r[p3] = that id (-1: none), but jump to p2 inside BEGIN (p5 = 0) or    \
                      when no change was captured (p5 = 1) */                                             \
  X(Vacuum)        /* VACUUM (p2 = 0), or VACUUM INTO the file named by r[p2] (vdbe_vacuum.c) */            \
  X(Attach)        /* ATTACH the file named by r[p1] as the database named by r[p2] */                      \
  X(Detach)        /* DETACH the database named by r[p1] */                                                 \
  X(Noop)          /* nothing */                                                                             \
  X(Explain)       /* plan step for EXPLAIN QUERY PLAN: p1 = id (its address), p2 = parent id (0: top      \
                      level), p4.z = detail ("SCAN t"); does nothing when run */                             \
  X(DistinctRow)   /* if record r[p3] (p5 > 0: the row of values r[p3..p3+p5-1]) was seen before by the set  \
                      in r[p1] jump to p2, else add it (DISTINCT) */                                          \
  X(SorterLimit)   /* sorter c[p1] need keep only the first r[p2] rows in sort order (r[p2] <= 0: all) */    \
  X(Window)        /* window pass over sorter c[p1] (rows in insertion order): sorts them by p4.window's key, \
                      stores each window function's value in its result column; frame offsets in r[p2], r[p3]; \
                      p5 WINDOW_ROWS_ON_DEMAND: the rows are computed as c[p1] is read */                     \
  X(SeekLT)        /* c[p1] to the last entry < key r[p3..p3+p4.i-1] (table: rowid r[p3]); none: jump */     \
  X(SeekLE)        /* c[p1] to the last entry <= key (prefix of p4.i fields; table: rowid r[p3]); none: jump */ \
  X(SeekGE)        /* c[p1] to the first entry >= key r[p3..p3+p4.i-1] (table: rowid r[p3]); none: jump */   \
  X(SeekGT)        /* c[p1] to the first entry > key (prefix of p4.i fields; table: rowid r[p3]); none: jump */ \
  X(IdxLT)         /* jump if c[p1]'s entry, on its first p4.i fields, <  key r[p3..p3+p4.i-1] */            \
  X(IdxLE)         /* jump if c[p1]'s entry, on its first p4.i fields, <= key r[p3..p3+p4.i-1] */            \
  X(IdxGE)         /* jump if c[p1]'s entry, on its first p4.i fields, >= key r[p3..p3+p4.i-1] */            \
  X(IdxGT)         /* jump if c[p1]'s entry, on its first p4.i fields, >  key r[p3..p3+p4.i-1] */            \
  X(IdxInsert)     /* insert index entry record r[p2] into c[p1] (an equal entry is replaced); p5 OPFLAG_*;   \
                      p3 > 0: r[p3..p3+p4.i-1] hold the record's fields, the key without unpacking r[p2] */   \
  X(IdxDelete)     /* delete from c[p1] the first entry whose first p3 fields equal r[p2..p2+p3-1], if any */ \
  X(IdxRowid)      /* r[p2] = rowid (last field) of c[p1]'s index entry; NULL if not on an entry */          \
  X(Found)         /* c[p1] to the first entry matching key r[p3..p3+p4.i-1] and jump; p4.i = 0: r[p3] is a  \
                      record whose fields are the key */                                                     \
  X(NotFound)      /* as Found, but jump if there is no such entry (c[p1] then is on no entry) */            \
  X(FilterInit)    /* r[p1] = an empty Bloom filter (vdbe_filter.c) */                                        \
  X(FilterAdd)     /* add key r[p3..p3+n-1] to the Bloom filter r[p1]; p4 = KeyInfo of its n collations */   \
  X(Filter)        /* jump to p2 if key r[p3..p3+n-1] is certainly not in the Bloom filter r[p1] (p4 as      \
                      FilterAdd); counts VDBE_STATUS_FILTER_HIT / _MISS */                                     \
  X(NoConflict)    /* as NotFound, and also jump without seeking if a key field is NULL (UNIQUE checks) */   \
  X(DeferredSeek)  /* move table cursor c[p3] to the rowid of index cursor c[p1]'s entry, at once; LODE_CORRUPT \
                      if the table has no such row */                                                      \
  X(FkCounter)     /* add p2 to the foreign key violations: the statement's (p1 = 0) or the transaction's \
                      deferred ones (p1 = 1; both deferred under PRAGMA defer_foreign_keys) */             \
  X(FkIfZero)      /* jump to p2 if the violations counter p1 says (as FkCounter) is zero */              \
  X(FkActionsMark) /* r[p1] = the changes foreign key actions made (OPFLAG_NESTED) that do not count yet */    \
  X(FkActionsDone) /* those made since r[p1] (p1 = 0: all) count toward total_changes */                 \
  X(Gosub)         /* r[p1] = address of the next op; jump to p2 */                                         \
  X(Return)        /* jump to the address in r[p1] */                                                     \
  X(InitCoroutine) /* r[p1] = p3 - 1, so that the first Yield on r[p1] enters the co-routine at p3; jump   \
                      to p2 (past the co-routine's code) */                                                 \
  X(Yield)         /* jump to the op after the address in r[p1], which becomes this op's address: from   \
                      the reader into the co-routine (p2: where to go once it has ended) and back */        \
  X(EndCoroutine)  /* the co-routine has no more rows: jump to p2 of the Yield that entered it; each      \
                      later Yield on r[p1] comes back here and goes there again */                          \
  X(Program)       /* run trigger program p4.sub in a new frame whose Param ops read r[p1..]; a RAISE(IGNORE) \
                      in it jumps to p2; p5 = 1: skip it when a frame of the same trigger is running (no     \
                      recursive triggers); more than SQLITE_LIMIT_TRIGGER_DEPTH frames fail */                  \
  X(Param)         /* r[p2] = copy of the calling frame's r[base + p1], base = its Program's p1 */          \
  X(ResetCount)    /* a trigger's statement ended: changes() = the changes it counted, added to           \
                      total_changes(); its count restarts at 0 */                                        \
  X(VOpen)         /* c[p1] = a cursor of the virtual-table module named p4.z */                             \
  X(VFilter)       /* start c[p1]'s scan: filter(p4.i, r[p3..p3+p5-1]); jump to p2 if it has no row */      \
  X(VNext)         /* advance c[p1]; jump to p2 while it is on a row */                                      \
  X(VColumn)       /* r[p3] = column p2 of c[p1]'s row (NULL after NullRow); p5 = 1: an UPDATE does not set  \
                      it (sqlite3_vtab_nochange): when the module gives no value, an unchanged NULL */       \
  X(VNoChange)     /* r[p2] = 1 if r[p1] is an unchanged NULL (OP_VColumn, OP_Null with p5), else 0 */        \
  X(VRowid)        /* r[p2] = rowid of c[p1]'s row */                                                        \
  X(VUpdate)       /* update(r[p3..p3+p2-1]) of the application's table p4.z (p1: its kind, CONN_VTAB_*);    \
                      p5 = ONCONFLICT_* | VUPDATE_INSERT (an insert: last_insert_rowid) */                    \
  X(VBegin)        /* the application's table p4.z (p1: its kind) joins the transaction; p2: many rows change */ \
  X(VCreate)       /* xCreate of virtual table p4.z (its sqlite_schema row is loaded) */                     \
  X(VDestroy)      /* xDestroy of virtual table p4.z */                                                      \
  X(VRename)       /* xRename of virtual table p4.z to the text of r[p3] */                                 \
  X(IdxmOpen)      /* c[p1] = cursor of the index method p4.idxm (its attachment and store roots) on database  \
                      VdbeOp.db; p2 = 1: writable; p3 > 0: the store roots are r[p3..] (an index being built) */ \
  X(IdxmInsert)    /* method cursor c[p1]: index the values r[p2..p2+p4.i-1] of the row with rowid r[p3] */   \
  X(IdxmDelete)    /* method cursor c[p1]: forget the values r[p2..p2+p4.i-1] of the row with rowid r[p3] */  \
  X(IdxmQuery)     /* method cursor c[p1]: run pattern p5 with the arguments r[p3..p3+p4.i-1]; jump to p2 if  \
                      it yields no row */                                                                    \
  X(IdxmNext)      /* advance method cursor c[p1]; jump to p2 while it is on a row */                        \
  X(IdxmRowid)     /* r[p2] = rowid of method cursor c[p1]'s row */                                     \
  X(IdxmColumn)    /* r[p3] = result column p2 of method cursor c[p1]'s row (a REAL) */                      \
  X(IdxmCheck)     /* r[p3] = NULL if method cursor c[p1]'s index agrees with the r[p2] rows of its table that  \
                      have a value (xIntegrity), else the method's message as TEXT */ \
  X(IdxmCheckRow)  /* r[p3] = NULL if method cursor c[p1]'s index holds the row whose values are               \
                      r[p2..p2+p4.i-1] and rowid r[p2+p4.i] (xIntegrityRow), else the method's message */   \
  X(IdxmOptimize)  /* method cursor c[p1]: pack the index; r[p2..p2+3] = what that did (integers) */         \
  X(SorterDrop)    /* jump to p2 if bounded sorter c[p1], full, would drop a row whose sort keys are          \
                      r[p3..p3+p5-1] (ORDER BY … LIMIT: the row need not be built) */ \
  X(StatInit)      /* r[p1] = a new ANALYZE accumulator (vdbe_stat4.c) for index entries of p2 columns, the   \
                      index holding r[p3] entries; p4.z: the columns' affinities (a REAL one makes an       \
                      integer REAL in a sample) */                                                          \
  X(StatScan)      /* push the entry cursor c[p3] is on and those after it, of p5 columns, into accumulator    \
                      r[p1], each compared with the one before on its first p4.i fields (with c[p3]'s       \
                      collations); after a batch of entries, jump to p2 while entries are left */            \
  X(KeyHash)       /* integrity check: r[p3] += a hash of the values r[p1..p1+p2-1] (wrapping), r[p3+1] += 1 */  \
  X(IdxVerify)     /* integrity check: from the entry index cursor c[p1] is on, add each entry's hash (as        \
                      KeyHash's of its p4.i fields) to r[p3] and count it in r[p3+1]; r[p3+2] holds the entry \
                      before (a blob, or NULL); r[p3+1] = -1 and stop at an entry of another shape or not    \
                      after the one before (p5 > 0: nor after it on the first p5 fields, unless one of those  \
                      with a bit in r[p3+3] is NULL); after a batch, jump to p2 while entries are left */    \
  X(StatText)      /* r[p3] = sqlite_stat1's "N D1 … Dp2" of accumulator r[p1] */                             \
  X(StatSample)    /* r[p3..p3+3] = the next sample of accumulator r[p1] (neq, nlt, ndlt as text, the record); \
                      jump to p2 when none is left */                                                        \
  X(CopyTree)      /* the b-tree at root p2 of database VdbeOp.db, empty, receives                                \
                      every entry of c[p1]'s (of the same kind) in key order, cells copied as they are;       \
                      p3 = 1: a table's rows take the rowids 1, 2, 3, ...; p5: OPFLAG_NCHANGE counts them as  \
                      changes (the update hook hears of each), OPFLAG_LASTROWID sets last_insert_rowid */ \
  X(RowData)       /* r[p2] = the payload of c[p1]'s entry as it is stored (a row's record, an index entry) */

typedef enum VdbeOpcode {
#define VDBE_ENUM(name) OP_##name,
  VDBE_OPCODES(VDBE_ENUM)
#undef VDBE_ENUM
      OP_COUNT
} VdbeOpcode;

const char *vdbe_opcode_name(int opcode);

/* OP_Savepoint's p1 (SQLite's numbers). */
#define SAVEPOINT_BEGIN 0
#define SAVEPOINT_RELEASE 1
#define SAVEPOINT_ROLLBACK 2

/* OP_VColumn's and OP_Null's p5: the value of a column an UPDATE does not set (MEM_SUBTYPE_NOCHANGE). */
#define OPFLAG_NOCHANGE 0x01
/* OP_Copy's p5: the copies leave the subtype behind (a row handed out of a subquery, which SQL sees as
** values stored and read back). */
#define COPY_NO_SUBTYPE 0x01

/* OP_VUpdate's p5 besides the conflict action. */
#define VUPDATE_INSERT 0x100

/* P4 kinds. */
#define P4_NONE 0
#define P4_INT32 1   /* p4.i */
#define P4_INT64 2   /* p4.i64, in the op */
#define P4_REAL 3    /* p4.real, in the op */
#define P4_STRING 4  /* p4.z (owned, NUL-terminated) */
#define P4_BLOB 5    /* p4.z (owned, p1 bytes) */
#define P4_MEM 6     /* p4.mem (owned) */
#define P4_FUNC 7    /* p4.func (static) */
#define P4_KEYINFO 8 /* p4.keyinfo (owned) */
#define P4_WINDOW 9  /* p4.window (owned; vdbe_window_free) */
#define P4_IDXM 11   /* p4.idxm (owned; vdbe_idxm_free) */

/* OP_Window's description of one window and the functions computed over it.
** The rows are records of ncols columns; the window's key is key_col[i] for
** i < npart + norder (partition terms, then ORDER BY terms), ordered by key.
** Frame bounds and exclusion use the WIN_* codes (the same numbers as the
** parser's FRAME_* and EXCLUDE_*). */
#define WIN_ROWS 1
#define WIN_RANGE 2
#define WIN_GROUPS 3
#define WIN_UNBOUNDED_PRECEDING 1
#define WIN_PRECEDING 2
#define WIN_CURRENT_ROW 3
#define WIN_FOLLOWING 4
#define WIN_UNBOUNDED_FOLLOWING 5
#define WIN_EXCLUDE_NONE 0
#define WIN_EXCLUDE_CURRENT_ROW 1
#define WIN_EXCLUDE_GROUP 2
#define WIN_EXCLUDE_TIES 3
typedef struct VdbeWinFunc {
  int kind;            /* FuncWindowKind (func.h): WINFN_AGGREGATE or a window-only function */
  const FuncDef *func; /* WINFN_AGGREGATE: the aggregate */
  int nargs;
  int arg_col;         /* column of the first argument (the others follow) */
  int filter_col;      /* FILTER: column holding the condition's value, -1 if none */
  int result_col;      /* column that receives the value */
  int coll;            /* FuncContext.coll */
  unsigned subtype_args; /* bit i: argument i had this subtype, which the rows kept for the window drop */
  uint8_t subtype;
} VdbeWinFunc;
typedef struct VdbeWindow {
  int ncols;
  int npart, norder;
  int *key_col;
  KeyInfo *key;        /* npart + norder terms */
  int frame_type;      /* WIN_ROWS / WIN_RANGE / WIN_GROUPS */
  int start_kind, end_kind, exclude;
  int nfunc;
  VdbeWinFunc *funcs;
} VdbeWindow;
void vdbe_window_free(VdbeWindow *w);
/* OP_Window's p5: the pass's rows are not written back to the sorter but
** computed as the cursor is read (SorterSort/SorterNext/SorterData), a
** partition at a time; the last pass, read by the outer query. */
#define WINDOW_ROWS_ON_DEMAND 1
/* OP_Window's p5: the rows come sorted by the window's key (the inner
** query's ORDER BY is that key), so the pass need not look first. */
#define WINDOW_INPUT_SORTED 2

#define P4_SUBPROGRAM 10 /* p4.sub: a trigger program, owned by the statement's top program (vdbe_adopt) */

/* OP_IdxmOpen's p4: an index method bound to one index (the attachment,
** of which the op holds a reference, let go when the program is freed) and
** the root pages of its backing stores, in the attachment's order. */
typedef struct VdbeIdxm {
  struct IdxmBinding *binding;
  struct lode_index_attachment *att; /* binding->att */
  int nstores;
  uint32_t *roots;
} VdbeIdxm;
void vdbe_idxm_free(VdbeIdxm *x);


/* Comparison flags in p5 of Eq..Ge. */
#define CMP_JUMPIFNULL 0x10 /* jump when either operand is NULL (else fall through) */
#define CMP_STOREP2 0x20    /* store the result (1, 0 or NULL) in r[p2] instead of jumping: a comparison as a value */
#define CMP_NULLEQ 0x80     /* IS / IS NOT: NULL == NULL is true, NULL vs value is false */
#define CMP_AFF_MASK 0x0f   /* 0 or an AFF_* - 'A' + 1: affinity applied to both operands before comparing */

/* Function p1: the call's collation (COLL_*, at most COLL_MAX) in the low bits and, above them, bit i set when
** argument i has the same value for the whole run (a literal, a parameter, a deterministic function of those):
** the function may keep what it derives from such an argument (func_set_auxdata). */
#define FUNCTION_P1_COLL 0xff
#define FUNCTION_P1_CONST_SHIFT 8

/* Column p5: a text or blob stored on the cursor's current page may be read in place (an ephemeral register
** that points into the page) instead of copied; only for a register read before the cursor moves again. */
#define COLUMN_BORROW 0x01

/* SorterOpen p5: the sorter (unkeyed) is a first-in first-out queue: SorterSort goes to its first record
** and SorterNext also reaches records inserted after that, so a program can read it while filling it; the
** records it has passed are freed as it goes, so it is read once. */
#define SORTER_QUEUE 0x01

/* SorterSort p5: the sort is one SQLITE_STMTSTATUS_SORT counts (an ORDER BY's, a GROUP BY's, an index build's),
** not the ordering of rows kept aside (an IN list, a FROM subquery's rows, the rows a change collects),
** which SQLite keeps in a transient table it never sorts. */
#define SORTER_COUNTED 0x01

/* MakeRecord p4 letter (p5 = cursor + 1): the field is copied as stored from that cursor's current row. */
#define RECORD_KEEP_FIELD '-'

/* Insert/Delete flags in p5. */
#define CDC_SET 0
#define CDC_TXN 1
#define CDC_COMMIT 2

#define OPFLAG_NCHANGE 0x01   /* count toward lode_changes() */
#define OPFLAG_LASTROWID 0x02 /* set lode_last_insert_rowid() */
#define OPFLAG_ISUPDATE 0x04  /* Insert: the row change of an UPDATE (the update hook tells it from an INSERT) */
#define OPFLAG_NESTED 0x10    /* a change a foreign key action makes: counts toward lode_total_changes() only */
#define OPFLAG_PREUPDATE 0x20 /* Insert/Delete (IdxInsert for a WITHOUT ROWID table): a row change of a user
                                 table, told to the preupdate hook (conn.h); Delete with OPFLAG_ISUPDATE: the old
                                 row of an UPDATE that writes the new one elsewhere */
#define OPFLAG_ISNOOP 0x40    /* Delete: the b-tree keeps the row (the Insert after it overwrites it, or on an
                                 index b-tree the next IdxInsert of an equal key); only the preupdate hook hears
                                 of the deletion */
#define OPFLAG_PROBED 0x80    /* IdxInsert: the row change probed this index with the entry's columns
                                 (OP_NoConflict) just before; if that probe found nothing and nothing moved the
                                 cursor since, the entry goes where the probe ended, with no search */
#define OPFLAG_APPEND 0x08    /* IdxInsert: the key sorts after every entry, as the program guarantees (a bulk
                                 build from a sorter into the new, empty tree): placed last, never compared */
#define OPFLAG_COPIED 0x100   /* IdxInsert: the record is another index's entry as stored (RowData), whose fields
                                 the program has not made: one with more fields than the index's KeyInfo has
                                 columns belongs to an index whose definition does not match it (corrupt) */

/* A KeyInfo (value.h) given to vdbe_add_op4 (P4_KEYINFO) belongs to the VM
** from then on, even when the call fails: build it with keyinfo_new. */

typedef struct VdbeOp {
  uint8_t opcode;
  int8_t p4type;
  uint16_t p5;
  /* The database (the connection's index: 0 main, 1 temp, 2.. attached) an
  ** op that touches one works on: transactions, cursor opens, schema and
  ** cookie ops, integrity check, page count, vacuum, checkpoint.  Set from
  ** the program's current database (vdbe_set_db) when the op is added. */
  int db;
  int p1, p2, p3;
  union {
    int i;
    int64_t i64; /* in the op itself: a constant needs no allocation of its own */
    double real;
    char *z;
    Mem *mem;
    const FuncDef *func;
    KeyInfo *keyinfo;
    VdbeWindow *window;
    Vdbe *sub;
    VdbeIdxm *idxm;
  } p4;
  char *comment; /* owned; shown by EXPLAIN */
} VdbeOp;

/* ---- building (codegen) --------------------------------------------------- */
Vdbe *vdbe_new(lode *db);
/* The database index stamped on the ops added from now on (VdbeOp.db), and
** the one of op addr. */
void vdbe_set_db(Vdbe *v, int db);
int vdbe_current_db(const Vdbe *v);
void vdbe_set_op_db(Vdbe *v, int addr, int db);
/* The databases (bit per index) the program and the trigger programs it
** runs use; *write gets those it writes. */
uint32_t vdbe_db_mask(Vdbe *v, uint32_t *write);
int vdbe_add_op(Vdbe *v, int opcode, int p1, int p2, int p3); /* returns address; -1 on oom (sticky) */
int vdbe_add_op4(Vdbe *v, int opcode, int p1, int p2, int p3, int p4type, const void *p4, int p4len);
int vdbe_add_op4_int(Vdbe *v, int opcode, int p1, int p2, int p3, int p4);
void vdbe_set_p5(Vdbe *v, int addr, uint16_t p5);
void vdbe_set_p2(Vdbe *v, int addr, int p2);
void vdbe_set_comment(Vdbe *v, int addr, const char *fmt, ...);
/* Drops the ops from addr on (code compiled to learn something about it);
** labels placed in them become unplaced. */
void vdbe_truncate(Vdbe *v, int addr);
int vdbe_current_addr(Vdbe *v);
int vdbe_make_label(Vdbe *v);            /* a negative number */
void vdbe_resolve_label(Vdbe *v, int label); /* label = current address */
/* The address a jump's p2 names: p2 itself, or the place of label p2; -1 for a label not placed yet. */
int vdbe_jump_address(Vdbe *v, int p2);
VdbeOp *vdbe_op_at(Vdbe *v, int addr);
/* Makes the op at addr a Noop, freeing its P4 (an op coded before the code
** after it showed it is not needed). */
void vdbe_change_to_noop(Vdbe *v, int addr);
int vdbe_oom(Vdbe *v);
/* Registers and cursors are numbered by codegen; it tells the VM how many. */
void vdbe_set_counts(Vdbe *v, int nmem, int ncursor);
/* Result columns. */
int vdbe_set_num_cols(Vdbe *v, int n);
int vdbe_set_col_name(Vdbe *v, int i, const char *name, const char *decltype_);
/* Result column i reads column `column` of table `table` (sqlite3_column_table_name/origin_name). */
int vdbe_set_col_origin(Vdbe *v, int i, const char *database, const char *table, const char *column);
/* Parameters: count and names (index 1..n; NULL for anonymous "?"). */
int vdbe_set_params(Vdbe *v, int nparam, const char *const *names);
void vdbe_set_sql(Vdbe *v, const char *sql, int n);
/* Exchanges the two programs' SQL texts: a re-prepared statement keeps the
** text (and its address, which sqlite3_sql callers may hold) it had. */
void vdbe_swap_sql(Vdbe *a, Vdbe *b);
void vdbe_set_flags(Vdbe *v, int readonly, int explain);
/* on: vdbe_set_comment does nothing (a program no EXPLAIN will list: the
** formatting and copy of each comment showed in prepare profiles). */
void vdbe_skip_comments(Vdbe *v, int on);
/* The program is a single-row INSERT, for which SQLite opens no statement
** journal: when it fails, the deferred foreign key violations it counted
** stay counted. */
void vdbe_set_fk_keeps_deferred(Vdbe *v);
/* Resolves labels and checks the program; after this it can run. */
int vdbe_finish(Vdbe *v);
/* A trigger program (built and finished like any program, never run on its
** own: Program ops run it in frames) becomes owned by top, the program of the
** statement whose Program ops name it; token identifies the trigger for
** the recursion check.  Returns LODE_NOMEM (sub is then freed). */
int vdbe_adopt(Vdbe *top, Vdbe *sub, const void *token);

/* ---- running (capi) ------------------------------------------------------- */
int vdbe_step(Vdbe *v);      /* LODE_ROW, LODE_DONE or an error code (message on the connection) */
int vdbe_reset(Vdbe *v);     /* returns the error code of the last run (0 if none) */
void vdbe_free(Vdbe *v);     /* resets first */
Mem *vdbe_result(Vdbe *v, int i); /* column i of the current row */
/* vdbe_result of a column the statement declares (vdbe_ncols): what the API reads. */
Mem *vdbe_column_result(Vdbe *v, int i);
int vdbe_ncols(Vdbe *v);
const char *vdbe_col_name(Vdbe *v, int i);
const char *vdbe_col_decltype(Vdbe *v, int i);
/* Its table (which 0), column (1) or database (2) name; NULL if none. */
const char *vdbe_col_origin(Vdbe *v, int i, int which);
int vdbe_nparams(Vdbe *v);
const char *vdbe_param_name(Vdbe *v, int i);
Mem *vdbe_param(Vdbe *v, int i); /* for binding; fails (NULL) while running */
/* Parameter i about to receive a new value: vdbe_param and vdbe_param_bound
** in one call (a bind's whole cost is a few checks).  NULL with *rc =
** LODE_MISUSE while v runs, LODE_RANGE for no such parameter. */
Mem *vdbe_param_rebind(Vdbe *v, int i, int *rc);
uint32_t vdbe_schema_gen(Vdbe *v); /* the connection's schema_gen when v was compiled */
/* Bound parameters and the plan (sqlite_stat4 estimates): while v is being
** compiled again, vdbe_plan_value reads the values bound to the program it
** replaces (set by vdbe_set_bound_from; NULL: none known).  The compile
** notes the parameters an estimate wanted (vdbe_plan_uses: bit i-1 for
** parameter i, bit 63 for 64 and beyond); binding one of them afterwards
** (vdbe_param_bound) expires v, and vdbe_expired tells its next step to
** compile it again (it also compares the values bound since with the
** estimates made with bound values, vdbe_plan_probe). */
void vdbe_set_bound_from(Vdbe *v, const Vdbe *from);
const Mem *vdbe_plan_value(const Vdbe *v, int i);
void vdbe_plan_uses(Vdbe *v, uint64_t params);
void vdbe_param_bound(Vdbe *v, int i); /* i <= 0: every parameter (cleared bindings) */
int vdbe_expired(Vdbe *v);
/* An estimate made with bound values (vdbe_probe.c): key[0..nfield) was
** compared with the first fields of nsample samples (samples[s][0..
** sample_n[s])) in the collations coll and directions desc; param[n] > 0
** says field n is that parameter's value (with affinity aff[n]), else the
** literal key[n].  Binding such a parameter expires v only when the new
** value compares otherwise with some sample.  Everything is copied. */
typedef struct VdbeProbe VdbeProbe;
int vdbe_plan_probe(Vdbe *v, int nfield, int nsample, const Mem *const *samples, const int *sample_n, const int *coll,
                    const int *desc, const char *aff, const int *param, const Mem *key);
/* Statement counters (sqlite3_stmt_status), numbered as SQLite numbers them;
** they live across runs and are carried over when a statement is compiled
** again (vdbe_status_carry, which counts the re-prepare). */
#define VDBE_STATUS_FULLSCAN_STEP 1 /* Next/Prev steps of loops over a whole table or index */
#define VDBE_STATUS_SORT 2          /* sorts (SorterSort with SORTER_COUNTED) */
#define VDBE_STATUS_AUTOINDEX 3     /* Next steps of the loops that fill automatic indexes */
#define VDBE_STATUS_VM_STEP 4       /* ops executed */
#define VDBE_STATUS_REPREPARE 5     /* compiles after a schema change */
#define VDBE_STATUS_RUN 6           /* runs started */
#define VDBE_STATUS_FILTER_MISS 7   /* OP_Filter tests that found the key absent */
#define VDBE_STATUS_FILTER_HIT 8    /* OP_Filter tests that found it maybe present */
#define VDBE_NSTATUS 9
uint32_t vdbe_status(Vdbe *v, int op, int reset);
void vdbe_status_carry(Vdbe *to, const Vdbe *from);
/* Approximate heap bytes of the program and its run state. */
int64_t vdbe_mem_used(const Vdbe *v);
const Mem *vdbe_param_value(Vdbe *v, int i); /* the value bound to parameter i, in any state (NULL: none) */
/* Incremental blob I/O (vdbe_blob.c) on table cursor `cursor` of a
** statement stepped to a row and held there: a field's class (LODE_INTEGER
** .. LODE_NULL), where its bytes lie in the row's record, and the count of
** the connection's table writes when it was found. */
typedef struct VdbeBlobField {
  int type;
  uint32_t offset, n;
  uint64_t twgen;
} VdbeBlobField;
/* Moves the cursor to row rowid and finds field `field` of its record;
** *found 0 when there is no such row.  LODE_ABORT once the run holds no
** cursor (it ended, or a rollback tripped it). */
int vdbe_blob_seek(Vdbe *v, int cursor, int64_t rowid, int field, VdbeBlobField *f, int *found);
/* Reads n bytes at off of field f of row rowid, finding the row again after
** a write; LODE_ABORT when it is gone or the field's type or size changed. */
int vdbe_blob_read(Vdbe *v, int cursor, int64_t rowid, int field, VdbeBlobField *f, uint32_t off, uint32_t n,
                   void *out);
/* Before the first step: the program opens `cursor` for writing, in a write
** transaction of its database, so that vdbe_blob_write can write through it. */
int vdbe_blob_writable(Vdbe *v, int cursor);
/* Overwrites n bytes at off of field f of row rowid in place, as
** vdbe_blob_read reads them (the preupdate upcall told first). */
int vdbe_blob_write(Vdbe *v, int cursor, int64_t rowid, int field, VdbeBlobField *f, uint32_t off, uint32_t n,
                    const void *in);
/* The one index cursor of a statement stepped to a row and held there, moved straight to the last entry <= key
** (as OP_SeekLE): an extension seeks a shadow index again and again through one run, with no step.  The entry's
** record goes into rec (its first cap bytes) and its size into *size; *found 0 when no entry is <= key.
** LODE_ABORT when the run holds no such cursor (it ended, a rollback tripped it, or it has none or several). */
int vdbe_blob_index_seek_le(Vdbe *v, const Mem *key, int nkey, void *rec, uint32_t cap, uint32_t *size, int *found);
int vdbe_is_running(Vdbe *v); /* stepped and not reset yet (also after DONE/error): binding is refused */
int vdbe_is_busy(Vdbe *v);    /* stepped, has not halted yet (sqlite3_stmt_busy) */
int vdbe_is_readonly(Vdbe *v);
int vdbe_is_explain(Vdbe *v);
const char *vdbe_sql(Vdbe *v);

#endif /* LODE_VDBE_H */
