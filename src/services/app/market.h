#pragma once
// Review actions on a version (submit, approve, reject, unpublish) with the audit trail.
#include <string>
#include <vector>

#include "core/identity.h"
#include "services/app/app_context.h"
#include "services/app/review.h"

namespace cp::app {

// Checks the actor (review.h), moves the version's state (409 when the action does not apply
// to its state), refreshes the app's market flag, logs the action and emits
// app.review.approved|rejected — all in one transaction. Reject needs a reason (400 otherwise).
AppVersion review_version(AppContext& ctx, const http::Identity& caller, const std::string& app_id,
                          int64_t version_code, ReviewAction action, const std::string& reason);
// The audit trail of the app's review actions (owner or admin; 404 otherwise), oldest first.
std::vector<ReviewLogEntry> review_history(AppContext& ctx, const http::Identity& caller,
                                           const std::string& app_id);

}  // namespace cp::app
