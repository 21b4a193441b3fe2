/*
** changeset.c — reading changesets and patchsets (sqlite3changeset_start,
** _next, _op, _pk, _old, _new), inverting them and combining them
** (sqlite3changegroup_*, sqlite3changeset_concat), plus the streaming
** versions, which gather their input whole and then do the same.
**
** A changegroup keeps one change per row (table and key) in the order the
** rows first appear, folding each later change of the row into it as
** SQLite's documentation of sqlite3changegroup_add says: INSERT then
** UPDATE is the INSERT of the new values, INSERT then DELETE nothing,
** UPDATE then UPDATE one UPDATE, UPDATE then DELETE a DELETE of the first
** old values, DELETE then INSERT an UPDATE (nothing when the row is back
** as it was); an INSERT after an INSERT or UPDATE, and anything after a
** DELETE but an INSERT, is dropped.
**
** Not done: rebasing (sqlite3rebaser_* fail with SQLITE_ERROR).
*/
#include <string.h>

#include "capi/changeset.h"

static void clear_values(sqlite3_changeset_iter *it) {
  for (int i = 0; it->vals && i < 3 * it->ncol; i++) mem_release(&it->vals[i]);
  if (it->defined) memset(it->defined, 0, (size_t)(3 * it->ncol));
  it->have_conflict = 0;
}

static void free_table(sqlite3_changeset_iter *it) {
  clear_values(it);
  util_free(it->vals);
  util_free(it->defined);
  util_free(it->pk);
  util_free(it->tab);
  it->vals = NULL, it->defined = NULL, it->pk = NULL, it->tab = NULL, it->ncol = 0;
}

static int start(sqlite3_changeset_iter **pp, int n, const void *p, int flags, int copy) {
  if (!pp) return SQLITE_MISUSE;
  *pp = NULL;
  if (n < 0 || (n > 0 && !p)) return SQLITE_MISUSE;
  sqlite3_changeset_iter *it = util_zalloc(sizeof *it);
  if (!it) return SQLITE_NOMEM;
  if (copy && n) {
    if (!(it->buf = util_malloc((size_t)n))) {
      util_free(it);
      return SQLITE_NOMEM;
    }
    memcpy(it->buf, p, (size_t)n);
  } else {
    it->buf = (uint8_t *)p; /* handed over */
  }
  it->n = (size_t)n;
  it->invert = (flags & SQLITE_CHANGESETSTART_INVERT) != 0;
  *pp = it;
  return SQLITE_OK;
}

int sqlite3changeset_start(sqlite3_changeset_iter **pp, int n, void *p) { return start(pp, n, p, 0, 1); }
int sqlite3changeset_start_v2(sqlite3_changeset_iter **pp, int n, void *p, int flags) {
  return start(pp, n, p, flags, 1);
}

static int start_strm(sqlite3_changeset_iter **pp, int (*in)(void *, void *, int *), void *arg, int flags) {
  void *p = NULL;
  int n = 0;
  if (!pp || !in) return SQLITE_MISUSE;
  *pp = NULL;
  int rc = cs_stream_in(in, arg, &p, &n);
  if (rc != SQLITE_OK) return rc;
  rc = start(pp, n, p, flags, 0);
  if (rc != SQLITE_OK) util_free(p);
  return rc;
}

int sqlite3changeset_start_strm(sqlite3_changeset_iter **pp, int (*in)(void *, void *, int *), void *arg) {
  return start_strm(pp, in, arg, 0);
}
int sqlite3changeset_start_v2_strm(sqlite3_changeset_iter **pp, int (*in)(void *, void *, int *), void *arg,
                                   int flags) {
  return start_strm(pp, in, arg, flags);
}

static int corrupt(sqlite3_changeset_iter *it) {
  if (it->rc == SQLITE_OK) it->rc = SQLITE_CORRUPT;
  return SQLITE_CORRUPT;
}

