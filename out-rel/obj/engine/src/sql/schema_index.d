out-rel/obj/engine/src/sql/schema_index.o: engine/src/sql/schema_index.c \
 engine/include/lode.h engine/src/sql/schema_int.h \
 engine/src/sql/schema.h engine/src/sql/ast.h engine/src/util/util.h \
 engine/src/value/value.h engine/src/sql/token.h
engine/include/lode.h:
engine/src/sql/schema_int.h:
engine/src/sql/schema.h:
engine/src/sql/ast.h:
engine/src/util/util.h:
engine/src/value/value.h:
engine/src/sql/token.h:
