#!/usr/bin/env bash
# Static analysis of src/ (make analyze; tests/run.sh runs it as the suite "analyze"):
#   cppcheck    warnings, performance and portability findings
#   clang-tidy  the checks named in .clang-tidy (analyzer, bugprone, selected cert)
# Each tool is one "test": it fails if it reports anything. Suppressions are listed and
# justified in docs/quality.md; inline ones carry their reason next to them.
# Ends with "N passed, M failed" like tests/fuzz/replay.sh so that tests/run.sh counts it.
#   scripts/analyze.sh [cppcheck|clang-tidy]   run one tool only
set -uo pipefail
cd "$(dirname "$0")/.."
only=${1:-}
out=build/analyze
mkdir -p "$out"
jobs=${ANALYZE_JOBS:-2}
pass=0 fail=0

# The flags the Makefile compiles with (without warnings-as-errors or sanitizers).
PKGS="libmicrohttpd jansson sqlite3 libpq libsodium libzip expat xlsxwriter opencc libqrencode libcurl"
cflags="-std=c11 -D_GNU_SOURCE -Isrc $(pkg-config --cflags $PKGS 2>/dev/null)"
files=$(ls src/*/*.c)

result() {   # result NAME LOG STATUS: fails on a finding, or on the tool's own failure
  local n
  n=$(grep -cE ': (warning|error|style|performance|portability)[:\[ ]' "$2")
  if [ "$3" -ne 0 ] && [ "$n" -eq 0 ]; then
    fail=$((fail + 1)); echo "FAIL $1: exited with status $3"; tail -n 20 "$2" "$2.err" 2>/dev/null
  elif [ "$n" -eq 0 ]; then
    pass=$((pass + 1)); echo "ok   $1"
  else
    fail=$((fail + 1)); echo "FAIL $1: $n finding(s)"; cat "$2"
  fi
}

if [ -z "$only" ] || [ "$only" = cppcheck ]; then
  # System headers are not read (too slow, and cppcheck does not need them); the only
  # macros it must know to parse our code are jansson's loops (scripts/analyze/macros.h).
  # --library=posix,gnu tell it the C library's semantics instead.
  cppcheck -q -j"$jobs" --std=c11 -D_GNU_SOURCE -Isrc --include=scripts/analyze/macros.h \
    --library=posix --library=gnu \
    --enable=warning,performance,portability --inline-suppr \
    --suppress=missingIncludeSystem --error-exitcode=0 \
    --template='{file}:{line}: {severity}:{id}: {message}' \
    $files >"$out/cppcheck.log" 2>&1
  result cppcheck "$out/cppcheck.log" $?
fi

if [ -z "$only" ] || [ "$only" = clang-tidy ]; then
  tidy=$(command -v clang-tidy || command -v clang-tidy-14 || echo clang-tidy)
  # One file per process, two at a time; --quiet drops the "N warnings generated" noise
  # of headers that are not ours (only src/ is reported, see HeaderFilterRegex).
  # shellcheck disable=SC2086
  printf '%s\n' $files | xargs -P"$jobs" -I{} "$tidy" --quiet {} -- $cflags \
    >"$out/clang-tidy.log" 2>"$out/clang-tidy.log.err"
  result clang-tidy "$out/clang-tidy.log" $?
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
