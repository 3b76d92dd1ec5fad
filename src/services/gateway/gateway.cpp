#include "services/gateway/gateway.h"

#include "core/identity_codec.h"
#include "core/ids.h"
#include "core/metrics.h"
#include "core/openapi.h"
#include "core/static_files.h"
#include "services/gateway/live_events.h"
#include "services/gateway/routing_table.h"
#include "services/host/service_clients.h"

namespace cp::gateway {

using namespace cp::http;

GatewayOptions GatewayOptions::from_config(const Config& config) {
  GatewayOptions o;
  o.cors_origins = config.get_list("gateway.cors_origins");
  o.user_rate_rules = config.get("gateway.rate_limit.user", o.user_rate_rules);
  o.ip_rate_rules = config.get("gateway.rate_limit.ip", o.ip_rate_rules);
  o.web_root = config.get("gateway.web_root");
  o.swagger_root = config.get("gateway.swagger_root");
  o.api_key_cache_ttl = config.get_ms("gateway.api_key_cache_ms", o.api_key_cache_ttl);
  return o;
}

Middleware strip_identity_header_middleware() {
  return [](RequestContext& ctx, const Next& next) {
    // Only the gateway mints identities; one arriving from outside is a forgery attempt.
    ctx.request.erase(kIdentityHeader);
    return next(ctx);
  };
}

namespace {

Middleware auth_middleware(std::shared_ptr<Authenticator> auth) {
  return [auth](RequestContext& ctx, const Next& next) {
    ctx.identity = auth->authenticate(ctx);
    return next(ctx);
  };
}

Middleware rate_limit_middleware(std::shared_ptr<RateLimiter> per_user,
                                 std::shared_ptr<RateLimiter> per_ip) {
  return [per_user, per_ip](RequestContext& ctx, const Next& next) {
    // Only the API is limited: the consoles' static assets load many files at once.
    if (ctx.target_path().substr(0, 5) != "/api/") return next(ctx);
    const int64_t now = now_ms();
    auto refuse = [&](const RateDecision& d, const char* scope) {
      metrics::Registry::global()
          .counter("gateway_rate_limited_total", "Requests refused by rate limits",
                   {{"scope", scope}})
          .inc();
      ApiError e(Status::too_many_requests, "rate_limited",
                 std::string("too many requests (") + scope + " limit); retry after " +
                     std::to_string(d.retry_after_seconds) + " s");
      e.extra()["retry_after"] = d.retry_after_seconds;
      throw e;
    };
    RateDecision decision;
    if (ctx.identity && per_user->enabled()) {
      decision = per_user->check("user:" + ctx.identity->user_id, now);
      if (!decision.allowed) refuse(decision, "caller");
    }
    // Authenticated callers are limited by identity (many users may share one NAT address);
    // anonymous requests (login, register, refresh) by client address.
    if (!ctx.identity && per_ip->enabled()) {
      auto ip_decision = per_ip->check("ip:" + ctx.client_ip, now);
      if (!ip_decision.allowed) refuse(ip_decision, "ip");
    }
    return next(ctx);
  };
}

// The gateway's own API routes: served here, and added to the services' /openapi.json.
std::shared_ptr<Router> gateway_routes(std::shared_ptr<LiveEvents> live) {
  auto router = std::make_shared<Router>();
  router->add({Method::get, "/api/v1/events/ws", Access::authenticated, "",
               "Live events WebSocket for the consoles. Each text message is one event "
               "{type, id, subject, time, data} (device.*, app.*, install.*); callers see events "
               "about their own resources, admins all. Hints to refresh, not a replayable log.",
               "events", std::nullopt, std::nullopt, Status::switching_protocols,
               [live](RequestContext& ctx) -> Response {
                 if (!live)
                   throw unavailable("live events need an event bus", "service_not_deployed");
                 return live->accept(ctx);
               }});
  return router;
}

boost::json::object with_gateway_paths(boost::json::object doc, const Router& own) {
  auto mine = openapi_document("", "", {&own});
  auto& paths = doc["paths"];
  if (!paths.is_object()) paths = boost::json::object{};
  for (auto& kv : mine["paths"].as_object()) paths.as_object()[kv.key()] = kv.value();
  return doc;
}

Next gateway_handler(std::shared_ptr<GatewayDeps> deps, const GatewayOptions& options) {
  auto live = deps->bus != nullptr ? LiveEvents::create(*deps->bus) : nullptr;
  auto own = gateway_routes(live);
  auto portal = std::make_shared<StaticFiles>(options.web_root + "/portal", "/", true);
  auto admin = std::make_shared<StaticFiles>(options.web_root + "/admin", "/admin", true);
  auto swagger = std::make_shared<StaticFiles>(options.swagger_root, "/docs/assets", false);
  return [deps, portal, admin, swagger, own](RequestContext& ctx) -> Response {
    auto path = ctx.target_path();
    if (own->match(ctx.request.method(), path).path_matched) return own->handle(ctx);
    if (auto owner = owner_of(path)) {
      ctx.route = "/api/v1/" + *owner;
      if (!deps->clients.knows(*owner)) {
        throw unavailable("service " + *owner + " is not running in this deployment",
                          "service_not_deployed");
      }
      return deps->clients.forward(*owner, ctx);
    }
    ctx.route = std::string(path);
    if (path == "/health") return json_response(Status::ok, {{"status", "ok"}});
    if (path == "/ready") {
      bool ok = deps->ready ? deps->ready() : true;
      return json_response(ok ? Status::ok : Status::service_unavailable,
                           {{"status", ok ? "ready" : "not_ready"}});
    }
    if (path == "/metrics") {
      return text_response(Status::ok, metrics::Registry::global().render(),
                           "text/plain; version=0.0.4");
    }
    if (path == "/openapi.json") {
      return json_response(Status::ok, with_gateway_paths(deps->openapi(), *own));
    }
    if (path == "/docs" || path == "/docs/") {
      return text_response(Status::ok, swagger_ui_html("/docs/assets", "/openapi.json"),
                           "text/html; charset=utf-8");
    }
    if (path.substr(0, 5) == "/api/") throw not_found("no such API resource", "route_not_found");
    ctx.route = "static";
    if (auto res = swagger->serve(ctx)) return std::move(*res);
    if (auto res = admin->serve(ctx)) return std::move(*res);
    if (auto res = portal->serve(ctx)) return std::move(*res);
    throw not_found("no such resource", "route_not_found");
  };
}

}  // namespace

std::shared_ptr<Pipeline> make_gateway_pipeline(const GatewayOptions& options, GatewayDeps deps) {
  auto shared = std::make_shared<GatewayDeps>(std::move(deps));
  auto auth = std::make_shared<Authenticator>(shared->jwt_secret, shared->api_keys, shared->cache,
                                              options.api_key_cache_ttl);
  auto per_user =
      std::make_shared<RateLimiter>(shared->cache, parse_rate_rules(options.user_rate_rules));
  auto per_ip =
      std::make_shared<RateLimiter>(shared->cache, parse_rate_rules(options.ip_rate_rules));
  auto pipeline = std::make_shared<Pipeline>("gateway");
  pipeline->use(request_id_middleware());
  pipeline->use(access_log_middleware("gateway"));
  pipeline->use(cors_middleware(options.cors_origins));
  pipeline->use(error_middleware());
  pipeline->use(strip_identity_header_middleware());
  pipeline->use(auth_middleware(auth));
  pipeline->use(rate_limit_middleware(per_user, per_ip));
  pipeline->set_handler(gateway_handler(shared, options));
  return pipeline;
}

}  // namespace cp::gateway
