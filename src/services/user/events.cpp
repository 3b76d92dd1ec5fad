#include "services/user/events.h"

#include "platform/outbox.h"
#include "services/user/user_context.h"

namespace cp::user {
namespace {

boost::json::array strings(const std::vector<std::string>& items) {
  return boost::json::array(items.begin(), items.end());
}

}  // namespace

events::CloudEvent user_registered_event(const User& u) {
  return events::make_event(std::string(kEventSource), std::string(kUserRegistered), u.id,
                            {{"id", u.id},
                             {"email", u.email},
                             {"username", u.username},
                             {"display_name", u.display_name}});
}

events::CloudEvent user_updated_event(const User& u, const std::vector<std::string>& changed) {
  return events::make_event(std::string(kEventSource), std::string(kUserUpdated), u.id,
                            {{"id", u.id},
                             {"email", u.email},
                             {"username", u.username},
                             {"display_name", u.display_name},
                             {"status", u.status},
                             {"roles", strings(u.roles)},
                             {"changed", strings(changed)}});
}

events::CloudEvent user_deleted_event(const std::string& user_id) {
  return events::make_event(std::string(kEventSource), std::string(kUserDeleted), user_id,
                            {{"id", user_id}});
}

events::CloudEvent user_password_reset_event(const std::string& user_id) {
  return events::make_event(std::string(kEventSource), std::string(kUserPasswordReset), user_id,
                            {{"id", user_id}});
}

void emit(db::Transaction& tx, UserContext& /*ctx*/, const events::CloudEvent& event) {
  // enqueue_event wakes the relays of this database after the commit by itself.
  events::enqueue_event(tx, event);
}

}  // namespace cp::user
