out-rel/obj/engine/src/capi/session.o: engine/src/capi/session.c \
 engine/src/capi/changeset.h engine/src/capi/api.h engine/src/capi/stmt.h \
 engine/src/conn/conn.h engine/src/btree/btree.h engine/include/lode.h \
 engine/src/func/func.h engine/src/value/value.h engine/src/util/util.h \
 engine/src/sql/schema.h engine/src/sql/ast.h engine/src/vdbe/vdbe.h \
 engine/include/sqlite3.h engine/include/sqlite3session.h \
 engine/include/sqlite3.h
engine/src/capi/changeset.h:
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
engine/include/sqlite3session.h:
engine/include/sqlite3.h:
