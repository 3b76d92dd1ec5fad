#include "core/websocket.h"

#include <boost/beast/websocket.hpp>

namespace cp::http {

bool is_websocket_upgrade(const Request& req) {
  return boost::beast::websocket::is_upgrade(req);
}

Response accept_websocket(RequestContext& ctx, std::shared_ptr<WsHandler> handler) {
  if (!is_websocket_upgrade(ctx.request)) {
    throw ApiError(Status::upgrade_required, "upgrade_required",
                   "this endpoint speaks WebSocket only");
  }
  ctx.websocket = std::move(handler);
  Response res{Status::switching_protocols, 11};
  return res;
}

std::shared_ptr<WsHandler> take_websocket_handler(const RequestContext& ctx) {
  return std::move(ctx.websocket);
}

}  // namespace cp::http
