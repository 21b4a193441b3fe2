/*
** shell.h — entry point of the `lode` command-line shell.
**
** The shell is a client of the public API (lode.h) only.  It is linked into
** the `lode` executable (engine/shell/main.c) and into the Node addon (so that
** `npx lode` runs the same code), which is why it keeps no global state and
** never calls exit(): every call of lode_shell_main starts from scratch and
** returns its exit status.
*/
#ifndef LODE_SHELL_H
#define LODE_SHELL_H

#ifdef __cplusplus
extern "C" {
#endif

/* Runs the shell as `lode [OPTIONS] [DATABASE] [SQL]` on stdin/stdout/stderr.
** Returns the process exit status: 0, or 1 after an error in non-interactive
** input or a bad command line.  stdout is flushed before returning. */
int lode_shell_main(int argc, char **argv);

#ifdef __cplusplus
}
#endif
#endif /* LODE_SHELL_H */
