out-rel/obj/engine/src/ext/fts3/fts3_aux.o: \
 engine/src/ext/fts3/fts3_aux.c engine/src/ext/fts3/fts3_int.h \
 engine/include/sqlite3.h
engine/src/ext/fts3/fts3_int.h:
engine/include/sqlite3.h:
