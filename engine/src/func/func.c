/*
** func.c — the registry of built-in functions and the helpers the function
** files share.
**
** Lookup: the tables of scalar.c, string.c, like.c, agg.c, conn.c,
** printf.c, math.c, date.c, json_func.c, cdc_json.c, concat.c and percentile.c
** are searched in turn;
** an entry matches when its name equals (ASCII case-insensitively) and its
** nargs equals the call's argument count, or nargs is -1 and the count is
** at least the entry's min_args.  Exact matches win over -1 entries, so
** min(x) is the aggregate and min(x, y) the scalar.
**
** A connection's FuncRegistry is a small chained hash table keyed by the
** ASCII-lowercased name; entries are prepended to their chain, so the
** newest entry of a name/nargs is met first and shadows older ones.  It is
** searched before the built-in tables.
*/
#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "func/func_internal.h"

static const FuncEntry *const func_tables[] = {func_scalar_table, func_string_table,
                                               func_like_table, func_agg_table,
                                               func_conn_table, func_printf_table,
                                               func_math_table, func_date_table,
                                               func_json_table, func_cdc_table,
                                               func_concat_table, func_percentile_table};
#define FUNC_NTABLES (sizeof(func_tables) / sizeof(func_tables[0]))

/* The built-ins by name: a hash of ASCII-lowercased names, built once, whose
** slot holds the first entry of a name (in table order); the entries of one
** name follow each other through builtin_next.  Every connection looks up
** the functions it registers at open, and every statement those it calls:
** a walk of all the tables each time cost thousands of comparisons. */
#define BUILTIN_MAX 1024
#define BUILTIN_SLOTS 2048 /* a power of two, at least twice BUILTIN_MAX */
static const FuncEntry *builtin_entry[BUILTIN_MAX];
static int16_t builtin_slot[BUILTIN_SLOTS]; /* 1 + index into builtin_entry, 0: empty */
static int16_t builtin_next[BUILTIN_MAX];   /* 1 + the next entry of the same name, 0: none */
static int builtin_count = -1;              /* -1: not built; more entries than BUILTIN_MAX: not used */
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;


static void builtin_index(void) {
  int n = 0;
  for (size_t t = 0; t < FUNC_NTABLES; t++) {
    for (const FuncEntry *e = func_tables[t]; e->def.name; e++) {
      if (n == BUILTIN_MAX) {
        builtin_count = BUILTIN_MAX + 1;
        return;
      }
      builtin_entry[n] = e;
      builtin_next[n] = 0;
      uint32_t k = util_name_hash(e->def.name) & (BUILTIN_SLOTS - 1);
      while (builtin_slot[k] && util_stricmp(builtin_entry[builtin_slot[k] - 1]->def.name, e->def.name) != 0)
        k = (k + 1) & (BUILTIN_SLOTS - 1);
      if (!builtin_slot[k]) {
        builtin_slot[k] = (int16_t)(n + 1);
      } else { /* after the name's last entry so far: table order */
        int j = builtin_slot[k] - 1;
        while (builtin_next[j]) j = builtin_next[j] - 1;
        builtin_next[j] = (int16_t)(n + 1);
      }
      n++;
    }
  }
  builtin_count = n;
}

/* The best match among the built-ins (exact nargs, else the first -1). */
static const FuncDef *find_builtin(const char *name, int nargs, int *name_exists) {
  const FuncDef *variadic = NULL;
  pthread_once(&builtin_once, builtin_index);
  if (builtin_count > BUILTIN_MAX) { /* the tables outgrew the index: walk them */
    for (size_t t = 0; t < FUNC_NTABLES; t++) {
      for (const FuncEntry *e = func_tables[t]; e->def.name; e++) {
        if (util_stricmp(e->def.name, name) != 0) continue;
        if (name_exists) *name_exists = 1;
        if (e->def.nargs == nargs) return &e->def;
        if (e->def.nargs == -1 && nargs >= e->min_args && !variadic) variadic = &e->def;
      }
    }
    if (variadic && name_exists) *name_exists = 1;
    return variadic;
  }
  uint32_t k = util_name_hash(name) & (BUILTIN_SLOTS - 1);
  for (; builtin_slot[k]; k = (k + 1) & (BUILTIN_SLOTS - 1)) {
    int j = builtin_slot[k] - 1;
    if (util_stricmp(builtin_entry[j]->def.name, name) != 0) continue;
    if (name_exists) *name_exists = 1;
    for (; j >= 0; j = builtin_next[j] - 1) {
      const FuncEntry *e = builtin_entry[j];
      if (e->def.nargs == nargs) return &e->def;
      if (e->def.nargs == -1 && nargs >= e->min_args && !variadic) variadic = &e->def;
    }
    return variadic;
  }
  return NULL;
}

void func_stmt_state_new_step(FuncStmtState *s) {
  if (s) s->has_now = s->like_max_known = 0;
}

void func_stmt_state_end_run(FuncStmtState *s) {
  if (!s) return;
  s->like.site = s->like.src = NULL;
  json_cache_end_run(s->json);
  while (s->aux) {
    FuncAux *a = s->aux;
    s->aux = a->next;
    if (a->destroy) a->destroy(a->p);
    util_free(a);
  }
}

void func_stmt_state_free(FuncStmtState *s) {
  if (!s) return;
  func_stmt_state_end_run(s);
  json_cache_free(s->json);
  util_free(s);
}

/* A negative arg stands for the call itself, kept for the run whatever its
** arguments (as SQLite keeps it). */
static int arg_is_const(const FuncContext *ctx, int arg) {
  return ctx->call_site && (arg < 0 || (arg < FUNC_CONST_ARGS_MAX && (ctx->const_args >> arg & 1)));
}

void *func_get_auxdata(FuncContext *ctx, int arg) {
  FuncStmtState *s = ctx->stmt_state ? *ctx->stmt_state : NULL;
  if (!s || !arg_is_const(ctx, arg)) return NULL;
  for (FuncAux *a = s->aux; a; a = a->next)
    if (a->call_site == ctx->call_site && a->arg == arg) return a->p;
  return NULL;
}

int func_set_auxdata(FuncContext *ctx, int arg, void *p, void (*destroy)(void *)) {
  FuncStmtState *s = arg_is_const(ctx, arg) ? func_stmt_state(ctx) : NULL;
  FuncAux *a;
  if (!s) {
    if (destroy && p) destroy(p);
    return LODE_OK;
  }
  for (a = s->aux; a; a = a->next)
    if (a->call_site == ctx->call_site && a->arg == arg) break;
  if (!a) {
    a = util_zalloc(sizeof *a);
    if (!a) {
      if (destroy && p) destroy(p);
      return LODE_NOMEM;
    }
    a->call_site = ctx->call_site;
    a->arg = arg;
    a->next = s->aux;
    s->aux = a;
  } else if (a->destroy && a->p != p) {
    a->destroy(a->p);
  }
  a->p = p;
  a->destroy = destroy;
  return LODE_OK;
}

const FuncDef *func_find(const char *name, int nargs, int *name_exists) {
  if (name_exists) *name_exists = 0;
  return find_builtin(name, nargs, name_exists);
}

/* ---- a connection's registry ------------------------------------------------------ */

#define FUNC_REG_BUCKETS 64 /* a power of two */

typedef struct FuncRegEntry {
  FuncDef def; /* def.name points at the entry's own copy, in the same allocation after it */
  void (*destroy)(void *);
  struct FuncRegEntry *next; /* same bucket, newer first */
} FuncRegEntry;

struct FuncRegistry {
  FuncRegEntry *buckets[FUNC_REG_BUCKETS];
  const FuncRegistry *base; /* its chains end each bucket's own entries (func_registry_new_on) */
};

static unsigned name_bucket(const char *name) { return util_name_hash(name) & (FUNC_REG_BUCKETS - 1); }

FuncRegistry *func_registry_new(void) { return util_zalloc(sizeof(FuncRegistry)); }

FuncRegistry *func_registry_new_on(const FuncRegistry *base) {
  FuncRegistry *r = func_registry_new();
  if (!r || !base) return r;
  /* Entries are prepended: the base's chains stay the tails of r's. */
  memcpy(r->buckets, base->buckets, sizeof r->buckets);
  r->base = base;
  return r;
}

void func_registry_free(FuncRegistry *r) {
  if (!r) return;
  for (int b = 0; b < FUNC_REG_BUCKETS; b++) {
    FuncRegEntry *e = r->buckets[b], *next;
    const FuncRegEntry *stop = r->base ? r->base->buckets[b] : NULL;
    for (; e && e != stop; e = next) {
      next = e->next;
      if (e->destroy) e->destroy(e->def.user_data);
      util_free(e);
    }
  }
  util_free(r);
}

int func_registry_add(FuncRegistry *r, const FuncDef *def, void (*destroy)(void *)) {
  FuncRegEntry *e;
  char *name;
  unsigned b;
  int ok = r && def && def->name && def->name[0] && def->nargs >= -1 &&
           (def->scalar ? !def->step && !def->final : !def->step == !def->final);
  if (!ok) {
    if (destroy && def) destroy(def->user_data);
    return LODE_MISUSE;
  }
  /* One allocation for the entry and its name: a connection registers some
  ** thirty functions of the built-in extensions at every open. */
  size_t n = strlen(def->name) + 1;
  e = util_malloc(sizeof *e + n);
  if (!e) {
    if (destroy) destroy(def->user_data);
    return LODE_NOMEM;
  }
  name = memcpy((char *)(e + 1), def->name, n);
  e->def = *def;
  e->def.name = name;
  e->destroy = destroy;
  b = name_bucket(name);
  e->next = r->buckets[b];
  r->buckets[b] = e;
  return LODE_OK;
}

const FuncDef *func_lookup(const FuncRegistry *r, const char *name, int nargs, int *name_exists) {
  const FuncDef *variadic = NULL;
  if (name_exists) *name_exists = 0;
  if (r) {
    const FuncRegEntry *e;
    for (e = r->buckets[name_bucket(name)]; e; e = e->next) {
      if (util_stricmp(e->def.name, name) != 0) continue;
      if (!e->def.scalar && !e->def.step) { /* deleted: shadows what it replaced */
        if (e->def.nargs != nargs) continue;
        if (name_exists) *name_exists = 0;
        return NULL;
      }
      if (name_exists) *name_exists = 1;
      if (e->def.nargs == nargs) return &e->def;
      if (e->def.nargs == -1 && !variadic) variadic = &e->def;
    }
  }
  /* Any function of the connection's that takes this many arguments, even a
  ** variadic one, hides the built-ins of that name (as in SQLite). */
  if (variadic) return variadic;
  return find_builtin(name, nargs, name_exists);
}

void func_error(FuncContext *ctx, int rc, const char *msg) {
  ctx->rc = rc;
  util_free(ctx->errmsg);
  ctx->errmsg = msg ? util_strdup(msg) : NULL;
}

void func_nomem(FuncContext *ctx) {
  ctx->rc = LODE_NOMEM;
  util_free(ctx->errmsg);
  ctx->errmsg = NULL;
}

void func_result_bytes(FuncContext *ctx, const char *z, int n, int blob) {
  /* The caller's spare buffer, when it holds the copy (substr() and the
  ** like then allocate nothing per row). */
  if (z && n >= 0 && ctx->spare && (size_t)n < ctx->spare_cap &&
      (z + n <= ctx->spare || z >= ctx->spare + ctx->spare_cap)) {
    char *buf = ctx->spare;
    ctx->spare = NULL;
    if (n) memcpy(buf, z, (size_t)n);
    buf[n] = 0;
    func_result_take(ctx, buf, n, blob);
    return;
  }
  int rc = blob ? mem_set_blob(ctx->out, z, n, MEM_DYN) : mem_set_text(ctx->out, z, n, MEM_DYN);
  if (rc == LODE_NOMEM) func_nomem(ctx);
  else if (rc) func_error(ctx, rc, "string or blob too big");
}

void func_result_take(FuncContext *ctx, char *z, int n, int blob) {
  assert(z && n >= 0 && z[n] == 0);
  if (blob) {
    mem_release(ctx->out);
    ctx->out->type = MEM_BLOB;
    ctx->out->owner = MEM_DYN;
    ctx->out->z = z;
    ctx->out->n = n;
  } else {
    mem_take_text(ctx->out, z, n);
  }
}

int func_take_arg(FuncContext *ctx, int i, Mem *m, char **z, int *n) {
  if (!ctx->call_site || i >= FUNC_CONST_ARGS_MAX || (ctx->const_args >> i & 1) || m->owner != MEM_DYN || m->ztext ||
      !m->z || (m->type != MEM_TEXT && m->type != MEM_BLOB))
    return 0;
  *z = m->z;
  *n = m->n;
  m->type = MEM_NULL;
  m->owner = MEM_STATIC;
  m->subtype = 0;
  m->z = NULL;
  m->n = 0;
  return 1;
}

void func_result_strbuf(FuncContext *ctx, StrBuf *b) {
  size_t n = b->n;
  char *z;
  if (n > FUNC_MAX_LENGTH) {
    strbuf_reset(b);
    func_error(ctx, LODE_TOOBIG, "string or blob too big");
    return;
  }
  z = strbuf_finish(b);
  if (!z) {
    func_nomem(ctx);
    return;
  }
  mem_take_text(ctx->out, z, (int)n);
}

void func_strbuf_init(FuncContext *ctx, StrBuf *b) {
  strbuf_init(b);
  if (ctx->spare && ctx->spare_cap > 1) {
    b->z = ctx->spare;
    b->cap = ctx->spare_cap;
    b->z[0] = 0;
    ctx->spare = NULL;
  }
}

void func_result_copy(FuncContext *ctx, const Mem *m) {
  if (mem_copy(ctx->out, m) != LODE_OK) func_nomem(ctx);
}

/* Whether an entry newer than e (before it in its chain) has e's name and count. */
static int shadowed(const FuncRegEntry *first, const FuncRegEntry *e) {
  for (const FuncRegEntry *o = first; o != e; o = o->next)
    if (o->def.nargs == e->def.nargs && util_stricmp(o->def.name, e->def.name) == 0) return 1;
  return 0;
}

void func_each(const FuncRegistry *r, void (*each)(void *arg, const FuncInfo *info), void *arg) {
  for (int b = 0; r && b < FUNC_REG_BUCKETS; b++) {
    for (const FuncRegEntry *e = r->buckets[b]; e; e = e->next) {
      if ((!e->def.scalar && !e->def.step) || shadowed(r->buckets[b], e)) continue;
      FuncInfo info = {e->def.name, e->def.nargs, 0, e->def.flags, 0, 0};
      each(arg, &info);
    }
  }
  for (size_t t = 0; t < FUNC_NTABLES; t++) {
    for (const FuncEntry *e = func_tables[t]; e->def.name; e++) {
      FuncInfo info = {e->def.name, e->def.nargs, e->min_args, e->def.flags, 0, 1};
      each(arg, &info);
    }
  }
  func_window_each(each, arg);
}
