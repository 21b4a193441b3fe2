#!/bin/sh
# Runs the test/capi programs built by `make test-capi`:
#   run-capi-tests.sh DIR NAME... -- LODE_ONLY_NAME...
# NAME-lode and NAME-sqlite (built against Lode and against the system's
# libsqlite3) must print the same; LODE_ONLY_NAME-lode must print
# test/capi/LODE_ONLY_NAME.expected.  With ABI_LIB_DIR set (a directory
# holding libsqlite3.so.0 -> liblode.so), NAME-sqlite also runs on Lode's
# shared library and must print what NAME-lode does.  Each program runs in a scratch
# directory (they create database files).  One "ok"/"FAIL" line per
# program, "N passed, N failed" last.
dir=$1; shift
root=$(pwd)
passed=0; failed=0
scratch=$(mktemp -d "${TMPDIR:-/tmp}/lode-capi.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
run() { # binary output-file
  rm -rf "$scratch/work" && mkdir "$scratch/work" &&
    (cd "$scratch/work" && "$root/$1" > "$2" 2>&1; echo "exit $?" >> "$2")
}
lode_only=0
for name in "$@"; do
  if [ "$name" = "--" ]; then lode_only=1; continue; fi
  run "$dir/$name-lode" "$scratch/lode.txt"
  if [ $lode_only -eq 1 ]; then
    expected="$root/test/capi/$name.expected"
  else
    run "$dir/$name-sqlite" "$scratch/sqlite.txt"
    expected="$scratch/sqlite.txt"
  fi
  if diff -u "$expected" "$scratch/lode.txt" > "$scratch/diff.txt"; then
    echo "ok capi/$name"; passed=$((passed + 1))
    if [ $lode_only -eq 0 ] && [ -n "${ABI_LIB_DIR:-}" ]; then
      (export LD_LIBRARY_PATH="$root/$ABI_LIB_DIR"; run "$dir/$name-sqlite" "$scratch/abi.txt")
      if diff -u "$scratch/lode.txt" "$scratch/abi.txt" > "$scratch/diff.txt"; then
        echo "ok capi/$name on liblode.so"; passed=$((passed + 1))
      else
        echo "FAIL capi/$name on liblode.so (the system build run with LD_LIBRARY_PATH=$ABI_LIB_DIR)"
        head -n 60 "$scratch/diff.txt"
        failed=$((failed + 1))
      fi
    fi
  else
    if [ $lode_only -eq 1 ]; then want="$name.expected"; else want="system libsqlite3"; fi
    echo "FAIL capi/$name (expected: $want, got: Lode)"
    head -n 60 "$scratch/diff.txt"
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
