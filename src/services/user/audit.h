#pragma once
// Audit log entries: security-relevant facts (logins, lockouts, role and key changes), written
// in the same transaction as the change they describe.
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "platform/db.h"

namespace cp::user {

struct AuditFact {
  std::string action;  // login.succeeded, login.failed, account.locked, password.changed, ...
  std::optional<std::string> actor_id;
  std::string target_type;
  std::string target_id;
  std::string outcome = "success";
  std::string client_ip;
  boost::json::object details;
};

void record_audit(db::Executor& ex, const AuditFact& fact, int64_t now_ms);

}  // namespace cp::user
