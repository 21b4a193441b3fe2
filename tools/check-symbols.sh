#!/bin/sh
# The sqlite3 API that Lode's shared library exports stays complete:
#   check-symbols.sh LIB LIST [SYSTEM_LIB]
# Every function named in LIST (the public functions of Debian's
# libsqlite3.so.0 3.40: sqlite3_*, the session extension's sqlite3session_*,
# sqlite3changeset_*, sqlite3changegroup_*, sqlite3rebaser_*) must be defined
# in LIB; when SYSTEM_LIB exists, so must every public function it exports
# (a newer libsqlite3 may add some).  One "ok"/"FAIL" line per check,
# "N passed, N failed" last.
lib=$1; list=$2; system=${3:-}
passed=0; failed=0
exported=$(mktemp "${TMPDIR:-/tmp}/lode-syms.XXXXXX")
sysnames=$(mktemp "${TMPDIR:-/tmp}/lode-syms.XXXXXX")
trap 'rm -f "$exported" "$sysnames"' EXIT
public() { grep -E '^(sqlite3_|sqlite3session_|sqlite3changeset_|sqlite3changegroup_|sqlite3rebaser_)'; }
nm -D --defined-only "$lib" | awk '{print $3}' | sed 's/@.*//' | sort -u > "$exported"
check() { # label, names on stdin
  missing=$(sort -u | comm -23 - "$exported")
  if [ -z "$missing" ]; then
    echo "ok symbols: $1"; passed=$((passed + 1))
  else
    echo "FAIL symbols: $1 — missing from $lib:"; printf '  %s\n' $missing; failed=$((failed + 1))
  fi
}
check "$(wc -l < "$list") functions of $list" < "$list"
if [ -n "$system" ] && [ -e "$system" ]; then
  nm -D --defined-only "$system" | awk '{print $3}' | sed 's/@.*//' | public > "$sysnames"
  check "$(wc -l < "$sysnames") public functions of $system" < "$sysnames"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
