out-rel/obj/engine/src/codegen/index.o: engine/src/codegen/index.c \
 engine/src/codegen/cg.h engine/src/conn/conn.h engine/src/btree/btree.h \
 engine/include/lode.h engine/src/func/func.h engine/src/value/value.h \
 engine/src/util/util.h engine/src/sql/schema.h engine/src/sql/ast.h \
 engine/src/codegen/codegen.h engine/src/vdbe/vdbe.h \
 engine/src/plan/plan.h engine/src/sql/token.h engine/src/vtab/vtab.h \
 engine/src/sql/parser.h engine/src/idxmethod/idxmethod.h
engine/src/codegen/cg.h:
engine/src/conn/conn.h:
engine/src/btree/btree.h:
engine/include/lode.h:
engine/src/func/func.h:
engine/src/value/value.h:
engine/src/util/util.h:
engine/src/sql/schema.h:
engine/src/sql/ast.h:
engine/src/codegen/codegen.h:
engine/src/vdbe/vdbe.h:
engine/src/plan/plan.h:
engine/src/sql/token.h:
engine/src/vtab/vtab.h:
engine/src/sql/parser.h:
engine/src/idxmethod/idxmethod.h:
