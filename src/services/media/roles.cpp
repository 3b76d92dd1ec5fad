#include "services/media/roles.h"

#include <algorithm>

namespace cp::media {

const char* to_string(Role role) {
  return role == Role::kController ? "controller" : "viewer";
}

Role RoleTable::join(const std::string& session_id, bool may_control) {
  members_.push_back({session_id, may_control});
  if (controller_.empty() && may_control) controller_ = session_id;
  return role(session_id);
}

std::optional<std::string> RoleTable::leave(const std::string& session_id) {
  std::erase_if(members_, [&](const Member& m) { return m.id == session_id; });
  if (controller_ != session_id) return std::nullopt;
  controller_.clear();
  auto next =
      std::find_if(members_.begin(), members_.end(), [](const Member& m) { return m.may_control; });
  if (next == members_.end()) return std::nullopt;
  controller_ = next->id;
  return controller_;
}

bool RoleTable::hand_over(const std::string& session_id, std::optional<std::string>* previous) {
  auto it = std::find_if(members_.begin(), members_.end(),
                         [&](const Member& m) { return m.id == session_id; });
  if (it == members_.end() || !it->may_control) return false;
  *previous = std::nullopt;
  if (!controller_.empty() && controller_ != session_id) *previous = controller_;
  controller_ = session_id;
  return true;
}

Role RoleTable::role(const std::string& session_id) const {
  return !controller_.empty() && controller_ == session_id ? Role::kController : Role::kViewer;
}

std::optional<std::string> RoleTable::controller() const {
  if (controller_.empty()) return std::nullopt;
  return controller_;
}

}  // namespace cp::media
