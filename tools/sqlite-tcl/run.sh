#!/bin/bash
# Run one of SQLite's Tcl test files through our tester.tcl against one engine.
#
#   tools/sqlite-tcl/run.sh FILE [ENGINE]
#
# FILE: a path, or a name looked up in $SQLITE_SRC/src/test (select1 or select1.test).
# ENGINE: lode (default; this worktree's out/libsqlite3.so.0), sys (Debian's libsqlite3, 3.40.1),
#         sq (SQLite 3.53 built from better-sqlite3's amalgamation into $SQ_LIB_DIR; an oracle only).
# Prints one line per test (PASS/FAIL/SKIP/ERROR) and the closing "N errors out of M tests".
# Environment: SQLITE_SRC (default /tmp/sqsrc), TCL_TIMEOUT (seconds, default 60),
#              SQ_LIB_DIR (default /tmp/sq-lib), LODE_OUT (default <worktree>/out).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
SQLITE_SRC=${SQLITE_SRC:-/tmp/sqsrc}
SQ_LIB_DIR=${SQ_LIB_DIR:-/tmp/sq-lib}
LODE_OUT=${LODE_OUT:-$root/out}
timeout_s=${TCL_TIMEOUT:-60}

[ $# -ge 1 ] || { echo "usage: $0 FILE [lode|sq|sys]" >&2; exit 2; }
file=$1
engine=${2:-lode}

if [ ! -d "$SQLITE_SRC/src/test" ]; then
  "$here/fetch.sh" "$SQLITE_SRC" >/dev/null || exit 2
fi
case $file in
  */*) ;;
  *) file=$SQLITE_SRC/src/test/${file%.test}.test ;;
esac
[ -f "$file" ] || { echo "run.sh: no such test file: $file" >&2; exit 2; }
file=$(cd "$(dirname "$file")" && pwd)/$(basename "$file")

# The oracle: the amalgamation better-sqlite3 ships, with its compile options, less those that
# would break SQLite's own tests or Debian's Tcl binding (TCL variables, progress callback,
# deprecated tracing, foreign keys on and DQS off by default, URIs off), plus the hooks the binding
# links to and the features Lode reports through sqlite_compileoption_used.
build_sq() {
  local amal=$root/node_modules/better-sqlite3/deps/sqlite3
  if [ ! -f "$amal/sqlite3.c" ]; then
    (cd "$root" && npm ci --ignore-scripts >/dev/null 2>&1) || { echo "run.sh: npm ci failed" >&2; return 1; }
  fi
  local defs
  defs=$(grep -o "'[A-Z_0-9]*\(=[^']*\)\?'" "$root/node_modules/better-sqlite3/deps/defines.gypi" | tr -d "'" |
    grep -v -E '^SQLITE_(DEFAULT_FOREIGN_KEYS|DQS|OMIT_DEPRECATED|OMIT_PROGRESS_CALLBACK|OMIT_TCL_VARIABLE)(=|$)' |
    grep -v -E '^SQLITE_(USE_URI|OMIT_SHARED_CACHE|DEFAULT_MEMSTATUS|DEFAULT_CACHE_SIZE)(=|$)')
  local flags=""
  for d in $defs SQLITE_USE_URI=1 SQLITE_ENABLE_UNLOCK_NOTIFY SQLITE_ENABLE_PREUPDATE_HOOK SQLITE_ENABLE_SESSION \
           SQLITE_ENABLE_DBPAGE_VTAB SQLITE_ENABLE_FTS3_TOKENIZER; do
    flags="$flags -D$d"
  done
  mkdir -p "$SQ_LIB_DIR"
  local tmp=$SQ_LIB_DIR/libsqlite3.so.0.tmp.$$
  nice -n 10 cc -O2 -fPIC -shared $flags -Wl,-soname,libsqlite3.so.0 -o "$tmp" "$amal/sqlite3.c" -lm -lpthread -ldl &&
    mv "$tmp" "$SQ_LIB_DIR/libsqlite3.so.0" && echo "$flags" > "$SQ_LIB_DIR/flags"
}

case $engine in
  lode)
    if [ ! -e "$LODE_OUT/libsqlite3.so.0" ]; then
      echo "run.sh: build Lode first (make): no $LODE_OUT/libsqlite3.so.0" >&2
      exit 2
    fi
    libdir=$LODE_OUT
    cli=$LODE_OUT/lode ;;
  sq)
    if [ ! -e "$SQ_LIB_DIR/libsqlite3.so.0" ]; then
      # Parallel runs build it once.
      (flock 9; [ -e "$SQ_LIB_DIR/libsqlite3.so.0" ] || build_sq) 9>"/tmp/sq-lib.lock" || exit 2
    fi
    libdir=$SQ_LIB_DIR
    cli=/usr/bin/sqlite3 ;; # Debian's shell, on the library under test
  sys)
    libdir=""
    cli=/usr/bin/sqlite3 ;;
  *) echo "run.sh: unknown engine $engine (lode, sq, sys)" >&2; exit 2 ;;
esac

dpkg -s libsqlite3-tcl >/dev/null 2>&1 || "$here/fetch.sh" "$SQLITE_SRC" >/dev/null || exit 2

work=$(mktemp -d /tmp/sqlite-tcl.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
export SQLITE_TCL_ENGINE=$engine
export LODE_TCL_CLI=$cli
if [ -n "$libdir" ]; then export LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}; fi
timeout -k 5 "$timeout_s" tclsh "$here/tester.tcl" "$file" </dev/null 2>&1
rc=$?
if [ $rc = 124 ] || [ $rc = 137 ]; then
  echo "TIMEOUT $(basename "$file") after ${timeout_s}s"
elif [ $rc -gt 128 ]; then
  echo "CRASH $(basename "$file") signal $((rc - 128))"
fi
exit $rc
