#include "app/service_registry.h"

#include "platform/db.h"
#include "services/app/app_service.h"
#include "services/device/device_service.h"
#include "services/media/media_service.h"
#include "services/user/user_service.h"

namespace cp::app {

const std::vector<ServiceEntry>& service_registry() {
  static const std::vector<ServiceEntry> entries{
      {"user", false,
       [](services::ServiceContext& ctx) { return std::make_unique<user::UserService>(ctx); },
       [](services::ServiceContext& ctx) { user::apply_user_migrations(ctx.core_db); }},
      {"device", false,
       [](services::ServiceContext& ctx) { return std::make_unique<device::DeviceService>(ctx); },
       [](services::ServiceContext& ctx) { device::apply_device_migrations(ctx.core_db); }},
      {"app", false,
       [](services::ServiceContext& ctx) { return std::make_unique<app::AppService>(ctx); },
       [](services::ServiceContext& ctx) { app::apply_app_migrations(ctx.core_db); }},
      {"media", false,
       [](services::ServiceContext& ctx) { return std::make_unique<media::MediaService>(ctx); },
       nullptr},
  };
  return entries;
}

const ServiceEntry* find_service(const std::string& name) {
  for (const auto& e : service_registry()) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

void migrate_services(services::ServiceContext& ctx, const std::vector<std::string>& names) {
  for (const auto& name : names) {
    const auto* entry = find_service(name);
    if (entry && entry->migrate) entry->migrate(ctx);
  }
}

}  // namespace cp::app
