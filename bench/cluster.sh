#!/usr/bin/env bash
# Do reads scale with app instances? Starts scripts/pg-cluster.sh (primary, streaming replica,
# two instances, nginx), then GETs the register page and the statistics summary through nginx
# with nginx balancing over 1 and then 2 instances, in the same run, and prints the ratio.
#   CLUSTER_CASES=10000 (demo cases)  BENCH_SECS=5  BENCH_CONNS=32
# Writes bench/results/cluster-<date>-<cases>.md. Not part of `make check`; no timing is in a test.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${BENCH_SECS:-5} conns=${BENCH_CONNS:-32} cases=${CLUSTER_CASES:-10000}
port=${CLUSTER_PORT:-18280}
make --no-print-directory build/jiefen >/dev/null
dir=$(mktemp -d /tmp/jiefen-cluster.XXXXXX)
trap 'scripts/pg-cluster.sh stop "$dir"; rm -rf "$dir"' EXIT
echo "cluster: starting with $cases cases" >&2
url=$(scripts/pg-cluster.sh start "$dir" "$cases")
url=${url%/}
token=$(build/jiefen user token --pg "host=$dir/primary user=postgres dbname=jiefen" --login admin --name bench)
wrkrun() { # URL -> "req/s p50 p99 failed"
  BENCH_TOKEN=$token wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/wrk.lua "$1" |
    awk '/^RESULT/ {print $2, $3, $4, $5}'
}
out=bench/results/cluster-$(date +%F)-$cases.md
{
  echo "# Reads through nginx, 1 vs 2 jiefen instances ($(date +%F), $(nproc) cores, $cases cases, PostgreSQL 15 primary + streaming replica)"
  echo
  echo "| measure | 1 instance req/s (p50/p99 ms, failed) | 2 instances req/s (p50/p99 ms, failed) | ratio 2/1 |"
  echo "|---|---|---|---|"
  for path in "/api/v1/cases?per_page=20" "/api/v1/stats/summary"; do
    scripts/pg-cluster.sh lb "$dir" 1
    wrkrun "$url$path" >/dev/null # warm-up: caches of both servers
    read -r r1 a1 b1 f1 < <(wrkrun "$url$path")
    scripts/pg-cluster.sh lb "$dir" 2
    wrkrun "$url$path" >/dev/null
    read -r r2 a2 b2 f2 < <(wrkrun "$url$path")
    echo "| GET $path | $r1 ($a1/$b1, $f1) | $r2 ($a2/$b2, $f2) | $(echo "$r2 / $r1" | bc -l | xargs printf '%.2f') |"
  done
  # One instance killed (SIGKILL) halfway through a run: nginx sends its requests to the other.
  wrkrun "$url/api/v1/cases?per_page=20" >"$dir/kill.out" &
  sleep "$(echo "$secs / 2" | bc -l)"
  kill -9 "$(cat "$dir/app/serve1.pid")"
  wait $!
  read -r rk ak bk fk <"$dir/kill.out"
  echo
  echo "Instance 1 killed (SIGKILL) halfway through ${secs} s of GET /api/v1/cases: $rk req/s, p99 $bk ms, **$fk failed requests**."
} | tee "$out"
