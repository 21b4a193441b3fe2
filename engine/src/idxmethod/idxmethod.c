/*
** idxmethod.c — binding methods to indexes and driving their cursors: the
** glue between the VM's registers and lode.h's lode_index_method calls.
*/
#include <assert.h>
#include <string.h>

#include "idxmethod/idxmethod_int.h"
#include "util/util.h"

struct IdxmCursor {
  lode_index_attachment *att;
  lode_index_cursor *cur;
  int nstores;
  lode_index_store **stores;
  Mem **argv; /* room for the pointers handed to the method */
  int argc;
};

static const lode_index_method *const builtins[] = {&idxm_toy_sparse_ivf, &idxm_vector_ann, &idxm_fts};

const lode_index_method *idxm_builtin(const char *name) {
  for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
    if (util_stricmp(builtins[i]->name, name) == 0) return builtins[i];
  return NULL;
}

/* A method's message (lode_malloc'd, which is util_malloc) becomes ours. */
static void take_message(char **from, char **errmsg) {
  if (errmsg) {
    util_free(*errmsg);
    *errmsg = *from;
  } else {
    util_free(*from);
  }
  *from = NULL;
}

int idxm_attach(const lode_index_method *m, const lode_index_config *cfg, lode_index_attachment **out,
                char **errmsg) {
  char *msg = NULL;
  *out = NULL;
  if (!m->xAttach || !m->xOpen || !m->xInsert || !m->xDelete || !m->xQuery || !m->xEof || !m->xNext ||
      !m->xRowid) {
    *errmsg = util_mprintf("index method %s lacks a required callback", m->name);
    return LODE_MISUSE;
  }
  int rc = m->xAttach(m->user_data, cfg, out, &msg);
  if (rc == LODE_OK && !*out) rc = LODE_ERROR;
  if (rc != LODE_OK) {
    if (!msg) msg = util_mprintf("index method %s refused index %s", m->name, cfg->index_name);
    *errmsg = msg;
    *out = NULL;
    return rc;
  }
  util_free(msg);
  (*out)->method = m;
  return LODE_OK;
}

void idxm_detach(lode_index_attachment *a) {
  if (a && a->method->xDetach) a->method->xDetach(a);
}

IdxmBinding *idxm_binding_new(lode_index_attachment *att) {
  IdxmBinding *b = util_malloc(sizeof *b);
  if (!b) {
    idxm_detach(att);
    return NULL;
  }
  b->att = att;
  b->method = att->method;
  b->refs = 1;
  return b;
}

IdxmBinding *idxm_binding_ref(IdxmBinding *b) {
  if (b) b->refs++;
  return b;
}

void idxm_binding_unref(IdxmBinding *b) {
  if (!b) return;
  assert(b->refs > 0);
  if (--b->refs > 0) return;
  idxm_detach(b->att);
  util_free(b);
}

void idxm_binding_release(void *b) { idxm_binding_unref(b); }

void idxm_close(IdxmCursor *c) {
  if (!c) return;
  if (c->cur && c->att->method->xClose) {
    util_free(c->cur->errmsg);
    c->cur->errmsg = NULL;
    c->att->method->xClose(c->cur);
  }
  for (int i = 0; c->stores && i < c->nstores; i++) idxm_store_close(c->stores[i]);
  util_free(c->stores);
  util_free(c->argv);
  util_free(c);
}

int idxm_open(lode_index_attachment *a, Btree *bt, const uint32_t *roots, int writable, IdxmCursor **out,
              char **errmsg) {
  IdxmCursor *c = util_zalloc(sizeof *c);
  int rc = LODE_NOMEM;
  *out = NULL;
  if (!c) return LODE_NOMEM;
  c->att = a;
  c->nstores = a->nstores;
  if (!(c->stores = util_zalloc(sizeof(*c->stores) * (size_t)(a->nstores + 1)))) goto fail;
  for (int i = 0; i < a->nstores; i++)
    if ((rc = idxm_store_open(bt, roots[i], writable, &c->stores[i])) != LODE_OK) goto fail;
  rc = a->method->xOpen(a, (lode_index_store *const *)c->stores, &c->cur);
  if (rc == LODE_OK && !c->cur) rc = LODE_ERROR;
  if (rc != LODE_OK) {
    c->cur = NULL;
    *errmsg = util_mprintf("index method %s could not open a cursor", a->method->name);
    goto fail;
  }
  c->cur->attachment = a;
  c->cur->errmsg = NULL;
  *out = c;
  return LODE_OK;
fail:
  idxm_close(c);
  return rc;
}

