out-rel/obj/engine/src/value/record.o: engine/src/value/record.c \
 engine/src/value/value.h engine/include/lode.h engine/src/util/util.h
engine/src/value/value.h:
engine/include/lode.h:
engine/src/util/util.h:
