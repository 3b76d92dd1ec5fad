#!/usr/bin/env bash
# Starts/stops a throw-away SMTP server for tests: npm smtp-server (root package.json) driven by
# smtp-server.mjs on 127.0.0.1 and a free port, STARTTLS with a self-signed certificate for
# 127.0.0.1/localhost made here, AUTH required. Received mail lands as .eml files in
# ENV_DIR/smtp/maildir. Writes ENV_DIR/smtp.env:
#   SMTP_URL=smtp://127.0.0.1:PORT  SMTP_MAILDIR  SMTP_USERNAME  SMTP_PASSWORD  SMTP_CA_FILE
# Usage: smtp.sh start|stop ENV_DIR
set -euo pipefail

cmd=${1:?usage: smtp.sh start|stop ENV_DIR}
env_dir=${2:?usage: smtp.sh start|stop ENV_DIR}
mkdir -p "$env_dir"
env_dir=$(cd "$env_dir" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
base="$env_dir/smtp"
pid_file="$base/server.pid"
env_file="$env_dir/smtp.env"

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
    echo "smtp.sh: already running ($(head -1 "$env_file"))"
    return
  fi
  stop_server
  if [ ! -d "$root/node_modules/smtp-server" ]; then
    echo "smtp.sh: installing npm packages (smtp-server)" >&2
    (cd "$root" && npm install --no-audit --no-fund >&2)
  fi
  mkdir -p "$base/maildir"
  # A certificate the client can verify with SMTP_CA_FILE (self-signed, so it is its own CA).
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$base/key.pem" -out "$base/cert.pem" 2>/dev/null
  local user=cloudphone password port attempt
  password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
  for attempt in 1 2 3; do
    port=$(free_port)
    rm -f "$base/ready"
    # setsid: its own process group, so stop ends node and nothing else.
    # (node finds smtp-server in the repository's node_modules, above this script.)
    setsid node "$here/smtp-server.mjs" "$port" "$base/maildir" "$base/key.pem" "$base/cert.pem" \
      "$user" "$password" "$base/ready" >"$base/server.log" 2>&1 </dev/null &
    echo $! >"$pid_file"
    for _ in $(seq 1 100); do
      if [ -f "$base/ready" ]; then
        {
          echo "SMTP_URL=smtp://127.0.0.1:$port"
          echo "SMTP_MAILDIR=$base/maildir"
          echo "SMTP_USERNAME=$user"
          echo "SMTP_PASSWORD=$password"
          echo "SMTP_CA_FILE=$base/cert.pem"
        } >"$env_file.tmp"
        mv "$env_file.tmp" "$env_file"
        echo "smtp.sh: smtp-server on 127.0.0.1:$port (STARTTLS, AUTH), mail in $base/maildir"
        return
      fi
      running || break
      sleep 0.1
    done
    kill "$(cat "$pid_file")" 2>/dev/null || true
    echo "smtp.sh: attempt $attempt failed:" >&2; cat "$base/server.log" >&2
  done
  exit 1
}

case "$cmd" in
  start) start_server ;;
  stop) stop_server ;;
  *) echo "usage: smtp.sh start|stop ENV_DIR" >&2; exit 2 ;;
esac
