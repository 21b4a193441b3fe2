/*
** vdbe_window.c — OP_Window: one window's functions over a query's rows.
**
** The rows arrive in a sorter (whose key is empty, so it returns them in
** insertion order, or is the inner query's ORDER BY by the first pass's
** key, so it returns them in window order), as records of VdbeWindow.ncols columns: the window's
** partition and ORDER BY values, each function's arguments and FILTER
** value, the other values the query needs, and one placeholder column per
** function for its result.  The pass holds the records where the sorter
** keeps them (a copy of its own only when the sorter spilled to a file) and
** decodes only what the functions read (the key columns, each function's
** arguments and FILTER value: "slots", compact per row, so a wide row costs
** no more memory than a narrow one), orders the rows by (partition, ORDER
** BY) with a stable merge sort (skipped when they arrive in that order), and
** returns them partition by partition in that order, each record with the
** results spliced in (the other columns' bytes are copied as they are).
**
** Rows that arrive already in window order (the inner query sorted them for
** the first pass: WINDOW_INPUT_SORTED; or a previous pass left them so, which
** one look at every row's key tells) are taken one partition at a time: the
** pass holds and decodes only the current partition, so its own memory
** follows the largest partition rather than the whole result.  Otherwise it
** holds every row.
**
** A query with several windows runs one pass per window; every pass but
** the last writes its rows to a new sorter for the next, and the last
** (WINDOW_ROWS_ON_DEMAND) hands them to the outer query as it reads the
** cursor: a partition is started when its first row is asked for, and
** aggregates are stepped and asked their value row by row as the rows are
** returned, so a user aggregate's calls interleave with the rows as in
** SQLite, its final call comes when the partition's last row is out (or the
** statement stops), and a LIMIT ends the work.  Functions that need the
** whole partition (ranking, offsets, min/max over moving frames) are
** computed when it starts.
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
** Invariant: the decoded Mems borrow from the records held (the input
** sorter's, which the pass keeps until it is freed, or recs), which stay
** until the partition is done.
*/
#include <string.h>

#include "vdbe/vdbe_internal.h"

typedef struct VdbeWinPass {
  Vdbe *v;
  const VdbeWindow *w;
  int ncols;
  uint32_t n;     /* rows */
  uint8_t *recs;  /* the rows' records, one after another */
  size_t *rec_at; /* n + 1 offsets into recs: row r is recs[rec_at[r] .. rec_at[r + 1]) */
  size_t used, cap; /* bytes of recs in use and allocated */
  uint32_t nrec;    /* rec_at's capacity */
  int in_place;     /* the input sorter keeps its records: rows are read where they are, not copied */
  const uint8_t **rec_ptr; /* in place: row r's record and its length */
  uint32_t *rec_len;
  RecordHeader hdr;
  Mem *cur, *prev;  /* streaming: the key columns of the row just read and of the one before */
  VdbeWinFunc *funcs; /* w->funcs with arg_col and filter_col renumbered as slots */
  int nslot;      /* decoded values per row in cells */
  Mem *cells;     /* n * nslot decoded values (borrowing from recs) */
  size_t ncells;  /* of them: each may own the text a function asked of it (ztext), cells_free's to free */
  Mem *keys;      /* n * nkey: the key columns of each row, shallow copies */
  int nkey;
  uint32_t *order; /* row indexes in window order */
  Mem *results;   /* m * nfunc owned results of the current partition, by position */
  uint32_t results_cap; /* rows results has room for */
  struct AggRun *runs;  /* per function: an aggregate moved row by row as rows are returned (state set) */
  /* The current partition, positions 0..m-1 map to order[base + pos]. */
  uint32_t base, m;
  uint32_t *peer_start, *peer_end, *group_of, *group_first, *group_last; /* per position / group */
  Mem start_off, end_off; /* frame offsets (numbers) */
  int64_t start_i, end_i;
  /* Returning rows (see the top): where the pass stands. */
  VdbeSorter *in;     /* the rows still to read, one partition at a time (NULL once all are held) */
  int in_eof;         /* in has no row left */
  int by_partition;   /* rows are read from in a partition at a time */
  int in_partition;   /* base/m describe a partition being returned */
  int started;        /* a row was asked for */
  uint32_t pstart;    /* the next partition's first index in order[] */
  uint32_t emit;      /* the current partition's next position to return */
  int *func_of;       /* column -> function, or -1 */
  uint64_t *types;    /* per column: the serial type of the row being spliced */
  uint8_t *buf;       /* the row being returned, results spliced in */
  size_t buf_cap;
  uint32_t buf_len;
} WinPass;

#define ROW(wp, pos) (&(wp)->cells[(size_t)(wp)->order[(wp)->base + (pos)] * (size_t)(wp)->nslot])
#define RES(wp, pos, fi) (&(wp)->results[(size_t)(pos) * (size_t)(wp)->w->nfunc + (size_t)(fi)])
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

/* Takes a record as the next row held: where it is when the sorter keeps
** it until it is freed, else a copy appended to wp->recs (so that the
** decoded values do not depend on how long the sorter keeps its own). */
static int append_row(WinPass *wp, const uint8_t *rec, uint32_t len) {
  if (wp->in_place) {
    if (wp->n >= wp->nrec) {
      uint32_t nn = wp->nrec ? wp->nrec * 2 : 64;
      const uint8_t **ptr = util_realloc((void *)wp->rec_ptr, sizeof(*ptr) * nn);
      if (ptr) wp->rec_ptr = ptr;
      uint32_t *lens = ptr ? util_realloc(wp->rec_len, sizeof(uint32_t) * nn) : NULL;
      if (!lens) return LODE_NOMEM;
      wp->rec_len = lens;
      wp->nrec = nn;
    }
    wp->rec_ptr[wp->n] = rec;
    wp->rec_len[wp->n++] = len;
    return LODE_OK;
  }
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

/* Row r's record. */
static const uint8_t *row_record(const WinPass *wp, uint32_t r, uint32_t *len) {
  if (wp->in_place) {
    *len = wp->rec_len[r];
    return wp->rec_ptr[r];
  }
  *len = (uint32_t)(wp->rec_at[r + 1] - wp->rec_at[r]);
  return wp->recs + wp->rec_at[r];
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
/* The decoded values borrow their bytes, but a function that asked for the
** text of a number (sqlite3_value_text in a step) left a copy on its Mem. */
static void cells_free(WinPass *wp) {
  for (size_t i = 0; wp->cells && i < wp->ncells; i++) util_free(wp->cells[i].ztext);
  util_free(wp->cells);
  wp->cells = NULL;
  wp->ncells = 0;
}

static int decode_rows(WinPass *wp) {
  const VdbeWindow *w = wp->w;
  int rc = LODE_OK;
  size_t n = wp->n ? wp->n : 1;
  cells_free(wp);
  util_free(wp->keys);
  wp->cells = util_zalloc(sizeof(Mem) * n * (size_t)(wp->nslot ? wp->nslot : 1));
  if (wp->cells) wp->ncells = n * (size_t)(wp->nslot ? wp->nslot : 1);
  wp->keys = util_malloc(sizeof(Mem) * n * (size_t)(wp->nkey ? wp->nkey : 1));
  if (!wp->cells || !wp->keys) return LODE_NOMEM;
  for (uint32_t r = 0; rc == LODE_OK && r < wp->n; r++) {
    uint32_t len;
    const uint8_t *rec = row_record(wp, r, &len);
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

static int is_number(const Mem *m) { return m->type == MEM_INT || m->type == MEM_REAL; }

/* SQLite's test of a row's number x against a RANGE bound of the current
** row's number c, as its window code makes it: the offset moves x for
** PRECEDING and c for FOLLOWING (added in ascending order, subtracted in
** descending), and where the moved value could only fall short of the
** other by rounding, the unmoved values compared decide.  is_start: x is at
** or after the frame's start; else x is past the frame's end. */
static int range_number_test(const Mem *x, const Mem *c, const Mem *off, int kind, int desc, int is_start) {
  Mem t;
  mem_init(&t);
  int op = desc ? '-' : '+', r;
  if (kind == WIN_PRECEDING) {
    if (mem_arith(op, x, off, &t) != LODE_OK) t = *x;
    int ct = mem_compare(&t, c, COLL_BINARY), cx = mem_compare(x, c, COLL_BINARY);
    if (is_start) r = desc ? (cx <= 0 || ct <= 0) : (cx >= 0 || ct >= 0);
    else r = desc ? ct < 0 : ct > 0;
  } else {
    if (mem_arith(op, c, off, &t) != LODE_OK) t = *c;
    int tx = mem_compare(&t, x, COLL_BINARY), cx = mem_compare(c, x, COLL_BINARY);
    if (is_start) r = desc ? tx >= 0 : tx <= 0;
    else r = desc ? !(cx <= 0 || tx <= 0) : !(cx >= 0 || tx >= 0);
  }
  if (t.owner == MEM_DYN) mem_release(&t);
  return r;
}

/* First position not before target (start) or last position not after it
** (end), as sort order goes; when the current value cur is a number, a row
** holding a number is placed by SQLite's own test (range_number_test). */
static int64_t range_search(const WinPass *wp, const Mem *target, const Mem *cur, const Mem *off, int kind,
                            int is_start) {
  uint32_t lo = 0, hi = wp->m; /* first position where the predicate holds */
  int t = wp->w->npart, desc = wp->w->key->desc[t] != 0;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    const Mem *x = &KEY(wp, mid)[t];
    int holds;
    if (cur && is_number(x)) {
      holds = range_number_test(x, cur, off, kind, desc, is_start);
    } else {
      int c = range_cmp(wp, mid, target);
      holds = is_start ? c >= 0 : c > 0;
    }
    if (holds) hi = mid;
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
  int number = is_number(v) && is_number(off);
  if (is_number(v)) {
    int sub = (kind == WIN_PRECEDING) != (wp->w->key->desc[wp->w->npart] != 0);
    if (mem_arith(sub ? '-' : '+', v, off, &target) != LODE_OK) target = *v;
  } else {
    target = *v;
  }
  int64_t r = range_search(wp, &target, number ? v : NULL, off, kind, is_start);
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
  int64_t prev_s, prev_e; /* the frame of the row before, whose value a row of the same frame reuses */
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
    Mem *out = RES(wp, pos, fi);
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

/* Whether function fi is an aggregate moved along the partition row by row
** as the rows are returned (so a user aggregate's calls come between the
** rows, as in SQLite); the other functions are computed over the whole
** partition when it starts. */
static int row_by_row(const WinPass *wp, int fi) {
  const VdbeWinFunc *f = &wp->funcs[fi];
  const FuncWindowOps *ops;
  if (f->kind != WINFN_AGGREGATE) return 0;
  ops = func_window_ops(f->func);
  return !(ops && ops->extreme && wp->w->start_kind != WIN_UNBOUNDED_PRECEDING && wp->w->exclude == WIN_EXCLUDE_NONE);
}

/* Readies function fi's state for a new partition (allocated once per pass). */
static int agg_begin(WinPass *wp, int fi) {
  AggRun *a = &wp->runs[fi];
  const VdbeWinFunc *f = &wp->funcs[fi];
  if (!a->state) {
    a->f = f;
    a->ops = func_window_ops(f->func);
    a->state = util_zalloc(f->func->agg_size ? f->func->agg_size : 1);
    a->args = f->nargs <= 8 ? a->argv : util_malloc(sizeof(Mem *) * (size_t)f->nargs);
    if (!a->state || !a->args) return LODE_NOMEM;
  }
  a->cs = 0;
  a->ce = -1;
  a->prev_s = -1;
  a->prev_e = -2;
  return LODE_OK;
}

/* The value of function fi for the row at pos; rows are asked in order. */
static int agg_value_at(WinPass *wp, int fi, uint32_t pos) {
  AggRun *a = &wp->runs[fi];
  int64_t s, e;
  int rc;
  Mem *out = RES(wp, pos, fi);
  frame_of(wp, pos, &s, &e);
  if (s > e) s = 0, e = -1;
  int exclude = wp->w->exclude != WIN_EXCLUDE_NONE && s <= e;
  if (!exclude && s == a->prev_s && e == a->prev_e && pos > 0) /* the same frame: the same value */
    return mem_copy(out, RES(wp, pos - 1, fi));
  rc = agg_move(wp, a, pos, s, e, exclude);
  if (rc == LODE_OK) rc = agg_result(wp, a, out);
  if (rc == LODE_OK && exclude && a->ops && a->ops->value) agg_reset(wp, a); /* an excluded frame is never reused */
  a->prev_s = s;
  a->prev_e = e;
  return rc;
}

static void agg_free(AggRun *a) {
  util_free(a->state);
  if (a->args != a->argv) util_free(a->args);
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
    Mem *out = RES(wp, pos, fi);
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

/* ---- partitions and rows ---------------------------------------------------------------- */

/* Orders the rows held (decoded) and readies the partition scan over them. */
static int rows_begin(WinPass *wp) {
  size_t n = wp->n ? wp->n : 1;
  int rc = sort_rows(wp);
  util_free(wp->peer_start);
  wp->peer_start = util_malloc(sizeof(uint32_t) * n * 5);
  if (rc == LODE_OK && !wp->peer_start) rc = LODE_NOMEM;
  wp->pstart = 0;
  return rc;
}

/* Lets the rows held go (their memory is reused by the next ones). */
static void rows_end(WinPass *wp) {
  util_free(wp->order);
  util_free(wp->peer_start);
  wp->order = NULL;
  wp->peer_start = NULL;
  wp->n = 0;
  wp->used = 0;
  wp->pstart = 0;
}

/* Starts the partition at order[pstart]: its peers, and the values of the
** functions computed over it as a whole. */
static int partition_begin(WinPass *wp) {
  const VdbeWindow *w = wp->w;
  uint32_t pstart = wp->pstart, pend = pstart + 1;
  int rc = LODE_OK;
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
  if (wp->m > wp->results_cap) {
    size_t cap = (size_t)wp->m * (size_t)(w->nfunc ? w->nfunc : 1);
    util_free(wp->results);
    wp->results_cap = 0;
    if (!(wp->results = util_zalloc(sizeof(Mem) * cap))) return LODE_NOMEM;
    wp->results_cap = wp->m;
  }
  wp->in_partition = 1;
  wp->emit = 0;
  for (int f = 0; f < w->nfunc && rc == LODE_OK; f++) {
    if (row_by_row(wp, f)) rc = agg_begin(wp, f);
    else if (w->funcs[f].kind == WINFN_AGGREGATE) rc = run_extreme(wp, f, func_window_ops(w->funcs[f].func)->extreme);
    else rc = run_builtin(wp, f);
  }
  return rc;
}

/* Ends the current partition: the row by row aggregates are finalized (as
** SQLite does once a partition's last row is out) and the results let go. */
static void partition_end(WinPass *wp) {
  const VdbeWindow *w = wp->w;
  if (!wp->in_partition) return;
  for (int f = 0; f < w->nfunc; f++)
    if (wp->runs[f].state) agg_reset(wp, &wp->runs[f]);
  for (size_t i = 0; i < (size_t)wp->m * (size_t)w->nfunc; i++) mem_release(&wp->results[i]);
  wp->in_partition = 0;
  wp->pstart = wp->base + wp->m;
}

/* The row at position pos of the partition, its results filled in, into
** wp->buf.  The record is spliced rather than decoded and encoded again:
** its header gets the results' serial types, its body the results' bytes in
** their columns and the other columns' bytes as they were. */
static int splice_row(WinPass *wp, uint32_t pos) {
  RecordHeader *hdr = &wp->hdr;
  int ncols = wp->ncols, rc;
  uint32_t r = wp->order[wp->base + pos];
  uint32_t oldlen;
  const uint8_t *old = row_record(wp, r, &oldlen);
  const Mem *res = RES(wp, pos, 0);
  uint64_t htypes = 0, body = 0, hs;
  uint64_t *types = wp->types;
  if ((rc = record_header_parse(hdr, old, oldlen, oldlen)) != LODE_OK) return rc;
  for (int i = 0; i < ncols; i++) {
    uint32_t len;
    if (wp->func_of[i] >= 0) types[i] = record_serial_type(&res[wp->func_of[i]], &len);
    else if (i < hdr->ncol) len = record_serial_len(types[i] = hdr->types[i]);
    else len = (uint32_t)(types[i] = 0); /* past a short record: NULL */
    htypes += (uint64_t)util_varint_len(types[i]);
    body += len;
  }
  hs = htypes + 1; /* the size varint counts itself */
  while ((uint64_t)util_varint_len(hs) + htypes != hs) hs = htypes + (uint64_t)util_varint_len(hs);
  if (hs + body > 0x7fffffffu) return LODE_TOOBIG;
  if (hs + body > wp->buf_cap) {
    size_t want = (size_t)(hs + body) * 2;
    uint8_t *nb = util_realloc(wp->buf, want);
    if (!nb) return LODE_NOMEM;
    wp->buf = nb;
    wp->buf_cap = want;
  }
  uint8_t *buf = wp->buf;
  uint32_t hpos = (uint32_t)util_varint_put(buf, hs), bpos = (uint32_t)hs;
  for (int i = 0; i < ncols; i++) {
    hpos += (uint32_t)util_varint_put(buf + hpos, types[i]);
    if (wp->func_of[i] >= 0) {
      bpos += record_put_value(buf + bpos, &res[wp->func_of[i]]);
    } else if (i < hdr->ncol) {
      uint32_t len = record_serial_len(types[i]);
      if (len) memcpy(buf + bpos, old + hdr->offsets[i], len);
      bpos += len;
    }
  }
  wp->buf_len = bpos;
  return LODE_OK;
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

/* Whether the input rows come in window order (the inner query sorted them
** for this window, or a previous pass left them so): one look at each row's
** key columns, then the input is read again from its start. */
static int input_in_order(WinPass *wp, int *ordered) {
  VdbeSorter *in = wp->in;
  int empty = 0, eof = 0, rc, have = 0, side = 0;
  int keeps = sorter_keeps_records(in);
  uint8_t *held[2] = {NULL, NULL}; /* the row and the one before, when the sorter may not keep them */
  size_t held_cap[2] = {0, 0};
  Mem *keys = util_malloc(sizeof(Mem) * 2 * (size_t)(wp->nkey ? wp->nkey : 1)), *cur = keys, *prev;
  *ordered = 1;
  if (!keys) return LODE_NOMEM;
  prev = keys + wp->nkey;
  rc = sorter_sort(in, &empty);
  while (rc == LODE_OK && !empty && !eof) {
    const uint8_t *rec;
    uint32_t len;
    if ((rc = sorter_current(in, &rec, &len)) != LODE_OK) break;
    if (!keeps) {
      if (len > held_cap[side]) {
        uint8_t *nb = util_realloc(held[side], len);
        if (!nb) {
          rc = LODE_NOMEM;
          break;
        }
        held[side] = nb;
        held_cap[side] = len;
      }
      memcpy(held[side], rec, len);
      rec = held[side];
      side ^= 1;
    }
    if ((rc = decode_key_cols(wp, rec, len, cur)) != LODE_OK) break;
    if (have && keyinfo_compare(wp->w->key, cur, prev, 0, wp->nkey) < 0) {
      *ordered = 0;
      break;
    }
    Mem *t = prev; /* cur's bytes stay put until the row after next: it becomes prev as it stands */
    prev = cur;
    cur = t;
    have = 1;
    rc = sorter_next(in, &eof);
  }
  util_free(keys);
  util_free(held[0]);
  util_free(held[1]);
  return rc;
}

/* Reads the next partition of the input into the pass (in is on its first
** row, not yet taken). */
static int read_partition(WinPass *wp) {
  const VdbeWindow *w = wp->w;
  int keeps = sorter_keeps_records(wp->in), rc = LODE_OK;
  while (!wp->in_eof) {
    const uint8_t *rec;
    uint32_t len;
    if ((rc = sorter_current(wp->in, &rec, &len)) != LODE_OK) break;
    if ((rc = decode_key_cols(wp, rec, len, wp->cur)) != LODE_OK) break;
    if (wp->n > 0) {
      int c = keyinfo_compare(w->key, wp->cur, wp->prev, 0, wp->nkey);
      if (c < 0) { /* the input was to come sorted by the window's key */
        conn_error(wp->v->db, LODE_INTERNAL, "window rows out of order");
        return LODE_INTERNAL;
      }
      if (c > 0 && keyinfo_compare(w->key, wp->cur, wp->prev, 0, w->npart) != 0) break; /* the next partition's */
    }
    if ((rc = append_row(wp, rec, len)) != LODE_OK) break;
    if (keeps) { /* cur's record stays where it is: it becomes prev as it stands */
      Mem *t = wp->prev;
      wp->prev = wp->cur;
      wp->cur = t;
    } else { /* prev borrows from the pass's copy, which stays put until the next append */
      rc = decode_key_cols(wp, wp->recs + wp->rec_at[wp->n - 1], len, wp->prev);
    }
    if (rc == LODE_OK) rc = sorter_next(wp->in, &wp->in_eof);
    if (rc != LODE_OK) break;
  }
  if (rc == LODE_OK) rc = decode_rows(wp);
  if (rc == LODE_OK) rc = rows_begin(wp);
  return rc;
}

/* Moves to the next row of the pass's output (into wp->buf); *eof when
** there is none.  A partition is started when its first row is asked for,
** and its row by row aggregates are stepped as each row is. */
static int pass_next(WinPass *wp, int *eof) {
  int rc = LODE_OK;
  *eof = 0;
  wp->started = 1;
  for (;;) {
    if (wp->in_partition && wp->emit < wp->m) {
      uint32_t pos = wp->emit++;
      for (int f = 0; f < wp->w->nfunc && rc == LODE_OK; f++)
        if (wp->runs[f].state) rc = agg_value_at(wp, f, pos);
      return rc == LODE_OK ? splice_row(wp, pos) : rc;
    }
    partition_end(wp);
    if (wp->pstart < wp->n) {
      if ((rc = partition_begin(wp)) != LODE_OK) return rc;
      continue;
    }
    rows_end(wp);
    if (!wp->by_partition || wp->in_eof) { /* done: the input's memory can serve what reads the rows */
      sorter_free(wp->in);
      wp->in = NULL;
      *eof = 1;
      return LODE_OK;
    }
    if ((rc = read_partition(wp)) != LODE_OK) return rc;
  }
}

/* Sets the pass up over the rows of sorter in (which it takes): reads the
** frame offsets, and either readies a partition at a time reading or holds
** every row (copied, and the sorter freed) in window order. */
static int pass_setup(WinPass *wp, const VdbeOp *op, VdbeSorter *in) {
  const VdbeWindow *w = wp->w;
  int empty = 0, rc, ordered = 0;
  wp->in = in;
  wp->nkey = w->npart + w->norder;
  rc = assign_slots(wp);
  wp->runs = util_zalloc(sizeof(AggRun) * (size_t)(w->nfunc ? w->nfunc : 1));
  wp->func_of = util_malloc(sizeof(int) * (size_t)(wp->ncols ? wp->ncols : 1));
  wp->types = util_malloc(sizeof(uint64_t) * (size_t)(wp->ncols ? wp->ncols : 1));
  wp->cur = util_malloc(sizeof(Mem) * 2 * (size_t)(wp->nkey ? wp->nkey : 1));
  if (rc == LODE_OK && (!wp->runs || !wp->func_of || !wp->types || !wp->cur)) rc = LODE_NOMEM;
  if (rc != LODE_OK) return rc;
  wp->prev = wp->cur + wp->nkey;
  for (int i = 0; i < wp->ncols; i++) wp->func_of[i] = -1;
  for (int f = 0; f < w->nfunc; f++)
    if (w->funcs[f].result_col >= 0 && w->funcs[f].result_col < wp->ncols) wp->func_of[w->funcs[f].result_col] = f;
  if ((rc = sorter_sort(in, &empty)) != LODE_OK) return rc;
  wp->in_place = sorter_keeps_records(in);
  if (empty) {
    wp->in_eof = 1;
    wp->by_partition = 1;
    return LODE_OK;
  }
  if ((rc = read_offsets(wp, op)) != LODE_OK) return rc;
  /* Partitions one at a time while the rows come in window order. */
  if (w->npart > 0 && (op->p5 & WINDOW_INPUT_SORTED)) {
    wp->by_partition = 1; /* in is on its first row */
    return LODE_OK;
  }
  if (w->npart > 0 && (rc = input_in_order(wp, &ordered)) != LODE_OK) return rc;
  if (ordered) {
    wp->by_partition = 1;
    return sorter_sort(in, &empty); /* back to the first row */
  }
  if ((rc = load_rows(wp, in)) != LODE_OK) return rc;
  if (!wp->in_place) { /* the pass has its own copy of the rows */
    sorter_free(in);
    wp->in = NULL;
  }
  wp->in_eof = 1;
  if ((rc = decode_rows(wp)) != LODE_OK) return rc;
  return rows_begin(wp);
}

static void pass_free(WinPass *wp) {
  if (!wp) return;
  const VdbeWindow *w = wp->w;
  partition_end(wp); /* a statement stopped early (LIMIT) finalizes the partition it was in */
  if (wp->runs)
    for (int f = 0; f < w->nfunc; f++) agg_free(&wp->runs[f]);
  sorter_free(wp->in);
  record_header_free(&wp->hdr);
  cells_free(wp);
  util_free(wp->keys);
  util_free(wp->recs);
  util_free(wp->rec_at);
  util_free((void *)wp->rec_ptr);
  util_free(wp->rec_len);
  util_free(wp->funcs);
  util_free(wp->runs);
  util_free(wp->results);
  util_free(wp->order);
  util_free(wp->peer_start);
  util_free(wp->cur < wp->prev || !wp->prev ? wp->cur : wp->prev);
  util_free(wp->func_of);
  util_free(wp->types);
  util_free(wp->buf);
  util_free(wp);
}

void vdbe_window_stream_free(WinPass *wp) { pass_free(wp); }

int vdbe_window_pass(Vdbe *v, const VdbeOp *op) {
  VdbeCursor *c = v->cursors[op->p1];
  const VdbeWindow *w = op->p4.window;
  WinPass *wp;
  VdbeSorter *out = NULL, *in;
  int rc, eof = 0;
  if (!c || c->kind != VDBE_CURSOR_SORTER || !w || !c->sorter || c->win) return LODE_INTERNAL;
  if (!(wp = util_zalloc(sizeof *wp))) return conn_error(v->db, LODE_NOMEM, NULL), LODE_NOMEM;
  wp->v = v;
  wp->w = w;
  wp->ncols = w->ncols;
  mem_init(&wp->start_off);
  mem_init(&wp->end_off);
  record_header_init(&wp->hdr);
  in = c->sorter;
  c->sorter = NULL;
  rc = pass_setup(wp, op, in);
  if (rc == LODE_OK && !(out = sorter_new(NULL))) rc = LODE_NOMEM;
  if (rc == LODE_OK) sorter_set_conn(out, v->db);
  if (rc == LODE_OK && (op->p5 & WINDOW_ROWS_ON_DEMAND)) {
    /* The cursor returns the pass's rows as they are asked for; out only
    ** stands in for the sorter it no longer reads. */
    c->sorter = out;
    c->win = wp;
    c->gen++;
    return LODE_OK;
  }
  while (rc == LODE_OK && !(rc = pass_next(wp, &eof)) && !eof) rc = sorter_insert(out, wp->buf, wp->buf_len);
  if (rc == LODE_OK) {
    c->sorter = out;
    out = NULL;
  } else {
    c->sorter = sorter_new(NULL); /* the cursor stays usable; NULL (no memory) reads as empty */
    if (c->sorter) sorter_set_conn(c->sorter, v->db);
  }
  c->gen++;
  sorter_free(out);
  pass_free(wp);
  if (rc == LODE_NOMEM) conn_error(v->db, LODE_NOMEM, NULL);
  return rc;
}

/* The cursor's rows from its window pass (WINDOW_ROWS_ON_DEMAND): the
** first (once only: the pass does not keep rows it has returned) or the
** next. */
int vdbe_window_stream_step(Vdbe *v, VdbeCursor *c, int first, int *eof) {
  WinPass *wp = c->win;
  int rc;
  *eof = 1;
  if (first && wp->started) {
    conn_error(v->db, LODE_INTERNAL, "window rows read twice");
    return LODE_INTERNAL;
  }
  rc = pass_next(wp, eof);
  if (rc == LODE_NOMEM) conn_error(v->db, LODE_NOMEM, NULL);
  return rc;
}

int vdbe_window_stream_current(VdbeCursor *c, const uint8_t **rec, uint32_t *n) {
  *rec = c->win->buf;
  *n = c->win->buf_len;
  return LODE_OK;
}
