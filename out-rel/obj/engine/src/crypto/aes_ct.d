out-rel/obj/engine/src/crypto/aes_ct.o: engine/src/crypto/aes_ct.c \
 engine/src/crypto/crypto_int.h engine/src/crypto/crypto.h
engine/src/crypto/crypto_int.h:
engine/src/crypto/crypto.h:
