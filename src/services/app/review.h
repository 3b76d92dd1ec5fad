#pragma once
// Pure rules of the market: the review state machine of a version, who may see an app or a
// version, and what an upload of a package means (new app, new version, or a 409).
#include <cstdint>
#include <optional>
#include <string>

#include "core/identity.h"
#include "services/app/model.h"

namespace cp::app {

enum class ReviewAction { submit, approve, reject, unpublish };
const char* to_string(ReviewAction action);

// draft|rejected|unpublished --submit--> pending --approve--> published --unpublish--> unpublished;
// pending --reject (reason required)--> rejected. Anything else: 409 invalid_review_state.
ReviewState next_review_state(ReviewState from, ReviewAction action);

bool is_manager(const App& app, const http::Identity& caller);  // owner or admin
// Admins and the owner see every app and version; others only published ones.
bool can_see_app(const App& app, const http::Identity& caller);
bool can_see_version(const App& app, const AppVersion& version, const http::Identity& caller);
// approve/reject need app:publish (the route checks it); submit needs the owner (or an admin);
// unpublish: app:publish or the owner withdrawing their own app. 404/403 as ApiError.
void check_review_actor(const App& app, ReviewAction action, const http::Identity& caller);

enum class UploadKind { new_app, new_version };
// `existing` is the app of the uploaded package (if any) and `newest_code` its highest
// versionCode. 409 package_taken when another tenant owns the package, 409 version_not_newer
// when the versionCode is not higher than every stored one.
UploadKind decide_upload(const std::optional<App>& existing, int64_t newest_code,
                         int64_t version_code, const http::Identity& caller);

}  // namespace cp::app
