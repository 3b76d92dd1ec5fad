#!/usr/bin/env bash
# Starts/stops a throw-away S3 server for tests: npm s3rver (root package.json) on 127.0.0.1 and
# a free port, data under ENV_DIR/s3, bucket `cloudphone-test` created at start-up. s3rver's
# built-in account is S3RVER/S3RVER. It is started with --service-endpoint localhost so that
# virtual-host requests to <bucket>.s3.localhost are routed too. Writes ENV_DIR/s3.env:
#   CP_TEST_S3_ENDPOINT=http://127.0.0.1:PORT  CP_TEST_S3_BUCKET  CP_TEST_S3_ACCESS_KEY  CP_TEST_S3_SECRET_KEY
# Usage: s3.sh start|stop ENV_DIR
set -euo pipefail

cmd=${1:?usage: s3.sh start|stop ENV_DIR}
env_dir=${2:?usage: s3.sh start|stop ENV_DIR}
mkdir -p "$env_dir"
env_dir=$(cd "$env_dir" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
base="$env_dir/s3"
pid_file="$base/s3rver.pid"
env_file="$env_dir/s3.env"
bucket=cloudphone-test
bin="$root/node_modules/.bin/s3rver"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
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
    echo "s3.sh: already running ($(cat "$env_file"))"
    return
  fi
  stop_server
  if [ ! -x "$bin" ]; then
    echo "s3.sh: installing npm packages (s3rver)" >&2
    (cd "$root" && npm install --no-audit --no-fund >&2)
  fi
  mkdir -p "$base/data"
  local port attempt
  for attempt in 1 2 3; do
    port=$(free_port)
    # setsid: its own process group, so stop ends node and nothing else.
    setsid "$bin" --directory "$base/data" --address 127.0.0.1 --port "$port" --silent \
      --service-endpoint localhost --configure-bucket "$bucket" \
      >"$base/server.log" 2>&1 </dev/null &
    echo $! >"$pid_file"
    # Ready when the bucket answers (anonymous GET of the listing).
    for _ in $(seq 1 100); do
      if curl -fsS -o /dev/null "http://127.0.0.1:$port/$bucket" 2>/dev/null; then
        echo "CP_TEST_S3_ENDPOINT=http://127.0.0.1:$port" >"$env_file.tmp"
        {
          echo "CP_TEST_S3_BUCKET=$bucket"
          echo "CP_TEST_S3_ACCESS_KEY=S3RVER"
          echo "CP_TEST_S3_SECRET_KEY=S3RVER"
          echo "CP_TEST_S3_REGION=us-east-1"
        } >>"$env_file.tmp"
        mv "$env_file.tmp" "$env_file"
        echo "s3.sh: s3rver on 127.0.0.1:$port, bucket $bucket"
        return
      fi
      running || break
      sleep 0.1
    done
    kill "$(cat "$pid_file")" 2>/dev/null || true
    echo "s3.sh: attempt $attempt failed:" >&2; cat "$base/server.log" >&2
  done
  exit 1
}

case "$cmd" in
  start) start_server ;;
  stop) stop_server ;;
  *) echo "usage: s3.sh start|stop ENV_DIR" >&2; exit 2 ;;
esac
