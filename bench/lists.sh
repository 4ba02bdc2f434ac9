#!/usr/bin/env bash
# The register's slow lists (issue 12) under wrk, each as a ratio to GET one case in the same
# run, at each register size given, so that a cost growing with the register shows as a
# falling ratio. Not part of any test.
#   bench/lists.sh 20000 200000        generate demo registers of these sizes (slow), or
#   bench/lists.sh /tmp/a.db /tmp/b.db  use demo databases already made (copied: serve migrates)
#   JIEFEN_BIN=build/jiefen  LISTS_SECS=3  LISTS_CONNS=8
# Prints a Markdown table (bench/results/2026-12-06-lists.md holds the runs of that day).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${JIEFEN_BIN:-build/jiefen} secs=${LISTS_SECS:-3} conns=${LISTS_CONNS:-8}
[ $# -gt 0 ] || { echo "usage: bench/lists.sh SIZE|DB..." >&2; exit 2; }
command -v wrk >/dev/null || { echo "lists: wrk missing (scripts/deps.sh bench)" >&2; exit 1; }
work=$(mktemp -d /tmp/jiefen-lists.XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
port=${LISTS_PORT:-18185}
url=http://127.0.0.1:$port

wrkrun() { # URL TOKEN -> "req/s p50 p99 failed"
  BENCH_TOKEN=$2 wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/wrk.lua "$1" |
    awk '/^RESULT/ {print $2, $3, $4, $5}'
}
uri() { node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$1"; }

echo "| cases | measure | req/s | p50 ms | p99 ms | failed | ratio to GET case |"
echo "|---:|---|---:|---:|---:|---:|---:|"
for arg in "$@"; do
  db="$work/lists.db"
  if [ -f "$arg" ]; then
    cp "$arg" "$db"
  else
    "$bin" demo --db "$db" --cases "$arg" >/dev/null 2>&1
  fi
  q="sqlite3 $db"
  n=$($q "SELECT count(*) FROM cases")
  admin=$("$bin" user token --db "$db" --login admin --name lists)
  med=$($q "SELECT u.login FROM case_mediators cm JOIN mediators m ON m.id = cm.mediator_id
            JOIN users u ON u.id = m.user_id GROUP BY u.login ORDER BY count(*) DESC LIMIT 1")
  med=$("$bin" user token --db "$db" --login "$med" --name lists)
  num=$(uri "$($q "SELECT number FROM cases WHERE id = $((n / 2))")")
  "$bin" serve --db "$db" --listen 127.0.0.1:$port --web web --scan-interval 0 >"$work/out" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "$url/healthz"; do sleep 0.05; done
  ref=$(wrkrun "$url/api/v1/cases/$((n / 2))" "$admin")
  row() { # NAME "r p50 p99 fail"
    set -- "$1" $2
    echo "| $n | $1 | $2 | $3 | $4 | $5 | $(echo "$2 / ${ref%% *}" | bc -l | xargs printf '%.3f') |"
  }
  row "GET /api/v1/cases/{id} (reference)" "$ref"
  row "GET /api/v1/workbench (busiest mediator)" "$(wrkrun "$url/api/v1/workbench" "$med")"
  row "GET /api/v1/cases?mine=true (same)" "$(wrkrun "$url/api/v1/cases?mine=true&per_page=20" "$med")"
  row "search 2 chars (q=邻居)" "$(wrkrun "$url/api/v1/cases?per_page=20&q=$(uri 邻居)" "$admin")"
  row "search 4 chars (q=噪音扰民)" "$(wrkrun "$url/api/v1/cases?per_page=20&q=$(uri 噪音扰民)" "$admin")"
  row "search by case number" "$(wrkrun "$url/api/v1/cases?per_page=20&q=$num" "$admin")"
  row "GET /api/v1/cases (register, page 1)" "$(wrkrun "$url/api/v1/cases?per_page=20" "$admin")"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  rm -f "$db" "$db-wal" "$db-shm"
done
