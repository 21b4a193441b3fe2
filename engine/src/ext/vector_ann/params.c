/*
** params.c — the index's configuration: defaults and the parameters of
** CREATE INDEX … USING vector_ann (col) WITH (name = value, …).
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ext/vector_ann/vector_ann.h"
#include "lode.h"
#include "util/util.h"

#define KNOWN_NAMES "metric, type, dims, m, ef_construction, ef_search, alpha, seed"

void vector_ann_config_default(VectorAnnConfig *c) {
  memset(c, 0, sizeof *c);
  c->metric = VECTOR_ANN_COSINE;
  c->m = 16;
  c->ef_construction = 100;
  c->ef_search = 64;
  c->alpha = 1.0;
}

static const char *const param_names[] = {"metric", "type", "dims", "m", "ef_construction", "ef_search",
                                          "alpha", "seed"};
#define NPARAM_NAMES ((int)(sizeof param_names / sizeof param_names[0]))

static int text_is(const VectorAnnParam *p, const char *z) {
  size_t n = strlen(z);
  return p->type == VECTOR_ANN_PARAM_TEXT && p->n >= 0 && (size_t)p->n == n && util_strnicmp(p->p, z, n) == 0;
}

/* An integer parameter in [lo, hi]. */
static int int_param(const VectorAnnParam *p, const char *name, int64_t lo, int64_t hi, int64_t *out, char *err,
                     size_t errcap) {
  if (p->type != VECTOR_ANN_PARAM_INT || p->i < lo || p->i > hi) {
    snprintf(err, errcap, "vector_ann: %s must be an integer between %lld and %lld", name, (long long)lo,
             (long long)hi);
    return LODE_ERROR;
  }
  *out = p->i;
  return LODE_OK;
}

static int apply(VectorAnnConfig *c, int which, const VectorAnnParam *p, char *err, size_t errcap) {
  int64_t v;
  switch (which) {
  case 0:
    if (text_is(p, "cosine") || text_is(p, "cos")) c->metric = VECTOR_ANN_COSINE;
    else if (text_is(p, "l2")) c->metric = VECTOR_ANN_L2;
    else if (text_is(p, "dot")) c->metric = VECTOR_ANN_DOT;
    else {
      snprintf(err, errcap, "vector_ann: metric must be 'cosine', 'l2' or 'dot'");
      return LODE_ERROR;
    }
    return LODE_OK;
  case 1:
    if (text_is(p, "float32")) c->type = VECTOR_ANN_F32;
    else if (text_is(p, "float64")) c->type = VECTOR_ANN_F64;
    else {
      snprintf(err, errcap, "vector_ann: type must be 'float32' or 'float64'");
      return LODE_ERROR;
    }
    return LODE_OK;
  case 2:
    if (int_param(p, param_names[which], 1, VECTOR_ANN_MAX_DIMS, &v, err, errcap)) return LODE_ERROR;
    c->dims = (uint32_t)v;
    return LODE_OK;
  case 3:
    if (int_param(p, param_names[which], 2, 100, &v, err, errcap)) return LODE_ERROR;
    c->m = (int)v;
    return LODE_OK;
  case 4:
    if (int_param(p, param_names[which], 1, 10000, &v, err, errcap)) return LODE_ERROR;
    c->ef_construction = (int)v;
    return LODE_OK;
  case 5:
    if (int_param(p, param_names[which], 1, VECTOR_ANN_MAX_WIDTH, &v, err, errcap)) return LODE_ERROR;
    c->ef_search = (int)v;
    return LODE_OK;
  case 6: {
    double r = p->type == VECTOR_ANN_PARAM_INT ? (double)p->i : p->r;
    if ((p->type != VECTOR_ANN_PARAM_INT && p->type != VECTOR_ANN_PARAM_REAL) || !(r >= 1.0 && r <= 4.0)) {
      snprintf(err, errcap, "vector_ann: alpha must be a number between 1 and 4");
      return LODE_ERROR;
    }
    c->alpha = r;
    return LODE_OK;
  }
  default:
    if (p->type != VECTOR_ANN_PARAM_INT) {
      snprintf(err, errcap, "vector_ann: seed must be an integer");
      return LODE_ERROR;
    }
    c->seed = (uint64_t)p->i;
    return LODE_OK;
  }
}

int vector_ann_config_parse(VectorAnnConfig *c, const VectorAnnParam *params, int nparams, char *err,
                            size_t errcap) {
  unsigned seen = 0;
  if (errcap) err[0] = 0;
  for (int i = 0; i < nparams; i++) {
    const VectorAnnParam *p = &params[i];
    int which = -1;
    for (int j = 0; j < NPARAM_NAMES && p->name; j++) {
      if (util_stricmp(p->name, param_names[j]) == 0) which = j;
    }
    if (which < 0) {
      snprintf(err, errcap, "vector_ann: unknown parameter '%s' (known: " KNOWN_NAMES ")",
               p->name ? p->name : "");
      return LODE_ERROR;
    }
    if (seen & (1u << which)) {
      snprintf(err, errcap, "vector_ann: parameter %s given twice", param_names[which]);
      return LODE_ERROR;
    }
    seen |= 1u << which;
    if (apply(c, which, p, err, errcap)) return LODE_ERROR;
  }
  return LODE_OK;
}
