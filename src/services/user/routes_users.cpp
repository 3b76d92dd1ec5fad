// /api/v1/users/me (self-service) and /api/v1/users/{id} (administration).
#include "core/schema.h"
#include "services/user/admin.h"
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

Schema patch_schema() {
  return Schema::object({{"display_name", Schema::string(0, 100)},
                         {"email", Schema::string(3, 254).format("email")}});
}

UserPatch read_patch(const boost::json::object& body) {
  return UserPatch{http::get_opt_string(body, "display_name"), http::get_opt_string(body, "email")};
}

void add_self_routes(http::Router& router, UserContext& ctx) {
  router.add({Method::get, "/api/v1/users/me", Access::authenticated, "", "The caller's account",
              "users", std::nullopt, user_schema(), Status::ok, [&ctx](RequestContext& rc) {
                return http::json_response(Status::ok,
                                           user_json(require_user(ctx.db, rc.caller().user_id)));
              }});
  router.add({Method::patch, "/api/v1/users/me", Access::authenticated, "",
              "Change own display name or email", "users", patch_schema(), user_schema(),
              Status::ok, [&ctx](RequestContext& rc) {
                const auto& me = rc.caller();
                auto user = update_user(ctx, me, me.user_id, read_patch(http::json_body(rc)),
                                        request_meta(rc));
                return http::json_response(Status::ok, user_json(user));
              }});
  router.add({Method::post, "/api/v1/users/me/password", Access::authenticated, "",
              "Change own password; other sessions are logged out", "users",
              Schema::object({{"old_password", Schema::string(1, 128)},
                              {"new_password", Schema::string(1, 128)}},
                             {"old_password", "new_password"}),
              std::nullopt, Status::no_content, [&ctx](RequestContext& rc) {
                auto body = http::json_body(rc);
                change_password(ctx, rc.caller(), http::get_string(body, "old_password"),
                                http::get_string(body, "new_password"), request_meta(rc));
                return http::no_content();
              }});
}

void add_admin_user_routes(http::Router& router, UserContext& ctx) {
  router.add(
      {Method::get, "/api/v1/users", Access::permission, "user:read",
       "List users (?search=&status=&limit=&cursor=)", "users", std::nullopt,
       Schema::page(user_schema()), Status::ok, [&ctx](RequestContext& rc) {
         store::UserFilter f{rc.query("search").value_or(""), rc.query("status").value_or(""),
                             page_limit(rc), page_cursor(rc)};
         if (!f.status.empty() && f.status != kStatusActive && f.status != kStatusDisabled &&
             f.status != kStatusDeleted) {
           throw http::bad_request("status", "must be active, disabled or deleted");
         }
         return http::json_response(Status::ok, page_json(store::list_users(ctx.db, f), user_json));
       }});
  router.add(
      {Method::post, "/api/v1/users", Access::permission, "user:create", "Create a user", "users",
       Schema::object({{"email", Schema::string(3, 254).format("email")},
                       {"username", Schema::string(3, 32)},
                       {"password", Schema::string(1, 128)},
                       {"display_name", Schema::string(0, 100)},
                       {"roles", Schema::array(Schema::string(2, 64), 20)}},
                      {"email", "username", "password"}),
       user_schema(), Status::created, [&ctx](RequestContext& rc) {
         auto body = http::json_body(rc);
         CreateUserInput in{
             {http::get_string(body, "email"), http::get_string(body, "username"),
              http::get_string(body, "password"), http::get_string(body, "display_name")},
             http::get_strings(body, "roles")};
         return http::json_response(
             Status::created, user_json(admin_create_user(ctx, rc.caller(), in, request_meta(rc))));
       }});
  router.add({Method::get, "/api/v1/users/{id}", Access::permission, "user:read", "Get a user",
              "users", std::nullopt, user_schema(), Status::ok, [&ctx](RequestContext& rc) {
                return http::json_response(Status::ok,
                                           user_json(require_user(ctx.db, rc.param("id"))));
              }});
  router.add({Method::patch, "/api/v1/users/{id}", Access::permission, "user:update",
              "Change a user", "users", patch_schema(), user_schema(), Status::ok,
              [&ctx](RequestContext& rc) {
                auto user = update_user(ctx, rc.caller(), rc.param("id"),
                                        read_patch(http::json_body(rc)), request_meta(rc));
                return http::json_response(Status::ok, user_json(user));
              }});
  for (bool enable : {false, true}) {
    router.add(
        {Method::post, enable ? "/api/v1/users/{id}/enable" : "/api/v1/users/{id}/disable",
         Access::permission, "user:update",
         enable ? "Enable a user" : "Disable a user (revokes sessions; API keys stop working)",
         "users", std::nullopt, user_schema(), Status::ok, [&ctx, enable](RequestContext& rc) {
           auto user = set_user_enabled(ctx, rc.caller(), rc.param("id"), enable, request_meta(rc));
           return http::json_response(Status::ok, user_json(user));
         }});
  }
  router.add({Method::delete_, "/api/v1/users/{id}", Access::permission, "user:delete",
              "Delete a user (soft)", "users", std::nullopt, std::nullopt, Status::no_content,
              [&ctx](RequestContext& rc) {
                delete_user(ctx, rc.caller(), rc.param("id"), request_meta(rc));
                return http::no_content();
              }});
  router.add({Method::post, "/api/v1/users/{id}/roles", Access::permission, "role:assign",
              "Assign a role", "users", Schema::object({{"role", Schema::string(2, 64)}}, {"role"}),
              user_schema(), Status::ok, [&ctx](RequestContext& rc) {
                auto role = http::get_string(http::json_body(rc), "role");
                auto user =
                    assign_role(ctx, rc.caller(), rc.param("id"), role, true, request_meta(rc));
                return http::json_response(Status::ok, user_json(user));
              }});
  router.add({Method::delete_, "/api/v1/users/{id}/roles/{role}", Access::permission, "role:assign",
              "Unassign a role", "users", std::nullopt, user_schema(), Status::ok,
              [&ctx](RequestContext& rc) {
                auto user = assign_role(ctx, rc.caller(), rc.param("id"), rc.param("role"), false,
                                        request_meta(rc));
                return http::json_response(Status::ok, user_json(user));
              }});
}

}  // namespace

void add_user_routes(http::Router& router, UserContext& ctx) {
  add_self_routes(router, ctx);
  add_admin_user_routes(router, ctx);
}

}  // namespace cp::user
