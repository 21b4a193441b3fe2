/*
** vdbe_stat4.c — ANALYZE's pass over one index (OP_StatInit, OP_StatScan,
** OP_StatText, OP_StatSample): the counts of sqlite_stat1 and the samples
** of sqlite_stat4.
**
** ANALYZE reads an index once in key order and hands each entry here, as
** its record on the page.  The entry is compared with the one before it,
** field by field ("ichng": the position of the first field that differs,
** with the field's collation and NULL equal to NULL; 0 for the first
** entry, ncol - 1 when only the row's identity differs).  An entry has ncol
** columns: the key columns, then the rowid (or the PRIMARY KEY columns a
** WITHOUT ROWID index appends).  From ichng come the number of distinct
** prefixes of each length, which OP_StatText turns into sqlite_stat1's
** "N D1 … Dk", and the samples.  What comes out for sqlite_stat4 is at most
** STAT4_MAX_SAMPLES entries, in key order, each with three lists of ncol
** counts (SQLite's fileformat2.html, "The SQLITE_STAT4 table"):
**   neq[i]   entries whose first i+1 columns equal the sample's
**   nlt[i]   entries whose first i+1 columns sort before the sample's
**   ndlt[i]  distinct (i+1)-column prefixes before the sample's
** and the sample's record.  Which entries become samples decides how well
** the planner's estimates match SQLite's, so the choice is SQLite 3.53's
** as observed and as its documentation describes it:
**   - periodic samples: every entry whose position p (0-based) has
**     p / period != (p + 1) / period, period = N / (max / 3 + 1) + 1;
**   - for each prefix length, the runs of equal prefixes that are longest:
**     a run, once it ends, offers one of its entries (the "best" one seen
**     while it lasted: a longer run of the next columns so far, ties broken
**     by a pseudo-random hash that depends only on N, ncol and the position)
**     and it replaces the weakest non-periodic sample when it beats it
**     (a longer run first, then a shorter prefix, then as above);
**   - a run that already holds a sample does not add another: a periodic
**     sample in it wins, else the best sample in it stands for the run.
** Counts a sample cannot know yet (the length of a run that has not ended)
** are 0 until the run ends.  The counts a run's best entry carries for the
** longer prefixes are those at the moment it was chosen, as in SQLite.
**
** An entry is kept as the bytes of its record up to the end of its ncol-th
** field: keeping one is a copy, and only a sample handed out is decoded
** (and re-encoded with the table's REAL affinities: the index stores an
** integral REAL as an integer).  The entry before the current one is not
** copied while the cursor walks its leaf: it is read where it lies.  The
** per-entry work is the header's parse, the comparison of the bytes of
** the compared fields (values are decoded only when bytes cannot tell),
** and, per prefix, one comparison with the weakest sample.
**
** The accumulator lives in a register as an aggregate state (MEM_AGG) whose
** final function frees it, so that a run stopped half way frees it too.
*/
#include <stdio.h>
#include <string.h>

#include "vdbe/vdbe_internal.h"

#define STAT4_MAX_SAMPLES 24 /* SQLite's default (SQLITE_STAT4_SAMPLES) */

/* The LCG SQLite's ANALYZE draws its tie-breaking hashes from, and the seed's factors. */
#define STAT4_LCG_MUL 1103515245u
#define STAT4_LCG_ADD 12345u
#define STAT4_SEED_NCOL 0x689e962du
#define STAT4_SEED_NROW 0xd0944565u

typedef struct StatEntry {
  int64_t *eq, *lt, *dlt; /* ncol counts each (one allocation: eq[0..3*ncol)) */
  uint8_t *bytes;         /* the record up to the end of field nfield-1 (util_malloc'd) */
  uint32_t nbytes;
  uint32_t bytes_cap;
  int nfield;             /* fields of the ncol the record has (the rest read as NULL) */
  /* The record is that of the entry before the current one, Stat4.prev,
  ** pushed as entry number row: a run's best entry is usually the entry
  ** just pushed, and is copied only once the next entry does not replace
  ** it. */
  int in_prev;
  int64_t row;
  uint8_t *rec;           /* the sample's record once made (util_malloc'd), or NULL */
  uint32_t nrec;
  int rec_ok;             /* rec is the record of bytes */
  /* A best entry that is the entry before the current one: its counts,
  ** standing and hash are the current entry's (eq, lt, dlt hold nothing),
  ** until the current entry's counts move on. */
  int counts_in_cur;
  int col;       /* the prefix (0-based last column) this entry stands for */
  int periodic;  /* a periodic sample: never replaced */
  uint32_t hash; /* tie-breaker */
} StatEntry;

/* The current entry, as the cursor has it during a push. */
typedef struct StatRec {
  const uint8_t *rec;
  uint32_t n; /* bytes of rec through field ncol-1 */
  const uint64_t *types;
  const uint32_t *offs;
  int nfield; /* fields the record has, of the ncol (fewer read as NULL) */
} StatRec;

typedef struct Stat4 {
  int ncol;
  int max;         /* samples kept at most */
  int64_t period;  /* a periodic sample every period entries */
  int64_t to_periodic; /* entries to go until the next periodic sample, this one included */
  int64_t nrow;    /* entries pushed */
  uint32_t prng;
  int max_eq_zero; /* no sample has a 0 in eq[j] for j >= this */
  int worst;       /* once full: the non-periodic sample a better one replaces */
  int nsamples;
  int next;        /* OP_StatSample: the next sample to hand out; -1 before the first */
  char *aff;       /* ncol affinities: a REAL one makes an integer REAL in a sample */
  const StatRec *cur_rec; /* the current entry's record, during a push */
  int cur_captured;       /* cur holds cur_rec's bytes */
  StatEntry cur;   /* the current entry */
  StatEntry prev;  /* the entry before it (its bytes, for the comparison), number prev.row */
  const uint8_t *prev_rec; /* prev's record: prev.bytes, or where it lies on the cursor's page */
  uint64_t *types; /* ncol: the current entry's serial types */
  uint32_t *offs;  /* ncol: and its fields' offsets */
  uint64_t *prev_types; /* the same of prev (the arrays swap roles after each entry) */
  uint32_t *prev_offs;
  uint8_t *buf;    /* the current entry's record when it spills to overflow pages */
  uint32_t buf_cap;
  StatEntry *best; /* ncol - 1: per prefix, the best entry of its current run */
  StatEntry *samples;
} Stat4;

static int entry_init(StatEntry *e, int ncol) {
  memset(e, 0, sizeof *e);
  e->eq = util_zalloc(sizeof(int64_t) * 3 * (size_t)ncol);
  if (!e->eq) return LODE_NOMEM;
  e->lt = e->eq + ncol;
  e->dlt = e->lt + ncol;
  return LODE_OK;
}

static void entry_free(StatEntry *e) {
  util_free(e->eq);
  util_free(e->bytes);
  util_free(e->rec);
  e->eq = NULL;
  e->bytes = NULL;
  e->rec = NULL;
}

static void stat4_free(Stat4 *s) {
  if (!s) return;
  entry_free(&s->cur);
  entry_free(&s->prev);
  if (s->best)
    for (int i = 0; i < s->ncol - 1; i++) entry_free(&s->best[i]);
  if (s->samples)
    for (int i = 0; i < s->max; i++) entry_free(&s->samples[i]);
  util_free(s->best);
  util_free(s->samples);
  util_free(s->aff);
  util_free(s->types);
  util_free(s->offs);
  util_free(s->prev_types);
  util_free(s->prev_offs);
  util_free(s->buf);
  util_free(s);
}

/* The final function of the accumulator's aggregate state: frees it. */
static void stat4_final(FuncContext *ctx) {
  Stat4 **slot = ctx->agg;
  stat4_free(*slot);
  *slot = NULL;
}

static const FuncDef stat4_func = {"stat4", 0, FUNC_AGGREGATE, NULL, NULL, stat4_final, sizeof(Stat4 *), NULL};

static Stat4 *stat4_of(const Mem *acc) {
  if (acc->type != MEM_AGG || !acc->z) return NULL;
  const AggState *st = (const AggState *)acc->z;
  if (st->func != &stat4_func) return NULL;
  return *(Stat4 **)(acc->z + AGG_CONTEXT_OFFSET);
}

