/*
** tokenizer.c — splits SQL text into tokens by SQLite's lexical rules (see
** token.h for the rules), and sql_complete(), which tells a shell whether
** the text typed so far ends with a complete statement.
**
** Invariant: sql_token_get never reads at or past `end` (the input need not
** be NUL-terminated) and always consumes at least one byte, so a loop over
** it terminates.  Malformed tokens (unterminated strings, "12abc", x'0')
** become one TK_ILLEGAL token covering the text SQLite would quote in
** `unrecognized token: "..."`.
*/
#include <stddef.h>

#include "sql/parser.h"
#include "sql/token.h"

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_xdigit(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int is_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }
static int is_id_start(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
static int is_id_char(int c) { return is_id_start(c) || is_digit(c) || c == '$'; }

#define BYTE(i) ((unsigned char)z[i])

/* Length of the run of identifier characters starting at z[i]. */
static int id_run(const char *z, int i, int n) {
  while (i < n && is_id_char(BYTE(i))) i++;
  return i;
}

/* A quoted string or identifier: q is the closing quote; a doubled closing
** quote is an escape except for [...] (esc = 0). */
static int scan_quoted(const char *z, int n, char q, int esc, int *code) {
  int i = 1;
  while (i < n) {
    if (z[i] == q) {
      if (esc && i + 1 < n && z[i + 1] == q) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  *code = TK_ILLEGAL; /* unterminated: the token is the rest of the input */
  return n;
}

/* The end of a run of digits (hex digits if hex) from i, '_' separators
** included (each one makes the token a TK_QNUMBER). */
static int digit_run(const char *z, int i, int n, int hex, int *code) {
  for (; i < n; i++) {
    if (hex ? is_xdigit(BYTE(i)) : is_digit(BYTE(i))) continue;
    if (z[i] != '_') break;
    *code = TK_QNUMBER;
  }
  return i;
}

static int scan_number(const char *z, int n, int *code) {
  int i = 0;
  *code = TK_INTEGER;
  if (n >= 3 && z[0] == '0' && (z[1] == 'x' || z[1] == 'X') && is_xdigit(BYTE(2))) {
    i = digit_run(z, 3, n, 1, code);
  } else {
    i = digit_run(z, 0, n, 0, code);
    if (i < n && z[i] == '.') {
      if (*code == TK_INTEGER) *code = TK_FLOAT;
      i = digit_run(z, i + 1, n, 0, code);
    }
    if (i < n && (z[i] == 'e' || z[i] == 'E') &&
        ((i + 1 < n && is_digit(BYTE(i + 1))) ||
         (i + 2 < n && (z[i + 1] == '+' || z[i + 1] == '-') && is_digit(BYTE(i + 2))))) {
      if (*code == TK_INTEGER) *code = TK_FLOAT;
      i = digit_run(z, i + 2, n, 0, code);
    }
  }
  if (i < n && is_id_char(BYTE(i))) {
    *code = TK_ILLEGAL;
    i = id_run(z, i, n);
  }
  return i;
}

/* x'hex': the token runs to the closing quote even when malformed. */
static int scan_blob(const char *z, int n, int *code) {
  int i = 2;
  *code = TK_BLOB;
  while (i < n && is_xdigit(BYTE(i))) i++;
  if (i >= n || z[i] != '\'' || (i % 2) != 0) {
    *code = TK_ILLEGAL;
    while (i < n && z[i] != '\'') i++;
  }
  return i < n ? i + 1 : n;
}

/* :name @name #name $name; an empty name is illegal.  "::" inside a name
** is allowed as in SQLite's TCL-style names. */
/* :name, @name, #name, $name: identifier characters, "::" anywhere after
** the first character, and at the end of a name an optional "(...)" suffix
** without white space (Tcl's array element syntax), as SQLite scans them. */
static int scan_variable(const char *z, int n, int *code) {
  int i = 1, nid = 0;
  *code = TK_VARIABLE;
  while (i < n) {
    if (is_id_char(BYTE(i))) {
      nid++;
      i++;
    } else if (z[i] == '(' && nid > 0) {
      i++;
      while (i < n && !is_space(BYTE(i)) && z[i] != ')') i++;
      if (i < n && z[i] == ')') i++;
      else *code = TK_ILLEGAL;
      break;
    } else if (z[i] == ':' && i + 1 < n && z[i + 1] == ':') {
      i += 2;
    } else {
      break;
    }
  }
  if (nid == 0) *code = TK_ILLEGAL;
  return i;
}

static int scan_comment_or_space(const char *z, int n, int *code) {
  int i;
  *code = TK_SPACE;
  if (is_space(BYTE(0))) {
    for (i = 1; i < n && is_space(BYTE(i)); i++) {
    }
    return i;
  }
  if (z[0] == '-') { /* "--" to the end of the line */
    for (i = 2; i < n && z[i] != '\n'; i++) {
    }
    return i < n ? i + 1 : n;
  }
  for (i = 2; i + 1 < n && !(z[i] == '*' && z[i + 1] == '/'); i++) { /* block comment */
  }
  return i + 1 < n ? i + 2 : n;
}

/* Operators of one or two characters. */
static int scan_operator(const char *z, int n, int *code) {
  char c = z[0], d = n > 1 ? z[1] : 0;
  switch (c) {
  case ';': *code = TK_SEMI; return 1;
  case '(': *code = TK_LP; return 1;
  case ')': *code = TK_RP; return 1;
  case ',': *code = TK_COMMA; return 1;
  case '+': *code = TK_PLUS; return 1;
  case '-':
    if (d == '>') { /* -> or ->> */
      *code = TK_PTR;
      return n > 2 && z[2] == '>' ? 3 : 2;
    }
    *code = TK_MINUS;
    return 1;
  case '*': *code = TK_STAR; return 1;
  case '/': *code = TK_SLASH; return 1;
  case '%': *code = TK_REM; return 1;
  case '&': *code = TK_BITAND; return 1;
  case '~': *code = TK_BITNOT; return 1;
  case '.': *code = TK_DOT; return 1;
  case '=': *code = TK_EQ; return d == '=' ? 2 : 1;
  case '|':
    *code = d == '|' ? TK_CONCAT : TK_BITOR;
    return d == '|' ? 2 : 1;
  case '!':
    *code = d == '=' ? TK_NE : TK_ILLEGAL;
    return d == '=' ? 2 : 1;
  case '<':
    if (d == '=') { *code = TK_LE; return 2; }
    if (d == '>') { *code = TK_NE; return 2; }
    if (d == '<') { *code = TK_LSHIFT; return 2; }
    *code = TK_LT;
    return 1;
  case '>':
    if (d == '=') { *code = TK_GE; return 2; }
    if (d == '>') { *code = TK_RSHIFT; return 2; }
    *code = TK_GT;
    return 1;
  default: *code = TK_ILLEGAL; return 1;
  }
}

int sql_token_get(const char *zin, const char *end, int *code) {
  const char *z = zin;
  int n = (int)(end - zin);
  int c, d, i;
  if (n <= 0) {
    *code = TK_EOF;
    return 0;
  }
  c = BYTE(0);
  d = n > 1 ? BYTE(1) : 0;
  /* A block comment's opening is one only when something follows it, as in
  ** SQLite: at the very end the two bytes are "/" and "*" (a syntax error). */
  if (is_space(c) || (c == '-' && d == '-') || (c == '/' && d == '*' && n > 2)) {
    return scan_comment_or_space(z, n, code);
  }
  if ((c == 'x' || c == 'X') && d == '\'') return scan_blob(z, n, code);
  if (is_id_start(c)) {
    i = id_run(z, 1, n);
    *code = sql_keyword_code(z, i);
    return i;
  }
  if (is_digit(c) || (c == '.' && is_digit(d))) return scan_number(z, n, code);
  switch (c) {
  case '\'': *code = TK_STRING; return scan_quoted(z, n, '\'', 1, code);
  case '"': *code = TK_ID; return scan_quoted(z, n, '"', 1, code);
  case '`': *code = TK_ID; return scan_quoted(z, n, '`', 1, code);
  case '[': *code = TK_ID; return scan_quoted(z, n, ']', 0, code);
  case '?':
    for (i = 1; i < n && is_digit(BYTE(i)); i++) {
    }
    *code = TK_VARIABLE;
    return i;
  case ':': case '@': case '#': case '$': return scan_variable(z, n, code);
  default: return scan_operator(z, n, code);
  }
}

/* ---- sql_complete -------------------------------------------------------- */

/* A trigger body holds ';'s of its own: the statement only ends at ";END;"
** (END right after one of the body's semicolons).  States follow the tokens
** that matter: the start of a statement, CREATE [TEMP], inside CREATE
** TRIGGER, a ';' inside it, and END after such a ';'. */
enum CompleteState { CS_START, CS_NORMAL, CS_CREATE, CS_TRIGGER, CS_TRIGGER_SEMI, CS_TRIGGER_END };

static int complete_next(int state, int code) {
  switch (state) {
  case CS_START:
    if (code == TK_CREATE) return CS_CREATE;
    return (code == TK_EXPLAIN || code == TK_QUERY || code == TK_PLAN) ? CS_START : CS_NORMAL;
  case CS_CREATE:
    if (code == TK_TEMP) return CS_CREATE;
    return code == TK_TRIGGER ? CS_TRIGGER : CS_NORMAL;
  case CS_TRIGGER:
  case CS_TRIGGER_END:
    return code == TK_SEMI ? (state == CS_TRIGGER_END ? CS_START : CS_TRIGGER_SEMI) : CS_TRIGGER;
  case CS_TRIGGER_SEMI:
    if (code == TK_SEMI) return CS_TRIGGER_SEMI;
    return code == TK_END ? CS_TRIGGER_END : CS_TRIGGER;
  default:
    return code == TK_SEMI ? CS_START : CS_NORMAL;
  }
}

int sql_complete(const char *sql) {
  const char *z = sql, *end;
  int state = CS_START, complete = 0;
  if (!sql) return 0;
  for (end = sql; *end; end++) {
  }
  while (z < end) {
    int code, len = sql_token_get(z, end, &code);
    /* Unterminated strings, identifiers and comments leave the input open. */
    if (code == TK_ILLEGAL && (z[0] == '\'' || z[0] == '"' || z[0] == '`' || z[0] == '[')) return 0;
    if (code == TK_SPACE && z[0] == '/' && (len < 4 || z[len - 1] != '/' || z[len - 2] != '*')) return 0;
    z += len;
    if (code == TK_SPACE) continue;
    if (code == TK_SEMI && state == CS_START) {
      complete = 1;
      continue;
    }
    state = complete_next(state, code);
    complete = code == TK_SEMI && state == CS_START;
  }
  return complete;
}
