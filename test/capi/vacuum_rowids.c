/*
** vacuum_rowids.c — which rowids VACUUM keeps.  A rowid table whose rowid is
** neither an INTEGER PRIMARY KEY nor in an index has its rows renumbered
** 1, 2, 3, ... in rowid order by VACUUM (small rows and rows with overflow
** pages alike); a table with an INTEGER PRIMARY KEY, an index or a UNIQUE
** constraint keeps its rowids; VACUUM INTO keeps every rowid.
*/
#include <sqlite3.h>
#include <stdio.h>

static void exec(sqlite3 *db, const char *sql) {
  char *err = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
    printf("error: %s\n", err ? err : "?");
  sqlite3_free(err);
}

static void show(sqlite3 *db, const char *label, const char *sql) {
  sqlite3_stmt *st = NULL;
  printf("%s:", label);
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    printf(" error: %s\n", sqlite3_errmsg(db));
    return;
  }
  while (sqlite3_step(st) == SQLITE_ROW) {
    for (int i = 0; i < sqlite3_column_count(st); i++) {
      const char *z = (const char *)sqlite3_column_text(st, i);
      printf("%s%s", i ? "|" : " ", z ? z : "NULL");
    }
  }
  printf("\n");
  sqlite3_finalize(st);
}

static void show_all(sqlite3 *db, const char *schema) {
  static const char *const tables[] = {"plain", "big", "neg", "indexed", "uniq", "ipk", "gen"};
  char sql[200], label[64];
  for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
    snprintf(sql, sizeof sql,
             "SELECT rowid, substr(x, 1, 3) FROM %s.%s ORDER BY rowid", schema,
             tables[i]);
    snprintf(label, sizeof label, "%s.%s", schema, tables[i]);
    show(db, label, sql);
  }
}

int main(void) {
  sqlite3 *db = NULL;
  remove("vr.db");
  remove("vr-into.db");
  if (sqlite3_open("vr.db", &db) != SQLITE_OK)
    return 1;
  exec(db, "CREATE TABLE plain(x);"
           "INSERT INTO plain VALUES ('a'), ('b'), ('c'), ('d');"
           "DELETE FROM plain WHERE x IN ('a', 'c');"
           "CREATE TABLE big(x);"
           "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
           "WHERE i < 6)"
           " INSERT INTO big SELECT printf('%03d', i) || zeroblob(3000) FROM n;"
           "DELETE FROM big WHERE rowid % 2 = 1;"
           "CREATE TABLE neg(x);"
           "INSERT INTO neg(rowid, x) VALUES (-9, 'm'), (-2, 'n'), (500, 'o');"
           "CREATE TABLE indexed(x);"
           "CREATE INDEX indexed_x ON indexed(x);"
           "INSERT INTO indexed VALUES ('a'), ('b'), ('c');"
           "DELETE FROM indexed WHERE x = 'b';"
           "CREATE TABLE uniq(x UNIQUE);"
           "INSERT INTO uniq VALUES ('a'), ('b'), ('c');"
           "DELETE FROM uniq WHERE x = 'b';"
           "CREATE TABLE ipk(id INTEGER PRIMARY KEY, x);"
           "INSERT INTO ipk VALUES (5, 'a'), (7, 'b');"
           "CREATE TABLE gen(x, y AS (x || '!'));"
           "INSERT INTO gen(rowid, x) VALUES (10, 'g'), (20, 'h');");
  exec(db, "VACUUM INTO 'vr-into.db'");
  exec(db, "VACUUM");
  show_all(db, "main");
  exec(db, "ATTACH 'vr-into.db' AS i");
  show_all(db, "i");
  show(db, "integrity", "PRAGMA integrity_check");
  show(db, "next rowid", "INSERT INTO plain VALUES ('e') RETURNING rowid");
  sqlite3_close(db);
  remove("vr.db");
  remove("vr-into.db");
  return 0;
}
