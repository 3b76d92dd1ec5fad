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
here=$(cd "$(dirname "$0")" && pwd)
name=coturn.sh
base="$env_dir/coturn"
pid_file="$base/turnserver.pid"
env_file="$env_dir/coturn.env"
ip=""
secret=""
min=0
source "$here/lib.sh"

if ! command -v turnserver >/dev/null 2>&1; then
  echo "coturn.sh: installing coturn" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends coturn >&2
fi

host_ip() {
  ip -4 -o addr show scope global 2>/dev/null | awk '{split($4, a, "/"); print a[1]; exit}'
}

pick_port() {  # free for both TCP and UDP on the address
  python3 - "$ip" <<'PY'
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

prepare() {
  ip=$(host_ip)
  if [ -z "$ip" ]; then
    echo "coturn.sh: no non-loopback IPv4 address on this machine" >&2
    exit 1
  fi
  mkdir -p "$base"
  secret=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
}

launch() {
  # Relay ports: a random 200-port window in the dynamic range.
  min=$((49152 + (RANDOM % 80) * 200))
  # setsid: its own process group, so stop ends turnserver and nothing else.
  setsid turnserver -n --listening-ip="$ip" --relay-ip="$ip" --listening-port="$1" \
    --min-port="$min" --max-port="$((min + 199))" --use-auth-secret --static-auth-secret="$secret" \
    --realm=cloudphone.test --fingerprint --no-tls --no-dtls --no-cli --no-software-attribute \
    --db="$base/turndb" --log-file="$base/turnserver.log" --simple-log --pidfile="$pid_file.coturn" \
    >"$base/stdout.log" 2>&1 </dev/null &
  echo $! >"$pid_file"
}

is_ready() {
  grep -q "listener opened on\|Total General servers" "$base/turnserver.log" 2>/dev/null &&
    (exec 3<>"/dev/tcp/$ip/$1") 2>/dev/null
}

write_env() {
  echo "CP_TEST_TURN_URL=turn:$ip:$1"
  echo "CP_TEST_TURN_SECRET=$secret"
  echo "CP_TEST_TURN_IP=$ip"
}

fixture_main "$cmd"
