#pragma once
// Per-user resource quotas. Users without their own row get the configured defaults; other
// services read them through GET /api/v1/quotas/{user_id} (or effective_quota in-process).
#include <string>

#include "core/identity.h"
#include "services/user/model.h"
#include "services/user/user_context.h"

namespace cp::user {

Quota effective_quota(db::Executor& ex, const std::string& user_id, const QuotaDefaults& defaults);
// Self, or a caller holding quota:read; others get 404 (they learn nothing about the user).
Quota read_quota(UserContext& ctx, const http::Identity& caller, const std::string& user_id);
Quota set_quota(UserContext& ctx, const http::Identity& caller, const Quota& quota,
                const RequestMeta& meta);

}  // namespace cp::user
