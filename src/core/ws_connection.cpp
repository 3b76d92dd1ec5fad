#include "core/ws_connection.h"

#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>

namespace cp::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

WsConnectionImpl::WsConnectionImpl(beast::tcp_stream stream) : ws_(std::move(stream)) {}

asio::awaitable<void> WsConnectionImpl::run(Request req, std::shared_ptr<WsHandler> handler) {
  constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);
  auto self = shared_from_this();
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.read_message_max(1 << 20);
  auto [ec] = co_await ws_.async_accept(req, use_tuple);
  if (ec) {
    accepting_ = false;
    dead_ = true;
    co_return;
  }
  open_ = true;
  if (close_requested_) {
    start_close();  // close() arrived during the handshake (server stopping)
  }
  if (handler->on_open) handler->on_open(self);
  beast::flat_buffer buffer;
  for (;;) {
    auto [rec, n] = co_await ws_.async_read(buffer, use_tuple);
    if (rec) break;
    if (handler->on_message) {
      auto data = buffer.data();
      std::string_view text(static_cast<const char*>(data.data()), data.size());
      handler->on_message(self, text, !ws_.got_text());
    }
    buffer.consume(buffer.size());
  }
  accepting_ = false;
  dead_ = true;
  if (handler->on_close) handler->on_close();
}

bool WsConnectionImpl::enqueue(std::string message, bool binary) {
  if (!accepting_) return false;
  queued_messages_ += 1;
  queued_bytes_ += message.size();
  asio::post(ws_.get_executor(),
             [self = shared_from_this(), m = std::move(message), binary]() mutable {
               if (self->dead_ || self->close_started_) {
                 self->unqueue(m.size());
                 return;
               }
               if (self->queue_.size() >= kMaxQueued) {
                 self->accepting_ = false;
                 // The message being written (the front, while writing_) must outlive its write.
                 const size_t keep = self->writing_ ? 1 : 0;
                 while (self->queue_.size() > keep) {
                   self->unqueue(self->queue_.back().first.size());
                   self->queue_.pop_back();
                 }
                 self->unqueue(m.size());
                 self->close_requested_ = true;
                 if (!self->writing_) self->start_close();
                 return;
               }
               self->queue_.emplace_back(std::move(m), binary);
               if (!self->writing_) self->write_next();
             });
  return true;
}

void WsConnectionImpl::unqueue(size_t bytes) {
  queued_messages_ -= 1;
  queued_bytes_ -= bytes;
}

void WsConnectionImpl::write_next() {
  if (queue_.empty() || dead_) {
    for (const auto& q : queue_) unqueue(q.first.size());
    queue_.clear();
    writing_ = false;
    if (close_requested_) start_close();
    return;
  }
  writing_ = true;
  ws_.binary(queue_.front().second);
  ws_.async_write(asio::buffer(queue_.front().first),
                  [self = shared_from_this()](beast::error_code ec, size_t) {
                    self->unqueue(self->queue_.front().first.size());
                    self->queue_.pop_front();
                    if (ec) {
                      self->dead_ = true;
                      self->accepting_ = false;
                      self->writing_ = false;
                      for (const auto& q : self->queue_) self->unqueue(q.first.size());
                      self->queue_.clear();
                      return;
                    }
                    self->write_next();
                  });
}

void WsConnectionImpl::start_close() {
  if (!open_ || close_started_ || dead_) return;
  close_started_ = true;
  ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](beast::error_code) {});
}

void WsConnectionImpl::close() {
  accepting_ = false;
  asio::post(ws_.get_executor(), [self = shared_from_this()] {
    self->close_requested_ = true;
    if (!self->writing_) self->start_close();
  });
}

}  // namespace cp::http
