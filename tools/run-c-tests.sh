#!/bin/sh
# Runs the C unit test binaries given as arguments and sums their results.
# Each binary prints one line per test and "N passed, N failed" last.
# TEST_JOBS binaries run at once (default 2: the sanitizer build spends most
# of CI's C test time running, one core each); their reports are printed in
# the order given, each when it and those before it have finished.
jobs=${TEST_JOBS:-2}
dir=$(mktemp -d "${TMPDIR:-/tmp}/lode-c-tests.XXXXXX")
trap 'rm -rf "$dir"' EXIT

# One binary: its output, exit code and seconds into DIR/N.out, .rc, .secs.
run_one() {
  start=$(date +%s)
  "$2" > "$dir/$1.out" 2>&1
  echo $? > "$dir/$1.rc.tmp"
  echo $(($(date +%s) - start)) > "$dir/$1.secs"
  mv "$dir/$1.rc.tmp" "$dir/$1.rc"
}

passed=0; failed=0; status=0
report() {
  t=$2; out=$(cat "$dir/$1.out"); rc=$(cat "$dir/$1.rc"); secs=$(cat "$dir/$1.secs")
  line=$(printf '%s\n' "$out" | tail -n 1)
  # failures and diagnostics in full; the per-binary count as "name: count"
  printf '%s\n' "$out" | sed '$d' | grep -v '^ok ' || true
  echo "$(basename "$t"): $line (${secs}s)"
  p=$(printf '%s' "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
  f=$(printf '%s' "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
  if [ -z "$p" ] || [ "$rc" -ne 0 ]; then
    echo "FAIL $t (exit $rc)"; failed=$((failed + 1)); status=1
  else
    passed=$((passed + p)); failed=$((failed + f)); [ "$f" -eq 0 ] || status=1
  fi
}

# Start binaries while fewer than $jobs run; report finished ones in order.
n=$#; started=0; reported=0; running=0
while [ "$reported" -lt "$n" ]; do
  while [ "$running" -lt "$jobs" ] && [ "$started" -lt "$n" ]; do
    started=$((started + 1)); running=$((running + 1))
    eval "t=\${$started}"
    run_one "$started" "$t" &
  done
  next=$((reported + 1))
  if [ -f "$dir/$next.rc" ]; then
    eval "t=\${$next}"
    report "$next" "$t"
    reported=$next
    continue
  fi
  # Count the finished but unreported ones to know how many still run.
  done_n=0; i=$next
  while [ "$i" -le "$started" ]; do [ -f "$dir/$i.rc" ] && done_n=$((done_n + 1)); i=$((i + 1)); done
  running=$((started - reported - done_n))
  [ "$running" -lt "$jobs" ] && [ "$started" -lt "$n" ] && continue
  sleep 0.2
done
wait
echo "C tests: $passed passed, $failed failed"
exit $status
