out-rel/obj/engine/src/ext/fts3/fts3_index.o: \
 engine/src/ext/fts3/fts3_index.c engine/src/ext/fts3/fts3_int.h \
 engine/include/sqlite3.h
engine/src/ext/fts3/fts3_int.h:
engine/include/sqlite3.h:
