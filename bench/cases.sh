#!/usr/bin/env bash
# The case register (GET /api/v1/cases) at scale, as ratios against GET /healthz measured in
# the same run: each list the workbench and the boards ask for, on a demo database with
# --small cases and again with --cases cases. If every list is index-bound the ratios of the
# two runs stay close; a query that reads or sorts the whole register shows as a collapse.
#   bench/cases.sh [--cases N] [--small N] [--seconds N] [--threads N] [--connections N]
set -euo pipefail
cd "$(dirname "$0")/.."
big=1000000 small=10000 secs=5 threads=2 conns=16
while [ $# -gt 0 ]; do
  case "$1" in
    --cases) big=$2; shift 2 ;;
    --small) small=$2; shift 2 ;;
    --seconds) secs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --connections) conns=$2; shift 2 ;;
    *) echo "usage: bench/cases.sh [--cases N] [--small N] [--seconds N] [--threads N] [--connections N]" >&2; exit 2 ;;
  esac
done
for tool in wrk sqlite3 bc; do
  command -v $tool >/dev/null || { echo "bench: $tool is not installed (scripts/deps.sh installs it)" >&2; exit 1; }
done
make --no-print-directory build >/dev/null
work=$(mktemp -d /tmp/jiefen-bench.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

rate() { # rate PATH
  wrk -t"$threads" -c"$conns" -d"${secs}s" -H "Authorization: Bearer $token" "$url$1" |
    awk '/Requests\/sec/ {print $2}'
}

run() { # run N
  local db="$work/cases-$1.db" started
  started=$(date +%s)
  build/jiefen demo --db "$db" --cases "$1" >/dev/null 2>&1
  echo "$1 cases: demo database built in $(( $(date +%s) - started )) s"
  token=$(build/jiefen user token --db "$db" --login admin --name bench)
  local q="sqlite3 $db"
  local org med village
  org=$($q "SELECT resp_org_id FROM cases WHERE resp_org_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
  med=$($q "SELECT mediator_id FROM case_mediators GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
  village=$($q "SELECT id FROM regions WHERE level='village' AND name='警钟街社区'")
  build/jiefen serve --db "$db" --listen 127.0.0.1:0 --web web --scan-interval 0 \
    >"$work/out" 2>/dev/null &
  pid=$!
  for _ in $(seq 100); do grep -q listening "$work/out" && break; sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*' "$work/out")
  local base; base=$(rate /healthz)
  printf '%-64s %10.0f %6.2f\n' "  GET /healthz (baseline)" "$base" 1
  for path in "/api/v1/cases?per_page=20" "/api/v1/cases?per_page=20&page=50" \
              "/api/v1/cases?per_page=20&state=mediating" "/api/v1/cases?per_page=20&category=medical" \
              "/api/v1/cases?per_page=20&risk=high" "/api/v1/cases?per_page=20&overdue=true" \
              "/api/v1/cases?per_page=20&resp_org_id=$org" "/api/v1/cases?per_page=20&mediator_id=$med" \
              "/api/v1/cases?per_page=20&region_id=$village" \
              "/api/v1/cases?per_page=20&q=%E5%AE%85%E5%9F%BA%E5%9C%B0" \
              "/api/v1/cases?per_page=20&from=2026-01-01&to=2026-01-31"; do
    local r; r=$(rate "$path")
    printf '%-64s %10.0f %6.2f\n' "  GET ${path#/api/v1}" "$r" "$(echo "$r / $base" | bc -l)"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  rm -f "$db" "$db"-*
}

echo "requests/s and ratio to /healthz ($threads threads, $conns connections, ${secs} s each)"
run "$small"
run "$big"
