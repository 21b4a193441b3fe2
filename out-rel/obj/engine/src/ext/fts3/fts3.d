out-rel/obj/engine/src/ext/fts3/fts3.o: engine/src/ext/fts3/fts3.c \
 engine/src/ext/fts/shadow.h engine/include/sqlite3.h \
 engine/src/ext/fts3/fts3.h engine/src/ext/fts3/fts3_int.h
engine/src/ext/fts/shadow.h:
engine/include/sqlite3.h:
engine/src/ext/fts3/fts3.h:
engine/src/ext/fts3/fts3_int.h:
