/*
** shell_mcp.c — `lode --mcp`: a Model Context Protocol server over stdio for
** the database the shell opened.
**
** Transport: JSON-RPC 2.0, one message per line on stdin, one response per
** line on stdout (nothing else is ever written there; notices go to stderr).
** Methods: initialize, ping, tools/list, tools/call; notifications (messages
** without an id, such as notifications/initialized) get no response.
**
** Tools:
**   list_tables                    names of the tables, one per line
**   describe_table {table}         JSON: the table's CREATE statement and its
**                                  columns (name, type, notnull, default, pk)
**   read_query {query}             one read-only statement; JSON array of row
**                                  objects.  A statement that would write is
**                                  refused before it runs.
**   write_query {query}            one statement that changes the database;
**                                  JSON {"changes":N,"last_insert_rowid":N}
**
** Errors: malformed JSON is -32700, a message that is no JSON-RPC request
** -32600, an unknown method -32601, unknown tools or bad arguments -32602;
** an SQL error is a tool result with isError set and the message as text,
** as the protocol asks for failures inside a tool.  Each tool call runs one
** statement, so a failed write leaves the database as it was.
*/
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "shell_int.h"
#include "shell_json.h"

#define RPC_PARSE_ERROR (-32700)
#define RPC_INVALID_REQUEST (-32600)
#define RPC_METHOD_NOT_FOUND (-32601)
#define RPC_INVALID_PARAMS (-32602)

/* Protocol revisions this server speaks, newest first. */
static const char *const protocol_versions[] = {"2025-06-18", "2025-03-26", "2024-11-05"};

typedef struct Mcp {
  Shell *sh;
  const Json *id; /* of the request being answered (NULL: a notification) */
} Mcp;

/* ---- responses ------------------------------------------------------------------ */

static void append_json(ShellBuf *b, const Json *j);

static void append_members(ShellBuf *b, const Json *j) {
  int first = 1;
  for (const Json *m = j->child; m; m = m->next) {
    if (!first) shell_buf_append(b, ",", 1);
    first = 0;
    if (j->type == JSON_OBJECT) {
      shell_append_json_string(b, m->key ? m->key : "", -1);
      shell_buf_append(b, ":", 1);
    }
    append_json(b, m);
  }
}

/* Writes a parsed value back as JSON (used for request ids). */
static void append_json(ShellBuf *b, const Json *j) {
  switch (j ? j->type : JSON_NULL) {
  case JSON_NULL: shell_buf_appendz(b, "null"); break;
  case JSON_FALSE: shell_buf_appendz(b, "false"); break;
  case JSON_TRUE: shell_buf_appendz(b, "true"); break;
  case JSON_NUMBER: shell_buf_append(b, j->str, j->len); break;
  case JSON_STRING: shell_append_json_string(b, j->str, (int)j->len); break;
  case JSON_ARRAY:
  case JSON_OBJECT:
    shell_buf_append(b, j->type == JSON_ARRAY ? "[" : "{", 1);
    append_members(b, j);
    shell_buf_append(b, j->type == JSON_ARRAY ? "]" : "}", 1);
    break;
  }
}

static void send_line(Mcp *m, ShellBuf *b) {
  shell_buf_append(b, "\n", 1);
  if (b->oom) {
    fputs("lode --mcp: out of memory\n", m->sh->err);
    return;
  }
  fwrite(b->z, 1, b->n, stdout);
  fflush(stdout);
}

static void send_result(Mcp *m, const char *result_json) {
  if (!m->id) return;
  ShellBuf b = {0};
  shell_buf_appendz(&b, "{\"jsonrpc\":\"2.0\",\"id\":");
  append_json(&b, m->id);
  shell_buf_appendz(&b, ",\"result\":");
  shell_buf_appendz(&b, result_json);
  shell_buf_append(&b, "}", 1);
  send_line(m, &b);
  shell_buf_free(&b);
}

/* Errors answer notifications too when the message could not be read as
** one (id null), as JSON-RPC asks. */
static void send_error(Mcp *m, int code, const char *message, int always) {
  if (!m->id && !always) return;
  ShellBuf b = {0};
  shell_buf_appendz(&b, "{\"jsonrpc\":\"2.0\",\"id\":");
  append_json(&b, m->id);
  shell_buf_printf(&b, ",\"error\":{\"code\":%d,\"message\":", code);
  shell_append_json_string(&b, message, -1);
  shell_buf_appendz(&b, "}}");
  send_line(m, &b);
  shell_buf_free(&b);
}

/* A tool's answer: one text item, isError as given. */
static void send_tool_text(Mcp *m, const char *text, size_t n, int is_error) {
  ShellBuf b = {0};
  shell_buf_appendz(&b, "{\"content\":[{\"type\":\"text\",\"text\":");
  shell_append_json_string(&b, text, (int)n);
  shell_buf_printf(&b, "}],\"isError\":%s}", is_error ? "true" : "false");
  if (b.oom) send_error(m, -32603, "out of memory", 0);
  else send_result(m, b.z);
  shell_buf_free(&b);
}

static void send_tool_error(Mcp *m, const char *text) { send_tool_text(m, text, strlen(text), 1); }

/* ---- the tools ---------------------------------------------------------------------- */

static const char tools_json[] =
    "{\"tools\":["
    "{\"name\":\"list_tables\",\"description\":\"List the tables of the database, one name per line.\","
    "\"inputSchema\":{\"type\":\"object\",\"properties\":{}}},"
    "{\"name\":\"describe_table\",\"description\":\"Describe a table: its CREATE statement and its columns "
    "(name, declared type, NOT NULL, default, primary key position) as JSON.\","
    "\"inputSchema\":{\"type\":\"object\",\"properties\":{\"table\":{\"type\":\"string\",\"description\":"
    "\"name of the table\"}},\"required\":[\"table\"]}},"
    "{\"name\":\"read_query\",\"description\":\"Run one read-only SQL statement (SELECT, EXPLAIN, read-only "
    "PRAGMA) and return its rows as a JSON array of objects. Statements that would change the database are "
    "refused.\","
    "\"inputSchema\":{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\",\"description\":"
    "\"the SQL statement\"}},\"required\":[\"query\"]}},"
    "{\"name\":\"write_query\",\"description\":\"Run one SQL statement that changes the database (INSERT, "
    "UPDATE, DELETE, CREATE, DROP, ALTER) and return the number of changed rows and the last inserted rowid "
    "as JSON. A failing statement changes nothing.\","
    "\"inputSchema\":{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\",\"description\":"
    "\"the SQL statement\"}},\"required\":[\"query\"]}}"
    "]}";

/* Prepares exactly one statement of sql.  Returns NULL after answering. */
static lode_stmt *prepare_one(Mcp *m, const char *sql) {
  lode_stmt *stmt = NULL;
  const char *tail = NULL;
  if (lode_prepare(m->sh->db, sql, -1, &stmt, &tail) != LODE_OK) {
    send_tool_error(m, lode_errmsg(m->sh->db));
    return NULL;
  }
  if (!stmt) {
    send_tool_error(m, "the query holds no SQL statement");
    return NULL;
  }
  while (tail && isspace((unsigned char)*tail)) tail++;
  if (tail && *tail && *tail != ';') {
    lode_finalize(stmt);
    send_tool_error(m, "the query must hold exactly one SQL statement");
    return NULL;
  }
  return stmt;
}

/* Steps stmt, collecting its rows as a JSON array in b.  Returns the last
** step result. */
static int collect_rows(lode_stmt *stmt, ShellBuf *b) {
  int rc, nrow = 0;
  shell_buf_append(b, "[", 1);
  while ((rc = lode_step(stmt)) == LODE_ROW) {
    shell_buf_appendz(b, nrow++ ? ",{" : "{");
    for (int i = 0; i < lode_column_count(stmt); i++) {
      if (i) shell_buf_append(b, ",", 1);
      const char *name = lode_column_name(stmt, i);
      shell_append_json_string(b, name ? name : "", -1);
      shell_buf_append(b, ":", 1);
      shell_append_json_value(b, stmt, i, SHELL_JSON_STRICT);
    }
    shell_buf_append(b, "}", 1);
  }
  shell_buf_append(b, "]", 1);
  return rc;
}

static void tool_read_query(Mcp *m, const char *sql) {
  lode_stmt *stmt = prepare_one(m, sql);
  if (!stmt) return;
  if (!lode_stmt_readonly(stmt)) {
    lode_finalize(stmt);
    send_tool_error(m, "read_query runs read-only statements only; use write_query to change the database");
    return;
  }
  ShellBuf rows = {0};
  int rc = collect_rows(stmt, &rows);
  if (rc != LODE_DONE) send_tool_error(m, lode_errmsg(m->sh->db));
  else if (rows.oom) send_tool_error(m, "out of memory");
  else send_tool_text(m, rows.z, rows.n, 0);
  lode_finalize(stmt);
  shell_buf_free(&rows);
}

static void tool_write_query(Mcp *m, const char *sql) {
  lode_stmt *stmt = prepare_one(m, sql);
  if (!stmt) return;
  int rc;
  while ((rc = lode_step(stmt)) == LODE_ROW) {
  }
  if (rc != LODE_DONE) {
    send_tool_error(m, lode_errmsg(m->sh->db));
    lode_finalize(stmt);
    return;
  }
  lode_finalize(stmt);
  char text[96];
  int n = snprintf(text, sizeof text, "{\"changes\":%lld,\"last_insert_rowid\":%lld}",
                   (long long)lode_changes(m->sh->db), (long long)lode_last_insert_rowid(m->sh->db));
  send_tool_text(m, text, (size_t)n, 0);
}

/* Runs a query with one text parameter and hands each row to fn. */
static int query_rows(Mcp *m, const char *sql, const char *param, void (*fn)(lode_stmt *, ShellBuf *, int),
                      ShellBuf *out) {
  lode_stmt *stmt = NULL;
  int rc = lode_prepare(m->sh->db, sql, -1, &stmt, NULL);
  if (rc == LODE_OK && param) rc = lode_bind_text(stmt, 1, param, -1, LODE_TRANSIENT);
  int nrow = 0;
  while (rc == LODE_OK && (rc = lode_step(stmt)) == LODE_ROW) {
    fn(stmt, out, nrow++);
    rc = LODE_OK;
  }
  lode_finalize(stmt);
  return rc == LODE_DONE || rc == LODE_OK ? nrow : -1;
}

static void table_name_row(lode_stmt *stmt, ShellBuf *out, int nrow) {
  if (nrow) shell_buf_append(out, "\n", 1);
  shell_buf_appendz(out, (const char *)lode_column_text(stmt, 0));
}

static void tool_list_tables(Mcp *m) {
  ShellBuf out = {0};
  shell_buf_append(&out, "", 0);
  int n = query_rows(m,
                     "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
                     "ESCAPE '\\' ORDER BY name",
                     NULL, table_name_row, &out);
  if (n < 0) send_tool_error(m, lode_errmsg(m->sh->db));
  else send_tool_text(m, out.z, out.n, 0);
  shell_buf_free(&out);
}

static void column_row(lode_stmt *stmt, ShellBuf *out, int nrow) {
  /* PRAGMA table_info: cid, name, type, notnull, dflt_value, pk */
  shell_buf_appendz(out, nrow ? ",{\"name\":" : "{\"name\":");
  shell_append_json_value(out, stmt, 1, SHELL_JSON_STRICT);
  shell_buf_appendz(out, ",\"type\":");
  shell_append_json_value(out, stmt, 2, SHELL_JSON_STRICT);
  shell_buf_printf(out, ",\"notnull\":%s,\"default\":", lode_column_int(stmt, 3) ? "true" : "false");
  shell_append_json_value(out, stmt, 4, SHELL_JSON_STRICT);
  shell_buf_printf(out, ",\"pk\":%d}", lode_column_int(stmt, 5));
}

static void create_sql_row(lode_stmt *stmt, ShellBuf *out, int nrow) {
  (void)nrow;
  shell_append_json_value(out, stmt, 0, SHELL_JSON_STRICT);
}

static void tool_describe_table(Mcp *m, const char *table) {
  ShellBuf out = {0};
  shell_buf_appendz(&out, "{\"table\":");
  shell_append_json_string(&out, table, -1);
  shell_buf_appendz(&out, ",\"sql\":");
  int found = query_rows(m, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1 COLLATE NOCASE",
                         table, create_sql_row, &out);
  if (found <= 0) {
    if (found < 0) send_tool_error(m, lode_errmsg(m->sh->db));
    else {
      ShellBuf msg = {0};
      shell_buf_printf(&msg, "no such table: %s", table);
      send_tool_error(m, msg.z ? msg.z : "no such table");
      shell_buf_free(&msg);
    }
    shell_buf_free(&out);
    return;
  }
  ShellBuf pragma = {0};
  shell_buf_appendz(&pragma, "PRAGMA table_info(");
  shell_append_identifier(&pragma, table);
  shell_buf_append(&pragma, ")", 1);
  shell_buf_appendz(&out, ",\"columns\":[");
  int n = pragma.oom ? -1 : query_rows(m, pragma.z, NULL, column_row, &out);
  shell_buf_appendz(&out, "]}");
  if (n < 0) send_tool_error(m, lode_errmsg(m->sh->db));
  else send_tool_text(m, out.z, out.n, 0);
  shell_buf_free(&pragma);
  shell_buf_free(&out);
}

/* The string argument key of a tool, or NULL after answering -32602. */
static const char *string_arg(Mcp *m, const Json *args, const char *tool, const char *key) {
  const Json *v = json_get(args, key);
  if (v && v->type == JSON_STRING && strlen(v->str) == v->len) return v->str;
  ShellBuf msg = {0};
  shell_buf_printf(&msg, "Invalid params: %s needs the string argument \"%s\"", tool, key);
  send_error(m, RPC_INVALID_PARAMS, msg.z ? msg.z : "Invalid params", 0);
  shell_buf_free(&msg);
  return NULL;
}

static void tools_call(Mcp *m, const Json *params) {
  const Json *name = json_get(params, "name");
  const Json *args = json_get(params, "arguments");
  if (!name || name->type != JSON_STRING) {
    send_error(m, RPC_INVALID_PARAMS, "Invalid params: tools/call needs the tool's \"name\"", 0);
    return;
  }
  if (args && args->type != JSON_OBJECT) {
    send_error(m, RPC_INVALID_PARAMS, "Invalid params: \"arguments\" must be an object", 0);
    return;
  }
  const char *arg;
  if (strcmp(name->str, "list_tables") == 0) {
    tool_list_tables(m);
  } else if (strcmp(name->str, "describe_table") == 0) {
    if ((arg = string_arg(m, args, name->str, "table"))) tool_describe_table(m, arg);
  } else if (strcmp(name->str, "read_query") == 0) {
    if ((arg = string_arg(m, args, name->str, "query"))) tool_read_query(m, arg);
  } else if (strcmp(name->str, "write_query") == 0) {
    if ((arg = string_arg(m, args, name->str, "query"))) tool_write_query(m, arg);
  } else {
    ShellBuf msg = {0};
    shell_buf_appendz(&msg, "Unknown tool: ");
    shell_buf_append(&msg, name->str, name->len);
    send_error(m, RPC_INVALID_PARAMS, msg.z ? msg.z : "Unknown tool", 0);
    shell_buf_free(&msg);
  }
}

/* ---- methods ------------------------------------------------------------------------- */

static void initialize(Mcp *m, const Json *params) {
  const Json *want = json_get(params, "protocolVersion");
  const char *version = protocol_versions[0];
  for (size_t i = 0; want && want->type == JSON_STRING && i < sizeof protocol_versions / sizeof *protocol_versions; i++) {
    if (strcmp(want->str, protocol_versions[i]) == 0) version = protocol_versions[i];
  }
  ShellBuf b = {0};
  shell_buf_printf(&b,
                   "{\"protocolVersion\":\"%s\",\"capabilities\":{\"tools\":{\"listChanged\":false}},"
                   "\"serverInfo\":{\"name\":\"lode\",\"version\":\"%s\"},\"instructions\":",
                   version, lode_libversion());
  ShellBuf text = {0};
  shell_buf_printf(&text, "A Lode (SQLite-compatible) database: %s%s. Use list_tables and describe_table to see "
                          "the schema, read_query to query it and write_query to change it.",
                   m->sh->db_path ? m->sh->db_path : "a transient in-memory database",
                   lode_db_readonly(m->sh->db, "main") > 0 ? ", opened read-only" : "");
  shell_append_json_string(&b, text.z ? text.z : "", -1);
  shell_buf_append(&b, "}", 1);
  if (b.oom) send_error(m, -32603, "out of memory", 0);
  else send_result(m, b.z);
  shell_buf_free(&text);
  shell_buf_free(&b);
}

static int valid_id(const Json *id) {
  return !id || id->type == JSON_STRING || id->type == JSON_NUMBER || id->type == JSON_NULL;
}

static void handle_message(Mcp *m, const char *line, size_t n) {
  Json *msg = json_parse(line, n);
  m->id = NULL;
  if (!msg) {
    send_error(m, RPC_PARSE_ERROR, "Parse error", 1);
    return;
  }
  const Json *id = json_get(msg, "id");
  const Json *version = json_get(msg, "jsonrpc");
  const Json *method = json_get(msg, "method");
  const Json *params = json_get(msg, "params");
  m->id = valid_id(id) ? id : NULL;
  if (msg->type != JSON_OBJECT || !version || version->type != JSON_STRING || strcmp(version->str, "2.0") != 0 ||
      !method || method->type != JSON_STRING || !valid_id(id) || (params && params->type != JSON_OBJECT &&
                                                                   params->type != JSON_ARRAY)) {
    send_error(m, RPC_INVALID_REQUEST, "Invalid Request", 1);
  } else if (strcmp(method->str, "initialize") == 0) {
    initialize(m, params);
  } else if (strcmp(method->str, "ping") == 0) {
    send_result(m, "{}");
  } else if (strcmp(method->str, "tools/list") == 0) {
    send_result(m, tools_json);
  } else if (strcmp(method->str, "tools/call") == 0) {
    tools_call(m, params);
  } else if (strncmp(method->str, "notifications/", 14) != 0) {
    ShellBuf text = {0};
    shell_buf_appendz(&text, "Method not found: ");
    shell_buf_append(&text, method->str, method->len);
    send_error(m, RPC_METHOD_NOT_FOUND, text.z ? text.z : "Method not found", 0);
    shell_buf_free(&text);
  }
  json_free(msg);
}

int shell_mcp_serve(Shell *sh) {
  Mcp m = {sh, NULL};
  char *line = NULL;
  size_t cap = 0;
  ssize_t got;
  while ((got = getline(&line, &cap, stdin)) >= 0) {
    size_t n = (size_t)got;
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
    size_t start = 0;
    while (start < n && isspace((unsigned char)line[start])) start++;
    if (start == n) continue;
    handle_message(&m, line + start, n - start);
  }
  free(line);
  return 0;
}
