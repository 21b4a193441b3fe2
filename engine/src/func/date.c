/*
** date.c — SQLite's date and time functions: date, time, datetime,
** julianday, unixepoch, strftime.
**
** A time value is held as a Julian day number in milliseconds (jd_ms) and/or
** as broken-down fields (year, month, day, hour, minute, seconds), each
** side computed from the other on demand.  Fields parsed from text are
** printed back as given when no modifier touched them, which is why
** date('2024-02-30') is '2024-02-30' (SQLite does the same).
**
** Inputs: 'YYYY-MM-DD', optionally followed by ' ' or 'T' and
** 'HH:MM[:SS[.SSS]]'; a bare 'HH:MM[:SS[.SSS]]' (on 2000-01-01); either
** with a '[+-]HH:MM' or 'Z' suffix; 'now'; a number (Julian day).
** Modifiers: '[+-]N days|hours|minutes|seconds|months|years', 'start of
** day|month|year', 'weekday N', 'unixepoch', 'julianday', 'auto',
** 'localtime', 'utc'.  Anything malformed gives NULL.
**
** Calendar conversion: the Gregorian <-> Julian day formulas from Meeus,
** "Astronomical Algorithms", in integer arithmetic.
** Valid range: Julian day 0 (-4713-11-24) to 9999-12-31 23:59:59.999.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "func/func_internal.h"

#define MS_PER_DAY 86400000LL
#define MS_PER_HOUR 3600000LL
#define MS_PER_MINUTE 60000LL
#define JD_MS_MAX 464269060799999LL      /* 9999-12-31 23:59:59.999 */
#define UNIX_EPOCH_JD_MS 210866760000000LL /* 1970-01-01 as jd_ms */
#define AUTO_JD_LIMIT 5373484.5          /* larger numbers are unix seconds */
#define DATE_BUF 64

typedef struct DateTime {
  int64_t jd_ms;
  int year, month, day, hour, minute;
  double sec;
  int tz_minutes;
  unsigned valid_jd : 1, valid_ymd : 1, valid_hms : 1, has_tz : 1;
  unsigned raw_is_num : 1; /* the input was a number (for 'unixepoch') */
  unsigned clock : 1;      /* the value read the clock or the time zone ('now', 'localtime', 'utc') */
  double raw_num;
} DateTime;

/* ---- calendar arithmetic ------------------------------------------------------ */

static void dt_compute_jd(DateTime *p) {
  int y, m, d, a, b, x1, x2;
  if (p->valid_jd) return;
  y = p->valid_ymd ? p->year : 2000;
  m = p->valid_ymd ? p->month : 1;
  d = p->valid_ymd ? p->day : 1;
  if (m <= 2) {
    y--;
    m += 12;
  }
  a = y / 100;
  b = 2 - a + a / 4;
  x1 = 36525 * (y + 4716) / 100;
  x2 = 306001 * (m + 1) / 10000;
  p->jd_ms = (int64_t)((x1 + x2 + d + b - 1524.5) * MS_PER_DAY);
  if (p->valid_hms) {
    p->jd_ms += p->hour * MS_PER_HOUR + p->minute * MS_PER_MINUTE + llround(p->sec * 1000.0);
  }
  if (p->has_tz) {
    p->jd_ms -= p->tz_minutes * MS_PER_MINUTE;
    p->has_tz = 0;
    p->valid_ymd = p->valid_hms = 0; /* re-derive the fields in UTC */
  }
  p->valid_jd = 1;
}

static void dt_compute_ymd(DateTime *p) {
  int z, alpha, a, b, c, d, e;
  if (p->valid_ymd) return;
  if (!p->valid_jd) {
    p->year = 2000;
    p->month = p->day = 1;
  } else {
    z = (int)((p->jd_ms + MS_PER_DAY / 2) / MS_PER_DAY);
    alpha = (int)((z - 1867216.25) / 36524.25);
    a = z + 1 + alpha - alpha / 4;
    b = a + 1524;
    c = (int)((b - 122.1) / 365.25);
    d = (36525 * (c & 32767)) / 100;
    e = (int)((b - d) / 30.6001);
    p->day = b - d - (int)(30.6001 * e);
    p->month = e < 14 ? e - 1 : e - 13;
    p->year = p->month > 2 ? c - 4716 : c - 4715;
  }
  p->valid_ymd = 1;
}

static void dt_compute_hms(DateTime *p) {
  int64_t ms;
  if (p->valid_hms) return;
  dt_compute_jd(p);
  ms = (p->jd_ms + MS_PER_DAY / 2) % MS_PER_DAY;
  p->hour = (int)(ms / MS_PER_HOUR);
  p->minute = (int)(ms % MS_PER_HOUR / MS_PER_MINUTE);
  p->sec = (double)(ms % MS_PER_MINUTE) / 1000.0;
  p->valid_hms = 1;
}

static void dt_compute_all(DateTime *p) {
  dt_compute_jd(p);
  dt_compute_ymd(p);
  dt_compute_hms(p);
}

/* After jd_ms changed: the fields must be derived again. */
static void dt_jd_changed(DateTime *p) { p->valid_ymd = p->valid_hms = 0; }

/* ---- parsing ------------------------------------------------------------------- */

/* Reads exactly n digits at *z into *out, checking [lo, hi]. */
static int parse_digits(const char **z, int n, int lo, int hi, int *out) {
  int v = 0, k;
  for (k = 0; k < n; k++) {
    if ((*z)[k] < '0' || (*z)[k] > '9') return 0;
    v = v * 10 + ((*z)[k] - '0');
  }
  if (v < lo || v > hi) return 0;
  *z += n;
  *out = v;
  return 1;
}

static void skip_spaces(const char **z) {
  while (**z == ' ' || **z == '\t') (*z)++;
}

/* '[+-]HH:MM' or 'Z' after a time; returns 0 on malformed input. */
static int parse_tz(const char **z, DateTime *p) {
  int sign, h, m;
  skip_spaces(z);
  if (**z == 'Z' || **z == 'z') {
    (*z)++;
    p->has_tz = 1;
    p->tz_minutes = 0;
    return 1;
  }
  if (**z != '+' && **z != '-') return 1;
  sign = **z == '-' ? -1 : 1;
  (*z)++;
  if (!parse_digits(z, 2, 0, 14, &h) || *(*z)++ != ':' || !parse_digits(z, 2, 0, 59, &m)) return 0;
  p->has_tz = 1;
  p->tz_minutes = sign * (h * 60 + m);
  return 1;
}

/* 'HH:MM[:SS[.SSS]]' */
static int parse_hms(const char **z, DateTime *p) {
  int h, m, s = 0;
  double frac = 0.0, scale = 0.1;
  if (!parse_digits(z, 2, 0, 24, &h) || **z != ':') return 0;
  (*z)++;
  if (!parse_digits(z, 2, 0, 59, &m)) return 0;
  if (**z == ':') {
    (*z)++;
    if (!parse_digits(z, 2, 0, 59, &s)) return 0;
    if (**z == '.' && (*z)[1] >= '0' && (*z)[1] <= '9') {
      for ((*z)++; **z >= '0' && **z <= '9'; (*z)++, scale /= 10) frac += (**z - '0') * scale;
      /* Digits past the millisecond never round up into the next second
      ** (SQLite keeps at most .999). */
      if (frac > 0.999) frac = 0.999;
    }
  }
  p->hour = h;
  p->minute = m;
  p->sec = s + frac;
  p->valid_hms = 1;
  return parse_tz(z, p);
}

/* 'YYYY-MM-DD[( |T)HH:MM[:SS[.SSS]]][tz]' */
static int parse_ymd(const char **z, DateTime *p) {
  int y, m, d;
  if (!parse_digits(z, 4, 0, 9999, &y) || *(*z)++ != '-' || !parse_digits(z, 2, 1, 12, &m) ||
      *(*z)++ != '-' || !parse_digits(z, 2, 1, 31, &d))
    return 0;
  p->year = y;
  p->month = m;
  p->day = d;
  p->valid_ymd = 1;
  while (**z == ' ' || **z == 'T') (*z)++;
  if (**z >= '0' && **z <= '9') return parse_hms(z, p);
  return 1;
}

static void dt_set_now(DateTime *p) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  p->jd_ms = UNIX_EPOCH_JD_MS + (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
  p->valid_jd = 1;
  p->clock = 1;
}

static void dt_set_julian(DateTime *p, double r) {
  p->raw_is_num = 1;
  p->raw_num = r;
  p->jd_ms = llround(r * MS_PER_DAY);
  p->valid_jd = 1;
}

/* Parses the time value argument; returns 0 if it is not one. */
static int dt_parse(const Mem *m, DateTime *p) {
  char buf[DATE_BUF];
  const char *z;
  int n;
  int64_t iv;
  double rv;
  memset(p, 0, sizeof(*p));
  if (m->type == MEM_INT || m->type == MEM_REAL) {
    dt_set_julian(p, mem_as_real(m));
    return 1;
  }
  if (m->type != MEM_TEXT || m->n >= DATE_BUF) return 0;
  memcpy(buf, m->z, (size_t)m->n);
  buf[m->n] = 0;
  n = util_parse_number(buf, (size_t)m->n, &iv, &rv);
  if (n) {
    dt_set_julian(p, n == 1 ? (double)iv : rv);
    return 1;
  }
  z = buf; /* leading spaces are not allowed, trailing ones are */
  if (util_stricmp(z, "now") == 0) {
    dt_set_now(p);
    return 1;
  }
  if (strlen(z) >= 5 && z[2] == ':') {
    if (!parse_hms(&z, p)) return 0;
  } else if (!parse_ymd(&z, p)) {
    return 0;
  }
  skip_spaces(&z);
  return *z == 0;
}

/* ---- modifiers ------------------------------------------------------------------ */

static int mod_add(DateTime *p, double n, const char *unit) {
  static const struct { const char *name; int64_t ms; } units[] = {
      {"day", MS_PER_DAY}, {"hour", MS_PER_HOUR}, {"minute", MS_PER_MINUTE}, {"second", 1000}};
  size_t len = strlen(unit), k;
  if (len > 1 && (unit[len - 1] == 's' || unit[len - 1] == 'S')) len--;
  for (k = 0; k < sizeof(units) / sizeof(units[0]); k++) {
    if (strlen(units[k].name) == len && util_strnicmp(unit, units[k].name, len) == 0) {
      dt_compute_jd(p);
      p->jd_ms += llround(n * (double)units[k].ms);
      dt_jd_changed(p);
      return 1;
    }
  }
  if ((len == 5 && util_strnicmp(unit, "month", 5) == 0) || (len == 4 && util_strnicmp(unit, "year", 4) == 0)) {
    int whole = (int)n, is_month = len == 5;
    double frac = n - whole;
    dt_compute_all(p);
    if (is_month) {
      int months = p->month - 1 + whole;
      int carry = months >= 0 ? months / 12 : (months - 11) / 12;
      p->year += carry;
      p->month = months - carry * 12 + 1;
    } else {
      p->year += whole;
    }
    p->valid_jd = 0;
    dt_compute_jd(p); /* normalizes an overflowing day: 01-31 +1 month */
    if (frac != 0.0) p->jd_ms += llround(frac * (is_month ? 30.0 : 365.0) * MS_PER_DAY);
    dt_jd_changed(p);
    return 1;
  }
  return 0;
}

/* Shifts by the local time zone offset (to_local) or back to UTC. */
static int mod_localtime(DateTime *p, int to_local) {
  time_t t;
  struct tm tm;
  int64_t offset_ms, ms;
  dt_compute_jd(p);
  p->clock = 1;
  ms = p->jd_ms - UNIX_EPOCH_JD_MS;
  t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  if (!localtime_r(&t, &tm)) return 0;
  offset_ms = (int64_t)tm.tm_gmtoff * 1000;
  if (!to_local) { /* the offset that applies at the UTC instant we land on */
    time_t u = (time_t)(t - tm.tm_gmtoff);
    if (!localtime_r(&u, &tm)) return 0;
    offset_ms = -(int64_t)tm.tm_gmtoff * 1000;
  }
  p->jd_ms += offset_ms;
  dt_jd_changed(p);
  return 1;
}

static int apply_modifier(DateTime *p, const char *z, int first) {
  double n;
  if (util_stricmp(z, "unixepoch") == 0) {
    if (!first || !p->raw_is_num) return 0;
    p->jd_ms = llround(p->raw_num * 1000.0) + UNIX_EPOCH_JD_MS;
    dt_jd_changed(p);
    return 1;
  }
  if (util_stricmp(z, "julianday") == 0) return first && p->raw_is_num;
  if (util_stricmp(z, "auto") == 0) {
    if (!first || !p->raw_is_num) return 0;
    if (p->raw_num < 0 || p->raw_num >= AUTO_JD_LIMIT) return apply_modifier(p, "unixepoch", 1);
    return 1;
  }
  if (util_stricmp(z, "localtime") == 0) return mod_localtime(p, 1);
  if (util_stricmp(z, "utc") == 0) return mod_localtime(p, 0);
  if (util_strnicmp(z, "start of ", 9) == 0) {
    dt_compute_all(p);
    p->hour = p->minute = 0;
    p->sec = 0.0;
    if (util_stricmp(z + 9, "month") == 0) p->day = 1;
    else if (util_stricmp(z + 9, "year") == 0) p->month = p->day = 1;
    else if (util_stricmp(z + 9, "day") != 0) return 0;
    p->valid_jd = 0;
    return 1;
  }
  if (util_strnicmp(z, "weekday ", 8) == 0) {
    int64_t iv, wd;
    double rv;
    if (util_parse_number(z + 8, strlen(z + 8), &iv, &rv) != 1 || iv < 0 || iv > 6) return 0;
    dt_compute_jd(p);
    wd = ((p->jd_ms + MS_PER_DAY * 3 / 2) / MS_PER_DAY) % 7;
    if (wd > iv) wd -= 7;
    p->jd_ms += (iv - wd) * MS_PER_DAY;
    dt_jd_changed(p);
    return 1;
  }
  if ((z[0] >= '0' && z[0] <= '9') || z[0] == '+' || z[0] == '-' || z[0] == '.') {
    const char *u = z + 1;
    int64_t iv;
    int kind;
    while (*u && *u != ' ') u++;
    kind = util_parse_number(z, (size_t)(u - z), &iv, &n);
    if (kind == 0) return 0;
    if (kind == 1) n = (double)iv;
    while (*u == ' ') u++;
    return mod_add(p, n, u);
  }
  return 0;
}

static int dt_from_args(int argc, Mem **argv, DateTime *p);

/* The function's value in a generated column (ctx->user_data names that
** place, see func_in_generated_column) must not depend on the moment:
** SQLite's "non-deterministic use of date() in a generated column". */
static int dt_args(FuncContext *ctx, const char *name, int argc, Mem **argv, DateTime *p) {
  if (!dt_from_args(argc, argv, p)) return 0;
  if (!p->clock || !ctx->user_data) return 1;
  char *msg = util_mprintf("non-deterministic use of %s() in %s", name, (const char *)ctx->user_data);
  func_error(ctx, msg ? LODE_ERROR : LODE_NOMEM, msg ? msg : "out of memory");
  util_free(msg);
  return 0;
}

/* Parses argv[0] and applies argv[1..]; returns 0 if the result is NULL. */
static int dt_from_args(int argc, Mem **argv, DateTime *p) {
  int i;
  if (argc == 0) {
    memset(p, 0, sizeof(*p));
    dt_set_now(p);
    return 1;
  }
  if (!dt_parse(argv[0], p)) return 0;
  for (i = 1; i < argc; i++) {
    char buf[DATE_BUF];
    const char *z;
    int n;
    if (argv[i]->type == MEM_NULL) return 0;
    mem_text_view(argv[i], buf, &z, &n);
    if (n >= DATE_BUF) return 0;
    memmove(buf, z, (size_t)n);
    buf[n] = 0;
    if (!apply_modifier(p, buf, i == 1)) return 0;
  }
  dt_compute_jd(p);
  return p->jd_ms >= 0 && p->jd_ms <= JD_MS_MAX;
}

/* ---- output ---------------------------------------------------------------------- */

static void put_date(StrBuf *b, DateTime *p) {
  dt_compute_ymd(p);
  if (p->year < 0) strbuf_printf(b, "-%04d-%02d-%02d", -p->year, p->month, p->day);
  else strbuf_printf(b, "%04d-%02d-%02d", p->year, p->month, p->day);
}

static void put_time(StrBuf *b, DateTime *p) {
  dt_compute_hms(p);
  strbuf_printf(b, "%02d:%02d:%02d", p->hour, p->minute, (int)p->sec);
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
  if (dt_args(ctx, "julianday", argc, argv, &p)) mem_set_real(ctx->out, (double)p.jd_ms / MS_PER_DAY);
}

static int64_t dt_unix_seconds(const DateTime *p) {
  int64_t ms = p->jd_ms - UNIX_EPOCH_JD_MS;
  return ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
}

static void fn_unixepoch(FuncContext *ctx, int argc, Mem **argv) {
  DateTime p;
  if (dt_args(ctx, "unixepoch", argc, argv, &p)) mem_set_int(ctx->out, dt_unix_seconds(&p));
}

/* One strftime conversion; returns 0 for an unknown one (result NULL). */
static int strftime_one(StrBuf *b, DateTime *p, char c) {
  DateTime jan1;
  int64_t yday, wday;
  dt_compute_all(p);
  wday = ((p->jd_ms + MS_PER_DAY * 3 / 2) / MS_PER_DAY) % 7;
  memset(&jan1, 0, sizeof(jan1));
  jan1.year = p->year;
  jan1.month = jan1.day = 1;
  jan1.valid_ymd = 1;
  dt_compute_jd(&jan1);
  yday = (p->jd_ms - jan1.jd_ms) / MS_PER_DAY; /* jan1 is at midnight */
  switch (c) {
    case 'd': strbuf_printf(b, "%02d", p->day); break;
    case 'f': /* SQLite's "%06.3f": its own rounding (see util_real_decode) */
      if (p->sec < 10.0) strbuf_appendc(b, '0');
      func_format_fixed(b, p->sec, 3);
      break;
    case 'H': strbuf_printf(b, "%02d", p->hour); break;
    case 'j': strbuf_printf(b, "%03d", (int)yday + 1); break;
    case 'J': func_format_generic(b, (double)p->jd_ms / MS_PER_DAY, 16); break;
    case 'm': strbuf_printf(b, "%02d", p->month); break;
    case 'M': strbuf_printf(b, "%02d", p->minute); break;
    case 's': strbuf_printf(b, "%lld", (long long)dt_unix_seconds(p)); break;
    case 'S': strbuf_printf(b, "%02d", (int)p->sec); break;
    case 'w': strbuf_printf(b, "%d", (int)wday); break;
    case 'W': strbuf_printf(b, "%02d", (int)((yday + 7 - (wday + 6) % 7) / 7)); break;
    case 'Y': strbuf_printf(b, "%04d", p->year); break;
    case '%': strbuf_appendc(b, '%'); break;
    default: return 0;
  }
  return 1;
}

static void fn_strftime(FuncContext *ctx, int argc, Mem **argv) {
  char fbuf[FUNC_TEXT_BUF];
  const char *fmt;
  int n, i;
  DateTime p;
  StrBuf b;
  if (argc < 1 || argv[0]->type == MEM_NULL) return;
  if (!dt_args(ctx, "strftime", argc - 1, argv + 1, &p)) return;
  mem_text_view(argv[0], fbuf, &fmt, &n);
  strbuf_init(&b);
  strbuf_append(&b, "", 0);
  for (i = 0; i < n; i++) {
    if (fmt[i] != '%') {
      strbuf_appendc(&b, fmt[i]);
    } else if (i + 1 >= n || !strftime_one(&b, &p, fmt[++i])) {
      strbuf_reset(&b);
      return;
    }
  }
  func_result_strbuf(ctx, &b);
}

#define DATEFN(name, min, fn) {{name, -1, 0, fn, NULL, NULL, 0, NULL}, min}

const FuncEntry func_date_table[] = {
    DATEFN("date", 0, fn_date),           DATEFN("time", 0, fn_time),
    DATEFN("datetime", 0, fn_datetime),   DATEFN("julianday", 0, fn_julianday),
    DATEFN("unixepoch", 0, fn_unixepoch), DATEFN("strftime", 1, fn_strftime),
    /* CURRENT_DATE, CURRENT_TIME, CURRENT_TIMESTAMP: date(), time(), datetime() of now */
    {{"current_date", 0, 0, fn_date, NULL, NULL, 0, NULL}, 0},
    {{"current_time", 0, 0, fn_time, NULL, NULL, 0, NULL}, 0},
    {{"current_timestamp", 0, 0, fn_datetime, NULL, NULL, 0, NULL}, 0},
    {{NULL, 0, 0, NULL, NULL, NULL, 0, NULL}, 0},
};

/* The same functions as generated columns call them: their user data names
** the place, and reading the clock there is an error (dt_args). */
#define GENERATED_COLUMN ((void *)"a generated column")
#define DATEFN_GEN(name, min, fn) {{name, -1, 0, fn, NULL, NULL, 0, GENERATED_COLUMN}, min}
static const FuncEntry date_in_generated[] = {
    DATEFN_GEN("date", 0, fn_date),           DATEFN_GEN("time", 0, fn_time),
    DATEFN_GEN("datetime", 0, fn_datetime),   DATEFN_GEN("julianday", 0, fn_julianday),
    DATEFN_GEN("unixepoch", 0, fn_unixepoch), DATEFN_GEN("strftime", 1, fn_strftime),
};

const FuncDef *func_in_generated_column(const FuncDef *f) {
  for (size_t i = 0; i < sizeof date_in_generated / sizeof date_in_generated[0]; i++)
    if (f == &func_date_table[i].def) return &date_in_generated[i].def;
  return f;
}
