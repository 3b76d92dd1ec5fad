#pragma once
// The API gateway's request pipeline: request id → access log/metrics → CORS → errors →
// strip forged identity headers → authenticate once → rate limit → built-in endpoints
// (health, ready, metrics, OpenAPI, Swagger UI, web consoles) or /api/v1/<prefix>/... routed to
// the owning service through ServiceClients (in-process or HTTP).
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/pipeline.h"
#include "services/gateway/authenticator.h"
#include "services/gateway/rate_limiter.h"

namespace cp::services {
class ServiceClients;
}
namespace cp::events {
class EventBus;
}

namespace cp::gateway {

struct GatewayOptions {
  std::vector<std::string> cors_origins;
  std::string user_rate_rules = "10/1s,100/10s,500/60s";  // per authenticated caller
  std::string ip_rate_rules = "10/1s,100/10s,500/60s";    // per client IP (anonymous too)
  std::string web_root;      // built consoles: <web_root>/portal, <web_root>/admin
  std::string swagger_root;  // node_modules/swagger-ui-dist
  // How long an API-key lookup (found or not) is cached: a revoked key works this long.
  std::chrono::milliseconds api_key_cache_ttl{30'000};  // gateway.api_key_cache_ms
  static GatewayOptions from_config(const Config& config);
};

struct GatewayDeps {
  services::ServiceClients& clients;
  cache::Cache& cache;
  ApiKeyLookup api_keys;
  std::string jwt_secret;
  // /ready: every dependency of this process answers (databases, local services).
  std::function<bool()> ready;
  // Routers of services in this process, for /openapi.json.
  std::function<boost::json::object()> openapi;
  // For WS /api/v1/events/ws (live_events.h); without a bus that endpoint answers 503.
  events::EventBus* bus = nullptr;
};

std::shared_ptr<http::Pipeline> make_gateway_pipeline(const GatewayOptions& options,
                                                      GatewayDeps deps);

// Middleware shared by the gateway and every service process.
http::Middleware strip_identity_header_middleware();

}  // namespace cp::gateway
