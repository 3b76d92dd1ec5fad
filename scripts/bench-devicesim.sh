#!/usr/bin/env bash
# Simulated-device costs with real processes (no in-process shortcuts):
#   1. one `cloudphone devicesim` at 720×1280@60 streaming to a scrcpy client over ADB
#      (bench/cp_bench_scrcpy_client: ScrcpySession, counts frames, drags a finger across the
#      screen so it keeps changing) — frames/s and the device's CPU from /proc/<pid>/stat;
#   2. RSS (VmRSS) and CPU of one idle simulator after 5 s;
#   3. how many idle simulators 2 cores hold: N = 10, 20, 40, 80 (stops early when they use more
#      than 150% of one core or their RSS passes 50% of RAM); every one must still answer
#      `getprop sys.boot_completed` over ADB.
# Appends a dated section to docs/performance.md.
# Usage: scripts/bench-devicesim.sh BUILD_DIR   env: STREAM_SECONDS=15 IDLE_SECONDS=5 MAX_N=80 NO_RECORD=1
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: bench-devicesim.sh BUILD_DIR}" && pwd)
bin=$build/cloudphone
client=$build/bench/cp_bench_scrcpy_client
stream_seconds=${STREAM_SECONDS:-15}
idle_seconds=${IDLE_SECONDS:-5}
max_n=${MAX_N:-80}
[ -x "$bin" ] || { echo "bench-devicesim: no $bin (build cloudphone)" >&2; exit 1; }
[ -x "$client" ] || { echo "bench-devicesim: no $client (build cp_bench_scrcpy_client)" >&2; exit 1; }

load_before=$(cut -d" " -f1-3 /proc/loadavg)
work=$(mktemp -d /tmp/cp-bench-devicesim.XXXXXX)
pids=()
ports=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

hz=$(getconf CLK_TCK)
mem_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)

# start_device FPS: starts one simulator, appends its pid and port to pids/ports.
start_device() {
  local i=${#pids[@]} fps=$1
  mkdir -p "$work/dev$i"
  "$bin" devicesim --host 127.0.0.1 --port 0 --state-dir "$work/dev$i" \
    --width 720 --height 1280 --fps "$fps" >"$work/dev$i.out" 2>"$work/dev$i.err" &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 300); do
    if grep -q 'listening on ' "$work/dev$i.out" 2>/dev/null; then
      ports+=("$(sed -n 's/.*listening on .*:\([0-9]*\).*/\1/p' "$work/dev$i.out" | head -1)")
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$work/dev$i.err" >&2; return 1; }
    sleep 0.05
  done
  echo "bench-devicesim: device $i did not start" >&2
  return 1
}
# Sum of utime+stime ticks of the given pids.
cpu_ticks() {
  local total=0 p t
  for p in "$@"; do
    t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
    total=$((total + t))
  done
  echo "$total"
}
rss_kb() {
  local total=0 p r
  for p in "$@"; do
    r=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    total=$((total + r))
  done
  echo "$total"
}
now_ns() { date +%s%N; }
# cpu_percent SECONDS PID...: CPU of the pids over a window, in % of one core.
cpu_percent() {
  local secs=$1; shift
  local t0 c0 t1 c1
  t0=$(now_ns); c0=$(cpu_ticks "$@")
  sleep "$secs"
  t1=$(now_ns); c1=$(cpu_ticks "$@")
  awk -v c="$((c1 - c0))" -v hz="$hz" -v ns="$((t1 - t0))" 'BEGIN {printf "%.1f", 100 * c / hz / (ns / 1e9)}'
}

# --- 1. streaming at 720×1280@60 -----------------------------------------------------------
echo "bench-devicesim: streaming 720x1280@60 for ${stream_seconds}s" >&2
start_device 60
dev=${pids[0]}
# The client samples the device's /proc/<pid>/stat at the start and end of its measuring window.
stream_json=$("$client" stream "${ports[0]}" "$stream_seconds" "$dev")
stream_rss=$(rss_kb "$dev")
echo "$stream_json" >&2
json() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$stream_json" "$1"; }
fps=$(json fps); kbps=$(json kbps); frames=$(json frames); client_cpu=$(json client_cpu_pct)
stream_cpu=$(json device_cpu_pct)
# CPU per frame is the figure least disturbed by other load on the machine.
ms_per_frame=$(awk -v c="$stream_cpu" -v f="$fps" 'BEGIN {printf "%.1f", (f > 0 ? 10 * c / f : 0)}')
kill "$dev"; wait "$dev" 2>/dev/null || true
pids=(); ports=()

# --- 2. one idle simulator ---------------------------------------------------------------------
echo "bench-devicesim: idle simulator, ${idle_seconds}s" >&2
start_device 60
sleep "$idle_seconds"
idle_rss=$(rss_kb "${pids[0]}")
idle_cpu=$(cpu_percent "$idle_seconds" "${pids[0]}")
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true
pids=(); ports=()

# --- 3. idle simulators per 2 cores --------------------------------------------------------------
scale_rows=""
held=0
for n in 10 20 40 80 160; do
  [ "$n" -le "$max_n" ] || break
  echo "bench-devicesim: $n idle simulators" >&2
  while [ "${#pids[@]}" -lt "$n" ]; do start_device 60; done
  sleep "$idle_seconds"
  cpu=$(cpu_percent "$idle_seconds" "${pids[@]}")
  rss=$(rss_kb "${pids[@]}")
  check=$("$client" boot-check "${ports[@]}" || true)
  scale_rows+="| $n | $cpu | $((rss / 1024)) | $((rss / n / 1024)) | ${check#ok } |"$'\n'
  echo "  N=$n cpu=${cpu}% rss=$((rss / 1024)) MiB boot_completed ${check}" >&2
  if [ "$check" = "ok $n/$n" ]; then held=$n; fi
  if awk -v c="$cpu" 'BEGIN {exit !(c > 150)}' || [ "$rss" -gt $((mem_kb / 2)) ] || [ "$check" != "ok $n/$n" ]; then
    break
  fi
done

summary="streaming 720x1280@60: ${fps} fps, device CPU ${stream_cpu}% of a core; idle: RSS $((idle_rss / 1024)) MiB, CPU ${idle_cpu}%; ${held} idle simulators answered"
echo "$summary"

if [ "${NO_RECORD:-0}" != 1 ]; then
  doc=$root/docs/performance.md
  if [ ! -f "$doc" ]; then
    printf '# Performance\n\nMeasured numbers, appended by the benchmark scripts (`make bench`) with the date and machine. Later entries do not replace earlier ones.\n' >"$doc"
  fi
  {
    echo
    echo "## Simulated device (devicesim) — $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $((mem_kb / 1024)) MiB RAM; load average before the run: ${load_before}."
    echo "Script: \`scripts/bench-devicesim.sh\` (real \`cloudphone devicesim\` processes; client \`bench/scrcpy_stream_client.cpp\` over our ADB client)."
    echo
    echo "Streaming, one simulator at 720×1280, \`--fps 60\`, a finger dragged across the screen every 10 ms for ${stream_seconds} s:"
    echo
    echo "| frames | fps | video kbit/s | device CPU (% of one core) | device CPU per frame | client CPU | device RSS |"
    echo "|---|---|---|---|---|---|---|"
    echo "| $frames | $fps | $kbps | $stream_cpu | $ms_per_frame ms | $client_cpu% | $((stream_rss / 1024)) MiB |"
    if [ -n "${CP_BENCH_DEVICESIM_INPROCESS:-}" ] && [ -f "$CP_BENCH_DEVICESIM_INPROCESS" ]; then
      echo
      echo "In process, one 720×1280 frame (\`cp_bench_devicesim\`):"
      echo
      echo '```'
      grep -E '^(Benchmark|BM_)' "$CP_BENCH_DEVICESIM_INPROCESS"
      echo '```'
    fi
    echo
    echo "Idle simulator (no client, ${idle_seconds} s after start): RSS $((idle_rss / 1024)) MiB, CPU ${idle_cpu}% of one core."
    echo
    echo "Idle simulators on this machine (CPU over ${idle_seconds} s, after ${idle_seconds} s settling; each checked with \`getprop sys.boot_completed\` over ADB):"
    echo
    echo "| N | total CPU (% of one core) | total RSS (MiB) | RSS per device (MiB) | answered |"
    echo "|---|---|---|---|---|"
    printf '%s' "$scale_rows"
  } >>"$doc"
  echo "bench-devicesim: appended to $doc" >&2
fi
