out-rel/obj/engine/src/ext/fts3/fts3_query.o: \
 engine/src/ext/fts3/fts3_query.c engine/src/ext/fts3/fts3_int.h \
 engine/include/sqlite3.h
engine/src/ext/fts3/fts3_int.h:
engine/include/sqlite3.h:
