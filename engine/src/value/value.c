/*
** value.c — SQL values (Mem): ownership, conversions, affinities, CAST,
** comparison and arithmetic, following SQLite's "Datatypes In SQLite".
**
** Ownership: z belongs to the Mem when owner == MEM_DYN (util_malloc'd; for
** TEXT a NUL sits at z[n]); otherwise it is borrowed.  ztext caches the text
** rendering of a number or a NUL-terminated copy of borrowed text/blob bytes;
** it is always owned and freed by mem_release.
**
** Invariants:
**   - type NULL/INT/REAL: z is NULL or unused, n == 0.
**   - every mem_set_* first releases what the Mem held, so no leaks and no
**     stale ztext.
**   - functions that produce a result into `out` compute it fully before
**     touching out, so out may alias an input.
**   - REAL results that are NaN become NULL (as in SQLite).
*/
#include <assert.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "value/value.h"

#define REAL_TEXT_MAX MEM_TEXT_VIEW_BUF
#define INT_TEXT_MAX 21      /* util_render_int's buffer */

/* ---- lifetime ------------------------------------------------------------ */

void mem_release(Mem *m) {
  if (m->owner == MEM_DYN) util_free(m->z);
  if (m->ztext) util_free(m->ztext); /* rarely set: skip the call per released value */
  m->type = MEM_NULL;
  m->owner = MEM_STATIC;
  m->subtype = 0;
  m->z = NULL;
  m->n = 0;
  m->ztext = NULL;
  m->u.i = 0;
}

void mem_set_null(Mem *m) { mem_release(m); }

/* A util_malloc'd copy of n bytes plus a NUL, or NULL on oom. */
static char *mem_dup_bytes(const void *z, int n) {
  char *p = util_malloc((size_t)n + 1);
  if (!p) return NULL;
  if (n) memcpy(p, z, (size_t)n);
  p[n] = 0;
  return p;
}

static int mem_set_bytes(Mem *m, uint8_t type, const void *z, int n, int own) {
  char *copy = NULL;
  assert(n >= 0);
  if (own == MEM_DYN && m->owner == MEM_DYN && m->z && !m->ztext && (m->type == MEM_TEXT || m->type == MEM_BLOB)) {
    /* A value bound again and again (a parameter per row) copies into the
    ** buffer it owns already when that is big enough and apart from z. */
    size_t cap = util_alloc_usable(m->z);
    const char *src = z;
    if (cap > (size_t)n && (src + n <= m->z || src >= m->z + cap)) {
      if (n) memcpy(m->z, z, (size_t)n);
      m->z[n] = 0;
      m->type = type;
      m->subtype = 0;
      m->n = n;
      m->u.i = 0;
      return LODE_OK;
    }
  }
  if (own == MEM_DYN) {
    /* Copy before releasing: z may point into m's own buffer. */
    copy = mem_dup_bytes(z, n);
    if (!copy) {
      mem_release(m);
      return LODE_NOMEM;
    }
  }
  mem_release(m);
  m->type = type;
  m->owner = (uint8_t)own;
  m->z = copy ? copy : (char *)z;
  m->n = n;
  return LODE_OK;
}

int mem_set_text(Mem *m, const char *z, int n, int own) {
  if (!z) {
    z = "";
    n = 0;
    own = MEM_STATIC;
  } else if (n < 0) {
    size_t len = strlen(z);
    if (len > INT_MAX) return LODE_TOOBIG;
    n = (int)len;
  }
  return mem_set_bytes(m, MEM_TEXT, z, n, own);
}

int mem_set_blob(Mem *m, const void *z, int n, int own) {
  if (n < 0) return LODE_MISUSE;
  if (!z) {
    z = "";
    n = 0;
    own = MEM_STATIC;
  }
  return mem_set_bytes(m, MEM_BLOB, z, n, own);
}

int mem_set_zeroblob(Mem *m, int n) {
  char *p;
  if (n < 0) n = 0;
  p = util_zalloc((size_t)n + 1);
  mem_release(m);
  if (!p) return LODE_NOMEM;
  m->type = MEM_BLOB;
  m->owner = MEM_DYN;
  m->z = p;
  m->n = n;
  return LODE_OK;
}

/* z must be util_malloc'd with a NUL at z[n] (strbuf_finish gives that). */
void mem_take_text(Mem *m, char *z, int n) {
  mem_release(m);
  m->type = MEM_TEXT;
  m->owner = MEM_DYN;
  m->z = z;
  m->n = n;
}

/* Aggregate state blocks are copied byte for byte: states that hold
** pointers must not be copied (the VM never does). */
int mem_copy(Mem *dst, const Mem *src) {
  Mem tmp;
  if (dst == src) return LODE_OK;
  mem_init(&tmp);
  tmp.type = src->type;
  tmp.subtype = src->subtype;
  tmp.u = src->u;
  tmp.n = src->n;
  if (src->type == MEM_TEXT || src->type == MEM_BLOB || src->type == MEM_AGG) {
    if (src->owner == MEM_STATIC) {
      tmp.z = src->z;
    } else {
      tmp.z = mem_dup_bytes(src->z, src->n);
      if (!tmp.z) {
        mem_release(dst);
        return LODE_NOMEM;
      }
      tmp.owner = MEM_DYN;
    }
  }
  mem_release(dst);
  *dst = tmp;
  return LODE_OK;
}

void mem_move(Mem *dst, Mem *src) {
  if (dst == src) return;
  mem_release(dst);
  *dst = *src;
  mem_init(src);
}

int mem_make_owned(Mem *m) {
  char *copy;
  if (m->owner != MEM_EPHEM) return LODE_OK;
  copy = mem_dup_bytes(m->z, m->n);
  if (!copy) return LODE_NOMEM;
  m->z = copy;
  m->owner = MEM_DYN;
  return LODE_OK;
}

/* ---- conversions without changing the Mem -------------------------------- */

/* SQLite's double to int64: truncation, saturating at the int64 range. */
static int64_t real_to_int(double r) {
  if (isnan(r)) return 0;
  if (r <= (double)INT64_MIN) return INT64_MIN;
  if (r >= (double)INT64_MAX) return INT64_MAX;
  return (int64_t)r;
}

/* True if r holds an integer value that converts both ways without loss,
** strictly inside the int64 range (SQLite's integer affinity test). */
static int real_is_exact_int(double r, int64_t *out) {
  int64_t i = real_to_int(r);
  if (i == INT64_MIN || i == INT64_MAX) return 0;
  if ((double)i != r) return 0;
  *out = i;
  return 1;
}

int64_t mem_as_int(const Mem *m) {
  switch (m->type) {
    case MEM_INT: return m->u.i;
    case MEM_REAL: return real_to_int(m->u.r);
    case MEM_TEXT:
    case MEM_BLOB: return util_text_to_int_prefix(m->z, (size_t)m->n);
    default: return 0;
  }
}

double mem_as_real(const Mem *m) {
  switch (m->type) {
    case MEM_INT: return (double)m->u.i;
    case MEM_REAL: return m->u.r;
    case MEM_TEXT:
    case MEM_BLOB: return util_text_to_real_prefix(m->z, (size_t)m->n);
    default: return 0.0;
  }
}

int mem_is_true(const Mem *m) {
  switch (m->type) {
    case MEM_INT: return m->u.i != 0;
    case MEM_REAL: return m->u.r != 0.0;
    case MEM_TEXT:
    case MEM_BLOB: return mem_as_real(m) != 0.0;
    default: return 0;
  }
}

void mem_text_view(const Mem *m, char *buf, const char **z, int *n) {
  switch (m->type) {
    case MEM_INT:
      *n = util_render_int(m->u.i, buf);
      *z = buf;
      break;
    case MEM_REAL:
      *n = util_render_real(m->u.r, buf);
      *z = buf;
      break;
    case MEM_TEXT:
    case MEM_BLOB:
      *z = m->z ? m->z : "";
      *n = m->n;
      break;
    default:
      *z = "";
      *n = 0;
  }
}

const char *mem_as_text(Mem *m, int *oom) {
  char buf[REAL_TEXT_MAX];
  const char *z;
  int n;
  *oom = 0;
  if (m->type == MEM_NULL || m->type == MEM_AGG) return NULL;
  if (m->type == MEM_TEXT && m->owner == MEM_DYN) return m->z;
  if (m->ztext) return m->ztext;
  mem_text_view(m, buf, &z, &n);
  m->ztext = mem_dup_bytes(z, n);
  if (!m->ztext) *oom = 1;
  return m->ztext;
}

void mem_numeric_value(const Mem *m, Mem *out) {
  int64_t i = 0;
  double r = 0.0;
  int kind;
  switch (m->type) {
    case MEM_INT: mem_set_int(out, m->u.i); return;
    case MEM_REAL: mem_set_real(out, m->u.r); return;
    case MEM_TEXT:
    case MEM_BLOB:
      kind = util_text_to_number_prefix(m->z, (size_t)m->n, &i, &r);
      if (kind == 1) mem_set_int(out, i);
      else mem_set_real(out, r);
      return;
    default: mem_set_null(out);
  }
}

/* ---- affinity and CAST ---------------------------------------------------- */

static int type_has(const char *t, const char *word) {
  size_t wl = strlen(word);
  for (; *t; t++) {
    if (util_strnicmp(t, word, wl) == 0) return 1;
  }
  return 0;
}

/* The five rules of "Datatypes In SQLite", section 3.1, in order. */
char value_affinity_of_type(const char *decltype_) {
  if (!decltype_) return AFF_NONE;
  if (type_has(decltype_, "INT")) return AFF_INTEGER;
  if (type_has(decltype_, "CHAR") || type_has(decltype_, "CLOB") || type_has(decltype_, "TEXT"))
    return AFF_TEXT;
  if (type_has(decltype_, "BLOB") || decltype_[0] == 0) return AFF_NONE;
  if (type_has(decltype_, "REAL") || type_has(decltype_, "FLOA") || type_has(decltype_, "DOUB"))
    return AFF_REAL;
  return AFF_NUMERIC;
}

/* Renders a number as owned TEXT in place (TEXT affinity, CAST AS TEXT). */
static int mem_stringify(Mem *m) {
  char buf[REAL_TEXT_MAX];
  const char *z;
  int n;
  mem_text_view(m, buf, &z, &n);
  return mem_set_text(m, z, n, MEM_DYN);
}

static int mem_text_to_numeric_affinity(Mem *m, int want_real) {
  int64_t i = 0;
  double r = 0.0;
  int kind = util_parse_number(m->z, (size_t)m->n, &i, &r);
  if (kind == 0) return LODE_OK; /* not numeric: stays text */
  if (want_real) {
    /* an integral value is stored as an integer and read back as a REAL: -0.0 becomes 0.0 */
    mem_set_real(m, kind == 1 ? (double)i : r == 0.0 ? 0.0 : r);
  } else if (kind == 1 || real_is_exact_int(r, &i)) {
    mem_set_int(m, i);
  } else {
    mem_set_real(m, r);
  }
  return LODE_OK;
}

int mem_apply_affinity(Mem *m, char affinity) {
  int64_t i;
  switch (affinity) {
    case AFF_TEXT:
      if (m->type == MEM_INT || m->type == MEM_REAL) return mem_stringify(m);
      return LODE_OK;
    case AFF_NUMERIC:
    case AFF_INTEGER:
      if (m->type == MEM_TEXT) return mem_text_to_numeric_affinity(m, 0);
      if (m->type == MEM_REAL && real_is_exact_int(m->u.r, &i)) mem_set_int(m, i);
      return LODE_OK;
    case AFF_REAL:
      if (m->type == MEM_TEXT) return mem_text_to_numeric_affinity(m, 1);
      if (m->type == MEM_INT) mem_set_real(m, (double)m->u.i);
      else if (m->type == MEM_REAL && m->u.r == 0.0) m->u.r = 0.0; /* -0.0 too, as above */
      return LODE_OK;
    default:
      return LODE_OK; /* BLOB (NONE) affinity changes nothing */
  }
}

/* CAST(text AS NUMERIC): the numeric prefix; integer syntax that fits stays
** INTEGER, and reals with a small exact integer value become INTEGER. */
static void mem_cast_text_numeric(Mem *m) {
  UtilNum v;
  int flags = util_num_read(m->z, (size_t)m->n, &v);
  int64_t i;
  if ((flags & (UTIL_NUM_REAL | UTIL_NUM_INT)) == UTIL_NUM_INT) {
    mem_set_int(m, v.i);
    return;
  }
  i = util_real_to_int(v.r);
  if (util_real_same_as_int(v.r, i)) {
    mem_set_int(m, i);
    return;
  }
  mem_set_real(m, v.r);
}

int mem_cast(Mem *m, char affinity) {
  if (m->type == MEM_NULL) return LODE_OK;
  switch (affinity) {
    case AFF_TEXT:
      if (m->type == MEM_BLOB) m->type = MEM_TEXT;
      if (m->type == MEM_TEXT) return mem_make_owned(m);
      return mem_stringify(m);
    case AFF_NONE:
      if (m->type == MEM_INT || m->type == MEM_REAL) {
        int rc = mem_stringify(m);
        if (rc) return rc;
      }
      if (m->type == MEM_TEXT) m->type = MEM_BLOB;
      return LODE_OK;
    case AFF_INTEGER:
      if (m->type != MEM_INT) mem_set_int(m, mem_as_int(m));
      return LODE_OK;
    case AFF_REAL:
      if (m->type != MEM_REAL) mem_set_real(m, mem_as_real(m));
      return LODE_OK;
    default: /* AFF_NUMERIC */
      if (m->type == MEM_TEXT || m->type == MEM_BLOB) mem_cast_text_numeric(m);
      return LODE_OK;
  }
}

/* ---- comparison ------------------------------------------------------------ */

/* Storage-class rank in sort order: NULL < numbers < TEXT < BLOB. */
static int mem_rank(const Mem *m) {
  switch (m->type) {
    case MEM_INT:
    case MEM_REAL: return 1;
    case MEM_TEXT: return 2;
    case MEM_BLOB: return 3;
    default: return 0;
  }
}

/* Exact comparison of an integer with a double (no rounding of i). */
static int cmp_int_real(int64_t i, double r) {
  int64_t ri;
  double frac;
  if (isnan(r)) return 1;
  if (r < (double)INT64_MIN) return 1;
  if (r >= (double)INT64_MAX) return -1; /* (double)INT64_MAX is 2^63 */
  ri = (int64_t)r; /* exact: r's integer part fits */
  if (i < ri) return -1;
  if (i > ri) return 1;
  frac = r - (double)ri;
  return frac > 0 ? -1 : frac < 0 ? 1 : 0;
}

static int cmp_numbers(const Mem *a, const Mem *b) {
  if (a->type == MEM_INT && b->type == MEM_INT)
    return a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
  if (a->type == MEM_INT) return cmp_int_real(a->u.i, b->u.r);
  if (b->type == MEM_INT) return -cmp_int_real(b->u.i, a->u.r);
  return a->u.r < b->u.r ? -1 : a->u.r > b->u.r;
}

static int cmp_bytes(const char *a, int na, const char *b, int nb) {
  int n = na < nb ? na : nb;
  int c = n ? memcmp(a, b, (size_t)n) : 0;
  if (c) return c < 0 ? -1 : 1;
  return na < nb ? -1 : na > nb;
}

/* NOCASE as SQLite's: ASCII letters folded, and the comparison of the
** bytes stops at a zero byte both texts have there (the lengths decide
** then, whatever follows it). */
static int cmp_nocase(const char *a, int na, const char *b, int nb) {
  int n = na < nb ? na : nb, k;
  for (k = 0; k < n; k++) {
    int ca = (unsigned char)a[k], cb = (unsigned char)b[k];
    if (ca >= 'A' && ca <= 'Z') ca += 'a' - 'A';
    if (cb >= 'A' && cb <= 'Z') cb += 'a' - 'A';
    if (ca != cb) return ca < cb ? -1 : 1;
    if (ca == 0) break;
  }
  return na < nb ? -1 : na > nb;
}

static int cmp_text(const Mem *a, const Mem *b, int coll) {
  int na = a->n, nb = b->n;
  switch (coll) {
    case COLL_NOCASE: return cmp_nocase(a->z, na, b->z, nb);
    case COLL_RTRIM:
      while (na > 0 && a->z[na - 1] == ' ') na--;
      while (nb > 0 && b->z[nb - 1] == ' ') nb--;
      return cmp_bytes(a->z, na, b->z, nb);
    case COLL_BINARY: return cmp_bytes(a->z, na, b->z, nb);
    default: {
      int c;
      if (coll_user_compare(coll, a->z, na, b->z, nb, &c)) return c;
      return cmp_text(a, b, coll_fallback(coll));
    }
  }
}

int mem_compare(const Mem *a, const Mem *b, int coll) {
  int ra = mem_rank(a), rb = mem_rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 1: return cmp_numbers(a, b);
    case 2: return cmp_text(a, b, coll);
    case 3: return cmp_bytes(a->z, a->n, b->z, b->n);
    default: return 0;
  }
}

/* The number text m holds under NUMERIC affinity into out (type and value
** only: what mem_compare reads of a number); 0 if m is no well-formed number. */
static int text_number(const Mem *m, Mem *out) {
  int64_t i = 0;
  double r = 0.0;
  int kind = util_parse_number(m->z, (size_t)m->n, &i, &r);
  if (kind == 1) {
    out->type = MEM_INT;
    out->u.i = i;
  } else if (kind == 2) {
    out->type = MEM_REAL;
    out->u.r = r;
  }
  return kind != 0;
}

int mem_compare_numeric(const Mem *a, const Mem *b, int coll) {
  Mem ta, tb;
  if (a->type == MEM_TEXT && text_number(a, &ta)) a = &ta;
  if (b->type == MEM_TEXT && text_number(b, &tb)) b = &tb;
  return mem_compare(a, b, coll);
}

/* ---- arithmetic ------------------------------------------------------------ */

/* Integer op; returns 0 when the result does not fit (caller goes REAL). */
static int arith_int(int op, int64_t a, int64_t b, Mem *res) {
  int64_t r;
  switch (op) {
    case '+':
      if (__builtin_add_overflow(a, b, &r)) return 0;
      break;
    case '-':
      if (__builtin_sub_overflow(a, b, &r)) return 0;
      break;
    case '*':
      if (__builtin_mul_overflow(a, b, &r)) return 0;
      break;
    case '/':
      if (b == 0) {
        mem_set_null(res);
        return 1;
      }
      if (a == INT64_MIN && b == -1) return 0;
      r = a / b;
      break;
    default: /* '%' */
      if (b == 0) {
        mem_set_null(res);
        return 1;
      }
      r = b == -1 ? 0 : a % b;
      break;
  }
  mem_set_int(res, r);
  return 1;
}

/* a and b are the original operands, read as REALs as SQLite reads them
** ('-0' * 1.0 is -0.0); '%' reads them as integers directly: SQLite takes
** the integer prefix of a TEXT or BLOB operand, so '1e3' % 7 is 1 % 7 (as
** REAL, since '1e3' is not an integer) and 100 % '1.0e-07x' is 100 % 1. */
static void arith_real(int op, const Mem *a, const Mem *b, Mem *res) {
  double ra = mem_as_real(a), rb = mem_as_real(b), r;
  switch (op) {
    case '+': r = ra + rb; break;
    case '-': r = ra - rb; break;
    case '*': r = ra * rb; break;
    case '/':
      if (rb == 0.0) {
        mem_set_null(res);
        return;
      }
      r = ra / rb;
      break;
    default: { /* '%' */
      int64_t x = mem_as_int(a), y = mem_as_int(b);
      if (y == 0) {
        mem_set_null(res);
        return;
      }
      r = y == -1 ? 0.0 : (double)(x % y);
      break;
    }
  }
  mem_set_real(res, r); /* NaN becomes NULL */
}

int mem_arith(int op, const Mem *a, const Mem *b, Mem *out) {
  Mem na, nb, res;
  assert(op == '+' || op == '-' || op == '*' || op == '/' || op == '%');
  mem_init(&na);
  mem_init(&nb);
  mem_init(&res);
  mem_numeric_value(a, &na);
  mem_numeric_value(b, &nb);
  if (na.type == MEM_NULL || nb.type == MEM_NULL) {
    mem_set_null(out);
    return LODE_OK;
  }
  if (na.type != MEM_INT || nb.type != MEM_INT || !arith_int(op, na.u.i, nb.u.i, &res))
    arith_real(op, a, b, &res);
  mem_move(out, &res);
  return LODE_OK;
}

int mem_concat(const Mem *a, const Mem *b, Mem *out) {
  char bufa[REAL_TEXT_MAX], bufb[REAL_TEXT_MAX];
  const char *za, *zb;
  int na, nb;
  char *z;
  if (a->type == MEM_NULL || b->type == MEM_NULL) {
    mem_set_null(out);
    return LODE_OK;
  }
  mem_text_view(a, bufa, &za, &na);
  mem_text_view(b, bufb, &zb, &nb);
  if ((int64_t)na + nb > VALUE_MAX_LENGTH) return LODE_TOOBIG;
  z = util_malloc((size_t)na + (size_t)nb + 1);
  if (!z) return LODE_NOMEM;
  if (na) memcpy(z, za, (size_t)na);
  if (nb) memcpy(z + na, zb, (size_t)nb);
  z[na + nb] = 0;
  mem_take_text(out, z, na + nb);
  return LODE_OK;
}

int mem_negate(const Mem *a, Mem *out) {
  Mem v;
  mem_init(&v);
  mem_numeric_value(a, &v);
  if (v.type == MEM_INT) {
    if (v.u.i == INT64_MIN) mem_set_real(&v, -(double)INT64_MIN);
    else v.u.i = -v.u.i;
  } else if (v.type == MEM_REAL) {
    v.u.r = 0.0 - v.u.r; /* SQLite computes -x as 0 - x: the negation of a 0.0 value is +0.0 */
  }
  mem_move(out, &v);
  return LODE_OK;
}
