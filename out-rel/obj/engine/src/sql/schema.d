out-rel/obj/engine/src/sql/schema.o: engine/src/sql/schema.c \
 engine/src/btree/btree.h engine/include/lode.h engine/src/sql/parser.h \
 engine/src/sql/ast.h engine/src/util/util.h engine/src/sql/schema_int.h \
 engine/src/sql/schema.h engine/src/value/value.h
engine/src/btree/btree.h:
engine/include/lode.h:
engine/src/sql/parser.h:
engine/src/sql/ast.h:
engine/src/util/util.h:
engine/src/sql/schema_int.h:
engine/src/sql/schema.h:
engine/src/value/value.h:
