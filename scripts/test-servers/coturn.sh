#!/usr/bin/env bash
# Starts/stops a throw-away coturn TURN server for the WebRTC relay test. coturn only relays
# reliably when bound to a real interface address (bound to 127.0.0.1 the relayed connection
# never completes), so it listens on this machine's first non-loopback IPv4 address, on a free
# port, with the TURN REST-API scheme (use-auth-secret) and a random secret; no TLS, no CLI.
# Writes ENV_DIR/coturn.env:
#   CP_TEST_TURN_URL=turn:IP:PORT  CP_TEST_TURN_SECRET  CP_TEST_TURN_IP
# Usage: coturn.sh start|stop ENV_DIR
set -euo pipefail

cmd=${1:?usage: coturn.sh start|stop ENV_DIR}
env_dir=${2:?usage: coturn.sh start|stop ENV_DIR}
mkdir -p "$env_dir"
env_dir=$(cd "$env_dir" && pwd)
base="$env_dir/coturn"
pid_file="$base/turnserver.pid"
env_file="$env_dir/coturn.env"

if ! command -v turnserver >/dev/null 2>&1; then
  echo "coturn.sh: installing coturn" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends coturn >&2
fi

host_ip() {
  ip -4 -o addr show scope global 2>/dev/null | awk '{split($4, a, "/"); print a[1]; exit}'
}

free_port() {  # free for both TCP and UDP on the address
  python3 - "$1" <<'PY'
import socket, sys
for _ in range(50):
    t = socket.socket(); t.bind((sys.argv[1], 0)); port = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind((sys.argv[1], port)); print(port); break
    except OSError:
        pass
    finally:
        u.close(); t.close()
PY
}

running() { [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; }

stop_server() {
  if running; then
    local pid; pid=$(cat "$pid_file")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$base" "$env_file"
}

start_server() {
  if [ -f "$env_file" ] && running; then
    echo "coturn.sh: already running ($(cat "$env_file"))"
    return
  fi
  stop_server
  local ip; ip=$(host_ip)
  if [ -z "$ip" ]; then
    echo "coturn.sh: no non-loopback IPv4 address on this machine" >&2
    exit 1
  fi
  mkdir -p "$base"
  local secret; secret=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  local port attempt
  for attempt in 1 2 3; do
    port=$(free_port "$ip")
    # Relay ports: a random 200-port window in the dynamic range.
    local min=$((49152 + (RANDOM % 80) * 200))
    # setsid: its own process group, so stop ends turnserver and nothing else.
    setsid turnserver -n --listening-ip="$ip" --relay-ip="$ip" --listening-port="$port" \
      --min-port="$min" --max-port="$((min + 199))" --use-auth-secret --static-auth-secret="$secret" \
      --realm=cloudphone.test --fingerprint --no-tls --no-dtls --no-cli --no-software-attribute \
      --db="$base/turndb" --log-file="$base/turnserver.log" --simple-log --pidfile="$pid_file.coturn" \
      >"$base/stdout.log" 2>&1 </dev/null &
    echo $! >"$pid_file"
    for _ in $(seq 1 100); do
      if grep -q "listener opened on\|Total General servers" "$base/turnserver.log" 2>/dev/null &&
        (exec 3<>"/dev/tcp/$ip/$port") 2>/dev/null; then
        {
          echo "CP_TEST_TURN_URL=turn:$ip:$port"
          echo "CP_TEST_TURN_SECRET=$secret"
          echo "CP_TEST_TURN_IP=$ip"
        } >"$env_file.tmp"
        mv "$env_file.tmp" "$env_file"
        echo "coturn.sh: turnserver on $ip:$port (relay ports $min-$((min + 199)))"
        return
      fi
      running || break
      sleep 0.1
    done
    kill "$(cat "$pid_file")" 2>/dev/null || true
    echo "coturn.sh: attempt $attempt failed:" >&2; cat "$base/turnserver.log" "$base/stdout.log" >&2 || true
  done
  exit 1
}

case "$cmd" in
  start) start_server ;;
  stop) stop_server ;;
  *) echo "usage: coturn.sh start|stop ENV_DIR" >&2; exit 2 ;;
esac
