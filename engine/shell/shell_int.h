/*
** shell_int.h — what the files of the `lode` shell share: the Shell state
** (one per lode_shell_main call, never global), the growable byte buffer the
** shell uses for input and cells, and the functions each file offers.
**
** Invariants: sh->db is always an open connection while the shell runs (a
** failed .open keeps the previous one); every statement
** the shell prepares is finalized before the function that prepared it
** returns; everything the shell prints to stderr is preceded by a flush of
** stdout so the two streams interleave in the order things happened.
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

typedef enum ShellMode { SHELL_MODE_LIST, SHELL_MODE_PRETTY } ShellMode;

typedef struct Shell {
  lode *db;
  char *db_path;    /* malloc'd; NULL for the transient in-memory database */
  ShellMode mode;
  int headers;      /* list mode: print a header row of column names */
  int eqp;          /* .eqp on: print each statement's query plan before running it */
  int interactive;  /* stdin is a terminal: banner, prompts, errors do not count */
  int had_error;    /* some statement or command failed */
  int quit;         /* .quit/.exit seen */
  int exit_code;    /* argument of .exit */
  FILE *out;
  FILE *err;
} Shell;

/* A growable byte string, always NUL-terminated once anything was added. */
typedef struct ShellBuf {
  char *z;
  size_t n;
  size_t cap;
  int oom;
} ShellBuf;

void shell_buf_append(ShellBuf *b, const char *z, size_t n);
void shell_buf_free(ShellBuf *b);

/* Prints a message line to stderr (after flushing stdout) and marks the
** session as failed. */
void shell_error(Shell *sh, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Opens path (NULL → in-memory) as sh->db, closing the previous connection.
** Returns 0, or 1 after printing why it failed (the previous connection, if
** any, stays; without one sh->db may be NULL). */
int shell_open_db(Shell *sh, const char *path);

/* Runs every statement of sql, printing results in the current mode.  Stops
** at the first failing statement.  Returns 0 or 1 (error printed). */
int shell_run_sql(Shell *sh, const char *sql);

/* Steps stmt to its end, printing its rows the way the mode and the kind of
** statement (EXPLAIN, EXPLAIN QUERY PLAN) ask.  Returns the last lode_step
** result (LODE_DONE on success), or LODE_NOMEM if the shell ran out. */
int shell_render_stmt(Shell *sh, lode_stmt *stmt);

/* Runs one dot command line (starting with '.').  Returns 0 or 1. */
int shell_do_dot(Shell *sh, const char *line);

#endif /* LODE_SHELL_INT_H */
