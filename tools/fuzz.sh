#!/bin/sh
# Runs the libFuzzer targets of test/fuzz (built by `make fuzz` into out-fuzz/).
# First every kept input (test/fuzz/regress/<target>/, inputs that once
# crashed or hung the engine) runs once; then each target fuzzes from a seed
# corpus: fuzz_sql from the statements of test/diff/*.sql (split at ';'),
# fuzz_db from the small databases of test/fuzz/seed-db/.
# The CI-sized run is fixed-seed and about 55 s in all.  Long mode:
#   LODE_FUZZ_SECONDS=n   seconds per target (the corpus grows in
#                         out-fuzz/corpus/<target>/ and is reused next time)
#   LODE_FUZZ_SEED=n      libFuzzer's -seed (default 1; 0 picks one)
#   LODE_FUZZ_TARGETS="fuzz_sql"   a subset of the targets
# A crash, leak, timeout or sanitizer report fails the run; the input is
# written to out-fuzz/artifacts/ (keep it under test/fuzz/regress/<target>/
# with the fix).  Rerun one input: out-fuzz/fuzz/fuzz_sql /abs/path/to/input
# (an absolute path: fuzz_sql works in a temporary directory).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
make -s -j2 fuzz
OUT="$ROOT/out-fuzz"
SEED=${LODE_FUZZ_SEED:-1}
TARGETS=${LODE_FUZZ_TARGETS:-fuzz_sql fuzz_db}
mkdir -p "$OUT/artifacts"

# One seed file per statement of the differential tests.
seeds_sql="$OUT/seed/fuzz_sql"
if [ ! -d "$seeds_sql" ] || [ -n "$(find test/diff -maxdepth 1 -name '*.sql' -newer "$seeds_sql")" ]; then
  rm -rf "$seeds_sql"
  mkdir -p "$seeds_sql"
  for f in test/diff/*.sql; do
    awk -v dir="$seeds_sql" -v base="$(basename "$f" .sql)" 'BEGIN { RS = ";" }
      { gsub(/^[ \t\n]+/, ""); if ($0 != "" && length($0) < 4000) { n++; print $0 ";" > (dir "/" base "-" n); close(dir "/" base "-" n) } }' "$f"
  done
fi

status=0
for t in $TARGETS; do
  bin="$OUT/fuzz/$t"
  case $t in
    fuzz_sql) secs=${LODE_FUZZ_SECONDS:-35}; seeds="$seeds_sql"; extra="-dict=$ROOT/test/fuzz/sql.dict -max_len=4096" ;;
    fuzz_db) secs=${LODE_FUZZ_SECONDS:-20}; seeds="$ROOT/test/fuzz/seed-db"; extra="-max_len=65536" ;;
    *) echo "unknown fuzz target $t" >&2; exit 2 ;;
  esac
  opts="-seed=$SEED -timeout=20 -rss_limit_mb=2048 -malloc_limit_mb=512 -artifact_prefix=$OUT/artifacts/$t- -print_final_stats=1"
  regress="$ROOT/test/fuzz/regress/$t"
  if [ -d "$regress" ] && [ -n "$(ls "$regress")" ]; then
    echo "=== $t: $(ls "$regress" | wc -l) kept inputs"
    # shellcheck disable=SC2086
    "$bin" $opts $extra "$regress"/* >"$OUT/$t-regress.log" 2>&1 || { tail -n 40 "$OUT/$t-regress.log"; status=1; continue; }
  fi
  corpus="$OUT/corpus/$t"
  mkdir -p "$corpus"
  dirs="$corpus $seeds"
  [ -d "$regress" ] && dirs="$dirs $regress"
  echo "=== $t: fuzzing ${secs}s (seed $SEED)"
  # shellcheck disable=SC2086
  if "$bin" $opts $extra -max_total_time="$secs" $dirs >"$OUT/$t.log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|new_units_added)|^#[0-9]+.*DONE' "$OUT/$t.log" || true
  else
    tail -n 60 "$OUT/$t.log"
    status=1
  fi
done
if [ $status = 0 ]; then echo "fuzz: no crash"; else echo "fuzz: FAILED (inputs in $OUT/artifacts/)"; fi
exit $status
