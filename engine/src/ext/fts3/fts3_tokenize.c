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

/* A word being stemmed: w[0..n) in lower-case ASCII letters. */
typedef struct Stem {
  char w[32];
  int n;
} Stem;

static int is_cons(const Stem *s, int i) {
  switch (s->w[i]) {
    case 'a': case 'e': case 'i': case 'o': case 'u': return 0;
    case 'y': return i == 0 ? 1 : !is_cons(s, i - 1);
    default: return 1;
  }
}

/* The measure m of w[0..k): the number of vowel-consonant sequences. */
static int measure(const Stem *s, int k) {
  int m = 0, i = 0;
  while (i < k && is_cons(s, i)) i++;
  while (i < k) {
    while (i < k && !is_cons(s, i)) i++;
    if (i >= k) break;
    while (i < k && is_cons(s, i)) i++;
    m++;
  }
  return m;
}

static int has_vowel(const Stem *s, int k) {
  for (int i = 0; i < k; i++)
    if (!is_cons(s, i)) return 1;
  return 0;
}

static int double_cons(const Stem *s, int k) {
  return k >= 2 && s->w[k - 1] == s->w[k - 2] && is_cons(s, k - 1);
}

/* w[0..k) ends consonant-vowel-consonant, the last not w, x or y. */
static int cvc(const Stem *s, int k) {
  if (k < 3 || !is_cons(s, k - 1) || is_cons(s, k - 2) || !is_cons(s, k - 3)) return 0;
  char c = s->w[k - 1];
  return c != 'w' && c != 'x' && c != 'y';
}

static int ends(const Stem *s, const char *suf) {
  int l = (int)strlen(suf);
  return l <= s->n && memcmp(s->w + s->n - l, suf, (size_t)l) == 0;
}

static void set_to(Stem *s, int stem_len, const char *rep) {
  int l = (int)strlen(rep);
  memcpy(s->w + stem_len, rep, (size_t)l);
  s->n = stem_len + l;
}

/* Replaces suffix suf by rep when the measure of what is before it exceeds min; 1 when suf ends the word. */
static int rule(Stem *s, const char *suf, const char *rep, int min) {
  if (!ends(s, suf)) return 0;
  int k = s->n - (int)strlen(suf);
  if (measure(s, k) > min) set_to(s, k, rep);
  return 1;
}

static void step1(Stem *s) {
  if (ends(s, "sses")) s->n -= 2;
  else if (ends(s, "ies")) s->n -= 2;
  else if (!ends(s, "ss") && ends(s, "s")) s->n -= 1;
  int fix = 0;
  if (ends(s, "eed")) {
    if (measure(s, s->n - 3) > 0) s->n -= 1;
  } else if (ends(s, "ed") && has_vowel(s, s->n - 2)) {
    s->n -= 2;
    fix = 1;
  } else if (ends(s, "ing") && has_vowel(s, s->n - 3)) {
    s->n -= 3;
    fix = 1;
  }
  if (fix) {
    if (ends(s, "at") || ends(s, "bl") || ends(s, "iz")) {
      s->w[s->n++] = 'e';
    } else if (double_cons(s, s->n)) {
      char c = s->w[s->n - 1];
      if (c != 'l' && c != 's' && c != 'z') s->n--;
    } else if (measure(s, s->n) == 1 && cvc(s, s->n)) {
      s->w[s->n++] = 'e';
    }
  }
  if (ends(s, "y") && has_vowel(s, s->n - 1)) s->w[s->n - 1] = 'i';
}

static void step2(Stem *s) {
  static const char *const r[][2] = {
      {"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"}, {"anci", "ance"}, {"izer", "ize"},
      {"bli", "ble"},     {"alli", "al"},     {"entli", "ent"}, {"eli", "e"},     {"ousli", "ous"},
      {"ization", "ize"}, {"ation", "ate"},   {"ator", "ate"},  {"alism", "al"},  {"iveness", "ive"},
      {"fulness", "ful"}, {"ousness", "ous"}, {"aliti", "al"},  {"iviti", "ive"}, {"biliti", "ble"},
      {"logi", "log"}};
  for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
    if (rule(s, r[i][0], r[i][1], 0)) return;
}

static void step3(Stem *s) {
  static const char *const r[][2] = {{"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"},
                                     {"ical", "ic"},  {"ful", ""},   {"ness", ""}};
  for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
    if (rule(s, r[i][0], r[i][1], 0)) return;
}

static void step4(Stem *s) {
  static const char *const r[] = {"al",  "ance", "ence", "er",  "ic",  "able", "ible", "ant", "ement", "ment",
                                  "ent", "ion",  "ou",   "ism", "ate", "iti",  "ous",  "ive", "ize"};
  for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
    if (!ends(s, r[i])) continue;
    int k = s->n - (int)strlen(r[i]);
    if (strcmp(r[i], "ion") == 0 && !(k > 0 && (s->w[k - 1] == 's' || s->w[k - 1] == 't'))) return;
    if (measure(s, k) > 1) s->n = k;
    return;
  }
}

static void step5(Stem *s) {
  if (ends(s, "e")) {
    int m = measure(s, s->n - 1);
    if (m > 1 || (m == 1 && !cvc(s, s->n - 1))) s->n--;
  }
  if (s->n >= 2 && s->w[s->n - 1] == 'l' && double_cons(s, s->n) && measure(s, s->n) > 1) s->n--;
}

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
  Stem s;
  memcpy(s.w, tok, (size_t)n);
  s.n = n;
  step1(&s);
  step2(&s);
  step3(&s);
  step4(&s);
  step5(&s);
  memcpy(out, s.w, (size_t)s.n);
  return s.n;
}

/* ---- unicode61 --------------------------------------------------------------------------------------------- */

static uint32_t utf8_next(const unsigned char *z, int n, int *i) {
  uint32_t c = z[(*i)++];
  if (c < 0xC0) return c;
  int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
  c &= more == 3 ? 0x07 : more == 2 ? 0x0F : 0x1F;
  while (more-- > 0 && *i < n && (z[*i] & 0xC0) == 0x80) c = c << 6 | (z[(*i)++] & 0x3F);
  return c;
}

static int utf8_put(char *out, uint32_t c) {
  if (c < 0x80) {
    out[0] = (char)c;
    return 1;
  }
  if (c < 0x800) {
    out[0] = (char)(0xC0 | c >> 6);
    out[1] = (char)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = (char)(0xE0 | c >> 12);
    out[1] = (char)(0x80 | (c >> 6 & 0x3F));
    out[2] = (char)(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | c >> 18);
  out[1] = (char)(0x80 | (c >> 12 & 0x3F));
  out[2] = (char)(0x80 | (c >> 6 & 0x3F));
  out[3] = (char)(0x80 | (c & 0x3F));
  return 4;
}

/* The base letter of a lower-case Latin letter with a diacritic ('.' in the
** tables: none), for U+00E0..U+00FF and U+0100..U+017F. */
static uint32_t strip_diacritic(uint32_t c) {
  static const char latin1[] = "aaaaaa.ceeeeiiii.nooooo..uuuuy.y";
  static const char exta[] = "aaaaaa" "cccccccc" "dd.." "eeeeeeeeee" "gggggggg" "hh.." "iiiiiiiii." ".." "jj" "kk."
                             "llllll...." "nnnnnn..." "oooooo.." "rrrrrr" "ssssssss" "tttt.." "uuuuuuuuuuuu" "ww"
                             "yyy" "zzzzzz" ".";
  if (c >= 0xE0 && c <= 0xFF) return latin1[c - 0xE0] == '.' ? c : (uint32_t)latin1[c - 0xE0];
  if (c >= 0x100 && c <= 0x17F) return exta[c - 0x100] == '.' ? c : (uint32_t)exta[c - 0x100];
  return c;
}

static int is_combining_mark(uint32_t c) { return c >= 0x300 && c <= 0x36F; }

static int unicode_is_token(const Tokenizer *t, uint32_t c) {
  for (int i = 0; i < t->nextra; i++)
    if (t->extra_cp[i] == c) return t->extra_tok[i];
  return fts_is_alnum(c) || is_combining_mark(c);
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
      uint32_t c = utf8_next(z, n, &i);
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
        if (t->remove_diacritics) f = strip_diacritic(f);
        if (!(t->remove_diacritics && is_combining_mark(c))) len += utf8_put(buf + len, f);
        end = i;
        if (i >= n) break;
        int save = i;
        c = utf8_next(z, n, &i);
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
    uint32_t c = utf8_next(z, n, &i);
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
