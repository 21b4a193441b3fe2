out-rel/obj/engine/src/util/real_text.o: engine/src/util/real_text.c \
 engine/src/util/util.h
engine/src/util/util.h:
