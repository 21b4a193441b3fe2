out-rel/obj/engine/src/func/percentile.o: engine/src/func/percentile.c \
 engine/src/func/func_internal.h engine/src/func/func.h \
 engine/src/value/value.h engine/include/lode.h engine/src/util/util.h
engine/src/func/func_internal.h:
engine/src/func/func.h:
engine/src/value/value.h:
engine/include/lode.h:
engine/src/util/util.h:
