/*
** schema_trigger.c — the triggers of the schema: one Trigger per 'trigger'
** row of sqlite_schema (name, tbl_name, sql), kept in sqlite_schema order.
** Their text is parsed by codegen when a statement may fire them, so a
** trigger whose body names a missing table fails when it is used, as in
** SQLite.
*/
#include <string.h>

#include "lode.h"
#include "sql/schema_int.h"
#include "util/util.h"

static void trigger_free(Trigger *t) {
  if (!t) return;
  util_free(t->name);
  util_free(t->table);
  util_free(t->sql);
  util_free(t);
}

void schema_clear_triggers(Schema *s) {
  for (int i = 0; i < s->ntriggers; i++) trigger_free(s->triggers[i]);
  util_free(s->triggers);
  s->triggers = NULL;
  s->ntriggers = 0;
}

int schema_load_trigger_row(Schema *s, const char *name, const char *tbl, const char *sql, char **errmsg) {
  Trigger *t, **grown;
  if (!name || !tbl || !sql) {
    util_free(*errmsg);
    *errmsg = util_mprintf("malformed database schema (%s)", name ? name : "?");
    return *errmsg ? LODE_CORRUPT : LODE_NOMEM;
  }
  if (!(t = util_zalloc(sizeof *t))) return LODE_NOMEM;
  t->name = util_strdup(name);
  t->table = util_strdup(tbl);
  t->sql = util_strdup(sql);
  grown = util_realloc(s->triggers, sizeof(*s->triggers) * (size_t)(s->ntriggers + 1));
  if (grown) s->triggers = grown;
  if (!t->name || !t->table || !t->sql || !grown) {
    trigger_free(t);
    return LODE_NOMEM;
  }
  t->db = s->db;
  t->row = s->nother;
  s->triggers[s->ntriggers++] = t;
  return LODE_OK;
}

Trigger *schema_find_trigger(Schema *s, const char *name) {
  if (!name) return NULL;
  for (int i = 0; i < s->ntriggers; i++)
    if (util_stricmp(s->triggers[i]->name, name) == 0) return s->triggers[i];
  return NULL;
}
