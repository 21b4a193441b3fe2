out-rel/obj/engine/src/os/os_common.o: engine/src/os/os_common.c \
 engine/src/os/os.h engine/include/lode.h
engine/src/os/os.h:
engine/include/lode.h:
