#pragma once
// The request pipeline of one process: middleware in order, then the route table(s).
// A middleware is `Response(RequestContext&, Next)`: it may answer itself, or call next and
// post-process (Drogon's `co_await next(req)` pattern, synchronous because handlers run on the
// worker pool). Built-ins: request id, access log + metrics, CORS, error mapping.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/http_types.h"
#include "core/router.h"

namespace cp::http {

class WsConnection;
struct WsHandler;

using Next = std::function<Response(RequestContext&)>;
using Middleware = std::function<Response(RequestContext&, const Next&)>;

class Pipeline {
 public:
  explicit Pipeline(std::string service_name) : service_(std::move(service_name)) {}
  void use(Middleware m) { middleware_.push_back(std::move(m)); }
  // The innermost handler (usually routes + fallbacks). Set once.
  void set_handler(Next handler) { handler_ = std::move(handler); }
  // Runs the whole chain. Never throws: errors become problem+json responses.
  Response handle(RequestContext& ctx) const;
  const std::string& service() const { return service_; }

 private:
  Response run(size_t i, RequestContext& ctx) const;
  std::string service_;
  std::vector<Middleware> middleware_;
  Next handler_;
};

// Route dispatch over one router: 404/405 problems, metrics route label set on the context.
Next route_handler(std::shared_ptr<const Router> router);

// Built-in middleware.
Middleware request_id_middleware();  // X-Request-ID accepted/generated, echoed; traceparent
Middleware access_log_middleware(std::string service);  // JSON access log + Prometheus metrics
Middleware cors_middleware(std::vector<std::string> allowed_origins);  // "*" allows any
Middleware error_middleware();  // ApiError/exception → problem+json

}  // namespace cp::http
