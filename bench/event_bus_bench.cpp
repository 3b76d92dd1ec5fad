// Event bus and cache throughput against real servers (scripts/bench-bus.sh starts them):
//  - RabbitMQ: events/s published with publisher confirms by P threads (each publish waits for
//    its confirm) and in batches of 100 (publish_batch: one confirm wait per batch, as the
//    outbox relay does), consumed (manual acks) by one consumer, from the first publish to the
//    last delivery; plus the in-process bus for comparison.
//  - Redis: RedisCache::incr (the rate-limit Lua script) and get, ops/s from T threads.
// Env: CP_BENCH_AMQP_URL, CP_BENCH_REDIS_URL, CP_BENCH_EVENTS (default 20000).
// Prints one Markdown table row per measurement.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "platform/amqp_event_bus.h"
#include "platform/backend_testing.h"
#include "platform/in_process_event_bus.h"
#include "platform/redis_cache.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace cp;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Publishes `total` events from `publishers` threads; returns {publish s, publish→consume s}.
std::pair<double, double> run_bus(events::EventBus& bus, const std::string& ns, int total,
                                  int publishers, int batch = 1) {
  std::atomic<int> consumed{0};
  std::mutex m;
  std::condition_variable done;
  bus.subscribe(ns + ".bench", {ns + ".#"}, [&](const events::CloudEvent&) {
    if (++consumed == total) {
      std::lock_guard lock(m);
      done.notify_all();
    }
  });
  auto event =
      events::make_event("/bench", ns + ".device.created", "dev_1",
                         {{"user_id", "usr_0123456789"}, {"cpus", 4}, {"memory_mb", 4096}});
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int p = 0; p < publishers; ++p) {
    threads.emplace_back([&, p] {
      if (batch > 1) {  // as the outbox relay does: publish_batch, one confirm wait per batch
        std::vector<events::CloudEvent> chunk(batch, event);
        std::string error;
        for (int i = 0; i < total; i += batch) {
          chunk.resize(std::min(batch, total - i));
          if (bus.publish_batch(chunk, error) != chunk.size()) std::abort();
        }
        return;
      }
      for (int i = p; i < total; i += publishers) bus.publish(event);
    });
  }
  for (auto& t : threads) t.join();
  double publish_s = seconds_since(start);
  std::unique_lock lock(m);
  done.wait_for(lock, std::chrono::minutes(5), [&] { return consumed.load() >= total; });
  return {publish_s, seconds_since(start)};
}

void row(const char* what, const char* backend, int n, double s, const char* unit) {
  std::printf("| %s | %s | %d | %.2f | %.0f %s |\n", what, backend, n, s, n / s, unit);
  std::fflush(stdout);
}

}  // namespace

int main() {
  const char* amqp_url = std::getenv("CP_BENCH_AMQP_URL");
  const char* redis_url = std::getenv("CP_BENCH_REDIS_URL");
  const int total =
      std::getenv("CP_BENCH_EVENTS") ? std::atoi(std::getenv("CP_BENCH_EVENTS")) : 20000;
  std::printf("| measurement | backend | operations | seconds | rate |\n|---|---|---|---|---|\n");
  {
    events::InProcessEventBus bus;
    auto [pub, e2e] = run_bus(bus, testing_env::unique_name("b"), total, 1);
    row("publish → consume, 1 publisher", "in-process", total, e2e, "events/s");
    (void)pub;
  }
  if (amqp_url) {
    for (int publishers : {1, 4}) {
      events::AmqpEventBusOptions o;
      o.url = amqp_url;
      o.prefetch = 100;
      events::AmqpEventBus bus(o);
      const std::string ns = testing_env::unique_name("b");
      auto [pub, e2e] = run_bus(bus, ns, total, publishers);
      std::string label = "publish (confirmed), " + std::to_string(publishers) + " publisher" +
                          (publishers > 1 ? "s" : "");
      row(label.c_str(), "RabbitMQ", total, pub, "events/s");
      label = "publish → consume (acked), " + std::to_string(publishers) + " publisher" +
              (publishers > 1 ? "s" : "");
      row(label.c_str(), "RabbitMQ", total, e2e, "events/s");
      bus.delete_queues(ns + ".bench");
    }
  }
  if (amqp_url) {
    events::AmqpEventBusOptions o;
    o.url = amqp_url;
    o.prefetch = 100;
    events::AmqpEventBus bus(o);
    const std::string ns = testing_env::unique_name("b");
    auto [pub, e2e] = run_bus(bus, ns, total, 1, 100);
    row("publish_batch of 100 (confirmed), 1 publisher", "RabbitMQ", total, pub, "events/s");
    row("publish_batch of 100 → consume (acked)", "RabbitMQ", total, e2e, "events/s");
    bus.delete_queues(ns + ".bench");
  }
  if (redis_url) {
    redis::RedisOptions o;
    o.url = redis_url;
    o.pool_size = 8;
    auto client = std::make_shared<redis::RedisClient>(o);
    cache::RedisCache cache(client, testing_env::unique_name("bench_") + ":");
    for (int threads_n : {1, 8}) {
      const int ops = total;
      auto start = Clock::now();
      std::vector<std::thread> threads;
      for (int t = 0; t < threads_n; ++t) {
        threads.emplace_back([&, t] {
          for (int i = t; i < ops; i += threads_n) {
            cache.incr("rl:user:usr_" + std::to_string(i % 100), 1, std::chrono::seconds(60));
          }
        });
      }
      for (auto& th : threads) th.join();
      std::string label = "incr (rate-limit script), " + std::to_string(threads_n) + " thread" +
                          (threads_n > 1 ? "s" : "");
      row(label.c_str(), "Redis", ops, seconds_since(start), "ops/s");
      start = Clock::now();
      threads.clear();
      for (int t = 0; t < threads_n; ++t) {
        threads.emplace_back([&, t] {
          for (int i = t; i < ops; i += threads_n)
            cache.get("rl:user:usr_" + std::to_string(i % 100));
        });
      }
      for (auto& th : threads) th.join();
      label = "get, " + std::to_string(threads_n) + " thread" + (threads_n > 1 ? "s" : "");
      row(label.c_str(), "Redis", ops, seconds_since(start), "ops/s");
    }
  }
  return 0;
}
