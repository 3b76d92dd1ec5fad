// The event bus: topic publish/subscribe in the AMQP model, so the in-process bus and the
// RabbitMQ bus (topic exchange "cloudphone.events") are interchangeable.
//  - publish: routing key = event type ("device.created").
//  - subscribe: a durable queue named after the consumer ("billing.metering"), bound with
//    topic patterns: '*' matches exactly one word, '#' zero or more words.
//  - Delivery is at least once: a handler that throws gets the event again later; handlers
//    must be idempotent (see consume_once in outbox.h).
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "platform/events.h"

namespace cp::events {

class EventBus {
 public:
  using Handler = std::function<void(const CloudEvent&)>;
  virtual ~EventBus() = default;
  // Throws when the event could not be handed to the bus; the outbox relay then retries.
  virtual void publish(const CloudEvent& event) = 0;
  // Publishes in order; returns how many events from the front the bus has taken, so the
  // caller marks exactly those. Fewer than events.size() means the next one failed (`error`
  // says why). The default publishes one by one; RabbitMQ pipelines the batch and waits for
  // the confirms once.
  virtual size_t publish_batch(const std::vector<CloudEvent>& events, std::string& error) {
    for (size_t i = 0; i < events.size(); ++i) {
      try {
        publish(events[i]);
      } catch (const std::exception& e) {
        error = e.what();
        return i;
      }
    }
    return events.size();
  }
  virtual void subscribe(const std::string& queue, std::vector<std::string> binding_keys,
                         Handler handler) = 0;
  // A subscription of this process alone (e.g. the gateway's live feed, which every replica
  // needs in full): the queue is not shared and disappears with the process instead of
  // collecting events forever. `queue` must be unique to the process. In process it is the
  // same as subscribe().
  virtual void subscribe_per_process(const std::string& queue,
                                     std::vector<std::string> binding_keys, Handler handler) {
    subscribe(queue, std::move(binding_keys), std::move(handler));
  }
};

// AMQP topic matching: words separated by '.', '*' = one word, '#' = zero or more words.
bool topic_matches(std::string_view pattern, std::string_view routing_key);

}  // namespace cp::events
