out-rel/obj/engine/src/os/os_sync.o: engine/src/os/os_sync.c \
 engine/src/os/os.h engine/include/lode.h engine/src/util/util.h
engine/src/os/os.h:
engine/include/lode.h:
engine/src/util/util.h:
