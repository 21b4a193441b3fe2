/*
** shell_fileio.c — the SQL functions on files that sqlite3's shell gives
** every connection it opens, with the same arguments and results:
**
**   readfile(PATH)                 the file's bytes as a blob; NULL when it
**                                  cannot be read (a directory: the error
**                                  "string or blob too big", as in sqlite3)
**   writefile(PATH, DATA ?,MODE? ?,MTIME?)
**                                  writes DATA (text or blob; NULL: empty) to
**                                  PATH and returns the number of bytes; MODE
**                                  is a st_mode: a directory is made (result
**                                  NULL), a symbolic link made to DATA, else the
**                                  file gets MODE's permission bits; MTIME (Unix
**                                  seconds) sets the modification time.  Missing
**                                  parent directories are made; a file that
**                                  cannot be created gives NULL, no error.
**   edit(TEXT ?,EDITOR?)           TEXT after the user edited it in EDITOR
**                                  (default $VISUAL, then $EDITOR), of TEXT's
**                                  type (text or blob)
**
** All three reach the file system or run programs, so safe mode refuses them
** (shell_safe_authorizer); they are registered DIRECTONLY, as sqlite3 does,
** so that a view or trigger of a database cannot call them.
*/
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "shell_int.h"
#include "sqlite3.h"

/* Reads the whole regular file path into a malloc'd buffer: 0, or -1. */
static int read_all(const char *path, unsigned char **data, size_t *n) {
  struct stat st;
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
    fclose(f);
    return -1;
  }
  size_t cap = (size_t)st.st_size + 1, len = 0;
  unsigned char *buf = malloc(cap);
  while (buf) {
    len += fread(buf + len, 1, cap - len, f);
    if (len < cap) break;
    unsigned char *grown = realloc(buf, cap * 2); /* the file grew since fstat */
    if (!grown) {
      free(buf);
      buf = NULL;
    } else {
      buf = grown;
      cap *= 2;
    }
  }
  int bad = ferror(f) || !buf;
  fclose(f);
  if (bad) {
    free(buf);
    return -1;
  }
  *data = buf;
  *n = len;
  return 0;
}

static void readfile_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  const char *path = (const char *)sqlite3_value_text(argv[0]);
  unsigned char *data;
  size_t n;
  struct stat st;
  if (path && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    sqlite3_result_error_toobig(ctx); /* sqlite3's answer for a directory */
    return;
  }
  if (!path || read_all(path, &data, &n) != 0) return;
  sqlite3_result_blob64(ctx, data, n, free);
}

void shell_make_parents(const char *path) {
  char *copy = strdup(path);
  if (!copy) return;
  for (char *p = copy + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    mkdir(copy, 0777);
    *p = '/';
  }
  free(copy);
}

static FILE *create_file(const char *path) {
  FILE *f = fopen(path, "wb");
  if (!f && errno == ENOENT) {
    shell_make_parents(path);
    f = fopen(path, "wb");
  }
  return f;
}

static int set_mtime(const char *path, sqlite3_int64 mtime) {
  struct timeval tv[2];
  gettimeofday(&tv[0], NULL);
  tv[1].tv_sec = (time_t)mtime;
  tv[1].tv_usec = 0;
  return utimes(path, tv);
}

static void writefile_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  if (argc < 2 || argc > 4) {
    sqlite3_result_error(ctx, "wrong number of arguments to function writefile()", -1);
    return;
  }
  const char *path = (const char *)sqlite3_value_text(argv[0]);
  if (!path) return;
  mode_t mode = argc >= 3 ? (mode_t)sqlite3_value_int(argv[2]) : 0;
  if (S_ISLNK(mode)) {
    const char *target = (const char *)sqlite3_value_text(argv[1]);
    if (!target || symlink(target, path) != 0) {
      char *msg = sqlite3_mprintf("failed to create symlink: %s", path);
      sqlite3_result_error(ctx, msg ? msg : "out of memory", -1);
      sqlite3_free(msg);
    }
    return;
  }
  sqlite3_int64 written = -1;
  int failed;
  if (S_ISDIR(mode)) {
    struct stat st;
    failed = mkdir(path, mode & 0777) != 0 && !(errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode));
    if (failed && errno == ENOENT) {
      shell_make_parents(path);
      failed = mkdir(path, mode & 0777) != 0;
    }
  } else {
    FILE *f = create_file(path);
    if (!f) return; /* NULL, as sqlite3 gives for a file it cannot create */
    const void *data = sqlite3_value_blob(argv[1]);
    size_t n = (size_t)sqlite3_value_bytes(argv[1]);
    failed = n && fwrite(data, 1, n, f) != n;
    if (fclose(f) != 0) failed = 1;
    if (!failed) written = (sqlite3_int64)n;
    if (!failed && argc >= 3) failed = chmod(path, mode & 07777) != 0;
  }
  if (!failed && argc >= 4) failed = set_mtime(path, sqlite3_value_int64(argv[3])) != 0;
  if (failed) {
    char *msg = sqlite3_mprintf("failed to write file: %s", path);
    sqlite3_result_error(ctx, msg ? msg : "out of memory", -1);
    sqlite3_free(msg);
    return;
  }
  if (written >= 0) sqlite3_result_int64(ctx, written);
}

/* ---- edit() ---------------------------------------------------------------------------------- */

static int write_temp(const char *path, const void *data, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  int bad = n && fwrite(data, 1, n, f) != n;
  if (fclose(f) != 0) bad = 1;
  return bad ? -1 : 0;
}

static void edit_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *editor = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : NULL;
  if (!editor) editor = getenv("VISUAL");
  if (!editor) editor = getenv("EDITOR");
  if (!editor || !*editor) {
    sqlite3_result_error(ctx, "no editor for edit()", -1);
    return;
  }
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_error(ctx, "NULL input to edit()", -1);
    return;
  }
  int is_blob = sqlite3_value_type(argv[0]) == SQLITE_BLOB;
  const void *data = sqlite3_value_blob(argv[0]);
  size_t n = (size_t)sqlite3_value_bytes(argv[0]);
  const char *dir = getenv("TMPDIR");
  char *path = sqlite3_mprintf("%s/lode-edit-%d-%p.txt", dir && *dir ? dir : "/tmp", (int)getpid(), (void *)ctx);
  char *cmd = path ? sqlite3_mprintf("%s \"%w\"", editor, path) : NULL;
  unsigned char *out = NULL;
  size_t nout = 0;
  if (!cmd) {
    sqlite3_result_error_nomem(ctx);
  } else if (write_temp(path, data, n) != 0) {
    sqlite3_result_error(ctx, "edit() cannot open temp file", -1);
  } else if (system(cmd) != 0) {
    sqlite3_result_error(ctx, "EDITOR returned non-zero", -1);
  } else if (read_all(path, &out, &nout) != 0) {
    sqlite3_result_error(ctx, "edit() cannot reopen temp file after edit", -1);
  } else if (is_blob) {
    sqlite3_result_blob64(ctx, out, nout, free);
    out = NULL;
  } else {
    sqlite3_result_text64(ctx, (const char *)out, nout, free, SQLITE_UTF8);
    out = NULL;
  }
  free(out);
  if (path) unlink(path);
  sqlite3_free(path);
  sqlite3_free(cmd);
}

void shell_register_fileio(lode *db) {
  sqlite3 *s = (sqlite3 *)(void *)db;
  sqlite3_create_function(s, "readfile", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, readfile_func, NULL, NULL);
  sqlite3_create_function(s, "writefile", -1, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, writefile_func, NULL, NULL);
  sqlite3_create_function(s, "edit", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, edit_func, NULL, NULL);
  sqlite3_create_function(s, "edit", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, edit_func, NULL, NULL);
}
