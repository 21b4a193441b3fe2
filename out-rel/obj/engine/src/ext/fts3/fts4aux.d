out-rel/obj/engine/src/ext/fts3/fts4aux.o: engine/src/ext/fts3/fts4aux.c \
 engine/src/ext/fts3/fts3_int.h engine/include/sqlite3.h
engine/src/ext/fts3/fts3_int.h:
engine/include/sqlite3.h:
