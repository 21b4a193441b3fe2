/*
** shell_import.c — `.import [--csv|--ascii] [--skip N] FILE TABLE`: loads
** delimited rows into a table, as sqlite3 does.
**
** The separators: with --csv ',' and "\n"; with --ascii 0x1f and 0x1e;
** otherwise those of the output mode (.separator), one character each ("\r\n"
** of csv mode reads as "\n") — except that list and pretty mode with their
** own separators read CSV, as the Turso manual's .import does (sqlite3 would
** split at '|').  CSV reading (all but --ascii and ascii mode):
** a field in double quotes may hold separators, newlines and "" for a quote;
** a "\r" before a "\n" row end is dropped.  ASCII reading has no quoting.
** Every field is inserted as text (the column's affinity then applies); an
** empty field is the empty string.
**
** When TABLE does not exist, the first row names its columns and the table
** is created as sqlite3 creates it, CREATE TABLE "t"(\n"a" TEXT, "b" TEXT).
** A row with too few fields is filled with NULLs, one with too many is cut,
** each with a warning naming the file and line.  All rows go in one
** transaction: a row that fails stops the import and nothing of it stays.
*/
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdlib.h>
#include <string.h>

#include "shell_int.h"

typedef struct CsvReader {
  FILE *in;
  const char *name;
  int sep;
  int rowsep;
  int ascii;    /* no quoting */
  int line;     /* line of the next character */
  int row_line; /* line on which the last row started */
  ShellBuf field;
  char **fields;
  int nfield, cap;
  int oom;
} CsvReader;

static void add_field(CsvReader *r) {
  if (r->nfield == r->cap) {
    int cap = r->cap ? r->cap * 2 : 8;
    char **p = realloc(r->fields, (size_t)cap * sizeof(char *));
    if (!p) {
      r->oom = 1;
      return;
    }
    r->fields = p;
    r->cap = cap;
  }
  char *z = malloc(r->field.n + 1);
  if (!z) {
    r->oom = 1;
    return;
  }
  if (r->field.n) memcpy(z, r->field.z, r->field.n);
  z[r->field.n] = 0;
  r->fields[r->nfield++] = z;
  r->field.n = 0;
}

static void clear_fields(CsvReader *r) {
  for (int i = 0; i < r->nfield; i++) free(r->fields[i]);
  r->nfield = 0;
}

static int next_char(CsvReader *r) {
  int c = getc(r->in);
  if (c == '\n') r->line++;
  return c;
}

/* Reads one row into r->fields.  Returns 1, or 0 at the end of the input. */
static int read_row(CsvReader *r) {
  clear_fields(r);
  r->field.n = 0;
  r->row_line = r->line;
  int c = next_char(r);
  if (c == EOF) return 0;
  if (r->ascii) {
    for (;; c = next_char(r)) {
      if (c == r->sep) {
        add_field(r);
      } else if (c == r->rowsep || c == EOF) {
        add_field(r);
        return 1;
      } else {
        char ch = (char)c;
        shell_buf_append(&r->field, &ch, 1);
      }
    }
  }
  int quoted = 0, in_quotes = 0;
  for (;; c = next_char(r)) {
    if (in_quotes) {
      if (c == EOF) break;
      if (c == '"') {
        int d = next_char(r);
        if (d == '"') {
          shell_buf_append(&r->field, "\"", 1);
          continue;
        }
        in_quotes = 0;
        c = d;
      } else {
        char ch = (char)c;
        shell_buf_append(&r->field, &ch, 1);
        continue;
      }
    }
    if (c == '"' && r->field.n == 0 && !quoted) {
      quoted = in_quotes = 1;
    } else if (c == r->sep) {
      add_field(r);
      quoted = 0;
    } else if (c == r->rowsep || c == EOF) {
      if (!quoted && r->rowsep == '\n' && r->field.n && r->field.z[r->field.n - 1] == '\r') r->field.n--;
      add_field(r);
      return 1;
    } else if (!(c == '\r' && quoted)) {
      char ch = (char)c;
      shell_buf_append(&r->field, &ch, 1);
    }
  }
  add_field(r);
  return 1;
}

/* Creates the table from the names of the first row. */
static int create_table(Shell *sh, const char *table, CsvReader *r) {
  ShellBuf sql = {0};
  shell_buf_appendz(&sql, "CREATE TABLE ");
  shell_append_quoted(&sql, table);
  shell_buf_appendz(&sql, "(\n");
  for (int i = 0; i < r->nfield; i++) {
    if (i) shell_buf_appendz(&sql, ", ");
    shell_append_quoted(&sql, r->fields[i]);
    shell_buf_appendz(&sql, " TEXT");
  }
  shell_buf_append(&sql, ")", 1);
  char *err = NULL;
  int rc = sql.oom ? LODE_NOMEM : lode_exec(sh->db, sql.z, &err);
  if (rc != LODE_OK) shell_error(sh, "Error: %s", err ? err : "out of memory");
  lode_free(err);
  shell_buf_free(&sql);
  return rc != LODE_OK;
}

/* The table's column count, or -1 when there is no such table. */
static int table_columns(Shell *sh, const char *table) {
  ShellBuf sql = {0};
  lode_stmt *stmt = NULL;
  shell_buf_appendz(&sql, "SELECT * FROM ");
  shell_append_identifier(&sql, table);
  int n = -1;
  if (!sql.oom && lode_prepare(sh->db, sql.z, -1, &stmt, NULL) == LODE_OK && stmt) n = lode_column_count(stmt);
  lode_finalize(stmt);
  shell_buf_free(&sql);
  return n;
}

static lode_stmt *prepare_insert(Shell *sh, const char *table, int ncol) {
  ShellBuf sql = {0};
  lode_stmt *stmt = NULL;
  shell_buf_appendz(&sql, "INSERT INTO ");
  shell_append_identifier(&sql, table);
  shell_buf_appendz(&sql, " VALUES(");
  for (int i = 0; i < ncol; i++) shell_buf_appendz(&sql, i ? ",?" : "?");
  shell_buf_append(&sql, ")", 1);
  if (sql.oom || lode_prepare(sh->db, sql.z, -1, &stmt, NULL) != LODE_OK) {
    shell_error(sh, "Error: %s", sql.oom ? "out of memory" : lode_errmsg(sh->db));
    stmt = NULL;
  }
  shell_buf_free(&sql);
  return stmt;
}

static int insert_row(Shell *sh, lode_stmt *ins, CsvReader *r, int ncol) {
  if (r->nfield < ncol) {
    fprintf(sh->err, "%s:%d: expected %d columns but found %d - filling the rest with NULL\n", r->name,
            r->row_line, ncol, r->nfield);
  } else if (r->nfield > ncol) {
    fprintf(sh->err, "%s:%d: expected %d columns but found %d - extras ignored\n", r->name, r->row_line, ncol,
            r->nfield);
  }
  for (int i = 0; i < ncol; i++) {
    if (i < r->nfield) lode_bind_text(ins, i + 1, r->fields[i], -1, LODE_TRANSIENT);
    else lode_bind_null(ins, i + 1);
  }
  int rc = lode_step(ins);
  if (rc != LODE_DONE) shell_error(sh, "%s:%d: INSERT failed: %s", r->name, r->row_line, lode_errmsg(sh->db));
  lode_reset(ins);
  return rc != LODE_DONE;
}

static int import_rows(Shell *sh, const char *table, CsvReader *r, int skip) {
  for (int i = 0; i < skip; i++) {
    if (!read_row(r)) return 0;
  }
  int ncol = table_columns(sh, table);
  if (ncol < 0) {
    if (!read_row(r)) return 0;
    if (r->oom || create_table(sh, table, r)) return 1;
    ncol = r->nfield;
  }
  lode_stmt *ins = prepare_insert(sh, table, ncol);
  if (!ins) return 1;
  int failed = lode_exec(sh->db, "BEGIN", NULL) != LODE_OK;
  while (!failed && read_row(r) && !r->oom) failed = insert_row(sh, ins, r, ncol);
  lode_finalize(ins);
  if (r->oom) failed = 1;
  lode_exec(sh->db, failed ? "ROLLBACK" : "COMMIT", NULL);
  return failed;
}

static int import_usage(Shell *sh) {
  shell_error(sh, "Usage: .import [--csv|--ascii] [--skip N] FILE TABLE");
  return 1;
}

/* The separators of the output mode, as .import without --csv/--ascii uses
** them.  Returns 1 after saying why they cannot be used. */
static int mode_separators(Shell *sh, CsvReader *r) {
  if (!sh->separator_set && (sh->mode == SHELL_MODE_LIST || sh->mode == SHELL_MODE_PRETTY)) {
    r->sep = ',';
    r->rowsep = '\n';
    return 0;
  }
  const char *row = sh->rowsep;
  if (sh->mode == SHELL_MODE_CSV && strcmp(row, "\r\n") == 0) row = "\n";
  if (!sh->colsep[0]) shell_error(sh, "Error: non-null column separator required for import");
  else if (sh->colsep[1]) shell_error(sh, "Error: multi-character column separators not allowed for import");
  else if (!row[0]) shell_error(sh, "Error: non-null row separator required for import");
  else if (row[1]) shell_error(sh, "Error: multi-character row separators not allowed for import");
  else {
    r->sep = (unsigned char)sh->colsep[0];
    r->rowsep = (unsigned char)row[0];
    r->ascii = sh->mode == SHELL_MODE_ASCII;
    return 0;
  }
  return 1;
}

int shell_dot_import(Shell *sh, ShellArgs *a) {
  const char *file = NULL, *table = NULL;
  int skip = 0, format = 0; /* 'c' --csv, 'a' --ascii */
  for (int i = 1; i < a->argc; i++) {
    const char *z = a->argv[i];
    if (strcmp(z, "--csv") == 0 || strcmp(z, "-csv") == 0) format = 'c';
    else if (strcmp(z, "--ascii") == 0 || strcmp(z, "-ascii") == 0) format = 'a';
    else if ((strcmp(z, "--skip") == 0 || strcmp(z, "-skip") == 0) && i + 1 < a->argc) skip = atoi(a->argv[++i]);
    else if (z[0] == '-' && z[1]) return import_usage(sh);
    else if (!file) file = z;
    else if (!table) table = z;
    else return import_usage(sh);
  }
  if (!file || !table) return import_usage(sh);
  CsvReader r;
  memset(&r, 0, sizeof r);
  if (format == 'c') {
    r.sep = ',';
    r.rowsep = '\n';
  } else if (format == 'a') {
    r.sep = 0x1f;
    r.rowsep = 0x1e;
    r.ascii = 1;
  } else if (mode_separators(sh, &r)) {
    return 1;
  }
  /* "|CMD": the rows are what the command prints, as in sqlite3 */
  int pipe = file[0] == '|';
  r.in = pipe ? popen(file + 1, "r") : fopen(file, "r");
  if (!r.in) {
    shell_error(sh, "Error: cannot open \"%s\"", file);
    return 1;
  }
  r.name = file;
  r.line = 1;
  int failed = import_rows(sh, table, &r, skip);
  if (r.oom) shell_error(sh, "Error: out of memory");
  clear_fields(&r);
  free(r.fields);
  shell_buf_free(&r.field);
  if (pipe) pclose(r.in);
  else fclose(r.in);
  return failed;
}
