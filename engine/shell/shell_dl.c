/*
** shell_dl.c — loading the shell's optional libraries (see shell_dl.h).
*/
#include "shell_dl.h"

#include <dlfcn.h>
#include <stddef.h>

int shell_dl_load(void **handle, int *failed, const char *const *files, const ShellDlSym *syms, int nsyms) {
  if (*handle) return 1;
  if (*failed) return 0;
  *failed = 1;
  void *h = NULL;
  for (int i = 0; files[i] && !h; i++) h = dlopen(files[i], RTLD_NOW | RTLD_LOCAL);
  if (!h) return 0;
  for (int i = 0; i < nsyms; i++) {
    *syms[i].slot = dlsym(h, syms[i].name);
    if (!*syms[i].slot) {
      /* a library of another version: as if it were absent */
      for (int j = 0; j < nsyms; j++) *syms[j].slot = NULL;
      dlclose(h);
      return 0;
    }
  }
  *failed = 0;
  *handle = h;
  return 1;
}
