#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL 15 server for the tests.
#   scripts/pg.sh start DIR   initdb into DIR/data, listen only on a unix socket in DIR
#   scripts/pg.sh stop DIR    stop it (fast shutdown); safe to call twice
# PostgreSQL refuses to run as root, so the server runs as the 'postgres' user.
set -euo pipefail
cmd=${1:?usage: pg.sh start|stop DIR}
dir=${2:?usage: pg.sh start|stop DIR}
bin=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || true)
[ -n "$bin" ] || { echo "pg.sh: PostgreSQL 15 is not installed (run scripts/deps.sh)" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  # No TCP listener: only a socket in $dir, so parallel runs never collide on a port.
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c max_connections=200" start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }
  ;;
stop)
  [ -f "$dir/data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  ;;
createdb)
  as_pg "$bin/createdb" -h "$dir" -U postgres "${3:?database name}"
  ;;
*) echo "pg.sh: unknown command $cmd" >&2; exit 2 ;;
esac
