// /api/v1/apps/{id}/install|uninstall (one device or a batch), progress, installed apps per device.
#include "core/ids.h"
#include "services/app/installs.h"
#include "services/app/routes.h"
#include "services/app/schemas.h"
#include "services/app/views.h"

namespace cp::app {

namespace {

using http::Access;
using http::Method;
using http::RequestContext;
using http::Status;

http::Response accepted(const InstallBatch& b, size_t total) {
  return http::json_response(Status::accepted,
                             boost::json::object{{"batch_id", b.id},
                                                 {"app_id", b.app_id},
                                                 {"version_code", b.version_code},
                                                 {"total", static_cast<int64_t>(total)},
                                                 {"status_url", "/api/v1/apps/installs/" + b.id}});
}

boost::json::object record_json(const InstallBatch& b, const InstallItem& it) {
  boost::json::object o{{"batch_id", b.id},          {"app_id", b.app_id},
                        {"package", b.package},      {"action", b.action},
                        {"source", b.source},        {"version_code", b.version_code},
                        {"device_id", it.device_id}, {"status", it.status},
                        {"progress", it.progress},   {"updated_at", to_rfc3339(it.updated_at)}};
  if (!it.reason.empty()) o["reason"] = it.reason;
  return o;
}

}  // namespace

void add_install_routes(http::Router& router, AppContext& ctx) {
  router.add({Method::post, "/api/v1/apps/{id}/install", Access::permission, "app:install",
              "Install on one device ({device_id}) or many ({device_ids}); 202 {batch_id}, "
              "progress per device",
              "apps", install_schema(), install_accepted_schema(), Status::accepted,
              [&ctx](RequestContext& rc) {
                auto input = read_install_input(http::json_body(rc), ctx.settings.batch_max);
                return accepted(submit_install(ctx, rc.caller(), rc.param("id"), input),
                                input.device_ids.size());
              }});
  router.add({Method::post, "/api/v1/apps/{id}/uninstall", Access::permission, "app:uninstall",
              "Uninstall from one device or many; 202 {batch_id}", "apps", install_schema(),
              install_accepted_schema(), Status::accepted, [&ctx](RequestContext& rc) {
                auto input = read_install_input(http::json_body(rc), ctx.settings.batch_max);
                return accepted(submit_uninstall(ctx, rc.caller(), rc.param("id"), input),
                                input.device_ids.size());
              }});
  router.add({Method::get, "/api/v1/apps/installs/{batch_id}", Access::permission, "app:read",
              "Progress of an install/uninstall batch: status, progress and reason per device",
              "apps", std::nullopt, install_batch_schema(), Status::ok, [&ctx](RequestContext& rc) {
                return http::json_response(
                    Status::ok, batch_json(get_batch(ctx, rc.caller(), rc.param("batch_id"))));
              }});
  router.add(
      {Method::get, "/api/v1/apps/{id}/installs", Access::permission, "app:read",
       "Install records of an app (yours; admins: all), newest batch first", "apps", std::nullopt,
       install_records_schema(), Status::ok, [&ctx](RequestContext& rc) {
         boost::json::array items;
         for (const auto& [b, it] : app_installs(ctx, rc.caller(), rc.param("id"))) {
           items.push_back(record_json(b, it));
         }
         return http::json_response(Status::ok, boost::json::object{{"items", std::move(items)}});
       }});
  router.add({Method::get, "/api/v1/apps/devices/{device_id}", Access::permission, "app:read",
              "Apps installed on a device through the app service", "apps", std::nullopt,
              device_apps_schema(), Status::ok, [&ctx](RequestContext& rc) {
                auto apps = installed_on_device(ctx, rc.caller(), rc.param("device_id"));
                boost::json::array items, records;
                for (const auto& i : apps.installed) items.push_back(device_install_json(i));
                for (const auto& [b, it] : apps.records) records.push_back(record_json(b, it));
                return http::json_response(Status::ok,
                                           boost::json::object{{"device_id", rc.param("device_id")},
                                                               {"items", std::move(items)},
                                                               {"records", std::move(records)}});
              }});
}

}  // namespace cp::app
