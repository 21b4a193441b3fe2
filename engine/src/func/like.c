/*
** like.c — pattern matching for LIKE and GLOB: like(pattern, text[, escape])
** and glob(pattern, text), which is how "text LIKE pattern" is evaluated.
**
** Pattern language:
**   LIKE  %  any run of characters   _  exactly one character
**         case-insensitive for ASCII letters only (SQLite without ICU);
**         the optional escape character makes the next character literal.
**   GLOB  *  any run   ?  one character   [abc] [a-z] [^x] a character class
**         (a ']' right after '[' or '[^' is a member; '-' last is literal);
**         case-sensitive.
** Characters are UTF-8 code points.  Matching is the two-pointer algorithm
** with one backtrack point, linear in practice, never recursive.
**
** As in Debian's sqlite3 (SQLITE_LIKE_DOESNT_MATCH_BLOBS), a BLOB on either
** side of LIKE or GLOB gives 0, checked before NULLs.
**
** Invariants: patterns longer than the connection's LIKE_PATTERN_LENGTH limit
** (at most LIKE_PATTERN_MAX) bytes are refused with
** "LIKE or GLOB pattern too complex"; nothing here reads past n bytes.
*/
#include <string.h>

#include "func/func_internal.h"

#define LIKE_PATTERN_MAX 50000 /* SQLite's SQLITE_MAX_LIKE_PATTERN_LENGTH */

typedef enum { TOK_SEQ, TOK_ONE, TOK_LITERAL, TOK_CLASS } TokKind;

typedef struct Pattern {
  const unsigned char *z;
  int n;
  int glob;      /* GLOB syntax rather than LIKE */
  int exact;     /* letters match only their own case: GLOB, and LIKE under PRAGMA case_sensitive_like */
  int has_esc;   /* LIKE ESCAPE given */
  uint32_t esc;  /* the escape character */
} Pattern;

typedef struct Token {
  TokKind kind;
  uint32_t ch;   /* TOK_LITERAL */
  int cls;       /* TOK_CLASS: offset of the first member byte */
  int cls_end;   /* TOK_CLASS: offset of the closing ']' */
  int negate;    /* TOK_CLASS with '^' */
  int end;       /* offset after the token */
} Token;

/* The character at z[i] (i < n), split and read as SQLite reads text; sets *len. */
static uint32_t read_char(const unsigned char *z, int n, int i, int *len) {
  const unsigned char *p = z + i;
  if (*p < 0x80) {
    *len = 1;
    return *p;
  }
  uint32_t c = util_utf8_read(&p, z + n);
  *len = (int)(p - (z + i));
  return c;
}

static uint32_t fold(uint32_t c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }

/* Finds the ']' closing a class whose members start at i; -1 if none. */
static int class_end(const Pattern *p, int i) {
  if (i < p->n && p->z[i] == ']') i++; /* a leading ']' is a member */
  while (i < p->n && p->z[i] != ']') i++;
  return i < p->n ? i : -1;
}

/* Reads the token at p->z[i]; returns 0 for a malformed class. */
static int read_token(const Pattern *p, int i, Token *t) {
  int len;
  uint32_t c = read_char(p->z, p->n, i, &len);
  t->end = i + len;
  t->kind = TOK_LITERAL;
  t->ch = c;
  if (p->glob) {
    if (c == '*') t->kind = TOK_SEQ;
    else if (c == '?') t->kind = TOK_ONE;
    else if (c == '[') {
      int start = i + 1;
      t->negate = start < p->n && p->z[start] == '^';
      if (t->negate) start++;
      t->cls = start;
      t->cls_end = class_end(p, start);
      if (t->cls_end < 0) return 0;
      t->kind = TOK_CLASS;
      t->end = t->cls_end + 1;
    }
    return 1;
  }
  if (p->has_esc && c == p->esc) {
    if (t->end >= p->n) return 0; /* escape at the end matches nothing */
    t->ch = read_char(p->z, p->n, t->end, &len);
    t->end += len;
    return 1;
  }
  if (c == '%') t->kind = TOK_SEQ;
  else if (c == '_') t->kind = TOK_ONE;
  return 1;
}

static int class_has(const Pattern *p, const Token *t, uint32_t c) {
  int i = t->cls, len, found = 0;
  while (i < t->cls_end) {
    uint32_t lo = read_char(p->z, t->cls_end, i, &len), hi = lo;
    i += len;
    if (i + 1 < t->cls_end && p->z[i] == '-') {
      hi = read_char(p->z, t->cls_end, i + 1, &len);
      i += 1 + len;
    }
    if (c >= lo && c <= hi) found = 1;
  }
  return found != t->negate;
}

static int token_matches(const Pattern *p, const Token *t, uint32_t c) {
  switch (t->kind) {
    case TOK_ONE: return 1;
    case TOK_CLASS: return class_has(p, t, c);
    default: return p->exact ? t->ch == c : fold(t->ch) == fold(c);
  }
}

/* 1 if s[0..ns) matches the whole pattern. */
static int pattern_match(const Pattern *p, const unsigned char *s, int ns) {
  int pi = 0, si = 0, star_p = -1, star_s = 0, len;
  Token t;
  while (si < ns) {
    if (pi < p->n) {
      if (!read_token(p, pi, &t)) return 0;
      if (t.kind == TOK_SEQ) {
        pi = t.end;
        star_p = pi;
        star_s = si;
        continue;
      }
      uint32_t c = read_char(s, ns, si, &len);
      if (token_matches(p, &t, c)) {
        pi = t.end;
        si += len;
        continue;
      }
    }
    if (star_p < 0) return 0;
    read_char(s, ns, star_s, &len); /* let the last run swallow one more */
    star_s += len;
    si = star_s;
    pi = star_p;
  }
  while (pi < p->n) {
    if (!read_token(p, pi, &t) || t.kind != TOK_SEQ) return 0;
    pi = t.end;
  }
  return 1;
}

static int ascii_eq(const unsigned char *a, const unsigned char *b, int n, int glob) {
  int i;
  if (glob) return memcmp(a, b, (size_t)n) == 0;
  for (i = 0; i < n; i++) {
    if (a[i] != b[i] && fold(a[i]) != fold(b[i])) return 0;
  }
  return 1;
}

/* Shapes of a literal pattern: [run] literal [run]. */
#define LIT_WHOLE 0    /* literal */
#define LIT_PREFIX 1   /* literal run */
#define LIT_SUFFIX 2   /* run literal */
#define LIT_INSIDE 3   /* run literal run */

/* Patterns of the form [run] literal [run], the literal all ASCII and free
** of wildcards and escapes (the usual '%word%', 'prefix%', '%suffix'), are
** matched bytewise without tokenizing: an ASCII byte of the subject always
** starts a character, so a bytewise hit is a character-wise hit.  This
** finds the shape (m->shape = -1 when the pattern has another one) and
** where the literal lies. */
static void literal_plan(const Pattern *p, LikeMemo *m) {
  int a = 0, b = p->n, i, k;
  unsigned char seq = p->glob ? '*' : '%', one = p->glob ? '?' : '_';
  m->shape = -1;
  if (p->has_esc) {
    for (i = 0; i < p->n; i++) {
      if (p->z[i] >= 0x80 || p->z[i] == p->esc) return;
    }
  }
  while (a < b && p->z[a] == seq) a++;
  while (b > a && p->z[b - 1] == seq) b--;
  for (i = a; i < b; i++) {
    unsigned char c = p->z[i];
    if (c >= 0x80 || c == seq || c == one || (p->glob && c == '[')) return;
  }
  for (k = 0; k < b - a; k++) {
    unsigned char f = (unsigned char)fold(p->z[a + k]);
    if (f < 'a' || f > 'z') break;
  }
  m->shape = (a > 0 ? LIT_SUFFIX : 0) | (b < p->n ? LIT_PREFIX : 0);
  m->a = a;
  m->b = b;
  m->k = k;
}

/* 1 if the literal lit[0..m) (k: its first byte that is not a letter, m
** when none) occurs in s[0..ns), letters in either case unless exact. */
static inline int literal_inside(const unsigned char *lit, int m, int k, int exact, const unsigned char *s, int ns) {
  int i;
  if (m > ns) return 0;
  if (m == 0) return 1;
  if (exact) return memmem(s, (size_t)ns, lit, (size_t)m) != NULL;
  if (k < m) {
    /* A literal byte that is not a letter has one case: memchr finds its
    ** candidates, and only those are compared whole. */
    const unsigned char *from = s + k, *last = s + ns - m + k, *hit;
    while (from <= last && (hit = memchr(from, lit[k], (size_t)(last - from + 1))) != NULL) {
      if (ascii_eq(hit - k, lit, m, 0)) return 1;
      from = hit + 1;
    }
    return 0;
  }
  {
    unsigned char lo = (unsigned char)fold(lit[0]), up = (unsigned char)(lo - ('a' - 'A'));
    for (i = 0; i + m <= ns; i++) {
      if ((s[i] == lo || s[i] == up) && ascii_eq(s + i + 1, lit + 1, m - 1, 0)) return 1;
    }
  }
  return 0;
}

/* Matches s against a literal pattern of plan m: 0 or 1. */
static int literal_run(const Pattern *p, const LikeMemo *pl, const unsigned char *s, int ns) {
  const unsigned char *lit = p->z + pl->a;
  int m = pl->b - pl->a;
  if (m > ns) return 0;
  switch (pl->shape) {
  case LIT_WHOLE: return m == ns && ascii_eq(s, lit, m, p->exact);
  case LIT_PREFIX: return ascii_eq(s, lit, m, p->exact);
  case LIT_SUFFIX: return ascii_eq(s + ns - m, lit, m, p->exact);
  default: break;
  }
  return literal_inside(lit, m, pl->k, p->exact, s, ns);
}

/* The plan of p (raw_n: the pattern's length as given, NULs included): the
** statement's memo when it holds these very bytes, which also tells where
** the first NUL ends the pattern (p->n), else made (and kept in the memo when
** the pattern fits it).  Sets p->n either way. */
static const LikeMemo *literal_plan_for(const FuncContext *ctx, FuncStmtState *st, Pattern *p, int raw_n,
                                        LikeMemo *local) {
  uint32_t opts = (uint32_t)p->glob | (uint32_t)p->exact << 1 | (uint32_t)p->has_esc << 2 | p->esc << 3;
  LikeMemo *m = st && raw_n <= LIKE_MEMO_MAX ? &st->like : NULL;
  /* The pattern's bytes stay put for the run when the argument is constant for it. */
  const void *site = ctx->call_site && (ctx->const_args & 1) ? ctx->call_site : NULL;
  if (m && m->valid && m->raw_n == raw_n && m->opts == opts &&
      ((site && m->site == site && m->src == p->z) || memcmp(m->z, p->z, (size_t)raw_n) == 0)) {
    p->n = m->n;
    m->site = site;
    m->src = p->z;
    return m;
  }
  /* As in SQLite, the pattern ends at its first NUL byte. */
  p->n = (int)strnlen((const char *)p->z, (size_t)raw_n);
  if (!m) m = local;
  literal_plan(p, m);
  if (m != local) {
    memcpy(m->z, p->z, (size_t)raw_n);
    m->raw_n = raw_n;
    m->n = p->n;
    m->opts = opts;
    m->valid = 1;
    m->site = site;
    m->src = p->z;
  }
  return m;
}

/* LIKE_PATTERN_LENGTH, read once per step of the statement. */
static int like_max(FuncContext *ctx, FuncStmtState *st) {
  if (!ctx->db) return LIKE_PATTERN_MAX;
  if (st && st->like_max_known) return st->like_max;
  int max = lode_limit(ctx->db, LODE_LIMIT_LIKE_PATTERN_LENGTH, -1);
  if (st) {
    st->like_max = max;
    st->like_max_known = 1;
  }
  return max;
}

/* An argument's text: a text value as it is (the usual case, no call),
** anything else as mem_text_view renders it into buf. */
static inline void arg_text(const Mem *m, char *buf, const char **z, int *n) {
  if (m->type == MEM_TEXT && m->z) {
    *z = m->z;
    *n = m->n;
  } else {
    mem_text_view(m, buf, z, n);
  }
}

static void match_common(FuncContext *ctx, int argc, Mem **argv, int glob, int exact) {
  char pbuf[FUNC_TEXT_BUF], sbuf[FUNC_TEXT_BUF], ebuf[FUNC_TEXT_BUF];
  const char *pz, *sz, *ez;
  int pn, sn, en, i, len;
  Pattern p;
  {
    /* The usual call, row after row: "column LIKE '%word%'" with text on both
    ** sides and the pattern constant for the run, planned by an earlier row
    ** of this run at this call site (the memo's bytes are the pattern's). */
    const Mem *pm = argv[0], *sm = argv[1];
    const FuncStmtState *fs = ctx->stmt_state ? *ctx->stmt_state : NULL;
    const LikeMemo *lm = fs ? &fs->like : NULL;
    if (argc == 2 && pm->type == MEM_TEXT && sm->type == MEM_TEXT && sm->z && lm && lm->site &&
        lm->site == ctx->call_site && (ctx->const_args & 1) && lm->src == pm->z && lm->raw_n == pm->n &&
        lm->shape == LIT_INSIDE && lm->opts == ((uint32_t)glob | (uint32_t)exact << 1) && fs->like_max_known &&
        pm->n <= fs->like_max) {
      const unsigned char *s = (const unsigned char *)sm->z;
      int r = literal_inside(lm->z + lm->a, lm->b - lm->a, lm->k, exact, s, sm->n);
      if (r && memchr(s, 0, (size_t)sm->n)) r = literal_inside(lm->z + lm->a, lm->b - lm->a, lm->k, exact, s,
                                                               (int)strnlen(sm->z, (size_t)sm->n));
      mem_set_int(ctx->out, r);
      return;
    }
  }
  /* Debian's sqlite3 is built with SQLITE_LIKE_DOESNT_MATCH_BLOBS: a BLOB
  ** pattern or subject never matches, even against NULL. */
  if (argv[0]->type == MEM_BLOB || argv[1]->type == MEM_BLOB) {
    mem_set_int(ctx->out, 0);
    return;
  }
  for (i = 0; i < argc; i++) {
    if (argv[i]->type == MEM_NULL) return;
  }
  arg_text(argv[0], pbuf, &pz, &pn);
  arg_text(argv[1], sbuf, &sz, &sn);
  FuncStmtState *st = func_stmt_state(ctx);
  if (pn > like_max(ctx, st)) {
    func_error(ctx, LODE_ERROR, "LIKE or GLOB pattern too complex");
    return;
  }
  memset(&p, 0, sizeof(p));
  p.z = (const unsigned char *)pz;
  p.glob = glob;
  p.exact = exact;
  if (argc == 3) {
    mem_text_view(argv[2], ebuf, &ez, &en);
    if (en == 0 || (p.esc = read_char((const unsigned char *)ez, en, 0, &len), len != en)) {
      func_error(ctx, LODE_ERROR, "ESCAPE expression must be a single character");
      return;
    }
    p.has_esc = 1;
  }
  LikeMemo local;
  const LikeMemo *plan = literal_plan_for(ctx, st, &p, pn, &local);
  const unsigned char *s = (const unsigned char *)sz;
  int r;
  if (plan->shape == LIT_INSIDE) {
    /* The subject ends at its first NUL byte too; only a hit needs to know
    ** where that is (a miss on the whole subject is a miss on any prefix). */
    r = literal_run(&p, plan, s, sn);
    if (r && memchr(sz, 0, (size_t)sn)) r = literal_run(&p, plan, s, (int)strnlen(sz, (size_t)sn));
  } else {
    sn = (int)strnlen(sz, (size_t)sn);
    r = plan->shape >= 0 ? literal_run(&p, plan, s, sn) : pattern_match(&p, s, sn);
  }
  mem_set_int(ctx->out, r);
}

int func_pattern_match(const char *pattern, const char *text, int glob, unsigned esc) {
  Pattern p;
  memset(&p, 0, sizeof(p));
  p.z = (const unsigned char *)pattern;
  p.n = (int)strlen(pattern);
  p.glob = glob;
  p.exact = glob;
  p.has_esc = !glob && esc != 0;
  p.esc = esc;
  return pattern_match(&p, (const unsigned char *)text, (int)strlen(text));
}

static void fn_like(FuncContext *ctx, int argc, Mem **argv) { match_common(ctx, argc, argv, 0, 0); }
static void fn_like_exact(FuncContext *ctx, int argc, Mem **argv) { match_common(ctx, argc, argv, 0, 1); }
static void fn_glob(FuncContext *ctx, int argc, Mem **argv) { match_common(ctx, argc, argv, 1, 1); }

static const FuncDef like_defs[2][2] = {
    {{"like", 2, FUNC_DETERMINISTIC | FUNC_BORROWS_ARGS, fn_like, NULL, NULL, 0, NULL}, {"like", 3, FUNC_DETERMINISTIC | FUNC_BORROWS_ARGS, fn_like, NULL, NULL, 0, NULL}},
    {{"like", 2, FUNC_DETERMINISTIC | FUNC_BORROWS_ARGS, fn_like_exact, NULL, NULL, 0, NULL},
     {"like", 3, FUNC_DETERMINISTIC | FUNC_BORROWS_ARGS, fn_like_exact, NULL, NULL, 0, NULL}},
};

const FuncDef *func_like_def(int case_sensitive, int nargs) {
  return &like_defs[case_sensitive ? 1 : 0][nargs == 3 ? 1 : 0];
}

const FuncEntry func_like_table[] = {
    {{"like", 2, FUNC_DETERMINISTIC | FUNC_BORROWS_ARGS, fn_like, NULL, NULL, 0, NULL}, 0},
    {{"like", 3, FUNC_DETERMINISTIC | FUNC_BORROWS_ARGS, fn_like, NULL, NULL, 0, NULL}, 0},
    {{"glob", 2, FUNC_DETERMINISTIC | FUNC_BORROWS_ARGS, fn_glob, NULL, NULL, 0, NULL}, 0},
    {{NULL, 0, 0, NULL, NULL, NULL, 0, NULL}, 0},
};
