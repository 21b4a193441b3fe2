/*
** schema.c — building the in-memory schema from sqlite_schema.
**
** sqlite_schema (root page 1) rows are records of five columns:
**   type TEXT, name TEXT, tbl_name TEXT, rootpage INTEGER, sql TEXT.
** Tables are rebuilt by parsing their CREATE TABLE text.  Indexes, views and
** triggers are counted; a table that has indexes is marked so that writers
** refuse to change it (the indexes would go stale) until index support lands.
** Indexes are also listed by name, table and root page (PRAGMA
** integrity_check walks their b-trees).
*/
#include <string.h>

#include "btree/btree.h"
#include "sql/parser.h"
#include "sql/schema.h"
#include "util/util.h"
#include "value/value.h"

#define SCHEMA_NCOLS 5

Schema *schema_new(void) { return util_zalloc(sizeof(Schema)); }

void table_free(Table *t) {
  int i;
  if (!t) return;
  for (i = 0; t->cols && i < t->ncols; i++) { /* cols is NULL if its allocation failed */
    util_free(t->cols[i].name);
    util_free(t->cols[i].decltype_);
    util_free(t->cols[i].default_sql);
  }
  util_free(t->cols);
  util_free(t->name);
  util_free(t->sql);
  util_free(t);
}

static void schema_clear_indexes(Schema *s) {
  int i;
  for (i = 0; i < s->nindexes; i++) {
    util_free(s->indexes[i].name);
    util_free(s->indexes[i].table);
  }
  util_free(s->indexes);
  s->indexes = NULL;
  s->nindexes = 0;
}

void schema_clear(Schema *s) {
  int i;
  if (!s) return;
  for (i = 0; i < s->ntables; i++) table_free(s->tables[i]);
  util_free(s->tables);
  s->tables = NULL;
  s->ntables = 0;
  schema_clear_indexes(s);
  s->nother = 0;
  s->loaded = 0;
  s->cookie = 0;
}

void schema_free(Schema *s) {
  schema_clear(s);
  util_free(s);
}

Table *schema_find_table(Schema *s, const char *name) {
  int i;
  if (!name) return NULL;
  for (i = 0; i < s->ntables; i++)
    if (util_stricmp(s->tables[i]->name, name) == 0) return s->tables[i];
  /* The legacy name of the schema table. */
  if (util_stricmp(name, "sqlite_master") == 0) return schema_find_table(s, "sqlite_schema");
  return NULL;
}

int table_column_index(const Table *t, const char *name) {
  int i;
  for (i = 0; i < t->ncols; i++)
    if (util_stricmp(t->cols[i].name, name) == 0) return i;
  return -1;
}

static int collation_code(const char *name) {
  if (!name) return COLL_BINARY;
  if (util_stricmp(name, "NOCASE") == 0) return COLL_NOCASE;
  if (util_stricmp(name, "RTRIM") == 0) return COLL_RTRIM;
  return COLL_BINARY;
}

static int is_integer_type(const char *t) { return t && util_stricmp(t, "INTEGER") == 0; }

/* The column that aliases the rowid: a sole PRIMARY KEY column declared
** exactly "INTEGER" (and not "INTEGER PRIMARY KEY DESC", a SQLite quirk). */
static int find_rowid_alias(const Stmt *c) {
  int i, j, pk = -1, npk = 0;
  for (i = 0; i < c->ncoldefs; i++) {
    if (c->coldefs[i].primary_key) {
      npk++;
      pk = c->coldefs[i].pk_desc ? -2 : i;
    }
  }
  for (i = 0; i < c->nconstraints; i++) {
    const TableConstraint *tc = &c->constraints[i];
    if (tc->kind != TC_PRIMARY_KEY) continue;
    npk += tc->ncols;
    if (tc->ncols == 1) {
      for (j = 0; j < c->ncoldefs; j++)
        if (util_stricmp(c->coldefs[j].name, tc->cols[0]) == 0) pk = j;
    }
  }
  if (npk != 1 || pk < 0) return -1;
  return is_integer_type(c->coldefs[pk].type) ? pk : -1;
}

/* A STRICT table's columns must each name one of SQLite's strict types:
** SQLite refuses such a CREATE, and calls a file holding one a malformed
** schema.  Returns the message (util_malloc'd) or NULL when the types are
** fine; *oom on allocation failure. */
static char *strict_type_error(const Stmt *c, int *oom) {
  static const char *const strict_types[] = {"INT", "INTEGER", "REAL", "TEXT", "BLOB", "ANY"};
  char *msg = NULL;
  *oom = 0;
  for (int i = 0; c->strict && !msg && i < c->ncoldefs; i++) {
    const ColumnDef *d = &c->coldefs[i];
    int known = 0;
    for (size_t k = 0; d->type && k < sizeof strict_types / sizeof strict_types[0]; k++)
      known |= util_stricmp(d->type, strict_types[k]) == 0;
    if (!d->type) msg = util_mprintf("missing datatype for %s.%s", c->table, d->name);
    else if (!known) msg = util_mprintf("unknown datatype for %s.%s: \"%s\"", c->table, d->name, d->type);
    else continue;
    if (!msg) *oom = 1;
  }
  return msg;
}

Table *table_from_ast(const Stmt *c, uint32_t root, const char *sql, char **errmsg) {
  int nomem = 0;
  char *bad_type = strict_type_error(c, &nomem);
  if (bad_type || nomem) {
    *errmsg = bad_type;
    return NULL;
  }
  Table *t = util_zalloc(sizeof *t);
  int i, j;
  if (!t) goto oom;
  t->name = util_strdup(c->table);
  t->sql = util_strdup(sql ? sql : "");
  t->root = root;
  t->ncols = c->ncoldefs;
  t->cols = util_zalloc(sizeof(Column) * (size_t)(c->ncoldefs ? c->ncoldefs : 1));
  if (!t->name || !t->sql || !t->cols) goto oom;
  for (i = 0; i < c->ncoldefs; i++) {
    const ColumnDef *d = &c->coldefs[i];
    Column *col = &t->cols[i];
    for (j = 0; j < i; j++) {
      if (util_stricmp(t->cols[j].name, d->name) == 0) {
        *errmsg = util_mprintf("duplicate column name: %s", d->name);
        table_free(t);
        return NULL;
      }
    }
    col->name = util_strdup(d->name);
    if (!col->name) goto oom;
    if (d->type) {
      col->decltype_ = util_strdup(d->type);
      if (!col->decltype_) goto oom;
    }
    if (d->default_span) {
      col->default_sql = util_strdup(d->default_span);
      if (!col->default_sql) goto oom;
    }
    col->affinity = value_affinity_of_type(d->type);
    col->not_null = d->not_null;
    col->primary_key = d->primary_key;
    col->pk_order = d->primary_key ? 1 : 0;
    col->coll = collation_code(d->collation);
  }
  for (i = 0; i < c->nconstraints; i++) {
    const TableConstraint *tc = &c->constraints[i];
    if (tc->kind != TC_PRIMARY_KEY) continue;
    for (j = 0; j < tc->ncols; j++) {
      int k = table_column_index(t, tc->cols[j]);
      if (k < 0) {
        *errmsg = util_mprintf("no such column: %s", tc->cols[j]);
        table_free(t);
        return NULL;
      }
      t->cols[k].primary_key = 1;
      t->cols[k].pk_order = j + 1;
    }
  }
  t->ipk = find_rowid_alias(c);
  for (i = 0; i < c->nconstraints; i++) t->has_checks |= c->constraints[i].kind == TC_CHECK;
  t->without_rowid = c->without_rowid;
  t->strict = c->strict;
  return t;
oom:
  /* No message: callers read a NULL *errmsg as LODE_NOMEM (not as a bad
  ** schema, which would turn an allocation failure into LODE_CORRUPT). */
  table_free(t);
  return NULL;
}

static int schema_add(Schema *s, Table *t) {
  Table **grown = util_realloc(s->tables, sizeof(Table *) * (size_t)(s->ntables + 1));
  if (!grown) return LODE_NOMEM;
  s->tables = grown;
  s->tables[s->ntables++] = t;
  return LODE_OK;
}

/* sqlite_schema described as a table of its own. */
static Table *schema_table_itself(void) {
  static const char *const names[SCHEMA_NCOLS] = {"type", "name", "tbl_name", "rootpage", "sql"};
  static const char *const types[SCHEMA_NCOLS] = {"text", "text", "text", "int", "text"};
  Table *t = util_zalloc(sizeof *t);
  int i;
  if (!t) return NULL;
  t->name = util_strdup("sqlite_schema");
  t->sql = util_strdup("CREATE TABLE sqlite_schema(type text,name text,tbl_name text,rootpage int,sql text)");
  t->cols = util_zalloc(sizeof(Column) * SCHEMA_NCOLS);
  t->ncols = SCHEMA_NCOLS;
  t->root = BTREE_SCHEMA_ROOT;
  t->ipk = -1;
  t->readonly = 1;
  if (!t->name || !t->sql || !t->cols) goto fail;
  for (i = 0; i < SCHEMA_NCOLS; i++) {
    t->cols[i].name = util_strdup(names[i]);
    t->cols[i].decltype_ = util_strdup(types[i]);
    t->cols[i].affinity = value_affinity_of_type(types[i]);
    if (!t->cols[i].name || !t->cols[i].decltype_) goto fail;
  }
  return t;
fail:
  table_free(t);
  return NULL;
}

/* One sqlite_schema row, decoded. */
typedef struct SchemaRow {
  Mem col[SCHEMA_NCOLS];
} SchemaRow;

static int read_schema_row(BtCursor *cur, uint8_t **buf, SchemaRow *row) {
  uint32_t size = btree_payload_size(cur);
  RecordHeader h;
  int rc, i;
  uint8_t *p = util_realloc(*buf, size ? size : 1);
  if (!p) return LODE_NOMEM;
  *buf = p;
  rc = btree_payload(cur, 0, size, p);
  if (rc != LODE_OK) return rc;
  record_header_init(&h);
  rc = record_header_parse(&h, p, size, size);
  if (rc == LODE_OK && h.ncol < SCHEMA_NCOLS) rc = LODE_CORRUPT;
  for (i = 0; rc == LODE_OK && i < SCHEMA_NCOLS; i++) {
    uint32_t len = record_serial_len(h.types[i]);
    if (h.offsets[i] + len > size) rc = LODE_CORRUPT;
    else record_decode_value(p + h.offsets[i], h.types[i], &row->col[i]);
  }
  record_header_free(&h);
  /* NUL-terminate the text columns now, so that text_of() cannot fail for
  ** lack of memory later and have that read as a corrupt schema. */
  for (i = 0; rc == LODE_OK && i < SCHEMA_NCOLS; i++) {
    int oom = 0;
    if (row->col[i].type == MEM_TEXT) (void)mem_as_text(&row->col[i], &oom);
    if (oom) rc = LODE_NOMEM;
  }
  return rc;
}

static const char *text_of(Mem *m) {
  int oom = 0;
  if (m->type != MEM_TEXT) return NULL;
  return mem_as_text(m, &oom);
}

/* Returns LODE_OK with *out, LODE_NOMEM, or LODE_CORRUPT with *errmsg. */
static int table_from_sql(const char *sql, uint32_t root, char **errmsg, Table **out) {
  Arena arena;
  Stmt *ast = NULL;
  int rc;
  *out = NULL;
  arena_init(&arena);
  rc = sql_parse(&arena, sql, -1, &ast, NULL, errmsg);
  if (rc == LODE_OK && ast && ast->kind == STMT_CREATE_TABLE) {
    *out = table_from_ast(ast, root, sql, errmsg);
    rc = *out ? LODE_OK : *errmsg ? LODE_CORRUPT : LODE_NOMEM;
  } else if (rc == LODE_OK) {
    *errmsg = util_mprintf("malformed database schema (%s)", sql);
    rc = *errmsg ? LODE_CORRUPT : LODE_NOMEM;
  } else if (rc == LODE_NOMEM) {
    util_free(*errmsg);
    *errmsg = NULL;
  } else {
    rc = LODE_CORRUPT;
  }
  arena_free(&arena);
  return rc;
}

static int is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         (unsigned char)c >= 0x80;
}

/* A partial index's CREATE statement has a WHERE clause: a word "WHERE"
** outside quotes is a good enough sign (the name itself would be quoted). */
static int index_sql_is_partial(const char *sql) {
  const char *z;
  char quote = 0;
  for (z = sql; z && *z; z++) {
    if (quote) {
      if (*z == quote) quote = 0;
    } else if (*z == '\'' || *z == '"' || *z == '`') {
      quote = *z;
    } else if (*z == '[') {
      quote = ']';
    } else if (util_strnicmp(z, "where", 5) == 0 && (z == sql || !is_ident_char(z[-1])) &&
               !is_ident_char(z[5])) {
      return 1;
    }
  }
  return 0;
}

static int schema_add_index(Schema *s, SchemaRow *row, int64_t root) {
  const char *name = text_of(&row->col[1]);
  const char *tbl = text_of(&row->col[2]);
  SchemaIndex *grown, *ix;
  if (!name || !tbl || root < 1 || root > UINT32_MAX) return LODE_CORRUPT;
  grown = util_realloc(s->indexes, sizeof(SchemaIndex) * (size_t)(s->nindexes + 1));
  if (!grown) return LODE_NOMEM;
  s->indexes = grown;
  ix = &s->indexes[s->nindexes];
  memset(ix, 0, sizeof *ix);
  ix->name = util_strdup(name);
  ix->table = util_strdup(tbl);
  if (!ix->name || !ix->table) {
    util_free(ix->name);
    util_free(ix->table);
    return LODE_NOMEM;
  }
  ix->root = (uint32_t)root;
  ix->partial = index_sql_is_partial(text_of(&row->col[4]));
  s->nindexes++;
  return LODE_OK;
}

static int load_row(Schema *s, SchemaRow *row, char **errmsg) {
  const char *type = text_of(&row->col[0]);
  const char *sql = text_of(&row->col[4]);
  int64_t root = mem_as_int(&row->col[3]);
  Table *t;
  if (!type) return LODE_CORRUPT;
  if (strcmp(type, "table") != 0) {
    s->nother++; /* indexes are matched to their tables in a second pass */
    return strcmp(type, "index") == 0 ? schema_add_index(s, row, root) : LODE_OK;
  }
  if (!sql || root < 1 || root > UINT32_MAX) return LODE_CORRUPT;
  int rc = table_from_sql(sql, (uint32_t)root, errmsg, &t);
  if (rc != LODE_OK) return rc;
  if (schema_add(s, t) != LODE_OK) {
    table_free(t);
    return LODE_NOMEM;
  }
  return LODE_OK;
}

/* Second pass: an index row may come before its table's row. */
static int mark_indexed_tables(Schema *s, BtCursor *cur, uint8_t **buf) {
  int eof = 0, rc, i;
  SchemaRow row;
  for (rc = btree_first(cur, &eof); rc == LODE_OK && !eof; rc = btree_next(cur, &eof)) {
    for (i = 0; i < SCHEMA_NCOLS; i++) mem_init(&row.col[i]);
    rc = read_schema_row(cur, buf, &row);
    if (rc == LODE_OK) {
      const char *type = text_of(&row.col[0]);
      const char *tbl = text_of(&row.col[2]);
      if (type && tbl && strcmp(type, "index") == 0) {
        Table *t = schema_find_table(s, tbl);
        if (t) t->has_indexes = 1;
      }
    }
    for (i = 0; i < SCHEMA_NCOLS; i++) mem_release(&row.col[i]);
    if (rc != LODE_OK) return rc;
  }
  return rc;
}

int schema_load(Schema *s, Btree *bt, char **errmsg) {
  BtCursor *cur = NULL;
  uint8_t *buf = NULL;
  uint32_t cookie = 0;
  int rc, eof = 0, i;
  Table *self;
  *errmsg = NULL;
  schema_clear(s);
  self = schema_table_itself();
  if (!self) return LODE_NOMEM;
  rc = schema_add(s, self);
  if (rc != LODE_OK) {
    table_free(self);
    return rc;
  }
  rc = btree_get_meta(bt, BTREE_META_SCHEMA_COOKIE, &cookie);
  if (rc != LODE_OK) goto done;
  if (pager_page_count(btree_pager(bt)) == 0) goto done; /* empty database */
  rc = btree_cursor_open(bt, BTREE_SCHEMA_ROOT, 0, &cur);
  if (rc != LODE_OK) goto done;
  for (rc = btree_first(cur, &eof); rc == LODE_OK && !eof; rc = btree_next(cur, &eof)) {
    SchemaRow row;
    for (i = 0; i < SCHEMA_NCOLS; i++) mem_init(&row.col[i]);
    rc = read_schema_row(cur, &buf, &row);
    if (rc == LODE_OK) rc = load_row(s, &row, errmsg);
    for (i = 0; i < SCHEMA_NCOLS; i++) mem_release(&row.col[i]);
    if (rc != LODE_OK) break;
  }
  if (rc == LODE_OK && s->nother) rc = mark_indexed_tables(s, cur, &buf);
done:
  if (cur) btree_cursor_close(cur);
  util_free(buf);
  if (rc == LODE_OK) {
    s->cookie = cookie;
    s->loaded = 1;
  } else if (!*errmsg) {
    *errmsg = util_strdup(rc == LODE_CORRUPT ? "malformed database schema" : lode_errstr(rc));
  }
  return rc;
}
