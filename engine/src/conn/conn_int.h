/*
** conn_int.h — what the conn module's files share and nobody else sees: the
** pager's interface (conn opens pagers and passes settings to them; the
** layers above reach storage only through conn.h and btree.h).
*/
#ifndef LODE_CONN_INT_H
#define LODE_CONN_INT_H

#include "conn/conn.h"
#include "pager/pager.h"

_Static_assert(CONN_CKPT_PASSIVE == PAGER_CKPT_PASSIVE && CONN_CKPT_FULL == PAGER_CKPT_FULL &&
                   CONN_CKPT_RESTART == PAGER_CKPT_RESTART && CONN_CKPT_TRUNCATE == PAGER_CKPT_TRUNCATE,
               "checkpoint modes pass through unchanged");

#endif /* LODE_CONN_INT_H */
