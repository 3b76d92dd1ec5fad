// audit_log and user_quotas tables.
#include "services/user/store.h"

namespace cp::user::store {
namespace {

const std::string kInsertAudit =
    "INSERT INTO audit_log (id, created_at, actor_id, action, target_type, target_id, outcome,"
    " client_ip, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
// Newest first; the cursor is the last id seen ('' = start from the newest).
const std::string kListAudit =
    "SELECT id, created_at, actor_id, action, target_type, target_id, outcome, client_ip, details"
    " FROM audit_log"
    " WHERE ($1 = '' OR actor_id = $1) AND ($2 = '' OR action = $2) AND ($3 = '' OR target_id = $3)"
    " AND created_at >= $4 AND created_at <= $5 AND ($6 = '' OR id < $6)"
    " ORDER BY id DESC LIMIT $7";
const std::string kSelectQuota =
    "SELECT user_id, max_devices, max_cpu_cores, max_memory_mb, max_device_hours FROM user_quotas"
    " WHERE user_id = $1";
const std::string kUpsertQuota =
    "INSERT INTO user_quotas (user_id, max_devices, max_cpu_cores, max_memory_mb, max_device_hours,"
    " updated_at) VALUES ($1, $2, $3, $4, $5, $6)"
    " ON CONFLICT (user_id) DO UPDATE SET max_devices = excluded.max_devices,"
    " max_cpu_cores = excluded.max_cpu_cores, max_memory_mb = excluded.max_memory_mb,"
    " max_device_hours = excluded.max_device_hours, updated_at = excluded.updated_at";

}  // namespace

void insert_audit(Executor& ex, const AuditEntry& e) {
  ex.exec(kInsertAudit,
          {e.id, e.created_at, e.actor_id ? db::Param(*e.actor_id) : db::Param(nullptr), e.action,
           e.target_type, e.target_id, e.outcome, e.client_ip, e.details});
}

Page<AuditEntry> list_audit(Executor& ex, const AuditFilter& f) {
  auto rows = ex.exec(
      kListAudit, {f.actor_id, f.action, f.target_id, f.since, f.until, f.before_id, f.limit + 1});
  Page<AuditEntry> page;
  for (const auto& r : rows) {
    if (static_cast<int64_t>(page.items.size()) == f.limit) {
      page.next_cursor = page.items.back().id;
      break;
    }
    page.items.push_back(AuditEntry{r.text("id"), r.int64("created_at"), r.opt_text("actor_id"),
                                    r.text("action"), r.text("target_type"), r.text("target_id"),
                                    r.text("outcome"), r.text("client_ip"), r.text("details")});
  }
  return page;
}

std::optional<Quota> find_quota(Executor& ex, const std::string& user_id) {
  auto rows = ex.exec(kSelectQuota, {user_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  const auto& r = rows[0];
  return Quota{r.text("user_id"),        r.int64("max_devices"),      r.int64("max_cpu_cores"),
               r.int64("max_memory_mb"), r.int64("max_device_hours"), false};
}

void upsert_quota(Executor& ex, const Quota& q, int64_t now) {
  ex.exec(kUpsertQuota,
          {q.user_id, q.max_devices, q.max_cpu_cores, q.max_memory_mb, q.max_device_hours, now});
}

}  // namespace cp::user::store
