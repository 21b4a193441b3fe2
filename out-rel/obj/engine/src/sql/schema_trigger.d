out-rel/obj/engine/src/sql/schema_trigger.o: \
 engine/src/sql/schema_trigger.c engine/include/lode.h \
 engine/src/sql/schema_int.h engine/src/sql/schema.h engine/src/sql/ast.h \
 engine/src/util/util.h engine/src/value/value.h
engine/include/lode.h:
engine/src/sql/schema_int.h:
engine/src/sql/schema.h:
engine/src/sql/ast.h:
engine/src/util/util.h:
engine/src/value/value.h:
