#!/usr/bin/env bash
# Starts/stops a throw-away RabbitMQ node for tests: loopback only, free AMQP, distribution and
# epmd ports (so it never meets another node or the system's epmd), its own Erlang cookie,
# mnesia, logs and config under ENV_DIR, user `cloudphone` with a random password.
# Writes ENV_DIR/rabbitmq.env:
#   CP_TEST_AMQP_URL=amqp://cloudphone:PASSWORD@127.0.0.1:PORT/%2f
# Tests use their own queue names. Usage: rabbitmq.sh start|stop ENV_DIR
set -euo pipefail

cmd=${1:?usage: rabbitmq.sh start|stop ENV_DIR}
env_dir=${2:?usage: rabbitmq.sh start|stop ENV_DIR}
mkdir -p "$env_dir"
env_dir=$(cd "$env_dir" && pwd)
base="$env_dir/rabbitmq"
env_file="$env_dir/rabbitmq.env"
ports_file="$base/ports"
sbin=/usr/lib/rabbitmq/bin

ensure_installed() {
  if [ ! -x "$sbin/rabbitmq-server" ]; then
    echo "rabbitmq.sh: installing rabbitmq-server" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
      --no-install-recommends rabbitmq-server >&2
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# The node's environment; every rabbitmq command of this script runs under it.
node_env() {
  local amqp=$1 dist=$2 epmd=$3
  export HOME="$base/home"  # the Erlang cookie lives here, private to this node
  export RABBITMQ_NODENAME="cp_test_$amqp@localhost"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT=$amqp
  export RABBITMQ_DIST_PORT=$dist
  export ERL_EPMD_PORT=$epmd
  export ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_MNESIA_BASE="$base/mnesia"
  export RABBITMQ_LOG_BASE="$base/log"
  export RABBITMQ_CONFIG_FILE="$base/rabbitmq.conf"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$base/advanced.config"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$base/enabled_plugins"
  export RABBITMQ_PID_FILE="$base/rabbitmq.pid"
  export RABBITMQ_CONF_ENV_FILE="$base/rabbitmq-env.conf"
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

stop_server() {
  if [ -f "$ports_file" ]; then
    # shellcheck disable=SC2046
    node_env $(cat "$ports_file")
    "$sbin/rabbitmqctl" stop "$RABBITMQ_PID_FILE" >/dev/null 2>&1 || true
    if [ -f "$RABBITMQ_PID_FILE" ]; then
      local pid; pid=$(cat "$RABBITMQ_PID_FILE")
      kill -KILL "$pid" 2>/dev/null || true
    fi
    # This node's private epmd (nobody else uses its port).
    epmd -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1 || true
  fi
  rm -rf "$base" "$env_file"
}

start_server() {
  if [ -f "$env_file" ] && [ -f "$ports_file" ]; then
    # shellcheck disable=SC2046
    if (node_env $(cat "$ports_file"); "$sbin/rabbitmqctl" -q status >/dev/null 2>&1); then
      echo "rabbitmq.sh: already running"
      return
    fi
  fi
  stop_server
  mkdir -p "$base/home" "$base/mnesia" "$base/log"
  local amqp dist epmd password
  amqp=$(free_port); dist=$(free_port); epmd=$(free_port)
  echo "$amqp $dist $epmd" >"$ports_file"
  node_env "$amqp" "$dist" "$epmd"
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$HOME/.erlang.cookie"
  chmod 400 "$HOME/.erlang.cookie"
  password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
  cat >"$RABBITMQ_CONFIG_FILE" <<CONF
listeners.tcp.1 = 127.0.0.1:$amqp
loopback_users = none
default_user = cloudphone
default_pass = $password
log.file.level = warning
log.console = false
disk_free_limit.absolute = 50MB
CONF
  echo "[]." >"$RABBITMQ_ADVANCED_CONFIG_FILE"
  echo "[]." >"$RABBITMQ_ENABLED_PLUGINS_FILE"
  : >"$RABBITMQ_CONF_ENV_FILE"
  "$sbin/rabbitmq-server" >"$base/log/stdout.log" 2>&1 &
  echo $! >"$base/launcher.pid"
  if ! "$sbin/rabbitmqctl" wait --timeout 120 "$RABBITMQ_PID_FILE" >"$base/log/wait.log" 2>&1; then
    cat "$base/log/wait.log" "$base/log/stdout.log" >&2 || true
    stop_server
    echo "rabbitmq.sh: rabbitmq-server did not start" >&2
    exit 1
  fi
  echo "CP_TEST_AMQP_URL=amqp://cloudphone:$password@127.0.0.1:$amqp/%2f" >"$env_file.tmp"
  mv "$env_file.tmp" "$env_file"
  echo "rabbitmq.sh: RabbitMQ on 127.0.0.1:$amqp (dist $dist, epmd $epmd)"
}

case "$cmd" in
  start) ensure_installed; start_server ;;
  stop) stop_server ;;
  *) echo "usage: rabbitmq.sh start|stop ENV_DIR" >&2; exit 2 ;;
esac
