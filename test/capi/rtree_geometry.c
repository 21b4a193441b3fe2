/*
** rtree_geometry.c — sqlite3_rtree_geometry_callback: a function registered
** as a geometry, used on the right of MATCH against an R-Tree, filters the
** rows by the application's callback, which sees the registration's context,
** the function's arguments as numbers and every cell's coordinates, and may
** keep data of its own (pUser) that is freed when the query is done with it.
** A callback's error ends the query; a MATCH with any other value is an
** error.  Built against Lode and against the system libsqlite3; both must
** print the same.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

static int user_made, user_freed;

static void free_user(void *p) {
  user_freed++;
  free(p);
}

/* ybetween(lo, hi): the boxes whose y range overlaps [lo, hi]. */
static int ybetween(sqlite3_rtree_geometry *g, int ncoord, sqlite3_rtree_dbl *c, int *res) {
  int *tag = g->pContext;
  if (ncoord != 4 || g->nParam != 2 || *tag != 42) return SQLITE_ERROR;
  if (!g->pUser) {
    g->pUser = malloc(1);
    g->xDelUser = free_user;
    user_made++;
  }
  *res = c[3] >= g->aParam[0] && c[2] <= g->aParam[1];
  return SQLITE_OK;
}

/* failing(): an error from the callback. */
static int failing(sqlite3_rtree_geometry *g, int ncoord, sqlite3_rtree_dbl *c, int *res) {
  (void)g, (void)ncoord, (void)c, (void)res;
  return SQLITE_ERROR;
}

static void query(sqlite3 *db, const char *sql) {
  sqlite3_stmt *s;
  printf("%s\n", sql);
  if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
    printf("  prepare error: %s\n", sqlite3_errmsg(db));
    return;
  }
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    printf("  row:");
    for (int i = 0; i < sqlite3_column_count(s); i++) printf(" %s", (const char *)sqlite3_column_text(s, i));
    printf("\n");
  }
  if (rc != SQLITE_DONE) printf("  step error %d\n", rc);
  sqlite3_finalize(s);
}

int main(void) {
  static int tag = 42;
  sqlite3 *db;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  printf("register: %d\n", sqlite3_rtree_geometry_callback(db, "ybetween", ybetween, &tag));
  printf("register: %d\n", sqlite3_rtree_geometry_callback(db, "failing", failing, NULL));
  /* Enough rows for a tree of several levels, so that the callback also prunes internal cells. */
  sqlite3_exec(db,
               "CREATE VIRTUAL TABLE rt USING rtree(id, x0, x1, y0, y1);"
               "WITH RECURSIVE c(i) AS (VALUES(1) UNION ALL SELECT i + 1 FROM c WHERE i < 3000)"
               " INSERT INTO rt SELECT i, i % 97, i % 97 + 3, (i * 7) % 1000, (i * 7) % 1000 + 5 FROM c;",
               NULL, NULL, NULL);
  query(db, "SELECT count(*) FROM rt WHERE id MATCH ybetween(100, 120);");
  query(db, "SELECT count(*) FROM rt WHERE y1 >= 100 AND y0 <= 120;");
  query(db, "SELECT count(*) FROM rt WHERE x0 MATCH ybetween(100, 120) AND x0 >= 50;");
  query(db, "SELECT count(*) FROM rt WHERE y1 >= 100 AND y0 <= 120 AND x0 >= 50;");
  query(db, "SELECT id FROM rt WHERE id MATCH ybetween('500', 505.5) AND id < 400 ORDER BY id;");
  query(db, "SELECT count(*) FROM rt WHERE id MATCH ybetween(2000, 3000);");
  printf("user data made %d, freed %d\n", user_made, user_freed);
  query(db, "SELECT count(*) FROM rt WHERE id MATCH failing();");
  query(db, "SELECT count(*) FROM rt WHERE id MATCH x'00112233';");
  query(db, "SELECT count(*) FROM rt WHERE id MATCH ybetween(1);");
  sqlite3_close(db);
  printf("user data made %d, freed %d\n", user_made, user_freed);
  return 0;
}
