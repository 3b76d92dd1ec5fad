// /api/v1/devices/{id}/snapshots, /api/v1/snapshots (list, get, restore, delete) and
// /api/v1/nodes (where devices can be placed, with their load; admins).
#include "services/device/routes.h"
#include "services/device/schemas.h"
#include "services/device/snapshots.h"
#include "services/device/store.h"
#include "services/device/views.h"

namespace cp::device {
namespace {

using http::Access;
using http::Method;
using http::RequestContext;
using http::Schema;
using http::Status;

boost::json::object snapshot_page_json(const Page<Snapshot>& page) {
  boost::json::array items;
  for (const auto& s : page.items) items.push_back(snapshot_json(s));
  boost::json::object out{{"items", std::move(items)}};
  out["next_cursor"] =
      page.next_cursor.empty() ? boost::json::value(nullptr) : boost::json::value(page.next_cursor);
  return out;
}

// An optional JSON body: absent (no content) is an empty object.
boost::json::object optional_json_body(const RequestContext& rc) {
  if (rc.request.body().empty()) return {};
  return http::json_body(rc);
}

std::optional<std::string> idempotency_key(const RequestContext& rc) {
  auto key = rc.header("Idempotency-Key");
  if (key && (key->empty() || key->size() > 200))
    throw http::bad_request("Idempotency-Key", "must be 1 to 200 characters");
  return key;
}

}  // namespace

void add_snapshot_routes(http::Router& router, DeviceContext& ctx) {
  router.add(
      {Method::post, "/api/v1/devices/{id}/snapshots", Access::permission, "device:operate",
       "Snapshot a running or stopped cloud phone (optional body {\"name\"}; ready when state is "
       "ready)",
       "snapshots", std::nullopt, snapshot_schema(), Status::accepted, [&ctx](RequestContext& rc) {
         auto body = optional_json_body(rc);
         auto* name = body.if_contains("name");
         if (name &&
             (!name->is_string() || name->as_string().empty() || name->as_string().size() > 100)) {
           throw http::bad_request("name", "must be a string of 1 to 100 characters");
         }
         auto s = create_snapshot(ctx, rc.caller(), rc.param("id"),
                                  name ? std::string(name->as_string()) : std::string());
         return http::json_response(Status::accepted, snapshot_json(s));
       }});
  router.add({Method::get, "/api/v1/devices/{id}/snapshots", Access::permission, "device:read",
              "Snapshots of a cloud phone (?limit=&cursor=)", "snapshots", std::nullopt,
              snapshot_page_schema(), Status::ok, [&ctx](RequestContext& rc) {
                auto d = get_device(ctx, rc.caller(), rc.param("id"));
                return http::json_response(
                    Status::ok, snapshot_page_json(list_snapshots(
                                    ctx, rc.caller(), "", d.id, rc.query_int("limit", 50, 1, 200),
                                    rc.query("cursor").value_or(""))));
              }});
  router.add({Method::get, "/api/v1/snapshots", Access::permission, "device:read",
              "Own snapshots (admins: all; ?owner=&device_id=&limit=&cursor=)", "snapshots",
              std::nullopt, snapshot_page_schema(), Status::ok, [&ctx](RequestContext& rc) {
                return http::json_response(
                    Status::ok,
                    snapshot_page_json(list_snapshots(
                        ctx, rc.caller(), rc.query("owner").value_or(""),
                        rc.query("device_id").value_or(""), rc.query_int("limit", 50, 1, 200),
                        rc.query("cursor").value_or(""))));
              }});
  router.add({Method::get, "/api/v1/snapshots/{sid}", Access::permission, "device:read",
              "Get a snapshot", "snapshots", std::nullopt, snapshot_schema(), Status::ok,
              [&ctx](RequestContext& rc) {
                return http::json_response(
                    Status::ok, snapshot_json(get_snapshot(ctx, rc.caller(), rc.param("sid"))));
              }});
  router.add(
      {Method::post, "/api/v1/snapshots/{sid}/restore", Access::permission, "device:operate",
       "Restore into a stopped device ({\"device_id\"}) or into a new one ({\"name\"}; honours "
       "Idempotency-Key); the device boots in the background",
       "snapshots",
       Schema::object({{"device_id", Schema::string(1, 64)}, {"name", Schema::string(1, 100)}}, {}),
       device_schema(), Status::accepted, [&ctx](RequestContext& rc) {
         auto body = http::json_body(rc);
         auto device_id = http::get_opt_string(body, "device_id");
         auto name = http::get_opt_string(body, "name");
         if (device_id && name)
           throw http::bad_request("name", "give either device_id or name, not both");
         if (device_id) {
           auto d = restore_into_device(ctx, rc.caller(), rc.param("sid"), *device_id);
           return http::json_response(Status::accepted, device_json(d));
         }
         if (!name)
           throw http::bad_request("device_id",
                                   "give device_id (existing device) or name (new device)");
         auto trimmed = *name;
         while (!trimmed.empty() && trimmed.back() == ' ') trimmed.pop_back();
         if (trimmed.empty()) throw http::bad_request("name", "must not be blank");
         if (!rc.caller().has_permission("device:create")) {
           throw http::ApiError(Status::forbidden, "forbidden",
                                "restoring into a new device needs device:create");
         }
         auto r = restore_into_new_device(ctx, rc.caller(), rc.param("sid"), *name,
                                          idempotency_key(rc), rc.request_id);
         auto res = http::json_response(Status::accepted, device_json(r.device));
         if (r.replayed) res.set("Idempotent-Replayed", "true");
         return res;
       }});
  router.add({Method::delete_, "/api/v1/snapshots/{sid}", Access::permission, "device:delete",
              "Delete a snapshot (its image or copy is removed in the background)", "snapshots",
              std::nullopt, std::nullopt, Status::no_content, [&ctx](RequestContext& rc) {
                delete_snapshot(ctx, rc.caller(), rc.param("sid"));
                return http::no_content();
              }});
}

void add_node_routes(http::Router& router, DeviceContext& ctx) {
  router.add(
      {Method::get, "/api/v1/nodes", Access::permission, "device:nodes",
       "Runtime nodes (docker endpoints) with capacity and what the devices placed there use",
       "nodes", std::nullopt, nodes_schema(), Status::ok, [&ctx](RequestContext&) {
         auto usage = store::node_usage(ctx.db, ctx.settings.runtime);
         boost::json::array items;
         for (const auto& n : ctx.runtime.nodes()) {
           auto u = usage.count(n.name) ? usage[n.name] : runtime::NodeUsage{};
           items.push_back(boost::json::object{
               {"name", n.name},
               {"endpoint", n.endpoint},
               {"capacity",
                {{"max_devices", n.capacity.max_devices},
                 {"cpu_cores", n.capacity.cpu_cores},
                 {"memory_mb", n.capacity.memory_mb}}},
               {"used",
                {{"devices", u.devices}, {"cpu_cores", u.cpu_cores}, {"memory_mb", u.memory_mb}}}});
         }
         return http::json_response(Status::ok, boost::json::object{{"items", std::move(items)}});
       }});
}

}  // namespace cp::device
