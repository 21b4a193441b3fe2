/*
** vtab.c — the registry of eponymous modules and the reading of a
** module's CREATE TABLE text into column names and HIDDEN flags.
**
** The built-in modules are one process-wide table: they hold no state of
** their own, so every connection sees the same ones.
*/
#include <ctype.h>
#include <string.h>

#include "util/util.h"
#include "vtab/vtab.h"

static const VtabModule *const builtin[] = {
    &vtab_json_each,          &vtab_json_tree,          &vtab_generate_series,   &vtab_pragma_table_info,
    &vtab_pragma_table_xinfo, &vtab_pragma_index_list,  &vtab_pragma_index_info, &vtab_pragma_index_xinfo,
    &vtab_pragma_foreign_key_list, &vtab_jsonb_each, &vtab_jsonb_tree};

const VtabModule *vtab_find_module(const char *name) {
  if (!name) return NULL;
  for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
    if (util_stricmp(builtin[i]->name, name) == 0) return builtin[i];
  return vtab_pragma_module(name);
}

void vtab_rows_free(VtabRows *r) {
  for (int i = 0; i < r->nrows * r->ncols; i++) mem_release(&r->cells[i]);
  util_free(r->cells);
  r->cells = NULL;
  r->nrows = r->ncols = 0;
}

static int is_word(const char *z, int n, const char *w) {
  return (int)strlen(w) == n && util_strnicmp(z, w, (size_t)n) == 0;
}

/* The schema texts are the modules' own: each column is "name [HIDDEN]"
** between the parentheses, separated by commas; a name may be in double
** quotes (without quotes inside). */
int vtab_columns(const VtabModule *m, char *names_buf, int bufsize, const char **names, int *hidden, int max) {
  const char *z = strchr(m->schema, '(');
  int n = 0, used = 0;
  if (!z) return -1;
  z++;
  for (;;) {
    while (*z == ' ') z++;
    const char *name = z;
    int quoted = *z == '"';
    if (quoted) { /* a keyword as a column name: "table" */
      name = ++z;
      while (*z && *z != '"') z++;
    } else {
      while (*z && (isalnum((unsigned char)*z) || *z == '_')) z++;
    }
    int len = (int)(z - name);
    if (quoted && *z++ != '"') return -1;
    if (len == 0 || n >= max || used + len + 1 > bufsize) return -1;
    memcpy(names_buf + used, name, (size_t)len);
    names_buf[used + len] = 0;
    names[n] = names_buf + used;
    used += len + 1;
    hidden[n] = 0;
    while (*z == ' ') z++;
    const char *w = z;
    while (*z && isalpha((unsigned char)*z)) z++;
    if (z > w) {
      if (!is_word(w, (int)(z - w), "HIDDEN")) return -1;
      hidden[n] = 1;
    }
    n++;
    while (*z == ' ') z++;
    if (*z == ',') {
      z++;
      continue;
    }
    return *z == ')' ? n : -1;
  }
}

void vtab_set_error(VtabCursor *c, const char *msg) {
  util_free(c->errmsg);
  c->errmsg = util_strdup(msg);
}
