/*
** fts3_tokenize.c — the tokenizers a full-text table may name (fts3_int.h):
**   simple     runs of ASCII letters and digits and of every byte >= 0x80 (or,
**              with a second argument, of every byte but the ASCII ones it
**              lists), ASCII letters folded to lower case;
**   porter     the simple tokenizer's tokens reduced by the Porter stemming
**              algorithm (M.F. Porter, 1980) when they are 3 to 20 ASCII
**              letters long;
**   unicode61  runs of Unicode letters, digits and other non-separator
**              characters, folded to lower case, diacritics removed from
**              Latin letters unless "remove_diacritics=0"; "tokenchars=" and
**              "separators=" move characters between the two classes.
** Positions count the tokens of one value from 0.
*/
#include <stdlib.h>
#include <string.h>

#include "ext/fts/fts.h"
#include "ext/fts3/fts3_int.h"

/* ---- simple ------------------------------------------------------------------------------------------------ */

static int simple_is_token(const Tokenizer *t, unsigned char c) {
  if (t->delim) return c >= 0x80 || !t->delim[c];
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* ---- porter ------------------------------------------------------------------------------------------------ */

/* Stems tok[0..n) (lower-case) into out (20 bytes at most); returns its
** length.  A token that is not 3 to 20 letters is not stemmed but kept as
** SQLite's porter tokenizer keeps it, which the terms of an index it wrote
** hold: whole when short, else only its first and last 10 bytes (3 when it
** has a digit: "123456789" is the term "123789"). */
static int porter_stem(const char *tok, int n, char *out) {
  int letters = n >= 3 && n <= 20;
  for (int i = 0; letters && i < n; i++) letters = tok[i] >= 'a' && tok[i] <= 'z';
  if (!letters) {
    int digit = 0;
    for (int i = 0; i < n && !digit; i++) digit = tok[i] >= '0' && tok[i] <= '9';
    int keep = digit ? 3 : 10;
    if (n <= 2 * keep) {
      memcpy(out, tok, (size_t)n);
      return n;
    }
    memcpy(out, tok, (size_t)keep);
    memcpy(out + keep, tok + n - keep, (size_t)keep);
    return 2 * keep;
  }
  memcpy(out, tok, (size_t)n);
  return fts_porter_stem(out, n);
}

/* ---- unicode61 --------------------------------------------------------------------------------------------- */

/* A token character: a letter or digit, or the other way round for an exception (tokenchars= and
** separators= characters that change class). */
static int unicode_is_alnum(const Tokenizer *t, uint32_t c) {
  int alnum = !!fts_is_alnum(c);
  for (int i = 0; i < t->nextra; i++)
    if (t->extra_cp[i] == c) return !alnum;
  return alnum;
}

/* Combining marks do not start a token but continue one. */
static int unicode_is_token(const Tokenizer *t, uint32_t c, int within) {
  return unicode_is_alnum(t, c) || (within && fts_is_combining_mark(c));
}

/* ---- the walk ---------------------------------------------------------------------------------------------- */

int fts3_tokenize(const Tokenizer *t, const char *zin, int n, TokenFn fn, void *ctx) {
  const unsigned char *z = (const unsigned char *)zin;
  char small[128];
  char *buf = small;
  int cap = (int)sizeof small, rc = SQLITE_OK, pos = 0, i = 0;
  while (i < n && rc == SQLITE_OK) {
    int start = i, len = 0, end;
    if (t->kind != TOK_UNICODE61) {
      if (!simple_is_token(t, z[i])) {
        i++;
        continue;
      }
      while (i < n && simple_is_token(t, z[i])) i++;
      end = i;
      if (end - start + 32 > cap) {
        char *g = buf == small ? sqlite3_malloc(end - start + 32) : sqlite3_realloc(buf, end - start + 32);
        if (!g) return SQLITE_NOMEM;
        buf = g;
        cap = end - start + 32;
      }
      for (int k = start; k < end; k++) buf[len++] = (char)(z[k] >= 'A' && z[k] <= 'Z' ? z[k] + 32 : z[k]);
      if (t->kind == TOK_PORTER) {
        char stemmed[32];
        len = porter_stem(buf, len, stemmed);
        memcpy(buf, stemmed, (size_t)len);
      }
    } else {
      int at = i;
      uint32_t c = fts_utf8_next(z, n, &i);
      if (!unicode_is_token(t, c, 0)) continue;
      start = at;
      end = i;
      for (;;) {
        if (len + 8 > cap) {
          char *g = buf == small ? sqlite3_malloc(cap * 2) : sqlite3_realloc(buf, cap * 2);
          if (!g) {
            rc = SQLITE_NOMEM;
            break;
          }
          if (buf == small) memcpy(g, small, (size_t)len);
          buf = g;
          cap *= 2;
        }
        uint32_t f = fts_lower(c);
        if (t->remove_diacritics) f = fts_strip_diacritics(f, t->remove_diacritics == 2);
        if (!(t->remove_diacritics && fts_is_combining_mark(c))) len += fts_utf8_put(buf + len, f);
        end = i;
        if (i >= n) break;
        int save = i;
        c = fts_utf8_next(z, n, &i);
        if (!unicode_is_token(t, c, 1)) {
          i = save;
          break;
        }
      }
      if (rc != SQLITE_OK) break;
      i = end;
    }
    if (len > 0) rc = fn(ctx, buf, len, start, end, pos);
    pos++;
  }
  if (buf != small) sqlite3_free(buf);
  return rc;
}

/* ---- configuration ----------------------------------------------------------------------------------------- */

int fts3_is_id_char(char c) {
  return (c & 0x80) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$';
}

const char *fts3_next_word(const char *z, int *n) {
  for (;; z++) {
    char c = *z;
    const char *e;
    if (!c) {
      *n = 0;
      return NULL;
    }
    if (c == '\'' || c == '"' || c == '`') {
      e = z + 1;
      while (*e && (*e != c || *++e == c)) e++;
    } else if (c == '[') {
      e = z + 1;
      while (*e && *e != ']') e++;
      if (*e) e++;
    } else if (fts3_is_id_char(c)) {
      e = z + 1;
      while (fts3_is_id_char(*e)) e++;
    } else {
      continue;
    }
    *n = (int)(e - z);
    return z;
  }
}

char *fts3_dequote(const char *z, int n) {
  char *r = sqlite3_malloc(n + 1);
  if (!r) return NULL;
  char q = n > 0 ? z[0] : 0;
  if (q == '[') q = ']';
  else if (q != '\'' && q != '"' && q != '`') q = 0;
  if (!q) {
    if (n) memcpy(r, z, (size_t)n);
    r[n] = 0;
    return r;
  }
  int k = 0;
  for (int i = 1; i < n; i++) {
    if (z[i] == q) {
      if (q != ']' && i + 1 < n && z[i + 1] == q) {
        r[k++] = q;
        i++;
        continue;
      }
      break;
    }
    r[k++] = z[i];
  }
  r[k] = 0;
  return r;
}

/* Makes the characters of chars token characters (tok) or separators, those that are not already:
** each such one is an exception to its class; combining marks are left as they are. */
static int add_extra(Tokenizer *t, const char *chars, int tok) {
  const unsigned char *z = (const unsigned char *)chars;
  int n = (int)strlen(chars), i = 0;
  while (i < n) {
    uint32_t c = fts_utf8_next(z, n, &i);
    if (!!fts_is_alnum(c) == tok || fts_is_combining_mark(c)) continue;
    uint32_t *cp = sqlite3_realloc(t->extra_cp, (int)sizeof(uint32_t) * (t->nextra + 1));
    if (!cp) return SQLITE_NOMEM;
    t->extra_cp = cp;
    t->extra_cp[t->nextra++] = c;
  }
  return SQLITE_OK;
}

int fts3_tokenizer_create(Tokenizer *t, const char *name, int argc, const char *const *argv, char **err) {
  memset(t, 0, sizeof *t);
  if (sqlite3_stricmp(name, "simple") == 0) t->kind = TOK_SIMPLE;
  else if (sqlite3_stricmp(name, "porter") == 0) t->kind = TOK_PORTER;
  else if (sqlite3_stricmp(name, "unicode61") == 0) {
    t->kind = TOK_UNICODE61;
    t->remove_diacritics = 1;
  } else {
    *err = sqlite3_mprintf("unknown tokenizer: %s", name);
    return SQLITE_ERROR;
  }
  int rc = SQLITE_OK;
  if (t->kind == TOK_SIMPLE && argc > 1) {
    /* The second argument lists the delimiters (ASCII only): every other byte is a token's. */
    t->delim = sqlite3_malloc(128);
    if (!t->delim) return SQLITE_NOMEM;
    memset(t->delim, 0, 128);
    for (const unsigned char *z = (const unsigned char *)argv[1]; *z && rc == SQLITE_OK; z++) {
      if (*z >= 0x80) rc = SQLITE_ERROR;
      else t->delim[*z] = 1;
    }
  }
  for (int i = 0; t->kind == TOK_UNICODE61 && i < argc && rc == SQLITE_OK; i++) {
    const char *a = argv[i];
    if (strncmp(a, "remove_diacritics=", 18) == 0 && (strcmp(a + 18, "0") == 0 || strcmp(a + 18, "1") == 0 ||
                                                      strcmp(a + 18, "2") == 0)) {
      t->remove_diacritics = a[18] - '0';
    } else if (strncmp(a, "tokenchars=", 11) == 0) {
      rc = add_extra(t, a + 11, 1);
    } else if (strncmp(a, "separators=", 11) == 0) {
      rc = add_extra(t, a + 11, 0);
    } else {
      rc = SQLITE_ERROR;
    }
  }
  /* porter takes no arguments and ignores any */
  if (rc == SQLITE_ERROR) *err = sqlite3_mprintf("unknown tokenizer");
  if (rc != SQLITE_OK) fts3_tokenizer_free(t);
  return rc;
}

int fts3_tokenizer_init(Tokenizer *t, const char *spec, char **err) {
  memset(t, 0, sizeof *t);
  t->kind = TOK_SIMPLE;
  /* The name, then the arguments: words of identifier characters or quoted strings. */
  int n = 0, argc = 0, rc = SQLITE_OK;
  const char *z = spec ? fts3_next_word(spec, &n) : NULL;
  char *name = z ? fts3_dequote(z, n) : sqlite3_mprintf("%s", spec ? spec : "simple");
  char **argv = NULL;
  if (!name) return SQLITE_NOMEM;
  while (z && rc == SQLITE_OK && (z = fts3_next_word(z + n, &n)) != NULL) {
    char **g = sqlite3_realloc64(argv, sizeof(char *) * (sqlite3_uint64)(argc + 1));
    if (!g || !(g[argc] = fts3_dequote(z, n))) rc = SQLITE_NOMEM;
    if (g) argv = g;
    if (rc == SQLITE_OK) argc++;
  }
  if (rc == SQLITE_OK) rc = fts3_tokenizer_create(t, name, argc, (const char *const *)argv, err);
  for (int i = 0; i < argc; i++) sqlite3_free(argv[i]);
  sqlite3_free(argv);
  sqlite3_free(name);
  return rc;
}

void fts3_tokenizer_free(Tokenizer *t) {
  sqlite3_free(t->extra_cp);
  sqlite3_free(t->delim);
  t->extra_cp = NULL;
  t->delim = NULL;
  t->nextra = 0;
}
