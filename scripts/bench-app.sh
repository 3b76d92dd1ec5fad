#!/usr/bin/env bash
# App service benchmarks: (1) APK parse time of our reader vs `aapt dump badging` on the same
# test APKs in the same run (cp_bench_apk_vs_aapt); (2) batch install throughput to simulated
# devices through a fresh `cloudphone up` (bench/app_install_bench.py). Results are printed
# (record them in docs/performance.md).
# Usage: scripts/bench-app.sh BUILD_DIR   env: DEVICES=10 CONCURRENCY=8 ROUNDS=3
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: bench-app.sh BUILD_DIR}" && pwd)
devices=${DEVICES:-10}
apks="$build/test-apks"
bash "$root/scripts/testdata/make-test-apks.sh" "$apks" >/dev/null

echo "-- APK parse: our reader vs aapt dump badging (median of 50 each)"
"$build/bench/cp_bench_apk_vs_aapt" "$apks" 50

work=$(mktemp -d /tmp/cp-bench-app.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
env CLOUDPHONE_DATA_DIR="$work/data" CLOUDPHONE_GATEWAY_HOST=127.0.0.1 CLOUDPHONE_GATEWAY_PORT="$port" \
  CLOUDPHONE_GATEWAY_RATE_LIMIT_USER=100000000/1s CLOUDPHONE_GATEWAY_RATE_LIMIT_IP=100000000/1s \
  CLOUDPHONE_QUOTA_DEFAULT_MAX_DEVICES=$((devices + 2)) CLOUDPHONE_QUOTA_DEFAULT_MAX_CPU_CORES=1000 \
  CLOUDPHONE_QUOTA_DEFAULT_MAX_MEMORY_MB=1000000 CLOUDPHONE_LOG_LEVEL=warn \
  CLOUDPHONE_APP_INSTALL_CONCURRENCY="${CONCURRENCY:-8}" \
  "$build/cloudphone" up >"$work/up.out" 2>"$work/up.err" &
pid=$!
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.1
done
echo "-- batch install to $devices simulated devices (concurrency ${CONCURRENCY:-8})"
python3 "$root/bench/app_install_bench.py" --base "http://127.0.0.1:$port" --devices "$devices" \
  --rounds "${ROUNDS:-3}" "$apks/basic.apk" "$apks/big.apk"
