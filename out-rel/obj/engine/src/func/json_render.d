out-rel/obj/engine/src/func/json_render.o: engine/src/func/json_render.c \
 engine/src/func/json.h engine/src/func/func_internal.h \
 engine/src/func/func.h engine/src/value/value.h engine/include/lode.h \
 engine/src/util/util.h
engine/src/func/json.h:
engine/src/func/func_internal.h:
engine/src/func/func.h:
engine/src/value/value.h:
engine/include/lode.h:
engine/src/util/util.h:
