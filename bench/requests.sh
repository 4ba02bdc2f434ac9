#!/usr/bin/env bash
# Single-request measures of issue 12 part 3, in one run: nginx serving a case's JSON against
# GET /api/v1/cases/{id}, and raw single-commit SQLite against POST /api/v1/cases (durable).
# A reduced bench/suite.sh for before/after comparisons of one change; prints one line per
# measure "name req/s p50 p99 failed". Usage: bench/requests.sh [BIN] [CASES]
#   BENCH_DB=path reuses (or keeps) a demo database; BENCH_SECS per row (3).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/jiefen} n=${2:-10000} secs=${BENCH_SECS:-3}
PATH=$PATH:/usr/sbin
mkdir -p build/bench
cc -O2 -Wall -Wextra -Werror -o build/bench/sqlite_commit bench/sqlite_commit.c -lsqlite3
work=$(mktemp -d "${BENCH_TMP:-/tmp}/jiefen-req.XXXXXX") # BENCH_TMP=/dev/shm: no fsync cost, CPU only
chmod 755 "$work"
pid= ngx=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  [ -n "$ngx" ] && kill "$(cat "$work/nginx.pid" 2>/dev/null)" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
wrkrun() { # URL [REQFILE] [TOKEN] [THREADS CONNS]
  BENCH_REQS=${2:-} BENCH_TOKEN=${3:-} wrk -t"${4:-2}" -c"${5:-32}" -d"${secs}s" --latency \
    -s bench/wrk.lua "$1" | awk '/^RESULT/ {print $2, $3, $4, $5}'
}
db=${BENCH_DB:-$work/bench.db}
[ -f "$db" ] || build/jiefen demo --db "$db" --cases "$n" >/dev/null 2>&1
q="sqlite3 $db"
admin=$(build/jiefen user token --db "$db" --login admin --name bench)
clerk=$(build/jiefen user token --db "$db" --login fc_clerk --name bench)
cp "$db" "$work/run.db" # POSTs add cases: each run starts from the same register
"$bin" serve --db "$work/run.db" --listen 127.0.0.1:18180 --web web --scan-interval 0 \
  2>"$work/log" >/dev/null &
pid=$!
until curl -sf -o /dev/null http://127.0.0.1:18180/healthz; do sleep 0.01; done
mkdir -p "$work/www" "$work/ngx"
cat >"$work/nginx.conf" <<NGX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/ngx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $work/ngx; proxy_temp_path $work/ngx; fastcgi_temp_path $work/ngx;
  uwsgi_temp_path $work/ngx; scgi_temp_path $work/ngx;
  server { listen 127.0.0.1:18181; root $work/www;
           location / { default_type application/json; } }
}
NGX
nginx -c "$work/nginx.conf" -p "$work/ngx" -e "$work/ngx/error.log"
ngx=1
id=$($q "SELECT id FROM cases ORDER BY id DESC LIMIT 1")
curl -sf -H "Authorization: Bearer $admin" "http://127.0.0.1:18180/api/v1/cases/$id" >"$work/www/case.json"
$q "SELECT 'GET' || char(9) || '/api/v1/cases/' || id FROM cases WHERE id % (max(1, $n / 200)) = 0" \
  >"$work/get.reqs"
region=$($q "SELECT id FROM regions WHERE level = 'village' ORDER BY id LIMIT 1")
node -e '
  const [region, n] = [Number(process.argv[1]), 500];
  const fam = "王李张刘陈杨黄赵吴周", giv = "芳伟娜敏静丽强磊军洋勇艳杰涛明超秀英华";
  for (let i = 0; i < n; i++) {
    const nm = (k) => fam[(i * 7 + k) % fam.length] + giv[(i * 13 + k) % giv.length] + giv[(i * 3 + k) % giv.length];
    console.log("POST\t/api/v1/cases\t" + JSON.stringify({ channel: "walk_in", category: "neighbour",
      complexity: "simple", facts: "楼上漏水，协商未果" + i, claims: "赔偿维修费用", region_id: region,
      occurred_on: "2026-10-08", people: 2, amount: 3000,
      parties: [{ role: "applicant", name: nm(0) }, { role: "respondent", name: nm(1) }] }));
  }' "$region" >"$work/create.reqs"
echo "nginx-static $(wrkrun http://127.0.0.1:18181/case.json)"
echo "get-case $(wrkrun http://127.0.0.1:18180/ "$work/get.reqs" "$admin")"
echo "sqlite-commit $(build/bench/sqlite_commit "$work/commit.db" "$secs" | awk '{print $1, $2, $3, 0}')"
echo "post-case $(wrkrun http://127.0.0.1:18180/ "$work/create.reqs" "$clerk" 1 8)"
[ -n "${BENCH_PERF:-}" ] && echo "server pid $pid" && sleep "${BENCH_PERF}"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
grep -o '"msg":"group commit".*' "$work/log" || true
