#!/usr/bin/env bash
# Replays each fuzz harness over its checked-in seeds (tests/fuzz/corpus/NAME) and its
# regression inputs (tests/fuzz/regressions/NAME): every input once, no fuzzing, so it is
# quick. A crash, leak or sanitizer report fails. Ends with "N passed, M failed" (inputs).
set -uo pipefail
cd "$(dirname "$0")/../.."
pass=0 fail=0
for bin in "$@"; do
  name=${bin##*/}
  inputs=$(find "tests/fuzz/corpus/$name" "tests/fuzz/regressions/$name" -type f 2>/dev/null | sort)
  [ -n "$inputs" ] || { echo "fuzz-replay: $name has no seeds" >&2; fail=$((fail + 1)); continue; }
  n=$(echo "$inputs" | wc -l)
  log=build/fuzz/$name.replay.log
  # Given files (not directories), libFuzzer runs each once and exits.
  if echo "$inputs" | xargs "$bin" -timeout=30 -rss_limit_mb=2048 >"$log" 2>&1; then
    pass=$((pass + n)); printf '%-16s %4d inputs replayed\n' "$name" "$n"
  else
    fail=$((fail + 1)); echo "fuzz-replay: $name FAILED (log $log)"; tail -n 30 "$log"
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
