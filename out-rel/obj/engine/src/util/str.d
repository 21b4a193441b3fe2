out-rel/obj/engine/src/util/str.o: engine/src/util/str.c \
 engine/src/util/util.h
engine/src/util/util.h:
