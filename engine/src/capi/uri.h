/*
** uri.h — `file:` URI filenames (uri.c) for lode_open_v2.
*/
#ifndef LODE_CAPI_URI_H
#define LODE_CAPI_URI_H

#include "lode.h"

typedef struct UriOpen {
  char *path;  /* util_malloc'd, decoded; the name itself when it is no URI */
  int flags;   /* the open flags narrowed by mode= and immutable= */
  int memory;  /* file::memory: or mode=memory: a private in-memory database */
  char *cipher; /* cipher=NAME and hexkey=HEX: the database's encryption (util_malloc'd, or NULL) */
  char *hexkey;
} UriOpen;

/* Reads name as a URI when flags has LODE_OPEN_URI and name starts with
** "file:", else takes it as a plain path.  Returns LODE_OK, LODE_NOMEM, or
** an error code with *err set to a util_malloc'd message. */
int uri_parse(const char *name, int flags, UriOpen *u, char **err);
/* Frees what uri_parse allocated (the key's text is wiped first). */
void uri_free(UriOpen *u);

#endif /* LODE_CAPI_URI_H */
