out-rel/obj/engine/src/idxmethod/store.o: engine/src/idxmethod/store.c \
 engine/src/idxmethod/idxmethod_int.h engine/src/idxmethod/idxmethod.h \
 engine/src/btree/btree.h engine/include/lode.h engine/src/value/value.h \
 engine/src/util/util.h
engine/src/idxmethod/idxmethod_int.h:
engine/src/idxmethod/idxmethod.h:
engine/src/btree/btree.h:
engine/include/lode.h:
engine/src/value/value.h:
engine/src/util/util.h:
