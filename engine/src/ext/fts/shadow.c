/*
** shadow.c — shadow-table helpers shared by the full-text modules (shadow.h).
*/
#include <stddef.h>

#include "ext/fts/shadow.h"

int fts_shadow_rename(sqlite3 *db, const char *zdb, char **name, const char *to, const char *const *suffixes, int n) {
  int rc = SQLITE_OK;
  const char *from = *name;
  for (int i = 0; i < n && rc == SQLITE_OK; i++) {
    if (!suffixes[i]) continue;
    char *sql =
        sqlite3_mprintf("ALTER TABLE \"%w\".\"%w_%s\" RENAME TO \"%w_%s\"", zdb, from, suffixes[i], to, suffixes[i]);
    rc = sql ? sqlite3_exec(db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
  }
  if (rc != SQLITE_OK) return rc;
  char *copy = sqlite3_mprintf("%s", to);
  if (!copy) return SQLITE_NOMEM;
  sqlite3_free(*name);
  *name = copy;
  return SQLITE_OK;
}

int fts_shadow_drop(sqlite3 *db, const char *zdb, const char *name, const char *const *suffixes, int n) {
  int rc = SQLITE_OK;
  for (int i = 0; i < n && rc == SQLITE_OK; i++) {
    char *sql = sqlite3_mprintf("DROP TABLE IF EXISTS \"%w\".\"%w_%s\"", zdb, name, suffixes[i]);
    rc = sql ? sqlite3_exec(db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
  }
  return rc;
}

int fts_shadow_is(const char *z, const char *const *suffixes, int n) {
  for (int i = 0; i < n; i++)
    if (sqlite3_stricmp(z, suffixes[i]) == 0) return 1;
  return 0;
}
