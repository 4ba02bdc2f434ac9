#!/usr/bin/env bash
# Every list screen's request, for each role of the demo, on a register generated beforehand:
# two calls each (the first warms the cache), the second's time in ms, slowest first. A walk
# of what a county's staff open, to find what still grows with the register (issue 12): a
# screen that reads its whole scope shows here at 1 M cases long before a user complains.
#   bench/screens.sh DB [MS]      e.g. bench/screens.sh /work/benchdb/bench-1000000.db 30
#   bench/screens.sh --pgconn C [MS]   an existing PostgreSQL register (JIEFEN_KEY names its key)
#   JIEFEN_BIN=build/jiefen  SCREENS_PORT=18193
# Prints the requests slower than MS (default 30) as a Markdown table. The server is started
# on the database in place (reads, and the "view" audit rows of opening a case). Not part of
# any test: no timing is ever asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = --pgconn ]; then
  target=(--pg "${2:?usage: bench/screens.sh --pgconn C [MS]}") ms=${3:-30}
  q() { psql "${target[1]}" -tAc "$1"; }
else
  db=${1:?usage: bench/screens.sh DB [MS]} ms=${2:-30}
  target=(--db "$db")
  q() { sqlite3 -readonly "$db" "$1"; }
fi
bin=${JIEFEN_BIN:-build/jiefen} port=${SCREENS_PORT:-18193}
url=http://127.0.0.1:$port
work=$(mktemp -d /tmp/jiefen-screens.XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
"$bin" serve "${target[@]}" --listen 127.0.0.1:$port --web web --scan-interval 0 >/dev/null 2>"$work/log" &
pid=$!
until curl -sf -o /dev/null "$url/healthz"; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; exit 1; }
  sleep 0.05
done
n=$(q "SELECT count(*) FROM cases")
case_id=$(q "SELECT id FROM cases WHERE id >= (SELECT min(id) FROM cases) + $((n / 2)) ORDER BY id LIMIT 1")
paths=(
  "/api/v1/workbench" "/api/v1/cases?per_page=20" "/api/v1/cases?per_page=20&page=50"
  "/api/v1/cases?per_page=20&channel=phone" "/api/v1/cases?per_page=20&state=registered"
  "/api/v1/cases?per_page=20&risk=red" "/api/v1/cases?per_page=20&category=neighbour"
  "/api/v1/cases?per_page=20&overdue=true" "/api/v1/cases?per_page=20&todo=awaiting_feedback"
  "/api/v1/cases?per_page=20&todo=visit_due" "/api/v1/cases?per_page=20&todo=orders_open"
  "/api/v1/cases?per_page=20&mine=true" "/api/v1/cases?per_page=20&mine=true&todo=open"
  "/api/v1/alerts?per_page=20" "/api/v1/alerts?per_page=20&state=all" "/api/v1/warnings?per_page=20"
  "/api/v1/supervision?per_page=20" "/api/v1/risk/board" "/api/v1/stats/summary"
  "/api/v1/stats/breakdown?by=region" "/api/v1/stats/breakdown?by=category"
  "/api/v1/stats/breakdown?by=month" "/api/v1/assessment" "/api/v1/trends?per_page=20"
  "/api/v1/trends/counts" "/api/v1/key-persons?per_page=20" "/api/v1/audit?per_page=20"
  "/api/v1/notifications?per_page=20" "/api/v1/investigation/reports?per_page=20"
  "/api/v1/investigation/completion" "/api/v1/reports?per_page=20" "/api/v1/cases/$case_id"
  "/api/v1/cases/$case_id/timeline" "/api/v1/cases/$case_id/transitions"
  "/api/v1/mediators?per_page=20" "/api/v1/users?per_page=20" "/api/v1/organizations?per_page=20"
)
for login in admin fc_admin fc_dispatcher fc_leader fc_supervisor fc_clerk cx_admin jzj_mediator jzj_grid; do
  token=$("$bin" user token "${target[@]}" --login "$login" --name bench-screens 2>/dev/null) || continue
  for p in "${paths[@]}"; do
    curl -s -o /dev/null -H "Authorization: Bearer $token" "$url$p"
    echo "$login $p $(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $token" "$url$p")"
  done
done >"$work/all"
echo "Register: $n cases (${target[*]}), $(date '+%F %H:%M'); $(wc -l <"$work/all") requests, each the second of two calls"
echo
echo "| role | request | status | ms |"
echo "|---|---|---:|---:|"
awk -v ms="$ms" '$4 * 1000 >= ms { printf "| %s | %s | %s | %.1f |\n", $1, $2, $3, $4 * 1000 }' "$work/all" |
  sort -t'|' -k5 -nr
awk '$3 >= 500 { print "bench/screens.sh: " $0 " answered " $3 > "/dev/stderr" }' "$work/all"
