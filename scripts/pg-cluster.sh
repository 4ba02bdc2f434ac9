#!/usr/bin/env bash
# A province on one machine (docs/postgresql.md): a PostgreSQL 15 primary with a streaming
# replica, N `jiefen serve` instances writing to the primary and reading lists and figures
# from the replica, and Debian's nginx in front of them as the load balancer.
#   scripts/pg-cluster.sh start DIR [CASES]  everything, demo data with CASES generated cases
#                                            (default 1000); prints the URL
#   scripts/pg-cluster.sh lb DIR N           nginx balances over the first N instances only
#   scripts/pg-cluster.sh stop DIR           stops all of it (safe to call twice)
#   scripts/pg-cluster.sh replica PRIMARY_SOCKDIR DIR   only a replica of a running server
#                                            (pg_basebackup -R), on a socket in DIR
#   scripts/pg-cluster.sh replica-stop DIR   stops that replica
# Environment: CLUSTER_PORT (nginx; default 18280; instances on the next ports),
#   CLUSTER_INSTANCES (default 2), JIEFEN (binary; default build/jiefen).
# Like scripts/pg.sh the servers listen on unix sockets only and run as 'postgres' when
# started by root, which PostgreSQL insists on.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=/usr/lib/postgresql/15/bin
[ -x "$bin/pg_basebackup" ] || { echo "pg-cluster: PostgreSQL 15 is not installed (scripts/deps.sh)" >&2; exit 1; }
port=${CLUSTER_PORT:-18280} n=${CLUSTER_INSTANCES:-2} jiefen=${JIEFEN:-build/jiefen}
PATH=$PATH:/usr/sbin

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

replica_start() { # replica_start PRIMARY_SOCKDIR DIR
  local primary=$1 dir=$2
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  # -R writes primary_conninfo and standby.signal: the copy starts as a streaming standby.
  # Throwaway like scripts/pg.sh's primary: no fsync of the copy (--no-sync, fsync=off), which
  # on a test server holding many databases took over a minute at the replica's start.
  as_pg "$bin/pg_basebackup" -h "$primary" -U postgres -D "$dir/data" -R -X stream -c fast --no-sync \
    >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; exit 1; }
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 300 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c hot_standby=on -c fsync=off -c max_connections=200" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
}

pg_stop() { # pg_stop DATADIR
  [ -f "$1/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$1" -m fast -w stop >/dev/null 2>&1 || true
}

nginx_conf() { # nginx_conf DIR N: the balancer over the first N instances
  local dir=$1 i up=
  for ((i = 1; i <= $2; i++)); do up+="    server 127.0.0.1:$((port + i));"$'\n'; done
  cat >"$dir/nginx.conf" <<NGX
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/ngx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $dir/ngx; proxy_temp_path $dir/ngx; fastcgi_temp_path $dir/ngx;
  uwsgi_temp_path $dir/ngx; scgi_temp_path $dir/ngx;
  upstream jiefen {
$up    keepalive 64; # reuse connections to the instances instead of one per request
  }
  server {
    listen 127.0.0.1:$port;
    client_max_body_size 30m;
    location / {
      proxy_pass http://jiefen;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_next_upstream error timeout; # an instance that died: the next one answers
    }
  }
}
NGX
}

start() { # start DIR CASES
  local dir=$1 cases=$2 i pg rep
  mkdir -p "$dir/ngx" "$dir/app"
  chmod 755 "$dir"
  [ -x "$jiefen" ] || make --no-print-directory "$jiefen" >/dev/null
  scripts/pg.sh start "$dir/primary"
  pg="host=$dir/primary user=postgres dbname=jiefen"
  scripts/pg.sh createdb "$dir/primary" jiefen
  JIEFEN_KEY="$dir/app/jiefen.key" "$jiefen" demo --pg "$pg" --cases "$cases" >"$dir/app/demo.log" 2>&1 ||
    { cat "$dir/app/demo.log" >&2; exit 1; }
  replica_start "$dir/primary" "$dir/replica"
  rep="host=$dir/replica user=postgres dbname=jiefen connect_timeout=2"
  for ((i = 1; i <= n; i++)); do
    # Same key and attachments folder for all: any instance may serve any request.
    "$jiefen" serve --pg "$pg" --pg-replica "$rep" --listen "127.0.0.1:$((port + i))" --web web \
      --key "$dir/app/jiefen.key" --files "$dir/app/files" --trusted-proxy 127.0.0.1 \
      >"$dir/app/serve$i.out" 2>"$dir/app/serve$i.log" &
    echo $! >"$dir/app/serve$i.pid"
    until curl -sf -o /dev/null "http://127.0.0.1:$((port + i))/healthz"; do
      kill -0 "$(cat "$dir/app/serve$i.pid")" 2>/dev/null || { cat "$dir/app/serve$i.log" >&2; exit 1; }
      sleep 0.1
    done
  done
  nginx_conf "$dir" "$n"
  nginx -c "$dir/nginx.conf" -p "$dir/ngx" -e "$dir/ngx/error.log"
  until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do sleep 0.1; done
  echo "http://127.0.0.1:$port/"
}

stop() { # stop DIR: the balancer, then the instances (SIGTERM releases their leases), then PG
  local dir=$1 f p
  [ -f "$dir/nginx.pid" ] && kill -QUIT "$(cat "$dir/nginx.pid")" 2>/dev/null || true
  for f in "$dir"/app/serve*.pid; do
    [ -f "$f" ] || continue
    p=$(cat "$f")
    if kill "$p" 2>/dev/null; then
      while kill -0 "$p" 2>/dev/null; do sleep 0.1; done
    fi
    rm -f "$f"
  done
  pg_stop "$dir/replica/data"
  pg_stop "$dir/primary/data"
}

cmd=${1:?usage: pg-cluster.sh start|lb|stop|replica|replica-stop ...}
case "$cmd" in
start) start "${2:?DIR}" "${3:-1000}" ;;
lb)
  nginx_conf "${2:?DIR}" "${3:?N}"
  nginx -c "$2/nginx.conf" -p "$2/ngx" -e "$2/ngx/error.log" -s reload
  sleep 1 # the old workers finish their requests; the new ones use the new upstream list
  ;;
stop) stop "${2:?DIR}" ;;
replica) replica_start "${2:?PRIMARY_SOCKDIR}" "${3:?DIR}" ;;
replica-stop) pg_stop "${2:?DIR}/data" ;;
*) echo "pg-cluster: unknown command $cmd" >&2; exit 2 ;;
esac
