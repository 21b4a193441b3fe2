out-rel/obj/engine/src/ext/fts5/fts5_vocab.o: \
 engine/src/ext/fts5/fts5_vocab.c engine/src/ext/fts5/fts5_int.h \
 engine/include/sqlite3.h
engine/src/ext/fts5/fts5_int.h:
engine/include/sqlite3.h:
