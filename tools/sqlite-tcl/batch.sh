#!/bin/bash
# Run many of SQLite's Tcl test files against one engine, two at a time, at low priority.
#
#   tools/sqlite-tcl/batch.sh LIST OUTDIR ENGINE
#
# LIST: a file naming one test per line (select1 or select1.test; # starts a comment), or "all"
#       for every test/*.test of the fetched sources less the suite drivers and the files that
#       cannot start without testfixture (skip-list.txt beside this script).
# OUTDIR gets NAME.out (run.sh's output) for each file and status.tsv (name, exit code, seconds).
# A file whose NAME.out already ends with the summary line is not run again (delete it to rerun).
# Environment: JOBS (default 2), and run.sh's.
set -u
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 3 ] || { echo "usage: $0 LIST OUTDIR ENGINE" >&2; exit 2; }
list=$1 outdir=$2 engine=$3
SQLITE_SRC=${SQLITE_SRC:-/tmp/sqsrc}
export SQLITE_SRC
[ -d "$SQLITE_SRC/src/test" ] || "$here/fetch.sh" "$SQLITE_SRC" >/dev/null || exit 2
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

names=$(mktemp)
trap 'rm -f "$names"' EXIT
if [ "$list" = all ]; then
  skip=$(grep -v '^#' "$here/skip-list.txt" | awk '{print $1}')
  for f in "$SQLITE_SRC"/src/test/*.test; do
    n=$(basename "$f" .test)
    printf '%s\n' "$skip" | grep -qx "$n" || echo "$n"
  done > "$names"
else
  sed -e 's/#.*//' -e 's/\.test *$//' -e 's/[[:space:]]//g' "$list" | grep -v '^$' > "$names"
fi

# Build the oracle once before the parallel runs.
if [ "$engine" = sq ]; then "$here/run.sh" "$(head -n1 "$names")" sq >/dev/null 2>&1; fi

one() {
  local n=$1 out=$outdir/$1.out
  if [ -f "$out" ] && grep -q '^[0-9]* errors out of [0-9]* tests$' "$out"; then return 0; fi
  local t0=$SECONDS
  nice -n 10 "$here/run.sh" "$n" "$engine" > "$out" 2>&1
  local rc=$?
  printf '%s\t%s\t%s\n' "$n" "$rc" "$((SECONDS - t0))" >> "$outdir/status.tsv"
}
export -f one
export here outdir engine
xargs -a "$names" -P "${JOBS:-2}" -I{} bash -c 'one "$1"' _ {}
echo "done: $(wc -l < "$names") files in $outdir"
