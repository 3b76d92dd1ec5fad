// One AMQP 0-9-1 connection (rabbitmq-c) with one channel, as the RabbitMQ event bus uses it:
// declare topology, publish with publisher confirms, consume with manual acks. Not thread-safe:
// each user owns one (a consumer thread) or guards it with a mutex (the publisher).
// Every failure throws AmqpError; the connection is then unusable and is thrown away.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

struct amqp_connection_state_t_;

namespace cp::amqp {

class AmqpError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ConnectionOptions {
  std::string url;  // amqp://user:password@host:port/vhost (vhost %2f = "/")
  std::chrono::milliseconds timeout{5000};  // connect, login, RPCs and confirm waits
  int heartbeat_seconds = 30;
};

struct Message {
  std::string body;
  std::string routing_key;
  std::string message_id;
  std::string type;
  int32_t attempts = 0;                  // header x-cp-attempts: failed handler runs so far
  std::string error;                     // header x-cp-error: what the last run threw
  std::optional<int64_t> expiration_ms;  // per-message TTL (retry queues)
};

struct Delivery {
  Message message;
  uint64_t delivery_tag = 0;
  bool redelivered = false;  // the broker delivered it before and got no ack (consumer died)
};

struct QueueOptions {
  bool durable = true;
  bool auto_delete = false;                          // deleted when its last consumer goes
  std::optional<std::chrono::milliseconds> expires;  // x-expires: deleted after so long unused
  std::optional<std::string> dead_letter_queue;      // x-dead-letter-*: via the default exchange
};

class Connection {
 public:
  explicit Connection(const ConnectionOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void declare_topic_exchange(const std::string& name);
  void declare_queue(const std::string& name, const QueueOptions& options = {});
  void bind(const std::string& queue, const std::string& exchange, const std::string& key);
  void delete_queue(const std::string& name);
  void delete_exchange(const std::string& name);

  // Puts the channel in confirm mode; publish() then waits for the broker's ack.
  void enable_confirms();
  // Persistent message. With confirms on, returns only after the broker took responsibility
  // (written to the queues' storage); throws on nack, timeout or a dead connection.
  void publish(const std::string& exchange, const std::string& routing_key, const Message& m);
  // Sends all, then waits once until the broker confirmed every one (pipelined: one round
  // trip per batch instead of per message). Throws like publish(); then none counts as sent.
  void publish_all(const std::string& exchange, const std::vector<Message>& messages,
                   const std::vector<std::string>& routing_keys);

  void consume(const std::string& queue, uint16_t prefetch);
  // The next delivery, or nullopt when none came within `wait`.
  std::optional<Delivery> next(std::chrono::milliseconds wait);
  void ack(uint64_t delivery_tag);
  void reject(uint64_t delivery_tag, bool requeue);
  // basic.get with ack: one message from a queue or nullopt when empty.
  std::optional<Message> get(const std::string& queue);

 private:
  void check_rpc(const char* what);
  void check_status(int status, const char* what);
  [[noreturn]] void fail(const std::string& what);  // marks the connection broken, throws
  void send(const std::string& exchange, const std::string& routing_key, const Message& m);
  void wait_confirmed(uint64_t first, uint64_t last);  // until every tag in [first, last] is acked

  amqp_connection_state_t_* conn_ = nullptr;
  std::chrono::milliseconds timeout_;
  bool confirms_ = false;
  bool broken_ = false;
  uint64_t next_publish_tag_ = 1;
};

}  // namespace cp::amqp
