/*
** testdb.h — helpers shared by the C tests that drive whole databases:
** a seeded PRNG, SQL-to-text queries, file cleanup and a b-tree check of
** every tree in the schema.  Header-only (static inline), so each test
** binary stays a single file.
*/
#ifndef LODE_TESTDB_H
#define LODE_TESTDB_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn/conn.h"
#include "lode.h"
#include "util/util.h"

typedef struct Rng {
  uint64_t s;
} Rng;

static inline uint64_t rng_next(Rng *r) {
  r->s ^= r->s << 13;
  r->s ^= r->s >> 7;
  r->s ^= r->s << 17;
  return r->s;
}

static inline int rng_int(Rng *r, int n) { return n <= 0 ? 0 : (int)(rng_next(r) % (uint64_t)n); }

static inline void rng_seed(Rng *r, uint64_t seed) {
  r->s = seed * 0x9E3779B97F4A7C15ull + 0x1234567ull;
  for (int i = 0; i < 4; i++) rng_next(r);
}

/* A database path in /tmp of this process's own, so that one test binary run
** from several checkouts at once does not share files. */
static inline const char *tmp_db_path(char *buf, size_t n, const char *name) {
  snprintf(buf, n, "/tmp/lode_test_%s_%d.db", name, (int)getpid());
  return buf;
}

static inline void remove_db(const char *path) {
  char side[600];
  size_t n = strlen(path);
  unlink(path);
  if (n + sizeof "-journal" > sizeof side) return;
  memcpy(side, path, n);
  memcpy(side + n, "-wal", sizeof "-wal");
  unlink(side);
  memcpy(side + n, "-journal", sizeof "-journal");
  unlink(side);
  memcpy(side + n, "-shm", sizeof "-shm"); /* a read-only connection leaves it, as SQLite's does */
  unlink(side);
}

/* First column of the first row as an integer, or -1 on error / no row. */
static inline int64_t query_int(lode *db, const char *sql) {
  lode_stmt *st = NULL;
  int64_t v = -1;
  if (lode_prepare(db, sql, -1, &st, NULL) != LODE_OK || !st) return -1;
  if (lode_step(st) == LODE_ROW) v = lode_column_int64(st, 0);
  lode_finalize(st);
  return v;
}

/* Checks every b-tree named in sqlite_schema plus the freelist with
** btree_integrity_check.  Returns the number of problems (-1 if it could not
** run); the first message goes to msg. */
static inline int check_btrees(lode *db, char *msg, size_t msgn) {
  uint32_t roots[256];
  int nroots = 0, nerr = 0, rc;
  lode_stmt *st = NULL;
  char *errs = NULL;
  msg[0] = 0;
  roots[nroots++] = 1;
  if (lode_prepare(db, "SELECT rootpage FROM sqlite_schema", -1, &st, NULL) != LODE_OK || !st) {
    snprintf(msg, msgn, "schema query: %s", lode_errmsg(db));
    return -1;
  }
  while ((rc = lode_step(st)) == LODE_ROW && nroots < 256) {
    int64_t r = lode_column_int64(st, 0);
    if (r > 1) roots[nroots++] = (uint32_t)r;
  }
  lode_finalize(st);
  if (db->txn != CONN_TXN_NONE) return 0; /* inside BEGIN: checked later */
  rc = btree_begin_read(db->bt);
  if (rc != LODE_OK) {
    snprintf(msg, msgn, "begin_read rc=%d", rc);
    return -1;
  }
  rc = btree_integrity_check(db->bt, roots, nroots, 10, &errs, &nerr);
  btree_end_read(db->bt);
  if (rc != LODE_OK) {
    snprintf(msg, msgn, "integrity_check rc=%d", rc);
    util_free(errs);
    return -1;
  }
  if (nerr > 0 && errs) snprintf(msg, msgn, "%s", errs);
  util_free(errs);
  return nerr;
}

/* Runs sql and returns its rows as "a|b\n" lines (NULL as empty; a row
** without columns, as PRAGMA incremental_vacuum gives, adds nothing, as in
** sqlite3's shell), or "ERROR <code>: <message>". The result is a static
** buffer. */
static inline const char *query(lode *db, const char *sql) {
  static char out[65536];
  size_t n = 0;
  const char *tail = sql;
  out[0] = 0;
  while (tail && *tail) {
    lode_stmt *st = NULL;
    int rc = lode_prepare(db, tail, -1, &st, &tail);
    if (rc != LODE_OK) {
      snprintf(out, sizeof out, "ERROR %d: %s", lode_extended_errcode(db), lode_errmsg(db));
      return out;
    }
    if (!st) break;
    while ((rc = lode_step(st)) == LODE_ROW) {
      int i, nc = lode_column_count(st);
      if (nc == 0) continue;
      for (i = 0; i < nc; i++) {
        const char *z = (const char *)lode_column_text(st, i);
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", i ? "|" : "", z ? z : "");
        if (n >= sizeof out) n = sizeof out - 1; /* truncated, never past the buffer */
      }
      n += (size_t)snprintf(out + n, sizeof out - n, "\n");
      if (n >= sizeof out) n = sizeof out - 1;
    }
    if (rc != LODE_DONE) {
      snprintf(out, sizeof out, "ERROR %d: %s", lode_extended_errcode(db), lode_errmsg(db));
      lode_finalize(st);
      return out;
    }
    lode_finalize(st);
  }
  return out;
}

/* Debian's sqlite3 CLI, the oracle of the interop and differential tests. */
static inline int have_sqlite3(void) { return system("sqlite3 -version >/dev/null 2>&1") == 0; }

/* Runs the sqlite3 CLI on db with sql on its standard input (written to
** the file script first); its output, errors included, goes to out.
** Returns the exit status (-1 when it could not run). */
static inline int sqlite3_cli(const char *script, const char *db, const char *sql, char *out, size_t outn) {
  char cmd[2048];
  FILE *f = fopen(script, "w");
  if (!f) return -1;
  fputs(sql, f);
  fclose(f);
  snprintf(cmd, sizeof cmd, "sqlite3 '%s' < '%s' 2>&1", db, script);
  f = popen(cmd, "r");
  if (!f) return -1;
  size_t n = fread(out, 1, outn - 1, f);
  out[n] = 0;
  return pclose(f);
}

#endif /* LODE_TESTDB_H */
