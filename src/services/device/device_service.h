#pragma once
// The device service: cloud phone lifecycle on a DeviceRuntime, ADB operations and the health
// monitor (seed port 30002).
#include <memory>

#include "services/device/device_context.h"
#include "services/device/monitor.h"
#include "services/service.h"

namespace cp::device {

class DeviceService final : public services::Service {
 public:
  // Applies the device migrations; builds the runtime named by device.runtime (process | adb).
  explicit DeviceService(services::ServiceContext& ctx);
  // For tests: explicit database, runtime, settings and quota.
  DeviceService(db::Database& db, std::unique_ptr<runtime::DeviceRuntime> runtime, DeviceSettings settings,
                QuotaLookup quota);
  ~DeviceService() override;

  std::string name() const override { return "device"; }
  std::vector<std::string> api_prefixes() const override {
    return {"devices", "templates", "snapshots", "nodes", "batch"};
  }
  void register_routes(http::Router& router) override;
  // Reconciles the database with the runtime, then starts the workers and the monitor.
  void start() override;
  void stop() override;
  bool ready() override;

  DeviceContext& context() { return ctx_; }
  HealthMonitor& monitor() { return monitor_; }

 private:
  std::unique_ptr<runtime::DeviceRuntime> runtime_;
  DeviceContext ctx_;
  HealthMonitor monitor_;
  bool started_ = false;
};

void apply_device_migrations(db::Database& db);
// The runtime named by config `device.runtime`.
std::unique_ptr<runtime::DeviceRuntime> make_runtime(const Config& config);
// Reads the caller's quota from the user service (in-process or over HTTP).
QuotaLookup quota_from_user_service(services::ServiceClients& clients);

}  // namespace cp::device
