#!/usr/bin/env bash
# PgBouncer in transaction mode in front of the local PostgreSQL, as Supabase's and Neon's poolers run:
# a server connection is lent for one transaction at a time, so no session state, named prepared
# statement or LISTEN survives between transactions. CI and `scripts/test.sh` run the pooled pass through it.
#
#   bash scripts/pgbouncer.sh start   # installs Debian's pgbouncer with apt-get if missing; idempotent
#   bash scripts/pgbouncer.sh stop
#
# Every database name is passed through (`* = …`), so the per-test-file databases are reachable.
# Env: PGBOUNCER_PORT (6432), PGBOUNCER_UPSTREAM_PORT (5432), PGBOUNCER_DIR (/tmp/concord-pgbouncer).
set -euo pipefail
port="${PGBOUNCER_PORT:-6432}"
upstream="${PGBOUNCER_UPSTREAM_PORT:-5432}"
dir="${PGBOUNCER_DIR:-/tmp/concord-pgbouncer}"
pidfile="$dir/pgbouncer.pid"

running() { [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

stop() {
  if running; then
    kill "$(cat "$pidfile")"
    for _ in $(seq 1 50); do running || break; sleep 0.1; done
  fi
  rm -f "$pidfile"
}

start() {
  if running; then echo "pgbouncer already running on 127.0.0.1:$port (pid $(cat "$pidfile"))"; return; fi
  if ! command -v pgbouncer >/dev/null 2>&1 && [ ! -x /usr/sbin/pgbouncer ]; then
    echo "== installing Debian's pgbouncer"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "127.0.0.1:$port is taken by another program (Debian's pgbouncer service?): stop it or set PGBOUNCER_PORT" >&2
    exit 1
  fi
  local bin
  bin="$(command -v pgbouncer || echo /usr/sbin/pgbouncer)"
  mkdir -p "$dir"
  # auth_type=trust still wants the user named in auth_file; the local PostgreSQL trusts 127.0.0.1.
  printf '"postgres" ""\n' >"$dir/userlist.txt"
  cat >"$dir/pgbouncer.ini" <<EOF
[databases]
* = host=127.0.0.1 port=$upstream

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
admin_users = postgres
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 20
ignore_startup_parameters = extra_float_digits,options
pidfile = $pidfile
logfile = $dir/pgbouncer.log
log_connections = 0
log_disconnections = 0
EOF
  # PgBouncer refuses to run as root; -u drops to the postgres user, which then must own the folder.
  local as=()
  if [ "$(id -u)" = "0" ]; then
    chown -R postgres "$dir"
    as=(-u postgres)
  fi
  "$bin" -d "${as[@]}" "$dir/pgbouncer.ini"
  for _ in $(seq 1 50); do
    if running && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "pgbouncer (transaction mode) on 127.0.0.1:$port → 127.0.0.1:$upstream"
      return
    fi
    sleep 0.1
  done
  echo "pgbouncer did not start; its log:" >&2
  cat "$dir/pgbouncer.log" >&2 || true
  exit 1
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
