/*
** vdbe_window.c — OP_Window: one window's functions over a query's rows.
**
** The rows arrive in a sorter (whose key is empty, so it returns them in
** insertion order), as records of VdbeWindow.ncols columns: the window's
** partition and ORDER BY values, each function's arguments and FILTER
** value, the other values the query needs, and one placeholder column per
** function for its result.  The pass copies the records into one buffer of
** its own and decodes only what the functions read (the key columns, each
** function's arguments and FILTER value: "slots", compact per row, so a wide
** row costs no more memory than a narrow one), orders the rows by
** (partition, ORDER BY) with a stable merge sort (skipped when they arrive
** in that order), computes each function partition by partition, and
** replaces the sorter's contents by the rows in that order, with the results
** spliced into each record (the other columns' bytes are copied as they are).  A query with several windows
** runs one pass per window; the rows then come out in the last pass's order.
**
** Rows that arrive already in window order (the inner query sorted them for
** the first pass, or a previous pass left them so) are taken one partition
** at a time: the pass holds and decodes only the current partition, writes
** its rows out and starts over, so its memory follows the largest partition
** rather than the whole result.  It finds out as it reads: a row that sorts
** before the one read just ahead of it sends the pass back to the start of
** the sorter, to load every row and sort them as above.
**
** Per partition of m rows the pass knows each row's peer group (rows equal
** on every ORDER BY term; with no ORDER BY the whole partition).  A frame is
** the inclusive range [s, e] of partition positions (empty when s > e),
** found in O(1) for ROWS and GROUPS and by binary search for RANGE with an
** offset; EXCLUDE removes up to one sub-range from it.
**
** Aggregates: a function with window operations (func_window_ops) keeps one
** state and moves it with the frame: new rows are stepped, rows leaving at
** the start are removed with inverse, and value reports the result without
** consuming the state.  When the start moves and there is no inverse, or
** the frame excludes rows, or the function has no value operation (any
** function of the connection's registry), the state is rebuilt for the row
** (a row whose frame equals the previous row's reuses its result).  min()
** and max() over frames whose start moves keep a queue of candidate rows
** instead (run_extreme).  So the default frame, sliding sum/count/total/avg
** and sliding min/max frames cost O(1) amortized steps per row.
**
** Invariant: the decoded Mems borrow from the pass's copy of the records
** (recs), which lives until the new sorter has its own encoded copies.
*/
#include <string.h>

#include "vdbe/vdbe_internal.h"

typedef struct WinPass {
  Vdbe *v;
  const VdbeWindow *w;
  int ncols;
  uint32_t n;     /* rows */
  uint8_t *recs;  /* the rows' records, one after another */
  size_t *rec_at; /* n + 1 offsets into recs: row r is recs[rec_at[r] .. rec_at[r + 1]) */
  size_t used, cap; /* bytes of recs in use and allocated */
  uint32_t nrec;    /* rec_at's capacity */
  RecordHeader hdr;
  Mem *cur, *prev;  /* streaming: the key columns of the row just read and of the one before */
  VdbeWinFunc *funcs; /* w->funcs with arg_col and filter_col renumbered as slots */
  int nslot;      /* decoded values per row in cells */
  Mem *cells;     /* n * nslot decoded values (borrowing from recs) */
  Mem *keys;      /* n * nkey: the key columns of each row, shallow copies */
  int nkey;
  uint32_t *order; /* row indexes in window order */
  Mem *results;   /* n * nfunc owned results, by row index */
  /* The current partition, positions 0..m-1 map to order[base + pos]. */
  uint32_t base, m;
  uint32_t *peer_start, *peer_end, *group_of, *group_first, *group_last; /* per position / group */
  Mem start_off, end_off; /* frame offsets (numbers) */
  int64_t start_i, end_i;
} WinPass;

#define ROW(wp, pos) (&(wp)->cells[(size_t)(wp)->order[(wp)->base + (pos)] * (size_t)(wp)->nslot])
#define KEY(wp, pos) (&(wp)->keys[(size_t)(wp)->order[(wp)->base + (pos)] * (size_t)(wp)->nkey])

static int win_error(WinPass *wp, const char *msg) {
  conn_error(wp->v->db, LODE_ERROR, "%s", msg);
  return LODE_ERROR;
}

void vdbe_window_free(VdbeWindow *w) {
  if (!w) return;
  util_free(w->key_col);
  keyinfo_free(w->key);
  util_free(w->funcs);
  util_free(w);
}

/* ---- loading and ordering ----------------------------------------------------------- */

/* Gives each function's arguments (consecutive) and FILTER value a slot of
** the compact rows; the renumbered copies go to wp->funcs. */
static int assign_slots(WinPass *wp) {
  const VdbeWindow *w = wp->w;
  wp->funcs = util_malloc(sizeof(VdbeWinFunc) * (size_t)(w->nfunc ? w->nfunc : 1));
  if (!wp->funcs) return LODE_NOMEM;
  for (int f = 0; f < w->nfunc; f++) {
    wp->funcs[f] = w->funcs[f];
    wp->funcs[f].arg_col = wp->nslot;
    wp->nslot += w->funcs[f].nargs;
    if (w->funcs[f].filter_col >= 0) wp->funcs[f].filter_col = wp->nslot++;
  }
  return LODE_OK;
}

/* Appends a copy of a record to wp->recs (so that the decoded values do not
** depend on how long the sorter keeps its own). */
static int append_row(WinPass *wp, const uint8_t *rec, uint32_t len) {
  if (wp->used + len > wp->cap) {
    size_t ncap = wp->cap ? wp->cap : 4096;
    while (ncap < wp->used + len) ncap *= 2;
    uint8_t *r = util_realloc(wp->recs, ncap);
    if (!r) return LODE_NOMEM;
    wp->recs = r;
    wp->cap = ncap;
  }
  if (wp->n + 1 >= wp->nrec) { /* room for this row's offset and the end offset */
    uint32_t nn = wp->nrec ? wp->nrec * 2 : 64;
    size_t *at = util_realloc(wp->rec_at, sizeof(size_t) * nn);
    if (!at) return LODE_NOMEM;
    wp->rec_at = at;
    wp->nrec = nn;
  }
  memcpy(wp->recs + wp->used, rec, len);
  wp->rec_at[wp->n++] = wp->used;
  wp->used += len;
  wp->rec_at[wp->n] = wp->used;
  return LODE_OK;
}

/* Decodes the key columns of a record into keys (nkey Mems borrowing from it). */
static int decode_key_cols(WinPass *wp, const uint8_t *rec, uint32_t len, Mem *keys) {
  int rc = record_header_parse(&wp->hdr, rec, len, len);
  if (rc != LODE_OK) return rc;
  for (int k = 0; k < wp->nkey; k++) {
    int col = wp->w->key_col[k];
    mem_init(&keys[k]);
    if (col < wp->hdr.ncol) record_decode_value(rec + wp->hdr.offsets[col], wp->hdr.types[col], &keys[k]);
  }
  return LODE_OK;
}

/* Decodes each held row's key columns into wp->keys and its slots into
** wp->cells. */
static int decode_rows(WinPass *wp) {
  const VdbeWindow *w = wp->w;
  int rc = LODE_OK;
  size_t n = wp->n ? wp->n : 1;
  util_free(wp->cells);
  util_free(wp->keys);
  wp->cells = util_malloc(sizeof(Mem) * n * (size_t)(wp->nslot ? wp->nslot : 1));
  wp->keys = util_malloc(sizeof(Mem) * n * (size_t)(wp->nkey ? wp->nkey : 1));
  if (!wp->cells || !wp->keys) return LODE_NOMEM;
  for (uint32_t r = 0; rc == LODE_OK && r < wp->n; r++) {
    const uint8_t *rec = wp->recs + wp->rec_at[r];
    uint32_t len = (uint32_t)(wp->rec_at[r + 1] - wp->rec_at[r]);
    Mem *cells = &wp->cells[(size_t)r * (size_t)wp->nslot];
    if ((rc = decode_key_cols(wp, rec, len, &wp->keys[(size_t)r * (size_t)wp->nkey])) != LODE_OK) break;
    for (int f = 0; f < w->nfunc; f++) {
      const VdbeWinFunc *from = &w->funcs[f], *to = &wp->funcs[f];
      for (int i = 0; i <= from->nargs; i++) {
        int col = i < from->nargs ? from->arg_col + i : from->filter_col;
        if (i == from->nargs && col < 0) break;
        Mem *m = &cells[(i < from->nargs ? to->arg_col + i : to->filter_col)];
        mem_init(m);
        if (col < wp->hdr.ncol) record_decode_value(rec + wp->hdr.offsets[col], wp->hdr.types[col], m);
      }
    }
  }
  return rc;
}

/* Copies every record of the (sorted) sorter into the pass. */
static int load_rows(WinPass *wp, VdbeSorter *s) {
  int empty = 0, eof = 0;
  int rc = sorter_sort(s, &empty);
  while (rc == LODE_OK && !empty && !eof) {
    const uint8_t *rec;
    uint32_t len;
    if ((rc = sorter_current(s, &rec, &len)) != LODE_OK) break;
    if ((rc = append_row(wp, rec, len)) != LODE_OK) break;
    rc = sorter_next(s, &eof);
  }
  return rc;
}

/* Rows a and b on their first nterms key terms.  Integer terms, the usual
** partition and ORDER BY values, are compared here; the sort, partition and
** peer scans make a few such comparisons per row. */
static int key_compare(const WinPass *wp, uint32_t a, uint32_t b, int nterms) {
  const Mem *ka = &wp->keys[(size_t)a * (size_t)wp->nkey], *kb = &wp->keys[(size_t)b * (size_t)wp->nkey];
  const KeyInfo *k = wp->w->key;
  for (int t = 0; t < nterms; t++) {
    int c;
    if (ka[t].type == MEM_INT && kb[t].type == MEM_INT) {
      if (ka[t].u.i == kb[t].u.i) continue;
      c = ka[t].u.i < kb[t].u.i ? -1 : 1;
      return t < k->nkey && k->desc[t] ? -c : c;
    }
    if ((c = keyinfo_compare(k, ka, kb, t, t + 1)) != 0) return c;
  }
  return 0;
}

/* Stable merge sort of order[] by the window key. */
static int sort_rows(WinPass *wp) {
  uint32_t n = wp->n, *tmp;
  wp->order = util_malloc(sizeof(uint32_t) * (n ? n : 1));
  tmp = util_malloc(sizeof(uint32_t) * (n ? n : 1));
  if (!wp->order || !tmp) {
    util_free(tmp);
    return LODE_NOMEM;
  }
  for (uint32_t i = 0; i < n; i++) wp->order[i] = i;
  uint32_t in_order = 1;
  while (in_order < n && key_compare(wp, in_order - 1, in_order, wp->nkey) <= 0) in_order++;
  if (wp->nkey > 0 && in_order < n) {
    for (uint32_t width = 1; width < n; width *= 2) {
      for (uint32_t lo = 0; lo < n; lo += 2 * width) {
        uint32_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
        uint32_t i = lo, j = mid, k = lo;
        while (i < mid && j < hi) /* the left run wins ties: stable */
          tmp[k++] = key_compare(wp, wp->order[j], wp->order[i], wp->nkey) < 0 ? wp->order[j++] : wp->order[i++];
        while (i < mid) tmp[k++] = wp->order[i++];
        while (j < hi) tmp[k++] = wp->order[j++];
      }
      memcpy(wp->order, tmp, sizeof(uint32_t) * n);
    }
  }
  util_free(tmp);
  return LODE_OK;
}

/* ---- partitions, peers and frames ------------------------------------------------------ */

/* Peer groups of the partition at base (m rows). */
static void find_peers(WinPass *wp) {
  uint32_t m = wp->m, g = 0;
  int nterms = wp->w->npart + wp->w->norder;
  for (uint32_t pos = 0; pos < m;) {
    uint32_t end = pos + 1;
    while (end < m && (wp->w->norder == 0 || key_compare(wp, wp->order[wp->base + pos], wp->order[wp->base + end],
                                                         nterms) == 0))
      end++;
    wp->group_first[g] = pos;
    wp->group_last[g] = end - 1;
    for (uint32_t i = pos; i < end; i++) {
      wp->peer_start[i] = pos;
      wp->peer_end[i] = end;
      wp->group_of[i] = g;
    }
    g++;
    pos = end;
  }
}

/* The sort-order comparison of a value with the single ORDER BY term's
** value at position pos (RANGE offsets). */
static int range_cmp(const WinPass *wp, uint32_t pos, const Mem *target) {
  KeyInfo k;
  int t = wp->w->npart;
  k.nkey = 1;
  k.desc = wp->w->key->desc + t;
  k.coll = wp->w->key->coll + t;
  k.nulls_last = wp->w->key->nulls_last + t;
  return keyinfo_compare(&k, &KEY(wp, pos)[t], target, 0, 1);
}

/* First position not before target (start) or last position not after it
** (end), as sort order goes. */
static int64_t range_search(const WinPass *wp, const Mem *target, int is_start) {
  uint32_t lo = 0, hi = wp->m; /* first position where the predicate holds */
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    int c = range_cmp(wp, mid, target);
    if (is_start ? c >= 0 : c > 0) hi = mid;
    else lo = mid + 1;
  }
  return is_start ? (int64_t)lo : (int64_t)lo - 1;
}

/* The bound of a RANGE frame with an offset: the current value moved by it
** (towards the start for PRECEDING in ascending order); a value that is not
** a number stays as it is, so its frame edge is its peer group's. */
static int64_t range_bound(WinPass *wp, uint32_t pos, int kind, const Mem *off, int is_start) {
  const Mem *v = &KEY(wp, pos)[wp->w->npart];
  Mem target;
  mem_init(&target);
  if (v->type == MEM_INT || v->type == MEM_REAL) {
    int sub = (kind == WIN_PRECEDING) != (wp->w->key->desc[wp->w->npart] != 0);
    if (mem_arith(sub ? '-' : '+', v, off, &target) != LODE_OK) target = *v;
  } else {
    target = *v;
  }
  int64_t r = range_search(wp, &target, is_start);
  if (target.owner == MEM_DYN) mem_release(&target);
  return r;
}

static void frame_of(WinPass *wp, uint32_t pos, int64_t *ps, int64_t *pe) {
  const VdbeWindow *w = wp->w;
  int64_t m = wp->m, s = 0, e = m - 1, g = wp->group_of[pos], ng = (int64_t)wp->group_of[m - 1] + 1;
  switch (w->start_kind) {
  case WIN_UNBOUNDED_PRECEDING: s = 0; break;
  case WIN_CURRENT_ROW: s = w->frame_type == WIN_ROWS ? (int64_t)pos : (int64_t)wp->peer_start[pos]; break;
  case WIN_PRECEDING:
  case WIN_FOLLOWING: {
    int64_t k = w->start_kind == WIN_PRECEDING ? -wp->start_i : wp->start_i;
    if (w->frame_type == WIN_ROWS) s = (int64_t)pos + k;
    else if (w->frame_type == WIN_GROUPS) s = g + k < 0 ? 0 : g + k >= ng ? m : (int64_t)wp->group_first[g + k];
    else s = range_bound(wp, pos, w->start_kind, &wp->start_off, 1);
    break;
  }
  }
  switch (w->end_kind) {
  case WIN_UNBOUNDED_FOLLOWING: e = m - 1; break;
  case WIN_CURRENT_ROW: e = w->frame_type == WIN_ROWS ? (int64_t)pos : (int64_t)wp->peer_end[pos] - 1; break;
  case WIN_PRECEDING:
  case WIN_FOLLOWING: {
    int64_t k = w->end_kind == WIN_PRECEDING ? -wp->end_i : wp->end_i;
    if (w->frame_type == WIN_ROWS) e = (int64_t)pos + k;
    else if (w->frame_type == WIN_GROUPS) e = g + k < 0 ? -1 : g + k >= ng ? m - 1 : (int64_t)wp->group_last[g + k];
    else e = range_bound(wp, pos, w->end_kind, &wp->end_off, 0);
    break;
  }
  }
  if (s < 0) s = 0;
  if (e > m - 1) e = m - 1;
  *ps = s;
  *pe = e;
}

/* The excluded range [*xs, *xe] of the row at pos (empty when *xs > *xe). */
static void excluded_of(const WinPass *wp, uint32_t pos, int64_t *xs, int64_t *xe) {
  *xs = 1;
  *xe = 0;
  switch (wp->w->exclude) {
  case WIN_EXCLUDE_CURRENT_ROW: *xs = *xe = pos; break;
  case WIN_EXCLUDE_GROUP:
  case WIN_EXCLUDE_TIES:
    *xs = wp->peer_start[pos];
    *xe = (int64_t)wp->peer_end[pos] - 1;
    break;
  }
}

/* Whether frame position j counts for the row at pos (EXCLUDE). */
static int in_frame(const WinPass *wp, uint32_t pos, int64_t j, int64_t xs, int64_t xe) {
  if (j < xs || j > xe) return 1;
  return wp->w->exclude == WIN_EXCLUDE_TIES && j == (int64_t)pos;
}

/* ---- aggregates ------------------------------------------------------------------------ */

typedef struct AggRun {
  const VdbeWinFunc *f;
  const FuncWindowOps *ops;
  void *state;
  int64_t cs, ce; /* rows in the state: [cs, ce], empty when cs > ce */
  Mem *argv[8];
  Mem **args;
} AggRun;

static int call_failed(WinPass *wp, FuncContext *ctx) {
  int rc = ctx->rc;
  if (ctx->errmsg) conn_error_take(wp->v->db, rc, ctx->errmsg);
  else conn_error(wp->v->db, rc, NULL);
  return rc;
}

static void agg_ctx(WinPass *wp, AggRun *a, FuncContext *ctx, Mem *out) {
  memset(ctx, 0, sizeof *ctx);
  ctx->db = wp->v->db;
  ctx->out = out;
  ctx->agg = a->state;
  ctx->coll = a->f->coll;
  ctx->user_data = a->f->func->user_data;
}

/* Steps (or with inverse set, removes) the row at pos, unless its FILTER
** value is false. */
static int agg_row(WinPass *wp, AggRun *a, int64_t pos, int inverse) {
  Mem *row = ROW(wp, (uint32_t)pos), out;
  FuncContext ctx;
  if (a->f->filter_col >= 0) {
    Mem *fv = &row[a->f->filter_col];
    if (fv->type == MEM_NULL || !mem_is_true(fv)) return LODE_OK;
  }
  for (int i = 0; i < a->f->nargs; i++) {
    a->args[i] = &row[a->f->arg_col + i];
    if (i < 32 && (a->f->subtype_args >> i & 1) && a->args[i]->type != MEM_NULL) a->args[i]->subtype = a->f->subtype;
  }
  mem_init(&out);
  agg_ctx(wp, a, &ctx, &out);
  if (inverse) a->ops->inverse(&ctx, a->f->nargs, a->args);
  else a->f->func->step(&ctx, a->f->nargs, a->args);
  mem_release(&out);
  if (ctx.rc != LODE_OK) return call_failed(wp, &ctx);
  util_free(ctx.errmsg);
  return LODE_OK;
}

/* Empties the state (final releases what it holds). */
static void agg_reset(WinPass *wp, AggRun *a) {
  Mem out;
  FuncContext ctx;
  mem_init(&out);
  agg_ctx(wp, a, &ctx, &out);
  a->f->func->final(&ctx);
  mem_release(&out);
  util_free(ctx.errmsg);
  memset(a->state, 0, a->f->func->agg_size ? a->f->func->agg_size : 1);
  a->cs = 0;
  a->ce = -1;
}

/* The result of the state into out: value when there is one, else final
** (which may consume the state: it is reset after). */
static int agg_result(WinPass *wp, AggRun *a, Mem *out) {
  FuncContext ctx;
  agg_ctx(wp, a, &ctx, out);
  if (a->ops && a->ops->value) {
    a->ops->value(&ctx);
  } else {
    a->f->func->final(&ctx);
    memset(a->state, 0, a->f->func->agg_size ? a->f->func->agg_size : 1);
    a->cs = 0;
    a->ce = -1;
  }
  if (ctx.rc != LODE_OK) return call_failed(wp, &ctx);
  util_free(ctx.errmsg);
  if (out->owner == MEM_EPHEM && mem_make_owned(out) != LODE_OK) return LODE_NOMEM;
  return LODE_OK;
}

/* Brings the state to the frame [s, e] of the row at pos. */
static int agg_move(WinPass *wp, AggRun *a, uint32_t pos, int64_t s, int64_t e, int exclude) {
  int rc = LODE_OK;
  int backwards = a->ops && a->ops->extreme && !exclude && wp->w->start_kind != WIN_UNBOUNDED_PRECEDING;
  int incremental = a->ops && a->ops->value && !exclude && !backwards && a->ce >= a->cs && s <= e && s >= a->cs &&
                    e >= a->ce && (s == a->cs || (a->ops->inverse && s <= a->ce + 1));
  if (incremental) {
    for (int64_t j = a->cs; j < s && rc == LODE_OK; j++) rc = agg_row(wp, a, j, 1);
    for (int64_t j = a->ce + 1; j <= e && rc == LODE_OK; j++) rc = agg_row(wp, a, j, 0);
    a->cs = s;
    a->ce = e;
    return rc;
  }
  if (a->ce >= a->cs) agg_reset(wp, a);
  int64_t xs = 1, xe = 0;
  if (exclude) excluded_of(wp, pos, &xs, &xe);
  for (int64_t k = 0; k <= e - s && rc == LODE_OK; k++) {
    int64_t j = backwards ? e - k : s + k;
    if (in_frame(wp, pos, j, xs, xe)) rc = agg_row(wp, a, j, 0);
  }
  a->cs = s;
  a->ce = e;
  if (s > e) { /* nothing stepped: the empty state */
    a->cs = 0;
    a->ce = -1;
  }
  return rc;
}

/* min()/max() over frames whose start moves: a queue of the frame's rows
** that can still be the result, in position order, each value beyond the
** ones after it (for max: greater).  A new row drops the rows at the back
** it ties or beats, so the front is the result and, among tied values, the
** last one, as SQLite reports it.  Frames only move forward, so each row
** enters and leaves the queue once. */
static int run_extreme(WinPass *wp, int fi, int dir) {
  const VdbeWinFunc *f = &wp->funcs[fi];
  int64_t *q = util_malloc(sizeof(int64_t) * (wp->m ? wp->m : 1)), head = 0, tail = 0, next = 0;
  int rc = q ? LODE_OK : LODE_NOMEM;
  for (uint32_t pos = 0; pos < wp->m && rc == LODE_OK; pos++) {
    int64_t s, e;
    Mem *out = &wp->results[(size_t)wp->order[wp->base + pos] * (size_t)wp->w->nfunc + (size_t)fi];
    frame_of(wp, pos, &s, &e);
    for (; next <= e; next++) {
      Mem *row = ROW(wp, (uint32_t)next), *v = &row[f->arg_col];
      if (v->type == MEM_NULL) continue;
      if (f->filter_col >= 0 && (row[f->filter_col].type == MEM_NULL || !mem_is_true(&row[f->filter_col]))) continue;
      while (tail > head && dir * mem_compare(v, &ROW(wp, (uint32_t)q[tail - 1])[f->arg_col], f->coll) >= 0) tail--;
      q[tail++] = next;
    }
    while (tail > head && q[head] < s) head++;
    if (tail > head && s <= e) rc = mem_copy(out, &ROW(wp, (uint32_t)q[head])[f->arg_col]);
    else mem_set_null(out);
  }
  util_free(q);
  return rc;
}

static int run_aggregate(WinPass *wp, int fi) {
  const VdbeWinFunc *f = &wp->funcs[fi];
  AggRun a;
  int rc = LODE_OK;
  int64_t prev_s = -1, prev_e = -2;
  memset(&a, 0, sizeof a);
  a.f = f;
  a.ops = func_window_ops(f->func);
  if (a.ops && a.ops->extreme && wp->w->start_kind != WIN_UNBOUNDED_PRECEDING && wp->w->exclude == WIN_EXCLUDE_NONE)
    return run_extreme(wp, fi, a.ops->extreme);
  a.state = util_zalloc(f->func->agg_size ? f->func->agg_size : 1);
  a.args = f->nargs <= 8 ? a.argv : util_malloc(sizeof(Mem *) * (size_t)f->nargs);
  a.ce = -1;
  if (!a.state || !a.args) rc = LODE_NOMEM;
  for (uint32_t pos = 0; pos < wp->m && rc == LODE_OK; pos++) {
    int64_t s, e;
    Mem *out = &wp->results[(size_t)wp->order[wp->base + pos] * (size_t)wp->w->nfunc + (size_t)fi];
    frame_of(wp, pos, &s, &e);
    if (s > e) s = 0, e = -1;
    int exclude = wp->w->exclude != WIN_EXCLUDE_NONE && s <= e;
    if (!exclude && s == prev_s && e == prev_e && pos > 0) { /* the same frame: the same value */
      rc = mem_copy(out, &wp->results[(size_t)wp->order[wp->base + pos - 1] * (size_t)wp->w->nfunc + (size_t)fi]);
      continue;
    }
    rc = agg_move(wp, &a, pos, s, e, exclude);
    if (rc == LODE_OK) rc = agg_result(wp, &a, out);
    if (rc == LODE_OK && exclude && a.ops && a.ops->value) agg_reset(wp, &a); /* an excluded frame is never reused */
    prev_s = s;
    prev_e = e;
  }
  if (a.state) {
    agg_reset(wp, &a);
    util_free(a.state);
  }
  if (a.args != a.argv) util_free(a.args);
  return rc;
}

/* ---- the window-only functions ------------------------------------------------------------ */

/* m as a number if it is one or is text that reads wholly as one (numeric
** affinity); otherwise out is NULL. */
static void strict_number(const Mem *m, Mem *out) {
  int64_t i;
  double r;
  mem_init(out);
  if (m->type == MEM_INT || m->type == MEM_REAL) *out = *m;
  else if (m->type == MEM_TEXT) {
    int k = util_parse_number(m->z, (size_t)m->n, &i, &r);
    if (k == 1) mem_set_int(out, i);
    else if (k == 2) mem_set_real(out, r);
  }
}

/* The integer a row's argument holds as sqlite3_value_int64 reads it. */
static int64_t arg_int(const Mem *m) { return m->type == MEM_NULL ? 0 : mem_as_int(m); }

/* nth_value's N: an integer, or a REAL with an integer value; else -1. */
static int64_t arg_positive(const Mem *m) {
  Mem n;
  strict_number(m, &n);
  if (n.type == MEM_INT) return n.u.i > 0 ? n.u.i : -1;
  if (n.type == MEM_REAL && n.u.r >= 1 && n.u.r < 9.2e18 && (double)(int64_t)n.u.r == n.u.r) return (int64_t)n.u.r;
  return -1;
}

/* lag/lead's offset: the row at pos moved by it, or *none when that is no
** row of a whole number (a NULL or fractional offset). */
static int64_t shifted_row(const Mem *off, int64_t pos, int back, int *none) {
  Mem n;
  int64_t k;
  *none = 0;
  if (!off) k = 1;
  else {
    mem_init(&n);
    mem_numeric_value(off, &n);
    if (n.type == MEM_NULL) return *none = 1, 0;
    if (n.type == MEM_REAL) {
      if ((double)(int64_t)n.u.r != n.u.r) return *none = 1, 0;
      k = (int64_t)n.u.r;
    } else if (n.type == MEM_INT) {
      k = n.u.i;
    } else {
      k = 0; /* text that is no number counts as 0 */
    }
  }
  return back ? pos - k : pos + k;
}

static int set_result(Mem *out, const Mem *v) { return mem_copy(out, v); }

static int run_builtin(WinPass *wp, int fi) {
  const VdbeWinFunc *f = &wp->funcs[fi];
  int64_t m = wp->m;
  int rc = LODE_OK;
  for (uint32_t pos = 0; pos < wp->m && rc == LODE_OK; pos++) {
    Mem *out = &wp->results[(size_t)wp->order[wp->base + pos] * (size_t)wp->w->nfunc + (size_t)fi];
    Mem *row = ROW(wp, pos);
    switch (f->kind) {
    case WINFN_ROW_NUMBER: mem_set_int(out, (int64_t)pos + 1); break;
    case WINFN_RANK: mem_set_int(out, (int64_t)wp->peer_start[pos] + 1); break;
    case WINFN_DENSE_RANK: mem_set_int(out, (int64_t)wp->group_of[pos] + 1); break;
    case WINFN_PERCENT_RANK:
      mem_set_real(out, m > 1 ? (double)wp->peer_start[pos] / (double)(m - 1) : 0.0);
      break;
    case WINFN_CUME_DIST: mem_set_real(out, (double)wp->peer_end[pos] / (double)m); break;
    case WINFN_NTILE: {
      int64_t nb = arg_int(&row[f->arg_col]);
      if (nb <= 0) return win_error(wp, "argument of ntile must be a positive integer");
      if (nb >= m) {
        mem_set_int(out, (int64_t)pos + 1);
      } else {
        int64_t size = m / nb, big = m % nb, i = pos;
        mem_set_int(out, i < big * (size + 1) ? i / (size + 1) + 1 : (i - big * (size + 1)) / size + big + 1);
      }
      break;
    }
    case WINFN_LAG:
    case WINFN_LEAD: {
      int none;
      int64_t j = shifted_row(f->nargs > 1 ? &row[f->arg_col + 1] : NULL, pos, f->kind == WINFN_LAG, &none);
      if (none) mem_set_null(out);
      else if (j >= 0 && j < m) rc = set_result(out, &ROW(wp, (uint32_t)j)[f->arg_col]);
      else if (f->nargs > 2) rc = set_result(out, &row[f->arg_col + 2]);
      else mem_set_null(out);
      break;
    }
    case WINFN_FIRST_VALUE:
    case WINFN_LAST_VALUE:
    case WINFN_NTH_VALUE: {
      int64_t s, e, xs, xe, want = 1, seen = 0, found = -1;
      if (f->kind == WINFN_NTH_VALUE && (want = arg_positive(&row[f->arg_col + 1])) < 0)
        return win_error(wp, "second argument to nth_value must be a positive integer");
      frame_of(wp, pos, &s, &e);
      excluded_of(wp, pos, &xs, &xe);
      if (f->kind == WINFN_LAST_VALUE) {
        for (int64_t j = e; j >= s && found < 0; j--)
          if (in_frame(wp, pos, j, xs, xe)) found = j;
      } else {
        for (int64_t j = s; j <= e && found < 0; j++)
          if (in_frame(wp, pos, j, xs, xe) && ++seen == want) found = j;
      }
      if (found >= 0) rc = set_result(out, &ROW(wp, (uint32_t)found)[f->arg_col]);
      else mem_set_null(out);
      break;
    }
    default: return win_error(wp, "unknown window function");
    }
  }
  return rc;
}

/* ---- offsets and the pass ------------------------------------------------------------------- */

/* Reads a frame offset: an integer >= 0 for ROWS and GROUPS, a number >= 0
** for RANGE. */
static int read_offset(WinPass *wp, const Mem *reg, Mem *off, int64_t *iv, int is_start) {
  Mem n;
  strict_number(reg, &n);
  if (wp->w->frame_type == WIN_RANGE) {
    if ((n.type == MEM_INT && n.u.i >= 0) || (n.type == MEM_REAL && n.u.r >= 0)) {
      *off = n;
      return LODE_OK;
    }
    return win_error(wp, is_start ? "frame starting offset must be a non-negative number"
                                  : "frame ending offset must be a non-negative number");
  }
  if (n.type == MEM_REAL && n.u.r >= 0 && n.u.r < 9.2e18 && (double)(int64_t)n.u.r == n.u.r) {
    mem_set_int(&n, (int64_t)n.u.r);
  }
  if (n.type == MEM_INT && n.u.i >= 0) {
    *iv = n.u.i;
    return LODE_OK;
  }
  return win_error(wp, is_start ? "frame starting offset must be a non-negative integer"
                                : "frame ending offset must be a non-negative integer");
}

