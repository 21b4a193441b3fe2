/*
** mvcc.c — journal_mode=mvcc and BEGIN CONCURRENT: several connections of a
** process write one file at once, with snapshot isolation and row-level
** conflict detection (the second transaction interface, conn_txn_mvcc).
**
** Versions.  A concurrent transaction reads the WAL snapshot it took at
** BEGIN CONCURRENT (older rows come from the B-trees and the WAL on demand;
** nothing is loaded up front) and writes into its own page cache over that
** snapshot without the WAL write lock (pager.c, "concurrent write
** transactions").  The b-tree tells this file of every change by key before
** making it (btree_set_log): the transaction keeps a log of its changes
** (table rows by rowid with their records, index entries by key, clears,
** header fields) and its write set, the keys it changed.
**
** Commit.  Under the write lock (SQLITE_BUSY while another connection holds
** it: an exclusive transaction; the concurrent one stays open and COMMIT can
** be retried) either nothing was committed since the snapshot and the
** transaction's pages are committed as any writer's, or its pages are
** stale: its write set is checked against every transaction that committed
** since it began (write-write conflict: LODE_BUSY_SNAPSHOT, the transaction
** is rolled back; a schema change: LODE_SCHEMA), then its pages are dropped,
** the latest snapshot taken under the lock and the log made again by key on
** it (a UNIQUE key another transaction took meanwhile: the constraint error),
** and that is committed.  A write that meets a key another active
** concurrent transaction of the process already changed (or one committed
** since this one began) fails at once with LODE_BUSY_SNAPSHOT and rolls the
** transaction back: the first writer of a row wins, as in Hekaton.
**
** The file (MvFile, one per file per process, shared by its connections)
** keeps a logical clock, the active concurrent transactions with their
** write sets, and the write sets of the transactions committed since the
** oldest active one began (an exclusive writer's keys are kept too).  Each
** commit records the snapshot tags before and after it (btree_snapshot_tag),
** so that a commit this process did not see (another process; a checkpoint
** that restarted the WAL is recorded like a commit) breaks the chain and is
** counted as a conflict.  Commits and the snapshot of BEGIN CONCURRENT are
** taken under the file's commit mutex: a commit is wholly before a begin (in
** its snapshot, a smaller timestamp) or wholly after it.  The keys, the
** commits kept and the active transactions have a mutex of their own, which
** no I/O is done under: the changes a transaction makes while another
** commits do not wait for that commit's WAL writes.
**
** Keys: a table row is (root, rowid); an index entry counts only for an
** index whose entries must be unique (UNIQUE, a WITHOUT ROWID table's
** PRIMARY KEY): (root, its key fields' bytes), none of them NULL; other index
** entries change with their row.  Every change also marks its root, and a
** clear (DELETE without WHERE) conflicts with any change of that root.  A
** write set only grows in a transaction (a statement undone keeps its keys:
** at worst a needless conflict).  The mode lives in the database header's
** bytes reserved for expansion (BTREE_META_LODE_MODE; sqlite3 keeps them and
** its VACUUM clears them), so a file in mvcc mode is an ordinary WAL
** database to sqlite3, whose commits all reach the WAL.
**
** Lock order: the file's commit mutex, its mutex, then the pager's (the
** pager takes its own).
*/
#include <assert.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "conn/conn_int.h"
#include "os/os.h"
#include "util/util.h"

#define MV_MODE_MAGIC 0x4c4d5631u /* "LMV1" in the header: journal_mode=mvcc */
#define MV_DDL_MESSAGE "DDL statements require an exclusive transaction (use BEGIN instead of BEGIN CONCURRENT)"
#define MV_CONFLICT_MESSAGE "database is locked (write-write conflict)"
#define MV_SCHEMA_MESSAGE "database schema has changed since the concurrent transaction began"

/* Kinds of write-set entries; an entry's id hashes kind, root and key. */
enum { MV_ROW = 1, MV_UKEY, MV_ROOT, MV_CLEAR, MV_META, MV_SCHEMA };

/* ---- sets of 64-bit ids ------------------------------------------------------- */

typedef struct MvSet {
  uint64_t *slots; /* 0 = empty */
  uint32_t cap, count;
  uint64_t *list; /* the ids in insertion order (for validation) */
  uint8_t *kinds;
  uint32_t *roots;
} MvSet;

static uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h ? h : 1;
}

static uint64_t id_of(int kind, uint32_t root, uint64_t key) {
  return mix(((uint64_t)kind << 56) ^ ((uint64_t)root << 20) ^ mix(key + (uint64_t)kind));
}

static int set_has(const MvSet *s, uint64_t id) {
  if (!s->cap) return 0;
  for (uint32_t i = (uint32_t)id & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
    if (s->slots[i] == id) return 1;
    if (!s->slots[i]) return 0;
  }
}

static int set_add(MvSet *s, uint64_t id, int kind, uint32_t root) {
  if (set_has(s, id)) return LODE_OK;
  if ((s->count + 1) * 2 > s->cap) {
    uint32_t cap = s->cap ? s->cap * 2 : 64;
    uint64_t *slots = util_zalloc(sizeof *slots * cap);
    uint64_t *list = util_realloc(s->list, sizeof *list * cap);
    if (list) s->list = list;
    uint8_t *kinds = util_realloc(s->kinds, cap);
    if (kinds) s->kinds = kinds;
    uint32_t *roots = util_realloc(s->roots, sizeof *roots * cap);
    if (roots) s->roots = roots;
    if (!slots || !list || !kinds || !roots) {
      util_free(slots);
      return LODE_NOMEM;
    }
    for (uint32_t j = 0; j < s->count; j++) {
      uint32_t i = (uint32_t)s->list[j] & (cap - 1);
      while (slots[i]) i = (i + 1) & (cap - 1);
      slots[i] = s->list[j];
    }
    util_free(s->slots);
    s->slots = slots;
    s->cap = cap;
  }
  uint32_t i = (uint32_t)id & (s->cap - 1);
  while (s->slots[i]) i = (i + 1) & (s->cap - 1);
  s->slots[i] = id;
  s->list[s->count] = id;
  s->kinds[s->count] = (uint8_t)kind;
  s->roots[s->count] = root;
  s->count++;
  return LODE_OK;
}

static void set_free(MvSet *s) {
  util_free(s->slots);
  util_free(s->list);
  util_free(s->kinds);
  util_free(s->roots);
  memset(s, 0, sizeof *s);
}

/* Whether a change in a (entries of set a) conflicts with the changes of b. */
static int sets_conflict(const MvSet *a, const MvSet *b) {
  if (!b->count) return 0;
  for (uint32_t j = 0; j < a->count; j++) {
    int kind = a->kinds[j];
    uint32_t root = a->roots[j];
    if (kind == MV_ROOT) {
      if (set_has(b, id_of(MV_CLEAR, root, 0))) return 1;
    } else if (kind == MV_CLEAR) {
      if (set_has(b, id_of(MV_ROOT, root, 0))) return 1;
    } else if (kind != MV_SCHEMA && set_has(b, a->list[j])) {
      return 1;
    }
  }
  return 0;
}

/* ---- the file: shared by the connections of this process ------------------------- */

typedef struct MvCommit {
  uint64_t ts;
  uint64_t tag_before, tag_after;
  MvSet keys;
  struct MvCommit *next;
} MvCommit;

typedef struct MvRowid {
  uint32_t root;
  int64_t last;
} MvRowid;

/* The drain before a checkpoint (see MvFile.draining): how long new
** concurrent transactions wait for the running ones to end, and how long
** after a drain that timed out no new one starts. */
#define MV_DRAIN_WAIT_MS 20
#define MV_DRAIN_WAIT_MAX_MS 640
#define MV_DRAIN_BACKOFF_MS 200

typedef struct MvFile {
  const void *id;
  int nref;
  struct MvFile *next;
  /* commit_mutex is held over a commit (from the validation to its record)
  ** and over the snapshot of BEGIN CONCURRENT with its timestamp, so that a
  ** commit is wholly before a begin (in its snapshot, a smaller timestamp)
  ** or wholly after it; mutex guards the fields below, taken briefly (by
  ** every change a transaction makes: its keys), never over I/O. */
  pthread_mutex_t commit_mutex;
  pthread_mutex_t mutex;
  /* The WAL should start over (it reached PAGER_RESTART_FACTOR times its
  ** autocheckpoint size) while concurrent transactions run: their snapshots
  ** keep a checkpoint from copying all of it, so it could never start over,
  ** and they always overlap when writers are busy.  So new concurrent
  ** transactions wait (at most drain_wait_ms from the start of the drain,
  ** and not when their thread runs one of the others) until the
  ** running ones have ended and the last of them has checkpointed
  ** (drain_ckpt while it does); then the next commit starts the WAL over.
  ** drained is signalled at the end. */
  int draining, drain_ckpt;
  int drain_first; /* the checkpoint before a drain runs */
  struct timespec drain_deadline;
  struct timespec no_drain_before; /* after a drain that timed out */
  /* A drain that timed out doubles the next one's wait (up to
  ** MV_DRAIN_WAIT_MAX_MS), one that ended in time sets it back to
  ** MV_DRAIN_WAIT_MS: on a loaded machine the transactions a drain waits for
  ** may not get the processor within the short wait, and the WAL would grow
  ** without end if every drain gave up. */
  int drain_wait_ms;
  pthread_cond_t drained;
  /* Connections between the COMMIT of a concurrent transaction and the end
  ** of its read transaction (after its sync and checkpoint): no longer
  ** active, but their snapshots hold the WAL and their threads' next
  ** transactions will be active (see others_writing).  A drain's
  ** checkpoint waits for them as for the active ones. */
  int committing;
  /* The last two connections that committed a concurrent transaction, on
  ** which thread and when (CLOCK_MONOTONIC, µs): compared, never followed. */
  const struct ConnMv *committer[2];
  pthread_t committer_thread[2];
  int64_t committed_us[2];
  uint64_t clock;
  struct ConnMv *active; /* concurrent transactions that began and have not ended */
  MvCommit *commits, *last_commit; /* oldest first */
  MvRowid *rowids;                 /* rowids handed out while concurrent transactions run */
  int nrowids, rowid_cap;
} MvFile;

static MvFile *files;
static pthread_mutex_t files_mutex = PTHREAD_MUTEX_INITIALIZER;

/* ---- one database of one connection ------------------------------------------------ */

typedef struct MvChange {
  uint8_t op; /* BTREE_LOG_* */
  uint8_t intkey;
  uint32_t root;
  int64_t rowid; /* table rows; META: the value */
  uint8_t *data; /* record or key (util_malloc'd), NULL for a table delete or when in the log file */
  uint32_t n;
  int64_t off; /* in_file: where the n bytes are in the log file */
  uint8_t in_file;
  uint32_t epoch; /* the pager's savepoint epoch it was made in (btree_trace_epoch) */
} MvChange;

/* A concurrent transaction keeps the records of its changes in memory up to
** this many bytes, later ones in a temporary file of its own: memory stays
** bounded however much it writes (its pages spill as well: pager). */
#define MV_LOG_MEMORY (1u << 20)

/* What the transaction needs of an index b-tree, copied from the schema (a
** statement may reload the schema, freeing its Index objects, before COMMIT
** makes the changes again). */
typedef struct MvRoot {
  uint32_t root;
  int unique;    /* UNIQUE, or a WITHOUT ROWID table's PRIMARY KEY */
  int nkey;      /* its key columns */
  int pk;        /* a PRIMARY KEY (the constraint error's code) */
  KeyInfo *k;    /* the entries' order */
  char *message; /* "UNIQUE constraint failed: t.a, t.b" */
} MvRoot;

struct ConnMv {
  lode *db;
  ConnDb *d;
  MvFile *file;
  int on;         /* the database is in mvcc mode (read at the start of each write) */
  int concurrent; /* a concurrent transaction runs (from BEGIN CONCURRENT to its end) */
  int logging;    /* the b-tree reports changes to this transaction */
  int failed;     /* a conflict doomed the concurrent transaction: it is rolled back */
  uint64_t begin_ts, begin_tag;
  pthread_t thread; /* that began the concurrent transaction */
  struct ConnMv *next_active;
  MvSet keys;
  MvChange *log; /* concurrent transactions only: what to make again on a newer snapshot */
  uint32_t nlog, log_cap;
  uint64_t log_mem;     /* bytes of records in memory */
  OsFile *log_file;     /* records past MV_LOG_MEMORY, opened when first needed */
  int64_t log_file_end;
  uint8_t *replay_buf;  /* a record read back from the log file */
  uint32_t replay_cap;
  uint32_t *marks; /* log length at each savepoint depth */
  int nmarks;
  MvRoot *roots; /* root → index, kept while the schema they were built from is current (roots_current) */
  int nroots;
  int roots_built;
  const Schema *roots_schema; /* what they were built from */
  uint32_t roots_cookie, roots_gen;
  int drain_last; /* ended its concurrent transaction at COMMIT as the last a drain waited for (mv_end_read) */
  int committed;  /* counted in MvFile.committing until mv_end_read */
};

static void file_lock(MvFile *f) { pthread_mutex_lock(&f->mutex); }
static void file_unlock(MvFile *f) { pthread_mutex_unlock(&f->mutex); }
static void commit_lock(MvFile *f) { pthread_mutex_lock(&f->commit_mutex); }
static void commit_unlock(MvFile *f) { pthread_mutex_unlock(&f->commit_mutex); }

/* ---- the drain before a checkpoint (MvFile.draining) ---------------------------------- */

static struct timespec time_after_ms(int ms) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  t.tv_nsec += (long)(ms % 1000) * 1000000L;
  t.tv_sec += ms / 1000 + t.tv_nsec / 1000000000L;
  t.tv_nsec %= 1000000000L;
  return t;
}

static int time_passed(const struct timespec *t) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

/* Under the mutex: the drain is over (done, or given up). */
static void drain_end(MvFile *f, int gave_up) {
  f->draining = 0;
  f->drain_ckpt = 0;
  if (gave_up) {
    f->no_drain_before = time_after_ms(MV_DRAIN_BACKOFF_MS);
    f->drain_wait_ms = f->drain_wait_ms * 2 > MV_DRAIN_WAIT_MAX_MS ? MV_DRAIN_WAIT_MAX_MS : f->drain_wait_ms * 2;
  } else {
    f->drain_wait_ms = MV_DRAIN_WAIT_MS;
  }
  pthread_cond_broadcast(&f->drained);
}

/* Under the mutex, before a concurrent transaction begins: waits out a
** drain, unless this thread runs one of the transactions it waits for. */
static void drain_wait(MvFile *f) {
  for (;;) {
    if (!f->draining) return;
    for (ConnMv *o = f->active; o; o = o->next_active)
      if (pthread_equal(o->thread, pthread_self())) return;
    if (f->drain_ckpt) {
      pthread_cond_wait(&f->drained, &f->mutex); /* the checkpoint: I/O of a bounded size */
    } else if (pthread_cond_timedwait(&f->drained, &f->mutex, &f->drain_deadline) != 0 && f->draining &&
               !f->drain_ckpt && time_passed(&f->drain_deadline)) {
      drain_end(f, 1); /* a long transaction: the WAL grows until a later drain */
      return;
    }
  }
}

/* A connection of another thread that committed a concurrent transaction at
** most this long before the caller's commit, or twice the time the caller's
** commit took to be synced, is still writing: between two of its
** transactions (its read transaction ended, the next not yet begun) it is
** neither active nor committing, and with group syncs two writers' commits
** lie up to a sync apart.  Connections of one thread take turns: one of
** them writes alone. */
#define MV_WRITER_RECENT_US 2000

static int64_t mono_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* Under the mutex: another connection runs a concurrent transaction, or
** committed one and has not yet ended its read transaction (it waits for
** its sync; its thread is about to begin the next), or committed one
** lately.  m itself is committing.  A checkpoint taken for that of a lone
** writer would copy the frames of the last autocheckpoint size and sync
** twice for them, and again at the next, since the next transaction of the
** other holds the WAL from starting over. */
static int others_writing(ConnMv *m) {
  MvFile *f = m->file;
  for (ConnMv *o = f->active; o; o = o->next_active)
    if (o != m) return 1;
  if (f->committing > m->committed) return 1;
  int64_t now = mono_us();
  int64_t mine = f->committer[0] == m ? f->committed_us[0] : f->committer[1] == m ? f->committed_us[1] : now;
  int64_t recent = 2 * (now - mine) > MV_WRITER_RECENT_US ? 2 * (now - mine) : MV_WRITER_RECENT_US;
  for (int i = 0; i < 2; i++)
    if (f->committer[i] && f->committer[i] != m && !pthread_equal(f->committer_thread[i], pthread_self()) &&
        f->committed_us[i] > mine - recent)
      return 1;
  return 0;
}

/* Under the mutex: m committed a concurrent transaction. */
static void note_committer(MvFile *f, const ConnMv *m) {
  if (f->committer[0] != m) {
    f->committer[1] = f->committer[0];
    f->committer_thread[1] = f->committer_thread[0];
    f->committed_us[1] = f->committed_us[0];
  }
  f->committer[0] = m;
  f->committer_thread[0] = pthread_self();
  f->committed_us[0] = mono_us();
}

/* A commit of m left an automatic checkpoint due (PAGER_CKPT_DUE_*).  With
** no other concurrent transaction running, it runs at once.  Otherwise
** nothing is copied until the WAL is RESTART long: then the frames are
** copied as far as the others' snapshots let (they go on meanwhile: the
** checkpoint's I/O holds no lock of theirs) and a drain starts, so that the
** drain's own checkpoint has little left.  One copy of the WAL's pages per
** restart instead of one per autocheckpoint size: while several writers
** commit, the pages their rows are on come back in every stretch of the
** WAL, and each copy cost its committer two syncs, which the others' group
** syncs then did not share.  While no drain may start (one timed out) the
** frames are copied every autocheckpoint size, as the WAL grows meanwhile.
** During a drain nothing else is checkpointed (the drain's last would find
** the checkpoint lock taken). */
static void drain_start(ConnMv *m, int due) {
  MvFile *f = m->file;
  file_lock(f);
  int others = others_writing(m), idle = !f->draining && !f->drain_first;
  int start = others && (due & PAGER_CKPT_DUE_RESTART) && idle && time_passed(&f->no_drain_before);
  f->drain_first |= start;
  file_unlock(f);
  int copy = idle && (due & PAGER_CKPT_DUE_COPY) && (due & PAGER_CKPT_DUE_RESTART);
  if (others && !start && !copy) return;
  btree_autocheckpoint(m->d->bt);
  if (!start) return;
  file_lock(f);
  f->drain_first = 0;
  f->draining = 1;
  f->drain_deadline = time_after_ms(f->drain_wait_ms);
  if (!f->active && f->committing == m->committed) {
    /* The others ended meanwhile (or were between transactions): none is
    ** left to end last, and the drain would only time out.  This
    ** connection is the last: it checkpoints once its snapshot is released
    ** (mv_end_read), as the last to end would.  drain_ckpt is set only
    ** then (mv_end_commit), so that a new transaction of this thread on
    ** another connection, begun while a statement keeps this one's read
    ** transaction, waits at most the drain's time, not for itself. */
    m->drain_last = 1;
  }
  file_unlock(f);
}

/* Commits no active concurrent transaction needs go; with none active, all
** of them and the rowids handed out. */
static void file_prune(MvFile *f) {
  uint64_t oldest = UINT64_MAX;
  for (ConnMv *m = f->active; m; m = m->next_active)
    if (m->begin_ts < oldest) oldest = m->begin_ts;
  while (f->commits && f->commits->ts <= oldest) {
    MvCommit *c = f->commits;
    f->commits = c->next;
    set_free(&c->keys);
    util_free(c);
  }
  if (!f->commits) f->last_commit = NULL;
  if (!f->active) f->nrowids = 0;
}

/* ---- the root map ----------------------------------------------------------------- */

static void roots_free(ConnMv *m) {
  for (int i = 0; i < m->nroots; i++) {
    keyinfo_free(m->roots[i].k);
    util_free(m->roots[i].message);
  }
  m->nroots = 0;
  m->roots_built = 0;
}

