/*
** index_methods.c — the index methods an application registered on the
** connection (lode_create_index_method), kept as copies so that the
** application's descriptor need not outlive the call.
*/
#include <string.h>

#include "conn/conn.h"
#include "util/util.h"

const lode_index_method *conn_index_method(lode *db, const char *name) {
  for (int i = 0; name && i < db->nindex_methods; i++)
    if (util_stricmp(db->index_methods[i].name, name) == 0) return &db->index_methods[i];
  return NULL;
}

int conn_index_method_add(lode *db, const lode_index_method *m) {
  char *name = util_strdup(m->name);
  if (!name) return LODE_NOMEM;
  lode_index_method *slot = (lode_index_method *)conn_index_method(db, m->name);
  if (!slot) {
    lode_index_method *grown =
        util_realloc(db->index_methods, sizeof(lode_index_method) * (size_t)(db->nindex_methods + 1));
    if (!grown) {
      util_free(name);
      return LODE_NOMEM;
    }
    db->index_methods = grown;
    slot = &db->index_methods[db->nindex_methods++];
  } else {
    util_free((char *)slot->name);
  }
  *slot = *m;
  slot->name = name;
  return LODE_OK;
}

void conn_index_methods_free(lode *db) {
  for (int i = 0; i < db->nindex_methods; i++) util_free((char *)db->index_methods[i].name);
  util_free(db->index_methods);
  db->index_methods = NULL;
  db->nindex_methods = 0;
}
