# Lode: the engine library (out/liblode.a), the shell (out/lode) and the C
# unit tests (out/test/*).  node-gyp owns build/, emscripten writes dist/.
#
#   make                 library + shell
#   make test-c          build and run the C unit tests
#   make SAN=1 test-c    the same under AddressSanitizer + UBSan (in out-san/)

CC ?= cc
SAN ?= 0
ifeq ($(SAN),1)
  OUT := out-san
  OPT ?= -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
  SANLD := -fsanitize=address,undefined
else
  OUT := out
  OPT ?= -O2 -g
  SANLD :=
endif
WERROR ?= -Werror
ENGINE_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra $(WERROR) -fPIC -Iengine/include -Iengine/src $(OPT)
URING ?= $(shell sh tools/have-uring.sh)
ifeq ($(URING),1)
  ENGINE_CFLAGS += -DLODE_HAVE_LIBURING
  URING_LIBS := $(if $(wildcard /usr/lib/*/liburing.a /usr/lib/liburing.a),-l:liburing.a,-luring)
endif
LDLIBS = $(URING_LIBS) -lm -lpthread
# libedit gives the shell line editing and history on a terminal (optional).
LIBEDIT ?= $(shell sh tools/have-libedit.sh)
ifeq ($(LIBEDIT),1)
  SHELL_CFLAGS := -DLODE_HAVE_LIBEDIT
  SHELL_LIBS := -ledit
endif

ENGINE_SRCS := $(shell find engine/src -name '*.c' | sort)
ENGINE_OBJS := $(patsubst %.c,$(OUT)/obj/%.o,$(ENGINE_SRCS))
SHELL_SRCS := $(shell find engine/shell -name '*.c' | sort)
SHELL_OBJS := $(patsubst %.c,$(OUT)/obj/%.o,$(SHELL_SRCS))
TEST_SRCS := $(shell find test/c -name '*.c' | sort)
TEST_BINS := $(patsubst test/c/%.c,$(OUT)/test/%,$(TEST_SRCS))

all: $(OUT)/liblode.a $(OUT)/lode

$(OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ENGINE_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(OUT)/obj/engine/shell/%.o: engine/shell/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ENGINE_CFLAGS) $(SHELL_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(OUT)/liblode.a: $(ENGINE_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(OUT)/lode: $(SHELL_OBJS) $(OUT)/liblode.a
	$(CC) $(SANLD) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(SHELL_LIBS)

$(OUT)/test/%: $(OUT)/obj/test/c/%.o $(OUT)/liblode.a
	@mkdir -p $(dir $@)
	$(CC) $(SANLD) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Runs every C test binary; each prints "ok"/"FAIL" lines; the summary is the last line.
test-c: $(TEST_BINS)
	@sh tools/run-c-tests.sh $(TEST_BINS)

print-libs:
	@echo $(LDLIBS)

clean:
	rm -rf out out-san out-clang

.PHONY: all test-c clean print-libs
.SECONDARY:
-include $(shell find $(OUT)/obj -name '*.d' 2>/dev/null)
