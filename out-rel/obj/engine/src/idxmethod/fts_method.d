out-rel/obj/engine/src/idxmethod/fts_method.o: \
 engine/src/idxmethod/fts_method.c engine/src/ext/fts/fts.h \
 engine/src/func/func.h engine/src/value/value.h engine/include/lode.h \
 engine/src/util/util.h engine/src/idxmethod/idxmethod_int.h \
 engine/src/idxmethod/idxmethod.h engine/src/btree/btree.h
engine/src/ext/fts/fts.h:
engine/src/func/func.h:
engine/src/value/value.h:
engine/include/lode.h:
engine/src/util/util.h:
engine/src/idxmethod/idxmethod_int.h:
engine/src/idxmethod/idxmethod.h:
engine/src/btree/btree.h:
