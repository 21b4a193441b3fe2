out-rel/obj/engine/src/vtab/vtab_pragma.o: engine/src/vtab/vtab_pragma.c \
 engine/src/btree/btree.h engine/include/lode.h engine/src/sql/schema.h \
 engine/src/sql/ast.h engine/src/util/util.h engine/src/value/value.h \
 engine/src/vtab/vtab.h
engine/src/btree/btree.h:
engine/include/lode.h:
engine/src/sql/schema.h:
engine/src/sql/ast.h:
engine/src/util/util.h:
engine/src/value/value.h:
engine/src/vtab/vtab.h:
