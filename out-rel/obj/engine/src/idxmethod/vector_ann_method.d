out-rel/obj/engine/src/idxmethod/vector_ann_method.o: \
 engine/src/idxmethod/vector_ann_method.c \
 engine/src/ext/vector_ann/vector_ann.h \
 engine/src/idxmethod/idxmethod_int.h engine/src/idxmethod/idxmethod.h \
 engine/src/btree/btree.h engine/include/lode.h engine/src/value/value.h \
 engine/src/util/util.h
engine/src/ext/vector_ann/vector_ann.h:
engine/src/idxmethod/idxmethod_int.h:
engine/src/idxmethod/idxmethod.h:
engine/src/btree/btree.h:
engine/include/lode.h:
engine/src/value/value.h:
engine/src/util/util.h:
