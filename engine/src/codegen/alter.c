/*
** alter.c — ALTER TABLE (RENAME TO, ADD COLUMN, RENAME COLUMN; DROP COLUMN in drop_column.c) to bytecode.
**
** None of those three touches a table or index b-tree: each rewrites rows of
** sqlite_schema in place (same rowid, type and rootpage kept), bumps the
** schema cookie (header offset 40) and reloads the schema.  The new texts
** are computed here, at compile time, by editing the stored texts token by
** token the way SQLite does (tokens classified by what they name, see
** classify_table and classify_index):
**   - RENAME TO: the table's name in its CREATE TABLE, after ON in each of
**     its CREATE INDEX texts, as a qualifier ("t.a") and after REFERENCES in
**     any table becomes the new name, always quoted; its index rows get the
**     new tbl_name, its autoindexes the name sqlite_autoindex_<new>_<N>;
**   - ADD COLUMN inserts ", <coldef as written>" before the first table
**     constraint or the ')' that closes the column list; indexes keep their
**     text and entries (the new column is last, no column number moves);
**   - RENAME COLUMN replaces the column's name in its definition, in the
**     PRIMARY KEY/UNIQUE/FOREIGN KEY lists, CHECK and generated-column
**     expressions, in the keys, expressions and WHERE of the table's
**     indexes and in REFERENCES clauses naming the table.  A replacement is
**     written as the ALTER wrote the new name, quoted when the replaced token
**     or the new name was.  Before that, as SQLite does, every double-quoted
**     string literal in an expression of any table or index becomes
**     single-quoted, so that no rename can turn it into a column reference.
** Rows already stored are not rewritten: a record shorter than the table
** reads the trailing columns' DEFAULT (OP_Column's p4, see expr.c), which
** is why ADD COLUMN refuses a non-constant default or a NOT NULL column
** without one on a table that has rows, as SQLite does.
** (A WITHOUT ROWID table's records hold its PRIMARY KEY columns first and
** the others after them in declaration order, so an added column is last
** there too.)
** DROP COLUMN is drop_column.c's (it rewrites the rows).
** ADD COLUMN then checks the rows as SQLite does (verify_rows): NOT NULL
** and CHECK constraints must hold for what they read of the new column.
** Views and triggers (of the table's database and TEMP) are rewritten as
** SQLite rewrites them: each is compiled with Parse.rename set, and name
** resolution notes every name of its stored text (the nodes parsed from it
** point at it: Expr.src, SrcItem.src) that resolves to the table or column
** renamed; those tokens are replaced.  Names no expression holds are found
** from the tokens: a trigger's ON table and its statements' target tables
** (classify_trigger), and for a column its UPDATE OF list, INSERT column
** lists, SET columns and upsert targets (mark_trigger_columns).  A view or
** trigger that fails to compile refuses the ALTER ("error in view v: …"),
** and so does one that fails with its new text against the table as it
** will be ("error in view v after rename: …").  The compile checks what
** SQLite's resolver checks, not what running needs (Parse.rename): window
** calls are stand-ins wherever they are, unknown functions and collations
** and subqueries of the wrong width pass, every window and CTE the text
** defines is resolved even when unused, and a compound's ORDER BY terms
** are renamed with the result columns they name.  Under legacy_alter_table
** RENAME TO leaves "old.col" in the table's CHECK and indexes, which fails
** SQLite's check of them (check_legacy_rename).
*/
#include <string.h>

#include "codegen/cg.h"
#include "sql/parser.h"
#include "sql/token.h"

#define SCHEMA_COLUMNS 5
#define SCHEMA_AFFINITY "BBBDB" /* type, name, tbl_name: TEXT; rootpage: INTEGER; sql: TEXT */
#define SCHEMA_COL_NAME 1
#define SCHEMA_COL_TBL 2
#define SCHEMA_COL_SQL 4

static void emit_string(Parse *p, const char *z, int target) {
  if (vdbe_add_op4(p->v, OP_String8, (int)strlen(z), target, 0, P4_STRING, z, (int)strlen(z)) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
}

/* "x" with embedded quotes doubled: SQLite writes renamed names so. */
static char *quoted_name(const char *name) {
  StrBuf b;
  strbuf_init(&b);
  strbuf_appendc(&b, '"');
  for (; *name; name++) {
    if (*name == '"') strbuf_appendc(&b, '"');
    strbuf_appendc(&b, *name);
  }
  strbuf_appendc(&b, '"');
  return strbuf_finish(&b);
}

/* The next non-space token of sql at *pos: its code, start and length. */
static int next_token(const char *sql, const char *end, int *pos, int *start) {
  int code = TK_SPACE, n;
  while (sql + *pos < end) {
    n = sql_token_get(sql + *pos, end, &code);
    *start = *pos;
    *pos += n;
    if (code != TK_SPACE) return code;
  }
  *start = *pos;
  return TK_SEMI;
}

/* Keywords that start a table constraint (not a column definition). */
static int starts_table_constraint(int code) {
  return code == TK_CONSTRAINT || code == TK_PRIMARY || code == TK_UNIQUE || code == TK_CHECK || code == TK_FOREIGN;
}

/* Offset where SQLite inserts an added column: the comma before the first
** table constraint, else the ')' closing the column list; -1 if neither. */
static int column_list_end(const char *sql) {
  const char *end = sql + strlen(sql);
  int pos = 0, start, depth = 0, code;
  while (sql + pos < end) {
    code = next_token(sql, end, &pos, &start);
    if (code == TK_LP) depth++;
    if (code == TK_RP && --depth == 0) return start;
    if (code == TK_COMMA && depth == 1) {
      int after = pos, s2;
      if (starts_table_constraint(next_token(sql, end, &after, &s2))) return start;
    }
  }
  return -1;
}

static char *sql_add_column(const char *sql, const char *coldef) {
  int off = column_list_end(sql);
  if (off < 0) return NULL;
  return util_mprintf("%.*s, %s%s", off, sql, coldef, sql + off);
}

/* ---- what the tokens of a stored CREATE statement name ----------------------------- */

/* What a token of a stored CREATE TABLE or CREATE INDEX names, as far as a
** rename is concerned.  SQLite finds these by resolving the names of the
** parsed statement; the roles are found from the token sequence instead,
** which gives the same answers for the shapes of definition sqlite3 accepts
** (a keyword used as a name counts as one unless it follows a complete
** operand, where it can only be an operator or modifier such as DESC). */
enum {
  ROLE_NONE,
  ROLE_TABLE,     /* the table the statement creates, or indexes (after ON) */
  ROLE_COLDEF,    /* the name of a column definition */
  ROLE_KEYCOL,    /* a column of a PRIMARY KEY, UNIQUE or FOREIGN KEY column list */
  ROLE_REF_TABLE, /* the table after REFERENCES */
  ROLE_REF_COL,   /* a column of that table: REFERENCES p(col); link: the table's token */
  ROLE_QUALIFIER, /* t of "t.col" in an expression */
  ROLE_COLUMN,    /* a name in an expression: a column (link: its qualifier, -1 if none),
                  ** or, double-quoted and naming no column, a string literal */
};

typedef struct Tok {
  int code;
  int start, len;
  int role; /* ROLE_* */
  int link;
  char *repl; /* replacement text, or NULL */
} Tok;

typedef struct SqlText {
  const char *sql;
  Tok *tok; /* the tokens, spaces and comments left out */
  int n;
} SqlText;

static void text_free(SqlText *x) {
  for (int i = 0; i < x->n; i++) util_free(x->tok[i].repl);
  util_free(x->tok);
  x->tok = NULL;
  x->n = 0;
}

static int text_tokenize(SqlText *x, const char *sql) {
  const char *end = sql + strlen(sql);
  int pos = 0, cap = 0;
  x->sql = sql;
  x->tok = NULL;
  x->n = 0;
  while (sql + pos < end) {
    int code, n = sql_token_get(sql + pos, end, &code);
    if (code != TK_SPACE) {
      if (x->n == cap) {
        Tok *grown = util_realloc(x->tok, sizeof(Tok) * (size_t)(cap ? cap * 2 : 32));
        if (!grown) {
          text_free(x);
          return LODE_NOMEM;
        }
        x->tok = grown;
        cap = cap ? cap * 2 : 32;
      }
      x->tok[x->n++] = (Tok){code, pos, n, ROLE_NONE, -1, NULL};
    }
    pos += n;
  }
  return LODE_OK;
}

static int code_at(const SqlText *x, int i) { return i >= 0 && i < x->n ? x->tok[i].code : TK_EOF; }

/* Tokens after which an operand is complete: a keyword there is an operator
** or modifier (DESC, COLLATE, IS, ...), never a name. */
static int ends_operand(int code) {
  return code == TK_ID || code == TK_STRING || code == TK_INTEGER || code == TK_FLOAT || code == TK_BLOB ||
         code == TK_VARIABLE || code == TK_RP || code == TK_NULL || code == TK_CURRENT_DATE ||
         code == TK_CURRENT_TIME || code == TK_CURRENT_TIMESTAMP;
}

static int is_name_at(const SqlText *x, int i) {
  int code = code_at(x, i);
  return code == TK_ID || (sql_keyword_fallback(code) && !ends_operand(code_at(x, i - 1)));
}

/* Token i of an expression: a column, a qualifier, or neither (function and
** collation names). */
static void classify_expr_token(SqlText *x, int i) {
  Tok *t = &x->tok[i];
  int prev = code_at(x, i - 1), next = code_at(x, i + 1);
  if (!is_name_at(x, i) || prev == TK_COLLATE || next == TK_LP) return;
  if (next == TK_DOT) {
    if (!(is_name_at(x, i + 2) && code_at(x, i + 3) == TK_DOT)) t->role = ROLE_QUALIFIER; /* else "schema.t.col" */
    return;
  }
  if (prev == TK_DOT) {
    if (x->tok[i - 2].role != ROLE_QUALIFIER) return;
    t->link = i - 2;
  }
  t->role = ROLE_COLUMN;
}

/* The tokens of an expression from token i on, until the ')' that leaves
** depth 0 relative to i (or the end); returns the index after the last
** token.  The type name of a CAST (after AS) names nothing. */
static int classify_expr(SqlText *x, int i) {
  int depth = 0, cast = -1;
  for (; i < x->n; i++) {
    int code = x->tok[i].code;
    if (code == TK_LP) {
      depth++;
    } else if (code == TK_RP) {
      if (depth == cast) cast = -1;
      if (--depth < 0) break;
    } else if (cast < 0) {
      if (code == TK_AS) cast = depth;
      else classify_expr_token(x, i);
    }
  }
  return i;
}

/* Skips "[schema.]name" at *i; returns the name's token. */
static int object_name(const SqlText *x, int *i) {
  if (code_at(x, *i + 1) == TK_DOT) *i += 2;
  return (*i)++;
}

/* CREATE [UNIQUE] INDEX [IF NOT EXISTS] [schema.]name ON table (key, ...) [WHERE expr].
** A string literal standing alone as a key names a column, as in SQLite. */
static void classify_index(SqlText *x) {
  int i = 0;
  while (i < x->n && x->tok[i].code != TK_ON) i++;
  if (++i >= x->n) return;
  x->tok[object_name(x, &i)].role = ROLE_TABLE;
  for (int j = i; j < x->n; j++) {
    int prev = code_at(x, j - 1), next = code_at(x, j + 1);
    if (x->tok[j].code == TK_STRING && (prev == TK_LP || prev == TK_COMMA) &&
        (next == TK_COMMA || next == TK_RP || next == TK_ASC || next == TK_DESC))
      x->tok[j].role = ROLE_COLUMN;
  }
  classify_expr(x, i);
}

/* CREATE TRIGGER name ... ON table [WHEN e] BEGIN steps END: the table
** after ON (when on_target: the trigger is on the table renamed), the tables the steps name (INSERT INTO t, UPDATE [OR x] t,
** FROM t / JOIN t and the items after a comma of a FROM list) and the
** qualifiers of the expressions.  The column names inside are not
** classified (RENAME COLUMN in a schema with triggers is refused). */
static void classify_trigger(SqlText *x, int on_target) {
  int i = 0;
  while (i < x->n && x->tok[i].code != TK_ON) i++;
  if (++i >= x->n) return;
  int on = object_name(x, &i);
  if (on_target) x->tok[on].role = ROLE_TABLE;
  for (int j = i; j < x->n; j++) { /* t of t.col (not of schema.t.col) */
    if (is_name_at(x, j) && code_at(x, j + 1) == TK_DOT && code_at(x, j - 1) != TK_DOT &&
        !(is_name_at(x, j + 2) && code_at(x, j + 3) == TK_DOT))
      x->tok[j].role = ROLE_QUALIFIER;
  }
  for (int j = i; j < x->n; j++) {
    int code = x->tok[j].code, k = j + 1;
    if (code == TK_UPDATE && code_at(x, k) == TK_OR) k += 2;
    if (code != TK_INTO && code != TK_UPDATE && code != TK_FROM && code != TK_JOIN) continue;
    while (is_name_at(x, k) || code_at(x, k) == TK_STRING) {
      int name = k;
      if (code_at(x, k + 1) == TK_DOT) name = k += 2; /* schema.table */
      x->tok[name].role = ROLE_TABLE;
      k++;
      if (code != TK_FROM) break;
      if (code_at(x, k) == TK_AS) k++;
      if (is_name_at(x, k) && code_at(x, k) != TK_WHERE && code_at(x, k) != TK_JOIN) k++; /* the alias */
      if (code_at(x, k) != TK_COMMA) break;
      k++;
    }
  }
}

/* What the parenthesised groups of a CREATE TABLE's column list hold. */
enum { GROUP_NONE, GROUP_EXPR, GROUP_KEYS, GROUP_REFS };

/* CREATE [TEMP] TABLE [IF NOT EXISTS] [schema.]name (coldef | constraint, ...) [options] */
static void classify_table(SqlText *x) {
  int i = 0, elem, pending = GROUP_NONE, ref = -1;
  while (i < x->n && x->tok[i].code != TK_TABLE) i++;
  i++;
  if (code_at(x, i) == TK_IF) i += 3;
  if (i >= x->n) return;
  x->tok[object_name(x, &i)].role = ROLE_TABLE;
  if (code_at(x, i) != TK_LP) return; /* CREATE TABLE ... AS SELECT */
  elem = ++i;
  for (; i < x->n; i++) {
    Tok *t = &x->tok[i];
    int code = t->code;
    if (code == TK_RP) break;
    if (code == TK_COMMA) {
      elem = i + 1;
      pending = GROUP_NONE;
    } else if (code == TK_LP) {
      int end = i + 1;
      if (pending == GROUP_EXPR) {
        end = classify_expr(x, i + 1);
      } else {
        for (int depth = 1; end < x->n && depth > 0; end++) {
          Tok *k = &x->tok[end];
          if (k->code == TK_LP) depth++;
          else if (k->code == TK_RP) depth--;
          else if (pending == GROUP_KEYS && is_name_at(x, end) && code_at(x, end - 1) != TK_COLLATE)
            k->role = ROLE_KEYCOL;
          else if (pending == GROUP_REFS && is_name_at(x, end)) {
            k->role = ROLE_REF_COL;
            k->link = ref;
          }
        }
        end--;
      }
      i = end; /* the group's ')' */
      pending = GROUP_NONE;
    } else if (i == elem && !starts_table_constraint(code)) {
      if (is_name_at(x, i) || code == TK_STRING) t->role = ROLE_COLDEF;
    } else if (code == TK_REFERENCES) {
      if (is_name_at(x, i + 1) || code_at(x, i + 1) == TK_STRING) {
        x->tok[++i].role = ROLE_REF_TABLE;
        ref = i;
      }
      pending = GROUP_REFS;
    } else if (code == TK_CHECK || code == TK_AS) {
      pending = GROUP_EXPR;
    } else if (code == TK_PRIMARY || code == TK_UNIQUE || code == TK_FOREIGN) {
      pending = GROUP_KEYS;
    } else if (code != TK_KEY) {
      pending = GROUP_NONE;
    }
  }
}

/* ---- rewriting ------------------------------------------------------------------- */

/* The token's text dequoted. */
static char *token_text(const SqlText *x, int i) {
  const Tok *t = &x->tok[i];
  const char *z = x->sql + t->start;
  char close;
  StrBuf b;
  if (t->len < 2 || (z[0] != '"' && z[0] != '`' && z[0] != '[' && z[0] != '\''))
    return util_mprintf("%.*s", t->len, z);
  close = z[0] == '[' ? ']' : z[0];
  strbuf_init(&b);
  for (int k = 1; k < t->len - 1; k++) {
    strbuf_appendc(&b, z[k]);
    if (z[k] == close && close != ']' && k + 1 < t->len - 1 && z[k + 1] == close) k++;
  }
  return strbuf_finish(&b);
}

/* 1 if token i names name (dequoted, ignoring case). */
static int token_is(const SqlText *x, int i, const char *name) {
  char *z = i >= 0 && i < x->n ? token_text(x, i) : NULL;
  int same = z && util_stricmp(z, name) == 0;
  util_free(z);
  return same;
}

static int is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         (unsigned char)c >= 0x80;
}

/* Replaces token i by a new name as SQLite does: as written when neither the
** token nor the ALTER's new name is quoted, else in double quotes (followed by
** a space when a '"' follows the token, so that the two do not merge). */
static int replace_name(SqlText *x, int i, const char *name, int quote) {
  Tok *t = &x->tok[i];
  const char *z = x->sql + t->start;
  util_free(t->repl);
  if (!quote && is_id_char(z[0])) {
    t->repl = util_strdup(name);
  } else {
    char *q = quoted_name(name);
    t->repl = q ? util_mprintf("%s%s", q, z[t->len] == '"' ? " " : "") : NULL;
    util_free(q);
  }
  return t->repl ? LODE_OK : LODE_NOMEM;
}

/* A double-quoted string literal becomes single-quoted (followed by a space
** when a '\'' follows it, so that the two do not merge). */
static int replace_with_literal(SqlText *x, int i) {
  Tok *t = &x->tok[i];
  char *z = token_text(x, i);
  StrBuf b;
  if (!z) return LODE_NOMEM;
  strbuf_init(&b);
  strbuf_appendc(&b, '\'');
  for (const char *c = z; *c; c++) {
    if (*c == '\'') strbuf_appendc(&b, '\'');
    strbuf_appendc(&b, *c);
  }
  strbuf_appendc(&b, '\'');
  if (x->sql[t->start + t->len] == '\'') strbuf_appendc(&b, ' ');
  util_free(z);
  util_free(t->repl);
  t->repl = strbuf_finish(&b);
  return t->repl ? LODE_OK : LODE_NOMEM;
}

/* The text with every replacement made; NULL when there is none (or on oom, *rc set). */
static char *text_render(const SqlText *x, int *rc) {
  StrBuf b;
  int copied = 0, any = 0;
  strbuf_init(&b);
  for (int i = 0; i < x->n; i++) {
    const Tok *t = &x->tok[i];
    if (!t->repl) continue;
    strbuf_append(&b, x->sql + copied, (size_t)(t->start - copied));
    strbuf_appendz(&b, t->repl);
    copied = t->start + t->len;
    any = 1;
  }
  if (!any) {
    strbuf_reset(&b);
    return NULL;
  }
  strbuf_appendz(&b, x->sql + copied);
  char *r = strbuf_finish(&b);
  if (!r) *rc = LODE_NOMEM;
  return r;
}

/* ---- the rows to rewrite ----------------------------------------------------------- */

/* One sqlite_schema row to rewrite, found by its name; type and rootpage are kept. */
typedef struct SchemaEdit {
  const char *type;     /* the row's type (a trigger may have a table's name) */
  const char *name;     /* the row's name now */
  char *new_name;       /* NULL: keep */
  const char *new_tbl;  /* NULL: keep */
  char *sql;            /* NULL: keep */
} SchemaEdit;

typedef struct EditList {
  SchemaEdit *a;
  int n;
  int rc;
} EditList;

static SchemaEdit *edit_add(EditList *l, const char *name) {
  SchemaEdit *grown = util_realloc(l->a, sizeof(SchemaEdit) * (size_t)(l->n + 1));
  if (!grown) {
    l->rc = LODE_NOMEM;
    return NULL;
  }
  l->a = grown;
  grown[l->n] = (SchemaEdit){NULL, name, NULL, NULL, NULL};
  return &grown[l->n++];
}

static void edits_free(EditList *l) {
  for (int i = 0; i < l->n; i++) {
    util_free(l->a[i].new_name);
    util_free(l->a[i].sql);
  }
  util_free(l->a);
}

/* The rename to apply to the texts of the schema. */
typedef struct Rename {
  const Table *table;  /* the table altered */
  const char *old;     /* RENAME TO: NULL; RENAME COLUMN: the column's name */
  const char *new;     /* the new table or column name */
  int quote;           /* RENAME COLUMN: the new name was written quoted */
  /* PRAGMA legacy_alter_table (SQLite before 3.26).  RENAME TO: only the
  ** table's own CREATE TABLE name and the ON targets of its indexes and
  ** triggers change (and REFERENCES clauses, with foreign_keys on); views and
  ** trigger bodies keep their text and are not checked.  RENAME COLUMN works
  ** as without it, but a view or trigger that does not compile fails it with
  ** a bare "SQL logic error", as SQLite's does. */
  int legacy, legacy_refs;
} Rename;

/* Is "name" (double-quoted in an expression of table t) a column of t? */
static int names_column(const Table *t, const char *name) {
  if (table_column_index(t, name) >= 0) return 1;
  return !t->without_rowid && (util_stricmp(name, "rowid") == 0 || util_stricmp(name, "oid") == 0 ||
                               util_stricmp(name, "_rowid_") == 0);
}

/* Marks the replacements of a rename in the classified text of an object of
** table owner (the table itself, or one of its indexes). */
static int mark_rename(SqlText *x, const Table *owner, const Rename *r) {
  int own = owner == r->table, rc = LODE_OK;
  for (int i = 0; i < x->n && rc == LODE_OK; i++) {
    Tok *t = &x->tok[i];
    if (!r->old) { /* RENAME TO */
      int renames = r->legacy ? (t->role == ROLE_TABLE && own) || (t->role == ROLE_REF_TABLE && r->legacy_refs)
                              : t->role == ROLE_TABLE || t->role == ROLE_QUALIFIER || t->role == ROLE_REF_TABLE;
      if (renames && token_is(x, i, r->table->name)) rc = replace_name(x, i, r->new, 1);
      continue;
    }
    if (t->role == ROLE_COLUMN && t->link < 0 && x->sql[t->start] == '"' && t->code == TK_ID) {
      /* Double-quoted names that are no column are string literals: SQLite
      ** rewrites them as such in every object before renaming. */
      char *z = token_text(x, i);
      if (!z) return LODE_NOMEM;
      int literal = !names_column(owner, z);
      util_free(z);
      if (literal) {
        rc = replace_with_literal(x, i);
        continue;
      }
    }
    int match = 0;
    switch (t->role) {
    case ROLE_COLDEF:
    case ROLE_KEYCOL: match = own; break;
    case ROLE_COLUMN: match = own && (t->link < 0 || token_is(x, t->link, r->table->name)); break;
    case ROLE_REF_COL: match = token_is(x, t->link, r->table->name); break;
    default: break;
    }
    if (match && token_is(x, i, r->old)) rc = replace_name(x, i, r->new, r->quote);
  }
  return rc;
}

/* The text of an object after the rename, or NULL when it does not change
** (or on oom, *rc set). */
enum { TEXT_TABLE, TEXT_INDEX, TEXT_TRIGGER };

/* The offsets of the names and strings expression e holds, as parsed. */
typedef struct Offsets {
  int *at;
  int n, cap, oom;
} Offsets;

static void offsets_of(Offsets *o, const Expr *e) {
  if (!e) return;
  if ((e->kind == EXPR_COLUMN || e->kind == EXPR_STRING) && !o->oom) {
    if (o->n == o->cap) {
      int cap = o->cap ? 2 * o->cap : 16, *grown = util_realloc(o->at, sizeof(int) * (size_t)cap);
      if (!grown) {
        o->oom = 1;
        return;
      }
      o->at = grown;
      o->cap = cap;
    }
    o->at[o->n++] = e->offset;
  }
  offsets_of(o, e->left);
  offsets_of(o, e->right);
  offsets_of(o, e->escape);
  offsets_of(o, e->filter);
  for (int i = 0; e->args && i < e->args->n; i++) offsets_of(o, e->args->items[i]);
}

static int has_offset(const Offsets *o, int at) {
  for (int i = 0; i < o->n; i++)
    if (o->at[i] == at) return 1;
  return 0;
}

/* The names of a table's or index's expressions that its parsed statement
** does not hold are no names: SQLite's parser drops the operand of
** "x IN ()", which is not renamed then.  (A text that does not parse is
** left as classified.) */
static int drop_unparsed_names(SqlText *x, int kind) {
  Arena arena;
  Stmt *st = NULL;
  char *err = NULL;
  Offsets o = {NULL, 0, 0, 0};
  arena_init(&arena);
  if (sql_parse_stored(&arena, x->sql, -1, &st, NULL, &err) == LODE_OK && st) {
    if (kind == TEXT_INDEX) {
      for (int i = 0; i < st->nindexed; i++) offsets_of(&o, st->indexed[i].expr);
      offsets_of(&o, st->index_where);
    } else {
      for (int i = 0; i < st->ncoldefs; i++) offsets_of(&o, st->coldefs[i].gen_expr);
      for (int i = 0; i < st->nconstraints; i++) offsets_of(&o, st->constraints[i].check);
    }
    for (int i = 0; i < x->n && !o.oom; i++) {
      Tok *t = &x->tok[i];
      if (t->role != ROLE_COLUMN && t->role != ROLE_QUALIFIER) continue;
      int first = i; /* a name's node starts at its first qualifier: "schema.table.col" */
      while (first >= 2 && code_at(x, first - 1) == TK_DOT && is_name_at(x, first - 2)) first -= 2;
      if (!has_offset(&o, x->tok[first].start)) t->role = ROLE_NONE;
    }
  }
  util_free(err);
  util_free(o.at);
  arena_free(&arena);
  return o.oom ? LODE_NOMEM : LODE_OK;
}

static char *renamed_sql(const char *sql, int kind, const Table *owner, const Rename *r, int *rc) {
  SqlText x;
  char *out = NULL;
  if (!sql) return NULL;
  if (text_tokenize(&x, sql) != LODE_OK) {
    *rc = LODE_NOMEM;
    return NULL;
  }
  if (kind == TEXT_INDEX) classify_index(&x);
  else if (kind == TEXT_TRIGGER) classify_trigger(&x, 1);
  else classify_table(&x);
  if (kind != TEXT_TRIGGER && drop_unparsed_names(&x, kind) != LODE_OK) *rc = LODE_NOMEM;
  else if (mark_rename(&x, owner, r) != LODE_OK) *rc = LODE_NOMEM;
  else out = text_render(&x, rc);
  text_free(&x);
  return out;
}

/* ---- views and triggers: names found by compiling them ------------------------------ */

/* A place in a stored text that a rename changes: the name token at
** offset, after skip "name." qualifiers; literal: a "double-quoted"
** string to single-quote instead. */
typedef struct RenameNote {
  int offset, skip, literal;
} RenameNote;

typedef struct RenameTrack RenameTrack;
struct RenameTrack {
  const char *text;   /* the stored text being compiled (the nodes parsed from it point at it) */
  const Table *table; /* the table renamed, or whose column is */
  int col;            /* RENAME COLUMN: the column; -1: RENAME TO */
  RenameNote *a;
  int n, cap, oom;
};

static void track_add(RenameTrack *t, int offset, int skip, int literal) {
  if (t->n == t->cap) {
    int cap = t->cap ? 2 * t->cap : 16;
    RenameNote *grown = util_realloc(t->a, sizeof(RenameNote) * (size_t)cap);
    if (!grown) {
      t->oom = 1;
      return;
    }
    t->a = grown;
    t->cap = cap;
  }
  t->a[t->n++] = (RenameNote){offset, skip, literal};
}

void cg_rename_note_term(Parse *p, const Expr *e, const Table *t, int col) {
  RenameTrack *r = p->rename;
  if (!r || e->src != r->text || t != r->table || r->col < 0 || e->kind != EXPR_COLUMN) return;
  if (col < 0 && t->ipk == r->col && util_stricmp(e->text, t->cols[r->col].name) == 0) col = r->col;
  if (col == r->col) track_add(r, e->offset, (e->schema != NULL) + (e->table != NULL), 0);
}

void cg_rename_note_column(Parse *p, const Expr *e, const ScopeItem *it) {
  RenameTrack *t = p->rename;
  if (e->src != t->text || it->table != t->table) return;
  if (t->col >= 0) {
    int col = e->bind_col; /* an INTEGER PRIMARY KEY binds as the rowid */
    if (col < 0 && t->table->ipk == t->col && util_stricmp(e->text, t->table->cols[t->col].name) == 0) col = t->col;
    if (col == t->col) track_add(t, e->offset, (e->schema != NULL) + (e->table != NULL), 0);
  } else if (e->table && ((!it->qualified_only && !it->aliased && util_stricmp(e->table, t->table->name) == 0) ||
                           util_stricmp(it->name, "excluded") == 0)) {
    /* SQLite renames an upsert's "excluded." qualifier too (3.40 and 3.53 alike). */
    track_add(t, e->offset, e->schema != NULL, 0);
  }
}

void cg_rename_note_literal(Parse *p, const Expr *e) {
  RenameTrack *t = p->rename;
  if (e->src == t->text && t->col >= 0) track_add(t, e->offset, 0, 1);
}

void cg_rename_note_source(Parse *p, const SrcItem *src, const Table *tab) {
  RenameTrack *t = p->rename;
  if (src->src == t->text && tab == t->table && t->col < 0) track_add(t, src->name_offset, src->schema != NULL, 0);
}

struct RenameTrack *cg_rename_check_only(void) {
  /* Never written: no node's text is this one, so nothing is ever noted. */
  static const char nothing[] = "";
  static RenameTrack none = {nothing, NULL, -1, NULL, 0, 0, 0};
  return &none;
}

/* Makes the replacements the notes ask for. */
static int apply_notes(SqlText *x, const RenameTrack *t, const Rename *r) {
  int rc = LODE_OK;
  for (int k = 0; k < t->n && rc == LODE_OK; k++) {
    const RenameNote *note = &t->a[k];
    int i = 0;
    while (i < x->n && x->tok[i].start < note->offset) i++;
    if (i == x->n || x->tok[i].start != note->offset) continue;
    i += 2 * note->skip;
    if (i >= x->n) continue;
    if (note->literal) {
      if (x->sql[x->tok[i].start] == '"') rc = replace_with_literal(x, i);
    } else {
      rc = replace_name(x, i, r->new, r->old ? r->quote : 1);
    }
  }
  return rc;
}

/* Replaces the names of a list "( name, … )" starting at token i that
** name the renamed column; returns the index after the ')'. */
static int mark_name_list(SqlText *x, int i, const Rename *r, int *rc) {
  if (code_at(x, i) != TK_LP) return i;
  for (i++; i < x->n && x->tok[i].code != TK_RP; i++)
    if (*rc == LODE_OK && (is_name_at(x, i) || x->tok[i].code == TK_STRING) && token_is(x, i, r->old))
      *rc = replace_name(x, i, r->new, r->quote);
  return i + 1;
}

/* UPDATE … SET's assigned columns from token i (after SET): "name =" and
** "(name, …) =" at depth 0, until the clause ends. */
static void mark_set_list(SqlText *x, int i, const Rename *r, int *rc) {
  int depth = 0, cases = 0, lhs = 1;
  for (; i < x->n && *rc == LODE_OK; i++) {
    int code = x->tok[i].code;
    if (lhs && depth == 0) {
      if (code == TK_LP) i = mark_name_list(x, i, r, rc) - 1;
      else if (is_name_at(x, i) && token_is(x, i, r->old)) *rc = replace_name(x, i, r->new, r->quote);
      lhs = 0;
      continue;
    }
    if (code == TK_LP) depth++;
    else if (code == TK_RP && --depth < 0) return;
    else if (code == TK_CASE) cases++;
    else if (code == TK_END && cases > 0) cases--;
    else if (depth == 0 && cases == 0) {
      if (code == TK_COMMA) lhs = 1;
      else if (code == TK_FROM || code == TK_WHERE || code == TK_SEMI || code == TK_END || code == TK_ON ||
               code == TK_RETURNING)
        return;
    }
  }
}

/* The names of a trigger a column rename changes that no expression
** holds: UPDATE OF's columns (when the trigger is on the table), and in
** its steps on the table INSERT's column list, UPDATE's SET columns and an
** upsert's target and SET columns. */
static int mark_trigger_columns(SqlText *x, const Trigger *tr, const Rename *r) {
  int rc = LODE_OK, i = 0, insert_target = 0;
  const char *tname = r->table->name;
  while (i < x->n && x->tok[i].code != TK_BEGIN) {
    if (x->tok[i].code == TK_UPDATE && code_at(x, i + 1) == TK_OF && util_stricmp(tr->table, tname) == 0) {
      for (i += 2; i < x->n && x->tok[i].code != TK_ON && rc == LODE_OK; i++)
        if ((is_name_at(x, i) || x->tok[i].code == TK_STRING) && token_is(x, i, r->old))
          rc = replace_name(x, i, r->new, r->quote);
      continue;
    }
    i++;
  }
  for (; i < x->n && rc == LODE_OK; i++) {
    int code = x->tok[i].code, prev = code_at(x, i - 1);
    if (code == TK_INTO) {
      int k = i + 1;
      if (code_at(x, k + 1) == TK_DOT) k += 2;
      insert_target = token_is(x, k, tname);
      if (insert_target) i = mark_name_list(x, k + 1, r, &rc) - 1;
    } else if (code == TK_CONFLICT && insert_target) {
      i = mark_name_list(x, i + 1, r, &rc) - 1;
    } else if (code == TK_UPDATE && prev == TK_DO) {
      if (insert_target && code_at(x, i + 1) == TK_SET) mark_set_list(x, i + 2, r, &rc);
    } else if (code == TK_UPDATE && (prev == TK_BEGIN || prev == TK_SEMI)) {
      int k = i + 1;
      if (code_at(x, k) == TK_OR) k += 2;
      if (code_at(x, k + 1) == TK_DOT) k += 2;
      if (!token_is(x, k, tname)) continue;
      while (k < x->n && x->tok[k].code != TK_SET) k++;
      mark_set_list(x, k + 1, r, &rc);
    } else if (code == TK_SEMI) {
      insert_target = 0;
    }
  }
  return rc;
}

/* The message of p's error, taken out of p. */
static char *take_parse_error(Parse *p) {
  char *err = p->errmsg ? p->errmsg : util_strdup("out of memory");
  p->errmsg = NULL;
  p->rc = LODE_OK;
  return err;
}

/* Under PRAGMA writable_schema (not in defensive mode) SQLite's ALTER leaves
** a view or trigger it cannot compile as it is, and its checks report nothing. */
static int schema_errors_ignored(const Parse *p) {
  return p->db->settings[CONN_SET_WRITABLE_SCHEMA] && !p->db->defensive;
}

/* A view's or trigger's text after the rename, NULL when nothing changes;
** its names are found by compiling it, which fails as SQLite's check does
** ("error in view v: …"), in p. */
static char *renamed_object_sql(Parse *p, View *v, const Trigger *tr, const Rename *r) {
  RenameTrack track = {v ? v->sql : tr->sql, r->table, -1, NULL, 0, 0, 0};
  SqlText x;
  char *out = NULL, *err = NULL;
  int rc = LODE_OK;
  if (r->old) track.col = table_column_index(r->table, r->old);
  p->rename = &track;
  if (v) {
    Vdbe *program = p->v, *scratch = vdbe_new(p->db);
    if (scratch) {
      p->v = scratch;
      cg_view_table(p, v);
      p->v = program;
      vdbe_free(scratch);
    } else {
      cg_error(p, LODE_NOMEM, "out of memory");
    }
    if (p->rc == LODE_ERROR) err = take_parse_error(p);
  } else {
    err = cg_trigger_check_names(p, tr);
  }
  p->rename = NULL;
  if (err && schema_errors_ignored(p)) { /* the text stays as it is */
    util_free(err);
    util_free(track.a);
    return NULL;
  }
  if (err) {
    if (r->legacy) cg_error(p, LODE_ERROR, "SQL logic error");
    else cg_error(p, LODE_ERROR, "error in %s %s: %s", v ? "view" : "trigger", v ? v->name : tr->name, err);
    util_free(err);
  }
  if (track.oom) cg_error(p, LODE_NOMEM, "out of memory");
  if (p->rc != LODE_OK) {
    util_free(track.a);
    return NULL;
  }
  if (text_tokenize(&x, track.text) != LODE_OK) {
    util_free(track.a);
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  if (tr) {
    /* A TEMP trigger's ON may name a table of that name in another database. */
    classify_trigger(&x, cg_trigger_is_on(p, tr, r->table->name, r->table->db));
    if (r->old) rc = mark_trigger_columns(&x, tr, r);
    else rc = mark_rename(&x, r->table, r);
  }
  if (rc == LODE_OK) rc = apply_notes(&x, &track, r);
  if (rc == LODE_OK) out = text_render(&x, &rc);
  if (rc != LODE_OK) cg_error(p, LODE_NOMEM, "out of memory");
  text_free(&x);
  util_free(track.a);
  return out;
}

/* A trigger on the renamed table under legacy_alter_table: its ON target
** renamed, its body as it was (NULL and *rc set on oom). */
static char *legacy_trigger_sql(const char *sql, const Rename *r, int *rc) {
  SqlText x;
  char *out = NULL;
  if (text_tokenize(&x, sql) != LODE_OK) {
    *rc = LODE_NOMEM;
    return NULL;
  }
  int i = 0;
  while (i < x.n && x.tok[i].code != TK_ON) i++;
  if (++i < x.n) {
    int name = object_name(&x, &i);
    if (token_is(&x, name, r->table->name) && replace_name(&x, name, r->new, 1) != LODE_OK) *rc = LODE_NOMEM;
  }
  if (*rc == LODE_OK) out = text_render(&x, rc);
  text_free(&x);
  return out;
}

/* "sqlite_autoindex_<old>_N" renamed for the table's new name (the part after
** the old name kept, as SQLite does). */
static char *renamed_autoindex(const Index *ix, const char *old_table, const char *new_table) {
  size_t skip = strlen("sqlite_autoindex_") + strlen(old_table);
  if (strlen(ix->name) < skip) return util_strdup(ix->name);
  return util_mprintf("sqlite_autoindex_%s%s", new_table, ix->name + skip);
}

/* Whether the next of schema s's views and triggers in sqlite_schema's
** order (the order SQLite checks them in) is view vi rather than trigger ti. */
static int view_first(const Schema *s, int vi, int ti) {
  if (vi >= s->nviews) return 0;
  return ti >= s->ntriggers || s->views[vi]->row <= s->triggers[ti]->row;
}

/* The views and triggers of schema s a rename changes (a trigger on the
** table renamed moves to its new name), in sqlite_schema's order. */
static void collect_object_edits(Parse *p, Schema *s, const Rename *r, EditList *l) {
  const Table *t = r->table;
  int legacy_rename_to = r->legacy && !r->old;
  for (int vi = 0, ti = 0; (vi < s->nviews || ti < s->ntriggers) && l->rc == LODE_OK && p->rc == LODE_OK;) {
    if (view_first(s, vi, ti)) {
      int i = vi++;
      if (legacy_rename_to) continue;
      char *sql = renamed_object_sql(p, s->views[i], NULL, r);
      if (!sql) continue;
      SchemaEdit *e = edit_add(l, s->views[i]->name);
      if (!e) {
        util_free(sql);
        break;
      }
      e->type = "view";
      e->sql = sql;
      continue;
    }
    const Trigger *tr = s->triggers[ti++];
    int moves = !r->old && cg_trigger_is_on(p, tr, t->name, t->db);
    char *sql = !legacy_rename_to ? renamed_object_sql(p, NULL, tr, r)
                : moves           ? legacy_trigger_sql(tr->sql, r, &l->rc)
                                  : NULL;
    if (!sql && !moves) continue;
    SchemaEdit *e = edit_add(l, tr->name);
    if (!e) {
      util_free(sql);
      break;
    }
    e->type = "trigger";
    e->sql = sql;
    if (moves) e->new_tbl = r->new;
  }
}

/* Every row of the schema a rename changes. */
static void collect_rename_edits(Parse *p, Schema *s, const Rename *r, EditList *l) {
  const Table *t = r->table;
  for (int i = 0; i < s->ntables && l->rc == LODE_OK; i++) {
    const Table *o = s->tables[i];
    if (o->root == BTREE_SCHEMA_ROOT || !o->sql || util_strnicmp(o->name, "sqlite_", 7) == 0) continue;
    char *sql = renamed_sql(o->sql, TEXT_TABLE, o, r, &l->rc);
    if (!sql && o != t) continue;
    SchemaEdit *e = edit_add(l, o->name);
    if (!e) {
      util_free(sql);
      break;
    }
    e->type = "table";
    e->sql = sql;
    if (o == t && !r->old) {
      e->new_name = util_strdup(r->new);
      e->new_tbl = r->new;
      if (!e->new_name) l->rc = LODE_NOMEM;
    }
  }
  for (int i = 0; i < s->nindexes && l->rc == LODE_OK; i++) {
    const Index *ix = s->indexes[i];
    if (!index_has_own_btree(ix)) continue;
    char *sql = renamed_sql(ix->sql, TEXT_INDEX, ix->table, r, &l->rc);
    int moves = ix->table == t && !r->old;
    if (!sql && !moves) continue;
    SchemaEdit *e = edit_add(l, ix->name);
    if (!e) {
      util_free(sql);
      break;
    }
    e->type = "index";
    e->sql = sql;
    if (moves) {
      e->new_tbl = r->new;
      if (ix->autoindex && !(e->new_name = renamed_autoindex(ix, t->name, r->new))) l->rc = LODE_NOMEM;
    }
  }
  /* Index methods' indexes and their stores: CREATE INDEX … ON t USING m (cols) texts. */
  for (int i = 0; i < s->ntables && l->rc == LODE_OK; i++) {
    for (const MethodIndex *mi = s->tables[i]->method_indexes; mi && l->rc == LODE_OK; mi = mi->next) {
      char *sql = renamed_sql(mi->sql, TEXT_INDEX, mi->table, r, &l->rc);
      int moves = mi->table == t && !r->old;
      if (!sql && !moves) continue;
      SchemaEdit *e = edit_add(l, mi->name);
      if (!e) {
        util_free(sql);
        break;
      }
      e->type = "index";
      e->sql = sql;
      if (moves) e->new_tbl = r->new;
    }
  }
  collect_object_edits(p, s, r, l);
}

/* Halts with msg if table t has a row (SQLite's "if not empty" ALTER errors). */
static void halt_if_not_empty(Parse *p, const Table *t, const char *msg) {
  int cursor = cg_cursor(p), empty = vdbe_make_label(p->v);
  cg_open_table(p, t, cursor, OP_OpenRead);
  cg_op(p, OP_Rewind, cursor, empty, 0);
  if (vdbe_add_op4(p->v, OP_Halt, LODE_ERROR, ONCONFLICT_ABORT, 0, P4_STRING, msg, (int)strlen(msg)) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  vdbe_resolve_label(p->v, empty);
  cg_op(p, OP_Close, cursor, 0, 0);
}

/* After ADD COLUMN, as SQLite checks them: every row of the table as nt
** reads it (the added column's default or computed value) must pass its
** NOT NULL and CHECK constraints, else "NOT NULL constraint failed" /
** "CHECK constraint failed" and the ALTER is undone. */
static void verify_rows(Parse *p, const Table *nt, const Stmt *create) {
  int cursor = cg_cursor(p), reg = cg_reg(p), done = vdbe_make_label(p->v);
  static const char not_null[] = "NOT NULL constraint failed", check[] = "CHECK constraint failed";
  cg_open_table(p, nt, cursor, OP_OpenRead);
  cg_op(p, OP_Rewind, cursor, done, 0);
  int top = vdbe_current_addr(p->v);
  Scope scope, *saved;
  ScopeItem item;
  RowSource row = {nt, cursor, 0, 0};
  saved = cg_row_scope_push(p, &row, &scope, &item);
  for (int i = 0; i < nt->ncols; i++) {
    if (!nt->cols[i].not_null || i == nt->ipk) continue;
    int ok = vdbe_make_label(p->v);
    cg_code_column(p, (Table *)nt, cursor, i, reg);
    cg_op(p, OP_NotNull, reg, ok, 0);
    if (vdbe_add_op4(p->v, OP_Halt, LODE_ERROR, ONCONFLICT_ABORT, 0, P4_STRING, not_null, (int)strlen(not_null)) < 0)
      cg_error(p, LODE_NOMEM, "out of memory");
    vdbe_resolve_label(p->v, ok);
  }
  for (int i = 0; i < create->nconstraints && p->rc == LODE_OK; i++) {
    if (create->constraints[i].kind != TC_CHECK || !create->constraints[i].check) continue;
    int ok = vdbe_make_label(p->v);
    p->ddl_check = DDL_CHECK_ALTERED;
    cg_op(p, OP_If, cg_expr_reg(p, create->constraints[i].check), ok, 1); /* true, or NULL */
    p->ddl_check = 0;
    if (vdbe_add_op4(p->v, OP_Halt, LODE_ERROR, ONCONFLICT_ABORT, 0, P4_STRING, check, (int)strlen(check)) < 0)
      cg_error(p, LODE_NOMEM, "out of memory");
    vdbe_resolve_label(p->v, ok);
  }
  p->scope = saved;
  cg_op(p, OP_Next, cursor, top, 0);
  vdbe_resolve_label(p->v, done);
  cg_op(p, OP_Close, cursor, 0, 0);
}

/* Rewrites the rows of the current database's sqlite_schema the edits
** name, each found by a scan of its own (a row's new record may move
** others, so no scan continues past a write). */
static void emit_edit_rows(Parse *p, const EditList *l) {
  int cursor, name_reg, col_reg, rowid, regs, rec;
  cursor = cg_cursor(p);
  name_reg = cg_reg(p);
  int type_reg = cg_reg(p);
  col_reg = cg_reg(p);
  rowid = cg_reg(p);
  regs = cg_regs(p, SCHEMA_COLUMNS);
  rec = cg_reg(p);
  if (vdbe_add_op4_int(p->v, OP_OpenWrite, cursor, BTREE_SCHEMA_ROOT, 0, SCHEMA_COLUMNS) < 0)
    cg_error(p, LODE_NOMEM, "oom");
  for (int i = 0; i < l->n; i++) {
    const SchemaEdit *e = &l->a[i];
    int next = vdbe_make_label(p->v), done = vdbe_make_label(p->v);
    emit_string(p, e->name, name_reg);
    if (e->type) emit_string(p, e->type, type_reg);
    cg_op(p, OP_Rewind, cursor, done, 0);
    int top = cg_op(p, OP_Column, cursor, SCHEMA_COL_NAME, col_reg);
    int addr = vdbe_add_op4_int(p->v, OP_Ne, name_reg, next, col_reg, COLL_NOCASE);
    if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_JUMPIFNULL);
    if (e->type) {
      cg_op(p, OP_Column, cursor, 0, col_reg);
      addr = vdbe_add_op4_int(p->v, OP_Ne, type_reg, next, col_reg, COLL_BINARY);
      if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_JUMPIFNULL);
    }
    cg_op(p, OP_Rowid, cursor, rowid, 0);
    int before = cg_cdc_schema_before(p, cursor);
    for (int c = 0; c < SCHEMA_COLUMNS; c++) cg_op(p, OP_Column, cursor, c, regs + c);
    if (e->new_name) emit_string(p, e->new_name, regs + SCHEMA_COL_NAME);
    if (e->new_tbl) emit_string(p, e->new_tbl, regs + SCHEMA_COL_TBL);
    if (e->sql) emit_string(p, e->sql, regs + SCHEMA_COL_SQL);
    if (vdbe_add_op4(p->v, OP_MakeRecord, regs, SCHEMA_COLUMNS, rec, P4_STRING, SCHEMA_AFFINITY, SCHEMA_COLUMNS) < 0)
      cg_error(p, LODE_NOMEM, "out of memory");
    cg_op(p, OP_Insert, cursor, rec, rowid);
    cg_cdc_schema_update(p, regs, rowid, before, rec, p->root->cdc_sql);
    cg_op(p, OP_Goto, 0, done, 0);
    vdbe_resolve_label(p->v, next);
    cg_op(p, OP_Next, cursor, top, 0);
    vdbe_resolve_label(p->v, done);
  }
  cg_op(p, OP_Close, cursor, 0, 0);
}

/* Rewrites the rows of sqlite_schema the edits name (temp_l: those of the
** TEMP schema, or NULL).  guard: halt with it first if t has a row.
** new_name: t is renamed, and so is the sqlite_sequence row of its name. */
static void emit_schema_edits(Parse *p, const Table *t, const EditList *l, const char *guard, const char *new_name,
                              const Table *verify, const Stmt *verify_create, const EditList *temp_l) {
  p->writes = 1;
  cg_begin_program(p);
  if (new_name && t->vtab_module) { /* the module learns the new name first (xRename) */
    int reg = cg_reg(p);
    cg_op4_str(p, OP_String8, (int)strlen(new_name), reg, 0, new_name);
    cg_op4_str(p, OP_VRename, 0, 0, reg, t->name);
  }
  if (guard) halt_if_not_empty(p, t, guard);
  if (verify) verify_rows(p, verify, verify_create);
  emit_edit_rows(p, l);
  /* Whether or not t is AUTOINCREMENT: SQLite renames any sqlite_sequence
  ** row of that name (DROP TABLE deletes only an AUTOINCREMENT table's). */
  if (new_name) cg_sequence_rename(p, t->name, new_name);
  cg_bump_schema(p);
  if (temp_l && temp_l->n > 0) { /* TEMP views and triggers naming the table */
    vdbe_set_db(p->v, CONN_DB_TEMP);
    emit_edit_rows(p, temp_l);
    cg_bump_schema(p);
    vdbe_set_db(p->v, t->db);
  }
  cg_end_program(p);
}

/* A default SQLite can evaluate without running code: a literal, optionally signed. */
static int is_constant_default(const Expr *e) {
  if (!e) return 1;
  /* Signs and CASTs over a constant, nested at will ("-(-5)"), as SQLite
  ** folds them into a value; TRUE and FALSE are constants too. */
  while (e && ((e->kind == EXPR_UNARY && (e->op == TK_MINUS || e->op == TK_PLUS)) || e->kind == EXPR_CAST))
    e = e->left;
  if (e && e->kind == EXPR_COLUMN && !e->table && !e->quoted && e->text &&
      (util_stricmp(e->text, "true") == 0 || util_stricmp(e->text, "false") == 0))
    return 1;
  return e && (e->kind == EXPR_NULL || e->kind == EXPR_INTEGER || e->kind == EXPR_FLOAT || e->kind == EXPR_STRING ||
               e->kind == EXPR_BLOB);
}

/* The table as ADD COLUMN makes it (its new text sql), with the statement
** it was built from in *create.  Its CHECK constraints and generated columns
** must pass the checks SQLite makes when it reads the new text back, else
** NULL and *why = "error in table t after add column: <why>"; NULL and no
** *why when out of memory (the error is in p then). */
static Table *added_table(Parse *p, const Table *t, const char *sql, Stmt **create, char **why) {
  char *err = NULL;
  Table *nt = NULL;
  *why = NULL;
  int rc = sql_parse(&p->arena, sql, -1, create, NULL, &err);
  if (rc == LODE_OK && *create) nt = table_from_ast(*create, t->root, sql, &err);
  if (nt) nt->db = t->db; /* its rows are read where t's are: a TEMP table's in temp */
  if (rc == LODE_NOMEM || (!nt && !err)) {
    util_free(err);
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  if (nt) cg_rebuilt_table_check(p, *create, nt, t);
  if (p->rc == LODE_NOMEM) {
    table_free(nt);
    return NULL;
  }
  if (nt && p->rc != LODE_OK) err = util_strdup(p->errmsg ? p->errmsg : "out of memory");
  if (err || p->rc != LODE_OK) {
    util_free(p->errmsg);
    p->errmsg = NULL;
    p->rc = LODE_OK;
    *why = util_mprintf("error in table %s after add column: %s", t->name, err ? err : "out of memory");
    if (!*why) cg_error(p, LODE_NOMEM, "out of memory");
    table_free(nt);
    nt = NULL;
  }
  util_free(err);
  return nt;
}

/* ADD COLUMN whose new table text fails SQLite's checks (why).  SQLite
** finds that when it reads the text back, after the program has looked for
** a row the column cannot be added to (guard): with such a row, the guard's
** message is the one reported. */
static void emit_refused_add(Parse *p, const Table *t, const char *guard, const char *why) {
  if (!guard) {
    cg_error(p, LODE_ERROR, "%s", why);
    return;
  }
  p->writes = 1; /* the statement SQLite compiles writes the schema after the guard */
  cg_begin_program(p);
  halt_if_not_empty(p, t, guard);
  if (vdbe_add_op4(p->v, OP_Halt, LODE_ERROR, ONCONFLICT_ABORT, 0, P4_STRING, why, (int)strlen(why)) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  cg_end_program(p);
}

static void alter_add_column(Parse *p, const Stmt *st, const Table *t) {
  const ColumnDef *d = &st->coldefs[0];
  const Expr *dflt = d->default_value;
  const char *guard = NULL;
  EditList l = {NULL, 0, LODE_OK};
  SchemaEdit *e;
  int i;
  /* SQLite finds a duplicate while parsing the column, before looking at its constraints. */
  if (table_column_index(t, d->name) >= 0) {
    cg_error(p, LODE_ERROR, "duplicate column name: %s", d->name);
    return;
  }
  if (!cg_check_collation(p, d->collation)) return; /* also found while parsing the column */
  if (t->ncols >= p->db->limits[LODE_LIMIT_COLUMN]) {
    /* sqlite3 names the table by the copy it parses the new column into. */
    cg_error(p, LODE_ERROR, "too many columns on sqlite_altertab_%s", t->name);
    return;
  }
  /* A REFERENCES naming more than one parent column is refused while the column is parsed, before the
  ** checks of the finished column. */
  for (int k = 0; k < st->nfkeys; k++) {
    const ForeignKeyDef *fk = &st->fkeys[k];
    if (fk->column_form && fk->nparent > 1) {
      cg_error(p, LODE_ERROR, "foreign key on %s should reference only one column of table %s", d->name, fk->parent);
      return;
    }
  }
  if (d->primary_key) {
    cg_error(p, LODE_ERROR, "Cannot add a PRIMARY KEY column");
    return;
  }
  if (d->unique) {
    cg_error(p, LODE_ERROR, "Cannot add a UNIQUE column");
    return;
  }
  if (d->generated == COLGEN_STORED) guard = "cannot add a STORED column";
  else if (p->db->foreign_keys && st->nfkeys > 0 && dflt && dflt->kind != EXPR_NULL)
    guard = "Cannot add a REFERENCES column with non-NULL default value";
  else if (!is_constant_default(dflt)) guard = "Cannot add a column with non-constant default";
  else if (d->not_null && !d->generated && (!dflt || dflt->kind == EXPR_NULL))
    guard = "Cannot add a NOT NULL column with default value NULL";
  /* Indexes need nothing: their entries hold other columns, and the new
  ** column is the last, so no column number an index uses changes. */
  if ((e = edit_add(&l, t->name)) && !(e->sql = sql_add_column(t->sql, st->alter_coldef))) l.rc = LODE_NOMEM;
  Stmt *create = NULL;
  char *why = NULL;
  Table *nt = l.rc == LODE_OK ? added_table(p, t, e->sql, &create, &why) : NULL;
  int checks = 0;
  for (i = 0; nt && i < create->nconstraints; i++) checks |= create->constraints[i].kind == TC_CHECK;
  /* SQLite checks the rows when the table has CHECK constraints or the
  ** new column is generated and NOT NULL (or, not yet here, the table is STRICT). */
  const Table *verify = nt && (checks || (d->generated && d->not_null)) ? nt : NULL;
  if (l.rc != LODE_OK) cg_error(p, LODE_NOMEM, "out of memory");
  else if (why) emit_refused_add(p, t, guard, why);
  else if (p->rc == LODE_OK) emit_schema_edits(p, t, &l, guard, NULL, verify, create, NULL);
  util_free(why);
  table_free(nt);
  edits_free(&l);
}

/* The edit of list l for the row named name of type type, or NULL. */
static SchemaEdit *edit_of(const EditList *l, const char *type, const char *name) {
  for (int i = 0; l && i < l->n; i++)
    if (strcmp(l->a[i].type, type) == 0 && util_stricmp(l->a[i].name, name) == 0) return &l->a[i];
  return NULL;
}

/* Puts the new texts (and tables) of schema s's views and triggers in
** place (undo: the old ones back, from saved). */
static void swap_object_texts(Schema *s, const EditList *l, char **saved, int undo) {
  for (int i = 0; s && i < s->nviews; i++) {
    SchemaEdit *e = edit_of(l, "view", s->views[i]->name);
    if (!e || !e->sql) continue;
    if (undo) s->views[i]->sql = saved[i];
    else saved[i] = s->views[i]->sql, s->views[i]->sql = e->sql;
  }
  for (int i = 0; s && i < s->ntriggers; i++) {
    SchemaEdit *e = edit_of(l, "trigger", s->triggers[i]->name);
    if (!e) continue;
    char **slot = &saved[s->nviews + 2 * i];
    if (undo) {
      if (e->sql) s->triggers[i]->sql = slot[0];
      if (e->new_tbl) s->triggers[i]->table = slot[1];
    } else {
      if (e->sql) slot[0] = s->triggers[i]->sql, s->triggers[i]->sql = e->sql;
      if (e->new_tbl) slot[1] = s->triggers[i]->table, s->triggers[i]->table = (char *)e->new_tbl;
    }
  }
}

/* Compiles each view and trigger of s: the first failure as SQLite
** reports it after a rename ("error in view v after rename: …").  A
** tracker that notes nothing keeps the leniency of rename compiles
** (unknown functions). */
static void check_objects(Parse *p, Schema *s) {
  p->rename = cg_rename_check_only();
  for (int vi = 0, ti = 0; s && (vi < s->nviews || ti < s->ntriggers) && p->rc == LODE_OK;) {
    if (!view_first(s, vi, ti)) {
      const Trigger *tr = s->triggers[ti++];
      char *err = cg_trigger_check_names(p, tr);
      if (err && !schema_errors_ignored(p))
        cg_error(p, LODE_ERROR, "error in trigger %s after rename: %s", tr->name, err);
      util_free(err);
      continue;
    }
    int i = vi++;
    Vdbe *program = p->v, *scratch = vdbe_new(p->db);
    if (!scratch) {
      cg_error(p, LODE_NOMEM, "out of memory");
      break;
    }
    p->v = scratch;
    cg_view_table(p, s->views[i]);
    p->v = program;
    vdbe_free(scratch);
    if (p->rc == LODE_ERROR) {
      char *err = take_parse_error(p);
      if (!schema_errors_ignored(p))
        cg_error(p, LODE_ERROR, "error in view %s after rename: %s", s->views[i]->name, err);
      util_free(err);
    }
  }
  p->rename = NULL;
}

/* SQLite's check after the rename: every view and trigger compiles with
** its new text against the table as it will be. */
static void check_after_rename(Parse *p, const Rename *r, const EditList *l, Schema *s, const EditList *temp_l,
                               Schema *temp) {
  const Table *t = r->table;
  SchemaEdit *te = edit_of(l, "table", t->name);
  Stmt *create = NULL;
  char *err = NULL;
  Table *nt = NULL;
  int k = 0;
  if ((!s->nviews && !s->ntriggers && (!temp || (!temp->nviews && !temp->ntriggers))) || !te || !te->sql) return;
  if (t->vtab_module) return; /* its columns are its module's: no text gives them */
  while (k < s->ntables && s->tables[k] != t) k++;
  if (k == s->ntables) return;
  int rc = sql_parse(&p->arena, te->sql, -1, &create, NULL, &err);
  if (rc == LODE_OK && create && create->kind == STMT_CREATE_TABLE)
    nt = table_from_ast(create, t->root, te->sql, &err);
  util_free(err);
  if (!nt) return; /* SQLite's checks of the table's own text come first and are not repeated here */
  nt->db = t->db;
  int nsaved = s->nviews + 2 * s->ntriggers, ntsaved = temp ? temp->nviews + 2 * temp->ntriggers : 0;
  char **saved = util_zalloc(sizeof(char *) * (size_t)(nsaved + 1));
  char **tsaved = util_zalloc(sizeof(char *) * (size_t)(ntsaved + 1));
  if (!saved || !tsaved) {
    cg_error(p, LODE_NOMEM, "out of memory");
  } else {
    Table *old = s->tables[k];
    schema_set_table(s, k, nt);
    swap_object_texts(s, l, saved, 0);
    swap_object_texts(temp, temp_l, tsaved, 0);
    check_objects(p, s);
    check_objects(p, temp);
    swap_object_texts(s, l, saved, 1);
    swap_object_texts(temp, temp_l, tsaved, 1);
    schema_set_table(s, k, old);
  }
  util_free(saved);
  util_free(tsaved);
  table_free(nt);
}

/* The first column reference of e qualified by another name than table's,
** in the order SQLite resolves them, or NULL. */
static const Expr *foreign_qualifier(const Expr *e, const char *table) {
  const Expr *q = NULL;
  if (!e) return NULL;
  if (e->kind == EXPR_COLUMN && e->table && util_stricmp(e->table, table) != 0) return e;
  if ((q = foreign_qualifier(e->left, table)) || (q = foreign_qualifier(e->right, table)) ||
      (q = foreign_qualifier(e->escape, table)))
    return q;
  for (int i = 0; e->args && i < e->args->n && !q; i++) q = foreign_qualifier(e->args->items[i], table);
  return q;
}

/* PRAGMA legacy_alter_table's RENAME TO leaves "old.col" in the table's
** CHECK and generated columns and its indexes' expressions: SQLite's check
** of the new texts fails then ("error in table new after rename: no such
** column: old.col"), the table first, then its indexes. */
static void check_legacy_rename(Parse *p, const Rename *r, const EditList *l) {
  for (int i = 0; i < l->n && p->rc == LODE_OK; i++) {
    const SchemaEdit *e = &l->a[i];
    int table = strcmp(e->type, "table") == 0;
    if (!e->sql || (!table && strcmp(e->type, "index") != 0)) continue;
    Stmt *st = NULL;
    char *err = NULL;
    const Expr *bad = NULL;
    if (sql_parse_stored(&p->arena, e->sql, -1, &st, NULL, &err) == LODE_OK && st) {
      for (int k = 0; table && k < st->ncoldefs && !bad; k++) bad = foreign_qualifier(st->coldefs[k].gen_expr, r->new);
      for (int k = 0; table && k < st->nconstraints && !bad; k++)
        bad = foreign_qualifier(st->constraints[k].check, r->new);
      for (int k = 0; !table && k < st->nindexed && !bad; k++) bad = foreign_qualifier(st->indexed[k].expr, r->new);
      if (!table && !bad) bad = foreign_qualifier(st->index_where, r->new);
    }
    util_free(err);
    if (bad)
      cg_error(p, LODE_ERROR, "error in %s %s after rename: no such column: %s.%s", e->type,
               table ? r->new : e->new_name ? e->new_name : e->name, bad->table, bad->text);
  }
}

static void emit_rename(Parse *p, const Rename *r) {
  EditList l = {NULL, 0, LODE_OK}, temp_l = {NULL, 0, LODE_OK};
  collect_rename_edits(p, cg_target_schema(p), r, &l);
  Schema *temp = r->table->db != CONN_DB_TEMP ? cg_db_schema(p, CONN_DB_TEMP) : NULL;
  if (temp && p->rc == LODE_OK && l.rc == LODE_OK) collect_object_edits(p, temp, r, &temp_l);
  /* Under legacy_alter_table SQLite's check of the new texts skips views
  ** and triggers, for RENAME COLUMN as for RENAME TO. */
  if (p->rc == LODE_OK && l.rc == LODE_OK && temp_l.rc == LODE_OK && !r->legacy)
    check_after_rename(p, r, &l, cg_target_schema(p), &temp_l, temp);
  else if (p->rc == LODE_OK && l.rc == LODE_OK && r->legacy && !r->old)
    check_legacy_rename(p, r, &l);
  if (l.rc != LODE_OK || temp_l.rc != LODE_OK) cg_error(p, LODE_NOMEM, "out of memory");
  else if (p->rc == LODE_OK)
    emit_schema_edits(p, r->table, &l, NULL, r->old ? NULL : r->new, NULL, NULL, temp ? &temp_l : NULL);
  edits_free(&l);
  edits_free(&temp_l);
}

static void alter_rename_table(Parse *p, const Stmt *st, const Table *t) {
  Rename r = {t, NULL, st->alter_new, 1, p->db->settings[CONN_SET_LEGACY_ALTER_TABLE] != 0, p->db->foreign_keys != 0};
  if (cg_lookup_table(p, NULL, st->alter_new) || cg_lookup_index(p, NULL, st->alter_new) ||
      cg_lookup_view(p, NULL, st->alter_new, NULL)) {
    cg_error(p, LODE_ERROR, "there is already another table or index with this name: %s", st->alter_new);
    return;
  }
  if (cg_name_reserved(p, st->alter_new)) {
    cg_error(p, LODE_ERROR, "object name reserved for internal use: %s", st->alter_new);
    return;
  }
  emit_rename(p, &r);
}

static void alter_rename_column(Parse *p, const Stmt *st, const Table *t) {
  const char *raw = st->alter_new_raw;
  Rename r = {t, st->alter_old, st->alter_new,
              raw && (raw[0] == '"' || raw[0] == '`' || raw[0] == '[' || raw[0] == '\''),
              p->db->settings[CONN_SET_LEGACY_ALTER_TABLE] != 0, 0};
  int col = table_column_index(t, st->alter_old), clash = table_column_index(t, st->alter_new);
  if (col < 0) {
    cg_error(p, LODE_ERROR, "no such column: \"%s\"", st->alter_old);
    return;
  }
  if (clash >= 0 && clash != col) { /* "a" TO "A" only changes the spelling */
    /* SQLite finds the clash re-reading the table, at the later of the two columns. */
    cg_error(p, LODE_ERROR, "error in table %s after rename: duplicate column name: %s", t->name,
             clash > col ? t->cols[clash].name : st->alter_new);
    return;
  }
  emit_rename(p, &r);
}

void cg_alter_table(Parse *p, const Stmt *st) {
  Table *t;
  t = cg_lookup_table(p, st->schema, st->table);
  if (!t && cg_lookup_view(p, st->schema, st->table, NULL)) {
    if (st->alter_op == ALTER_ADD_COLUMN) cg_error(p, LODE_ERROR, "Cannot add a column to a view");
    else if (st->alter_op == ALTER_RENAME_COLUMN)
      cg_error(p, LODE_ERROR, "cannot rename columns of view \"%s\"", st->table);
    else if (st->alter_op == ALTER_DROP_COLUMN) cg_error(p, LODE_ERROR, "cannot drop column from view \"%s\"", st->table);
    else cg_error(p, LODE_ERROR, "view %s may not be altered", st->table);
    return;
  }
  if (!t && cg_find_module(p, st->table)) {
    /* An eponymous virtual table (json_each, pragma_…): SQLite finds it, then
    ** refuses ADD COLUMN as a virtual table's and the rest as not alterable. */
    if (st->alter_op == ALTER_ADD_COLUMN) cg_error(p, LODE_ERROR, "virtual tables may not be altered");
    else cg_error(p, LODE_ERROR, "table %s may not be altered", st->table);
    return;
  }
  if (p->rc != LODE_OK) return;
  if (!t) {
    if (st->schema) cg_error(p, LODE_ERROR, "no such table: %s.%s", st->schema, st->table);
    else cg_error(p, LODE_ERROR, "no such table: %s", st->table);
    return;
  }
  /* Everything else happens in the table's database. */
  p->fix_db = t->db + 1;
  vdbe_set_db(p->v, t->db);
  if (t->root == BTREE_SCHEMA_ROOT || util_strnicmp(t->name, "sqlite_", 7) == 0) {
    cg_error(p, LODE_ERROR, "table %s may not be altered", t->root == BTREE_SCHEMA_ROOT ? cg_schema_table_name(t) : t->name);
    return;
  }
  if (!t->sql || cg_readonly_shadow(p, t)) {
    cg_error(p, LODE_ERROR, "table %s may not be altered", t->name);
    return;
  }
  if (t->vtab_module && (st->alter_op != ALTER_RENAME_TABLE || !cg_table_module(p, t))) {
    /* SQLite's messages, by the kind of change */
    if (p->rc != LODE_OK) return;
    if (st->alter_op == ALTER_DROP_COLUMN)
      cg_error(p, LODE_ERROR, "cannot drop column from virtual table \"%s\"", t->name);
    else if (st->alter_op == ALTER_RENAME_COLUMN)
      cg_error(p, LODE_ERROR, "cannot rename columns of virtual table \"%s\"", t->name);
    else cg_error(p, LODE_ERROR, "virtual tables may not be altered");
    return;
  }
  if (cg_require_writable(p) != LODE_OK) return;
  switch (st->alter_op) {
  case ALTER_ADD_COLUMN: alter_add_column(p, st, t); break;
  case ALTER_RENAME_TABLE: alter_rename_table(p, st, t); break;
  case ALTER_RENAME_COLUMN: alter_rename_column(p, st, t); break;
  case ALTER_DROP_COLUMN: {
    /* An index method's index keeps naming the column it indexes. */
    int col = table_column_index(t, st->alter_old);
    for (const MethodIndex *mi = t->method_indexes; mi && col >= 0; mi = mi->next) {
      for (int j = 0; j < mi->ncols; j++) {
        if (mi->cols[j] != col || mi->backing) continue;
        cg_error(p, LODE_ERROR, "error in index %s after drop column: no such column: %s", mi->name, st->alter_old);
        return;
      }
    }
    cg_alter_drop_column(p, st, t);
    break;
  }
  default: cg_error(p, LODE_ERROR, "unsupported ALTER TABLE"); break;
  }
}
