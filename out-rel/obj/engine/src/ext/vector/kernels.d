out-rel/obj/engine/src/ext/vector/kernels.o: \
 engine/src/ext/vector/kernels.c engine/src/ext/vector/vector.h \
 engine/src/func/func.h engine/src/value/value.h engine/include/lode.h \
 engine/src/util/util.h
engine/src/ext/vector/vector.h:
engine/src/func/func.h:
engine/src/value/value.h:
engine/include/lode.h:
engine/src/util/util.h:
