// /api/v1/devices: create, list, get, start, stop, restart, delete.
#include "services/device/lifecycle.h"
#include "services/device/routes.h"
#include "services/device/schemas.h"
#include "services/device/views.h"

namespace cp::device {
namespace {

using http::Access;
using http::Method;
using http::RequestContext;
using http::Status;

void add_action_route(http::Router& router, DeviceContext& ctx, const char* verb,
                      DeviceAction action, const char* summary) {
  router.add({Method::post, std::string("/api/v1/devices/{id}/") + verb, Access::permission,
              "device:operate", summary, "devices", std::nullopt, device_schema(), Status::accepted,
              [&ctx, action](RequestContext& rc) {
                return http::json_response(
                    Status::accepted,
                    device_json(request_action(ctx, rc.caller(), rc.param("id"), action)));
              }});
}

}  // namespace

void add_device_routes(http::Router& router, DeviceContext& ctx) {
  router.add({Method::post, "/api/v1/devices", Access::permission, "device:create",
              "Create a cloud phone (honours Idempotency-Key); it boots in the background",
              "devices", create_device_schema(), device_schema(), Status::created,
              [&ctx](RequestContext& rc) {
                auto input = read_create_input(http::json_body(rc));
                auto key = rc.header("Idempotency-Key");
                if (key && (key->empty() || key->size() > 200)) {
                  throw http::bad_request("Idempotency-Key", "must be 1 to 200 characters");
                }
                auto result = create_device(ctx, rc.caller(), input, key, rc.request_id);
                auto res = http::json_response(Status::created, device_json(result.device));
                if (result.replayed) res.set("Idempotent-Replayed", "true");
                return res;
              }});
  router.add({Method::get, "/api/v1/devices", Access::permission, "device:read",
              "List own cloud phones (admins: all) (?state=&owner=&runtime=&limit=&cursor=)",
              "devices", std::nullopt, device_page_schema(), Status::ok,
              [&ctx](RequestContext& rc) {
                return http::json_response(
                    Status::ok, page_json(list_devices(ctx, rc.caller(), read_filter(rc))));
              }});
  router.add({Method::get, "/api/v1/devices/{id}", Access::permission, "device:read",
              "Get a cloud phone", "devices", std::nullopt, device_schema(), Status::ok,
              [&ctx](RequestContext& rc) {
                return http::json_response(
                    Status::ok, device_json(get_device(ctx, rc.caller(), rc.param("id"))));
              }});
  router.add({Method::delete_, "/api/v1/devices/{id}", Access::permission, "device:delete",
              "Delete a cloud phone (its instance is removed in the background)", "devices",
              std::nullopt, std::nullopt, Status::no_content, [&ctx](RequestContext& rc) {
                request_action(ctx, rc.caller(), rc.param("id"), DeviceAction::remove);
                return http::no_content();
              }});
  add_action_route(router, ctx, "start", DeviceAction::start,
                   "Start a stopped (or failed) cloud phone");
  add_action_route(router, ctx, "stop", DeviceAction::stop, "Stop a cloud phone");
  add_action_route(router, ctx, "restart", DeviceAction::restart,
                   "Restart a cloud phone's instance");
}

}  // namespace cp::device
