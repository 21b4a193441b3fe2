out-rel/obj/engine/src/util/strbuf.o: engine/src/util/strbuf.c \
 engine/src/util/util.h
engine/src/util/util.h:
