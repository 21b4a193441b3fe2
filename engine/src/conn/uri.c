/*
** uri.c — `file:` URI filenames for lode_open_v2 with LODE_OPEN_URI, read
** the way SQLite reads them (https://sqlite.org/uri.html):
**
**   file:[//[localhost]]PATH[?KEY=VALUE[&KEY=VALUE]...][#FRAGMENT]
**
** PATH and the parameters are %HH-decoded.  The parameters Lode acts on:
**   mode=ro|rw|rwc|memory  narrows the open flags (never widens them)
**   immutable=1            opens read-only (Lode has no unlocked mode)
**   vfs=NAME               refused: Lode has no named VFSes
**   cipher=NAME&hexkey=HEX the database's encryption (pager.h PagerOptions)
**   cache=shared|private   accepted (Lode's cache is always private); any
**                          other value refused
** Every other parameter is ignored, as SQLite ignores the ones its VFS does
** not know.  "file::memory:" and mode=memory open a
** private in-memory database.
*/
#include <string.h>

#include "conn/conn_int.h"
#include "util/util.h"

#define URI_PREFIX "file:"
#define URI_PREFIX_LEN 5

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Appends z[0..n) to b with every %HH replaced by its byte. */
static void append_decoded(StrBuf *b, const char *z, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int hi, lo;
    if (z[i] == '%' && i + 2 < n && (hi = hex_value(z[i + 1])) >= 0 && (lo = hex_value(z[i + 2])) >= 0) {
      strbuf_appendc(b, (char)(hi * 16 + lo));
      i += 2;
    } else {
      strbuf_appendc(b, z[i]);
    }
  }
}

static char *decode(const char *z, size_t n) {
  StrBuf b;
  strbuf_init(&b);
  append_decoded(&b, z, n);
  strbuf_appendz(&b, "");
  return strbuf_finish(&b);
}

/* Applies one KEY=VALUE.  Returns LODE_OK, or an error with *err set. */
static int apply_param(const char *key, const char *value, UriOpen *u, char **err) {
  if (strcmp(key, "mode") == 0) {
    /* ro < rw < rwc as numbers, so "not wider than the flags" is a compare. */
    int allowed = u->flags & (LODE_OPEN_READONLY | LODE_OPEN_READWRITE | LODE_OPEN_CREATE);
    int want;
    if (strcmp(value, "ro") == 0) want = LODE_OPEN_READONLY;
    else if (strcmp(value, "rw") == 0) want = LODE_OPEN_READWRITE;
    else if (strcmp(value, "rwc") == 0) want = LODE_OPEN_READWRITE | LODE_OPEN_CREATE;
    else if (strcmp(value, "memory") == 0) {
      u->memory = 1;
      return LODE_OK;
    } else {
      *err = util_mprintf("no such access mode: %s", value);
      return LODE_ERROR;
    }
    if (want > allowed) {
      *err = util_mprintf("access mode not allowed: %s", value);
      return LODE_PERM;
    }
    u->flags = (u->flags & ~(LODE_OPEN_READONLY | LODE_OPEN_READWRITE | LODE_OPEN_CREATE)) | want;
  } else if (strcmp(key, "immutable") == 0) {
    if (strcmp(value, "0") != 0) {
      u->flags = (u->flags & ~(LODE_OPEN_READWRITE | LODE_OPEN_CREATE)) | LODE_OPEN_READONLY;
    }
  } else if (strcmp(key, "cipher") == 0 || strcmp(key, "hexkey") == 0) {
    char **slot = key[0] == 'c' ? &u->cipher : &u->hexkey;
    util_free(*slot);
    *slot = util_strdup(value);
    if (!*slot) return LODE_NOMEM;
  } else if (strcmp(key, "cache") == 0) {
    /* Lode has no shared cache: both modes open a private one, but any
    ** other value is refused, as SQLite refuses it. */
    if (strcmp(value, "shared") != 0 && strcmp(value, "private") != 0) {
      *err = util_mprintf("no such cache mode: %s", value);
      return LODE_ERROR;
    }
  } else if (strcmp(key, "vfs") == 0) {
    *err = util_mprintf("no such vfs: %s", value);
    return LODE_ERROR;
  }
  return LODE_OK;
}

/* Keeps KEY=VALUE for sqlite3_uri_parameter (the key's text is not kept). */
static int keep_param(UriOpen *u, const char *key, const char *value) {
  size_t nk = strlen(key) + 1, nv = strlen(value) + 1;
  char *p = util_realloc(u->params, u->nparams + nk + nv);
  if (!p) return LODE_NOMEM;
  memcpy(p + u->nparams, key, nk);
  memcpy(p + u->nparams + nk, value, nv);
  u->params = p;
  u->nparams += nk + nv;
  return LODE_OK;
}

/* Walks the query part q[0..n): '&'-separated KEY=VALUE pairs. */
static int parse_query(const char *q, size_t n, UriOpen *u, char **err) {
  size_t i = 0;
  while (i < n) {
    size_t end = i;
    while (end < n && q[end] != '&') end++;
    size_t eq = i;
    while (eq < end && q[eq] != '=') eq++;
    char *key = decode(q + i, eq - i);
    char *value = decode(eq < end ? q + eq + 1 : q + end, eq < end ? end - eq - 1 : 0);
    int rc = (!key || !value) ? LODE_NOMEM : apply_param(key, value, u, err);
    if (rc == LODE_OK && key[0] && strcmp(key, "hexkey") != 0) rc = keep_param(u, key, value);
    util_free(key);
    util_free(value);
    if (rc != LODE_OK) return rc;
    i = end + 1;
  }
  return LODE_OK;
}

int uri_parse(const char *name, int flags, UriOpen *u, char **err) {
  memset(u, 0, sizeof(*u));
  u->flags = flags;
  *err = NULL;
  if (!(flags & LODE_OPEN_URI) || !name || strncmp(name, URI_PREFIX, URI_PREFIX_LEN) != 0) {
    u->path = util_strdup(name ? name : "");
    return u->path ? LODE_OK : LODE_NOMEM;
  }
  const char *p = name + URI_PREFIX_LEN;
  if (p[0] == '/' && p[1] == '/') {
    const char *auth = p + 2;
    const char *slash = auth;
    while (*slash && *slash != '/') slash++;
    size_t alen = (size_t)(slash - auth);
    if (alen && !(alen == 9 && strncmp(auth, "localhost", 9) == 0)) {
      *err = util_mprintf("invalid uri authority: %.*s", (int)alen, auth);
      return LODE_ERROR;
    }
    p = slash;
  }
  size_t plen = strcspn(p, "?#");
  u->path = decode(p, plen);
  if (!u->path) return LODE_NOMEM;
  if (p[plen] == '?') {
    const char *q = p + plen + 1;
    int rc = parse_query(q, strcspn(q, "#"), u, err);
    if (rc != LODE_OK) {
      uri_free(u);
      return rc;
    }
  }
  if (strcmp(u->path, ":memory:") == 0) u->memory = 1;
  return LODE_OK;
}

void uri_free(UriOpen *u) {
  if (u->hexkey) memset(u->hexkey, 0, strlen(u->hexkey));
  util_free(u->hexkey);
  util_free(u->cipher);
  util_free(u->path);
  util_free(u->params);
  u->hexkey = u->cipher = u->path = u->params = NULL;
  u->nparams = 0;
}

char *uri_filename_object(const char *path, const UriOpen *u) {
  size_t np = strlen(path), nparams = u ? u->nparams : 0;
  static const char journal[] = "-journal", wal[] = "-wal";
  char *z = util_malloc(np + 1 + nparams + 1 + (np + sizeof journal) + (np + sizeof wal));
  if (!z) return NULL;
  char *at = z;
  memcpy(at, path, np + 1);
  at += np + 1;
  if (nparams) memcpy(at, u->params, nparams);
  at += nparams;
  *at++ = 0;
  memcpy(at, path, np);
  memcpy(at + np, journal, sizeof journal);
  at += np + sizeof journal;
  memcpy(at, path, np);
  memcpy(at + np, wal, sizeof wal);
  return z;
}

int conn_parse_target(const char *name, char **path, char **cipher, char **hexkey, char **err) {
  UriOpen u;
  *path = *cipher = *hexkey = NULL;
  int rc = uri_parse(name, LODE_OPEN_READWRITE | LODE_OPEN_CREATE | LODE_OPEN_URI, &u, err);
  if (rc != LODE_OK) return rc;
  *path = u.path;
  *cipher = u.cipher;
  *hexkey = u.hexkey;
  return LODE_OK;
}
