out-rel/obj/engine/src/capi/cdc_funcs.o: engine/src/capi/cdc_funcs.c \
 engine/src/conn/conn.h engine/src/btree/btree.h engine/include/lode.h \
 engine/src/func/func.h engine/src/value/value.h engine/src/util/util.h \
 engine/src/sql/schema.h engine/src/sql/ast.h
engine/src/conn/conn.h:
engine/src/btree/btree.h:
engine/include/lode.h:
engine/src/func/func.h:
engine/src/value/value.h:
engine/src/util/util.h:
engine/src/sql/schema.h:
engine/src/sql/ast.h:
