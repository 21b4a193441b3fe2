out-rel/obj/engine/src/ext/rtree/rtree.o: engine/src/ext/rtree/rtree.c \
 engine/src/ext/rtree/rtree.h engine/include/sqlite3.h
engine/src/ext/rtree/rtree.h:
engine/include/sqlite3.h:
