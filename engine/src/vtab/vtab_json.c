/*
** vtab_json.c — json_each and json_tree (and jsonb_each, jsonb_tree, whose
** values of arrays and objects are JSONB blobs) over the JSONB of func/json.h.
**
** The document (text parsed, or JSONB taken as it is) is kept as JSONB; a
** row is an element of it.  json_each visits the children of the root (the
** element the optional path names), or the root itself when it is not a
** container; json_tree visits the root and everything under it, depth
** first.  id is the element's byte offset in the JSONB, or for an object
** member the offset of its label (SQLite 3.53's numbering); parent is the
** id of the container's row (json_tree only); fullkey is the root path as
** written followed by ".label" or "[index]" steps, a label quoted unless
** it is a letter followed by letters and digits.
*/
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "func/json.h"
#include "util/util.h"
#include "vtab/vtab.h"

enum { COL_KEY, COL_VALUE, COL_TYPE, COL_ATOM, COL_ID, COL_PARENT, COL_FULLKEY, COL_PATH, COL_JSON, COL_ROOT };

#define HAS_JSON 1
#define HAS_ROOT 2

/* One open container of the walk: its children are visited from pos. */
typedef struct JFrame {
  uint32_t pos, end;
  int is_object;
  int64_t index;    /* array: index of the child at pos */
  int64_t id;       /* the container's row id */
  uint32_t key_len; /* length of the fullkey prefix naming the container */
} JFrame;

typedef struct JsonCursor {
  VtabCursor base;
  int recursive;
  int as_blob;     /* jsonb_each, jsonb_tree: containers' values as JSONB */
  JsonBuf doc;
  Mem json, root;  /* the arguments, for the hidden columns */
  StrBuf key;      /* fullkey of the current row */
  uint32_t root_len; /* the root path's length in key */
  uint32_t root_split; /* json_tree: where the root path's last step starts (see split_root) */
  /* the current row */
  int eof;
  int at_root;       /* the row is the root element itself */
  uint32_t node;     /* the element's offset */
  int64_t label;     /* offset of its label (object member), else -1 */
  int64_t index;     /* its array index, else -1 */
  int64_t parent_id; /* -1: NULL */
  int64_t rowid;
  JFrame *stack;
  int depth, cap;
} JsonCursor;

static int json_best_index(const VtabModule *m, VtabIndexInfo *info) {
  int slot[2] = {-1, -1};
  (void)m;
  for (int i = 0; i < info->ncons; i++) {
    const VtabConstraint *c = &info->cons[i];
    if (c->column < COL_JSON || c->op != VTAB_OP_EQ || !c->usable) continue;
    if (slot[c->column - COL_JSON] < 0) slot[c->column - COL_JSON] = i;
  }
  info->idx_num = 0;
  info->est_cost = 1e9;
  info->est_rows = 1e9;
  if (slot[0] < 0) return LODE_OK; /* no document: no rows */
  info->idx_num = HAS_JSON;
  info->cons[slot[0]].argv_index = 1;
  info->cons[slot[0]].omit = 1;
  if (slot[1] >= 0) {
    info->idx_num |= HAS_ROOT;
    info->cons[slot[1]].argv_index = 2;
    info->cons[slot[1]].omit = 1;
  }
  info->est_cost = 1;
  info->est_rows = 100;
  return LODE_OK;
}

static int json_open(const VtabModule *m, VtabCursor **out) {
  JsonCursor *c = util_zalloc(sizeof *c);
  if (!c) return LODE_NOMEM;
  c->base.module = m;
  c->recursive = m == &vtab_json_tree || m == &vtab_jsonb_tree;
  c->as_blob = m == &vtab_jsonb_each || m == &vtab_jsonb_tree;
  jbuf_init(&c->doc);
  mem_init(&c->json);
  mem_init(&c->root);
  strbuf_init(&c->key);
  c->eof = 1;
  *out = &c->base;
  return LODE_OK;
}

static void json_reset(JsonCursor *c) {
  jbuf_free(&c->doc);
  jbuf_init(&c->doc);
  mem_release(&c->json);
  mem_release(&c->root);
  strbuf_reset(&c->key);
  c->depth = 0;
  c->eof = 1;
}

static int node_type(const JsonCursor *c, uint32_t off) { return c->doc.a[off] & 0x0f; }

