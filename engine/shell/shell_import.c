/*
** shell_import.c — `.import ?OPTIONS? FILE TABLE`: loads delimited rows into
** a table, as sqlite3 3.40 does.  Options: --csv, --ascii, --skip N (the
** first N rows are not imported), --schema S (the table is S.TABLE) and -v
** (say what was created and how many rows went in); one dash or two.
**
** The separators: with --csv ',' and "\n"; with --ascii 0x1f and 0x1e;
** otherwise those of the output mode (.separator), one character each ("\r\n"
** of csv mode reads as "\n"): list mode splits at '|' as sqlite3 does.  Pretty
** mode (Lode's terminal default) with its own separators reads CSV, as the
** Turso manual's .import does.  CSV reading (all but --ascii and ascii mode):
** a field in double quotes may hold separators, newlines and "" for a quote;
** a "\r" before a "\n" row end is dropped.  ASCII reading has no quoting.  A
** UTF-8 byte-order mark at the start of the file is skipped.  Every field is
** inserted as text (the column's affinity then applies); an empty field is
** the empty string.
**
** When TABLE does not exist, the first row names its columns and the table
** is created as sqlite3 creates it, CREATE TABLE "t"(\n"a" TEXT, "b" TEXT)
** with a line break after every fourth column; an empty name becomes "?",
** and names that occur more than once (in any case) get "_" and their
** position, zero-padded to as many digits as keep every name distinct.  A
** row with too few fields is filled with NULLs, one with too many is cut,
** each with a warning naming the file and line.  All rows go in one
** transaction: a row that fails stops the import and nothing of it stays
** (sqlite3 would go on with the next row).
*/
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
  unsigned char pend[3]; /* bytes read ahead at the start (skip_bom) */
  int npend, ipend;
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
  int c = r->ipend < r->npend ? r->pend[r->ipend++] : getc(r->in);
  if (c == '\n') r->line++;
  return c;
}

/* Skips a UTF-8 byte-order mark at the start of the input; other bytes read
** to look for it are kept for next_char. */
static void skip_bom(CsvReader *r) {
  static const unsigned char bom[3] = {0xef, 0xbb, 0xbf};
  int c;
  while (r->npend < 3 && (c = getc(r->in)) != EOF) {
    r->pend[r->npend++] = (unsigned char)c;
    if (c != bom[r->npend - 1]) return;
  }
  if (r->npend == 3) r->npend = 0;
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

/* The options of one .import. */
typedef struct ImportOptions {
  const char *file, *table, *schema;
  int skip;
  int verbose;
} ImportOptions;

/* "S."TABLE" or "TABLE" as sqlite3 writes the target of its CREATE. */
static void append_target(ShellBuf *b, const ImportOptions *o) {
  if (o->schema) {
    shell_append_quoted(b, o->schema);
    shell_buf_append(b, ".", 1);
  }
  shell_append_quoted(b, o->table);
}

/* Whether names[i] equals another of the n names, ignoring ASCII case. */
static int is_duplicate(char **names, int n, int i) {
  for (int j = 0; j < n; j++)
    if (j != i && strcasecmp(names[i], names[j]) == 0) return 1;
  return 0;
}

/* Renames the header's empty and repeated names, as sqlite3 does: "" is
** "?"; each name that occurs more than once becomes NAME_POS (POS from 1)
** with POS zero-padded to the fewest digits that leave no two names equal.
** Reports each rename on stderr.  Returns 1 when out of memory. */
static int rename_columns(Shell *sh, CsvReader *r, const char *file) {
  int n = r->nfield, width = 1, *dup = calloc((size_t)n + 1, sizeof(int));
  char **names = calloc((size_t)n + 1, sizeof(char *));
  int failed = !dup || !names, any = 0;
  for (int i = 0; !failed && i < n; i++) {
    if (!r->fields[i][0]) {
      char *q = strdup("?");
      if (!q) failed = 1;
      else free(r->fields[i]), r->fields[i] = q;
    }
  }
  for (int i = 0; !failed && i < n; i++) any |= dup[i] = is_duplicate(r->fields, n, i);
  while (!failed && any) {
    int clash = 0;
    for (int i = 0; !failed && i < n; i++) {
      free(names[i]);
      names[i] = NULL;
      size_t len = strlen(r->fields[i]) + 16 + (size_t)width;
      if (!(names[i] = malloc(len))) failed = 1;
      else if (dup[i]) {
        char pos[16];
        int digits = snprintf(pos, sizeof pos, "%d", i + 1);
        snprintf(names[i], len, "%s_%.*s%s", r->fields[i], width > digits ? width - digits : 0,
                 "000000000000000", pos);
      } else {
        snprintf(names[i], len, "%s", r->fields[i]);
      }
    }
    for (int i = 0; !failed && i < n && !clash; i++) clash = is_duplicate(names, n, i);
    if (failed || !clash) break;
    width++;
  }
  if (!failed && any) {
    fflush(sh->out);
    fprintf(sh->err, "Columns renamed during .import %s due to duplicates:\n", file);
    int left = 0;
    for (int i = 0; i < n; i++) left += dup[i];
    for (int i = 0; i < n; i++) {
      if (!dup[i]) continue;
      fprintf(sh->err, "\"%s\" to \"%s\"%s\n", r->fields[i], names[i], --left ? "," : "");
      free(r->fields[i]);
      r->fields[i] = names[i];
      names[i] = NULL;
    }
  }
  for (int i = 0; names && i < n; i++) free(names[i]);
  free(names);
  free(dup);
  return failed;
}

/* Creates the table from the names of the first row. */
static int create_table(Shell *sh, const ImportOptions *o, CsvReader *r) {
  if (rename_columns(sh, r, o->file)) return 1;
  ShellBuf sql = {0};
  shell_buf_appendz(&sql, "CREATE TABLE ");
  append_target(&sql, o);
  shell_buf_appendz(&sql, "(\n");
  for (int i = 0; i < r->nfield; i++) {
    if (i) shell_buf_appendz(&sql, i % 4 == 0 ? ",\n " : ", ");
    shell_append_quoted(&sql, r->fields[i]);
    shell_buf_appendz(&sql, " TEXT");
  }
  shell_buf_appendz(&sql, ")\n");
  char *err = NULL;
  int rc = sql.oom ? LODE_NOMEM : lode_exec(sh->db, sql.z, &err);
  if (rc == LODE_OK && o->verbose) fprintf(sh->out, "%s\n", sql.z);
  if (rc != LODE_OK) shell_error(sh, "%s failed:\n%s", sql.oom ? "CREATE TABLE" : sql.z, err ? err : "out of memory");
  lode_free(err);
  shell_buf_free(&sql);
  return rc != LODE_OK;
}

/* "S.TABLE" or "TABLE", each quoted where it must be. */
static void append_table(ShellBuf *b, const ImportOptions *o) {
  if (o->schema) {
    shell_append_identifier(b, o->schema);
    shell_buf_append(b, ".", 1);
  }
  shell_append_identifier(b, o->table);
}

/* The table's column count, or -1 when there is no such table. */
static int table_columns(Shell *sh, const ImportOptions *o) {
  ShellBuf sql = {0};
  lode_stmt *stmt = NULL;
  shell_buf_appendz(&sql, "SELECT * FROM ");
  append_table(&sql, o);
  int n = -1;
  if (!sql.oom && lode_prepare(sh->db, sql.z, -1, &stmt, NULL) == LODE_OK && stmt) n = lode_column_count(stmt);
  lode_finalize(stmt);
  shell_buf_free(&sql);
  return n;
}

static lode_stmt *prepare_insert(Shell *sh, const ImportOptions *o, int ncol) {
  ShellBuf sql = {0};
  lode_stmt *stmt = NULL;
  shell_buf_appendz(&sql, "INSERT INTO ");
  append_table(&sql, o);
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

static int import_rows(Shell *sh, const ImportOptions *o, CsvReader *r) {
  for (int i = 0; i < o->skip; i++) {
    if (!read_row(r)) return 0;
  }
  int ncol = table_columns(sh, o);
  if (ncol < 0) {
    if (!read_row(r)) return 0;
    if (r->oom || create_table(sh, o, r)) return 1;
    ncol = r->nfield;
  }
  lode_stmt *ins = prepare_insert(sh, o, ncol);
  if (!ins) return 1;
  int failed = lode_exec(sh->db, "BEGIN", NULL) != LODE_OK, rows = 0;
  while (!failed && read_row(r) && !r->oom) {
    failed = insert_row(sh, ins, r, ncol);
    rows += !failed;
  }
  lode_finalize(ins);
  if (r->oom) failed = 1;
  lode_exec(sh->db, failed ? "ROLLBACK" : "COMMIT", NULL);
  if (o->verbose && !failed)
    fprintf(sh->out, "Added %d rows with %d errors using %d lines of input\n", rows, 0, r->line - 1);
  return failed;
}

/* sqlite3 prints these on its output, followed by the command's help. */
static int import_usage(Shell *sh, const char *fmt, const char *arg) {
  fprintf(sh->out, fmt, arg);
  fputs(".import FILE TABLE       Load the rows of FILE into TABLE\n"
        "   Options:\n"
        "     --ascii               Fields end at 0x1F, rows at 0x1E (no quoting)\n"
        "     --csv                 Fields end at ',', rows at newlines (CSV quoting)\n"
        "     --skip N              Leave out the first N rows of FILE\n"
        "     --schema S            The table is S.TABLE\n"
        "     -v                    Report the table created and the rows added\n"
        "   A TABLE that does not exist is created, named by the first row.  Without\n"
        "   --csv or --ascii the separators are those of the output mode.  FILE\n"
        "   \"|COMMAND\" reads what COMMAND prints.\n",
        sh->out);
  sh->had_error = 1;
  sh->error_count++;
  return 1;
}

/* The separators of the output mode, as .import without --csv/--ascii uses
** them.  Returns 1 after saying why they cannot be used. */
static int mode_separators(Shell *sh, CsvReader *r) {
  if (!sh->separator_set && sh->mode == SHELL_MODE_PRETTY) {
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
  ImportOptions o;
  memset(&o, 0, sizeof o);
  int format = 0; /* 'c' --csv, 'a' --ascii */
  for (int i = 1; i < a->argc; i++) {
    const char *z = a->argv[i];
    if (z[0] == '-' && z[1] == '-') z++;
    if (strcmp(z, "-csv") == 0) format = 'c';
    else if (strcmp(z, "-ascii") == 0) format = 'a';
    else if (strcmp(z, "-skip") == 0 && i + 1 < a->argc) o.skip = atoi(a->argv[++i]);
    else if (strcmp(z, "-schema") == 0 && i + 1 < a->argc) o.schema = a->argv[++i];
    else if (strcmp(z, "-v") == 0) o.verbose = 1;
    else if (z[0] == '-' && z[1]) return import_usage(sh, "ERROR: unknown option: \"%s\".  Usage:\n", z);
    else if (!o.file) o.file = z;
    else if (!o.table) o.table = z;
    else return import_usage(sh, "ERROR: extra argument: \"%s\".  Usage:\n", z);
  }
  if (!o.file) return import_usage(sh, "ERROR: missing FILE argument.%s Usage:\n", "");
  if (!o.table) return import_usage(sh, "ERROR: missing TABLE argument.%s Usage:\n", "");
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
  if (o.verbose && !format) {
    ShellBuf b = {0};
    char sep[2] = {(char)r.sep, 0}, row[2] = {(char)r.rowsep, 0};
    shell_buf_appendz(&b, "Column separator ");
    shell_append_c_string(&b, sep);
    shell_buf_appendz(&b, ", row separator ");
    shell_append_c_string(&b, row);
    shell_buf_appendz(&b, "\n");
    if (!b.oom) fputs(b.z, sh->out);
    shell_buf_free(&b);
  }
  /* "|CMD": the rows are what the command prints, as in sqlite3 */
  int pipe = o.file[0] == '|';
  r.in = pipe ? popen(o.file + 1, "r") : fopen(o.file, "r");
  if (!r.in) {
    shell_error(sh, "Error: cannot open \"%s\"", o.file);
    return 1;
  }
  r.name = o.file;
  r.line = 1;
  skip_bom(&r);
  int failed = import_rows(sh, &o, &r);
  if (r.oom) shell_error(sh, "Error: out of memory");
  clear_fields(&r);
  free(r.fields);
  shell_buf_free(&r.field);
  if (pipe) pclose(r.in);
  else fclose(r.in);
  return failed;
}