static int roots_add(ConnMv *m, const Index *ix) {
  if (!ix->root) return LODE_OK;
  MvRoot *r = util_realloc(m->roots, sizeof *r * (size_t)(m->nroots + 1));
  if (!r) return LODE_NOMEM;
  m->roots = r;
  StrBuf b;
  strbuf_init(&b);
  strbuf_appendz(&b, "UNIQUE constraint failed: ");
  /* appended piece by piece: a format's parsing cost more than the rest of
  ** the map, which every write transaction that changes an index builds */
  for (int j = 0; j < ix->nkey; j++) {
    int cid = ix->cols[j].cid;
    if (j) strbuf_appendz(&b, ", ");
    strbuf_appendz(&b, ix->table->name);
    strbuf_appendz(&b, ".");
    strbuf_appendz(&b, cid >= 0 && cid < ix->table->ncols ? ix->table->cols[cid].name : "?");
  }
  MvRoot one = {ix->root, ix->unique, ix->nkey, ix->origin == INDEX_ORIGIN_PK, index_keyinfo(ix), strbuf_finish(&b)};
  if (!one.k || !one.message) {
    keyinfo_free(one.k);
    util_free(one.message);
    return LODE_NOMEM;
  }
  m->roots[m->nroots++] = one;
  return LODE_OK;
}

static int roots_build(ConnMv *m) {
  roots_free(m);
  m->roots_built = 1;
  Schema *s = m->d->schema;
  m->roots_schema = s;
  m->roots_cookie = s ? s->cookie : 0;
  m->roots_gen = m->db->schema_gen;
  if (!s) return LODE_OK;
  int rc = LODE_OK;
  for (int i = 0; rc == LODE_OK && i < s->ntables; i++) {
    Table *t = s->tables[i];
    if (t->without_rowid && t->pk) rc = roots_add(m, t->pk);
    for (Index *ix = t->indexes; rc == LODE_OK && ix; ix = ix->next)
      if (ix->root != t->root || !t->without_rowid) rc = roots_add(m, ix);
  }
  return rc;
}

/* The map outlives its transaction (building it is a good part of a small
** transaction's own work): it stays while the schema is the one it was built
** from, the same object at the same cookie with no rollback of schema
** changes since (schema_gen); a change of the schema by this transaction
** drops it (on_row, on_other). */
static int roots_current(const ConnMv *m) {
  const Schema *s = m->d->schema;
  return m->roots_built && m->roots_schema == s && (!s || s->cookie == m->roots_cookie) &&
         m->roots_gen == m->db->schema_gen;
}

/* The index b-tree at root as the schema describes it; NULL for a table or
** a tree it does not describe (an index method's store). */
static const MvRoot *root_index(ConnMv *m, uint32_t root) {
  if (!roots_current(m) && roots_build(m) != LODE_OK) return NULL;
  for (int i = 0; i < m->nroots; i++)
    if (m->roots[i].root == root) return &m->roots[i];
  return NULL;
}

/* The hash of the first nkey fields of an index record; 0 when one is NULL
** (NULLs never collide in a UNIQUE index) or the record is malformed. */
static uint64_t key_prefix_hash(const uint8_t *rec, uint32_t n, int nkey) {
  RecordHeader h;
  record_header_init(&h);
  uint64_t hash = 0;
  if (record_header_parse(&h, rec, n, n) == LODE_OK && h.ncol >= nkey) {
    hash = 1469598103934665603ull;
    for (int j = 0; j < nkey && hash; j++) {
      uint64_t type = h.types[j];
      uint32_t len = record_serial_len(type);
      if (type == 0 || h.offsets[j] + (uint64_t)len > n) {
        hash = 0;
        break;
      }
      hash = (hash ^ type) * 1099511628211ull;
      for (uint32_t k = 0; k < len; k++) hash = (hash ^ rec[h.offsets[j] + k]) * 1099511628211ull;
    }
  }
  record_header_free(&h);
  return hash;
}

/* ---- the b-tree's change log ------------------------------------------------------- */

/* A write of this concurrent transaction meets another's (under the mutex):
** LODE_BUSY_SNAPSHOT, or LODE_SCHEMA when the schema changed since it began. */
static int meets_other(ConnMv *m, const MvSet *mine) {
  MvFile *f = m->file;
  for (MvCommit *c = f->commits; c; c = c->next) {
    if (c->ts <= m->begin_ts) continue;
    if (set_has(&c->keys, id_of(MV_SCHEMA, 0, 0))) return LODE_SCHEMA;
    if (sets_conflict(mine, &c->keys)) return LODE_BUSY_SNAPSHOT;
  }
  for (ConnMv *o = f->active; o; o = o->next_active)
    if (o != m && sets_conflict(mine, &o->keys)) return LODE_BUSY_SNAPSHOT;
  return LODE_OK;
}

/* The concurrent transaction cannot commit: it is rolled back.  A schema
** change is no SQLITE_SCHEMA (that code makes a statement prepare again and
** run anew, here outside the transaction): the application retries. */
static int conflict(ConnMv *m, int why) {
  m->failed = 1;
  return conn_error(m->db, LODE_BUSY_SNAPSHOT, why == LODE_SCHEMA ? MV_SCHEMA_MESSAGE : MV_CONFLICT_MESSAGE);
}

/* Adds the keys of one change; a concurrent transaction checks them first. */
static int note_keys(ConnMv *m, const uint64_t *ids, const int *kinds, uint32_t root, int n) {
  MvFile *f = m->file;
  int rc = LODE_OK;
  file_lock(f);
  if (m->concurrent) {
    uint64_t list[2];
    uint8_t k[2];
    uint32_t r[2] = {root, root};
    for (int i = 0; i < n; i++) list[i] = ids[i], k[i] = (uint8_t)kinds[i];
    MvSet probe = {NULL, 0, (uint32_t)n, list, k, r};
    rc = meets_other(m, &probe);
  }
  for (int i = 0; rc == LODE_OK && i < n; i++) rc = set_add(&m->keys, ids[i], kinds[i], root);
  file_unlock(f);
  return rc == LODE_BUSY_SNAPSHOT || rc == LODE_SCHEMA ? conflict(m, rc) : rc;
}

static int log_append(ConnMv *m, int op, int intkey, uint32_t root, int64_t rowid, const void *data, uint32_t n) {
  btree_trace_mark(m->d->bt); /* each change an epoch of its own (pager_trace_mark) */
  if (m->nlog == m->log_cap) {
    uint32_t cap = m->log_cap ? m->log_cap * 2 : 64;
    MvChange *log = util_realloc(m->log, sizeof *log * cap);
    if (!log) return LODE_NOMEM;
    m->log = log;
    m->log_cap = cap;
  }
  MvChange ch = {(uint8_t)op, (uint8_t)intkey, root, rowid, NULL, n, 0, 0, btree_trace_epoch(m->d->bt)};
  if (data && n > 0 && m->log_mem + n > MV_LOG_MEMORY) {
    int rc = m->log_file ? LODE_OK : conn_open_temp(m->db, "mvcc-log", &m->log_file);
    if (rc == LODE_OK) rc = os_write(m->log_file, data, n, m->log_file_end);
    if (rc != LODE_OK) return rc;
    ch.in_file = 1;
    ch.off = m->log_file_end;
    m->log_file_end += n;
  } else if (data) {
    ch.data = util_malloc(n ? n : 1);
    if (!ch.data) return LODE_NOMEM;
    memcpy(ch.data, data, n);
    m->log_mem += n;
  }
  m->log[m->nlog++] = ch;
  return LODE_OK;
}

static void log_truncate(ConnMv *m, uint32_t n) {
  int64_t used = m->log_file_end;
  while (m->nlog > n) {
    MvChange *ch = &m->log[--m->nlog];
    if (ch->in_file) {
      m->log_file_end = ch->off; /* appended in order: the file ends where the first dropped one began */
    } else if (ch->data) {
      m->log_mem -= ch->n;
      util_free(ch->data);
    }
  }
  if (n == 0 && used > 0) (void)os_truncate(m->log_file, 0); /* its space back */
}

/* The record of a change, read back from the log file when it is there. */
static int log_data(ConnMv *m, const MvChange *ch, const uint8_t **out) {
  *out = ch->data;
  if (!ch->in_file) return LODE_OK;
  if (ch->n > m->replay_cap) {
    uint8_t *b = util_realloc(m->replay_buf, ch->n);
    if (!b) return LODE_NOMEM;
    m->replay_buf = b;
    m->replay_cap = ch->n;
  }
  *out = m->replay_buf;
  return os_read(m->log_file, m->replay_buf, ch->n, ch->off);
}

static int on_row(void *ctx, uint32_t root, int op, int intkey, int64_t rowid, const void *key, uint32_t n) {
  ConnMv *m = ctx;
  if (root == BTREE_SCHEMA_ROOT && m->concurrent) return conn_error(m->db, LODE_ERROR, MV_DDL_MESSAGE);
  if (root == BTREE_SCHEMA_ROOT) roots_free(m); /* the schema changes: the map is built again when next asked */
  uint64_t ids[2];
  int kinds[2], nid = 0;
  ids[nid] = id_of(MV_ROOT, root, 0), kinds[nid++] = MV_ROOT;
  if (root == BTREE_SCHEMA_ROOT) {
    ids[nid] = id_of(MV_SCHEMA, 0, 0), kinds[nid++] = MV_SCHEMA;
  } else if (intkey) {
    ids[nid] = id_of(MV_ROW, root, (uint64_t)rowid), kinds[nid++] = MV_ROW;
  } else {
    const MvRoot *ix = root_index(m, root);
    uint64_t h = ix && ix->unique ? key_prefix_hash(key, n, ix->nkey) : 0;
    if (h) ids[nid] = id_of(MV_UKEY, root, h), kinds[nid++] = MV_UKEY;
  }
  int rc = note_keys(m, ids, kinds, root, nid);
  if (rc == LODE_OK && m->concurrent) rc = log_append(m, op, intkey, root, rowid, key, n);
  return rc;
}

static int on_other(void *ctx, int op, uint32_t arg, uint32_t value) {
  ConnMv *m = ctx;
  uint64_t id;
  int kind;
  if (op == BTREE_LOG_STRUCTURE || (op == BTREE_LOG_META && arg == BTREE_META_SCHEMA_COOKIE)) {
    if (m->concurrent) return conn_error(m->db, LODE_ERROR, MV_DDL_MESSAGE);
    roots_free(m);
    id = id_of(MV_SCHEMA, 0, 0), kind = MV_SCHEMA;
  } else if (op == BTREE_LOG_CLEAR) {
    id = id_of(MV_CLEAR, arg, 0), kind = MV_CLEAR;
  } else {
    id = id_of(MV_META, 0, arg), kind = MV_META;
  }
  int rc = note_keys(m, &id, &kind, op == BTREE_LOG_CLEAR ? arg : 0, 1);
  if (rc == LODE_OK && m->concurrent) rc = log_append(m, op, 0, arg, value, NULL, 0);
  return rc;
}

static const BtreeLog mv_log = {on_row, on_other};

/* ---- making the log again on the latest snapshot ------------------------------------ */

typedef struct ReplayKey {
  const KeyInfo *k;
  Mem *vals;
  int n;
  int rc;
} ReplayKey;

static int replay_compare(void *ctx, const void *rec, uint32_t n) {
  ReplayKey *r = ctx;
  int cmp = 0, rc = record_compare(r->k, rec, n, r->vals, r->n, &cmp);
  if (rc != LODE_OK) {
    r->rc = rc;
    return 1;
  }
  return cmp;
}

/* Decodes a key record into vals (text and blobs borrowed from rec). */
static int unpack(const uint8_t *rec, uint32_t n, Mem **vals, int *nvals) {
  RecordHeader h;
  record_header_init(&h);
  int rc = record_header_parse(&h, rec, n, n);
  *vals = NULL;
  *nvals = 0;
  if (rc == LODE_OK) {
    *vals = util_zalloc(sizeof **vals * (size_t)(h.ncol ? h.ncol : 1));
    if (!*vals) rc = LODE_NOMEM;
  }
  for (int j = 0; rc == LODE_OK && j < h.ncol; j++) {
    if (h.offsets[j] + (uint64_t)record_serial_len(h.types[j]) > n) rc = LODE_CORRUPT;
    else record_decode_value(rec + h.offsets[j], h.types[j], &(*vals)[j]);
  }
  if (rc == LODE_OK) *nvals = h.ncol;
  record_header_free(&h);
  return rc;
}

/* One index change: a unique key another transaction took is an error. */
static int replay_key(ConnMv *m, BtCursor *c, const MvChange *ch, const uint8_t *data) {
  const MvRoot *ix = root_index(m, ch->root);
  KeyInfo *k = ix ? ix->k : keyinfo_new(0);
  Mem *vals = NULL;
  int nvals = 0, cmp = 0, rc = k ? unpack(data, ch->n, &vals, &nvals) : LODE_NOMEM;
  ReplayKey rk = {k, vals, nvals, LODE_OK};
  if (rc == LODE_OK && ch->op == BTREE_LOG_INSERT && ix && ix->unique && key_prefix_hash(data, ch->n, ix->nkey)) {
    rk.n = ix->nkey < nvals ? ix->nkey : nvals;
    rc = btree_seek_key(c, replay_compare, &rk, &cmp);
    if (rc == LODE_OK) rc = rk.rc;
    if (rc == LODE_OK && !btree_eof(c) && cmp == 0)
      rc = conn_error(m->db, ix->pk ? LODE_CONSTRAINT_PRIMARYKEY : LODE_CONSTRAINT_UNIQUE, "%s", ix->message);
    rk.n = nvals;
  }
  if (rc == LODE_OK && ch->op == BTREE_LOG_INSERT) {
    rc = btree_insert_key(c, data, ch->n, replay_compare, &rk);
  } else if (rc == LODE_OK) {
    rc = btree_seek_key(c, replay_compare, &rk, &cmp);
    if (rc == LODE_OK && !btree_eof(c) && cmp == 0) rc = btree_delete(c);
  }
  if (rc == LODE_OK) rc = rk.rc;
  util_free(vals);
  if (!ix) keyinfo_free(k);
  return rc;
}

static int replay_row(BtCursor *c, const MvChange *ch, const uint8_t *data) {
  if (ch->op == BTREE_LOG_INSERT) return btree_insert(c, ch->rowid, data, ch->n);
  int cmp = 0, rc = btree_seek_rowid(c, ch->rowid, &cmp);
  if (rc == LODE_OK && !btree_eof(c) && cmp == 0) rc = btree_delete(c);
  return rc;
}

/* Makes the changes of epochs from keep on again (the earlier ones the
** rebase kept as pages). */
static int replay(ConnMv *m, uint32_t keep) {
  Btree *bt = m->d->bt;
  int rc = LODE_OK;
  if (!roots_current(m)) rc = roots_build(m);
  for (uint32_t i = 0; rc == LODE_OK && i < m->nlog; i++) {
    const MvChange *ch = &m->log[i];
    if (ch->epoch < keep) continue;
    if (ch->op == BTREE_LOG_CLEAR) {
      rc = btree_clear(bt, ch->root, NULL);
    } else if (ch->op == BTREE_LOG_META) {
      rc = btree_set_meta(bt, (int)ch->root, (uint32_t)ch->rowid);
    } else {
      BtCursor *c = NULL;
      const uint8_t *data = NULL;
      rc = log_data(m, ch, &data);
      if (rc == LODE_OK) rc = btree_cursor_open(bt, ch->root, 1, &c);
      if (rc == LODE_OK) rc = ch->intkey ? replay_row(c, ch, data) : replay_key(m, c, ch, data);
      if (c) btree_cursor_close(c);
    }
  }
  return rc;
}

/* ---- the transaction's lifetime ----------------------------------------------------------- */

static void mv_forget(ConnMv *m) {
  log_truncate(m, 0);
  file_lock(m->file); /* other transactions read an active one's keys */
  set_free(&m->keys);
  file_unlock(m->file);
  m->nmarks = 0;
  m->logging = 0;
  btree_set_log(m->d->bt, NULL, NULL);
}

/* Under the mutex: the caller ended the last transaction a drain waits for
** (drain_ckpt set: it checkpoints, then calls drain_done). */
static int drain_is_last(MvFile *f) {
  int last = f->draining && !f->drain_ckpt && !f->active && !f->committing;
  if (last) f->drain_ckpt = 1;
  return last;
}

/* The concurrent transaction is over (committed, rolled back, or ended
** without writing).  1 when it was the last a drain waited for: the caller
** checkpoints once its snapshot is released, then calls drain_done. */
static int mv_end_concurrent(ConnMv *m, int committed) {
  if (!m->concurrent) return 0;
  MvFile *f = m->file;
  file_lock(f);
  if (committed && !m->committed) {
    f->committing++;
    m->committed = 1;
    note_committer(f, m);
  }
  for (ConnMv **pp = &f->active; *pp; pp = &(*pp)->next_active) {
    if (*pp == m) {
      *pp = m->next_active;
      break;
    }
  }
  file_prune(f);
  int last = drain_is_last(f);
  file_unlock(f);
  m->concurrent = 0;
  m->next_active = NULL;
  return last;
}

/* m's COMMIT is over and its snapshot released; 1 as in mv_end_concurrent. */
static int mv_end_commit(ConnMv *m) {
  if (!m->committed) return 0;
  MvFile *f = m->file;
  file_lock(f);
  f->committing--;
  m->committed = 0;
  int last = drain_is_last(f);
  file_unlock(f);
  return last;
}

static void drain_done(MvFile *f) {
  file_lock(f);
  drain_end(f, 0);
  file_unlock(f);
}

/* Under the commit mutex: a commit took the latest snapshot from tag_before
** to tag_after, changing keys (taken over; NULL: none, a checkpoint that
** restarted the WAL).  Kept only while a concurrent transaction may ask. */
static void file_record(MvFile *f, uint64_t tag_before, uint64_t tag_after, MvSet *keys) {
  file_lock(f);
  uint64_t ts = ++f->clock;
  MvCommit *c = f->active ? util_zalloc(sizeof *c) : NULL;
  if (!c) { /* none needed; or the commit stands and the broken chain of tags makes it a conflict */
    file_unlock(f);
    return;
  }
  c->ts = ts;
  c->tag_before = tag_before;
  c->tag_after = tag_after;
  if (keys) {
    c->keys = *keys;
    memset(keys, 0, sizeof *keys);
  }
  if (f->last_commit) f->last_commit->next = c;
  else f->commits = c;
  f->last_commit = c;
  file_unlock(f);
}

/* Under the file's mutex: the commits since this transaction began, their
** chain of snapshots unbroken from its own to latest_tag; LODE_BUSY_SNAPSHOT
** on a conflict or a commit this process did not record, LODE_SCHEMA when
** one changed the schema. */
static int validate(ConnMv *m, uint64_t latest_tag) {
  uint64_t tag = m->begin_tag;
  for (MvCommit *c = m->file->commits; c; c = c->next) {
    if (c->ts <= m->begin_ts) continue;
    if (c->tag_before != tag) return LODE_BUSY_SNAPSHOT;
    tag = c->tag_after;
    if (set_has(&c->keys, id_of(MV_SCHEMA, 0, 0))) return LODE_SCHEMA;
    if (sets_conflict(&m->keys, &c->keys)) return LODE_BUSY_SNAPSHOT;
  }
  return tag == latest_tag ? LODE_OK : LODE_BUSY_SNAPSHOT;
}

static int commit_concurrent(ConnMv *m) {
  Btree *bt = m->d->bt;
  MvFile *f = m->file;
  int stale = 0;
  if (!btree_in_concurrent(bt)) return LODE_MISUSE;
  int rc = btree_concurrent_lock(bt, &stale);
  if (rc != LODE_OK) return rc; /* an exclusive transaction: this one stays open */
  commit_lock(f);
  btree_set_log(bt, NULL, NULL); /* what follows is no change of the transaction's own */
  if (stale) {
    /* Under the lock the rebase takes the latest snapshot: the commits to
    ** check against lead from the transaction's snapshot to that one. */
    uint32_t keep = 0;
    rc = btree_concurrent_rebase(bt, &keep);
    if (rc == LODE_OK) {
      file_lock(f);
      rc = validate(m, btree_snapshot_tag(bt));
      file_unlock(f);
    }
    if (rc == LODE_OK) rc = replay(m, keep);
  }
  uint64_t before = btree_snapshot_tag(bt);
  if (rc == LODE_OK) rc = btree_commit(bt);
  if (rc == LODE_OK) file_record(f, before, btree_snapshot_tag(bt), &m->keys);
  commit_unlock(f);
  if (rc == LODE_BUSY_SNAPSHOT || rc == LODE_SCHEMA) return conflict(m, rc);
  if (rc != LODE_OK) m->failed = 1; /* past the lock, any failure ends the transaction */
  return rc;
}

/* ---- the transaction interface ------------------------------------------------------- */

static int mv_begin_read(ConnDb *d) { return btree_begin_read(d->bt); }

static void mv_end_read(ConnDb *d) {
  ConnMv *m = d->mv;
  mv_forget(m);
  int last = mv_end_concurrent(m, 0) | m->drain_last;
  m->drain_last = 0;
  m->failed = 0;
  btree_end_read(d->bt);
  last |= mv_end_commit(m);
  if (last) {
    btree_autocheckpoint(d->bt);
    drain_done(m->file);
  }
}

static int read_mode(ConnDb *d, int *on) {
  uint32_t v = 0;
  int rc = btree_get_meta(d->bt, BTREE_META_LODE_MODE, &v);
  *on = v == MV_MODE_MAGIC;
  return rc;
}

static int mv_begin_write(ConnDb *d) {
  ConnMv *m = d->mv;
  int rc = m->concurrent ? btree_begin_concurrent(d->bt) : btree_begin_write(d->bt);
  if (rc != LODE_OK) return rc;
  if (!m->concurrent && (rc = read_mode(d, &m->on)) != LODE_OK) {
    btree_rollback(d->bt);
    return rc;
  }
  if (m->on || m->concurrent) {
    m->logging = 1;
    btree_set_log(d->bt, &mv_log, m);
  }
  return LODE_OK;
}

/* In MVCC mode commits share their syncs (group commit): the frames go out
** under the write lock and the file's commit mutex, the sync after both are
** released, so other transactions write, validate and append meanwhile. */
static int mv_commit(ConnDb *d) {
  ConnMv *m = d->mv;
  int rc;
  btree_set_group_commit(d->bt, m->concurrent || m->logging);
  if (m->concurrent) {
    rc = commit_concurrent(m);
  } else if (m->logging) {
    MvFile *f = m->file;
    commit_lock(f);
    uint64_t before = btree_snapshot_tag(d->bt);
    btree_set_log(d->bt, NULL, NULL);
    rc = btree_commit(d->bt);
    if (rc == LODE_OK) file_record(f, before, btree_snapshot_tag(d->bt), &m->keys);
    else btree_set_log(d->bt, &mv_log, m);
    commit_unlock(f);
  } else {
    rc = btree_commit(d->bt);
  }
  btree_set_group_commit(d->bt, 0);
  if (rc == LODE_OK) {
    mv_forget(m);
    /* Committed: its keys are in the commit's record, and it no longer
    ** holds back the pruning of the commits kept for the running ones.  It
    ** stayed active over its sync and its checkpoint below (milliseconds
    ** with two fdatasyncs), and meanwhile every change of another writer
    ** walked the commits of that whole time (about 90 at 2 writers). */
    m->drain_last |= mv_end_concurrent(m, 1);
    /* Committed and visible: a failed sync reports an I/O error; a power
    ** loss may then take the commit. */
    rc = btree_sync_commit(d->bt);
    int due = btree_checkpoint_due(d->bt);
    if (due) drain_start(m, due);
  }
  return rc;
}

static void mv_rollback(ConnDb *d) {
  ConnMv *m = d->mv;
  btree_rollback(d->bt);
  mv_forget(m);
}

static int mv_savepoint(ConnDb *d, int op, int depth) {
  ConnMv *m = d->mv;
  int rc;
  switch (op) {
  case CONN_SP_BEGIN:
    rc = btree_savepoint_begin(d->bt, depth);
    if (rc == LODE_OK && m->concurrent) {
      uint32_t *marks = util_realloc(m->marks, sizeof *marks * (size_t)depth);
      if (!marks) return LODE_NOMEM;
      m->marks = marks;
      for (int i = m->nmarks; i < depth - 1; i++) marks[i] = m->nlog;
      marks[depth - 1] = m->nlog;
      m->nmarks = depth;
    }
    return rc;
  case CONN_SP_RELEASE:
    if (m->nmarks >= depth) m->nmarks = depth - 1;
    return btree_savepoint_release(d->bt, depth);
  default:
    if (m->concurrent && m->nmarks >= depth) log_truncate(m, m->marks[depth - 1]);
    return btree_savepoint_rollback(d->bt, depth);
  }
}

const ConnTxnOps conn_txn_mvcc = {
    "mvcc", mv_begin_read, mv_end_read, mv_begin_write, mv_commit, mv_rollback, mv_savepoint,
};

/* ---- opening and closing ------------------------------------------------------------ */

int conn_mvcc_attach(lode *db, ConnDb *d) {
  if (!d->bt || pager_is_memory(d->pager)) return LODE_OK;
  ConnMv *m = util_zalloc(sizeof *m);
  if (!m) return LODE_NOMEM;
  const void *id = btree_file_id(d->bt);
  pthread_mutex_lock(&files_mutex);
  MvFile *f = files;
  while (f && f->id != id) f = f->next;
  if (!f && (f = util_zalloc(sizeof *f)) != NULL) {
    f->id = id;
    pthread_mutex_init(&f->mutex, NULL);
    pthread_mutex_init(&f->commit_mutex, NULL);
    pthread_cond_init(&f->drained, NULL);
    f->drain_wait_ms = MV_DRAIN_WAIT_MS;
    f->next = files;
    files = f;
  }
  if (f) f->nref++;
  pthread_mutex_unlock(&files_mutex);
  if (!f) {
    util_free(m);
    return LODE_NOMEM;
  }
  m->db = db;
  m->d = d;
  m->file = f;
  d->mv = m;
  d->ops = &conn_txn_mvcc;
  return LODE_OK;
}

