/*
** values.c — parameter binding and result column accessors.
**
** Column accessors convert like sqlite3_column_*: asking for text of a
** number renders it (REAL as util_render_real does), asking for an integer of text parses
** its numeric prefix.  Returned pointers stay valid until the next
** step/reset/finalize or until a different accessor converts the value.
*/
#include <string.h>

#include "capi/stmt.h"
#include "conn/conn.h"
#include "util/util.h"

/* ---- binding ----------------------------------------------------------------- */

/* A bind that fails sets the connection's error. */
__attribute__((noinline)) static Mem *bind_refused(lode_stmt *s, int *rc) {
  if (*rc == LODE_RANGE) *rc = conn_error(s->db, LODE_RANGE, "column index out of range");
  else *rc = conn_error(s->db, LODE_MISUSE, "bad parameter or other API misuse");
  return NULL;
}

static inline Mem *bind_target(lode_stmt *s, int idx, int *rc) {
  Mem *m;
  if (!s || !s->vdbe) {
    *rc = LODE_MISUSE;
    return NULL;
  }
  /* A plan estimated with the old value is compiled again (vdbe_param_rebind). */
  if (!(m = vdbe_param_rebind(s->vdbe, idx, rc))) return bind_refused(s, rc);
  conn_clear_error(s->db); /* a successful bind leaves no error behind, as in SQLite */
  return m;
}

int lode_bind_null(lode_stmt *s, int idx) {
  int rc;
  Mem *m = bind_target(s, idx, &rc);
  if (m) mem_set_null(m);
  return rc;
}

int lode_bind_int64(lode_stmt *s, int idx, lode_int64 v) {
  int rc;
  Mem *m = bind_target(s, idx, &rc);
  if (m) mem_set_int(m, v);
  return rc;
}

int lode_bind_int(lode_stmt *s, int idx, int v) { return lode_bind_int64(s, idx, v); }

int lode_bind_double(lode_stmt *s, int idx, double v) {
  int rc;
  Mem *m = bind_target(s, idx, &rc);
  if (!m) return rc;
  if (v != v) mem_set_null(m); /* NaN is stored as NULL, like SQLite */
  else mem_set_real(m, v);
  return rc;
}

static void run_destructor(const void *p, lode_destructor_type d) {
  if (d != LODE_STATIC && d != LODE_TRANSIENT && p) d((void *)p);
}

int lode_bind_text(lode_stmt *s, int idx, const char *z, int n, lode_destructor_type d) {
  int rc;
  Mem *m = bind_target(s, idx, &rc);
  if (m) {
    if (!z) mem_set_null(m);
    /* LODE_STATIC text is borrowed as LODE_STATIC blobs are (SQLite does the same). */
    else rc = mem_set_text(m, z, n < 0 ? (int)strlen(z) : n, d == LODE_STATIC ? MEM_STATIC : MEM_DYN);
    if (rc != LODE_OK) rc = conn_error(s->db, rc, NULL);
  }
  run_destructor(z, d);
  return rc;
}

int lode_bind_blob(lode_stmt *s, int idx, const void *p, int n, lode_destructor_type d) {
  int rc;
  Mem *m = bind_target(s, idx, &rc);
  if (m) {
    if (!p) mem_set_null(m);
    else if (n < 0) rc = conn_error(s->db, LODE_MISUSE, NULL);
    /* LODE_STATIC bytes stay as they are until the parameter is bound again: borrowed, not copied. */
    else rc = mem_set_blob(m, p, n, d == LODE_STATIC ? MEM_STATIC : MEM_DYN);
    if (rc != LODE_OK && s->db->errcode == LODE_OK) rc = conn_error(s->db, rc, NULL);
  }
  run_destructor(p, d);
  return rc;
}

int lode_bind_zeroblob(lode_stmt *s, int idx, int n) {
  int rc;
  Mem *m = bind_target(s, idx, &rc);
  if (m) rc = mem_set_zeroblob(m, n < 0 ? 0 : n);
  return rc;
}

int lode_clear_bindings(lode_stmt *s) {
  int i, n;
  if (!s || !s->vdbe) return LODE_MISUSE;
  if (vdbe_is_running(s->vdbe)) return conn_error(s->db, LODE_MISUSE, NULL);
  n = vdbe_nparams(s->vdbe);
  for (i = 1; i <= n; i++) mem_set_null(vdbe_param(s->vdbe, i));
  vdbe_param_bound(s->vdbe, 0);
  return LODE_OK;
}

int lode_bind_parameter_count(lode_stmt *s) { return s && s->vdbe ? vdbe_nparams(s->vdbe) : 0; }

const char *lode_bind_parameter_name(lode_stmt *s, int idx) {
  if (!s || !s->vdbe || idx < 1 || idx > vdbe_nparams(s->vdbe)) return NULL;
  return vdbe_param_name(s->vdbe, idx);
}

int lode_bind_parameter_index(lode_stmt *s, const char *name) {
  int i, n;
  if (!s || !s->vdbe || !name) return 0;
  n = vdbe_nparams(s->vdbe);
  for (i = 1; i <= n; i++) {
    const char *p = vdbe_param_name(s->vdbe, i);
    if (p && strcmp(p, name) == 0) return i;
  }
  return 0;
}

/* ---- results -------------------------------------------------------------- */

int lode_column_count(lode_stmt *s) { return s && s->vdbe ? vdbe_ncols(s->vdbe) : 0; }

int lode_data_count(lode_stmt *s) {
  if (!s || !s->vdbe || !s->on_row) return 0;
  return vdbe_ncols(s->vdbe);
}

const char *lode_column_name(lode_stmt *s, int col) {
  if (!s || !s->vdbe || col < 0 || col >= vdbe_ncols(s->vdbe)) return NULL;
  return vdbe_col_name(s->vdbe, col);
}

const char *lode_column_decltype(lode_stmt *s, int col) {
  if (!s || !s->vdbe || col < 0 || col >= vdbe_ncols(s->vdbe)) return NULL;
  return vdbe_col_decltype(s->vdbe, col);
}

/* which: 0 table, 1 column, 2 database (vdbe_col_origin's order). */
static const char *column_origin(lode_stmt *s, int col, int which) {
  if (!s || !s->vdbe || col < 0 || col >= vdbe_ncols(s->vdbe)) return NULL;
  return vdbe_col_origin(s->vdbe, col, which);
}

const char *lode_column_table_name(lode_stmt *s, int col) { return column_origin(s, col, 0); }
const char *lode_column_origin_name(lode_stmt *s, int col) { return column_origin(s, col, 1); }
const char *lode_column_database_name(lode_stmt *s, int col) { return column_origin(s, col, 2); }

static Mem *column_value(lode_stmt *s, int col) {
  if (!s || !s->vdbe) return NULL;
  return vdbe_column_result(s->vdbe, col); /* NULL unless on a row with that column */
}

int lode_column_type(lode_stmt *s, int col) {
  Mem *m = column_value(s, col);
  return m ? m->type : LODE_NULL;
}

lode_int64 lode_column_int64(lode_stmt *s, int col) {
  Mem *m = column_value(s, col);
  return m ? mem_as_int(m) : 0;
}

int lode_column_int(lode_stmt *s, int col) { return (int)lode_column_int64(s, col); }

double lode_column_double(lode_stmt *s, int col) {
  Mem *m = column_value(s, col);
  return m ? mem_as_real(m) : 0.0;
}

const unsigned char *lode_column_text(lode_stmt *s, int col) {
  int oom = 0;
  const char *z;
  Mem *m = column_value(s, col);
  if (!m || m->type == MEM_NULL) return NULL;
  z = mem_as_text(m, &oom);
  if (oom) conn_error(s->db, LODE_NOMEM, NULL);
  return (const unsigned char *)z;
}

const void *lode_column_blob(lode_stmt *s, int col) {
  Mem *m = column_value(s, col);
  if (!m || m->type == MEM_NULL) return NULL;
  if (m->type == MEM_BLOB || m->type == MEM_TEXT) return m->n ? m->z : NULL;
  return lode_column_text(s, col);
}

int lode_column_bytes(lode_stmt *s, int col) {
  Mem *m = column_value(s, col);
  int oom = 0;
  const char *z;
  if (!m || m->type == MEM_NULL) return 0;
  if (m->type == MEM_BLOB || m->type == MEM_TEXT) return m->n;
  z = mem_as_text(m, &oom);
  return z ? (int)strlen(z) : 0;
}
