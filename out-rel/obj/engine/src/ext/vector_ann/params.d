out-rel/obj/engine/src/ext/vector_ann/params.o: \
 engine/src/ext/vector_ann/params.c \
 engine/src/ext/vector_ann/vector_ann.h engine/include/lode.h \
 engine/src/util/util.h
engine/src/ext/vector_ann/vector_ann.h:
engine/include/lode.h:
engine/src/util/util.h:
