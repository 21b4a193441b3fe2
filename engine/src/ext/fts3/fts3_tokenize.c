/*
** fts3_tokenize.c — the tokenizers a full-text table may name (fts3_int.h):
**   simple     runs of ASCII letters and digits and of every byte >= 0x80,
**              ASCII letters folded to lower case;
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

static int simple_is_token(unsigned char c) {
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

static int unicode_is_token(const Tokenizer *t, uint32_t c) {
  for (int i = 0; i < t->nextra; i++)
    if (t->extra_cp[i] == c) return t->extra_tok[i];
  return fts_is_alnum(c) || fts_is_combining_mark(c);
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
      if (!simple_is_token(z[i])) {
        i++;
        continue;
      }
      while (i < n && simple_is_token(z[i])) i++;
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
      if (!unicode_is_token(t, c)) continue;
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
        if (t->remove_diacritics) f = fts_strip_diacritic(f);
        if (!(t->remove_diacritics && fts_is_combining_mark(c))) len += fts_utf8_put(buf + len, f);
        end = i;
        if (i >= n) break;
        int save = i;
        c = fts_utf8_next(z, n, &i);
        if (!unicode_is_token(t, c)) {
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

/* The next whitespace-separated word of *pz, quotes removed, in out (cap bytes); 0 at the end. */
static int next_word(const char **pz, char *out, int cap) {
  const char *z = *pz;
  while (*z == ' ' || *z == '\t' || *z == '\n' || *z == '\r') z++;
  if (!*z) return 0;
  int n = 0;
  char q = *z == '"' || *z == '\'' || *z == '`' ? *z : *z == '[' ? ']' : 0;
  if (q) {
    z++;
    while (*z) {
      if (*z == q) {
        if (q != ']' && z[1] == q) {
          if (n < cap - 1) out[n++] = q;
          z += 2;
          continue;
        }
        z++;
        break;
      }
      if (n < cap - 1) out[n++] = *z;
      z++;
    }
  } else {
    while (*z && *z != ' ' && *z != '\t' && *z != '\n' && *z != '\r') {
      if (n < cap - 1) out[n++] = *z;
      z++;
    }
  }
  out[n] = 0;
  *pz = z;
  return 1;
}

static int add_extra(Tokenizer *t, const char *chars, int tok) {
  const unsigned char *z = (const unsigned char *)chars;
  int n = (int)strlen(chars), i = 0;
  while (i < n) {
    uint32_t c = fts_utf8_next(z, n, &i);
    uint32_t *cp = sqlite3_realloc(t->extra_cp, (int)sizeof(uint32_t) * (t->nextra + 1));
    if (!cp) return SQLITE_NOMEM;
    t->extra_cp = cp;
    unsigned char *tk = sqlite3_realloc(t->extra_tok, t->nextra + 1);
    if (!tk) return SQLITE_NOMEM;
    t->extra_tok = tk;
    t->extra_cp[t->nextra] = c;
    t->extra_tok[t->nextra++] = (unsigned char)tok;
  }
  return SQLITE_OK;
}

int fts3_tokenizer_init(Tokenizer *t, const char *spec, char **err) {
  memset(t, 0, sizeof *t);
  t->kind = TOK_SIMPLE;
  if (!spec) return SQLITE_OK;
  char word[256];
  const char *z = spec;
  if (!next_word(&z, word, (int)sizeof word)) return SQLITE_OK;
  if (sqlite3_stricmp(word, "simple") == 0) t->kind = TOK_SIMPLE;
  else if (sqlite3_stricmp(word, "porter") == 0) t->kind = TOK_PORTER;
  else if (sqlite3_stricmp(word, "unicode61") == 0) {
    t->kind = TOK_UNICODE61;
    t->remove_diacritics = 1;
  } else {
    *err = sqlite3_mprintf("unknown tokenizer: %s", word);
    return SQLITE_ERROR;
  }
  while (next_word(&z, word, (int)sizeof word)) {
    if (t->kind != TOK_UNICODE61) continue; /* simple and porter take no options */
    int rc = SQLITE_OK;
    if (strncmp(word, "remove_diacritics=", 18) == 0 && (strcmp(word + 18, "0") == 0 || strcmp(word + 18, "1") == 0 ||
                                                         strcmp(word + 18, "2") == 0)) {
      t->remove_diacritics = word[18] - '0';
    } else if (strncmp(word, "tokenchars=", 11) == 0) {
      rc = add_extra(t, word + 11, 1);
    } else if (strncmp(word, "separators=", 11) == 0) {
      rc = add_extra(t, word + 11, 0);
    } else {
      *err = sqlite3_mprintf("unknown tokenizer");
      return SQLITE_ERROR;
    }
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

void fts3_tokenizer_free(Tokenizer *t) {
  sqlite3_free(t->extra_cp);
  sqlite3_free(t->extra_tok);
  t->extra_cp = NULL;
  t->extra_tok = NULL;
  t->nextra = 0;
}
