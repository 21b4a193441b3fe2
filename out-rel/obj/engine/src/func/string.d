out-rel/obj/engine/src/func/string.o: engine/src/func/string.c \
 engine/src/func/func_internal.h engine/src/func/func.h \
 engine/src/value/value.h engine/include/lode.h engine/src/util/util.h
engine/src/func/func_internal.h:
engine/src/func/func.h:
engine/src/value/value.h:
engine/include/lode.h:
engine/src/util/util.h:
