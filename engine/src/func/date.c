/*
** date.c — SQLite's date and time functions: date, time, datetime,
** julianday, unixepoch, strftime and timediff, as SQLite 3.53 computes them.
**
** A time value is a Julian day number in milliseconds (jd) and/or
** broken-down fields (year, month, day; hour, minute, seconds), each side
** computed from the other on demand; has_jd/has_ymd/has_hms say which sides
** are current.  Fields parsed from text stay as written until a modifier or
** a conversion replaces them, which is why date('2024-02-30', 'start of day')
** is '2024-02-30' while a lone date('2024-02-30') is normalized to
** '2024-03-01' (SQLite does both).
**
** A numeric time value is kept raw (seconds or days, has_raw) until the
** first modifier says how to read it ('unixepoch', 'julianday', 'auto');
** without one it is a Julian day number, valid in [0, 5373484.5).
**
** Inputs: '[-]YYYY-MM-DD', optionally followed by spaces or 'T' and
** 'HH:MM[:SS[.SSS]]'; a bare 'HH:MM[:SS[.SSS]]' (on 2000-01-01); either
** with a '[+-]HH:MM' or 'Z' suffix; 'now'; 'subsec' (now, to the
** millisecond); a number.  Modifiers: '[+-]N days|hours|minutes|seconds|
** months|years', '[+-]HH:MM[:SS[.SSS]]', '[+-]YYYY-MM-DD[ HH:MM[:SS]]',
** 'start of day|month|year', 'weekday N', 'unixepoch', 'julianday', 'auto',
** 'localtime', 'utc', 'subsec'/'subsecond', 'ceiling', 'floor'.  Anything
** malformed, and any result outside Julian day 0 (-4713-11-24 12:00) to
** 9999-12-31 23:59:59.999, gives NULL.
**
** Month and year arithmetic lands on a day the month may not have
** (2024-01-31 +1 month is "2024-02-31"); 'ceiling' (the default) rolls it
** into the next month, 'floor' back to the month's last day — floor_days
** remembers by how many days it overflowed.
**
** Calendar conversion: the Gregorian <-> Julian day formulas of Meeus,
** "Astronomical Algorithms", in integer arithmetic that also holds for
** negative years.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "func/func_internal.h"

#define MS_PER_DAY 86400000LL
#define MS_PER_HOUR 3600000LL
#define MS_PER_MINUTE 60000LL
#define JD_MS_MAX 464269060799999LL        /* 9999-12-31 23:59:59.999 */
#define UNIX_EPOCH_JD_MS 210866760000000LL  /* 1970-01-01 00:00:00 */
#define YEAR0_JD_MS 148699540800000LL       /* 0000-01-01 00:00:00: timediff's origin */
#define JD_NUMBER_LIMIT 5373484.5           /* a larger number is never a Julian day */
#define AUTO_UNIX_MIN (-210866760000.0)     /* 'auto': unix seconds of Julian day 0 ... */
#define AUTO_UNIX_MAX 253402300799.0        /* ... to 9999-12-31 23:59:59 */
#define LOCAL_SAFE_LO 210866760000000LL     /* localtime_r() is trusted from 1970-01-01 ... */
#define LOCAL_SAFE_HI 213014145600000LL     /* ... to 2038-01-18 */
#define DATE_BUF 64

typedef struct DateTime {
  int64_t jd;   /* Julian day number times 86400000 */
  int y, mo, d; /* year (may be negative), month 1-12, day 1-31 */
  int h, mi;    /* hour 0-24, minute 0-59 */
  double s;     /* seconds with their fraction */
  int tz;       /* offset of the written time zone, in minutes */
  double raw;   /* the numeric time value, until a modifier says what it counts */
  int floor_days;
  unsigned has_jd : 1, has_ymd : 1, has_hms : 1, has_raw : 1;
  unsigned err : 1;    /* out of range: the result is NULL */
  unsigned subsec : 1; /* print milliseconds ('subsec') */
  unsigned is_utc : 1, is_local : 1;
} DateTime;

/* Where the value is computed: a function reading the clock or the time
** zone reports an error when called from a generated column. */
typedef struct DateCall {
  FuncContext *ctx;
  const char *name;
} DateCall;

/* ---- calendar arithmetic ------------------------------------------------------ */

static int jd_in_range(int64_t jd) { return jd >= 0 && jd <= JD_MS_MAX; }

static void dt_fail(DateTime *p) {
  memset(p, 0, sizeof(*p));
  p->err = 1;
}

static void dt_forget_fields(DateTime *p) {
  p->has_ymd = p->has_hms = 0;
  p->tz = 0;
}

static void dt_compute_jd(DateTime *p) {
  int y, m, d, a, b, x1, x2;
  if (p->has_jd) return;
  y = p->has_ymd ? p->y : 2000;
  m = p->has_ymd ? p->mo : 1;
  d = p->has_ymd ? p->d : 1;
  if (y < -4713 || y > 9999 || p->has_raw) {
    dt_fail(p);
    return;
  }
  if (m <= 2) {
    y--;
    m += 12;
  }
  a = (y + 4800) / 100; /* centuries, shifted so that the division never truncates a negative */
  b = 38 - a + a / 4;
  x1 = 36525 * (y + 4716) / 100;
  x2 = 306001 * (m + 1) / 10000;
  p->jd = (int64_t)((x1 + x2 + d + b - 1524.5) * MS_PER_DAY);
  p->has_jd = 1;
  if (p->has_hms) {
    p->jd += p->h * MS_PER_HOUR + p->mi * MS_PER_MINUTE + (int64_t)(p->s * 1000.0 + 0.5);
    if (p->tz) {
      p->jd -= p->tz * MS_PER_MINUTE;
      dt_forget_fields(p);
      p->is_utc = 1;
      p->is_local = 0;
    }
  }
}

static void dt_compute_ymd(DateTime *p) {
  int z, alpha, a, b, c, d, e;
  if (p->has_ymd) return;
  if (!p->has_jd) {
    p->y = 2000;
    p->mo = p->d = 1;
  } else if (!jd_in_range(p->jd)) {
    dt_fail(p);
    return;
  } else {
    z = (int)((p->jd + MS_PER_DAY / 2) / MS_PER_DAY);
    alpha = (int)((z + 32044.75) / 36524.25) - 52;
    a = z + 1 + alpha - (alpha + 100) / 4 + 25;
    b = a + 1524;
    c = (int)((b - 122.1) / 365.25);
    d = (36525 * (c & 32767)) / 100;
    e = (int)((b - d) / 30.6001);
    p->d = b - d - (int)(30.6001 * e);
    p->mo = e < 14 ? e - 1 : e - 13;
    p->y = p->mo > 2 ? c - 4716 : c - 4715;
  }
  p->has_ymd = 1;
}

static void dt_compute_hms(DateTime *p) {
  int ms, minutes;
  if (p->has_hms) return;
  dt_compute_jd(p);
  ms = (int)((p->jd + MS_PER_DAY / 2) % MS_PER_DAY);
  p->s = (ms % 60000) / 1000.0;
  minutes = ms / 60000;
  p->mi = minutes % 60;
  p->h = minutes / 60;
  p->has_raw = 0;
  p->has_hms = 1;
}

static void dt_compute_all(DateTime *p) {
  dt_compute_ymd(p);
  dt_compute_hms(p);
}

/* Days the current day-of-month lies past the end of its month. */
static void dt_compute_floor(DateTime *p) {
  static const unsigned char month_days[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int last;
  if (p->mo < 1 || p->mo > 12) {
    p->floor_days = 0;
    return;
  }
  last = month_days[p->mo];
  if (p->mo == 2 && p->y % 4 == 0 && (p->y % 100 != 0 || p->y % 400 == 0)) last = 29;
  p->floor_days = p->d > last ? p->d - last : 0;
}

/* Brings a month number that arithmetic pushed out of 1-12 back, carrying years. */
static void dt_normalize_month(DateTime *p) {
  int carry = p->mo > 0 ? (p->mo - 1) / 12 : (p->mo - 12) / 12;
  p->y += carry;
  p->mo -= carry * 12;
}

/* ---- parsing ------------------------------------------------------------------- */

static int is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Reads exactly n digits at z into *out, checking [0, hi]. */
static int read_digits(const char *z, int n, int hi, int *out) {
  int v = 0, k;
  for (k = 0; k < n; k++) {
    if (!is_digit(z[k])) return 0;
    v = v * 10 + (z[k] - '0');
  }
  if (v > hi) return 0;
  *out = v;
  return 1;
}

/* A whole number of SQLite's shape (spaces around allowed); 0 if it is not one. */
static int read_number(const char *z, size_t n, double *r) {
  int64_t iv;
  int kind = util_parse_number(z, n, &iv, r);
  if (kind == 1) *r = (double)iv;
  return kind != 0;
}

/* '[+-]HH:MM' or 'Z' after a time, then only spaces; returns 0 if malformed. */
static int parse_zone(const char *z, DateTime *p) {
  int sign, h, m;
  while (is_space(*z)) z++;
  p->tz = 0;
  if (*z == 'Z' || *z == 'z') {
    z++;
    p->is_local = 0;
    p->is_utc = 1;
  } else if (*z == '+' || *z == '-') {
    sign = *z == '-' ? -1 : 1;
    if (!read_digits(z + 1, 2, 14, &h) || z[3] != ':' || !read_digits(z + 4, 2, 59, &m)) return 0;
    z += 6;
    p->tz = sign * (h * 60 + m);
  } else {
    return *z == 0;
  }
  while (is_space(*z)) z++;
  return *z == 0;
}

/* 'HH:MM[:SS[.SSS]]' and a zone; returns 0 if malformed. */
static int parse_hms(const char *z, DateTime *p) {
  int h, m, s = 0;
  double frac = 0.0;
  if (!read_digits(z, 2, 24, &h) || z[2] != ':' || !read_digits(z + 3, 2, 59, &m)) return 0;
  z += 5;
  if (*z == ':') {
    if (!read_digits(z + 1, 2, 59, &s)) return 0;
    z += 3;
    if (*z == '.' && is_digit(z[1])) {
      double scale = 1.0;
      for (z++; is_digit(*z); z++) {
        frac = frac * 10.0 + (*z - '0');
        scale *= 10.0;
      }
      frac /= scale;
      /* Digits past the millisecond never round up into the next second. */
      if (frac > 0.999) frac = 0.999;
    }
  }
  p->has_jd = 0;
  p->has_raw = 0;
  p->has_hms = 1;
  p->h = h;
  p->mi = m;
  p->s = s + frac;
  return parse_zone(z, p);
}

/* '[-]YYYY-MM-DD' then spaces or 'T' and an optional time; 0 if malformed. */
static int parse_ymd(const char *z, DateTime *p) {
  int y, m, d, neg = 0;
  if (*z == '-') {
    z++;
    neg = 1;
  }
  if (!read_digits(z, 4, 9999, &y) || z[4] != '-' || !read_digits(z + 5, 2, 12, &m) || m < 1 || z[7] != '-' ||
      !read_digits(z + 8, 2, 31, &d) || d < 1)
    return 0;
  z += 10;
  while (is_space(*z) || *z == 'T') z++;
  if (!parse_hms(z, p)) {
    if (*z != 0) return 0;
    p->has_hms = 0;
  }
  p->has_jd = 0;
  p->has_ymd = 1;
  p->y = neg ? -y : y;
  p->mo = m;
  p->d = d;
  dt_compute_floor(p);
  if (p->tz) dt_compute_jd(p);
  return 1;
}

/* Reading the clock or the time zone is refused where the value must not
** depend on the moment: SQLite's "non-deterministic use of date() in a
** generated column".  Returns 0 after setting that error. */
static int dt_clock_allowed(const DateCall *call) {
  if (!call->ctx->user_data) return 1;
  char *msg = util_mprintf("non-deterministic use of %s() in %s", call->name, (const char *)call->ctx->user_data);
  func_error(call->ctx, msg ? LODE_ERROR : LODE_NOMEM, msg ? msg : "out of memory");
  util_free(msg);
  return 0;
}

/* The clock is read once per step of the calling statement, so that every
** 'now' of one step is the same moment, as SQLite documents. */
static int dt_set_now(const DateCall *call, DateTime *p) {
  struct timespec ts;
  if (!dt_clock_allowed(call)) return 0;
  FuncStmtState *st = func_stmt_state(call->ctx);
  int64_t ms;
  if (st && st->has_now) {
    ms = st->now_ms;
  } else {
    clock_gettime(CLOCK_REALTIME, &ts);
    ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    if (st) {
      st->now_ms = ms;
      st->has_now = 1;
    }
  }
  memset(p, 0, sizeof(*p));
  p->jd = UNIX_EPOCH_JD_MS + ms;
  p->has_jd = 1;
  p->is_utc = 1;
  return 1;
}

static void dt_set_number(DateTime *p, double r) {
  p->raw = r;
  p->has_raw = 1;
  if (r >= 0.0 && r < JD_NUMBER_LIMIT) {
    p->jd = (int64_t)(r * MS_PER_DAY + 0.5);
    p->has_jd = 1;
  }
}

/* The time value written as text; returns 0 if it is not one. */
static int dt_parse_text(const DateCall *call, const char *z, DateTime *p) {
  double r;
  if (parse_ymd(z, p) || parse_hms(z, p)) return 1;
  if (util_stricmp(z, "now") == 0) return dt_set_now(call, p);
  if (read_number(z, strlen(z), &r)) {
    dt_set_number(p, r);
    return 1;
  }
  if (util_stricmp(z, "subsec") == 0 || util_stricmp(z, "subsecond") == 0) {
    if (!dt_set_now(call, p)) return 0;
    p->subsec = 1;
    return 1;
  }
  return 0;
}

/* ---- local time ---------------------------------------------------------------- */

/* Replaces the fields by the local time of the instant p holds.  Outside
** the years localtime_r() is trusted with, an equivalent year of the same
** leap cycle stands in and the difference is added back. */
static int dt_to_local(FuncContext *ctx, DateTime *p) {
  struct tm tm;
  time_t t;
  int year_shift = 0;
  memset(&tm, 0, sizeof(tm));
  dt_compute_jd(p);
  if (p->jd < LOCAL_SAFE_LO || p->jd > LOCAL_SAFE_HI) {
    DateTime x = *p;
    dt_compute_all(&x);
    year_shift = 2000 + x.y % 4 - x.y;
    x.y += year_shift;
    x.has_jd = 0;
    dt_compute_jd(&x);
    t = (time_t)(x.jd / 1000 - UNIX_EPOCH_JD_MS / 1000);
  } else {
    t = (time_t)(p->jd / 1000 - UNIX_EPOCH_JD_MS / 1000);
  }
  if (!localtime_r(&t, &tm)) {
    func_error(ctx, LODE_ERROR, "local time unavailable");
    return 0;
  }
  p->y = tm.tm_year + 1900 - year_shift;
  p->mo = tm.tm_mon + 1;
  p->d = tm.tm_mday;
  p->h = tm.tm_hour;
  p->mi = tm.tm_min;
  p->s = tm.tm_sec + (double)(p->jd % 1000) * 0.001;
  p->has_ymd = p->has_hms = 1;
  p->has_jd = p->has_raw = 0;
  p->tz = 0;
  p->err = 0;
  return 1;
}

/* The UTC instant whose local time is the value p holds: a guess refined
** until its local time reads back the same (a few rounds settle it). */
static int dt_to_utc(FuncContext *ctx, DateTime *p) {
  int64_t orig, guess, off = 0;
  int rounds = 0;
  dt_compute_jd(p);
  guess = orig = p->jd;
  do {
    DateTime x;
    memset(&x, 0, sizeof(x));
    guess -= off;
    x.jd = guess;
    x.has_jd = 1;
    if (!dt_to_local(ctx, &x)) return 0;
    dt_compute_jd(&x);
    off = x.jd - orig;
  } while (off && rounds++ < 3);
  memset(p, 0, sizeof(*p));
  p->jd = guess;
  p->has_jd = 1;
  p->is_utc = 1;
  return 1;
}

/* ---- modifiers ------------------------------------------------------------------ */

/* The units of '[+-]N unit', each with the largest |N| it takes and its length in seconds. */
static const struct {
  const char *name;
  float limit;
  float seconds;
} date_units[] = {
    {"second", 4.6427e+14f, 1.0f},     {"minute", 7.7379e+12f, 60.0f},
    {"hour", 1.2897e+11f, 3600.0f},    {"day", 5373485.0f, 86400.0f},
    {"month", 176546.0f, 2592000.0f},  {"year", 14713.0f, 31536000.0f},
};
#define UNIT_MONTH 4
#define UNIT_YEAR 5

/* '[+-]N unit' with z at the unit; the value's jd is current. */
static int mod_add_units(DateTime *p, double r, const char *z) {
  size_t n = strlen(z), k;
  if (n < 3 || n > 10) return 0;
  if (z[n - 1] == 's' || z[n - 1] == 'S') n--;
  dt_compute_jd(p);
  p->floor_days = 0;
  for (k = 0; k < sizeof date_units / sizeof date_units[0]; k++) {
    if (strlen(date_units[k].name) != n || util_strnicmp(date_units[k].name, z, n) != 0) continue;
    if (!(r > -date_units[k].limit && r < date_units[k].limit)) continue;
    if (k == UNIT_MONTH || k == UNIT_YEAR) {
      dt_compute_all(p);
      if (k == UNIT_MONTH) {
        p->mo += (int)r;
        dt_normalize_month(p);
      } else {
        p->y += (int)r;
      }
      dt_compute_floor(p);
      p->has_jd = 0;
      r -= (int)r;
    }
    dt_compute_jd(p);
    p->jd += (int64_t)(r * 1000.0 * date_units[k].seconds + (r < 0 ? -0.5 : 0.5));
    dt_forget_fields(p);
    return 1;
  }
  dt_forget_fields(p);
  return 0;
}

/* '[+-]HH:MM[:SS[.SSS]]' at z (sign optional), added or subtracted. */
static int mod_add_hms(DateTime *p, const char *z, int negative) {
  DateTime tx;
  int64_t day;
  if (!is_digit(*z)) z++;
  memset(&tx, 0, sizeof(tx));
  if (!parse_hms(z, &tx)) return 0;
  dt_compute_jd(&tx);
  tx.jd -= MS_PER_DAY / 2;
  day = tx.jd / MS_PER_DAY;
  tx.jd -= day * MS_PER_DAY;
  if (negative) tx.jd = -tx.jd;
  dt_compute_jd(p);
  dt_forget_fields(p);
  p->jd += tx.jd;
  return 1;
}

/* '[+-]YYYY-MM-DD' (or a five-digit year), optionally followed by a time. */
static int mod_add_ymd(DateTime *p, const char *z, int year_digits) {
  int y, m, d, h, mi;
  char sign = z[0];
  const char *rest;
  if (sign != '+' && sign != '-') return 0;
  if (!read_digits(z + 1, year_digits, 9999, &y) || z[1 + year_digits] != '-') return 0;
  rest = z + 1 + year_digits;
  if (!read_digits(rest + 1, 2, 12, &m) || rest[3] != '-' || !read_digits(rest + 4, 2, 31, &d)) return 0;
  if (m >= 12 || d >= 31) return 0;
  rest += 6;
  dt_compute_all(p);
  p->has_jd = 0;
  if (sign == '-') {
    p->y -= y;
    p->mo -= m;
    d = -d;
  } else {
    p->y += y;
    p->mo += m;
  }
  dt_normalize_month(p);
  dt_compute_floor(p);
  dt_compute_jd(p);
  p->has_hms = p->has_ymd = 0;
  p->jd += (int64_t)d * MS_PER_DAY;
  if (*rest == 0) return 1;
  if (!is_space(*rest) || !read_digits(rest + 1, 2, 24, &h) || rest[3] != ':' || !read_digits(rest + 4, 2, 59, &mi))
    return 0;
  return mod_add_hms(p, rest + 1, sign == '-');
}

/* A modifier starting with a sign or a digit. */
static int mod_numeric(DateTime *p, const char *z) {
  size_t n;
  double r;
  int y;
  for (n = 1; z[n]; n++) {
    if (z[n] == ':' || is_space(z[n])) break;
    if (z[n] == '-') {
      if (n == 5 && read_digits(z + 1, 4, 9999, &y)) break;
      if (n == 6 && read_digits(z + 1, 5, 9999, &y)) break;
    }
  }
  if (!read_number(z, n, &r)) return 0;
  if (z[n] == '-') return mod_add_ymd(p, z, (int)n - 1);
  if (z[n] == ':') return mod_add_hms(p, z, z[0] == '-');
  z += n;
  while (is_space(*z)) z++;
  return mod_add_units(p, r, z);
}

static int mod_start_of(DateTime *p, const char *unit) {
  if (!p->has_jd && !p->has_ymd && !p->has_hms) return 0;
  dt_compute_ymd(p);
  p->has_hms = 1;
  p->h = p->mi = 0;
  p->s = 0.0;
  p->has_raw = 0;
  p->tz = 0;
  p->has_jd = 0;
  if (util_stricmp(unit, "month") == 0) {
    p->d = 1;
  } else if (util_stricmp(unit, "year") == 0) {
    p->mo = p->d = 1;
  } else if (util_stricmp(unit, "day") != 0) {
    return 0;
  }
  return 1;
}

static int mod_weekday(DateTime *p, const char *z) {
  double r;
  int64_t wd;
  int n;
  if (!read_number(z, strlen(z), &r) || !(r >= 0.0 && r < 7.0) || (n = (int)r) != r) return 0;
  dt_compute_all(p);
  p->tz = 0;
  p->has_jd = 0;
  dt_compute_jd(p);
  wd = ((p->jd + MS_PER_DAY * 3 / 2) / MS_PER_DAY) % 7;
  if (wd > n) wd -= 7;
  p->jd += (n - wd) * MS_PER_DAY;
  dt_forget_fields(p);
  return 1;
}

/* The numeric time value read as unix seconds, if that lands in range. */
static int mod_unix_seconds(DateTime *p) {
  double r = p->raw * 1000.0 + (double)UNIX_EPOCH_JD_MS;
  if (!(r >= 0.0 && r < (double)(JD_MS_MAX + 1))) return 0;
  dt_forget_fields(p);
  p->jd = (int64_t)(r + 0.5);
  p->has_jd = 1;
  p->has_raw = 0;
  return 1;
}

/* Applies modifier z, the idx-th argument (1 = the first modifier);
** returns 0 if it does not apply (the result is then NULL). */
static int apply_modifier(const DateCall *call, DateTime *p, const char *z, int idx) {
  switch (z[0] | 0x20) {
    case 'a':
      if (util_stricmp(z, "auto") != 0 || idx > 1) return 0;
      if (!p->has_raw || p->has_jd) {
        p->has_raw = 0;
        return 1;
      }
      /* Out of both ranges the value is left raw, which makes the result
      ** NULL unless 'localtime' or 'utc' later starts from a fresh value. */
      if (!(p->raw >= AUTO_UNIX_MIN && p->raw <= AUTO_UNIX_MAX)) return 1;
      return mod_unix_seconds(p);
    case 'c':
      if (util_stricmp(z, "ceiling") != 0) return 0;
      dt_compute_jd(p);
      dt_forget_fields(p);
      p->floor_days = 0;
      return 1;
    case 'f':
      if (util_stricmp(z, "floor") != 0) return 0;
      dt_compute_jd(p);
      p->jd -= p->floor_days * MS_PER_DAY;
      dt_forget_fields(p);
      return 1;
    case 'j':
      if (util_stricmp(z, "julianday") != 0 || idx > 1 || !(p->has_jd && p->has_raw)) return 0;
      p->has_raw = 0;
      return 1;
    case 'l': {
      int ok;
      if (util_stricmp(z, "localtime") != 0 || !dt_clock_allowed(call)) return 0;
      ok = p->is_local ? 1 : dt_to_local(call->ctx, p);
      p->is_utc = 0;
      p->is_local = 1;
      return ok;
    }
    case 'u':
      if (util_stricmp(z, "unixepoch") == 0 && p->has_raw) {
        if (idx > 1) return 0;
        return mod_unix_seconds(p);
      }
      if (util_stricmp(z, "utc") != 0 || !dt_clock_allowed(call)) return 0;
      return p->is_utc ? 1 : dt_to_utc(call->ctx, p);
    case 'w':
      return util_strnicmp(z, "weekday ", 8) == 0 && mod_weekday(p, z + 8);
    case 's':
      if (util_strnicmp(z, "start of ", 9) == 0) return mod_start_of(p, z + 9);
      if (util_stricmp(z, "subsec") != 0 && util_stricmp(z, "subsecond") != 0) return 0;
      p->subsec = 1;
      return 1;
    default:
      if (z[0] == '+' || z[0] == '-' || is_digit(z[0])) return mod_numeric(p, z);
      return 0;
  }
}

/* ---- arguments ---------------------------------------------------------------- */

/* Argument m as NUL-terminated text (a NUL inside ends it, as in SQLite):
** in buf when it fits, else in *heap (freed by the caller). */
static const char *arg_text(const Mem *m, char *buf, char **heap) {
  char vbuf[FUNC_TEXT_BUF];
  const char *z;
  int n;
  mem_text_view(m, vbuf, &z, &n);
  if (n < DATE_BUF) {
    memcpy(buf, z, (size_t)n);
    buf[n] = 0;
    return buf;
  }
  *heap = util_malloc((size_t)n + 1);
  if (!*heap) return NULL;
  memcpy(*heap, z, (size_t)n);
  (*heap)[n] = 0;
  return *heap;
}

/* Parses argv[0] and applies argv[1..]; returns 0 if the result is NULL
** (or an error was set on the context). */
static int dt_from_args(const DateCall *call, int argc, Mem **argv, DateTime *p) {
  char buf[DATE_BUF];
  char *heap = NULL;
  const char *z;
  int i, ok;
  memset(p, 0, sizeof(*p));
  if (argc == 0) return dt_set_now(call, p);
  if (argv[0]->type == MEM_NULL) return 0;
  if (argv[0]->type == MEM_INT || argv[0]->type == MEM_REAL) {
    dt_set_number(p, mem_as_real(argv[0]));
  } else {
    z = arg_text(argv[0], buf, &heap);
    if (!z) goto nomem;
    ok = dt_parse_text(call, z, p);
    util_free(heap);
    heap = NULL;
    if (!ok) return 0;
  }
  for (i = 1; i < argc; i++) {
    if (argv[i]->type == MEM_NULL) return 0;
    z = arg_text(argv[i], buf, &heap);
    if (!z) goto nomem;
    ok = apply_modifier(call, p, z, i);
    util_free(heap);
    heap = NULL;
    if (!ok) return 0;
  }
  dt_compute_jd(p);
  if (p->err || !jd_in_range(p->jd)) return 0;
  if (argc == 1 && p->has_ymd && p->d > 28) p->has_ymd = 0; /* 2023-02-31 alone means 2023-03-03 */
  return 1;
nomem:
  func_nomem(call->ctx);
  return 0;
}

static int dt_args(FuncContext *ctx, const char *name, int argc, Mem **argv, DateTime *p) {
  DateCall call = {ctx, name};
  return dt_from_args(&call, argc, argv, p);
}

/* ---- output ---------------------------------------------------------------------- */

static void put_date(StrBuf *b, DateTime *p) {
  dt_compute_ymd(p);
  strbuf_printf(b, "%s%04d-%02d-%02d", p->y < 0 ? "-" : "", p->y < 0 ? -p->y : p->y, p->mo, p->d);
}

static void put_time(StrBuf *b, DateTime *p) {
  dt_compute_hms(p);
  if (p->subsec) {
    int ms = (int)(1000.0 * p->s + 0.5);
    strbuf_printf(b, "%02d:%02d:%02d.%03d", p->h, p->mi, ms / 1000, ms % 1000);
  } else {
    strbuf_printf(b, "%02d:%02d:%02d", p->h, p->mi, (int)p->s);
  }
}

#define DT_DATE 1
#define DT_TIME 2

static void date_common(FuncContext *ctx, int argc, Mem **argv, int what) {
  static const char *const names[] = {"", "date", "time", "datetime"};
  DateTime p;
  StrBuf b;
  if (!dt_args(ctx, names[what], argc, argv, &p)) return;
  strbuf_init(&b);
  if (what & DT_DATE) put_date(&b, &p);
  if (what == (DT_DATE | DT_TIME)) strbuf_appendc(&b, ' ');
  if (what & DT_TIME) put_time(&b, &p);
  func_result_strbuf(ctx, &b);
}
static void fn_date(FuncContext *ctx, int argc, Mem **argv) { date_common(ctx, argc, argv, DT_DATE); }
static void fn_time(FuncContext *ctx, int argc, Mem **argv) { date_common(ctx, argc, argv, DT_TIME); }
static void fn_datetime(FuncContext *ctx, int argc, Mem **argv) {
  date_common(ctx, argc, argv, DT_DATE | DT_TIME);
}

static void fn_julianday(FuncContext *ctx, int argc, Mem **argv) {
  DateTime p;
  if (dt_args(ctx, "julianday", argc, argv, &p)) mem_set_real(ctx->out, (double)p.jd / MS_PER_DAY);
}

/* Unix seconds; jd is never negative, so the division is a floor. */
static int64_t dt_unix_seconds(const DateTime *p) { return p->jd / 1000 - UNIX_EPOCH_JD_MS / 1000; }
static double dt_unix_subsec(const DateTime *p) { return (double)(p->jd - UNIX_EPOCH_JD_MS) / 1000.0; }

static void fn_unixepoch(FuncContext *ctx, int argc, Mem **argv) {
  DateTime p;
  if (!dt_args(ctx, "unixepoch", argc, argv, &p)) return;
  if (p.subsec) mem_set_real(ctx->out, dt_unix_subsec(&p));
  else mem_set_int(ctx->out, dt_unix_seconds(&p));
}

/* Whole days from January 1st of the value's year (both at the same time of day). */
static int days_after_jan1(const DateTime *p) {
  DateTime jan1 = *p;
  jan1.has_jd = 0;
  jan1.mo = jan1.d = 1;
  dt_compute_jd(&jan1);
  return (int)((p->jd - jan1.jd + MS_PER_DAY / 2) / MS_PER_DAY);
}
static int days_after_monday(const DateTime *p) { return (int)((p->jd + MS_PER_DAY / 2) / MS_PER_DAY % 7); }
static int days_after_sunday(const DateTime *p) { return (int)((p->jd + MS_PER_DAY * 3 / 2) / MS_PER_DAY % 7); }

/* The Thursday of the value's ISO week: its year is the ISO year. */
static DateTime iso_thursday(const DateTime *p) {
  DateTime t = *p;
  t.jd += (3 - days_after_monday(p)) * MS_PER_DAY;
  t.has_ymd = 0;
  dt_compute_ymd(&t);
  return t;
}

static int hour12(int h) { return h > 12 ? h - 12 : h == 0 ? 12 : h; }

/* One strftime conversion; returns 0 for an unknown one (result NULL). */
static int strftime_one(StrBuf *b, DateTime *p, char c) {
  switch (c) {
    case 'd': strbuf_printf(b, "%02d", p->d); break;
    case 'e': strbuf_printf(b, "%2d", p->d); break;
    case 'f': /* "%06.3f" with SQLite's rounding (see util_real_decode) */
      if (p->s < 10.0) strbuf_appendc(b, '0');
      func_format_fixed(b, p->s > 59.999 ? 59.999 : p->s, 3);
      break;
    case 'F': strbuf_printf(b, "%04d-%02d-%02d", p->y, p->mo, p->d); break;
    case 'G': strbuf_printf(b, "%04d", iso_thursday(p).y); break;
    case 'g': strbuf_printf(b, "%02d", iso_thursday(p).y % 100); break;
    case 'H': strbuf_printf(b, "%02d", p->h); break;
    case 'k': strbuf_printf(b, "%2d", p->h); break;
    case 'I': strbuf_printf(b, "%02d", hour12(p->h)); break;
    case 'l': strbuf_printf(b, "%2d", hour12(p->h)); break;
    case 'j': strbuf_printf(b, "%03d", days_after_jan1(p) + 1); break;
    case 'J': func_format_generic(b, (double)p->jd / MS_PER_DAY, 16); break;
    case 'm': strbuf_printf(b, "%02d", p->mo); break;
    case 'M': strbuf_printf(b, "%02d", p->mi); break;
    case 'p': strbuf_append(b, p->h >= 12 ? "PM" : "AM", 2); break;
    case 'P': strbuf_append(b, p->h >= 12 ? "pm" : "am", 2); break;
    case 'R': strbuf_printf(b, "%02d:%02d", p->h, p->mi); break;
    case 's':
      if (p->subsec) func_format_fixed(b, dt_unix_subsec(p), 3);
      else strbuf_printf(b, "%lld", (long long)dt_unix_seconds(p));
      break;
    case 'S': strbuf_printf(b, "%02d", (int)p->s); break;
    case 'T': strbuf_printf(b, "%02d:%02d:%02d", p->h, p->mi, (int)p->s); break;
    case 'u': strbuf_printf(b, "%d", days_after_sunday(p) == 0 ? 7 : days_after_sunday(p)); break;
    case 'w': strbuf_printf(b, "%d", days_after_sunday(p)); break;
    case 'U': strbuf_printf(b, "%02d", (days_after_jan1(p) - days_after_sunday(p) + 7) / 7); break;
    case 'V': {
      DateTime t = iso_thursday(p);
      strbuf_printf(b, "%02d", days_after_jan1(&t) / 7 + 1);
      break;
    }
    case 'W': strbuf_printf(b, "%02d", (days_after_jan1(p) - days_after_monday(p) + 7) / 7); break;
    case 'Y': strbuf_printf(b, "%04d", p->y); break;
    case '%': strbuf_appendc(b, '%'); break;
    default: return 0;
  }
  return 1;
}

static void fn_strftime(FuncContext *ctx, int argc, Mem **argv) {
  char fbuf[DATE_BUF];
  char *heap = NULL;
  const char *fmt;
  DateTime p;
  StrBuf b;
  if (argc < 1 || argv[0]->type == MEM_NULL) return;
  if (!dt_args(ctx, "strftime", argc - 1, argv + 1, &p)) return;
  fmt = arg_text(argv[0], fbuf, &heap);
  if (!fmt) {
    func_nomem(ctx);
    return;
  }
  dt_compute_jd(&p);
  dt_compute_all(&p);
  strbuf_init(&b);
  strbuf_append(&b, "", 0);
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      strbuf_appendc(&b, *fmt);
    } else if (!strftime_one(&b, &p, *++fmt)) {
      strbuf_reset(&b);
      util_free(heap);
      return;
    }
  }
  util_free(heap);
  func_result_strbuf(ctx, &b);
}

/* Moves d2 by whole months (by -1 or +1 each step) until it passes d1 as
** `before` says; each step takes one month off the difference. */
static void timediff_settle(DateTime *d1, DateTime *d2, int *years, int *months, int step) {
  while (step < 0 ? d1->jd < d2->jd : d1->jd > d2->jd) {
    if (--*months < 0) {
      *months = 11;
      --*years;
    }
    d2->mo += step;
    if (d2->mo < 1) {
      d2->mo = 12;
      d2->y--;
    } else if (d2->mo > 12) {
      d2->mo = 1;
      d2->y++;
    }
    d2->has_jd = 0;
    dt_compute_jd(d2);
  }
}

/* timediff(A, B): the calendar difference A - B as '(+|-)YYYY-MM-DD HH:MM:SS.SSS',
** whole years and months first (counted on B's calendar), then the rest. */
static void fn_timediff(FuncContext *ctx, int argc, Mem **argv) {
  DateTime d1, d2;
  int years, months, later;
  StrBuf b;
  (void)argc;
  if (!dt_args(ctx, "timediff", 1, &argv[0], &d1) || !dt_args(ctx, "timediff", 1, &argv[1], &d2)) return;
  dt_compute_all(&d1);
  dt_compute_all(&d2);
  later = d1.jd >= d2.jd;
  years = later ? d1.y - d2.y : d2.y - d1.y;
  if (years) {
    d2.y = d1.y;
    d2.has_jd = 0;
    dt_compute_jd(&d2);
  }
  months = later ? d1.mo - d2.mo : d2.mo - d1.mo;
  if (months < 0) {
    years--;
    months += 12;
  }
  if (months) {
    d2.mo = d1.mo;
    d2.has_jd = 0;
    dt_compute_jd(&d2);
  }
  timediff_settle(&d1, &d2, &years, &months, later ? -1 : 1);
  d1.jd = (later ? d1.jd - d2.jd : d2.jd - d1.jd) + YEAR0_JD_MS;
  dt_forget_fields(&d1);
  dt_compute_all(&d1);
  strbuf_init(&b);
  strbuf_printf(&b, "%c%04d-%02d-%02d %02d:%02d:", later ? '+' : '-', years, months, d1.d - 1, d1.h, d1.mi);
  if (d1.s < 10.0) strbuf_appendc(&b, '0');
  func_format_fixed(&b, d1.s, 3);
  func_result_strbuf(ctx, &b);
}

#define DATEFN(name, min, fn) {{name, -1, 0, fn, NULL, NULL, 0, NULL}, min}

const FuncEntry func_date_table[] = {
    DATEFN("date", 0, fn_date),
    DATEFN("time", 0, fn_time),
    DATEFN("datetime", 0, fn_datetime),
    DATEFN("julianday", 0, fn_julianday),
    DATEFN("unixepoch", 0, fn_unixepoch),
    DATEFN("strftime", 0, fn_strftime), /* strftime() is NULL, as in SQLite */
    {{"timediff", 2, 0, fn_timediff, NULL, NULL, 0, NULL}, 2},
    /* CURRENT_DATE, CURRENT_TIME, CURRENT_TIMESTAMP: date(), time(), datetime() of now */
    {{"current_date", 0, 0, fn_date, NULL, NULL, 0, NULL}, 0},
    {{"current_time", 0, 0, fn_time, NULL, NULL, 0, NULL}, 0},
    {{"current_timestamp", 0, 0, fn_datetime, NULL, NULL, 0, NULL}, 0},
    {{NULL, 0, 0, NULL, NULL, NULL, 0, NULL}, 0},
};

/* The same functions as a generated column, an index (expression or partial
** WHERE) or a CHECK constraint calls them, in the same order as the table
** above: their user data names the place, and reading the clock there is an
** error (dt_clock_allowed), as in SQLite. */
#define DATE_PLACE_TABLE(table, place)                                                                   \
  static const FuncEntry table[] = {                                                                     \
      {{"date", -1, 0, fn_date, NULL, NULL, 0, (void *)place}, 0},                                        \
      {{"time", -1, 0, fn_time, NULL, NULL, 0, (void *)place}, 0},                                        \
      {{"datetime", -1, 0, fn_datetime, NULL, NULL, 0, (void *)place}, 0},                                \
      {{"julianday", -1, 0, fn_julianday, NULL, NULL, 0, (void *)place}, 0},                              \
      {{"unixepoch", -1, 0, fn_unixepoch, NULL, NULL, 0, (void *)place}, 0},                              \
      {{"strftime", -1, 0, fn_strftime, NULL, NULL, 0, (void *)place}, 0},                                \
      {{"timediff", 2, 0, fn_timediff, NULL, NULL, 0, (void *)place}, 2},                                 \
  }
DATE_PLACE_TABLE(date_in_generated, "a generated column");
DATE_PLACE_TABLE(date_in_index, "an index");
DATE_PLACE_TABLE(date_in_check, "a CHECK constraint");

const FuncDef *func_in_pure_place(const FuncDef *f, int place) {
  const FuncEntry *table = place == FUNC_PLACE_GENERATED ? date_in_generated
                           : place == FUNC_PLACE_INDEX   ? date_in_index
                           : place == FUNC_PLACE_CHECK   ? date_in_check
                                                         : NULL;
  if (!table) return f;
  for (size_t i = 0; i < sizeof date_in_generated / sizeof date_in_generated[0]; i++)
    if (f == &func_date_table[i].def) return &table[i].def;
  return f;
}
