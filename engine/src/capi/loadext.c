/*
** loadext.c — loadable extensions: sqlite3_load_extension and the
** load_extension() SQL function (each refused with "not authorized" until
** the application enables it), the process-wide list of automatic
** extensions run at every sqlite3_open, and the table of entry points an
** extension receives (sqlite3ext.h's sqlite3_api_routines, filled from the
** same list that declares it).
**
** A library loaded into a connection stays loaded until the connection
** closes (after its functions, collations and modules are gone), unless its
** init function asked to stay (SQLITE_OK_LOAD_PERMANENTLY).
*/
#include <pthread.h>
#include <string.h>
#ifdef __EMSCRIPTEN__
/* The wasm build has no shared libraries: every library fails to open. */
#define dlopen(file, flags) ((void)(file), (void)(flags), (void *)0)
#define dlsym(handle, name) ((void)(handle), (void)(name), (void *)0)
#define dlclose(handle) ((void)(handle), 0)
#define dlerror() ((const char *)0)
#define RTLD_NOW 0
#define RTLD_GLOBAL 0
#else
#include <dlfcn.h>
#endif

#include "capi/api.h"
#define SQLITE_CORE 1
#include "sqlite3ext.h"
#include "util/util.h"

#define FILL_ROUTINE(member, function) .member = function,
static const sqlite3_api_routines routines = {SQLITE3EXT_ROUTINES(FILL_ROUTINE)};
#undef FILL_ROUTINE

/* ---- enabling -------------------------------------------------------------------------------------------- */

int sqlite3_enable_load_extension(sqlite3 *db, int onoff) {
  if (!db || db->magic != CONN_MAGIC_OPEN) return SQLITE_MISUSE;
  ConnApi *a = conn_api(db);
  if (!a) return conn_error(db, SQLITE_NOMEM, NULL);
  a->load_ext = a->load_ext_sql = onoff != 0;
  return SQLITE_OK;
}

/* SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION: the C call only (onoff < 0 asks). */
int api_config_load_extension(sqlite3 *db, int onoff, int *out) {
  ConnApi *a = conn_api(db);
  if (!a) return conn_error(db, SQLITE_NOMEM, NULL);
  if (onoff >= 0) a->load_ext = onoff != 0;
  if (out) *out = a->load_ext;
  return SQLITE_OK;
}

/* ---- loading --------------------------------------------------------------------------------------------- */

/* sqlite3_<letters of the file's base name, without "lib" and the suffix>_init. */
static char *default_entry(const char *file) {
  const char *base = strrchr(file, '/');
  base = base ? base + 1 : file;
  if (strncmp(base, "lib", 3) == 0) base += 3;
  StrBuf b;
  strbuf_init(&b);
  strbuf_appendz(&b, "sqlite3_");
  for (const char *c = base; *c && *c != '.'; c++)
    if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')) strbuf_appendc(&b, (char)(*c | 0x20));
  strbuf_appendz(&b, "_init");
  return strbuf_finish(&b);
}

static char *system_error(const char *fmt, const char *a, const char *b) {
  const char *why = dlerror();
  return why ? sqlite3_mprintf("%s", why) : sqlite3_mprintf(fmt, a, b);
}

static int keep_handle(ConnApi *a, void *handle) {
  if (a->nlibs == a->libs_cap) {
    int cap = a->libs_cap ? a->libs_cap * 2 : 4;
    void **libs = util_realloc(a->libs, (size_t)cap * sizeof *libs);
    if (!libs) return SQLITE_NOMEM;
    a->libs = libs;
    a->libs_cap = cap;
  }
  a->libs[a->nlibs++] = handle;
  return SQLITE_OK;
}

static int load_error(sqlite3 *db, char **errmsg, char *msg) {
  if (errmsg) *errmsg = msg ? sqlite3_mprintf("%s", msg) : NULL;
  int rc = conn_error(db, SQLITE_ERROR, "%s", msg ? msg : "out of memory");
  sqlite3_free(msg);
  return rc;
}

int sqlite3_load_extension(sqlite3 *db, const char *file, const char *proc, char **errmsg) {
  if (errmsg) *errmsg = NULL;
  if (!db || db->magic != CONN_MAGIC_OPEN) return SQLITE_MISUSE;
  if (!db->api || !db->api->load_ext) return load_error(db, errmsg, sqlite3_mprintf("not authorized"));
  if (!file) return load_error(db, errmsg, sqlite3_mprintf("unable to open shared library [(null)]"));
  void *handle = dlopen(file, RTLD_NOW | RTLD_GLOBAL);
  if (!handle) {
    char *with_suffix = sqlite3_mprintf("%s.so", file);
    if (with_suffix) handle = dlopen(with_suffix, RTLD_NOW | RTLD_GLOBAL);
    sqlite3_free(with_suffix);
  }
  /* As SQLite does, the system's own explanation replaces the message when there is one. */
  if (!handle) return load_error(db, errmsg, system_error("unable to open shared library [%s]", file, NULL));
  char *entry_name = proc ? util_strdup(proc) : util_strdup("sqlite3_extension_init");
  sqlite3_loadext_entry entry = NULL;
  if (entry_name) *(void **)&entry = dlsym(handle, entry_name);
  if (!entry && entry_name && !proc) {
    util_free(entry_name);
    entry_name = default_entry(file);
    if (entry_name) *(void **)&entry = dlsym(handle, entry_name);
  }
  if (!entry) {
    char *msg = entry_name ? system_error("no entry point [%s] in shared library [%s]", entry_name, file) : NULL;
    util_free(entry_name);
    dlclose(handle);
    return load_error(db, errmsg, msg);
  }
  util_free(entry_name);
  char *init_err = NULL;
  int rc = entry(db, &init_err, &routines);
  if ((rc & 0xff) != SQLITE_OK) {
    char *msg = sqlite3_mprintf("error during initialization: %s", init_err ? init_err : "");
    sqlite3_free(init_err);
    dlclose(handle);
    return load_error(db, errmsg, msg);
  }
  sqlite3_free(init_err);
  if (rc == SQLITE_OK_LOAD_PERMANENTLY) return SQLITE_OK;
  if (!db->api || keep_handle(db->api, handle) != SQLITE_OK) return conn_error(db, SQLITE_NOMEM, NULL);
  return SQLITE_OK;
}

void api_loadext_close(lode *db) {
  ConnApi *a = db->api;
  for (int i = a->nlibs - 1; i >= 0; i--) dlclose(a->libs[i]);
  util_free(a->libs);
  a->libs = NULL;
  a->nlibs = a->libs_cap = 0;
}

/* load_extension(file [, entry]) */
static void load_extension_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  const char *file = (const char *)sqlite3_value_text(argv[0]);
  const char *proc = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : NULL;
  if (!db->api || !db->api->load_ext_sql) {
    sqlite3_result_error(ctx, "not authorized", -1);
    return;
  }
  char *err = NULL;
  if (sqlite3_load_extension(db, file, proc, &err) != SQLITE_OK) sqlite3_result_error(ctx, err ? err : "", -1);
  sqlite3_free(err);
}

/* ---- automatic extensions -------------------------------------------------------------------------------- */

static pthread_mutex_t auto_lock = PTHREAD_MUTEX_INITIALIZER;
static void (**auto_entries)(void);
static int nauto, auto_cap;

int sqlite3_auto_extension(void (*entry)(void)) {
  api_initialize();
  if (!entry) return SQLITE_MISUSE;
  int rc = SQLITE_OK;
  pthread_mutex_lock(&auto_lock);
  int known = 0;
  for (int i = 0; i < nauto; i++) known |= auto_entries[i] == entry;
  if (!known && nauto == auto_cap) {
    int cap = auto_cap ? auto_cap * 2 : 4;
    void (**grown)(void) = util_realloc(auto_entries, (size_t)cap * sizeof *grown);
    if (grown) {
      auto_entries = grown;
      auto_cap = cap;
    } else {
      rc = SQLITE_NOMEM;
    }
  }
  if (!known && rc == SQLITE_OK) auto_entries[nauto++] = entry;
  pthread_mutex_unlock(&auto_lock);
  return rc;
}

int sqlite3_cancel_auto_extension(void (*entry)(void)) {
  int found = 0;
  pthread_mutex_lock(&auto_lock);
  for (int i = nauto - 1; i >= 0 && !found; i--) {
    if (auto_entries[i] != entry) continue;
    memmove(&auto_entries[i], &auto_entries[i + 1], (size_t)(nauto - i - 1) * sizeof *auto_entries);
    nauto--;
    found = 1;
  }
  pthread_mutex_unlock(&auto_lock);
  return found;
}

void sqlite3_reset_auto_extension(void) {
  pthread_mutex_lock(&auto_lock);
  util_free(auto_entries);
  auto_entries = NULL;
  nauto = auto_cap = 0;
  pthread_mutex_unlock(&auto_lock);
}

int api_loadext_functions(FuncRegistry *r) {
  int rc = api_base_function(r, "load_extension", 1, load_extension_func);
  if (rc == SQLITE_OK) rc = api_base_function(r, "load_extension", 2, load_extension_func);
  return rc;
}

/* A new connection: each automatic extension in registration order (the
** list may change while they run). */
int api_loadext_open(lode *db) {
  int rc;
  for (int i = 0;; i++) {
    void (*entry)(void) = NULL;
    pthread_mutex_lock(&auto_lock);
    if (i < nauto) entry = auto_entries[i];
    pthread_mutex_unlock(&auto_lock);
    if (!entry) break;
    char *err = NULL;
    /* The list holds each entry as SQLite declares it, void (*)(void). */
    sqlite3_loadext_entry init = (sqlite3_loadext_entry)entry;
    rc = init(db, &err, &routines);
    if ((rc & 0xff) != SQLITE_OK) {
      rc = conn_error(db, rc & 0xff, "automatic extension loading failed: %s", err ? err : "");
      sqlite3_free(err);
      return rc;
    }
    sqlite3_free(err);
  }
  return SQLITE_OK;
}
