/* lode_wasm.c — exports of the wasm build only, for js/wasm-driver.mjs: each
 * folds what would be several calls across the JS/wasm boundary (each with
 * its argument conversions) into one.  Built on the public API (lode.h).
 *
 *   lodew_bind       binds every parameter from a slot array: one call per
 *                    run instead of one per parameter, and a Number binds
 *                    as INTEGER without a BigInt made for it.
 *   lodew_step_row   steps, and on a row writes its columns into a slot
 *                    array (lodew_row): one call per row instead of two or
 *                    three per column.
 *   lodew_run        steps to the end, resets, and reports changes and the
 *                    last rowid as doubles: one call per run().
 *
 * A slot is 16 bytes: int32 tag, int32 byte count, 8-byte value.  Tags are
 * the LODE_* fundamental types, except that an integer stored as int64 is
 * LODEW_BIGINT (a row's INTEGER outside ±(2^53 - 1), which JS reads as a
 * BigInt; a bound BigInt); otherwise an INTEGER or FLOAT is a double (a
 * bound INTEGER's is integral and within [-2^63, 2^63), so it converts
 * exactly).  TEXT and BLOB put their pointer in the value's first four
 * bytes: a row's is valid until the statement steps or resets; a bound one's
 * bytes are copied (LODE_TRANSIENT). */
#include <stdint.h>
#include <string.h>

#include "lode.h"

#define LODEW_BIGINT 6
#define MAX_EXACT ((lode_int64)9007199254740991) /* 2^53 - 1 */

typedef struct {
  int32_t tag;
  int32_t bytes;
  union {
    double f;
    lode_int64 i;
    uint32_t p;
  } v;
} lodew_slot;

_Static_assert(sizeof(lodew_slot) == 16, "JS reads slots as 16 bytes");

/* Binds parameters 1..n from slots[0..n-1]; the first failure's code. */
int lodew_bind(lode_stmt *stmt, const lodew_slot *slots, int n) {
  for (int i = 0; i < n; i++) {
    const lodew_slot *s = &slots[i];
    const void *p = (const void *)(uintptr_t)s->v.p;
    int rc;
    switch (s->tag) {
    case LODE_INTEGER:
      rc = lode_bind_int64(stmt, i + 1, (lode_int64)s->v.f);
      break;
    case LODEW_BIGINT:
      rc = lode_bind_int64(stmt, i + 1, s->v.i);
      break;
    case LODE_FLOAT:
      rc = lode_bind_double(stmt, i + 1, s->v.f);
      break;
    case LODE_TEXT:
      rc = lode_bind_text(stmt, i + 1, p, s->bytes, LODE_TRANSIENT);
      break;
    case LODE_BLOB:
      rc = lode_bind_blob(stmt, i + 1, p, s->bytes, LODE_TRANSIENT);
      break;
    default:
      rc = lode_bind_null(stmt, i + 1);
      break;
    }
    if (rc != LODE_OK) return rc;
  }
  return LODE_OK;
}

/* Writes the current row's first min(count, cap) columns into slots; returns
 * the statement's column count (a re-prepare may have changed it). */
int lodew_row(lode_stmt *stmt, lodew_slot *slots, int cap) {
  int n = lode_column_count(stmt);
  int m = n < cap ? n : cap;
  for (int i = 0; i < m; i++) {
    lodew_slot *s = &slots[i];
    int type = lode_column_type(stmt, i);
    s->tag = type;
    s->bytes = 0;
    switch (type) {
    case LODE_INTEGER: {
      lode_int64 x = lode_column_int64(stmt, i);
      if (x > MAX_EXACT || x < -MAX_EXACT) {
        s->tag = LODEW_BIGINT;
        s->v.i = x;
      } else {
        s->v.f = (double)x;
      }
      break;
    }
    case LODE_FLOAT:
      s->v.f = lode_column_double(stmt, i);
      break;
    case LODE_TEXT:
      /* text before bytes: the byte count is then that of the UTF-8 form */
      s->v.i = 0;
      s->v.p = (uint32_t)(uintptr_t)lode_column_text(stmt, i);
      s->bytes = lode_column_bytes(stmt, i);
      break;
    case LODE_BLOB:
      s->v.i = 0;
      s->v.p = (uint32_t)(uintptr_t)lode_column_blob(stmt, i);
      s->bytes = lode_column_bytes(stmt, i);
      break;
    default:
      s->v.i = 0;
      break;
    }
  }
  return n;
}

/* lode_step; on LODE_ROW also lodew_row into slots, the column count in
 * *count. */
int lodew_step_row(lode_stmt *stmt, lodew_slot *slots, int cap, int *count) {
  int rc = lode_step(stmt);
  if (rc == LODE_ROW) *count = lodew_row(stmt, slots, cap);
  return rc;
}

/* Steps to the end.  On LODE_DONE the statement is reset and out[0] is the
 * rows it changed (0 when the total did not move: lode_changes keeps the
 * last data-changing statement's count), out[1] the last insert rowid.  On
 * an error the statement is left as it failed, for its message. */
int lodew_run(lode_stmt *stmt, double *out) {
  lode *db = lode_db_handle(stmt);
  lode_int64 before = lode_total_changes(db);
  int rc;
  while ((rc = lode_step(stmt)) == LODE_ROW) {
  }
  if (rc != LODE_DONE) return rc;
  lode_reset(stmt);
  out[0] = lode_total_changes(db) == before ? 0 : (double)lode_changes(db);
  out[1] = (double)lode_last_insert_rowid(db);
  return rc;
}
