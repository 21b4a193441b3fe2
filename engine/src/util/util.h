/*
** util.h — small shared helpers: allocation (with a fault-injection hook),
** SQLite varints and big-endian integers, growable strings, arenas, number
** rendering and parsing the way SQLite does it, UTF-8 helpers.
**
** Invariants: every allocation in the engine goes through util_malloc and
** friends so that tests can make the N-th allocation fail; StrBuf keeps a
** NUL after its contents and records the first allocation failure in .oom
** instead of failing each append.
*/
#ifndef LODE_UTIL_H
#define LODE_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* ---- allocation ---------------------------------------------------------- */
void *util_malloc(size_t n);
void *util_zalloc(size_t n);
void *util_realloc(void *p, size_t n);
/* Bytes usable in p (from util_malloc/realloc): at least what was asked, or
** 0 where the C library cannot tell.  A buffer refilled with values of
** varying size grows in place without a realloc call while they fit. */
size_t util_alloc_usable(void *p);
void util_free(void *p);
char *util_strdup(const char *z);
char *util_strndup(const char *z, size_t n);
/* Fault injection for tests: the n-th allocation from now (1 = next) and,
** when repeat is set, every later one fails.  n = 0 switches it off. */
void util_fail_alloc_after(int n, int repeat);
/* Whether a failure is pending (caches of freed memory then allocate afresh, so that the failure hits them too). */
int util_alloc_faults_armed(void);

/* ---- the error log (SQLITE_CONFIG_LOG) ----------------------------------- */
/* The process's logger (NULL: none); util_log tells it msg with a result code. */
void util_set_logger(void (*fn)(void *, int, const char *), void *arg);
int util_logging(void);
void util_log(int code, const char *msg);

/* ---- varints (SQLite format: 1..9 bytes, big-endian, 9th byte has 8 bits) */
#define UTIL_VARINT_MAX 9
int util_varint_put(uint8_t *p, uint64_t v);         /* returns bytes written */
int util_varint_get(const uint8_t *p, uint64_t *v);  /* returns bytes read */
/* Like util_varint_get but never reads at or past end; returns 0 if truncated.
** The one- and two-byte cases (serial types of text up to 8185 bytes, most
** header sizes) are inline. */
int util_varint_get_bounded_long(const uint8_t *p, const uint8_t *end, uint64_t *v);
static inline int util_varint_get_bounded(const uint8_t *p, const uint8_t *end, uint64_t *v) {
  if (p < end && p[0] < 0x80) {
    *v = p[0];
    return 1;
  }
  if (end - p >= 2 && p[1] < 0x80) {
    *v = ((uint64_t)(p[0] & 0x7f) << 7) | p[1];
    return 2;
  }
  return util_varint_get_bounded_long(p, end, v);
}
int util_varint_len(uint64_t v);

/* ---- big-endian fixed-width integers ------------------------------------- */
static inline uint16_t util_get2(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static inline uint32_t util_get4(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
/* Written out byte by byte so that compilers turn it into one load and a byte swap. */
static inline uint64_t util_get8(const uint8_t *p) {
  return ((uint64_t)p[0] << 56) | ((uint64_t)p[1] << 48) | ((uint64_t)p[2] << 40) | ((uint64_t)p[3] << 32) |
         ((uint64_t)p[4] << 24) | ((uint64_t)p[5] << 16) | ((uint64_t)p[6] << 8) | p[7];
}
static inline void util_put2(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void util_put4(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* ---- growable strings ---------------------------------------------------- */
typedef struct StrBuf {
  char *z;    /* NUL-terminated when n > 0 or after any append */
  size_t n;   /* bytes used, excluding the NUL */
  size_t cap; /* bytes allocated */
  int oom;    /* set once an allocation failed; later appends are no-ops */
} StrBuf;
void strbuf_init(StrBuf *b);
void strbuf_append(StrBuf *b, const void *p, size_t n);
void strbuf_appendz(StrBuf *b, const char *z);
void strbuf_appendc(StrBuf *b, char c);
/* Makes room for extra more bytes plus the NUL, the contents unchanged (a
** writer then fills b->z + b->n directly); returns 0 on oom. */
int strbuf_reserve(StrBuf *b, size_t extra);
void strbuf_printf(StrBuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
char *strbuf_finish(StrBuf *b); /* hands the buffer over (NULL on oom); b is reset */
void strbuf_reset(StrBuf *b);   /* frees */
/* printf into a fresh util_malloc'd string (NULL on oom). */
char *util_mprintf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* ---- arenas: bump allocation, freed all at once --------------------------- */
typedef struct ArenaBlock ArenaBlock;
typedef struct Arena {
  ArenaBlock *head;
  int oom;
} Arena;
void arena_init(Arena *a);
void *arena_alloc(Arena *a, size_t n); /* zeroed, 8-byte aligned; NULL on oom */
void *arena_alloc_raw(Arena *a, size_t n); /* the same, not zeroed (for a large struct its user clears) */
char *arena_strndup(Arena *a, const char *z, size_t n);
void arena_free(Arena *a);

/* ---- numbers as SQLite renders and parses them ---------------------------- */
/* Renders a REAL as SQLite 3.53 does for text output (CAST, quote(), JSON,
** sqlite3_column_text): "%!.17g" with SQLite's own digit arithmetic, which
** keeps fewer digits when they read back as the same double (0.1, not
** 0.10000000000000001), always a decimal point (1.0, 1.0e+17); -0.0 renders
** as "0.0"; "Inf", "-Inf", "NaN".  buf must hold UTIL_REAL_TEXT_MAX + 1
** bytes; returns the length (real_text.c). */
#define UTIL_REAL_TEXT_MAX 31
int util_render_real(double r, char *buf);
/* The digits of |r| (finite) as SQLite 3.53 rounds them for text and printf
** (real_text.c): at significant digit round_at when it is positive, at
** -round_at places after the decimal point when it is not, never past
** max_sig significant digits (UTIL_REAL_SIG_DIGITS for printf,
** UTIL_REAL_ALT_SIG_DIGITS for its '!' flag and REAL-to-text).  Writes them to
** out (UTIL_REAL_DECIMAL_MAX bytes, no NUL, no trailing zeros) and the
** position of the decimal point to *dp (|r| ~ 0.DIGITS * 10^dp); returns their
** count.  0.0 is the one digit "0" with *dp = 1. */
#define UTIL_REAL_DECIMAL_MAX 21
#define UTIL_REAL_SIG_DIGITS 16
#define UTIL_REAL_ALT_SIG_DIGITS 26
int util_real_decode(double r, int round_at, int max_sig, char *out, int *dp);
/* d * 10^p as SQLite 3.53's text-to-REAL conversion computes it from the
** (at most 19 or 20) digits it keeps. */
double util_decimal_to_real(uint64_t d, int p);
/* "%!.15g" as SQLite 3.53 prints it (a bound REAL in expanded SQL): 15
** significant digits with its rounding, fixed notation for exponents -4..14,
** trailing zeros dropped but always a point ("1.0", "1.0e+20"). */
int util_render_real15(double r, char *buf);
int util_render_int(int64_t v, char *buf); /* buf must hold 21 bytes */
/* The decimal digits of v written backwards ending just before end (at
** most 20); returns the first one. */
char *util_u64_digits(uint64_t v, char *end);
/* Numeric text as SQLite 3.53 reads it (num.c): its REAL reading
** (sqlite3AtoF: about 19 significant digits kept, its own decimal-to-binary
** arithmetic, a NUL byte ends the text) and its INTEGER reading (sqlite3Atoi64,
** over all n bytes) in one pass.  util_num_read sets out->r to the REAL value
** of the numeric prefix (0.0 if none), out->i to the integer when
** UTIL_NUM_INT is set, and returns the flags (also in out->flags). */
#define UTIL_NUM_PREFIX 1    /* the text begins, after white space, with a number */
#define UTIL_NUM_REAL 2      /* that number has a decimal point or an exponent */
#define UTIL_NUM_COMPLETE 4  /* only white space follows it, up to the end or a NUL byte */
#define UTIL_NUM_INT 8       /* not REAL, and its digits fit in int64 (or there are none: i is 0) */
#define UTIL_NUM_INT_ALONE 16 /* INT with digits, and nothing but white space after them in all n bytes */
typedef struct UtilNum {
  double r;
  int64_t i;
  int flags;
} UtilNum;
int util_num_read(const char *z, size_t n, UtilNum *out);
/* A REAL as SQLite converts it to an integer: truncated, saturated at the int64 bounds. */
int64_t util_real_to_int(double r);
/* Whether r, which converts to the integer i, is that integer for SQLite's
** affinities: zero, or equal to it and inside +-2^51. */
int util_real_same_as_int(double r, int64_t i);
/* Parses text as a number the way SQLite's affinity conversion does.
** Returns 0 if z[0..n) is not a well-formed number (leading/trailing spaces
** allowed), 1 if it is an integer that fits in int64 (*pi set), 2 if it is a
** real (*pr set; also for integers too large for int64). */
int util_parse_number(const char *z, size_t n, int64_t *pi, double *pr);
/* The longest numeric prefix, as CAST(text AS INTEGER/REAL) reads it. */
int64_t util_text_to_int_prefix(const char *z, size_t n);
double util_text_to_real_prefix(const char *z, size_t n);
/* The longest numeric prefix as arithmetic reads text ('12abc' + 0 is 12,
** '1e3' + 0 is 1000.0): 1 with *pi set when the prefix has integer syntax
** and fits in int64 (also 0 for text with no digits; a whole number must
** fit to the very end), else 2 with *pr. */
int util_text_to_number_prefix(const char *z, size_t n, int64_t *pi, double *pr);

/* Whether the digits z (leading zeros allowed) are 9223372036854775808: the
** magnitude of INT64_MIN, which a minus sign before it makes an INTEGER. */
int util_is_int64_min_digits(const char *z);

/* ---- UTF-8 ----------------------------------------------------------------- */
/* Characters in z[0..n), split as str.c's header says. */
size_t util_utf8_char_count(const char *z, size_t n);
/* The character at *pz (< end), advancing *pz past it: a byte below 0xc0
** reads as itself; a lead byte's value with all its continuation bytes,
** U+FFFD when that is below 0x80, a surrogate, U+FFFE or U+FFFF. */
uint32_t util_utf8_read(const unsigned char **pz, const unsigned char *end);
int util_utf8_valid(const char *z, size_t n);

/* Case-insensitive ASCII comparison (identifiers, keywords). */
int util_stricmp(const char *a, const char *b);
/* FNV-1a of z with ASCII letters folded to lower case: equal under util_stricmp, equal hash. */
uint32_t util_name_hash(const char *z);
int util_strnicmp(const char *a, const char *b, size_t n);

#endif /* LODE_UTIL_H */
