out-rel/obj/engine/src/btree/btree.o: engine/src/btree/btree.c \
 engine/src/btree/btree_int.h engine/src/btree/btree.h \
 engine/include/lode.h engine/src/pager/pager.h engine/src/os/os.h \
 engine/src/util/util.h
engine/src/btree/btree_int.h:
engine/src/btree/btree.h:
engine/include/lode.h:
engine/src/pager/pager.h:
engine/src/os/os.h:
engine/src/util/util.h:
