/*
** file_control.c — sqlite3_file_control: the opcodes a program asks of
** the database file that Lode can answer as SQLite's unix VFS does.
**
**   VFSNAME               "unix" (sqlite3_malloc'd, as SQLite hands it over)
**   VFS_POINTER           the default VFS (sqlite3_vfs_find(NULL))
**   SIZE_HINT, CHUNK_SIZE accepted: hints, which Lode's I/O does not need
**   POWERSAFE_OVERWRITE   reads 1 (Lode writes whole pages); setting it is accepted
**   HAS_MOVED             1 when the file is no longer at its name
**   LOCKSTATE             the lock on the database file: SHARED in a transaction
**                         and while a WAL is open (SQLite keeps that lock in WAL
**                         mode, whose writers lock the WAL, not the file), else none
**
** Everything else is SQLITE_NOTFOUND, as SQLite answers an opcode its VFS
** does not know; an in-memory database has no file and answers
** SQLITE_NOTFOUND to all of them, a database name that is not attached
** SQLITE_ERROR.
*/
#include <string.h>
#include <sys/stat.h>

#include "capi/api.h"
#include "util/util.h"

int sqlite3_file_control(sqlite3 *db, const char *name, int op, void *arg) {
  if (!db || db->magic != CONN_MAGIC_OPEN) return SQLITE_MISUSE;
  int dbi = name ? conn_db_find(db, name) : CONN_DB_MAIN;
  if (dbi < 0) return SQLITE_ERROR;
  /* answered by the engine for every database, in memory too, as SQLite's core answers it */
  if (op == SQLITE_FCNTL_DATA_VERSION) {
    if (!db->dbs[dbi].bt) return SQLITE_NOTFOUND;
    if (arg) *(unsigned int *)arg = btree_file_version(db->dbs[dbi].bt);
    return SQLITE_OK;
  }
  const char *path = lode_db_filename(db, name);
  if (!path || !path[0]) return SQLITE_NOTFOUND;
  switch (op) {
    case SQLITE_FCNTL_VFSNAME:
      if (arg) *(char **)arg = sqlite3_mprintf("%s", "unix");
      return SQLITE_OK;
    case SQLITE_FCNTL_VFS_POINTER:
      if (arg) *(sqlite3_vfs **)arg = sqlite3_vfs_find(NULL);
      return SQLITE_OK;
    case SQLITE_FCNTL_SIZE_HINT:
    case SQLITE_FCNTL_CHUNK_SIZE: return SQLITE_OK;
    case SQLITE_FCNTL_POWERSAFE_OVERWRITE:
      if (arg && *(int *)arg < 0) *(int *)arg = 1;
      return SQLITE_OK;
    case SQLITE_FCNTL_HAS_MOVED: {
      struct stat st;
      if (arg) *(int *)arg = stat(path, &st) != 0;
      return SQLITE_OK;
    }
    case SQLITE_FCNTL_LOCKSTATE: {
      struct stat st;
      if (arg) *(int *)arg = sqlite3_txn_state(db, name) > SQLITE_TXN_NONE || stat(sqlite3_filename_wal(path), &st) == 0;
      return SQLITE_OK;
    }
    default: return SQLITE_NOTFOUND;
  }
}
