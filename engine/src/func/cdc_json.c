/*
** cdc_json.c — bin_record_json_object(columns, record): a record in SQLite's
** format (a change data capture before/after/updates image) as a JSON
** object, its values named by the JSON array of names columns, in order.
**
** As Turso has it: a NULL record gives NULL; a record with fewer values than
** names is an error, one with more is cut to the names; BLOB values are
** refused.  Numbers are rendered as Turso renders them: integers in
** decimal, reals with the fewest digits that read back as the same double,
** in fixed notation (with ".0" when integral) for decimal exponents -5..15,
** else as d.ddde±x; infinities as 9.0e+999.  Strings escape '"', '\', and
** control characters (\b \f \n \r \t, else \u00XX); other bytes as they are.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "func/func_internal.h"

#define RECORD_JSON_FN "bin_record_json_object: "

void func_json_quote_text(StrBuf *b, const char *z, int n) {
  static const char hex[] = "0123456789abcdef";
  strbuf_appendc(b, '"');
  for (int i = 0; i < n; i++) {
    unsigned char c = (unsigned char)z[i];
    switch (c) {
    case '"': strbuf_appendz(b, "\\\""); break;
    case '\\': strbuf_appendz(b, "\\\\"); break;
    case '\b': strbuf_appendz(b, "\\b"); break;
    case '\f': strbuf_appendz(b, "\\f"); break;
    case '\n': strbuf_appendz(b, "\\n"); break;
    case '\r': strbuf_appendz(b, "\\r"); break;
    case '\t': strbuf_appendz(b, "\\t"); break;
    default:
      if (c < 0x20) {
        char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        strbuf_append(b, u, sizeof u);
      } else {
        strbuf_appendc(b, (char)c);
      }
    }
  }
  strbuf_appendc(b, '"');
}

static void render_real(StrBuf *b, double v) {
  char buf[40], digits[20];
  int nd = 0, exp10, p;
  if (isnan(v)) {
    strbuf_appendz(b, "null");
    return;
  }
  if (isinf(v)) {
    strbuf_appendz(b, v < 0 ? "-9.0e+999" : "9.0e+999");
    return;
  }
  /* The shortest "%.Ne" that reads back as v: its digits and exponent. */
  for (p = 0; p < 17; p++) {
    snprintf(buf, sizeof buf, "%.*e", p, v);
    if (strtod(buf, NULL) == v) break;
  }
  const char *c = buf;
  if (*c == '-') {
    strbuf_appendc(b, '-');
    c++;
  }
  for (; *c && *c != 'e'; c++)
    if (*c >= '0' && *c <= '9' && nd < (int)sizeof digits) digits[nd++] = *c;
  exp10 = *c == 'e' ? atoi(c + 1) : 0;
  while (nd > 1 && digits[nd - 1] == '0') nd--;
  if (exp10 < -5 || exp10 >= 16) {
    strbuf_appendc(b, digits[0]);
    strbuf_appendc(b, '.');
    if (nd > 1) strbuf_append(b, digits + 1, (size_t)nd - 1);
    else strbuf_appendc(b, '0');
    strbuf_printf(b, "e%c%d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
    return;
  }
  if (exp10 < 0) {
    strbuf_appendz(b, "0.");
    for (int i = -1; i > exp10; i--) strbuf_appendc(b, '0');
    strbuf_append(b, digits, (size_t)nd);
    return;
  }
  for (int i = 0; i <= exp10; i++) strbuf_appendc(b, i < nd ? digits[i] : '0');
  strbuf_appendc(b, '.');
  if (nd > exp10 + 1) strbuf_append(b, digits + exp10 + 1, (size_t)(nd - exp10 - 1));
  else strbuf_appendc(b, '0');
}

/* Reads one JSON string at *pz (after spaces) into b without its quotes and
** escapes; 0 when the text there is no string. */
static int read_json_string(const char **pz, StrBuf *b) {
  const char *z = *pz;
  while (*z == ' ' || *z == '\t' || *z == '\n' || *z == '\r') z++;
  if (*z++ != '"') return 0;
  while (*z && *z != '"') {
    if (*z != '\\') {
      strbuf_appendc(b, *z++);
      continue;
    }
    z++;
    switch (*z) {
    case '"': case '\\': case '/': strbuf_appendc(b, *z); break;
    case 'b': strbuf_appendc(b, '\b'); break;
    case 'f': strbuf_appendc(b, '\f'); break;
    case 'n': strbuf_appendc(b, '\n'); break;
    case 'r': strbuf_appendc(b, '\r'); break;
    case 't': strbuf_appendc(b, '\t'); break;
    case 'u': {
      unsigned cp = 0;
      for (int i = 1; i <= 4; i++) {
        char h = z[i];
        int d = h >= '0' && h <= '9'   ? h - '0'
                : h >= 'a' && h <= 'f' ? h - 'a' + 10
                : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                       : -1;
        if (d < 0) return 0;
        cp = cp * 16 + (unsigned)d;
      }
      z += 4;
      char u[4];
      int n = 0;
      if (cp < 0x80) {
        u[n++] = (char)cp;
      } else if (cp < 0x800) {
        u[n++] = (char)(0xC0 | (cp >> 6));
        u[n++] = (char)(0x80 | (cp & 0x3F));
      } else {
        u[n++] = (char)(0xE0 | (cp >> 12));
        u[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[n++] = (char)(0x80 | (cp & 0x3F));
      }
      strbuf_append(b, u, (size_t)n);
      break;
    }
    default: return 0;
    }
    z++;
  }
  if (*z != '"') return 0;
  *pz = z + 1;
  return 1;
}

/* The names of a JSON array of strings, each NUL-terminated one after the
** other in *names; the count, or -1 when the text is no such array. */
static int parse_names(const char *z, StrBuf *names) {
  int n = 0;
  while (*z == ' ' || *z == '\t' || *z == '\n' || *z == '\r') z++;
  if (*z++ != '[') return -1;
  while (*z == ' ' || *z == '\t' || *z == '\n' || *z == '\r') z++;
  if (*z == ']') return 0;
  for (;;) {
    if (!read_json_string(&z, names)) return -1;
    strbuf_appendc(names, 0);
    n++;
    while (*z == ' ' || *z == '\t' || *z == '\n' || *z == '\r') z++;
    if (*z == ']') break;
    if (*z++ != ',') return -1;
  }
  z++;
  while (*z == ' ' || *z == '\t' || *z == '\n' || *z == '\r') z++;
  return *z ? -1 : n;
}

static void fn_bin_record_json_object(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc;
  const Mem *cols = argv[0], *rec = argv[1];
  if (rec->type == MEM_NULL) return;
  if (cols->type != MEM_TEXT || rec->type != MEM_BLOB) {
    func_error(ctx, LODE_ERROR, RECORD_JSON_FN "function arguments must be of type TEXT and BLOB correspondingly");
    return;
  }
  StrBuf names, out;
  RecordHeader h;
  strbuf_init(&names);
  strbuf_init(&out);
  record_header_init(&h);
  char *text = util_malloc((size_t)cols->n + 1);
  if (!text) {
    func_nomem(ctx);
    return;
  }
  memcpy(text, cols->z, (size_t)cols->n);
  text[cols->n] = 0;
  int n = parse_names(text, &names);
  util_free(text);
  char *list = strbuf_finish(&names);
  const uint8_t *p = (const uint8_t *)rec->z;
  if (n < 0) {
    func_error(ctx, LODE_ERROR, RECORD_JSON_FN "malformed JSON array of column names");
  } else if (n > 0 && !list) {
    func_nomem(ctx);
  } else if (record_header_parse(&h, p, (uint32_t)rec->n, (uint32_t)rec->n) != LODE_OK) {
    func_error(ctx, LODE_CORRUPT, RECORD_JSON_FN "malformed record");
  } else if (h.ncol < n) {
    func_error(ctx, LODE_ERROR,
               RECORD_JSON_FN "binary record has fewer columns than specified in the columns argument");
  } else {
    const char *name = list;
    strbuf_appendc(&out, '{');
    for (int i = 0; i < n && ctx->rc == LODE_OK; i++, name += strlen(name) + 1) {
      Mem m;
      mem_init(&m);
      uint32_t len = record_serial_len(h.types[i]);
      if (h.offsets[i] + len > (uint32_t)rec->n) {
        func_error(ctx, LODE_CORRUPT, RECORD_JSON_FN "malformed record");
        break;
      }
      record_decode_value(p + h.offsets[i], h.types[i], &m);
      if (i) strbuf_appendc(&out, ',');
      func_json_quote_text(&out, name, (int)strlen(name));
      strbuf_appendc(&out, ':');
      switch (m.type) {
      case MEM_NULL: strbuf_appendz(&out, "null"); break;
      case MEM_INT: strbuf_printf(&out, "%lld", (long long)m.u.i); break;
      case MEM_REAL: render_real(&out, m.u.r); break;
      case MEM_TEXT: func_json_quote_text(&out, m.z, m.n); break;
      default:
        func_error(ctx, LODE_ERROR,
                   RECORD_JSON_FN "formatting of BLOB values stored in binary record is not supported");
      }
    }
    strbuf_appendc(&out, '}');
    if (ctx->rc == LODE_OK) func_result_strbuf(ctx, &out);
  }
  strbuf_reset(&out);
  util_free(list);
  record_header_free(&h);
}

const FuncEntry func_cdc_table[] = {
    {{"bin_record_json_object", 2, FUNC_DETERMINISTIC, fn_bin_record_json_object, NULL, NULL, 0, NULL}, 0},
    {{NULL, 0, 0, NULL, NULL, NULL, 0, NULL}, 0},
};
