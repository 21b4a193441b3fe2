/*
** value.h — SQL values (Mem) and records in SQLite's record format.
**
** A Mem holds one value of one storage class: NULL, INTEGER (int64), REAL
** (double), TEXT (UTF-8, not necessarily NUL-terminated in .z; n bytes) or
** BLOB.  Text/blob bytes are owned (MEM_DYN, freed by mem_release) or
** borrowed (MEM_EPHEM: valid until the source moves; mem_make_owned copies).
**
** Record format (SQLite): varint header size, then one varint serial type per
** column, then the bodies.  Serial types: 0 NULL, 1..6 big-endian ints of
** 1,2,3,4,6,8 bytes, 7 IEEE-754 big-endian double, 8 integer 0, 9 integer 1,
** N>=12 even: blob of (N-12)/2 bytes, N>=13 odd: text of (N-13)/2 bytes.
**
** Comparison follows SQLite: NULL < numbers (INTEGER and REAL compared by
** value) < TEXT (by collation) < BLOB (memcmp).  Arithmetic overflows from
** INTEGER to REAL.  Affinity conversion on store as in SQLite's
** "Datatypes In SQLite" document.
*/
#ifndef LODE_VALUE_H
#define LODE_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lode.h"
#include "util/util.h"

/* Storage classes: lode.h's numbering. */
#define MEM_INT LODE_INTEGER
#define MEM_REAL LODE_FLOAT
#define MEM_TEXT LODE_TEXT
#define MEM_BLOB LODE_BLOB
#define MEM_NULL LODE_NULL
/* Internal to the VM: an aggregate accumulator; z points at a zeroed context of n bytes (MEM_DYN). */
#define MEM_AGG 6

/* Ownership of z. */
#define MEM_STATIC 0 /* z points at constant data that outlives the Mem (or z unused) */
#define MEM_DYN 1    /* z was util_malloc'd and belongs to this Mem */
#define MEM_EPHEM 2  /* z borrowed from a page/buffer that may change */

/* The subtype of a NULL that stands for a virtual table's column an UPDATE
** does not set and whose value the module did not give (OP_VColumn, p5):
** sqlite3_value_nochange() is true of it. */
#define MEM_SUBTYPE_NOCHANGE 0x4E

typedef struct Mem {
  uint8_t type;  /* MEM_NULL .. MEM_BLOB */
  uint8_t owner; /* MEM_STATIC, MEM_DYN, MEM_EPHEM */
  /* 0, or 'J' for text a JSON function produced (func/json.h): other JSON
  ** functions embed such text as JSON.  Copies keep it; every new value
  ** written into a register (and so every stored value) starts at 0. */
  uint8_t subtype;
  union {
    int64_t i;
    double r;
  } u;
  char *z;   /* TEXT/BLOB bytes; for TEXT, owned copies keep a NUL at z[n] */
  int n;     /* bytes in z */
  /* Cached text rendering of a number for column_text(); NULL until asked. */
  char *ztext;
} Mem;

/* Column affinities (SQLite's). */
#define AFF_NONE 'A'    /* BLOB affinity */
#define AFF_TEXT 'B'
#define AFF_NUMERIC 'C'
#define AFF_INTEGER 'D'
#define AFF_REAL 'E'
char value_affinity_of_type(const char *decltype_); /* SQLite's 5 rules; NULL → AFF_NONE */

/* Collations. */
#define COLL_BINARY 0
#define COLL_NOCASE 1
#define COLL_RTRIM 2
/* Application-defined collations (collation.c): ids COLL_USER_FIRST..COLL_MAX
** name collations process-wide; each connection's CollSet holds its functions. */
#define COLL_USER_FIRST 3
#define COLL_MAX 255
typedef int (*CollCompare)(void *arg, int na, const void *a, int nb, const void *b);
typedef struct CollSet CollSet;
/* The id of a collation name (case-insensitive; NULL is BINARY): a built-in,
** or a name some connection defined; -1 otherwise. */
int coll_by_name(const char *name);
/* The id of name for a connection (set may be NULL): a name it defines, or
** a built-in; otherwise the set's needed callback may define it; -1. */
int coll_lookup(CollSet *set, const char *name);
const char *coll_name_of(int id); /* "BINARY" for an unknown id */
CollSet *coll_set_new(void);      /* NULL on oom */
void coll_set_free(CollSet *set); /* runs the destructors */
/* The callback coll_lookup calls for a name the set lacks (collation_needed). */
void coll_set_needed(CollSet *set, void (*needed)(void *ctx, const char *name), void *ctx);
/* Defines or redefines name in set (cmp NULL: removes it); destroy(arg)
** runs when the definition is replaced or dropped (at once if it fails).
** Returns the id, or -1 when the name table is full or memory is short. */
int coll_define(CollSet *set, const char *name, CollCompare cmp, void *arg, void (*destroy)(void *));
/* The ids of the collations set defines, latest named first (PRAGMA
** collation_list's order), up to max of them in ids; returns how many. */
int coll_set_defined(const CollSet *set, int *ids, int max);
/* Makes set the thread's current one for comparisons (NULL: none); returns
** the previous one, which coll_leave restores. */
const CollSet *coll_enter(const CollSet *set);
void coll_leave(const CollSet *prev);
/* Orders two texts by user collation id with the current set's function:
** 1 and *result, or 0 when the set does not define id (then compare by
** coll_fallback(id): the built-in of the same name, or BINARY). */
int coll_user_compare(int id, const char *a, int na, const char *b, int nb, int *result);
int coll_fallback(int id);

void mem_release(Mem *m);     /* frees owned bytes; becomes NULL */
/* NULL, nothing owned.  Inline, as mem_set_int: both run per row in the
** VM's and the functions' hot paths. */
static inline void mem_init(Mem *m) {
  m->type = MEM_NULL;
  m->owner = MEM_STATIC;
  m->subtype = 0;
  m->u.i = 0;
  m->z = NULL;
  m->n = 0;
  m->ztext = NULL;
}
void mem_set_null(Mem *m);
/* Readies m for a number: what it owns released, or (the usual case, no
** call) its text fields cleared in place. */
static inline void mem_forget_for_number(Mem *m) {
  if (m->owner == MEM_DYN || m->ztext) {
    mem_release(m);
  } else {
    m->owner = MEM_STATIC;
    m->subtype = 0;
    m->z = NULL;
    m->n = 0;
  }
}
static inline void mem_set_int(Mem *m, int64_t v) {
  mem_forget_for_number(m);
  m->type = MEM_INT;
  m->u.i = v;
}
/* NaN becomes NULL, as SQL has no NaN. */
static inline void mem_set_real(Mem *m, double v) {
  mem_forget_for_number(m);
  if (__builtin_isnan(v)) {
    m->type = MEM_NULL;
    m->u.i = 0;
    return;
  }
  m->type = MEM_REAL;
  m->u.r = v;
}
/* Copies the bytes (owned) unless own == MEM_STATIC/EPHEM, in which case z is borrowed. */
int mem_set_text(Mem *m, const char *z, int n, int own); /* n < 0: strlen */
int mem_set_blob(Mem *m, const void *z, int n, int own);
int mem_set_zeroblob(Mem *m, int n);
/* Takes ownership of a util_malloc'd buffer. */
void mem_take_text(Mem *m, char *z, int n);
int mem_copy(Mem *dst, const Mem *src);     /* deep copy */
void mem_move(Mem *dst, Mem *src);          /* src becomes NULL */
int mem_make_owned(Mem *m);                 /* EPHEM → DYN */

/* Conversions without changing m (as sqlite3_value_int64/double/text do). */
int64_t mem_as_int(const Mem *m);
double mem_as_real(const Mem *m);
int mem_is_true(const Mem *m);  /* numeric value != 0; NULL is false — caller handles NULL separately */
/* Text rendering (REAL as SQLite 3.53 does, util_render_real).  Returns NUL-terminated text valid until m
** changes; NULL only on oom.  For NULL, returns NULL with *oom = 0. */
const char *mem_as_text(Mem *m, int *oom);

/* Text view of a value without allocating: TEXT/BLOB bytes in place,
** numbers rendered into buf (MEM_TEXT_VIEW_BUF bytes), NULL as "". */
#define MEM_TEXT_VIEW_BUF 32

/* SQLite's default SQLITE_MAX_LENGTH: a string, blob or record longer than
** this is TOOBIG, checked before it is built. */
#define VALUE_MAX_LENGTH 1000000000
void mem_text_view(const Mem *m, char *buf, const char **z, int *n);

/* In-place conversions (CAST and affinities). */
int mem_apply_affinity(Mem *m, char affinity);
int mem_cast(Mem *m, char affinity); /* CAST(x AS type) rules */
/* Numeric value of m for arithmetic: INTEGER/REAL stay; TEXT/BLOB parsed by
** the longest-prefix rule; NULL stays NULL. */
void mem_numeric_value(const Mem *m, Mem *out);

int mem_compare(const Mem *a, const Mem *b, int coll); /* total order described above */
/* mem_compare under NUMERIC (INTEGER, REAL) affinity, as a comparison
** applies it: a TEXT operand that is a well-formed number compares as that
** number; neither operand changes. */
int mem_compare_numeric(const Mem *a, const Mem *b, int coll);

/* Arithmetic (NULL in → NULL out).  Division by zero → NULL.  Integer
** overflow → REAL.  op: '+', '-', '*', '/', '%'. */
int mem_arith(int op, const Mem *a, const Mem *b, Mem *out);
int mem_concat(const Mem *a, const Mem *b, Mem *out);
int mem_negate(const Mem *a, Mem *out);

/* ---- records ------------------------------------------------------------ */
uint32_t record_serial_type(const Mem *m, uint32_t *len); /* *len = body bytes */
/* Body bytes of a serial type (inline: every header parse and compare asks). */
static inline uint32_t record_serial_len(uint64_t serial_type) {
  static const uint8_t fixed[12] = {0, 1, 2, 3, 4, 6, 8, 8, 0, 0, 0, 0};
  if (serial_type >= 12) {
    uint64_t len = (serial_type - 12) / 2;
    return len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
  }
  return fixed[serial_type];
}
/* The integer body of serial type 1..6 (big-endian two's complement). */
static inline int64_t record_int_body(uint64_t type, const uint8_t *b) {
  switch (type) {
  case 1: return (int8_t)b[0];
  case 2: return (int16_t)(((uint32_t)b[0] << 8) | b[1]);
  case 3: return (int32_t)(((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8)) >> 8;
  case 4: return (int32_t)(((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3]);
  case 5: return (int64_t)(((uint64_t)(int64_t)(int16_t)(((uint32_t)b[0] << 8) | b[1]) << 32) | util_get4(b + 2));
  default: return (int64_t)util_get8(b);
  }
}

/* Writes the body of m, of the serial type record_serial_type gives it, at p;
** returns its length. */
uint32_t record_put_value(uint8_t *p, const Mem *m);
/* Encodes n values into a new util_malloc'd buffer. */
int record_encode(const Mem *vals, int n, uint8_t **out, uint32_t *out_len);
/* Decodes one body of the given serial type into m (EPHEM for text/blob
** pointing into buf).  Returns bytes consumed. */
uint32_t record_decode_value(const uint8_t *buf, uint64_t serial_type, Mem *m);

/* A parsed record header: offsets of each column body inside the record. */
typedef struct RecordHeader {
  int ncol;          /* fields parsed so far (all of them once next == header_size) */
  uint32_t header_size;
  uint64_t *types;   /* ncol serial types */
  uint32_t *offsets; /* ncol body offsets from the record start */
  int cap;           /* room in types/offsets: at least one per header byte after a parse starts */
  uint32_t next;     /* header byte where parsing resumes (== header_size: complete) */
  uint64_t body;     /* body offset of the next field to parse */
  int want;          /* the highest field a reader of these records has asked for: a new
                        record is parsed that far at once rather than field by field */
} RecordHeader;
void record_header_init(RecordHeader *h);
void record_header_free(RecordHeader *h);
/* Parses the header of a record whose first avail bytes are at p (total size
** total).  LODE_CORRUPT on a malformed header. */
int record_header_parse(RecordHeader *h, const uint8_t *p, uint32_t avail, uint32_t total);
/* Body bytes of the serial types below 128 (one header byte each); the
** reserved types 10 and 11 map to 2^40, which no record can hold, so the
** bounds check after a parse rejects them without a test per field. */
extern const uint64_t record_small_len[128];
/* Makes room for need fields in h (LODE_NOMEM). */
int record_header_reserve(RecordHeader *h, uint64_t need);
/* Starts a lazy parse of a record of total bytes whose header is hs bytes
** (its size varint k bytes; the caller checked k <= hs <= the bytes it has):
** no field is parsed yet, and there is room for all of them (every field
** takes at least one header byte).  record_header_extend then parses fields
** on demand: a row read for its first columns skips the rest of its header. */
static inline int record_header_start(RecordHeader *h, uint64_t hs, int k, uint32_t total) {
  h->ncol = 0;
  h->header_size = (uint32_t)hs;
  h->next = (uint32_t)k;
  h->body = hs;
  if (hs == (uint64_t)k) {
    /* no fields: nothing else would check the size */
    if (hs != total) return h->next = h->header_size = 0, LODE_CORRUPT;
    return LODE_OK;
  }
  if (hs - (uint64_t)k > (uint64_t)h->cap) {
    int rc = record_header_reserve(h, hs - (uint64_t)k);
    if (rc != LODE_OK) return h->next = h->header_size = 0, rc;
  }
  return LODE_OK;
}
/* Parses fields until field col is known or the header ends; the caller
** checked that some are left (next < header_size) and col >= ncol.  The
** fields parsed so far must end within total; once the header is complete
** they must fill it exactly (as record_header_parse requires).  On error h
** is left as it was. */
static inline int record_header_extend(RecordHeader *h, const uint8_t *p, uint32_t total, int col) {
  const uint8_t *q = p + h->next, *end = p + h->header_size;
  uint64_t body = h->body;
  uint64_t *types = h->types;
  uint32_t *offsets = h->offsets;
  int n = h->ncol;
  do {
    uint64_t type = *q, len;
    if (type < 0x80) {
      q++;
      len = record_small_len[type];
    } else {
      int used = util_varint_get_bounded(q, end, &type);
      if (used == 0) return LODE_CORRUPT;
      q += used;
      len = type < 128 ? record_small_len[type] : (type - 12) >> 1;
    }
    types[n] = type;
    offsets[n] = (uint32_t)body;
    body += len;
    n++;
  } while (n <= col && q < end);
  if (q == end ? body != total || body > 0x7fffffffu : body > total) return LODE_CORRUPT;
  h->ncol = n;
  h->next = (uint32_t)(q - p);
  h->body = body;
  return LODE_OK;
}

/* ---- key order (keyinfo.c) ------------------------------------------------ */
/* Per key column: direction, collation, NULL placement.  Columns past nkey
** (an index entry's trailing rowid) compare ascending, BINARY, NULLs first. */
typedef struct KeyInfo {
  int nkey;
  uint8_t *desc;       /* nkey flags */
  uint8_t *coll;       /* nkey COLL_* */
  uint8_t *nulls_last; /* nkey flags: NULLS LAST (default: NULLs first for ASC, last for DESC) */
} KeyInfo;
KeyInfo *keyinfo_new(int n); /* n ascending BINARY keys, NULLs first; NULL on oom */
void keyinfo_free(KeyInfo *k);
/* Orders decoded keys a and b on columns from..n-1. */
int keyinfo_compare(const KeyInfo *k, const Mem *a, const Mem *b, int from, int n);
/* record_compare's whole walk over the fields (below). */
int record_compare_fields(const KeyInfo *k, const uint8_t *rec, uint32_t size, const Mem *key, int nkey, int *cmp);

/* The common pairs of a record field against a key value, without decoding
** into a Mem: an integer field against an integer key, a REAL against a
** REAL, a text field against a text key under BINARY, a blob against a
** blob.  Returns 0 when the pair is not one of them; else sets *c to the
** field's order against the key (before the direction). */
static inline int record_field_cmp_fast(uint64_t type, const uint8_t *body, uint32_t len, const Mem *key, int coll,
                                        int *c) {
  if (key->type == MEM_INT && type >= 1 && type <= 9 && type != 7) {
    int64_t v = type >= 8 ? (int64_t)type - 8 : record_int_body(type, body);
    *c = v < key->u.i ? -1 : v > key->u.i;
    return 1;
  }
  if (key->type == MEM_REAL && type == 7) {
    uint64_t bits = util_get8(body);
    double v;
    memcpy(&v, &bits, sizeof v);
    if (v != v) return 0; /* a stored NaN reads as NULL */
    *c = v < key->u.r ? -1 : v > key->u.r;
    return 1;
  }
  if (key->type == MEM_TEXT && type >= 13 && (type & 1) && coll == COLL_BINARY) {
    uint32_t kn = (uint32_t)key->n, n = len < kn ? len : kn;
    int r = n ? memcmp(body, key->z, n) : 0;
    *c = r ? (r < 0 ? -1 : 1) : (len < kn ? -1 : len > kn);
    return 1;
  }
  if (key->type == MEM_BLOB && type >= 12 && !(type & 1)) { /* bytes in order, whatever the collation */
    uint32_t kn = (uint32_t)key->n, n = len < kn ? len : kn;
    int r = n ? memcmp(body, key->z, n) : 0;
    *c = r ? (r < 0 ? -1 : 1) : (len < kn ? -1 : len > kn);
    return 1;
  }
  return 0;
}

/* Orders the record rec (size bytes, complete) against the decoded key[0..nkey)
** into *cmp; a record with fewer columns than nkey compares equal on what it
** has.  LODE_CORRUPT for a malformed record.
**
** Inline because it runs for every cell a seek probes: most probes are
** decided by the first field, and most records start with a one-byte header
** size, so the first field's order is found here without a call or a walk
** of the header; a tie or any other shape goes to record_compare_fields. */
static inline int record_compare(const KeyInfo *k, const uint8_t *rec, uint32_t size, const Mem *key, int nkey,
                                 int *cmp) {
  if (nkey > 0 && size >= 2 && rec[0] >= 2 && rec[0] < 0x80 && rec[0] <= size) {
    uint32_t hsize = rec[0];
    uint64_t type;
    int c;
    if (util_varint_get_bounded(rec + 1, rec + hsize, &type) > 0) {
      uint32_t len = record_serial_len(type);
      int in_key = k->nkey > 0;
      /* Decided by the first field, or equal on the only one compared. */
      if (len <= size - hsize &&
          record_field_cmp_fast(type, rec + hsize, len, key, in_key ? k->coll[0] : COLL_BINARY, &c) &&
          (c || nkey == 1)) {
        *cmp = in_key && k->desc[0] ? -c : c;
        return LODE_OK;
      }
    }
  }
  return record_compare_fields(k, rec, size, key, nkey, cmp);
}

#endif /* LODE_VALUE_H */
