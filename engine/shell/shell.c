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
** On a terminal (isatty(stdin)) the shell prints a banner and prompts, edits
** lines with libedit (shell_input.c) and defaults to the pretty table output;
** on a pipe it prints neither, defaults to list output and exits with status
** 1 if anything failed.  Errors go to stderr as sqlite3 words them: "Parse
** error near line N: MSG" (prepare failed) or "Runtime error near line N: MSG
** (CODE)" (step failed), without "near line N" on a terminal; with the SQL
** argument, "Error: in prepare, MSG" / "Error: stepping, MSG (CODE)".
**
** Invariants: no global state (the Node addon may call lode_shell_main more
** than once in one process; shell_input.c's signal flags are the exception it
** explains) and no exit(): the exit status is returned.
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
#include <strings.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include "shell.h"
#include "shell_int.h"
#include "shell_repl.h"
#include "sqlite3.h"

#define SHELL_BUF_MIN 128
#define SHELL_PRINTF_CHUNK 256
#define MAX_READ_DEPTH 25

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
  if (n) memcpy(b->z + b->n, z, n);
  b->n += n;
  b->z[b->n] = 0;
}

void shell_buf_appendz(ShellBuf *b, const char *z) { shell_buf_append(b, z, strlen(z)); }

void shell_buf_printf(ShellBuf *b, const char *fmt, ...) {
  char tmp[SHELL_PRINTF_CHUNK];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < sizeof tmp) {
    shell_buf_append(b, tmp, (size_t)n);
    return;
  }
  char *big = malloc((size_t)n + 1);
  if (!big) {
    b->oom = 1;
    return;
  }
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  shell_buf_append(b, big, (size_t)n);
  free(big);
}

void shell_buf_free(ShellBuf *b) {
  free(b->z);
  memset(b, 0, sizeof(*b));
}

void shell_error(Shell *sh, const char *fmt, ...) {
  va_list ap;
  fflush(sh->out);
  if (sh->out != stdout) fflush(stdout);
  va_start(ap, fmt);
  vfprintf(sh->err, fmt, ap);
  va_end(ap);
  fputc('\n', sh->err);
  fflush(sh->err);
  sh->had_error = 1;
  sh->error_count++;
  if (sh->bail) sh->quit = 1;
}

/* ---- modes ------------------------------------------------------------------- */

static const char *const mode_names[SHELL_MODE_COUNT] = {
    [SHELL_MODE_LIST] = "list",         [SHELL_MODE_PRETTY] = "pretty", [SHELL_MODE_CSV] = "csv",
    [SHELL_MODE_JSON] = "json",         [SHELL_MODE_LINE] = "line",     [SHELL_MODE_COLUMN] = "column",
    [SHELL_MODE_BOX] = "box",           [SHELL_MODE_TABLE] = "table",   [SHELL_MODE_MARKDOWN] = "markdown",
    [SHELL_MODE_TABS] = "tabs",         [SHELL_MODE_INSERT] = "insert", [SHELL_MODE_QUOTE] = "quote",
    [SHELL_MODE_ASCII] = "ascii",       [SHELL_MODE_HTML] = "html",     [SHELL_MODE_TCL] = "tcl",
    [SHELL_MODE_ROWCOUNT] = "count",    [SHELL_MODE_OFF] = "off",
};

/* sqlite3 keeps tabs as list mode with another separator, and names it so. */
const char *shell_mode_name(ShellMode mode) { return mode == SHELL_MODE_TABS ? "list" : mode_names[mode]; }

int shell_mode_from_prefix(const char *name) {
  static const char *const order[] = {"lines", "columns", "list", "html", "tcl", "csv", "tabs", "insert",
                                      "quote", "ascii", "markdown", "table", "box", "count", "off", "json",
                                      "pretty"};
  size_t n = strlen(name);
  if (strcmp(name, "qbox") == 0) return SHELL_MODE_BOX;
  for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
    if (strncmp(name, order[i], n) == 0) {
      if (i == 0) return SHELL_MODE_LINE;
      if (i == 1) return SHELL_MODE_COLUMN;
      return shell_mode_from_name(order[i]);
    }
  }
  return -1;
}

int shell_mode_from_name(const char *name) {
  for (int i = 0; i < SHELL_MODE_COUNT; i++) {
    if (strcmp(name, mode_names[i]) == 0) return i;
  }
  if (strcmp(name, "lines") == 0) return SHELL_MODE_LINE;
  if (strcmp(name, "columns") == 0) return SHELL_MODE_COLUMN;
  return -1;
}

/* As sqlite3's .mode: list and tabs set the column separator (list the row
** separator too), csv both, line and column the row separator; quote and tcl
** their own; the others keep what they find.  .mode column turns headers on unless .headers
** was used.  from_dot: the wrap width of .mode (the -m option has none). */
void shell_set_mode(Shell *sh, ShellMode mode, int from_dot) {
  sh->mode = mode;
  sh->separator_set = 0;
  switch (mode) {
  case SHELL_MODE_LIST:
    strcpy(sh->colsep, "|");
    strcpy(sh->rowsep, "\n");
    break;
  case SHELL_MODE_TABS: strcpy(sh->colsep, "\t"); break;
  case SHELL_MODE_CSV: /* sqlite3's -csv option keeps "\n" rows, its .mode csv does not */
    strcpy(sh->colsep, ",");
    strcpy(sh->rowsep, from_dot ? "\r\n" : "\n");
    break;
  case SHELL_MODE_LINE: strcpy(sh->rowsep, "\n"); break;
  case SHELL_MODE_ASCII: /* ASCII's unit and record separators */
    strcpy(sh->colsep, "\x1f");
    strcpy(sh->rowsep, "\x1e");
    break;
  case SHELL_MODE_QUOTE:
    strcpy(sh->colsep, ",");
    strcpy(sh->rowsep, "\n");
    break;
  case SHELL_MODE_TCL:
    strcpy(sh->colsep, " ");
    strcpy(sh->rowsep, "\n");
    break;
  case SHELL_MODE_COLUMN:
    if (!sh->headers_set) sh->headers = 1;
    strcpy(sh->rowsep, "\n");
    /* fall through */
  case SHELL_MODE_BOX:
  case SHELL_MODE_TABLE:
  case SHELL_MODE_MARKDOWN:
    sh->wrap = from_dot ? SHELL_DEFAULT_WRAP : 0;
    sh->wordwrap = 0;
    sh->quote_cells = 0;
    break;
  default: break;
  }
}

void shell_say_not_available(Shell *sh, const char *feature, const char *flag) {
  fflush(sh->out);
  fprintf(sh->err, "lode: %s: %s not available in Lode yet; the flag is accepted and has no effect.\n", flag,
          feature);
  fflush(sh->err);
}

/* ---- opening databases ---------------------------------------------------- */

static void shell_close_db(Shell *sh) {
  if (sh->db) lode_close(sh->db);
  sh->db = NULL;
  free(sh->db_path);
  sh->db_path = NULL;
}

int shell_open_new_db(Shell *sh, const char *path) {
  if (sh->repl) return shell_open_db(sh, path); /* refuses, saying why */
  /* The file is emptied with no connection left on it, so that nothing
  ** of the old file is read back; a failed open then leaves the shell on a
  ** transient in-memory database, as sqlite3 leaves it without one. */
  shell_close_db(sh);
  if (path && strncmp(path, "file:", 5) != 0 && strcmp(path, SHELL_MEMORY_DB) != 0) unlink(path);
  if (shell_open_db(sh, path) == 0) return 0;
  if (shell_open_db(sh, NULL) != 0) sh->quit = 1;
  return 1;
}

int shell_open_db(Shell *sh, const char *path) {
  if (sh->repl) {
    shell_error(sh, "Error: cannot open another database while --replicate replicates this one");
    return 1;
  }
  int is_memory = !path || !*path || strcmp(path, SHELL_MEMORY_DB) == 0;
  int flags = LODE_OPEN_URI | (sh->readonly ? LODE_OPEN_READONLY : LODE_OPEN_READWRITE | LODE_OPEN_CREATE);
  lode *db = NULL;
  int rc = lode_open_v2(is_memory ? SHELL_MEMORY_DB : path, &db, flags, NULL);
  if (rc != LODE_OK) {
    shell_error(sh, "Error: unable to open database \"%s\": %s", path, db ? lode_errmsg(db) : lode_errstr(rc));
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
  /* As sqlite3's shell does for each connection it opens: SQL may call
  ** load_extension(), sha3(), sha3_query(), readfile(), writefile(), edit(),
  ** the decimal and ieee754 functions. */
  sqlite3_enable_load_extension((sqlite3 *)(void *)db, 1);
  shell_register_sha3(db);
  shell_register_fileio(db);
  shell_register_decimal(db);
  if (sh->safe) sqlite3_set_authorizer((sqlite3 *)(void *)db, shell_safe_authorizer, sh);
  return 0;
}

/* ---- safe mode ------------------------------------------------------------ */

int shell_refuse_unsafe(Shell *sh, const char *fmt, ...) {
  if (!sh->safe || sh->unsafe_now) return 0;
  va_list ap;
  va_start(ap, fmt);
  fflush(sh->out);
  fprintf(sh->err, "line %d: ", sh->line_no);
  vfprintf(sh->err, fmt, ap);
  fputc('\n', sh->err);
  va_end(ap);
  sh->had_error = 1;
  sh->quit = 1;
  sh->exit_code = 1;
  return 1;
}

int shell_safe_authorizer(void *arg, int action, const char *a1, const char *a2, const char *a3, const char *a4) {
  static const char *const unsafe_functions[] = {"edit", "fts3_tokenizer", "load_extension",
                                                 "readfile", "writefile", "zipfile"};
  Shell *sh = arg;
  (void)a1, (void)a3, (void)a4;
  if (sh->unsafe_now) return SQLITE_OK;
  if (action == SQLITE_ATTACH) {
    snprintf(sh->safe_msg, sizeof sh->safe_msg, "cannot run ATTACH in safe mode");
    return SQLITE_DENY;
  }
  if (action == SQLITE_FUNCTION && a2) {
    for (size_t i = 0; i < sizeof unsafe_functions / sizeof unsafe_functions[0]; i++) {
      if (strcasecmp(a2, unsafe_functions[i]) != 0) continue;
      snprintf(sh->safe_msg, sizeof sh->safe_msg, "cannot use the %s() function in safe mode", unsafe_functions[i]);
      return SQLITE_DENY;
    }
  }
  return SQLITE_OK;
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
  shell_buf_appendz(&text, sql);
  if (text.oom) rc = LODE_NOMEM;
  else if (lode_prepare(sh->db, text.z, -1, &plan, NULL) == LODE_OK && plan) rc = shell_render_stmt(sh, plan);
  lode_finalize(plan);
  shell_buf_free(&text);
  return rc == LODE_NOMEM ? LODE_NOMEM : LODE_OK;
}

/* The line on which the statement at z starts: sh->stmt_line is that of
** sql, plus the newlines before z (and before its first token). */
static int line_of(Shell *sh, const char *sql, const char *z) {
  int line = sh->stmt_line;
  while (*z && isspace((unsigned char)*z)) z++;
  for (const char *p = sql; p < z; p++) line += *p == '\n';
  return line;
}

/* Where a prepare error is, as sqlite3 shows it under the message: up to 78
** bytes of the statement (blanks as spaces), shifted so that the offset is
** at most 50, and a marker under the offset.  Empty without an offset. */
static void error_context(Shell *sh, ShellBuf *b, const char *z) {
  int off = lode_error_offset(sh->db);
  if (off < 0 || off > (int)strlen(z)) return;
  while (off > 50) {
    z++;
    off--;
    while (((unsigned char)*z & 0xc0) == 0x80) {
      z++;
      off--;
    }
  }
  size_t len = strlen(z);
  if (len > 78) {
    len = 78;
    while (len > 0 && ((unsigned char)z[len] & 0xc0) == 0x80) len--;
  }
  shell_buf_appendz(b, "\n  ");
  for (size_t i = 0; i < len; i++) {
    char c = isspace((unsigned char)z[i]) ? ' ' : z[i];
    shell_buf_append(b, &c, 1);
  }
  if (off < 25) shell_buf_printf(b, "\n  %*s^--- error here", off, "");
  else shell_buf_printf(b, "\n  %*serror here ---^", off - 14, "");
}

static void report_error(Shell *sh, const char *sql, const char *z, int prepare) {
  if (sh->safe_msg[0]) { /* the safe-mode authorizer refused: sqlite3 stops there */
    int saved = sh->line_no;
    if (sh->stmt_line >= 0) sh->line_no = line_of(sh, sql, z);
    shell_refuse_unsafe(sh, "%s", sh->safe_msg);
    sh->line_no = saved;
    sh->safe_msg[0] = 0;
    sh->error_code = 1;
    return;
  }
  ShellBuf full = {0};
  const char *repl_msg = (lode_errcode(sh->db) & 0xff) == LODE_READONLY ? shell_repl_readonly_message(sh->repl) : NULL;
  shell_buf_appendz(&full, repl_msg ? repl_msg : lode_errmsg(sh->db));
  if (prepare) error_context(sh, &full, z);
  const char *msg = full.oom ? lode_errmsg(sh->db) : full.z;
  /* sqlite3 names the result code after a step's message unless it is the
  ** plain SQLITE_ERROR (1). */
  char code[24] = "";
  sh->error_code = lode_errcode(sh->db) & 0xff;
  if (!prepare && lode_errcode(sh->db) > LODE_ERROR) snprintf(code, sizeof code, " (%d)", lode_errcode(sh->db));
  if (sh->stmt_line < 0) {
    if (prepare) shell_error(sh, "Error: in prepare, %s", msg);
    else shell_error(sh, "Error: stepping, %s%s", msg, code);
  } else if (sh->interactive && sh->read_depth == 0) {
    if (prepare) shell_error(sh, "Parse error: %s", msg);
    else shell_error(sh, "Runtime error: %s%s", msg, code);
  } else {
    int line = line_of(sh, sql, z);
    if (prepare) shell_error(sh, "Parse error near line %d: %s", line, msg);
    else shell_error(sh, "Runtime error near line %d: %s%s", line, msg, code);
  }
  shell_buf_free(&full);
}

static double timeval_seconds(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6; }

typedef struct ShellTimer {
  struct timeval wall;
  struct rusage usage;
} ShellTimer;

static void timer_start(ShellTimer *t) {
  gettimeofday(&t->wall, NULL);
  getrusage(RUSAGE_SELF, &t->usage);
}

/* Prints what sqlite3's .timer prints: wall clock, user and system CPU. */
static void timer_report(Shell *sh, const ShellTimer *t) {
  ShellTimer now;
  timer_start(&now);
  fprintf(sh->out, "Run Time: real %.3f user %f sys %f\n",
          timeval_seconds(now.wall) - timeval_seconds(t->wall),
          timeval_seconds(now.usage.ru_utime) - timeval_seconds(t->usage.ru_utime),
          timeval_seconds(now.usage.ru_stime) - timeval_seconds(t->usage.ru_stime));
}

/* Runs one prepared statement.  Returns 0, or 1 after reporting its error. */
static int run_stmt(Shell *sh, lode_stmt *stmt, const char *sql, const char *z) {
  int rc = show_plan(sh, stmt);
  if (rc == LODE_OK) rc = shell_render_stmt(sh, stmt);
  if (sh->stats) shell_stats_after_stmt(sh, stmt);
  if (rc == LODE_NOMEM && lode_errcode(sh->db) != LODE_NOMEM) {
    lode_finalize(stmt);
    shell_error(sh, "Error: out of memory");
    return 1;
  }
  if (rc != LODE_DONE) {
    /* The message is the step's; finalize must not replace it first. */
    report_error(sh, sql, z, 0);
    lode_finalize(stmt);
    return 1;
  }
  if (lode_finalize(stmt) != LODE_OK) {
    report_error(sh, sql, z, 0);
    return 1;
  }
  return 0;
}

int shell_run_sql(Shell *sh, const char *sql) {
  const char *z = sql;
  int status = 0;
  ShellTimer timer;
  if (sh->timer) timer_start(&timer);
  shell_sigint_begin(sh);
  while (z && *z) {
    lode_stmt *stmt = NULL;
    const char *tail = NULL;
    while (isspace((unsigned char)*z)) z++; /* error offsets count from the statement's first token */
    if (!*z) break;
    shell_repl_before(sh->repl);
    int rc = lode_prepare(sh->db, z, -1, &stmt, &tail);
    if (rc != LODE_OK) {
      report_error(sh, sql, z, 1);
      if (stmt) lode_finalize(stmt);
      status = 1;
      break;
    }
    if (stmt) shell_bind_parameters(sh, stmt);
    int failed = stmt && run_stmt(sh, stmt, sql, z);
    shell_repl_after(sh->repl);
    if (failed) {
      status = 1;
      break;
    }
    if (!tail || tail <= z) break; /* no progress: never loop forever */
    z = tail;
  }
  shell_sigint_end(sh);
  if (sh->timer) timer_report(sh, &timer);
  fflush(sh->out);
  return status;
}

/* ---- the read loop -------------------------------------------------------- */

/* As in sqlite3, only a '.' in the first column makes a dot command: an
** indented one is SQL (and a syntax error). */
static int is_dot_command(const char *line) { return line[0] == '.'; }

static void strip_newline(char *line, size_t *len) {
  while (*len > 0 && (line[*len - 1] == '\n' || line[*len - 1] == '\r')) line[--*len] = 0;
}

void shell_close_output(Shell *sh) {
  if (sh->out != sh->stdout_file) {
    if (sh->out_is_pipe) pclose(sh->out);
    else fclose(sh->out);
  }
  sh->out = sh->stdout_file;
  sh->out_is_pipe = 0;
  sh->once = 0;
}

/* .once: after one statement or command, output goes back to stdout. */
static void end_once(Shell *sh) {
  if (sh->once) shell_close_output(sh);
}

/* Reads the next line: from the line editor for the terminal, else from in.
** Returns 1, 0 at the end, -1 when Ctrl-C dropped the line. */
static int next_line(Shell *sh, FILE *in, int pending, char **line, size_t *cap) {
  if (in == stdin && sh->input) {
    free(*line);
    *line = NULL;
    *cap = 0;
    int got = shell_input_read(sh->input, pending ? sh->continue_prompt : sh->prompt, line);
    if (got > 0) shell_input_add_history(sh->input, *line);
    return got;
  }
  ssize_t got = getline(line, cap, in);
  if (got < 0) return 0;
  size_t len = (size_t)got;
  strip_newline(*line, &len);
  return 1;
}

/* A right .nonce lifts safe mode for the one line that follows it. */
static void begin_line(Shell *sh) {
  sh->unsafe_now = sh->unsafe_next;
  sh->unsafe_next = 0;
}

static void run_pending(Shell *sh, ShellBuf *sql, int start_line) {
  begin_line(sh);
  if (sh->echo) fprintf(sh->out, "%s\n", sql->z);
  sh->stmt_line = start_line;
  if (shell_run_sql(sh, sql->z) == 0 && sh->changes)
    fprintf(sh->out, "changes: %lld   total_changes: %lld\n", (long long)lode_changes(sh->db),
            (long long)lode_total_changes(sh->db));
  end_once(sh);
  sql->n = 0;
  sql->z[0] = 0;
}

static void process_input(Shell *sh, FILE *in) {
  ShellBuf sql = {0};
  char *line = NULL;
  size_t cap = 0;
  int start_line = 0;
  int saved_line = sh->line_no;
  int errors_before = sh->error_count;
  sh->line_no = 0;
  /* As sqlite3, .bail on also ends a script that has already failed. */
  while (!sh->quit && !(sh->bail && sh->error_count > errors_before && !(in == stdin && sh->input))) {
    int got = next_line(sh, in, sql.n > 0, &line, &cap);
    if (got == 0) break;
    if (got < 0) { /* Ctrl-C at the prompt: forget the statement being typed */
      sql.n = 0;
      if (sql.z) sql.z[0] = 0;
      continue;
    }
    sh->line_no++;
    if (sql.n == 0 && all_whitespace(line)) {
      if (sh->echo && *line) fprintf(sh->out, "%s\n", line);
      continue;
    }
    if (sql.n == 0 && line[0] == '#') { /* sqlite3's comment line */
      if (sh->echo) fprintf(sh->out, "%s\n", line);
      continue;
    }
    if (sql.n == 0 && is_dot_command(line)) {
      int once = sh->once; /* a .once sets it for the command after itself */
      if (sh->echo) fprintf(sh->out, "%s\n", line);
      begin_line(sh);
      shell_do_dot(sh, line);
      if (once) end_once(sh);
      fflush(sh->out);
      continue;
    }
    /* Lines are joined with '\n' and the last one gets none, as sqlite3
    ** does: error messages quoting a token then read the same. */
    if (sql.n) shell_buf_append(&sql, "\n", 1);
    else start_line = sh->line_no;
    shell_buf_appendz(&sql, line);
    if (sql.oom) {
      shell_error(sh, "Error: out of memory");
      shell_buf_free(&sql);
      continue;
    }
    if (lode_complete(sql.z)) run_pending(sh, &sql, start_line);
  }
  if (sql.n && !all_whitespace(sql.z) && !sh->quit) run_pending(sh, &sql, start_line);
  if (in == stdin && sh->interactive && !sh->quit) fputc('\n', stdout);
  sh->line_no = saved_line;
  free(line);
  shell_buf_free(&sql);
}

void shell_process_file(Shell *sh, FILE *in) {
  if (sh->read_depth >= MAX_READ_DEPTH) {
    shell_error(sh, "Input nesting limit (%d) reached at line %d. Check recursion.", MAX_READ_DEPTH, sh->line_no);
    return;
  }
  sh->read_depth++;
  process_input(sh, in);
  sh->read_depth--;
}

/* ---- command line --------------------------------------------------------- */

static void print_banner(Shell *sh) {
  fprintf(sh->out, "Lode v%s (compatible with SQLite version %s)\n", lode_libversion(), sqlite3_libversion());
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
        "  DATABASE  database file or file: URI to open (default: a transient in-memory database)\n"
        "  SQL       run these statements and exit instead of reading stdin\n"
        "\n"
        "Options:\n"
        "  -m, --output-mode MODE       output mode: pretty (default on a terminal), list (default\n"
        "                               otherwise), csv, json, line, column, box, table, markdown,\n"
        "                               tabs, insert, quote\n"
        "  -q, --quiet                  do not print the banner at startup\n"
        "  -e, --echo                   print commands before running them\n"
        "      --readonly               open the database read-only\n"
        "      --mcp                    serve the Model Context Protocol on stdin/stdout\n"
        "      --replicate nats://HOST:PORT/STREAM[?role=auto|primary|replica&id=NAME&lease=MS]\n"
        "                               replicate the database through NATS JetStream\n"
        "                               (lodedb/replication's protocol; default role auto)\n"
        "      --experimental-encryption\n"
        "                               accepted; encryption works without it: PRAGMA cipher and\n"
        "                               PRAGMA hexkey on a new database, file:DB?cipher=C&hexkey=K\n"
        "      --experimental-mvcc, --experimental-index-method\n"
        "                               accepted; the features work without them (PRAGMA\n"
        "                               journal_mode = mvcc and BEGIN CONCURRENT; CREATE INDEX ... USING)\n"
        "      --experimental-strict, --experimental-views\n"
        "                               accepted; these features are not available in Lode yet\n"
        "  -h, --help                   print this help and exit\n"
        "  -V, --version                print the version and exit\n"
        "\n"
        "The options of sqlite3 3.40 (one dash or two):\n"
        "  -ascii -box -column -csv -html -json -line -list -markdown -quote -table -tabs\n"
        "                               set the output mode\n"
        "  -bail                        stop after the first error\n"
        "  -batch, -interactive         force batch or interactive I/O\n"
        "  -cmd COMMAND                 run COMMAND before reading stdin\n"
        "  -echo                        print inputs before running them\n"
        "  -header, -noheader           turn headers on or off\n"
        "  -help                        this text on stderr (status 1)\n"
        "  -init FILENAME               read and run the commands of FILENAME first\n"
        "  -mmap N                      memory-mapped I/O of N bytes (PRAGMA mmap_size)\n"
        "  -newline SEP, -separator SEP, -nullvalue TEXT\n"
        "                               row and column separators, the text of NULL\n"
        "  -nonce STRING                the nonce that lifts -safe for one line (.nonce)\n"
        "  -readonly                    open the database read-only\n"
        "  -safe                        refuse commands and SQL functions that reach files\n"
        "                               or programs (.shell, .output, ATTACH, writefile(), ...)\n"
        "  -stats                       print memory and statement counters after each statement\n"
        "  -version                     print the SQLite version, its source's date, Lode's version\n"
        "  -vfs NAME                    use NAME as the default VFS\n"
        "  -lookaside SIZE N, -pagecache SIZE N, -maxsize N, -memtrace, -nofollow\n"
        "                               accepted, without effect\n"
        "  -A ARGS...                   run \".archive ARGS\" on the database and exit\n"
        "  -append, -deserialize, -zip  not available (no zip archives, appended or\n"
        "                               deserialized databases)\n",
        f);
}

#define SHELL_MAX_CMDS 32

typedef struct ShellOptions {
  const char *db_path;
  const char *sql[SHELL_MAX_CMDS]; /* SQL or dot commands after the database, run in turn */
  int nsql;
  int mode; /* -1 = not given */
  int headers;            /* -1 = not given */
  int sqlite3_mode;       /* the mode came from sqlite3's -MODE, which leaves headers off */
  int interactive;        /* -1 = as stdin is */
  const char *separator;  /* sqlite3's -separator, -newline, -nullvalue */
  const char *newline;
  const char *nullvalue;
  const char *cmds[SHELL_MAX_CMDS]; /* -cmd, run before the input */
  int ncmds;
  int quiet;
  int mcp;
  const char *replicate; /* --replicate URL */
  const char *init;      /* -init FILE: run before the -cmd commands */
  const char *vfs;       /* -vfs NAME */
  const char *mmap;      /* -mmap N: PRAGMA mmap_size */
  char **archive_argv;   /* -A: the arguments of .archive, run instead of the input */
  int archive_argc;
  const char *archive_first; /* -AX...: "AX..." (its letters are the first argument) */
  int done; /* --help/--version handled: exit with status */
} ShellOptions;

/* Returns 0, or 1 after printing what is wrong with the command line. */
static int parse_mode_option(Shell *sh, ShellOptions *o, const char *opt, const char *value) {
  if (!value) {
    shell_error(sh, "Error: option %s needs an argument (an output mode)", opt);
    return 1;
  }
  o->mode = shell_mode_from_name(value);
  if (o->mode < 0) {
    shell_error(sh,
                "Error: unknown output mode \"%s\" (use pretty, list, csv, json, line, column, box, table, "
                "markdown, tabs, insert, quote, ascii, html, tcl, count or off)",
                value);
    return 1;
  }
  return 0;
}

static const struct {
  const char *flag;
  int bit;
} experimental_flags[] = {
    {"--experimental-encryption", SHELL_EXP_ENCRYPTION}, {"--experimental-strict", SHELL_EXP_STRICT},
    {"--experimental-views", SHELL_EXP_VIEWS},           {"--experimental-mvcc", SHELL_EXP_MVCC},
    {"--experimental-index-method", SHELL_EXP_INDEX_METHOD},
};

static int experimental_bit(const char *z) {
  for (size_t i = 0; i < sizeof experimental_flags / sizeof experimental_flags[0]; i++) {
    if (strcmp(z, experimental_flags[i].flag) == 0) return experimental_flags[i].bit;
  }
  return 0;
}

static int is_opt(const char *z, const char *shrt, const char *lng) {
  return (shrt && strcmp(z, shrt) == 0) || strcmp(z, lng) == 0;
}

/* sqlite3's own options (one dash, or two), so that scripts written for
** sqlite3 run unchanged.  Returns 1 when z was one (*i advanced past its
** argument), 0 when it is not, -1 after an error. */
static int sqlite3_option(Shell *sh, ShellOptions *o, int argc, char **argv, int *i) {
  const char *z = argv[*i] + 1;
  if (*z == '-') z++;
  int mode = shell_mode_from_name(z);
  /* sqlite3 3.40 has an option for each mode but pretty, tcl, count and off */
  if (mode >= 0 && mode != SHELL_MODE_PRETTY && mode != SHELL_MODE_TCL && mode != SHELL_MODE_ROWCOUNT &&
      mode != SHELL_MODE_OFF && strcmp(z, "lines") && strcmp(z, "columns")) {
    o->mode = mode;
    o->sqlite3_mode = 1;
    return 1;
  }
  if (strcmp(z, "header") == 0 || strcmp(z, "noheader") == 0) {
    o->headers = z[0] == 'h';
    return 1;
  }
  static const char *const with_arg[] = {"separator", "newline", "nullvalue", "cmd", "init", "nonce", "vfs",
                                         "mmap", "maxsize", "lookaside", "pagecache"};
  const char *v = NULL, *v2 = NULL;
  for (size_t k = 0; k < sizeof with_arg / sizeof with_arg[0]; k++) {
    if (strcmp(z, with_arg[k]) != 0) continue;
    int need = k >= 9 ? 2 : 1; /* -lookaside SIZE N, -pagecache SIZE N */
    if (*i + need >= argc) {
      shell_error(sh, "Error: missing argument to %s", argv[*i]);
      return -1;
    }
    v = argv[++*i];
    if (need == 2) v2 = argv[++*i];
  }
  (void)v2; /* the sizes of sqlite3's memory pools: Lode's allocator has no such pools */
  if (strcmp(z, "bail") == 0) sh->bail = 1;
  else if (strcmp(z, "readonly") == 0) sh->readonly = 1;
  else if (strcmp(z, "safe") == 0) sh->safe = 1;
  else if (strcmp(z, "stats") == 0) sh->stats = SHELL_STATS_ON;
  else if (strcmp(z, "init") == 0) o->init = v;
  else if (strcmp(z, "nonce") == 0) sh->nonce = v;
  else if (strcmp(z, "vfs") == 0) o->vfs = v;
  else if (strcmp(z, "mmap") == 0) o->mmap = v;
  else if (strcmp(z, "maxsize") == 0 || strcmp(z, "lookaside") == 0 || strcmp(z, "pagecache") == 0) {
    /* accepted: sizes of things Lode does not have (pools, -deserialize) */
  } else if (strcmp(z, "memtrace") == 0 || strcmp(z, "nofollow") == 0) {
    /* accepted: no allocation log; Lode's VFS opens the names it is given */
  } else if (z[0] == 'A') {
    /* -A ARGS...: the rest of the command line is .archive's ("-Atf F": "-tf F") */
    o->archive_first = z[1] ? z : NULL;
    o->archive_argv = argv + *i + 1;
    o->archive_argc = argc - *i - 1;
    *i = argc;
  } else if (strcmp(z, "zip") == 0 || strcmp(z, "append") == 0 || strcmp(z, "deserialize") == 0) {
    shell_error(sh, "Error: %s is not available in this shell (no zip archives, appended or deserialized databases)",
                argv[*i]);
    return -1;
  }
  else if (strcmp(z, "batch") == 0) o->interactive = 0;
  else if (strcmp(z, "interactive") == 0) o->interactive = 1;
  else if (strcmp(z, "echo") == 0) sh->echo = 1;
  else if (strcmp(z, "separator") == 0 || strcmp(z, "newline") == 0 || strcmp(z, "nullvalue") == 0 ||
           strcmp(z, "cmd") == 0) {
    if (z[0] == 's') o->separator = v;
    else if (z[1] == 'e') o->newline = v;
    else if (z[0] == 'n') o->nullvalue = v;
    else if (o->ncmds == SHELL_MAX_CMDS) {
      shell_error(sh, "Error: too many -cmd options");
      return -1;
    } else {
      o->cmds[o->ncmds++] = v;
    }
  } else {
    return 0;
  }
  return 1;
}

static int parse_args(Shell *sh, int argc, char **argv, ShellOptions *o) {
  int options_done = 0;
  for (int i = 1; i < argc; i++) {
    const char *z = argv[i];
    int bit, known;
    if (options_done || z[0] != '-' || !z[1]) {
      if (!o->db_path) o->db_path = z;
      else if (o->nsql < SHELL_MAX_CMDS) o->sql[o->nsql++] = z;
      else {
        shell_error(sh, "Error: too many arguments: %s", z);
        return 1;
      }
    } else if (strcmp(z, "--") == 0) {
      options_done = 1;
    } else if (is_opt(z, "-m", "--output-mode")) {
      if (parse_mode_option(sh, o, z, i + 1 < argc ? argv[i + 1] : NULL)) return 1;
      i++;
    } else if (strncmp(z, "--output-mode=", 14) == 0) {
      if (parse_mode_option(sh, o, "--output-mode", z + 14)) return 1;
    } else if (is_opt(z, "-q", "--quiet")) {
      o->quiet = 1;
    } else if (is_opt(z, "-e", "--echo")) {
      sh->echo = 1;
    } else if (is_opt(z, NULL, "--readonly")) {
      sh->readonly = 1;
    } else if (is_opt(z, NULL, "--replicate")) {
      if (i + 1 >= argc) {
        shell_error(sh, "Error: option --replicate needs an argument (nats://host:port/stream)");
        return 1;
      }
      o->replicate = argv[++i];
    } else if (strncmp(z, "--replicate=", 12) == 0) {
      o->replicate = z + 12;
    } else if (is_opt(z, NULL, "--mcp")) {
      o->mcp = 1;
    } else if ((bit = experimental_bit(z)) != 0) {
      sh->experimental |= bit;
    } else if (strcmp(z, "-help") == 0) {
      print_usage(sh->err); /* sqlite3's -help: the usage on stderr, status 1 */
      o->done = 1;
      return 1;
    } else if (strcmp(z, "-version") == 0) {
      /* sqlite3's -version: library version, date and time of its source,
      ** then what names the build (sqlite3: a check-in hash; here Lode's version) */
      fprintf(sh->out, "%s %.19s %s\n", sqlite3_libversion(), sqlite3_sourceid(), lode_libversion());
      o->done = 1;
      return 0;
    } else if (is_opt(z, "-h", "--help")) {
      print_usage(sh->out);
      o->done = 1;
      return 0;
    } else if (is_opt(z, "-V", "--version") || strcmp(z, "-v") == 0) {
      fprintf(sh->out, "Lode v%s\n", lode_libversion());
      o->done = 1;
      return 0;
    } else if ((known = sqlite3_option(sh, o, argc, argv, &i)) != 0) {
      if (known < 0) return 1;
    } else {
      shell_error(sh, "Error: unknown option: %s", z);
      fputs("Use -h or --help for the list of options.\n", sh->err);
      return 1;
    }
  }
  return 0;
}

/* Each --experimental-* flag of a feature Lode lacks says so; those of
** features it has (encryption, index methods, MVCC) are accepted silently. */
static void announce_experimental(Shell *sh) {
  static const struct {
    int bit;
    const char *feature;
  } features[] = {
      {SHELL_EXP_STRICT, "STRICT tables are"},
      {SHELL_EXP_VIEWS, "materialized (incrementally maintained) views are"},
  };
  for (size_t i = 0; i < sizeof features / sizeof features[0]; i++) {
    if (!(sh->experimental & features[i].bit)) continue;
    for (size_t j = 0; j < sizeof experimental_flags / sizeof experimental_flags[0]; j++) {
      if (experimental_flags[j].bit == features[i].bit)
        shell_say_not_available(sh, features[i].feature, experimental_flags[j].flag);
    }
  }
}

static void shell_init(Shell *sh) {
  memset(sh, 0, sizeof(*sh));
  sh->out = stdout;
  sh->stdout_file = stdout;
  sh->err = stderr;
  sh->interactive = isatty(fileno(stdin));
  sh->nullvalue = strdup("");
  strcpy(sh->colsep, "|");
  strcpy(sh->rowsep, "\n");
  strcpy(sh->prompt, SHELL_PROMPT);
  strcpy(sh->continue_prompt, SHELL_CONTINUE_PROMPT);
}

static void shell_cleanup(Shell *sh) {
  shell_close_output(sh);
  shell_repl_stop(sh->repl);
  sh->repl = NULL;
  shell_close_db(sh);
  shell_close_connections(sh);
  shell_trace_close(sh); /* after the connections, which may say they are closing */
  shell_log_close(sh);
  free(sh->nullvalue);
  free(sh->insert_table);
  free(sh->col_widths);
  fflush(stdout);
}

/* The settings of sqlite3's options, over those of the mode. */
static int apply_options(Shell *sh, ShellOptions *o) {
  if (o->headers >= 0) {
    sh->headers = o->headers;
    sh->headers_set = 1;
  }
  if (o->separator) snprintf(sh->colsep, sizeof sh->colsep, "%s", o->separator);
  if (o->newline) snprintf(sh->rowsep, sizeof sh->rowsep, "%s", o->newline);
  if (o->separator || o->newline) sh->separator_set = 1;
  if (o->nullvalue) {
    char *z = strdup(o->nullvalue);
    if (!z) return 1;
    free(sh->nullvalue);
    sh->nullvalue = z;
  }
  return 0;
}

/* sqlite3's -A: ".archive ARGS" on the database, then exit. */
static int run_archive(Shell *sh, ShellOptions *o) {
  char dash[64];
  ShellArgs a = {NULL, 0, calloc((size_t)o->archive_argc + 3, sizeof(char *))};
  if (!a.argv) {
    shell_error(sh, "Error: out of memory");
    return 1;
  }
  a.argv[a.argc++] = "archive";
  if (o->archive_first) {
    snprintf(dash, sizeof dash, "-%s", o->archive_first + 1);
    a.argv[a.argc++] = dash;
  }
  for (int i = 0; i < o->archive_argc; i++) a.argv[a.argc++] = o->archive_argv[i];
  int rc = shell_dot_archive(sh, &a);
  free(a.argv);
  return rc;
}

static int run_shell(Shell *sh, ShellOptions *o) {
  if (o->interactive >= 0) sh->interactive = o->interactive;
  if (o->nsql) sh->interactive = 0; /* one-shot: behave like a script */
  if (o->mcp) sh->interactive = 0;
  if (o->headers >= 0 || o->sqlite3_mode) sh->headers_set = 1; /* sqlite3's -column shows no names */
  shell_set_mode(sh, o->mode >= 0 ? (ShellMode)o->mode : (sh->interactive ? SHELL_MODE_PRETTY : SHELL_MODE_LIST), 0);
  if (apply_options(sh, o)) {
    shell_error(sh, "Error: out of memory");
    return 1;
  }
  if (o->vfs && !sqlite3_vfs_find(o->vfs)) {
    shell_error(sh, "no such VFS: \"%s\"", o->vfs);
    return 1;
  }
  if (shell_open_db(sh, o->db_path)) return 1;
  if (o->mmap) {
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA mmap_size=%lld", strtoll(o->mmap, NULL, 10));
    sqlite3_exec((sqlite3 *)(void *)sh->db, pragma, NULL, NULL, NULL);
  }
  if (o->init) {
    FILE *f = fopen(o->init, "r");
    if (!f) {
      shell_error(sh, "cannot open: \"%s\"", o->init);
      return 1;
    }
    shell_process_file(sh, f);
    fclose(f);
    if (sh->quit) return sh->exit_code;
  }
  if (o->replicate && !(sh->repl = shell_repl_start(sh, o->replicate))) return 1;
  announce_experimental(sh);
  if (o->mcp) return shell_mcp_serve(sh);
  for (int i = 0; i < o->ncmds && !sh->quit; i++) {
    sh->stmt_line = -1;
    begin_line(sh);
    if (is_dot_command(o->cmds[i])) shell_do_dot(sh, o->cmds[i]);
    else shell_run_sql(sh, o->cmds[i]);
  }
  if (sh->quit) return sh->exit_code ? sh->exit_code : sh->had_error;
  if (o->archive_argv) return run_archive(sh, o);
  if (o->nsql) {
    /* As sqlite3: each argument in turn, stopping at the first that fails
    ** and exiting with its result code (1 for a dot command). */
    for (int i = 0; i < o->nsql && !sh->quit; i++) {
      if (sh->echo) fprintf(sh->out, "%s\n", o->sql[i]);
      sh->stmt_line = -1;
      sh->error_code = 0;
      begin_line(sh);
      if (is_dot_command(o->sql[i])) {
        if (shell_do_dot(sh, o->sql[i])) return 1;
      } else if (shell_run_sql(sh, o->sql[i])) {
        return sh->error_code ? sh->error_code : 1;
      }
    }
  } else {
    if (sh->interactive) {
      if (!o->quiet) print_banner(sh);
      fflush(sh->out);
      sh->input = shell_input_open(sh);
    }
    process_input(sh, stdin);
    shell_input_close(sh->input);
    sh->input = NULL;
  }
  if (sh->quit && sh->exit_code) return sh->exit_code;
  return sh->had_error && !sh->interactive ? 1 : 0;
}

int lode_shell_main(int argc, char **argv) {
  Shell sh;
  shell_init(&sh);
  ShellOptions opts;
  memset(&opts, 0, sizeof opts);
  opts.mode = opts.headers = opts.interactive = -1;
  int status = 0;
  if (!sh.nullvalue) {
    shell_error(&sh, "Error: out of memory");
    status = 1;
  } else if (parse_args(&sh, argc, argv, &opts)) {
    status = 1;
  } else if (!opts.done) {
    status = run_shell(&sh, &opts);
  }
  shell_cleanup(&sh);
  return status;
}
