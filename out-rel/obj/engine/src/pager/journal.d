out-rel/obj/engine/src/pager/journal.o: engine/src/pager/journal.c \
 engine/src/pager/pager_int.h engine/src/crypto/crypto.h \
 engine/src/os/os.h engine/include/lode.h engine/src/pager/pager.h \
 engine/src/util/util.h
engine/src/pager/pager_int.h:
engine/src/crypto/crypto.h:
engine/src/os/os.h:
engine/include/lode.h:
engine/src/pager/pager.h:
engine/src/util/util.h:
