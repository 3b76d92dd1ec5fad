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
name=smtp.sh
base="$env_dir/smtp"
pid_file="$base/server.pid"
env_file="$env_dir/smtp.env"
user=cloudphone
password=""
source "$here/lib.sh"

prepare() {
  if [ ! -d "$root/node_modules/smtp-server" ]; then
    echo "smtp.sh: installing npm packages (smtp-server)" >&2
    (cd "$root" && npm install --no-audit --no-fund >&2)
  fi
  mkdir -p "$base/maildir"
  # A certificate the client can verify with SMTP_CA_FILE (self-signed, so it is its own CA).
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$base/key.pem" -out "$base/cert.pem" 2>/dev/null
  password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
}

launch() {
  rm -f "$base/ready"
  # setsid: its own process group, so stop ends node and nothing else.
  # (node finds smtp-server in the repository's node_modules, above this script.)
  setsid node "$here/smtp-server.mjs" "$1" "$base/maildir" "$base/key.pem" "$base/cert.pem" \
    "$user" "$password" "$base/ready" >"$base/server.log" 2>&1 </dev/null &
  echo $! >"$pid_file"
}

is_ready() { [ -f "$base/ready" ]; }

write_env() {
  echo "SMTP_URL=smtp://127.0.0.1:$1"
  echo "SMTP_MAILDIR=$base/maildir"
  echo "SMTP_USERNAME=$user"
  echo "SMTP_PASSWORD=$password"
  echo "SMTP_CA_FILE=$base/cert.pem"
}

fixture_main "$cmd"
