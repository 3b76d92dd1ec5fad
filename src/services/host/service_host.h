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
  // Starts services, relay and listeners: the gateway (if `with_gateway`) on gateway.port, and
  // each local service on its own port when `service_ports` (serve mode).
  void start(bool with_gateway, bool service_ports);
  void stop();
  // Blocks until SIGINT/SIGTERM.
  void wait_for_shutdown_signal();

  const Config& config() const { return config_; }
  uint16_t gateway_port() const;
  bool ready() const;

 private:
  struct Impl;
  Config config_;
  std::unique_ptr<Impl> impl_;
};

// The seed's port for each service.
uint16_t default_port(const std::string& service);

}  // namespace cp::services
