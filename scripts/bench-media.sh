#!/usr/bin/env bash
# Media benchmark: glass-to-glass and input → changed-frame latency (p50/p95 over ≥ 500 samples),
# media-service CPU per viewer, viewers per device and devices per machine before frames drop,
# over the WebSocket + WebCodecs transport and over WebRTC (latency and media-worker CPU per viewer).
# Starts its own `cloudphone up` and headless Debian Chromium (bench/media_bench.mjs).
# Usage: scripts/bench-media.sh BUILD_DIR   env: CP_BENCH_PROBES (default 500), CP_BENCH_OUT,
#   CP_BENCH_TRANSPORT=websocket|webrtc|both (default both), CP_BENCH_QUICK=1 (fewer levels)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: bench-media.sh BUILD_DIR}" && pwd)
cmake --build "$build" --target cloudphone
cd "$root"
CP_CLOUDPHONE_BIN="$build/cloudphone" CP_BENCH_OUT="${CP_BENCH_OUT:-$build/bench-media.json}" \
  node bench/media_bench.mjs
