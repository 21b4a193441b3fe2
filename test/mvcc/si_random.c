/*
** si_random.c — a randomized snapshot-isolation tester.
**
** N connections on one database file run random transactions, interleaved
** one statement at a time by a deterministic scheduler (one thread; every
** choice comes from a seeded generator, so a seed replays the same run).
** Every operation and its result go into a history; a checker then replays
** the history against a model and reports every departure from snapshot
** isolation:
**   - each transaction's reads (and the outcome of each of its writes:
**     rows changed, rows returned, constraint errors) equal what the
**     committed state as of its BEGIN plus its own earlier writes gives;
**   - no lost update: a transaction that commits never wrote a row that
**     another transaction wrote and committed after this one began (two
**     committed transactions that overlapped in time wrote disjoint rows);
**   - aborted transactions leave nothing (the model never applies them, so
**     any trace shows up in a later read, and in the final full scan);
**   - the committed state never holds two rows with the same UNIQUE value.
**
** The table has an INTEGER PRIMARY KEY, a secondary index and a UNIQUE
** column; the operations are point, index-range, unique-key, rowid-range
** reads, aggregates and full scans; inserts, updates (also of indexed and
** unique columns), deletes, and range updates/deletes with RETURNING.
**
** Modes:
**   mvcc  PRAGMA journal_mode = experimental_mvcc; writers use BEGIN
**         CONCURRENT (a few BEGIN IMMEDIATE), readers BEGIN CONCURRENT or
**         DEFERRED.  COMMIT may answer SQLITE_BUSY and leave the transaction
**         open (an exclusive transaction is active: retried later) or roll it
**         back (a write-write conflict); a write may answer SQLITE_BUSY.
**         Skipped with "SKIP (no mvcc)" while the engine refuses the pragma.
**   wal   the harness's own validation: writers use BEGIN IMMEDIATE (one at
**         a time, the others get SQLITE_BUSY at BEGIN), readers DEFERRED
**         transactions that read at once, so they hold real snapshots while
**         writers commit.  Such histories are serializable and must pass.
**   Broken variants (--break=...) prove that the checker can fail: readers
**   without a transaction (their later reads see newer commits), writers
**   without a transaction (their writes are visible early, survive ROLLBACK,
**   and overlapping "transactions" overwrite each other's rows).
**
** With no arguments it runs the CI suite: checker self-tests on synthetic
** histories, the wal validation, both broken variants (which must be
** caught), and 3 x 10k committed transactions in mvcc mode.  LODE_MVCC_LONG=1 runs far
** more seeds and transactions; LODE_MVCC_SEED=n fixes the first seed.
** One run by hand: si_random --mode=mvcc --seed=7 --txns=50000 --conns=8.
** The seed is printed with every failure; LODE_SI_TRACE=1 prints every
** statement of a run on stderr, to turn a failing seed into a script.
*/
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sqlite3.h"

#define NKEYS 40   /* ids 1..NKEYS */
#define NKVAL 10   /* k in 0..NKVAL-1 (indexed, not unique) */
#define NUVAL 48   /* u is 'u0'..'u47' or NULL (UNIQUE) */
#define MAXCONN 16
#define TEXT_MAX 4096

/* ---- random numbers --------------------------------------------------------- */

static uint64_t rng_state;
static uint64_t rng_next(void) { /* splitmix64 */
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
static int rnd(int n) { return (int)(rng_next() % (uint64_t)n); }

/* ---- the operations ------------------------------------------------------------ */

enum {
  R_POINT, R_KRANGE, R_UNIQ, R_IDRANGE, R_AGG, R_SCAN, /* reads */
  W_INSERT, W_UPD, W_SETU, W_DEL, W_RUPD, W_RDEL,      /* writes */
  N_OPS
};
#define IS_WRITE(k) ((k) >= W_INSERT)

static const char *const op_sql[N_OPS] = {
    [R_POINT] = "SELECT k, u, v FROM t WHERE id = ?1",
    [R_KRANGE] = "SELECT id, k, u, v FROM t WHERE k BETWEEN ?1 AND ?2 ORDER BY k, id",
    [R_UNIQ] = "SELECT id, v FROM t WHERE u = ?3",
    [R_IDRANGE] = "SELECT id, v FROM t WHERE id BETWEEN ?1 AND ?2 ORDER BY id DESC",
    [R_AGG] = "SELECT count(*), sum(v), count(u), max(k) FROM t",
    [R_SCAN] = "SELECT id, k, u, v FROM t ORDER BY id",
    [W_INSERT] = "INSERT INTO t(id, k, u, v) VALUES (?1, ?2, ?3, ?4)",
    [W_UPD] = "UPDATE t SET v = v + ?4, k = ?2 WHERE id = ?1",
    [W_SETU] = "UPDATE t SET u = ?3 WHERE id = ?1",
    [W_DEL] = "DELETE FROM t WHERE id = ?1",
    [W_RUPD] = "UPDATE t SET v = (v * 3 + 1) % 1000003 WHERE k BETWEEN ?1 AND ?2 RETURNING id",
    [W_RDEL] = "DELETE FROM t WHERE k = ?1 AND id % 3 = ?2 RETURNING id",
};

/* Parameters: a = id or low bound, b = k or high bound, c = u (-1: NULL), d = v or delta. */
typedef struct Op {
  int kind, a, b, c;
  long long d;
} Op;

static Op random_op(int write) {
  Op o = {0, 0, 0, -1, 0};
  o.kind = write ? W_INSERT + rnd(N_OPS - W_INSERT) : rnd(W_INSERT);
  int lo, hi;
  switch (o.kind) {
  case R_KRANGE:
  case W_RUPD:
    lo = rnd(NKVAL), hi = lo + rnd(3);
    o.a = lo, o.b = hi;
    break;
  case R_IDRANGE:
    lo = 1 + rnd(NKEYS), hi = lo + rnd(8);
    o.a = lo, o.b = hi;
    break;
  case W_RDEL:
    o.a = rnd(NKVAL), o.b = rnd(3);
    break;
  default:
    o.a = 1 + rnd(NKEYS);
    o.b = rnd(NKVAL);
    o.c = rnd(5) == 0 ? -1 : rnd(NUVAL);
    o.d = o.kind == W_INSERT ? rnd(1000) : 1 + rnd(50);
  }
  return o;
}

/* ---- the model ----------------------------------------------------------------- */

typedef struct Row {
  int present, k, u; /* u -1: NULL */
  long long v;
} Row;
typedef struct State {
  Row r[NKEYS + 1];
  long long writer[NKEYS + 1]; /* commit timestamp of the last committed write of each id */
} State;

static void initial_state(State *s) {
  memset(s, 0, sizeof *s);
  for (int id = 1; id <= NKEYS; id += 2) {
    s->r[id] = (Row){1, id % NKVAL, id % 3 ? id : -1, id * 10};
  }
}

/* Text of results, built the same way from the engine's rows and the model's. */
typedef struct Text {
  char s[TEXT_MAX];
  size_t n;
} Text;

static void text_add(Text *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (t->n < sizeof t->s) {
    int k = vsnprintf(t->s + t->n, sizeof t->s - t->n, fmt, ap);
    if (k > 0) t->n += (size_t)k;
    if (t->n >= sizeof t->s) t->n = sizeof t->s - 1;
  }
  va_end(ap);
}
static void text_u(Text *t, int u) {
  if (u < 0) text_add(t, "N");
  else text_add(t, "u%d", u);
}

static int u_taken(const Row *r, int u, int except_id) {
  if (u < 0) return 0;
  for (int id = 1; id <= NKEYS; id++)
    if (id != except_id && r[id].present && r[id].u == u) return 1;
  return 0;
}

/*
** What op gives on state r (changed in place for writes): the result text,
** and the ids it changed in *changed (a bitmap over ids), 0 for none.
*/
static void model_apply(Row *r, const Op *o, Text *out, uint64_t *changed) {
  int n = 0, first = 1;
  *changed = 0;
  out->n = 0;
  out->s[0] = 0;
  switch (o->kind) {
  case R_POINT:
    if (r[o->a].present) {
      text_add(out, "%d,", r[o->a].k);
      text_u(out, r[o->a].u);
      text_add(out, ",%lld", r[o->a].v);
    }
    return;
  case R_KRANGE:
    for (int k = o->a; k <= o->b; k++)
      for (int id = 1; id <= NKEYS; id++)
        if (r[id].present && r[id].k == k) {
          text_add(out, "%s%d,%d,", first ? "" : ";", id, k);
          text_u(out, r[id].u);
          text_add(out, ",%lld", r[id].v);
          first = 0;
        }
    return;
  case R_UNIQ:
    for (int id = 1; id <= NKEYS && o->c >= 0; id++)
      if (r[id].present && r[id].u == o->c) text_add(out, "%d,%lld", id, r[id].v);
    return;
  case R_IDRANGE:
    for (int id = o->b; id >= o->a; id--)
      if (id <= NKEYS && r[id].present) {
        text_add(out, "%s%d,%lld", first ? "" : ";", id, r[id].v);
        first = 0;
      }
    return;
  case R_AGG: {
    long long sum = 0;
    int cnt = 0, cu = 0, mk = -1;
    for (int id = 1; id <= NKEYS; id++)
      if (r[id].present) {
        cnt++, sum += r[id].v, cu += r[id].u >= 0;
        if (r[id].k > mk) mk = r[id].k;
      }
    if (cnt) text_add(out, "%d,%lld,%d,%d", cnt, sum, cu, mk);
    else text_add(out, "0,N,0,N");
    return;
  }
  case R_SCAN:
    for (int id = 1; id <= NKEYS; id++)
      if (r[id].present) {
        text_add(out, "%s%d,%d,", first ? "" : ";", id, r[id].k);
        text_u(out, r[id].u);
        text_add(out, ",%lld", r[id].v);
        first = 0;
      }
    return;
  case W_INSERT:
    if (r[o->a].present || u_taken(r, o->c, 0)) {
      text_add(out, "constraint");
      return;
    }
    r[o->a] = (Row){1, o->b, o->c, o->d};
    *changed |= 1ull << o->a;
    text_add(out, "ok n=1");
    return;
  case W_UPD:
    if (r[o->a].present) {
      r[o->a].v += o->d, r[o->a].k = o->b, n = 1;
      *changed |= 1ull << o->a;
    }
    text_add(out, "ok n=%d", n);
    return;
  case W_SETU:
    if (r[o->a].present) {
      if (u_taken(r, o->c, o->a)) {
        text_add(out, "constraint");
        return;
      }
      r[o->a].u = o->c, n = 1;
      *changed |= 1ull << o->a;
    }
    text_add(out, "ok n=%d", n);
    return;
  case W_DEL:
    if (r[o->a].present) {
      r[o->a].present = 0, n = 1;
      *changed |= 1ull << o->a;
    }
    text_add(out, "ok n=%d", n);
    return;
  case W_RUPD:
  case W_RDEL:
    for (int id = 1; id <= NKEYS; id++) {
      if (!r[id].present) continue;
      int hit = o->kind == W_RUPD ? r[id].k >= o->a && r[id].k <= o->b : r[id].k == o->a && id % 3 == o->b;
      if (!hit) continue;
      if (o->kind == W_RUPD) r[id].v = (r[id].v * 3 + 1) % 1000003;
      else r[id].present = 0;
      *changed |= 1ull << id;
      n++;
    }
    text_add(out, "ok n=%d ids=", n);
    for (int id = 1; id <= NKEYS; id++)
      if (*changed & (1ull << id)) text_add(out, "%d,", id);
    return;
  }
}

/* ---- the history ----------------------------------------------------------------- */

enum { EV_BEGIN, EV_OP, EV_COMMIT, EV_ROLLBACK };
enum { OUT_OK, OUT_BUSY, OUT_CONSTRAINT, OUT_OTHER };

typedef struct Event {
  int kind, txn, conn;
  Op op;
  int outcome;    /* OUT_* of an op or COMMIT */
  int rc;         /* the extended result code, for messages */
  int autocommit; /* after a failed op or COMMIT: 1 if the transaction is gone */
  char *text;     /* an op's result text */
} Event;

typedef struct History {
  Event *ev;
  size_t n, cap;
} History;

static void history_add(History *h, Event e) {
  if (h->n == h->cap) {
    h->cap = h->cap ? h->cap * 2 : 4096;
    h->ev = realloc(h->ev, h->cap * sizeof *h->ev);
    if (!h->ev) abort();
  }
  h->ev[h->n++] = e;
}
static void history_free(History *h) {
  for (size_t i = 0; i < h->n; i++) free(h->ev[i].text);
  free(h->ev);
  memset(h, 0, sizeof *h);
}

/* ---- the checker ----------------------------------------------------------------- */

typedef struct TxnModel {
  int live;
  long long begin_ts;
  Row view[NKEYS + 1];
  uint64_t written;
} TxnModel;

typedef struct Verdict {
  long violations, stale_reads, lost_updates, unique_dups, bad_codes;
  long committed, aborted;
  char first[1024]; /* the first violation */
} Verdict;

static void violation(Verdict *v, long *counter, const char *fmt, ...) {
  va_list ap;
  v->violations++;
  if (counter) (*counter)++;
  if (v->violations == 1) {
    va_start(ap, fmt);
    vsnprintf(v->first, sizeof v->first, fmt, ap);
    va_end(ap);
  }
}

static const char *ev_outcome_name(int o) {
  return o == OUT_OK ? "ok" : o == OUT_BUSY ? "busy" : o == OUT_CONSTRAINT ? "constraint" : "error";
}

/*
** Replays h against the model.  Transaction ids index txns (ntxn of them).
** The clock advances at every successful COMMIT; a transaction's snapshot
** is the committed state at its BEGIN event.
*/
static Verdict check_history(const History *h, int ntxn) {
  Verdict v;
  memset(&v, 0, sizeof v);
  TxnModel *tx = calloc((size_t)ntxn + 1, sizeof *tx);
  State cur;
  long long clock = 0;
  Text want;
  initial_state(&cur);
  for (size_t i = 0; i < h->n; i++) {
    const Event *e = &h->ev[i];
    TxnModel *t = &tx[e->txn];
    if (e->kind == EV_BEGIN) {
      t->live = 1, t->begin_ts = clock, t->written = 0;
      memcpy(t->view, cur.r, sizeof t->view);
      continue;
    }
    if (!t->live) {
      violation(&v, &v.bad_codes, "event %zu: transaction %d is not live", i, e->txn);
      continue;
    }
    if (e->kind == EV_OP) {
      if (e->outcome == OUT_BUSY && IS_WRITE(e->op.kind)) {
        if (e->autocommit) t->live = 0, v.aborted++; /* rolled back whole */
        continue;
      }
      if (e->outcome == OUT_BUSY || e->outcome == OUT_OTHER) {
        violation(&v, &v.bad_codes, "event %zu: txn %d op %d failed with code %d", i, e->txn, e->op.kind, e->rc);
        continue;
      }
      Row after[NKEYS + 1];
      uint64_t changed;
      memcpy(after, t->view, sizeof after);
      model_apply(after, &e->op, &want, &changed);
      const char *got = e->text ? e->text : "";
      if (strcmp(got, want.s) != 0) {
        violation(&v, &v.stale_reads,
                  "event %zu: txn %d (snapshot ts %lld, now %lld) op \"%s\" a=%d b=%d c=%d d=%lld: got [%s], its "
                  "snapshot gives [%s]",
                  i, e->txn, t->begin_ts, clock, op_sql[e->op.kind], e->op.a, e->op.b, e->op.c, e->op.d, got,
                  want.s);
        continue; /* keep the transaction's view as the model says */
      }
      memcpy(t->view, after, sizeof after);
      t->written |= changed;
      continue;
    }
    if (e->kind == EV_ROLLBACK) {
      t->live = 0, v.aborted++;
      continue;
    }
    /* EV_COMMIT */
    if (e->outcome != OUT_OK) {
      if (e->outcome == OUT_OTHER) violation(&v, &v.bad_codes, "event %zu: COMMIT of txn %d gave code %d", i, e->txn, e->rc);
      if (e->autocommit) t->live = 0, v.aborted++;
      continue;
    }
    clock++;
    for (int id = 1; id <= NKEYS; id++) {
      if (!(t->written & (1ull << id))) continue;
      if (cur.writer[id] > t->begin_ts)
        violation(&v, &v.lost_updates,
                  "event %zu: txn %d (began at ts %lld) committed a write of id %d, which a transaction "
                  "committed at ts %lld (after its begin) also wrote: lost update",
                  i, e->txn, t->begin_ts, id, cur.writer[id]);
      cur.r[id] = t->view[id];
      cur.writer[id] = clock;
    }
    for (int id = 1; id <= NKEYS; id++)
      if (cur.r[id].present && u_taken(cur.r, cur.r[id].u, id)) {
        violation(&v, &v.unique_dups, "event %zu: after txn %d committed, two rows hold u%d", i, e->txn,
                  cur.r[id].u);
        break;
      }
    t->live = 0;
    v.committed++;
  }
  free(tx);
  return v;
}

/* ---- the harness ------------------------------------------------------------------ */

enum { MODE_WAL, MODE_MVCC };
enum { BREAK_NONE, BREAK_NOREADTXN, BREAK_NOWRITETXN };
enum { C_IDLE, C_TXN, C_COMMIT_PENDING };

typedef struct Conn {
  sqlite3 *db;
  sqlite3_stmt *st[N_OPS];
  int state, txn, ops_left, writer;
  int fake; /* broken variants: the transaction was not really begun */
} Conn;

typedef struct Run {
  int mode, brk, nconn;
  long target; /* committed transactions to reach */
  uint64_t seed;
  char path[512];
  Conn c[MAXCONN];
  History h;
  int ntxn;
  long steps, begins_busy, commits_busy_open, checkpoints;
  char err[1024]; /* harness failure (not a checker verdict) */
} Run;

/* LODE_SI_TRACE=1: every statement on stderr as "cN: SQL -- params -> code", to turn a seed into a script. */
static int trace;

static void tr(const Run *r, const Conn *c, const char *sql, const Op *o, int rc) {
  if (!trace) return;
  fprintf(stderr, "c%d: %s", (int)(c - r->c), sql);
  if (o) fprintf(stderr, " -- ?1=%d ?2=%d ?3=%s%d ?4=%lld", o->a, o->b, o->c < 0 ? "NULL:" : "u", o->c, o->d);
  fprintf(stderr, " -> %d\n", rc);
}

static int outcome_of(int rc) {
  switch (rc & 0xff) {
  case SQLITE_OK:
  case SQLITE_DONE:
  case SQLITE_ROW: return OUT_OK;
  case SQLITE_BUSY: return OUT_BUSY;
  case SQLITE_CONSTRAINT: return OUT_CONSTRAINT;
  default: return OUT_OTHER;
  }
}

static int exec_sql(sqlite3 *db, const char *sql) {
  return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? SQLITE_OK : sqlite3_extended_errcode(db);
}

/* The first column of the first row of sql as text, into out. */
static int query_text(sqlite3 *db, const char *sql, char *out, size_t n) {
  sqlite3_stmt *s = NULL;
  out[0] = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    const unsigned char *z = sqlite3_column_text(s, 0);
    snprintf(out, n, "%s", z ? (const char *)z : "");
    rc = SQLITE_OK;
  }
  sqlite3_finalize(s);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Runs op on conn c; fills the event's outcome, code and text. */
static void run_op(Run *r, Conn *c, const Op *o, Event *e) {
  sqlite3_stmt *s = c->st[o->kind];
  Text t = {{0}, 0};
  char ubuf[16];
  int rc;
  if (sqlite3_bind_parameter_count(s) >= 1) sqlite3_bind_int(s, 1, o->a);
  if (sqlite3_bind_parameter_count(s) >= 2) sqlite3_bind_int(s, 2, o->b);
  if (sqlite3_bind_parameter_count(s) >= 3) {
    if (o->c < 0) sqlite3_bind_null(s, 3);
    else {
      snprintf(ubuf, sizeof ubuf, "u%d", o->c);
      sqlite3_bind_text(s, 3, ubuf, -1, SQLITE_TRANSIENT);
    }
  }
  if (sqlite3_bind_parameter_count(s) >= 4) sqlite3_bind_int64(s, 4, o->d);
  int nrow = 0;
  uint64_t ids = 0;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    if (IS_WRITE(o->kind)) { /* RETURNING id */
      int id = sqlite3_column_int(s, 0);
      if (id >= 1 && id <= NKEYS) ids |= 1ull << id;
      continue;
    }
    if (nrow++) text_add(&t, ";");
    for (int i = 0; i < sqlite3_column_count(s); i++) {
      if (i) text_add(&t, ",");
      if (sqlite3_column_type(s, i) == SQLITE_NULL) text_add(&t, "N");
      else text_add(&t, "%s", (const char *)sqlite3_column_text(s, i));
    }
  }
  int changes = sqlite3_changes(c->db);
  rc = sqlite3_reset(s);
  if (rc != SQLITE_OK) rc = sqlite3_extended_errcode(c->db);
  sqlite3_clear_bindings(s);
  e->rc = rc;
  e->outcome = outcome_of(rc);
  if (e->outcome == OUT_OK && IS_WRITE(o->kind)) {
    text_add(&t, "ok n=%d", changes);
    if (o->kind == W_RUPD || o->kind == W_RDEL) {
      text_add(&t, " ids=");
      for (int id = 1; id <= NKEYS; id++)
        if (ids & (1ull << id)) text_add(&t, "%d,", id);
    }
  } else if (e->outcome == OUT_CONSTRAINT) {
    t.n = 0;
    text_add(&t, "constraint");
  } else if (e->outcome != OUT_OK) {
    t.n = 0;
    text_add(&t, "%s (%d)", ev_outcome_name(e->outcome), rc);
  }
  e->text = strdup(t.s);
  e->autocommit = sqlite3_get_autocommit(c->db);
  tr(r, c, op_sql[o->kind], o, rc);
}

static void record(Run *r, int kind, Conn *c, int outcome, int rc, int autocommit) {
  Event e = {kind, c->txn, (int)(c - r->c), {0, 0, 0, -1, 0}, outcome, rc, autocommit, NULL};
  history_add(&r->h, e);
}

static void end_txn(Conn *c) {
  c->state = C_IDLE;
  c->fake = 0;
}

/* Ends c's transaction with ROLLBACK (when it is still open) and records it. */
static void do_rollback(Run *r, Conn *c) {
  if (!c->fake && !sqlite3_get_autocommit(c->db)) {
    int rc = exec_sql(c->db, "ROLLBACK");
    tr(r, c, "ROLLBACK", NULL, rc);
    if (rc != SQLITE_OK && !r->err[0])
      snprintf(r->err, sizeof r->err, "ROLLBACK failed: %d %s", rc, sqlite3_errmsg(c->db));
  }
  record(r, EV_ROLLBACK, c, OUT_OK, 0, 1);
  end_txn(c);
}

static void do_commit(Run *r, Conn *c) {
  int rc = c->fake ? SQLITE_OK : exec_sql(c->db, "COMMIT");
  tr(r, c, "COMMIT", NULL, rc);
  int ac = c->fake ? 1 : sqlite3_get_autocommit(c->db);
  int out = outcome_of(rc);
  record(r, EV_COMMIT, c, out, rc, ac);
  if (out == OUT_OK) {
    if (!ac && !r->err[0]) snprintf(r->err, sizeof r->err, "COMMIT succeeded but the transaction is still open");
    end_txn(c);
  } else if (ac) {
    end_txn(c); /* rolled back by the engine (write-write conflict) */
  } else if (out == OUT_BUSY) {
    c->state = C_COMMIT_PENDING, r->commits_busy_open++;
  } else {
    do_rollback(r, c);
  }
}

/* One op of c's transaction; a failed write ends the transaction. */
static void do_op(Run *r, Conn *c, int write) {
  Op o = random_op(write);
  Event e = {EV_OP, c->txn, (int)(c - r->c), o, 0, 0, 0, NULL};
  run_op(r, c, &o, &e);
  if (c->fake) e.autocommit = 0; /* the harness pretends a transaction is open */
  history_add(&r->h, e);
  c->ops_left--;
  if (e.outcome == OUT_BUSY || e.outcome == OUT_OTHER) {
    if (e.autocommit && !c->fake) {
      end_txn(c);
    } else {
      do_rollback(r, c);
    }
  }
}

static void start_txn(Run *r, Conn *c) {
  int roll = rnd(100);
  c->txn = ++r->ntxn;
  if (roll < 10) { /* one statement in autocommit mode */
    Op o = random_op(rnd(2));
    Event e = {EV_OP, c->txn, (int)(c - r->c), o, 0, 0, 0, NULL};
    record(r, EV_BEGIN, c, OUT_OK, 0, 0);
    run_op(r, c, &o, &e);
    history_add(&r->h, e);
    if (e.outcome == OUT_OK || e.outcome == OUT_CONSTRAINT) record(r, EV_COMMIT, c, OUT_OK, 0, 1);
    else if (!(e.outcome == OUT_BUSY && IS_WRITE(o.kind))) record(r, EV_ROLLBACK, c, OUT_OK, 0, 1);
    return;
  }
  if (roll < 12) { /* a checkpoint between transactions */
    static const char *const ck[] = {"PRAGMA wal_checkpoint(PASSIVE)", "PRAGMA wal_checkpoint(FULL)",
                                     "PRAGMA wal_checkpoint(RESTART)", "PRAGMA wal_checkpoint(TRUNCATE)"};
    const char *sql = ck[rnd(4)];
    int rc = exec_sql(c->db, sql);
    tr(r, c, sql, NULL, rc);
    if (outcome_of(rc) != OUT_OK && outcome_of(rc) != OUT_BUSY && !r->err[0])
      snprintf(r->err, sizeof r->err, "checkpoint failed: %d %s", rc, sqlite3_errmsg(c->db));
    r->checkpoints++;
    r->ntxn--;
    return;
  }
  c->writer = roll >= 40;
  const char *begin;
  if (!c->writer) begin = r->mode == MODE_MVCC && rnd(2) ? "BEGIN CONCURRENT" : "BEGIN DEFERRED";
  else if (r->mode == MODE_MVCC) begin = rnd(20) ? "BEGIN CONCURRENT TRANSACTION" : "BEGIN IMMEDIATE";
  else begin = "BEGIN IMMEDIATE";
  c->fake = (!c->writer && r->brk == BREAK_NOREADTXN) || (c->writer && r->brk == BREAK_NOWRITETXN);
  int rc = c->fake ? SQLITE_OK : exec_sql(c->db, begin);
  tr(r, c, begin, NULL, rc);
  if (rc != SQLITE_OK) {
    if (outcome_of(rc) != OUT_BUSY && !r->err[0])
      snprintf(r->err, sizeof r->err, "%s failed: %d %s", begin, rc, sqlite3_errmsg(c->db));
    r->begins_busy++;
    r->ntxn--;
    c->fake = 0;
    return;
  }
  record(r, EV_BEGIN, c, OUT_OK, 0, 0);
  c->state = C_TXN;
  c->ops_left = 1 + rnd(c->writer ? 6 : 4);
  /* A deferred reader takes its snapshot at its first read: read at once. */
  if (!c->writer) do_op(r, c, 0);
}

static void step(Run *r) {
  Conn *c = &r->c[rnd(r->nconn)];
  r->steps++;
  switch (c->state) {
  case C_IDLE: start_txn(r, c); break;
  case C_TXN:
    if (c->ops_left > 0) do_op(r, c, c->writer && rnd(3) != 0);
    else if (rnd(10) == 0) do_rollback(r, c);
    else do_commit(r, c);
    break;
  case C_COMMIT_PENDING:
    if (rnd(5) == 0) do_rollback(r, c);
    else do_commit(r, c);
    break;
  }
}

static int open_conn(Run *r, sqlite3 **db) {
  if (sqlite3_open_v2(r->path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
    snprintf(r->err, sizeof r->err, "open %s: %s", r->path, *db ? sqlite3_errmsg(*db) : "no memory");
    return 0;
  }
  exec_sql(*db, "PRAGMA synchronous = OFF");
  return 1;
}

/* Creates the file: schema and initial rows in WAL mode, then the mode switch. 1 ok, 0 failure, -1 no mvcc. */
static int setup_db(Run *r) {
  sqlite3 *db = NULL;
  char jm[64];
  State s;
  initial_state(&s);
  if (!open_conn(r, &db)) return 0;
  int rc = exec_sql(db, "PRAGMA journal_mode = wal;"
                        "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER NOT NULL, u TEXT UNIQUE, v INTEGER);"
                        "CREATE INDEX t_k ON t(k); BEGIN");
  for (int id = 1; id <= NKEYS && rc == SQLITE_OK; id++) {
    if (!s.r[id].present) continue;
    char sql[200], u[16] = "NULL";
    if (s.r[id].u >= 0) snprintf(u, sizeof u, "'u%d'", s.r[id].u);
    snprintf(sql, sizeof sql, "INSERT INTO t VALUES (%d, %d, %s, %lld)", id, s.r[id].k, u, s.r[id].v);
    rc = exec_sql(db, sql);
  }
  if (rc == SQLITE_OK) rc = exec_sql(db, "COMMIT");
  if (rc != SQLITE_OK) {
    snprintf(r->err, sizeof r->err, "setup: %d %s", rc, sqlite3_errmsg(db));
    sqlite3_close(db);
    return 0;
  }
  int ok = 1;
  if (r->mode == MODE_MVCC) {
    query_text(db, "PRAGMA journal_mode = experimental_mvcc", jm, sizeof jm);
    if (strcmp(jm, "mvcc") != 0 && strcmp(jm, "experimental_mvcc") != 0) ok = -1;
  }
  sqlite3_close(db);
  return ok;
}

static void close_conns(Run *r) {
  for (int i = 0; i < r->nconn; i++) {
    for (int k = 0; k < N_OPS; k++) sqlite3_finalize(r->c[i].st[k]);
    sqlite3_close(r->c[i].db);
  }
  memset(r->c, 0, sizeof r->c);
}

/* Final state: a fresh connection reads everything in one transaction (checked as one more reader). */
static void final_scan(Run *r, Conn *c) {
  c->txn = ++r->ntxn;
  int rc = exec_sql(c->db, "BEGIN");
  record(r, EV_BEGIN, c, OUT_OK, 0, 0);
  Op o = {R_SCAN, 0, 0, -1, 0};
  Event e = {EV_OP, c->txn, 0, o, 0, 0, 0, NULL};
  run_op(r, c, &o, &e);
  history_add(&r->h, e);
  o.kind = R_AGG;
  Event e2 = {EV_OP, c->txn, 0, o, 0, 0, 0, NULL};
  run_op(r, c, &o, &e2);
  history_add(&r->h, e2);
  if (rc == SQLITE_OK) rc = exec_sql(c->db, "COMMIT");
  record(r, EV_COMMIT, c, outcome_of(rc), rc, 1);
}

/*
** One run: returns 1 when it ran (verdict in *v), 0 on a harness failure
** (message in r->err), -1 when the engine has no mvcc mode.
*/
static int run_once(Run *r, Verdict *v) {
  char jm[64];
  rng_state = r->seed;
  int ok = setup_db(r);
  if (ok <= 0) return ok;
  for (int i = 0; i < r->nconn; i++) {
    Conn *c = &r->c[i];
    if (!open_conn(r, &c->db)) goto fail;
    sqlite3_busy_timeout(c->db, 0);
    query_text(c->db, "PRAGMA journal_mode", jm, sizeof jm);
    const char *want = r->mode == MODE_MVCC ? "mvcc" : "wal";
    if (strcmp(jm, want) != 0 && !(r->mode == MODE_MVCC && strcmp(jm, "experimental_mvcc") == 0)) {
      snprintf(r->err, sizeof r->err, "connection %d reports journal_mode %s, expected %s", i, jm, want);
      goto fail;
    }
    for (int k = 0; k < N_OPS; k++)
      if (sqlite3_prepare_v2(c->db, op_sql[k], -1, &c->st[k], NULL) != SQLITE_OK) {
        snprintf(r->err, sizeof r->err, "prepare %s: %s", op_sql[k], sqlite3_errmsg(c->db));
        goto fail;
      }
  }
  long committed = 0, max_steps = r->target * 200 + 10000;
  while (committed < r->target && r->steps < max_steps && !r->err[0]) {
    size_t before = r->h.n;
    step(r);
    for (size_t i = before; i < r->h.n; i++)
      if (r->h.ev[i].kind == EV_COMMIT && r->h.ev[i].outcome == OUT_OK) committed++;
  }
  if (r->err[0]) goto fail;
  /* End what is still open, then check the file from a fresh connection. */
  for (int i = 0; i < r->nconn; i++)
    if (r->c[i].state != C_IDLE) do_rollback(r, &r->c[i]);
  close_conns(r);
  Conn fresh;
  memset(&fresh, 0, sizeof fresh);
  if (!open_conn(r, &fresh.db)) goto fail;
  for (int k = 0; k < N_OPS; k++) sqlite3_prepare_v2(fresh.db, op_sql[k], -1, &fresh.st[k], NULL);
  final_scan(r, &fresh);
  char ic[256];
  query_text(fresh.db, "PRAGMA integrity_check", ic, sizeof ic);
  for (int k = 0; k < N_OPS; k++) sqlite3_finalize(fresh.st[k]);
  sqlite3_close(fresh.db);
  if (strcmp(ic, "ok") != 0) {
    snprintf(r->err, sizeof r->err, "integrity_check: %s", ic);
    return 0;
  }
  *v = check_history(&r->h, r->ntxn);
  return 1;
fail:
  close_conns(r);
  return 0;
}

static void remove_db(const char *path) {
  static const char *const sfx[] = {"", "-wal", "-shm", "-journal", "-log", "-mvcc"};
  char p[600];
  for (size_t i = 0; i < sizeof sfx / sizeof *sfx; i++) {
    snprintf(p, sizeof p, "%s%s", path, sfx[i]);
    unlink(p);
  }
}

/* ---- the suite ------------------------------------------------------------------- */

static int n_pass, n_fail, n_skip;
static char tmpdir[256];

static void report(int ok, const char *name, const char *fmt, ...) {
  va_list ap;
  printf("%s %s", ok ? "ok" : "FAIL", name);
  if (fmt) {
    printf(": ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
  }
  printf("\n");
  fflush(stdout);
  if (ok) n_pass++;
  else n_fail++;
}

/*
** Runs the harness and returns the verdict's violation count, or -1 for
** a harness failure and -2 when mvcc is missing (both reported here).
*/
static long harness(const char *name, int mode, int brk, uint64_t seed, long txns, int conns, Verdict *out,
                    int silent) {
  static Run r; /* large: keep it off the stack */
  Verdict v;
  memset(&r, 0, sizeof r);
  memset(&v, 0, sizeof v);
  r.mode = mode, r.brk = brk, r.seed = seed, r.target = txns, r.nconn = conns;
  snprintf(r.path, sizeof r.path, "%s/%s-%llu.db", tmpdir, name, (unsigned long long)seed);
  remove_db(r.path);
  int ok = run_once(&r, &v);
  history_free(&r.h);
  remove_db(r.path);
  if (ok < 0) {
    printf("skip %s: SKIP (no mvcc): PRAGMA journal_mode=experimental_mvcc does not report mvcc\n", name);
    n_skip++;
    return -2;
  }
  if (!ok) {
    report(0, name, "seed=%llu: harness: %s", (unsigned long long)seed, r.err);
    return -1;
  }
  if (out) *out = v;
  if (!silent)
    report(!v.violations, name,
           "seed=%llu conns=%d: %ld committed, %ld aborted, %ld busy BEGINs, %ld COMMITs left open by BUSY, %ld "
           "checkpoints; %ld violations%s%s",
           (unsigned long long)seed, conns, v.committed, v.aborted, r.begins_busy, r.commits_busy_open,
           r.checkpoints, v.violations, v.violations ? "; first: " : "", v.violations ? v.first : "");
  return v.violations;
}

/* A synthetic history, written by hand: the checker's own tests. */
typedef struct Synth {
  History h;
  int ntxn;
} Synth;

static void syn(Synth *s, int kind, int txn, int opkind, int a, int b, int c, long long d, int outcome,
                const char *text, int autocommit) {
  Event e = {kind, txn, 0, {opkind, a, b, c, d}, outcome, 0, autocommit, text ? strdup(text) : NULL};
  history_add(&s->h, e);
  if (txn > s->ntxn) s->ntxn = txn;
}

static void checker_selftests(void) {
  Synth s;
  Verdict v;
  /* Valid: T1 reads id 1 (initial row k=1,u1,v=10), T2 updates it and commits, T1 still reads the old row. */
  memset(&s, 0, sizeof s);
  syn(&s, EV_BEGIN, 1, 0, 0, 0, -1, 0, OUT_OK, NULL, 0);
  syn(&s, EV_OP, 1, R_POINT, 1, 0, -1, 0, OUT_OK, "1,u1,10", 0);
  syn(&s, EV_BEGIN, 2, 0, 0, 0, -1, 0, OUT_OK, NULL, 0);
  syn(&s, EV_OP, 2, W_UPD, 1, 4, -1, 5, OUT_OK, "ok n=1", 0);
  syn(&s, EV_COMMIT, 2, 0, 0, 0, -1, 0, OUT_OK, NULL, 1);
  syn(&s, EV_OP, 1, R_POINT, 1, 0, -1, 0, OUT_OK, "1,u1,10", 0);
  syn(&s, EV_COMMIT, 1, 0, 0, 0, -1, 0, OUT_OK, NULL, 1);
  syn(&s, EV_BEGIN, 3, 0, 0, 0, -1, 0, OUT_OK, NULL, 0);
  syn(&s, EV_OP, 3, R_POINT, 1, 0, -1, 0, OUT_OK, "4,u1,15", 0);
  syn(&s, EV_COMMIT, 3, 0, 0, 0, -1, 0, OUT_OK, NULL, 1);
  v = check_history(&s.h, s.ntxn);
  report(v.violations == 0 && v.committed == 3, "checker_accepts_a_snapshot_history", v.violations ? "%s" : NULL,
         v.first);
  history_free(&s.h);

  /* Stale: T1's second read sees T2's commit (a non-repeatable read). */
  memset(&s, 0, sizeof s);
  syn(&s, EV_BEGIN, 1, 0, 0, 0, -1, 0, OUT_OK, NULL, 0);
  syn(&s, EV_OP, 1, R_POINT, 1, 0, -1, 0, OUT_OK, "1,u1,10", 0);
  syn(&s, EV_BEGIN, 2, 0, 0, 0, -1, 0, OUT_OK, NULL, 0);
  syn(&s, EV_OP, 2, W_UPD, 1, 4, -1, 5, OUT_OK, "ok n=1", 0);
  syn(&s, EV_COMMIT, 2, 0, 0, 0, -1, 0, OUT_OK, NULL, 1);
  syn(&s, EV_OP, 1, R_POINT, 1, 0, -1, 0, OUT_OK, "4,u1,15", 0);
  syn(&s, EV_COMMIT, 1, 0, 0, 0, -1, 0, OUT_OK, NULL, 1);
  v = check_history(&s.h, s.ntxn);
  report(v.stale_reads == 1, "checker_catches_a_non_repeatable_read", "%ld stale reads", v.stale_reads);
  history_free(&s.h);

  /* Phantom: a range read of T1 gains a row T2 inserted after T1 began. */
  memset(&s, 0, sizeof s);
  syn(&s, EV_BEGIN, 1, 0, 0, 0, -1, 0, OUT_OK, NULL, 0);
  syn(&s, EV_BEGIN, 2, 0, 0, 0, -1, 0, OUT_OK, NULL, 0);
  syn(&s, EV_OP, 2, W_INSERT, 2, 1, -1, 7, OUT_OK, "ok n=1", 0);
  syn(&s, EV_COMMIT, 2, 0, 0, 0, -1, 0, OUT_OK, NULL, 1);
  syn(&s, EV_OP, 1, R_KRANGE, 1, 1, -1, 0, OUT_OK, "1,1,u1,10;2,1,N,7;11,1,u11,110;21,1,N,210;31,1,u31,310", 0);
  syn(&s, EV_COMMIT, 1, 0, 0, 0, -1, 0, OUT_OK, NULL, 1);
  v = check_history(&s.h, s.ntxn);
  report(v.stale_reads == 1, "checker_catches_a_phantom", "%ld stale reads", v.stale_reads);
  history_free(&s.h);

  /* Lost update: T1 and T2 overlap, both update id 1, both commit. */
  memset(&s, 0, sizeof s);
  syn(&s, EV_BEGIN, 1, 0, 0, 0, -1, 0, OUT_OK, NULL, 0);
  syn(&s, EV_BEGIN, 2, 0, 0, 0, -1, 0, OUT_OK, NULL, 0);
  syn(&s, EV_OP, 1, W_UPD, 1, 1, -1, 1, OUT_OK, "ok n=1", 0);
  syn(&s, EV_OP, 2, W_UPD, 1, 1, -1, 2, OUT_OK, "ok n=1", 0);
  syn(&s, EV_COMMIT, 1, 0, 0, 0, -1, 0, OUT_OK, NULL, 1);
  syn(&s, EV_COMMIT, 2, 0, 0, 0, -1, 0, OUT_OK, NULL, 1);
  v = check_history(&s.h, s.ntxn);
  report(v.lost_updates == 1, "checker_catches_a_lost_update", "%ld lost updates", v.lost_updates);
  history_free(&s.h);

  /* Aborted leak: T1 inserts id 2 and rolls back; T2 still finds it. */
  memset(&s, 0, sizeof s);
  syn(&s, EV_BEGIN, 1, 0, 0, 0, -1, 0, OUT_OK, NULL, 0);
  syn(&s, EV_OP, 1, W_INSERT, 2, 3, -1, 99, OUT_OK, "ok n=1", 0);
  syn(&s, EV_ROLLBACK, 1, 0, 0, 0, -1, 0, OUT_OK, NULL, 1);
  syn(&s, EV_BEGIN, 2, 0, 0, 0, -1, 0, OUT_OK, NULL, 0);
  syn(&s, EV_OP, 2, R_POINT, 2, 0, -1, 0, OUT_OK, "3,N,99", 0);
  syn(&s, EV_COMMIT, 2, 0, 0, 0, -1, 0, OUT_OK, NULL, 1);
  v = check_history(&s.h, s.ntxn);
  report(v.stale_reads == 1, "checker_catches_a_rolled_back_write", "%ld stale reads", v.stale_reads);
  history_free(&s.h);

  /* Two concurrent inserts of distinct ids with the same UNIQUE value both commit. */
  memset(&s, 0, sizeof s);
  syn(&s, EV_BEGIN, 1, 0, 0, 0, -1, 0, OUT_OK, NULL, 0);
  syn(&s, EV_BEGIN, 2, 0, 0, 0, -1, 0, OUT_OK, NULL, 0);
  syn(&s, EV_OP, 1, W_INSERT, 2, 0, 40, 1, OUT_OK, "ok n=1", 0);
  syn(&s, EV_OP, 2, W_INSERT, 4, 0, 40, 1, OUT_OK, "ok n=1", 0);
  syn(&s, EV_COMMIT, 1, 0, 0, 0, -1, 0, OUT_OK, NULL, 1);
  syn(&s, EV_COMMIT, 2, 0, 0, 0, -1, 0, OUT_OK, NULL, 1);
  v = check_history(&s.h, s.ntxn);
  report(v.unique_dups == 1 && v.lost_updates == 0, "checker_catches_a_committed_unique_duplicate",
         "%ld duplicates", v.unique_dups);
  history_free(&s.h);

  /* A constraint error its snapshot does not explain (the row came from a later commit). */
  memset(&s, 0, sizeof s);
  syn(&s, EV_BEGIN, 1, 0, 0, 0, -1, 0, OUT_OK, NULL, 0);
  syn(&s, EV_BEGIN, 2, 0, 0, 0, -1, 0, OUT_OK, NULL, 0);
  syn(&s, EV_OP, 2, W_INSERT, 2, 0, -1, 1, OUT_OK, "ok n=1", 0);
  syn(&s, EV_COMMIT, 2, 0, 0, 0, -1, 0, OUT_OK, NULL, 1);
  syn(&s, EV_OP, 1, W_INSERT, 2, 0, -1, 1, OUT_CONSTRAINT, "constraint", 0);
  syn(&s, EV_COMMIT, 1, 0, 0, 0, -1, 0, OUT_OK, NULL, 1);
  v = check_history(&s.h, s.ntxn);
  report(v.stale_reads == 1, "checker_catches_a_constraint_from_outside_the_snapshot", "%ld", v.stale_reads);
  history_free(&s.h);
}

static uint64_t env_seed(uint64_t dflt) {
  const char *s = getenv("LODE_MVCC_SEED");
  return s && *s ? strtoull(s, NULL, 10) : dflt;
}

static void suite(void) {
  int lng = getenv("LODE_MVCC_LONG") && atoi(getenv("LODE_MVCC_LONG")) > 0;
  uint64_t seed = env_seed(20261203);
  Verdict v;
  checker_selftests();

  /* The harness on serializable histories: WAL, BEGIN IMMEDIATE writers, snapshot readers. */
  for (int i = 0; i < (lng ? 8 : 2); i++)
    harness("wal_immediate_histories_pass", MODE_WAL, BREAK_NONE, seed + (uint64_t)i, lng ? 100000 : 5000, 3 + 3 * i,
            NULL, 0);

  /* Broken variants must be caught. */
  memset(&v, 0, sizeof v);
  long n = harness("broken_readers", MODE_WAL, BREAK_NOREADTXN, seed, 1000, 6, &v, 1);
  if (n >= 0)
    report(v.stale_reads > 0, "checker_catches_readers_without_a_transaction",
           "seed=%llu: %ld stale reads, %ld lost updates", (unsigned long long)seed, v.stale_reads, v.lost_updates);
  memset(&v, 0, sizeof v);
  n = harness("broken_writers", MODE_WAL, BREAK_NOWRITETXN, seed, 1000, 6, &v, 1);
  if (n >= 0)
    report(v.stale_reads > 0 && v.lost_updates > 0, "checker_catches_writers_without_a_transaction",
           "seed=%llu: %ld stale reads, %ld lost updates", (unsigned long long)seed, v.stale_reads, v.lost_updates);

  /* The real thing. */
  int seeds = lng ? 20 : 3;
  long per = lng ? 200000 : 10000;
  for (int i = 0; i < seeds; i++) {
    char name[64];
    snprintf(name, sizeof name, "mvcc_snapshot_isolation_%d", i);
    if (harness(name, MODE_MVCC, BREAK_NONE, seed + 1000 + (uint64_t)i, per, 4 + 2 * (i % 3), NULL, 0) == -2) break;
  }
}

int main(int argc, char **argv) {
  trace = getenv("LODE_SI_TRACE") && atoi(getenv("LODE_SI_TRACE")) > 0;
  const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
  snprintf(tmpdir, sizeof tmpdir, "%s/si_random.XXXXXX", base);
  if (!mkdtemp(tmpdir)) {
    perror("mkdtemp");
    return 1;
  }
  if (argc == 1) {
    suite();
  } else { /* one run: --mode=wal|mvcc --seed=N --txns=N --conns=N --break=none|readers|writers */
    int mode = MODE_MVCC, brk = BREAK_NONE, conns = 6;
    long txns = 10000;
    uint64_t seed = env_seed(1);
    for (int i = 1; i < argc; i++) {
      const char *a = argv[i];
      if (!strncmp(a, "--mode=", 7)) mode = !strcmp(a + 7, "wal") ? MODE_WAL : MODE_MVCC;
      else if (!strncmp(a, "--seed=", 7)) seed = strtoull(a + 7, NULL, 10);
      else if (!strncmp(a, "--txns=", 7)) txns = atol(a + 7);
      else if (!strncmp(a, "--conns=", 8)) conns = atoi(a + 8);
      else if (!strncmp(a, "--break=", 8))
        brk = !strcmp(a + 8, "readers") ? BREAK_NOREADTXN : !strcmp(a + 8, "writers") ? BREAK_NOWRITETXN : 0;
      else {
        fprintf(stderr, "usage: %s [--mode=wal|mvcc] [--seed=N] [--txns=N] [--conns=N] [--break=readers|writers]\n",
                argv[0]);
        return 2;
      }
    }
    if (conns < 1) conns = 1;
    if (conns > MAXCONN) conns = MAXCONN;
    harness("si_random", mode, brk, seed, txns, conns, NULL, 0);
  }
  rmdir(tmpdir);
  printf("%d passed, %d failed, %d skipped\n", n_pass, n_fail, n_skip);
  return n_fail ? 1 : 0;
}
