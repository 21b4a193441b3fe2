/*
** session.c — sqlite3session_*: recording a connection's row changes and
** writing them as a changeset or patchset (format: changeset.h).
**
** A session listens to the preupdate hook (preupdate.c calls
** api_session_preupdate for each session of the connection, besides the
** program's own hook).  For each row it keeps what SQLite keeps: whether
** the row existed when it first changed and, if it did, its values then;
** and whether every change to it was indirect (made by a trigger, or while
** sqlite3session_indirect was on).  Rows are known by their PRIMARY KEY
** values, so tables without a PRIMARY KEY (and rows whose key holds a NULL)
** are not recorded, as in SQLite.  The changeset is made when asked for, by
** reading each recorded row as it is now: a row that exists and did not
** before is an INSERT, one that existed and is gone a DELETE, one whose
** values differ an UPDATE; a row back to its first values is left out.
**
** sqlite3session_diff records, the same way, the changes that would turn
** a table of another database into the session's one (found by three
** queries over both).
**
** Tables are written in the order they were attached (or first changed,
** with sqlite3session_attach(s, NULL)), rows in the order they first
** changed.  SQLite writes rows in the order of its hash table instead:
** the same changes, possibly in another order within a table.
*/
#include <string.h>

#include "capi/changeset.h"

typedef struct SessChange {
  struct SessChange *next;  /* in the order of first change */
  struct SessChange *hnext; /* hash chain */
  int existed;              /* the row existed before its first change (its values in old) */
  int indirect;
  uint8_t *key; /* the encoded PRIMARY KEY values */
  size_t nkey;
  uint8_t *old; /* the encoded values of every column, when existed */
  size_t nold;
} SessChange;

typedef struct SessTable {
  struct SessTable *next;
  char *name;
  int ncol; /* 0 until the table's first change (or when it has no PRIMARY KEY) */
  char **cols;
  uint8_t *pk; /* ncol: 0, or the 1-based place in the PRIMARY KEY */
  int ignored; /* no PRIMARY KEY, or refused by the filter */
  SessChange *first, *last;
  SessChange **hash;
  size_t nhash, nchange;
} SessTable;

struct sqlite3_session {
  sqlite3 *db;
  char *zdb;
  int enabled, indirect, attach_all, size_on;
  int (*filter)(void *, const char *);
  void *filter_ctx;
  SessTable *tables;
  sqlite3_int64 mem;
  sqlite3_session *next; /* the connection's sessions */
};

static int strm_size = 1024;

/* ---- the changeset encoding ------------------------------------------------------------------------------- */

void cs_put_value(StrBuf *b, sqlite3_value *v) {
  uint8_t buf[9];
  if (!v) {
    strbuf_appendc(b, CS_UNDEFINED);
    return;
  }
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
    case SQLITE_FLOAT: {
      uint64_t u;
      if (sqlite3_value_type(v) == SQLITE_INTEGER) {
        buf[0] = CS_INTEGER;
        u = (uint64_t)sqlite3_value_int64(v);
      } else {
        double d = sqlite3_value_double(v);
        buf[0] = CS_FLOAT;
        memcpy(&u, &d, 8);
      }
      for (int i = 0; i < 8; i++) buf[1 + i] = (uint8_t)(u >> (56 - 8 * i));
      strbuf_append(b, buf, 9);
      return;
    }
    case SQLITE_TEXT:
    case SQLITE_BLOB: {
      int text = sqlite3_value_type(v) == SQLITE_TEXT;
      const void *p = text ? (const void *)sqlite3_value_text(v) : sqlite3_value_blob(v);
      int n = sqlite3_value_bytes(v);
      strbuf_appendc(b, text ? CS_TEXT : CS_BLOB);
      int k = util_varint_put(buf, (uint64_t)n);
      strbuf_append(b, buf, (size_t)k);
      if (n) strbuf_append(b, p, (size_t)n);
      return;
    }
    default: strbuf_appendc(b, CS_NULL);
  }
}

size_t cs_value_len(const uint8_t *p, const uint8_t *end) {
  uint64_t n;
  int k;
  if (p >= end) return 0;
  switch (p[0]) {
    case CS_UNDEFINED:
    case CS_NULL: return 1;
    case CS_INTEGER:
    case CS_FLOAT: return end - p >= 9 ? 9 : 0;
    case CS_TEXT:
    case CS_BLOB:
      k = util_varint_get_bounded(p + 1, end, &n);
      if (k == 0 || n > (uint64_t)(end - p - 1 - k)) return 0;
      return 1 + (size_t)k + (size_t)n;
    default: return 0;
  }
}

int cs_get_value(const uint8_t *p, const uint8_t *end, Mem *m, int *defined) {
  size_t len = cs_value_len(p, end);
  uint64_t u = 0, n;
  *defined = 1;
  mem_set_null(m);
  if (!len) return SQLITE_CORRUPT;
  switch (p[0]) {
    case CS_UNDEFINED: *defined = 0; return SQLITE_OK;
    case CS_NULL: return SQLITE_OK;
    case CS_INTEGER:
    case CS_FLOAT:
      for (int i = 0; i < 8; i++) u = (u << 8) | p[1 + i];
      if (p[0] == CS_INTEGER) {
        mem_set_int(m, (int64_t)u);
      } else {
        double d;
        memcpy(&d, &u, 8);
        mem_set_real(m, d);
      }
      return SQLITE_OK;
    default: {
      int k = util_varint_get_bounded(p + 1, end, &n);
      int rc = p[0] == CS_TEXT ? mem_set_text(m, (const char *)p + 1 + k, (int)n, MEM_DYN)
                               : mem_set_blob(m, p + 1 + k, (int)n, MEM_DYN);
      return rc == LODE_OK ? SQLITE_OK : SQLITE_NOMEM;
    }
  }
}

int cs_stream_out(int (*out)(void *, const void *, int), void *arg, const void *p, int n) {
  for (int off = 0; off < n; off += strm_size) {
    int rc = out(arg, (const char *)p + off, n - off < strm_size ? n - off : strm_size);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

int cs_stream_in(int (*in)(void *, void *, int *), void *arg, void **out, int *n) {
  StrBuf b;
  char *chunk = util_malloc((size_t)strm_size);
  strbuf_init(&b);
  *out = NULL, *n = 0;
  if (!chunk) return SQLITE_NOMEM;
  for (;;) {
    int got = strm_size;
    int rc = in(arg, chunk, &got);
    if (rc != SQLITE_OK) {
      util_free(chunk);
      strbuf_reset(&b);
      return rc;
    }
    if (got <= 0) break;
    strbuf_append(&b, chunk, (size_t)got);
  }
  util_free(chunk);
  if (b.oom || b.n > INT32_MAX) {
    strbuf_reset(&b);
    return SQLITE_NOMEM;
  }
  *n = (int)b.n;
  *out = b.n ? strbuf_finish(&b) : NULL;
  strbuf_reset(&b);
  return SQLITE_OK;
}

int sqlite3session_config(int op, void *arg) {
  if (op != SQLITE_SESSION_CONFIG_STRMSIZE || !arg) return SQLITE_MISUSE;
  int *v = arg;
  if (*v > 0) strm_size = *v;
  *v = strm_size;
  return SQLITE_OK;
}

/* ---- sessions --------------------------------------------------------------------------------------------- */

static int db_ok(sqlite3 *db) { return db && db->magic == CONN_MAGIC_OPEN; }

int sqlite3session_create(sqlite3 *db, const char *zdb, sqlite3_session **out) {
  ConnApi *a;
  if (!out) return SQLITE_MISUSE;
  *out = NULL;
  if (!db_ok(db) || !zdb) return SQLITE_MISUSE;
  if (!(a = conn_api(db))) return SQLITE_NOMEM;
  sqlite3_session *s = util_zalloc(sizeof *s);
  if (!s || !(s->zdb = util_strdup(zdb))) {
    util_free(s);
    return SQLITE_NOMEM;
  }
  s->db = db;
  s->enabled = 1;
  s->next = a->sessions;
  a->sessions = s;
  api_preupdate_listeners(db);
  *out = s;
  return SQLITE_OK;
}

static void free_table(SessTable *t) {
  while (t->first) {
    SessChange *c = t->first;
    t->first = c->next;
    util_free(c->key);
    util_free(c->old);
    util_free(c);
  }
  for (int i = 0; t->cols && i < t->ncol; i++) util_free(t->cols[i]);
  util_free(t->cols);
  util_free(t->pk);
  util_free(t->hash);
  util_free(t->name);
  util_free(t);
}

void sqlite3session_delete(sqlite3_session *s) {
  if (!s) return;
  if (db_ok(s->db) && s->db->api) {
    for (sqlite3_session **p = &s->db->api->sessions; *p; p = &(*p)->next)
      if (*p == s) {
        *p = s->next;
        break;
      }
    api_preupdate_listeners(s->db);
  }
  while (s->tables) {
    SessTable *t = s->tables;
    s->tables = t->next;
    free_table(t);
  }
  util_free(s->zdb);
  util_free(s);
}

int sqlite3session_enable(sqlite3_session *s, int on) {
  if (!s) return 0;
  if (on >= 0) s->enabled = on != 0;
  return s->enabled;
}

int sqlite3session_indirect(sqlite3_session *s, int on) {
  if (!s) return 0;
  if (on >= 0) s->indirect = on != 0;
  return s->indirect;
}

static SessTable *find_table(sqlite3_session *s, const char *name) {
  for (SessTable *t = s->tables; t; t = t->next)
    if (util_stricmp(t->name, name) == 0) return t;
  return NULL;
}

static SessTable *add_table(sqlite3_session *s, const char *name) {
  SessTable *t = util_zalloc(sizeof *t), **p;
  if (!t || !(t->name = util_strdup(name))) {
    util_free(t);
    return NULL;
  }
  for (p = &s->tables; *p; p = &(*p)->next) {}
  *p = t;
  return t;
}

int sqlite3session_attach(sqlite3_session *s, const char *name) {
  if (!s) return SQLITE_MISUSE;
  if (!name) {
    s->attach_all = 1;
    return SQLITE_OK;
  }
  if (find_table(s, name)) return SQLITE_OK;
  return add_table(s, name) ? SQLITE_OK : SQLITE_NOMEM;
}

void sqlite3session_table_filter(sqlite3_session *s, int (*filter)(void *, const char *), void *ctx) {
  if (!s) return;
  s->filter = filter;
  s->filter_ctx = ctx;
  s->attach_all = 1;
}

int sqlite3session_object_config(sqlite3_session *s, int op, void *arg) {
  if (!s || !arg) return SQLITE_MISUSE;
  int *v = arg;
  if (op == SQLITE_SESSION_OBJCONFIG_SIZE) {
    /* Fixed once the first change is recorded, as in SQLite. */
    if (*v >= 0) {
      for (SessTable *t = s->tables; t; t = t->next)
        if (t->first) return SQLITE_MISUSE;
      s->size_on = *v != 0;
    }
    *v = s->size_on;
    return SQLITE_OK;
  }
  if (op == SQLITE_SESSION_OBJCONFIG_ROWID) {
    /* Tables without a PRIMARY KEY are not recorded: the option stays off. */
    *v = 0;
    return SQLITE_OK;
  }
  return SQLITE_MISUSE;
}

int sqlite3session_isempty(sqlite3_session *s) {
  if (!s) return 1;
  for (SessTable *t = s->tables; t; t = t->next)
    if (t->first) return 0;
  return 1;
}

sqlite3_int64 sqlite3session_memory_used(sqlite3_session *s) { return s ? s->mem : 0; }

/* ---- recording -------------------------------------------------------------------------------------------- */

/* The table's columns and key, learnt from the schema at its first change. */
static int learn_table(sqlite3_session *s, SessTable *st, const Table *t) {
  int npk = 0;
  for (int i = 0; i < t->ncols; i++) npk += t->cols[i].pk_order > 0;
  if (!npk) {
    st->ignored = 1;
    return SQLITE_OK;
  }
  st->cols = util_zalloc(sizeof(char *) * (size_t)t->ncols);
  st->pk = util_zalloc((size_t)t->ncols);
  if (!st->cols || !st->pk) return SQLITE_NOMEM;
  st->ncol = t->ncols;
  for (int i = 0; i < t->ncols; i++) {
    st->pk[i] = (uint8_t)t->cols[i].pk_order;
    if (!(st->cols[i] = util_strdup(t->cols[i].name))) return SQLITE_NOMEM;
  }
  s->mem += (sqlite3_int64)sizeof *st + t->ncols * 16;
  return SQLITE_OK;
}

static uint32_t hash_bytes(const uint8_t *p, size_t n) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

static int grow_hash(SessTable *t) {
  size_t n = t->nhash ? t->nhash * 2 : 64;
  SessChange **h = util_zalloc(sizeof *h * n);
  if (!h) return SQLITE_NOMEM;
  for (SessChange *c = t->first; c; c = c->next) {
    uint32_t k = hash_bytes(c->key, c->nkey) & (uint32_t)(n - 1);
    c->hnext = h[k];
    h[k] = c;
  }
  util_free(t->hash);
  t->hash = h;
  t->nhash = n;
  return SQLITE_OK;
}

/* The key of the row in the preupdate callback's old (is_new 0) or new row;
** *null set when one of its values is NULL. */
static int row_key(sqlite3 *db, const SessTable *t, int is_new, StrBuf *b, int *null) {
  *null = 0;
  for (int i = 0; i < t->ncol; i++) {
    sqlite3_value *v = NULL;
    if (!t->pk[i]) continue;
    int rc = is_new ? sqlite3_preupdate_new(db, i, &v) : sqlite3_preupdate_old(db, i, &v);
    if (rc != SQLITE_OK) return rc;
    if (sqlite3_value_type(v) == SQLITE_NULL) *null = 1;
    cs_put_value(b, v);
  }
  return b->oom ? SQLITE_NOMEM : SQLITE_OK;
}

/* One row's change, known by its encoded key; existed: the row was there
** before this change, with the encoded values old (taken over) else NULL. */
static int record_row(sqlite3_session *s, SessTable *t, StrBuf *key, int existed, StrBuf *old, int indirect) {
  int rc = SQLITE_OK;
  if (key->oom || (old && old->oom)) return SQLITE_NOMEM;
  if (t->nchange >= t->nhash && (rc = grow_hash(t)) != SQLITE_OK) return rc;
  uint32_t h = hash_bytes((const uint8_t *)key->z, key->n) & (uint32_t)(t->nhash - 1);
  for (SessChange *c = t->hash[h]; c; c = c->hnext) {
    if (c->nkey == key->n && memcmp(c->key, key->z, key->n) == 0) {
      c->indirect = c->indirect && indirect;
      return SQLITE_OK;
    }
  }
  SessChange *c = util_zalloc(sizeof *c);
  if (!c) return SQLITE_NOMEM;
  c->nkey = key->n;
  c->key = (uint8_t *)strbuf_finish(key);
  c->existed = existed;
  c->indirect = indirect;
  if (existed) {
    c->nold = old->n;
    c->old = (uint8_t *)strbuf_finish(old);
  }
  if (!c->key || (existed && !c->old)) {
    util_free(c->key);
    util_free(c->old);
    util_free(c);
    return SQLITE_NOMEM;
  }
  c->hnext = t->hash[h];
  t->hash[h] = c;
  if (t->last) t->last->next = c;
  else t->first = c;
  t->last = c;
  t->nchange++;
  s->mem += (sqlite3_int64)(sizeof *c + c->nkey + c->nold);
  return SQLITE_OK;
}

/* The change the preupdate callback is telling of: is_new says which of its
** rows holds the key; existed whether the row was there before. */
static int record_change(sqlite3_session *s, SessTable *t, int is_new, int existed, int indirect) {
  StrBuf key, old;
  int null, rc;
  strbuf_init(&key);
  strbuf_init(&old);
  if ((rc = row_key(s->db, t, is_new, &key, &null)) == SQLITE_OK && !null) {
    for (int i = 0; existed && i < t->ncol; i++) {
      sqlite3_value *v = NULL;
      sqlite3_preupdate_old(s->db, i, &v);
      cs_put_value(&old, v);
    }
    rc = record_row(s, t, &key, existed, &old, indirect);
  }
  strbuf_reset(&key);
  strbuf_reset(&old);
  return rc;
}

static void session_preupdate(sqlite3_session *s, int op, const char *zdb, const Table *tab, int depth) {
  if (!s->enabled || util_stricmp(s->zdb, zdb) != 0) return;
  SessTable *t = find_table(s, tab->name);
  if (!t) {
    if (!s->attach_all) return;
    if (s->filter && !s->filter(s->filter_ctx, tab->name)) return;
    if (!(t = add_table(s, tab->name))) return;
  }
  if (t->ignored) return;
  if (!t->ncol && (learn_table(s, t, tab) != SQLITE_OK || t->ignored)) return;
  if (t->ncol != tab->ncols) return; /* the table changed shape since it was attached */
  int indirect = s->indirect || depth > 0;
  if (op == SQLITE_INSERT) {
    record_change(s, t, 1, 0, indirect);
  } else if (op == SQLITE_DELETE) {
    record_change(s, t, 0, 1, indirect);
  } else {
    /* An UPDATE of the key is the old key's row deleted and the new one's inserted. */
    StrBuf a, b;
    int null;
    strbuf_init(&a);
    strbuf_init(&b);
    row_key(s->db, t, 0, &a, &null);
    row_key(s->db, t, 1, &b, &null);
    int moved = a.n != b.n || memcmp(a.z, b.z, a.n) != 0;
    strbuf_reset(&a);
    strbuf_reset(&b);
    record_change(s, t, 0, 1, indirect);
    if (moved) record_change(s, t, 1, 0, indirect);
  }
}

void api_session_preupdate(lode *db, int op, const char *zdb, const Table *t, int depth) {
  for (sqlite3_session *s = db->api->sessions; s; s = s->next) session_preupdate(s, op, zdb, t, depth);
}

/* ---- writing the changeset -------------------------------------------------------------------------------- */

/* "name" with its quotes doubled, onto b. */
void cs_put_quoted(StrBuf *b, const char *name) {
  strbuf_appendc(b, '"');
  for (const char *p = name; *p; p++) {
    if (*p == '"') strbuf_appendc(b, '"');
    strbuf_appendc(b, *p);
  }
  strbuf_appendc(b, '"');
}

/* Offsets of each column's value in an encoded row of n values. */
static int value_offsets(const uint8_t *p, size_t len, int n, size_t *off) {
  size_t at = 0;
  for (int i = 0; i <= n; i++) {
    off[i] = at;
    if (i == n) break;
    size_t k = cs_value_len(p + at, p + len);
    if (!k) return SQLITE_CORRUPT;
    at += k;
  }
  return SQLITE_OK;
}

/* One table's changes, as they stand now, onto out. */
static int write_table(sqlite3_session *s, SessTable *t, int patchset, StrBuf *out) {
  StrBuf sql, cur;
  sqlite3_stmt *st = NULL;
  size_t *old_off = NULL, *cur_off = NULL;
  int rc, header = 0, k;
  strbuf_init(&sql);
  strbuf_init(&cur);
  strbuf_appendz(&sql, "SELECT ");
  for (int i = 0; i < t->ncol; i++) {
    if (i) strbuf_appendz(&sql, ", ");
    cs_put_quoted(&sql, t->cols[i]);
  }
  strbuf_appendz(&sql, " FROM ");
  cs_put_quoted(&sql, s->zdb);
  strbuf_appendc(&sql, '.');
  cs_put_quoted(&sql, t->name);
  k = 0;
  for (int i = 0; i < t->ncol; i++) {
    if (!t->pk[i]) continue;
    strbuf_appendz(&sql, k++ ? " AND " : " WHERE ");
    cs_put_quoted(&sql, t->cols[i]);
    strbuf_printf(&sql, " IS ?%d", k);
  }
  old_off = util_malloc(sizeof(size_t) * (size_t)(t->ncol + 1));
  cur_off = util_malloc(sizeof(size_t) * (size_t)(t->ncol + 1));
  rc = sql.oom || !old_off || !cur_off ? SQLITE_NOMEM : sqlite3_prepare_v2(s->db, sql.z, -1, &st, NULL);
  /* The table may be gone or changed: SQLite writes nothing for it then. */
  if (rc == SQLITE_ERROR) rc = SQLITE_OK;
  for (SessChange *c = t->first; st && rc == SQLITE_OK && c; c = c->next) {
    const uint8_t *kp = c->key, *kend = c->key + c->nkey;
    sqlite3_reset(st);
    for (int i = 1; i <= k && rc == SQLITE_OK; i++) {
      Mem m;
      int defined;
      memset(&m, 0, sizeof m);
      rc = cs_get_value(kp, kend, &m, &defined);
      if (rc == SQLITE_OK) rc = sqlite3_bind_value(st, i, &m);
      kp += cs_value_len(kp, kend);
      mem_release(&m);
    }
    if (rc != SQLITE_OK) break;
    int step = sqlite3_step(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
      rc = step;
      break;
    }
    int exists = step == SQLITE_ROW;
    if (!exists && !c->existed) continue;
    strbuf_reset(&cur);
    if (exists)
      for (int i = 0; i < t->ncol; i++) cs_put_value(&cur, sqlite3_column_value(st, i));
    if (exists && c->existed) {
      if ((rc = value_offsets(c->old, c->nold, t->ncol, old_off)) != SQLITE_OK) break;
      if ((rc = value_offsets((const uint8_t *)cur.z, cur.n, t->ncol, cur_off)) != SQLITE_OK) break;
      if (c->nold == cur.n && memcmp(c->old, cur.z, cur.n) == 0) continue; /* back as it was */
    }
    if (!header) {
      uint8_t v[9];
      strbuf_appendc(out, patchset ? 'P' : 'T');
      strbuf_append(out, v, (size_t)util_varint_put(v, (uint64_t)t->ncol));
      strbuf_append(out, t->pk, (size_t)t->ncol);
      strbuf_append(out, t->name, strlen(t->name) + 1);
      header = 1;
    }
    if (!c->existed) {
      strbuf_appendc(out, SQLITE_INSERT);
      strbuf_appendc(out, (char)c->indirect);
      strbuf_append(out, cur.z, cur.n);
    } else if (!exists) {
      strbuf_appendc(out, SQLITE_DELETE);
      strbuf_appendc(out, (char)c->indirect);
      if (patchset) strbuf_append(out, c->key, c->nkey);
      else strbuf_append(out, c->old, c->nold);
    } else {
      strbuf_appendc(out, SQLITE_UPDATE);
      strbuf_appendc(out, (char)c->indirect);
      for (int pass = patchset ? 1 : 0; pass < 2; pass++) {
        for (int i = 0; i < t->ncol; i++) {
          size_t on = old_off[i + 1] - old_off[i], cn = cur_off[i + 1] - cur_off[i];
          int changed = on != cn || memcmp(c->old + old_off[i], cur.z + cur_off[i], on) != 0;
          if (pass == 0 && (t->pk[i] || changed)) strbuf_append(out, c->old + old_off[i], on);
          else if (pass == 1 && patchset && t->pk[i]) strbuf_append(out, c->old + old_off[i], on);
          else if (pass == 1 && changed) strbuf_append(out, cur.z + cur_off[i], cn);
          else strbuf_appendc(out, CS_UNDEFINED);
        }
      }
    }
  }
  sqlite3_finalize(st);
  strbuf_reset(&sql);
  strbuf_reset(&cur);
  util_free(old_off);
  util_free(cur_off);
  return rc != SQLITE_OK ? rc : out->oom ? SQLITE_NOMEM : SQLITE_OK;
}

static int generate(sqlite3_session *s, int patchset, int *n, void **p) {
  StrBuf out;
  int rc = SQLITE_OK;
  if (n) *n = 0;
  if (p) *p = NULL;
  if (!s || !n || !p || !db_ok(s->db)) return SQLITE_MISUSE;
  strbuf_init(&out);
  for (SessTable *t = s->tables; t && rc == SQLITE_OK; t = t->next)
    if (t->ncol && t->first) rc = write_table(s, t, patchset, &out);
  if (rc == SQLITE_OK && out.n > INT32_MAX) rc = SQLITE_TOOBIG;
  if (rc != SQLITE_OK || out.n == 0) {
    strbuf_reset(&out);
    return rc;
  }
  *n = (int)out.n;
  *p = strbuf_finish(&out);
  return *p ? SQLITE_OK : SQLITE_NOMEM;
}

int sqlite3session_changeset(sqlite3_session *s, int *n, void **p) { return generate(s, 0, n, p); }
int sqlite3session_patchset(sqlite3_session *s, int *n, void **p) { return generate(s, 1, n, p); }

sqlite3_int64 sqlite3session_changeset_size(sqlite3_session *s) {
  int n = 0;
  void *p = NULL;
  if (!s || !s->size_on || generate(s, 0, &n, &p) != SQLITE_OK) return 0;
  util_free(p);
  return n;
}

static int generate_strm(sqlite3_session *s, int patchset, int (*out)(void *, const void *, int), void *arg) {
  int n = 0;
  void *p = NULL;
  if (!out) return SQLITE_MISUSE;
  int rc = generate(s, patchset, &n, &p);
  if (rc == SQLITE_OK) rc = cs_stream_out(out, arg, p, n);
  util_free(p);
  return rc;
}

int sqlite3session_changeset_strm(sqlite3_session *s, int (*out)(void *, const void *, int), void *arg) {
  return generate_strm(s, 0, out, arg);
}
int sqlite3session_patchset_strm(sqlite3_session *s, int (*out)(void *, const void *, int), void *arg) {
  return generate_strm(s, 1, out, arg);
}

/* The columns of table name in database zdb as PRAGMA table_info gives
** them: "name/pk," for each, or NULL when there is no such table. */
static char *columns_signature(sqlite3 *db, const char *zdb, const char *name) {
  StrBuf sql, sig;
  sqlite3_stmt *st = NULL;
  strbuf_init(&sql);
  strbuf_init(&sig);
  strbuf_appendz(&sql, "PRAGMA ");
  cs_put_quoted(&sql, zdb);
  strbuf_appendz(&sql, ".table_info(");
  cs_put_quoted(&sql, name);
  strbuf_appendc(&sql, ')');
  if (!sql.oom && sqlite3_prepare_v2(db, sql.z, -1, &st, NULL) == SQLITE_OK)
    while (sqlite3_step(st) == SQLITE_ROW)
      strbuf_printf(&sig, "%s/%d,", (const char *)sqlite3_column_text(st, 1), sqlite3_column_int(st, 5));
  sqlite3_finalize(st);
  strbuf_reset(&sql);
  if (!sig.n) {
    strbuf_reset(&sig);
    return NULL;
  }
  return strbuf_finish(&sig);
}

/* Records the rows a query gives: its first columns the key values, then
** (existed) every column's old values. */
static int record_query(sqlite3_session *s, SessTable *t, const char *sql, int existed) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), npk = 0;
  for (int i = 0; i < t->ncol; i++) npk += t->pk[i] != 0;
  while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    StrBuf key, old;
    strbuf_init(&key);
    strbuf_init(&old);
    for (int i = 0; i < npk; i++) cs_put_value(&key, sqlite3_column_value(st, i));
    for (int i = 0; existed && i < t->ncol; i++) cs_put_value(&old, sqlite3_column_value(st, npk + i));
    rc = record_row(s, t, &key, existed, &old, s->indirect);
    strbuf_reset(&key);
    strbuf_reset(&old);
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* "a.k1 IS b.k1 AND …" over the key columns (or, with others, "a.c IS NOT
** b.c OR …" over the rest). */
static void put_match(StrBuf *b, const SessTable *t, int others) {
  int k = 0;
  for (int i = 0; i < t->ncol; i++) {
    if (!t->pk[i] == !others) continue;
    strbuf_appendz(b, k++ ? (others ? " OR " : " AND ") : "");
    strbuf_appendz(b, "a.");
    cs_put_quoted(b, t->cols[i]);
    strbuf_appendz(b, others ? " IS NOT b." : " IS b.");
    cs_put_quoted(b, t->cols[i]);
  }
  if (!k) strbuf_appendz(b, "0");
}

/* "SELECT a.<key>, a.<every column> FROM za.t a WHERE [NOT] EXISTS (SELECT 1 FROM zb.t b WHERE <key match>[ AND
** (<others differ>)])". */
static char *diff_query(const SessTable *t, const char *za, const char *zb, int exists, int with_old) {
  StrBuf b;
  int k = 0;
  strbuf_init(&b);
  strbuf_appendz(&b, "SELECT ");
  for (int pass = 0; pass < (with_old ? 2 : 1); pass++)
    for (int i = 0; i < t->ncol; i++) {
      if (pass == 0 && !t->pk[i]) continue;
      strbuf_appendz(&b, k++ ? ", a." : "a.");
      cs_put_quoted(&b, t->cols[i]);
    }
  strbuf_appendz(&b, " FROM ");
  cs_put_quoted(&b, za);
  strbuf_appendc(&b, '.');
  cs_put_quoted(&b, t->name);
  strbuf_appendz(&b, exists ? " a WHERE EXISTS (SELECT 1 FROM " : " a WHERE NOT EXISTS (SELECT 1 FROM ");
  cs_put_quoted(&b, zb);
  strbuf_appendc(&b, '.');
  cs_put_quoted(&b, t->name);
  strbuf_appendz(&b, " b WHERE ");
  put_match(&b, t, 0);
  if (exists) {
    strbuf_appendz(&b, " AND (");
    put_match(&b, t, 1);
    strbuf_appendc(&b, ')');
  }
  strbuf_appendc(&b, ')');
  return strbuf_finish(&b);
}

/* The differences between table ztbl of database zfrom and of the
** session's database, recorded as the changes that would turn the first
** into the second (rows only in the session's database are INSERTs, rows
** only in zfrom DELETEs, rows with other values UPDATEs). */
int sqlite3session_diff(sqlite3_session *s, const char *zfrom, const char *ztbl, char **errmsg) {
  int rc = SQLITE_OK;
  if (errmsg) *errmsg = NULL;
  if (!s || !zfrom || !ztbl || !db_ok(s->db)) return SQLITE_MISUSE;
  SessTable *t = find_table(s, ztbl);
  if (!t) {
    if (!s->attach_all || (s->filter && !s->filter(s->filter_ctx, ztbl))) return SQLITE_OK;
    if (!(t = add_table(s, ztbl))) return SQLITE_NOMEM;
  }
  if (!t->ncol && !t->ignored) {
    const Table *tab = NULL;
    for (int i = 0; i < s->db->ndb && !tab; i++)
      if (util_stricmp(s->db->dbs[i].name, s->zdb) == 0 && s->db->dbs[i].schema)
        tab = schema_find_table(s->db->dbs[i].schema, ztbl);
    if (tab && (rc = learn_table(s, t, tab)) != SQLITE_OK) return rc;
  }
  if (t->ignored || !t->ncol) return SQLITE_OK;
  char *here = columns_signature(s->db, s->zdb, ztbl), *there = columns_signature(s->db, zfrom, ztbl);
  if (!here || !there || strcmp(here, there) != 0) {
    if (errmsg) *errmsg = util_strdup("table schemas do not match");
    rc = SQLITE_SCHEMA;
  }
  util_free(here);
  util_free(there);
  if (rc != SQLITE_OK) return rc;
  char *q = diff_query(t, s->zdb, zfrom, 0, 0);
  rc = q ? record_query(s, t, q, 0) : SQLITE_NOMEM;
  util_free(q);
  if (rc == SQLITE_OK) {
    q = diff_query(t, zfrom, s->zdb, 0, 1);
    rc = q ? record_query(s, t, q, 1) : SQLITE_NOMEM;
    util_free(q);
  }
  if (rc == SQLITE_OK) {
    q = diff_query(t, zfrom, s->zdb, 1, 1);
    rc = q ? record_query(s, t, q, 1) : SQLITE_NOMEM;
    util_free(q);
  }
  if (rc != SQLITE_OK && errmsg) *errmsg = util_strdup(sqlite3_errmsg(s->db));
  return rc;
}