/* e's record = the n bytes at src, nfield fields. */
static int entry_set_bytes(StatEntry *e, const uint8_t *src, uint32_t n, int nfield) {
  if (n > e->bytes_cap) {
    uint8_t *p = util_realloc(e->bytes, n);
    if (!p) return LODE_NOMEM;
    e->bytes = p;
    e->bytes_cap = n;
  }
  if (n) memcpy(e->bytes, src, n);
  e->nbytes = n;
  e->nfield = nfield;
  e->rec_ok = 0;
  e->in_prev = 0;
  return LODE_OK;
}

/* e's record = the current entry's. */
static int entry_set_cur(Stat4 *s, StatEntry *e) {
  return entry_set_bytes(e, s->cur_rec->rec, s->cur_rec->n, s->cur_rec->nfield);
}

/* prev's record in its own buffer, before the cursor takes a step that
** may leave the page it lies on. */
static int prev_own(Stat4 *s) {
  if (s->prev_rec == s->prev.bytes) return LODE_OK;
  int rc = entry_set_bytes(&s->prev, s->prev_rec, s->prev.nbytes, s->prev.nfield);
  if (rc == LODE_OK) s->prev_rec = s->prev.bytes;
  return rc;
}

/* A walk over the fields of an entry's record, in order: its header was
** checked when the entry was read from the b-tree, and the copy holds all
** of it (it reaches the end of the last field kept). */
typedef struct FieldWalk {
  const uint8_t *rec;
  uint32_t hdr;  /* the next serial type's header offset */
  uint32_t body; /* the next field's offset */
  int left;      /* fields left */
} FieldWalk;

static void walk_init(FieldWalk *w, const StatEntry *e) {
  uint64_t hs = 0;
  w->rec = e->bytes;
  w->left = e->nfield;
  w->hdr = w->left > 0 ? (uint32_t)util_varint_get(e->bytes, &hs) : 0;
  w->body = (uint32_t)hs;
}

/* The next field's serial type and bytes (0 and NULL past the record's last). */
static uint64_t walk_next(FieldWalk *w, const uint8_t **val) {
  uint64_t t;
  if (w->left <= 0) {
    *val = NULL;
    return 0;
  }
  w->hdr += (uint32_t)util_varint_get(w->rec + w->hdr, &t);
  *val = w->rec + w->body;
  w->body += (uint32_t)record_serial_len(t);
  w->left--;
  return t;
}

/* The current entry's record, copied into cur at most once per push. */
static int cur_capture(Stat4 *s) {
  if (s->cur_captured) return LODE_OK;
  int rc = entry_set_cur(s, &s->cur);
  if (rc == LODE_OK) s->cur_captured = 1;
  return rc;
}

/* dst's counts and standing = src's. */
static void entry_copy_counts(const Stat4 *s, StatEntry *dst, const StatEntry *src) {
  /* A few counts each (eq, lt and dlt lie end to end): copied in line. */
  for (int i = 0; i < 3 * s->ncol; i++) dst->eq[i] = src->eq[i];
  dst->col = src->col;
  dst->periodic = src->periodic;
  dst->hash = src->hash;
}

/* dst = src, counts and record (dst keeps its own buffers). */
static int entry_copy(Stat4 *s, StatEntry *dst, const StatEntry *src) {
  entry_copy_counts(s, dst, src);
  assert(!src->in_prev || src->row == s->prev.row);
  if (src->in_prev) return entry_set_bytes(dst, s->prev_rec, s->prev.nbytes, s->prev.nfield);
  return entry_set_bytes(dst, src->bytes, src->nbytes, src->nfield);
}

/* e's sample record, made from its fields when first asked: the values
** decoded, a REAL column's integer made a REAL (the sample is the table
** row's columns, where a REAL column reads as a REAL), and encoded again. */
static int entry_record(const Stat4 *s, StatEntry *e) {
  if (e->rec_ok) return LODE_OK;
  util_free(e->rec);
  e->rec = NULL;
  e->nrec = 0;
  Mem *vals = util_malloc(sizeof(Mem) * (size_t)s->ncol);
  if (!vals) return LODE_NOMEM;
  FieldWalk w;
  walk_init(&w, e);
  for (int i = 0; i < s->ncol; i++) {
    const uint8_t *val;
    uint64_t t = walk_next(&w, &val);
    mem_init(&vals[i]);
    if (val) record_decode_value(val, t, &vals[i]);
    if (s->aff[i] == AFF_REAL && vals[i].type == MEM_INT) mem_set_real(&vals[i], (double)vals[i].u.i);
  }
  int rc = record_encode(vals, s->ncol, &e->rec, &e->nrec);
  for (int i = 0; i < s->ncol; i++) mem_release(&vals[i]);
  util_free(vals);
  if (rc == LODE_OK) e->rec_ok = 1;
  return rc;
}

/* Of two entries standing for the same prefix col, whether the one of eq
** counts and hash beats b: longer runs of the following columns, then the
** hash. */
static inline int better_after_as(const Stat4 *s, const int64_t *eq, int col, uint32_t hash, const StatEntry *b) {
  for (int i = col + 1; i < s->ncol; i++) {
    if (eq[i] != b->eq[i]) return eq[i] > b->eq[i];
  }
  return hash > b->hash;
}

/* Whether the sample candidate of eq counts, prefix col and hash beats b:
** the longer run of its prefix, then the shorter prefix, then
** better_after_as. */
static inline int better_as(const Stat4 *s, const int64_t *eq, int col, uint32_t hash, const StatEntry *b) {
  int64_t na = eq[col], nb = b->eq[b->col];
  if (na != nb) return na > nb;
  if (col != b->col) return col < b->col;
  return better_after_as(s, eq, col, hash, b);
}

static inline int better(const Stat4 *s, const StatEntry *a, const StatEntry *b) {
  return better_as(s, a->eq, a->col, a->hash, b);
}

/* Best entry i's own counts, standing, and (as the entry the current one
** was) hash, taken from the current entry before its counts move on. */
static void best_settle(Stat4 *s, int i) {
  StatEntry *b = &s->best[i];
  if (!b->counts_in_cur) return;
  entry_copy_counts(s, b, &s->cur);
  b->col = i;
  b->periodic = 0;
  b->counts_in_cur = 0;
}

static void find_worst(Stat4 *s) {
  if (s->nsamples < s->max) return;
  s->worst = -1;
  for (int i = 0; i < s->max; i++) {
    if (s->samples[i].periodic) continue;
    if (s->worst < 0 || better(s, &s->samples[s->worst], &s->samples[i])) s->worst = i;
  }
}

/* Adds e as a sample whose first nzero eq counts are not known yet. */
static int sample_add(Stat4 *s, const StatEntry *e, int nzero) {
  if (nzero > s->max_eq_zero) s->max_eq_zero = nzero;
  if (!e->periodic) {
    /* A sample whose eq count for e's prefix is still 0 lies in e's run:
    ** the run has its sample already. */
    StatEntry *up = NULL;
    for (int i = s->nsamples - 1; i >= 0; i--) {
      StatEntry *old = &s->samples[i];
      if (old->eq[e->col] != 0) continue;
      if (old->periodic) return LODE_OK;
      if (!up || better(s, old, up)) up = old;
    }
    if (up) {
      up->col = e->col;
      up->eq[e->col] = e->eq[e->col];
      find_worst(s);
      return LODE_OK;
    }
  }
  if (s->nsamples >= s->max) {
    if (s->worst < 0) return LODE_OK; /* all periodic: cannot happen with max / 3 + 1 periods */
    StatEntry gone = s->samples[s->worst];
    memmove(&s->samples[s->worst], &s->samples[s->worst + 1],
            sizeof(StatEntry) * (size_t)(s->nsamples - s->worst - 1));
    s->samples[s->nsamples - 1] = gone; /* its buffers are reused */
    s->nsamples--;
  }
  StatEntry *dst = &s->samples[s->nsamples];
  int rc = entry_copy(s, dst, e);
  if (rc != LODE_OK) return rc;
  s->nsamples++;
  memset(dst->eq, 0, sizeof(int64_t) * (size_t)nzero);
  find_worst(s);
  return LODE_OK;
}

/* The runs of the prefixes of length ichng+1 and longer have ended: each
** offers its best entry, and the samples learn the lengths of the runs they
** lie in. */
/* In line in the per-entry path, which calls it for every entry. */
static inline __attribute__((always_inline)) int runs_end(Stat4 *s, int ichng) {
  for (int i = s->ncol - 2; i >= ichng; i--) {
    StatEntry *b = &s->best[i];
    int offer;
    if (b->counts_in_cur) {
      /* The entry just before: its counts are still the current entry's. */
      offer = s->nsamples < s->max ||
              (s->worst >= 0 && better_as(s, s->cur.eq, i, s->cur.hash, &s->samples[s->worst]));
      if (offer) best_settle(s, i);
    } else {
      b->eq[i] = s->cur.eq[i];
      offer = s->nsamples < s->max || (s->worst >= 0 && better(s, b, &s->samples[s->worst]));
    }
    if (offer) {
      int rc = sample_add(s, b, i);
      if (rc != LODE_OK) return rc;
    }
  }
  if (ichng < s->max_eq_zero) {
    for (int i = s->nsamples - 1; i >= 0; i--)
      for (int j = ichng; j < s->ncol; j++)
        if (s->samples[i].eq[j] == 0) s->samples[i].eq[j] = s->cur.eq[j];
    s->max_eq_zero = ichng;
  }
  return LODE_OK;
}

static int serial_is_int(uint64_t t) { return (t >= 1 && t <= 6) || t == 8 || t == 9; }

static int64_t serial_int(uint64_t t, const uint8_t *b) { return t >= 8 ? (int64_t)t - 8 : record_int_body(t, b); }

/* The kinds of value a serial type holds, in the order the index sorts
** them: two fields of different kinds are never equal. */
enum { KIND_NULL, KIND_NUM, KIND_TEXT, KIND_BLOB, KIND_OTHER };

static int serial_kind(uint64_t t) {
  if (t >= 12) return t & 1 ? KIND_TEXT : KIND_BLOB;
  if (t == 0) return KIND_NULL;
  return t <= 9 ? KIND_NUM : KIND_OTHER; /* 10 and 11 are reserved */
}

/* Whether n bytes at a and at b are the same: short fields (most keys'
** integers) in line rather than through a call. */
static int bytes_equal(const uint8_t *a, const uint8_t *b, uint32_t n) {
  if (n > 8) return memcmp(a, b, n) == 0;
  for (uint32_t i = 0; i < n; i++)
    if (a[i] != b[i]) return 0;
  return 1;
}

/* Whether two fields are equal as the index orders them (with collation
** coll; NULL equal to NULL).  Most pairs are told by their bytes: the same
** bytes are the same value; different bytes of one serial type are
** different integers, blobs, or texts under BINARY; values of different
** kinds differ, and so do blobs of different lengths, and texts of
** different lengths under BINARY or NOCASE (which folds ASCII letters
** only, one byte for one byte).  Only an integer against a REAL, and texts
** under RTRIM, NOCASE (of one length) or an application's collation, are
** compared as values. */
static int fields_equal(uint64_t ta, const uint8_t *a, uint64_t tb, const uint8_t *b, int coll) {
  if (ta == tb) {
    uint32_t n = record_serial_len(ta);
    if (n == 0 || bytes_equal(a, b, n)) return 1;
    if (serial_is_int(ta) || (ta >= 12 && (!(ta & 1) || coll == COLL_BINARY))) return 0;
  } else {
    int kind = serial_kind(ta);
    if (kind != serial_kind(tb) || kind == KIND_BLOB) return 0;
    if (kind == KIND_TEXT && (coll == COLL_BINARY || coll == COLL_NOCASE)) return 0;
    if (serial_is_int(ta) && serial_is_int(tb)) return serial_int(ta, a) == serial_int(tb, b);
  }
  Mem ma, mb;
  mem_init(&ma);
  mem_init(&mb);
  if (a) record_decode_value(a, ta, &ma);
  if (b) record_decode_value(b, tb, &mb);
  return mem_compare(&ma, &mb, coll) == 0;
}

/* The position of the first of the ncmp compared fields in which the
** current entry differs from the one before (each field with its
** collation, NULL equal to NULL), or ncol - 1 when none does. */
static int first_change(const Stat4 *s, const StatRec *r, int ncmp, const KeyInfo *k) {
  const StatEntry *p = &s->prev;
  int nkey = k ? k->nkey : 0;
  if (p->nfield >= ncmp && r->nfield >= ncmp) {
    /* Both entries hold every compared field (as nearly all do). */
    for (int j = 0; j < ncmp; j++) {
      if (!fields_equal(s->prev_types[j], s->prev_rec + s->prev_offs[j], r->types[j], r->rec + r->offs[j],
                        j < nkey ? k->coll[j] : COLL_BINARY))
        return j;
    }
    return s->ncol - 1;
  }
  for (int j = 0; j < ncmp; j++) {
    const uint8_t *a = j < p->nfield ? s->prev_rec + s->prev_offs[j] : NULL;
    const uint8_t *b = j < r->nfield ? r->rec + r->offs[j] : NULL;
    uint64_t ta = a ? s->prev_types[j] : 0, tb = b ? r->types[j] : 0;
    if (!fields_equal(ta, a, tb, b, j < nkey ? k->coll[j] : COLL_BINARY)) return j;
  }
  return s->ncol - 1;
}