void conn_mvcc_detach(ConnDb *d) {
  ConnMv *m = d->mv;
  if (!m) return;
  mv_forget(m);
  MvFile *f = m->file;
  if (mv_end_concurrent(m, 0) | m->drain_last | mv_end_commit(m)) drain_done(f); /* the close checkpoints */
  file_lock(f);
  for (int i = 0; i < 2; i++)
    if (f->committer[i] == m) f->committer[i] = NULL;
  file_unlock(f);
  pthread_mutex_lock(&files_mutex);
  if (--f->nref == 0) {
    for (MvFile **pp = &files; *pp; pp = &(*pp)->next) {
      if (*pp == f) {
        *pp = f->next;
        break;
      }
    }
    file_prune(f);
    util_free(f->rowids);
    pthread_mutex_destroy(&f->mutex);
    pthread_mutex_destroy(&f->commit_mutex);
    pthread_cond_destroy(&f->drained);
    util_free(f);
  }
  pthread_mutex_unlock(&files_mutex);
  util_free(m->log);
  util_free(m->replay_buf);
  os_close(m->log_file);
  util_free(m->marks);
  roots_free(m);
  util_free(m->roots);
  util_free(m);
  d->mv = NULL;
  d->ops = &conn_txn_wal;
}

/* ---- what the statements ask ----------------------------------------------------------- */

int conn_mvcc_begin_concurrent(lode *db) {
  ConnDb *d = &db->dbs[CONN_DB_MAIN];
  ConnMv *m = d->mv;
  MvFile *f = m ? m->file : NULL;
  int rc, on = 0;
  if (f) {
    file_lock(f);
    drain_wait(f);
    file_unlock(f);
    commit_lock(f);
  }
  /* Its pages are traced from its snapshot on, so that a rebase keeps the
  ** changes no later commit touched. */
  if (m) btree_trace_next(d->bt);
  rc = conn_txn_read(db, CONN_DB_MAIN);
  if (rc == LODE_OK) rc = read_mode(d, &on);
  if (rc == LODE_OK && on && m) {
    file_lock(f);
    m->begin_ts = f->clock;
    m->begin_tag = btree_snapshot_tag(d->bt);
    m->thread = pthread_self();
    m->concurrent = 1;
    m->failed = 0;
    m->next_active = f->active;
    f->active = m;
    file_unlock(f);
  }
  if (f) commit_unlock(f);
  if (rc == LODE_OK && !on) rc = conn_error(db, LODE_ERROR, "Concurrent transaction mode is only supported when MVCC is enabled");
  else if (rc != LODE_OK) rc = conn_error(db, rc, NULL);
  if (rc != LODE_OK) conn_txn_end_idle(db);
  else db->autocommit = 0; /* a memory database has no other writer: a deferred transaction */
  return rc;
}

void conn_mvcc_stmt_begin(lode *db, int dbi) {
  ConnMv *m = dbi >= 0 && dbi < db->ndb ? db->dbs[dbi].mv : NULL;
  if (m && m->concurrent) btree_trace_mark(m->d->bt);
}

int conn_mvcc_logging(const lode *db, int dbi) {
  const ConnMv *m = dbi >= 0 && dbi < db->ndb ? db->dbs[dbi].mv : NULL;
  return m && m->logging;
}

int conn_mvcc_failed(const lode *db) {
  const ConnMv *m = db->dbs[CONN_DB_MAIN].mv;
  return m && m->failed;
}

int64_t conn_mvcc_new_rowid(lode *db, int dbi, uint32_t root, int64_t rowid) {
  ConnMv *m = dbi >= 0 && dbi < db->ndb ? db->dbs[dbi].mv : NULL;
  if (!m || !m->logging || rowid == INT64_MAX) return rowid;
  MvFile *f = m->file;
  file_lock(f);
  if (f->active) {
    int i = 0;
    while (i < f->nrowids && f->rowids[i].root != root) i++;
    if (i == f->nrowids && f->nrowids == f->rowid_cap) {
      int cap = f->rowid_cap ? f->rowid_cap * 2 : 16;
      MvRowid *r = util_realloc(f->rowids, sizeof *r * (size_t)cap);
      if (r) f->rowids = r, f->rowid_cap = cap;
    }
    if (i < f->nrowids || f->nrowids < f->rowid_cap) {
      if (i == f->nrowids) f->rowids[f->nrowids++] = (MvRowid){root, 0};
      if (f->rowids[i].last >= rowid) rowid = f->rowids[i].last < INT64_MAX ? f->rowids[i].last + 1 : INT64_MAX;
      f->rowids[i].last = rowid;
    }
  }
  file_unlock(f);
  return rowid;
}

int conn_mvcc_mode(lode *db, int dbi, int *on) {
  ConnDb *d = &db->dbs[dbi];
  *on = 0;
  if (!d->bt) return LODE_OK;
  int idle = d->txn == CONN_TXN_NONE, rc = LODE_OK;
  if (idle) rc = btree_begin_read(d->bt);
  if (rc == LODE_OK) rc = read_mode(d, on);
  if (idle) btree_end_read(d->bt);
  return rc;
}

/* A checkpoint that restarted the WAL changes the latest snapshot's tag
** without a commit: recorded as an empty one, so it does not look like a
** commit of another process to the transactions running. */
static uint64_t latest_tag(ConnDb *d) {
  uint64_t tag = 0;
  if (btree_begin_read(d->bt) == LODE_OK) {
    tag = btree_snapshot_tag(d->bt);
    btree_end_read(d->bt);
  }
  return tag;
}

int conn_mvcc_checkpoint(lode *db, int dbi, int mode, int *log, int *done) {
  ConnDb *d = &db->dbs[dbi];
  ConnMv *m = d->mv;
  if (!m || d->txn != CONN_TXN_NONE) return pager_checkpoint(d->pager, mode, log, done);
  MvFile *f = m->file;
  commit_lock(f);
  uint64_t before = latest_tag(d);
  int rc = pager_checkpoint(d->pager, mode, log, done);
  uint64_t after = latest_tag(d);
  if (before != after) file_record(f, before, after, NULL);
  commit_unlock(f);
  return rc;
}

int conn_mvcc_set_mode(lode *db, int dbi, int on) {
  ConnDb *d = &db->dbs[dbi];
  if (!d->bt) return LODE_OK;
  int now = 0, rc = conn_mvcc_mode(db, dbi, &now);
  if (rc != LODE_OK || now == on) return rc;
  if (!db->autocommit || d->txn != CONN_TXN_NONE)
    return conn_error(db, LODE_ERROR, "cannot change journal mode from within a transaction");
  if (conn_db_readonly(db, dbi)) return conn_error(db, LODE_READONLY, NULL);
  rc = d->ops->begin_write(d);
  if (rc == LODE_OK) {
    rc = btree_set_meta(d->bt, BTREE_META_LODE_MODE, on ? MV_MODE_MAGIC : 0);
    if (rc == LODE_OK) rc = d->ops->commit(d);
    if (rc != LODE_OK) d->ops->rollback(d);
  }
  d->ops->end_read(d);
  if (rc != LODE_OK) return conn_error(db, rc, NULL);
  /* The switch leaves the WAL folded into the database file where it can. */
  int log, done;
  (void)conn_mvcc_checkpoint(db, dbi, CONN_CKPT_PASSIVE, &log, &done);
  return LODE_OK;
}
