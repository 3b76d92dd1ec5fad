#include "services/user/audit.h"

#include <boost/json/serialize.hpp>

#include "core/ids.h"
#include "services/user/store.h"

namespace cp::user {

void record_audit(db::Executor& ex, const AuditFact& f, int64_t now_ms) {
  store::insert_audit(
      ex, AuditEntry{cp::new_id("aud"), now_ms, f.actor_id, f.action, f.target_type, f.target_id,
                     f.outcome, f.client_ip, boost::json::serialize(f.details)});
}

}  // namespace cp::user