static int stat4_push(Stat4 *s, int ichng) {
  int rc;
  if (s->nrow == 0) {
    for (int i = 0; i < s->ncol; i++) s->cur.eq[i] = 1;
  } else {
    if ((rc = runs_end(s, ichng)) != LODE_OK) return rc;
    /* The runs of the shorter prefixes go on: their best entries keep the
    ** counts they have now. */
    for (int i = 0; i < ichng && i < s->ncol - 1; i++) best_settle(s, i);
    for (int i = 0; i < ichng; i++) s->cur.eq[i]++;
    for (int i = ichng; i < s->ncol; i++) {
      s->cur.dlt[i]++;
      s->cur.lt[i] += s->cur.eq[i];
      s->cur.eq[i] = 1;
    }
  }
  s->nrow++;
  s->prng = s->prng * STAT4_LCG_MUL + STAT4_LCG_ADD;
  s->cur.hash = s->prng;
  /* The entry's position p is nrow - 1 (the last column differs from one
  ** entry to the next), so p / period != (p + 1) / period comes round
  ** every period entries. */
  assert(s->cur.lt[s->ncol - 1] == s->nrow - 1);
  if (--s->to_periodic == 0) {
    s->to_periodic = s->period;
    if ((rc = cur_capture(s)) != LODE_OK) return rc;
    s->cur.periodic = 1;
    s->cur.col = 0;
    rc = sample_add(s, &s->cur, s->ncol - 1);
    s->cur.periodic = 0;
    if (rc != LODE_OK) return rc;
  }
  for (int i = 0; i < s->ncol - 1; i++) {
    StatEntry *b = &s->best[i];
    if (i >= ichng || better_after_as(s, s->cur.eq, i, s->cur.hash, b)) {
      /* The counts are the current entry's until it moves on, and the
      ** record is the one prev is about to hold. */
      b->counts_in_cur = 1;
      b->in_prev = 1;
      b->row = s->nrow;
    } else if (b->in_prev) {
      /* Still the entry before the current one, whose record prev is
      ** about to give up: its own copy. */
      assert(b->row == s->prev.row);
      if ((rc = entry_set_bytes(b, s->prev_rec, s->prev.nbytes, s->prev.nfield)) != LODE_OK) return rc;
    }
  }
  /* prev borrows the record where the scan read it: on the page, or in buf
  ** for one that spills.  Both stay put while the cursor stays on its leaf;
  ** prev_own copies the record before a step that may leave it. */
  s->prev.nbytes = s->cur_rec->n;
  s->prev.nfield = s->cur_rec->nfield;
  s->prev_rec = s->cur_rec->rec;
  s->prev.row = s->nrow;
  uint64_t *t = s->prev_types;
  uint32_t *o = s->prev_offs;
  s->prev_types = s->types;
  s->prev_offs = s->offs;
  s->types = t;
  s->offs = o;
  return LODE_OK;
}

static Stat4 *stat4_new(int ncol, int64_t nest) {
  Stat4 *s = util_zalloc(sizeof *s);
  if (!s) return NULL;
  s->ncol = ncol;
  s->max = STAT4_MAX_SAMPLES;
  s->next = -1;
  s->period = (nest < 0 ? 0 : nest) / (s->max / 3 + 1) + 1;
  s->to_periodic = s->period;
  s->prng = STAT4_SEED_NCOL * (uint32_t)ncol ^ STAT4_SEED_NROW * (uint32_t)nest;
  s->best = util_zalloc(sizeof(StatEntry) * (size_t)(ncol > 1 ? ncol - 1 : 1));
  s->samples = util_zalloc(sizeof(StatEntry) * (size_t)s->max);
  s->types = util_zalloc(sizeof(uint64_t) * (size_t)ncol);
  s->offs = util_zalloc(sizeof(uint32_t) * (size_t)ncol);
  s->prev_types = util_zalloc(sizeof(uint64_t) * (size_t)ncol);
  s->prev_offs = util_zalloc(sizeof(uint32_t) * (size_t)ncol);
  if (!s->best || !s->samples || !s->types || !s->offs || !s->prev_types || !s->prev_offs ||
      entry_init(&s->cur, ncol) != LODE_OK || entry_init(&s->prev, ncol) != LODE_OK)
    goto fail;
  for (int i = 0; i < ncol - 1; i++)
    if (entry_init(&s->best[i], ncol) != LODE_OK) goto fail;
  for (int i = 0; i < s->max; i++)
    if (entry_init(&s->samples[i], ncol) != LODE_OK) goto fail;
  return s;
fail:
  stat4_free(s);
  return NULL;
}

int vdbe_stat4_init(Vdbe *v, const VdbeOp *op) {
  Mem *acc = &v->mem[op->p1];
  int64_t nest = mem_as_int(&v->mem[op->p3]);
  size_t size = AGG_CONTEXT_OFFSET + sizeof(Stat4 *);
  vdbe_reg_clear(v, acc);
  AggState *st = util_zalloc(size);
  if (!st) return LODE_NOMEM;
  Stat4 *s = stat4_new(op->p2, nest);
  if (s) s->aff = util_zalloc((size_t)op->p2 + 1);
  if (!s || !s->aff) {
    stat4_free(s);
    util_free(st);
    return LODE_NOMEM;
  }
  /* Without affinities (or too few), no column is REAL. */
  if (op->p4type == P4_STRING && op->p4.z && strlen(op->p4.z) >= (size_t)op->p2)
    memcpy(s->aff, op->p4.z, (size_t)op->p2);
  st->func = &stat4_func;
  *(Stat4 **)((char *)st + AGG_CONTEXT_OFFSET) = s;
  acc->type = MEM_AGG;
  acc->owner = MEM_DYN;
  acc->subtype = 0;
  acc->z = (char *)st;
  acc->n = (int)size;
  return LODE_OK;
}

/* r = the fields of the record of size bytes at p, as far as the first
** ncol: LODE_CORRUPT when its header or a field overruns it. */
static int entry_fields(Stat4 *s, const uint8_t *p, uint32_t size, StatRec *r) {
  uint64_t hs, t;
  int k = util_varint_get_bounded(p, p + size, &hs), j = 0;
  if (k == 0 || hs < (uint64_t)k || hs > size) return LODE_CORRUPT;
  const uint8_t *h = p + k, *hend = p + hs;
  uint32_t body = (uint32_t)hs;
  uint64_t *types = s->types;
  uint32_t *offs = s->offs;
  int ncol = s->ncol;
  while (j < ncol && h < hend) {
    t = *h;
    if (t < 0x80) {
      h++; /* a one-byte serial type: any number, or a short text or blob */
    } else {
      int m = util_varint_get_bounded(h, hend, &t);
      if (m == 0) return LODE_CORRUPT;
      h += m;
    }
    uint32_t len = record_serial_len(t);
    if (len > size - body) return LODE_CORRUPT;
    types[j] = t;
    offs[j] = body;
    body += len;
    j++;
  }
  r->rec = p;
  r->types = types;
  r->offs = offs;
  r->nfield = j;
  r->n = j > 0 ? body : 0;
  return LODE_OK;
}

/* Entries a StatScan takes before the VM's loop sees an interrupt. */
#define STAT4_SCAN_BATCH 1024

int vdbe_stat4_scan(Vdbe *v, const VdbeOp *op, BtCursor *bt, const KeyInfo *k, int *more) {
  Stat4 *s = stat4_of(&v->mem[op->p1]);
  int ncmp = op->p4type == P4_INT32 ? op->p4.i : 0, rc = LODE_OK, eof = 0;
  *more = 0;
  if (!s || ncmp < 1 || ncmp > s->ncol || op->p5 != s->ncol) return LODE_INTERNAL;
  uint32_t avail, size;
  const uint8_t *p = btree_payload_view(bt, &avail, &size);
  for (int n = 0; n < STAT4_SCAN_BATCH; n++) {
    if (!p || avail < size) {
      /* Partly on overflow pages: the whole record, copied. */
      size = btree_payload_size(bt);
      if (size > s->buf_cap) {
        uint8_t *b = util_realloc(s->buf, size);
        if (!b) return LODE_NOMEM;
        s->buf = b;
        s->buf_cap = size;
      }
      if ((rc = btree_payload(bt, 0, size, s->buf)) != LODE_OK) return rc;
      p = s->buf;
    }
    StatRec r;
    if ((rc = entry_fields(s, p, size, &r)) != LODE_OK) return rc;
    s->cur_rec = &r;
    s->cur_captured = 0;
    rc = stat4_push(s, s->nrow == 0 ? 0 : first_change(s, &r, ncmp, k));
    s->cur_rec = NULL;
    if (rc != LODE_OK) return rc;
    /* Most entries follow on the same leaf: one step to the next payload. */
    if ((p = btree_next_local(bt, &size)) != NULL) {
      avail = size;
      continue;
    }
    if ((rc = prev_own(s)) != LODE_OK || (rc = btree_next(bt, &eof)) != LODE_OK || eof) return rc;
    p = btree_payload_view(bt, &avail, &size);
  }
  if ((rc = prev_own(s)) != LODE_OK) return rc;
  *more = 1;
  return LODE_OK;
}

/* "N D1 … Dk" for sqlite_stat1 into m: N entries, Di = ceil(N / ci) for ci
** distinct prefixes of length i, except that 2 becomes 1 when N / ci is at
** most 1.1 (N * 10 <= ci * 11): the adjustment sqlite3 makes so that a
** nearly unique key reads as unique. */
static int stat1_text(Mem *m, const Stat4 *s, int nkey) {
  StrBuf b;
  strbuf_init(&b);
  strbuf_printf(&b, "%lld", (long long)s->nrow);
  for (int i = 0; i < nkey && i < s->ncol; i++) {
    int64_t distinct = s->cur.dlt[i] + 1;
    int64_t avg = (s->nrow + distinct - 1) / distinct;
    if (avg == 2 && s->nrow * 10 <= distinct * 11) avg = 1;
    strbuf_printf(&b, " %lld", (long long)avg);
  }
  size_t len = b.n;
  char *z = strbuf_finish(&b);
  if (!z) return LODE_NOMEM;
  mem_take_text(m, z, (int)len);
  return LODE_OK;
}

int vdbe_stat4_text(Vdbe *v, const VdbeOp *op) {
  Stat4 *s = stat4_of(&v->mem[op->p1]);
  if (!s) return LODE_INTERNAL;
  Mem *out = &v->mem[op->p3];
  vdbe_reg_clear(v, out);
  return stat1_text(out, s, op->p2);
}

/* counts as "c0 c1 … c(n-1)" into m. */
static int counts_text(Mem *m, const int64_t *c, int n) {
  StrBuf b;
  strbuf_init(&b);
  for (int i = 0; i < n; i++) strbuf_printf(&b, i ? " %lld" : "%lld", (long long)c[i]);
  size_t len = b.n;
  char *z = strbuf_finish(&b);
  if (!z) return LODE_NOMEM;
  mem_take_text(m, z, (int)len);
  return LODE_OK;
}

int vdbe_stat4_sample(Vdbe *v, const VdbeOp *op, int *done) {
  Stat4 *s = stat4_of(&v->mem[op->p1]);
  int rc;
  *done = 1;
  if (!s) return LODE_OK;
  if (s->next < 0) {
    if (s->nrow > 0 && (rc = runs_end(s, 0)) != LODE_OK) return rc;
    s->next = 0;
  }
  if (s->next >= s->nsamples) return LODE_OK;
  StatEntry *e = &s->samples[s->next++];
  Mem *out = &v->mem[op->p3];
  if ((rc = entry_record(s, e)) != LODE_OK) return rc;
  for (int i = 0; i < 4; i++) vdbe_reg_clear(v, &out[i]);
  if ((rc = counts_text(&out[0], e->eq, s->ncol)) != LODE_OK ||
      (rc = counts_text(&out[1], e->lt, s->ncol)) != LODE_OK ||
      (rc = counts_text(&out[2], e->dlt, s->ncol)) != LODE_OK ||
      (rc = mem_set_blob(&out[3], e->rec ? e->rec : (const uint8_t *)"", (int)e->nrec, MEM_DYN)) != LODE_OK)
    return rc;
  *done = 0;
  return LODE_OK;
}
