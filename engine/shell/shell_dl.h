/*
** shell_dl.h — the shell's optional libraries (libedit for line editing,
** libnats for --replicate), loaded when first needed rather than linked.
**
** The shell is compiled into the Node addon too, where a program that never
** starts the shell would otherwise map them, and with libnats libssl and
** libcrypto, at every start: about 3 MiB of resident memory and 2 ms of
** dynamic linking.  A file that uses such a library declares a pointer per
** function it calls (SHELL_DL_PTR), names each function after its pointer
** with a #define, and calls shell_dl_load once before the first call.
*/
#ifndef LODE_SHELL_DL_H
#define LODE_SHELL_DL_H

typedef struct ShellDlSym {
  const char *name;
  void **slot;
} ShellDlSym;

/* One pointer, of the function's own type, per function called. */
#define SHELL_DL_PTR(f) static __typeof__(&f) dl_##f;
#define SHELL_DL_SYM(f) {#f, (void **)&dl_##f},

/* Opens the first of files (NULL-terminated) that opens and fills every
** slot from it; 1 on success.  Once a load has failed it is not tried again:
** 0, and every slot stays NULL.  *handle: NULL before the first call. */
int shell_dl_load(void **handle, int *failed, const char *const *files, const ShellDlSym *syms, int nsyms);

#endif /* LODE_SHELL_DL_H */
