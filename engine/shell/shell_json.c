/*
** shell_json.c — the JSON reader of shell_json.h: recursive descent over
** RFC 8259 (no extensions: no comments, no trailing commas, no NaN).
*/
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdlib.h>
#include <string.h>

#include "shell_int.h"
#include "shell_json.h"

#define JSON_MAX_DEPTH 64

typedef struct Parser {
  const char *z;
  size_t n, i;
  int depth;
} Parser;

static Json *parse_value(Parser *p);

static void skip_blanks(Parser *p) {
  while (p->i < p->n && (p->z[p->i] == ' ' || p->z[p->i] == '\t' || p->z[p->i] == '\n' || p->z[p->i] == '\r')) p->i++;
}

static Json *new_node(JsonType type) {
  Json *j = calloc(1, sizeof(Json));
  if (j) j->type = type;
  return j;
}

void json_free(Json *j) {
  while (j) {
    Json *next = j->next;
    json_free(j->child);
    free(j->str);
    free(j->key);
    free(j);
    j = next;
  }
}

static int match(Parser *p, const char *word) {
  size_t k = strlen(word);
  if (p->n - p->i < k || memcmp(p->z + p->i, word, k) != 0) return 0;
  p->i += k;
  return 1;
}

static int hex4(Parser *p, unsigned *out) {
  unsigned v = 0;
  if (p->n - p->i < 4) return 0;
  for (int k = 0; k < 4; k++) {
    char c = p->z[p->i++];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return 0;
  }
  *out = v;
  return 1;
}

static void put_utf8(ShellBuf *b, unsigned cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) {
    u[0] = (char)cp;
    n = 1;
  } else if (cp < 0x800) {
    u[0] = (char)(0xc0 | (cp >> 6));
    u[1] = (char)(0x80 | (cp & 0x3f));
    n = 2;
  } else if (cp < 0x10000) {
    u[0] = (char)(0xe0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
    u[2] = (char)(0x80 | (cp & 0x3f));
    n = 3;
  } else {
    u[0] = (char)(0xf0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    u[3] = (char)(0x80 | (cp & 0x3f));
    n = 4;
  }
  shell_buf_append(b, u, n);
}

/* \uXXXX, with a following \uXXXX when it is the low half of a pair; a lone
** surrogate becomes U+FFFD. */
static int unicode_escape(Parser *p, ShellBuf *b) {
  unsigned cp, lo;
  if (!hex4(p, &cp)) return 0;
  if (cp >= 0xd800 && cp < 0xdc00 && p->n - p->i >= 6 && p->z[p->i] == '\\' && p->z[p->i + 1] == 'u') {
    size_t save = p->i;
    p->i += 2;
    if (hex4(p, &lo) && lo >= 0xdc00 && lo < 0xe000) cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
    else p->i = save;
  }
  if (cp >= 0xd800 && cp < 0xe000) cp = 0xfffd;
  put_utf8(b, cp);
  return 1;
}

/* Reads a string (p->i after its opening quote) into b. */
static int read_string(Parser *p, ShellBuf *b) {
  shell_buf_append(b, "", 0);
  while (p->i < p->n) {
    unsigned char c = (unsigned char)p->z[p->i++];
    if (c == '"') return !b->oom;
    if (c < 0x20) return 0;
    if (c != '\\') {
      shell_buf_append(b, (const char *)&c, 1);
      continue;
    }
    if (p->i >= p->n) return 0;
    char e = p->z[p->i++];
    const char *out = NULL;
    switch (e) {
    case '"': out = "\""; break;
    case '\\': out = "\\"; break;
    case '/': out = "/"; break;
    case 'b': out = "\b"; break;
    case 'f': out = "\f"; break;
    case 'n': out = "\n"; break;
    case 'r': out = "\r"; break;
    case 't': out = "\t"; break;
    case 'u':
      if (!unicode_escape(p, b)) return 0;
      continue;
    default: return 0;
    }
    shell_buf_append(b, out, 1);
  }
  return 0;
}

static Json *parse_string(Parser *p) {
  ShellBuf b = {0};
  if (!read_string(p, &b)) {
    shell_buf_free(&b);
    return NULL;
  }
  Json *j = new_node(JSON_STRING);
  if (!j) {
    shell_buf_free(&b);
    return NULL;
  }
  j->str = b.z;
  j->len = b.n;
  return j;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static Json *parse_number(Parser *p) {
  size_t start = p->i;
  if (p->i < p->n && p->z[p->i] == '-') p->i++;
  if (p->i >= p->n || !is_digit(p->z[p->i])) return NULL;
  if (p->z[p->i] == '0') p->i++;
  else while (p->i < p->n && is_digit(p->z[p->i])) p->i++;
  if (p->i < p->n && p->z[p->i] == '.') {
    p->i++;
    if (p->i >= p->n || !is_digit(p->z[p->i])) return NULL;
    while (p->i < p->n && is_digit(p->z[p->i])) p->i++;
  }
  if (p->i < p->n && (p->z[p->i] == 'e' || p->z[p->i] == 'E')) {
    p->i++;
    if (p->i < p->n && (p->z[p->i] == '+' || p->z[p->i] == '-')) p->i++;
    if (p->i >= p->n || !is_digit(p->z[p->i])) return NULL;
    while (p->i < p->n && is_digit(p->z[p->i])) p->i++;
  }
  Json *j = new_node(JSON_NUMBER);
  if (!j) return NULL;
  j->len = p->i - start;
  j->str = malloc(j->len + 1);
  if (!j->str) {
    free(j);
    return NULL;
  }
  memcpy(j->str, p->z + start, j->len);
  j->str[j->len] = 0;
  return j;
}

/* Members of an array or object up to close; objects read "key": first. */
static Json *parse_container(Parser *p, JsonType type, char close) {
  Json *j = new_node(type);
  Json **tail = j ? &j->child : NULL;
  if (!j || ++p->depth > JSON_MAX_DEPTH) goto fail;
  skip_blanks(p);
  if (p->i < p->n && p->z[p->i] == close) {
    p->i++;
    p->depth--;
    return j;
  }
  for (;;) {
    ShellBuf key = {0};
    skip_blanks(p);
    if (type == JSON_OBJECT) {
      if (p->i >= p->n || p->z[p->i++] != '"' || !read_string(p, &key)) goto fail_key;
      skip_blanks(p);
      if (p->i >= p->n || p->z[p->i++] != ':') goto fail_key;
    }
    Json *v = parse_value(p);
    if (!v) goto fail_key;
    v->key = key.z;
    *tail = v;
    tail = &v->next;
    skip_blanks(p);
    if (p->i >= p->n) goto fail;
    char c = p->z[p->i++];
    if (c == close) break;
    if (c != ',') goto fail;
    continue;
  fail_key:
    shell_buf_free(&key);
    goto fail;
  }
  p->depth--;
  return j;
fail:
  json_free(j);
  return NULL;
}

static Json *parse_value(Parser *p) {
  skip_blanks(p);
  if (p->i >= p->n) return NULL;
  char c = p->z[p->i];
  switch (c) {
  case '{': p->i++; return parse_container(p, JSON_OBJECT, '}');
  case '[': p->i++; return parse_container(p, JSON_ARRAY, ']');
  case '"': p->i++; return parse_string(p);
  case 't': return match(p, "true") ? new_node(JSON_TRUE) : NULL;
  case 'f': return match(p, "false") ? new_node(JSON_FALSE) : NULL;
  case 'n': return match(p, "null") ? new_node(JSON_NULL) : NULL;
  default: return parse_number(p);
  }
}

Json *json_parse(const char *z, size_t n) {
  Parser p = {z, n, 0, 0};
  Json *j = parse_value(&p);
  skip_blanks(&p);
  if (j && p.i != p.n) {
    json_free(j);
    return NULL;
  }
  return j;
}

const Json *json_get(const Json *j, const char *key) {
  if (!j || j->type != JSON_OBJECT) return NULL;
  for (const Json *m = j->child; m; m = m->next) {
    if (m->key && strcmp(m->key, key) == 0) return m;
  }
  return NULL;
}
