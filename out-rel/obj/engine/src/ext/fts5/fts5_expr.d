out-rel/obj/engine/src/ext/fts5/fts5_expr.o: \
 engine/src/ext/fts5/fts5_expr.c engine/src/ext/fts5/fts5_int.h \
 engine/include/sqlite3.h
engine/src/ext/fts5/fts5_int.h:
engine/include/sqlite3.h:
