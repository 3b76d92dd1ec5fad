#include "services/gateway/system_service.h"

#include <unistd.h>

#include <boost/version.hpp>

#include "core/ids.h"
#include "core/secret_mask.h"
#include "platform/db.h"
#include "services/gateway/system_health.h"
#include "services/host/service_clients.h"

namespace cp::gateway {
namespace {

using http::Access;
using http::Method;
using http::Schema;
using http::Status;

Schema system_config_schema() {
  auto str = [] { return Schema::string(); };
  auto pair = [&](const char* a, const char* b) {
    return Schema::record({{a, str()}, {b, str()}});
  };
  return Schema::record(
             {{"version", str()},
              {"started_at", Schema::string().format("date-time")},
              {"process",
               Schema::record(
                   {{"pid", Schema::integer()}, {"hostname", str()}, {"command", str()}})},
              {"services",
               Schema::array(Schema::record(
                   {{"name", str()},
                    {"location", Schema::string().one_of({"in_process", "remote", "not_deployed"})},
                    {"instances", Schema::array(str())}}))},
              {"backends",
               Schema::record({{"core_db", Schema::string().one_of({"sqlite", "postgres"})},
                               {"billing_db", Schema::string().one_of({"sqlite", "postgres"})},
                               {"cache", Schema::string().one_of({"in_process", "redis"})},
                               {"bus", Schema::string().one_of({"in_process", "rabbitmq"})},
                               {"object_store", str()},
                               {"object_store_location", str()}})},
              {"versions", Schema::array(pair("component", "version"))},
              {"config", Schema::array(Schema::record(
                             {{"key", str()}, {"value", str()}, {"masked", Schema::boolean()}}))}})
      .named("SystemConfig");
}

std::string database_version(db::Database& db) {
  try {
    auto sql = db.dialect() == db::Dialect::sqlite
                   ? "SELECT sqlite_version() AS v"
                   : "SELECT current_setting('server_version') AS v";
    return db.exec(sql).one().text("v");
  } catch (const std::exception&) {
    return "unknown";  // the view must not fail because a version query did
  }
}

class SystemService final : public services::Service {
 public:
  SystemService(services::ServiceContext& ctx, SystemInfo info)
      : ctx_(ctx), info_(std::move(info)), started_at_(now_ms()) {}
  std::string name() const override { return "system"; }
  std::vector<std::string> api_prefixes() const override { return {"system"}; }

  void register_routes(http::Router& router) override {
    router.add({Method::get, "/api/v1/system/config", Access::permission, "system:config",
                "The running configuration of this process (secrets masked), where each service "
                "runs, backends and versions",
                "system", std::nullopt, system_config_schema(), Status::ok,
                [this](http::RequestContext&) { return http::json_response(Status::ok, view()); }});
    router.add(
        {Method::get, "/api/v1/system/health", Access::permission, "system:metrics",
         "Readiness of every service and backend; remote instances are asked on /ready", "system",
         std::nullopt, system_health_schema(), Status::ok, [this](http::RequestContext&) {
           auto local = info_.local_readiness ? info_.local_readiness()
                                              : std::vector<std::pair<std::string, bool>>{};
           return http::json_response(
               Status::ok, system_health(info_.services, local, ctx_.clients, ctx_.config, client_,
                                         ctx_.core_db.dialect() == db::Dialect::sqlite));
         }});
  }

 private:
  boost::json::object view() const {
    const auto& config = ctx_.config;
    boost::json::array services;
    for (const auto& name : info_.services) {
      boost::json::array instances;
      std::string location = "not_deployed";
      if (ctx_.clients.is_local(name)) {
        location = "in_process";
      } else if (ctx_.clients.knows(name)) {
        location = "remote";
        for (const auto& url : config.get_list("services." + name + ".urls")) {
          instances.emplace_back(mask_credentials_in_value(url));
        }
      }
      services.push_back({{"name", name}, {"location", location}, {"instances", instances}});
    }
    const std::string objects = config.get("objects.backend", "fs");
    const std::string objects_at =
        objects == "s3"
            ? config.get("objects.s3.endpoint") + " bucket " + config.get("objects.s3.bucket")
            : config.get("objects.dir");
    boost::json::object backends{
        {"core_db", db::dialect_name(ctx_.core_db.dialect())},
        {"billing_db", db::dialect_name(ctx_.billing_db.dialect())},
        {"cache", config.get("redis.url").empty() ? "in_process" : "redis"},
        {"bus", config.get("amqp.url").empty() ? "in_process" : "rabbitmq"},
        {"object_store", objects},
        {"object_store_location", mask_credentials_in_value(objects_at)}};
    auto version = [](std::string component, std::string v) {
      return boost::json::object{{"component", std::move(component)}, {"version", std::move(v)}};
    };
    boost::json::array versions{
        version("cloudphone", info_.version),
        version(std::string("database (") + db::dialect_name(ctx_.core_db.dialect()) + ")",
                database_version(ctx_.core_db)),
        version("boost", BOOST_LIB_VERSION), version("compiler", __VERSION__),
        version("c++", std::to_string(__cplusplus))};
    boost::json::array entries;
    for (const auto& [key, value] : config.masked()) {
      const bool masked = value == kMaskedValue || value.find("***") != std::string::npos;
      entries.push_back({{"key", key}, {"value", value}, {"masked", masked}});
    }
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    return {
        {"version", info_.version},
        {"started_at", to_rfc3339(started_at_)},
        {"process",
         {{"pid", static_cast<int64_t>(getpid())}, {"hostname", host}, {"command", info_.command}}},
        {"services", std::move(services)},
        {"backends", std::move(backends)},
        {"versions", std::move(versions)},
        {"config", std::move(entries)}};
  }

  services::ServiceContext& ctx_;
  SystemInfo info_;
  http::HttpClient client_{
      http::HttpClient::Options{std::chrono::milliseconds(1000), std::chrono::milliseconds(2000)}};
  int64_t started_at_;
};

}  // namespace

std::unique_ptr<services::Service> make_system_service(services::ServiceContext& ctx,
                                                       SystemInfo info) {
  return std::make_unique<SystemService>(ctx, std::move(info));
}

}  // namespace cp::gateway