static int push(JsonCursor *c, uint32_t node, int64_t id) {
  int type;
  uint32_t hdr, size;
  if (!jsonb_header(c->doc.a, c->doc.n, node, &type, &hdr, &size)) return LODE_CORRUPT;
  if (c->depth == c->cap) {
    int ncap = c->cap ? c->cap * 2 : 8;
    JFrame *s = util_malloc(sizeof(JFrame) * (size_t)ncap);
    if (!s) return LODE_NOMEM;
    if (c->depth) memcpy(s, c->stack, sizeof(JFrame) * (size_t)c->depth);
    util_free(c->stack);
    c->stack = s;
    c->cap = ncap;
  }
  JFrame *f = &c->stack[c->depth++];
  f->pos = node + hdr;
  f->end = node + hdr + size;
  f->is_object = type == JSONB_OBJECT;
  f->index = 0;
  f->id = id;
  f->key_len = (uint32_t)c->key.n;
  return LODE_OK;
}

/* Appends ".label" (quoted when needed) or "[index]" to the fullkey. */
static void append_step(JsonCursor *c) {
  if (c->label < 0) {
    char buf[32];
    snprintf(buf, sizeof buf, "[%lld]", (long long)c->index);
    strbuf_appendz(&c->key, buf);
    return;
  }
  int type;
  uint32_t hdr, size, off = (uint32_t)c->label;
  jsonb_header(c->doc.a, c->doc.n, off, &type, &hdr, &size);
  const char *z = (const char *)c->doc.a + off + hdr;
  int plain = size > 0 && isalpha((unsigned char)z[0]);
  for (uint32_t i = 1; plain && i < size; i++) plain = isalnum((unsigned char)z[i]) != 0;
  strbuf_appendc(&c->key, '.');
  if (!plain) strbuf_appendc(&c->key, '"');
  strbuf_append(&c->key, z, size);
  if (!plain) strbuf_appendc(&c->key, '"');
}

/* Moves to the next child of the innermost open container, popping the
** finished ones; sets eof when none is left. */
static int step_child(JsonCursor *c) {
  while (c->depth > 0) {
    JFrame *f = &c->stack[c->depth - 1];
    if (f->pos >= f->end) {
      c->depth--;
      if (c->depth > 0) c->key.n = (size_t)c->stack[c->depth - 1].key_len;
      continue;
    }
    c->key.n = (size_t)f->key_len;
    if (f->is_object) {
      uint32_t llen = jsonb_size(c->doc.a, f->end, f->pos);
      if (!llen) return LODE_CORRUPT;
      c->label = f->pos;
      c->index = -1;
      c->node = f->pos + llen;
    } else {
      c->label = -1;
      c->index = f->index++;
      c->node = f->pos;
    }
    uint32_t vlen = jsonb_size(c->doc.a, f->end, c->node);
    if (!vlen) return LODE_CORRUPT;
    f->pos = c->node + vlen;
    c->parent_id = c->recursive ? f->id : -1;
    c->at_root = 0;
    append_step(c);
    return c->key.oom ? LODE_NOMEM : LODE_OK;
  }
  c->eof = 1;
  return LODE_OK;
}

static int64_t row_id(const JsonCursor *c) { return c->label >= 0 ? c->label : (int64_t)c->node; }

static int is_container(const JsonCursor *c, uint32_t off) {
  int t = node_type(c, off);
  return t == JSONB_ARRAY || t == JSONB_OBJECT;
}

/* Finds the container holding the element at target (for the root row
** named by a path): its label offset or array index. */
static void locate(JsonCursor *c, uint32_t container, uint32_t target, int depth) {
  int type;
  uint32_t hdr, size;
  if (depth > JSON_MAX_NEST || !jsonb_header(c->doc.a, c->doc.n, container, &type, &hdr, &size)) return;
  if (type != JSONB_ARRAY && type != JSONB_OBJECT) return;
  uint32_t pos = container + hdr, end = pos + size;
  int64_t index = 0;
  while (pos < end) {
    uint32_t label = 0, len;
    if (type == JSONB_OBJECT) {
      label = pos;
      if (!(len = jsonb_size(c->doc.a, end, pos))) return;
      pos += len;
    }
    if (!(len = jsonb_size(c->doc.a, end, pos))) return;
    if (pos == target) {
      c->label = type == JSONB_OBJECT ? (int64_t)label : -1;
      c->index = type == JSONB_OBJECT ? -1 : index;
      return;
    }
    if (pos < target && target < pos + len) {
      locate(c, pos, target, depth + 1);
      return;
    }
    pos += len;
    index++;
  }
}

/* json_tree's root row, reached by a path, takes its key and path from the
** path text as SQLite 3.53 does: the path is cut before the last "." or
** "[" whose prefix names a container whose first member is the root (its
** label, or its first element); when no prefix does, before the first
** step. */
static uint32_t split_root(JsonCursor *c, const char *path, uint32_t npath, int64_t root_id) {
  uint32_t n = npath;
  while (n > 1) {
    n--;
    if (path[n] != '[' && path[n] != '.') continue;
    uint32_t x, hdr, size;
    int type;
    if (json_lookup(c->doc.a, c->doc.n, path, n, &x) != JSON_FOUND) continue;
    if (jsonb_header(c->doc.a, c->doc.n, x, &type, &hdr, &size) && (int64_t)(x + hdr) == root_id) break;
  }
  return n;
}

static int json_filter(VtabCursor *vc, int idx, int argc, Mem **argv) {
  JsonCursor *c = (JsonCursor *)vc;
  char buf[FUNC_TEXT_BUF];
  const char *path = "$";
  int npath = 1, rc;
  (void)argc;
  json_reset(c);
  c->rowid = 0;
  if (!(idx & HAS_JSON) || argv[0]->type == MEM_NULL) return LODE_OK;
  /* As in SQLite, the document is read (and must be JSON) before a NULL root is seen, and a BLOB that is not
  ** JSONB is read as JSON text. */
  const Mem *j = argv[0];
  if (j->type == MEM_BLOB && jsonb_valid((const uint8_t *)j->z, (uint32_t)j->n, 0)) {
    jbuf_append(&c->doc, j->z, (uint32_t)j->n);
  } else {
    JsonParseResult res;
    const char *z;
    int n;
    mem_text_view(j, buf, &z, &n);
    if (json_parse_text(z, (uint32_t)n, &c->doc, &res) && !c->doc.oom) {
      vtab_set_error(vc, "malformed JSON");
      return LODE_ERROR;
    }
  }
  if (c->doc.oom) return LODE_NOMEM;
  if (c->doc.toobig) {
    vtab_set_error(vc, "string or blob too big");
    return LODE_TOOBIG;
  }
  if ((idx & HAS_ROOT) && argv[1]->type == MEM_NULL) {
    json_reset(c);
    return LODE_OK;
  }
  if (mem_copy(&c->json, argv[0]) != LODE_OK) return LODE_NOMEM;
  uint32_t node = 0;
  if (idx & HAS_ROOT) {
    if (mem_copy(&c->root, argv[1]) != LODE_OK) return LODE_NOMEM;
    mem_text_view(&c->root, buf, &path, &npath);
    rc = json_lookup(c->doc.a, c->doc.n, path, (uint32_t)npath, &node);
    if (rc == JSON_NOTFOUND) return LODE_OK;
    if (rc == JSON_BADPATH) {
      char *msg = util_mprintf("bad JSON path: '%.*s'", npath, path);
      if (!msg) return LODE_NOMEM;
      util_free(vc->errmsg);
      vc->errmsg = msg;
      return LODE_ERROR;
    }
    if (rc == JSON_TOODEEP) {
      vtab_set_error(vc, "JSON path too deep");
      return LODE_ERROR;
    }
    if (rc != JSON_FOUND) {
      vtab_set_error(vc, "malformed JSON");
      return rc == JSON_NOMEM ? LODE_NOMEM : LODE_ERROR;
    }
  } else {
    mem_set_text(&c->root, "$", 1, MEM_STATIC);
  }
  strbuf_append(&c->key, path, (size_t)npath);
  if (c->key.oom) return LODE_NOMEM;
  c->root_len = (uint32_t)c->key.n;
  c->eof = 0;
  c->node = node;
  c->label = c->index = -1;
  c->parent_id = -1;
  if (node > 0) locate(c, 0, node, 0);
  c->root_split = c->recursive && npath >= 2 ? split_root(c, path, (uint32_t)npath, row_id(c)) : (uint32_t)npath;
  if (c->recursive || !is_container(c, node)) {
    c->at_root = 1;
    return LODE_OK;
  }
  if ((rc = push(c, node, row_id(c))) != LODE_OK) return rc;
  return step_child(c);
}

static int json_next(VtabCursor *vc) {
  JsonCursor *c = (JsonCursor *)vc;
  int rc;
  if (c->eof) return LODE_OK;
  c->rowid++;
  if (c->recursive && is_container(c, c->node)) {
    /* descend: the children of this row come next */
    if ((rc = push(c, c->node, row_id(c))) != LODE_OK) return rc;
    return step_child(c);
  }
  if (c->depth == 0) {
    c->eof = 1;
    return LODE_OK;
  }
  return step_child(c);
}

static int json_eof(VtabCursor *vc) { return ((JsonCursor *)vc)->eof; }

static int json_column(VtabCursor *vc, int col, Mem *out) {
  static const char *const names[] = {"null", "true", "false", "integer", "integer", "real", "real",
                                      "text", "text", "text", "text", "array", "object"};
  JsonCursor *c = (JsonCursor *)vc;
  FuncContext ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.out = out;
  mem_set_null(out);
  if (c->eof) return LODE_OK;
  int type = node_type(c, c->node);
  switch (col) {
    case COL_KEY:
      if (c->at_root && !c->recursive) break;
      if (c->at_root) { /* from the path text */
        const char *z = c->key.z;
        uint32_t n = c->root_split, end = c->root_len;
        if (end <= 1) break;
        if (z[n] == '[') {
          int64_t v = 0;
          for (uint32_t k = n + 1; k < end && z[k] >= '0' && z[k] <= '9' && v < INT64_MAX / 10; k++) v = v * 10 + (z[k] - '0');
          mem_set_int(out, v);
        } else if (n + 1 < end && z[n + 1] == '"') {
          return mem_set_text(out, z + n + 2, end >= n + 3 ? (int)(end - n - 3) : 0, MEM_DYN);
        } else {
          return mem_set_text(out, z + n + 1, (int)(end - n - 1), MEM_DYN);
        }
        break;
      }
      if (c->label >= 0) {
        int lt;
        uint32_t hdr, size;
        JsonBuf t;
        jsonb_header(c->doc.a, c->doc.n, (uint32_t)c->label, &lt, &hdr, &size);
        jbuf_init(&t);
        json_text_decode(lt, c->doc.a + c->label + hdr, size, &t);
        if (t.oom || mem_set_text(out, t.n ? (const char *)t.a : "", (int)t.n, MEM_DYN) != LODE_OK) {
          jbuf_free(&t);
          return LODE_NOMEM;
        }
        jbuf_free(&t);
      } else if (c->index >= 0) {
        mem_set_int(out, c->index);
      }
      break;
    case COL_VALUE:
    case COL_ATOM:
      if (col == COL_ATOM && (type == JSONB_ARRAY || type == JSONB_OBJECT)) break;
      json_result_value(&ctx, c->doc.a, c->doc.n, c->node, c->as_blob);
      if (ctx.rc != LODE_OK) {
        util_free(vc->errmsg);
        vc->errmsg = ctx.errmsg;
        return ctx.rc;
      }
      break;
    case COL_TYPE:
      if (type <= JSONB_OBJECT) mem_set_text(out, names[type], -1, MEM_STATIC);
      break;
    case COL_ID: mem_set_int(out, row_id(c)); break;
    case COL_PARENT:
      if (c->parent_id >= 0) mem_set_int(out, c->parent_id);
      break;
    case COL_FULLKEY: return mem_set_text(out, c->key.n ? c->key.z : "", (int)c->key.n, MEM_DYN);
    case COL_PATH: {
      uint32_t n = !c->recursive ? c->root_len : c->at_root ? c->root_split : c->stack[c->depth - 1].key_len;
      return mem_set_text(out, c->key.z, (int)n, MEM_DYN);
    }
    case COL_JSON: return mem_copy(out, &c->json);
    case COL_ROOT: return mem_copy(out, &c->root);
  }
  return LODE_OK;
}

static int json_rowid(VtabCursor *vc, int64_t *rowid) {
  *rowid = ((JsonCursor *)vc)->rowid;
  return LODE_OK;
}

static void json_close(VtabCursor *vc) {
  JsonCursor *c = (JsonCursor *)vc;
  json_reset(c);
  util_free(c->stack);
  util_free(vc->errmsg);
  util_free(c);
}

#define JSON_SCHEMA "CREATE TABLE x(key, value, type, atom, id, parent, fullkey, path, json HIDDEN, root HIDDEN)"

const VtabModule vtab_json_each = {"json_each", JSON_SCHEMA, json_best_index, json_open, json_filter, json_next,
                                   json_eof, json_column, json_rowid, json_close, .inst = NULL};
const VtabModule vtab_json_tree = {"json_tree", JSON_SCHEMA, json_best_index, json_open, json_filter, json_next,
                                   json_eof, json_column, json_rowid, json_close, .inst = NULL};
const VtabModule vtab_jsonb_each = {"jsonb_each", JSON_SCHEMA, json_best_index, json_open, json_filter, json_next,
                                    json_eof, json_column, json_rowid, json_close, .inst = NULL};
const VtabModule vtab_jsonb_tree = {"jsonb_tree", JSON_SCHEMA, json_best_index, json_open, json_filter, json_next,
                                    json_eof, json_column, json_rowid, json_close, .inst = NULL};
