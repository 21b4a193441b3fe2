/*
** json_path.c — JSON paths over JSONB: lookup, the edits of json_set /
** json_insert / json_replace / json_remove / json_array_insert made in place on the bytes, and
** the RFC 7396 merge patch of json_patch.
**
** Path syntax (SQLite's): '$', then any of .key (up to the next '.' or
** '['), ."key" (JSON escapes allowed inside), [N], [#] (one past the end)
** and [#-N] (N from the end).  A path is read step by step as it is
** followed, the way SQLite reads it: a step that is malformed is an error
** only when the walk gets there, and a '[' step on something that is not an
** array simply finds nothing.  Creation (set/insert) reads the rest of the
** path strictly.
**
** Edits splice the bytes of the changed element and then rewrite the
** header of every enclosing container, innermost first; a header may grow or
** shrink, which shifts only bytes after it, so the offsets of the outer
** headers stay valid.  Labels created from a path are TEXTRAW, or TEXT5
** when a quoted key holds escapes, as SQLite writes them.
*/
#include <string.h>

#include "func/json.h"

typedef struct PathStep {
  int is_key;
  const char *key; /* is_key: the key's bytes, without quotes */
  uint32_t nkey;
  int quoted;
  int from_end;    /* [#] or [#-N] */
  uint64_t index;  /* N */
  int overflow;    /* N does not fit */
  uint32_t next;   /* path offset after the step */
} PathStep;

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Reads a .key step at path[j] == '.'. */
static int step_key(const char *path, uint32_t npath, uint32_t j, PathStep *s) {
  uint32_t i = j + 1;
  memset(s, 0, sizeof(*s));
  s->is_key = 1;
  if (i < npath && path[i] == '"') {
    uint32_t k = i + 1;
    while (k < npath && path[k] != '"') k += path[k] == '\\' ? 2 : 1;
    if (k >= npath) return JSON_BADPATH;
    s->key = path + i + 1;
    s->nkey = k - i - 1;
    s->quoted = 1;
    s->next = k + 1; /* what follows is checked when the walk gets there */
    return JSON_FOUND;
  }
  while (i < npath && path[i] != '.' && path[i] != '[') i++;
  if (i == j + 1) return JSON_BADPATH;
  s->key = path + j + 1;
  s->nkey = i - j - 1;
  s->next = i;
  return JSON_FOUND;
}

/* Reads an [N] / [#] / [#-N] step at path[j] == '['. */
static int step_index(const char *path, uint32_t npath, uint32_t j, PathStep *s) {
  uint32_t i = j + 1, d;
  memset(s, 0, sizeof(*s));
  if (i < npath && path[i] == '#') {
    s->from_end = 1;
    i++;
    if (i < npath && path[i] == '-') {
      i++;
      if (i >= npath || !is_digit(path[i])) return JSON_BADPATH;
    } else if (i < npath && path[i] != ']') {
      return JSON_BADPATH; /* only [#] and [#-N] count from the end */
    }
  }
  d = i;
  while (i < npath && is_digit(path[i])) {
    uint64_t v = s->index * 10 + (uint64_t)(path[i] - '0');
    if (s->index > (UINT64_MAX - 9) / 10) s->overflow = 1;
    s->index = v;
    i++;
  }
  if (i == d && !s->from_end) return JSON_BADPATH;
  if (i >= npath || path[i] != ']') return JSON_BADPATH;
  s->next = i + 1;
  return JSON_FOUND;
}

static int read_step(const char *path, uint32_t npath, uint32_t j, PathStep *s) {
  if (path[j] == '.') return step_key(path, npath, j, s);
  if (path[j] == '[') return step_index(path, npath, j, s);
  return JSON_BADPATH;
}

