/*
** vdbe_stat4.c — the samples ANALYZE writes to sqlite_stat4 (OP_StatInit,
** OP_StatPush, OP_StatSample).
**
** ANALYZE reads an index once in key order and pushes each entry here with
** the position of its first column that differs from the entry before it
** ("ichng": 0 for the first entry, ncol - 1 when only the row's identity
** differs).  An entry has ncol columns: the key columns, then the rowid (or
** the PRIMARY KEY columns a WITHOUT ROWID index appends).  What comes out is
** at most STAT4_MAX_SAMPLES entries, in key order, each with three lists of
** ncol counts (SQLite's fileformat2.html, "The SQLITE_STAT4 table"):
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

/* An entry keeps its columns as values, and makes its record only when it is
** handed out as a sample: every entry of a unique index becomes the best of
** its run for a moment, and few of them end as samples. */
typedef struct StatEntry {
  int64_t *eq, *lt, *dlt; /* ncol counts each (one allocation: eq[0..3*ncol)) */
  Mem *vals;              /* ncol columns; a TEXT or BLOB one points into bytes */
  uint8_t *bytes;         /* the TEXT and BLOB columns' bytes (util_malloc'd) */
  size_t bytes_cap;
  uint8_t *rec;           /* the record of vals once made (util_malloc'd), or NULL */
  uint32_t nrec;
  int rec_ok;             /* rec is the record of vals */
  int col;       /* the prefix (0-based last column) this entry stands for */
  int periodic;  /* a periodic sample: never replaced */
  uint32_t hash; /* tie-breaker */
} StatEntry;

typedef struct Stat4 {
  int ncol;
  int max;         /* samples kept at most */
  int64_t period;  /* a periodic sample every period entries */
  int64_t nrow;    /* entries pushed */
  uint32_t prng;
  int max_eq_zero; /* no sample has a 0 in eq[j] for j >= this */
  int worst;       /* once full: the non-periodic sample a better one replaces */
  int nsamples;
  int next;        /* OP_StatSample: the next sample to hand out; -1 before the first */
  int cur_vals_ok; /* cur.vals hold the current entry's columns */
  const Mem *cur_vals; /* the current entry's columns (the VM's registers, during a push) */
  const char *cur_aff;
  StatEntry cur;   /* the current entry */
  StatEntry *best; /* ncol - 1: per prefix, the best entry of its current run */
  StatEntry *samples;
} Stat4;

static int entry_init(StatEntry *e, int ncol) {
  memset(e, 0, sizeof *e);
  e->eq = util_zalloc(sizeof(int64_t) * 3 * (size_t)ncol);
  if (!e->eq) return LODE_NOMEM;
  e->lt = e->eq + ncol;
  e->dlt = e->lt + ncol;
  e->vals = util_zalloc(sizeof(Mem) * (size_t)ncol);
  if (!e->vals) return LODE_NOMEM;
  return LODE_OK;
}

static void entry_free(StatEntry *e) {
  util_free(e->eq);
  util_free(e->vals);
  util_free(e->bytes);
  util_free(e->rec);
  e->eq = NULL;
  e->vals = NULL;
  e->bytes = NULL;
  e->rec = NULL;
}

static void stat4_free(Stat4 *s) {
  if (!s) return;
  entry_free(&s->cur);
  if (s->best)
    for (int i = 0; i < s->ncol - 1; i++) entry_free(&s->best[i]);
  if (s->samples)
    for (int i = 0; i < s->max; i++) entry_free(&s->samples[i]);
  util_free(s->best);
  util_free(s->samples);
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

/* e's columns = src's, their TEXT and BLOB bytes copied into e's buffer;
** with aff, a REAL column's integer becomes a REAL (the sample is the
** table row's columns, where a REAL column reads as a REAL; the index
** stores an integral REAL as an integer). */
static int entry_set_vals(StatEntry *e, int ncol, const Mem *src, const char *aff) {
  size_t need = 0, off = 0;
  for (int i = 0; i < ncol; i++)
    if (src[i].type == MEM_TEXT || src[i].type == MEM_BLOB) need += (size_t)src[i].n;
  if (need > e->bytes_cap) {
    uint8_t *p = util_realloc(e->bytes, need);
    if (!p) return LODE_NOMEM;
    e->bytes = p;
    e->bytes_cap = need;
  }
  for (int i = 0; i < ncol; i++) {
    const Mem *m = &src[i];
    Mem *d = &e->vals[i];
    d->type = m->type;
    d->owner = MEM_STATIC;
    d->subtype = 0;
    d->u = m->u;
    d->z = NULL;
    d->n = 0;
    d->ztext = NULL;
    if (m->type == MEM_TEXT || m->type == MEM_BLOB) {
      static char empty[1];
      /* An empty value has no bytes (the buffer may not exist). */
      d->z = m->n > 0 ? (char *)e->bytes + off : empty;
      d->n = m->n;
      if (m->n > 0) memcpy(d->z, m->z, (size_t)m->n);
      off += (size_t)m->n;
    } else if (m->type != MEM_INT && m->type != MEM_REAL) {
      d->type = MEM_NULL;
    }
    if (aff && aff[i] == AFF_REAL && d->type == MEM_INT) {
      d->type = MEM_REAL;
      d->u.r = (double)m->u.i;
    }
  }
  e->rec_ok = 0;
  return LODE_OK;
}

/* The current entry's columns, copied from the registers at most once per push. */
static int cur_capture(Stat4 *s) {
  if (s->cur_vals_ok) return LODE_OK;
  int rc = entry_set_vals(&s->cur, s->ncol, s->cur_vals, s->cur_aff);
  if (rc == LODE_OK) s->cur_vals_ok = 1;
  return rc;
}

/* dst's counts and standing = src's. */
static void entry_copy_counts(const Stat4 *s, StatEntry *dst, const StatEntry *src) {
  memcpy(dst->eq, src->eq, sizeof(int64_t) * 3 * (size_t)s->ncol);
  dst->col = src->col;
  dst->periodic = src->periodic;
  dst->hash = src->hash;
}

/* dst = src, counts and columns (dst keeps its own buffers). */
static int entry_copy(Stat4 *s, StatEntry *dst, const StatEntry *src) {
  entry_copy_counts(s, dst, src);
  if (dst == src) return LODE_OK;
  return entry_set_vals(dst, s->ncol, src->vals, NULL);
}

/* e's record, made from its columns when first asked. */
static int entry_record(const Stat4 *s, StatEntry *e) {
  if (e->rec_ok) return LODE_OK;
  util_free(e->rec);
  e->rec = NULL;
  e->nrec = 0;
  int rc = record_encode(e->vals, s->ncol, &e->rec, &e->nrec);
  if (rc == LODE_OK) e->rec_ok = 1;
  return rc;
}

/* Of two entries standing for the same prefix, whether a beats b: longer
** runs of the following columns, then the hash. */
static int better_after(const Stat4 *s, const StatEntry *a, const StatEntry *b) {
  for (int i = a->col + 1; i < s->ncol; i++) {
    if (a->eq[i] != b->eq[i]) return a->eq[i] > b->eq[i];
  }
  return a->hash > b->hash;
}

/* Whether sample candidate a beats b: the longer run of its prefix, then the
** shorter prefix, then better_after. */
static int better(const Stat4 *s, const StatEntry *a, const StatEntry *b) {
  int64_t na = a->eq[a->col], nb = b->eq[b->col];
  if (na != nb) return na > nb;
  if (a->col != b->col) return a->col < b->col;
  return better_after(s, a, b);
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
static int runs_end(Stat4 *s, int ichng) {
  for (int i = s->ncol - 2; i >= ichng; i--) {
    StatEntry *b = &s->best[i];
    b->eq[i] = s->cur.eq[i];
    if (s->nsamples < s->max || (s->worst >= 0 && better(s, b, &s->samples[s->worst]))) {
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

static int stat4_push(Stat4 *s, int ichng, const Mem *vals, const char *aff) {
  int rc;
  if (ichng < 0) ichng = 0;
  if (ichng > s->ncol - 1) ichng = s->ncol - 1;
  if (s->nrow == 0) {
    for (int i = 0; i < s->ncol; i++) s->cur.eq[i] = 1;
  } else {
    if ((rc = runs_end(s, ichng)) != LODE_OK) return rc;
    for (int i = 0; i < ichng; i++) s->cur.eq[i]++;
    for (int i = ichng; i < s->ncol; i++) {
      s->cur.dlt[i]++;
      s->cur.lt[i] += s->cur.eq[i];
      s->cur.eq[i] = 1;
    }
  }
  s->nrow++;
  s->cur_vals = vals;
  s->cur_aff = aff;
  s->cur_vals_ok = 0;
  s->prng = s->prng * STAT4_LCG_MUL + STAT4_LCG_ADD;
  s->cur.hash = s->prng;
  int64_t pos = s->cur.lt[s->ncol - 1];
  if (pos / s->period != (pos + 1) / s->period) {
    if ((rc = cur_capture(s)) != LODE_OK) return rc;
    s->cur.periodic = 1;
    s->cur.col = 0;
    rc = sample_add(s, &s->cur, s->ncol - 1);
    s->cur.periodic = 0;
    if (rc != LODE_OK) return rc;
  }
  for (int i = 0; i < s->ncol - 1; i++) {
    s->cur.col = i;
    if (i >= ichng || better_after(s, &s->cur, &s->best[i])) {
      /* Straight from the registers: most pushes copy into one best entry only. */
      entry_copy_counts(s, &s->best[i], &s->cur);
      if ((rc = entry_set_vals(&s->best[i], s->ncol, s->cur_vals, s->cur_aff)) != LODE_OK) return rc;
    }
  }
  s->cur_vals = NULL;
  return LODE_OK;
}

static Stat4 *stat4_new(int ncol, int64_t nest) {
  Stat4 *s = util_zalloc(sizeof *s);
  if (!s) return NULL;
  s->ncol = ncol;
  s->max = STAT4_MAX_SAMPLES;
  s->next = -1;
  s->period = (nest < 0 ? 0 : nest) / (s->max / 3 + 1) + 1;
  s->prng = STAT4_SEED_NCOL * (uint32_t)ncol ^ STAT4_SEED_NROW * (uint32_t)nest;
  s->best = util_zalloc(sizeof(StatEntry) * (size_t)(ncol > 1 ? ncol - 1 : 1));
  s->samples = util_zalloc(sizeof(StatEntry) * (size_t)s->max);
  if (!s->best || !s->samples || entry_init(&s->cur, ncol) != LODE_OK) goto fail;
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
  if (!s) {
    util_free(st);
    return LODE_NOMEM;
  }
  st->func = &stat4_func;
  *(Stat4 **)((char *)st + AGG_CONTEXT_OFFSET) = s;
  acc->type = MEM_AGG;
  acc->owner = MEM_DYN;
  acc->subtype = 0;
  acc->z = (char *)st;
  acc->n = (int)size;
  return LODE_OK;
}

int vdbe_stat4_push(Vdbe *v, const VdbeOp *op) {
  Stat4 *s = stat4_of(&v->mem[op->p1]);
  if (!s || op->p5 != s->ncol) return LODE_INTERNAL;
  const char *aff = op->p4type == P4_STRING ? op->p4.z : NULL;
  if (aff && strlen(aff) < (size_t)s->ncol) aff = NULL;
  return stat4_push(s, (int)mem_as_int(&v->mem[op->p2]), &v->mem[op->p3], aff);
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
  if ((rc = counts_text(&out[0], e->eq, s->ncol)) != LODE_OK || (rc = counts_text(&out[1], e->lt, s->ncol)) != LODE_OK ||
      (rc = counts_text(&out[2], e->dlt, s->ncol)) != LODE_OK ||
      (rc = mem_set_blob(&out[3], e->rec ? e->rec : (const uint8_t *)"", (int)e->nrec, MEM_DYN)) != LODE_OK)
    return rc;
  *done = 0;
  return LODE_OK;
}
