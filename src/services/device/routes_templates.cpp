// /api/v1/templates: CRUD of device templates and creating devices from one.

#include "services/device/routes.h"
#include "services/device/schemas.h"
#include "services/device/templates.h"
#include "services/device/views.h"

namespace cp::device {
namespace {

using http::Access;
using http::Method;
using http::RequestContext;
using http::Schema;
using http::Status;

int64_t limit_query(const RequestContext& rc) {
  return rc.query_int("limit", 50, 1, 200);
}

}  // namespace

void add_template_routes(http::Router& router, DeviceContext& ctx) {
  router.add({Method::post, "/api/v1/templates", Access::permission, "device:create",
              "Create a device template (spec, init commands, apps)", "templates",
              template_schema(true), device_template_schema(), Status::created,
              [&ctx](RequestContext& rc) {
                auto t = read_template_input(http::json_body(rc), DeviceTemplate{}, true);
                return http::json_response(Status::created,
                                           template_json(create_template(ctx, rc.caller(), t)));
              }});
  router.add({Method::get, "/api/v1/templates", Access::permission, "device:read",
              "List own templates (admins: all) (?limit=&cursor=)", "templates", std::nullopt,
              template_page_schema(), Status::ok, [&ctx](RequestContext& rc) {
                auto page = list_templates(ctx, rc.caller(), limit_query(rc),
                                           rc.query("cursor").value_or(""));
                boost::json::array items;
                for (const auto& t : page.items) items.push_back(template_json(t));
                boost::json::object out{{"items", std::move(items)}};
                out["next_cursor"] = page.next_cursor.empty()
                                         ? boost::json::value(nullptr)
                                         : boost::json::value(page.next_cursor);
                return http::json_response(Status::ok, out);
              }});
  router.add({Method::get, "/api/v1/templates/{id}", Access::permission, "device:read",
              "Get a template", "templates", std::nullopt, device_template_schema(), Status::ok,
              [&ctx](RequestContext& rc) {
                return http::json_response(
                    Status::ok, template_json(get_template(ctx, rc.caller(), rc.param("id"))));
              }});
  router.add({Method::patch, "/api/v1/templates/{id}", Access::permission, "device:update",
              "Change a template (devices made from it keep what they got)", "templates",
              template_schema(false), device_template_schema(), Status::ok,
              [&ctx](RequestContext& rc) {
                auto t = update_template(ctx, rc.caller(), rc.param("id"), http::json_body(rc));
                return http::json_response(Status::ok, template_json(t));
              }});
  router.add({Method::delete_, "/api/v1/templates/{id}", Access::permission, "device:delete",
              "Delete a template", "templates", std::nullopt, std::nullopt, Status::no_content,
              [&ctx](RequestContext& rc) {
                delete_template(ctx, rc.caller(), rc.param("id"));
                return http::no_content();
              }});
  router.add({Method::post, "/api/v1/templates/{id}/devices", Access::permission, "device:create",
              "Create up to 20 devices from a template (quota applies to all of them)", "templates",
              Schema::object({{"count", Schema::integer(1, kMaxDevicesPerTemplateCall)},
                              {"name_prefix", Schema::string(1, 48)}},
                             {"count"}),
              device_list_schema(), Status::created, [&ctx](RequestContext& rc) {
                auto body = http::json_body(rc);
                auto devices =
                    create_from_template(ctx, rc.caller(), rc.param("id"),
                                         static_cast<int>(http::get_int(body, "count")),
                                         http::get_string(body, "name_prefix", ""), rc.request_id);
                boost::json::array items;
                for (const auto& d : devices) items.push_back(device_json(d));
                return http::json_response(Status::created,
                                           boost::json::object{{"items", std::move(items)}});
              }});
}

}  // namespace cp::device
