out-rel/obj/engine/src/capi/vtab_api.o: engine/src/capi/vtab_api.c \
 engine/src/capi/api.h engine/src/capi/stmt.h engine/src/conn/conn.h \
 engine/src/btree/btree.h engine/include/lode.h engine/src/func/func.h \
 engine/src/value/value.h engine/src/util/util.h engine/src/sql/schema.h \
 engine/src/sql/ast.h engine/src/vdbe/vdbe.h engine/include/sqlite3.h \
 engine/src/ext/fts3/fts3.h engine/src/ext/fts5/fts5.h \
 engine/src/ext/rtree/rtree.h engine/src/sql/parser.h \
 engine/src/vtab/vtab.h
engine/src/capi/api.h:
engine/src/capi/stmt.h:
engine/src/conn/conn.h:
engine/src/btree/btree.h:
engine/include/lode.h:
engine/src/func/func.h:
engine/src/value/value.h:
engine/src/util/util.h:
engine/src/sql/schema.h:
engine/src/sql/ast.h:
engine/src/vdbe/vdbe.h:
engine/include/sqlite3.h:
engine/src/ext/fts3/fts3.h:
engine/src/ext/fts5/fts5.h:
engine/src/ext/rtree/rtree.h:
engine/src/sql/parser.h:
engine/src/vtab/vtab.h:
