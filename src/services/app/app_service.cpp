#include "services/app/app_service.h"

#include "core/ids.h"
#include "core/log.h"
#include "cp_migrations/app.h"
#include "platform/event_bus.h"
#include "platform/migrations.h"
#include "platform/outbox.h"
#include "services/app/installs.h"
#include "services/app/routes.h"
#include "services/app/store.h"

namespace cp::app {

void apply_app_migrations(db::Database& db) {
  db::apply_migrations(db, "app", cp_migrations_app(db.dialect()));
}

AppService::AppService(services::ServiceContext& ctx)
    : owned_objects_(objstore::make_object_store(ctx.config)),
      owned_devices_(device_api_over(ctx.clients)),
      ctx_(ctx.core_db, *owned_objects_, *owned_devices_, AppSettings::from_config(ctx.config)),
      bus_(&ctx.bus) {
  apply_app_migrations(ctx.core_db);
}

AppService::AppService(db::Database& db, objstore::ObjectStore& objects, DeviceApi& devices,
                       AppSettings settings, events::EventBus* bus)
    : ctx_(db, objects, devices, std::move(settings)), bus_(bus) {
  apply_app_migrations(db);
}

AppService::~AppService() {
  stop();
}

void AppService::register_routes(http::Router& router) {
  add_install_routes(router, ctx_);  // literal /apps/installs/... and /apps/devices/... first
  add_app_routes(router, ctx_);
  add_review_routes(router, ctx_);
}

void AppService::start() {
  if (started_) return;
  started_ = true;
  store::fail_unfinished_items(ctx_.db, "interrupted by a restart of the app service", now_ms());
  ctx_.jobs.start(ctx_.settings.install_concurrency);
  // A bus keeps its subscriptions for its lifetime: subscribe once, even across stop/start.
  if (bus_ && !subscribed_) {
    subscribed_ = true;
    auto* ctx = &ctx_;
    auto running = running_;
    // While the service is stopped (or gone) the event is refused, so the bus delivers it again
    // later instead of it being marked consumed with nothing queued.
    bus_->subscribe(kTemplateConsumer, {"device.created"},
                    [ctx, running](const events::CloudEvent& event) {
                      if (!running->load())
                        throw std::runtime_error("the app service is not running");
                      on_device_created(*ctx, event);
                    });
  }
  running_->store(true);
}

void AppService::stop() {
  if (!started_) return;
  started_ = false;
  running_->store(false);
  ctx_.jobs.stop();
}

bool AppService::ready() {
  return ctx_.db.ping();
}

void on_device_created(AppContext& ctx, const events::CloudEvent& event) {
  const auto& data = event.data;
  const auto* apps = data.if_contains("template_apps");
  if (!apps || !apps->is_array() || apps->as_array().empty()) return;
  auto device_id = http::get_string(data, "device_id");
  auto owner_id = http::get_string(data, "owner_id");
  std::vector<std::string> refs;
  for (const auto& a : apps->as_array()) {
    if (a.is_string()) refs.emplace_back(a.as_string());
  }
  if (device_id.empty() || owner_id.empty() || refs.empty()) return;
  auto plan = plan_template_installs(ctx, owner_id, refs);
  bool fresh = events::consume_once(ctx.db, kTemplateConsumer, event, [&](db::Transaction& tx) {
    record_planned(tx, plan, device_id);
  });
  if (fresh) {
    start_planned(ctx, plan, device_id);
    log_event(spdlog::level::info, "app", "template apps queued",
              {{"device_id", device_id}, {"apps", std::to_string(refs.size())}});
  }
}

}  // namespace cp::app
