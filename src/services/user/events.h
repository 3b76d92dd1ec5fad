#pragma once
// CloudEvents the user service emits, always through the outbox in the transaction of the
// change (subject = user id, source "/services/user"):
//   user.registered  {id, email, username, display_name}
//   user.updated     {id, email, username, display_name, status, roles, changed: [...]}
//   user.deleted     {id}
//   user.password_reset {id}  (the password was set with an emailed reset token)
#include <string>
#include <vector>

#include "platform/db.h"
#include "platform/events.h"
#include "services/user/model.h"

namespace cp::user {

inline constexpr std::string_view kEventSource = "/services/user";
inline constexpr std::string_view kUserRegistered = "user.registered";
inline constexpr std::string_view kUserUpdated = "user.updated";
inline constexpr std::string_view kUserDeleted = "user.deleted";
inline constexpr std::string_view kUserPasswordReset = "user.password_reset";

events::CloudEvent user_registered_event(const User& user);
events::CloudEvent user_updated_event(const User& user, const std::vector<std::string>& changed);
events::CloudEvent user_deleted_event(const std::string& user_id);
events::CloudEvent user_password_reset_event(const std::string& user_id);

struct UserContext;
// Writes the event to the outbox in `tx`; it is published after the commit.
void emit(db::Transaction& tx, UserContext& ctx, const events::CloudEvent& event);

}  // namespace cp::user
