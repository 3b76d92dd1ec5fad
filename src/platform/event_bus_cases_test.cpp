// The event bus cases on the in-process bus (amqp_event_bus_amqptest.cpp runs them on RabbitMQ).
#include "platform/event_bus_cases.h"

namespace cp::events {
namespace {

class InProcessUnderTest final : public BusUnderTest {
 public:
  explicit InProcessUnderTest(BusTestOptions o)
      : bus_(InProcessEventBusOptions{o.max_attempts, o.first_retry_delay,
                                      std::chrono::seconds(1)}) {}
  EventBus& bus() override { return bus_; }
  std::vector<DeadLetter> dead_letters(const std::string& queue, size_t expected,
                                       std::chrono::milliseconds timeout) override {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      std::vector<DeadLetter> mine;
      for (auto& d : bus_.dead_letters()) {
        if (d.queue == queue) mine.push_back(d);
      }
      if (mine.size() >= expected || std::chrono::steady_clock::now() >= deadline) return mine;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

 private:
  InProcessEventBus bus_;
};

INSTANTIATE_TEST_SUITE_P(InProcess, BusCase,
                         ::testing::Values(BusBackend{"inprocess",
                                                      [](BusTestOptions o) {
                                                        return std::unique_ptr<BusUnderTest>(
                                                            new InProcessUnderTest(o));
                                                      }}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace cp::events
