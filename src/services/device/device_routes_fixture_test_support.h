#pragma once
// Test-only: the route-test fixture (Router called directly with an Identity, SQLite, a
// FakeRuntime and a ready probe that says "booted"), shared by the device route tests.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/route_call_test_support.h"
#include "core/spooled_body.h"
#include "platform/db_testing.h"
#include "platform/migrations.h"
#include "services/device/device_service.h"
#include "services/device/fake_runtime_test_support.h"

namespace cp::device {

namespace json = boost::json;
using http::Method;
using http::Status;

struct Reply {
  Status status;
  json::object body;
};

class DeviceRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = db::open_test_database(db::Dialect::sqlite);
    db::apply_platform_migrations(*db_);
    auto fake = std::make_unique<testing::FakeRuntime>();
    runtime_ = fake.get();
    DeviceSettings s;
    s.runtime = "fake";
    s.monitor_interval = std::chrono::hours(1);  // tests call check_once()
    s.boot_timeout = std::chrono::milliseconds(300);
    service_ = std::make_unique<DeviceService>(
        *db_, std::move(fake), s,
        [this](const http::Identity&, const std::string&) { return quota_; });
    service_->context().ready_probe = [this](const runtime::AdbEndpoint&) {
      return booted_ ? "" : "booting";
    };
    service_->register_routes(router_);
    service_->start();
  }
  void TearDown() override { service_->stop(); }

  Reply call(Method method, const std::string& target, const http::Identity& who,
             std::optional<json::object> body = std::nullopt,
             std::optional<std::string> idempotency_key = {},
             std::optional<std::pair<std::string, std::string>> raw_body = std::nullopt) {
    http::Request req{method, target, 11};
    if (body) {
      req.set(http::bhttp::field::content_type, "application/json");
      req.body() = json::serialize(*body);
    }
    if (raw_body) {
      req.set(http::bhttp::field::content_type, raw_body->first);
      req.body() = raw_body->second;
    }
    if (idempotency_key) req.set("Idempotency-Key", *idempotency_key);
    // next_upload_: as the server sets it for a spooled body.
    auto r = http::testing::call_route(router_, req, who, std::move(next_upload_));
    return {r.status, std::move(r.body)};
  }
  static http::Identity user(const std::string& id) {
    return {id,
            {"user"},
            {"device:create", "device:read", "device:update", "device:delete", "device:operate"},
            "jwt",
            "",
            {}};
  }
  static http::Identity admin() { return {"usr_admin", {"admin"}, {"*"}, "jwt", "", {}}; }

  std::string create(const http::Identity& who, const std::string& name = "phone") {
    auto r = call(Method::post, "/api/v1/devices", who, json::object{{"name", name}});
    EXPECT_EQ(r.status, Status::created) << json::serialize(r.body);
    return std::string(r.body["id"].as_string());
  }
  std::string state_of(const std::string& id) {
    auto r = call(Method::get, "/api/v1/devices/" + id, admin());
    return r.status == Status::ok ? std::string(r.body["state"].as_string())
                                  : "(" + std::to_string(int(r.status)) + ")";
  }
  std::vector<std::string> events() {
    std::vector<std::string> types;
    for (const auto& r : db_->exec("SELECT type FROM outbox ORDER BY seq"))
      types.push_back(r.text(0));
    return types;
  }
  void drain() { service_->context().jobs.drain(); }

  std::shared_ptr<const http::SpooledBody> next_upload_;  // the next call's spooled body
  std::unique_ptr<db::Database> db_;
  testing::FakeRuntime* runtime_ = nullptr;
  std::unique_ptr<DeviceService> service_;
  http::Router router_;
  QuotaLimits quota_{10, 0, 0};
  std::atomic<bool> booted_{true};
  http::Identity alice_ = user("usr_alice"), bob_ = user("usr_bob");
};

}  // namespace cp::device
