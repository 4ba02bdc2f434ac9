#!/usr/bin/env bash
# HTTP throughput of the release build, as ratios against a baseline measured in the same
# run on the same machine: GET /healthz (one trivial query) is the baseline; the other
# rows show what authentication, region scoping and JSON encoding cost on top of it.
# Absolute numbers depend on the machine; the ratios are what to compare across commits.
#   bench/run.sh [--pg CONNINFO] [--seconds N] [--threads N] [--connections N]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=5 threads=2 conns=32 dbargs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --pg) dbargs=(--pg "$2"); shift 2 ;;
    --seconds) secs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --connections) conns=$2; shift 2 ;;
    *) echo "usage: bench/run.sh [--pg CONNINFO] [--seconds N] [--threads N] [--connections N]" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "bench: wrk is not installed (scripts/deps.sh installs it)" >&2; exit 1; }
make --no-print-directory build >/dev/null
work=$(mktemp -d /tmp/jiefen-bench.XXXXXX)
[ ${#dbargs[@]} -eq 0 ] && dbargs=(--db "$work/bench.db")
build/jiefen demo "${dbargs[@]}" >/dev/null
token=$(build/jiefen user token "${dbargs[@]}" --login fc_admin --name bench)
build/jiefen serve "${dbargs[@]}" --listen 127.0.0.1:0 --web web >"$work/out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q listening "$work/out" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$work/out")

rate() { # rate PATH [header]
  local args=(-t"$threads" -c"$conns" -d"${secs}s")
  [ -n "${2:-}" ] && args+=(-H "$2")
  wrk "${args[@]}" "$url$1" | awk '/Requests\/sec/ {print $2}'
}

base=$(rate /healthz)
printf '%-44s %12s %8s\n' "request" "req/s" "ratio"
printf '%-44s %12.0f %8.2f\n' "GET /healthz (baseline)" "$base" 1
for row in "/index.html|" "/api/v1/session|Authorization: Bearer $token" \
           "/api/v1/organizations|Authorization: Bearer $token" \
           "/api/v1/users?per_page=50|Authorization: Bearer $token"; do
  path=${row%%|*} hdr=${row#*|}
  r=$(rate "$path" "$hdr")
  printf '%-44s %12.0f %8.2f\n' "GET $path" "$r" "$(echo "$r / $base" | bc -l)"
done
