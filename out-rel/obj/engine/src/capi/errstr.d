out-rel/obj/engine/src/capi/errstr.o: engine/src/capi/errstr.c \
 engine/include/lode.h
engine/include/lode.h:
