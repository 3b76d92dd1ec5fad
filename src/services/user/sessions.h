#pragma once
// Issuing a session: a refresh token in a family plus an access token carrying the user's
// current roles and permissions (so role changes take effect at the next refresh).
#include <string>

#include "platform/db.h"
#include "services/user/accounts.h"

namespace cp::user {

struct IssuedSession {
  SessionTokens tokens;
  std::string session_id;
};

IssuedSession issue_session(db::Transaction& tx, UserContext& ctx, const User& user,
                            const std::string& family_id);

}  // namespace cp::user
