out-rel/obj/engine/src/os/os_memory.o: engine/src/os/os_memory.c \
 engine/src/os/os.h engine/include/lode.h engine/src/util/util.h
engine/src/os/os.h:
engine/include/lode.h:
engine/src/util/util.h:
