/*
** schema.c — building the in-memory schema from sqlite_schema.
**
** sqlite_schema (root page 1) rows are records of five columns:
**   type TEXT, name TEXT, tbl_name TEXT, rootpage INTEGER, sql TEXT.
** Rows are taken in rowid order, as SQLite takes them.  A table is rebuilt by
** parsing its CREATE TABLE text, which also yields the indexes its PRIMARY
** KEY and UNIQUE constraints imply (schema_index.c); the rows of those
** autoindexes (sql NULL) only give them their root pages, matched by name.  A
** CREATE INDEX row is parsed into an arena its Index keeps.  Views and
** triggers are counted only.  Any row SQLite would refuse fails the load with
** SQLite's "malformed database schema (name)[ - reason]".  Once every row is
** in, the statistics of sqlite_stat1 are added (schema_stat.c).
*/
#include <assert.h>
#include <pthread.h>
#include <string.h>

#include "btree/btree.h"
#include "sql/parser.h"
#include "sql/schema_int.h"
#include "sql/token.h"
#include "util/util.h"
#include "value/value.h"

#define SCHEMA_NCOLS 5
#define SCHEMA_FORMAT_MAX 4 /* the newest schema format SQLite writes */
#define SCHEMA_ENC_UTF16LE 2
#define SCHEMA_ENC_UTF16BE 3

Schema *schema_new(void) { return util_zalloc(sizeof(Schema)); }

/* Frees a column string of t unless it lives in t's block (Table.strs). */
static void col_str_free(const Table *t, char *z) {
  if (z && !(t->strs && z >= t->strs && z < t->strs + t->nstrs)) util_free(z);
}

static void col_strs_free(const Table *t, Column *col) {
  col_str_free(t, col->name);
  col_str_free(t, col->decltype_);
  col_str_free(t, col->default_sql);
  col_str_free(t, col->coll_name);
  col_str_free(t, col->gen_sql);
}

void table_column_drop_type(Table *t, int i) {
  col_str_free(t, t->cols[i].decltype_);
  t->cols[i].decltype_ = NULL;
}

void table_free(Table *t) {
  int i;
  if (!t) return;
  for (i = 0; t->cols && i < t->ncols; i++) col_strs_free(t, &t->cols[i]); /* cols is NULL if allocation failed */
  util_free(t->strs);
  while (t->indexes) {
    Index *next = t->indexes->next;
    index_free(t->indexes);
    t->indexes = next;
  }
  while (t->method_indexes) {
    MethodIndex *next = t->method_indexes->next;
    method_index_free(t->method_indexes);
    t->method_indexes = next;
  }
  fkey_free_list(t->fkeys);
  util_free(t->autoindexes);
  util_free(t->cols);
  util_free(t->name);
  util_free(t->sql);
  util_free(t->vtab_module);
  util_free(t);
}

Table *table_from_vtab_ast(const Stmt *c, const char *sql) {
  Table *t = util_zalloc(sizeof *t);
  if (!t) return NULL;
  t->name = util_strdup(c->table);
  t->sql = util_strdup(sql);
  t->vtab_module = util_strdup(c->vtab_module);
  t->ipk = -1;
  t->ipk_conflict = ONCONFLICT_UNSET;
  if (!t->name || !t->sql || !t->vtab_module) {
    table_free(t);
    return NULL;
  }
  return t;
}

static char *dup_or_null(const char *z, int *oom) {
  char *r = z ? util_strdup(z) : NULL;
  if (z && !r) *oom = 1;
  return r;
}

int table_copy_columns(Table *dst, const Table *src) {
  Column *cols = util_zalloc(sizeof(Column) * (size_t)(src->ncols ? src->ncols : 1));
  int oom = !cols;
  for (int i = 0; !oom && i < src->ncols; i++) {
    cols[i] = src->cols[i];
    cols[i].name = dup_or_null(src->cols[i].name, &oom);
    cols[i].decltype_ = dup_or_null(src->cols[i].decltype_, &oom);
    cols[i].default_sql = dup_or_null(src->cols[i].default_sql, &oom);
    cols[i].coll_name = dup_or_null(src->cols[i].coll_name, &oom);
    cols[i].gen_sql = dup_or_null(src->cols[i].gen_sql, &oom);
  }
  /* the columns an earlier connection declared */
  for (int i = 0; i < dst->ncols; i++) col_strs_free(dst, &dst->cols[i]);
  util_free(dst->cols);
  dst->cols = cols;
  dst->ncols = cols ? src->ncols : 0;
  if (oom) {
    for (int i = 0; i < dst->ncols; i++) {
      util_free(cols[i].name);
      util_free(cols[i].decltype_);
      util_free(cols[i].default_sql);
      util_free(cols[i].coll_name);
      util_free(cols[i].gen_sql);
    }
    util_free(cols);
    dst->cols = NULL;
    dst->ncols = 0;
    return LODE_NOMEM;
  }
  return LODE_OK;
}

static void schema_clear_indexes(Schema *s) {
  util_free(s->indexes); /* the Index objects belong to their tables */
  s->indexes = NULL;
  s->nindexes = 0;
}

static void schema_clear_views(Schema *s) {
  for (int i = 0; i < s->nviews; i++) {
    util_free(s->views[i]->name);
    util_free(s->views[i]->sql);
    util_free(s->views[i]);
  }
  util_free(s->views);
  s->views = NULL;
  s->nviews = 0;
}

void schema_clear(Schema *s) {
  int i;
  if (!s) return;
  schema_clear_views(s);
  schema_clear_triggers(s);
  for (i = 0; i < s->ntables; i++) table_free(s->tables[i]);
  util_free(s->tables);
  s->tables = NULL;
  s->ntables = 0;
  util_free(s->table_slots);
  s->table_slots = NULL;
  s->table_slot_mask = 0;
  schema_clear_indexes(s);
  s->nother = 0;
  s->loaded = 0;
  s->cookie = 0;
  s->edited = 0;
  s->last_rowid = 0;
}

void schema_free(Schema *s) {
  schema_clear(s);
  util_free(s);
}

View *schema_find_view(Schema *s, const char *name) {
  if (!name) return NULL;
  for (int i = 0; i < s->nviews; i++)
    if (util_stricmp(s->views[i]->name, name) == 0) return s->views[i];
  return NULL;
}

static void table_slot_put(Schema *s, Table *t) {
  uint32_t k = util_name_hash(t->name) & s->table_slot_mask;
  while (s->table_slots[k]) k = (k + 1) & s->table_slot_mask;
  s->table_slots[k] = t;
}

static void table_slots_rebuild(Schema *s) {
  if (!s->table_slots) return;
  memset(s->table_slots, 0, sizeof(Table *) * (s->table_slot_mask + 1));
  for (int i = 0; i < s->ntables; i++) table_slot_put(s, s->tables[i]);
}

/* Makes room in the name index for one more table (LODE_NOMEM). */
static int table_slots_reserve(Schema *s) {
  uint32_t cap = s->table_slots ? s->table_slot_mask + 1 : 0;
  if ((uint64_t)(s->ntables + 1) * 2 <= cap) return LODE_OK;
  uint32_t ncap = cap ? cap * 2 : 16;
  Table **slots = util_malloc(sizeof(Table *) * ncap);
  if (!slots) return LODE_NOMEM;
  util_free(s->table_slots);
  s->table_slots = slots;
  s->table_slot_mask = ncap - 1;
  table_slots_rebuild(s);
  return LODE_OK;
}

void schema_set_table(Schema *s, int k, Table *t) {
  assert(k >= 0 && k < s->ntables && t);
  s->tables[k] = t;
  table_slots_rebuild(s);
}

void schema_remove_table(Schema *s, Table *t) {
  for (int i = 0; i < s->ntables; i++) {
    if (s->tables[i] != t) continue;
    memmove(&s->tables[i], &s->tables[i + 1], (size_t)(s->ntables - i - 1) * sizeof(Table *));
    s->ntables--;
    table_slots_rebuild(s);
    return;
  }
}

Table *schema_find_table(Schema *s, const char *name) {
  if (!name) return NULL;
  if (s->table_slots)
    for (uint32_t k = util_name_hash(name) & s->table_slot_mask; s->table_slots[k]; k = (k + 1) & s->table_slot_mask)
      if (util_stricmp(s->table_slots[k]->name, name) == 0) return s->table_slots[k];
  /* The legacy name of the schema table. */
  if (util_stricmp(name, "sqlite_master") == 0) return schema_find_table(s, "sqlite_schema");
  if (s->db == 1 && (util_stricmp(name, "sqlite_temp_master") == 0 || util_stricmp(name, "sqlite_temp_schema") == 0))
    return schema_find_table(s, "sqlite_schema");
  return NULL;
}

Index *schema_find_index(Schema *s, const char *name) {
  if (!name) return NULL;
  for (int i = 0; i < s->ntables; i++) {
    for (Index *ix = s->tables[i]->indexes; ix; ix = ix->next)
      if (util_stricmp(ix->name, name) == 0) return ix;
  }
  return NULL;
}

int table_record_ncols(const Table *t) { return t->ncols - t->nvirtual; }

int table_column_pos(const Table *t, int col) {
  assert(col < 0 || col >= t->ncols || t->cols[col].generated != COLGEN_VIRTUAL);
  if (!t->without_rowid || !t->pk) {
    int pos = col;
    for (int i = 0; t->nvirtual && i < col; i++) pos -= t->cols[i].generated == COLGEN_VIRTUAL;
    return pos;
  }
  for (int k = 0; k < t->pk->ncols; k++)
    if (t->pk->cols[k].cid == col) return k;
  assert(0);
  return col;
}

int table_column_index(const Table *t, const char *name) {
  int i;
  for (i = 0; i < t->ncols; i++)
    if (util_stricmp(t->cols[i].name, name) == 0) return i;
  return -1;
}

static int is_integer_type(const char *t) { return t && util_stricmp(t, "INTEGER") == 0; }

/* A column's declared type as SQLite keeps it: a type written as one quoted
** token is dequoted ('INTEGER' is INTEGER, and makes a rowid alias), and one
** of the standard names (INT, INTEGER, REAL, TEXT, BLOB, ANY) is upper case,
** as PRAGMA table_info shows it, written to r (strlen(written) + 1 bytes).
** NULL for none. */
static char *column_type(const char *written, char *r) {
  static const char *const std_types[] = {"INT", "INTEGER", "REAL", "TEXT", "BLOB", "ANY"};
  char q = written ? written[0] : 0;
  size_t n, i, j;
  if (!written) return NULL;
  strcpy(r, written);
  if (q == '[') q = ']';
  n = strlen(r);
  if ((q == '\'' || q == '"' || q == '`' || q == ']') && n >= 2) {
    for (i = 1; i < n; i++) {
      if (r[i] != q) continue;
      if (q != ']' && i + 1 < n && r[i + 1] == q) {
        i++; /* a doubled quote */
        continue;
      }
      break;
    }
    if (i == n - 1) { /* the closing quote ends the type: one quoted token */
      for (i = 1, j = 0; i < n - 1; i++) {
        r[j++] = r[i];
        if (r[i] == q && q != ']') i++;
      }
      r[j] = 0;
    }
  }
  for (i = 0; i < sizeof std_types / sizeof std_types[0]; i++) {
    if (util_stricmp(r, std_types[i]) == 0) memcpy(r, std_types[i], strlen(r));
  }
  return r;
}

