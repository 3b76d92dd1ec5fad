// The whole gateway pipeline with an in-process "user" service whose routes report what they
// received: identity headers from clients are stripped and cannot forge a caller; errors are
// problem+json; rate limits answer 429 with Retry-After.
#include "services/gateway/gateway.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/identity_codec.h"
#include "core/ids.h"
#include "platform/cache.h"
#include "services/host/service_clients.h"
#include "services/user/tokens.h"

namespace cp::gateway {
namespace {

namespace json = boost::json;
using http::Method;
using http::Status;

constexpr const char* kJwtSecret = "gateway-pipeline-jwt-secret-0123456789";
constexpr const char* kInternalSecret = "gateway-pipeline-internal-secret-0123";

std::string token_for(const std::string& user_id, std::vector<std::string> roles,
                      std::vector<std::string> perms) {
  auto now = user::unix_seconds(std::chrono::system_clock::now());
  return user::sign_access_token(
      {user_id, std::move(roles), std::move(perms), "fam_1", now - 5, now + 900}, kJwtSecret);
}

// GET /api/v1/users/whoami (public): who the service sees and whether an identity header arrived.
// GET /api/v1/users/secret: needs user:read.
std::shared_ptr<http::Router> echo_router() {
  auto router = std::make_shared<http::Router>();
  router->add({Method::get, "/api/v1/users/whoami", http::Access::public_route, "", "who", "test",
               std::nullopt,
               http::Schema::record({{"identity", http::Schema::any_object().nullable()},
                                     {"identity_header", http::Schema::boolean()}}),
               Status::ok, [](http::RequestContext& rc) {
                 json::object o{{"identity", nullptr},
                                {"identity_header", rc.header(http::kIdentityHeader).has_value()}};
                 if (rc.identity) o["identity"] = http::identity_to_json(*rc.identity);
                 return http::json_response(Status::ok, o);
               }});
  router->add({Method::get, "/api/v1/users/secret", http::Access::permission, "user:read", "secret",
               "test", std::nullopt, http::Schema::record({{"secret", http::Schema::integer()}}),
               Status::ok, [](http::RequestContext&) {
                 return http::json_response(Status::ok, {{"secret", 42}});
               }});
  return router;
}

class GatewayPipeline : public ::testing::Test {
 protected:
  void SetUp() override { build("1000/1h", "1000/1h"); }

  void build(const std::string& user_rules, const std::string& ip_rules) {
    clients_ = std::make_unique<services::ServiceClients>(kInternalSecret);
    clients_->add_local("user", echo_router());
    cache_ = std::make_unique<cache::MemoryCache>();
    GatewayOptions options;
    options.cors_origins = {"http://allowed.example"};
    options.user_rate_rules = user_rules;
    options.ip_rate_rules = ip_rules;
    GatewayDeps deps{
        *clients_,
        *cache_,
        [](const std::string&) -> std::optional<http::Identity> { return std::nullopt; },
        kJwtSecret,
        [] { return true; },
        [] { return json::object{}; }};
    pipeline_ = make_gateway_pipeline(options, std::move(deps));
  }

  http::Response get(const std::string& target,
                     const std::map<std::string, std::string>& headers = {}) {
    http::Request req{Method::get, target, 11};
    for (const auto& [k, v] : headers) req.set(k, v);
    http::RequestContext ctx{req};
    ctx.client_ip = "203.0.113.7";
    return pipeline_->handle(ctx);
  }
  static json::object body(const http::Response& res) {
    return json::parse(res.body()).as_object();
  }

  // A header a client could only produce by knowing the internal secret, claiming everything.
  static std::string forged_identity_header() {
    http::Identity root{"usr_root", {"super_admin"}, {"*"}, "internal", "", {}};
    return http::IdentityCodec(kInternalSecret).encode(root, now_ms() / 1000);
  }

  std::unique_ptr<services::ServiceClients> clients_;
  std::unique_ptr<cache::MemoryCache> cache_;
  std::shared_ptr<http::Pipeline> pipeline_;
};

TEST_F(GatewayPipeline, ClientIdentityHeaderIsStrippedForAnonymousRequests) {
  auto res = get("/api/v1/users/whoami", {{http::kIdentityHeader, forged_identity_header()}});
  ASSERT_EQ(res.result(), Status::ok) << res.body();
  auto b = body(res);
  EXPECT_TRUE(b["identity"].is_null()) << res.body();
  EXPECT_EQ(b["identity_header"], false);
  auto denied = get("/api/v1/users/secret", {{http::kIdentityHeader, forged_identity_header()}});
  EXPECT_EQ(denied.result(), Status::unauthorized) << denied.body();
}

TEST_F(GatewayPipeline, ClientIdentityHeaderCannotOverrideTheTokensIdentity) {
  auto token = token_for("usr_plain", {"user"}, {"device:read"});
  auto res = get("/api/v1/users/whoami", {{"Authorization", "Bearer " + token},
                                          {http::kIdentityHeader, forged_identity_header()}});
  ASSERT_EQ(res.result(), Status::ok);
  auto identity = http::identity_from_json(body(res)["identity"].as_object());
  EXPECT_EQ(identity.user_id, "usr_plain");
  EXPECT_FALSE(identity.has_permission("user:read"));
  auto denied = get("/api/v1/users/secret", {{"Authorization", "Bearer " + token},
                                             {http::kIdentityHeader, forged_identity_header()}});
  EXPECT_EQ(denied.result(), Status::forbidden);
  auto allowed =
      get("/api/v1/users/secret",
          {{"Authorization", "Bearer " + token_for("usr_adm", {"admin"}, {"user:read"})}});
  EXPECT_EQ(allowed.result(), Status::ok);
}

TEST_F(GatewayPipeline, StripMiddlewareAloneRemovesTheHeader) {
  http::Pipeline p("svc");
  p.use(strip_identity_header_middleware());
  bool seen = true;
  p.set_handler([&seen](http::RequestContext& rc) {
    seen = rc.header(http::kIdentityHeader).has_value();
    return http::no_content();
  });
  http::Request req{Method::get, "/x", 11};
  req.set(http::kIdentityHeader, forged_identity_header());
  http::RequestContext ctx{req};
  p.handle(ctx);
  EXPECT_FALSE(seen);
}

TEST_F(GatewayPipeline, ErrorsAreProblemJsonWithCodeAndRequestId) {
  auto res = get("/api/v1/users/secret",
                 {{"Authorization", "Bearer nonsense"}, {"X-Request-ID", "req-abc_1"}});
  EXPECT_EQ(res.result(), Status::unauthorized);
  EXPECT_EQ(res[http::bhttp::field::content_type], "application/problem+json");
  EXPECT_EQ(res["X-Request-ID"], "req-abc_1");
  auto b = body(res);
  EXPECT_EQ(b["code"], "token_malformed");
  EXPECT_EQ(b["request_id"], "req-abc_1");
  EXPECT_EQ(b["status"], 401);
}

TEST_F(GatewayPipeline, RoutesAndBuiltIns) {
  EXPECT_EQ(get("/health").result(), Status::ok);
  EXPECT_EQ(get("/ready").result(), Status::ok);
  EXPECT_EQ(get("/api/v1/nowhere").result(), Status::not_found);
  auto missing = get("/api/v1/devices");
  EXPECT_EQ(missing.result(), Status::service_unavailable);
  EXPECT_EQ(body(missing)["code"], "service_not_deployed");
  EXPECT_EQ(get("/api/v1/users/nothing-here").result(), Status::not_found);
}

TEST_F(GatewayPipeline, AnonymousRateLimitIsPerIpWithRetryAfter) {
  build("1000/1h", "3/1h");
  for (int i = 0; i < 3; ++i) ASSERT_EQ(get("/api/v1/users/whoami").result(), Status::ok) << i;
  auto refused = get("/api/v1/users/whoami");
  EXPECT_EQ(refused.result(), Status::too_many_requests);
  EXPECT_EQ(refused[http::bhttp::field::content_type], "application/problem+json");
  EXPECT_FALSE(refused[http::bhttp::field::retry_after].empty());
  EXPECT_GE(std::stoi(std::string(refused[http::bhttp::field::retry_after])), 1);
  EXPECT_EQ(body(refused)["code"], "rate_limited");
  // Outside /api/ nothing is limited; an authenticated caller is counted by identity instead.
  EXPECT_EQ(get("/health").result(), Status::ok);
  auto token = token_for("usr_x", {"user"}, {});
  EXPECT_EQ(get("/api/v1/users/whoami", {{"Authorization", "Bearer " + token}}).result(),
            Status::ok);
}

TEST_F(GatewayPipeline, CallerRateLimitTenPerSecond) {
  build("10/1h", "1000/1h");
  auto token = token_for("usr_y", {"user"}, {});
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(get("/api/v1/users/whoami", {{"Authorization", "Bearer " + token}}).result(),
              Status::ok)
        << i;
  }
  auto refused = get("/api/v1/users/whoami", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(refused.result(), Status::too_many_requests);
  EXPECT_FALSE(refused[http::bhttp::field::retry_after].empty());
  auto other = token_for("usr_z", {"user"}, {});
  EXPECT_EQ(get("/api/v1/users/whoami", {{"Authorization", "Bearer " + other}}).result(),
            Status::ok);
}

TEST_F(GatewayPipeline, CorsPreflight) {
  http::Request req{Method::options, "/api/v1/users/me", 11};
  req.set("Origin", "http://allowed.example");
  req.set("Access-Control-Request-Method", "GET");
  http::RequestContext ctx{req};
  auto ok = pipeline_->handle(ctx);
  EXPECT_EQ(ok.result(), Status::no_content);
  EXPECT_EQ(ok[http::bhttp::field::access_control_allow_origin], "http://allowed.example");
  req.set("Origin", "http://evil.example");
  http::RequestContext ctx2{req};
  auto refused = pipeline_->handle(ctx2);
  EXPECT_EQ(refused.result(), Status::forbidden);
  EXPECT_TRUE(refused[http::bhttp::field::access_control_allow_origin].empty());
}

TEST(GatewayOptionsTest, ApiKeyCacheTtlFromConfig) {
  Config config;
  EXPECT_EQ(GatewayOptions::from_config(config).api_key_cache_ttl, std::chrono::seconds(30));
  config.set("gateway.api_key_cache_ms", "250");
  EXPECT_EQ(GatewayOptions::from_config(config).api_key_cache_ttl, std::chrono::milliseconds(250));
}

}  // namespace
}  // namespace cp::gateway

namespace cp::gateway {
namespace {

TEST_F(GatewayPipeline, LiveEventsWithoutABusAreNotDeployed) {
  auto res = get("/api/v1/events/ws",
                 {{"Authorization", "Bearer " + token_for("usr_plain", {"user"}, {})}});
  EXPECT_EQ(res.result(), Status::service_unavailable) << res.body();
  EXPECT_EQ(body(res)["code"], "service_not_deployed");
}

}  // namespace
}  // namespace cp::gateway
