// /api/v1/apps/{id}/versions/{version}/{submit|approve|reject|unpublish} and the review trail.
#include "services/app/market.h"
#include "services/app/routes.h"
#include "services/app/schemas.h"
#include "services/app/views.h"

namespace cp::app {

namespace {

using http::Access;
using http::Method;
using http::RequestContext;
using http::Status;

void add_action(http::Router& router, AppContext& ctx, ReviewAction action, const char* permission,
                const char* summary) {
  // Reject needs {"reason"}; the other actions take an optional body (no schema, so an empty
  // body is fine).
  std::optional<http::Schema> schema;
  if (action == ReviewAction::reject) {
    schema = http::Schema::object({{"reason", http::Schema::string(1, 2000)}}, {"reason"});
  }
  router.add(
      {Method::post, std::string("/api/v1/apps/{id}/versions/{version}/") + to_string(action),
       Access::permission, permission, summary, "apps", std::move(schema), app_version_schema(),
       Status::ok, [&ctx, action](RequestContext& rc) {
         std::string reason;
         if (!rc.request.body().empty()) reason = http::get_string(http::json_body(rc), "reason");
         auto v =
             review_version(ctx, rc.caller(), rc.param("id"), version_param(rc), action, reason);
         return http::json_response(Status::ok, version_json(v));
       }});
}

}  // namespace

void add_review_routes(http::Router& router, AppContext& ctx) {
  add_action(router, ctx, ReviewAction::submit, "app:upload",
             "Submit a version for review (uploader)");
  add_action(router, ctx, ReviewAction::approve, "app:publish",
             "Approve a pending version: published in the market");
  add_action(router, ctx, ReviewAction::reject, "app:publish",
             "Reject a pending version with a reason");
  add_action(router, ctx, ReviewAction::unpublish, "app:read",
             "Take a published version out of the market (app:publish, or the owner)");
  router.add(
      {Method::get, "/api/v1/apps/{id}/reviews", Access::permission, "app:read",
       "The audit trail of review actions (owner or reviewers)", "apps", std::nullopt,
       review_log_schema(), Status::ok, [&ctx](RequestContext& rc) {
         boost::json::array items;
         for (const auto& e : review_history(ctx, rc.caller(), rc.param("id"))) {
           items.push_back(review_entry_json(e));
         }
         return http::json_response(Status::ok, boost::json::object{{"items", std::move(items)}});
       }});
}

}  // namespace cp::app
