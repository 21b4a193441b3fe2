/*
** json_func.c — the JSON SQL functions and aggregates (SQLite's json1 as of
** 3.53): json, jsonb, json_valid, json_extract, ->, ->>, json_set,
** json_insert, json_replace, json_remove, json_patch, json_array,
** json_object, json_array_length, json_type, json_quote,
** json_error_position, json_pretty, the jsonb_* variants that return JSONB
** blobs, and json_group_array / json_group_object (and jsonb_ forms).
**
** Arguments that are JSON documents: a BLOB that is JSONB (its outer header
** spans it) is taken as it is; any other value is read as JSON text (JSON5
** accepted) — a BLOB that is not JSONB too, as SQLite does.  Arguments that
** are values to store: NULL, numbers and text become JSON null, numbers and
** strings; text carrying the JSON subtype (the result of a JSON function)
** is parsed and embedded; a BLOB must be JSONB ("JSON cannot hold BLOB
** values").  Text results carry the JSON subtype (Mem.subtype).
*/
#include <string.h>

#include "func/json.h"

#define JSON_DEFAULT_INDENT "    "

/* ---- arguments and results ------------------------------------------------------- */

static void json_fail(FuncContext *ctx, int rc) {
  if (rc == JSON_NOMEM) func_nomem(ctx);
  else func_error(ctx, LODE_ERROR, "malformed JSON");
}

/* A JsonBuf that ran out of memory or past the length limit. */
static int buf_failed(FuncContext *ctx, const JsonBuf *b) {
  if (b->oom) func_nomem(ctx);
  else if (b->toobig) func_error(ctx, LODE_TOOBIG, "string or blob too big");
  else return 0;
  return 1;
}

/* Is m a BLOB whose bytes are JSONB? */
static int is_jsonb(const Mem *m) {
  return m->type == MEM_BLOB && jsonb_valid((const uint8_t *)m->z, (uint32_t)m->n, 0);
}

/* Parses text into doc; *res gets the error position and JSON5 use. */
static int parse_mem_text(const Mem *m, JsonBuf *doc, JsonParseResult *res) {
  char buf[FUNC_TEXT_BUF];
  const char *z;
  int n;
  mem_text_view(m, buf, &z, &n);
  return json_parse_text(z, (uint32_t)n, doc, res);
}

/* ---- the statement's cache of parsed documents ------------------------------------ */

/* A statement that calls JSON functions on one document several times per
** row (json_extract(doc, '$.a'), doc ->> '$.b' …) parses it once: a run of
** the statement keeps the last four documents parsed from text with their
** JSONB, found again by their text.  SQLite 3.53 keeps the same cache and
** its entries show in results, so they are made, found and dropped as
** SQLite's are: made by every parse of a document argument that is not
** JSONB, found only for TEXT arguments, the least recently used dropped
** first, all forgotten when the run ends; and an edit whose text result
** SQLite builds in a heap buffer (json_render_result) leaves an entry for
** that text holding the edited JSONB, which later calls on the result read
** (jsonb() of it gives the edited bytes, not a parse of the text).  An
** entry's buffers are reused for the next document it holds. */
#define JSON_CACHE_SLOTS 4

typedef struct JsonCacheEntry {
  char *text;
  uint32_t n, cap;    /* n == UINT32_MAX: empty */
  JsonBuf doc;        /* the JSONB of text */
  int json5;          /* text used JSON5 syntax (json_valid) */
  uint64_t used;      /* when last found or filled, for LRU; 0: empty */
  const char *origin; /* the bytes of the value the text came from, when that is a JSON function's
                         result (compared, never read): SQLite finds an entry by that first */
} JsonCacheEntry;

struct JsonCache {
  JsonCacheEntry e[JSON_CACHE_SLOTS];
  uint64_t clock;
  JsonBuf spare; /* a parse under way: it becomes an entry's doc if it succeeds */
  JsonBuf view;  /* a JSONB argument's own bytes, lent for one call (never freed: cap 0) */
};

void json_cache_free(JsonCache *c) {
  if (!c) return;
  for (int i = 0; i < JSON_CACHE_SLOTS; i++) {
    util_free(c->e[i].text);
    jbuf_free(&c->e[i].doc);
  }
  jbuf_free(&c->spare);
  util_free(c);
}

void json_cache_end_run(JsonCache *c) {
  if (!c) return;
  for (int i = 0; i < JSON_CACHE_SLOTS; i++) {
    c->e[i].n = UINT32_MAX;
    c->e[i].used = 0;
  }
  c->clock = 0;
}

static JsonCache *json_cache(FuncContext *ctx) {
  FuncStmtState *st = func_stmt_state(ctx);
  if (!st) return NULL;
  if (!st->json && (st->json = util_zalloc(sizeof(JsonCache))) != NULL) json_cache_end_run(st->json);
  return st->json;
}

/* The entry for text z[0..n): the one made from these very bytes (SQLite
** shares a JSON function's result text with its entry and compares
** pointers first), else the least recently used of those with this text. */
static JsonCacheEntry *cache_find(JsonCache *c, const char *z, uint32_t n) {
  JsonCacheEntry *found = NULL;
  for (int i = 0; i < JSON_CACHE_SLOTS; i++) {
    JsonCacheEntry *e = &c->e[i];
    if (e->n != n || memcmp(e->text, z, n) != 0) continue;
    if (e->origin == z) {
      found = e;
      break;
    }
    if (!found || e->used < found->used) found = e;
  }
  if (found) found->used = ++c->clock;
  return found;
}

/* Makes the least recently used entry hold the text z[0..n) and the JSONB
** in *doc, taking doc's buffer (doc gets the entry's old one).  NULL when
** out of memory (the error set on ctx). */
static JsonCacheEntry *cache_fill(FuncContext *ctx, JsonCache *c, const char *z, uint32_t n, const char *origin,
                                  JsonBuf *doc, int json5) {
  JsonCacheEntry *e = &c->e[0];
  JsonBuf old;
  for (int i = 1; i < JSON_CACHE_SLOTS; i++)
    if (c->e[i].used < e->used) e = &c->e[i];
  if (n + 1 > e->cap) {
    char *t = util_realloc(e->text, (size_t)n + 1);
    if (!t) {
      func_nomem(ctx);
      return NULL;
    }
    e->text = t;
    e->cap = n + 1;
  }
  memcpy(e->text, z, n);
  e->n = n;
  e->json5 = json5;
  e->used = ++c->clock;
  e->origin = origin;
  old = e->doc;
  e->doc = *doc;
  *doc = old;
  return e;
}

#define DOC_ERROR 1     /* doc_view: the error is set on ctx */
#define DOC_MALFORMED 2 /* doc_view with keep_error: the text is not JSON (no error set) */

/* The JSON document argument m (not NULL) as JSONB, for reading only: *doc
** is m's own bytes (m is JSONB), a cache entry's or, without a statement,
** scratch (which the caller frees either way); *json5 says whether its
** text used JSON5.  0 on success, else DOC_ERROR or (keep_error set, for
** json_valid) DOC_MALFORMED. */
static int doc_view(FuncContext *ctx, const Mem *m, JsonBuf *scratch, const JsonBuf **doc, int *json5,
                    int keep_error) {
  char buf[FUNC_TEXT_BUF];
  const char *z;
  int n;
  JsonCache *c = json_cache(ctx);
  JsonCacheEntry *e;
  JsonBuf *d = c ? &c->spare : scratch;
  JsonParseResult res;
  *doc = scratch;
  *json5 = 0;
  if (is_jsonb(m)) {
    /* JSONB is read where it is, not copied: a row's document can be many
    ** pages long, and a lookup reads little of it. */
    if (!c) {
      jbuf_append(scratch, m->z, (uint32_t)m->n);
      return buf_failed(ctx, scratch) ? DOC_ERROR : 0;
    }
    c->view.a = (uint8_t *)m->z;
    c->view.n = (uint32_t)m->n;
    c->view.cap = 0;
    *doc = &c->view;
    return 0;
  }
  mem_text_view(m, buf, &z, &n);
  if (c && m->type == MEM_TEXT && (e = cache_find(c, z, (uint32_t)n)) != NULL) {
    *doc = &e->doc;
    *json5 = e->json5;
    return 0;
  }
  d->n = 0;
  d->oom = d->toobig = 0;
  if (json_parse_text(z, (uint32_t)n, d, &res) && !d->oom) {
    if (keep_error) return DOC_MALFORMED;
    func_error(ctx, LODE_ERROR, "malformed JSON");
    return DOC_ERROR;
  }
  if (buf_failed(ctx, d)) return DOC_ERROR;
  *json5 = res.json5;
  if (c) {
    const char *origin = m->type == MEM_TEXT && m->subtype == JSON_SUBTYPE ? m->z : NULL;
    if (!(e = cache_fill(ctx, c, z, (uint32_t)n, origin, d, res.json5))) return DOC_ERROR;
    *doc = &e->doc;
  }
  return 0;
}

static int arg_doc_view(FuncContext *ctx, const Mem *m, JsonBuf *scratch, const JsonBuf **doc) {
  int json5;
  return doc_view(ctx, m, scratch, doc, &json5, 0);
}

/* JSONB in argument 0 (m) taken into doc (empty) when the call may have its
** bytes (func_take_arg): no copy. */
static int take_jsonb_arg(FuncContext *ctx, Mem *m, JsonBuf *doc) {
  char *z;
  int n;
  size_t usable;
  if (!is_jsonb(m) || !func_take_arg(ctx, 0, m, &z, &n)) return 0;
  usable = util_alloc_usable(z);
  doc->a = (uint8_t *)z;
  doc->n = (uint32_t)n;
  doc->cap = usable > (size_t)n ? (usable > UINT32_MAX ? UINT32_MAX : (uint32_t)usable) : (uint32_t)n;
  return 1;
}

/* The JSON document argument 0 (m, not NULL) as JSONB of its own in doc
** (empty) to be edited: m's bytes taken over when m is this call's own
** register, else a copy; *json5 as doc_view's.  0 on success, else the
** error is set. */
static int doc_editable(FuncContext *ctx, Mem *m, JsonBuf *doc, int *json5) {
  const JsonBuf *view;
  if (take_jsonb_arg(ctx, m, doc)) {
    *json5 = 0;
    return 0;
  }
  if (doc_view(ctx, m, doc, &view, json5, 0)) return 1;
  if (view != doc) jbuf_append(doc, view->a, view->n);
  return buf_failed(ctx, doc);
}

/* Appends the value argument m as one JSONB element.  Text is a TEXT or
** TEXTJ string and JSONB is re-encoded canonically (what json_array and
** the like store), or with raw set text is a TEXTRAW string and JSONB is
** taken byte for byte (what SQLite's edits store). */
static int arg_value(FuncContext *ctx, const Mem *m, JsonBuf *out, int raw) {
  char buf[FUNC_TEXT_BUF];
  JsonParseResult res;
  switch (m->type) {
    case MEM_NULL: jbuf_header(out, JSONB_NULL, 0); break;
    case MEM_INT: {
      int len = util_render_int(m->u.i, buf);
      jbuf_node(out, JSONB_INT, buf, (uint32_t)len);
      break;
    }
    case MEM_REAL: {
      JsonBuf t;
      jbuf_init(&t);
      json_render_real(m->u.r, &t);
      jbuf_node(out, JSONB_FLOAT, t.a, t.n);
      jbuf_free(&t);
      break;
    }
    case MEM_BLOB:
      if (!is_jsonb(m)) {
        func_error(ctx, LODE_ERROR, "JSON cannot hold BLOB values");
        return 1;
      }
      if (raw || jsonb_canonical((const uint8_t *)m->z, (uint32_t)m->n)) {
        jbuf_append(out, m->z, (uint32_t)m->n);
      } else {
        /* SQLite builds these results as text: the JSONB goes in rendered,
        ** so its JSON5 spellings come out canonical (JSONB that is already
        ** canonical is that rendering's parse as it stands) */
        JsonBuf t;
        int bad;
        jbuf_init(&t);
        bad = json_render((const uint8_t *)m->z, (uint32_t)m->n, 0, &t, NULL, 0) ||
              (!t.oom && json_parse_text((const char *)t.a, t.n, out, &res) && !out->oom);
        if (t.oom) out->oom = 1;
        jbuf_free(&t);
        if (bad) {
          func_error(ctx, LODE_ERROR, "malformed JSON");
          return 1;
        }
      }
      break;
    default:
      if (m->subtype == JSON_SUBTYPE) {
        if (json_parse_text(m->z, (uint32_t)m->n, out, &res) && !out->oom) {
          func_error(ctx, LODE_ERROR, "malformed JSON");
          return 1;
        }
      } else if (raw) {
        jbuf_node(out, JSONB_TEXTRAW, m->z, (uint32_t)m->n);
      } else {
        json_text_node(out, m->z, (uint32_t)m->n);
      }
  }
  return buf_failed(ctx, out);
}

/* Text of a path argument (numbers rendered). */
static void arg_text(const Mem *m, char *buf, const char **z, uint32_t *n) {
  int len;
  mem_text_view(m, buf, z, &len);
  *n = (uint32_t)len;
}

static void bad_path(FuncContext *ctx, const char *what, const char *path, uint32_t n) {
  StrBuf b;
  strbuf_init(&b);
  strbuf_appendz(&b, what);
  strbuf_appendz(&b, ": '");
  strbuf_append(&b, path, n);
  strbuf_appendc(&b, '\'');
  if (b.oom) {
    strbuf_reset(&b);
    func_nomem(ctx);
    return;
  }
  ctx->rc = LODE_ERROR;
  util_free(ctx->errmsg);
  ctx->errmsg = strbuf_finish(&b);
}

/* Reports a lookup/edit failure other than JSON_NOTFOUND; returns 1 if rc
** was one. */
static int path_failed(FuncContext *ctx, int rc, const char *path, uint32_t n) {
  if (rc == JSON_FOUND || rc == JSON_NOTFOUND) return 0;
  if (rc == JSON_BADPATH) bad_path(ctx, "bad JSON path", path, n);
  else if (rc == JSON_NOTARRAY) bad_path(ctx, "not an array element", path, n);
  else if (rc == JSON_TOODEEP) func_error(ctx, LODE_ERROR, "JSON path too deep");
  else json_fail(ctx, rc);
  return 1;
}

/* Sets the result: the element at off of doc, as JSONB (blob) or rendered
** text with the JSON subtype. */
static void result_json(FuncContext *ctx, const JsonBuf *doc, uint32_t off, int as_blob) {
  JsonBuf t;
  uint32_t len = jsonb_size(doc->a, doc->n, off);
  if (!len) {
    func_error(ctx, LODE_ERROR, "malformed JSON");
    return;
  }
  if (as_blob) {
    func_result_bytes(ctx, (const char *)doc->a + off, (int)len, 1);
    return;
  }
  jbuf_init(&t);
  jbuf_reserve(&t, len + len / 8 + 64); /* as json_render_result reserves */
  if (json_render(doc->a, off + len, off, &t, NULL, 0)) {
    func_error(ctx, LODE_ERROR, "malformed JSON");
  } else if (!buf_failed(ctx, &t)) {
    json_result_take(ctx, &t, 0);
    if (ctx->rc == LODE_OK) ctx->out->subtype = JSON_SUBTYPE;
  }
  jbuf_free(&t);
}

/* result_json of a whole document the caller owns: a JSONB result takes
** its buffer instead of a copy. */
static void result_doc(FuncContext *ctx, JsonBuf *doc, int as_blob) {
  if (as_blob && !doc->oom && !doc->toobig && doc->n && jsonb_size(doc->a, doc->n, 0) == doc->n) {
    json_result_take(ctx, doc, 1);
    return;
  }
  result_json(ctx, doc, 0, as_blob);
}


/* Sets the result of an edit of doc, a copy of a document argument whose
** text used JSON5 when json5 is set: JSONB takes doc's buffer; text is
** rendered, and when SQLite would have built that text in a heap buffer the
** statement's cache keeps doc under it, as SQLite's does (see the cache). */
static void result_edited(FuncContext *ctx, JsonBuf *doc, int as_blob, int json5) {
  JsonBuf t;
  JsonCache *c;
  int heap;
  if (as_blob || buf_failed(ctx, doc) || !doc->n || jsonb_size(doc->a, doc->n, 0) != doc->n) {
    result_doc(ctx, doc, as_blob);
    return;
  }
  jbuf_init(&t);
  if (json_render_result(doc->a, doc->n, &t, &heap)) {
    func_error(ctx, LODE_ERROR, "malformed JSON");
    jbuf_free(&t);
    return;
  }
  if (buf_failed(ctx, &t)) {
    jbuf_free(&t);
    return;
  }
  json_result_take(ctx, &t, 0);
  if (ctx->rc != LODE_OK) return;
  ctx->out->subtype = JSON_SUBTYPE;
  if (heap && (c = json_cache(ctx)) != NULL)
    cache_fill(ctx, c, ctx->out->z, (uint32_t)ctx->out->n, ctx->out->z, doc, json5);
}

/* ---- json, jsonb, json_valid, json_error_position, json_pretty ----------------- */

static void json_doc_fn(FuncContext *ctx, Mem *arg, int as_blob) {
  JsonBuf scratch;
  const JsonBuf *doc;
  if (arg->type == MEM_NULL) return;
  jbuf_init(&scratch);
  if (as_blob && take_jsonb_arg(ctx, arg, &scratch)) json_result_take(ctx, &scratch, 1); /* jsonb(JSONB): itself */
  else if (!arg_doc_view(ctx, arg, &scratch, &doc)) result_json(ctx, doc, 0, as_blob);
  jbuf_free(&scratch);
}

static void fn_json(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  json_doc_fn(ctx, argv[0], 0);
}

static void fn_jsonb(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  json_doc_fn(ctx, argv[0], 1);
}

#define JSON_VALID_RFC 1
#define JSON_VALID_JSON5 2
#define JSON_VALID_JSONB 4
#define JSON_VALID_JSONB_STRICT 8

static void fn_json_valid(FuncContext *ctx, int argc, Mem **argv) {
  int64_t flags = JSON_VALID_RFC;
  int ok = 0;
  Mem *x = argv[0];
  if (argc > 1) {
    flags = argv[1]->type == MEM_NULL ? 0 : mem_as_int(argv[1]);
    if (flags < 1 || flags > 15) {
      func_error(ctx, LODE_ERROR, "FLAGS parameter to json_valid() must be between 1 and 15");
      return;
    }
  }
  if (x->type == MEM_NULL) return;
  if (is_jsonb(x)) {
    /* a blob that looks like JSONB is judged as JSONB only */
    ok = (flags & (JSON_VALID_JSONB | JSON_VALID_JSONB_STRICT)) &&
         jsonb_valid((const uint8_t *)x->z, (uint32_t)x->n, !(flags & JSON_VALID_JSONB));
  } else if (flags & (JSON_VALID_RFC | JSON_VALID_JSON5)) {
    JsonBuf scratch;
    const JsonBuf *doc;
    int json5, rc;
    jbuf_init(&scratch);
    rc = doc_view(ctx, x, &scratch, &doc, &json5, 1);
    jbuf_free(&scratch);
    if (rc == DOC_ERROR) return;
    if (rc == 0) ok = json5 ? (flags & JSON_VALID_JSON5) != 0 : 1;
  }
  mem_set_int(ctx->out, ok);
}

static void fn_json_error_position(FuncContext *ctx, int argc, Mem **argv) {
  JsonBuf doc;
  JsonParseResult res;
  Mem *x = argv[0];
  (void)argc;
  if (x->type == MEM_NULL) return;
  if (is_jsonb(x)) {
    mem_set_int(ctx->out, 0);
    return;
  }
  jbuf_init(&doc);
  res.err = 0;
  if (parse_mem_text(x, &doc, &res) && doc.oom) {
    jbuf_free(&doc);
    func_nomem(ctx);
    return;
  }
  jbuf_free(&doc);
  mem_set_int(ctx->out, res.err);
}

static void fn_json_pretty(FuncContext *ctx, int argc, Mem **argv) {
  JsonBuf scratch, t;
  const JsonBuf *doc;
  char buf[FUNC_TEXT_BUF];
  const char *indent = JSON_DEFAULT_INDENT;
  uint32_t nindent = (uint32_t)strlen(JSON_DEFAULT_INDENT);
  if (argv[0]->type == MEM_NULL) return;
  if (argc > 1 && argv[1]->type != MEM_NULL) arg_text(argv[1], buf, &indent, &nindent);
  jbuf_init(&scratch);
  jbuf_init(&t);
  if (!arg_doc_view(ctx, argv[0], &scratch, &doc)) {
    if (json_render(doc->a, doc->n, 0, &t, indent, nindent)) {
      func_error(ctx, LODE_ERROR, "malformed JSON");
    } else if (!buf_failed(ctx, &t)) {
      json_result_take(ctx, &t, 0);
      if (ctx->rc == LODE_OK) ctx->out->subtype = JSON_SUBTYPE;
    }
  }
  jbuf_free(&scratch);
  jbuf_free(&t);
}

/* ---- json_extract, ->, ->> ------------------------------------------------------------ */

static void extract(FuncContext *ctx, int argc, Mem **argv, int as_blob) {
  JsonBuf scratch, arr;
  const JsonBuf *doc;
  char buf[FUNC_TEXT_BUF];
  const char *path;
  uint32_t npath, node;
  int i, rc;
  if (argc < 2 || argv[0]->type == MEM_NULL) return;
  jbuf_init(&scratch);
  jbuf_init(&arr);
  /* The document is read (and must be JSON) even when a path is NULL. */
  if (arg_doc_view(ctx, argv[0], &scratch, &doc)) goto done;
  if (argc == 2) {
    if (argv[1]->type == MEM_NULL) goto done;
    arg_text(argv[1], buf, &path, &npath);
    rc = json_lookup(doc->a, doc->n, path, npath, &node);
    if (path_failed(ctx, rc, path, npath)) goto done;
    if (rc == JSON_FOUND) json_result_value(ctx, doc->a, doc->n, node, as_blob);
    goto done;
  }
  /* several paths: an array of what each finds (null when nothing); they are taken in order, so a bad path
  ** before a NULL one is still an error, and the NULL makes the result NULL */
  jbuf_header(&arr, JSONB_ARRAY, 0);
  for (i = 1; i < argc; i++) {
    if (argv[i]->type == MEM_NULL) goto done;
    arg_text(argv[i], buf, &path, &npath);
    rc = json_lookup(doc->a, doc->n, path, npath, &node);
    if (path_failed(ctx, rc, path, npath)) goto done;
    if (rc == JSON_FOUND) jbuf_append(&arr, doc->a + node, jsonb_size(doc->a, doc->n, node));
    else jbuf_header(&arr, JSONB_NULL, 0);
  }
  if (buf_failed(ctx, &arr)) goto done;
  jbuf_resize_header(&arr, 0, arr.n - 1);
  if (!buf_failed(ctx, &arr)) result_doc(ctx, &arr, as_blob);
done:
  jbuf_free(&scratch);
  jbuf_free(&arr);
}

static void fn_json_extract(FuncContext *ctx, int argc, Mem **argv) { extract(ctx, argc, argv, 0); }
static void fn_jsonb_extract(FuncContext *ctx, int argc, Mem **argv) { extract(ctx, argc, argv, 1); }

/* Finds the right operand of -> / ->> in doc: an integer is an array
** index (negative counts from the end), text starting with '$' a path,
** text starting with '[' a path after '$', other text one object key. */
static int arrow_lookup(FuncContext *ctx, const JsonBuf *doc, const Mem *rhs, uint32_t *node) {
  char buf[FUNC_TEXT_BUF + 8];
  const char *z = "";
  uint32_t n = 0;
  int rc;
  StrBuf p;
  if (rhs->type != MEM_INT) {
    arg_text(rhs, buf, &z, &n);
    if (n && z[0] == '$') { /* a whole path, used as it is */
      rc = json_lookup(doc->a, doc->n, z, n, node);
      return path_failed(ctx, rc, z, n) ? JSON_BADPATH : rc;
    }
  }
  strbuf_init(&p);
  if (rhs->type == MEM_INT) {
    if (rhs->u.i < 0) strbuf_printf(&p, "$[#%lld]", (long long)rhs->u.i);
    else strbuf_printf(&p, "$[%lld]", (long long)rhs->u.i);
  } else {
    if (n && z[0] == '[') {
      strbuf_appendc(&p, '$');
      strbuf_append(&p, z, n);
    } else if (n == 0 || z[0] == 0) {
      bad_path(ctx, "bad JSON path", "", 0);
      return JSON_BADPATH;
    } else {
      /* one key: quoted as it is (a '"' or '\\' in it is read as path
      ** syntax, as SQLite reads it) */
      strbuf_appendz(&p, "$.\"");
      strbuf_append(&p, z, n);
      strbuf_appendc(&p, '"');
    }
  }
  if (p.oom) {
    strbuf_reset(&p);
    func_nomem(ctx);
    return JSON_NOMEM;
  }
  rc = json_lookup(doc->a, doc->n, p.z ? p.z : "", (uint32_t)p.n, node);
  /* errors name the operand as written */
  if (rhs->type == MEM_INT ? path_failed(ctx, rc, p.z, (uint32_t)p.n) : path_failed(ctx, rc, z, n)) rc = JSON_BADPATH;
  strbuf_reset(&p);
  return rc;
}

