# The Node addon: native/addon.c plus every engine source and the shell
# (not its main.c), compiled directly so that gyp and the Makefile read the
# same engine/src.  liburing is linked statically when tools/have-uring.sh
# finds it (LODE_URING=0 forces the POSIX backend).  The shell's libedit (line
# editing) and libnats (--replicate) are compiled against when
# tools/have-libedit.sh and tools/have-nats.sh find them, and loaded only when
# the shell first needs them (engine/shell/shell_dl.h): a program that never
# starts the shell does not map them (nor libssl and libcrypto with libnats).  NAPI_EXPERIMENTAL
# (in place of NAPI_VERSION=8) makes Node run the addon's finalizers inside
# garbage collection, so statements are freed without waiting for the event
# loop (native/addon.c, "handles").  Built as the Makefile builds liblode.so,
# with -fvisibility=hidden: the addon exports its module entry and the C API
# (lode.h, sqlite3.h) alone, so that calls inside the engine are direct and
# can be inlined (with every symbol exported, -fPIC made each a PLT call
# that no caller could inline).  NDEBUG: the engine's asserts are for the
# test builds (make test-c), as SQLite's are off in its release builds.
{
  "variables": {
    "have_uring%": "<!(sh tools/have-uring.sh)",
    "have_libedit%": "<!(sh tools/have-libedit.sh)",
    "have_nats%": "<!(sh tools/have-nats.sh)"
  },
  "targets": [{
    "target_name": "lode",
    "sources": [
      "<!@(ls native/*.c)",
      "<!@(find engine/src -name '*.c' | sort)",
      "<!@(find engine/shell -name '*.c' ! -name main.c 2>/dev/null | sort)"
    ],
    "include_dirs": ["engine/include", "engine/src", "engine/shell"],
    "defines": ["NAPI_EXPERIMENTAL", "NDEBUG"],
    "cflags_c": ["-std=c11", "-D_GNU_SOURCE", "-Wno-unused-parameter"],
    "cflags": ["-O2", "-fvisibility=hidden"],
    "libraries": ["-lm", "-ldl"],
    "conditions": [["have_uring==1", {
      "defines": ["LODE_HAVE_LIBURING"],
      "libraries": ["-l:liburing.a", "-lpthread"]
    }], ["have_libedit==1", {
      "defines": ["LODE_HAVE_LIBEDIT"]
    }], ["have_nats==1", {
      "defines": ["LODE_HAVE_NATS"],
      "libraries": ["-lpthread"]
    }]]
  }]
}
