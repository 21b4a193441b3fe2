out-rel/obj/engine/src/ext/fts5/fts5.o: engine/src/ext/fts5/fts5.c \
 engine/src/ext/fts/shadow.h engine/include/sqlite3.h \
 engine/src/ext/fts5/fts5.h engine/src/ext/fts5/fts5_int.h
engine/src/ext/fts/shadow.h:
engine/include/sqlite3.h:
engine/src/ext/fts5/fts5.h:
engine/src/ext/fts5/fts5_int.h:
