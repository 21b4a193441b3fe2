out-rel/obj/engine/src/util/varint.o: engine/src/util/varint.c \
 engine/src/util/util.h
engine/src/util/util.h:
