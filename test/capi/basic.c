/*
** basic.c — the sqlite3 API as applications use it: open, exec with a
** callback, prepare/bind/step loops over every bind and column type,
** statement tails, parameters by name, reset and reuse, get_table,
** change counters, errors with their extended codes.  Built against Lode
** and against the system libsqlite3; both must print the same.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static int print_row(void *tag, int n, char **vals, char **names) {
  printf("  %s:", (const char *)tag);
  for (int i = 0; i < n; i++) printf(" %s=%s", names[i], vals[i] ? vals[i] : "NULL");
  printf("\n");
  return 0;
}

static int abort_after_one(void *arg, int n, char **vals, char **names) {
  (void)arg;
  printf("  abort_after_one: %d %s=%s\n", n, names[0], vals[0]);
  return 1;
}

static void print_stmt_rows(sqlite3_stmt *s) {
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    printf("  row(%d):", sqlite3_data_count(s));
    for (int i = 0; i < sqlite3_column_count(s); i++) {
      int t = sqlite3_column_type(s, i);
      switch (t) {
        case SQLITE_INTEGER:
          printf(" %s=int:%lld", sqlite3_column_name(s, i), (long long)sqlite3_column_int64(s, i));
          break;
        case SQLITE_FLOAT: printf(" %s=real:%.17g", sqlite3_column_name(s, i), sqlite3_column_double(s, i)); break;
        case SQLITE_TEXT:
          printf(" %s=text:%s(%d)", sqlite3_column_name(s, i), sqlite3_column_text(s, i), sqlite3_column_bytes(s, i));
          break;
        case SQLITE_BLOB: {
          const unsigned char *b = sqlite3_column_blob(s, i);
          int n = sqlite3_column_bytes(s, i);
          printf(" %s=blob:", sqlite3_column_name(s, i));
          for (int k = 0; k < n; k++) printf("%02x", b[k]);
          break;
        }
        default: printf(" %s=null", sqlite3_column_name(s, i));
      }
    }
    printf("\n");
  }
  printf("  step -> %d, data_count %d\n", rc, sqlite3_data_count(s));
}

static void show_error(sqlite3 *db, const char *what, int rc) {
  printf("%s: rc=%d errcode=%d extended=%d msg=%s\n", what, rc, sqlite3_errcode(db), sqlite3_extended_errcode(db),
         sqlite3_errmsg(db));
}

int main(void) {
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;
  char *err = NULL;
  int rc;

  rc = sqlite3_open(":memory:", &db);
  printf("open: %d autocommit=%d\n", rc, sqlite3_get_autocommit(db));

  rc = sqlite3_exec(db,
                    "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL, data BLOB, n INT);"
                    "INSERT INTO t(name, score) VALUES ('alpha', 1.5), ('beta', NULL);"
                    "SELECT id, name, score FROM t ORDER BY id;",
                    print_row, "exec", &err);
  printf("exec: %d err=%s changes=%d total=%d last=%lld\n", rc, err ? err : "(none)", sqlite3_changes(db),
         sqlite3_total_changes(db), (long long)sqlite3_last_insert_rowid(db));

  /* every bind type, by index and by name */
  rc = sqlite3_prepare_v2(db, "INSERT INTO t(name, score, data, n) VALUES (:name, ?2, @data, $n)", -1, &s, NULL);
  printf("prepare insert: %d params=%d\n", rc, sqlite3_bind_parameter_count(s));
  for (int i = 1; i <= sqlite3_bind_parameter_count(s); i++)
    printf("  param %d: %s\n", i, sqlite3_bind_parameter_name(s, i) ? sqlite3_bind_parameter_name(s, i) : "(null)");
  printf("  index of :name=%d @data=%d $n=%d :nope=%d\n", sqlite3_bind_parameter_index(s, ":name"),
         sqlite3_bind_parameter_index(s, "@data"), sqlite3_bind_parameter_index(s, "$n"),
         sqlite3_bind_parameter_index(s, ":nope"));
  static const unsigned char blob[] = {0xde, 0xad, 0x00, 0xef};
  char name[16];
  for (int i = 0; i < 4; i++) {
    snprintf(name, sizeof name, "row%d", i);
    sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
    if (i == 2) sqlite3_bind_null(s, 2);
    else sqlite3_bind_double(s, 2, i * 0.25);
    if (i == 1) sqlite3_bind_zeroblob(s, 3, 3);
    else sqlite3_bind_blob(s, 3, blob, (int)sizeof blob, SQLITE_STATIC);
    if (i == 3) sqlite3_bind_int64(s, 4, 9007199254740993LL);
    else sqlite3_bind_int(s, 4, -i);
    rc = sqlite3_step(s);
    printf("  insert %d: %d rowid=%lld changes=%d\n", i, rc, (long long)sqlite3_last_insert_rowid(db),
           sqlite3_changes(db));
    sqlite3_reset(s);
  }
  sqlite3_clear_bindings(s);
  rc = sqlite3_step(s);
  show_error(db, "insert after clear_bindings (NOT NULL)", rc);
  rc = sqlite3_reset(s);
  printf("reset after failure: %d\n", rc);
  sqlite3_finalize(s);

  rc = sqlite3_prepare_v2(db, "SELECT id, name, score, data, n, typeof(n) AS tn FROM t WHERE id > ? ORDER BY id",
                          -1, &s, NULL);
  printf("prepare select: %d cols=%d readonly=%d\n", rc, sqlite3_column_count(s), sqlite3_stmt_readonly(s));
  for (int i = 0; i < sqlite3_column_count(s); i++)
    printf("  col %d: %s decltype=%s\n", i, sqlite3_column_name(s, i),
           sqlite3_column_decltype(s, i) ? sqlite3_column_decltype(s, i) : "(null)");
  sqlite3_bind_int(s, 1, 1);
  print_stmt_rows(s);
  /* rerun with a new binding after reset */
  sqlite3_reset(s);
  sqlite3_bind_int(s, 1, 4);
  print_stmt_rows(s);
  printf("sql: %s\n", sqlite3_sql(s));
  char *x = sqlite3_expanded_sql(s);
  printf("expanded: %s\n", x);
  sqlite3_free(x);
  sqlite3_finalize(s);

  /* Expanded SQL longer than SQLITE_LIMIT_LENGTH is none; the SQL itself stays. */
  {
    int old = sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 40);
    sqlite3_prepare_v2(db, "SELECT ?1 AS a WHERE a = ?1", -1, &s, NULL);
    sqlite3_bind_text(s, 1, "0123456789abcdef", -1, SQLITE_STATIC);
    x = sqlite3_expanded_sql(s);
    printf("expanded at limit 40: %s\n", x ? x : "(null)");
    sqlite3_free(x);
    sqlite3_bind_text(s, 1, "0123", -1, SQLITE_STATIC);
    x = sqlite3_expanded_sql(s);
    printf("expanded short: %s\n", x ? x : "(null)");
    sqlite3_free(x);
    printf("sql: %s\n", sqlite3_sql(s));
    sqlite3_finalize(s);
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, old);
  }

  /* conversions between column types */
  rc = sqlite3_prepare_v2(db, "SELECT 42, 3.75, '17abc', x'41420043', NULL, '  12  ', 1e300*1e10", -1, &s, NULL);
  if (sqlite3_step(s) == SQLITE_ROW) {
    for (int i = 0; i < 7; i++) {
      int type = sqlite3_column_type(s, i);
      const unsigned char *txt = sqlite3_column_text(s, i);
      int bytes = sqlite3_column_bytes(s, i);
      printf("  conv %d: type=%d int=%d int64=%lld double=%.6g text=%s bytes=%d\n", i, type, sqlite3_column_int(s, i),
             (long long)sqlite3_column_int64(s, i), sqlite3_column_double(s, i), txt ? (const char *)txt : "(null)",
             bytes);
    }
  }
  sqlite3_finalize(s);

  /* several statements in one string: prepare each through the tail */
  const char *sql = "UPDATE t SET n = n + 1 WHERE id <= 3; DELETE FROM t WHERE id = 6 ; SELECT count(*) FROM t; -- end";
  const char *tail = sql;
  while (tail && *tail) {
    rc = sqlite3_prepare_v2(db, tail, -1, &s, &tail);
    if (rc != SQLITE_OK) {
      show_error(db, "prepare", rc);
      break;
    }
    if (!s) {
      printf("  (no statement left: \"%s\")\n", tail);
      break;
    }
    rc = sqlite3_step(s);
    printf("  stmt \"%s\": %d changes=%d", sqlite3_sql(s), rc, sqlite3_changes(s ? sqlite3_db_handle(s) : db));
    if (rc == SQLITE_ROW) printf(" value=%d", sqlite3_column_int(s, 0));
    printf("\n");
    sqlite3_finalize(s);
  }

  /* prepare with an explicit byte count (only the first statement) */
  rc = sqlite3_prepare_v2(db, "SELECT 7; SELECT 8", 8, &s, &tail);
  printf("nbyte prepare: %d tail=\"%s\"\n", rc, tail);
  if (sqlite3_step(s) == SQLITE_ROW) printf("  value %d\n", sqlite3_column_int(s, 0));
  sqlite3_finalize(s);

  /* errors */
  rc = sqlite3_prepare_v2(db, "SELEC 1", -1, &s, NULL);
  show_error(db, "syntax error", rc);
  printf("  stmt is %s\n", s ? "set" : "NULL");
  rc = sqlite3_prepare_v2(db, "SELECT nope FROM t", -1, &s, NULL);
  show_error(db, "no such column", rc);
  rc = sqlite3_exec(db, "CREATE UNIQUE INDEX tn ON t(name); INSERT INTO t(name) VALUES('alpha')", NULL, NULL, &err);
  show_error(db, "unique", rc);
  printf("  errmsg out: %s\n", err);
  sqlite3_free(err);
  err = NULL;
  rc = sqlite3_exec(db, "INSERT INTO t(id, name) VALUES(1, 'dup')", NULL, NULL, NULL);
  show_error(db, "primary key", rc);
  rc = sqlite3_exec(db, "CREATE TABLE c(x CHECK (x > 0)); INSERT INTO c VALUES(-1)", NULL, NULL, NULL);
  show_error(db, "check", rc);
  sqlite3_extended_result_codes(db, 1);
  rc = sqlite3_exec(db, "INSERT INTO c VALUES(-2)", NULL, NULL, NULL);
  show_error(db, "check with extended codes", rc);
  rc = sqlite3_exec(db, "SELECT 1", NULL, NULL, NULL);
  show_error(db, "after success", rc);

  /* transactions */
  sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
  printf("in BEGIN: autocommit=%d\n", sqlite3_get_autocommit(db));
  sqlite3_exec(db, "DELETE FROM t", NULL, NULL, NULL);
  printf("deleted %d\n", sqlite3_changes(db));
  sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  printf("after ROLLBACK: autocommit=%d\n", sqlite3_get_autocommit(db));

  /* get_table */
  char **table = NULL;
  int nrow = 0, ncol = 0;
  rc = sqlite3_get_table(db, "SELECT id, name, n FROM t WHERE id < 4 ORDER BY id", &table, &nrow, &ncol, &err);
  printf("get_table: %d rows=%d cols=%d\n", rc, nrow, ncol);
  for (int r = 0; r <= nrow; r++) {
    printf(" ");
    for (int c = 0; c < ncol; c++) printf(" %s", table[r * ncol + c] ? table[r * ncol + c] : "NULL");
    printf("\n");
  }
  sqlite3_free_table(table);
  rc = sqlite3_get_table(db, "SELECT * FROM nothing", &table, &nrow, &ncol, &err);
  printf("get_table error: %d %s\n", rc, err);
  sqlite3_free(err);

  /* exec callback that aborts */
  rc = sqlite3_exec(db, "SELECT id FROM t", NULL, NULL, NULL);
  printf("exec without callback: %d\n", rc);
  rc = sqlite3_exec(db, "SELECT id FROM t ORDER BY id; SELECT 'never'", abort_after_one, NULL, &err);
  show_error(db, "callback abort", rc);
  printf("  errmsg out: %s\n", err ? err : "(none)");
  sqlite3_free(err);
  err = NULL;

  /* column_value and bind_value */
  sqlite3_stmt *a, *b;
  sqlite3_prepare_v2(db, "SELECT name, score FROM t WHERE id = 1", -1, &a, NULL);
  sqlite3_prepare_v2(db, "SELECT ?1 || '!', ?2 * 2", -1, &b, NULL);
  if (sqlite3_step(a) == SQLITE_ROW) {
    sqlite3_bind_value(b, 1, sqlite3_column_value(a, 0));
    sqlite3_bind_value(b, 2, sqlite3_column_value(a, 1));
  }
  if (sqlite3_step(b) == SQLITE_ROW)
    printf("bind_value: %s %g\n", sqlite3_column_text(b, 0), sqlite3_column_double(b, 1));
  sqlite3_finalize(a);
  sqlite3_finalize(b);

  /* statement list */
  sqlite3_prepare_v2(db, "SELECT 1", -1, &a, NULL);
  sqlite3_prepare_v2(db, "SELECT 2", -1, &b, NULL);
  int count = 0;
  for (sqlite3_stmt *p = sqlite3_next_stmt(db, NULL); p; p = sqlite3_next_stmt(db, p)) count++;
  printf("live statements: %d busy=%d\n", count, sqlite3_stmt_busy(a));
  sqlite3_step(a);
  printf("after step: busy=%d\n", sqlite3_stmt_busy(a));
  sqlite3_finalize(a);
  sqlite3_finalize(b);

  printf("close: %d\n", sqlite3_close(db));
  return 0;
}
