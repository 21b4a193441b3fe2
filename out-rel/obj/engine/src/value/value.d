out-rel/obj/engine/src/value/value.o: engine/src/value/value.c \
 engine/src/value/value.h engine/include/lode.h engine/src/util/util.h
engine/src/value/value.h:
engine/include/lode.h:
engine/src/util/util.h:
