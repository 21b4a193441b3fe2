/*
** shell_modes.c — the output modes of sqlite3 that print one row at a time,
** byte for byte as Debian's sqlite3 3.40 prints them:
**
**   list    values joined by the column separator ("|"), each row ended by
**           the row separator ("\n"); NULL as .nullvalue
**   tabs    list with "\t" between values
**   csv     "," and "\r\n"; a value is double-quoted (with "" inside) when it
**           is empty or holds a blank, a control byte, '"', '\'', a byte of
**           0x7f or more, or the column separator; NULL is the bare .nullvalue
**   line    "NAME = VALUE" per column, names right-aligned to the longest
**           name (5 at least, counted in bytes), a blank line between rows
**   json    [{"a":1,"b":"x"},\n{...}]: names and text as JSON strings,
**           blobs as a JSON string of their bytes, reals as "%!.20g"
**   insert  INSERT INTO "table" VALUES(...); with SQL literals (the column
**           names after the table with .headers on)
**   quote   SQL literals joined by the column separator
**   ascii   list with ASCII's unit (0x1f) and record (0x1e) separators
**   html    <TR><TD>value</TD>\n...</TR>\n per row (<TH> for the names),
**           with < > & " ' as entities
**   tcl     each value as a C string literal ("a\"b\n", other bytes
**           outside printable ASCII in octal), joined by " "
**   count   "N rows" (or "1 row") after the last row; nothing without rows
**   off     nothing at all
**
** Text values are printed the way sqlite3 gets them, as C strings: a value
** ends at its first NUL byte (json's blobs excepted).  Headers (.headers on)
** come before the first row only, so a statement without rows prints nothing.
*/
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdlib.h>
#include <string.h>

#include "shell_int.h"

#define LINE_MIN_NAME_WIDTH 5

/* The value of a column as sqlite3's row callback sees it (NULL stays NULL). */
static const char *cell_text(lode_stmt *stmt, int col) {
  if (lode_column_type(stmt, col) == LODE_NULL) return NULL;
  const char *z = shell_column_text(stmt, col);
  return z ? z : "";
}

static const char *name_of(lode_stmt *stmt, int col) {
  const char *z = lode_column_name(stmt, col);
  return z ? z : "";
}

static int csv_needs_quotes(const Shell *sh, const char *z) {
  if (!*z) return 1;
  for (const unsigned char *p = (const unsigned char *)z; *p; p++) {
    if (*p <= ' ' || *p == '"' || *p == '\'' || *p >= 0x7f) return 1;
  }
  return sh->colsep[0] && strstr(z, sh->colsep) != NULL;
}

static void append_csv(const Shell *sh, ShellBuf *b, const char *z) {
  if (!z) {
    shell_buf_appendz(b, sh->nullvalue);
    return;
  }
  if (!csv_needs_quotes(sh, z)) {
    shell_buf_appendz(b, z);
    return;
  }
  shell_buf_append(b, "\"", 1);
  for (const char *p = z; *p; p++) {
    shell_buf_append(b, p, 1);
    if (*p == '"') shell_buf_append(b, "\"", 1);
  }
  shell_buf_append(b, "\"", 1);
}

/* A C string literal of z, as in Tcl: "...", with \\ \" \t \n \r and any
** other byte outside printable ASCII in octal (\303\251 for é). */
void shell_append_c_string(ShellBuf *b, const char *z) {
  shell_buf_append(b, "\"", 1);
  for (const unsigned char *p = (const unsigned char *)z; *p; p++) {
    unsigned char c = *p;
    if (c == '\\' || c == '"') shell_buf_printf(b, "\\%c", c);
    else if (c == '\t') shell_buf_appendz(b, "\\t");
    else if (c == '\n') shell_buf_appendz(b, "\\n");
    else if (c == '\r') shell_buf_appendz(b, "\\r");
    else if (c < ' ' || c > '~') shell_buf_printf(b, "\\%03o", c);
    else shell_buf_append(b, (const char *)p, 1);
  }
  shell_buf_append(b, "\"", 1);
}

/* z with HTML's five special characters as entities. */
static void append_html(ShellBuf *b, const char *z) {
  for (const char *p = z; *p; p++) {
    switch (*p) {
    case '<': shell_buf_appendz(b, "&lt;"); break;
    case '>': shell_buf_appendz(b, "&gt;"); break;
    case '&': shell_buf_appendz(b, "&amp;"); break;
    case '"': shell_buf_appendz(b, "&quot;"); break;
    case '\'': shell_buf_appendz(b, "&#39;"); break;
    default: shell_buf_append(b, p, 1); break;
    }
  }
}

/* One <TR> of <TH> names (header) or <TD> values, a cell per line. */
static void html_row(Shell *sh, ShellBuf *b, lode_stmt *stmt, int ncol, int header) {
  const char *tag = header ? "TH>" : "TD>";
  shell_buf_appendz(b, "<TR>");
  for (int i = 0; i < ncol; i++) {
    const char *z = header ? name_of(stmt, i) : cell_text(stmt, i);
    shell_buf_printf(b, "<%s", tag);
    append_html(b, z ? z : sh->nullvalue);
    shell_buf_printf(b, "</%s\n", tag);
  }
  shell_buf_appendz(b, "</TR>\n");
}

static void header_row(Shell *sh, ShellBuf *b, lode_stmt *stmt, int ncol) {
  for (int i = 0; i < ncol; i++) {
    if (i) shell_buf_appendz(b, sh->colsep);
    const char *name = name_of(stmt, i);
    if (sh->mode == SHELL_MODE_CSV) append_csv(sh, b, name);
    else if (sh->mode == SHELL_MODE_QUOTE) shell_append_sql_string(b, name, 0);
    else if (sh->mode == SHELL_MODE_TCL) shell_append_c_string(b, name);
    else shell_buf_appendz(b, name);
  }
  shell_buf_appendz(b, sh->rowsep);
}

static void separated_row(Shell *sh, ShellBuf *b, lode_stmt *stmt, int ncol) {
  for (int i = 0; i < ncol; i++) {
    if (i) shell_buf_appendz(b, sh->colsep);
    if (sh->mode == SHELL_MODE_QUOTE) {
      shell_append_sql_value(b, stmt, i, SHELL_SQL_INF_AS_WORD);
    } else if (sh->mode == SHELL_MODE_CSV) {
      append_csv(sh, b, cell_text(stmt, i));
    } else if (sh->mode == SHELL_MODE_TCL) {
      const char *z = cell_text(stmt, i);
      shell_append_c_string(b, z ? z : sh->nullvalue);
    } else {
      const char *z = cell_text(stmt, i);
      shell_buf_appendz(b, z ? z : sh->nullvalue);
    }
  }
  shell_buf_appendz(b, sh->rowsep);
}

static void line_row(Shell *sh, ShellBuf *b, lode_stmt *stmt, int ncol, long nrow) {
  int width = LINE_MIN_NAME_WIDTH;
  for (int i = 0; i < ncol; i++) {
    int n = (int)strlen(name_of(stmt, i));
    if (n > width) width = n;
  }
  if (nrow > 0) shell_buf_appendz(b, sh->rowsep);
  for (int i = 0; i < ncol; i++) {
    const char *z = cell_text(stmt, i);
    shell_buf_printf(b, "%*s = ", width, name_of(stmt, i));
    shell_buf_appendz(b, z ? z : sh->nullvalue);
    shell_buf_appendz(b, sh->rowsep);
  }
}

static void json_row(ShellBuf *b, lode_stmt *stmt, int ncol, long nrow) {
  shell_buf_appendz(b, nrow == 0 ? "[{" : ",\n{");
  for (int i = 0; i < ncol; i++) {
    if (i) shell_buf_append(b, ",", 1);
    shell_append_json_string(b, name_of(stmt, i), -1);
    shell_buf_append(b, ":", 1);
    shell_append_json_value(b, stmt, i, 0);
  }
  shell_buf_append(b, "}", 1);
}

static void insert_row(Shell *sh, ShellBuf *b, lode_stmt *stmt, int ncol) {
  shell_buf_appendz(b, "INSERT INTO ");
  shell_append_identifier(b, sh->insert_table ? sh->insert_table : "table");
  if (sh->headers) {
    shell_buf_append(b, "(", 1);
    for (int i = 0; i < ncol; i++) {
      if (i) shell_buf_append(b, ",", 1);
      shell_append_identifier(b, name_of(stmt, i));
    }
    shell_buf_append(b, ")", 1);
  }
  shell_buf_appendz(b, " VALUES(");
  for (int i = 0; i < ncol; i++) {
    if (i) shell_buf_append(b, ",", 1);
    shell_append_sql_value(b, stmt, i, SHELL_SQL_ESCAPE_NEWLINES | SHELL_SQL_WHOLE_REALS);
  }
  shell_buf_appendz(b, ");\n");
}

static void format_row(Shell *sh, ShellBuf *b, lode_stmt *stmt, long nrow) {
  int ncol = lode_column_count(stmt);
  switch (sh->mode) {
  case SHELL_MODE_LINE: line_row(sh, b, stmt, ncol, nrow); break;
  case SHELL_MODE_JSON: json_row(b, stmt, ncol, nrow); break;
  case SHELL_MODE_INSERT: insert_row(sh, b, stmt, ncol); break;
  case SHELL_MODE_HTML:
    if (nrow == 0 && sh->headers) html_row(sh, b, stmt, ncol, 1);
    html_row(sh, b, stmt, ncol, 0);
    break;
  case SHELL_MODE_ROWCOUNT:
  case SHELL_MODE_OFF: break;
  default:
    /* A row of no columns (PRAGMA incremental_vacuum's) prints nothing, as
    ** sqlite3's row separator comes after a last column. */
    if (ncol == 0) break;
    if (nrow == 0 && sh->headers) header_row(sh, b, stmt, ncol);
    separated_row(sh, b, stmt, ncol);
    break;
  }
}

int shell_render_rows(Shell *sh, lode_stmt *stmt) {
  ShellBuf b = {0};
  long nrow = 0;
  int rc;
  while ((rc = shell_step(stmt)) == LODE_ROW) {
    b.n = 0;
    format_row(sh, &b, stmt, nrow++);
    if (b.oom) {
      rc = LODE_NOMEM;
      break;
    }
    shell_write(sh, &b);
  }
  if (sh->mode == SHELL_MODE_JSON && nrow > 0) fputs("]\n", sh->out);
  if (sh->mode == SHELL_MODE_ROWCOUNT && nrow > 0) fprintf(sh->out, "%ld row%s\n", nrow, nrow == 1 ? "" : "s");
  shell_buf_free(&b);
  return rc;
}
