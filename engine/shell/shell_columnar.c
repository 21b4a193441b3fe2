/*
** shell_columnar.c — sqlite3's modes that size columns to a whole result:
** column, box, table and markdown, byte for byte as Debian's sqlite3 3.40
** prints them.
**
**   column     names left-aligned over a line of dashes (with .headers on,
**              which .mode column sets), cells separated by two blanks
**   table      +---+ rules, names centered, "| a | b |" rows
**   box        the same with box-drawing characters
**   markdown   "| a | b |" rows under a |---| line, no outer rules
**
** Every cell (NULL as .nullvalue) is cut into display lines: a newline, a
** carriage return or any other control byte but tab ends a line, a tab moves
** to the next multiple of 8, and a line stops at the wrap width (60 after
** .mode, none after -m), at a blank or word boundary with --wordwrap on.  A
** column is as wide as its widest line, in characters (code points).  A row
** whose cells take several lines gets a rule (a blank line in column mode)
** between it and the next, in every row of the result.  Header names keep
** their first line only.  A result without rows prints nothing.
**
** `.width` fixes a column's width instead: its cells wrap at that many
** characters and the column is never narrower; a negative width aligns the
** cells (and in column mode the name) to the right.
*/
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "shell_int.h"

#define TAB_STOP 8
#define NO_WRAP 1000000

/* One display line of a cell. */
typedef struct Cell {
  char *z;
  size_t width;
} Cell;

/* The result laid out: rows of ncol display lines; row_ends[r] is set on the
** last display row of each result row. */
typedef struct Grid {
  int ncol;
  Cell *cells; /* nrow * ncol */
  char *row_ends;
  size_t nrow, cap;
  size_t *widths;
  int multiline;
  int oom;
} Grid;

static int is_cont(unsigned char c) { return (c & 0xc0) == 0x80; }

/* Cuts the first display line off *pz: returns it (malloc'd, tabs expanded)
** and leaves in *pz the rest, or NULL when nothing is left. */
static char *cut_line(const unsigned char **pz, int max, int wordwrap) {
  const unsigned char *z = *pz;
  int used = 0;
  size_t i = 0, out = 0;
  if (max <= 0) max = NO_WRAP;
  while (used < max) {
    if (z[i] >= ' ') {
      used++;
      out++;
      for (i++; is_cont(z[i]); i++) out++;
    } else if (z[i] == '\t') {
      do {
        used++;
        out++;
      } while (used % TAB_STOP != 0 && used < max);
      i++;
    } else {
      break;
    }
  }
  size_t keep = i; /* bytes of z shown on this line */
  if (used >= max && wordwrap) {
    size_t k = i;
    while (k > i / 2 && !isspace(z[k - 1])) k--;
    if (k <= i / 2) {
      for (k = i; k > i / 2; k--) {
        if ((isalnum(z[k - 1]) != 0) != (isalnum(z[k]) != 0) && !is_cont(z[k])) break;
      }
    }
    if (k > i / 2) {
      keep = k;
      i = k;
      while (z[i] == ' ') i++;
    }
  }
  if (used >= max && z[i] >= ' ') *pz = z + i;
  else if (z[i] == '\r' && z[i + 1] == '\n') *pz = z[i + 2] ? z + i + 2 : NULL;
  else if (z[i] == 0 || z[i + 1] == 0) *pz = NULL;
  else *pz = z + i + 1;
  char *line = malloc(out + 1);
  if (!line) return NULL;
  size_t j = 0;
  used = 0;
  for (size_t p = 0; p < keep;) {
    if (z[p] == '\t') {
      do {
        used++;
        line[j++] = ' ';
      } while (used % TAB_STOP != 0 && used < max);
      p++;
    } else {
      used++;
      do line[j++] = (char)z[p++];
      while (p < keep && is_cont(z[p]));
    }
  }
  line[j] = 0;
  return line;
}

static Cell *grid_add_row(Grid *g) {
  if (g->nrow == g->cap) {
    size_t cap = g->cap ? g->cap * 2 : 16;
    Cell *cells = realloc(g->cells, cap * (size_t)g->ncol * sizeof(Cell));
    if (!cells) return NULL;
    g->cells = cells;
    char *ends = realloc(g->row_ends, cap);
    if (!ends) return NULL;
    g->row_ends = ends;
    g->cap = cap;
  }
  Cell *row = g->cells + g->nrow * (size_t)g->ncol;
  memset(row, 0, (size_t)g->ncol * sizeof(Cell));
  g->row_ends[g->nrow++] = 0;
  return row;
}

static int set_cell(Grid *g, Cell *c, int col, char *line) {
  if (!line) return 1;
  c->z = line;
  c->width = shell_text_width(line, strlen(line));
  if (c->width > g->widths[col]) g->widths[col] = c->width;
  return 0;
}

/* .width of column col: 0 when it is sized by its content. */
static int width_set(const Shell *sh, int col) {
  return col < sh->ncol_widths ? sh->col_widths[col] : 0;
}

/* Where column col's lines are cut. */
static int wrap_at(const Shell *sh, int col) {
  int w = width_set(sh, col);
  return w ? abs(w) : sh->wrap;
}

/* Adds the display lines of one result row, texts[0..ncol). */
static int grid_add(Grid *g, Shell *sh, char **texts) {
  size_t ncol = g->ncol > 0 ? (size_t)g->ncol : 0;
  const unsigned char **rest = calloc(ncol + 1, sizeof(*rest));
  if (!rest) return 1;
  for (int i = 0; i < g->ncol; i++) rest[i] = (const unsigned char *)texts[i];
  int more = 1, lines = 0, failed = 0;
  while (more && !failed) {
    Cell *row = grid_add_row(g);
    if (!row) {
      failed = 1;
      break;
    }
    more = 0;
    for (int i = 0; i < g->ncol; i++) {
      const unsigned char *z = rest[i] ? rest[i] : (const unsigned char *)"";
      rest[i] = z;
      failed |= set_cell(g, &row[i], i, cut_line(&rest[i], wrap_at(sh, i), sh->wordwrap));
      if (rest[i]) more = 1;
    }
    lines++;
  }
  free(rest);
  if (lines > 1) g->multiline = 1;
  if (g->nrow) g->row_ends[g->nrow - 1] = 1;
  return failed;
}

/* The text a cell shows before it is cut into lines (malloc'd). */
static char *cell_text(Shell *sh, lode_stmt *stmt, int col) {
  ShellBuf b = {0};
  int type = lode_column_type(stmt, col);
  if (sh->quote_cells) shell_append_sql_value(&b, stmt, col, SHELL_SQL_LIKE_QUOTE_FN);
  else if (type == LODE_NULL) shell_buf_appendz(&b, sh->nullvalue);
  else shell_buf_appendz(&b, shell_column_text(stmt, col));
  if (!b.z && !b.oom) shell_buf_append(&b, "", 0);
  if (b.oom) {
    shell_buf_free(&b);
    return NULL;
  }
  return b.z;
}

static int add_result_row(Grid *g, Shell *sh, lode_stmt *stmt, char **texts) {
  int failed = 0;
  for (int i = 0; i < g->ncol; i++) {
    texts[i] = cell_text(sh, stmt, i);
    if (!texts[i]) failed = 1;
  }
  if (!failed) failed = grid_add(g, sh, texts);
  for (int i = 0; i < g->ncol; i++) {
    free(texts[i]);
    texts[i] = NULL;
  }
  return failed;
}

/* Row 0 of the grid: the names, first display line only. */
static int add_names(Grid *g, Shell *sh, lode_stmt *stmt) {
  Cell *row = grid_add_row(g);
  if (!row) return 1;
  g->row_ends[0] = 1;
  for (int i = 0; i < g->ncol; i++) {
    g->widths[i] = (size_t)abs(width_set(sh, i));
    const char *name = lode_column_name(stmt, i);
    const unsigned char *z = (const unsigned char *)(name ? name : "");
    if (set_cell(g, &row[i], i, cut_line(&z, wrap_at(sh, i), sh->wordwrap))) return 1;
  }
  return 0;
}

static void grid_free(Grid *g) {
  for (size_t i = 0; i < g->nrow * (size_t)g->ncol; i++) free(g->cells[i].z);
  free(g->cells);
  free(g->row_ends);
  free(g->widths);
}

/* ---- printing ------------------------------------------------------------------- */

static void put_n(ShellBuf *b, const char *piece, size_t n) {
  for (size_t i = 0; i < n; i++) shell_buf_appendz(b, piece);
}

/* left: the rule's left end, mid: between columns, right: its end; piece:
** the horizontal stroke, repeated over each column's width plus 2. */
static void rule(ShellBuf *b, const Grid *g, const char *left, const char *mid, const char *right, const char *piece) {
  shell_buf_appendz(b, left);
  for (int i = 0; i < g->ncol; i++) {
    if (i) shell_buf_appendz(b, mid);
    put_n(b, piece, g->widths[i] + 2);
  }
  shell_buf_appendz(b, right);
  shell_buf_append(b, "\n", 1);
}

/* One display row: start, cells padded to their widths joined by sep, end.
** centered: names of the header row; otherwise .width's negative widths
** align to the right. */
static void grid_line(ShellBuf *b, const Shell *sh, const Grid *g, size_t r, const char *start, const char *sep,
                      const char *end, int centered) {
  const Cell *row = g->cells + r * (size_t)g->ncol;
  shell_buf_appendz(b, start);
  for (int i = 0; i < g->ncol; i++) {
    size_t pad = g->widths[i] - row[i].width;
    size_t left = centered ? pad / 2 : width_set(sh, i) < 0 ? pad : 0;
    if (i) shell_buf_appendz(b, sep);
    put_n(b, " ", left);
    shell_buf_appendz(b, row[i].z);
    put_n(b, " ", pad - left);
  }
  shell_buf_appendz(b, end);
  shell_buf_append(b, "\n", 1);
}

static void print_column(ShellBuf *b, Shell *sh, const Grid *g) {
  if (sh->headers) {
    grid_line(b, sh, g, 0, "", "  ", "", 0);
    for (int i = 0; i < g->ncol; i++) {
      if (i) shell_buf_appendz(b, "  ");
      put_n(b, "-", g->widths[i]);
    }
    shell_buf_append(b, "\n", 1);
  }
  for (size_t r = 1; r < g->nrow; r++) {
    grid_line(b, sh, g, r, "", "  ", "", 0);
    if (g->multiline && g->row_ends[r] && r + 1 < g->nrow) shell_buf_append(b, "\n", 1);
  }
}

static void print_framed(ShellBuf *b, Shell *sh, const Grid *g) {
  int box = sh->mode == SHELL_MODE_BOX;
  int md = sh->mode == SHELL_MODE_MARKDOWN;
  const char *v = box ? BOX_V : "|";
  const char *h = box ? BOX_H : "-";
  char start[16], sep[16], end[16];
  snprintf(start, sizeof start, "%s ", v);
  snprintf(sep, sizeof sep, " %s ", v);
  snprintf(end, sizeof end, " %s", v);
  if (box) rule(b, g, BOX_TL, BOX_TM, BOX_TR, h);
  else if (!md) rule(b, g, "+", "+", "+", h);
  grid_line(b, sh, g, 0, start, sep, end, 1);
  if (box) rule(b, g, BOX_ML, BOX_MM, BOX_MR, h);
  else rule(b, g, md ? "|" : "+", md ? "|" : "+", md ? "|" : "+", h);
  for (size_t r = 1; r < g->nrow; r++) {
    grid_line(b, sh, g, r, start, sep, end, 0);
    if (md || !g->multiline || !g->row_ends[r] || r + 1 >= g->nrow) continue;
    if (box) rule(b, g, BOX_ML, BOX_MM, BOX_MR, h);
    else rule(b, g, "+", "+", "+", h);
  }
  if (box) rule(b, g, BOX_BL, BOX_BM, BOX_BR, h);
  else if (!md) rule(b, g, "+", "+", "+", h);
}

/* sqlite3 keeps a .width entry for every column of the widest result shown
** in a columnar mode (0 for those not set), and .show lists them all. */
static int widths_cover(Shell *sh, int ncol) {
  if (ncol <= sh->ncol_widths) return 0;
  int *w = realloc(sh->col_widths, (size_t)ncol * sizeof(int));
  if (!w) return 1;
  for (int i = sh->ncol_widths; i < ncol; i++) w[i] = 0;
  sh->col_widths = w;
  sh->ncol_widths = ncol;
  return 0;
}

int shell_render_columnar(Shell *sh, lode_stmt *stmt) {
  Grid g;
  memset(&g, 0, sizeof g);
  g.ncol = lode_column_count(stmt);
  g.widths = calloc((size_t)g.ncol + 1, sizeof(size_t));
  char **texts = calloc((size_t)g.ncol + 1, sizeof(char *));
  int rc = LODE_NOMEM;
  size_t results = 0;
  if (g.widths && texts && add_names(&g, sh, stmt) == 0) {
    while ((rc = shell_step(stmt)) == LODE_ROW) {
      if (results++ == 0 && widths_cover(sh, g.ncol)) {
        rc = LODE_NOMEM;
        break;
      }
      if (add_result_row(&g, sh, stmt, texts)) {
        rc = LODE_NOMEM;
        break;
      }
    }
  }
  /* Rows read before a failing step are still printed, as sqlite3 does;
  ** the error follows them. */
  if (rc != LODE_NOMEM && results > 0) {
    ShellBuf b = {0};
    if (sh->mode == SHELL_MODE_COLUMN) print_column(&b, sh, &g);
    else print_framed(&b, sh, &g);
    if (b.oom) rc = LODE_NOMEM;
    else shell_write(sh, &b);
    shell_buf_free(&b);
  }
  free(texts);
  grid_free(&g);
  return rc;
}