/* Does the label element at off equal the step's key? */
static int label_matches(const uint8_t *a, uint32_t off, uint32_t end, const PathStep *s, int key_escaped,
                         int *oom) {
  int type, eq;
  uint32_t hdr, size;
  JsonBuf x, y;
  const uint8_t *k = (const uint8_t *)s->key;
  if (!jsonb_header(a, end, off, &type, &hdr, &size)) return 0;
  if ((type == JSONB_TEXT || type == JSONB_TEXTRAW) && !key_escaped)
    return size == s->nkey && memcmp(a + off + hdr, k, size) == 0;
  jbuf_init(&x);
  jbuf_init(&y);
  json_text_decode(type, a + off + hdr, size, &x);
  json_text_decode(key_escaped ? JSONB_TEXT5 : JSONB_TEXTRAW, k, s->nkey, &y);
  if (x.oom || y.oom) *oom = 1;
  eq = x.n == y.n && (x.n == 0 || memcmp(x.a, y.a, x.n) == 0);
  jbuf_free(&x);
  jbuf_free(&y);
  return eq;
}

#define FROM_END_KEPT 16

/* Finds the step's child in the container at off (payload [i, end)):
** *child = its offset, *label = its label's offset (objects), *count = the
** number of elements (arrays).  JSON_NOTFOUND when absent. */
static int find_child(const uint8_t *a, uint32_t i, uint32_t end, int type, const PathStep *s, uint32_t *child,
                      uint32_t *label, uint64_t *count) {
  uint64_t k = 0, want = s->index;
  int oom = 0;
  int key_escaped = type == JSONB_OBJECT && s->quoted && memchr(s->key, '\\', s->nkey) != NULL;
  *count = 0;
  if (type == JSONB_ARRAY && s->from_end) {
    /* Counting the elements remembers where the last few start: [#-N] for
    ** a small N needs no second walk. */
    uint32_t j = i, last[FROM_END_KEPT];
    while (j < end) {
      uint32_t len = jsonb_size(a, end, j);
      if (!len) return JSON_MALFORMED;
      last[k % FROM_END_KEPT] = j;
      j += len;
      k++;
    }
    *count = k;
    if (s->overflow || want > k) return JSON_NOTFOUND;
    if (want >= 1 && want <= FROM_END_KEPT) {
      *label = *child = last[(k - want) % FROM_END_KEPT];
      return JSON_FOUND;
    }
    want = k - want;
    k = 0;
  }
  while (i < end) {
    uint32_t len = jsonb_size(a, end, i), vlen;
    if (!len) return JSON_MALFORMED;
    if (type == JSONB_OBJECT) {
      vlen = jsonb_size(a, end, i + len);
      if (!vlen) return JSON_MALFORMED;
      if (label_matches(a, i, end, s, key_escaped, &oom)) {
        *label = i;
        *child = i + len;
        return JSON_FOUND;
      }
      if (oom) return JSON_NOMEM;
      i += len + vlen;
    } else {
      if (!s->overflow && k == want) {
        *label = i;
        *child = i;
        return JSON_FOUND;
      }
      i += len;
      k++;
    }
  }
  if (type == JSONB_ARRAY) *count = k;
  return JSON_NOTFOUND;
}

/* One step down from the element at off, or JSON_NOTFOUND / an error. */
static int descend(const uint8_t *a, uint32_t n, uint32_t off, const char *path, uint32_t npath, PathStep *s,
                   uint32_t *child, uint32_t *label, uint64_t *count) {
  int type, rc;
  uint32_t hdr, size;
  if (!jsonb_header(a, n, off, &type, &hdr, &size)) return JSON_MALFORMED;
  if (path[s->next] == '[' && type != JSONB_ARRAY) return JSON_NOTFOUND;
  rc = read_step(path, npath, s->next, s);
  if (rc != JSON_FOUND) return rc;
  if (type != (s->is_key ? JSONB_OBJECT : JSONB_ARRAY)) return JSON_NOTFOUND;
  return find_child(a, off + hdr, off + hdr + size, type, s, child, label, count);
}

int json_lookup(const uint8_t *a, uint32_t n, const char *path, uint32_t npath, uint32_t *node) {
  PathStep s;
  uint32_t off = 0, label;
  uint64_t count;
  if (npath == 0 || path[0] != '$') return JSON_BADPATH;
  memset(&s, 0, sizeof(s));
  s.next = 1;
  for (int steps = 1; s.next < npath; steps++) {
    int rc = descend(a, n, off, path, npath, &s, &off, &label, &count);
    if (rc != JSON_FOUND) return rc;
    if (steps > JSON_MAX_DEPTH) return JSON_TOODEEP;
  }
  *node = off;
  return JSON_FOUND;
}

/* ---- edits -------------------------------------------------------------------- */

typedef struct Edit {
  JsonBuf *doc;
  const char *path;
  uint32_t npath;
  int op;
  const uint8_t *val;
  uint32_t nval;
} Edit;

/* Appends a label for the key of step s. */
static void append_label(JsonBuf *out, const PathStep *s) {
  int escaped = s->quoted && memchr(s->key, '\\', s->nkey) != NULL;
  jbuf_node(out, escaped ? JSONB_TEXT5 : JSONB_TEXTRAW, s->key, s->nkey);
}

/* The value a set/insert creates for the steps from path[j] on: nested
** objects and one-element arrays around the new value.  Appends it to out
** (after the label for the missing step itself when first is a key). */
static int build_created(const Edit *e, const PathStep *first, uint32_t j, int depth, JsonBuf *out) {
  PathStep s;
  uint32_t nsteps = 0, k, at;
  JsonBuf inner, wrap;
  int rc;
  /* check the steps before building anything */
  for (k = j; k < e->npath; k = s.next, nsteps++) {
    rc = read_step(e->path, e->npath, k, &s);
    if (rc != JSON_FOUND) return rc;
    if (!s.is_key && (s.from_end ? s.index != 0 : s.index != 0 || s.overflow)) return JSON_NOTFOUND;
  }
  /* json_array_insert creates arrays on the way, never an object member at the end */
  if (e->op == JSON_EDIT_ARRAY_INSERT && nsteps > 0 && s.is_key) return JSON_NOTARRAY;
  if (depth + 1 + (int)nsteps > JSON_MAX_DEPTH) return JSON_TOODEEP;
  jbuf_init(&inner);
  jbuf_append(&inner, e->val, e->nval);
  /* wrap from the innermost step outwards */
  while (nsteps-- > 0) {
    uint32_t i;
    for (i = 0, k = j; i < nsteps; i++) {
      read_step(e->path, e->npath, k, &s);
      k = s.next;
    }
    read_step(e->path, e->npath, k, &s);
    jbuf_init(&wrap);
    at = 0;
    jbuf_header(&wrap, s.is_key ? JSONB_OBJECT : JSONB_ARRAY, 0);
    if (s.is_key) append_label(&wrap, &s);
    jbuf_append(&wrap, inner.a, inner.n);
    if (!wrap.oom && !wrap.toobig) jbuf_resize_header(&wrap, at, wrap.n - 1);
    jbuf_free(&inner);
    inner = wrap;
  }
  if (first->is_key) append_label(out, first);
  jbuf_append(out, inner.a, inner.n);
  rc = inner.oom || out->oom ? JSON_NOMEM : JSON_FOUND;
  jbuf_free(&inner);
  return rc;
}

/* Applies the edit below the element at off, reading the path from
** s->next.  *delta: how many bytes the element grew. */
static int edit_at(Edit *e, uint32_t off, PathStep *s, int depth, int64_t *delta) {
  JsonBuf *d = e->doc;
  uint32_t child, label, hdr, size, payload_end;
  uint64_t count;
  int type, rc;
  char step_kind;
  *delta = 0;
  if (depth >= JSON_MAX_DEPTH) return JSON_TOODEEP;
  step_kind = e->path[s->next];
  rc = descend(d->a, d->n, off, e->path, e->npath, s, &child, &label, &count);
  if (rc == JSON_FOUND) {
    uint32_t clen = jsonb_size(d->a, d->n, child);
    if (s->next < e->npath) {
      int64_t sub;
      rc = edit_at(e, child, s, depth + 1, &sub);
      if (rc != JSON_FOUND || sub == 0) return rc;
      *delta = jbuf_payload_changed(d, off, sub);
      return d->oom || d->toobig ? JSON_NOMEM : JSON_FOUND;
    }
    if (e->op == JSON_EDIT_INSERT) return JSON_FOUND;
    if (e->op == JSON_EDIT_ARRAY_INSERT) { /* the new value goes in before the element found */
      if (s->is_key) return JSON_NOTARRAY;
      jbuf_splice(d, child, 0, e->val, e->nval);
      *delta = jbuf_payload_changed(d, off, e->nval);
      return d->oom || d->toobig ? JSON_NOMEM : JSON_FOUND;
    }
    if (e->op == JSON_EDIT_REMOVE) {
      uint32_t del = child + clen - label;
      jbuf_splice(d, label, del, NULL, 0);
      *delta = jbuf_payload_changed(d, off, -(int64_t)del);
    } else {
      *delta = jbuf_payload_changed(d, off, jbuf_replace(d, child, clen, e->val, e->nval));
    }
    return d->oom || d->toobig ? JSON_NOMEM : JSON_FOUND;
  }
  if (rc != JSON_NOTFOUND || (e->op != JSON_EDIT_SET && e->op != JSON_EDIT_INSERT && e->op != JSON_EDIT_ARRAY_INSERT))
    return rc;
  /* missing: create it at the end of the container, if the path allows
  ** (s holds the step only if the container is of the step's kind) */
  jsonb_header(d->a, d->n, off, &type, &hdr, &size);
  if (type != (step_kind == '.' ? JSONB_OBJECT : JSONB_ARRAY)) return JSON_NOTFOUND;
  if (e->op == JSON_EDIT_ARRAY_INSERT && s->is_key && s->next >= e->npath) return JSON_NOTARRAY;
  if (!s->is_key && (s->overflow || (s->from_end ? s->index != 0 : s->index != count))) return JSON_NOTFOUND;
  {
    JsonBuf add;
    jbuf_init(&add);
    rc = build_created(e, s, s->next, depth, &add);
    if (rc == JSON_FOUND) {
      payload_end = off + hdr + size;
      jbuf_splice(d, payload_end, 0, add.a, add.n);
      *delta = jbuf_payload_changed(d, off, add.n);
      if (d->oom || d->toobig) rc = JSON_NOMEM;
    }
    jbuf_free(&add);
  }
  return rc;
}

int json_edit(JsonBuf *doc, const char *path, uint32_t npath, int op, const uint8_t *val, uint32_t nval,
              int *removed_root) {
  Edit e;
  PathStep s;
  int64_t delta;
  *removed_root = 0;
  if (npath == 0 || path[0] != '$') return JSON_BADPATH;
  if (npath == 1) {
    if (op == JSON_EDIT_REMOVE) *removed_root = 1;
    else if (op != JSON_EDIT_INSERT && op != JSON_EDIT_ARRAY_INSERT) {
      jbuf_replace(doc, 0, doc->n, val, nval);
      if (doc->oom || doc->toobig) return JSON_NOMEM;
    }
    return JSON_FOUND;
  }
  e.doc = doc;
  e.path = path;
  e.npath = npath;
  e.op = op;
  e.val = val;
  e.nval = nval;
  memset(&s, 0, sizeof(s));
  s.next = 1;
  return edit_at(&e, 0, &s, 0, &delta);
}

/* ---- merge patch (RFC 7396) ---------------------------------------------------- */

/* Do the labels at x and y (in their buffers) hold the same string? */
static int labels_equal(const uint8_t *xa, uint32_t xn, uint32_t xo, const uint8_t *ya, uint32_t yn, uint32_t yo,
                        int *oom) {
  int xt, yt, eq;
  uint32_t xh, xs, yh, ys;
  JsonBuf x, y;
  if (!jsonb_header(xa, xn, xo, &xt, &xh, &xs) || !jsonb_header(ya, yn, yo, &yt, &yh, &ys)) return 0;
  if (xt == yt || ((xt == JSONB_TEXT || xt == JSONB_TEXTRAW) && (yt == JSONB_TEXT || yt == JSONB_TEXTRAW)))
    if (xs == ys && memcmp(xa + xo + xh, ya + yo + yh, xs) == 0) return 1;
  jbuf_init(&x);
  jbuf_init(&y);
  json_text_decode(xt, xa + xo + xh, xs, &x);
  json_text_decode(yt, ya + yo + yh, ys, &y);
  if (x.oom || y.oom) *oom = 1;
  eq = x.n == y.n && (x.n == 0 || memcmp(x.a, y.a, x.n) == 0);
  jbuf_free(&x);
  jbuf_free(&y);
  return eq;
}

/* Applies one patch member (label at pl, value at pv in p) to the object
** members held in res (a payload, no header). */
static int patch_member(JsonBuf *res, const uint8_t *p, uint32_t np, uint32_t pl, uint32_t pv, int depth) {
  uint32_t i = 0, llen = 0, vlen = 0, plen = jsonb_size(p, np, pl);
  int oom = 0, rc;
  JsonBuf merged;
  while (i < res->n) {
    llen = jsonb_size(res->a, res->n, i);
    vlen = llen ? jsonb_size(res->a, res->n, i + llen) : 0;
    if (!vlen) return JSON_MALFORMED;
    if (labels_equal(res->a, res->n, i, p, np, pl, &oom)) break;
    if (oom) return JSON_NOMEM;
    i += llen + vlen;
  }
  if ((p[pv] & 0x0f) == JSONB_NULL) {
    if (i < res->n) jbuf_splice(res, i, llen + vlen, NULL, 0);
    return res->oom ? JSON_NOMEM : JSON_FOUND;
  }
  jbuf_init(&merged);
  if (i < res->n) {
    rc = json_merge_patch(res->a, res->n, i + llen, p, np, pv, &merged, depth + 1);
    if (rc == JSON_FOUND) jbuf_splice(res, i + llen, vlen, merged.a, merged.n);
  } else {
    rc = json_merge_patch(NULL, 0, 0, p, np, pv, &merged, depth + 1);
    jbuf_append(res, p + pl, plen);
    jbuf_append(res, merged.a, merged.n);
  }
  jbuf_free(&merged);
  if (rc == JSON_FOUND && (res->oom || res->toobig)) rc = JSON_NOMEM;
  return rc;
}

int json_merge_patch(const uint8_t *t, uint32_t nt, uint32_t toff, const uint8_t *p, uint32_t np, uint32_t poff,
                     JsonBuf *out, int depth) {
  int ptype, ttype = -1, rc = JSON_FOUND;
  uint32_t phdr, psize, thdr = 0, tsize = 0, i, end;
  JsonBuf res;
  if (depth > JSON_MAX_NEST) return JSON_MALFORMED;
  if (!jsonb_header(p, np, poff, &ptype, &phdr, &psize)) return JSON_MALFORMED;
  if (t && !jsonb_header(t, nt, toff, &ttype, &thdr, &tsize)) return JSON_MALFORMED;
  if (ptype != JSONB_OBJECT) {
    /* the patch value replaces the target, as an edit in place would */
    uint32_t at = out->n;
    if (t) {
      jbuf_append(out, t + toff, thdr + tsize);
      jbuf_replace(out, at, thdr + tsize, p + poff, phdr + psize);
    } else {
      jbuf_append(out, p + poff, phdr + psize);
    }
    return out->oom || out->toobig ? JSON_NOMEM : JSON_FOUND;
  }
  jbuf_init(&res);
  if (ttype == JSONB_OBJECT) jbuf_append(&res, t + toff + thdr, tsize);
  for (i = poff + phdr, end = poff + phdr + psize; i < end && rc == JSON_FOUND;) {
    uint32_t llen = jsonb_size(p, end, i), vlen = llen ? jsonb_size(p, end, i + llen) : 0;
    if (!vlen) {
      rc = JSON_MALFORMED;
      break;
    }
    rc = patch_member(&res, p, np, i, i + llen, depth);
    i += llen + vlen;
  }
  if (rc == JSON_FOUND) {
    jbuf_header(out, JSONB_OBJECT, res.n);
    jbuf_append(out, res.a, res.n);
    if (out->oom || res.oom) rc = JSON_NOMEM;
  }
  jbuf_free(&res);
  return rc;
}
