out-rel/obj/engine/src/ext/vector_ann/node.o: \
 engine/src/ext/vector_ann/node.c engine/src/ext/vector_ann/ann_int.h \
 engine/src/ext/vector/vector.h engine/src/func/func.h \
 engine/src/value/value.h engine/include/lode.h engine/src/util/util.h \
 engine/src/ext/vector_ann/vector_ann.h
engine/src/ext/vector_ann/ann_int.h:
engine/src/ext/vector/vector.h:
engine/src/func/func.h:
engine/src/value/value.h:
engine/include/lode.h:
engine/src/util/util.h:
engine/src/ext/vector_ann/vector_ann.h:
