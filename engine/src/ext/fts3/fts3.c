/*
** fts3.c — the "fts3" and "fts4" virtual-table modules (fts3.h): table
** options, the shadow tables, row changes, scans (all rows, one docid, a
** MATCH), the special INSERT commands, transactions, and the auxiliary
** functions' access to a cursor.
**
** The declared table is (user columns..., NAME HIDDEN, docid HIDDEN,
** __langid HIDDEN) as in SQLite: NAME MATCH searches every column, and
** INSERT INTO NAME(NAME) VALUES('optimize') runs a command.  A row's text
** lives in NAME_content(docid INTEGER PRIMARY KEY, c0COL, c1COL, ...).
** FTS4 tables also keep the token count of each row's columns in
** NAME_docsize and the totals in NAME_stat row 0 (documents, tokens per
** column, bytes of text).
**
** Pending index changes are written as a segment at xSync, at each
** savepoint and before a MATCH reads the index; a rollback drops them.
** The NAME column's value is a 16-byte handle (magic, cursor id) that
** snippet(), offsets() and matchinfo() resolve against the table's open
** cursors, so that no value can make them follow a stray pointer.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ext/fts/shadow.h"
#include "ext/fts3/fts3.h"
#include "ext/fts3/fts3_int.h"

#define CURSOR_MAGIC "fts3cur"
#define SMALLEST_DOCID (-0x7FFFFFFFFFFFFFFFLL - 1)
#define LARGEST_DOCID 0x7FFFFFFFFFFFFFFFLL
#define HANDLE_SIZE 16

enum { MODE_SCAN, MODE_LOOKUP, MODE_MATCH };

int fts3_set_error(Fts3Table *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sqlite3_free(t->base.zErrMsg);
  t->base.zErrMsg = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  return SQLITE_ERROR;
}

/* ---- statements -------------------------------------------------------------------------------------------- */

char *fts3_content_sql(Fts3Table *t, const char *suffix) {
  return t->content_select ? sqlite3_mprintf("%s%s", t->content_select, suffix) : NULL;
}

/* Appends to *acc (freed on failure). */
static void append(char **acc, const char *fmt, ...) {
  if (!*acc) return;
  va_list ap;
  va_start(ap, fmt);
  char *more = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  char *r = more ? sqlite3_mprintf("%s%s", *acc, more) : NULL;
  sqlite3_free(more);
  sqlite3_free(*acc);
  *acc = r;
}

/* Builds Fts3Table.content_select for the table's content mode: the key, each column (through
** the uncompress= function), and the language id when the table has one. */
static int content_init(Fts3Table *t, const char *external) {
  if (t->content == CONTENT_NONE) return SQLITE_OK;
  char *sql = sqlite3_mprintf("SELECT ");
  /* Columns are named through the table's alias: a missing one is an error, not a string. */
  if (t->content == CONTENT_OWN) {
    t->content_key = "docid";
    append(&sql, "docid");
    for (int i = 0; i < t->ncol; i++) {
      if (t->uncompress) append(&sql, ", \"%w\"(x.\"c%d%w\")", t->uncompress, i, t->colname[i]);
      else append(&sql, ", x.\"c%d%w\"", i, t->colname[i]);
    }
    if (t->langid_col) append(&sql, ", x.langid");
    append(&sql, " FROM \"%w\".\"%w_content\" AS x", t->zdb, t->zname);
  } else {
    /* Another table's columns of the same names, by rowid. */
    t->content_key = "rowid";
    append(&sql, "rowid");
    for (int i = 0; i < t->ncol; i++) append(&sql, ", x.\"%w\"", t->colname[i]);
    if (t->langid_col) append(&sql, ", x.\"%w\"", t->langid_col);
    append(&sql, " FROM \"%w\".\"%w\" AS x", t->zdb, external);
  }
  t->content_select = sql;
  return sql ? SQLITE_OK : SQLITE_NOMEM;
}

sqlite3_stmt *fts3_stmt(Fts3Table *t, int which, int *rc) {
  *rc = SQLITE_OK;
  if (t->stmt[which]) return t->stmt[which];
  const char *d = t->zdb, *n = t->zname;
  char *sql = NULL;
  switch (which) {
    case ST_CONTENT_INSERT: {
      /* ?1 the docid, ?2.. the columns (through the compress= function), then the language id */
      sql = sqlite3_mprintf("INSERT INTO \"%w\".\"%w_content\" VALUES(?1", d, n);
      for (int i = 0; i < t->ncol; i++) {
        if (t->compress) append(&sql, ", \"%w\"(?%d)", t->compress, i + 2);
        else append(&sql, ", ?%d", i + 2);
      }
      if (t->langid_col) append(&sql, ", ?%d", t->ncol + 2);
      append(&sql, ")");
      break;
    }
    case ST_CONTENT_DELETE: sql = sqlite3_mprintf("DELETE FROM \"%w\".\"%w_content\" WHERE docid=?1", d, n); break;
    case ST_CONTENT_READ: {
      char *where = sqlite3_mprintf(" WHERE %s=?1", t->content_key);
      sql = where ? fts3_content_sql(t, where) : NULL;
      sqlite3_free(where);
      break;
    }
    case ST_SEGDIR_LEVEL_MAXIDX:
      sql = sqlite3_mprintf("SELECT max(idx) FROM \"%w\".\"%w_segdir\" WHERE level=?1", d, n);
      break;
    case ST_SEGDIR_RANGE:
      sql = sqlite3_mprintf("SELECT level, idx, start_block, leaves_end_block, end_block, root "
                            "FROM \"%w\".\"%w_segdir\" WHERE level BETWEEN ?1 AND ?2 ORDER BY level ASC, idx DESC",
                            d, n);
      break;
    case ST_SEGDIR_INSERT: sql = sqlite3_mprintf("REPLACE INTO \"%w\".\"%w_segdir\" VALUES(?,?,?,?,?,?)", d, n); break;
    case ST_SEGDIR_DELETE_LEVEL: sql = sqlite3_mprintf("DELETE FROM \"%w\".\"%w_segdir\" WHERE level=?1", d, n); break;
    case ST_SEGDIR_MAX_LEVEL:
      sql = sqlite3_mprintf("SELECT max(level) FROM \"%w\".\"%w_segdir\" WHERE level BETWEEN ?1 AND ?2", d, n);
      break;
    case ST_SEGDIR_PROMOTE_RANGE:
      sql = sqlite3_mprintf("SELECT level, idx, end_block FROM \"%w\".\"%w_segdir\" WHERE level BETWEEN ?1 AND ?2 "
                            "ORDER BY level DESC, idx ASC", d, n);
      break;
    case ST_SEGDIR_MOVE_OUT:
      sql = sqlite3_mprintf("UPDATE \"%w\".\"%w_segdir\" SET level=-1, idx=?1 WHERE level=?2 AND idx=?3", d, n);
      break;
    case ST_SEGDIR_MOVE_IN:
      sql = sqlite3_mprintf("UPDATE \"%w\".\"%w_segdir\" SET level=?1 WHERE level=-1", d, n);
      break;
    case ST_SEGMENTS_READ:
      sql = sqlite3_mprintf("SELECT block FROM \"%w\".\"%w_segments\" WHERE blockid=?1", d, n);
      break;
    case ST_SEGMENTS_WRITE: sql = sqlite3_mprintf("REPLACE INTO \"%w\".\"%w_segments\" VALUES(?1,?2)", d, n); break;
    case ST_SEGMENTS_SIZE:
      sql = sqlite3_mprintf("SELECT length(block) FROM \"%w\".\"%w_segments\" WHERE blockid=?1", d, n);
      break;
    case ST_SEGMENTS_MAX: sql = sqlite3_mprintf("SELECT max(blockid) FROM \"%w\".\"%w_segments\"", d, n); break;
    case ST_SEGMENTS_DELETE_RANGE:
      sql = sqlite3_mprintf("DELETE FROM \"%w\".\"%w_segments\" WHERE blockid BETWEEN ?1 AND ?2", d, n);
      break;
    case ST_DOCSIZE_READ: sql = sqlite3_mprintf("SELECT size FROM \"%w\".\"%w_docsize\" WHERE docid=?1", d, n); break;
    case ST_DOCSIZE_WRITE: sql = sqlite3_mprintf("REPLACE INTO \"%w\".\"%w_docsize\" VALUES(?1,?2)", d, n); break;
    case ST_DOCSIZE_DELETE: sql = sqlite3_mprintf("DELETE FROM \"%w\".\"%w_docsize\" WHERE docid=?1", d, n); break;
    case ST_STAT_READ: sql = sqlite3_mprintf("SELECT value FROM \"%w\".\"%w_stat\" WHERE id=0", d, n); break;
    case ST_STAT_WRITE: sql = sqlite3_mprintf("REPLACE INTO \"%w\".\"%w_stat\" VALUES(0,?1)", d, n); break;
    case ST_STAT_READ_ID: sql = sqlite3_mprintf("SELECT value FROM \"%w\".\"%w_stat\" WHERE id=?1", d, n); break;
    case ST_STAT_WRITE_ID: sql = sqlite3_mprintf("REPLACE INTO \"%w\".\"%w_stat\" VALUES(?1,?2)", d, n); break;
    default: break;
  }
  if (!sql) {
    *rc = SQLITE_NOMEM;
    return NULL;
  }
  /* NO_VTAB: a shadow or content table that is a virtual table (the fts
  ** table itself, content=t1) fails here instead of recursing. */
  *rc = sqlite3_prepare_v3(t->db, sql, -1, SQLITE_PREPARE_PERSISTENT | SQLITE_PREPARE_NO_VTAB, &t->stmt[which], NULL);
  sqlite3_free(sql);
  if (*rc != SQLITE_OK) fts3_set_error(t, "%s", sqlite3_errmsg(t->db));
  return t->stmt[which];
}

static void stmts_finalize(Fts3Table *t) {
  for (int i = 0; i < ST_COUNT; i++) {
    sqlite3_finalize(t->stmt[i]);
    t->stmt[i] = NULL;
  }
}

/* ---- construction ------------------------------------------------------------------------------------------ */

void fts3_table_free(Fts3Table *t) {
  if (!t) return;
  stmts_finalize(t);
  sqlite3_free(t->base.zErrMsg); /* an error no statement took (fts4aux's table, read without a schema) */
  fts3_pending_clear(t);
  fts3_tokenizer_free(&t->tok);
  sqlite3_free(t->notindexed);
  sqlite3_free(t->content_select);
  sqlite3_free(t->compress);
  sqlite3_free(t->uncompress);
  sqlite3_free(t->langid_col);
  for (int i = 0; i < t->ncol; i++) sqlite3_free(t->colname[i]);
  sqlite3_free(t->colname);
  sqlite3_free(t->zdb);
  sqlite3_free(t->zname);
  sqlite3_free(t);
}

/* A column's name: the first word of its definition, quotes removed. */
static char *column_name(const char *z) {
  int n = 0;
  const char *w = fts3_next_word(z, &n);
  return w ? fts3_dequote(w, n) : sqlite3_mprintf("");
}

/* fts4(content=xxx, ...) that names no column: its columns are those of
** table xxx, as in SQLite (which reads them from "SELECT * FROM xxx"). */
static int external_columns(Fts3Table *t, const char *external, char **err) {
  char *sql = sqlite3_mprintf("SELECT * FROM \"%w\".\"%w\"", t->zdb, external);
  sqlite3_stmt *s = NULL;
  int rc = sql ? sqlite3_prepare_v2(t->db, sql, -1, &s, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  if (rc != SQLITE_OK) {
    if (rc != SQLITE_NOMEM) *err = sqlite3_mprintf("%s", sqlite3_errmsg(t->db));
    return rc;
  }
  int n = sqlite3_column_count(s);
  char **names = n ? sqlite3_realloc64(t->colname, sizeof(char *) * (sqlite3_uint64)n) : t->colname;
  if (!names) rc = SQLITE_NOMEM;
  else t->colname = names;
  int skipped = 0;
  for (int i = 0; rc == SQLITE_OK && i < n; i++) {
    const char *name = sqlite3_column_name(s, i);
    /* the language column (its first of that name) is not text to index */
    if (!skipped && t->langid_col && name && sqlite3_stricmp(name, t->langid_col) == 0) {
      skipped = 1;
      continue;
    }
    if (!(t->colname[t->ncol] = sqlite3_mprintf("%s", name))) rc = SQLITE_NOMEM;
    else t->ncol++;
  }
  sqlite3_finalize(s);
  return rc;
}

static int create_shadows(Fts3Table *t) {
  char *cols = sqlite3_mprintf("docid INTEGER PRIMARY KEY");
  for (int i = 0; cols && i < t->ncol; i++) {
    char *c = sqlite3_mprintf("%s, 'c%d%q'", cols, i, t->colname[i]);
    sqlite3_free(cols);
    cols = c;
  }
  if (!cols) return SQLITE_NOMEM;
  char *own = t->content == CONTENT_OWN ? sqlite3_mprintf("CREATE TABLE %Q.'%q_content'(%s%s);", t->zdb, t->zname, cols,
                                                          t->langid_col ? ", langid" : "")
                                        : sqlite3_mprintf("");
  sqlite3_free(cols);
  if (!own) return SQLITE_NOMEM;
  char *sql = sqlite3_mprintf(
      "%sCREATE TABLE %Q.'%q_segments'(blockid INTEGER PRIMARY KEY, block BLOB);"
      "CREATE TABLE %Q.'%q_segdir'(level INTEGER,idx INTEGER,start_block INTEGER,leaves_end_block INTEGER,"
      "end_block INTEGER,root BLOB,PRIMARY KEY(level, idx));",
      own, t->zdb, t->zname, t->zdb, t->zname);
  sqlite3_free(own);
  if (sql && t->has_docsize) {
    char *more = sqlite3_mprintf("%sCREATE TABLE %Q.'%q_docsize'(docid INTEGER PRIMARY KEY, size BLOB);", sql, t->zdb,
                                 t->zname);
    sqlite3_free(sql);
    sql = more;
  }
  if (sql && t->is_fts4) {
    char *more = sqlite3_mprintf("%sCREATE TABLE %Q.'%q_stat'(id INTEGER PRIMARY KEY, value BLOB);", sql, t->zdb,
                                 t->zname);
    sqlite3_free(sql);
    sql = more;
  }
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_exec(t->db, sql, NULL, NULL, NULL);
  sqlite3_free(sql);
  return rc;
}

static int page_size(sqlite3 *db, const char *zdb) {
  char *sql = sqlite3_mprintf("PRAGMA \"%w\".page_size", zdb);
  sqlite3_stmt *s = NULL;
  int ps = 4096;
  if (sql && sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
    ps = sqlite3_column_int(s, 0);
  sqlite3_finalize(s);
  sqlite3_free(sql);
  return ps >= 512 ? ps : 4096;
}

/* An option's value replaces the one given before (the value now belongs to dst). */
#define SWAP_IN(dst, v) (sqlite3_free(dst), (dst) = (v), (v) = NULL)

static int fts_init(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err,
                    int create) {
  int is_fts4 = aux != NULL;
  Fts3Table *t = sqlite3_malloc((int)sizeof *t);
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof *t);
  t->db = db;
  t->is_fts4 = is_fts4;
  t->zdb = sqlite3_mprintf("%s", argv[1]);
  t->zname = sqlite3_mprintf("%s", argv[2]);
  t->colname = sqlite3_malloc64(sizeof(char *) * (sqlite3_uint64)(argc > 3 ? argc - 3 : 1));
  int rc = t->zdb && t->zname && t->colname ? SQLITE_OK : SQLITE_NOMEM;
  char *prefix = NULL, *external = NULL, *compress = NULL, *uncompress = NULL;
  char **notindexed = NULL;
  int nnotindexed = 0, tokenizer = 0, has_content = 0;
  t->nindex = 1;
  t->has_docsize = is_fts4;
  t->has_stat = is_fts4 ? 1 : create ? 0 : HAS_STAT_UNKNOWN;
  t->automerge = AUTOMERGE_UNKNOWN;
  static const char *const opts[] = {"matchinfo", "prefix",  "compress",   "uncompress",
                                     "order",     "content", "languageid", "notindexed"};
  for (int i = 3; i < argc && rc == SQLITE_OK; i++) {
    const char *z = argv[i], *eq = strchr(z, '=');
    if (!tokenizer && strlen(z) > 8 && sqlite3_strnicmp(z, "tokenize", 8) == 0 && !fts3_is_id_char(z[8])) {
      tokenizer = 1;
      rc = fts3_tokenizer_init(&t->tok, z + 9, err);
      continue;
    }
    if (!is_fts4 || !eq) {
      /* a column (fts3 takes every argument but the tokenizer for one) */
      char *name = column_name(z);
      if (!name) rc = SQLITE_NOMEM;
      else t->colname[t->ncol++] = name;
      continue;
    }
    /* fts4 options: "key=value", the key as written up to the '=' */
    int nk = (int)(eq - z), opt = 0;
    char *v = fts3_dequote(eq + 1, (int)strlen(eq + 1));
    if (!v) {
      rc = SQLITE_NOMEM;
      break;
    }
    while (opt < 8 && !(nk == (int)strlen(opts[opt]) && sqlite3_strnicmp(z, opts[opt], nk) == 0)) opt++;
    switch (opt) {
      case 0:
        if (sqlite3_stricmp(v, "fts3") != 0) {
          *err = sqlite3_mprintf("unrecognized matchinfo: %s", v);
          rc = SQLITE_ERROR;
        }
        t->has_docsize = 0;
        break;
      case 1: SWAP_IN(prefix, v); break;
      case 2: SWAP_IN(compress, v); break;
      case 3: SWAP_IN(uncompress, v); break;
      case 4:
        if (sqlite3_stricmp(v, "asc") != 0 && sqlite3_stricmp(v, "desc") != 0) {
          *err = sqlite3_mprintf("unrecognized order: %s", v);
          rc = SQLITE_ERROR;
        }
        t->desc = v[0] == 'd' || v[0] == 'D';
        break;
      case 5:
        SWAP_IN(external, v);
        has_content = 1;
        break;
      case 6: SWAP_IN(t->langid_col, v); break;
      case 7: {
        char **g = sqlite3_realloc64(notindexed, sizeof(char *) * (sqlite3_uint64)(nnotindexed + 1));
        if (!g) {
          rc = SQLITE_NOMEM;
          break;
        }
        notindexed = g;
        notindexed[nnotindexed++] = v;
        v = NULL;
        break;
      }
      default:
        *err = sqlite3_mprintf("unrecognized parameter: %s", z);
        rc = SQLITE_ERROR;
    }
    sqlite3_free(v);
  }
  if (rc == SQLITE_OK && !tokenizer) rc = fts3_tokenizer_init(&t->tok, NULL, err);
  if (has_content) {
    /* Text kept elsewhere is not compressed here. */
    t->content = external && *external ? CONTENT_EXTERNAL : CONTENT_NONE;
    sqlite3_free(compress);
    sqlite3_free(uncompress);
    compress = uncompress = NULL;
  }
  if (rc == SQLITE_OK && t->content == CONTENT_EXTERNAL && t->ncol == 0) rc = external_columns(t, external, err);
  if (rc == SQLITE_OK && t->ncol == 0) {
    t->colname[0] = sqlite3_mprintf("content");
    if (!t->colname[0]) rc = SQLITE_NOMEM;
    else t->ncol = 1;
  }
  if (rc == SQLITE_OK && prefix) {
    /* prefix='2,3': comma-separated character counts, one prefix index each */
    const char *v = prefix, *z = v;
    while (rc == SQLITE_OK && *z) {
      int n = 0, digits = 0;
      while (*z >= '0' && *z <= '9' && n < 1000000) n = n * 10 + (*z++ - '0'), digits++;
      if (!digits || (*z && *z != ',') || t->nindex >= FTS3_MAX_INDEX) {
        *err = sqlite3_mprintf("error parsing prefix parameter: %s", v);
        rc = SQLITE_ERROR;
        break;
      }
      if (n > 0) t->prefix_chars[t->nindex++] = n;
      if (*z == ',') z++;
    }
  }
  sqlite3_free(prefix);
  if (rc == SQLITE_OK && nnotindexed) {
    t->notindexed = sqlite3_malloc(t->ncol);
    if (!t->notindexed) rc = SQLITE_NOMEM;
    else memset(t->notindexed, 0, (size_t)t->ncol);
    for (int k = 0; rc == SQLITE_OK && k < nnotindexed; k++) {
      int found = 0;
      for (int i = 0; i < t->ncol; i++)
        if (sqlite3_stricmp(t->colname[i], notindexed[k]) == 0) t->notindexed[i] = 1, found = 1;
      if (!found) {
        *err = sqlite3_mprintf("no such column: %s", notindexed[k]);
        rc = SQLITE_ERROR;
      }
    }
  }
  for (int k = 0; k < nnotindexed; k++) sqlite3_free(notindexed[k]);
  sqlite3_free(notindexed);
  if (rc == SQLITE_OK && !compress != !uncompress) {
    *err = sqlite3_mprintf("missing %s parameter in fts4 constructor", compress ? "uncompress" : "compress");
    rc = SQLITE_ERROR;
  }
  t->compress = compress;
  t->uncompress = uncompress;
  if (rc == SQLITE_OK) rc = content_init(t, external);
  sqlite3_free(external);
  if (rc == SQLITE_OK) {
    char *decl = sqlite3_mprintf("CREATE TABLE x(");
    for (int i = 0; decl && i < t->ncol; i++) {
      char *d = sqlite3_mprintf("%s%Q, ", decl, t->colname[i]);
      sqlite3_free(decl);
      decl = d;
    }
    if (decl) {
      char *d = sqlite3_mprintf("%s%Q HIDDEN, docid HIDDEN, %Q HIDDEN)", decl, t->zname,
                                t->langid_col ? t->langid_col : "__langid");
      sqlite3_free(decl);
      decl = d;
    }
    rc = decl ? sqlite3_declare_vtab(db, decl) : SQLITE_NOMEM;
    if (rc != SQLITE_OK && decl) *err = sqlite3_mprintf("%s", sqlite3_errmsg(db));
    sqlite3_free(decl);
  }
  if (rc == SQLITE_OK && create) {
    rc = create_shadows(t);
    if (rc != SQLITE_OK) *err = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  }
  if (rc != SQLITE_OK) {
    fts3_table_free(t);
    return rc;
  }
  t->node_size = page_size(db, t->zdb) - 35;
  /* A docid in use fails as the statement's conflict clause says (OR REPLACE: the module replaces). */
  sqlite3_vtab_config(db, SQLITE_VTAB_CONSTRAINT_SUPPORT, 1);
  *out = &t->base;
  return SQLITE_OK;
}

Fts3Table *fts3_table_for_index(sqlite3 *db, const char *zdb, const char *zname) {
  Fts3Table *t = sqlite3_malloc((int)sizeof *t);
  if (!t) return NULL;
  memset(t, 0, sizeof *t);
  t->db = db;
  t->nindex = 1;
  t->zdb = sqlite3_mprintf("%s", zdb);
  t->zname = sqlite3_mprintf("%s", zname);
  t->colname = sqlite3_malloc((int)sizeof(char *));
  if (!t->zdb || !t->zname || !t->colname) {
    fts3_table_free(t);
    return NULL;
  }
  t->node_size = page_size(db, zdb) - 35;
  return t;
}

static int fts_create(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  return fts_init(db, aux, argc, argv, out, err, 1);
}

static int fts_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  return fts_init(db, aux, argc, argv, out, err, 0);
}

static int fts_disconnect(sqlite3_vtab *vt) {
  fts3_table_free((Fts3Table *)vt);
  return SQLITE_OK;
}

static int fts_destroy(sqlite3_vtab *vt) {
  Fts3Table *t = (Fts3Table *)vt;
  stmts_finalize(t);
  static const char *const shadows[] = {"segments", "segdir", "docsize", "stat", "content"};
  int rc = fts_shadow_drop(t->db, t->zdb, t->zname, shadows, 5);
  if (rc == SQLITE_OK) fts3_table_free(t);
  return rc;
}

static int fts_rename(sqlite3_vtab *vt, const char *to) {
  Fts3Table *t = (Fts3Table *)vt;
  int rc = fts3_pending_flush(t);
  if (rc != SQLITE_OK) return rc;
  stmts_finalize(t);
  if ((rc = fts3_check_stat(t)) != SQLITE_OK) return rc;
  const char *const shadows[] = {t->content == CONTENT_OWN ? "content" : NULL, "segments", "segdir",
                                 t->has_stat ? "stat" : NULL, t->has_docsize ? "docsize" : NULL};
  return fts_shadow_rename(t->db, t->zdb, &t->zname, to, shadows, 5);
}

static int fts_shadow_name(const char *z) {
  static const char *const names[] = {"content", "docsize", "segdir", "segments", "stat"};
  return fts_shadow_is(z, names, 5);
}

/* ---- planning ---------------------------------------------------------------------------------------------- */

/* idxNum: the search in the low 16 bits (0 a scan, 1 a docid lookup, 2 + column a MATCH, the table
** column for all columns), and flags for the arguments that follow the search's own, in this order. */
#define IDX_LANGID 0x10000   /* the hidden language column = ? */
#define IDX_DOCID_GE 0x20000 /* docid >= (or >) ? */
#define IDX_DOCID_LE 0x40000 /* docid <= (or <) ? */

static int fts_best_index(sqlite3_vtab *vt, sqlite3_index_info *ii) {
  Fts3Table *t = (Fts3Table *)vt;
  int search = -1, langid = -1, ge = -1, le = -1;
  ii->idxNum = 0;
  ii->estimatedCost = 5000000.0;
  for (int i = 0; i < ii->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &ii->aConstraint[i];
    if (!c->usable) {
      if (c->op == SQLITE_INDEX_CONSTRAINT_MATCH) {
        /* A plan that cannot hand the MATCH over would fail: make it the last choice. */
        ii->idxNum = 0;
        ii->estimatedCost = 1e50;
        ii->estimatedRows = (sqlite3_int64)1 << 50;
        return SQLITE_OK;
      }
      continue;
    }
    int docid = c->iColumn < 0 || c->iColumn == t->ncol + 1;
    if (search < 0 && c->op == SQLITE_INDEX_CONSTRAINT_EQ && docid) {
      ii->idxNum = 1;
      ii->estimatedCost = 1.0;
      search = i;
    }
    /* A MATCH is preferred to a docid lookup: the lookup would leave the MATCH unusable. */
    if (c->op == SQLITE_INDEX_CONSTRAINT_MATCH && c->iColumn >= 0 && c->iColumn <= t->ncol) {
      ii->idxNum = 2 + c->iColumn;
      ii->estimatedCost = 2.0;
      search = i;
    }
    if (c->op == SQLITE_INDEX_CONSTRAINT_EQ && c->iColumn == t->ncol + 2) langid = i;
    if (docid && (c->op == SQLITE_INDEX_CONSTRAINT_GE || c->op == SQLITE_INDEX_CONSTRAINT_GT)) ge = i;
    if (docid && (c->op == SQLITE_INDEX_CONSTRAINT_LE || c->op == SQLITE_INDEX_CONSTRAINT_LT)) le = i;
  }
  if (ii->idxNum == 1) {
    ii->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
    ii->estimatedRows = 1;
  }
  int arg = 1;
  if (search >= 0) {
    ii->aConstraintUsage[search].argvIndex = arg++;
    ii->aConstraintUsage[search].omit = 1;
  }
  /* The others are checked again by the statement (a MATCH's row reports the language searched). */
  if (langid >= 0) {
    ii->idxNum |= IDX_LANGID;
    ii->aConstraintUsage[langid].argvIndex = arg++;
  }
  if (ge >= 0) {
    ii->idxNum |= IDX_DOCID_GE;
    ii->aConstraintUsage[ge].argvIndex = arg++;
  }
  if (le >= 0) {
    ii->idxNum |= IDX_DOCID_LE;
    ii->aConstraintUsage[le].argvIndex = arg++;
  }
  /* Rows come in docid order, either way. */
  if (ii->nOrderBy == 1 && (ii->aOrderBy[0].iColumn < 0 || ii->aOrderBy[0].iColumn == t->ncol + 1)) {
    ii->idxStr = ii->aOrderBy[0].desc ? "DESC" : "ASC";
    ii->orderByConsumed = 1;
  }
  return SQLITE_OK;
}

/* ---- cursors ----------------------------------------------------------------------------------------------- */

static int fts_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out) {
  Fts3Table *t = (Fts3Table *)vt;
  Fts3Cursor *c = sqlite3_malloc((int)sizeof *c);
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof *c);
  c->id = ++t->next_cursor_id;
  c->next = t->cursors;
  t->cursors = c;
  c->eof = 1;
  *out = &c->base;
  return SQLITE_OK;
}

static void cursor_reset(Fts3Cursor *c) {
  sqlite3_finalize(c->scan);
  c->scan = NULL;
  fts3_query_free(c->q);
  c->q = NULL;
  sqlite3_free(c->docs);
  c->docs = NULL;
  c->ndocs = c->at = 0;
  c->row_loaded = c->hits_loaded = 0;
  c->eof = 1;
}

static int fts_close(sqlite3_vtab_cursor *vc) {
  Fts3Cursor *c = (Fts3Cursor *)vc;
  Fts3Table *t = (Fts3Table *)vc->pVtab;
  for (Fts3Cursor **p = &t->cursors; *p; p = &(*p)->next) {
    if (*p == c) {
      *p = c->next;
      break;
    }
  }
  cursor_reset(c);
  sqlite3_finalize(c->row);
  sqlite3_free(c);
  return SQLITE_OK;
}

int fts3_cursor_row(Fts3Cursor *c) {
  if (c->mode == MODE_SCAN || c->row_loaded) return SQLITE_OK;
  Fts3Table *t = (Fts3Table *)c->base.pVtab;
  int rc = SQLITE_OK;
  if (t->content == CONTENT_NONE) return fts3_set_error(t, "SQL logic error");
  if (!c->row) {
    char *where = sqlite3_mprintf(" WHERE %s=?1", t->content_key);
    char *sql = where ? fts3_content_sql(t, where) : NULL;
    sqlite3_free(where);
    /* A content table that cannot be read (missing, a virtual table) fails
    ** with the code alone, SQLite's "SQL logic error". */
    rc = sql ? sqlite3_prepare_v3(t->db, sql, -1, SQLITE_PREPARE_NO_VTAB, &c->row, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc != SQLITE_OK) return rc;
  }
  sqlite3_reset(c->row);
  sqlite3_bind_int64(c->row, 1, c->docid);
  rc = sqlite3_step(c->row);
  if (rc == SQLITE_ROW) {
    c->row_loaded = 1;
    return SQLITE_OK;
  }
  rc = sqlite3_reset(c->row);
  return rc == SQLITE_OK ? SQLITE_DONE : rc;
}

/* Moves a MATCH cursor to its next document, a lookup cursor to its row if there is one. */
static int match_step(Fts3Cursor *c) {
  for (;;) {
    if (c->at >= c->ndocs) {
      c->eof = 1;
      return SQLITE_OK;
    }
    c->docid = c->docs[c->at++];
    c->row_loaded = c->hits_loaded = 0;
    /* A match is a row without reading its text, which is read when a column is asked for (and
    ** is NULL when it is missing, as in a table whose text is elsewhere or nowhere). */
    if (c->mode == MODE_MATCH) return SQLITE_OK;
    int rc = fts3_cursor_row(c);
    if (rc == SQLITE_OK) return SQLITE_OK;
    if (rc != SQLITE_DONE) return rc;
  }
}

/* A docid bound's value, or dflt when it is not an integer. */
static sqlite3_int64 docid_bound(sqlite3_value *v, sqlite3_int64 dflt) {
  return v && sqlite3_value_numeric_type(v) == SQLITE_INTEGER ? sqlite3_value_int64(v) : dflt;
}

static int fts_filter(sqlite3_vtab_cursor *vc, int idxNum, const char *idxStr, int argc, sqlite3_value **argv) {
  Fts3Cursor *c = (Fts3Cursor *)vc;
  Fts3Table *t = (Fts3Table *)vc->pVtab;
  cursor_reset(c);
  c->eof = 0;
  int rc = SQLITE_OK, search = idxNum & 0xFFFF, k = 0;
  sqlite3_value *cons = NULL, *lang = NULL, *ge = NULL, *le = NULL;
  if (search != 0 && k < argc) cons = argv[k++];
  if ((idxNum & IDX_LANGID) && k < argc) lang = argv[k++];
  if ((idxNum & IDX_DOCID_GE) && k < argc) ge = argv[k++];
  if ((idxNum & IDX_DOCID_LE) && k < argc) le = argv[k++];
  sqlite3_int64 lo = docid_bound(ge, SMALLEST_DOCID), hi = docid_bound(le, LARGEST_DOCID);
  /* The order asked for, else the index's. */
  c->desc = idxStr ? idxStr[0] == 'D' : t->desc;
  if (search == 0) {
    c->mode = MODE_SCAN;
    if (t->content == CONTENT_NONE) return fts3_set_error(t, "SQL logic error");
    char *suffix = ge || le ? sqlite3_mprintf(" WHERE %s BETWEEN %lld AND %lld ORDER BY 1 %s", t->content_key, lo, hi,
                                              c->desc ? "DESC" : "ASC")
                            : sqlite3_mprintf(" ORDER BY 1 %s", c->desc ? "DESC" : "ASC");
    char *sql = suffix ? fts3_content_sql(t, suffix) : NULL;
    sqlite3_free(suffix);
    rc = sql ? sqlite3_prepare_v3(t->db, sql, -1, SQLITE_PREPARE_NO_VTAB, &c->scan, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc != SQLITE_OK) return rc; /* as a row read's: SQLite's "SQL logic error" */
    rc = sqlite3_step(c->scan);
    if (rc == SQLITE_ROW) {
      c->docid = sqlite3_column_int64(c->scan, 0);
      return SQLITE_OK;
    }
    c->eof = 1;
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
  }
  if (search == 1) {
    c->mode = MODE_LOOKUP;
    c->docs = sqlite3_malloc((int)sizeof(sqlite3_int64));
    if (!c->docs) return SQLITE_NOMEM;
    int type = cons ? sqlite3_value_numeric_type(cons) : SQLITE_NULL;
    if (type == SQLITE_INTEGER ||
        (type == SQLITE_FLOAT && sqlite3_value_double(cons) == (double)sqlite3_value_int64(cons))) {
      c->docs[0] = sqlite3_value_int64(cons);
      c->ndocs = 1;
    }
    return match_step(c);
  }
  c->mode = MODE_MATCH;
  if (!cons || sqlite3_value_type(cons) == SQLITE_NULL) {
    c->eof = 1;
    return SQLITE_OK;
  }
  int col = search - 2 >= t->ncol ? -1 : search - 2;
  char *err = NULL;
  rc = fts3_query_parse(t, (const char *)sqlite3_value_text(cons), col, &c->q, &err);
  if (rc != SQLITE_OK) {
    if (err) {
      sqlite3_free(t->base.zErrMsg);
      t->base.zErrMsg = err;
    }
    return rc;
  }
  c->q->langid = lang ? sqlite3_value_int(lang) : 0;
  rc = fts3_query_run(t, c->q, &c->docs, &c->ndocs);
  if (rc != SQLITE_OK) return rc;
  /* Only the docids in range, in the order asked for. */
  int n = 0;
  for (int i = 0; i < c->ndocs; i++)
    if (c->docs[i] >= lo && c->docs[i] <= hi) c->docs[n++] = c->docs[i];
  c->ndocs = n;
  for (int i = 0; c->desc && i < n / 2; i++) {
    sqlite3_int64 x = c->docs[i];
    c->docs[i] = c->docs[n - 1 - i];
    c->docs[n - 1 - i] = x;
  }
  return match_step(c);
}

static int fts_next(sqlite3_vtab_cursor *vc) {
  Fts3Cursor *c = (Fts3Cursor *)vc;
  if (c->mode == MODE_SCAN) {
    int rc = sqlite3_step(c->scan);
    if (rc == SQLITE_ROW) {
      c->docid = sqlite3_column_int64(c->scan, 0);
      return SQLITE_OK;
    }
    c->eof = 1;
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
  }
  return match_step(c);
}

static int fts_eof(sqlite3_vtab_cursor *vc) { return ((Fts3Cursor *)vc)->eof; }

static sqlite3_stmt *cursor_stmt(Fts3Cursor *c) { return c->mode == MODE_SCAN ? c->scan : c->row; }

static int fts_column(sqlite3_vtab_cursor *vc, sqlite3_context *ctx, int i) {
  Fts3Cursor *c = (Fts3Cursor *)vc;
  Fts3Table *t = (Fts3Table *)vc->pVtab;
  if (i < t->ncol) {
    int rc = fts3_cursor_row(c);
    if (rc != SQLITE_OK) return rc == SQLITE_DONE ? SQLITE_OK : rc;
    sqlite3_result_value(ctx, sqlite3_column_value(cursor_stmt(c), i + 1));
  } else if (i == t->ncol) {
    unsigned char h[HANDLE_SIZE];
    memcpy(h, CURSOR_MAGIC, 8);
    for (int k = 0; k < 8; k++) h[8 + k] = (unsigned char)(c->id >> (8 * k));
    sqlite3_result_blob(ctx, h, HANDLE_SIZE, SQLITE_TRANSIENT);
  } else if (i == t->ncol + 1) {
    sqlite3_result_int64(ctx, c->docid);
  } else if (c->q) {
    sqlite3_result_int(ctx, c->q->langid); /* a MATCH row is of the language searched */
  } else if (!t->langid_col) {
    sqlite3_result_int(ctx, 0);
  } else {
    int rc = fts3_cursor_row(c);
    if (rc != SQLITE_OK) return rc == SQLITE_DONE ? SQLITE_OK : rc;
    sqlite3_result_value(ctx, sqlite3_column_value(cursor_stmt(c), t->ncol + 1));
  }
  return SQLITE_OK;
}

static int fts_rowid(sqlite3_vtab_cursor *vc, sqlite_int64 *out) {
  *out = ((Fts3Cursor *)vc)->docid;
  return SQLITE_OK;
}

Fts3Cursor *fts3_cursor_of(Fts3Table *t, sqlite3_value *v) {
  if (!t || sqlite3_value_type(v) != SQLITE_BLOB || sqlite3_value_bytes(v) != HANDLE_SIZE) return NULL;
  const unsigned char *h = sqlite3_value_blob(v);
  if (memcmp(h, CURSOR_MAGIC, 8) != 0) return NULL;
  sqlite3_uint64 id = 0;
  for (int k = 0; k < 8; k++) id |= (sqlite3_uint64)h[8 + k] << (8 * k);
  for (Fts3Cursor *c = t->cursors; c; c = c->next)
    if (c->id == id) return c->eof ? NULL : c;
  return NULL;
}

/* ---- changes ----------------------------------------------------------------------------------------------- */

/* Whether docid's row is the only one of the table's own content. */
static int only_row(Fts3Table *t, sqlite3_int64 docid, int *only) {
  char *sql = sqlite3_mprintf("SELECT NOT EXISTS(SELECT docid FROM \"%w\".\"%w_content\" WHERE docid!=?1)", t->zdb,
                              t->zname);
  sqlite3_stmt *s = NULL;
  int rc = sql ? sqlite3_prepare_v2(t->db, sql, -1, &s, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_int64(s, 1, docid);
  *only = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0);
  return sqlite3_finalize(s);
}

/* Removes docid's row and its index entries (nothing when there is no such row). */
static int row_delete(Fts3Table *t, sqlite3_int64 docid) {
  int rc;
  if (t->content == CONTENT_NONE) return fts3_set_error(t, "SQL logic error");
  sqlite3_stmt *s = fts3_stmt(t, ST_CONTENT_READ, &rc);
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, docid);
  if (sqlite3_step(s) != SQLITE_ROW) return sqlite3_reset(s);
  sqlite3_value **vals = sqlite3_malloc64(sizeof(sqlite3_value *) * (sqlite3_uint64)t->ncol);
  sqlite3_int64 *ntok = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)t->ncol);
  sqlite3_int64 nbytes = 0;
  rc = vals && ntok ? SQLITE_OK : SQLITE_NOMEM;
  for (int i = 0; rc == SQLITE_OK && i < t->ncol; i++) {
    vals[i] = sqlite3_value_dup(sqlite3_column_value(s, i + 1));
    if (!vals[i] && sqlite3_column_type(s, i + 1) != SQLITE_NULL) rc = SQLITE_NOMEM;
    if (vals[i] && sqlite3_value_type(vals[i]) != SQLITE_NULL && !(t->notindexed && t->notindexed[i]))
      nbytes += sqlite3_value_bytes(vals[i]);
  }
  int langid = t->langid_col ? sqlite3_column_int(s, t->ncol + 1) : 0;
  sqlite3_reset(s);
  if (rc == SQLITE_OK) rc = fts3_index_row(t, langid, docid, vals, 1, ntok);
  int empty = 0;
  if (rc == SQLITE_OK && t->content == CONTENT_OWN) rc = only_row(t, docid, &empty);
  if (rc == SQLITE_OK && empty) {
    /* The table is empty after this: the index and the counts start again from nothing. */
    fts3_pending_clear(t);
    rc = fts3_delete_all(t, 1);
    memset(ntok, 0, sizeof(sqlite3_int64) * (size_t)t->ncol);
    if (rc == SQLITE_OK && t->is_fts4) rc = fts3_stat_update(t, 0, ntok, 0);
  } else if (rc == SQLITE_OK && t->content == CONTENT_OWN) {
    sqlite3_stmt *d = fts3_stmt(t, ST_CONTENT_DELETE, &rc);
    if (d) {
      sqlite3_bind_int64(d, 1, docid);
      sqlite3_step(d);
      rc = sqlite3_reset(d);
    }
  }
  if (rc == SQLITE_OK && !empty && t->has_docsize) {
    sqlite3_stmt *d = fts3_stmt(t, ST_DOCSIZE_DELETE, &rc);
    if (d) {
      sqlite3_bind_int64(d, 1, docid);
      sqlite3_step(d);
      rc = sqlite3_reset(d);
    }
  }
  if (rc == SQLITE_OK && !empty && t->is_fts4) rc = fts3_stat_update(t, -1, ntok, nbytes);
  for (int i = 0; vals && i < t->ncol; i++) sqlite3_value_free(vals[i]);
  sqlite3_free(vals);
  sqlite3_free(ntok);
  return rc;
}

static int row_insert(Fts3Table *t, sqlite3_value *docid_in, sqlite3_value **cols, int langid, sqlite3_int64 *out) {
  int rc = SQLITE_OK;
  int given = docid_in && sqlite3_value_type(docid_in) != SQLITE_NULL;
  sqlite3_int64 nbytes = 0;
  for (int i = 0; i < t->ncol; i++)
    if (sqlite3_value_type(cols[i]) != SQLITE_NULL && !(t->notindexed && t->notindexed[i]))
      nbytes += sqlite3_value_bytes(cols[i]);
  sqlite3_int64 docid = 0;
  if (t->content == CONTENT_OWN) {
    sqlite3_stmt *s = fts3_stmt(t, ST_CONTENT_INSERT, &rc);
    if (!s) return rc;
    if (given) sqlite3_bind_value(s, 1, docid_in);
    else sqlite3_bind_null(s, 1);
    for (int i = 0; i < t->ncol; i++) sqlite3_bind_value(s, i + 2, cols[i]);
    if (t->langid_col) sqlite3_bind_int(s, t->ncol + 2, langid);
    sqlite3_step(s);
    rc = sqlite3_reset(s);
    if (rc == SQLITE_CONSTRAINT) return rc; /* a docid in use: SQLite's plain "constraint failed" */
    if (rc != SQLITE_OK) return fts3_set_error(t, "%s", sqlite3_errmsg(t->db)) ? rc : rc;
    docid = sqlite3_last_insert_rowid(t->db);
  } else if (!given) {
    return SQLITE_CONSTRAINT; /* no table to number the row: the docid must be given */
  }
  if (docid_in && sqlite3_value_type(docid_in) != SQLITE_NULL) docid = sqlite3_value_int64(docid_in);
  *out = docid;
  sqlite3_int64 *ntok = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)t->ncol);
  if (!ntok) return SQLITE_NOMEM;
  rc = fts3_index_row(t, langid, docid, cols, 0, ntok);
  if (rc == SQLITE_OK && t->has_docsize) rc = fts3_docsize_write(t, docid, ntok);
  if (rc == SQLITE_OK && t->is_fts4) rc = fts3_stat_update(t, 1, ntok, nbytes);
  sqlite3_free(ntok);
  return rc;
}

static int run_command(Fts3Table *t, const char *cmd) {
  int rc;
  if (cmd && sqlite3_stricmp(cmd, "optimize") == 0) {
    rc = fts3_optimize(t);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
  }
  if (cmd && sqlite3_stricmp(cmd, "rebuild") == 0) return fts3_rebuild(t);
  if (cmd && sqlite3_stricmp(cmd, "integrity-check") == 0) {
    rc = fts3_integrity(t);
    if (rc == SQLITE_CORRUPT_VTAB) fts3_set_error(t, "database disk image is malformed");
    return rc;
  }
  int n = cmd ? (int)strlen(cmd) : 0;
  if (n > 6 && sqlite3_strnicmp(cmd, "merge=", 6) == 0) rc = fts3_merge_command(t, cmd + 6);
  else if (n > 10 && sqlite3_strnicmp(cmd, "automerge=", 10) == 0) rc = fts3_automerge_command(t, cmd + 10);
  else rc = SQLITE_ERROR;
  return rc == SQLITE_ERROR ? fts3_set_error(t, "SQL logic error") : rc;
}

static int fts_update(sqlite3_vtab *vt, int argc, sqlite3_value **argv, sqlite_int64 *rowid) {
  Fts3Table *t = (Fts3Table *)vt;
  if (argc == 1) {
    return row_delete(t, sqlite3_value_int64(argv[0]));
  }
  if (argc < t->ncol + 4) return SQLITE_ERROR;
  sqlite3_value **cols = argv + 2;
  sqlite3_value *cmd = argv[2 + t->ncol];
  sqlite3_value *docid_col = argv[3 + t->ncol];
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL && sqlite3_value_type(cmd) != SQLITE_NULL)
    return run_command(t, (const char *)sqlite3_value_text(cmd));
  /* The language: the hidden column's value as an integer (also of a table without languageid=, as in
  ** SQLite, though such a table does not keep it), never negative. */
  int langid = argc > t->ncol + 4 ? sqlite3_value_int(argv[4 + t->ncol]) : 0;
  if (langid < 0) return SQLITE_CONSTRAINT;
  sqlite3_value *newid = argv[1];
  if (sqlite3_value_type(docid_col) != SQLITE_NULL) {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL && sqlite3_value_type(argv[1]) != SQLITE_NULL)
      return fts3_set_error(t, "SQL logic error"); /* both rowid and docid given on INSERT */
    newid = docid_col;
  }
  int rc = SQLITE_OK;
  /* A row given a docid another row has: under OR REPLACE that row goes first. */
  if (t->content == CONTENT_OWN && sqlite3_value_type(newid) != SQLITE_NULL &&
      (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_int64(argv[0]) != sqlite3_value_int64(newid)) &&
      sqlite3_vtab_on_conflict(t->db) == SQLITE_REPLACE && sqlite3_value_numeric_type(newid) == SQLITE_INTEGER &&
      (rc = row_delete(t, sqlite3_value_int64(newid))) != SQLITE_OK)
    return rc;
  if (sqlite3_value_type(argv[0]) != SQLITE_NULL) {
    /* UPDATE: the old row's entries go, the new row's come (same docid or not). */
    sqlite3_int64 old = sqlite3_value_int64(argv[0]);
    if (t->content == CONTENT_OWN && sqlite3_value_type(newid) != SQLITE_NULL && sqlite3_value_int64(newid) != old) {
      sqlite3_stmt *s = fts3_stmt(t, ST_CONTENT_READ, &rc);
      if (!s) return rc;
      sqlite3_bind_int64(s, 1, sqlite3_value_int64(newid));
      int taken = sqlite3_step(s) == SQLITE_ROW;
      sqlite3_reset(s);
      if (taken) return SQLITE_CONSTRAINT;
    }
    rc = row_delete(t, old);
  }
  sqlite3_int64 docid = 0;
  if (rc == SQLITE_OK) rc = row_insert(t, newid, cols, langid, &docid);
  if (rc == SQLITE_OK) *rowid = docid;
  return rc;
}

