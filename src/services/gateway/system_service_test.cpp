// GET /api/v1/system/config on a real ServiceHost (SQLite files, in-process bus and cache):
// permission, the configured values with every secret masked (by key name and inside URLs),
// where services run, backends, and a body that matches its documented schema exactly.
#include "services/gateway/system_service.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include <boost/json.hpp>
#include <filesystem>

#include "core/router.h"
#include "services/gateway/system_health.h"
#include "services/host/service_host.h"

namespace cp::gateway {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using http::Method;
using http::Status;

class SystemConfigRoute : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cp-system-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    Config config;
    config.set("db.core_url", "sqlite:" + (dir_ / "core.db").string());
    config.set("db.billing_url", "sqlite:" + (dir_ / "billing.db").string());
    config.set("gateway.port", "30123");
    config.set("auth.jwt_secret", "jwt-Zq9-s3cr3t-value");
    config.set("auth.internal_secret", "internal-Zq9-s3cr3t");
    config.set("services.media.urls", "http://svc:pa55-Zq9-word@127.0.0.1:9,http://127.0.0.1:10");
    config.set("notify.webhook", "https://hook.example/x?token=t0k-Zq9-en&page=1");
    host_ = std::make_unique<services::ServiceHost>(config);
    auto& ctx = host_->open_backends();
    ctx.clients.add_local("user", std::make_shared<http::Router>());
    host_->add_remote_services({"media"});
    service_ = make_system_service(ctx, {"9.9.9", "up", {"user", "device", "media"}});
    service_->register_routes(router_);
  }
  void TearDown() override {
    service_.reset();
    host_.reset();
    fs::remove_all(dir_);
  }

  std::pair<Status, json::value> get(std::optional<http::Identity> who,
                                     const char* path = "/api/v1/system/config") {
    http::Request req{http::bhttp::verb::get, path, 11};
    http::RequestContext ctx{req};
    ctx.identity = std::move(who);
    http::Response res;
    try {
      res = router_.handle(ctx);
    } catch (const http::ApiError& e) {
      return {e.status(), json::value()};
    }
    return {res.result(), json::parse(res.body())};
  }

  static http::Identity with(std::vector<std::string> permissions) {
    return {"usr_x", {"admin"}, std::move(permissions), "jwt", "", {}};
  }

  fs::path dir_;
  std::unique_ptr<services::ServiceHost> host_;
  std::unique_ptr<services::Service> service_;
  http::Router router_;
};

TEST_F(SystemConfigRoute, NeedsSystemConfig) {
  EXPECT_EQ(get(std::nullopt).first, Status::unauthorized);
  EXPECT_EQ(get(with({"system:metrics", "user:*"})).first, Status::forbidden);
  EXPECT_EQ(get(with({"system:config"})).first, Status::ok);
}

TEST_F(SystemConfigRoute, ShowsTheRunningConfigurationWithSecretsMasked) {
  auto [status, body] = get(with({"*"}));
  ASSERT_EQ(status, Status::ok);
  const auto text = json::serialize(body);
  // No secret in any form anywhere in the body.
  for (const char* secret : {"Zq9"}) EXPECT_EQ(text.find(secret), std::string::npos) << text;

  std::map<std::string, std::pair<std::string, bool>> config;
  for (const auto& e : body.at("config").as_array()) {
    config[std::string(e.at("key").as_string())] = {std::string(e.at("value").as_string()),
                                                    e.at("masked").as_bool()};
  }
  EXPECT_EQ(config.at("gateway.port"), std::make_pair(std::string("30123"), false));
  EXPECT_EQ(config.at("auth.jwt_secret"), std::make_pair(std::string("********"), true));
  EXPECT_EQ(config.at("services.media.urls").first,
            "http://svc:***@127.0.0.1:9,http://127.0.0.1:10");
  EXPECT_TRUE(config.at("services.media.urls").second);
  EXPECT_EQ(config.at("notify.webhook").first, "https://hook.example/x?token=***&page=1");

  std::map<std::string, std::string> where;
  for (const auto& s : body.at("services").as_array()) {
    where[std::string(s.at("name").as_string())] = s.at("location").as_string().c_str();
  }
  EXPECT_EQ(where, (std::map<std::string, std::string>{
                       {"user", "in_process"}, {"device", "not_deployed"}, {"media", "remote"}}));
  const auto& media = body.at("services").as_array()[2].as_object();
  EXPECT_EQ(media.at("instances").as_array()[0], "http://svc:***@127.0.0.1:9");

  const auto& backends = body.at("backends").as_object();
  EXPECT_EQ(backends.at("core_db"), "sqlite");
  EXPECT_EQ(backends.at("cache"), "in_process");
  EXPECT_EQ(backends.at("bus"), "in_process");
  EXPECT_EQ(body.at("version"), "9.9.9");
  EXPECT_EQ(body.at("versions").as_array()[0].at("version"), "9.9.9");
  EXPECT_NE(body.at("versions").as_array()[1].at("version"), "unknown");  // sqlite answered

  // The body is exactly what /openapi.json documents.
  const auto& route = *router_.routes().front();
  ASSERT_TRUE(route.response.has_value());
  EXPECT_EQ(route.response->mismatch(body), "");
}

TEST_F(SystemConfigRoute, HealthNeedsSystemMetricsAndMatchesItsSchema) {
  EXPECT_EQ(get(with({"system:config"}), "/api/v1/system/health").first, Status::forbidden);
  auto [status, body] = get(with({"system:metrics"}), "/api/v1/system/health");
  ASSERT_EQ(status, Status::ok);
  EXPECT_EQ(body.at("ok"), false);  // media's configured instances are closed ports
  const auto* route = router_.match(Method::get, "/api/v1/system/health").route;
  ASSERT_NE(route, nullptr);
  EXPECT_EQ(route->response->mismatch(body), "");
}

TEST_F(SystemConfigRoute, HealthAsksEveryRemoteInstanceAndReportsLocalReadiness) {
  // One real instance answering /ready (a service pipeline of this host), one closed port.
  host_->add(make_system_service(host_->context(), {"9.9.9", "up", {}}));
  const auto port = host_->listen("127.0.0.1", 0, host_->service_pipeline("system"));
  Config config;
  config.set("services.media.urls",
             "http://127.0.0.1:" + std::to_string(port) + ",http://127.0.0.1:9");
  http::HttpClient client;
  auto body = system_health({"user", "device", "media"}, {{"database", true}, {"user", true}},
                            host_->context().clients, config, client, true);
  std::map<std::string, json::object> by_name;
  for (const auto& c : body.at("components").as_array()) {
    by_name[std::string(c.at("name").as_string())] = c.as_object();
  }
  EXPECT_EQ(by_name.at("database").at("kind"), "backend");
  EXPECT_EQ(by_name.at("database").at("location"), "in_process");  // SQLite
  EXPECT_EQ(by_name.at("user").at("ready"), true);
  EXPECT_TRUE(by_name.at("device").at("ready").is_null());
  EXPECT_EQ(by_name.at("device").at("location"), "not_deployed");
  const auto& media = by_name.at("media");
  EXPECT_EQ(media.at("location"), "remote");
  EXPECT_EQ(media.at("ready"), false);  // one of its two instances is down
  const auto& instances = media.at("instances").as_array();
  ASSERT_EQ(instances.size(), 2u);
  EXPECT_EQ(instances[0].at("status"), 200);
  EXPECT_EQ(instances[0].at("ready"), true);
  EXPECT_EQ(instances[1].at("status"), 0);
  EXPECT_FALSE(instances[1].at("error").as_string().empty());
  EXPECT_EQ(body.at("ok"), false);
  EXPECT_EQ(system_health_schema().mismatch(body), "");
}

}  // namespace
}  // namespace cp::gateway
