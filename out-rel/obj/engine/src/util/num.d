out-rel/obj/engine/src/util/num.o: engine/src/util/num.c \
 engine/src/util/util.h
engine/src/util/util.h:
