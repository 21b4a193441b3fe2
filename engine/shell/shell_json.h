/*
** shell_json.h — a small JSON reader for the MCP server (shell_mcp.c).
**
** The shell is also compiled into the Node addon, so it takes no library
** beyond libc (and libedit, which is optional) for what MCP needs: reading
** one JSON-RPC message into a tree.  Writing JSON goes through ShellBuf and
** shell_append_json_string.
**
** Values are a tree of Json nodes; an object's or array's members are a list
** (child, then next), each object member with its key.  Strings are decoded
** to UTF-8 (\uXXXX escapes and surrogate pairs included) and may hold NUL
** bytes (len counts them).  Numbers keep their text.  Nesting is limited so
** that hostile input cannot exhaust the stack.
*/
#ifndef LODE_SHELL_JSON_H
#define LODE_SHELL_JSON_H

#include <stddef.h>

typedef enum JsonType { JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } JsonType;

typedef struct Json {
  JsonType type;
  char *str;  /* JSON_STRING: the decoded text; JSON_NUMBER: its source text */
  size_t len; /* bytes of str */
  char *key;  /* the member's key inside an object */
  struct Json *child;
  struct Json *next;
} Json;

/* Parses z[0..n) as exactly one JSON value (blanks around it allowed).
** Returns NULL on a syntax error or when out of memory. */
Json *json_parse(const char *z, size_t n);
void json_free(Json *j);
/* The member key of object j, or NULL (also when j is no object). */
const Json *json_get(const Json *j, const char *key);

#endif /* LODE_SHELL_JSON_H */