static void arrow(FuncContext *ctx, Mem **argv, int sql_value) {
  JsonBuf scratch;
  const JsonBuf *doc;
  uint32_t node;
  if (argv[0]->type == MEM_NULL) return;
  jbuf_init(&scratch);
  if (!arg_doc_view(ctx, argv[0], &scratch, &doc) && argv[1]->type != MEM_NULL &&
      arrow_lookup(ctx, doc, argv[1], &node) == JSON_FOUND) {
    if (sql_value) {
      json_result_value(ctx, doc->a, doc->n, node, 0);
      ctx->out->subtype = 0; /* ->> gives SQL values, arrays and objects as plain text */
    } else {
      result_json(ctx, doc, node, 0);
    }
  }
  jbuf_free(&scratch);
}

static void fn_arrow(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  arrow(ctx, argv, 0);
}

static void fn_arrow2(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  arrow(ctx, argv, 1);
}

/* ---- json_set, json_insert, json_replace, json_remove -------------------------- */

static void edit(FuncContext *ctx, int argc, Mem **argv, int op, const char *name, int as_blob) {
  JsonBuf doc, val;
  char buf[FUNC_TEXT_BUF];
  const char *path;
  uint32_t npath;
  int i, removed = 0, rc, json5;
  if (argc < 1) return; /* no document: NULL, as in SQLite */
  if (op != JSON_EDIT_REMOVE && argc % 2 == 0) {
    StrBuf m;
    strbuf_init(&m);
    strbuf_printf(&m, "%s() needs an odd number of arguments", name);
    if (m.oom) {
      strbuf_reset(&m);
      func_nomem(ctx);
      return;
    }
    ctx->rc = LODE_ERROR;
    util_free(ctx->errmsg);
    ctx->errmsg = strbuf_finish(&m);
    return;
  }
  if (argv[0]->type == MEM_NULL) return;
  jbuf_init(&doc);
  jbuf_init(&val);
  if (argc == 1) { /* nothing to edit: the document as it is */
    const JsonBuf *view;
    if (!arg_doc_view(ctx, argv[0], &doc, &view)) result_json(ctx, view, 0, as_blob);
    goto done;
  }
  /* The edits are made on a copy of the document's JSONB: of the argument's
  ** own bytes, or of the statement's parse of its text (a lookup on the same
  ** row's document, x ->> 'f', has usually just made it). */
  if (doc_editable(ctx, argv[0], &doc, &json5)) goto done;
  for (i = 1; i < argc; i += op == JSON_EDIT_REMOVE ? 1 : 2) {
    if (argv[i]->type == MEM_NULL) {
      if (op == JSON_EDIT_REMOVE) goto done; /* the result is NULL */
      continue;
    }
    arg_text(argv[i], buf, &path, &npath);
    if (npath == 0 || path[0] != '$') { /* before the value is looked at, as SQLite checks */
      path_failed(ctx, JSON_BADPATH, path, npath);
      goto done;
    }
    val.n = 0;
    if (op != JSON_EDIT_REMOVE && arg_value(ctx, argv[i + 1], &val, 1)) goto done;
    rc = json_edit(&doc, path, npath, op, val.a, val.n, &removed);
    if (path_failed(ctx, rc, path, npath)) goto done;
    if (removed) goto done;
  }
  result_edited(ctx, &doc, as_blob, json5);
done:
  jbuf_free(&doc);
  jbuf_free(&val);
}

#define EDIT_FN(fn, op, name, as_blob) \
  static void fn(FuncContext *ctx, int argc, Mem **argv) { edit(ctx, argc, argv, op, name, as_blob); }
EDIT_FN(fn_json_set, JSON_EDIT_SET, "json_set", 0)
EDIT_FN(fn_jsonb_set, JSON_EDIT_SET, "jsonb_set", 1)
EDIT_FN(fn_json_insert, JSON_EDIT_INSERT, "json_insert", 0)
EDIT_FN(fn_jsonb_insert, JSON_EDIT_INSERT, "jsonb_insert", 1)
EDIT_FN(fn_json_replace, JSON_EDIT_REPLACE, "json_replace", 0)
EDIT_FN(fn_jsonb_replace, JSON_EDIT_REPLACE, "jsonb_replace", 1)
EDIT_FN(fn_json_remove, JSON_EDIT_REMOVE, "json_remove", 0)
EDIT_FN(fn_jsonb_remove, JSON_EDIT_REMOVE, "jsonb_remove", 1)
EDIT_FN(fn_json_array_insert, JSON_EDIT_ARRAY_INSERT, "json_array_insert", 0)
EDIT_FN(fn_jsonb_array_insert, JSON_EDIT_ARRAY_INSERT, "jsonb_array_insert", 1)

/* ---- json_patch ---------------------------------------------------------------------- */

static void patch(FuncContext *ctx, Mem **argv, int as_blob) {
  JsonBuf t, scratch, out;
  const JsonBuf *p;
  int rc, json5;
  if (argv[0]->type == MEM_NULL) return;
  jbuf_init(&t);
  jbuf_init(&scratch);
  jbuf_init(&out);
  if (!doc_editable(ctx, argv[0], &t, &json5) && argv[1]->type != MEM_NULL &&
      !arg_doc_view(ctx, argv[1], &scratch, &p)) {
    rc = json_merge_patch(t.a, t.n, 0, p->a, p->n, 0, &out, 0);
    if (rc != JSON_FOUND) json_fail(ctx, rc);
    else result_edited(ctx, &out, as_blob, json5);
  }
  jbuf_free(&t);
  jbuf_free(&scratch);
  jbuf_free(&out);
}

static void fn_json_patch(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  patch(ctx, argv, 0);
}

static void fn_jsonb_patch(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  patch(ctx, argv, 1);
}

/* ---- json_array, json_object ------------------------------------------------------- */

/* Appends a label from a json_object()/json_group_object() argument. */
static void label_value(const Mem *m, JsonBuf *out) {
  char buf[FUNC_TEXT_BUF];
  const char *z;
  uint32_t n;
  arg_text(m, buf, &z, &n);
  json_text_node(out, z, n);
}

/* Finishes a container built in b after a placeholder header at 0. */
static void result_container(FuncContext *ctx, JsonBuf *b, int as_blob) {
  if (buf_failed(ctx, b)) return;
  jbuf_resize_header(b, 0, b->n - 1);
  if (!buf_failed(ctx, b)) result_doc(ctx, b, as_blob);
}

static void array_fn(FuncContext *ctx, int argc, Mem **argv, int as_blob) {
  JsonBuf b;
  int i;
  jbuf_init(&b);
  jbuf_header(&b, JSONB_ARRAY, 0);
  for (i = 0; i < argc; i++) {
    if (arg_value(ctx, argv[i], &b, 0)) break;
  }
  if (i == argc) result_container(ctx, &b, as_blob);
  jbuf_free(&b);
}

static void fn_json_array(FuncContext *ctx, int argc, Mem **argv) { array_fn(ctx, argc, argv, 0); }
static void fn_jsonb_array(FuncContext *ctx, int argc, Mem **argv) { array_fn(ctx, argc, argv, 1); }

static void object_fn(FuncContext *ctx, int argc, Mem **argv, int as_blob) {
  JsonBuf b;
  int i;
  if (argc % 2) {
    func_error(ctx, LODE_ERROR, "json_object() requires an even number of arguments");
    return;
  }
  jbuf_init(&b);
  jbuf_header(&b, JSONB_OBJECT, 0);
  for (i = 0; i < argc; i += 2) {
    if (argv[i]->type != MEM_TEXT) {
      func_error(ctx, LODE_ERROR, "json_object() labels must be TEXT");
      break;
    }
    label_value(argv[i], &b);
    if (arg_value(ctx, argv[i + 1], &b, 0)) break;
  }
  if (i >= argc) result_container(ctx, &b, as_blob);
  jbuf_free(&b);
}

static void fn_json_object(FuncContext *ctx, int argc, Mem **argv) { object_fn(ctx, argc, argv, 0); }
static void fn_jsonb_object(FuncContext *ctx, int argc, Mem **argv) { object_fn(ctx, argc, argv, 1); }

/* ---- json_array_length, json_type, json_quote ------------------------------------------ */

/* Looks up the optional path argument; *node = the element (root without a
** path).  Returns 1 when the result is NULL or an error was set. */
static int doc_and_path(FuncContext *ctx, int argc, Mem **argv, JsonBuf *scratch, const JsonBuf **docp,
                        uint32_t *node) {
  char buf[FUNC_TEXT_BUF];
  const char *path;
  uint32_t npath;
  int rc;
  *node = 0;
  if (argv[0]->type == MEM_NULL || arg_doc_view(ctx, argv[0], scratch, docp)) return 1;
  if (argc < 2) return 0;
  if (argv[1]->type == MEM_NULL) return 1;
  arg_text(argv[1], buf, &path, &npath);
  rc = json_lookup((*docp)->a, (*docp)->n, path, npath, node);
  return path_failed(ctx, rc, path, npath) || rc != JSON_FOUND;
}

static void fn_json_array_length(FuncContext *ctx, int argc, Mem **argv) {
  JsonBuf scratch;
  const JsonBuf *doc;
  uint32_t node, hdr, size, i, end;
  int type;
  int64_t count = 0;
  jbuf_init(&scratch);
  if (!doc_and_path(ctx, argc, argv, &scratch, &doc, &node)) {
    if (!jsonb_header(doc->a, doc->n, node, &type, &hdr, &size)) {
      json_fail(ctx, JSON_MALFORMED);
    } else {
      for (i = node + hdr, end = i + size; type == JSONB_ARRAY && i < end; count++) {
        uint32_t len = jsonb_size(doc->a, end, i);
        if (!len) break;
        i += len;
      }
      mem_set_int(ctx->out, count);
    }
  }
  jbuf_free(&scratch);
}

static void fn_json_type(FuncContext *ctx, int argc, Mem **argv) {
  static const char *const names[] = {"null", "true", "false", "integer", "integer", "real", "real",
                                      "text", "text", "text", "text", "array", "object"};
  JsonBuf scratch;
  const JsonBuf *doc;
  uint32_t node;
  jbuf_init(&scratch);
  if (!doc_and_path(ctx, argc, argv, &scratch, &doc, &node)) {
    int type = doc->a[node] & 0x0f;
    if (type > JSONB_OBJECT) json_fail(ctx, JSON_MALFORMED);
    else mem_set_text(ctx->out, names[type], -1, MEM_STATIC);
  }
  jbuf_free(&scratch);
}

