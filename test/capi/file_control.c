/*
** file_control.c — sqlite3_file_control on a database file: the VFS name
** and pointer, size and chunk hints, the power-safe-overwrite setting, a
** file that moved away, opcodes the VFS does not know, an unknown database
** name and an in-memory database.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
  sqlite3 *db;
  char *name = NULL;
  sqlite3_vfs *vfs = NULL;
  int v, rc;
  sqlite3_int64 hint = 65536;
  unlink("fc.db");
  sqlite3_open("fc.db", &db);
  sqlite3_exec(db, "PRAGMA journal_mode = wal; CREATE TABLE t(x); INSERT INTO t VALUES(1)", NULL, NULL, NULL);
  rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_VFSNAME, &name);
  printf("vfsname: %d %s\n", rc, name ? name : "(null)");
  sqlite3_free(name);
  rc = sqlite3_file_control(db, NULL, SQLITE_FCNTL_VFS_POINTER, &vfs);
  printf("vfs pointer: %d, same as vfs_find: %d, name %s\n", rc, vfs == sqlite3_vfs_find(NULL), vfs ? vfs->zName : "-");
  printf("size hint: %d\n", sqlite3_file_control(db, "main", SQLITE_FCNTL_SIZE_HINT, &hint));
  v = 4096;
  printf("chunk size: %d\n", sqlite3_file_control(db, "main", SQLITE_FCNTL_CHUNK_SIZE, &v));
  v = -1;
  rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_POWERSAFE_OVERWRITE, &v);
  printf("powersafe overwrite: %d %d\n", rc, v);
  v = -1;
  rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_HAS_MOVED, &v);
  printf("has moved: %d %d\n", rc, v);
  unlink("fc.db");
  v = -1;
  rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_HAS_MOVED, &v);
  printf("has moved after unlink: %d %d\n", rc, v);
  v = -1;
  rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_LOCKSTATE, &v);
  printf("lockstate: %d %d\n", rc, v);
  sqlite3_exec(db, "BEGIN; SELECT * FROM t", NULL, NULL, NULL);
  rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_LOCKSTATE, &v);
  printf("lockstate in a read transaction: %d %d\n", rc, v);
  sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  printf("unknown opcode: %d\n", sqlite3_file_control(db, "main", 9999, &v));
  printf("unknown database: %d\n", sqlite3_file_control(db, "nosuch", SQLITE_FCNTL_VFSNAME, &name));
  sqlite3_close(db);
  sqlite3_open(":memory:", &db);
  name = NULL;
  printf("in memory: vfsname %d, size hint %d\n", sqlite3_file_control(db, "main", SQLITE_FCNTL_VFSNAME, &name),
         sqlite3_file_control(db, "main", SQLITE_FCNTL_SIZE_HINT, &hint));
  sqlite3_free(name);
  sqlite3_close(db);
  return 0;
}
