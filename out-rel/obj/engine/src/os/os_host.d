out-rel/obj/engine/src/os/os_host.o: engine/src/os/os_host.c
