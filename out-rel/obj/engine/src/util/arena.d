out-rel/obj/engine/src/util/arena.o: engine/src/util/arena.c \
 engine/src/util/util.h
engine/src/util/util.h:
