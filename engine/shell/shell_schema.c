/*
** shell_schema.c — the dot commands that read the schema, worded like
** sqlite3 3.40's:
**
**   .tables [PATTERN]     table and view names, sorted, laid out in columns
**                         (column-major, 80 characters, every cell padded);
**                         those of temp and attached databases as schema.name
**   .indexes [PATTERN]    index names of tables LIKE PATTERN, the same way
**   .schema [PATTERN]     the CREATE statements of sqlite_schema, each + ';'; then
**                         those of temp and attached databases, named schema.name
**   .dump [PATTERN...]    the database as SQL: PRAGMA foreign_keys=OFF;
**                         BEGIN TRANSACTION; each table's CREATE and its rows
**                         as INSERT INTO t VALUES(...); then indexes,
**                         triggers and views; COMMIT;.  sqlite_stat1 is
**                         recreated by "ANALYZE sqlite_schema;" before its
**                         rows, other sqlite_ tables are left out.  With
**                         patterns, only objects whose name is LIKE one.
**
** A CREATE TABLE whose name is quoted is printed as CREATE TABLE IF NOT
** EXISTS, as sqlite3 does.  The schema is read with one plain SELECT over
** sqlite_schema in storage order and filtered and sorted here.
*/
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "shell_int.h"

#define TABLES_LINE_WIDTH 80
#define TABLES_COLUMN_GAP 2
#define SCHEMA_COL_TYPE 0
#define SCHEMA_COL_NAME 1
#define SCHEMA_COL_TBL 2
#define SCHEMA_COL_SQL 3
#define CREATE_TABLE "CREATE TABLE "
#define CREATE_TABLE_LEN 13

typedef struct SchemaRow {
  char *type, *name, *tbl, *sql;
} SchemaRow;

typedef struct SchemaList {
  SchemaRow *rows;
  size_t n, cap;
} SchemaList;

static void schema_free(SchemaList *l) {
  for (size_t i = 0; i < l->n; i++) {
    free(l->rows[i].type);
    free(l->rows[i].name);
    free(l->rows[i].tbl);
    free(l->rows[i].sql);
  }
  free(l->rows);
  memset(l, 0, sizeof(*l));
}

static char *dup_column(lode_stmt *stmt, int col) {
  const unsigned char *z = lode_column_text(stmt, col);
  if (!z) return lode_column_type(stmt, col) == LODE_NULL ? NULL : strdup("");
  return strdup((const char *)z);
}

static int schema_add(SchemaList *l, lode_stmt *stmt) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    SchemaRow *p = realloc(l->rows, cap * sizeof(SchemaRow));
    if (!p) return LODE_NOMEM;
    l->rows = p;
    l->cap = cap;
  }
  SchemaRow *r = &l->rows[l->n++];
  r->type = dup_column(stmt, SCHEMA_COL_TYPE);
  r->name = dup_column(stmt, SCHEMA_COL_NAME);
  r->tbl = dup_column(stmt, SCHEMA_COL_TBL);
  r->sql = dup_column(stmt, SCHEMA_COL_SQL);
  return LODE_OK;
}

/* Reads every row of the schema table in storage (rowid) order.  Returns 0,
** or 1 after printing the error. */
static int schema_read(Shell *sh, SchemaList *l) {
  lode_stmt *stmt = NULL;
  int rc;
  memset(l, 0, sizeof(*l));
  rc = lode_prepare(sh->db, "SELECT type, name, tbl_name, sql FROM sqlite_schema", -1, &stmt, NULL);
  if (rc != LODE_OK || !stmt) {
    shell_error(sh, "Error: %s", lode_errmsg(sh->db));
    return 1;
  }
  while ((rc = lode_step(stmt)) == LODE_ROW) {
    if (schema_add(l, stmt) != LODE_OK) break;
  }
  if (rc != LODE_DONE) {
    shell_error(sh, "Error: %s", rc == LODE_ROW ? "out of memory" : lode_errmsg(sh->db));
    lode_finalize(stmt);
    schema_free(l);
    return 1;
  }
  lode_finalize(stmt);
  return 0;
}

static int is_type(const SchemaRow *r, const char *type) { return r->type && strcmp(r->type, type) == 0; }

/* ---- .tables / .indexes -------------------------------------------------------- */

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Column-major layout: as many columns of (longest name + gap) as fit. */
static void print_in_columns(Shell *sh, const char **names, size_t n) {
  size_t width = 0;
  for (size_t i = 0; i < n; i++) {
    if (strlen(names[i]) > width) width = strlen(names[i]);
  }
  size_t ncol = TABLES_LINE_WIDTH / (width + TABLES_COLUMN_GAP);
  if (ncol == 0) ncol = 1;
  size_t nrow = (n + ncol - 1) / ncol;
  for (size_t r = 0; r < nrow; r++) {
    for (size_t i = r; i < n; i += nrow) fprintf(sh->out, "%s%-*s", i == r ? "" : "  ", (int)width, names[i]);
    fputc('\n', sh->out);
  }
}

static int is_listed_table(const SchemaRow *r, const char *pattern) {
  if (!r->name || !(is_type(r, "table") || is_type(r, "view"))) return 0;
  if (strncmp(r->name, "sqlite_", 7) == 0) return 0;
  return !pattern || shell_like(pattern, r->name);
}

static int is_listed_index(const SchemaRow *r, const char *pattern) {
  return r->name && is_type(r, "index") && (!pattern || (r->tbl && shell_like(pattern, r->tbl)));
}

/* The listed names of one database's schema table (the main one when
** zdb is NULL), each prefixed "zdb." for another database, appended to
** *names (malloc'd strings).  Returns 0, or 1 after printing the error. */
static int collect_names(Shell *sh, const char *zdb, const char *pattern,
                         int (*listed)(const SchemaRow *, const char *), char ***names, size_t *n) {
  SchemaList l;
  if (!zdb) {
    if (schema_read(sh, &l)) return 1;
  } else {
    lode_stmt *stmt = NULL;
    size_t len = strlen(zdb);
    char *sql = malloc(2 * len + 64);
    if (!sql) return 1;
    char *q = sql + sprintf(sql, "SELECT type, name, tbl_name, sql FROM \"");
    for (const char *c = zdb; *c; c++) {
      if (*c == '"') *q++ = '"';
      *q++ = *c;
    }
    strcpy(q, "\".sqlite_schema");
    memset(&l, 0, sizeof l);
    int rc = lode_prepare(sh->db, sql, -1, &stmt, NULL);
    free(sql);
    while (rc == LODE_OK && stmt && lode_step(stmt) == LODE_ROW)
      if (schema_add(&l, stmt) != LODE_OK) break;
    lode_finalize(stmt);
  }
  for (size_t i = 0; i < l.n; i++) {
    if (!listed(&l.rows[i], pattern)) continue;
    char **grown = realloc(*names, (*n + 1) * sizeof(char *));
    char *name = malloc(strlen(l.rows[i].name) + (zdb ? strlen(zdb) + 2 : 1));
    if (!grown || !name) {
      if (grown) *names = grown;
      free(name);
      schema_free(&l);
      shell_error(sh, "Error: out of memory");
      return 1;
    }
    *names = grown;
    if (zdb) sprintf(name, "%s.%s", zdb, l.rows[i].name);
    else strcpy(name, l.rows[i].name);
    (*names)[(*n)++] = name;
  }
  schema_free(&l);
  return 0;
}

/* Every database's names, as sqlite3 lists them: main's bare, the others'
** (temp, attached) as schema.name. */
static int list_names(Shell *sh, ShellArgs *a, int (*listed)(const SchemaRow *, const char *)) {
  const char *pattern = a->argc > 1 ? a->argv[1] : NULL;
  char **names = NULL;
  size_t n = 0;
  int failed = collect_names(sh, NULL, pattern, listed, &names, &n);
  lode_stmt *stmt = NULL;
  if (!failed && lode_prepare(sh->db, "PRAGMA database_list", -1, &stmt, NULL) == LODE_OK && stmt) {
    while (!failed && lode_step(stmt) == LODE_ROW) {
      const char *zdb = (const char *)lode_column_text(stmt, 1);
      if (zdb && strcmp(zdb, "main") != 0) failed = collect_names(sh, zdb, pattern, listed, &names, &n);
    }
  }
  lode_finalize(stmt);
  if (!failed) {
    if (n) qsort(names, n, sizeof(char *), cmp_names);
    print_in_columns(sh, (const char **)names, n);
  }
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  return failed;
}

int shell_dot_tables(Shell *sh, ShellArgs *a) { return list_names(sh, a, is_listed_table); }
int shell_dot_indexes(Shell *sh, ShellArgs *a) {
  if (a->argc > 2) {
    shell_error(sh, "Usage: .indexes ?LIKE-PATTERN?");
    return 1;
  }
  return list_names(sh, a, is_listed_index);
}

/* ---- .schema ---------------------------------------------------------------------- */

/* Prints a CREATE statement and ';' the way sqlite3's .schema and .dump do. */
static void print_create(Shell *sh, const char *sql) {
  if (strncmp(sql, CREATE_TABLE, CREATE_TABLE_LEN) == 0 &&
      (sql[CREATE_TABLE_LEN] == '"' || sql[CREATE_TABLE_LEN] == '\'')) {
    fprintf(sh->out, "CREATE TABLE IF NOT EXISTS %s;\n", sql + CREATE_TABLE_LEN);
  } else {
    fprintf(sh->out, "%s;\n", sql);
  }
}

/* "zdb." as sqlite3's .schema puts it before the objects of temp and
** attached databases: quoted only when not made of letters, digits and '_'. */
static void append_db_prefix(ShellBuf *b, const char *zdb) {
  int plain = *zdb != 0;
  for (const char *c = zdb; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_')) plain = 0;
  if (plain) shell_buf_appendz(b, zdb);
  else shell_append_quoted(b, zdb);
  shell_buf_appendz(b, ".");
}

/* sqlite3's .schema follows a view's CREATE with its columns as a comment
** on the next line, [zdb.]name(col,...) between comment marks, names quoted
** where they must be; none when the view's columns cannot be worked out (a
** table it reads is gone). */
static void print_view_columns(Shell *sh, const char *zdb, const char *name) {
  ShellBuf q = {0}, out = {0};
  lode_stmt *stmt = NULL;
  int n = 0;
  shell_buf_appendz(&q, "PRAGMA ");
  shell_append_quoted(&q, zdb ? zdb : "main");
  shell_buf_appendz(&q, ".table_info(");
  shell_append_quoted(&q, name);
  shell_buf_appendz(&q, ")");
  if (zdb) {
    append_db_prefix(&out, zdb);
  }
  shell_append_identifier(&out, name);
  shell_buf_appendz(&out, "(");
  if (!q.oom && lode_prepare(sh->db, q.z, -1, &stmt, NULL) == LODE_OK && stmt) {
    while (lode_step(stmt) == LODE_ROW) {
      const char *col = (const char *)lode_column_text(stmt, 1);
      if (n++) shell_buf_appendz(&out, ",");
      shell_append_identifier(&out, col ? col : "");
    }
  }
  lode_finalize(stmt);
  shell_buf_appendz(&out, ")");
  if (n && !out.oom) fprintf(sh->out, "\n/* %.*s */", (int)out.n, out.z);
  shell_buf_free(&q);
  shell_buf_free(&out);
}

/* Prints sql with "zdb." put before the object's name, as sqlite3's
** .schema shows the objects of temp and attached databases. */
static void print_create_in(Shell *sh, const char *zdb, const SchemaRow *r) {
  static const char *const heads[] = {"CREATE TABLE ", "CREATE INDEX ", "CREATE UNIQUE INDEX ", "CREATE VIEW ",
                                      "CREATE TRIGGER ", "CREATE VIRTUAL TABLE "};
  const char *sql = r->sql;
  for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
    size_t n = strlen(heads[i]);
    if (strncmp(sql, heads[i], n) != 0) continue;
    ShellBuf full = {0};
    shell_buf_append(&full, sql, n);
    append_db_prefix(&full, zdb);
    shell_buf_appendz(&full, sql + n);
    if (full.oom) {
      shell_buf_free(&full);
      break;
    }
    if (r->type && strcmp(r->type, "view") == 0) {
      fputs(full.z, sh->out);
      print_view_columns(sh, zdb, r->name);
      fputs(";\n", sh->out);
    } else {
      print_create(sh, full.z);
    }
    shell_buf_free(&full);
    return;
  }
  fprintf(sh->out, "%s;\n", sql);
}

static int schema_matches(const SchemaRow *r, const char *pattern) {
  if (!r->sql) return 0;
  return !pattern || (r->tbl && shell_like_escaped(pattern, r->tbl)) ||
         (r->name && shell_like_escaped(pattern, r->name));
}

/* The other databases' objects (temp, attached), after main's. */
static void schema_of_others(Shell *sh, const char *db_pattern, const char *pattern) {
  lode_stmt *list = NULL;
  if (lode_prepare(sh->db, "PRAGMA database_list", -1, &list, NULL) != LODE_OK || !list) return;
  while (lode_step(list) == LODE_ROW) {
    const char *zdb = (const char *)lode_column_text(list, 1);
    if (!zdb || strcmp(zdb, "main") == 0 || (db_pattern && !shell_like_escaped(db_pattern, zdb))) continue;
    char *name = strdup(zdb), *sql = malloc(2 * strlen(zdb) + 64);
    if (!name || !sql) {
      free(name);
      free(sql);
      break;
    }
    char *q = sql + sprintf(sql, "SELECT type, name, tbl_name, sql FROM \"");
    for (const char *c = zdb; *c; c++) {
      if (*c == '"') *q++ = '"';
      *q++ = *c;
    }
    strcpy(q, "\".sqlite_schema");
    lode_stmt *stmt = NULL;
    if (lode_prepare(sh->db, sql, -1, &stmt, NULL) == LODE_OK && stmt) {
      SchemaList l;
      memset(&l, 0, sizeof l);
      while (lode_step(stmt) == LODE_ROW)
        if (schema_add(&l, stmt) != LODE_OK) break;
      for (size_t i = 0; i < l.n; i++)
        if (schema_matches(&l.rows[i], pattern)) print_create_in(sh, name, &l.rows[i]);
      schema_free(&l);
    }
    lode_finalize(stmt);
    free(sql);
    free(name);
  }
  lode_finalize(list);
}

/* Prints z[0..n) and tail as sqlite3's .schema prints one line: when the tail ends the statement and the text
** holds a comment, whatever closes that comment ("*\/" or a newline) is added first; a CREATE TABLE whose name
** is quoted gets IF NOT EXISTS. */
static void schema_line(Shell *sh, const char *z, size_t n, const char *tail) {
  static const char *const closers[] = {"", "*/", "\n"};
  ShellBuf b = {0};
  shell_buf_append(&b, z, n);
  if (tail[0] == ';' && !b.oom && (strstr(b.z, "/*") || strstr(b.z, "--"))) {
    for (size_t i = 0; i < sizeof closers / sizeof closers[0]; i++) {
      size_t len = b.n;
      shell_buf_appendz(&b, closers[i]);
      shell_buf_appendz(&b, ";");
      if (!b.oom && lode_complete(b.z)) {
        b.z[--b.n] = 0;
        break;
      }
      b.n = len;
      if (b.z) b.z[len] = 0;
    }
  }
  if (b.oom) {
    shell_buf_free(&b);
    return;
  }
  char q = strncmp(b.z, CREATE_TABLE, CREATE_TABLE_LEN) == 0 ? b.z[CREATE_TABLE_LEN] : 0;
  if (q == '"' || q == '\'')
    fprintf(sh->out, "CREATE TABLE IF NOT EXISTS %s%s", b.z + CREATE_TABLE_LEN, tail);
  else
    fprintf(sh->out, "%s%s", b.z, tail);
  shell_buf_free(&b);
}

static int schema_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

/* Whether only spaces (or a -- comment) remain on this line of z. */
static int rest_of_line_blank(const char *z) {
  for (; *z && *z != '\n'; z++) {
    if (*z == '-' && z[1] == '-') return 1;
    if (!schema_space(*z)) return 0;
  }
  return 1;
}

/* .schema --indent, sqlite3's layout: runs of white space shrink to their first character (none after '(' or
** before '(' or ')'); a statement of 79 bytes or more then gets each column of its outer parentheses on a line
** of its own, indented by two spaces.  Views and triggers are printed as stored. */
static void print_pretty(Shell *sh, const char *sql) {
  size_t i, j = 0, len = strlen(sql);
  char *z, c, end = 0;
  int paren = 0, lines = 0;
  if (shell_like("CREATE VIEW%", sql) || shell_like("CREATE TRIG%", sql)) {
    fprintf(sh->out, "%s;\n", sql);
    return;
  }
  if (!(z = malloc(len + 1))) return;
  for (i = 0; schema_space(sql[i]); i++) {}
  for (; (c = sql[i]) != 0; i++) {
    if (schema_space(c)) {
      if (j > 0 && z[j - 1] == '\r') z[j - 1] = '\n';
      if (j > 0 && (schema_space(z[j - 1]) || z[j - 1] == '(')) continue;
    } else if ((c == '(' || c == ')') && j > 0 && schema_space(z[j - 1])) {
      j--;
    }
    z[j++] = c;
  }
  while (j > 0 && schema_space(z[j - 1])) j--;
  z[j] = 0;
  if (j >= 79) {
    for (i = j = 0; (c = z[i]) != 0; i++) {
      /* as sqlite3 does it, the brackets are counted inside quotes too */
      if (c == end) end = 0;
      else if (c == '"' || c == '\'' || c == '`') end = c;
      else if (c == '[') end = ']';
      else if (c == '-' && z[i + 1] == '-') end = '\n';
      else if (c == '(') paren++;
      else if (c == ')') {
        paren--;
        if (lines > 0 && paren == 0 && j > 0) {
          schema_line(sh, z, j, "\n");
          j = 0;
        }
      }
      z[j++] = c;
      if (paren == 1 && end == 0 && (c == '(' || c == '\n' || (c == ',' && !rest_of_line_blank(z + i + 1)))) {
        if (c == '\n') j--;
        schema_line(sh, z, j, "\n  ");
        j = 0;
        lines++;
        while (schema_space(z[i + 1])) i++;
      }
    }
    z[j] = 0;
  }
  schema_line(sh, z, strlen(z), ";\n");
  free(z);
}

int shell_dot_schema(Shell *sh, ShellArgs *a) {
  SchemaList l;
  char *pattern = NULL;
  int indent = 0, nosys = 0;
  for (int i = 1; i < a->argc; i++) {
    const char *z = a->argv[i], *opt = z + (z[0] == '-' && z[1] == '-' ? 2 : 1);
    if (z[0] == '-' && strcmp(opt, "indent") == 0) indent = 1;
    else if (z[0] == '-' && strcmp(opt, "nosys") == 0) nosys = 1;
    else if (z[0] == '-' && strcmp(opt, "debug") == 0) continue;
    else if (z[0] == '-') {
      shell_error(sh, "Unknown option: \"%s\"", z);
      return 1;
    } else if (!pattern) {
      pattern = a->argv[i];
    } else {
      shell_error(sh, "Usage: .schema ?--indent? ?--nosys? ?LIKE-PATTERN?");
      return 1;
    }
  }
  /* ".schema t;" as in Turso's manual */
  if (pattern && *pattern && pattern[strlen(pattern) - 1] == ';') pattern[strlen(pattern) - 1] = 0;
  /* "DB.NAME": NAME in the databases LIKE DB, as sqlite3 reads it */
  char *db_pattern = NULL, *dot = pattern ? strchr(pattern, '.') : NULL;
  if (dot) {
    *dot = 0;
    db_pattern = pattern;
    pattern = dot + 1;
  }
  if (schema_read(sh, &l)) return 1;
  for (size_t i = 0; i < l.n && !(db_pattern && !shell_like_escaped(db_pattern, "main")); i++) {
    const SchemaRow *r = &l.rows[i];
    if (!schema_matches(r, pattern)) continue;
    if (nosys && r->name && strncmp(r->name, "sqlite_", 7) == 0) continue;
    if (r->type && strcmp(r->type, "view") == 0) {
      fputs(r->sql, sh->out);
      print_view_columns(sh, NULL, r->name);
      fputs(";\n", sh->out);
    } else if (indent) {
      print_pretty(sh, r->sql);
    } else {
      print_create(sh, r->sql);
    }
  }
  schema_free(&l);
  schema_of_others(sh, db_pattern, pattern);
  return 0;
}

/* ---- .dump -------------------------------------------------------------------------- */

/* sqlite3's options of .dump that change what is written. */
typedef struct DumpOptions {
  int data_only;       /* --data-only: the INSERT statements alone */
  int nosys;           /* --nosys: no sqlite_sequence or sqlite_stat rows */
  int preserve_rowids; /* --preserve-rowids: rowids of rowid tables kept */
  int newlines;        /* --newlines: newlines in text as they are */
  const char **patterns; /* LIKE patterns (none: everything) */
  int npatterns;
} DumpOptions;

static int dump_matches(const DumpOptions *o, const char *name) {
  if (o->npatterns == 0) return 1;
  for (int i = 0; i < o->npatterns; i++) {
    if (shell_like_escaped(o->patterns[i], name)) return 1;
  }
  return 0;
}

/* The name under which a dump keeps table name's rowids, or NULL when
** INSERT * keeps them already or they cannot be kept: the first of rowid,
** _rowid_ and oid that is no column's name, for a rowid table whose rowid
** is no column's (no INTEGER PRIMARY KEY, or one declared "INTEGER PRIMARY
** KEY DESC", which SQLite backs with an index as it backs any other key). */
static const char *hidden_rowid_name(Shell *sh, const char *name) {
  static const char *const aliases[] = {"rowid", "_rowid_", "oid"};
  int taken[3] = {0, 0, 0};
  ShellBuf q = {0};
  lode_stmt *stmt = NULL;
  int pk = 0, ipk = 0, pk_index = 0, hidden = 0;
  shell_buf_appendz(&q, "PRAGMA table_info(");
  shell_append_identifier(&q, name);
  shell_buf_appendz(&q, ")");
  if (!q.oom && lode_prepare(sh->db, q.z, -1, &stmt, NULL) == LODE_OK) {
    while (lode_step(stmt) == LODE_ROW) {
      const char *col = (const char *)lode_column_text(stmt, 1);
      for (int i = 0; i < 3; i++)
        if (col && strcasecmp(col, aliases[i]) == 0) taken[i] = 1;
      if (lode_column_int(stmt, 5) == 0) continue;
      const char *type = (const char *)lode_column_text(stmt, 2);
      pk++;
      ipk = type && strcasecmp(type, "INTEGER") == 0;
    }
  }
  lode_finalize(stmt);
  if (pk == 1 && ipk) {
    q.n = 0;
    shell_buf_appendz(&q, "SELECT 1 FROM pragma_index_list(");
    shell_append_sql_string(&q, name, 0);
    shell_buf_appendz(&q, ") WHERE origin = 'pk'");
    stmt = NULL;
    pk_index = !q.oom && lode_prepare(sh->db, q.z, -1, &stmt, NULL) == LODE_OK && lode_step(stmt) == LODE_ROW;
    lode_finalize(stmt);
  }
  if (pk != 1 || !ipk || pk_index) {
    /* WITHOUT ROWID tables have no rowid to select */
    q.n = 0;
    shell_buf_appendz(&q, "SELECT rowid FROM ");
    shell_append_identifier(&q, name);
    stmt = NULL;
    hidden = !q.oom && lode_prepare(sh->db, q.z, -1, &stmt, NULL) == LODE_OK;
    lode_finalize(stmt);
  }
  shell_buf_free(&q);
  for (int i = 0; hidden && i < 3; i++)
    if (!taken[i]) return aliases[i];
  return NULL;
}

/* The columns a dump's INSERT gives values for, into q as a select list:
** "*", or, when the table has generated columns (which INSERT may not
** name) or its rowids are kept, the others by name, as sqlite3 dumps them.
** With rowids the INSERT names its columns too (names; else left empty). */
static void dump_column_list(Shell *sh, const char *name, const char *rowid, ShellBuf *q, ShellBuf *names) {
  ShellBuf pragma = {0}, cols = {0};
  lode_stmt *stmt = NULL;
  int generated = 0, n = 0;
  shell_buf_appendz(&pragma, "PRAGMA table_xinfo(");
  shell_append_identifier(&pragma, name);
  shell_buf_appendz(&pragma, ")");
  if (rowid) shell_buf_appendz(&cols, rowid);
  if (!pragma.oom && lode_prepare(sh->db, pragma.z, -1, &stmt, NULL) == LODE_OK) {
    while (lode_step(stmt) == LODE_ROW) {
      const char *col = (const char *)lode_column_text(stmt, 1);
      if (lode_column_int(stmt, 6) != 0) {
        generated = 1;
        continue;
      }
      if (n++ || rowid) shell_buf_append(&cols, ",", 1);
      shell_append_identifier(&cols, col ? col : "");
    }
  }
  lode_finalize(stmt);
  if ((generated || rowid) && n && !cols.oom) {
    shell_buf_append(q, cols.z, cols.n);
    if (rowid) {
      shell_buf_append(names, "(", 1);
      shell_buf_append(names, cols.z, cols.n);
      shell_buf_append(names, ")", 1);
    }
  } else {
    shell_buf_appendz(q, "*");
  }
  shell_buf_free(&pragma);
  shell_buf_free(&cols);
}

/* Prints every row of table name as INSERT statements.  Returns 0 or 1. */
static int dump_rows(Shell *sh, const char *name, const DumpOptions *o) {
  ShellBuf q = {0}, line = {0}, names = {0};
  lode_stmt *stmt = NULL;
  shell_buf_appendz(&q, "SELECT ");
  dump_column_list(sh, name, o->preserve_rowids ? hidden_rowid_name(sh, name) : NULL, &q, &names);
  shell_buf_appendz(&q, " FROM ");
  shell_append_identifier(&q, name);
  int rc = q.oom || names.oom ? LODE_NOMEM : lode_prepare(sh->db, q.z, -1, &stmt, NULL);
  while (rc == LODE_OK && stmt && (rc = lode_step(stmt)) == LODE_ROW) {
    line.n = 0;
    shell_buf_appendz(&line, "INSERT INTO ");
    shell_append_identifier(&line, name);
    if (names.n) shell_buf_append(&line, names.z, names.n);
    shell_buf_appendz(&line, " VALUES(");
    for (int i = 0; i < lode_column_count(stmt); i++) {
      if (i) shell_buf_append(&line, ",", 1);
      shell_append_sql_value(&line, stmt, i, (o->newlines ? 0 : SHELL_SQL_ESCAPE_NEWLINES) | SHELL_SQL_WHOLE_REALS);
    }
    shell_buf_appendz(&line, ");\n");
    if (line.oom) rc = LODE_NOMEM;
    else shell_write(sh, &line);
    if (rc == LODE_ROW) rc = LODE_OK;
  }
  int failed = rc != LODE_DONE && rc != LODE_OK;
  if (failed) shell_error(sh, "Error: dumping table %s: %s", name, lode_errmsg(sh->db));
  lode_finalize(stmt);
  shell_buf_free(&q);
  shell_buf_free(&line);
  shell_buf_free(&names);
  return failed;
}

/* A virtual table's row goes back in as it is, under writable_schema (its
** module may not exist where the dump is read), and its rows stay out. */
static void dump_virtual_table(Shell *sh, const SchemaRow *r, int *writable) {
  ShellBuf line = {0};
  if (!*writable) fputs("PRAGMA writable_schema=ON;\n", sh->out);
  *writable = 1;
  shell_buf_appendz(&line, "INSERT INTO sqlite_schema(type,name,tbl_name,rootpage,sql)VALUES('table',");
  shell_append_sql_string(&line, r->name, 0);
  shell_buf_append(&line, ",", 1);
  shell_append_sql_string(&line, r->name, 0);
  shell_buf_appendz(&line, ",0,");
  shell_append_sql_string(&line, r->sql, 0);
  shell_buf_appendz(&line, ");\n");
  if (!line.oom) shell_write(sh, &line);
  shell_buf_free(&line);
}

static int dump_table(Shell *sh, const SchemaRow *r, int *writable, const DumpOptions *o) {
  int sys = strncmp(r->name, "sqlite_", 7) == 0;
  if (strncmp(r->sql, "CREATE VIRTUAL TABLE", 20) == 0 && !sys) {
    if (!o->data_only) dump_virtual_table(sh, r, writable);
    return 0;
  }
  if (sys && o->nosys) return 0;
  if (strcmp(r->name, "sqlite_sequence") == 0) {
    if (!o->data_only) fputs("DELETE FROM sqlite_sequence;\n", sh->out);
  } else if (strncmp(r->name, "sqlite_stat", 11) == 0) {
    if (!o->data_only) fputs("ANALYZE sqlite_schema;\n", sh->out);
  } else if (sys) {
    return 0;
  } else if (!o->data_only) {
    print_create(sh, r->sql);
  }
  return dump_rows(sh, r->name, o);
}

/* Reads sqlite3's options ("-x" or "--x") and patterns.  Returns 0, or 1
** after saying which option is unknown. */
static int dump_options(Shell *sh, ShellArgs *a, DumpOptions *o) {
  memset(o, 0, sizeof *o);
  o->patterns = (const char **)a->argv + 1;
  for (int i = 1; i < a->argc; i++) {
    const char *z = a->argv[i];
    if (z[0] != '-') {
      o->patterns[o->npatterns++] = z;
      continue;
    }
    const char *opt = z + (z[1] == '-' ? 2 : 1);
    if (strcmp(opt, "data-only") == 0) o->data_only = 1;
    else if (strcmp(opt, "nosys") == 0) o->nosys = 1;
    else if (strcmp(opt, "preserve-rowids") == 0) o->preserve_rowids = 1;
    else if (strcmp(opt, "newlines") == 0) o->newlines = 1;
    else {
      shell_error(sh, "Unknown option \"%s\" on \".dump\"", z);
      return 1;
    }
  }
  return 0;
}

int shell_dot_dump(Shell *sh, ShellArgs *a) {
  SchemaList l;
  DumpOptions o;
  int failed = 0, writable = 0;
  if (dump_options(sh, a, &o) || schema_read(sh, &l)) return 1;
  if (!o.data_only) fputs("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n", sh->out);
  /* Tables first (sqlite_sequence last, as its rows refer to the others),
  ** then the objects that depend on tables. */
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < l.n; i++) {
      const SchemaRow *r = &l.rows[i];
      if (!r->sql || !r->name || !is_type(r, "table") || !dump_matches(&o, r->name)) continue;
      if ((strcmp(r->name, "sqlite_sequence") == 0) != pass) continue;
      failed |= dump_table(sh, r, &writable, &o);
    }
  }
  for (size_t i = 0; i < l.n && !o.data_only; i++) {
    const SchemaRow *r = &l.rows[i];
    if (!r->sql || !r->name || is_type(r, "table") || !dump_matches(&o, r->name)) continue;
    fprintf(sh->out, "%s;\n", r->sql);
  }
  if (writable) fputs("PRAGMA writable_schema=OFF;\n", sh->out);
  if (!o.data_only) fputs("COMMIT;\n", sh->out);
  schema_free(&l);
  return failed;
}

/* ---- .fullschema ---------------------------------------------------------------------- */

/* The CREATE statements of main and temp (as sqlite3 lists them: without
** the views' column comments or the temp objects' "temp.", in rowid
** order), then the statistics ANALYZE keeps, as statements that restore
** them, or a note that there are none. */
int shell_dot_fullschema(Shell *sh, ShellArgs *a) {
  static const char *const stats[] = {"sqlite_stat1", "sqlite_stat4"};
  lode_stmt *stmt = NULL;
  int have_stats = 0, failed = 0;
  if (a->argc > 1) {
    shell_error(sh, "Usage: .fullschema (--indent is not supported)");
    return 1;
  }
  if (lode_prepare(sh->db,
                   "SELECT sql FROM (SELECT sql, type, name, rowid AS x FROM main.sqlite_schema UNION ALL "
                   "SELECT sql, type, name, rowid FROM temp.sqlite_schema) "
                   "WHERE type != 'meta' AND sql NOTNULL AND name NOT LIKE 'sqlite_%' ORDER BY x",
                   -1, &stmt, NULL) != LODE_OK) {
    shell_error(sh, "Error: %s", lode_errmsg(sh->db));
    return 1;
  }
  while (lode_step(stmt) == LODE_ROW) print_create(sh, (const char *)lode_column_text(stmt, 0));
  lode_finalize(stmt);
  stmt = NULL;
  if (lode_prepare(sh->db, "SELECT 1 FROM main.sqlite_schema WHERE name GLOB 'sqlite_stat[134]'", -1, &stmt,
                   NULL) == LODE_OK)
    have_stats = lode_step(stmt) == LODE_ROW;
  lode_finalize(stmt);
  if (!have_stats) {
    fputs("/* No STAT tables available */\n", sh->out);
    return 0;
  }
  fputs("ANALYZE sqlite_schema;\n", sh->out);
  for (size_t i = 0; i < sizeof stats / sizeof stats[0]; i++) {
    stmt = NULL;
    ShellBuf q = {0};
    shell_buf_appendz(&q, "SELECT 1 FROM main.sqlite_schema WHERE name = '");
    shell_buf_appendz(&q, stats[i]);
    shell_buf_appendz(&q, "'");
    int exists = !q.oom && lode_prepare(sh->db, q.z, -1, &stmt, NULL) == LODE_OK && lode_step(stmt) == LODE_ROW;
    lode_finalize(stmt);
    shell_buf_free(&q);
    DumpOptions plain;
    memset(&plain, 0, sizeof plain);
    if (exists) failed |= dump_rows(sh, stats[i], &plain);
  }
  fputs("ANALYZE sqlite_schema;\n", sh->out);
  return failed;
}
