out-rel/obj/engine/src/os/os_uring.o: engine/src/os/os_uring.c \
 engine/src/os/os.h engine/include/lode.h engine/src/util/util.h
engine/src/os/os.h:
engine/include/lode.h:
engine/src/util/util.h:
