/*
** parser_trigger.c — CREATE TRIGGER and DROP TRIGGER:
**   trigger := CREATE [TEMP|TEMPORARY] TRIGGER [IF NOT EXISTS] [schema.]name
**              [BEFORE | AFTER | INSTEAD OF] (DELETE | INSERT | UPDATE [OF name, ...])
**              ON [schema.]table [FOR EACH ROW] [WHEN expr]
**              BEGIN (step ;)+ END
**   step    := insert | update | delete | [WITH ...] select
**   drop    := DROP TRIGGER [IF EXISTS] [schema.]name
** A step's table may not be qualified, UPDATE and DELETE take no INDEXED BY
** or NOT INDEXED, no step has RETURNING, INSERT has no DEFAULT VALUES and
** WITH comes before SELECT only: SQLite's trigger grammar, with its
** messages.  RAISE() is allowed anywhere inside the statement.
**
** sqlite_schema keeps a trigger as "CREATE TRIGGER " followed by the text
** from the trigger's name (without a schema qualifier) to END, as sqlite3
** stores it: TEMP and IF NOT EXISTS are dropped.
*/
#include <string.h>

#include "lode.h"
#include "sql/parser_int.h"

static void trigger_timing(Parser *p, TriggerDef *d) {
  d->timing = TRIGGER_BEFORE;
  if (parser_accept(p, TK_BEFORE)) {
    d->timing = TRIGGER_BEFORE;
  } else if (parser_accept(p, TK_AFTER)) {
    d->timing = TRIGGER_AFTER;
  } else if (parser_accept(p, TK_INSTEAD)) {
    parser_expect(p, TK_OF);
    d->timing = TRIGGER_INSTEAD;
  }
}

static void trigger_event(Parser *p, TriggerDef *d) {
  int code = p->tok.code;
  if (code != TK_DELETE && code != TK_INSERT && code != TK_UPDATE) {
    parser_syntax_error(p);
    return;
  }
  parser_advance(p);
  d->event = code;
  if (code == TK_UPDATE && parser_accept(p, TK_OF)) {
    do {
      d->cols = parser_grow(p, d->cols, d->ncols, sizeof(*d->cols));
      if (!d->cols) return;
      d->cols[d->ncols++] = parser_name(p, parser_is_nm);
    } while (parser_accept(p, TK_COMMA));
  }
}

/* The restrictions SQLite's trigger grammar puts on a step. */
static void check_step(Parser *p, const Stmt *s) {
  if (s->kind == STMT_SELECT) return;
  /* A qualified target is refused in non-TEMP triggers only (codegen: the
  ** stored text of a TEMP trigger has no TEMP keyword to tell). */
  if (s->indexed_by)
    parser_defer(p, "the INDEXED BY clause is not allowed on UPDATE or DELETE statements within triggers");
  if (s->not_indexed)
    parser_defer(p, "the NOT INDEXED clause is not allowed on UPDATE or DELETE statements within triggers");
  /* CREATE TRIGGER refuses a RETURNING once the trigger's table and name
  ** have passed (codegen: IF NOT EXISTS of an existing trigger is no error);
  ** a schema's text is refused here. */
  if (s->returning && p->from_ddl) parser_defer(p, "cannot use RETURNING in a trigger");
}

static Stmt *trigger_step(Parser *p) {
  Stmt *s = parser_alloc(p, sizeof(*s));
  const char *start = p->tok.z;
  With *with = NULL;
  if (!s) return NULL;
  if (p->tok.code == TK_WITH) {
    with = parser_with(p);
    if (p->tok.code != TK_SELECT && p->tok.code != TK_VALUES) {
      parser_syntax_error(p);
      return NULL;
    }
  }
  switch (p->tok.code) {
  case TK_SELECT: case TK_VALUES:
    s->kind = STMT_SELECT;
    s->select = parser_select(p);
    if (s->select && with) s->select->with = with;
    break;
  case TK_INSERT: case TK_REPLACE:
    parser_insert(p, s);
    if (s->default_values) { /* not in SQLite's trigger grammar */
      parser_error(p, "near \"DEFAULT\": syntax error");
      return NULL;
    }
    break;
  case TK_UPDATE: parser_update(p, s); break;
  case TK_DELETE: parser_delete(p, s); break;
  default: parser_syntax_error(p); return NULL;
  }
  check_step(p, s);
  s->sql = parser_span(p, start);
  parser_expect(p, TK_SEMI);
  return s;
}

void parser_create_trigger(Parser *p, Stmt *s) {
  TriggerDef *d = parser_alloc(p, sizeof(*d));
  const char *name_at, *table_schema = NULL;
  if (!d) return;
  s->kind = STMT_CREATE_TRIGGER;
  s->trigger = d;
  p->in_trigger = 1;
  parser_expect(p, TK_TRIGGER);
  if (parser_accept(p, TK_IF)) {
    parser_expect(p, TK_NOT);
    parser_expect(p, TK_EXISTS);
    s->if_exists = 1;
  }
  name_at = p->tok.z;
  d->name = parser_name(p, parser_is_nm);
  if (parser_accept(p, TK_DOT)) {
    s->schema = d->name;
    name_at = p->tok.z;
    d->name = parser_name(p, parser_is_nm);
  }
  s->name_written = parser_span(p, name_at);
  trigger_timing(p, d);
  trigger_event(p, d);
  parser_expect(p, TK_ON);
  parser_qualified(p, &table_schema, &s->table);
  d->table_schema = table_schema;
  if (parser_accept(p, TK_FOR)) {
    parser_expect(p, TK_EACH);
    parser_expect(p, TK_ROW);
  }
  if (parser_accept(p, TK_WHEN)) d->when = parser_expr(p);
  parser_expect(p, TK_BEGIN);
  do {
    d->steps = parser_grow(p, d->steps, d->nsteps, sizeof(*d->steps));
    if (!d->steps) return;
    d->steps[d->nsteps++] = trigger_step(p);
  } while (p->rc == LODE_OK && p->tok.code != TK_END);
  parser_expect(p, TK_END);
  p->in_trigger = 0;
  if (p->rc != LODE_OK) return;
  size_t n = (size_t)(p->last_end - name_at);
  char *stored = parser_alloc(p, n + sizeof "CREATE TRIGGER ");
  if (!stored) return;
  memcpy(stored, "CREATE TRIGGER ", sizeof "CREATE TRIGGER " - 1);
  memcpy(stored + sizeof "CREATE TRIGGER " - 1, name_at, n);
  stored[sizeof "CREATE TRIGGER " - 1 + n] = 0;
  d->stored_sql = stored;
}

void parser_drop_trigger(Parser *p, Stmt *s) {
  s->kind = STMT_DROP_TRIGGER;
  parser_expect(p, TK_TRIGGER);
  if (parser_accept(p, TK_IF)) {
    parser_expect(p, TK_EXISTS);
    s->if_exists = 1;
  }
  parser_qualified(p, &s->schema, &s->table);
}
