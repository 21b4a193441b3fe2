/*
** stmt.h — the C API's statement handle (struct lode_stmt): a compiled
** program of a connection, linked on the connection's list of live
** statements.
*/
#ifndef LODE_CAPI_STMT_H
#define LODE_CAPI_STMT_H

#include <stdint.h>

#include "conn/conn.h"
#include "vdbe/vdbe.h"

/* A finalized statement keeps its memory (vdbe NULL) on a list of handles
** for reuse, and a closed connection its struct (magic CONN_MAGIC_CLOSED),
** so that a call with a stale handle is refused with LODE_MISUSE instead of
** touching freed memory. */
struct lode_stmt {
  lode *db;
  Vdbe *vdbe;      /* NULL once finalized */
  lode_stmt *next; /* the connection's list of live statements (a finalized one: the reuse list) */
  lode_stmt *prev;
  int on_row;      /* the last step returned LODE_ROW: the column accessors have a row */
  int step_error;  /* the failure of the last step before the VM ran (re-preparing), for reset to report */
  int stepped;     /* stepped since the last reset: only then do reset and finalize set the connection's error */
  unsigned compile_flags; /* CODEGEN_* it was prepared with, for re-preparing */
  int executing;   /* inside lode_step: a callback of the run (a function, a virtual table) that steps, resets
                   ** or finalizes this very statement is refused, as it would run or free the program under itself */
  int64_t trace_start_ns; /* sqlite3 API tracing: when the current run started (0: not traced yet) */
  void *text16;    /* sqlite3 API: UTF-16 copies of the row's texts and the column names (capi/utf16.c) */
};

/* A new zeroed statement handle (NULL on oom), reusing released ones. */
lode_stmt *capi_stmt_alloc(void);
void capi_stmt_release(lode_stmt *s);

#endif /* LODE_CAPI_STMT_H */
