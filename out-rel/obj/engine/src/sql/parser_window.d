out-rel/obj/engine/src/sql/parser_window.o: \
 engine/src/sql/parser_window.c engine/include/lode.h \
 engine/src/sql/parser_int.h engine/src/sql/ast.h engine/src/util/util.h \
 engine/src/sql/parser.h engine/src/sql/token.h
engine/include/lode.h:
engine/src/sql/parser_int.h:
engine/src/sql/ast.h:
engine/src/util/util.h:
engine/src/sql/parser.h:
engine/src/sql/token.h:
