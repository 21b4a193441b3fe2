#!/bin/sh
# Runs the C unit test binaries given as arguments and sums their results.
# Each binary prints one line per test and "N passed, N failed" last.
passed=0; failed=0; status=0
for t in "$@"; do
  start=$(date +%s)
  out=$("$t" 2>&1); rc=$?
  secs=$(($(date +%s) - start))
  line=$(printf '%s\n' "$out" | tail -n 1)
  # failures and diagnostics in full; the per-binary count as "name: count"
  printf '%s\n' "$out" | sed '$d' | grep -v '^ok ' || true
  echo "$(basename "$t"): $line (${secs}s)"
  p=$(printf '%s' "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
  f=$(printf '%s' "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
  if [ -z "$p" ] || [ $rc -ne 0 ]; then
    echo "FAIL $t (exit $rc)"; failed=$((failed + 1)); status=1
  else
    passed=$((passed + p)); failed=$((failed + f)); [ "$f" -eq 0 ] || status=1
  fi
done
echo "C tests: $passed passed, $failed failed"
exit $status
