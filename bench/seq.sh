#!/usr/bin/env bash
# Sequential latency of the reads issue 12 puts a p99 on (statistics summary < 50 ms, search
# < 100 ms) and of the pages a clerk and a leader open, on a register generated beforehand:
# K calls one after the other (nothing else against the server), curl's time_total, p50 / p99 /
# max in ms. The server is started on the database in place (reads only, apart from the "view"
# audit rows of opening cases), so a million-case file need not be copied.
#   bench/seq.sh DB [K]          e.g. bench/seq.sh /work/benchdb/bench-1000000.db 50
#   JIEFEN_BIN=build/jiefen      SEQ_PORT=18186
# Prints a Markdown table. Not part of any test: no timing is ever asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:?usage: bench/seq.sh DB [K]} k=${2:-50}
bin=${JIEFEN_BIN:-build/jiefen} port=${SEQ_PORT:-18186}
url=http://127.0.0.1:$port
q="sqlite3 -readonly $db"
work=$(mktemp -d /tmp/jiefen-seq.XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
tok() { "$bin" user token --db "$db" --login "$1" --name bench-seq; }
admin=$(tok admin) disp=$(tok fc_dispatcher) town=$(tok cx_admin) med=$(tok jzj_mediator)
"$bin" serve --db "$db" --listen 127.0.0.1:$port --web web --scan-interval 0 >/dev/null 2>"$work/log" &
pid=$!
until curl -sf -o /dev/null "$url/healthz"; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; exit 1; }
  sleep 0.05
done
county=$($q "SELECT id FROM regions WHERE code = '510703000000'")
n=$($q "SELECT count(*) FROM cases")
from=$(date -d '1 year ago' +%F) month=$(date +%Y-%m-01)
num=$($q "SELECT number FROM cases WHERE id = (SELECT max(id) / 2 FROM cases)" |
  node -e 'process.stdin.on("data",d=>process.stdout.write(encodeURIComponent(String(d).trim())))')
# By id arithmetic: `id % step = 0` read every case row (at 10 M cases, the whole table).
ids=$($q "WITH RECURSIVE s(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM s WHERE x < $k - 1)
          SELECT k.id FROM s JOIN cases k ON k.id = (SELECT min(id) FROM cases) + s.x * max(1, $n / $k)" |
  tr '\n' ' ')

# time NAME TOKEN PATH... : K calls (cycling through the paths), sorted times in ms
time_calls() {
  local name=$1 token=$2; shift 2
  local paths=("$@") i t
  curl -sf -o /dev/null -H "Authorization: Bearer $token" "$url${paths[0]}" # warm-up
  for ((i = 0; i < k; i++)); do
    t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $token" \
      "$url${paths[$((i % ${#paths[@]}))]}")
    [ "${t%% *}" = 200 ] || { echo "bench: $name answered ${t%% *}" >&2; exit 1; }
    echo "${t#* }"
  done | sort -n | awk -v name="$name" '{ v[NR] = $1 * 1000 } END {
    p50 = v[int((NR + 1) / 2)]; p99 = v[int(NR * 0.99 + 0.999)]
    printf "| %s | %d | %.1f | %.1f | %.1f |\n", name, NR, p50, p99, v[NR] }'
}

echo "Register: $n cases ($db), $(date '+%F %H:%M'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| request (sequential) | calls | p50 ms | p99 ms | max ms |"
echo "|---|---:|---:|---:|---:|"
get_paths=()
for id in $ids; do get_paths+=("/api/v1/cases/$id"); done
time_calls "GET a case (spread over the register)" "$admin" "${get_paths[@]}"
time_calls "stats summary, county (涪城区), this month" "$admin" "/api/v1/stats/summary?region_id=$county"
time_calls "stats summary, county, 12 months" "$admin" "/api/v1/stats/summary?region_id=$county&from=$from"
time_calls "stats summary, city (whole register), this month" "$admin" "/api/v1/stats/summary?from=$month"
time_calls "stats summary, city, 12 months" "$admin" "/api/v1/stats/summary?from=$from"
time_calls "search 2 chars 邻居, county dispatcher" "$disp" "/api/v1/cases?per_page=20&q=%E9%82%BB%E5%B1%85"
time_calls "search 2 chars 邻居, township admin" "$town" "/api/v1/cases?per_page=20&q=%E9%82%BB%E5%B1%85"
time_calls "search 4 chars 噪音扰民, county dispatcher" "$disp" "/api/v1/cases?per_page=20&q=%E5%99%AA%E9%9F%B3%E6%89%B0%E6%B0%91"
time_calls "search 4 chars 噪音扰民, city admin" "$admin" "/api/v1/cases?per_page=20&q=%E5%99%AA%E9%9F%B3%E6%89%B0%E6%B0%91"
time_calls "search by case number, county dispatcher" "$disp" "/api/v1/cases?per_page=20&q=$num"
time_calls "register page 1, city admin" "$admin" "/api/v1/cases?per_page=20"
time_calls "register page 500, city admin" "$admin" "/api/v1/cases?per_page=20&page=500"
time_calls "workbench, county dispatcher" "$disp" "/api/v1/workbench"
time_calls "workbench, city admin" "$admin" "/api/v1/workbench"
time_calls "workbench, a mediator (警钟街社区, their own cases)" "$med" "/api/v1/workbench"
echo
echo "RSS after the calls: $(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status) MB, peak $(awk '/VmHWM/ {print int($2/1024)}' /proc/$pid/status) MB"
