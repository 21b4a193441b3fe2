out-rel/obj/engine/src/sql/schema_idxmethod.o: \
 engine/src/sql/schema_idxmethod.c engine/src/sql/schema.h \
 engine/include/lode.h engine/src/sql/ast.h engine/src/util/util.h \
 engine/src/value/value.h engine/src/sql/token.h
engine/src/sql/schema.h:
engine/include/lode.h:
engine/src/sql/ast.h:
engine/src/util/util.h:
engine/src/value/value.h:
engine/src/sql/token.h:
