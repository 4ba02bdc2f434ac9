#!/usr/bin/env bash
# Runs every test suite: unit tests (SQLite and PostgreSQL), the API suite against both
# backends, and the browser tests. Ends with one summary line: "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/build/test-results
rm -rf "$out"; mkdir -p "$out"
export JIEFEN_BIN=$root/build/san/jiefen
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

pass=0 fail=0 failed_suites=()

# Counts one suite's passed and failed tests from its log, whatever the runner.
tally() {
  local name=$1 log=$2 rc=$3 p=0 f=0
  if grep -q '^\[==========\]' "$log"; then           # cmocka
    p=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
    f=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
  elif grep -qE '^[0-9]+ passed, [0-9]+ failed$' "$log"; then   # tests/fuzz/replay.sh
    p=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1 | awk '{print $1}')
    f=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1 | awk '{print $3}')
  elif [ -f "$log.tap" ]; then                        # node --test
    p=$(grep -E '^# pass [0-9]+' "$log.tap" | awk '{s+=$3} END {print s+0}')
    f=$(grep -E '^# fail [0-9]+' "$log.tap" | awk '{s+=$3} END {print s+0}')
  fi
  # A crash or sanitizer report fails the suite even if every counted test passed.
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  pass=$((pass + p)); fail=$((fail + f))
  [ "$f" -gt 0 ] && failed_suites+=("$name")
  printf '%-34s %4d passed %4d failed\n' "$name" "$p" "$f"
}

run_unit() {   # run_unit LABEL BIN [env...]
  local label=$1 bin=$2; shift 2
  local log=$out/$label.log; mkdir -p "$(dirname "$log")"
  env "$@" "$bin" >"$log" 2>&1; local rc=$?
  tally "$label" "$log" $rc
  [ $rc -ne 0 ] && tail -n 40 "$log"
}

run_node() {   # run_node LABEL DIR [env...]
  local label=$1 dir=$2; shift 2
  local log=$out/$label.log; mkdir -p "$(dirname "$log")"
  env "$@" node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$log.tap" \
    "$dir"/*.test.mjs >"$log" 2>&1; local rc=$?
  tally "$label" "$log" $rc
  [ $rc -ne 0 ] && tail -n 60 "$log"
}

pgdir=$(mktemp -d /tmp/jiefen-pg.XXXXXX)
stop_pg() { scripts/pg.sh stop "$pgdir"; rm -rf "$pgdir"; }
trap stop_pg EXIT INT TERM
if ! scripts/pg.sh start "$pgdir"; then
  echo "run.sh: could not start PostgreSQL" >&2
  fail=$((fail + 1)); failed_suites+=("postgresql-start")
fi
export JIEFEN_TEST_PGHOST=$pgdir

echo "== unit tests"
for t in build/san/test_*; do
  name=$(basename "$t")
  if ! grep -q store_ <<<"$name"; then   # the pure core: no database
    run_unit "unit/$name" "$t"
    continue
  fi
  run_unit "unit/$name/sqlite" "$t" JIEFEN_TEST_BACKEND=sqlite
  db=u_${name}_$$
  scripts/pg.sh createdb "$pgdir" "$db"
  run_unit "unit/$name/postgresql" "$t" JIEFEN_TEST_BACKEND=pg \
    JIEFEN_TEST_PG="host=$pgdir user=postgres dbname=$db"
done

echo "== fuzz corpora (each harness over its seeds and regression inputs, no fuzzing)"
log=$out/fuzz-replay.log
make --no-print-directory fuzz-replay >"$log" 2>&1; rc=$?
tally fuzz-replay "$log" $rc
[ $rc -ne 0 ] && tail -n 40 "$log"

echo "== static analysis (cppcheck, clang-tidy: scripts/analyze.sh)"
log=$out/analyze.log
scripts/analyze.sh >"$log" 2>&1; rc=$?
tally analyze "$log" $rc
[ $rc -ne 0 ] && tail -n 40 "$log"

echo "== API suite"
# The servers append every statement they prepare to a trace (store_trace_start), which
# the plan test then explains: no request path scans a large table (issue 12).
run_node api/sqlite tests/api JIEFEN_TEST_BACKEND=sqlite JIEFEN_SQL_TRACE="$out/sql-sqlite.jsonl"
run_node api/postgresql tests/api JIEFEN_TEST_BACKEND=pg JIEFEN_SQL_TRACE="$out/sql-pg.jsonl"

echo "== query plans"
run_node plans/sqlite tests/plans JIEFEN_TEST_BACKEND=sqlite JIEFEN_SQL_TRACE_FILE="$out/sql-sqlite.jsonl"
run_node plans/postgresql tests/plans JIEFEN_TEST_BACKEND=pg JIEFEN_SQL_TRACE_FILE="$out/sql-pg.jsonl"

echo "== browser tests"
run_node browser tests/browser JIEFEN_TEST_BACKEND=sqlite

echo
[ ${#failed_suites[@]} -gt 0 ] && echo "failed suites: ${failed_suites[*]}"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
