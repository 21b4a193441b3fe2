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

