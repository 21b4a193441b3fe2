/*
** conn_int.h — what the conn module's files share and nobody else sees: the
** pager's interface (conn opens pagers and passes settings to them; the
** layers above reach storage only through conn.h and btree.h).
*/
#ifndef LODE_CONN_INT_H
#define LODE_CONN_INT_H

#include "conn/conn.h"
#include "pager/pager.h"

/* The pager and b-tree of database dbi, main's when dbi names none that is
** open (PRAGMA schema.x on a temp database not opened yet). */
static inline Pager *conn_db_pager(const lode *db, int dbi) {
  return dbi > 0 && dbi < db->ndb && db->dbs[dbi].pager ? db->dbs[dbi].pager : db->pager;
}
static inline Btree *conn_db_btree(const lode *db, int dbi) {
  return dbi > 0 && dbi < db->ndb && db->dbs[dbi].bt ? db->dbs[dbi].bt : db->bt;
}

/* Database i was opened (or deserialized) read-only. */
static inline int conn_db_readonly(const lode *db, int i) {
  return i == CONN_DB_MAIN ? db->readonly : db->dbs[i].readonly;
}

_Static_assert(CONN_CKPT_PASSIVE == PAGER_CKPT_PASSIVE && CONN_CKPT_FULL == PAGER_CKPT_FULL &&
                   CONN_CKPT_RESTART == PAGER_CKPT_RESTART && CONN_CKPT_TRUNCATE == PAGER_CKPT_TRUNCATE,
               "checkpoint modes pass through unchanged");

#endif /* LODE_CONN_INT_H */
