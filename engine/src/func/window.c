/*
** window.c — the names of the functions that exist only as window
** functions.  Their values depend on a row's place in its partition and
** frame, so the VM's window pass (vdbe_window.c) computes them; this table
** tells codegen which calls they are and how many arguments each takes.
*/
#include "func/func_internal.h"

static const struct {
  const char *name;
  int min_args, max_args;
  FuncWindowKind kind;
} window_funcs[] = {
    {"row_number", 0, 0, WINFN_ROW_NUMBER},   {"rank", 0, 0, WINFN_RANK},
    {"dense_rank", 0, 0, WINFN_DENSE_RANK},   {"percent_rank", 0, 0, WINFN_PERCENT_RANK},
    {"cume_dist", 0, 0, WINFN_CUME_DIST},     {"ntile", 1, 1, WINFN_NTILE},
    {"lag", 1, 3, WINFN_LAG},                 {"lead", 1, 3, WINFN_LEAD},
    {"first_value", 1, 1, WINFN_FIRST_VALUE}, {"last_value", 1, 1, WINFN_LAST_VALUE},
    {"nth_value", 2, 2, WINFN_NTH_VALUE},
};

int func_window_find(const char *name, int nargs, int *name_exists) {
  for (size_t i = 0; i < sizeof window_funcs / sizeof window_funcs[0]; i++) {
    if (util_stricmp(name, window_funcs[i].name) != 0) continue;
    if (nargs >= window_funcs[i].min_args && nargs <= window_funcs[i].max_args) return (int)window_funcs[i].kind;
    *name_exists = 1;
    return 0;
  }
  return 0;
}

void func_window_each(void (*each)(void *arg, const FuncInfo *info), void *arg) {
  for (size_t i = 0; i < sizeof window_funcs / sizeof window_funcs[0]; i++) {
    for (int n = window_funcs[i].min_args; n <= window_funcs[i].max_args; n++) {
      FuncInfo info = {window_funcs[i].name, n, n, 0, 1, 1};
      each(arg, &info);
    }
  }
}
