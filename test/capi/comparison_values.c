/*
** comparison_values.c — comparisons used as values (1, 0 or NULL) rather than
** as conditions: in result columns, aggregate arguments, ORDER BY, CASE,
** with bound parameters of each type, NULLs, column affinities, collations,
** mixed storage classes, IS / IS NOT, BETWEEN, row values, empty tables,
** LIMIT/OFFSET and correlated subqueries.  Every row is printed with the
** storage class of each value, so that the output compares with SQLite's.
*/
#include <sqlite3.h>
#include <stdio.h>

static void show(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  printf("%s\n", sql);
  if (rc != SQLITE_OK) {
    printf("  prepare error: %s\n", sqlite3_errmsg(db));
    return;
  }
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    printf(" ");
    for (int i = 0; i < sqlite3_column_count(st); i++) {
      const unsigned char *t = sqlite3_column_text(st, i);
      printf(" %s:%s", t ? (const char *)t : "NULL", sqlite3_column_decltype(st, i) ? "d" : "-");
      printf("/%d", sqlite3_column_type(st, i));
    }
    printf("\n");
  }
  if (rc != SQLITE_DONE) printf("  step error: %s\n", sqlite3_errmsg(db));
  sqlite3_finalize(st);
}

/* The statement with ?1 and ?2 bound to each pair of values below. */
static void show_bound(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    printf("%s\n  prepare error: %s\n", sql, sqlite3_errmsg(db));
    return;
  }
  printf("%s\n", sql);
  for (int k = 0; k < 6; k++) {
    sqlite3_reset(st);
    switch (k) {
    case 0: sqlite3_bind_int(st, 1, 2), sqlite3_bind_int(st, 2, 4); break;
    case 1: sqlite3_bind_null(st, 1), sqlite3_bind_int(st, 2, 4); break;
    case 2: sqlite3_bind_text(st, 1, "2", -1, SQLITE_STATIC), sqlite3_bind_double(st, 2, 3.5); break;
    case 3: sqlite3_bind_text(st, 1, "B", -1, SQLITE_STATIC), sqlite3_bind_text(st, 2, "b ", -1, SQLITE_STATIC); break;
    case 4: sqlite3_bind_blob(st, 1, "\x01", 1, SQLITE_STATIC), sqlite3_bind_null(st, 2); break;
    default: sqlite3_bind_int64(st, 1, -9223372036854775807LL - 1), sqlite3_bind_double(st, 2, 1e300); break;
    }
    int rc;
    printf("  bind %d:", k);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      printf(" (");
      for (int i = 0; i < sqlite3_column_count(st); i++) {
        const unsigned char *t = sqlite3_column_text(st, i);
        printf("%s%s/%d", i ? " " : "", t ? (const char *)t : "NULL", sqlite3_column_type(st, i));
      }
      printf(")");
    }
    if (rc != SQLITE_DONE) printf(" step error: %s", sqlite3_errmsg(db));
    printf("\n");
  }
  sqlite3_finalize(st);
}

int main(void) {
  sqlite3 *db = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  sqlite3_exec(db,
               "CREATE TABLE t(i INTEGER, r REAL, s TEXT, n NUMERIC, b BLOB, c TEXT COLLATE NOCASE, "
               "  x TEXT COLLATE RTRIM);"
               "INSERT INTO t VALUES (1, 1.0, '1', '1', 1, 'A', 'a  '),"
               "  (2, 2.5, '10', '2.0', '2', 'b', 'B'),"
               "  (NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
               "  (3, -0.5, 'abc', 'x', x'00', 'ABC', 'abc'),"
               "  (4, 4.0, '4', 4, 4.0, 'd', 'd ');"
               "CREATE TABLE e(i INTEGER, s TEXT);"
               "CREATE TABLE u(k INTEGER PRIMARY KEY, v);"
               "INSERT INTO u VALUES (1, 6), (2, 7), (3, 'x'), (4, NULL), (5, 9.0);",
               NULL, NULL, NULL);
  show(db, "SELECT rowid, i < r, i = s, s = n, i = b, r >= n, s < 'b', n > 2 FROM t ORDER BY rowid");
  show(db, "SELECT rowid, c = 'a', c < 'B', x = 'a', x = 'A', c = x, x = c, s = c FROM t ORDER BY rowid");
  show(db, "SELECT rowid, i IS NULL, i IS 2, i IS NOT 2, s IS n, NULL IS NULL, c IS 'abc' FROM t ORDER BY rowid");
  show(db, "SELECT rowid, i BETWEEN 2 AND 3, s BETWEEN '1' AND '2', r NOT BETWEEN 0 AND 2, "
           "  (i, s) = (1, '1'), (i, r) < (2, 3) FROM t ORDER BY rowid");
  show(db, "SELECT rowid, i < 2 AND s > '0', (i > 1) + (r > 1), -(i = 1), NOT (i = 1), typeof(i = i) FROM t "
           "  ORDER BY rowid");
  show(db, "SELECT sum(i < 3), avg(s = i), max(r > i), count(i = 1), total(c = 'a') FROM t");
  show(db, "SELECT sum(i < 3), avg(s = i), max(s > i), count(i IS NULL) FROM e");
  show(db, "SELECT i = 1, s > '1' FROM e");
  show(db, "SELECT rowid FROM t ORDER BY i > 2, i = 1 DESC, rowid");
  show(db, "SELECT rowid, i > 1 FROM t ORDER BY rowid LIMIT 2 OFFSET 1");
  show(db, "SELECT rowid, CASE i > 2 WHEN 1 THEN 'big' WHEN 0 THEN 'small' ELSE 'null' END, "
           "  CASE WHEN s = 1 THEN 's' END FROM t ORDER BY rowid");
  show(db, "SELECT rowid, (SELECT v FROM u WHERE k = t.i) > 6, (SELECT count(*) FROM u WHERE v > t.i) = 2, "
           "  (SELECT v FROM u WHERE k = t.i + 1) AND rowid < 3 FROM t ORDER BY rowid");
  show(db, "SELECT k, v = 7, v > '6', v < 10, v IS NOT NULL, avg((SELECT i FROM t WHERE t.i = u.k) AND k < 3) "
           "  FROM u GROUP BY k ORDER BY k");
  show(db, "SELECT i, i = i, r = r, s = s FROM t WHERE i > 1 ORDER BY 1");
  show_bound(db, "SELECT ?1 < ?2, ?1 = ?2, ?1 IS ?2, ?1 IS NOT ?2, ?2 >= ?1, ?1 BETWEEN 1 AND ?2");
  show_bound(db, "SELECT rowid, i < ?1, s = ?1, c = ?1, x = ?2, r >= ?2, n <> ?1 FROM t ORDER BY rowid");
  show_bound(db, "SELECT sum(i < ?1), sum(?2 > r), total((SELECT v FROM u WHERE k = t.i) AND rowid < ?1) FROM t");
  show_bound(db, "SELECT i < ?1 FROM e");
  sqlite3_close(db);
  return 0;
}
