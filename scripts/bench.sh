#!/usr/bin/env bash
# What `make bench` runs: every benchmark of the project, one after the other (they share the
# machine's cores, so never in parallel). Results that are recorded go to docs/performance.md.
#   cp_bench_apk           APK reader (Google Benchmark; test APKs built first)
#   cp_bench_devicesim     simulator render + H.264 encode per frame, in process
#   bench-devicesim.sh     real simulator processes: fps/CPU streaming, idle RSS, how many fit
#   bench-gateway.sh       gateway HTTP throughput (when present)
#   bench-media.sh         media: glass-to-glass / input latency, CPU per viewer, capacity
#                          (WebSocket + WebCodecs and WebRTC; CP_BENCH_TRANSPORT, default both)
#   bench-bus.sh           event bus (RabbitMQ, confirms) and Redis cache throughput
#   bench-device.sh        device create-to-ready latency, 1 and 20 at once, process and podman
#   bench-app.sh           APK parse vs `aapt dump badging`; batch install throughput to simulators
# Usage: scripts/bench.sh BUILD_DIR   env: SKIP_GATEWAY=1 leaves the gateway out
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: bench.sh BUILD_DIR}" && pwd)

cmake --build "$build" --target cloudphone cp_bench_apk cp_bench_devicesim cp_bench_scrcpy_client cp_bench_apk_vs_aapt

echo "== APK reader (cp_bench_apk)"
bash "$root/scripts/testdata/make-test-apks.sh" "$build/test-apks"
CP_TEST_APK_DIR="$build/test-apks" "$build/bench/cp_bench_apk"

echo "== simulator render + encode in process (cp_bench_devicesim)"
inprocess=$build/bench-devicesim-inprocess.txt
"$build/bench/cp_bench_devicesim" --benchmark_min_time=2 | tee "$inprocess"

echo "== simulator processes (scripts/bench-devicesim.sh)"
CP_BENCH_DEVICESIM_INPROCESS="$inprocess" bash "$root/scripts/bench-devicesim.sh" "$build"

if [ -f "$root/scripts/bench-gateway.sh" ] && [ "${SKIP_GATEWAY:-0}" != 1 ]; then
  echo "== gateway (scripts/bench-gateway.sh)"
  bash "$root/scripts/bench-gateway.sh" "$build/cloudphone"
fi

if [ -f "$root/scripts/bench-media.sh" ] && [ "${SKIP_MEDIA:-0}" != 1 ]; then
  echo "== media streaming (scripts/bench-media.sh)"
  bash "$root/scripts/bench-media.sh" "$build"
fi

if [ -f "$root/scripts/bench-bus.sh" ] && [ "${SKIP_BUS:-0}" != 1 ]; then
  echo "== event bus and cache on RabbitMQ / Redis (scripts/bench-bus.sh)"
  bash "$root/scripts/bench-bus.sh" "$build"
fi

if [ -f "$root/scripts/bench-device.sh" ] && [ "${SKIP_DEVICE:-0}" != 1 ]; then
  echo "== device create-to-ready latency (scripts/bench-device.sh)"
  bash "$root/scripts/bench-device.sh" "$build/cloudphone"
fi

if [ -f "$root/scripts/bench-app.sh" ] && [ "${SKIP_APP:-0}" != 1 ]; then
  echo "== app service: APK parse vs aapt, batch install throughput (scripts/bench-app.sh)"
  bash "$root/scripts/bench-app.sh" "$build"
fi
