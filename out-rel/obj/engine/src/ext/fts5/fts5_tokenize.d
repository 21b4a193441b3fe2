out-rel/obj/engine/src/ext/fts5/fts5_tokenize.o: \
 engine/src/ext/fts5/fts5_tokenize.c engine/src/ext/fts/fts.h \
 engine/src/func/func.h engine/src/value/value.h engine/include/lode.h \
 engine/src/util/util.h engine/src/ext/fts5/fts5_int.h \
 engine/include/sqlite3.h
engine/src/ext/fts/fts.h:
engine/src/func/func.h:
engine/src/value/value.h:
engine/include/lode.h:
engine/src/util/util.h:
engine/src/ext/fts5/fts5_int.h:
engine/include/sqlite3.h:
