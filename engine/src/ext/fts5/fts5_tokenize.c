/*
** fts5_tokenize.c — FTS5's built-in tokenizers, as fts5_tokenizer objects
** (so a program's own tokenizers plug in the same way):
**   unicode61  runs of Unicode letters, digits and private-use characters
**              (ext/fts's tables), folded to lower case, diacritics removed
**              unless remove_diacritics=0; tokenchars= and separators= move
**              characters between the classes; categories= is checked.
**   ascii      runs of ASCII letters and digits and every byte >= 0x80,
**              ASCII folded to lower case; tokenchars=, separators=.
**   porter     another tokenizer's tokens (unicode61 by default) stemmed by
**              the Porter algorithm when they are 3 to 64 bytes long.
**   trigram    every run of three characters, folded unless
**              case_sensitive=1; remove_diacritics=1 with folding.
** A malformed argument fails the table with "error in tokenizer constructor".
*/
#include <stdlib.h>
#include <string.h>

#include "ext/fts/fts.h"
#include "ext/fts5/fts5_int.h"

#define TOKEN_BUF 256

typedef struct Unicode61 {
  int ascii;             /* the ascii tokenizer: no Unicode classes, no folding beyond ASCII */
  int remove_diacritics; /* 0, 1 or 2 */
  int nextra;
  uint32_t *extra_cp;
  unsigned char *extra_tok;
  /* ASCII characters by table, what is_token_char and the folding below give for them: acls 0 a separator,
  ** 1 a token character that folds to alow's byte, 2 one that takes the general path */
  unsigned char acls[128], alow[128];
} Unicode61;

static int add_extra(Unicode61 *u, const char *chars, int tok) {
  const unsigned char *z = (const unsigned char *)chars;
  int n = (int)strlen(chars), i = 0;
  while (i < n) {
    uint32_t c = fts_utf8_next(z, n, &i);
    uint32_t *cp = sqlite3_realloc(u->extra_cp, (int)sizeof(uint32_t) * (u->nextra + 1));
    if (!cp) return SQLITE_NOMEM;
    u->extra_cp = cp;
    unsigned char *tk = sqlite3_realloc(u->extra_tok, u->nextra + 1);
    if (!tk) return SQLITE_NOMEM;
    u->extra_tok = tk;
    u->extra_cp[u->nextra] = c;
    u->extra_tok[u->nextra++] = (unsigned char)tok;
  }
  return SQLITE_OK;
}

static void unicode_delete(Fts5Tokenizer *p) {
  Unicode61 *u = (Unicode61 *)p;
  if (!u) return;
  sqlite3_free(u->extra_cp);
  sqlite3_free(u->extra_tok);
  sqlite3_free(u);
}

/* categories='L* N* Co': each word a general category or a major class with '*'. */
static int categories_ok(const char *z) {
  static const char *const known[] = {"Cc", "Cf", "Cn", "Co", "Cs", "Ll", "Lm", "Lo", "Lt", "Lu", "Mc", "Me", "Mn",
                                      "Nd", "Nl", "No", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "Sc", "Sk", "Sm",
                                      "So", "Zl", "Zp", "Zs", "L*", "M*", "N*", "P*", "S*", "Z*", "C*", "LC"};
  while (*z) {
    while (*z == ' ') z++;
    if (!*z) break;
    int n = 0;
    while (z[n] && z[n] != ' ') n++;
    int ok = 0;
    for (size_t i = 0; !ok && i < sizeof known / sizeof known[0]; i++) ok = n == 2 && memcmp(z, known[i], 2) == 0;
    if (!ok) return 0;
    z += n;
  }
  return 1;
}

static int is_token_char(const Unicode61 *u, uint32_t c);

/* The character c as unicode_tokenize appends it: folded (and stripped), nothing for a combining mark that
** diacritics removal drops; returns the bytes written to out. */
static int fold_char(const Unicode61 *u, uint32_t c, char *out) {
  if (u->ascii) {
    out[0] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    return 1;
  }
  uint32_t f = fts_lower(c);
  if (u->remove_diacritics) f = fts_strip_diacritics(f, u->remove_diacritics == 2);
  if (u->remove_diacritics && fts_is_combining_mark(c)) return 0;
  return fts_utf8_put(out, f);
}

static void ascii_tables(Unicode61 *u) {
  for (uint32_t c = 0; c < 128; c++) {
    char f[8];
    int tok = is_token_char(u, c), nf = tok ? fold_char(u, c, f) : 0;
    u->acls[c] = (unsigned char)(!tok ? 0 : nf == 1 && (unsigned char)f[0] < 0x80 ? 1 : 2);
    u->alow[c] = (unsigned char)(u->acls[c] == 1 ? f[0] : 0);
  }
}

static int unicode_create_kind(int ascii, const char **argv, int argc, Fts5Tokenizer **out) {
  Unicode61 *u = sqlite3_malloc((int)sizeof *u);
  if (!u) return SQLITE_NOMEM;
  memset(u, 0, sizeof *u);
  u->ascii = ascii;
  u->remove_diacritics = ascii ? 0 : 1;
  int rc = argc % 2 ? SQLITE_ERROR : SQLITE_OK;
  for (int i = 0; rc == SQLITE_OK && i + 1 < argc; i += 2) {
    const char *k = argv[i], *v = argv[i + 1];
    if (!ascii && sqlite3_stricmp(k, "remove_diacritics") == 0) {
      if ((v[0] != '0' && v[0] != '1' && v[0] != '2') || v[1])
        rc = SQLITE_ERROR;
      else
        u->remove_diacritics = v[0] - '0';
    } else if (sqlite3_stricmp(k, "tokenchars") == 0) {
      rc = add_extra(u, v, 1);
    } else if (sqlite3_stricmp(k, "separators") == 0) {
      rc = add_extra(u, v, 0);
    } else if (!ascii && sqlite3_stricmp(k, "categories") == 0) {
      if (!categories_ok(v)) rc = SQLITE_ERROR;
    } else {
      rc = SQLITE_ERROR;
    }
  }
  if (rc != SQLITE_OK) {
    unicode_delete((Fts5Tokenizer *)u);
    return rc;
  }
  ascii_tables(u);
  *out = (Fts5Tokenizer *)u;
  return SQLITE_OK;
}

static int unicode_create(void *user, const char **argv, int argc, Fts5Tokenizer **out) {
  (void)user;
  return unicode_create_kind(0, argv, argc, out);
}

static int ascii_create(void *user, const char **argv, int argc, Fts5Tokenizer **out) {
  (void)user;
  return unicode_create_kind(1, argv, argc, out);
}

static int is_token_char(const Unicode61 *u, uint32_t c) {
  for (int i = 0; i < u->nextra; i++)
    if (u->extra_cp[i] == c) return u->extra_tok[i];
  if (u->ascii) return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return fts_is_alnum(c) || fts_is_combining_mark(c) || (c >= 0xE000 && c <= 0xF8FF);
}

/* Grows a token buffer that started as the caller's stack array. */
static int grow(char **buf, int *cap, char *small, int need) {
  if (need <= *cap) return SQLITE_OK;
  int ncap = *cap * 2 > need ? *cap * 2 : need + 64;
  char *g = *buf == small ? sqlite3_malloc(ncap) : sqlite3_realloc(*buf, ncap);
  if (!g) return SQLITE_NOMEM;
  if (*buf == small) memcpy(g, small, (size_t)*cap);
  *buf = g;
  *cap = ncap;
  return SQLITE_OK;
}

/* A token character's class: its ASCII table entry, else 2 when is_token_char says it is one. */
static int char_class(const Unicode61 *u, uint32_t c) { return c < 128 ? u->acls[c] : is_token_char(u, c) ? 2 : 0; }

static int unicode_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *zin, int n,
                            int (*fn)(void *, int, const char *, int, int, int)) {
  const Unicode61 *u = (const Unicode61 *)p;
  const unsigned char *z = (const unsigned char *)zin;
  char small[TOKEN_BUF];
  char *buf = small;
  int cap = TOKEN_BUF, rc = SQLITE_OK, i = 0;
  (void)flags;
  while (i < n && rc == SQLITE_OK) {
    /* ASCII separators between tokens, passed in one tight loop */
    while (z[i] < 0x80 && !u->acls[z[i]])
      if (++i >= n) goto done;
    int start = i;
    uint32_t c = u->ascii || z[i] < 0x80 ? z[i++] : fts_utf8_next(z, n, &i);
    int cls = char_class(u, c);
    if (!cls) continue;
    int len = 0, end = i;
    for (;;) {
      if ((rc = grow(&buf, &cap, small, len + 8)) != SQLITE_OK) break;
      if (cls == 1)
        buf[len++] = (char)u->alow[c];
      else
        len += fold_char(u, c, buf + len);
      /* the usual run: ASCII token characters that fold to one byte each, up to the end or the buffer's room */
      int lim = n - i < cap - len ? n : i + (cap - len);
      while (i < lim) {
        unsigned ch = z[i];
        if (ch >= 0x80 || u->acls[ch] != 1) break;
        buf[len++] = (char)u->alow[ch];
        i++;
      }
      end = i;
      if (i >= n || (z[i] < 0x80 && !u->acls[z[i]])) break; /* an ASCII separator ends the token */
      int save = i;
      c = u->ascii || z[i] < 0x80 ? z[i++] : fts_utf8_next(z, n, &i);
      if (!(cls = char_class(u, c))) {
        i = save;
        break;
      }
    }
    if (rc != SQLITE_OK) break;
    if (len > 0) rc = fn(ctx, 0, buf, len, start, end);
  }
done:
  if (buf != small) sqlite3_free(buf);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* ---- porter ------------------------------------------------------------------------------------------------ */

typedef struct Porter {
  F5TokMod *parent;
  Fts5Tokenizer *inner;
} Porter;

typedef struct PorterCtx {
  void *ctx;
  int (*fn)(void *, int, const char *, int, int, int);
} PorterCtx;

static int porter_token(void *vp, int tflags, const char *tok, int n, int start, int end) {
  PorterCtx *pc = vp;
  if (n < 3 || n > FTS_PORTER_MAX) return pc->fn(pc->ctx, tflags, tok, n, start, end);
  char w[FTS_PORTER_MAX + 8];
  memcpy(w, tok, (size_t)n);
  int m = fts_porter_stem(w, n);
  return pc->fn(pc->ctx, tflags, w, m, start, end);
}

static void porter_delete(Fts5Tokenizer *p) {
  Porter *po = (Porter *)p;
  if (!po) return;
  if (po->inner) po->parent->x.xDelete(po->inner);
  sqlite3_free(po);
}

static int porter_create(void *user, const char **argv, int argc, Fts5Tokenizer **out) {
  Fts5Global *g = user;
  const char *name = argc > 0 ? argv[0] : "unicode61";
  F5TokMod *m = fts5_find_tokenizer(g, name);
  if (!m) return SQLITE_ERROR;
  Porter *po = sqlite3_malloc((int)sizeof *po);
  if (!po) return SQLITE_NOMEM;
  po->parent = m;
  po->inner = NULL;
  int rc = m->x.xCreate(m->user, argc > 0 ? argv + 1 : argv, argc > 0 ? argc - 1 : 0, &po->inner);
  if (rc != SQLITE_OK) {
    sqlite3_free(po);
    return rc;
  }
  *out = (Fts5Tokenizer *)po;
  return SQLITE_OK;
}

static int porter_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *z, int n,
                           int (*fn)(void *, int, const char *, int, int, int)) {
  Porter *po = (Porter *)p;
  PorterCtx pc = {ctx, fn};
  return po->parent->x.xTokenize(po->inner, &pc, flags, z, n, porter_token);
}

/* ---- trigram ----------------------------------------------------------------------------------------------- */

typedef struct Trigram {
  int case_sensitive, remove_diacritics;
} Trigram;

static int trigram_create(void *user, const char **argv, int argc, Fts5Tokenizer **out) {
  (void)user;
  Trigram *tg = sqlite3_malloc((int)sizeof *tg);
  if (!tg) return SQLITE_NOMEM;
  tg->case_sensitive = 0;
  tg->remove_diacritics = 0;
  int rc = argc % 2 ? SQLITE_ERROR : SQLITE_OK;
  for (int i = 0; rc == SQLITE_OK && i + 1 < argc; i += 2) {
    const char *v = argv[i + 1];
    int b = (v[0] == '0' || v[0] == '1') && !v[1] ? v[0] - '0' : -1;
    if (b < 0)
      rc = SQLITE_ERROR;
    else if (sqlite3_stricmp(argv[i], "case_sensitive") == 0)
      tg->case_sensitive = b;
    else if (sqlite3_stricmp(argv[i], "remove_diacritics") == 0)
      tg->remove_diacritics = b;
    else
      rc = SQLITE_ERROR;
  }
  if (rc == SQLITE_OK && tg->case_sensitive && tg->remove_diacritics) rc = SQLITE_ERROR;
  if (rc != SQLITE_OK) {
    sqlite3_free(tg);
    return rc;
  }
  *out = (Fts5Tokenizer *)tg;
  return SQLITE_OK;
}

static void trigram_delete(Fts5Tokenizer *p) { sqlite3_free(p); }

static int trigram_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *zin, int n,
                            int (*fn)(void *, int, const char *, int, int, int)) {
  const Trigram *tg = (const Trigram *)p;
  const unsigned char *z = (const unsigned char *)zin;
  int at[4], k = 0, i = 0, rc = SQLITE_OK;
  uint32_t cp[3];
  (void)flags;
  while (i < n && rc == SQLITE_OK) {
    int s = i;
    uint32_t c = fts_utf8_next(z, n, &i);
    if (!tg->case_sensitive) {
      c = fts_lower(c);
      if (tg->remove_diacritics) c = fts_strip_diacritic(c);
    }
    if (k == 3) {
      cp[0] = cp[1];
      cp[1] = cp[2];
      at[0] = at[1];
      at[1] = at[2];
      k = 2;
    }
    cp[k] = c;
    at[k++] = s;
    if (k == 3) {
      char tok[16];
      int len = 0;
      for (int j = 0; j < 3; j++) len += fts_utf8_put(tok + len, cp[j]);
      rc = fn(ctx, 0, tok, len, at[0], i);
    }
  }
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* ---- registration ------------------------------------------------------------------------------------------ */

void fts5_builtin_tokenizers(Fts5Global *g) {
  static const struct {
    const char *name;
    fts5_tokenizer x;
  } builtins[] = {
      {"unicode61", {unicode_create, unicode_delete, unicode_tokenize}},
      {"ascii", {ascii_create, unicode_delete, unicode_tokenize}},
      {"porter", {porter_create, porter_delete, porter_tokenize}},
      {"trigram", {trigram_create, trigram_delete, trigram_tokenize}},
  };
  _Static_assert(sizeof builtins / sizeof builtins[0] == FTS5_NBUILTIN_TOKS, "one slot per built-in");
  for (size_t i = 0; i < FTS5_NBUILTIN_TOKS; i++) {
    F5TokMod *m = &g->builtin_toks[i];
    m->name = (char *)builtins[i].name;
    m->user = g;
    m->x = builtins[i].x;
    m->destroy = NULL;
    m->next = NULL;
  }
  g->dflt = &g->builtin_toks[0];
}

/* Which pattern operators a table's tokenizer can serve from the index: the
** built-in trigram tokenizer folding case serves LIKE and GLOB ('L'),
** keeping case GLOB only ('G'); one that removes diacritics neither (the
** operators keep them). */
int fts5_tokenizer_pattern(const fts5_tokenizer *x, Fts5Tokenizer *tok) {
  if (!x || x->xTokenize != trigram_tokenize || !tok) return 0;
  const Trigram *tg = (const Trigram *)tok;
  if (tg->remove_diacritics) return 0;
  return tg->case_sensitive ? 'G' : 'L';
}
