#!/usr/bin/env bash
# Device create-to-ready latency (p50/p95) for 1 and for 20 concurrent creates, on the process
# runtime and on the docker runtime against podman (the test fixture's podman service and
# simulated-device image, scripts/test-servers/podman.sh). Each runtime gets its own
# `cloudphone up` on a fresh data dir and a free loopback port; the load driver is
# scripts/bench-device-create.py. Results are printed (record them in docs/performance.md).
# Usage: scripts/bench-device.sh [path/to/cloudphone]   env: RUNTIMES="process podman" SAMPLES=20
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-${CP_CLOUDPHONE_BIN:-$root/build/cloudphone}}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
runtimes=${RUNTIMES:-process podman}
samples=${SAMPLES:-20}
[ -x "$bin" ] || { echo "bench-device: no cloudphone binary at $bin (build it, or pass its path)" >&2; exit 1; }

work=$(mktemp -d /tmp/cp-bench-device.XXXXXX)
pid=""
podman_started=""
stop_up() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi
}
cleanup() {
  stop_up
  if [ -n "$podman_started" ]; then CP_CLOUDPHONE_BIN="$bin" bash "$root/scripts/test-servers/podman.sh" stop "$work/env" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# run LABEL [VAR=value ...]: `cloudphone up` with the extra environment, then the driver.
run() {
  local label=$1
  shift
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  env CLOUDPHONE_DATA_DIR="$work/data-$label" CLOUDPHONE_GATEWAY_HOST=127.0.0.1 CLOUDPHONE_GATEWAY_PORT="$port" \
    CLOUDPHONE_GATEWAY_RATE_LIMIT_USER=100000000/1s CLOUDPHONE_GATEWAY_RATE_LIMIT_IP=100000000/1s \
    CLOUDPHONE_QUOTA_DEFAULT_MAX_DEVICES=100 CLOUDPHONE_QUOTA_DEFAULT_MAX_CPU_CORES=1000 \
    CLOUDPHONE_QUOTA_DEFAULT_MAX_MEMORY_MB=1000000 CLOUDPHONE_LOG_LEVEL=warn "$@" \
    "$bin" up >"$work/up-$label.out" 2>"$work/up-$label.err" &
  pid=$!
  local base="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do
    curl -fsS "$base/health" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/up-$label.err" >&2; exit 1; }
    sleep 0.1
  done
  echo "bench-device: $label (load average before: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  python3 "$root/scripts/bench-device-create.py" --base "$base" --label "$label" --samples "$samples" \
    --json "$work/$label.json"
  stop_up
}

for rt in $runtimes; do
  case "$rt" in
  process) run process CLOUDPHONE_DEVICE_RUNTIME=process ;;
  podman)
    CP_CLOUDPHONE_BIN="$bin" bash "$root/scripts/test-servers/podman.sh" start "$work/env" >&2
    podman_started=1
    envv() { sed -n "s/^$1=//p" "$work/env/podman.env"; }  # values may hold spaces: not sourced
    CP_TEST_DOCKER_HOST=$(envv CP_TEST_DOCKER_HOST)
    CP_TEST_DEVICESIM_IMAGE=$(envv CP_TEST_DEVICESIM_IMAGE)
    CP_TEST_DOCKER_NETWORK=$(envv CP_TEST_DOCKER_NETWORK)
    run podman CLOUDPHONE_DEVICE_RUNTIME=docker CLOUDPHONE_DEVICE_DOCKER_HOST="$CP_TEST_DOCKER_HOST" \
      CLOUDPHONE_DEVICE_DOCKER_PROFILE=simulator CLOUDPHONE_DEVICE_DOCKER_IMAGE="$CP_TEST_DEVICESIM_IMAGE" \
      CLOUDPHONE_DEVICE_DOCKER_NETWORK_MODE="$CP_TEST_DOCKER_NETWORK"
    ;;
  *) echo "bench-device: unknown runtime '$rt' (process, podman)" >&2; exit 2 ;;
  esac
done
