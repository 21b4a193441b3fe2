out-rel/obj/engine/src/sql/tokenizer.o: engine/src/sql/tokenizer.c \
 engine/src/sql/parser.h engine/src/sql/ast.h engine/src/util/util.h \
 engine/src/sql/token.h
engine/src/sql/parser.h:
engine/src/sql/ast.h:
engine/src/util/util.h:
engine/src/sql/token.h:
