out-rel/obj/engine/src/plan/where.o: engine/src/plan/where.c \
 engine/include/lode.h engine/src/plan/plan.h engine/src/sql/ast.h \
 engine/src/util/util.h engine/src/sql/schema.h engine/src/value/value.h \
 engine/src/sql/token.h
engine/include/lode.h:
engine/src/plan/plan.h:
engine/src/sql/ast.h:
engine/src/util/util.h:
engine/src/sql/schema.h:
engine/src/value/value.h:
engine/src/sql/token.h:
