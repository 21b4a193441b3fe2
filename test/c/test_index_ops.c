/*
** test_index_ops.c — the VM's index opcodes (vdbe_index.c and their cases in
** vdbe_exec.c), checked against a brute-force model.
**
** Programs are built by hand as codegen will build them: an index b-tree is
** created, filled with thousands of random entries (NULL, integers, reals,
** text under NOCASE/RTRIM, blobs, long text on overflow pages; DESC and
** NULLS LAST columns) by IdxInsert or by a sorter bulk build, then read back
** with Rewind/Next, Last/Prev and Count, probed with SeekLT/LE/GE/GT,
** IdxLT/LE/GE/GT, Found/NotFound/NoConflict, and thinned out with IdxDelete,
** also while another cursor scans the same tree.  The model is a sorted
** array of entries ordered by keyinfo_compare (value.h), the order the VM
** must follow.  Table cursors' rowid seeks with non-integer keys, the
** index-to-table lookup, EXPLAIN rendering and the validator are covered too.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conn/conn.h"
#include "testdb.h"
#include "testlib.h"
#include "vdbe/vdbe.h"

#define OP(o, a, b, c) vdbe_add_op(v, OP_##o, a, b, c)
#define NMEM 60
#define NCUR 4
#define MAXF 4    /* fields of an entry: up to 3 columns + rowid */
#define KEYREG 20 /* first register of a probe key */
#define TGTREG 30 /* first register of a target entry's full key */
#define DELREG 40

typedef struct Entry {
  Mem f[MAXF];
} Entry;

/* One index layout under test. */
typedef struct Layout {
  int ncols;
  uint8_t desc[3], coll[3], nulls_last[3];
} Layout;

static const Layout layout_a = {2, {0, 1, 0}, {COLL_NOCASE, COLL_BINARY, 0}, {0, 1, 0}};
static const Layout layout_b = {3, {1, 0, 0}, {COLL_BINARY, COLL_RTRIM, COLL_NOCASE}, {0, 1, 0}};

static const KeyInfo *model_ki; /* the order qsort sorts the model by */
static int model_nf;

static char long_a[3000], long_b[3001];

static const char *const texts[] = {"a", "A", "ab", "AB", "aB", "b", "B", "abc", "ABC", "z", "", "a ", "ab  "};
static const char *const blobs[] = {"\x00", "\x01\x02", "\xff", "", "\x01"};
static const int blob_lens[] = {1, 2, 1, 0, 1};

static lode *open_db(void) {
  lode *db = NULL;
  return lode_open(":memory:", &db) == LODE_OK ? db : NULL;
}

static Vdbe *new_prog(lode *db) {
  Vdbe *v = vdbe_new(db);
  vdbe_set_counts(v, NMEM, NCUR);
  return v;
}

static KeyInfo *layout_ki(const Layout *l, int nkey) {
  KeyInfo *k = keyinfo_new(nkey);
  for (int i = 0; k && i < nkey; i++) {
    k->desc[i] = l->desc[i];
    k->coll[i] = l->coll[i];
    k->nulls_last[i] = l->nulls_last[i];
  }
  return k;
}

static void init_long_texts(void) {
  memset(long_a, 'x', sizeof long_a - 1);
  memset(long_b, 'X', sizeof long_b - 2);
  long_b[sizeof long_b - 2] = 'y';
}

static void rand_value(Rng *r, Mem *m) {
  mem_init(m);
  switch (rng_int(r, 7)) {
  case 0: break;
  case 1:
  case 2: mem_set_int(m, rng_int(r, 21) - 10); break;
  case 3: mem_set_real(m, (rng_int(r, 21) - 10) + (rng_int(r, 2) ? 0.5 : 0.0)); break;
  case 4:
  case 5: {
    int i = rng_int(r, (int)(sizeof texts / sizeof texts[0]) + 1);
    if (i == (int)(sizeof texts / sizeof texts[0])) {
      if (rng_int(r, 2)) mem_set_text(m, long_a, (int)strlen(long_a), MEM_STATIC);
      else mem_set_text(m, long_b, (int)strlen(long_b), MEM_STATIC);
    } else {
      mem_set_text(m, texts[i], (int)strlen(texts[i]), MEM_STATIC);
    }
    break;
  }
  default: {
    int i = rng_int(r, (int)(sizeof blobs / sizeof blobs[0]));
    mem_set_blob(m, blobs[i], blob_lens[i], MEM_STATIC);
    break;
  }
  }
}

/* Emits the op that loads the constant m into register reg. */
static void emit_load(Vdbe *v, int reg, const Mem *m) {
  switch (m->type) {
  case MEM_INT: vdbe_add_op4(v, OP_Int64, 0, reg, 0, P4_INT64, &m->u.i, 0); break;
  case MEM_REAL: vdbe_add_op4(v, OP_Real, 0, reg, 0, P4_REAL, &m->u.r, 0); break;
  case MEM_TEXT: vdbe_add_op4(v, OP_String8, m->n, reg, 0, P4_STRING, m->z ? m->z : "", m->n); break;
  case MEM_BLOB: vdbe_add_op4(v, OP_Blob, m->n, reg, 0, P4_BLOB, m->z ? m->z : "", m->n); break;
  default: OP(Null, 0, reg, 0); break;
  }
}

static int run(Vdbe *v) {
  int rc;
  while ((rc = vdbe_step(v)) == LODE_ROW) {
  }
  return rc;
}

static uint32_t create_tree(lode *db, int flags) {
  Vdbe *v = new_prog(db);
  int64_t root = 0;
  OP(Transaction, 0, 1, 0);
  OP(CreateBtree, 0, 1, flags);
  OP(ResultRow, 1, 1, 0);
  OP(Halt, 0, 0, 0);
  if (vdbe_finish(v) == LODE_OK && vdbe_step(v) == LODE_ROW) root = mem_as_int(vdbe_result(v, 0));
  if (vdbe_step(v) != LODE_DONE) root = 0;
  vdbe_free(v);
  return (uint32_t)root;
}

static int model_cmp(const void *a, const void *b) {
  return keyinfo_compare(model_ki, ((const Entry *)a)->f, ((const Entry *)b)->f, 0, model_nf);
}

/* n random entries with the distinct rowids 1..n in random order, sorted. */
static Entry *make_entries(Rng *r, int ncols, int n) {
  Entry *e = calloc((size_t)n, sizeof *e);
  int *ids = malloc(sizeof(int) * (size_t)n);
  for (int i = 0; i < n; i++) ids[i] = i + 1;
  for (int i = n - 1; i > 0; i--) {
    int j = rng_int(r, i + 1), t = ids[i];
    ids[i] = ids[j];
    ids[j] = t;
  }
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < ncols; j++) rand_value(r, &e[i].f[j]);
    mem_init(&e[i].f[ncols]);
    mem_set_int(&e[i].f[ncols], ids[i]);
  }
  free(ids);
  return e;
}

static void sort_model(Entry *e, int n, const KeyInfo *k, int nf) {
  model_ki = k;
  model_nf = nf;
  qsort(e, (size_t)n, sizeof *e, model_cmp);
}

/* Same value, as a scan must give it back (an integral REAL may come back as either class). */
static int same_value(const Mem *a, const Mem *b) {
  int na = a->type == MEM_INT || a->type == MEM_REAL, nb = b->type == MEM_INT || b->type == MEM_REAL;
  if (a->type != b->type && !(na && nb)) return 0;
  return mem_compare(a, b, COLL_BINARY) == 0;
}

/* Fills root with entries by IdxInsert, one program; returns its result. */
static int insert_entries(lode *db, uint32_t root, const Layout *l, const Entry *e, int n) {
  Vdbe *v = new_prog(db);
  int nf = l->ncols + 1, rc;
  OP(Transaction, 0, 1, 0);
  vdbe_add_op4(v, OP_OpenWrite, 0, (int)root, 0, P4_KEYINFO, layout_ki(l, l->ncols), 0);
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < nf; j++) emit_load(v, 1 + j, &e[i].f[j]);
    OP(MakeRecord, 1, nf, 10);
    /* Half the entries give the insert their fields in registers (as codegen
    ** does for table indexes), half leave it to unpack the record. */
    if (i & 1) vdbe_add_op4_int(v, OP_IdxInsert, 0, 10, 1, nf);
    else OP(IdxInsert, 0, 10, 0);
  }
  OP(Halt, 0, 0, 0);
  rc = vdbe_finish(v);
  if (rc == LODE_OK) rc = run(v);
  vdbe_free(v);
  return rc;
}

/* Fills root through a sorter: SorterInsert all, SorterSort, then SorterData
** + IdxInsert (append hint), the cursor opened with its root in a register. */
static int bulk_build(lode *db, uint32_t root, const Layout *l, const Entry *e, int n) {
  Vdbe *v = new_prog(db);
  int nf = l->ncols + 1, rc, loop, end = vdbe_make_label(v);
  OP(Transaction, 0, 1, 0);
  OP(Integer, (int)root, 5, 0);
  vdbe_set_p5(v, vdbe_add_op4(v, OP_OpenWrite, 0, 0, 5, P4_KEYINFO, layout_ki(l, l->ncols), 0), 1);
  /* The sorter orders whole entries, the rowid field last (ascending, BINARY),
  ** as CREATE INDEX's does: IdxInsert with OPFLAG_APPEND trusts that order. */
  KeyInfo *sk = layout_ki(l, l->ncols);
  KeyInfo *whole = keyinfo_new(nf);
  for (int j = 0; whole && sk && j < l->ncols; j++) {
    whole->desc[j] = sk->desc[j];
    whole->coll[j] = sk->coll[j];
    whole->nulls_last[j] = sk->nulls_last[j];
  }
  keyinfo_free(sk);
  vdbe_add_op4(v, OP_SorterOpen, 1, nf, 0, P4_KEYINFO, whole, 0);
  for (int i = n - 1; i >= 0; i--) { /* reverse order: the sorter has work to do */
    for (int j = 0; j < nf; j++) emit_load(v, 1 + j, &e[i].f[j]);
    OP(MakeRecord, 1, nf, 10);
    OP(SorterInsert, 1, 10, 0);
  }
  OP(SorterSort, 1, end, 0);
  loop = OP(SorterData, 1, 10, 0);
  vdbe_set_p5(v, OP(IdxInsert, 0, 10, 0), OPFLAG_APPEND);
  OP(SorterNext, 1, loop, 0);
  vdbe_resolve_label(v, end);
  OP(Halt, 0, 0, 0);
  rc = vdbe_finish(v);
  if (rc == LODE_OK) rc = run(v);
  vdbe_free(v);
  return rc;
}

/* Scans the index forward (Rewind/Next) or backward (Last/Prev) reading
** every field with Column, plus IdxRowid, and compares with the model;
** then Count.  Returns the number of mismatches. */
static int check_scan(lode *db, uint32_t root, const Layout *l, const Entry *e, int n, int backward) {
  Vdbe *v = new_prog(db);
  int nf = l->ncols + 1, bad = 0, rows = 0, loop, end = vdbe_make_label(v), rc;
  OP(Transaction, 0, 0, 0);
  vdbe_add_op4(v, OP_OpenRead, 0, (int)root, 0, P4_KEYINFO, layout_ki(l, l->ncols), 0);
  OP(Count, 0, 15, 0);
  vdbe_add_op(v, backward ? OP_Last : OP_Rewind, 0, end, 0);
  loop = vdbe_current_addr(v);
  for (int j = 0; j < nf; j++) OP(Column, 0, j, 1 + j);
  OP(IdxRowid, 0, 1 + nf, 0);
  OP(ResultRow, 1, nf + 1, 0);
  vdbe_add_op(v, backward ? OP_Prev : OP_Next, 0, loop, 0);
  vdbe_resolve_label(v, end);
  OP(ResultRow, 15, 1, 0);
  OP(Halt, 0, 0, 0);
  if (vdbe_finish(v) != LODE_OK) {
    vdbe_free(v);
    return -1;
  }
  while ((rc = vdbe_step(v)) == LODE_ROW) {
    if (rows == n) {
      /* The last row is Count's. */
      if (mem_as_int(vdbe_result(v, 0)) != n) bad++;
      rows++;
      continue;
    }
    if (rows > n) {
      bad++;
      break;
    }
    {
      const Entry *x = &e[backward ? n - 1 - rows : rows];
      for (int j = 0; j < nf; j++)
        if (!same_value(vdbe_result(v, j), &x->f[j])) bad++;
      if (mem_as_int(vdbe_result(v, nf)) != x->f[nf - 1].u.i) bad++;
    }
    rows++;
  }
  if (rc != LODE_DONE || rows != n + 1) bad++;
  vdbe_free(v);
  return bad;
}

/* ---- probes ------------------------------------------------------------------------- */

static int prefix_cmp(const KeyInfo *k, const Entry *x, const Mem *key, int n) {
  return keyinfo_compare(k, x->f, key, 0, n);
}

/* What the model says for each op; -1 = jump (no entry), else rowid. */
typedef struct Expect {
  int64_t seek[4];   /* LT, LE, GE, GT */
  int idx[4];        /* IdxLT, IdxLE, IdxGE, IdxGT of the target entry: 1 = jumps */
  int found;         /* first matching entry, or -1 */
  int has_null;
} Expect;

static void model_probe(const KeyInfo *k, const Entry *e, int n, const Mem *key, int nk, int target, Expect *x) {
  int lt = -1, le = -1, ge = -1, gt = -1, c;
  for (int i = 0; i < n; i++) {
    c = prefix_cmp(k, &e[i], key, nk);
    if (c < 0) lt = i;
    if (c <= 0) le = i;
    if (c >= 0 && ge < 0) ge = i;
    if (c > 0 && gt < 0) gt = i;
  }
  int last = k->nkey; /* the rowid field of the model entries */
  x->seek[0] = lt < 0 ? -1 : e[lt].f[last].u.i;
  x->seek[1] = le < 0 ? -1 : e[le].f[last].u.i;
  x->seek[2] = ge < 0 ? -1 : e[ge].f[last].u.i;
  x->seek[3] = gt < 0 ? -1 : e[gt].f[last].u.i;
  c = prefix_cmp(k, &e[target], key, nk);
  x->idx[0] = c < 0;
  x->idx[1] = c <= 0;
  x->idx[2] = c >= 0;
  x->idx[3] = c > 0;
  x->found = ge >= 0 && prefix_cmp(k, &e[ge], key, nk) == 0 ? (int)e[ge].f[last].u.i : -1;
  x->has_null = 0;
  for (int i = 0; i < nk; i++)
    if (key[i].type == MEM_NULL) x->has_null = 1;
}

/* Emits "r[dst] = 1 if op jumps, else 0" for a conditional op with a key. */
static void emit_jump_flag(Vdbe *v, int opcode, int key, int nk, int dst) {
  int yes = vdbe_make_label(v), done = vdbe_make_label(v);
  OP(Integer, 0, dst, 0);
  vdbe_add_op4_int(v, opcode, 0, yes, key, nk);
  OP(Goto, 0, done, 0);
  vdbe_resolve_label(v, yes);
  OP(Integer, 1, dst, 0);
  vdbe_resolve_label(v, done);
}

/* Runs every probing op with key[0..nk) against root and compares with the
** model; target is the entry the Idx* comparisons are made on.  Returns
** the number of mismatches (printing the first few). */
static int probe(lode *db, uint32_t root, const Layout *l, const Entry *e, int n, const Mem *key, int nk,
                 int target) {
  static const int seeks[4] = {OP_SeekLT, OP_SeekLE, OP_SeekGE, OP_SeekGT};
  static const int idxs[4] = {OP_IdxLT, OP_IdxLE, OP_IdxGE, OP_IdxGT};
  KeyInfo *k = layout_ki(l, l->ncols);
  Vdbe *v = new_prog(db);
  int nf = l->ncols + 1, bad = 0, fail = vdbe_make_label(v);
  Expect x;
  model_probe(k, e, n, key, nk, target, &x);
  OP(Transaction, 0, 0, 0);
  vdbe_add_op4(v, OP_OpenRead, 0, (int)root, 0, P4_KEYINFO, layout_ki(l, l->ncols), 0);
  for (int i = 0; i < nk; i++) emit_load(v, KEYREG + i, &key[i]);
  for (int s = 0; s < 4; s++) {
    int none = vdbe_make_label(v);
    OP(Null, 0, 1 + s, 0);
    vdbe_add_op4_int(v, seeks[s], 0, none, KEYREG, nk);
    OP(IdxRowid, 0, 1 + s, 0);
    vdbe_resolve_label(v, none);
  }
  /* Position on the target entry by its whole key, then compare. */
  for (int j = 0; j < nf; j++) emit_load(v, TGTREG + j, &e[target].f[j]);
  vdbe_add_op4_int(v, OP_SeekGE, 0, fail, TGTREG, nf);
  OP(IdxRowid, 0, 9, 0);
  for (int s = 0; s < 4; s++) emit_jump_flag(v, idxs[s], KEYREG, nk, 5 + s);
  emit_jump_flag(v, OP_Found, KEYREG, nk, 10);
  OP(IdxRowid, 0, 11, 0);
  emit_jump_flag(v, OP_NotFound, KEYREG, nk, 12);
  OP(IdxRowid, 0, 13, 0);
  emit_jump_flag(v, OP_NoConflict, KEYREG, nk, 14);
  OP(ResultRow, 1, 14, 0);
  OP(Halt, 0, 0, 0);
  vdbe_resolve_label(v, fail);
  OP(Halt, LODE_INTERNAL, 0, 0);
  if (vdbe_finish(v) != LODE_OK || vdbe_step(v) != LODE_ROW) {
    TEST_FAIL_("probe program failed: %s", lode_errmsg(db));
    bad++;
  } else {
    Mem *r[15];
    for (int i = 1; i <= 14; i++) r[i] = vdbe_result(v, i - 1);
    for (int s = 0; s < 4; s++) {
      int64_t got = r[1 + s]->type == MEM_NULL ? -1 : mem_as_int(r[1 + s]);
      if (got != x.seek[s]) {
        if (bad < 3) TEST_FAIL_("seek %d (nk %d): got %lld, expected %lld", s, nk, (long long)got,
                                (long long)x.seek[s]);
        bad++;
      }
      if (mem_as_int(r[5 + s]) != x.idx[s]) {
        if (bad < 3) TEST_FAIL_("idx compare %d (nk %d): got %lld, expected %d", s, nk,
                                (long long)mem_as_int(r[5 + s]), x.idx[s]);
        bad++;
      }
    }
    if (mem_as_int(r[9]) != e[target].f[nf - 1].u.i) bad++;
    if (mem_as_int(r[10]) != (x.found >= 0)) bad++;
    if (x.found >= 0 ? mem_as_int(r[11]) != x.found : r[11]->type != MEM_NULL) bad++;
    if (mem_as_int(r[12]) != (x.found < 0)) bad++;
    if (x.found >= 0 ? mem_as_int(r[13]) != x.found : r[13]->type != MEM_NULL) bad++;
    if (mem_as_int(r[14]) != (x.found < 0 || x.has_null)) {
      if (bad < 3) TEST_FAIL_("NoConflict: found %d, null %d", x.found, x.has_null);
      bad++;
    }
  }
  vdbe_free(v);
  keyinfo_free(k);
  return bad;
}

/* A probe key of nk fields: an existing entry's prefix, the same with its
** last field nudged, or random values. */
static void make_probe(Rng *r, const Entry *e, int n, int nf, Mem *key, int *nk) {
  const Entry *src = &e[rng_int(r, n)];
  int kind = rng_int(r, 10);
  *nk = 1 + rng_int(r, nf);
  for (int i = 0; i < *nk; i++) key[i] = src->f[i];
  if (kind < 3) return;
  if (kind < 6) {
    Mem *m = &key[*nk - 1];
    if (m->type == MEM_INT) mem_set_real(m, (double)m->u.i + (rng_int(r, 2) ? 0.5 : -0.5));
    else if (m->type == MEM_REAL) mem_set_real(m, m->u.r + 0.25);
    else if (m->type == MEM_TEXT && m->n > 0 && m->n < 10) {
      static char buf[16];
      memcpy(buf, m->z, (size_t)m->n);
      buf[0] = (char)(buf[0] ^ 0x20); /* the other case: equal under NOCASE only */
      mem_set_text(m, buf, m->n, MEM_STATIC);
    } else {
      mem_set_null(m);
    }
    return;
  }
  for (int i = 0; i < *nk; i++) rand_value(r, &key[i]);
}

static int run_probes(lode *db, uint32_t root, const Layout *l, const Entry *e, int n, Rng *r, int count) {
  int bad = 0, nf = l->ncols + 1;
  for (int p = 0; p < count && bad < 5; p++) {
    Mem key[MAXF];
    int nk;
    make_probe(r, e, n, nf, key, &nk);
    bad += probe(db, root, l, e, n, key, nk, rng_int(r, n));
  }
  /* Every boundary: each entry's own prefixes of every length. */
  for (int i = 0; i < n && bad < 5; i += n / 50 + 1)
    for (int nk = 1; nk <= nf; nk++) bad += probe(db, root, l, e, n, e[i].f, nk, i);
  return bad;
}

/* ---- deletes ------------------------------------------------------------------------ */

/* Deletes with IdxDelete the keys dels[0..nd) (each nks[i] fields), in one
** program, and applies the same to the model (first matching entry). */
static int delete_keys(lode *db, uint32_t root, const Layout *l, Entry *e, int *n, Mem (*dels)[MAXF],
                       const int *nks, int nd) {
  Vdbe *v = new_prog(db);
  KeyInfo *k = layout_ki(l, l->ncols);
  int rc;
  OP(Transaction, 0, 1, 0);
  vdbe_add_op4(v, OP_OpenWrite, 0, (int)root, 0, P4_KEYINFO, layout_ki(l, l->ncols), 0);
  for (int i = 0; i < nd; i++) {
    for (int j = 0; j < nks[i]; j++) emit_load(v, DELREG + j, &dels[i][j]);
    OP(IdxDelete, 0, DELREG, nks[i]);
  }
  OP(Halt, 0, 0, 0);
  rc = vdbe_finish(v);
  if (rc == LODE_OK) rc = run(v);
  vdbe_free(v);
  /* The model: dels refer to entries by value, so copy them out before removing. */
  for (int i = 0; i < nd; i++) {
    for (int m = 0; m < *n; m++) {
      if (prefix_cmp(k, &e[m], dels[i], nks[i]) != 0) continue;
      memmove(&e[m], &e[m + 1], sizeof *e * (size_t)(*n - m - 1));
      (*n)--;
      break;
    }
  }
  keyinfo_free(k);
  return rc;
}

static int64_t count_entries(lode *db, uint32_t root, const Layout *l) {
  Vdbe *v = new_prog(db);
  int64_t n = -1;
  OP(Transaction, 0, 0, 0);
  vdbe_add_op4(v, OP_OpenRead, 0, (int)root, 0, P4_KEYINFO, layout_ki(l, l->ncols), 0);
  OP(Count, 0, 1, 0);
  OP(ResultRow, 1, 1, 0);
  OP(Halt, 0, 0, 0);
  if (vdbe_finish(v) == LODE_OK && vdbe_step(v) == LODE_ROW) n = mem_as_int(vdbe_result(v, 0));
  vdbe_free(v);
  return n;
}

/* The whole life of one index layout: build two ways, scan, probe, delete. */
static void exercise_layout(const Layout *l, uint64_t seed, int n) {
  lode *db = open_db();
  Rng r;
  KeyInfo *k = layout_ki(l, l->ncols);
  int nf = l->ncols + 1;
  uint32_t root1, root2;
  Entry *e;
  init_long_texts();
  rng_seed(&r, seed);
  e = make_entries(&r, l->ncols, n);
  root1 = create_tree(db, BTREE_BLOBKEY);
  root2 = create_tree(db, BTREE_BLOBKEY);
  CHECK(root1 > 1 && root2 > 1);
  CHECK_EQ_INT(insert_entries(db, root1, l, e, n), LODE_DONE);
  sort_model(e, n, k, nf);
  CHECK_EQ_INT(bulk_build(db, root2, l, e, n), LODE_DONE);
  CHECK_EQ_INT(check_scan(db, root1, l, e, n, 0), 0);
  CHECK_EQ_INT(check_scan(db, root1, l, e, n, 1), 0);
  CHECK_EQ_INT(check_scan(db, root2, l, e, n, 0), 0);
  CHECK_EQ_INT(run_probes(db, root1, l, e, n, &r, 400), 0);

  /* Delete about half: whole keys of present entries, absent keys (a rowid
  ** no entry has) and a few prefixes (the first matching entry goes). */
  {
    int nd = n / 2 + 40, *nks = malloc(sizeof(int) * (size_t)nd);
    Mem(*dels)[MAXF] = malloc(sizeof *dels * (size_t)nd);
    for (int i = 0; i < nd; i++) {
      const Entry *src = &e[rng_int(&r, n)];
      memcpy(dels[i], src->f, sizeof dels[i]);
      nks[i] = nf;
      if (i % 10 == 1) mem_set_int(&dels[i][nf - 1], n + 1000 + i); /* absent */
      if (i % 25 == 3) nks[i] = 1 + rng_int(&r, nf - 1);           /* a prefix */
    }
    int before = n;
    CHECK_EQ_INT(delete_keys(db, root1, l, e, &n, dels, nks, nd), LODE_DONE);
    CHECK(n < before - nd / 3);
    CHECK_EQ_INT(count_entries(db, root1, l), n);
    CHECK_EQ_INT(check_scan(db, root1, l, e, n, 0), 0);
    CHECK_EQ_INT(check_scan(db, root1, l, e, n, 1), 0);
    CHECK_EQ_INT(run_probes(db, root1, l, e, n, &r, 150), 0);
    free(nks);
    free(dels);
  }
  free(e);
  keyinfo_free(k);
  lode_close(db);
}

TEST(index_ops_match_the_model_nocase_desc_nulls_last) { exercise_layout(&layout_a, 1, 3000); }

TEST(index_ops_match_the_model_three_columns_rtrim_desc_first) { exercise_layout(&layout_b, 2, 2500); }

/* ---- a reader and a writer on one index ------------------------------------------------- */

/* A reader scans the index while the same program deletes through a write
** cursor, either the entry the reader is on or the one after it (found by a
** third cursor with SeekGT).  The reader must find its place again after
** every change: it sees every entry in the first case, every other one in
** the second.  Returns the rowids the reader saw. */
static int64_t *scan_while_deleting(lode *db, uint32_t root, const Layout *l, int delete_next, int *nseen) {
  Vdbe *v = new_prog(db);
  int nf = l->ncols + 1, loop, skip = vdbe_make_label(v), end = vdbe_make_label(v), rc, cap = 64;
  int64_t *seen = malloc(sizeof(int64_t) * (size_t)cap);
  *nseen = 0;
  OP(Transaction, 0, 1, 0);
  vdbe_add_op4(v, OP_OpenWrite, 0, (int)root, 0, P4_KEYINFO, layout_ki(l, l->ncols), 0);
  vdbe_add_op4(v, OP_OpenRead, 1, (int)root, 0, P4_KEYINFO, layout_ki(l, l->ncols), 0);
  vdbe_add_op4(v, OP_OpenRead, 2, (int)root, 0, P4_KEYINFO, layout_ki(l, l->ncols), 0);
  OP(Rewind, 1, end, 0);
  loop = vdbe_current_addr(v);
  for (int j = 0; j < nf; j++) OP(Column, 1, j, KEYREG + j);
  OP(IdxRowid, 1, 1, 0);
  OP(ResultRow, 1, 1, 0);
  if (delete_next) {
    vdbe_add_op4_int(v, OP_SeekGT, 2, skip, KEYREG, nf);
    for (int j = 0; j < nf; j++) OP(Column, 2, j, DELREG + j);
    OP(IdxDelete, 0, DELREG, nf);
  } else {
    OP(IdxDelete, 0, KEYREG, nf);
  }
  vdbe_resolve_label(v, skip);
  OP(Next, 1, loop, 0);
  vdbe_resolve_label(v, end);
  OP(Halt, 0, 0, 0);
  if (vdbe_finish(v) != LODE_OK) {
    vdbe_free(v);
    return seen;
  }
  while ((rc = vdbe_step(v)) == LODE_ROW) {
    if (*nseen == cap) seen = realloc(seen, sizeof(int64_t) * (size_t)(cap *= 2));
    seen[(*nseen)++] = mem_as_int(vdbe_result(v, 0));
  }
  if (rc != LODE_DONE) *nseen = -1;
  vdbe_free(v);
  return seen;
}

TEST(reader_refinds_its_place_while_entries_are_deleted) {
  for (int variant = 0; variant < 2; variant++) {
    lode *db = open_db();
    Rng r;
    const Layout *l = &layout_a;
    KeyInfo *k = layout_ki(l, l->ncols);
    int n = 2000, nseen = 0, bad = 0;
    uint32_t root = create_tree(db, BTREE_BLOBKEY);
    Entry *e;
    int64_t *seen;
    init_long_texts();
    rng_seed(&r, 7 + (uint64_t)variant);
    e = make_entries(&r, l->ncols, n);
    CHECK_EQ_INT(insert_entries(db, root, l, e, n), LODE_DONE);
    sort_model(e, n, k, l->ncols + 1);
    seen = scan_while_deleting(db, root, l, variant, &nseen);
    if (variant == 0) {
      CHECK_EQ_INT(nseen, n);
      for (int i = 0; i < n && i < nseen; i++) bad += seen[i] != e[i].f[l->ncols].u.i;
      CHECK_EQ_INT(count_entries(db, root, l), 0);
    } else {
      CHECK_EQ_INT(nseen, (n + 1) / 2);
      for (int i = 0; i < nseen; i++) bad += seen[i] != e[2 * i].f[l->ncols].u.i;
      CHECK_EQ_INT(count_entries(db, root, l), (n + 1) / 2);
    }
    CHECK_EQ_INT(bad, 0);
    free(seen);
    free(e);
    keyinfo_free(k);
    lode_close(db);
  }
}

/* ---- single behaviours ---------------------------------------------------------------- */

/* Runs a program that yields one row of ints; returns it in out[0..n). */
static int run_row(Vdbe *v, int64_t *out, int n) {
  int rc = vdbe_finish(v);
  if (rc != LODE_OK) return rc;
  rc = vdbe_step(v);
  if (rc != LODE_ROW) return rc;
  for (int i = 0; i < n; i++) {
    Mem *m = vdbe_result(v, i);
    out[i] = m && m->type != MEM_NULL ? mem_as_int(m) : INT64_MIN;
  }
  return run(v);
}

static KeyInfo *nocase_ki(int n) {
  KeyInfo *k = keyinfo_new(n);
  for (int i = 0; k && i < n; i++) k->coll[i] = COLL_NOCASE;
  return k;
}

TEST(idx_insert_of_an_equal_entry_replaces_it) {
  lode *db = open_db();
  uint32_t root = create_tree(db, BTREE_BLOBKEY);
  Vdbe *v = new_prog(db);
  int same = vdbe_make_label(v), done = vdbe_make_label(v);
  int64_t out[3];
  OP(Transaction, 0, 1, 0);
  vdbe_add_op4(v, OP_OpenWrite, 0, (int)root, 0, P4_KEYINFO, nocase_ki(1), 0);
  vdbe_add_op4(v, OP_String8, 3, 1, 0, P4_STRING, "abc", 3);
  OP(Integer, 5, 2, 0);
  OP(MakeRecord, 1, 2, 3);
  vdbe_set_p5(v, OP(IdxInsert, 0, 3, 0), OPFLAG_NCHANGE);
  vdbe_add_op4(v, OP_String8, 3, 1, 0, P4_STRING, "ABC", 3); /* equal under NOCASE, same rowid */
  OP(MakeRecord, 1, 2, 3);
  OP(IdxInsert, 0, 3, 0);
  OP(Count, 0, 4, 0);
  OP(Rewind, 0, done, 0);
  OP(Column, 0, 0, 5);
  OP(Integer, 0, 6, 0);
  vdbe_add_op4(v, OP_String8, 3, 7, 0, P4_STRING, "ABC", 3);
  OP(Eq, 7, same, 5); /* BINARY: the second spelling is the one stored */
  OP(Goto, 0, done, 0);
  vdbe_resolve_label(v, same);
  OP(Integer, 1, 6, 0);
  vdbe_resolve_label(v, done);
  OP(ResultRow, 4, 3, 0); /* count, the column, replaced */
  OP(Halt, 0, 0, 0);
  CHECK_EQ_INT(run_row(v, out, 3), LODE_DONE);
  CHECK_EQ_INT(out[0], 1);
  CHECK_EQ_INT(out[2], 1);
  CHECK_EQ_INT(db->changes, 1);
  vdbe_free(v);
  lode_close(db);
}

#define NO_ROW (-1000)
#define FIRST_ROWID (-100)

/* Table (rowids -100, -98, …, 200) seeks with keys of every class. */
static int64_t table_seek(lode *db, uint32_t root, int opcode, const Mem *key) {
  Vdbe *v = new_prog(db);
  int64_t out = 0;
  int none = vdbe_make_label(v);
  OP(Transaction, 0, 0, 0);
  OP(OpenRead, 0, (int)root, 0);
  emit_load(v, 1, key);
  OP(Null, 0, 2, 0);
  vdbe_add_op4_int(v, opcode, 0, none, 1, 1);
  OP(Rowid, 0, 2, 0);
  vdbe_resolve_label(v, none);
  OP(ResultRow, 2, 1, 0);
  OP(Halt, 0, 0, 0);
  if (run_row(v, &out, 1) != LODE_DONE) out = -999;
  vdbe_free(v);
  return out == INT64_MIN ? NO_ROW : out;
}

/* The model of a rowid seek on {-100, -98, …, 200} for a numeric key x. */
static int64_t expect_table_seek(int opcode, double x) {
  int64_t best = NO_ROW;
  for (int64_t id = FIRST_ROWID; id <= 200; id += 2) {
    double d = (double)id;
    int ok = opcode == OP_SeekLT ? d < x : opcode == OP_SeekLE ? d <= x : opcode == OP_SeekGE ? d >= x : d > x;
    if (!ok) continue;
    if (opcode == OP_SeekLT || opcode == OP_SeekLE) best = id; /* the last one that qualifies */
    else if (best == NO_ROW) best = id;
  }
  return best;
}

TEST(table_seeks_round_reals_and_treat_text_as_sqlite_does) {
  static const int ops[4] = {OP_SeekLT, OP_SeekLE, OP_SeekGE, OP_SeekGT};
  static const double reals[] = {4.5,   4.0,    3.999, -0.5,  0.0,  1.5,  -3.5, -4.5, -4.0, -99.5, -100.5,
                                 199.5, 200.0, 200.5, 1e30, -1e30, 9.3e18, -9.3e18};
  static const int64_t ints[] = {INT64_MIN, -101, -100, -3, 0, 1, 2, 3, 100, 199, 200, 201, INT64_MAX};
  lode *db = open_db();
  uint32_t root = create_tree(db, BTREE_INTKEY);
  Vdbe *v = new_prog(db);
  int loop;
  Mem key;
  OP(Transaction, 0, 1, 0);
  OP(OpenWrite, 0, (int)root, 0);
  OP(Integer, FIRST_ROWID - 2, 1, 0);
  OP(Integer, 2, 2, 0);
  OP(Integer, 200, 3, 0);
  OP(MakeRecord, 1, 1, 4);
  loop = OP(Add, 2, 1, 1);
  OP(Insert, 0, 4, 1);
  OP(Lt, 3, loop, 1);
  OP(Halt, 0, 0, 0);
  CHECK_EQ_INT(vdbe_finish(v), LODE_OK);
  CHECK_EQ_INT(run(v), LODE_DONE);
  vdbe_free(v);
  for (int o = 0; o < 4; o++) {
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++) {
      mem_init(&key);
      mem_set_real(&key, reals[i]);
      if (table_seek(db, root, ops[o], &key) != expect_table_seek(ops[o], reals[i]))
        TEST_FAIL_("op %d real %g: got %lld", o, reals[i], (long long)table_seek(db, root, ops[o], &key));
    }
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
      int64_t want = NO_ROW;
      mem_init(&key);
      mem_set_int(&key, ints[i]);
      for (int64_t id = FIRST_ROWID; id <= 200; id += 2) {
        int ok = ops[o] == OP_SeekLT ? id < ints[i] : ops[o] == OP_SeekLE ? id <= ints[i]
               : ops[o] == OP_SeekGE ? id >= ints[i] : id > ints[i];
        if (ok && (ops[o] == OP_SeekLT || ops[o] == OP_SeekLE || want == NO_ROW)) want = id;
      }
      CHECK_EQ_INT(table_seek(db, root, ops[o], &key), want);
    }
    /* Numeric text converts; other text and blobs sort after every rowid; NULL finds nothing. */
    mem_set_text(&key, "4.5", 3, MEM_STATIC);
    CHECK_EQ_INT(table_seek(db, root, ops[o], &key), expect_table_seek(ops[o], 4.5));
    mem_set_text(&key, "10", 2, MEM_STATIC);
    CHECK_EQ_INT(table_seek(db, root, ops[o], &key), expect_table_seek(ops[o], 10));
    mem_set_text(&key, "abc", 3, MEM_STATIC);
    CHECK_EQ_INT(table_seek(db, root, ops[o], &key), o < 2 ? 200 : NO_ROW);
    mem_set_blob(&key, "\x01", 1, MEM_STATIC);
    CHECK_EQ_INT(table_seek(db, root, ops[o], &key), o < 2 ? 200 : NO_ROW);
    mem_set_null(&key);
    CHECK_EQ_INT(table_seek(db, root, ops[o], &key), NO_ROW);
  }
  lode_close(db);
}

/* The index-to-table lookup: seek the index, take the rowid, read the row,
** both with IdxRowid + SeekRowid and with DeferredSeek. */
TEST(index_lookup_reaches_the_table_row) {
  lode *db = open_db();
  uint32_t table = create_tree(db, BTREE_INTKEY), index = create_tree(db, BTREE_BLOBKEY);
  Vdbe *v = new_prog(db);
  int loop, miss, next;
  int64_t out[4];
  /* Rows (rowid i, name 'n' || (i * 7 % 50)) for i = 1..50; index (name, rowid). */
  OP(Transaction, 0, 1, 0);
  OP(OpenWrite, 0, (int)table, 0);
  vdbe_add_op4(v, OP_OpenWrite, 1, (int)index, 0, P4_KEYINFO, keyinfo_new(1), 0);
  OP(Integer, 0, 1, 0);
  OP(Integer, 1, 2, 0);
  OP(Integer, 50, 3, 0);
  OP(Integer, 7, 4, 0);
  loop = OP(Add, 2, 1, 1);
  OP(Multiply, 4, 1, 5);
  OP(Remainder, 3, 5, 5);  /* r5 = i * 7 % 50: a permutation of 0..49 */
  OP(MakeRecord, 5, 1, 6); /* the row: one column */
  OP(Insert, 0, 6, 1);
  OP(SCopy, 1, 7, 0);
  OP(SCopy, 5, 6, 0);
  OP(MakeRecord, 6, 2, 8); /* the entry: (value, rowid) */
  OP(IdxInsert, 1, 8, 0);
  OP(Lt, 3, loop, 1);
  OP(Halt, 0, 0, 0);
  CHECK_EQ_INT(vdbe_finish(v), LODE_OK);
  CHECK_EQ_INT(run(v), LODE_DONE);
  vdbe_free(v);

  /* value 21 is row i with i*7 % 50 = 21: i = 3; value >= 43.5 first is 44: i*7%50=44 → i = 42. */
  v = new_prog(db);
  miss = vdbe_make_label(v);
  OP(Transaction, 0, 0, 0);
  OP(OpenRead, 0, (int)table, 0);
  vdbe_add_op4(v, OP_OpenRead, 1, (int)index, 0, P4_KEYINFO, keyinfo_new(1), 0);
  OP(Integer, 21, 10, 0);
  vdbe_add_op4_int(v, OP_SeekGE, 1, miss, 10, 1);
  vdbe_add_op4_int(v, OP_IdxGT, 1, miss, 10, 1);
  OP(IdxRowid, 1, 11, 0);
  OP(SeekRowid, 0, miss, 11);
  OP(Column, 0, 0, 12);
  {
    double x = 43.5;
    vdbe_add_op4(v, OP_Real, 0, 10, 0, P4_REAL, &x, 0);
  }
  vdbe_add_op4_int(v, OP_SeekGE, 1, miss, 10, 1);
  OP(DeferredSeek, 1, 0, 0);
  OP(Rowid, 0, 13, 0);
  OP(Column, 0, 0, 14);
  OP(ResultRow, 11, 4, 0);
  OP(Halt, 0, 0, 0);
  vdbe_resolve_label(v, miss);
  OP(Halt, LODE_INTERNAL, 0, 0);
  CHECK_EQ_INT(run_row(v, out, 4), LODE_DONE);
  CHECK_EQ_INT(out[0], 3);
  CHECK_EQ_INT(out[1], 21);
  CHECK_EQ_INT(out[2], 42);
  CHECK_EQ_INT(out[3], 44);
  vdbe_free(v);

  /* Descending scan of the index with Last/Prev, reading the table rows. */
  v = new_prog(db);
  miss = vdbe_make_label(v);
  OP(Transaction, 0, 0, 0);
  OP(OpenRead, 0, (int)table, 0);
  vdbe_add_op4(v, OP_OpenRead, 1, (int)index, 0, P4_KEYINFO, keyinfo_new(1), 0);
  OP(Last, 1, miss, 0);
  next = OP(IdxRowid, 1, 1, 0);
  OP(SeekRowid, 0, miss, 1);
  OP(Column, 0, 0, 2);
  OP(ResultRow, 2, 1, 0);
  OP(Prev, 1, next, 0);
  vdbe_resolve_label(v, miss);
  OP(Halt, 0, 0, 0);
  CHECK_EQ_INT(vdbe_finish(v), LODE_OK);
  {
    int64_t want = 49, rows = 0;
    while (vdbe_step(v) == LODE_ROW) {
      CHECK_EQ_INT(mem_as_int(vdbe_result(v, 0)), want);
      want--;
      rows++;
    }
    CHECK_EQ_INT(rows, 50);
  }
  vdbe_free(v);

  /* An index entry whose row is gone: DeferredSeek reports corruption. */
  v = new_prog(db);
  OP(Transaction, 0, 1, 0);
  OP(OpenWrite, 0, (int)table, 0);
  vdbe_add_op4(v, OP_OpenRead, 1, (int)index, 0, P4_KEYINFO, keyinfo_new(1), 0);
  OP(Integer, 3, 1, 0);
  OP(NotExists, 0, 6, 1);
  OP(Delete, 0, 0, 0);
  OP(Integer, 21, 10, 0);
  vdbe_add_op4_int(v, OP_SeekGE, 1, 9, 10, 1);
  OP(DeferredSeek, 1, 0, 0);
  OP(Halt, 0, 0, 0); /* 9 */
  CHECK_EQ_INT(vdbe_finish(v), LODE_OK);
  CHECK_EQ_INT(run(v), LODE_CORRUPT);
  vdbe_free(v);
  lode_close(db);
}

TEST(found_takes_a_record_key_and_no_conflict_skips_nulls) {
  lode *db = open_db();
  uint32_t root = create_tree(db, BTREE_BLOBKEY);
  Vdbe *v = new_prog(db);
  int64_t out[5];
  /* Entries (NULL, 1) and ('x', 2) under a one-column NOCASE index. */
  OP(Transaction, 0, 1, 0);
  vdbe_add_op4(v, OP_OpenWrite, 0, (int)root, 0, P4_KEYINFO, nocase_ki(1), 0);
  OP(Null, 0, 1, 0);
  OP(Integer, 1, 2, 0);
  OP(MakeRecord, 1, 2, 3);
  OP(IdxInsert, 0, 3, 0);
  vdbe_add_op4(v, OP_String8, 1, 1, 0, P4_STRING, "x", 1);
  OP(Integer, 2, 2, 0);
  OP(MakeRecord, 1, 2, 3);
  OP(IdxInsert, 0, 3, 0);
  /* A NULL key: Found sees the NULL entry (NULLs compare equal in an index),
  ** NoConflict jumps anyway (NULLs are distinct for UNIQUE). */
  OP(Null, 0, 1, 0);
  emit_jump_flag(v, OP_Found, 1, 1, 10);
  emit_jump_flag(v, OP_NoConflict, 1, 1, 11);
  /* Key 'X' as a one-field record (p4 = 0): found, so NoConflict falls
  ** through with the cursor on the conflicting entry. */
  vdbe_add_op4(v, OP_String8, 1, 1, 0, P4_STRING, "X", 1);
  OP(MakeRecord, 1, 1, 4);
  emit_jump_flag(v, OP_Found, 4, 0, 12);
  emit_jump_flag(v, OP_NoConflict, 4, 0, 13);
  OP(IdxRowid, 0, 14, 0);
  OP(ResultRow, 10, 5, 0);
  OP(Halt, 0, 0, 0);
  CHECK_EQ_INT(run_row(v, out, 5), LODE_DONE);
  CHECK_EQ_INT(out[0], 1);
  CHECK_EQ_INT(out[1], 1);
  CHECK_EQ_INT(out[2], 1);
  CHECK_EQ_INT(out[3], 0);
  CHECK_EQ_INT(out[4], 2);
  vdbe_free(v);
  lode_close(db);
}

TEST(misused_index_ops_fail_cleanly) {
  lode *db = open_db();
  uint32_t table = create_tree(db, BTREE_INTKEY), index = create_tree(db, BTREE_BLOBKEY);
  Vdbe *v;
  /* IdxInsert through a table cursor. */
  v = new_prog(db);
  OP(Transaction, 0, 1, 0);
  OP(OpenWrite, 0, (int)table, 0);
  OP(Integer, 1, 1, 0);
  OP(MakeRecord, 1, 1, 2);
  OP(IdxInsert, 0, 2, 0);
  OP(Halt, 0, 0, 0);
  CHECK_EQ_INT(vdbe_finish(v), LODE_OK);
  CHECK_EQ_INT(run(v), LODE_INTERNAL);
  vdbe_free(v);
  /* IdxInsert of something that is not a record. */
  v = new_prog(db);
  OP(Transaction, 0, 1, 0);
  vdbe_add_op4(v, OP_OpenWrite, 0, (int)index, 0, P4_KEYINFO, keyinfo_new(1), 0);
  vdbe_add_op4(v, OP_Blob, 2, 1, 0, P4_BLOB, "\x09\x01", 2); /* header claims 9 bytes */
  OP(IdxInsert, 0, 1, 0);
  OP(Halt, 0, 0, 0);
  CHECK_EQ_INT(vdbe_finish(v), LODE_OK);
  CHECK_EQ_INT(run(v), LODE_CORRUPT);
  vdbe_free(v);
  CHECK_EQ_INT(db->nactive, 0);
  /* IdxGE on a cursor that is on no entry (empty index). */
  v = new_prog(db);
  OP(Transaction, 0, 0, 0);
  vdbe_add_op4(v, OP_OpenRead, 0, (int)index, 0, P4_KEYINFO, keyinfo_new(1), 0);
  OP(Integer, 1, 1, 0);
  vdbe_add_op4_int(v, OP_IdxGE, 0, 4, 1, 1);
  OP(Halt, 0, 0, 0); /* 4 */
  CHECK_EQ_INT(vdbe_finish(v), LODE_OK);
  CHECK_EQ_INT(run(v), LODE_INTERNAL);
  vdbe_free(v);
  /* IdxRowid on an empty index reads NULL; IdxDelete of an absent key does nothing. */
  v = new_prog(db);
  OP(Transaction, 0, 1, 0);
  vdbe_add_op4(v, OP_OpenWrite, 0, (int)index, 0, P4_KEYINFO, keyinfo_new(1), 0);
  OP(Integer, 7, 1, 0);
  OP(Integer, 1, 2, 0);
  OP(IdxDelete, 0, 1, 2);
  OP(Rewind, 0, 6, 0);
  OP(IdxRowid, 0, 3, 0); /* 6 */
  OP(Count, 0, 4, 0);
  OP(ResultRow, 3, 2, 0);
  OP(Halt, 0, 0, 0);
  {
    int64_t out[2];
    CHECK_EQ_INT(run_row(v, out, 2), LODE_DONE);
    CHECK_EQ_INT(out[0], INT64_MIN);
    CHECK_EQ_INT(out[1], 0);
  }
  vdbe_free(v);
  lode_close(db);
}

/* Entries and keys longer than a page: the comparisons must read the part
** on overflow pages, where the two texts differ. */
TEST(idx_compare_and_found_read_overflow_pages) {
  lode *db = open_db();
  uint32_t root = create_tree(db, BTREE_BLOBKEY);
  Vdbe *v = new_prog(db);
  static char t1[3000], t2[3000];
  int64_t out[6];
  memset(t1, 'x', sizeof t1);
  memcpy(t2, t1, sizeof t2);
  t2[sizeof t2 - 1] = 'y'; /* t1 < t2, equal up to the last byte */
  OP(Transaction, 0, 1, 0);
  vdbe_add_op4(v, OP_OpenWrite, 0, (int)root, 0, P4_KEYINFO, keyinfo_new(1), 0);
  vdbe_add_op4(v, OP_String8, (int)sizeof t1, 1, 0, P4_STRING, t1, (int)sizeof t1);
  OP(Integer, 1, 2, 0);
  OP(MakeRecord, 1, 2, 3);
  OP(IdxInsert, 0, 3, 0);
  vdbe_add_op4(v, OP_String8, (int)sizeof t2, 4, 0, P4_STRING, t2, (int)sizeof t2);
  OP(Rewind, 0, 0, 0);
  emit_jump_flag(v, OP_IdxLT, 4, 1, 10); /* entry t1 < key t2 */
  OP(Rewind, 0, 0, 0);
  emit_jump_flag(v, OP_IdxGE, 4, 1, 11);
  emit_jump_flag(v, OP_Found, 4, 1, 12);
  emit_jump_flag(v, OP_Found, 1, 1, 13);
  OP(IdxRowid, 0, 14, 0);
  OP(Rewind, 0, 0, 0);
  emit_jump_flag(v, OP_IdxGE, 1, 1, 15); /* equal to its own text */
  OP(ResultRow, 10, 6, 0);
  OP(Halt, 0, 0, 0);
  CHECK_EQ_INT(run_row(v, out, 6), LODE_DONE);
  CHECK_EQ_INT(out[5], 1);
  CHECK_EQ_INT(out[0], 1);
  CHECK_EQ_INT(out[1], 0);
  CHECK_EQ_INT(out[2], 0);
  CHECK_EQ_INT(out[3], 1);
  CHECK_EQ_INT(out[4], 1);
  vdbe_free(v);
  lode_close(db);
}

