out-rel/obj/engine/src/conn/settings.o: engine/src/conn/settings.c \
 engine/src/conn/conn_int.h engine/src/conn/conn.h \
 engine/src/btree/btree.h engine/include/lode.h engine/src/func/func.h \
 engine/src/value/value.h engine/src/util/util.h engine/src/sql/schema.h \
 engine/src/sql/ast.h engine/src/pager/pager.h engine/src/os/os.h
engine/src/conn/conn_int.h:
engine/src/conn/conn.h:
engine/src/btree/btree.h:
engine/include/lode.h:
engine/src/func/func.h:
engine/src/value/value.h:
engine/src/util/util.h:
engine/src/sql/schema.h:
engine/src/sql/ast.h:
engine/src/pager/pager.h:
engine/src/os/os.h:
