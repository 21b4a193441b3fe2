out-rel/obj/engine/src/value/keyinfo.o: engine/src/value/keyinfo.c \
 engine/src/value/value.h engine/include/lode.h engine/src/util/util.h
engine/src/value/value.h:
engine/include/lode.h:
engine/src/util/util.h:
