/*
** shell_info.c — the dot commands of the `lode` shell that report on the
** database and the connection, and the helpers sqlite3's own shell tests
** use: .dbinfo (the fields of the database header and counts of the schema),
** .vfsinfo/.vfslist/.vfsname, .stats, .trace, .log, .testcase/.check, .nonce,
** .lint fkey-indexes, .auth and .scanstats.  Where sqlite3 prints data, the lines are laid out as
** sqlite3 3.40 lays them out; the numbers are Lode's.
*/
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "shell_int.h"
#include "sqlite3.h"

/* The connection under sqlite3.h's name: the library gives both APIs one object. */
static sqlite3 *as_sqlite3(lode *db) { return (sqlite3 *)(void *)db; }

/* The first integer the query returns, 0 if none. */
static long long query_int(Shell *sh, const char *sql) {
  sqlite3_stmt *q = NULL;
  long long v = 0;
  if (sqlite3_prepare_v2(as_sqlite3(sh->db), sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
    v = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  return v;
}

/* ---- .dbinfo ------------------------------------------------------------------------ */

/* Offsets in the 100-byte header at the start of page 1 (SQLite's file format). */
#define HDR_PAGE_SIZE 16     /* 2 bytes; 1 means 65536 */
#define HDR_WRITE_VERSION 18 /* 1 rollback journal, 2 WAL */
#define HDR_READ_VERSION 19
#define HDR_RESERVED 20      /* bytes at the end of each page kept for extensions (encryption) */
#define HDR_SIZE 100

static unsigned get4(const unsigned char *p) {
  return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

/* The 4-byte header fields .dbinfo lists, in sqlite3's order. */
static const struct {
  const char *label;
  int offset;
} header_fields[] = {
    {"file change counter:", 24}, {"database page count:", 28}, {"freelist page count:", 36},
    {"schema cookie:", 40},       {"schema format:", 44},       {"default cache size:", 48},
    {"autovacuum top root:", 52}, {"incremental vacuum:", 64},  {"text encoding:", 56},
    {"user version:", 60},        {"application id:", 68},      {"software version:", 96},
};
#define HDR_TEXT_ENCODING 56

/* .dbinfo ?DB?: the header of page 1 of DB (main by default) and counts of its
** schema.  The header is read through the library (the database's image, as
** the pager sees it, WAL frames included), never from the file itself. */
int shell_dot_dbinfo(Shell *sh, ShellArgs *a) {
  const char *db = a->argc >= 2 ? a->argv[1] : "main";
  lode_int64 size = 0;
  unsigned char *image = lode_serialize(sh->db, db, &size);
  if (!image || size <= HDR_SIZE) {
    lode_free(image);
    shell_error(sh, "unable to read database header");
    return 1;
  }
  unsigned char hdr[HDR_SIZE];
  memcpy(hdr, image, HDR_SIZE);
  lode_free(image);
  FILE *o = sh->out;
  int page_size = hdr[HDR_PAGE_SIZE] << 8 | hdr[HDR_PAGE_SIZE + 1];
  fprintf(o, "%-20s %d\n", "database page size:", page_size == 1 ? 65536 : page_size);
  fprintf(o, "%-20s %d\n", "write format:", hdr[HDR_WRITE_VERSION]);
  fprintf(o, "%-20s %d\n", "read format:", hdr[HDR_READ_VERSION]);
  fprintf(o, "%-20s %d\n", "reserved bytes:", hdr[HDR_RESERVED]);
  for (size_t i = 0; i < sizeof header_fields / sizeof header_fields[0]; i++) {
    unsigned v = get4(hdr + header_fields[i].offset);
    fprintf(o, "%-20s %u", header_fields[i].label, v);
    if (header_fields[i].offset == HDR_TEXT_ENCODING && v >= 1 && v <= 3)
      fputs(v == 1 ? " (utf8)" : v == 2 ? " (utf16le)" : " (utf16be)", o);
    fputc('\n', o);
  }
  static const struct {
    const char *label;
    const char *where;
  } counts[] = {
      {"number of tables:", "count(*) FROM %s WHERE type='table'"},
      {"number of indexes:", "count(*) FROM %s WHERE type='index'"},
      {"number of triggers:", "count(*) FROM %s WHERE type='trigger'"},
      {"number of views:", "count(*) FROM %s WHERE type='view'"},
      {"schema size:", "total(length(sql)) FROM %s"},
  };
  char *schema = strcmp(db, "temp") == 0 ? sqlite3_mprintf("sqlite_temp_schema")
                                         : sqlite3_mprintf("\"%w\".sqlite_schema", db);
  for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
    char *q = sqlite3_mprintf("SELECT %z", sqlite3_mprintf(counts[i].where, schema));
    fprintf(o, "%-20s %d\n", counts[i].label, (int)query_int(sh, q));
    sqlite3_free(q);
  }
  sqlite3_free(schema);
  /* sqlite3 asks the pager (SQLITE_FCNTL_DATA_VERSION); Lode's connection
  ** answers the same question through the pragma. */
  char *q = sqlite3_mprintf("PRAGMA \"%w\".data_version", db);
  fprintf(o, "%-20s %u\n", "data version", (unsigned)query_int(sh, q));
  sqlite3_free(q);
  return 0;
}

/* ---- .vfsinfo / .vfsname / .vfslist --------------------------------------------------- */

/* The VFS database db uses (an in-memory one too, as in SQLite, where the
** connection answers for the pager); NULL when db is not attached. */
static sqlite3_vfs *vfs_of(Shell *sh, const char *db) {
  sqlite3_vfs *vfs = NULL;
  int rc = sqlite3_file_control(as_sqlite3(sh->db), db, SQLITE_FCNTL_VFS_POINTER, &vfs);
  if (rc == SQLITE_NOTFOUND) return sqlite3_vfs_find(NULL);
  return rc == SQLITE_OK ? vfs : NULL;
}

static void print_vfs(Shell *sh, const sqlite3_vfs *vfs, int current) {
  fprintf(sh->out, "vfs.zName      = \"%s\"%s\n", vfs->zName, current ? "  <--- CURRENT" : "");
  fprintf(sh->out, "vfs.iVersion   = %d\n", vfs->iVersion);
  fprintf(sh->out, "vfs.szOsFile   = %d\n", vfs->szOsFile);
  fprintf(sh->out, "vfs.mxPathname = %d\n", vfs->mxPathname);
}

/* .vfsinfo ?DB? prints the VFS of DB (main by default); .vfsname ?DB? the
** name its file gives, none for an in-memory database (which has no file),
** as in sqlite3. */
int shell_dot_vfsinfo(Shell *sh, ShellArgs *a) {
  const char *db = a->argc == 2 ? a->argv[1] : "main";
  if (strncmp(a->argv[0], "vfsname", strlen(a->argv[0])) == 0) {
    char *name = NULL;
    if (sqlite3_file_control(as_sqlite3(sh->db), db, SQLITE_FCNTL_VFSNAME, &name) == SQLITE_OK && name)
      fprintf(sh->out, "%s\n", name);
    sqlite3_free(name);
    return 0;
  }
  sqlite3_vfs *vfs = vfs_of(sh, db);
  if (vfs) print_vfs(sh, vfs, 0);
  return 0;
}

/* .vfslist: every registered VFS, the one of main marked. */
int shell_dot_vfslist(Shell *sh, ShellArgs *a) {
  (void)a;
  sqlite3_vfs *current = vfs_of(sh, "main");
  for (sqlite3_vfs *v = sqlite3_vfs_find(NULL); v; v = v->pNext) {
    print_vfs(sh, v, v == current);
    if (v->pNext) fputs("-----------------------------------\n", sh->out);
  }
  return 0;
}

/* ---- .stats ---------------------------------------------------------------------------- */

const char *shell_stats_name(int stats) {
  switch (stats) {
    case SHELL_STATS_ON: return "on";
    case SHELL_STATS_STMT: return "stmt";
    case SHELL_STATS_VMSTEP: return "vmstep";
    default: return "off";
  }
}

/* One line of statistics: the label in sqlite3's 36 columns and a blank. */
static void stat_line(Shell *sh, const char *label, const char *fmt, long long a, long long b) {
  fprintf(sh->out, "%-36s ", label);
  fprintf(sh->out, fmt, a, b);
  fputc('\n', sh->out);
}

static void process_stat(Shell *sh, int op, const char *label, const char *fmt, int max_only) {
  sqlite3_int64 cur = 0, high = 0;
  sqlite3_status64(op, &cur, &high, 0);
  if (max_only) stat_line(sh, label, fmt, high, 0);
  else stat_line(sh, label, fmt, cur, high);
}

static void db_stat(Shell *sh, int op, const char *label, const char *fmt, int which) {
  int cur = 0, high = 0;
  sqlite3_db_status(as_sqlite3(sh->db), op, &cur, &high, 0);
  stat_line(sh, label, fmt, which == 1 ? high : cur, high);
}

/* The I/O counters of this process, as Linux reports them in /proc/self/io. */
static void io_stats(Shell *sh) {
  static const struct {
    const char *key;
    const char *label;
  } keys[] = {
      {"rchar: ", "Bytes received by read():"},     {"wchar: ", "Bytes sent to write():"},
      {"syscr: ", "Read() system calls:"},          {"syscw: ", "Write() system calls:"},
      {"read_bytes: ", "Bytes read from storage:"}, {"write_bytes: ", "Bytes written to storage:"},
      {"cancelled_write_bytes: ", "Cancelled write bytes:"},
  };
  FILE *f = fopen("/proc/self/io", "r");
  if (!f) return;
  char line[200];
  while (fgets(line, sizeof line, f)) {
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
      size_t n = strlen(keys[i].key);
      if (strncmp(line, keys[i].key, n) == 0) {
        fprintf(sh->out, "%-36s %s", keys[i].label, line + n);
        break;
      }
    }
  }
  fclose(f);
}

static void memory_stats(Shell *sh) {
  process_stat(sh, SQLITE_STATUS_MEMORY_USED, "Memory Used:", "%lld (max %lld) bytes", 0);
  process_stat(sh, SQLITE_STATUS_MALLOC_COUNT, "Number of Outstanding Allocations:", "%lld (max %lld)", 0);
  process_stat(sh, SQLITE_STATUS_PAGECACHE_OVERFLOW, "Number of Pcache Overflow Bytes:", "%lld (max %lld) bytes", 0);
  process_stat(sh, SQLITE_STATUS_MALLOC_SIZE, "Largest Allocation:", "%lld bytes", 1);
  process_stat(sh, SQLITE_STATUS_PAGECACHE_SIZE, "Largest Pcache Allocation:", "%lld bytes", 1);
}

static const char *or_null(const char *z) { return z ? z : "(null)"; }

void shell_stats_after_stmt(Shell *sh, lode_stmt *stmt) {
  sqlite3_stmt *s = (sqlite3_stmt *)(void *)stmt;
  char label[64];
  if (sh->stats == SHELL_STATS_VMSTEP) {
    fprintf(sh->out, "VM-steps: %d\n", sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 0));
    return;
  }
  if (sh->stats == SHELL_STATS_STMT) {
    int n = sqlite3_column_count(s);
    stat_line(sh, "Number of output columns:", "%lld", n, 0);
    for (int i = 0; i < n; i++) {
      snprintf(label, sizeof label, "Column %d name:", i);
      fprintf(sh->out, "%-36s %s\n", label, or_null(sqlite3_column_name(s, i)));
      snprintf(label, sizeof label, "Column %d declared type:", i);
      fprintf(sh->out, "%-36s %s\n", label, or_null(sqlite3_column_decltype(s, i)));
      snprintf(label, sizeof label, "Column %d database name:", i);
      fprintf(sh->out, "%-36s %s\n", label, or_null(sqlite3_column_database_name(s, i)));
      snprintf(label, sizeof label, "Column %d table name:", i);
      fprintf(sh->out, "%-36s %s\n", label, or_null(sqlite3_column_table_name(s, i)));
      snprintf(label, sizeof label, "Column %d origin name:", i);
      fprintf(sh->out, "%-36s %s\n", label, or_null(sqlite3_column_origin_name(s, i)));
    }
  }
  memory_stats(sh);
  db_stat(sh, SQLITE_DBSTATUS_LOOKASIDE_USED, "Lookaside Slots Used:", "%lld (max %lld)", 0);
  db_stat(sh, SQLITE_DBSTATUS_LOOKASIDE_HIT, "Successful lookaside attempts:", "%lld", 1);
  db_stat(sh, SQLITE_DBSTATUS_LOOKASIDE_MISS_SIZE, "Lookaside failures due to size:", "%lld", 1);
  db_stat(sh, SQLITE_DBSTATUS_LOOKASIDE_MISS_FULL, "Lookaside failures due to OOM:", "%lld", 1);
  db_stat(sh, SQLITE_DBSTATUS_CACHE_USED, "Pager Heap Usage:", "%lld bytes", 0);
  db_stat(sh, SQLITE_DBSTATUS_CACHE_HIT, "Page cache hits:", "%lld", 0);
  db_stat(sh, SQLITE_DBSTATUS_CACHE_MISS, "Page cache misses:", "%lld", 0);
  db_stat(sh, SQLITE_DBSTATUS_CACHE_WRITE, "Page cache writes:", "%lld", 0);
  db_stat(sh, SQLITE_DBSTATUS_CACHE_SPILL, "Page cache spills:", "%lld", 0);
  db_stat(sh, SQLITE_DBSTATUS_SCHEMA_USED, "Schema Heap Usage:", "%lld bytes", 0);
  db_stat(sh, SQLITE_DBSTATUS_STMT_USED, "Statement Heap/Lookaside Usage:", "%lld bytes", 0);
  static const struct {
    int op;
    const char *label;
  } per_stmt[] = {
      {SQLITE_STMTSTATUS_FULLSCAN_STEP, "Fullscan Steps:"}, {SQLITE_STMTSTATUS_SORT, "Sort Operations:"},
      {SQLITE_STMTSTATUS_AUTOINDEX, "Autoindex Inserts:"},  {SQLITE_STMTSTATUS_VM_STEP, "Virtual Machine Steps:"},
      {SQLITE_STMTSTATUS_REPREPARE, "Reprepare operations:"}, {SQLITE_STMTSTATUS_RUN, "Number of times run:"},
      {SQLITE_STMTSTATUS_MEMUSED, "Memory used by prepared stmt:"},
  };
  for (size_t i = 0; i < sizeof per_stmt / sizeof per_stmt[0]; i++)
    stat_line(sh, per_stmt[i].label, "%lld", sqlite3_stmt_status(s, per_stmt[i].op, 0), 0);
  io_stats(sh);
}

/* .stats ?on|off|stmt|vmstep?: without an argument, the process's counters now. */
int shell_dot_stats(Shell *sh, ShellArgs *a) {
  if (a->argc == 1) {
    memory_stats(sh);
    io_stats(sh);
  } else if (a->argc == 2) {
    const char *z = a->argv[1];
    if (strcmp(z, "stmt") == 0) sh->stats = SHELL_STATS_STMT;
    else if (strcmp(z, "vmstep") == 0) sh->stats = SHELL_STATS_VMSTEP;
    else sh->stats = shell_loose_bool(sh, z) ? SHELL_STATS_ON : SHELL_STATS_OFF;
  } else {
    shell_error(sh, "Usage: .stats ?on|off|stmt|vmstep?");
    return 1;
  }
  return 0;
}

/* ---- .trace / .log ---------------------------------------------------------------------------- */

/* The file a .trace or .log argument names: stdout, stderr, a file (written
** anew), or NULL for "off" and for a file that cannot be opened (said). */
static FILE *open_log_file(Shell *sh, const char *name) {
  if (strcmp(name, "stdout") == 0) return stdout;
  if (strcmp(name, "stderr") == 0) return stderr;
  if (strcmp(name, "off") == 0) return NULL;
  FILE *f = fopen(name, "wb");
  if (!f) shell_error(sh, "Error: cannot open \"%s\"", name);
  return f;
}

static void close_log_file(FILE **f) {
  if (*f && *f != stdout && *f != stderr) fclose(*f);
  *f = NULL;
}

void shell_trace_close(Shell *sh) { close_log_file(&sh->trace_out); }

/* The library's logger while .log is on: each message with its result code. */
static void log_callback(void *arg, int code, const char *msg) {
  Shell *sh = arg;
  if (!sh->log_out) return;
  fprintf(sh->log_out, "(%d) %s\n", code, msg);
  fflush(sh->log_out);
}

void shell_log_close(Shell *sh) {
  if (sh->log_out) lode_config_log(NULL, NULL);
  close_log_file(&sh->log_out);
}

/* .log FILE|off: the messages the library logs (statements that fail to
** compile, among others).  The logger is the process's, so it is set only
** while .log is on: a program that embeds the shell keeps its own otherwise. */
int shell_dot_log(Shell *sh, ShellArgs *a) {
  if (a->argc != 2) {
    shell_error(sh, "Usage: .log FILENAME");
    return 1;
  }
  shell_log_close(sh);
  sh->log_out = open_log_file(sh, a->argv[1]);
  if (sh->log_out) lode_config_log(log_callback, sh);
  return 0;
}

/* Writes the SQL of each statement as it starts (or ends, with its time, for
** --profile; or per row, for --row) the way sqlite3's .trace writes it: the
** text without its trailing semicolons, then ";".  The comment lines SQLite
** hands over for trigger programs ("-- TRIGGER t") are written as they are. */
static int trace_callback(unsigned type, void *arg, void *p, void *x) {
  Shell *sh = arg;
  const char *sql;
  char *expanded = NULL;
  if (!sh->trace_out) return 0;
  if (type == SQLITE_TRACE_CLOSE) {
    fputs("-- closing database connection\n", sh->trace_out);
    return 0;
  }
  if (type != SQLITE_TRACE_ROW && x && ((const char *)x)[0] == '-') sql = x;
  else if (sh->trace_expanded) sql = expanded = sqlite3_expanded_sql((sqlite3_stmt *)p);
  else sql = sqlite3_sql((sqlite3_stmt *)p);
  if (sql) {
    int n = (int)strlen(sql);
    while (n > 0 && sql[n - 1] == ';') n--;
    if (type == SQLITE_TRACE_PROFILE) fprintf(sh->trace_out, "%.*s; -- %lld ns\n", n, sql, *(long long *)x);
    else fprintf(sh->trace_out, "%.*s;\n", n, sql);
  }
  sqlite3_free(expanded);
  return 0;
}

/* "-name" or "--name" */
static int is_option(const char *z, const char *name) {
  if (z[0] != '-') return 0;
  z += z[1] == '-' ? 2 : 1;
  return strcmp(z, name) == 0;
}

/* .trace ?FILE|off? ?--plain|--expanded? ?--stmt|--profile|--row|--close?:
** FILE may be stdout or stderr; the kinds of event add up (--stmt by
** default). */
int shell_dot_trace(Shell *sh, ShellArgs *a) {
  unsigned mask = 0;
  for (int i = 1; i < a->argc; i++) {
    const char *z = a->argv[i];
    if (z[0] == '-') {
      if (is_option(z, "expanded")) sh->trace_expanded = 1;
      else if (is_option(z, "plain")) sh->trace_expanded = 0;
      else if (is_option(z, "profile")) mask |= SQLITE_TRACE_PROFILE;
      else if (is_option(z, "row")) mask |= SQLITE_TRACE_ROW;
      else if (is_option(z, "stmt")) mask |= SQLITE_TRACE_STMT;
      else if (is_option(z, "close")) mask |= SQLITE_TRACE_CLOSE;
      else {
        shell_error(sh, "Unknown option \"%s\" on \".trace\"", z);
        return 1;
      }
      continue;
    }
    shell_trace_close(sh);
    sh->trace_out = open_log_file(sh, z);
  }
  if (!sh->trace_out) {
    sqlite3_trace_v2(as_sqlite3(sh->db), 0, NULL, NULL);
  } else {
    sqlite3_trace_v2(as_sqlite3(sh->db), mask ? mask : SQLITE_TRACE_STMT, trace_callback, sh);
  }
  return 0;
}

/* ---- .testcase / .check / .nonce ------------------------------------------------------------ */

#define TESTCASE_FILE "testcase-out.txt"

/* .testcase NAME: output goes to testcase-out.txt until .check compares it. */
int shell_dot_testcase(Shell *sh, ShellArgs *a) {
  shell_close_output(sh);
  FILE *f = fopen(TESTCASE_FILE, "wb");
  if (!f) {
    shell_error(sh, "Error: cannot open '" TESTCASE_FILE "'");
  } else {
    sh->out = f;
    snprintf(sh->out_name, sizeof sh->out_name, "%s", TESTCASE_FILE);
  }
  snprintf(sh->testcase, sizeof sh->testcase, "%s", a->argc >= 2 ? a->argv[1] : "?");
  return 0;
}

/* The pattern language of .check: '*' any run of bytes, '?' one byte,
** [...] a set (^ negates, a-z ranges), '#' an integer with an optional sign;
** blanks match any run of blanks, and blanks at the end of z are ignored. */
static int check_glob(const char *pat, const char *z) {
  for (; *pat; pat++) {
    unsigned char c = (unsigned char)*pat;
    if (isspace(c)) {
      if (!isspace((unsigned char)*z)) return 0;
      while (isspace((unsigned char)pat[1])) pat++;
      while (isspace((unsigned char)*z)) z++;
    } else if (c == '*') {
      while (pat[1] == '*' || pat[1] == '?') {
        if (*++pat == '?' && !*z++) return 0;
      }
      if (!pat[1]) return 1;
      for (; *z; z++) {
        if (check_glob(pat + 1, z)) return 1;
      }
      return 0;
    } else if (c == '?') {
      if (!*z++) return 0;
    } else if (c == '[') {
      unsigned char ch = (unsigned char)*z++;
      int invert = 0, seen = 0, prior = 0;
      if (!ch) return 0;
      pat++;
      if (*pat == '^') invert = 1, pat++;
      if (*pat == ']') seen = ch == ']', pat++;
      for (; *pat && *pat != ']'; pat++) {
        if (*pat == '-' && prior && pat[1] && pat[1] != ']') {
          pat++;
          if (ch >= prior && ch <= (unsigned char)*pat) seen = 1;
          prior = 0;
        } else {
          if (ch == (unsigned char)*pat) seen = 1;
          prior = (unsigned char)*pat;
        }
      }
      if (!*pat || seen == invert) return 0;
    } else if (c == '#') {
      if ((*z == '-' || *z == '+') && isdigit((unsigned char)z[1])) z++;
      if (!isdigit((unsigned char)*z)) return 0;
      while (isdigit((unsigned char)*z)) z++;
    } else if ((unsigned char)*z++ != c) {
      return 0;
    }
  }
  while (isspace((unsigned char)*z)) z++;
  return *z == 0;
}

static char *read_whole_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  ShellBuf b = {0};
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) shell_buf_append(&b, chunk, n);
  fclose(f);
  if (b.oom) {
    shell_buf_free(&b);
    return NULL;
  }
  if (!b.z) return strdup("");
  return b.z;
}

/* .check GLOB: what was printed since .testcase must match GLOB.  As in
** sqlite3, a .check without its pattern or its file ends the script. */
int shell_dot_check(Shell *sh, ShellArgs *a) {
  shell_close_output(sh);
  if (a->argc != 2) {
    shell_error(sh, "Usage: .check GLOB-PATTERN");
    sh->quit = 1;
    return 1;
  }
  char *got = read_whole_file(TESTCASE_FILE);
  if (!got) {
    shell_error(sh, "Error: cannot read '" TESTCASE_FILE "'");
    sh->quit = 1;
    return 1;
  }
  int ok = check_glob(a->argv[1], got);
  if (ok) fprintf(sh->out, "testcase-%s ok\n", sh->testcase);
  else shell_error(sh, "testcase-%s FAILED\n Expected: [%s]\n      Got: [%s]", sh->testcase, a->argv[1], got);
  free(got);
  return !ok;
}

/* .nonce STRING lifts sqlite3's --safe mode for one command when STRING is
** the nonce it was started with.  This shell has no safe mode and so no
** nonce: any STRING is wrong, and a wrong nonce ends the shell as in sqlite3. */
int shell_dot_nonce(Shell *sh, ShellArgs *a) {
  if (a->argc != 2) {
    shell_error(sh, "Usage: .nonce NONCE");
    return 1;
  }
  if (sh->nonce && strcmp(sh->nonce, a->argv[1]) == 0) {
    sh->unsafe_next = 1;
    return 0;
  }
  shell_error(sh, "line %d: incorrect nonce: \"%s\"", sh->line_no, a->argv[1]);
  sh->quit = 1;
  sh->exit_code = 1;
  return 1;
}

/* ---- .lint ---------------------------------------------------------------------------------- */

/* fkey_collate_clause(PARENT, PCOL, CHILD, CCOL): "" when the two columns
** compare in the same collation, else " COLLATE X" with the parent's, which
** an index on the child column needs for the key lookups to use it. */
static void fkey_collate_clause(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  const char *pcoll = NULL, *ccoll = NULL;
  const char *parent = (const char *)sqlite3_value_text(argv[0]), *pcol = (const char *)sqlite3_value_text(argv[1]);
  const char *child = (const char *)sqlite3_value_text(argv[2]), *ccol = (const char *)sqlite3_value_text(argv[3]);
  if (sqlite3_table_column_metadata(db, "main", parent, pcol, NULL, &pcoll, NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_table_column_metadata(db, "main", child, ccol, NULL, &ccoll, NULL, NULL, NULL) != SQLITE_OK) {
    sqlite3_result_error(ctx, sqlite3_errmsg(db), -1);
    return;
  }
  if (pcoll && ccoll && sqlite3_stricmp(pcoll, ccoll) != 0) {
    char *z = sqlite3_mprintf(" COLLATE %s", pcoll);
    sqlite3_result_text(ctx, z, -1, sqlite3_free);
  } else {
    sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
  }
}

/* One row per foreign key of the main schema: the query whose plan tells
** whether the child table has an index for the key, the plan that says it
** has, the child and parent columns as .lint names them, the CREATE INDEX
** that would serve, and the parent table. */
static const char fkey_query[] =
    "SELECT 'EXPLAIN QUERY PLAN SELECT 1 FROM ' || quote(s.name) || ' WHERE ' || group_concat(quote(s.name) || '.' || "
    "quote(f.[from]) || '=?' || fkey_collate_clause(f.[table], COALESCE(f.[to], p.[name]), s.name, f.[from]), ' AND '),"
    " 'SEARCH ' || s.name || ' USING COVERING INDEX*(' || group_concat('*=?', ' AND ') || ')',"
    " s.name || '(' || group_concat(f.[from], ', ') || ')',"
    " f.[table] || '(' || group_concat(COALESCE(f.[to], p.[name])) || ')',"
    " 'CREATE INDEX ' || quote(s.name || '_' || group_concat(f.[from], '_')) || ' ON ' || quote(s.name) || '(' || "
    "group_concat(quote(f.[from]) || fkey_collate_clause(f.[table], COALESCE(f.[to], p.[name]), s.name, f.[from]), "
    "', ') || ');',"
    " f.[table]"
    " FROM sqlite_schema AS s, pragma_foreign_key_list(s.name) AS f"
    " LEFT JOIN pragma_table_info AS p ON (pk - 1 = seq AND p.arg = f.[table])"
    " GROUP BY s.name, f.id"
    " ORDER BY (CASE WHEN ?1 THEN f.[table] ELSE s.name END)";

/* Whether the plan of the lookup query (one foreign key) searches an index
** or the rowid of the child table. */
static int fkey_has_index(Shell *sh, const char *eqp, const char *glob) {
  sqlite3_stmt *q = NULL;
  int found = 0;
  if (sqlite3_prepare_v2(as_sqlite3(sh->db), eqp, -1, &q, NULL) != SQLITE_OK) return -1;
  while (!found && sqlite3_step(q) == SQLITE_ROW) {
    const char *plan = (const char *)sqlite3_column_text(q, 3);
    if (plan && (sqlite3_strglob(glob, plan) == 0 ||
                 sqlite3_strglob("SEARCH * USING INTEGER PRIMARY KEY (rowid=?)", plan) == 0))
      found = 1;
  }
  sqlite3_finalize(q);
  return found;
}

/* .lint fkey-indexes ?-verbose? ?-groupbyparent?: for each foreign key whose
** child columns no index serves (each change to the parent then scans the
** child table), the CREATE INDEX that would. */
static int lint_fkey_indexes(Shell *sh, ShellArgs *a) {
  sqlite3 *db = as_sqlite3(sh->db);
  int verbose = 0, by_parent = 0;
  for (int i = 2; i < a->argc; i++) {
    int n = (int)strlen(a->argv[i]);
    if (n > 1 && sqlite3_strnicmp("-verbose", a->argv[i], n) == 0) verbose = 1;
    else if (n > 1 && sqlite3_strnicmp("-groupbyparent", a->argv[i], n) == 0) by_parent = 1;
    else {
      fflush(sh->out);
      fprintf(sh->err, "Usage: %s %s ?-verbose? ?-groupbyparent?\n", a->argv[0], a->argv[1]);
      return 0;
    }
  }
  sqlite3_create_function(db, "fkey_collate_clause", 4, SQLITE_UTF8, NULL, fkey_collate_clause, NULL, NULL);
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(db, fkey_query, -1, &q, NULL) != SQLITE_OK) {
    shell_error(sh, "Error: %s", sqlite3_errmsg(db));
    return 1;
  }
  sqlite3_bind_int(q, 1, by_parent);
  char *last_parent = NULL;
  int rc = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    const char *eqp = (const char *)sqlite3_column_text(q, 0);
    const char *glob = (const char *)sqlite3_column_text(q, 1);
    const char *from = (const char *)sqlite3_column_text(q, 2);
    const char *target = (const char *)sqlite3_column_text(q, 3);
    const char *create = (const char *)sqlite3_column_text(q, 4);
    const char *parent = (const char *)sqlite3_column_text(q, 5);
    if (!eqp || !glob || !from || !target || !create || !parent) continue;
    int has = fkey_has_index(sh, eqp, glob);
    if (has < 0) {
      shell_error(sh, "Error: %s", sqlite3_errmsg(db));
      rc = 1;
      break;
    }
    if (by_parent && (verbose || !has) && (!last_parent || sqlite3_stricmp(last_parent, parent) != 0)) {
      fprintf(sh->out, "-- Parent table %s\n", parent);
      sqlite3_free(last_parent);
      last_parent = sqlite3_mprintf("%s", parent);
    }
    const char *indent = by_parent ? "    " : ""; /* under its parent's line */
    if (!has) fprintf(sh->out, "%s%s --> %s\n", indent, create, target);
    else if (verbose) fprintf(sh->out, "%s/* no extra indexes required for %s -> %s */\n", indent, from, target);
  }
  sqlite3_free(last_parent);
  sqlite3_finalize(q);
  return rc;
}