/* Appends the held rows to out in window order, results filled in.  Each
** row's record is spliced rather than decoded and encoded again: its header
** gets the results' serial types, its body the results' bytes in their
** columns and the other columns' bytes as they were, into one buffer reused
** from row to row. */
static int write_rows(WinPass *wp, VdbeSorter *out) {
  const VdbeWindow *w = wp->w;
  RecordHeader *hdr = &wp->hdr;
  int ncols = wp->ncols, rc = LODE_OK;
  int *func_of = util_malloc(sizeof(int) * (size_t)(ncols ? ncols : 1)); /* column -> function, or -1 */
  uint64_t *types = util_malloc(sizeof(uint64_t) * (size_t)(ncols ? ncols : 1));
  uint8_t *buf = NULL;
  size_t cap = 0;
  if (!func_of || !types) rc = LODE_NOMEM;
  for (int i = 0; rc == LODE_OK && i < ncols; i++) func_of[i] = -1;
  for (int f = 0; rc == LODE_OK && f < w->nfunc; f++)
    if (w->funcs[f].result_col >= 0 && w->funcs[f].result_col < ncols) func_of[w->funcs[f].result_col] = f;
  for (uint32_t k = 0; k < wp->n && rc == LODE_OK; k++) {
    uint32_t r = wp->order[k];
    const uint8_t *old = wp->recs + wp->rec_at[r];
    uint32_t oldlen = (uint32_t)(wp->rec_at[r + 1] - wp->rec_at[r]);
    const Mem *res = &wp->results[(size_t)r * (size_t)w->nfunc];
    uint64_t htypes = 0, body = 0, hs;
    if ((rc = record_header_parse(hdr, old, oldlen, oldlen)) != LODE_OK) break;
    for (int i = 0; i < ncols; i++) {
      uint32_t len;
      if (func_of[i] >= 0) types[i] = record_serial_type(&res[func_of[i]], &len);
      else if (i < hdr->ncol) len = record_serial_len(types[i] = hdr->types[i]);
      else len = (uint32_t)(types[i] = 0); /* past a short record: NULL */
      htypes += (uint64_t)util_varint_len(types[i]);
      body += len;
    }
    hs = htypes + 1; /* the size varint counts itself */
    while ((uint64_t)util_varint_len(hs) + htypes != hs) hs = htypes + (uint64_t)util_varint_len(hs);
    if (hs + body > 0x7fffffffu) {
      rc = LODE_TOOBIG;
      break;
    }
    if (hs + body > cap) {
      size_t want = (size_t)(hs + body) * 2;
      uint8_t *nb = util_realloc(buf, want);
      if (!nb) {
        rc = LODE_NOMEM;
        break;
      }
      buf = nb;
      cap = want;
    }
    uint32_t hpos = (uint32_t)util_varint_put(buf, hs), bpos = (uint32_t)hs;
    for (int i = 0; i < ncols; i++) {
      hpos += (uint32_t)util_varint_put(buf + hpos, types[i]);
      if (func_of[i] >= 0) {
        bpos += record_put_value(buf + bpos, &res[func_of[i]]);
      } else if (i < hdr->ncol) {
        uint32_t len = record_serial_len(types[i]);
        if (len) memcpy(buf + bpos, old + hdr->offsets[i], len);
        bpos += len;
      }
    }
    rc = sorter_insert(out, buf, bpos);
  }
  util_free(buf);
  util_free(types);
  util_free(func_of);
  return rc;
}

/* Computes the functions over the rows held (decoded) and appends them to
** out; the rows' memory is then free for the next ones. */
static int run_rows(WinPass *wp, VdbeSorter *out) {
  const VdbeWindow *w = wp->w;
  size_t n = wp->n ? wp->n : 1;
  int rc = LODE_OK;
  wp->results = util_zalloc(sizeof(Mem) * n * (size_t)(w->nfunc ? w->nfunc : 1));
  wp->peer_start = util_malloc(sizeof(uint32_t) * n * 5);
  if (!wp->results || !wp->peer_start) rc = LODE_NOMEM;
  if (rc == LODE_OK) rc = sort_rows(wp);
  for (uint32_t pstart = 0; rc == LODE_OK && pstart < wp->n;) {
    uint32_t pend = pstart + 1;
    while (pend < wp->n && (w->npart == 0 || key_compare(wp, wp->order[pstart], wp->order[pend], w->npart) == 0))
      pend++;
    if (w->npart == 0) pend = wp->n;
    wp->base = pstart;
    wp->m = pend - pstart;
    wp->peer_end = wp->peer_start + wp->m;
    wp->group_of = wp->peer_end + wp->m;
    wp->group_first = wp->group_of + wp->m;
    wp->group_last = wp->group_first + wp->m;
    find_peers(wp);
    for (int f = 0; f < w->nfunc && rc == LODE_OK; f++)
      rc = w->funcs[f].kind == WINFN_AGGREGATE ? run_aggregate(wp, f) : run_builtin(wp, f);
    pstart = pend;
  }
  if (rc == LODE_OK) rc = write_rows(wp, out);
  if (wp->results)
    for (size_t i = 0; i < (size_t)wp->n * (size_t)w->nfunc; i++) mem_release(&wp->results[i]);
  util_free(wp->results);
  util_free(wp->order);
  util_free(wp->peer_start);
  wp->results = NULL;
  wp->order = NULL;
  wp->peer_start = NULL;
  wp->n = 0;
  wp->used = 0;
  return rc;
}

/* Reads the frame offsets; only once there is a row, as SQLite checks them. */
static int read_offsets(WinPass *wp, const VdbeOp *op) {
  const VdbeWindow *w = wp->w;
  int rc = LODE_OK;
  if (op->p2 && (w->start_kind == WIN_PRECEDING || w->start_kind == WIN_FOLLOWING))
    rc = read_offset(wp, &wp->v->mem[op->p2], &wp->start_off, &wp->start_i, 1);
  if (rc == LODE_OK && op->p3 && (w->end_kind == WIN_PRECEDING || w->end_kind == WIN_FOLLOWING))
    rc = read_offset(wp, &wp->v->mem[op->p3], &wp->end_off, &wp->end_i, 0);
  return rc;
}

/* The partition at a time pass over rows in window order (see the top).
** *unordered: a row came out of order; nothing was kept, start over. */
static int stream_partitions(WinPass *wp, const VdbeOp *op, VdbeSorter *in, VdbeSorter *out, int *unordered) {
  const VdbeWindow *w = wp->w;
  int empty = 0, eof = 0, rc;
  *unordered = 0;
  wp->cur = util_malloc(sizeof(Mem) * 2 * (size_t)wp->nkey);
  if (!wp->cur) return LODE_NOMEM;
  wp->prev = wp->cur + wp->nkey;
  Mem *keys = wp->cur;
  rc = sorter_sort(in, &empty);
  int keeps = sorter_keeps_records(in);
  if (rc == LODE_OK && !empty) rc = read_offsets(wp, op);
  while (rc == LODE_OK && !empty && !eof) {
    const uint8_t *rec;
    uint32_t len;
    if ((rc = sorter_current(in, &rec, &len)) != LODE_OK) break;
    if ((rc = decode_key_cols(wp, rec, len, wp->cur)) != LODE_OK) break;
    if (wp->n > 0) {
      if (keyinfo_compare(w->key, wp->cur, wp->prev, 0, wp->nkey) < 0) {
        *unordered = 1;
        break;
      }
      if (keyinfo_compare(w->key, wp->cur, wp->prev, 0, w->npart) != 0) { /* a new partition */
        if ((rc = decode_rows(wp)) != LODE_OK || (rc = run_rows(wp, out)) != LODE_OK) break;
      }
    }
    if ((rc = append_row(wp, rec, len)) != LODE_OK) break;
    if (keeps) { /* cur's record stays where it is: it becomes prev as it stands */
      Mem *t = wp->prev;
      wp->prev = wp->cur;
      wp->cur = t;
    } else { /* prev borrows from the pass's copy, which stays put until the next append */
      rc = decode_key_cols(wp, wp->recs + wp->rec_at[wp->n - 1], len, wp->prev);
    }
    if (rc == LODE_OK) rc = sorter_next(in, &eof);
  }
  if (rc == LODE_OK && !*unordered && wp->n > 0) {
    rc = decode_rows(wp);
    if (rc == LODE_OK) rc = run_rows(wp, out);
  }
  util_free(keys);
  wp->cur = wp->prev = NULL;
  wp->n = 0;
  wp->used = 0;
  return rc;
}

int vdbe_window_pass(Vdbe *v, const VdbeOp *op) {
  VdbeCursor *c = v->cursors[op->p1];
  const VdbeWindow *w = op->p4.window;
  WinPass wp;
  VdbeSorter *out = NULL;
  int rc, unordered = 1;
  if (!c || c->kind != VDBE_CURSOR_SORTER || !w) return LODE_INTERNAL;
  memset(&wp, 0, sizeof wp);
  wp.v = v;
  wp.w = w;
  wp.ncols = w->ncols;
  wp.nkey = w->npart + w->norder;
  mem_init(&wp.start_off);
  mem_init(&wp.end_off);
  record_header_init(&wp.hdr);
  rc = assign_slots(&wp);
  if (rc == LODE_OK && !(out = sorter_new(NULL))) rc = LODE_NOMEM;
  if (rc == LODE_OK) sorter_set_conn(out, v->db);
  /* Partitions one at a time while the rows come in window order. */
  if (rc == LODE_OK && w->npart > 0) rc = stream_partitions(&wp, op, c->sorter, out, &unordered);
  if (rc == LODE_OK && unordered) {
    sorter_free(out);
    if (!(out = sorter_new(NULL))) rc = LODE_NOMEM;
    else sorter_set_conn(out, v->db);
    if (rc == LODE_OK) rc = load_rows(&wp, c->sorter);
    if (rc == LODE_OK) { /* the pass has its own copy of the rows: the sorter's memory can go now */
      sorter_free(c->sorter);
      c->sorter = out;
      out = NULL;
      c->gen++;
      if (wp.n > 0) rc = read_offsets(&wp, op);
      if (rc == LODE_OK) rc = decode_rows(&wp);
      if (rc == LODE_OK) rc = run_rows(&wp, c->sorter);
    }
  }
  if (out) {
    if (rc == LODE_OK) {
      sorter_free(c->sorter);
      c->sorter = out;
      c->gen++;
    } else {
      sorter_free(out);
    }
  }
  record_header_free(&wp.hdr);
  util_free(wp.cells); /* borrowed values: nothing of their own to release */
  util_free(wp.keys);
  util_free(wp.recs);
  util_free(wp.rec_at);
  util_free(wp.funcs);
  if (rc == LODE_NOMEM) conn_error(v->db, LODE_NOMEM, NULL);
  return rc;
}
