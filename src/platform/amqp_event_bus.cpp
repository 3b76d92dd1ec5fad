#include "platform/amqp_event_bus.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace cp::events {
namespace {

amqp::ConnectionOptions connection_options(const AmqpEventBusOptions& o) {
  amqp::ConnectionOptions c;
  c.url = o.url;
  c.timeout = o.timeout;
  return c;
}

std::string retry_queue(const std::string& q) {
  return q + ".retry";
}
std::string dead_queue(const std::string& q) {
  return q + ".dead";
}

}  // namespace

AmqpEventBus::AmqpEventBus(AmqpEventBusOptions options) : options_(std::move(options)) {
  publisher_ = std::make_unique<amqp::Connection>(connection_options(options_));
  publisher_->declare_topic_exchange(options_.exchange);
  publisher_->enable_confirms();
}

AmqpEventBus::~AmqpEventBus() {
  stopping_ = true;
  std::lock_guard lock(consumers_mutex_);
  for (auto& [name, consumer] : consumers_) {
    if (consumer->thread.joinable()) consumer->thread.join();
  }
}

template <class F>
void AmqpEventBus::with_publisher(F&& f) {
  std::lock_guard lock(publisher_mutex_);
  for (int attempt = 0;; ++attempt) {
    try {
      if (!publisher_) {
        publisher_ = std::make_unique<amqp::Connection>(connection_options(options_));
        publisher_->enable_confirms();
      }
      f(*publisher_);
      return;
    } catch (const amqp::AmqpError& e) {
      // The connection (or at least its channel) is unusable after any AMQP error.
      publisher_.reset();
      if (attempt >= 1) throw;
      spdlog::warn("event bus: publisher connection failed ({}); reconnecting", e.what());
    }
  }
}

void AmqpEventBus::publish(const CloudEvent& event) {
  amqp::Message m;
  m.body = to_json_string(event);
  m.message_id = event.id;
  m.type = event.type;
  with_publisher([&](amqp::Connection& c) { c.publish(options_.exchange, event.type, m); });
}

size_t AmqpEventBus::publish_batch(const std::vector<CloudEvent>& events, std::string& error) {
  std::vector<amqp::Message> messages(events.size());
  std::vector<std::string> keys(events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    messages[i].body = to_json_string(events[i]);
    messages[i].message_id = events[i].id;
    messages[i].type = keys[i] = events[i].type;
  }
  try {
    with_publisher([&](amqp::Connection& c) { c.publish_all(options_.exchange, messages, keys); });
  } catch (const std::exception& e) {
    error = e.what();
    return 0;
  }
  return events.size();
}

void AmqpEventBus::subscribe(const std::string& queue, std::vector<std::string> binding_keys,
                             Handler handler) {
  add_subscription(queue, std::move(binding_keys), std::move(handler), false);
}

void AmqpEventBus::subscribe_per_process(const std::string& queue,
                                         std::vector<std::string> binding_keys, Handler handler) {
  add_subscription(queue, std::move(binding_keys), std::move(handler), true);
}

void AmqpEventBus::add_subscription(const std::string& queue, std::vector<std::string> binding_keys,
                                    Handler handler, bool per_process) {
  if (queue.empty() || binding_keys.empty() || !handler) {
    throw std::invalid_argument("subscribe: queue, binding keys and handler are required");
  }
  std::lock_guard lock(consumers_mutex_);
  if (consumers_.count(queue)) {
    throw std::logic_error("event bus: queue " + queue + " already has a subscriber");
  }
  auto consumer = std::make_unique<Consumer>();
  consumer->queue = queue;
  consumer->bindings = std::move(binding_keys);
  consumer->per_process = per_process;
  with_publisher([&](amqp::Connection& c) { declare(c, *consumer); });
  consumer->handler = std::move(handler);
  Consumer& ref = *consumer;
  consumers_.emplace(queue, std::move(consumer));
  ref.thread = std::thread([this, &ref] { run_consumer(ref); });
}

void AmqpEventBus::declare(amqp::Connection& c, const Consumer& consumer) {
  amqp::QueueOptions main, parked;  // parked: .retry and .dead, which nobody consumes
  if (consumer.per_process) {
    main.durable = parked.durable = false;
    main.auto_delete = true;
    main.expires = parked.expires = std::chrono::minutes(1);
  }
  c.declare_queue(dead_queue(consumer.queue), parked);
  parked.dead_letter_queue = consumer.queue;  // expired retries go back to the queue
  c.declare_queue(retry_queue(consumer.queue), parked);
  c.declare_queue(consumer.queue, main);
  for (const auto& key : consumer.bindings) c.bind(consumer.queue, options_.exchange, key);
}

std::chrono::milliseconds AmqpEventBus::retry_delay(int attempts) const {
  auto delay = options_.first_retry_delay * (int64_t{1} << std::min(attempts - 1, 20));
  return std::min(delay, options_.max_retry_delay);
}

void AmqpEventBus::run_consumer(Consumer& consumer) {
  auto delay = options_.reconnect_delay;
  while (!stopping_) {
    try {
      amqp::Connection conn(connection_options(options_));
      // Again on every (re)connect: a per-process queue went with its last consumer, and a
      // restarted broker may have lost non-durable ones.
      declare(conn, consumer);
      conn.consume(consumer.queue, options_.prefetch);
      delay = options_.reconnect_delay;
      while (!stopping_) {
        if (auto delivery = conn.next(std::chrono::milliseconds(200))) {
          handle(consumer, conn, *delivery);
        }
      }
      return;  // closing the connection returns unacked deliveries to the queue
    } catch (const std::exception& e) {
      spdlog::warn("event bus: consumer {} lost its connection ({}); retrying in {} ms",
                   consumer.queue, e.what(), delay.count());
    }
    auto until = std::chrono::steady_clock::now() + delay;
    while (!stopping_ && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    delay = std::min(delay * 2, std::chrono::milliseconds(30'000));
  }
}

void AmqpEventBus::handle(Consumer& consumer, amqp::Connection& conn,
                          const amqp::Delivery& delivery) {
  const amqp::Message& in = delivery.message;
  std::string error;
  bool poison = false;
  CloudEvent event;
  try {
    event = event_from_json_string(in.body);
  } catch (const std::exception& e) {
    error = e.what();
    poison = true;  // not a CloudEvent: retrying cannot help
  }
  try {
    if (!poison) consumer.handler(event);
  } catch (const std::exception& e) {
    error = e.what()[0] ? e.what() : "exception";
  } catch (...) {
    error = "unknown exception";
  }
  if (error.empty()) {
    conn.ack(delivery.delivery_tag);
    return;
  }
  amqp::Message out = in;
  out.attempts = in.attempts + 1;
  out.error = error;
  const bool give_up = poison || out.attempts >= options_.max_attempts;
  if (give_up) {
    spdlog::error("event bus: {} gave up on {} {} after {} attempts: {}", consumer.queue, in.type,
                  in.message_id, out.attempts, error);
  } else {
    spdlog::warn("event bus: {} failed on {} {} (attempt {}): {}", consumer.queue, in.type,
                 in.message_id, out.attempts, error);
    out.expiration_ms = retry_delay(out.attempts).count();
  }
  try {
    // Confirmed before the ack: a crash in between redelivers, it never loses the event.
    with_publisher([&](amqp::Connection& c) {
      c.publish("", give_up ? dead_queue(consumer.queue) : retry_queue(consumer.queue), out);
    });
  } catch (const std::exception& e) {
    spdlog::warn("event bus: {} could not park {} for retry ({}); requeued", consumer.queue,
                 in.message_id, e.what());
    conn.reject(delivery.delivery_tag, true);
    std::this_thread::sleep_for(options_.first_retry_delay);
    return;
  }
  conn.ack(delivery.delivery_tag);
}

std::vector<DeadLetter> AmqpEventBus::take_dead_letters(const std::string& queue, size_t max) {
  std::vector<DeadLetter> out;
  with_publisher([&](amqp::Connection& c) {
    while (out.size() < max) {
      auto m = c.get(dead_queue(queue));
      if (!m) break;
      DeadLetter d;
      d.queue = queue;
      d.error = m->error;
      d.attempts = m->attempts;
      try {
        d.event = event_from_json_string(m->body);
      } catch (const std::exception&) {
        d.event.id = m->message_id;  // a poison message: keep what we know
        d.event.type = m->type;
      }
      out.push_back(std::move(d));
    }
  });
  return out;
}

void AmqpEventBus::delete_queues(const std::string& queue) {
  with_publisher([&](amqp::Connection& c) {
    c.delete_queue(queue);
    c.delete_queue(retry_queue(queue));
    c.delete_queue(dead_queue(queue));
  });
}

bool AmqpEventBus::ping() {
  try {
    // A real round trip (an idempotent declare), not just "a connection object exists".
    with_publisher([&](amqp::Connection& c) { c.declare_topic_exchange(options_.exchange); });
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace cp::events