/* The column that aliases the rowid: a sole PRIMARY KEY column declared
** exactly "INTEGER" (and not "INTEGER PRIMARY KEY DESC", a SQLite quirk;
** "PRIMARY KEY (x DESC)" is an alias).  In a WITHOUT ROWID table the column
** that would be the alias. */
static int find_rowid_alias(const Stmt *c, const Table *t) {
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
  return is_integer_type(t->cols[pk].decltype_) ? pk : -1;
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
  /* every column's strings in one block */
  size_t nstrs = 0;
  for (i = 0; i < c->ncoldefs; i++) {
    const ColumnDef *d = &c->coldefs[i];
    nstrs += strlen(d->name) + 1;
    if (d->type) nstrs += strlen(d->type) + 1;
    if (d->default_span) nstrs += strlen(d->default_span) + 1;
    if (d->generated) nstrs += strlen(d->gen_span ? d->gen_span : "NULL") + 1;
    if (d->collation) nstrs += strlen(d->collation) + 1;
  }
  char *next = t->strs = util_malloc(nstrs ? nstrs : 1);
  if (!next) goto oom;
  t->nstrs = nstrs;
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
    col->name = strcpy(next, d->name);
    next += strlen(next) + 1;
    col->decltype_ = column_type(d->type, next);
    if (d->type) next += strlen(d->type) + 1;
    if (d->default_span) {
      col->default_sql = strcpy(next, d->default_span);
      next += strlen(next) + 1;
    }
    col->affinity = value_affinity_of_type(col->decltype_);
    col->not_null = d->not_null;
    col->notnull_conflict = d->not_null ? d->notnull_conflict : ONCONFLICT_UNSET;
    col->primary_key = d->primary_key != 0;
    col->unique = d->unique;
    col->pk_order = d->primary_key ? 1 : 0;
    if (d->generated) {
      col->generated = d->generated;
      col->gen_sql = strcpy(next, d->gen_span ? d->gen_span : "NULL");
      next += strlen(next) + 1;
      t->ngenerated++;
      t->nvirtual += d->generated == COLGEN_VIRTUAL;
    }
    col->coll = schema_collation(d->collation);
    if (d->collation) {
      col->coll_name = strcpy(next, d->collation);
      next += strlen(next) + 1;
    }
  }
  for (i = 0; i < c->nconstraints; i++) {
    const TableConstraint *tc = &c->constraints[i];
    if (tc->kind != TC_PRIMARY_KEY) continue;
    for (j = 0; j < tc->ncols; j++) {
      int k = table_column_index(t, tc->cols[j]);
      if (k < 0) {
        *errmsg = schema_constraint_term_error(tc, j);
        table_free(t);
        return NULL;
      }
      t->cols[k].primary_key = 1;
      if (!t->cols[k].pk_order) t->cols[k].pk_order = j + 1; /* a column named twice counts once */
    }
  }
  int alias = find_rowid_alias(c, t);
  t->without_rowid = c->without_rowid;
  t->ipk = t->without_rowid ? -1 : alias;
  t->ipk_conflict = t->ipk >= 0 ? schema_pk_conflict(c, t->ipk) : ONCONFLICT_UNSET;
  t->autoinc = t->ipk >= 0 && c->coldefs[t->ipk].autoincrement;
  for (i = 0; i < c->nconstraints; i++) t->has_checks |= c->constraints[i].kind == TC_CHECK;
  t->strict = c->strict;
  if (table_build_autoindexes(t, c, alias, errmsg) != LODE_OK) {
    if (*errmsg) { /* a message means a refused definition, none means out of memory */
      table_free(t);
      return NULL;
    }
    goto oom;
  }
  if (table_build_fkeys(t, c, errmsg) != LODE_OK) {
    if (*errmsg) {
      table_free(t);
      return NULL;
    }
    goto oom;
  }
  /* The PRIMARY KEY of a WITHOUT ROWID table is its b-tree's key: no NULLs.
  ** A STRICT table's PRIMARY KEY columns refuse NULLs too, as in SQLite
  ** (the INTEGER PRIMARY KEY excepted: NULL there means a new rowid). */
  if ((t->without_rowid || t->strict) && t->pk)
    for (i = 0; i < t->pk->nkey; i++) t->cols[t->pk->cols[i].cid].not_null = 1;
  return t;
oom:
  /* No message: callers read a NULL *errmsg as LODE_NOMEM (not as a bad
  ** schema, which would turn an allocation failure into LODE_CORRUPT). */
  table_free(t);
  return NULL;
}

static int schema_add(Schema *s, Table *t) {
  if (table_slots_reserve(s) != LODE_OK) return LODE_NOMEM;
  Table **grown = util_realloc(s->tables, sizeof(Table *) * (size_t)(s->ntables + 1));
  if (!grown) return LODE_NOMEM;
  s->tables = grown;
  t->db = s->db;
  t->added = ++s->nadded;
  s->tables[s->ntables++] = t;
  table_slot_put(s, t);
  return LODE_OK;
}

/* sqlite_schema described as a table of its own. */
static Table *schema_table_itself(void) {
  static const char *const names[SCHEMA_NCOLS] = {"type", "name", "tbl_name", "rootpage", "sql"};
  static const char *const types[SCHEMA_NCOLS] = {"TEXT", "TEXT", "TEXT", "INT", "TEXT"}; /* as SQLite declares them */
  static const char affinities[SCHEMA_NCOLS] = {AFF_TEXT, AFF_TEXT, AFF_TEXT, AFF_INTEGER, AFF_TEXT}; /* of types */
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
  for (i = 0; i < SCHEMA_NCOLS; i++) t->nstrs += strlen(names[i]) + strlen(types[i]) + 2;
  char *next = t->strs = util_malloc(t->nstrs);
  if (!next) goto fail;
  for (i = 0; i < SCHEMA_NCOLS; i++) {
    t->cols[i].name = strcpy(next, names[i]);
    next += strlen(next) + 1;
    t->cols[i].decltype_ = strcpy(next, types[i]);
    next += strlen(next) + 1;
    t->cols[i].affinity = affinities[i];
    assert(affinities[i] == value_affinity_of_type(types[i]));
  }
  return t;
fail:
  table_free(t);
  return NULL;
}

/* One sqlite_schema row, decoded: text[i] is column i's text, NUL-terminated
** (NULL when the column is not text), copied out of the record into the
** row's scratch buffer. */
typedef struct SchemaRow {
  Mem col[SCHEMA_NCOLS];
  const char *text[SCHEMA_NCOLS];
} SchemaRow;

/* Reads the cursor's row into *buf (grown as needed, kept for the next row):
** the record, then each text column again with a NUL after it, so that the
** texts need no allocation of their own, nor can lack one and have that
** read as a corrupt schema.  h is the record's header, parsed into room the
** previous rows made. */
static int read_schema_row(BtCursor *cur, uint8_t **buf, RecordHeader *h, SchemaRow *row) {
  uint32_t size = btree_payload_size(cur);
  int rc, i;
  /* the texts are parts of the record, so they fit in size bytes plus their NULs */
  uint8_t *p = util_realloc(*buf, (size_t)size * 2 + SCHEMA_NCOLS);
  if (!p) return LODE_NOMEM;
  *buf = p;
  rc = btree_payload(cur, 0, size, p);
  if (rc != LODE_OK) return rc;
  rc = record_header_parse(h, p, size, size);
  if (rc == LODE_OK && h->ncol < SCHEMA_NCOLS) rc = LODE_CORRUPT;
  for (i = 0; rc == LODE_OK && i < SCHEMA_NCOLS; i++) {
    uint32_t len = record_serial_len(h->types[i]);
    if (h->offsets[i] + len > size) rc = LODE_CORRUPT;
    else record_decode_value(p + h->offsets[i], h->types[i], &row->col[i]);
  }
  char *t = (char *)p + size;
  for (i = 0; rc == LODE_OK && i < SCHEMA_NCOLS; i++) {
    const Mem *m = &row->col[i];
    if (m->type != MEM_TEXT) continue;
    if (m->n > 0) memcpy(t, m->z, (size_t)m->n);
    t[m->n] = 0;
    row->text[i] = t;
    t += m->n + 1;
  }
  return rc;
}

/* Replaces *errmsg by SQLite's "malformed database schema (name)[ - why]";
** why may be the old *errmsg.  Returns LODE_CORRUPT, or LODE_NOMEM. */
static int malformed(char **errmsg, const char *name, const char *why) {
  char *msg = why ? util_mprintf("malformed database schema (%s) - %s", name, why)
                  : util_mprintf("malformed database schema (%s)", name);
  util_free(*errmsg);
  *errmsg = msg;
  return msg ? LODE_CORRUPT : LODE_NOMEM;
}

/* What SQLite says of a stored CREATE statement whose name carries a schema
** qualifier: the text was not written by CREATE, which stores names bare. */
#define QUALIFIED_WHY "corrupt database"

/* The CREATE TABLE, CREATE VIRTUAL TABLE, CREATE VIEW and CREATE TRIGGER
** texts of stored schemas, parsed once per process: every connection that
** opens a database reads the same texts, and parsing them was most of
** loading a schema.  A Table copies what it needs out of the statement, a
** view's or trigger's row is only checked against it (the parse of one
** text is always the same statement, whichever connection reads it), so a
** cached statement is never changed once made, and never freed: the cache
** stops growing at PARSED_MAX texts (each holds at least one 4 KiB arena
** block, so the process keeps at most about 1 MiB for them), and later ones
** are parsed each time.  (An index keeps its statement's expressions, so
** CREATE INDEX texts are parsed by each load.) */
#define PARSED_SLOTS 256 /* hash chains; a power of two */
#define PARSED_MAX 256

typedef struct ParsedStmt {
  uint32_t hash;
  size_t len;
  char *sql;
  const Stmt *ast;
  Arena arena; /* the statement's nodes */
  struct ParsedStmt *next;
} ParsedStmt;

static pthread_mutex_t parsed_lock = PTHREAD_MUTEX_INITIALIZER;
static ParsedStmt *parsed_slots[PARSED_SLOTS];
static int parsed_count;

static uint32_t text_hash(const char *z, size_t n) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)z[i]) * 16777619u;
  return h;
}

static const Stmt *parsed_find_locked(const char *sql, size_t len, uint32_t hash) {
  for (const ParsedStmt *e = parsed_slots[hash & (PARSED_SLOTS - 1)]; e; e = e->next)
    if (e->hash == hash && e->len == len && memcmp(e->sql, sql, len) == 0) return e->ast;
  return NULL;
}

/* The statement sql parses to (sql_parse_stored), from the cache or parsed
** now and cached when it is of a kind the cache holds.  NULL with the parse's code in *rc
** (and *errmsg) when it does not parse or memory ran out; NULL with *rc
** LODE_OK when it parsed to another kind of statement or the cache is full,
** and the caller then parses it itself. */
static const Stmt *parsed_stored(const char *sql, int *rc, char **errmsg) {
  size_t len = strlen(sql);
  uint32_t hash = text_hash(sql, len);
  pthread_mutex_lock(&parsed_lock);
  const Stmt *ast = parsed_find_locked(sql, len, hash);
  int full = parsed_count >= PARSED_MAX;
  pthread_mutex_unlock(&parsed_lock);
  *rc = LODE_OK;
  if (ast || full) return ast;
  ParsedStmt *e = util_zalloc(sizeof *e);
  if (!e || !(e->sql = util_strndup(sql, len))) {
    util_free(e);
    *rc = LODE_NOMEM;
    return NULL;
  }
  Stmt *made = NULL;
  arena_init(&e->arena);
  *rc = sql_parse_stored(&e->arena, sql, -1, &made, NULL, errmsg);
  if (*rc != LODE_OK || !made ||
      (made->kind != STMT_CREATE_TABLE && made->kind != STMT_CREATE_VTAB && made->kind != STMT_CREATE_VIEW &&
       made->kind != STMT_CREATE_TRIGGER)) {
    arena_free(&e->arena);
    util_free(e->sql);
    util_free(e);
    return NULL;
  }
  e->hash = hash;
  e->len = len;
  e->ast = made;
  pthread_mutex_lock(&parsed_lock);
  ast = parsed_find_locked(sql, len, hash); /* another thread may have parsed it meanwhile */
  if (!ast && parsed_count < PARSED_MAX) {
    e->next = parsed_slots[hash & (PARSED_SLOTS - 1)];
    parsed_slots[hash & (PARSED_SLOTS - 1)] = e;
    parsed_count++;
    ast = made;
    e = NULL;
  }
  pthread_mutex_unlock(&parsed_lock);
  if (e) {
    arena_free(&e->arena);
    util_free(e->sql);
    util_free(e);
  }
  return ast;
}

/* Returns LODE_OK with *out, LODE_NOMEM, or LODE_CORRUPT with *errmsg. */
static int table_from_sql(const char *name, const char *sql, uint32_t root, char **errmsg, Table **out) {
  Arena arena;
  const Stmt *ast = NULL;
  Stmt *parsed = NULL;
  int rc;
  *out = NULL;
  arena_init(&arena);
  ast = parsed_stored(sql, &rc, errmsg);
  if (!ast && rc == LODE_OK) {
    /* not a table's statement, or not cached: parsed as before, for the checks and messages below */
    rc = sql_parse_stored(&arena, sql, -1, &parsed, NULL, errmsg);
    ast = parsed;
  }
  if (rc == LODE_OK && ast && ast->schema) {
    rc = malformed(errmsg, name, QUALIFIED_WHY);
  } else if (rc == LODE_OK && ast && ast->kind == STMT_CREATE_TABLE && !ast->as_select &&
      util_stricmp(ast->table, name) == 0 && root != 0) {
    *out = table_from_ast(ast, root, sql, errmsg);
    rc = *out ? LODE_OK : *errmsg ? malformed(errmsg, name, *errmsg) : LODE_NOMEM;
  } else if (rc == LODE_OK && ast && ast->kind == STMT_CREATE_VTAB && util_stricmp(ast->table, name) == 0 &&
             root == 0) {
    *out = table_from_vtab_ast(ast, sql);
    rc = *out ? LODE_OK : LODE_NOMEM;
  } else if (rc == LODE_OK) {
    rc = malformed(errmsg, name, NULL);
  } else if (rc == LODE_NOMEM) {
    util_free(*errmsg);
    *errmsg = NULL;
  } else {
    rc = malformed(errmsg, name, *errmsg);
  }
  arena_free(&arena);
  return rc;
}

static int schema_list_index(Schema *s, Index *ix) {
  Index **grown = util_realloc(s->indexes, sizeof(Index *) * (size_t)(s->nindexes + 1));
  if (!grown) return LODE_NOMEM;
  s->indexes = grown;
  s->indexes[s->nindexes++] = ix;
  return LODE_OK;
}

/* A root page SQLite would accept for an index: past sqlite_schema's and
** inside the file (npages 0: size unknown).  SQLite lets a CREATE INDEX row
** with root 0 load (and fail when used); Lode refuses it with the others. */
static int index_root_ok(int64_t root, uint32_t npages) {
  return root >= 2 && root <= UINT32_MAX && (npages == 0 || root <= npages);
}

/* Another index of t (not skip) already has the b-tree at root: two
** indexes writing one b-tree would break each other's order. */
static int root_of_sibling(const Table *t, const Index *skip, int64_t root) {
  for (const Index *o = t ? t->indexes : NULL; o; o = o->next)
    if (o != skip && index_has_own_btree(o) && o->root == (uint64_t)root) return 1;
  return 0;
}

/* An autoindex row: the root page of an index a CREATE TABLE implied. */
static int load_autoindex_row(Schema *s, const char *name, int64_t root, uint32_t npages, char **errmsg) {
  Index *ix = schema_find_index(s, name);
  if (!ix || !ix->autoindex) return malformed(errmsg, name, "orphan index");
  /* A row naming a WITHOUT ROWID table's primary key, which has no b-tree
  ** of its own: SQLite loads it (and the table then reads as corrupt), so
  ** only the statements that use the table fail. */
  if (!index_has_own_btree(ix)) {
    ix->table->pk_row = 1;
    return LODE_OK;
  }
  if (ix->root != 0) return malformed(errmsg, name, NULL); /* a second row for it */
  if (!index_root_ok(root, npages) || root_of_sibling(ix->table, ix, root))
    return malformed(errmsg, name, "invalid rootpage");
  ix->root = (uint32_t)root;
  return schema_list_index(s, ix);
}

/* The checks SQLite makes of a CREATE INDEX row before building the index:
** the text must create the object the row names, on the table it names. */
static int check_index_row(Schema *s, const Stmt *ast, const char *name, const char *tbl, int64_t root,
                           uint32_t npages, char **errmsg, Table **table) {
  char *why;
  int rc;
  *table = NULL;
  if (!ast || ast->kind != STMT_CREATE_INDEX || util_stricmp(ast->index, name) != 0 ||
      util_stricmp(ast->table, tbl) != 0)
    return malformed(errmsg, name, NULL);
  if (ast->schema && util_stricmp(ast->schema, "main") != 0) why = util_mprintf("unknown database %s", ast->schema);
  else if (!(*table = schema_find_table(s, ast->table))) why = util_mprintf("no such table: main.%s", ast->table);
  else if ((*table)->root == BTREE_SCHEMA_ROOT) why = util_strdup("table sqlite_master may not be indexed");
  else if (schema_find_index(s, name)) why = util_mprintf("index %s already exists", name);
  else if (!index_root_ok(root, npages) || root_of_sibling(*table, NULL, root)) why = util_strdup("invalid rootpage");
  else return LODE_OK;
  rc = why ? malformed(errmsg, name, why) : LODE_NOMEM;
  util_free(why);
  return rc;
}

/* A CREATE INDEX … USING row: an index method's index (root 0) or one of
** its backing b-trees (a root page). */
static int load_method_index(Schema *s, const Stmt *ast, const char *name, const char *tbl, int64_t root,
                             uint32_t npages, const char *sql, char **errmsg) {
  Table *t;
  char *why = NULL;
  int backing = util_stricmp(ast->index_method, METHOD_BACKING_BTREE) == 0;
  if (util_stricmp(ast->index, name) != 0 || util_stricmp(ast->table, tbl) != 0) return malformed(errmsg, name, NULL);
  if (!(t = schema_find_table(s, ast->table))) why = util_mprintf("no such table: main.%s", ast->table);
  else if (schema_find_index(s, name) || schema_find_method_index(s, name))
    why = util_mprintf("index %s already exists", name);
  else if (backing ? !index_root_ok(root, npages) : root != 0) why = util_strdup("invalid rootpage");
  if (why || !t) {
    int rc = why ? malformed(errmsg, name, why) : LODE_NOMEM;
    util_free(why);
    return rc;
  }
  MethodIndex *mi = method_index_from_ast(ast, t, (uint32_t)root, sql, errmsg);
  if (!mi) return *errmsg ? malformed(errmsg, name, *errmsg) : LODE_NOMEM;
  table_add_method_index(t, mi);
  return LODE_OK;
}

/* A CREATE INDEX row: its text is parsed into an arena the Index keeps. */
static int load_index_sql(Schema *s, const char *name, const char *tbl, int64_t root, const char *sql,
                          uint32_t npages, char **errmsg) {
  Arena arena;
  Stmt *ast = NULL;
  Table *t = NULL;
  Index *ix;
  int rc;
  arena_init(&arena);
  /* Index expressions of a persistent schema may not call direct-only functions. */
  rc = s->db == 1 ? sql_parse(&arena, sql, -1, &ast, NULL, errmsg) : sql_parse_schema(&arena, sql, -1, &ast, NULL, errmsg);
  if (rc == LODE_OK && ast && ast->kind == STMT_CREATE_INDEX && ast->index_method) {
    rc = load_method_index(s, ast, name, tbl, root, npages, sql, errmsg);
    arena_free(&arena);
    return rc;
  }
  if (rc == LODE_OK && ast && ast->schema) {
    rc = malformed(errmsg, name, QUALIFIED_WHY);
  } else if (rc == LODE_OK) {
    rc = check_index_row(s, ast, name, tbl, root, npages, errmsg, &t);
  } else if (rc == LODE_NOMEM) {
    util_free(*errmsg);
    *errmsg = NULL;
  } else {
    rc = malformed(errmsg, name, *errmsg);
  }
  if (rc != LODE_OK) {
    arena_free(&arena);
    return rc;
  }
  ix = index_from_ast(ast, t, (uint32_t)root, sql, &arena, errmsg);
  arena_free(&arena); /* empty now: the index took it over, or freed it */
  if (!ix) return *errmsg ? malformed(errmsg, name, *errmsg) : LODE_NOMEM;
  table_add_index(t, ix);
  return schema_list_index(s, ix);
}

static int load_view_row(Schema *s, const char *name, const char *sql, char **errmsg) {
  View *v, **grown;
  if (!name || !sql) return malformed(errmsg, name ? name : "?", NULL);
  if (!(v = util_zalloc(sizeof *v))) return LODE_NOMEM;
  v->name = util_strdup(name);
  v->sql = util_strdup(sql);
  grown = util_realloc(s->views, sizeof(*s->views) * (size_t)(s->nviews + 1));
  if (!v->name || !v->sql || !grown) {
    util_free(v->name);
    util_free(v->sql);
    util_free(v);
    if (grown) s->views = grown;
    return LODE_NOMEM;
  }
  s->views = grown;
  v->db = s->db;
  v->added = ++s->nadded;
  v->row = s->nother;
  s->views[s->nviews++] = v;
  return LODE_OK;
}

/* The type sqlite_schema gives the object a stored CREATE statement makes,
** read from its leading keywords; NULL for text that is no such statement. */
static const char *created_type(const char *sql) {
  /* what CREATE writes, as it writes it, read without the tokenizer */
  static const struct {
    const char *prefix, *type;
  } common[] = {{"CREATE TABLE ", "table"}, {"CREATE INDEX ", "index"}, {"CREATE UNIQUE INDEX ", "index"},
                {"CREATE VIEW ", "view"}, {"CREATE TRIGGER ", "trigger"}, {"CREATE VIRTUAL TABLE ", "table"}};
  for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
    if (strncmp(sql, common[i].prefix, strlen(common[i].prefix)) == 0) return common[i].type;
  const char *z = sql, *end = sql + strlen(sql);
  int code, step = 0;
  for (;;) {
    int n = sql_token_get(z, end, &code);
    if (n <= 0) return NULL;
    z += n;
    if (code == TK_SPACE) continue;
    if (step++ == 0) {
      if (code != TK_CREATE) return NULL;
      continue;
    }
    switch (code) {
    case TK_TEMP: case TK_UNIQUE: continue;
    case TK_TABLE: case TK_VIRTUAL: return "table";
    case TK_INDEX: return "index";
    case TK_VIEW: return "view";
    case TK_TRIGGER: return "trigger";
    default: return NULL;
    }
  }
}

/* The checks SQLite makes of a view's or trigger's row as it loads the
** schema: the text parses, creates an object of the row's name (without a
** schema qualifier) and, for a trigger, on the row's table.  Lode compiles
** both when first used; this parse only checks. */
static int check_lazy_row(const char *type, const char *name, const char *tbl, const char *sql, char **errmsg) {
  Arena arena;
  const Stmt *ast = NULL;
  Stmt *parsed = NULL;
  int rc;
  arena_init(&arena);
  ast = parsed_stored(sql, &rc, errmsg);
  if (!ast && rc == LODE_OK) {
    rc = sql_parse_stored(&arena, sql, -1, &parsed, NULL, errmsg);
    ast = parsed;
  }
  if (rc == LODE_NOMEM) {
    util_free(*errmsg);
    *errmsg = NULL;
  } else if (rc != LODE_OK) {
    rc = malformed(errmsg, name, *errmsg);
  } else if (ast && ast->schema) {
    rc = malformed(errmsg, name, QUALIFIED_WHY);
  } else if (!ast || (strcmp(type, "view") == 0
                          ? ast->kind != STMT_CREATE_VIEW || util_stricmp(ast->table, name) != 0 ||
                                util_stricmp(tbl, name) != 0
                          : ast->kind != STMT_CREATE_TRIGGER || util_stricmp(ast->trigger->name, name) != 0 ||
                                util_stricmp(ast->table, tbl) != 0)) {
    rc = malformed(errmsg, name, NULL);
  }
  arena_free(&arena);
  return rc;
}

/* One row of sqlite_schema, read as SQLite reads it: the object is what its
** CREATE text makes; check (off while writable_schema is on) also requires
** the row's type, name and tbl_name to agree with the text. */
static int load_row(Schema *s, SchemaRow *row, uint32_t npages, int check, char **errmsg) {
  const char *type = row->text[0];
  const char *name = row->text[1];
  const char *tbl = row->text[2];
  const char *sql = row->text[4];
  int64_t root = mem_as_int(&row->col[3]);
  const char *made;
  Table *t;
  int rc;
  /* SQLite refuses a row without a rootpage whatever its type, naming the
  ** object "?" when the row has no name either. */
  if (!type || row->col[3].type == MEM_NULL) return malformed(errmsg, name ? name : "?", NULL);
  if (strcmp(type, "table") != 0) s->nother++;
  if (!sql || (sql[0] | 0x20) != 'c' || (sql[1] | 0x20) != 'r') {
    /* No CREATE text: the row of an index its table's definition implied. */
    if (!name || (sql && *sql)) return malformed(errmsg, name ? name : "?", NULL);
    return load_autoindex_row(s, name, root, npages, errmsg);
  }
  if (!name) return malformed(errmsg, "?", NULL);
  made = created_type(sql);
  if (made && check && (util_stricmp(type, made) != 0 || !tbl)) return malformed(errmsg, name, NULL);
  if (made && strcmp(made, "view") == 0) {
    if (check && (rc = check_lazy_row(made, name, tbl, sql, errmsg)) != LODE_OK) return rc;
    return load_view_row(s, name, sql, errmsg);
  }
  if (made && strcmp(made, "trigger") == 0) {
    if (check && (rc = check_lazy_row(made, name, tbl, sql, errmsg)) != LODE_OK) return rc;
    return schema_load_trigger_row(s, name, tbl, sql, errmsg);
  }
  if (made && strcmp(made, "index") == 0) {
    if (!tbl) return malformed(errmsg, name, NULL);
    return load_index_sql(s, name, tbl, root, sql, npages, errmsg);
  }
  if (check && made && util_stricmp(tbl, name) != 0) return malformed(errmsg, name, NULL);
  if (root < 0 || root > UINT32_MAX) return malformed(errmsg, name, "invalid rootpage");
  /* Page 1 belongs to sqlite_schema, and a root past the end names no page:
  ** either would let a write overwrite another object, so the schema is
  ** refused as sqlite3 refuses it. */
  if (root == BTREE_SCHEMA_ROOT) return malformed(errmsg, name, NULL);
  if (root > npages) return malformed(errmsg, name, "invalid rootpage");
  rc = table_from_sql(name, sql, (uint32_t)root, errmsg, &t);
  if (rc != LODE_OK) return rc;
  if (schema_add(s, t) != LODE_OK) {
    table_free(t);
    return LODE_NOMEM;
  }
  return LODE_OK;
}

/* The header's schema format (1..4 are SQLite's; 0 in a file never written)
** and text encoding.  Text in a UTF-16 database would be misread and, once
** written, mixed with UTF-8: such files are refused, never guessed at. */
static int check_format(Btree *bt, char **errmsg) {
  uint32_t format = 0, enc = 0;
  int rc = btree_get_meta(bt, BTREE_META_SCHEMA_FORMAT, &format);
  if (rc == LODE_OK) rc = btree_get_meta(bt, BTREE_META_TEXT_ENCODING, &enc);
  if (rc != LODE_OK) return rc;
  if ((int32_t)format > SCHEMA_FORMAT_MAX) {
    *errmsg = util_strdup("unsupported file format");
    return LODE_ERROR;
  }
  if ((enc & 3) == SCHEMA_ENC_UTF16LE || (enc & 3) == SCHEMA_ENC_UTF16BE) {
    *errmsg = util_mprintf("unsupported file format: the database is UTF-16%s (Lode reads UTF-8 databases only)",
                           (enc & 3) == SCHEMA_ENC_UTF16LE ? "le" : "be");
    return LODE_ERROR;
  }
  return LODE_OK;
}

/* Why a load failed, for schema_load_explained (NULL: not asked). */
typedef struct LoadFail {
  char *bad, *why;
} LoadFail;

/* The reason in "malformed database schema (name) - why", or "". */
static const char *malformed_reason(const char *msg, const char *name) {
  static const char prefix[] = "malformed database schema (";
  size_t np = sizeof prefix - 1, nn = strlen(name);
  if (!msg || strncmp(msg, prefix, np) != 0 || strncmp(msg + np, name, nn) != 0 || msg[np + nn] != ')') return "";
  msg += np + nn + 1;
  return strncmp(msg, " - ", 3) == 0 ? msg + 3 : "";
}

/* The row a load failed at, named as ALTER TABLE's check of the stored
** texts names it: only rows that check reads (not sqlite_ names, a text
** that is not a virtual table's) and finds fault with: a text that is no
** CREATE statement, or one that does not compile (a CREATE statement of
** another kind or name than its row's compiles, and is left unnoted). */
static int note_failed_row(LoadFail *f, SchemaRow *row, const char *errmsg) {
  const char *type = row->text[0];
  const char *name = row->text[1];
  const char *sql = row->text[4];
  if (!type || !name || !sql || util_strnicmp(name, "sqlite_", 7) == 0 ||
      util_strnicmp(sql, "create virtual", 14) == 0)
    return LODE_OK;
  int create = util_strnicmp(sql, "CREATE ", 7) == 0;
  if (create && !*malformed_reason(errmsg, name)) return LODE_OK;
  f->bad = util_mprintf("%s %s", type, name);
  f->why = util_strdup(create ? malformed_reason(errmsg, name) : "");
  if (f->bad && f->why) return LODE_OK;
  util_free(f->bad);
  util_free(f->why);
  f->bad = f->why = NULL;
  return LODE_NOMEM;
}

/* Loads the rows from the cursor's position on (the cursor on a row, or
** eof), noting the highest rowid seen; then the statistics when asked. */
static int load_rows(Schema *s, Btree *bt, BtCursor *cur, int eof, int skip_bad_rows, int stats, char **errmsg,
                     LoadFail *fail) {
  uint8_t *buf = NULL;
  RecordHeader h;
  uint32_t npages = btree_page_count(bt);
  int rc = LODE_OK, i;
  record_header_init(&h);
  for (; rc == LODE_OK && !eof; rc = btree_next(cur, &eof)) {
    SchemaRow row;
    int64_t rowid = 0;
    for (i = 0; i < SCHEMA_NCOLS; i++) {
      mem_init(&row.col[i]);
      row.text[i] = NULL;
    }
    rc = btree_rowid_get(cur, &rowid);
    if (rowid > s->last_rowid) s->last_rowid = rowid;
    if (rc == LODE_OK) rc = read_schema_row(cur, &buf, &h, &row);
    if (rc == LODE_OK) rc = load_row(s, &row, npages, !skip_bad_rows, errmsg);
    if (rc == LODE_CORRUPT && skip_bad_rows) {
      util_free(*errmsg);
      *errmsg = NULL;
      rc = LODE_OK;
    } else if (rc == LODE_CORRUPT && fail && note_failed_row(fail, &row, *errmsg) != LODE_OK) {
      rc = LODE_NOMEM;
    }
    for (i = 0; i < SCHEMA_NCOLS; i++) mem_release(&row.col[i]);
    if (rc != LODE_OK) break;
  }
  util_free(buf);
  record_header_free(&h);
  if (rc == LODE_OK && stats) rc = schema_load_stats(s, bt);
  return rc;
}

static int load_all(Schema *s, Btree *bt, int skip_bad_rows, char **errmsg, LoadFail *fail) {
  BtCursor *cur = NULL;
  uint32_t cookie = 0;
  int rc, eof = 0;
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
  if (btree_page_count(bt) == 0) goto done; /* empty database */
  if ((rc = check_format(bt, errmsg)) != LODE_OK) goto done;
  rc = btree_cursor_open(bt, BTREE_SCHEMA_ROOT, 0, &cur);
  if (rc == LODE_OK) rc = btree_first(cur, &eof);
  if (rc == LODE_OK) rc = load_rows(s, bt, cur, eof, skip_bad_rows, 1, errmsg, fail);
done:
  if (cur) btree_cursor_close(cur);
  if (rc == LODE_OK) {
    s->cookie = cookie;
    s->loaded = 1;
  } else if (!*errmsg) {
    *errmsg = util_strdup(lode_errstr(rc)); /* a b-tree that cannot be read: no row to name */
  }
  return rc;
}

int schema_load(Schema *s, Btree *bt, int skip_bad_rows, char **errmsg) {
  return load_all(s, bt, skip_bad_rows, errmsg, NULL);
}

int schema_load_explained(Schema *s, Btree *bt, char **errmsg, char **bad, char **why) {
  LoadFail f = {NULL, NULL};
  int rc = load_all(s, bt, 0, errmsg, &f);
  *bad = f.bad;
  *why = f.why;
  return rc;
}

int schema_load_added(Schema *s, Btree *bt, int skip_bad_rows, char **errmsg) {
  BtCursor *cur = NULL;
  uint32_t cookie = 0;
  int rc, eof = 0, cmp = 0;
  *errmsg = NULL;
  /* New rows take rowids past every other (NewRowid), unless the largest
  ** is taken; a schema not known to match the rows is read again whole. */
  if (!s->loaded || s->edited || s->last_rowid <= 0 || s->last_rowid == INT64_MAX)
    return schema_load(s, bt, skip_bad_rows, errmsg);
  rc = btree_get_meta(bt, BTREE_META_SCHEMA_COOKIE, &cookie);
  if (rc == LODE_OK) rc = btree_cursor_open(bt, BTREE_SCHEMA_ROOT, 0, &cur);
  if (rc == LODE_OK) rc = btree_seek_rowid(cur, s->last_rowid, &cmp);
  if (rc == LODE_OK) {
    eof = btree_eof(cur);
    /* From the first row past the last one loaded. */
    if (!eof && cmp <= 0) rc = btree_next(cur, &eof);
  }
  if (rc == LODE_OK) rc = load_rows(s, bt, cur, eof, skip_bad_rows, 0, errmsg, NULL);
  if (cur) btree_cursor_close(cur);
  if (rc == LODE_OK) {
    s->cookie = cookie;
    return LODE_OK;
  }
  /* What a failed row left half made goes with a whole reload, which
  ** reports the failure as a load from scratch does. */
  util_free(*errmsg);
  return schema_load(s, bt, skip_bad_rows, errmsg);
}
