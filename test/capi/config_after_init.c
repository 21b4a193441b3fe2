/*
** config_after_init.c — sqlite3_config takes settings only while the library
** is not initialized: before sqlite3_initialize (or a call that initializes
** it, as opening a connection or sqlite3_malloc does) and again after
** sqlite3_shutdown; in between it is SQLITE_MISUSE.
*/
#include <sqlite3.h>
#include <stdio.h>

static void logger(void *arg, int code, const char *msg) { (void)arg, (void)code, (void)msg; }

int main(void) {
  sqlite3 *db;
  printf("before initialize: %d\n", sqlite3_config(SQLITE_CONFIG_LOG, logger, (void *)0));
  printf("initialize: %d\n", sqlite3_initialize());
  printf("after initialize: %d\n", sqlite3_config(SQLITE_CONFIG_LOG, logger, (void *)0));
  printf("uri after initialize: %d\n", sqlite3_config(SQLITE_CONFIG_URI, 1));
  printf("shutdown: %d\n", sqlite3_shutdown());
  printf("after shutdown: %d\n", sqlite3_config(SQLITE_CONFIG_LOG, logger, (void *)0));
  printf("open: %d\n", sqlite3_open(":memory:", &db));
  printf("with a connection open: %d\n", sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0));
  sqlite3_close(db);
  printf("after close: %d\n", sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0));
  sqlite3_shutdown();
  sqlite3_free(sqlite3_malloc(8));
  printf("after sqlite3_malloc: %d\n", sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0));
  sqlite3_shutdown();
  sqlite3_free(sqlite3_mprintf("%d", 1));
  printf("after sqlite3_mprintf: %d\n", sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0));
  sqlite3_shutdown();
  printf("shut down again: %d\n", sqlite3_config(SQLITE_CONFIG_LOG, (void *)0, (void *)0));
  return 0;
}
