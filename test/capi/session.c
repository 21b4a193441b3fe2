/*
** session.c — the session extension: recording changes (inserts, updates,
** deletes, a key update, changes undone within the session, a trigger's
** indirect changes, a table without a PRIMARY KEY, a composite key),
** changesets and patchsets read back, their bytes for a one-change table,
** inversion, concatenation and changegroups, and applying a changeset to
** another database with each kind of conflict (DATA, NOTFOUND, CONFLICT,
** CONSTRAINT, FOREIGN_KEY) answered OMIT, REPLACE or ABORT.
**
** SQLite writes a table's changes in its hash table's order, so changes are
** printed sorted within each table; tables keep their order.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../engine/include/sqlite3session.h"

static void value_text(sqlite3_value *v, char *out, size_t n) {
  if (!v) {
    snprintf(out, n, "-");
    return;
  }
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER: snprintf(out, n, "%lld", (long long)sqlite3_value_int64(v)); break;
    case SQLITE_FLOAT: snprintf(out, n, "%.2f", sqlite3_value_double(v)); break;
    case SQLITE_TEXT: snprintf(out, n, "'%s'", (const char *)sqlite3_value_text(v)); break;
    case SQLITE_BLOB: snprintf(out, n, "blob(%d)", sqlite3_value_bytes(v)); break;
    default: snprintf(out, n, "NULL");
  }
}

static char *change_line(sqlite3_changeset_iter *it) {
  const char *tab;
  int ncol, op, indirect;
  unsigned char *pk;
  static char line[2048];
  char v[128];
  sqlite3changeset_op(it, &tab, &ncol, &op, &indirect);
  sqlite3changeset_pk(it, &pk, &ncol);
  snprintf(line, sizeof line, "%s %s%s pk=", tab, op == SQLITE_INSERT ? "INSERT" : op == SQLITE_DELETE ? "DELETE" : "UPDATE",
           indirect ? " indirect" : "");
  for (int i = 0; i < ncol; i++) snprintf(line + strlen(line), sizeof line - strlen(line), "%d", pk[i]);
  for (int which = 0; which < 2; which++) {
    sqlite3_value *val;
    if ((which == 0 && op == SQLITE_INSERT) || (which == 1 && op == SQLITE_DELETE)) continue;
    strcat(line, which ? " new(" : " old(");
    for (int i = 0; i < ncol; i++) {
      int rc = which ? sqlite3changeset_new(it, i, &val) : sqlite3changeset_old(it, i, &val);
      if (rc != SQLITE_OK) snprintf(v, sizeof v, "rc%d", rc);
      else value_text(val, v, sizeof v);
      if (i) strcat(line, ",");
      strcat(line, v);
    }
    strcat(line, ")");
  }
  return line;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void flush(char **lines, int *n) {
  qsort(lines, (size_t)*n, sizeof *lines, cmp_str);
  for (int i = 0; i < *n; i++) {
    printf("  %s\n", lines[i]);
    free(lines[i]);
  }
  *n = 0;
}

static void print_changeset(const char *label, int n, void *p) {
  sqlite3_changeset_iter *it;
  char *lines[256], last[256] = "";
  int nlines = 0, rc;
  printf("%s: %s\n", label, n ? "" : "(empty)");
  if (!n) return;
  if ((rc = sqlite3changeset_start(&it, n, p)) != SQLITE_OK) {
    printf("  start: %d\n", rc);
    return;
  }
  while ((rc = sqlite3changeset_next(it)) == SQLITE_ROW) {
    const char *tab;
    int ncol, op, indirect; /* (SQLite needs every pointer) */
    sqlite3changeset_op(it, &tab, &ncol, &op, &indirect);
    if (strcmp(tab, last) != 0) flush(lines, &nlines);
    snprintf(last, sizeof last, "%s", tab);
    if (nlines < 256) lines[nlines++] = strdup(change_line(it));
  }
  flush(lines, &nlines);
  printf("  next: %d, finalize: %d\n", rc, sqlite3changeset_finalize(it));
}

static void hex(const char *label, int n, const void *p) {
  printf("%s (%d bytes):", label, n);
  for (int i = 0; i < n; i++) printf("%02x", ((const unsigned char *)p)[i]);
  printf("\n");
}

static void run(sqlite3 *db, const char *sql) {
  char *err = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) printf("  error: %s (%s)\n", err, sql);
  sqlite3_free(err);
}

static void dump(sqlite3 *db, const char *label, const char *sql) {
  sqlite3_stmt *st;
  printf("%s:", label);
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    printf(" %s\n", sqlite3_errmsg(db));
    return;
  }
  while (sqlite3_step(st) == SQLITE_ROW) {
    printf(" (");
    for (int i = 0; i < sqlite3_column_count(st); i++) {
      char v[128];
      value_text(sqlite3_column_value(st, i), v, sizeof v);
      printf("%s%s", i ? "," : "", v);
    }
    printf(")");
  }
  printf("\n");
  sqlite3_finalize(st);
}

static const char *schema =
    "CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, b);"
    "CREATE TABLE c(k1, k2, v, PRIMARY KEY(k2, k1));"
    "CREATE TABLE nopk(x);"
    "CREATE TABLE log(id INTEGER PRIMARY KEY, msg);"
    "CREATE TRIGGER tr AFTER DELETE ON t BEGIN INSERT INTO log(msg) VALUES('deleted ' || old.id); END;"
    "INSERT INTO t VALUES(1, 'one', 1.5), (2, 'two', NULL), (3, 'three', x'00ff'), (4, 'four', 4);"
    "INSERT INTO c VALUES('a', 1, 'a1'), ('b', 2, 'b2');";

static int answer = SQLITE_CHANGESET_OMIT;
/* Conflicts come in the changeset's order: kept and printed sorted. */
static char *conflicts[64];
static int nconflicts;
static int applied(int rc) {
  flush(conflicts, &nconflicts);
  return rc;
}
static int on_conflict(void *ctx, int kind, sqlite3_changeset_iter *it) {
  static const char *kinds[] = {"?", "DATA", "NOTFOUND", "CONFLICT", "CONSTRAINT", "FOREIGN_KEY"};
  (void)ctx;
  char out[4096];
  size_t at = 0;
#define OUT(...) (at += (size_t)snprintf(out + at, at < sizeof out ? sizeof out - at : 0, __VA_ARGS__))
  OUT("conflict %s:", kinds[kind >= 1 && kind <= 5 ? kind : 0]);
  if (kind == SQLITE_CHANGESET_FOREIGN_KEY) {
    int n = -1, rc = sqlite3changeset_fk_conflicts(it, &n);
    OUT(" fk_conflicts rc=%d n=%d", rc, n);
  } else {
    int ncol, op, indirect;
    const char *tab;
    OUT(" %s conflict(", change_line(it));
    sqlite3changeset_op(it, &tab, &ncol, &op, &indirect);
    for (int i = 0; i < ncol; i++) {
      sqlite3_value *v;
      char buf[128];
      int rc = sqlite3changeset_conflict(it, i, &v);
      if (rc != SQLITE_OK) snprintf(buf, sizeof buf, "rc%d", rc);
      else value_text(v, buf, sizeof buf);
      OUT("%s%s", i ? "," : "", buf);
    }
    OUT(")");
  }
  OUT(" -> %d", answer);
  if (nconflicts < 64) conflicts[nconflicts++] = strdup(out);
  return answer;
}

static int only_t(void *ctx, const char *tab) {
  (void)ctx;
  return strcmp(tab, "t") == 0;
}

int main(void) {
  sqlite3 *db, *db2;
  sqlite3_session *s, *s2;
  int n = 0, n2 = 0, rc, one = 1;
  void *p = NULL, *p2 = NULL;
  sqlite3_open(":memory:", &db);
  run(db, schema);

  rc = sqlite3session_create(db, "main", &s);
  printf("create: %d, isempty: %d\n", rc, sqlite3session_isempty(s));
  printf("object_config size: %d\n", sqlite3session_object_config(s, SQLITE_SESSION_OBJCONFIG_SIZE, &one));
  printf("attach: %d\n", sqlite3session_attach(s, NULL));
  printf("enable(-1): %d, indirect(-1): %d\n", sqlite3session_enable(s, -1), sqlite3session_indirect(s, -1));

  run(db, "INSERT INTO t VALUES(5, 'five', 5)");
  run(db, "UPDATE t SET a = 'TWO', b = 2 WHERE id = 2");
  run(db, "DELETE FROM t WHERE id = 3");
  run(db, "INSERT INTO t VALUES(6, 'gone', 0); DELETE FROM t WHERE id = 6");
  run(db, "UPDATE t SET a = 'x' WHERE id = 1; UPDATE t SET a = 'one' WHERE id = 1");
  run(db, "UPDATE t SET id = 40 WHERE id = 4");
  run(db, "INSERT INTO nopk VALUES(1)");
  run(db, "UPDATE c SET v = 'b2!' WHERE k1 = 'b'");
  run(db, "INSERT INTO c VALUES('z', 9, NULL), (NULL, 1, 'null key')");
  sqlite3session_indirect(s, 1);
  run(db, "INSERT INTO t VALUES(7, 'indirect', 7)");
  sqlite3session_indirect(s, 0);
  sqlite3session_enable(s, 0);
  run(db, "INSERT INTO t VALUES(8, 'not recorded', 8)");
  sqlite3session_enable(s, 1);
  printf("isempty: %d, changeset_size > 0: %d\n", sqlite3session_isempty(s), sqlite3session_changeset_size(s) > 0);

  rc = sqlite3session_changeset(s, &n, &p);
  /* (SQLite's size counts changes undone since: an upper bound) */
  printf("changeset: %d, size bounds it: %d\n", rc, (sqlite3_int64)n <= sqlite3session_changeset_size(s));
  print_changeset("changeset", n, p);
  rc = sqlite3session_patchset(s, &n2, &p2);
  printf("patchset: %d\n", rc);
  print_changeset("patchset", n2, p2);

  void *inv = NULL;
  int ninv = 0;
  printf("invert: %d\n", sqlite3changeset_invert(n, p, &ninv, &inv));
  print_changeset("inverted", ninv, inv);
  sqlite3_free(inv);
  inv = NULL;
  printf("invert a patchset: %d\n", sqlite3changeset_invert(n2, p2, &ninv, &inv) == SQLITE_CORRUPT);

  /* Applying: a second database in the first one's starting state. */
  sqlite3_open(":memory:", &db2);
  run(db2, schema);
  printf("apply: %d\n", applied(sqlite3changeset_apply(db2, n, p, NULL, on_conflict, NULL)));
  dump(db2, "t", "SELECT * FROM t ORDER BY id");
  dump(db2, "c", "SELECT * FROM c ORDER BY k1");
  dump(db2, "log", "SELECT * FROM log ORDER BY id");
  printf("apply again (every change conflicts), OMIT: %d\n", applied(sqlite3changeset_apply(db2, n, p, only_t, on_conflict, NULL)));
  run(db2, "UPDATE t SET b = 'changed' WHERE id = 2");
  answer = SQLITE_CHANGESET_REPLACE;
  printf("apply inverted, REPLACE: %d\n",
         applied(sqlite3changeset_apply_v2(db2, n, p, only_t, on_conflict, NULL, NULL, NULL, SQLITE_CHANGESETAPPLY_INVERT)));
  dump(db2, "t", "SELECT * FROM t ORDER BY id");
  answer = SQLITE_CHANGESET_ABORT;
  run(db2, "DELETE FROM t WHERE id = 1");
  printf("apply, ABORT: %d\n", applied(sqlite3changeset_apply(db2, n, p, NULL, on_conflict, NULL)));
  dump(db2, "t", "SELECT * FROM t ORDER BY id");

  printf("-- a constraint\n");
  sqlite3 *db3;
  sqlite3_open(":memory:", &db3);
  run(db3, "CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT UNIQUE, b)");
  run(db3, "INSERT INTO t VALUES(100, 'five', 0)");
  answer = SQLITE_CHANGESET_OMIT;
  printf("apply: %d\n", applied(sqlite3changeset_apply(db3, n, p, only_t, on_conflict, NULL)));
  dump(db3, "t", "SELECT * FROM t ORDER BY id");
  sqlite3_close(db3);

  printf("-- foreign keys\n");
  sqlite3_open(":memory:", &db3);
  run(db3, "PRAGMA foreign_keys = ON; CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE ch(id INTEGER PRIMARY KEY, "
           "pid REFERENCES p(id));");
  sqlite3_session *s3;
  sqlite3session_create(db3, "main", &s3);
  sqlite3session_attach(s3, "ch");
  run(db3, "PRAGMA foreign_keys = OFF; INSERT INTO ch VALUES(1, 99); PRAGMA foreign_keys = ON;");
  void *p3 = NULL;
  int n3 = 0;
  sqlite3session_changeset(s3, &n3, &p3);
  sqlite3session_delete(s3);
  run(db3, "DELETE FROM ch");
  answer = SQLITE_CHANGESET_ABORT;
  printf("apply, ABORT: %d\n", applied(sqlite3changeset_apply(db3, n3, p3, NULL, on_conflict, NULL)));
  dump(db3, "ch", "SELECT * FROM ch");
  answer = SQLITE_CHANGESET_OMIT;
  run(db3, "BEGIN");
  printf("apply in a transaction, OMIT: %d\n", applied(sqlite3changeset_apply(db3, n3, p3, NULL, on_conflict, NULL)));
  dump(db3, "ch", "SELECT * FROM ch");
  run(db3, "ROLLBACK");
  sqlite3_free(p3);
  sqlite3_close(db3);

  printf("-- the bytes of one change per table\n");
  sqlite3_open(":memory:", &db3);
  run(db3, "CREATE TABLE k(a INTEGER PRIMARY KEY, b TEXT, c REAL, d BLOB, e)");
  run(db3, "INSERT INTO k VALUES(1, 'x', 1.25, x'0102', NULL)");
  sqlite3session_create(db3, "main", &s3);
  sqlite3session_attach(s3, "k");
  run(db3, "UPDATE k SET b = 'y', e = -7 WHERE a = 1");
  sqlite3session_changeset(s3, &n3, &p3);
  hex("update changeset", n3, p3);
  sqlite3_free(p3);
  sqlite3session_patchset(s3, &n3, &p3);
  hex("update patchset", n3, p3);
  sqlite3_free(p3);
  sqlite3session_delete(s3);
  sqlite3session_create(db3, "main", &s3);
  sqlite3session_attach(s3, NULL);
  run(db3, "CREATE TABLE wr(x TEXT, y INT, z, PRIMARY KEY(y, x)) WITHOUT ROWID; INSERT INTO wr VALUES('a', 1, 'keep')");
  run(db3, "DELETE FROM k; INSERT INTO k VALUES(2, 'two', 2, zeroblob(3), 1e100)");
  run(db3, "UPDATE wr SET z = 'changed'; INSERT INTO wr VALUES('b', 2, NULL)");
  sqlite3session_changeset(s3, &n3, &p3);
  hex("delete+insert changeset, and a WITHOUT ROWID table", n3, p3);
  sqlite3_free(p3);
  sqlite3session_patchset(s3, &n3, &p3);
  hex("delete+insert patchset, and a WITHOUT ROWID table", n3, p3);
  sqlite3_free(p3);
  sqlite3session_delete(s3);
  sqlite3_close(db3);

  printf("-- combining\n");
  rc = sqlite3session_create(db, "main", &s2);
  sqlite3session_attach(s2, "t");
  run(db, "UPDATE t SET a = 'FIVE' WHERE id = 5");
  run(db, "DELETE FROM t WHERE id = 7");
  run(db, "INSERT INTO t VALUES(3, 'three', x'00ff')");
  run(db, "UPDATE t SET b = 22 WHERE id = 2");
  void *pb = NULL, *pc = NULL;
  int nb = 0, nc = 0;
  sqlite3session_changeset(s2, &nb, &pb);
  print_changeset("second changeset", nb, pb);
  printf("concat: %d\n", sqlite3changeset_concat(n, p, nb, pb, &nc, &pc));
  print_changeset("concatenated", nc, pc);
  sqlite3_free(pc);
  sqlite3_changegroup *g;
  printf("changegroup: %d", sqlite3changegroup_new(&g));
  printf(" %d", sqlite3changegroup_add(g, n, p));
  printf(" %d", sqlite3changegroup_add(g, nb, pb));
  printf(" mixing a patchset: %d", sqlite3changegroup_add(g, n2, p2));
  printf(" output: %d\n", sqlite3changegroup_output(g, &nc, &pc));
  print_changeset("grouped", nc, pc);
  sqlite3changegroup_delete(g);
  sqlite3_free(pc);
  sqlite3_free(pb);

  printf("-- diff\n");
  sqlite3_open(":memory:", &db3);
  run(db3, "ATTACH ':memory:' AS aux");
  run(db3, "CREATE TABLE t(id INTEGER PRIMARY KEY, a, b); CREATE TABLE aux.t(id INTEGER PRIMARY KEY, a, b)");
  run(db3, "CREATE TABLE u(x PRIMARY KEY, y); CREATE TABLE aux.u(x PRIMARY KEY, y, z)");
  run(db3, "INSERT INTO t VALUES(1, 'same', 1), (2, 'here only', 2), (3, 'new', 3.5), (5, NULL, NULL)");
  run(db3, "INSERT INTO aux.t VALUES(1, 'same', 1), (3, 'old', 3), (4, 'there only', x'04'), (5, NULL, NULL)");
  sqlite3session_create(db3, "main", &s3);
  sqlite3session_attach(s3, "t");
  char *err = NULL;
  printf("diff: %d", sqlite3session_diff(s3, "aux", "t", &err));
  printf(" %s\n", err ? err : "(no message)");
  sqlite3_free(err);
  err = NULL;
  printf("diff of a table not attached: %d\n", sqlite3session_diff(s3, "aux", "u", &err));
  sqlite3session_attach(s3, "u");
  printf("diff of other columns: %d", sqlite3session_diff(s3, "aux", "u", &err));
  printf(" %s\n", err ? err : "(no message)");
  sqlite3_free(err);
  sqlite3session_changeset(s3, &n3, &p3);
  print_changeset("diff changeset", n3, p3);
  sqlite3_free(p3);
  sqlite3session_delete(s3);
  sqlite3_close(db3);

  printf("-- a changeset SQLite wrote (Debian's libsqlite3 3.40), applied\n");
  {
    static const char sqlite_made[] =
        "540301000074001700010000000000000002030374776f0000030354574f00090001000000000000000303057468726565040200ff"
        "12000100000000000000050304666976650100000000000000051200010000000000000006030373697802c01900000000000054"
        "030201006300120003017a0100000000000000090509000301610100000000000000010302613117000301620100000000000000"
        "020302623200000303623221";
    unsigned char bytes[sizeof sqlite_made / 2];
    int nbytes = (int)(sizeof sqlite_made / 2);
    for (int i = 0; i < nbytes; i++) sscanf(sqlite_made + 2 * i, "%2hhx", &bytes[i]);
    print_changeset("sqlite-made", nbytes, bytes);
    sqlite3_open(":memory:", &db3);
    run(db3, "CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, b); CREATE TABLE c(k1, k2, v, PRIMARY KEY(k2,k1));"
             "INSERT INTO t VALUES(1,'one',1.5),(2,'two',NULL),(3,'three',x'00ff');"
             "INSERT INTO c VALUES('a',1,'a1'),('b',2,'b2');");
    printf("apply: %d\n", applied(sqlite3changeset_apply(db3, nbytes, bytes, NULL, on_conflict, NULL)));
    dump(db3, "t", "SELECT * FROM t ORDER BY id");
    dump(db3, "c", "SELECT * FROM c ORDER BY k1");
    sqlite3_close(db3);
  }

  printf("-- errors\n");
  sqlite3_changeset_iter *it;
  unsigned char bad[] = {'T', 2, 1, 0, 't', 0, SQLITE_INSERT, 0, 1};
  sqlite3changeset_start(&it, (int)sizeof bad, bad);
  printf("truncated: next %d", sqlite3changeset_next(it));
  printf(" finalize %d\n", sqlite3changeset_finalize(it));
  sqlite3changeset_start(&it, n, p);
  sqlite3changeset_next(it);
  sqlite3_value *v = (sqlite3_value *)&v;
  printf("conflict outside apply: %d, ", sqlite3changeset_conflict(it, 0, &v));
  printf("old of column 99: %d, fk_conflicts: %d\n", sqlite3changeset_old(it, 99, &v),
         sqlite3changeset_fk_conflicts(it, &rc));
  sqlite3changeset_finalize(it);
  printf("empty changeset: start %d", sqlite3changeset_start(&it, 0, NULL));
  printf(" next %d", sqlite3changeset_next(it));
  printf(" finalize %d\n", sqlite3changeset_finalize(it));

  sqlite3_free(p);
  sqlite3_free(p2);
  sqlite3_free(inv);
  sqlite3session_delete(s2);
  sqlite3session_delete(s);
  sqlite3_close(db2);
  sqlite3_close(db);
  return 0;
}
