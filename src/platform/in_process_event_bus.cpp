#include "platform/in_process_event_bus.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

namespace cp::events {

InProcessEventBus::InProcessEventBus(InProcessEventBusOptions options) : options_(options) {}

InProcessEventBus::~InProcessEventBus() {
  // Shared lock only: a handler finishing its work may still publish (which also reads queues_).
  std::shared_lock lock(queues_mutex_);
  for (auto& [name, queue] : queues_) {
    {
      std::lock_guard q(queue->mutex);
      queue->stopping = true;
      if (!queue->pending.empty()) {
        spdlog::warn("event bus: dropping {} undelivered events of queue {}", queue->pending.size(),
                     name);
      }
    }
    queue->wake.notify_all();
  }
  for (auto& [name, queue] : queues_) queue->worker.join();
}

void InProcessEventBus::subscribe(const std::string& queue_name,
                                  std::vector<std::string> binding_keys, Handler handler) {
  if (queue_name.empty() || binding_keys.empty() || !handler) {
    throw std::invalid_argument("subscribe: queue, binding keys and handler are required");
  }
  std::unique_lock lock(queues_mutex_);
  if (queues_.count(queue_name)) {
    throw std::logic_error("event bus: queue " + queue_name + " already has a subscriber");
  }
  auto queue = std::make_unique<Queue>();
  queue->name = queue_name;
  queue->bindings = std::move(binding_keys);
  queue->handler = std::move(handler);
  Queue& ref = *queue;
  queues_.emplace(queue_name, std::move(queue));
  ref.worker = std::thread([this, &ref] { run_worker(ref); });
}

void InProcessEventBus::publish(const CloudEvent& event) {
  std::shared_lock lock(queues_mutex_);
  for (auto& [name, queue] : queues_) {
    bool bound = std::any_of(queue->bindings.begin(), queue->bindings.end(),
                             [&](const std::string& b) { return topic_matches(b, event.type); });
    if (!bound) continue;
    {
      std::lock_guard idle(idle_mutex_);
      ++in_flight_;
    }
    {
      std::lock_guard q(queue->mutex);
      queue->pending.push_back({event, 0, std::chrono::steady_clock::now()});
    }
    queue->wake.notify_one();
  }
}

std::chrono::milliseconds InProcessEventBus::retry_delay(int attempts) const {
  auto delay = options_.first_retry_delay * (int64_t{1} << std::min(attempts - 1, 20));
  return std::min(delay, options_.max_retry_delay);
}

void InProcessEventBus::finished_one() {
  {
    std::lock_guard lock(idle_mutex_);
    --in_flight_;
  }
  idle_.notify_all();
}

void InProcessEventBus::run_worker(Queue& queue) {
  std::unique_lock lock(queue.mutex);
  for (;;) {
    if (queue.stopping) return;
    // The first delivery that is due; retries wait for their backoff, others overtake them.
    auto now = std::chrono::steady_clock::now();
    auto due = std::find_if(queue.pending.begin(), queue.pending.end(),
                            [&](const Delivery& d) { return d.not_before <= now; });
    if (due == queue.pending.end()) {
      if (queue.pending.empty()) {
        queue.wake.wait(lock);
      } else {
        auto next = std::min_element(
            queue.pending.begin(), queue.pending.end(),
            [](const Delivery& a, const Delivery& b) { return a.not_before < b.not_before; });
        queue.wake.wait_until(lock, next->not_before);
      }
      continue;
    }
    Delivery delivery = std::move(*due);
    queue.pending.erase(due);
    lock.unlock();

    ++delivery.attempts;
    std::string error;
    try {
      queue.handler(delivery.event);
    } catch (const std::exception& e) {
      error = e.what();
      if (error.empty()) error = "exception";
    } catch (...) {
      error = "unknown exception";
    }

    lock.lock();
    if (error.empty()) {
      finished_one();
    } else if (delivery.attempts >= options_.max_attempts) {
      spdlog::error("event bus: {} gave up on {} {} after {} attempts: {}", queue.name,
                    delivery.event.type, delivery.event.id, delivery.attempts, error);
      {
        std::lock_guard dead(dead_mutex_);
        dead_letters_.push_back({queue.name, delivery.event, error, delivery.attempts});
      }
      finished_one();
    } else {
      spdlog::warn("event bus: {} failed on {} {} (attempt {}): {}", queue.name,
                   delivery.event.type, delivery.event.id, delivery.attempts, error);
      delivery.not_before = std::chrono::steady_clock::now() + retry_delay(delivery.attempts);
      queue.pending.push_back(std::move(delivery));
    }
  }
}

std::vector<DeadLetter> InProcessEventBus::dead_letters() const {
  std::lock_guard lock(dead_mutex_);
  return dead_letters_;
}

bool InProcessEventBus::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(idle_mutex_);
  return idle_.wait_for(lock, timeout, [&] { return in_flight_ == 0; });
}

}  // namespace cp::events