static void fn_json_quote(FuncContext *ctx, int argc, Mem **argv) {
  JsonBuf v;
  Mem *x = argv[0];
  (void)argc;
  if (x->type == MEM_TEXT && x->subtype == JSON_SUBTYPE) {
    func_result_copy(ctx, x);
    return;
  }
  jbuf_init(&v);
  if (!arg_value(ctx, x, &v, 0)) result_json(ctx, &v, 0, 0);
  jbuf_free(&v);
}

/* ---- aggregates ------------------------------------------------------------------------- */

typedef struct GroupState {
  JsonBuf items; /* the payload so far; a zeroed block is an empty one */
  int failed;
} GroupState;

static void group_array_step(FuncContext *ctx, int argc, Mem **argv) {
  GroupState *s = ctx->agg;
  (void)argc;
  if (s->failed) return;
  if (arg_value(ctx, argv[0], &s->items, 0)) s->failed = 1;
}

static void group_object_step(FuncContext *ctx, int argc, Mem **argv) {
  GroupState *s = ctx->agg;
  (void)argc;
  if (s->failed || argv[0]->type == MEM_NULL) return;
  label_value(argv[0], &s->items);
  if (arg_value(ctx, argv[1], &s->items, 0)) s->failed = 1;
}

static void group_final(FuncContext *ctx, int type, int as_blob) {
  GroupState *s = ctx->agg;
  JsonBuf b;
  jbuf_init(&b);
  if (!buf_failed(ctx, &s->items)) {
    jbuf_header(&b, type, s->items.n);
    jbuf_append(&b, s->items.a, s->items.n);
    if (!buf_failed(ctx, &b)) result_doc(ctx, &b, as_blob);
  }
  jbuf_free(&b);
  jbuf_free(&s->items);
}

static void json_group_array_final(FuncContext *ctx) { group_final(ctx, JSONB_ARRAY, 0); }
static void jsonb_group_array_final(FuncContext *ctx) { group_final(ctx, JSONB_ARRAY, 1); }
static void json_group_object_final(FuncContext *ctx) { group_final(ctx, JSONB_OBJECT, 0); }
static void jsonb_group_object_final(FuncContext *ctx) { group_final(ctx, JSONB_OBJECT, 1); }

/* ---- the table ------------------------------------------------------------------------- */

#define D FUNC_DETERMINISTIC
#define SCALAR(name, n, fn, min) {{name, n, D | FUNC_BORROWS_ARGS, fn, NULL, NULL, 0, NULL}, min}
#define AGG(name, n, step, final) {{name, n, FUNC_AGGREGATE | FUNC_SUBTYPE_ARGS, NULL, step, final, sizeof(GroupState), NULL}, 0}

const FuncEntry func_json_table[] = {
    SCALAR("json", 1, fn_json, 0),
    SCALAR("jsonb", 1, fn_jsonb, 0),
    SCALAR("json_valid", 1, fn_json_valid, 0),
    SCALAR("json_valid", 2, fn_json_valid, 0),
    SCALAR("json_error_position", 1, fn_json_error_position, 0),
    SCALAR("json_pretty", 1, fn_json_pretty, 0),
    SCALAR("json_pretty", 2, fn_json_pretty, 0),
    SCALAR("json_extract", -1, fn_json_extract, 0),
    SCALAR("jsonb_extract", -1, fn_jsonb_extract, 0),
    SCALAR("->", 2, fn_arrow, 0),
    SCALAR("->>", 2, fn_arrow2, 0),
    SCALAR("json_set", -1, fn_json_set, 0),
    SCALAR("jsonb_set", -1, fn_jsonb_set, 0),
    SCALAR("json_insert", -1, fn_json_insert, 0),
    SCALAR("jsonb_insert", -1, fn_jsonb_insert, 0),
    SCALAR("json_array_insert", -1, fn_json_array_insert, 0),
    SCALAR("jsonb_array_insert", -1, fn_jsonb_array_insert, 0),
    SCALAR("json_replace", -1, fn_json_replace, 0),
    SCALAR("jsonb_replace", -1, fn_jsonb_replace, 0),
    SCALAR("json_remove", -1, fn_json_remove, 0),
    SCALAR("jsonb_remove", -1, fn_jsonb_remove, 0),
    SCALAR("json_patch", 2, fn_json_patch, 0),
    SCALAR("jsonb_patch", 2, fn_jsonb_patch, 0),
    SCALAR("json_array", -1, fn_json_array, 0),
    SCALAR("jsonb_array", -1, fn_jsonb_array, 0),
    SCALAR("json_object", -1, fn_json_object, 0),
    SCALAR("jsonb_object", -1, fn_jsonb_object, 0),
    SCALAR("json_array_length", 1, fn_json_array_length, 0),
    SCALAR("json_array_length", 2, fn_json_array_length, 0),
    SCALAR("json_type", 1, fn_json_type, 0),
    SCALAR("json_type", 2, fn_json_type, 0),
    SCALAR("json_quote", 1, fn_json_quote, 0),
    AGG("json_group_array", 1, group_array_step, json_group_array_final),
    AGG("jsonb_group_array", 1, group_array_step, jsonb_group_array_final),
    AGG("json_group_object", 2, group_object_step, json_group_object_final),
    AGG("jsonb_group_object", 2, group_object_step, jsonb_group_object_final),
    {{NULL, 0, 0, NULL, NULL, NULL, 0, NULL}, 0},
};
