out-rel/obj/engine/src/sql/ast_copy.o: engine/src/sql/ast_copy.c \
 engine/src/sql/ast.h engine/src/util/util.h
engine/src/sql/ast.h:
engine/src/util/util.h:
