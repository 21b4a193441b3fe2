out-rel/obj/engine/src/crypto/aegis.o: engine/src/crypto/aegis.c \
 engine/src/crypto/crypto_int.h engine/src/crypto/crypto.h \
 engine/src/crypto/aegis_impl.h
engine/src/crypto/crypto_int.h:
engine/src/crypto/crypto.h:
engine/src/crypto/aegis_impl.h:
