#include "services/user/quotas.h"

#include "core/problem.h"
#include "services/user/accounts.h"
#include "services/user/audit.h"
#include "services/user/rbac.h"
#include "services/user/store.h"

namespace cp::user {

Quota effective_quota(db::Executor& ex, const std::string& user_id, const QuotaDefaults& d) {
  if (auto own = store::find_quota(ex, user_id)) {
    return *own;
  }
  return Quota{user_id, d.max_devices, d.max_cpu_cores, d.max_memory_mb, d.max_device_hours, true};
}

Quota read_quota(UserContext& ctx, const http::Identity& caller, const std::string& user_id) {
  if (!may_access_user(caller, user_id, "quota:read")) {
    throw http::not_found("No such user.", "user_not_found");
  }
  require_user(ctx.db, user_id);
  return effective_quota(ctx.db, user_id, ctx.settings.quota_defaults);
}

Quota set_quota(UserContext& ctx, const http::Identity& caller, const Quota& quota,
                const RequestMeta& meta) {
  return ctx.db.transaction([&](db::Transaction& tx) {
    require_user(tx, quota.user_id);
    const int64_t now = ctx.now_ms();
    store::upsert_quota(tx, quota, now);
    record_audit(tx,
                 {"quota.updated",
                  caller.user_id,
                  "user",
                  quota.user_id,
                  "success",
                  meta.client_ip,
                  {{"max_devices", quota.max_devices},
                   {"max_cpu_cores", quota.max_cpu_cores},
                   {"max_memory_mb", quota.max_memory_mb},
                   {"max_device_hours", quota.max_device_hours}}},
                 now);
    Quota saved = quota;
    saved.is_default = false;
    return saved;
  });
}

}  // namespace cp::user
