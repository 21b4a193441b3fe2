/*
** attach.c — the sqlite3 calls that take a schema name, on main, temp and
** attached databases: db_name, db_filename (base name only: directories
** differ between runs), db_readonly, txn_state, table_column_metadata,
** column_database_name, blob I/O, backup between databases and
** serialize/deserialize of one, the update hook's database name and
** SQLITE_LIMIT_ATTACHED.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void exec(sqlite3 *db, const char *sql) {
  char *err = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
  printf("exec %.60s: %d %s\n", sql, rc, err ? err : "");
  sqlite3_free(err);
}

static void rows(sqlite3 *db, const char *sql) {
  sqlite3_stmt *s;
  int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
  printf("%s:", sql);
  if (rc != SQLITE_OK) {
    printf(" error %d %s\n", rc, sqlite3_errmsg(db));
    return;
  }
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    printf(" [");
    for (int i = 0; i < sqlite3_column_count(s); i++)
      printf("%s%s", i ? "|" : "", sqlite3_column_text(s, i) ? (const char *)sqlite3_column_text(s, i) : "NULL");
    printf("]");
  }
  printf(" rc=%d\n", rc);
  sqlite3_finalize(s);
}

static const char *base(const char *path) {
  if (!path) return "(null)";
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

static void on_update(void *arg, int op, const char *db, const char *table, sqlite3_int64 rowid) {
  (void)arg;
  printf("update op=%d db=%s table=%s rowid=%lld\n", op, db, table, (long long)rowid);
}

int main(void) {
  sqlite3 *db, *other;
  sqlite3_stmt *s;
  sqlite3_blob *b;
  const char *type, *coll;
  int nn, pk, ai, rc;
  unlink("attach_main.db");
  unlink("attach_aux.db");
  unlink("attach_copy.db");
  sqlite3_open("attach_main.db", &db);
  exec(db, "CREATE TABLE m(a INTEGER PRIMARY KEY, b TEXT NOT NULL COLLATE NOCASE)");
  exec(db, "ATTACH 'attach_aux.db' AS aux");
  exec(db, "CREATE TABLE aux.t(id INTEGER PRIMARY KEY AUTOINCREMENT, v BLOB, w)");
  exec(db, "CREATE TEMP TABLE tt(x UNIQUE)");
  for (int i = 0; i < 4; i++) printf("db_name %d: %s\n", i, sqlite3_db_name(db, i) ? sqlite3_db_name(db, i) : "(null)");
  printf("filename main=%s aux=%s temp='%s' nosuch=%s\n", base(sqlite3_db_filename(db, "main")),
         base(sqlite3_db_filename(db, "aux")), sqlite3_db_filename(db, "temp"), base(sqlite3_db_filename(db, "x")));
  printf("readonly main=%d aux=%d temp=%d nosuch=%d\n", sqlite3_db_readonly(db, "main"), sqlite3_db_readonly(db, "aux"),
         sqlite3_db_readonly(db, "temp"), sqlite3_db_readonly(db, "nosuch"));

  rc = sqlite3_table_column_metadata(db, "aux", "t", "id", &type, &coll, &nn, &pk, &ai);
  printf("metadata aux.t.id: %d %s %s %d %d %d\n", rc, type ? type : "(null)", coll, nn, pk, ai);
  rc = sqlite3_table_column_metadata(db, NULL, "t", "w", &type, &coll, &nn, &pk, &ai);
  printf("metadata t.w: %d %s %s %d %d %d\n", rc, type ? type : "(null)", coll, nn, pk, ai);
  rc = sqlite3_table_column_metadata(db, "main", "t", "w", &type, &coll, &nn, &pk, &ai);
  printf("metadata main.t.w: %d %s\n", rc, sqlite3_errmsg(db));
  rc = sqlite3_table_column_metadata(db, "temp", "tt", "x", &type, &coll, &nn, &pk, &ai);
  printf("metadata temp.tt.x: %d %d\n", rc, pk);

  sqlite3_update_hook(db, on_update, NULL);
  exec(db, "INSERT INTO aux.t(v, w) VALUES (x'0102030405', 'one'), (zeroblob(8), 'two')");
  exec(db, "INSERT INTO tt VALUES (7)");
  exec(db, "INSERT INTO m VALUES (1, 'x')");
  exec(db, "UPDATE t SET w = 'uno' WHERE id = 1");
  exec(db, "DELETE FROM temp.tt WHERE x = 7");
  sqlite3_update_hook(db, NULL, NULL);

  rc = sqlite3_prepare_v2(db, "SELECT t.w, m.b, tt.x FROM aux.t, main.m LEFT JOIN tt", -1, &s, NULL);
  for (int i = 0; rc == SQLITE_OK && i < 3; i++)
    printf("column %d: db=%s table=%s origin=%s\n", i, sqlite3_column_database_name(s, i),
           sqlite3_column_table_name(s, i), sqlite3_column_origin_name(s, i));
  sqlite3_finalize(s);

  printf("txn none: %d %d %d\n", sqlite3_txn_state(db, NULL), sqlite3_txn_state(db, "aux"),
         sqlite3_txn_state(db, "nosuch"));
  exec(db, "BEGIN");
  rows(db, "SELECT count(*) FROM aux.t");
  printf("txn read: all=%d main=%d aux=%d temp=%d\n", sqlite3_txn_state(db, NULL), sqlite3_txn_state(db, "main"),
         sqlite3_txn_state(db, "aux"), sqlite3_txn_state(db, "temp"));
  exec(db, "INSERT INTO aux.t(w) VALUES ('three')");
  printf("txn write: all=%d main=%d aux=%d\n", sqlite3_txn_state(db, NULL), sqlite3_txn_state(db, "main"),
         sqlite3_txn_state(db, "aux"));
  exec(db, "COMMIT");

  rc = sqlite3_blob_open(db, "aux", "t", "v", 1, 0, &b);
  printf("blob_open aux: %d size=%d\n", rc, rc == SQLITE_OK ? sqlite3_blob_bytes(b) : -1);
  if (rc == SQLITE_OK) {
    unsigned char buf[5] = {0};
    rc = sqlite3_blob_read(b, buf, 5, 0);
    printf("blob_read: %d %d %d %d\n", rc, buf[0], buf[2], buf[4]);
    sqlite3_blob_close(b);
  }
  rc = sqlite3_blob_open(db, "aux", "t", "v", 2, 1, &b);
  if (rc == SQLITE_OK) {
    rc = sqlite3_blob_write(b, "abc", 3, 2);
    printf("blob_write: %d\n", rc);
    sqlite3_blob_close(b);
  }
  rows(db, "SELECT hex(v) FROM aux.t WHERE id = 2");
  rc = sqlite3_blob_open(db, "main", "t", "v", 1, 0, &b);
  printf("blob_open main.t: %d %s\n", rc, sqlite3_errmsg(db));
  rc = sqlite3_blob_open(db, "nosuch", "t", "v", 1, 0, &b);
  printf("blob_open nosuch.t: %d %s\n", rc, sqlite3_errmsg(db));

  /* aux copied into another connection's main, then back into a new attached one */
  sqlite3_open(":memory:", &other);
  sqlite3_backup *bk = sqlite3_backup_init(other, "main", db, "aux");
  printf("backup init: %s\n", bk ? "ok" : sqlite3_errmsg(other));
  if (bk) {
    printf("backup step: %d\n", sqlite3_backup_step(bk, -1));
    printf("backup finish: %d\n", sqlite3_backup_finish(bk));
  }
  rows(other, "SELECT id, w FROM t ORDER BY id");
  exec(db, "ATTACH ':memory:' AS copy");
  bk = sqlite3_backup_init(db, "copy", other, "main");
  if (bk) {
    printf("backup step: %d\n", sqlite3_backup_step(bk, -1));
    printf("backup finish: %d\n", sqlite3_backup_finish(bk));
  }
  rows(db, "SELECT id, w FROM copy.t ORDER BY id");
  bk = sqlite3_backup_init(db, "nosuch", other, "main");
  printf("backup init nosuch: %s %s\n", bk ? "ok" : "NULL", sqlite3_errmsg(db));
  if (bk) sqlite3_backup_finish(bk);

  sqlite3_int64 size = 0;
  unsigned char *img = sqlite3_serialize(db, "aux", &size, 0);
  printf("serialize aux: %s\n", img && size > 0 ? "ok" : "failed");
  if (img) {
    rc = sqlite3_deserialize(db, "copy", img, size, size, SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
    printf("deserialize copy: %d\n", rc);
  }
  rows(db, "SELECT count(*) FROM copy.t");
  printf("serialize nosuch: %s\n", sqlite3_serialize(db, "nosuch", &size, 0) ? "image" : "NULL");

  printf("limit attached: %d\n", sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 2));
  exec(db, "ATTACH ':memory:' AS third");
  printf("limit attached: %d\n", sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, -1));
  exec(db, "DETACH copy");
  exec(db, "ATTACH ':memory:' AS third");
  rows(db, "PRAGMA database_list");
  sqlite3_close(other);
  printf("close: %d\n", sqlite3_close(db));
  unlink("attach_main.db");
  unlink("attach_aux.db");
  return 0;
}
