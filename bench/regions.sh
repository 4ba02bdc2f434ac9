#!/usr/bin/env bash
# Region tree queries at national scale (about 700,000 villages), as ratios against
# GET /healthz measured in the same run. Each query is measured twice: on the demo
# database (one real county, ~750 regions) and again after adding a synthetic province of
# 400 counties x 100 townships x 17 villages (680,000 villages). If the tree queries are
# index-bound the ratios of the two runs stay close; a full scan shows as a collapse.
#   bench/regions.sh [--seconds N] [--threads N] [--connections N]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=5 threads=2 conns=32
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) secs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --connections) conns=$2; shift 2 ;;
    *) echo "usage: bench/regions.sh [--seconds N] [--threads N] [--connections N]" >&2; exit 2 ;;
  esac
done
for tool in wrk sqlite3; do
  command -v $tool >/dev/null || { echo "bench: $tool is not installed (scripts/deps.sh installs it)" >&2; exit 1; }
done
make --no-print-directory build >/dev/null
work=$(mktemp -d /tmp/jiefen-bench.XXXXXX)
db="$work/bench.db"
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
build/jiefen demo --db "$db" >/dev/null
token=$(build/jiefen user token --db "$db" --login admin --name bench)

serve() {
  build/jiefen serve --db "$db" --listen 127.0.0.1:0 --web web --scan-interval 0 >"$work/out" 2>/dev/null &
  pid=$!
  for _ in $(seq 50); do grep -q listening "$work/out" && break; sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*' "$work/out")
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
rate() { # rate PATH
  wrk -t"$threads" -c"$conns" -d"${secs}s" -H "Authorization: Bearer $token" "$url$1" |
    awk '/Requests\/sec/ {print $2}'
}
run() { # run LABEL TOWNSHIP_ID VILLAGE_ID
  serve
  local base; base=$(rate /healthz)
  printf '%s\n%-52s %10.0f %6.2f\n' "$1" "  GET /healthz (baseline)" "$base" 1
  for path in "/api/v1/regions?parent_id=$2&per_page=50" "/api/v1/regions/$3/ancestors" \
              "/api/v1/regions/$3" "/api/v1/regions?level=village&q=%E6%9D%91&per_page=50"; do
    r=$(rate "$path")
    printf '%-52s %10.0f %6.2f\n' "  GET $path" "$r" "$(echo "$r / $base" | bc -l)"
  done
  stop
}
q() { sqlite3 "$db" "$1"; }

run "demo county ($(q 'SELECT count(*) FROM regions') regions)" \
  "$(q "SELECT id FROM regions WHERE level='township' LIMIT 1")" \
  "$(q "SELECT id FROM regions WHERE level='village' LIMIT 1")"

# The synthetic province: codes 99PPCCTTTVVV-style 12-digit codes that cannot collide with
# real division codes (no province 99 exists).
now=$(date +%s)000
sqlite3 "$db" <<SQL
PRAGMA foreign_keys=ON;
BEGIN;
INSERT INTO regions(code,name,level,parent_id,path,population,created_at,updated_at,population_synthetic)
  VALUES('990000000000','压测省','province',NULL,'/990000000000/',NULL,$now,$now,1);
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM n WHERE i<399)
INSERT INTO regions(code,name,level,parent_id,path,population,created_at,updated_at,population_synthetic)
  SELECT printf('99%04d000000',i+1), '压测县'||i, 'county',
         (SELECT id FROM regions WHERE code='990000000000'),
         printf('/990000000000/99%04d000000/',i+1), NULL, $now, $now, 1 FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM n WHERE i<99)
INSERT INTO regions(code,name,level,parent_id,path,population,created_at,updated_at,population_synthetic)
  SELECT substr(c.code,1,6)||printf('%03d',n.i+1)||'000', c.name||'镇'||n.i, 'township', c.id,
         c.path||substr(c.code,1,6)||printf('%03d',n.i+1)||'000/', NULL, $now, $now, 1
  FROM regions c, n WHERE c.level='county' AND c.code LIKE '99%';
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM n WHERE i<16)
INSERT INTO regions(code,name,level,parent_id,path,population,created_at,updated_at,population_synthetic)
  SELECT substr(t.code,1,9)||printf('%03d',n.i+1), t.name||'村'||n.i, 'village', t.id,
         t.path||substr(t.code,1,9)||printf('%03d',n.i+1)||'/', 1000+n.i, $now, $now, 1
  FROM regions t, n WHERE t.level='township' AND t.code LIKE '99%';
COMMIT;
ANALYZE;
SQL

run "with the synthetic province ($(q 'SELECT count(*) FROM regions') regions, $(q "SELECT count(*) FROM regions WHERE level='village'") villages)" \
  "$(q "SELECT id FROM regions WHERE code='990400050000'")" \
  "$(q "SELECT id FROM regions WHERE code='990400050017'")"
