#!/usr/bin/env bash
# Search on SQLite after N registrations without a merge of the search index (issue 12: search
# p99 < 100 ms at 1 M). Each registration commit adds segments to the FTS5 index, and a broad
# search looks every candidate case up in each, until the scheduler merges them (every 1,000
# registrations, sched.c). For each binary: a fresh copy of DB, its index merged, N
# registrations (8 at a time, as clerks would), then bench/seq.sh's sequential rows with
# the scheduler off; prints the index's segment data and the search rows.
#   bench/search-after.sh DB N BIN [BIN...]     (BENCH_TMP: where the copies go; default DB's dir)
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:?usage: bench/search-after.sh DB N BIN [BIN...]} n=${2:?N} && shift 2
dir=${BENCH_TMP:-$(dirname "$db")} copy=
port=18187 url=http://127.0.0.1:18187 pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "$copy" ] && rm -f "$copy" "$copy-wal" "$copy-shm" "$copy.key"
  return 0
}
trap cleanup EXIT
region=$(sqlite3 -readonly "$db" "SELECT id FROM regions WHERE level = 'village' ORDER BY id LIMIT 1")
blocks() { sqlite3 "$copy" "SELECT COUNT(*) || ' blocks, ' || (SUM(length(block)) / 1048576) || ' MiB' FROM case_search_data"; }
for bin in "$@"; do
  copy=$dir/search-after.$$.db
  cp "$db" "$copy"
  [ -f "$db.key" ] && cp "$db.key" "$copy.key"
  sqlite3 "$copy" "INSERT INTO case_search (case_search) VALUES ('optimize')"
  echo "## $bin: merged index $(blocks)"
  clerk=$("$bin" user token --db "$copy" --login fc_clerk --name bench-search)
  "$bin" serve --db "$copy" --listen 127.0.0.1:$port --web web --scan-interval 0 >/dev/null 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "$url/healthz"; do sleep 0.05; done
  node -e '
    const [url, token, region, n] = [process.argv[1], process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
    let next = 0, failed = 0;
    const one = async () => {
      for (let i; (i = next++) < n;) {
        const r = await fetch(url + "/api/v1/cases", { method: "POST",
          headers: { authorization: "Bearer " + token, "content-type": "application/json" },
          body: JSON.stringify({ channel: "walk_in", category: "neighbour", complexity: "simple",
            facts: "楼上漏水，协商未果，邻居噪音扰民" + i, claims: "赔偿维修费用", region_id: region,
            occurred_on: "2026-10-08", parties: [{ role: "applicant", name: "王芳" + (i % 97) }, { role: "respondent", name: "李强" }] }) });
        if (r.status !== 201) failed++;
        await r.arrayBuffer();
      }
    };
    Promise.all(Array.from({ length: 8 }, one)).then(() => console.log(n + " registrations, " + failed + " failed"));
  ' "$url" "$clerk" "$region" "$n"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  echo "after: $(blocks)"
  JIEFEN_BIN=$bin bench/seq.sh "$copy" 50 | grep -E "^\| (request|---|search)"
  cleanup; copy=
done
