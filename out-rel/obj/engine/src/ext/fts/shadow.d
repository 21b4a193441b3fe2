out-rel/obj/engine/src/ext/fts/shadow.o: engine/src/ext/fts/shadow.c \
 engine/src/ext/fts/shadow.h engine/include/sqlite3.h
engine/src/ext/fts/shadow.h:
engine/include/sqlite3.h:
