#include "services/app/events.h"

#include "core/ids.h"
#include "platform/outbox.h"

namespace cp::app {

namespace {
constexpr const char* kSource = "/services/app";
}

void emit_uploaded(db::Transaction& tx, const App& app, const AppVersion& v) {
  boost::json::object data{{"app_id", app.id},
                           {"package", app.package},
                           {"owner_id", app.owner_id},
                           {"version_code", v.version_code},
                           {"version_name", v.version_name},
                           {"apk_sha256", v.apk_sha256},
                           {"apk_size", v.apk_size},
                           {"at", to_rfc3339(v.created_at)}};
  events::enqueue_event(tx, events::make_event(kSource, kEventUploaded, app.id, std::move(data)));
}

void emit_review(db::Transaction& tx, const char* type, const App& app, const ReviewLogEntry& e) {
  boost::json::object data{{"app_id", app.id},
                           {"package", app.package},
                           {"owner_id", app.owner_id},
                           {"version_code", e.version_code},
                           {"reviewer_id", e.actor_id},
                           {"reason", e.reason},
                           {"at", to_rfc3339(e.created_at)}};
  events::enqueue_event(tx, events::make_event(kSource, type, app.id, std::move(data)));
}

void emit_install(db::Transaction& tx, const char* type, const InstallBatch& b,
                  const std::string& device_id, const std::string& reason, int64_t now) {
  boost::json::object data{
      {"app_id", b.app_id},     {"package", b.package}, {"version_code", b.version_code},
      {"device_id", device_id}, {"batch_id", b.id},     {"owner_id", b.owner_id},
      {"source", b.source},     {"at", to_rfc3339(now)}};
  if (!reason.empty()) data["reason"] = reason;
  events::enqueue_event(tx, events::make_event(kSource, type, b.app_id, std::move(data)));
}

}  // namespace cp::app
