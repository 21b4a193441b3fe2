out-rel/obj/engine/src/vtab/vtab_series.o: engine/src/vtab/vtab_series.c \
 engine/src/util/util.h engine/src/vtab/vtab.h engine/src/value/value.h \
 engine/include/lode.h
engine/src/util/util.h:
engine/src/vtab/vtab.h:
engine/src/value/value.h:
engine/include/lode.h:
