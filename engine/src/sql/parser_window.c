/*
** parser_window.c — the window syntax: a call's FILTER (WHERE e) and
** OVER (window-defn) | OVER name suffix, and a SELECT's WINDOW clause.
**
**   window-defn := ( [base-name] [PARTITION BY e, ...] [ORDER BY term, ...] [frame] )
**   frame       := ROWS|RANGE|GROUPS (BETWEEN start AND end | start) [EXCLUDE ...]
**   start       := UNBOUNDED PRECEDING | e PRECEDING | CURRENT ROW | e FOLLOWING
**   end         := e PRECEDING | CURRENT ROW | e FOLLOWING | UNBOUNDED FOLLOWING
**
** As in SQLite's tokenizer, FILTER and OVER are keywords only when "(" (or,
** for OVER, a name) follows, and WINDOW only when a name and AS follow it,
** so all three stay usable as names.  Frames whose end comes before their start
** are rejected here ("unsupported frame specification"), as SQLite does
** while parsing; what depends on other windows (a base window's clauses,
** RANGE offsets with one ORDER BY term) is checked by codegen.
*/
#include <string.h>

#include "lode.h"
#include "sql/parser_int.h"

static int peek_code(Parser *p) {
  ParserMark m;
  int code;
  parser_mark(p, &m);
  parser_advance(p);
  code = p->tok.code;
  parser_reset(p, &m);
  return code;
}

/* WINDOW starts a WINDOW clause only when a name and AS follow it, as
** SQLite's tokenizer decides: "FROM window window" names a table window
** aliased window, and "x window" an alias too. */
int parser_at_window_clause(Parser *p) {
  if (p->tok.code != TK_WINDOW) return 0;
  ParserMark m;
  parser_mark(p, &m);
  parser_advance(p);
  int named = parser_is_nm(p->tok.code) || p->tok.code == TK_WINDOW || p->tok.code == TK_OVER;
  if (named) parser_advance(p);
  int clause = named && p->tok.code == TK_AS;
  parser_reset(p, &m);
  return clause;
}

static void order_terms(Parser *p, OrderTerm **terms, int *n) {
  do {
    OrderTerm *t;
    *terms = parser_grow(p, *terms, *n, sizeof(**terms));
    if (!*terms) return;
    t = &(*terms)[(*n)++];
    t->expr = parser_expr(p);
    if (parser_accept(p, TK_DESC)) t->desc = 1;
    else parser_accept(p, TK_ASC);
    if (parser_accept(p, TK_NULLS)) {
      if (parser_accept(p, TK_FIRST)) t->nulls = 1;
      else if (parser_expect(p, TK_LAST)) t->nulls = 2;
    }
  } while (parser_accept(p, TK_COMMA) && p->rc == LODE_OK);
}

void parser_call_order_by(Parser *p, Expr *call) {
  OrderTerm *terms = NULL;
  int n = 0;
  order_terms(p, &terms, &n);
  if (p->rc != LODE_OK || !terms) return;
  call->agg_order_flags = arena_alloc(p->arena, (size_t)n);
  if (!call->agg_order_flags) {
    parser_nomem(p);
    return;
  }
  for (int i = 0; i < n; i++) {
    call->agg_order = parser_exprlist_append(p, call->agg_order, terms[i].expr, NULL, NULL);
    call->agg_order_flags[i] = (uint8_t)((terms[i].desc ? AGG_ORDER_DESC : 0) |
                                         (terms[i].nulls == 1 ? AGG_ORDER_NULLS_FIRST : 0) |
                                         (terms[i].nulls == 2 ? AGG_ORDER_NULLS_LAST : 0));
  }
}

/* One frame bound; is_start selects which UNBOUNDED form is allowed. */
static int frame_bound(Parser *p, int is_start, Expr **offset) {
  if (p->tok.code == TK_UNBOUNDED) {
    parser_advance(p);
    if (parser_expect(p, is_start ? TK_PRECEDING : TK_FOLLOWING))
      return is_start ? FRAME_UNBOUNDED_PRECEDING : FRAME_UNBOUNDED_FOLLOWING;
    return 0;
  }
  if (p->tok.code == TK_CURRENT) {
    parser_advance(p);
    parser_expect(p, TK_ROW);
    return FRAME_CURRENT_ROW;
  }
  *offset = parser_expr(p);
  if (parser_accept(p, TK_PRECEDING)) return FRAME_PRECEDING;
  if (parser_expect(p, TK_FOLLOWING)) return FRAME_FOLLOWING;
  return 0;
}

static void frame_spec(Parser *p, Window *w) {
  w->frame_type = p->tok.code;
  parser_advance(p);
  if (parser_accept(p, TK_BETWEEN)) {
    w->start_kind = frame_bound(p, 1, &w->start);
    parser_expect(p, TK_AND);
    w->end_kind = frame_bound(p, 0, &w->end);
  } else {
    w->start_kind = frame_bound(p, 1, &w->start);
    w->end_kind = FRAME_CURRENT_ROW;
  }
  if (p->rc != LODE_OK) return;
  /* The end may not lie before the start whatever the offsets. */
  if ((w->start_kind == FRAME_CURRENT_ROW && w->end_kind == FRAME_PRECEDING) ||
      (w->start_kind == FRAME_FOLLOWING && (w->end_kind == FRAME_PRECEDING || w->end_kind == FRAME_CURRENT_ROW))) {
    parser_error(p, "unsupported frame specification");
    return;
  }
  if (parser_accept(p, TK_EXCLUDE)) {
    if (parser_accept(p, TK_NO)) {
      parser_expect(p, TK_OTHERS);
      w->exclude = EXCLUDE_NO_OTHERS_WRITTEN;
    } else if (parser_accept(p, TK_CURRENT)) {
      parser_expect(p, TK_ROW);
      w->exclude = EXCLUDE_CURRENT_ROW;
    } else if (parser_accept(p, TK_GROUP)) {
      w->exclude = EXCLUDE_GROUP;
    } else {
      parser_expect(p, TK_TIES);
      w->exclude = EXCLUDE_TIES;
    }
  }
}

/* ( window-defn ), the "(" being the lookahead. */
static Window *window_defn(Parser *p) {
  Window *w = parser_alloc(p, sizeof *w);
  if (!w) return NULL;
  w->offset = parser_offset(p, p->tok.z);
  parser_expect(p, TK_LP);
  if (parser_is_id(p->tok.code) &&
      !((p->tok.code == TK_PARTITION || p->tok.code == TK_ROWS || p->tok.code == TK_RANGE ||
         p->tok.code == TK_GROUPS) &&
        peek_code(p) != TK_RP && peek_code(p) != TK_PARTITION && peek_code(p) != TK_ORDER &&
        peek_code(p) != TK_ROWS && peek_code(p) != TK_RANGE && peek_code(p) != TK_GROUPS)) {
    w->base = parser_dequote(p, &p->tok);
    parser_advance(p);
  }
  if (parser_accept(p, TK_PARTITION)) {
    parser_expect(p, TK_BY);
    w->partition = parser_expr_list(p);
  }
  if (parser_accept(p, TK_ORDER)) {
    parser_expect(p, TK_BY);
    order_terms(p, &w->order_by, &w->norder);
  }
  if (p->tok.code == TK_ROWS || p->tok.code == TK_RANGE || p->tok.code == TK_GROUPS) frame_spec(p, w);
  parser_expect(p, TK_RP);
  return w;
}

void parser_window_suffix(Parser *p, Expr *f) {
  if (p->tok.code == TK_FILTER && peek_code(p) == TK_LP) {
    parser_advance(p);
    parser_expect(p, TK_LP);
    parser_expect(p, TK_WHERE);
    f->filter = parser_expr(p);
    parser_expect(p, TK_RP);
  }
  if (p->tok.code == TK_OVER) {
    int next = peek_code(p);
    if (next != TK_LP && !parser_is_id(next)) return;
    parser_advance(p);
    if (next == TK_LP) {
      f->over = window_defn(p);
    } else {
      f->over = parser_alloc(p, sizeof *f->over);
      if (!f->over) return;
      f->over->offset = parser_offset(p, p->tok.z);
      f->over->base = parser_dequote(p, &p->tok);
      f->over->is_ref = 1;
      parser_advance(p);
    }
    /* Raised once the window is parsed, as SQLite does when it attaches it. */
    if (f->distinct) parser_error(p, "DISTINCT is not supported for window functions");
    /* A window call orders its rows by its window alone; with no arguments
    ** SQLite reads f(ORDER BY …) as f(). */
    if (f->agg_order && f->args && f->args->n > 0)
      parser_error(p, "ORDER BY may not be used with non-aggregate %s()", f->text ? f->text : "");
    f->agg_order = NULL;
  }
  /* After ")" these words are keywords again, and nothing takes them here. */
  if (f->over && (p->tok.code == TK_FILTER || p->tok.code == TK_OVER)) {
    int next = peek_code(p);
    if (next == TK_LP || (p->tok.code == TK_OVER && parser_is_id(next))) parser_syntax_error(p);
  }
}

/* A WINDOW definition that builds on another (w2 AS (w1 ...)) must name
** one defined before it and may only add what w1 leaves open; SQLite checks
** this while parsing, for every definition but the first. */
static void check_chain(Parser *p, const Select *s, const Window *w) {
  const Window *base = NULL;
  if (!w->base || s->nwindows == 0) return;
  for (int i = s->nwindows - 1; i >= 0 && !base; i--)
    if (util_stricmp(s->windows[i]->name, w->base) == 0) base = s->windows[i];
  if (!base) parser_error(p, "no such window: %s", w->base);
  else if (w->partition) parser_error(p, "cannot override PARTITION clause of window: %s", w->base);
  else if (base->norder && w->norder) parser_error(p, "cannot override ORDER BY clause of window: %s", w->base);
  else if (base->frame_type) parser_error(p, "cannot override frame specification of window: %s", w->base);
}

/* WINDOW name AS (window-defn), ...: the WINDOW keyword is the lookahead. */
void parser_window_clause(Parser *p, Select *s) {
  parser_advance(p);
  do {
    const char *name = parser_name(p, parser_is_id);
    Window *w;
    parser_expect(p, TK_AS);
    if (p->rc != LODE_OK) return;
    w = window_defn(p);
    if (!w) return;
    w->name = name;
    check_chain(p, s, w);
    s->windows = parser_grow(p, s->windows, s->nwindows, sizeof(*s->windows));
    if (!s->windows) return;
    s->windows[s->nwindows++] = w;
  } while (parser_accept(p, TK_COMMA) && p->rc == LODE_OK);
}
