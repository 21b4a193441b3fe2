/*
** shell_cmds.c — the dot commands of the `lode` shell that work on the
** connection rather than on the shell's settings: .backup/.save and
** .restore (the online backup API), .parameter (named values bound to the
** statements the shell runs, kept in temp.sqlite_parameters as sqlite3's
** shell keeps them, so the two read each other's scripts the same way),
** .timeout, .limit, .shell/.system and .clone (a new database with this
** one's schema and rows).
*/
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "shell_int.h"
#include "sqlite3.h"

/* The connection under sqlite3.h's name: the library gives both APIs one object. */
static sqlite3 *as_sqlite3(lode *db) { return (sqlite3 *)(void *)db; }

/* ---- .backup / .save / .restore ------------------------------------------------------ */

/* Copies database sname of src into dname of dest, waiting while the source
** is busy; returns the backup's result code (its message is on dest). */
static int copy_database(lode *dest, const char *dname, lode *src, const char *sname) {
  lode_backup *b = lode_backup_init(dest, dname, src, sname);
  if (!b) return lode_errcode(dest);
  int rc, waits = 0;
  while ((rc = lode_backup_step(b, 100)) == LODE_OK || rc == LODE_BUSY) {
    if (rc == LODE_BUSY) {
      if (++waits > 300) break; /* about three seconds */
      usleep(10000);
    }
  }
  int frc = lode_backup_finish(b);
  return rc == LODE_DONE ? frc : rc;
}

/* .backup ?DB? FILE (and .save): the database (main by default) copied into FILE. */
int shell_dot_backup(Shell *sh, ShellArgs *a) {
  const char *words[2] = {NULL, NULL};
  int nwords = 0;
  for (int i = 1; i < a->argc; i++) {
    const char *z = a->argv[i];
    if (z[0] == '-') {
      if (z[1] == '-') z++;
      if (strcmp(z, "-append") == 0 || strcmp(z, "-async") == 0) continue; /* no VFS to choose, no sync to skip */
      shell_error(sh, "unknown option: %s", a->argv[i]);
      return 1;
    }
    if (nwords == 2) {
      shell_error(sh, "Usage: .backup ?DB? ?OPTIONS? FILENAME");
      return 1;
    }
    words[nwords++] = z;
  }
  if (nwords == 0) {
    shell_error(sh, "missing FILENAME argument on .backup");
    return 1;
  }
  const char *db = nwords == 2 ? words[0] : "main", *file = words[nwords - 1];
  lode *dest = NULL;
  if (lode_open_v2(file, &dest, LODE_OPEN_READWRITE | LODE_OPEN_CREATE, NULL) != LODE_OK) {
    shell_error(sh, "Error: cannot open \"%s\"", file);
    lode_close(dest);
    return 1;
  }
  int rc = copy_database(dest, "main", sh->db, db);
  if (rc != LODE_OK) shell_error(sh, "Error: %s", lode_errmsg(dest));
  lode_close(dest);
  return rc != LODE_OK;
}

/* .restore ?DB? FILE: the database (main by default) replaced by FILE's content. */
int shell_dot_restore(Shell *sh, ShellArgs *a) {
  const char *db = "main", *file;
  if (a->argc == 2) {
    file = a->argv[1];
  } else if (a->argc == 3) {
    db = a->argv[1];
    file = a->argv[2];
  } else {
    shell_error(sh, "Usage: .restore ?DB? FILE");
    return 1;
  }
  lode *src = NULL;
  /* Opened as sqlite3's shell opens it: a file that does not exist is
  ** created, and restoring it empties the database. */
  if (lode_open_v2(file, &src, LODE_OPEN_READWRITE | LODE_OPEN_CREATE, NULL) != LODE_OK) {
    shell_error(sh, "Error: cannot open \"%s\"", file);
    lode_close(src);
    return 1;
  }
  int rc = copy_database(sh->db, db, src, "main");
  if (rc == LODE_BUSY) shell_error(sh, "Error: source database is busy");
  else if (rc != LODE_OK) shell_error(sh, "Error: %s", lode_errmsg(sh->db));
  lode_close(src);
  return rc != LODE_OK;
}