/* ---- transactions ------------------------------------------------------------------------------------------ */

static int fts_begin(sqlite3_vtab *vt) {
  Fts3Table *t = (Fts3Table *)vt;
  t->leaf_add = 0;
  return fts3_check_stat(t);
}

static int fts_sync(sqlite3_vtab *vt) { return fts3_sync((Fts3Table *)vt); }

static int fts_commit(sqlite3_vtab *vt) {
  ((Fts3Table *)vt)->savepoints = 0;
  return SQLITE_OK;
}

static int fts_rollback(sqlite3_vtab *vt) {
  fts3_pending_clear((Fts3Table *)vt);
  ((Fts3Table *)vt)->savepoints = 0;
  return SQLITE_OK;
}

/* Pending terms are written at each savepoint (with the automatic merge's work), as at COMMIT, so that
** what a ROLLBACK TO drops is exactly what is pending then. */
static int fts_savepoint(sqlite3_vtab *vt, int i) {
  Fts3Table *t = (Fts3Table *)vt;
  t->savepoints = i + 1;
  return fts3_sync(t);
}

static int fts_release(sqlite3_vtab *vt, int i) {
  Fts3Table *t = (Fts3Table *)vt;
  if (t->savepoints > i) t->savepoints = i;
  return SQLITE_OK;
}

static int fts_rollback_to(sqlite3_vtab *vt, int i) {
  Fts3Table *t = (Fts3Table *)vt;
  /* A savepoint this table never saw opened before its pending terms: they stay. */
  if (i < t->savepoints) fts3_pending_clear(t);
  return SQLITE_OK;
}

/* ---- functions --------------------------------------------------------------------------------------------- */

/* optimize(t): the 'optimize' command as a function of the MATCH or scan row (the old interface),
** under a savepoint of its own: "Index optimized", or "Index already optimal" when an index was one
** segment already. */
static void fts3_optimize_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  Fts3Table *t = sqlite3_user_data(ctx);
  (void)argc;
  if (!fts3_cursor_of(t, argv[0])) {
    sqlite3_result_error(ctx, "illegal first argument to optimize", -1);
    return;
  }
  int rc = sqlite3_exec(t->db, "SAVEPOINT fts3", NULL, NULL, NULL);
  if (rc == SQLITE_OK) {
    rc = fts3_optimize(t);
    if (rc == SQLITE_OK || rc == SQLITE_DONE) {
      int rc2 = sqlite3_exec(t->db, "RELEASE fts3", NULL, NULL, NULL);
      if (rc2 != SQLITE_OK) rc = rc2;
    } else {
      sqlite3_exec(t->db, "ROLLBACK TO fts3", NULL, NULL, NULL);
      sqlite3_exec(t->db, "RELEASE fts3", NULL, NULL, NULL);
    }
  }
  if (rc == SQLITE_OK) sqlite3_result_text(ctx, "Index optimized", -1, SQLITE_STATIC);
  else if (rc == SQLITE_DONE) sqlite3_result_text(ctx, "Index already optimal", -1, SQLITE_STATIC);
  else sqlite3_result_error_code(ctx, rc);
}

static int fts_find_function(sqlite3_vtab *vt, int nargs, const char *name,
                             void (**fn)(sqlite3_context *, int, sqlite3_value **), void **arg) {
  if (sqlite3_stricmp(name, "optimize") == 0 && nargs == 1) *fn = fts3_optimize_func;
  else if (sqlite3_stricmp(name, "snippet") == 0) *fn = fts3_snippet_func;
  else if (sqlite3_stricmp(name, "offsets") == 0) *fn = fts3_offsets_func;
  else if (sqlite3_stricmp(name, "matchinfo") == 0) *fn = fts3_matchinfo_func;
  else return 0;
  *arg = vt;
  return 1;
}

static const sqlite3_module fts_module = {
    3,
    fts_create,
    fts_connect,
    fts_best_index,
    fts_disconnect,
    fts_destroy,
    fts_open,
    fts_close,
    fts_filter,
    fts_next,
    fts_eof,
    fts_column,
    fts_rowid,
    fts_update,
    fts_begin,
    fts_sync,
    fts_commit,
    fts_rollback,
    fts_find_function,
    fts_rename,
    fts_savepoint,
    fts_release,
    fts_rollback_to,
    fts_shadow_name,
    NULL,
};

/* The module's aux pointer tells FTS4 (non-NULL) from FTS3. */
static const int fts4_marker = 4;

const sqlite3_module *fts3_builtin_module(const char *name) {
  if (name && (sqlite3_stricmp(name, "fts3") == 0 || sqlite3_stricmp(name, "fts4") == 0)) return &fts_module;
  if (name && sqlite3_stricmp(name, "fts4aux") == 0) return &fts3_aux_module;
  if (name && sqlite3_stricmp(name, "fts3tokenize") == 0) return &fts3_tokenize_module;
  return NULL;
}

void *fts3_builtin_aux(const char *name) {
  return name && sqlite3_stricmp(name, "fts4") == 0 ? (void *)&fts4_marker : NULL;
}

int fts3_each_function(Fts3AddFunction add, void *ctx) {
  int rc = add(ctx, "snippet", -1, NULL);
  if (rc == SQLITE_OK) rc = add(ctx, "offsets", 1, NULL);
  if (rc == SQLITE_OK) rc = add(ctx, "matchinfo", 1, NULL);
  if (rc == SQLITE_OK) rc = add(ctx, "matchinfo", 2, NULL);
  if (rc == SQLITE_OK) rc = add(ctx, "optimize", 1, NULL);
  return rc;
}
