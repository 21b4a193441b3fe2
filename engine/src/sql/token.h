/*
** token.h — token codes of the tokenizer.  Expr.op (ast.h) holds one of the
** operator codes below.  The parser module owns this file and may add codes;
** the operator names used by codegen must stay.
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
  /* keywords follow (added by the parser module) */
  TK_KEYWORDS_START
};

#endif /* LODE_TOKEN_H */
