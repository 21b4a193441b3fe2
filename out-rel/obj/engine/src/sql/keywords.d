out-rel/obj/engine/src/sql/keywords.o: engine/src/sql/keywords.c \
 engine/src/sql/token.h
engine/src/sql/token.h:
