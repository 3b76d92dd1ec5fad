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
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
name=s3.sh
base="$env_dir/s3"
pid_file="$base/s3rver.pid"
env_file="$env_dir/s3.env"
bucket=cloudphone-test
bin="$root/node_modules/.bin/s3rver"
source "$here/lib.sh"

prepare() {
  if [ ! -x "$bin" ]; then
    echo "s3.sh: installing npm packages (s3rver)" >&2
    (cd "$root" && npm install --no-audit --no-fund >&2)
  fi
  mkdir -p "$base/data"
}

launch() {
  # setsid: its own process group, so stop ends node and nothing else.
  setsid "$bin" --directory "$base/data" --address 127.0.0.1 --port "$1" --silent \
    --service-endpoint localhost --configure-bucket "$bucket" \
    >"$base/server.log" 2>&1 </dev/null &
  echo $! >"$pid_file"
}

# Ready when the bucket answers (anonymous GET of the listing).
is_ready() { curl -fsS -o /dev/null "http://127.0.0.1:$1/$bucket" 2>/dev/null; }

write_env() {
  echo "CP_TEST_S3_ENDPOINT=http://127.0.0.1:$1"
  echo "CP_TEST_S3_BUCKET=$bucket"
  echo "CP_TEST_S3_ACCESS_KEY=S3RVER"
  echo "CP_TEST_S3_SECRET_KEY=S3RVER"
  echo "CP_TEST_S3_REGION=us-east-1"
}

fixture_main "$cmd"
