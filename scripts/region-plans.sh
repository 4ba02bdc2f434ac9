#!/usr/bin/env bash
# Prints the query plans of the region queries (src/store/regions.c) and of a county's case
# count, and fails if one reads the regions or cases table whole instead of an index.
#   scripts/region-plans.sh --db FILE        SQLite: EXPLAIN QUERY PLAN
#   scripts/region-plans.sh --pg CONNINFO    PostgreSQL: EXPLAIN
# Run it on a database with the national tree loaded (jiefen regions load --national): the
# plans hold at 665,000 regions. The statements are copies of the store's, with the bound
# parameters written in: keep them in step with regions.c.
set -euo pipefail
kind=${1:?usage: region-plans.sh --db FILE | --pg CONNINFO}
target=${2:?usage: region-plans.sh --db FILE | --pg CONNINFO}

case "$kind" in
--db) q() { sqlite3 -bail "$target" "$1"; } ;;
--pg) q() { psql -X -At -v ON_ERROR_STOP=1 "$target" -c "$1"; } ;;
*) echo "region-plans.sh: $kind: give --db or --pg" >&2; exit 2 ;;
esac

# A county with townships below it, and its scope as a path range.
county=$(q "SELECT id FROM regions WHERE level = 'county' ORDER BY id LIMIT 1")
path=$(q "SELECT path FROM regions WHERE id = $county")
lo=$path
hi="${path%/}0"
cols="r.id, r.code, r.name, r.level, r.parent_id, r.population, r.population_synthetic,
 EXISTS (SELECT 1 FROM regions k WHERE k.parent_id = r.id) AS has_children, r.court"
filters="AND (CAST(NULL AS TEXT) IS NULL OR r.name LIKE '%' || NULL || '%')
 AND (CAST(NULL AS TEXT) IS NULL OR r.level = NULL)"

declare -A sql=(
  [children]="SELECT $cols FROM regions r WHERE r.parent_id = $county AND r.path >= '/' AND r.path < '0' $filters ORDER BY r.path LIMIT 500 OFFSET 0"
  [children-count]="SELECT COUNT(*) FROM regions r WHERE r.parent_id = $county AND r.path >= '/' AND r.path < '0' $filters"
  [top]="SELECT $cols FROM regions r WHERE (r.path = '/' OR (r.parent_id IS NULL AND r.path >= '/' AND r.path < '0')) AND (CAST(NULL AS BIGINT) IS NULL) $filters ORDER BY r.path LIMIT 500 OFFSET 0"
  [top-of-county-user]="SELECT $cols FROM regions r WHERE (r.path = '$lo' OR (r.parent_id IS NULL AND r.path >= '$lo' AND r.path < '$hi')) AND (CAST(NULL AS BIGINT) IS NULL) $filters ORDER BY r.path LIMIT 500 OFFSET 0"
  [get]="SELECT $cols FROM regions r WHERE r.id = $county AND r.path >= '/' AND r.path < '0'"
  [ancestors]="SELECT $cols FROM regions r WHERE r.path >= '/' AND r.path < '0' AND r.path IN ('$lo', '/x/', NULL) ORDER BY r.path"
  [by-code]="SELECT id FROM regions WHERE code = '510703000000' AND path >= '/' AND path < '0'"
  [subtree-of-county]="SELECT COUNT(*) FROM regions WHERE path >= '$lo' AND path < '$hi'"
  [cases-of-county]="SELECT COUNT(*) FROM cases k WHERE k.region_path >= '$lo' AND k.region_path < '$hi'"
)

bad=0
for name in $(printf '%s\n' "${!sql[@]}" | sort); do
  echo "== $name"
  if [ "$kind" = --db ]; then plan=$(q "EXPLAIN QUERY PLAN ${sql[$name]}"); else plan=$(q "EXPLAIN ${sql[$name]}"); fi
  echo "$plan"
  # SQLite says SCAN for a whole-table read, PostgreSQL Seq Scan.
  if grep -Eq 'SCAN (r|k|p|regions|cases)( |$)|Seq Scan on (regions|cases)' <<<"$plan"; then
    echo "!! $name reads a whole table" >&2
    bad=1
  fi
done
exit $bad
