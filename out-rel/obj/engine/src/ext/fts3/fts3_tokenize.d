out-rel/obj/engine/src/ext/fts3/fts3_tokenize.o: \
 engine/src/ext/fts3/fts3_tokenize.c engine/src/ext/fts/fts.h \
 engine/src/func/func.h engine/src/value/value.h engine/include/lode.h \
 engine/src/util/util.h engine/src/ext/fts3/fts3_int.h \
 engine/include/sqlite3.h
engine/src/ext/fts/fts.h:
engine/src/func/func.h:
engine/src/value/value.h:
engine/include/lode.h:
engine/src/util/util.h:
engine/src/ext/fts3/fts3_int.h:
engine/include/sqlite3.h:
