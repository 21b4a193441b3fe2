/*
** shell_dot.c — the dot commands of the `lode` shell.
**
**   .help                 list the commands
**   .quit / .exit [CODE]  leave the shell
**   .tables [PATTERN]     table and view names, sorted, laid out in columns
**                         the way sqlite3 does (column-major, 80 characters)
**   .schema [PATTERN]     the CREATE statements of sqlite_schema, each + ';'
**   .mode [pretty|list]   set (or show) the output mode
**   .headers on|off       column-name header line in list mode
**   .eqp on|off           print each statement's query plan before its rows
**   .open [FILENAME]      close the database and open FILENAME (no name:
**                         a new transient in-memory database)
**
** PATTERN is matched like SQL LIKE (case-insensitive, % and _ wildcards).
** The schema is read with one plain SELECT over sqlite_schema and filtered
** and sorted here, so the commands work on an engine with a small SQL
** subset.  Arguments are split at blanks; '...' and "..." quote.
*/
/* getline and strdup are POSIX.1-2008; the Node addon build may not pass
** -D_GNU_SOURCE as the Makefile does. */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "shell_int.h"

#define DOT_MAX_ARGS 8
#define TABLES_LINE_WIDTH 80
#define TABLES_COLUMN_GAP 2
#define SCHEMA_COL_TYPE 0
#define SCHEMA_COL_NAME 1
#define SCHEMA_COL_TBL 2
#define SCHEMA_COL_SQL 3

typedef struct DotArgs {
  char *buf; /* malloc'd copy of the line that argv points into */
  int argc;
  char *argv[DOT_MAX_ARGS];
} DotArgs;

/* Splits line (after its '.') into blank-separated, optionally quoted words. */
static int dot_split(const char *line, DotArgs *a) {
  memset(a, 0, sizeof(*a));
  while (*line == ' ' || *line == '\t') line++;
  a->buf = strdup(line + 1);
  if (!a->buf) return 1;
  char *p = a->buf;
  while (*p && a->argc < DOT_MAX_ARGS) {
    while (isspace((unsigned char)*p)) p++;
    if (!*p) break;
    char quote = (*p == '\'' || *p == '"') ? *p++ : 0;
    a->argv[a->argc++] = p;
    while (*p && (quote ? *p != quote : !isspace((unsigned char)*p))) p++;
    if (*p) *p++ = 0;
  }
  return 0;
}

/* SQL LIKE for patterns of the dot commands: ASCII case-insensitive. */
static int like_match(const char *pat, const char *z) {
  for (; *pat; pat++, z++) {
    if (*pat == '%') {
      while (*pat == '%') pat++;
      if (!*pat) return 1;
      for (; *z; z++) {
        if (like_match(pat, z)) return 1;
      }
      return 0;
    }
    if (!*z) return 0;
    if (*pat != '_' && tolower((unsigned char)*pat) != tolower((unsigned char)*z)) return 0;
  }
  return *z == 0;
}

/* Strips one trailing ';' so that ".schema t;" (as in Turso's manual) works. */
static void strip_semicolon(char *z) {
  size_t n = strlen(z);
  if (n > 0 && z[n - 1] == ';') z[n - 1] = 0;
}

/* ---- reading sqlite_schema ------------------------------------------------ */

typedef struct SchemaRow {
  char *type, *name, *tbl, *sql;
} SchemaRow;

typedef struct SchemaList {
  SchemaRow *rows;
  size_t n, cap;
} SchemaList;

static void schema_free(SchemaList *l) {
  for (size_t i = 0; i < l->n; i++) {
    free(l->rows[i].type);
    free(l->rows[i].name);
    free(l->rows[i].tbl);
    free(l->rows[i].sql);
  }
  free(l->rows);
  memset(l, 0, sizeof(*l));
}

static char *dup_column(lode_stmt *stmt, int col) {
  const unsigned char *z = lode_column_text(stmt, col);
  if (!z) return lode_column_type(stmt, col) == LODE_NULL ? NULL : strdup("");
  return strdup((const char *)z);
}

static int schema_add(SchemaList *l, lode_stmt *stmt) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    SchemaRow *p = realloc(l->rows, cap * sizeof(SchemaRow));
    if (!p) return LODE_NOMEM;
    l->rows = p;
    l->cap = cap;
  }
  SchemaRow *r = &l->rows[l->n++];
  r->type = dup_column(stmt, SCHEMA_COL_TYPE);
  r->name = dup_column(stmt, SCHEMA_COL_NAME);
  r->tbl = dup_column(stmt, SCHEMA_COL_TBL);
  r->sql = dup_column(stmt, SCHEMA_COL_SQL);
  return LODE_OK;
}

/* Reads every row of the schema table in storage (rowid) order.  Returns 0,
** or 1 after printing the error. */
static int schema_read(Shell *sh, SchemaList *l) {
  static const char *const queries[] = {
      "SELECT type, name, tbl_name, sql FROM sqlite_schema",
      "SELECT type, name, tbl_name, sql FROM sqlite_master",
  };
  lode_stmt *stmt = NULL;
  int rc = LODE_ERROR;
  memset(l, 0, sizeof(*l));
  for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]) && rc != LODE_OK; q++) {
    rc = lode_prepare(sh->db, queries[q], -1, &stmt, NULL);
  }
  if (rc != LODE_OK || !stmt) {
    shell_error(sh, "Error: %s", lode_errmsg(sh->db));
    return 1;
  }
  while ((rc = lode_step(stmt)) == LODE_ROW) {
    if (schema_add(l, stmt) != LODE_OK) break;
  }
  if (rc != LODE_DONE) {
    shell_error(sh, "Error: %s", rc == LODE_ROW ? "out of memory" : lode_errmsg(sh->db));
    lode_finalize(stmt);
    schema_free(l);
    return 1;
  }
  lode_finalize(stmt);
  return 0;
}

/* ---- .tables ---------------------------------------------------------------- */

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int is_listed_table(const SchemaRow *r, const char *pattern) {
  if (!r->type || !r->name) return 0;
  if (strcmp(r->type, "table") != 0 && strcmp(r->type, "view") != 0) return 0;
  if (strncmp(r->name, "sqlite_", 7) == 0) return 0;
  return !pattern || like_match(pattern, r->name);
}

/* Column-major layout: as many columns of (longest name + gap) as fit. */
static void print_in_columns(Shell *sh, const char **names, size_t n) {
  size_t width = 0;
  for (size_t i = 0; i < n; i++) {
    if (strlen(names[i]) > width) width = strlen(names[i]);
  }
  size_t ncol = TABLES_LINE_WIDTH / (width + TABLES_COLUMN_GAP);
  if (ncol == 0) ncol = 1;
  size_t nrow = (n + ncol - 1) / ncol;
  for (size_t r = 0; r < nrow; r++) {
    for (size_t i = r; i < n; i += nrow) {
      fprintf(sh->out, "%s%-*s", i == r ? "" : "  ", (int)width, names[i]);
    }
    fputc('\n', sh->out);
  }
}

static int dot_tables(Shell *sh, DotArgs *a) {
  SchemaList l;
  const char *pattern = a->argc > 1 ? a->argv[1] : NULL;
  if (schema_read(sh, &l)) return 1;
  const char **names = malloc((l.n + 1) * sizeof(char *));
  if (!names) {
    schema_free(&l);
    shell_error(sh, "Error: out of memory");
    return 1;
  }
  size_t n = 0;
  for (size_t i = 0; i < l.n; i++) {
    if (is_listed_table(&l.rows[i], pattern)) names[n++] = l.rows[i].name;
  }
  qsort(names, n, sizeof(char *), cmp_names);
  print_in_columns(sh, names, n);
  free(names);
  schema_free(&l);
  return 0;
}

/* ---- .schema ---------------------------------------------------------------- */

static int dot_schema(Shell *sh, DotArgs *a) {
  SchemaList l;
  char *pattern = a->argc > 1 ? a->argv[1] : NULL;
  if (pattern) strip_semicolon(pattern);
  if (schema_read(sh, &l)) return 1;
  for (size_t i = 0; i < l.n; i++) {
    const SchemaRow *r = &l.rows[i];
    if (!r->sql) continue;
    if (pattern && !(r->tbl && like_match(pattern, r->tbl)) &&
        !(r->name && like_match(pattern, r->name))) {
      continue;
    }
    fprintf(sh->out, "%s;\n", r->sql);
  }
  schema_free(&l);
  return 0;
}

/* ---- the small ones ------------------------------------------------------- */

static const char dot_help_text[] =
    ".eqp on|off             Show the query plan of each statement before running it\n"
    ".exit ?CODE?            Exit the shell with status CODE (default 0)\n"
    ".headers on|off         Show column names in list mode\n"
    ".help                   Show this message\n"
    ".mode ?MODE?            Set the output mode: pretty or list (no MODE: show it)\n"
    ".open ?FILENAME?        Close this database and open FILENAME\n"
    "                        (no FILENAME: a new transient in-memory database)\n"
    ".quit                   Exit the shell\n"
    ".schema ?PATTERN?       Show the CREATE statements (of tables matching PATTERN)\n"
    ".tables ?PATTERN?       List the names of tables (matching the LIKE PATTERN)\n";

static int dot_mode(Shell *sh, DotArgs *a) {
  if (a->argc < 2) {
    fprintf(sh->out, "current output mode: %s\n",
            sh->mode == SHELL_MODE_PRETTY ? "pretty" : "list");
    return 0;
  }
  if (strcmp(a->argv[1], "pretty") == 0) {
    sh->mode = SHELL_MODE_PRETTY;
  } else if (strcmp(a->argv[1], "list") == 0) {
    sh->mode = SHELL_MODE_LIST;
  } else {
    shell_error(sh, "Error: mode should be one of: pretty list");
    return 1;
  }
  return 0;
}

static int parse_bool(const char *z) {
  if (strcmp(z, "on") == 0 || strcmp(z, "yes") == 0 || strcmp(z, "1") == 0) return 1;
  if (strcmp(z, "off") == 0 || strcmp(z, "no") == 0 || strcmp(z, "0") == 0) return 0;
  return -1;
}

static int dot_headers(Shell *sh, DotArgs *a) {
  int v = a->argc == 2 ? parse_bool(a->argv[1]) : -1;
  if (v < 0) {
    shell_error(sh, "Usage: .headers on|off");
    return 1;
  }
  sh->headers = v;
  return 0;
}

static int dot_eqp(Shell *sh, DotArgs *a) {
  int v = a->argc == 2 ? parse_bool(a->argv[1]) : -1;
  if (v < 0) {
    shell_error(sh, "Usage: .eqp on|off");
    return 1;
  }
  sh->eqp = v;
  return 0;
}

static int dot_exit(Shell *sh, DotArgs *a) {
  sh->quit = 1;
  if (strcmp(a->argv[0], "exit") == 0 && a->argc > 1) sh->exit_code = atoi(a->argv[1]);
  return 0;
}

int shell_do_dot(Shell *sh, const char *line) {
  DotArgs a;
  int rc = 0;
  if (dot_split(line, &a)) {
    shell_error(sh, "Error: out of memory");
    return 1;
  }
  const char *cmd = a.argc ? a.argv[0] : "";
  if (strcmp(cmd, "help") == 0) {
    fputs(dot_help_text, sh->out);
  } else if (strcmp(cmd, "quit") == 0 || strcmp(cmd, "exit") == 0) {
    rc = dot_exit(sh, &a);
  } else if (strcmp(cmd, "tables") == 0) {
    rc = dot_tables(sh, &a);
  } else if (strcmp(cmd, "schema") == 0) {
    rc = dot_schema(sh, &a);
  } else if (strcmp(cmd, "mode") == 0) {
    rc = dot_mode(sh, &a);
  } else if (strcmp(cmd, "headers") == 0 || strcmp(cmd, "header") == 0) {
    rc = dot_headers(sh, &a);
  } else if (strcmp(cmd, "eqp") == 0) {
    rc = dot_eqp(sh, &a);
  } else if (strcmp(cmd, "open") == 0) {
    rc = shell_open_db(sh, a.argc > 1 ? a.argv[1] : NULL);
  } else {
    shell_error(sh, "Error: unknown command \".%s\". Enter \".help\" for usage hints.", cmd);
    rc = 1;
  }
  free(a.buf);
  return rc;
}
