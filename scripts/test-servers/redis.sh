#!/usr/bin/env bash
# Starts/stops a throw-away Redis server for tests: loopback only, a free port, a password,
# data under ENV_DIR, no persistence. Writes ENV_DIR/redis.env:
#   CP_TEST_REDIS_URL=redis://:PASSWORD@127.0.0.1:PORT/0
# Tests use their own key prefixes. Usage: redis.sh start|stop ENV_DIR
set -euo pipefail

cmd=${1:?usage: redis.sh start|stop ENV_DIR}
env_dir=${2:?usage: redis.sh start|stop ENV_DIR}
mkdir -p "$env_dir"
env_dir=$(cd "$env_dir" && pwd)
base="$env_dir/redis"
env_file="$env_dir/redis.env"
pid_file="$base/redis.pid"

ensure_installed() {
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "redis.sh: installing redis-server" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
      --no-install-recommends redis-server >&2
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

running() {
  [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

stop_server() {
  if running; then
    local pid; pid=$(cat "$pid_file")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$base" "$env_file"
}

start_server() {
  if [ -f "$env_file" ] && running; then
    echo "redis.sh: already running"
    return
  fi
  stop_server
  mkdir -p "$base"
  local password port attempt
  password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
  for attempt in 1 2 3; do
    port=$(free_port)
    cat >"$base/redis.conf" <<CONF
bind 127.0.0.1
port $port
requirepass $password
dir $base
pidfile $pid_file
logfile $base/redis.log
daemonize yes
save ""
appendonly no
protected-mode yes
CONF
    redis-server "$base/redis.conf"
    for _ in $(seq 1 100); do
      if REDISCLI_AUTH="$password" redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
        echo "CP_TEST_REDIS_URL=redis://:$password@127.0.0.1:$port/0" >"$env_file.tmp"
        mv "$env_file.tmp" "$env_file"
        echo "redis.sh: $(redis-server --version | awk '{print $3}') on 127.0.0.1:$port"
        return
      fi
      sleep 0.1
    done
    stop_server
    mkdir -p "$base"
  done
  echo "redis.sh: redis-server did not start" >&2
  exit 1
}

case "$cmd" in
  start) ensure_installed; start_server ;;
  stop) stop_server ;;
  *) echo "usage: redis.sh start|stop ENV_DIR" >&2; exit 2 ;;
esac
