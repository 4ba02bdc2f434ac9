#!/usr/bin/env bash
# Read latencies of a large PostgreSQL register (bench/results/2026-12-06-pg-1m.md): a release
# server on the given database, each request sequentially with curl (warm-up, then REQS of
# them; p50 and p99 by nearest rank: at 50 requests p99 is the slowest but one), then wrk
# for a few (BENCH_SECS each, 2 threads, 8 connections). Prints "name p50_ms p99_ms" and
# "wrk name req/s p50 p99 failed". Usage: bench/pg-1m.sh CONNINFO [BIN]
#   JIEFEN_KEY: the register's key file (jiefen demo --pg wrote it); REQS (50); BENCH_SECS (3)
set -euo pipefail
cd "$(dirname "$0")/.."
pg=${1:?usage: bench/pg-1m.sh CONNINFO [BIN]} bin=${2:-build/jiefen}
reqs=${REQS:-50} secs=${BENCH_SECS:-3} port=${PORT:-18190}
url=http://127.0.0.1:$port
q() { psql "$pg" -X -Atc "$1"; }
tok() { "$bin" user token --pg "$pg" --login "$1" --name bench; }
admin=$(tok admin) disp=$(tok fc_dispatcher)
medlogin=$(q "SELECT u.login FROM case_mediators cm JOIN mediators m ON m.id = cm.mediator_id
              JOIN users u ON u.id = m.user_id GROUP BY u.login ORDER BY count(*) DESC LIMIT 1")
med=$(tok "$medlogin")
"$bin" serve --pg "$pg" --listen 127.0.0.1:$port --web web --scan-interval 0 >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait 2>/dev/null' EXIT
until curl -sf -o /dev/null $url/healthz; do sleep 0.05; done
cty=$(q "SELECT id FROM regions WHERE code = '510703000000'")
mfrom=$(date -d "$(date +%Y-%m-01) -1 month" +%F) mto=$(date -d "$(date +%Y-%m-01) -1 day" +%F)
yfrom=$(date -d '1 year ago +1 day' +%F) today=$(date +%F)
num=$(q "SELECT number FROM cases ORDER BY id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM cases)" |
  node -e 'process.stdin.on("data",d=>process.stdout.write(encodeURIComponent(String(d).trim())))')
mapfile -t ids < <(q "SELECT id FROM cases TABLESAMPLE SYSTEM (1) REPEATABLE (7) LIMIT $reqs")

# measure NAME TOKEN PATH...: one path per request, cycled; warm-up 3, then $reqs.
measure() {
  local name=$1 token=$2; shift 2
  local paths=("$@") i t
  for i in 0 1 2; do curl -sf -o /dev/null -H "Authorization: Bearer $token" "$url${paths[$((i % ${#paths[@]}))]}"; done
  for ((i = 0; i < reqs; i++)); do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $token" \
      "$url${paths[$((i % ${#paths[@]}))]}"
  done | sort -k2,2g | awk -v name="$name" '$1 != 200 { bad++ } { t[NR] = $2 * 1000 }
    END { p50 = t[int(NR * 0.5 + 0.5)]; p99 = t[int(NR * 0.99 + 0.5)];
          printf "%s %.1f %.1f%s\n", name, p50, p99, bad ? " (" bad " non-200)" : "" }'
}
wrkrun() { # NAME TOKEN PATH
  echo "wrk $1 $(BENCH_TOKEN=$2 wrk -t2 -c8 -d"${secs}s" --latency -s bench/wrk.lua "$url$3" |
    awk '/^RESULT/ {print $2, $3, $4, $5}')"
}
gets=(); for id in "${ids[@]}"; do gets+=("/api/v1/cases/$id"); done
measure "get-case" "$admin" "${gets[@]}"
measure "summary-county-this-month" "$admin" "/api/v1/stats/summary?region_id=$cty"
measure "summary-county-last-month" "$admin" "/api/v1/stats/summary?region_id=$cty&from=$mfrom&to=$mto"
measure "summary-county-12-months" "$admin" "/api/v1/stats/summary?region_id=$cty&from=$yfrom&to=$today"
measure "summary-city-this-month" "$admin" "/api/v1/stats/summary"
measure "summary-city-last-month" "$admin" "/api/v1/stats/summary?from=$mfrom&to=$mto"
measure "summary-city-12-months" "$admin" "/api/v1/stats/summary?from=$yfrom&to=$today"
measure "search-2-chars-邻居" "$disp" "/api/v1/cases?per_page=20&q=%E9%82%BB%E5%B1%85"
measure "search-4-chars-噪音扰民" "$disp" "/api/v1/cases?per_page=20&q=%E5%99%AA%E9%9F%B3%E6%89%B0%E6%B0%91"
measure "search-case-number" "$disp" "/api/v1/cases?per_page=20&q=$num"
measure "register-page-1" "$disp" "/api/v1/cases?per_page=20"
measure "workbench-dispatcher" "$disp" "/api/v1/workbench"
measure "workbench-busiest-mediator" "$med" "/api/v1/workbench"
[ -n "${NO_WRK:-}" ] && exit 0
printf 'GET\t%s\n' "${gets[@]}" >"${TMPDIR:-/tmp}/pg1m-get.reqs"
echo "wrk get-case $(BENCH_REQS=${TMPDIR:-/tmp}/pg1m-get.reqs BENCH_TOKEN=$admin wrk -t2 -c8 -d"${secs}s" --latency -s bench/wrk.lua "$url/" | awk '/^RESULT/ {print $2, $3, $4, $5}')"
wrkrun summary-county-this-month "$admin" "/api/v1/stats/summary?region_id=$cty"
wrkrun summary-city-12-months "$admin" "/api/v1/stats/summary?from=$yfrom&to=$today"
wrkrun search-2-chars "$disp" "/api/v1/cases?per_page=20&q=%E9%82%BB%E5%B1%85"
wrkrun register-page-1 "$disp" "/api/v1/cases?per_page=20"
