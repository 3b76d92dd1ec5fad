#pragma once
// Composes one process: opens the backends named by config (databases, event bus, cache), runs
// migrations, starts the chosen services, the outbox relay and the HTTP listeners, and stops
// them in reverse order on SIGTERM. `cloudphone up` and `cloudphone serve ...` both use it.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/server.h"
#include "services/host/service_clients.h"
#include "services/service.h"

namespace cp::services {

class ServiceHost {
 public:
  explicit ServiceHost(Config config);
  ~ServiceHost();

  // Opens databases (applying platform migrations), bus, relay, cache. Call first.
  ServiceContext& open_backends();
  // Takes a constructed service: applies nothing itself; registers its routes in-process.
  void add(std::unique_ptr<Service> service);
  // Services configured elsewhere (services.<name>.urls) become remote clients.
  void add_remote_services(const std::vector<std::string>& names);
  // Starts the local services' background work and the outbox relays.
  void start();
  // Serves a pipeline on host:port (port 0 = any); returns the bound port. Stopped by stop().
  uint16_t listen(const std::string& host, uint16_t port, std::shared_ptr<const http::Pipeline> p);
  // The pipeline a service process exposes on its own port: request id, access log, errors,
  // identity from the gateway's signed header, the service's routes, /health /ready /metrics
  // /openapi.json.
  std::shared_ptr<http::Pipeline> service_pipeline(const std::string& service);
  // OpenAPI document of every service in this process.
  boost::json::object openapi() const;
  void stop();

  // Call first thing in main(), before any thread starts, so every thread inherits the mask
  // and SIGINT/SIGTERM are only seen by wait_for_shutdown_signal().
  static void block_shutdown_signals();
  static int wait_for_shutdown_signal();

  const Config& config() const { return config_; }
  ServiceContext& context();
  bool ready() const;
  // What ready() checks, one entry each: "database", "redis"/"rabbitmq" when used, and every
  // service of this process by name.
  std::vector<std::pair<std::string, bool>> readiness() const;

 private:
  void open_cache_and_bus();

  struct Impl;
  Config config_;
  std::unique_ptr<Impl> impl_;
};

// The seed's port for each service.
uint16_t default_port(const std::string& service);

}  // namespace cp::services
