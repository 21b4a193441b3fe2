out-rel/obj/engine/src/vtab/vtab_json.o: engine/src/vtab/vtab_json.c \
 engine/src/func/json.h engine/src/func/func_internal.h \
 engine/src/func/func.h engine/src/value/value.h engine/include/lode.h \
 engine/src/util/util.h engine/src/vtab/vtab.h
engine/src/func/json.h:
engine/src/func/func_internal.h:
engine/src/func/func.h:
engine/src/value/value.h:
engine/include/lode.h:
engine/src/util/util.h:
engine/src/vtab/vtab.h:
