#pragma once
// Server side of one WebSocket connection: a read loop in the session's coroutine and a write
// queue drained on the connection's strand (the socket's executor), so send_text() is safe from
// any thread. Messages are written in the order sent; close() sends the close frame after the
// messages queued before it.
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <deque>
#include <memory>
#include <mutex>

#include "core/websocket.h"

namespace cp::http {

class WsConnectionImpl : public WsConnection,
                         public std::enable_shared_from_this<WsConnectionImpl> {
 public:
  explicit WsConnectionImpl(boost::beast::tcp_stream stream);
  boost::asio::awaitable<void> run(Request req, std::shared_ptr<WsHandler> handler);
  bool send_text(std::string message) override { return enqueue(std::move(message), false); }
  bool send_binary(std::string message) override { return enqueue(std::move(message), true); }
  void close() override;
  Backlog backlog() const override { return {queued_messages_.load(), queued_bytes_.load()}; }

 private:
  void unqueue(size_t bytes);  // one message written or dropped
  bool enqueue(std::string message, bool binary);
  void write_next();   // on the strand
  void start_close();  // on the strand, once the queue has drained
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  std::deque<std::pair<std::string, bool>> queue_;  // strand only
  bool writing_ = false;                            // strand only
  bool open_ = false;                               // strand only: handshake done
  bool close_requested_ = false;                    // strand only
  bool close_started_ = false;                      // strand only
  std::atomic<bool> accepting_{true};  // false once close() was called or the connection ended
  std::atomic<bool> dead_{false};      // the connection can no longer carry frames
  std::atomic<size_t> queued_messages_{0}, queued_bytes_{0};  // see backlog()
  static constexpr size_t kMaxQueued = 1024;  // a client that cannot keep up is disconnected
};

}  // namespace cp::http
