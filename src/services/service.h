#pragma once
// What every one of the eight services implements, and what the process gives it. `cloudphone
// up` and `cloudphone serve ...` build a ServiceContext from config and start the chosen
// services in one process; the gateway dispatches to them in-process or over HTTP.
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/router.h"

namespace cp::db {
class Database;
}
namespace cp::events {
class EventBus;
class OutboxRelay;
}
namespace cp::cache {
class Cache;
}

namespace cp::services {

class ServiceClients;  // service_clients.h: call another service in-process or over HTTP

struct ServiceContext {
  const Config& config;
  db::Database& core_db;     // cloudphone_core
  db::Database& billing_db;  // cloudphone_billing (only billing uses it)
  events::EventBus& bus;
  events::OutboxRelay& relay;  // poke() after a commit that enqueued events
  cache::Cache& cache;
  ServiceClients& clients;
};

class Service {
 public:
  virtual ~Service() = default;
  virtual std::string name() const = 0;  // "user", "device", ...
  // First path segments under /api/v1 this service owns, e.g. {"auth", "users", "roles"}.
  virtual std::vector<std::string> api_prefixes() const = 0;
  virtual void register_routes(http::Router& router) = 0;
  // Background work (event subscriptions, jobs) starts here and ends in stop().
  virtual void start() {}
  virtual void stop() {}
  // For /ready: the service's dependencies answer.
  virtual bool ready() { return true; }
};

}  // namespace cp::services
