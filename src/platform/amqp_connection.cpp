#include "platform/amqp_connection.h"

#include <amqp.h>
#include <amqp_tcp_socket.h>

#include <algorithm>
#include <cstring>

namespace cp::amqp {
namespace {

constexpr amqp_channel_t kChannel = 1;

timeval to_timeval(std::chrono::milliseconds ms) {
  if (ms.count() < 0) ms = std::chrono::milliseconds(0);
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

amqp_bytes_t bytes(const std::string& s) {
  return amqp_bytes_t{s.size(), const_cast<char*>(s.data())};
}

std::string str(amqp_bytes_t b) {
  return std::string(static_cast<const char*>(b.bytes), b.len);
}

std::optional<int64_t> as_integer(const amqp_field_value_t& v) {
  switch (v.kind) {
    case AMQP_FIELD_KIND_I8:
      return v.value.i8;
    case AMQP_FIELD_KIND_U8:
      return v.value.u8;
    case AMQP_FIELD_KIND_I16:
      return v.value.i16;
    case AMQP_FIELD_KIND_U16:
      return v.value.u16;
    case AMQP_FIELD_KIND_I32:
      return v.value.i32;
    case AMQP_FIELD_KIND_U32:
      return v.value.u32;
    case AMQP_FIELD_KIND_I64:
      return v.value.i64;
    default:
      return std::nullopt;
  }
}

Message from_amqp(const amqp_basic_properties_t& p, amqp_bytes_t body) {
  Message m;
  m.body = str(body);
  if (p._flags & AMQP_BASIC_MESSAGE_ID_FLAG) m.message_id = str(p.message_id);
  if (p._flags & AMQP_BASIC_TYPE_FLAG) m.type = str(p.type);
  if (p._flags & AMQP_BASIC_HEADERS_FLAG) {
    for (int i = 0; i < p.headers.num_entries; ++i) {
      const auto& e = p.headers.entries[i];
      std::string key = str(e.key);
      if (key == "x-cp-attempts") {
        if (auto n = as_integer(e.value)) m.attempts = static_cast<int32_t>(*n);
      } else if (key == "x-cp-error" &&
                 (e.value.kind == AMQP_FIELD_KIND_UTF8 || e.value.kind == AMQP_FIELD_KIND_BYTES)) {
        m.error = str(e.value.value.bytes);
      }
    }
  }
  return m;
}

}  // namespace

Connection::Connection(const ConnectionOptions& options) : timeout_(options.timeout) {
  std::string url = options.url;  // amqp_parse_url writes into its argument
  amqp_connection_info info{};
  if (amqp_parse_url(url.data(), &info) != AMQP_STATUS_OK) {
    throw std::invalid_argument("amqp.url must look like amqp://user:password@host:port/vhost");
  }
  conn_ = amqp_new_connection();
  amqp_socket_t* socket = amqp_tcp_socket_new(conn_);
  if (!socket) {
    amqp_destroy_connection(conn_);
    throw AmqpError("amqp: cannot create a socket");
  }
  timeval tv = to_timeval(timeout_);
  amqp_set_handshake_timeout(conn_, &tv);
  amqp_set_rpc_timeout(conn_, &tv);
  int status = amqp_socket_open_noblock(socket, info.host, info.port, &tv);
  if (status != AMQP_STATUS_OK) {
    amqp_destroy_connection(conn_);
    throw AmqpError(std::string("amqp: connecting to ") + info.host + ":" +
                    std::to_string(info.port) + ": " + amqp_error_string2(status));
  }
  auto login = amqp_login(conn_, info.vhost, 0, 131072, options.heartbeat_seconds,
                          AMQP_SASL_METHOD_PLAIN, info.user, info.password);
  if (login.reply_type != AMQP_RESPONSE_NORMAL) {
    amqp_destroy_connection(conn_);
    throw AmqpError("amqp: login refused (user, password or vhost)");
  }
  amqp_channel_open(conn_, kChannel);
  try {
    check_rpc("channel.open");
  } catch (...) {
    amqp_destroy_connection(conn_);
    throw;
  }
}

Connection::~Connection() {
  // A clean close when the connection is healthy; after an error (closed channel, dead socket)
  // just drop the socket: a close handshake could only wait for the RPC timeout. Either way
  // the broker requeues unacked deliveries.
  if (!broken_) {
    amqp_channel_close(conn_, kChannel, AMQP_REPLY_SUCCESS);
    amqp_connection_close(conn_, AMQP_REPLY_SUCCESS);
  }
  amqp_destroy_connection(conn_);
}

void Connection::fail(const std::string& what) {
  broken_ = true;
  throw AmqpError(what);
}

void Connection::check_status(int status, const char* what) {
  if (status != AMQP_STATUS_OK) {
    fail(std::string("amqp: ") + what + ": " + amqp_error_string2(status));
  }
}

void Connection::check_rpc(const char* what) {
  amqp_rpc_reply_t r = amqp_get_rpc_reply(conn_);
  switch (r.reply_type) {
    case AMQP_RESPONSE_NORMAL:
      return;
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
      fail(std::string("amqp: ") + what + ": " + amqp_error_string2(r.library_error));
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      if (r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
        auto* m = static_cast<amqp_channel_close_t*>(r.reply.decoded);
        fail(std::string("amqp: ") + what + ": channel closed: " + str(m->reply_text));
      }
      if (r.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
        auto* m = static_cast<amqp_connection_close_t*>(r.reply.decoded);
        fail(std::string("amqp: ") + what + ": connection closed: " + str(m->reply_text));
      }
      fail(std::string("amqp: ") + what + ": server exception");
    default:
      fail(std::string("amqp: ") + what + ": no reply");
  }
}

void Connection::declare_topic_exchange(const std::string& name) {
  amqp_exchange_declare(conn_, kChannel, bytes(name), amqp_cstring_bytes("topic"), 0, 1, 0, 0,
                        amqp_empty_table);
  check_rpc("exchange.declare");
}

void Connection::declare_queue(const std::string& name, const QueueOptions& options) {
  amqp_table_entry_t entries[3];
  int n = 0;
  if (options.dead_letter_queue) {
    entries[n].key = amqp_cstring_bytes("x-dead-letter-exchange");
    entries[n].value.kind = AMQP_FIELD_KIND_UTF8;
    entries[n++].value.value.bytes = amqp_cstring_bytes("");
    entries[n].key = amqp_cstring_bytes("x-dead-letter-routing-key");
    entries[n].value.kind = AMQP_FIELD_KIND_UTF8;
    entries[n++].value.value.bytes = bytes(*options.dead_letter_queue);
  }
  if (options.expires) {
    entries[n].key = amqp_cstring_bytes("x-expires");
    entries[n].value.kind = AMQP_FIELD_KIND_I64;
    entries[n++].value.value.i64 = options.expires->count();
  }
  amqp_table_t args = amqp_empty_table;
  args.num_entries = n;
  args.entries = n ? entries : nullptr;
  amqp_queue_declare(conn_, kChannel, bytes(name), 0, options.durable ? 1 : 0, 0,
                     options.auto_delete ? 1 : 0, args);
  check_rpc("queue.declare");
}

void Connection::bind(const std::string& queue, const std::string& exchange,
                      const std::string& key) {
  amqp_queue_bind(conn_, kChannel, bytes(queue), bytes(exchange), bytes(key), amqp_empty_table);
  check_rpc("queue.bind");
}

void Connection::delete_queue(const std::string& name) {
  amqp_queue_delete(conn_, kChannel, bytes(name), 0, 0);
  check_rpc("queue.delete");
}

void Connection::delete_exchange(const std::string& name) {
  amqp_exchange_delete(conn_, kChannel, bytes(name), 0);
  check_rpc("exchange.delete");
}

void Connection::enable_confirms() {
  amqp_confirm_select(conn_, kChannel);
  check_rpc("confirm.select");
  confirms_ = true;
}

void Connection::publish(const std::string& exchange, const std::string& routing_key,
                         const Message& m) {
  send(exchange, routing_key, m);
  if (confirms_) wait_confirmed(next_publish_tag_ - 1, next_publish_tag_ - 1);
}

void Connection::publish_all(const std::string& exchange, const std::vector<Message>& messages,
                             const std::vector<std::string>& routing_keys) {
  const uint64_t first = next_publish_tag_;
  for (size_t i = 0; i < messages.size(); ++i) send(exchange, routing_keys[i], messages[i]);
  if (confirms_ && !messages.empty()) wait_confirmed(first, next_publish_tag_ - 1);
}

void Connection::send(const std::string& exchange, const std::string& routing_key,
                      const Message& m) {
  amqp_basic_properties_t props{};
  props._flags =
      AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_HEADERS_FLAG;
  props.content_type = amqp_cstring_bytes("application/cloudevents+json");
  props.delivery_mode = AMQP_DELIVERY_PERSISTENT;
  if (!m.message_id.empty()) {
    props._flags |= AMQP_BASIC_MESSAGE_ID_FLAG;
    props.message_id = bytes(m.message_id);
  }
  if (!m.type.empty()) {
    props._flags |= AMQP_BASIC_TYPE_FLAG;
    props.type = bytes(m.type);
  }
  std::string expiration = m.expiration_ms ? std::to_string(*m.expiration_ms) : "";
  if (m.expiration_ms) {
    props._flags |= AMQP_BASIC_EXPIRATION_FLAG;
    props.expiration = bytes(expiration);
  }
  amqp_table_entry_t headers[2];
  headers[0].key = amqp_cstring_bytes("x-cp-attempts");
  headers[0].value.kind = AMQP_FIELD_KIND_I32;
  headers[0].value.value.i32 = m.attempts;
  headers[1].key = amqp_cstring_bytes("x-cp-error");
  headers[1].value.kind = AMQP_FIELD_KIND_UTF8;
  headers[1].value.value.bytes = bytes(m.error);
  props.headers.num_entries = m.error.empty() ? 1 : 2;
  props.headers.entries = headers;

  check_status(amqp_basic_publish(conn_, kChannel, bytes(exchange), bytes(routing_key), 0, 0,
                                  &props, bytes(m.body)),
               "basic.publish");
  if (confirms_) ++next_publish_tag_;
}

void Connection::wait_confirmed(uint64_t first, uint64_t last) {
  // RabbitMQ usually confirms in publish order but does not promise it: count every tag.
  std::vector<bool> acked(last - first + 1, false);
  size_t missing = acked.size();
  auto mark = [&](uint64_t tag) {
    if (tag >= first && tag <= last && !acked[tag - first]) {
      acked[tag - first] = true;
      --missing;
    }
  };
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    timeval tv = to_timeval(left);
    amqp_frame_t frame;
    int status = amqp_simple_wait_frame_noblock(conn_, &frame, &tv);
    if (status == AMQP_STATUS_TIMEOUT) fail("amqp: no publisher confirm in time");
    check_status(status, "waiting for a publisher confirm");
    if (frame.frame_type != AMQP_FRAME_METHOD || frame.channel != kChannel) continue;
    switch (frame.payload.method.id) {
      case AMQP_BASIC_ACK_METHOD: {
        auto* ack = static_cast<amqp_basic_ack_t*>(frame.payload.method.decoded);
        if (ack->multiple) {
          for (uint64_t t = first; t <= std::min(ack->delivery_tag, last); ++t) mark(t);
        } else {
          mark(ack->delivery_tag);
        }
        if (missing == 0) return;
        break;
      }
      case AMQP_BASIC_NACK_METHOD:
        fail("amqp: the broker refused the message (nack)");
      case AMQP_CHANNEL_CLOSE_METHOD: {
        auto* m2 = static_cast<amqp_channel_close_t*>(frame.payload.method.decoded);
        fail("amqp: channel closed: " + str(m2->reply_text));
      }
      case AMQP_CONNECTION_CLOSE_METHOD: {
        auto* m2 = static_cast<amqp_connection_close_t*>(frame.payload.method.decoded);
        fail("amqp: connection closed: " + str(m2->reply_text));
      }
      default:
        break;
    }
  }
}

void Connection::consume(const std::string& queue, uint16_t prefetch) {
  amqp_basic_qos(conn_, kChannel, 0, prefetch, 0);
  check_rpc("basic.qos");
  amqp_basic_consume(conn_, kChannel, bytes(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
  check_rpc("basic.consume");
}

std::optional<Delivery> Connection::next(std::chrono::milliseconds wait) {
  amqp_maybe_release_buffers(conn_);
  amqp_envelope_t envelope;
  timeval tv = to_timeval(wait);
  amqp_rpc_reply_t r = amqp_consume_message(conn_, &envelope, &tv, 0);
  if (r.reply_type == AMQP_RESPONSE_NORMAL) {
    Delivery d;
    d.message = from_amqp(envelope.message.properties, envelope.message.body);
    d.message.routing_key = str(envelope.routing_key);
    d.delivery_tag = envelope.delivery_tag;
    d.redelivered = envelope.redelivered != 0;
    amqp_destroy_envelope(&envelope);
    return d;
  }
  if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && r.library_error == AMQP_STATUS_TIMEOUT) {
    return std::nullopt;
  }
  if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
      r.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
    // Something other than a delivery: the broker closing the channel or connection, or
    // cancelling the consumer (queue deleted). All end this connection's use.
    amqp_frame_t frame;
    if (amqp_simple_wait_frame(conn_, &frame) == AMQP_STATUS_OK &&
        frame.frame_type == AMQP_FRAME_METHOD) {
      fail(std::string("amqp: consumer stopped by the broker: ") +
           amqp_method_name(frame.payload.method.id));
    }
  }
  fail(std::string("amqp: consuming: ") + (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION
                                               ? amqp_error_string2(r.library_error)
                                               : "server exception"));
}

void Connection::ack(uint64_t delivery_tag) {
  check_status(amqp_basic_ack(conn_, kChannel, delivery_tag, 0), "basic.ack");
}

void Connection::reject(uint64_t delivery_tag, bool requeue) {
  check_status(amqp_basic_reject(conn_, kChannel, delivery_tag, requeue ? 1 : 0), "basic.reject");
}

std::optional<Message> Connection::get(const std::string& queue) {
  amqp_rpc_reply_t r = amqp_basic_get(conn_, kChannel, bytes(queue), 1);
  if (r.reply_type != AMQP_RESPONSE_NORMAL) check_rpc("basic.get");
  if (r.reply.id == AMQP_BASIC_GET_EMPTY_METHOD) return std::nullopt;
  amqp_message_t message;
  amqp_rpc_reply_t read = amqp_read_message(conn_, kChannel, &message, 0);
  if (read.reply_type != AMQP_RESPONSE_NORMAL) fail("amqp: reading a basic.get reply");
  Message m = from_amqp(message.properties, message.body);
  amqp_destroy_message(&message);
  return m;
}

}  // namespace cp::amqp