/* Pointers to n consecutive registers, as the method takes its values. */
static Mem **values(IdxmCursor *c, Mem *regs, int n) {
  if (n > c->argc) {
    Mem **grown = util_realloc(c->argv, sizeof(Mem *) * (size_t)n);
    if (!grown) return NULL;
    c->argv = grown;
    c->argc = n;
  }
  for (int i = 0; i < n; i++) c->argv[i] = &regs[i];
  return c->argv;
}

static int finish(IdxmCursor *c, int rc, char **errmsg) {
  if (rc != LODE_OK && c->cur->errmsg) take_message(&c->cur->errmsg, errmsg);
  else if (c->cur->errmsg) take_message(&c->cur->errmsg, NULL);
  return rc;
}

int idxm_insert(IdxmCursor *c, Mem *vals, int nvals, int64_t rowid, char **errmsg) {
  Mem **v = values(c, vals, nvals ? nvals : 1);
  if (!v) return LODE_NOMEM;
  return finish(c, c->att->method->xInsert(c->cur, v, rowid), errmsg);
}

int idxm_delete(IdxmCursor *c, Mem *vals, int nvals, int64_t rowid, char **errmsg) {
  Mem **v = values(c, vals, nvals ? nvals : 1);
  if (!v) return LODE_NOMEM;
  return finish(c, c->att->method->xDelete(c->cur, v, rowid), errmsg);
}

int idxm_query(IdxmCursor *c, int pattern, Mem *args, int nargs, int width, char **errmsg) {
  Mem **v = values(c, args, nargs ? nargs : 1);
  if (!v) return LODE_NOMEM;
  c->cur->search_width = width > 0 ? width : 0;
  return finish(c, c->att->method->xQuery(c->cur, pattern, nargs, v), errmsg);
}

int idxm_eof(IdxmCursor *c) { return c->att->method->xEof(c->cur); }

int idxm_next(IdxmCursor *c, char **errmsg) { return finish(c, c->att->method->xNext(c->cur), errmsg); }

int64_t idxm_rowid(IdxmCursor *c) { return c->att->method->xRowid(c->cur); }

int idxm_has_integrity(const lode_index_attachment *a) { return a->method->version >= 3 && a->method->xIntegrity; }

int idxm_integrity(IdxmCursor *c, int64_t rows, char **errmsg) {
  if (!idxm_has_integrity(c->att)) return LODE_OK;
  return finish(c, c->att->method->xIntegrity(c->cur, rows), errmsg);
}

int idxm_has_integrity_rows(const lode_index_attachment *a) {
  return a->method->version >= 4 && a->method->xIntegrityRow;
}

int idxm_integrity_row(IdxmCursor *c, Mem *vals, int nvals, int64_t rowid, char **errmsg) {
  if (!idxm_has_integrity_rows(c->att)) return LODE_OK;
  Mem **v = values(c, vals, nvals ? nvals : 1);
  if (!v) return LODE_NOMEM;
  return finish(c, c->att->method->xIntegrityRow(c->cur, v, rowid), errmsg);
}

int idxm_has_columns(const lode_index_attachment *a) { return a->method->version >= 2 && a->method->xColumn; }

int idxm_column(IdxmCursor *c, int i, double *out, char **errmsg) {
  *out = 0;
  if (!idxm_has_columns(c->att)) return LODE_OK;
  return finish(c, c->att->method->xColumn(c->cur, i, out), errmsg);
}

int idxm_flush(IdxmCursor *c, char **errmsg) {
  /* Only the built-in fts method batches row changes; lode.h's interface
  ** has no such call, so a method written against it writes at once.  A
  ** cursor fts opened is an fts cursor, whatever descriptor carried it. */
  if (c->att->method->xOpen != idxm_fts.xOpen) return LODE_OK;
  return finish(c, idxm_fts_flush(c->cur), errmsg);
}

int idxm_optimize(IdxmCursor *c, int64_t did[4], char **errmsg) {
  if (c->att->method->xOpen != idxm_fts.xOpen) return LODE_OK;
  return finish(c, idxm_fts_optimize(c->cur, did), errmsg);
}

char *idxm_quoted(const char *name) {
  StrBuf b;
  strbuf_init(&b);
  strbuf_appendz(&b, "\"");
  for (const char *z = name; *z; z++) strbuf_printf(&b, *z == '"' ? "\"\"" : "%c", *z);
  strbuf_appendz(&b, "\"");
  return strbuf_finish(&b);
}
