#pragma once
// The app service: APK store, versions, market with review, install/uninstall on cloud phones
// through the device service (seed port 30003).
#include <atomic>
#include <memory>

#include "platform/events.h"
#include "services/app/app_context.h"
#include "services/service.h"

namespace cp::app {

class AppService final : public services::Service {
 public:
  // Applies the app migrations; object store from objects.*, devices through ctx.clients.
  explicit AppService(services::ServiceContext& ctx);
  // For tests: explicit database, object store and device API (not owned); no event bus.
  AppService(db::Database& db, objstore::ObjectStore& objects, DeviceApi& devices,
             AppSettings settings, events::EventBus* bus = nullptr);
  ~AppService() override;

  std::string name() const override { return "app"; }
  std::vector<std::string> api_prefixes() const override { return {"apps", "installs", "market"}; }
  void register_routes(http::Router& router) override;
  // Marks items a previous run left unfinished as failed, starts the install workers and the
  // device.created consumer (template preinstalls).
  void start() override;
  void stop() override;
  bool ready() override;

  AppContext& context() { return ctx_; }

 private:
  std::unique_ptr<objstore::ObjectStore> owned_objects_;
  std::unique_ptr<DeviceApi> owned_devices_;
  AppContext ctx_;
  events::EventBus* bus_ = nullptr;
  bool started_ = false;
  bool subscribed_ = false;
  std::shared_ptr<std::atomic<bool>> running_ = std::make_shared<std::atomic<bool>>(false);
};

void apply_app_migrations(db::Database& db);

// The consumer of device.created: preinstalls the template's apps (data.template_apps).
inline constexpr const char* kTemplateConsumer = "app.template-preinstall";
void on_device_created(AppContext& ctx, const events::CloudEvent& event);

}  // namespace cp::app
