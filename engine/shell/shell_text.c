/*
** shell_text.c — value formatting that several parts of the shell share:
** the modes that print SQL literals (quote, insert) and JSON, .dump, and the
** MCP server.  Each follows what Debian's sqlite3 3.40 prints, byte for byte:
**
**   REAL     "%!.20g" of SQLite's printf: 20 significant digits produced from
**            an 80-bit long double, trailing zeros dropped but ".0" kept
**            (0.1 → 0.10000000000000000555, 100.0 → 100.0, 1e300 →
**            1.0000000000000000047e+300), infinities as 1e999 / -1e999.  The
**            digits past the 17th are those of SQLite's long double
**            arithmetic, not the exact decimal expansion, so they are computed
**            the same way here.
**   TEXT     'it''s'; in insert mode and .dump a newline or carriage return
**            makes it replace('a\nb','\n',char(10)), the escape token being
**            one that does not occur in the text.
**   BLOB     X'00ff41'
**   JSON     "...", with \" \\ \b \f \n \r \t and \u00XX for other control
**            bytes; every other byte (UTF-8 or not) as it is.
**   names    as they are when they are plain identifiers that are not
**            keywords, else in double quotes.
*/
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "shell_int.h"

#define REAL_PRECISION 20    /* the .20 of %!.20g */
#define REAL_MAX_DIGITS 26   /* significant digits the '!' flag allows */
#define REAL_EXP_LIMIT 350
#define INF_BITS 0x7ff0000000000000ULL
#define NEG_INF_BITS 0xfff0000000000000ULL

/* Takes the next digit off v (1 <= v < 10 keeps holding), or '0' once the
** significant digits are used up. */
static char next_digit(long double *v, int *left) {
  if (*left <= 0) return '0';
  (*left)--;
  int d = (int)*v;
  *v = (*v - d) * 10.0;
  return (char)('0' + d);
}

/* Scales v (> 0) into [1, 10), returning the decimal exponent taken out.  The
** constants are doubles, as in SQLite's printf, so the long double products
** round the same way. */
static int normalize(long double *v) {
  int exp = 0;
  long double scale = 1.0;
  while (*v >= 1e100 * scale && exp <= REAL_EXP_LIMIT) {
    scale *= 1e100;
    exp += 100;
  }
  while (*v >= 1e10 * scale && exp <= REAL_EXP_LIMIT) {
    scale *= 1e10;
    exp += 10;
  }
  while (*v >= 10.0 * scale && exp <= REAL_EXP_LIMIT) {
    scale *= 10.0;
    exp++;
  }
  *v /= scale;
  while (*v < 1e-8) {
    *v *= 1.0e8;
    exp -= 8;
  }
  while (*v < 1.0) {
    *v *= 10.0;
    exp--;
  }
  return exp;
}

void shell_format_real(double r, char *buf, size_t size) {
  uint64_t bits;
  memcpy(&bits, &r, sizeof bits);
  if (bits == INF_BITS || bits == NEG_INF_BITS) {
    snprintf(buf, size, "%s", bits == INF_BITS ? "1e999" : "-1e999");
    return;
  }
  char tmp[64];
  size_t n = 0;
  long double v = r;
  int precision = REAL_PRECISION - 1; /* %g counts the digit before the point */
  if (v < 0) {
    v = -v;
    tmp[n++] = '-';
  }
  long double rounding = 0.5;
  for (int i = 0; i < precision; i++) rounding *= 0.1;
  int exp = v > 0 ? normalize(&v) : 0;
  v += rounding;
  if (v >= 10.0) {
    v *= 0.1;
    exp++;
  }
  int use_exp = exp < -4 || exp > precision;
  int e2 = use_exp ? 0 : exp;
  if (!use_exp) precision -= exp;
  int left = REAL_MAX_DIGITS;
  if (e2 < 0) {
    tmp[n++] = '0';
  } else {
    for (; e2 >= 0; e2--) tmp[n++] = next_digit(&v, &left);
  }
  tmp[n++] = '.';
  for (e2++; e2 < 0; precision--, e2++) tmp[n++] = '0';
  while (precision-- > 0) tmp[n++] = next_digit(&v, &left);
  while (tmp[n - 1] == '0') n--;
  if (tmp[n - 1] == '.') tmp[n++] = '0';
  if (use_exp) {
    tmp[n++] = 'e';
    tmp[n++] = exp < 0 ? '-' : '+';
    if (exp < 0) exp = -exp;
    if (exp >= 100) {
      tmp[n++] = (char)('0' + exp / 100);
      exp %= 100;
    }
    tmp[n++] = (char)('0' + exp / 10);
    tmp[n++] = (char)('0' + exp % 10);
  }
  tmp[n] = 0;
  snprintf(buf, size, "%s", tmp);
}

/* ---- SQL literals ------------------------------------------------------------ */

/* The first of "\n"-like tokens (base, alt, then "(base1)", "(base2)", ...)
** that does not occur in z, so that replace() restores exactly z. */
static void unused_token(const char *z, const char *base, const char *alt, char *out, size_t size) {
  if (!strstr(z, base)) {
    snprintf(out, size, "%s", base);
    return;
  }
  if (!strstr(z, alt)) {
    snprintf(out, size, "%s", alt);
    return;
  }
  for (unsigned i = 1;; i++) {
    snprintf(out, size, "(%s%u)", base, i);
    if (!strstr(z, out)) return;
  }
}

void shell_append_sql_string(ShellBuf *b, const char *z, int escape) {
  char nl[32] = "", cr[32] = "";
  if (escape && strchr(z, '\n')) unused_token(z, "\\n", "\\012", nl, sizeof nl);
  if (escape && strchr(z, '\r')) unused_token(z, "\\r", "\\015", cr, sizeof cr);
  if (nl[0]) shell_buf_appendz(b, "replace(");
  if (cr[0]) shell_buf_appendz(b, "replace(");
  shell_buf_append(b, "'", 1);
  for (const char *p = z; *p; p++) {
    if (*p == '\'') shell_buf_append(b, "''", 2);
    else if (*p == '\n' && nl[0]) shell_buf_appendz(b, nl);
    else if (*p == '\r' && cr[0]) shell_buf_appendz(b, cr);
    else shell_buf_append(b, p, 1);
  }
  shell_buf_append(b, "'", 1);
  if (cr[0]) shell_buf_printf(b, ",'%s',char(13))", cr);
  if (nl[0]) shell_buf_printf(b, ",'%s',char(10))", nl);
}

#define SHELL_REAL15_BUF 32

const char *shell_column_text(lode_stmt *stmt, int col) {
  static char buf[SHELL_REAL15_BUF];
  double r;
  int n;
  if (lode_column_type(stmt, col) != LODE_FLOAT) return (const char *)lode_column_text(stmt, col);
  r = lode_column_double(stmt, col);
  if (isnan(r)) return "NaN";
  if (isinf(r)) return r < 0 ? "-Inf" : "Inf";
  if (r == 0.0) r = 0.0; /* -0.0 prints as 0.0: SQLite tests r<0 */
  n = snprintf(buf, sizeof buf, "%.15g", r);
  for (int i = 0; i < n; i++) {
    if (buf[i] == ',') buf[i] = '.'; /* a host locale's decimal comma */
  }
  if (!strchr(buf, '.')) {
    /* always a point: "1.0", "1.0e+20" */
    char *e = strchr(buf, 'e');
    size_t at = e ? (size_t)(e - buf) : (size_t)n;
    memmove(buf + at + 2, buf + at, (size_t)n - at + 1);
    buf[at] = '.';
    buf[at + 1] = '0';
  }
  return buf;
}

void shell_append_sql_value(ShellBuf *b, lode_stmt *stmt, int col, int style) {
  switch (lode_column_type(stmt, col)) {
  case LODE_NULL: shell_buf_appendz(b, "NULL"); break;
  case LODE_FLOAT: {
    char num[64];
    double r = lode_column_double(stmt, col);
    if ((style & SHELL_SQL_LIKE_QUOTE_FN) || ((style & SHELL_SQL_INF_AS_WORD) && isinf(r))) {
      shell_buf_appendz(b, shell_column_text(stmt, col));
      break;
    }
    if ((style & SHELL_SQL_WHOLE_REALS) && r >= -9223372036854775808.0 && r < 9223372036854775808.0 &&
        r == (double)(int64_t)r)
      snprintf(num, sizeof num, "%lld.0", (long long)(int64_t)r);
    else
      shell_format_real(r, num, sizeof num);
    shell_buf_appendz(b, num);
    break;
  }
  case LODE_BLOB: {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = lode_column_blob(stmt, col);
    int n = lode_column_bytes(stmt, col);
    shell_buf_appendz(b, style & SHELL_SQL_LIKE_QUOTE_FN ? "x'" : "X'");
    for (int i = 0; i < n && p; i++) {
      char two[2] = {hex[p[i] >> 4], hex[p[i] & 15]};
      shell_buf_append(b, two, 2);
    }
    shell_buf_append(b, "'", 1);
    break;
  }
  case LODE_TEXT: {
    const char *z = (const char *)lode_column_text(stmt, col);
    shell_append_sql_string(b, z ? z : "", style & SHELL_SQL_ESCAPE_NEWLINES);
    break;
  }
  default: shell_buf_appendz(b, (const char *)lode_column_text(stmt, col)); break;
  }
}

/* ---- JSON -------------------------------------------------------------------- */

void shell_append_json_string(ShellBuf *b, const char *z, int n) {
  size_t len = n < 0 ? strlen(z) : (size_t)n;
  shell_buf_append(b, "\"", 1);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)z[i];
    const char *esc = NULL;
    switch (c) {
    case '"': esc = "\\\""; break;
    case '\\': esc = "\\\\"; break;
    case '\b': esc = "\\b"; break;
    case '\f': esc = "\\f"; break;
    case '\n': esc = "\\n"; break;
    case '\r': esc = "\\r"; break;
    case '\t': esc = "\\t"; break;
    default: break;
    }
    if (esc) shell_buf_appendz(b, esc);
    else if (c < 0x20) shell_buf_printf(b, "\\u%04x", c);
    else shell_buf_append(b, (const char *)&c, 1);
  }
  shell_buf_append(b, "\"", 1);
}

void shell_append_json_value(ShellBuf *b, lode_stmt *stmt, int col, int style) {
  int strict = style & SHELL_JSON_STRICT;
  switch (lode_column_type(stmt, col)) {
  case LODE_NULL: shell_buf_appendz(b, "null"); break;
  case LODE_INTEGER: shell_buf_appendz(b, (const char *)lode_column_text(stmt, col)); break;
  case LODE_FLOAT: {
    char num[64];
    double r = lode_column_double(stmt, col);
    shell_format_real(r, num, sizeof num);
    shell_buf_appendz(b, strict && isinf(r) ? "null" : num);
    break;
  }
  case LODE_BLOB:
    if (strict) {
      ShellBuf lit = {0};
      shell_append_sql_value(&lit, stmt, col, 0);
      shell_append_json_string(b, lit.z ? lit.z : "", (int)lit.n);
      shell_buf_free(&lit);
    } else {
      const char *p = lode_column_blob(stmt, col);
      shell_append_json_string(b, p ? p : "", p ? lode_column_bytes(stmt, col) : 0);
    }
    break;
  default: {
    const char *z = (const char *)lode_column_text(stmt, col);
    shell_append_json_string(b, z ? z : "", strict && z ? lode_column_bytes(stmt, col) : -1);
    break;
  }
  }
}

/* ---- identifiers ------------------------------------------------------------- */

/* SQLite's keywords (https://sqlite.org/lang_keywords.html), sorted. */
static const char *const keywords[] = {
    "ABORT", "ACTION", "ADD", "AFTER", "ALL", "ALTER", "ALWAYS", "ANALYZE", "AND", "AS", "ASC", "ATTACH",
    "AUTOINCREMENT", "BEFORE", "BEGIN", "BETWEEN", "BY", "CASCADE", "CASE", "CAST", "CHECK", "COLLATE",
    "COLUMN", "COMMIT", "CONFLICT", "CONSTRAINT", "CREATE", "CROSS", "CURRENT", "CURRENT_DATE",
    "CURRENT_TIME", "CURRENT_TIMESTAMP", "DATABASE", "DEFAULT", "DEFERRABLE", "DEFERRED", "DELETE", "DESC",
    "DETACH", "DISTINCT", "DO", "DROP", "EACH", "ELSE", "END", "ESCAPE", "EXCEPT", "EXCLUDE", "EXCLUSIVE",
    "EXISTS", "EXPLAIN", "FAIL", "FILTER", "FIRST", "FOLLOWING", "FOR", "FOREIGN", "FROM", "FULL",
    "GENERATED", "GLOB", "GROUP", "GROUPS", "HAVING", "IF", "IGNORE", "IMMEDIATE", "IN", "INDEX", "INDEXED",
    "INITIALLY", "INNER", "INSERT", "INSTEAD", "INTERSECT", "INTO", "IS", "ISNULL", "JOIN", "KEY", "LAST",
    "LEFT", "LIKE", "LIMIT", "MATCH", "MATERIALIZED", "NATURAL", "NO", "NOT", "NOTHING", "NOTNULL", "NULL",
    "NULLS", "OF", "OFFSET", "ON", "OR", "ORDER", "OTHERS", "OUTER", "OVER", "PARTITION", "PLAN", "PRAGMA",
    "PRECEDING", "PRIMARY", "QUERY", "RAISE", "RANGE", "RECURSIVE", "REFERENCES", "REGEXP", "REINDEX",
    "RELEASE", "RENAME", "REPLACE", "RESTRICT", "RETURNING", "RIGHT", "ROLLBACK", "ROW", "ROWS",
    "SAVEPOINT", "SELECT", "SET", "TABLE", "TEMP", "TEMPORARY", "THEN", "TIES", "TO", "TRANSACTION",
    "TRIGGER", "UNBOUNDED", "UNION", "UNIQUE", "UPDATE", "USING", "VACUUM", "VALUES", "VIEW", "VIRTUAL",
    "WHEN", "WHERE", "WINDOW", "WITH", "WITHOUT",
};

static int cmp_keyword(const void *key, const void *elem) {
  return strcasecmp((const char *)key, *(const char *const *)elem);
}

static int needs_quotes(const char *name) {
  if (!isalpha((unsigned char)name[0]) && name[0] != '_') return 1;
  for (const char *p = name; *p; p++) {
    if (!isalnum((unsigned char)*p) && *p != '_') return 1;
  }
  return bsearch(name, keywords, sizeof keywords / sizeof keywords[0], sizeof keywords[0], cmp_keyword) != NULL;
}

void shell_append_identifier(ShellBuf *b, const char *name) {
  if (needs_quotes(name)) shell_append_quoted(b, name);
  else shell_buf_appendz(b, name);
}

void shell_append_quoted(ShellBuf *b, const char *name) {
  shell_buf_append(b, "\"", 1);
  for (const char *p = name; *p; p++) {
    shell_buf_append(b, p, 1);
    if (*p == '"') shell_buf_append(b, "\"", 1);
  }
  shell_buf_append(b, "\"", 1);
}

/* ---- widths and output --------------------------------------------------------- */

size_t shell_text_width(const char *z, size_t n) {
  size_t w = 0;
  for (size_t i = 0; i < n; i++) {
    if (((unsigned char)z[i] & 0xc0) != 0x80) w++;
  }
  return w;
}

void shell_write(Shell *sh, const ShellBuf *b) {
  if (b->n) fwrite(b->z, 1, b->n, sh->out);
}
