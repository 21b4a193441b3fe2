/*
** shell_dot.c — the dot commands of the `lode` shell: parsing a command
** line into words, the table of commands, and the commands that change
** settings (.mode .headers .nullvalue .separator .echo .eqp .timer .bail
** .changes .output .once .show .databases .read .open .cd .print .prompt
** .help .quit/.exit).  The commands that read the schema are in
** shell_schema.c, .import in shell_import.c, those on the connection in
** shell_cmds.c, the reports and test helpers in shell_info.c, .sha3sum in
** shell_sha3.c.
**
** Arguments are split at blanks; '...' and "..." quote (outside '...', C
** escapes such as \t, \n and octal \055 work, as in sqlite3).
*/
/* strdup and realpath are POSIX. */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "shell_int.h"
#include "sqlite3.h"

/* One backslash escape of a dot command's argument, as sqlite3 reads them:
** \a \b \f \n \r \t \v, up to three octal digits, and any other character
** stands for itself.  *pp is on the backslash; it is left past the escape. */
static char dot_escape(char **pp) {
  char *p = *pp + 1;
  char c = *p++;
  if (c >= '0' && c <= '7') {
    int v = c - '0';
    for (int k = 0; k < 2 && *p >= '0' && *p <= '7'; k++) v = v * 8 + (*p++ - '0');
    c = (char)v;
  } else {
    static const char from[] = "abfnrtv", to[] = "\a\b\f\n\r\t\v";
    const char *f = strchr(from, c);
    if (c && f) c = to[f - from];
  }
  *pp = p;
  return c;
}

/* Splits line (after its '.') into blank-separated, optionally quoted words.
** Backslash escapes work in "..." and in unquoted words, not in '...'. */
static int dot_split(const char *line, ShellArgs *a) {
  memset(a, 0, sizeof(*a));
  while (*line == ' ' || *line == '\t') line++;
  size_t len = strlen(line + 1);
  a->buf = malloc(len + 1);
  a->argv = calloc(len / 2 + 2, sizeof(char *));
  if (!a->buf || !a->argv) return 1;
  memcpy(a->buf, line + 1, len + 1);
  char *p = a->buf;
  while (*p) {
    while (isspace((unsigned char)*p)) p++;
    if (!*p) break;
    char quote = (*p == '\'' || *p == '"') ? *p++ : 0;
    char *w = p, *o = p;
    a->argv[a->argc++] = w;
    while (*p && (quote ? *p != quote : !isspace((unsigned char)*p))) {
      if (quote != '\'' && *p == '\\' && p[1]) *o++ = dot_escape(&p);
      else *o++ = *p++;
    }
    if (*p) p++;
    *o = 0;
  }
  return 0;
}

static int like_at(const char *pat, const char *z, int esc) {
  for (; *pat; pat++, z++) {
    if (*pat == '%') {
      while (*pat == '%') pat++;
      if (!*pat) return 1;
      for (; *z; z++) {
        if (like_at(pat, z, esc)) return 1;
      }
      return 0;
    }
    if (!*z) return 0;
    if (esc && *pat == '\\' && pat[1]) {
      pat++;
      if (tolower((unsigned char)*pat) != tolower((unsigned char)*z)) return 0;
    } else if (*pat != '_' && tolower((unsigned char)*pat) != tolower((unsigned char)*z)) {
      return 0;
    }
  }
  return *z == 0;
}

int shell_like(const char *pat, const char *z) { return like_at(pat, z, 0); }
int shell_like_escaped(const char *pat, const char *z) { return like_at(pat, z, 1); }

static int parse_bool(const char *z) {
  if (!strcasecmp(z, "on") || !strcasecmp(z, "yes") || !strcmp(z, "1") || !strcasecmp(z, "true")) return 1;
  if (!strcasecmp(z, "off") || !strcasecmp(z, "no") || !strcmp(z, "0") || !strcasecmp(z, "false")) return 0;
  return -1;
}

/* An on/off argument as sqlite3 reads one: a word or a number; anything else
** is "no", with a warning. */
int shell_loose_bool(Shell *sh, const char *z) {
  int v = parse_bool(z);
  if (v >= 0) return v;
  char *end;
  long n = strtol(z, &end, 0);
  if (end != z && *end == 0) return n != 0;
  fflush(sh->out);
  fprintf(sh->err, "ERROR: Not a boolean value: \"%s\". Assuming \"no\".\n", z);
  return 0;
}

/* .headers/.echo/.eqp/.timer: one on|off argument into *flag. */
static int dot_flag(Shell *sh, ShellArgs *a, int *flag, const char *usage) {
  if (a->argc != 2) {
    shell_error(sh, "Usage: %s", usage);
    return 1;
  }
  *flag = shell_loose_bool(sh, a->argv[1]);
  return 0;
}

static int set_string(Shell *sh, char **slot, const char *value) {
  char *copy = strdup(value);
  if (!copy) {
    shell_error(sh, "Error: out of memory");
    return 1;
  }
  free(*slot);
  *slot = copy;
  return 0;
}

/* ---- .mode ------------------------------------------------------------------ */

static int is_columnar(ShellMode m) {
  return m == SHELL_MODE_COLUMN || m == SHELL_MODE_BOX || m == SHELL_MODE_TABLE || m == SHELL_MODE_MARKDOWN;
}

static void show_mode(Shell *sh) {
  fprintf(sh->out, "current output mode: %s", shell_mode_name(sh->mode));
  if (is_columnar(sh->mode)) {
    fprintf(sh->out, " --wrap %d --wordwrap %s --%squote", sh->wrap, sh->wordwrap ? "on" : "off",
            sh->quote_cells ? "" : "no");
  }
  fputc('\n', sh->out);
}

/* "-name" or "--name" */
static int is_option(const char *z, const char *name) {
  if (z[0] != '-') return 0;
  z += z[1] == '-' ? 2 : 1;
  return strcmp(z, name) == 0;
}

/* .mode ?MODE? ?TABLE? ?OPTIONS?, read as sqlite3 3.40 reads it: the options
** of the columnar modes may come anywhere; the first other word is the mode
** (any prefix of its name), the second the table of insert mode (ignored by
** the other modes).  Without a mode the current one is shown and then set
** again, which restores its separators and column options.  The column
** options not given take their defaults (qbox: --quote). */
static int dot_mode(Shell *sh, ShellArgs *a) {
  const char *name = NULL, *table = NULL;
  int wrap = SHELL_DEFAULT_WRAP, wordwrap = 0, quote = 0;
  for (int i = 1; i < a->argc; i++) {
    const char *z = a->argv[i];
    if (is_option(z, "wrap") && i + 1 < a->argc) {
      wrap = atoi(a->argv[++i]);
    } else if (is_option(z, "ww")) {
      wordwrap = 1;
    } else if (is_option(z, "wordwrap") && i + 1 < a->argc) {
      wordwrap = shell_loose_bool(sh, a->argv[++i]);
    } else if (is_option(z, "quote")) {
      quote = 1;
    } else if (is_option(z, "noquote")) {
      quote = 0;
    } else if (!name) {
      name = z;
      if (strcmp(z, "qbox") == 0) {
        wrap = SHELL_DEFAULT_WRAP;
        wordwrap = 0;
        quote = 1;
      }
    } else if (!table) {
      table = z;
    } else if (z[0] == '-') {
      shell_error(sh, "unknown option: %s\noptions:\n  --noquote\n  --quote\n  --wordwrap on/off\n  --wrap N\n  --ww", z);
      return 1;
    } else {
      shell_error(sh, "extra argument: \"%s\"", z);
      return 1;
    }
  }
  int mode;
  if (!name) {
    show_mode(sh);
    mode = sh->mode == SHELL_MODE_TABS ? SHELL_MODE_LIST : (int)sh->mode;
  } else {
    mode = shell_mode_from_prefix(name);
  }
  if (mode < 0) {
    shell_error(sh, "Error: mode should be one of: ascii box column csv html insert json line list markdown "
                    "qbox quote table tabs tcl");
    return 1;
  }
  shell_set_mode(sh, (ShellMode)mode, 1);
  if (is_columnar((ShellMode)mode)) {
    sh->wrap = wrap;
    sh->wordwrap = wordwrap;
    sh->quote_cells = quote;
  }
  if (mode == SHELL_MODE_INSERT) {
    free(sh->insert_table);
    sh->insert_table = NULL;
    if (table) return set_string(sh, &sh->insert_table, table);
  }
  return 0;
}

static int dot_headers(Shell *sh, ShellArgs *a) {
  int rc = dot_flag(sh, a, &sh->headers, ".headers on|off");
  if (rc == 0) sh->headers_set = 1;
  return rc;
}

static int dot_separator(Shell *sh, ShellArgs *a) {
  if (a->argc < 2 || a->argc > 3) {
    shell_error(sh, "Usage: .separator COL ?ROW?");
    return 1;
  }
  snprintf(sh->colsep, sizeof sh->colsep, "%s", a->argv[1]);
  if (a->argc == 3) snprintf(sh->rowsep, sizeof sh->rowsep, "%s", a->argv[2]);
  sh->separator_set = 1;
  return 0;
}

static int dot_nullvalue(Shell *sh, ShellArgs *a) {
  if (a->argc != 2) {
    shell_error(sh, "Usage: .nullvalue STRING");
    return 1;
  }
  return set_string(sh, &sh->nullvalue, a->argv[1]);
}

/* ---- .load ---------------------------------------------------------------------- */

/* As in sqlite3's shell, the shell's connections may load extensions. */
static int dot_load(Shell *sh, ShellArgs *a) {
  if (a->argc < 2 || a->argc > 3) {
    shell_error(sh, "Usage: .load FILE ?ENTRYPOINT?");
    return 1;
  }
  sqlite3 *db = (sqlite3 *)(void *)sh->db; /* the same connection under sqlite3.h's name */
  char *err = NULL;
  sqlite3_enable_load_extension(db, 1);
  if (sqlite3_load_extension(db, a->argv[1], a->argc > 2 ? a->argv[2] : NULL, &err) != SQLITE_OK) {
    shell_error(sh, "Error: %s", err ? err : "out of memory");
    sqlite3_free(err);
    return 1;
  }
  return 0;
}

/* ---- .dbconfig -------------------------------------------------------------------- */

/* The connection settings sqlite3 3.40's .dbconfig lists, in its order. */
static const struct {
  const char *name;
  int op;
} dbconfig_options[] = {
    {"defensive", SQLITE_DBCONFIG_DEFENSIVE},
    {"dqs_ddl", SQLITE_DBCONFIG_DQS_DDL},
    {"dqs_dml", SQLITE_DBCONFIG_DQS_DML},
    {"enable_fkey", SQLITE_DBCONFIG_ENABLE_FKEY},
    {"enable_qpsg", SQLITE_DBCONFIG_ENABLE_QPSG},
    {"enable_trigger", SQLITE_DBCONFIG_ENABLE_TRIGGER},
    {"enable_view", SQLITE_DBCONFIG_ENABLE_VIEW},
    {"fts3_tokenizer", SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER},
    {"legacy_alter_table", SQLITE_DBCONFIG_LEGACY_ALTER_TABLE},
    {"legacy_file_format", SQLITE_DBCONFIG_LEGACY_FILE_FORMAT},
    {"load_extension", SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION},
    {"no_ckpt_on_close", SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE},
    {"reset_database", SQLITE_DBCONFIG_RESET_DATABASE},
    {"trigger_eqp", SQLITE_DBCONFIG_TRIGGER_EQP},
    {"trusted_schema", SQLITE_DBCONFIG_TRUSTED_SCHEMA},
    {"writable_schema", SQLITE_DBCONFIG_WRITABLE_SCHEMA},
};

/* .dbconfig ?OPTION? ?on|off?: sets OPTION when a value is given, then
** prints it (every option without an argument) as the connection reports
** it.  An unknown option is reported without failing the command, as in
** sqlite3. */
static int dot_dbconfig(Shell *sh, ShellArgs *a) {
  sqlite3 *db = (sqlite3 *)(void *)sh->db; /* the same connection under sqlite3.h's name */
  size_t n = sizeof dbconfig_options / sizeof dbconfig_options[0], i;
  for (i = 0; i < n; i++) {
    if (a->argc > 1 && strcmp(a->argv[1], dbconfig_options[i].name) != 0) continue;
    int on = 0;
    if (a->argc > 2) sqlite3_db_config(db, dbconfig_options[i].op, shell_loose_bool(sh, a->argv[2]), (int *)NULL);
    sqlite3_db_config(db, dbconfig_options[i].op, -1, &on);
    fprintf(sh->out, "%19s %s\n", dbconfig_options[i].name, on ? "on" : "off");
    if (a->argc > 1) break;
  }
  if (a->argc > 1 && i == n)
    fprintf(sh->err, "Error: unknown dbconfig \"%s\"\nEnter \".dbconfig\" with no arguments for a list\n", a->argv[1]);
  return 0;
}

/* ---- .output / .once ------------------------------------------------------------- */

/* Sends output to path: a file, or with a leading '|' the standard input of
** that command (run by the shell, as sqlite3 runs it). */
static int redirect(Shell *sh, const char *path, int once, int bom) {
  shell_close_output(sh);
  if (!path || strcmp(path, "stdout") == 0) return 0;
  int pipe = path[0] == '|';
  fflush(stdout);
  FILE *f = pipe ? popen(path + 1, "w") : fopen(path, "w");
  if (!f) {
    shell_error(sh, "Error: cannot open \"%s\"", path);
    return 1;
  }
  if (bom) fputs("\xef\xbb\xbf", f);
  sh->out = f;
  sh->out_is_pipe = pipe;
  sh->once = once;
  snprintf(sh->out_name, sizeof sh->out_name, "%s", path);
  return 0;
}

/* The usage sqlite3 gives after an extra argument (its help text of each). */
static const char output_usage[] =
    ".output ?FILE?           Send output to FILE or stdout if FILE is omitted\n"
    "   If FILE begins with '|' then open it as a pipe.\n"
    "   Options:\n"
    "     --bom                 Prefix output with a UTF8 byte-order mark\n"
    "     -e                    Send output to the system text editor\n"
    "     -x                    Send output as CSV to a spreadsheet";
static const char once_usage[] =
    ".once ?OPTIONS? ?FILE?   Output for the next SQL command only to FILE\n"
    "     If FILE begins with '|' then open as a pipe\n"
    "       --bom  Put a UTF8 byte-order mark at the beginning\n"
    "       -e     Send output to the system text editor\n"
    "       -x     Send output as CSV to a spreadsheet (same as \".excel\")";

/* .output ?--bom? ?FILE|'|CMD'?, .once ?--bom? FILE|'|CMD': as in sqlite3, the
** words after "|CMD" belong to the command. */
static int dot_output(Shell *sh, ShellArgs *a) {
  int once = strncmp(a->argv[0], "once", strlen(a->argv[0])) == 0; /* .o is .once, .ou .output */
  int bom = 0;
  ShellBuf path = {0};
  for (int i = 1; i < a->argc; i++) {
    const char *z = a->argv[i];
    if (path.n == 0 && is_option(z, "bom")) {
      bom = 1;
    } else if (path.n == 0 && (is_option(z, "e") || is_option(z, "x"))) {
      shell_error(sh, "Error: .%s %s (a text editor or spreadsheet) is not available in this shell", a->argv[0], z);
      shell_buf_free(&path);
      return 1;
    } else if (path.n == 0 && z[0] == '-' && z[1]) {
      shell_error(sh, "Error: unknown option: %s", z);
      return 1;
    } else if (path.n == 0) {
      shell_buf_appendz(&path, z);
      for (; z[0] == '|' && i + 1 < a->argc; i++) shell_buf_printf(&path, " %s", a->argv[i + 1]);
    } else {
      /* sqlite3 prints this one to its output, not to stderr */
      fprintf(sh->out, "ERROR: extra parameter: \"%s\".  Usage:\n%s\n", z, once ? once_usage : output_usage);
      sh->had_error = 1;
      sh->error_count++;
      shell_buf_free(&path);
      return 1;
    }
  }
  int rc = path.oom ? 1 : redirect(sh, path.n ? path.z : NULL, once, bom);
  shell_buf_free(&path);
  return rc;
}

/* ---- .read / .open ----------------------------------------------------------------- */

static int dot_read(Shell *sh, ShellArgs *a) {
  if (a->argc != 2) {
    shell_error(sh, "Usage: .read FILE");
    return 1;
  }
  FILE *f = fopen(a->argv[1], "r");
  if (!f) {
    shell_error(sh, "Error: cannot open \"%s\"", a->argv[1]);
    return 1;
  }
  int before = sh->had_error;
  sh->had_error = 0;
  shell_process_file(sh, f);
  fclose(f);
  int failed = sh->had_error;
  sh->had_error |= before;
  return failed;
}

/* .open ?--new? ?--readonly? ?--nofollow? ?FILENAME?: --new empties the file
** first, --readonly opens this one database read-only; sqlite3's other
** options (zip, append, hexdb, deserialize) name things Lode has not. */
static int dot_open(Shell *sh, ShellArgs *a) {
  const char *path = NULL;
  int fresh = 0, readonly = 0;
  for (int i = 1; i < a->argc; i++) {
    const char *z = a->argv[i];
    if (is_option(z, "new")) {
      fresh = 1;
    } else if (is_option(z, "readonly")) {
      readonly = 1;
    } else if (is_option(z, "nofollow")) {
      continue; /* Lode's own VFS does not follow symbolic links it is not given */
    } else if (z[0] == '-') {
      shell_error(sh, "unknown option: %s", z);
      return 1;
    } else if (path) {
      shell_error(sh, "extra argument: \"%s\"", z);
      return 1;
    } else {
      path = z;
    }
  }
  if (path && strcmp(path, SHELL_MEMORY_DB) != 0 &&
      shell_refuse_unsafe(sh, "cannot open disk-based database files in safe mode"))
    return 1;
  int saved = sh->readonly;
  sh->readonly |= readonly;
  int rc = fresh && path ? shell_open_new_db(sh, path) : shell_open_db(sh, path);
  sh->readonly = saved;
  return rc;
}

static int dot_cd(Shell *sh, ShellArgs *a) {
  if (a->argc != 2) {
    shell_error(sh, "Usage: .cd DIRECTORY");
    return 1;
  }
  if (chdir(a->argv[1]) != 0) {
    shell_error(sh, "Cannot change to directory \"%s\"", a->argv[1]);
    return 1;
  }
  return 0;
}

/* ---- .show / .databases ------------------------------------------------------------ */

/* A separator as sqlite3's .show writes it: in quotes, with C escapes. */
static void show_escaped(Shell *sh, const char *label, const char *z) {
  fprintf(sh->out, "%12.12s: \"", label);
  for (; *z; z++) {
    if (*z == '\n') fputs("\\n", sh->out);
    else if (*z == '\r') fputs("\\r", sh->out);
    else if (*z == '\t') fputs("\\t", sh->out);
    else if (*z == '"' || *z == '\\') fprintf(sh->out, "\\%c", *z);
    else fputc(*z, sh->out);
  }
  fputs("\"\n", sh->out);
}

static int dot_show(Shell *sh, ShellArgs *a) {
  if (a->argc != 1) {
    shell_error(sh, "Usage: .show");
    return 1;
  }
  FILE *o = sh->out;
  /* the settings sqlite3 3.40 lists, in its order (.explain changes nothing
  ** here, so explain reads as its default) */
  fprintf(o, "%12.12s: %s\n", "echo", sh->echo ? "on" : "off");
  fprintf(o, "%12.12s: %s\n", "eqp", sh->eqp ? "on" : "off");
  fprintf(o, "%12.12s: %s\n", "explain", "auto");
  fprintf(o, "%12.12s: %s\n", "headers", sh->headers ? "on" : "off");
  if (sh->mode == SHELL_MODE_COLUMN || sh->mode == SHELL_MODE_BOX || sh->mode == SHELL_MODE_TABLE ||
      sh->mode == SHELL_MODE_MARKDOWN)
    fprintf(o, "%12.12s: %s --wrap %d --wordwrap %s --%squote\n", "mode", shell_mode_name(sh->mode), sh->wrap,
            sh->wordwrap ? "on" : "off", sh->quote_cells ? "" : "no");
  else
    fprintf(o, "%12.12s: %s\n", "mode", shell_mode_name(sh->mode));
  show_escaped(sh, "nullvalue", sh->nullvalue);
  fprintf(o, "%12.12s: %s\n", "output", sh->out == sh->stdout_file ? "stdout" : sh->out_name);
  show_escaped(sh, "colseparator", sh->colsep);
  show_escaped(sh, "rowseparator", sh->rowsep);
  fprintf(o, "%12.12s: %s\n", "stats", shell_stats_name(sh->stats));
  fprintf(o, "%12.12s: ", "width");
  for (int i = 0; i < sh->ncol_widths; i++) fprintf(o, "%d ", sh->col_widths[i]);
  fputc('\n', o);
  fprintf(o, "%12.12s: %s\n", "filename", sh->db_path ? sh->db_path : SHELL_MEMORY_DB);
  return 0;
}

/* Every database of the connection (PRAGMA database_list), as sqlite3 lists them. */
static int dot_databases(Shell *sh, ShellArgs *a) {
  (void)a;
  lode_stmt *stmt = NULL;
  if (lode_prepare(sh->db, "PRAGMA database_list", -1, &stmt, NULL) != LODE_OK) {
    fprintf(sh->err, "Error: %s\n", lode_errmsg(sh->db));
    return 1;
  }
  while (lode_step(stmt) == LODE_ROW) {
    const char *name = (const char *)lode_column_text(stmt, 1);
    const char *file = (const char *)lode_column_text(stmt, 2);
    if (!name) continue;
    const char *access = lode_db_readonly(sh->db, name) > 0 ? "r/o" : "r/w";
    if (!file || !*file) fprintf(sh->out, "%s: \"\" %s\n", name, access);
    else fprintf(sh->out, "%s: %s %s\n", name, file, access);
  }
  lode_finalize(stmt);
  return 0;
}

/* ---- the small ones ------------------------------------------------------------------ */

static int dot_print(Shell *sh, ShellArgs *a) {
  for (int i = 1; i < a->argc; i++) fprintf(sh->out, "%s%s", i > 1 ? " " : "", a->argv[i]);
  fputc('\n', sh->out);
  return 0;
}

/* .prompt MAIN ?CONTINUE?: the prompts of the terminal, kept per shell. */
static int dot_prompt(Shell *sh, ShellArgs *a) {
  if (a->argc >= 2) snprintf(sh->prompt, sizeof sh->prompt, "%s", a->argv[1]);
  if (a->argc >= 3) snprintf(sh->continue_prompt, sizeof sh->continue_prompt, "%s", a->argv[2]);
  return 0;
}

static int dot_exit(Shell *sh, ShellArgs *a) {
  sh->quit = 1;
  if (a->argv[0][0] == 'e' && a->argc > 1) sh->exit_code = atoi(a->argv[1]);
  return 0;
}

/* .width N...: fixed column widths of the columnar modes (none: all sized by
** their content), clamped as sqlite3 clamps them. */
static int dot_width(Shell *sh, ShellArgs *a) {
  int n = a->argc - 1;
  int *w = n > 0 ? malloc((size_t)n * sizeof(int)) : NULL;
  if (n > 0 && !w) {
    shell_error(sh, "Error: out of memory");
    return 1;
  }
  for (int i = 0; i < n; i++) {
    long v = strtol(a->argv[i + 1], NULL, 10);
    w[i] = v < -30000 ? -30000 : v > 30000 ? 30000 : (int)v;
  }
  free(sh->col_widths);
  sh->col_widths = w;
  sh->ncol_widths = n;
  return 0;
}

static int dot_echo(Shell *sh, ShellArgs *a) { return dot_flag(sh, a, &sh->echo, ".echo on|off"); }
static int dot_bail(Shell *sh, ShellArgs *a) { return dot_flag(sh, a, &sh->bail, ".bail on|off"); }
static int dot_changes(Shell *sh, ShellArgs *a) { return dot_flag(sh, a, &sh->changes, ".changes on|off"); }
/* .eqp off|on|trace|trigger|full: Lode shows one kind of plan, so the
** three detailed kinds of sqlite3 read as on. */
static int dot_eqp(Shell *sh, ShellArgs *a) {
  if (a->argc == 2 && (!strcmp(a->argv[1], "full") || !strcmp(a->argv[1], "trigger") || !strcmp(a->argv[1], "trace"))) {
    sh->eqp = 1;
    return 0;
  }
  return dot_flag(sh, a, &sh->eqp, ".eqp off|on|trace|trigger|full");
}
static int dot_timer(Shell *sh, ShellArgs *a) { return dot_flag(sh, a, &sh->timer, ".timer on|off"); }

/* .excel opens the next result in a spreadsheet in sqlite3; there is none here. */
static int dot_excel(Shell *sh, ShellArgs *a) {
  (void)a;
  shell_error(sh, "Error: .excel (a spreadsheet) is not available in this shell");
  return 1;
}

static int dot_help(Shell *sh, ShellArgs *a);

/* .binary and .explain change how sqlite3 prints on some systems; Lode
** prints bytes as they are and EXPLAIN in its columns always: accepted so
** that sqlite3's scripts run. */
static int dot_accepted(Shell *sh, ShellArgs *a) {
  if (a->argv[0][0] == 'b' && a->argc != 2) { /* .binary needs its argument, as in sqlite3 */
    shell_error(sh, "Usage: .binary on|off");
    return 1;
  }
  if (a->argc > 1 && strcmp(a->argv[1], "auto") != 0) (void)shell_loose_bool(sh, a->argv[1]);
  return 0;
}

/* As in sqlite3, a command may be shortened to any prefix of its name (or
** alias) at least min characters long; min is the length sqlite3 3.40 needs
** to tell it from its other commands (".ta" is .tables, .timer needs all of
** its name; ".t" and ".s" name sqlite3 commands this shell lacks). */
typedef struct DotCommand {
  const char *name;
  int min;
  const char *alias; /* another accepted spelling, or NULL */
  int (*run)(Shell *, ShellArgs *);
  const char *usage;
  const char *help;
} DotCommand;

static const DotCommand commands[] = {
    {"archive", 2, NULL, shell_dot_archive, ".archive ...", "SQLite Archives: files in the sqlar table (--help)"},
    {"auth", 2, NULL, shell_dot_auth, ".auth on|off", "Print each request to the authorizer"},
    {"bail", 3, NULL, dot_bail, ".bail on|off", "Stop after the first error"},
    {"backup", 2, NULL, shell_dot_backup, ".backup ?DB? FILE", "Copy database DB (default main) into FILE"},
    {"binary", 3, NULL, dot_accepted, ".binary on|off", "Accepted (output is always binary)"},
    {"cd", 2, NULL, dot_cd, ".cd DIRECTORY", "Change the working directory"},
    {"changes", 3, NULL, dot_changes, ".changes on|off", "Show the rows changed by each line of SQL"},
    {"check", 3, NULL, shell_dot_check, ".check GLOB", "Fail unless the output since .testcase matches GLOB"},
    {"clone", 1, NULL, shell_dot_clone, ".clone NEWDB", "Copy the schema and rows of this database into NEWDB"},
    {"connection", 2, NULL, shell_dot_connection, ".connection ?close? ?N?",
      "Use (or close) connection N (0-4); none: list them"},
    {"databases", 2, NULL, dot_databases, ".databases", "List the database and its file"},
    {"dbconfig", 3, NULL, dot_dbconfig, ".dbconfig ?OPTION? ?on|off?", "Show or set connection settings"},
    {"dbinfo", 3, NULL, shell_dot_dbinfo, ".dbinfo ?DB?", "Show the header fields and schema counts of DB"},
    {"dump", 1, NULL, shell_dot_dump, ".dump ?TABLE?", "Print the database (or tables LIKE TABLE) as SQL"},
    {"echo", 1, NULL, dot_echo, ".echo on|off", "Print each command before running it"},
    {"eqp", 2, NULL, dot_eqp, ".eqp on|off|full", "Show the query plan of each statement before running it"},
    {"excel", 3, NULL, dot_excel, ".excel", "Not available: no spreadsheet (sqlite3 opens its output in one)"},
    {"exit", 2, NULL, dot_exit, ".exit ?CODE?", "Exit the shell with status CODE (default 0)"},
    {"explain", 3, NULL, dot_accepted, ".explain ?on|off|auto?", "Accepted (EXPLAIN is always shown in columns)"},
    {"headers", 1, NULL, dot_headers, ".headers on|off", "Show column names"},
    {"help", 3, NULL, dot_help, ".help", "Show this message"},
    {"import", 1, NULL, shell_dot_import, ".import FILE TABLE",
     "Load FILE's rows into TABLE (--csv --ascii --skip N --schema S -v)"},
    {"fullschema", 2, NULL, shell_dot_fullschema, ".fullschema", "Show the schema and the content of sqlite_stat tables"},
    {"indexes", 2, "indices", shell_dot_indexes, ".indexes ?TABLE?", "Names of indexes (of tables LIKE TABLE)"},
    {"limit", 5, "limits", shell_dot_limit, ".limit ?LIMIT? ?NEW?", "Show the run-time limits, or set LIMIT to NEW"},
    {"lint", 3, NULL, shell_dot_lint, ".lint fkey-indexes", "Suggest indexes that foreign keys need"},
    {"load", 1, NULL, dot_load, ".load FILE ?ENTRYPOINT?", "Load an extension library"},
    {"log", 3, NULL, shell_dot_log, ".log FILE|off", "Write the library's error log to FILE (stdout, stderr)"},
    {"mode", 1, NULL, dot_mode, ".mode ?MODE? ?OPTIONS?",
     "Set the output mode (no MODE: show it): pretty list csv json line\n"
     "                        column box table markdown qbox tabs insert ?TABLE? quote\n"
     "                        ascii html tcl count off; column modes take --wrap N\n"
     "                        --wordwrap on|off --ww --quote --noquote"},
    {"nonce", 5, NULL, shell_dot_nonce, ".nonce STRING", "Leave -safe mode for the next line (STRING: -nonce's)"},
    {"nullvalue", 1, NULL, dot_nullvalue, ".nullvalue STRING", "Print STRING in place of NULL values"},
    {"once", 1, NULL, dot_output, ".once ?--bom? FILE", "Send the output of the next command to FILE (|CMD: to CMD)"},
    {"open", 2, NULL, dot_open, ".open ?OPTIONS? ?FILE?", "Close this database and open FILE (none: in memory);\n"
     "                        --new empties FILE first, --readonly opens it read-only"},
    {"output", 2, NULL, dot_output, ".output ?FILE?", "Send output to FILE or |CMD (none: back to stdout)"},
    {"parameter", 2, NULL, shell_dot_parameter, ".parameter CMD ...", "Values bound to SQL parameters (.parameter for help)"},
    {"print", 3, NULL, dot_print, ".print STRING...", "Print the strings"},
    {"prompt", 1, NULL, dot_prompt, ".prompt MAIN CONTINUE", "Set the prompts of the terminal"},
    {"quit", 1, NULL, dot_exit, ".quit", "Exit the shell"},
    {"read", 3, NULL, dot_read, ".read FILE", "Run the SQL and commands in FILE"},
    {"restore", 3, NULL, shell_dot_restore, ".restore ?DB? FILE", "Replace database DB (default main) by FILE's content"},
    {"save", 2, NULL, shell_dot_backup, ".save ?DB? FILE", "Same as .backup"},
    {"scanstats", 1, NULL, shell_dot_scanstats, ".scanstats on|off", "Accepted (no loop counters are kept)"},
    {"schema", 3, NULL, shell_dot_schema, ".schema ?--indent? ?--nosys? ?PATTERN?",
     "Show the CREATE statements (of tables LIKE PATTERN)"},
    {"separator", 2, NULL, dot_separator, ".separator COL ?ROW?", "Set the column and row separators"},
    {"sha3sum", 4, NULL, shell_dot_sha3sum, ".sha3sum ?OPTIONS? ...",
      "Hash the content of the database (SHA-3); tables LIKE a pattern"},
    {"shell", 2, NULL, shell_dot_system, ".shell CMD ARGS...", "Run CMD ARGS... in a system shell"},
    {"show", 3, NULL, dot_show, ".show", "Show the current settings"},
    {"stats", 2, NULL, shell_dot_stats, ".stats ?ARG?",
      "Show counters now, or with on|off|stmt|vmstep after each statement"},
    {"system", 2, NULL, shell_dot_system, ".system CMD ARGS...", "Run CMD ARGS... in a system shell"},
    {"tables", 2, NULL, shell_dot_tables, ".tables ?PATTERN?", "List the tables (matching the LIKE PATTERN)"},
    {"testcase", 8, NULL, shell_dot_testcase, ".testcase NAME", "Send output to testcase-out.txt for .check"},
    {"timer", 5, NULL, dot_timer, ".timer on|off", "Print the time each statement takes"},
    {"timeout", 5, NULL, shell_dot_timeout, ".timeout MS", "Wait up to MS milliseconds for a locked database"},
    {"trace", 1, NULL, shell_dot_trace, ".trace ?FILE|off? ...",
      "Write the SQL of each statement to FILE (--expanded --profile ...)"},
    {"vfsinfo", 2, NULL, shell_dot_vfsinfo, ".vfsinfo ?DB?", "Describe the VFS of DB"},
    {"vfslist", 4, NULL, shell_dot_vfslist, ".vfslist", "Describe every VFS"},
    {"vfsname", 4, NULL, shell_dot_vfsinfo, ".vfsname ?DB?", "Name the VFS of DB"},
    {"width", 2, NULL, dot_width, ".width NUM1 NUM2 ...", "Set column widths of the column modes (<0: right-aligned)"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static int dot_help(Shell *sh, ShellArgs *a) {
  (void)a;
  for (size_t i = 0; i < NCOMMANDS; i++) fprintf(sh->out, "%-23s %s\n", commands[i].usage, commands[i].help);
  return 0;
}

/* The commands safe mode refuses: they read or write files other than the
** database, or run programs. */
static int is_unsafe(const DotCommand *c) {
  static const char *const names[] = {"archive", "backup", "cd", "clone", "excel", "import", "load", "log", "once", "output",
                                      "read", "restore", "save", "shell", "system"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(c->name, names[i]) == 0) return 1;
  return 0;
}

static int names_command(const DotCommand *c, const char *cmd) {
  size_t n = strlen(cmd);
  if (n < (size_t)c->min) return 0;
  return strncmp(cmd, c->name, n) == 0 || (c->alias && strncmp(cmd, c->alias, n) == 0);
}

int shell_do_dot(Shell *sh, const char *line) {
  ShellArgs a;
  int rc = 1;
  if (dot_split(line, &a)) {
    shell_error(sh, "Error: out of memory");
  } else if (a.argc == 0) {
    shell_error(sh, "Error: missing command after \".\". Enter \".help\" for usage hints.");
  } else {
    const DotCommand *c = NULL;
    for (size_t i = 0; i < NCOMMANDS && !c; i++) {
      if (names_command(&commands[i], a.argv[0])) c = &commands[i];
    }
    /* sqlite3 names .archive in full, the others as typed */
    const char *shown = c && strcmp(c->name, "archive") == 0 ? c->name : a.argv[0];
    if (c && is_unsafe(c) && shell_refuse_unsafe(sh, "cannot run .%s in safe mode", shown)) rc = 1;
    else if (c) rc = c->run(sh, &a);
    else shell_error(sh, "Error: unknown command or invalid arguments:  \"%s\". Enter \".help\" for help", a.argv[0]);
  }
  free(a.buf);
  free(a.argv);
  return rc;
}
