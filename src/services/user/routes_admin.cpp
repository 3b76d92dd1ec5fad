// /api/v1/roles, /permissions, /api-keys, /quotas/{user_id}, /audit
#include "core/ids.h"
#include "core/schema.h"
#include "services/user/admin.h"
#include "services/user/api_keys.h"
#include "services/user/quotas.h"
#include "services/user/routes.h"
#include "services/user/schemas.h"
#include "services/user/store.h"
#include "services/user/views.h"

namespace cp::user {
namespace {

using http::Access;
using http::Method;
using http::RequestContext;
using http::Schema;
using http::Status;

Schema permissions_schema() {
  return Schema::array(Schema::string(1, 129), 200);
}

int64_t time_query(const RequestContext& rc, std::string_view name, int64_t def) {
  auto text = rc.query(name);
  if (!text) {
    return def;
  }
  int64_t ms = cp::from_rfc3339(*text);
  if (ms < 0) {
    throw http::bad_request(std::string(name), "must be an RFC 3339 time");
  }
  return ms;
}

// An API key in the admin view: the user's own view plus its owner.
Schema admin_api_key_schema() {
  auto time = [] { return Schema::string().format("date-time"); };
  auto opt_time = [&] { return time().nullable(); };
  return Schema::record({{"id", Schema::string()},
                         {"name", Schema::string()},
                         {"prefix", Schema::string()},
                         {"scopes", Schema::array(Schema::string())},
                         {"owner_id", Schema::string()},
                         {"owner_username", Schema::string()},
                         {"created_at", time()},
                         {"expires_at", opt_time()},
                         {"last_used_at", opt_time()},
                         {"revoked_at", opt_time()}})
      .named("AdminApiKey");
}

boost::json::object admin_api_key_json(const store::OwnedApiKey& k) {
  auto out = api_key_json(k.key);
  out["owner_id"] = k.key.user_id;
  out["owner_username"] = k.owner_username;
  return out;
}

void add_role_routes(http::Router& router, UserContext& ctx) {
  router.add({Method::get, "/api/v1/roles", Access::permission, "role:read", "List roles", "roles",
              std::nullopt, list_of(role_schema()), Status::ok, [&ctx](RequestContext&) {
                boost::json::array items;
                for (const auto& r : store::list_roles(ctx.db)) {
                  items.push_back(role_json(r));
                }
                return http::json_response(Status::ok, {{"items", std::move(items)}});
              }});
  router.add(
      {Method::post, "/api/v1/roles", Access::permission, "role:create", "Create a role", "roles",
       Schema::object({{"name", Schema::string(2, 64)},
                       {"description", Schema::string(0, 500)},
                       {"permissions", permissions_schema()}},
                      {"name", "permissions"}),
       role_schema(), Status::created, [&ctx](RequestContext& rc) {
         auto body = http::json_body(rc);
         RoleInput in{http::get_string(body, "name"), http::get_string(body, "description"),
                      http::get_strings(body, "permissions")};
         return http::json_response(Status::created,
                                    role_json(create_role(ctx, rc.caller(), in, request_meta(rc))));
       }});
  router.add({Method::patch, "/api/v1/roles/{id}", Access::permission, "role:update",
              "Change a role's description or permissions", "roles",
              Schema::object(
                  {{"description", Schema::string(0, 500)}, {"permissions", permissions_schema()}}),
              role_schema(), Status::ok, [&ctx](RequestContext& rc) {
                auto body = http::json_body(rc);
                std::optional<std::vector<std::string>> perms;
                if (body.contains("permissions")) {
                  perms = http::get_strings(body, "permissions");
                }
                auto role =
                    update_role(ctx, rc.caller(), rc.param("id"),
                                http::get_opt_string(body, "description"), perms, request_meta(rc));
                return http::json_response(Status::ok, role_json(role));
              }});
  router.add({Method::delete_, "/api/v1/roles/{id}", Access::permission, "role:delete",
              "Delete a custom role", "roles", std::nullopt, std::nullopt, Status::no_content,
              [&ctx](RequestContext& rc) {
                delete_role(ctx, rc.caller(), rc.param("id"), request_meta(rc));
                return http::no_content();
              }});
  router.add({Method::get, "/api/v1/permissions", Access::permission, "permission:read",
              "The permission catalogue", "roles", std::nullopt, list_of(permission_schema()),
              Status::ok, [&ctx](RequestContext&) {
                boost::json::array items;
                for (const auto& p : store::list_permissions(ctx.db)) {
                  items.push_back({{"name", p.name}, {"description", p.description}});
                }
                return http::json_response(Status::ok, {{"items", std::move(items)}});
              }});
}

void add_api_key_routes(http::Router& router, UserContext& ctx) {
  router.add({Method::post, "/api/v1/api-keys", Access::permission, "api_key:create",
              "Create an API key; the key is returned once", "api-keys",
              Schema::object({{"name", Schema::string(1, 100)},
                              {"scopes", permissions_schema()},
                              {"expires_at", Schema::string().format("date-time")}},
                             {"name"}),
              created_api_key_schema(), Status::created, [&ctx](RequestContext& rc) {
                auto body = http::json_body(rc);
                std::optional<int64_t> expires;
                if (auto text = http::get_opt_string(body, "expires_at")) {
                  expires = cp::from_rfc3339(*text);
                  if (*expires < 0) {
                    throw http::bad_request("expires_at", "must be an RFC 3339 time");
                  }
                }
                auto created =
                    create_api_key(ctx, rc.caller(), http::get_string(body, "name"),
                                   http::get_strings(body, "scopes"), expires, request_meta(rc));
                auto out = api_key_json(created.record);
                out["key"] = created.key;
                return http::json_response(Status::created, out);
              }});
  router.add({Method::get, "/api/v1/api-keys", Access::permission, "api_key:read",
              "List own API keys", "api-keys", std::nullopt, list_of(api_key_schema()), Status::ok,
              [&ctx](RequestContext& rc) {
                boost::json::array items;
                for (const auto& k : list_api_keys(ctx, rc.caller())) {
                  items.push_back(api_key_json(k));
                }
                return http::json_response(Status::ok, {{"items", std::move(items)}});
              }});
  router.add(
      {Method::get, "/api/v1/api-keys/all", Access::permission, std::string(kApiKeyAdminPermission),
       "Every user's API keys, by id (?owner=<user id>&search=<owner username or email "
       "part>&state=active|revoked&limit=&cursor=); never the key or its hash",
       "api-keys", std::nullopt, Schema::page(admin_api_key_schema()), Status::ok,
       [&ctx](RequestContext& rc) {
         store::ApiKeyFilter f{rc.query("owner").value_or(""), rc.query("search").value_or(""),
                               rc.query("state").value_or(""), page_limit(rc), page_cursor(rc)};
         if (!f.state.empty() && f.state != "active" && f.state != "revoked") {
           throw http::bad_request("state", "must be active or revoked");
         }
         if (f.owner_id.size() > 64) throw http::bad_request("owner", "is not a user id");
         if (f.owner_search.size() > 100) {
           throw http::bad_request("search", "must be at most 100 characters");
         }
         return http::json_response(
             Status::ok, page_json(store::list_all_api_keys(ctx.db, f), admin_api_key_json));
       }});
  router.add({Method::delete_, "/api/v1/api-keys/{id}", Access::permission, "api_key:revoke",
              "Revoke an own API key (any user's with api_key:admin)", "api-keys", std::nullopt,
              std::nullopt, Status::no_content, [&ctx](RequestContext& rc) {
                revoke_api_key(ctx, rc.caller(), rc.param("id"), request_meta(rc));
                return http::no_content();
              }});
}

void add_quota_and_audit_routes(http::Router& router, UserContext& ctx) {
  router.add({Method::get, "/api/v1/quotas/{user_id}", Access::authenticated, "",
              "A user's quota (self, or quota:read)", "quotas", std::nullopt, quota_schema(),
              Status::ok, [&ctx](RequestContext& rc) {
                return http::json_response(
                    Status::ok, quota_json(read_quota(ctx, rc.caller(), rc.param("user_id"))));
              }});
  auto limit = [] { return Schema::integer(0, 1'000'000); };
  router.add({Method::put, "/api/v1/quotas/{user_id}", Access::permission, "quota:update",
              "Set a user's quota", "quotas",
              Schema::object({{"max_devices", limit()},
                              {"max_cpu_cores", limit()},
                              {"max_memory_mb", limit()},
                              {"max_device_hours", limit()}},
                             {"max_devices", "max_cpu_cores", "max_memory_mb", "max_device_hours"}),
              quota_schema(), Status::ok, [&ctx](RequestContext& rc) {
                auto b = http::json_body(rc);
                Quota q{rc.param("user_id"),
                        http::get_int(b, "max_devices"),
                        http::get_int(b, "max_cpu_cores"),
                        http::get_int(b, "max_memory_mb"),
                        http::get_int(b, "max_device_hours"),
                        false};
                return http::json_response(
                    Status::ok, quota_json(set_quota(ctx, rc.caller(), q, request_meta(rc))));
              }});
  router.add(
      {Method::get, "/api/v1/audit", Access::permission, "audit:read",
       "Audit log, newest first (?actor_id=&action=&target_id=&since=&until=&limit=&cursor=)",
       "audit", std::nullopt, Schema::page(audit_entry_schema()), Status::ok,
       [&ctx](RequestContext& rc) {
         store::AuditFilter f{rc.query("actor_id").value_or(""),
                              rc.query("action").value_or(""),
                              rc.query("target_id").value_or(""),
                              time_query(rc, "since", 0),
                              time_query(rc, "until", INT64_MAX),
                              page_limit(rc),
                              page_cursor(rc)};
         return http::json_response(Status::ok,
                                    page_json(store::list_audit(ctx.db, f), audit_json));
       }});
}

}  // namespace

void add_admin_routes(http::Router& router, UserContext& ctx) {
  add_role_routes(router, ctx);
  add_api_key_routes(router, ctx);
  add_quota_and_audit_routes(router, ctx);
}

}  // namespace cp::user
