/*
** vdbe_probe.c — when binding a parameter must compile a statement again.
**
** A plan estimated from sqlite_stat4 samples with a parameter's bound value
** depends on that value only through where it falls among the samples:
** the estimate (plan/where.c key_stats) is decided by the signs of the
** comparisons of the key's prefixes with the samples' prefixes.  SQLite
** compiles such a statement again whenever the parameter is bound; Lode
** keeps, per estimate (a probe), copies of the samples' prefixes, the key's
** literal fields and those signs, and expires the statement only when a
** new value changes a sign, so that the plan is the one SQLite would make
** without paying for a compile per bind.  A parameter read while no value
** was bound (the first compile) expires the statement at any bind (expmask).
*/
#include <string.h>

#include "vdbe/vdbe_internal.h"

struct VdbeProbe {
  int nfield, nsample;
  Mem *samples;     /* nsample * nfield values, owned; a sample's missing fields are NULL and not compared */
  int *sample_n;    /* fields each sample holds */
  int *coll;        /* per field: the index column's collation, */
  uint8_t *desc;    /* its direction, */
  char *aff;        /* the affinity a value takes, */
  int *param;       /* the parameter it reads (0: a literal, in key) */
  Mem *key;         /* nfield: the literal fields (owned) */
  int8_t *sign;     /* nsample * nfield: sign of sample s's first n+1 fields against the key's */
  struct VdbeProbe *next;
};

static void probe_free(VdbeProbe *p) {
  for (int i = 0; p->samples && i < p->nsample * p->nfield; i++) mem_release(&p->samples[i]);
  for (int i = 0; p->key && i < p->nfield; i++) mem_release(&p->key[i]);
  util_free(p->samples);
  util_free(p->sample_n);
  util_free(p->coll);
  util_free(p->desc);
  util_free(p->aff);
  util_free(p->param);
  util_free(p->key);
  util_free(p->sign);
  util_free(p);
}

void vdbe_probes_free(Vdbe *v) {
  while (v->probes) {
    VdbeProbe *p = v->probes;
    v->probes = p->next;
    probe_free(p);
  }
}

/* The signs of the samples' prefixes against key (as plan/where.c's
** sample_cmp compares). */
static void probe_signs(const VdbeProbe *p, const Mem *key, int8_t *sign) {
  for (int s = 0; s < p->nsample; s++) {
    int c = 0;
    for (int n = 0; n < p->nfield; n++) {
      if (c == 0 && n < p->sample_n[s]) {
        c = mem_compare(&p->samples[s * p->nfield + n], &key[n], p->coll[n]);
        if (p->desc[n]) c = -c;
      }
      sign[s * p->nfield + n] = (int8_t)(c < 0 ? -1 : c > 0);
    }
  }
}

/* The key the probe compares with given the values bound now: its literal
** fields and the parameters' values with their affinity. 0 on oom or when a
** parameter is gone. */
static int probe_key(const Vdbe *v, const VdbeProbe *p, Mem *key) {
  for (int n = 0; n < p->nfield; n++) mem_init(&key[n]);
  for (int n = 0; n < p->nfield; n++) {
    const Mem *src = p->param[n] ? (p->param[n] <= v->nparam && v->params ? &v->params[p->param[n]] : NULL)
                                 : &p->key[n];
    if (!src || mem_copy(&key[n], src) != LODE_OK) return 0;
    if (p->param[n] && key[n].type != MEM_NULL && p->aff[n] && p->aff[n] != AFF_NONE &&
        mem_apply_affinity(&key[n], p->aff[n]) != LODE_OK)
      return 0;
  }
  return 1;
}

int vdbe_plan_probe(Vdbe *v, int nfield, int nsample, const Mem *const *samples, const int *sample_n, const int *coll,
                    const int *desc, const char *aff, const int *param, const Mem *key) {
  VdbeProbe *p = util_zalloc(sizeof *p);
  if (!p) return LODE_NOMEM;
  p->nfield = nfield;
  p->nsample = nsample;
  p->samples = util_zalloc(sizeof(Mem) * (size_t)(nsample * nfield + 1));
  p->sample_n = util_zalloc(sizeof(int) * (size_t)(nsample + 1));
  p->coll = util_zalloc(sizeof(int) * (size_t)nfield);
  p->desc = util_zalloc((size_t)nfield);
  p->aff = util_zalloc((size_t)nfield);
  p->param = util_zalloc(sizeof(int) * (size_t)nfield);
  p->key = util_zalloc(sizeof(Mem) * (size_t)nfield);
  p->sign = util_zalloc((size_t)(nsample * nfield + 1));
  /* Linked first, so that a failure below frees it with the program. */
  p->next = v->probes;
  v->probes = p;
  if (!p->samples || !p->sample_n || !p->coll || !p->desc || !p->aff || !p->param || !p->key || !p->sign)
    return LODE_NOMEM;
  for (int n = 0; n < nfield; n++) {
    p->coll[n] = coll[n];
    p->desc[n] = desc[n] != 0;
    p->aff[n] = aff[n];
    p->param[n] = param[n];
    if (mem_copy(&p->key[n], &key[n]) != LODE_OK) return LODE_NOMEM;
  }
  for (int s = 0; s < nsample; s++) {
    p->sample_n[s] = sample_n[s] < nfield ? sample_n[s] : nfield;
    for (int n = 0; n < p->sample_n[s]; n++)
      if (mem_copy(&p->samples[s * nfield + n], &samples[s][n]) != LODE_OK) return LODE_NOMEM;
  }
  probe_signs(p, p->key, p->sign);
  return LODE_OK;
}

static uint64_t param_bit(int i) { return i >= 64 ? (uint64_t)1 << 63 : (uint64_t)1 << (i - 1); }

/* Parameters params were bound: whether some probe reading one of them now
** sees other signs. */
int vdbe_probes_changed(const Vdbe *v, uint64_t params) {
  for (const VdbeProbe *p = v->probes; p; p = p->next) {
    int reads = 0;
    for (int n = 0; n < p->nfield; n++) reads |= p->param[n] > 0 && (param_bit(p->param[n]) & params);
    if (!reads) continue;
    Mem key[PROBE_MAX_FIELDS];
    int8_t small[256];
    size_t nsign = (size_t)(p->nsample * p->nfield + 1);
    int8_t *sign = nsign <= sizeof small ? small : util_malloc(nsign);
    int ok = p->nfield <= PROBE_MAX_FIELDS && sign && probe_key(v, p, key);
    if (ok) {
      probe_signs(p, key, sign);
      ok = memcmp(sign, p->sign, (size_t)(p->nsample * p->nfield)) == 0;
    }
    for (int n = 0; n < p->nfield && n < PROBE_MAX_FIELDS; n++) mem_release(&key[n]);
    if (sign != small) util_free(sign);
    if (!ok) return 1;
  }
  return 0;
}
