out-rel/obj/engine/src/pager/pager_frames.o: \
 engine/src/pager/pager_frames.c engine/src/pager/pager.h \
 engine/src/os/os.h engine/include/lode.h engine/src/pager/pager_int.h \
 engine/src/crypto/crypto.h engine/src/util/util.h
engine/src/pager/pager.h:
engine/src/os/os.h:
engine/include/lode.h:
engine/src/pager/pager_int.h:
engine/src/crypto/crypto.h:
engine/src/util/util.h:
