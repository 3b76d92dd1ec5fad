// The event bus of `cloudphone serve` (config amqp.url): RabbitMQ, topic exchange
// "cloudphone.events", routing key = event type. Per subscription (consumer group):
//   <queue>        durable, bound with the binding keys; instances of the same consumer in
//                  several processes share it (competing consumers)
//   <queue>.retry  failed deliveries wait here (per-message TTL = backoff), then the broker
//                  dead-letters them back into <queue>
//   <queue>.dead   deliveries that failed max_attempts times, with the last error
// Messages are persistent; publish() returns after the publisher confirm, so the outbox relay
// marks a row published only once RabbitMQ has it. Consumers ack manually after the handler
// returned: a consumer that dies before acking gets its deliveries redelivered (at least
// once), so handlers stay idempotent with consume_once.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "platform/amqp_connection.h"
#include "platform/event_bus.h"
#include "platform/in_process_event_bus.h"  // DeadLetter

namespace cp::events {

struct AmqpEventBusOptions {
  std::string url;                             // amqp.url
  std::string exchange = "cloudphone.events";  // amqp.exchange
  int max_attempts = 5;                        // amqp.max_attempts
  std::chrono::milliseconds first_retry_delay{200};
  std::chrono::milliseconds max_retry_delay{30'000};
  uint16_t prefetch = 20;                          // amqp.prefetch: unacked deliveries per consumer
  std::chrono::milliseconds timeout{5000};         // connect, RPCs, publisher confirms
  std::chrono::milliseconds reconnect_delay{500};  // doubling to 30 s while the broker is away
};

class AmqpEventBus final : public EventBus {
 public:
  explicit AmqpEventBus(AmqpEventBusOptions options);  // connects; throws when it cannot
  ~AmqpEventBus() override;  // stops consumers; unacked deliveries return to their queues

  // Persistent, confirmed. Throws AmqpError when the broker did not confirm (the relay retries).
  void publish(const CloudEvent& event) override;
  // Pipelined: all sent, then one wait for their confirms. All or nothing: on any failure
  // returns 0, and the caller publishes them again later (consumers deduplicate).
  size_t publish_batch(const std::vector<CloudEvent>& events, std::string& error) override;
  // Declares the queues and bindings before returning (events published afterwards reach the
  // queue even if the consumer thread is not connected yet), then consumes on its own
  // connection and thread. One subscription per queue name in a process.
  void subscribe(const std::string& queue, std::vector<std::string> binding_keys,
                 Handler handler) override;
  // Non-durable, auto-deleted when its consumer goes, and expiring after a minute unused (a
  // process that died before consuming). Retries and dead letters work as for subscribe().
  void subscribe_per_process(const std::string& queue, std::vector<std::string> binding_keys,
                             Handler handler) override;

  // Takes (removes) up to `max` dead letters of a queue: operators' and tests' view.
  std::vector<DeadLetter> take_dead_letters(const std::string& queue, size_t max = 1000);
  // Removes a subscription's three queues (tests, decommissioned consumers).
  void delete_queues(const std::string& queue);
  bool ping();

 private:
  struct Consumer {
    std::string queue;
    std::vector<std::string> bindings;
    bool per_process = false;
    Handler handler;
    std::thread thread;
  };

  // Runs `f` on the shared publisher connection, reconnecting once if it was broken.
  template <class F>
  void with_publisher(F&& f);
  void add_subscription(const std::string& queue, std::vector<std::string> binding_keys,
                        Handler handler, bool per_process);
  void declare(amqp::Connection& c, const Consumer& consumer);  // queues and bindings
  void run_consumer(Consumer& consumer);
  void handle(Consumer& consumer, amqp::Connection& conn, const amqp::Delivery& delivery);
  std::chrono::milliseconds retry_delay(int attempts) const;

  AmqpEventBusOptions options_;
  std::mutex publisher_mutex_;
  std::unique_ptr<amqp::Connection> publisher_;
  std::mutex consumers_mutex_;
  std::map<std::string, std::unique_ptr<Consumer>> consumers_;
  std::atomic<bool> stopping_{false};
};

}  // namespace cp::events
