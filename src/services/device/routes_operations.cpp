// /api/v1/devices/{id}/exec, screenshot, apps, properties, logcat, reboot — over ADB.

#include "services/device/operations.h"
#include "services/device/routes.h"
#include "services/device/schemas.h"

namespace cp::device {
namespace {

using http::Access;
using http::Method;
using http::RequestContext;
using http::Schema;
using http::Status;

int logcat_lines(const RequestContext& rc) {
  return static_cast<int>(rc.query_int("lines", 500, 1, 10000));
}

}  // namespace

void add_operation_routes(http::Router& router, DeviceContext& ctx) {
  router.add({Method::post, "/api/v1/devices/{id}/exec", Access::permission, "device:operate",
              "Run a shell command (output capped; see `truncated`)", "devices",
              Schema::object({{"command", Schema::string(1, 8192)}}, {"command"}),
              exec_result_schema(), Status::ok, [&ctx](RequestContext& rc) {
                auto r = exec_on_device(ctx, rc.caller(), rc.param("id"),
                                        http::get_string(http::json_body(rc), "command"));
                return http::json_response(Status::ok,
                                           boost::json::object{{"stdout", r.stdout_text},
                                                               {"stderr", r.stderr_text},
                                                               {"exit_code", r.exit_code},
                                                               {"truncated", r.truncated}});
              }});
  router.add({Method::get, "/api/v1/devices/{id}/screenshot", Access::permission, "device:operate",
              "The screen as PNG", "devices", std::nullopt, std::nullopt, Status::ok,
              [&ctx](RequestContext& rc) {
                return http::text_response(
                    Status::ok, screenshot_png(ctx, rc.caller(), rc.param("id")), "image/png");
              },
              "image/png"});
  router.add(
      {Method::get, "/api/v1/devices/{id}/apps", Access::permission, "device:operate",
       "Installed third-party packages", "devices", std::nullopt, packages_schema(), Status::ok,
       [&ctx](RequestContext& rc) {
         boost::json::array items;
         for (auto& p : third_party_packages(ctx, rc.caller(), rc.param("id")))
           items.push_back(boost::json::object{{"package", p}});
         return http::json_response(Status::ok, boost::json::object{{"items", std::move(items)}});
       }});
  router.add({Method::get, "/api/v1/devices/{id}/properties", Access::permission, "device:operate",
              "System properties (getprop)", "devices", std::nullopt, properties_schema(),
              Status::ok, [&ctx](RequestContext& rc) {
                boost::json::object props;
                for (auto& [k, v] : device_properties(ctx, rc.caller(), rc.param("id")))
                  props[k] = v;
                return http::json_response(Status::ok, props);
              }});
  router.add({Method::get, "/api/v1/devices/{id}/logcat", Access::permission, "device:operate",
              "Recent log lines (?lines=, default 500)", "devices", std::nullopt, logcat_schema(),
              Status::ok, [&ctx](RequestContext& rc) {
                auto [text, truncated] =
                    device_logcat(ctx, rc.caller(), rc.param("id"), logcat_lines(rc));
                return http::json_response(
                    Status::ok, boost::json::object{{"text", text}, {"truncated", truncated}});
              }});
  router.add(
      {Method::post, "/api/v1/devices/{id}/reboot", Access::permission, "device:operate",
       "Reboot Android; the device is booting until it reports boot completed", "devices",
       std::nullopt, reboot_schema(), Status::accepted, [&ctx](RequestContext& rc) {
         reboot_device(ctx, rc.caller(), rc.param("id"));
         return http::json_response(Status::accepted, boost::json::object{{"state", "booting"}});
       }});
}

}  // namespace cp::device
