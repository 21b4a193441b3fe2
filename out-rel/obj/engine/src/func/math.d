out-rel/obj/engine/src/func/math.o: engine/src/func/math.c \
 engine/src/func/func_internal.h engine/src/func/func.h \
 engine/src/value/value.h engine/include/lode.h engine/src/util/util.h
engine/src/func/func_internal.h:
engine/src/func/func.h:
engine/src/value/value.h:
engine/include/lode.h:
engine/src/util/util.h:
