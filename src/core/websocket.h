#pragma once
// WebSocket endpoints. A route handler that wants a WebSocket returns accept_websocket(ctx, h):
// the middleware chain (auth, rate limit, CORS) has already run, and the server then performs
// the upgrade and drives the connection, calling the handler's callbacks.
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/http_types.h"

namespace cp::http {

class WsConnection {
 public:
  virtual ~WsConnection() = default;
  // Thread-safe; messages are queued and written in order. False once closed.
  virtual bool send_text(std::string message) = 0;
  virtual bool send_binary(std::string message) = 0;
  virtual void close() = 0;
  // What was sent but is not yet written to the socket (queued or being written). A producer
  // that outpaces a slow reader sees it grow and can drop or thin what it sends (the connection
  // itself disconnects a client only at a hard limit). Thread-safe; approximate under races.
  struct Backlog {
    size_t messages = 0;
    size_t bytes = 0;
  };
  virtual Backlog backlog() const { return {}; }
};

struct WsHandler {
  std::function<void(const std::shared_ptr<WsConnection>&)> on_open;
  std::function<void(const std::shared_ptr<WsConnection>&, std::string_view, bool binary)>
      on_message;
  std::function<void()> on_close;
};

// Marks the response as an accepted upgrade carrying the handler.
Response accept_websocket(RequestContext& ctx, std::shared_ptr<WsHandler> handler);
// The handler attached by accept_websocket, if any (consumed by the server).
std::shared_ptr<WsHandler> take_websocket_handler(const RequestContext& ctx);
bool is_websocket_upgrade(const Request& req);

}  // namespace cp::http
