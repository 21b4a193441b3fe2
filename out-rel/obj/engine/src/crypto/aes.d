out-rel/obj/engine/src/crypto/aes.o: engine/src/crypto/aes.c \
 engine/src/crypto/crypto_int.h engine/src/crypto/crypto.h
engine/src/crypto/crypto_int.h:
engine/src/crypto/crypto.h:
