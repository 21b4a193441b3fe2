out-rel/obj/engine/src/btree/btree_write.o: \
 engine/src/btree/btree_write.c engine/src/btree/btree_int.h \
 engine/src/btree/btree.h engine/include/lode.h engine/src/pager/pager.h \
 engine/src/os/os.h engine/src/util/util.h
engine/src/btree/btree_int.h:
engine/src/btree/btree.h:
engine/include/lode.h:
engine/src/pager/pager.h:
engine/src/os/os.h:
engine/src/util/util.h:
