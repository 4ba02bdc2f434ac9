#!/usr/bin/env bash
# The statistics service at scale (issue 12: summary p99 < 50 ms at 10 M cases): times K
# sequential calls of each statistics request — summary of this month and of the last 12
# months for the county and for the root (the city: the province-level view of this demo),
# breakdowns and the assessment — and prints p50/p99 in ms. One server at a time, nothing
# else runs against it, so the numbers are the requests' own latency (curl's time_total).
#   bench/stats.sh [--cases N] [--calls K] [--pg] [--db FILE] [--bin BIN] [--before OLD_BIN]
#     --cases N   demo register size (default 20000); the database is built by --before's
#                 binary when given (so both runs read the same cases), else by --bin
#     --db FILE   reuse an existing demo database (SQLite) instead of building one
#     --before B  first measure with binary B (e.g. a build of main), then with --bin (which
#                 migrates the database: the rollups of migration 31 are filled then)
#     --pg        PostgreSQL (scripts/pg.sh starts a throwaway cluster)
#     --pgconn C  an existing PostgreSQL register (conninfo C; JIEFEN_KEY names its key)
# No timing is ever part of a test; results go to bench/results/<date>-stats.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
cases=20000 calls=50 pg=0 db= bin=build/jiefen before= pgconn=
while [ $# -gt 0 ]; do
  case "$1" in
    --cases) cases=$2; shift 2 ;;
    --calls) calls=$2; shift 2 ;;
    --pg) pg=1; shift ;;
    --pgconn) pgconn=$2; shift 2 ;;
    --db) db=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --before) before=$2; shift 2 ;;
    *) echo "usage: bench/stats.sh [--cases N] [--calls K] [--pg] [--db FILE] [--bin BIN] [--before OLD_BIN]" >&2; exit 2 ;;
  esac
done
[ "$bin" = build/jiefen ] && make --no-print-directory build/jiefen >/dev/null
work=$(mktemp -d /tmp/jiefen-stats.XXXXXX)
pid= pgdir=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  wait 2>/dev/null || true
  [ -n "$pgdir" ] && scripts/pg.sh stop "$pgdir" >/dev/null 2>&1
  rm -rf "$work" ${pgdir:+"$pgdir"}
}
trap cleanup EXIT

if [ -n "$pgconn" ]; then
  target=(--pg "$pgconn")
  backend=PostgreSQL
  cases=$(psql "$pgconn" -tAc "SELECT COUNT(*) FROM cases")
elif [ "$pg" = 1 ]; then
  pgdir=$(mktemp -d /tmp/jiefen-statspg.XXXXXX)
  scripts/pg.sh start "$pgdir" >/dev/null
  psql -h "$pgdir" -U postgres -qc "CREATE DATABASE stats" >/dev/null
  target=(--pg "host=$pgdir user=postgres dbname=stats")
  backend=PostgreSQL
else
  [ -n "$db" ] || db="$work/stats.db"
  target=(--db "$db")
  backend=SQLite
  [ -e "$db" ] && cases=$(sqlite3 "$db" "SELECT COUNT(*) FROM cases")
fi
if [ -z "$pgconn" ] && { [ "$pg" = 1 ] || [ ! -e "$db" ]; }; then
  started=$(date +%s)
  "${before:-$bin}" demo "${target[@]}" --cases "$cases" >/dev/null 2>&1
  echo "bench: $cases cases built in $(( $(date +%s) - started )) s ($backend)" >&2
fi

# p50 p99 (ms) of K calls of one URL
timeit() {
  for _ in $(seq "$calls"); do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$url$1"
  done | sort -n | awk '{t[NR] = $1 * 1000} END {
    p50 = t[int((NR + 1) / 2)]; i = int(NR * 0.99 + 0.999); if (i > NR) i = NR
    printf "%.1f %.1f\n", p50, t[i] }'
}

measure() { # measure LABEL BIN
  local started port=$((20000 + RANDOM % 20000))
  started=$(date +%s)
  "$2" serve "${target[@]}" --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
  pid=$!
  url="http://127.0.0.1:$port"
  until curl -sf "$url/healthz" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "bench: $1 server up in $(( $(date +%s) - started )) s (migrations included)" >&2
  token=$("$2" user token "${target[@]}" --login admin --name "bench-$1-$RANDOM")
  local today month year county root
  today=$(TZ=Asia/Shanghai date +%F) month=$(TZ=Asia/Shanghai date +%Y-%m-01)
  year=$(TZ=Asia/Shanghai date -d '-365 days' +%F)
  root=1 county=2 # the demo's 绵阳市 and 涪城区 (regions are loaded first, in this order)
  local q="from=$year&to=$today"
  for row in \
    "summary, county, this month|/api/v1/stats/summary?region_id=$county&from=$month&to=$today" \
    "summary, county, 12 months|/api/v1/stats/summary?region_id=$county&$q" \
    "summary, root, 12 months|/api/v1/stats/summary?region_id=$root&$q" \
    "breakdown by region, county, 12 months|/api/v1/stats/breakdown?by=region&region_id=$county&$q" \
    "breakdown by category, county, 12 months|/api/v1/stats/breakdown?by=category&region_id=$county&$q" \
    "breakdown by month, root, 12 months|/api/v1/stats/breakdown?by=month&region_id=$root&$q" \
    "assessment, county, 12 months|/api/v1/assessment?region_id=$county&$q"; do
    curl -s -o /dev/null -H "Authorization: Bearer $token" "$url${row#*|}" # warm the cache
    echo "| $cases | $backend | $1 | ${row%%|*} | $(timeit "${row#*|}" | sed 's/ / | /') |"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

echo "| cases | backend | build | request | p50 ms | p99 ms |"
echo "|---:|---|---|---|---:|---:|"
[ -n "$before" ] && measure before "$before"
measure after "$bin"
