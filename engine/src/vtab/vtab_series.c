/*
** vtab_series.c — generate_series(start, stop, step): the integers from
** start to stop by step, as the sqlite3 shell's series extension gives them.
**
** A missing stop is 4294967295 and a missing step 1; step 0 counts as 1; a
** negative step visits the same values (start, start+|step|, … up to stop)
** from the last down.  A NULL argument gives no rows.  The hidden columns
** read back the values the scan used; the rowid counts rows from 1.
*/
#include "util/util.h"
#include "vtab/vtab.h"

#define COL_VALUE 0
#define COL_START 1
#define COL_STOP 2
#define COL_STEP 3

#define HAS_START 1
#define HAS_STOP 2
#define HAS_STEP 4

typedef struct SeriesCursor {
  VtabCursor base;
  int64_t start, stop, step; /* as the arguments gave them (step 0 made 1) */
  int64_t first, last;       /* the values in visiting order: first .. last by inc */
  int64_t value, inc;
  int64_t rowid;
  int done;
} SeriesCursor;

static int series_best_index(const VtabModule *m, VtabIndexInfo *info) {
  int idx = 0, slot[3] = {-1, -1, -1};
  (void)m;
  for (int i = 0; i < info->ncons; i++) {
    const VtabConstraint *c = &info->cons[i];
    if (c->column < COL_START || c->op != VTAB_OP_EQ || !c->usable) continue;
    if (slot[c->column - COL_START] < 0) slot[c->column - COL_START] = i;
  }
  if (slot[0] < 0) {
    info->errmsg = "first argument to \"generate_series()\" missing or unusable";
    return LODE_ERROR;
  }
  int argc = 0;
  for (int k = 0; k < 3; k++) {
    if (slot[k] < 0) continue;
    idx |= 1 << k;
    info->cons[slot[k]].argv_index = ++argc;
    info->cons[slot[k]].omit = 1;
  }
  info->idx_num = idx;
  info->est_rows = (idx & HAS_STOP) ? 1000 : 2147483647.0;
  info->est_cost = info->est_rows;
  return LODE_OK;
}

static int series_open(const VtabModule *m, VtabCursor **out) {
  SeriesCursor *c = util_zalloc(sizeof *c);
  if (!c) return LODE_NOMEM;
  c->base.module = m;
  *out = &c->base;
  return LODE_OK;
}

static int series_filter(VtabCursor *vc, int idx, int argc, Mem **argv) {
  SeriesCursor *c = (SeriesCursor *)vc;
  int a = 0;
  int64_t v[3] = {0, 4294967295LL, 1};
  (void)argc;
  c->done = 0;
  c->rowid = 1;
  for (int k = 0; k < 3; k++) {
    if (!(idx & (1 << k))) continue;
    if (argv[a]->type == MEM_NULL) c->done = 1;
    v[k] = mem_as_int(argv[a++]);
  }
  if (v[2] == 0) v[2] = 1;
  c->start = v[0];
  c->stop = v[1];
  c->step = v[2];
  int64_t inc = v[2] < 0 ? (v[2] == INT64_MIN ? INT64_MAX : -v[2]) : v[2];
  if (c->done || v[0] > v[1]) {
    c->done = 1;
    return LODE_OK;
  }
  /* The last value of the grid start + k*inc that does not pass stop. */
  uint64_t span = (uint64_t)v[1] - (uint64_t)v[0];
  int64_t last = (int64_t)((uint64_t)v[0] + span / (uint64_t)inc * (uint64_t)inc);
  if (v[2] > 0) {
    c->first = v[0], c->last = last, c->inc = inc;
  } else {
    c->first = last, c->last = v[0], c->inc = -inc;
  }
  c->value = c->first;
  return LODE_OK;
}

static int series_next(VtabCursor *vc) {
  SeriesCursor *c = (SeriesCursor *)vc;
  if (c->done) return LODE_OK;
  if (c->value == c->last) c->done = 1;
  else c->value += c->inc;
  c->rowid++;
  return LODE_OK;
}

static int series_eof(VtabCursor *vc) { return ((SeriesCursor *)vc)->done; }

static int series_column(VtabCursor *vc, int col, Mem *out) {
  SeriesCursor *c = (SeriesCursor *)vc;
  int64_t x = col == COL_START ? c->start : col == COL_STOP ? c->stop : col == COL_STEP ? c->step : c->value;
  mem_set_int(out, x);
  return LODE_OK;
}

static int series_rowid(VtabCursor *vc, int64_t *rowid) {
  *rowid = ((SeriesCursor *)vc)->rowid;
  return LODE_OK;
}

static void series_close(VtabCursor *vc) {
  util_free(vc->errmsg);
  util_free(vc);
}

const VtabModule vtab_generate_series = {
    "generate_series", "CREATE TABLE x(value, start HIDDEN, stop HIDDEN, step HIDDEN)",
    series_best_index, series_open, series_filter, series_next, series_eof, series_column, series_rowid,
    series_close, .inst = NULL};
