out-rel/obj/engine/src/ext/vector/vector.o: \
 engine/src/ext/vector/vector.c engine/src/ext/vector/vector_int.h \
 engine/src/ext/vector/vector.h engine/src/func/func.h \
 engine/src/value/value.h engine/include/lode.h engine/src/util/util.h
engine/src/ext/vector/vector_int.h:
engine/src/ext/vector/vector.h:
engine/src/func/func.h:
engine/src/value/value.h:
engine/include/lode.h:
engine/src/util/util.h:
