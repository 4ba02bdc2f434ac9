#!/usr/bin/env bash
# Flood load test (issue 13 part 1): the public endpoints flooded from 127.0.0.1 while a clerk
# on 127.0.0.2 keeps working; prints the clerk's success rate and p50/p99 latency without and
# during the flood and appends them to bench/results/<date>-flood.md. Not part of `make check`
# (it measures timings). Knobs: FLOOD_SECS (20), FLOOD_WORKERS (64 concurrent public requests),
# FLOOD_SLOW (1000 slow connections), FLOOD_STAFF (4), FLOOD_ARGS (extra `serve` flags),
# JIEFEN_TEST_BACKEND=pg with JIEFEN_TEST_PGHOST for PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
make --no-print-directory build/jiefen >/dev/null
export JIEFEN_BIN=${JIEFEN_BIN:-$PWD/build/jiefen}
ulimit -n 8192 2>/dev/null || true
out=bench/results/$(date +%F)-flood.md
report=$(node bench/flood.mjs)
echo "$report"
{
  echo "## $(date -u +'%F %H:%M') UTC — $(basename "$JIEFEN_BIN"), ${JIEFEN_TEST_BACKEND:-sqlite}, $(nproc) cores"
  echo
  echo "$report"
  echo
} >>"$out"
echo "written to $out"
