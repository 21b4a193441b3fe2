out-rel/obj/engine/src/idxmethod/idxmethod.o: \
 engine/src/idxmethod/idxmethod.c engine/src/idxmethod/idxmethod_int.h \
 engine/src/idxmethod/idxmethod.h engine/src/btree/btree.h \
 engine/include/lode.h engine/src/value/value.h engine/src/util/util.h
engine/src/idxmethod/idxmethod_int.h:
engine/src/idxmethod/idxmethod.h:
engine/src/btree/btree.h:
engine/include/lode.h:
engine/src/value/value.h:
engine/src/util/util.h:
