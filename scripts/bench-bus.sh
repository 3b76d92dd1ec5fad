#!/usr/bin/env bash
# Event bus and cache throughput on real servers: starts throw-away RabbitMQ and Redis
# (scripts/test-servers/*.sh), runs cp_bench_bus, stops them, and appends the table to
# docs/performance.md with machine and date. Usage: scripts/bench-bus.sh BUILD_DIR
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: bench-bus.sh BUILD_DIR}" && pwd)
cmake --build "$build" --target cp_bench_bus
env_dir=$(mktemp -d "${TMPDIR:-/tmp}/cp_bench_bus.XXXXXX")
cleanup() {
  bash "$root/scripts/test-servers/rabbitmq.sh" stop "$env_dir" || true
  bash "$root/scripts/test-servers/redis.sh" stop "$env_dir" || true
  rm -rf "$env_dir"
}
trap cleanup EXIT
bash "$root/scripts/test-servers/rabbitmq.sh" start "$env_dir"
bash "$root/scripts/test-servers/redis.sh" start "$env_dir"
amqp_url=$(sed -n 's/^CP_TEST_AMQP_URL=//p' "$env_dir/rabbitmq.env")
redis_url=$(sed -n 's/^CP_TEST_REDIS_URL=//p' "$env_dir/redis.env")
load=$(cut -d' ' -f1-3 /proc/loadavg)
out=$(mktemp)
CP_BENCH_AMQP_URL="$amqp_url" CP_BENCH_REDIS_URL="$redis_url" "$build/bench/cp_bench_bus" | tee "$out"
{
  echo
  echo "## Event bus and cache on real servers — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), $(free -m | awk '/Mem:/{print $2}') MiB RAM; load average before the run: $load."
  echo "Script: \`scripts/bench-bus.sh\` (\`bench/event_bus_bench.cpp\`): RabbitMQ $(dpkg-query -W -f='${Version}' rabbitmq-server 2>/dev/null) and Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) on loopback, started by the test-server scripts, client on the same machine."
  echo "RabbitMQ publishes are persistent; \`publish\` rows wait for each publisher confirm, \`publish_batch\` rows (what the outbox relay uses) wait once per batch of 100; the consumer acks each delivery (prefetch 100). Redis \`incr\` is the rate-limit Lua script."
  echo
  cat "$out"
} >>"$root/docs/performance.md"
rm -f "$out"
