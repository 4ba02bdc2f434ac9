#!/usr/bin/env bash
# The statistics summary at its worst case for any register size (issue 12: summary p99 < 50 ms
# at 10 M cases). The summary reads counters, never a case: rows of stat_days and stat_months
# per region × day (or month) × category × metric. A bigger register fills more of those keys,
# and no register can fill more than all of them. This script fills all of them for the
# demo's city (region 1) and county (region 2), over every day and month the city's counters
# already span, with rows of n = 0; runs bench/stats.sh on the register as generated and
# then saturated; and deletes the rows it added. (A counter row that reaches 0 is deleted,
# store/tally.h, so no row of the register itself has n = 0: the script refuses to run if one
# does.)
#   bench/stats-saturated.sh (--db FILE | --pgconn CONNINFO) [--calls K] [--bin BIN]
# With --pgconn, JIEFEN_KEY names the register's key file. Results go to bench/results by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
db= pgconn= calls=50 bin=build/jiefen
while [ $# -gt 0 ]; do
  case "$1" in
    --db) db=$2; shift 2 ;;
    --pgconn) pgconn=$2; shift 2 ;;
    --calls) calls=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    *) echo "usage: bench/stats-saturated.sh (--db FILE | --pgconn CONNINFO) [--calls K] [--bin BIN]" >&2; exit 2 ;;
  esac
done
if [ -n "$db" ]; then
  sql() { sqlite3 -cmd '.timeout 10000' "$db" "$1"; }
  target=(--db "$db")
elif [ -n "$pgconn" ]; then
  sql() { psql "$pgconn" -qtAc "$1"; }
  target=(--pgconn "$pgconn")
else
  echo "bench/stats-saturated.sh: --db or --pgconn" >&2; exit 2
fi

zeros=$(sql "SELECT (SELECT COUNT(*) FROM stat_days WHERE region_id IN (1, 2) AND n = 0)
  + (SELECT COUNT(*) FROM stat_months WHERE region_id IN (1, 2) AND n = 0)")
if [ "$zeros" != 0 ]; then
  echo "bench/stats-saturated.sh: $zeros counter rows with n = 0 already (an earlier run stopped?)" >&2
  exit 1
fi
unfill() {
  sql "DELETE FROM stat_days WHERE region_id IN (1, 2) AND n = 0" >/dev/null
  sql "DELETE FROM stat_months WHERE region_id IN (1, 2) AND n = 0" >/dev/null
}
trap unfill EXIT

# rows read by a city summary of 12 months, and the keys that could be there
shape() {
  sql "SELECT 'stat_days rows of the city ' || COUNT(*) || ', of the county '
         || (SELECT COUNT(*) FROM stat_days WHERE region_id = 2)
         || '; stat_months rows of the city ' || (SELECT COUNT(*) FROM stat_months WHERE region_id = 1)
         || ', of the county ' || (SELECT COUNT(*) FROM stat_months WHERE region_id = 2)
       FROM stat_days WHERE region_id = 1"
}

echo "## as generated: $(shape)"
bench/stats.sh "${target[@]}" --calls "$calls" --bin "$bin"

fill() { # fill TABLE
  sql "INSERT INTO $1 (region_id, period, category, metric, n)
       SELECT r.id, d.period, k.category, k.metric, 0
       FROM (SELECT 1 AS id UNION ALL SELECT 2) r
       CROSS JOIN (SELECT DISTINCT period FROM $1 WHERE region_id = 1) d
       CROSS JOIN (SELECT DISTINCT category, metric FROM $1 WHERE region_id = 1) k
       WHERE NOT EXISTS (SELECT 1 FROM $1 s WHERE s.region_id = r.id AND s.period = d.period
                         AND s.category = k.category AND s.metric = k.metric)"
}
fill stat_days
fill stat_months
[ -n "$pgconn" ] && sql "ANALYZE stat_days; ANALYZE stat_months" >/dev/null
echo
echo "## saturated: $(shape)"
bench/stats.sh "${target[@]}" --calls "$calls" --bin "$bin"
