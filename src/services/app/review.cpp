#include "services/app/review.h"

#include "core/problem.h"

namespace cp::app {

const char* to_string(ReviewState s) {
  switch (s) {
    case ReviewState::draft:
      return "draft";
    case ReviewState::pending:
      return "pending";
    case ReviewState::published:
      return "published";
    case ReviewState::rejected:
      return "rejected";
    case ReviewState::unpublished:
      return "unpublished";
  }
  return "draft";
}

std::optional<ReviewState> parse_review_state(std::string_view text) {
  for (auto s : {ReviewState::draft, ReviewState::pending, ReviewState::published,
                 ReviewState::rejected, ReviewState::unpublished}) {
    if (text == to_string(s)) return s;
  }
  return std::nullopt;
}

const char* to_string(ReviewAction a) {
  switch (a) {
    case ReviewAction::submit:
      return "submit";
    case ReviewAction::approve:
      return "approve";
    case ReviewAction::reject:
      return "reject";
    case ReviewAction::unpublish:
      return "unpublish";
  }
  return "submit";
}

ReviewState next_review_state(ReviewState from, ReviewAction action) {
  using S = ReviewState;
  switch (action) {
    case ReviewAction::submit:
      if (from == S::draft || from == S::rejected || from == S::unpublished) return S::pending;
      break;
    case ReviewAction::approve:
      if (from == S::pending) return S::published;
      break;
    case ReviewAction::reject:
      if (from == S::pending) return S::rejected;
      break;
    case ReviewAction::unpublish:
      if (from == S::published) return S::unpublished;
      break;
  }
  throw http::conflict(
      std::string("cannot ") + to_string(action) + " a version that is " + to_string(from),
      "invalid_review_state");
}

bool is_manager(const App& app, const http::Identity& caller) {
  return caller.is_admin() || app.owner_id == caller.user_id;
}

bool can_see_app(const App& app, const http::Identity& caller) {
  return is_manager(app, caller) || app.published;
}

bool can_see_version(const App& app, const AppVersion& v, const http::Identity& caller) {
  return is_manager(app, caller) || v.review_state == ReviewState::published;
}

void check_review_actor(const App& app, ReviewAction action, const http::Identity& caller) {
  bool reviewer = caller.has_permission("app:publish");
  switch (action) {
    case ReviewAction::submit:
      if (!is_manager(app, caller))
        throw http::forbidden("only the uploader can submit a version for review");
      return;
    case ReviewAction::approve:
    case ReviewAction::reject:
      if (!reviewer) throw http::forbidden("reviewing apps needs the app:publish permission");
      return;
    case ReviewAction::unpublish:
      if (!reviewer && app.owner_id != caller.user_id) {
        throw http::forbidden("unpublishing needs app:publish or ownership of the app");
      }
      return;
  }
}

UploadKind decide_upload(const std::optional<App>& existing, int64_t newest_code,
                         int64_t version_code, const http::Identity& caller) {
  if (!existing) return UploadKind::new_app;
  if (!is_manager(*existing, caller)) {
    throw http::conflict("package " + existing->package + " belongs to another account",
                         "package_taken", "body");
  }
  if (version_code <= newest_code) {
    throw http::conflict("versionCode " + std::to_string(version_code) + " of " +
                             existing->package + " is not higher than the stored " +
                             std::to_string(newest_code),
                         "version_not_newer", "body");
  }
  return UploadKind::new_version;
}

}  // namespace cp::app
