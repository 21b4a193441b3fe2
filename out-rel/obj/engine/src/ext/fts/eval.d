out-rel/obj/engine/src/ext/fts/eval.o: engine/src/ext/fts/eval.c \
 engine/src/ext/fts/fts.h engine/src/func/func.h engine/src/value/value.h \
 engine/include/lode.h engine/src/util/util.h
engine/src/ext/fts/fts.h:
engine/src/func/func.h:
engine/src/value/value.h:
engine/include/lode.h:
engine/src/util/util.h:
