/*
** log.c — the library's error log (SQLITE_CONFIG_LOG): one process-wide
** logger, set by the C API before connections open (as SQLite asks) or from
** the thread that uses them, so read without a lock.  Any layer may tell it
** something; without a logger nothing is done.
*/
#include "util/util.h"

static void (*logger)(void *, int, const char *);
static void *logger_arg;

void util_set_logger(void (*fn)(void *, int, const char *), void *arg) {
  logger = fn;
  logger_arg = arg;
}

int util_logging(void) { return logger != NULL; }

void util_log(int code, const char *msg) {
  if (logger && msg) logger(logger_arg, code, msg);
}