/* ---- .parameter ---------------------------------------------------------------------- */

/* Runs sql on the shell's connection; quiet: no message on failure. */
static int exec_sql(Shell *sh, const char *sql, int quiet) {
  char *err = NULL;
  int rc = sqlite3_exec(as_sqlite3(sh->db), sql, NULL, NULL, &err);
  if (rc != SQLITE_OK && !quiet) shell_error(sh, "Error: %s", err ? err : sqlite3_errmsg(as_sqlite3(sh->db)));
  sqlite3_free(err);
  return rc;
}

/* The table of bindings: a name SQLite reserves, so it is made while the
** schema is writable (and defensive mode, which would refuse that, is off).
** Its SQL, and that of the statements that fill and read it, is sqlite3's
** to the byte: .trace and .schema show them. */
static int parameters_init(Shell *sh) {
  sqlite3 *db = as_sqlite3(sh->db);
  int defensive = 0, writable = 0;
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 0, (int *)0);
  sqlite3_db_config(db, SQLITE_DBCONFIG_WRITABLE_SCHEMA, -1, &writable);
  sqlite3_db_config(db, SQLITE_DBCONFIG_WRITABLE_SCHEMA, 1, (int *)0);
  int rc = exec_sql(sh, "CREATE TABLE IF NOT EXISTS temp.sqlite_parameters(\n"
                    "  key TEXT PRIMARY KEY,\n"
                    "  value\n"
                    ") WITHOUT ROWID;",
                    0);
  sqlite3_db_config(db, SQLITE_DBCONFIG_WRITABLE_SCHEMA, writable, (int *)0);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, defensive, (int *)0);
  return rc;
}

static int parameters_exist(Shell *sh) {
  return sqlite3_table_column_metadata(as_sqlite3(sh->db), "temp", "sqlite_parameters", "key", NULL, NULL, NULL, NULL,
                                       NULL) == SQLITE_OK;
}

static void parameters_list(Shell *sh) {
  sqlite3 *db = as_sqlite3(sh->db);
  sqlite3_stmt *q = NULL;
  int width = 0;
  if (!parameters_exist(sh)) return;
  if (sqlite3_prepare_v2(db, "SELECT max(length(key)) FROM temp.sqlite_parameters", -1, &q, NULL) == SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW)
    width = sqlite3_column_int(q, 0);
  sqlite3_finalize(q);
  q = NULL;
  if (sqlite3_prepare_v2(db, "SELECT key, quote(value) FROM temp.sqlite_parameters", -1, &q, NULL) != SQLITE_OK) {
    sqlite3_finalize(q);
    return;
  }
  while (sqlite3_step(q) == SQLITE_ROW)
    fprintf(sh->out, "%-*s %s\n", width, (const char *)sqlite3_column_text(q, 0),
            (const char *)sqlite3_column_text(q, 1));
  sqlite3_finalize(q);
}

/* .parameter set NAME VALUE: VALUE is an SQL expression when it reads as
** one (5, 'text', x'00', 1+2), else the text itself. */
static int parameters_set(Shell *sh, const char *name, const char *value) {
  if (parameters_init(sh) != SQLITE_OK) return 1;
  char *sql = sqlite3_mprintf("REPLACE INTO temp.sqlite_parameters(key,value)VALUES(%Q,%s);", name, value);
  int rc = sql ? exec_sql(sh, sql, 1) : SQLITE_NOMEM;
  sqlite3_free(sql);
  if (rc == SQLITE_OK) return 0;
  sql = sqlite3_mprintf("REPLACE INTO temp.sqlite_parameters(key,value)VALUES(%Q,%Q);", name, value);
  rc = sql ? exec_sql(sh, sql, 0) : SQLITE_NOMEM;
  sqlite3_free(sql);
  return rc != SQLITE_OK;
}

static void parameters_usage(Shell *sh) {
  fprintf(sh->out, ".parameter CMD ...       Manage the values bound to SQL parameters\n"
                   "   clear                   Forget every value\n"
                   "   init                    Create the TEMP table that keeps them\n"
                   "   list                    Show the parameters and their values\n"
                   "   set PARAMETER VALUE     Bind VALUE (an SQL literal or expression) to PARAMETER\n"
                   "                           (a name with its prefix: $ : @ or ?)\n"
                   "   unset PARAMETER         Forget PARAMETER's value\n");
}

int shell_dot_parameter(Shell *sh, ShellArgs *a) {
  const char *cmd = a->argc > 1 ? a->argv[1] : "";
  if (a->argc == 2 && strcmp(cmd, "clear") == 0) return exec_sql(sh, "DROP TABLE IF EXISTS temp.sqlite_parameters", 0) != 0;
  if (a->argc == 2 && strcmp(cmd, "init") == 0) return parameters_init(sh) != SQLITE_OK;
  if (a->argc == 2 && strcmp(cmd, "list") == 0) {
    parameters_list(sh);
    return 0;
  }
  if (a->argc == 4 && strcmp(cmd, "set") == 0) return parameters_set(sh, a->argv[2], a->argv[3]);
  if (a->argc == 3 && strcmp(cmd, "unset") == 0) {
    if (!parameters_exist(sh)) return 0;
    char *sql = sqlite3_mprintf("DELETE FROM temp.sqlite_parameters WHERE key = %Q", a->argv[2]);
    int rc = sql ? exec_sql(sh, sql, 0) : SQLITE_NOMEM;
    sqlite3_free(sql);
    return rc != SQLITE_OK;
  }
  parameters_usage(sh);
  return 0;
}

void shell_bind_parameters(Shell *sh, lode_stmt *stmt) {
  int n = lode_bind_parameter_count(stmt);
  if (n == 0 || !parameters_exist(sh)) return;
  sqlite3 *db = as_sqlite3(sh->db);
  sqlite3_stmt *q = NULL, *s = (sqlite3_stmt *)(void *)stmt;
  if (sqlite3_prepare_v2(db, "SELECT value FROM temp.sqlite_parameters WHERE key=?1", -1, &q, NULL) != SQLITE_OK) {
    sqlite3_finalize(q);
    return;
  }
  for (int i = 1; i <= n; i++) {
    char num[24];
    const char *name = lode_bind_parameter_name(stmt, i);
    if (!name) { /* an anonymous "?" is found as ?N */
      snprintf(num, sizeof num, "?%d", i);
      name = num;
    }
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW) sqlite3_bind_value(s, i, sqlite3_column_value(q, 0));
    else sqlite3_bind_null(s, i);
    sqlite3_reset(q);
  }
  sqlite3_finalize(q);
}

/* ---- .timeout / .limit / .shell ------------------------------------------------------- */

int shell_dot_timeout(Shell *sh, ShellArgs *a) {
  lode_busy_timeout(sh->db, a->argc >= 2 ? atoi(a->argv[1]) : 0);
  return 0;
}

static const char *const limit_names[LODE_NLIMITS] = {
    "length",   "sql_length",          "column",          "expr_depth",    "compound_select", "vdbe_op",
    "function_arg", "attached", "like_pattern_length", "variable_number", "trigger_depth", "worker_threads"};

/* .limit ?NAME? ?VALUE?: every limit, or one, after setting it to VALUE. */
int shell_dot_limit(Shell *sh, ShellArgs *a) {
  if (a->argc == 1) {
    for (int i = 0; i < LODE_NLIMITS; i++) fprintf(sh->out, "%20s %d\n", limit_names[i], lode_limit(sh->db, i, -1));
    return 0;
  }
  if (a->argc > 3) {
    shell_error(sh, "Usage: .limit NAME ?NEW-VALUE?");
    return 1;
  }
  int found = -1;
  size_t len = strlen(a->argv[1]);
  for (int i = 0; i < LODE_NLIMITS; i++) {
    if (strncasecmp(limit_names[i], a->argv[1], len) != 0) continue;
    if (found >= 0) {
      shell_error(sh, "ambiguous limit: \"%s\"", a->argv[1]);
      return 1;
    }
    found = i;
  }
  if (found < 0) {
    shell_error(sh, "unknown limit: \"%s\"\nenter \".limits\" with no arguments for a list.", a->argv[1]);
    return 1;
  }
  if (a->argc == 3) lode_limit(sh->db, found, (int)strtol(a->argv[2], NULL, 0));
  fprintf(sh->out, "%20s %d\n", limit_names[found], lode_limit(sh->db, found, -1));
  return 0;
}

/* .shell CMD ARGS... (and .system): the words joined, run by /bin/sh. */
int shell_dot_system(Shell *sh, ShellArgs *a) {
  if (a->argc < 2) {
    shell_error(sh, "Usage: .system COMMAND");
    return 1;
  }
  ShellBuf cmd = {0};
  for (int i = 1; i < a->argc; i++) {
    const char *w = a->argv[i];
    if (i > 1) shell_buf_appendz(&cmd, " ");
    if (strpbrk(w, " \t\"")) shell_buf_printf(&cmd, "\"%s\"", w); /* a word with blanks stays one word */
    else shell_buf_appendz(&cmd, w);
  }
  if (cmd.oom) {
    shell_buf_free(&cmd);
    shell_error(sh, "Error: out of memory");
    return 1;
  }
  fflush(sh->out); /* what the shell printed comes first */
  int rc = system(cmd.z);
  shell_buf_free(&cmd);
  (void)rc; /* the command's own status is not the shell's error, as in sqlite3 */
  return 0;
}

/* ---- .clone ------------------------------------------------------------------------------- */

/* Writes a message to stderr, after what was printed before it, without
** making the command fail: .clone reports a table it could not copy and
** goes on with the next, as sqlite3's does. */
static void clone_say(Shell *sh, const char *fmt, const char *a, const char *b) {
  fflush(sh->out);
  fprintf(sh->err, fmt, a, b);
}

/* Copies the rows of table into the same table of dest, one INSERT OR IGNORE
** each (a row that clashes with one already there is dropped).  When the
** table cannot be read to its end in rowid order, the rest is read backwards. */
static void clone_rows(Shell *sh, lode *dest, const char *table) {
  sqlite3 *src = as_sqlite3(sh->db), *dst = as_sqlite3(dest);
  sqlite3_stmt *q = NULL, *ins = NULL;
  char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", table);
  char *insert = NULL;
  if (sqlite3_prepare_v2(src, sql, -1, &q, NULL) != SQLITE_OK) {
    fflush(sh->out);
    fprintf(sh->err, "Error %d: %s on [%s]\n", sqlite3_extended_errcode(src), sqlite3_errmsg(src), sql);
    goto done;
  }
  int n = sqlite3_column_count(q);
  ShellBuf b = {0};
  shell_buf_appendz(&b, "INSERT OR IGNORE INTO ");
  shell_append_quoted(&b, table);
  shell_buf_appendz(&b, " VALUES(");
  for (int i = 0; i < n; i++) shell_buf_appendz(&b, i ? ",?" : "?");
  shell_buf_appendz(&b, ")");
  insert = b.z;
  if (b.oom || sqlite3_prepare_v2(dst, insert, -1, &ins, NULL) != SQLITE_OK) {
    /* sqlite3 names the query that reads the rows here, not the INSERT */
    fflush(sh->out);
    fprintf(sh->err, "Error %d: %s on [%s]\n", sqlite3_extended_errcode(dst), sqlite3_errmsg(dst), sql);
    goto done;
  }
  for (int pass = 0; pass < 2; pass++) {
    int rc;
    long copied = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
      for (int i = 0; i < n; i++) sqlite3_bind_value(ins, i + 1, sqlite3_column_value(q, i));
      int irc = sqlite3_step(ins);
      if (irc != SQLITE_OK && irc != SQLITE_ROW && irc != SQLITE_DONE) {
        fflush(sh->out);
        fprintf(sh->err, "Error %d: %s\n", sqlite3_extended_errcode(dst), sqlite3_errmsg(dst));
      }
      sqlite3_reset(ins);
      /* a commit now and then keeps the journal of a large copy small */
      if (++copied % 10000 == 0) sqlite3_exec(dst, "COMMIT; BEGIN", NULL, NULL, NULL);
    }
    if (rc == SQLITE_DONE || pass == 1) break;
    sqlite3_finalize(q);
    q = NULL;
    sqlite3_free(sql);
    sql = sqlite3_mprintf("SELECT * FROM \"%w\" ORDER BY rowid DESC", table);
    if (sqlite3_prepare_v2(src, sql, -1, &q, NULL) != SQLITE_OK) {
      clone_say(sh, "Warning: cannot step \"%s\" backwards%s\n", table, "");
      break;
    }
  }
done:
  sqlite3_finalize(q);
  sqlite3_finalize(ins);
  sqlite3_free(sql);
  free(insert);
}

/* Creates in dest each object of the main schema that where selects (those
** with SQL: automatic indexes come with their tables), and copies the rows
** of tables when rows is set, printing "NAME... done" for each. */
static void clone_schema(Shell *sh, lode *dest, const char *where, int rows) {
  sqlite3 *src = as_sqlite3(sh->db);
  for (int pass = 0; pass < 2; pass++) {
    /* the second pass, in reverse, reads a schema whose end is damaged */
    char *sql = sqlite3_mprintf("SELECT name, sql FROM sqlite_schema WHERE %s%s", where,
                                pass ? " ORDER BY rowid DESC" : "");
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(src, sql, -1, &q, NULL) != SQLITE_OK) {
      fflush(sh->out);
      fprintf(sh->err, "Error: (%d) %s on [%s]\n", sqlite3_extended_errcode(src), sqlite3_errmsg(src), sql);
      sqlite3_free(sql);
      return;
    }
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
      const char *name = (const char *)sqlite3_column_text(q, 0);
      const char *create = (const char *)sqlite3_column_text(q, 1);
      if (!name || !create) continue;
      fprintf(sh->out, "%s... ", name);
      char *err = NULL;
      if (sqlite3_exec(as_sqlite3(dest), create, NULL, NULL, &err) != SQLITE_OK) {
        clone_say(sh, "Error: %s\nSQL: [%s]\n", err ? err : "out of memory", create);
        sqlite3_free(err);
      }
      if (rows) clone_rows(sh, dest, name);
      fputs("done\n", sh->out);
    }
    sqlite3_finalize(q);
    sqlite3_free(sql);
    if (rc == SQLITE_DONE) return;
  }
}

/* .clone NEWDB: a new database file with this one's schema and rows, the
** tables first (with their rows), then indexes, views and triggers.  A file
** already there is left alone. */
int shell_dot_clone(Shell *sh, ShellArgs *a) {
  if (a->argc != 2) {
    shell_error(sh, "Usage: .clone FILENAME");
    return 1;
  }
  const char *file = a->argv[1];
  if (access(file, F_OK) == 0) {
    clone_say(sh, "File \"%s\" already exists.%s\n", file, "");
    return 0;
  }
  lode *dest = NULL;
  if (lode_open_v2(file, &dest, LODE_OPEN_READWRITE | LODE_OPEN_CREATE, NULL) != LODE_OK) {
    clone_say(sh, "Cannot create output database: %s%s\n", dest ? lode_errmsg(dest) : "out of memory", "");
    lode_close(dest);
    return 0;
  }
  sqlite3 *src = as_sqlite3(sh->db);
  int writable = 0;
  sqlite3_db_config(src, SQLITE_DBCONFIG_WRITABLE_SCHEMA, -1, &writable);
  sqlite3_db_config(src, SQLITE_DBCONFIG_WRITABLE_SCHEMA, 1, (int *)0); /* reads a schema with errors too */
  sqlite3_exec(as_sqlite3(dest), "BEGIN EXCLUSIVE", NULL, NULL, NULL);
  clone_schema(sh, dest, "type='table'", 1);
  clone_schema(sh, dest, "type!='table'", 0);
  sqlite3_exec(as_sqlite3(dest), "COMMIT", NULL, NULL, NULL);
  sqlite3_db_config(src, SQLITE_DBCONFIG_WRITABLE_SCHEMA, writable, (int *)0);
  lode_close(dest);
  return 0;
}

/* ---- .connection ------------------------------------------------------------------------ */

void shell_close_connections(Shell *sh) {
  for (int i = 0; i < SHELL_CONNECTIONS; i++) {
    if (sh->conn_db[i]) lode_close(sh->conn_db[i]);
    free(sh->conn_path[i]);
    sh->conn_db[i] = NULL;
    sh->conn_path[i] = NULL;
  }
}

/* A connection's name in the list: its file; the first connection on no
** file is the ":memory:" the shell started on, a later one "(memory)". */
static const char *connection_name(int n, const char *path) { return path ? path : n == 0 ? ":memory:" : "(memory)"; }

static int connection_usage(Shell *sh) {
  shell_error(sh, "Usage: .connection [close] [CONNECTION-NUMBER]");
  return 1;
}

/* A connection number: one digit, else -1.  As in sqlite3, a digit past the
** last connection is no error but does nothing. */
static int connection_number(const char *z) { return z[0] >= '0' && z[0] <= '9' && z[1] == 0 ? z[0] - '0' : -1; }

/* .connection: the open connections, the one in use marked ACTIVE;
** .connection N: use connection N (opened on a transient in-memory database
** the first time); .connection close N: close connection N (not the one in
** use).  Each keeps its database, so a script can work with several. */
int shell_dot_connection(Shell *sh, ShellArgs *a) {
  if (a->argc == 1) {
    for (int i = 0; i < SHELL_CONNECTIONS; i++) {
      if (i == sh->conn) fprintf(sh->out, "ACTIVE %d: %s\n", i, connection_name(i, sh->db_path));
      else if (sh->conn_db[i]) fprintf(sh->out, "       %d: %s\n", i, connection_name(i, sh->conn_path[i]));
    }
    return 0;
  }
  if (a->argc == 2) {
    int n = connection_number(a->argv[1]);
    if (n < 0) return connection_usage(sh);
    if (n == sh->conn || n >= SHELL_CONNECTIONS) return 0;
    if (sh->repl) {
      shell_error(sh, "Error: cannot open another database while --replicate replicates this one");
      return 1;
    }
    int from = sh->conn;
    sh->conn_db[from] = sh->db;
    sh->conn_path[from] = sh->db_path;
    sh->db = sh->conn_db[n];
    sh->db_path = sh->conn_path[n];
    sh->conn_db[n] = NULL;
    sh->conn_path[n] = NULL;
    sh->conn = n;
    if (!sh->db && shell_open_db(sh, NULL) != 0) {
      /* back to the connection in use before: the shell always has one */
      sh->db = sh->conn_db[from];
      sh->db_path = sh->conn_path[from];
      sh->conn_db[from] = NULL;
      sh->conn_path[from] = NULL;
      sh->conn = from;
      return 1;
    }
    return 0;
  }
  if (a->argc == 3 && strcmp(a->argv[1], "close") == 0) {
    int n = connection_number(a->argv[2]);
    if (n < 0) return connection_usage(sh);
    if (n >= SHELL_CONNECTIONS) return 0;
    if (n == sh->conn) {
      shell_error(sh, "cannot close the active database connection");
      return 1;
    }
    if (sh->conn_db[n]) lode_close(sh->conn_db[n]);
    free(sh->conn_path[n]);
    sh->conn_db[n] = NULL;
    sh->conn_path[n] = NULL;
    return 0;
  }
  return connection_usage(sh);
}
