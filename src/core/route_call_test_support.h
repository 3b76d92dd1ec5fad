#pragma once
// Test-only: a Router called as a service's pipeline calls it once the gateway has authenticated
// the request — match, dispatch (access, validation, handler, response check), and an ApiError
// turned into its problem+json answer. Route tests of every service build on this.
#include <boost/json.hpp>
#include <memory>
#include <optional>

#include "core/http_types.h"
#include "core/problem.h"
#include "core/router.h"
#include "core/spooled_body.h"

namespace cp::http::testing {

struct RouteReply {
  Status status;
  boost::json::object body;  // {} unless the answer is a JSON object
  Response raw;
};

inline RouteReply call_route(const Router& router, Request& req,
                             std::optional<Identity> who = std::nullopt,
                             std::shared_ptr<const SpooledBody> upload = nullptr) {
  RequestContext ctx{req};
  ctx.request_id = "req_test";
  ctx.client_ip = "127.0.0.1";
  ctx.identity = std::move(who);
  ctx.upload = std::move(upload);
  Response res;
  try {
    res = router.handle(ctx);
  } catch (const ApiError& e) {
    res = problem_response(e, ctx.request_id, std::string(ctx.target_path()));
  }
  boost::system::error_code ec;
  auto v = boost::json::parse(res.body(), ec);
  auto body = !ec && v.is_object() ? v.as_object() : boost::json::object{};
  return {res.result(), std::move(body), std::move(res)};
}

}  // namespace cp::http::testing
