/*
** shell_sha3.c — SHA-3 (FIPS 202) for the `lode` shell: the SQL functions
** sha3(X ?,SIZE?) and sha3_query(SQL ?,SIZE?) that sqlite3's shell offers,
** and .sha3sum, which hashes the content of the database with them so that
** two databases (written by lode or by sqlite3) can be compared by a hash.
**
** The state is 25 lanes of 64 bits, lane (x, y) at st[x + 5*y], bytes taken
** little-endian into lanes.  The rate (the bytes absorbed per permutation)
** is 200 - 2*SIZE/8.  SHA-3's padding appends the bits 01 to the message,
** then 1 0* 1: the bytes 0x06 ... 0x80.
**
** sha3_query hashes, for each statement of SQL (which must only read):
** "S<n>:" and the n bytes of its text, then per row "R" and per value "N"
** (NULL), "I" or "F" and the 8 big-endian bytes of the integer or of the
** double, "T<n>:" or "B<n>:" and the n bytes of the text or blob — the
** encoding of sqlite3's shell, so that the hashes of both agree.
*/
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shell_int.h"
#include "sqlite3.h"

#define SHA3_ROUNDS 24
#define SHA3_STATE_BYTES 200

typedef struct Sha3 {
  uint64_t st[25];
  unsigned rate; /* bytes absorbed per permutation */
  unsigned pos;  /* bytes absorbed since the last one */
  unsigned size; /* digest bits: 224, 256, 384 or 512 */
} Sha3;

static uint64_t round_constants[SHA3_ROUNDS];
static unsigned rotations[25];
static int tables_ready;

/* The bit rc(t) of FIPS 202's linear feedback shift register (Algorithm 5). */
static int lfsr_bit(unsigned t) {
  unsigned r = 0x01; /* R[0] is the low bit */
  if (t % 255 == 0) return 1;
  for (unsigned i = 1; i <= t % 255; i++) {
    r <<= 1;
    if (r & 0x100) r ^= 0x171; /* R[0], R[4], R[5], R[6] ^= R[8]; R[8] dropped */
  }
  return r & 1;
}

/* The round constants (Algorithm 6) and the rotation of each lane (rho's
** walk over the lanes, Algorithm 2), derived as the standard defines them. */
static void sha3_tables(void) {
  if (tables_ready) return;
  for (unsigned i = 0; i < SHA3_ROUNDS; i++) {
    uint64_t rc = 0;
    for (unsigned j = 0; j <= 6; j++) {
      if (lfsr_bit(j + 7 * i)) rc |= (uint64_t)1 << ((1u << j) - 1);
    }
    round_constants[i] = rc;
  }
  unsigned x = 1, y = 0;
  rotations[0] = 0;
  for (unsigned t = 0; t < 24; t++) {
    rotations[x + 5 * y] = ((t + 1) * (t + 2) / 2) % 64;
    unsigned nx = y, ny = (2 * x + 3 * y) % 5;
    x = nx, y = ny;
  }
  tables_ready = 1;
}

static uint64_t rotl(uint64_t v, unsigned n) { return n ? (v << n) | (v >> (64 - n)) : v; }

/* Keccak-p[1600, 24]: theta, rho and pi, chi, iota in each round. */
static void keccak_f(uint64_t *a) {
  for (unsigned round = 0; round < SHA3_ROUNDS; round++) {
    uint64_t c[5], b[25];
    for (unsigned x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    for (unsigned x = 0; x < 5; x++) {
      uint64_t d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
      for (unsigned y = 0; y < 5; y++) a[x + 5 * y] ^= d;
    }
    for (unsigned x = 0; x < 5; x++) {
      for (unsigned y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], rotations[x + 5 * y]);
    }
    for (unsigned x = 0; x < 5; x++) {
      for (unsigned y = 0; y < 5; y++)
        a[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
    }
    a[0] ^= round_constants[round];
  }
}

static void sha3_init(Sha3 *h, unsigned size) {
  sha3_tables();
  memset(h, 0, sizeof *h);
  h->size = size;
  h->rate = SHA3_STATE_BYTES - 2 * (size / 8);
}

static void absorb_byte(Sha3 *h, unsigned char c) {
  h->st[h->pos / 8] ^= (uint64_t)c << (8 * (h->pos % 8));
  if (++h->pos == h->rate) {
    keccak_f(h->st);
    h->pos = 0;
  }
}

static void sha3_update(Sha3 *h, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++) absorb_byte(h, p[i]);
}

static void sha3_update_str(Sha3 *h, const char *z) { sha3_update(h, z, strlen(z)); }

/* Pads, permutes and writes the size/8 bytes of the digest into out. */
static void sha3_final(Sha3 *h, unsigned char *out) {
  h->st[h->pos / 8] ^= (uint64_t)0x06 << (8 * (h->pos % 8));
  h->st[(h->rate - 1) / 8] ^= (uint64_t)0x80 << (8 * ((h->rate - 1) % 8));
  keccak_f(h->st);
  for (unsigned i = 0; i < h->size / 8; i++) out[i] = (unsigned char)(h->st[i / 8] >> (8 * (i % 8)));
}

/* ---- the SQL functions ------------------------------------------------------------------- */

/* SIZE, the optional second argument: 0 after reporting a bad one. */
static unsigned digest_size(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  if (argc < 2) return 256;
  int size = sqlite3_value_int(argv[1]);
  if (size != 224 && size != 256 && size != 384 && size != 512) {
    sqlite3_result_error(ctx, "SHA3 size should be one of: 224 256 384 512", -1);
    return 0;
  }
  return (unsigned)size;
}

static void result_digest(sqlite3_context *ctx, Sha3 *h) {
  unsigned char digest[64];
  sha3_final(h, digest);
  sqlite3_result_blob(ctx, digest, (int)(h->size / 8), SQLITE_TRANSIENT);
}

/* sha3(X ?,SIZE?): the hash of a blob's bytes or of the text of any other value; NULL for NULL. */
static void sha3_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  unsigned size = digest_size(ctx, argc, argv);
  if (!size || sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
  Sha3 h;
  sha3_init(&h, size);
  size_t n;
  const void *data;
  if (sqlite3_value_type(argv[0]) == SQLITE_BLOB) data = sqlite3_value_blob(argv[0]);
  else data = sqlite3_value_text(argv[0]);
  n = (size_t)sqlite3_value_bytes(argv[0]); /* after the value took the form read */
  sha3_update(&h, data, n);
  result_digest(ctx, &h);
}

static void hash_tagged(Sha3 *h, char tag, const void *data, int n) {
  char head[32];
  snprintf(head, sizeof head, "%c%d:", tag, n);
  sha3_update_str(h, head);
  if (n > 0) sha3_update(h, data, (size_t)n);
}

static void hash_u64(Sha3 *h, char tag, uint64_t u) {
  unsigned char bytes[9];
  bytes[0] = (unsigned char)tag;
  for (int i = 8; i >= 1; i--, u >>= 8) bytes[i] = (unsigned char)(u & 0xff);
  sha3_update(h, bytes, sizeof bytes);
}

/* Hashes the rows of one prepared statement, as the header comment says. */
static void hash_rows(Sha3 *h, sqlite3_stmt *q) {
  int ncol = sqlite3_column_count(q);
  while (sqlite3_step(q) == SQLITE_ROW) {
    sha3_update(h, "R", 1);
    for (int i = 0; i < ncol; i++) {
      switch (sqlite3_column_type(q, i)) {
        case SQLITE_INTEGER: hash_u64(h, 'I', (uint64_t)sqlite3_column_int64(q, i)); break;
        case SQLITE_FLOAT: {
          double d = sqlite3_column_double(q, i);
          uint64_t u;
          memcpy(&u, &d, sizeof u);
          hash_u64(h, 'F', u);
          break;
        }
        case SQLITE_TEXT: {
          const unsigned char *z = sqlite3_column_text(q, i);
          hash_tagged(h, 'T', z, sqlite3_column_bytes(q, i));
          break;
        }
        case SQLITE_BLOB: {
          const void *z = sqlite3_column_blob(q, i);
          hash_tagged(h, 'B', z, sqlite3_column_bytes(q, i));
          break;
        }
        default: sha3_update(h, "N", 1); break;
      }
    }
  }
}

/* sha3_query(SQL ?,SIZE?): the hash of the statements of SQL and their results. */
static void sha3_query_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  const char *sql = (const char *)sqlite3_value_text(argv[0]);
  unsigned size = digest_size(ctx, argc, argv);
  if (!sql || !size) return;
  Sha3 h;
  sha3_init(&h, size);
  while (*sql) {
    sqlite3_stmt *q = NULL;
    const char *tail = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &q, &tail) != SQLITE_OK) {
      char *msg = sqlite3_mprintf("error SQL statement [%s]: %s", sql, sqlite3_errmsg(db));
      sqlite3_finalize(q);
      sqlite3_result_error(ctx, msg, -1);
      sqlite3_free(msg);
      return;
    }
    sql = tail && tail > sql ? tail : sql + strlen(sql);
    if (!q) continue; /* blanks or a comment */
    if (!sqlite3_stmt_readonly(q)) {
      char *msg = sqlite3_mprintf("non-query: [%s]", sqlite3_sql(q));
      sqlite3_finalize(q);
      sqlite3_result_error(ctx, msg, -1);
      sqlite3_free(msg);
      return;
    }
    const char *text = sqlite3_sql(q);
    if (text) hash_tagged(&h, 'S', text, (int)strlen(text));
    hash_rows(&h, q);
    sqlite3_finalize(q);
  }
  result_digest(ctx, &h);
}

void shell_register_sha3(lode *db) {
  sqlite3 *s = (sqlite3 *)(void *)db;
  int flags = SQLITE_UTF8 | SQLITE_INNOCUOUS | SQLITE_DETERMINISTIC;
  sqlite3_create_function(s, "sha3", 1, flags, NULL, sha3_func, NULL, NULL);
  sqlite3_create_function(s, "sha3", 2, flags, NULL, sha3_func, NULL, NULL);
  sqlite3_create_function(s, "sha3_query", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, sha3_query_func, NULL, NULL);
  sqlite3_create_function(s, "sha3_query", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, sha3_query_func, NULL, NULL);
}

/* ---- .sha3sum ------------------------------------------------------------------------------ */

/* The query that reads table in a fixed order, or NULL for the tables of
** SQLite not hashed (only sqlite_schema, sqlite_sequence and the statistics
** are, and those only with --schema). */
static char *table_query(const char *table, int schema) {
  if (strncmp(table, "sqlite_", 7) != 0) return sqlite3_mprintf("SELECT * FROM \"%w\" NOT INDEXED;", table);
  if (!schema) return NULL;
  if (strcmp(table, "sqlite_schema") == 0)
    return sqlite3_mprintf("SELECT type,name,tbl_name,sql FROM sqlite_schema ORDER BY name;");
  if (strcmp(table, "sqlite_sequence") == 0)
    return sqlite3_mprintf("SELECT name,seq FROM sqlite_sequence ORDER BY name;");
  if (strcmp(table, "sqlite_stat1") == 0)
    return sqlite3_mprintf("SELECT tbl,idx,stat FROM sqlite_stat1 ORDER BY tbl,idx;");
  if (strcmp(table, "sqlite_stat4") == 0)
    return sqlite3_mprintf("SELECT * FROM sqlite_stat4 ORDER BY tbl, idx, rowid;\n");
  return NULL;
}

static int sha3sum_usage(Shell *sh, const char *bad) {
  if (bad) shell_error(sh, "Unknown option \"%s\" on \"sha3sum\"", bad);
  else shell_error(sh, "Usage: .sha3sum ?OPTIONS? ?LIKE-PATTERN?");
  if (bad)
    fprintf(sh->out, ".sha3sum ?OPTIONS? ?LIKE-PATTERN?\n"
                     "  --schema      include sqlite_schema (and sqlite_sequence, sqlite_stat1)\n"
                     "  --sha3-224, --sha3-256, --sha3-384, --sha3-512   the digest size (224 by default)\n"
                     "  --debug       print the query instead of running it\n"
                     "  LIKE-PATTERN  one hash for each table whose name matches\n");
  return 1;
}

/* .sha3sum ?OPTIONS? ?LIKE-PATTERN?: one hash of the content of the main
** database's tables (in the order of their lower-case names), or with a
** pattern one per matching table, computed by sha3_query exactly as
** sqlite3's .sha3sum computes it, so that the two shells agree on the
** hash of the same content. */
int shell_dot_sha3sum(Shell *sh, ShellArgs *a) {
  const char *like = NULL;
  int schema = 0, debug = 0, size = 224;
  for (int i = 1; i < a->argc; i++) {
    const char *z = a->argv[i];
    if (z[0] == '-') {
      z += z[1] == '-' ? 2 : 1;
      if (strcmp(z, "schema") == 0) schema = 1;
      else if (strcmp(z, "debug") == 0) debug = 1;
      else if (strncmp(z, "sha3-", 5) == 0 && (atoi(z + 5) == 224 || atoi(z + 5) == 256 || atoi(z + 5) == 384 ||
                                                atoi(z + 5) == 512) && strlen(z) == 8)
        size = atoi(z + 5);
      else return sha3sum_usage(sh, a->argv[i]);
    } else if (like) {
      return sha3sum_usage(sh, NULL);
    } else {
      like = z;
    }
  }
  sqlite3 *db = (sqlite3 *)(void *)sh->db;
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(db, "SELECT lower(name) AS tname FROM sqlite_schema WHERE type='table' AND "
                             "coalesce(rootpage,0)>1 UNION ALL SELECT 'sqlite_schema' ORDER BY 1 COLLATE nocase",
                         -1, &q, NULL) != SQLITE_OK) {
    shell_error(sh, "Error: %s", sqlite3_errmsg(db));
    return 1;
  }
  ShellBuf rows = {0}, sql = {0};
  while (sqlite3_step(q) == SQLITE_ROW) {
    const char *table = (const char *)sqlite3_column_text(q, 0);
    if (!table || (like && sqlite3_strlike(like, table, 0) != 0)) continue;
    char *query = table_query(table, schema);
    if (!query) continue;
    char *row = sqlite3_mprintf("%s(%Q,%Q)", rows.n ? "," : "", query, table);
    shell_buf_appendz(&rows, row);
    sqlite3_free(row);
    sqlite3_free(query);
  }
  sqlite3_finalize(q);
  /* with no table the query is sqlite3's too, and fails as its does */
  if (rows.n) shell_buf_printf(&sql, "WITH [sha3sum$query](a,b) AS(VALUES%s)", rows.z);
  else shell_buf_appendz(&sql, "WITH [sha3sum$query](a,b) AS())");
  if (rows.oom) sql.oom = 1;
  shell_buf_free(&rows);
  if (like)
    shell_buf_printf(&sql, " SELECT lower(hex(sha3_query(a,%d))) AS hash, b AS label   FROM [sha3sum$query]", size);
  else shell_buf_printf(&sql, " SELECT lower(hex(sha3_query(group_concat(a,''),%d))) AS hash   FROM [sha3sum$query]",
                        size);
  int rc = 0;
  if (sql.oom) {
    shell_error(sh, "Error: out of memory");
    rc = 1;
  } else if (debug) {
    fprintf(sh->out, "%s\n", sql.z);
  } else {
    rc = shell_run_sql(sh, sql.z);
  }
  shell_buf_free(&sql);
  return rc;
}
