/*
** shell_render.c — how the `lode` shell prints the rows of a statement.
**
** The modes of sqlite3 are printed by shell_modes.c (row by row) and
** shell_columnar.c (whole results); this file prints the rest:
** pretty  the box table of Turso's manual: a header row of column names and
**         a rule between every two rows, numbers right-aligned, everything
**         else left-aligned, NULL as the .nullvalue (empty by default):
**             ┌───┬───────┐
**             │ x │ y     │
**             ├───┼───────┤
**             │ 1 │ hello │
**             └───┴───────┘
**         A value (or column name) with newlines takes as many lines of
**         its cell, the row as many as its tallest cell.
**         A statement that returns no row prints nothing.
** EXPLAIN prints the program in columns.  Pretty mode as Turso's manual:
**             addr  opcode             p1    p2    p3    p4             p5  comment
**             ----  -----------------  ----  ----  ----  -------------  --  -------
**         The modes of sqlite3 as sqlite3 3.40 prints EXPLAIN in all of them:
**         widths 4 13 4 4 4 13 2 13 with the header padded to them, values
**         padded to them (a longer one is printed whole, pushing the rest
**         of its line), the last column unpadded, and the opcodes of a
**         loop body indented by two spaces per loop: the body of a Next,
**         Prev, VNext, VPrev, SorterNext or Return jumping back to it, and of a Goto
**         jumping back to a Yield, SeekLT, SeekGT, RowSetRead or Rewind (or
**         with a non-zero p1).
** EXPLAIN QUERY PLAN prints sqlite3's tree ("QUERY PLAN", "|--", "`--").
**
** Widths are counted in code points (UTF-8 lead bytes), not bytes.
** Invariant: the table collector owns copies of every value, because the
** pointers lode_column_* hand out die at the next lode_step.
*/
/* getline and strdup are POSIX.1-2008; the Node addon build may not pass
** -D_GNU_SOURCE as the Makefile does. */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdlib.h>
#include <string.h>

#include "shell_int.h"
#include "sqlite3.h"

#define EXPLAIN_NCOL 8
#define EQP_NCOL 4
#define EQP_COL_ID 0
#define EQP_COL_PARENT 1
#define EQP_COL_DETAIL 3
#define STMT_EXPLAIN 1
#define STMT_EXPLAIN_QUERY_PLAN 2


typedef struct ShellCell {
  char *z; /* NULL for SQL NULL */
  size_t n;
  int type; /* LODE_INTEGER ... LODE_NULL */
} ShellCell;

typedef struct ShellTable {
  int ncol;
  char **names;
  ShellCell *cells; /* nrow * ncol, row-major */
  size_t nrow;
  size_t cap;       /* rows allocated */
} ShellTable;

/* ---- collecting a whole result ------------------------------------------- */

static void table_free(ShellTable *t) {
  for (size_t i = 0; i < t->nrow * (size_t)t->ncol; i++) free(t->cells[i].z);
  for (int i = 0; i < t->ncol && t->names; i++) free(t->names[i]);
  free(t->cells);
  free(t->names);
  memset(t, 0, sizeof(*t));
}

static char *copy_bytes(const void *p, size_t n) {
  char *z = malloc(n + 1);
  if (!z) return NULL;
  if (n) memcpy(z, p, n);
  z[n] = 0;
  return z;
}

static int table_init(ShellTable *t, lode_stmt *stmt) {
  memset(t, 0, sizeof(*t));
  t->ncol = lode_column_count(stmt);
  t->names = calloc((size_t)t->ncol + 1, sizeof(char *));
  if (!t->names) return LODE_NOMEM;
  for (int i = 0; i < t->ncol; i++) {
    const char *name = lode_column_name(stmt, i);
    if (!name) name = "";
    t->names[i] = copy_bytes(name, strlen(name));
    if (!t->names[i]) return LODE_NOMEM;
  }
  return LODE_OK;
}

static int table_add_row(ShellTable *t, lode_stmt *stmt) {
  size_t ncol = (size_t)t->ncol;
  if (t->nrow == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 16;
    ShellCell *p = realloc(t->cells, cap * ncol * sizeof(ShellCell) + 1);
    if (!p) return LODE_NOMEM;
    t->cells = p;
    t->cap = cap;
  }
  ShellCell *row = t->cells + t->nrow * ncol;
  memset(row, 0, ncol * sizeof(ShellCell));
  t->nrow++;
  for (size_t i = 0; i < ncol; i++) {
    int type = lode_column_type(stmt, (int)i);
    row[i].type = type;
    if (type == LODE_NULL) continue;
    const void *p = type == LODE_BLOB ? lode_column_blob(stmt, (int)i)
                                      : (const void *)shell_column_text(stmt, (int)i);
    int n = type == LODE_FLOAT ? (int)strlen(p) : lode_column_bytes(stmt, (int)i);
    row[i].n = n > 0 ? (size_t)n : 0;
    row[i].z = copy_bytes(p ? p : "", p ? row[i].n : 0);
    if (!row[i].z) return LODE_NOMEM;
  }
  return LODE_OK;
}

int shell_step(lode_stmt *stmt) { return sqlite3_step((sqlite3_stmt *)(void *)stmt); }

/* Steps stmt to the end, keeping every row.  Returns the last step result. */
static int table_collect(ShellTable *t, lode_stmt *stmt) {
  int rc = table_init(t, stmt);
  if (rc != LODE_OK) return rc;
  while ((rc = shell_step(stmt)) == LODE_ROW) {
    if (table_add_row(t, stmt) != LODE_OK) return LODE_NOMEM;
  }
  return rc;
}

static const ShellCell *table_cell(const ShellTable *t, size_t row, int col) {
  return &t->cells[row * (size_t)t->ncol + (size_t)col];
}

/* ---- pretty mode ---------------------------------------------------------- */

static void put_repeat(Shell *sh, const char *piece, size_t count) {
  for (size_t i = 0; i < count; i++) fputs(piece, sh->out);
}

static void pretty_rule(Shell *sh, const size_t *widths, int ncol, const char *left,
                        const char *mid, const char *right) {
  fputs(left, sh->out);
  for (int i = 0; i < ncol; i++) {
    if (i) fputs(mid, sh->out);
    put_repeat(sh, BOX_H, widths[i] + 2);
  }
  fputs(right, sh->out);
  fputc('\n', sh->out);
}

static void pretty_cell(Shell *sh, const char *z, size_t n, size_t width, int right) {
  size_t pad = width - shell_text_width(z, n);
  fputc(' ', sh->out);
  if (right) put_repeat(sh, " ", pad);
  fwrite(z, 1, n, sh->out);
  if (!right) put_repeat(sh, " ", pad);
  fputc(' ', sh->out);
}

/* A value with newlines takes several lines of its cell, as in Turso's
** shell: how many lines z (n bytes) has, and its line k (in *line and
** *len; empty past the last). */
static size_t cell_lines(const char *z, size_t n) {
  size_t lines = 1;
  for (size_t i = 0; i < n; i++) lines += z[i] == '\n';
  return lines;
}

static void cell_line(const char *z, size_t n, size_t k, const char **line, size_t *len) {
  size_t at = 0;
  for (; k > 0 && at < n; at++)
    if (z[at] == '\n') k--;
  if (k > 0) at = n;
  const char *nl = memchr(z + at, '\n', n - at);
  *line = z + at;
  *len = nl ? (size_t)(nl - (z + at)) : n - at;
}

static size_t cell_width(const char *z, size_t n) {
  size_t w = 0, lines = cell_lines(z, n);
  for (size_t k = 0; k < lines; k++) {
    const char *line;
    size_t len;
    cell_line(z, n, k, &line, &len);
    size_t lw = shell_text_width(line, len);
    if (lw > w) w = lw;
  }
  return w;
}

/* One row of cells (texts z[i], n[i]; right[i]: right-aligned), each
** as many lines high as its tallest cell. */
static void pretty_cells(Shell *sh, int ncol, const char *const *z, const size_t *n, const int *right,
                         const size_t *widths) {
  size_t height = 1;
  for (int i = 0; i < ncol; i++) {
    size_t h = cell_lines(z[i], n[i]);
    if (h > height) height = h;
  }
  for (size_t k = 0; k < height; k++) {
    fputs(BOX_V, sh->out);
    for (int i = 0; i < ncol; i++) {
      const char *line;
      size_t len;
      cell_line(z[i], n[i], k, &line, &len);
      pretty_cell(sh, line, len, widths[i], right[i]);
      fputs(BOX_V, sh->out);
    }
    fputc('\n', sh->out);
  }
}

typedef struct PrettyRow {
  const char **z;
  size_t *n;
  int *right;
} PrettyRow;

static void pretty_row(Shell *sh, const ShellTable *t, const size_t *widths, size_t row, PrettyRow *pr) {
  for (int i = 0; i < t->ncol; i++) {
    const ShellCell *c = table_cell(t, row, i);
    pr->right[i] = c->z && (c->type == LODE_INTEGER || c->type == LODE_FLOAT);
    pr->z[i] = c->z ? c->z : sh->nullvalue;
    pr->n[i] = c->z ? c->n : strlen(sh->nullvalue);
  }
  pretty_cells(sh, t->ncol, pr->z, pr->n, pr->right, widths);
}

static void pretty_print(Shell *sh, const ShellTable *t, size_t *widths, PrettyRow *pr) {
  for (int i = 0; i < t->ncol; i++) {
    widths[i] = cell_width(t->names[i], strlen(t->names[i]));
    for (size_t r = 0; r < t->nrow; r++) {
      const ShellCell *c = table_cell(t, r, i);
      size_t w = c->z ? cell_width(c->z, c->n) : cell_width(sh->nullvalue, strlen(sh->nullvalue));
      if (w > widths[i]) widths[i] = w;
    }
  }
  pretty_rule(sh, widths, t->ncol, BOX_TL, BOX_TM, BOX_TR);
  for (int i = 0; i < t->ncol; i++) {
    pr->z[i] = t->names[i];
    pr->n[i] = strlen(t->names[i]);
    pr->right[i] = 0;
  }
  pretty_cells(sh, t->ncol, pr->z, pr->n, pr->right, widths);
  for (size_t r = 0; r < t->nrow; r++) {
    pretty_rule(sh, widths, t->ncol, BOX_ML, BOX_MM, BOX_MR);
    pretty_row(sh, t, widths, r, pr);
  }
  pretty_rule(sh, widths, t->ncol, BOX_BL, BOX_BM, BOX_BR);
}

static int render_pretty_table(Shell *sh, const ShellTable *t) {
  if (t->nrow == 0 || t->ncol == 0) return LODE_OK;
  size_t *widths = calloc((size_t)t->ncol, sizeof(size_t));
  PrettyRow pr = {calloc((size_t)t->ncol, sizeof(char *)), calloc((size_t)t->ncol, sizeof(size_t)),
                  calloc((size_t)t->ncol, sizeof(int))};
  int rc = widths && pr.z && pr.n && pr.right ? LODE_OK : LODE_NOMEM;
  if (rc == LODE_OK) pretty_print(sh, t, widths, &pr);
  free(widths);
  free(pr.z);
  free(pr.n);
  free(pr.right);
  return rc;
}

/* ---- EXPLAIN -------------------------------------------------------------- */

static const char *const explain_header[EXPLAIN_NCOL] = {"addr", "opcode", "p1", "p2",
                                                         "p3",   "p4",     "p5", "comment"};
static const size_t explain_width[EXPLAIN_NCOL] = {4, 17, 4, 4, 4, 13, 2, 7};

/* Prints cells separated by two spaces, each padded to its width, without
** trailing blanks. */
static void explain_line(Shell *sh, const char *const *z, const size_t *n) {
  ShellBuf line = {0};
  for (int i = 0; i < EXPLAIN_NCOL; i++) {
    if (i) shell_buf_append(&line, "  ", 2);
    shell_buf_append(&line, z[i], n[i]);
    size_t w = shell_text_width(z[i], n[i]);
    for (; w < explain_width[i]; w++) shell_buf_append(&line, " ", 1);
  }
  if (line.z) {
    while (line.n > 0 && line.z[line.n - 1] == ' ') line.n--;
    fwrite(line.z, 1, line.n, sh->out);
  }
  fputc('\n', sh->out);
  shell_buf_free(&line);
}

/* ---- EXPLAIN as sqlite3 prints it -------------------------------------------- */

static const size_t sqlite3_explain_width[EXPLAIN_NCOL] = {4, 13, 4, 4, 4, 13, 2, 13};

static long long cell_int(const ShellCell *c) { return c->z ? atoll(c->z) : 0; }

static int name_in(const char *z, const char *const *names) {
  for (; *names; names++) {
    if (z && strcmp(z, *names) == 0) return 1;
  }
  return 0;
}

/* The indentation of each row of an EXPLAIN result (malloc'd, NULL if out of
** memory: then nothing is indented), by sqlite3 3.40's rules. */
static int *sqlite3_explain_indent(const ShellTable *t) {
  static const char *const next[] = {"Next", "Prev", "VPrev", "VNext", "SorterNext", "Return", NULL};
  static const char *const yield[] = {"Yield", "SeekLT", "SeekGT", "RowSetRead", "Rewind", NULL};
  static const char *const go[] = {"Goto", NULL};
  size_t n = t->nrow;
  int *indent = calloc(n ? n : 1, sizeof *indent);
  char *is_yield = calloc(n ? n : 1, 1);
  if (!indent || !is_yield) {
    free(indent);
    free(is_yield);
    return NULL;
  }
  for (size_t op = 0; op < n; op++) {
    const char *name = table_cell(t, op, 1)->z;
    long long addr = cell_int(table_cell(t, op, 0));
    long long p2 = cell_int(table_cell(t, op, 3)) + ((long long)op - addr);
    is_yield[op] = (char)name_in(name, yield);
    if (name_in(name, next) && p2 > 0) {
      for (long long i = p2; i < (long long)op; i++) indent[i] += 2;
    }
    if (name_in(name, go) && p2 >= 0 && p2 <= (long long)op && (is_yield[p2] || cell_int(table_cell(t, op, 2)))) {
      for (long long i = p2; i < (long long)op; i++) indent[i] += 2;
    }
  }
  free(is_yield);
  return indent;
}

static void sqlite3_explain_cell(Shell *sh, const char *z, size_t n, size_t width, int last) {
  size_t w = shell_text_width(z, n);
  fwrite(z, 1, n, sh->out);
  for (; !last && w < width; w++) fputc(' ', sh->out);
  fputs(last ? "\n" : "  ", sh->out);
}

static void render_sqlite3_explain(Shell *sh, const ShellTable *t) {
  for (int i = 0; i < EXPLAIN_NCOL; i++) {
    size_t w = shell_text_width(explain_header[i], strlen(explain_header[i]));
    fputs(explain_header[i], sh->out);
    for (; w < sqlite3_explain_width[i]; w++) fputc(' ', sh->out);
    fputs(i == EXPLAIN_NCOL - 1 ? "\n" : "  ", sh->out);
  }
  for (int i = 0; i < EXPLAIN_NCOL; i++) {
    for (size_t w = 0; w < sqlite3_explain_width[i]; w++) fputc('-', sh->out);
    fputs(i == EXPLAIN_NCOL - 1 ? "\n" : "  ", sh->out);
  }
  int *indent = sqlite3_explain_indent(t);
  for (size_t r = 0; r < t->nrow; r++) {
    for (int i = 0; i < EXPLAIN_NCOL; i++) {
      const ShellCell *c = table_cell(t, r, i);
      const char *z = c->z ? c->z : sh->nullvalue;
      size_t n = c->z ? c->n : strlen(z);
      if (i == 1 && indent) fprintf(sh->out, "%*s", indent[r], "");
      sqlite3_explain_cell(sh, z, n, sqlite3_explain_width[i], i == EXPLAIN_NCOL - 1);
    }
  }
  free(indent);
}

static void render_explain(Shell *sh, const ShellTable *t) {
  if (sh->mode != SHELL_MODE_PRETTY) {
    render_sqlite3_explain(sh, t);
    return;
  }
  const char *z[EXPLAIN_NCOL];
  size_t n[EXPLAIN_NCOL];
  char dashes[EXPLAIN_NCOL][32];
  for (int i = 0; i < EXPLAIN_NCOL; i++) {
    z[i] = explain_header[i];
    n[i] = strlen(z[i]);
  }
  explain_line(sh, z, n);
  for (int i = 0; i < EXPLAIN_NCOL; i++) {
    memset(dashes[i], '-', explain_width[i]);
    z[i] = dashes[i];
    n[i] = explain_width[i];
  }
  explain_line(sh, z, n);
  for (size_t r = 0; r < t->nrow; r++) {
    for (int i = 0; i < EXPLAIN_NCOL; i++) {
      const ShellCell *c = table_cell(t, r, i);
      z[i] = c->z ? c->z : "";
      n[i] = c->n;
    }
    explain_line(sh, z, n);
  }
}

/* ---- EXPLAIN QUERY PLAN ---------------------------------------------------- */

/* Prints the children of parent (rows whose parent column equals it) in row
** order, each under prefix, then their own children one level deeper. */
static int eqp_print_children(Shell *sh, const ShellTable *t, long long parent, ShellBuf *prefix,
                              int depth) {
  size_t last = t->nrow;
  for (size_t r = 0; r < t->nrow; r++) {
    if (cell_int(table_cell(t, r, EQP_COL_PARENT)) == parent) last = r;
  }
  if (last == t->nrow || depth > (int)t->nrow) return LODE_OK;
  for (size_t r = 0; r <= last; r++) {
    const ShellCell *id = table_cell(t, r, EQP_COL_ID);
    const ShellCell *detail = table_cell(t, r, EQP_COL_DETAIL);
    if (cell_int(table_cell(t, r, EQP_COL_PARENT)) != parent) continue;
    fwrite(prefix->z ? prefix->z : "", 1, prefix->n, sh->out);
    fputs(r == last ? "`--" : "|--", sh->out);
    if (detail->z) fwrite(detail->z, 1, detail->n, sh->out);
    fputc('\n', sh->out);
    size_t keep = prefix->n;
    shell_buf_append(prefix, r == last ? "   " : "|  ", 3);
    if (prefix->oom) return LODE_NOMEM;
    if (cell_int(id) != parent) eqp_print_children(sh, t, cell_int(id), prefix, depth + 1);
    prefix->n = keep;
    prefix->z[keep] = 0;
  }
  return LODE_OK;
}

static int render_eqp(Shell *sh, const ShellTable *t) {
  ShellBuf prefix = {0};
  fputs("QUERY PLAN\n", sh->out);
  int rc = eqp_print_children(sh, t, 0, &prefix, 0);
  shell_buf_free(&prefix);
  return rc;
}

/* ---- dispatch -------------------------------------------------------------- */

int shell_render_stmt(Shell *sh, lode_stmt *stmt) {
  int kind = lode_stmt_isexplain(stmt);
  int ncol = lode_column_count(stmt);
  int explain = kind == STMT_EXPLAIN && ncol == EXPLAIN_NCOL;
  int eqp = kind == STMT_EXPLAIN_QUERY_PLAN && ncol == EQP_NCOL;
  /* Rows without columns (PRAGMA incremental_vacuum gives one per page) print
  ** nothing, as in sqlite3; the statement still runs to its end. */
  if (ncol == 0) {
    int rc;
    while ((rc = shell_step(stmt)) == LODE_ROW) {
    }
    return rc;
  }
  if (!explain && !eqp) {
    switch (sh->mode) {
    case SHELL_MODE_PRETTY: break;
    case SHELL_MODE_COLUMN:
    case SHELL_MODE_BOX:
    case SHELL_MODE_TABLE:
    case SHELL_MODE_MARKDOWN: return shell_render_columnar(sh, stmt);
    default: return shell_render_rows(sh, stmt);
    }
  }
  ShellTable t;
  int rc = table_collect(&t, stmt);
  if (rc == LODE_NOMEM && !t.names) {
    table_free(&t);
    return rc;
  }
  int prc = LODE_OK;
  if (explain) {
    render_explain(sh, &t);
  } else if (eqp) {
    if (t.nrow) prc = render_eqp(sh, &t);
  } else {
    prc = render_pretty_table(sh, &t);
  }
  table_free(&t);
  return prc != LODE_OK ? prc : rc;
}
