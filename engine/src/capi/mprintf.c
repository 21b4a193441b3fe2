/*
** mprintf.c — sqlite3_mprintf and friends, sqlite3_malloc and friends,
** and the small library calls around them (randomness, status, keywords,
** string matching, the default VFS object, mutex stand-ins).
**
** The printf family formats with the engine's own SQLite printf (the one
** behind the SQL function printf(), func/printf.c): the C arguments are
** read from the va_list into Mems by the conversion each one belongs to,
** then formatted together.  %z frees its argument afterwards; %p prints the
** pointer in hex; %n stores nothing.
*/
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "capi/api.h"
#include "func/func.h"
#include "sql/token.h"
#include "util/util.h"

#define MPRINTF_MAX_ARGS 64

typedef struct FmtArgs {
  Mem vals[MPRINTF_MAX_ARGS];
  Mem *ptrs[MPRINTF_MAX_ARGS];
  char *frees[MPRINTF_MAX_ARGS]; /* %z arguments */
  int n, nfree;
} FmtArgs;

static Mem *next_val(FmtArgs *a) {
  if (a->n >= MPRINTF_MAX_ARGS) return NULL;
  Mem *m = &a->vals[a->n];
  mem_init(m);
  a->ptrs[a->n] = m;
  a->n++;
  return m;
}

/* Reads the arguments fmt asks for; rewrites %p as %llx in *out. */
static int collect(const char *fmt, va_list ap, FmtArgs *a, StrBuf *out) {
  const char *p = fmt;
  while (*p) {
    if (*p != '%') {
      strbuf_appendc(out, *p++);
      continue;
    }
    strbuf_appendc(out, *p++);
    if (!*p) break;
    while (*p && strchr("-+ 0#,!", *p)) strbuf_appendc(out, *p++);
    if (*p == '*') {
      Mem *m = next_val(a);
      int w = va_arg(ap, int);
      if (m) mem_set_int(m, w);
      strbuf_appendc(out, *p++);
    } else {
      while (*p >= '0' && *p <= '9') strbuf_appendc(out, *p++);
    }
    if (*p == '.') {
      strbuf_appendc(out, *p++);
      if (*p == '*') {
        Mem *m = next_val(a);
        int w = va_arg(ap, int);
        if (m) mem_set_int(m, w);
        strbuf_appendc(out, *p++);
      } else {
        while (*p >= '0' && *p <= '9') strbuf_appendc(out, *p++);
      }
    }
    int longs = 0;
    while (*p == 'l') longs++, strbuf_appendc(out, *p++);
    char c = *p;
    if (!c) break;
    p++;
    Mem *m;
    switch (c) {
      case 'd': case 'i':
        m = next_val(a);
        if (longs >= 2) { long long v = va_arg(ap, long long); if (m) mem_set_int(m, v); }
        else if (longs == 1) { long v = va_arg(ap, long); if (m) mem_set_int(m, v); }
        else { int v = va_arg(ap, int); if (m) mem_set_int(m, v); }
        strbuf_appendc(out, c);
        break;
      case 'u': case 'x': case 'X': case 'o':
        m = next_val(a);
        if (longs >= 2) { unsigned long long v = va_arg(ap, unsigned long long); if (m) mem_set_int(m, (int64_t)v); }
        else if (longs == 1) { unsigned long v = va_arg(ap, unsigned long); if (m) mem_set_int(m, (int64_t)v); }
        else { unsigned v = va_arg(ap, unsigned); if (m) mem_set_int(m, v); }
        strbuf_appendc(out, c);
        break;
      case 'p': {
        void *v = va_arg(ap, void *);
        m = next_val(a);
        if (m) mem_set_int(m, (int64_t)(uintptr_t)v);
        strbuf_appendz(out, "llx");
        break;
      }
      case 'c': {
        char ch = (char)va_arg(ap, int);
        m = next_val(a);
        if (m && mem_set_text(m, &ch, 1, MEM_DYN) != LODE_OK) return LODE_NOMEM;
        strbuf_appendc(out, c);
        break;
      }
      case 'f': case 'e': case 'E': case 'g': case 'G': {
        double v = va_arg(ap, double);
        m = next_val(a);
        if (m) mem_set_real(m, v);
        strbuf_appendc(out, c);
        break;
      }
      case 's': case 'z': case 'q': case 'Q': case 'w': {
        char *z = va_arg(ap, char *);
        m = next_val(a);
        if (m && z) mem_set_text(m, z, -1, MEM_STATIC);
        if (c == 'z' && z) a->frees[a->nfree++] = z;
        strbuf_appendc(out, c == 'z' ? 's' : c);
        break;
      }
      case 'n': (void)va_arg(ap, int *); break;
      case '%': strbuf_appendc(out, c); break;
      default: strbuf_appendc(out, c); return LODE_OK; /* unknown: the output ends here */
    }
  }
  return LODE_OK;
}

/* Formats into a new util_malloc'd string (NULL on oom). */
static char *format(const char *fmt, va_list ap) {
  FmtArgs *a;
  StrBuf f, out;
  char *result = NULL;
  if (!fmt) return NULL;
  a = util_malloc(sizeof *a);
  if (!a) return NULL;
  a->n = a->nfree = 0;
  strbuf_init(&f);
  strbuf_init(&out);
  if (collect(fmt, ap, a, &f) == LODE_OK && !f.oom) {
    if (func_printf_format(&out, f.z ? f.z : "", (int)f.n, a->n, a->ptrs) == LODE_OK && !out.oom) {
      strbuf_append(&out, "", 0);
      result = strbuf_finish(&out);
      if (!result) result = util_strdup("");
    }
  }
  strbuf_reset(&out);
  strbuf_reset(&f);
  for (int i = 0; i < a->n; i++) mem_release(&a->vals[i]);
  for (int i = 0; i < a->nfree; i++) sqlite3_free(a->frees[i]);
  util_free(a);
  return result;
}

/* Where the simple path writes: the caller's buffer of cap bytes
** (snprintf: what does not fit is dropped) or, with sb set, a StrBuf. */
typedef struct Sink {
  char *buf;
  size_t cap, n;
  StrBuf *sb;
} Sink;

static void sink_put(Sink *s, const char *p, size_t n) {
  if (s->sb) {
    strbuf_append(s->sb, p, n);
    return;
  }
  if (s->n + 1 < s->cap) {
    size_t room = s->cap - 1 - s->n;
    if (n > room) n = room;
    memcpy(s->buf + s->n, p, n);
    s->n += n;
  }
}

/* Formats made only of text, %s, %d/%i (with l or ll) and %% (most calls an
** application makes, as speedtest1's number names) are written straight out,
** without the Mems and the SQL printf of format().  0 when fmt has anything
** else: the caller then starts over on the general path. */
static int format_simple(const char *fmt, va_list ap, Sink *s) {
  const char *p = fmt;
  char num[24];
  for (;;) {
    const char *pct = strchr(p, '%');
    if (!pct) {
      sink_put(s, p, strlen(p));
      return 1;
    }
    if (pct > p) sink_put(s, p, (size_t)(pct - p));
    p = pct + 1;
    int longs = 0;
    while (*p == 'l' && longs < 2) longs++, p++;
    switch (*p) {
      case 's':
        if (longs) return 0;
        {
          const char *z = va_arg(ap, const char *);
          if (z) sink_put(s, z, strlen(z));
        }
        break;
      case 'd': case 'i': {
        long long v = longs == 2 ? va_arg(ap, long long) : longs == 1 ? va_arg(ap, long) : va_arg(ap, int);
        sink_put(s, num, (size_t)util_render_int((int64_t)v, num));
        break;
      }
      case '%':
        if (longs) return 0;
        sink_put(s, "%", 1);
        break;
      default: return 0;
    }
    p++;
  }
}

char *sqlite3_vmprintf(const char *fmt, va_list ap) {
  va_list copy;
  StrBuf sb;
  Sink s = {NULL, 0, 0, &sb};
  int simple;
  api_initialize();
  if (!fmt) return NULL;
  strbuf_init(&sb);
  va_copy(copy, ap);
  simple = format_simple(fmt, copy, &s);
  va_end(copy);
  if (simple && !sb.oom) {
    strbuf_append(&sb, "", 0);
    char *z = strbuf_finish(&sb);
    return z ? z : util_strdup("");
  }
  strbuf_reset(&sb);
  va_copy(copy, ap);
  char *z = format(fmt, copy);
  va_end(copy);
  return z;
}

char *sqlite3_mprintf(const char *fmt, ...) {
  va_list ap;
  char *z;
  va_start(ap, fmt);
  z = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  return z;
}

char *sqlite3_vsnprintf(int n, char *buf, const char *fmt, va_list ap) {
  char *z;
  if (n <= 0 || !buf) return buf;
  if (fmt) {
    Sink s = {buf, (size_t)n, 0, NULL};
    va_list copy;
    int simple;
    va_copy(copy, ap);
    simple = format_simple(fmt, copy, &s);
    va_end(copy);
    if (simple) {
      buf[s.n] = 0;
      return buf;
    }
  }
  z = sqlite3_vmprintf(fmt, ap);
  if (!z) {
    buf[0] = 0;
    return buf;
  }
  size_t len = strlen(z);
  if (len >= (size_t)n) len = (size_t)n - 1;
  memcpy(buf, z, len);
  buf[len] = 0;
  util_free(z);
  return buf;
}

char *sqlite3_snprintf(int n, char *buf, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sqlite3_vsnprintf(n, buf, fmt, ap);
  va_end(ap);
  return buf;
}

/* The logger of SQLITE_CONFIG_LOG (util_set_logger). */
void api_set_logger(void (*fn)(void *, int, const char *), void *arg) { util_set_logger(fn, arg); }

void sqlite3_log(int code, const char *fmt, ...) {
  char msg[640]; /* SQLite's messages are cut at about this length too */
  va_list ap;
  if (!util_logging() || !fmt) return;
  va_start(ap, fmt);
  sqlite3_vsnprintf((int)sizeof msg, msg, fmt, ap);
  va_end(ap);
  util_log(code, msg);
}

/* ---- memory ---------------------------------------------------------------------------------------------- */

/* Allocating, formatting, the heap limits, randomness, mutexes and the VFS
** lookup initialize the library in SQLite (api_initialize). */
void *sqlite3_malloc(int n) {
  api_initialize();
  return n > 0 ? util_malloc((size_t)n) : NULL;
}
void *sqlite3_malloc64(sqlite3_uint64 n) {
  api_initialize();
  return n > 0 && n < ((sqlite3_uint64)1 << 62) ? util_malloc((size_t)n) : NULL;
}
void *sqlite3_realloc(void *p, int n) {
  api_initialize();
  if (n <= 0) {
    util_free(p);
    return NULL;
  }
  return util_realloc(p, (size_t)n);
}
void *sqlite3_realloc64(void *p, sqlite3_uint64 n) {
  api_initialize();
  if (n == 0) {
    util_free(p);
    return NULL;
  }
  return n < ((sqlite3_uint64)1 << 62) ? util_realloc(p, (size_t)n) : NULL;
}
void sqlite3_free(void *p) { util_free(p); }
sqlite3_uint64 sqlite3_msize(void *p) { return p ? malloc_usable_size(p) : 0; }
sqlite3_int64 sqlite3_memory_used(void) { return 0; }
sqlite3_int64 sqlite3_memory_highwater(int reset) { (void)reset; return 0; }
/* Deprecated: SQLite's own version does nothing and returns SQLITE_OK. */
int sqlite3_memory_alarm(void (*cb)(void *, sqlite3_int64, int), void *arg, sqlite3_int64 n) {
  (void)cb, (void)arg, (void)n;
  return SQLITE_OK;
}
int sqlite3_release_memory(int n) { (void)n; return 0; }
/* The connection's cached pages that nobody holds (its dirty ones stay). */
int sqlite3_db_release_memory(sqlite3 *db) {
  if (!db || db->magic != CONN_MAGIC_OPEN) return SQLITE_MISUSE;
  conn_pragma_set(db, CONN_DB_MAIN, CONN_PRAGMA_SHRINK_MEMORY, 0);
  return SQLITE_OK;
}
/* Heap limits are kept and reported as SQLite keeps them (the soft one never
** above a nonzero hard one); Lode does not count its heap, so neither limit
** is enforced. */
static _Atomic sqlite3_int64 soft_limit, hard_limit;
sqlite3_int64 sqlite3_soft_heap_limit64(sqlite3_int64 n) {
  api_initialize();
  sqlite3_int64 old = atomic_load(&soft_limit), hard = atomic_load(&hard_limit);
  if (n < 0) return old;
  if (hard > 0 && (n > hard || n == 0)) n = hard;
  atomic_store(&soft_limit, n);
  return old;
}
sqlite3_int64 sqlite3_hard_heap_limit64(sqlite3_int64 n) {
  api_initialize();
  sqlite3_int64 old = atomic_load(&hard_limit);
  if (n < 0) return old;
  atomic_store(&hard_limit, n);
  sqlite3_int64 soft = atomic_load(&soft_limit);
  if (n > 0 && (soft == 0 || soft > n)) atomic_store(&soft_limit, n);
  return old;
}
void sqlite3_soft_heap_limit(int n) { sqlite3_soft_heap_limit64(n < 0 ? 0 : n); }

void sqlite3_randomness(int n, void *p) {
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  static uint64_t state;
  unsigned char *out = p;
  api_initialize();
  if (n <= 0 || !p) return;
  pthread_mutex_lock(&lock);
  if (!state) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    state = ((uint64_t)tv.tv_sec * 1000003u) ^ (uint64_t)tv.tv_usec ^ ((uint64_t)getpid() << 32);
    state ^= 0x9e3779b97f4a7c15ull;
  }
  for (int i = 0; i < n; i++) {
    /* xorshift64*: statistically fine, not for secrets (neither is SQLite's) */
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    out[i] = (unsigned char)((state * 0x2545F4914F6CDD1Dull) >> 56);
  }
  pthread_mutex_unlock(&lock);
}

int sqlite3_status64(int op, sqlite3_int64 *cur, sqlite3_int64 *high, int reset) {
  (void)reset;
  if (op < SQLITE_STATUS_MEMORY_USED || op > SQLITE_STATUS_MALLOC_COUNT || !cur || !high) return SQLITE_MISUSE;
  *cur = *high = 0;
  return SQLITE_OK;
}

int sqlite3_status(int op, int *cur, int *high, int reset) {
  sqlite3_int64 c, h;
  int rc = sqlite3_status64(op, &c, &h, reset);
  if (rc == SQLITE_OK) *cur = (int)c, *high = (int)h;
  return rc;
}

int sqlite3_db_status64(sqlite3 *db, int op, sqlite3_int64 *cur, sqlite3_int64 *high, int reset) {
  (void)reset;
  if (!db || db->magic != CONN_MAGIC_OPEN || !cur || !high) return SQLITE_MISUSE;
  if (op < 0 || op > SQLITE_DBSTATUS_MAX) return SQLITE_ERROR;
  *cur = *high = 0;
  /* Lode keeps no counts of its caches' memory or hits (docs/c-api.md): those read 0. */
  if (op == SQLITE_DBSTATUS_DEFERRED_FKS) *cur = db->fk_deferred[0] > 0 || db->fk_deferred[1] > 0;
  return SQLITE_OK;
}

int sqlite3_db_status(sqlite3 *db, int op, int *cur, int *high, int reset) {
  sqlite3_int64 c = 0, h = 0;
  if (!cur || !high) return SQLITE_MISUSE;
  int rc = sqlite3_db_status64(db, op, &c, &h, reset);
  if (rc == SQLITE_OK) *cur = (int)c, *high = (int)h;
  return rc;
}

/* ---- keywords and string matching --------------------------------------------------------------------- */

int sqlite3_keyword_count(void) { return sql_keyword_count(); }

int sqlite3_keyword_name(int i, const char **name, int *len) {
  const char *z = sql_keyword_name(i);
  if (!z) return SQLITE_ERROR;
  if (name) *name = z;
  if (len) *len = (int)strlen(z);
  return SQLITE_OK;
}

int sqlite3_keyword_check(const char *z, int n) { return z && n > 0 && sql_keyword_code(z, n) != TK_ID; }

int sqlite3_strglob(const char *glob, const char *str) {
  if (!glob) return str ? -1 : 0;
  if (!str) return 1;
  return func_pattern_match(glob, str, 1, 0) ? 0 : 1;
}

int sqlite3_strlike(const char *like, const char *str, unsigned int esc) {
  if (!like) return str ? -1 : 0;
  if (!str) return 1;
  return func_pattern_match(like, str, 0, esc) ? 0 : 1;
}

/* ---- the default VFS: what programs ask of it without opening files ------------------------------------ */

static int vfs_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *out) {
  /* Julian day number in milliseconds, as SQLite's unix VFS reports it. */
  static const sqlite3_int64 unix_epoch = (sqlite3_int64)24405875 * 8640000;
  struct timeval tv;
  (void)vfs;
  gettimeofday(&tv, NULL);
  *out = unix_epoch + (sqlite3_int64)1000 * tv.tv_sec + tv.tv_usec / 1000;
  return SQLITE_OK;
}

static int vfs_current_time(sqlite3_vfs *vfs, double *out) {
  sqlite3_int64 ms;
  vfs_current_time_int64(vfs, &ms);
  *out = (double)ms / 86400000.0;
  return SQLITE_OK;
}

static int vfs_sleep(sqlite3_vfs *vfs, int us) {
  (void)vfs;
  usleep((useconds_t)(us < 0 ? 0 : us));
  return us;
}

static int vfs_randomness(sqlite3_vfs *vfs, int n, char *out) {
  (void)vfs;
  sqlite3_randomness(n, out);
  return n;
}

static int vfs_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags, int *out_flags) {
  (void)vfs, (void)name, (void)flags, (void)out_flags;
  f->pMethods = NULL;
  return SQLITE_CANTOPEN; /* Lode opens its files itself */
}

static int vfs_delete(sqlite3_vfs *vfs, const char *name, int sync) {
  (void)vfs, (void)sync;
  return unlink(name) == 0 ? SQLITE_OK : SQLITE_IOERR_DELETE_NOENT;
}

static int vfs_access(sqlite3_vfs *vfs, const char *name, int flags, int *out) {
  (void)vfs;
  *out = access(name, flags == SQLITE_ACCESS_EXISTS ? F_OK : flags == SQLITE_ACCESS_READ ? R_OK : R_OK | W_OK) == 0;
  return SQLITE_OK;
}

static int vfs_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out) {
  (void)vfs;
  if (n <= 0) return SQLITE_CANTOPEN;
  if (name[0] == '/') {
    snprintf(out, (size_t)n, "%s", name);
  } else {
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) return SQLITE_CANTOPEN;
    snprintf(out, (size_t)n, "%s/%s", cwd, name);
  }
  return SQLITE_OK;
}

static int vfs_last_error(sqlite3_vfs *vfs, int n, char *out) {
  (void)vfs;
  if (n > 0) out[0] = 0;
  return 0;
}

static sqlite3_vfs default_vfs = {
    2, (int)sizeof(sqlite3_file), 4096, NULL, "unix", NULL,
    vfs_open, vfs_delete, vfs_access, vfs_full_pathname,
    NULL, NULL, NULL, NULL,
    vfs_randomness, vfs_sleep, vfs_current_time, vfs_last_error, vfs_current_time_int64,
    NULL, NULL, NULL,
};

sqlite3_vfs *sqlite3_vfs_find(const char *name) {
  api_initialize();
  if (!name || strcmp(name, "unix") == 0) return &default_vfs;
  return NULL;
}

int sqlite3_vfs_register(sqlite3_vfs *vfs, int make_default) {
  (void)make_default;
  return vfs ? SQLITE_ERROR : SQLITE_MISUSE; /* Lode does its own I/O */
}

int sqlite3_vfs_unregister(sqlite3_vfs *vfs) { return vfs == &default_vfs ? SQLITE_ERROR : SQLITE_OK; }

/* ---- mutexes ------------------------------------------------------------------------------------------- */

struct sqlite3_mutex {
  pthread_mutex_t m;
};

sqlite3_mutex *sqlite3_mutex_alloc(int kind) {
  api_initialize();
  sqlite3_mutex *m = util_malloc(sizeof *m);
  pthread_mutexattr_t attr;
  if (!m) return NULL;
  pthread_mutexattr_init(&attr);
  if (kind == SQLITE_MUTEX_RECURSIVE) pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&m->m, &attr);
  pthread_mutexattr_destroy(&attr);
  return m;
}

void sqlite3_mutex_free(sqlite3_mutex *m) {
  if (!m) return;
  pthread_mutex_destroy(&m->m);
  util_free(m);
}

void sqlite3_mutex_enter(sqlite3_mutex *m) {
  if (m) pthread_mutex_lock(&m->m);
}
int sqlite3_mutex_try(sqlite3_mutex *m) { return !m || pthread_mutex_trylock(&m->m) == 0 ? SQLITE_OK : SQLITE_BUSY; }
void sqlite3_mutex_leave(sqlite3_mutex *m) {
  if (m) pthread_mutex_unlock(&m->m);
}
/* Connections have no mutex: the program serialises its use of one. */
sqlite3_mutex *sqlite3_db_mutex(sqlite3 *db) { (void)db; return NULL; }
