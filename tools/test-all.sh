#!/bin/sh
# Everything `npm test` runs: the library and shell (make), the C unit tests
# (make test-c), the wasm build when emcc is present (required under CI=true),
# the addon when it is missing, then mocha.  Ends with ONE line
# "N passed, N failed" summing the C tests and mocha; exits non-zero on any
# failure.  Logs of each step go to stdout as they run.
set -u
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}
status=0
c_pass=0; c_fail=0; js_pass=0; js_fail=0
log=$(mktemp -d "${TMPDIR:-/tmp}/lode-test.XXXXXX")
trap 'rm -rf "$log"' EXIT

step() { echo "=== $*"; }

step "make (library + shell)"
if ! make -j"$JOBS"; then echo "make failed"; status=1; fi

step "layering of #includes (docs/ARCHITECTURE.md)"
if sh tools/check-layering.sh; then c_pass=$((c_pass + 1)); else c_fail=$((c_fail + 1)); status=1; fi

step "C unit tests"
make -j"$JOBS" test-c 2>&1 | tee "$log/c.txt"
line=$(grep '^C tests: ' "$log/c.txt" | tail -n 1)
if [ -n "$line" ]; then
  c_pass=$((c_pass + $(printf '%s' "$line" | sed -n 's/^C tests: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')))
  c_fail=$((c_fail + $(printf '%s' "$line" | sed -n 's/^C tests: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')))
  [ "$c_fail" -eq 0 ] || status=1
else
  echo "C tests did not run"; c_fail=$((c_fail + 1)); status=1
fi

step "wasm build"
if command -v emcc >/dev/null 2>&1; then
  sh wasm/build.sh || { echo "wasm build failed"; status=1; }
elif [ -n "${CI:-}" ]; then
  echo "emcc missing (required in CI)"; status=1
else
  echo "emcc not found: skipping the wasm build (its tests skip too)"
fi

step "node addon (incremental node-gyp build)"
npm run --silent build:addon || { echo "addon build failed"; status=1; }

step "mocha"
NO_COLOR=1 npx mocha 2>&1 | tee "$log/js.txt"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log/js.txt" | tail -n 1)
if [ -n "$line" ]; then
  js_pass=$(printf '%s' "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
  js_fail=$(printf '%s' "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
  [ "$js_fail" -eq 0 ] || status=1
else
  echo "mocha did not finish"; js_fail=1; status=1
fi

echo "$((c_pass + js_pass)) passed, $((c_fail + js_fail)) failed"
exit $status
