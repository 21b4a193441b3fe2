# Lode: the engine library (out/liblode.a), the shell (out/lode) and the C
# unit tests (out/test/*).  node-gyp owns build/, emscripten writes dist/.
#
#   make                 library + shell
#   make test-c          build and run the C unit tests
#   make SAN=1 test-c    the same under AddressSanitizer + UBSan (in out-san/)
#   make SAN=thread test-threads   connections on threads hammering one file (and the
#                        MVCC bank transfers of test/mvcc/bank.c), under
#                        ThreadSanitizer (in out-tsan/); without SAN, the same unsanitized
#   make fuzz            libFuzzer targets of test/fuzz (clang, ASan + UBSan, in out-fuzz/);
#                        tools/fuzz.sh runs them (a CI-sized run, or long with LODE_FUZZ_SECONDS)
#   make test-capi       the sqlite3 API programs of test/capi, each built against
#                        Lode and against the system libsqlite3, outputs compared
#   make install PREFIX=/usr/local   liblode.a, liblode.so, headers (include/lode), lode.pc; the
#                        soname is libsqlite3.so.0, found through lib/lode (the rpath lode.pc adds)

CC ?= cc
SAN ?= 0
ifeq ($(SAN),1)
  OUT := out-san
  OPT ?= -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
  SANLD := -fsanitize=address,undefined
  SANFLAGS := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
else ifeq ($(SAN),fuzz)
  OUT := out-fuzz
  # -fno-inline: with the coverage and sanitizer instrumentation, inlining into
  # the VM's and the compiler's big functions made the build take 7 CPU
  # minutes instead of 4, for 20% more executions a second.
  OPT ?= -O1 -fno-inline -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
  SANLD := -fsanitize=fuzzer,address,undefined
  SANFLAGS := -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
else ifeq ($(SAN),thread)
  OUT := out-tsan
  OPT ?= -O1 -g -fno-omit-frame-pointer -fsanitize=thread
  SANLD := -fsanitize=thread
  SANFLAGS := -O1 -fno-omit-frame-pointer -fsanitize=thread
else
  OUT := out
  # The library, shell and tests of the default build leave the engine's
  # asserts out, as SQLite's release builds do and the Node addon always
  # has; the sanitizer builds (SAN=1, SAN=thread, run in CI) keep them.
  OPT ?= -O2 -g -DNDEBUG
  SANLD :=
  SANFLAGS :=
endif
WERROR ?= -Werror
ENGINE_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra $(WERROR) -fPIC -fvisibility=hidden -Iengine/include -Iengine/src \
  $(OPT)
URING ?= $(shell sh tools/have-uring.sh)
ifeq ($(URING),1)
  ENGINE_CFLAGS += -DLODE_HAVE_LIBURING
  URING_LIBS := $(if $(wildcard /usr/lib/*/liburing.a /usr/lib/liburing.a),-l:liburing.a,-luring)
endif
LDLIBS = $(URING_LIBS) -lm -lpthread
# libedit gives the shell line editing and history on a terminal (optional).
# It and libnats are compiled against here and loaded when the shell first
# needs them (engine/shell/shell_dl.h), not linked.
SHELL_LIBS := -ldl
LIBEDIT ?= $(shell sh tools/have-libedit.sh)
ifeq ($(LIBEDIT),1)
  SHELL_CFLAGS := -DLODE_HAVE_LIBEDIT
endif
# libnats gives the shell --replicate (NATS JetStream replication; optional).
NATS ?= $(shell sh tools/have-nats.sh)
ifeq ($(NATS),1)
  SHELL_CFLAGS += -DLODE_HAVE_NATS
endif

ENGINE_SRCS := $(shell find engine/src -name '*.c' | sort)
ENGINE_OBJS := $(patsubst %.c,$(OUT)/obj/%.o,$(ENGINE_SRCS))
SHELL_SRCS := $(shell find engine/shell -name '*.c' | sort)
SHELL_OBJS := $(patsubst %.c,$(OUT)/obj/%.o,$(SHELL_SRCS))
TEST_SRCS := $(shell find test/c -name '*.c' | sort)
TEST_BINS := $(patsubst test/c/%.c,$(OUT)/test/%,$(TEST_SRCS))
# The C tests share one program (each test's main renamed, chosen by the name
# it runs as, out/test/NAME a link to it): a program per test carried its own
# copy of the whole library, gigabytes under the sanitizers.  Alone: the test
# that replaces pwrite for every caller, and the one that re-executes itself.
TEST_ALONE := test_crypt_temp test_multiproc
TEST_SHARED := $(filter-out $(TEST_ALONE),$(patsubst test/c/%.c,%,$(TEST_SRCS)))
TEST_SHARED_OBJS := $(patsubst %,$(OUT)/obj/test/c/%.o,$(TEST_SHARED))

all: $(OUT)/liblode.a $(OUT)/liblode.so $(OUT)/libsqlite3.so.0 $(OUT)/lode $(OUT)/lode.pc

$(OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ENGINE_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

# The shell's objects are rebuilt when its optional libraries come or go
# (a build with LODE_LIBEDIT=0 must not leave the next one without them).
# The file changes (at parse time) only when the flags do.
SHELL_FLAGS_NOW := $(strip $(SHELL_CFLAGS) $(SHELL_LIBS))
$(shell mkdir -p $(OUT) && [ -f $(OUT)/shell.flags ] && [ "$$(cat $(OUT)/shell.flags)" = '$(SHELL_FLAGS_NOW)' ] || echo '$(SHELL_FLAGS_NOW)' > $(OUT)/shell.flags)

$(OUT)/obj/engine/shell/%.o: engine/shell/%.c $(OUT)/shell.flags
	@mkdir -p $(dir $@)
	$(CC) $(ENGINE_CFLAGS) $(SHELL_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(OUT)/liblode.a: $(ENGINE_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

# The shared library stands in for the system's libsqlite3.so.0 (same soname,
# unversioned symbols as Debian's): only the sqlite3_* and lode_* API is
# exported (-fvisibility=hidden elsewhere, static archives' symbols hidden),
# and the library's own calls to its API bind inside it.
$(OUT)/liblode.so: $(ENGINE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) -shared $(SANLD) $(LDFLAGS) -Wl,-soname,libsqlite3.so.0 -Wl,--exclude-libs,ALL -Wl,-Bsymbolic-functions \
	  -o $@ $^ $(LDLIBS)

# LD_LIBRARY_PATH=out makes programs linked against libsqlite3.so.0 load Lode.
$(OUT)/libsqlite3.so.0: $(OUT)/liblode.so
	ln -sf liblode.so $@

PREFIX ?= /usr/local
define write_pc
	printf '%s\n' 'prefix=$(PREFIX)' 'includedir=$${prefix}/include/lode' 'libdir=$${prefix}/lib' '' \
	  'Name: lode' 'Description: Lode SQL engine (SQLite-compatible C API: sqlite3.h)' 'Version: 0.1.0' \
	  'Cflags: -I$${includedir}' 'Libs: -L$${libdir} -llode -Wl,-rpath,$${libdir}/lode' 'Libs.private: $(LDLIBS)' > $(1)
endef
$(OUT)/lode.pc: Makefile
	@mkdir -p $(dir $@)
	$(call write_pc,$@)

install: $(OUT)/liblode.a $(OUT)/liblode.so $(OUT)/lode $(OUT)/lode.pc
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/lode $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(OUT)/liblode.a $(DESTDIR)$(PREFIX)/lib/liblode.a
	install -m 755 $(OUT)/liblode.so $(DESTDIR)$(PREFIX)/lib/liblode.so
	install -d $(DESTDIR)$(PREFIX)/lib/lode
	ln -sf ../liblode.so $(DESTDIR)$(PREFIX)/lib/lode/libsqlite3.so.0
	install -m 644 engine/include/sqlite3.h engine/include/sqlite3ext.h engine/include/sqlite3session.h engine/include/lode.h \
	  $(DESTDIR)$(PREFIX)/include/lode/
	$(call write_pc,$(DESTDIR)$(PREFIX)/lib/pkgconfig/lode.pc)
	install -m 755 $(OUT)/lode $(DESTDIR)$(PREFIX)/bin/lode

# test/capi: every program is built against Lode (our sqlite3.h, liblode.so)
# and against the system's libsqlite3 (its own sqlite3.h); both must print the
# same.  *_lode.c programs test what only Lode promises (misuse of stale
# handles) and are compared with their .expected file instead.
CAPI_SRCS := $(filter-out %_lode.c,$(wildcard test/capi/*.c))
CAPI_LODE_SRCS := $(wildcard test/capi/*_lode.c)
CAPI_BINS := $(patsubst test/capi/%.c,$(OUT)/capi/%-lode,$(CAPI_SRCS) $(CAPI_LODE_SRCS)) \
  $(patsubst test/capi/%.c,$(OUT)/capi/%-sqlite,$(CAPI_SRCS))
CAPI_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra $(WERROR) -g
# Programs of the public API link the shared library, as applications do (found
# beside them through the rpath, ahead of LD_LIBRARY_PATH): one copy of the
# library for all of them.
LODE_SO := $(OUT)/liblode.so $(OUT)/libsqlite3.so.0
LINK_LODE_SO = -L$(OUT) -l:liblode.so -Wl,--disable-new-dtags,-rpath,'$$ORIGIN/..'

$(OUT)/capi/%-lode: test/capi/%.c $(LODE_SO) engine/include/sqlite3.h
	@mkdir -p $(dir $@)
	$(CC) $(CAPI_CFLAGS) $(SANFLAGS) -Iengine/include -o $@ $< $(LINK_LODE_SO) $(LDLIBS)

$(OUT)/capi/%-sqlite: test/capi/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CAPI_CFLAGS) -o $@ $< -lsqlite3 -lpthread

# The loadable extension of test/capi/extension.c, built against the system's
# sqlite3ext.h and against Lode's; the program finds them beside itself.
CAPI_EXTS := $(OUT)/capi/ext_sample-sys.so $(OUT)/capi/ext_sample-lode.so
$(OUT)/capi/ext_sample-sys.so: test/capi/ext/sample.c
	@mkdir -p $(dir $@)
	$(CC) $(CAPI_CFLAGS) -fPIC -shared -o $@ $<
$(OUT)/capi/ext_sample-lode.so: test/capi/ext/sample.c engine/include/sqlite3ext.h engine/include/sqlite3.h
	@mkdir -p $(dir $@)
	$(CC) $(CAPI_CFLAGS) -fPIC -shared -Iengine/include -o $@ $<

test-capi: $(OUT)/capi/run
	@$(OUT)/capi/run

$(OUT)/lode: $(SHELL_OBJS) $(OUT)/liblode.a $(OUT)/shell.flags
	$(CC) $(SANLD) $(LDFLAGS) -o $@ $(SHELL_OBJS) $(OUT)/liblode.a $(LDLIBS) $(SHELL_LIBS)

$(OUT)/test/%: $(OUT)/obj/test/c/%.o $(OUT)/liblode.a
	@mkdir -p $(dir $@)
	$(CC) $(SANLD) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(TEST_SHARED_OBJS): CFLAGS += -Dmain=lode_test_main_$(basename $(notdir $@))
$(TEST_SHARED_OBJS): Makefile
# Rewritten only when the list of tests changed (a test file added or
# removed), so that the shared program is relinked then and only then.
$(OUT)/test/tests.h: FORCE
	@mkdir -p $(dir $@)
	@printf 'TEST(%s)\n' $(TEST_SHARED) > $@.new; cmp -s $@.new $@ || mv $@.new $@; rm -f $@.new
FORCE:
$(OUT)/test/tests: test/multi_main.c $(OUT)/test/tests.h $(TEST_SHARED_OBJS) $(OUT)/liblode.a
	$(CC) $(ENGINE_CFLAGS) $(CFLAGS) -I$(OUT)/test $(SANLD) $(LDFLAGS) -o $@ test/multi_main.c $(TEST_SHARED_OBJS) \
	  $(OUT)/liblode.a $(LDLIBS)
$(patsubst %,$(OUT)/test/%,$(TEST_SHARED)): $(OUT)/test/tests
	ln -sf tests $@

# bench/vector_ann.c: the vector_ann index against brute force (a benchmark, not a test).
bench-ann: $(OUT)/bench/vector_ann
$(OUT)/bench/vector_ann: bench/vector_ann.c $(OUT)/liblode.a
	@mkdir -p $(dir $@)
	$(CC) $(ENGINE_CFLAGS) $(CFLAGS) -o $@ $< $(OUT)/liblode.a $(LDLIBS)

# bench/crypt_cipher.c: each cipher's speed on pages, AES-NI and portable (a benchmark, not a test).
bench-crypt: $(OUT)/bench/crypt_cipher
$(OUT)/bench/crypt_cipher: bench/crypt_cipher.c $(OUT)/liblode.a
	@mkdir -p $(dir $@)
	$(CC) $(ENGINE_CFLAGS) $(CFLAGS) -o $@ $< $(OUT)/liblode.a $(LDLIBS)

# bench/mvcc.c: concurrent writers, MVCC and WAL on Lode against WAL on the
# system's SQLite (a benchmark, not a test; npm run bench:mvcc prints the table).
bench-mvcc: $(OUT)/bench/mvcc-lode $(OUT)/bench/mvcc-sqlite
$(OUT)/bench/mvcc-lode: bench/mvcc.c $(OUT)/liblode.a
	@mkdir -p $(dir $@)
	$(CC) $(CAPI_CFLAGS) -O2 -DBENCH_LODE -Iengine/include -o $@ $< $(OUT)/liblode.a $(LDLIBS)
$(OUT)/bench/mvcc-sqlite: bench/mvcc.c
	@mkdir -p $(dir $@)
	$(CC) $(CAPI_CFLAGS) -O2 -o $@ $< -lsqlite3 -lpthread

# Threads: several connections of one process on threads, one file.
THREAD_SRCS := $(wildcard test/threads/*.c)
THREAD_BINS := $(patsubst test/threads/%.c,$(OUT)/threads/%,$(THREAD_SRCS))
$(OUT)/threads/%: test/threads/%.c $(LODE_SO) engine/include/lode.h
	@mkdir -p $(dir $@)
	$(CC) $(CAPI_CFLAGS) $(SANFLAGS) -Iengine/include -o $@ $< $(LINK_LODE_SO) $(LDLIBS)

test-threads: $(THREAD_BINS) $(OUT)/mvcc/bank
	@dir=$$(mktemp -d) && status=0 && for t in $(THREAD_BINS) $(OUT)/mvcc/bank; do \
	  TSAN_OPTIONS="halt_on_error=1 exitcode=66 $$TSAN_OPTIONS" $$t $$dir || status=1; done; \
	  rm -rf $$dir; exit $$status

# test/mvcc: the MVCC proofs (randomized snapshot isolation, semantics, bank
# transfers, crashes) through the sqlite3 API; they print "SKIP (no mvcc)" and
# count nothing while PRAGMA journal_mode = experimental_mvcc is refused.
MVCC_SRCS := $(wildcard test/mvcc/*.c)
MVCC_BINS := $(patsubst test/mvcc/%.c,$(OUT)/mvcc/%,$(MVCC_SRCS))
$(OUT)/mvcc/%: test/mvcc/%.c test/mvcc/mvcc_test.h $(LODE_SO) engine/include/sqlite3.h
	@mkdir -p $(dir $@)
	$(CC) $(CAPI_CFLAGS) $(SANFLAGS) -Iengine/include -o $@ $< $(LINK_LODE_SO) $(LDLIBS)

# Runs every C test binary; each prints "ok"/"FAIL" lines; the summary is the last line.
test-c: $(TEST_BINS) $(MVCC_BINS) $(OUT)/capi/run $(OUT)/capi/symbols
	@sh tools/run-c-tests.sh $(TEST_BINS) $(MVCC_BINS) $(OUT)/capi/run $(OUT)/capi/symbols

# The sqlite3 functions liblode.so must export (tools/check-symbols.sh), as one
# more test binary of test-c.
SYSTEM_SQLITE3 := $(firstword $(wildcard /usr/lib/*/libsqlite3.so.0 /usr/lib/libsqlite3.so.0))
$(OUT)/capi/symbols: $(OUT)/liblode.so tools/check-symbols.sh test/capi/sqlite3-symbols.txt
	@mkdir -p $(dir $@)
	printf '#!/bin/sh\nexec sh tools/check-symbols.sh %s %s %s\n' '$(OUT)/liblode.so' test/capi/sqlite3-symbols.txt \
	  '$(SYSTEM_SQLITE3)' > $@
	chmod +x $@

# The test/capi comparison as one more test binary of test-c.  Without the
# sanitizers, the programs built against the system libsqlite3 also run on
# out/liblode.so (as libsqlite3.so.0) and must print what the Lode builds do.
ifeq ($(SAN),1)
CAPI_ABI :=
else
CAPI_ABI := $(OUT)/libsqlite3.so.0
endif
$(OUT)/capi/run: $(CAPI_BINS) $(CAPI_EXTS) tools/run-capi-tests.sh $(CAPI_ABI)
	@mkdir -p $(dir $@)
	printf '#!/bin/sh\nABI_LIB_DIR=%s exec sh tools/run-capi-tests.sh %s %s -- %s\n' '$(if $(CAPI_ABI),$(OUT))' \
	  '$(OUT)/capi' '$(notdir $(basename $(CAPI_SRCS)))' '$(notdir $(basename $(CAPI_LODE_SRCS)))' > $@
	chmod +x $@

# libFuzzer targets: the engine built with clang under ASan + UBSan and the
# fuzzer's coverage, each test/fuzz/fuzz_*.c linked with libFuzzer's main.
FUZZ_SRCS := $(wildcard test/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst test/fuzz/%.c,$(OUT)/fuzz/%,$(FUZZ_SRCS))
$(OUT)/fuzz/%: test/fuzz/%.c $(OUT)/liblode.a engine/include/sqlite3.h
	@mkdir -p $(dir $@)
	$(CC) $(CAPI_CFLAGS) $(SANFLAGS) -Iengine/include -o $@ $< $(SANLD) $(OUT)/liblode.a $(LDLIBS)

ifeq ($(SAN),fuzz)
fuzz: $(FUZZ_BINS)
else
fuzz:
	$(MAKE) SAN=fuzz CC=clang fuzz
endif

print-libs:
	@echo $(LDLIBS)

clean:
	rm -rf out out-san out-tsan out-clang out-fuzz

.PHONY: all test-c test-capi test-threads bench-ann bench-crypt bench-mvcc fuzz install clean print-libs FORCE
.SECONDARY:
-include $(shell find $(OUT)/obj -name '*.d' 2>/dev/null)

# The crypto test cross-checks AES-GCM against OpenSSL's libcrypto when its
# headers are installed (Debian's libssl-dev); the engine never links it.
ifneq ($(wildcard /usr/include/openssl/evp.h),)
$(OUT)/obj/test/c/test_crypto.o: CFLAGS += -DLODE_TEST_OPENSSL
$(OUT)/test/tests: LDLIBS += -lcrypto
endif