/* Inserts 20 entries (every third a long text on overflow pages), looks
** one up by a record key, deletes another, and yields the count and the
** lookups' results. */
static Vdbe *oom_program(lode *db, uint32_t root) {
  Vdbe *v = new_prog(db);
  OP(Transaction, 0, 1, 0);
  vdbe_add_op4(v, OP_OpenWrite, 0, (int)root, 0, P4_KEYINFO, nocase_ki(1), 0);
  for (int i = 0; i < 20; i++) {
    if (i % 3 == 0) vdbe_add_op4(v, OP_String8, 2000 + i, 1, 0, P4_STRING, long_a, 2000 + i);
    else OP(Integer, i, 1, 0);
    OP(Integer, i + 1, 2, 0);
    OP(MakeRecord, 1, 2, 3);
    OP(IdxInsert, 0, 3, 0);
  }
  vdbe_add_op4(v, OP_String8, 2003, 1, 0, P4_STRING, long_a, 2003);
  OP(MakeRecord, 1, 1, 4);
  emit_jump_flag(v, OP_Found, 4, 0, 10);
  OP(IdxRowid, 0, 11, 0);
  OP(Integer, 4, 1, 0);
  OP(Integer, 5, 2, 0);
  OP(IdxDelete, 0, 1, 2);
  OP(Count, 0, 12, 0);
  OP(ResultRow, 10, 3, 0);
  OP(Halt, 0, 0, 0);
  return v;
}

TEST(allocation_failures_in_index_ops_return_nomem_cleanly) {
  /* Under ASan this also proves nothing leaks or is freed twice on those paths. */
  lode *db = open_db();
  uint32_t root = create_tree(db, BTREE_BLOBKEY);
  int n, runs_ok = 0, saw_nomem = 0;
  init_long_texts();
  for (n = 1; n < 300; n++) {
    Vdbe *v = oom_program(db, root);
    int rc = vdbe_finish(v);
    int64_t out[3] = {0, 0, 0};
    util_fail_alloc_after(n, 0);
    if (rc == LODE_OK) rc = run_row(v, out, 3);
    util_fail_alloc_after(0, 0);
    if (rc == LODE_NOMEM) saw_nomem = 1;
    else if (rc != LODE_DONE) TEST_FAIL_("n=%d rc=%d", n, rc);
    if (rc == LODE_DONE) {
      runs_ok++;
      if (out[0] != 1 || out[1] != 4 || out[2] != 19) TEST_FAIL_("n=%d: %lld %lld %lld", n, (long long)out[0],
                                                                 (long long)out[1], (long long)out[2]);
    }
    vdbe_free(v);
    /* A failed statement leaves the index as the last good one did. */
    CHECK_EQ_INT(count_entries(db, root, &(Layout){1, {0}, {COLL_NOCASE}, {0}}), runs_ok ? 19 : 0);
  }
  CHECK(saw_nomem);
  CHECK(runs_ok > 0);
  lode_close(db);
}

static int finish_of(lode *db, Vdbe *v) {
  int rc;
  OP(Halt, 0, 0, 0);
  rc = vdbe_finish(v);
  vdbe_free(v);
  (void)db;
  return rc;
}

TEST(finish_checks_the_index_operands) {
  lode *db = open_db();
  Vdbe *v;
  v = new_prog(db);
  OP(SeekGE, 0, 0, 1); /* no key count */
  CHECK_EQ_INT(finish_of(db, v), LODE_INTERNAL);
  CHECK(strstr(lode_errmsg(db), "key count") != NULL);
  v = new_prog(db);
  vdbe_add_op4_int(v, OP_IdxGT, 0, 0, NMEM, 2); /* runs past the registers */
  CHECK_EQ_INT(finish_of(db, v), LODE_INTERNAL);
  v = new_prog(db);
  vdbe_add_op4_int(v, OP_SeekLT, 0, 0, NMEM, 1);
  CHECK_EQ_INT(finish_of(db, v), LODE_OK);
  v = new_prog(db);
  OP(NotFound, 0, 0, 1); /* a record key */
  CHECK_EQ_INT(finish_of(db, v), LODE_OK);
  v = new_prog(db);
  OP(IdxDelete, 0, 1, 0); /* no key */
  CHECK_EQ_INT(finish_of(db, v), LODE_INTERNAL);
  v = new_prog(db);
  OP(IdxInsert, 0, 1, 2); /* key registers without a count */
  CHECK_EQ_INT(finish_of(db, v), LODE_INTERNAL);
  v = new_prog(db);
  vdbe_add_op4_int(v, OP_IdxInsert, 0, 1, NMEM, 2); /* runs past the registers */
  CHECK_EQ_INT(finish_of(db, v), LODE_INTERNAL);
  v = new_prog(db);
  vdbe_add_op4_int(v, OP_IdxInsert, 0, 1, 2, 2);
  CHECK_EQ_INT(finish_of(db, v), LODE_OK);
  v = new_prog(db);
  OP(DeferredSeek, 0, 0, NCUR);
  CHECK_EQ_INT(finish_of(db, v), LODE_INTERNAL);
  v = new_prog(db);
  vdbe_add_op4(v, OP_OpenRead, 0, 2, 0, P4_STRING, "t", 1);
  CHECK_EQ_INT(finish_of(db, v), LODE_INTERNAL);
  v = new_prog(db);
  vdbe_add_op4(v, OP_OpenWrite, 0, 0, 1, P4_KEYINFO, keyinfo_new(2), 0);
  vdbe_set_p5(v, 0, 1);
  CHECK_EQ_INT(finish_of(db, v), LODE_OK);
  lode_close(db);
}

TEST(explain_shows_index_operands) {
  lode *db = open_db();
  Vdbe *v = new_prog(db);
  KeyInfo *k = keyinfo_new(2);
  k->coll[0] = COLL_NOCASE;
  k->desc[1] = 1;
  k->nulls_last[1] = 1;
  vdbe_add_op4(v, OP_OpenRead, 1, 5, 0, P4_KEYINFO, k, 0);
  vdbe_add_op4_int(v, OP_SeekGE, 1, 3, 7, 2);
  vdbe_add_op4_int(v, OP_IdxGT, 1, 3, 7, 2);
  OP(Halt, 0, 0, 0);
  vdbe_set_flags(v, 1, 1);
  CHECK_EQ_INT(vdbe_finish(v), LODE_OK);
  CHECK_EQ_INT(vdbe_step(v), LODE_ROW);
  CHECK_EQ_STR(vdbe_result(v, 1)->z, "OpenRead");
  CHECK_EQ_STR(vdbe_result(v, 5)->z, "k(2,NOCASE,-B)");
  CHECK_EQ_INT(vdbe_step(v), LODE_ROW);
  CHECK_EQ_STR(vdbe_result(v, 1)->z, "SeekGE");
  CHECK_EQ_INT(mem_as_int(vdbe_result(v, 2)), 1);
  CHECK_EQ_INT(mem_as_int(vdbe_result(v, 3)), 3);
  CHECK_EQ_INT(mem_as_int(vdbe_result(v, 4)), 7);
  CHECK_EQ_STR(vdbe_result(v, 5)->z, "2");
  CHECK_EQ_INT(vdbe_step(v), LODE_ROW);
  CHECK_EQ_STR(vdbe_result(v, 1)->z, "IdxGT");
  vdbe_free(v);
  lode_close(db);
}

int main(void) {
  RUN(index_ops_match_the_model_nocase_desc_nulls_last);
  RUN(index_ops_match_the_model_three_columns_rtrim_desc_first);
  RUN(reader_refinds_its_place_while_entries_are_deleted);
  RUN(idx_insert_of_an_equal_entry_replaces_it);
  RUN(table_seeks_round_reals_and_treat_text_as_sqlite_does);
  RUN(index_lookup_reaches_the_table_row);
  RUN(found_takes_a_record_key_and_no_conflict_skips_nulls);
  RUN(misused_index_ops_fail_cleanly);
  RUN(idx_compare_and_found_read_overflow_pages);
  RUN(allocation_failures_in_index_ops_return_nomem_cleanly);
  RUN(finish_checks_the_index_operands);
  RUN(explain_shows_index_operands);
  return test_summary();
}