static int read_header(sqlite3_changeset_iter *it) {
  const uint8_t *p = it->buf + it->at, *end = it->buf + it->n;
  uint64_t ncol;
  free_table(it);
  it->patchset = p[0] == 'P';
  int k = util_varint_get_bounded(p + 1, end, &ncol);
  if (!k || ncol == 0 || ncol > 32767 || ncol > (uint64_t)(end - p - 1 - k)) return corrupt(it);
  const uint8_t *pk = p + 1 + k, *name = pk + ncol;
  const uint8_t *nul = memchr(name, 0, (size_t)(end - name));
  if (!nul) return corrupt(it);
  it->ncol = (int)ncol;
  it->pk = util_malloc((size_t)ncol);
  it->tab = util_strndup((const char *)name, (size_t)(nul - name));
  it->vals = util_zalloc(sizeof(Mem) * 3 * (size_t)ncol);
  it->defined = util_zalloc(3 * (size_t)ncol);
  if (!it->pk || !it->tab || !it->vals || !it->defined) {
    it->rc = SQLITE_NOMEM;
    return SQLITE_NOMEM;
  }
  memcpy(it->pk, pk, (size_t)ncol);
  it->at = (size_t)(nul + 1 - it->buf);
  return SQLITE_OK;
}

/* Reads a record of values into row which (CS_OLD/CS_NEW); only_pk: the key
** columns' values only (a patchset's DELETE). */
static int read_record(sqlite3_changeset_iter *it, int which, int only_pk) {
  const uint8_t *end = it->buf + it->n;
  for (int i = 0; i < it->ncol; i++) {
    if (only_pk && !it->pk[i]) continue;
    const uint8_t *p = it->buf + it->at;
    size_t len = cs_value_len(p, end);
    int defined;
    if (!len) return corrupt(it);
    int rc = cs_get_value(p, end, &it->vals[which * it->ncol + i], &defined);
    if (rc != SQLITE_OK) return it->rc = rc;
    it->defined[which * it->ncol + i] = (uint8_t)defined;
    it->at += len;
  }
  return SQLITE_OK;
}

static void swap_values(sqlite3_changeset_iter *it, int i) {
  Mem t = it->vals[i];
  it->vals[i] = it->vals[it->ncol + i];
  it->vals[it->ncol + i] = t;
  uint8_t d = it->defined[i];
  it->defined[i] = it->defined[it->ncol + i];
  it->defined[it->ncol + i] = d;
}

/* The change read backwards: an INSERT is a DELETE and the other way round;
** an UPDATE's old row holds the key and the changed columns' new values,
** its new row their old ones. */
static int invert_change(sqlite3_changeset_iter *it) {
  if (it->patchset) return corrupt(it);
  if (it->op == SQLITE_INSERT || it->op == SQLITE_DELETE) {
    it->op = it->op == SQLITE_INSERT ? SQLITE_DELETE : SQLITE_INSERT;
    for (int i = 0; i < it->ncol; i++) swap_values(it, i);
    return SQLITE_OK;
  }
  for (int i = 0; i < it->ncol; i++)
    if (!it->pk[i] && it->defined[it->ncol + i]) swap_values(it, i);
  return SQLITE_OK;
}

int sqlite3changeset_next(sqlite3_changeset_iter *it) {
  if (!it) return SQLITE_MISUSE;
  if (it->rc != SQLITE_OK) return it->rc;
  clear_values(it);
  while (it->at < it->n && (it->buf[it->at] == 'T' || it->buf[it->at] == 'P')) {
    int rc = read_header(it);
    if (rc != SQLITE_OK) return rc;
  }
  if (it->at >= it->n) return SQLITE_DONE;
  if (!it->tab || it->n - it->at < 2) return corrupt(it);
  it->op = it->buf[it->at];
  it->indirect = it->buf[it->at + 1];
  it->at += 2;
  int rc;
  switch (it->op) {
    case SQLITE_INSERT: rc = read_record(it, CS_NEW, 0); break;
    case SQLITE_DELETE: rc = read_record(it, CS_OLD, it->patchset); break;
    case SQLITE_UPDATE:
      if (it->patchset) {
        /* One record: the key (read as the old row's) and the new values. */
        rc = read_record(it, CS_NEW, 0);
        for (int i = 0; rc == SQLITE_OK && i < it->ncol; i++)
          if (it->pk[i]) swap_values(it, i);
      } else {
        rc = read_record(it, CS_OLD, 0);
        if (rc == SQLITE_OK) rc = read_record(it, CS_NEW, 0);
      }
      break;
    default: return corrupt(it);
  }
  if (rc == SQLITE_OK && it->invert) rc = invert_change(it);
  return rc == SQLITE_OK ? SQLITE_ROW : rc;
}

int sqlite3changeset_op(sqlite3_changeset_iter *it, const char **tab, int *ncol, int *op, int *indirect) {
  if (!it || !it->tab) return SQLITE_MISUSE;
  if (tab) *tab = it->tab;
  if (ncol) *ncol = it->ncol;
  if (op) *op = it->op;
  if (indirect) *indirect = it->indirect;
  return SQLITE_OK;
}

int sqlite3changeset_pk(sqlite3_changeset_iter *it, unsigned char **pk, int *ncol) {
  if (!it || !it->tab) return SQLITE_MISUSE;
  if (pk) *pk = it->pk;
  if (ncol) *ncol = it->ncol;
  return SQLITE_OK;
}

static int get_value(sqlite3_changeset_iter *it, int which, int i, sqlite3_value **out) {
  if (out) *out = NULL;
  if (!it || !it->tab || !out) return SQLITE_MISUSE;
  if (which == CS_OLD && it->op == SQLITE_INSERT) return SQLITE_MISUSE;
  if (which == CS_NEW && it->op == SQLITE_DELETE) return SQLITE_MISUSE;
  if (which == CS_CONFLICT && !it->have_conflict) return SQLITE_MISUSE;
  if (i < 0 || i >= it->ncol) return SQLITE_RANGE;
  int k = which * it->ncol + i;
  *out = it->defined[k] ? &it->vals[k] : NULL;
  return SQLITE_OK;
}

int sqlite3changeset_old(sqlite3_changeset_iter *it, int i, sqlite3_value **out) { return get_value(it, CS_OLD, i, out); }
int sqlite3changeset_new(sqlite3_changeset_iter *it, int i, sqlite3_value **out) { return get_value(it, CS_NEW, i, out); }
int sqlite3changeset_conflict(sqlite3_changeset_iter *it, int i, sqlite3_value **out) {
  return get_value(it, CS_CONFLICT, i, out);
}

int sqlite3changeset_fk_conflicts(sqlite3_changeset_iter *it, int *n) {
  if (!it || !n || !it->nfk) return SQLITE_MISUSE;
  *n = it->nfk;
  return SQLITE_OK;
}

int sqlite3changeset_finalize(sqlite3_changeset_iter *it) {
  if (!it) return SQLITE_OK;
  int rc = it->rc;
  free_table(it);
  util_free(it->buf);
  util_free(it);
  return rc;
}

/* ---- writing changes -------------------------------------------------------------------------------------- */

static void put_header(StrBuf *b, int patchset, const char *tab, int ncol, const uint8_t *pk) {
  uint8_t v[9];
  strbuf_appendc(b, patchset ? 'P' : 'T');
  strbuf_append(b, v, (size_t)util_varint_put(v, (uint64_t)ncol));
  strbuf_append(b, pk, (size_t)ncol);
  strbuf_append(b, tab, strlen(tab) + 1);
}

/* One change in the encoding of its kind: vals/defined hold the old row
** then the new one (ncol each). */
static void put_change(StrBuf *b, int patchset, int op, int indirect, int ncol, const uint8_t *pk, Mem *vals,
                       const uint8_t *defined) {
  strbuf_appendc(b, (char)op);
  strbuf_appendc(b, (char)indirect);
  for (int i = 0; i < ncol; i++) {
    if (op == SQLITE_INSERT) cs_put_value(b, defined[ncol + i] ? &vals[ncol + i] : NULL);
    else if (op == SQLITE_DELETE && (!patchset || pk[i])) cs_put_value(b, defined[i] ? &vals[i] : NULL);
    else if (op == SQLITE_UPDATE && !patchset) cs_put_value(b, defined[i] ? &vals[i] : NULL);
    else if (op == SQLITE_UPDATE) cs_put_value(b, pk[i] && defined[i] ? &vals[i] : defined[ncol + i] ? &vals[ncol + i] : NULL);
  }
  if (op == SQLITE_UPDATE && !patchset)
    for (int i = 0; i < ncol; i++) cs_put_value(b, defined[ncol + i] ? &vals[ncol + i] : NULL);
}

static int finish(StrBuf *b, int rc, int *n, void **p) {
  if (rc == SQLITE_OK && (b->oom || b->n > INT32_MAX)) rc = b->oom ? SQLITE_NOMEM : SQLITE_TOOBIG;
  if (rc != SQLITE_OK || !b->n) {
    strbuf_reset(b);
    return rc;
  }
  *n = (int)b->n;
  *p = strbuf_finish(b);
  return SQLITE_OK;
}

int sqlite3changeset_invert(int nin, const void *pin, int *nout, void **pout) {
  sqlite3_changeset_iter *it;
  StrBuf b;
  if (!nout || !pout) return SQLITE_MISUSE;
  *nout = 0, *pout = NULL;
  int rc = start(&it, nin, pin, SQLITE_CHANGESETSTART_INVERT, 1);
  if (rc != SQLITE_OK) return rc;
  strbuf_init(&b);
  const char *last = NULL;
  while ((rc = sqlite3changeset_next(it)) == SQLITE_ROW) {
    if (it->tab != last) put_header(&b, 0, it->tab, it->ncol, it->pk);
    last = it->tab;
    put_change(&b, 0, it->op, it->indirect, it->ncol, it->pk, it->vals, it->defined);
  }
  int frc = sqlite3changeset_finalize(it);
  if (rc == SQLITE_DONE) rc = frc;
  return finish(&b, rc, nout, pout);
}

int sqlite3changeset_invert_strm(int (*in)(void *, void *, int *), void *in_arg,
                                 int (*out)(void *, const void *, int), void *out_arg) {
  void *p = NULL, *q = NULL;
  int n = 0, m = 0;
  if (!in || !out) return SQLITE_MISUSE;
  int rc = cs_stream_in(in, in_arg, &p, &n);
  if (rc == SQLITE_OK) rc = sqlite3changeset_invert(n, p, &m, &q);
  if (rc == SQLITE_OK) rc = cs_stream_out(out, out_arg, q, m);
  util_free(p);
  util_free(q);
  return rc;
}

/* ---- changegroups ----------------------------------------------------------------------------------------- */

typedef struct GroupChange {
  struct GroupChange *next;
  int op, indirect, gone;
  Mem *vals; /* 2 * ncol: old, new */
  uint8_t *defined;
} GroupChange;

typedef struct GroupTable {
  struct GroupTable *next;
  char *tab;
  int ncol;
  uint8_t *pk;
  GroupChange *first, *last;
} GroupTable;

struct sqlite3_changegroup {
  int patchset; /* -1 until the first change */
  GroupTable *tables;
};

int sqlite3changegroup_new(sqlite3_changegroup **pp) {
  if (!pp) return SQLITE_MISUSE;
  *pp = util_zalloc(sizeof **pp);
  if (!*pp) return SQLITE_NOMEM;
  (*pp)->patchset = -1;
  return SQLITE_OK;
}

static void free_change(GroupChange *c, int ncol) {
  for (int i = 0; i < 2 * ncol; i++) mem_release(&c->vals[i]);
  util_free(c->vals);
  util_free(c->defined);
  util_free(c);
}

void sqlite3changegroup_delete(sqlite3_changegroup *g) {
  if (!g) return;
  while (g->tables) {
    GroupTable *t = g->tables;
    g->tables = t->next;
    while (t->first) {
      GroupChange *c = t->first;
      t->first = c->next;
      free_change(c, t->ncol);
    }
    util_free(t->tab);
    util_free(t->pk);
    util_free(t);
  }
  util_free(g);
}

static int same_value(const Mem *a, const Mem *b) {
  if (a->type != b->type) return 0;
  return mem_compare(a, b, COLL_BINARY) == 0;
}

/* The key value i of a change: in its old row unless it is an INSERT. */
static const Mem *key_value(const GroupChange *c, int ncol, int i) {
  return c->op == SQLITE_INSERT ? &c->vals[ncol + i] : &c->vals[i];
}

static GroupChange *find_change(GroupTable *t, const sqlite3_changeset_iter *it) {
  for (GroupChange *c = t->first; c; c = c->next) {
    if (c->gone) continue;
    int same = 1;
    for (int i = 0; same && i < t->ncol; i++) {
      if (!t->pk[i]) continue;
      const Mem *k = it->op == SQLITE_INSERT ? &it->vals[t->ncol + i] : &it->vals[i];
      same = same_value(key_value(c, t->ncol, i), k);
    }
    if (same) return c;
  }
  return NULL;
}

static int copy_value(Mem *dst, uint8_t *ddef, const Mem *src, uint8_t sdef) {
  mem_release(dst);
  *ddef = sdef;
  return sdef ? (mem_copy(dst, src) == LODE_OK ? SQLITE_OK : SQLITE_NOMEM) : SQLITE_OK;
}

/* Folds change it into the earlier change c of the same row. */
static int merge(GroupTable *t, GroupChange *c, sqlite3_changeset_iter *it) {
  int n = t->ncol, rc = SQLITE_OK;
  Mem *ov = c->vals, *nv = c->vals + n;
  uint8_t *od = c->defined, *nd = c->defined + n;
  c->indirect = c->indirect && it->indirect;
  if (c->op == SQLITE_INSERT) {
    if (it->op == SQLITE_DELETE) c->gone = 1;
    else if (it->op == SQLITE_UPDATE)
      for (int i = 0; i < n && rc == SQLITE_OK; i++)
        if (it->defined[n + i]) rc = copy_value(&nv[i], &nd[i], &it->vals[n + i], 1);
    return rc;
  }
  if (c->op == SQLITE_UPDATE) {
    if (it->op == SQLITE_UPDATE) {
      for (int i = 0; i < n && rc == SQLITE_OK; i++) {
        if (!od[i] && it->defined[i]) rc = copy_value(&ov[i], &od[i], &it->vals[i], 1);
        if (rc == SQLITE_OK && it->defined[n + i]) rc = copy_value(&nv[i], &nd[i], &it->vals[n + i], 1);
      }
      /* Columns back at their old values are no longer changed. */
      int changed = 0;
      for (int i = 0; i < n; i++) {
        if (t->pk[i] || !nd[i]) continue;
        if (od[i] && same_value(&ov[i], &nv[i])) {
          mem_release(&nv[i]);
          nd[i] = 0;
          mem_release(&ov[i]);
          od[i] = 0;
        } else {
          changed = 1;
        }
      }
      if (!changed) c->gone = 1;
    } else if (it->op == SQLITE_DELETE) {
      c->op = SQLITE_DELETE;
      for (int i = 0; i < n && rc == SQLITE_OK; i++) {
        if (!od[i] && it->defined[i]) rc = copy_value(&ov[i], &od[i], &it->vals[i], 1);
        mem_release(&nv[i]);
        nd[i] = 0;
      }
    }
    return rc;
  }
  /* c is a DELETE: only an INSERT of the same key follows it. */
  if (it->op != SQLITE_INSERT) return SQLITE_OK;
  int changed = 0;
  for (int i = 0; i < n && rc == SQLITE_OK; i++) {
    int differs = !od[i] || !same_value(&ov[i], &it->vals[n + i]);
    if (t->pk[i]) continue;
    if (differs) {
      changed = 1;
      rc = copy_value(&nv[i], &nd[i], &it->vals[n + i], 1);
    } else {
      mem_release(&ov[i]);
      od[i] = 0;
    }
  }
  if (!changed) c->gone = 1;
  else c->op = SQLITE_UPDATE;
  return rc;
}

static int group_add_change(sqlite3_changegroup *g, GroupTable *t, sqlite3_changeset_iter *it) {
  GroupChange *c = find_change(t, it);
  if (c) return merge(t, c, it);
  if (!(c = util_zalloc(sizeof *c))) return SQLITE_NOMEM;
  c->vals = util_zalloc(sizeof(Mem) * 2 * (size_t)t->ncol);
  c->defined = util_zalloc(2 * (size_t)t->ncol);
  if (!c->vals || !c->defined) {
    util_free(c->vals);
    util_free(c->defined);
    util_free(c);
    return SQLITE_NOMEM;
  }
  c->op = it->op;
  c->indirect = it->indirect;
  int rc = SQLITE_OK;
  for (int i = 0; i < 2 * t->ncol && rc == SQLITE_OK; i++)
    rc = copy_value(&c->vals[i], &c->defined[i], &it->vals[i], it->defined[i]);
  if (t->last) t->last->next = c;
  else t->first = c;
  t->last = c;
  (void)g;
  return rc;
}

int sqlite3changegroup_add(sqlite3_changegroup *g, int n, void *p) {
  sqlite3_changeset_iter *it;
  if (!g) return SQLITE_MISUSE;
  int rc = start(&it, n, p, 0, 1);
  if (rc != SQLITE_OK) return rc;
  GroupTable *t = NULL;
  while ((rc = sqlite3changeset_next(it)) == SQLITE_ROW) {
    if (g->patchset < 0) g->patchset = it->patchset;
    if (g->patchset != it->patchset) {
      rc = SQLITE_ERROR;
      break;
    }
    if (!t || util_stricmp(t->tab, it->tab) != 0) {
      GroupTable **pt;
      for (pt = &g->tables; *pt && util_stricmp((*pt)->tab, it->tab) != 0; pt = &(*pt)->next) {}
      if (!*pt) {
        if (!(*pt = util_zalloc(sizeof **pt))) {
          rc = SQLITE_NOMEM;
          break;
        }
        (*pt)->tab = util_strdup(it->tab);
        (*pt)->pk = util_malloc((size_t)it->ncol);
        (*pt)->ncol = it->ncol;
        if (!(*pt)->tab || !(*pt)->pk) {
          rc = SQLITE_NOMEM;
          break;
        }
        memcpy((*pt)->pk, it->pk, (size_t)it->ncol);
      }
      t = *pt;
      if (t->ncol != it->ncol || memcmp(t->pk, it->pk, (size_t)t->ncol) != 0) {
        rc = SQLITE_SCHEMA;
        break;
      }
    }
    if ((rc = group_add_change(g, t, it)) != SQLITE_OK) break;
  }
  int frc = sqlite3changeset_finalize(it);
  if (rc == SQLITE_DONE) rc = frc;
  return rc;
}

int sqlite3changegroup_output(sqlite3_changegroup *g, int *n, void **p) {
  StrBuf b;
  if (!g || !n || !p) return SQLITE_MISUSE;
  *n = 0, *p = NULL;
  strbuf_init(&b);
  for (GroupTable *t = g->tables; t; t = t->next) {
    int header = 0;
    for (GroupChange *c = t->first; c; c = c->next) {
      if (c->gone) continue;
      if (!header) put_header(&b, g->patchset > 0, t->tab, t->ncol, t->pk);
      header = 1;
      put_change(&b, g->patchset > 0, c->op, c->indirect, t->ncol, t->pk, c->vals, c->defined);
    }
  }
  return finish(&b, SQLITE_OK, n, p);
}

int sqlite3changegroup_add_strm(sqlite3_changegroup *g, int (*in)(void *, void *, int *), void *arg) {
  void *p = NULL;
  int n = 0;
  if (!g || !in) return SQLITE_MISUSE;
  int rc = cs_stream_in(in, arg, &p, &n);
  if (rc == SQLITE_OK) rc = sqlite3changegroup_add(g, n, p);
  util_free(p);
  return rc;
}

int sqlite3changegroup_output_strm(sqlite3_changegroup *g, int (*out)(void *, const void *, int), void *arg) {
  void *p = NULL;
  int n = 0;
  if (!g || !out) return SQLITE_MISUSE;
  int rc = sqlite3changegroup_output(g, &n, &p);
  if (rc == SQLITE_OK) rc = cs_stream_out(out, arg, p, n);
  util_free(p);
  return rc;
}

int sqlite3changeset_concat(int na, void *pa, int nb, void *pb, int *nout, void **pout) {
  sqlite3_changegroup *g;
  if (!nout || !pout) return SQLITE_MISUSE;
  *nout = 0, *pout = NULL;
  int rc = sqlite3changegroup_new(&g);
  if (rc == SQLITE_OK) rc = sqlite3changegroup_add(g, na, pa);
  if (rc == SQLITE_OK) rc = sqlite3changegroup_add(g, nb, pb);
  if (rc == SQLITE_OK) rc = sqlite3changegroup_output(g, nout, pout);
  sqlite3changegroup_delete(g);
  return rc;
}

int sqlite3changeset_concat_strm(int (*ina)(void *, void *, int *), void *arga, int (*inb)(void *, void *, int *),
                                 void *argb, int (*out)(void *, const void *, int), void *arg) {
  void *a = NULL, *b = NULL, *c = NULL;
  int na = 0, nb = 0, nc = 0;
  if (!ina || !inb || !out) return SQLITE_MISUSE;
  int rc = cs_stream_in(ina, arga, &a, &na);
  if (rc == SQLITE_OK) rc = cs_stream_in(inb, argb, &b, &nb);
  if (rc == SQLITE_OK) rc = sqlite3changeset_concat(na, a, nb, b, &nc, &c);
  if (rc == SQLITE_OK) rc = cs_stream_out(out, arg, c, nc);
  util_free(a);
  util_free(b);
  util_free(c);
  return rc;
}

/* The iterator over an in-memory changeset, for apply.c. */
int cs_start(sqlite3_changeset_iter **pp, int n, const void *p, int flags) { return start(pp, n, p, flags, 1); }

/* ---- rebasing (not supported) ------------------------------------------------------------------------------ */

int sqlite3rebaser_create(sqlite3_rebaser **pp) {
  if (pp) *pp = NULL;
  return SQLITE_ERROR;
}
int sqlite3rebaser_configure(sqlite3_rebaser *r, int n, const void *p) {
  (void)n, (void)p;
  return r ? SQLITE_ERROR : SQLITE_MISUSE;
}
int sqlite3rebaser_rebase(sqlite3_rebaser *r, int nin, const void *pin, int *nout, void **pout) {
  (void)nin, (void)pin;
  if (nout) *nout = 0;
  if (pout) *pout = NULL;
  return r ? SQLITE_ERROR : SQLITE_MISUSE;
}
int sqlite3rebaser_rebase_strm(sqlite3_rebaser *r, int (*in)(void *, void *, int *), void *in_arg,
                               int (*out)(void *, const void *, int), void *out_arg) {
  (void)in, (void)in_arg, (void)out, (void)out_arg;
  return r ? SQLITE_ERROR : SQLITE_MISUSE;
}
void sqlite3rebaser_delete(sqlite3_rebaser *r) { (void)r; }
