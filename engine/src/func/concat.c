/*
** concat.c — the string functions SQLite added in 3.44–3.45 and the
** subtype probe: concat(X, …), concat_ws(SEP, X, …), octet_length(X),
** unhex(X [, IGNORED]) and subtype(X).
**
** concat and concat_ws skip NULL arguments and read every other value as
** text (a blob's bytes as they are); concat_ws is NULL when SEP is.  unhex
** decodes pairs of hex digits into a blob; characters of IGNORED may stand
** between the pairs; anything else (or an odd digit) makes it NULL.
*/
#include <string.h>

#include "func/func_internal.h"

/* Appends argv[i]'s text to b unless it is NULL; 0 once b is past the
** length limit (the error is set). */
static int append_text(FuncContext *ctx, StrBuf *b, const Mem *m) {
  char buf[FUNC_TEXT_BUF];
  const char *z;
  int n;
  if (m->type == MEM_NULL) return 1;
  mem_text_view(m, buf, &z, &n);
  if ((int64_t)b->n + n > FUNC_MAX_LENGTH) {
    strbuf_reset(b);
    func_error(ctx, LODE_TOOBIG, "string or blob too big");
    return 0;
  }
  strbuf_append(b, z, (size_t)n);
  return 1;
}

static void fn_concat(FuncContext *ctx, int argc, Mem **argv) {
  StrBuf b;
  strbuf_init(&b);
  for (int i = 0; i < argc; i++)
    if (!append_text(ctx, &b, argv[i])) return;
  func_result_strbuf(ctx, &b);
}

static void fn_concat_ws(FuncContext *ctx, int argc, Mem **argv) {
  StrBuf b;
  int any = 0;
  if (argv[0]->type == MEM_NULL) return;
  strbuf_init(&b);
  for (int i = 1; i < argc; i++) {
    if (argv[i]->type == MEM_NULL) continue;
    if (any++ && !append_text(ctx, &b, argv[0])) return;
    if (!append_text(ctx, &b, argv[i])) return;
  }
  func_result_strbuf(ctx, &b);
}

static void fn_octet_length(FuncContext *ctx, int argc, Mem **argv) {
  char buf[FUNC_TEXT_BUF];
  const char *z;
  int n;
  (void)argc;
  if (argv[0]->type == MEM_NULL) return;
  mem_text_view(argv[0], buf, &z, &n);
  mem_set_int(ctx->out, n);
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Bytes in the UTF-8 character that starts with c. */
static int utf8_len(unsigned char c) { return c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4; }

/* Whether the character at z (len bytes) is one of those in set[0..nset). */
static int in_set(const char *z, int len, const char *set, int nset) {
  for (int i = 0; i < nset; i += utf8_len((unsigned char)set[i]))
    if (i + len <= nset && memcmp(set + i, z, (size_t)len) == 0 && utf8_len((unsigned char)set[i]) == len) return 1;
  return 0;
}

static void fn_unhex(FuncContext *ctx, int argc, Mem **argv) {
  char buf[FUNC_TEXT_BUF], sbuf[FUNC_TEXT_BUF];
  const char *z, *set = "";
  int n, nset = 0;
  if (argv[0]->type == MEM_NULL || (argc > 1 && argv[1]->type == MEM_NULL)) return;
  mem_text_view(argv[0], buf, &z, &n);
  if (argc > 1) mem_text_view(argv[1], sbuf, &set, &nset);
  char *out = util_malloc((size_t)n / 2 + 1);
  if (!out) {
    func_nomem(ctx);
    return;
  }
  /* As SQLite reads it: the text ends at its first NUL byte; a hex digit always starts a pair (even when IGNORED
  ** lists it), and only the characters between pairs are looked up in IGNORED. */
  int nout = 0;
  for (int i = 0; i < n && z[i] != '\0';) {
    int hi = hex_value(z[i]);
    if (hi < 0) {
      int len = utf8_len((unsigned char)z[i]);
      if (i + len > n || !in_set(z + i, len, set, nset)) {
        util_free(out);
        return; /* NULL */
      }
      i += len;
      continue;
    }
    int lo = i + 1 < n ? hex_value(z[i + 1]) : -1;
    if (lo < 0) {
      util_free(out);
      return; /* NULL */
    }
    out[nout++] = (char)(hi << 4 | lo);
    i += 2;
  }
  func_result_bytes(ctx, out, nout, 1);
  util_free(out);
}

static void fn_subtype(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  mem_set_int(ctx->out, argv[0]->subtype);
}

#define FN(name, nargs, fn) {{name, nargs, FUNC_DETERMINISTIC | FUNC_BORROWS_ARGS, fn, NULL, NULL, 0, NULL}, 0}
#define FN_MIN(name, min, fn) {{name, -1, FUNC_DETERMINISTIC, fn, NULL, NULL, 0, NULL}, min}

const FuncEntry func_concat_table[] = {
    FN_MIN("concat", 1, fn_concat),
    FN_MIN("concat_ws", 2, fn_concat_ws),
    FN("octet_length", 1, fn_octet_length),
    FN("unhex", 1, fn_unhex),
    FN("unhex", 2, fn_unhex),
    FN("subtype", 1, fn_subtype),
    {{NULL, 0, 0, NULL, NULL, NULL, 0, NULL}, 0},
};
