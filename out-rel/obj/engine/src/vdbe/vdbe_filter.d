out-rel/obj/engine/src/vdbe/vdbe_filter.o: engine/src/vdbe/vdbe_filter.c \
 engine/src/vdbe/vdbe_internal.h engine/src/btree/btree.h \
 engine/include/lode.h engine/src/conn/conn.h engine/src/func/func.h \
 engine/src/value/value.h engine/src/util/util.h engine/src/sql/schema.h \
 engine/src/sql/ast.h engine/src/vdbe/vdbe.h engine/src/vtab/vtab.h
engine/src/vdbe/vdbe_internal.h:
engine/src/btree/btree.h:
engine/include/lode.h:
engine/src/conn/conn.h:
engine/src/func/func.h:
engine/src/value/value.h:
engine/src/util/util.h:
engine/src/sql/schema.h:
engine/src/sql/ast.h:
engine/src/vdbe/vdbe.h:
engine/src/vtab/vtab.h:
