out-rel/obj/engine/src/vtab/vtab.o: engine/src/vtab/vtab.c \
 engine/src/util/util.h engine/src/vtab/vtab.h engine/src/value/value.h \
 engine/include/lode.h
engine/src/util/util.h:
engine/src/vtab/vtab.h:
engine/src/value/value.h:
engine/include/lode.h:
