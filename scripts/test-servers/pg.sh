#!/usr/bin/env bash
# Starts/stops a throw-away PostgreSQL server for tests: loopback only, a free port, data and
# socket under ENV_DIR, role `cloudphone` with a random password. Writes ENV_DIR/pg.env:
#   CP_TEST_PG_URL=postgres://cloudphone:PASSWORD@127.0.0.1:PORT/postgres
# Tests create their own fresh databases. Usage: pg.sh start|stop ENV_DIR
# PostgreSQL refuses to run as root, so the server runs as the `postgres` system user.
set -euo pipefail

cmd=${1:?usage: pg.sh start|stop ENV_DIR}
env_dir=${2:?usage: pg.sh start|stop ENV_DIR}
mkdir -p "$env_dir"
env_dir=$(cd "$env_dir" && pwd)
base="$env_dir/pg"
data="$base/data"
sock="$base/sock"
env_file="$env_dir/pg.env"

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

ensure_installed() {
  if [ -z "$(find_bin)" ] || [ ! -x "$(find_bin)/initdb" ]; then
    echo "pg.sh: installing postgresql" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >&2
  fi
}

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
    return
  fi
  local p
  for p in $(shuf -i 20000-60000 -n 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "pg.sh: no free port found" >&2; exit 1
}

stop_server() {
  local bin; bin=$(find_bin)
  if [ -n "$bin" ] && [ -f "$data/postmaster.pid" ]; then
    as_pg "$bin/pg_ctl" stop -D "$data" -m immediate -w >/dev/null 2>&1 || true
  fi
  rm -rf "$base" "$env_file"
}

start_server() {
  local bin; bin=$(find_bin)
  # Idempotent: a running server with its env file is reused.
  if [ -f "$env_file" ] && [ -f "$data/postmaster.pid" ] &&
     as_pg "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1; then
    echo "pg.sh: already running ($(cat "$env_file"))"
    return
  fi
  stop_server
  mkdir -p "$data" "$sock"
  chmod 755 "$env_dir"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$base"; fi
  local password port
  password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
  as_pg "$bin/initdb" -D "$data" -U postgres --no-sync --encoding=UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 >"$base/initdb.log" 2>&1 ||
    { cat "$base/initdb.log" >&2; exit 1; }
  cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sock'
max_connections = 300
shared_buffers = 32MB
fsync = off
synchronous_commit = off
full_page_writes = off
log_min_messages = warning
CONF
  local attempt
  for attempt in 1 2 3; do
    port=$(free_port)
    if as_pg "$bin/pg_ctl" start -D "$data" -w -t 30 -o "-p $port" -l "$base/server.log" >/dev/null; then
      break
    fi
    if [ "$attempt" = 3 ]; then cat "$base/server.log" >&2; exit 1; fi
  done
  as_pg "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U postgres -d postgres \
    -c "CREATE ROLE cloudphone LOGIN CREATEDB PASSWORD '$password'"
  echo "CP_TEST_PG_URL=postgres://cloudphone:$password@127.0.0.1:$port/postgres" >"$env_file.tmp"
  mv "$env_file.tmp" "$env_file"
  echo "pg.sh: PostgreSQL $(basename "$(dirname "$bin")") on 127.0.0.1:$port"
}

case "$cmd" in
  start) ensure_installed; start_server ;;
  stop) stop_server ;;
  *) echo "usage: pg.sh start|stop ENV_DIR" >&2; exit 2 ;;
esac