/* .lint SUBCOMMAND: the one sqlite3 has, fkey-indexes (any prefix).  As in
** sqlite3, a wrong subcommand is explained but does not fail the script. */
int shell_dot_lint(Shell *sh, ShellArgs *a) {
  size_t n = a->argc >= 2 ? strlen(a->argv[1]) : 0;
  if (n > 0 && strncmp("fkey-indexes", a->argv[1], n) == 0) return lint_fkey_indexes(sh, a);
  fflush(sh->out);
  fprintf(sh->err, "Usage %s sub-command ?switches...?\nWhere sub-commands are:\n    fkey-indexes\n", a->argv[0]);
  return 0;
}

/* ---- .auth ------------------------------------------------------------------------------------ */

/* The actions of the authorizer by code, as sqlite3.h names them. */
static const char *const auth_actions[] = {
    "COPY", "CREATE_INDEX", "CREATE_TABLE", "CREATE_TEMP_INDEX", "CREATE_TEMP_TABLE", "CREATE_TEMP_TRIGGER",
    "CREATE_TEMP_VIEW", "CREATE_TRIGGER", "CREATE_VIEW", "DELETE", "DROP_INDEX", "DROP_TABLE", "DROP_TEMP_INDEX",
    "DROP_TEMP_TABLE", "DROP_TEMP_TRIGGER", "DROP_TEMP_VIEW", "DROP_TRIGGER", "DROP_VIEW", "INSERT", "PRAGMA",
    "READ", "SELECT", "TRANSACTION", "UPDATE", "ATTACH", "DETACH", "ALTER_TABLE", "REINDEX", "ANALYZE",
    "CREATE_VTABLE", "DROP_VTABLE", "FUNCTION", "SAVEPOINT", "RECURSIVE",
};

/* Prints the request (its action and four names, NULL or a C string) and allows it. */
static int auth_callback(void *arg, int action, const char *a1, const char *a2, const char *a3, const char *a4) {
  Shell *sh = arg;
  const char *names[4] = {a1, a2, a3, a4};
  ShellBuf b = {0};
  int n = (int)(sizeof auth_actions / sizeof auth_actions[0]);
  shell_buf_printf(&b, "authorizer: %s", action >= 0 && action < n ? auth_actions[action] : "");
  for (int i = 0; i < 4; i++) {
    shell_buf_append(&b, " ", 1);
    if (names[i]) shell_append_c_string(&b, names[i]);
    else shell_buf_appendz(&b, "NULL");
  }
  shell_buf_append(&b, "\n", 1);
  shell_write(sh, &b);
  shell_buf_free(&b);
  return sh->safe ? shell_safe_authorizer(sh, action, a1, a2, a3, a4) : SQLITE_OK;
}

/* .auth on|off: print what the statements compiled ask the authorizer. */
int shell_dot_auth(Shell *sh, ShellArgs *a) {
  if (a->argc != 2) {
    shell_error(sh, "Usage: .auth ON|OFF");
    return 1;
  }
  if (shell_loose_bool(sh, a->argv[1])) sqlite3_set_authorizer(as_sqlite3(sh->db), auth_callback, sh);
  else sqlite3_set_authorizer(as_sqlite3(sh->db), sh->safe ? shell_safe_authorizer : NULL, sh);
  return 0;
}

/* ---- .scanstats ------------------------------------------------------------------------------- */

/* .scanstats on|off: the loop counters of sqlite3_stmt_scanstatus, which
** Lode does not keep; the warning is that of a sqlite3 built without them
** (Debian's), and the script goes on. */
int shell_dot_scanstats(Shell *sh, ShellArgs *a) {
  if (a->argc != 2) {
    shell_error(sh, "Usage: .scanstats on|off");
    return 1;
  }
  shell_loose_bool(sh, a->argv[1]);
  fflush(sh->out);
  fputs("Warning: .scanstats not available in this build.\n", sh->err);
  return 0;
}
