#include "services/app/views.h"

#include "core/ids.h"
#include "services/app/review.h"

namespace cp::app {

boost::json::object app_json(const App& a) {
  return {{"id", a.id},
          {"package", a.package},
          {"owner_id", a.owner_id},
          {"name", a.name},
          {"category", a.category},
          {"description", a.description},
          {"published", a.published},
          {"icon_url", "/api/v1/apps/" + a.id + "/icon"},
          {"created_at", to_rfc3339(a.created_at)},
          {"updated_at", to_rfc3339(a.updated_at)}};
}

boost::json::object version_json(const AppVersion& v) {
  boost::json::array perms;
  for (const auto& p : v.permissions) perms.emplace_back(p);
  return {{"version_code", v.version_code},
          {"version_name", v.version_name},
          {"label", v.label},
          {"min_sdk", v.min_sdk},
          {"target_sdk", v.target_sdk},
          {"permissions", std::move(perms)},
          {"launchable_activity", v.launchable_activity},
          {"apk_sha256", v.apk_sha256},
          {"apk_size", v.apk_size},
          {"has_icon", !v.icon_key.empty()},
          {"uploader_id", v.uploader_id},
          {"review_state", to_string(v.review_state)},
          {"review_reason", v.review_reason},
          {"download_url", "/api/v1/apps/" + v.app_id + "/versions/" +
                               std::to_string(v.version_code) + "/download"},
          {"created_at", to_rfc3339(v.created_at)},
          {"updated_at", to_rfc3339(v.updated_at)}};
}

boost::json::object app_detail_json(const AppDetail& d) {
  auto o = app_json(d.app);
  boost::json::array versions;
  for (const auto& v : d.versions) versions.push_back(version_json(v));
  o["versions"] = std::move(versions);
  return o;
}

boost::json::object review_entry_json(const ReviewLogEntry& e) {
  return {{"id", e.id},         {"version_code", e.version_code},
          {"action", e.action}, {"from", e.from_state},
          {"to", e.to_state},   {"actor_id", e.actor_id},
          {"reason", e.reason}, {"at", to_rfc3339(e.created_at)}};
}

boost::json::object device_install_json(const DeviceInstall& i) {
  return {{"device_id", i.device_id},
          {"package", i.package},
          {"app_id", i.app_id},
          {"version_code", i.version_code},
          {"installed_at", to_rfc3339(i.installed_at)}};
}

}  // namespace cp::app
