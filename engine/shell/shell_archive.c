/*
** shell_archive.c — `.archive` (`.ar`): SQLite Archives, files kept in the
** table sqlar of a database, as sqlite3's shell keeps them:
**
**   CREATE TABLE sqlar(name TEXT PRIMARY KEY, mode INT, mtime INT, sz INT, data BLOB)
**
** one row per file (data: its bytes, sz their count), directory (data NULL,
** sz 0) or symbolic link (data: the target, sz -1), named by the path as it
** was given ("." and "./a" under -C DIR . are names too), mode a st_mode,
** mtime Unix seconds.  sqlite3 stores data zlib-compressed when that is
** shorter (sz > length(data)); this shell always stores it as it is and
** refuses to extract a compressed entry.
**
** Commands (one of): -c create (the table is made anew), -u update (add the
** files whose mtime changed), -i insert (add or replace all), -r remove, -t
** list, -x extract; options -v (name each file; -t: long listing), -f FILE
** (the archive is FILE, else the current database), -C DIR (files are read
** from and extracted into DIR), -g (the names of -t -x -r are GLOB patterns).
** As in sqlite3, the first argument may be a cluster of these letters
** without a dash ("cCf DIR FILE"), "-cCDIR" attaches a value to its letter,
** and long options (--create, --directory, ...) may be shortened.  Zip
** archives (-a, --zip, -n) are not available.
*/
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "shell_int.h"
#include "sqlite3.h"

typedef struct ArOptions {
  int cmd;          /* 'c' 'u' 'i' 'r' 't' 'x' */
  int verbose, glob;
  const char *file; /* -f */
  const char *dir;  /* -C */
  char **names;     /* the FILE arguments */
  int nnames;
  sqlite3 *db;      /* the archive's database */
} ArOptions;

static const struct {
  const char *name;
  char letter;
  int arg;
} ar_options[] = {
    {"create", 'c', 0},  {"update", 'u', 0},    {"insert", 'i', 0}, {"remove", 'r', 0}, {"list", 't', 0},
    {"extract", 'x', 0}, {"verbose", 'v', 0},   {"file", 'f', 1},   {"directory", 'C', 1}, {"dir", 'C', 1},
    {"glob", 'g', 0},    {"append", 'a', 1},    {"dryrun", 'n', 0}, {"zip", 'z', 0},     {"help", 'h', 0},
};
#define NAR_OPTIONS (int)(sizeof ar_options / sizeof ar_options[0])

static int ar_takes_arg(char c) {
  for (int i = 0; i < NAR_OPTIONS; i++)
    if (ar_options[i].letter == c) return ar_options[i].arg;
  return -1;
}

static int ar_error(Shell *sh, const char *fmt, const char *arg) {
  fflush(sh->out);
  fputs("Error: ", sh->err);
  fprintf(sh->err, fmt, arg);
  fputs("\nUse \".archive --help\" for more help\n", sh->err);
  sh->had_error = 1;
  sh->error_count++;
  return 1;
}

/* Applies option letter c (value v when it takes one).  Returns 0 or 1. */
static int ar_apply(Shell *sh, ArOptions *o, char c, const char *v) {
  switch (c) {
  case 'c': case 'u': case 'i': case 'r': case 't': case 'x':
    if (o->cmd && o->cmd != c) return ar_error(sh, "%s", "multiple command options");
    o->cmd = c;
    return 0;
  case 'v': o->verbose = 1; return 0;
  case 'g': o->glob = 1; return 0;
  case 'f': o->file = v; return 0;
  case 'C': o->dir = v; return 0;
  case 'h':
    fputs(".archive ...             Manage SQLite Archives (the sqlar table)\n"
          "   One command: -c create, -u update (changed mtime), -i insert, -r remove,\n"
          "   -t list, -x extract.  Options: -v verbose, -f FILE (archive in FILE),\n"
          "   -C DIR (read and extract in DIR), -g (names are GLOB patterns).\n", sh->out);
    return -1;
  default: {
    char s[2] = {c, 0};
    return ar_error(sh, "-%s is not available in this shell (no zip or appended archives, no dry runs)", s);
  }
  }
}

/* Reads the arguments of the command into o.  Returns 0, 1 (error) or -1 (done). */
static int ar_parse(Shell *sh, ShellArgs *a, ArOptions *o) {
  int i = 1, rc;
  o->names = calloc((size_t)a->argc + 1, sizeof(char *));
  if (!o->names) return ar_error(sh, "%s", "out of memory");
  if (a->argc > 1 && a->argv[1][0] != '-') { /* "cCf DIR FILE ...": values follow in order */
    const char *cluster = a->argv[1];
    i = 2;
    for (const char *p = cluster; *p; p++) {
      int arg = ar_takes_arg(*p);
      if (arg < 0) return ar_error(sh, "unrecognized option: %c", (char[2]){*p, 0});
      if (arg && i >= a->argc) return ar_error(sh, "option requires an argument: %s", (char[2]){*p, 0});
      if ((rc = ar_apply(sh, o, *p, arg ? a->argv[i++] : NULL)) != 0) return rc;
    }
  }
  for (; i < a->argc; i++) {
    const char *z = a->argv[i];
    if (z[0] == '-' && z[1] == '-') {
      size_t n = strlen(z + 2);
      int found = -1;
      for (int k = 0; k < NAR_OPTIONS && n; k++) {
        if (strncmp(z + 2, ar_options[k].name, n) != 0) continue;
        if (found >= 0 && ar_options[found].letter != ar_options[k].letter)
          return ar_error(sh, "ambiguous option: %s", z);
        if (found < 0) found = k;
      }
      if (found < 0) return ar_error(sh, "unrecognized option: %s", z);
      const char *v = NULL;
      if (ar_options[found].arg) {
        if (i + 1 >= a->argc) return ar_error(sh, "option requires an argument: %s", z);
        v = a->argv[++i];
      }
      if ((rc = ar_apply(sh, o, ar_options[found].letter, v)) != 0) return rc;
    } else if (z[0] == '-' && z[1]) {
      for (const char *p = z + 1; *p; p++) {
        int arg = ar_takes_arg(*p);
        if (arg < 0) return ar_error(sh, "unrecognized option: %s", z);
        const char *v = NULL;
        if (arg) {
          if (p[1]) v = p + 1;
          else if (i + 1 < a->argc) v = a->argv[++i];
          else return ar_error(sh, "option requires an argument: %s", z);
        }
        if ((rc = ar_apply(sh, o, *p, v)) != 0) return rc;
        if (arg) break;
      }
    } else {
      o->names[o->nnames++] = a->argv[i];
    }
  }
  if (!o->cmd) return ar_error(sh, "%s", "no command specified");
  return 0;
}

static int ar_exec(Shell *sh, ArOptions *o, const char *sql) {
  char *err = NULL;
  if (sqlite3_exec(o->db, sql, NULL, NULL, &err) == SQLITE_OK) return 0;
  shell_error(sh, "Error: %s", err ? err : sqlite3_errmsg(o->db));
  sqlite3_free(err);
  return 1;
}

/* ---- adding files ------------------------------------------------------------------------ */

/* Reads a whole file into a sqlite3_malloc'd buffer. */
static int ar_read_file(const char *path, size_t size, void **data) {
  FILE *f = fopen(path, "rb");
  if (!f) return 1;
  *data = sqlite3_malloc64(size ? size : 1);
  int bad = !*data || (size && fread(*data, 1, size, f) != size);
  fclose(f);
  if (bad) sqlite3_free(*data);
  return bad;
}

/* Adds path (shown as name) and, for a directory, everything under it. */
static int ar_add(Shell *sh, ArOptions *o, sqlite3_stmt *ins, const char *path, const char *name) {
  struct stat st;
  if (lstat(path, &st) != 0) {
    shell_error(sh, "ERROR: cannot stat file: %s", name);
    return 1;
  }
  if (o->cmd == 'u') { /* unchanged since it was archived: left alone */
    sqlite3_stmt *q = NULL;
    int same = 0;
    if (sqlite3_prepare_v2(o->db, "SELECT 1 FROM sqlar WHERE name = ?1 AND mtime = ?2", -1, &q, NULL) == SQLITE_OK) {
      sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
      sqlite3_bind_int64(q, 2, (sqlite3_int64)st.st_mtime);
      same = sqlite3_step(q) == SQLITE_ROW;
    }
    sqlite3_finalize(q);
    if (same && !S_ISDIR(st.st_mode)) return 0;
  }
  if (o->verbose) fprintf(sh->out, "%s\n", name);
  sqlite3_bind_text(ins, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(ins, 2, (sqlite3_int64)st.st_mode);
  sqlite3_bind_int64(ins, 3, (sqlite3_int64)st.st_mtime);
  if (S_ISDIR(st.st_mode)) {
    sqlite3_bind_int64(ins, 4, 0);
    sqlite3_bind_null(ins, 5);
  } else if (S_ISLNK(st.st_mode)) {
    char target[4096];
    ssize_t n = readlink(path, target, sizeof target - 1);
    target[n < 0 ? 0 : n] = 0;
    sqlite3_bind_int64(ins, 4, -1);
    sqlite3_bind_text(ins, 5, target, -1, SQLITE_TRANSIENT);
  } else {
    void *data = NULL;
    if (ar_read_file(path, (size_t)st.st_size, &data)) {
      shell_error(sh, "ERROR: cannot read file: %s", name);
      return 1;
    }
    sqlite3_bind_int64(ins, 4, (sqlite3_int64)st.st_size);
    sqlite3_bind_blob64(ins, 5, data, (sqlite3_uint64)st.st_size, sqlite3_free);
  }
  int rc = sqlite3_step(ins);
  sqlite3_reset(ins);
  if (rc != SQLITE_DONE) {
    shell_error(sh, "Error: %s", sqlite3_errmsg(o->db));
    return 1;
  }
  if (!S_ISDIR(st.st_mode)) return 0;
  DIR *d = opendir(path);
  if (!d) return 0;
  struct dirent *e;
  int failed = 0;
  while (!failed && (e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char *sub = sqlite3_mprintf("%s/%s", path, e->d_name), *subname = sqlite3_mprintf("%s/%s", name, e->d_name);
    failed = !sub || !subname ? 1 : ar_add(sh, o, ins, sub, subname);
    sqlite3_free(sub);
    sqlite3_free(subname);
  }
  closedir(d);
  return failed;
}

static int ar_store(Shell *sh, ArOptions *o) {
  static const char create[] = "CREATE TABLE IF NOT EXISTS sqlar(\n"
                               "  name TEXT PRIMARY KEY,  -- name of the file\n"
                               "  mode INT,               -- access permissions\n"
                               "  mtime INT,              -- last modification time\n"
                               "  sz INT,                 -- original file size\n"
                               "  data BLOB               -- compressed content\n"
                               ")";
  if (ar_exec(sh, o, "SAVEPOINT ar")) return 1;
  int failed = (o->cmd == 'c' && ar_exec(sh, o, "DROP TABLE IF EXISTS sqlar")) || ar_exec(sh, o, create);
  sqlite3_stmt *ins = NULL;
  if (!failed && sqlite3_prepare_v2(o->db, "REPLACE INTO sqlar(name, mode, mtime, sz, data) VALUES(?1,?2,?3,?4,?5)",
                                    -1, &ins, NULL) != SQLITE_OK) {
    shell_error(sh, "Error: %s", sqlite3_errmsg(o->db));
    failed = 1;
  }
  for (int i = 0; !failed && i < o->nnames; i++) {
    char *path = o->dir ? sqlite3_mprintf("%s/%s", o->dir, o->names[i]) : sqlite3_mprintf("%s", o->names[i]);
    failed = !path || ar_add(sh, o, ins, path, o->names[i]);
    sqlite3_free(path);
  }
  sqlite3_finalize(ins);
  if (failed) ar_exec(sh, o, "ROLLBACK TO ar");
  ar_exec(sh, o, "RELEASE ar");
  return failed;
}

/* ---- list, extract, remove ---------------------------------------------------------------- */

/* " WHERE ..." choosing the entries the names name (each, or what is under
** it; -g: GLOB patterns), or "" for all; NULL when out of memory. */
static char *ar_where(const ArOptions *o) {
  if (o->nnames == 0) return sqlite3_mprintf("%s", "");
  char *w = sqlite3_mprintf(" WHERE (0");
  for (int i = 0; w && i < o->nnames; i++) {
    char *next = o->glob ? sqlite3_mprintf("%z OR name GLOB %Q", w, o->names[i])
                         : sqlite3_mprintf("%z OR name = %Q OR substr(name, 1, %d) = %Q || '/'", w, o->names[i],
                                           (int)strlen(o->names[i]) + 1, o->names[i]);
    w = next;
  }
  return w ? sqlite3_mprintf("%z)", w) : NULL;
}

/* Each name given that matches no entry is reported.  Returns 1 if one did not. */
static int ar_check_names(Shell *sh, ArOptions *o) {
  int missing = 0;
  for (int i = 0; i < o->nnames; i++) {
    ArOptions one = *o;
    one.names = &o->names[i];
    one.nnames = 1;
    char *w = ar_where(&one), *sql = w ? sqlite3_mprintf("SELECT 1 FROM sqlar%s", w) : NULL;
    sqlite3_stmt *q = NULL;
    if (sql && sqlite3_prepare_v2(o->db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) != SQLITE_ROW) {
      shell_error(sh, "not found in archive: %s", o->names[i]);
      missing = 1;
    }
    sqlite3_finalize(q);
    sqlite3_free(sql);
    sqlite3_free(w);
  }
  return missing;
}

static void ar_mode_string(sqlite3_int64 mode, char *out) {
  out[0] = S_ISDIR(mode) ? 'd' : S_ISLNK(mode) ? 'l' : '-';
  for (int i = 0; i < 9; i++) out[1 + i] = (mode & (0400 >> i)) ? "rwx"[i % 3] : '-';
  out[10] = 0;
}

static int ar_list(Shell *sh, ArOptions *o, const char *where) {
  /* no ORDER BY, as in sqlite3: names alone come in the key's order, the long
  ** listing in the table's */
  char *sql = o->verbose ? sqlite3_mprintf("SELECT name, mode, mtime, sz FROM sqlar%s", where)
                         : sqlite3_mprintf("SELECT name FROM sqlar%s", where);
  sqlite3_stmt *q = NULL;
  if (!sql || sqlite3_prepare_v2(o->db, sql, -1, &q, NULL) != SQLITE_OK) {
    sqlite3_free(sql);
    shell_error(sh, "Error: %s", sqlite3_errmsg(o->db));
    return 1;
  }
  while (sqlite3_step(q) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(q, 0);
    if (!o->verbose) {
      fprintf(sh->out, "%s\n", name ? name : "");
      continue;
    }
    char mode[11], when[32];
    time_t t = (time_t)sqlite3_column_int64(q, 2);
    struct tm tm;
    ar_mode_string(sqlite3_column_int64(q, 1), mode);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", gmtime_r(&t, &tm));
    fprintf(sh->out, "%s % 10lld  %s  %s\n", mode, (long long)sqlite3_column_int64(q, 3), when, name ? name : "");
  }
  sqlite3_finalize(q);
  sqlite3_free(sql);
  return 0;
}

static int ar_set_mtime(const char *path, sqlite3_int64 mtime) {
  struct timeval tv[2];
  gettimeofday(&tv[0], NULL);
  tv[1].tv_sec = (time_t)mtime;
  tv[1].tv_usec = 0;
  return utimes(path, tv);
}

/* Writes one entry under the target directory; directories' times are set
** by the caller once everything inside them is written. */
static int ar_extract_one(Shell *sh, const char *path, sqlite3_int64 mode, sqlite3_int64 mtime, sqlite3_int64 sz,
                          sqlite3_stmt *q) {
  const void *data = sqlite3_column_blob(q, 4);
  sqlite3_int64 n = sqlite3_column_bytes(q, 4);
  shell_make_parents(path);
  if (S_ISDIR(mode)) {
    if (mkdir(path, (mode_t)(mode & 07777)) != 0 && errno != EEXIST) goto fail;
    return 0;
  }
  if (S_ISLNK(mode)) {
    unlink(path);
    if (symlink((const char *)sqlite3_column_text(q, 4), path) == 0) return 0;
    shell_error(sh, "failed to create symlink: %s", path);
    return 1;
  }
  if (sz != n) {
    shell_error(sh, "Error: %s is compressed; this shell stores and extracts uncompressed entries only", path);
    return 1;
  }
  FILE *f = fopen(path, "wb");
  if (!f) goto fail;
  int bad = n && fwrite(data, 1, (size_t)n, f) != (size_t)n;
  if (fclose(f) != 0 || bad) goto fail;
  chmod(path, (mode_t)(mode & 07777));
  ar_set_mtime(path, mtime);
  return 0;
fail:
  shell_error(sh, "failed to write file: %s", path);
  return 1;
}

static int ar_extract(Shell *sh, ArOptions *o, const char *where) {
  char *sql = sqlite3_mprintf("SELECT name, mode, mtime, sz, data FROM sqlar%s ORDER BY name", where);
  sqlite3_stmt *q = NULL;
  if (!sql || sqlite3_prepare_v2(o->db, sql, -1, &q, NULL) != SQLITE_OK) {
    sqlite3_free(sql);
    shell_error(sh, "Error: %s", sqlite3_errmsg(o->db));
    return 1;
  }
  int failed = 0;
  /* two passes: the directories' times last, as writing into them changes them */
  for (int pass = 0; pass < 2 && !failed; pass++) {
    while (!failed && sqlite3_step(q) == SQLITE_ROW) {
      const char *name = (const char *)sqlite3_column_text(q, 0);
      sqlite3_int64 mode = sqlite3_column_int64(q, 1), mtime = sqlite3_column_int64(q, 2);
      if (!name) continue;
      char *path = o->dir ? sqlite3_mprintf("%s/%s", o->dir, name) : sqlite3_mprintf("%s", name);
      if (!path) failed = 1;
      else if (pass == 1 && S_ISDIR(mode)) ar_set_mtime(path, mtime);
      else if (pass == 0) {
        if (o->verbose) fprintf(sh->out, "%s\n", name);
        failed = ar_extract_one(sh, path, mode, mtime, sqlite3_column_int64(q, 3), q);
      }
      sqlite3_free(path);
    }
    sqlite3_reset(q);
  }
  sqlite3_finalize(q);
  sqlite3_free(sql);
  return failed;
}

static int ar_run(Shell *sh, ArOptions *o) {
  if (o->cmd == 'c' || o->cmd == 'u' || o->cmd == 'i') return ar_store(sh, o);
  if (ar_check_names(sh, o)) return 1;
  char *where = ar_where(o);
  if (!where) return 1;
  int rc;
  if (o->cmd == 't') rc = ar_list(sh, o, where);
  else if (o->cmd == 'x') rc = ar_extract(sh, o, where);
  else {
    char *sql = sqlite3_mprintf("DELETE FROM sqlar%s", where);
    rc = !sql || ar_exec(sh, o, sql);
    sqlite3_free(sql);
  }
  sqlite3_free(where);
  return rc;
}

int shell_dot_archive(Shell *sh, ShellArgs *a) {
  ArOptions o;
  memset(&o, 0, sizeof o);
  int rc = ar_parse(sh, a, &o);
  if (rc == 0) {
    int own = o.file != NULL;
    o.db = (sqlite3 *)(void *)sh->db;
    if (own) {
      int flags = o.cmd == 't' || o.cmd == 'x' ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      if (sqlite3_open_v2(o.file, &o.db, flags, NULL) != SQLITE_OK) {
        shell_error(sh, "cannot open file: %s (%s)", o.file, o.db ? sqlite3_errmsg(o.db) : "out of memory");
        rc = 1;
      }
    }
    if (rc == 0 && (o.cmd == 't' || o.cmd == 'x' || o.cmd == 'r')) { /* these read the table */
      sqlite3_stmt *q = NULL;
      if (sqlite3_prepare_v2(o.db, "SELECT 1 FROM sqlar", -1, &q, NULL) != SQLITE_OK) {
        shell_error(sh, "Error: the archive has no sqlar table");
        rc = 1;
      }
      sqlite3_finalize(q);
    }
    if (rc == 0) rc = ar_run(sh, &o);
    if (own) sqlite3_close(o.db);
  }
  free(o.names);
  return rc < 0 ? 0 : rc;
}
