out-rel/obj/engine/src/crypto/codec.o: engine/src/crypto/codec.c \
 engine/src/crypto/crypto_int.h engine/src/crypto/crypto.h \
 engine/src/util/util.h
engine/src/crypto/crypto_int.h:
engine/src/crypto/crypto.h:
engine/src/util/util.h:
