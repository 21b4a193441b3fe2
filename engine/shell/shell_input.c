/*
** shell_input.c — reading lines on a terminal, and Ctrl-C.
**
** With libedit (LODE_HAVE_LIBEDIT) a terminal gets line editing (emacs keys,
** ~/.editrc) and a history kept in ~/.lode_history, saved after every line so
** that a killed shell loses nothing.  Without it the shell prompts and reads
** with getline.
**
** Ctrl-C: while the shell is interactive, SIGINT is caught (the previous
** handler is put back when the shell ends).  During a statement the handler
** calls lode_interrupt on the running connection, so the statement fails with
** "interrupted" and the shell goes on; at the prompt it drops the line being
** typed.  The handler is installed without SA_RESTART so that a blocked
** read() returns EINTR; libedit is told to leave signals alone (EL_SIGNAL 0)
** and reads characters through read_wchar below, which turns that EINTR into
** "line dropped" instead of retrying.
**
** A signal handler can only reach static storage: sigint_db and sigint_seen
** are the shell's only file-scope variables, set and cleared around each use.
*/
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell_int.h"

#ifdef LODE_HAVE_LIBEDIT
#include <histedit.h>
#include <wchar.h>

#include "shell_dl.h"
#define HISTORY_FILE ".lode_history"
#define HISTORY_SIZE 1000

/* libedit, loaded when a terminal session starts (shell_dl.h). */
#define EDIT_FUNCS(X) X(el_init) X(el_end) X(el_get) X(el_gets) X(el_set) X(el_source) \
  X(history) X(history_init) X(history_end)
EDIT_FUNCS(SHELL_DL_PTR)
#define el_init (*dl_el_init)
#define el_end (*dl_el_end)
#define el_get (*dl_el_get)
#define el_gets (*dl_el_gets)
#define el_set (*dl_el_set)
#define el_source (*dl_el_source)
#define history (*dl_history)
#define history_init (*dl_history_init)
#define history_end (*dl_history_end)

static int edit_loaded(void) {
  static void *lib;
  static int failed;
  static const char *const files[] = {"libedit.so.2", "libedit.so", NULL};
  static const ShellDlSym syms[] = {EDIT_FUNCS(SHELL_DL_SYM)};
  return shell_dl_load(&lib, &failed, files, syms, (int)(sizeof syms / sizeof syms[0]));
}
#endif

static volatile sig_atomic_t sigint_seen;
static lode *volatile sigint_db;

struct ShellInput {
  struct sigaction old_sigint;
  const char *prompt;
#ifdef LODE_HAVE_LIBEDIT
  EditLine *el;
  History *hist;
  char *history_path;
  char *old_locale;
#endif
};

static void on_sigint(int sig) {
  (void)sig;
  sigint_seen = 1;
  lode *db = sigint_db;
  if (db) lode_interrupt(db);
}

void shell_sigint_begin(Shell *sh) {
  sigint_seen = 0;
  sigint_db = sh->input ? sh->db : NULL;
}

void shell_sigint_end(Shell *sh) {
  (void)sh;
  sigint_db = NULL;
  sigint_seen = 0;
}

#ifdef LODE_HAVE_LIBEDIT

static char *prompt_of(EditLine *el) {
  ShellInput *in = NULL;
  el_get(el, EL_CLIENTDATA, &in);
  return (char *)(in && in->prompt ? in->prompt : "");
}

/* libedit's character source: one UTF-8 character from stdin.  Returns 1, 0
** at end of input, -1 on error or when Ctrl-C interrupted the read. */
static int read_wchar(EditLine *el, wchar_t *wc) {
  (void)el;
  unsigned char c;
  unsigned value = 0;
  int more = 0;
  for (;;) {
    ssize_t n = read(STDIN_FILENO, &c, 1);
    if (n == 0) return 0;
    if (n < 0) {
      if (errno == EINTR && !sigint_seen) continue;
      return -1;
    }
    if (more > 0 && (c & 0xc0) == 0x80) {
      value = (value << 6) | (c & 0x3f);
      if (--more == 0) break;
      continue;
    }
    /* A lead byte (a broken sequence restarts here). */
    if (c < 0x80) {
      value = c;
      break;
    }
    more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
    value = c & (0x3f >> more);
    if (more == 0) break; /* a stray continuation byte passes as itself */
  }
  *wc = (wchar_t)value;
  return 1;
}

/* libedit converts between wide and multibyte text with the C library, which
** needs a UTF-8 LC_CTYPE; the caller's locale is put back on close. */
static void use_utf8_locale(ShellInput *in) {
  const char *cur = setlocale(LC_CTYPE, NULL);
  in->old_locale = cur ? strdup(cur) : NULL;
  if (!setlocale(LC_CTYPE, "") || MB_CUR_MAX < 4) setlocale(LC_CTYPE, "C.UTF-8");
}

static void open_editor(ShellInput *in) {
  if (!edit_loaded()) return; /* lines are read without editing */
  use_utf8_locale(in);
  in->el = el_init("lode", stdin, stdout, stderr);
  in->hist = history_init();
  if (!in->el || !in->hist) return;
  HistEvent ev;
  history(in->hist, &ev, H_SETSIZE, HISTORY_SIZE);
  history(in->hist, &ev, H_SETUNIQUE, 1);
  const char *home = getenv("HOME");
  if (home && *home) {
    size_t n = strlen(home) + sizeof(HISTORY_FILE) + 2;
    in->history_path = malloc(n);
    if (in->history_path) {
      snprintf(in->history_path, n, "%s/%s", home, HISTORY_FILE);
      history(in->hist, &ev, H_LOAD, in->history_path);
    }
  }
  el_set(in->el, EL_CLIENTDATA, in);
  el_set(in->el, EL_EDITOR, "emacs");
  el_set(in->el, EL_SIGNAL, 0);
  el_set(in->el, EL_PROMPT, prompt_of);
  el_set(in->el, EL_HIST, history, in->hist);
  el_set(in->el, EL_GETCFN, read_wchar);
  el_source(in->el, NULL);
}

static int editor_read(ShellInput *in, char **line) {
  int count = 0;
  const char *z = el_gets(in->el, &count);
  if (!z || count <= 0) {
    if (sigint_seen) {
      sigint_seen = 0;
      fputc('\n', stdout);
      fflush(stdout);
      return -1;
    }
    return 0;
  }
  size_t n = strlen(z);
  while (n > 0 && (z[n - 1] == '\n' || z[n - 1] == '\r')) n--;
  *line = malloc(n + 1);
  if (!*line) return 0;
  memcpy(*line, z, n);
  (*line)[n] = 0;
  return 1;
}

void shell_input_add_history(ShellInput *in, const char *line) {
  if (!in || !in->hist || !*line) return;
  HistEvent ev;
  history(in->hist, &ev, H_ENTER, line);
  if (in->history_path) history(in->hist, &ev, H_SAVE, in->history_path);
}

#else /* no libedit */

void shell_input_add_history(ShellInput *in, const char *line) {
  (void)in;
  (void)line;
}

#endif

static int plain_read(ShellInput *in, char **line) {
  size_t cap = 0;
  fputs(in->prompt, stdout);
  fflush(stdout);
  ssize_t got = getline(line, &cap, stdin);
  if (got < 0) {
    free(*line);
    *line = NULL;
    if (sigint_seen) {
      sigint_seen = 0;
      clearerr(stdin);
      fputc('\n', stdout);
      return -1;
    }
    return 0;
  }
  while (got > 0 && ((*line)[got - 1] == '\n' || (*line)[got - 1] == '\r')) (*line)[--got] = 0;
  return 1;
}

int shell_input_read(ShellInput *in, const char *prompt, char **line) {
  *line = NULL;
  in->prompt = prompt;
  sigint_seen = 0;
#ifdef LODE_HAVE_LIBEDIT
  if (in->el && in->hist) return editor_read(in, line);
#endif
  return plain_read(in, line);
}

ShellInput *shell_input_open(Shell *sh) {
  (void)sh;
  ShellInput *in = calloc(1, sizeof(ShellInput));
  if (!in) return NULL;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &in->old_sigint);
#ifdef LODE_HAVE_LIBEDIT
  open_editor(in);
#endif
  return in;
}

void shell_input_close(ShellInput *in) {
  if (!in) return;
#ifdef LODE_HAVE_LIBEDIT
  if (in->el) el_end(in->el);
  if (in->hist) history_end(in->hist);
  free(in->history_path);
  if (in->old_locale) setlocale(LC_CTYPE, in->old_locale);
  free(in->old_locale);
#endif
  sigaction(SIGINT, &in->old_sigint, NULL);
  sigint_db = NULL;
  free(in);
}
