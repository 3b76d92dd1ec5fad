// The event bus: topic publish/subscribe in the AMQP model, so the in-process bus and the
// RabbitMQ bus (topic exchange "cloudphone.events") are interchangeable.
//  - publish: routing key = event type ("device.created").
//  - subscribe: a durable queue named after the consumer ("billing.metering"), bound with
//    topic patterns: '*' matches exactly one word, '#' zero or more words.
//  - Delivery is at least once: a handler that throws gets the event again later; handlers
//    must be idempotent (see consume_once in outbox.h).
#pragma once

#include <functional>
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
  virtual void subscribe(const std::string& queue, std::vector<std::string> binding_keys,
                         Handler handler) = 0;
};

// AMQP topic matching: words separated by '.', '*' = one word, '#' = zero or more words.
bool topic_matches(std::string_view pattern, std::string_view routing_key);

}  // namespace cp::events
