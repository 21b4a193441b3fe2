/*
** token.h — token codes of the tokenizer and its interface.  Expr.op
** (ast.h) holds one of the operator codes below.  The parser module owns
** this file and may add codes; the operator names used by codegen must stay.
**
** Lexical rules are SQLite's (lang_keywords.html, lang_expr.html):
**   - whitespace, "-- to end of line" and "/ * ... * /" comments (an
**     unterminated block comment runs to the end of the input) are TK_SPACE;
**   - identifiers: [A-Za-z_\x80-\xff][A-Za-z0-9_$\x80-\xff]*, or quoted as
**     "x" (""-escape), `x` (``-escape), [x] (no escape);
**   - 'strings' with '' as the escaped quote;
**   - numbers 123, 1.5, .5, 1., 1e10, 1.5E-3 and hex 0x1F; a number glued to
**     identifier characters ("12abc", "1e", "0x") is TK_ILLEGAL; one with a '_'
**     among its digits is TK_QNUMBER (the parser checks each '_' stands
**     between two digits);
**   - blobs x'0A' / X'' with an even number of hex digits, else TK_ILLEGAL;
**   - variables ?, ?NNN, :name, @name, #name, $name;
**   - keywords are case-insensitive and come back as their own codes.
** A keyword "falls back" to an identifier (SQLite's %fallback ID) when the
** grammar has no use for it at that point; sql_keyword_fallback() says which
** keywords may do so.
*/
#ifndef LODE_TOKEN_H
#define LODE_TOKEN_H

enum TokenCode {
  TK_EOF = 0,
  TK_SPACE,     /* whitespace and comments */
  TK_ILLEGAL,
  TK_SEMI,
  TK_LP, TK_RP, TK_COMMA, TK_DOT,
  TK_ID,        /* identifier or keyword-as-identifier */
  TK_STRING, TK_INTEGER, TK_FLOAT, TK_BLOB, TK_VARIABLE,
  /* operators used in Expr.op */
  TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_REM, TK_CONCAT,
  TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE,
  TK_AND, TK_OR, TK_NOT,
  TK_BITAND, TK_BITOR, TK_LSHIFT, TK_RSHIFT, TK_BITNOT,
  TK_LIKE_KW, TK_GLOB,
  /* compound operators (Select.compound_op) */
  TK_UNION, TK_UNION_ALL, TK_INTERSECT, TK_EXCEPT,
  /* keywords follow (added by the parser module).  LIKE is TK_LIKE_KW, GLOB
  ** TK_GLOB, AND/OR/NOT/UNION/INTERSECT/EXCEPT use the codes above. */
  TK_KEYWORDS_START,
  TK_ABORT = TK_KEYWORDS_START, TK_ACTION, TK_ADD, TK_AFTER, TK_ALL, TK_ALTER, TK_ALWAYS,
  TK_ANALYZE, TK_AS, TK_ASC, TK_ATTACH, TK_AUTOINCREMENT, TK_BEFORE, TK_BEGIN, TK_BETWEEN,
  TK_BY, TK_CASCADE, TK_CASE, TK_CAST, TK_CHECK, TK_COLLATE, TK_COLUMN, TK_COMMIT,
  TK_CONFLICT, TK_CONSTRAINT, TK_CREATE, TK_CROSS, TK_CURRENT, TK_CURRENT_DATE,
  TK_CURRENT_TIME, TK_CURRENT_TIMESTAMP, TK_DATABASE, TK_DEFAULT, TK_DEFERRABLE,
  TK_DEFERRED, TK_DELETE, TK_DESC, TK_DETACH, TK_DISTINCT, TK_DO, TK_DROP, TK_EACH, TK_ELSE,
  TK_END, TK_ESCAPE, TK_EXCLUDE, TK_EXCLUSIVE, TK_EXISTS, TK_EXPLAIN, TK_FAIL,
  TK_FILTER, TK_FIRST, TK_FOLLOWING, TK_FOR, TK_FOREIGN, TK_FROM, TK_FULL, TK_GENERATED,
  TK_GROUP, TK_GROUPS, TK_HAVING, TK_IF, TK_IGNORE, TK_IMMEDIATE, TK_IN, TK_INDEX,
  TK_INDEXED, TK_INITIALLY, TK_INNER, TK_INSERT, TK_INSTEAD, TK_INTO, TK_IS, TK_ISNULL,
  TK_JOIN, TK_KEY, TK_LAST, TK_LEFT, TK_LIMIT, TK_MATCH, TK_MATERIALIZED, TK_NATURAL, TK_NO,
  TK_NOTHING, TK_NOTNULL, TK_NULL, TK_NULLS, TK_OF, TK_OFFSET, TK_ON, TK_ORDER, TK_OTHERS,
  TK_OUTER, TK_OVER, TK_PARTITION, TK_PLAN, TK_PRAGMA, TK_PRECEDING, TK_PRIMARY, TK_QUERY,
  TK_RAISE, TK_RANGE, TK_RECURSIVE, TK_REFERENCES, TK_REGEXP, TK_REINDEX, TK_RELEASE,
  TK_RENAME, TK_REPLACE, TK_RESTRICT, TK_RETURNING, TK_RIGHT, TK_ROLLBACK, TK_ROW, TK_ROWS,
  TK_SAVEPOINT, TK_SELECT, TK_SET, TK_TABLE, TK_TEMP, TK_THEN, TK_TIES, TK_TO,
  TK_TRANSACTION, TK_TRIGGER, TK_UNBOUNDED, TK_UNIQUE, TK_UPDATE, TK_USING, TK_VACUUM,
  TK_VALUES, TK_VIEW, TK_VIRTUAL, TK_WHEN, TK_WHERE, TK_WINDOW, TK_WITH, TK_WITHOUT,
  TK_KEYWORDS_END,
  TK_PTR, /* -> and ->> (JSON operators; parsed as calls of functions "->" and "->>") */
  TK_QNUMBER, /* a number written with '_' digit separators (1_000, 0xFF_FF: SQLite 3.46+): a
              ** literal only where a term of an expression may stand, a syntax error elsewhere */
};

/* Scans one token at z (z < end).  Returns its length in bytes (>= 1) and
** its code in *code; keywords come back as their TK_ keyword code.  Never
** reads at or past end. */
int sql_token_get(const char *z, const char *end, int *code);

/* The keyword code of z[0..n), or TK_ID if it is not a keyword. */
int sql_keyword_code(const char *z, int n);

/* 1 if the keyword token code may serve as an identifier where the grammar
** expects a name (SQLite's fallback list; TEMPORARY is TK_TEMP). */
int sql_keyword_fallback(int code);

/* The keyword table: how many, and the i-th name (upper case), or NULL. */
int sql_keyword_count(void);
const char *sql_keyword_name(int i);

#endif /* LODE_TOKEN_H */
