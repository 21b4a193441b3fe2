out-rel/obj/engine/src/btree/btree_cursor.o: \
 engine/src/btree/btree_cursor.c engine/src/btree/btree_int.h \
 engine/src/btree/btree.h engine/include/lode.h engine/src/pager/pager.h \
 engine/src/os/os.h engine/src/util/util.h
engine/src/btree/btree_int.h:
engine/src/btree/btree.h:
engine/include/lode.h:
engine/src/pager/pager.h:
engine/src/os/os.h:
engine/src/util/util.h:
