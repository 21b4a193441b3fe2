out-rel/obj/engine/src/value/collation.o: engine/src/value/collation.c \
 engine/src/util/util.h engine/src/value/value.h engine/include/lode.h
engine/src/util/util.h:
engine/src/value/value.h:
engine/include/lode.h:
