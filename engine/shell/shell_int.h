/*
** shell_int.h — what the files of the `lode` shell share: the Shell state
** (one per lode_shell_main call, never global), the growable byte buffer the
** shell uses for input and cells, and the functions each file offers.
**
**   shell.c          command line, opening databases, running SQL, the read loop
**   shell_input.c    reading lines: libedit on a terminal (history, editing), stdio
**                    elsewhere; Ctrl-C → lode_interrupt
**   shell_render.c   the statement printer: dispatch by mode, pretty, EXPLAIN, EQP
**   shell_modes.c    the row-by-row modes of sqlite3: list, tabs, csv, line, json,
**                    insert, quote, ascii, html, tcl, count, off
**   shell_columnar.c the whole-result modes of sqlite3: column, box, table, markdown
**   shell_text.c     value formatting shared by modes, .dump and MCP (%!.20g reals,
**                    SQL and JSON quoting, identifier quoting)
**   shell_dot.c      dot command dispatch and the settings commands
**   shell_schema.c   .tables .indexes .schema .dump
**   shell_import.c   .import (CSV)
**   shell_cmds.c     .backup/.save .restore .parameter (and binding its values)
**                    .timeout .limit .shell/.system .clone .connection
**   shell_info.c     reports and test helpers: .dbinfo .vfsinfo/.vfslist/.vfsname
**                    .stats .trace .log .auth .testcase/.check .nonce .lint .scanstats
**   shell_sha3.c     SHA-3 (FIPS 202), the SQL functions sha3/sha3_query, .sha3sum
**   shell_fileio.c   the SQL functions readfile, writefile and edit
**   shell_archive.c  .archive/.ar: SQLite Archives (the sqlar table)
**   shell_decimal.c  the SQL functions of sqlite3's decimal and ieee754 extensions
**   shell_mcp.c      --mcp: the Model Context Protocol server; shell_json.c its JSON
**   shell_dl.c       loading the optional libraries (libedit, libnats) at first use
**
** Invariants: sh->db is always an open connection while the shell runs (a
** failed .open keeps the previous one); every statement the shell prepares is
** finalized before the function that prepared it returns; everything the
** shell prints to stderr is preceded by a flush of sh->out so the two streams
** interleave in the order things happened.
**
** The shell is an application of the public API, not part of the engine: it
** allocates with the C library's malloc/free and reports allocation failure as
** an "out of memory" error instead of returning LODE_NOMEM.
*/
#ifndef LODE_SHELL_INT_H
#define LODE_SHELL_INT_H

#include <stddef.h>
#include <stdio.h>

#include "lode.h"

#define SHELL_PROMPT "lode> "
#define SHELL_CONTINUE_PROMPT "   ...> "
#define SHELL_MEMORY_DB ":memory:"
#define SHELL_SEP_MAX 20
/* .prompt keeps at most 19 bytes of each prompt, as sqlite3 does. */
#define SHELL_PROMPT_MAX 20
#define SHELL_TESTCASE_MAX 30
/* .connection numbers 0 to 4, as sqlite3's. */
#define SHELL_CONNECTIONS 5

/* What .stats prints after each statement. */
#define SHELL_STATS_OFF 0
#define SHELL_STATS_ON 1     /* memory, connection, statement and I/O counters */
#define SHELL_STATS_STMT 2   /* the same, preceded by the statement's columns */
#define SHELL_STATS_VMSTEP 3 /* only the number of virtual machine steps */
/* `.mode box|table|markdown|column` wraps cells at this width, as sqlite3's
** .mode does; the -m option does not wrap (sqlite3's -box neither). */
#define SHELL_DEFAULT_WRAP 60

/* UTF-8 pieces of the box drawing. */
#define BOX_H "\xe2\x94\x80"  /* ─ */
#define BOX_V "\xe2\x94\x82"  /* │ */
#define BOX_TL "\xe2\x94\x8c" /* ┌ */
#define BOX_TM "\xe2\x94\xac" /* ┬ */
#define BOX_TR "\xe2\x94\x90" /* ┐ */
#define BOX_ML "\xe2\x94\x9c" /* ├ */
#define BOX_MM "\xe2\x94\xbc" /* ┼ */
#define BOX_MR "\xe2\x94\xa4" /* ┤ */
#define BOX_BL "\xe2\x94\x94" /* └ */
#define BOX_BM "\xe2\x94\xb4" /* ┴ */
#define BOX_BR "\xe2\x94\x98" /* ┘ */

typedef enum ShellMode {
  SHELL_MODE_LIST,
  SHELL_MODE_PRETTY,
  SHELL_MODE_CSV,
  SHELL_MODE_JSON,
  SHELL_MODE_LINE,
  SHELL_MODE_COLUMN,
  SHELL_MODE_BOX,
  SHELL_MODE_TABLE,
  SHELL_MODE_MARKDOWN,
  SHELL_MODE_TABS,
  SHELL_MODE_INSERT,
  SHELL_MODE_QUOTE,
  SHELL_MODE_ASCII,
  SHELL_MODE_HTML,
  SHELL_MODE_TCL,
  SHELL_MODE_ROWCOUNT, /* sqlite3's "count": how many rows, not the rows */
  SHELL_MODE_OFF,      /* rows are not printed */
  SHELL_MODE_COUNT
} ShellMode;

/* Features behind the manual's --experimental-* flags. */
#define SHELL_EXP_ENCRYPTION 0x01
#define SHELL_EXP_STRICT 0x02
#define SHELL_EXP_VIEWS 0x04
#define SHELL_EXP_MVCC 0x08
#define SHELL_EXP_INDEX_METHOD 0x10

typedef struct ShellInput ShellInput;

typedef struct Shell {
  lode *db;
  char *db_path;     /* malloc'd name as given; NULL for the transient in-memory database */
  int readonly;      /* --readonly: every open is read-only */
  int experimental;  /* SHELL_EXP_* given on the command line */
  ShellMode mode;
  int headers;       /* print a header row (list, csv, tabs, quote, insert, column) */
  int headers_set;   /* .headers was used: .mode column leaves headers alone */
  char colsep[SHELL_SEP_MAX];
  char rowsep[SHELL_SEP_MAX];
  int separator_set; /* .separator was used since the last .mode */
  char *nullvalue;   /* malloc'd; shown for NULL (never NULL itself) */
  char *insert_table; /* malloc'd table name of insert mode; NULL → "table" */
  int wrap;          /* columnar modes: wrap cells at this many characters (0: never) */
  int wordwrap;      /* columnar modes: wrap at word boundaries */
  int quote_cells;   /* columnar modes: show values as SQL literals */
  int *col_widths;   /* .width: per column, 0 auto, <0 right-aligned (malloc'd) */
  int ncol_widths;
  int eqp;           /* .eqp on: print each statement's query plan before running it */
  int echo;          /* -e/.echo on: print input before running it */
  int timer;         /* .timer on: print the time each statement took */
  int changes;       /* .changes on: print the rows changed after each line of SQL */
  int interactive;   /* stdin is a terminal: banner, prompts, errors do not count */
  int had_error;     /* some statement or command failed */
  int error_count;   /* errors reported so far */
  int error_code;    /* result code of the last failed statement */
  int quit;          /* .quit/.exit seen */
  int exit_code;     /* argument of .exit */
  int read_depth;    /* nesting of .read */
  int line_no;       /* line of the input being read, for error messages */
  int stmt_line;     /* line on which the SQL being run starts */
  ShellInput *input; /* terminal line editor, when interactive */
  FILE *out;         /* stdout or the file of .output/.once */
  FILE *err;
  FILE *stdout_file; /* what out is when no .output is active */
  int once;          /* out goes back to stdout after the next statement or command */
  int out_is_pipe;   /* out is a command's stdin (.output |CMD): pclose it */
  char out_name[4096]; /* the file of .output/.once as given ("" for stdout): .show names it */
  int bail;          /* -bail: stop at the first error */
  struct ShellRepl *repl; /* --replicate: the database is replicated through NATS */
  char prompt[SHELL_PROMPT_MAX];          /* .prompt: the prompt for a new statement */
  char continue_prompt[SHELL_PROMPT_MAX]; /* .prompt: the prompt while a statement is unfinished */
  int stats;         /* .stats: SHELL_STATS_* */
  FILE *trace_out;   /* .trace: where the SQL of each statement goes (NULL: off) */
  int trace_expanded; /* .trace --expanded: parameters shown as their values */
  char testcase[SHELL_TESTCASE_MAX]; /* .testcase NAME: what .check reports */
  FILE *log_out;     /* .log: where the library's error log goes (NULL: off) */
  /* .connection: the connections not in use, by number (the one in use is
  ** db/db_path, its slot empty); conn is its number. */
  lode *conn_db[SHELL_CONNECTIONS];
  char *conn_path[SHELL_CONNECTIONS];
  int conn;
  /* -safe: the commands and SQL functions that reach files or programs are
  ** refused, and the first attempt ends the shell (status 1) as in sqlite3.
  ** -nonce N: ".nonce N" lifts that for the next line alone. */
  int safe;
  const char *nonce;  /* -nonce's argument (argv's, never freed) or NULL */
  int unsafe_next;    /* a right .nonce: the next line may do anything */
  int unsafe_now;     /* the line being run came after a right .nonce */
  char safe_msg[96];  /* what the safe-mode authorizer refused, for the error line */
} Shell;

/* A growable byte string, always NUL-terminated once anything was added. */
typedef struct ShellBuf {
  char *z;
  size_t n;
  size_t cap;
  int oom;
} ShellBuf;

void shell_buf_append(ShellBuf *b, const char *z, size_t n);
void shell_buf_appendz(ShellBuf *b, const char *z);
void shell_buf_printf(ShellBuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void shell_buf_free(ShellBuf *b);

/* Prints a message line to stderr (after flushing sh->out) and marks the
** session as failed. */
void shell_error(Shell *sh, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* ---- shell.c ---------------------------------------------------------------- */

/* Closes the file or pipe of .output/.once, if any: output goes to stdout. */
void shell_close_output(Shell *sh);

/* Opens path (NULL → in-memory) as sh->db, closing the previous connection.
** Returns 0, or 1 after printing why it failed (the previous connection, if
** any, stays). */
int shell_open_db(Shell *sh, const char *path);
/* .open --new: closes the database, empties the file at path and opens it.
** Returns 0, or 1 after printing why (the shell is then on an in-memory
** database). */
int shell_open_new_db(Shell *sh, const char *path);

/* Whether safe mode forbids what the current line does: if so it prints
** "line N: MSG", ends the shell with status 1 and returns 1.  msg is a
** printf format. */
int shell_refuse_unsafe(Shell *sh, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The authorizer of safe mode: denies ATTACH and the SQL functions that
** reach files, programs or extensions (sqlite3's list), noting which in
** sh->safe_msg. */
int shell_safe_authorizer(void *arg, int action, const char *a1, const char *a2, const char *a3, const char *a4);

/* Runs every statement of sql, printing results in the current mode.  Stops
** at the first failing statement.  Returns 0 or 1 (error printed). */
int shell_run_sql(Shell *sh, const char *sql);

/* Reads and runs input (lines of SQL and dot commands) until its end or
** .quit; name is used in error messages of .read files. */
void shell_process_file(Shell *sh, FILE *in);

/* Settings of a mode as sqlite3's .mode sets them (separators, headers). */
void shell_set_mode(Shell *sh, ShellMode mode, int from_dot);
const char *shell_mode_name(ShellMode mode); /* as .mode and .show name it: tabs is "list" */
int shell_mode_from_name(const char *name); /* -1 if unknown */
/* The mode a `.mode` argument names: as sqlite3 3.40, any prefix of a name,
** the first in sqlite3's order winning (".mode l" is line), and "qbox".
** -1 if none. */
int shell_mode_from_prefix(const char *name);

/* Says on stderr that feature ("views are") behind flag is not there yet. */
void shell_say_not_available(Shell *sh, const char *feature, const char *flag);

/* ---- shell_input.c --------------------------------------------------------- */

/* Starts line editing on the terminal (history from ~/.lode_history) and the
** Ctrl-C handler; NULL when stdin is not a terminal or without libedit. */
ShellInput *shell_input_open(Shell *sh);
/* Reads one line (without its newline) into *line (malloc'd, caller frees).
** Returns 1 for a line, 0 at end of input (Ctrl-D), -1 when Ctrl-C dropped
** the line being typed. */
int shell_input_read(ShellInput *in, const char *prompt, char **line);
void shell_input_add_history(ShellInput *in, const char *line);
void shell_input_close(ShellInput *in);
/* While a statement runs, Ctrl-C interrupts it instead of the shell. */
void shell_sigint_begin(Shell *sh);
void shell_sigint_end(Shell *sh);

/* ---- shell_render.c -------------------------------------------------------- */

/* Steps a statement the user gave as sqlite3_step does: .trace sees it and
** the busy handler of .timeout retries it. */
int shell_step(lode_stmt *stmt);

/* Steps stmt to its end, printing its rows the way the mode and the kind of
** statement (EXPLAIN, EXPLAIN QUERY PLAN) ask.  Returns the last lode_step
** result (LODE_DONE on success), or LODE_NOMEM if the shell ran out. */
int shell_render_stmt(Shell *sh, lode_stmt *stmt);

/* ---- shell_modes.c / shell_columnar.c --------------------------------------- */

int shell_render_rows(Shell *sh, lode_stmt *stmt);     /* list tabs csv line json insert quote */
int shell_render_columnar(Shell *sh, lode_stmt *stmt); /* column box table markdown */
/* z as a C string literal, as tcl mode and .auth write it: "...", with \\ \" \t
** \n \r and other bytes outside printable ASCII in octal. */
void shell_append_c_string(ShellBuf *b, const char *z);

/* ---- shell_text.c ----------------------------------------------------------- */

/* sqlite3's "%!.20g" rendering of a REAL (how sqlite3's quote, insert and
** json modes and .dump print them); "1e999"/"-1e999" for infinities. */
void shell_format_real(double r, char *buf, size_t size);
/* A column's value as text the way sqlite3 3.40's sqlite3_column_text gives
** it: a REAL as "%!.15g" (0.1+0.2 → 0.3, 1e20 → 1.0e+20), whatever digits
** the engine's own rendering keeps; other types as lode_column_text.  The
** text stays valid until the next call or until the statement moves. */
const char *shell_column_text(lode_stmt *stmt, int col);
/* A value as an SQL literal: NULL, 123, 1.5, 'text', X'0102'.  style:
** SHELL_SQL_ESCAPE_NEWLINES turns newlines and carriage returns into
** replace(...,char(10)) as sqlite3's insert mode and .dump do;
** SHELL_SQL_LIKE_QUOTE_FN writes what SQL's quote() returns (reals with 15
** digits, x'..'), as the --quote option of the column modes does;
** SHELL_SQL_INF_AS_WORD writes infinities as Inf and -Inf, as sqlite3's
** quote mode does (its insert mode and .dump write 1e999);
** SHELL_SQL_WHOLE_REALS writes a REAL with an integer value in the int64
** range as its integer and ".0" (82.0, not %!.20g's 81.999999999999999998),
** as sqlite3's insert mode and .dump do. */
#define SHELL_SQL_ESCAPE_NEWLINES 1
#define SHELL_SQL_LIKE_QUOTE_FN 2
#define SHELL_SQL_INF_AS_WORD 4
#define SHELL_SQL_WHOLE_REALS 8
void shell_append_sql_value(ShellBuf *b, lode_stmt *stmt, int col, int style);
void shell_append_sql_string(ShellBuf *b, const char *z, int escape);
/* A JSON string of z[0..n) (n < 0: up to the NUL) the way sqlite3 writes it. */
void shell_append_json_string(ShellBuf *b, const char *z, int n);
/* A value as JSON the way sqlite3's json mode writes it (blobs as a string
** of their bytes, text up to its first NUL, infinities as 1e999), or with
** SHELL_JSON_STRICT as valid JSON for MCP clients (blobs as their X'..'
** literal in a string, text whole, infinities as null). */
#define SHELL_JSON_STRICT 1
void shell_append_json_value(ShellBuf *b, lode_stmt *stmt, int col, int style);
/* An identifier, double-quoted when it is not a plain name or is a keyword. */
void shell_append_identifier(ShellBuf *b, const char *name);
void shell_append_quoted(ShellBuf *b, const char *name); /* always in double quotes */
/* Counts code points (UTF-8 lead bytes). */
size_t shell_text_width(const char *z, size_t n);
void shell_write(Shell *sh, const ShellBuf *b);

/* ---- shell_dot.c / shell_schema.c / shell_import.c ------------------------ */

/* Runs one dot command line (starting with '.').  Returns 0 or 1. */
int shell_do_dot(Shell *sh, const char *line);

typedef struct ShellArgs {
  char *buf; /* malloc'd copy of the line that argv points into */
  int argc;
  char **argv;
} ShellArgs;

int shell_dot_tables(Shell *sh, ShellArgs *a);
int shell_dot_indexes(Shell *sh, ShellArgs *a);
int shell_dot_schema(Shell *sh, ShellArgs *a);
int shell_dot_dump(Shell *sh, ShellArgs *a);
int shell_dot_fullschema(Shell *sh, ShellArgs *a);
int shell_dot_import(Shell *sh, ShellArgs *a);
/* shell_cmds.c */
int shell_dot_backup(Shell *sh, ShellArgs *a);    /* .backup and .save */
int shell_dot_restore(Shell *sh, ShellArgs *a);
int shell_dot_parameter(Shell *sh, ShellArgs *a);
int shell_dot_timeout(Shell *sh, ShellArgs *a);
int shell_dot_limit(Shell *sh, ShellArgs *a);
int shell_dot_system(Shell *sh, ShellArgs *a);    /* .system and .shell */
int shell_dot_clone(Shell *sh, ShellArgs *a);
int shell_dot_connection(Shell *sh, ShellArgs *a);
/* Closes the connections .connection put aside. */
void shell_close_connections(Shell *sh);
/* shell_info.c */
int shell_dot_dbinfo(Shell *sh, ShellArgs *a);
int shell_dot_vfsinfo(Shell *sh, ShellArgs *a);   /* .vfsinfo and .vfsname */
int shell_dot_vfslist(Shell *sh, ShellArgs *a);
int shell_dot_stats(Shell *sh, ShellArgs *a);
int shell_dot_trace(Shell *sh, ShellArgs *a);
int shell_dot_testcase(Shell *sh, ShellArgs *a);
int shell_dot_check(Shell *sh, ShellArgs *a);
int shell_dot_nonce(Shell *sh, ShellArgs *a);
int shell_dot_lint(Shell *sh, ShellArgs *a);
int shell_dot_log(Shell *sh, ShellArgs *a);
int shell_dot_scanstats(Shell *sh, ShellArgs *a);
int shell_dot_auth(Shell *sh, ShellArgs *a);
/* shell_sha3.c */
int shell_dot_sha3sum(Shell *sh, ShellArgs *a);
/* Adds sha3() and sha3_query() to a connection, as sqlite3's shell does. */
void shell_register_sha3(lode *db);

/* ---- shell_archive.c ------------------------------------------------------------ */

/* .archive / .ar: SQLite Archives (the sqlar table). */
int shell_dot_archive(Shell *sh, ShellArgs *a);

/* ---- shell_fileio.c, shell_decimal.c --------------------------------------------- */

/* readfile(), writefile(), edit() on db. */
void shell_register_fileio(lode *db);
/* Makes every missing directory above path (mode 0777 less the umask): writefile and .archive -x. */
void shell_make_parents(const char *path);
/* The decimal functions and collation, and the ieee754 functions, on db. */
void shell_register_decimal(lode *db);
/* .stats: what sqlite3 prints after a statement ran (stmt not yet finalized). */
void shell_stats_after_stmt(Shell *sh, lode_stmt *stmt);
/* .stats and .show name the setting as sqlite3 does. */
const char *shell_stats_name(int stats);
/* Closes the file of .trace (the callback writes nothing without it). */
void shell_trace_close(Shell *sh);
/* Stops .log: the library's logger is unset and its file closed. */
void shell_log_close(Shell *sh);
/* Binds each parameter of stmt to its value in temp.sqlite_parameters
** (.parameter set), NULL when it has none; nothing without that table. */
void shell_bind_parameters(Shell *sh, lode_stmt *stmt);
/* An on/off argument as sqlite3 reads one (on/off, yes/no, true/false, a
** number); anything else is off, with a warning. */
int shell_loose_bool(Shell *sh, const char *z);
/* SQL LIKE for the patterns of dot commands: ASCII case-insensitive. */
int shell_like(const char *pat, const char *z);
/* The same with LIKE's ESCAPE '\\' (.schema's and .dump's patterns): \_ and
** \% stand for the characters themselves. */
int shell_like_escaped(const char *pat, const char *z);

/* ---- shell_mcp.c ------------------------------------------------------------- */

/* Serves MCP (JSON-RPC 2.0, one message per line) on stdin/stdout until
** stdin ends.  Returns the exit status. */
int shell_mcp_serve(Shell *sh);

#endif /* LODE_SHELL_INT_H */
