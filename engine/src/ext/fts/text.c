/*
** text.c — pieces of text processing the full-text modules share (fts.h):
** the Porter stemming algorithm (M.F. Porter, 1980) over lower-case ASCII
** words, UTF-8 reading and writing, and the base letters of Latin letters
** with diacritics.  ext/fts3 and ext/fts5 tokenize with them.
*/
#include <string.h>

#include "ext/fts/fts.h"

/* ---- Porter stemming ---- */

/* A word being stemmed: w[0..n) in lower-case ASCII letters. */
typedef struct Stem {
  char w[FTS_PORTER_MAX + 8];
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


int fts_porter_stem(char *w, int n) {
  if (n < 1 || n > FTS_PORTER_MAX) return n;
  Stem s;
  memcpy(s.w, w, (size_t)n);
  s.n = n;
  step1(&s);
  step2(&s);
  step3(&s);
  step4(&s);
  step5(&s);
  memcpy(w, s.w, (size_t)s.n);
  return s.n;
}

/* ---- UTF-8 and diacritics ---- */

uint32_t fts_utf8_next(const unsigned char *z, int n, int *i) {
  uint32_t c = z[(*i)++];
  if (c < 0xC0) return c;
  int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
  c &= more == 3 ? 0x07 : more == 2 ? 0x0F : 0x1F;
  while (more-- > 0 && *i < n && (z[*i] & 0xC0) == 0x80) c = c << 6 | (z[(*i)++] & 0x3F);
  return c;
}

int fts_utf8_put(char *out, uint32_t c) {
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

/* Beyond U+017F: the Latin letters whose canonical decomposition is an ASCII letter and combining marks
** (U+0300..U+036F), each with that letter and whether it carries more than one mark; by code point. */
static const struct { uint16_t cp; char base; unsigned char complex; } latin_marked[] = {
    {0x01A0, 'o', 0}, {0x01A1, 'o', 0}, {0x01AF, 'u', 0}, {0x01B0, 'u', 0}, {0x01CD, 'a', 0}, {0x01CE, 'a', 0},
    {0x01CF, 'i', 0}, {0x01D0, 'i', 0}, {0x01D1, 'o', 0}, {0x01D2, 'o', 0}, {0x01D3, 'u', 0}, {0x01D4, 'u', 0},
    {0x01D5, 'u', 1}, {0x01D6, 'u', 1}, {0x01D7, 'u', 1}, {0x01D8, 'u', 1}, {0x01D9, 'u', 1}, {0x01DA, 'u', 1},
    {0x01DB, 'u', 1}, {0x01DC, 'u', 1}, {0x01DE, 'a', 1}, {0x01DF, 'a', 1}, {0x01E0, 'a', 1}, {0x01E1, 'a', 1},
    {0x01E6, 'g', 0}, {0x01E7, 'g', 0}, {0x01E8, 'k', 0}, {0x01E9, 'k', 0}, {0x01EA, 'o', 0}, {0x01EB, 'o', 0},
    {0x01EC, 'o', 1}, {0x01ED, 'o', 1}, {0x01F0, 'j', 0}, {0x01F4, 'g', 0}, {0x01F5, 'g', 0}, {0x01F8, 'n', 0},
    {0x01F9, 'n', 0}, {0x01FA, 'a', 1}, {0x01FB, 'a', 1}, {0x0200, 'a', 0}, {0x0201, 'a', 0}, {0x0202, 'a', 0},
    {0x0203, 'a', 0}, {0x0204, 'e', 0}, {0x0205, 'e', 0}, {0x0206, 'e', 0}, {0x0207, 'e', 0}, {0x0208, 'i', 0},
    {0x0209, 'i', 0}, {0x020A, 'i', 0}, {0x020B, 'i', 0}, {0x020C, 'o', 0}, {0x020D, 'o', 0}, {0x020E, 'o', 0},
    {0x020F, 'o', 0}, {0x0210, 'r', 0}, {0x0211, 'r', 0}, {0x0212, 'r', 0}, {0x0213, 'r', 0}, {0x0214, 'u', 0},
    {0x0215, 'u', 0}, {0x0216, 'u', 0}, {0x0217, 'u', 0}, {0x0218, 's', 0}, {0x0219, 's', 0}, {0x021A, 't', 0},
    {0x021B, 't', 0}, {0x021E, 'h', 0}, {0x021F, 'h', 0}, {0x0226, 'a', 0}, {0x0227, 'a', 0}, {0x0228, 'e', 0},
    {0x0229, 'e', 0}, {0x022A, 'o', 1}, {0x022B, 'o', 1}, {0x022C, 'o', 1}, {0x022D, 'o', 1}, {0x022E, 'o', 0},
    {0x022F, 'o', 0}, {0x0230, 'o', 1}, {0x0231, 'o', 1}, {0x0232, 'y', 0}, {0x0233, 'y', 0}, {0x1E00, 'a', 0},
    {0x1E01, 'a', 0}, {0x1E02, 'b', 0}, {0x1E03, 'b', 0}, {0x1E04, 'b', 0}, {0x1E05, 'b', 0}, {0x1E06, 'b', 0},
    {0x1E07, 'b', 0}, {0x1E08, 'c', 1}, {0x1E09, 'c', 1}, {0x1E0A, 'd', 0}, {0x1E0B, 'd', 0}, {0x1E0C, 'd', 0},
    {0x1E0D, 'd', 0}, {0x1E0E, 'd', 0}, {0x1E0F, 'd', 0}, {0x1E10, 'd', 0}, {0x1E11, 'd', 0}, {0x1E12, 'd', 0},
    {0x1E13, 'd', 0}, {0x1E14, 'e', 1}, {0x1E15, 'e', 1}, {0x1E16, 'e', 1}, {0x1E17, 'e', 1}, {0x1E18, 'e', 0},
    {0x1E19, 'e', 0}, {0x1E1A, 'e', 0}, {0x1E1B, 'e', 0}, {0x1E1C, 'e', 1}, {0x1E1D, 'e', 1}, {0x1E1E, 'f', 0},
    {0x1E1F, 'f', 0}, {0x1E20, 'g', 0}, {0x1E21, 'g', 0}, {0x1E22, 'h', 0}, {0x1E23, 'h', 0}, {0x1E24, 'h', 0},
    {0x1E25, 'h', 0}, {0x1E26, 'h', 0}, {0x1E27, 'h', 0}, {0x1E28, 'h', 0}, {0x1E29, 'h', 0}, {0x1E2A, 'h', 0},
    {0x1E2B, 'h', 0}, {0x1E2C, 'i', 0}, {0x1E2D, 'i', 0}, {0x1E2E, 'i', 1}, {0x1E2F, 'i', 1}, {0x1E30, 'k', 0},
    {0x1E31, 'k', 0}, {0x1E32, 'k', 0}, {0x1E33, 'k', 0}, {0x1E34, 'k', 0}, {0x1E35, 'k', 0}, {0x1E36, 'l', 0},
    {0x1E37, 'l', 0}, {0x1E38, 'l', 1}, {0x1E39, 'l', 1}, {0x1E3A, 'l', 0}, {0x1E3B, 'l', 0}, {0x1E3C, 'l', 0},
    {0x1E3D, 'l', 0}, {0x1E3E, 'm', 0}, {0x1E3F, 'm', 0}, {0x1E40, 'm', 0}, {0x1E41, 'm', 0}, {0x1E42, 'm', 0},
    {0x1E43, 'm', 0}, {0x1E44, 'n', 0}, {0x1E45, 'n', 0}, {0x1E46, 'n', 0}, {0x1E47, 'n', 0}, {0x1E48, 'n', 0},
    {0x1E49, 'n', 0}, {0x1E4A, 'n', 0}, {0x1E4B, 'n', 0}, {0x1E4C, 'o', 1}, {0x1E4D, 'o', 1}, {0x1E4E, 'o', 1},
    {0x1E4F, 'o', 1}, {0x1E50, 'o', 1}, {0x1E51, 'o', 1}, {0x1E52, 'o', 1}, {0x1E53, 'o', 1}, {0x1E54, 'p', 0},
    {0x1E55, 'p', 0}, {0x1E56, 'p', 0}, {0x1E57, 'p', 0}, {0x1E58, 'r', 0}, {0x1E59, 'r', 0}, {0x1E5A, 'r', 0},
    {0x1E5B, 'r', 0}, {0x1E5C, 'r', 1}, {0x1E5D, 'r', 1}, {0x1E5E, 'r', 0}, {0x1E5F, 'r', 0}, {0x1E60, 's', 0},
    {0x1E61, 's', 0}, {0x1E62, 's', 0}, {0x1E63, 's', 0}, {0x1E64, 's', 1}, {0x1E65, 's', 1}, {0x1E66, 's', 1},
    {0x1E67, 's', 1}, {0x1E68, 's', 1}, {0x1E69, 's', 1}, {0x1E6A, 't', 0}, {0x1E6B, 't', 0}, {0x1E6C, 't', 0},
    {0x1E6D, 't', 0}, {0x1E6E, 't', 0}, {0x1E6F, 't', 0}, {0x1E70, 't', 0}, {0x1E71, 't', 0}, {0x1E72, 'u', 0},
    {0x1E73, 'u', 0}, {0x1E74, 'u', 0}, {0x1E75, 'u', 0}, {0x1E76, 'u', 0}, {0x1E77, 'u', 0}, {0x1E78, 'u', 1},
    {0x1E79, 'u', 1}, {0x1E7A, 'u', 1}, {0x1E7B, 'u', 1}, {0x1E7C, 'v', 0}, {0x1E7D, 'v', 0}, {0x1E7E, 'v', 0},
    {0x1E7F, 'v', 0}, {0x1E80, 'w', 0}, {0x1E81, 'w', 0}, {0x1E82, 'w', 0}, {0x1E83, 'w', 0}, {0x1E84, 'w', 0},
    {0x1E85, 'w', 0}, {0x1E86, 'w', 0}, {0x1E87, 'w', 0}, {0x1E88, 'w', 0}, {0x1E89, 'w', 0}, {0x1E8A, 'x', 0},
    {0x1E8B, 'x', 0}, {0x1E8C, 'x', 0}, {0x1E8D, 'x', 0}, {0x1E8E, 'y', 0}, {0x1E8F, 'y', 0}, {0x1E90, 'z', 0},
    {0x1E91, 'z', 0}, {0x1E92, 'z', 0}, {0x1E93, 'z', 0}, {0x1E94, 'z', 0}, {0x1E95, 'z', 0}, {0x1E96, 'h', 0},
    {0x1E97, 't', 0}, {0x1E98, 'w', 0}, {0x1E99, 'y', 0}, {0x1EA0, 'a', 0}, {0x1EA1, 'a', 0}, {0x1EA2, 'a', 0},
    {0x1EA3, 'a', 0}, {0x1EA4, 'a', 1}, {0x1EA5, 'a', 1}, {0x1EA6, 'a', 1}, {0x1EA7, 'a', 1}, {0x1EA8, 'a', 1},
    {0x1EA9, 'a', 1}, {0x1EAA, 'a', 1}, {0x1EAB, 'a', 1}, {0x1EAC, 'a', 1}, {0x1EAD, 'a', 1}, {0x1EAE, 'a', 1},
    {0x1EAF, 'a', 1}, {0x1EB0, 'a', 1}, {0x1EB1, 'a', 1}, {0x1EB2, 'a', 1}, {0x1EB3, 'a', 1}, {0x1EB4, 'a', 1},
    {0x1EB5, 'a', 1}, {0x1EB6, 'a', 1}, {0x1EB7, 'a', 1}, {0x1EB8, 'e', 0}, {0x1EB9, 'e', 0}, {0x1EBA, 'e', 0},
    {0x1EBB, 'e', 0}, {0x1EBC, 'e', 0}, {0x1EBD, 'e', 0}, {0x1EBE, 'e', 1}, {0x1EBF, 'e', 1}, {0x1EC0, 'e', 1},
    {0x1EC1, 'e', 1}, {0x1EC2, 'e', 1}, {0x1EC3, 'e', 1}, {0x1EC4, 'e', 1}, {0x1EC5, 'e', 1}, {0x1EC6, 'e', 1},
    {0x1EC7, 'e', 1}, {0x1EC8, 'i', 0}, {0x1EC9, 'i', 0}, {0x1ECA, 'i', 0}, {0x1ECB, 'i', 0}, {0x1ECC, 'o', 0},
    {0x1ECD, 'o', 0}, {0x1ECE, 'o', 0}, {0x1ECF, 'o', 0}, {0x1ED0, 'o', 1}, {0x1ED1, 'o', 1}, {0x1ED2, 'o', 1},
    {0x1ED3, 'o', 1}, {0x1ED4, 'o', 1}, {0x1ED5, 'o', 1}, {0x1ED6, 'o', 1}, {0x1ED7, 'o', 1}, {0x1ED8, 'o', 1},
    {0x1ED9, 'o', 1}, {0x1EDA, 'o', 1}, {0x1EDB, 'o', 1}, {0x1EDC, 'o', 1}, {0x1EDD, 'o', 1}, {0x1EDE, 'o', 1},
    {0x1EDF, 'o', 1}, {0x1EE0, 'o', 1}, {0x1EE1, 'o', 1}, {0x1EE2, 'o', 1}, {0x1EE3, 'o', 1}, {0x1EE4, 'u', 0},
    {0x1EE5, 'u', 0}, {0x1EE6, 'u', 0}, {0x1EE7, 'u', 0}, {0x1EE8, 'u', 1}, {0x1EE9, 'u', 1}, {0x1EEA, 'u', 1},
    {0x1EEB, 'u', 1}, {0x1EEC, 'u', 1}, {0x1EED, 'u', 1}, {0x1EEE, 'u', 1}, {0x1EEF, 'u', 1}, {0x1EF0, 'u', 1},
    {0x1EF1, 'u', 1}, {0x1EF2, 'y', 0}, {0x1EF3, 'y', 0}, {0x1EF4, 'y', 0}, {0x1EF5, 'y', 0}, {0x1EF6, 'y', 0},
    {0x1EF7, 'y', 0}, {0x1EF8, 'y', 0}, {0x1EF9, 'y', 0}, {0x212B, 'a', 0},
};

/* The base letter of a lower-case Latin letter with diacritics ('.' in the tables: none; up to U+017F
** every such letter has one), those with several only when complex. */
uint32_t fts_strip_diacritics(uint32_t c, int complex) {
  if (c >= 0x180) {
    int lo = 0, hi = (int)(sizeof latin_marked / sizeof latin_marked[0]) - 1;
    while (lo <= hi) {
      int mid = (lo + hi) / 2;
      if (latin_marked[mid].cp == c)
        return complex || !latin_marked[mid].complex ? (uint32_t)latin_marked[mid].base : c;
      if (latin_marked[mid].cp < c) lo = mid + 1;
      else hi = mid - 1;
    }
    return c;
  }
  return fts_strip_diacritic(c);
}

/* The base letter of a lower-case Latin letter with a diacritic ('.' in the
** tables: none), for U+00E0..U+00FF and U+0100..U+017F. */
uint32_t fts_strip_diacritic(uint32_t c) {
  static const char latin1[] = "aaaaaa.ceeeeiiii.nooooo..uuuuy.y";
  static const char exta[] = "aaaaaa" "cccccccc" "dd.." "eeeeeeeeee" "gggggggg" "hh.." "iiiiiiiii." ".." "jj" "kk."
                             "llllll...." "nnnnnn..." "oooooo.." "rrrrrr" "ssssssss" "tttt.." "uuuuuuuuuuuu" "ww"
                             "yyy" "zzzzzz" ".";
  if (c >= 0xE0 && c <= 0xFF) return latin1[c - 0xE0] == '.' ? c : (uint32_t)latin1[c - 0xE0];
  if (c >= 0x100 && c <= 0x17F) return exta[c - 0x100] == '.' ? c : (uint32_t)exta[c - 0x100];
  return c;
}

int fts_is_combining_mark(uint32_t c) { return c >= 0x300 && c <= 0x36F; }

