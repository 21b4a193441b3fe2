/*
** filename.c — sqlite3_filename objects: what sqlite3_db_filename gives
** (uri_filename_object in conn/uri.c lays them out) and what
** sqlite3_create_filename makes, read by sqlite3_uri_parameter & co.
**
**   PATH \0 (KEY \0 VALUE \0)* \0 JOURNAL \0 WAL \0
**
** As in SQLite, these calls must only be given such objects.
*/
#include <string.h>

#include "capi/api.h"
#include "util/util.h"

/* The first key after the path. */
static const char *first_key(sqlite3_filename z) { return z + strlen(z) + 1; }

static const char *after_params(sqlite3_filename z) {
  const char *p = first_key(z);
  while (*p) {
    p += strlen(p) + 1; /* key */
    p += strlen(p) + 1; /* value */
  }
  return p + 1;
}

const char *sqlite3_uri_parameter(sqlite3_filename z, const char *param) {
  if (!z || !param) return NULL;
  for (const char *p = first_key(z); *p;) {
    const char *value = p + strlen(p) + 1;
    if (strcmp(p, param) == 0) return value;
    p = value + strlen(value) + 1;
  }
  return NULL;
}

const char *sqlite3_uri_key(sqlite3_filename z, int n) {
  if (!z || n < 0) return NULL;
  for (const char *p = first_key(z); *p; n--) {
    if (n == 0) return p;
    p += strlen(p) + 1;
    p += strlen(p) + 1;
  }
  return NULL;
}

/* SQLite's reading of a boolean: a number (nonzero is true), or yes/true/on
** and no/false/off in any case; anything else is dflt. */
static int read_boolean(const char *z, int dflt) {
  int64_t v;
  double r;
  if (util_parse_number(z, strlen(z), &v, &r) == 1) return v != 0;
  if (util_stricmp(z, "yes") == 0 || util_stricmp(z, "true") == 0 || util_stricmp(z, "on") == 0) return 1;
  if (util_stricmp(z, "no") == 0 || util_stricmp(z, "false") == 0 || util_stricmp(z, "off") == 0) return 0;
  return dflt;
}

int sqlite3_uri_boolean(sqlite3_filename z, const char *param, int dflt) {
  const char *v = sqlite3_uri_parameter(z, param);
  dflt = dflt != 0;
  return v ? read_boolean(v, dflt) : dflt;
}

/* A decimal integer, or hexadecimal after 0x. */
sqlite3_int64 sqlite3_uri_int64(sqlite3_filename z, const char *param, sqlite3_int64 dflt) {
  const char *v = sqlite3_uri_parameter(z, param);
  int64_t n;
  double r;
  if (!v) return dflt;
  if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X') && v[2]) {
    uint64_t u = 0;
    for (const char *p = v + 2; *p; p++) {
      int d = *p >= '0' && *p <= '9' ? *p - '0' : (*p | 0x20) >= 'a' && (*p | 0x20) <= 'f' ? (*p | 0x20) - 'a' + 10 : -1;
      if (d < 0 || p - v > 17) return dflt;
      u = u * 16 + (uint64_t)d;
    }
    return (sqlite3_int64)u;
  }
  return util_parse_number(v, strlen(v), &n, &r) == 1 ? n : dflt;
}

const char *sqlite3_filename_database(sqlite3_filename z) { return z; }

const char *sqlite3_filename_journal(sqlite3_filename z) { return z ? after_params(z) : NULL; }

const char *sqlite3_filename_wal(sqlite3_filename z) {
  if (!z) return NULL;
  const char *j = after_params(z);
  return j + strlen(j) + 1;
}

sqlite3_filename sqlite3_create_filename(const char *db, const char *journal, const char *wal, int n,
                                         const char **params) {
  StrBuf b;
  if (!db || !journal || !wal || n < 0 || (n && !params)) return NULL;
  strbuf_init(&b);
  strbuf_append(&b, db, strlen(db) + 1);
  for (int i = 0; i < 2 * n; i++) {
    const char *s = params[i] ? params[i] : "";
    strbuf_append(&b, s, strlen(s) + 1);
  }
  strbuf_appendc(&b, 0);
  strbuf_append(&b, journal, strlen(journal) + 1);
  strbuf_append(&b, wal, strlen(wal) + 1);
  return b.oom ? (strbuf_reset(&b), NULL) : strbuf_finish(&b);
}

void sqlite3_free_filename(sqlite3_filename z) { util_free((void *)z); }
