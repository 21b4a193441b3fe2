out-rel/obj/engine/src/idxmethod/toy_sparse_ivf.o: \
 engine/src/idxmethod/toy_sparse_ivf.c engine/src/ext/vector/vector.h \
 engine/src/func/func.h engine/src/value/value.h engine/include/lode.h \
 engine/src/util/util.h engine/src/idxmethod/idxmethod_int.h \
 engine/src/idxmethod/idxmethod.h engine/src/btree/btree.h
engine/src/ext/vector/vector.h:
engine/src/func/func.h:
engine/src/value/value.h:
engine/include/lode.h:
engine/src/util/util.h:
engine/src/idxmethod/idxmethod_int.h:
engine/src/idxmethod/idxmethod.h:
engine/src/btree/btree.h:
