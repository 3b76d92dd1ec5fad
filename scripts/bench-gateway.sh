#!/usr/bin/env bash
# Gateway throughput: `cloudphone up` on a fresh data dir and a free loopback port (rate limits
# raised out of the way, log.level=warn), one registered user, then wrk against the
# authenticated GET /api/v1/users/me through the gateway (JWT verified at the gateway, routed
# in-process to the user service, one SQLite read). Prints req/s and p99 and appends a dated
# entry with machine details to docs/performance.md.
# Usage: scripts/bench-gateway.sh [path/to/cloudphone]   env: THREADS CONNECTIONS DURATION NO_RECORD=1
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-${CP_CLOUDPHONE_BIN:-$root/build/cloudphone}}
threads=${THREADS:-2}
connections=${CONNECTIONS:-64}
duration=${DURATION:-15s}
[ -x "$bin" ] || { echo "bench-gateway: no cloudphone binary at $bin (build it, or pass its path)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench-gateway: wrk not installed (scripts/install-deps.sh)" >&2; exit 1; }
command -v curl >/dev/null || { echo "bench-gateway: curl not installed" >&2; exit 1; }

work=$(mktemp -d /tmp/cp-bench-gateway.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
env CLOUDPHONE_DATA_DIR="$work/data" CLOUDPHONE_GATEWAY_HOST=127.0.0.1 CLOUDPHONE_GATEWAY_PORT="$port" \
  CLOUDPHONE_GATEWAY_RATE_LIMIT_USER=100000000/1s CLOUDPHONE_GATEWAY_RATE_LIMIT_IP=100000000/1s \
  CLOUDPHONE_LOG_LEVEL=warn "$bin" up >"$work/up.out" 2>"$work/up.err" &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 300); do
  curl -fsS "$base/health" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/up.err" >&2; exit 1; }
  sleep 0.1
done
curl -fsS "$base/health" >/dev/null

curl -fsS -H 'Content-Type: application/json' -o /dev/null "$base/api/v1/auth/register" \
  -d '{"email":"bench@example.com","username":"bench","password":"correct horse 42"}'
token=$(curl -fsS -H 'Content-Type: application/json' "$base/api/v1/auth/login" \
  -d '{"login":"bench","password":"correct horse 42"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
curl -fsS -o /dev/null -H "Authorization: Bearer $token" "$base/api/v1/users/me"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench-gateway: warm-up 3 s (load average before: $load_before)" >&2
wrk -t"$threads" -c"$connections" -d3s -H "Authorization: Bearer $token" "$base/api/v1/users/me" >/dev/null
wrk -t"$threads" -c"$connections" -d"$duration" --latency -H "Authorization: Bearer $token" \
  "$base/api/v1/users/me" | tee "$work/wrk.txt"

rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.txt")
p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")
p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $5}' "$work/wrk.txt")
errors=$(grep -E '^ +Socket errors' "$work/wrk.txt" | sed 's/^ *//' || true)
echo
echo "gateway GET /api/v1/users/me: ${rps} req/s, p50 ${p50}, p99 ${p99}${non2xx:+, non-2xx ${non2xx}}"

if [ "${NO_RECORD:-0}" != 1 ]; then
  doc="$root/docs/performance.md"
  if [ ! -f "$doc" ]; then
    cat >"$doc" <<'INTRO'
# Performance

Measured numbers only, each with how and on what it was measured. Entries are appended by the
scripts that produce them; nothing here is an estimate.

## Gateway: authenticated `GET /api/v1/users/me`

`scripts/bench-gateway.sh` starts `cloudphone up` (embedded defaults: SQLite, in-process cache,
all services in one process) on a fresh data directory with rate limits raised out of the way and
`log.level=warn`, registers one user, logs in, and runs `wrk` on loopback against
`GET /api/v1/users/me` with that user's bearer token. Each request is: HTTP parse, request id,
access metrics, CORS, JWT (HS256) verification at the gateway, rate-limit counters, in-process
dispatch to the user service, one SQLite read of the user, JSON serialisation. `wrk` runs on the
same machine and competes for the same cores. The issue's target: ≥ 20,000 req/s with
p99 < 10 ms on 2 cores.
INTRO
  fi
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
  dirty=$(git -C "$root" status --porcelain 2>/dev/null | grep -q . && echo " (uncommitted changes)" || true)
  {
    echo
    echo "### $(date -u +%Y-%m-%dT%H:%M:%SZ) — ${rps} req/s, p99 ${p99}"
    echo
    echo "- machine: $(nproc) cores, ${cpu}; $(uname -sr); load average before the run: ${load_before} (other work on the machine competes for the cores)"
    echo "- build: commit ${commit}${dirty}, binary \`${bin#"$root"/}\`$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=\(..*\)$/, build type \1/p' "$(dirname "$bin")/CMakeCache.txt" 2>/dev/null)"
    echo "- load: \`wrk -t${threads} -c${connections} -d${duration} --latency\` on the same machine (3 s warm-up first)"
    echo "- result: ${rps} req/s, latency p50 ${p50}, p99 ${p99}${non2xx:+, non-2xx responses ${non2xx}}${errors:+; ${errors}}"
  } >>"$doc"
  echo "bench-gateway: appended to docs/performance.md" >&2
fi
