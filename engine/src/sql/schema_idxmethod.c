/*
** schema_idxmethod.c — the schema's view of index methods: the MethodIndex
** of a CREATE INDEX … USING method (cols) [WITH (params)] statement, built
** when the statement runs (codegen checks it) and when its sqlite_schema row
** loads.  What the method does with the index is not known here: codegen
** binds the method by name (idxmethod/) when a statement first needs it.
*/
#include <string.h>

#include "sql/schema.h"
#include "sql/token.h"
#include "util/util.h"

void method_index_free(MethodIndex *mi) {
  if (!mi) return;
  if (mi->attachment && mi->attachment_free) mi->attachment_free(mi->attachment);
  for (int i = 0; mi->params && i < mi->nparams; i++) {
    util_free((char *)mi->params[i].name);
    util_free((void *)mi->params[i].p);
  }
  util_free(mi->params);
  util_free(mi->cols);
  util_free(mi->name);
  util_free(mi->method);
  util_free(mi->sql);
  util_free(mi);
}

void table_add_method_index(Table *t, MethodIndex *mi) {
  MethodIndex **at = &t->method_indexes;
  while (*at) at = &(*at)->next;
  mi->next = NULL;
  *at = mi;
}

MethodIndex *schema_find_method_index(Schema *s, const char *name) {
  if (!name) return NULL;
  for (int i = 0; i < s->ntables; i++)
    for (MethodIndex *mi = s->tables[i]->method_indexes; mi; mi = mi->next)
      if (util_stricmp(mi->name, name) == 0) return mi;
  return NULL;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* A parameter's literal into *out (the parser let only literals through). */
static int param_value(const IndexParamDef *d, lode_index_param *out) {
  const Expr *v = d->value;
  int neg = 0;
  if (v->kind == EXPR_UNARY) {
    neg = v->op == TK_MINUS;
    v = v->left;
  }
  switch (v->kind) {
  case EXPR_INTEGER: {
    int64_t i = v->ival;
    double r = 0;
    int kind = util_parse_number(v->text, (size_t)v->n, &i, &r);
    if (kind == 2) { /* too big for an integer: a real, as SQLite reads it */
      out->type = LODE_FLOAT;
      out->f = neg ? -r : r;
    } else {
      if (kind != 1) i = v->ival; /* a hex literal */
      out->type = LODE_INTEGER;
      out->i = neg ? (int64_t)(0 - (uint64_t)i) : i;
    }
    return LODE_OK;
  }
  case EXPR_FLOAT:
    out->type = LODE_FLOAT;
    out->f = neg ? -v->rval : v->rval;
    return LODE_OK;
  case EXPR_STRING: {
    char *z = util_malloc((size_t)v->n + 1);
    if (!z) return LODE_NOMEM;
    memcpy(z, v->text, (size_t)v->n);
    z[v->n] = 0;
    out->type = LODE_TEXT;
    out->p = z;
    out->n = v->n;
    return LODE_OK;
  }
  case EXPR_BLOB: {
    uint8_t *b = util_malloc((size_t)v->n / 2 + 1);
    if (!b) return LODE_NOMEM;
    for (int i = 0; i + 1 < v->n; i += 2) b[i / 2] = (uint8_t)(hex_digit(v->text[i]) * 16 + hex_digit(v->text[i + 1]));
    out->type = LODE_BLOB;
    out->p = b;
    out->n = v->n / 2;
    return LODE_OK;
  }
  default: return LODE_ERROR;
  }
}

MethodIndex *method_index_from_ast(const Stmt *c, Table *t, uint32_t root, const char *sql, char **errmsg) {
  *errmsg = NULL;
  MethodIndex *mi = util_zalloc(sizeof *mi);
  if (!mi) return NULL;
  mi->table = t;
  mi->root = root;
  mi->backing = util_stricmp(c->index_method, METHOD_BACKING_BTREE) == 0;
  mi->name = util_strdup(c->index);
  mi->method = util_strdup(c->index_method);
  mi->sql = util_strdup(sql);
  mi->cols = util_malloc(sizeof(int) * (size_t)(c->nindexed ? c->nindexed : 1));
  mi->params = util_zalloc(sizeof(lode_index_param) * (size_t)(c->nindex_params ? c->nindex_params : 1));
  if (!mi->name || !mi->method || !mi->sql || !mi->cols || !mi->params) goto oom;
  for (int i = 0; i < c->nindexed; i++) {
    const IndexedColumn *ic = &c->indexed[i];
    const char *name = ic->expr && ic->expr->kind == EXPR_COLUMN && !ic->expr->table ? ic->expr->text : NULL;
    if (!name || ic->collation || ic->desc) {
      *errmsg = util_mprintf("index method %s takes plain column names", c->index_method);
      goto fail;
    }
    int col = table_column_index(t, name);
    if (col < 0) {
      *errmsg = util_mprintf("no such column: %s", name);
      goto fail;
    }
    mi->cols[mi->ncols++] = col;
  }
  for (int i = 0; i < c->nindex_params; i++) {
    const IndexParamDef *d = &c->index_params[i];
    for (int j = 0; j < i; j++) {
      if (util_stricmp(c->index_params[j].name, d->name) == 0) {
        *errmsg = util_mprintf("duplicate index method parameter: %s", d->name);
        goto fail;
      }
    }
    lode_index_param *p = &mi->params[mi->nparams];
    if (!(p->name = util_strdup(d->name))) goto oom;
    mi->nparams++;
    int rc = param_value(d, p);
    if (rc == LODE_NOMEM) goto oom;
    if (rc != LODE_OK) {
      *errmsg = util_mprintf("index method parameter %s must be a literal", d->name);
      goto fail;
    }
  }
  return mi;
oom:
  util_free(*errmsg);
  *errmsg = NULL;
fail:
  method_index_free(mi);
  return NULL;
}
