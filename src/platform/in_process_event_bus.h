// The event bus of `cloudphone up`: one worker thread per queue, at-least-once delivery with
// exponential backoff, a dead-letter list after max_attempts. Not durable: events still queued
// when the process stops are lost (the outbox has already marked them published), which is
// acceptable for the single-process embedded mode only; deployments use RabbitMQ.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <thread>

#include "platform/event_bus.h"

namespace cp::events {

struct InProcessEventBusOptions {
  int max_attempts = 5;
  std::chrono::milliseconds first_retry_delay{200};
  std::chrono::milliseconds max_retry_delay{30'000};
};

struct DeadLetter {
  std::string queue;
  CloudEvent event;
  std::string error;  // what the last attempt threw
  int attempts = 0;
};

class InProcessEventBus final : public EventBus {
 public:
  explicit InProcessEventBus(InProcessEventBusOptions options = {});
  ~InProcessEventBus() override;  // stops the workers; undelivered events are dropped

  void publish(const CloudEvent& event) override;
  // One subscription per queue name in a process; a second one throws std::logic_error.
  void subscribe(const std::string& queue, std::vector<std::string> binding_keys,
                 Handler handler) override;

  std::vector<DeadLetter> dead_letters() const;
  // True when every published event was handled or dead-lettered within `timeout` (tests).
  bool wait_idle(std::chrono::milliseconds timeout);

 private:
  struct Delivery {
    CloudEvent event;
    int attempts = 0;
    std::chrono::steady_clock::time_point not_before;
  };
  struct Queue {
    std::string name;
    std::vector<std::string> bindings;
    Handler handler;
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<Delivery> pending;
    bool stopping = false;
    std::thread worker;
  };

  void run_worker(Queue& queue);
  void finished_one();
  std::chrono::milliseconds retry_delay(int attempts) const;

  InProcessEventBusOptions options_;
  mutable std::shared_mutex queues_mutex_;
  std::map<std::string, std::unique_ptr<Queue>> queues_;

  // Events queued or being handled, over all queues (for wait_idle).
  std::mutex idle_mutex_;
  std::condition_variable idle_;
  int64_t in_flight_ = 0;

  mutable std::mutex dead_mutex_;
  std::vector<DeadLetter> dead_letters_;
};

}  // namespace cp::events
