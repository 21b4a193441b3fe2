out-rel/obj/engine/src/func/date.o: engine/src/func/date.c \
 engine/src/func/func_internal.h engine/src/func/func.h \
 engine/src/value/value.h engine/include/lode.h engine/src/util/util.h
engine/src/func/func_internal.h:
engine/src/func/func.h:
engine/src/value/value.h:
engine/include/lode.h:
engine/src/util/util.h:
