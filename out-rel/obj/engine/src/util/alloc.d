out-rel/obj/engine/src/util/alloc.o: engine/src/util/alloc.c \
 engine/src/util/util.h
engine/src/util/util.h:
