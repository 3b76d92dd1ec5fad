#include "services/app/market.h"

#include <algorithm>

#include "core/ids.h"
#include "core/problem.h"
#include "services/app/events.h"
#include "services/app/store.h"

namespace cp::app {

AppVersion review_version(AppContext& ctx, const http::Identity& caller, const std::string& app_id,
                          int64_t version_code, ReviewAction action, const std::string& reason) {
  if (action == ReviewAction::reject && reason.empty())
    throw http::bad_request("reason", "is required to reject");
  if (reason.size() > 2000) throw http::bad_request("reason", "must be at most 2000 characters");
  AppVersion result;
  ctx.db.transaction([&](db::Transaction& tx) {
    auto app = store::find_app(tx, app_id);
    // Reviewers see every app; others must be able to see it at all (else 404, not 403).
    if (!app || !(can_see_app(*app, caller) || caller.has_permission("app:publish"))) {
      throw http::not_found("no app " + app_id, "app_not_found");
    }
    auto v = store::find_version(tx, app_id, version_code);
    if (!v || !(can_see_version(*app, *v, caller) || caller.has_permission("app:publish"))) {
      throw http::not_found("app " + app_id + " has no version " + std::to_string(version_code),
                            "version_not_found");
    }
    check_review_actor(*app, action, caller);
    auto to = next_review_state(v->review_state, action);
    // Ids made in the same millisecond do not sort by time: keep the trail's times increasing.
    auto now = std::max(now_ms(), store::last_review_at(tx, app_id) + 1);
    if (!store::set_review_state(tx, app_id, version_code, v->review_state, to, reason, now)) {
      throw http::conflict("the version changed meanwhile; try again", "concurrent_review");
    }
    store::refresh_published(tx, app_id, now);
    ReviewLogEntry entry{new_id("rev"),
                         app_id,
                         version_code,
                         to_string(action),
                         to_string(v->review_state),
                         to_string(to),
                         caller.user_id,
                         reason,
                         now};
    store::insert_review_log(tx, entry);
    if (action == ReviewAction::approve) emit_review(tx, kEventApproved, *app, entry);
    if (action == ReviewAction::reject) emit_review(tx, kEventRejected, *app, entry);
    v->review_state = to;
    v->review_reason = reason;
    v->updated_at = now;
    result = *v;
  });
  return result;
}

std::vector<ReviewLogEntry> review_history(AppContext& ctx, const http::Identity& caller,
                                           const std::string& app_id) {
  auto app = store::find_app(ctx.db, app_id);
  if (!app || !(is_manager(*app, caller) || caller.has_permission("app:publish"))) {
    throw http::not_found("no app " + app_id, "app_not_found");
  }
  return store::review_log(ctx.db, app_id);
}

}  // namespace cp::app
