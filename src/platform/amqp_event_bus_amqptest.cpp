// The event bus cases on a real RabbitMQ (fixture rabbitmq), plus what only a durable broker
// gives: a consumer process that dies before acking gets its delivery back, competing
// consumers share a queue, and the outbox relay (PostgreSQL, fixture pg) marks rows published
// only after the broker confirmed them.
#include <spawn.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "platform/amqp_event_bus.h"
#include "platform/event_bus_cases.h"

extern char** environ;

namespace cp::events {
namespace {

AmqpEventBusOptions amqp_options(BusTestOptions o = {}) {
  AmqpEventBusOptions a;
  a.url = testing_env::test_amqp_url();
  a.max_attempts = o.max_attempts;
  a.first_retry_delay = o.first_retry_delay;
  a.max_retry_delay = std::chrono::seconds(1);
  a.timeout = std::chrono::seconds(5);
  return a;
}

class AmqpUnderTest final : public BusUnderTest {
 public:
  explicit AmqpUnderTest(BusTestOptions o) : bus_(amqp_options(o)) {}
  EventBus& bus() override { return bus_; }
  std::vector<DeadLetter> dead_letters(const std::string& queue, size_t expected,
                                       std::chrono::milliseconds timeout) override {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::vector<DeadLetter> all;
    for (;;) {
      auto more = bus_.take_dead_letters(queue);
      all.insert(all.end(), more.begin(), more.end());
      if (all.size() >= expected || std::chrono::steady_clock::now() >= deadline) return all;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

 private:
  AmqpEventBus bus_;
};

INSTANTIATE_TEST_SUITE_P(RabbitMq, BusCase,
                         ::testing::Values(BusBackend{"rabbitmq",
                                                      [](BusTestOptions o) {
                                                        return std::unique_ptr<BusUnderTest>(
                                                            new AmqpUnderTest(o));
                                                      }}),
                         [](const auto& info) { return info.param.name; });

// Runs only in a child process started by CrashedConsumerGetsItsDeliveryBack (hence DISABLED_):
// consumes one delivery and dies without acking, like a consumer process killed mid-event.
TEST(AmqpCrashChild, DISABLED_ConsumeAndDie) {
  const char* queue = std::getenv("CP_CRASH_QUEUE");
  const char* key = std::getenv("CP_CRASH_KEY");
  ASSERT_TRUE(queue && key) << "run by CrashedConsumerGetsItsDeliveryBack";
  AmqpEventBus bus(amqp_options());
  bus.subscribe(queue, {key}, [](const CloudEvent& e) {
    std::ofstream(std::getenv("CP_CRASH_MARKER")) << e.id;
    std::_Exit(42);  // no ack, no clean close
  });
  std::this_thread::sleep_for(std::chrono::seconds(20));
  FAIL() << "no delivery reached the child";
}

TEST(AmqpEventBus, CrashedConsumerGetsItsDeliveryBack) {
  const std::string ns = testing_env::unique_name("crash");
  const std::string queue = ns + ".billing", key = ns + ".device.created";
  auto marker = std::filesystem::temp_directory_path() / (ns + ".marker");
  auto e = make_event("/t", key, "dev_1", {});
  {
    AmqpEventBus publisher(amqp_options());
    // The queue exists (bound) before the child starts, so the event waits for it.
    amqp::Connection admin({testing_env::test_amqp_url()});
    admin.declare_queue(queue);
    admin.bind(queue, "cloudphone.events", key);
    publisher.publish(e);
  }
  std::string filter = "--gtest_filter=AmqpCrashChild.DISABLED_ConsumeAndDie";
  std::string disabled = "--gtest_also_run_disabled_tests";
  std::string self = std::filesystem::read_symlink("/proc/self/exe");
  setenv("CP_CRASH_QUEUE", queue.c_str(), 1);
  setenv("CP_CRASH_KEY", key.c_str(), 1);
  setenv("CP_CRASH_MARKER", marker.c_str(), 1);
  char* argv[] = {self.data(), filter.data(), disabled.data(), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, self.c_str(), nullptr, nullptr, argv, environ), 0);
  unsetenv("CP_CRASH_QUEUE");
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 42) << "child status " << status;
  std::string seen_by_child;
  std::ifstream(marker) >> seen_by_child;
  std::filesystem::remove(marker);
  EXPECT_EQ(seen_by_child, e.id);

  // The broker saw the connection die with the delivery unacked: it comes back.
  Received again;
  AmqpEventBus bus(amqp_options());
  bus.subscribe(queue, {key}, [&](const CloudEvent& got) { again.add(got); });
  ASSERT_TRUE(again.wait_for(1));
  EXPECT_EQ(again.events()[0].id, e.id);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(again.size(), 1u);
}

TEST(AmqpEventBus, InstancesOfOneConsumerShareItsQueue) {
  const std::string ns = testing_env::unique_name("share");
  Received one, two;
  AmqpEventBus a(amqp_options()), b(amqp_options());
  a.subscribe(ns + ".billing", {ns + ".#"}, [&](const CloudEvent& e) { one.add(e); });
  b.subscribe(ns + ".billing", {ns + ".#"}, [&](const CloudEvent& e) { two.add(e); });
  constexpr int kEvents = 40;
  for (int i = 0; i < kEvents; ++i) a.publish(make_event("/t", ns + ".x", "s", {{"i", i}}));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (one.size() + two.size() < kEvents && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(one.size() + two.size(), size_t{kEvents});  // each event handled once in total
}

TEST(AmqpEventBus, PerProcessQueuesGoAwayWithTheirProcess) {
  const std::string ns = testing_env::unique_name("pp");
  const std::string durable = ns + ".billing", live = ns + ".live.gw1";
  {
    Received got;
    AmqpEventBus bus(amqp_options());
    bus.subscribe(durable, {ns + ".#"}, [&](const CloudEvent& e) { got.add(e); });
    bus.subscribe_per_process(live, {ns + ".#"}, [&](const CloudEvent& e) { got.add(e); });
    bus.publish(make_event("/t", ns + ".device.created", "dev_1", {}));
    ASSERT_TRUE(got.wait_for(2));
  }
  // The process is gone: its live queue with it, while the consumer group's queue keeps
  // collecting events for when a consumer comes back.
  AmqpEventBus publisher(amqp_options());
  publisher.publish(make_event("/t", ns + ".device.deleted", "dev_1", {}));
  amqp::Connection admin({testing_env::test_amqp_url()});
  auto kept = admin.get(durable);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->type, ns + ".device.deleted");
  amqp::Connection admin2({testing_env::test_amqp_url()});
  EXPECT_THROW(admin2.get(live), amqp::AmqpError);  // NOT_FOUND
}

TEST(AmqpEventBus, WrongCredentialsFailAtConstruction) {
  auto url = testing_env::test_amqp_url();
  auto colon = url.find(':', 7), at = url.find('@');
  auto o = amqp_options();
  o.url = url.substr(0, colon + 1) + "wrong" + url.substr(at);
  EXPECT_THROW(AmqpEventBus{o}, amqp::AmqpError);
  o.url = "amqp://u:p@127.0.0.1:1/%2f";
  EXPECT_THROW(AmqpEventBus{o}, amqp::AmqpError);
}

}  // namespace
}  // namespace cp::events
