out-rel/obj/engine/src/os/os_fault.o: engine/src/os/os_fault.c \
 engine/src/os/os.h engine/include/lode.h engine/src/util/util.h
engine/src/os/os.h:
engine/include/lode.h:
engine/src/util/util.h:
