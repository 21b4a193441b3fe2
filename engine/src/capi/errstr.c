/*
** errstr.c — the default English text of each result code (SQLite's wording).
*/
#include "lode.h"

const char *lode_errstr(int rc) {
  static const char *const texts[] = {
      [LODE_OK] = "not an error",
      [LODE_ERROR] = "SQL logic error",
      [LODE_INTERNAL] = "internal error",
      [LODE_PERM] = "access permission denied",
      [LODE_ABORT] = "query aborted",
      [LODE_BUSY] = "database is locked",
      [LODE_LOCKED] = "database table is locked",
      [LODE_NOMEM] = "out of memory",
      [LODE_READONLY] = "attempt to write a readonly database",
      [LODE_INTERRUPT] = "interrupted",
      [LODE_IOERR] = "disk I/O error",
      [LODE_CORRUPT] = "database disk image is malformed",
      [LODE_NOTFOUND] = "unknown operation",
      [LODE_FULL] = "database or disk is full",
      [LODE_CANTOPEN] = "unable to open database file",
      [LODE_PROTOCOL] = "locking protocol",
      [LODE_EMPTY] = "unknown error",
      [LODE_SCHEMA] = "database schema has changed",
      [LODE_TOOBIG] = "string or blob too big",
      [LODE_CONSTRAINT] = "constraint failed",
      [LODE_MISMATCH] = "datatype mismatch",
      [LODE_MISUSE] = "bad parameter or other API misuse",
      [LODE_NOLFS] = "large file support is disabled",
      [LODE_AUTH] = "authorization denied",
      [LODE_FORMAT] = "unknown error",
      [LODE_RANGE] = "column index out of range",
      [LODE_NOTADB] = "file is not a database",
      [LODE_NOTICE] = "notification message",
      [LODE_WARNING] = "warning message",
  };
  int primary = rc & 0xff;
  if (rc == LODE_ROW) return "another row available";
  if (rc == LODE_DONE) return "no more rows available";
  if (primary >= 0 && primary < (int)(sizeof texts / sizeof texts[0]) && texts[primary]) return texts[primary];
  return "unknown error";
}
