/*
** shell.c — the `lode` command-line shell: options, banner, the read loop
** that gathers lines into complete statements, and statement execution.
**
**   lode [OPTIONS] [DATABASE] [SQL]
**
** Input is read line by line.  A line that starts with '.' while no SQL is
** pending is a dot command (shell_dot.c).  Other lines are appended to the
** pending SQL until lode_complete() says it ends with a complete statement;
** then every statement in it runs in turn.  Like sqlite3, the rest of the
** pending text is dropped after a failing statement, and an unfinished
** statement left at end of input is still run.
**
** On a terminal (isatty(stdin)) the shell prints a banner and prompts and
** defaults to the pretty table output; on a pipe it prints neither, defaults
** to list output and exits with status 1 if anything failed.  Errors go to
** stderr as "Parse error: MSG" (prepare failed) or "Runtime error: MSG"
** (step failed).
**
** Invariants: no global state (the Node addon may call lode_shell_main more
** than once in one process) and no exit(): the exit status is returned.
*/
/* getline and strdup are POSIX.1-2008; the Node addon build may not pass
** -D_GNU_SOURCE as the Makefile does. */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell.h"
#include "shell_int.h"

#define SHELL_BUF_MIN 128

void shell_buf_append(ShellBuf *b, const char *z, size_t n) {
  if (b->oom) return;
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : SHELL_BUF_MIN;
    while (cap < b->n + n + 1) cap *= 2;
    char *p = realloc(b->z, cap);
    if (!p) {
      b->oom = 1;
      return;
    }
    b->z = p;
    b->cap = cap;
  }
  memcpy(b->z + b->n, z, n);
  b->n += n;
  b->z[b->n] = 0;
}

void shell_buf_free(ShellBuf *b) {
  free(b->z);
  memset(b, 0, sizeof(*b));
}

void shell_error(Shell *sh, const char *fmt, ...) {
  va_list ap;
  fflush(sh->out);
  va_start(ap, fmt);
  vfprintf(sh->err, fmt, ap);
  va_end(ap);
  fputc('\n', sh->err);
  fflush(sh->err);
  sh->had_error = 1;
}

/* ---- opening databases ---------------------------------------------------- */

static void shell_close_db(Shell *sh) {
  if (sh->db) lode_close(sh->db);
  sh->db = NULL;
  free(sh->db_path);
  sh->db_path = NULL;
}

int shell_open_db(Shell *sh, const char *path) {
  int is_memory = !path || !*path || strcmp(path, SHELL_MEMORY_DB) == 0;
  lode *db = NULL;
  int rc = lode_open(is_memory ? SHELL_MEMORY_DB : path, &db);
  if (rc != LODE_OK) {
    shell_error(sh, "Error: unable to open database \"%s\": %s", path,
                db ? lode_errmsg(db) : lode_errstr(rc));
    if (db) lode_close(db);
    return 1;
  }
  char *copy = NULL;
  if (!is_memory && !(copy = strdup(path))) {
    lode_close(db);
    shell_error(sh, "Error: out of memory");
    return 1;
  }
  shell_close_db(sh);
  sh->db = db;
  sh->db_path = copy;
  return 0;
}

/* ---- running SQL ---------------------------------------------------------- */

/* 1 if z holds nothing but blanks and SQL comments.  Like sqlite3, a line
** that is only a comment does not start a statement, so a dot command on
** the next line is still recognized. */
static int all_whitespace(const char *z) {
  while (*z) {
    if (isspace((unsigned char)*z)) {
      z++;
    } else if (z[0] == '-' && z[1] == '-') {
      while (*z && *z != '\n') z++;
    } else if (z[0] == '/' && z[1] == '*') {
      const char *end = strstr(z + 2, "*/");
      if (!end) return 0; /* an open comment continues on the next line */
      z = end + 2;
    } else {
      return 0;
    }
  }
  return 1;
}

/* .eqp on: prints the plan of stmt (as EXPLAIN QUERY PLAN of its text would)
** before it runs, as sqlite3 does.  A statement that is itself an EXPLAIN,
** or whose plan cannot be had, prints none. */
static int show_plan(Shell *sh, lode_stmt *stmt) {
  static const char prefix[] = "EXPLAIN QUERY PLAN ";
  const char *sql = lode_sql(stmt);
  ShellBuf text = {0};
  lode_stmt *plan = NULL;
  int rc = LODE_OK;
  if (!sh->eqp || !sql || lode_stmt_isexplain(stmt)) return LODE_OK;
  shell_buf_append(&text, prefix, sizeof prefix - 1);
  shell_buf_append(&text, sql, strlen(sql));
  if (text.oom) rc = LODE_NOMEM;
  else if (lode_prepare(sh->db, text.z, -1, &plan, NULL) == LODE_OK && plan) rc = shell_render_stmt(sh, plan);
  lode_finalize(plan);
  shell_buf_free(&text);
  return rc == LODE_NOMEM ? LODE_NOMEM : LODE_OK;
}

int shell_run_sql(Shell *sh, const char *sql) {
  const char *z = sql;
  while (z && *z) {
    lode_stmt *stmt = NULL;
    const char *tail = NULL;
    int rc = lode_prepare(sh->db, z, -1, &stmt, &tail);
    if (rc != LODE_OK) {
      shell_error(sh, "Parse error: %s", lode_errmsg(sh->db));
      if (stmt) lode_finalize(stmt);
      return 1;
    }
    if (stmt) {
      rc = show_plan(sh, stmt);
      if (rc == LODE_OK) rc = shell_render_stmt(sh, stmt);
      if (rc == LODE_NOMEM && lode_errcode(sh->db) != LODE_NOMEM) {
        lode_finalize(stmt);
        shell_error(sh, "Error: out of memory");
        return 1;
      }
      int frc = lode_finalize(stmt);
      if (rc == LODE_DONE && frc != LODE_OK) rc = frc;
      if (rc != LODE_DONE) {
        shell_error(sh, "Runtime error: %s", lode_errmsg(sh->db));
        return 1;
      }
    }
    if (!tail || tail <= z) break; /* no progress: never loop forever */
    z = tail;
  }
  if (sh->interactive) fflush(sh->out);
  return 0;
}

/* ---- the read loop -------------------------------------------------------- */

static int is_dot_command(const char *line) {
  while (*line == ' ' || *line == '\t') line++;
  return *line == '.';
}

static void strip_newline(char *line, size_t *len) {
  while (*len > 0 && (line[*len - 1] == '\n' || line[*len - 1] == '\r')) line[--*len] = 0;
}

static void process_input(Shell *sh, FILE *in) {
  ShellBuf sql = {0};
  char *line = NULL;
  size_t cap = 0;
  while (!sh->quit) {
    if (sh->interactive) {
      fputs(sql.n ? SHELL_CONTINUE_PROMPT : SHELL_PROMPT, sh->out);
      fflush(sh->out);
    }
    ssize_t got = getline(&line, &cap, in);
    if (got < 0) break;
    size_t len = (size_t)got;
    strip_newline(line, &len);
    if (sql.n == 0 && all_whitespace(line)) continue;
    if (sql.n == 0 && is_dot_command(line)) {
      shell_do_dot(sh, line);
      continue;
    }
    /* Lines are joined with '\n' and the last one gets none, as sqlite3
    ** does: error messages quoting a token then read the same. */
    if (sql.n) shell_buf_append(&sql, "\n", 1);
    shell_buf_append(&sql, line, len);
    if (sql.oom) {
      shell_error(sh, "Error: out of memory");
      shell_buf_free(&sql);
      continue;
    }
    if (lode_complete(sql.z)) {
      shell_run_sql(sh, sql.z);
      sql.n = 0;
      sql.z[0] = 0;
    }
  }
  if (sql.n && !all_whitespace(sql.z) && !sh->quit) shell_run_sql(sh, sql.z);
  if (sh->interactive && !sh->quit) fputc('\n', sh->out);
  free(line);
  shell_buf_free(&sql);
}

/* ---- command line --------------------------------------------------------- */

static void print_banner(Shell *sh) {
  fprintf(sh->out, "Lode v%s\n", lode_libversion());
  fputs("Enter \".help\" for usage hints.\n", sh->out);
  if (sh->db_path) {
    fprintf(sh->out, "Connected to %s.\n", sh->db_path);
  } else {
    fputs("Connected to a transient in-memory database.\n", sh->out);
    fputs("Use \".open FILENAME\" to reopen on a persistent database\n", sh->out);
  }
}

static void print_usage(FILE *f) {
  fputs("Usage: lode [OPTIONS] [DATABASE] [SQL]\n"
        "\n"
        "Arguments:\n"
        "  DATABASE  database file to open (default: a transient in-memory database)\n"
        "  SQL       run these statements and exit instead of reading stdin\n"
        "\n"
        "Options:\n"
        "  -m, --output-mode MODE  output mode: pretty (default on a terminal) or list\n"
        "  -q, --quiet             do not print the banner at startup\n"
        "  -h, --help              print this help and exit\n"
        "  -v, --version           print the version and exit\n",
        f);
}

typedef struct ShellArgs {
  const char *db_path;
  const char *sql;
  int mode;  /* -1 = not given */
  int quiet;
  int done;  /* --help/--version handled: exit with status */
  int status;
} ShellArgs;

static int parse_mode(const char *z) {
  if (strcmp(z, "pretty") == 0) return SHELL_MODE_PRETTY;
  if (strcmp(z, "list") == 0) return SHELL_MODE_LIST;
  return -1;
}

/* Returns 0, or 1 after printing what is wrong with the command line. */
static int parse_mode_option(Shell *sh, ShellArgs *a, const char *opt, const char *value) {
  if (!value) {
    shell_error(sh, "Error: option %s needs an argument (pretty or list)", opt);
    return 1;
  }
  a->mode = parse_mode(value);
  if (a->mode < 0) {
    shell_error(sh, "Error: unknown output mode \"%s\" (use pretty or list)", value);
    return 1;
  }
  return 0;
}

static int parse_args(Shell *sh, int argc, char **argv, ShellArgs *a) {
  for (int i = 1; i < argc; i++) {
    const char *z = argv[i];
    if (strcmp(z, "-m") == 0 || strcmp(z, "--output-mode") == 0) {
      if (parse_mode_option(sh, a, z, i + 1 < argc ? argv[i + 1] : NULL)) return 1;
      i++;
    } else if (strncmp(z, "--output-mode=", 14) == 0) {
      if (parse_mode_option(sh, a, "--output-mode", z + 14)) return 1;
    } else if (strcmp(z, "-q") == 0 || strcmp(z, "--quiet") == 0) {
      a->quiet = 1;
    } else if (strcmp(z, "-h") == 0 || strcmp(z, "--help") == 0) {
      print_usage(sh->out);
      a->done = 1;
      return 0;
    } else if (strcmp(z, "-v") == 0 || strcmp(z, "-V") == 0 || strcmp(z, "--version") == 0) {
      fprintf(sh->out, "Lode v%s\n", lode_libversion());
      a->done = 1;
      return 0;
    } else if (z[0] == '-' && z[1]) {
      shell_error(sh, "Error: unknown option: %s", z);
      print_usage(sh->err);
      return 1;
    } else if (!a->db_path) {
      a->db_path = z;
    } else if (!a->sql) {
      a->sql = z;
    } else {
      shell_error(sh, "Error: too many arguments: %s", z);
      return 1;
    }
  }
  return 0;
}

int lode_shell_main(int argc, char **argv) {
  Shell sh;
  memset(&sh, 0, sizeof(sh));
  sh.out = stdout;
  sh.err = stderr;
  sh.interactive = isatty(fileno(stdin));
  ShellArgs args = {NULL, NULL, -1, 0, 0, 0};
  if (parse_args(&sh, argc, argv, &args)) {
    fflush(sh.out);
    return 1;
  }
  if (args.done) {
    fflush(sh.out);
    return 0;
  }
  if (args.sql) sh.interactive = 0; /* one-shot: behave like a script */
  sh.mode = args.mode >= 0 ? (ShellMode)args.mode
                           : (sh.interactive ? SHELL_MODE_PRETTY : SHELL_MODE_LIST);
  if (shell_open_db(&sh, args.db_path)) {
    shell_close_db(&sh);
    fflush(sh.out);
    return 1;
  }
  if (args.sql) {
    shell_run_sql(&sh, args.sql);
  } else {
    if (sh.interactive && !args.quiet) print_banner(&sh);
    process_input(&sh, stdin);
  }
  shell_close_db(&sh);
  fflush(sh.out);
  if (sh.quit && sh.exit_code) return sh.exit_code;
  return sh.had_error && !sh.interactive ? 1 : 0;
}
