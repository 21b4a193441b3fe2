#!/bin/sh
# SQLite's speedtest1 (emscripten's copy: first argument is a size class
# 1..5, the database is :memory:) built unmodified against Lode's sqlite3.h
# and liblode.a, and against the system's libsqlite3; runs both and prints
# each test's time under both and the ratio Lode/SQLite.  Not part of the
# tests.  Usage: bench/speedtest1.sh [SIZE_CLASS [speedtest1 options...]]
set -eu
cd "$(dirname "$0")/.."
SRC=${SPEEDTEST1_SRC:-/usr/share/emscripten/tests/sqlite/speedtest1.c}
size=${1:-3}
[ $# -gt 0 ] && shift
[ -f "$SRC" ] || { echo "speedtest1.c not found at $SRC (set SPEEDTEST1_SRC)"; exit 1; }
make -j2 out/liblode.a >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/speedtest1.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cc -O2 -w -Iengine/include -o "$tmp/st-lode" "$SRC" out/liblode.a $(make -s print-libs)
cc -O2 -w -o "$tmp/st-sqlite" "$SRC" -lsqlite3
(cd "$tmp" && ./st-lode "$size" "$@" > lode.txt 2>&1) || true
(cd "$tmp" && ./st-sqlite "$size" "$@" > sqlite.txt 2>&1) || true
# "NNN - description.......   0.123s" lines, joined on NNN
awk '
  function parse(line,   m) {
    if (match(line, /^ *[0-9]+ - /) && line ~ /[0-9]s$/) {
      id = substr(line, RSTART, RLENGTH); gsub(/[ -]/, "", id)
      t = line; sub(/.*[. ] +/, "", t); sub(/s$/, "", t)
      d = line; sub(/^ *[0-9]+ - /, "", d); sub(/\.\.\.*.*$/, "", d)
      return 1
    }
    return 0
  }
  FNR == NR { if (parse($0)) { st[id] = t; desc[id] = d } next }
  { if (parse($0)) { lt[id] = t; desc[id] = d; order[++n] = id } else if ($0 !~ /^ *$/ && $0 !~ /TOTAL\.\.\./) extra = extra "\n  lode: " $0 }
  END {
    printf "%-5s %-52s %9s %9s %7s\n", "test", "description", "sqlite", "lode", "ratio"
    for (i = 1; i <= n; i++) {
      k = order[i]
      r = (st[k] > 0) ? sprintf("%.2f", lt[k] / st[k]) : "-"
      printf "%-5s %-52s %8.3fs %8.3fs %7s\n", k, substr(desc[k], 1, 52), st[k], lt[k], r
      ts += st[k]; tl += lt[k]
    }
    tr = ts > 0 ? sprintf("%.2f", tl / ts) : "-"
    printf "%-5s %-52s %8.3fs %8.3fs %7s\n", "", "total of the tests both ran", ts, tl, tr
    if (extra != "") print "Lode stopped early:" extra
  }' "$tmp/sqlite.txt" "$tmp/lode.txt"
